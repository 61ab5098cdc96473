package mail_test

import (
	"bytes"
	"context"
	"errors"
	"net"
	netmail "net/mail"
	"net/textproto"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/inkludera/inkludera/internal/mail"
	"github.com/inkludera/inkludera/internal/mail/mailtest"
)

func newSMTP(t *testing.T, cfg mail.SMTPConfig) *mail.SMTP {
	t.Helper()
	if cfg.From == "" {
		cfg.From = "Inkludera Östersund <noreply@ostersund.se>"
	}
	s, err := mail.NewSMTP(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSendContent(t *testing.T) {
	tests := []struct {
		name    string
		to      []string
		subject string
		body    string
	}{
		{
			name:    "swedish subject and body",
			to:      []string{"Åsa Öberg <asa.oberg@ostersund.se>", "bun@ostersund.se"},
			subject: "Påminnelse: uppföljningen av aktivitetsplanen ska vara klar 2026-03-31",
			body:    "Hej!\n\nBarn- och utbildningsnämndens uppföljning för år 2026 är försenad.\nÄndra status på aktiviteterna i Inkludera.\n\nMed vänliga hälsningar\nIntegrationssamordnaren\n",
		},
		{
			name:    "ascii only",
			to:      []string{"kf@ostersund.se"},
			subject: "Reminder",
			body:    "Plain text.\n",
		},
		{
			name:    "long ascii subject is folded at spaces",
			to:      []string{"kf@ostersund.se"},
			subject: strings.TrimSpace(strings.Repeat("The follow-up report is waiting for approval. ", 4)),
			body:    "a body without a final line break gets one",
		},
		{
			name:    "ascii that looks like an encoded word is encoded",
			to:      []string{"kf@ostersund.se"},
			subject: "=?UTF-8?q?not_really?=",
			body:    "x\n",
		},
		{
			name:    "long subject is folded",
			to:      []string{"kf@ostersund.se"},
			subject: strings.Repeat("Årsrapporten för integrationsstrategin väntar på godkännande – ", 4),
			body:    "x\n",
		},
		{
			name:    "lines starting with a dot and long lines survive",
			to:      []string{"kf@ostersund.se"},
			subject: "Punkt",
			body:    ".\n..två punkter\n. mellanslag\n" + strings.Repeat("lång rad med å ä ö och = tecken ", 10) + "\nslut\n",
		},
		{
			name:    "crlf line ends are kept as lines",
			to:      []string{"kf@ostersund.se"},
			subject: "CRLF",
			body:    "rad ett\r\nrad två\r\n",
		},
		{
			name:    "empty body",
			to:      []string{"kf@ostersund.se"},
			subject: "Tomt",
			body:    "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := mailtest.Start(t, mailtest.WithAuth("inkludera", "hemligt"))
			s := newSMTP(t, mail.SMTPConfig{Addr: srv.Addr(), Username: "inkludera", Password: "hemligt", HelloName: "inkludera.ostersund.se"})
			before := time.Now().Add(-time.Second)
			if err := s.Send(context.Background(), mail.Message{To: tt.to, Subject: tt.subject, Body: tt.body}); err != nil {
				t.Fatal(err)
			}
			got := srv.WaitFor(1, 5*time.Second)[0]
			if got.Err != nil {
				t.Fatalf("unparsable message: %v\n%s", got.Err, got.Raw)
			}
			if got.Subject != tt.subject {
				t.Errorf("Subject = %q, want %q", got.Subject, tt.subject)
			}
			wantBody := strings.ReplaceAll(tt.body, "\r\n", "\n")
			if wantBody != "" && !strings.HasSuffix(wantBody, "\n") {
				wantBody += "\n"
			}
			if got.Body != wantBody {
				t.Errorf("Body = %q, want %q", got.Body, wantBody)
			}
			var wantRcpt []string
			for _, a := range tt.to {
				pa, _ := netmail.ParseAddress(a)
				wantRcpt = append(wantRcpt, pa.Address)
			}
			if !slices.Equal(got.To, wantRcpt) || got.From != "noreply@ostersund.se" {
				t.Errorf("envelope %s → %v, want noreply@ostersund.se → %v", got.From, got.To, wantRcpt)
			}
			if got.User != "inkludera" || got.Helo != "inkludera.ostersund.se" {
				t.Errorf("user %q helo %q", got.User, got.Helo)
			}
			h := got.Header
			for k, want := range map[string]string{
				"MIME-Version":              "1.0",
				"Content-Type":              "text/plain; charset=UTF-8",
				"Content-Transfer-Encoding": "quoted-printable",
				"Auto-Submitted":            "auto-generated",
			} {
				if h.Get(k) != want {
					t.Errorf("%s = %q, want %q", k, h.Get(k), want)
				}
			}
			from, err := h.AddressList("From")
			if err != nil || len(from) != 1 || from[0].Name != "Inkludera Östersund" || from[0].Address != "noreply@ostersund.se" {
				t.Errorf("From = %v (%v)", from, err)
			}
			to, err := h.AddressList("To")
			if err != nil || len(to) != len(tt.to) {
				t.Fatalf("To = %v (%v)", to, err)
			}
			for i, a := range tt.to {
				pa, _ := netmail.ParseAddress(a)
				if *to[i] != *pa {
					t.Errorf("To[%d] = %v, want %v", i, to[i], pa)
				}
			}
			date, err := h.Date()
			if err != nil || date.Before(before) || date.After(time.Now().Add(time.Second)) {
				t.Errorf("Date = %v (%v)", date, err)
			}
			if !regexp.MustCompile(`^<[0-9a-f]{32}@ostersund\.se>$`).MatchString(h.Get("Message-ID")) {
				t.Errorf("Message-ID = %q", h.Get("Message-ID"))
			}
			// Everything on the wire is 7-bit and within RFC 5322's line length.
			for i, line := range bytes.Split(got.Raw, []byte("\r\n")) {
				if len(line) > 78 {
					t.Errorf("line %d has %d characters: %q", i+1, len(line), line)
				}
				for _, c := range line {
					if c >= 0x80 {
						t.Fatalf("line %d is not ASCII: %q", i+1, line)
					}
				}
			}
		})
	}
}

func TestSendTwoMessagesGetDistinctIDs(t *testing.T) {
	srv := mailtest.Start(t)
	s := newSMTP(t, mail.SMTPConfig{Addr: srv.Addr()})
	for range 2 {
		if err := s.Send(context.Background(), mail.Message{To: []string{"a@ostersund.se"}, Subject: "Hej", Body: "x\n"}); err != nil {
			t.Fatal(err)
		}
	}
	got := srv.WaitFor(2, 5*time.Second)
	if got[0].Header.Get("Message-ID") == got[1].Header.Get("Message-ID") {
		t.Error("two messages share a Message-ID")
	}
}

func TestSendTLSAndAuth(t *testing.T) {
	tests := []struct {
		name     string
		opts     []mailtest.Option
		cfg      mail.SMTPConfig
		trust    bool // give the client the server's certificate
		wantTLS  bool
		wantUser string
		wantErr  string
	}{
		{name: "plain when no STARTTLS is offered", wantTLS: false},
		{name: "STARTTLS used when offered", opts: []mailtest.Option{mailtest.WithSTARTTLS()}, trust: true, wantTLS: true},
		{name: "STARTTLS required and offered", opts: []mailtest.Option{mailtest.WithSTARTTLS()}, cfg: mail.SMTPConfig{TLS: mail.TLSStartTLS}, trust: true, wantTLS: true},
		{name: "STARTTLS required but not offered", cfg: mail.SMTPConfig{TLS: mail.TLSStartTLS}, wantErr: "does not offer STARTTLS"},
		{name: "none ignores offered STARTTLS", opts: []mailtest.Option{mailtest.WithSTARTTLS()}, cfg: mail.SMTPConfig{TLS: mail.TLSNone}, wantTLS: false},
		{name: "implicit TLS", opts: []mailtest.Option{mailtest.WithImplicitTLS()}, cfg: mail.SMTPConfig{TLS: mail.TLSImplicit}, trust: true, wantTLS: true},
		{name: "untrusted certificate", opts: []mailtest.Option{mailtest.WithSTARTTLS()}, wantErr: "certificate"},
		{
			name:  "AUTH PLAIN over STARTTLS",
			opts:  []mailtest.Option{mailtest.WithSTARTTLS(), mailtest.WithAuth("bun", "lösenord")},
			cfg:   mail.SMTPConfig{Username: "bun", Password: "lösenord"},
			trust: true, wantTLS: true, wantUser: "bun",
		},
		{
			name:     "AUTH PLAIN to localhost without TLS",
			opts:     []mailtest.Option{mailtest.WithAuth("bun", "lösenord")},
			cfg:      mail.SMTPConfig{Username: "bun", Password: "lösenord", TLS: mail.TLSNone},
			wantUser: "bun",
		},
		{
			name:    "wrong password",
			opts:    []mailtest.Option{mailtest.WithAuth("bun", "lösenord")},
			cfg:     mail.SMTPConfig{Username: "bun", Password: "fel"},
			wantErr: "535",
		},
		{name: "AUTH configured but not offered", cfg: mail.SMTPConfig{Username: "bun", Password: "x"}, wantErr: "does not offer AUTH"},
		{name: "server requires AUTH", opts: []mailtest.Option{mailtest.WithAuth("bun", "x")}, wantErr: "530"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := mailtest.Start(t, tt.opts...)
			cfg := tt.cfg
			cfg.Addr = srv.Addr()
			if tt.trust {
				cfg.TLSConfig = srv.ClientTLSConfig()
			}
			err := newSMTP(t, cfg).Send(context.Background(), mail.Message{To: []string{"kf@ostersund.se"}, Subject: "Hej", Body: "Hej då\n"})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
				}
				if n := len(srv.Messages()); n != 0 {
					t.Errorf("server got %d messages after an error", n)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := srv.WaitFor(1, 5*time.Second)[0]
			if got.TLS != tt.wantTLS || got.User != tt.wantUser {
				t.Errorf("TLS %v user %q, want %v %q", got.TLS, got.User, tt.wantTLS, tt.wantUser)
			}
			if got.Body != "Hej då\n" {
				t.Errorf("Body = %q", got.Body)
			}
		})
	}
}

