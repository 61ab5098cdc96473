package progress

import (
	"math"

	"github.com/inkludera/inkludera/internal/i18n"
)

// levelComparator normalises the comparator of a level (threshold, per
// year): increase and decrease read as at_least and at_most. dir is +1 when
// higher is better, −1 when lower, 0 for about (set from the data).
func levelComparator(c Comparator) (Comparator, int, bool) {
	switch c {
	case AtLeast, Increase:
		return AtLeast, 1, true
	case AtMost, Decrease:
		return AtMost, -1, true
	case About:
		return About, 0, true
	}
	return c, 0, false
}

// levelTarget starts a target stated as a level (threshold, per year): it
// needs a value and a level comparator, which it records among the inputs;
// when either is missing the verdict is already given and ok is false.
func (e *evaluator) levelTarget() (cmp Comparator, target float64, ok bool) {
	if e.t.Value == nil {
		e.noTargetValue()
		return "", 0, false
	}
	cmp, dir, ok := levelComparator(e.t.Comparator)
	if !ok {
		e.unknownComparator()
		return "", 0, false
	}
	e.res.Inputs.Comparator, e.res.Inputs.Direction = cmp, dir
	return cmp, *e.t.Value, true
}

// wantedDirection is +1 for a target that wants the series up, −1 for down
// (relative and direction targets); an unfitting comparator gives the
// verdict and ok false.
func (e *evaluator) wantedDirection() (dir int, ok bool) {
	switch e.t.Comparator {
	case AtLeast, Increase:
		dir = 1
	case AtMost, Decrease:
		dir = -1
	default:
		e.unknownComparator()
		return 0, false
	}
	e.res.Inputs.Direction = dir
	return dir, true
}

func (e *evaluator) unknownComparator() {
	e.cannot(MethodNone, Text{
		SV: "Jämförelsen \"" + string(e.t.Comparator) + "\" passar inte måltypen " + string(e.t.Kind) + ".",
		EN: "The comparator \"" + string(e.t.Comparator) + "\" does not fit a " + string(e.t.Kind) + " target.",
	})
}

func (e *evaluator) noTargetValue() {
	e.cannot(MethodNone, Text{SV: "Målvärde saknas.", EN: "The target value is missing."})
}

// shortfall is how far v is from meeting a level target (≤ 0 when met):
// below for at_least, above for at_most, outside the tolerance band for
// about.
func (e *evaluator) shortfall(c Comparator, v, target float64) float64 {
	switch c {
	case AtMost:
		return v - target
	case About:
		return math.Abs(v-target) - e.opt.Tolerance*math.Abs(target)
	}
	return target - v
}

// targetPhrase is the target as a phrase: "minst 10 %"; for about with
// its band spelt out, "cirka 10 % (9,5–10,5 %)", since "±5 %" of a
// percentage reads as percentage points.
func (e *evaluator) targetPhrase(l lang, c Comparator, target float64) string {
	s := cmpWord(l, c) + " " + e.tf.q(l, target)
	if c == About {
		d := e.opt.Tolerance * math.Abs(target)
		lo, hi := target-d, target+d
		f := fmtr{unit: e.tf.unit, dec: max(e.tf.dec, decimals(lo), decimals(hi))}
		s += " (" + num(l, lo, f.dec) + "–" + f.q(l, hi) + ")"
	}
	return s
}

// byYear is " år 2020" / " by 2020", or "" without a target year.
func byYear(l lang, ty int) string {
	if ty == 0 {
		return ""
	}
	return tr(l, " år ", " by ") + year(ty)
}

