-- The strategy schema. Conventions, kept the same in the PostgreSQL folder:
--   * optional text is '' (NOT NULL DEFAULT ''); optional numbers, dates,
--     times and references are NULL. A missing observation value is NULL,
--     never 0.
--   * every ordered list has a position column (0, 1, …) within its parent so
--     that the order of the strategy file survives a round trip.
--   * lists of plain strings (audience, duties, goal keys of an activity,
--     body keys of a commitment, replaces, breakdowns) and the related
--     documents are JSON text; NULL when empty.
--   * references that matter are foreign keys: the body that adopted a
--     document, the indicator of a target, … Tree children cascade.
-- The PostgreSQL folder is to have the same version numbers, tables, columns
-- and defaults (a short observation INSERT relies on the defaults), with
-- its own types: BIGINT GENERATED ALWAYS AS IDENTITY for INTEGER PRIMARY
-- KEY, DOUBLE PRECISION for REAL, TIMESTAMPTZ for TIMESTAMP, and an index
-- on observations (org_code, indicator_id) if its planner wants one.

-- +goose Up
CREATE TABLE organisations (
    code   TEXT PRIMARY KEY,
    name   TEXT NOT NULL,
    kind   TEXT NOT NULL CHECK (kind IN ('kommun', 'region', 'riket')),
    county TEXT NOT NULL DEFAULT ''
);

CREATE TABLE bodies (
    id         INTEGER PRIMARY KEY,
    org_code   TEXT NOT NULL REFERENCES organisations (code) ON DELETE CASCADE,
    key        TEXT NOT NULL,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    parent_key TEXT,
    -- Bodies are only ever added, so position is the order of first import.
    position   INTEGER NOT NULL,
    UNIQUE (org_code, key),
    -- Deferred: a file may list a förvaltning before the nämnd it belongs to.
    FOREIGN KEY (org_code, parent_key) REFERENCES bodies (org_code, key) DEFERRABLE INITIALLY DEFERRED
);

CREATE TABLE indicators (
    -- id order is import order, which lists and exports keep.
    id          INTEGER PRIMARY KEY,
    key         TEXT NOT NULL UNIQUE,
    title       TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    unit        TEXT NOT NULL,
    polarity    TEXT NOT NULL,
    source      TEXT NOT NULL,
    breakdowns  TEXT
);

