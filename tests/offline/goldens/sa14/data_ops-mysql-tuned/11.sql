-- args: upgrade 5b0e2:heads --sql --tag release-1
-- exit: 1
-- error: sqlalchemy.exc.CompileError: No literal value renderer is available for literal value "datetime.date(2026, 3, 31)" with datatype DATE
-- Running upgrade 5b0e2f8d1a37 -> 9c4a71e3f260

INSERT INTO customers (id, name, tier) VALUES (4, 'Barbara Liskov', NULL);

INSERT INTO customers (id, name, tier) VALUES (5, 'Tony Hoare''s twin', 'gold');

