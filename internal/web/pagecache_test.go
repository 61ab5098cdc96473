package web

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/inkludera/inkludera/internal/auth"
	"github.com/inkludera/inkludera/internal/store"
	"github.com/inkludera/inkludera/internal/strategy"
)

// cacheEnv is a test server with routes of its own beside the site's: a
// cached page that shows the organisation's name as the store has it, in
// the reader's language, counting its renders; and a POST that renames
// the organisation.
type cacheEnv struct {
	*testEnv
	s       *server
	renders atomic.Int64
	// block, when set, holds a render of /test/sidor/vanta until it is
	// closed; started tells that one has begun.
	block   chan struct{}
	started chan struct{}
}

func newCacheEnv(t *testing.T, st *store.Store, opts ...Option) *cacheEnv {
	t.Helper()
	e := &cacheEnv{testEnv: newTestEnvWith(t, st, opts...)}
	e.s = e.h.(*Handler).s
	for _, rt := range []route{
		{method: "GET", path: "/test/sidor/{page}", kind: pageRoute, cached: true, handler: e.page},
		{method: "POST", path: "/test/byt-namn", kind: pageRoute, handler: e.rename},
	} {
		e.s.mux.Handle(rt.pattern(), e.s.adapt(rt))
	}
	return e
}

// page answers GET /test/sidor/{page}: "saknas" is a 404, "stor" larger
// than the cache keeps, "kaka" sets a cookie, "privat" says it is private,
// "vary" varies on another header, "sprak" on the language, "egen" sets
// headers of its own, "vanta" waits for e.block.
func (e *cacheEnv) page(s *server, w http.ResponseWriter, r *http.Request) error {
	e.renders.Add(1)
	page := r.PathValue("page")
	if page == "vanta" && e.block != nil {
		e.started <- struct{}{}
		<-e.block
	}
	org, err := s.st.Organisation(r.Context(), "2380")
	if err != nil {
		return err
	}
	h := w.Header()
	switch page {
	case "saknas":
		return strategy.Errorf(strategy.CodeNotFound, "Sidan finns inte.")
	case "kaka":
		http.SetCookie(w, &http.Cookie{Name: "besok", Value: "1"})
	case "privat":
		h.Set("Cache-Control", "private, max-age=60")
	case "vary":
		h.Add("Vary", "Accept-Encoding")
	case "sprak":
		h.Add("Vary", "accept-language")
	case "egen":
		h.Set("Content-Disposition", `attachment; filename="sida.txt"`)
		h.Set("Content-Security-Policy", "frame-ancestors *")
		h.Del("Referrer-Policy")
	case "stor":
		h.Set("Content-Type", "text/plain; charset=utf-8")
		_, err := w.Write([]byte(strings.Repeat("x", int(s.cache.maxEntry)+1)))
		return err
	}
	h.Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintf(w, "%s %s %s", page, langOf(r).Code, org.Name)
	return nil
}

// rename answers POST /test/byt-namn?namn=…: it renames Östersund, as an
// edit would; an empty name is refused with 400 before anything changes.
func (e *cacheEnv) rename(s *server, w http.ResponseWriter, r *http.Request) error {
	name := r.URL.Query().Get("namn")
	if name == "" {
		return strategy.Errorf(strategy.CodeInvalid, "Namnet saknas.")
	}
	if err := renameOrg(r.Context(), s.st, name); err != nil {
		return err
	}
	http.Redirect(w, r, "/test/sidor/a", http.StatusSeeOther)
	return nil
}

func renameOrg(ctx context.Context, st strategy.Store, name string) error {
	_, err := st.Import(ctx, []strategy.Bundle{{Organisation: &strategy.Organisation{Code: "2380", Name: name,
		Kind: strategy.OrgKommun, County: "23"}}})
	return err
}

// get sends a request with the headers ("Name", "value", …) and returns
// the response and its body.
func (e *cacheEnv) get(t *testing.T, method, target string, headers ...string) (*http.Response, string) {
	t.Helper()
	r := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		r.Header.Add(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, r)
	res := rec.Result()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, string(body)
}

