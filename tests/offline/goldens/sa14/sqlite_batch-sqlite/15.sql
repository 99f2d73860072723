-- args: upgrade 9d3e4f5a6b07:9d3e4f5a6b08 --sql
-- exit: 0
-- Running upgrade 9d3e4f5a6b07 -> 9d3e4f5a6b08

ALTER TABLE entries ADD COLUMN amount INTEGER DEFAULT '0' NOT NULL;

CREATE INDEX ix_entries_amount ON entries (amount);

ALTER TABLE entries ADD COLUMN posted BOOLEAN;

UPDATE alembic_version SET version_num='9d3e4f5a6b08' WHERE alembic_version.version_num = '9d3e4f5a6b07';

