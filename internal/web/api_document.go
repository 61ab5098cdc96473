package web

import "net/http"

// apiDocument handles GET /api/v1/documents/{key}: the document with its
// whole tree in the strategy package's JSON shape.
func (s *server) apiDocument(w http.ResponseWriter, r *http.Request) error {
	key := r.PathValue("key")
	d, err := s.st.Document(r.Context(), key)
	if err != nil {
		return notFoundAs(err, "no document has the key %q", key)
	}
	s.writeJSON(w, r, http.StatusOK, d)
	return nil
}
