package extract

import (
	"regexp"
	"strings"
)

// RE2's \b knows only ASCII letters, so "\bårligen\b" never matches after
// a space. svRe folds å, ä, ö, é and ü (and their capitals) to two ASCII
// letters each, in the pattern and in the text, which keeps every byte
// offset: matches are found on the folded text and read from the
// original.
type svRe struct{ re *regexp.Regexp }

var svFolder = strings.NewReplacer(
	"å", "aa", "ä", "ae", "ö", "oe", "é", "ee", "ü", "ue", "è", "ee", "ø", "oo", "æ", "ae",
	"Å", "AA", "Ä", "AE", "Ö", "OE", "É", "EE", "Ü", "UE", "È", "EE", "Ø", "OO", "Æ", "AE",
)

func fold(s string) string { return svFolder.Replace(s) }

// mustRe compiles a pattern written with Swedish letters.
func mustRe(pattern string) svRe { return svRe{regexp.MustCompile(fold(pattern))} }

func (r svRe) MatchString(s string) bool { return r.re.MatchString(fold(s)) }

func (r svRe) FindStringIndex(s string) []int { return r.re.FindStringIndex(fold(s)) }

func (r svRe) FindAllStringIndex(s string, n int) [][]int { return r.re.FindAllStringIndex(fold(s), n) }

func (r svRe) FindStringSubmatchIndex(s string) []int { return r.re.FindStringSubmatchIndex(fold(s)) }

func (r svRe) FindAllStringSubmatchIndex(s string, n int) [][]int {
	return r.re.FindAllStringSubmatchIndex(fold(s), n)
}

func (r svRe) FindString(s string) string {
	m := r.FindStringIndex(s)
	if m == nil {
		return ""
	}
	return s[m[0]:m[1]]
}

func (r svRe) FindStringSubmatch(s string) []string {
	m := r.FindStringSubmatchIndex(s)
	if m == nil {
		return nil
	}
	out := make([]string, len(m)/2)
	for i := range out {
		if m[2*i] >= 0 {
			out[i] = s[m[2*i]:m[2*i+1]]
		}
	}
	return out
}

func (r svRe) FindAllStringSubmatch(s string, n int) [][]string {
	var out [][]string
	for _, m := range r.FindAllStringSubmatchIndex(s, n) {
		sub := make([]string, len(m)/2)
		for i := range sub {
			if m[2*i] >= 0 {
				sub[i] = s[m[2*i]:m[2*i+1]]
			}
		}
		out = append(out, sub)
	}
	return out
}

func (r svRe) ReplaceAllString(s, repl string) string {
	var b strings.Builder
	last := 0
	for _, m := range r.FindAllStringIndex(s, -1) {
		b.WriteString(s[last:m[0]])
		b.WriteString(repl)
		last = m[1]
	}
	b.WriteString(s[last:])
	return b.String()
}

func (r svRe) FindAllString(s string, n int) []string {
	var out []string
	for _, m := range r.FindAllStringIndex(s, n) {
		out = append(out, s[m[0]:m[1]])
	}
	return out
}
