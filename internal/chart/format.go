package chart

import (
	"math"
	"strconv"
	"strings"

	"github.com/inkludera/inkludera/internal/i18n"
)

// formatNumber writes v the Swedish way (i18n.FormatNumber); with trim it
// drops trailing zeros, so axis labels can keep a fixed number of decimals
// ("0,5", "1,0") while point values stay short ("12,5").
func formatNumber(v float64, decimals int, trim bool) string {
	s := i18n.FormatNumber(v, decimals)
	if trim && strings.Contains(s, ",") {
		s = strings.TrimSuffix(strings.TrimRight(s, "0"), ",")
	}
	return s
}

// withUnit appends the unit after a non-breaking space ("12,5 %").
func withUnit(s, unit string) string {
	if unit == "" {
		return s
	}
	return s + i18n.NBSP + unit
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
