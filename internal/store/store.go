// Package store keeps Inkludera's strategies in a SQL database through
// database/sql: an SQLite file, or PostgreSQL when several servers share
// one database. Both engines run the same SQL text ($1..$n binds, ON
// CONFLICT, RETURNING, IS DISTINCT FROM); what differs lives in the small
// dialect struct, in the per-engine migrations folder and in how new
// observations are bulk-written (a virtual table in SQLite, COPY in
// PostgreSQL).
//
// Write transactions are serialised: in SQLite they go through one
// connection, so imports never meet SQLITE_BUSY from each other; in
// PostgreSQL each takes a transaction-level advisory lock first, so that
// the check-then-write of an edit (the revision compare) behaves exactly as
// in SQLite, across every server on the database. Reads use a separate
// bounded pool and see the last committed state.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/pressly/goose/v3"
	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/inkludera/inkludera/internal/strategy"
)

var _ strategy.Store = (*Store)(nil)

// sqlitePragmas is the connection set-up of every SQLite connection: wait
// for locks instead of failing, WAL so readers run beside the writer,
// enforce foreign keys, and take the write lock at BEGIN so a transaction
// never fails half-way when it first writes.
const sqlitePragmas = "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_txlock=immediate"

//go:embed migrations
var migrations embed.FS

// dialect holds what differs between the engines. The SQL text does not.
type dialect struct {
	name       string
	goose      goose.Dialect
	migrations string // folder under migrations/
	// timeArg turns a UTC timestamp into a bind argument. SQLite has no time
	// type: we store fixed-width ISO text, which sorts and reads back exactly.
	timeArg func(time.Time) any
	// writeMark returns a number that changes when the transaction has
	// written a row (see inImport).
	writeMark func(ctx context.Context, tx *sql.Tx) (int64, error)
	// beginWrite runs first in every write transaction (serialisation).
	beginWrite func(ctx context.Context, tx *sql.Tx) error
	// afterWrite runs last in a write transaction that wrote (notification).
	afterWrite func(ctx context.Context, tx *sql.Tx) error
}

var sqliteDialect = dialect{
	name:       "sqlite",
	goose:      goose.DialectSQLite3,
	migrations: "sqlite",
	timeArg: func(t time.Time) any {
		return t.UTC().Format("2006-01-02 15:04:05.000000Z")
	},
	writeMark:  totalChanges,
	beginWrite: func(context.Context, *sql.Tx) error { return nil }, // one writer connection
	afterWrite: func(context.Context, *sql.Tx) error { return nil },
}

// Store implements strategy.Store on a SQL database.
type Store struct {
	w *sql.DB // SQLite: one connection; PostgreSQL: a small pool; every write and import transaction
	r *sql.DB // bounded pool for reads
	// rs runs frequent read queries on r as prepared statements.
	rs *stmtCache
	d  dialect
	// pg is the PostgreSQL side (nil for SQLite): the URL for the
	// listener's own connection, the schema and the notification fan-out.
	pg *pgState
	// path is the SQLite file ("" for PostgreSQL).
	path string
}

// Path returns the SQLite database file, "" for PostgreSQL.
func (s *Store) Path() string { return s.path }

// Engine names the database engine: "sqlite" or "postgres".
func (s *Store) Engine() string { return s.d.name }

// IsPostgres reports whether dsn names a PostgreSQL database.
func IsPostgres(dsn string) bool {
	lower := strings.ToLower(dsn)
	return strings.HasPrefix(lower, "postgres://") || strings.HasPrefix(lower, "postgresql://")
}

