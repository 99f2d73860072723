-- args: stamp heads --sql
-- exit: 0
CREATE TABLE alembic_version (
    version_num VARCHAR(32) NOT NULL, 
    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);

-- Running stamp_revision  -> 6f0e2c5a3b77

INSERT INTO alembic_version (version_num) VALUES ('6f0e2c5a3b77');

