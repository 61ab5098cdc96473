package web

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/http/httpguts"

	"github.com/inkludera/inkludera/internal/i18n"
	"github.com/inkludera/inkludera/internal/strategy"
)

// fuzzEnv is a server on a real SQLite store loaded with testBundles and
// the test users, for a whole fuzzing run. Its log holds the last
// request's lines only (a run makes millions of requests).
type fuzzEnv struct {
	h   http.Handler
	log *syncBuffer
}

// syncBuffer is a log that background work (the page cache's watch) may
// write to while a request is served.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) Reset() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf.Reset()
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func newFuzzEnv(f *testing.F) *fuzzEnv {
	f.Helper()
	ctx := context.Background()
	st := openTestDB(f, "fuzz.db")
	if _, err := st.Import(ctx, testBundles()); err != nil {
		f.Fatalf("importing test bundles: %v", err)
	}
	for _, u := range testUsers {
		if _, err := st.CreateUser(ctx, *u, ""); err != nil {
			f.Fatalf("creating test user %s: %v", u.Email, err)
		}
	}
	logs := &syncBuffer{}
	h := newHandler(st, slog.New(slog.NewJSONHandler(logs, nil)), testNow)
	f.Cleanup(func() { h.Close() })
	// A follow-up period, so that /uppfoljning/1 and its parameters are
	// there to fuzz.
	period := url.Values{"org": {"2313"}, "document": {"stromsund-program"}, "year": {"2026"},
		"title": {"Uppföljning 2026"}, "due_all": {"2027-03-31"}, "rev": {"0"}, "bodies": {"ks"}, "due.ks": {"2027-03-31"}}
	r := httptest.NewRequest(http.MethodPost, "/uppfoljning/ny", strings.NewReader(period.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r = r.WithContext(withUser(r.Context(), testAdmin, "192.0.2.1", "web"))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	if rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/uppfoljning/1?") {
		f.Fatalf("creating a follow-up period: %d %s\n%s", rec.Code, rec.Header().Get("Location"), clipped(rec.Body.String()))
	}
	return &fuzzEnv{h: h, log: logs}
}

// fuzzUsers are who a fuzzed request comes from, by the number the fuzzer
// picks: the public and one user of each role that sees more.
var fuzzUsers = []*strategy.User{nil, testAdmin, testCoordinator, testEditorKS, testReader}

// maxFuzzResponse bounds a response: no query parameter may make a page
// or a download grow without limit.
const maxFuzzResponse = 32 << 20

// slowRequest is how long a request may take before a fuzzed parameter is
// taken to have made the server work without bound.
const slowRequest = 10 * time.Second

// serve sends r as u and checks what every answer must be, whatever was
// asked: no server error (a panic is one: the adapter recovers it as 500),
// text that is UTF-8 (a value echoed in a message included), an API error
// as JSON with a message, a bounded body, in bounded time.
func (e *fuzzEnv) serve(t *testing.T, r *http.Request, u *strategy.User) *httptest.ResponseRecorder {
	t.Helper()
	if u != nil {
		via := "web"
		if strings.HasPrefix(r.URL.Path, "/api/") {
			via = "api"
		}
		r = r.WithContext(withUser(r.Context(), u, "192.0.2.1", via))
	}
	e.log.Reset()
	rec := httptest.NewRecorder()
	start := time.Now()
	e.h.ServeHTTP(rec, r)
	took := time.Since(start)
	where := r.Method + " " + r.URL.String()
	switch {
	case rec.Code >= 500 && !unavailable(r, rec.Code):
		t.Fatalf("%s: status %d\n%s\nlog: %s", where, rec.Code, clipped(rec.Body.String()), e.log.String())
	case rec.Body.Len() > maxFuzzResponse:
		t.Fatalf("%s: %d bytes", where, rec.Body.Len())
	case took > slowRequest:
		t.Fatalf("%s: took %s", where, took)
	}
	if ct := rec.Header().Get("Content-Type"); (strings.HasPrefix(ct, "text/") || strings.Contains(ct, "json")) && !utf8.Valid(rec.Body.Bytes()) {
		t.Fatalf("%s: %s that is not UTF-8: %s", where, ct, clipped(rec.Body.String()))
	}
	if rec.Code >= 400 && isAPIPath(r.URL.Path) && !unavailable(r, rec.Code) {
		var body struct{ Code, Message string }
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || body.Code == "" || body.Message == "" {
			t.Fatalf("%s: status %d without a JSON error: %s", where, rec.Code, clipped(rec.Body.String()))
		}
	}
	return rec
}

// unavailable tells the 5xx answers that are documented rather than
// failures: oEmbed's 501 for a format it does not offer.
func unavailable(r *http.Request, status int) bool {
	return status == http.StatusNotImplemented && r.URL.Path == "/oembed" && r.URL.Query().Get("format") != "json"
}

func isAPIPath(p string) bool { return strings.HasPrefix(p, "/api/") || p == "/oembed" }

func clipped(s string) string {
	if len(s) > 2000 {
		return s[:2000] + "…"
	}
	return s
}

// getRoutes are the GET addresses of every route of routeTable (so that a
// route added later is fuzzed too), the wildcards filled with keys of
// testBundles, and a few more addresses the table's patterns reach.
func getRoutes() []string {
	out := []string{
		"/indikatorer/utrikes-fodda-andel", "/redigera/dokument/stromsund-program/omrade/ny",
		"/redigera/dokument/stromsund-program/malvarde/t-utrikes-10", "/redigera/dokument/stromsund-program/ansvar/ny",
		"/logga-in/oidc/svar", "/static/style.css",
	}
	wildcard := regexp.MustCompile(`\{([a-z]*|\$)(\.\.\.)?\}`)
	for _, rt := range routeTable() {
		if rt.method != http.MethodGet {
			continue
		}
		path := wildcard.ReplaceAllStringFunc(rt.path, func(w string) string {
			return wildcardValue(rt.path, wildcard.FindStringSubmatch(w)[1])
		})
		if !slices.Contains(out, path) {
			out = append(out, path)
		}
	}
	return out
}

// wildcardValue is a key of testBundles for a wildcard of a route pattern.
func wildcardValue(pattern, name string) string {
	indicator := strings.Contains(pattern, "/indikatorer/") || strings.Contains(pattern, "/indicators/")
	switch name {
	case "$":
		return ""
	case "code", "org":
		if strings.HasPrefix(pattern, "/regioner/") || strings.Contains(pattern, "/regions/") {
			return "23"
		}
		return "2313"
	case "key":
		if indicator {
			return "folkmangd"
		}
		return "stromsund-program"
	case "doc":
		return "stromsund-program"
	case "ind", "indicator":
		return "folkmangd"
	case "goal", "obj":
		return "mal-fler-invanare"
	case "kind":
		if strings.HasPrefix(pattern, "/api/") {
			return "goals"
		}
		return "mal"
	case "target":
		return "t-utrikes-10"
	case "plan":
		return "ks-2015"
	case "act":
		return "sfi-info"
	case "lang":
		return "en"
	case "body":
		return "ks"
	case "format":
		return "pdf"
	case "file":
		return "style.css"
	}
	return "1" // ids, steps
}

// querySeeds are queries that reach each parser with a value it takes and
// with values it must refuse.
var querySeeds = []string{
	"", "org=2313", "org=2380&from=2015&to=2020", "org=23&year=2019", "org=238&from=20x5", "year=2026", "ar=2020", "ar=20025", "ar=-202",
	"lang=en", "lang=fa-AF&ar=2019", "lang=xx", "q=integration", "q=%22spr%C3%A5k+caf%C3%A9%22+-x*", "q=" + strings.Repeat("a", 300),
	"bakgrund=%23000&text=fff&accent=%23123456", "bakgrund=zzz", "url=http://inkludera.test/portal/2313/indikatorer/folkmangd&maxwidth=300&maxheight=99999",
	"url=/portal/2313/dokument/stromsund-program/mal/mal-fler-invanare&format=xml", "url=%zz", "url=//evil.example/portal/2313",
	"limit=5&before=3&org=2313&object=document:stromsund-program", "limit=-1&before=x", "limit=99999999999999999999",
	"objekt=document:stromsund-program&fore=2", "objekt=goal:stromsund-program/mal-fler-invanare", "objekt=nonsense",
	"dokument=stromsund-program&ar=2015&fran=2014", "fler=3&dokument=stromsund-program&sparat=1", "fler=%E2%88%923",
	"nasta=/dokument/stromsund-program", "nasta=//evil.example", "nasta=/%09/evil.example", "error=access_denied&state=x&code=y",
	"under=area:inflyttning", "agare=goal:mal-fler-invanare", "under=goal:", "rev=3", "rev=-1", "andra=1", "andra=x",
	"excel=1", "excel=ja", "visa=1", "klart=ny", "paminda=2&misslyckade=1", "paminda=x", "hamtning=startad", "sida=/portal&tack=1",
	"v=0123", "sparat=x", "org=2313&org=2380", "lang=en&lang=sv", "a=%", "&&=&", ";", "ar=2015;x=1",
	"ar=%B1", "org=%FF%FE", "q=%C3", "lang=%FF", "nasta=/%FF", "dokument=%E2%82&fran=%80", // not UTF-8 once unescaped
}

// FuzzQueryParameters sends a GET with a fuzzed query (and Accept-Language)
// to every GET route (getRoutes), as the public or as a
// signed-in user. The request is parsed from raw bytes as net/http parses
// them, so every value any route reads from the query, and the language,
// is fuzzed as a browser or a crawler could send it. No answer may be a
// server error, an API error must be JSON, and answers are bounded.
func FuzzQueryParameters(f *testing.F) {
	env := newFuzzEnv(f)
	queryRoutes := getRoutes()
	for i := range queryRoutes {
		for j, q := range querySeeds {
			if (i+j)%7 == 0 || q == "" {
				f.Add(uint8(i), uint8(j%len(fuzzUsers)), q, "")
			}
		}
	}
	f.Add(uint8(0), uint8(0), "", "en-GB,en;q=0.8,prs;q=0.5")
	f.Add(uint8(1), uint8(0), "", "*;q=0,xx-YY;q=1.5,;;,")
	f.Fuzz(func(t *testing.T, route, user uint8, query, acceptLanguage string) {
		path := queryRoutes[int(route)%len(queryRoutes)]
		head := "GET " + path + "?" + query + " HTTP/1.1\r\nHost: inkludera.test\r\n"
		if acceptLanguage != "" {
			head += "Accept-Language: " + acceptLanguage + "\r\n"
		}
		r, err := http.ReadRequest(bufio.NewReader(strings.NewReader(head + "\r\n")))
		if err != nil {
			return // net/http answers 400 before any handler runs
		}
		r.RemoteAddr = "192.0.2.1:1234"
		env.serve(t, r, fuzzUsers[int(user)%len(fuzzUsers)])
	})
}

// formDenied are form actions FuzzFormValues leaves alone: signing in
// (a password hash per request, and throttling), uploads (fuzzed by the
// file formats' own targets), work started in the background, mail, and
// deletions (which would leave later inputs less to work on).
var formDenied = regexp.MustCompile(`^/logga-(in|ut)|/import$|^/rapporter/skapa$|^/admin/kallor/hamta$|/paminn$|/ta-bort$`)

// formPages are the pages whose forms FuzzFormValues posts, as the admin
// sees them (who sees every form).
var formPages = []string{
	"/konto", "/redigera/dokument/ny", "/redigera/dokument/stromsund-program",
	"/redigera/dokument/stromsund-program/mal/mal-fler-invanare", "/redigera/dokument/stromsund-program/malvarde/t-utrikes-10",
	"/redigera/dokument/stromsund-program/omrade/inflyttning", "/redigera/dokument/stromsund-program/atagande/c-valkomst",
	"/redigera/dokument/stromsund-program/begrepp/nyanland", "/redigera/dokument/stromsund-program/ansvar/ny",
	"/redigera/indikatorer/folkmangd", "/redigera/dokument/stromsund-program/planer/ks-2015",
	"/redigera/dokument/stromsund-program/planer/ks-2015/aktiviteter/sfi-info",
	"/redigera/dokument/stromsund-program/planer/ks-2015/aktiviteter/ny",
	"/uppfoljning/ny", "/fordelning?dokument=stromsund-program&ar=2015", "/admin/anvandare", "/admin/anvandare?andra=3",
	"/tillganglighet", "/redigera/dokument/stromsund-program/oversattning/en", "/redigera/indikatorer/folkmangd/oversattning/en",
}

// FuzzFormValues posts fuzzed form bodies to every form of the site: the
// actions and the first seeds are the forms the pages render, filled in as
// they are. Every form value parser (numbers, years, dates, keys,
// placements, revisions, roles) is reached through its handler; no answer
// may be a server error. A valid body changes the store, as it would for a
// person; later inputs see the change.
func FuzzFormValues(f *testing.F) {
	env := newFuzzEnv(f)
	var actions []string
	bodies := map[string][]string{}
	for _, page := range formPages {
		r := httptest.NewRequest(http.MethodGet, page, nil)
		r = r.WithContext(withUser(r.Context(), testAdmin, "192.0.2.1", "web"))
		rec := httptest.NewRecorder()
		env.h.ServeHTTP(rec, r)
		if rec.Code != http.StatusOK {
			f.Fatalf("GET %s: status %d", page, rec.Code)
		}
		for _, fm := range pageForms(rec.Body.String(), page) {
			if formDenied.MatchString(fm.action) {
				continue
			}
			if _, ok := bodies[fm.action]; !ok {
				actions = append(actions, fm.action)
			}
			bodies[fm.action] = append(bodies[fm.action], fm.values.Encode())
		}
	}
	slices.Sort(actions)
	if len(actions) < 10 {
		f.Fatalf("only %d forms found: %v", len(actions), actions)
	}
	for i, a := range actions {
		for _, b := range bodies[a] {
			f.Add(uint8(i), uint8(1), b)
		}
	}
	f.Fuzz(func(t *testing.T, action, user uint8, body string) {
		path := actions[int(action)%len(actions)]
		r := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.RemoteAddr = "192.0.2.1:1234"
		env.serve(t, r, fuzzUsers[int(user)%len(fuzzUsers)])
	})
}

// postForm is one <form method="post"> of a page with the values it would send.
type postForm struct {
	action string
	values url.Values
}

// pageForms finds the post forms of one of our pages (encoding/xml in its
// HTML mode reads what our templates write) with their fields as a
// browser would submit them untouched: inputs, checked boxes, textareas,
// and each select's selected (or first) option.
func pageForms(page, from string) []postForm {
	d := xml.NewDecoder(strings.NewReader(page))
	d.Strict = false
	d.AutoClose = xml.HTMLAutoClose
	d.Entity = xml.HTMLEntity
	var forms []postForm
	var cur *postForm
	var selectName, textareaName, firstOption string
	var selected bool
	var text strings.Builder
	attr := func(e xml.StartElement, name string) (string, bool) {
		for _, a := range e.Attr {
			if strings.EqualFold(a.Name.Local, name) {
				return a.Value, true
			}
		}
		return "", false
	}
	for {
		tok, err := d.Token()
		if err != nil {
			break
		}
		switch e := tok.(type) {
		case xml.StartElement:
			name, _ := attr(e, "name")
			switch strings.ToLower(e.Name.Local) {
			case "form":
				method, _ := attr(e, "method")
				action, ok := attr(e, "action")
				if !ok {
					action = from
				}
				if u, err := url.Parse(action); err == nil && strings.EqualFold(method, "post") && !strings.Contains(action, "://") {
					if enc, _ := attr(e, "enctype"); enc != "multipart/form-data" {
						cur = &postForm{action: u.Path, values: url.Values{}}
					}
				}
			case "input":
				if cur == nil || name == "" {
					continue
				}
				typ, _ := attr(e, "type")
				_, checked := attr(e, "checked")
				value, _ := attr(e, "value")
				switch strings.ToLower(typ) {
				case "checkbox", "radio":
					if checked {
						cur.values.Add(name, cmp0(value, "on"))
					}
				case "submit", "button", "file", "image", "reset":
				default:
					cur.values.Add(name, value)
				}
			case "textarea":
				textareaName = name
				text.Reset()
			case "select":
				selectName, firstOption, selected = name, "", false
			case "option":
				value, _ := attr(e, "value")
				if _, ok := attr(e, "selected"); ok && cur != nil && selectName != "" && !selected {
					cur.values.Add(selectName, value)
					selected = true
				}
				if firstOption == "" {
					firstOption = value
				}
			}
		case xml.CharData:
			if textareaName != "" {
				text.Write(e)
			}
		case xml.EndElement:
			switch strings.ToLower(e.Name.Local) {
			case "textarea":
				if cur != nil && textareaName != "" {
					cur.values.Add(textareaName, text.String())
				}
				textareaName = ""
			case "select":
				if cur != nil && selectName != "" && !selected {
					cur.values.Add(selectName, firstOption)
				}
				selectName = ""
			case "form":
				if cur != nil {
					forms = append(forms, *cur)
				}
				cur = nil
			}
		}
	}
	return forms
}

func cmp0(s, otherwise string) string {
	if s == "" {
		return otherwise
	}
	return s
}

// FuzzFastRequest compares the fast path's parse of a request head with
// net/http's. A head the fast path takes must be one net/http takes too,
// a GET from the public that sets no language cookie, and it must give the
// cache key the page cache's middleware computes from net/http's request:
// otherwise the fast path could answer from the cache what net/http would
// answer differently.
func FuzzFastRequest(f *testing.F) {
	for _, h := range []string{
		get("/portal/2313"),
		get("/portal/2313/sok?q=spr%C3%A5k&x=1", "Accept-Language: en-GB,en;q=0.8\r\n", "Cookie: a=b; "+i18n.CookieName+"=fi\r\n", "Connection: keep-alive, close\r\n"),
		get("/portal?lang=en"),
		get("/portal?l%61ng=en"),
		get("/portal", "Cookie: "+i18n.CookieName+"=\"en\"\r\n"),
		get("/portal", "X-Forwarded-Proto: https\r\n", "X-Forwarded-Host: a.example\r\n", "x-forwarded-proto: http\r\n"),
		get("/portal", "Host: second.example\r\n"),
		get("/portal", "User-Agent: a\x01b\r\n"),
		"GET /portal HTTP/1.1\r\nHost: x\nAuthorization: y\r\n\r\n",
		"GET /portal HTTP/1.1\r\nHost: a b\r\n\r\n", // net/http refuses the host; the fast path misses

		"GET /a/./b HTTP/1.1\r\nHost: x\r\n\r\n",
		"POST /portal HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n",
	} {
		f.Add([]byte(h))
	}
	f.Fuzz(func(t *testing.T, head []byte) {
		// The fast path sees the bytes up to the first blank line.
		if i := bytes.Index(head, []byte("\r\n\r\n")); i >= 0 {
			head = head[:i+4]
		} else {
			head = append(head, "\r\n\r\n"...)
		}
		fr, ok := parseFastRequest(head)
		if !ok {
			return
		}
		r, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(head)))
		if err != nil {
			t.Fatalf("the fast path takes %q, net/http refuses it: %v", head, err)
		}
		if why := refusedByServer(r); why != "" {
			t.Fatalf("the fast path takes %q, net/http's server refuses it: %s", head, why)
		}
		if r.Method != http.MethodGet || !anonymous(r) {
			t.Fatalf("the fast path takes %q, which is no anonymous GET", head)
		}
		lang, chosen := i18n.Match(r)
		if chosen {
			t.Fatalf("the fast path takes %q, which chooses the language %s (and sets its cookie)", head, lang.Code)
		}
		fast := appendKeyParts(nil, fastLanguage(fr), false, fr.host, fr.forwardedProto, fr.forwardedHost, fr.path, fr.query)
		if want := appendKey(nil, r, lang.Code); !bytes.Equal(fast, want) {
			t.Fatalf("head %q: fast path key %q, middleware key %q", head, fast, want)
		}
		if fr.close != r.Close {
			t.Fatalf("head %q: fast path close %v, net/http %v", head, fr.close, r.Close)
		}
	})
}

