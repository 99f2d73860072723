-- args: upgrade 7a1b2c3d4e04:7a1b2c3d4e05 --sql
-- exit: 0
BEGIN;

-- Running upgrade 7a1b2c3d4e04 -> 7a1b2c3d4e05

UPDATE public.tasks SET estimate = 3 WHERE estimate IS NULL;

COMMIT;

CREATE INDEX CONCURRENTLY ix_tasks_estimate ON public.tasks (estimate);

BEGIN;

UPDATE public.tasks SET estimate = estimate + 1;

UPDATE alembic_version SET version_num='7a1b2c3d4e05' WHERE alembic_version.version_num = '7a1b2c3d4e04';

COMMIT;

