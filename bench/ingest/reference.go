package main

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/inkludera/inkludera/internal/store"
)

// reference is the sqlite3 side: the tool, the schema of Inkludera's
// tables, and the settings of Inkludera's connections.
type reference struct {
	tool    string
	version string
	schema  string
	pragmas []string
}

// newReference reads the SQL of Inkludera's indicators and observations
// tables and their indexes from a freshly migrated database, so that the
// reference table is ours by construction, and the connection settings:
// the store turns on WAL and foreign keys and leaves synchronous and the
// page cache at the driver's defaults, which are read here so that the
// reference gets the same durability and cache whatever its own defaults.
func newReference(c config) (*reference, error) {
	ctx := context.Background()
	out, err := exec.Command(c.sqlite3, "--version").Output()
	if err != nil {
		return nil, fmt.Errorf("%s --version: %w", c.sqlite3, err)
	}
	version, _, _ := strings.Cut(string(out), " ")
	r := &reference{tool: c.sqlite3, version: version}

	path := filepath.Join(c.dir, "schema.db")
	defer removeDB(path)
	s, err := store.Open(ctx, "sqlite:"+path)
	if err != nil {
		return nil, err
	}
	s.Close()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `SELECT type, name, sql FROM sqlite_schema
		WHERE tbl_name IN ('indicators', 'observations') AND sql IS NOT NULL ORDER BY type DESC, name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var b strings.Builder
	var tables []string
	for rows.Next() {
		var typ, name, text string
		if err := rows.Scan(&typ, &name, &text); err != nil {
			return nil, err
		}
		if typ == "table" {
			tables = append(tables, name)
		}
		b.WriteString(text + ";\n")
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if !slices.Equal(tables, []string{"indicators", "observations"}) {
		return nil, fmt.Errorf("expected the indicators and observations tables in the migrations, found %v", tables)
	}
	r.schema = b.String()

	var synchronous, cacheSize int
	if err := db.QueryRowContext(ctx, `PRAGMA synchronous`).Scan(&synchronous); err != nil {
		return nil, err
	}
	if err := db.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&cacheSize); err != nil {
		return nil, err
	}
	r.pragmas = []string{
		"PRAGMA journal_mode=WAL;",
		"PRAGMA foreign_keys=ON;",
		"PRAGMA synchronous=" + strconv.Itoa(synchronous) + ";",
		"PRAGMA cache_size=" + strconv.Itoa(cacheSize) + ";",
	}
	return r, nil
}

// run creates the reference database with the schema and the indicators,
// then times one sqlite3 process importing the CSV in one transaction.
func (r *reference) run(path, csvPath string, ds *dataset) (result, error) {
	var setup strings.Builder
	setup.WriteString("PRAGMA journal_mode=WAL;\n" + r.schema)
	for k, ind := range ds.indicators() {
		fmt.Fprintf(&setup, "INSERT INTO indicators (id, key, title, unit, polarity, source, breakdowns) VALUES (%d, '%s', '%s', '%s', '%s', '%s', '[\"gender\"]');\n",
			k+1, ind.Key, ind.Title, ind.Unit, ind.Polarity, ind.Source)
	}
	if _, err := r.exec(path, setup.String()); err != nil {
		return result{}, fmt.Errorf("creating the reference database: %w", err)
	}

	script := strings.Join(r.pragmas, "\n") + "\nBEGIN;\n.import --csv " + csvPath + " observations\nCOMMIT;\n"
	t0 := time.Now()
	ps, err := r.exec(path, script)
	wall := time.Since(t0)
	if err != nil {
		return result{}, fmt.Errorf("sqlite3 .import: %w", err)
	}
	n, err := r.count(path, "SELECT count(*) FROM observations;")
	if err != nil {
		return result{}, err
	}
	if n != ds.n {
		return result{}, fmt.Errorf("sqlite3 imported %d rows, want %d", n, ds.n)
	}
	return result{rows: n, wall: wall, cpu: ps.cpu}, nil
}

// compare checks that the two databases hold the same n rows, and returns
// how many values differ in the last bits: the sqlite3 tested (3.40.1)
// rounds some decimal texts to a neighbouring double, where Inkludera
// stores Go's correctly rounded value. The CSV import stores a missing value as ” (.import cannot
// write NULL), which counts as equal to our NULL.
func (r *reference) compare(inkPath, refPath string, n int) (offByULP int, err error) {
	const join = `
		FROM main.observations a JOIN r.observations b
			ON a.indicator_id = b.indicator_id AND a.org_code = b.org_code AND a.year = b.year AND a.gender = b.gender
		WHERE a.status = b.status AND a.preliminary = b.preliminary AND a.source = b.source
			AND a.source_url = b.source_url AND a.fetched_at = b.fetched_at`
	out, err := r.exec(inkPath, "ATTACH '"+refPath+"' AS r;\n"+
		"SELECT count(*) "+join+" AND (a.value IS b.value OR (a.value IS NULL AND b.value = '') OR abs(a.value - b.value) <= 4.5e-16 * abs(a.value));\n"+
		"SELECT count(*) "+join+" AND a.value IS NOT b.value AND abs(a.value - b.value) <= 4.5e-16 * abs(a.value);\n")
	if err != nil {
		return 0, err
	}
	var same int
	if _, err := fmt.Sscan(string(out.output), &same, &offByULP); err != nil {
		return 0, fmt.Errorf("sqlite3 answered %q", out.output)
	}
	if same != n {
		return 0, fmt.Errorf("only %d of %d rows are the same in both databases", same, n)
	}
	return offByULP, nil
}

func (r *reference) count(path, script string) (int, error) {
	out, err := r.exec(path, script)
	if err != nil {
		return 0, err
	}
	n, err := strconv.Atoi(strings.TrimSpace(string(out.output)))
	if err != nil {
		return 0, fmt.Errorf("sqlite3 answered %q", out.output)
	}
	return n, nil
}

type processResult struct {
	output []byte
	cpu    time.Duration
}

// exec runs the tool on the database with the script on its standard
// input; anything on standard error is a failure (.import reports bad rows
// there and goes on).
func (r *reference) exec(db, script string) (processResult, error) {
	cmd := exec.Command(r.tool, "-batch", "-bail", db)
	cmd.Stdin = strings.NewReader(script)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if err == nil && stderr.Len() > 0 {
		err = errors.New("wrote to standard error")
	}
	var res processResult
	if cmd.ProcessState != nil {
		res.cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	res.output = stdout.Bytes()
	if err != nil {
		line, _, _ := strings.Cut(strings.TrimSpace(stderr.String()), "\n")
		return res, fmt.Errorf("%w: %s", err, line)
	}
	return res, nil
}
