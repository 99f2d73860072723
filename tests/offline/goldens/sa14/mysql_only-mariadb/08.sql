-- args: stamp 8c2d3e4f5a01:8c2d3e4f5a03 --sql
-- exit: 0
-- Running stamp_revision 8c2d3e4f5a01 -> 8c2d3e4f5a03

UPDATE alembic_version SET version_num='8c2d3e4f5a03' WHERE alembic_version.version_num = '8c2d3e4f5a01';

