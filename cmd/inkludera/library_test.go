package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLibraryCommands: add a folder, see duplicates and unreadable files
// refused, search with facets and snippets, list, and rebuild the index.
func TestLibraryCommands(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "lib.db")
	docs := filepath.Join(dir, "dokument")
	if err := os.MkdirAll(filepath.Join(docs, "äldre"), 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(name, text string) string {
		path := filepath.Join(docs, name)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	write("ostersund.txt", "Integrationsstrategi för Östersunds kommun\n\nAntagen av kommunfullmäktige 2016-05-10.\n\nKommunerna ska samverka om arbetsmarknadsinsatser för nyanlända.")
	write("äldre/stromsund.md", "# Integrationsprogram för Strömsunds kommun 2019\n\nSocial sammanhållning och modersmålsundervisning i skolan.")
	write("anteckningar.csv", "not;a;document") // not a library file: a folder add skips it
	bad := write("trasig.pdf", "%PDF-1.4 nothing else")

	// One unreadable file: nothing is stored.
	_, stderr, err := cli(t, "library", "add", "--db", db, docs, bad)
	if err == nil || !strings.Contains(stderr, "trasig.pdf") || !strings.Contains(err.Error(), "--skip-unreadable") {
		t.Fatalf("an unreadable file: %v\n%s", err, stderr)
	}
	if out := mustCLI(t, "library", "list", "--db", db); out != "" {
		t.Fatalf("stored after a failed add: %q", out)
	}
	os.Remove(bad)
	out, stderr, err := cli(t, "library", "add", "--db", db, docs)
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if strings.Count(out, "added ") != 2 || !strings.Contains(out, "Östersund 2380") || !strings.Contains(stderr, "[2/2]") {
		t.Errorf("add:\n%s\n%s", out, stderr)
	}
	out = mustCLI(t, "library", "add", "--db", db, filepath.Join(docs, "ostersund.txt"))
	if !strings.Contains(out, "already in the library as 1") {
		t.Errorf("duplicate: %s", out)
	}

	out, stderr, err = cli(t, "library", "search", "--db", db, "kommun")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(out, "\n\t… ") < 2 || !strings.Contains(out, "»Kommunerna«") || !strings.Contains(stderr, "2 documents match") ||
		!strings.Contains(stderr, "kind: ") {
		t.Errorf("search:\n%s\n%s", out, stderr)
	}
	out = mustCLI(t, "library", "search", "--db", db, "--kind", "program", "skola")
	if !strings.Contains(out, "Strömsund") || strings.Contains(out, "Östersund") {
		t.Errorf("facet filter:\n%s", out)
	}
	out = mustCLI(t, "library", "search", "--db", db, "arbetsmarknad")
	if !strings.Contains(out, "Östersund") {
		t.Errorf("compound:\n%s", out)
	}

	out = mustCLI(t, "library", "reindex", "--db", db)
	if !strings.Contains(out, "Indexed 2 documents") {
		t.Errorf("reindex: %s", out)
	}
	if _, err := os.Stat(db + ".bibliotek.old"); !os.IsNotExist(err) {
		t.Errorf("the old index is left behind: %v", err)
	}
	if _, _, err := cli(t, "library", "frobnicate"); err == nil {
		t.Error("an unknown subcommand is accepted")
	}
}
