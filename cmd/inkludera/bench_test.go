package main

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/inkludera/inkludera/internal/store"
	"github.com/inkludera/inkludera/internal/strategyfile"
	"github.com/inkludera/inkludera/internal/strategyfile/strategyfiletest"
)

// benchImport measures what `inkludera import FILE...` does: read, check
// and store the files in a fresh database.
func benchImport(b *testing.B, files []string, observations int) {
	ctx := context.Background()
	dir := b.TempDir()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		st, err := store.Open(ctx, filepath.Join(dir, fmt.Sprintf("%d.db", i)))
		if err != nil {
			b.Fatal(err)
		}
		bundles, err := strategyfile.LoadFiles(files, nil)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := st.Import(ctx, bundles); err != nil {
			b.Fatal(err)
		}
		st.Close()
	}
	if observations > 0 {
		b.ReportMetric(float64(observations)*float64(b.N)/b.Elapsed().Seconds(), "obs/s")
	}
}

func BenchmarkImportDemo(b *testing.B) {
	benchImport(b, demoFiles(b), 0)
}

func BenchmarkImport100kObservations(b *testing.B) {
	path := filepath.Join(b.TempDir(), "national.yaml")
	n := strategyfiletest.WriteLargeFile(b, path)
	if n != 100_000 {
		b.Fatalf("generated %d observations", n)
	}
	benchImport(b, []string{path}, n)
}
