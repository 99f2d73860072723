-- args: downgrade 7a1b2c3d4e06:base --sql
-- exit: 0
BEGIN;

-- Running downgrade 7a1b2c3d4e06 -> 7a1b2c3d4e05

ALTER TABLE public.tasks DROP COLUMN mood;

DROP TYPE task_mood;

UPDATE public.tasks SET estimate = estimate - 10;

UPDATE alembic_version SET version_num='7a1b2c3d4e05' WHERE alembic_version.version_num = '7a1b2c3d4e06';

-- Running downgrade 7a1b2c3d4e05 -> 7a1b2c3d4e04

UPDATE public.tasks SET estimate = estimate - 1;

COMMIT;

DROP INDEX CONCURRENTLY public.ix_tasks_estimate;

BEGIN;

UPDATE alembic_version SET version_num='7a1b2c3d4e04' WHERE alembic_version.version_num = '7a1b2c3d4e05';

-- Running downgrade 7a1b2c3d4e04 -> 7a1b2c3d4e03

COMMENT ON TABLE public.tasks IS NULL;

ALTER TABLE public.tasks ALTER COLUMN title TYPE TEXT;

ALTER TABLE public.tasks ALTER COLUMN estimate TYPE VARCHAR(10) USING estimate::varchar;

UPDATE alembic_version SET version_num='7a1b2c3d4e03' WHERE alembic_version.version_num = '7a1b2c3d4e04';

-- Running downgrade 7a1b2c3d4e03 -> 7a1b2c3d4e02

DROP TABLE events;

UPDATE alembic_version SET version_num='7a1b2c3d4e02' WHERE alembic_version.version_num = '7a1b2c3d4e03';

-- Running downgrade 7a1b2c3d4e02 -> 7a1b2c3d4e01

DROP INDEX public.ix_tasks_lower_title;

DROP INDEX public.ix_tasks_open;

DROP INDEX public.ix_tasks_payload;

ALTER TABLE public.tasks DROP COLUMN payload;

UPDATE alembic_version SET version_num='7a1b2c3d4e01' WHERE alembic_version.version_num = '7a1b2c3d4e02';

-- Running downgrade 7a1b2c3d4e01 -> 

DROP TABLE public.tasks;

DROP TYPE task_status;

DROP TYPE priority_level;

DELETE FROM alembic_version WHERE alembic_version.version_num = '7a1b2c3d4e01';

COMMIT;

