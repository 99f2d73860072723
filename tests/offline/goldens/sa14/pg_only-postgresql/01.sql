-- args: upgrade base:7a1b2c3d4e01 --sql
-- exit: 0
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

COMMIT;

