package doctext

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// ligatures spelled out: PDFs often carry them, and search and extraction
// must see the letters.
var ligatures = map[rune]string{
	'\uFB00': "ff", '\uFB01': "fi", '\uFB02': "fl", '\uFB03': "ffi", '\uFB04': "ffl", '\uFB05': "st", '\uFB06': "st",
}

// cleanText normalises one block's text: NFC; soft hyphens, zero-width
// spaces, byte order marks and control characters removed; ligatures
// spelled out; every run of white space (including no-break spaces) one
// space; trimmed.
func cleanText(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case r == '\u00AD' || r == '\u200B' || r == '\uFEFF' || r == '\u2060':
			continue
		case unicode.IsSpace(r):
			space = true
			continue
		case unicode.IsControl(r):
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		if l, ok := ligatures[r]; ok {
			b.WriteString(l)
			continue
		}
		b.WriteRune(r)
	}
	return norm.NFC.String(b.String())
}
