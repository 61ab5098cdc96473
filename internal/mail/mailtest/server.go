// Package mailtest provides a small SMTP server that records what it
// receives, and an in-memory mail.Sender, for tests of code that sends
// e-mail.
package mailtest

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	netmail "net/mail"
	"strings"
	"sync"
	"testing"
	"time"
)

// Received is a message the server accepted.
type Received struct {
	Helo string   // the name the client gave in EHLO or HELO
	From string   // envelope sender (MAIL FROM)
	To   []string // envelope recipients (RCPT TO), in order
	TLS  bool     // whether the session was encrypted
	User string   // who authenticated; "" without AUTH

	Raw    []byte         // the DATA after dot-unstuffing, CRLF line ends
	Header netmail.Header // parsed headers; nil when Err is set
	// Subject is the Subject header with RFC 2047 words decoded.
	Subject string
	// Body is decoded by Content-Transfer-Encoding, with \n line ends.
	Body string
	// Err says why Raw could not be parsed as a message; nil normally.
	Err error
}

// Option configures a Server.
type Option func(*Server)

// WithAuth offers AUTH PLAIN and requires it before MAIL, accepting only
// this username and password.
func WithAuth(username, password string) Option {
	return func(s *Server) { s.user, s.password = username, password }
}

// WithSTARTTLS offers STARTTLS with a self-signed certificate for
// 127.0.0.1 and localhost; clients trust it through Server.ClientTLSConfig.
func WithSTARTTLS() Option { return func(s *Server) { s.startTLS = true } }

// WithImplicitTLS speaks TLS from the first byte, as on port 465.
func WithImplicitTLS() Option { return func(s *Server) { s.implicitTLS = true } }

// RejectRecipients answers RCPT TO for these addresses with 550.
func RejectRecipients(addrs ...string) Option {
	return func(s *Server) {
		for _, a := range addrs {
			s.reject[strings.ToLower(a)] = true
		}
	}
}

// HangUpOn closes the connection without a reply when the client sends the
// command verb (e.g. "DATA"), as a crashing or overloaded server does.
func HangUpOn(verb string) Option {
	return func(s *Server) { s.hangUpOn = strings.ToUpper(verb) }
}

// maxData bounds one message so that a runaway client cannot exhaust memory.
const maxData = 10 << 20

// Server is an SMTP listener on 127.0.0.1 speaking enough of RFC 5321 for
// net/smtp: EHLO/HELO, STARTTLS, AUTH PLAIN, MAIL, RCPT, DATA, RSET, NOOP,
// VRFY and QUIT.
type Server struct {
	t  testing.TB
	ln net.Listener

	user, password        string
	startTLS, implicitTLS bool
	reject                map[string]bool
	hangUpOn              string
	tlsConfig             *tls.Config
	clientTLS             *tls.Config

	mu      sync.Mutex
	msgs    []Received
	changed chan struct{} // closed and replaced whenever a message arrives
	conns   map[net.Conn]bool
	closed  bool
	wg      sync.WaitGroup
}

// Start listens on 127.0.0.1:0 and serves until the test ends.
func Start(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s := &Server{t: t, reject: map[string]bool{}, changed: make(chan struct{}), conns: map[net.Conn]bool{}}
	for _, o := range opts {
		o(s)
	}
	if s.startTLS || s.implicitTLS {
		server, client, err := selfSigned()
		if err != nil {
			t.Fatalf("mailtest: certificate: %v", err)
		}
		s.tlsConfig, s.clientTLS = server, client
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("mailtest: %v", err)
	}
	s.ln = ln
	s.wg.Add(1)
	go s.accept()
	t.Cleanup(s.Close)
	return s
}

// Addr is the server's "host:port".
func (s *Server) Addr() string { return s.ln.Addr().String() }

// ClientTLSConfig returns a client configuration that trusts the server's
// certificate; nil when the server does not use TLS.
func (s *Server) ClientTLSConfig() *tls.Config {
	if s.clientTLS == nil {
		return nil
	}
	return s.clientTLS.Clone()
}

// Messages returns the messages received so far, oldest first.
func (s *Server) Messages() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.msgs...)
}

// WaitFor waits until at least n messages have arrived and returns them;
// after timeout it fails the test. Call it from the test's goroutine.
func (s *Server) WaitFor(n int, timeout time.Duration) []Received {
	s.t.Helper()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		s.mu.Lock()
		got, ch := len(s.msgs), s.changed
		s.mu.Unlock()
		if got >= n {
			return s.Messages()
		}
		select {
		case <-ch:
		case <-timer.C:
			s.t.Fatalf("mailtest: %d messages after %v, want %d", got, timeout, n)
			return nil
		}
	}
}

// Close stops the listener, drops open connections and waits for their
// goroutines. Start registers it with t.Cleanup.
func (s *Server) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	s.ln.Close()
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
}

