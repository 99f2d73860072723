-- args: downgrade 9d3e4f5a6b10:9d3e4f5a6b09 --sql
-- exit: 0
-- Running downgrade 9d3e4f5a6b10 -> 9d3e4f5a6b09

DROP TABLE IF EXISTS _alembic_tmp_people;

DROP TABLE IF EXISTS _alembic_tmp_ledger;

UPDATE alembic_version SET version_num='9d3e4f5a6b09' WHERE alembic_version.version_num = '9d3e4f5a6b10';

