package search

import (
	"cmp"
	"math"
	"slices"
)

// Neighbour is a related document and its similarity, 0 to 1.
type Neighbour struct {
	ID    int64
	Score float64
}

// Related keeps every document's k most similar documents ("Relevanta
// dokument") up to date as documents arrive and leave, in memory.
//
// Similarity is the cosine of two documents' term vectors, weighted
// w = (1 + ln tf) · idf with BM25's idf, ln(1 + (N − df + 0.5)/(df + 0.5)).
// A term in more than a tenth of the documents (and more than 100 of them)
// is left out of the vectors: it says little about what a document is
// about, and it would make every document a candidate of every other.
//
// Candidates come from an inverted index: only documents that share a term
// with the new one are scored, through their postings. Weights go stale
// as documents arrive, because N and df change, so Related keeps the
// vector each document had when it last was computed (on arrival, or in
// Recompute) and uses those stored weights to find candidates:
//
//   - the new document's list is exact: its best candidates by the stored
//     weights are scored again with the current statistics on both sides,
//     so that identical texts score 1;
//   - an existing document's list changes only where the new document
//     enters it (scored exactly when it was among those candidates, else
//     by the stored weights) or a listed document is removed (the list is
//     then computed again); its other scores are from when they were
//     computed;
//   - Recompute computes every vector and every list again, exactly.
//
// Related is not safe for concurrent use.
type Related struct {
	k int

	termID map[string]int32
	df     []int32     // by term id
	post   [][]posting // by term id: the documents holding the term, with their stored weights
	n      int         // documents

	docs  map[int64]*relDoc
	slots []*relDoc // by slot; nil when free
	free  []int32

	// listedBy[id] are the documents whose lists hold id.
	listedBy map[int64]map[int64]struct{}

	// idf by term, valid while idfAt[t] == version; version changes with
	// every document added or removed.
	idfCache []float64
	idfAt    []uint64
	version  uint64

	// scratch for accumulating scores, by slot
	acc     []float32
	touched []int32
	cands   []candidate
}

// relDoc is one document's vector.
type relDoc struct {
	id    int64
	slot  int32
	terms []int32   // term ids, ascending
	tfw   []float32 // 1 + ln(tf), by terms' index
	// stored are the weights last computed, unit length, by terms'
	// index; 0 for a term that was common then.
	stored     []float32
	neighbours []Neighbour
}

type posting struct {
	slot int32
	w    float32
}

// Tuning of the candidate search.
const (
	commonDivisor = 10  // a term in more than a tenth of the documents is common…
	commonMinDF   = 100 // …once that is more than 100 documents
	// rescoreMin is the fewest candidates rescored exactly for a new
	// document's list; 3k when k is larger.
	rescoreMin = 30
)

// NewRelated keeps the k most similar documents of each; k < 1 means 10.
func NewRelated(k int) *Related {
	if k < 1 {
		k = 10
	}
	return &Related{
		k:        k,
		termID:   map[string]int32{},
		docs:     map[int64]*relDoc{},
		listedBy: map[int64]map[int64]struct{}{},
	}
}

// Len is the number of documents.
func (r *Related) Len() int { return r.n }

// Neighbours returns a document's related documents, most similar first.
func (r *Related) Neighbours(id int64) []Neighbour {
	d := r.docs[id]
	if d == nil {
		return nil
	}
	return slices.Clone(d.neighbours)
}

// Add adds a document with its analysed terms (Terms), replacing one with
// the same id. It returns the lists that changed: the new document's, and
// every existing document's that the new one entered or left, so that the
// caller stores only those.
func (r *Related) Add(id int64, terms map[string]int) (changed map[int64][]Neighbour) {
	changed = map[int64][]Neighbour{}
	// A replaced document's listers are computed again without it; only
	// those whose lists end up different count as changed.
	var before map[int64][]Neighbour
	if _, ok := r.docs[id]; ok {
		before = map[int64][]Neighbour{}
		for lid := range r.listedBy[id] {
			before[lid] = slices.Clone(r.docs[lid].neighbours)
		}
		changed = r.Remove(id)
		defer func() {
			for lid, list := range before {
				if slices.Equal(changed[lid], list) {
					delete(changed, lid)
				}
			}
		}()
	}
	d := r.insert(id, terms)
	cands := r.accumulate(d)

	// The new document's own list: the best candidates by the stored
	// weights, rescored exactly.
	fresh := r.freshVector(d)
	exact := make(map[int32]float64, rescoreMin)
	var list []Neighbour
	for _, c := range r.best(cands, max(rescoreMin, 3*r.k)) {
		s := r.freshCosine(fresh, r.slots[c.slot])
		exact[c.slot] = s
		if s > 0 {
			list = append(list, Neighbour{ID: r.slots[c.slot].id, Score: s})
		}
	}
	r.setList(d, topK(list, r.k))
	changed[id] = slices.Clone(d.neighbours)

	// Existing documents whose lists the new document enters. Their score
	// is the exact one when the document was rescored above, else the one
	// by the stored weights: rescoring every candidate would cost a pass
	// over each one's terms.
	for _, c := range cands {
		e := r.slots[c.slot]
		s, ok := exact[c.slot]
		if !ok {
			s = float64(c.score)
		}
		if len(e.neighbours) >= r.k && s < e.neighbours[r.k-1].Score {
			continue
		}
		if s <= 0 || !r.enter(e, Neighbour{ID: id, Score: s}) {
			continue
		}
		changed[e.id] = slices.Clone(e.neighbours)
	}
	return changed
}