// threshold judges "minst 10 % år 2020": Open SDG's methodology 2 before
// the target year, a final verdict once the target year's value is in.
func (e *evaluator) threshold() {
	t := e.t
	cmp, target, ok := e.levelTarget()
	if !ok {
		return
	}
	in := &e.res.Inputs
	dir := in.Direction
	win := e.window()
	if len(win) == 0 {
		e.noData()
		return
	}
	base, latest := win[0], win[len(win)-1]
	in.BaseYear, in.BaseValue = base.Year, ptr(base.Value)
	in.LatestYear, in.LatestValue = latest.Year, ptr(latest.Value)
	if t.TargetYear > 0 && latest.Year >= t.TargetYear {
		e.thresholdFinal(win, cmp, target)
		return
	}
	e.targetYearMissing(latest)

	if e.shortfall(cmp, latest.Value, target) <= 0 {
		// met before the deadline: Open SDG's target_achieved, even from a
		// single point
		e.done(Achieved, MethodMet, ptr(5), both(func(l lang) string {
			subj, _ := noun(l, t.Unit)
			lead := capital(subj) + tr(l, " var ", " was ") + e.f.q(l, latest.Value) + tr(l, " år ", " in ") + year(latest.Year)
			if len(win) > 1 {
				lead = e.f.change(l, subj, base, latest)
			}
			return lead + tr(l, "; målet är ", "; the target is ") + e.targetPhrase(l, cmp, target) + byYear(l, t.TargetYear)
		}), Text{})
		return
	}
	if cmp == About {
		// aim from the base towards the band; from a base on the target,
		// towards it from where the series is now
		switch {
		case target > base.Value:
			dir = 1
		case target < base.Value:
			dir = -1
		case target > latest.Value:
			dir = 1
		default:
			dir = -1
		}
		if float64(dir)*(latest.Value-target) > 0 {
			// passed through the band: growth now points away from the
			// target, so R would mislead
			in.Direction = dir
			e.done(LimitedProgress, MethodOvershoot, nil, both(func(l lang) string {
				subj, _ := noun(l, t.Unit)
				return e.f.change(l, subj, base, latest) + tr(l, "; målet är ", "; the target is ") + e.targetPhrase(l, cmp, target) + byYear(l, t.TargetYear)
			}), Text{SV: "värdet har passerat förbi målet", EN: "the value has gone past the target"})
			return
		}
	}
	in.Direction = dir
	if t.TargetYear == 0 {
		// no deadline, so no required growth: judge the direction alone
		e.growthMethod(win, dir, func(l lang) string {
			return tr(l, "målet är ", "the target is ") + e.targetPhrase(l, cmp, target)
		})
		return
	}
	if len(win) < 2 {
		e.oneValue(latest)
		return
	}
	// here base.Year ≤ latest.Year < TargetYear, so required growth is
	// defined
	b0, substituted := e.nonZeroBase(base.Value)
	if b0*latest.Value < 0 {
		e.signsDiffer(base, latest)
		return
	}
	tv := target
	if tv == 0 {
		tv = zeroStandIn
	}
	if b0*tv < 0 {
		e.cannot(MethodNone, both(func(l lang) string {
			return tr(l, "Basvärdet och målvärdet har olika tecken (", "The base and target values have different signs (") +
				e.f.q(l, base.Value) + ", " + e.tf.q(l, target) + tr(l, "), så den nödvändiga takten kan inte beräknas", "), so the required growth cannot be computed")
		}))
		return
	}
	obs := growth(latest.Value, b0, latest.Year, base.Year)
	req := growth(tv, b0, t.TargetYear, base.Year)
	in.ObservedGrowth, in.RequiredGrowth = ptr(obs), ptr(req)
	var rate *float64
	if !substituted {
		rate = ptr(obs)
	}
	proj := projection(win, t.TargetYear, "value", rate)
	e.res.Projection = proj

	var st Status
	var score float64
	var extra Text
	if req == 0 {
		// base on the target and the latest value off it: any movement is
		// away from it (R would be −∞; Open SDG's score clamps to −5)
		st, score = Deterioration, -5
		extra = Text{SV: "utvecklingen går åt fel håll", EN: "the series is moving the wrong way"}
	} else {
		r := targetRatio(obs, req, b0, dir)
		in.Ratio = ptr(r)
		st, score = ratioStatus(r), ratioScore(r)
		if r >= 0 {
			extra = both(func(l lang) string {
				return tr(l, "takten är ", "the pace is ") + pct(l, r, 0) + tr(l, " av den som behövs", " of what is needed")
			})
		} else {
			extra = Text{SV: "utvecklingen går åt fel håll", EN: "the series is moving the wrong way"}
		}
	}
	e.done(st, MethodTarget, ptr(score), both(func(l lang) string {
		subj, pron := noun(l, t.Unit)
		s := e.f.change(l, subj, base, latest) + ". "
		if ps := e.projSentence(l, proj, pron); ps != "" {
			s += ps + "; " + tr(l, "målet är ", "the target is ")
		} else {
			s += tr(l, "Målet är ", "The target is ")
		}
		return s + e.targetPhrase(l, cmp, target) + byYear(l, t.TargetYear)
	}), extra)
}

// nonZeroBase replaces a base of 0 by Open SDG's 0.001, with a note.
func (e *evaluator) nonZeroBase(v float64) (float64, bool) {
	if v != 0 {
		return v, false
	}
	e.note(Text{
		SV: "Basvärdet är 0; tillväxten beräknas från 0,001 i stället, som i Open SDG.",
		EN: "The base value is 0; growth is computed from 0.001 instead, as in Open SDG.",
	})
	return zeroStandIn, true
}

