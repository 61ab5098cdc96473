package web

import (
	"bytes"
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"
)

// wantSecurityHeaders fails the test unless res carries the headers every
// response must carry, and HSTS exactly when hsts is set.
func wantSecurityHeaders(t *testing.T, what string, res *http.Response, hsts bool) {
	t.Helper()
	h := res.Header
	for name, want := range map[string]string{
		"X-Content-Type-Options":     "nosniff",
		"Referrer-Policy":            "same-origin",
		"Cross-Origin-Opener-Policy": "same-origin",
		"Permissions-Policy":         "camera=(), microphone=(), geolocation=()",
	} {
		if got := h.Get(name); got != want {
			t.Errorf("%s (%d): %s %q, want %q", what, res.StatusCode, name, got, want)
		}
	}
	csp := h.Get("Content-Security-Policy")
	if !strings.Contains(csp, "script-src 'none'") || !strings.Contains(csp, "base-uri 'none'") || !strings.Contains(csp, "frame-ancestors ") {
		t.Errorf("%s (%d): Content-Security-Policy %q", what, res.StatusCode, csp)
	}
	if got := h.Get("Strict-Transport-Security"); hsts && got != strictTransportSecurity || !hsts && got != "" {
		t.Errorf("%s (%d): Strict-Transport-Security %q, want it %v", what, res.StatusCode, got, hsts)
	}
}

// routeSamples fills the wildcards of routeTable's paths with keys of
// testBundles, so that many routes answer 200; the rest answer 404, 401 or
// a redirect, which must carry the headers too.
var routeSamples = strings.NewReplacer(
	"{$}", "", "{key}", "stromsund-program", "{doc}", "stromsund-program", "{org}", "2313", "{code}", "2313",
	"{ind}", "folkmangd", "{plan}", "ks-2015", "{act}", "sfi-info", "{kind}", "omrade", "{obj}", "inflyttning",
	"{goal}", "mal-fler-invanare", "{target}", "t-utrikes-10", "{id}", "1", "{body}", "ks", "{step}", "rapportera",
	"{format}", "html", "{file...}", "style.css")

// TestSecurityHeadersOnEveryRoute sends every route of routeTable, as the
// public and (the reads) as an administrator, plus the answers middleware
// gives before any route: each response carries the security headers and,
// over plain http, no HSTS.
func TestSecurityHeadersOnEveryRoute(t *testing.T) {
	st := newTestStore(t)
	storeTestUsers(t, st)
	e := newTestEnvWith(t, st)
	statuses := map[int]int{}
	for _, rt := range routeTable() {
		method, path := rt.method, routeSamples.Replace(rt.path)
		if rt.fallback {
			method, path = "GET", path+"finns-inte"
		}
		for _, u := range []*struct{ admin bool }{{false}, {true}} {
			if u.admin && method != "GET" {
				continue // an administrator's writes would change the store under the other requests
			}
			req := httptest.NewRequest(method, path, nil)
			if u.admin {
				req = req.WithContext(withUser(req.Context(), testAdmin, "192.0.2.1", "web"))
			}
			res, _ := e.send(t, req)
			statuses[res.StatusCode]++
			wantSecurityHeaders(t, method+" "+path, res, false)
		}
	}
	// Answers given before any route or by the fallbacks: a cross-site
	// form, a wrong method, an address too long, a body too large, the
	// API's rate limit.
	crossSite := httptest.NewRequest("POST", "/logga-ut", nil)
	crossSite.Header.Set("Sec-Fetch-Site", "cross-site")
	long := httptest.NewRequest("GET", "/portal?q="+strings.Repeat("a", MaxURILength), nil)
	large := httptest.NewRequest("POST", "/logga-in", strings.NewReader(strings.Repeat("a", DefaultMaxBody+1)))
	large.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for _, tc := range []struct {
		req    *http.Request
		status int
	}{
		{crossSite, http.StatusForbidden},
		{httptest.NewRequest("DELETE", "/planer", nil), http.StatusMethodNotAllowed},
		{long, http.StatusRequestURITooLong},
		{large, http.StatusRequestEntityTooLarge},
	} {
		res, _ := e.send(t, tc.req)
		if res.StatusCode != tc.status {
			t.Errorf("%s %.40s: status %d, want %d", tc.req.Method, tc.req.URL, res.StatusCode, tc.status)
		}
		statuses[res.StatusCode]++
		wantSecurityHeaders(t, tc.req.Method+" "+tc.req.URL.Path, res, false)
	}
	limited := newTestEnvWith(t, st, WithAPIRateLimit(APIRateLimit{Read: Rate{PerSecond: 1, Burst: 1}}))
	for range 2 {
		res, _ := limited.send(t, httptest.NewRequest("GET", "/api/v1/organisations", nil))
		statuses[res.StatusCode]++
		wantSecurityHeaders(t, "rate-limited API", res, false)
	}
	// The table reached every kind of answer.
	for _, want := range []int{200, 303, 401, 404, 405, 429} {
		if statuses[want] == 0 {
			t.Errorf("no route answered %d: the table no longer reaches that kind of answer (%v)", want, statuses)
		}
	}
	t.Logf("statuses: %v", statuses)
}

