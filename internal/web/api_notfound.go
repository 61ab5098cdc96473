package web

import (
	"net/http"

	"github.com/inkludera/inkludera/internal/strategy"
)

// apiNotFound answers unknown paths under /api/ with a JSON error.
func (s *server) apiNotFound(w http.ResponseWriter, r *http.Request) error {
	if err := s.wrongMethod(r); err != nil {
		return err
	}
	return strategy.Errorf(strategy.CodeNotFound, "no API route %s", r.URL.Path)
}
