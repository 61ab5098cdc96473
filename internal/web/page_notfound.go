package web

import (
	"net/http"

	"github.com/inkludera/inkludera/internal/strategy"
)

// pageNotFound answers every path no other route serves with the Swedish
// 404 page, or 405 when the path exists for another method.
func (s *server) pageNotFound(w http.ResponseWriter, r *http.Request) error {
	if err := s.wrongMethod(r); err != nil {
		return err
	}
	return strategy.Errorf(strategy.CodeNotFound, "Det finns ingen sida med adressen %s.", r.URL.Path)
}

// wrongMethod reports 405 when r's path would be served for GET. The
// catch-all routes match every method, which would otherwise turn a POST to
// a real page into a 404.
func (s *server) wrongMethod(r *http.Request) error {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return nil
	}
	get := r.Clone(r.Context())
	get.Method = http.MethodGet
	if _, pattern := s.mux.Handler(get); pattern != "" && !s.fallbacks[pattern] {
		return &statusError{status: http.StatusMethodNotAllowed, code: "method_not_allowed",
			message: "Metoden " + r.Method + " stöds inte här.", allow: "GET, HEAD"}
	}
	return nil
}
