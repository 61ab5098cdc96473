// Package mail sends Inkludera's e-mail — reminders of follow-up deadlines
// and notices — as plain UTF-8 text over SMTP.
package mail

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"mime/quotedprintable"
	"net"
	netmail "net/mail"
	"net/smtp"
	"strings"
	"time"
	"unicode/utf8"
)

// Message is a plain-text e-mail, written in Swedish.
type Message struct {
	// To are the recipients: "anna@kommun.se" or "Anna Öberg <anna@kommun.se>".
	To []string
	// Subject is one line of text; it is RFC 2047-encoded when not ASCII.
	Subject string
	// Body is plain UTF-8 text; line ends may be \n or \r\n. A body that
	// does not end with a line break is sent with one.
	Body string
}

// Sender sends messages. Send returns only when the message has been
// accepted for delivery or has failed; a nil error means accepted.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// TLS modes of SMTPConfig.
const (
	// TLSAuto (the default, "") upgrades with STARTTLS when the server
	// offers it and otherwise talks plain SMTP.
	TLSAuto = ""
	// TLSStartTLS requires STARTTLS: a server that does not offer it is
	// refused rather than sent the message in clear text.
	TLSStartTLS = "starttls"
	// TLSImplicit connects with TLS from the start (port 465).
	TLSImplicit = "tls"
	// TLSNone never uses TLS; then PLAIN auth is allowed only to localhost.
	TLSNone = "none"
)

// DefaultTimeout bounds one Send when the context has no deadline.
const DefaultTimeout = 30 * time.Second

// SMTPConfig configures an SMTP sender.
type SMTPConfig struct {
	Addr string // "host:port"
	// From is the sender, "noreply@kommun.se" or "Inkludera <noreply@kommun.se>".
	From string
	// Username and Password, when Username is set, log in with AUTH PLAIN,
	// which net/smtp allows only over TLS or to localhost.
	Username, Password string
	// TLS is TLSAuto, TLSStartTLS, TLSImplicit or TLSNone.
	TLS string
	// TLSConfig, when set, is used for the TLS connection (e.g. the root CA
	// of a kommun's internal relay); ServerName defaults to Addr's host.
	TLSConfig *tls.Config
	// HelloName is the name this host gives in EHLO; default "localhost".
	HelloName string
	// Timeout bounds one Send when the context has no deadline; default
	// DefaultTimeout.
	Timeout time.Duration
}

// SMTP sends messages through an SMTP server, one connection per message:
// reminders are few and a kept-open connection would only time out.
type SMTP struct {
	cfg  SMTPConfig
	host string
	from *netmail.Address
	now  func() time.Time
}

