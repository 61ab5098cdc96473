package fetch

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/inkludera/inkludera/internal/kolada"
	"github.com/inkludera/inkludera/internal/kolada/koladatest"
	"github.com/inkludera/inkludera/internal/store"
	"github.com/inkludera/inkludera/internal/strategy"
)

func f64(v float64) *float64 { return &v }

// setup stores two organisations and three indicators: one on a
// gender-divided KPI, one T-only indicator on the same KPI, one manual.
func setup(t *testing.T) (*store.Store, *koladatest.Server, *Fetcher) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "f.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	b := strategy.Bundle{
		Organisation: &strategy.Organisation{Code: "2380", Name: "Östersunds kommun", Kind: strategy.OrgKommun},
		Indicators: []strategy.Indicator{
			{Key: "utrikes-fodda", Title: "Utrikes födda", Unit: "%", Polarity: strategy.Neutral, Source: "kolada:N02926", Breakdowns: []string{"gender"}},
			{Key: "utrikes-fodda-totalt", Title: "Utrikes födda (totalt)", Unit: "%", Polarity: strategy.Neutral, Source: "kolada:N02926"},
			{Key: "mottagna", Title: "Mottagna", Unit: "antal", Polarity: strategy.HigherIsBetter, Source: "kolada:N01986"},
			{Key: "egen", Title: "Egen", Unit: "antal", Polarity: strategy.HigherIsBetter, Source: "manual"},
		},
		Observations: []strategy.Observation{
			{Indicator: "egen", Org: "2380", Year: 2020, Gender: strategy.Total, Value: f64(1)},
		},
	}
	region := strategy.Bundle{Organisation: &strategy.Organisation{Code: "23", Name: "Region Jämtland Härjedalen", Kind: strategy.OrgRegion}}
	if _, err := st.Import(ctx, []strategy.Bundle{b, region}); err != nil {
		t.Fatal(err)
	}
	ks := koladatest.NewServer(t)
	ks.SetValues(koladatest.Values{
		"N02926": {
			"2380": {2019: {"T": f64(9.4), "K": f64(9.0), "M": f64(9.8)}, 2020: {"T": f64(9.9), "K": nil, "M": f64(10.2)}},
			"0023": {2020: {"T": f64(8.1)}},
		},
		"N01986": {"2380": {2020: {"T": f64(171)}}},
	})
	// The metadata the old hand-rolled server gave: 2024 is the period of
	// the next publication, none preliminary.
	for _, id := range []string{"N02926", "N01986"} {
		ks.SetKPI(koladatest.KPI{ID: id, Title: "KPI " + id, DividedByGender: true, MunicipalityType: "K",
			PublPeriod: 2024, PublicationDate: time.Date(2025, 2, 24, 0, 0, 0, 0, time.UTC)})
	}
	clock := time.Date(2026, 3, 1, 4, 0, 0, 0, time.UTC)
	f := &Fetcher{
		Store:  st,
		Kolada: kolada.New(ks.URL, kolada.WithSleep(func(context.Context, time.Duration) error { return nil }), kolada.WithMaxRetries(1)),
		Now:    func() time.Time { clock = clock.Add(time.Second); return clock },
	}
	return st, ks, f
}

func values(t *testing.T, st strategy.Store, indicator string) map[string]string {
	t.Helper()
	obs, err := st.Observations(context.Background(), strategy.ObservationFilter{Indicators: []string{indicator}})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, o := range obs {
		v := "~"
		if o.Value != nil {
			v = fmt.Sprint(*o.Value)
		}
		if o.Source != SourceKolada && indicator != "egen" {
			t.Errorf("%s %+v: source %q", indicator, o, o.Source)
		}
		out[fmt.Sprintf("%s %d %s", o.Org, o.Year, o.Gender)] = v
	}
	return out
}

func TestFetchKolada(t *testing.T) {
	ctx := context.Background()
	st, ks, f := setup(t)

	run, err := f.FetchKolada(ctx, Request{})
	if err != nil {
		t.Fatal(err)
	}
	// 7 values of utrikes-fodda, the 3 totals of utrikes-fodda-totalt, 1 of mottagna.
	if run.Outcome != strategy.RunOK || run.Changes.Added != 11 || run.Requests == 0 {
		t.Errorf("first run = %+v", run)
	}
	// Region 0023 is our 23; K 2020 was null and stays missing, not 0.
	want := map[string]string{"2380 2019 T": "9.4", "2380 2019 K": "9", "2380 2019 M": "9.8",
		"2380 2020 T": "9.9", "2380 2020 K": "~", "2380 2020 M": "10.2", "23 2020 T": "8.1"}
	if got := values(t, st, "utrikes-fodda"); !reflect.DeepEqual(got, want) {
		t.Errorf("utrikes-fodda = %v, want %v", got, want)
	}
	// The T-only indicator on the same KPI takes only T.
	if got := values(t, st, "utrikes-fodda-totalt"); len(got) != 3 || got["2380 2020 T"] != "9.9" {
		t.Errorf("utrikes-fodda-totalt = %v", got)
	}
	if got := values(t, st, "mottagna"); got["2380 2020 T"] != "171" {
		t.Errorf("mottagna = %v", got)
	}

	// The next run is incremental: from_date, and a deletion applies. The
	// values set before the first run are older than from_date, so they
	// do not come again.
	ks.SetToday(time.Date(2026, 3, 1, 5, 0, 0, 0, time.UTC))
	ks.Delete("N02926", "2380", 2019, "M")
	ks.ResetRequests()
	run, err = f.FetchKolada(ctx, Request{})
	if err != nil {
		t.Fatal(err)
	}
	if run.Changes.Deleted != 1 || run.Changes.Added != 0 {
		t.Errorf("incremental run = %+v", run.Changes)
	}
	if _, ok := values(t, st, "utrikes-fodda")["2380 2019 M"]; ok {
		t.Error("deleted value still stored")
	}
	// Series with stored values are asked for changes only; region 23 has
	// no N01986 value yet, so it gets the whole history.
	if len(ks.DataRequests()) == 0 {
		t.Error("the incremental run made no data request")
	}
	for _, r := range ks.DataRequests() {
		wantIncremental := !strings.Contains(r.Path, "N01986/municipality/0023")
		if got := strings.Contains(r.Query, "from_date=2026-02-28"); got != wantIncremental {
			t.Errorf("request %s: incremental %v, want %v", r.URI(), got, wantIncremental)
		}
	}
	runs, _ := st.SourceRuns(ctx, SourceKolada, 10)
	if len(runs) != 2 {
		t.Errorf("runs = %d", len(runs))
	}
}

func TestFailedFetchChangesNothing(t *testing.T) {
	ctx := context.Background()
	st, ks, f := setup(t)
	before, err := st.Export(ctx, "2380", "")
	if err != nil {
		t.Fatal(err)
	}
	// The second KPI fails after the first was fetched: nothing of the
	// first may be stored either.
	ks.Fail("N01986", http.StatusInternalServerError, 0)
	run, err := f.FetchKolada(ctx, Request{})
	if err == nil || run.Outcome != strategy.RunFailed || !strings.Contains(run.Error, "N01986") {
		t.Fatalf("run = %+v, err = %v", run, err)
	}
	after, err := st.Export(ctx, "2380", "")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(before, after) {
		t.Error("a failed fetch changed the database")
	}
	runs, _ := st.SourceRuns(ctx, "", 10)
	if len(runs) != 1 || runs[0].Outcome != strategy.RunFailed || runs[0].Changes != (strategy.ChangeCount{}) {
		t.Errorf("recorded runs = %+v", runs)
	}
}