// wantRenders fails the test unless the page was rendered n times so far.
func (e *cacheEnv) wantRenders(t *testing.T, n int64, after string) {
	t.Helper()
	if got := e.renders.Load(); got != n {
		t.Errorf("after %s: %d renders, want %d", after, got, n)
	}
}

func TestPageCacheServesAgain(t *testing.T) {
	e := newCacheEnv(t, newTestStore(t))
	res, body := e.get(t, "GET", "/test/sidor/a")
	if res.StatusCode != 200 || body != "a sv Östersunds kommun" {
		t.Fatalf("first GET: %d %q", res.StatusCode, body)
	}
	etag, modified := res.Header.Get("ETag"), res.Header.Get("Last-Modified")
	if !strings.HasPrefix(etag, `"`) || len(etag) < 20 || strings.HasPrefix(etag, "W/") {
		t.Errorf("ETag %q, want a strong one", etag)
	}
	if _, err := http.ParseTime(modified); err != nil {
		t.Errorf("Last-Modified %q: %v", modified, err)
	}
	again, body2 := e.get(t, "GET", "/test/sidor/a")
	e.wantRenders(t, 1, "two GETs")
	if body2 != body || again.Header.Get("ETag") != etag || again.Header.Get("Last-Modified") != modified {
		t.Errorf("second GET differs: %q %s %s", body2, again.Header.Get("ETag"), again.Header.Get("Last-Modified"))
	}
	for _, r := range []*http.Response{res, again} {
		for name, want := range map[string]string{
			"Cache-Control":          "public, no-cache",
			"Content-Type":           "text/plain; charset=utf-8",
			"Content-Length":         fmt.Sprint(len(body)),
			"X-Content-Type-Options": "nosniff",
		} {
			if got := r.Header.Get(name); got != want {
				t.Errorf("%s: %q, want %q", name, got, want)
			}
		}
		if vary := strings.Join(r.Header.Values("Vary"), ", "); !strings.Contains(vary, "Accept-Language") || !strings.Contains(vary, "Cookie") {
			t.Errorf("Vary %q", vary)
		}
		if !strings.Contains(r.Header.Get("Content-Security-Policy"), "script-src 'none'") {
			t.Errorf("Content-Security-Policy %q", r.Header.Get("Content-Security-Policy"))
		}
	}

	head, hbody := e.get(t, "HEAD", "/test/sidor/a")
	if head.StatusCode != 200 || hbody != "" || head.Header.Get("ETag") != etag || head.Header.Get("Content-Length") != fmt.Sprint(len(body)) {
		t.Errorf("HEAD: %d %q %v", head.StatusCode, hbody, head.Header)
	}
	e.wantRenders(t, 1, "a HEAD")
	// A HEAD first renders the whole page, for the GETs after it.
	if head, _ := e.get(t, "HEAD", "/test/sidor/b"); head.StatusCode != 200 || head.Header.Get("Content-Length") != fmt.Sprint(len("b sv Östersunds kommun")) {
		t.Errorf("HEAD of a page not kept: %d %v", head.StatusCode, head.Header)
	}
	if _, body := e.get(t, "GET", "/test/sidor/b"); body != "b sv Östersunds kommun" {
		t.Errorf("GET after HEAD: %q", body)
	}
	e.wantRenders(t, 2, "a HEAD and a GET of another page")
}

