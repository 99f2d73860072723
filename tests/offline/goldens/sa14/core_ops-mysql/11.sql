-- args: upgrade 71fa3b8e05cd:a4c80f1d6e29 --sql
-- exit: 0
-- Running upgrade 71fa3b8e05cd -> a4c80f1d6e29

ALTER TABLE accounts COMMENT 'Registered accounts (one per e-mail)';

ALTER TABLE accounts MODIFY email VARCHAR(255) NOT NULL COMMENT 'Login e-mail, it''s unique';

CREATE TABLE audit_log (
    id INTEGER NOT NULL COMMENT 'Surrogate key' AUTO_INCREMENT, 
    message VARCHAR(200) NOT NULL COMMENT 'What happened', 
    PRIMARY KEY (id)
)COMMENT='Who did what';

UPDATE alembic_version SET version_num='a4c80f1d6e29' WHERE alembic_version.version_num = '71fa3b8e05cd';