func (s *Server) accept() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			c.Close()
			return
		}
		s.conns[c] = true
		s.wg.Add(1)
		s.mu.Unlock()
		go func() {
			defer s.wg.Done()
			defer func() {
				s.mu.Lock()
				delete(s.conns, c)
				s.mu.Unlock()
				c.Close()
			}()
			sess := &session{s: s}
			sess.serve(c)
		}()
	}
}

func (s *Server) record(r Received) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.msgs = append(s.msgs, r)
	close(s.changed)
	s.changed = make(chan struct{})
}

// session is one SMTP connection.
type session struct {
	s    *Server
	conn net.Conn
	r    *bufio.Reader
	w    *bufio.Writer

	helo string
	tls  bool
	user string
	// The transaction: mail is set by MAIL FROM.
	mail  bool
	from  string
	rcpts []string
}

func (ss *session) use(c net.Conn) {
	ss.conn, ss.r, ss.w = c, bufio.NewReader(c), bufio.NewWriter(c)
}

func (ss *session) reply(lines ...string) error {
	for _, l := range lines {
		ss.w.WriteString(l + "\r\n")
	}
	return ss.w.Flush()
}

// errLineTooLong is a command line over RFC 5321's limit (and then some).
var errLineTooLong = errors.New("line too long")

// readLine reads a line without its CRLF (a bare LF is accepted too).
func (ss *session) readLine() (string, error) {
	var b []byte
	for {
		chunk, isPrefix, err := ss.r.ReadLine()
		if err != nil {
			return "", err
		}
		b = append(b, chunk...)
		if len(b) > 4096 {
			return "", errLineTooLong
		}
		if !isPrefix {
			return string(b), nil
		}
	}
}

func (ss *session) serve(c net.Conn) {
	if ss.s.implicitTLS {
		tc := tls.Server(c, ss.s.tlsConfig)
		if err := tc.Handshake(); err != nil {
			return
		}
		c, ss.tls = tc, true
	}
	ss.use(c)
	if ss.reply("220 mailtest ESMTP ready") != nil {
		return
	}
	for {
		line, err := ss.readLine()
		if err != nil {
			if errors.Is(err, errLineTooLong) {
				ss.reply("500 5.5.6 line too long")
			}
			return
		}
		verb, arg, _ := strings.Cut(line, " ")
		verb = strings.ToUpper(verb)
		if verb == ss.s.hangUpOn {
			return
		}
		if !ss.command(verb, strings.TrimSpace(arg)) {
			return
		}
	}
}

// command handles one command and reports whether to go on.
func (ss *session) command(verb, arg string) bool {
	var err error
	switch verb {
	case "EHLO":
		if arg == "" {
			return ss.reply("501 5.5.4 EHLO needs a domain") == nil
		}
		ss.helo = arg
		ss.resetTx()
		lines := []string{"250-mailtest greets " + arg, "250-8BITMIME"}
		if ss.s.startTLS && !ss.tls {
			lines = append(lines, "250-STARTTLS")
		}
		if ss.s.user != "" {
			lines = append(lines, "250-AUTH PLAIN")
		}
		err = ss.reply(append(lines, "250 HELP")...)
	case "HELO":
		if arg == "" {
			return ss.reply("501 5.5.4 HELO needs a domain") == nil
		}
		ss.helo = arg
		ss.resetTx()
		err = ss.reply("250 mailtest")
	case "STARTTLS":
		return ss.startTLS()
	case "AUTH":
		return ss.auth(arg)
	case "MAIL":
		err = ss.mailFrom(arg)
	case "RCPT":
		err = ss.rcptTo(arg)
	case "DATA":
		return ss.data(arg)
	case "RSET":
		ss.resetTx()
		err = ss.reply("250 2.0.0 OK")
	case "NOOP":
		err = ss.reply("250 2.0.0 OK")
	case "VRFY":
		err = ss.reply("252 2.1.5 cannot verify, will try")
	case "QUIT":
		ss.reply("221 2.0.0 bye")
		return false
	default:
		err = ss.reply("500 5.5.2 command not recognised")
	}
	return err == nil
}

func (ss *session) resetTx() { ss.mail, ss.from, ss.rcpts = false, "", nil }

func (ss *session) startTLS() bool {
	if !ss.s.startTLS || ss.tls {
		return ss.reply("502 5.5.1 STARTTLS not available") == nil
	}
	if ss.reply("220 2.0.0 ready to start TLS") != nil {
		return false
	}
	tc := tls.Server(ss.conn, ss.s.tlsConfig)
	if err := tc.Handshake(); err != nil {
		return false
	}
	// RFC 3207: forget everything learnt before the handshake.
	ss.use(tc)
	ss.tls, ss.helo, ss.user = true, "", ""
	ss.resetTx()
	return true
}

