-- The content version (Store.ContentVersion): one number that every write
-- transaction of the store raises just before it commits, so that a
-- server's page cache learns of changes other processes made (the CLI's
-- import and fetch, a second server) by reading one row. Not the audit
-- trail's highest id: an import of observations, organisations, bodies or
-- indicators records no audit entry. Not triggers on the content tables: a
-- row trigger on observations would slow storing a million of them, and a
-- table added later would be missed.

-- +goose Up
CREATE TABLE content_version (
    id      BIGINT PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO content_version (id, version) VALUES (1, 0);

-- +goose Down
DROP TABLE content_version;
