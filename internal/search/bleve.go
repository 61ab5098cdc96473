package search

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"iter"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/inkludera/inkludera/internal/strategy"
)

// Bleve is the Searcher of SQLite deployments: a bleve (scorch) index in a
// directory of its own. It is safe for concurrent use.
type Bleve struct {
	dir string
	// writeMu serialises the writers (Index, Delete, Rebuild), so that a
	// rebuild sees no write it would lose.
	writeMu sync.Mutex
	// mu guards idx, which Rebuild swaps; searches hold it for reading.
	mu    sync.RWMutex
	idx   bleve.Index
	fresh bool
}

var _ Searcher = (*Bleve)(nil)

// Field names in the index.
const (
	fieldTitle       = "title"
	fieldText        = "text"
	pairsSuffix      = "_pairs" // title_pairs, text_pairs: see PairAnalyzer
	fieldOrg         = "org"
	fieldOrgFacet    = "org_facet"
	fieldRegion      = "region"
	fieldRegionFacet = "region_facet"
	fieldKind        = "kind"
	fieldYear        = "year"

	// labelSep joins a code and its label in a facet field: the facet
	// counts then carry the label the documents gave.
	labelSep = "\x1f"

	// facetSize bounds the values a facet reports: more than Sweden's
	// 290 kommuner and 21 regions.
	facetSize = 1000

	// A batch is sent when it holds batchDocs documents or batchBytes of
	// text: large batches mean fewer segments to merge, small ones less
	// memory held in analysis.
	batchDocs  = 1000
	batchBytes = 8 << 20

	versionKey = "inkludera.analysis"
)

// analysisVersion changes whenever the analysis could index a text
// differently, so that an index built by an older version is rebuilt
// instead of silently missing words.
var analysisVersion = sync.OnceValue(func() string {
	sum := sha256.Sum256([]byte(wordlistText))
	return "3-" + hex.EncodeToString(sum[:6])
})

// newDocument builds d's bleve document as newMapping describes it, by
// hand rather than through the mapping: the title and the text are each
// analysed once for both their words and their word pairs. Empty metadata
// are left out, so that they are neither facet values nor filters.
// TestDocumentMatchesMapping holds the two in step.
func newDocument(d Document) *document.Document {
	doc := document.NewDocument(strconv.FormatInt(d.ID, 10))
	const (
		wordOptions = index.IndexField | index.StoreField | index.IncludeTermVectors
		pairOptions = index.IndexField
	)
	for _, f := range []struct{ name, value string }{{fieldTitle, d.Title}, {fieldText, d.Text}} {
		value := []byte(f.value)
		shared := &sharedAnalysis{value: []byte(f.value)}
		doc.AddField(document.NewTextFieldCustom(f.name, nil, value, wordOptions, wordsOf{shared}))
		doc.AddField(document.NewTextFieldCustom(f.name+pairsSuffix, nil, value, pairOptions, pairsOf{shared}))
	}
	// A nil analyzer makes the whole value one term, as bleve's keyword
	// analyzer does.
	keyword := func(name, value string, docValues bool) {
		opts := index.IndexField
		if docValues {
			opts |= index.DocValues
		}
		doc.AddField(document.NewTextFieldCustom(name, nil, []byte(value), opts, nil))
	}
	if d.OrgCode != "" {
		keyword(fieldOrg, d.OrgCode, false)
		keyword(fieldOrgFacet, d.OrgCode+labelSep+d.OrgName, true)
	}
	if d.Region != "" {
		keyword(fieldRegion, d.Region, false)
		keyword(fieldRegionFacet, d.Region+labelSep+d.RegionName, true)
	}
	if d.Kind != "" {
		keyword(fieldKind, d.Kind, true)
	}
	if d.Year != 0 {
		keyword(fieldYear, strconv.Itoa(d.Year), true)
	}
	return doc
}

