package web

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/inkludera/inkludera/internal/auth"
	"github.com/inkludera/inkludera/internal/i18n"
)

// The fast path answers the commonest request of a public site, an
// anonymous GET of a page the page cache holds, below net/http: one read,
// one parse of the request head and one writev of the stored response.
// net/http spends most of a cached page's time on its own machinery (two
// writes per response, 3–4 kB of allocations, a goroutine handshake per
// request), which capped a cached page at half of what nginx serves.
//
// The fast path parses only the narrowest form of request: "GET /path
// HTTP/1.1" with plain headers, no body, no session cookie, no
// Authorization, no conditional or range headers and no ?lang= (which sets
// a cookie). Anything else, and any miss of the cache, hands the
// connection with the bytes already read over to net/http, which serves it
// from then on. So net/http still answers everything that needs judgement;
// the fast path never answers anything net/http would answer differently
// (TestFastPathMatchesNetHTTP compares them byte for byte).

// Listen wraps ln for http.Server.Serve: connections are first served by
// the fast path, and handed to the server through the returned listener
// when a request needs it. Close the returned listener (Server.Shutdown
// does) to stop both. ln must be a plain TCP listener: net/http would not
// see TLS through the connections handed over.
func (h *Handler) Listen(ln net.Listener) net.Listener {
	fl := &fastListener{Listener: ln, s: h.s, conns: make(chan net.Conn), done: make(chan struct{}),
		active: map[net.Conn]struct{}{}, idle: 2 * time.Minute, headTimeout: 10 * time.Second}
	if h.s.cache.off {
		return ln
	}
	go fl.acceptLoop()
	return fl
}

type fastListener struct {
	net.Listener
	s                 *server
	conns             chan net.Conn // handed over to net/http
	done              chan struct{} // closed when accepting has ended
	err               error         // why, once done is closed
	closeOnce         sync.Once
	closing           atomic.Bool
	mu                sync.Mutex
	active            map[net.Conn]struct{}
	idle, headTimeout time.Duration
	// answered counts the requests the fast path answered (for tests).
	answered atomic.Int64
}

func (fl *fastListener) acceptLoop() {
	var delay time.Duration
	for {
		c, err := fl.Listener.Accept()
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() && !fl.closing.Load() {
				// As net/http does for temporary errors (too many files).
				delay = min(max(2*delay, 5*time.Millisecond), time.Second)
				time.Sleep(delay)
				continue
			}
			fl.err = err
			close(fl.done)
			return
		}
		delay = 0
		fl.track(c, true)
		go fl.serve(c)
	}
}

// Accept returns the next connection for net/http.
func (fl *fastListener) Accept() (net.Conn, error) {
	select {
	case c := <-fl.conns:
		return c, nil
	case <-fl.done:
		return nil, fl.err
	}
}

// Close stops accepting and ends the fast path's idle connections; a
// response being written is finished first.
func (fl *fastListener) Close() error {
	var err error
	fl.closeOnce.Do(func() {
		fl.closing.Store(true)
		err = fl.Listener.Close()
		fl.mu.Lock()
		for c := range fl.active {
			_ = c.SetReadDeadline(time.Now()) // wakes a reader waiting for the next request
		}
		fl.mu.Unlock()
	})
	return err
}

func (fl *fastListener) track(c net.Conn, on bool) {
	fl.mu.Lock()
	defer fl.mu.Unlock()
	if on {
		fl.active[c] = struct{}{}
	} else {
		delete(fl.active, c)
	}
}

// serve answers the connection's requests while the cache can, then hands
// it over or closes it.
func (fl *fastListener) serve(c net.Conn) {
	br := bufio.NewReaderSize(c, 4096)
	var out net.Buffers
	var head []byte
	for {
		if fl.closing.Load() {
			fl.finish(c)
			return
		}
		_ = c.SetReadDeadline(time.Now().Add(fl.idle))
		if _, err := br.Peek(1); err != nil {
			fl.finish(c) // the reader went away, or stayed idle too long
			return
		}
		_ = c.SetReadDeadline(time.Now().Add(fl.headTimeout))
		raw, ok, err := readHead(br)
		if err != nil {
			fl.finish(c) // a head that never ended: net/http would time out too
			return
		}
		if !ok {
			fl.handOver(c, br)
			return
		}
		start := time.Now()
		req, ok := parseFastRequest(raw)
		if !ok {
			fl.handOver(c, br)
			return
		}
		e := fl.s.cache.lookupFast(req)
		if e == nil {
			fl.handOver(c, br)
			return
		}
		_, _ = br.Discard(len(raw))
		https := len(req.forwardedProto) > 0 && fl.s.proxies.forwardedHTTPS(c.RemoteAddr().String(), req.forwardedProto)
		head = e.fastHead(head[:0], req.close, https)
		out = append(out[:0], head, e.body)
		fl.answered.Add(1)
		_ = c.SetWriteDeadline(time.Now().Add(60 * time.Second))
		if _, err := out.WriteTo(c); err != nil {
			fl.finish(c)
			return
		}
		if log := fl.s.log; log.Enabled(context.Background(), slog.LevelInfo) {
			log.LogAttrs(context.Background(), slog.LevelInfo, "request", slog.String("method", http.MethodGet),
				slog.String("path", req.path), slog.Int("status", http.StatusOK), slog.Int("bytes", len(e.body)),
				slog.Duration("duration", time.Since(start)), slog.Bool("fast", true))
		}
		if req.close {
			fl.finish(c)
			return
		}
	}
}