func TestPageCacheConditional(t *testing.T) {
	e := newCacheEnv(t, newTestStore(t))
	first, body := e.get(t, "GET", "/test/sidor/a")
	etag := first.Header.Get("ETag")
	modified, err := http.ParseTime(first.Header.Get("Last-Modified"))
	if err != nil {
		t.Fatal(err)
	}
	at := func(d time.Duration) string { return modified.Add(d).Format(http.TimeFormat) }
	tests := []struct {
		name    string
		headers []string
		status  int
	}{
		{"If-None-Match", []string{"If-None-Match", etag}, 304},
		{"If-None-Match, weak", []string{"If-None-Match", "W/" + etag}, 304},
		{"If-None-Match, in a list", []string{"If-None-Match", `"x", ` + etag}, 304},
		{"If-None-Match: *", []string{"If-None-Match", "*"}, 304},
		{"If-None-Match, another", []string{"If-None-Match", `"x"`}, 200},
		{"If-Modified-Since, the same second", []string{"If-Modified-Since", at(0)}, 304},
		{"If-Modified-Since, later", []string{"If-Modified-Since", at(time.Hour)}, 304},
		{"If-Modified-Since, earlier", []string{"If-Modified-Since", at(-time.Second)}, 200},
		{"If-Modified-Since, not a date", []string{"If-Modified-Since", "gestern"}, 200},
		{"If-None-Match comes first", []string{"If-None-Match", `"x"`, "If-Modified-Since", at(time.Hour)}, 200},
		{"a range is not served", []string{"Range", "bytes=0-1"}, 200},
	}
	for _, method := range []string{"GET", "HEAD"} {
		for _, tc := range tests {
			t.Run(method+" "+tc.name, func(t *testing.T) {
				res, got := e.get(t, method, "/test/sidor/a", tc.headers...)
				if res.StatusCode != tc.status {
					t.Fatalf("status %d, want %d", res.StatusCode, tc.status)
				}
				if res.Header.Get("ETag") != etag || res.Header.Get("Cache-Control") != "public, no-cache" {
					t.Errorf("ETag %q, Cache-Control %q", res.Header.Get("ETag"), res.Header.Get("Cache-Control"))
				}
				switch {
				case tc.status == 304 && (got != "" || res.Header.Get("Content-Type") != "" || res.Header.Get("Content-Length") != ""):
					t.Errorf("304 with content: %q %v", got, res.Header)
				case tc.status == 200 && method == "GET" && got != body:
					t.Errorf("body %q", got)
				}
			})
		}
	}
	e.wantRenders(t, 1, "conditional requests")

	// A page rendered again after a change elsewhere is the same bytes:
	// the reader's copy is still good, and its date stays.
	e.s.cache.invalidate()
	res, got := e.get(t, "GET", "/test/sidor/a", "If-None-Match", etag)
	e.wantRenders(t, 2, "a conditional GET after an invalidation")
	if res.StatusCode != 304 || got != "" {
		t.Errorf("conditional GET of a fresh render: %d %q", res.StatusCode, got)
	}
	if res, _ := e.get(t, "GET", "/test/sidor/a"); res.Header.Get("Last-Modified") != first.Header.Get("Last-Modified") {
		t.Errorf("Last-Modified %q after rendering the same bytes, want %q", res.Header.Get("Last-Modified"), first.Header.Get("Last-Modified"))
	}

	// Changed bytes get a new ETag and a later Last-Modified, even within
	// the same second, so that If-Modified-Since shows the change.
	if err := renameOrg(context.Background(), e.st, "Östersund"); err != nil {
		t.Fatal(err)
	}
	e.s.cache.invalidate()
	for _, h := range [][]string{{"If-None-Match", etag}, {"If-Modified-Since", first.Header.Get("Last-Modified")}} {
		res, got := e.get(t, "GET", "/test/sidor/a", h...)
		if res.StatusCode != 200 || got != "a sv Östersund" || res.Header.Get("ETag") == etag {
			t.Errorf("%s after a change: %d %q ETag %s", h[0], res.StatusCode, got, res.Header.Get("ETag"))
		}
		if m, _ := http.ParseTime(res.Header.Get("Last-Modified")); !m.After(modified) {
			t.Errorf("Last-Modified %s after a change, want later than %s", m, modified)
		}
	}
}

func TestPageCacheNotForSignedIn(t *testing.T) {
	st := newTestStore(t)
	storeTestUsers(t, st)
	setTestPassword(t, st, testReader)
	e := newCacheEnv(t, st)
	b := newWebClient(t, e.h)
	b.signIn(t, testReader)

	for i := range 2 {
		res, body := b.get(t, "/test/sidor/a")
		if res.StatusCode != 200 || body != "a sv Östersunds kommun" {
			t.Fatalf("GET %d signed in: %d %q", i, res.StatusCode, body)
		}
		if res.Header.Get("ETag") != "" || res.Header.Get("Cache-Control") == "public, no-cache" {
			t.Errorf("a signed-in reader's page says it may be cached: %v", res.Header)
		}
	}
	e.wantRenders(t, 2, "two GETs signed in")
	// Nor is what a signed-in reader was shown kept for the public.
	e.get(t, "GET", "/test/sidor/a")
	e.wantRenders(t, 3, "the public's first GET")
	// Once it is kept, a signed-in reader still gets their own, and so
	// does a client with credentials, or with a user in the context.
	b.get(t, "/test/sidor/a")
	e.get(t, "GET", "/test/sidor/a", "Authorization", "Bearer x")
	e.get(t, "GET", "/test/sidor/a", "Cookie", auth.SessionCookieName+"=unknown")
	e.doAs(t, testReader, "GET", "/test/sidor/a", nil)
	e.wantRenders(t, 7, "four readers who are not the public")
	e.get(t, "GET", "/test/sidor/a", "Cookie", "sprak=sv")
	e.wantRenders(t, 7, "the public with a language cookie")
}

