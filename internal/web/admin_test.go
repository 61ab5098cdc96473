package web

import (
	"bytes"
	"context"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/inkludera/inkludera/internal/fetch"
	"github.com/inkludera/inkludera/internal/kolada"
	"github.com/inkludera/inkludera/internal/kolada/koladatest"
	"github.com/inkludera/inkludera/internal/store"
	"github.com/inkludera/inkludera/internal/strategy"
	"github.com/xuri/excelize/v2"
)

// newAdminEnv is a test server that fetches (when asked) with f, which may
// be nil; e.admin sends requests as testAdmin.
func newAdminEnv(t *testing.T, st *store.Store, f *fetch.Fetcher) *testEnv {
	t.Helper()
	return newTestEnvWith(t, st, WithFetcher(f))
}

// send serves req and returns the response and its body.
func (e *testEnv) send(t *testing.T, req *http.Request) (*http.Response, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	res := rec.Result()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, string(body)
}

// as sends a request with any body as u (nil: the public), as doAs does.
func (e *testEnv) as(t *testing.T, u *strategy.User, method, target string, body io.Reader, contentType string) (*http.Response, string) {
	t.Helper()
	req := httptest.NewRequest(method, target, body)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if u != nil {
		req = req.WithContext(withUser(req.Context(), u, "192.0.2.1", "web"))
	}
	return e.send(t, req)
}

// admin sends a request as testAdmin.
func (e *testEnv) admin(t *testing.T, method, target string, body io.Reader, contentType string) (*http.Response, string) {
	t.Helper()
	return e.as(t, testAdmin, method, target, body, contentType)
}

// form builds a multipart upload of one file, with the org field when
// org is not "-".
func form(t *testing.T, name string, content []byte, org string) (*bytes.Buffer, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	if org != "-" {
		if err := mw.WriteField("org", org); err != nil {
			t.Fatal(err)
		}
	}
	fw, err := mw.CreateFormFile("fil", name)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fw.Write(content); err != nil {
		t.Fatal(err)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return &b, mw.FormDataContentType()
}

func (e *testEnv) upload(t *testing.T, name, content, org string) (*http.Response, string) {
	t.Helper()
	return e.uploadAs(t, testAdmin, name, content, org)
}

func (e *testEnv) uploadAs(t *testing.T, u *strategy.User, name, content, org string) (*http.Response, string) {
	t.Helper()
	body, ct := form(t, name, []byte(content), org)
	return e.as(t, u, "POST", "/admin/import", body, ct)
}

func checkHTML(t *testing.T, body string) {
	t.Helper()
	for _, p := range htmlProblems(body) {
		t.Errorf("HTML problem: %s", p)
	}
}

// TestAdminRoutesByRole checks who may use the data pages: administrators
// everything, a samordnare the run log and uploads but not a fetch of all
// sources, everyone else nothing; the public is sent to sign in.
func TestAdminRoutesByRole(t *testing.T) {
	e := newAdminEnv(t, newTestStore(t), nil)
	routes := []struct{ method, path string }{
		{"GET", "/admin/kallor"},
		{"POST", "/admin/kallor/hamta"},
		{"GET", "/admin/import"},
		{"POST", "/admin/import"},
	}
	// allowed answers: the pages 200; the posts get past authorisation and
	// answer for their own reasons (no fetcher configured: 409; no
	// multipart body: 400).
	allowed := map[string]int{"GET /admin/kallor": 200, "POST /admin/kallor/hamta": 409, "GET /admin/import": 200, "POST /admin/import": 400}
	tests := []struct {
		name string
		user *strategy.User
		may  map[string]bool // route → allowed; others 403 (or a redirect to sign in for the public)
	}{
		{"public", nil, nil},
		{"admin", testAdmin, map[string]bool{"GET /admin/kallor": true, "POST /admin/kallor/hamta": true, "GET /admin/import": true, "POST /admin/import": true}},
		{"samordnare", testCoordinator, map[string]bool{"GET /admin/kallor": true, "GET /admin/import": true, "POST /admin/import": true}},
		{"samordnare of another organisation", testOtherCoord, map[string]bool{"GET /admin/kallor": true, "GET /admin/import": true, "POST /admin/import": true}},
		{"nämndredaktör", testEditorKS, nil},
		{"läsare", testReader, nil},
	}
	for _, tt := range tests {
		for _, rt := range routes {
			route := rt.method + " " + rt.path
			t.Run(tt.name+"/"+route, func(t *testing.T) {
				res, body := e.as(t, tt.user, rt.method, rt.path, nil, "")
				want := http.StatusForbidden
				switch {
				case tt.user == nil:
					want = http.StatusSeeOther
				case tt.may[route]:
					want = allowed[route]
				}
				if res.StatusCode != want {
					t.Fatalf("status = %d, want %d; body:\n%s", res.StatusCode, want, body)
				}
				if want == http.StatusSeeOther && !strings.HasPrefix(res.Header.Get("Location"), "/logga-in?nasta=") {
					t.Errorf("the public is sent to %q, not to sign in", res.Header.Get("Location"))
				}
				if res.Header.Get("WWW-Authenticate") != "" && strings.Contains(res.Header.Get("WWW-Authenticate"), "Basic") {
					t.Error("HTTP Basic is gone, yet a page asks for it")
				}
				if want != http.StatusSeeOther && strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
					checkHTML(t, body)
				}
			})
		}
	}
}

