package kolada

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// HTTPError is an answer other than 2xx. Kolada's 422 (id lists too long)
// and 410 (retired API version) arrive as this.
type HTTPError struct {
	URL        string
	StatusCode int
	Body       string // the start of the body, for the log
	retryAfter string // the Retry-After header, if any
}

// Error names the URL and the status, so a failed source run says which
// request failed and how.
func (e *HTTPError) Error() string {
	msg := fmt.Sprintf("kolada: GET %s: HTTP %d %s", e.URL, e.StatusCode, http.StatusText(e.StatusCode))
	if e.Body != "" {
		msg += ": " + e.Body
	}
	return msg
}

// call is the bookkeeping of one public method call: requests made and
// warnings collected.
type call struct {
	requests int
	warnings []string
	seen     map[string]bool
}

// maxWarnings keeps a hostile or badly broken answer from flooding a run
// record with warnings.
const maxWarnings = 100

func (st *call) warn(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if st.seen == nil {
		st.seen = map[string]bool{}
	}
	if st.seen[msg] {
		return
	}
	st.seen[msg] = true
	switch n := len(st.warnings); {
	case n < maxWarnings:
		st.warnings = append(st.warnings, msg)
	case n == maxWarnings:
		st.warnings = append(st.warnings, "kolada: further warnings left out")
	}
}

// throttle waits for the request's slot. Slots are spaced by the interval,
// so no one-second window holds more than the rate, however many
// goroutines share the client (a bucket of depth one: no bursts).
func (c *Client) throttle(ctx context.Context) error {
	c.mu.Lock()
	now := c.now()
	slot := c.next
	if slot.Before(now) {
		slot = now
	}
	c.next = slot.Add(c.interval)
	c.mu.Unlock()
	if d := slot.Sub(now); d > 0 {
		return c.sleep(ctx, d)
	}
	return ctx.Err()
}

// get fetches u, retrying 429, 5xx and network errors with exponential
// backoff (or the server's Retry-After). It returns the body and when it
// arrived.
func (c *Client) get(ctx context.Context, st *call, u string) ([]byte, time.Time, error) {
	for attempt := 0; ; attempt++ {
		if err := c.throttle(ctx); err != nil {
			return nil, time.Time{}, fmt.Errorf("kolada: GET %s: %w", u, err)
		}
		st.requests++
		body, at, retry, err := c.once(ctx, u)
		if err == nil {
			return body, at, nil
		}
		if !retry || attempt >= c.maxRetries {
			if retry {
				return nil, time.Time{}, fmt.Errorf("kolada: giving up after %d attempts: %w", attempt+1, err)
			}
			return nil, time.Time{}, err
		}
		wait := backoff(attempt)
		var he *HTTPError
		if errors.As(err, &he) && he.retryAfter != "" {
			if d, ok := parseRetryAfter(he.retryAfter, c.now()); ok {
				if d > maxRetryAfter {
					return nil, time.Time{}, fmt.Errorf("kolada: server asks to retry after %s, longer than %s: %w", d, maxRetryAfter, err)
				}
				wait = d
			}
		}
		if err := c.sleep(ctx, wait); err != nil {
			return nil, time.Time{}, fmt.Errorf("kolada: GET %s: waiting to retry: %w", u, err)
		}
	}
}

// once makes one attempt. retry reports whether another attempt may help.
func (c *Client) once(ctx context.Context, u string) (body []byte, at time.Time, retry bool, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, at, false, fmt.Errorf("kolada: GET %s: %w", u, err)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	resp, err := c.http.Do(req)
	if err != nil {
		// A cancelled call is not a flaky network.
		return nil, at, ctx.Err() == nil, fmt.Errorf("kolada: GET %s: %w", u, err)
	}
	defer resp.Body.Close()
	at = c.fetchedAt()

	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		he := &HTTPError{
			URL:        u,
			StatusCode: resp.StatusCode,
			Body:       strings.TrimSpace(strings.ToValidUTF8(string(snippet), "\uFFFD")),
			retryAfter: resp.Header.Get("Retry-After"),
		}
		retry = resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500
		return nil, at, retry, he
	}
	body, err = io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return nil, at, ctx.Err() == nil, fmt.Errorf("kolada: GET %s: reading body: %w", u, err)
	}
	if len(body) > maxBody {
		return nil, at, false, fmt.Errorf("kolada: GET %s: body larger than %d bytes", u, maxBody)
	}
	return body, at, false, nil
}

// backoff is 1 s, 2 s, 4 s … up to maxBackoff.
func backoff(attempt int) time.Duration {
	if attempt > 5 {
		return maxBackoff
	}
	return min(time.Second<<attempt, maxBackoff)
}

// parseRetryAfter reads delay-seconds or an HTTP date (RFC 9110 §10.2.3).
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n < 0 {
			return 0, false
		}
		if n > int64(maxRetryAfter/time.Second)+1 {
			return maxRetryAfter + time.Second, true
		}
		return time.Duration(n) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return max(t.Sub(now), 0), true
}

// walk fetches first and every page its next_url chain leads to, handing
// each body to page. Paging follows next_url rather than counting pages:
// count is the items on the page, not a total.
func (c *Client) walk(ctx context.Context, st *call, first string, page func(u string, body []byte, at time.Time) (next *string, err error)) error {
	seen := map[string]bool{}
	u := first
	for n := 0; ; n++ {
		if n >= maxPages {
			return fmt.Errorf("kolada: %s: more than %d pages", first, maxPages)
		}
		if seen[u] {
			return fmt.Errorf("kolada: %s: next_url leads back to %s", first, u)
		}
		seen[u] = true
		body, at, err := c.get(ctx, st, u)
		if err != nil {
			return err
		}
		next, err := page(u, body, at)
		if err != nil {
			return fmt.Errorf("kolada: GET %s: %w", u, err)
		}
		if next == nil || *next == "" {
			return nil
		}
		if u, err = c.resolveNext(u, *next); err != nil {
			return err
		}
	}
}

// resolveNext makes next_url absolute and keeps it on the API's host: a
// page must not send the client elsewhere.
func (c *Client) resolveNext(current, next string) (string, error) {
	cur, err := url.Parse(current)
	if err != nil {
		return "", fmt.Errorf("kolada: %s: %w", current, err)
	}
	n, err := cur.Parse(next)
	if err != nil || !utf8.ValidString(next) {
		return "", fmt.Errorf("kolada: %s: bad next_url %q", current, truncate(next, 200))
	}
	base, err := url.Parse(c.base)
	if err != nil {
		return "", fmt.Errorf("kolada: base URL %s: %w", c.base, err)
	}
	if !strings.EqualFold(n.Host, base.Host) {
		return "", fmt.Errorf("kolada: %s: next_url %q leaves %s", current, truncate(next, 200), base.Host)
	}
	// Kolada may write http:// behind its proxy; keep our scheme.
	n.Scheme = base.Scheme
	n.Fragment = ""
	return n.String(), nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
