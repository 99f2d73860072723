-- args: stamp heads --sql
-- exit: 0
CREATE TABLE alembic_version (
    version_num VARCHAR(32) NOT NULL, 
    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);

-- Running stamp_revision  -> 8c2d3e4f5a03

INSERT INTO alembic_version (version_num) VALUES ('8c2d3e4f5a03');

