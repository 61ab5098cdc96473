package progress

import (
	"math"
	"slices"
	"strings"
)

// Evaluate judges one target on its series. It never fails: what cannot be
// judged is cannot_assess with the reason in the explanation.
//
// The target's gender ("" = T) picks the series. For a target on the total
// whose series also has K and M, Women and Men hold the same evaluation on
// each (on the series' own base value: a document's base value is for the
// total) and GenderGap the difference between them. An override with a
// justification sets the effective status; the computed one is kept.
func Evaluate(in Input) Result {
	opt := in.Options.resolved()
	g := genderKey(in.Target.Gender)
	r := evaluate(in.Target, opt, g, in.Series.of(g), in.Reference.referenceOf(g), true)
	if g == Total && in.Target.Kind != Qualitative {
		k, m := in.Series[Women], in.Series[Men]
		if len(k) > 0 && len(m) > 0 {
			if appliesToEachGender(in.Target) {
				w := evaluate(in.Target, opt, Women, k, in.Reference.referenceOf(Women), false)
				mm := evaluate(in.Target, opt, Men, m, in.Reference.referenceOf(Men), false)
				r.Women, r.Men = &w, &mm
			}
			r.GenderGap = genderGap(clean(k, opt.EvaluationYear), clean(m, opt.EvaluationYear))
		}
	}
	r.ComputedExplanation = r.Explanation
	applyOverride(&r, in.Override)
	return r
}

// appliesToEachGender reports whether a target on the total can be judged
// for women and men apart. A share, a direction or a comparison can; an
// amount cannot: "minst 300 mottagna per år" says nothing of 300 women.
func appliesToEachGender(t Target) bool {
	switch t.Kind {
	case Threshold, PerYear:
		return t.Unit == "%"
	}
	return true
}

// resolved fills in defaults; negative bands mean none.
func (o Options) resolved() Options {
	switch {
	case o.NoiseBand == 0:
		o.NoiseBand = DefaultNoiseBand
	case o.NoiseBand < 0:
		o.NoiseBand = 0
	}
	switch {
	case o.Tolerance == 0:
		o.Tolerance = DefaultTolerance
	case o.Tolerance < 0:
		o.Tolerance = 0
	}
	return o
}

func genderKey(g string) string {
	if g == "" {
		return Total
	}
	return g
}

// of returns the series for a gender; the total may also be keyed "".
func (s Series) of(g string) []Point {
	if p := s[g]; len(p) > 0 || g != Total {
		return p
	}
	return s[""]
}

// referenceOf is of, except that K and M fall back to the total: a
// reference series without a gender breakdown still compares.
func (s Series) referenceOf(g string) []Point {
	if p := s.of(g); len(p) > 0 {
		return p
	}
	return s.of(Total)
}

// clean returns pts up to year last (0 = all), sorted, one per year,
// without NaN or infinities. Clean input, the normal case, is returned as a
// sub-slice without copying.
func clean(pts []Point, last int) []Point {
	ok := true
	for i, p := range pts {
		if math.IsNaN(p.Value) || math.IsInf(p.Value, 0) || (i > 0 && p.Year <= pts[i-1].Year) {
			ok = false
			break
		}
	}
	if !ok {
		c := make([]Point, 0, len(pts))
		for _, p := range pts {
			if !math.IsNaN(p.Value) && !math.IsInf(p.Value, 0) {
				c = append(c, p)
			}
		}
		slices.SortStableFunc(c, func(a, b Point) int { return a.Year - b.Year })
		// one point per year: the last given wins, as a later row corrects
		// an earlier one
		out := c[:0]
		for _, p := range c {
			if len(out) > 0 && out[len(out)-1].Year == p.Year {
				out[len(out)-1] = p
				continue
			}
			out = append(out, p)
		}
		pts = out
	}
	if last > 0 {
		n, _ := slices.BinarySearchFunc(pts, last+1, func(p Point, y int) int { return p.Year - y })
		pts = pts[:n]
	}
	return pts
}

// evaluator carries one evaluation: a target on one gender's series.
type evaluator struct {
	t        Target
	opt      Options
	pts      []Point // cleaned, up to the evaluation year
	ref      []Point // cleaned reference series
	useBase  bool    // whether the target's BaseValue applies to this series
	res      Result
	f        fmtr // values of the series
	tf       fmtr // the target value
	df       fmtr // differences between the two
	evalYear int
}

