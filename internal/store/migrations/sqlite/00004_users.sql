-- Accounts. The password hash is an argon2id PHC string, '' for an account
-- without a local password (one that signs in through OpenID Connect).
-- org_code and body_key follow the role (see strategy.User): '' where the
-- role has none. They are checked against organisations and bodies when a
-- user is created rather than by foreign keys, so that the message can name
-- the field. An OpenID Connect account is identified by issuer and subject;
-- both are '' for a local account.
--
-- E-mail addresses are unique regardless of case: lookups compare
-- lower(email) with lower($1), which this index serves. SQLite's lower()
-- folds ASCII only, PostgreSQL's the whole of Unicode; each engine is
-- consistent with itself.

-- +goose Up
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    email         TEXT NOT NULL,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'samordnare', 'namndredaktor', 'lasare')),
    org_code      TEXT NOT NULL DEFAULT '',
    body_key      TEXT NOT NULL DEFAULT '',
    disabled      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    TIMESTAMP NOT NULL,
    issuer        TEXT NOT NULL DEFAULT '',
    subject       TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX users_email ON users (lower(email));
CREATE UNIQUE INDEX users_identity ON users (issuer, subject) WHERE issuer <> '';

-- +goose Down
DROP TABLE users;