func TestSendRefusedRecipient(t *testing.T) {
	srv := mailtest.Start(t, mailtest.RejectRecipients("okand@ostersund.se"))
	s := newSMTP(t, mail.SMTPConfig{Addr: srv.Addr()})
	err := s.Send(context.Background(), mail.Message{
		To:      []string{"kf@ostersund.se", "Okänd <okand@ostersund.se>"},
		Subject: "Påminnelse", Body: "x\n",
	})
	var re *mail.RecipientError
	if !errors.As(err, &re) {
		t.Fatalf("err = %v, want a RecipientError", err)
	}
	if re.Address != "okand@ostersund.se" {
		t.Errorf("Address = %q", re.Address)
	}
	var te *textproto.Error
	if !errors.As(err, &te) || te.Code != 550 {
		t.Errorf("err does not wrap the 550 reply: %v", err)
	}
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("server got %d messages; none should be sent when a recipient is refused", n)
	}
	// The sender is usable afterwards.
	if err := s.Send(context.Background(), mail.Message{To: []string{"kf@ostersund.se"}, Subject: "Igen", Body: "y\n"}); err != nil {
		t.Fatal(err)
	}
	srv.WaitFor(1, 5*time.Second)
}

func TestSendServerHangsUp(t *testing.T) {
	for _, verb := range []string{"EHLO", "MAIL", "RCPT", "DATA"} {
		t.Run(verb, func(t *testing.T) {
			srv := mailtest.Start(t, mailtest.HangUpOn(verb))
			s := newSMTP(t, mail.SMTPConfig{Addr: srv.Addr()})
			start := time.Now()
			err := s.Send(context.Background(), mail.Message{To: []string{"kf@ostersund.se"}, Subject: "Hej", Body: "x\n"})
			if err == nil {
				t.Fatal("Send succeeded though the server hung up")
			}
			if time.Since(start) > 5*time.Second {
				t.Errorf("Send took %v to notice", time.Since(start))
			}
			if n := len(srv.Messages()); n != 0 {
				t.Errorf("server recorded %d messages", n)
			}
		})
	}
}

