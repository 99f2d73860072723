-- args: downgrade 7a1b2c3d4e03:7a1b2c3d4e02 --sql
-- exit: 0
BEGIN;

-- Running downgrade 7a1b2c3d4e03 -> 7a1b2c3d4e02

DROP TABLE events;

UPDATE alembic_version SET version_num='7a1b2c3d4e02' WHERE alembic_version.version_num = '7a1b2c3d4e03';

COMMIT;