// sharedAnalysis is one field value's IndexAnalyzer tokens, made once for
// the field's words and its pairs: bleve analyses a document's fields one
// after another in one goroutine. It analyses a copy of its own, whichever
// field asks first: the lower-case filter may change its input in place,
// and bleve hands an unstored field its value itself, which here is the
// stored field's too.
type sharedAnalysis struct {
	value  []byte
	tokens analysis.TokenStream
	done   bool
}

var indexAnalyzer = newAnalyzer(false)

func (s *sharedAnalysis) get() analysis.TokenStream {
	if !s.done {
		s.tokens, s.done = indexAnalyzer.Analyze(s.value), true
	}
	return s.tokens
}

type wordsOf struct{ s *sharedAnalysis }

func (w wordsOf) Analyze([]byte) analysis.TokenStream { return w.s.get() }

type pairsOf struct{ s *sharedAnalysis }

func (p pairsOf) Analyze([]byte) analysis.TokenStream {
	return pairFilter{}.Filter(p.s.get())
}

// newMapping keeps the index small: the title and the text are analysed
// with positions (phrases and snippets need them) and stored (the hit's
// title and snippets); their word pairs (PairAnalyzer) without positions;
// the metadata are single keyword terms, with doc values only where facets
// or sorting read them. Nothing goes to "_all".
func newMapping() *mapping.IndexMappingImpl {
	text := func() *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = IndexAnalyzer
		f.Store = true
		f.IncludeTermVectors = true
		f.IncludeInAll = false
		f.DocValues = false
		return f
	}
	pairs := func() *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = PairAnalyzer
		f.Store = false
		f.IncludeTermVectors = false
		f.IncludeInAll = false
		f.DocValues = false
		return f
	}
	keyword := func(docValues bool) *mapping.FieldMapping {
		f := bleve.NewKeywordFieldMapping()
		f.Store = false
		f.IncludeTermVectors = false
		f.IncludeInAll = false
		f.DocValues = docValues
		return f
	}
	doc := bleve.NewDocumentStaticMapping()
	doc.AddFieldMappingsAt(fieldTitle, text())
	doc.AddFieldMappingsAt(fieldText, text())
	doc.AddFieldMappingsAt(fieldTitle+pairsSuffix, pairs())
	doc.AddFieldMappingsAt(fieldText+pairsSuffix, pairs())
	doc.AddFieldMappingsAt(fieldOrg, keyword(false))
	doc.AddFieldMappingsAt(fieldOrgFacet, keyword(true))
	doc.AddFieldMappingsAt(fieldRegion, keyword(false))
	doc.AddFieldMappingsAt(fieldRegionFacet, keyword(true))
	doc.AddFieldMappingsAt(fieldKind, keyword(true))
	doc.AddFieldMappingsAt(fieldYear, keyword(true))

	m := bleve.NewIndexMapping()
	m.DefaultMapping = doc
	m.DefaultAnalyzer = IndexAnalyzer
	m.ScoringModel = index.BM25Scoring
	m.IndexDynamic = false
	m.StoreDynamic = false
	m.DocValuesDynamic = false
	return m
}

// OpenBleve opens the index in dir, creating it when dir does not exist.
// An index built with another version of the analysis is discarded and
// created again empty; Fresh reports it, and the caller must then index
// every document.
func OpenBleve(dir string) (*Bleve, error) {
	idx, fresh, err := openIndex(dir)
	if err != nil {
		return nil, err
	}
	return &Bleve{dir: dir, idx: idx, fresh: fresh}, nil
}

// ErrIndexInUse is returned by OpenBleve when another process has the
// index open.
var ErrIndexInUse = errors.New("another process has it open (a running server?)")

// lockWait is how long OpenBleve waits for another process's lock.
const lockWait = 2 * time.Second

