-- args: downgrade 7a1b2c3d4e04:7a1b2c3d4e03 --sql
-- exit: 0
BEGIN;

-- Running downgrade 7a1b2c3d4e04 -> 7a1b2c3d4e03

COMMENT ON TABLE public.tasks IS NULL;

ALTER TABLE public.tasks ALTER COLUMN title TYPE TEXT;

ALTER TABLE public.tasks ALTER COLUMN estimate TYPE VARCHAR(10) USING estimate::varchar;

UPDATE alembic_version SET version_num='7a1b2c3d4e03' WHERE alembic_version.version_num = '7a1b2c3d4e04';

COMMIT;

