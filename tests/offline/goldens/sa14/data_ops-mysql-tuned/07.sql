-- args: upgrade e2d85b1c4f96:47f3a0c9d2b8 --sql
-- exit: 0
-- Running upgrade e2d85b1c4f96 -> 47f3a0c9d2b8

ALTER TABLE invoices ADD COLUMN category VARCHAR(20);

UPDATE invoices SET category = 'large' WHERE amount_cents >= 10000;

UPDATE invoices SET category='small' WHERE invoices.category IS NULL;

UPDATE invoices SET category=NULL WHERE invoices.status = 'void';

UPDATE retort_version SET version_num='47f3a0c9d2b8' WHERE retort_version.version_num = 'e2d85b1c4f96';

