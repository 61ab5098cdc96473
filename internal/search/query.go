package search

import (
	"strings"
	"unicode"

	"github.com/inkludera/inkludera/internal/strategy"
)

// clause is one item of a user's query: a word or a quoted phrase.
type clause struct {
	raw string
	// terms are the analysed terms by position; a phrase of one term is a
	// word. Empty when every word of it was a stop word.
	terms []string
	// phrase is set when there is more than one term: quoted text, or a
	// word the analyser splits ("e-tjänst", "covid-19"). Its terms must
	// follow each other.
	phrase bool
}

// parsedQuery is the text of a Query, analysed.
type parsedQuery struct {
	must    []clause // every one must match
	mustNot []clause // none may match
}

// empty reports whether the query matches every document (filters aside).
func (p parsedQuery) empty() bool { return len(p.must) == 0 }

// queryAnalyzer analyses query words: the index analysis without compound
// parts (see QueryAnalyzer).
var queryAnalyzer = newAnalyzer(true)

// parseQuery splits the user's text into words, "quoted phrases" and
// -excluded items and analyses each. Errors are CodeInvalid with an English
// message.
func parseQuery(text string) (parsedQuery, error) {
	var p parsedQuery
	items, err := splitQuery(text)
	if err != nil {
		return p, err
	}
	positives := 0
	for _, it := range items {
		if !it.excluded {
			positives++
		}
		c := clause{raw: it.text}
		tokens := queryAnalyzer.Analyze([]byte(it.text))
		if len(tokens) == 0 {
			continue // stop words only
		}
		// Terms by position: a stop word inside a phrase leaves an empty
		// slot, which matches any word ("strategi för integration").
		first, last := tokens[0].Position, tokens[0].Position
		for _, t := range tokens {
			first, last = min(first, t.Position), max(last, t.Position)
		}
		c.terms = make([]string, last-first+1)
		for _, t := range tokens {
			c.terms[t.Position-first] = string(t.Term)
		}
		c.phrase = len(c.terms) > 1
		if it.excluded {
			p.mustNot = append(p.mustNot, c)
		} else {
			p.must = append(p.must, c)
		}
	}
	if positives > 0 && len(p.must) == 0 {
		return p, strategy.Errorf(strategy.CodeInvalid,
			"the query %q has only stop words (och, att, för …); search for a word that carries meaning", text)
	}
	return p, nil
}

type queryItem struct {
	text     string
	quoted   bool
	excluded bool
}

// splitQuery tokenises the query syntax: whitespace separates items, a
// leading "-" excludes one, double quotes (also “ ” „) make a phrase.
func splitQuery(text string) ([]queryItem, error) {
	var items []queryItem
	rs := []rune(text)
	for i := 0; i < len(rs); {
		if unicode.IsSpace(rs[i]) {
			i++
			continue
		}
		excluded := false
		if rs[i] == '-' {
			excluded = true
			i++
			if i == len(rs) || unicode.IsSpace(rs[i]) {
				continue // a lone "-"
			}
		}
		if isQuote(rs[i]) {
			start := i + 1
			end := start
			for end < len(rs) && !isQuote(rs[end]) {
				end++
			}
			if end == len(rs) {
				return nil, strategy.Errorf(strategy.CodeInvalid,
					"the query %q has an opening quotation mark without a closing one", text)
			}
			if phrase := strings.TrimSpace(string(rs[start:end])); phrase != "" {
				items = append(items, queryItem{text: phrase, quoted: true, excluded: excluded})
			}
			i = end + 1
			continue
		}
		start := i
		for i < len(rs) && !unicode.IsSpace(rs[i]) && !isQuote(rs[i]) {
			i++
		}
		items = append(items, queryItem{text: string(rs[start:i]), excluded: excluded})
	}
	return items, nil
}

func isQuote(r rune) bool { return r == '"' || r == '“' || r == '”' || r == '„' }
