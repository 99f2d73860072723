-- args: upgrade 2a7f1e0b6c33:3e5b9d2c7a44 --sql
-- exit: 0
-- Running upgrade 2a7f1e0b6c33 -> 3e5b9d2c7a44

ALTER TABLE tags ADD COLUMN colour VARCHAR(7) NOT NULL DEFAULT '#000000';

UPDATE alembic_version SET version_num='3e5b9d2c7a44' WHERE alembic_version.version_num = '2a7f1e0b6c33';

