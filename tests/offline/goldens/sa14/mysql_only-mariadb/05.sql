-- args: upgrade 8c2d3e4f5a02:8c2d3e4f5a03 --sql
-- exit: 0
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

