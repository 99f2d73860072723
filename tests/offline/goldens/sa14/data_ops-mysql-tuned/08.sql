-- args: downgrade 47f3a0c9d2b8:e2d85b1c4f96 --sql
-- exit: 0
-- Running downgrade 47f3a0c9d2b8 -> e2d85b1c4f96

ALTER TABLE invoices DROP COLUMN category;

UPDATE retort_version SET version_num='e2d85b1c4f96' WHERE retort_version.version_num = '47f3a0c9d2b8';

