package report

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/inkludera/inkludera/internal/demo"
	"github.com/inkludera/inkludera/internal/store"
	"github.com/inkludera/inkludera/internal/strategy"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata from the current output")

const (
	ostersund    = "2380"
	ostersundDoc = "ostersund-integrationsstrategi-2020"
	stromsund    = "2313"
	stromsundDoc = "stromsund-program-inflyttning-integration-2014"
)

// reportDay is the fixed clock of the golden files: the spring after the
// follow-up year, when the annual accounts are made.
var reportDay = strategy.Date{Year: 2022, Month: 3, Day: 15}

// demoStore is a real SQLite store in a temporary folder with the demo
// content (Östersund and Strömsund) imported, as `inkludera serve` loads it;
// edit, when given, changes the bundles before the import.
func demoStore(t testing.TB, edit func([]strategy.Bundle)) strategy.Store {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "report.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	bundles, err := demo.Bundles()
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(bundles)
	}
	if _, err := st.Import(ctx, bundles); err != nil {
		t.Fatal(err)
	}
	return st
}

// documentOf returns the bundle's document with the key, for editing.
func documentOf(t testing.TB, bundles []strategy.Bundle, key string) *strategy.Document {
	t.Helper()
	for _, b := range bundles {
		if b.Document != nil && b.Document.Key == key {
			return b.Document
		}
	}
	t.Fatalf("no demo document %q", key)
	return nil
}

func build(t testing.TB, st strategy.Store, org, doc string, year, since int) *FollowUp {
	t.Helper()
	f, err := Build(context.Background(), st, org, doc, year, since, reportDay)
	if err != nil {
		t.Fatalf("Build(%s, %s, %d, %d): %v", org, doc, year, since, err)
	}
	return f
}

// golden compares got with testdata/name, or rewrites the file under
// -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/report -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the output; if the change is deliberate, run go test ./internal/report -update and read the diff.\n%s",
			path, firstDifference(string(want), string(got)))
	}
}

// firstDifference shows the first line where want and got part.
func firstDifference(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return "line " + strconv.Itoa(i+1) + ":\nwant: " + wl + "\n got: " + gl
		}
	}
	return "(same lines, different bytes)"
}

func TestGoldenOstersund(t *testing.T) {
	st := demoStore(t, nil)
	tests := []struct {
		name        string
		year, since int
	}{
		{"ostersund-2021", 2021, 0},
		{"ostersund-2021-since-2018", 2021, 2018},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := build(t, st, ostersund, ostersundDoc, tt.year, tt.since)
			var buf bytes.Buffer
			if err := RenderHTML(&buf, f); err != nil {
				t.Fatal(err)
			}
			golden(t, tt.name+".golden.html", buf.Bytes())
			if problems := htmlProblems(buf.String()); len(problems) > 0 {
				t.Errorf("the HTML has accessibility problems:\n%s", strings.Join(problems, "\n"))
			}
			js, err := json.MarshalIndent(f, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden(t, tt.name+".golden.json", append(js, '\n'))

			// rendering is a function of the FollowUp: twice the same bytes,
			// and the same from its JSON (how an approved report is kept)
			var again bytes.Buffer
			var back FollowUp
			if err := json.Unmarshal(js, &back); err != nil {
				t.Fatal(err)
			}
			if err := RenderHTML(&again, &back); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(buf.Bytes(), again.Bytes()) {
				t.Errorf("the HTML rendered from the FollowUp's JSON differs from the original:\n%s",
					firstDifference(buf.String(), again.String()))
			}
		})
	}
}

// TestRenderHTMLEscapes shows that text from the data cannot break out of
// the page: not in the body, not in the print footer inside <style>.
func TestRenderHTMLEscapes(t *testing.T) {
	st := demoStore(t, nil)
	f := build(t, st, ostersund, ostersundDoc, 2021, 0)
	evil := `Strategi "</style><script>alert(1)</script> & \ `
	f.Document.Title = evil
	f.Organisation.Name = "Kommun</style>"
	f.Areas[0].Goals[0].Targets[0].Text = "<b>fet</b>"
	var buf bytes.Buffer
	if err := RenderHTML(&buf, f); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	if strings.Contains(page, "<script>") || strings.Contains(page, "<b>fet</b>") || strings.Count(page, "</style>") != 1 {
		t.Errorf("data text reached the markup unescaped")
	}
	if !strings.Contains(page, `@bottom-left { content: "Kommun\3c /style\3e  · Uppföljning 2021: Strategi \22 \3c /style\3e \3c script\3e alert(1)\3c /script\3e  \26  \5c  "`) {
		t.Errorf("the footer is not a CSS string with the text escaped:\n%s", page[strings.Index(page, "@bottom-left"):][:200])
	}
	if problems := htmlProblems(page); len(problems) > 0 {
		t.Errorf("problems: %q", problems)
	}
}

func TestJSONRoundTrip(t *testing.T) {
	for _, name := range []string{"ostersund-2021", "ostersund-2021-since-2018"} {
		want, err := os.ReadFile(filepath.Join("testdata", name+".golden.json"))
		if err != nil {
			t.Fatal(err)
		}
		f, err := ReadJSON(bytes.NewReader(want))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var got bytes.Buffer
		if err := WriteJSON(&got, f); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want) {
			t.Errorf("%s: written again, the JSON differs at %s", name, firstDifference(string(want), got.String()))
		}
	}
	for _, bad := range []struct{ in, want string }{
		{`{"format_version": 2}`, "format version 2"},
		{`{"format_version": 1, "colour": "red"}`, `unknown field "colour"`},
		{`<html>`, "not a follow-up report's JSON"},
	} {
		if _, err := ReadJSON(strings.NewReader(bad.in)); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("ReadJSON(%s) = %v, want an error with %q", bad.in, err, bad.want)
		}
	}
}
