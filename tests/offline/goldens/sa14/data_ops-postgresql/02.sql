-- args: downgrade 5b0e2f8d1a37:base --sql
-- exit: 0
BEGIN;

-- Running downgrade 5b0e2f8d1a37 -> 

DROP TABLE invoices;

DROP TABLE customers;

DELETE FROM alembic_version WHERE alembic_version.version_num = '5b0e2f8d1a37';

COMMIT;

