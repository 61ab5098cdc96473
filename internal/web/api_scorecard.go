package web

import (
	"net/http"

	"github.com/inkludera/inkludera/internal/scorecard"
)

// apiScorecard handles GET /api/v1/documents/{key}/scorecard?year=YYYY:
// every target's status in the document's tree with the roll-ups per goal,
// area and document, as of the year (default: the current year).
func (s *server) apiScorecard(w http.ResponseWriter, r *http.Request) error {
	key := r.PathValue("key")
	year, _, err := s.evaluationYear(r, "year", false)
	if err != nil {
		return err
	}
	d, err := s.st.Document(r.Context(), key)
	if err != nil {
		return notFoundAs(err, "no document has the key %q", key)
	}
	sc, err := scorecard.Build(r.Context(), s.st, d, year)
	if err != nil {
		return err
	}
	s.writeJSON(w, r, http.StatusOK, sc)
	return nil
}
