-- args: upgrade 3f1a9:heads --sql --tag release-1
-- exit: 1
-- error: sqlalchemy.exc.CompileError: No literal value renderer is available for literal value "'g1'" with datatype NULL
BEGIN;

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

COMMIT;

BEGIN;

-- Running upgrade 8b24d0e6c913 -> c5d17e3a9f42

ALTER TABLE accounts ADD COLUMN timezone VARCHAR(64) DEFAULT 'UTC' NOT NULL;

ALTER TABLE projects ADD COLUMN archived BOOLEAN DEFAULT false NOT NULL;

ALTER TABLE projects ADD COLUMN owner_id INTEGER;

ALTER TABLE accounts DROP COLUMN bio;

UPDATE retort_version SET version_num='c5d17e3a9f42' WHERE retort_version.version_num = '8b24d0e6c913';

COMMIT;

BEGIN;

-- Running upgrade c5d17e3a9f42 -> 0e9b6a4c2d57

UPDATE accounts SET display_name = 'Grace' WHERE display_name IS NULL;

UPDATE projects SET owner_id = account_id;

ALTER TABLE projects ADD CONSTRAINT fk_projects_owner_id_accounts FOREIGN KEY(owner_id) REFERENCES accounts (id) ON DELETE SET NULL;

ALTER TABLE accounts ADD CONSTRAINT uq_accounts_display_name UNIQUE (display_name);

ALTER TABLE projects ADD CONSTRAINT ck_projects_slug_nonempty CHECK (slug <> '');

UPDATE retort_version SET version_num='0e9b6a4c2d57' WHERE retort_version.version_num = 'c5d17e3a9f42';

COMMIT;

BEGIN;

-- Running upgrade 0e9b6a4c2d57 -> 71fa3b8e05cd

ALTER TABLE memberships RENAME TO project_members;

ALTER TABLE projects RENAME name TO title;

ALTER TABLE accounts ALTER COLUMN display_name SET NOT NULL;

ALTER TABLE projects ALTER COLUMN slug TYPE VARCHAR(80);

ALTER TABLE accounts ALTER COLUMN timezone SET DEFAULT 'Etc/UTC';

ALTER TABLE accounts ALTER COLUMN score TYPE NUMERIC(8, 3);

UPDATE retort_version SET version_num='71fa3b8e05cd' WHERE retort_version.version_num = '0e9b6a4c2d57';

COMMIT;

BEGIN;

-- Running upgrade 71fa3b8e05cd -> a4c80f1d6e29

COMMENT ON TABLE accounts IS 'Registered accounts (one per e-mail)';

COMMENT ON COLUMN accounts.email IS 'Login e-mail, it''s unique';

CREATE TABLE audit_log (
    id SERIAL NOT NULL, 
    message VARCHAR(200) NOT NULL, 
    PRIMARY KEY (id)
);

COMMENT ON TABLE audit_log IS 'Who did what';

COMMENT ON COLUMN audit_log.id IS 'Surrogate key';

COMMENT ON COLUMN audit_log.message IS 'What happened';

UPDATE retort_version SET version_num='a4c80f1d6e29' WHERE retort_version.version_num = '71fa3b8e05cd';

COMMIT;

BEGIN;

-- Running upgrade a4c80f1d6e29 -> d93e57b2a810

CREATE TABLE "order" (
    id SERIAL NOT NULL, 
    "user" VARCHAR(50) NOT NULL, 
    "select" INTEGER DEFAULT '1' NOT NULL, 
    account_id INTEGER, 
    PRIMARY KEY (id), 
    FOREIGN KEY(account_id) REFERENCES accounts (id)
);

CREATE INDEX ix_order_user ON "order" ("user");

CREATE TABLE "MixedCase" (
    "Id" SERIAL NOT NULL, 
    "CamelColumn" VARCHAR(30), 
    order_id INTEGER, 
    PRIMARY KEY ("Id"), 
    CONSTRAINT "FK_MixedCase_Order" FOREIGN KEY(order_id) REFERENCES "order" (id)
);

CREATE UNIQUE INDEX "ix_MixedCase_CamelColumn" ON "MixedCase" ("CamelColumn");

INSERT INTO "order" (id, "user", account_id) VALUES (1, 'o''brien', 1);

INSERT INTO "order" (id, "user", "select", account_id) VALUES (2, 'percent %% sign', 7, NULL);

ALTER TABLE "order" ADD COLUMN "group" VARCHAR(10);

