package allocation

import (
	"cmp"
	"fmt"
	"math"
	"strings"
)

// Body is a förvaltning (or other body) that is given a fördelningstal of
// praktikplatser and subventionerade anställningar.
type Body struct {
	Key, Name string
	// Headcount is the number of employees now.
	Headcount int
	// BornAbroadShare is the current share of employees born abroad, 0–1,
	// measured as the target is (Östersund counts utomnordiskt födda).
	BornAbroadShare float64
	// StatedNeed is the stated future competence need, e.g. the number of
	// positions expected to be filled.
	StatedNeed float64
}

// Params are the parameters of Internships.
type Params struct {
	// Total is the number of places to divide, e.g. 100 ("cirka ett
	// hundratal").
	Total int
	// TargetShare is the share the strategy aims at, 0–1, e.g. 0.08 for
	// "minst 8 % av de kommunanställda är utomnordiskt födda".
	TargetShare float64
	// WeightHeadcount, WeightGap and WeightNeed say how much each factor
	// counts; they are relative (2, 1, 1 is half, a quarter, a quarter).
	// When all are zero each counts a third.
	WeightHeadcount, WeightGap, WeightNeed float64
	// ShareLabel names the measured group in Method; default
	// "utrikes födda".
	ShareLabel string
}

// Internships divides p.Total places among bodies, as Östersund's strategy
// asks: by the composition of each body's staff now and by its future
// competence need. A body's weight is
//
//	WeightHeadcount·(its share of all employees)
//	+ WeightGap·(its share of the employees missing to reach TargetShare)
//	+ WeightNeed·(its share of the stated needs),
//
// where a body's gap is max(0, TargetShare − BornAbroadShare)·Headcount,
// so bodies far below the target take more. A factor whose total over the
// bodies is zero contributes nothing. The weights are then divided by
// LargestRemainder. Errors are Errors naming row and field.
func Internships(bodies []Body, p Params) (Calculation, error) {
	label := p.ShareLabel
	if label == "" {
		label = "utrikes födda"
	}
	var pr problems
	validateParams(&pr, p)
	seen := map[string]int{}
	for i, b := range bodies {
		row, name := i+1, cmp.Or(b.Name, b.Key)
		validateKey(&pr, row, name, b.Key, seen)
		if b.Headcount < 0 {
			pr.add(row, name, "headcount", "antal anställda", "must not be negative", "får inte vara negativt")
		}
		validateShare(&pr, row, name, "born_abroad_share", "andel "+label, b.BornAbroadShare)
		switch {
		case math.IsNaN(b.StatedNeed) || math.IsInf(b.StatedNeed, 0):
			pr.add(row, name, "stated_need", "kompetensbehov", "must be a finite number", "måste vara ett tal")
		case b.StatedNeed < 0:
			pr.add(row, name, "stated_need", "kompetensbehov", "must not be negative", "får inte vara negativt")
		}
	}
	if p.Total > 0 && len(bodies) == 0 {
		pr.add(0, "", "bodies", "förvaltningar", "are missing, so there is nothing to allocate to", "saknas, så det finns inget att fördela på")
	}
	if err := pr.err(); err != nil {
		return Calculation{}, err
	}

	wh, wg, wn := p.WeightHeadcount, p.WeightGap, p.WeightNeed
	if wh+wg+wn == 0 {
		wh, wg, wn = 1, 1, 1
	}
	sumW := wh + wg + wn
	c := Calculation{
		Kind:  "internships",
		Total: p.Total,
		Columns: []Column{
			{Key: "headcount", Label: "Antal anställda", Format: FormatCount},
			{Key: "born_abroad_share", Label: "Andel " + label, Format: FormatShare},
			{Key: "stated_need", Label: "Framtida kompetensbehov", Format: FormatNumber},
			{Key: "gap", Label: "Anställda som saknas till målandelen", Format: FormatNumber, Derived: true},
			{Key: "headcount_share", Label: "Andel av de anställda", Format: FormatShare, Derived: true},
			{Key: "gap_share", Label: "Andel av dem som saknas", Format: FormatShare, Derived: true},
			{Key: "need_share", Label: "Andel av kompetensbehovet", Format: FormatShare, Derived: true},
		},
		Factors: []Factor{
			{Key: "headcount_share", Label: "Antal anställda", Weight: wh / sumW},
			{Key: "gap_share", Label: "Avstånd till målandelen", Weight: wg / sumW},
			{Key: "need_share", Label: "Framtida kompetensbehov", Weight: wn / sumW},
		},
		Rows: make([]Row, len(bodies)),
	}
	gaps := make([]float64, len(bodies))
	for i, b := range bodies {
		gaps[i] = max(0, p.TargetShare-b.BornAbroadShare) * float64(b.Headcount)
		c.Factors[0].Total += float64(b.Headcount)
		c.Factors[1].Total += gaps[i]
		c.Factors[2].Total += b.StatedNeed
	}
	share := func(f Factor, x float64) float64 {
		if f.Total == 0 {
			return 0
		}
		return x / f.Total
	}
	used := 0.0
	for _, f := range c.Factors {
		if f.Used() {
			used += f.Weight
		}
	}
	for i, f := range c.Factors {
		if f.Used() {
			c.Factors[i].Effective = f.Weight / used
		}
	}
	raw := make([]float64, len(bodies))
	for i, b := range bodies {
		hs := share(c.Factors[0], float64(b.Headcount))
		gs := share(c.Factors[1], gaps[i])
		ns := share(c.Factors[2], b.StatedNeed)
		c.Rows[i] = Row{Key: b.Key, Name: b.Name, Values: []float64{
			float64(b.Headcount), b.BornAbroadShare, b.StatedNeed, gaps[i], hs, gs, ns,
		}}
		raw[i] = c.Factors[0].Effective*hs + c.Factors[1].Effective*gs + c.Factors[2].Effective*ns
	}
	if p.Total > 0 && !c.Factors[0].Used() && !c.Factors[1].Used() && !c.Factors[2].Used() {
		pr.add(0, "", "bodies", "förvaltningar",
			"give nothing to weigh: every counted factor (headcount, gap to the target share, stated need) is zero",
			"ger inget att väga: alla faktorer som räknas (antal anställda, avstånd till målandelen, kompetensbehov) är noll")
		return Calculation{}, pr.err()
	}
	if err := c.fill(raw); err != nil {
		return Calculation{}, err
	}
	c.Method = internshipsMethod(c, p.TargetShare, label)
	return c, nil
}