func TestPageCacheChangeHere(t *testing.T) {
	e := newCacheEnv(t, newTestStore(t))
	e.get(t, "GET", "/test/sidor/a")
	e.get(t, "GET", "/test/sidor/b")

	// A refused change changes nothing, and ends nothing.
	if res, _ := e.get(t, "POST", "/test/byt-namn"); res.StatusCode != 400 {
		t.Fatalf("refused POST: %d", res.StatusCode)
	}
	e.get(t, "GET", "/test/sidor/a")
	e.wantRenders(t, 2, "a refused POST")

	res, _ := e.get(t, "POST", "/test/byt-namn?namn=Östersund")
	if res.StatusCode != 303 {
		t.Fatalf("POST: %d", res.StatusCode)
	}
	for _, page := range []string{"a", "b"} {
		if _, body := e.get(t, "GET", "/test/sidor/"+page); body != page+" sv Östersund" {
			t.Errorf("page %s after the change: %q", page, body)
		}
	}
	e.wantRenders(t, 4, "a change")
}

// TestPageCacheEditForm: an edit through the site's own form ends the
// generation: the edited indicator's title is on the page at once.
func TestPageCacheEditForm(t *testing.T) {
	e := newCacheEnv(t, newTestStore(t))
	storeTestUsers(t, e.st)
	e.s.mux.Handle("GET /test/indikator", e.s.adapt(route{method: "GET", path: "/test/indikator", kind: pageRoute, cached: true,
		handler: func(s *server, w http.ResponseWriter, r *http.Request) error {
			ind, err := s.st.Indicator(r.Context(), "sfi-klarat")
			if err != nil {
				return err
			}
			_, err = io.WriteString(w, ind.Title)
			return err
		}}))
	if _, body := e.get(t, "GET", "/test/indikator"); body != "Elever som klarat SFI inom ett år" {
		t.Fatalf("before: %q", body)
	}
	ind, err := e.st.Indicator(context.Background(), "sfi-klarat")
	if err != nil {
		t.Fatal(err)
	}
	form := with(indicatorValues(ind), "rev", fmt.Sprint(ind.Rev), "title", "Klarat SFI inom ett år")
	res, body := e.doAs(t, testCoordinator, "POST", "/redigera/indikatorer/sfi-klarat", form)
	requireStatus(t, res, body, http.StatusSeeOther)
	if _, body := e.get(t, "GET", "/test/indikator"); body != "Klarat SFI inom ett år" {
		t.Errorf("after the edit: %q", body)
	}
}

// TestPageCacheChangeElsewhere: a change another process makes to the
// same database shows once the cache has read the content version again.
func TestPageCacheChangeElsewhere(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "delad.db")
	open := func() *store.Store {
		st, err := store.Open(ctx, "sqlite:"+path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
	st := open()
	if _, err := st.Import(ctx, testBundles()); err != nil {
		t.Fatal(err)
	}
	const poll = 50 * time.Millisecond
	e := newCacheEnv(t, st, WithPageCache(PageCache{PollInterval: poll}))
	e.get(t, "GET", "/test/sidor/a")
	time.Sleep(3 * poll)
	e.get(t, "GET", "/test/sidor/a")
	const n = 1
	e.wantRenders(t, n, "GETs of a page nothing changed, across polls")

	if err := renameOrg(ctx, open(), "Östersund"); err != nil { // as the CLI would
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		_, body := e.get(t, "GET", "/test/sidor/a")
		if body == "a sv Östersund" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("5 s after a change by another process the page still says %q", body)
		}
		time.Sleep(poll / 5)
	}
	if got := e.renders.Load(); got != n+1 {
		t.Errorf("%d renders after the change, want %d", got, n+1)
	}
}

