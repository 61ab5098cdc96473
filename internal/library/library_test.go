package library_test

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/inkludera/inkludera/internal/library"
	"github.com/inkludera/inkludera/internal/pgtest"
	"github.com/inkludera/inkludera/internal/search"
	"github.com/inkludera/inkludera/internal/store"
	"github.com/inkludera/inkludera/internal/strategy"
)

// engines runs f on a fresh SQLite store (with bleve) and, when a server
// is given, a fresh PostgreSQL schema.
func engines(t *testing.T, f func(t *testing.T, st *store.Store, open func() *library.Library)) {
	t.Run("sqlite", func(t *testing.T) {
		dir := t.TempDir()
		st, err := store.Open(context.Background(), filepath.Join(dir, "lib.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		f(t, st, func() *library.Library { return openLibrary(t, st, "") })
	})
	t.Run("postgres", func(t *testing.T) {
		st, err := store.Open(context.Background(), pgtest.URL(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		f(t, st, func() *library.Library { return openLibrary(t, st, "") })
	})
}

func openLibrary(t *testing.T, st *store.Store, dir string) *library.Library {
	t.Helper()
	lib, err := library.Open(context.Background(), st, dir, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lib.Close() })
	return lib
}

var (
	schoolA = library.File{Name: "skola-ostersund.txt", Data: []byte(`Integrationsstrategi för Östersunds kommun 2020

Antagen av kommunfullmäktige den 10 maj 2016.

Kommunerna i länet ska samverka om modersmålsundervisning i skolan. Nyanlända elever ska få studiehandledning på modersmålet och skolan ska följa upp elevernas behörighet till gymnasieskolan.`)}
	schoolB = library.File{Name: "skolplan-stromsund.md", Data: []byte(`# Plan för nyanlända elever i Strömsunds kommun

Skolan ska erbjuda modersmålsundervisning och studiehandledning. Eleverna ska nå behörighet till gymnasieskolan och skolans lärare ska få fortbildning.`)}
	work = library.File{Name: "arbete.txt", Data: []byte(`Program för arbetsmarknad och integration i Bräcke kommun

Kommunen ska erbjuda praktikplatser och arbetsmarknadsinsatser för utrikes födda. Arbetsförmedlingen och näringslivet är viktiga samarbetsparter för sysselsättning.`)}
)

func titles(t *testing.T, lib *library.Library, q search.Query) []string {
	t.Helper()
	res, err := lib.Search(context.Background(), q)
	if err != nil {
		t.Fatalf("%+v: %v", q, err)
	}
	var out []string
	for _, h := range res.Hits {
		out = append(out, h.Title)
	}
	slices.Sort(out)
	return out
}

func TestLibrary(t *testing.T) {
	ctx := context.Background()
	engines(t, func(t *testing.T, st *store.Store, open func() *library.Library) {
		lib := open()
		res, err := lib.Add(ctx, []library.File{schoolA, work, schoolB}, library.AddOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Added) != 3 || len(res.Duplicates) != 0 {
			t.Fatalf("added %+v", res)
		}
		a := res.Added[0]
		if a.OrgCode != "2380" || a.Year == 0 || a.Kind != strategy.KindStrategy || a.Format != "text" || a.Words < 20 {
			t.Errorf("detected metadata: %+v", a.LibraryMeta)
		}

		t.Run("related documents", func(t *testing.T) {
			rel, err := st.RelatedLibraryDocuments(ctx, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(rel) == 0 || rel[0].ID != res.Added[2].ID {
				t.Errorf("the other school document is not the most related: %+v", rel)
			}
			if len(rel) == 2 && rel[1].Score >= rel[0].Score {
				t.Errorf("not in order: %+v", rel)
			}
		})
		t.Run("search", func(t *testing.T) {
			for q, want := range map[string][]string{
				"kommun":             {a.Title, res.Added[1].Title, res.Added[2].Title},
				"modersmål":          {a.Title, res.Added[2].Title},
				"arbetsmarknad":      {res.Added[1].Title},
				"strategi":           {a.Title},
				"undervisning skola": {a.Title, res.Added[2].Title},
			} {
				if got := titles(t, lib, search.Query{Text: q}); !slices.Equal(got, sorted(want)) {
					t.Errorf("%q: got %q, want %q", q, got, sorted(want))
				}
			}
		})
		t.Run("duplicates by content", func(t *testing.T) {
			same := library.File{Name: "kopia.txt", Data: []byte(strings.ToUpper(string(work.Data)) + "\n\n")}
			again, err := lib.Add(ctx, []library.File{same}, library.AddOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if len(again.Added) != 0 || len(again.Duplicates) != 1 || again.Duplicates[0].Existing.ID != res.Added[1].ID {
				t.Errorf("%+v", again)
			}
		})
		t.Run("an unreadable file stores nothing", func(t *testing.T) {
			bad := library.File{Name: "gammal.doc", Data: []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 old word")}
			fresh := library.File{Name: "ny.txt", Data: []byte("Riktlinjer för mottagande av nyanlända i Krokoms kommun.")}
			out, err := lib.Add(ctx, []library.File{fresh, bad}, library.AddOptions{})
			if err == nil || len(out.Problems) != 1 || !strings.Contains(out.Problems[0].Error(), "gammal.doc") || out.Problems[0].Svenska == "" {
				t.Fatalf("%+v, %v", out, err)
			}
			if _, total, _ := st.LibraryDocuments(ctx, 0, 10); total != 3 {
				t.Errorf("%d documents after a failed add", total)
			}
			out, err = lib.Add(ctx, []library.File{fresh, bad}, library.AddOptions{SkipUnreadable: true})
			if err != nil || len(out.Added) != 1 {
				t.Errorf("skipping: %+v, %v", out, err)
			}
		})
		t.Run("edit and delete reach the index", func(t *testing.T) {
			d, err := lib.Edit(ctx, a.ID, a.Rev, strategy.LibraryMeta{Title: "Flyktingpolicy", OrgCode: "2380", Kind: strategy.KindPolicy})
			if err != nil {
				t.Fatal(err)
			}
			if got := titles(t, lib, search.Query{Text: "flykting"}); !slices.Equal(got, []string{"Flyktingpolicy"}) {
				t.Errorf("after the edit: %q", got)
			}
			if got := titles(t, lib, search.Query{Kind: "policy"}); !slices.Equal(got, []string{"Flyktingpolicy"}) {
				t.Errorf("kind facet after the edit: %q", got)
			}
			if err := lib.Delete(ctx, d.ID); err != nil {
				t.Fatal(err)
			}
			if got := titles(t, lib, search.Query{Text: "modersmål"}); !slices.Equal(got, []string{res.Added[2].Title}) {
				t.Errorf("after the delete: %q", got)
			}
			rel, _ := st.RelatedLibraryDocuments(ctx, res.Added[2].ID)
			for _, n := range rel {
				if n.ID == d.ID {
					t.Errorf("the deleted document is still related: %+v", rel)
				}
			}
		})
	})
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

// TestIndexFollowsTheDatabase: documents another process stored (here a
// second library on the same SQLite file) reach an index at its next
// sync, and a new index is built from the database.
func TestIndexFollowsTheDatabase(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.Open(ctx, filepath.Join(dir, "lib.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	server := openLibrary(t, st, filepath.Join(dir, "server.idx"))
	cli := openLibrary(t, st, filepath.Join(dir, "cli.idx"))
	if _, err := cli.Add(ctx, []library.File{schoolA, work}, library.AddOptions{}); err != nil {
		t.Fatal(err)
	}
	if got := titles(t, server, search.Query{}); len(got) != 0 {
		t.Fatalf("found before syncing: %q", got)
	}
	var progress []int
	if err := server.Sync(ctx, func(done, total int) { progress = append(progress, done, total) }); err != nil {
		t.Fatal(err)
	}
	if got := titles(t, server, search.Query{Text: "kommun"}); len(got) != 2 {
		t.Errorf("after syncing: %q", got)
	}
	if !slices.Equal(progress, []int{2, 2}) {
		t.Errorf("progress %v", progress)
	}
	// Opened again, the server's index has nothing to catch up on.
	server.Close()
	progress = nil
	again, err := library.Open(ctx, st, filepath.Join(dir, "server.idx"), nil, func(done, total int) { progress = append(progress, done, total) })
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if len(progress) != 0 {
		t.Errorf("reopening indexed again: %v", progress)
	}
	if got := titles(t, again, search.Query{Text: "kommun"}); len(got) != 2 {
		t.Errorf("after reopening: %q", got)
	}
	// A third, new index is built at open.
	third := openLibrary(t, st, filepath.Join(dir, "third.idx"))
	if n, _ := third.Searcher().Count(ctx); n != 2 {
		t.Errorf("a new index holds %d documents", n)
	}
}

// TestIndexInUse: while a server holds the index, the CLI still stores
// documents, and the server indexes them at its next sync.
func TestIndexInUse(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.Open(ctx, filepath.Join(dir, "lib.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	server := openLibrary(t, st, "")
	cli, err := library.Open(ctx, st, "", nil, nil)
	if !errors.Is(err, search.ErrIndexInUse) || cli == nil {
		t.Fatalf("second open: %v", err)
	}
	if _, err := cli.Add(ctx, []library.File{work}, library.AddOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := cli.Search(ctx, search.Query{Text: "kommun"}); !errors.Is(err, search.ErrIndexInUse) {
		t.Errorf("searching without the index: %v", err)
	}
	if err := server.Sync(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if got := titles(t, server, search.Query{Text: "arbetsmarknad"}); len(got) != 1 {
		t.Errorf("the server's index: %q", got)
	}
}
