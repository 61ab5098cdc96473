// Package search is the strategy library's full-text search: a Searcher
// interface with a bleve implementation for SQLite deployments, the Swedish
// analysis both implementations share (lemmas, compound parts, stemming:
// Expand and Terms), and related documents (Related).
//
// The analysis splits compound words into the words of an embedded list
// (wordlist.txt), so that "strategi" finds "integrationsstrategin" and
// "arbetsmarknad" finds "arbetsmarknadsinsatser". Query words are not split:
// "integrationsstrategi" finds that word in any inflection, not every text
// that says integration and strategi.
//
// The index is a derivative of the database: it can always be rebuilt from
// the documents (see Bleve.Rebuild).
package search

import "context"

// Document is one library document as the search sees it.
type Document struct {
	ID               int64 // the store's id; positive
	Title, Text      string
	OrgCode, OrgName string // kommun or region code and name ("2380", "Östersunds kommun"); may be empty
	Region           string // länskod ("23"); may be empty
	RegionName       string // "Jämtlands län"; may be empty
	Kind             string // strategi, program, plan, policy, riktlinjer, or ""
	Year             int    // 0 when unknown
}

// Query is a search as the user asked for it.
type Query struct {
	// Text is the user's input: words, "quoted phrases" and -excluded
	// words or phrases. Every word and phrase must match, in the title or
	// the text. Empty matches every document.
	Text string
	// Facet filters; the zero value does not filter.
	OrgCode, Region, Kind string
	Year                  int
	// Offset and Limit page through the hits. Limit 0 means 10; more than
	// MaxLimit means MaxLimit.
	Offset, Limit int
}

// Page sizes.
const (
	DefaultLimit = 10
	MaxLimit     = 100
)

// Span is a piece of a snippet. Text is plain text, never HTML: the web
// layer escapes it and marks a Hit.
type Span struct {
	Text string
	Hit  bool
}

// Snippet is a short passage of a document with its matches marked.
type Snippet []Span

// String is the snippet's plain text.
func (s Snippet) String() string {
	n := 0
	for _, sp := range s {
		n += len(sp.Text)
	}
	b := make([]byte, 0, n)
	for _, sp := range s {
		b = append(b, sp.Text...)
	}
	return string(b)
}

// Hit is one matching document.
type Hit struct {
	ID    int64
	Title string
	// TitleSpans is the whole title with its matches marked.
	TitleSpans Snippet
	Score      float64
	// Snippets are up to three passages of the text of about 160
	// characters around the matches, in the order of the text; when only
	// the title matched, or the query has no words, the text's beginning.
	Snippets []Snippet
}

// FacetCount is one value of a facet: a code (or kind, or year) with its
// label and the number of matching documents.
type FacetCount struct {
	Value, Label string
	Count        int
}

// Facets count all the matches of a search, not only the page, by
// organisation, region, kind and year; each sorted by count, most first,
// then by value.
type Facets struct {
	Org, Region, Kind, Year []FacetCount
}

// Result is a page of hits with the total and the facets.
type Result struct {
	Total  int
	Hits   []Hit
	Facets Facets
}

// Searcher is a full-text index of the library. Errors for a query the
// user got wrong are strategy.Error with CodeInvalid.
type Searcher interface {
	// Index adds documents, or replaces those with the same ID.
	Index(ctx context.Context, docs ...Document) error
	// Delete removes documents; an unknown ID is not an error.
	Delete(ctx context.Context, ids ...int64) error
	Search(ctx context.Context, q Query) (Result, error)
	// Count is the number of documents indexed.
	Count(ctx context.Context) (int, error)
	Close() error
}
