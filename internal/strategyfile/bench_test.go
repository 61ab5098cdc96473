package strategyfile

import (
	"path/filepath"
	"testing"

	"github.com/inkludera/inkludera/internal/strategyfile/strategyfiletest"
)

func BenchmarkLoad100kObservations(b *testing.B) {
	file := filepath.Join(b.TempDir(), "large.yaml")
	want := strategyfiletest.WriteLargeFile(b, file)
	b.ReportAllocs()
	for b.Loop() {
		bundles, err := LoadFiles([]string{file}, nil)
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for _, bu := range bundles {
			n += len(bu.Observations)
		}
		if n != want {
			b.Fatalf("%d observations, want %d", n, want)
		}
	}
}
