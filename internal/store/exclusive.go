package store

import (
	"context"
	"database/sql/driver"
	"time"
)

// exclusiveRetry is how often a server that is not running an exclusive
// job asks whether it may take it over.
var exclusiveRetry = 5 * time.Second

// RunExclusive runs job while this process holds the database-wide lock
// named name, so that of several servers on one database exactly one runs
// it (the scheduled fetch). The others wait, asking every few seconds, and
// one takes over when the holder stops or loses its connection. job's
// context ends when ctx does or the lock is lost; RunExclusive returns when
// ctx ends. onAcquire, when not nil, is called each time the lock is taken.
//
// On PostgreSQL the lock is a session advisory lock on a connection held
// for the purpose, released by the server the moment that connection
// ends, so a server that dies never keeps the lock. An SQLite file is one
// server's: job simply runs.
func (s *Store) RunExclusive(ctx context.Context, name string, onAcquire func(), job func(ctx context.Context)) {
	if s.pg == nil {
		if onAcquire != nil {
			onAcquire()
		}
		job(ctx)
		return
	}
	for ctx.Err() == nil {
		s.holdAndRun(ctx, name, onAcquire, job)
		select {
		case <-ctx.Done():
		case <-time.After(exclusiveRetry):
		}
	}
}

// holdAndRun takes the lock if it is free and runs job until ctx ends or
// the lock's connection fails.
func (s *Store) holdAndRun(ctx context.Context, name string, onAcquire func(), job func(ctx context.Context)) {
	conn, err := s.w.Conn(ctx)
	if err != nil {
		return
	}
	defer conn.Close()
	const key = `hashtextextended(current_schema() || '/exclusive/' || CAST($1 AS TEXT), 0)`
	var got bool
	if err := conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock(`+key+`)`, name).Scan(&got); err != nil || !got {
		return
	}
	defer func() {
		// The connection goes back to the pool: unlock explicitly. If that
		// fails, the connection is broken and the lock went with it.
		if _, err := conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock(`+key+`)`, name); err != nil {
			conn.Raw(func(any) error { return driver.ErrBadConn }) // discard it
		}
	}()
	if onAcquire != nil {
		onAcquire()
	}
	jobCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		job(jobCtx)
	}()
	// Watch the connection: if it breaks, the lock is gone and another
	// server may start the job, so this one must stop.
	tick := time.NewTicker(5 * time.Second)
	defer tick.Stop()
	for {
		select {
		case <-finished:
			return
		case <-ctx.Done():
			<-finished
			return
		case <-tick.C:
			if err := conn.PingContext(ctx); err != nil && ctx.Err() == nil {
				cancel()
				<-finished
				return
			}
		}
	}
}
