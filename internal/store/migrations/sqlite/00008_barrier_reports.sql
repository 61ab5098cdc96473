-- Readers' reports of barriers on the site, sent from the form of the
-- accessibility statement, and whether an administrator has handled them.
-- name and email are '' for an anonymous report; handled_at is NULL while
-- a report is open. handled_by is the actor's name, kept as text like the
-- audit trail's: the record outlives the account.

-- +goose Up
CREATE TABLE barrier_reports (
    id            INTEGER PRIMARY KEY,
    page          TEXT NOT NULL DEFAULT '',
    description   TEXT NOT NULL,
    name          TEXT NOT NULL DEFAULT '',
    email         TEXT NOT NULL DEFAULT '',
    wants_answer  BOOLEAN NOT NULL DEFAULT FALSE,
    language      TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    handled_at    TIMESTAMP,
    handled_by    TEXT NOT NULL DEFAULT '',
    handled_by_id INTEGER,
    note          TEXT NOT NULL DEFAULT ''
);
-- The admin list: open reports first, newest first.
CREATE INDEX barrier_reports_open ON barrier_reports ((handled_at IS NULL), created_at);

-- +goose Down
DROP TABLE barrier_reports;
