-- args: upgrade heads --sql
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

-- Running upgrade 8c2d3e4f5a01 -> 8c2d3e4f5a02

UPDATE articles SET headline = '(untitled)' WHERE headline IS NULL;

ALTER TABLE articles MODIFY headline VARCHAR(50) NOT NULL;

ALTER TABLE articles MODIFY headline VARCHAR(120) NOT NULL;

ALTER TABLE articles CHANGE views view_count INTEGER NOT NULL DEFAULT '0';

ALTER TABLE articles ALTER COLUMN state SET DEFAULT 'live';

ALTER TABLE articles MODIFY `body` TEXT NULL COMMENT 'Markdown';

UPDATE alembic_version SET version_num='8c2d3e4f5a02' WHERE alembic_version.version_num = '8c2d3e4f5a01';

-- Running upgrade 8c2d3e4f5a02 -> 8c2d3e4f5a03

CREATE TABLE legacy_tags (
    id INTEGER UNSIGNED NOT NULL AUTO_INCREMENT, 
    article_id INTEGER NOT NULL, 
    tag VARCHAR(30) CHARACTER SET latin1 NOT NULL, 
    weight TINYINT(3) NOT NULL DEFAULT 1, 
    PRIMARY KEY (id), 
    CONSTRAINT fk_legacy_tags_article FOREIGN KEY(article_id) REFERENCES articles (id) ON DELETE CASCADE
);

CREATE INDEX ix_legacy_tags_tag ON legacy_tags (tag);

INSERT INTO legacy_tags (id, article_id, tag) VALUES (1, 1, 'intro'), (2, 1, 'news');

UPDATE alembic_version SET version_num='8c2d3e4f5a03' WHERE alembic_version.version_num = '8c2d3e4f5a02';

