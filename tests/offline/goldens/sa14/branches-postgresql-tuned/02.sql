-- args: downgrade 1d0c4e7a9b21:base --sql
-- exit: 0
BEGIN;

-- Running downgrade 1d0c4e7a9b21 -> 

DROP TABLE items;

DELETE FROM retort_version WHERE retort_version.version_num = '1d0c4e7a9b21';

COMMIT;

