package web

import (
	"math"
	"strconv"
	"strings"

	"github.com/inkludera/inkludera/internal/strategy"
)

// deriveKey makes a key from a title for a new object whose editor left
// the key empty: lower case a–z, 0–9 and hyphens ("Arbete & egen
// försörjning" → "arbete-egen-forsorjning"; å and ä become a, ö o, other
// accents are dropped). taken reports keys already in use; a number is
// appended until the key is free ("arbete-2"). fallback is used when the
// title has no letters or digits at all.
func deriveKey(title, fallback string, taken func(string) bool) string {
	base := strategy.KeyFromTitle(title)
	if base == "" {
		base = fallback
	}
	key := base
	for n := 2; taken(key); n++ {
		key = base + "-" + strconv.Itoa(n)
	}
	return key
}

// documentKeys collects every key used in the document's tree, of any
// kind, so that a derived key is unique in the whole document.
func documentKeys(d strategy.Document) map[string]bool {
	keys := map[string]bool{}
	var goals func([]strategy.Goal)
	goals = func(gs []strategy.Goal) {
		for _, g := range gs {
			keys[g.Key] = true
			for _, t := range g.Targets {
				keys[t.Key] = true
			}
			for _, c := range g.Commitments {
				keys[c.Key] = true
			}
			goals(g.Goals)
		}
	}
	for _, a := range d.Areas {
		keys[a.Key] = true
		for _, c := range a.Commitments {
			keys[c.Key] = true
		}
		goals(a.Goals)
	}
	for _, t := range d.Terms {
		keys[t.Key] = true
	}
	for _, p := range d.ActionPlans {
		keys[p.Key] = true
	}
	return keys
}

// parseDecimal reads a number as people type it: "12,5" or "12.5", with
// spaces (also non-breaking) between thousands ("1 234,5") and a leading
// minus sign (also "−"). ok is false for anything else, and for NaN and
// infinities.
func parseDecimal(s string) (v float64, ok bool) {
	s = strings.TrimSpace(s)
	s = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "", "−", "-", ",", ".").Replace(s)
	if s == "" || strings.ContainsAny(s, "eEpPxX_") || strings.Count(s, ".") > 1 {
		// ParseFloat would take "1e3", hexadecimal and underscores;
		// nobody types those into a form and meant a number.
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}

// formatDecimal writes a number for an input: Swedish decimal comma, no
// grouping (so that it reads back unchanged), no superfluous zeros.
func formatDecimal(v float64) string {
	return strings.Replace(strconv.FormatFloat(v, 'f', -1, 64), ".", ",", 1)
}

// parseWholeNumber reads an integer such as a year or a count of years;
// ok is false for anything else.
func parseWholeNumber(s string) (int, bool) {
	s = strings.NewReplacer(" ", "", "\u00a0", "", "−", "-").Replace(strings.TrimSpace(s))
	n, err := strconv.Atoi(s)
	return n, err == nil
}
