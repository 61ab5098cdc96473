package kolada

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestRetry(t *testing.T) {
	uri := dataURI("/kpi/N00217/municipality/1280/year/2024")
	retryAt := testNow.Add(3 * time.Second).Format(http.TimeFormat)
	tooMany := func(ra string) reply {
		r := reply{status: 429, file: "error_429.json"}
		if ra != "" {
			r.header = map[string]string{"Retry-After": ra}
		}
		return r
	}
	good := reply{file: "data_t_only.json"}
	tests := []struct {
		name       string
		replies    []reply
		maxRetries int // 0: default
		wantSleeps []time.Duration
		wantErr    []string // parts of the error; nil: success
		requests   int
	}{
		{
			name:       "429 with Retry-After seconds",
			replies:    []reply{tooMany("2"), good},
			wantSleeps: []time.Duration{2 * time.Second},
			requests:   2,
		},
		{
			// The date is whole seconds; the clock has a fraction.
			name:       "429 with Retry-After HTTP date",
			replies:    []reply{tooMany(retryAt), good},
			wantSleeps: []time.Duration{3*time.Second - 123456789},
			requests:   2,
		},
		{
			name:       "503 without Retry-After backs off exponentially",
			replies:    []reply{{status: 503, body: "busy"}, {status: 502}, {status: 500}, good},
			wantSleeps: []time.Duration{time.Second, 2 * time.Second, 4 * time.Second},
			requests:   4,
		},
		{
			name:       "unreadable Retry-After falls back to backoff",
			replies:    []reply{tooMany("soon"), good},
			wantSleeps: []time.Duration{time.Second},
			requests:   2,
		},
		{
			name:       "5xx until attempts run out",
			replies:    []reply{{status: 500, body: `{"detail":"Internal Server Error"}`}},
			maxRetries: 2,
			wantSleeps: []time.Duration{time.Second, 2 * time.Second},
			wantErr:    []string{"giving up after 3 attempts", uri, "HTTP 500", "Internal Server Error"},
			requests:   3,
		},
		{
			name:     "404 fails at once",
			replies:  []reply{{status: 404, body: `{"detail":"Not Found"}`}},
			wantErr:  []string{uri, "HTTP 404"},
			requests: 1,
		},
		{
			name:     "410 of a retired version fails at once",
			replies:  []reply{{status: 410, body: `{"error": "This endpoint is deprecated. Please use /v3 instead."}`}},
			wantErr:  []string{"HTTP 410", "Please use /v3"},
			requests: 1,
		},
		{
			name:     "Retry-After beyond five minutes is not slept on",
			replies:  []reply{tooMany("3600")},
			wantErr:  []string{"retry after", "HTTP 429"},
			requests: 1,
		},
		{
			name:     "200 that is not JSON",
			replies:  []reply{{body: "<html>maintenance</html>"}},
			wantErr:  []string{uri, "decoding data page"},
			requests: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newFakeAPI(t, map[string][]reply{uri: tt.replies})
			clk := newFakeClock(true)
			opts := clk.options()
			if tt.maxRetries != 0 {
				opts = append(opts, WithMaxRetries(tt.maxRetries))
			}
			c := New(api.base(), opts...)
			q := Query{KPIs: []string{"N00217"}, Orgs: []string{"1280"}, Years: []int{2024}, Meta: map[string]KPI{}}
			res, err := c.Data(context.Background(), q)
			if tt.wantErr == nil {
				if err != nil {
					t.Fatal(err)
				}
				if len(res.Observations) != 1 || res.Requests != tt.requests {
					t.Errorf("%d observations, %d requests; want 1, %d", len(res.Observations), res.Requests, tt.requests)
				}
			} else {
				if err == nil {
					t.Fatal("no error")
				}
				if res == nil || res.Requests != tt.requests || len(res.Observations) != 0 {
					t.Errorf("failed call's result = %+v, want only %d requests", res, tt.requests)
				}
				for _, part := range tt.wantErr {
					if !strings.Contains(err.Error(), strings.Replace(part, "/v3", api.base(), 1)) && !strings.Contains(err.Error(), part) {
						t.Errorf("err %q lacks %q", err, part)
					}
				}
			}
			if n := len(api.requests()); n != tt.requests {
				t.Errorf("server saw %d requests, want %d", n, tt.requests)
			}
			// With the clock moving on during sleeps the limiter never has
			// to wait here: every sleep is a backoff.
			if got := clk.recorded(); !slices.Equal(got, tt.wantSleeps) {
				t.Errorf("sleeps = %v, want %v", got, tt.wantSleeps)
			}
		})
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 6, 15, 8, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		in   string
		want time.Duration
		ok   bool
	}{
		{"seconds", "7", 7 * time.Second, true},
		{"zero", "0", 0, true},
		{"negative", "-1", 0, false},
		{"date ahead", "Mon, 15 Jun 2026 08:00:10 GMT", 10 * time.Second, true},
		{"date passed", "Mon, 15 Jun 2026 07:00:00 GMT", 0, true},
		{"huge", "99999999999999999", maxRetryAfter + time.Second, true},
		{"garbage", "later", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := parseRetryAfter(tt.in, now)
			if got != tt.want || ok != tt.ok {
				t.Errorf("parseRetryAfter(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestCancel(t *testing.T) {
	tests := []struct {
		name   string
		before bool // cancel before the call
		want   int  // requests the server sees
	}{
		{"cancelled while waiting to retry", false, 1},
		{"cancelled before the call", true, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			uri := dataURI("/kpi/N00217/municipality/1280")
			api := newFakeAPI(t, map[string][]reply{uri: {{status: 503}}})
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if tt.before {
				cancel()
			}
			clk := newFakeClock(true)
			clk.onSleep = func(time.Duration) { cancel() }
			// The clock stands in for waiting; a cancel during the wait
			// must end the call, not be retried through.
			c := New(api.base(), WithClock(clk.now), WithSleep(func(ctx context.Context, d time.Duration) error {
				clk.sleep(ctx, d)
				return ctx.Err()
			}))
			_, err := c.Data(ctx, Query{KPIs: []string{"N00217"}, Orgs: []string{"1280"}, Meta: map[string]KPI{}})
			if !errors.Is(err, context.Canceled) {
				t.Errorf("err = %v, want context.Canceled", err)
			}
			if n := len(api.requests()); n != tt.want {
				t.Errorf("%d requests, want %d", n, tt.want)
			}
		})
	}
}

// TestThrottle runs concurrent calls on one client with a clock that
// stands still: the limiter must hand out slots one interval apart.
func TestThrottle(t *testing.T) {
	tests := []struct {
		name     string
		rate     float64 // 0: default
		interval time.Duration
	}{
		{"default 5/s", 0, 200 * time.Millisecond},
		{"slower 2/s", 2, 500 * time.Millisecond},
		{"faster than 5/s is capped", 50, 200 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Write([]byte(`{"values":[],"count":0,"next_url":null,"previous_url":null}`))
			}))
			defer srv.Close()
			clk := newFakeClock(false)
			opts := clk.options()
			if tt.rate != 0 {
				opts = append(opts, WithRate(tt.rate))
			}
			c := New(srv.URL+"/v3", opts...)
			const calls = 10
			var wg sync.WaitGroup
			errs := make(chan error, calls)
			for i := range calls {
				wg.Go(func() {
					_, err := c.Data(context.Background(), Query{KPIs: []string{"N02926"}, Years: []int{2000 + i}, Meta: map[string]KPI{}})
					errs <- err
				})
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Fatal(err)
				}
			}
			got := clk.recorded()
			slices.Sort(got)
			var want []time.Duration
			for i := 1; i < calls; i++ {
				want = append(want, time.Duration(i)*tt.interval)
			}
			if !slices.Equal(got, want) {
				t.Errorf("waits = %v, want %v", got, want)
			}
		})
	}
}

