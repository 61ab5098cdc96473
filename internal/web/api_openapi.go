package web

import "net/http"

// apiOpenAPI handles GET /api/v1/openapi.json: the hand-written OpenAPI 3.1
// document embedded from openapi.json.
func (s *server) apiOpenAPI(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	_, _ = w.Write(openAPIDocument)
	return nil
}
