package search_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"

	"github.com/inkludera/inkludera/internal/search"
	"github.com/inkludera/inkludera/internal/search/corpus"
)

// The benchmarks' library: corpus.Documents(10 001) and their Terms,
// computed once (about half a minute).
const benchDocs = 10000

var benchTerms = sync.OnceValue(func() []map[string]int {
	docs := corpus.Documents(benchDocs+1, 1)
	out := make([]map[string]int, len(docs))
	var wg sync.WaitGroup
	next := make(chan int)
	for range 2 {
		wg.Go(func() {
			for i := range next {
				out[i] = search.Terms(docs[i].Title + "\n" + docs[i].Text)
			}
		})
	}
	for i := range docs {
		next <- i
	}
	close(next)
	wg.Wait()
	return out
})

// BenchmarkRelatedAdd adds the 10 001st document to a Related of 10 000.
func BenchmarkRelatedAdd(b *testing.B) {
	terms := benchTerms()
	r := search.NewRelated(10)
	for i := range benchDocs {
		r.Add(int64(i+1), terms[i])
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		r.Add(benchDocs+1, terms[benchDocs])
		b.StopTimer()
		r.Remove(benchDocs + 1)
		b.StartTimer()
	}
}

// BenchmarkRelatedBuild adds 10 000 documents to an empty Related: one
// operation is the whole build.
func BenchmarkRelatedBuild(b *testing.B) {
	terms := benchTerms()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		r := search.NewRelated(10)
		for i := range benchDocs {
			r.Add(int64(i+1), terms[i])
		}
	}
}

// BenchmarkRelatedRecompute recomputes every weight and list of 10 000.
func BenchmarkRelatedRecompute(b *testing.B) {
	terms := benchTerms()
	r := search.NewRelated(10)
	for i := range benchDocs {
		r.Add(int64(i+1), terms[i])
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		r.Recompute()
	}
}

// BenchmarkIndex indexes 1 000 generated documents into a new index.
func BenchmarkIndex(b *testing.B) {
	docs := corpus.Documents(1000, 1)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		ix, err := search.OpenBleve(filepath.Join(b.TempDir(), "index"))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if err := ix.Index(context.Background(), docs...); err != nil {
			b.Fatal(err)
		}
		if err := ix.Close(); err != nil {
			b.Fatal(err)
		}
	}
}
