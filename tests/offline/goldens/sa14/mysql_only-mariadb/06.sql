-- args: downgrade 8c2d3e4f5a03:8c2d3e4f5a02 --sql
-- exit: 0
-- Running downgrade 8c2d3e4f5a03 -> 8c2d3e4f5a02

DROP TABLE legacy_tags;

UPDATE alembic_version SET version_num='8c2d3e4f5a02' WHERE alembic_version.version_num = '8c2d3e4f5a03';

