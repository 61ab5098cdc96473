package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/inkludera/inkludera/internal/search"
	"github.com/inkludera/inkludera/internal/strategy"
)

// The library's JSON API: the same search as /bibliotek and one document
// with its text and related documents. Everyone may read it; the texts are
// public documents.

// apiLibraryResult is GET /api/v1/library.
type apiLibraryResult struct {
	Total  int              `json:"total"`
	Offset int              `json:"offset"`
	Limit  int              `json:"limit"`
	Hits   []apiLibraryHit  `json:"hits"`
	Facets apiLibraryFacets `json:"facets"`
	Query  apiLibraryQuery  `json:"query"`
}

// apiLibraryQuery echoes the query as understood.
type apiLibraryQuery struct {
	Text   string `json:"q,omitempty"`
	Org    string `json:"org,omitempty"`
	Region string `json:"region,omitempty"`
	Kind   string `json:"kind,omitempty"`
	Year   int    `json:"year,omitempty"`
}

type apiLibraryHit struct {
	ID       int64                     `json:"id"`
	Title    string                    `json:"title"`
	OrgCode  string                    `json:"org_code,omitempty"`
	OrgName  string                    `json:"org_name,omitempty"`
	County   string                    `json:"county,omitempty"`
	Kind     strategy.DocumentKind     `json:"kind,omitempty"`
	Year     int                       `json:"year,omitempty"`
	Score    float64                   `json:"score"`
	Snippets [][]apiLibrarySnippetPart `json:"snippets"`
	URL      string                    `json:"url"`
	PageURL  string                    `json:"page_url"`
}

// apiLibrarySnippetPart is a piece of a snippet; hit marks a search word.
type apiLibrarySnippetPart struct {
	Text string `json:"text"`
	Hit  bool   `json:"hit,omitempty"`
}

type apiLibraryFacets struct {
	Org    []apiFacetCount `json:"org"`
	Region []apiFacetCount `json:"region"`
	Kind   []apiFacetCount `json:"kind"`
	Year   []apiFacetCount `json:"year"`
}

// apiFacetCount is a facet's value with its label and the number of
// matching documents.
type apiFacetCount struct {
	Value string `json:"value"`
	Label string `json:"label,omitempty"`
	Count int    `json:"count"`
}

// apiLibraryDocument is GET /api/v1/library/{id}.
type apiLibraryDocument struct {
	ID        int64                 `json:"id"`
	Title     string                `json:"title"`
	OrgCode   string                `json:"org_code,omitempty"`
	OrgName   string                `json:"org_name,omitempty"`
	County    string                `json:"county,omitempty"`
	Kind      strategy.DocumentKind `json:"kind,omitempty"`
	Year      int                   `json:"year,omitempty"`
	AdoptedBy string                `json:"adopted_by,omitempty"`
	AdoptedOn strategy.Date         `json:"adopted_on,omitzero"`
	FileName  string                `json:"file_name,omitempty"`
	Format    string                `json:"format"`
	Pages     int                   `json:"pages,omitempty"`
	Words     int                   `json:"words"`
	AddedAt   time.Time             `json:"added_at"`
	Rev       int                   `json:"rev"`
	Text      string                `json:"text"`
	Related   []apiLibraryRelated   `json:"related"`
	PageURL   string                `json:"page_url"`
}

type apiLibraryRelated struct {
	ID      int64   `json:"id"`
	Title   string  `json:"title"`
	OrgName string  `json:"org_name,omitempty"`
	Year    int     `json:"year,omitempty"`
	Score   float64 `json:"score"`
	URL     string  `json:"url"`
}

func apiLibraryURL(id int64) string { return "/api/v1/library/" + strconv.FormatInt(id, 10) }

// apiLibraryEnabled is the API's 404 on a server without a library.
func (s *server) apiLibraryEnabled() error {
	if s.lib == nil {
		return strategy.Errorf(strategy.CodeNotFound, "the strategy library is not enabled on this server")
	}
	return nil
}

