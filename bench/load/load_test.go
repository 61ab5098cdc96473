package main

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/inkludera/inkludera/internal/auth"
	"github.com/inkludera/inkludera/internal/demo"
	"github.com/inkludera/inkludera/internal/store"
	"github.com/inkludera/inkludera/internal/strategy"
	"github.com/inkludera/inkludera/internal/web"
)

// TestClientAndReadBack runs a client's set-up and every kind of step
// against the real site on a real SQLite database, then reads the writes
// back, and checks that the read-back notices writes that were
// acknowledged but are not stored.
func TestClientAndReadBack(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "load.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	bundles, err := demo.Bundles()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Import(ctx, bundles); err != nil {
		t.Fatal(err)
	}
	acc := account{email: "lasttest-00@example.se", name: "Lasttest 00", password: "lasttestets lösenord"}
	hash, err := auth.HashPassword(acc.password)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateUser(ctx, strategy.User{Email: acc.email, Name: acc.name, Role: strategy.RoleCoordinator, Org: loadOrg}, hash); err != nil {
		t.Fatal(err)
	}
	// As serve has it: Secure session cookies, which the client's jar
	// sends back over plain http to loopback.
	site := web.New(st, nil, web.WithSessions(auth.NewSessions(st, true)))
	srv := httptest.NewServer(site)
	t.Cleanup(srv.Close)

	c, err := newClient(0, srv.URL, "test", acc, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.setup(); err != nil {
		t.Fatalf("set-up: %v; %v", err, c.st.examples)
	}
	if c.token == "" {
		t.Fatal("no API token was read from the account page")
	}
	for _, op := range mix {
		op.do(c)
	}
	c.formNote()
	c.apiNote()
	c.changeActivity()
	if all, _ := c.st.total(classes); errorsOf(all)+all[conflict]+all[rateLimited] > 0 {
		t.Fatalf("errors: %v", c.st.examples)
	}
	if len(c.acks.notes) < 2 || len(c.acks.updates) < 2 {
		t.Fatalf("acknowledged %d notes and %d activity changes, want at least 2 of each", len(c.acks.notes), len(c.acks.updates))
	}

	rb, err := verify(c, []*client{c})
	if err != nil {
		t.Fatal(err)
	}
	if rb.missing() != 0 || rb.created != 1 || rb.notes != len(c.acks.notes) || rb.updates != len(c.acks.updates) {
		t.Fatalf("read-back of what was stored: %+v", rb)
	}

	// Acknowledgements of writes that never reached the database.
	c.acks.notes = append(c.acks.notes, "en anteckning som aldrig skrevs")
	c.acks.updates = append(c.acks.updates, "en ändring som aldrig gjordes")
	rb, err = verify(c, []*client{c})
	if err != nil {
		t.Fatal(err)
	}
	if rb.notesMissing != 1 || rb.updatesMissing != 1 || rb.finalWrong != 1 || rb.missing() != 3 {
		t.Errorf("read-back with two writes lost: %+v", rb)
	}
}

func TestPercentile(t *testing.T) {
	var ds []time.Duration
	for i := 1; i <= 100; i++ {
		ds = append(ds, time.Duration(i)*time.Millisecond)
	}
	tests := []struct {
		p    float64
		want time.Duration
	}{
		{50, 50 * time.Millisecond},
		{99, 99 * time.Millisecond},
		{100, 100 * time.Millisecond},
		{0.1, time.Millisecond},
	}
	for _, tt := range tests {
		if got := percentile(ds, tt.p); got != tt.want {
			t.Errorf("percentile(1..100 ms, %v) = %v, want %v", tt.p, got, tt.want)
		}
	}
	if got := percentile(nil, 50); got != 0 {
		t.Errorf("percentile of nothing = %v, want 0", got)
	}
}