// TestContentSecurityPolicyStrict: the site's policy allows neither
// scripts nor inline styles; only the embeds and a report's HTML, which
// have inline styles, allow those, and still no script.
func TestContentSecurityPolicyStrict(t *testing.T) {
	for _, policy := range []string{contentSecurityPolicy, reportFilePolicy, (&server{}).embedCSP()} {
		for _, directive := range strings.Split(policy, ";") {
			name, _, _ := strings.Cut(strings.TrimSpace(directive), " ")
			if name == "script-src" && strings.TrimSpace(directive) != "script-src 'none'" {
				t.Errorf("%q allows scripts", policy)
			}
			if strings.Contains(directive, "'unsafe-eval'") || name == "default-src" && strings.Contains(directive, "*") {
				t.Errorf("%q: %s", policy, directive)
			}
		}
	}
	if strings.Contains(contentSecurityPolicy, "unsafe-inline") {
		t.Errorf("the site's policy allows inline styles or scripts: %q", contentSecurityPolicy)
	}
	if strings.Contains(reportFilePolicy, "script-src") || !strings.Contains(reportFilePolicy, "default-src 'none'") {
		t.Errorf("report policy %q", reportFilePolicy)
	}
}

// TestHSTS: Strict-Transport-Security goes with answers to requests that
// came over TLS, or through a trusted proxy that says so, and with no
// other.
func TestHSTS(t *testing.T) {
	e := newTestEnvWith(t, newTestStore(t), WithTrustedProxies([]netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}))
	for _, tc := range []struct {
		name, remote, proto string
		tls                 bool
		want                bool
	}{
		{name: "plain http", remote: "203.0.113.5:1234"},
		{name: "TLS", remote: "203.0.113.5:1234", tls: true, want: true},
		{name: "forwarded https from a client", remote: "203.0.113.5:1234", proto: "https"},
		{name: "forwarded https from the proxy", remote: "10.1.2.3:1234", proto: "https", want: true},
		{name: "forwarded HTTPS, two hops", remote: "10.1.2.3:1234", proto: "HTTPS, http", want: true},
		{name: "forwarded http from the proxy", remote: "10.1.2.3:1234", proto: "http"},
		{name: "the proxy without the header", remote: "10.1.2.3:1234"},
	} {
		for _, path := range []string{"/", "/konto", "/api/v1/organisations", "/static/style.css", "/finns-inte", "/healthz"} {
			req := httptest.NewRequest("GET", path, nil)
			req.RemoteAddr = tc.remote
			if tc.proto != "" {
				req.Header.Set("X-Forwarded-Proto", tc.proto)
			}
			if tc.tls {
				req.TLS = &tls.ConnectionState{}
			}
			res, _ := e.send(t, req)
			wantSecurityHeaders(t, tc.name+": "+path, res, tc.want)
		}
	}

	// A real TLS server, a redirect included.
	srv := httptest.NewTLSServer(e.h)
	t.Cleanup(srv.Close)
	client := srv.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	for _, path := range []string{"/", "/konto", "/api/v1/finns-inte"} {
		res, err := client.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		wantSecurityHeaders(t, "TLS server: "+path, res, true)
	}
}

