-- args: upgrade 1d0c4e7a9b21:4b8c0a3f1d55 --sql
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

BEGIN;

-- Running upgrade 1d0c4e7a9b21 -> 4b8c0a3f1d55

CREATE TABLE item_tags (
    item_id INTEGER NOT NULL, 
    tag_id INTEGER NOT NULL, 
    PRIMARY KEY (item_id, tag_id), 
    FOREIGN KEY(item_id) REFERENCES items (id), 
    FOREIGN KEY(tag_id) REFERENCES tags (id)
);

UPDATE retort_version SET version_num='4b8c0a3f1d55' WHERE retort_version.version_num = '2a7f1e0b6c33';

COMMIT;