// fastLanguage is the language lookupFast chooses for a fast request.
func fastLanguage(r fastRequest) string {
	lang, _ := i18n.MatchValues("", r.cookie, r.acceptLanguage)
	return lang.Code
}

// refusedByServer is why net/http's server answers a request it has read
// with 400 before any handler sees it (server.go's readRequest), or "". A
// Host it refuses is left out: the host is part of the cache key, so no
// page can have been kept under it and the fast path's lookup misses.
func refusedByServer(r *http.Request) string {
	if len(r.Header["Host"]) > 1 {
		return "too many Host headers"
	}
	for k, vs := range r.Header {
		if !httpguts.ValidHeaderFieldName(k) {
			return "invalid header name " + strconv.Quote(k)
		}
		for _, v := range vs {
			if !httpguts.ValidHeaderFieldValue(v) {
				return "invalid header value " + strconv.Quote(v)
			}
		}
	}
	return ""
}

// FuzzParamParsers checks the pure parsers of query and form values with
// one fuzzed text: each refuses what it cannot read with a message, and
// what it reads keeps its promise (in range, canonical, round trip).
func FuzzParamParsers(f *testing.F) {
	for _, s := range []string{
		"", "2026", "20025", "-2026", "+202", "0000", "1 234,5", "−12,5", "1e3", "0x1F", "12,3,4", "1\u00a0234", "1_000",
		"2380", "23", "00", "238", " 2313 ", "#fff", "ABCDEF", "#12345g", "area:inflyttning", "goal:", "goal:x",
		"/dokument/x?y=1", "//evil.example", "/\\evil.example", "/%2F/evil.example", "/logga-in?x", "https://evil.example/",
		"2026-02-29", "2024-02-29", "2026-13-01", "document:stromsund-program", "goal:stromsund-program/mal-1",
		"en", "fa-AF", "prs", "en-GB,en;q=0.8", "sv;q=0,*", "99999999999999999999", "9223372036854775807",
	} {
		f.Add(s)
	}
	s := &server{now: testNow}
	f.Fuzz(func(t *testing.T, v string) {
		if v, ok := parseDecimal(v); ok {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("parseDecimal gave %v", v)
			}
			if back, ok := parseDecimal(formatDecimal(v)); !ok || back != v {
				t.Fatalf("formatDecimal(%v) = %q reads back as %v, %v", v, formatDecimal(v), back, ok)
			}
		}
		if n, ok := parseWholeNumber(v); ok {
			if d, ok := parseDecimal(v); !ok || (math.Abs(float64(n)) < 1<<53 && d != float64(n)) {
				t.Fatalf("%q is the whole number %d but the decimal %v, %v", v, n, d, ok)
			}
		}
		if y, ok := parseYear(v); ok && (y < 0 || y > 9999 || strconv.Itoa(y + 10000)[1:] != v) {
			t.Fatalf("parseYear(%q) = %d", v, y)
		}
		if id, err := optionalID(v); err != nil {
			checkInvalid(t, "optionalID", v, err)
		} else if (v == "") != (id == 0) || id < 0 {
			t.Fatalf("optionalID(%q) = %d", v, id)
		}
		checkSafeNext(t, v)
		if c, ok := parseHex(v); ok && !regexp.MustCompile(`^#[0-9a-f]{6}$`).MatchString(c) {
			t.Fatalf("parseHex(%q) = %q", v, c)
		}
		theme := themeOf(url.Values{"bakgrund": {v}, "text": {v}, "accent": {"#" + v}})
		if contrast(theme.Text, theme.Background) < 4.5 || contrast(theme.Accent, theme.Background) < 4.5 {
			t.Fatalf("theme of %q: %+v has too little contrast", v, theme)
		}
		if p, ok := parsePlacement(v); ok {
			if back, ok := parsePlacement(p.String()); !ok || back != p {
				t.Fatalf("placement %q → %+v → %q → %+v", v, p, p.String(), back)
			}
		}
		if d, err := strategy.ParseDate(v); err == nil && !d.IsZero() {
			if back, err := strategy.ParseDate(d.String()); err != nil || back != d {
				t.Fatalf("date %q → %v → %q → %v, %v", v, d, d.String(), back, err)
			}
		}
		if ref, err := strategy.ParseObjectRef(v); err == nil {
			if back, err := strategy.ParseObjectRef(ref.String()); err != nil || back != ref {
				t.Fatalf("object %q → %+v → %q → %+v, %v", v, ref, ref.String(), back, err)
			}
		}
		for _, c := range [][3]string{{v, "", ""}, {"", v, ""}, {"", "", v}} {
			lang, chosen := i18n.MatchValues(c[0], c[1], c[2])
			if !slices.Contains(i18n.Languages, lang) || (chosen && c[0] == "") {
				t.Fatalf("MatchValues%q = %+v, %v", c, lang, chosen)
			}
		}

		// The parsers that read a request, with v as the parameter.
		r := &http.Request{URL: &url.URL{RawQuery: url.Values{"org": {v}, "ar": {v}, "year": {v}}.Encode()}}
		if code, err := orgParam(r, true); err != nil {
			checkInvalid(t, "orgParam", v, err)
		} else if !strategy.ValidOrgCode(code) {
			t.Fatalf("orgParam(%q) = %q", v, code)
		}
		if y, err := yearParam(r, "year"); err != nil {
			checkInvalid(t, "yearParam", v, err)
		} else if y != 0 && (y < 1000 || y > 9999) {
			t.Fatalf("yearParam(%q) = %d", v, y)
		}
		for _, swedish := range []bool{true, false} {
			y, given, err := s.evaluationYear(r, "ar", swedish)
			switch {
			case err != nil:
				checkInvalid(t, "evaluationYear", v, err)
			case given && (y < minEvaluationYear || y > maxEvaluationYear):
				t.Fatalf("evaluationYear(%q) = %d", v, y)
			case !given && y != testNow().Year():
				t.Fatalf("evaluationYear(%q) = %d, not given", v, y)
			}
		}
	})
}

