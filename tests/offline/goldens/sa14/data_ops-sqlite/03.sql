-- args: upgrade 5b0e2f8d1a37:9c4a71e3f260 --sql
-- exit: 0
-- Running upgrade 5b0e2f8d1a37 -> 9c4a71e3f260

INSERT INTO customers (id, name, tier) VALUES (4, 'Barbara Liskov', NULL);

INSERT INTO customers (id, name, tier) VALUES (5, 'Tony Hoare''s twin', 'gold');

INSERT INTO invoices (id, customer_id, amount_cents, status, issued_on, paid, rate) VALUES (2, 2, 99000, 'open', '2026-03-31', 0, 0.1250);

INSERT INTO invoices (id, customer_id, amount_cents, status, issued_on, paid, rate) VALUES (3, 2, 15000, 'paid', '2026-02-28', 1, NULL);

INSERT INTO invoices (id, customer_id, amount_cents, status, issued_on, paid, rate) VALUES (4, 4, 420, 'paid', NULL, 1, 1.5);

INSERT INTO invoices (id, customer_id, amount_cents, status, issued_on, paid, rate) VALUES (5, 5, 7, 'void', '2025-12-24', 0, NULL);

UPDATE alembic_version SET version_num='9c4a71e3f260' WHERE alembic_version.version_num = '5b0e2f8d1a37';

