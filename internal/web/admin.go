package web

import (
	"context"
	"sync"
	"time"

	"github.com/inkludera/inkludera/internal/auth"
	"github.com/inkludera/inkludera/internal/fetch"
)

// Option configures the handler New returns.
type Option func(*server)

// WithFetcher lets administrators start a fetch from every source from the
// data sources page ("Hämta nu"). Without it, or with a nil fetcher, the
// page says fetching is not configured. The fetcher's Progress is not
// touched (each background fetch runs on a copy).
func WithFetcher(fetcher *fetch.Fetcher) Option {
	return func(s *server) { s.admin = newAdmin(fetcher) }
}

// WithSessions sets how browsers' sign-ins are kept. Without it the handler
// keeps them in its store with Secure cookies (auth.NewSessions(st, true)).
func WithSessions(sessions *auth.Sessions) Option {
	return func(s *server) { s.sessions = sessions }
}

// WithOIDC offers sign-in through an OpenID Connect provider beside the
// password form; rules map the provider's groups to roles
// (auth.SignInOIDC). A nil provider leaves it off.
func WithOIDC(provider *auth.OIDC, rules []auth.GroupRule) Option {
	return func(s *server) { s.oidc, s.groupRules = provider, rules }
}

// admin is the state of the admin pages: the one background fetch that may
// be running.
type admin struct {
	fetcher *fetch.Fetcher

	// ctx ends when the handler is closed, which ends a running fetch.
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu      sync.Mutex
	running bool
	started time.Time
	step    fetch.Step // the latest progress of the running fetch
	last    *fetchResult
}

func newAdmin(fetcher *fetch.Fetcher) *admin {
	ctx, cancel := context.WithCancel(context.Background())
	return &admin{fetcher: fetcher, ctx: ctx, cancel: cancel}
}

// fetchResult is how the last fetch started from the page ended, for
// failures the run log cannot show (a source that is not configured).
type fetchResult struct {
	Finished time.Time
	Err      string
}

// fetchStatus is a snapshot of the background fetch for the page.
type fetchStatus struct {
	running bool
	started time.Time
	step    fetch.Step
	last    *fetchResult
}

func (a *admin) status() fetchStatus {
	a.mu.Lock()
	defer a.mu.Unlock()
	return fetchStatus{running: a.running, started: a.started, step: a.step, last: a.last}
}

// startFetch starts fetcher.All in the background unless a fetch is
// already running (or the handler is closed); it reports whether it did.
func (a *admin) startFetch(s *server) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.running || a.ctx.Err() != nil {
		return false
	}
	a.running, a.started, a.step = true, s.now(), fetch.Step{}
	// A copy, so that setting Progress does not race with a scheduled
	// fetch on the same Fetcher.
	f := *a.fetcher
	f.Progress = func(st fetch.Step) {
		a.mu.Lock()
		a.step = st
		a.mu.Unlock()
	}
	a.wg.Go(func() {
		runs, err := f.All(a.ctx, fetch.Request{})
		// The pages kept before are old now; the watch of the store would
		// see it too, PollInterval later.
		s.cache.invalidate()
		res := &fetchResult{Finished: s.now()}
		if err != nil {
			res.Err = err.Error()
			s.log.Warn("fetch started from the admin page had failures", "err", res.Err, "runs", len(runs))
		} else {
			s.log.Info("fetch started from the admin page finished", "runs", len(runs))
		}
		a.mu.Lock()
		a.running, a.last = false, res
		a.mu.Unlock()
	})
	return true
}

func (a *admin) close() {
	a.cancel()
	a.wg.Wait()
}
