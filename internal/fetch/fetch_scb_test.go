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
	"github.com/inkludera/inkludera/internal/scb"
	"github.com/inkludera/inkludera/internal/scb/scbtest"
	"github.com/inkludera/inkludera/internal/store"
	"github.com/inkludera/inkludera/internal/strategy"
)

// The SCB references the fixtures answer (internal/scb/testdata/handmade/v2):
// foreign-born, all ages, TAB4823 (2022–2024) continued by its Cell Key
// Method successor TAB6645 (2025); and born in Sweden, age 0, TAB4823 only.
const (
	refStitched = "scb:TAB4823+TAB6645?Fodelseregion=11&Alder=*&ContentsCode=000001N6"
	refPlain    = "scb:TAB4823?Fodelseregion=09&Alder=0&ContentsCode=000001N6"
)

// wantStitched are the values of refStitched, read by hand from the cubes
// (as in internal/scb's TestFetchStitchedHistoryAndCKM): "value status",
// "~" for missing. 2025 comes from TAB6645, the first successor year,
// marked as a method break unless SCB gave a symbol.
var wantStitched = map[string]string{
	"2380 2022 T": "1871", "2380 2022 K": "966", "2380 2022 M": "905",
	"2380 2023 T": "1931", "2380 2023 K": "996", "2380 2023 M": "935",
	"2380 2024 T": "1991", "2380 2024 K": "1026", "2380 2024 M": "965",
	"2380 2025 T": "2057 " + MethodBreakStatus, "2380 2025 K": "1059 " + MethodBreakStatus, "2380 2025 M": "998 " + MethodBreakStatus,
	"2361 2022 T": "375", "2361 2022 K": "194", "2361 2022 M": "181",
	// One ".." among the summed ages (100+, kvinnor) makes K and T missing.
	"2361 2023 T": "~ ..", "2361 2023 K": "~ ..", "2361 2023 M": "187",
	"2361 2024 T": "399", "2361 2024 K": "206", "2361 2024 M": "193",
	"2361 2025 T": "~ ..", "2361 2025 K": "215 " + MethodBreakStatus, "2361 2025 M": "~ ..",
}

// wantPlain are the totals of refPlain (K+M, TAB4823 has no sex total); its
// indicator is not broken down by gender, so K and M are not stored.
var wantPlain = map[string]string{
	"2380 2022 T": "4100", "2380 2023 T": "4200", "2380 2024 T": "4300",
	"2361 2022 T": "820", "2361 2023 T": "840", "2361 2024 T": "860",
}

// scbSetup stores Östersund and Härjedalen with an SCB indicator broken
// down by gender on the stitched reference, a total-only one on the plain
// reference, a Kolada one and a manual one, and returns a Fetcher whose
// SCB client talks to a fake SCB on the fake clock (as does Fetcher.Now).
func scbSetup(t *testing.T) (*store.Store, *scbtest.Server, *Fetcher) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "scb.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	b := strategy.Bundle{
		Organisation: &strategy.Organisation{Code: "2380", Name: "Östersunds kommun", Kind: strategy.OrgKommun},
		Indicators: []strategy.Indicator{
			{Key: "utrikes-fodda-scb", Title: "Utrikes födda (SCB)", Unit: "antal", Polarity: strategy.Neutral, Source: refStitched, Breakdowns: []string{"gender"}},
			{Key: "fodda-i-sverige-0", Title: "Födda i Sverige, 0 år", Unit: "antal", Polarity: strategy.Neutral, Source: refPlain},
			{Key: "utrikes-fodda", Title: "Utrikes födda (Kolada)", Unit: "%", Polarity: strategy.Neutral, Source: "kolada:N02926", Breakdowns: []string{"gender"}},
			{Key: "egen", Title: "Egen", Unit: "antal", Polarity: strategy.HigherIsBetter, Source: "manual"},
		},
		Observations: []strategy.Observation{
			{Indicator: "egen", Org: "2380", Year: 2020, Gender: strategy.Total, Value: f64(1)},
		},
	}
	other := strategy.Bundle{Organisation: &strategy.Organisation{Code: "2361", Name: "Härjedalens kommun", Kind: strategy.OrgKommun}}
	if _, err := st.Import(ctx, []strategy.Bundle{b, other}); err != nil {
		t.Fatal(err)
	}
	srv := scbtest.NewServer(t)
	f := &Fetcher{
		Store: st,
		SCB:   scb.New(srv.URL, scb.WithClock(srv.Clock.Now, srv.Clock.Sleep), scb.WithV1BaseURL(srv.V1URL)),
		Now:   srv.Clock.Now,
	}
	return st, srv, f
}

