-- args: downgrade a4c80f1d6e29:71fa3b8e05cd --sql
-- exit: 0
-- Running downgrade a4c80f1d6e29 -> 71fa3b8e05cd

DROP TABLE audit_log;

ALTER TABLE accounts MODIFY email VARCHAR(255) NOT NULL;

ALTER TABLE accounts COMMENT '';

UPDATE retort_version SET version_num='71fa3b8e05cd' WHERE retort_version.version_num = 'a4c80f1d6e29';

