package kolada

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/inkludera/inkludera/internal/strategy"
)

// summary writes an observation as "KPI org year gender value[ status][ prel]".
func summary(o strategy.Observation) string {
	v := "nil"
	if o.Value != nil {
		v = fmt.Sprint(*o.Value)
	}
	s := fmt.Sprintf("%s %s %d %s %s", o.Indicator, o.Org, o.Year, o.Gender, v)
	if o.Status != "" {
		s += " status=" + o.Status
	}
	if o.Preliminary {
		s += " prel"
	}
	return s
}

func summaries(obs []strategy.Observation) []string {
	out := make([]string, len(obs))
	for i, o := range obs {
		out[i] = summary(o)
	}
	return out
}

func hasWarning(ws []string, part string) bool {
	return slices.ContainsFunc(ws, func(w string) bool { return strings.Contains(w, part) })
}

func TestData(t *testing.T) {
	kpiRoute := func(ids string) string { return "/v3/kpi/" + ids + "?per_page=5000" }
	tests := []struct {
		name     string
		q        Query
		routes   map[string][]reply
		want     []string // summaries, in order
		requests int
		check    func(t *testing.T, api *fakeAPI, res *Result)
	}{
		{
			// Page 1 holds 3 rows, far below per_page: a client that
			// stopped on a short page, or read count as a total, would
			// miss page 2.
			name: "paging follows next_url; gender-divided KPI; regions and riket mapped",
			q:    Query{KPIs: []string{"N02926"}, Orgs: []string{"2380", "23", "00"}, Years: []int{2023, 2024}},
			routes: map[string][]reply{
				dataURI("/kpi/N02926/municipality/2380,0023,0000/year/2023,2024"):                     ok("data_paged_1.json"),
				"/v3/data/kpi/N02926/municipality/2380,0023,0000/year/2023,2024?page=2&per_page=5000": ok("data_paged_2.json"),
				kpiRoute("N02926"): ok("kpi.json"),
			},
			want: []string{
				"N02926 2380 2023 K 9.4", "N02926 2380 2023 M 10.1", "N02926 2380 2023 T 9.8",
				"N02926 2380 2024 K 9.6", "N02926 2380 2024 M 10.4", "N02926 2380 2024 T 10",
				"N02926 23 2023 K 8.7", "N02926 23 2023 M 9.5", "N02926 23 2023 T 9.1",
				"N02926 23 2024 K 8.9", "N02926 23 2024 M 9.8", "N02926 23 2024 T 9.4",
				"N02926 00 2023 K 20.4", "N02926 00 2023 M 19.9", "N02926 00 2023 T 20.1",
				"N02926 00 2024 K 20.6", "N02926 00 2024 M 20", "N02926 00 2024 T 20.3",
			},
			requests: 3,
			check: func(t *testing.T, api *fakeAPI, res *Result) {
				first := res.Observations[0]
				wantURL := api.base() + "/data/kpi/N02926/municipality/2380,0023,0000/year/2023,2024?per_page=5000"
				if first.SourceURL != wantURL {
					t.Errorf("SourceURL = %q, want %q", first.SourceURL, wantURL)
				}
				last := res.Observations[len(res.Observations)-1]
				if !strings.Contains(last.SourceURL, "page=2") {
					t.Errorf("page 2 observation has SourceURL %q", last.SourceURL)
				}
				wantAt := time.Date(2026, 6, 15, 8, 0, 0, 123456000, time.UTC)
				if first.Source != "kolada" || !first.FetchedAt.Equal(wantAt) || first.FetchedAt.Location() != time.UTC {
					t.Errorf("provenance = %q %v, want kolada %v", first.Source, first.FetchedAt, wantAt)
				}
				if len(res.Deleted) != 0 || len(res.GroupCounts) != 0 || len(res.Warnings) != 0 {
					t.Errorf("unexpected deleted %v, group counts %v, warnings %v", res.Deleted, res.GroupCounts, res.Warnings)
				}
			},
		},
		{
			name: "KPI not divided by gender has T only (value from Kolada)",
			q:    Query{KPIs: []string{"N00217"}, Orgs: []string{"1280"}, Years: []int{2024}},
			routes: map[string][]reply{
				dataURI("/kpi/N00217/municipality/1280/year/2024"): ok("data_t_only.json"),
				kpiRoute("N00217"): ok("kpi.json"),
			},
			want:     []string{"N00217 1280 2024 T 0.86397284"},
			requests: 2,
		},
		{
			name: "null stays nil; publ_period between preliminary and final publication is preliminary",
			q:    Query{KPIs: []string{"N00973"}, Orgs: []string{"2380"}, Years: []int{2025}},
			routes: map[string][]reply{
				dataURI("/kpi/N00973/municipality/2380/year/2025"): ok("data_null.json"),
				kpiRoute("N00973"): ok("kpi.json"),
			},
			want:     []string{"N00973 2380 2025 K nil prel", "N00973 2380 2025 M 47 prel", "N00973 2380 2025 T 41 prel"},
			requests: 2,
		},
		{
			name: "from_date query: isdeleted rows become deletions",
			q: Query{KPIs: []string{"N01986"}, Orgs: []string{"2380"}, Years: []int{2024, 2025},
				Since: time.Date(2026, 3, 1, 23, 30, 0, 0, time.UTC), Meta: map[string]KPI{"N01986": {ID: "N01986"}}},
			routes: map[string][]reply{
				"/v3/data/kpi/N01986/municipality/2380/year/2024,2025?from_date=2026-03-01&per_page=5000": ok("data_from_date.json"),
			},
			want:     []string{"N01986 2380 2025 K 29", "N01986 2380 2025 M 32", "N01986 2380 2025 T 61"},
			requests: 1,
			check: func(t *testing.T, _ *fakeAPI, res *Result) {
				want := []strategy.ObservationKey{
					{Indicator: "N01986", Org: "2380", Year: 2024, Gender: "K"},
					{Indicator: "N01986", Org: "2380", Year: 2024, Gender: "M"},
					{Indicator: "N01986", Org: "2380", Year: 2024, Gender: "T"},
				}
				if !slices.Equal(res.Deleted, want) {
					t.Errorf("Deleted = %v, want %v", res.Deleted, want)
				}
			},
		},
		{
			name: "group row: id kept, member count recorded",
			q:    Query{KPIs: []string{"N02926"}, Orgs: []string{"G176199"}, Years: []int{2024}},
			routes: map[string][]reply{
				dataURI("/kpi/N02926/municipality/G176199/year/2024"): ok("data_group.json"),
				kpiRoute("N02926"): ok("kpi.json"),
			},
			want:     []string{"N02926 G176199 2024 K 14.2", "N02926 G176199 2024 M 15", "N02926 G176199 2024 T 14.6"},
			requests: 2,
			check: func(t *testing.T, _ *fakeAPI, res *Result) {
				for _, g := range strategy.Genders {
					k := strategy.ObservationKey{Indicator: "N02926", Org: "G176199", Year: 2024, Gender: g}
					if res.GroupCounts[k] != 7 {
						t.Errorf("GroupCounts[%v] = %d, want 7", k, res.GroupCounts[k])
					}
				}
			},
		},
		{
			name: "odd rows: string period read, unknown ids, periods and genders skipped with warnings",
			q:    Query{KPIs: []string{"N02926"}, Years: []int{2024}},
			routes: map[string][]reply{
				dataURI("/kpi/N02926/year/2024"): ok("data_odd_rows.json"),
				kpiRoute("N02926"):               ok("kpi.json"),
			},
			want:     []string{"N02926 2380 2024 T 10", "N02926 1280 2024 T 35.2 status=X"},
			requests: 2,
			check: func(t *testing.T, _ *fakeAPI, res *Result) {
				for _, w := range []string{`"0099"`, `"V15E144001301"`, `"2024H1"`, `gender "F"`} {
					if !hasWarning(res.Warnings, w) {
						t.Errorf("no warning naming %s in %q", w, res.Warnings)
					}
				}
			},
		},
		{
			name: "empty result: no observations, no metadata request",
			q:    Query{KPIs: []string{"N02926"}, Orgs: []string{"2380"}, Years: []int{1990}},
			routes: map[string][]reply{
				dataURI("/kpi/N02926/municipality/2380/year/1990"): ok("data_empty.json"),
			},
			want:     []string{},
			requests: 1,
		},
		{
			name: "KPI unknown to the metadata: warned, not preliminary",
			q:    Query{KPIs: []string{"N00973"}, Orgs: []string{"2380"}, Years: []int{2025}, Meta: map[string]KPI{}},
			routes: map[string][]reply{
				dataURI("/kpi/N00973/municipality/2380/year/2025"): ok("data_null.json"),
			},
			want:     []string{"N00973 2380 2025 K nil", "N00973 2380 2025 M 47", "N00973 2380 2025 T 41"},
			requests: 1,
			check: func(t *testing.T, _ *fakeAPI, res *Result) {
				if !hasWarning(res.Warnings, "no metadata for KPI N00973") {
					t.Errorf("warnings = %q", res.Warnings)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newFakeAPI(t, tt.routes)
			clk := newFakeClock(true)
			c := New(api.base(), clk.options()...)
			res, err := c.Data(context.Background(), tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if got := summaries(res.Observations); !slices.Equal(got, tt.want) {
				t.Errorf("observations:\n got %q\nwant %q", got, tt.want)
			}
			if res.Requests != tt.requests || len(api.requests()) != tt.requests {
				t.Errorf("Requests = %d, server saw %d, want %d", res.Requests, len(api.requests()), tt.requests)
			}
			if tt.check != nil {
				tt.check(t, api, res)
			}
		})
	}
}

func TestQueryValidation(t *testing.T) {
	tests := []struct {
		name string
		q    Query
		want string
	}{
		{"one dimension", Query{KPIs: []string{"N02926"}}, "two of"},
		{"Kolada's region id is not our code", Query{KPIs: []string{"N02926"}, Orgs: []string{"0023"}}, `"0023"`},
		{"path in a KPI id", Query{KPIs: []string{"N02926/../x"}, Years: []int{2024}}, "bad KPI id"},
		{"query in a KPI id", Query{KPIs: []string{"N02926?a=b"}, Years: []int{2024}}, "bad KPI id"},
		{"year out of range", Query{KPIs: []string{"N02926"}, Years: []int{1800}}, "year 1800"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := New("http://127.0.0.1:1/v3")
			_, err := c.Data(context.Background(), tt.q)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want one containing %s", err, tt.want)
			}
		})
	}
}

