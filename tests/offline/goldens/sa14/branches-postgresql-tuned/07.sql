-- args: upgrade 4b8c0a3f1d55:5c9d1b4e2f66 --sql
-- exit: 0
BEGIN;

-- Running upgrade 4b8c0a3f1d55 -> 5c9d1b4e2f66

CREATE INDEX ix_items_name ON items (name);

UPDATE retort_version SET version_num='5c9d1b4e2f66' WHERE retort_version.version_num = '4b8c0a3f1d55';

COMMIT;

