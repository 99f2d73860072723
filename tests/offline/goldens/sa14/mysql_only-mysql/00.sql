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
    body TEXT, 
    views INTEGER NOT NULL DEFAULT '0', 
    PRIMARY KEY (id)
)COMMENT='Published writing' ENGINE=InnoDB CHARSET=utf8mb4 COLLATE utf8mb4_unicode_ci;

INSERT INTO articles (headline, state, body) VALUES ('Hello', 'live', 'First post'), ('Draft été', DEFAULT, NULL), ('Old', 'archived', '');

INSERT INTO alembic_version (version_num) VALUES ('8c2d3e4f5a01');

-- Running upgrade 8c2d3e4f5a01 -> 8c2d3e4f5a02

UPDATE articles SET headline = '(untitled)' WHERE headline IS NULL;

ALTER TABLE articles MODIFY headline VARCHAR(50) NOT NULL;

ALTER TABLE articles MODIFY headline VARCHAR(120) NOT NULL;

ALTER TABLE articles CHANGE views view_count INTEGER NOT NULL DEFAULT '0';

ALTER TABLE articles ALTER COLUMN state SET DEFAULT 'live';

ALTER TABLE articles MODIFY body TEXT NULL COMMENT 'Markdown';

UPDATE alembic_version SET version_num='8c2d3e4f5a02' WHERE alembic_version.version_num = '8c2d3e4f5a01';

-- Running upgrade 8c2d3e4f5a02 -> 8c2d3e4f5a03

CREATE TABLE legacy_tags (
    id INTEGER UNSIGNED NOT NULL AUTO_INCREMENT, 
    article_id INTEGER NOT NULL, 
    tag VARCHAR(30) CHARACTER SET latin1 NOT NULL, 
    weight TINYINT(3) NOT NULL DEFAULT 1, 
    PRIMARY KEY (id), 
    CONSTRAINT fk_legacy_tags_article FOREIGN KEY(article_id) REFERENCES articles (id) ON DELETE CASCADE
)ENGINE=InnoDB CHARSET=latin1;

CREATE INDEX ix_legacy_tags_tag ON legacy_tags (tag(10));

INSERT INTO legacy_tags (id, article_id, tag) VALUES (1, 1, 'intro'), (2, 1, 'news');

UPDATE alembic_version SET version_num='8c2d3e4f5a03' WHERE alembic_version.version_num = '8c2d3e4f5a02';

-- alternative output (Alembic orders this step by a Python set):
CREATE TABLE alembic_version (
    version_num VARCHAR(32) NOT NULL, 
    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);

-- Running upgrade  -> 8c2d3e4f5a01

CREATE TABLE articles (
    id INTEGER NOT NULL AUTO_INCREMENT, 
    headline VARCHAR(50), 
    state ENUM('draft','live','archived') NOT NULL DEFAULT 'draft', 
    body TEXT, 
    views INTEGER NOT NULL DEFAULT '0', 
    PRIMARY KEY (id)
)CHARSET=utf8mb4 ENGINE=InnoDB COMMENT='Published writing' COLLATE utf8mb4_unicode_ci;

INSERT INTO articles (headline, state, body) VALUES ('Hello', 'live', 'First post'), ('Draft été', DEFAULT, NULL), ('Old', 'archived', '');

INSERT INTO alembic_version (version_num) VALUES ('8c2d3e4f5a01');

-- Running upgrade 8c2d3e4f5a01 -> 8c2d3e4f5a02

UPDATE articles SET headline = '(untitled)' WHERE headline IS NULL;

ALTER TABLE articles MODIFY headline VARCHAR(50) NOT NULL;

ALTER TABLE articles MODIFY headline VARCHAR(120) NOT NULL;

ALTER TABLE articles CHANGE views view_count INTEGER NOT NULL DEFAULT '0';

ALTER TABLE articles ALTER COLUMN state SET DEFAULT 'live';

ALTER TABLE articles MODIFY body TEXT NULL COMMENT 'Markdown';

UPDATE alembic_version SET version_num='8c2d3e4f5a02' WHERE alembic_version.version_num = '8c2d3e4f5a01';

-- Running upgrade 8c2d3e4f5a02 -> 8c2d3e4f5a03

CREATE TABLE legacy_tags (
    id INTEGER UNSIGNED NOT NULL AUTO_INCREMENT, 
    article_id INTEGER NOT NULL, 
    tag VARCHAR(30) CHARACTER SET latin1 NOT NULL, 
    weight TINYINT(3) NOT NULL DEFAULT 1, 
    PRIMARY KEY (id), 
    CONSTRAINT fk_legacy_tags_article FOREIGN KEY(article_id) REFERENCES articles (id) ON DELETE CASCADE
)CHARSET=latin1 ENGINE=InnoDB;

CREATE INDEX ix_legacy_tags_tag ON legacy_tags (tag(10));

INSERT INTO legacy_tags (id, article_id, tag) VALUES (1, 1, 'intro'), (2, 1, 'news');

UPDATE alembic_version SET version_num='8c2d3e4f5a03' WHERE alembic_version.version_num = '8c2d3e4f5a02';

-- alternative output (Alembic orders this step by a Python set):
CREATE TABLE alembic_version (
    version_num VARCHAR(32) NOT NULL, 
    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);

