package search

import (
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
)

// wordTokenizer splits text into words as bleve's unicode (UAX #29)
// tokenizer does for Swedish prose (see TestTokenizerMatchesUnicode): runs
// of letters, digits and combining marks, kept together across one '.' or
// ',' between digits ("12,5", "1.000") and one '.', ':' or apostrophe
// between letters ("bl.a", "S:t", "www.ostersund.se"). It does so at a
// fraction of the cost: tokenizing was a fifth of indexing, and the text is
// tokenized twice (words and pairs). Scripts without spaces between words
// (Chinese, Thai) come out as runs, where UAX #29 would cut them further.
type wordTokenizer struct{}

// tokenChunk is how many tokens are allocated at a time.
const tokenChunk = 256

func (wordTokenizer) Tokenize(input []byte) analysis.TokenStream {
	out := make(analysis.TokenStream, 0, len(input)/7+1)
	var slab []analysis.Token
	pos := 0
	for i := 0; i < len(input); {
		r, n := decode(input, i)
		if !isWordRune(r) {
			i += n
			continue
		}
		start := i
		numeric := true
		for i < len(input) {
			r, n := decode(input, i)
			switch {
			case isWordRune(r):
				numeric = numeric && unicode.IsDigit(r)
				i += n
				continue
			case r == '.' || r == ',' || r == '\'' || r == '’' || r == ':':
				prev, _ := utf8.DecodeLastRune(input[:i])
				next, _ := decode(input, i+n)
				digits := (r == '.' || r == ',') && unicode.IsDigit(prev) && unicode.IsDigit(next)
				letters := r != ',' && unicode.IsLetter(prev) && unicode.IsLetter(next)
				if digits || letters {
					i += n
					continue
				}
			}
			break
		}
		if len(slab) == 0 {
			slab = make([]analysis.Token, tokenChunk)
		}
		t := &slab[0]
		slab = slab[1:]
		pos++
		typ := analysis.AlphaNumeric
		if numeric {
			typ = analysis.Numeric
		}
		*t = analysis.Token{Start: start, End: i, Term: input[start:i:i], Position: pos, Type: typ}
		out = append(out, t)
	}
	return out
}

// decode is utf8.DecodeRune at i with an ASCII fast path; past the end it
// returns a non-word rune.
func decode(b []byte, i int) (rune, int) {
	if i >= len(b) {
		return ' ', 1
	}
	if c := b[i]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRune(b[i:])
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r)
}