// targetYearMissing notes a target year that has passed without a value.
func (e *evaluator) targetYearMissing(latest Point) {
	ty := e.t.TargetYear
	if ty > 0 && e.opt.EvaluationYear >= ty && latest.Year < ty {
		e.note(Text{
			SV: "Värde för målåret " + year(ty) + " saknas; bedömningen bygger på utvecklingen fram till " + year(latest.Year) + ".",
			EN: "There is no value for the target year " + year(ty) + "; the assessment rests on the trend up to " + year(latest.Year) + ".",
		})
	}
}

// judged returns the point a final verdict is on: the target year's, or
// the first after it when that year is missing (with a note).
func (e *evaluator) judged(pts []Point) Point {
	ty := e.t.TargetYear
	for _, p := range pts {
		if p.Year >= ty {
			if p.Year != ty {
				e.note(Text{
					SV: "Värde för målåret " + year(ty) + " saknas; första året därefter med värde (" + year(p.Year) + ") bedöms.",
					EN: "The target year " + year(ty) + " has no value; the first later year with a value (" + year(p.Year) + ") is judged.",
				})
			}
			return p
		}
	}
	return pts[len(pts)-1] // unreachable: callers check the latest year
}

// thresholdFinal judges the target year's value: achieved or not, and by
// how much.
func (e *evaluator) thresholdFinal(win []Point, cmp Comparator, target float64) {
	p := e.judged(win)
	in := &e.res.Inputs
	in.JudgedYear, in.JudgedValue = p.Year, ptr(p.Value)
	d := p.Value - target
	in.Difference = ptr(d)
	st := NotAchieved
	if e.shortfall(cmp, p.Value, target) <= 0 {
		st = Achieved
	}
	e.done(st, MethodFinal, nil, both(func(l lang) string {
		subj, _ := noun(l, e.t.Unit)
		lead := "År " + year(p.Year) + " var " + subj + " "
		if l == en {
			lead = "In " + year(p.Year) + " " + subj + " was "
		}
		return lead + e.f.q(l, p.Value) + ", " + e.offTarget(l, d, target) +
			tr(l, ", som var ", ", which was ") + e.targetPhrase(l, cmp, target) + byYear(l, e.t.TargetYear)
	}), Text{})
}

// offTarget says how far a value is from the target: "2,3 procentenheter
// under målet" for percentages, "45 personer (15 %) under målet" otherwise.
func (e *evaluator) offTarget(l lang, d, target float64) string {
	if e.df.roundsToZero(d) {
		return tr(l, "i nivå med målet", "level with the target")
	}
	s := e.df.diff(l, math.Abs(d))
	if e.df.unit != "%" && target != 0 {
		rel := math.Round(1000*math.Abs(d/target)) / 10
		s += " (" + pct(l, rel/100, i18n.Decimals(rel)) + ")"
	}
	if d < 0 {
		return s + tr(l, " under målet", " below the target")
	}
	return s + tr(l, " över målet", " above the target")
}

// direction judges "ska öka" / "ska minska": Open SDG's methodology 1
// with a noise band before the target year (or without one), a final
// verdict once the target year's value is in.
func (e *evaluator) direction() {
	dir, ok := e.wantedDirection()
	if !ok {
		return
	}
	in := &e.res.Inputs
	win := e.window()
	if len(win) == 0 {
		e.noData()
		return
	}
	base, latest := win[0], win[len(win)-1]
	in.BaseYear, in.BaseValue = base.Year, ptr(base.Value)
	in.LatestYear, in.LatestValue = latest.Year, ptr(latest.Value)
	ty := e.t.TargetYear
	if ty > 0 && ty <= base.Year {
		e.cannot(MethodNone, Text{
			SV: "Målåret " + year(ty) + " ligger inte efter basåret " + year(base.Year) + ".",
			EN: "The target year " + year(ty) + " is not after the base year " + year(base.Year) + ".",
		})
		return
	}
	if ty > 0 && latest.Year >= ty {
		e.directionFinal(win, dir)
		return
	}
	e.targetYearMissing(latest)
	if len(win) < 2 {
		e.oneValue(latest)
		return
	}
	e.growthMethod(win, dir, func(l lang) string {
		_, pron := noun(l, e.t.Unit)
		return tr(l, "målet är att "+pron+" ska ", "the target is for "+pron+" to ") + wantVerb(l, dir) + byYearTill(l, ty)
	})
}

func wantVerb(l lang, dir int) string {
	if dir > 0 {
		return tr(l, "öka", "increase")
	}
	return tr(l, "minska", "decrease")
}

