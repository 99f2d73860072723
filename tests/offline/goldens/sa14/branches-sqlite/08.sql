-- args: downgrade 5c9d1b4e2f66:4b8c0a3f1d55 --sql
-- exit: 0
-- Running downgrade 5c9d1b4e2f66 -> 4b8c0a3f1d55

DROP INDEX ix_items_name;

UPDATE alembic_version SET version_num='4b8c0a3f1d55' WHERE alembic_version.version_num = '5c9d1b4e2f66';

