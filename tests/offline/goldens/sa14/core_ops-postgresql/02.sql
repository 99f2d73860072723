-- args: downgrade 3f1a9c2e7b01:base --sql
-- exit: 0
BEGIN;

-- Running downgrade 3f1a9c2e7b01 -> 

DROP INDEX ix_projects_name;

DROP TABLE projects;

DROP TABLE accounts;

DELETE FROM alembic_version WHERE alembic_version.version_num = '3f1a9c2e7b01';

COMMIT;