// silentServer accepts connections and never says anything.
func silentServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	var conns []net.Conn
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				for _, c := range conns {
					c.Close()
				}
				return
			}
			conns = append(conns, c)
		}
	}()
	t.Cleanup(func() { ln.Close(); <-done })
	return ln.Addr().String()
}

func TestSendContext(t *testing.T) {
	tests := []struct {
		name    string
		timeout time.Duration // SMTPConfig.Timeout
		ctx     func() (context.Context, context.CancelFunc)
		want    error
	}{
		{
			name: "cancelled while waiting for the greeting",
			ctx: func() (context.Context, context.CancelFunc) {
				ctx, cancel := context.WithCancel(context.Background())
				time.AfterFunc(100*time.Millisecond, cancel)
				return ctx, cancel
			},
			want: context.Canceled,
		},
		{
			name: "deadline while waiting for the greeting",
			ctx: func() (context.Context, context.CancelFunc) {
				return context.WithTimeout(context.Background(), 100*time.Millisecond)
			},
			want: context.DeadlineExceeded,
		},
		{
			name:    "configured timeout without a deadline",
			timeout: 100 * time.Millisecond,
			ctx: func() (context.Context, context.CancelFunc) {
				return context.WithCancel(context.Background())
			},
			want: context.DeadlineExceeded,
		},
		{
			name: "already cancelled",
			ctx: func() (context.Context, context.CancelFunc) {
				ctx, cancel := context.WithCancel(context.Background())
				cancel()
				return ctx, cancel
			},
			want: context.Canceled,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSMTP(t, mail.SMTPConfig{Addr: silentServer(t), Timeout: tt.timeout})
			ctx, cancel := tt.ctx()
			defer cancel()
			start := time.Now()
			err := s.Send(ctx, mail.Message{To: []string{"kf@ostersund.se"}, Subject: "Hej", Body: "x\n"})
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if d := time.Since(start); d > 3*time.Second {
				t.Errorf("Send returned after %v", d)
			}
		})
	}
}