// segments parses a data request path into its id lists.
func segments(t *testing.T, path string) map[string][]string {
	t.Helper()
	parts := strings.Split(strings.TrimPrefix(path, "/v3/data/"), "/")
	if len(parts)%2 != 0 {
		t.Fatalf("odd data path %s", path)
	}
	out := map[string][]string{}
	for i := 0; i < len(parts); i += 2 {
		out[parts[i]] = strings.Split(parts[i+1], ",")
	}
	return out
}

// pageFor answers a data request with one T row per (kpi, municipality,
// year) it names, so a test can see what was covered.
func pageFor(seg map[string][]string) string {
	var rows []string
	for _, k := range seg["kpi"] {
		for _, m := range seg["municipality"] {
			for _, y := range seg["year"] {
				rows = append(rows, fmt.Sprintf(`{"kpi":%q,"municipality":%q,"period":%s,"values":[{"gender":"T","count":1,"status":"","value":1,"isdeleted":false}]}`, k, m, y))
			}
		}
	}
	return fmt.Sprintf(`{"values":[%s],"count":%d,"next_url":null,"previous_url":null}`, strings.Join(rows, ","), len(rows))
}

func ids(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%05d", prefix, i+1)
	}
	return out
}

func kommuner(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("01%02d", i) // 0100…: valid kommun-shaped codes
	}
	return out
}

