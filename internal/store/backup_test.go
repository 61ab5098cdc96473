package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pressly/goose/v3"

	"github.com/inkludera/inkludera/internal/pgtest"
	"github.com/inkludera/inkludera/internal/strategy"
	"github.com/inkludera/inkludera/internal/strategyfile"
)

// demoDB makes a SQLite database holding the demo and an account, and
// returns its path; the store is closed.
func demoDB(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "db", "inkludera.db")
	st := openDemo(t, path)
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// openDemo opens dsn and stores the demo and an account in it.
func openDemo(t *testing.T, dsn string) *Store {
	t.Helper()
	ctx := context.Background()
	st, err := Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob("../demo/*.yaml")
	if err != nil || len(files) < 2 {
		t.Fatalf("demo files: %v %v", files, err)
	}
	bundles, err := strategyfile.LoadFiles(files, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Import(ctx, bundles); err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateUser(ctx, strategy.User{Email: "ada@kommun.se", Name: "Ada", Role: strategy.RoleAdmin}, "hash"); err != nil {
		t.Fatal(err)
	}
	return st
}

// yearOfValues is a batch of observations: the share born abroad in
// Östersund and Strömsund in year, two new rows.
func yearOfValues(year int) []strategy.Bundle {
	var obs []strategy.Observation
	for _, org := range []string{"2380", "2313"} {
		v := float64(year%100) + 0.5
		obs = append(obs, strategy.Observation{Indicator: "utrikes-fodda-andel", Org: org, Year: year,
			Gender: strategy.Total, Value: &v, Source: "test"})
	}
	return []strategy.Bundle{{Observations: obs}}
}

// tableRows counts the rows of every table of a SQLite file with SQL of
// its own, not the code under test.
func tableRows(t *testing.T, path string) map[string]int64 {
	t.Helper()
	db, err := sql.Open("sqlite", path+"?_pragma=query_only(1)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	return rowsPerTable(t, db, `SELECT name FROM sqlite_schema WHERE type = 'table'`)
}

// withoutSQLites leaves out SQLite's own tables, which an Archive does
// not list.
func withoutSQLites(counts map[string]int64) map[string]int64 {
	m := map[string]int64{}
	for name, n := range counts {
		if !strings.HasPrefix(name, "sqlite_") {
			m[name] = n
		}
	}
	return m
}

func archived(a Archive) map[string]int64 {
	m := map[string]int64{}
	for _, t := range a.Tables {
		m[t.Name] = t.Rows
	}
	return m
}

func sameCounts(t *testing.T, what string, got, want map[string]int64) {
	t.Helper()
	for name, n := range want {
		if got[name] != n {
			t.Errorf("%s: table %s has %d rows, want %d", what, name, got[name], n)
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("%s: table %s is new", what, name)
		}
	}
}

// noStrayFiles fails when a folder holds anything but names.
func noStrayFiles(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !slices.Contains(names, e.Name()) {
			t.Errorf("%s holds %s", dir, e.Name())
		}
	}
}

// TestSQLiteBackupWhileWriting: a backup taken while a store writes is a
// snapshot between two write transactions, and the writes all succeed.
func TestSQLiteBackupWhileWriting(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "inkludera.db")
	st := openDemo(t, path)
	defer st.Close()
	before := tableRows(t, path)["observations"]

	started := make(chan struct{})
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var writeErr error
	var written int
	wg.Add(1)
	go func() {
		defer wg.Done()
		for year := 1900; year < 2000; year++ {
			if _, err := st.Import(ctx, yearOfValues(year)); err != nil {
				writeErr = err
				return
			}
			written++
			if year == 1900 {
				close(started)
			}
			select {
			case <-stop:
				return
			default:
			}
		}
	}()
	<-started
	dir := t.TempDir()
	for i := range 3 {
		out := filepath.Join(dir, fmt.Sprintf("backup-%d.db", i))
		a, err := Backup(ctx, path, out, BackupOptions{})
		if err != nil {
			t.Fatal(err)
		}
		obs := tableRows(t, out)["observations"]
		if added := obs - before; added <= 0 || added%2 != 0 {
			t.Errorf("backup %d holds %d observations, %d more than the demo: not a whole number of imports of 2", i, obs, added)
		}
		if archived(a)["observations"] != obs {
			t.Errorf("backup %d says it holds %d observations, the file has %d", i, archived(a)["observations"], obs)
		}
		if a.Engine != "sqlite" || a.Bytes <= 0 || a.BackupVersion == 0 || a.SchemaVersion != a.BackupVersion {
			t.Errorf("archive = %+v", a)
		}
		if fi, err := os.Stat(out); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("the backup's permissions are %v (%v), want 0600: it holds password hashes", fi.Mode().Perm(), err)
		}
	}
	close(stop)
	wg.Wait()
	if writeErr != nil {
		t.Fatalf("a write failed during the backups: %v", writeErr)
	}
	noStrayFiles(t, dir, "backup-0.db", "backup-1.db", "backup-2.db")
	t.Logf("%d imports of 2 rows ran beside the 3 backups", written)
}

