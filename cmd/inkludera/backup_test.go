package main

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/inkludera/inkludera/internal/pgtest"
	"github.com/inkludera/inkludera/internal/store"
	"github.com/inkludera/inkludera/internal/strategy"
)

// TestBackupRoundTripSQLite and TestBackupRoundTripPostgres are the
// acceptance test of backup and restore: the exports of every
// organisation after backup, change and restore are byte for byte those
// of before, and every table holds as many rows.
func TestBackupRoundTripSQLite(t *testing.T) {
	backupRoundTrip(t, filepath.Join(t.TempDir(), "inkludera.db"), "inkludera.backup.db")
}

func TestBackupRoundTripPostgres(t *testing.T) {
	backupRoundTrip(t, pgtest.URL(t), "inkludera.dump")
}

// The tables the filled database must have rows in, so that the round
// trip cannot pass by carrying nothing.
var mustHaveRows = []string{"organisations", "documents", "observations", "users", "api_tokens", "audit_log",
	"report_approvals", "report_files", "goose_db_version", "content_version"}

func backupRoundTrip(t *testing.T, db, name string) {
	fillForBackup(t, db)
	orgs := orgCodes(t, db)
	before := exportEveryOrg(t, db, orgs)
	counts := rowCounts(t, db)
	for _, table := range mustHaveRows {
		if counts[table] == 0 {
			t.Fatalf("the database has no rows in %s to back up", table)
		}
	}

	file := filepath.Join(t.TempDir(), name)
	stdout, stderr, err := cli(t, "backup", "--db", db, "-o", file)
	if err != nil {
		t.Fatalf("backup: %v\n%s", err, stderr)
	}
	summary := regexp.MustCompile(`^Backed up .+ to ` + regexp.QuoteMeta(file) +
		` in [0-9.]+(µs|ms|s): (SQLite|PostgreSQL schema t_[0-9a-f]+), \d+ bytes, schema version \d+, \d+ tables with \d+ rows\.\n$`)
	if !summary.MatchString(stdout) {
		t.Errorf("backup printed %q", stdout)
	}
	if strings.Contains(stdout, "inkludera:inkludera@") {
		t.Errorf("backup printed the database password: %q", stdout)
	}
	if !strings.Contains(stderr, "Copying") && !strings.Contains(stderr, "Dumping schema") {
		t.Errorf("backup's progress = %q", stderr)
	}

	changeAfterBackup(t, db)
	if changed := exportEveryOrg(t, db, orgs); changed["2313"] == before["2313"] || changed["2380"] == before["2380"] {
		t.Fatal("the change after the backup changed no export: the round trip would prove nothing")
	}

	stdout, stderr, err = cli(t, "restore", "--db", db, file)
	if err != nil {
		t.Fatalf("restore: %v\n%s", err, stderr)
	}
	if !strings.HasPrefix(stdout, "Restored "+file+" into ") || !strings.Contains(stdout, " tables with ") {
		t.Errorf("restore printed %q", stdout)
	}
	after := exportEveryOrg(t, db, orgs)
	for _, org := range orgs {
		if after[org] != before[org] {
			t.Errorf("the export of %s after the restore differs from the one before the backup (%d bytes, was %d)",
				org, len(after[org]), len(before[org]))
		}
	}
	restored := rowCounts(t, db)
	for table, n := range counts {
		if table == "content_version" {
			continue // one row, whose number a PostgreSQL restore raises
		}
		if restored[table] != n {
			t.Errorf("table %s holds %d rows after the restore, %d before the backup", table, restored[table], n)
		}
	}
	for table := range restored {
		if _, ok := counts[table]; !ok {
			t.Errorf("the restore made table %s", table)
		}
	}

	// The accounts, their token and the approved report are those of the
	// backup, and work.
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	if _, err := st.UserByEmail(ctx, "ada@kommun.se"); err != nil {
		t.Errorf("the account of the backup: %v", err)
	}
	if _, err := st.UserByEmail(ctx, "bo@kommun.se"); strategy.CodeOf(err) != strategy.CodeNotFound {
		t.Errorf("the account made after the backup: %v, want not found", err)
	}
	if _, stderr, err := cli(t, "report", "get", "--db", db, "--id", "1", "--format", "json", "-o", filepath.Join(t.TempDir(), "r.json")); err != nil {
		t.Errorf("the approved report after the restore: %v\n%s", err, stderr)
	}
	if _, _, err := cli(t, "report", "get", "--db", db, "--id", "2", "--format", "json", "-o", filepath.Join(t.TempDir(), "r.json")); err == nil {
		t.Error("the report approved after the backup is still there")
	}
}

