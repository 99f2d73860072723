-- args: upgrade a4c80f1d6e29:d93e57b2a810 --sql
-- exit: 1
-- error: sqlalchemy.exc.CompileError: No literal value renderer is available for literal value "'g1'" with datatype NULL
-- Running upgrade a4c80f1d6e29 -> d93e57b2a810

CREATE TABLE "order" (
    id INTEGER NOT NULL, 
    user VARCHAR(50) NOT NULL, 
    "select" INTEGER DEFAULT '1' NOT NULL, 
    account_id INTEGER, 
    PRIMARY KEY (id), 
    FOREIGN KEY(account_id) REFERENCES accounts (id)
);

CREATE INDEX ix_order_user ON "order" (user);

CREATE TABLE "MixedCase" (
    "Id" INTEGER NOT NULL, 
    "CamelColumn" VARCHAR(30), 
    order_id INTEGER, 
    PRIMARY KEY ("Id"), 
    CONSTRAINT "FK_MixedCase_Order" FOREIGN KEY(order_id) REFERENCES "order" (id)
);

CREATE UNIQUE INDEX "ix_MixedCase_CamelColumn" ON "MixedCase" ("CamelColumn");

INSERT INTO "order" (id, user, account_id) VALUES (1, 'o''brien', 1);

INSERT INTO "order" (id, user, "select", account_id) VALUES (2, 'percent % sign', 7, NULL);

ALTER TABLE "order" ADD COLUMN "group" VARCHAR(10);

