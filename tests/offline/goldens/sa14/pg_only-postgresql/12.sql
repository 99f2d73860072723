-- args: downgrade 7a1b2c3d4e06:7a1b2c3d4e05 --sql
-- exit: 0
BEGIN;

-- Running downgrade 7a1b2c3d4e06 -> 7a1b2c3d4e05

ALTER TABLE public.tasks DROP COLUMN mood;

DROP TYPE task_mood;

UPDATE public.tasks SET estimate = estimate - 10;

UPDATE alembic_version SET version_num='7a1b2c3d4e05' WHERE alembic_version.version_num = '7a1b2c3d4e06';

COMMIT;

