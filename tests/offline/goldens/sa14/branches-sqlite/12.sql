-- args: stamp 1d0c4e7a9b21:6f0e2c5a3b77 --sql
-- exit: 0
-- Running stamp_revision 1d0c4e7a9b21 -> 6f0e2c5a3b77

UPDATE alembic_version SET version_num='6f0e2c5a3b77' WHERE alembic_version.version_num = '1d0c4e7a9b21';

