-- args: stamp heads --sql
-- exit: 0
CREATE TABLE retort_version (
    version_num VARCHAR(32) NOT NULL, 
    CONSTRAINT retort_version_pkc PRIMARY KEY (version_num)
);

-- Running stamp_revision  -> d93e57b2a810

INSERT INTO retort_version (version_num) VALUES ('d93e57b2a810');

