-- args: upgrade 1d0c4e7a9b21:2a7f1e0b6c33 --sql
-- exit: 0
-- Running upgrade 1d0c4e7a9b21 -> 2a7f1e0b6c33

CREATE TABLE tags (
    id INTEGER NOT NULL AUTO_INCREMENT, 
    label VARCHAR(30) NOT NULL, 
    PRIMARY KEY (id), 
    UNIQUE (label)
);

UPDATE alembic_version SET version_num='2a7f1e0b6c33' WHERE alembic_version.version_num = '1d0c4e7a9b21';

