-- args: downgrade 7a1b2c3d4e05:7a1b2c3d4e04 --sql
-- exit: 0
BEGIN;

-- Running downgrade 7a1b2c3d4e05 -> 7a1b2c3d4e04

UPDATE public.tasks SET estimate = estimate - 1;

COMMIT;

DROP INDEX CONCURRENTLY public.ix_tasks_estimate;

BEGIN;

UPDATE alembic_version SET version_num='7a1b2c3d4e04' WHERE alembic_version.version_num = '7a1b2c3d4e05';

COMMIT;

