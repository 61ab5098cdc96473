package web

import (
	"net/http"

	"github.com/inkludera/inkludera/internal/strategy"
)

// apiOrganisations handles GET /api/v1/organisations.
func (s *server) apiOrganisations(w http.ResponseWriter, r *http.Request) error {
	orgs, err := s.st.ListOrganisations(r.Context())
	if err != nil {
		return err
	}
	if orgs == nil {
		orgs = []strategy.Organisation{} // [] rather than null
	}
	s.writeJSON(w, r, http.StatusOK, orgs)
	return nil
}
