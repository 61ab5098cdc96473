-- Editing through the application: revisions for optimistic locking, the
-- new fields of activities and action plans, follow-up notes, the audit
-- trail, server-side sessions, API tokens and follow-up periods.
--
-- rev is the stored revision of a row of a document's tree or of an
-- indicator: 1 when created, +1 whenever a write changes the row (an
-- unchanged row is not written). An edit names the revision it started
-- from; a different stored one is a conflict.

-- +goose Up
ALTER TABLE documents ADD COLUMN rev INTEGER NOT NULL DEFAULT 1;
ALTER TABLE areas ADD COLUMN rev INTEGER NOT NULL DEFAULT 1;
ALTER TABLE goals ADD COLUMN rev INTEGER NOT NULL DEFAULT 1;
ALTER TABLE targets ADD COLUMN rev INTEGER NOT NULL DEFAULT 1;
ALTER TABLE commitments ADD COLUMN rev INTEGER NOT NULL DEFAULT 1;
ALTER TABLE responsibilities ADD COLUMN rev INTEGER NOT NULL DEFAULT 1;
ALTER TABLE terms ADD COLUMN rev INTEGER NOT NULL DEFAULT 1;
ALTER TABLE action_plans ADD COLUMN rev INTEGER NOT NULL DEFAULT 1;
ALTER TABLE activities ADD COLUMN rev INTEGER NOT NULL DEFAULT 1;
ALTER TABLE indicators ADD COLUMN rev INTEGER NOT NULL DEFAULT 1;

-- How much of an activity is done, 0–100; NULL when not estimated.
ALTER TABLE activities ADD COLUMN progress INTEGER;
-- follow_up now holds an ISO date ('' = none). Free text stored before
-- ("2017-12", "i bokslutet") would no longer read as a date; rather than
-- lose it, it moves to the end of the description.
UPDATE activities
SET description = CASE WHEN description = '' THEN 'Uppföljning: ' || follow_up
                       ELSE description || char(10) || 'Uppföljning: ' || follow_up END,
    follow_up = ''
WHERE follow_up <> '' AND (date(follow_up) IS NULL OR date(follow_up) <> follow_up);

-- The decision that made a plan beslutad.
ALTER TABLE action_plans ADD COLUMN decision_reference TEXT NOT NULL DEFAULT '';
ALTER TABLE action_plans ADD COLUMN decided_on DATE;

-- Follow-up notes, written one at a time and never through a file, so an
-- import that keeps an activity keeps its notes. author is the name as it
-- was when written; author_id is the user (no foreign key: the name is
-- what the note shows, and a note by the CLI or the system has no user).
CREATE TABLE activity_notes (
    id          INTEGER PRIMARY KEY,
    activity_id INTEGER NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    written_on  DATE NOT NULL,
    text        TEXT NOT NULL,
    author_id   INTEGER,
    author      TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX activity_notes_activity ON activity_notes (activity_id);

-- The audit trail. Objects are named by kind, document key and key as
-- strategy.ObjectRef does, not by foreign keys: the record of a change
-- must outlive what it records, and a deleted document must not take its
-- history with it. before and after are JSON ('null' when the object did
-- not or no longer exists). The triggers make the table append-only.
CREATE TABLE audit_log (
    id              INTEGER PRIMARY KEY,
    at              TIMESTAMP NOT NULL,
    user_id         INTEGER,
    actor_name      TEXT NOT NULL,
    address         TEXT NOT NULL DEFAULT '',
    via             TEXT NOT NULL DEFAULT '',
    action          TEXT NOT NULL,
    object_kind     TEXT NOT NULL,
    object_document TEXT NOT NULL DEFAULT '',
    object_key      TEXT NOT NULL DEFAULT '',
    org_code        TEXT NOT NULL DEFAULT '',
    before          TEXT NOT NULL DEFAULT 'null',
    after           TEXT NOT NULL DEFAULT 'null'
);
CREATE INDEX audit_log_object ON audit_log (object_kind, object_document, object_key, id);
CREATE INDEX audit_log_org ON audit_log (org_code, id);
CREATE INDEX audit_log_user ON audit_log (user_id, id);

-- +goose StatementBegin
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
-- +goose StatementEnd

-- Server-side sessions; id is a hash of the session token.
CREATE TABLE sessions (
    id     TEXT PRIMARY KEY,
    data   BLOB NOT NULL,
    expiry TIMESTAMP NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expiry);

-- API tokens; only a hash of the secret is stored.
CREATE TABLE api_tokens (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    hash       TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    last_used  TIMESTAMP,
    revoked    BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- Follow-up periods: one per organisation and year, with a deadline per
-- body. document_key names the strategy followed up ('' = none).
CREATE TABLE follow_up_periods (
    id           INTEGER PRIMARY KEY,
    org_code     TEXT NOT NULL REFERENCES organisations (code) ON DELETE CASCADE,
    year         INTEGER NOT NULL,
    title        TEXT NOT NULL,
    document_key TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL,
    rev          INTEGER NOT NULL DEFAULT 1,
    UNIQUE (org_code, year)
);

CREATE TABLE follow_up_deadlines (
    period_id   INTEGER NOT NULL REFERENCES follow_up_periods (id) ON DELETE CASCADE,
    body_id     INTEGER NOT NULL REFERENCES bodies (id),
    position    INTEGER NOT NULL,
    due         DATE NOT NULL,
    reported_at TIMESTAMP,
    reported_by TEXT NOT NULL DEFAULT '',
    approved_at TIMESTAMP,
    approved_by TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (period_id, body_id)
);

-- Reminders sent, so that nobody is reminded twice on one day. body_key is
-- plain text: the record stays what was sent.
CREATE TABLE reminders (
    id        INTEGER PRIMARY KEY,
    period_id INTEGER NOT NULL REFERENCES follow_up_periods (id) ON DELETE CASCADE,
    body_key  TEXT NOT NULL,
    email     TEXT NOT NULL,
    sent_at   TIMESTAMP NOT NULL
);
CREATE INDEX reminders_period ON reminders (period_id, sent_at);

-- +goose Down
DROP TABLE reminders;
DROP TABLE follow_up_deadlines;
DROP TABLE follow_up_periods;
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE audit_log;
DROP TABLE activity_notes;
ALTER TABLE action_plans DROP COLUMN decided_on;
ALTER TABLE action_plans DROP COLUMN decision_reference;
ALTER TABLE activities DROP COLUMN progress;
ALTER TABLE indicators DROP COLUMN rev;
ALTER TABLE activities DROP COLUMN rev;
ALTER TABLE action_plans DROP COLUMN rev;
ALTER TABLE terms DROP COLUMN rev;
ALTER TABLE responsibilities DROP COLUMN rev;
ALTER TABLE commitments DROP COLUMN rev;
ALTER TABLE targets DROP COLUMN rev;
ALTER TABLE goals DROP COLUMN rev;
ALTER TABLE areas DROP COLUMN rev;
ALTER TABLE documents DROP COLUMN rev;
