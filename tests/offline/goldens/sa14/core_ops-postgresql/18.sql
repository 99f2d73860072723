-- args: stamp heads --sql
-- exit: 0
BEGIN;

CREATE TABLE alembic_version (
    version_num VARCHAR(32) NOT NULL, 
    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);

-- Running stamp_revision  -> d93e57b2a810

INSERT INTO alembic_version (version_num) VALUES ('d93e57b2a810') RETURNING alembic_version.version_num;

COMMIT;

