package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver
)

// engine is a database the rounds import into, as the checks see it.
type engine interface {
	// name is "sqlite" or "postgres".
	name() string
	// dsn is the --db value of inkludera.
	dsn() string
	// connect opens a connection for the checks. For SQLite this is the
	// first open after the kill: it recovers the file from its WAL as any
	// next process would.
	connect(ctx context.Context) (*sql.DB, error)
	// settle waits until nothing of the killed import is left running in
	// the engine and says how long that took.
	settle(ctx context.Context, db *sql.DB) (time.Duration, error)
	// integrity lists what the engine's own checks find wrong; none is
	// a sound database.
	integrity(ctx context.Context, db *sql.DB) ([]string, error)
	// close removes what the engine made for the run.
	close(ctx context.Context) error
}

// state is what a check found of a round's import.
type state struct {
	problems []string // integrity problems: none in a sound database
	// cur and prev count the rows holding exactly the values of this
	// round's file and of the last import that was stored before it;
	// region counts every row of the keys the files write.
	cur, prev, region int
	// runs counts the source runs recorded for this round's file, which
	// are written in the import's transaction.
	runs int
	// waited is how long settle took.
	waited time.Duration
}

// verdict sorts a state: the import wholly stored, wholly absent with the
// earlier state untouched, or anything else, which is a partial import.
type verdict string

const (
	present verdict = "present"
	absent  verdict = "absent"
	partial verdict = "PARTIAL"
)

// judge gives the verdict on s for an import of rows rows.
func (s state) judge(rows int) verdict {
	switch {
	case s.region != rows:
		return partial
	case s.cur == rows && s.runs == 1:
		return present
	case s.cur == 0 && s.prev == rows && s.runs == 0:
		return absent
	}
	return partial
}

func (s state) String() string {
	return fmt.Sprintf("%d rows of this round, %d of the one before, %d in all, %d source runs", s.cur, s.prev, s.region, s.runs)
}

// rowIndex is, in SQL both engines run, the row of the round files that
// writes an observation's key: the inverse of keyAt. Kommun codes are
// 0100–2599 and CAST drops the leading zero.
const rowIndex = `((CAST(o.org_code AS INTEGER) - 100) * 300 + (o.year - 1900) * 3 +
	CASE o.gender WHEN 'T' THEN 0 WHEN 'K' THEN 1 ELSE 2 END)`

// check looks at the database after a round whose file had marker cur,
// the last stored import having had marker prev, and whose source run has
// the scope scope.
func check(ctx context.Context, e engine, cur, prev int, scope string) (state, error) {
	var s state
	db, err := e.connect(ctx)
	if err != nil {
		return s, err
	}
	defer db.Close()
	if s.waited, err = e.settle(ctx, db); err != nil {
		return s, err
	}
	if s.problems, err = e.integrity(ctx, db); err != nil {
		return s, err
	}
	var orphans int
	err = db.QueryRowContext(ctx, `SELECT COUNT(*) FROM observations o
		WHERE NOT EXISTS (SELECT 1 FROM indicators i WHERE i.id = o.indicator_id)`).Scan(&orphans)
	if err != nil {
		return s, fmt.Errorf("counting orphaned observations: %w", err)
	}
	if orphans > 0 {
		s.problems = append(s.problems, fmt.Sprintf("%d observations of no indicator", orphans))
	}
	// Every row is compared with the value its round wrote for its key:
	// a count of N means each key holds the right round's own value.
	err = db.QueryRowContext(ctx, `SELECT
			COUNT(CASE WHEN o.value - $2 = `+rowIndex+` THEN 1 END),
			COUNT(CASE WHEN o.value - $3 = `+rowIndex+` THEN 1 END),
			COUNT(*)
		FROM observations o JOIN indicators i ON i.id = o.indicator_id
		WHERE i.key = $1 AND o.year < $4`,
		crashIndicator, float64(valueAt(cur, 0)), float64(valueAt(prev, 0)), firstYear+years).Scan(&s.cur, &s.prev, &s.region)
	if err != nil {
		return s, fmt.Errorf("counting the round's observations: %w", err)
	}
	if cur == prev {
		s.prev = 0
	}
	err = db.QueryRowContext(ctx, `SELECT COUNT(*) FROM source_runs WHERE scope = $1`, scope).Scan(&s.runs)
	if err != nil {
		return s, fmt.Errorf("counting source runs: %w", err)
	}
	return s, nil
}

// sqliteEngine is a database file.
type sqliteEngine struct{ path string }

func (e sqliteEngine) name() string { return "sqlite" }
func (e sqliteEngine) dsn() string  { return e.path }

func (e sqliteEngine) connect(ctx context.Context) (*sql.DB, error) {
	db, err := sql.Open("sqlite", e.path+"?_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("opening %s: %w", e.path, err)
	}
	return db, nil
}

// settle has nothing to wait for: the killed process held the only
// connection, and its locks went with it.
func (e sqliteEngine) settle(context.Context, *sql.DB) (time.Duration, error) { return 0, nil }

// integrity runs SQLite's own checks of every page, index and constraint,
// and of every foreign key.
func (e sqliteEngine) integrity(ctx context.Context, db *sql.DB) ([]string, error) {
	found, err := column(ctx, db, "PRAGMA integrity_check")
	if err != nil {
		return nil, err
	}
	var problems []string
	if len(found) != 1 || found[0] != "ok" {
		problems = append(problems, "integrity_check: "+strings.Join(found, "; "))
	}
	fks, err := column(ctx, db, "PRAGMA foreign_key_check")
	if err != nil {
		return nil, err
	}
	if len(fks) > 0 {
		problems = append(problems, fmt.Sprintf("foreign_key_check: %d rows refer to nothing (first in table %s)", len(fks), fks[0]))
	}
	return problems, nil
}

