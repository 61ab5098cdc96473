package web

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClock is a clock that moves only when told.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// newRateEnv is a test server whose API allows reads at 2 a second, 3 at
// once, and writes at 1 a second, 2 at once, on a fake clock.
func newRateEnv(t *testing.T) (*testEnv, *fakeClock) {
	t.Helper()
	st := newTestStore(t)
	storeTestUsers(t, st)
	e := newTestEnvWith(t, st, WithAPIRateLimit(APIRateLimit{Read: Rate{PerSecond: 2, Burst: 3}, Write: Rate{PerSecond: 1, Burst: 2}}))
	clock := &fakeClock{t: time.Date(2026, 3, 15, 12, 0, 0, 0, time.UTC)}
	l := e.h.(*Handler).s.apiLimits
	l.read.now, l.write.now = clock.Now, clock.Now
	return e, clock
}

// apiFrom sends an API request from an address, as the public or as a user.
func (e *testEnv) apiFrom(t *testing.T, method, path, addr string, as *struct{ id int64 }) (*http.Response, string) {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader("{}"))
	req.RemoteAddr = addr
	if as != nil {
		u := *testAdmin
		u.ID = as.id
		req = req.WithContext(withUser(req.Context(), &u, addr, "api"))
	}
	return e.send(t, req)
}

// TestAPIRateLimit: a client gets its burst, then 429 with Retry-After
// and the API's error body, then a request again once the bucket has
// refilled; other clients, and the same client's writes, are counted
// apart.
func TestAPIRateLimit(t *testing.T) {
	e, clock := newRateEnv(t)
	const path = "/api/v1/organisations"
	const alice = "198.51.100.1:5000"
	for i := range 3 {
		res, _ := e.apiFrom(t, "GET", path, alice, nil)
		if res.StatusCode != 200 {
			t.Fatalf("request %d of the burst: status %d", i+1, res.StatusCode)
		}
		if got, want := res.Header.Get("RateLimit-Remaining"), strconv.Itoa(2-i); got != want || res.Header.Get("RateLimit-Limit") != "3" {
			t.Errorf("request %d: RateLimit-Remaining %q, want %s; RateLimit-Limit %q", i+1, got, want, res.Header.Get("RateLimit-Limit"))
		}
	}
	res, body := e.apiFrom(t, "GET", path, alice, nil)
	if res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("after the burst: status %d, want 429", res.StatusCode)
	}
	if got := decode[apiError](t, body); got.Code != "too_many_requests" || !strings.Contains(got.Message, "Try again in 1 s") {
		t.Errorf("429 body %s", body)
	}
	// Half a second makes a token at 2 a second; Retry-After rounds up.
	if res.Header.Get("Retry-After") != "1" || res.Header.Get("RateLimit-Remaining") != "0" || res.Header.Get("RateLimit-Reset") != "2" {
		t.Errorf("429 headers: Retry-After %q, RateLimit-Remaining %q, RateLimit-Reset %q",
			res.Header.Get("Retry-After"), res.Header.Get("RateLimit-Remaining"), res.Header.Get("RateLimit-Reset"))
	}
	if !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		t.Errorf("429 Content-Type %q", res.Header.Get("Content-Type"))
	}
	if !strings.Contains(e.log.String(), `"msg":"API rate limit reached"`) {
		t.Error("the refusal is not logged")
	}

	// Others are not affected: another address, a user (even at the same
	// address), and the same client's writes.
	if res, _ := e.apiFrom(t, "GET", path, "198.51.100.2:5000", nil); res.StatusCode != 200 {
		t.Errorf("another address: status %d", res.StatusCode)
	}
	if res, _ := e.apiFrom(t, "GET", path, alice, &struct{ id int64 }{1}); res.StatusCode != 200 {
		t.Errorf("a user at the same address: status %d", res.StatusCode)
	}
	if res, _ := e.apiFrom(t, "POST", "/api/v1/documents", alice, nil); res.StatusCode == http.StatusTooManyRequests {
		t.Error("a write counted against the reads")
	}
	// An IPv6 client's whole /64 is one client.
	e.apiFrom(t, "GET", path, "[2001:db8::1]:5000", nil)
	e.apiFrom(t, "GET", path, "[2001:db8::2]:5000", nil)
	e.apiFrom(t, "GET", path, "[2001:db8::3]:5000", nil)
	if res, _ := e.apiFrom(t, "GET", path, "[2001:db8::4]:5000", nil); res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("the fourth address of one /64: status %d, want 429", res.StatusCode)
	}

	clock.Advance(499 * time.Millisecond)
	if res, _ := e.apiFrom(t, "GET", path, alice, nil); res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("before the refill: status %d, want 429", res.StatusCode)
	}
	clock.Advance(time.Millisecond)
	if res, _ := e.apiFrom(t, "GET", path, alice, nil); res.StatusCode != 200 {
		t.Errorf("after the refill: status %d, want 200", res.StatusCode)
	}
	if res, _ := e.apiFrom(t, "GET", path, alice, nil); res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("one token came back, not two: status %d, want 429", res.StatusCode)
	}
	clock.Advance(time.Hour) // full again, not fuller
	for i := range 4 {
		res, _ := e.apiFrom(t, "GET", path, alice, nil)
		if want := map[bool]int{true: 200, false: 429}[i < 3]; res.StatusCode != want {
			t.Errorf("after an hour, request %d: status %d, want %d", i+1, res.StatusCode, want)
		}
	}
}

