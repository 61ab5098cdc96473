package web

import (
	"mime"
	"net/http"
	"net/url"
	"unicode/utf8"

	"github.com/inkludera/inkludera/internal/strategy"
)

// requireUTF8 refuses (400) a request whose path, query or URL-encoded
// form holds text that is not UTF-8 once unescaped ("?ar=%B1",
// "title=%80"). Browsers send UTF-8 from our pages; anything else would be
// written back into a page as it came, and stored, where PostgreSQL
// refuses it as an internal error (FuzzFormValues found it).
func requireUTF8(rt route, next handlerFunc) handlerFunc {
	refusal := strategy.Errorf(strategy.CodeInvalid, "The address, query or form holds text that is not UTF-8.")
	unreadable := strategy.Errorf(strategy.CodeInvalid, "The form could not be read.")
	if rt.kind == pageRoute {
		refusal = strategy.Errorf(strategy.CodeInvalid, "Adressen eller formuläret innehåller text som inte är UTF-8.")
		unreadable = strategy.Errorf(strategy.CodeInvalid, "Formuläret kunde inte läsas.")
	}
	return func(s *server, w http.ResponseWriter, r *http.Request) error {
		if !utf8.ValidString(r.URL.Path) || !utf8Values(r.URL.Query()) {
			return refusal
		}
		if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "application/x-www-form-urlencoded" &&
			r.Body != nil && r.Body != http.NoBody {
			if err := r.ParseForm(); err != nil {
				// As the handlers say it; limitBody turns a body that is
				// too large into its own answer.
				return unreadable
			}
			if !utf8Values(r.PostForm) {
				return refusal
			}
		}
		return next(s, w, r)
	}
}

func utf8Values(vs url.Values) bool {
	for k, v := range vs {
		if !utf8.ValidString(k) {
			return false
		}
		for _, s := range v {
			if !utf8.ValidString(s) {
				return false
			}
		}
	}
	return true
}
