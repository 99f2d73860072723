-- args: stamp 7a1b2c3d4e01:7a1b2c3d4e06 --sql
-- exit: 0
BEGIN;

-- Running stamp_revision 7a1b2c3d4e01 -> 7a1b2c3d4e06

UPDATE alembic_version SET version_num='7a1b2c3d4e06' WHERE alembic_version.version_num = '7a1b2c3d4e01';

COMMIT;

