-- args: downgrade 47f3a0c9d2b8:base --sql
-- exit: 0
-- Running downgrade 47f3a0c9d2b8 -> e2d85b1c4f96

ALTER TABLE invoices DROP COLUMN category;

UPDATE retort_version SET version_num='e2d85b1c4f96' WHERE retort_version.version_num = '47f3a0c9d2b8';

-- Running downgrade e2d85b1c4f96 -> 9c4a71e3f260

UPDATE customers SET tier=NULL, total_cents=0;

UPDATE customers SET tier='gold' WHERE customers.id = 5;

UPDATE retort_version SET version_num='9c4a71e3f260' WHERE retort_version.version_num = 'e2d85b1c4f96';

-- Running downgrade 9c4a71e3f260 -> 5b0e2f8d1a37

DELETE FROM invoices WHERE invoices.id IN (2, 3, 4, 5);

DELETE FROM customers WHERE id IN (4, 5);

UPDATE retort_version SET version_num='5b0e2f8d1a37' WHERE retort_version.version_num = '9c4a71e3f260';

-- Running downgrade 5b0e2f8d1a37 -> 

DROP TABLE invoices;

DROP TABLE customers;

DELETE FROM retort_version WHERE retort_version.version_num = '5b0e2f8d1a37';

