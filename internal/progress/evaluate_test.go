package progress

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

// yv builds points from year, value pairs.
func yv(pairs ...float64) []Point {
	pts := make([]Point, 0, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		pts = append(pts, Point{Year: int(pairs[i]), Value: pairs[i+1]})
	}
	return pts
}

func tot(pairs ...float64) Series { return Series{Total: yv(pairs...)} }

type evalCase struct {
	name   string
	in     Input
	status Status
	method Method
	score  *float64 // nil: the result must have no score
	check  func(t *testing.T, r Result)
}

func runCases(t *testing.T, cases []evalCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := Evaluate(tc.in)
			if r.Status != tc.status {
				t.Errorf("status = %s, want %s\n%s", r.Status, tc.status, r.Explanation.EN)
			}
			if tc.method != "" && r.Method != tc.method {
				t.Errorf("method = %s, want %s", r.Method, tc.method)
			}
			switch {
			case tc.score == nil && r.Score != nil:
				t.Errorf("score = %v, want none", *r.Score)
			case tc.score != nil && r.Score == nil:
				t.Errorf("score = none, want %v", *tc.score)
			case tc.score != nil && !near(*r.Score, *tc.score):
				t.Errorf("score = %.6f, want %.6f", *r.Score, *tc.score)
			}
			if r.Explanation.SV == "" || r.Explanation.EN == "" {
				t.Error("explanation missing")
			}
			if _, err := json.Marshal(r); err != nil {
				t.Errorf("result does not marshal (NaN or Inf?): %v", err)
			}
			if tc.check != nil {
				tc.check(t, r)
			}
		})
	}
}

func wantFloat(t *testing.T, name string, got *float64, want float64) {
	t.Helper()
	if got == nil {
		t.Errorf("%s = nil, want %v", name, want)
		return
	}
	if !near(*got, want) {
		t.Errorf("%s = %.6f, want %.6f", name, *got, want)
	}
}

func wantNote(t *testing.T, r Result, sub string) {
	t.Helper()
	for _, n := range r.Notes {
		if strings.Contains(n.SV, sub) {
			return
		}
	}
	t.Errorf("no note containing %q in %v", sub, r.Notes)
}

func atLeast10by2020(s Series) Input {
	return Input{Target: Target{Kind: Threshold, Comparator: AtLeast, Value: ptr(10), Unit: "%", TargetYear: 2020}, Series: s}
}

