package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/inkludera/inkludera/internal/strategy"
)

// testSourceRuns: a fetch's result is stored with its run in one
// transaction; deletions remove values; a failing run changes nothing and
// records nothing; runs are listed newest first.
func testSourceRuns(t *testing.T, open func(t *testing.T) strategy.Store) {
	ctx := context.Background()
	s := open(t)
	mustImport(t, s, dataBundle())
	before := snapshot(t, s)

	start := time.Date(2026, 3, 1, 4, 0, 0, 0, time.UTC)
	run := strategy.SourceRun{Source: "kolada", Scope: "N05401 för 2380", StartedAt: start, FinishedAt: start.Add(2 * time.Second), Requests: 3}
	fetchedAt := start.Add(time.Second)
	obs := []strategy.Observation{
		// unchanged, changed, added
		{Indicator: "valdeltagande", Org: orgCode, Year: 2014, Gender: strategy.Total, Value: f(83.5)},
		{Indicator: "valdeltagande", Org: orgCode, Year: 2018, Gender: strategy.Total, Value: f(84.9), Source: "kolada", FetchedAt: fetchedAt},
		{Indicator: "valdeltagande", Org: orgCode, Year: 2022, Gender: strategy.Total, Value: f(82.1), Source: "kolada", Preliminary: true, FetchedAt: fetchedAt},
	}
	deleted := []strategy.ObservationKey{
		{Indicator: "medelinkomst", Org: orgCode, Year: 2019, Gender: strategy.Women},
		{Indicator: "medelinkomst", Org: orgCode, Year: 1999, Gender: strategy.Women}, // not stored: nothing to delete
	}

	// A run with an observation of an unknown indicator fails whole.
	bad := append(append([]strategy.Observation{}, obs...), strategy.Observation{Indicator: "okand", Org: orgCode, Year: 2020, Gender: strategy.Total})
	if _, err := s.ApplySourceRun(ctx, run, bad, deleted); strategy.CodeOf(err) != strategy.CodeInvalid {
		t.Fatalf("run with an unknown indicator: %v, want invalid", err)
	}
	same(t, "data after a failed run", snapshot(t, s), before)
	if runs, err := s.SourceRuns(ctx, "", 10); err != nil || len(runs) != 0 {
		t.Fatalf("a failed apply recorded a run: %v %v", runs, err)
	}

	got, err := s.ApplySourceRun(ctx, run, obs, deleted)
	if err != nil {
		t.Fatal(err)
	}
	same(t, "changes", got.Changes, strategy.ChangeCount{Added: 1, Changed: 1, Deleted: 1, Unchanged: 1})
	if got.ID == 0 || got.Outcome != strategy.RunOK {
		t.Errorf("run = %+v", got)
	}
	values, err := s.Observations(ctx, strategy.ObservationFilter{Org: orgCode, Indicators: []string{"valdeltagande", "medelinkomst"}})
	if err != nil {
		t.Fatal(err)
	}
	var years []int
	for _, o := range values {
		if o.Indicator == "medelinkomst" && o.Gender == strategy.Women {
			t.Errorf("deleted value still stored: %+v", o)
		}
		if o.Indicator == "valdeltagande" {
			years = append(years, o.Year)
			if o.Year == 2022 && (!o.Preliminary || o.Source != "kolada" || !o.FetchedAt.Equal(fetchedAt)) {
				t.Errorf("provenance lost: %+v", o)
			}
		}
	}
	same(t, "years", years, []int{2014, 2018, 2022})

	failed := strategy.SourceRun{Source: "scb", Scope: "TAB4823", StartedAt: start.Add(time.Hour), FinishedAt: start.Add(time.Hour + time.Second),
		Outcome: strategy.RunFailed, Error: "HTTP 503", Warnings: []string{"försök 3 av 3"}}
	if _, err := s.RecordRun(ctx, failed); err != nil {
		t.Fatal(err)
	}
	runs, err := s.SourceRuns(ctx, "", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 2 || runs[0].Source != "scb" || runs[1].Source != "kolada" {
		t.Fatalf("runs newest first: %+v", runs)
	}
	failed.ID = runs[0].ID
	same(t, "failed run", runs[0], failed)
	same(t, "ok run", runs[1], got)
	if only, _ := s.SourceRuns(ctx, "kolada", 10); len(only) != 1 || only[0].ID != got.ID {
		t.Errorf("runs of kolada: %+v", only)
	}
}