// NewSMTP checks cfg and returns a sender.
func NewSMTP(cfg SMTPConfig) (*SMTP, error) {
	host, port, err := net.SplitHostPort(cfg.Addr)
	if err != nil || host == "" || port == "" {
		return nil, fmt.Errorf("mail: address %q is not host:port", cfg.Addr)
	}
	from, err := netmail.ParseAddress(cfg.From)
	if err != nil {
		return nil, fmt.Errorf("mail: sender %q: %v", cfg.From, err)
	}
	switch cfg.TLS {
	case TLSAuto, TLSStartTLS, TLSImplicit, TLSNone:
	default:
		return nil, fmt.Errorf("mail: TLS mode %q is not one of starttls, tls or none", cfg.TLS)
	}
	if cfg.Password != "" && cfg.Username == "" {
		return nil, errors.New("mail: a password is set without a username")
	}
	if cfg.Username != "" && cfg.TLS == TLSNone && !isLocalhost(host) {
		// net/smtp would refuse at the first message; say so at start-up.
		return nil, fmt.Errorf("mail: AUTH PLAIN to %s needs TLS (it is sent in clear text only to localhost)", host)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	return &SMTP{cfg: cfg, host: host, from: from, now: time.Now}, nil
}

func isLocalhost(host string) bool {
	return host == "localhost" || host == "127.0.0.1" || host == "::1"
}

// RecipientError is a recipient the server refused. Nothing is sent then,
// to any recipient, so that a retry does not send twice.
type RecipientError struct {
	Address string
	Err     error
}

func (e *RecipientError) Error() string {
	return fmt.Sprintf("mail: recipient %s refused: %v", e.Address, e.Err)
}

func (e *RecipientError) Unwrap() error { return e.Err }

// Send delivers m to the server. The context's deadline (or cfg.Timeout)
// bounds the whole exchange, and cancelling the context aborts it at once;
// the error then wraps ctx.Err().
func (s *SMTP) Send(ctx context.Context, m Message) error {
	msg, rcpts, err := s.build(m)
	if err != nil {
		return err
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, s.cfg.Timeout)
		defer cancel()
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("mail: %w", err)
	}
	conn, err := s.dial(ctx)
	if err != nil {
		return s.fail(ctx, "connect to "+s.cfg.Addr, err)
	}
	deadline, _ := ctx.Deadline()
	conn.SetDeadline(deadline)
	// A deadline in the past unblocks whatever read or write is waiting
	// when the context is cancelled.
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()

	c, err := smtp.NewClient(conn, s.host)
	if err != nil {
		conn.Close()
		return s.fail(ctx, "greeting", err)
	}
	defer c.Close()
	if s.cfg.HelloName != "" {
		if err := c.Hello(s.cfg.HelloName); err != nil {
			return s.fail(ctx, "EHLO", err)
		}
	}
	if s.cfg.TLS == TLSAuto || s.cfg.TLS == TLSStartTLS {
		if ok, _ := c.Extension("STARTTLS"); ok {
			if err := c.StartTLS(s.tlsConfig()); err != nil {
				return s.fail(ctx, "STARTTLS", err)
			}
		} else if s.cfg.TLS == TLSStartTLS {
			return fmt.Errorf("mail: %s does not offer STARTTLS, which the configuration requires", s.cfg.Addr)
		}
	}
	if s.cfg.Username != "" {
		if ok, _ := c.Extension("AUTH"); !ok {
			return fmt.Errorf("mail: %s does not offer AUTH, but a username is configured", s.cfg.Addr)
		}
		if err := c.Auth(smtp.PlainAuth("", s.cfg.Username, s.cfg.Password, s.host)); err != nil {
			return s.fail(ctx, "AUTH", err)
		}
	}
	if err := c.Mail(s.from.Address); err != nil {
		return s.fail(ctx, "MAIL FROM", err)
	}
	for _, r := range rcpts {
		if err := c.Rcpt(r); err != nil {
			if ctx.Err() != nil {
				return s.fail(ctx, "RCPT TO", err)
			}
			_ = c.Quit() // the server is answering: end politely, nothing was sent
			return &RecipientError{Address: r, Err: err}
		}
	}
	w, err := c.Data()
	if err != nil {
		return s.fail(ctx, "DATA", err)
	}
	if _, err := w.Write(msg); err != nil {
		return s.fail(ctx, "DATA", err)
	}
	if err := w.Close(); err != nil {
		return s.fail(ctx, "end of DATA", err)
	}
	// The server has accepted the message; a failed QUIT must not make the
	// caller send it again.
	_ = c.Quit()
	return nil
}

func (s *SMTP) dial(ctx context.Context) (net.Conn, error) {
	if s.cfg.TLS == TLSImplicit {
		d := tls.Dialer{Config: s.tlsConfig()}
		return d.DialContext(ctx, "tcp", s.cfg.Addr)
	}
	var d net.Dialer
	return d.DialContext(ctx, "tcp", s.cfg.Addr)
}

func (s *SMTP) tlsConfig() *tls.Config {
	c := &tls.Config{}
	if s.cfg.TLSConfig != nil {
		c = s.cfg.TLSConfig.Clone()
	}
	if c.ServerName == "" {
		c.ServerName = s.host
	}
	if c.MinVersion == 0 {
		c.MinVersion = tls.VersionTLS12
	}
	return c
}

// fail wraps err from step, and the context's error when that is why.
func (s *SMTP) fail(ctx context.Context, step string, err error) error {
	cerr := ctx.Err()
	if dl, ok := ctx.Deadline(); ok && cerr == nil && !time.Now().Before(dl) {
		// The connection's deadline can fire a moment before the context's.
		cerr = context.DeadlineExceeded
	}
	if cerr != nil {
		return fmt.Errorf("mail: %s: %w: %w", step, cerr, err)
	}
	return fmt.Errorf("mail: %s: %w", step, err)
}