func TestThreshold(t *testing.T) {
	runCases(t, []evalCase{
		{
			// observed (9.4/8.1)^(1/4) − 1 = 0.037912; required
			// (10/8.1)^(1/5) − 1 = 0.043045; R = 0.037912/0.043045 = 0.88076
			// → 0.60 ≤ R < 0.95; score 7.1429·0.88076 − 4.2857 = 2.00552
			name:   "acceleration needed",
			in:     atLeast10by2020(tot(2015, 8.1, 2016, 8.4, 2017, 8.8, 2018, 9.1, 2019, 9.4)),
			status: AccelerationNeeded, method: MethodTarget, score: ptr(2.00552),
			check: func(t *testing.T, r Result) {
				in := r.Inputs
				wantFloat(t, "observed", in.ObservedGrowth, 0.037912)
				wantFloat(t, "required", in.RequiredGrowth, 0.043045)
				wantFloat(t, "ratio", in.Ratio, 0.88076)
				if in.BaseYear != 2015 || in.LatestYear != 2019 || in.Direction != 1 {
					t.Errorf("inputs = %+v", in)
				}
				// least squares over 2015–2019: mean 8.76 in 2017, slope
				// Σdx·dy/Σdx² = 3.3/10 = 0.33 → 8.76 + 3·0.33 = 9.75;
				// growth: 9.4·1.037912 = 9.75638
				p := r.Projection
				if p == nil || p.Year != 2020 || p.Points != 5 {
					t.Fatalf("projection = %+v", p)
				}
				wantFloat(t, "linear", p.Linear, 9.75)
				wantFloat(t, "growth projection", p.Growth, 9.75638)
			},
		},
		{
			// (9/8)^(1/2) − 1 = 0.060660; (10/8)^(1/5) − 1 = 0.045640;
			// R = 1.32911 ≥ 0.95; score min(7.1429·1.32911 − 4.2857, 5) = 5
			name:   "on track",
			in:     atLeast10by2020(tot(2015, 8, 2017, 9)),
			status: OnTrack, method: MethodTarget, score: ptr(5),
		},
		{
			// (8.2/8)^(1/2) − 1 = 0.012423; R = 0.012423/0.045640 = 0.27219;
			// score 4.1667·0.27219 − 2.5 = −1.36586
			name:   "limited progress",
			in:     atLeast10by2020(tot(2015, 8, 2017, 8.2)),
			status: LimitedProgress, method: MethodTarget, score: ptr(-1.36586),
		},
		{
			// (7.5/8)^(1/2) − 1 = −0.031754; R = −0.69576 < 0;
			// score max(4.1667·(−0.69576) − 2.5, −5) = −5
			name:   "deterioration",
			in:     atLeast10by2020(tot(2015, 8, 2017, 7.5)),
			status: Deterioration, method: MethodTarget, score: ptr(-5),
			check: func(t *testing.T, r Result) {
				if !strings.Contains(r.Explanation.EN, "moving the wrong way") {
					t.Errorf("explanation = %s", r.Explanation.EN)
				}
			},
		},
		{
			// years 2016–2018 missing: same base and latest as the first
			// case, so the same R = 0.88076; two points are too few to
			// project
			name:   "missing years",
			in:     atLeast10by2020(tot(2015, 8.1, 2019, 9.4)),
			status: AccelerationNeeded, method: MethodTarget, score: ptr(2.00552),
			check: func(t *testing.T, r Result) {
				if p := r.Projection; p == nil || p.Note == nil || p.Linear != nil || p.Growth != nil || p.Points != 2 {
					t.Errorf("projection = %+v", p)
				}
				if !strings.Contains(r.Explanation.SV, "För få värden för en prognos (minst tre behövs)") {
					t.Errorf("explanation = %s", r.Explanation.SV)
				}
			},
		},
		{
			name:   "already met before the target year",
			in:     atLeast10by2020(tot(2015, 9, 2018, 10.2)),
			status: Achieved, method: MethodMet, score: ptr(5),
		},
		{
			name:   "one point, not met",
			in:     atLeast10by2020(tot(2019, 9.4)),
			status: CannotAssess, method: MethodNone,
		},
		{
			// Open SDG checks the target before counting points
			name:   "one point, met",
			in:     atLeast10by2020(tot(2019, 10.5)),
			status: Achieved, method: MethodMet, score: ptr(5),
		},
		{
			name:   "no data",
			in:     atLeast10by2020(nil),
			status: CannotAssess, method: MethodNone,
		},
		{
			// 10.4 − 10 = 0.4 above
			name:   "target year past, achieved",
			in:     atLeast10by2020(tot(2015, 8, 2020, 10.4, 2021, 9.9)),
			status: Achieved, method: MethodFinal, score: ptr(5),
			check: func(t *testing.T, r Result) {
				if r.Inputs.JudgedYear != 2020 {
					t.Errorf("judged year = %d", r.Inputs.JudgedYear)
				}
				wantFloat(t, "difference", r.Inputs.Difference, 0.4)
			},
		},
		{
			// 9.7 − 10 = −0.3: 0,3 procentenheter under målet
			name:   "target year past, not achieved",
			in:     atLeast10by2020(tot(2015, 8.1, 2019, 9.4, 2020, 9.7)),
			status: NotAchieved, method: MethodFinal, score: ptr(-5),
			check: func(t *testing.T, r Result) {
				wantFloat(t, "difference", r.Inputs.Difference, -0.3)
				if !strings.Contains(r.Explanation.SV, "0,3\u00a0procentenheter under målet") {
					t.Errorf("explanation = %s", r.Explanation.SV)
				}
			},
		},
		{
			name:   "target year missing, first later year judged",
			in:     atLeast10by2020(tot(2015, 8.1, 2019, 9.4, 2021, 10.1)),
			status: Achieved, method: MethodFinal, score: ptr(5),
			check: func(t *testing.T, r Result) {
				if r.Inputs.JudgedYear != 2021 {
					t.Errorf("judged year = %d", r.Inputs.JudgedYear)
				}
				wantNote(t, r, "saknas")
			},
		},
		{
			// the 2020 value lies after the evaluation year and is ignored
			name: "evaluation year cuts later data",
			in: func() Input {
				in := atLeast10by2020(tot(2015, 8.1, 2019, 9.4, 2020, 9.7))
				in.Options.EvaluationYear = 2019
				return in
			}(),
			status: AccelerationNeeded, method: MethodTarget, score: ptr(2.00552),
		},
		{
			name: "evaluation year past the target year without its value",
			in: func() Input {
				in := atLeast10by2020(tot(2015, 8.1, 2019, 9.4))
				in.Options.EvaluationYear = 2021
				return in
			}(),
			status: AccelerationNeeded, method: MethodTarget,
			score: ptr(2.00552),
			check: func(t *testing.T, r Result) { wantNote(t, r, "saknas; bedömningen") },
		},
		{
			// lower is better: (6.5/10)^(1/3) − 1 = −0.133761; required
			// (5/10)^(1/5) − 1 = −0.129449; R = −1·(−0.133761)/0.129449 =
			// 1.03331; score 7.1429·1.03331 − 4.2857 = 3.09510
			name:   "at most, on track",
			in:     Input{Target: Target{Kind: Threshold, Comparator: AtMost, Value: ptr(5), Unit: "%", TargetYear: 2020}, Series: tot(2015, 10, 2018, 6.5)},
			status: OnTrack, method: MethodTarget, score: ptr(3.09510),
			check: func(t *testing.T, r Result) {
				if r.Inputs.Direction != -1 {
					t.Errorf("direction = %d", r.Inputs.Direction)
				}
			},
		},
		{
			// (11/10)^1 − 1 = 0.1; R = −1·0.1/0.129449 = −0.77250
			name:   "at most, deterioration",
			in:     Input{Target: Target{Kind: Threshold, Comparator: AtMost, Value: ptr(5), Unit: "%", TargetYear: 2020}, Series: tot(2015, 10, 2016, 11)},
			status: Deterioration, method: MethodTarget, score: ptr(-5),
		},
		{
			// base 0 → 0.001: observed (10/0.001)^1 − 1 = 9999; required
			// (50/0.001)^(1/5) − 1 = 7.70551; R = 1297.6
			name:   "zero base replaced by 0.001",
			in:     Input{Target: Target{Kind: Threshold, Comparator: AtLeast, Value: ptr(50), Unit: "antal", TargetYear: 2020}, Series: tot(2015, 0, 2016, 10)},
			status: OnTrack, method: MethodTarget, score: ptr(5),
			check: func(t *testing.T, r Result) {
				wantFloat(t, "ratio", r.Inputs.Ratio, 1297.6436)
				wantNote(t, r, "0,001")
			},
		},
		{
			// negative values: (−8/−10)^(1/2) − 1 = −0.105573, flipped by
			// the sign of the base; required (−5/−10)^(1/5) − 1 = −0.129449;
			// R = (−1)·(+1)·(−0.105573)/0.129449 = 0.81555;
			// score 7.1429·0.81555 − 4.2857 = 1.53966
			name:   "negative values",
			in:     Input{Target: Target{Kind: Threshold, Comparator: AtLeast, Value: ptr(-5), Unit: "", TargetYear: 2020}, Series: tot(2015, -10, 2017, -8)},
			status: AccelerationNeeded, method: MethodTarget, score: ptr(1.53966),
		},
		{
			name:   "values change sign",
			in:     Input{Target: Target{Kind: Threshold, Comparator: AtLeast, Value: ptr(5), TargetYear: 2020}, Series: tot(2015, -2, 2017, 3)},
			status: CannotAssess, method: MethodNone,
		},
		{
			// |10.4 − 10| = 0.4 ≤ 5 % of 10
			name:   "about, within tolerance",
			in:     Input{Target: Target{Kind: Threshold, Comparator: About, Value: ptr(10), Unit: "%", TargetYear: 2020}, Series: tot(2015, 5, 2018, 10.4)},
			status: Achieved, method: MethodMet, score: ptr(5),
		},
		{
			// 10.4 is outside a 2 % band (±0.2)
			name:   "about, configurable tolerance",
			in:     Input{Target: Target{Kind: Threshold, Comparator: About, Value: ptr(10), Unit: "%", TargetYear: 2020}, Series: tot(2015, 11, 2018, 10.4), Options: Options{Tolerance: 0.02}},
			status: OnTrack, method: MethodTarget,
			// (10.4/11)^(1/3) − 1 = −0.018523; (10/11)^(1/5) − 1 =
			// −0.018882; R = −1·(−0.018523)/0.018882 = 0.98100;
			// score 7.1429·0.98100 − 4.2857 = 2.72150
			score: ptr(2.72150),
		},
		{
			name:   "about, overshot",
			in:     Input{Target: Target{Kind: Threshold, Comparator: About, Value: ptr(10), Unit: "%", TargetYear: 2020}, Series: tot(2015, 5, 2018, 12)},
			status: LimitedProgress, method: MethodOvershoot, score: ptr(-1.25),
		},
		{
			// from above: (12/14)^(1/2) − 1 = −0.074180; (10/14)^(1/5) − 1 =
			// −0.065080; R = 1.13982; score 7.1429·1.13982 − 4.2857 = 3.85605
			name:   "about, from above",
			in:     Input{Target: Target{Kind: Threshold, Comparator: About, Value: ptr(10), Unit: "%", TargetYear: 2020}, Series: tot(2015, 14, 2017, 12)},
			status: OnTrack, method: MethodTarget, score: ptr(3.85605),
		},
		{
			// the document's base 7.5 in 2014: (9.4/7.5)^(1/5) − 1 =
			// 0.046197; (10/7.5)^(1/6) − 1 = 0.049115; R = 0.94058, just
			// under 0.95; score 7.1429·0.94058 − 4.2857 = 2.43273
			name: "base year and value from the document",
			in: func() Input {
				in := atLeast10by2020(tot(2015, 8.1, 2016, 8.4, 2017, 8.8, 2018, 9.1, 2019, 9.4))
				in.Target.BaseYear, in.Target.BaseValue = 2014, ptr(7.5)
				return in
			}(),
			status: AccelerationNeeded, method: MethodTarget, score: ptr(2.43273),
			check: func(t *testing.T, r Result) {
				if r.Inputs.BaseYear != 2014 || *r.Inputs.BaseValue != 7.5 {
					t.Errorf("base = %d %v", r.Inputs.BaseYear, *r.Inputs.BaseValue)
				}
			},
		},
		{
			// base year 2014 has no value: Open SDG takes the next year
			name: "base year without a value moves to the next year",
			in: func() Input {
				in := atLeast10by2020(tot(2012, 5, 2015, 8.1, 2019, 9.4))
				in.Target.BaseYear = 2014
				return in
			}(),
			status: AccelerationNeeded, method: MethodTarget, score: ptr(2.00552),
			check: func(t *testing.T, r Result) {
				if r.Inputs.BaseYear != 2015 {
					t.Errorf("base year = %d", r.Inputs.BaseYear)
				}
				wantNote(t, r, "Basåret 2014 saknar värde")
			},
		},
		{
			name:   "unsorted input with a NaN",
			in:     atLeast10by2020(tot(2019, 9.4, 2017, math.NaN(), 2015, 8.1)),
			status: AccelerationNeeded, method: MethodTarget, score: ptr(2.00552),
		},
		{
			name:   "no target value",
			in:     Input{Target: Target{Kind: Threshold, Comparator: AtLeast, TargetYear: 2020}, Series: tot(2015, 1, 2016, 2)},
			status: CannotAssess,
		},
		{
			name:   "unknown comparator",
			in:     Input{Target: Target{Kind: Threshold, Comparator: "equals", Value: ptr(1), TargetYear: 2020}, Series: tot(2015, 1, 2016, 2)},
			status: CannotAssess,
		},
		{
			// the document's base year is the target year: the base value
			// is then the target year's value and is judged
			name:   "base year is the target year",
			in:     Input{Target: Target{Kind: Threshold, Comparator: AtLeast, Value: ptr(10), TargetYear: 2020, BaseYear: 2020, BaseValue: ptr(5)}, Series: tot(2019, 6)},
			status: NotAchieved, method: MethodFinal, score: ptr(-5),
		},
	})
}

