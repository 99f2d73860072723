-- args: downgrade d93e57b2a810:base --sql
-- exit: 0
BEGIN;

-- Running downgrade d93e57b2a810 -> a4c80f1d6e29

ALTER TABLE "order" DROP COLUMN "group";

DROP INDEX "ix_MixedCase_CamelColumn";

DROP TABLE "MixedCase";

DROP INDEX ix_order_user;

DROP TABLE "order";

UPDATE alembic_version SET version_num='a4c80f1d6e29' WHERE alembic_version.version_num = 'd93e57b2a810';

-- Running downgrade a4c80f1d6e29 -> 71fa3b8e05cd

DROP TABLE audit_log;

COMMENT ON COLUMN accounts.email IS NULL;

COMMENT ON TABLE accounts IS NULL;

UPDATE alembic_version SET version_num='71fa3b8e05cd' WHERE alembic_version.version_num = 'a4c80f1d6e29';

-- Running downgrade 71fa3b8e05cd -> 0e9b6a4c2d57

ALTER TABLE accounts ALTER COLUMN score TYPE FLOAT;

ALTER TABLE accounts ALTER COLUMN timezone SET DEFAULT 'UTC';

ALTER TABLE projects ALTER COLUMN slug TYPE VARCHAR(50);

ALTER TABLE accounts ALTER COLUMN display_name DROP NOT NULL;

ALTER TABLE projects RENAME title TO name;

ALTER TABLE project_members RENAME TO memberships;

UPDATE alembic_version SET version_num='0e9b6a4c2d57' WHERE alembic_version.version_num = '71fa3b8e05cd';

-- Running downgrade 0e9b6a4c2d57 -> c5d17e3a9f42

ALTER TABLE projects DROP CONSTRAINT ck_projects_slug_nonempty;

ALTER TABLE accounts DROP CONSTRAINT uq_accounts_display_name;

ALTER TABLE projects DROP CONSTRAINT fk_projects_owner_id_accounts;

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

DROP INDEX ix_projects_account_name;

DROP INDEX ix_memberships_role;

DROP TABLE memberships;

UPDATE alembic_version SET version_num='3f1a9c2e7b01' WHERE alembic_version.version_num = '8b24d0e6c913';

-- Running downgrade 3f1a9c2e7b01 -> 

DROP INDEX ix_projects_name;

DROP TABLE projects;

DROP TABLE accounts;

DELETE FROM alembic_version WHERE alembic_version.version_num = '3f1a9c2e7b01';

COMMIT;

