package koladatest_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/inkludera/inkludera/internal/kolada"
	"github.com/inkludera/inkludera/internal/kolada/koladatest"
	"github.com/inkludera/inkludera/internal/strategy"
)

var v = koladatest.Value

func client(srv *koladatest.Server, opts ...kolada.Option) *kolada.Client {
	noSleep := kolada.WithSleep(func(ctx context.Context, _ time.Duration) error { return ctx.Err() })
	return kolada.New(srv.URL, append([]kolada.Option{noSleep}, opts...)...)
}

// got lists observations as "org year gender value[ status]" ("~" for null).
func got(obs []strategy.Observation) []string {
	var out []string
	for _, o := range obs {
		val := "~"
		if o.Value != nil {
			val = fmt.Sprint(*o.Value)
		}
		s := fmt.Sprintf("%s %s %d %s %s", o.Indicator, o.Org, o.Year, o.Gender, val)
		if o.Status != "" {
			s += " " + o.Status
		}
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

func getJSON(t *testing.T, url string, v any) int {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if ct := res.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("%s: Content-Type %q", url, ct)
	}
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("%s: %v\n%s", url, err, body)
	}
	return res.StatusCode
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// The answer has exactly the documented v3 shape (datasources.md §1.4).
func TestDataShape(t *testing.T) {
	srv := koladatest.NewServer(t)
	srv.Set("N00217", "1280", 2024, "T", v(0.86397284))
	srv.Put(koladatest.Row{KPI: "N00217", Org: "G176199", Year: 2024, Gender: "T", Value: nil, Status: "B", Count: 7})

	var env map[string]any
	if status := getJSON(t, srv.URL+"/data/kpi/N00217/municipality/1280,G176199/year/2024", &env); status != 200 {
		t.Fatalf("status %d", status)
	}
	if got := keys(env); !reflect.DeepEqual(got, []string{"count", "next_url", "previous_url", "values"}) {
		t.Errorf("envelope keys %v", got)
	}
	if env["count"] != 2.0 || env["next_url"] != nil || env["previous_url"] != nil {
		t.Errorf("envelope %v", env)
	}
	rows := env["values"].([]any)
	want := []map[string]any{
		{"kpi": "N00217", "municipality": "1280", "period": 2024.0, "values": []any{
			map[string]any{"gender": "T", "count": 1.0, "status": "", "value": 0.86397284, "isdeleted": false}}},
		{"kpi": "N00217", "municipality": "G176199", "period": 2024.0, "values": []any{
			map[string]any{"gender": "T", "count": 7.0, "status": "B", "value": nil, "isdeleted": false}}},
	}
	if len(rows) != len(want) {
		t.Fatalf("rows %v", rows)
	}
	for i, r := range rows {
		if !reflect.DeepEqual(r, any(want[i])) {
			t.Errorf("row %d = %v, want %v", i, r, want[i])
		}
	}

	// An empty answer is values [] and count 0.
	getJSON(t, srv.URL+"/data/kpi/N00217/municipality/2380/year/1990", &env)
	if vals, ok := env["values"].([]any); !ok || len(vals) != 0 || env["count"] != 0.0 {
		t.Errorf("empty answer %v", env)
	}
}

func TestDataThroughTheClientWithPaging(t *testing.T) {
	srv := koladatest.NewServer(t)
	srv.SetValues(koladatest.Values{
		"N02926": {
			"2380": {2023: {"T": v(9.8), "K": v(9.4), "M": v(10.1)}, 2024: {"T": v(10), "K": nil, "M": v(10.4)}},
			"0023": {2023: {"T": v(9.1)}},
			"0000": {2024: {"T": v(20.5)}},
		},
		"N01986": {"2380": {2024: {"T": v(171)}}}, // another KPI: not asked for
	})
	srv.SetPageSize(2)
	res, err := client(srv).Data(context.Background(), kolada.Query{KPIs: []string{"N02926"}, Orgs: []string{"2380", "23", "00"}, Years: []int{2023, 2024}})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"N02926 00 2024 T 20.5", "N02926 23 2023 T 9.1",
		"N02926 2380 2023 K 9.4", "N02926 2380 2023 M 10.1", "N02926 2380 2023 T 9.8",
		"N02926 2380 2024 K ~", "N02926 2380 2024 M 10.4", "N02926 2380 2024 T 10",
	}
	if g := got(res.Observations); !reflect.DeepEqual(g, want) {
		t.Errorf("observations\n%v\nwant\n%v", g, want)
	}
	// Four rows (kpi, municipality, period) on pages of two, then the
	// metadata for the preliminary flag.
	data := srv.DataRequests()
	if len(data) != 2 || data[0].Page != 1 || data[1].Page != 2 || res.Requests != 3 {
		t.Fatalf("data requests %+v, %d requests", data, res.Requests)
	}
	if d := data[0]; d.Path != "/v3/data/kpi/N02926/municipality/2380,0023,0000/year/2023,2024" || d.Query != "per_page=5000" ||
		!reflect.DeepEqual(d.KPIs, []string{"N02926"}) || !reflect.DeepEqual(d.Orgs, []string{"2380", "0023", "0000"}) ||
		!reflect.DeepEqual(d.Years, []string{"2023", "2024"}) || d.Status != 200 || d.Injected || d.FromDate != "" ||
		!strings.HasPrefix(d.UserAgent, "Inkludera") || d.N != 1 {
		t.Errorf("first data request %+v", d)
	}
	if q := data[1].Query; q != "page=2&per_page=5000" {
		t.Errorf("next_url query %q", q)
	}
	all := srv.Requests()
	if last := all[len(all)-1]; last.Endpoint != "kpi" || !reflect.DeepEqual(last.KPIs, []string{"N02926"}) {
		t.Errorf("last request %+v", last)
	}

	// The links of a middle page.
	var env struct {
		Count       int     `json:"count"`
		NextURL     *string `json:"next_url"`
		PreviousURL *string `json:"previous_url"`
	}
	srv.SetPageSize(1)
	getJSON(t, srv.URL+"/data/kpi/N02926/municipality/2380,0023?page=2", &env)
	if env.Count != 1 || env.NextURL == nil || *env.NextURL != srv.URL+"/data/kpi/N02926/municipality/2380,0023?page=3&per_page=5000" ||
		env.PreviousURL == nil || *env.PreviousURL != srv.URL+"/data/kpi/N02926/municipality/2380,0023?page=1&per_page=5000" {
		t.Errorf("page 2 of 3: %+v %v %v", env, deref(env.NextURL), deref(env.PreviousURL))
	}
	srv.ResetRequests()
	if len(srv.Requests()) != 0 {
		t.Error("ResetRequests kept requests")
	}
}

