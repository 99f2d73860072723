-- args: downgrade 8c2d3e4f5a01:base --sql
-- exit: 0
-- Running downgrade 8c2d3e4f5a01 -> 

DROP TABLE articles;

DELETE FROM alembic_version WHERE alembic_version.version_num = '8c2d3e4f5a01';

