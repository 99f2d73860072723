-- args: upgrade 3f1a9c2e7b01:8b24d0e6c913 --sql
-- exit: 0
-- Running upgrade 3f1a9c2e7b01 -> 8b24d0e6c913

CREATE TABLE memberships (
    account_id INTEGER NOT NULL, 
    project_id INTEGER NOT NULL, 
    role VARCHAR(20) DEFAULT 'member' NOT NULL, 
    CONSTRAINT pk_memberships PRIMARY KEY (account_id, project_id), 
    CONSTRAINT fk_memberships_project FOREIGN KEY(project_id) REFERENCES projects (id) ON DELETE CASCADE ON UPDATE CASCADE, 
    FOREIGN KEY(account_id) REFERENCES accounts (id) ON DELETE CASCADE
);

CREATE INDEX ix_memberships_role ON memberships (role);

CREATE UNIQUE INDEX ix_projects_account_name ON projects (account_id, name);

INSERT INTO memberships (account_id, project_id, role) VALUES (1, 1, 'owner'), (2, 1, 'member'), (2, 3, 'owner');

INSERT INTO memberships (account_id, project_id) VALUES (1, 3);

UPDATE retort_version SET version_num='8b24d0e6c913' WHERE retort_version.version_num = '3f1a9c2e7b01';

