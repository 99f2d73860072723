-- args: upgrade 9d3e4f5a6b04:9d3e4f5a6b05 --sql
-- exit: 0
-- Running upgrade 9d3e4f5a6b04 -> 9d3e4f5a6b05

CREATE TABLE accounts (
    id INTEGER NOT NULL, 
    code VARCHAR(10) NOT NULL, 
    balance NUMERIC(10, 2) NOT NULL, 
    status INTEGER, 
    legacy VARCHAR(20), 
    PRIMARY KEY (id), 
    CONSTRAINT uq_accounts_code UNIQUE (code), 
    CONSTRAINT ck_accounts_balance CHECK (balance >= 0)
);

CREATE INDEX ix_accounts_status ON accounts (status);

CREATE TABLE entries (
    id INTEGER NOT NULL, 
    account_id INTEGER NOT NULL, 
    memo VARCHAR(40), 
    PRIMARY KEY (id), 
    CONSTRAINT fk_entries_account_id FOREIGN KEY(account_id) REFERENCES accounts (id) ON DELETE CASCADE
);

CREATE TABLE ledger (
    a INTEGER NOT NULL, 
    b INTEGER NOT NULL, 
    note VARCHAR(20)
);

CREATE TABLE tags (
    id INTEGER NOT NULL, 
    label VARCHAR(20) NOT NULL, 
    account_id INTEGER, 
    PRIMARY KEY (id), 
    UNIQUE (label), 
    FOREIGN KEY(account_id) REFERENCES accounts (id)
);

CREATE TABLE flags (
    id INTEGER NOT NULL, 
    active BOOLEAN NOT NULL, 
    PRIMARY KEY (id), 
    CONSTRAINT ck_flags_active CHECK (active IN (0, 1))
);

INSERT INTO accounts (id, code, balance, status, legacy) VALUES (1, 'CASH', 12.00, 1, 'old-1'), (2, 'BANK', 7.00, 2, NULL), (3, 'CARD', 0.00, NULL, 'old-3');

INSERT INTO entries (id, account_id, memo) VALUES (1, 1, 'opening'), (2, 1, 'coffee'), (3, 2, NULL);

INSERT INTO ledger (a, b, note) VALUES (1, 1, 'x'), (1, 2, NULL), (2, 1, 'y');

INSERT INTO tags (id, label, account_id) VALUES (1, 'food', 1), (2, 'rent', NULL);

INSERT INTO flags (id, active) VALUES (1, TRUE), (2, FALSE);

UPDATE alembic_version SET version_num='9d3e4f5a6b05' WHERE alembic_version.version_num = '9d3e4f5a6b04';

