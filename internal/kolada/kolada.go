// Package kolada is a client for the Kolada v3 API (RKA's key figures for
// Swedish municipalities and regions, https://api.kolada.se/v3).
//
// It returns Inkludera's own types: observations keyed by our
// organisation codes ("2380", "23", "00" — Kolada writes regions "0023" and
// riket "0000"), with missing values as nil, never 0, and Kolada's deleted
// rows as keys to delete. It follows next_url, keeps id lists within
// Kolada's limits, throttles itself to at most five requests a second,
// retries 429 and 5xx answers and splits batches Kolada refuses with 422.
//
// Raw values are shown with "Källa: Kolada"; the client never computes
// anything that would have to be labelled as our own processing.
package kolada

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"time"
)

// DefaultBaseURL is Kolada's v3 API. v2 answers 410 Gone since 2026.
const DefaultBaseURL = "https://api.kolada.se/v3"

const (
	// maxIDs is the longest comma list Kolada accepts in one path segment;
	// longer lists are answered with 422.
	maxIDs = 25
	// maxProduct bounds kpis × municipalities × years in one request. Kolada
	// has refused long combined lists with 422 although each list was
	// short; a refused batch is split anyway, this only avoids the round trip.
	maxProduct = 625
	// perPage is Kolada's default and maximum page size; above it, 422.
	perPage = 5000
	// maxPages stops a next_url chain that never ends.
	maxPages = 1000
	// maxBody bounds one response body; a full page is about 1 MB.
	maxBody = 64 << 20
	// maxRate is the ceiling of WithRate: other Kolada clients keep to 5/s.
	maxRate = 5.0
	// maxRetryAfter: a server asking us to wait longer than this is treated
	// as down rather than slept on.
	maxRetryAfter = 5 * time.Minute
	// maxBackoff caps the exponential backoff between attempts.
	maxBackoff = 30 * time.Second

	defaultMaxRetries = 4
	defaultUserAgent  = "Inkludera (+https://github.com/inkludera/inkludera)"
)

// Client talks to one Kolada v3 API. It is safe for concurrent use; the
// rate limit is shared by all calls on the same Client.
type Client struct {
	base       string // without a trailing slash
	http       *http.Client
	userAgent  string
	maxRetries int
	sleep      func(context.Context, time.Duration) error
	now        func() time.Time

	mu       sync.Mutex
	interval time.Duration // between two requests
	next     time.Time     // earliest start of the next request
}

// Option configures a Client.
type Option func(*Client)

// WithHTTPClient sets the HTTP client (timeouts, proxies, transports).
func WithHTTPClient(h *http.Client) Option {
	return func(c *Client) {
		if h != nil {
			c.http = h
		}
	}
}

// WithRate sets the most requests per second. Values above 5 or not above 0
// mean 5: Kolada documents no limit, and 5/s is what its other clients keep to.
func WithRate(perSecond float64) Option {
	return func(c *Client) {
		if perSecond <= 0 || perSecond > maxRate {
			perSecond = maxRate
		}
		c.interval = time.Duration(float64(time.Second) / perSecond)
	}
}

// WithMaxRetries sets how many times a request that failed with 429, 5xx
// or a network error is retried (default 4, so at most 5 attempts).
func WithMaxRetries(n int) Option {
	return func(c *Client) {
		if n >= 0 {
			c.maxRetries = n
		}
	}
}

// WithSleep replaces the wait used for throttling and backoff. It must
// return ctx.Err() when ctx ends first. Tests pass a recorder so that no
// wall time passes.
func WithSleep(sleep func(ctx context.Context, d time.Duration) error) Option {
	return func(c *Client) {
		if sleep != nil {
			c.sleep = sleep
		}
	}
}

// WithClock replaces time.Now: for the limiter, Retry-After dates,
// FetchedAt and whether a year is preliminary.
func WithClock(now func() time.Time) Option {
	return func(c *Client) {
		if now != nil {
			c.now = now
		}
	}
}

// WithUserAgent sets the User-Agent header, so that RKA can tell who calls.
func WithUserAgent(ua string) Option {
	return func(c *Client) {
		if ua != "" {
			c.userAgent = ua
		}
	}
}

// New returns a client for the API at baseURL ("" means DefaultBaseURL).
func New(baseURL string, opts ...Option) *Client {
	if baseURL == "" {
		baseURL = DefaultBaseURL
	}
	c := &Client{
		base:       strings.TrimRight(baseURL, "/"),
		http:       &http.Client{Timeout: 60 * time.Second},
		userAgent:  defaultUserAgent,
		maxRetries: defaultMaxRetries,
		sleep:      sleepContext,
		now:        time.Now,
		interval:   time.Duration(float64(time.Second) / maxRate),
	}
	for _, o := range opts {
		o(c)
	}
	return c
}

func sleepContext(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// fetchedAt is the provenance timestamp: UTC, to the microsecond, as the
// store keeps it.
func (c *Client) fetchedAt() time.Time { return c.now().UTC().Truncate(time.Microsecond) }
