package allocation

import (
	"math"
	"strconv"
	"strings"
)

// Format tells how a column's values are shown.
type Format string

const (
	FormatCount  Format = "count"  // a whole number: "1 234"
	FormatNumber Format = "number" // a decimal number: "12,3"
	FormatShare  Format = "share"  // a share 0–1 shown as a percentage: "12,5 %"
)

// Column describes one of Row.Values.
type Column struct {
	Key     string // stable identifier, e.g. "headcount"
	Label   string // Swedish heading for the table
	Format  Format
	Derived bool // computed here rather than entered by the user
}

// Factor is one of the things a calculation weighs.
type Factor struct {
	Key   string // as the column of its share, e.g. "headcount_share"
	Label string // Swedish
	// Weight is how much the factor counts; the weights of a calculation's
	// factors sum to 1.
	Weight float64
	// Total is the factor's sum over all rows. A factor whose total is 0
	// cannot be divided into shares and contributes nothing.
	Total float64
	// Effective is how much the factor actually counts once unused factors
	// drop out; it sums to 1 over the used factors and is 0 for the others.
	Effective float64
}

// Used reports whether the factor contributes to the weights.
func (f Factor) Used() bool { return f.Weight > 0 && f.Total > 0 }

// Row is one body's or locality's part of a calculation, every step shown.
type Row struct {
	Key, Name string
	// Values are the inputs and derived figures, aligned with
	// Calculation.Columns.
	Values []float64
	// Weight is the row's share of the total weight, 0–1; the rows'
	// weights sum to 1 (or are all 0 when there is nothing to weigh).
	Weight float64
	// Quota is Total × Weight, the exact and usually fractional share.
	Quota float64
	// Floor is the whole part of Quota, which the row gets in any case.
	Floor int
	// Remainder is Quota − Floor; the largest remainders get the units
	// left after the floors.
	Remainder float64
	// Extra reports whether the row got one of those units.
	Extra bool
	// Count is the fördelningstal: Floor, plus one when Extra.
	Count int
}

// Calculation is a fördelning with the workings, for display and checking.
type Calculation struct {
	Kind    string // "internships" or "reception"
	Total   int
	Columns []Column
	Factors []Factor
	Rows    []Row
	// Method explains the calculation in one Swedish paragraph with the
	// parameters filled in.
	Method string
}

// Value returns the value of the column with the given key in row i.
func (c Calculation) Value(i int, key string) (float64, bool) {
	for j, col := range c.Columns {
		if col.Key == key && i >= 0 && i < len(c.Rows) && j < len(c.Rows[i].Values) {
			return c.Rows[i].Values[j], true
		}
	}
	return 0, false
}

// fill completes the rows from raw weights by the largest remainder method.
func (c *Calculation) fill(raw []float64) error {
	a, err := apportion(c.Total, raw)
	if err != nil {
		return err
	}
	for i := range c.Rows {
		r := &c.Rows[i]
		r.Weight, r.Quota, r.Floor = a.shares[i], a.quotas[i], a.floors[i]
		r.Remainder, r.Extra, r.Count = a.remainders[i], a.extra[i], a.counts[i]
	}
	return nil
}

// hamiltonSV is the closing sentences every Method shares.
const hamiltonSV = "Varje %s får heltalsdelen av sin kvot, och de enheter som då återstår går en i taget till dem med störst decimalrest (största restmetoden, Hamiltons metod), så att summan alltid blir exakt totalen och varje fördelningstal är kvoten avrundad nedåt eller uppåt. Vid lika rest går enheten till den med störst vikt och därefter till den som står först i listan."

// percentSV formats a share as a Swedish percentage with at most one
// decimal: 0.08 → "8 %", 1/3 → "33,3 %".
func percentSV(share float64) string {
	return decimalSV(share*100, 1) + "\u00a0%"
}

// decimalSV formats x with at most prec decimals, a decimal comma and no
// trailing zeros.
func decimalSV(x float64, prec int) string {
	s := strconv.FormatFloat(x, 'f', prec, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	intPart, frac, _ := strings.Cut(s, ".")
	if n, err := strconv.Atoi(intPart); err == nil && math.Abs(float64(n)) >= 1000 {
		intPart = intSV(n)
	}
	if frac != "" {
		return intPart + "," + frac
	}
	return intPart
}

// intSV formats n with a non-breaking space between thousands, as the UI
// writes numbers ("1 234"), so that a figure never wraps inside itself.
func intSV(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteRune('\u00a0')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
