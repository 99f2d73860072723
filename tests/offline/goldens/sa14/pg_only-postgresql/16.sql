-- args: stamp heads --sql
-- exit: 0
BEGIN;

CREATE TABLE alembic_version (
    version_num VARCHAR(32) NOT NULL, 
    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);

-- Running stamp_revision  -> 7a1b2c3d4e06

INSERT INTO alembic_version (version_num) VALUES ('7a1b2c3d4e06') RETURNING alembic_version.version_num;

COMMIT;

