-- args: upgrade c5d17e3a9f42:0e9b6a4c2d57 --sql
-- exit: 0
-- Running upgrade c5d17e3a9f42 -> 0e9b6a4c2d57

UPDATE accounts SET display_name = 'Grace' WHERE display_name IS NULL;

UPDATE projects SET owner_id = account_id;

UPDATE alembic_version SET version_num='0e9b6a4c2d57' WHERE alembic_version.version_num = 'c5d17e3a9f42';

