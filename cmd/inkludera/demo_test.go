package main

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/inkludera/inkludera/internal/nation"
	"github.com/inkludera/inkludera/internal/pgtest"
	"github.com/inkludera/inkludera/internal/store"
	"github.com/inkludera/inkludera/internal/strategy"
)

// demoSummaryLine matches one kind of a printed import summary.
func demoSummaryLine(kind string, added, unchanged int) *regexp.Regexp {
	return regexp.MustCompile(fmt.Sprintf(`(?m)^\s+%s\s+%d added\s+0 changed\s+0 deleted\s+%d unchanged$`,
		regexp.QuoteMeta(kind), added, unchanged))
}

func TestDemoNational(t *testing.T) {
	db := filepath.Join(t.TempDir(), "nation.db")
	testDemoNational(t, db)
}

func TestDemoNationalPostgres(t *testing.T) {
	testDemoNational(t, pgtest.URL(t))
}

// testDemoNational generates two years of the national demo next to the
// Östersund demo, then again, and reads the result back.
func testDemoNational(t *testing.T, db string) {
	mustCLI(t, append([]string{"import", "--db", db}, demoFiles(t)...)...)
	args := []string{"demo", "national", "--db", db, "--from", "2022", "--years", "2", "--seed", "5"}
	gen, err := nation.New(nation.Config{Seed: 5, From: 2022, Years: 2})
	if err != nil {
		t.Fatal(err)
	}
	total := gen.Count()

	out, errOut, err := cli(t, args...)
	if err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	for _, want := range []*regexp.Regexp{
		// 2380 Östersund and 2313 Strömsund were stored by the import.
		demoSummaryLine("organisations", 310, 2),
		demoSummaryLine("indicators", nation.BaseIndicators, 0),
		demoSummaryLine("observations", total, 0),
		demoSummaryLine("peer groups", 290, 0),
	} {
		if !want.MatchString(out) {
			t.Errorf("first run: no line like %s in\n%s", want, out)
		}
	}
	if !strings.Contains(errOut, fmt.Sprintf("observations %d/%d (100 %%)", total, total)) {
		t.Errorf("no final progress line in\n%s", errOut)
	}

	out, _, err = cli(t, args...)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []*regexp.Regexp{
		demoSummaryLine("organisations", 0, 312),
		demoSummaryLine("indicators", 0, nation.BaseIndicators),
		demoSummaryLine("observations", 0, total),
		demoSummaryLine("peer groups", 0, 290),
	} {
		if !want.MatchString(out) {
			t.Errorf("second run: no line like %s in\n%s", want, out)
		}
	}

	ctx := context.Background()
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	org, err := st.Organisation(ctx, "2380")
	if err != nil || org.Name != "Östersunds kommun" {
		t.Errorf("2380 = %+v, %v; the stored name should stay", org, err)
	}
	if org, err := st.Organisation(ctx, "1480"); err != nil || org.Name != "Göteborg" || org.County != "14" {
		t.Errorf("1480 = %+v, %v", org, err)
	}
	peers, err := st.PeerGroup(ctx, "2380")
	if err != nil || len(peers.Members) != nation.PeerGroupSize {
		t.Errorf("peer group of 2380 = %+v, %v", peers, err)
	}
	key := nation.KeyPrefix + "sysselsatta-utrikes-20-64"
	r, err := st.Ranking(ctx, key, 0, strategy.Total)
	if err != nil {
		t.Fatal(err)
	}
	if r.Year != 2023 || len(r.Rows)+r.Missing != 290 || len(r.Rows) < 250 {
		t.Errorf("ranking on %s: year %d, %d ranked, %d missing", key, r.Year, len(r.Rows), r.Missing)
	}
	obs, err := st.Observations(ctx, strategy.ObservationFilter{Indicators: []string{key}})
	if err != nil {
		t.Fatal(err)
	}
	if want := len(gen.Observations(0)); len(obs) != want {
		t.Errorf("%d observations of %s stored, want %d", len(obs), key, want)
	}
}

func TestDemoNationalObservationsFlag(t *testing.T) {
	db := filepath.Join(t.TempDir(), "nation.db")
	// Two years of the 60 make 90 792 observations; 100 000 needs more
	// indicators.
	out := mustCLI(t, "demo", "national", "--db", db, "--from", "2023", "--years", "2", "--observations", "100000")
	n, err := nation.IndicatorsFor(100_000, 2)
	if err != nil {
		t.Fatal(err)
	}
	if n <= nation.BaseIndicators {
		t.Fatalf("IndicatorsFor(100 000, 2) = %d; the test wants more than the base", n)
	}
	gen, _ := nation.New(nation.Config{From: 2023, Years: 2, Indicators: n})
	if gen.Count() < 100_000 {
		t.Fatalf("%d observations", gen.Count())
	}
	for _, want := range []*regexp.Regexp{demoSummaryLine("indicators", n, 0), demoSummaryLine("observations", gen.Count(), 0)} {
		if !want.MatchString(out) {
			t.Errorf("no line like %s in\n%s", want, out)
		}
	}
}

func TestDemoUsage(t *testing.T) {
	db := filepath.Join(t.TempDir(), "nation.db")
	tests := []struct {
		args []string
		says string
	}{
		{[]string{"demo"}, "demo national"},
		{[]string{"demo", "kommun"}, "demo national"},
		{[]string{"demo", "national", "--db", db, "extra"}, "no arguments"},
		{[]string{"demo", "national", "--db", db, "--observations", "-5"}, "negative"},
		{[]string{"demo", "national", "--db", db, "--observations", "100000000"}, "years"},
		{[]string{"demo", "national", "--db", db, "--years", "0", "--from", "1700"}, "not plausible"},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			_, _, err := cli(t, tc.args...)
			if exitCode(err) != 2 || !strings.Contains(err.Error(), tc.says) {
				t.Errorf("err = %v (exit %d), want a usage error saying %q", err, exitCode(err), tc.says)
			}
		})
	}
}
