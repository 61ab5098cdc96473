// Package strategyfiletest writes strategy files for tests and benchmarks
// of any package.
package strategyfiletest

import (
	"bufio"
	"fmt"
	"os"
	"testing"
)

// WriteLargeFile writes a strategy file stream of 50 organisations, each
// with 20 indicators by gender and 20 without over 25 years: 100 000
// observations It returns how many observations it
// wrote; the import and decoding benchmarks share it so that they measure
// the same file.
func WriteLargeFile(tb testing.TB, path string) int {
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
