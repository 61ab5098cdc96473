-- Translations of a document's and an indicator's texts into the content
-- languages (strategy.Translations): JSON, language → text path → text,
-- '{}' when there are none. One column rather than a table of texts: the
-- translations are read and written with their row, and a change of a
-- translation is a change of the document (or indicator) head, which the
-- row's rev and the audit trail must show.

-- +goose Up
ALTER TABLE documents ADD COLUMN translations TEXT NOT NULL DEFAULT '{}';
ALTER TABLE indicators ADD COLUMN translations TEXT NOT NULL DEFAULT '{}';

-- +goose Down
ALTER TABLE indicators DROP COLUMN translations;
ALTER TABLE documents DROP COLUMN translations;
