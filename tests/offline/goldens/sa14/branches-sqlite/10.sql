-- args: downgrade 3e5b9d2c7a44:2a7f1e0b6c33 --sql
-- exit: 0
-- Running downgrade 3e5b9d2c7a44 -> 2a7f1e0b6c33

ALTER TABLE tags DROP COLUMN colour;

UPDATE alembic_version SET version_num='2a7f1e0b6c33' WHERE alembic_version.version_num = '3e5b9d2c7a44';

