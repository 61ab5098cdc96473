package web

import (
	"net/http"

	"github.com/inkludera/inkludera/internal/scorecard"
	"github.com/inkludera/inkludera/internal/strategy"
)

// apiScorecard handles GET /api/v1/documents/{key}/scorecard?year=YYYY:
// every target's status in the document's tree with the roll-ups per goal,
// area and document, as of the year (default: the current year).
func (s *server) apiScorecard(w http.ResponseWriter, r *http.Request) error {
	_, sc, err := s.apiDocumentScorecard(r)
	if err != nil {
		return err
	}
	s.writeJSON(w, r, http.StatusOK, sc)
	return nil
}

// apiDocumentScorecard reads the {key} document and evaluates it as of
// ?year= (default: the current year), for the API's document routes.
func (s *server) apiDocumentScorecard(r *http.Request) (strategy.Document, *scorecard.Scorecard, error) {
	key := r.PathValue("key")
	year, _, err := s.evaluationYear(r, "year", false)
	if err != nil {
		return strategy.Document{}, nil, err
	}
	d, err := s.visibleDocument(r, key, "no document has the key %q")
	if err != nil {
		return strategy.Document{}, nil, err
	}
	d = s.withVisiblePlans(r, d)
	sc, err := scorecard.Build(r.Context(), s.st, d, year)
	return d, sc, err
}
