-- args: upgrade 8b24d0e6c913:c5d17e3a9f42 --sql
-- exit: 0
BEGIN;

-- Running upgrade 8b24d0e6c913 -> c5d17e3a9f42

ALTER TABLE accounts ADD COLUMN timezone VARCHAR(64) DEFAULT 'UTC' NOT NULL;

ALTER TABLE projects ADD COLUMN archived BOOLEAN DEFAULT false NOT NULL;

ALTER TABLE projects ADD COLUMN owner_id INTEGER;

ALTER TABLE accounts DROP COLUMN bio;

UPDATE retort_version SET version_num='c5d17e3a9f42' WHERE retort_version.version_num = '8b24d0e6c913';

COMMIT;

