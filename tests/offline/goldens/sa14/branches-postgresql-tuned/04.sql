-- args: downgrade 2a7f1e0b6c33:1d0c4e7a9b21 --sql
-- exit: 0
BEGIN;

-- Running downgrade 2a7f1e0b6c33 -> 1d0c4e7a9b21

DROP TABLE tags;

UPDATE retort_version SET version_num='1d0c4e7a9b21' WHERE retort_version.version_num = '2a7f1e0b6c33';

COMMIT;

