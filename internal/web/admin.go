package web

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"sync"
	"time"

	"github.com/inkludera/inkludera/internal/fetch"
	"github.com/inkludera/inkludera/internal/strategy"
)

// Option configures the handler New returns.
type Option func(*server)

// WithAdmin enables the admin pages (data sources, file import) behind
// HTTP Basic authentication whose password is token; any user name is
// accepted. It stands in for accounts until they arrive. An empty token
// leaves the admin pages off, as without the option: they then answer 404.
// fetcher, which may be nil, runs the "Hämta nu" fetches; its Progress is
// not touched (each background fetch runs on a copy).
func WithAdmin(token string, fetcher *fetch.Fetcher) Option {
	return func(s *server) {
		if token == "" {
			return
		}
		ctx, cancel := context.WithCancel(context.Background())
		s.admin = &admin{tokenHash: sha256.Sum256([]byte(token)), fetcher: fetcher, ctx: ctx, cancel: cancel}
	}
}

// basicRealm is what a browser shows in its login prompt.
const basicRealm = `Basic realm="Inkludera", charset="UTF-8"`

// admin is the state of the admin pages: the token and the one background
// fetch that may be running.
type admin struct {
	tokenHash [sha256.Size]byte
	fetcher   *fetch.Fetcher

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

// fetchResult is how the last fetch started from the page ended, for
// failures the run log cannot show (a source that is not configured).
type fetchResult struct {
	Finished time.Time
	Err      string
}

// authorise checks the request's Basic credentials against the token.
// Comparing hashes keeps the comparison constant-time whatever the
// password's length.
func (s *server) authorise(r *http.Request) error {
	_, password, ok := r.BasicAuth()
	if ok {
		got := sha256.Sum256([]byte(password))
		if subtle.ConstantTimeCompare(got[:], s.admin.tokenHash[:]) == 1 {
			return nil
		}
	}
	msg := "Sidan kräver inloggning. Ange lösenordet för administration (valfritt användarnamn)."
	if ok {
		msg = "Fel lösenord för administration."
	}
	return &statusError{status: http.StatusUnauthorized, code: string(strategy.CodeUnauthorized), message: msg, authenticate: basicRealm}
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