// TestImportOnlyOwnOrganisation checks that every row of an uploaded file
// is authorised for its organisation before anything is stored.
func TestImportOnlyOwnOrganisation(t *testing.T) {
	st := newTestStore(t)
	e := newAdminEnv(t, st, nil)

	_, body := e.as(t, testCoordinator, "GET", "/admin/import", nil, "")
	if !strings.Contains(body, `<option value="2313" selected>Strömsunds kommun (2313)</option>`) || strings.Contains(body, `<option value="2380"`) {
		t.Errorf("a samordnare is offered other organisations than their own, or not theirs first:\n%s", body)
	}
	if strings.Contains(body, `href="/admin/anvandare"`) {
		t.Error("a samordnare's admin navigation links the users page")
	}

	before := exportAll(t, st)
	mixed := "organisation;indikator;år;kön;värde\n2313;inflyttade;2021;T;300\n2380;sfi-klarat;2021;T;61\n"
	res, body := e.uploadAs(t, testCoordinator, "blandat.csv", mixed, "")
	if res.StatusCode != http.StatusForbidden {
		t.Fatalf("a file with another organisation's values: status %d, want 403:\n%s", res.StatusCode, body)
	}
	if !strings.Contains(body, "Du får inte importera värden för Östersunds kommun (2380).") || !strings.Contains(body, "Inget har sparats.") {
		t.Errorf("the refusal does not say why:\n%s", body)
	}
	checkHTML(t, body)
	if after := exportAll(t, st); !reflect.DeepEqual(before, after) {
		t.Error("a refused file changed the data")
	}
	if r := runs(t, st, SourceFile); len(r) != 0 {
		t.Errorf("a refused file was recorded: %+v", r)
	}

	res, body = e.uploadAs(t, testCoordinator, "egen.csv", "organisation;indikator;år;kön;värde\n2313;inflyttade;2021;T;300\n", "")
	if res.StatusCode != 200 || !strings.Contains(body, "<dt>Tillagda</dt><dd>1</dd>") {
		t.Fatalf("the samordnare's own values: status %d:\n%s", res.StatusCode, body)
	}
}

