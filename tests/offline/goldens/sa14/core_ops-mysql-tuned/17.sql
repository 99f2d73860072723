-- args: upgrade 3f1a9:heads --sql --tag release-1
-- exit: 1
-- error: sqlalchemy.exc.CompileError: No literal value renderer is available for literal value "'g1'" with datatype NULL
-- Running upgrade 3f1a9c2e7b01 -> 8b24d0e6c913

CREATE TABLE memberships (
    account_id INTEGER NOT NULL, 
    project_id INTEGER NOT NULL, 
    `role` VARCHAR(20) NOT NULL DEFAULT 'member', 
    CONSTRAINT pk_memberships PRIMARY KEY (account_id, project_id), 
    CONSTRAINT fk_memberships_project FOREIGN KEY(project_id) REFERENCES projects (id) ON DELETE CASCADE ON UPDATE CASCADE, 
    FOREIGN KEY(account_id) REFERENCES accounts (id) ON DELETE CASCADE
);

CREATE INDEX ix_memberships_role ON memberships (`role`);

CREATE UNIQUE INDEX ix_projects_account_name ON projects (account_id, name);

INSERT INTO memberships (account_id, project_id, role) VALUES (1, 1, 'owner'), (2, 1, 'member'), (2, 3, 'owner');

INSERT INTO memberships (account_id, project_id) VALUES (1, 3);

UPDATE retort_version SET version_num='8b24d0e6c913' WHERE retort_version.version_num = '3f1a9c2e7b01';

-- Running upgrade 8b24d0e6c913 -> c5d17e3a9f42

ALTER TABLE accounts ADD COLUMN timezone VARCHAR(64) NOT NULL DEFAULT 'UTC';

ALTER TABLE projects ADD COLUMN archived BOOL NOT NULL DEFAULT false;

ALTER TABLE projects ADD COLUMN owner_id INTEGER;

ALTER TABLE accounts DROP COLUMN bio;

UPDATE retort_version SET version_num='c5d17e3a9f42' WHERE retort_version.version_num = '8b24d0e6c913';

-- Running upgrade c5d17e3a9f42 -> 0e9b6a4c2d57

UPDATE accounts SET display_name = 'Grace' WHERE display_name IS NULL;

UPDATE projects SET owner_id = account_id;

ALTER TABLE projects ADD CONSTRAINT fk_projects_owner_id_accounts FOREIGN KEY(owner_id) REFERENCES accounts (id) ON DELETE SET NULL;

ALTER TABLE accounts ADD CONSTRAINT uq_accounts_display_name UNIQUE (display_name);

ALTER TABLE projects ADD CONSTRAINT ck_projects_slug_nonempty CHECK (slug <> '');

UPDATE retort_version SET version_num='0e9b6a4c2d57' WHERE retort_version.version_num = 'c5d17e3a9f42';

-- Running upgrade 0e9b6a4c2d57 -> 71fa3b8e05cd

ALTER TABLE memberships RENAME TO project_members;

ALTER TABLE projects CHANGE name title VARCHAR(100) NOT NULL;

ALTER TABLE accounts MODIFY display_name VARCHAR(100) NOT NULL;

ALTER TABLE projects MODIFY slug VARCHAR(80) NOT NULL;

ALTER TABLE accounts ALTER COLUMN timezone SET DEFAULT 'Etc/UTC';

ALTER TABLE accounts MODIFY score NUMERIC(8, 3) NULL;

UPDATE retort_version SET version_num='71fa3b8e05cd' WHERE retort_version.version_num = '0e9b6a4c2d57';

-- Running upgrade 71fa3b8e05cd -> a4c80f1d6e29

ALTER TABLE accounts COMMENT 'Registered accounts (one per e-mail)';

ALTER TABLE accounts MODIFY email VARCHAR(255) NOT NULL COMMENT 'Login e-mail, it''s unique';

CREATE TABLE audit_log (
    id INTEGER NOT NULL COMMENT 'Surrogate key' AUTO_INCREMENT, 
    message VARCHAR(200) NOT NULL COMMENT 'What happened', 
    PRIMARY KEY (id)
)COMMENT='Who did what';

UPDATE retort_version SET version_num='a4c80f1d6e29' WHERE retort_version.version_num = '71fa3b8e05cd';

-- Running upgrade a4c80f1d6e29 -> d93e57b2a810

CREATE TABLE `order` (
    id INTEGER NOT NULL AUTO_INCREMENT, 
    user VARCHAR(50) NOT NULL, 
    `select` INTEGER NOT NULL DEFAULT '1', 
    account_id INTEGER, 
    PRIMARY KEY (id), 
    FOREIGN KEY(account_id) REFERENCES accounts (id)
);

CREATE INDEX ix_order_user ON `order` (user);

CREATE TABLE `MixedCase` (
    `Id` INTEGER NOT NULL AUTO_INCREMENT, 
    `CamelColumn` VARCHAR(30), 
    order_id INTEGER, 
    PRIMARY KEY (`Id`), 
    CONSTRAINT `FK_MixedCase_Order` FOREIGN KEY(order_id) REFERENCES `order` (id)
);

CREATE UNIQUE INDEX `ix_MixedCase_CamelColumn` ON `MixedCase` (`CamelColumn`);

INSERT INTO `order` (id, user, account_id) VALUES (1, 'o''brien', 1);

INSERT INTO `order` (id, user, `select`, account_id) VALUES (2, 'percent %% sign', 7, NULL);

ALTER TABLE `order` ADD COLUMN `group` VARCHAR(10);

