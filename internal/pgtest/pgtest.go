// Package pgtest gives tests a PostgreSQL database of their own: a fresh
// schema in the database named by INKLUDERA_TEST_POSTGRES, dropped when the
// test ends. Schemas are cheap to make and drop, so every test starts
// empty and tests of several packages can share one server.
//
// Without INKLUDERA_TEST_POSTGRES a test skips, or fails under CI=true: CI
// must run both engines (.ci/postgres starts a server and prints the URL).
package pgtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

// EnvVar names the base database of the tests.
const EnvVar = "INKLUDERA_TEST_POSTGRES"

// BaseURL returns the URL of the test server's database, skipping the
// test (failing it under CI=true) when none is configured.
func BaseURL(t testing.TB) string {
	t.Helper()
	base := os.Getenv(EnvVar)
	if base == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not set: CI runs every store test on PostgreSQL too (.ci/postgres starts a server)", EnvVar)
		}
		t.Skipf("%s is not set; skipping the PostgreSQL run (see .ci/postgres)", EnvVar)
	}
	return base
}

// URL returns a connection URL whose search_path is a new, empty schema,
// dropped with everything in it when the test ends.
func URL(t testing.TB) string {
	t.Helper()
	base := BaseURL(t)
	schema := NewSchema(t, base)
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s: %v", EnvVar, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// NewSchema creates a schema with a random name in the database at base
// and drops it when the test ends.
func NewSchema(t testing.TB, base string) string {
	t.Helper()
	db, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("opening %s: %v", EnvVar, err)
	}
	var b [6]byte
	rand.Read(b[:])
	schema := "t_" + hex.EncodeToString(b[:])
	if _, err := db.ExecContext(context.Background(), "CREATE SCHEMA "+schema); err != nil {
		db.Close()
		t.Fatalf("creating schema %s in %s: %v", schema, EnvVar, err)
	}
	t.Cleanup(func() {
		defer db.Close()
		if _, err := db.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("dropping schema %s: %v", schema, err)
		}
	})
	return schema
}
