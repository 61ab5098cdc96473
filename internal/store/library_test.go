package store_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/inkludera/inkludera/internal/pgtest"
	"github.com/inkludera/inkludera/internal/search"
	"github.com/inkludera/inkludera/internal/store"
	"github.com/inkludera/inkludera/internal/strategy"
)

func TestLibrarySQLite(t *testing.T) {
	runLibrary(t, func(t *testing.T) *store.Store { return openTemp(t) })
}

func TestLibraryPostgres(t *testing.T) {
	pgtest.BaseURL(t)
	runLibrary(t, func(t *testing.T) *store.Store { return openPostgres(t) })
}

// libraryAdd is a document to add with the text given.
func libraryAdd(title, org, text string) strategy.LibraryAdd {
	return strategy.LibraryAdd{
		Doc: strategy.LibraryDocument{Hash: fmt.Sprintf("%x", text), Format: "text", FileName: title + ".txt",
			LibraryMeta: strategy.LibraryMeta{Title: title, OrgCode: org, Year: 2020, Kind: strategy.KindStrategy},
			Text:        text, Words: len(strings.Fields(text))},
		Terms:      search.EncodeTerms(search.Terms(title + "\n" + text)),
		Expansions: search.Expand(title + "\n" + text),
	}
}

// relateAll makes every document the neighbour of every other (but the
// one removed), scored by the other's ID, so that the stored lists are
// predictable.
func relateAll(added []int64, removed int64, lib strategy.LibraryTerms) (map[int64][]strategy.LibraryNeighbour, error) {
	all, err := lib.IDs()
	if err != nil {
		return nil, err
	}
	var ids []int64
	err = lib.Terms(all, func(id int64, terms []byte) error {
		if _, err := search.DecodeTerms(terms); err != nil {
			return err
		}
		if id != removed {
			ids = append(ids, id)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := map[int64][]strategy.LibraryNeighbour{}
	for _, id := range ids {
		out[id] = []strategy.LibraryNeighbour{}
		for _, other := range ids {
			if other != id {
				out[id] = append(out[id], strategy.LibraryNeighbour{ID: other, Score: 1 / float64(other)})
			}
		}
	}
	return out, nil
}

func runLibrary(t *testing.T, open func(t *testing.T) *store.Store) {
	ctx := context.Background()
	t.Run("add, duplicates and read back", func(t *testing.T) {
		st := open(t)
		res, err := st.AddLibraryDocuments(ctx, []strategy.LibraryAdd{
			libraryAdd("Integrationsstrategi för Östersunds kommun", "2380", "Kommunerna ska samverka om arbetsmarknadsinsatser."),
			libraryAdd("Integrationsprogram", "2313", "Social sammanhållning i Strömsund."),
			libraryAdd("Samma text igen", "2380", "Kommunerna ska samverka om arbetsmarknadsinsatser."),
		}, relateAll)
		if err != nil {
			t.Fatal(err)
		}
		if res[0].Duplicate || res[1].Duplicate || !res[2].Duplicate || res[2].Doc.ID != res[0].Doc.ID {
			t.Fatalf("duplicates: %+v", res)
		}
		d, err := st.LibraryDocument(ctx, res[0].Doc.ID)
		if err != nil {
			t.Fatal(err)
		}
		if d.OrgName != "Östersund" || d.County != "23" || d.Text == "" || d.Rev != 1 || d.AddedAt.IsZero() {
			t.Errorf("stored: %+v", d)
		}
		again, err := st.AddLibraryDocuments(ctx, []strategy.LibraryAdd{
			libraryAdd("Annat namn", "", "Kommunerna ska samverka om arbetsmarknadsinsatser."),
		}, relateAll)
		if err != nil || !again[0].Duplicate || again[0].Doc.ID != res[0].Doc.ID {
			t.Fatalf("second add of a stored text: %+v, %v", again, err)
		}
		list, total, err := st.LibraryDocuments(ctx, 0, 10)
		if err != nil || total != 2 || len(list) != 2 || list[0].Text != "" {
			t.Fatalf("list: %d %v %v", total, list, err)
		}
		rel, err := st.RelatedLibraryDocuments(ctx, res[0].Doc.ID)
		if err != nil || len(rel) != 1 || rel[0].ID != res[1].Doc.ID || rel[0].Title != "Integrationsprogram" || rel[0].Org != "Strömsund" {
			t.Fatalf("related: %+v %v", rel, err)
		}
		revs, err := st.LibraryRevisions(ctx)
		if err != nil || len(revs) != 2 || revs[res[0].Doc.ID] != 1 {
			t.Fatalf("revisions: %v %v", revs, err)
		}
	})
	t.Run("invalid documents store nothing", func(t *testing.T) {
		st := open(t)
		bad := libraryAdd("", "123", "text")
		bad.Doc.Year = 1700
		_, err := st.AddLibraryDocuments(ctx, []strategy.LibraryAdd{libraryAdd("Bra", "", "en text"), bad}, relateAll)
		var e *strategy.Error
		if !errors.As(err, &e) || e.Code != strategy.CodeInvalid {
			t.Fatalf("want invalid, got %v", err)
		}
		for _, want := range []string{"title", "org_code", "year"} {
			if !strings.Contains(fmt.Sprint(e.Err), want) {
				t.Errorf("the error does not name %s: %v", want, e.Err)
			}
		}
		if _, total, _ := st.LibraryDocuments(ctx, 0, 10); total != 0 {
			t.Errorf("%d documents stored", total)
		}
	})
	t.Run("a failing relate stores nothing", func(t *testing.T) {
		st := open(t)
		_, err := st.AddLibraryDocuments(ctx, []strategy.LibraryAdd{libraryAdd("A", "", "a")},
			func([]int64, int64, strategy.LibraryTerms) (map[int64][]strategy.LibraryNeighbour, error) {
				return nil, errors.New("boom")
			})
		if err == nil {
			t.Fatal("no error")
		}
		if _, total, _ := st.LibraryDocuments(ctx, 0, 10); total != 0 {
			t.Errorf("%d documents stored", total)
		}
	})
	t.Run("edit and conflict", func(t *testing.T) {
		st := open(t)
		res, err := st.AddLibraryDocuments(ctx, []strategy.LibraryAdd{libraryAdd("Plan", "", "Handlingsplan för integration.")}, relateAll)
		if err != nil {
			t.Fatal(err)
		}
		id := res[0].Doc.ID
		on, _ := strategy.ParseDate("2016-05-10")
		meta := strategy.LibraryMeta{Title: "Integrationsplan", OrgCode: "2380", Year: 2016, Kind: strategy.KindPlan,
			AdoptedBy: "Kommunstyrelsen", AdoptedOn: on}
		d, err := st.EditLibraryDocument(ctx, id, 1, meta)
		if err != nil {
			t.Fatal(err)
		}
		if d.Rev != 2 || d.Title != "Integrationsplan" || d.OrgName != "Östersund" || d.AdoptedOn != on {
			t.Errorf("edited: %+v", d)
		}
		_, err = st.EditLibraryDocument(ctx, id, 1, meta)
		var e *strategy.Error
		if !errors.As(err, &e) || e.Code != strategy.CodeConflict {
			t.Errorf("stale revision: %v", err)
		}
		_, err = st.EditLibraryDocument(ctx, id, 2, strategy.LibraryMeta{Title: "x", Kind: "roman"})
		if !errors.As(err, &e) || e.Code != strategy.CodeInvalid {
			t.Errorf("unknown kind: %v", err)
		}
		if _, err := st.EditLibraryDocument(ctx, 999, 1, meta); !errors.As(err, &e) || e.Code != strategy.CodeNotFound {
			t.Errorf("unknown document: %v", err)
		}
	})
	t.Run("delete removes it from every list", func(t *testing.T) {
		st := open(t)
		res, err := st.AddLibraryDocuments(ctx, []strategy.LibraryAdd{
			libraryAdd("A", "", "a"), libraryAdd("B", "", "b"), libraryAdd("C", "", "c"),
		}, relateAll)
		if err != nil {
			t.Fatal(err)
		}
		if err := st.DeleteLibraryDocument(ctx, res[1].Doc.ID, relateAll); err != nil {
			t.Fatal(err)
		}
		rel, _ := st.RelatedLibraryDocuments(ctx, res[0].Doc.ID)
		if len(rel) != 1 || rel[0].ID != res[2].Doc.ID {
			t.Errorf("after delete: %+v", rel)
		}
		if _, err := st.LibraryDocument(ctx, res[1].Doc.ID); err == nil {
			t.Error("the deleted document is still there")
		}
		var ids []int64
		st.LibraryBodies(ctx, []int64{res[0].Doc.ID, res[2].Doc.ID}, func(d strategy.LibraryDocument) error {
			if d.Text == "" {
				t.Errorf("body of %d without text", d.ID)
			}
			ids = append(ids, d.ID)
			return nil
		})
		if slices.Sort(ids); !slices.Equal(ids, []int64{res[0].Doc.ID, res[2].Doc.ID}) {
			t.Errorf("bodies: %v", ids)
		}
	})
}

// TestLibrarySearchPostgres: PostgreSQL's own library search, Swedish
// stemming, compounds, phrases, exclusion, facets and snippets.
func TestLibrarySearchPostgres(t *testing.T) {
	pgtest.BaseURL(t)
	ctx := context.Background()
	st := openPostgres(t)
	docs := []strategy.LibraryAdd{
		libraryAdd("Integrationsstrategi för Östersunds kommun", "2380",
			"Kommunerna i länet ska samverka om arbetsmarknadsinsatser för nyanlända. Social sammanhållning är målet."),
		libraryAdd("Program för Strömsund", "2313", "Kommunen ska öka den sociala sammanhållningen och arbeta mot segregation."),
		libraryAdd("Riktlinjer för mottagande", "0180", "Asylsökande ska få stöd <script>alert(1)</script> & hjälp med bostad."),
	}
	docs[1].Doc.Kind = strategy.KindProgramme
	docs[2].Doc.Kind = strategy.KindGuidelines
	if _, err := st.AddLibraryDocuments(ctx, docs, relateAll); err != nil {
		t.Fatal(err)
	}
	s := st.LibrarySearcher()
	titles := func(q search.Query) []string {
		t.Helper()
		res, err := s.Search(ctx, q)
		if err != nil {
			t.Fatalf("%+v: %v", q, err)
		}
		var out []string
		for _, h := range res.Hits {
			out = append(out, h.Title)
		}
		slices.Sort(out)
		return out
	}
	for _, tc := range []struct {
		name string
		q    search.Query
		want []string
	}{
		{"stemming: kommun finds kommunerna", search.Query{Text: "kommun"}, []string{"Integrationsstrategi för Östersunds kommun", "Program för Strömsund"}},
		{"compound part", search.Query{Text: "arbetsmarknad"}, []string{"Integrationsstrategi för Östersunds kommun"}},
		{"compound part in the title", search.Query{Text: "strategi"}, []string{"Integrationsstrategi för Östersunds kommun"}},
		{"phrase", search.Query{Text: `"social sammanhållning"`}, []string{"Integrationsstrategi för Östersunds kommun", "Program för Strömsund"}},
		{"exclusion", search.Query{Text: "kommun -segregation"}, []string{"Integrationsstrategi för Östersunds kommun"}},
		{"facet filter", search.Query{Text: "kommun", Kind: "program"}, []string{"Program för Strömsund"}},
		{"region filter", search.Query{Region: "01"}, []string{"Riktlinjer för mottagande"}},
		{"all", search.Query{}, []string{"Integrationsstrategi för Östersunds kommun", "Program för Strömsund", "Riktlinjer för mottagande"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := titles(tc.q); !slices.Equal(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
	t.Run("facets and snippets", func(t *testing.T) {
		res, err := s.Search(ctx, search.Query{Text: "kommun"})
		if err != nil {
			t.Fatal(err)
		}
		if res.Total != 2 || len(res.Facets.Kind) != 2 || len(res.Facets.Org) != 2 || res.Facets.Region[0].Value != "23" ||
			res.Facets.Region[0].Label != "Region Jämtland Härjedalen" || res.Facets.Year[0] != (search.FacetCount{Value: "2020", Label: "2020", Count: 2}) {
			t.Errorf("facets: %d %+v", res.Total, res.Facets)
		}
		marked := 0
		for _, h := range res.Hits {
			for _, sn := range h.Snippets {
				for _, sp := range sn {
					if sp.Hit {
						marked++
						if !strings.HasPrefix(strings.ToLower(sp.Text), "kommun") {
							t.Errorf("highlighted %q", sp.Text)
						}
					}
				}
			}
		}
		if marked < 2 {
			t.Errorf("%d highlighted words: %+v", marked, res.Hits)
		}
	})
	t.Run("snippets keep markup as text", func(t *testing.T) {
		res, err := s.Search(ctx, search.Query{Text: "bostad"})
		if err != nil || len(res.Hits) != 1 {
			t.Fatalf("%+v %v", res, err)
		}
		var text strings.Builder
		for _, sp := range res.Hits[0].Snippets[0] {
			text.WriteString(sp.Text)
		}
		if !strings.Contains(text.String(), "<script>") || !strings.Contains(text.String(), "&") {
			t.Errorf("snippet: %q", text.String())
		}
	})
	t.Run("a compound found by its part is marked", func(t *testing.T) {
		res, err := s.Search(ctx, search.Query{Text: "arbetsmarknad"})
		if err != nil || len(res.Hits) != 1 {
			t.Fatalf("%+v %v", res, err)
		}
		var marked []string
		for _, sn := range res.Hits[0].Snippets {
			for _, sp := range sn {
				if sp.Hit {
					marked = append(marked, sp.Text)
				}
			}
		}
		if !slices.Equal(marked, []string{"arbetsmarknadsinsatser"}) {
			t.Errorf("marked %q", marked)
		}
	})
	t.Run("a query of stop words is invalid", func(t *testing.T) {
		_, err := s.Search(ctx, search.Query{Text: "och att"})
		var e *strategy.Error
		if !errors.As(err, &e) || e.Code != strategy.CodeInvalid {
			t.Errorf("got %v", err)
		}
	})
	t.Run("an edited title is searched", func(t *testing.T) {
		res, _ := s.Search(ctx, search.Query{Text: "mottagande"})
		if len(res.Hits) != 1 {
			t.Fatalf("%+v", res)
		}
		d, err := st.LibraryDocument(ctx, res.Hits[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		meta := d.LibraryMeta
		meta.Title = "Flyktingpolicy"
		if _, err := st.EditLibraryDocument(ctx, d.ID, d.Rev, meta); err != nil {
			t.Fatal(err)
		}
		if got := titles(search.Query{Text: "flykting"}); !slices.Equal(got, []string{"Flyktingpolicy"}) {
			t.Errorf("got %q", got)
		}
	})
}
