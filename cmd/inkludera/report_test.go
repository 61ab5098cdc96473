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
		{"unknown format", with("--year", "2021", "--format", "odt"), 2, `"odt" is not a report format; the formats are json, pdf, docx, xlsx, html`},
		{"unknown engine", with("--year", "2021", "--pdf-engine", "wkhtmltopdf"), 2, `--pdf-engine "wkhtmltopdf": want builtin or chromium`},
		{"chromium for docx", with("--year", "2021", "--format", "docx", "--pdf-engine", "chromium"), 2, "--pdf-engine chromium makes PDF, not docx"},
		{"chromium missing", with("--year", "2021", "--pdf-engine", "chromium", "--chromium", "/finns/inte/chromium"), 1, "/finns/inte/chromium"},
		{"no year", with(), 2, "report needs --year YYYY"},
		{"no organisation", []string{"report", "--db", db, "--document", "x", "--year", "2021"}, 2, "report needs --org CODE"},
		{"not a year", with("--year", "21"), 2, `--year "21" is not a year`},
		{"not a since", with("--year", "2021", "--since", "tre"), 2, `--since "tre" is not a year`},
		{"an argument", with("--year", "2021", "extra"), 2, `report takes no arguments, got "extra" (subcommands: approve, list, get)`},
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

// TestReportFormats: every format is written from the command line, each
// recognisably what it says it is.
func TestReportFormats(t *testing.T) {
	db := reportDB(t)
	dir := t.TempDir()
	magic := map[string]string{"pdf": "%PDF-", "docx": "PK\x03\x04", "xlsx": "PK\x03\x04", "html": "<!DOCTYPE html>", "json": "{\n  \"format_version\": 1"}
	for format, start := range magic {
		out := filepath.Join(dir, "r."+format)
		_, stderr, err := cli(t, "report", "--db", db, "--org", "2380", "--document", "ostersund-integrationsstrategi-2020",
			"--year", "2021", "--format", format, "-o", out)
		if err != nil {
			t.Fatalf("%s: %v\n%s", format, err, stderr)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(string(b), start) {
			t.Errorf("%s: the file starts %q, want %q", format, b[:min(len(b), 20)], start)
		}
	}
}

// TestReportApproveFreezes: an approved report is frozen. Changing a value
// afterwards changes a newly made report but not one byte of the approved
// files, which get hands out checked against their SHA-256; a second
// approval is version 2 and the first stays.
func TestReportApproveFreezes(t *testing.T) {
	db := reportDB(t)
	approve := func(decision string) string {
		t.Helper()
		stdout, stderr, err := cli(t, "report", "approve", "--db", db, "--org", "2380", "--document", "ostersund-integrationsstrategi-2020",
			"--year", "2021", "--decision", decision, "--decided-on", "2022-04-05")
		if err != nil {
			t.Fatalf("approve: %v\n%s", err, stderr)
		}
		for _, want := range []string{"Rendering json (1 of 5)…", "Rendering html (5 of 5)…"} {
			if !strings.Contains(stderr, want) {
				t.Errorf("approve's progress lacks %q:\n%s", want, stderr)
			}
		}
		return stdout
	}
	stdout := approve("KS 2022-04-05 § 45")
	for _, want := range []string{"Approved report 1: Integrationsstrategi 2020 2021, version 1, by KS 2022-04-05 § 45.",
		"uppfoljning-2021-ostersunds-kommun-ostersund-integrationsstrategi-2020.pdf", "sha256:"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("approve printed no %q:\n%s", want, stdout)
		}
	}
	get := func(id, format string) []byte {
		t.Helper()
		out := filepath.Join(t.TempDir(), "f."+format)
		if _, stderr, err := cli(t, "report", "get", "--db", db, "--id", id, "--format", format, "-o", out); err != nil {
			t.Fatalf("get %s %s: %v\n%s", id, format, err, stderr)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	formats := []string{"json", "pdf", "docx", "xlsx", "html"}
	before := map[string][]byte{}
	for _, f := range formats {
		before[f] = get("1", f)
	}
	if !strings.Contains(string(before["json"]), `"T": 10.5`) {
		t.Fatalf("the approved JSON lacks the 2021 share born abroad, 10.5")
	}

	// The share born abroad of 2021 is revised, as a fetch would bring it.
	values := filepath.Join(t.TempDir(), "values.csv")
	if err := os.WriteFile(values, []byte("org,indicator,year,gender,value\n2380,utrikes-fodda-andel,2021,T,12.25\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	mustCLI(t, "import", "--db", db, values)

	for _, f := range formats {
		if got := get("1", f); string(got) != string(before[f]) {
			t.Errorf("the approved %s changed after a value did", f)
		}
	}
	fresh, _, err := cli(t, "report", "--db", db, "--org", "2380", "--document", "ostersund-integrationsstrategi-2020", "--year", "2021", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(fresh, `"T": 12.25`) {
		t.Errorf("a new report does not show the revised value")
	}

	approve("KS 2022-05-10 § 60")
	list, _, err := cli(t, "report", "list", "--db", db, "--org", "2380")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"1 (superseded by 2)", "KS 2022-05-10 § 60", "json,pdf,docx,xlsx,html"} {
		if !strings.Contains(list, want) {
			t.Errorf("report list lacks %q:\n%s", want, list)
		}
	}
	if got := get("1", "pdf"); string(got) != string(before["pdf"]) {
		t.Error("the superseded version's PDF is no longer as approved")
	}

	_, _, err = cli(t, "report", "get", "--db", db, "--id", "1", "--format", "odt")
	if err == nil || !strings.Contains(err.Error(), "has no odt file") {
		t.Errorf("get of a missing format: %v", err)
	}
	_, _, err = cli(t, "report", "approve", "--db", db, "--org", "2380", "--document", "ostersund-integrationsstrategi-2020", "--year", "2021")
	if err == nil || exitCode(err) != 2 || !strings.Contains(err.Error(), "needs --decision") {
		t.Errorf("approve without a decision: %v", err)
	}
}
