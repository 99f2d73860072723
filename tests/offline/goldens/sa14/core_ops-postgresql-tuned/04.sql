-- args: downgrade 8b24d0e6c913:3f1a9c2e7b01 --sql
-- exit: 0
BEGIN;

-- Running downgrade 8b24d0e6c913 -> 3f1a9c2e7b01

DROP INDEX ix_projects_account_name;

DROP INDEX ix_memberships_role;

DROP TABLE memberships;

UPDATE retort_version SET version_num='3f1a9c2e7b01' WHERE retort_version.version_num = '8b24d0e6c913';

COMMIT;

