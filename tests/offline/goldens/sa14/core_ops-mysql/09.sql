-- args: upgrade 0e9b6a4c2d57:71fa3b8e05cd --sql
-- exit: 0
-- Running upgrade 0e9b6a4c2d57 -> 71fa3b8e05cd

ALTER TABLE memberships RENAME TO project_members;

ALTER TABLE projects CHANGE name title VARCHAR(100) NOT NULL;

ALTER TABLE accounts MODIFY display_name VARCHAR(100) NOT NULL;

ALTER TABLE projects MODIFY slug VARCHAR(80) NOT NULL;

ALTER TABLE accounts ALTER COLUMN timezone SET DEFAULT 'Etc/UTC';

ALTER TABLE accounts MODIFY score NUMERIC(8, 3) NULL;

UPDATE alembic_version SET version_num='71fa3b8e05cd' WHERE alembic_version.version_num = '0e9b6a4c2d57';

