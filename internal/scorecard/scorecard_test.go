package scorecard

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/inkludera/inkludera/internal/progress"
	"github.com/inkludera/inkludera/internal/store"
	"github.com/inkludera/inkludera/internal/strategy"
)

func ptr(v float64) *float64 { return &v }

// bundle is a document with one target of each kind.
func bundle() strategy.Bundle {
	ind := func(key string, gender bool) strategy.Indicator {
		i := strategy.Indicator{Key: key, Title: key, Unit: "%", Polarity: strategy.HigherIsBetter, Source: "manual"}
		if gender {
			i.Breakdowns = []string{strategy.BreakdownGender}
		}
		return i
	}
	obs := func(key string, g strategy.Gender, from int, values ...*float64) []strategy.Observation {
		var out []strategy.Observation
		for i, v := range values {
			out = append(out, strategy.Observation{Indicator: key, Org: "2380", Year: from + i, Gender: g, Value: v, Source: "demo"})
		}
		return out
	}
	var observations []strategy.Observation
	// 8,1 (2015) … 9,4 (2019): observed growth (9,4/8,1)^(1/4)−1 = 3,79 %,
	// required (10/8,1)^(1/5)−1 = 4,30 %, R = 0,88 → acceleration needed.
	observations = append(observations, obs("andel", strategy.Total, 2015, ptr(8.1), ptr(8.4), nil, ptr(9.0), ptr(9.4), ptr(12))...)
	// Above the target from the start: achieved, for women and men too.
	observations = append(observations, obs("sysselsatta", strategy.Total, 2016, ptr(61), ptr(62))...)
	observations = append(observations, obs("sysselsatta", strategy.Women, 2016, ptr(60), ptr(61))...)
	observations = append(observations, obs("sysselsatta", strategy.Men, 2016, ptr(62), ptr(63))...)
	// Another organisation's values must not count.
	observations = append(observations, strategy.Observation{Indicator: "andel", Org: "2313", Year: 2019, Gender: strategy.Total, Value: ptr(50)})
	return strategy.Bundle{
		Organisation: &strategy.Organisation{Code: "2380", Name: "Östersunds kommun", Kind: strategy.OrgKommun},
		Indicators:   []strategy.Indicator{ind("andel", false), ind("sysselsatta", true)},
		Document: &strategy.Document{
			Key: "strategi", Org: "2380", Kind: strategy.KindStrategy, Title: "Strategi", Status: strategy.StatusDraft,
			Areas: []strategy.Area{{
				Key: "a", Title: "Område",
				Goals: []strategy.Goal{{
					Key: "g", Level: strategy.GoalLongTerm, Title: "Mål",
					Targets: []strategy.Target{
						{Key: "tio", Text: "Minst 10 % år 2020", Kind: strategy.TargetThreshold, Comparator: strategy.AtLeast,
							Value: ptr(10), Unit: "%", TargetYear: 2020, Indicator: "andel"},
					},
					Goals: []strategy.Goal{{
						Key: "d", Level: strategy.GoalSub, Title: "Delmål",
						Targets: []strategy.Target{
							{Key: "sextio", Text: "Minst 60 %", Kind: strategy.TargetThreshold, Comparator: strategy.AtLeast,
								Value: ptr(60), Unit: "%", TargetYear: 2020, Indicator: "sysselsatta"},
							{Key: "kval", Text: "Bättre bemötande", Kind: strategy.TargetQualitative,
								Assessment: &strategy.Assessment{Status: strategy.OnTrack, Justification: "Enkäten visar det."}},
						},
					}},
				}},
			}},
		},
		Observations: observations,
	}
}

