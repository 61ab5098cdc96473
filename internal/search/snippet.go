package search

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/search"
)

// Snippet shape, in bytes of the text (Swedish text is nearly all one-byte
// letters, so about as many characters).
const (
	snippetLen    = 160
	snippetBefore = 40 // context kept before a window's first match
	maxSnippets   = 3
	ellipsis      = "…"
)

// match is one matched word in a text: byte offsets and the analysed
// terms that matched it (a compound matched by its parts has several).
type match struct {
	start, end int
	terms      []string
}

// matchesIn turns bleve's term locations into matches sorted by offset,
// merging the locations of one word. Offsets outside text or off a
// character boundary are dropped: they would mean the stored text and the
// index disagree, and a snippet must never cut a character.
func matchesIn(text string, tl search.TermLocationMap) []match {
	var ms []match
	for term, locs := range tl {
		for _, l := range locs {
			s, e := int(l.Start), int(l.End)
			if s < 0 || e > len(text) || s >= e || !utf8.RuneStart(text[s]) || (e < len(text) && !utf8.RuneStart(text[e])) {
				continue
			}
			ms = append(ms, match{start: s, end: e, terms: []string{term}})
		}
	}
	slices.SortFunc(ms, func(a, b match) int {
		if a.start != b.start {
			return a.start - b.start
		}
		return b.end - a.end
	})
	out := ms[:0]
	for _, m := range ms {
		if n := len(out); n > 0 && m.start < out[n-1].end {
			last := &out[n-1]
			last.end = max(last.end, m.end)
			for _, t := range m.terms {
				if !slices.Contains(last.terms, t) {
					last.terms = append(last.terms, t)
				}
			}
			continue
		}
		out = append(out, m)
	}
	return out
}

// markAll is the whole of s with its matches marked: a hit's title.
func markAll(s string, tl search.TermLocationMap) Snippet {
	if s == "" {
		return nil
	}
	return spans(s, 0, len(s), matchesIn(s, tl))
}

// snippets picks up to three passages of text around its matches: each
// time the window of about snippetLen bytes that holds the most distinct
// matched terms, then the most matches, among the matches not yet shown.
// Without matches it is the text's beginning.
func snippets(text string, tl search.TermLocationMap) []Snippet {
	if text == "" {
		return nil
	}
	ms := matchesIn(text, tl)
	if len(ms) == 0 {
		_, end := window(text, 0, 0)
		return []Snippet{spans(text, 0, end, nil)}
	}
	var chosen []passage
	shown := make([]bool, len(ms))
	for len(chosen) < maxSnippets {
		best, bestDistinct, bestCount := -1, 0, 0
		// Windows anchored at each match not yet shown, counted with two
		// pointers: j runs ahead to the last match the window holds.
		counts := map[string]int{}
		distinct, count := 0, 0
		j := 0
		for i := range ms {
			if i > 0 && !shown[i-1] { // leave match i-1
				count--
				for _, t := range ms[i-1].terms {
					if counts[t]--; counts[t] == 0 {
						distinct--
					}
				}
			}
			if j < i {
				j = i
			}
			limit := ms[i].start - snippetBefore + snippetLen
			for j < len(ms) && (j == i || ms[j].end <= limit) {
				if !shown[j] {
					count++
					for _, t := range ms[j].terms {
						if counts[t]++; counts[t] == 1 {
							distinct++
						}
					}
				}
				j++
			}
			if shown[i] || inside(ms[i].start, chosen) {
				continue
			}
			if distinct > bestDistinct || (distinct == bestDistinct && count > bestCount) {
				best, bestDistinct, bestCount = i, distinct, count
			}
		}
		if best < 0 {
			break
		}
		start, end := window(text, ms[best].start, ms[best].end)
		// A window must not run into one already chosen.
		for _, c := range chosen {
			if start < c.start && end > c.start {
				end = c.start
			}
			if start < c.end && end > c.end {
				start = c.end
			}
		}
		chosen = append(chosen, passage{start, end})
		for k, m := range ms {
			if m.start >= start && m.end <= end {
				shown[k] = true
			}
		}
		shown[best] = true
	}
	slices.SortFunc(chosen, func(a, b passage) int { return a.start - b.start })
	out := make([]Snippet, 0, len(chosen))
	for _, c := range chosen {
		var inside []match
		for _, m := range ms {
			if m.start >= c.start && m.end <= c.end {
				inside = append(inside, m)
			}
		}
		out = append(out, spans(text, c.start, c.end, inside))
	}
	return out
}

// passage is a chosen window of the text, by byte offsets.
type passage struct{ start, end int }

// inside reports whether offset at falls in one of the passages.
func inside(at int, ps []passage) bool {
	for _, p := range ps {
		if at >= p.start && at < p.end {
			return true
		}
	}
	return false
}

// window is the passage around the match [mStart, mEnd): from about
// snippetBefore bytes before it to about snippetLen bytes in all, widened
// or narrowed to whole words and never cutting the match.
func window(text string, mStart, mEnd int) (int, int) {
	start := max(0, mStart-snippetBefore)
	end := min(len(text), start+snippetLen)
	if end < mEnd {
		end = mEnd
	}
	// Start at a word: step forward past a cut word, but not past the match.
	if start > 0 && !isSpaceBefore(text, start) {
		if i := strings.IndexFunc(text[start:mStart], unicode.IsSpace); i >= 0 {
			start += i
		} else {
			start = mStart
		}
	}
	// End at a word: step back to the last space, but not into the match.
	if end < len(text) && !isSpaceAt(text, end) {
		if i := strings.LastIndexFunc(text[mEnd:end], unicode.IsSpace); i >= 0 {
			end = mEnd + i
		} else {
			for end < len(text) && !utf8.RuneStart(text[end]) {
				end++
			}
		}
	}
	return start, end
}

func isSpaceBefore(text string, i int) bool {
	r, _ := utf8.DecodeLastRuneInString(text[:i])
	return unicode.IsSpace(r) || unicode.IsPunct(r)
}

func isSpaceAt(text string, i int) bool {
	r, _ := utf8.DecodeRuneInString(text[i:])
	return unicode.IsSpace(r) || unicode.IsPunct(r)
}

// spans cuts text[start:end] into plain and hit spans. Runs of white space
// (line breaks included) become one space; an ellipsis marks a cut at
// either end. The text is never escaped or unescaped: it is shown as it
// is stored.
func spans(text string, start, end int, ms []match) Snippet {
	var out Snippet
	add := func(s string, hit bool) {
		if !hit {
			s = collapseSpace(s)
		}
		if s == "" {
			return
		}
		if n := len(out); n > 0 && out[n-1].Hit == hit {
			out[n-1].Text += s
			return
		}
		out = append(out, Span{Text: s, Hit: hit})
	}
	if start > 0 {
		add(ellipsis, false)
	}
	first := true
	pos := start
	for _, m := range ms {
		plain := text[pos:m.start]
		if first {
			plain = strings.TrimLeftFunc(plain, unicode.IsSpace)
			first = false
		}
		add(plain, false)
		add(text[m.start:m.end], true)
		pos = m.end
	}
	tail := text[pos:end]
	if first {
		tail = strings.TrimLeftFunc(tail, unicode.IsSpace)
	}
	tail = strings.TrimRightFunc(tail, unicode.IsSpace)
	add(tail, false)
	if end < len(text) {
		add(ellipsis, false)
	}
	return out
}

// collapseSpace replaces each run of white space with one space.
func collapseSpace(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return unicode.IsSpace(r) && r != ' ' }) && !strings.Contains(s, "  ") {
		return s
	}
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			if !space {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}
