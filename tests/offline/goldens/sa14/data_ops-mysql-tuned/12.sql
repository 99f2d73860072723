-- args: stamp heads --sql
-- exit: 0
CREATE TABLE retort_version (
    version_num VARCHAR(32) NOT NULL, 
    CONSTRAINT retort_version_pkc PRIMARY KEY (version_num)
);

-- Running stamp_revision  -> 47f3a0c9d2b8

INSERT INTO retort_version (version_num) VALUES ('47f3a0c9d2b8');

