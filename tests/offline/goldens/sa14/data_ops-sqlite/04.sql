-- args: downgrade 9c4a71e3f260:5b0e2f8d1a37 --sql
-- exit: 0
-- Running downgrade 9c4a71e3f260 -> 5b0e2f8d1a37

DELETE FROM invoices WHERE invoices.id IN (2, 3, 4, 5);

DELETE FROM customers WHERE id IN (4, 5);

UPDATE alembic_version SET version_num='5b0e2f8d1a37' WHERE alembic_version.version_num = '9c4a71e3f260';