// Open opens (creating if need be) the database named by dsn and brings its
// schema up to date. dsn is "sqlite:PATH" or a plain file path, whose
// parent directory is created when missing, or a PostgreSQL URL
// (postgres://USER:PASSWORD@HOST:PORT/DATABASE?…); a search_path parameter
// in the URL puts Inkludera's tables in that schema.
func Open(ctx context.Context, dsn string) (*Store, error) {
	if IsPostgres(dsn) {
		return openPostgres(ctx, dsn)
	}
	path, err := sqlitePath(dsn)
	if err != nil {
		return nil, err
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, strategy.Internal(err, "creating the database folder")
		}
	}
	conn := path + "?" + sqlitePragmas

	// Connections get the module when they open, so it must come first.
	if err := registerFeed(); err != nil {
		return nil, strategy.Internal(err, "registering the observation feed")
	}
	w, err := sql.Open("sqlite", conn)
	if err != nil {
		return nil, strategy.Internal(err, "opening the database")
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, strategy.Internal(err, "opening the database "+path)
	}
	if err := migrate(ctx, w, sqliteDialect); err != nil {
		w.Close()
		return nil, err
	}

	// Readers open after the migrations so the file exists and is in WAL
	// mode; query_only guards against a write slipping into the read pool,
	// where it would contend with the writer for the lock.
	r, err := sql.Open("sqlite", conn+"&_pragma=query_only(1)")
	if err != nil {
		w.Close()
		return nil, strategy.Internal(err, "opening the database")
	}
	n := max(4, runtime.GOMAXPROCS(0))
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	if err := r.PingContext(ctx); err != nil {
		w.Close()
		r.Close()
		return nil, strategy.Internal(err, "opening the database "+path)
	}
	return &Store{w: w, r: r, rs: newStmtCache(r), d: sqliteDialect, path: path}, nil
}

// sqlitePath extracts the file path from a DSN.
func sqlitePath(dsn string) (string, error) {
	path := dsn
	if rest, ok := strings.CutPrefix(dsn, "sqlite:"); ok {
		// sqlite:///abs/path and sqlite://rel/path read as URLs do.
		path = strings.TrimPrefix(rest, "//")
	}
	switch {
	case path == "":
		return "", strategy.Errorf(strategy.CodeInvalid, "the database path is empty")
	case path == ":memory:" || strings.HasPrefix(path, "file:") || strings.Contains(path, "mode=memory"):
		// Reader and writer pools must share one file.
		return "", strategy.Errorf(strategy.CodeInvalid, "the database must be a file path, got %q", dsn)
	case strings.Contains(path, "?"):
		return "", strategy.Errorf(strategy.CodeInvalid,
			"the database path %q has a '?': connection options are set by Inkludera", path)
	}
	return path, nil
}

// migrate applies the embedded migrations of the dialect.
func migrate(ctx context.Context, db *sql.DB, d dialect) error {
	fsys, err := fs.Sub(migrations, "migrations/"+d.migrations)
	if err != nil {
		return strategy.Internal(err, "reading the migrations")
	}
	p, err := goose.NewProvider(d.goose, db, fsys, goose.WithDisableGlobalRegistry(true))
	if err != nil {
		return strategy.Internal(err, "preparing the migrations")
	}
	if _, err := p.Up(ctx); err != nil {
		return strategy.Internal(err, "migrating the database")
	}
	return nil
}

// Close closes both connection pools.
func (s *Store) Close() error {
	if s.pg != nil {
		s.pg.notify.close()
	}
	return errors.Join(s.rs.close(), s.r.Close(), s.w.Close())
}

// queryer is what the readers need; *sql.DB and *sql.Tx both have it, so
// the same code reads for the API (pool) and for Export (one snapshot).
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// RowID returns the internal id of a keyed row of a document: kind is
// "area", "goal", "target", "commitment", "term" or "action_plan". It exists
// so the contract suite can check that an import updates rows in place
// rather than replacing them; nothing else should depend on ids.
func (s *Store) RowID(ctx context.Context, kind, documentKey, key string) (int64, error) {
	table, ok := map[string]string{
		"area": "areas", "goal": "goals", "target": "targets", "commitment": "commitments",
		"term": "terms", "action_plan": "action_plans",
	}[kind]
	if !ok {
		return 0, strategy.Errorf(strategy.CodeInvalid, "unknown kind %q", kind)
	}
	var id int64
	err := s.r.QueryRowContext(ctx, `SELECT t.id FROM `+table+` t JOIN documents d ON d.id = t.document_id
		WHERE d.key = $1 AND t.key = $2`, documentKey, key).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, strategy.Errorf(strategy.CodeNotFound, "no %s %q in document %q", kind, key, documentKey)
	}
	if err != nil {
		return 0, strategy.Internal(err, fmt.Sprintf("reading the id of %s %q", kind, key))
	}
	return id, nil
}
