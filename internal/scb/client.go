// Package scb is a client for Statistics Sweden's statistical database:
// PxWebApi 2.0 (primary) and the older v1 API (SCB keeps it through 2026).
//
// It follows what is known of SCB's API and its pitfalls: read /config once
// and stay under its limits and under SCB's published ten calls per ten
// seconds;
// always send a selection for every variable, because a query that leaves
// one out gets SCB's default selection, which may silently drop a
// dimension; count cells and split a query that is too large; keep status
// symbols raw and never turn a missing figure ("..") into 0.
//
// Fetch turns an indicator source reference ("scb:TAB4823+TAB6645?…") into
// observations per organisation, year and gender; the lower layers (Table,
// Data, V1Data, DecodeJSONStat) are usable on their own.
package scb

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/inkludera/inkludera/internal/strategy"
)

// DefaultBaseURL is SCB's PxWebApi 2.0.
const DefaultBaseURL = "https://statistikdatabasen.scb.se/api/v2"

// DefaultV1BaseURL is the Swedish-language root of SCB's v1 API; table
// paths such as BE/BE0101/BE0101E/InrUtrFoddaRegAlKon go below it.
const DefaultV1BaseURL = "https://api.scb.se/OV0104/v1/doris/sv/ssd"

// SCB's own page promises no more than ten calls per ten seconds, fewer
// than /config has advertised (30 per 10 s); we never exceed either.
const (
	capCalls  = 10
	capWindow = 10 * time.Second
	// fallbackMaxCells is used when /config cannot be read; SCB's page
	// gives 100 000 values per call as the limit.
	fallbackMaxCells = 100_000
	// maxRetries bounds retries after 429 and 502/503/504.
	maxRetries = 3
	// maxRetryAfter is the longest Retry-After we wait out; a longer one
	// is returned as an error instead of stalling the caller.
	maxRetryAfter = 2 * time.Minute
	// maxBody bounds a response body (150 000 cells of json-stat2 is
	// about 2 MB).
	maxBody = 64 << 20
)

// Client talks to SCB. It is safe for concurrent use; calls are rate
// limited together. It reads /config once and caches table metadata for
// its lifetime, so make a new Client to see a table's new metadata.
type Client struct {
	base, v1base string
	lang         string
	hc           *http.Client
	now          func() time.Time
	sleep        func(context.Context, time.Duration) error
	maxCellsOpt  int
	lim          *limiter

	mu        sync.Mutex
	cfg       *Config // nil until read
	cfgErr    error   // why the fallback config is in use, if it is
	v1Max     int     // v1 maxValues, 0 until read
	tables    map[string]*Table
	userAgent string
}

// Option configures a Client.
type Option func(*Client)

// WithHTTPClient sets the HTTP client (default: one with a 60 s timeout).
func WithHTTPClient(hc *http.Client) Option { return func(c *Client) { c.hc = hc } }

// WithV1BaseURL sets the root of the v1 API (default DefaultV1BaseURL).
func WithV1BaseURL(u string) Option {
	return func(c *Client) { c.v1base = strings.TrimRight(u, "/") }
}

// WithLanguage sets the v2 language, "sv" (default) or "en". The v1 root
// carries its language in the path.
func WithLanguage(lang string) Option { return func(c *Client) { c.lang = lang } }

// WithClock replaces the clock and the sleep used for rate limiting and
// Retry-After, so tests run on fake time. sleep must return early with
// ctx.Err() when ctx ends.
func WithClock(now func() time.Time, sleep func(ctx context.Context, d time.Duration) error) Option {
	return func(c *Client) { c.now, c.sleep = now, sleep }
}

// WithMaxCells lowers the number of cells asked for per call below the
// server's maxDataCells.
func WithMaxCells(n int) Option { return func(c *Client) { c.maxCellsOpt = n } }

