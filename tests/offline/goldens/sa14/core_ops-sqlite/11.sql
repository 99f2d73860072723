-- args: upgrade 71fa3b8e05cd:a4c80f1d6e29 --sql
-- exit: 0
-- Running upgrade 71fa3b8e05cd -> a4c80f1d6e29

UPDATE alembic_version SET version_num='a4c80f1d6e29' WHERE alembic_version.version_num = '71fa3b8e05cd';