func TestSendInvalidMessage(t *testing.T) {
	tests := []struct {
		name string
		m    mail.Message
		want string
	}{
		{"no recipient", mail.Message{Subject: "Hej"}, "no recipient"},
		{"bad address", mail.Message{To: []string{"inte en adress"}, Subject: "Hej"}, `recipient "inte en adress"`},
		{"subject with a line break", mail.Message{To: []string{"a@ostersund.se"}, Subject: "Hej\r\nBcc: x@example.com"}, "one line"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := mailtest.Start(t)
			err := newSMTP(t, mail.SMTPConfig{Addr: srv.Addr()}).Send(context.Background(), tt.m)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
			if n := len(srv.Messages()); n != 0 {
				t.Errorf("server got %d messages", n)
			}
		})
	}
}

func TestNewSMTPInvalid(t *testing.T) {
	tests := []struct {
		name string
		cfg  mail.SMTPConfig
		want string
	}{
		{"no port", mail.SMTPConfig{Addr: "smtp.ostersund.se", From: "a@ostersund.se"}, "not host:port"},
		{"no host", mail.SMTPConfig{Addr: ":25", From: "a@ostersund.se"}, "not host:port"},
		{"bad sender", mail.SMTPConfig{Addr: "smtp.ostersund.se:25", From: "noreply"}, `sender "noreply"`},
		{"unknown TLS mode", mail.SMTPConfig{Addr: "smtp.ostersund.se:25", From: "a@ostersund.se", TLS: "ssl"}, `TLS mode "ssl"`},
		{"password without username", mail.SMTPConfig{Addr: "smtp.ostersund.se:25", From: "a@ostersund.se", Password: "x"}, "without a username"},
		{"clear-text auth to a remote host", mail.SMTPConfig{Addr: "smtp.ostersund.se:25", From: "a@ostersund.se", Username: "u", TLS: mail.TLSNone}, "needs TLS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := mail.NewSMTP(tt.cfg)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
}
