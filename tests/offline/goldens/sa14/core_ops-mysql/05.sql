-- args: upgrade 8b24d0e6c913:c5d17e3a9f42 --sql
-- exit: 0
-- Running upgrade 8b24d0e6c913 -> c5d17e3a9f42

ALTER TABLE accounts ADD COLUMN timezone VARCHAR(64) NOT NULL DEFAULT 'UTC';

ALTER TABLE projects ADD COLUMN archived BOOL NOT NULL DEFAULT false;

ALTER TABLE projects ADD COLUMN owner_id INTEGER;

ALTER TABLE accounts DROP COLUMN bio;

UPDATE alembic_version SET version_num='c5d17e3a9f42' WHERE alembic_version.version_num = '8b24d0e6c913';