// fillForBackup stores the demo, observations from a file, an account
// with an API token and an approved report (with its audit entries).
func fillForBackup(t *testing.T, db string) {
	t.Helper()
	mustCLI(t, append([]string{"import", "--db", db}, demoFiles(t)...)...)
	values := filepath.Join(t.TempDir(), "values.csv")
	writeFile(t, values, "org,indicator,year,gender,value\n2380,utrikes-fodda-andel,2019,T,9.75\n2313,folkmangd,2024,T,11512\n")
	mustCLI(t, "import", "--db", db, values)
	mustCLIIn(t, "korrekt häst batteri häftklammer\n", "user", "add", "--db", db, "--email", "ada@kommun.se", "--name", "Ada", "--role", "admin")
	mustCLI(t, "user", "token", "--db", db, "--email", "ada@kommun.se", "--name", "backup-test")
	saved := reportToday
	reportToday = func() strategy.Date { return strategy.Date{Year: 2022, Month: 3, Day: 15} }
	t.Cleanup(func() { reportToday = saved })
	approveReport(t, db, "KS 2022-04-05 § 45")
}

func approveReport(t *testing.T, db, decision string) {
	t.Helper()
	mustCLI(t, "report", "approve", "--db", db, "--org", "2380", "--document", "ostersund-integrationsstrategi-2020",
		"--year", "2021", "--decision", decision, "--decided-on", "2022-04-05")
}

