-- args: downgrade d93e57b2a810:a4c80f1d6e29 --sql
-- exit: 0
BEGIN;

-- Running downgrade d93e57b2a810 -> a4c80f1d6e29

ALTER TABLE "order" DROP COLUMN "group";

DROP INDEX "ix_MixedCase_CamelColumn";

DROP TABLE "MixedCase";

DROP INDEX ix_order_user;

DROP TABLE "order";

UPDATE retort_version SET version_num='a4c80f1d6e29' WHERE retort_version.version_num = 'd93e57b2a810';

COMMIT;

