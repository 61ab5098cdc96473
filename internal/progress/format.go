package progress

import (
	"math"
	"strings"

	"github.com/inkludera/inkludera/internal/i18n"
)

// lang selects the language of a sentence; explanations are built once per
// language from the same inputs so that the two never disagree.
type lang int

const (
	sv lang = iota
	en
)

// both builds a Text from a sentence function.
func both(f func(l lang) string) Text { return Text{SV: f(sv), EN: f(en)} }

// tr picks the Swedish or English wording.
func tr(l lang, s, e string) string {
	if l == en {
		return e
	}
	return s
}

// fmtr formats the values of one series: the unit and one precision for all
// of them, so that "8,1 %" is not followed by "9,4000 %".
type fmtr struct {
	unit string
	dec  int
}

// decimals is i18n.Decimals (the fewest decimals, at most two, that show v
// as two would) without formatting v, which made up a sixth of an
// evaluation's time. Near a tie in the third decimal, where binary and
// decimal rounding can differ, it asks i18n.
func decimals(v float64) int {
	c := v * 100
	r := math.Round(c)
	if math.Abs(v) > 1e12 || math.Abs(math.Abs(c-r)-0.5) < 1e-6 {
		return i18n.Decimals(v)
	}
	switch n := int64(r); {
	case n%100 == 0:
		return 0
	case n%10 == 0:
		return 1
	}
	return 2
}

// num formats v with d decimals: Swedish via i18n ("1 234,5"), English by
// swapping the separators of the same text ("1,234.5"), so rounding is
// identical in both.
func num(l lang, v float64, d int) string {
	s := i18n.FormatNumber(v, d)
	if l == sv {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch r {
		case ',':
			b.WriteByte('.')
		case '\u00a0':
			b.WriteByte(',')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// q formats a value with its unit: "12,5 %", "1 234", "300 personer".
func (f fmtr) q(l lang, v float64) string {
	switch f.unit {
	case "%":
		return num(l, v, f.dec) + i18n.NBSP + "%"
	case "", "antal":
		return num(l, v, f.dec)
	}
	return num(l, v, f.dec) + i18n.NBSP + f.unit
}

// short formats a value in a list, where a word unit would repeat: "%"
// stays, "personer" goes.
func (f fmtr) short(l lang, v float64) string {
	if f.unit == "%" {
		return f.q(l, v)
	}
	return num(l, v, f.dec)
}

// diff formats a difference: percentage points for "%" units, else the
// value in its unit.
func (f fmtr) diff(l lang, v float64) string {
	if f.unit == "%" {
		return num(l, v, f.dec) + i18n.NBSP + tr(l, "procentenheter", "percentage points")
	}
	return f.q(l, v)
}

// pct formats a fraction as a percentage with d decimals: 0.038 → "3,8 %".
func pct(l lang, v float64, d int) string { return num(l, 100*v, d) + i18n.NBSP + "%" }

// year formats a year without grouping.
func year(y int) string { return i18n.FormatYear(y) }

// noun names what the series counts, as the subject of a sentence, and the
// pronoun that refers back to it.
func noun(l lang, unit string) (subject, pronoun string) {
	switch strings.TrimSpace(unit) {
	case "%":
		return tr(l, "andelen", "the share"), tr(l, "den", "it")
	case "antal", "st", "personer", "individer", "hushåll":
		return tr(l, "antalet", "the number"), tr(l, "det", "it")
	}
	return tr(l, "värdet", "the value"), tr(l, "det", "it")
}

// capital upper-cases the first letter.
func capital(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}

// cmpWord is the comparator as the document says it.
func cmpWord(l lang, c Comparator) string {
	switch c {
	case AtMost:
		return tr(l, "högst", "at most")
	case About:
		return tr(l, "cirka", "about")
	}
	return tr(l, "minst", "at least")
}

// change describes base → latest: "ökade från 8,1 % (2015) till 9,4 %
// (2019)", or "var 8,1 % både 2015 och 2019".
func (f fmtr) change(l lang, subject string, b, x Point) string {
	switch {
	case x.Value > b.Value:
		return capital(subject) + tr(l, " ökade från ", " rose from ") + f.q(l, b.Value) + " (" + year(b.Year) + ")" + tr(l, " till ", " to ") + f.q(l, x.Value) + " (" + year(x.Year) + ")"
	case x.Value < b.Value:
		return capital(subject) + tr(l, " minskade från ", " fell from ") + f.q(l, b.Value) + " (" + year(b.Year) + ")" + tr(l, " till ", " to ") + f.q(l, x.Value) + " (" + year(x.Year) + ")"
	}
	return capital(subject) + tr(l, " var ", " was ") + f.q(l, x.Value) + tr(l, " både ", " in both ") + year(b.Year) + tr(l, " och ", " and ") + year(x.Year)
}

// roundsToZero reports whether v would show as zero, so that
// sentences do not say "0 procentenheter över".
func (f fmtr) roundsToZero(v float64) bool {
	return math.Abs(v) < 0.5*math.Pow(10, -float64(f.dec))
}

// endSentence appends a full stop unless s already ends in one.
func endSentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || strings.HasSuffix(s, ".") || strings.HasSuffix(s, "!") || strings.HasSuffix(s, "?") {
		return s
	}
	return s + "."
}
