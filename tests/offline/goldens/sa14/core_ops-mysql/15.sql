-- args: downgrade d93e57b2a810:base --sql
-- exit: 0
-- Running downgrade d93e57b2a810 -> a4c80f1d6e29

ALTER TABLE `order` DROP COLUMN `group`;

DROP INDEX `ix_MixedCase_CamelColumn` ON `MixedCase`;

DROP TABLE `MixedCase`;

DROP INDEX ix_order_user ON `order`;

DROP TABLE `order`;

UPDATE alembic_version SET version_num='a4c80f1d6e29' WHERE alembic_version.version_num = 'd93e57b2a810';

-- Running downgrade a4c80f1d6e29 -> 71fa3b8e05cd

DROP TABLE audit_log;

ALTER TABLE accounts MODIFY email VARCHAR(255) NOT NULL;

ALTER TABLE accounts COMMENT '';

UPDATE alembic_version SET version_num='71fa3b8e05cd' WHERE alembic_version.version_num = 'a4c80f1d6e29';

-- Running downgrade 71fa3b8e05cd -> 0e9b6a4c2d57

ALTER TABLE accounts MODIFY score FLOAT NULL;

ALTER TABLE accounts ALTER COLUMN timezone SET DEFAULT 'UTC';

ALTER TABLE projects MODIFY slug VARCHAR(50) NOT NULL;

ALTER TABLE accounts MODIFY display_name VARCHAR(100) NULL;

ALTER TABLE projects CHANGE title name VARCHAR(100) NOT NULL;

ALTER TABLE project_members RENAME TO memberships;

UPDATE alembic_version SET version_num='0e9b6a4c2d57' WHERE alembic_version.version_num = '71fa3b8e05cd';

-- Running downgrade 0e9b6a4c2d57 -> c5d17e3a9f42

ALTER TABLE projects DROP CHECK ck_projects_slug_nonempty;

ALTER TABLE accounts DROP INDEX uq_accounts_display_name;

ALTER TABLE projects DROP FOREIGN KEY fk_projects_owner_id_accounts;

UPDATE projects SET owner_id = NULL;

UPDATE accounts SET display_name = NULL WHERE email = 'grace@example.com';

UPDATE alembic_version SET version_num='c5d17e3a9f42' WHERE alembic_version.version_num = '0e9b6a4c2d57';

-- Running downgrade c5d17e3a9f42 -> 8b24d0e6c913

ALTER TABLE accounts ADD COLUMN bio TEXT;

ALTER TABLE projects DROP COLUMN owner_id;

ALTER TABLE projects DROP COLUMN archived;

ALTER TABLE accounts DROP COLUMN timezone;

UPDATE alembic_version SET version_num='8b24d0e6c913' WHERE alembic_version.version_num = 'c5d17e3a9f42';

-- Running downgrade 8b24d0e6c913 -> 3f1a9c2e7b01

DROP INDEX ix_projects_account_name ON projects;

DROP INDEX ix_memberships_role ON memberships;

DROP TABLE memberships;

UPDATE alembic_version SET version_num='3f1a9c2e7b01' WHERE alembic_version.version_num = '8b24d0e6c913';

-- Running downgrade 3f1a9c2e7b01 -> 

DROP INDEX ix_projects_name ON projects;

DROP TABLE projects;

DROP TABLE accounts;

DELETE FROM alembic_version WHERE alembic_version.version_num = '3f1a9c2e7b01';

