package web

import (
	"net/http"
	"strings"
	"unicode"

	"github.com/inkludera/inkludera/internal/strategy"
)

// Search within one organisation's published documents: goals, targets,
// areas, terms, activities and indicators, in the reader's language and in
// Swedish (a newcomer may search with a Swedish word from a letter). Every
// word of the query must occur in the hit, case and accents folded so that
// "overgang" finds "övergång"; titles are worth more than body text. The
// strategy library (a later issue) brings stemming and ranking across
// municipalities; within one organisation a few hundred texts are scanned
// faster than an index is opened.

type portalSearchPage struct {
	portalPage
	portalHead
	Title   string
	Query   string
	OrgName string
	Action  string
	Results []searchHit
	Count   int
	Limited bool
}

type searchHit struct {
	Kind    string
	URL     string
	Title   contentText
	Snippet contentText
	score   int
}

// maxSearchResults caps the list; a query that matches more is too broad
// to read through, and the page says so.
const maxSearchResults = 50

// pagePortalSearch handles GET /portal/{org}/sok?q=.
func (s *server) pagePortalSearch(w http.ResponseWriter, r *http.Request) error {
	l := langOf(r)
	code := r.PathValue("org")
	org, err := s.st.Organisation(r.Context(), code)
	if err != nil {
		return notFoundAs(err, "Det finns ingen organisation med koden %s.", code)
	}
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if len([]rune(q)) > 200 {
		q = string([]rune(q)[:200])
	}
	p := portalSearchPage{portalPage: newPortalPage(r), Title: l.T("portal.search.title", "Org", org.Name), Query: q,
		OrgName: org.Name, Action: portalSearchURL(code)}
	p.Crumbs = []portalLink{{URL: portalHomeURL(), Text: contentText{Text: l.T("portal.home.crumb")}},
		{URL: portalOrgURL(code), Text: contentText{Text: org.Name}},
		{URL: portalSearchURL(code), Text: contentText{Text: l.T("portal.search.crumb")}}}
	words := searchWords(q)
	if len(words) == 0 {
		return render(s, w, r, http.StatusOK, "portal_search", p)
	}
	docs, err := s.publishedDocuments(r, code)
	if err != nil {
		return err
	}
	seenIndicators := map[string]bool{}
	for _, d := range docs {
		pd, err := s.readPortalDoc(r, code, d.Key)
		if err != nil {
			return err
		}
		p.Results = append(p.Results, pd.search(words, seenIndicators)...)
	}
	// Stable: equal scores keep document order.
	sortHits(p.Results)
	p.Count = len(p.Results)
	if len(p.Results) > maxSearchResults {
		p.Results, p.Limited = p.Results[:maxSearchResults], true
	}
	return render(s, w, r, http.StatusOK, "portal_search", p)
}

func sortHits(h []searchHit) {
	// Insertion sort keeps it stable and the lists are short.
	for i := 1; i < len(h); i++ {
		for j := i; j > 0 && h[j].score > h[j-1].score; j-- {
			h[j], h[j-1] = h[j-1], h[j]
		}
	}
}

// search finds the words in the document's texts.
func (pd *portalDoc) search(words []string, seenIndicators map[string]bool) []searchHit {
	l, code, doc := pd.l, pd.org.Code, pd.doc
	var hits []searchHit
	try := func(kind, url string, title, body contentText, swedishTitle, swedishBody string) {
		titleHay := fold(title.Text + " " + swedishTitle)
		bodyHay := fold(body.Text + " " + swedishBody)
		score := 0
		for _, w := range words {
			switch {
			case strings.Contains(titleHay, w):
				score += 3
			case strings.Contains(bodyHay, w):
				score++
			default:
				return
			}
		}
		hits = append(hits, searchHit{Kind: l.T("portal.search.kind." + kind), URL: url, Title: title, Snippet: snippet(body), score: score})
	}
	docURL := portalDocumentURL(code, doc.Key)
	try("document", docURL, pd.t.field(strategy.ObjDocument, "", "title", doc.Title), pd.t.field(strategy.ObjDocument, "", "summary", doc.Summary), doc.Title, doc.Summary)
	for _, a := range doc.Areas {
		try("area", docURL+"#omrade-"+a.Key, pd.t.field(strategy.ObjArea, a.Key, "title", a.Title), pd.t.field(strategy.ObjArea, a.Key, "description", a.Description), a.Title, a.Description)
		var walk func(goals []strategy.Goal)
		walk = func(goals []strategy.Goal) {
			for _, g := range goals {
				gURL := portalGoalURL(code, doc.Key, g.Key)
				try("goal", gURL, pd.t.field(strategy.ObjGoal, g.Key, "title", g.Title), pd.t.field(strategy.ObjGoal, g.Key, "description", g.Description), g.Title, g.Description)
				for _, t := range g.Targets {
					try("target", gURL+"#malvarde-"+t.Key, pd.t.field(strategy.ObjTarget, t.Key, "text", t.Text), contentText{}, t.Text, "")
				}
				for _, c := range g.Commitments {
					try("commitment", gURL, pd.t.field(strategy.ObjCommitment, c.Key, "text", c.Text), contentText{}, c.Text, "")
				}
				walk(g.Goals)
			}
		}
		walk(a.Goals)
	}
	for _, t := range doc.Terms {
		try("term", portalTermsURL(code, doc.Key)+"#begrepp-"+t.Key, pd.t.field(strategy.ObjTerm, t.Key, "term", t.Term),
			pd.t.field(strategy.ObjTerm, t.Key, "definition", t.Definition), t.Term, t.Definition)
	}
	for _, plan := range doc.ActionPlans {
		if plan.Status != strategy.PlanDecided {
			continue
		}
		for _, a := range plan.Activities {
			path := plan.Key + "/" + a.Key
			try("activity", portalPlansURL(code, doc.Key)+"#plan-"+plan.Key, pd.t.field(strategy.ObjActivity, path, "title", a.Title),
				pd.t.field(strategy.ObjActivity, path, "description", a.Description), a.Title, a.Description+" "+a.TargetGroup)
		}
	}
	for _, k := range doc.IndicatorKeys() {
		ind, ok := pd.indicators[k]
		if !ok || seenIndicators[k] {
			continue
		}
		n := len(hits)
		try("indicator", portalIndicatorURL(code, k), indicatorText(l, ind, "title", ind.Title), indicatorText(l, ind, "description", ind.Description), ind.Title, ind.Description)
		if len(hits) > n {
			seenIndicators[k] = true
		}
	}
	return hits
}

// snippet is the start of a text, cut at a word.
func snippet(c contentText) contentText {
	const max = 220
	r := []rune(c.Text)
	if len(r) <= max {
		return c
	}
	cut := max
	for cut > max-40 && !unicode.IsSpace(r[cut]) {
		cut--
	}
	c.Text = strings.TrimSpace(string(r[:cut])) + " …"
	return c
}

// searchWords are the query's words, folded; at most ten.
func searchWords(q string) []string {
	words := strings.FieldsFunc(fold(q), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })
	if len(words) > 10 {
		words = words[:10]
	}
	return words
}

// fold lower-cases and removes the Swedish (and common Latin) accents, so
// that a reader without å, ä and ö on their keyboard finds the words.
func fold(s string) string {
	return foldReplacer.Replace(strings.ToLower(s))
}

var foldReplacer = strings.NewReplacer("å", "a", "ä", "a", "ö", "o", "é", "e", "è", "e", "ü", "u", "à", "a")