// Remove removes a document. It returns the lists that changed: those of
// the documents that listed it, each computed again.
func (r *Related) Remove(id int64) (changed map[int64][]Neighbour) {
	changed = map[int64][]Neighbour{}
	d := r.docs[id]
	if d == nil {
		return changed
	}
	r.setList(d, nil)
	for i, t := range d.terms {
		if d.stored[i] != 0 {
			r.dropPosting(t, d.slot)
		}
		r.df[t]--
	}
	r.n--
	r.version++
	delete(r.docs, id)
	r.slots[d.slot] = nil
	r.free = append(r.free, d.slot)

	listers := r.listedBy[id]
	delete(r.listedBy, id)
	for _, lid := range sortedIDs(listers) {
		e := r.docs[lid]
		if e == nil {
			continue
		}
		r.setList(e, r.computeList(e))
		changed[lid] = slices.Clone(e.neighbours)
	}
	return changed
}

// Recompute computes every weight and every list again with the current
// statistics and returns the lists that changed.
func (r *Related) Recompute() (changed map[int64][]Neighbour) {
	for t := range r.post {
		r.post[t] = r.post[t][:0]
	}
	for _, d := range r.slots {
		if d != nil {
			d.stored = nil
			r.store(d)
		}
	}
	changed = map[int64][]Neighbour{}
	lists := make(map[int64][]Neighbour, len(r.docs))
	for _, id := range r.ids() {
		lists[id] = r.computeList(r.docs[id])
	}
	for _, id := range r.ids() {
		d := r.docs[id]
		if !slices.Equal(d.neighbours, lists[id]) {
			r.setList(d, lists[id])
			changed[id] = slices.Clone(lists[id])
		}
	}
	return changed
}

