-- args: stamp 3f1a9c2e7b01:d93e57b2a810 --sql
-- exit: 0
-- Running stamp_revision 3f1a9c2e7b01 -> d93e57b2a810

UPDATE retort_version SET version_num='d93e57b2a810' WHERE retort_version.version_num = '3f1a9c2e7b01';

