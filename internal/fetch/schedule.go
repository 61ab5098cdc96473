package fetch

import (
	"context"
	"time"

	"github.com/inkludera/inkludera/internal/strategy"
)

// startupDelay keeps a scheduled fetch off the server's start, so that a
// restart comes up at once and a crash loop does not hammer the sources.
const startupDelay = time.Minute

// Schedule runs All every interval until ctx ends. The first run comes when
// the last recorded run is interval old (at least startupDelay after the
// call), so restarts do not fetch more often than asked. A failed run is
// recorded and retried at the next interval.
func (f *Fetcher) Schedule(ctx context.Context, interval time.Duration) {
	if interval <= 0 {
		return
	}
	wait := f.untilDue(ctx, interval)
	for {
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case <-timer.C:
		}
		if _, err := f.All(ctx, Request{}); err != nil && ctx.Err() == nil {
			f.log().Warn("scheduled fetch had failures", "err", err)
		}
		wait = interval
	}
}

// untilDue is how long until the next scheduled run is due.
func (f *Fetcher) untilDue(ctx context.Context, interval time.Duration) time.Duration {
	runs, err := f.Store.SourceRuns(ctx, "", 1)
	if err != nil || len(runs) == 0 {
		return startupDelay
	}
	return max(startupDelay, runs[0].StartedAt.Add(interval).Sub(f.now()))
}

// LastRuns returns the newest run of each source, for status pages.
func LastRuns(ctx context.Context, st strategy.Store) (map[string]strategy.SourceRun, error) {
	runs, err := st.SourceRuns(ctx, "", 200)
	if err != nil {
		return nil, err
	}
	last := map[string]strategy.SourceRun{}
	for _, r := range runs {
		if _, seen := last[r.Source]; !seen {
			last[r.Source] = r
		}
	}
	return last, nil
}
