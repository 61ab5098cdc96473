package store_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/inkludera/inkludera/internal/store"
	"github.com/inkludera/inkludera/internal/store/storetest"
	"github.com/inkludera/inkludera/internal/strategy"
)

func openTemp(t testing.TB) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "inkludera.db"))
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

func TestSQLite(t *testing.T) {
	storetest.Run(t, func(t *testing.T) strategy.Store { return openTemp(t) })
}

func TestOpen(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	tests := []struct {
		name string
		dsn  string
		code strategy.ErrorCode // "" = opens
		says string
	}{
		{"plain path, folders created", filepath.Join(dir, "a", "b", "x.db"), "", ""},
		{"sqlite: prefix", "sqlite:" + filepath.Join(dir, "y.db"), "", ""},
		{"sqlite:// URL", "sqlite://" + filepath.Join(dir, "z.db"), "", ""},
		{"postgres without a database", "postgres://u@localhost", strategy.CodeInvalid, "names no database"},
		{"postgresql without a database", "postgresql://u@localhost/", strategy.CodeInvalid, "names no database"},
		{"empty", "sqlite:", strategy.CodeInvalid, "empty"},
		{"memory", ":memory:", strategy.CodeInvalid, "file path"},
		{"options", filepath.Join(dir, "q.db") + "?cache=shared", strategy.CodeInvalid, "?"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := store.Open(ctx, tc.dsn)
			if tc.code == "" {
				if err != nil {
					t.Fatal(err)
				}
				s.Close()
				return
			}
			if err == nil {
				s.Close()
				t.Fatalf("Open(%q) succeeded", tc.dsn)
			}
			if strategy.CodeOf(err) != tc.code || !strings.Contains(err.Error(), tc.says) {
				t.Errorf("Open(%q) = %v; want %s mentioning %q", tc.dsn, err, tc.code, tc.says)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "a", "b", "x.db")); err != nil {
		t.Errorf("database file not created: %v", err)
	}
}

// TestReopen checks that data survives closing and that migrating an
// up-to-date database is harmless.
func TestReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "x.db")
	s, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	b := strategy.Bundle{Organisation: &strategy.Organisation{Code: "2380", Name: "Östersunds kommun", Kind: strategy.OrgKommun}}
	if _, err := s.Import(ctx, []strategy.Bundle{b}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Organisation(ctx, "2380"); err != nil {
		t.Fatal(err)
	}
}

// TestReimportWritesNothing looks below the interface: a re-import must
// not write to the file at all, which SQLite's data_version (bumped for
// every commit of another connection that changed the database) shows.
func TestReimportWritesNothing(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "x.db")
	s, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	bundles := sampleBundles(2000)
	if _, err := s.Import(ctx, bundles); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	version := func() int64 {
		var v int64
		if err := conn.QueryRowContext(ctx, "PRAGMA data_version").Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	v0 := version()
	sum, err := s.Import(ctx, bundles)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Modified() {
		t.Fatalf("re-import modified: %v", sum)
	}
	if v := version(); v != v0 {
		t.Errorf("re-import wrote to the database: data_version %d, then %d", v0, v)
	}
	bundles[0].Observations[1].Value = nil // [0] is already missing
	if _, err := s.Import(ctx, bundles); err != nil {
		t.Fatal(err)
	}
	if v := version(); v == v0 {
		t.Errorf("data_version did not move after a real change; the check above proves nothing")
	}
}
