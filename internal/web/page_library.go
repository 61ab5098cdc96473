package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/inkludera/inkludera/internal/i18n"
	"github.com/inkludera/inkludera/internal/library"
	"github.com/inkludera/inkludera/internal/nation"
	"github.com/inkludera/inkludera/internal/search"
	"github.com/inkludera/inkludera/internal/strategy"
)

// The strategy library's pages (issue 9): search with facets
// (page_library.go), a document with its related documents and metadata
// form (page_library_document.go), upload (page_library_upload.go) and a
// draft strategy file from a text, reviewed before import
// (page_library_draft.go). The documents are public texts, so anyone reads
// them; adding and correcting is for users with an editing role, deleting
// for administrators.

// libraryPageSize is how many documents a page of the library lists.
const libraryPageSize = 20

// maxLibraryQuery bounds the search text, in characters: a longer query is
// a pasted paragraph, and searching for all its words finds nothing.
const maxLibraryQuery = 200

// maxFacetShown is how many values of a facet show before the rest are
// folded away: a facet of 290 kommuner would bury the results.
const maxFacetShown = 12

// libraryURL is the library's search page with the filter's query.
func libraryURL(f libraryFilter) string {
	if q := f.values().Encode(); q != "" {
		return "/bibliotek?" + q
	}
	return "/bibliotek"
}

// libraryDocumentURL is a library document's page.
func libraryDocumentURL(id int64) string { return "/bibliotek/" + strconv.FormatInt(id, 10) }

// libraryDraftURL is the review screen of the draft made from a document.
func libraryDraftURL(id int64) string { return libraryDocumentURL(id) + "/utkast" }

// library is the server's strategy library, or the 404 every library page
// answers on a server started without one.
func (s *server) library() (*library.Library, error) {
	if s.lib == nil {
		return nil, strategy.Errorf(strategy.CodeNotFound,
			"Strategibiblioteket är inte påslaget på den här servern. Det slås på när servern startas.")
	}
	return s.lib, nil
}

// mayKeepLibrary reports whether u may add documents to the library, correct
// their metadata and make drafts from them: every role that edits
// something (administratör, samordnare, nämndredaktör), not a läsare. The
// library holds public texts of any organisation, so the organisation
// does not matter.
func mayKeepLibrary(u *strategy.User) bool {
	if u == nil || u.Disabled {
		return false
	}
	switch u.Role {
	case strategy.RoleAdmin, strategy.RoleCoordinator, strategy.RoleEditor:
		return true
	}
	return false
}

// mayDeleteFromLibrary reports whether u may remove a document: a shared
// collection loses a document for everyone, so only administrators do.
func mayDeleteFromLibrary(u *strategy.User) bool {
	return u != nil && !u.Disabled && u.Role == strategy.RoleAdmin
}

// authorizeLibraryKeeper is the 401 (sign in) or 403 of a request that
// changes the library, nil when the user may.
func authorizeLibraryKeeper(r *http.Request) error {
	u := userOf(r)
	switch {
	case u == nil:
		return errSignInRequired
	case !mayKeepLibrary(u):
		return strategy.Errorf(strategy.CodeForbidden,
			"Du har inte behörighet att ändra i biblioteket. Det kräver rollen samordnare, nämndredaktör eller administratör.")
	}
	return nil
}

// libraryFilter is what the search page was asked for.
type libraryFilter struct {
	Text   string
	Org    string // kommun or region code
	Region string // länskod
	Kind   string
	Year   int
	Page   int // 1-based
}

// values are the filter as query parameters; the first page is implied.
func (f libraryFilter) values() url.Values {
	v := url.Values{}
	if f.Text != "" {
		v.Set("q", f.Text)
	}
	if f.Org != "" {
		v.Set("org", f.Org)
	}
	if f.Region != "" {
		v.Set("lan", f.Region)
	}
	if f.Kind != "" {
		v.Set("typ", f.Kind)
	}
	if f.Year != 0 {
		v.Set("ar", strconv.Itoa(f.Year))
	}
	if f.Page > 1 {
		v.Set("sida", strconv.Itoa(f.Page))
	}
	return v
}

// filtered reports whether any facet filter is set.
func (f libraryFilter) filtered() bool {
	return f.Org != "" || f.Region != "" || f.Kind != "" || f.Year != 0
}

