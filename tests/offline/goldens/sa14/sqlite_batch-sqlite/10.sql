-- args: downgrade 9d3e4f5a6b05:9d3e4f5a6b04 --sql
-- exit: 0
-- Running downgrade 9d3e4f5a6b05 -> 9d3e4f5a6b04

DROP TABLE flags;

DROP TABLE tags;

DROP TABLE ledger;

DROP TABLE entries;

DROP INDEX ix_accounts_status;

DROP TABLE accounts;

UPDATE alembic_version SET version_num='9d3e4f5a6b04' WHERE alembic_version.version_num = '9d3e4f5a6b05';

