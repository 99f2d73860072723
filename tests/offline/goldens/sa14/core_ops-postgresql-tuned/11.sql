-- args: upgrade 71fa3b8e05cd:a4c80f1d6e29 --sql
-- exit: 0
BEGIN;

-- Running upgrade 71fa3b8e05cd -> a4c80f1d6e29

COMMENT ON TABLE accounts IS 'Registered accounts (one per e-mail)';

COMMENT ON COLUMN accounts.email IS 'Login e-mail, it''s unique';

CREATE TABLE audit_log (
    id SERIAL NOT NULL, 
    message VARCHAR(200) NOT NULL, 
    PRIMARY KEY (id)
);

COMMENT ON TABLE audit_log IS 'Who did what';

COMMENT ON COLUMN audit_log.id IS 'Surrogate key';

COMMENT ON COLUMN audit_log.message IS 'What happened';

UPDATE retort_version SET version_num='a4c80f1d6e29' WHERE retort_version.version_num = '71fa3b8e05cd';

COMMIT;

