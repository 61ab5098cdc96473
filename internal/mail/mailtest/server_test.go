package mailtest

import (
	"context"
	"encoding/base64"
	"errors"
	"net/textproto"
	"slices"
	"testing"
	"time"

	"github.com/inkludera/inkludera/internal/mail"
)

// step sends a line and expects a reply code; code 0 expects no reply
// (lines of DATA).
type step struct {
	send string
	code int
}

func TestServerProtocol(t *testing.T) {
	plain := base64.StdEncoding.EncodeToString([]byte("\x00bun\x00hemligt"))
	wrong := base64.StdEncoding.EncodeToString([]byte("\x00bun\x00fel"))
	tests := []struct {
		name      string
		opts      []Option
		steps     []step
		wantBody  []string // bodies of the recorded messages
		wantRcpts []string // recipients of the last message
		wantSubj  string   // subject of the first message
	}{
		{
			name:  "sequence errors",
			steps: []step{{"MAIL FROM:<a@b.se>", 503}, {"HELO klient", 250}, {"RCPT TO:<c@d.se>", 503}, {"DATA", 503}, {"MAIL FROM:<a@b.se>", 250}, {"MAIL FROM:<a@b.se>", 503}, {"DATA", 503}},
		},
		{
			name:  "syntax errors",
			steps: []step{{"EHLO", 501}, {"EHLO klient", 250}, {"MAIL a@b.se", 501}, {"MAIL FROM:<a@b.se>", 250}, {"RCPT TO:<>", 501}, {"RCPT TO:<c@d.se>", 250}, {"DATA x", 501}},
		},
		{
			name:  "noop, vrfy, unknown",
			steps: []step{{"NOOP", 250}, {"VRFY a@b.se", 252}, {"FOO", 500}, {"STARTTLS", 502}, {"AUTH PLAIN x", 502}},
		},
		{
			name:      "RSET clears the transaction",
			steps:     []step{{"EHLO klient", 250}, {"MAIL FROM:<a@b.se>", 250}, {"RCPT TO:<c@d.se>", 250}, {"RSET", 250}, {"DATA", 503}, {"MAIL FROM:<a@b.se>", 250}, {"RCPT TO:<e@f.se>", 250}, {"DATA", 354}, {"Subject: x", 0}, {"", 0}, {"hej", 0}, {".", 250}},
			wantBody:  []string{"hej\n"},
			wantRcpts: []string{"e@f.se"},
			wantSubj:  "x",
		},
		{
			name: "dot-unstuffing",
			steps: []step{{"EHLO klient", 250}, {"MAIL FROM:<a@b.se> BODY=8BITMIME", 250}, {"RCPT TO:<c@d.se>", 250}, {"RCPT TO:<C2@d.se>", 250}, {"DATA", 354},
				{"Subject: =?UTF-8?q?=C3=A5?=", 0}, {"", 0}, {"..", 0}, {"..punkt", 0}, {"mitt.i", 0}, {".", 250}},
			wantBody:  []string{".\n.punkt\nmitt.i\n"},
			wantRcpts: []string{"c@d.se", "C2@d.se"},
			wantSubj:  "å",
		},
		{
			name:      "two messages in one session",
			steps:     []step{{"EHLO klient", 250}, {"MAIL FROM:<a@b.se>", 250}, {"RCPT TO:<c@d.se>", 250}, {"DATA", 354}, {"", 0}, {"ett", 0}, {".", 250}, {"MAIL FROM:<a@b.se>", 250}, {"RCPT TO:<e@f.se>", 250}, {"DATA", 354}, {"", 0}, {"två", 0}, {".", 250}},
			wantBody:  []string{"ett\n", "två\n"},
			wantRcpts: []string{"e@f.se"},
		},
		{
			name:  "auth required",
			opts:  []Option{WithAuth("bun", "hemligt")},
			steps: []step{{"EHLO klient", 250}, {"MAIL FROM:<a@b.se>", 530}, {"AUTH LOGIN", 504}, {"AUTH PLAIN " + wrong, 535}, {"AUTH PLAIN " + plain, 235}, {"AUTH PLAIN " + plain, 503}, {"MAIL FROM:<a@b.se>", 250}},
		},
		{
			name:  "auth with a continuation",
			opts:  []Option{WithAuth("bun", "hemligt")},
			steps: []step{{"EHLO klient", 250}, {"AUTH PLAIN", 334}, {"*", 501}, {"AUTH PLAIN", 334}, {"inte base64!", 501}, {"AUTH PLAIN", 334}, {plain, 235}},
		},
		{
			name:      "refused recipient",
			opts:      []Option{RejectRecipients("Okand@D.se")},
			steps:     []step{{"EHLO klient", 250}, {"MAIL FROM:<a@b.se>", 250}, {"RCPT TO:<okand@d.se>", 550}, {"RCPT TO:<c@d.se>", 250}, {"DATA", 354}, {"", 0}, {"x", 0}, {".", 250}},
			wantBody:  []string{"x\n"},
			wantRcpts: []string{"c@d.se"},
		},
		{
			name:  "quit",
			steps: []step{{"QUIT", 221}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := Start(t, tt.opts...)
			c, err := textproto.Dial("tcp", srv.Addr())
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if _, _, err := c.ReadResponse(220); err != nil {
				t.Fatal(err)
			}
			for _, s := range tt.steps {
				if err := c.PrintfLine("%s", s.send); err != nil {
					t.Fatal(err)
				}
				if s.code == 0 {
					continue
				}
				code, msg, err := c.ReadResponse(0)
				if err != nil && code == 0 {
					t.Fatalf("%q: %v", s.send, err)
				}
				if code != s.code {
					t.Fatalf("%q: %d %s, want %d", s.send, code, msg, s.code)
				}
			}
			var bodies []string
			msgs := srv.Messages()
			for _, m := range msgs {
				if m.Err != nil {
					t.Errorf("parse: %v", m.Err)
				}
				bodies = append(bodies, m.Body)
			}
			if !slices.Equal(bodies, tt.wantBody) {
				t.Errorf("bodies = %q, want %q", bodies, tt.wantBody)
			}
			if len(msgs) > 0 && !slices.Equal(msgs[len(msgs)-1].To, tt.wantRcpts) {
				t.Errorf("recipients = %q, want %q", msgs[len(msgs)-1].To, tt.wantRcpts)
			}
			if len(msgs) > 0 && msgs[0].Subject != tt.wantSubj {
				t.Errorf("Subject = %q, want %q", msgs[0].Subject, tt.wantSubj)
			}
		})
	}
}