// build renders m as an RFC 5322 message with CRLF line ends and returns it
// with the envelope recipients.
func (s *SMTP) build(m Message) ([]byte, []string, error) {
	if len(m.To) == 0 {
		return nil, nil, errors.New("mail: the message has no recipient")
	}
	if strings.ContainsAny(m.Subject, "\r\n") {
		// A line break would let the subject inject headers.
		return nil, nil, errors.New("mail: the subject must be one line")
	}
	to := make([]string, len(m.To))
	rcpts := make([]string, len(m.To))
	for i, t := range m.To {
		a, err := netmail.ParseAddress(t)
		if err != nil {
			return nil, nil, fmt.Errorf("mail: recipient %q: %v", t, err)
		}
		to[i], rcpts[i] = a.String(), a.Address
	}
	id, err := s.messageID()
	if err != nil {
		return nil, nil, err
	}
	var b bytes.Buffer
	header := func(k, v string) { b.WriteString(k + ": " + v + "\r\n") }
	header("From", s.from.String())
	header("To", strings.Join(to, ",\r\n "))
	header("Subject", encodeSubject(m.Subject))
	header("Date", s.now().Format(time.RFC1123Z))
	header("Message-ID", id)
	// Everything Inkludera sends is generated; RFC 3834 asks auto-responders
	// (out-of-office replies) not to answer it.
	header("Auto-Submitted", "auto-generated")
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=UTF-8")
	header("Content-Transfer-Encoding", "quoted-printable")
	b.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&b)
	if _, err := qp.Write([]byte(m.Body)); err != nil {
		return nil, nil, err
	}
	if err := qp.Close(); err != nil {
		return nil, nil, err
	}
	if !bytes.HasSuffix(b.Bytes(), []byte("\r\n")) {
		b.WriteString("\r\n")
	}
	return b.Bytes(), rcpts, nil
}

// encodeSubject returns the Subject header's value: plain ASCII as it is,
// anything else as RFC 2047 Q-encoded words, folded so that no line is
// longer than 76 characters ("Subject: " included).
func encodeSubject(s string) string {
	if isPlainASCII(s) {
		return foldASCII(s, len("Subject: "))
	}
	const (
		prefix = "=?UTF-8?q?"
		suffix = "?="
		room   = 76 - len("Subject: ") - len(prefix) - len(suffix)
	)
	var words []string
	var w strings.Builder
	for _, r := range s {
		enc := qEncodeRune(r)
		// A word holds whole characters only (RFC 2047 section 5).
		if w.Len()+len(enc) > room {
			words = append(words, prefix+w.String()+suffix)
			w.Reset()
		}
		w.WriteString(enc)
	}
	words = append(words, prefix+w.String()+suffix)
	return strings.Join(words, "\r\n ")
}

// qEncodeRune encodes one character for a Q-encoded word in unstructured
// text, keeping only the characters RFC 2047 section 5 (3) allows as is.
func qEncodeRune(r rune) string {
	switch {
	case r == ' ':
		return "_"
	case r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("!*+-/", r)):
		return string(r)
	}
	var buf [utf8.UTFMax]byte
	n := utf8.EncodeRune(buf[:], r)
	var b strings.Builder
	for _, c := range buf[:n] {
		fmt.Fprintf(&b, "=%02X", c)
	}
	return b.String()
}

// isPlainASCII reports whether s can stand in a header unencoded: printable
// ASCII that a decoder will not mistake for an encoded word.
func isPlainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < ' ' || s[i] > '~' {
			return false
		}
	}
	return !strings.Contains(s, "=?")
}

// foldASCII breaks s at spaces so that lines stay within 78 characters,
// the first line already holding used characters.
func foldASCII(s string, used int) string {
	var b strings.Builder
	line := used
	for i, word := range strings.Split(s, " ") {
		if i > 0 {
			if line+1+len(word) > 78 && line > 1 {
				b.WriteString("\r\n")
				line = 0
			}
			b.WriteByte(' ')
			line++
		}
		b.WriteString(word)
		line += len(word)
	}
	return b.String()
}

func (s *SMTP) messageID() (string, error) {
	var r [16]byte
	if _, err := rand.Read(r[:]); err != nil {
		return "", err
	}
	domain := "inkludera.invalid"
	if at := strings.LastIndexByte(s.from.Address, '@'); at >= 0 && at < len(s.from.Address)-1 {
		domain = s.from.Address[at+1:]
	}
	return "<" + hex.EncodeToString(r[:]) + "@" + domain + ">", nil
}