func TestCrossOriginPostRefused(t *testing.T) {
	st := newTestStore(t)
	e := newAdminEnv(t, st, nil)
	csv := "organisation;indikator;år;kön;värde\n2313;inflyttade;2019;T;295\n"
	tests := []struct {
		name    string
		headers map[string]string
		status  int
	}{
		{"Sec-Fetch-Site cross-site", map[string]string{"Sec-Fetch-Site": "cross-site"}, 403},
		{"Sec-Fetch-Site same-site is another origin", map[string]string{"Sec-Fetch-Site": "same-site"}, 403},
		{"Origin of another host", map[string]string{"Origin": "https://angripare.example"}, 403},
		{"same origin", map[string]string{"Sec-Fetch-Site": "same-origin", "Origin": "http://example.com"}, 200},
		{"no browser headers (curl)", nil, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := exportAll(t, st)
			runsBefore := len(runs(t, st, SourceFile))
			body, ct := form(t, "varden.csv", []byte(csv), "-")
			req := httptest.NewRequest("POST", "/admin/import", body)
			req.Header.Set("Content-Type", ct)
			req = req.WithContext(withUser(req.Context(), testAdmin, "192.0.2.1", "web"))
			for k, v := range tt.headers {
				req.Header.Set(k, v)
			}
			res, page := e.send(t, req)
			if res.StatusCode != tt.status {
				t.Fatalf("status = %d, want %d; body:\n%s", res.StatusCode, tt.status, page)
			}
			if tt.status == 403 {
				if !strings.Contains(page, "Förfrågan kom från en annan webbplats och nekades.") {
					t.Error("refusal lacks the Swedish message")
				}
				checkHTML(t, page)
				if after := exportAll(t, st); !reflect.DeepEqual(before, after) {
					t.Error("a refused cross-origin post changed the data")
				}
				if n := len(runs(t, st, SourceFile)); n != runsBefore {
					t.Errorf("a refused cross-origin post recorded a run (%d → %d)", runsBefore, n)
				}
			}
		})
	}

	// A cross-site form cannot start a fetch either.
	req := httptest.NewRequest("POST", "/admin/kallor/hamta", nil)
	req = req.WithContext(withUser(req.Context(), testAdmin, "192.0.2.1", "web"))
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if res, _ := e.send(t, req); res.StatusCode != 403 {
		t.Errorf("cross-site POST /admin/kallor/hamta: status %d, want 403", res.StatusCode)
	}
}

// exportAll is everything stored for the test organisations, to compare
// before and after a refused change.
func exportAll(t *testing.T, st strategy.Store) []strategy.Bundle {
	t.Helper()
	var all []strategy.Bundle
	for _, org := range []string{"2313", "2380", "23"} {
		b, err := st.Export(context.Background(), org, "")
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, b...)
	}
	return all
}