func internshipsMethod(c Calculation, target float64, label string) string {
	var parts, unused []string
	for _, f := range c.Factors {
		w := " (vikt " + percentSV(f.Effective) + ")"
		switch {
		case f.Used() && f.Key == "headcount_share":
			parts = append(parts, "dess andel av kommunens "+decimalSV(f.Total, 1)+" anställda"+w)
		case f.Used() && f.Key == "gap_share":
			parts = append(parts, "dess andel av de "+decimalSV(f.Total, 1)+" anställda som saknas för att andelen "+label+" ska nå "+percentSV(target)+" i varje förvaltning"+w)
		case f.Used() && f.Key == "need_share":
			parts = append(parts, "dess andel av det inventerade framtida kompetensbehovet, sammanlagt "+decimalSV(f.Total, 1)+w)
		case f.Weight > 0 && f.Key == "headcount_share":
			unused = append(unused, "Antal anställda räknas inte, eftersom inga anställda har angetts.")
		case f.Weight > 0 && f.Key == "gap_share" && target == 0:
			unused = append(unused, "Avståndet till målandelen räknas inte, eftersom ingen målandel har angetts.")
		case f.Weight > 0 && f.Key == "gap_share":
			unused = append(unused, "Avståndet till målandelen räknas inte, eftersom ingen förvaltning ligger under "+percentSV(target)+".")
		case f.Weight > 0 && f.Key == "need_share":
			unused = append(unused, "Kompetensbehovet räknas inte, eftersom inget behov har angetts.")
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Fördelningstalen för %s praktikplatser och subventionerade anställningar räknas fram i tre steg. ", intSV(c.Total))
	if len(parts) > 0 {
		fmt.Fprintf(&b, "Först får varje förvaltning en vikt som väger samman %s. ", joinSV(parts))
	}
	for _, u := range unused {
		b.WriteString(u + " ")
	}
	if len(unused) > 0 && len(parts) > 0 {
		b.WriteString("De angivna vikterna räknas därför om mellan de faktorer som återstår. ")
	}
	b.WriteString("Sedan ger totalen gånger förvaltningens andel av den sammanlagda vikten en exakt kvot. ")
	b.WriteString(fmt.Sprintf(hamiltonSV, "förvaltning"))
	return b.String()
}

// joinSV joins "a", "b", "c" as "a, b och c".
func joinSV(parts []string) string {
	if len(parts) <= 1 {
		return strings.Join(parts, "")
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " och " + parts[len(parts)-1]
}

func validateParams(pr *problems, p Params) {
	if p.Total < 0 {
		pr.add(0, "", "total", "totalt antal", "must not be negative", "får inte vara negativt")
	}
	validateShare(pr, 0, "", "target_share", "målandel", p.TargetShare)
	for _, w := range []struct {
		field, sv string
		v         float64
	}{
		{"weight_headcount", "vikt för antal anställda", p.WeightHeadcount},
		{"weight_gap", "vikt för avstånd till målandelen", p.WeightGap},
		{"weight_need", "vikt för kompetensbehov", p.WeightNeed},
	} {
		switch {
		case math.IsNaN(w.v) || math.IsInf(w.v, 0):
			pr.add(0, "", w.field, w.sv, "must be a finite number", "måste vara ett tal")
		case w.v < 0:
			pr.add(0, "", w.field, w.sv, "must not be negative", "får inte vara negativ")
		}
	}
}

// validateShare checks a share 0–1; the hint catches the common slip of
// writing 8 for 8 %.
func validateShare(pr *problems, row int, name, field, sv string, v float64) {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		pr.add(row, name, field, sv, "must be a finite number", "måste vara ett tal")
	case v < 0 || v > 1:
		pr.add(row, name, field, sv,
			fmt.Sprintf("must be a share between 0 and 1 (8 %% is 0.08), got %g", v),
			fmt.Sprintf("måste vara en andel mellan 0 och 1 (8 %% skrivs 0,08), inte %s", decimalSV(v, 4)))
	}
}

func validateKey(pr *problems, row int, name, key string, seen map[string]int) {
	if key == "" {
		pr.add(row, name, "key", "nyckel", "is required", "saknas")
		return
	}
	if first, ok := seen[key]; ok {
		pr.add(row, name, "key", "nyckel",
			fmt.Sprintf("%q is also used by row %d", key, first),
			fmt.Sprintf("%q används redan på rad %d", key, first))
		return
	}
	seen[key] = row
}
