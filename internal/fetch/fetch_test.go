package fetch

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/inkludera/inkludera/internal/kolada"
	"github.com/inkludera/inkludera/internal/store"
	"github.com/inkludera/inkludera/internal/strategy"
)

// koladaServer answers Kolada v3 data and KPI requests in the documented
// shape (reference/datasources.md §1.4) from a table of values, so that
// the whole path — client, mapping, store — runs for real.
type koladaServer struct {
	mu sync.Mutex
	// values: KPI → org (Kolada id) → year → gender → value (nil = null).
	values map[string]map[string]map[int]map[string]*float64
	// deletedSince: rows a from_date query reports as deleted.
	deletedSince map[string][]deletedRow
	failKPI      string // answer 500 for this KPI
	requests     []string
}

type deletedRow struct {
	org    string
	year   int
	gender string
}

func (k *koladaServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.requests = append(k.requests, r.URL.RequestURI())
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	// /kpi/{ids} and /data/kpi/{ids}/municipality/{ids}[/year/{years}]:
	// name/value pairs after the leading "data".
	pairs := parts
	if len(parts) > 0 && parts[0] == "data" {
		pairs = parts[1:]
	}
	seg := map[string]string{}
	for i := 0; i+1 < len(pairs); i += 2 {
		seg[pairs[i]] = pairs[i+1]
	}
	w.Header().Set("Content-Type", "application/json")
	if len(parts) >= 1 && parts[0] == "kpi" {
		var kpis []map[string]any
		for _, id := range strings.Split(seg["kpi"], ",") {
			kpis = append(kpis, map[string]any{"id": id, "title": "KPI " + id, "is_divided_by_gender": true,
				"municipality_type": "K", "publ_period": "2024", "publication_date": "2025-02-24", "prel_publication_date": nil})
		}
		json.NewEncoder(w).Encode(map[string]any{"values": kpis, "count": len(kpis), "next_url": nil, "previous_url": nil})
		return
	}
	if parts[0] != "data" {
		http.NotFound(w, r)
		return
	}
	var rows []map[string]any
	for _, kpi := range strings.Split(seg["kpi"], ",") {
		if k.failKPI != "" && kpi == k.failKPI {
			http.Error(w, `{"error":"internal"}`, http.StatusInternalServerError)
			return
		}
		for _, org := range strings.Split(seg["municipality"], ",") {
			byYear := map[int][]map[string]any{}
			if r.URL.Query().Get("from_date") != "" {
				for _, d := range k.deletedSince[kpi] {
					if d.org == org {
						byYear[d.year] = append(byYear[d.year], map[string]any{"gender": d.gender, "count": 1, "status": "", "value": nil, "isdeleted": true})
					}
				}
			} else {
				for year, byGender := range k.values[kpi][org] {
					for _, g := range []string{"T", "K", "M"} {
						if v, ok := byGender[g]; ok {
							byYear[year] = append(byYear[year], map[string]any{"gender": g, "count": 1, "status": "", "value": v, "isdeleted": false})
						}
					}
				}
			}
			for year, vals := range byYear {
				rows = append(rows, map[string]any{"kpi": kpi, "municipality": org, "period": year, "values": vals})
			}
		}
	}
	json.NewEncoder(w).Encode(map[string]any{"values": rows, "count": len(rows), "next_url": nil, "previous_url": nil})
}

func f64(v float64) *float64 { return &v }

// setup stores two organisations and three indicators: one on a
// gender-divided KPI, one T-only indicator on the same KPI, one manual.
func setup(t *testing.T) (*store.Store, *koladaServer, *Fetcher) {
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
	ks := &koladaServer{values: map[string]map[string]map[int]map[string]*float64{
		"N02926": {
			"2380": {2019: {"T": f64(9.4), "K": f64(9.0), "M": f64(9.8)}, 2020: {"T": f64(9.9), "K": nil, "M": f64(10.2)}},
			"0023": {2020: {"T": f64(8.1)}},
		},
		"N01986": {"2380": {2020: {"T": f64(171)}}},
	}}
	srv := httptest.NewServer(ks)
	t.Cleanup(srv.Close)
	clock := time.Date(2026, 3, 1, 4, 0, 0, 0, time.UTC)
	f := &Fetcher{
		Store:  st,
		Kolada: kolada.New(srv.URL, kolada.WithSleep(func(context.Context, time.Duration) error { return nil }), kolada.WithMaxRetries(1)),
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

	// The next run is incremental: from_date, and a deletion applies.
	ks.deletedSince = map[string][]deletedRow{"N02926": {{org: "2380", year: 2019, gender: "M"}}}
	ks.requests = nil
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
	for _, r := range ks.requests {
		if !strings.HasPrefix(r, "/data/") {
			continue
		}
		wantIncremental := !strings.Contains(r, "N01986/municipality/0023")
		if got := strings.Contains(r, "from_date=2026-02-28"); got != wantIncremental {
			t.Errorf("request %s: incremental %v, want %v", r, got, wantIncremental)
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
	ks.failKPI = "N01986"
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
