package main

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/inkludera/inkludera/internal/kolada/koladatest"
	"github.com/inkludera/inkludera/internal/scb/scbtest"
	"github.com/inkludera/inkludera/internal/store"
	"github.com/inkludera/inkludera/internal/strategy"
	"github.com/inkludera/inkludera/internal/strategyfile"
)

// demoKPIs are the KPIs of the demo's Kolada indicators
// (internal/demo/*.yaml) in the order the store lists them, as imported:
// Östersund's utrikes-fodda-andel, kommunmottagna,
// etablering-arbete-studier, skyddsbehovande-forvarvsarbetande,
// anstallda-utrikes-fodda and gymnasieelever-behorighet-hogskola, then
// Strömsund's folkmangd.
var demoKPIs = []string{"N02926", "N01986", "N00973", "N00700", "N00220", "N17473", "N01951"}

// koladaDemo imports the demo into a fresh database and starts a fake
// Kolada with values for two of Östersund's KPIs (illustrative numbers,
// not Kolada's): for utrikes-fodda-andel (N02926) 2021, which the demo has
// too, and 2022–2024; for kommunmottagna (N01986) 2022 (T only) and 2023.
// It also has values for region 0023, which --org 2380 does not ask for.
func koladaDemo(t *testing.T) (ks *koladatest.Server, db string) {
	t.Helper()
	db = filepath.Join(t.TempDir(), "fetch.db")
	mustCLI(t, append([]string{"import", "--db", db}, demoFiles(t)...)...)
	v := koladatest.Value
	ks = koladatest.NewServer(t)
	ks.SetValues(koladatest.Values{
		"N02926": {
			"2380": {
				2021: {"T": v(10.9), "K": v(10.7), "M": v(11.1)},
				2022: {"T": v(11.3), "K": v(11.0), "M": v(11.6)},
				2023: {"T": v(11.8), "K": v(11.5), "M": v(12.1)},
				2024: {"T": v(12.2), "K": nil, "M": v(12.4)},
			},
			"0023": {2024: {"T": v(9.1)}},
		},
		"N01986": {"2380": {
			2022: {"T": v(410)},
			2023: {"T": v(160), "K": v(71), "M": v(89)},
		}},
	})
	return ks, db
}

// exported reads Östersund's observations back through inkludera export:
// key → "value|source|status".
func exported(t *testing.T, db string) map[strategy.ObservationKey]string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "2380.yaml")
	mustCLI(t, "export", "--db", db, "--org", "2380", "-o", file)
	bundles, err := strategyfile.LoadFiles([]string{file}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return observationSet(bundles)
}

func key(indicator string, year int, gender strategy.Gender) strategy.ObservationKey {
	return strategy.ObservationKey{Indicator: indicator, Org: "2380", Year: year, Gender: gender}
}

// summaryRE matches printRun's line for a stored run.
var summaryRE = regexp.MustCompile(`^kolada: (\d+) added, (\d+) changed, (\d+) deleted, (\d+) unchanged \((\d+) requests, [0-9.]+(µs|ms|s)\)$`)

func checkSummary(t *testing.T, stdout string, added, changed, deleted, unchanged, requests int) {
	t.Helper()
	lines := strings.Split(strings.TrimRight(stdout, "\n"), "\n")
	want := fmt.Sprintf("%d %d %d %d %d", added, changed, deleted, unchanged, requests)
	if m := summaryRE.FindStringSubmatch(lines[0]); m == nil || strings.Join(m[1:6], " ") != want {
		t.Errorf("summary %q, want %s added, changed, deleted, unchanged, requests", lines[0], want)
	}
	if len(lines) != 1 {
		t.Errorf("stdout has more than the summary:\n%s", stdout)
	}
}