func years(from, n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = from + i
	}
	return out
}

func TestDataChunking(t *testing.T) {
	tests := []struct {
		name     string
		q        Query
		requests int
		refuse   func(seg map[string][]string) bool // answer 422
	}{
		{name: "60 KPIs in lists of 25", q: Query{KPIs: ids("N", 60), Orgs: []string{"2380"}}, requests: 3},
		{name: "30 × 30 × 2 bounded product", q: Query{KPIs: ids("N", 30), Orgs: kommuner(30), Years: years(2023, 2)}},
		{name: "30 years", q: Query{Orgs: []string{"2380", "23"}, KPIs: []string{"N02926"}, Years: years(1995, 30)}, requests: 2},
		{
			name: "422 on more than 8 municipalities: halve until accepted",
			q:    Query{KPIs: []string{"N02926", "N01951"}, Orgs: kommuner(33), Years: []int{2024}},
			refuse: func(seg map[string][]string) bool {
				return len(seg["municipality"]) > 8
			},
		},
		{
			name: "422 on the product: halve the longest list",
			q:    Query{KPIs: ids("N", 20), Orgs: kommuner(20), Years: []int{2024}},
			refuse: func(seg map[string][]string) bool {
				return len(seg["kpi"])*len(seg["municipality"]) > 40
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var mu sync.Mutex
			seen := map[string]int{}
			var accepted int
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				seg := segments(t, r.URL.Path)
				if r.URL.Query().Get("per_page") != "5000" {
					t.Errorf("per_page = %q", r.URL.Query().Get("per_page"))
				}
				product := 1
				for name, l := range seg {
					if len(l) > 25 {
						t.Errorf("%s list of %d ids in %s", name, len(l), r.URL.Path)
					}
					product *= len(l)
				}
				if product > maxProduct {
					t.Errorf("product %d > %d in %s", product, maxProduct, r.URL.Path)
				}
				if tt.refuse != nil && tt.refuse(seg) {
					b, _ := os.ReadFile(filepath.Join("testdata", "error_422.json"))
					w.WriteHeader(http.StatusUnprocessableEntity)
					w.Write(b)
					return
				}
				mu.Lock()
				accepted++
				ys := seg["year"]
				if len(ys) == 0 {
					ys = []string{""} // all years
				}
				for _, k := range seg["kpi"] {
					for _, m := range seg["municipality"] {
						for _, y := range ys {
							seen[k+"/"+m+"/"+y]++
						}
					}
				}
				mu.Unlock()
				w.Write([]byte(pageFor(seg)))
			}))
			defer srv.Close()
			clk := newFakeClock(true)
			tt.q.Meta = map[string]KPI{}
			res, err := New(srv.URL+"/v3", clk.options()...).Data(context.Background(), tt.q)
			if err != nil {
				t.Fatal(err)
			}
			want := 0
			ys := []string{""}
			if len(tt.q.Years) > 0 {
				ys, _ = yearStrings(tt.q.Years)
			}
			for _, k := range tt.q.KPIs {
				for _, o := range tt.q.Orgs {
					for _, y := range ys {
						want++
						if n := seen[k+"/"+KoladaID(o)+"/"+y]; n != 1 {
							t.Errorf("%s/%s/%s requested %d times", k, o, y, n)
						}
					}
				}
			}
			if len(seen) != want {
				t.Errorf("%d combinations requested, want %d", len(seen), want)
			}
			if tt.requests != 0 && accepted != tt.requests {
				t.Errorf("%d requests, want %d", accepted, tt.requests)
			}
			if len(tt.q.Years) > 0 && len(res.Observations) != want {
				t.Errorf("%d observations, want %d", len(res.Observations), want)
			}
		})
	}
}