-- Running upgrade  -> 8c2d3e4f5a01

CREATE TABLE articles (
    id INTEGER NOT NULL AUTO_INCREMENT, 
    headline VARCHAR(50), 
    state ENUM('draft','live','archived') NOT NULL DEFAULT 'draft', 
    body TEXT, 
    views INTEGER NOT NULL DEFAULT '0', 
    PRIMARY KEY (id)
)ENGINE=InnoDB CHARSET=utf8mb4 COMMENT='Published writing' COLLATE utf8mb4_unicode_ci;

INSERT INTO articles (headline, state, body) VALUES ('Hello', 'live', 'First post'), ('Draft été', DEFAULT, NULL), ('Old', 'archived', '');

INSERT INTO alembic_version (version_num) VALUES ('8c2d3e4f5a01');

-- Running upgrade 8c2d3e4f5a01 -> 8c2d3e4f5a02

UPDATE articles SET headline = '(untitled)' WHERE headline IS NULL;

ALTER TABLE articles MODIFY headline VARCHAR(50) NOT NULL;

ALTER TABLE articles MODIFY headline VARCHAR(120) NOT NULL;

ALTER TABLE articles CHANGE views view_count INTEGER NOT NULL DEFAULT '0';

ALTER TABLE articles ALTER COLUMN state SET DEFAULT 'live';

ALTER TABLE articles MODIFY body TEXT NULL COMMENT 'Markdown';

UPDATE alembic_version SET version_num='8c2d3e4f5a02' WHERE alembic_version.version_num = '8c2d3e4f5a01';

-- Running upgrade 8c2d3e4f5a02 -> 8c2d3e4f5a03

CREATE TABLE legacy_tags (
    id INTEGER UNSIGNED NOT NULL AUTO_INCREMENT, 
    article_id INTEGER NOT NULL, 
    tag VARCHAR(30) CHARACTER SET latin1 NOT NULL, 
    weight TINYINT(3) NOT NULL DEFAULT 1, 
    PRIMARY KEY (id), 
    CONSTRAINT fk_legacy_tags_article FOREIGN KEY(article_id) REFERENCES articles (id) ON DELETE CASCADE
)ENGINE=InnoDB CHARSET=latin1;

CREATE INDEX ix_legacy_tags_tag ON legacy_tags (tag(10));

INSERT INTO legacy_tags (id, article_id, tag) VALUES (1, 1, 'intro'), (2, 1, 'news');

UPDATE alembic_version SET version_num='8c2d3e4f5a03' WHERE alembic_version.version_num = '8c2d3e4f5a02';

-- alternative output (Alembic orders this step by a Python set):
CREATE TABLE alembic_version (
    version_num VARCHAR(32) NOT NULL, 
    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);

-- Running upgrade  -> 8c2d3e4f5a01

CREATE TABLE articles (
    id INTEGER NOT NULL AUTO_INCREMENT, 
    headline VARCHAR(50), 
    state ENUM('draft','live','archived') NOT NULL DEFAULT 'draft', 
    body TEXT, 
    views INTEGER NOT NULL DEFAULT '0', 
    PRIMARY KEY (id)
)COMMENT='Published writing' CHARSET=utf8mb4 ENGINE=InnoDB COLLATE utf8mb4_unicode_ci;

INSERT INTO articles (headline, state, body) VALUES ('Hello', 'live', 'First post'), ('Draft été', DEFAULT, NULL), ('Old', 'archived', '');

INSERT INTO alembic_version (version_num) VALUES ('8c2d3e4f5a01');

-- Running upgrade 8c2d3e4f5a01 -> 8c2d3e4f5a02

UPDATE articles SET headline = '(untitled)' WHERE headline IS NULL;

ALTER TABLE articles MODIFY headline VARCHAR(50) NOT NULL;

ALTER TABLE articles MODIFY headline VARCHAR(120) NOT NULL;

ALTER TABLE articles CHANGE views view_count INTEGER NOT NULL DEFAULT '0';

ALTER TABLE articles ALTER COLUMN state SET DEFAULT 'live';

ALTER TABLE articles MODIFY body TEXT NULL COMMENT 'Markdown';

UPDATE alembic_version SET version_num='8c2d3e4f5a02' WHERE alembic_version.version_num = '8c2d3e4f5a01';

-- Running upgrade 8c2d3e4f5a02 -> 8c2d3e4f5a03

CREATE TABLE legacy_tags (
    id INTEGER UNSIGNED NOT NULL AUTO_INCREMENT, 
    article_id INTEGER NOT NULL, 
    tag VARCHAR(30) CHARACTER SET latin1 NOT NULL, 
    weight TINYINT(3) NOT NULL DEFAULT 1, 
    PRIMARY KEY (id), 
    CONSTRAINT fk_legacy_tags_article FOREIGN KEY(article_id) REFERENCES articles (id) ON DELETE CASCADE
)CHARSET=latin1 ENGINE=InnoDB;

CREATE INDEX ix_legacy_tags_tag ON legacy_tags (tag(10));

INSERT INTO legacy_tags (id, article_id, tag) VALUES (1, 1, 'intro'), (2, 1, 'news');

UPDATE alembic_version SET version_num='8c2d3e4f5a03' WHERE alembic_version.version_num = '8c2d3e4f5a02';

