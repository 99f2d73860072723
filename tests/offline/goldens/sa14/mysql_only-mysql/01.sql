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
    body TEXT, 
    views INTEGER NOT NULL DEFAULT '0', 
    PRIMARY KEY (id)
)COMMENT='Published writing' ENGINE=InnoDB CHARSET=utf8mb4 COLLATE utf8mb4_unicode_ci;

INSERT INTO articles (headline, state, body) VALUES ('Hello', 'live', 'First post'), ('Draft été', DEFAULT, NULL), ('Old', 'archived', '');

INSERT INTO alembic_version (version_num) VALUES ('8c2d3e4f5a01');

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

