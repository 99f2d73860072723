-- args: upgrade 9d3e4f5a6b09:9d3e4f5a6b10 --sql
-- exit: 0
-- Running upgrade 9d3e4f5a6b09 -> 9d3e4f5a6b10

UPDATE alembic_version SET version_num='9d3e4f5a6b10' WHERE alembic_version.version_num = '9d3e4f5a6b09';