// parseLibraryFilter reads the search page's query parameters; a value
// that cannot be a filter is a 400 naming the parameter, in Swedish.
func parseLibraryFilter(q url.Values) (libraryFilter, error) {
	f := libraryFilter{Page: 1}
	f.Text = strings.TrimSpace(q.Get("q"))
	if r := []rune(f.Text); len(r) > maxLibraryQuery {
		f.Text = strings.TrimSpace(string(r[:maxLibraryQuery]))
	}
	f.Org = strings.TrimSpace(q.Get("org"))
	if f.Org != "" && !libraryOrgCode(f.Org) {
		return f, strategy.Errorf(strategy.CodeInvalid, "”%s” är ingen kommunkod (fyra siffror) eller regionkod (två siffror).", f.Org)
	}
	f.Region = strings.TrimSpace(q.Get("lan"))
	if f.Region != "" && (len(f.Region) != 2 || !libraryOrgCode(f.Region)) {
		return f, strategy.Errorf(strategy.CodeInvalid, "”%s” är ingen länskod (två siffror, till exempel 23).", f.Region)
	}
	f.Kind = strings.TrimSpace(q.Get("typ"))
	if f.Kind != "" && !strategy.DocumentKind(f.Kind).Valid() {
		return f, strategy.Errorf(strategy.CodeInvalid, "”%s” är ingen dokumenttyp. Välj strategi, program, plan, policy, riktlinjer eller regler.", f.Kind)
	}
	if s := strings.TrimSpace(q.Get("ar")); s != "" {
		y, err := strconv.Atoi(s)
		if err != nil || y < 1900 || y > 2200 {
			return f, strategy.Errorf(strategy.CodeInvalid, "”%s” är inget årtal. Skriv året med fyra siffror, till exempel 2020.", s)
		}
		f.Year = y
	}
	if s := strings.TrimSpace(q.Get("sida")); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 100000 {
			return f, strategy.Errorf(strategy.CodeInvalid, "”%s” är inget sidnummer.", s)
		}
		f.Page = n
	}
	return f, nil
}

// libraryPage is GET /bibliotek.
type libraryPage struct {
	Title string
	// Query is the search text; Keep are the filters the search form
	// carries along as hidden inputs, so that a new search keeps them.
	Query string
	Keep  []hiddenInput
	// Problem is a search text the search could not understand.
	Problem string
	// Heading heads the list: "Sökresultat" or "Senast tillagda".
	Heading string
	// Total counts what the search or the filters found: "23 dokument".
	Total string
	Hits  []libraryHit
	// Active are the filters in use, each a link that removes it.
	Active []link
	Facets []libraryFacet
	Paging libraryPaging
	// Empty is set when the library has no documents at all.
	Empty bool
	// UploadURL and DraftURL are for users who may add documents.
	UploadURL string
	DraftURL  string
}

// libraryHit is one document of the list.
type libraryHit struct {
	URL   string
	Title string
	Meta  string
	// Snippets are passages of the text around the search words; the
	// template marks the words (Span.Hit) with <mark>.
	Snippets []search.Snippet
}

// libraryFacet is one way to narrow the list: kommun or region, län, type
// or year, each value a link with the number of documents it leaves.
type libraryFacet struct {
	ID    string
	Name  string
	Shown []libraryFacetValue
	// More are the values beyond maxFacetShown, folded in a <details>.
	More []libraryFacetValue
}

type libraryFacetValue struct {
	URL   string
	Label string
	Count string
	// Current marks the value the list is filtered by; its URL removes
	// the filter.
	Current bool
}

// libraryPaging links the neighbouring pages of the list.
type libraryPaging struct {
	Text       string // "Sida 2 av 5"
	Prev, Next string
}

