package progress

import (
	"math"
	"slices"
)

// relative judges "högst samma nivå som inrikes födda": the gap between the
// series and the reference series in the years both have, from the base
// year on. Value is the allowed difference (nil = 0) in the unfavourable
// direction: below the reference for at_least, above it for at_most.
//
//   - the latest gap within the allowed difference → achieved;
//   - once the target year is in: achieved or not_achieved on that year;
//   - otherwise the least-squares trend of the gap over the last five
//     common years: a change over the fitted span within the noise band
//     (of the reference's level) → limited_progress; widening →
//     deterioration; narrowing and projected within the allowed difference
//     by the target year → on_track (with no target year: on_track);
//     narrowing but not enough → acceleration_needed.
//
// The trend needs two common years; the shown projection, like all
// projections, three.
func (e *evaluator) relative() {
	dir, ok := e.wantedDirection()
	if !ok {
		return
	}
	in := &e.res.Inputs
	allowed := 0.0
	if e.t.Value != nil {
		allowed = math.Abs(*e.t.Value)
	}
	in.Allowed = ptr(allowed)
	if len(e.ref) == 0 {
		e.cannot(MethodNone, Text{SV: "Jämförelseserien saknar värden.", EN: "The reference series has no values."})
		return
	}
	// common years, from the base year on
	type pair struct {
		year   int
		s, r   float64
		gapVal float64
	}
	var pairs []pair
	i, j := 0, 0
	for i < len(e.pts) && j < len(e.ref) {
		a, b := e.pts[i], e.ref[j]
		switch {
		case a.Year < b.Year:
			i++
		case a.Year > b.Year:
			j++
		default:
			if a.Year >= e.t.BaseYear {
				pairs = append(pairs, pair{a.Year, a.Value, b.Value, a.Value - b.Value})
			}
			i++
			j++
		}
	}
	if len(pairs) == 0 {
		e.cannot(MethodNone, Text{
			SV: "Serien och jämförelseserien har inget gemensamt år med värden.",
			EN: "The series and the reference series have no year with values in common.",
		})
		return
	}
	gap := make([]Point, len(pairs))
	for k, p := range pairs {
		gap[k] = Point{p.year, p.gapVal}
	}
	in.Gap = gap
	first, latest := pairs[0], pairs[len(pairs)-1]
	in.BaseYear, in.BaseValue = first.year, ptr(first.s)
	in.LatestYear, in.LatestValue = latest.year, ptr(latest.s)
	// unfavourable difference: how far the series lags the reference
	unfav := func(g float64) float64 { return -float64(dir) * g }
	closed := func(g float64) bool { return unfav(g) <= allowed }

	subjectAt := func(l lang, p pair) string {
		subj, _ := noun(l, e.t.Unit)
		if l == en {
			return "In " + year(p.year) + " " + subj + " was " + e.position(l, p.gapVal, true)
		}
		return "År " + year(p.year) + " låg " + subj + " " + e.position(l, p.gapVal, true)
	}
	history := func(l lang) string {
		if len(pairs) < 2 {
			return ""
		}
		return " (" + year(first.year) + ": " + e.position(l, first.gapVal, false) + ")"
	}
	goal := func(l lang, past bool) string {
		w := tr(l, "; målet är ", "; the target is ")
		if past {
			w = tr(l, "; målet var ", "; the target was ")
		}
		return w + e.relPhrase(l, dir, allowed) + byYear(l, e.t.TargetYear)
	}

	ty := e.t.TargetYear
	if ty > 0 && latest.year >= ty {
		k := slices.IndexFunc(pairs, func(p pair) bool { return p.year >= ty })
		p := pairs[k]
		if p.year != ty {
			e.note(Text{
				SV: "Gemensamt värde för målåret " + year(ty) + " saknas; första året därefter (" + year(p.year) + ") bedöms.",
				EN: "The target year " + year(ty) + " has no common value; the first later year (" + year(p.year) + ") is judged.",
			})
		}
		in.JudgedYear, in.JudgedValue = p.year, ptr(p.gapVal)
		in.Difference = ptr(unfav(p.gapVal) - allowed)
		st := NotAchieved
		if closed(p.gapVal) {
			st = Achieved
		}
		e.done(st, MethodFinal, nil, both(func(l lang) string {
			return subjectAt(l, p) + history(l) + goal(l, true)
		}), Text{})
		return
	}
	e.targetYearMissing(Point{latest.year, latest.s})
	if closed(latest.gapVal) {
		e.done(Achieved, MethodRelative, nil, both(func(l lang) string {
			return subjectAt(l, latest) + history(l) + goal(l, false)
		}), Text{})
		return
	}
	if len(pairs) < 2 {
		e.cannot(MethodNone, both(func(l lang) string {
			return subjectAt(l, latest) + tr(l, "; minst två gemensamma år behövs för en trend", "; at least two common years are needed for a trend")
		}))
		return
	}
	fit := lastN(gap, projectionPoints)
	ln := fitLine(fit)
	in.GapTrend = ptr(ln.slope)
	proj := projection(gap, ty, "gap", nil)
	e.res.Projection = proj
	span := float64(fit[len(fit)-1].Year - fit[0].Year)
	level := math.Abs(latest.r)
	if level == 0 {
		level = math.Abs(latest.s)
	}
	// widening > 0: the unfavourable difference grows
	widening := -float64(dir) * ln.slope

	var st Status
	switch {
	case math.Abs(ln.slope)*span <= e.opt.NoiseBand*level:
		st = LimitedProgress
	case widening > 0:
		st = Deterioration
	case ty == 0 || closed(ln.at(ty)):
		st = OnTrack
	default:
		st = AccelerationNeeded
	}
	extra := both(func(l lang) string {
		if st == LimitedProgress {
			return tr(l, "skillnaden är i stort sett oförändrad", "the gap is about the same")
		}
		per := fmtr{unit: e.f.unit, dec: min(e.f.dec+1, 2)}
		amount := per.diff(l, math.Abs(ln.slope)) + tr(l, " per år", " a year")
		if widening > 0 {
			return tr(l, "skillnaden växer med ", "the gap widens by ") + amount
		}
		return tr(l, "skillnaden minskar med ", "the gap narrows by ") + amount
	})
	e.done(st, MethodRelative, nil, both(func(l lang) string {
		s := subjectAt(l, latest) + history(l) + goal(l, false)
		switch {
		case proj == nil:
		case proj.Note != nil:
			s += ". " + tr(l, proj.Note.SV, proj.Note.EN)
		default:
			_, pron := noun(l, e.t.Unit)
			s += tr(l, ". Med linjär trend ligger "+pron+" ", ". On the linear trend "+pron+" will be ") +
				e.position(l, *proj.Linear, true) + tr(l, " år ", " in ") + year(proj.Year)
		}
		return s
	}), extra)
}

