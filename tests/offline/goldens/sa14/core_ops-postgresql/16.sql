-- args: stamp 3f1a9c2e7b01:d93e57b2a810 --sql
-- exit: 0
BEGIN;

-- Running stamp_revision 3f1a9c2e7b01 -> d93e57b2a810

UPDATE alembic_version SET version_num='d93e57b2a810' WHERE alembic_version.version_num = '3f1a9c2e7b01';

COMMIT;