func runs(t *testing.T, st strategy.Store, source string) []strategy.SourceRun {
	t.Helper()
	r, err := st.SourceRuns(context.Background(), source, 100)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestSourcesPageListsRuns(t *testing.T) {
	ctx := context.Background()
	st := newTestStore(t)
	e := newAdminEnv(t, st, nil)

	res, body := e.admin(t, "GET", "/admin/kallor", nil, "")
	if res.StatusCode != 200 {
		t.Fatalf("empty sources page: status %d", res.StatusCode)
	}
	for _, want := range []string{"<h1>Datakällor</h1>", "Ingen körning ännu.", "Inga körningar ännu.",
		"Hämtning från Kolada och SCB är inte inställd på den här servern."} {
		if !strings.Contains(body, want) {
			t.Errorf("empty page lacks %q", want)
		}
	}
	checkHTML(t, body)

	t0 := time.Date(2026, 3, 1, 3, 0, 0, 0, time.UTC)
	if _, err := st.RecordRun(ctx, strategy.SourceRun{Source: "kolada", Scope: "N02926 för 2313", StartedAt: t0,
		FinishedAt: t0.Add(2 * time.Second), Outcome: strategy.RunFailed, Error: "Kolada N02926: 503 Service Unavailable",
		Requests: 5, Warnings: []string{"N02926: en rad utan period hoppades över"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.ApplySourceRun(ctx, strategy.SourceRun{Source: "scb", Scope: "AM0210/ArbStatusM för 2313",
		StartedAt: t0.Add(time.Hour), FinishedAt: t0.Add(time.Hour + 75*time.Second), Requests: 2},
		[]strategy.Observation{
			{Indicator: "arbetslosa-inrikes", Org: "2313", Year: 2020, Gender: strategy.Total, Value: f(5.9), Source: "scb"},
			{Indicator: "arbetslosa-inrikes", Org: "2313", Year: 2019, Gender: strategy.Total, Value: f(5.2), Source: "scb"},
		}, nil); err != nil {
		t.Fatal(err)
	}

	res, body = e.admin(t, "GET", "/admin/kallor", nil, "")
	if res.StatusCode != 200 {
		t.Fatalf("status %d", res.StatusCode)
	}
	started := newTimeView(t0)
	for _, want := range []string{
		`<h3 id="kalla-kolada">Kolada</h3>`, `<h3 id="kalla-scb">SCB</h3>`, `<h3 id="kalla-file">Uppladdade filer</h3>`,
		`<span aria-hidden="true">✗</span> Misslyckades`, `<span aria-hidden="true">✓</span> OK`,
		"Kolada N02926: 503 Service Unavailable", "Varningar (1)", "N02926: en rad utan period hoppades över",
		"1 tillagd, 0 ändrade, 0 borttagna, 1 oförändrad", "0 tillagda, 0 ändrade, 0 borttagna, 0 oförändrade",
		"<caption>De 50 senaste körningarna, nyast först</caption>",
		`<time datetime="2026-03-01T03:00:00Z">` + started.Text + `</time>`,
		"N02926 för 2313", "AM0210/ArbStatusM för 2313",
		nb("2,0 s"), nb("1 min 15 s"),
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(body, "Hämta nu</button>") || strings.Contains(body, `http-equiv="refresh"`) {
		t.Error("without a fetcher the page offers a fetch or refreshes itself")
	}
	// Newest first: the SCB run (an hour later) comes before Kolada's.
	table := body[strings.Index(body, "<caption>"):]
	if i, j := strings.Index(table, "<td>SCB</td>"), strings.Index(table, "<td>Kolada</td>"); i < 0 || j < 0 || i > j {
		t.Errorf("runs table not newest first (SCB at %d, Kolada at %d)", i, j)
	}
	checkHTML(t, body)
}

func TestFormatDuration(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		d    time.Duration
		want string
	}{
		{400 * time.Millisecond, "0,4 s"},
		{12 * time.Second, "12 s"},
		{3*time.Minute + 5*time.Second, "3 min 5 s"},
		{62*time.Minute + 20*time.Second, "1 h 2 min"},
	}
	for _, tt := range tests {
		if got := formatDuration(t0, t0.Add(tt.d)); got != nb(tt.want) {
			t.Errorf("formatDuration(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
	if got := formatDuration(t0, time.Time{}); got != "–" {
		t.Errorf("unfinished run: %q", got)
	}
}

func TestFetchNow(t *testing.T) {
	st := newTestStore(t)
	ks := koladatest.NewServer(t)
	ks.SetValues(koladatest.Values{
		"N15422": {"2313": {2020: {"T": koladatest.Value(55.5)}}},
		"N01951": {"2313": {2020: {"T": koladatest.Value(11500), "K": koladatest.Value(5600), "M": koladatest.Value(5900)}},
			"0023": {2020: {"T": koladatest.Value(130000)}}},
	})
	reached := ks.Hold()
	fetcher := &fetch.Fetcher{Store: st,
		Kolada: kolada.New(ks.URL, kolada.WithSleep(func(context.Context, time.Duration) error { return nil }), kolada.WithMaxRetries(1))}
	e := newAdminEnv(t, st, fetcher)
	// Release the held request on any failure too: registered after the
	// handler's cleanup, this runs before its Close waits for the fetch.
	t.Cleanup(ks.Release)

	res, body := e.admin(t, "GET", "/admin/kallor", nil, "")
	if !strings.Contains(body, `<button type="submit">Hämta nu</button>`) || strings.Contains(body, `http-equiv="refresh"`) {
		t.Fatalf("idle page: status %d, want the button and no refresh:\n%s", res.StatusCode, body)
	}

	res, _ = e.admin(t, "POST", "/admin/kallor/hamta", nil, "")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/admin/kallor?hamtning=startad" {
		t.Fatalf("POST: status %d, Location %q", res.StatusCode, res.Header.Get("Location"))
	}
	select {
	case <-reached:
	case <-time.After(10 * time.Second):
		t.Fatal("the fetch never reached Kolada")
	}

	// While Kolada holds the first request: progress, a refresh, no button.
	_, body = e.admin(t, "GET", "/admin/kallor?hamtning=startad", nil, "")
	for _, want := range []string{`<meta http-equiv="refresh" content="3">`, "Hämtning pågår", "Hämtningen har startat.",
		"Kolada: 0 av 3 klara, hämtar nu N", `<progress max="3" value="0" aria-labelledby="hamtning-status">`} {
		if !strings.Contains(body, want) {
			t.Errorf("page during the fetch lacks %q", want)
		}
	}
	if strings.Contains(body, "Hämta nu</button>") {
		t.Error("page offers a second fetch while one runs")
	}
	checkHTML(t, body)

	// A second click says a fetch is running and starts none.
	res, _ = e.admin(t, "POST", "/admin/kallor/hamta", nil, "")
	if loc := res.Header.Get("Location"); loc != "/admin/kallor?hamtning=pagar" {
		t.Errorf("second POST: Location %q, want the already-running notice", loc)
	}
	_, body = e.admin(t, "GET", "/admin/kallor?hamtning=pagar", nil, "")
	if !strings.Contains(body, "En hämtning pågår redan.") {
		t.Error("page lacks the already-running notice")
	}

	ks.Release()
	deadline := time.Now().Add(15 * time.Second)
	for {
		_, body = e.admin(t, "GET", "/admin/kallor", nil, "")
		if strings.Contains(body, "<td>Kolada</td>") && !strings.Contains(body, "Hämtning pågår") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the run never showed:\n%s", body)
		}
		time.Sleep(20 * time.Millisecond)
	}
	for _, want := range []string{"<td>Kolada</td>", "5 tillagda", "Hämta nu</button>",
		// No SCB client is configured: the page says the fetch had a failure.
		"med fel:", "no SCB client configured"} {
		if !strings.Contains(body, want) {
			t.Errorf("page after the fetch lacks %q:\n%s", want, body)
		}
	}
	if strings.Contains(body, `http-equiv="refresh"`) {
		t.Error("page still refreshes after the fetch")
	}
	checkHTML(t, body)

	obs, err := st.Observations(context.Background(), strategy.ObservationFilter{Indicators: []string{"sfi-klarat"}, Org: "2313"})
	if err != nil {
		t.Fatal(err)
	}
	if len(obs) != 1 || obs[0].Value == nil || *obs[0].Value != 55.5 || obs[0].Source != "kolada" {
		t.Errorf("sfi-klarat after the fetch = %+v, want 55.5 from kolada", obs)
	}
	region, err := st.Observations(context.Background(), strategy.ObservationFilter{Indicators: []string{"folkmangd"}, Org: "23"})
	if err != nil || len(region) != 1 || *region[0].Value != 130000 {
		t.Errorf("folkmangd for region 23 (Kolada 0023) = %+v, %v", region, err)
	}
}

func TestImportValidFile(t *testing.T) {
	ctx := context.Background()
	st := newTestStore(t)
	e := newAdminEnv(t, st, nil)

	res, body := e.admin(t, "GET", "/admin/import", nil, "")
	if res.StatusCode != 200 {
		t.Fatalf("form: status %d", res.StatusCode)
	}
	for _, want := range []string{`enctype="multipart/form-data"`, `<label for="fil">`, `id="fil"`, `<label for="org">`, `id="org"`,
		`<option value="2313">Strömsunds kommun (2313)</option>`, `aria-describedby="fil-hjalp"`, "<code>sfi-klarat</code>"} {
		if !strings.Contains(body, want) {
			t.Errorf("form lacks %q", want)
		}
	}
	checkHTML(t, body)

	// Excel's Swedish CSV: semicolons, decimal comma, a byte order mark.
	csv := "\ufefforganisation;indikator;år;kön;värde\r\n" +
		"2313;sfi-klarat;2020;T;55,5\r\n" +
		"2313;utrikes-fodda-andel;2021;T;10,2\r\n" +
		"2313;utrikes-fodda-andel;2021;K;9,8\r\n" +
		"2380;utrikes-fodda-andel;2021;T;13,1\r\n" +
		"2313;inflyttade;2017;T;280\r\n" // as stored, from another source: changed
	res, body = e.upload(t, "värden 2021.csv", csv, "")
	if res.StatusCode != 200 {
		t.Fatalf("upload: status %d:\n%s", res.StatusCode, body)
	}
	for _, want := range []string{"värden 2021.csv är importerad", "5 värden lästes och sparades",
		"<dt>Tillagda</dt><dd>4</dd>", "<dt>Ändrade</dt><dd>1</dd>", "<dt>Borttagna</dt><dd>0</dd>", "<dt>Oförändrade</dt><dd>0</dd>",
		`<a href="/indikatorer/sfi-klarat?org=2313">Elever som klarat SFI inom ett år – Strömsunds kommun</a>`,
		`<a href="/indikatorer/utrikes-fodda-andel?org=2380">Utrikes födda, andel – Östersunds kommun</a>`,
		`<a href="/indikatorer/inflyttade?org=2313">`} {
		if !strings.Contains(body, want) {
			t.Errorf("receipt lacks %q", want)
		}
	}
	checkHTML(t, body)

	obs, err := st.Observations(ctx, strategy.ObservationFilter{Indicators: []string{"utrikes-fodda-andel"}, Org: "2313", FromYear: 2021})
	if err != nil {
		t.Fatal(err)
	}
	if len(obs) != 2 || *obs[0].Value != 10.2 || obs[1].Gender != strategy.Women || *obs[1].Value != 9.8 || obs[0].Source != SourceFile {
		t.Errorf("stored = %+v", obs)
	}
	fileRuns := runs(t, st, SourceFile)
	if len(fileRuns) != 1 || fileRuns[0].Scope != "värden 2021.csv" || fileRuns[0].Outcome != strategy.RunOK || fileRuns[0].Changes.Added != 4 {
		t.Errorf("file runs = %+v", fileRuns)
	}

	// The indicator page credits the organisation and the file.
	_, page := e.do(t, "GET", "/indikatorer/sfi-klarat?org=2313")
	if !strings.Contains(page, "Källa: Strömsunds kommun (uppladdad fil)") {
		t.Error("indicator page lacks the uploaded file's attribution")
	}

	// The same file again changes nothing.
	_, body = e.upload(t, "värden 2021.csv", csv, "")
	if !strings.Contains(body, "<dt>Oförändrade</dt><dd>5</dd>") || !strings.Contains(body, "<dt>Tillagda</dt><dd>0</dd>") {
		t.Error("a second upload of the same file is not reported unchanged")
	}

	// Without an org column, with the organisation chosen in the form.
	res, body = e.upload(t, "ostersund.csv", "indikator;år;kön;värde\nsfi-klarat;2021;T;61,25\n", "2380")
	if res.StatusCode != 200 || !strings.Contains(body, "<dt>Tillagda</dt><dd>1</dd>") {
		t.Fatalf("upload with a default organisation: status %d:\n%s", res.StatusCode, body)
	}
	obs, _ = st.Observations(ctx, strategy.ObservationFilter{Indicators: []string{"sfi-klarat"}, Org: "2380"})
	if len(obs) != 1 || *obs[0].Value != 61.25 {
		t.Errorf("stored for 2380 = %+v", obs)
	}
}

func TestImportRefusesFileWithProblems(t *testing.T) {
	tests := []struct {
		name     string
		file     string
		csv      string
		org      string
		status   int
		ofFile   bool // the problems are the file's: the page names it
		problems []string
	}{
		{
			name: "three mistakes in the cells", file: "fel.csv", status: 400, ofFile: true,
			csv: "organisation;indikator;år;kön;värde\n" +
				"2313;inflyttade;20x9;T;295\n" +
				"2313;inflyttade;2019;X;295\n" +
				"2313;inflyttade;2020;T;12,3,4\n" +
				"2313;inflyttade;2021;T;300\n",
			problems: []string{
				"rad 2, kolumn år: '20x9' är inget heltal",
				"rad 3, kolumn kön: 'X' är inget kön (T, K eller M)",
				"rad 4, kolumn värde: '12,3,4' är inget tal",
			},
		},
		{
			name: "what only the store knows", file: "okand.csv", status: 400, ofFile: true,
			csv: "organisation;indikator;år;kön;värde\n" +
				"2313;inflyttade;2021;T;300\n" +
				"2313;okand-indikator;2021;T;1\n" +
				"2313;inflyttade;2021;K;150\n" +
				"0180;inflyttade;2021;T;1\n",
			problems: []string{
				"rad 3, kolumn indikator: ingen indikator har nyckeln 'okand-indikator'",
				"rad 4, kolumn kön: indikatorn 'inflyttade' är inte uppdelad på kön, så bara T är tillåtet",
				"rad 5, kolumn organisation: '0180' finns inte bland organisationerna i Inkludera",
			},
		},
		{
			name: "file and store problems together, in row order", file: "blandat.csv", status: 400, ofFile: true,
			csv: "organisation;indikator;år;kön;värde\n" +
				"2313;saknas;2021;T;1\n" +
				"2313;inflyttade;2021;T;abc\n",
			problems: []string{
				"rad 2, kolumn indikator: ingen indikator har nyckeln 'saknas'",
				"rad 3, kolumn värde: 'abc' är inget tal",
			},
		},
		{
			name: "a missing column", file: "kolumn.csv", status: 400, ofFile: true,
			csv:      "organisation;indikator;år;värde\n2313;inflyttade;2021;300\n",
			problems: []string{"rad 1, kolumn kön: saknas i rubrikraden"},
		},
		{
			name: "header only", file: "tom.csv", status: 400, ofFile: true,
			csv:      "organisation;indikator;år;kön;värde\n",
			problems: []string{"filen har inga rader med värden under rubrikraden"},
		},
		{
			name: "an unknown default organisation", file: "x.csv", status: 400, org: "9999",
			csv:      "indikator;år;kön;värde\ninflyttade;2021;T;1\n",
			problems: []string{"Organisationen med koden 9999 finns inte i Inkludera."},
		},
		{
			name: "no file chosen", file: "", status: 400, csv: "",
			problems: []string{"Välj en fil att ladda upp."},
		},
	}
	st := newTestStore(t)
	e := newAdminEnv(t, st, nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := exportAll(t, st)
			res, body := e.upload(t, tt.file, tt.csv, tt.org)
			if res.StatusCode != tt.status {
				t.Fatalf("status = %d, want %d:\n%s", res.StatusCode, tt.status, body)
			}
			text := html.UnescapeString(body) // the messages quote with '
			for _, want := range tt.problems {
				if !strings.Contains(text, want) {
					t.Errorf("page lacks %q", want)
				}
			}
			if tt.ofFile {
				// Problems of a file: the summary names it and links the list.
				title := count(len(tt.problems)) + " fel i " + tt.file
				for _, want := range []string{title, `<h2 id="fel-i-filen">Fel i ` + tt.file + `</h2>`, `<a href="#fel-i-filen">`} {
					if !strings.Contains(body, want) {
						t.Errorf("page lacks %q", want)
					}
				}
			}
			for _, want := range []string{`id="felsammanfattning"`, `aria-describedby="felsammanfattning fil-hjalp"`,
				`aria-invalid="true"`, "Inget har sparats.", `<form method="post" action="/admin/import"`} {
				if !strings.Contains(body, want) {
					t.Errorf("page lacks %q", want)
				}
			}
			checkHTML(t, body)
			if after := exportAll(t, st); !reflect.DeepEqual(before, after) {
				t.Error("a refused file changed the stored data")
			}
			if r := runs(t, st, SourceFile); len(r) != 0 {
				t.Errorf("a refused file was recorded as a run: %+v", r)
			}
		})
	}
}

func TestImportTooLarge(t *testing.T) {
	st := newTestStore(t)
	e := newAdminEnv(t, st, nil)
	big := bytes.Repeat([]byte("2313;inflyttade;2021;T;1\n"), maxUpload/25+1)
	body, ct := form(t, "stor.csv", big, "")
	res, page := e.admin(t, "POST", "/admin/import", body, ct)
	if res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("status = %d, want 413", res.StatusCode)
	}
	if !strings.Contains(page, "Filen är större än 32 MB") {
		t.Error("page lacks the Swedish size message")
	}
	checkHTML(t, page)
	if r := runs(t, st, SourceFile); len(r) != 0 {
		t.Errorf("an oversize file was recorded: %+v", r)
	}
}

// TestMethodBreakFootnote checks that a value SCB took from its successor
// table is marked, with the explanation under the table.
func TestMethodBreakFootnote(t *testing.T) {
	st := newTestStore(t)
	if _, err := st.ApplySourceRun(context.Background(), strategy.SourceRun{Source: "scb", Scope: "test"},
		[]strategy.Observation{{Indicator: "arbetslosa-inrikes", Org: "2313", Year: 2025, Gender: strategy.Total,
			Value: f(6.1), Source: "scb", Status: fetch.MethodBreakStatus}}, nil); err != nil {
		t.Fatal(err)
	}
	e := newTestEnvWith(t, st)
	_, body := e.do(t, "GET", "/indikatorer/arbetslosa-inrikes?org=2313")
	for _, want := range []string{
		`6,1<sup aria-hidden="true">1</sup><span class="visually-hidden"> (tidsseriebrott)</span>`,
		"Tidsseriebrott: från och med detta år kommer värdena ur SCB:s efterföljande tabell (kontrollerad slumpmässig osäkerhet, Cell Key Method)",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("indicator page lacks %q", want)
		}
	}
	// Only the break year is marked.
	if n := strings.Count(body, "(tidsseriebrott)"); n != 1 {
		t.Errorf("%d marks, want 1", n)
	}
	checkHTML(t, body)
}

// xlsxFile is a workbook with the rows on its first sheet.
func xlsxFile(t *testing.T, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		if r == nil {
			continue // a gap: rows keep their spreadsheet numbers
		}
		if err := f.SetSheetRow("Sheet1", "A"+strconv.Itoa(i+1), &r); err != nil {
			t.Fatal(err)
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestImportXLSX(t *testing.T) {
	st := newTestStore(t)
	e := newAdminEnv(t, st, nil)
	header := []any{"Kommun", "Indikator", "År", "Kön", "Värde"}

	bad := xlsxFile(t, [][]any{header,
		{2313, "sfi-klarat", 2021, "T", 57.5},
		nil,
		{2313, "sfi", 2021, "T", 1},
	})
	body, ct := form(t, "sfi.xlsx", bad, "")
	res, page := e.admin(t, "POST", "/admin/import", body, ct)
	if res.StatusCode != 400 || !strings.Contains(html.UnescapeString(page), "rad 4, kolumn indikator: ingen indikator har nyckeln 'sfi'") {
		t.Fatalf("workbook with an unknown indicator: status %d:\n%s", res.StatusCode, page)
	}

	good := xlsxFile(t, [][]any{header,
		{2313, "sfi-klarat", 2021, "T", 57.5},
		{"2313", "sfi-klarat", "2022", "T", "58,5"},
	})
	body, ct = form(t, "sfi.xlsx", good, "")
	res, page = e.admin(t, "POST", "/admin/import", body, ct)
	if res.StatusCode != 200 || !strings.Contains(page, "<dt>Tillagda</dt><dd>2</dd>") {
		t.Fatalf("valid workbook: status %d:\n%s", res.StatusCode, page)
	}
	obs, err := st.Observations(context.Background(), strategy.ObservationFilter{Indicators: []string{"sfi-klarat"}, Org: "2313"})
	if err != nil || len(obs) != 2 || *obs[1].Value != 58.5 {
		t.Errorf("stored = %+v, %v", obs, err)
	}
}