// TestSQLiteRoundTrip: a restore brings back every row of every table,
// and replaces the changes made after the backup.
func TestSQLiteRoundTrip(t *testing.T) {
	ctx := context.Background()
	path := demoDB(t)
	want := tableRows(t, path)
	var steps []string
	out := filepath.Join(t.TempDir(), "backup.db")
	a, err := Backup(ctx, "sqlite:"+path, out, BackupOptions{Progress: func(s string) { steps = append(steps, s) }})
	if err != nil {
		t.Fatal(err)
	}
	sameCounts(t, "the archive", archived(a), withoutSQLites(want))
	sameCounts(t, "the backup file", tableRows(t, out), want)
	if len(steps) != 2 || !strings.Contains(steps[0], "VACUUM INTO") || !strings.Contains(steps[1], "integrity_check") {
		t.Errorf("progress = %q", steps)
	}

	st, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Import(ctx, yearOfValues(1950)); err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateUser(ctx, strategy.User{Email: "bo@kommun.se", Name: "Bo", Role: strategy.RoleAdmin}, "hash"); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	steps = nil
	r, err := Restore(ctx, path, out, BackupOptions{Progress: func(s string) { steps = append(steps, s) }})
	if err != nil {
		t.Fatal(err)
	}
	sameCounts(t, "after the restore", tableRows(t, path), want)
	sameCounts(t, "the restore's account", archived(r), withoutSQLites(want))
	if r.BackupVersion != a.BackupVersion || r.SchemaVersion != a.SchemaVersion {
		t.Errorf("restore = versions %d → %d, want %d", r.BackupVersion, r.SchemaVersion, a.BackupVersion)
	}
	if want := []string{"Copying", "Checking", "Replacing"}; len(steps) != 3 || !strings.HasPrefix(steps[0], want[0]) ||
		!strings.HasPrefix(steps[1], want[1]) || !strings.HasPrefix(steps[2], want[2]) {
		t.Errorf("progress = %q, want %q", steps, want)
	}
	noStrayFiles(t, filepath.Dir(path), "inkludera.db")
	if b, err := os.ReadFile(out); err != nil || len(b) != int(a.Bytes) {
		t.Errorf("the backup file changed: %d bytes, was %d (%v)", len(b), a.Bytes, err)
	}

	st, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.UserByEmail(ctx, "bo@kommun.se"); strategy.CodeOf(err) != strategy.CodeNotFound {
		t.Errorf("the account made after the backup: %v, want not found", err)
	}
	if _, err := st.UserByEmail(ctx, "ada@kommun.se"); err != nil {
		t.Errorf("the account of the backup: %v", err)
	}
}

// TestSQLiteRestoreIntoNothing: a restore makes the database when there
// is none, folders too.
func TestSQLiteRestoreIntoNothing(t *testing.T) {
	ctx := context.Background()
	path := demoDB(t)
	out := filepath.Join(t.TempDir(), "backup.db")
	if _, err := Backup(ctx, path, out, BackupOptions{}); err != nil {
		t.Fatal(err)
	}
	fresh := filepath.Join(t.TempDir(), "ny", "inkludera.db")
	if _, err := Restore(ctx, fresh, out, BackupOptions{}); err != nil {
		t.Fatal(err)
	}
	sameCounts(t, "restored into nothing", tableRows(t, fresh), tableRows(t, path))
}

