-- args: upgrade c5d17e3a9f42:0e9b6a4c2d57 --sql
-- exit: 0
-- Running upgrade c5d17e3a9f42 -> 0e9b6a4c2d57

UPDATE accounts SET display_name = 'Grace' WHERE display_name IS NULL;

UPDATE projects SET owner_id = account_id;

ALTER TABLE projects ADD CONSTRAINT fk_projects_owner_id_accounts FOREIGN KEY(owner_id) REFERENCES accounts (id) ON DELETE SET NULL;

ALTER TABLE accounts ADD CONSTRAINT uq_accounts_display_name UNIQUE (display_name);

ALTER TABLE projects ADD CONSTRAINT ck_projects_slug_nonempty CHECK (slug <> '');

UPDATE retort_version SET version_num='0e9b6a4c2d57' WHERE retort_version.version_num = 'c5d17e3a9f42';