// TestPageCacheNewDay: pages depend on the date, so a new day ends the
// generation.
func TestPageCacheNewDay(t *testing.T) {
	const poll = 20 * time.Millisecond
	e := newCacheEnv(t, newTestStore(t), WithPageCache(PageCache{PollInterval: poll}))
	var shift atomic.Int64
	e.s.cache.now = func() time.Time { return time.Now().Add(time.Duration(shift.Load())) }
	e.get(t, "GET", "/test/sidor/a")
	time.Sleep(5 * poll)
	e.get(t, "GET", "/test/sidor/a")
	e.wantRenders(t, 1, "the same day")
	shift.Store(int64(24 * time.Hour))
	time.Sleep(5 * poll)
	e.get(t, "GET", "/test/sidor/a")
	e.wantRenders(t, 2, "the next day")
}

func TestPageCacheLanguages(t *testing.T) {
	e := newCacheEnv(t, newTestStore(t))
	tests := []struct {
		name    string
		target  string
		headers []string
		want    string
		renders int64
	}{
		{"Swedish", "/test/sidor/a", nil, "a sv Östersunds kommun", 1},
		{"English by ?lang=", "/test/sidor/a?lang=en", nil, "a en Östersunds kommun", 2},
		{"English by cookie", "/test/sidor/a", []string{"Cookie", "sprak=en"}, "a en Östersunds kommun", 2},
		{"English by Accept-Language", "/test/sidor/a", []string{"Accept-Language", "en-GB,en;q=0.8"}, "a en Östersunds kommun", 2},
		{"Arabic", "/test/sidor/a", []string{"Accept-Language", "ar"}, "a ar Östersunds kommun", 3},
		{"Swedish by ?lang=", "/test/sidor/a?lang=sv", []string{"Cookie", "sprak=ar"}, "a sv Östersunds kommun", 3},
		{"another query", "/test/sidor/a?x=1&lang=en", nil, "a en Östersunds kommun", 4},
		{"the same query", "/test/sidor/a?x=1", []string{"Cookie", "sprak=en"}, "a en Östersunds kommun", 4},
		{"another host", "http://example.org/test/sidor/a", nil, "a sv Östersunds kommun", 5},
		{"behind a proxy", "/test/sidor/a", []string{"X-Forwarded-Proto", "https"}, "a sv Östersunds kommun", 6},
	}
	etags := map[string]string{}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, body := e.get(t, "GET", tc.target, tc.headers...)
			if body != tc.want {
				t.Errorf("body %q, want %q", body, tc.want)
			}
			e.wantRenders(t, tc.renders, tc.name)
			if lang := body[2:4]; etags[lang] != "" && etags[lang] != res.Header.Get("ETag") {
				t.Errorf("ETag %s, another of %s was %s", res.Header.Get("ETag"), lang, etags[lang])
			} else {
				etags[lang] = res.Header.Get("ETag")
			}
		})
	}
	if etags["sv"] == etags["en"] {
		t.Error("Swedish and English pages have the same ETag")
	}
	// Choosing a language by ?lang= sets its cookie, from the cache too.
	res, _ := e.get(t, "GET", "/test/sidor/a?lang=en")
	if c := res.Header.Get("Set-Cookie"); !strings.HasPrefix(c, "sprak=en") {
		t.Errorf("Set-Cookie %q", c)
	}
}

