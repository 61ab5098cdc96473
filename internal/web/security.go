package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"strings"
)

// Hardening that concerns every request: the security headers of every
// response, the limits on what a request may carry, and who the client is
// when a trusted reverse proxy stands in front. The API's rate limit is in
// ratelimit.go. docs/security.md describes all of it for operators.

// contentSecurityPolicy allows no scripts, no inline styles (the pages
// have no style attribute or element: a style injected into a page is not
// applied either) and no framing by other sites. The embeds
// (portal_embed.go), whose host colours are an inline style, and a
// report's HTML (reportFilePolicy) set their own.
const contentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'"

// reportFilePolicy is the policy of a follow-up report's HTML file shown
// in the browser: a standalone document whose stylesheet is embedded in
// it, that loads nothing and runs nothing.
const reportFilePolicy = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'"

// strictTransportSecurity keeps browsers on HTTPS for two years once they
// have reached the site over it. It is sent only on responses to requests
// that came over HTTPS: over plain http it would be ignored, and a site
// tried out over http must not be told it is HTTPS only.
const strictTransportSecurity = "max-age=63072000; includeSubDomains"

// The values of the headers every response carries, shared rather than
// allocated per request: a handler that changes one sets a new slice
// (Header.Set, Add) and never writes into these.
var (
	nosniffValue         = []string{"nosniff"}
	sameOriginValue      = []string{"same-origin"}
	policyValue          = []string{contentSecurityPolicy}
	permissionsValue     = []string{"camera=(), microphone=(), geolocation=()"}
	transportSecureValue = []string{strictTransportSecurity}
)

// setSecurityHeaders puts the headers every response carries into h:
// securityHeaders for net/http, fastHead for the fast path, which must
// answer with the same headers.
func setSecurityHeaders(h http.Header) {
	h["X-Content-Type-Options"] = nosniffValue
	h["Referrer-Policy"] = sameOriginValue
	h["Content-Security-Policy"] = policyValue
	h["Permissions-Policy"] = permissionsValue
	h["Cross-Origin-Opener-Policy"] = sameOriginValue
}

// Limits on a request. Bodies are limited per route (route.maxBody, else
// DefaultMaxBody); the request line and headers together by the server
// (http.Server.MaxHeaderBytes = MaxHeaderBytes, answered 431 by net/http).
const (
	// DefaultMaxBody is the largest body a route accepts unless its entry
	// in routeTable says more: forms and API writes are a few kB.
	DefaultMaxBody = 1 << 20
	// MaxURILength is the longest path and query a request may have; a
	// longer one is answered 414. Links of the site are far shorter.
	MaxURILength = 8 << 10
	// MaxHeaderBytes is the most the request line and headers may take,
	// for http.Server.MaxHeaderBytes.
	MaxHeaderBytes = 32 << 10
)

// WithTrustedProxies names the reverse proxies in front of the site.
// A request whose connection comes from one of them is taken to be from
// the address its X-Forwarded-For names (the right-most one that is not
// itself a trusted proxy), and to have come over HTTPS when its
// X-Forwarded-Proto says so. That address is the client's everywhere: in
// the audit trail, the sign-in throttle, the limit on barrier reports and
// the API's rate limit. Without trusted proxies these headers, which any
// client can send, are ignored.
func WithTrustedProxies(prefixes []netip.Prefix) Option {
	return func(s *server) { s.proxies = trustedProxies(prefixes) }
}

// trustedProxies are the networks of the reverse proxies whose forwarded
// headers are believed.
type trustedProxies []netip.Prefix

func (p trustedProxies) trusts(a netip.Addr) bool {
	a = a.Unmap()
	for _, prefix := range p {
		if prefix.Contains(a) {
			return true
		}
	}
	return false
}

// peerAddr is the address in a connection's remote end ("ip:port") or
// in a hop of X-Forwarded-For ("ip", "[ipv6]" or either with a port).
func peerAddr(remote string) (netip.Addr, bool) {
	if ap, err := netip.ParseAddrPort(remote); err == nil {
		return ap.Addr().Unmap(), true
	}
	a, err := netip.ParseAddr(strings.TrimSuffix(strings.TrimPrefix(remote, "["), "]"))
	return a.Unmap(), err == nil
}

// forwardedHTTPS reports whether a request from remote (its connection's
// address) came to a trusted proxy over HTTPS, as the proxy's
// X-Forwarded-Proto headers (their values, in order) say.
func (p trustedProxies) forwardedHTTPS(remote string, forwardedProto []string) bool {
	if len(p) == 0 || len(forwardedProto) == 0 {
		return false
	}
	if a, ok := peerAddr(remote); !ok || !p.trusts(a) {
		return false
	}
	first, _, _ := strings.Cut(forwardedProto[0], ",")
	return strings.EqualFold(strings.TrimSpace(first), "https")
}

