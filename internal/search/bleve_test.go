package search

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/document"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/inkludera/inkludera/internal/strategy"
)

// The test library; texts written for Inkludera.
var library = []Document{
	{
		ID: 1, Title: "Integrationsstrategi för Östersunds kommun 2020",
		Text: "Kommunerna i länet ska arbeta med arbetsmarknadsinsatser och social sammanhållning. " +
			"Integrationsarbetet är viktigt för alla. Koden <script>alert('x')</script> & AT&T visas som text.",
		OrgCode: "2380", OrgName: "Östersunds kommun", Region: "23", RegionName: "Jämtlands län",
		Kind: "strategi", Year: 2020,
	},
	{
		ID: 2, Title: "Program för mottagande av nyanlända",
		Text: "Strategin för asylsökande bygger på modersmålsundervisning i skolan. Kommunens skolor " +
			"erbjuder studiehandledning på modersmålet.",
		OrgCode: "2313", OrgName: "Strömsunds kommun", Region: "23", RegionName: "Jämtlands län",
		Kind: "program", Year: 2019,
	},
	{
		ID: 3, Title: "Policy för regionens integrationsarbete",
		Text: "Regionen tar ett socialt ansvar. Sammanhållning i samhället kräver att integration " +
			"är en fråga för alla verksamheter.",
		OrgCode: "23", OrgName: "Region Jämtland Härjedalen", Region: "23", RegionName: "Jämtlands län",
		Kind: "policy", Year: 2021,
	},
	{
		ID: 4, Title: "Plan för mottagande",
		Text:    "Uppsala kommun har en strategi för integration och ett mottagande som bygger på samverkan.",
		OrgCode: "0380", OrgName: "Uppsala kommun", Region: "03", RegionName: "Uppsala län",
		Kind: "plan", Year: 2020,
	},
}