// New returns a client for the PxWebApi 2.0 at baseURL ("" means
// DefaultBaseURL).
func New(baseURL string, opts ...Option) *Client {
	if baseURL == "" {
		baseURL = DefaultBaseURL
	}
	c := &Client{
		base:      strings.TrimRight(baseURL, "/"),
		v1base:    DefaultV1BaseURL,
		lang:      "sv",
		hc:        &http.Client{Timeout: 60 * time.Second},
		now:       time.Now,
		sleep:     sleepCtx,
		lim:       newLimiter(capCalls, capWindow),
		tables:    map[string]*Table{},
		userAgent: "inkludera (+https://github.com/inkludera/inkludera)",
	}
	for _, o := range opts {
		o(c)
	}
	return c
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Config is the server's /config: its limits and formats.
type Config struct {
	APIVersion            string   `json:"apiVersion"`
	DefaultLanguage       string   `json:"defaultLanguage"`
	MaxDataCells          int      `json:"maxDataCells"`
	MaxCallsPerTimeWindow int      `json:"maxCallsPerTimeWindow"`
	TimeWindow            int      `json:"timeWindow"` // seconds
	DefaultDataFormat     string   `json:"defaultDataFormat"`
	DataFormats           []string `json:"dataFormats"`
	License               string   `json:"license"`
}

// Config returns the server's /config, reading it on the first call only.
// Reading it also tightens the rate limit to the config's when that is
// stricter than ten calls per ten seconds (an installation that reports 0
// has no limit of its own and keeps ours).
func (c *Client) Config(ctx context.Context) (Config, error) {
	c.mu.Lock()
	if c.cfg != nil && c.cfgErr == nil {
		cfg := *c.cfg
		c.mu.Unlock()
		return cfg, nil
	}
	c.mu.Unlock()
	body, err := c.do(ctx, http.MethodGet, c.base+"/config", nil)
	if err != nil {
		return Config{}, err
	}
	var cfg Config
	if err := json.Unmarshal(body, &cfg); err != nil {
		return Config{}, fmt.Errorf("scb: /config: %w", err)
	}
	c.mu.Lock()
	c.cfg, c.cfgErr = &cfg, nil
	c.mu.Unlock()
	if cfg.MaxCallsPerTimeWindow > 0 && cfg.TimeWindow > 0 {
		c.lim.add(cfg.MaxCallsPerTimeWindow, configWindow(cfg.TimeWindow))
	}
	return cfg, nil
}

// configWindow is a config's time window of seconds as a Duration, at most
// maxRetryAfter: obeying a longer one (or one whose seconds overflow a
// Duration) would stall a fetch longer than the client waits for any
// Retry-After.
func configWindow(seconds int) time.Duration {
	if seconds > int(maxRetryAfter/time.Second) {
		return maxRetryAfter
	}
	return time.Duration(seconds) * time.Second
}

// maxCells returns the cells allowed per v2 call, reading /config if it has
// not been read. An unreadable /config is not fatal: the client falls back
// to SCB's published 100 000 and the default rate limit, and says so via
// configWarning.
func (c *Client) maxCells(ctx context.Context) (int, error) {
	c.mu.Lock()
	cfg := c.cfg
	c.mu.Unlock()
	if cfg == nil {
		got, err := c.Config(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return 0, ctx.Err()
			}
			got = Config{MaxDataCells: fallbackMaxCells}
			c.mu.Lock()
			c.cfg, c.cfgErr = &got, err
			c.mu.Unlock()
		}
		cfg = &got
	}
	n := cfg.MaxDataCells
	if n <= 0 {
		n = fallbackMaxCells
	}
	if c.maxCellsOpt > 0 && c.maxCellsOpt < n {
		n = c.maxCellsOpt
	}
	return n, nil
}

func (c *Client) configWarning() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cfgErr == nil {
		return ""
	}
	return fmt.Sprintf("SCB /config could not be read (%v); using at most %d cells and %d calls per %s", c.cfgErr, fallbackMaxCells, capCalls, capWindow)
}

// APIError is an error answer from SCB. v2 answers with
// application/problem+json, whose title carries the message ("Missing
// selection for mandantory variable", SCB's spelling).
type APIError struct {
	Method     string
	URL        string
	StatusCode int
	Type       string // problem type, e.g. "Parameter error"
	Title      string
	Detail     string
	Body       string // start of the body when it was not problem+json
}

func (e *APIError) Error() string {
	msg := e.Title
	if e.Detail != "" && !strings.EqualFold(e.Detail, e.Title) {
		if msg != "" {
			msg += ": "
		}
		msg += e.Detail
	}
	if msg == "" {
		msg = e.Body
	}
	if msg == "" {
		msg = http.StatusText(e.StatusCode)
	}
	return fmt.Sprintf("scb: %s %s: HTTP %d: SCB says %q", e.Method, e.URL, e.StatusCode, msg)
}

// IsTooManyCells reports whether err is SCB refusing a query for its size:
// 403 (PxWebApi spec, SCB's page) or a 400 titled "Too many cells
// selected" (seen on other PxWeb installations).
func IsTooManyCells(err error) bool {
	var ae *APIError
	if !errors.As(err, &ae) {
		return false
	}
	if ae.StatusCode == http.StatusForbidden {
		return true
	}
	text := strings.ToLower(ae.Title + " " + ae.Detail + " " + ae.Body)
	return ae.StatusCode == http.StatusBadRequest && strings.Contains(text, "too many cells")
}

// invalid is an error in what the caller asked for — a reference or a
// selection that does not fit the table. It is a strategy.Error with
// CodeInvalid, so its message reaches the user who wrote the reference.
func invalid(format string, args ...any) error {
	return strategy.Errorf(strategy.CodeInvalid, format, args...)
}

type counterKey struct{}

// withCounter makes every HTTP request under ctx count into n, so Fetch
// can report how many calls it cost even when calls run concurrently.
func withCounter(ctx context.Context, n *atomic.Int64) context.Context {
	return context.WithValue(ctx, counterKey{}, n)
}

