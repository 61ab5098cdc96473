package web

import (
	"net/http"
	"time"

	"github.com/inkludera/inkludera/internal/strategy"
)

// observation is one value as the API gives it. Value is null when the
// value is missing, which is never the same as 0.
type observation struct {
	Year        int             `json:"year"`
	Gender      strategy.Gender `json:"gender"`
	Value       *float64        `json:"value"`
	Status      string          `json:"status,omitempty"`
	Preliminary bool            `json:"preliminary"`
	Source      string          `json:"source,omitempty"`
	SourceURL   string          `json:"source_url,omitempty"`
	FetchedAt   time.Time       `json:"fetched_at,omitzero"`
}

// apiObservations handles
// GET /api/v1/indicators/{key}/observations?org=CODE[&from=YYYY&to=YYYY].
func (s *server) apiObservations(w http.ResponseWriter, r *http.Request) error {
	key := r.PathValue("key")
	org, err := orgParam(r, false)
	if err != nil {
		return err
	}
	from, err := yearParam(r, "from")
	if err != nil {
		return err
	}
	to, err := yearParam(r, "to")
	if err != nil {
		return err
	}
	if from != 0 && to != 0 && to < from {
		return strategy.Errorf(strategy.CodeInvalid, "query parameter \"to\" (%d) is before \"from\" (%d)", to, from)
	}
	if _, err := s.st.Indicator(r.Context(), key); err != nil {
		return notFoundAs(err, "no indicator has the key %q", key)
	}
	if _, err := s.st.Organisation(r.Context(), org); err != nil {
		return notFoundAs(err, "no organisation has the code %q", org)
	}
	obs, err := s.st.Observations(r.Context(), strategy.ObservationFilter{
		Org: org, Indicators: []string{key}, FromYear: from, ToYear: to,
	})
	if err != nil {
		return err
	}
	out := make([]observation, 0, len(obs))
	for _, o := range obs {
		out = append(out, observation{
			Year: o.Year, Gender: o.Gender, Value: o.Value, Status: o.Status,
			Preliminary: o.Preliminary, Source: o.Source, SourceURL: o.SourceURL, FetchedAt: o.FetchedAt,
		})
	}
	s.writeJSON(w, r, http.StatusOK, out)
	return nil
}
