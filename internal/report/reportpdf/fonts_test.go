package reportpdf

import (
	"math"
	"testing"
	"unicode"

	"golang.org/x/image/font/sfnt"

	"github.com/inkludera/inkludera/internal/fonts"
	"github.com/inkludera/inkludera/internal/progress"
	"github.com/inkludera/inkludera/internal/report"
)

// missingGlyphs lists the characters of s the font has no glyph for.
func missingGlyphs(t testing.TB, ttf []byte, s string) []rune {
	t.Helper()
	f, err := sfnt.Parse(ttf)
	if err != nil {
		t.Fatalf("parsing the font: %v", err)
	}
	var buf sfnt.Buffer
	var missing []rune
	seen := map[rune]bool{}
	for _, r := range s {
		if seen[r] || unicode.IsControl(r) || r == ' ' {
			continue
		}
		seen[r] = true
		if i, err := f.GlyphIndex(&buf, r); err != nil || i == 0 {
			missing = append(missing, r)
		}
	}
	return missing
}

func TestFontsHaveTheStatusSymbols(t *testing.T) {
	chars := "åäöÅÄÖé–−…·•§\u00a0"
	for _, s := range progress.Statuses {
		chars += report.Status{Code: s}.Symbol()
	}
	for name, ttf := range map[string][]byte{"regular": fonts.Regular, "bold": fonts.Bold} {
		if missing := missingGlyphs(t, ttf, chars); len(missing) > 0 {
			t.Errorf("%s %s has no glyph for %q", fonts.Name, name, missing)
		}
	}
}

// TestFontsHaveEveryCharacterWritten checks the characters of the PDFs as
// pdftotext reads them, which is every character the renderer wrote.
func TestFontsHaveEveryCharacterWritten(t *testing.T) {
	for _, tt := range followUps[:3] {
		t.Run(tt.name, func(t *testing.T) {
			_, path := renderPDF(t, tt.get(t))
			all := text(t, path)
			if missing := missingGlyphs(t, fonts.Regular, all); len(missing) > 0 {
				t.Errorf("%s has no glyph for %q, which the report writes", fonts.Name, missing)
			}
		})
	}
}

// TestPaddingMatchesADigit: padNumber fills a missing digit with two
// spaces, which is right only while two spaces are as wide as a digit.
func TestPaddingMatchesADigit(t *testing.T) {
	m, err := loadMetrics()
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range []textStyle{body, body.with(8), body.with(10.5)} {
		for _, bold := range []bool{false, true} {
			st.bold = bold
			digits, spaces := m.width("0123456789", st)/10, m.width("  ", st)
			if math.Abs(digits-spaces) > 0.01*digits {
				t.Errorf("bold %v, %v pt: a digit is %.3f mm wide, two spaces %.3f mm", bold, st.size, digits, spaces)
			}
		}
	}
	if got := padNumber(7, false); got != "    7" {
		t.Errorf("padNumber(7, left) = %q", got)
	}
	if got := padNumber(27, true); got != "27  " {
		t.Errorf("padNumber(27, right) = %q", got)
	}
	if got := padNumber(1234, true); got != "1234" {
		t.Errorf("padNumber(1234) = %q", got)
	}
}
