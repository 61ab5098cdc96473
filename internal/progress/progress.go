// Package progress evaluates targets: given a target, its series and the
// options of a follow-up, it returns a status, a score for roll-ups, the
// inputs behind the verdict and an explanation in Swedish and English.
//
// The core is Statistics Canada's progress measure as Open SDG implements it
// (sdg-build, sdg/ProgressMeasure.py: growth_calculation, methodology_1,
// methodology_2, the limit coefficient and the −5..+5 series score). The code
// here is our own, written from that description; the thresholds, the limit
// exponent 4.44 and the score lines are Open SDG's so that our verdicts agree
// with theirs on the same data. Credit: Statistics Canada and the Open SDG
// project (open-sdg/sdg-build, MIT licence).
//
// Rules by kind (details in the code's comments and the tests):
//
//   - threshold ("minst 10 % år 2020"): once the target year's value is in
//     (or the first later one), achieved or not_achieved and by how much;
//     before, achieved if the latest value meets the target, else Open
//     SDG's methodology 2 from the base (BaseYear/BaseValue, else the first
//     point): R = observed/required compound growth, ≥ 0.95 on_track,
//     0.60–0.95 acceleration_needed, 0–0.60 limited_progress, < 0
//     deterioration. "about" is met within Options.Tolerance of the
//     target; a series that passes through the band is limited_progress.
//   - direction ("ska öka"): after the target year, achieved when the value
//     moved beyond the noise band the wanted way; before, a change within
//     Options.NoiseBand is limited_progress, otherwise Open SDG's
//     methodology 1 (signed growth against 1.5 % / 0.5 % / 0, scaled near
//     a natural limit).
//   - per_year ("minst 300 per år"): each year met or not, and the last
//     three years with data decide: all met → achieved; the latest met →
//     on_track; the latest missed with its shortfall against the year
//     before shrinking by more than the noise band (of the target) →
//     acceleration_needed, about the same → limited_progress, growing →
//     deterioration; a single missed year → limited_progress. After the
//     target year: achieved if every year of the period met it (base year
//     to target year, else the last three).
//   - relative ("högst samma nivå som inrikes födda"; Value is the allowed
//     difference): the gap series − reference over the years both have.
//     Within the allowed difference → achieved; after the target year
//     achieved or not_achieved; otherwise the least-squares slope over the
//     last five common years: a change within the noise band (of the
//     reference's level) → limited_progress, widening → deterioration,
//     narrowing and the line within the allowed difference by the target
//     year (or no target year) → on_track, narrowing too slowly →
//     acceleration_needed.
//   - qualitative: cannot_assess unless overridden with a justification.
//
// Growth needs two points with values of one sign (0 is replaced by 0.001);
// projections need three. Every result carries its inputs, a projection to
// the target year where one is ahead, per-gender results when the series
// has K and M, and an override beside the computed verdict.
//
// The package does no I/O and imports nothing of ours but i18n; a thin
// adapter elsewhere maps strategy.Target onto Target.
package progress

// Kind is how a target is stated; the values are strategy.TargetKind's.
type Kind string

// Target kinds.
const (
	Threshold   Kind = "threshold"   // a value to reach by a year: "minst 10 % år 2020"
	PerYear     Kind = "per_year"    // an amount every year: "minst 300 per år"
	Direction   Kind = "direction"   // "ska öka", "ska minska"
	Relative    Kind = "relative"    // against a reference series: "högst samma nivå som inrikes födda"
	Qualitative Kind = "qualitative" // no series; judged by hand
)

// Comparator is the relation a target demands; the values are
// strategy.Comparator's.
type Comparator string

// Comparators.
const (
	AtLeast  Comparator = "at_least" // minst
	AtMost   Comparator = "at_most"  // högst
	About    Comparator = "about"    // cirka: within Options.Tolerance
	Increase Comparator = "increase" // ska öka
	Decrease Comparator = "decrease" // ska minska
)

// Genders as the series map keys them: total, kvinnor, män.
const (
	Total = "T"
	Women = "K"
	Men   = "M"
)

// Point is one observed value. A missing year is absent, never 0.
type Point struct {
	Year  int     `json:"year"`
	Value float64 `json:"value"`
}