func TestDirection(t *testing.T) {
	increase := func(unit string, s Series) Input {
		return Input{Target: Target{Kind: Direction, Comparator: Increase, Unit: unit}, Series: s}
	}
	runCases(t, []evalCase{
		{
			// |50.3 − 50| = 0.3 ≤ 1 % of 50: no change claimed, although
			// Open SDG's growth (50.3/50)^(1/4) − 1 = 0.15 % would say
			// limited progress too
			name:   "flat within the noise band",
			in:     increase("%", tot(2015, 50, 2019, 50.3)),
			status: LimitedProgress, method: MethodNoise, score: ptr(-1.25),
		},
		{
			// a drop inside the band is not deterioration either
			name:   "small drop within the noise band",
			in:     increase("%", tot(2015, 50, 2019, 49.8)),
			status: LimitedProgress, method: MethodNoise, score: ptr(-1.25),
		},
		{
			// (56/50)^(1/4) − 1 = 0.028737; limit 100: C = 1 − 0.5^4.44 =
			// 0.953929; high threshold 0.015·C = 0.014309 ≤ 0.028737;
			// score min(500·0.028737/0.953929 − 5, 5) = 5
			name:   "on track",
			in:     increase("%", tot(2015, 50, 2019, 56)),
			status: OnTrack, method: MethodGrowth, score: ptr(5),
			check: func(t *testing.T, r Result) {
				wantFloat(t, "limit", r.Inputs.Limit, 100)
				wantFloat(t, "coefficient", r.Inputs.LimitCoefficient, 0.953929)
			},
		},
		{
			// near the 100 % limit: (91/90)^(1/4) − 1 = 0.0027663;
			// C = 1 − 0.9^4.44 = 0.373622; thresholds 0.0056043 / 0.0018681:
			// acceleration needed; score 250·0.0027663/0.373622 − 1.25 = 0.60099
			name:   "limit of 100 % scales the thresholds",
			in:     increase("%", tot(2015, 90, 2019, 91)),
			status: AccelerationNeeded, method: MethodGrowth, score: ptr(0.60099),
		},
		{
			// the same values without a limit: 0.0027663 < 0.005 → limited;
			// score 500·0.0027663 − 2.5 = −1.11686
			name:   "same growth without a limit",
			in:     increase("", tot(2015, 90, 2019, 91)),
			status: LimitedProgress, method: MethodGrowth, score: ptr(-1.11686),
		},
		// The edges through real data: values whose binary quotient lands
		// on or above the edge (as in Open SDG's Python, which shares the
		// floats: 203/200 − 1 = 0.01499999999999990 falls just below).
		{
			// should fall, 19.7/20 − 1 = −0.015000000000000013, signed
			// +0.015 → on track; score 500·0.015 − 5 = 2.5
			name:   "growth exactly 1.5 %",
			in:     Input{Target: Target{Kind: Direction, Comparator: Decrease}, Series: tot(2019, 20, 2020, 19.7), Options: Options{NoiseBand: -1}},
			status: OnTrack, method: MethodGrowth, score: ptr(2.5),
		},
		{
			// 19.71/20 − 1 = −0.0145, signed +0.0145 → acceleration
			// needed; score 250·0.0145 − 1.25 = 2.375
			name:   "growth just under 1.5 %",
			in:     Input{Target: Target{Kind: Direction, Comparator: Decrease}, Series: tot(2019, 20, 2020, 19.71), Options: Options{NoiseBand: -1}},
			status: AccelerationNeeded, method: MethodGrowth, score: ptr(2.375),
		},
		{
			// 20.1/20 − 1 = 0.0050000000000001155 → acceleration needed;
			// score 250·0.005 − 1.25 = 0 (with the default noise band this
			// change of 0.1 ≤ 0.2 would be flat)
			name:   "growth exactly 0.5 %",
			in:     Input{Target: Target{Kind: Direction, Comparator: Increase}, Series: tot(2019, 20, 2020, 20.1), Options: Options{NoiseBand: -1}},
			status: AccelerationNeeded, method: MethodGrowth, score: ptr(0),
		},
		{
			// 200.9/200 − 1 = 0.0045 → limited; 500·0.0045 − 2.5 = −0.25
			name:   "growth just under 0.5 %",
			in:     Input{Target: Target{Kind: Direction, Comparator: Increase}, Series: tot(2019, 200, 2020, 200.9), Options: Options{NoiseBand: -1}},
			status: LimitedProgress, method: MethodGrowth, score: ptr(-0.25),
		},
		{
			// no change at all, band off: growth 0 → limited; score −2.5
			name:   "growth exactly 0",
			in:     Input{Target: Target{Kind: Direction, Comparator: Increase}, Series: tot(2019, 200, 2020, 200), Options: Options{NoiseBand: -1}},
			status: LimitedProgress, method: MethodGrowth, score: ptr(-2.5),
		},
		{
			// an explicit limit is used for any unit
			name:   "explicit limit",
			in:     Input{Target: Target{Kind: Direction, Comparator: Increase}, Series: tot(2015, 90, 2019, 91), Options: Options{Limit: ptr(100)}},
			status: AccelerationNeeded, method: MethodGrowth, score: ptr(0.60099),
		},
		{
			// at 100 % and staying there: C = 0, Open SDG's "limit held"
			name:   "at the limit and holding",
			in:     increase("%", tot(2015, 100, 2019, 100)),
			status: OnTrack, method: MethodGrowth, score: ptr(5),
		},
		{
			// should fall: (12/10)^(1/2) − 1 = 0.095445, signed −0.095445;
			// score max(125·(−0.095445) − 2.5, −5) = −5
			name:   "decrease, deterioration",
			in:     Input{Target: Target{Kind: Direction, Comparator: Decrease, Unit: "%"}, Series: tot(2015, 10, 2017, 12)},
			status: Deterioration, method: MethodGrowth, score: ptr(-5),
		},
		{
			// should fall: (9.88/10)^(1/1) − 1 = −0.012, signed +0.012
			// (|−0.12| > 1 % of 10, outside the noise band); a falling share
			// has its floor at 0, so no limit scaling;
			// score 250·0.012 − 1.25 = 1.75
			name:   "decrease, acceleration needed",
			in:     Input{Target: Target{Kind: Direction, Comparator: Decrease, Unit: "%"}, Series: tot(2015, 10, 2016, 9.88)},
			status: AccelerationNeeded, method: MethodGrowth, score: ptr(1.75),
			check: func(t *testing.T, r Result) {
				if r.Inputs.Limit != nil {
					t.Errorf("limit = %v", *r.Inputs.Limit)
				}
			},
		},
		{
			name:   "target year not after the base year",
			in:     Input{Target: Target{Kind: Direction, Comparator: Increase, BaseYear: 2020, TargetYear: 2020}, Series: tot(2020, 1, 2021, 2)},
			status: CannotAssess, method: MethodNone,
		},
		{
			name:   "one point",
			in:     increase("%", tot(2019, 50)),
			status: CannotAssess, method: MethodNone,
		},
		{
			// 53 − 50 = 3 > 1 % of 50
			name:   "target year past, achieved",
			in:     Input{Target: Target{Kind: Direction, Comparator: Increase, Unit: "%", TargetYear: 2020}, Series: tot(2015, 50, 2020, 53)},
			status: Achieved, method: MethodFinal, score: ptr(5),
			check: func(t *testing.T, r Result) { wantFloat(t, "difference", r.Inputs.Difference, 3) },
		},
		{
			// 50.2 − 50 = 0.2 ≤ 0.5: no real increase
			name:   "target year past, within the noise band",
			in:     Input{Target: Target{Kind: Direction, Comparator: Increase, Unit: "%", TargetYear: 2020}, Series: tot(2015, 50, 2020, 50.2)},
			status: NotAchieved, method: MethodFinal, score: ptr(-5),
		},
		{
			// a noise band of 0 (negative option) lets 0.2 count
			name:   "noise band switched off",
			in:     Input{Target: Target{Kind: Direction, Comparator: Increase, Unit: "%", TargetYear: 2020}, Series: tot(2015, 50, 2020, 50.2), Options: Options{NoiseBand: -1}},
			status: Achieved, method: MethodFinal, score: ptr(5),
		},
		{
			// before the target year, with three points: projected by both
			// methods. (56/50)^(1/4) − 1 = 0.028737 → 56·1.028737^6 = 66.29;
			// line through 50, 53, 56 (2015, 2017, 2019): slope 1.5 →
			// 53 + 1.5·8 = 65
			name:   "projection to the target year",
			in:     Input{Target: Target{Kind: Direction, Comparator: Increase, Unit: "%", TargetYear: 2025}, Series: tot(2015, 50, 2017, 53, 2019, 56)},
			status: OnTrack, method: MethodGrowth, score: ptr(5),
			check: func(t *testing.T, r Result) {
				p := r.Projection
				if p == nil {
					t.Fatal("no projection")
				}
				wantFloat(t, "linear", p.Linear, 65)
				want := 56 * math.Pow(56.0/50, 6.0/4)
				wantFloat(t, "growth", p.Growth, want)
			},
		},
	})
}