func deref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}

func TestFromDate(t *testing.T) {
	srv := koladatest.NewServer(t)
	srv.SetValues(koladatest.Values{"N01986": {"2380": {
		2024: {"T": v(60), "K": v(28), "M": v(32)},
		2025: {"T": v(55)},
	}}})
	srv.SetToday(time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC))
	srv.Revise("N01986", "2380", 2025, "T", v(61))
	srv.Delete("N01986", "2380", 2024, "K")
	srv.Delete("N01986", "2380", 2019, "T") // never set: still reported
	c := client(srv)
	ctx := context.Background()
	q := kolada.Query{KPIs: []string{"N01986"}, Orgs: []string{"2380"}}

	q.Since = time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)
	res, err := c.Data(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if g := got(res.Observations); !reflect.DeepEqual(g, []string{"N01986 2380 2025 T 61"}) {
		t.Errorf("changed since the day: %v", g)
	}
	wantDeleted := []strategy.ObservationKey{
		{Indicator: "N01986", Org: "2380", Year: 2019, Gender: strategy.Total},
		{Indicator: "N01986", Org: "2380", Year: 2024, Gender: strategy.Women},
	}
	if !reflect.DeepEqual(res.Deleted, wantDeleted) {
		t.Errorf("deleted %v", res.Deleted)
	}
	if d := srv.DataRequests(); d[len(d)-1].FromDate != "2026-03-10" || !strings.Contains(d[len(d)-1].Query, "from_date=2026-03-10") {
		t.Errorf("request %+v", d[len(d)-1])
	}

	q.Since = q.Since.AddDate(0, 0, 1)
	if res, err = c.Data(ctx, q); err != nil || len(res.Observations) != 0 || len(res.Deleted) != 0 {
		t.Errorf("changed since the next day: %+v, %v", res, err)
	}

	q.Since = time.Time{}
	if res, err = c.Data(ctx, q); err != nil {
		t.Fatal(err)
	}
	if g := got(res.Observations); !reflect.DeepEqual(g, []string{"N01986 2380 2024 M 32", "N01986 2380 2024 T 60", "N01986 2380 2025 T 61"}) {
		t.Errorf("everything: %v", g)
	}
	if rows := srv.Rows(); len(rows) != 5 || !rows[0].Deleted || rows[0].Year != 2019 {
		t.Errorf("rows %+v", rows)
	}
	srv.Clear()
	if len(srv.Rows()) != 0 {
		t.Error("Clear kept rows")
	}
}