// position places a gap: "25 procentenheter under jämförelseserien" (long)
// or "25 procentenheter under" (short).
func (e *evaluator) position(l lang, g float64, long bool) string {
	if e.f.roundsToZero(g) {
		if long {
			return tr(l, "i nivå med jämförelseserien", "level with the reference series")
		}
		return tr(l, "i nivå", "level")
	}
	s := e.f.diff(l, math.Abs(g))
	if g < 0 {
		s += tr(l, " under", " below")
	} else {
		s += tr(l, " över", " above")
	}
	if long {
		s += tr(l, " jämförelseserien", " the reference series")
	}
	return s
}

// relPhrase states a relative target: "minst samma nivå som
// jämförelseserien", "högst 2 procentenheter över jämförelseserien".
func (e *evaluator) relPhrase(l lang, dir int, allowed float64) string {
	if allowed == 0 {
		if dir > 0 {
			return tr(l, "minst samma nivå som jämförelseserien", "at least the level of the reference series")
		}
		return tr(l, "högst samma nivå som jämförelseserien", "at most the level of the reference series")
	}
	s := tr(l, "högst ", "at most ") + e.tf.diff(l, allowed)
	if dir > 0 {
		return s + tr(l, " under jämförelseserien", " below the reference series")
	}
	return s + tr(l, " över jämförelseserien", " above the reference series")
}
