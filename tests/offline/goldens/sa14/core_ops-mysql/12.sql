-- args: downgrade a4c80f1d6e29:71fa3b8e05cd --sql
-- exit: 0
-- Running downgrade a4c80f1d6e29 -> 71fa3b8e05cd

DROP TABLE audit_log;

ALTER TABLE accounts MODIFY email VARCHAR(255) NOT NULL;

ALTER TABLE accounts COMMENT '';

UPDATE alembic_version SET version_num='71fa3b8e05cd' WHERE alembic_version.version_num = 'a4c80f1d6e29';