func openIndex(dir string) (idx bleve.Index, fresh bool, err error) {
	if _, statErr := os.Stat(dir); statErr == nil {
		// Another process (a running server, when this is the CLI) holds
		// the index: say so rather than wait for ever, and never take
		// that for a broken index to delete.
		idx, err = bleve.OpenUsing(dir, map[string]any{"bolt_timeout": lockWait.String()})
		if errors.Is(err, bolterrors.ErrTimeout) {
			return nil, false, fmt.Errorf("search: the index %s: %w", dir, ErrIndexInUse)
		}
		if err == nil {
			v, gerr := idx.GetInternal([]byte(versionKey))
			if gerr == nil && string(v) == analysisVersion() {
				return idx, false, nil
			}
			idx.Close()
		}
		// An unreadable or outdated index is only a cache of the
		// database: start again.
		if err := os.RemoveAll(dir); err != nil {
			return nil, false, fmt.Errorf("search: remove the outdated index %s: %w", dir, err)
		}
	}
	idx, err = createIndex(dir)
	return idx, true, err
}

func createIndex(dir string) (bleve.Index, error) {
	idx, err := bleve.NewUsing(dir, newMapping(), scorch.Name, scorch.Name, nil)
	if err != nil {
		return nil, fmt.Errorf("search: create the index in %s: %w", dir, err)
	}
	if err := idx.SetInternal([]byte(versionKey), []byte(analysisVersion())); err != nil {
		idx.Close()
		return nil, fmt.Errorf("search: create the index in %s: %w", dir, err)
	}
	return idx, nil
}

// Fresh reports whether OpenBleve created the index empty: a new directory,
// or an index of an older analysis that it discarded.
func (b *Bleve) Fresh() bool { return b.fresh }

// Index adds or replaces documents, in batches.
func (b *Bleve) Index(ctx context.Context, docs ...Document) error {
	for _, d := range docs {
		if d.ID <= 0 {
			return strategy.Errorf(strategy.CodeInvalid, "document %q: id %d is not positive", d.Title, d.ID)
		}
	}
	b.writeMu.Lock()
	defer b.writeMu.Unlock()
	b.mu.RLock()
	defer b.mu.RUnlock()
	if b.idx == nil {
		return errClosed
	}
	return indexAll(ctx, b.idx, slices.Values(docs))
}

// indexAll indexes docs in batches (batchDocs, batchBytes). bleve analyses a batch's
// documents in parallel but builds its segment on one core, so batches are
// handed to one writer per core: on two cores this nearly halves the time
// of a large import.
func indexAll(ctx context.Context, idx bleve.Index, docs iter.Seq[Document]) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	batches := make(chan *bleve.Batch)
	var wg sync.WaitGroup
	for range max(1, runtime.GOMAXPROCS(0)) {
		wg.Go(func() {
			for batch := range batches {
				if ctx.Err() != nil {
					continue // drain
				}
				if err := idx.Batch(batch); err != nil {
					cancel(fmt.Errorf("search: index a batch: %w", err))
				}
			}
		})
	}
	err := func() error {
		batch := idx.NewBatch()
		size := 0
		send := func() error {
			if batch.Size() == 0 {
				return nil
			}
			select {
			case batches <- batch:
			case <-ctx.Done():
				return context.Cause(ctx)
			}
			batch, size = idx.NewBatch(), 0
			return nil
		}
		for d := range docs {
			if err := batch.IndexAdvanced(newDocument(d)); err != nil {
				return fmt.Errorf("search: index document %d: %w", d.ID, err)
			}
			size += len(d.Title) + len(d.Text)
			if batch.Size() >= batchDocs || size >= batchBytes {
				if err := send(); err != nil {
					return err
				}
			}
		}
		return send()
	}()
	close(batches)
	wg.Wait()
	if err != nil {
		return err
	}
	return context.Cause(ctx)
}

