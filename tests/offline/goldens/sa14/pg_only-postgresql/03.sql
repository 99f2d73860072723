-- args: upgrade 7a1b2c3d4e01:7a1b2c3d4e02 --sql
-- exit: 0
BEGIN;

-- Running upgrade 7a1b2c3d4e01 -> 7a1b2c3d4e02

ALTER TABLE public.tasks ADD COLUMN payload JSONB DEFAULT '{}'::jsonb NOT NULL;

UPDATE public.tasks SET payload = CAST('{"tags": ["a", "b"], "n": 1}' AS jsonb) WHERE id = 1;

CREATE INDEX ix_tasks_payload ON public.tasks USING gin (payload);

CREATE INDEX ix_tasks_open ON public.tasks (priority) WHERE NOT done;

CREATE INDEX ix_tasks_lower_title ON public.tasks (lower(title));

UPDATE alembic_version SET version_num='7a1b2c3d4e02' WHERE alembic_version.version_num = '7a1b2c3d4e01';

COMMIT;

