-- args: downgrade 9d3e4f5a6b08:9d3e4f5a6b07 --sql
-- exit: 0
-- Running downgrade 9d3e4f5a6b08 -> 9d3e4f5a6b07

DROP INDEX ix_entries_amount;

ALTER TABLE entries DROP COLUMN posted;

ALTER TABLE entries DROP COLUMN amount;

UPDATE alembic_version SET version_num='9d3e4f5a6b07' WHERE alembic_version.version_num = '9d3e4f5a6b08';

