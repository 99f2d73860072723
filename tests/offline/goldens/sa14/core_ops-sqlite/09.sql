-- args: upgrade 0e9b6a4c2d57:71fa3b8e05cd --sql
-- exit: 0
-- Running upgrade 0e9b6a4c2d57 -> 71fa3b8e05cd

ALTER TABLE memberships RENAME TO project_members;

ALTER TABLE projects RENAME COLUMN name TO title;

UPDATE alembic_version SET version_num='71fa3b8e05cd' WHERE alembic_version.version_num = '0e9b6a4c2d57';

