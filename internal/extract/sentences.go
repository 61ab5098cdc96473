package extract

import (
	"strings"
	"unicode"
)

// abbreviations end in a full stop that does not end a sentence.
var abbreviations = map[string]bool{}

func init() {
	for _, a := range strings.Fields(`bl.a bl a t.ex m.fl dvs d.v.s ca c:a s.k st kl nr resp jfr enl inkl exkl f.d m.m
		osv o.s.v p.g.a pga bla tex mfl fr.o.m t.o.m ev dec jan feb aug sept okt nov tel fig kap sid mkr mnkr tkr
		kr resp. prop sfs dnr ang gm vg obs s.a.s mm fd etc e.d o.d m.a.o i.e e.g`) {
		abbreviations[a] = true
	}
}

// isAbbreviation reports whether a word ending in "." is an abbreviation
// (or a single letter, as in "bl. a.").
func isAbbreviation(word string) bool {
	w := strings.ToLower(strings.TrimLeft(word, "(\"»"))
	w = strings.TrimSuffix(w, ".")
	if abbreviations[w] {
		return true
	}
	r := []rune(w)
	return len(r) == 1 && unicode.IsLetter(r[0])
}

// sentences splits a paragraph into sentences: at ".", "!" or "?" followed
// by a capital letter, digit or quote, but not after an abbreviation; and
// before an inline bullet ("•").
func sentences(s span) []span {
	t := s.text
	var out []span
	start := 0
	emit := func(end int) {
		if p := s.slice(start, end).trim(" "); p.text != "" {
			out = append(out, p)
		}
	}
	for i := 0; i < len(t); i++ {
		c := t[i]
		if strings.HasPrefix(t[i:], " • ") || strings.HasPrefix(t[i:], " ● ") {
			emit(i)
			start = i + len(" • ")
			continue
		}
		if c != '.' && c != '!' && c != '?' {
			continue
		}
		j := i + 1
		for j < len(t) && (t[j] == ')' || t[j] == '"' || t[j] == '.') {
			j++
		}
		if j >= len(t) || t[j] != ' ' {
			continue
		}
		k := j
		for k < len(t) && t[k] == ' ' {
			k++
		}
		if k >= len(t) {
			continue
		}
		r := firstRune(t[k:])
		if !(unicode.IsUpper(r) || unicode.IsDigit(r) || r == '"' || r == '»' || r == '”' || r == '(' || r == '–') {
			continue
		}
		if c == '.' {
			ws := strings.LastIndexByte(t[:i], ' ')
			if isAbbreviation(t[ws+1 : i+1]) {
				continue
			}
		}
		emit(j)
		start = k
		i = k - 1
	}
	emit(len(t))
	return out
}