func (fl *fastListener) finish(c net.Conn) {
	fl.track(c, false)
	_ = c.Close()
}

// handOver gives the connection to net/http with what was read of it.
func (fl *fastListener) handOver(c net.Conn, br *bufio.Reader) {
	fl.track(c, false)
	_ = c.SetDeadline(time.Time{}) // net/http sets its own
	hc := &handedConn{Conn: c, r: br}
	select {
	case fl.conns <- hc:
	case <-fl.done:
		_ = c.Close()
	}
}

// handedConn is a connection whose first bytes were read into r.
type handedConn struct {
	net.Conn
	r *bufio.Reader
}

func (hc *handedConn) Read(p []byte) (int, error) {
	if hc.r != nil {
		if hc.r.Buffered() > 0 {
			return hc.r.Read(p)
		}
		hc.r = nil // drained: read the connection itself
	}
	return hc.Conn.Read(p)
}

// readHead returns the request head (up to and with the blank line) from
// the reader's buffer without consuming it; ok is false when the head does
// not fit the buffer, err set when the connection failed or timed out
// first.
func readHead(br *bufio.Reader) (head []byte, ok bool, err error) {
	for {
		buf, _ := br.Peek(br.Buffered())
		if i := bytes.Index(buf, []byte("\r\n\r\n")); i >= 0 {
			return buf[:i+4], true, nil
		}
		if br.Buffered() >= br.Size() {
			return nil, false, nil
		}
		if _, err := br.Peek(br.Buffered() + 1); err != nil {
			return nil, false, err
		}
	}
}

// fastRequest is what the fast path needs of a request.
type fastRequest struct {
	path, query    string
	host           string
	forwardedProto []string
	forwardedHost  []string
	cookie         string // the language cookie's value
	acceptLanguage string
	close          bool
}

// parseFastRequest parses a request head the fast path may answer; false
// for anything else.
func parseFastRequest(head []byte) (fastRequest, bool) {
	var r fastRequest
	line, rest, _ := bytes.Cut(head, []byte("\r\n"))
	target, ok := bytes.CutPrefix(line, []byte("GET "))
	if !ok {
		return r, false
	}
	target, ok = bytes.CutSuffix(target, []byte(" HTTP/1.1"))
	if !ok || len(target) == 0 || target[0] != '/' {
		return r, false
	}
	path, query, _ := bytes.Cut(target, []byte("?"))
	if !plainPath(path) || !plainQuery(query) {
		return r, false
	}
	r.path, r.query = string(path), string(query)
	if hasLangParam(r.query) {
		return r, false // sets the language cookie: net/http's
	}
	hosts, langCookies, accepts := 0, 0, 0
	for len(rest) > 0 {
		var l []byte
		l, rest, _ = bytes.Cut(rest, []byte("\r\n"))
		if len(l) == 0 {
			break
		}
		name, value, ok := bytes.Cut(l, []byte(":"))
		if !ok || !token(name) || !fieldValue(value) {
			return r, false // also a folded line, which starts with a space
		}
		v := string(bytes.Trim(value, " \t"))
		switch strings.ToLower(string(name)) {
		case "host":
			hosts++
			r.host = v
		case "cookie":
			if strings.Contains(v, auth.SessionCookieName) {
				return r, false
			}
			for _, part := range strings.Split(v, ";") {
				if k, val, ok := strings.Cut(strings.TrimSpace(part), "="); ok && k == i18n.CookieName {
					if strings.Contains(val, `"`) {
						return r, false // net/http unquotes a value or drops it
					}
					langCookies++
					r.cookie = val
				}
			}
		case "accept-language":
			accepts++
			r.acceptLanguage = v
		case "connection":
			for _, t := range strings.Split(strings.ToLower(v), ",") {
				switch strings.TrimSpace(t) {
				case "close":
					r.close = true
				case "keep-alive", "":
				default:
					return r, false // upgrade and the like
				}
			}
		case "x-forwarded-proto":
			r.forwardedProto = append(r.forwardedProto, v)
		case "x-forwarded-host":
			r.forwardedHost = append(r.forwardedHost, v)
		case "authorization", "content-length", "transfer-encoding", "expect", "upgrade", "range",
			"if-none-match", "if-modified-since", "if-match", "if-unmodified-since", "if-range", "te", "trailer":
			return r, false
		}
	}
	// Exactly one Host (HTTP/1.1 requires it); one value where
	// net/http would take the first of several.
	return r, hosts == 1 && r.host != "" && langCookies <= 1 && accepts <= 1
}

