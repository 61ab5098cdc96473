-- Approved follow-up reports, frozen: the report's content as JSON and
-- every rendering, each with its SHA-256. A new approval of the same
-- report is a new version; the superseded ones stay. Both tables are
-- append-only (triggers), so nothing the application does afterwards can
-- change what was approved. Organisations and documents are named by code
-- and key, not by foreign keys: an approved report outlives its document.

-- +goose Up
CREATE TABLE report_approvals (
    id             INTEGER PRIMARY KEY,
    org_code       TEXT NOT NULL,
    document_key   TEXT NOT NULL,
    document_title TEXT NOT NULL,
    year           INTEGER NOT NULL,
    since          INTEGER NOT NULL DEFAULT 0,
    version        INTEGER NOT NULL,
    decision       TEXT NOT NULL,
    decided_on     DATE,
    approved_by    TEXT NOT NULL,
    approved_by_id INTEGER,
    approved_at    TIMESTAMP NOT NULL,
    UNIQUE (org_code, document_key, year, since, version)
);
CREATE INDEX report_approvals_org ON report_approvals (org_code, year);

CREATE TABLE report_files (
    approval_id INTEGER NOT NULL REFERENCES report_approvals (id),
    position    INTEGER NOT NULL,
    format      TEXT NOT NULL,
    name        TEXT NOT NULL,
    media_type  TEXT NOT NULL,
    size        INTEGER NOT NULL,
    sha256      TEXT NOT NULL,
    content     BLOB NOT NULL,
    PRIMARY KEY (approval_id, format)
);

-- +goose StatementBegin
CREATE TRIGGER report_approvals_no_update BEFORE UPDATE ON report_approvals
BEGIN
    SELECT RAISE(ABORT, 'report_approvals is append-only');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER report_approvals_no_delete BEFORE DELETE ON report_approvals
BEGIN
    SELECT RAISE(ABORT, 'report_approvals is append-only');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER report_files_no_update BEFORE UPDATE ON report_files
BEGIN
    SELECT RAISE(ABORT, 'report_files is append-only');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER report_files_no_delete BEFORE DELETE ON report_files
BEGIN
    SELECT RAISE(ABORT, 'report_files is append-only');
END;
-- +goose StatementEnd

-- +goose Down
DROP TABLE report_files;
DROP TABLE report_approvals;