func TestPerYear(t *testing.T) {
	atLeast300 := func(s Series) Input {
		return Input{Target: Target{Kind: PerYear, Comparator: AtLeast, Value: ptr(300), Unit: "personer"}, Series: s}
	}
	runCases(t, []evalCase{
		{
			name:   "all three met",
			in:     atLeast300(tot(2020, 250, 2021, 310, 2022, 320, 2023, 305)),
			status: Achieved, method: MethodPerYear, score: ptr(5),
			check: func(t *testing.T, r Result) {
				if len(r.Inputs.PerYear) != 4 || r.Inputs.PerYear[0].Met || !r.Inputs.PerYear[3].Met {
					t.Errorf("per year = %+v", r.Inputs.PerYear)
				}
			},
		},
		{
			name:   "latest met",
			in:     atLeast300(tot(2021, 280, 2022, 290, 2023, 305)),
			status: OnTrack, method: MethodPerYear, score: ptr(3.75),
		},
		{
			// shortfall 20 → 10, shrinking by more than 1 % of 300 = 3
			name:   "shortfall shrinking",
			in:     atLeast300(tot(2021, 260, 2022, 280, 2023, 290)),
			status: AccelerationNeeded, method: MethodPerYear, score: ptr(1.25),
		},
		{
			// shortfall 10 → 11: within 3
			name:   "shortfall unchanged",
			in:     atLeast300(tot(2021, 280, 2022, 290, 2023, 289)),
			status: LimitedProgress, method: MethodPerYear, score: ptr(-1.25),
		},
		{
			// shortfall 10 → 30
			name:   "shortfall growing",
			in:     atLeast300(tot(2021, 295, 2022, 290, 2023, 270)),
			status: Deterioration, method: MethodPerYear, score: ptr(-3.75),
		},
		{
			// surplus 10 → shortfall 30
			name:   "met, then missed",
			in:     atLeast300(tot(2022, 310, 2023, 270)),
			status: Deterioration, method: MethodPerYear, score: ptr(-3.75),
		},
		{
			name:   "one year, not met",
			in:     atLeast300(tot(2023, 250)),
			status: LimitedProgress, method: MethodPerYear, score: ptr(-1.25),
		},
		{
			// missing 2020 and 2022: the last three years with data count
			name:   "missing years",
			in:     atLeast300(tot(2019, 310, 2021, 320, 2023, 305)),
			status: Achieved, method: MethodPerYear, score: ptr(5),
		},
		{
			name:   "at most, latest met",
			in:     Input{Target: Target{Kind: PerYear, Comparator: AtMost, Value: ptr(100)}, Series: tot(2021, 120, 2022, 110, 2023, 95)},
			status: OnTrack, method: MethodPerYear, score: ptr(3.75),
		},
		{
			// 2020–2023 with 2021 missed: 3 of 4
			name:   "final over the period from the base year",
			in:     Input{Target: Target{Kind: PerYear, Comparator: AtLeast, Value: ptr(300), BaseYear: 2020, TargetYear: 2023}, Series: tot(2019, 100, 2020, 310, 2021, 290, 2022, 305, 2023, 320)},
			status: NotAchieved, method: MethodFinal, score: ptr(-5),
		},
		{
			// without a base year the last three years up to the target
			// year count: 2021–2023, all met
			name:   "final over the last three years",
			in:     Input{Target: Target{Kind: PerYear, Comparator: AtLeast, Value: ptr(300), TargetYear: 2023}, Series: tot(2020, 100, 2021, 310, 2022, 305, 2023, 320, 2024, 10)},
			status: Achieved, method: MethodFinal, score: ptr(5),
		},
		{
			// |290 − 300| = 10 ≤ 5 % of 300 = 15
			name:   "about",
			in:     Input{Target: Target{Kind: PerYear, Comparator: About, Value: ptr(300)}, Series: tot(2022, 250, 2023, 290)},
			status: OnTrack, method: MethodPerYear, score: ptr(3.75),
		},
	})
}

