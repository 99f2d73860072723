-- args: downgrade a4c80f1d6e29:71fa3b8e05cd --sql
-- exit: 0
-- Running downgrade a4c80f1d6e29 -> 71fa3b8e05cd

UPDATE retort_version SET version_num='71fa3b8e05cd' WHERE retort_version.version_num = 'a4c80f1d6e29';