func (r *Related) ids() []int64 {
	ids := make([]int64, 0, len(r.docs))
	for id := range r.docs {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// insert adds the document's vector, its postings and its statistics.
func (r *Related) insert(id int64, terms map[string]int) *relDoc {
	d := &relDoc{id: id}
	for term, count := range terms {
		if count <= 0 {
			continue
		}
		t, ok := r.termID[term]
		if !ok {
			t = int32(len(r.df))
			r.termID[term] = t
			r.df = append(r.df, 0)
			r.post = append(r.post, nil)
			r.idfCache = append(r.idfCache, 0)
			r.idfAt = append(r.idfAt, 0)
		}
		d.terms = append(d.terms, t)
	}
	slices.Sort(d.terms)
	d.tfw = make([]float32, len(d.terms))
	byID := make(map[int32]int, len(terms))
	for term, count := range terms {
		if count > 0 {
			byID[r.termID[term]] = count
		}
	}
	for i, t := range d.terms {
		d.tfw[i] = float32(1 + math.Log(float64(byID[t])))
		r.df[t]++
	}
	r.n++
	r.version++
	if len(r.free) > 0 {
		d.slot = r.free[len(r.free)-1]
		r.free = r.free[:len(r.free)-1]
		r.slots[d.slot] = d
	} else {
		d.slot = int32(len(r.slots))
		r.slots = append(r.slots, d)
		r.acc = append(r.acc, 0)
	}
	r.docs[id] = d
	r.store(d)
	return d
}

// store computes the weights of a document that has no postings with the
// current statistics and adds its postings.
func (r *Related) store(d *relDoc) {
	v := r.freshVector(d)
	d.stored = make([]float32, len(d.terms))
	for i, t := range d.terms {
		w := float32(v.w[i])
		d.stored[i] = w
		if w != 0 {
			r.post[t] = append(r.post[t], posting{slot: d.slot, w: w})
		}
	}
}

func (r *Related) dropPosting(t, slot int32) {
	ps := r.post[t]
	for j := range ps {
		if ps[j].slot == slot {
			ps[j] = ps[len(ps)-1]
			r.post[t] = ps[:len(ps)-1]
			return
		}
	}
}

// vector is a document's weights by its terms' index, unit length.
type vector struct {
	terms []int32
	w     []float64
}

// idf is BM25's, or 0 for a term too common to count.
func (r *Related) idf(t int32) float64 {
	if r.idfAt[t] == r.version {
		return r.idfCache[t]
	}
	var idf float64
	if df := int(r.df[t]); df <= max(commonMinDF, r.n/commonDivisor) {
		idf = math.Log(1 + (float64(r.n)-float64(df)+0.5)/(float64(df)+0.5))
	}
	r.idfCache[t], r.idfAt[t] = idf, r.version
	return idf
}

func (r *Related) freshVector(d *relDoc) vector {
	v := vector{terms: d.terms, w: make([]float64, len(d.terms))}
	var norm float64
	for i, t := range d.terms {
		w := float64(d.tfw[i]) * r.idf(t)
		v.w[i] = w
		norm += w * w
	}
	if norm > 0 {
		norm = math.Sqrt(norm)
		for i := range v.w {
			v.w[i] /= norm
		}
	}
	return v
}

// cosine of two unit vectors, merging their sorted terms.
func (r *Related) cosine(a, b vector) float64 {
	var dot float64
	for i, j := 0, 0; i < len(a.terms) && j < len(b.terms); {
		switch {
		case a.terms[i] < b.terms[j]:
			i++
		case a.terms[i] > b.terms[j]:
			j++
		default:
			dot += a.w[i] * b.w[j]
			i++
			j++
		}
	}
	return min(1, max(0, dot))
}

// freshCosine is cosine(q, r.freshVector(e)) in one pass over e's terms,
// without making e's vector.
func (r *Related) freshCosine(q vector, e *relDoc) float64 {
	var dot, norm float64
	i := 0
	for j, t := range e.terms {
		w := float64(e.tfw[j]) * r.idf(t)
		if w == 0 {
			continue
		}
		norm += w * w
		for i < len(q.terms) && q.terms[i] < t {
			i++
		}
		if i < len(q.terms) && q.terms[i] == t {
			dot += q.w[i] * w
		}
	}
	if norm == 0 {
		return 0
	}
	return min(1, max(0, dot/math.Sqrt(norm)))
}

type candidate struct {
	slot  int32
	score float32
}

// accumulate scores every other document sharing a term with d by the
// stored weights, through the postings. The slice is reused by the next
// call.
func (r *Related) accumulate(d *relDoc) []candidate {
	for i, t := range d.terms {
		wd := d.stored[i]
		if wd == 0 {
			continue
		}
		for _, p := range r.post[t] {
			if p.slot == d.slot {
				continue
			}
			if r.acc[p.slot] == 0 {
				r.touched = append(r.touched, p.slot)
			}
			r.acc[p.slot] += wd * p.w
		}
	}
	cands := r.cands[:0]
	for _, s := range r.touched {
		if r.acc[s] > 0 {
			cands = append(cands, candidate{slot: s, score: r.acc[s]})
		}
		r.acc[s] = 0
	}
	r.touched = r.touched[:0]
	r.cands = cands
	return cands
}

// best returns the n candidates with the highest scores, highest first,
// ties by id; it reorders cands.
func (r *Related) best(cands []candidate, n int) []candidate {
	less := func(a, b candidate) int { // the better first
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		return cmp.Compare(r.slots[a.slot].id, r.slots[b.slot].id)
	}
	if len(cands) > 4*n {
		// Keep the n best in front with one pass and a small sorted window.
		top := cands[:n]
		slices.SortFunc(top, less)
		for _, c := range cands[n:] {
			if less(c, top[n-1]) < 0 {
				i, _ := slices.BinarySearchFunc(top, c, less)
				copy(top[i+1:], top[i:n-1])
				top[i] = c
			}
		}
		return top
	}
	slices.SortFunc(cands, less)
	return cands[:min(n, len(cands))]
}

// computeList is d's list from scratch.
func (r *Related) computeList(d *relDoc) []Neighbour {
	cands := r.accumulate(d)
	fresh := r.freshVector(d)
	var list []Neighbour
	for _, c := range r.best(cands, max(rescoreMin, 3*r.k)) {
		if s := r.freshCosine(fresh, r.slots[c.slot]); s > 0 {
			list = append(list, Neighbour{ID: r.slots[c.slot].id, Score: s})
		}
	}
	return topK(list, r.k)
}

// enter puts n into e's list if it is among the k best, and reports it.
func (r *Related) enter(e *relDoc, n Neighbour) bool {
	list := append(slices.Clone(e.neighbours), n)
	list = topK(list, r.k)
	if !slices.Contains(list, n) {
		return false
	}
	r.setList(e, list)
	return true
}

// setList replaces d's list and keeps listedBy in step.
func (r *Related) setList(d *relDoc, list []Neighbour) {
	for _, n := range d.neighbours {
		if set := r.listedBy[n.ID]; set != nil {
			delete(set, d.id)
			if len(set) == 0 {
				delete(r.listedBy, n.ID)
			}
		}
	}
	d.neighbours = list
	for _, n := range list {
		set := r.listedBy[n.ID]
		if set == nil {
			set = map[int64]struct{}{}
			r.listedBy[n.ID] = set
		}
		set[d.id] = struct{}{}
	}
}

// topK sorts by score, highest first, then by id, and keeps k.
func topK(list []Neighbour, k int) []Neighbour {
	slices.SortFunc(list, func(a, b Neighbour) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	if len(list) > k {
		list = list[:k]
	}
	return list
}

func sortedIDs(set map[int64]struct{}) []int64 {
	ids := make([]int64, 0, len(set))
	for id := range set {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}