// Delete removes documents by ID.
func (b *Bleve) Delete(ctx context.Context, ids ...int64) error {
	b.writeMu.Lock()
	defer b.writeMu.Unlock()
	b.mu.RLock()
	defer b.mu.RUnlock()
	if b.idx == nil {
		return errClosed
	}
	batch := b.idx.NewBatch()
	for _, id := range ids {
		batch.Delete(strconv.FormatInt(id, 10))
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := b.idx.Batch(batch); err != nil {
		return fmt.Errorf("search: delete: %w", err)
	}
	return nil
}

// Count is the number of documents in the index.
func (b *Bleve) Count(ctx context.Context) (int, error) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	if b.idx == nil {
		return 0, errClosed
	}
	n, err := b.idx.DocCount()
	if err != nil {
		return 0, fmt.Errorf("search: count: %w", err)
	}
	return int(n), nil
}

var errClosed = errors.New("search: the index is closed")

// Close closes the index.
func (b *Bleve) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.idx == nil {
		return nil
	}
	err := b.idx.Close()
	b.idx = nil
	return err
}

// Rebuild replaces the index with one built from docs, which should be
// every document of the database. The new index is built beside the old
// one, which answers searches until it is swapped in; writes wait.
func (b *Bleve) Rebuild(ctx context.Context, docs iter.Seq2[Document, error]) error {
	b.writeMu.Lock()
	defer b.writeMu.Unlock()
	b.mu.RLock()
	closed := b.idx == nil
	b.mu.RUnlock()
	if closed {
		return errClosed
	}
	tmp := b.dir + ".rebuild"
	if err := os.RemoveAll(tmp); err != nil {
		return fmt.Errorf("search: rebuild: %w", err)
	}
	next, err := createIndex(tmp)
	if err != nil {
		return err
	}
	var docErr error
	err = indexAll(ctx, next, func(yield func(Document) bool) {
		for d, err := range docs {
			if err != nil {
				docErr = err
				return
			}
			if d.ID <= 0 {
				docErr = strategy.Errorf(strategy.CodeInvalid, "document %q: id %d is not positive", d.Title, d.ID)
				return
			}
			if !yield(d) {
				return
			}
		}
	})
	err = errors.Join(err, docErr)
	if closeErr := next.Close(); err == nil {
		err = closeErr
	}
	if err != nil {
		os.RemoveAll(tmp)
		return fmt.Errorf("search: rebuild: %w", err)
	}

	b.mu.Lock()
	defer b.mu.Unlock()
	if b.idx == nil {
		os.RemoveAll(tmp)
		return errClosed
	}
	if err := b.idx.Close(); err != nil {
		return fmt.Errorf("search: rebuild: close the old index: %w", err)
	}
	// From here b.idx is closed: whatever happens, open what is in b.dir.
	swapErr := func() error {
		old := b.dir + ".old"
		os.RemoveAll(old)
		if err := os.Rename(b.dir, old); err != nil && !os.IsNotExist(err) {
			return err
		}
		if err := os.Rename(tmp, b.dir); err != nil {
			os.Rename(old, b.dir) // put the old one back
			return err
		}
		os.RemoveAll(old)
		return nil
	}()
	idx, err := bleve.Open(b.dir)
	if err != nil {
		b.idx = nil
		return fmt.Errorf("search: rebuild: open the index: %w", errors.Join(swapErr, err))
	}
	b.idx = idx
	if swapErr != nil {
		return fmt.Errorf("search: rebuild: swap in the new index (the old one is still in use): %w", swapErr)
	}
	b.fresh = false
	return nil
}

