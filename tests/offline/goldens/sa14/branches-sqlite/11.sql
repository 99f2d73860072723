-- args: downgrade 6f0e2c5a3b77:base --sql
-- exit: 0
-- Running downgrade 6f0e2c5a3b77 -> 3e5b9d2c7a44, 5c9d1b4e2f66

ALTER TABLE items DROP COLUMN weight_g;

INSERT INTO alembic_version (version_num) VALUES ('3e5b9d2c7a44');

UPDATE alembic_version SET version_num='5c9d1b4e2f66' WHERE alembic_version.version_num = '6f0e2c5a3b77';

-- Running downgrade 3e5b9d2c7a44 -> 2a7f1e0b6c33

ALTER TABLE tags DROP COLUMN colour;

DELETE FROM alembic_version WHERE alembic_version.version_num = '3e5b9d2c7a44';

-- Running downgrade 5c9d1b4e2f66 -> 4b8c0a3f1d55

DROP INDEX ix_items_name;

UPDATE alembic_version SET version_num='4b8c0a3f1d55' WHERE alembic_version.version_num = '5c9d1b4e2f66';

-- Running downgrade 4b8c0a3f1d55 -> 1d0c4e7a9b21

DROP TABLE item_tags;

UPDATE alembic_version SET version_num='2a7f1e0b6c33' WHERE alembic_version.version_num = '4b8c0a3f1d55';

-- Running downgrade 2a7f1e0b6c33 -> 1d0c4e7a9b21

DROP TABLE tags;

UPDATE alembic_version SET version_num='1d0c4e7a9b21' WHERE alembic_version.version_num = '2a7f1e0b6c33';

-- Running downgrade 1d0c4e7a9b21 -> 

DROP TABLE items;

DELETE FROM alembic_version WHERE alembic_version.version_num = '1d0c4e7a9b21';

-- alternative output (Alembic orders this step by a Python set):
-- Running downgrade 6f0e2c5a3b77 -> 3e5b9d2c7a44, 5c9d1b4e2f66

ALTER TABLE items DROP COLUMN weight_g;

INSERT INTO alembic_version (version_num) VALUES ('5c9d1b4e2f66');

UPDATE alembic_version SET version_num='3e5b9d2c7a44' WHERE alembic_version.version_num = '6f0e2c5a3b77';

-- Running downgrade 3e5b9d2c7a44 -> 2a7f1e0b6c33

ALTER TABLE tags DROP COLUMN colour;

DELETE FROM alembic_version WHERE alembic_version.version_num = '3e5b9d2c7a44';

-- Running downgrade 5c9d1b4e2f66 -> 4b8c0a3f1d55

DROP INDEX ix_items_name;

UPDATE alembic_version SET version_num='4b8c0a3f1d55' WHERE alembic_version.version_num = '5c9d1b4e2f66';

-- Running downgrade 4b8c0a3f1d55 -> 1d0c4e7a9b21

DROP TABLE item_tags;

UPDATE alembic_version SET version_num='2a7f1e0b6c33' WHERE alembic_version.version_num = '4b8c0a3f1d55';

-- Running downgrade 2a7f1e0b6c33 -> 1d0c4e7a9b21

DROP TABLE tags;

UPDATE alembic_version SET version_num='1d0c4e7a9b21' WHERE alembic_version.version_num = '2a7f1e0b6c33';

-- Running downgrade 1d0c4e7a9b21 -> 

DROP TABLE items;

DELETE FROM alembic_version WHERE alembic_version.version_num = '1d0c4e7a9b21';

