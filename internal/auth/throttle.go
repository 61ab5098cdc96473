package auth

import (
	"net"
	"net/netip"
	"strings"
	"sync"
	"time"
)

// Limits configure a Throttle.
type Limits struct {
	// AccountFailures failed sign-ins to one account within Window lock it
	// for Lockout; every further lock-out, until a success or a quiet
	// Forget period, doubles, up to MaxLockout.
	AccountFailures int
	// AddressFailures failed sign-ins from one address within Window
	// refuse the address until the oldest of them leaves the window.
	AddressFailures int
	Window          time.Duration
	Lockout         time.Duration
	MaxLockout      time.Duration
	// Forget is how long an account's lock-outs are remembered after its
	// last failure.
	Forget time.Duration
}

// DefaultLimits: 5 failures per account and 20 per address in 15 minutes.
// Lock-outs start at a minute and grow to an hour, so that a stranger who
// knows an e-mail cannot lock its owner out for long, while guessing stays
// at a few tries an hour.
var DefaultLimits = Limits{
	AccountFailures: 5,
	AddressFailures: 20,
	Window:          15 * time.Minute,
	Lockout:         time.Minute,
	MaxLockout:      time.Hour,
	Forget:          24 * time.Hour,
}

// Throttle limits failed sign-in attempts per account and per remote
// address. It lives in memory (a restart forgets it, which costs an
// attacker a restart per few guesses) and is safe for concurrent use.
// Accounts are keyed by the e-mail as typed, lower-cased, whether or not
// such a user exists, so that throttling tells nothing about which do.
type Throttle struct {
	limits Limits
	now    func() time.Time

	mu        sync.Mutex
	accounts  map[string]*record
	addresses map[string]*record
	swept     time.Time
}

// record is the recent failures of one account or address.
type record struct {
	failures    []time.Time // within the window, oldest first
	lockedUntil time.Time
	lockouts    int // consecutive, for the growing lock-out
	last        time.Time
}

// NewThrottle returns a throttle with the given limits; now is the clock
// (nil: time.Now), which tests replace.
func NewThrottle(limits Limits, now func() time.Time) *Throttle {
	if now == nil {
		now = time.Now
	}
	return &Throttle{limits: limits, now: now, accounts: map[string]*record{}, addresses: map[string]*record{}}
}

// Allow reports whether a sign-in to account from addr may be tried now,
// and if not, how long until it may. It records nothing: report the
// outcome with Failure or Success.
func (t *Throttle) Allow(account, addr string) (bool, time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	t.sweep(now)
	var wait time.Duration
	if r := t.accounts[accountKey(account)]; r != nil {
		wait = max(wait, r.lockedUntil.Sub(now))
	}
	if r := t.addresses[addressKey(addr)]; r != nil {
		r.prune(now, t.limits.Window)
		if len(r.failures) >= t.limits.AddressFailures {
			wait = max(wait, r.failures[0].Add(t.limits.Window).Sub(now))
		}
	}
	if wait > 0 {
		return false, wait
	}
	return true, 0
}

// Failure records a failed sign-in.
func (t *Throttle) Failure(account, addr string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	l := t.limits

	acc := t.record(t.accounts, accountKey(account))
	if now.Sub(acc.last) > l.Forget {
		acc.lockouts = 0
	}
	acc.prune(now, l.Window)
	acc.failures = append(acc.failures, now)
	acc.last = now
	if len(acc.failures) >= l.AccountFailures {
		lock := l.Lockout
		for i := 0; i < acc.lockouts && lock < l.MaxLockout; i++ {
			lock *= 2 // by a loop, so that it stops at the cap and never overflows
		}
		lock = min(lock, l.MaxLockout)
		acc.lockedUntil = now.Add(lock)
		acc.lockouts++
		// The lock-out has taken these failures into account; the next
		// lock-out needs as many new ones.
		acc.failures = acc.failures[:0]
	}

	a := t.record(t.addresses, addressKey(addr))
	a.prune(now, l.Window)
	a.failures = append(a.failures, now)
	a.last = now
	// Keep only what Allow looks at, so that a flood costs no memory.
	if n := len(a.failures) - l.AddressFailures; n > 0 {
		a.failures = append(a.failures[:0], a.failures[n:]...)
	}
}

// Success records a successful sign-in: the account's failures and
// lock-outs are forgotten. The address's are not, so that one good
// password does not open an address for guessing at other accounts.
func (t *Throttle) Success(account, addr string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.accounts, accountKey(account))
}

func (t *Throttle) record(m map[string]*record, key string) *record {
	r := m[key]
	if r == nil {
		r = &record{}
		m[key] = r
	}
	return r
}

// prune drops failures older than the window.
func (r *record) prune(now time.Time, window time.Duration) {
	i := 0
	for i < len(r.failures) && now.Sub(r.failures[i]) >= window {
		i++
	}
	if i > 0 {
		r.failures = append(r.failures[:0], r.failures[i:]...)
	}
}

// sweep forgets, at most once a window, the records that no longer count,
// so that the maps do not grow with every address and e-mail ever tried.
func (t *Throttle) sweep(now time.Time) {
	if now.Sub(t.swept) < t.limits.Window {
		return
	}
	t.swept = now
	for k, r := range t.accounts {
		if now.After(r.lockedUntil) && now.Sub(r.last) > max(t.limits.Forget, t.limits.Window) {
			delete(t.accounts, k)
		}
	}
	for k, r := range t.addresses {
		if now.Sub(r.last) >= t.limits.Window {
			delete(t.addresses, k)
		}
	}
}

// size returns how many accounts and addresses are remembered (for tests).
func (t *Throttle) size() (accounts, addresses int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.accounts), len(t.addresses)
}

func accountKey(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// addressKey reduces a remote address ("ip:port" as in
// http.Request.RemoteAddr, or a bare IP) to what one client controls: the
// IPv4 address, or the /64 of an IPv6 address, since a single host is
// usually given a whole /64 and could otherwise rotate through it.
func addressKey(addr string) string {
	host := addr
	if h, _, err := net.SplitHostPort(addr); err == nil {
		host = h
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return host
	}
	ip = ip.Unmap()
	if ip.Is6() {
		p, _ := ip.WithZone("").Prefix(64)
		return p.String()
	}
	return ip.String()
}
