-- args: stamp 5b0e2f8d1a37:47f3a0c9d2b8 --sql
-- exit: 0
-- Running stamp_revision 5b0e2f8d1a37 -> 47f3a0c9d2b8

UPDATE retort_version SET version_num='47f3a0c9d2b8' WHERE retort_version.version_num = '5b0e2f8d1a37';