CREATE TABLE documents (
    id                            INTEGER PRIMARY KEY,
    key                           TEXT NOT NULL UNIQUE,
    org_code                      TEXT NOT NULL REFERENCES organisations (code) ON DELETE CASCADE,
    kind                          TEXT NOT NULL,
    title                         TEXT NOT NULL,
    subtitle                      TEXT NOT NULL DEFAULT '',
    identifier                    TEXT NOT NULL DEFAULT '',
    case_number                   TEXT NOT NULL DEFAULT '',
    version                       TEXT NOT NULL DEFAULT '',
    status                        TEXT NOT NULL,
    adopted_by                    INTEGER REFERENCES bodies (id),
    adopted_on                    DATE,
    adopted_paragraph             TEXT NOT NULL DEFAULT '',
    adopted_reference             TEXT NOT NULL DEFAULT '',
    valid_from                    DATE,
    valid_to                      DATE,
    follow_up_interval_years      INTEGER,
    follow_up_occasion            TEXT NOT NULL DEFAULT '',
    follow_up_report_to           INTEGER REFERENCES bodies (id),
    follow_up_deep_interval_years INTEGER,
    revision_due                  INTEGER,
    revision_condition            TEXT NOT NULL DEFAULT '',
    owner                         INTEGER REFERENCES bodies (id),
    responsible                   TEXT NOT NULL DEFAULT '',
    audience                      TEXT,
    replaces                      TEXT,
    related                       TEXT,
    summary                       TEXT NOT NULL DEFAULT '',
    description                   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX documents_org ON documents (org_code);

CREATE TABLE document_indicators (
    document_id  INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    indicator_id INTEGER NOT NULL REFERENCES indicators (id),
    PRIMARY KEY (document_id, position)
);

CREATE TABLE areas (
    id              INTEGER PRIMARY KEY,
    document_id     INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    key             TEXT NOT NULL,
    position        INTEGER NOT NULL,
    title           TEXT NOT NULL,
    description     TEXT NOT NULL DEFAULT '',
    prioritised     BOOLEAN NOT NULL DEFAULT FALSE,
    -- An area of another (often another organisation's) document, which
    -- need not be stored here: plain keys, no foreign key.
    parent_document TEXT,
    parent_area     TEXT,
    UNIQUE (document_id, key)
);

CREATE TABLE area_indicators (
    area_id      INTEGER NOT NULL REFERENCES areas (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    indicator_id INTEGER NOT NULL REFERENCES indicators (id),
    PRIMARY KEY (area_id, position)
);

CREATE TABLE goals (
    id             INTEGER PRIMARY KEY,
    document_id    INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    key            TEXT NOT NULL,
    -- A top-level goal hangs under its area, a sub-goal under its goal.
    area_id        INTEGER REFERENCES areas (id) ON DELETE CASCADE,
    parent_goal_id INTEGER REFERENCES goals (id) ON DELETE CASCADE,
    position       INTEGER NOT NULL,
    level          TEXT NOT NULL,
    title          TEXT NOT NULL,
    description    TEXT NOT NULL DEFAULT '',
    UNIQUE (document_id, key),
    CHECK ((area_id IS NULL) <> (parent_goal_id IS NULL))
);
CREATE INDEX goals_area ON goals (area_id);
CREATE INDEX goals_parent ON goals (parent_goal_id);

CREATE TABLE targets (
    id                     INTEGER PRIMARY KEY,
    document_id            INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    key                    TEXT NOT NULL,
    goal_id                INTEGER NOT NULL REFERENCES goals (id) ON DELETE CASCADE,
    position               INTEGER NOT NULL,
    wording                TEXT NOT NULL,
    kind                   TEXT NOT NULL,
    comparator             TEXT NOT NULL DEFAULT '',
    value                  REAL,
    unit                   TEXT NOT NULL DEFAULT '',
    base_year              INTEGER,
    base_value             REAL,
    target_year            INTEGER,
    indicator_id           INTEGER REFERENCES indicators (id),
    reference_indicator_id INTEGER REFERENCES indicators (id),
    gender                 TEXT NOT NULL DEFAULT '',
    UNIQUE (document_id, key)
);
CREATE INDEX targets_goal ON targets (goal_id);

CREATE TABLE commitments (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    key         TEXT NOT NULL,
    area_id     INTEGER REFERENCES areas (id) ON DELETE CASCADE,
    goal_id     INTEGER REFERENCES goals (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    wording     TEXT NOT NULL,
    bodies      TEXT,
    UNIQUE (document_id, key),
    CHECK ((area_id IS NULL) <> (goal_id IS NULL))
);
CREATE INDEX commitments_area ON commitments (area_id);
CREATE INDEX commitments_goal ON commitments (goal_id);

-- Responsibilities have no key of their own: a row belongs to the document
-- (area_id and goal_id NULL), to an area or to a goal.
CREATE TABLE responsibilities (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    area_id     INTEGER REFERENCES areas (id) ON DELETE CASCADE,
    goal_id     INTEGER REFERENCES goals (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    body_id     INTEGER NOT NULL REFERENCES bodies (id),
    role        TEXT NOT NULL,
    duties      TEXT,
    CHECK (area_id IS NULL OR goal_id IS NULL)
);
CREATE INDEX responsibilities_document ON responsibilities (document_id);
CREATE INDEX responsibilities_area ON responsibilities (area_id);
CREATE INDEX responsibilities_goal ON responsibilities (goal_id);

CREATE TABLE terms (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    key         TEXT NOT NULL,
    position    INTEGER NOT NULL,
    term        TEXT NOT NULL,
    definition  TEXT NOT NULL,
    UNIQUE (document_id, key)
);

CREATE TABLE action_plans (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    key         TEXT NOT NULL,
    position    INTEGER NOT NULL,
    body_id     INTEGER NOT NULL REFERENCES bodies (id),
    year        INTEGER NOT NULL,
    title       TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL,
    UNIQUE (document_id, key)
);

CREATE TABLE activities (
    id             INTEGER PRIMARY KEY,
    action_plan_id INTEGER NOT NULL REFERENCES action_plans (id) ON DELETE CASCADE,
    key            TEXT NOT NULL,
    position       INTEGER NOT NULL,
    target_group   TEXT NOT NULL,
    title          TEXT NOT NULL,
    description    TEXT NOT NULL DEFAULT '',
    timing         TEXT NOT NULL DEFAULT '',
    responsible    TEXT NOT NULL DEFAULT '',
    follow_up      TEXT NOT NULL DEFAULT '',
    goals          TEXT,
    status         TEXT NOT NULL,
    UNIQUE (action_plan_id, key)
);

-- Organisations of observations need not be stored: comparison series
-- (riket, neighbouring kommuner) come from Kolada and SCB without them.
-- WITHOUT ROWID keeps the rows in primary-key order with no second b-tree.
-- There is deliberately no index by organisation: it costs a third of the
-- insert rate, and queries by organisation seek the primary key once per
-- indicator instead (o.indicator_id IN (SELECT id FROM indicators)).
CREATE TABLE observations (
    indicator_id INTEGER NOT NULL REFERENCES indicators (id),
    org_code     TEXT NOT NULL,
    year         INTEGER NOT NULL,
    -- Not IN ('T', 'K', 'M'): SQLite builds a temporary b-tree for an IN
    -- list on every row inserted, which cost a tenth of the insert rate.
    gender       TEXT NOT NULL CHECK (gender = 'T' OR gender = 'K' OR gender = 'M'),
    value        REAL,
    status       TEXT NOT NULL DEFAULT '',
    preliminary  BOOLEAN NOT NULL DEFAULT FALSE,
    source       TEXT NOT NULL DEFAULT '',
    source_url   TEXT NOT NULL DEFAULT '',
    fetched_at   TIMESTAMP,
    PRIMARY KEY (indicator_id, org_code, year, gender)
) WITHOUT ROWID;

-- +goose Down
DROP TABLE observations;
DROP TABLE activities;
DROP TABLE action_plans;
DROP TABLE terms;
DROP TABLE responsibilities;
DROP TABLE commitments;
DROP TABLE targets;
DROP TABLE goals;
DROP TABLE area_indicators;
DROP TABLE areas;
DROP TABLE document_indicators;
DROP TABLE documents;
DROP TABLE indicators;
DROP TABLE bodies;
DROP TABLE organisations;