// pageLibrary handles GET /bibliotek: a search with snippets, or without
// search words the newest documents; facets narrow either.
func (s *server) pageLibrary(w http.ResponseWriter, r *http.Request) error {
	lib, err := s.library()
	if err != nil {
		return err
	}
	ctx := r.Context()
	f, err := parseLibraryFilter(r.URL.Query())
	if err != nil {
		return err
	}
	p := libraryPage{Title: "Strategibiblioteket", Query: f.Text}
	if mayKeepLibrary(userOf(r)) {
		p.UploadURL, p.DraftURL = "/bibliotek/ladda-upp", "/bibliotek/utkast"
	}
	for name, vals := range f.values() {
		if name != "q" && name != "sida" {
			p.Keep = append(p.Keep, hiddenInput{Name: name, Value: vals[0]})
		}
	}
	// Sorted, so that a query is always the same page.
	slices.SortFunc(p.Keep, func(a, b hiddenInput) int { return strings.Compare(a.Name, b.Name) })

	q := search.Query{Text: f.Text, OrgCode: f.Org, Region: f.Region, Kind: f.Kind, Year: f.Year,
		Offset: (f.Page - 1) * libraryPageSize, Limit: libraryPageSize}
	var total int
	if f.Text == "" && !f.filtered() {
		// Without search words or filters the newest documents are the
		// useful list; the facets still count the whole library.
		p.Heading = "Senast tillagda"
		docs, n, err := lib.Store().LibraryDocuments(ctx, q.Offset, q.Limit)
		if err != nil {
			return err
		}
		total = n
		for _, d := range docs {
			p.Hits = append(p.Hits, libraryHit{URL: libraryDocumentURL(d.ID), Title: d.Title, Meta: libraryMetaLine(d)})
		}
		all, err := lib.Search(ctx, search.Query{Limit: 1})
		if err != nil {
			return err
		}
		p.Facets = libraryFacets(f, all.Facets)
		p.Empty = n == 0
	} else {
		p.Heading = "Sökresultat"
		if f.Text == "" {
			p.Heading = "Dokument"
		}
		res, err := lib.Search(ctx, q)
		if strategy.CodeOf(err) == strategy.CodeInvalid {
			s.log.InfoContext(ctx, "library query refused", "q", f.Text, "err", err.Error())
			p.Problem = "Sökningen gick inte att tolka. Kontrollera att citattecknen går jämnt ut och att sökningen har andra ord än småord som ”och” och ”att”."
			p.Active = activeLibraryFilters(f)
			return render(s, w, r, http.StatusBadRequest, "library", p)
		}
		if err != nil {
			return err
		}
		total = res.Total
		docs, err := lib.Store().LibraryDocumentsByID(ctx, hitIDs(res.Hits))
		if err != nil {
			return err
		}
		for _, h := range res.Hits {
			d, ok := docs[h.ID]
			if !ok {
				continue // deleted since the index last synced
			}
			p.Hits = append(p.Hits, libraryHit{URL: libraryDocumentURL(h.ID), Title: d.Title, Meta: libraryMetaLine(d), Snippets: h.Snippets})
		}
		p.Facets = libraryFacets(f, res.Facets)
	}
	p.Total = documentsText(total)
	p.Active = activeLibraryFilters(f)
	p.Paging = libraryPagingOf(f, total)
	return render(s, w, r, http.StatusOK, "library", p)
}

// documentsText counts documents: "1 dokument", "1 234 dokument".
func documentsText(n int) string { return count(n) + " dokument" }

// libraryMetaLine is the line under a document's title: whose, what kind,
// which year.
func libraryMetaLine(d strategy.LibraryDocument) string {
	var parts []string
	if d.OrgName != "" {
		parts = append(parts, d.OrgName)
	} else if d.OrgCode != "" {
		parts = append(parts, d.OrgCode)
	}
	if d.Kind != "" {
		parts = append(parts, documentKindLabel(d.Kind))
	}
	if d.Year != 0 {
		parts = append(parts, strconv.Itoa(d.Year))
	}
	if d.Pages > 0 {
		parts = append(parts, pagesText(d.Pages))
	}
	return strings.Join(parts, " · ")
}

func pagesText(n int) string {
	if n == 1 {
		return "1 sida"
	}
	return count(n) + " sidor"
}