func TestPageCacheKeepsOnlyWhatIsTheSame(t *testing.T) {
	e := newCacheEnv(t, newTestStore(t))
	tests := []struct {
		page   string
		status int
		kept   bool
	}{
		{"saknas", 404, false},
		{"kaka", 200, false},
		{"privat", 200, false},
		{"vary", 200, false},
		{"stor", 200, false},
		{"egen", 200, true},
		{"sprak", 200, true},
	}
	for _, tc := range tests {
		t.Run(tc.page, func(t *testing.T) {
			before := e.renders.Load()
			var first []byte
			for i := range 2 {
				res, body := e.get(t, "GET", "/test/sidor/"+tc.page)
				if res.StatusCode != tc.status {
					t.Fatalf("GET %d: status %d, want %d", i, res.StatusCode, tc.status)
				}
				if i == 0 {
					first = []byte(body)
				} else if body != string(first) {
					t.Errorf("the second answer differs: %d bytes against %d", len(body), len(first))
				}
				if tc.page == "kaka" && !strings.Contains(res.Header.Get("Set-Cookie"), "besok=1") {
					t.Errorf("Set-Cookie %q", res.Header.Get("Set-Cookie"))
				}
				if tc.page == "egen" {
					h := res.Header
					if h.Get("Content-Disposition") != `attachment; filename="sida.txt"` || h.Get("Content-Security-Policy") != "frame-ancestors *" ||
						h.Get("Referrer-Policy") != "" || h.Get("X-Content-Type-Options") != "nosniff" {
						t.Errorf("headers of GET %d: %v", i, h)
					}
				}
			}
			want := int64(2)
			if tc.kept {
				want = 1
			}
			if got := e.renders.Load() - before; got != want {
				t.Errorf("%d renders, want %d", got, want)
			}
		})
	}
	if n := len(e.s.cache.entries); n != 2 {
		t.Errorf("%d entries kept, want 2", n)
	}
}

// TestPageCacheRendersOnce: readers who ask for a page while it is being
// rendered wait for that render instead of making their own.
func TestPageCacheRendersOnce(t *testing.T) {
	e := newCacheEnv(t, newTestStore(t))
	e.block, e.started = make(chan struct{}), make(chan struct{}, 1)
	const n = 16
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			method := "GET"
			if i%4 == 3 {
				method = "HEAD"
			}
			res, body := e.get(t, method, "/test/sidor/vanta")
			if res.StatusCode != 200 || method == "GET" && body != "vanta sv Östersunds kommun" {
				t.Errorf("reader %d: %d %q", i, res.StatusCode, body)
			}
		})
	}
	<-e.started
	time.Sleep(50 * time.Millisecond) // the others arrive and wait
	close(e.block)
	wg.Wait()
	e.wantRenders(t, 1, fmt.Sprintf("%d readers at once", n))
}

// TestPageCacheRenderDuringChange: a page whose render began before a
// change is served to whoever waited for it but not kept.
func TestPageCacheRenderDuringChange(t *testing.T) {
	e := newCacheEnv(t, newTestStore(t))
	e.block, e.started = make(chan struct{}), make(chan struct{}, 1)
	done := make(chan string)
	go func() {
		_, body := e.get(t, "GET", "/test/sidor/vanta")
		done <- body
	}()
	<-e.started
	if res, _ := e.get(t, "POST", "/test/byt-namn?namn=Östersund"); res.StatusCode != 303 {
		t.Fatalf("POST: %d", res.StatusCode)
	}
	close(e.block)
	<-done
	e.block = nil
	if _, body := e.get(t, "GET", "/test/sidor/vanta"); body != "vanta sv Östersund" {
		t.Errorf("after the change: %q", body)
	}
	e.wantRenders(t, 2, "a render across a change and a GET after it")
}

func TestPageCacheBounds(t *testing.T) {
	e := newCacheEnv(t, newTestStore(t), WithPageCache(PageCache{MaxEntries: 3}))
	for _, p := range []string{"a", "b", "c", "a", "d"} { // b is the least recently used when d comes
		e.get(t, "GET", "/test/sidor/"+p)
	}
	e.wantRenders(t, 4, "five GETs of four pages")
	for _, p := range []string{"a", "c", "d"} {
		e.get(t, "GET", "/test/sidor/"+p)
	}
	e.wantRenders(t, 4, "the three pages kept")
	e.get(t, "GET", "/test/sidor/b")
	e.wantRenders(t, 5, "the page dropped")

	small := newCacheEnv(t, newTestStore(t), WithPageCache(PageCache{MaxBytes: 16 << 10}))
	for i := range 40 {
		small.get(t, "GET", fmt.Sprintf("/test/sidor/%d", i))
	}
	c := small.s.cache
	if c.bytes > c.maxBytes || len(c.entries) == 40 || len(c.entries) != c.lru.Len() {
		t.Errorf("%d entries of %d bytes in all kept, bound %d", len(c.entries), c.bytes, c.maxBytes)
	}
}

