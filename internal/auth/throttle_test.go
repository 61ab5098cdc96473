package auth

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

// clock is a settable time for tests.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)} }

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func wantAllowed(t *testing.T, th *Throttle, account, addr string) {
	t.Helper()
	if ok, wait := th.Allow(account, addr); !ok {
		t.Fatalf("%s from %s refused for %v, want allowed", account, addr, wait)
	}
}

func wantRefused(t *testing.T, th *Throttle, account, addr string, wait time.Duration) {
	t.Helper()
	if ok, got := th.Allow(account, addr); ok || got != wait {
		t.Fatalf("%s from %s: allowed %v, wait %v; want refused for %v", account, addr, ok, got, wait)
	}
}

func TestThrottleAccountLockoutGrows(t *testing.T) {
	c := newClock()
	th := NewThrottle(DefaultLimits, c.now)
	const acc = "eva@ostersund.se"
	// Each round comes from a new address, so only the account limit acts.
	round := 0
	fail := func(n int) {
		round++
		addr := fmt.Sprintf("192.0.2.%d:4000", round)
		for range n {
			wantAllowed(t, th, acc, addr)
			th.Failure(acc, addr)
		}
	}
	fail(4)
	wantAllowed(t, th, acc, "198.51.100.1:1")
	fail(1)
	wantRefused(t, th, acc, "198.51.100.1:1", time.Minute)
	// The e-mail as typed, in any case, is the account.
	wantRefused(t, th, " EVA@Ostersund.SE ", "198.51.100.1:1", time.Minute)
	wantAllowed(t, th, "bo@ostersund.se", "198.51.100.1:1")

	// 1, 2, 4, … minutes, up to an hour.
	for _, lock := range []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute,
		16 * time.Minute, 32 * time.Minute, time.Hour, time.Hour} {
		c.advance(lock - time.Second)
		wantRefused(t, th, acc, "198.51.100.1:1", time.Second)
		c.advance(time.Second)
		fail(5)
	}
	wantRefused(t, th, acc, "198.51.100.1:1", time.Hour)

	// A success forgets the account's failures and lock-outs.
	c.advance(time.Hour)
	th.Success(acc, "198.51.100.1:1")
	fail(5)
	wantRefused(t, th, acc, "198.51.100.1:1", time.Minute)
}

// Failures spread over more than the window do not add up; a day without
// failures forgets the lock-outs.
func TestThrottleForgets(t *testing.T) {
	c := newClock()
	th := NewThrottle(DefaultLimits, c.now)
	const acc = "eva@ostersund.se"
	for i := range 20 {
		wantAllowed(t, th, acc, fmt.Sprintf("192.0.2.%d", i))
		th.Failure(acc, fmt.Sprintf("192.0.2.%d", i))
		c.advance(4 * time.Minute) // four in any 15 minutes
	}
	for range 2 { // two lock-outs: the next would be 4 minutes
		for range 5 {
			th.Failure(acc, "192.0.2.200")
		}
		c.advance(time.Hour)
	}
	c.advance(25 * time.Hour)
	for range 5 {
		th.Failure(acc, "192.0.2.201")
	}
	wantRefused(t, th, acc, "192.0.2.202", time.Minute)
}

func TestThrottleAddress(t *testing.T) {
	c := newClock()
	th := NewThrottle(DefaultLimits, c.now)
	const addr = "203.0.113.7:51000"
	// Twenty failures over ten minutes, each at another account.
	for i := range 20 {
		acc := fmt.Sprintf("user%d@kommun.se", i)
		wantAllowed(t, th, acc, addr)
		th.Failure(acc, addr)
		if i < 19 {
			c.advance(30 * time.Second)
		}
	}
	// The port does not matter; the oldest failure leaves the window in
	// 15 − 9.5 minutes.
	wantRefused(t, th, "new@kommun.se", "203.0.113.7:1", 15*time.Minute-19*30*time.Second)
	wantAllowed(t, th, "new@kommun.se", "203.0.113.8:1")
	// A success elsewhere does not reopen the address.
	th.Success("user0@kommun.se", addr)
	wantRefused(t, th, "user0@kommun.se", addr, 15*time.Minute-19*30*time.Second)
	c.advance(15*time.Minute - 19*30*time.Second)
	wantAllowed(t, th, "new@kommun.se", addr)
	th.Failure("new@kommun.se", addr)
	wantRefused(t, th, "new@kommun.se", addr, 30*time.Second)
}

func TestAddressKey(t *testing.T) {
	for in, want := range map[string]string{
		"192.0.2.1:443":                  "192.0.2.1",
		"192.0.2.1":                      "192.0.2.1",
		"[::ffff:192.0.2.1]:80":          "192.0.2.1",
		"[2001:db8:1:2:3:4:5:6]:443":     "2001:db8:1:2::/64",
		"2001:db8:1:2:ffff:ffff:ffff:ff": "2001:db8:1:2::/64",
		"[fe80::1%eth0]:22":              "fe80::/64",
		"not an address":                 "not an address",
		"@":                              "@",
	} {
		if got := addressKey(in); got != want {
			t.Errorf("addressKey(%q) = %q, want %q", in, got, want)
		}
	}
}

// Old records are swept so that the maps do not grow without bound.
func TestThrottleSweeps(t *testing.T) {
	c := newClock()
	th := NewThrottle(DefaultLimits, c.now)
	for i := range 1000 {
		th.Failure(fmt.Sprintf("u%d@x.se", i), fmt.Sprintf("10.0.%d.%d", i/256, i%256))
	}
	if acc, addr := th.size(); acc != 1000 || addr != 1000 {
		t.Fatalf("size %d, %d", acc, addr)
	}
	c.advance(DefaultLimits.Window)
	th.Allow("a@x.se", "10.1.0.1")
	if _, addr := th.size(); addr != 0 {
		t.Errorf("%d addresses remembered after the window", addr)
	}
	c.advance(DefaultLimits.Forget)
	th.Allow("a@x.se", "10.1.0.1")
	if acc, _ := th.size(); acc != 0 {
		t.Errorf("%d accounts remembered after a quiet day", acc)
	}
}

func TestThrottleConcurrent(t *testing.T) {
	th := NewThrottle(DefaultLimits, nil)
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Go(func() {
			addr := fmt.Sprintf("10.0.0.%d", g)
			for i := range 200 {
				// Accounts of their own, so that only the address limit
				// refuses; a shared one for contention.
				acc := fmt.Sprintf("g%d-u%d@x.se", g, i)
				if ok, _ := th.Allow(acc, addr); ok {
					th.Failure(acc, addr)
				}
				th.Allow("shared@x.se", addr)
				th.Success("shared@x.se", addr)
			}
		})
	}
	wg.Wait()
	for g := range 16 {
		if ok, _ := th.Allow("fresh@x.se", fmt.Sprintf("10.0.0.%d", g)); ok {
			t.Errorf("address 10.0.0.%d is not throttled after 200 tries", g)
		}
	}
}
