package web

import (
	"context"
	"net/http"
	"time"
)

// healthz answers 200 {"status":"ok"} when the store answers a query, 503
// otherwise, for load balancers and container health checks.
func (s *server) healthz(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	if _, err := s.st.ListOrganisations(ctx); err != nil {
		s.log.ErrorContext(ctx, "health check failed", "err", err.Error())
		s.writeJSON(w, r, http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
		return nil
	}
	w.Header().Set("Cache-Control", "no-store")
	s.writeJSON(w, r, http.StatusOK, map[string]string{"status": "ok"})
	return nil
}
