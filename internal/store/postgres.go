package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"runtime"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"

	"github.com/inkludera/inkludera/internal/strategy"
)

// The PostgreSQL side of the store. Several servers may share one database,
// so what one process could keep in memory lives in the database here:
// writes are serialised by an advisory lock, a write tells the other
// servers through NOTIFY, and a job that must run on one server only holds
// a session advisory lock (exclusive.go).

// contentChannel is the NOTIFY channel of content changes; the payload is
// the schema, so that several Inkludera databases in schemas of one
// PostgreSQL database (the tests') do not wake each other.
const contentChannel = "inkludera_content"

var postgresDialect = dialect{
	name:       "postgres",
	goose:      goose.DialectPostgres,
	migrations: "postgres",
	timeArg:    func(t time.Time) any { return t.UTC() },
	// A transaction has an id once it has written, and only then.
	writeMark: func(ctx context.Context, tx *sql.Tx) (int64, error) {
		var wrote bool
		if err := tx.QueryRowContext(ctx, `SELECT pg_current_xact_id_if_assigned() IS NOT NULL`).Scan(&wrote); err != nil {
			return 0, strategy.Internal(err, "asking whether the transaction wrote")
		}
		if wrote {
			return 1, nil
		}
		return 0, nil
	},
	// Every write transaction of every server on the database takes the
	// same lock, held until commit or rollback: what an edit read (a
	// revision) stays true until it writes, as with SQLite's one writer.
	beginWrite: func(ctx context.Context, tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtextextended(current_schema() || '/write', 0))`); err != nil {
			return strategy.Internal(err, "waiting for the write lock")
		}
		return nil
	},
	// Delivered at commit, to every server listening (notify.go).
	afterWrite: func(ctx context.Context, tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `SELECT pg_notify('`+contentChannel+`', current_schema())`); err != nil {
			return strategy.Internal(err, "notifying the other servers")
		}
		return nil
	},
}

// pgState is what a PostgreSQL store keeps besides its pools.
type pgState struct {
	url    string // as given, for the listener's own connection
	schema string // current_schema() of the store's connections
	notify *notifier
}

// openPostgres opens a PostgreSQL store: a reader pool whose connections
// are read-only, a writer pool, and the schema brought up to date.
func openPostgres(ctx context.Context, dsn string) (*Store, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return nil, strategy.Errorf(strategy.CodeInvalid, "the PostgreSQL URL does not parse: %v", redactErr(err, dsn))
	}
	if u.Path == "" || u.Path == "/" {
		return nil, strategy.Errorf(strategy.CodeInvalid, "the PostgreSQL URL %s names no database (postgres://USER:PASSWORD@HOST/DATABASE)", redact(u))
	}
	w, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, strategy.Internal(err, "opening "+redact(u))
	}
	w.SetMaxOpenConns(8)
	w.SetMaxIdleConns(4)
	w.SetConnMaxIdleTime(5 * time.Minute)
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, &strategy.Error{Code: strategy.CodeInternal,
			Message: "cannot connect to PostgreSQL at " + redact(u), Err: errors.New(redactErr(err, dsn))}
	}
	var schema string
	if err := w.QueryRowContext(ctx, `SELECT current_schema()`).Scan(&schema); err != nil || schema == "" {
		w.Close()
		return nil, strategy.Errorf(strategy.CodeInvalid,
			"PostgreSQL at %s has no schema to create tables in: check the search_path parameter", redact(u))
	}
	if err := migrate(ctx, w, postgresDialect); err != nil {
		w.Close()
		return nil, err
	}

	// Readers are read-only connections: a write slipping into the read
	// pool would bypass the write lock.
	q := u.Query()
	q.Set("default_transaction_read_only", "on")
	ru := *u
	ru.RawQuery = q.Encode()
	r, err := sql.Open("pgx", ru.String())
	if err != nil {
		w.Close()
		return nil, strategy.Internal(err, "opening "+redact(u))
	}
	n := max(4, runtime.GOMAXPROCS(0))
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	r.SetConnMaxIdleTime(5 * time.Minute)
	if err := r.PingContext(ctx); err != nil {
		w.Close()
		r.Close()
		return nil, strategy.Internal(err, "opening "+redact(u))
	}
	pg := &pgState{url: dsn, schema: schema}
	pg.notify = newNotifier(dsn, schema)
	return &Store{w: w, r: r, rs: newStmtCache(r), d: postgresDialect, pg: pg}, nil
}

// Redact returns dsn fit for messages and logs: a PostgreSQL URL without
// its password; an SQLite path as it is.
func Redact(dsn string) string {
	if !IsPostgres(dsn) {
		return dsn
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "postgres://(a URL that does not parse)"
	}
	return redact(u)
}

// redact gives a URL without its password, for messages and logs.
func redact(u *url.URL) string {
	return u.Redacted()
}

// redactErr is err's text with the password of dsn replaced, as drivers
// may quote the connection string.
func redactErr(err error, dsn string) string {
	msg := err.Error()
	if u, perr := url.Parse(dsn); perr == nil && u.User != nil {
		if p, ok := u.User.Password(); ok && p != "" {
			msg = strings.ReplaceAll(msg, p, "xxxxx")
		}
	}
	return msg
}

// pgConnOf returns the pgx connection under a database/sql driver
// connection (conn.Raw).
func pgConnOf(dc any) (*stdlib.Conn, error) {
	c, ok := dc.(*stdlib.Conn)
	if !ok {
		return nil, fmt.Errorf("the driver connection %T is not pgx's", dc)
	}
	return c, nil
}