func (e sqliteEngine) close(context.Context) error { return nil }

// column returns the first column of every row of query, as text.
func column(ctx context.Context, db *sql.DB, query string, args ...any) ([]string, error) {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", query, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		out = append(out, fmt.Sprint(vals[0]))
	}
	return out, rows.Err()
}

// postgresEngine is a database of its own on a PostgreSQL server, made for
// the run and dropped after it, so that no other client of the server is
// in the way of settle.
type postgresEngine struct {
	base    string // the URL the database was made from
	url     string // the new database's
	dbName  string
	amcheck string // why the amcheck extension is not used; "" when it is
}

// newPostgres creates a database of its own on the server of base, whose
// role needs CREATEDB.
func newPostgres(ctx context.Context, base string) (*postgresEngine, error) {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return nil, fmt.Errorf("%q is not a postgres:// URL", base)
	}
	var b [4]byte
	rand.Read(b[:])
	e := &postgresEngine{base: base, dbName: "inkludera_crash_" + hex.EncodeToString(b[:])}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		return nil, err
	}
	defer admin.Close()
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+e.dbName); err != nil {
		return nil, fmt.Errorf("creating database %s (the role needs CREATEDB): %w", e.dbName, err)
	}
	u.Path = "/" + e.dbName
	e.url = u.String()

	// amcheck verifies every B-tree index against its table. Creating the
	// extension needs a superuser; without it the checks are those below.
	db, err := sql.Open("pgx", e.url)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "CREATE EXTENSION IF NOT EXISTS amcheck"); err != nil {
		e.amcheck = err.Error()
	}
	return e, nil
}

func (e *postgresEngine) name() string { return "postgres" }
func (e *postgresEngine) dsn() string  { return e.url }

func (e *postgresEngine) connect(ctx context.Context) (*sql.DB, error) {
	db, err := sql.Open("pgx", e.url)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// settleTimeout bounds the wait for the killed client's backend. A backend
// notices that its client is gone when it next reads from or writes to the
// connection, at the latest when the statement it runs ends.
const settleTimeout = 2 * time.Minute

// settle waits until no other client's connection to the database is
// left: the backend of the killed client has rolled its transaction back
// and ended. Autovacuum's workers, which the imports' updates call in,
// are no clients.
func (e *postgresEngine) settle(ctx context.Context, db *sql.DB) (time.Duration, error) {
	start := time.Now()
	for {
		var others int
		err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM pg_stat_activity
			WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`).Scan(&others)
		if err != nil {
			return 0, fmt.Errorf("listing backends: %w", err)
		}
		if others == 0 {
			return time.Since(start), nil
		}
		if time.Since(start) > settleTimeout {
			return 0, fmt.Errorf("%d backends of the killed import still run after %s", others, settleTimeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// integrity checks that no transaction is left prepared and no client
// holds a lock and, with amcheck, every B-tree index against its table and every
// table's heap pages.
func (e *postgresEngine) integrity(ctx context.Context, db *sql.DB) ([]string, error) {
	var problems []string
	var prepared, locks int
	err := db.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM pg_prepared_xacts WHERE database = current_database()),
		(SELECT COUNT(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
			WHERE a.datname = current_database() AND l.pid <> pg_backend_pid() AND a.backend_type = 'client backend')`).Scan(&prepared, &locks)
	if err != nil {
		return nil, err
	}
	if prepared > 0 || locks > 0 {
		problems = append(problems, fmt.Sprintf("%d prepared transactions and %d locks left", prepared, locks))
	}
	if e.amcheck != "" {
		return problems, nil
	}
	indexes, err := column(ctx, db, `SELECT c.oid::regclass::text FROM pg_class c
		JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_am a ON a.oid = c.relam
		WHERE c.relkind = 'i' AND a.amname = 'btree' AND n.nspname = current_schema() ORDER BY 1`)
	if err != nil {
		return nil, err
	}
	for _, ix := range indexes {
		if _, err := db.ExecContext(ctx, "SELECT bt_index_check($1::regclass, true)", ix); err != nil {
			problems = append(problems, fmt.Sprintf("index %s: %v", ix, err))
		}
	}
	tables, err := column(ctx, db, `SELECT c.oid::regclass::text FROM pg_class c
		JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE c.relkind = 'r' AND n.nspname = current_schema() ORDER BY 1`)
	if err != nil {
		return nil, err
	}
	for _, t := range tables {
		found, err := column(ctx, db, "SELECT msg FROM verify_heapam($1::regclass)", t)
		if err != nil {
			return nil, err
		}
		if len(found) > 0 {
			problems = append(problems, fmt.Sprintf("table %s: %s", t, strings.Join(found, "; ")))
		}
	}
	return problems, nil
}

// close drops the run's database.
func (e *postgresEngine) close(ctx context.Context) error {
	return dropDatabase(ctx, e.base, e.dbName)
}

// dropDatabase drops the database name on the server of base. A plain DROP
// ends the autovacuum workers the imports' updates call in, which FORCE
// may not: it needs the right to signal every backend, theirs too. FORCE
// is the fallback for a connection of ours left open, e.g. by a client
// killed at the moment of an interrupted run.
func dropDatabase(ctx context.Context, base, name string) error {
	admin, err := sql.Open("pgx", base)
	if err != nil {
		return err
	}
	defer admin.Close()
	for try := 0; ; try++ {
		_, err = admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name)
		if err == nil {
			return nil
		}
		if _, ferr := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); ferr == nil {
			return nil
		}
		if try == 10 {
			return err
		}
		time.Sleep(time.Second)
	}
}
