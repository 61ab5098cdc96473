package scb

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/inkludera/inkludera/internal/scb/scbtest"
)

func TestConfigRealFixture(t *testing.T) {
	f := scbtest.NewServer(t)
	c := testClient(f)
	ctx := context.Background()
	cfg, err := c.Config(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := Config{
		APIVersion: "2.2.0", DefaultLanguage: "sv", MaxDataCells: 150000,
		MaxCallsPerTimeWindow: 3, TimeWindow: 1, DefaultDataFormat: "json-stat2",
		DataFormats: []string{"json-stat2", "csv", "px", "xlsx", "html", "json-px"},
		License:     "https://creativecommons.org/share-your-work/public-domain/cc0/",
	}
	if !reflect.DeepEqual(cfg, want) {
		t.Errorf("config = %+v\nwant %+v", cfg, want)
	}
	if _, err := c.Config(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(f.Requests()); n != 1 {
		t.Errorf("%d requests, want /config read once", n)
	}
	if n, _ := c.maxCells(ctx); n != 150000 {
		t.Errorf("max cells %d", n)
	}
	if n, _ := testClient(f, WithMaxCells(500)).maxCells(ctx); n != 500 {
		t.Errorf("WithMaxCells: %d", n)
	}
}

func TestConfigUnreadableFallsBack(t *testing.T) {
	f := scbtest.NewServer(t, scbtest.WithHook(func(w http.ResponseWriter, r *http.Request, n int) bool {
		if r.URL.Path == "/api/v2/config" {
			http.Error(w, "gone", http.StatusNotFound)
			return true
		}
		return false
	}))
	c := testClient(f)
	ref, _ := ParseRef("scb:TAB4823?Fodelseregion=11&Alder=0&ContentsCode=000001N6")
	res, err := c.Fetch(context.Background(), ref, []string{"2380"}, []int{2024})
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := c.maxCells(context.Background()); n != fallbackMaxCells {
		t.Errorf("max cells %d", n)
	}
	if !hasWarning(res.Warnings, "/config could not be read") {
		t.Errorf("warnings %q", res.Warnings)
	}
}

// callTimes fetches n times (data calls are never cached) and returns when
// the server saw each call.
func callTimes(t *testing.T, f *scbtest.Server, c *Client, n int) []time.Time {
	t.Helper()
	ctx := context.Background()
	for range n {
		if _, err := c.Data(ctx, "TAB4823", Selection{"Region": {"2380"}, "Tid": {"2024"}}); err != nil {
			t.Fatal(err)
		}
	}
	var at []time.Time
	for _, r := range f.Requests() {
		at = append(at, r.At)
	}
	return at
}

// maxInWindow is the most calls seen in any window [t, t+w).
func maxInWindow(at []time.Time, w time.Duration) int {
	most := 0
	for i := range at {
		n := 0
		for j := i; j < len(at) && at[j].Sub(at[i]) < w; j++ {
			n++
		}
		most = max(most, n)
	}
	return most
}

func TestRateLimit(t *testing.T) {
	tests := []struct {
		name   string
		config string
		calls  int
		rules  []rule // must each hold over the recorded times
		// nth call (0-based) that must be the first to wait for a
		// window to pass, and how far from the first call it lands.
		nth   int
		nthAt time.Duration
	}{
		{
			name:   "SCB's 3 calls per second: capped at 10 per 10 s",
			config: "", // the real fixture
			calls:  25,
			rules:  []rule{{10, 10 * time.Second}, {3, time.Second}},
			nth:    10, nthAt: 10 * time.Second,
		},
		{
			name:   "stricter config: 2 calls per 10 s",
			config: `{"maxDataCells":150000,"maxCallsPerTimeWindow":2,"timeWindow":10}`,
			calls:  7,
			rules:  []rule{{2, 10 * time.Second}},
			nth:    2, nthAt: 10 * time.Second,
		},
		{
			name:   "installation with no limit of its own (0): ours",
			config: `{"maxDataCells":800000,"maxCallsPerTimeWindow":0,"timeWindow":0}`,
			calls:  21,
			rules:  []rule{{10, 10 * time.Second}},
			nth:    20, nthAt: 20 * time.Second,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var opts []scbtest.Option
			if tc.config != "" {
				opts = append(opts, scbtest.WithConfig(tc.config))
			}
			f := scbtest.NewServer(t, opts...)
			at := callTimes(t, f, testClient(f), tc.calls)
			for _, r := range tc.rules {
				if got := maxInWindow(at, r.window); got > r.calls {
					t.Errorf("%d calls within %s, limit %d", got, r.window, r.calls)
				}
			}
			if got := at[tc.nth].Sub(at[0]); got != tc.nthAt {
				t.Errorf("call %d at +%s, want +%s", tc.nth, got, tc.nthAt)
			}
			if f.Clock.Slept() == 0 {
				t.Error("never waited")
			}
		})
	}
}

func TestLimiterRespectsContext(t *testing.T) {
	clock := scbtest.NewClock()
	l := newLimiter(1, time.Minute)
	ctx, cancel := context.WithCancel(context.Background())
	if err := l.wait(ctx, clock.Now, clock.Sleep); err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := l.wait(ctx, clock.Now, clock.Sleep); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestRetryAfter429(t *testing.T) {
	tests := []struct {
		name       string
		failures   int    // 429s before success
		retryAfter string // header value
		wantErr    string
		wantSlept  time.Duration // sleeps spent on 429s
	}{
		{"two 429s then data", 2, "7", "", 14 * time.Second},
		{"HTTP date", 1, "Mon, 02 Mar 2026 07:00:30 GMT", "", 30*time.Second - 123456789}, // the fake clock is at 07:00:00.123456789 UTC
		{"no header: one window", 1, "", "", 10 * time.Second},
		{"always 429: bounded retries", 100, "1", "HTTP 429", 3 * time.Second},
		{"Retry-After too long: no wait", 1, "3600", "HTTP 429", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := scbtest.NewServer(t)
			// SCB's 429 problem+json, with the header.
			fault := f.Fail(scbtest.Failure{Data: true, Status: http.StatusTooManyRequests, Times: tc.failures, RetryAfter: tc.retryAfter})
			c := testClient(f)
			ctx := context.Background()
			if _, err := c.Table(ctx, "TAB4823"); err != nil { // metadata outside the count
				t.Fatal(err)
			}
			if _, err := c.Config(ctx); err != nil {
				t.Fatal(err)
			}
			before := f.Clock.Slept()
			ds, err := c.Data(ctx, "TAB4823", Selection{"Region": {"2380"}, "Tid": {"2024"}})
			if tc.wantErr != "" {
				var ae *APIError
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !errors.As(err, &ae) || ae.Title != "Too many requests" {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
			} else if err != nil || len(ds.Cells) != 16 {
				t.Fatalf("err = %v", err)
			}
			// The limiter may add its own waits; the 429 waits are exact.
			slept := f.Clock.Slept() - before
			if slept < tc.wantSlept || slept > tc.wantSlept+10*time.Second {
				t.Errorf("slept %s, want %s (+ limiter)", slept, tc.wantSlept)
			}
			if failed := fault.Count(); tc.wantErr != "" && tc.failures == 100 && failed != maxRetries+1 {
				t.Errorf("%d attempts, want %d", failed, maxRetries+1)
			}
		})
	}
}

func TestRetryServerErrors(t *testing.T) {
	tests := []struct {
		name     string
		status   int
		failures int
		wantErr  string
		attempts int
	}{
		{"503 then data", http.StatusServiceUnavailable, 2, "", 3},
		{"502 until we give up", http.StatusBadGateway, 100, "HTTP 502", maxRetries + 1},
		{"500 is not retried", http.StatusInternalServerError, 100, "HTTP 500", 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := scbtest.NewServer(t)
			// A bare status without a body, as SCB answers a 5xx.
			f.Fail(scbtest.Failure{Data: true, Status: tc.status, Times: tc.failures})
			_, err := testClient(f).Data(context.Background(), "TAB4823", Selection{"Region": {"2380"}})
			if (err == nil) != (tc.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tc.wantErr)) {
				t.Fatalf("err = %v, want %q", err, tc.wantErr)
			}
			if attempts := len(f.DataRequests()); attempts != tc.attempts {
				t.Errorf("%d attempts, want %d", attempts, tc.attempts)
			}
		})
	}
}