// TestThrottleIdle: slots are not saved up while idle (no burst after a
// pause), and a caller that comes late does not wait.
func TestThrottleIdle(t *testing.T) {
	clk := newFakeClock(false)
	c := New("", clk.options()...)
	ctx := context.Background()
	steps := []struct {
		name    string
		advance time.Duration // before the request
		wait    time.Duration
	}{
		{"first", 0, 0},
		{"second at once", 0, 200 * time.Millisecond},
		{"third at once", 0, 400 * time.Millisecond},
		{"after a pause", 10 * time.Second, 0},
		{"right after", 0, 200 * time.Millisecond},
		{"100 ms later", 100 * time.Millisecond, 300 * time.Millisecond},
	}
	for _, s := range steps {
		clk.mu.Lock()
		clk.t = clk.t.Add(s.advance)
		clk.sleeps = nil
		clk.mu.Unlock()
		if err := c.throttle(ctx); err != nil {
			t.Fatal(err)
		}
		var got time.Duration
		if r := clk.recorded(); len(r) == 1 {
			got = r[0]
		}
		if got != s.wait {
			t.Errorf("%s: waited %v, want %v", s.name, got, s.wait)
		}
	}
}

func TestOptions(t *testing.T) {
	var ua string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ua = r.Header.Get("User-Agent")
		w.Write([]byte(`{"values":[],"next_url":null}`))
	}))
	defer srv.Close()
	hc := &http.Client{Timeout: time.Second}
	c := New(srv.URL+"/v3/", WithHTTPClient(hc), WithUserAgent("Testkommun/1.0"), WithMaxRetries(0))
	if c.http != hc || c.base != srv.URL+"/v3" || c.maxRetries != 0 {
		t.Errorf("options not applied: %+v", c)
	}
	if _, err := c.Municipalities(context.Background()); err != nil {
		t.Fatal(err)
	}
	if ua != "Testkommun/1.0" {
		t.Errorf("User-Agent %q", ua)
	}
	if d := New(""); d.base != DefaultBaseURL || d.interval != 200*time.Millisecond || d.userAgent == "" {
		t.Errorf("defaults: %+v", d)
	}
}

