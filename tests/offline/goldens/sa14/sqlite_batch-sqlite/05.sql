-- args: upgrade 9d3e4f5a6b02:9d3e4f5a6b03 --sql
-- exit: 255
-- Running upgrade 9d3e4f5a6b02 -> 9d3e4f5a6b03

FAILED: This operation cannot proceed in --sql mode; batch mode with dialect sqlite requires a live database connection with which to reflect the table "people". To generate a batch SQL migration script using table "move and copy", a complete Table object should be passed to the "copy_from" argument of the batch_alter_table() method so that table reflection can be skipped.