// plainPath: only characters that net/http's URL parsing and the router's
// cleaning leave as they are, and no dot segments or double slashes.
func plainPath(p []byte) bool {
	if bytes.Contains(p, []byte("//")) || bytes.Contains(p, []byte("/.")) {
		return false
	}
	for _, c := range p {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') {
			return false
		}
	}
	return true
}

// plainQuery: printable ASCII without spaces, as net/http keeps RawQuery.
func plainQuery(q []byte) bool {
	for _, c := range q {
		if c <= ' ' || c >= 0x7f || c == '#' {
			return false
		}
	}
	return true
}

// hasLangParam reports whether the query may set lang as net/http reads
// it, which unescapes names: "l%61ng=en" is lang too.
func hasLangParam(q string) bool {
	for q != "" {
		var part string
		part, q, _ = strings.Cut(q, "&")
		name, _, _ := strings.Cut(part, "=")
		if name == "lang" || strings.Contains(name, "%") {
			return true
		}
	}
	return false
}

// fieldValue: no control characters but tab, as net/http's header reading
// requires (it refuses the request with 400 otherwise). A bare line feed,
// which net/http would read as the end of the line, is one of them.
func fieldValue(v []byte) bool {
	for _, c := range v {
		if c < ' ' && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}

func token(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0) {
			return false
		}
	}
	return true
}

// lookupFast finds the cached entry for a fast request, with the same key
// the middleware computes.
func (c *pageCache) lookupFast(r fastRequest) *cacheEntry {
	lang, _ := i18n.MatchValues("", r.cookie, r.acceptLanguage)
	var buf [256]byte
	return c.lookup(appendKeyParts(buf[:0], lang.Code, false, r.host, r.forwardedProto, r.forwardedHost, r.path, r.query))
}

// fastHead appends the response head to b: the status line, the headers
// every response carries (securityHeaders, withLanguage), the entry's own
// as entry.write sets them, Strict-Transport-Security when a trusted proxy
// says the request came over HTTPS, Date, and Connection: close when
// closing.
func (e *cacheEntry) fastHead(b []byte, closing, https bool) []byte {
	fixed := e.fastHeaders.Load()
	if fixed == nil {
		h := http.Header{}
		setSecurityHeaders(h)
		h.Add("Vary", languageVary)
		for k, v := range e.set {
			h[k] = v
		}
		for _, k := range e.del {
			delete(h, k)
		}
		h["Etag"] = e.etagValue
		h["Cache-Control"] = cacheControl
		h["Last-Modified"] = e.modifiedValue
		h["Content-Length"] = e.lengthValue
		var buf bytes.Buffer
		buf.WriteString("HTTP/1.1 200 OK\r\n")
		_ = h.Write(&buf)
		s := buf.Bytes()
		fixed = &s
		e.fastHeaders.Store(fixed)
	}
	b = append(b, *fixed...)
	if https {
		b = append(b, "Strict-Transport-Security: "+strictTransportSecurity+"\r\n"...)
	}
	b = append(b, "Date: "...)
	b = appendDate(b)
	b = append(b, "\r\n"...)
	if closing {
		b = append(b, "Connection: close\r\n"...)
	}
	return append(b, "\r\n"...)
}

// appendDate appends the current time in HTTP form, made once a second.
func appendDate(b []byte) []byte {
	now := time.Now().Unix()
	if d := httpDate.Load(); d != nil && d.unix == now {
		return append(b, d.text...)
	}
	d := &dateText{unix: now, text: time.Unix(now, 0).UTC().Format(http.TimeFormat)}
	httpDate.Store(d)
	return append(b, d.text...)
}

type dateText struct {
	unix int64
	text string
}

var httpDate atomic.Pointer[dateText]
