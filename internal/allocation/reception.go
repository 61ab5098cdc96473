package allocation

import (
	"cmp"
	"fmt"
	"math"
	"strings"
)

// Locality is an ort of the kommun among which reception is spread.
type Locality struct {
	Key, Name  string
	Population int
	// BornAbroadShare is the current share of the inhabitants born abroad, 0–1.
	BornAbroadShare float64
}

// ReceptionParams are the parameters of Reception.
type ReceptionParams struct {
	// Total is the number of units to divide, e.g. 100 bostäder.
	Total int
	// MaxFactor caps how many times its population share a locality can
	// get, however low its share born abroad (also 0); at least 1, default 4.
	MaxFactor float64
	// Unit names what is divided, plural Swedish, in Method; default
	// "platser i mottagandet".
	Unit string
	// ShareLabel names the measured group in Method; default "utrikes födda".
	ShareLabel string
}

// DefaultMaxFactor is ReceptionParams.MaxFactor when unset.
const DefaultMaxFactor = 4

// Reception spreads p.Total units of reception over localities in
// proportion to population, weighted inversely to how large a share of the
// inhabitants is already born abroad, so that reception goes more to places
// where that share is low ("sprids geografiskt över hela kommunen").
//
// With m the kommun's share (population-weighted mean of the localities'), a
// locality's weight is Population × m / max(share, m/MaxFactor). A locality
// at the kommun's share gets its population share; at half of it, twice as
// much per inhabitant; none more than MaxFactor times — the floor m/MaxFactor
// also stands in for a share of 0, where 1/share has no value. A plain
// 1/share would let one small locality with almost no one born abroad take
// nearly everything. When m is 0 the division is by population alone.
// Errors are Errors naming row and field.
func Reception(localities []Locality, p ReceptionParams) (Calculation, error) {
	label := cmp.Or(p.ShareLabel, "utrikes födda")
	unit := cmp.Or(p.Unit, "platser i mottagandet")
	maxFactor := p.MaxFactor
	var pr problems
	if p.Total < 0 {
		pr.add(0, "", "total", "totalt antal", "must not be negative", "får inte vara negativt")
	}
	switch {
	case math.IsNaN(maxFactor) || math.IsInf(maxFactor, 0):
		pr.add(0, "", "max_factor", "högsta faktor", "must be a finite number", "måste vara ett tal")
	case maxFactor == 0:
		maxFactor = DefaultMaxFactor
	case maxFactor < 1:
		pr.add(0, "", "max_factor", "högsta faktor", "must be at least 1", "måste vara minst 1")
	}
	seen := map[string]int{}
	pop := 0.0
	abroad := 0.0
	for i, l := range localities {
		row, name := i+1, cmp.Or(l.Name, l.Key)
		validateKey(&pr, row, name, l.Key, seen)
		if l.Population < 0 {
			pr.add(row, name, "population", "folkmängd", "must not be negative", "får inte vara negativ")
		}
		validateShare(&pr, row, name, "born_abroad_share", "andel "+label, l.BornAbroadShare)
		pop += float64(l.Population)
		abroad += float64(l.Population) * l.BornAbroadShare
	}
	if p.Total > 0 && len(localities) == 0 {
		pr.add(0, "", "localities", "orter", "are missing, so there is nothing to allocate to", "saknas, så det finns inget att fördela på")
	} else if p.Total > 0 && pop == 0 && len(pr.errs) == 0 {
		pr.add(0, "", "localities", "orter", "have no population, so there is nothing to allocate by", "har ingen folkmängd, så det finns inget att fördela efter")
	}
	if err := pr.err(); err != nil {
		return Calculation{}, err
	}

	m := 0.0
	if pop > 0 {
		m = abroad / pop
	}
	c := Calculation{
		Kind:  "reception",
		Total: p.Total,
		Columns: []Column{
			{Key: "population", Label: "Folkmängd", Format: FormatCount},
			{Key: "born_abroad_share", Label: "Andel " + label, Format: FormatShare},
			{Key: "population_share", Label: "Andel av folkmängden", Format: FormatShare, Derived: true},
			{Key: "factor", Label: "Omvänd faktor", Format: FormatNumber, Derived: true},
		},
		Factors: []Factor{{Key: "population_share", Label: "Folkmängd, omvänt viktad efter andel " + label, Weight: 1, Total: pop, Effective: 1}},
		Rows:    make([]Row, len(localities)),
	}
	raw := make([]float64, len(localities))
	for i, l := range localities {
		f := 1.0
		if m > 0 {
			f = m / max(l.BornAbroadShare, m/maxFactor)
		}
		ps := 0.0
		if pop > 0 {
			ps = float64(l.Population) / pop
		}
		c.Rows[i] = Row{Key: l.Key, Name: l.Name, Values: []float64{float64(l.Population), l.BornAbroadShare, ps, f}}
		raw[i] = ps * f
	}
	if err := c.fill(raw); err != nil {
		return Calculation{}, err
	}

	var b strings.Builder
	fmt.Fprintf(&b, "%s %s fördelas mellan orterna efter folkmängd, omvänt viktat mot hur stor andel av invånarna som redan är %s, så att mottagandet sprids till orter där andelen är låg. ",
		upperFirst(intSV(p.Total)), unit, label)
	if m > 0 {
		fmt.Fprintf(&b, "Kommunens andel är %s. Varje ort får vikten folkmängd × kommunens andel ÷ ortens andel: en ort med samma andel som kommunen får sin andel av folkmängden och en ort med halva andelen dubbelt så mycket per invånare. Ortens andel räknas som minst %s, så att ingen ort – inte heller en där ingen är %s – får mer än %s gånger sin andel av folkmängden. ",
			percentSV(m), percentSV(m/maxFactor), label, decimalSV(maxFactor, 2))
	} else {
		fmt.Fprintf(&b, "Ingen ort har några %s, så fördelningen sker efter folkmängd. ", label)
	}
	b.WriteString("Totalen gånger ortens andel av den sammanlagda vikten ger en exakt kvot. ")
	b.WriteString(fmt.Sprintf(hamiltonSV, "ort"))
	c.Method = b.String()
	return c, nil
}
