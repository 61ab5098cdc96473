package reportpdf

import (
	"fmt"
	"sync"

	"codeberg.org/go-pdf/fpdf"

	"github.com/inkludera/inkludera/internal/fonts"
)

// metrics are the advance widths of the embedded font's characters, in
// thousandths of the font size, for regular and bold. The layout measures
// text with them rather than with the document's own GetStringWidth, which
// needs the font selected: selecting fonts to measure would write a font
// change into the page for every word measured.
type metrics struct {
	regular, bold []uint16
	// missing is the width of a character the font lacks (drawn as the
	// font's empty box).
	missingRegular, missingBold uint16
}

// loadMetrics reads the widths once per process; they never change.
var loadMetrics = sync.OnceValues(func() (*metrics, error) {
	m := &metrics{}
	var err error
	if m.regular, m.missingRegular, err = widthsOf("", fonts.Regular); err != nil {
		return nil, err
	}
	if m.bold, m.missingBold, err = widthsOf("B", fonts.Bold); err != nil {
		return nil, err
	}
	return m, nil
})

// widthsOf measures every character of the Basic Multilingual Plane in a
// document that is never written.
func widthsOf(style string, ttf []byte) ([]uint16, uint16, error) {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.AddUTF8FontFromBytes(fontFamily, style, ttf)
	pdf.SetFont(fontFamily, style, 10)
	if err := pdf.Error(); err != nil {
		return nil, 0, fmt.Errorf("reportpdf: loading the font %s %q: %w", fonts.Name, style, err)
	}
	missing := uint16(pdf.GetFontDesc(fontFamily, style).MissingWidth)
	widths := make([]uint16, 0x10000)
	for r := range widths {
		if r >= 0xd800 && r <= 0xdfff {
			widths[r] = missing // surrogates are not characters
			continue
		}
		widths[r] = uint16(pdf.GetStringSymbolWidth(string(rune(r))))
	}
	return widths, missing, nil
}

// width is the advance of s in millimetres in a style.
func (m *metrics) width(s string, st textStyle) float64 {
	table, missing := m.regular, m.missingRegular
	if st.bold {
		table, missing = m.bold, m.missingBold
	}
	units := 0
	for _, r := range s {
		if int(r) < len(table) {
			units += int(table[r])
		} else {
			units += int(missing)
		}
	}
	return float64(units) / 1000 * pt(st.size)
}

// pt converts a size in points to millimetres, the document's unit.
func pt(size float64) float64 { return size * 25.4 / 72 }
