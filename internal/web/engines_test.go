package web

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/inkludera/inkludera/internal/pgtest"
	"github.com/inkludera/inkludera/internal/store"
)

// The API's end-to-end tests run on both engines: onEngines runs a test
// once as subtest "sqlite" and once as "postgres", and every store the
// test opens through openTestDB (newTestStore, openDemoStore) is of that
// subtest's engine. Other tests get SQLite.

// testEngines maps a test's name to the engine it was started on.
var testEngines sync.Map

func onEngines(t *testing.T, test func(t *testing.T)) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			if engine == "postgres" {
				pgtest.BaseURL(t) // skips, or fails under CI=true, without a server
			}
			testEngines.Store(t.Name(), engine)
			t.Cleanup(func() { testEngines.Delete(t.Name()) })
			test(t)
		})
	}
}

// engineOf is the engine of the nearest enclosing onEngines subtest.
func engineOf(t testing.TB) string {
	name := t.Name()
	for {
		if e, ok := testEngines.Load(name); ok {
			return e.(string)
		}
		i := strings.LastIndex(name, "/")
		if i < 0 {
			return "sqlite"
		}
		name = name[:i]
	}
}

// openTestDB opens an empty store of the test's engine, closed when the
// test ends; file names the SQLite file.
func openTestDB(t testing.TB, file string) *store.Store {
	t.Helper()
	dsn := "sqlite:" + filepath.Join(t.TempDir(), file)
	if engineOf(t) == "postgres" {
		dsn = pgtest.URL(t)
	}
	st, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}
