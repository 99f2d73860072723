-- args: downgrade a4c80f1d6e29:71fa3b8e05cd --sql
-- exit: 0
-- Running downgrade a4c80f1d6e29 -> 71fa3b8e05cd

UPDATE alembic_version SET version_num='71fa3b8e05cd' WHERE alembic_version.version_num = 'a4c80f1d6e29';