// stored reads an indicator's values as "org year gender" → "value status"
// ("~" for missing), checking that each came from SCB with its provenance.
func stored(t *testing.T, st strategy.Store, srv *scbtest.Server, indicator string) map[string]string {
	t.Helper()
	obs, err := st.Observations(context.Background(), strategy.ObservationFilter{Indicators: []string{indicator}})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, o := range obs {
		key := fmt.Sprintf("%s %d %s", o.Org, o.Year, o.Gender)
		v := "~"
		if o.Value != nil {
			v = fmt.Sprint(*o.Value)
		}
		if o.Status != "" {
			v += " " + o.Status
		}
		out[key] = v
		table := "TAB4823"
		if o.Year >= 2025 {
			table = "TAB6645"
		}
		if o.Source != SourceSCB || !strings.HasPrefix(o.SourceURL, srv.URL+"/tables/"+table+"/data?") ||
			!strings.Contains(o.SourceURL, "&valueCodes[Region]="+o.Org+"&") || !strings.HasSuffix(o.SourceURL, fmt.Sprintf("&valueCodes[Tid]=%d", o.Year)) {
			t.Errorf("%s %s: source %q, URL %q", indicator, key, o.Source, o.SourceURL)
		}
		// The client stamps values with its clock, in UTC to the µs.
		if o.FetchedAt.Before(scbtest.Start.Truncate(time.Microsecond)) || o.FetchedAt.After(srv.Clock.Now()) {
			t.Errorf("%s %s: fetched at %v, want on the fake clock (from %v to %v)", indicator, key, o.FetchedAt, scbtest.Start, srv.Clock.Now())
		}
	}
	return out
}

func hasWarning(warnings []string, parts ...string) bool {
	for _, w := range warnings {
		all := true
		for _, p := range parts {
			all = all && strings.Contains(w, p)
		}
		if all {
			return true
		}
	}
	return false
}

func exports(t *testing.T, st *store.Store) map[string][]strategy.Bundle {
	t.Helper()
	out := map[string][]strategy.Bundle{}
	for _, org := range []string{"2380", "2361"} {
		b, err := st.Export(context.Background(), org, "")
		if err != nil {
			t.Fatal(err)
		}
		out[org] = b
	}
	return out
}

