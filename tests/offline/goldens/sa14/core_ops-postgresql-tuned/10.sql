-- args: downgrade 71fa3b8e05cd:0e9b6a4c2d57 --sql
-- exit: 0
BEGIN;

-- Running downgrade 71fa3b8e05cd -> 0e9b6a4c2d57

ALTER TABLE accounts ALTER COLUMN score TYPE FLOAT;

ALTER TABLE accounts ALTER COLUMN timezone SET DEFAULT 'UTC';

ALTER TABLE projects ALTER COLUMN slug TYPE VARCHAR(50);

ALTER TABLE accounts ALTER COLUMN display_name DROP NOT NULL;

ALTER TABLE projects RENAME title TO name;

ALTER TABLE project_members RENAME TO memberships;

UPDATE retort_version SET version_num='0e9b6a4c2d57' WHERE retort_version.version_num = '71fa3b8e05cd';

COMMIT;

