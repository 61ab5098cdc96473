package progress

import (
	"math"
	"slices"
	"strconv"
	"strings"
)

// perYearWindow is how many of the latest years with data decide a per-year
// status: one year is luck, three show a pattern without reaching back
// past the current plan period.
const perYearWindow = 3

// perYear judges "minst 300 per år". Every year from the base year on is
// met or not (years without data are skipped, not counted as misses).
//
// Before the target year the last three years with data decide:
//   - all three met → achieved;
//   - the latest met → on_track;
//   - only one year, not met → limited_progress (no trend to read);
//   - the latest not met: its shortfall against the year before shrank by
//     more than the noise band (of the target) → acceleration_needed;
//     changed within the band → limited_progress; grew → deterioration.
//
// Once the target year's value is in, the target is achieved when every
// year of the period met it: base year to target year, or without a base
// year the last three years up to the target year.
func (e *evaluator) perYear() {
	t := e.t
	cmp, target, ok := e.levelTarget()
	if !ok {
		return
	}
	in := &e.res.Inputs
	win := e.pts
	if t.BaseYear > 0 {
		i, _ := slices.BinarySearchFunc(win, t.BaseYear, func(p Point, y int) int { return p.Year - y })
		win = win[i:]
	}
	if len(win) == 0 {
		e.noData()
		return
	}
	years := make([]YearMet, len(win))
	for i, p := range win {
		s := e.shortfall(cmp, p.Value, target)
		years[i] = YearMet{Year: p.Year, Value: p.Value, Met: s <= 0, Shortfall: s}
	}
	in.PerYear = years
	latest := years[len(years)-1]
	in.BaseYear, in.BaseValue = win[0].Year, ptr(win[0].Value)
	in.LatestYear, in.LatestValue = latest.Year, ptr(latest.Value)
	want := func(l lang) string {
		return e.targetPhrase(l, cmp, target) + tr(l, " per år", " a year")
	}

	ty := t.TargetYear
	if ty > 0 && latest.Year >= ty {
		period := years
		if i := slices.IndexFunc(years, func(y YearMet) bool { return y.Year > ty }); i >= 0 {
			period = years[:i]
		}
		if len(period) == 0 { // data start after the target year
			period = years[:1]
			e.note(Text{
				SV: "Värden saknas till och med målåret " + year(ty) + "; första året därefter (" + year(period[0].Year) + ") bedöms.",
				EN: "There are no values up to the target year " + year(ty) + "; the first later year (" + year(period[0].Year) + ") is judged.",
			})
		} else if t.BaseYear == 0 {
			period = period[max(0, len(period)-perYearWindow):]
		}
		st := Achieved
		for _, y := range period {
			if !y.Met {
				st = NotAchieved
			}
		}
		e.done(st, MethodFinal, nil, both(func(l lang) string {
			return e.perYearSentence(l, want(l), period, true)
		}), Text{})
		return
	}
	e.targetYearMissing(Point{latest.Year, latest.Value})

	last := years[max(0, len(years)-perYearWindow):]
	n := len(last)
	allMet := true
	for _, y := range last {
		allMet = allMet && y.Met
	}
	var st Status
	var extra Text
	switch {
	case allMet && n == perYearWindow:
		st = Achieved
	case latest.Met:
		st = OnTrack
	case n == 1:
		st = LimitedProgress
		extra = Text{SV: "bara ett år med värde", EN: "only one year with a value"}
	default:
		prev := last[n-2]
		delta := latest.Shortfall - prev.Shortfall
		band := e.opt.NoiseBand * math.Abs(target)
		switch {
		case delta < -band:
			st = AccelerationNeeded
			extra = both(func(l lang) string {
				return tr(l, "underskottet minskade från ", "the shortfall shrank from ") + e.df.short(l, prev.Shortfall) + tr(l, " till ", " to ") + e.df.diff(l, latest.Shortfall)
			})
		case delta > band && prev.Met:
			st = Deterioration
			extra = Text{
				SV: "målet nåddes " + year(prev.Year) + " men inte " + year(latest.Year),
				EN: "met in " + year(prev.Year) + " but not in " + year(latest.Year),
			}
		case delta > band:
			st = Deterioration
			extra = both(func(l lang) string {
				return tr(l, "underskottet ökade från ", "the shortfall grew from ") + e.df.short(l, prev.Shortfall) + tr(l, " till ", " to ") + e.df.diff(l, latest.Shortfall)
			})
		default:
			st = LimitedProgress
			extra = both(func(l lang) string {
				return tr(l, "underskottet är i stort sett oförändrat, ", "the shortfall is about the same, ") + e.df.diff(l, latest.Shortfall)
			})
		}
	}
	e.done(st, MethodPerYear, nil, both(func(l lang) string {
		return e.perYearSentence(l, want(l), last, false)
	}), extra)
}

// perYearSentence: "Målet minst 300 per år nåddes 2 av de 3 senaste åren
// med värden (2021: 310, 2022: 280, 2023: 305)".
func (e *evaluator) perYearSentence(l lang, want string, ys []YearMet, final bool) string {
	met := 0
	var list strings.Builder
	for i, y := range ys {
		if y.Met {
			met++
		}
		if i > 0 {
			list.WriteString(", ")
		}
		list.WriteString(year(y.Year) + ": " + e.f.short(l, y.Value))
	}
	s := tr(l, "Målet ", "The target of ") + want
	if len(ys) == 1 {
		y := ys[0]
		if y.Met {
			return s + tr(l, " nåddes ", " was met in ") + year(y.Year) + " (" + e.f.q(l, y.Value) + ")"
		}
		return s + tr(l, " nåddes inte ", " was not met in ") + year(y.Year) + " (" + e.f.q(l, y.Value) + ")"
	}
	k, n := strconv.Itoa(met), strconv.Itoa(len(ys))
	if final {
		span := year(ys[0].Year) + "–" + year(ys[len(ys)-1].Year)
		return s + tr(l, " nåddes "+k+" av "+n+" år med värden "+span, " was met in "+k+" of "+n+" years with values, "+span) + " (" + list.String() + ")"
	}
	return s + tr(l, " nåddes "+k+" av de "+n+" senaste åren med värden", " was met in "+k+" of the last "+n+" years with values") + " (" + list.String() + ")"
}
