// Package i18n holds what Inkludera needs to speak its users' language.
// For now that is Swedish number and date formatting; message catalogues,
// language matching and text direction come later.
//
// The formats follow Swedish practice (and CLDR's "sv" locale): a decimal
// comma, a non-breaking space between groups of three digits and before a
// percent sign, the minus sign U+2212, and ISO dates.
package i18n

import (
	"math"
	"strconv"
	"strings"
	"time"
)

const (
	// NBSP is the non-breaking space used between digit groups and between
	// a number and its unit, so that "13 112" and "12,5 %" never wrap.
	NBSP = "\u00a0"
	// Minus is the minus sign (U+2212); screen readers say "minus" for it,
	// while a hyphen is often read as a dash or not at all.
	Minus = "\u2212"
	// Missing is shown where a value is missing. Missing is not zero.
	Missing = "–"
)

// maxDecimals caps the decimals Decimals chooses: statistics on the
// municipal level rarely carry meaning beyond hundredths.
const maxDecimals = 2

// FormatNumber formats v with the given number of decimals (negative counts
// as 0) in Swedish form: FormatNumber(13112, 0) = "13 112",
// FormatNumber(-2.5, 1) = "−2,5". A value that rounds to zero has no sign.
// NaN and infinities, which stored data never holds, format as Missing.
func FormatNumber(v float64, decimals int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return Missing
	}
	if decimals < 0 {
		decimals = 0
	}
	s := roundDecimal(strconv.FormatFloat(v, 'f', -1, 64), decimals)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, hasFrac := strings.Cut(s, ".")
	if neg && strings.Trim(intPart+frac, "0") == "" {
		neg = false // "-0,0" would say the value is below zero
	}
	var b strings.Builder
	if neg {
		b.WriteString(Minus)
	}
	b.WriteString(group(intPart))
	if hasFrac {
		b.WriteString(",")
		b.WriteString(frac)
	}
	return b.String()
}

// roundDecimal rounds the decimal text s (as strconv writes it with 'f'
// and precision -1, the shortest form that reads back as the same float) to
// the given decimals, half away from zero. Rounding the shortest decimal
// form rather than the binary value makes 9.45 round to 9,5 as a reader of
// the source expects, not to 9,4 as its binary approximation 9.4499… would.
func roundDecimal(s string, decimals int) string {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, _ := strings.Cut(s, ".")
	if len(frac) <= decimals {
		frac += strings.Repeat("0", decimals-len(frac))
	} else {
		roundUp := frac[decimals] >= '5'
		frac = frac[:decimals]
		if roundUp {
			digits := []byte(intPart + frac)
			i := len(digits) - 1
			for ; i >= 0; i-- {
				if digits[i] < '9' {
					digits[i]++
					break
				}
				digits[i] = '0'
			}
			if i < 0 {
				digits = append([]byte{'1'}, digits...)
			}
			intPart, frac = string(digits[:len(digits)-decimals]), string(digits[len(digits)-decimals:])
		}
	}
	out := intPart
	if decimals > 0 {
		out += "." + frac
	}
	if neg {
		out = "-" + out
	}
	return out
}

// group puts a non-breaking space between every three digits from the right.
// Swedish groups four-digit numbers too ("1 234"); years are not numbers in
// this sense and must be written with FormatYear.
func group(digits string) string {
	if len(digits) <= 3 {
		return digits
	}
	var b strings.Builder
	first := len(digits) % 3
	if first > 0 {
		b.WriteString(digits[:first])
	}
	for i := first; i < len(digits); i += 3 {
		if b.Len() > 0 {
			b.WriteString(NBSP)
		}
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}

// FormatPercent formats v, already in percent, with a non-breaking space
// before the sign: FormatPercent(12.5, 1) = "12,5 %".
func FormatPercent(v float64, decimals int) string {
	return FormatNumber(v, decimals) + NBSP + "%"
}

// Decimals returns the fewest decimals, at most two, that show v as
// precisely as two decimals would: 13112 → 0, 9.4 → 1, 8.125 → 2. It lets
// whole numbers look whole without hiding the decimals a value has.
func Decimals(v float64) int {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	full := roundDecimal(strconv.FormatFloat(v, 'f', -1, 64), maxDecimals)
	full = strings.TrimRight(full, "0")
	_, frac, _ := strings.Cut(full, ".")
	return len(frac)
}

// DecimalsFor returns the decimals that suit every value of a series, so
// that a table column or chart axis uses one precision throughout.
func DecimalsFor(values []float64) int {
	d := 0
	for _, v := range values {
		d = max(d, Decimals(v))
	}
	return d
}

// FormatAuto formats v with Decimals(v) decimals.
func FormatAuto(v float64) string { return FormatNumber(v, Decimals(v)) }

// FormatQuantity formats v with its unit as Swedish text writes it:
// "%" becomes "12,5 %", the counting units "antal" and "" add nothing
// ("13 112"), and any other unit follows after a non-breaking space
// ("300 personer").
func FormatQuantity(v float64, decimals int, unit string) string {
	switch strings.TrimSpace(unit) {
	case "%":
		return FormatPercent(v, decimals)
	case "", "antal":
		return FormatNumber(v, decimals)
	}
	return FormatNumber(v, decimals) + NBSP + strings.TrimSpace(unit)
}

// FormatYear writes a year without digit grouping ("2020", not "2 020").
func FormatYear(year int) string { return strconv.Itoa(year) }

// FormatDate writes t's calendar date in ISO form, "2016-05-10", the form
// Swedish public administration uses. The zero time formats as "".
func FormatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

// Ordinal writes n as a Swedish ordinal in figures: 1:a, 2:a, 3:e, 4:e,
// 11:e, 12:e, 21:a, 22:a. ("Följs upp vart 4:e år".)
func Ordinal(n int) string {
	m10, m100 := abs(n)%10, abs(n)%100
	if (m10 == 1 || m10 == 2) && m100 != 11 && m100 != 12 {
		return strconv.Itoa(n) + ":a"
	}
	return strconv.Itoa(n) + ":e"
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