// apiLibrary handles GET /api/v1/library?q=&org=&region=&kind=&year=&offset=&limit=.
func (s *server) apiLibrary(w http.ResponseWriter, r *http.Request) error {
	if err := s.apiLibraryEnabled(); err != nil {
		return err
	}
	v := r.URL.Query()
	q := search.Query{Text: strings.TrimSpace(v.Get("q")), OrgCode: strings.TrimSpace(v.Get("org")),
		Region: strings.TrimSpace(v.Get("region")), Kind: strings.TrimSpace(v.Get("kind")), Limit: 10}
	if len([]rune(q.Text)) > maxLibraryQuery {
		return strategy.Errorf(strategy.CodeInvalid, "query parameter \"q\" is longer than %d characters", maxLibraryQuery)
	}
	if q.OrgCode != "" && !libraryOrgCode(q.OrgCode) {
		return strategy.Errorf(strategy.CodeInvalid, "query parameter \"org\": %q is not a kommun code (four digits) or a region code (two)", q.OrgCode)
	}
	if q.Region != "" && (len(q.Region) != 2 || !libraryOrgCode(q.Region)) {
		return strategy.Errorf(strategy.CodeInvalid, "query parameter \"region\": %q is not a länskod (two digits)", q.Region)
	}
	if q.Kind != "" && !strategy.DocumentKind(q.Kind).Valid() {
		return strategy.Errorf(strategy.CodeInvalid, "query parameter \"kind\": %q is not strategi, program, plan, policy, riktlinjer or regler", q.Kind)
	}
	var err error
	if q.Year, err = yearParam(r, "year"); err != nil {
		return err
	}
	if q.Offset, err = intParam(r, "offset", 0, 0, 1_000_000); err != nil {
		return err
	}
	if q.Limit, err = intParam(r, "limit", 10, 1, 100); err != nil {
		return err
	}
	res, err := s.lib.Search(r.Context(), q)
	if err != nil {
		return err
	}
	out := apiLibraryResult{Total: res.Total, Offset: q.Offset, Limit: q.Limit, Hits: []apiLibraryHit{},
		Facets: apiLibraryFacets{Org: apiFacet(res.Facets.Org), Region: apiFacet(res.Facets.Region), Kind: apiFacet(res.Facets.Kind), Year: apiFacet(res.Facets.Year)},
		Query:  apiLibraryQuery{Text: q.Text, Org: q.OrgCode, Region: q.Region, Kind: q.Kind, Year: q.Year}}
	docs, err := s.lib.Store().LibraryDocumentsByID(r.Context(), hitIDs(res.Hits))
	if err != nil {
		return err
	}
	for _, h := range res.Hits {
		d, ok := docs[h.ID]
		if !ok {
			continue // deleted since the index last synced
		}
		hit := apiLibraryHit{ID: h.ID, Title: d.Title, OrgCode: d.OrgCode, OrgName: d.OrgName, County: d.County,
			Kind: d.Kind, Year: d.Year, Score: h.Score, Snippets: [][]apiLibrarySnippetPart{},
			URL: apiLibraryURL(h.ID), PageURL: libraryDocumentURL(h.ID)}
		for _, sn := range h.Snippets {
			parts := make([]apiLibrarySnippetPart, len(sn))
			for i, sp := range sn {
				parts[i] = apiLibrarySnippetPart{Text: sp.Text, Hit: sp.Hit}
			}
			hit.Snippets = append(hit.Snippets, parts)
		}
		out.Hits = append(out.Hits, hit)
	}
	s.writeJSON(w, r, http.StatusOK, out)
	return nil
}

// apiFacet is a facet's counts as the API writes them: never null.
func apiFacet(counts []search.FacetCount) []apiFacetCount {
	out := make([]apiFacetCount, len(counts))
	for i, c := range counts {
		out[i] = apiFacetCount{Value: c.Value, Label: c.Label, Count: c.Count}
	}
	return out
}

// intParam reads an optional integer query parameter within [lo, hi].
func intParam(r *http.Request, name string, def, lo, hi int) (int, error) {
	s := strings.TrimSpace(r.URL.Query().Get(name))
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, strategy.Errorf(strategy.CodeInvalid, "query parameter %q must be a whole number from %d to %d, got %q", name, lo, hi, s)
	}
	return n, nil
}

// apiLibraryDocument handles GET /api/v1/library/{id}.
func (s *server) apiLibraryDocument(w http.ResponseWriter, r *http.Request) error {
	if err := s.apiLibraryEnabled(); err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return strategy.Errorf(strategy.CodeNotFound, "the library has no document %q", r.PathValue("id"))
	}
	d, err := s.lib.Store().LibraryDocument(r.Context(), id)
	if err != nil {
		return notFoundAs(err, "the library has no document %d", id)
	}
	related, err := s.lib.Store().RelatedLibraryDocuments(r.Context(), id)
	if err != nil {
		return err
	}
	out := apiLibraryDocument{ID: d.ID, Title: d.Title, OrgCode: d.OrgCode, OrgName: d.OrgName, County: d.County,
		Kind: d.Kind, Year: d.Year, AdoptedBy: d.AdoptedBy, AdoptedOn: d.AdoptedOn, FileName: d.FileName,
		Format: d.Format, Pages: d.Pages, Words: d.Words, AddedAt: d.AddedAt, Rev: d.Rev, Text: d.Text,
		Related: []apiLibraryRelated{}, PageURL: libraryDocumentURL(d.ID)}
	for _, n := range related {
		out.Related = append(out.Related, apiLibraryRelated{ID: n.ID, Title: n.Title, OrgName: n.Org, Year: n.Year,
			Score: n.Score, URL: apiLibraryURL(n.ID)})
	}
	s.writeJSON(w, r, http.StatusOK, out)
	return nil
}
