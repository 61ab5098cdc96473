-- The strategy library (strategy.LibraryStore): documents of any
-- municipality as text, with metadata detected from the text and editable
-- afterwards, and each document's most related others.
--
-- hash is the SHA-256 of the document's normalised text, so the same text
-- added twice, under any file name, is recognised. terms is the document's
-- analysed term counts (search.EncodeTerms): related documents are
-- computed from them without analysing every text again. Organisations are
-- codes, not references: the library holds documents of kommuner that are
-- not stored otherwise. The full-text index itself is each engine's own:
-- bleve beside a SQLite file, the table library_search on PostgreSQL.

-- +goose Up
CREATE TABLE library_documents (
    id         INTEGER PRIMARY KEY,
    hash       TEXT NOT NULL UNIQUE,
    file_name  TEXT NOT NULL DEFAULT '',
    format     TEXT NOT NULL,
    title      TEXT NOT NULL,
    org_code   TEXT NOT NULL DEFAULT '',
    org_name   TEXT NOT NULL DEFAULT '',
    county     TEXT NOT NULL DEFAULT '',
    year       INTEGER,
    kind       TEXT NOT NULL DEFAULT '',
    adopted_by TEXT NOT NULL DEFAULT '',
    adopted_on DATE,
    pages      INTEGER NOT NULL DEFAULT 0,
    words      INTEGER NOT NULL DEFAULT 0,
    body       TEXT NOT NULL,
    terms      BLOB NOT NULL,
    added_by   TEXT NOT NULL DEFAULT '',
    added_at   TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    rev        INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX library_documents_org ON library_documents (org_code);

CREATE TABLE library_related (
    doc_id     INTEGER NOT NULL REFERENCES library_documents (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    related_id INTEGER NOT NULL REFERENCES library_documents (id) ON DELETE CASCADE,
    score      REAL NOT NULL,
    PRIMARY KEY (doc_id, related_id)
);
CREATE INDEX library_related_related ON library_related (related_id);

-- +goose Down
DROP TABLE library_related;
DROP TABLE library_documents;