func TestData422SingleIDs(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seg := segments(t, r.URL.Path)
		if slices.Contains(seg["municipality"], "0180") {
			w.WriteHeader(http.StatusUnprocessableEntity)
			w.Write([]byte(`{"detail":"no"}`))
			return
		}
		w.Write([]byte(pageFor(seg)))
	}))
	defer srv.Close()
	clk := newFakeClock(true)
	q := Query{KPIs: []string{"N02926"}, Orgs: []string{"0114", "0180", "0181", "0182"}, Years: []int{2024}, Meta: map[string]KPI{}}
	_, err := New(srv.URL+"/v3", clk.options()...).Data(context.Background(), q)
	var he *HTTPError
	if !errors.As(err, &he) || he.StatusCode != 422 {
		t.Fatalf("err = %v, want an HTTPError 422", err)
	}
	for _, part := range []string{"kpi N02926, municipality 0180, year 2024", "HTTP 422"} {
		if !strings.Contains(err.Error(), part) {
			t.Errorf("err %q does not name %q", err, part)
		}
	}
}

func TestNextURL(t *testing.T) {
	tests := []struct {
		name string
		next string
		want string
	}{
		{"off the API host", `"https://evil.example/v3/data?page=2"`, "leaves"},
		{"back to itself", `"https://api.kolada.se/v3/data/kpi/N02926/municipality/2380?per_page=5000"`, "leads back"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newFakeAPI(t, map[string][]reply{
				dataURI("/kpi/N02926/municipality/2380"): {{body: `{"values":[],"count":0,"next_url":` + tt.next + `}`}},
			})
			clk := newFakeClock(true)
			_, err := New(api.base(), clk.options()...).Data(context.Background(),
				Query{KPIs: []string{"N02926"}, Orgs: []string{"2380"}, Meta: map[string]KPI{}})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

// FuzzDecodeData feeds the data-page decoder and the row conversion with
// arbitrary bytes: they may fail, never panic, and what they return keeps
// the invariants.
func FuzzDecodeData(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "data_*.json"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"values":[{"kpi":"N1","municipality":"0001","period":1e400,"values":[{"gender":"T","value":1e308,"count":"x"}]}]}`))
	f.Add([]byte(`{"values":[{"period":[[[]]],"values":null}],"next_url":7}`))
	meta := map[string]KPI{"N02926": {ID: "N02926", PublPeriod: 2024, PrelPublicationDate: testNow.AddDate(0, -1, 0)}}
	f.Fuzz(func(t *testing.T, body []byte) {
		p, err := decodeDataPage(body)
		if err != nil {
			return
		}
		res := &Result{GroupCounts: map[strategy.ObservationKey]int{}}
		st := &call{}
		res.add(st, dataPageAt{url: "u", at: testNow, page: p}, meta, testNow)
		res.finish()
		live := map[strategy.ObservationKey]bool{}
		for _, o := range res.Observations {
			if !strategy.ValidOrgCode(o.Org) && !IsGroupID(o.Org) {
				t.Errorf("observation with org %q", o.Org)
			}
			if o.Gender != strategy.Total && o.Gender != strategy.Women && o.Gender != strategy.Men {
				t.Errorf("observation with gender %q", o.Gender)
			}
			live[o.Key()] = true
		}
		for _, k := range res.Deleted {
			if live[k] {
				t.Errorf("%v both deleted and live", k)
			}
		}
		if len(st.warnings) > maxWarnings+1 {
			t.Errorf("%d warnings", len(st.warnings))
		}
	})
}
