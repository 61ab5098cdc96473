package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/inkludera/inkludera/internal/demo"
	"github.com/inkludera/inkludera/internal/pgtest"
	"github.com/inkludera/inkludera/internal/store"
	"github.com/inkludera/inkludera/internal/store/storetest"
	"github.com/inkludera/inkludera/internal/strategy"
)

func openPostgres(t testing.TB) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	})
	return s
}

func TestPostgres(t *testing.T) {
	pgtest.BaseURL(t)
	storetest.Run(t, func(t *testing.T) strategy.Store { return openPostgres(t) })
}

// TestSchemasAgree migrates both engines and compares the resulting
// schemas: the same tables, the same columns in the same order with the
// same type (after mapping each engine's names to one), nullability and
// default, and the same indexes by name.
func TestSchemasAgree(t *testing.T) {
	ctx := context.Background()
	pgURL := pgtest.URL(t)
	lite := openTemp(t)
	pg, err := store.Open(ctx, pgURL)
	if err != nil {
		t.Fatal(err)
	}
	pg.Close()
	liteDB := rawSQLite(t, lite)
	pgDB, err := sql.Open("pgx", pgURL)
	if err != nil {
		t.Fatal(err)
	}
	defer pgDB.Close()

	want := sqliteSchema(t, liteDB)
	got := postgresSchema(t, pgDB)
	for table := range postgresOnly {
		if _, ok := got[table]; !ok {
			t.Errorf("PostgreSQL's own table %s is missing", table)
		}
		delete(got, table)
	}
	if len(want) < 20 {
		t.Fatalf("SQLite schema has only %d tables: %v", len(want), want)
	}
	for _, table := range sortedKeys(want) {
		if _, ok := got[table]; !ok {
			t.Errorf("table %s is missing in PostgreSQL", table)
			continue
		}
		if w, g := want[table], got[table]; !slices.Equal(w, g) {
			t.Errorf("table %s differs:\n sqlite:   %s\n postgres: %s", table, strings.Join(w, "; "), strings.Join(g, "; "))
		}
	}
	for _, table := range sortedKeys(got) {
		if _, ok := want[table]; !ok {
			t.Errorf("table %s exists only in PostgreSQL", table)
		}
	}
	wi, gi := sqliteIndexes(t, liteDB), postgresIndexes(t, pgDB)
	gi = slices.DeleteFunc(gi, func(name string) bool { return postgresOnlyIndexes[name] })
	if !slices.Equal(wi, gi) {
		t.Errorf("indexes differ:\n sqlite:   %v\n postgres: %v", wi, gi)
	}
	var wv, gv int64
	liteDB.QueryRow(`SELECT max(version_id) FROM goose_db_version`).Scan(&wv)
	pgDB.QueryRow(`SELECT max(version_id) FROM goose_db_version`).Scan(&gv)
	if wv != gv || wv == 0 {
		t.Errorf("migration versions: sqlite %d, postgres %d", wv, gv)
	}
}

// rawSQLite opens the store's file read-only beside it.
func rawSQLite(t *testing.T, s *store.Store) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+s.Path()+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// postgresOnly are the tables only PostgreSQL has: the library's full-text
// index, which SQLite deployments keep in bleve beside the database file.
var postgresOnly = map[string]bool{"library_search": true}

var postgresOnlyIndexes = map[string]bool{"library_search_tsv": true}

// column types as one name: each engine's spelling mapped to SQLite's.
var pgTypes = map[string]string{
	"bigint": "INTEGER", "integer": "INTEGER", "text": "TEXT", "double precision": "REAL",
	"timestamp with time zone": "TIMESTAMP", "bytea": "BLOB", "boolean": "BOOLEAN", "date": "DATE",
}

var castSuffix = regexp.MustCompile(`::[a-z ]+$`)

// normDefault writes a default the same for both: no casts, lower-case
// keywords, and an identity (PostgreSQL) or rowid (SQLite) id as "".
func normDefault(s string) string {
	s = castSuffix.ReplaceAllString(strings.TrimSpace(s), "")
	switch strings.ToLower(s) {
	case "false", "0":
		return "false"
	case "true", "1":
		return "true"
	}
	return s
}

func sqliteSchema(t *testing.T, db *sql.DB) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	rows, err := db.Query(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'goose_db_version'`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		tables = append(tables, n)
	}
	rows.Close()
	for _, table := range tables {
		cols, err := db.Query(`SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info(?) ORDER BY cid`, table)
		if err != nil {
			t.Fatal(err)
		}
		for cols.Next() {
			var name, typ string
			var notNull, pk int
			var def sql.NullString
			if err := cols.Scan(&name, &typ, &notNull, &def, &pk); err != nil {
				t.Fatal(err)
			}
			// An INTEGER PRIMARY KEY is NOT NULL in effect; PRAGMA says 0.
			if pk > 0 {
				notNull = 1
			}
			out[table] = append(out[table], fmt.Sprintf("%s %s notnull=%d default=%s", name, typ, notNull, normDefault(def.String)))
		}
		cols.Close()
	}
	return out
}

func postgresSchema(t *testing.T, db *sql.DB) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	rows, err := db.Query(`SELECT table_name, column_name, data_type, is_nullable, COALESCE(column_default, '')
		FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name <> 'goose_db_version'
		ORDER BY table_name, ordinal_position`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var table, name, typ, nullable, def string
		if err := rows.Scan(&table, &name, &typ, &nullable, &def); err != nil {
			t.Fatal(err)
		}
		if postgresOnly[table] {
			out[table] = append(out[table], name)
			continue
		}
		mapped, ok := pgTypes[typ]
		if !ok {
			t.Errorf("%s.%s: unexpected PostgreSQL type %s", table, name, typ)
		}
		notNull := 0
		if nullable == "NO" {
			notNull = 1
		}
		out[table] = append(out[table], fmt.Sprintf("%s %s notnull=%d default=%s", name, mapped, notNull, normDefault(def)))
	}
	return out
}

func sqliteIndexes(t *testing.T, db *sql.DB) []string {
	t.Helper()
	return names(t, db, `SELECT name FROM sqlite_schema WHERE type = 'index' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
}