// TestSQLiteRestoreRefusesADatabaseInUse: a running server (an open
// store) keeps its database; once it stops, the restore goes through.
func TestSQLiteRestoreRefusesADatabaseInUse(t *testing.T) {
	ctx := context.Background()
	path := demoDB(t)
	out := filepath.Join(t.TempDir(), "backup.db")
	if _, err := Backup(ctx, path, out, BackupOptions{}); err != nil {
		t.Fatal(err)
	}
	st, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Import(ctx, yearOfValues(1950)); err != nil {
		t.Fatal(err)
	}
	changed := tableRows(t, path)

	_, err = Restore(ctx, path, out, BackupOptions{})
	if strategy.CodeOf(err) != strategy.CodeConflict || !strings.Contains(err.Error(), "is in use: stop inkludera serve") {
		t.Fatalf("restore into an open database: %v, want conflict saying it is in use", err)
	}
	// The store goes on working, with its data.
	if _, err := st.Import(ctx, yearOfValues(1951)); err != nil {
		t.Fatalf("the store after the refused restore: %v", err)
	}
	changed["observations"] += 2
	sameCounts(t, "after the refused restore", tableRows(t, path), changed)
	noStrayFiles(t, filepath.Dir(path), "inkludera.db", "inkludera.db-wal", "inkludera.db-shm")

	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := Restore(ctx, path, out, BackupOptions{}); err != nil {
		t.Fatalf("restore after the store closed: %v", err)
	}
	sameCounts(t, "restored", tableRows(t, path), tableRows(t, out))
}

// TestSQLiteRestoreRefuses: what is not a sound backup of this engine and
// schema is refused, and the database stays as it was, with nothing left
// beside it.
func TestSQLiteRestoreRefuses(t *testing.T) {
	ctx := context.Background()
	path := demoDB(t)
	dir := t.TempDir()
	good := filepath.Join(dir, "good.db")
	if _, err := Backup(ctx, path, good, BackupOptions{}); err != nil {
		t.Fatal(err)
	}
	want := tableRows(t, path)
	file := func(name string, content []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, content, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	// changed copies the good backup and runs SQL on the copy.
	changed := func(name string, stmts ...string) string {
		b, err := os.ReadFile(good)
		if err != nil {
			t.Fatal(err)
		}
		p := file(name, b)
		db, err := sql.Open("sqlite", p)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		for _, s := range stmts {
			if _, err := db.Exec(s); err != nil {
				t.Fatal(err)
			}
		}
		return p
	}
	damaged := func() string {
		b, err := os.ReadFile(good)
		if err != nil {
			t.Fatal(err)
		}
		// Page 3 onwards: the b-trees, past the header and the schema.
		for i := 2 * 4096; i < len(b) && i < 40*4096; i += 7 {
			b[i] ^= 0x5a
		}
		return file("damaged.db", b)
	}()
	foreign := func() string {
		p := filepath.Join(dir, "foreign.db")
		db, err := sql.Open("sqlite", p)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := db.Exec(`CREATE TABLE recept (namn TEXT)`); err != nil {
			t.Fatal(err)
		}
		return p
	}()

	tests := []struct {
		name string
		file string
		code strategy.ErrorCode
		says string
	}{
		{"no file", filepath.Join(dir, "finns-inte.db"), strategy.CodeNotFound, "there is no backup file"},
		{"not a backup", file("notes.txt", []byte("inkludera backup\n")), strategy.CodeInvalid,
			"neither a SQLite database nor a pg_dump archive"},
		{"empty", file("empty.db", nil), strategy.CodeInvalid, "not an Inkludera backup"},
		{"a PostgreSQL dump", file("pg.dump", append([]byte("PGDMP"), make([]byte, 100)...)), strategy.CodeInvalid,
			"is a PostgreSQL backup and the database is SQLite: a backup restores only into the engine it was made from. " +
				"To move between engines, export every organisation"},
		{"damaged", damaged, strategy.CodeInvalid, "damaged.db is"},
		{"another program's database", foreign, strategy.CodeInvalid, "not Inkludera's: it has no goose_db_version table"},
		{"a newer schema", changed("newer.db", `INSERT INTO goose_db_version (version_id, is_applied) VALUES (99999, 1)`),
			strategy.CodeInvalid, "was made by a newer Inkludera (schema version 99999; this one knows up to"},
		{"the database itself", path, strategy.CodeInvalid, "is the database itself"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Restore(ctx, path, tc.file, BackupOptions{})
			if strategy.CodeOf(err) != tc.code || !strings.Contains(err.Error(), tc.says) {
				t.Fatalf("Restore = %v; want %s saying %q", err, tc.code, tc.says)
			}
			sameCounts(t, "the database after a refused restore", tableRows(t, path), want)
			noStrayFiles(t, filepath.Dir(path), "inkludera.db")
		})
	}
}

