-- args: upgrade base:5b0e2f8d1a37 --sql
-- exit: 0
CREATE TABLE alembic_version (
    version_num VARCHAR(32) NOT NULL, 
    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);

-- Running upgrade  -> 5b0e2f8d1a37

CREATE TABLE customers (
    id INTEGER NOT NULL AUTO_INCREMENT, 
    name VARCHAR(100) NOT NULL, 
    tier VARCHAR(20), 
    total_cents INTEGER NOT NULL DEFAULT '0', 
    PRIMARY KEY (id)
);

CREATE TABLE invoices (
    id INTEGER NOT NULL AUTO_INCREMENT, 
    customer_id INTEGER NOT NULL, 
    amount_cents INTEGER NOT NULL, 
    status VARCHAR(20) NOT NULL DEFAULT 'open', 
    issued_on DATE, 
    paid BOOL NOT NULL DEFAULT false, 
    rate NUMERIC(6, 4), 
    PRIMARY KEY (id), 
    FOREIGN KEY(customer_id) REFERENCES customers (id)
);

INSERT INTO customers (id, name) VALUES (1, 'Ada Lovelace'), (2, 'Grace Hopper'), (3, 'Edsger Dijkstra');

INSERT INTO invoices (id, customer_id, amount_cents) VALUES (1, 1, 1250);

INSERT INTO alembic_version (version_num) VALUES ('5b0e2f8d1a37');