// do sends a request through the rate limiter and returns the body of a 2xx
// answer. 429 waits out Retry-After and 502/503/504 back off, both at most
// maxRetries times; any other error status becomes an *APIError.
func (c *Client) do(ctx context.Context, method, url string, body []byte) ([]byte, error) {
	for attempt := 0; ; attempt++ {
		if err := c.lim.wait(ctx, c.now, c.sleep); err != nil {
			return nil, err
		}
		var rd io.Reader
		if body != nil {
			rd = bytes.NewReader(body)
		}
		req, err := http.NewRequestWithContext(ctx, method, url, rd)
		if err != nil {
			return nil, fmt.Errorf("scb: %w", err)
		}
		req.Header.Set("Accept", "application/json")
		req.Header.Set("User-Agent", c.userAgent)
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		if n, ok := ctx.Value(counterKey{}).(*atomic.Int64); ok {
			n.Add(1)
		}
		resp, err := c.hc.Do(req)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, fmt.Errorf("scb: %s %s: %w", method, url, err)
		}
		data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
		resp.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("scb: %s %s: reading body: %w", method, url, err)
		}
		if len(data) > maxBody {
			return nil, fmt.Errorf("scb: %s %s: body larger than %d bytes", method, url, maxBody)
		}
		if resp.StatusCode/100 == 2 {
			return data, nil
		}
		apiErr := newAPIError(method, url, resp.StatusCode, data)
		var wait time.Duration
		switch resp.StatusCode {
		case http.StatusTooManyRequests:
			var ok bool
			wait, ok = retryAfter(resp.Header.Get("Retry-After"), c.now())
			if !ok {
				wait = capWindow // no hint: one whole window clears any count
			}
			if wait > maxRetryAfter {
				return nil, apiErr
			}
		case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
			wait = time.Second << attempt
			if ra, ok := retryAfter(resp.Header.Get("Retry-After"), c.now()); ok && ra <= maxRetryAfter {
				wait = ra
			}
		default:
			return nil, apiErr
		}
		if attempt >= maxRetries {
			return nil, apiErr
		}
		if err := c.sleep(ctx, wait); err != nil {
			return nil, err
		}
	}
}

func newAPIError(method, url string, status int, body []byte) *APIError {
	e := &APIError{Method: method, URL: url, StatusCode: status}
	var p struct {
		Type   string `json:"type"`
		Title  string `json:"title"`
		Detail string `json:"detail"`
	}
	if json.Unmarshal(body, &p) == nil && (p.Title != "" || p.Detail != "") {
		e.Type, e.Title, e.Detail = p.Type, p.Title, p.Detail
		return e
	}
	s := strings.TrimSpace(string(body))
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	e.Body = s
	return e
}

// retryAfter reads a Retry-After header: seconds or an HTTP date.
func retryAfter(h string, now time.Time) (time.Duration, bool) {
	h = strings.TrimSpace(h)
	if h == "" {
		return 0, false
	}
	if s, err := strconv.Atoi(h); err == nil && s >= 0 {
		return time.Duration(s) * time.Second, true
	}
	if t, err := http.ParseTime(h); err == nil {
		d := t.Sub(now)
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return 0, false
}

// limiter lets through at most n calls in any window of the given length,
// for every rule it holds (ours and the server's). It is a token bucket
// that remembers when its tokens were spent: a bucket that refills at a
// steady rate would allow a full bucket plus a window's refill — twice the
// limit — inside one window, and SCB counts calls per window.
type limiter struct {
	mu    sync.Mutex
	rules []rule
	times []time.Time // start of the most recent calls, oldest first
}

type rule struct {
	calls  int
	window time.Duration
}

func newLimiter(calls int, window time.Duration) *limiter {
	return &limiter{rules: []rule{{calls, window}}}
}

// add adds a rule; the limiter then obeys all of them.
func (l *limiter) add(calls int, window time.Duration) {
	if calls <= 0 || window <= 0 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.rules = append(l.rules, rule{calls, window})
}

// wait blocks until a call may start and records it.
func (l *limiter) wait(ctx context.Context, now func() time.Time, sleep func(context.Context, time.Duration) error) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		l.mu.Lock()
		t := now()
		var wait time.Duration
		keep := 0
		for _, r := range l.rules {
			keep = max(keep, r.calls)
			if len(l.times) >= r.calls {
				// The r.calls-th most recent call must be a whole window ago.
				if d := l.times[len(l.times)-r.calls].Add(r.window).Sub(t); d > wait {
					wait = d
				}
			}
		}
		if wait <= 0 {
			l.times = append(l.times, t)
			if len(l.times) > keep {
				l.times = append(l.times[:0], l.times[len(l.times)-keep:]...)
			}
			l.mu.Unlock()
			return nil
		}
		l.mu.Unlock()
		if err := sleep(ctx, wait); err != nil {
			return err
		}
	}
}