func TestKPIMetadata(t *testing.T) {
	srv := koladatest.NewServer(t)
	srv.SetKPI(koladatest.KPI{ID: "N00973", Title: "Lämnat etableringsuppdraget", DividedByGender: true, MunicipalityType: "K",
		OperatingArea: "Arbetsmarknad", PublPeriod: 2025,
		PrelPublicationDate: time.Date(2026, 5, 4, 0, 0, 0, 0, time.UTC), PublicationDate: time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC)})
	srv.Set("N00217", "1280", 2024, "T", v(0.86))
	srv.Set("N02926", "2380", 2024, "K", v(9.6))

	kpis, err := client(srv).KPIs(context.Background(), "N00973", "N00217", "N02926", "N99999")
	if err != nil {
		t.Fatal(err)
	}
	if len(kpis) != 3 {
		t.Fatalf("kpis %+v", kpis)
	}
	k := kpis[0]
	if k.ID != "N00973" || k.Title != "Lämnat etableringsuppdraget" || !k.DividedByGender || k.PublPeriod != 2025 ||
		k.OperatingArea != "Arbetsmarknad" || k.Auspice != "" || len(k.Warnings) != 0 ||
		!k.PrelPublicationDate.Equal(time.Date(2026, 5, 4, 0, 0, 0, 0, time.UTC)) ||
		!k.PublicationDate.Equal(time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("N00973 = %+v", k)
	}
	if !k.Preliminary(2025, time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)) || k.Preliminary(2025, time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)) {
		t.Error("N00973's 2025 is preliminary between its publications only")
	}
	// KPIs with values only: made-up metadata, divided by gender when they
	// have K or M.
	if k := kpis[1]; k.ID != "N00217" || k.Title != "KPI N00217" || k.DividedByGender || k.PublPeriod != 0 || k.MunicipalityType != "K" {
		t.Errorf("N00217 = %+v", k)
	}
	if k := kpis[2]; k.ID != "N02926" || !k.DividedByGender {
		t.Errorf("N02926 = %+v", k)
	}
	all, err := client(srv).KPIs(context.Background())
	if err != nil || len(all) != 3 {
		t.Errorf("all KPIs: %+v, %v", all, err)
	}
}

func TestMunicipalitiesAndGroups(t *testing.T) {
	srv := koladatest.NewServer(t)
	c := client(srv)
	ctx := context.Background()
	ms, err := c.Municipalities(ctx)
	if err != nil || len(ms) != len(koladatest.DefaultMunicipalities) {
		t.Fatalf("municipalities: %d, %v", len(ms), err)
	}
	codes := map[string]string{}
	for _, m := range ms {
		if len(m.Warnings) > 0 {
			t.Errorf("%+v", m)
		}
		codes[m.ID] = m.Code
	}
	if codes["0000"] != "00" || codes["0023"] != "23" || codes["2380"] != "2380" {
		t.Errorf("codes %v", codes)
	}
	srv.SetMunicipalities(koladatest.Municipality{ID: "2380", Title: "Östersund", Type: "K"})
	if ms, err = c.Municipalities(ctx); err != nil || len(ms) != 1 || ms[0].Title != "Östersund" {
		t.Errorf("set municipalities: %+v, %v", ms, err)
	}

	srv.SetGroups(koladatest.Group{ID: "G176199", Title: "Liknande kommuner socioekonomi, Arboga, 2024",
		Members: []koladatest.Municipality{{ID: "0319", Title: "Älvkarleby"}}}, koladatest.Group{ID: "G2", Title: "Annan"})
	gs, err := c.MunicipalityGroups(ctx, "G176199")
	if err != nil || len(gs) != 1 || gs[0].Title != "Liknande kommuner socioekonomi, Arboga, 2024" ||
		len(gs[0].Members) != 1 || gs[0].Members[0].Code != "0319" || gs[0].Members[0].Title != "Älvkarleby" {
		t.Errorf("groups %+v, %v", gs, err)
	}
	if gs, err = c.MunicipalityGroups(ctx); err != nil || len(gs) != 2 {
		t.Errorf("all groups %+v, %v", gs, err)
	}
}