func TestFetchSCB(t *testing.T) {
	ctx := context.Background()
	st, srv, f := scbSetup(t)

	run, err := f.FetchSCB(ctx, Request{})
	if err != nil {
		t.Fatal(err)
	}
	// 24 values of the stitched indicator (2 orgs × 4 years × T/K/M) and
	// 6 totals of the plain one.
	if run.Source != SourceSCB || run.Outcome != strategy.RunOK || run.Changes != (strategy.ChangeCount{Added: 30}) || run.ID == 0 {
		t.Errorf("first run = %+v", run)
	}
	// /config, two tables' metadata and three data calls (TAB4823's
	// metadata is read once for both references).
	if n := len(srv.Requests()); run.Requests != n || n != 6 {
		t.Errorf("run counted %d requests, the server saw %d, want 6", run.Requests, n)
	}
	if got := stored(t, st, srv, "utrikes-fodda-scb"); !reflect.DeepEqual(got, wantStitched) {
		t.Errorf("utrikes-fodda-scb =\n%v\nwant\n%v", got, wantStitched)
	}
	if got := stored(t, st, srv, "fodda-i-sverige-0"); !reflect.DeepEqual(got, wantPlain) {
		t.Errorf("fodda-i-sverige-0 =\n%v\nwant\n%v", got, wantPlain)
	}
	obs, err := st.Observations(ctx, strategy.ObservationFilter{Org: "2380", Indicators: []string{"fodda-i-sverige-0"}})
	if err != nil || len(obs) != 3 {
		t.Fatalf("observations %v, %v", obs, err)
	}
	wantURL := srv.URL + "/tables/TAB4823/data?lang=sv&outputFormat=json-stat2&valueCodes[Region]=2380&valueCodes[Alder]=0" +
		"&valueCodes[Kon]=*&valueCodes[Fodelseregion]=09&valueCodes[ContentsCode]=000001N6&valueCodes[Tid]=2022"
	if obs[0].SourceURL != wantURL || obs[0].FetchedAt.IsZero() {
		t.Errorf("provenance of %+v\nwant URL %s", obs[0], wantURL)
	}
	// The manual indicator is left alone.
	if egen, _ := st.Observations(ctx, strategy.ObservationFilter{Indicators: []string{"egen"}}); len(egen) != 1 || *egen[0].Value != 1 {
		t.Errorf("egen = %+v", egen)
	}
	for _, w := range [][]string{
		{"TAB4823: 12 värden för kvinnor och män hoppades över"}, // K and M of refPlain, 2 orgs × 3 years
		{"method break at 2025", "TAB6645 continues TAB4823"},
		{"TAB4823 has no total for Kon"},
	} {
		if !hasWarning(run.Warnings, w...) {
			t.Errorf("no warning %q in %q", w, run.Warnings)
		}
	}
	if hasWarning(run.Warnings, "TAB4823+TAB6645:", "hoppades över") {
		t.Errorf("the gender-divided indicator kept K and M: %q", run.Warnings)
	}
	runs, err := st.SourceRuns(ctx, SourceSCB, 10)
	if err != nil || len(runs) != 1 || runs[0].ID != run.ID || runs[0].Changes != run.Changes || runs[0].Requests != 6 {
		t.Errorf("recorded runs = %+v, %v", runs, err)
	}

	// A day later SCB has the same figures: nothing changes.
	before := exports(t, st)
	srv.Clock.Advance(24 * time.Hour)
	run, err = f.FetchSCB(ctx, Request{})
	if err != nil {
		t.Fatal(err)
	}
	if run.Outcome != strategy.RunOK || run.Changes != (strategy.ChangeCount{Unchanged: 30}) {
		t.Errorf("second run = %+v", run)
	}
	if after := exports(t, st); !reflect.DeepEqual(before, after) {
		t.Error("a run that fetched the same figures changed the database")
	}
	if runs, _ := st.SourceRuns(ctx, SourceSCB, 10); len(runs) != 2 || runs[0].Changes.Unchanged != 30 {
		t.Errorf("recorded runs = %+v", runs)
	}

	// SCB revises a figure: that value alone changes, with its new time.
	srv.AddCube("TAB4823", srv.Cube("TAB4823").MapValues(func(codes map[string]string, v *float64, status string) (*float64, string) {
		if codes["Region"] == "2380" && codes["Tid"] == "2024" && codes["Alder"] == "0" && codes["Fodelseregion"] == "09" && codes["Kon"] == "2" {
			v = f64(*v + 5)
		}
		return v, status
	}))
	srv.Clock.Advance(24 * time.Hour)
	run, err = f.FetchSCB(ctx, Request{})
	if err != nil {
		t.Fatal(err)
	}
	if run.Changes != (strategy.ChangeCount{Changed: 1, Unchanged: 29}) {
		t.Errorf("run after a revision = %+v", run.Changes)
	}
	obs, err = st.Observations(ctx, strategy.ObservationFilter{Org: "2380", Indicators: []string{"fodda-i-sverige-0"}, FromYear: 2023})
	if err != nil || len(obs) != 2 || *obs[0].Value != 4200 || *obs[1].Value != 4305 || !obs[1].FetchedAt.After(obs[0].FetchedAt) {
		t.Errorf("after the revision: %+v, %v", obs, err)
	}
}

