-- args: upgrade 2a7f1e0b6c33:3e5b9d2c7a44 --sql
-- exit: 0
BEGIN;

-- Running upgrade 2a7f1e0b6c33 -> 3e5b9d2c7a44

ALTER TABLE tags ADD COLUMN colour VARCHAR(7) DEFAULT '#000000' NOT NULL;

UPDATE retort_version SET version_num='3e5b9d2c7a44' WHERE retort_version.version_num = '2a7f1e0b6c33';

COMMIT;