// checkInvalid fails unless err is an invalid strategy.Error with a
// readable message.
func checkInvalid(t *testing.T, parser, v string, err error) {
	t.Helper()
	var e *strategy.Error
	if strategy.CodeOf(err) != strategy.CodeInvalid || !errors.As(err, &e) || e.Message == "" || !utf8.ValidString(e.Message) {
		t.Fatalf("%s(%q): refusal %v is not an invalid strategy.Error with a message", parser, v, err)
	}
}

// checkSafeNext holds safeNext to its promise: the answer is "/" or the
// path itself, in UTF-8 (it is written into a form), and a browser reads
// it as a path on this site, after
// dropping tabs and newlines and reading backslashes as slashes as
// browsers do.
func checkSafeNext(t *testing.T, next string) {
	t.Helper()
	got := safeNext(next)
	if got != "/" && got != next || !utf8.ValidString(got) {
		t.Fatalf("safeNext(%q) = %q", next, got)
	}
	browser := strings.Map(func(r rune) rune {
		switch r {
		case '\t', '\n', '\r':
			return -1
		case '\\':
			return '/'
		}
		return r
	}, strings.TrimLeftFunc(got, func(r rune) bool { return r <= ' ' || unicode.IsSpace(r) }))
	u, err := url.Parse(browser)
	if !strings.HasPrefix(browser, "/") || strings.HasPrefix(browser, "//") || err != nil || u.Host != "" || u.Scheme != "" {
		t.Fatalf("safeNext(%q) = %q, which a browser may read as another site", next, got)
	}
	if p, _ := url.PathUnescape(u.Path); p == "/logga-in" || strings.HasPrefix(u.Path, "/logga-in/") {
		t.Fatalf("safeNext(%q) = %q leads back to signing in", next, got)
	}
}

