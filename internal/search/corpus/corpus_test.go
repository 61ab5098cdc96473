package corpus

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/inkludera/inkludera/internal/nation"
)

func TestDocuments(t *testing.T) {
	docs := Documents(300, 7)
	if !reflect.DeepEqual(docs, Documents(300, 7)) {
		t.Fatal("the same seed gave other documents")
	}
	if reflect.DeepEqual(docs[0], Documents(1, 8)[0]) {
		t.Error("another seed gave the same document")
	}
	kommuner := map[string]string{}
	for _, k := range nation.Kommuner() {
		kommuner[k.Code] = k.County
	}
	regions := map[string]string{}
	for _, r := range nation.Regions() {
		regions[r.Code] = r.County
	}
	for i, d := range docs {
		if d.ID != int64(i+1) {
			t.Fatalf("document %d has id %d", i, d.ID)
		}
		words := len(strings.Fields(d.Text))
		if words < 300 || words > 3100 {
			t.Errorf("document %d has %d words, want 300–3000", d.ID, words)
		}
		if county, ok := kommuner[d.OrgCode]; ok {
			if county != d.Region || !strings.HasSuffix(d.OrgName, " kommun") {
				t.Errorf("document %d: kommun %s %q in region %s", d.ID, d.OrgCode, d.OrgName, d.Region)
			}
		} else if _, ok := regions[d.OrgCode]; !ok || d.Region != d.OrgCode {
			t.Errorf("document %d: unknown organisation %s", d.ID, d.OrgCode)
		}
		if regions[d.Region] != d.RegionName {
			t.Errorf("document %d: region %s named %q", d.ID, d.Region, d.RegionName)
		}
		if !slices.Contains(Kinds, d.Kind) || d.Year < FirstYear || d.Year > LastYear {
			t.Errorf("document %d: kind %q, year %d", d.ID, d.Kind, d.Year)
		}
		if d.Title == "" || strings.Contains(d.Title, "{") || strings.Contains(d.Text, "{") {
			t.Errorf("document %d: a template slot was left: %q", d.ID, d.Title)
		}
	}
}

// TestZipf: the vocabulary's first noun is by far the most frequent.
func TestZipf(t *testing.T) {
	text := strings.ToLower(Documents(50, 1)[0].Text)
	for _, d := range Documents(50, 1)[1:] {
		text += " " + strings.ToLower(d.Text)
	}
	count := func(w string) int { return strings.Count(" "+text+" ", " "+w+" ") }
	first, later := count("kommunen"), count("ekonomen")
	if first < 10*max(1, later) {
		t.Errorf("kommunen %d times, ekonomen %d: want a steep rank-frequency curve", first, later)
	}
}

func TestQueries(t *testing.T) {
	qs := Queries(1000, 1)
	if !reflect.DeepEqual(qs, Queries(1000, 1)) {
		t.Fatal("the same seed gave other queries")
	}
	classes := map[string]int{}
	filtered, excluded := 0, 0
	for _, q := range qs {
		classes[q.Class]++
		if q.Region != "" || q.Kind != "" || q.Year != 0 {
			filtered++
		}
		if len(q.Excluded) > 0 {
			excluded++
		}
		n := len(q.Words)
		for _, p := range q.Phrases {
			n += len(p)
		}
		if n < 1 || n > 3 || q.Text == "" {
			t.Errorf("query %q has %d words", q.Text, n)
		}
	}
	for _, c := range []string{"word", "inflected", "part", "compound", "phrase", "rare", "two", "three"} {
		if classes[c] < 30 {
			t.Errorf("%d %s queries, want at least 30", classes[c], c)
		}
	}
	if filtered < 150 || filtered > 250 || excluded < 20 {
		t.Errorf("%d filtered, %d with an exclusion; want about 200 and some", filtered, excluded)
	}
}