func TestServerEHLOAdvertises(t *testing.T) {
	tests := []struct {
		name string
		opts []Option
		want []string
	}{
		{"plain", nil, []string{"mailtest greets klient", "8BITMIME", "HELP"}},
		{"auth and starttls", []Option{WithAuth("u", "p"), WithSTARTTLS()}, []string{"mailtest greets klient", "8BITMIME", "STARTTLS", "AUTH PLAIN", "HELP"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := Start(t, tt.opts...)
			c, err := textproto.Dial("tcp", srv.Addr())
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			c.ReadResponse(220)
			c.PrintfLine("EHLO klient")
			_, msg, err := c.ReadResponse(250)
			if err != nil {
				t.Fatal(err)
			}
			if got := splitLines(msg); !slices.Equal(got, tt.want) {
				t.Errorf("EHLO = %q, want %q", got, tt.want)
			}
		})
	}
}

func splitLines(s string) []string {
	var out []string
	start := 0
	for i := range len(s) {
		if s[i] == '\n' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

func TestHangUpOn(t *testing.T) {
	srv := Start(t, HangUpOn("rcpt"))
	c, err := textproto.Dial("tcp", srv.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.ReadResponse(220)
	c.PrintfLine("HELO klient")
	c.ReadResponse(250)
	c.PrintfLine("MAIL FROM:<a@b.se>")
	c.ReadResponse(250)
	c.PrintfLine("RCPT TO:<c@d.se>")
	if code, _, err := c.ReadResponse(250); err == nil || code != 0 {
		t.Fatalf("got %d, %v; want the connection closed", code, err)
	}
}

func TestWaitForFailsAfterTimeout(t *testing.T) {
	srv := Start(t)
	ft := &fatalRecorder{TB: t}
	srv.t = ft
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer func() { recover() }() // fatalRecorder panics to stop WaitFor like Goexit would
		srv.WaitFor(1, 50*time.Millisecond)
	}()
	<-done
	if !ft.failed {
		t.Error("WaitFor did not fail the test after its timeout")
	}
}

type fatalRecorder struct {
	testing.TB
	failed bool
}

func (f *fatalRecorder) Helper() {}
func (f *fatalRecorder) Fatalf(string, ...any) {
	f.failed = true
	panic("fatal")
}

func TestRecorder(t *testing.T) {
	var r Recorder
	to := []string{"a@ostersund.se"}
	if err := r.Send(context.Background(), mail.Message{To: to, Subject: "Ett"}); err != nil {
		t.Fatal(err)
	}
	to[0] = "changed@ostersund.se" // the recorder keeps its own copy
	boom := errors.New("relay down")
	r.FailWith(boom)
	if err := r.Send(context.Background(), mail.Message{To: to, Subject: "Två"}); !errors.Is(err, boom) {
		t.Errorf("err = %v, want %v", err, boom)
	}
	r.FailWith(nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := r.Send(ctx, mail.Message{To: to, Subject: "Tre"}); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	got := r.Messages()
	if len(got) != 1 || got[0].Subject != "Ett" || got[0].To[0] != "a@ostersund.se" {
		t.Errorf("Messages = %+v", got)
	}
}