func evaluate(t Target, opt Options, g string, raw, rawRef []Point, useBase bool) Result {
	e := &evaluator{t: t, opt: opt, useBase: useBase}
	e.pts = clean(raw, opt.EvaluationYear)
	e.evalYear = opt.EvaluationYear
	if e.evalYear == 0 && len(e.pts) > 0 {
		e.evalYear = e.pts[len(e.pts)-1].Year
	}
	e.res = Result{
		Gender: g,
		Inputs: Inputs{
			EvaluationYear: e.evalYear,
			Comparator:     t.Comparator,
			TargetValue:    copyPtr(t.Value),
			TargetYear:     t.TargetYear,
			NoiseBand:      opt.NoiseBand,
			Tolerance:      opt.Tolerance,
		},
	}
	// one precision for the data shown, another for the target as the
	// document wrote it ("minst 10 %", not "minst 10,0 %"), and the finer
	// of the two for differences between them
	// (the first point and the last eight stand for the series: a long
	// series' early years are not shown)
	unit := strings.TrimSpace(t.Unit)
	e.f = fmtr{unit: unit}
	if len(e.pts) > 0 {
		e.f.dec = decimals(e.pts[0].Value)
	}
	for _, p := range lastN(e.pts, 8) {
		e.f.dec = max(e.f.dec, decimals(p.Value))
	}
	if t.BaseValue != nil && useBase {
		e.f.dec = max(e.f.dec, decimals(*t.BaseValue))
	}
	e.tf = fmtr{unit: unit}
	if t.Value != nil {
		e.tf.dec = decimals(*t.Value)
	}
	e.df = fmtr{unit: unit, dec: max(e.f.dec, e.tf.dec)}

	switch t.Kind {
	case Threshold:
		e.threshold()
	case Direction:
		e.direction()
	case PerYear:
		e.perYear()
	case Relative:
		e.ref = clean(rawRef, opt.EvaluationYear)
		e.relative()
	case Qualitative:
		e.cannot(MethodQualitative, Text{
			SV: "Målet är kvalitativt och har ingen mätserie; det bedöms manuellt med en motivering.",
			EN: "The target is qualitative, with no series; it is assessed by hand, with a justification.",
		})
	default:
		e.cannot(MethodNone, Text{
			SV: "Okänd måltyp \"" + string(t.Kind) + "\".",
			EN: "Unknown target kind \"" + string(t.Kind) + "\".",
		})
	}

	r := e.res
	r.Status, r.Score = r.Computed, r.ComputedScore
	if g == Women || g == Men {
		// sub-results are shown beside the total; say whose they are
		if g == Women {
			r.Explanation = Text{SV: "Kvinnor: " + r.Explanation.SV, EN: "Women: " + r.Explanation.EN}
		} else {
			r.Explanation = Text{SV: "Män: " + r.Explanation.SV, EN: "Men: " + r.Explanation.EN}
		}
	}
	return r
}

// done sets the computed verdict. body is the sentence(s) before the
// verdict; extra, if any, goes in brackets after the status label.
func (e *evaluator) done(s Status, m Method, score *float64, body, extra Text) {
	e.res.Computed, e.res.Method = s, m
	if score == nil {
		score = nominalScore(s)
	}
	e.res.ComputedScore = score
	verdict := func(l lang) string {
		lbl := s.Label().SV
		if l == en {
			lbl = s.Label().EN
		}
		ex := tr(l, extra.SV, extra.EN)
		if ex != "" {
			lbl += " (" + ex + ")"
		}
		b := tr(l, body.SV, body.EN)
		v := tr(l, "Bedömning: ", "Assessment: ") + lbl + "."
		if b == "" {
			return v
		}
		return endSentence(b) + " " + v
	}
	e.res.Explanation = both(verdict)
}

// cannot sets cannot_assess with the reason.
func (e *evaluator) cannot(m Method, why Text) {
	e.done(CannotAssess, m, nil, why, Text{})
}

// note adds a caveat.
func (e *evaluator) note(t Text) { e.res.Notes = append(e.res.Notes, t) }

// noData says there is nothing to judge, naming the window.
func (e *evaluator) noData() {
	if e.t.BaseYear > 0 {
		e.cannot(MethodNone, Text{
			SV: "Det finns inga värden från basåret " + year(e.t.BaseYear) + untilSV(e.opt.EvaluationYear) + ".",
			EN: "There are no values from the base year " + year(e.t.BaseYear) + untilEN(e.opt.EvaluationYear) + ".",
		})
		return
	}
	e.cannot(MethodNone, Text{
		SV: "Det finns inga värden" + untilSV(e.opt.EvaluationYear) + ".",
		EN: "There are no values" + untilEN(e.opt.EvaluationYear) + ".",
	})
}

