-- args: upgrade base:3f1a9c2e7b01 --sql
-- exit: 1
-- error: sqlalchemy.exc.CompileError: Could not render literal value "b'\x89PNG\x00\x01'" with datatype BLOB; see parent stack trace for more detail.
CREATE TABLE retort_version (
    version_num VARCHAR(32) NOT NULL, 
    CONSTRAINT retort_version_pkc PRIMARY KEY (version_num)
);

-- Running upgrade  -> 3f1a9c2e7b01

CREATE TABLE accounts (
    id INTEGER NOT NULL AUTO_INCREMENT, 
    email VARCHAR(255) NOT NULL, 
    display_name VARCHAR(100), 
    is_active BOOL NOT NULL DEFAULT true, 
    balance NUMERIC(10, 2) NOT NULL DEFAULT '0', 
    score FLOAT, 
    avatar BLOB, 
    settings JSON, 
    created_at DATETIME NOT NULL DEFAULT now(), 
    birth_date DATE, 
    plan VARCHAR(4) NOT NULL DEFAULT 'free', 
    login_count BIGINT NOT NULL DEFAULT 0, 
    bio TEXT, 
    PRIMARY KEY (id), 
    CONSTRAINT ck_accounts_score_positive CHECK (score >= 0), 
    UNIQUE (email), 
    CONSTRAINT account_plan CHECK (plan IN ('free', 'pro', 'team'))
);

CREATE TABLE projects (
    id INTEGER NOT NULL AUTO_INCREMENT, 
    account_id INTEGER NOT NULL, 
    name VARCHAR(100) NOT NULL, 
    slug VARCHAR(50) NOT NULL, 
    PRIMARY KEY (id), 
    FOREIGN KEY(account_id) REFERENCES accounts (id) ON DELETE CASCADE, 
    CONSTRAINT uq_projects_account_slug UNIQUE (account_id, slug)
);

CREATE INDEX ix_projects_name ON projects (name);