// Search runs a query: ranked by BM25 over the title and the text, with
// the total, the facets of all matches and snippets for the page's hits.
func (b *Bleve) Search(ctx context.Context, q Query) (Result, error) {
	limit, err := pageLimit(q)
	if err != nil {
		return Result{}, err
	}
	pq, err := parseQuery(q.Text)
	if err != nil {
		return Result{}, err
	}
	b.mu.RLock()
	defer b.mu.RUnlock()
	if b.idx == nil {
		return Result{}, errClosed
	}

	req := bleve.NewSearchRequestOptions(buildQuery(pq, q), limit, q.Offset, false)
	req.Fields = []string{fieldTitle, fieldText}
	req.AddFacet(fieldOrgFacet, bleve.NewFacetRequest(fieldOrgFacet, facetSize))
	req.AddFacet(fieldRegionFacet, bleve.NewFacetRequest(fieldRegionFacet, facetSize))
	req.AddFacet(fieldKind, bleve.NewFacetRequest(fieldKind, facetSize))
	req.AddFacet(fieldYear, bleve.NewFacetRequest(fieldYear, facetSize))
	if pq.empty() {
		// Every document scores alike: newest first, then by id (as text),
		// so that pages are stable.
		req.SortBy([]string{"-" + fieldYear, "_id"})
	}
	sr, err := b.idx.SearchInContext(ctx, req)
	if err != nil {
		return Result{}, fmt.Errorf("search: %w", err)
	}

	res := Result{Total: int(sr.Total), Hits: make([]Hit, 0, len(sr.Hits))}
	res.Facets = Facets{
		Org:    facetCounts(sr.Facets[fieldOrgFacet], true),
		Region: facetCounts(sr.Facets[fieldRegionFacet], true),
		Kind:   facetCounts(sr.Facets[fieldKind], false),
		Year:   facetCounts(sr.Facets[fieldYear], false),
	}
	locations, err := b.matchLocations(ctx, pq, sr.Hits)
	if err != nil {
		return Result{}, err
	}
	for _, h := range sr.Hits {
		id, err := strconv.ParseInt(h.ID, 10, 64)
		if err != nil {
			return Result{}, fmt.Errorf("search: a document id %q in the index: %w", h.ID, err)
		}
		title, _ := h.Fields[fieldTitle].(string)
		text, _ := h.Fields[fieldText].(string)
		loc := locations[h.ID]
		res.Hits = append(res.Hits, Hit{
			ID:         id,
			Title:      title,
			TitleSpans: markAll(title, loc[fieldTitle]),
			Score:      h.Score,
			Snippets:   snippets(text, loc[fieldText]),
		})
	}
	return res, nil
}

func pageLimit(q Query) (int, error) {
	if q.Offset < 0 {
		return 0, strategy.Errorf(strategy.CodeInvalid, "offset %d is negative", q.Offset)
	}
	switch {
	case q.Limit < 0:
		return 0, strategy.Errorf(strategy.CodeInvalid, "limit %d is negative", q.Limit)
	case q.Limit == 0:
		return DefaultLimit, nil
	case q.Limit > MaxLimit:
		return MaxLimit, nil
	}
	return q.Limit, nil
}

// buildQuery turns the parsed text and the filters into a bleve query:
// each clause matches in the title (boosted) or the text, every positive
// clause must match, no negative one may; the filters do not score.
func buildQuery(pq parsedQuery, q Query) query.Query {
	bq := bleve.NewBooleanQuery()
	if pq.empty() {
		bq.AddMust(bleve.NewMatchAllQuery())
	}
	for _, c := range pq.must {
		bq.AddMust(clauseQuery(c, false))
	}
	for _, c := range pq.mustNot {
		bq.AddMustNot(clauseQuery(c, false))
	}
	var filters []query.Query
	term := func(field, value string) {
		t := bleve.NewTermQuery(value)
		t.SetField(field)
		filters = append(filters, t)
	}
	if q.OrgCode != "" {
		term(fieldOrg, q.OrgCode)
	}
	if q.Region != "" {
		term(fieldRegion, q.Region)
	}
	if q.Kind != "" {
		term(fieldKind, q.Kind)
	}
	if q.Year != 0 {
		term(fieldYear, strconv.Itoa(q.Year))
	}
	switch len(filters) {
	case 0:
	case 1:
		bq.AddFilter(filters[0])
	default:
		bq.AddFilter(bleve.NewConjunctionQuery(filters...))
	}
	return bq
}

