-- args: upgrade 1d0c4:heads --sql --tag release-1
-- exit: 0
-- Running upgrade 1d0c4e7a9b21 -> 2a7f1e0b6c33

CREATE TABLE tags (
    id INTEGER NOT NULL, 
    label VARCHAR(30) NOT NULL, 
    PRIMARY KEY (id), 
    UNIQUE (label)
);

UPDATE alembic_version SET version_num='2a7f1e0b6c33' WHERE alembic_version.version_num = '1d0c4e7a9b21';

-- Running upgrade 1d0c4e7a9b21 -> 4b8c0a3f1d55

CREATE TABLE item_tags (
    item_id INTEGER NOT NULL, 
    tag_id INTEGER NOT NULL, 
    PRIMARY KEY (item_id, tag_id), 
    FOREIGN KEY(item_id) REFERENCES items (id), 
    FOREIGN KEY(tag_id) REFERENCES tags (id)
);

UPDATE alembic_version SET version_num='4b8c0a3f1d55' WHERE alembic_version.version_num = '2a7f1e0b6c33';

-- Running upgrade 4b8c0a3f1d55 -> 5c9d1b4e2f66

CREATE INDEX ix_items_name ON items (name);

UPDATE alembic_version SET version_num='5c9d1b4e2f66' WHERE alembic_version.version_num = '4b8c0a3f1d55';

-- Running upgrade 2a7f1e0b6c33 -> 3e5b9d2c7a44

ALTER TABLE tags ADD COLUMN colour VARCHAR(7) DEFAULT '#000000' NOT NULL;

INSERT INTO alembic_version (version_num) VALUES ('3e5b9d2c7a44');

-- Running upgrade 3e5b9d2c7a44, 5c9d1b4e2f66 -> 6f0e2c5a3b77

ALTER TABLE items ADD COLUMN weight_g INTEGER;

UPDATE items SET weight_g = 1000 * id;

DELETE FROM alembic_version WHERE alembic_version.version_num = '3e5b9d2c7a44';

UPDATE alembic_version SET version_num='6f0e2c5a3b77' WHERE alembic_version.version_num = '5c9d1b4e2f66';

