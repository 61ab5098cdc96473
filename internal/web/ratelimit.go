package web

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The API's rate limit: a token bucket per client and kind of request.
// A client is the user of an API token or session when there is one, else
// the address (the /64 of an IPv6 one; the forwarded address behind a
// trusted proxy, security.go). Reads and writes have buckets of their own,
// so that a client reading fast can still save, and one writing fast
// cannot crowd out its own reads. Only /api/ is limited: the public pages
// are served from the page cache, and the forms have limits of their own
// (the sign-in throttle, the limit on barrier reports).

// Rate is a token bucket: PerSecond requests a second on average, Burst at
// once after a quiet while.
type Rate struct {
	PerSecond float64
	Burst     int
}

// APIRateLimit is the API's limit per client, for reads (GET, HEAD,
// OPTIONS) and for writes. A Rate with PerSecond 0 leaves that kind
// unlimited.
type APIRateLimit struct {
	Read, Write Rate
}

// DefaultAPIRateLimit is what `inkludera serve` limits a client to unless
// told otherwise: far above what a person or a reporting tool needs, low
// enough that one client cannot take the server's capacity from others.
var DefaultAPIRateLimit = APIRateLimit{Read: Rate{PerSecond: 20, Burst: 60}, Write: Rate{PerSecond: 5, Burst: 20}}

// WithAPIRateLimit limits the API's requests per client; without it (or
// with both rates 0) the API is not limited.
func WithAPIRateLimit(l APIRateLimit) Option {
	return func(s *server) {
		s.apiLimits = nil
		if l.Read.PerSecond > 0 || l.Write.PerSecond > 0 {
			s.apiLimits = &apiLimiter{read: newBuckets(l.Read), write: newBuckets(l.Write)}
		}
	}
}

// apiLimiter is the API's buckets; a nil *buckets is no limit.
type apiLimiter struct {
	read, write *buckets
}

// maxClients bounds the buckets kept per kind: beyond it the buckets that
// have filled up again are forgotten at once, and if that is not enough,
// others (a forgotten client starts again with a full bucket). A bucket
// takes some 100 bytes.
const maxClients = 100_000

// sweepEvery is how often buckets that have filled up again, and so
// differ in nothing from a new one, are forgotten.
const sweepEvery = time.Minute

// buckets are the token buckets of one Rate, by client. Safe for
// concurrent use.
type buckets struct {
	rate  Rate
	now   func() time.Time
	mu    sync.Mutex
	by    map[string]*bucket
	swept time.Time
}

type bucket struct {
	tokens float64
	at     time.Time // when tokens was computed
	// refused is set while the client is being refused, so that the
	// log says once that a client reached the limit, not per request.
	refused bool
}

func newBuckets(r Rate) *buckets {
	if r.PerSecond <= 0 {
		return nil
	}
	r.Burst = max(r.Burst, 1)
	return &buckets{rate: r, now: time.Now, by: map[string]*bucket{}}
}

// verdict is a bucket's answer to one request.
type verdict struct {
	allowed bool
	// first is set on the first refusal after an allowed request.
	first     bool
	limit     int
	remaining int
	// retryAfter is how long until the next request is allowed (0 when
	// this one was); full how long until the bucket is full again.
	retryAfter, full time.Duration
}

// take spends a token of key's bucket, if it has one.
func (b *buckets) take(key string) verdict {
	now := b.now()
	b.mu.Lock()
	defer b.mu.Unlock()
	if now.Sub(b.swept) >= sweepEvery || len(b.by) >= maxClients {
		b.sweep(now)
	}
	bk, ok := b.by[key]
	if !ok {
		bk = &bucket{tokens: float64(b.rate.Burst), at: now}
		b.by[key] = bk
	}
	bk.tokens = b.level(bk, now)
	bk.at = now
	v := verdict{limit: b.rate.Burst}
	if bk.tokens >= 1 {
		bk.tokens--
		bk.refused = false
		v.allowed = true
	} else {
		v.first = !bk.refused
		bk.refused = true
		v.retryAfter = b.wait(1 - bk.tokens)
	}
	v.remaining = int(bk.tokens)
	v.full = b.wait(float64(b.rate.Burst) - bk.tokens)
	return v
}

// level is the bucket's tokens at now: what it had, refilled since.
func (b *buckets) level(bk *bucket, now time.Time) float64 {
	elapsed := max(now.Sub(bk.at), 0)
	return min(float64(b.rate.Burst), bk.tokens+elapsed.Seconds()*b.rate.PerSecond)
}

// wait is how long the bucket takes to gain tokens.
func (b *buckets) wait(tokens float64) time.Duration {
	if tokens <= 0 {
		return 0
	}
	return time.Duration(math.Ceil(tokens / b.rate.PerSecond * float64(time.Second)))
}

// sweep forgets the buckets that are full again; if as many clients as
// maxClients remain, it forgets others until a quarter of the room is free.
func (b *buckets) sweep(now time.Time) {
	b.swept = now
	for k, bk := range b.by {
		if b.level(bk, now) >= float64(b.rate.Burst) {
			delete(b.by, k)
		}
	}
	for k := range b.by {
		if len(b.by) < maxClients*3/4 {
			break
		}
		delete(b.by, k)
	}
}

// size is the number of clients with a bucket (for tests).
func (b *buckets) size() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.by)
}

// limitAPI applies the API's rate limit to requests under /api/: each
// answer carries RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset
// (seconds until the bucket is full again), and a request beyond the
// limit gets 429 with Retry-After and the API's error body.
func (s *server) limitAPI(next http.Handler) http.Handler {
	if s.apiLimits == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/api/") {
			next.ServeHTTP(w, r)
			return
		}
		b := s.apiLimits.read
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
		default:
			b = s.apiLimits.write
		}
		if b == nil {
			next.ServeHTTP(w, r)
			return
		}
		client := rateClient(r)
		v := b.take(client)
		h := w.Header()
		h.Set("RateLimit-Limit", strconv.Itoa(v.limit))
		h.Set("RateLimit-Remaining", strconv.Itoa(v.remaining))
		h.Set("RateLimit-Reset", strconv.Itoa(seconds(v.full)))
		if v.allowed {
			next.ServeHTTP(w, r)
			return
		}
		if v.first {
			s.log.InfoContext(r.Context(), "API rate limit reached", "client", client, "method", r.Method, "path", r.URL.Path)
		}
		retry := seconds(v.retryAfter)
		h.Set("Retry-After", strconv.Itoa(retry))
		s.writeJSON(w, r, http.StatusTooManyRequests, apiError{Code: "too_many_requests",
			Message: "Too many requests from this client: at most " + strconv.FormatFloat(b.rate.PerSecond, 'f', -1, 64) +
				" a second, " + strconv.Itoa(b.rate.Burst) + " at once. Try again in " + strconv.Itoa(retry) + " s (Retry-After)."})
	})
}

// rateClient is whom a request counts against: its user, else its address.
func rateClient(r *http.Request) string {
	if u := userOf(r); u != nil {
		return "user " + strconv.FormatInt(u.ID, 10)
	}
	return "address " + limitKey(clientIP(r))
}

// seconds rounds up to whole seconds, at least 1 for any wait.
func seconds(d time.Duration) int {
	if d <= 0 {
		return 0
	}
	return int((d + time.Second - 1) / time.Second)
}
