package search

import (
	"maps"
	"math"
	"slices"
	"testing"
)

// The texts of the related-document tests, written for Inkludera.
var relatedTexts = map[int64]string{
	1: "Modersmålsundervisning i skolan för nyanlända elever.",
	2: "Skolans elever får studiehandledning på modersmålet och modersmålsundervisning.",
	3: "Lärarna i grundskolan planerar undervisningen i svenska som andraspråk för eleverna.",
	4: "Bostäder för nyanlända: hyresrätter och bostadsbrist i kommunen.",
	5: "Arbetsmarknadsinsatser, praktikplatser och lönebidrag för arbetslösa.",
	6: "Hälsoundersökning och vårdcentralens arbete med folkhälsa.",
	7: "Bostadsbolaget bygger hyresrätter i nya bostadsområden.",
	8: "Jobbcoacher matchar arbetssökande mot arbetsgivare och praktikplatser.",
}

func newRelatedFrom(k int, texts map[int64]string) *Related {
	r := NewRelated(k)
	for _, id := range slices.Sorted(maps.Keys(texts)) {
		r.Add(id, Terms(texts[id]))
	}
	return r
}

func neighbourIDs(ns []Neighbour) []int64 {
	var ids []int64
	for _, n := range ns {
		ids = append(ids, n.ID)
	}
	return ids
}

func TestRelated(t *testing.T) {
	t.Run("identical texts score 1", func(t *testing.T) {
		r := newRelatedFrom(10, relatedTexts)
		r.Add(100, Terms(relatedTexts[5]))
		got := r.Neighbours(100)
		if len(got) == 0 || got[0].ID != 5 || math.Abs(got[0].Score-1) > 1e-9 {
			t.Errorf("neighbours of a copy of 5: %+v, want 5 first with score 1", got)
		}
	})
	t.Run("unrelated texts score 0 and are not listed", func(t *testing.T) {
		r := NewRelated(10)
		r.Add(1, Terms("Skolan och eleverna."))
		r.Add(2, Terms("Bostäder och hyresrätter."))
		if got := r.Neighbours(1); len(got) != 0 {
			t.Errorf("neighbours %+v, want none", got)
		}
	})
	t.Run("a school document finds the school documents first", func(t *testing.T) {
		r := newRelatedFrom(10, relatedTexts)
		changed := r.Add(50, Terms("Modersmålsundervisning i skolan."))
		got := neighbourIDs(r.Neighbours(50))
		if len(got) < 2 || !slices.Contains(got[:2], 1) || !slices.Contains(got[:2], 2) {
			t.Errorf("neighbours %v: want 1 and 2 first", got)
		}
		for _, id := range got {
			if !slices.Contains([]int64{1, 2, 3}, id) {
				t.Errorf("neighbour %d is not about school", id)
			}
		}
		if _, ok := changed[50]; !ok {
			t.Error("the new document's list is not among the changed")
		}
	})
	t.Run("k bounds every list", func(t *testing.T) {
		r := newRelatedFrom(2, relatedTexts)
		for id := range relatedTexts {
			if n := len(r.Neighbours(id)); n > 2 {
				t.Errorf("document %d has %d neighbours, want at most 2", id, n)
			}
		}
		if got := r.Neighbours(1); len(got) != 2 {
			t.Errorf("document 1 has %d neighbours, want 2", len(got))
		}
	})
	t.Run("scores fall and ties go by id", func(t *testing.T) {
		r := newRelatedFrom(10, relatedTexts)
		for id := range relatedTexts {
			ns := r.Neighbours(id)
			for i := 1; i < len(ns); i++ {
				a, b := ns[i-1], ns[i]
				if a.Score < b.Score || (a.Score == b.Score && a.ID > b.ID) {
					t.Errorf("document %d: %+v before %+v", id, a, b)
				}
			}
		}
	})
}

func TestRelatedRemove(t *testing.T) {
	r := newRelatedFrom(10, relatedTexts)
	var listers []int64
	for id := range relatedTexts {
		if slices.Contains(neighbourIDs(r.Neighbours(id)), 2) {
			listers = append(listers, id)
		}
	}
	if len(listers) == 0 {
		t.Fatal("no document lists 2; the test needs one")
	}
	changed := r.Remove(2)
	if got := slices.Sorted(maps.Keys(changed)); !slices.Equal(got, slices.Sorted(slices.Values(listers))) {
		t.Errorf("changed %v, want the documents that listed 2: %v", got, listers)
	}
	for id := range relatedTexts {
		if slices.Contains(neighbourIDs(r.Neighbours(id)), 2) {
			t.Errorf("document %d still lists the removed 2", id)
		}
	}
	if r.Neighbours(2) != nil || r.Len() != len(relatedTexts)-1 {
		t.Errorf("after Remove: neighbours %v, %d documents", r.Neighbours(2), r.Len())
	}
	if len(r.Remove(2)) != 0 {
		t.Error("removing an unknown id changed lists")
	}
}

// TestRelatedChangedIsComplete: Add reports exactly the lists that changed.
func TestRelatedChangedIsComplete(t *testing.T) {
	r := NewRelated(3)
	lists := map[int64][]Neighbour{}
	ids := slices.Sorted(maps.Keys(relatedTexts))
	for _, id := range append(ids, 1) { // 1 twice: the second replaces it
		changed := r.Add(id, Terms(relatedTexts[id]))
		for other := range relatedTexts {
			now := r.Neighbours(other)
			_, reported := changed[other]
			if differs := !slices.Equal(now, lists[other]); differs != reported && !(other == id) {
				t.Errorf("after adding %d: list of %d changed %v, reported %v", id, other, differs, reported)
			}
			if reported && !slices.Equal(changed[other], now) {
				t.Errorf("after adding %d: reported list of %d %+v, now %+v", id, other, changed[other], now)
			}
			lists[other] = now
		}
	}
}

// TestRelatedRecomputeIsExact: after Recompute every list is the top k of
// a brute-force comparison of all pairs with the current statistics.
func TestRelatedRecomputeIsExact(t *testing.T) {
	texts := maps.Clone(relatedTexts)
	texts[9] = "Modersmålsundervisning och studiehandledning i skolan, för nyanlända elever i grundskolan."
	texts[10] = "Praktikplatser och arbetsmarknadsinsatser för nyanlända."
	r := newRelatedFrom(3, texts)
	r.Recompute()
	for id := range texts {
		d := r.docs[id]
		v := r.freshVector(d)
		var all []Neighbour
		for other := range texts {
			if other == id {
				continue
			}
			if s := r.cosine(v, r.freshVector(r.docs[other])); s > 0 {
				all = append(all, Neighbour{ID: other, Score: s})
			}
		}
		want := topK(all, 3)
		got := r.Neighbours(id)
		same := len(got) == len(want)
		for i := 0; same && i < len(got); i++ {
			same = got[i].ID == want[i].ID && math.Abs(got[i].Score-want[i].Score) < 1e-12
		}
		if !same {
			t.Errorf("document %d: %+v, want %+v", id, got, want)
		}
	}
	if changed := r.Recompute(); len(changed) != 0 {
		t.Errorf("a second Recompute changed %v", slices.Sorted(maps.Keys(changed)))
	}
}