func TestRelative(t *testing.T) {
	ref80 := tot(2017, 80, 2018, 80, 2019, 81, 2020, 80, 2021, 81)
	runCases(t, []evalCase{
		{
			// gaps −20, −16, −12 (2019–2021): slope +4 a year; at 2025
			// −16 + 4·(2025 − 2020) = +4 ≥ 0 → closes in time
			name:   "gap closes by the target year",
			in:     Input{Target: Target{Kind: Relative, Comparator: AtLeast, Unit: "%", TargetYear: 2025}, Series: tot(2019, 60, 2020, 64, 2021, 68), Reference: tot(2019, 80, 2020, 80, 2021, 80)},
			status: OnTrack, method: MethodRelative, score: ptr(3.75),
			check: func(t *testing.T, r Result) {
				wantFloat(t, "trend", r.Inputs.GapTrend, 4)
				wantFloat(t, "projected gap", r.Projection.Linear, 4)
				if len(r.Inputs.Gap) != 3 || r.Inputs.Gap[0] != (Point{2019, -20}) {
					t.Errorf("gap = %v", r.Inputs.Gap)
				}
			},
		},
		{
			// gaps −30, −28, −27, −25, −24: mean −26.8 in 2019, slope
			// Σdx·dy/Σdx² = 15/10 = 1.5; at 2025 −26.8 + 1.5·6 = −17.8
			name:   "gap narrows too slowly",
			in:     Input{Target: Target{Kind: Relative, Comparator: AtLeast, Unit: "%", TargetYear: 2025}, Series: tot(2017, 50, 2018, 52, 2019, 54, 2020, 55, 2021, 57), Reference: ref80},
			status: AccelerationNeeded, method: MethodRelative, score: ptr(1.25),
			check: func(t *testing.T, r Result) {
				wantFloat(t, "trend", r.Inputs.GapTrend, 1.5)
				wantFloat(t, "projected gap", r.Projection.Linear, -17.8)
			},
		},
		{
			// unemployment, at most the reference: gaps 4, 5, 6 widen by 1
			name:   "gap widens",
			in:     Input{Target: Target{Kind: Relative, Comparator: AtMost, Unit: "%", TargetYear: 2025}, Series: tot(2019, 8, 2020, 9, 2021, 10), Reference: tot(2019, 4, 2020, 4, 2021, 4)},
			status: Deterioration, method: MethodRelative, score: ptr(-3.75),
		},
		{
			// gaps −20, −19.8, −19.9: slope 0.05, over 2 years 0.1 ≤ 1 %
			// of 80 = 0.8
			name:   "gap flat within the noise band",
			in:     Input{Target: Target{Kind: Relative, Comparator: AtLeast, Unit: "%", TargetYear: 2025}, Series: tot(2019, 60, 2020, 60.2, 2021, 60.1), Reference: tot(2019, 80, 2020, 80, 2021, 80)},
			status: LimitedProgress, method: MethodRelative, score: ptr(-1.25),
		},
		{
			name:   "already closed",
			in:     Input{Target: Target{Kind: Relative, Comparator: AtMost, Unit: "%"}, Series: tot(2020, 4.5, 2021, 3.9), Reference: tot(2020, 4, 2021, 4)},
			status: Achieved, method: MethodRelative, score: ptr(5),
		},
		{
			// allowed 2: gap 1.5 ≤ 2
			name:   "within the allowed difference",
			in:     Input{Target: Target{Kind: Relative, Comparator: AtMost, Value: ptr(2), Unit: "%"}, Series: tot(2021, 5.5), Reference: tot(2021, 4)},
			status: Achieved, method: MethodRelative, score: ptr(5),
		},
		{
			// no deadline: narrowing is enough
			name:   "narrowing without a target year",
			in:     Input{Target: Target{Kind: Relative, Comparator: AtLeast, Unit: "%"}, Series: tot(2019, 60, 2020, 64, 2021, 68), Reference: tot(2019, 80, 2020, 80, 2021, 80)},
			status: OnTrack, method: MethodRelative, score: ptr(3.75),
		},
		{
			name:   "target year past, not achieved",
			in:     Input{Target: Target{Kind: Relative, Comparator: AtLeast, Unit: "%", TargetYear: 2021}, Series: tot(2019, 60, 2020, 64, 2021, 68), Reference: tot(2019, 80, 2020, 80, 2021, 80)},
			status: NotAchieved, method: MethodFinal, score: ptr(-5),
			check: func(t *testing.T, r Result) { wantFloat(t, "difference", r.Inputs.Difference, 12) },
		},
		{
			// only 2018 and 2020 are common years
			name:   "years both series have",
			in:     Input{Target: Target{Kind: Relative, Comparator: AtLeast, Unit: "%"}, Series: tot(2017, 1, 2018, 60, 2019, 2, 2020, 64), Reference: tot(2018, 80, 2020, 80, 2021, 3)},
			status: OnTrack, method: MethodRelative,
			score: ptr(3.75),
			check: func(t *testing.T, r Result) {
				if len(r.Inputs.Gap) != 2 || r.Inputs.Gap[1] != (Point{2020, -16}) {
					t.Errorf("gap = %v", r.Inputs.Gap)
				}
			},
		},
		{
			name:   "one common year, not closed",
			in:     Input{Target: Target{Kind: Relative, Comparator: AtLeast, Unit: "%"}, Series: tot(2021, 60), Reference: tot(2021, 80)},
			status: CannotAssess,
		},
		{
			name:   "no reference",
			in:     Input{Target: Target{Kind: Relative, Comparator: AtLeast, Unit: "%"}, Series: tot(2021, 60)},
			status: CannotAssess,
		},
	})
}

