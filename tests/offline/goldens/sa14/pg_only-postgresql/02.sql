-- args: downgrade 7a1b2c3d4e01:base --sql
-- exit: 0
BEGIN;

-- Running downgrade 7a1b2c3d4e01 -> 

DROP TABLE public.tasks;

DROP TYPE task_status;

DROP TYPE priority_level;

DELETE FROM alembic_version WHERE alembic_version.version_num = '7a1b2c3d4e01';

COMMIT;