func TestFetchKoladaIntoTheDemo(t *testing.T) {
	ks, db := koladaDemo(t)
	before := exported(t, db)
	fetchArgs := []string{"fetch", "kolada", "--db", db, "--kolada-url", ks.URL, "--org", "2380"}

	stdout, stderr, err := cli(t, fetchArgs...)
	if err != nil {
		t.Fatalf("fetch: %v\n%s%s", err, stdout, stderr)
	}
	// 12 values of N02926 and 4 of N01986: 13 new, and 3 (N02926 2021)
	// that replace the demo's; one request for the metadata, one per KPI.
	checkSummary(t, stdout, 13, 3, 0, 0, 1+len(demoKPIs))
	// Not a terminal: a line per KPI, in the store's order.
	var wantProgress []string
	for i, k := range demoKPIs {
		wantProgress = append(wantProgress, fmt.Sprintf("kolada %d/%d %s", i+1, len(demoKPIs), k))
	}
	if got := strings.Split(strings.TrimRight(stderr, "\n"), "\n"); !slices.Equal(got, wantProgress) {
		t.Errorf("stderr:\n%s\nwant:\n%s", stderr, strings.Join(wantProgress, "\n"))
	}
	// Every KPI of the demo was asked for 2380 only, in full; the metadata
	// of all seven in one request.
	data := ks.DataRequests()
	if len(data) != len(demoKPIs) {
		t.Fatalf("%d data requests: %+v", len(data), data)
	}
	for i, r := range data {
		if want := "/v3/data/kpi/" + demoKPIs[i] + "/municipality/2380"; r.Path != want || r.FromDate != "" || r.Status != http.StatusOK {
			t.Errorf("data request %d: %s (status %d), want %s in full", i, r.URI(), r.Status, want)
		}
	}
	if reqs := ks.Requests(); reqs[0].Endpoint != "kpi" || len(reqs[0].KPIs) != len(demoKPIs) {
		t.Errorf("first request %s, want the metadata of the seven KPIs", reqs[0].URI())
	}

	after := exported(t, db)
	want := map[strategy.ObservationKey]string{
		// Kolada's values replace the demo's of the same key...
		key("utrikes-fodda-andel", 2021, strategy.Total): "10.9|kolada|",
		key("utrikes-fodda-andel", 2021, strategy.Women): "10.7|kolada|",
		key("utrikes-fodda-andel", 2021, strategy.Men):   "11.1|kolada|",
		// ...and add the years the demo lacks; null stays missing, not 0.
		key("utrikes-fodda-andel", 2022, strategy.Total): "11.3|kolada|",
		key("utrikes-fodda-andel", 2022, strategy.Women): "11|kolada|",
		key("utrikes-fodda-andel", 2022, strategy.Men):   "11.6|kolada|",
		key("utrikes-fodda-andel", 2023, strategy.Total): "11.8|kolada|",
		key("utrikes-fodda-andel", 2023, strategy.Women): "11.5|kolada|",
		key("utrikes-fodda-andel", 2023, strategy.Men):   "12.1|kolada|",
		key("utrikes-fodda-andel", 2024, strategy.Total): "12.2|kolada|",
		key("utrikes-fodda-andel", 2024, strategy.Women): "~|kolada|",
		key("utrikes-fodda-andel", 2024, strategy.Men):   "12.4|kolada|",
		key("kommunmottagna", 2022, strategy.Total):      "410|kolada|",
		key("kommunmottagna", 2023, strategy.Total):      "160|kolada|",
		key("kommunmottagna", 2023, strategy.Women):      "71|kolada|",
		key("kommunmottagna", 2023, strategy.Men):        "89|kolada|",
	}
	for k, w := range want {
		if after[k] != w {
			t.Errorf("%v = %q, want %q (demo: %q)", k, after[k], w, before[k])
		}
	}
	// Everything else is the demo's, untouched: the years Kolada did not
	// send (utrikes-fodda-andel 2012–2020, kommunmottagna 2012–2021) and
	// every other series.
	if len(after) != len(before)+13 {
		t.Errorf("%d values after the fetch, %d before: want 13 more", len(after), len(before))
	}
	for k, b := range before {
		if _, replaced := want[k]; !replaced && after[k] != b {
			t.Errorf("%v = %q, was %q", k, after[k], b)
		}
	}
	for _, k := range []strategy.ObservationKey{key("utrikes-fodda-andel", 2020, strategy.Men), key("kommunmottagna", 2021, strategy.Total)} {
		if !strings.HasSuffix(after[k], "|demo|") {
			t.Errorf("%v = %q, want the demo's value", k, after[k])
		}
	}

	// A second run is incremental: every series with a stored value is
	// asked for changes since the day before the first run, and nothing
	// has changed. Folkmängd (N01951) has no value for 2380, so it is
	// asked for in full.
	ks.ResetRequests()
	stdout, _, err = cli(t, fetchArgs...)
	if err != nil {
		t.Fatalf("second fetch: %v\n%s", err, stdout)
	}
	checkSummary(t, stdout, 0, 0, 0, 0, 1+len(demoKPIs))
	data = ks.DataRequests()
	if len(data) != len(demoKPIs) {
		t.Fatalf("%d data requests", len(data))
	}
	since := runs(t, db)[1].StartedAt.AddDate(0, 0, -1).Format(time.DateOnly) // the day before the first run
	for i, r := range data {
		if wantFull := demoKPIs[i] == "N01951"; (r.FromDate == "") != wantFull || !wantFull && r.FromDate != since {
			t.Errorf("second run: %s, want from_date=%s unless folkmängd", r.URI(), since)
		}
	}
	if again := exported(t, db); !maps.Equal(again, after) {
		t.Error("the second run changed the values")
	}

	// Kolada revises a value and deletes one: the third run brings both.
	ks.Revise("N02926", "2380", 2024, "K", koladatest.Value(11.9))
	ks.Delete("N01986", "2380", 2023, "M")
	stdout, _, err = cli(t, fetchArgs...)
	if err != nil {
		t.Fatalf("third fetch: %v\n%s", err, stdout)
	}
	checkSummary(t, stdout, 0, 1, 1, 0, 1+len(demoKPIs))
	third := exported(t, db)
	if got := third[key("utrikes-fodda-andel", 2024, strategy.Women)]; got != "11.9|kolada|" {
		t.Errorf("revised value %q", got)
	}
	if got, ok := third[key("kommunmottagna", 2023, strategy.Men)]; ok {
		t.Errorf("deleted value still stored: %q", got)
	}
	if len(third) != len(after)-1 {
		t.Errorf("%d values after the third run, %d before", len(third), len(after))
	}

	// --full asks for everything again: the same figures, so nothing
	// changes — not even the provenance of the revised one, which keeps
	// the request that brought it (the third run's from_date query).
	ks.ResetRequests()
	stdout, _, err = cli(t, append(fetchArgs, "--full", "--kpi", "N02926")...)
	if err != nil {
		t.Fatalf("full fetch: %v\n%s", err, stdout)
	}
	checkSummary(t, stdout, 0, 0, 0, 12, 2)
	if data := ks.DataRequests(); len(data) != 1 || data[0].FromDate != "" || !strings.Contains(data[0].Path, "N02926") {
		t.Errorf("--full --kpi N02926: %+v", data)
	}

	// The runs are recorded.
	recorded := runs(t, db)
	if len(recorded) != 4 {
		t.Fatalf("runs %+v", recorded)
	}
	for _, r := range recorded {
		if r.Source != "kolada" || r.Outcome != strategy.RunOK || !strings.Contains(r.Scope, "för 2380") {
			t.Errorf("run %+v", r)
		}
	}
}