func byYearTill(l lang, ty int) string {
	if ty == 0 {
		return ""
	}
	return tr(l, " till år ", " by ") + year(ty)
}

// withinNoise reports whether a change d from base is inside the noise
// band; a band of 0 (switched off) holds nothing, leaving Open SDG's rule.
func (e *evaluator) withinNoise(d, base float64) bool {
	return e.opt.NoiseBand > 0 && math.Abs(d) <= e.opt.NoiseBand*math.Abs(base)
}

// noiseText is ", inom brusgränsen ±1 %".
func (e *evaluator) noiseText(l lang) string {
	return tr(l, ", inom brusgränsen ±", ", within the noise band of ±") + pct(l, e.opt.NoiseBand, i18n.Decimals(100*e.opt.NoiseBand))
}

// growthMethod is Open SDG's methodology 1 on win (at least two points):
// the signed compound growth against 1.5 % / 0.5 % / 0, scaled near a
// natural limit, after a noise-band check that keeps a flat series from
// being called progress. want completes the sentence with the target.
func (e *evaluator) growthMethod(win []Point, dir int, want func(l lang) string) {
	in := &e.res.Inputs
	base, latest := win[0], win[len(win)-1]
	if len(win) < 2 {
		e.oneValue(latest)
		return
	}
	b0, substituted := e.nonZeroBase(base.Value)
	if b0*latest.Value < 0 {
		e.signsDiffer(base, latest)
		return
	}
	obs := growth(latest.Value, b0, latest.Year, base.Year)
	v := sign(b0) * float64(dir) * obs
	in.ObservedGrowth = ptr(obs)
	c := 1.0
	if lim := e.limit(dir); lim != nil {
		c = limitCoefficient(b0, *lim)
		in.Limit, in.LimitCoefficient = ptr(*lim), ptr(c)
	}
	var rate *float64
	if !substituted {
		rate = ptr(obs)
	}
	proj := projection(win, e.t.TargetYear, "value", rate)
	e.res.Projection = proj

	atLimit := c == 0 && v >= 0
	flat := !atLimit && e.withinNoise(latest.Value-base.Value, base.Value)
	body := func(l lang) string {
		subj, pron := noun(l, e.t.Unit)
		s := e.f.change(l, subj, base, latest)
		switch {
		case flat:
			s += e.noiseText(l)
		case latest.Value != base.Value:
			s += ", " + pct(l, obs, 1) + tr(l, " per år", " a year")
		}
		s += "; " + want(l)
		if ps := e.projSentence(l, proj, pron); ps != "" {
			s += ". " + ps
		}
		return s
	}
	switch {
	case atLimit:
		// at the natural limit and holding it: nothing more to gain
		e.done(OnTrack, MethodGrowth, ptr(growthScore(v, c)), both(body), Text{SV: "värdet är vid sin gräns", EN: "the value is at its limit"})
	case flat:
		e.done(LimitedProgress, MethodNoise, nil, both(body), Text{})
	default:
		e.done(growthStatus(v, c), MethodGrowth, ptr(growthScore(v, c)), both(body), Text{})
	}
}

// limit is the natural limit for methodology 1: the option, else 100 for
// a percentage that should rise (a falling percentage has its floor at 0,
// where Open SDG's coefficient is 1 anyway).
func (e *evaluator) limit(dir int) *float64 {
	if e.opt.Limit != nil {
		return e.opt.Limit
	}
	if e.f.unit == "%" && dir > 0 {
		return ptr(100)
	}
	return nil
}

// directionFinal: after the target year a direction target is achieved
// when the target year's value has moved beyond the noise band the wanted
// way from the base.
func (e *evaluator) directionFinal(win []Point, dir int) {
	base := win[0]
	p := e.judged(win)
	in := &e.res.Inputs
	in.JudgedYear, in.JudgedValue = p.Year, ptr(p.Value)
	d := p.Value - base.Value
	in.Difference = ptr(d)
	beyond := float64(dir)*d > e.opt.NoiseBand*math.Abs(base.Value)
	st := NotAchieved
	if beyond {
		st = Achieved
	}
	flat := e.withinNoise(d, base.Value)
	e.done(st, MethodFinal, nil, both(func(l lang) string {
		subj, pron := noun(l, e.t.Unit)
		s := e.f.change(l, subj, base, p)
		if flat {
			s += e.noiseText(l)
		}
		return s + tr(l, "; målet var att "+pron+" skulle ", "; the target was for "+pron+" to ") + wantVerb(l, dir) + byYearTill(l, e.t.TargetYear)
	}), Text{})
}
