-- args: downgrade 7a1b2c3d4e02:7a1b2c3d4e01 --sql
-- exit: 0
BEGIN;

-- Running downgrade 7a1b2c3d4e02 -> 7a1b2c3d4e01

DROP INDEX public.ix_tasks_lower_title;

DROP INDEX public.ix_tasks_open;

DROP INDEX public.ix_tasks_payload;

ALTER TABLE public.tasks DROP COLUMN payload;

UPDATE alembic_version SET version_num='7a1b2c3d4e01' WHERE alembic_version.version_num = '7a1b2c3d4e02';

COMMIT;

