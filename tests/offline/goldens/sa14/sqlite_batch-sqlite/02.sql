-- args: downgrade 9d3e4f5a6b01:base --sql
-- exit: 0
-- Running downgrade 9d3e4f5a6b01 -> 

DROP INDEX ix_people_email;

DROP TABLE people;

DROP TABLE teams;

DELETE FROM alembic_version WHERE alembic_version.version_num = '9d3e4f5a6b01';