// Series holds an indicator's points by gender ("T", "K", "M"), each sorted
// by year with one point per year. Unsorted input is tolerated (sorted on a
// copy); NaN and infinite values are dropped as missing.
type Series map[string][]Point

// Target is what progress needs of a strategy target.
type Target struct {
	Kind       Kind       `json:"kind"`
	Comparator Comparator `json:"comparator,omitempty"`
	// Value is the target value; for relative targets the allowed
	// difference from the reference (nil = 0); nil for direction targets.
	// Relative targets take at_least or at_most, direction targets
	// increase or decrease; threshold and per-year targets at_least,
	// at_most or about (increase/decrease read as at_least/at_most).
	Value *float64 `json:"value"`
	// Unit is the indicator's unit; "%" makes differences percentage
	// points and gives growth a natural limit of 100.
	Unit string `json:"unit,omitempty"`
	// BaseYear starts the measured period (0 = the first year with data).
	// BaseValue, given with BaseYear, is the value the document states for
	// that year and replaces the series' value there.
	BaseYear   int      `json:"base_year,omitempty"`
	BaseValue  *float64 `json:"base_value,omitempty"`
	TargetYear int      `json:"target_year,omitempty"` // 0 = no deadline
	Gender     string   `json:"gender,omitempty"`      // "" = T
}

// Options tune an evaluation. The zero value gives the defaults.
type Options struct {
	// EvaluationYear is the year the follow-up is made for; later points
	// are ignored. 0 = the latest year with data.
	EvaluationYear int `json:"evaluation_year,omitempty"`
	// NoiseBand is the relative change treated as no change (0 = 1 %,
	// negative = none), so that a flat series is not called progress.
	NoiseBand float64 `json:"noise_band,omitempty"`
	// Tolerance is how near an "about" target counts as met, relative to
	// the target (0 = 5 %, negative = exact).
	Tolerance float64 `json:"tolerance,omitempty"`
	// Limit is the natural ceiling or floor used to scale growth
	// thresholds when there is no target value. nil: 100 when the unit is
	// "%" and the wanted direction is up, otherwise none.
	Limit *float64 `json:"limit,omitempty"`
}

// Defaults for Options.
const (
	DefaultNoiseBand = 0.01
	DefaultTolerance = 0.05
)

// Override is a status set by hand. It applies only with a justification;
// the computed result is kept beside it.
type Override struct {
	Status        Status `json:"status"`
	Justification string `json:"justification"`
	By            string `json:"by,omitempty"`
	On            string `json:"on,omitempty"` // ISO date
}

// Input is everything Evaluate needs for one target.
type Input struct {
	Target    Target
	Series    Series
	Reference Series // the comparison series of a relative target
	Override  *Override
	Options   Options
}

// Text is a sentence in Swedish and English.
type Text struct {
	SV string `json:"sv"`
	EN string `json:"en"`
}

// Method names the rule that produced a computed status, so that a reader
// of the API knows which inputs matter.
type Method string

// Methods.
const (
	MethodNone        Method = "none"           // nothing could be computed
	MethodTarget      Method = "osdg_target"    // Open SDG methodology 2: R = observed / required growth
	MethodGrowth      Method = "osdg_growth"    // Open SDG methodology 1: signed growth, no target value
	MethodNoise       Method = "noise_band"     // change within the noise band: no progress claimed
	MethodMet         Method = "target_met"     // the latest value meets the target before the target year
	MethodFinal       Method = "final"          // the target year's value is in: achieved or not
	MethodPerYear     Method = "per_year"       // amounts per year, last three years
	MethodRelative    Method = "relative_gap"   // the gap to a reference series and its trend
	MethodQualitative Method = "qualitative"    // no series
	MethodOvershoot   Method = "about_overshot" // an "about" target passed beyond its band
)

