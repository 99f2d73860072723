-- args: downgrade 9d3e4f5a6b10:base --sql
-- exit: 255
-- Running downgrade 9d3e4f5a6b10 -> 9d3e4f5a6b09

DROP TABLE IF EXISTS _alembic_tmp_people;

DROP TABLE IF EXISTS _alembic_tmp_ledger;

UPDATE alembic_version SET version_num='9d3e4f5a6b09' WHERE alembic_version.version_num = '9d3e4f5a6b10';

-- Running downgrade 9d3e4f5a6b09 -> 9d3e4f5a6b08

FAILED: This operation cannot proceed in --sql mode; batch mode with dialect sqlite requires a live database connection with which to reflect the table "flags". To generate a batch SQL migration script using table "move and copy", a complete Table object should be passed to the "copy_from" argument of the batch_alter_table() method so that table reflection can be skipped.
