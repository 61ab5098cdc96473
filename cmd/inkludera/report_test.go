package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/inkludera/inkludera/internal/strategy"
)

// reportDB imports the demo into a fresh database, as a user would, and
// fixes the report's date.
func reportDB(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "report.db")
	mustCLI(t, append([]string{"import", "--db", db}, demoFiles(t)...)...)
	saved := reportToday
	reportToday = func() strategy.Date { return strategy.Date{Year: 2022, Month: 3, Day: 15} }
	t.Cleanup(func() { reportToday = saved })
	return db
}

func TestReportHTMLToAFile(t *testing.T) {
	db := reportDB(t)
	out := filepath.Join(t.TempDir(), "uppfoljning-2021.html")
	stdout, stderr, err := cli(t, "report", "--db", db, "--org", "2380", "--document", "ostersund-integrationsstrategi-2020",
		"--year", "2021", "--format", "html", "-o", out)
	if err != nil {
		t.Fatalf("report: %v\n%s", err, stderr)
	}
	if stdout != "" {
		t.Errorf("with -o nothing goes to standard output, got %d bytes", len(stdout))
	}
	for _, want := range []string{
		"Reading data and judging the targets for 2021…\n",
		"Östersunds kommun, Integrationsstrategi 2020: 11 targets, 2 improved and 0 slipped since 2020, 0 action plans for 2021.\n",
		"Rendering html…\n",
		"Wrote " + out + " (",
		"Done in ",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("progress lacks %q:\n%s", want, stderr)
		}
	}
	page, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`<html lang="sv">`,
		"<h1>Uppföljning 2021: Integrationsstrategi 2020</h1>",
		"Till: Kommunstyrelsen",
		`<time datetime="2022-03-15">2022-03-15</time>`,
		"Fler nya Östersundare",
		"10,5\u00a0%",
		"Bilaga: Så bedöms målen",
	} {
		if !strings.Contains(string(page), want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	// the file is renamed into place: no temporary file is left beside it
	entries, _ := os.ReadDir(filepath.Dir(out))
	if len(entries) != 1 {
		t.Errorf("the folder holds %d entries, want only the report", len(entries))
	}
}

func TestReportDeepToStandardOutput(t *testing.T) {
	db := reportDB(t)
	for _, o := range [][]string{nil, {"-o", "-"}} {
		args := append([]string{"report", "--db", db, "--org", "2380", "--document", "ostersund-integrationsstrategi-2020",
			"--year", "2021", "--since", "2018"}, o...)
		stdout, stderr, err := cli(t, args...)
		if err != nil {
			t.Fatalf("%v: %v\n%s", o, err, stderr)
		}
		if !strings.HasPrefix(stdout, "<!DOCTYPE html>") || !strings.Contains(stdout, "<h1>Fördjupad uppföljning 2018–2021: Integrationsstrategi 2020</h1>") {
			t.Errorf("%v: standard output is not the deep report:\n%.300s", o, stdout)
		}
		if strings.Contains(stderr, "Wrote") || !strings.Contains(stderr, "Done in") {
			t.Errorf("%v: progress = %q", o, stderr)
		}
	}
}

func TestReportMistakes(t *testing.T) {
	db := reportDB(t)
	base := []string{"report", "--db", db, "--org", "2380", "--document", "ostersund-integrationsstrategi-2020"}
	with := func(extra ...string) []string { return slices.Concat(base, extra) }
	tests := []struct {
		name string
		args []string
		exit int
		want string
	}{
		{"pdf not yet", with("--year", "2021", "--format", "pdf"), 2, "pdf, docx and xlsx are not available yet; the format available now is html"},
		{"docx not yet", with("--year", "2021", "--format", "docx"), 2, "--format docx: pdf, docx and xlsx are not available yet"},
		{"unknown format", with("--year", "2021", "--format", "odt"), 2, `"odt" is not a report format; the format available now is html`},
		{"no year", with(), 2, "report needs --year YYYY"},
		{"no organisation", []string{"report", "--db", db, "--document", "x", "--year", "2021"}, 2, "report needs --org CODE"},
		{"not a year", with("--year", "21"), 2, `--year "21" is not a year`},
		{"not a since", with("--year", "2021", "--since", "tre"), 2, `--since "tre" is not a year`},
		{"an argument", with("--year", "2021", "extra"), 2, `report takes no arguments, got "extra"`},
		{"unknown document", []string{"report", "--db", db, "--org", "2380", "--document", "finns-inte", "--year", "2021"}, 1, `no document has the key "finns-inte"`},
		{"another organisation's document", []string{"report", "--db", db, "--org", "2380", "--document", "stromsund-program-inflyttning-integration-2014", "--year", "2014"}, 1, "belongs to organisation 2313"},
		{"since not before", with("--year", "2021", "--since", "2021"), 1, "2021 is not before 2021"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "r.html")
			_, stderr, err := cli(t, slices.Concat(tt.args, []string{"-o", out})...)
			if err == nil {
				t.Fatal("no error")
			}
			if exitCode(err) != tt.exit {
				t.Errorf("exit %d, want %d (%v)", exitCode(err), tt.exit, err)
			}
			if !strings.Contains(err.Error()+stderr, tt.want) {
				t.Errorf("error %q does not say %q", err, tt.want)
			}
			if _, statErr := os.Stat(out); statErr == nil {
				t.Error("a file was written")
			}
		})
	}
}
