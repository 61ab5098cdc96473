package mailtest

import (
	"context"
	"slices"
	"sync"

	"github.com/inkludera/inkludera/internal/mail"
)

// Recorder is a mail.Sender that keeps messages in memory, for tests of
// code that sends mail and need not go through SMTP.
type Recorder struct {
	mu   sync.Mutex
	msgs []mail.Message
	err  error
}

var _ mail.Sender = (*Recorder)(nil)

// Send records m, or returns the error set by FailWith, or ctx's error.
func (r *Recorder) Send(ctx context.Context, m mail.Message) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err != nil {
		return r.err
	}
	m.To = slices.Clone(m.To)
	r.msgs = append(r.msgs, m)
	return nil
}

// FailWith makes later Sends fail with err (nil makes them succeed again).
func (r *Recorder) FailWith(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.err = err
}

// Messages returns the recorded messages, oldest first.
func (r *Recorder) Messages() []mail.Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.msgs)
}
