-- args: upgrade base:8c2d3e4f5a01 --sql
-- exit: 0
CREATE TABLE alembic_version (
    version_num VARCHAR(32) NOT NULL, 
    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);

-- Running upgrade  -> 8c2d3e4f5a01

CREATE TABLE articles (
    id INTEGER NOT NULL AUTO_INCREMENT, 
    headline VARCHAR(50), 
    state ENUM('draft','live','archived') NOT NULL DEFAULT 'draft', 
    `body` TEXT, 
    views INTEGER NOT NULL DEFAULT '0', 
    PRIMARY KEY (id)
);

INSERT INTO articles (headline, state, body) VALUES ('Hello', 'live', 'First post'), ('Draft été', DEFAULT, NULL), ('Old', 'archived', '');

INSERT INTO alembic_version (version_num) VALUES ('8c2d3e4f5a01');

