package web

import (
	"net/http"

	"github.com/inkludera/inkludera/internal/strategy"
)

// documentSummary is a document without its tree, as lists show it.
type documentSummary struct {
	Key        string                  `json:"key"`
	Org        string                  `json:"org"`
	Kind       strategy.DocumentKind   `json:"kind"`
	Title      string                  `json:"title"`
	Subtitle   string                  `json:"subtitle,omitempty"`
	Status     strategy.DocumentStatus `json:"status"`
	Identifier string                  `json:"identifier,omitempty"`
	CaseNumber string                  `json:"case_number,omitempty"`
	Version    string                  `json:"version,omitempty"`
	AdoptedOn  strategy.Date           `json:"adopted_on,omitzero"`
	AdoptedBy  string                  `json:"adopted_by,omitempty"`
	Paragraph  string                  `json:"paragraph,omitempty"`
	ValidFrom  strategy.Date           `json:"valid_from,omitzero"`
	ValidTo    strategy.Date           `json:"valid_to,omitzero"`
	Owner      string                  `json:"owner,omitempty"`
	Summary    string                  `json:"summary,omitempty"`
	URL        string                  `json:"url"` // the API resource with the whole tree
}

func summarise(d strategy.Document) documentSummary {
	return documentSummary{
		Key: d.Key, Org: d.Org, Kind: d.Kind, Title: d.Title, Subtitle: d.Subtitle, Status: d.Status,
		Identifier: d.Identifier, CaseNumber: d.CaseNumber, Version: d.Version,
		AdoptedOn: d.Adopted.On, AdoptedBy: d.Adopted.By, Paragraph: d.Adopted.Paragraph,
		ValidFrom: d.ValidFrom, ValidTo: d.ValidTo, Owner: d.Owner, Summary: d.Summary,
		URL: "/api/v1/documents/" + d.Key,
	}
}

// apiDocuments handles GET /api/v1/organisations/{code}/documents.
func (s *server) apiDocuments(w http.ResponseWriter, r *http.Request) error {
	code := r.PathValue("code")
	if !strategy.ValidOrgCode(code) {
		return strategy.Errorf(strategy.CodeInvalid, "%q is not a kommun, län or riket code (four or two digits)", code)
	}
	// Ask for the organisation first: an unknown one is a 404, not an
	// empty list.
	if _, err := s.st.Organisation(r.Context(), code); err != nil {
		return notFoundAs(err, "no organisation has the code %q", code)
	}
	docs, err := s.st.Documents(r.Context(), code)
	if err != nil {
		return err
	}
	docs = s.visibleDocuments(r, docs)
	out := make([]documentSummary, 0, len(docs))
	for _, d := range docs {
		out = append(out, summarise(d))
	}
	s.writeJSON(w, r, http.StatusOK, out)
	return nil
}
