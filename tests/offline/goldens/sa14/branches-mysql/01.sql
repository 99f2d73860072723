-- args: upgrade base:1d0c4e7a9b21 --sql
-- exit: 0
CREATE TABLE alembic_version (
    version_num VARCHAR(32) NOT NULL, 
    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);

-- Running upgrade  -> 1d0c4e7a9b21

CREATE TABLE items (
    id INTEGER NOT NULL AUTO_INCREMENT, 
    name VARCHAR(40) NOT NULL, 
    PRIMARY KEY (id)
);

INSERT INTO items (id, name) VALUES (1, 'anvil'), (2, 'bellows');

INSERT INTO alembic_version (version_num) VALUES ('1d0c4e7a9b21');

