package scbtest

import (
	"context"
	"sync"
	"time"
)

// Start is where a new Clock stands: 2026-03-02 08:00:00.123456789 CET
// (07:00:00.123456789 UTC). The nanoseconds show whether a caller
// truncates times.
var Start = time.Date(2026, 3, 2, 8, 0, 0, 123456789, time.FixedZone("CET", 3600))

// Clock is fake time for the client and the server. Sleeping moves it on
// at once, so rate limits and Retry-After cost no wall time. Use it with
// scb.WithClock(clock.Now, clock.Sleep). It is safe for concurrent use.
type Clock struct {
	mu    sync.Mutex
	t     time.Time
	slept []time.Duration
}

// NewClock returns a clock at Start.
func NewClock() *Clock { return NewClockAt(Start) }

// NewClockAt returns a clock at t.
func NewClockAt(t time.Time) *Clock { return &Clock{t: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Sleep moves the clock on by d and records the sleep; it returns
// ctx.Err() at once if ctx has ended, without moving the clock.
func (c *Clock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
	c.slept = append(c.slept, d)
	return nil
}

// Advance moves the clock on by d without counting it as a sleep, e.g. to
// let a day pass between two runs.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// Slept is the total of all sleeps so far.
func (c *Clock) Slept() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	var d time.Duration
	for _, s := range c.slept {
		d += s
	}
	return d
}

// Sleeps lists every sleep so far, in order.
func (c *Clock) Sleeps() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.slept...)
}
