package web

import (
	"net/http"
	"strings"

	"github.com/inkludera/inkludera/internal/strategy"
)

// comparisons is the store's comparison side. Every store of ours has it;
// one without it has no comparisons to show.
func (s *server) comparisons() (strategy.ComparisonStore, error) {
	c, ok := s.st.(strategy.ComparisonStore)
	if !ok {
		return nil, strategy.Errorf(strategy.CodeNotFound, "comparisons are not available with this store")
	}
	return c, nil
}

// genderParam reads an optional gender query parameter: T (the default),
// K or M.
func genderParam(r *http.Request, name string, swedish bool) (strategy.Gender, error) {
	v := strings.TrimSpace(r.URL.Query().Get(name))
	g := strategy.Gender(v)
	switch {
	case v == "":
		return strategy.Total, nil
	case g.Valid():
		return g, nil
	case swedish:
		return "", strategy.Errorf(strategy.CodeInvalid,
			"Parametern ”%s” ska vara T (totalt), K (kvinnor) eller M (män), inte ”%s”.", name, v)
	}
	return "", strategy.Errorf(strategy.CodeInvalid, "query parameter %q must be T, K or M, got %q", name, v)
}

// comparisonYear reads the optional year of a comparison; 0, the latest,
// when not given.
func (s *server) comparisonYear(r *http.Request, name string, swedish bool) (int, error) {
	y, given, err := s.evaluationYear(r, name, swedish)
	if err != nil || !given {
		return 0, err
	}
	return y, nil
}

// apiRanking handles GET /api/v1/indicators/{key}/ranking?year=&gender=.
func (s *server) apiRanking(w http.ResponseWriter, r *http.Request) error {
	c, err := s.comparisons()
	if err != nil {
		return err
	}
	key := r.PathValue("key")
	year, err := s.comparisonYear(r, "year", false)
	if err != nil {
		return err
	}
	gender, err := genderParam(r, "gender", false)
	if err != nil {
		return err
	}
	ranking, err := c.Ranking(r.Context(), key, year, gender)
	if err != nil {
		return notFoundAs(err, "no indicator has the key %q", key)
	}
	s.writeJSON(w, r, http.StatusOK, ranking)
	return nil
}

// apiProfile handles GET /api/v1/organisations/{code}/profile?year=.
func (s *server) apiProfile(w http.ResponseWriter, r *http.Request) error {
	c, err := s.comparisons()
	if err != nil {
		return err
	}
	code := r.PathValue("code")
	year, err := s.comparisonYear(r, "year", false)
	if err != nil {
		return err
	}
	profile, err := c.Profile(r.Context(), code, year)
	if err != nil {
		return notFoundAs(err, "no organisation has the code %q", code)
	}
	s.writeJSON(w, r, http.StatusOK, profile)
	return nil
}

// peerGroupView is a peer group with its members described, in its order.
// A member that is not a stored organisation has its code alone.
type peerGroupView struct {
	ID      string                  `json:"id"`
	Title   string                  `json:"title"`
	Of      string                  `json:"of"`
	Year    int                     `json:"year,omitempty"`
	Source  string                  `json:"source,omitempty"`
	Members []strategy.Organisation `json:"members"`
}

// peerGroup reads the kommun's peer group with its members; CodeNotFound
// when the organisation is unknown or has none.
func (s *server) peerGroup(r *http.Request, c strategy.ComparisonStore, code string) (peerGroupView, error) {
	g, err := c.PeerGroup(r.Context(), code)
	if err != nil {
		return peerGroupView{}, err
	}
	orgs, err := s.st.ListOrganisations(r.Context())
	if err != nil {
		return peerGroupView{}, err
	}
	byCode := make(map[string]strategy.Organisation, len(orgs))
	for _, o := range orgs {
		byCode[o.Code] = o
	}
	v := peerGroupView{ID: g.ID, Title: g.Title, Of: g.Of, Year: g.Year, Source: g.Source,
		Members: make([]strategy.Organisation, len(g.Members))}
	for i, m := range g.Members {
		o, ok := byCode[m]
		if !ok {
			o = strategy.Organisation{Code: m}
		}
		v.Members[i] = o
	}
	return v, nil
}

// apiPeers handles GET /api/v1/organisations/{code}/peers.
func (s *server) apiPeers(w http.ResponseWriter, r *http.Request) error {
	c, err := s.comparisons()
	if err != nil {
		return err
	}
	code := r.PathValue("code")
	if _, err := s.st.Organisation(r.Context(), code); err != nil {
		return notFoundAs(err, "no organisation has the code %q", code)
	}
	v, err := s.peerGroup(r, c, code)
	if err != nil {
		return err
	}
	s.writeJSON(w, r, http.StatusOK, v)
	return nil
}

// apiRegionView handles GET /api/v1/regions/{code}/indicators/{key}?year=&gender=.
func (s *server) apiRegionView(w http.ResponseWriter, r *http.Request) error {
	c, err := s.comparisons()
	if err != nil {
		return err
	}
	year, err := s.comparisonYear(r, "year", false)
	if err != nil {
		return err
	}
	gender, err := genderParam(r, "gender", false)
	if err != nil {
		return err
	}
	view, err := c.RegionView(r.Context(), r.PathValue("code"), r.PathValue("key"), year, gender)
	if err != nil {
		return err
	}
	s.writeJSON(w, r, http.StatusOK, view)
	return nil
}
