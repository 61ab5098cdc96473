package search

import (
	bsearch "github.com/blevesearch/bleve/v2/search"
)

// Highlight picks up to three snippets of text around the words that
// match the query's words and phrases, analysed as the index analyses
// them, so that a compound matched by its part ("arbetsmarknadsinsatser"
// for "arbetsmarknad") is marked too. It is for a searcher whose engine
// cannot mark such words itself (PostgreSQL's ts_headline sees only whole
// words); a query it cannot read gives the text's beginning.
func Highlight(text, query string) []Snippet {
	pq, err := parseQuery(query)
	if err != nil || pq.empty() {
		return snippets(text, nil)
	}
	wanted := map[string]bool{}
	for _, c := range pq.must {
		for _, t := range c.terms {
			if t != "" {
				wanted[t] = true
			}
		}
	}
	tl := bsearch.TermLocationMap{}
	for _, tok := range indexAnalyzer.Analyze([]byte(text)) {
		term := string(tok.Term)
		if wanted[term] {
			tl[term] = append(tl[term], &bsearch.Location{Pos: uint64(tok.Position), Start: uint64(tok.Start), End: uint64(tok.End)})
		}
	}
	return snippets(text, tl)
}