// postgresIndexes are the named indexes; PostgreSQL's own for primary keys
// and UNIQUE constraints (SQLite's sqlite_autoindex_*) are left out.
func postgresIndexes(t *testing.T, db *sql.DB) []string {
	t.Helper()
	return names(t, db, `SELECT i.indexname FROM pg_indexes i
		WHERE i.schemaname = current_schema() AND i.tablename <> 'goose_db_version'
		AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname AND c.connamespace = current_schema()::regnamespace)
		ORDER BY i.indexname`)
}

func names(t *testing.T, db *sql.DB, query string) []string {
	t.Helper()
	rows, err := db.Query(query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		out = append(out, n)
	}
	return out
}

func sortedKeys(m map[string][]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// TestWatchContent: a write committed through one store is announced to a
// second store on the same database; a transaction that writes nothing is
// not.
func TestWatchContent(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	url := pgtest.URL(t)
	writer, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer writer.Close()
	watcher, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer watcher.Close()
	changes, ok := watcher.WatchContent(ctx)
	if !ok {
		t.Fatal("PostgreSQL cannot watch")
	}
	time.Sleep(300 * time.Millisecond) // the listener connects
	bundles, err := demo.Bundles()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := writer.Import(ctx, bundles); err != nil {
		t.Fatal(err)
	}
	select {
	case <-changes:
	case <-time.After(5 * time.Second):
		t.Fatal("no announcement within 5 s of an import")
	}
	if _, err := writer.Import(ctx, bundles); err != nil { // changes nothing
		t.Fatal(err)
	}
	select {
	case <-changes:
		t.Error("an import that changed nothing was announced")
	case <-time.After(500 * time.Millisecond):
	}
	if _, ok := openTemp(t).WatchContent(ctx); ok {
		t.Error("SQLite claims to announce changes")
	}
}

// TestRunExclusive: of two stores on one database, one runs the job; when
// its context ends the other takes over.
func TestRunExclusive(t *testing.T) {
	url := pgtest.URL(t)
	var mu sync.Mutex
	running := map[string]bool{}
	both := false
	start := func(name string) (context.CancelFunc, chan struct{}) {
		st, err := store.Open(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() {
			defer close(done)
			defer st.Close()
			st.RunExclusive(ctx, "job", nil, func(ctx context.Context) {
				mu.Lock()
				running[name] = true
				both = both || len(running) > 1
				mu.Unlock()
				<-ctx.Done()
				mu.Lock()
				delete(running, name)
				mu.Unlock()
			})
		}()
		return cancel, done
	}
	who := func() []string {
		mu.Lock()
		defer mu.Unlock()
		var names []string
		for n := range running {
			names = append(names, n)
		}
		return names
	}
	stopA, doneA := start("a")
	deadline := time.Now().Add(3 * time.Second)
	for len(who()) == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	stopB, doneB := start("b")
	defer func() { stopB(); <-doneB }()
	time.Sleep(time.Second)
	if got := who(); !slices.Equal(got, []string{"a"}) {
		t.Fatalf("running: %v, want a alone", got)
	}
	stopA()
	<-doneA
	deadline = time.Now().Add(15 * time.Second)
	for !slices.Equal(who(), []string{"b"}) {
		if time.Now().After(deadline) {
			t.Fatalf("b did not take over: running %v", who())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if both {
		t.Error("both ran the job at once")
	}
}

// TestManyChangedObservations changes more observations than go one by
// one (through a temporary table on PostgreSQL) and reads them back the
// same from both engines.
func TestManyChangedObservations(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		open func(testing.TB) *store.Store
	}{{"sqlite", openTemp}, {"postgres", openPostgres}} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.name == "postgres" {
				pgtest.BaseURL(t)
			}
			s := tc.open(t)
			first := sampleBundles(2_000)
			if _, err := s.Import(ctx, first); err != nil {
				t.Fatal(err)
			}
			second := sampleBundles(2_000)
			changed := 0
			for i := range second[0].Observations {
				o := &second[0].Observations[i]
				if i%3 == 0 && o.Value != nil {
					v := *o.Value + 0.5
					o.Value, o.Status = &v, "reviderad"
					changed++
				}
			}
			sum, err := s.Import(ctx, second)
			if err != nil {
				t.Fatal(err)
			}
			if got := sum["observations"]; got.Changed != changed || got.Added != 0 {
				t.Fatalf("second import: %+v, want %d changed", got, changed)
			}
			stored, err := s.Observations(ctx, strategy.ObservationFilter{})
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]strategy.Observation{}
			for _, o := range second[0].Observations {
				want[fmt.Sprint(o.Indicator, o.Org, o.Year, o.Gender)] = o
			}
			if len(stored) != len(want) {
				t.Fatalf("%d stored, want %d", len(stored), len(want))
			}
			for _, o := range stored {
				w := want[fmt.Sprint(o.Indicator, o.Org, o.Year, o.Gender)]
				if (o.Value == nil) != (w.Value == nil) || (o.Value != nil && *o.Value != *w.Value) || o.Status != w.Status {
					t.Fatalf("stored %+v, want %+v", o, w)
				}
			}
		})
	}
}
