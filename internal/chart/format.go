package chart

import (
	"math"
	"strconv"
	"strings"
)

const (
	// nbsp joins digit groups and a value to its unit so that "13 112" and
	// "12,5 %" never break across lines.
	nbsp = "\u00a0"
	// minus is the typographic minus sign Swedish style guides ask for; a
	// hyphen looks like a dash next to a number.
	minus = "\u2212"
)

// formatNumber writes v the Swedish way: decimal comma, a non-breaking space
// between groups of three digits and a real minus sign. It rounds to decimals
// places; with trim it drops trailing zeros, so axis labels can keep a fixed
// number of decimals ("0,5", "1,0") while point values stay short ("12,5").
func formatNumber(v float64, decimals int, trim bool) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	if decimals < 0 {
		decimals = 0
	}
	s := strconv.FormatFloat(math.Abs(v), 'f', decimals, 64)
	if trim && strings.Contains(s, ".") {
		s = strings.TrimRight(s, "0")
		s = strings.TrimSuffix(s, ".")
	}
	intPart, frac, hasFrac := strings.Cut(s, ".")

	var b strings.Builder
	// Rounding may have turned a small negative into zero; "−0" would be noise.
	if v < 0 && strings.Trim(s, "0.") != "" {
		b.WriteString(minus)
	}
	for i, d := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteString(nbsp)
		}
		b.WriteRune(d)
	}
	if hasFrac {
		b.WriteByte(',')
		b.WriteString(frac)
	}
	return b.String()
}

// withUnit appends the unit after a non-breaking space ("12,5 %").
func withUnit(s, unit string) string {
	if unit == "" {
		return s
	}
	return s + nbsp + unit
}

// coord formats an SVG coordinate with one decimal, which is finer than any
// screen needs and keeps the output short and stable for golden files.
func coord(v float64) string {
	v = math.Round(v*10) / 10
	if v == 0 {
		v = 0 // normalise −0
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}
