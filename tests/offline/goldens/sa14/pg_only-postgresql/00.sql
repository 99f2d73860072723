-- args: upgrade heads --sql
-- exit: 1
-- error: AttributeError: module 'sqlalchemy' has no attribute 'Uuid'
BEGIN;

CREATE TABLE alembic_version (
    version_num VARCHAR(32) NOT NULL, 
    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);

-- Running upgrade  -> 7a1b2c3d4e01

CREATE TYPE priority_level AS ENUM ('low', 'normal', 'high');

CREATE TYPE task_status AS ENUM ('new', 'doing', 'done');

CREATE TABLE public.tasks (
    id SERIAL NOT NULL, 
    title TEXT NOT NULL, 
    priority priority_level DEFAULT 'normal' NOT NULL, 
    done BOOLEAN DEFAULT false NOT NULL, 
    estimate VARCHAR(10), 
    status task_status DEFAULT 'new' NOT NULL, 
    PRIMARY KEY (id)
);

INSERT INTO public.tasks (id, title, priority, done, estimate) VALUES (1, 'write docs', 'high', false, '3'), (2, 'ship', 'low', true, '8'), (3, 'rest', 'normal', false, NULL);

INSERT INTO alembic_version (version_num) VALUES ('7a1b2c3d4e01') RETURNING alembic_version.version_num;

-- Running upgrade 7a1b2c3d4e01 -> 7a1b2c3d4e02

ALTER TABLE public.tasks ADD COLUMN payload JSONB DEFAULT '{}'::jsonb NOT NULL;

UPDATE public.tasks SET payload = CAST('{"tags": ["a", "b"], "n": 1}' AS jsonb) WHERE id = 1;

CREATE INDEX ix_tasks_payload ON public.tasks USING gin (payload);

CREATE INDEX ix_tasks_open ON public.tasks (priority) WHERE NOT done;

CREATE INDEX ix_tasks_lower_title ON public.tasks (lower(title));

UPDATE alembic_version SET version_num='7a1b2c3d4e02' WHERE alembic_version.version_num = '7a1b2c3d4e01';

-- Running upgrade 7a1b2c3d4e02 -> 7a1b2c3d4e03

