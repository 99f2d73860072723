-- args: upgrade base:9d3e4f5a6b01 --sql
-- exit: 0
CREATE TABLE alembic_version (
    version_num VARCHAR(32) NOT NULL, 
    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);

-- Running upgrade  -> 9d3e4f5a6b01

CREATE TABLE teams (
    id INTEGER NOT NULL, 
    name VARCHAR(30) NOT NULL, 
    PRIMARY KEY (id)
);

CREATE TABLE people (
    id INTEGER NOT NULL, 
    name VARCHAR(50) NOT NULL, 
    nickname VARCHAR(50), 
    age INTEGER, 
    email VARCHAR(100), 
    team_id INTEGER, 
    PRIMARY KEY (id), 
    CONSTRAINT fk_people_team_id_teams FOREIGN KEY(team_id) REFERENCES teams (id)
);

CREATE INDEX ix_people_email ON people (email);

INSERT INTO teams (id, name) VALUES (1, 'core'), (2, 'infra');

INSERT INTO people (id, name, nickname, age, email, team_id) VALUES (1, 'Ada', 'countess', 36, 'ada@example.com', 1), (2, 'Alan', NULL, 41, 'alan@example.com', 2), (3, 'Kay', 'K', 29, NULL, NULL);

INSERT INTO alembic_version (version_num) VALUES ('9d3e4f5a6b01');