func (ss *session) auth(arg string) bool {
	if ss.s.user == "" {
		return ss.reply("502 5.5.1 AUTH not available") == nil
	}
	if ss.user != "" {
		return ss.reply("503 5.5.1 already authenticated") == nil
	}
	mech, resp, _ := strings.Cut(arg, " ")
	if !strings.EqualFold(mech, "PLAIN") {
		return ss.reply("504 5.5.4 only PLAIN is supported") == nil
	}
	if resp == "" {
		if ss.reply("334 ") != nil {
			return false
		}
		var err error
		if resp, err = ss.readLine(); err != nil {
			return false
		}
	}
	if resp == "*" {
		return ss.reply("501 5.0.0 AUTH cancelled") == nil
	}
	dec, err := base64.StdEncoding.DecodeString(strings.TrimSpace(resp))
	if err != nil {
		return ss.reply("501 5.5.2 cannot decode the response") == nil
	}
	parts := strings.Split(string(dec), "\x00")
	if len(parts) != 3 || parts[1] != ss.s.user || parts[2] != ss.s.password {
		return ss.reply("535 5.7.8 authentication credentials invalid") == nil
	}
	ss.user = parts[1]
	return ss.reply("235 2.7.0 authentication successful") == nil
}

// path extracts the address of "FROM:<a@b> PARAM=…" after the given prefix.
func path(arg, prefix string) (string, bool) {
	if len(arg) < len(prefix) || !strings.EqualFold(arg[:len(prefix)], prefix) {
		return "", false
	}
	rest := strings.TrimSpace(arg[len(prefix):])
	if !strings.HasPrefix(rest, "<") {
		return "", false
	}
	end := strings.IndexByte(rest, '>')
	if end < 0 {
		return "", false
	}
	return rest[1:end], true
}

func (ss *session) mailFrom(arg string) error {
	switch {
	case ss.helo == "":
		return ss.reply("503 5.5.1 EHLO or HELO first")
	case ss.s.user != "" && ss.user == "":
		return ss.reply("530 5.7.0 authentication required")
	case ss.mail:
		return ss.reply("503 5.5.1 nested MAIL command")
	}
	from, ok := path(arg, "FROM:")
	if !ok {
		return ss.reply("501 5.5.4 syntax: MAIL FROM:<address>")
	}
	ss.mail, ss.from = true, from
	return ss.reply("250 2.1.0 OK")
}

func (ss *session) rcptTo(arg string) error {
	if !ss.mail {
		return ss.reply("503 5.5.1 MAIL first")
	}
	to, ok := path(arg, "TO:")
	if !ok || to == "" {
		return ss.reply("501 5.5.4 syntax: RCPT TO:<address>")
	}
	if ss.s.reject[strings.ToLower(to)] {
		return ss.reply("550 5.1.1 <" + to + ">: recipient address rejected")
	}
	ss.rcpts = append(ss.rcpts, to)
	return ss.reply("250 2.1.5 OK")
}

func (ss *session) data(arg string) bool {
	if arg != "" {
		return ss.reply("501 5.5.4 DATA takes no argument") == nil
	}
	if len(ss.rcpts) == 0 {
		return ss.reply("503 5.5.1 RCPT first") == nil
	}
	if ss.reply("354 end data with <CR><LF>.<CR><LF>") != nil {
		return false
	}
	var raw bytes.Buffer
	tooBig := false
	for {
		line, err := ss.r.ReadString('\n')
		if err != nil {
			return false
		}
		content := strings.TrimRight(line, "\r\n")
		if content == "." {
			break
		}
		// Dot-unstuffing (RFC 5321 4.5.2).
		content = strings.TrimPrefix(content, ".")
		if raw.Len()+len(content) > maxData {
			tooBig = true
			continue
		}
		raw.WriteString(content + "\r\n")
	}
	if tooBig {
		ss.resetTx()
		return ss.reply("552 5.3.4 message too big") == nil
	}
	rec := parse(raw.Bytes())
	rec.Helo, rec.From, rec.To, rec.TLS, rec.User = ss.helo, ss.from, ss.rcpts, ss.tls, ss.user
	ss.s.record(rec)
	ss.resetTx()
	return ss.reply("250 2.0.0 OK queued") == nil
}

// parse reads the headers and decodes the body of raw.
func parse(raw []byte) Received {
	rec := Received{Raw: raw}
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		rec.Err, rec.Body = err, string(raw)
		return rec
	}
	rec.Header = msg.Header
	dec := new(mime.WordDecoder)
	if rec.Subject, err = dec.DecodeHeader(msg.Header.Get("Subject")); err != nil {
		rec.Err = err
	}
	var body io.Reader = msg.Body
	switch strings.ToLower(msg.Header.Get("Content-Transfer-Encoding")) {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body)
	}
	b, err := io.ReadAll(body)
	if err != nil && rec.Err == nil {
		rec.Err = err
	}
	rec.Body = strings.ReplaceAll(string(b), "\r\n", "\n")
	return rec
}