// fastServerWith is fastServer with options.
func fastServerWith(t *testing.T, opts ...Option) (addr string, fl *fastListener) {
	t.Helper()
	e := demoEnv(t, opts...)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	fl = e.h.(*Handler).Listen(ln).(*fastListener)
	srv := &http.Server{Handler: e.h, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(fl)
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String(), fl
}

// TestFastPathSecurityHeaders: the fast path answers with the security
// headers net/http gives, HSTS included exactly when net/http sends it.
func TestFastPathSecurityHeaders(t *testing.T) {
	page := portalDocumentURL(demoOrg, demoDoc)
	for _, tc := range []struct {
		name    string
		trusted string
		headers []string
		hsts    bool
	}{
		{name: "plain", trusted: "127.0.0.0/8"},
		{name: "trusted proxy says https", trusted: "127.0.0.0/8", headers: []string{"X-Forwarded-Proto: https\r\n"}, hsts: true},
		{name: "untrusted peer says https", trusted: "10.0.0.0/8", headers: []string{"X-Forwarded-Proto: https\r\n"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			addr, fl := fastServerWith(t, WithTrustedProxies([]netip.Prefix{netip.MustParsePrefix(tc.trusted)}))
			exchange(t, addr, get(page, tc.headers...), 1) // renders through net/http
			viaNetHTTP := exchange(t, addr, get(page, append(tc.headers, "Connection: keep-alive, x-test\r\n")...), 1)[0]
			before := fastLines(fl)
			viaFastPath := exchange(t, addr, get(page, tc.headers...), 1)[0]
			if fastLines(fl) != before+1 {
				t.Fatal("not answered by the fast path")
			}
			wantSecurityHeaders(t, "net/http", viaNetHTTP, tc.hsts)
			wantSecurityHeaders(t, "fast path", viaFastPath, tc.hsts)
			for _, name := range []string{"Content-Security-Policy", "Permissions-Policy", "Cross-Origin-Opener-Policy", "Strict-Transport-Security"} {
				if a, b := viaNetHTTP.Header.Values(name), viaFastPath.Header.Values(name); strings.Join(a, "|") != strings.Join(b, "|") {
					t.Errorf("%s: net/http %q, fast path %q", name, a, b)
				}
			}
		})
	}
}

// TestForwardedClient: behind a trusted proxy the client is the address
// X-Forwarded-For names; from anyone else the header is ignored.
func TestForwardedClient(t *testing.T) {
	proxies := trustedProxies{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("fd00::/8")}
	for _, tc := range []struct {
		name, remote string
		xff          []string
		want         string // "" = not forwarded
	}{
		{"no header", "10.0.0.1:80", nil, ""},
		{"untrusted peer", "203.0.113.9:80", []string{"198.51.100.1"}, ""},
		{"one hop", "10.0.0.1:80", []string{"198.51.100.1"}, "198.51.100.1"},
		{"a forged left part", "10.0.0.1:80", []string{"1.1.1.1, 198.51.100.1"}, "198.51.100.1"},
		{"trusted hops are skipped", "10.0.0.1:80", []string{"198.51.100.1, 10.9.9.9", "10.0.0.2"}, "198.51.100.1"},
		{"only proxies", "10.0.0.1:80", []string{"10.0.0.3"}, "10.0.0.3"},
		{"IPv6 with port", "[fd00::1]:80", []string{"[2001:db8::7]:5555"}, "2001:db8::7"},
		{"garbage ends the walk", "10.0.0.1:80", []string{"198.51.100.1, nonsense"}, ""},
		{"garbage after a trusted hop", "10.0.0.1:80", []string{"nonsense, 10.0.0.5"}, "10.0.0.5"},
		{"IPv4-mapped peer", "[::ffff:10.0.0.1]:80", []string{"198.51.100.2"}, "198.51.100.2"},
	} {
		got, ok := proxies.client(tc.remote, tc.xff)
		if tc.want == "" && ok || tc.want != "" && (!ok || got.String() != tc.want) {
			t.Errorf("%s: %v %v, want %q", tc.name, got, ok, tc.want)
		}
	}
	if _, ok := trustedProxies(nil).client("10.0.0.1:80", []string{"198.51.100.1"}); ok {
		t.Error("forwarded without trusted proxies")
	}

	// Through the handler: the audit trail and the limits see the client.
	st := newTestStore(t)
	e := newTestEnvWith(t, st, WithTrustedProxies(proxies), WithAPIRateLimit(APIRateLimit{Read: Rate{PerSecond: 0.001, Burst: 1}}))
	send := func(remote, xff string) int {
		req := httptest.NewRequest("GET", "/api/v1/organisations", nil)
		req.RemoteAddr = remote
		if xff != "" {
			req.Header.Set("X-Forwarded-For", xff)
		}
		res, _ := e.send(t, req)
		return res.StatusCode
	}
	if a, b := send("10.0.0.1:1", "198.51.100.1"), send("10.0.0.1:1", "198.51.100.2"); a != 200 || b != 200 {
		t.Errorf("two clients behind the proxy: %d %d, want both 200 (buckets of their own)", a, b)
	}
	if got := send("10.0.0.1:1", "198.51.100.1"); got != http.StatusTooManyRequests {
		t.Errorf("the first client again: %d, want 429", got)
	}
	if a, b := send("203.0.113.1:1", "198.51.100.3"), send("203.0.113.1:1", "198.51.100.4"); a != 200 || b != http.StatusTooManyRequests {
		t.Errorf("a client that is no proxy, forging the header: %d %d, want 200 429 (one bucket)", a, b)
	}
}

// TestURITooLong: a path and query longer than MaxURILength are refused
// with 414, as a Swedish page or the API's JSON error; one at the limit
// is served.
func TestURITooLong(t *testing.T) {
	e := newTestEnv(t)
	at := "/portal?q=" + strings.Repeat("a", MaxURILength-len("/portal?q="))
	if res, _ := e.do(t, "GET", at); res.StatusCode != 200 {
		t.Errorf("an address of %d bytes: status %d, want 200", len(at), res.StatusCode)
	}
	res, page := e.do(t, "GET", at+"a")
	if res.StatusCode != http.StatusRequestURITooLong || !strings.Contains(page, "För lång adress") || !strings.Contains(page, "Adressen är längre än") {
		t.Errorf("page: status %d\n%.300s", res.StatusCode, page)
	}
	checkHTML(t, page)
	res, body := e.do(t, "GET", "/api/v1/organisations?q="+strings.Repeat("a", MaxURILength))
	if res.StatusCode != http.StatusRequestURITooLong || decode[apiError](t, body).Code != "uri_too_long" {
		t.Errorf("API: status %d, %s", res.StatusCode, body)
	}
}

// chunked hides a body's length, as a client streaming it does.
type chunked struct{ io.Reader }

// TestBodyLimits: a body larger than the route's limit is refused with
// 413, whether its length is announced or not, as a Swedish page on a
// form and the API's JSON error on the API; the imports take more.
func TestBodyLimits(t *testing.T) {
	st := newTestStore(t)
	storeTestUsers(t, st)
	e := newTestEnvWith(t, st)
	big := strings.Repeat("a", DefaultMaxBody+1)
	for _, tc := range []struct {
		name, method, path, contentType string
		body                            string
		hideLength                      bool
		status                          int
		want                            string
	}{
		{"form", "POST", "/redigera/dokument/stromsund-program", "application/x-www-form-urlencoded", "titel=" + big, false, 413, "Det som skickades är större än 1 MB"},
		{"form without length", "POST", "/redigera/dokument/stromsund-program", "application/x-www-form-urlencoded", "titel=" + big, true, 413, "Det som skickades är större än 1 MB"},
		{"sign-in form", "POST", "/logga-in", "application/x-www-form-urlencoded", "email=" + big, false, 413, "För mycket data"},
		{"API", "PUT", "/api/v1/documents/stromsund-program", "application/json", `{"title":"` + big + `"}`, false, 413, `"code":"too_large"`},
		{"API without length", "PUT", "/api/v1/documents/stromsund-program", "application/json", `{"title":"` + big + `"}`, true, 413, `"code":"too_large"`},
		{"API within the limit", "PUT", "/api/v1/documents/stromsund-program", "application/json", `{"title":"` + strings.Repeat("a", 1000) + `"}`, false, 400, `is required`},
	} {
		var body io.Reader = strings.NewReader(tc.body)
		if tc.hideLength {
			body = chunked{body}
		}
		req := httptest.NewRequest(tc.method, tc.path, body)
		if tc.hideLength {
			req.ContentLength = -1
		}
		req.Header.Set("Content-Type", tc.contentType)
		req = req.WithContext(withUser(req.Context(), testAdmin, "192.0.2.1", "web"))
		res, out := e.send(t, req)
		if res.StatusCode != tc.status || !strings.Contains(out, tc.want) {
			t.Errorf("%s: status %d, want %d with %q:\n%.400s", tc.name, res.StatusCode, tc.status, tc.want, out)
		}
		if tc.status == 413 && strings.HasPrefix(tc.contentType, "application/x-www") {
			checkHTML(t, out)
		}
	}

	// The import takes files larger than DefaultMaxBody: this one is read
	// and its rows checked (an unknown indicator), not refused for its size.
	rows := bytes.Repeat([]byte("2313;finns-inte;2021;T;1\n"), 3*DefaultMaxBody/25)
	form, ct := form(t, "stor.csv", rows, "")
	if form.Len() <= 2*DefaultMaxBody {
		t.Fatalf("the upload is only %d bytes", form.Len())
	}
	res, page := e.admin(t, "POST", "/admin/import", form, ct)
	if res.StatusCode == http.StatusRequestEntityTooLarge || !strings.Contains(page, "finns-inte") {
		t.Errorf("a %d-byte import: status %d\n%.400s", form.Len(), res.StatusCode, page)
	}
}
