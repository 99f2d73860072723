-- args: downgrade c5d17e3a9f42:8b24d0e6c913 --sql
-- exit: 0
-- Running downgrade c5d17e3a9f42 -> 8b24d0e6c913

ALTER TABLE accounts ADD COLUMN bio TEXT;

ALTER TABLE projects DROP COLUMN owner_id;

ALTER TABLE projects DROP COLUMN archived;

ALTER TABLE accounts DROP COLUMN timezone;

UPDATE retort_version SET version_num='8b24d0e6c913' WHERE retort_version.version_num = 'c5d17e3a9f42';