// libraryFacets are the facet lists of a result, each value linking to
// the list filtered by it (or, when it is the filter, without it).
func libraryFacets(f libraryFilter, fs search.Facets) []libraryFacet {
	base := f
	base.Page = 1
	groups := []struct {
		id, name string
		counts   []search.FacetCount
		current  string
		with     func(libraryFilter, string) libraryFilter
		label    func(search.FacetCount) string
	}{
		{"facett-org", "Kommun eller region", fs.Org, f.Org,
			func(f libraryFilter, v string) libraryFilter { f.Org = v; return f }, facetLabel},
		{"facett-lan", "Län", fs.Region, f.Region,
			func(f libraryFilter, v string) libraryFilter { f.Region = v; return f },
			func(c search.FacetCount) string { return countyName(c.Value) }},
		{"facett-typ", "Typ av dokument", fs.Kind, f.Kind,
			func(f libraryFilter, v string) libraryFilter { f.Kind = v; return f },
			func(c search.FacetCount) string { return documentKindLabel(strategy.DocumentKind(c.Value)) }},
		{"facett-ar", "År", fs.Year, yearString(f.Year),
			func(f libraryFilter, v string) libraryFilter { f.Year, _ = strconv.Atoi(v); return f }, facetLabel},
	}
	var out []libraryFacet
	for _, g := range groups {
		if len(g.counts) == 0 {
			continue
		}
		facet := libraryFacet{ID: g.id, Name: g.name}
		for i, c := range g.counts {
			v := libraryFacetValue{Label: g.label(c), Count: count(c.Count), Current: c.Value == g.current}
			if v.Current {
				v.URL = libraryURL(g.with(base, ""))
			} else {
				v.URL = libraryURL(g.with(base, c.Value))
			}
			if i < maxFacetShown || v.Current {
				facet.Shown = append(facet.Shown, v)
			} else {
				facet.More = append(facet.More, v)
			}
		}
		out = append(out, facet)
	}
	return out
}

func facetLabel(c search.FacetCount) string {
	if c.Label != "" {
		return c.Label
	}
	return c.Value
}

func yearString(y int) string {
	if y == 0 {
		return ""
	}
	return strconv.Itoa(y)
}

// activeLibraryFilters are the filters in use, each a link to the list
// without it.
func activeLibraryFilters(f libraryFilter) []link {
	base := f
	base.Page = 1
	var out []link
	if f.Org != "" {
		g := base
		g.Org = ""
		out = append(out, link{URL: libraryURL(g), Text: "Kommun eller region: " + orgCodeLabel(f.Org)})
	}
	if f.Region != "" {
		g := base
		g.Region = ""
		out = append(out, link{URL: libraryURL(g), Text: "Län: " + countyName(f.Region)})
	}
	if f.Kind != "" {
		g := base
		g.Kind = ""
		out = append(out, link{URL: libraryURL(g), Text: "Typ: " + documentKindLabel(strategy.DocumentKind(f.Kind))})
	}
	if f.Year != 0 {
		g := base
		g.Year = 0
		out = append(out, link{URL: libraryURL(g), Text: "År: " + strconv.Itoa(f.Year)})
	}
	return out
}

// libraryPagingOf links the pages around f's.
func libraryPagingOf(f libraryFilter, total int) libraryPaging {
	pages := (total + libraryPageSize - 1) / libraryPageSize
	if pages <= 1 && f.Page == 1 {
		return libraryPaging{}
	}
	p := libraryPaging{Text: "Sida " + count(f.Page) + " av " + count(max(pages, 1))}
	if f.Page > 1 {
		g := f
		g.Page = min(f.Page-1, max(pages, 1))
		p.Prev = libraryURL(g)
	}
	if f.Page < pages {
		g := f
		g.Page = f.Page + 1
		p.Next = libraryURL(g)
	}
	return p
}

// libraryOrgCode reports whether code can be a library document's
// organisation: a kommun (four digits) or a region (two), not riket.
func libraryOrgCode(code string) bool {
	return (len(code) == 4 || len(code) == 2) && code != "00" && strategy.ValidOrgCode(code)
}

// orgCodeLabel names a kommun or region code, "Östersund (2380)"; an
// unknown code stays a code.
func orgCodeLabel(code string) string {
	if name, _, ok := nation.Name(code); ok {
		return name + " (" + code + ")"
	}
	return code
}

// countyName names a län by its code, "Jämtlands län"; an unknown code
// stays a code.
func countyName(code string) string {
	for _, r := range nation.Regions() {
		if r.Code == code {
			return r.County
		}
	}
	return code
}

// similarityText says how alike two documents are, plainly: "83 % lika".
func similarityText(score float64) string {
	return i18n.FormatPercent(min(max(score, 0), 1)*100, 0) + " lika"
}

// hitIDs are the documents of a page of hits.
func hitIDs(hits []search.Hit) []int64 {
	ids := make([]int64, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	return ids
}
