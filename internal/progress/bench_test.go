package progress

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"testing"
)

// genInputs makes orgs × targets inputs over the given number of years
// (ending 2024): mixed kinds (threshold 40 %, direction 20 %, per year
// 15 %, relative 20 %, qualitative 5 %), T, K and M series as noisy trends
// with about one year in twenty missing, some base years and values, some
// target years already past.
func genInputs(orgs, targets, years int, seed uint64) []Input {
	rng := rand.New(rand.NewPCG(seed, 7))
	first := 2025 - years
	walk := func(start, trend, noise float64) []Point {
		pts := make([]Point, 0, years)
		v := start
		for y := first; y < 2025; y++ {
			v += trend + noise*rng.NormFloat64()
			if rng.IntN(20) == 0 {
				continue // missing, never 0
			}
			pts = append(pts, Point{y, math.Round(v*10) / 10})
		}
		return pts
	}
	ins := make([]Input, 0, orgs*targets)
	for o := 0; o < orgs; o++ {
		for k := 0; k < targets; k++ {
			var t Target
			start := 20 + 60*rng.Float64()
			trend := rng.NormFloat64() * 0.6
			unit := "%"
			switch p := rng.IntN(100); {
			case p < 40:
				c := []Comparator{AtLeast, AtMost, About}[rng.IntN(3)]
				t = Target{Kind: Threshold, Comparator: c, Value: ptr(math.Round(start + 10*rng.NormFloat64())), TargetYear: 2016 + rng.IntN(15)}
			case p < 60:
				t = Target{Kind: Direction, Comparator: []Comparator{Increase, Decrease}[rng.IntN(2)], TargetYear: []int{0, 2022, 2030}[rng.IntN(3)]}
			case p < 75:
				unit, start, trend = "personer", 200+200*rng.Float64(), 10*rng.NormFloat64()
				t = Target{Kind: PerYear, Comparator: AtLeast, Value: ptr(300), TargetYear: []int{0, 2023, 2026}[rng.IntN(3)]}
			case p < 95:
				t = Target{Kind: Relative, Comparator: []Comparator{AtLeast, AtMost}[rng.IntN(2)], TargetYear: 2018 + rng.IntN(12)}
			default:
				t = Target{Kind: Qualitative}
			}
			t.Unit = unit
			if t.Kind != Qualitative && rng.IntN(3) == 0 {
				t.BaseYear = 2010 + rng.IntN(6)
				if rng.IntN(2) == 0 {
					t.BaseValue = ptr(math.Round(start))
				}
			}
			in := Input{Target: t}
			if t.Kind != Qualitative {
				noise := math.Max(0.5, math.Abs(start)*0.02)
				in.Series = Series{
					Total: walk(start, trend, noise),
					Women: walk(start-2, trend, noise),
					Men:   walk(start+2, trend, noise),
				}
			}
			if t.Kind == Relative {
				in.Reference = Series{Total: walk(start+15, 0.1, 0.5)}
			}
			if rng.IntN(50) == 0 {
				in.Override = &Override{Status: OnTrack, Justification: "Bedömt av nämnden.", By: "KS", On: "2025-02-01"}
			}
			ins = append(ins, in)
		}
	}
	return ins
}

// TestGeneratedInputs runs a sample of the benchmark's inputs as a
// property test: every result is a valid status with a score in range, an
// explanation in both languages, and marshals (no NaN or Inf).
func TestGeneratedInputs(t *testing.T) {
	counts := map[Status]int{}
	for i, in := range genInputs(20, 60, 25, 1) {
		r := Evaluate(in)
		counts[r.Status]++
		for _, x := range []*Result{&r, r.Women, r.Men} {
			if x == nil {
				continue
			}
			if !x.Status.Valid() || !x.Computed.Valid() {
				t.Fatalf("input %d: status %q", i, x.Status)
			}
			if x.Score != nil && (*x.Score < -5 || *x.Score > 5 || math.IsNaN(*x.Score)) {
				t.Fatalf("input %d: score %v", i, *x.Score)
			}
			if (x.Score == nil) != (x.Status == CannotAssess) {
				t.Fatalf("input %d: status %s with score %v", i, x.Status, x.Score)
			}
			if x.Explanation.SV == "" || x.Explanation.EN == "" {
				t.Fatalf("input %d: no explanation", i)
			}
		}
		if _, err := json.Marshal(r); err != nil {
			t.Fatalf("input %d (%+v): %v", i, in.Target, err)
		}
	}
	for _, s := range Statuses {
		if counts[s] == 0 {
			t.Errorf("the generator never produced %s: %v", s, counts)
		}
	}
}

var benchSink Result

// BenchmarkEvaluate evaluates 290 organisations × 60 targets over 25
// years, mixed kinds with K and M series, and reports the time per target
// (including its K and M sub-results and both explanations).
func BenchmarkEvaluate(b *testing.B) {
	ins := genInputs(290, 60, 25, 1)
	b.ReportAllocs()
	for b.Loop() {
		for i := range ins {
			benchSink = Evaluate(ins[i])
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(ins)), "ns/target")
	b.ReportMetric(float64(len(ins)), "targets/op")
}
