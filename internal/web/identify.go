package web

import (
	"context"
	"net"
	"net/http"
	"strings"

	"github.com/inkludera/inkludera/internal/auth"
	"github.com/inkludera/inkludera/internal/strategy"
)

// withSession loads the browser's session around next. Static files and
// the health check never need one: skipping them spares the store a read
// for every stylesheet and every load balancer probe.
func (s *server) withSession(next http.Handler) http.Handler {
	loaded := s.sessions.Middleware(next)
	s.sessions.SetErrorHandler(s.sessionFailed)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/static/") || r.URL.Path == "/healthz" {
			next.ServeHTTP(w, r)
			return
		}
		loaded.ServeHTTP(w, r)
	})
}

// sessionFailed answers a request whose session could not be loaded or
// saved: the store failed. The page is rendered without the session.
func (s *server) sessionFailed(w http.ResponseWriter, r *http.Request, err error) {
	s.log.ErrorContext(r.Context(), "session", "path", r.URL.Path, "err", err.Error())
	bare := r.WithContext(context.WithoutCancel(context.Background()))
	if strings.HasPrefix(r.URL.Path, "/api/") {
		s.writeJSON(w, bare, http.StatusInternalServerError, apiError{Code: string(strategy.CodeInternal), Message: internalMessage})
		return
	}
	s.renderError(w, bare, http.StatusInternalServerError, internalMessage)
}

// identify finds who is asking: on /api/ routes the user of a Bearer API
// token, otherwise the user of the session. A disabled or deleted user is
// the public. When it finds a user it puts them in the request's context
// (withUser); when it finds none it leaves the context as it is, so that
// tests can put a user there themselves.
//
// A Bearer token that is unknown, revoked or of a disabled user is refused
// with 401 at once rather than served as the public: a client whose token
// stopped working must learn it, not get less data.
func (s *server) identify(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		ip := clientIP(r)
		if strings.HasPrefix(r.URL.Path, "/api/") {
			if secret, ok := auth.BearerToken(r); ok {
				u, _, err := s.st.APITokenUser(ctx, auth.HashToken(secret))
				switch {
				case strategy.CodeOf(err) == strategy.CodeUnauthorized || strategy.CodeOf(err) == strategy.CodeNotFound || (err == nil && u.Disabled):
					s.log.InfoContext(ctx, "API token refused", "path", r.URL.Path, "address", ip)
					w.Header().Set("WWW-Authenticate", `Bearer realm="Inkludera", error="invalid_token"`)
					s.writeJSON(w, r, http.StatusUnauthorized, apiError{Code: string(strategy.CodeUnauthorized),
						Message: "The API token is unknown or revoked, or its user is disabled."})
					return
				case err != nil:
					s.log.ErrorContext(ctx, "looking up an API token", "err", err.Error())
					s.writeJSON(w, r, http.StatusInternalServerError, apiError{Code: string(strategy.CodeInternal), Message: internalMessage})
					return
				}
				noteUser(ctx, u.ID, "api")
				next.ServeHTTP(w, r.WithContext(withUser(ctx, &u, ip, "api")))
				return
			}
		}
		if id := s.sessions.UserID(ctx); id != 0 {
			u, err := s.st.UserByID(ctx, id)
			switch {
			case err == nil && !u.Disabled:
				noteUser(ctx, u.ID, "web")
				r = r.WithContext(withUser(ctx, &u, ip, "web"))
			case err != nil && strategy.CodeOf(err) != strategy.CodeNotFound:
				s.log.ErrorContext(ctx, "looking up the session's user", "user", id, "err", err.Error())
				if strings.HasPrefix(r.URL.Path, "/api/") {
					s.writeJSON(w, r, http.StatusInternalServerError, apiError{Code: string(strategy.CodeInternal), Message: internalMessage})
				} else {
					s.renderError(w, r, http.StatusInternalServerError, internalMessage)
				}
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// clientIP is the address of the client as the audit trail records it:
// the host of the request's remote address. Behind a reverse proxy that is
// the proxy's, unless the proxy is trusted (WithTrustedProxies): then
// securityHeaders has put the address X-Forwarded-For names there. From
// anyone else forwarded headers, which any client can set, are ignored.
func clientIP(r *http.Request) string {
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return host
	}
	return r.RemoteAddr
}

// flash keeps a short confirmation ("Ändringen är sparad.") for the next
// page the browser shows, after a redirect.
func (s *server) flash(r *http.Request, message string) {
	s.sessions.PutFlash(r.Context(), message)
}

// popFlash returns the flash message for this page, once. A HEAD request
// or the browser's own request for an icon, which nobody reads, leaves it
// for the page.
func (s *server) popFlash(r *http.Request) string {
	if s.sessions == nil || r.Method == http.MethodHead || r.URL.Path == "/favicon.ico" {
		return ""
	}
	return s.sessions.PopFlash(r.Context())
}

// SignInURL is the sign-in page that returns to this page afterwards.
func (v viewer) SignInURL() string {
	if v.Path == "" || strings.HasPrefix(v.Path, "/logga-in") {
		return "/logga-in"
	}
	return signInURL(v.Path)
}

// IsAdmin reports whether the viewer is an administrator.
func (v viewer) IsAdmin() bool {
	return v.User != nil && v.User.Role == strategy.RoleAdmin
}

// Coordinates reports whether the viewer is an administrator or a
// samordnare: those who plan across bodies (the allocation helper).
func (v viewer) Coordinates() bool {
	return v.User != nil && (v.User.Role == strategy.RoleAdmin || v.User.Role == strategy.RoleCoordinator)
}

// AdminURL is where the viewer's administration link leads: the users for
// an administrator, the data sources of their organisation for a
// samordnare; "" for everyone else.
func (v viewer) AdminURL() string {
	switch {
	case v.IsAdmin():
		return "/admin/anvandare"
	case v.Coordinates():
		return "/admin/kallor"
	}
	return ""
}