func TestFetchSCBOnly(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		only []string
		want []string // indicators with values
	}{
		{[]string{"TAB4823+TAB6645"}, []string{"utrikes-fodda-scb"}},
		// A table of a stitched reference selects it too.
		{[]string{"TAB6645"}, []string{"utrikes-fodda-scb"}},
		{[]string{"TAB4823"}, []string{"utrikes-fodda-scb", "fodda-i-sverige-0"}},
		{[]string{"TAB9999"}, nil},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.only, ","), func(t *testing.T) {
			st, srv, f := scbSetup(t)
			run, err := f.FetchSCB(ctx, Request{Only: tc.only, Orgs: []string{"2380"}})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, ind := range []string{"utrikes-fodda-scb", "fodda-i-sverige-0"} {
				if len(stored(t, st, srv, ind)) > 0 {
					got = append(got, ind)
				}
			}
			if !reflect.DeepEqual(got, tc.want) || (tc.want == nil) != (run.Source == "") {
				t.Errorf("fetched %v (run %+v), want %v", got, run, tc.want)
			}
		})
	}
}

func TestFetchSCBFailureChangesNothing(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name    string
		failure scbtest.Failure
		want    []string // in the run's error
		// afterGoodRun stores a successful run first and has SCB revise
		// every figure, so a partial write would show.
		afterGoodRun bool
	}{
		{"500 from the successor table after the history table",
			scbtest.Failure{Table: "TAB6645", Data: true, Status: http.StatusInternalServerError},
			[]string{"SCB TAB4823+TAB6645", "/tables/TAB6645/data", "HTTP 500"}, false},
		{"429 with a Retry-After too long to wait, on the third data call",
			scbtest.Failure{Data: true, After: 2, Status: http.StatusTooManyRequests, RetryAfter: "3600"},
			[]string{"HTTP 429", "Too many requests"}, false},
		{"503 until the client gives up, on TAB4823's second data call",
			scbtest.Failure{Table: "TAB4823", Data: true, After: 1, Status: http.StatusServiceUnavailable},
			[]string{"/tables/TAB4823/data", "HTTP 503"}, false},
		{"after a good run, the revised figures fail half-way",
			scbtest.Failure{Table: "TAB6645", Data: true, Status: http.StatusForbidden},
			[]string{"SCB TAB4823+TAB6645", "HTTP 403", "Too many cells selected"}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st, srv, f := scbSetup(t)
			if tc.afterGoodRun {
				if _, err := f.FetchSCB(ctx, Request{}); err != nil {
					t.Fatal(err)
				}
				srv.AddCube("TAB4823", srv.Cube("TAB4823").MapValues(func(_ map[string]string, v *float64, status string) (*float64, string) {
					if v != nil {
						v = f64(*v + 1)
					}
					return v, status
				}))
				srv.Clock.Advance(time.Hour)
			}
			before := exports(t, st)
			fault := srv.Fail(tc.failure)
			run, err := f.FetchSCB(ctx, Request{})
			if err == nil || run.Outcome != strategy.RunFailed {
				t.Fatalf("run = %+v, err = %v", run, err)
			}
			for _, w := range tc.want {
				if !strings.Contains(run.Error, w) {
					t.Errorf("run error %q lacks %q", run.Error, w)
				}
			}
			if fault.Count() == 0 {
				t.Error("the failure never fired")
			}
			var okData int
			for _, r := range srv.DataRequests() {
				if r.Status == http.StatusOK {
					okData++
				}
			}
			if okData == 0 {
				t.Error("no data call succeeded before the failure")
			}
			if after := exports(t, st); !reflect.DeepEqual(before, after) {
				t.Error("a failed run changed the database")
			}
			runs, err := st.SourceRuns(ctx, "", 10)
			if err != nil {
				t.Fatal(err)
			}
			wantRuns := 1
			if tc.afterGoodRun {
				wantRuns = 2
			}
			if len(runs) != wantRuns {
				t.Fatalf("%d runs recorded, want %d: %+v", len(runs), wantRuns, runs)
			}
			last := runs[0]
			if last.ID != run.ID || last.Source != SourceSCB || last.Outcome != strategy.RunFailed || last.Error != run.Error ||
				last.Changes != (strategy.ChangeCount{}) || last.Requests == 0 {
				t.Errorf("recorded run = %+v", last)
			}
			if tc.afterGoodRun && runs[1].Outcome != strategy.RunOK {
				t.Errorf("the good run: %+v", runs[1])
			}
		})
	}
}

