-- args: downgrade 0e9b6a4c2d57:c5d17e3a9f42 --sql
-- exit: 0
BEGIN;

-- Running downgrade 0e9b6a4c2d57 -> c5d17e3a9f42

ALTER TABLE projects DROP CONSTRAINT ck_projects_slug_nonempty;

ALTER TABLE accounts DROP CONSTRAINT uq_accounts_display_name;

ALTER TABLE projects DROP CONSTRAINT fk_projects_owner_id_accounts;

UPDATE projects SET owner_id = NULL;

UPDATE accounts SET display_name = NULL WHERE email = 'grace@example.com';

UPDATE alembic_version SET version_num='c5d17e3a9f42' WHERE alembic_version.version_num = '0e9b6a4c2d57';

COMMIT;

