-- args: downgrade 4b8c0a3f1d55:1d0c4e7a9b21 --sql
-- exit: 0
-- Running downgrade 4b8c0a3f1d55 -> 1d0c4e7a9b21

DROP TABLE item_tags;

UPDATE alembic_version SET version_num='2a7f1e0b6c33' WHERE alembic_version.version_num = '4b8c0a3f1d55';

-- Running downgrade 2a7f1e0b6c33 -> 1d0c4e7a9b21

DROP TABLE tags;

UPDATE alembic_version SET version_num='1d0c4e7a9b21' WHERE alembic_version.version_num = '2a7f1e0b6c33';

