-- args: downgrade 8c2d3e4f5a02:8c2d3e4f5a01 --sql
-- exit: 0
-- Running downgrade 8c2d3e4f5a02 -> 8c2d3e4f5a01

ALTER TABLE articles MODIFY `body` TEXT NULL;

ALTER TABLE articles ALTER COLUMN state SET DEFAULT 'draft';

ALTER TABLE articles CHANGE view_count views INTEGER NOT NULL DEFAULT '0';

ALTER TABLE articles MODIFY headline VARCHAR(50) NOT NULL;

ALTER TABLE articles MODIFY headline VARCHAR(50) NULL;

UPDATE articles SET headline = NULL WHERE headline = '(untitled)';

UPDATE alembic_version SET version_num='8c2d3e4f5a01' WHERE alembic_version.version_num = '8c2d3e4f5a02';

