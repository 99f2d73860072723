-- args: upgrade base:5b0e2f8d1a37 --sql
-- exit: 0
BEGIN;

CREATE TABLE alembic_version (
    version_num VARCHAR(32) NOT NULL, 
    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);

-- Running upgrade  -> 5b0e2f8d1a37

CREATE TABLE customers (
    id SERIAL NOT NULL, 
    name VARCHAR(100) NOT NULL, 
    tier VARCHAR(20), 
    total_cents INTEGER DEFAULT '0' NOT NULL, 
    PRIMARY KEY (id)
);

CREATE TABLE invoices (
    id SERIAL NOT NULL, 
    customer_id INTEGER NOT NULL, 
    amount_cents INTEGER NOT NULL, 
    status VARCHAR(20) DEFAULT 'open' NOT NULL, 
    issued_on DATE, 
    paid BOOLEAN DEFAULT false NOT NULL, 
    rate NUMERIC(6, 4), 
    PRIMARY KEY (id), 
    FOREIGN KEY(customer_id) REFERENCES customers (id)
);

INSERT INTO customers (id, name) VALUES (1, 'Ada Lovelace'), (2, 'Grace Hopper'), (3, 'Edsger Dijkstra');

INSERT INTO invoices (id, customer_id, amount_cents) VALUES (1, 1, 1250);

INSERT INTO alembic_version (version_num) VALUES ('5b0e2f8d1a37') RETURNING alembic_version.version_num;

COMMIT;

