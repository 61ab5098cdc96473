package web

import (
	"net/http"

	"github.com/inkludera/inkludera/internal/strategy"
)

// apiIndicators handles GET /api/v1/indicators.
func (s *server) apiIndicators(w http.ResponseWriter, r *http.Request) error {
	inds, err := s.st.ListIndicators(r.Context())
	if err != nil {
		return err
	}
	if inds == nil {
		inds = []strategy.Indicator{}
	}
	s.writeJSON(w, r, http.StatusOK, inds)
	return nil
}