func TestQualitativeAndOverride(t *testing.T) {
	runCases(t, []evalCase{
		{
			name:   "qualitative",
			in:     Input{Target: Target{Kind: Qualitative}},
			status: CannotAssess, method: MethodQualitative,
		},
		{
			name:   "qualitative with a manual status",
			in:     Input{Target: Target{Kind: Qualitative}, Override: &Override{Status: OnTrack, Justification: "Samverkansavtalet är undertecknat.", By: "Anna Berg", On: "2024-03-01"}},
			status: OnTrack, method: MethodQualitative, score: ptr(3.75),
			check: func(t *testing.T, r Result) {
				if r.Computed != CannotAssess || r.ComputedScore != nil || r.Override == nil {
					t.Errorf("computed = %s, override = %v", r.Computed, r.Override)
				}
				if !strings.HasSuffix(r.Explanation.SV, "Manuell bedömning: på väg (Anna Berg, 2024-03-01). Motivering: Samverkansavtalet är undertecknat.") {
					t.Errorf("explanation = %s", r.Explanation.SV)
				}
			},
		},
		{
			name:   "override without justification is ignored",
			in:     Input{Target: Target{Kind: Qualitative}, Override: &Override{Status: Achieved, Justification: "  "}},
			status: CannotAssess, method: MethodQualitative,
			check: func(t *testing.T, r Result) {
				if r.Override != nil {
					t.Error("override applied")
				}
				wantNote(t, r, "motivering saknas")
			},
		},
		{
			name:   "override with an unknown status is ignored",
			in:     Input{Target: Target{Kind: Qualitative}, Override: &Override{Status: "great", Justification: "x"}},
			status: CannotAssess, method: MethodQualitative,
			check: func(t *testing.T, r Result) { wantNote(t, r, "okänd status") },
		},
		{
			// the computed verdict stays beside the override
			name: "override of a computed status",
			in: func() Input {
				in := atLeast10by2020(tot(2015, 8, 2017, 7.5))
				in.Override = &Override{Status: LimitedProgress, Justification: "Mätningen ändrades 2017."}
				return in
			}(),
			status: LimitedProgress, method: MethodTarget, score: ptr(-1.25),
			check: func(t *testing.T, r Result) {
				if r.Computed != Deterioration || r.ComputedScore == nil || *r.ComputedScore != -5 {
					t.Errorf("computed = %s %v", r.Computed, r.ComputedScore)
				}
			},
		},
		{
			name:   "unknown kind",
			in:     Input{Target: Target{Kind: "vision"}},
			status: CannotAssess, method: MethodNone,
		},
	})
}