func TestSleepContext(t *testing.T) {
	if err := sleepContext(context.Background(), time.Millisecond); err != nil {
		t.Errorf("sleep: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	start := time.Now()
	if err := sleepContext(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled sleep: %v", err)
	}
	if time.Since(start) > time.Second {
		t.Error("cancelled sleep waited")
	}
}

func TestBackoff(t *testing.T) {
	want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second, 30 * time.Second, 30 * time.Second, 30 * time.Second}
	for i, w := range want {
		if got := backoff(i); got != w {
			t.Errorf("backoff(%d) = %v, want %v", i, got, w)
		}
	}
	if got := backoff(100); got != maxBackoff {
		t.Errorf("backoff(100) = %v", got)
	}
}

func TestNetworkErrorRetried(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	base := srv.URL + "/v3"
	srv.Close() // connections are now refused
	clk := newFakeClock(true)
	c := New(base, append(clk.options(), WithMaxRetries(2))...)
	_, err := c.KPIs(context.Background(), "N02926")
	if err == nil || !strings.Contains(err.Error(), "giving up after 3 attempts") || !strings.Contains(err.Error(), base+"/kpi/N02926") {
		t.Errorf("err = %v", err)
	}
	if got := clk.recorded(); !slices.Equal(got, []time.Duration{time.Second, 2 * time.Second}) {
		t.Errorf("sleeps = %v", got)
	}
}

func TestRelativeNextURL(t *testing.T) {
	api := newFakeAPI(t, map[string][]reply{
		"/v3/municipality?per_page=5000":        {{body: `{"values":[{"id":"2380","title":"Östersund","type":"K"}],"count":1,"next_url":"/v3/municipality?page=2&per_page=5000"}`}},
		"/v3/municipality?page=2&per_page=5000": {{body: `{"values":[{"id":"0000","title":"Riket","type":"L"}],"count":1,"next_url":null}`}},
	})
	clk := newFakeClock(true)
	ms, err := New(api.base(), clk.options()...).Municipalities(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 2 || ms[1].Code != "00" {
		t.Errorf("got %+v", ms)
	}
}
