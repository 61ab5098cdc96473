package kolada

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// recordedBase is the host the fixtures' next_url/previous_url name; the
// fake server rewrites it to its own address at serve time.
const recordedBase = "https://api.kolada.se/v3"

// reply is one canned answer.
type reply struct {
	status int               // 0 means 200
	file   string            // under testdata/
	body   string            // used when file is ""
	header map[string]string // e.g. Retry-After
}

// fakeAPI replays fixtures by request URI (path and query exactly as the
// client sends them). A route with several replies serves them in turn and
// then repeats the last.
type fakeAPI struct {
	t      *testing.T
	srv    *httptest.Server
	mu     sync.Mutex
	routes map[string][]reply
	served map[string]int
	log    []string
}

func newFakeAPI(t *testing.T, routes map[string][]reply) *fakeAPI {
	t.Helper()
	f := &fakeAPI{t: t, routes: routes, served: map[string]int{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeAPI) base() string { return f.srv.URL + "/v3" }

func (f *fakeAPI) requests() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.log...)
}

func (f *fakeAPI) serve(w http.ResponseWriter, r *http.Request) {
	uri := r.URL.RequestURI()
	f.mu.Lock()
	f.log = append(f.log, uri)
	rs, ok := f.routes[uri]
	i := f.served[uri]
	f.served[uri]++
	f.mu.Unlock()
	if !ok {
		f.t.Errorf("unexpected request %s", uri)
		http.NotFound(w, r)
		return
	}
	if r.Header.Get("User-Agent") == "" {
		f.t.Errorf("%s: no User-Agent", uri)
	}
	rep := rs[min(i, len(rs)-1)]
	body := []byte(rep.body)
	if rep.file != "" {
		b, err := os.ReadFile(filepath.Join("testdata", rep.file))
		if err != nil {
			f.t.Errorf("fixture: %v", err)
		}
		body = b
	}
	body = []byte(strings.ReplaceAll(string(body), recordedBase, f.base()))
	for k, v := range rep.header {
		w.Header().Set(k, v)
	}
	w.Header().Set("Content-Type", "application/json")
	if rep.status != 0 {
		w.WriteHeader(rep.status)
	}
	w.Write(body)
}

// fakeClock is the client's clock and sleep. With advance set, a sleep
// moves the clock on (a single caller's view of time); without it the
// clock stands still and sleeps are only recorded (to see how the limiter
// spaces concurrent callers).
type fakeClock struct {
	mu      sync.Mutex
	t       time.Time
	advance bool
	sleeps  []time.Duration
	onSleep func(d time.Duration) // called outside the lock
}

// testNow has nanoseconds so that FetchedAt's truncation shows.
var testNow = time.Date(2026, 6, 15, 8, 0, 0, 123456789, time.UTC)

func newFakeClock(advance bool) *fakeClock { return &fakeClock{t: testNow, advance: advance} }

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	c.sleeps = append(c.sleeps, d)
	if c.advance {
		c.t = c.t.Add(d)
	}
	hook := c.onSleep
	c.mu.Unlock()
	if hook != nil {
		hook(d)
	}
	return ctx.Err()
}

func (c *fakeClock) recorded() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.sleeps...)
}

func (c *fakeClock) options() []Option {
	return []Option{WithClock(c.now), WithSleep(c.sleep)}
}

// dataURI is the request URI the client sends for a data query.
func dataURI(path string) string { return "/v3/data" + path + "?per_page=5000" }

func ok(file string) []reply { return []reply{{file: file}} }