func TestEvaluate(t *testing.T) {
	b := bundle()
	sc := Evaluate(*b.Document, indicatorsOf(b), b.Observations, 2019)

	tests := []struct {
		target string
		want   progress.Status
	}{
		{"tio", progress.AccelerationNeeded},
		{"sextio", progress.Achieved},
		{"kval", progress.OnTrack},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			st, ok := sc.Target(tt.target)
			if !ok {
				t.Fatal("no verdict")
			}
			if st.Code != tt.want {
				t.Errorf("status %s, want %s: %s", st.Code, tt.want, st.Explanation.SV)
			}
			if st.Explanation.SV == "" || st.Explanation.EN == "" || st.Label.SV == "" || st.Icon == "" {
				t.Errorf("verdict lacks words: %+v", st)
			}
		})
	}

	tio, _ := sc.Target("tio")
	// The 2020 value (12) lies after the evaluation year and 2313's 50 is
	// another organisation's: neither may count.
	if in := tio.Inputs; in.LatestYear != 2019 || *in.LatestValue != 9.4 || in.BaseYear != 2015 {
		t.Errorf("inputs = latest %d %v, base %d", in.LatestYear, *in.LatestValue, in.BaseYear)
	}
	if r := *tio.Inputs.Ratio; r < 0.87 || r > 0.89 {
		t.Errorf("R = %v, want 0,88", r)
	}
	if six, _ := sc.Target("sextio"); six.Women == nil || six.Men == nil || six.GenderGap == nil || six.GenderGap.Difference != -2 {
		t.Errorf("per-gender verdicts missing: %+v", six)
	}
	kval, _ := sc.Target("kval")
	if kval.Computed != progress.CannotAssess || kval.Override == nil {
		t.Errorf("qualitative: computed %s, override %+v", kval.Computed, kval.Override)
	}

	// Roll-ups: the long-term goal counts its sub-goal's targets.
	goal := sc.Areas[0].Goals[0]
	if goal.Summary.Total != 3 || goal.Goals[0].Summary.Total != 2 || sc.Summary.Total != 3 || sc.Areas[0].Summary.Total != 3 {
		t.Errorf("totals: goal %d, sub-goal %d, area %d, document %d",
			goal.Summary.Total, goal.Goals[0].Summary.Total, sc.Areas[0].Summary.Total, sc.Summary.Total)
	}
	if c := sc.Summary.Counts; c[progress.Achieved] != 1 || c[progress.OnTrack] != 1 || c[progress.AccelerationNeeded] != 1 {
		t.Errorf("counts = %v", c)
	}
}

func indicatorsOf(b strategy.Bundle) map[string]strategy.Indicator {
	m := map[string]strategy.Indicator{}
	for _, ind := range b.Indicators {
		m[ind.Key] = ind
	}
	return m
}

func TestTargetWithoutUnitSpeaksInTheIndicatorsUnit(t *testing.T) {
	b := bundle()
	goal := &b.Document.Areas[0].Goals[0]
	goal.Targets = append(goal.Targets, strategy.Target{Key: "oka", Text: "Andelen ska öka", Kind: strategy.TargetDirection,
		Comparator: strategy.Increase, Indicator: "andel"})
	sc := Evaluate(*b.Document, indicatorsOf(b), b.Observations, 2019)
	st, _ := sc.Target("oka")
	// "Andelen ökade från 8,1 % (2015) …": the indicator's "%" made it a share.
	if !strings.HasPrefix(st.Explanation.SV, "Andelen ökade från 8,1\u00a0%") {
		t.Errorf("explanation = %q", st.Explanation.SV)
	}
}

func TestBuildReadsTheStore(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Import(ctx, []strategy.Bundle{bundle()}); err != nil {
		t.Fatal(err)
	}
	doc, err := st.Document(ctx, "strategi")
	if err != nil {
		t.Fatal(err)
	}
	sc, err := Build(ctx, st, doc, 2019)
	if err != nil {
		t.Fatal(err)
	}
	want := Evaluate(*bundle().Document, indicatorsOf(bundle()), bundle().Observations, 2019)
	for _, key := range []string{"tio", "sextio", "kval"} {
		got, _ := sc.Target(key)
		w, _ := want.Target(key)
		if got.Code != w.Code || got.Explanation != w.Explanation {
			t.Errorf("%s: from the store %s %q, in memory %s %q", key, got.Code, got.Explanation.SV, w.Code, w.Explanation.SV)
		}
	}
}
