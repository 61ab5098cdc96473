package web

import (
	"context"
	"net/http"

	"github.com/inkludera/inkludera/internal/i18n"
)

// PortalConfig is what the public portal says about the site itself.
type PortalConfig struct {
	// SiteOwner is the organisation behind the site ("Östersunds kommun"),
	// named in the accessibility statement; "" says "Inkludera".
	SiteOwner string
	// ContactEmail is where readers write about the site, e.g. to ask for
	// content in another format; "" leaves the barrier form as the only way.
	ContactEmail string
	// StatementDate is when the site's accessibility was last assessed
	// and the accessibility statement updated ("2026-11-22"); "" is the
	// date of the statement as shipped (defaultStatementDate). Set it
	// after assessing the site again, e.g. after changing its templates.
	StatementDate string
	// FrameAncestors are the sites allowed to show the /embed/ widgets in
	// an iframe (CSP frame-ancestors sources, e.g. "https://www.ostersund.se");
	// empty allows every site, which is what embedding is for.
	FrameAncestors []string
	// BaseURL is the site's public address ("https://inkludera.kommun.se"),
	// for absolute links in sitemap.xml, oEmbed and embed codes; "" takes
	// the request's own scheme and host.
	BaseURL string
}

// WithPortal sets what the public portal says about the site.
func WithPortal(c PortalConfig) Option {
	return func(s *server) { s.portal = c }
}

// siteOwner is the name the accessibility statement gives the site's owner.
func (s *server) siteOwner() string {
	if s.portal.SiteOwner != "" {
		return s.portal.SiteOwner
	}
	return "Inkludera"
}

// baseURL is the site's address without a trailing slash.
func (s *server) baseURL(r *http.Request) string {
	if s.portal.BaseURL != "" {
		return trimSlash(s.portal.BaseURL)
	}
	scheme := "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func trimSlash(s string) string {
	for len(s) > 0 && s[len(s)-1] == '/' {
		s = s[:len(s)-1]
	}
	return s
}

type langKey struct{}

// languageVary is the Vary of every response: the language, and so the
// bytes, depend on Accept-Language and the language cookie.
const languageVary = "Accept-Language, Cookie"

// withLanguage finds the request's language (i18n.Match: ?lang=, the
// cookie, Accept-Language) and keeps it in the context for langOf. A
// choice made with ?lang= is remembered in a cookie for a year.
func withLanguage(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		lang, chosen := i18n.Match(r)
		if chosen {
			http.SetCookie(w, &http.Cookie{Name: i18n.CookieName, Value: lang.Code, Path: "/",
				MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil, HttpOnly: true})
		}
		w.Header().Add("Vary", languageVary)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), langKey{}, i18n.For(lang.Code))))
	})
}

// langOf is the localizer of the request's language (Swedish when the
// request did not pass withLanguage, as in handler unit tests).
func langOf(r *http.Request) *i18n.Localizer {
	if l, ok := r.Context().Value(langKey{}).(*i18n.Localizer); ok {
		return l
	}
	return i18n.For(i18n.Default)
}
