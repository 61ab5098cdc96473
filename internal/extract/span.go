package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// span is a piece of the input as the reader sees it: whitespace collapsed
// to single spaces, emphasis marks and soft hyphens dropped, page breaks
// joined. off maps every byte of text back to the input: off[i] is the
// input offset of text[i] and off[len(text)] the offset just after it.
type span struct {
	text string
	off  []int
}

// evidence is the span as evidence for an item.
func (s span) evidence() Evidence {
	if len(s.off) == 0 {
		return Evidence{Sentence: s.text}
	}
	return Evidence{Sentence: s.text, Start: s.off[0], End: s.off[len(s.text)]}
}

// slice is text[i:j] with its offsets.
func (s span) slice(i, j int) span {
	if i < 0 {
		i = 0
	}
	if j > len(s.text) {
		j = len(s.text)
	}
	if i >= j {
		at := 0
		if len(s.off) > 0 {
			at = s.off[min(i, len(s.text))]
		}
		return span{off: []int{at}}
	}
	off := make([]int, j-i+1)
	copy(off, s.off[i:j])
	// The end of a slice is just after its last byte in the input.
	off[j-i] = s.off[j-1] + 1
	return span{text: s.text[i:j], off: off}
}

// trim removes leading and trailing spaces and the given characters.
func (s span) trim(cutset string) span {
	i, j := 0, len(s.text)
	for i < j {
		r, n := utf8.DecodeRuneInString(s.text[i:])
		if r != ' ' && !strings.ContainsRune(cutset, r) {
			break
		}
		i += n
	}
	for j > i {
		r, n := utf8.DecodeLastRuneInString(s.text[i:j])
		if r != ' ' && !strings.ContainsRune(cutset, r) {
			break
		}
		j -= n
	}
	return s.slice(i, j)
}

// join appends t to s, with a space between them unless glue is false.
func (s span) join(t span, glue bool) span {
	if len(s.text) == 0 {
		return t
	}
	if len(t.text) == 0 {
		return s
	}
	text := s.text
	off := append([]int(nil), s.off[:len(s.text)]...)
	if glue {
		text += " "
		off = append(off, t.off[0])
	}
	text += t.text
	off = append(off, t.off...)
	return span{text: text, off: off}
}

// spanBuilder collects input text into a span.
type spanBuilder struct {
	b   []byte
	off []int
	end int
}

// add appends src[from:to], collapsing whitespace and dropping emphasis
// marks ("*") and soft hyphens. Bytes that are not UTF-8 become U+FFFD and
// characters YAML cannot carry (control characters) a space, so that every
// text taken from a span can be written to the draft file.
func (sb *spanBuilder) add(src string, from, to int) {
	for i := from; i < to; {
		r, n := utf8.DecodeRuneInString(src[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			for _, c := range []byte(string(utf8.RuneError)) {
				sb.b = append(sb.b, c)
				sb.off = append(sb.off, i)
			}
		case unicode.IsSpace(r) || !yamlPrintable(r):
			if len(sb.b) > 0 && sb.b[len(sb.b)-1] != ' ' {
				sb.b = append(sb.b, ' ')
				sb.off = append(sb.off, i)
			}
		case r == '*' || r == '\u00ad' || r == '\u200b' || r == '\ufeff':
		default:
			sb.b = append(sb.b, src[i:i+n]...)
			for k := 0; k < n; k++ {
				sb.off = append(sb.off, i+k)
			}
		}
		i += n
	}
	if to > sb.end {
		sb.end = to
	}
}

// yamlPrintable reports whether YAML allows r in a document.
func yamlPrintable(r rune) bool {
	return r == '\t' || r >= 0x20 && r <= 0x7E || r == 0x85 || r >= 0xA0 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD && r != 0xFEFF || r >= 0x10000 && r <= 0x10FFFF
}

// span returns what was collected, without a trailing space.
func (sb *spanBuilder) span() span {
	b, off := sb.b, sb.off
	for len(b) > 0 && b[len(b)-1] == ' ' {
		b, off = b[:len(b)-1], off[:len(off)-1]
	}
	end := sb.end
	if len(off) > 0 {
		end = off[len(off)-1] + 1
	}
	return span{text: string(b), off: append(append([]int(nil), off...), end)}
}

// spanOf is src[from:to] as a span.
func spanOf(src string, from, to int) span {
	var sb spanBuilder
	sb.add(src, from, to)
	return sb.span()
}

// words splits s at spaces.
func words(s string) []string { return strings.Fields(s) }

// firstRune is the first rune of s, or 0.
func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return 0
	}
	return r
}

// lastRune is the last rune of s, or 0.
func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	if r == utf8.RuneError {
		return 0
	}
	return r
}

// isUpperStart reports whether s starts with an upper-case letter.
func isUpperStart(s string) bool { return unicode.IsUpper(firstRune(s)) }

// isLowerStart reports whether s starts with a lower-case letter.
func isLowerStart(s string) bool { return unicode.IsLower(firstRune(s)) }

// upperFirst capitalises the first letter of s.
func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// lowerFirst puts the first letter of s in lower case, unless the word is
// an abbreviation in capitals ("SFI").
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	if r2, _ := utf8.DecodeRuneInString(s[n:]); unicode.IsUpper(r2) {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}

// normKey is s for comparisons: lower case, letters and digits only,
// single spaces.
func normKey(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		} else {
			space = true
		}
	}
	return b.String()
}

// textSpan is text that is not a piece of the input (a list item with its
// lead-in put before it), placed at ev.
func textSpan(text string, ev Evidence) span {
	off := make([]int, len(text)+1)
	for i := range off {
		off[i] = ev.Start
	}
	off[len(text)] = ev.End
	return span{text: text, off: off}
}