// TestNonUTF8IsRefused: text that is not UTF-8 once unescaped, in the
// path, the query or a form, is refused before any handler writes it into
// a page or the store (found by FuzzFormValues).
func TestNonUTF8IsRefused(t *testing.T) {
	e := newTestEnv(t)
	storeTestUsers(t, e.st)
	tests := []struct {
		name, method, target, form string
		want                       int
	}{
		{"search", "GET", "/portal/2313/sok?q=spr%E5k", "", http.StatusBadRequest},
		{"search in UTF-8", "GET", "/portal/2313/sok?q=spr%C3%A5k", "", http.StatusOK},
		{"API query", "GET", "/api/v1/indicators?x=%FF", "", http.StatusBadRequest},
		{"path", "GET", "/dokument/%FF", "", http.StatusBadRequest},
		{"form", "POST", "/redigera/dokument/stromsund-program/planer/ks-2015/aktiviteter/ny", "title=%80&target_group=alla", http.StatusBadRequest},
		{"form name", "POST", "/redigera/dokument/stromsund-program/planer/ks-2015/aktiviteter/ny", "%80=x", http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var body any
			if tt.form != "" {
				v, err := url.ParseQuery(tt.form)
				if err != nil {
					t.Fatal(err)
				}
				body = v
			}
			res, page := e.doAs(t, testAdmin, tt.method, tt.target, body)
			if res.StatusCode != tt.want || !utf8.ValidString(page) {
				t.Errorf("status %d, want %d; UTF-8 %v", res.StatusCode, tt.want, utf8.ValidString(page))
			}
		})
	}
}

// TestEmbedTextReadableOnEveryShortColour: whatever ?bakgrund= a host
// picks, the widget's text and accent reach WCAG's 4.5:1 (FuzzParamParsers
// found #087, on which neither near-black nor white does).
func TestEmbedTextReadableOnEveryShortColour(t *testing.T) {
	for c := range 1 << 12 {
		bg := fmt.Sprintf("%03x", c)
		theme := themeOf(url.Values{"bakgrund": {bg}})
		if contrast(theme.Text, theme.Background) < 4.5 || contrast(theme.Accent, theme.Background) < 4.5 {
			t.Errorf("background #%s: %+v", bg, theme)
		}
	}
}
