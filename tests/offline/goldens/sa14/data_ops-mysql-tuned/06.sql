-- args: downgrade e2d85b1c4f96:9c4a71e3f260 --sql
-- exit: 0
-- Running downgrade e2d85b1c4f96 -> 9c4a71e3f260

UPDATE customers SET tier=NULL, total_cents=0;

UPDATE customers SET tier='gold' WHERE customers.id = 5;

UPDATE retort_version SET version_num='9c4a71e3f260' WHERE retort_version.version_num = 'e2d85b1c4f96';

