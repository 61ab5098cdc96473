package main

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/inkludera/inkludera/internal/demo"
	"github.com/inkludera/inkludera/internal/obsfile"
	"github.com/inkludera/inkludera/internal/store"
	"github.com/inkludera/inkludera/internal/strategy"
)

// TestRoundFile reads a round's file back as inkludera import does: every
// row is the key keyAt gives and the value valueAt gives, and every key is
// one the rounds' checks count (years before 2000).
func TestRoundFile(t *testing.T) {
	const rows, marker = 1_000, 7
	obs := readRound(t, t.TempDir(), rows, marker)
	if len(obs) != rows {
		t.Fatalf("%d observations, want %d", len(obs), rows)
	}
	for i, o := range obs {
		org, year, gender := keyAt(i)
		want := float64(valueAt(marker, i))
		if o.Indicator != crashIndicator || o.Org != org || o.Year != year || string(o.Gender) != string(gender) ||
			o.Value == nil || *o.Value != want {
			t.Fatalf("row %d is %+v (value %v), want %s %s %d %c %v", i, o, o.Value, crashIndicator, org, year, gender, want)
		}
		if year >= firstYear+years {
			t.Fatalf("row %d has the year %d, outside the checked region", i, year)
		}
	}
	if org, year, gender := keyAt(maxRows - 1); org != "2599" || year != 1999 || gender != 'M' {
		t.Errorf("the last key is %s %d %c, want 2599 1999 M", org, year, gender)
	}
	if err := writeRound(filepath.Join(t.TempDir(), "x.csv"), maxRows+1, 0); err == nil {
		t.Error("a file with more rows than keys was written")
	}
}

func TestJudge(t *testing.T) {
	const rows = 100
	tests := []struct {
		name string
		s    state
		want verdict
	}{
		{"stored", state{cur: rows, region: rows, runs: 1}, present},
		{"not stored", state{prev: rows, region: rows}, absent},
		{"rows stored, run not", state{cur: rows, region: rows}, partial},
		{"run stored, rows not", state{prev: rows, region: rows, runs: 1}, partial},
		{"half of the rows", state{cur: rows / 2, prev: rows / 2, region: rows, runs: 1}, partial},
		{"earlier state damaged", state{prev: rows - 1, region: rows}, partial},
		{"a row missing", state{cur: rows - 1, region: rows - 1, runs: 1}, partial},
		{"a row too many", state{cur: rows, region: rows + 1, runs: 1}, partial},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.s.judge(rows); got != tt.want {
				t.Errorf("judge(%s) = %s, want %s", tt.s, got, tt.want)
			}
		})
	}
}

// TestCheckSQLite runs the checks on a real database after real imports,
// then after damage of each kind they must see.
func TestCheckSQLite(t *testing.T) {
	const rows = 900
	ctx := context.Background()
	dir := t.TempDir()
	e := sqliteEngine{path: filepath.Join(dir, "crash.db")}
	st, err := store.Open(ctx, e.path)
	if err != nil {
		t.Fatal(err)
	}
	bundles, err := demo.Bundles()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Import(ctx, bundles); err != nil {
		t.Fatal(err)
	}
	for m, scope := range []string{"r0.csv", "r1.csv"} {
		obs := readRound(t, dir, rows, m)
		_, err := st.ApplySourceRun(ctx, strategy.SourceRun{Source: "file", Scope: scope, StartedAt: time.Now(), FinishedAt: time.Now()}, obs, nil)
		if err != nil {
			t.Fatal(err)
		}
	}
	st.Close()

	judged := func(t *testing.T, cur, prev int, scope string) (state, verdict) {
		t.Helper()
		s, err := check(ctx, e, cur, prev, scope)
		if err != nil {
			t.Fatal(err)
		}
		return s, s.judge(rows)
	}
	if s, v := judged(t, 1, 0, "r1.csv"); v != present || len(s.problems) > 0 {
		t.Errorf("after the stored import: %s (%s), problems %q", v, s, s.problems)
	}
	if s, v := judged(t, 2, 1, "r2.csv"); v != absent || len(s.problems) > 0 {
		t.Errorf("after an import that never ran: %s (%s), problems %q", v, s, s.problems)
	}

	tests := []struct {
		name    string
		damage  string
		verdict verdict
		problem string // in the integrity problems; "" for none
	}{
		{"a value changed", `UPDATE observations SET value = value + 1 WHERE year = 1950 AND gender = 'K' AND org_code = '0100'`, partial, ""},
		{"a row deleted", `DELETE FROM observations WHERE year = 1901 AND gender = 'T' AND org_code = '0101'`, partial, ""},
		{"the run deleted", `DELETE FROM source_runs WHERE scope = 'r1.csv'`, partial, ""},
		{"a row of no indicator", `INSERT INTO observations (indicator_id, org_code, year, gender, value) VALUES (9999, '0100', 2001, 'T', 1)`,
			present, "foreign_key_check"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "copy.db")
			copyFile(t, e.path, path)
			db, err := sql.Open("sqlite", path+"?_pragma=foreign_keys(0)")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.ExecContext(ctx, tt.damage); err != nil {
				t.Fatal(err)
			}
			db.Close()
			s, err := check(ctx, sqliteEngine{path: path}, 1, 0, "r1.csv")
			if err != nil {
				t.Fatal(err)
			}
			if v := s.judge(rows); v != tt.verdict {
				t.Errorf("verdict %s (%s), want %s", v, s, tt.verdict)
			}
			problems := strings.Join(s.problems, "; ")
			if tt.problem == "" && problems != "" || !strings.Contains(problems, tt.problem) {
				t.Errorf("problems %q, want %q", problems, tt.problem)
			}
		})
	}
}

// readRound writes the file of a round and reads it as inkludera import
// does.
func readRound(t *testing.T, dir string, rows, marker int) []strategy.Observation {
	t.Helper()
	path := filepath.Join(dir, "round.csv")
	if err := writeRound(path, rows, marker); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	obs, problems := obsfile.Read(path, data, obsfile.Options{})
	if len(problems) > 0 {
		t.Fatalf("the round's file has problems: %v", problems)
	}
	return obs
}

// copyFile copies a closed SQLite database with its WAL, if it has one.
func copyFile(t *testing.T, from, to string) {
	t.Helper()
	for _, suffix := range []string{"", "-wal"} {
		data, err := os.ReadFile(from + suffix)
		if suffix != "" && os.IsNotExist(err) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(to+suffix, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestAdapt(t *testing.T) {
	const w = 10 * time.Second
	tests := []struct {
		name  string
		delay time.Duration
		ph    phase
		v     verdict
		want  time.Duration
	}{
		{"ended before the kill", 5 * time.Second, finished, present, w - w/20},
		{"before the commit, late in the window", 9500 * time.Millisecond, storing, absent, w + w/10},
		{"before the commit, early in the window", 3 * time.Second, storing, absent, w},
		{"while reading", 500 * time.Millisecond, reading, absent, w},
		{"in the commit", 9500 * time.Millisecond, storing, present, w},
		{"after the acknowledgement", 9900 * time.Millisecond, acknowledged, present, w},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := result{window: w}
			r.adapt(tt.delay, tt.ph, tt.v)
			if r.window != tt.want {
				t.Errorf("window %s, want %s", r.window, tt.want)
			}
		})
	}
}