// TestAPIRateLimitWrites: writes have their own, smaller bucket.
func TestAPIRateLimitWrites(t *testing.T) {
	e, clock := newRateEnv(t)
	const bob = "198.51.100.9:5000"
	user := &struct{ id int64 }{1}
	for i := range 2 {
		if res, body := e.apiFrom(t, "PUT", "/api/v1/documents/stromsund-program", bob, user); res.StatusCode == http.StatusTooManyRequests {
			t.Fatalf("write %d of the burst: %s", i+1, body)
		}
	}
	res, _ := e.apiFrom(t, "DELETE", "/api/v1/documents/stromsund-program/areas/arbete", bob, user)
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") != "1" || res.Header.Get("RateLimit-Limit") != "2" {
		t.Errorf("third write: status %d, Retry-After %q, RateLimit-Limit %q", res.StatusCode, res.Header.Get("Retry-After"), res.Header.Get("RateLimit-Limit"))
	}
	if res, _ := e.apiFrom(t, "GET", "/api/v1/organisations", bob, user); res.StatusCode != 200 {
		t.Errorf("a read after the writes ran out: status %d", res.StatusCode)
	}
	clock.Advance(time.Second)
	if res, _ := e.apiFrom(t, "PUT", "/api/v1/documents/stromsund-program", bob, user); res.StatusCode == http.StatusTooManyRequests {
		t.Error("a write after a second: 429")
	}
}

// TestAPIRateLimitOnlyAPI: pages, the page cache, static files and the
// health check are never limited, and with the limit off the API is not
// either.
func TestAPIRateLimitOnlyAPI(t *testing.T) {
	e, _ := newRateEnv(t)
	for _, path := range []string{"/", "/portal", "/portal/2313", "/static/style.css", "/healthz", "/sitemap.xml", "/oembed?url=/portal/2313/dokument/stromsund-program"} {
		for i := range 10 {
			res, _ := e.apiFrom(t, "GET", path, "198.51.100.1:5000", nil)
			if res.StatusCode == http.StatusTooManyRequests || res.Header.Get("RateLimit-Limit") != "" {
				t.Fatalf("%s, request %d: status %d, RateLimit-Limit %q", path, i+1, res.StatusCode, res.Header.Get("RateLimit-Limit"))
			}
		}
	}
	off := newTestEnvWith(t, newTestStore(t), WithAPIRateLimit(APIRateLimit{}))
	for i := range 100 {
		res, _ := off.apiFrom(t, "GET", "/api/v1/organisations", "198.51.100.1:5000", nil)
		if res.StatusCode != 200 || res.Header.Get("RateLimit-Limit") != "" {
			t.Fatalf("limit off, request %d: status %d, RateLimit-Limit %q", i+1, res.StatusCode, res.Header.Get("RateLimit-Limit"))
		}
	}
}

// TestRateBucketsBounded: buckets that have filled up again are
// forgotten, and however many clients come, no more than maxClients
// buckets are kept.
func TestRateBucketsBounded(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 3, 15, 12, 0, 0, 0, time.UTC)}
	b := newBuckets(Rate{PerSecond: 10, Burst: 5})
	b.now = clock.Now
	for i := range 1000 {
		b.take("client " + strconv.Itoa(i))
	}
	b.take("busy")
	if b.size() != 1001 {
		t.Fatalf("%d buckets, want 1001", b.size())
	}
	// After the sweep interval every bucket is full again but the one
	// that keeps being used.
	for step := time.Duration(0); step < sweepEvery; step += 100 * time.Millisecond {
		clock.Advance(100 * time.Millisecond) // a token for the busy client, which takes two
		b.take("busy")
		b.take("busy")
	}
	if b.size() != 1 {
		t.Errorf("%d buckets after the idle ones refilled, want 1 (the busy one)", b.size())
	}
	if v := b.take("busy"); v.allowed {
		t.Error("the busy client's bucket was forgotten while empty")
	}

	// A flood of new clients within the interval: still bounded.
	for i := range maxClients + 5000 {
		b.take("flood " + strconv.Itoa(i))
	}
	if n := b.size(); n > maxClients {
		t.Errorf("%d buckets, more than maxClients %d", n, maxClients)
	}
}
