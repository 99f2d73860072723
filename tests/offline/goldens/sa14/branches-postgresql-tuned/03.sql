-- args: upgrade 1d0c4e7a9b21:2a7f1e0b6c33 --sql
-- exit: 0
BEGIN;

-- Running upgrade 1d0c4e7a9b21 -> 2a7f1e0b6c33

CREATE TABLE tags (
    id SERIAL NOT NULL, 
    label VARCHAR(30) NOT NULL, 
    PRIMARY KEY (id), 
    UNIQUE (label)
);

UPDATE retort_version SET version_num='2a7f1e0b6c33' WHERE retort_version.version_num = '1d0c4e7a9b21';

COMMIT;

