-- args: upgrade 0e9b6a4c2d57:71fa3b8e05cd --sql
-- exit: 0
BEGIN;

-- Running upgrade 0e9b6a4c2d57 -> 71fa3b8e05cd

ALTER TABLE memberships RENAME TO project_members;

ALTER TABLE projects RENAME name TO title;

ALTER TABLE accounts ALTER COLUMN display_name SET NOT NULL;

ALTER TABLE projects ALTER COLUMN slug TYPE VARCHAR(80);

ALTER TABLE accounts ALTER COLUMN timezone SET DEFAULT 'Etc/UTC';

ALTER TABLE accounts ALTER COLUMN score TYPE NUMERIC(8, 3);

UPDATE alembic_version SET version_num='71fa3b8e05cd' WHERE alembic_version.version_num = '0e9b6a4c2d57';

COMMIT;

