package extract

import (
	"os"
	"testing"
)

// BenchmarkFromText reads Östersund's strategy (seed 001, 16 kB of text
// without line breaks) into a draft file.
func BenchmarkFromText(b *testing.B) {
	data, err := os.ReadFile("testdata/labelled/ostersund-strategi.txt")
	if err != nil {
		b.Fatal(err)
	}
	text := string(data)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		if _, err := FromText(text, "").File(); err != nil {
			b.Fatal(err)
		}
	}
}