func TestFailures(t *testing.T) {
	srv := koladatest.NewServer(t)
	srv.Set("N01986", "2380", 2024, "T", v(1))
	srv.Set("N02926", "2380", 2024, "T", v(2))
	ctx := context.Background()
	q := kolada.Query{KPIs: []string{"N02926", "N01986"}, Orgs: []string{"2380"}, Meta: map[string]kolada.KPI{}}

	// Twice 503, then the values: the client's retries get through.
	fault := srv.Fail("N01986", http.StatusServiceUnavailable, 2)
	res, err := client(srv, kolada.WithMaxRetries(2)).Data(ctx, q)
	if err != nil || len(res.Observations) != 2 || fault.Count() != 2 {
		t.Fatalf("after two failures: %+v, %v, %d failed", res, err, fault.Count())
	}
	var injected int
	for _, r := range srv.Requests() {
		if r.Injected {
			injected++
			if r.Status != http.StatusServiceUnavailable {
				t.Errorf("%+v", r)
			}
		}
	}
	if injected != 2 {
		t.Errorf("%d injected", injected)
	}

	// For ever, and only data requests naming the KPI.
	srv.ClearFailures()
	srv.Fail("N01986", http.StatusNotFound, 0)
	c := client(srv)
	if _, err := c.Data(ctx, kolada.Query{KPIs: []string{"N02926"}, Orgs: []string{"2380"}}); err != nil {
		t.Errorf("another KPI failed: %v", err)
	}
	if _, err := c.KPIs(ctx, "N01986"); err != nil {
		t.Errorf("metadata failed: %v", err)
	}
	_, err = c.Data(ctx, kolada.Query{KPIs: []string{"N01986"}, Orgs: []string{"2380"}})
	var he *kolada.HTTPError
	if !errors.As(err, &he) || he.StatusCode != 404 || !strings.Contains(he.URL, "N01986") || he.Body != `{"detail":"Not Found"}` {
		t.Errorf("err = %v", err)
	}

	// Meta fails /v3/kpi too; After lets requests through first; Body and
	// RetryAfter are sent as given.
	srv.ClearFailures()
	srv.FailWith(koladatest.Failure{KPI: "N01986", Meta: true, Status: 500, Body: `{"detail":"boom"}`})
	if _, err := c.KPIs(ctx, "N01986"); !errors.As(err, &he) || he.Body != `{"detail":"boom"}` {
		t.Errorf("metadata: %v", err)
	}
	srv.ClearFailures()
	srv.FailWith(koladatest.Failure{After: 1, Times: 1, Status: 429, RetryAfter: "7"})
	var sleeps []time.Duration
	c = client(srv, kolada.WithSleep(func(_ context.Context, d time.Duration) error { sleeps = append(sleeps, d); return nil }))
	if _, err := c.KPIs(ctx, "N01986"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.KPIs(ctx, "N01986"); err != nil || !slices.Contains(sleeps, 7*time.Second) {
		t.Errorf("429 with Retry-After 7: %v, sleeps %v", err, sleeps)
	}
}

// Kolada's refusals: over-long id lists and pages, unknown paths, v2.
func TestRefusals(t *testing.T) {
	srv := koladatest.NewServer(t)
	var ids []string
	for i := range 26 {
		ids = append(ids, fmt.Sprintf("23%02d", i))
	}
	var body struct {
		Detail []struct {
			Type string   `json:"type"`
			Loc  []string `json:"loc"`
			Msg  string   `json:"msg"`
		} `json:"detail"`
	}
	if status := getJSON(t, srv.URL+"/data/kpi/N02926/municipality/"+strings.Join(ids, ","), &body); status != 422 ||
		len(body.Detail) != 1 || body.Detail[0].Type != "too_long" || !reflect.DeepEqual(body.Detail[0].Loc, []string{"path", "municipality_id"}) ||
		body.Detail[0].Msg != "List should have at most 25 items after validation, not 26" {
		t.Errorf("26 ids: %d %+v", status, body)
	}
	for _, tc := range []struct {
		path   string
		status int
	}{
		{"/v3/data/kpi/N02926/municipality/2380?per_page=5001", 422},
		{"/v3/data/kpi/N02926/municipality/2380?per_page=0", 422},
		{"/v3/data/kpi/N02926/municipality/2380?page=0", 422},
		{"/v3/data/kpi/N02926/municipality/2380?from_date=2026-13-01", 422},
		{"/v3/data/kpi/N02926/year/20x4", 422},
		{"/v3/data/kpi/N02926", 404},
		{"/v3/data/year/2024/kpi/N02926", 404},
		{"/v3/nosuch", 404},
		{"/data/kpi/N02926/municipality/2380", 404},
		{"/v2/data/kpi/N02926/municipality/2380", 410},
		{"/v3/data/kpi/N02926/municipality/2380?per_page=5000&from_date=2026-01-01", 200},
		{"/v3/data/municipality/2380/year/2024", 200},
		{"/v3/kpi", 200},
		{"/v3/municipality/2380,0023", 200},
	} {
		var answer map[string]any
		if status := getJSON(t, srv.Root+tc.path, &answer); status != tc.status {
			t.Errorf("%s: status %d, want %d: %v", tc.path, status, tc.status, answer)
		}
	}
	// The client keeps within the limit, so 30 organisations are two requests.
	var orgs []string
	for i := range 30 {
		orgs = append(orgs, fmt.Sprintf("23%02d", i))
	}
	srv.ResetRequests()
	if _, err := client(srv).Data(context.Background(), kolada.Query{KPIs: []string{"N02926"}, Orgs: orgs, Meta: map[string]kolada.KPI{}}); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.DataRequests()); n != 2 {
		t.Errorf("%d data requests", n)
	}
}