func TestGender(t *testing.T) {
	s := Series{
		Total: yv(2015, 8.1, 2019, 9.4),
		Women: yv(2015, 7, 2017, 8, 2019, 9),
		Men:   yv(2015, 9, 2018, 9.5, 2019, 9.8),
	}
	r := Evaluate(atLeast10by2020(s))
	if r.Women == nil || r.Men == nil || r.GenderGap == nil {
		t.Fatalf("no gender results: %+v", r)
	}
	// women: (9/7)^(1/4) − 1 = 0.064844; (10/7)^(1/5) − 1 = 0.073941;
	// R = 0.87697 → acceleration needed
	if r.Women.Status != AccelerationNeeded || r.Women.Gender != Women {
		t.Errorf("women = %s (%s)", r.Women.Status, r.Women.Gender)
	}
	wantFloat(t, "women ratio", r.Women.Inputs.Ratio, 0.87697)
	// men: (9.8/9)^(1/4) − 1 = 0.021518; (10/9)^(1/5) − 1 = 0.021296;
	// R = 1.01039 → on track
	if r.Men.Status != OnTrack {
		t.Errorf("men = %s", r.Men.Status)
	}
	wantFloat(t, "men ratio", r.Men.Inputs.Ratio, 1.01039)
	// K − M at 2019: 9 − 9.8 = −0.8
	if g := r.GenderGap; g.Year != 2019 || !near(g.Difference, -0.8) {
		t.Errorf("gap = %+v", g)
	}
	if !strings.HasPrefix(r.Women.Explanation.SV, "Kvinnor: ") || !strings.HasPrefix(r.Men.Explanation.EN, "Men: ") {
		t.Errorf("explanations: %q, %q", r.Women.Explanation.SV, r.Men.Explanation.EN)
	}
	if r.Women.Women != nil {
		t.Error("sub-result has its own split")
	}

	// the document's base value is for the total: K and M use their own
	in := atLeast10by2020(s)
	in.Target.BaseYear, in.Target.BaseValue = 2015, ptr(8)
	r = Evaluate(in)
	if *r.Inputs.BaseValue != 8 || *r.Women.Inputs.BaseValue != 7 {
		t.Errorf("base values: T %v, K %v", *r.Inputs.BaseValue, *r.Women.Inputs.BaseValue)
	}

	// latest common year: K has 2020, M not
	s2 := Series{Total: yv(2019, 1, 2020, 2), Women: yv(2019, 3, 2020, 4), Men: yv(2018, 5, 2019, 6)}
	r = Evaluate(Input{Target: Target{Kind: Direction, Comparator: Increase}, Series: s2})
	if g := r.GenderGap; g == nil || g.Year != 2019 || g.Difference != -3 {
		t.Errorf("gap = %+v", g)
	}

	// a target on women only: no split
	in = atLeast10by2020(s)
	in.Target.Gender = Women
	r = Evaluate(in)
	if r.Women != nil || r.Gender != Women || r.Status != AccelerationNeeded {
		t.Errorf("gender target: %s %s %v", r.Gender, r.Status, r.Women)
	}

	// a target on men without a men's series: nothing to judge (never
	// the total instead)
	in = atLeast10by2020(Series{Total: yv(2015, 8.1, 2019, 9.4)})
	in.Target.Gender = Men
	if r = Evaluate(in); r.Status != CannotAssess {
		t.Errorf("men's target on the total: %s", r.Status)
	}

	// relative: K and M compare with their own reference, else the total
	rel := Input{
		Target:    Target{Kind: Relative, Comparator: AtLeast, Unit: "%"},
		Series:    Series{Total: yv(2020, 60, 2021, 62), Women: yv(2020, 55, 2021, 56), Men: yv(2020, 65, 2021, 70)},
		Reference: Series{Total: yv(2020, 80, 2021, 80), Women: yv(2020, 78, 2021, 78)},
	}
	r = Evaluate(rel)
	if r.Women.Inputs.Gap[0] != (Point{2020, -23}) || r.Men.Inputs.Gap[0] != (Point{2020, -15}) {
		t.Errorf("gaps K %v, M %v", r.Women.Inputs.Gap, r.Men.Inputs.Gap)
	}

	// an amount is not a target for each gender: "minst 300 per år" is
	// judged on the total only, though the gap between K and M is shown
	amount := Input{
		Target: Target{Kind: PerYear, Comparator: AtLeast, Value: ptr(300), Unit: "personer"},
		Series: Series{Total: yv(2020, 320, 2021, 310), Women: yv(2020, 150, 2021, 140), Men: yv(2020, 170, 2021, 170)},
	}
	r = Evaluate(amount)
	if r.Women != nil || r.Men != nil || r.GenderGap == nil || r.GenderGap.Difference != -30 {
		t.Errorf("amount: women %v men %v gap %+v", r.Women, r.Men, r.GenderGap)
	}
}

func TestEvaluateDoesNotModifyInput(t *testing.T) {
	pts := yv(2019, 9.4, 2015, 8.1, 2017, 8.8)
	in := atLeast10by2020(Series{Total: pts})
	Evaluate(in)
	if pts[0].Year != 2019 || pts[1].Year != 2015 {
		t.Errorf("input reordered: %v", pts)
	}
}

func TestComputedExplanationLeavesOutTheOverride(t *testing.T) {
	in := atLeast10by2020(Series{Total: yv(2015, 8.1, 2019, 9.4)})
	plain := Evaluate(in)
	in.Override = &Override{Status: OnTrack, Justification: "Ny statistik från SCB visar 10,2 %."}
	r := Evaluate(in)
	if r.ComputedExplanation != plain.Explanation {
		t.Errorf("computed explanation = %q, want the plain one %q", r.ComputedExplanation.SV, plain.Explanation.SV)
	}
	if !strings.Contains(r.Explanation.SV, "Manuell bedömning: på väg") || strings.Contains(r.ComputedExplanation.SV, "Manuell") {
		t.Errorf("explanation %q / computed %q", r.Explanation.SV, r.ComputedExplanation.SV)
	}
}
