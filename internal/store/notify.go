package store

import (
	"context"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// WatchContent returns a channel that receives a value soon after another
// process (or this one) commits a change of content, until ctx ends. On
// PostgreSQL the changes come from LISTEN/NOTIFY, so every server on the
// database learns of a write at once; after the listening connection was
// lost and restored a value is sent too, since notifications may have been
// missed meanwhile. SQLite has no such channel: ok is false, and callers
// poll ContentVersion instead.
//
// The channel has a buffer of one and a send never blocks: a slow reader
// gets one value for any number of changes, which is all a cache needs.
func (s *Store) WatchContent(ctx context.Context) (ch <-chan struct{}, ok bool) {
	if s.pg == nil {
		return nil, false
	}
	return s.pg.notify.subscribe(ctx), true
}

// notifier holds the one listening connection of a store and fans its
// notifications out to the subscribers. The connection opens with the
// first subscriber and closes with the last.
type notifier struct {
	url, schema string

	mu     sync.Mutex
	subs   map[chan struct{}]struct{}
	cancel context.CancelFunc // of the listening loop; nil when not running
	done   chan struct{}
}

func newNotifier(url, schema string) *notifier {
	return &notifier{url: url, schema: schema, subs: map[chan struct{}]struct{}{}}
}

func (n *notifier) subscribe(ctx context.Context) <-chan struct{} {
	ch := make(chan struct{}, 1)
	n.mu.Lock()
	n.subs[ch] = struct{}{}
	if n.cancel == nil {
		lctx, cancel := context.WithCancel(context.Background())
		n.cancel, n.done = cancel, make(chan struct{})
		go n.listen(lctx, n.done)
	}
	n.mu.Unlock()
	context.AfterFunc(ctx, func() {
		n.mu.Lock()
		delete(n.subs, ch)
		if len(n.subs) == 0 && n.cancel != nil {
			n.cancel()
			n.cancel = nil
		}
		n.mu.Unlock()
	})
	return ch
}

// broadcast wakes every subscriber.
func (n *notifier) broadcast() {
	n.mu.Lock()
	defer n.mu.Unlock()
	for ch := range n.subs {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

// close stops the listener and waits for it.
func (n *notifier) close() {
	n.mu.Lock()
	cancel, done := n.cancel, n.done
	n.cancel = nil
	n.mu.Unlock()
	if cancel != nil {
		cancel()
		<-done
	}
}

// listen keeps a connection LISTENing until ctx ends, reconnecting with a
// growing pause (up to 10 s) when it is lost.
func (n *notifier) listen(ctx context.Context, done chan struct{}) {
	defer close(done)
	pause := 100 * time.Millisecond
	lost := false
	for ctx.Err() == nil {
		err := n.listenOnce(ctx, func() {
			pause = 100 * time.Millisecond
			if lost {
				n.broadcast() // what happened while we were away is unknown
				lost = false
			}
		})
		if ctx.Err() != nil {
			return
		}
		_ = err // the connection was lost; try again
		lost = true
		select {
		case <-ctx.Done():
			return
		case <-time.After(pause):
		}
		pause = min(2*pause, 10*time.Second)
	}
}

// listenOnce connects, LISTENs and forwards notifications of our schema
// until the connection fails or ctx ends. ready runs once listening.
func (n *notifier) listenOnce(ctx context.Context, ready func()) error {
	conn, err := pgx.Connect(ctx, n.url)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN "+contentChannel); err != nil {
		return err
	}
	ready()
	for {
		note, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		if note.Payload == n.schema {
			n.broadcast()
		}
	}
}
