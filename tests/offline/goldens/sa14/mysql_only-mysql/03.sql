-- args: upgrade 8c2d3e4f5a01:8c2d3e4f5a02 --sql
-- exit: 0
-- Running upgrade 8c2d3e4f5a01 -> 8c2d3e4f5a02

UPDATE articles SET headline = '(untitled)' WHERE headline IS NULL;

ALTER TABLE articles MODIFY headline VARCHAR(50) NOT NULL;

ALTER TABLE articles MODIFY headline VARCHAR(120) NOT NULL;

ALTER TABLE articles CHANGE views view_count INTEGER NOT NULL DEFAULT '0';

ALTER TABLE articles ALTER COLUMN state SET DEFAULT 'live';

ALTER TABLE articles MODIFY body TEXT NULL COMMENT 'Markdown';

UPDATE alembic_version SET version_num='8c2d3e4f5a02' WHERE alembic_version.version_num = '8c2d3e4f5a01';