func TestAllRunsEverySource(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name                string
		failKolada, failSCB bool
	}{
		{"both succeed", false, false},
		{"Kolada fails, SCB is stored", true, false},
		{"SCB fails, Kolada is stored", false, true},
		{"both fail", true, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st, srv, f := scbSetup(t)
			ks := koladatest.NewServer(t)
			ks.SetValues(koladatest.Values{
				"N02926": {
					"2380": {2024: {"T": f64(9.4), "K": f64(9.0), "M": f64(9.8)}},
					"2361": {2024: {"T": f64(7.1), "K": nil, "M": f64(7.3)}},
				},
			})
			if tc.failKolada {
				ks.Fail("N02926", http.StatusInternalServerError, 0)
			}
			if tc.failSCB {
				srv.Fail(scbtest.Failure{Table: "TAB6645", Data: true, Status: http.StatusInternalServerError})
			}
			f.Kolada = kolada.New(ks.URL, kolada.WithSleep(func(context.Context, time.Duration) error { return nil }), kolada.WithMaxRetries(1))

			runs, err := f.All(ctx, Request{})
			if (err != nil) != (tc.failKolada || tc.failSCB) {
				t.Fatalf("err = %v", err)
			}
			if tc.failKolada && !strings.Contains(err.Error(), "N02926") || tc.failSCB && !strings.Contains(err.Error(), "TAB6645") {
				t.Errorf("err = %v", err)
			}
			if len(runs) != 2 || runs[0].Source != SourceKolada || runs[1].Source != SourceSCB {
				t.Fatalf("runs = %+v", runs)
			}
			recorded, err := st.SourceRuns(ctx, "", 10)
			if err != nil || len(recorded) != 2 {
				t.Fatalf("recorded runs %+v, %v", recorded, err)
			}
			for i, failed := range []bool{tc.failKolada, tc.failSCB} {
				want := strategy.RunOK
				if failed {
					want = strategy.RunFailed
				}
				if runs[i].Outcome != want || runs[i].ID == 0 {
					t.Errorf("%s run = %+v, want %s", runs[i].Source, runs[i], want)
				}
			}
			kol, err := st.Observations(ctx, strategy.ObservationFilter{Indicators: []string{"utrikes-fodda"}})
			if err != nil {
				t.Fatal(err)
			}
			if wantN := map[bool]int{false: 6, true: 0}[tc.failKolada]; len(kol) != wantN {
				t.Errorf("%d Kolada values stored, want %d", len(kol), wantN)
			}
			scbValues := stored(t, st, srv, "utrikes-fodda-scb")
			if tc.failSCB && len(scbValues) != 0 || !tc.failSCB && !reflect.DeepEqual(scbValues, wantStitched) {
				t.Errorf("SCB values = %v", scbValues)
			}
		})
	}
}
