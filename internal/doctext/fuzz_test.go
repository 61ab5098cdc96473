package doctext

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"golang.org/x/text/unicode/norm"

	"github.com/inkludera/inkludera/internal/doctext/pdf"
	"github.com/inkludera/inkludera/internal/fonts"
)

// FuzzExtract feeds arbitrary bytes under the test files' names: Extract
// must return text or an *Error, never panic (not even a recovered one),
// give the same answer twice, and return normalised text.
func FuzzExtract(f *testing.F) {
	entries, err := os.ReadDir("testdata")
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() || strings.HasSuffix(e.Name(), ".sh") {
			continue
		}
		data, err := os.ReadFile(filepath.Join("testdata", e.Name()))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(e.Name(), data)
		f.Add(e.Name(), data[:len(data)*2/3])
	}
	f.Add("x.pdf", []byte("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj trailer<</Root 1 0 R>>"))
	f.Add("x.md", []byte("# a\n- b\n  - c\n| d | e |\n|---|---|\n[f](g) `h` **i**"))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		tx, err := Extract(name, data)
		again, errAgain := Extract(name, data)
		if render(tx) != render(again) || fmt.Sprint(err) != fmt.Sprint(errAgain) {
			t.Fatalf("two runs differ:\n%s%v\n---\n%s%v", render(tx), err, render(again), errAgain)
		}
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is %T, not *Error", err, err)
			}
			var p *recoveredPanic
			if errors.As(err, &p) || errors.Is(err, pdf.ErrInternal) {
				t.Fatalf("panic: %v", e.Err)
			}
			if e.File != name || e.Swedish() == "" {
				t.Fatalf("error %+v does not name the file or lacks Swedish", e)
			}
			return
		}
		if len(tx.Blocks) == 0 {
			t.Fatal("no blocks and no error")
		}
		for _, b := range tx.Blocks {
			if b.Text == "" || b.Text != strings.TrimSpace(b.Text) || strings.Contains(b.Text, "  ") || !norm.NFC.IsNormalString(b.Text) {
				t.Fatalf("block text not normalised: %q", b.Text)
			}
			if b.Kind == Heading && (b.Level < 1 || b.Level > 6) {
				t.Fatalf("heading level %d", b.Level)
			}
		}
	})
}

// fiftyPages typesets the strategy's paragraphs over 50 pages with fpdf.
func fiftyPages(b *testing.B) []byte {
	md, err := os.ReadFile("testdata/strategi.md")
	if err != nil {
		b.Fatal(err)
	}
	tx, err := Extract("strategi.md", md)
	if err != nil {
		b.Fatal(err)
	}
	doc := fpdf.New("P", "mm", "A4", "")
	doc.AddUTF8FontFromBytes("DejaVu", "", fonts.Regular)
	doc.AddUTF8FontFromBytes("DejaVu", "B", fonts.Bold)
	doc.SetAutoPageBreak(true, 20)
	doc.AddPage()
	for doc.PageNo() < 50 {
		for _, bl := range tx.Blocks {
			if bl.Kind == Heading {
				doc.SetFont("DejaVu", "B", 14)
			} else {
				doc.SetFont("DejaVu", "", 10.5)
			}
			doc.MultiCell(0, 5.5, bl.Text, "", "L", false)
			doc.Ln(2)
		}
	}
	var buf strings.Builder
	if err := doc.Output(&buf); err != nil {
		b.Fatal(err)
	}
	return []byte(buf.String())
}

// BenchmarkExtractPDF50Pages reports pages per second and, with
// pdftotext installed, the time relative to one pdftotext -layout run on
// the same file (process start included).
func BenchmarkExtractPDF50Pages(b *testing.B) {
	data := fiftyPages(b)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		tx, err := Extract("50.pdf", data)
		if err != nil || tx.Pages < 50 {
			b.Fatalf("pages %d, err %v", tx.Pages, err)
		}
	}
	per := time.Since(start) / time.Duration(b.N)
	b.StopTimer()
	b.ReportMetric(float64(50*b.N)/time.Since(start).Seconds(), "pages/s")
	if ref := pdftotextTime(b, data); ref > 0 {
		b.ReportMetric(float64(per)/float64(ref), "x-pdftotext")
	}
}

// TestPathologicalInputs: inputs that make naive parsers quadratic must
// stay fast (each well under a second here).
func TestPathologicalInputs(t *testing.T) {
	big := 300_000
	cases := []struct {
		name string
		file string
		data []byte
	}{
		{"unmatched brackets", "a.md", []byte(strings.Repeat("[", big))},
		{"unmatched link parentheses", "a.md", []byte(strings.Repeat("[a](", big/4))},
		{"backtick runs of growing length", "a.md", []byte(strings.Repeat("`a``b", big/5))},
		{"unclosed angle brackets", "a.md", []byte(strings.Repeat("<a ", big/3))},
		{"emphasis delimiters", "a.md", []byte(strings.Repeat("*_", big/2))},
		{"hyphenated lines", "a.txt", []byte(strings.Repeat("ord-\nord", big/9))},
		{"objects without endobj", "a.pdf", []byte("%PDF-1.4\n" + strings.Repeat("1 0 obj (unclosed string\n", big/25))},
		{"streams without endstream", "a.pdf", []byte("%PDF-1.4\n" + strings.Repeat("1 0 obj << /Length 99999 >> stream\nx\n", big/35))},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			done := make(chan struct{})
			go func() {
				defer close(done)
				Extract(c.file, c.data)
			}()
			select {
			case <-done:
			case <-time.After(20 * time.Second):
				t.Fatal("no answer within 20 s")
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
}