// Result is the verdict on one target with everything behind it.
type Result struct {
	// Status is the effective status: the override's when one applies.
	Status Status `json:"status"`
	// Computed is what the data say, kept when overridden.
	Computed Status `json:"computed_status"`
	// Score (−5..+5) is the effective score for roll-ups; nil when the
	// status cannot be assessed.
	Score         *float64 `json:"score"`
	ComputedScore *float64 `json:"computed_score"`
	Method        Method   `json:"method"`
	Gender        string   `json:"gender"`
	// Explanation states the verdict and its inputs in a sentence or two
	// (plus the override, if any).
	Explanation Text `json:"explanation"`
	// ComputedExplanation is the sentence on the data alone; it differs
	// from Explanation only when an override adds its own sentence.
	ComputedExplanation Text `json:"computed_explanation"`
	// Notes are caveats: a moved base year, a missing target-year value,
	// an override ignored.
	Notes      []Text      `json:"notes,omitempty"`
	Override   *Override   `json:"override,omitempty"`
	Inputs     Inputs      `json:"inputs"`
	Projection *Projection `json:"projection,omitempty"`
	// Women and Men are full results for K and M when the target is on the
	// total and the series has both; GenderGap compares them.
	Women     *Result    `json:"women,omitempty"`
	Men       *Result    `json:"men,omitempty"`
	GenderGap *GenderGap `json:"gender_gap,omitempty"`
}

// Inputs are the numbers a verdict rests on; fields a method does not use
// are left zero or nil.
type Inputs struct {
	EvaluationYear int        `json:"evaluation_year"`
	Comparator     Comparator `json:"comparator,omitempty"`
	// Direction is +1 when higher values are wanted, −1 when lower; for
	// "about" targets it is set from the data (towards the target), 0
	// until known.
	Direction   int      `json:"direction,omitempty"`
	BaseYear    int      `json:"base_year,omitempty"`
	BaseValue   *float64 `json:"base_value"`
	LatestYear  int      `json:"latest_year,omitempty"`
	LatestValue *float64 `json:"latest_value"`
	TargetValue *float64 `json:"target_value"`
	TargetYear  int      `json:"target_year,omitempty"`
	// ObservedGrowth is the compound annual growth from base to latest;
	// RequiredGrowth from base to target; Ratio is Open SDG's R.
	ObservedGrowth *float64 `json:"observed_growth"`
	RequiredGrowth *float64 `json:"required_growth"`
	Ratio          *float64 `json:"ratio"`
	// Limit and LimitCoefficient scale the no-target thresholds.
	Limit            *float64 `json:"limit"`
	LimitCoefficient *float64 `json:"limit_coefficient"`
	NoiseBand        float64  `json:"noise_band"`
	Tolerance        float64  `json:"tolerance"`
	// JudgedYear/JudgedValue are what a final verdict is on (the target
	// year's value, or the first after it; the gap for relative targets).
	// Difference is that value minus the target (threshold), minus the
	// base (direction), or the gap beyond the allowed difference in the
	// unfavourable direction (relative; ≤ 0 is met).
	JudgedYear  int      `json:"judged_year,omitempty"`
	JudgedValue *float64 `json:"judged_value"`
	Difference  *float64 `json:"difference"`
	// PerYear lists each year of a per-year target, met or not.
	PerYear []YearMet `json:"per_year,omitempty"`
	// Gap is series − reference for the years both have; GapTrend its
	// least-squares slope per year over the last five; Allowed the allowed
	// difference.
	Gap      []Point  `json:"gap,omitempty"`
	GapTrend *float64 `json:"gap_trend"`
	Allowed  *float64 `json:"allowed"`
}

// YearMet is one year of a per-year target. Shortfall is how far the value
// is from meeting the target (≤ 0 when met).
type YearMet struct {
	Year      int     `json:"year"`
	Value     float64 `json:"value"`
	Met       bool    `json:"met"`
	Shortfall float64 `json:"shortfall"`
}

// Projection is the value expected in the target year at the current pace:
// a least-squares line over the last five points and, where growth is
// defined, the compound growth extrapolated from the latest value. With
// fewer than three points both are nil and Note says so.
type Projection struct {
	Year int `json:"year"`
	// Quantity is "value", or "gap" (series − reference) for relative
	// targets.
	Quantity string   `json:"quantity"`
	Points   int      `json:"points"`
	Linear   *float64 `json:"linear"`
	Growth   *float64 `json:"growth"`
	Note     *Text    `json:"note,omitempty"`
}

// GenderGap is women's value minus men's at the latest year both have.
type GenderGap struct {
	Year       int     `json:"year"`
	Women      float64 `json:"women"`
	Men        float64 `json:"men"`
	Difference float64 `json:"difference"`
}
