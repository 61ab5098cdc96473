package search

import (
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/stop"
	"github.com/blevesearch/bleve/v2/registry"
)

// The analysers, registered with bleve by name so that an index's stored
// mapping finds them when it is opened again.
const (
	// IndexAnalyzer: word tokenizer (bleve's unicode tokenizer's cuts,
	// faster; see wordTokenizer) → lower case → lemma and compound parts
	// (the parts at the word's position) → Swedish stop words → Swedish
	// Snowball stemmer.
	IndexAnalyzer = "inkludera_sv"
	// QueryAnalyzer is IndexAnalyzer without the parts: a query word that
	// is a compound stays one term. "integrationsstrategi" must find the
	// documents that say integrationsstrategi, not every document that
	// says integration and strategi somewhere; the index holds the parts,
	// so the other direction, "strategi" finding the compound, works.
	QueryAnalyzer = "inkludera_sv_query"
	// PairAnalyzer indexes each two adjacent words of IndexAnalyzer's
	// output as one term, "social sammanhållning", so that a phrase of two
	// words is a single term lookup instead of a walk through the
	// positions of both words in every document that has them both.
	PairAnalyzer = "inkludera_sv_pairs"
)

func init() {
	analyzers := map[string]func() analysis.Analyzer{
		IndexAnalyzer: func() analysis.Analyzer { return newAnalyzer(false) },
		QueryAnalyzer: func() analysis.Analyzer { return newAnalyzer(true) },
		PairAnalyzer: func() analysis.Analyzer {
			a := newAnalyzer(false)
			a.TokenFilters = append(a.TokenFilters, pairFilter{})
			return a
		},
	}
	for name, make := range analyzers {
		err := registry.RegisterAnalyzer(name, func(map[string]any, *registry.Cache) (analysis.Analyzer, error) {
			return make(), nil
		})
		if err != nil {
			panic(err)
		}
	}
}

// pairTerm is the term of two adjacent analysed terms.
func pairTerm(a, b string) string { return a + " " + b }

// pairable reports whether an analysed term takes part in pairs: the stem
// of a word of the word list. Compounds, names, numbers and unknown words
// do not: they are rarer, so a phrase with one of them is quick to check
// word by word, and leaving them out keeps the pairs' dictionary a
// fraction of the size (building it was a fifth of indexing).
func pairable(term []byte) bool { return loadLexicon().stems[string(term)] }

// pairFilter turns a stream of analysed terms into the pairs of pairable
// words at adjacent positions. Only whole words pair up, not compound
// parts: the phrase "social sammanhållning" is not in "social
// sammanhållningsarbete". Positions with a stop word between them are not
// adjacent.
type pairFilter struct{}

func (pairFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	out := make(analysis.TokenStream, 0, len(in))
	var buf []byte // the pairs' terms, one allocation for many
	var slab []analysis.Token
	var prev *analysis.Token
	for _, t := range in {
		if prev != nil && t.Position == prev.Position {
			continue // a compound's part: the whole word came first
		}
		if prev != nil && prev.Position+1 == t.Position && pairable(prev.Term) && pairable(t.Term) {
			n := len(prev.Term) + 1 + len(t.Term)
			if len(buf)+n > cap(buf) {
				buf = make([]byte, 0, max(8192, n))
			}
			from := len(buf)
			buf = append(buf, prev.Term...)
			buf = append(buf, ' ')
			buf = append(buf, t.Term...)
			if len(slab) == 0 {
				slab = make([]analysis.Token, tokenChunk)
			}
			p := &slab[0]
			slab = slab[1:]
			*p = analysis.Token{
				Start: prev.Start, End: t.End, Term: buf[from:len(buf):len(buf)],
				Position: len(out) + 1, Type: analysis.Shingle,
			}
			out = append(out, p)
		}
		prev = t
	}
	return out
}

func newAnalyzer(query bool) *analysis.DefaultAnalyzer {
	return &analysis.DefaultAnalyzer{
		Tokenizer: wordTokenizer{},
		TokenFilters: []analysis.TokenFilter{
			lowercase.NewLowerCaseFilter(),
			compoundFilter{partsToo: !query},
			stop.NewStopTokensFilter(stopWords()),
			stemFilter{},
		},
	}
}

// compoundFilter replaces each word by its lemma and, with partsToo, adds
// the parts of a compound as tokens at the word's position and offsets, so
// that a phrase query still lines up and a hit on a part highlights the
// whole word. Stop words pass through for the stop filter.
type compoundFilter struct{ partsToo bool }

func (f compoundFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	out := in
	copied := false
	var slab []analysis.Token // the parts' tokens, allocated 64 at a time
	for i, t := range in {
		info := analyseWord(t.Term)
		if info.stop {
			if copied {
				out = append(out, t)
			}
			continue
		}
		t.Term = info.lemmaBytes
		if !f.partsToo || len(info.parts) == 0 {
			if copied {
				out = append(out, t)
			}
			continue
		}
		if !copied { // the stream grows from here on
			out = make(analysis.TokenStream, i, len(in)+len(in)/2)
			copy(out, in[:i])
			copied = true
		}
		out = append(out, t)
		for _, p := range info.partBytes {
			if len(slab) == 0 {
				slab = make([]analysis.Token, 64)
			}
			part := &slab[0]
			slab = slab[1:]
			*part = analysis.Token{Start: t.Start, End: t.End, Term: p, Position: t.Position, Type: t.Type}
			out = append(out, part)
		}
	}
	return out
}

// stemFilter is bleve's Swedish Snowball stemmer with a cache.
type stemFilter struct{}

func (stemFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	for _, t := range in {
		t.Term = stemBytes(t.Term)
	}
	return in
}

var tokenizer = wordTokenizer{}

// eachWord calls f with every word of text as the analysers see it,
// lower-cased, with its byte offsets in text. f must not keep w.
func eachWord(text string, f func(w []byte, start, end int)) {
	tokens := tokenizer.Tokenize([]byte(text))
	lowercase.NewLowerCaseFilter().Filter(tokens)
	for _, t := range tokens {
		f(t.Term, t.Start, t.End)
	}
}