// TestSQLiteRestoreMigrates: a backup made before the newest migration is
// brought up to date on the way in; the backup file stays as it was.
func TestSQLiteRestoreMigrates(t *testing.T) {
	ctx := context.Background()
	path := demoDB(t)
	want := tableRows(t, path)
	old := filepath.Join(t.TempDir(), "old.db")
	a, err := Backup(ctx, path, old, BackupOptions{})
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", old)
	if err != nil {
		t.Fatal(err)
	}
	p, err := goose.NewProvider(goose.DialectSQLite3, db, os.DirFS("migrations/sqlite"), goose.WithDisableGlobalRegistry(true))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Down(ctx); err != nil {
		t.Fatal(err)
	}
	db.Close()

	var steps []string
	r, err := Restore(ctx, path, old, BackupOptions{Progress: func(s string) { steps = append(steps, s) }})
	if err != nil {
		t.Fatal(err)
	}
	if r.BackupVersion != a.BackupVersion-1 || r.SchemaVersion != a.BackupVersion {
		t.Errorf("restored schema version %d → %d, want %d → %d", r.BackupVersion, r.SchemaVersion, a.BackupVersion-1, a.BackupVersion)
	}
	if !slices.ContainsFunc(steps, func(s string) bool {
		return s == fmt.Sprintf("Migrating the backup from schema version %d to %d…", a.BackupVersion-1, a.BackupVersion)
	}) {
		t.Errorf("progress = %q, want the migration", steps)
	}
	// The demo has no rows in the newest migration's tables.
	sameCounts(t, "restored and migrated", tableRows(t, path), want)
	if got := tableRows(t, old)["goose_db_version"]; got != archived(a)["goose_db_version"]-1 {
		t.Errorf("the backup file was migrated: %d migrations", got)
	}
	st, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.UserByEmail(ctx, "ada@kommun.se"); err != nil {
		t.Errorf("the migrated database lost its account: %v", err)
	}
	noStrayFiles(t, filepath.Dir(old), "old.db")
}

// TestSQLiteBackupRefuses: a backup copies an existing database and
// writes beside it, never over it.
func TestSQLiteBackupRefuses(t *testing.T) {
	ctx := context.Background()
	path := demoDB(t)
	missing := filepath.Join(t.TempDir(), "finns-inte.db")
	tests := []struct {
		name, db, out string
		code          strategy.ErrorCode
		says          string
	}{
		{"no database", missing, filepath.Join(t.TempDir(), "b.db"), strategy.CodeNotFound, "there is no database"},
		{"over the database", path, path, strategy.CodeInvalid, "would overwrite the database itself"},
		{"no file named", path, "", strategy.CodeInvalid, "not named"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Backup(ctx, tc.db, tc.out, BackupOptions{})
			if strategy.CodeOf(err) != tc.code || !strings.Contains(err.Error(), tc.says) {
				t.Fatalf("Backup = %v; want %s saying %q", err, tc.code, tc.says)
			}
		})
	}
	if _, err := os.Stat(missing); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the backup of a missing database made it: %v", err)
	}
}

// TestBackupFileEngine: backups are told apart by their first bytes.
func TestBackupFileEngine(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		content string
		engine  string
	}{
		{"SQLite format 3\x00rest", "sqlite"},
		{"PGDMP\x01\x0e\x00", "postgres"},
		{"SQLite format 3", ""}, // no NUL: not the header
		{"PGDM", ""},
		{"-- PostgreSQL database dump\n", ""}, // a plain-text pg_dump
		{"", ""},
	}
	for i, tc := range tests {
		p := filepath.Join(dir, fmt.Sprint(i))
		if err := os.WriteFile(p, []byte(tc.content), 0o600); err != nil {
			t.Fatal(err)
		}
		got, err := backupFileEngine(p)
		if got != tc.engine || (tc.engine == "") != (strategy.CodeOf(err) == strategy.CodeInvalid) {
			t.Errorf("%q: engine %q, %v; want %q", tc.content, got, err, tc.engine)
		}
	}
}