func TestHold(t *testing.T) {
	srv := koladatest.NewServer(t)
	srv.Set("N02926", "2380", 2024, "T", v(1))
	reached := srv.Hold()
	if again := srv.Hold(); again != reached {
		t.Error("a second Hold made a new gate")
	}
	done := make(chan *kolada.Result)
	go func() {
		res, err := client(srv).Data(context.Background(), kolada.Query{KPIs: []string{"N02926"}, Orgs: []string{"2380"}})
		if err != nil {
			t.Error(err)
		}
		done <- res
	}()
	select {
	case <-reached:
	case <-time.After(10 * time.Second):
		t.Fatal("no request was held")
	}
	// Metadata passes while data is held.
	if _, err := client(srv).KPIs(context.Background(), "N02926"); err != nil {
		t.Fatal(err)
	}
	if d := srv.DataRequests(); len(d) != 1 || d[0].Status != 0 {
		t.Errorf("while held: %+v", d)
	}
	// The answer is what the values are at release.
	srv.Set("N02926", "2380", 2024, "T", v(2))
	srv.Release()
	res := <-done
	if res == nil || len(res.Observations) != 1 || *res.Observations[0].Value != 2 {
		t.Errorf("after release: %+v", res)
	}
	srv.Release() // twice is harmless

	// A held request ends when the client gives up.
	srv.Hold()
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error)
	go func() {
		_, err := client(srv).Data(ctx, kolada.Query{KPIs: []string{"N02926"}, Orgs: []string{"2380"}})
		errc <- err
	}()
	for len(srv.DataRequests()) < 2 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

func TestHook(t *testing.T) {
	srv := koladatest.NewServer(t)
	srv.SetHook(func(w http.ResponseWriter, r *http.Request, n int) bool {
		if !strings.HasPrefix(r.URL.Path, "/v3/municipality") {
			return false
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"values":[{"id":"2380","title":"Hook %d","type":"K"}],"count":1,"next_url":null,"previous_url":null}`, n)
		return true
	})
	ms, err := client(srv).Municipalities(context.Background())
	if err != nil || len(ms) != 1 || ms[0].Title != "Hook 1" {
		t.Errorf("%+v, %v", ms, err)
	}
	srv.SetHook(nil)
	if ms, _ = client(srv).Municipalities(context.Background()); len(ms) != len(koladatest.DefaultMunicipalities) {
		t.Errorf("hook removed: %d", len(ms))
	}
}