func TestErrorMissingSelection400(t *testing.T) {
	f := scbtest.NewServer(t)
	// SCB's problem+json for a missing mandatory variable.
	f.Fail(scbtest.Failure{Data: true, Status: http.StatusBadRequest})
	_, err := testClient(f).Data(context.Background(), "TAB4823", nil)
	var ae *APIError
	if !errors.As(err, &ae) || ae.StatusCode != 400 || ae.Type != "Parameter error" {
		t.Fatalf("err = %#v", err)
	}
	msg := err.Error()
	for _, want := range []string{"HTTP 400", `SCB says "Missing selection for mandantory variable"`, "/tables/TAB4823/data"} {
		if !strings.Contains(msg, want) {
			t.Errorf("%q lacks %q", msg, want)
		}
	}
	if IsTooManyCells(err) {
		t.Error("a missing selection is not too many cells")
	}
	if got := len(f.DataRequests()); got != 1 {
		t.Errorf("%d data calls, want 1 (a 400 is not retried)", got)
	}
}

func TestErrorNotProblemJSON(t *testing.T) {
	f := scbtest.NewServer(t)
	_, err := testClient(f).Table(context.Background(), "TAB0000")
	if err == nil || !strings.Contains(err.Error(), "HTTP 404") {
		t.Fatalf("err = %v", err)
	}
	_, err = testClient(f).V1Table(context.Background(), "BE/BE0101/Nothing")
	var ae *APIError
	if !errors.As(err, &ae) || ae.StatusCode != 404 || !strings.Contains(ae.Body, "not found") {
		t.Fatalf("err = %#v", err)
	}
}

func TestIsTooManyCells(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"403", &APIError{StatusCode: 403}, true},
		{"400 too many cells", &APIError{StatusCode: 400, Title: "Too many cells selected"}, true},
		{"400 other", &APIError{StatusCode: 400, Title: "Non-existent value"}, false},
		{"not an API error", errors.New("too many cells"), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := IsTooManyCells(tc.err); got != tc.want {
				t.Errorf("got %v", got)
			}
		})
	}
}

func TestContextCancelled(t *testing.T) {
	f := scbtest.NewServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := testClient(f).Data(ctx, "TAB4823", nil)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v", err)
	}
	if n := len(f.Requests()); n != 0 {
		t.Errorf("%d requests after cancel", n)
	}
}
