-- args: upgrade 7a1b2c3d4e05:7a1b2c3d4e06 --sql
-- exit: 0
BEGIN;

-- Running upgrade 7a1b2c3d4e05 -> 7a1b2c3d4e06

UPDATE public.tasks SET estimate = estimate + 10;

CREATE TYPE task_mood AS ENUM ('calm', 'busy');

ALTER TABLE public.tasks ADD COLUMN mood task_mood DEFAULT 'calm' NOT NULL;

UPDATE alembic_version SET version_num='7a1b2c3d4e06' WHERE alembic_version.version_num = '7a1b2c3d4e05';

COMMIT;

