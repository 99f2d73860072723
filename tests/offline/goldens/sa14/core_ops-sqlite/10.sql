-- args: downgrade 71fa3b8e05cd:0e9b6a4c2d57 --sql
-- exit: 0
-- Running downgrade 71fa3b8e05cd -> 0e9b6a4c2d57

ALTER TABLE projects RENAME COLUMN title TO name;

ALTER TABLE project_members RENAME TO memberships;

UPDATE alembic_version SET version_num='0e9b6a4c2d57' WHERE alembic_version.version_num = '71fa3b8e05cd';

