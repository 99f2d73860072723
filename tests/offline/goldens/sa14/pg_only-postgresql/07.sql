-- args: upgrade 7a1b2c3d4e03:7a1b2c3d4e04 --sql
-- exit: 0
BEGIN;

-- Running upgrade 7a1b2c3d4e03 -> 7a1b2c3d4e04

ALTER TABLE public.tasks ALTER COLUMN estimate TYPE INTEGER USING estimate::integer;

ALTER TABLE public.tasks ALTER COLUMN title TYPE VARCHAR(200);

COMMENT ON TABLE public.tasks IS 'Work items';

UPDATE alembic_version SET version_num='7a1b2c3d4e04' WHERE alembic_version.version_num = '7a1b2c3d4e03';

COMMIT;

