-- args: stamp heads --sql
-- exit: 0
BEGIN;

CREATE TABLE retort_version (
    version_num VARCHAR(32) NOT NULL, 
    CONSTRAINT retort_version_pkc PRIMARY KEY (version_num)
);

-- Running stamp_revision  -> 6f0e2c5a3b77

INSERT INTO retort_version (version_num) VALUES ('6f0e2c5a3b77') RETURNING retort_version.version_num;

COMMIT;