func TestPGTargetOf(t *testing.T) {
	tests := []struct {
		dsn, uri, env, searchPath string
	}{
		{"postgres://inkludera:hemligt@db.kommun.se:5433/inkludera?sslmode=require",
			"postgres://inkludera@db.kommun.se:5433/inkludera?sslmode=require", "PGPASSWORD=hemligt", ""},
		{"postgres://u:p@127.0.0.1/x?search_path=t_0a1b2c&sslmode=disable&pool_max_conns=4",
			"postgres://u@127.0.0.1/x?sslmode=disable", "PGPASSWORD=p", "t_0a1b2c"},
		{"postgresql://u@h/x?search_path=%24user%2C+%22Inkludera%22%2Cpublic&application_name=inkludera",
			"postgresql://u@h/x?application_name=inkludera", "", "Inkludera"},
	}
	for _, tc := range tests {
		got, err := pgTargetOf(tc.dsn)
		if err != nil {
			t.Fatal(err)
		}
		if got.uri != tc.uri || strings.Join(got.env, " ") != tc.env || got.searchPath != tc.searchPath {
			t.Errorf("pgTargetOf(%q) = %+v; want %q %q %q", tc.dsn, got, tc.uri, tc.env, tc.searchPath)
		}
	}
}

func TestCheckPGDumpVersion(t *testing.T) {
	tests := []struct {
		dump      int
		server    int
		tooOld    bool
		serverStr string
	}{
		{15, 150018, false, "15.18"},
		{16, 150018, false, "15.18"},
		{14, 150018, true, "15.18"},
		{17, 170002, false, "17.2"},
	}
	for _, tc := range tests {
		err := checkPGDumpVersion(tc.dump, fmt.Sprint(tc.dump, ".1"), tc.server, tc.serverStr)
		if tc.tooOld != (err != nil) {
			t.Errorf("pg_dump %d against %d: %v", tc.dump, tc.server, err)
		}
		if tc.tooOld && !strings.Contains(err.Error(), fmt.Sprintf("pg_dump %d.1 is older than the server, PostgreSQL %s: a backup needs pg_dump 15 or newer (apt-get install postgresql-client-15",
			tc.dump, tc.serverStr)) {
			t.Errorf("the message does not say what to do: %v", err)
		}
	}
}