func TestPageCacheKey(t *testing.T) {
	key := func(target, lang string, headers ...string) string {
		r := httptest.NewRequest("GET", target, nil)
		for i := 0; i+1 < len(headers); i += 2 {
			r.Header.Set(headers[i], headers[i+1])
		}
		return string(appendKey(nil, r, lang))
	}
	tests := []struct {
		name string
		a, b string
		same bool
	}{
		{"lang is in the language", key("/p?lang=en", "en"), key("/p", "en"), true},
		{"lang anywhere", key("/p?x=1&lang=en&y=2", "en"), key("/p?x=1&y=2", "en"), true},
		{"the language", key("/p", "en"), key("/p", "sv"), false},
		{"the query", key("/p?x=1", "sv"), key("/p?x=2", "sv"), false},
		{"a parameter named like lang", key("/p?language=en", "sv"), key("/p", "sv"), false},
		{"an escaped slash", key("/p/a%2Fb", "sv"), key("/p/a/b", "sv"), false},
		{"the host", key("http://a.se/p", "sv"), key("http://b.se/p", "sv"), false},
		{"the scheme", key("https://a.se/p", "sv"), key("http://a.se/p", "sv"), false},
		{"a proxy's scheme", key("/p", "sv", "X-Forwarded-Proto", "https"), key("/p", "sv"), false},
		{"a proxy's host", key("/p", "sv", "X-Forwarded-Host", "a.se"), key("/p", "sv"), false},
		{"other headers", key("/p", "sv", "User-Agent", "x"), key("/p", "sv"), true},
	}
	for _, tc := range tests {
		if (tc.a == tc.b) != tc.same {
			t.Errorf("%s: keys %q and %q, want same %v", tc.name, tc.a, tc.b, tc.same)
		}
	}
}

func TestPageCacheOff(t *testing.T) {
	e := newCacheEnv(t, newTestStore(t), WithPageCache(PageCache{Off: true}))
	for range 2 {
		if res, _ := e.get(t, "GET", "/test/sidor/a"); res.Header.Get("ETag") != "" {
			t.Errorf("ETag %q with the cache off", res.Header.Get("ETag"))
		}
	}
	e.wantRenders(t, 2, "two GETs with the cache off")
}

// discardWriter is the cheapest ResponseWriter, so that a benchmark
// measures the handler.
type discardWriter struct{ h http.Header }

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) WriteHeader(int)             {}
func (w *discardWriter) Write(b []byte) (int, error) { return len(b), nil }

// BenchmarkCachedPortalPage is an anonymous reader's GET of a public
// page, through the whole handler: middleware, cache lookup and writing
// the page; "rendered" is the same with the cache off.
func BenchmarkCachedPortalPage(b *testing.B) {
	ctx := context.Background()
	st, err := store.Open(ctx, "sqlite:"+filepath.Join(b.TempDir(), "web.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Import(ctx, testBundles()); err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name string
		off  bool
	}{{"cached", false}, {"rendered", true}} {
		b.Run(bc.name, func(b *testing.B) {
			h := newHandler(st, nil, testNow, WithPageCache(PageCache{Off: bc.off}))
			defer h.Close()
			target := portalDocumentURL("2313", "stromsund-program")
			get := func() *http.Request {
				r := httptest.NewRequest("GET", target, nil)
				r.Header.Set("Accept-Language", "sv-SE,sv;q=0.9,en;q=0.8")
				r.Header.Set("Accept-Encoding", "gzip, deflate, br")
				return r
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, get())
			if rec.Code != 200 || (rec.Header().Get("ETag") == "") != bc.off {
				b.Fatalf("%s: status %d, ETag %q", target, rec.Code, rec.Header().Get("ETag"))
			}
			b.SetBytes(int64(rec.Body.Len()))
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				r := get()
				w := &discardWriter{h: http.Header{}}
				for pb.Next() {
					clear(w.h)
					h.ServeHTTP(w, r)
				}
			})
		})
	}
}