func untilSV(y int) string {
	if y == 0 {
		return ""
	}
	return " till och med " + year(y)
}

func untilEN(y int) string {
	if y == 0 {
		return ""
	}
	return " up to " + year(y)
}

// window returns the points from the base on, the base first. With a base
// year and a base value (for the series the document states it for), the
// base value stands in for that year. With a base year and no value there,
// the first later year is the base, as in Open SDG.
func (e *evaluator) window() []Point {
	by := e.t.BaseYear
	if by == 0 {
		return e.pts
	}
	if e.opt.EvaluationYear > 0 && by > e.opt.EvaluationYear {
		return nil
	}
	i, found := slices.BinarySearchFunc(e.pts, by, func(p Point, y int) int { return p.Year - y })
	if e.t.BaseValue != nil && e.useBase {
		j := i
		if found {
			j++
		}
		w := make([]Point, 0, 1+len(e.pts)-j)
		w = append(w, Point{by, *e.t.BaseValue})
		return append(w, e.pts[j:]...)
	}
	w := e.pts[i:]
	if !found && len(w) > 0 {
		e.note(Text{
			SV: "Basåret " + year(by) + " saknar värde; första året därefter med värde (" + year(w[0].Year) + ") används som bas.",
			EN: "The base year " + year(by) + " has no value; the first later year with a value (" + year(w[0].Year) + ") is used as the base.",
		})
	}
	return w
}

// oneValue says a growth needs two points.
func (e *evaluator) oneValue(p Point) {
	e.cannot(MethodNone, both(func(l lang) string {
		return tr(l, "Det finns bara ett värde (", "There is only one value (") + e.f.q(l, p.Value) +
			tr(l, " år ", " in ") + year(p.Year) + tr(l, "); minst två behövs för en bedömning", "); at least two are needed for an assessment")
	}))
}

// signsDiffer says growth is undefined across zero.
func (e *evaluator) signsDiffer(a, b Point) {
	e.cannot(MethodNone, both(func(l lang) string {
		return tr(l, "Basvärdet och det senaste värdet har olika tecken (", "The base and latest values have different signs (") +
			e.f.q(l, a.Value) + tr(l, " år ", " in ") + year(a.Year) + ", " + e.f.q(l, b.Value) + tr(l, " år ", " in ") + year(b.Year) +
			tr(l, "), så tillväxttakten kan inte beräknas", "), so growth cannot be computed")
	}))
}

// applyOverride sets the effective status from a justified override.
func applyOverride(r *Result, o *Override) {
	if o == nil {
		return
	}
	switch {
	case !o.Status.Valid():
		r.Notes = append(r.Notes, Text{
			SV: "Den manuella bedömningen ignorerades: okänd status \"" + string(o.Status) + "\".",
			EN: "The manual assessment was ignored: unknown status \"" + string(o.Status) + "\".",
		})
		return
	case strings.TrimSpace(o.Justification) == "":
		r.Notes = append(r.Notes, Text{
			SV: "Den manuella bedömningen ignorerades: motivering saknas.",
			EN: "The manual assessment was ignored: no justification was given.",
		})
		return
	}
	oc := *o
	r.Override = &oc
	r.Status = o.Status
	r.Score = nominalScore(o.Status)
	who := strings.TrimSpace(strings.Join(nonEmpty(o.By, o.On), ", "))
	if who != "" {
		who = " (" + who + ")"
	}
	r.Explanation.SV += " Manuell bedömning: " + o.Status.Label().SV + who + ". Motivering: " + endSentence(o.Justification)
	r.Explanation.EN += " Manual assessment: " + o.Status.Label().EN + who + ". Justification: " + endSentence(o.Justification)
}

func nonEmpty(ss ...string) []string {
	out := ss[:0:0]
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// genderGap is K − M at the latest year both have.
func genderGap(k, m []Point) *GenderGap {
	i, j := len(k)-1, len(m)-1
	for i >= 0 && j >= 0 {
		switch {
		case k[i].Year == m[j].Year:
			return &GenderGap{Year: k[i].Year, Women: k[i].Value, Men: m[j].Value, Difference: k[i].Value - m[j].Value}
		case k[i].Year > m[j].Year:
			i--
		default:
			j--
		}
	}
	return nil
}

func copyPtr(p *float64) *float64 {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

func ptr(v float64) *float64 { return &v }