func newTestIndex(t *testing.T, docs ...Document) *Bleve {
	t.Helper()
	b, err := OpenBleve(filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	if err := b.Index(context.Background(), docs...); err != nil {
		t.Fatal(err)
	}
	return b
}

func hitIDs(r Result) []int64 {
	var ids []int64
	for _, h := range r.Hits {
		ids = append(ids, h.ID)
	}
	return ids
}

func sorted(ids []int64) []int64 {
	s := slices.Clone(ids)
	slices.Sort(s)
	return s
}

func TestSearchFinds(t *testing.T) {
	b := newTestIndex(t, library...)
	tests := []struct {
		name string
		q    Query
		want []int64 // in any order
	}{
		{"stemming: kommun finds kommunerna and kommunens", Query{Text: "kommun"}, []int64{1, 2, 4}},
		{"stemming: kommunerna finds kommun", Query{Text: "kommunerna"}, []int64{1, 2, 4}},
		{"inflection of an a-noun: skola finds skolan", Query{Text: "skola"}, []int64{2}},
		{"compound part: strategi finds integrationsstrategi and strategin", Query{Text: "strategi"}, []int64{1, 2, 4}},
		{"compound part: arbetsmarknad finds arbetsmarknadsinsatser", Query{Text: "arbetsmarknad"}, []int64{1}},
		{"compound part: integration finds integrationsarbetet", Query{Text: "integration"}, []int64{1, 3, 4}},
		{"a compound query is not split", Query{Text: "integrationsstrategi"}, []int64{1}},
		{"a compound query in another inflection", Query{Text: "integrationsstrategierna"}, []int64{1}},
		{"every word must match", Query{Text: "strategi skola"}, []int64{2}},
		{"phrase", Query{Text: `"social sammanhållning"`}, []int64{1}},
		{"phrase with a stop word inside", Query{Text: `"strategi för integration"`}, []int64{4}},
		{"the words of a phrase apart do not match it", Query{Text: `"sammanhållning regionen"`}, nil},
		{"exclusion", Query{Text: "strategi -asyl"}, []int64{1, 4}},
		{"an exclusion finds compounds too", Query{Text: "mottagande -asyl"}, []int64{4}},
		{"excluded phrase", Query{Text: `integration -"social sammanhållning"`}, []int64{3, 4}},
		{"title only", Query{Text: "policy"}, []int64{3}},
		{"filter by organisation", Query{Text: "kommun", OrgCode: "2313"}, []int64{2}},
		{"filter by region", Query{Text: "mottagande", Region: "03"}, []int64{4}},
		{"filter by kind", Query{Kind: "policy"}, []int64{3}},
		{"filter by year", Query{Year: 2020}, []int64{1, 4}},
		{"filters combine", Query{Region: "23", Year: 2020}, []int64{1}},
		{"empty text finds all", Query{}, []int64{1, 2, 3, 4}},
		{"nothing", Query{Text: "brandskydd"}, nil},
		{"upper case", Query{Text: "ÖSTERSUNDS"}, []int64{1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := b.Search(context.Background(), tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if got := sorted(hitIDs(r)); !slices.Equal(got, sorted(tt.want)) {
				t.Errorf("hits %v, want %v", got, tt.want)
			}
			if r.Total != len(tt.want) {
				t.Errorf("total %d, want %d", r.Total, len(tt.want))
			}
		})
	}
}

func TestSearchRanking(t *testing.T) {
	b := newTestIndex(t,
		Document{ID: 1, Title: "Plan", Text: "En text som nämner skolan en gång bland mycket annat om vägar, parker och hamnar."},
		Document{ID: 2, Title: "Skolplan", Text: "Skolan, skolorna och skolans elever: skolan i centrum."},
		Document{ID: 3, Title: "Plan", Text: "Inget om det."},
	)
	r, err := b.Search(context.Background(), Query{Text: "skola"})
	if err != nil {
		t.Fatal(err)
	}
	if got := hitIDs(r); !slices.Equal(got, []int64{2, 1}) {
		t.Fatalf("order %v, want [2 1]", got)
	}
	if r.Hits[0].Score <= r.Hits[1].Score {
		t.Errorf("scores %v, %v: want the first higher", r.Hits[0].Score, r.Hits[1].Score)
	}
	t.Run("empty text: newest first", func(t *testing.T) {
		b := newTestIndex(t, library...)
		r, err := b.Search(context.Background(), Query{})
		if err != nil {
			t.Fatal(err)
		}
		if got := hitIDs(r); !slices.Equal(got, []int64{3, 1, 4, 2}) {
			t.Errorf("order %v, want [3 1 4 2] (by year, then id)", got)
		}
	})
}

func TestSearchFacets(t *testing.T) {
	b := newTestIndex(t, library...)
	// One hit per page: the facets still count every match.
	r, err := b.Search(context.Background(), Query{Text: "kommun", Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if r.Total != 3 || len(r.Hits) != 1 {
		t.Fatalf("total %d with %d hits, want 3 with 1", r.Total, len(r.Hits))
	}
	want := Facets{
		Org: []FacetCount{
			{"0380", "Uppsala kommun", 1}, {"2313", "Strömsunds kommun", 1}, {"2380", "Östersunds kommun", 1},
		},
		Region: []FacetCount{{"23", "Jämtlands län", 2}, {"03", "Uppsala län", 1}},
		Kind:   []FacetCount{{"plan", "plan", 1}, {"program", "program", 1}, {"strategi", "strategi", 1}},
		Year:   []FacetCount{{"2020", "2020", 2}, {"2019", "2019", 1}},
	}
	if !equalFacets(r.Facets, want) {
		t.Errorf("facets\n got %+v\nwant %+v", r.Facets, want)
	}
	t.Run("documents without metadata are not counted", func(t *testing.T) {
		b := newTestIndex(t, Document{ID: 9, Title: "Utan uppgifter", Text: "Kommunen."})
		r, err := b.Search(context.Background(), Query{Text: "kommun"})
		if err != nil {
			t.Fatal(err)
		}
		if r.Total != 1 || len(r.Facets.Org)+len(r.Facets.Region)+len(r.Facets.Kind)+len(r.Facets.Year) != 0 {
			t.Errorf("total %d, facets %+v: want 1 and none", r.Total, r.Facets)
		}
	})
	t.Run("one code under two labels is one value", func(t *testing.T) {
		b := newTestIndex(t,
			Document{ID: 1, Title: "a", Text: "kommun", OrgCode: "2380", OrgName: "Östersunds kommun"},
			Document{ID: 2, Title: "b", Text: "kommun", OrgCode: "2380", OrgName: "Östersunds kommun"},
			Document{ID: 3, Title: "c", Text: "kommun", OrgCode: "2380", OrgName: "Östersund"},
		)
		r, err := b.Search(context.Background(), Query{Text: "kommun"})
		if err != nil {
			t.Fatal(err)
		}
		want := []FacetCount{{"2380", "Östersunds kommun", 3}}
		if !slices.Equal(r.Facets.Org, want) {
			t.Errorf("org facet %+v, want %+v", r.Facets.Org, want)
		}
	})
}

func equalFacets(a, b Facets) bool {
	return slices.Equal(a.Org, b.Org) && slices.Equal(a.Region, b.Region) &&
		slices.Equal(a.Kind, b.Kind) && slices.Equal(a.Year, b.Year)
}

func TestSearchPages(t *testing.T) {
	var docs []Document
	for i := range 150 {
		docs = append(docs, Document{ID: int64(i + 1), Title: "Dokument", Text: "Om skolan.", Year: 2000 + i%20})
	}
	b := newTestIndex(t, docs...)
	tests := []struct {
		name          string
		offset, limit int
		wantHits      int
	}{
		{"default limit", 0, 0, DefaultLimit},
		{"a limit", 0, 25, 25},
		{"limit capped", 0, 1000, MaxLimit},
		{"last page", 140, 20, 10},
		{"past the end", 200, 10, 0},
	}
	seen := map[int64]bool{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := b.Search(context.Background(), Query{Text: "skola", Offset: tt.offset, Limit: tt.limit})
			if err != nil {
				t.Fatal(err)
			}
			if r.Total != 150 || len(r.Hits) != tt.wantHits {
				t.Errorf("total %d, %d hits; want 150, %d", r.Total, len(r.Hits), tt.wantHits)
			}
		})
	}
	t.Run("pages do not overlap", func(t *testing.T) {
		for off := 0; off < 150; off += 50 {
			r, err := b.Search(context.Background(), Query{Text: "skola", Offset: off, Limit: 50})
			if err != nil {
				t.Fatal(err)
			}
			for _, id := range hitIDs(r) {
				if seen[id] {
					t.Fatalf("document %d on two pages", id)
				}
				seen[id] = true
			}
		}
		if len(seen) != 150 {
			t.Errorf("%d documents over the pages, want 150", len(seen))
		}
	})
}

func TestSearchErrors(t *testing.T) {
	b := newTestIndex(t, library...)
	tests := []struct {
		name string
		q    Query
	}{
		{"unbalanced quote", Query{Text: `"social`}},
		{"only stop words", Query{Text: "och för att"}},
		{"negative offset", Query{Text: "kommun", Offset: -1}},
		{"negative limit", Query{Text: "kommun", Limit: -5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := b.Search(context.Background(), tt.q)
			if strategy.CodeOf(err) != strategy.CodeInvalid {
				t.Errorf("error %v, want CodeInvalid", err)
			}
		})
	}
}

// marked returns the texts of a snippet's hit spans.
func marked(s Snippet) []string {
	var out []string
	for _, sp := range s {
		if sp.Hit {
			out = append(out, sp.Text)
		}
	}
	return out
}

func TestSearchSnippets(t *testing.T) {
	b := newTestIndex(t, library...)
	// search returns the hit of document id (1 unless given).
	search := func(t *testing.T, text string, id ...int64) Hit {
		t.Helper()
		want := int64(1)
		if len(id) > 0 {
			want = id[0]
		}
		r, err := b.Search(context.Background(), Query{Text: text})
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range r.Hits {
			if h.ID == want {
				return h
			}
		}
		t.Fatalf("document %d is not a hit for %q", want, text)
		return Hit{}
	}
	tests := []struct {
		name, query string
		wantMarked  []string // in the snippets, in order
		wantTitle   []string // marked in the title
	}{
		{"a compound is marked whole", "arbetsmarknad", []string{"arbetsmarknadsinsatser"}, nil},
		{"inflected forms", "kommun", []string{"Kommunerna"}, []string{"kommun"}},
		{"phrase", `"social sammanhållning"`, []string{"social", "sammanhållning"}, nil},
		{"title and text", "integration", []string{"Integrationsarbetet"}, []string{"Integrationsstrategi"}},
		{"two words", "arbetsmarknad viktigt", []string{"arbetsmarknadsinsatser", "viktigt"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := search(t, tt.query)
			var got []string
			for _, s := range h.Snippets {
				got = append(got, marked(s)...)
			}
			if !slices.Equal(got, tt.wantMarked) {
				t.Errorf("marked %q, want %q (snippets %+v)", got, tt.wantMarked, h.Snippets)
			}
			if got := marked(h.TitleSpans); !slices.Equal(got, tt.wantTitle) {
				t.Errorf("title marked %q, want %q", got, tt.wantTitle)
			}
			if h.TitleSpans.String() != h.Title {
				t.Errorf("title spans %q do not spell the title %q", h.TitleSpans.String(), h.Title)
			}
		})
	}
	t.Run("text is neither escaped nor unescaped", func(t *testing.T) {
		h := search(t, "koden")
		all := ""
		for _, s := range h.Snippets {
			all += s.String()
		}
		for _, want := range []string{"<script>alert('x')</script>", "& AT&T"} {
			if !strings.Contains(all, want) {
				t.Errorf("snippets %q lack %q", all, want)
			}
		}
		for _, bad := range []string{"&lt;", "&amp;", "&#39;"} {
			if strings.Contains(all, bad) {
				t.Errorf("snippets %q contain the escape %q", all, bad)
			}
		}
	})
	t.Run("only the title matched: the text's beginning", func(t *testing.T) {
		h := search(t, "policy", 3)
		if len(h.Snippets) != 1 || len(marked(h.Snippets[0])) != 0 ||
			!strings.HasPrefix(h.Snippets[0].String(), "Regionen tar") {
			t.Errorf("snippets %+v, want the unmarked beginning of the text", h.Snippets)
		}
	})
}

func TestIndexReplaceDelete(t *testing.T) {
	ctx := context.Background()
	b := newTestIndex(t, library...)
	count := func() int {
		n, err := b.Count(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(); n != 4 {
		t.Fatalf("count %d, want 4", n)
	}
	// Replace document 4: it no longer says strategi.
	changed := library[3]
	changed.Text = "Uppsala kommun tar emot nyanlända."
	if err := b.Index(ctx, changed); err != nil {
		t.Fatal(err)
	}
	r, err := b.Search(ctx, Query{Text: "strategi"})
	if err != nil {
		t.Fatal(err)
	}
	if got := sorted(hitIDs(r)); !slices.Equal(got, []int64{1, 2}) || count() != 4 {
		t.Errorf("after replacing: hits %v, count %d; want [1 2], 4", got, count())
	}
	if err := b.Delete(ctx, 1, 99); err != nil {
		t.Fatal(err)
	}
	r, err = b.Search(ctx, Query{Text: "strategi"})
	if err != nil {
		t.Fatal(err)
	}
	if got := hitIDs(r); !slices.Equal(got, []int64{2}) || count() != 3 {
		t.Errorf("after deleting: hits %v, count %d; want [2], 3", got, count())
	}
	t.Run("ids must be positive", func(t *testing.T) {
		err := b.Index(ctx, Document{ID: 0, Title: "x"})
		if strategy.CodeOf(err) != strategy.CodeInvalid {
			t.Errorf("error %v, want CodeInvalid", err)
		}
	})
}

func TestReopen(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "index")
	b, err := OpenBleve(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !b.Fresh() {
		t.Error("a new index is not Fresh")
	}
	if err := b.Index(ctx, library...); err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}

	b, err = OpenBleve(dir)
	if err != nil {
		t.Fatal(err)
	}
	if b.Fresh() {
		t.Error("a reopened index is Fresh")
	}
	r, err := b.Search(ctx, Query{Text: "strategi"})
	if err != nil {
		t.Fatal(err)
	}
	if r.Total != 3 {
		t.Errorf("after reopening: total %d, want 3", r.Total)
	}

	// An index of another analysis version is discarded.
	if err := b.idx.SetInternal([]byte(versionKey), []byte("0-old")); err != nil {
		t.Fatal(err)
	}
	b.Close()
	b, err = OpenBleve(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if n, _ := b.Count(ctx); !b.Fresh() || n != 0 {
		t.Errorf("outdated index: Fresh %v with %d documents, want true with 0", b.Fresh(), n)
	}
}

func TestClosed(t *testing.T) {
	ctx := context.Background()
	b := newTestIndex(t, library...)
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Errorf("a second Close: %v", err)
	}
	if _, err := b.Search(ctx, Query{Text: "kommun"}); !errors.Is(err, errClosed) {
		t.Errorf("Search: %v, want errClosed", err)
	}
	if err := b.Index(ctx, library[0]); !errors.Is(err, errClosed) {
		t.Errorf("Index: %v, want errClosed", err)
	}
	if err := b.Delete(ctx, 1); !errors.Is(err, errClosed) {
		t.Errorf("Delete: %v, want errClosed", err)
	}
	if _, err := b.Count(ctx); !errors.Is(err, errClosed) {
		t.Errorf("Count: %v, want errClosed", err)
	}
	if err := b.Rebuild(ctx, func(func(Document, error) bool) {}); !errors.Is(err, errClosed) {
		t.Errorf("Rebuild: %v, want errClosed", err)
	}
}

func TestRebuild(t *testing.T) {
	ctx := context.Background()
	b := newTestIndex(t, library...)
	only := func(docs ...Document) iter.Seq2[Document, error] {
		return func(yield func(Document, error) bool) {
			for _, d := range docs {
				if !yield(d, nil) {
					return
				}
			}
		}
	}
	if err := b.Rebuild(ctx, only(library[1], library[2])); err != nil {
		t.Fatal(err)
	}
	r, err := b.Search(ctx, Query{})
	if err != nil {
		t.Fatal(err)
	}
	if got := sorted(hitIDs(r)); !slices.Equal(got, []int64{2, 3}) {
		t.Errorf("after the rebuild: %v, want [2 3]", got)
	}

	t.Run("a failing source leaves the index as it was", func(t *testing.T) {
		boom := errors.New("database gone")
		failing := func(yield func(Document, error) bool) {
			if yield(library[0], nil) {
				yield(Document{}, boom)
			}
		}
		if err := b.Rebuild(ctx, failing); !errors.Is(err, boom) {
			t.Fatalf("error %v, want %v", err, boom)
		}
		r, err := b.Search(ctx, Query{})
		if err != nil {
			t.Fatal(err)
		}
		if got := sorted(hitIDs(r)); !slices.Equal(got, []int64{2, 3}) {
			t.Errorf("after a failed rebuild: %v, want [2 3]", got)
		}
	})
}

func TestConcurrentIndexAndSearch(t *testing.T) {
	ctx := context.Background()
	b := newTestIndex(t, library...)
	done := make(chan error)
	for w := range 2 {
		go func() {
			var err error
			for i := range 20 {
				d := library[i%len(library)]
				d.ID = int64(100 + w*100 + i)
				if err = b.Index(ctx, d); err != nil {
					break
				}
			}
			done <- err
		}()
	}
	for range 20 {
		if _, err := b.Search(ctx, Query{Text: "kommun strategi"}); err != nil {
			t.Fatal(err)
		}
	}
	for range 2 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	if n, err := b.Count(ctx); err != nil || n != 44 {
		t.Errorf("count %d (%v), want 44", n, err)
	}
}

// toIndexed is a Document in the shape the mapping reads: the reference
// that newDocument's hand-built documents must match.
func toIndexed(d Document) map[string]any {
	x := map[string]any{
		fieldTitle: d.Title, fieldTitle + pairsSuffix: d.Title,
		fieldText: d.Text, fieldText + pairsSuffix: d.Text,
	}
	if d.OrgCode != "" {
		x[fieldOrg] = d.OrgCode
		x[fieldOrgFacet] = d.OrgCode + labelSep + d.OrgName
	}
	if d.Region != "" {
		x[fieldRegion] = d.Region
		x[fieldRegionFacet] = d.Region + labelSep + d.RegionName
	}
	if d.Kind != "" {
		x[fieldKind] = d.Kind
	}
	if d.Year != 0 {
		x[fieldYear] = strconv.Itoa(d.Year)
	}
	return x
}

// TestDocumentMatchesMapping: the documents Index builds by hand have the
// fields, options and analysed terms the index mapping would give them.
func TestDocumentMatchesMapping(t *testing.T) {
	m := newMapping()
	for _, d := range append(slices.Clone(library), Document{ID: 7, Title: "Bara titel"}) {
		want := document.NewDocument(strconv.FormatInt(d.ID, 10))
		if err := m.MapDocument(want, toIndexed(d)); err != nil {
			t.Fatal(err)
		}
		got := newDocument(d)
		fields := func(doc *document.Document) map[string]string {
			out := map[string]string{}
			doc.VisitFields(func(f index.Field) {
				value := string(f.Value()) // before the analysis, which may lower its case
				f.Analyze()
				var terms []string
				for term, freq := range f.AnalyzedTokenFrequencies() {
					terms = append(terms, fmt.Sprintf("%s×%d", term, freq.Frequency()))
				}
				slices.Sort(terms)
				out[f.Name()] = fmt.Sprintf("options %v, value %q, length %d, terms %v",
					f.Options(), value, f.AnalyzedLength(), terms)
			})
			return out
		}
		g, w := fields(got), fields(want)
		for name, wf := range w {
			if g[name] != wf {
				t.Errorf("document %d, field %s:\n got %s\nwant %s", d.ID, name, g[name], wf)
			}
		}
		for name := range g {
			if _, ok := w[name]; !ok {
				t.Errorf("document %d: field %s is not in the mapping", d.ID, name)
			}
		}
	}
}
