package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/inkludera/inkludera/internal/store"
	"github.com/inkludera/inkludera/internal/strategyfile"
)

// writeObservationFile writes a strategy file stream of 50 organisations,
// each with 20 indicators by gender and 20 without over 25 years: exactly
// 100 000 observations.
func writeObservationFile(tb testing.TB, path string) int {
	tb.Helper()
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriter(f)
	n := 0
	for o := range 50 {
		code := fmt.Sprintf("%02d%02d", 1+o%25, 10+o/25)
		fmt.Fprintf(w, "---\norganisation: {code: \"%s\", name: Kommun %s, kind: kommun}\n", code, code)
		fmt.Fprintln(w, "indicators:")
		for i := range 40 {
			breakdown := ""
			if i < 20 {
				breakdown = ", breakdowns: [gender]"
			}
			fmt.Fprintf(w, "  - {key: bench-%02d, title: Indikator %d, unit: \"%%\", polarity: higher, source: manual%s}\n", i, i, breakdown)
		}
		fmt.Fprintln(w, "observations:")
		for i := range 40 {
			fmt.Fprintf(w, "  - indicator: bench-%02d\n    source: generated\n    values:\n", i)
			for y := 2000; y < 2025; y++ {
				v := float64((o*7+i*13+y)%1000) / 10
				if i < 20 {
					fmt.Fprintf(w, "      - {year: %d, T: %g, K: %g, M: %g}\n", y, v, v+0.5, v-0.5)
					n += 3
				} else {
					fmt.Fprintf(w, "      - {year: %d, T: %g}\n", y, v)
					n++
				}
			}
		}
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
	return n
}

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
	n := writeObservationFile(b, path)
	if n != 100_000 {
		b.Fatalf("generated %d observations", n)
	}
	benchImport(b, []string{path}, n)
}
