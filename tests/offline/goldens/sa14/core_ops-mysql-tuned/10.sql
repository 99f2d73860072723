-- args: downgrade 71fa3b8e05cd:0e9b6a4c2d57 --sql
-- exit: 0
-- Running downgrade 71fa3b8e05cd -> 0e9b6a4c2d57

ALTER TABLE accounts MODIFY score FLOAT NULL;

ALTER TABLE accounts ALTER COLUMN timezone SET DEFAULT 'UTC';

ALTER TABLE projects MODIFY slug VARCHAR(50) NOT NULL;

ALTER TABLE accounts MODIFY display_name VARCHAR(100) NULL;

ALTER TABLE projects CHANGE title name VARCHAR(100) NOT NULL;

ALTER TABLE project_members RENAME TO memberships;

UPDATE retort_version SET version_num='0e9b6a4c2d57' WHERE retort_version.version_num = '71fa3b8e05cd';