// TestPGToolsMissing: without the client programs a PostgreSQL backup or
// restore says which is missing and how to get it, before it connects.
func TestPGToolsMissing(t *testing.T) {
	ctx := context.Background()
	dsn := "postgres://inkludera@127.0.0.1:1/inkludera"
	empty := t.TempDir()
	if _, err := Backup(ctx, dsn, filepath.Join(t.TempDir(), "b.dump"), BackupOptions{PGBin: empty}); strategy.CodeOf(err) != strategy.CodeNotFound ||
		!strings.Contains(err.Error(), "pg_dump was not found in "+empty) {
		t.Errorf("backup without pg_dump: %v", err)
	}
	dump := filepath.Join(t.TempDir(), "b.dump")
	if err := os.WriteFile(dump, []byte("PGDMP\x01\x0e"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Restore(ctx, dsn, dump, BackupOptions{PGBin: empty}); strategy.CodeOf(err) != strategy.CodeNotFound ||
		!strings.Contains(err.Error(), "pg_restore was not found in "+empty) {
		t.Errorf("restore without pg_restore: %v", err)
	}
	t.Setenv("PATH", empty)
	if _, err := Backup(ctx, dsn, filepath.Join(t.TempDir(), "b.dump"), BackupOptions{}); !strings.Contains(err.Error(),
		"pg_dump was not found on PATH: it comes with the PostgreSQL client programs (apt-get install postgresql-client") {
		t.Errorf("backup without pg_dump on PATH: %v", err)
	}
	// A SQLite backup is refused before anything is looked for.
	path := demoDB(t)
	if _, err := Restore(ctx, dsn, path, BackupOptions{PGBin: empty}); !strings.Contains(err.Error(), "is a SQLite backup and the database is PostgreSQL") {
		t.Errorf("a SQLite file into PostgreSQL: %v", err)
	}
}

// TestPGDumpTooOld: a pg_dump older than the server is refused with its
// version and the server's, before it runs.
func TestPGDumpTooOld(t *testing.T) {
	dsn := pgtest.URL(t)
	bin := t.TempDir()
	script := "#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'pg_dump (PostgreSQL) 9.6.24'; exit 0; fi\necho ran >&2; exit 1\n"
	if err := os.WriteFile(filepath.Join(bin, "pg_dump"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "b.dump")
	_, err := Backup(context.Background(), dsn, out, BackupOptions{PGBin: bin})
	if strategy.CodeOf(err) != strategy.CodeInvalid || !strings.Contains(err.Error(), "pg_dump 9.6 is older than the server, PostgreSQL ") {
		t.Fatalf("backup with pg_dump 9.6: %v", err)
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a backup file was left: %v", err)
	}
}

// pgTableRows counts the rows of every table of the URL's schema with SQL
// of its own.
func pgTableRows(t *testing.T, dsn string) map[string]int64 {
	t.Helper()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	return rowsPerTable(t, db, `SELECT tablename FROM pg_tables WHERE schemaname = current_schema()`)
}

// TestPostgresRestoreWhileServing: a PostgreSQL database is backed up and
// restored while a store (a server) has it open and writes; the store
// hears of the restore, reads the restored content and goes on writing.
func TestPostgresRestoreWhileServing(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.URL(t)
	st := openDemo(t, dsn)
	defer st.Close()
	want := pgTableRows(t, dsn)
	out := filepath.Join(t.TempDir(), "inkludera.dump")
	var steps []string
	a, err := Backup(ctx, dsn, out, BackupOptions{Progress: func(s string) { steps = append(steps, s) }})
	if err != nil {
		t.Fatal(err)
	}
	sameCounts(t, "the archive", archived(a), want)
	if a.Engine != "postgres" || a.Schema == "" || !strings.Contains(dsn, "search_path="+a.Schema) || a.Bytes <= 0 {
		t.Errorf("archive = %+v", a)
	}
	if len(steps) != 2 || !strings.HasPrefix(steps[0], "Dumping schema "+a.Schema+" with pg_dump ") {
		t.Errorf("progress = %q", steps)
	}
	if fi, err := os.Stat(out); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("the dump's permissions: %v, %v; want 0600", fi.Mode().Perm(), err)
	}

	if _, err := st.Import(ctx, yearOfValues(1950)); err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateUser(ctx, strategy.User{Email: "bo@kommun.se", Name: "Bo", Role: strategy.RoleAdmin}, "hash"); err != nil {
		t.Fatal(err)
	}
	version, err := st.ContentVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	watchCtx, stopWatching := context.WithCancel(ctx)
	defer stopWatching()
	heard, ok := st.WatchContent(watchCtx)
	if !ok {
		t.Fatal("a PostgreSQL store cannot watch")
	}
	time.Sleep(200 * time.Millisecond) // the listener connects
	drain(heard)

	r, err := Restore(ctx, dsn, out, BackupOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sameCounts(t, "after the restore", withoutContentVersion(pgTableRows(t, dsn)), withoutContentVersion(want))
	sameCounts(t, "the restore's account", withoutContentVersion(archived(r)), withoutContentVersion(want))
	select {
	case <-heard:
	case <-time.After(10 * time.Second):
		t.Error("the open store did not hear of the restore")
	}
	if v, err := st.ContentVersion(ctx); err != nil || v <= version {
		t.Errorf("content version after the restore = %d, %v; want above %d", v, err, version)
	}
	if _, err := st.UserByEmail(ctx, "bo@kommun.se"); strategy.CodeOf(err) != strategy.CodeNotFound {
		t.Errorf("the open store reads the account made after the backup: %v", err)
	}
	if _, err := st.Import(ctx, yearOfValues(1951)); err != nil {
		t.Errorf("the open store cannot write after the restore: %v", err)
	}
}

func drain(ch <-chan struct{}) {
	for {
		select {
		case <-ch:
		default:
			return
		}
	}
}

func withoutContentVersion(counts map[string]int64) map[string]int64 {
	m := maps.Clone(counts)
	delete(m, "content_version")
	return m
}

// TestPostgresRestoreRollsBack: a dump damaged in its data is found out
// part-way through the restore, which is rolled back.
func TestPostgresRestoreRollsBack(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.URL(t)
	st := openDemo(t, dsn)
	defer st.Close()
	out := filepath.Join(t.TempDir(), "inkludera.dump")
	a, err := Backup(ctx, dsn, out, BackupOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Import(ctx, yearOfValues(1950)); err != nil {
		t.Fatal(err)
	}
	want := pgTableRows(t, dsn)
	good, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	// An uncompressed dump shows its data, where a tab makes a row of the
	// organisations one column too long, which psql refuses.
	plain := filepath.Join(t.TempDir(), "plain.dump")
	target, err := pgTargetOf(dsn)
	if err != nil {
		t.Fatal(err)
	}
	dump := exec.Command("pg_dump", "--format=custom", "--compress=0", "--schema="+a.Schema, "--file="+plain, "--dbname="+target.uri)
	dump.Env = append(os.Environ(), target.env...)
	if b, err := dump.CombinedOutput(); err != nil {
		t.Fatalf("pg_dump: %v\n%s", err, b)
	}
	uncompressed, err := os.ReadFile(plain)
	if err != nil {
		t.Fatal(err)
	}

	// The end of the file is the data of the last table: pg_restore has
	// passed most of the restore to psql when it finds the damage and
	// stops, and psql gets no COMMIT.
	const says = "the restore was rolled back, the database is as it was; "
	tests := []struct {
		name   string
		dump   []byte
		damage func([]byte) []byte
		by     string
	}{
		{"cut short", good, func(b []byte) []byte { return b[:len(b)-64] }, "pg_restore says"},
		{"scrambled", good, func(b []byte) []byte {
			for i := len(b) - 256; i < len(b)-16; i += 3 {
				b[i] ^= 0x5a
			}
			return b
		}, "pg_restore says"},
		{"a row too long", uncompressed, func(b []byte) []byte {
			if !bytes.Contains(b, []byte("Östersunds kommun")) {
				t.Fatal("the uncompressed dump does not show the organisations")
			}
			return bytes.Replace(b, []byte("Östersunds kommun"), []byte("Östersunds\tkommun"), 1)
		}, "psql says"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			damaged := filepath.Join(t.TempDir(), "damaged.dump")
			if err := os.WriteFile(damaged, tc.damage(slices.Clone(tc.dump)), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := Restore(ctx, dsn, damaged, BackupOptions{})
			if err == nil || !strings.Contains(err.Error(), says+tc.by) {
				t.Fatalf("Restore = %v; want %q", err, says+tc.by)
			}
			sameCounts(t, "after the failed restore", pgTableRows(t, dsn), want)
		})
	}
}

// TestPostgresRestoreIntoAnotherSchema: a dump restores into the schema of
// the URL, under that name, when the dumped schema is not in the way.
func TestPostgresRestoreIntoAnotherSchema(t *testing.T) {
	ctx := context.Background()
	from, into := pgtest.URL(t), pgtest.URL(t)
	st := openDemo(t, from)
	st.Close()
	out := filepath.Join(t.TempDir(), "inkludera.dump")
	a, err := Backup(ctx, from, out, BackupOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := pgTableRows(t, from)
	_, err = Restore(ctx, into, out, BackupOptions{})
	if strategy.CodeOf(err) != strategy.CodeConflict || !strings.Contains(err.Error(), "the backup holds schema "+a.Schema+", which exists in this database too") {
		t.Fatalf("Restore beside the dumped schema = %v, want a conflict", err)
	}

	// Moved away (as if the dump came from another database), and back for
	// pgtest's clean-up.
	db, err := sql.Open("pgx", pgtest.BaseURL(t))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`ALTER SCHEMA ` + a.Schema + ` RENAME TO ` + a.Schema + `_away`); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		defer db.Close()
		if _, err := db.Exec(`ALTER SCHEMA ` + a.Schema + `_away RENAME TO ` + a.Schema); err != nil {
			t.Error(err)
		}
	})
	r, err := Restore(ctx, into, out, BackupOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Schema == a.Schema || !strings.Contains(into, "search_path="+r.Schema) {
		t.Errorf("restored into schema %s from %s, want the URL's", r.Schema, a.Schema)
	}
	sameCounts(t, "the other schema", withoutContentVersion(pgTableRows(t, into)), withoutContentVersion(want))
	var moved bool
	if err := db.QueryRow(`SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)`, a.Schema).Scan(&moved); err != nil || moved {
		t.Errorf("the dumped schema's name is taken after the restore: %v %v", moved, err)
	}
	st, err = Open(ctx, into)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.UserByEmail(ctx, "ada@kommun.se"); err != nil {
		t.Errorf("the restored account: %v", err)
	}
}

// TestPostgresRestoreVersions: a dump of an older schema is migrated on
// the way in; one of a newer schema is refused before anything changes.
func TestPostgresRestoreVersions(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.URL(t)
	st := openDemo(t, dsn)
	st.Close()
	want := pgTableRows(t, dsn)
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	p, err := goose.NewProvider(goose.DialectPostgres, db, os.DirFS("migrations/postgres"), goose.WithDisableGlobalRegistry(true))
	if err != nil {
		t.Fatal(err)
	}
	newest, err := newestMigration("postgres")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Down(ctx); err != nil {
		t.Fatal(err)
	}
	old := filepath.Join(t.TempDir(), "old.dump")
	if a, err := Backup(ctx, dsn, old, BackupOptions{}); err != nil || a.BackupVersion != newest-1 {
		t.Fatalf("backup of schema version %d: %+v, %v", newest-1, a, err)
	}
	var steps []string
	r, err := Restore(ctx, dsn, old, BackupOptions{Progress: func(s string) { steps = append(steps, s) }})
	if err != nil {
		t.Fatal(err)
	}
	if r.BackupVersion != newest-1 || r.SchemaVersion != newest {
		t.Errorf("restored versions %d → %d, want %d → %d", r.BackupVersion, r.SchemaVersion, newest-1, newest)
	}
	if !slices.Contains(steps, fmt.Sprintf("Migrating the restored schema from version %d to %d…", newest-1, newest)) {
		t.Errorf("progress = %q", steps)
	}
	// The demo has no rows in the newest migration's tables.
	sameCounts(t, "restored and migrated", withoutContentVersion(pgTableRows(t, dsn)), withoutContentVersion(want))

	if _, err := db.Exec(`INSERT INTO goose_db_version (version_id, is_applied) VALUES (99999, true)`); err != nil {
		t.Fatal(err)
	}
	newer := filepath.Join(t.TempDir(), "newer.dump")
	if _, err := Backup(ctx, dsn, newer, BackupOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`DELETE FROM goose_db_version WHERE version_id = 99999`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO organisations (code, name, kind) VALUES ('9999', 'Provkommun', 'kommun')`); err != nil {
		t.Fatal(err)
	}
	before := pgTableRows(t, dsn)
	_, err = Restore(ctx, dsn, newer, BackupOptions{})
	if strategy.CodeOf(err) != strategy.CodeInvalid || !strings.Contains(err.Error(), "was made by a newer Inkludera (schema version 99999") {
		t.Fatalf("restore of a newer dump: %v", err)
	}
	sameCounts(t, "after the refused restore", pgTableRows(t, dsn), before)
}

// TestPostgresBackupWhileWriting: a dump taken while a store writes holds
// the rows counted in its snapshot, a whole number of write transactions.
func TestPostgresBackupWhileWriting(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.URL(t)
	st := openDemo(t, dsn)
	defer st.Close()
	before := pgTableRows(t, dsn)["observations"]

	started, stop, done := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	go func() {
		for year := 1900; year < 2000; year++ {
			if _, err := st.Import(ctx, yearOfValues(year)); err != nil {
				done <- err
				return
			}
			if year == 1900 {
				close(started)
			}
			select {
			case <-stop:
				done <- nil
				return
			default:
			}
		}
		done <- nil
	}()
	<-started
	out := filepath.Join(t.TempDir(), "inkludera.dump")
	a, err := Backup(ctx, dsn, out, BackupOptions{})
	close(stop)
	if werr := <-done; werr != nil {
		t.Fatalf("a write failed during the backup: %v", werr)
	}
	if err != nil {
		t.Fatal(err)
	}
	counted := archived(a)["observations"]
	if added := counted - before; added <= 0 || added%2 != 0 {
		t.Errorf("the backup counted %d observations, %d more than the demo: not a whole number of imports of 2", counted, added)
	}
	if _, err := Restore(ctx, dsn, out, BackupOptions{}); err != nil {
		t.Fatal(err)
	}
	if got := pgTableRows(t, dsn)["observations"]; got != counted {
		t.Errorf("the dump holds %d observations, the backup counted %d", got, counted)
	}
}

// rowsPerTable counts the rows of every table the query names.
func rowsPerTable(t *testing.T, db *sql.DB, tablesQuery string) map[string]int64 {
	t.Helper()
	var names []string
	err := queryEach(context.Background(), db, tablesQuery, nil, func(rows *sql.Rows) error {
		var n string
		err := rows.Scan(&n)
		names = append(names, n)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int64{}
	for _, n := range names {
		var c int64
		if err := db.QueryRow(`SELECT COUNT(*) FROM "` + n + `"`).Scan(&c); err != nil {
			t.Fatal(err)
		}
		counts[n] = c
	}
	return counts
}