// titleBoost weighs a match in the title above one in the text.
const titleBoost = 2

// clauseQuery matches one word or phrase in the title or the text. The
// terms are already analysed, so term and phrase queries take them as
// they are.
//
// A phrase is looked up by its word pairs where the index has them
// (PairAnalyzer, pairable): two such words are one pair term, exactly the
// phrase. Any other phrase is checked word by word, only in the documents
// that have all the pairs it has. With positional set, every phrase is
// checked word by word, which gives the matches' locations.
func clauseQuery(c clause, positional bool) query.Query {
	field := func(name string, boost float64) query.Query {
		if !c.phrase {
			t := bleve.NewTermQuery(c.terms[0])
			t.SetField(name)
			t.SetBoost(boost)
			return t
		}
		phrase := bleve.NewPhraseQuery(c.terms, name)
		phrase.SetBoost(boost)
		if positional {
			return phrase
		}
		var pairs []query.Query
		for i := 1; i < len(c.terms); i++ {
			a, b := c.terms[i-1], c.terms[i]
			if a == "" || b == "" || !pairable([]byte(a)) || !pairable([]byte(b)) {
				continue
			}
			t := bleve.NewTermQuery(pairTerm(a, b))
			t.SetField(name + pairsSuffix)
			t.SetBoost(boost)
			pairs = append(pairs, t)
		}
		switch {
		case len(pairs) == 0:
			return phrase
		case len(pairs) == 1 && len(c.terms) == 2:
			return pairs[0]
		}
		return bleve.NewConjunctionQuery(append(pairs, phrase)...)
	}
	return bleve.NewDisjunctionQuery(field(fieldTitle, titleBoost), field(fieldText, 1))
}

// matchLocations finds where the query's words matched in the page's hits,
// by document id, field and term. It asks again for just those documents:
// asking the main search for locations would collect them for every match,
// not only the page.
func (b *Bleve) matchLocations(ctx context.Context, pq parsedQuery, hits search.DocumentMatchCollection) (map[string]search.FieldTermLocationMap, error) {
	if pq.empty() || len(hits) == 0 {
		return nil, nil
	}
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	clauses := make([]query.Query, len(pq.must))
	for i, c := range pq.must {
		clauses[i] = clauseQuery(c, true)
	}
	q := bleve.NewConjunctionQuery(bleve.NewDocIDQuery(ids), bleve.NewDisjunctionQuery(clauses...))
	req := bleve.NewSearchRequestOptions(q, len(ids), 0, false)
	req.IncludeLocations = true
	req.Score = "none"
	sr, err := b.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("search: locate the matches: %w", err)
	}
	out := make(map[string]search.FieldTermLocationMap, len(sr.Hits))
	for _, h := range sr.Hits {
		out[h.ID] = h.Locations
	}
	return out, nil
}

// facetCounts converts a bleve facet, splitting "code\x1flabel" values
// when labelled, merging values with the same code, and sorting by count
// then value.
func facetCounts(fr *search.FacetResult, labelled bool) []FacetCount {
	if fr == nil || fr.Terms == nil {
		return nil
	}
	byValue := map[string]int{}
	var out []FacetCount
	var labelCount []int // the count of the label kept for out[i]
	for _, t := range fr.Terms.Terms() {
		value, label := t.Term, t.Term
		if labelled {
			value, label, _ = strings.Cut(t.Term, labelSep)
		}
		if i, ok := byValue[value]; ok {
			if t.Count > labelCount[i] { // the label most documents use
				out[i].Label, labelCount[i] = label, t.Count
			}
			out[i].Count += t.Count
			continue
		}
		byValue[value] = len(out)
		out = append(out, FacetCount{Value: value, Label: label, Count: t.Count})
		labelCount = append(labelCount, t.Count)
	}
	slices.SortFunc(out, func(a, b FacetCount) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return strings.Compare(a.Value, b.Value)
	})
	return out
}