// changeAfterBackup changes what the backup holds in every way the CLI
// can: a revised value, a document with a new title and a term fewer, a
// new account and a second approval.
func changeAfterBackup(t *testing.T, db string) {
	t.Helper()
	values := filepath.Join(t.TempDir(), "revised.csv")
	writeFile(t, values, "org,indicator,year,gender,value\n2380,utrikes-fodda-andel,2021,T,12.25\n")
	mustCLI(t, "import", "--db", db, values)

	yaml, err := os.ReadFile("../../internal/demo/stromsund.yaml")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(yaml)
	for _, cut := range []struct{ from, to string }{
		{"title: Program för inflyttning och integration 2014–2015", "title: Program för inflyttning 2014–2015"},
		{doc[strings.Index(doc, "    - key: asylsokande"):strings.Index(doc, "  action_plans:")], ""},
	} {
		if !strings.Contains(doc, cut.from) {
			t.Fatalf("the demo has no %q", cut.from)
		}
		doc = strings.Replace(doc, cut.from, cut.to, 1)
	}
	changed := filepath.Join(t.TempDir(), "stromsund.yaml")
	writeFile(t, changed, doc)
	mustCLI(t, "import", "--db", db, changed)

	mustCLIIn(t, "ett annat långt lösenord\n", "user", "add", "--db", db, "--email", "bo@kommun.se", "--name", "Bo", "--role", "admin")
	approveReport(t, db, "KS 2022-05-10 § 61")
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func orgCodes(t *testing.T, db string) []string {
	t.Helper()
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	orgs, err := st.ListOrganisations(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, o := range orgs {
		codes = append(codes, o.Code)
	}
	if len(codes) < 2 {
		t.Fatalf("organisations: %v", codes)
	}
	return codes
}

// exportEveryOrg runs inkludera export for every organisation: code → YAML.
func exportEveryOrg(t *testing.T, db string, orgs []string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, org := range orgs {
		out[org] = mustCLI(t, "export", "--db", db, "--org", org)
	}
	return out
}

// rowCounts counts the rows of every table of the database, with SQL of
// its own rather than the store's.
func rowCounts(t *testing.T, dsn string) map[string]int64 {
	t.Helper()
	driver, list := "sqlite", `SELECT name FROM sqlite_schema WHERE type = 'table'`
	if strings.HasPrefix(dsn, "postgres") {
		driver, list = "pgx", `SELECT tablename FROM pg_tables WHERE schemaname = current_schema()`
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(list)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, name)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	counts := map[string]int64{}
	for _, table := range tables {
		var n int64
		if err := db.QueryRow(`SELECT COUNT(*) FROM "` + table + `"`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		counts[table] = n
	}
	return counts
}

// TestRestoreCommandMistakes: mistakes on the command line and refused
// restores exit as the other commands do and change nothing.
func TestRestoreCommandMistakes(t *testing.T) {
	db := userDB(t)
	backup := filepath.Join(t.TempDir(), "b.db")
	mustCLI(t, "backup", "--db", db, "-o", backup)
	pgDump := filepath.Join(t.TempDir(), "b.dump")
	writeFile(t, pgDump, "PGDMP\x01\x0e\x00")
	before := rowCounts(t, db)
	tests := []struct {
		name string
		args []string
		exit int
		says string
	}{
		{"backup without -o", []string{"backup", "--db", db}, 2, "backup needs -o FILE"},
		{"backup to standard output", []string{"backup", "--db", db, "-o", "-"}, 2, "not standard output"},
		{"backup with an argument", []string{"backup", "--db", db, "-o", backup, "extra"}, 2, `backup takes no arguments, got "extra"`},
		{"backup of no database", []string{"backup", "--db", filepath.Join(t.TempDir(), "x.db"), "-o", backup}, 1, "there is no database"},
		{"restore without a file", []string{"restore", "--db", db}, 2, "restore needs one FILE, the backup, got 0"},
		{"restore of two files", []string{"restore", "--db", db, backup, backup}, 2, "got 2"},
		{"restore of a PostgreSQL dump", []string{"restore", "--db", db, pgDump}, 1,
			"is a PostgreSQL backup and the database is SQLite: a backup restores only into the engine it was made from. To move between engines, export"},
		{"restore of SQLite into PostgreSQL", []string{"restore", "--db", "postgres://inkludera:hemligt@127.0.0.1:1/x", backup}, 1,
			"is a SQLite backup and the database is PostgreSQL"},
		{"restore of no file", []string{"restore", "--db", db, filepath.Join(t.TempDir(), "finns-inte.db")}, 1, "there is no backup file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, err := cli(t, tc.args...)
			if err == nil {
				t.Fatal("no error")
			}
			if exitCode(err) != tc.exit || !strings.Contains(err.Error(), tc.says) {
				t.Errorf("exit %d, %v; want exit %d saying %q\n%s", exitCode(err), err, tc.exit, tc.says, stderr)
			}
		})
	}
	after := rowCounts(t, db)
	for table, n := range before {
		if after[table] != n {
			t.Errorf("table %s: %d rows, was %d", table, after[table], n)
		}
	}
}

// TestRestoreRefusesARunningServer: restore finds the database of a
// running server in use and leaves it alone.
func TestRestoreRefusesARunningServer(t *testing.T) {
	db := userDB(t)
	backup := filepath.Join(t.TempDir(), "b.db")
	mustCLI(t, "backup", "--db", db, "-o", backup)
	st, err := store.Open(context.Background(), db) // what inkludera serve holds
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	_, _, err = cli(t, "restore", "--db", db, backup)
	if err == nil || !strings.Contains(err.Error(), "is in use: stop inkludera serve and any other inkludera command using it") {
		t.Fatalf("restore beside a running server: %v", err)
	}
}