// client is the address a request from remote was forwarded for: walking
// X-Forwarded-For from the right (the hop nearest to us) past the trusted
// proxies, the first address that is not one. False when remote is not a
// trusted proxy or the header names nobody. A value that is not an
// address ends the walk at the last trusted hop: a proxy wrote it, and a
// client must not choose its own key by writing nonsense.
func (p trustedProxies) client(remote string, forwardedFor []string) (netip.Addr, bool) {
	if len(p) == 0 || len(forwardedFor) == 0 {
		return netip.Addr{}, false
	}
	peer, ok := peerAddr(remote)
	if !ok || !p.trusts(peer) {
		return netip.Addr{}, false
	}
	client := peer
	for i := len(forwardedFor) - 1; i >= 0; i-- {
		hops := strings.Split(forwardedFor[i], ",")
		for j := len(hops) - 1; j >= 0; j-- {
			hop := strings.TrimSpace(hops[j])
			if hop == "" {
				continue
			}
			a, ok := peerAddr(hop)
			if !ok {
				return client, client != peer
			}
			client = a
			if !p.trusts(a) {
				return client, true
			}
		}
	}
	return client, client != peer
}

// securityHeaders sets the headers every response carries, HSTS on those
// to requests that came over HTTPS, refuses a request whose path and query
// are longer than MaxURILength, and puts the client's address in
// RemoteAddr when a trusted proxy forwarded the request. It is the
// outermost handler but the access log: everything the site answers, even
// the refusal of a cross-site request, goes through it.
func (s *server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		setSecurityHeaders(h)
		if r.TLS != nil || s.proxies.forwardedHTTPS(r.RemoteAddr, r.Header["X-Forwarded-Proto"]) {
			h["Strict-Transport-Security"] = transportSecureValue
		}
		uri := r.RequestURI
		if uri == "" {
			uri = r.URL.RequestURI()
		}
		if len(uri) > MaxURILength {
			s.log.InfoContext(r.Context(), "request refused: address too long", "method", r.Method, "length", len(uri))
			s.refuse(w, r, &statusError{status: http.StatusRequestURITooLong, code: "uri_too_long",
				message: longURIMessage(strings.HasPrefix(r.URL.Path, "/api/"))})
			return
		}
		if a, ok := s.proxies.client(r.RemoteAddr, r.Header["X-Forwarded-For"]); ok {
			forwarded := new(http.Request)
			*forwarded = *r // a shallow copy, as WithContext makes
			forwarded.RemoteAddr = netip.AddrPortFrom(a, 0).String()
			r = forwarded
		}
		next.ServeHTTP(w, r)
	})
}

func longURIMessage(api bool) string {
	if api {
		return fmt.Sprintf("The request's path and query are longer than %d bytes.", MaxURILength)
	}
	return fmt.Sprintf("Adressen är längre än %d tecken, vilket är det längsta som tas emot. Kontrollera länken.", MaxURILength)
}

// refuse answers a request that middleware turns away before it reaches a
// route: JSON under /api/, the Swedish error page elsewhere.
func (s *server) refuse(w http.ResponseWriter, r *http.Request, e *statusError) {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		s.writeJSON(w, r, e.status, apiError{Code: e.code, Message: e.message})
		return
	}
	s.renderError(w, r, e.status, e.message)
}

// limitBody makes the route refuse a body larger than its maxBody
// (DefaultMaxBody when it names none) with 413: at once when
// Content-Length says so, and when the handler fails after reading past
// the limit (a body sent without a length). Handlers that answer a too
// large body themselves, with a page that says what to do about it (the
// file imports), keep doing so within their route's limit.
func limitBody(rt route, next handlerFunc) handlerFunc {
	limit := rt.maxBody
	if limit <= 0 {
		limit = DefaultMaxBody
	}
	refusal := &statusError{status: http.StatusRequestEntityTooLarge, code: "too_large",
		message: fmt.Sprintf("The request body is larger than %s, the most this route accepts.", mebibytes(limit))}
	if rt.kind == pageRoute {
		refusal.message = fmt.Sprintf("Det som skickades är större än %s, vilket är det mesta som tas emot här.", mebibytes(limit))
	}
	return func(s *server, w http.ResponseWriter, r *http.Request) error {
		if r.ContentLength > limit {
			return refusal
		}
		if r.Body == nil || r.Body == http.NoBody {
			return next(s, w, r)
		}
		body := &limitedBody{ReadCloser: http.MaxBytesReader(w, r.Body, limit)}
		r.Body = body
		err := next(s, w, r)
		if err != nil && body.exceeded {
			return refusal
		}
		return err
	}
}

// mebibytes writes a limit for people: "1 MB", "33 MB", "512 kB".
func mebibytes(n int64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%d MB", (n+(1<<20)-1)>>20)
	}
	return fmt.Sprintf("%d kB", (n+1023)>>10)
}

// limitedBody remembers whether a read went past the route's limit, so
// that a handler's failure to read the body can be told to be that.
type limitedBody struct {
	io.ReadCloser
	exceeded bool
}

func (b *limitedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	var tooLarge *http.MaxBytesError
	if err != nil && errors.As(err, &tooLarge) {
		b.exceeded = true
	}
	return n, err
}
