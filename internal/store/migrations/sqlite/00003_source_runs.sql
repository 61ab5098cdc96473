-- Runs of fetches from Kolada and SCB and of uploaded observation files:
-- what was asked, how it ended and what it changed. A run that stored data
-- is written in the same transaction as the data.

-- +goose Up
CREATE TABLE source_runs (
    id          INTEGER PRIMARY KEY,
    source      TEXT NOT NULL,
    scope       TEXT NOT NULL DEFAULT '',
    started_at  TIMESTAMP NOT NULL,
    finished_at TIMESTAMP NOT NULL,
    outcome     TEXT NOT NULL CHECK (outcome = 'ok' OR outcome = 'failed'),
    error       TEXT NOT NULL DEFAULT '',
    requests    INTEGER NOT NULL DEFAULT 0,
    added       INTEGER NOT NULL DEFAULT 0,
    changed     INTEGER NOT NULL DEFAULT 0,
    deleted     INTEGER NOT NULL DEFAULT 0,
    unchanged   INTEGER NOT NULL DEFAULT 0,
    warnings    TEXT
);
CREATE INDEX source_runs_source ON source_runs (source, started_at);

-- +goose Down
DROP TABLE source_runs;