// runs returns the source runs stored in db, newest first.
func runs(t *testing.T, db string) []strategy.SourceRun {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	r, err := st.SourceRuns(ctx, "", 100)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestFailedKoladaFetchStoresNothing(t *testing.T) {
	ks, db := koladaDemo(t)
	before := exportAll(t, db)
	// The first KPIs succeed; N01986 is refused (a status the client does
	// not retry, so the test does not wait for backoff).
	fault := ks.Fail("N01986", http.StatusNotFound, 0)

	stdout, stderr, err := cli(t, "fetch", "kolada", "--db", db, "--kolada-url", ks.URL, "--org", "2380")
	if err == nil || exitCode(err) != 1 {
		t.Fatalf("err = %v (exit %d), want a failure and exit 1\n%s", err, exitCode(err), stdout)
	}
	if !strings.Contains(err.Error(), "N01986") || !strings.Contains(err.Error(), "HTTP 404") {
		t.Errorf("err = %v", err)
	}
	if !regexp.MustCompile(`^kolada: FAILED after [0-9.]+(µs|ms|s), nothing stored: Kolada N01986: .*HTTP 404 Not Found`).MatchString(stdout) {
		t.Errorf("stdout = %q", stdout)
	}
	if fault.Count() != 1 {
		t.Errorf("%d requests failed, want 1 (404 is not retried)", fault.Count())
	}
	// N02926 was fetched before N01986 failed; the KPIs after it were not.
	if stderr != "kolada 1/7 N02926\nkolada 2/7 N01986\n" {
		t.Errorf("stderr:\n%s", stderr)
	}
	if after := exportAll(t, db); after != before {
		t.Errorf("a failed fetch changed the export:\n%s", lineDiff(before, after))
	}
	if r := runs(t, db); len(r) != 1 || r[0].Outcome != strategy.RunFailed || r[0].Changes != (strategy.ChangeCount{}) ||
		!strings.Contains(r[0].Error, "N01986") {
		t.Errorf("runs %+v", r)
	}
}

func TestFetchAllWithoutSCBIndicators(t *testing.T) {
	ks, db := koladaDemo(t)
	scbSrv := scbtest.NewServer(t)
	stdout, stderr, err := cli(t, "fetch", "--all", "--db", db, "--kolada-url", ks.URL, "--scb-url", scbSrv.URL, "--org", "2380")
	if err != nil {
		t.Fatalf("fetch --all: %v\n%s%s", err, stdout, stderr)
	}
	// No demo indicator has an SCB source: Kolada's run only.
	checkSummary(t, stdout, 13, 3, 0, 0, 1+len(demoKPIs))
	if strings.Contains(stdout, "scb") || strings.Contains(stderr, "scb") {
		t.Errorf("an SCB run was reported:\n%s%s", stdout, stderr)
	}
	if n := len(scbSrv.Requests()); n != 0 {
		t.Errorf("%d requests to SCB", n)
	}
}

func TestFetchUsageErrors(t *testing.T) {
	db := filepath.Join(t.TempDir(), "none.db")
	tests := []struct {
		args []string
		msg  string
	}{
		{[]string{"fetch"}, "fetch needs a source (kolada or scb) or --all"},
		{[]string{"fetch", "--db", db}, "fetch needs a source"},
		{[]string{"fetch", "sharepoint", "--db", db}, "fetch needs a source"},
		{[]string{"fetch", "kolada", "--all", "--db", db}, "give either a source (kolada, scb) or --all"},
		{[]string{"fetch", "scb", "--kpi", "N02926", "--db", db}, "--kpi goes with fetch kolada"},
		{[]string{"fetch", "--all", "--kpi", "N02926", "--db", db}, "--kpi goes with fetch kolada"},
		{[]string{"fetch", "kolada", "--table", "TAB4823", "--db", db}, "--table goes with fetch scb"},
		{[]string{"fetch", "kolada", "--since", "2026-13-01", "--db", db}, `--since "2026-13-01" is not a date (YYYY-MM-DD)`},
		{[]string{"fetch", "kolada", "--since", "igår", "--db", db}, `--since "igår" is not a date`},
		{[]string{"fetch", "kolada", "--since", "2026-03-01", "--full", "--db", db}, "give --since or --full, not both"},
		{[]string{"fetch", "kolada", "--db", db, "extra"}, `fetch takes no arguments after the flags, got "extra"`},
		{[]string{"fetch", "kolada", "--bogus"}, "bogus"},
	}
	for _, tt := range tests {
		_, _, err := cli(t, tt.args...)
		if exitCode(err) != 2 || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("inkludera %s: %v (exit %d), want exit 2 and %q", strings.Join(tt.args, " "), err, exitCode(err), tt.msg)
		}
	}
	// Refused before the database is opened: none was created.
	if m, _ := filepath.Glob(db + "*"); len(m) != 0 {
		t.Errorf("a usage error created %v", m)
	}
}
