package web

import "net/http"

// apiIndicator handles GET /api/v1/indicators/{key}.
func (s *server) apiIndicator(w http.ResponseWriter, r *http.Request) error {
	key := r.PathValue("key")
	ind, err := s.st.Indicator(r.Context(), key)
	if err != nil {
		return notFoundAs(err, "no indicator has the key %q", key)
	}
	s.writeJSON(w, r, http.StatusOK, ind)
	return nil
}
