package report

import (
	"math"
	"strings"
	"testing"

	"github.com/inkludera/inkludera/internal/i18n"
	"github.com/inkludera/inkludera/internal/progress"
)

// The appendix states the engine's thresholds; these tests find each one
// in the engine's verdicts, so that a change there fails here until the
// appendix says the same.

func evaluate(kind progress.Kind, cmp progress.Comparator, value *float64, unit string, targetYear int, pts ...progress.Point) progress.Result {
	return progress.Evaluate(progress.Input{
		Target: progress.Target{Kind: kind, Comparator: cmp, Value: value, Unit: unit, TargetYear: targetYear},
		Series: progress.Series{progress.Total: pts},
	})
}

func f64(v float64) *float64 { return &v }

const eps = 1e-4

func TestMethodRatioThresholds(t *testing.T) {
	// minst 200 år 2020 from 100 in 2010, judged in 2015
	req := math.Pow(2, 1.0/10) - 1
	at := func(r float64) progress.Status {
		v := 100 * math.Pow(1+r*req, 5)
		return evaluate(progress.Threshold, progress.AtLeast, f64(200), "", 2020,
			progress.Point{Year: 2010, Value: 100}, progress.Point{Year: 2015, Value: v}).Status
	}
	tests := []struct {
		r    float64
		want progress.Status
	}{
		{ratioOnTrack + eps, progress.OnTrack},
		{ratioOnTrack - eps, progress.AccelerationNeeded},
		{ratioAcceleration + eps, progress.AccelerationNeeded},
		{ratioAcceleration - eps, progress.LimitedProgress},
		{eps, progress.LimitedProgress},
		{-eps, progress.Deterioration},
	}
	for _, tt := range tests {
		if got := at(tt.r); got != tt.want {
			t.Errorf("R = %.4f: %s, the appendix says %s", tt.r, got, tt.want)
		}
	}
}

func TestMethodGrowthThresholds(t *testing.T) {
	// ska öka, from 100 in 2000 to 2010 at a yearly growth g
	at := func(g, base float64, unit string) progress.Status {
		return evaluate(progress.Direction, progress.Increase, nil, unit, 0,
			progress.Point{Year: 2000, Value: base}, progress.Point{Year: 2010, Value: base * math.Pow(1+g, 10)}).Status
	}
	tests := []struct {
		g    float64
		want progress.Status
	}{
		{growthOnTrack + eps, progress.OnTrack},
		{growthOnTrack - eps, progress.AccelerationNeeded},
		{growthAccel + eps, progress.AccelerationNeeded},
		{growthAccel - eps, progress.LimitedProgress},
		{-0.002, progress.Deterioration},
	}
	for _, tt := range tests {
		if got := at(tt.g, 100, ""); got != tt.want {
			t.Errorf("growth %.4f: %s, the appendix says %s", tt.g, got, tt.want)
		}
	}
	// a share from 50 %: the thresholds shrink by 1 − 0.5^4.44
	c := 1 - math.Pow(0.5, limitExponent)
	if got := at(growthOnTrack*c+eps, 50, "%"); got != progress.OnTrack {
		t.Errorf("a share just above the scaled threshold: %s, want on_track", got)
	}
	if got := at(growthOnTrack*c-eps, 50, "%"); got != progress.AccelerationNeeded {
		t.Errorf("a share just below the scaled threshold: %s, want acceleration_needed", got)
	}
}

func TestMethodNoiseBand(t *testing.T) {
	// ska minska, but the value rose: within the band it is no change
	at := func(latest float64) progress.Status {
		return evaluate(progress.Direction, progress.Decrease, nil, "", 0,
			progress.Point{Year: 2000, Value: 100}, progress.Point{Year: 2010, Value: latest}).Status
	}
	band := 100 * progress.DefaultNoiseBand
	if got := at(100 + band - 0.1); got != progress.LimitedProgress {
		t.Errorf("inside the band: %s, want limited_progress", got)
	}
	if got := at(100 + band + 0.1); got != progress.Deterioration {
		t.Errorf("outside the band: %s, want deterioration", got)
	}
}

func TestMethodTolerance(t *testing.T) {
	at := func(latest float64) progress.Status {
		return evaluate(progress.Threshold, progress.About, f64(100), "", 2030,
			progress.Point{Year: 2010, Value: 80}, progress.Point{Year: 2020, Value: latest}).Status
	}
	edge := 100 * (1 - progress.DefaultTolerance)
	if got := at(edge + 0.1); got != progress.Achieved {
		t.Errorf("inside ±%v: %s, want achieved", progress.DefaultTolerance, got)
	}
	if got := at(edge - 0.1); got == progress.Achieved {
		t.Errorf("outside ±%v: achieved", progress.DefaultTolerance)
	}
}

func TestMethodPerYearWindow(t *testing.T) {
	// minst 100 per år: an old miss outside the window does not count
	pts := []progress.Point{{Year: 2010, Value: 90}}
	for y := 2011; y < 2011+perYearWindow; y++ {
		pts = append(pts, progress.Point{Year: y, Value: 100})
	}
	if got := evaluate(progress.PerYear, progress.AtLeast, f64(100), "", 0, pts...).Status; got != progress.Achieved {
		t.Errorf("the last %d years met: %s, want achieved", perYearWindow, got)
	}
	if got := evaluate(progress.PerYear, progress.AtLeast, f64(100), "", 0, pts[:perYearWindow]...).Status; got != progress.OnTrack {
		t.Errorf("a miss inside the window: %s, want on_track", got)
	}
}

func TestMethodProjectionAndZero(t *testing.T) {
	pt := func(y int, v float64) progress.Point { return progress.Point{Year: y, Value: v} }
	pts := []progress.Point{pt(2010, 1000), pt(2011, 10), pt(2012, 11), pt(2013, 12), pt(2014, 13), pt(2015, 14)}
	r := evaluate(progress.Threshold, progress.AtLeast, f64(5000), "", 2020, pts...)
	// the line through the last five points (10…14, one a year) reaches
	// 19 in 2020; with the first point it would not
	if r.Projection == nil || r.Projection.Linear == nil || math.Abs(*r.Projection.Linear-19) > 1e-9 || r.Projection.Points != trendPoints {
		t.Errorf("projection = %+v, want the line of the last %d points at 19", r.Projection, trendPoints)
	}
	short := evaluate(progress.Threshold, progress.AtLeast, f64(5000), "", 2020, pts[len(pts)-minProjection+1:]...)
	if short.Projection == nil || short.Projection.Linear != nil || short.Projection.Note == nil {
		t.Errorf("with %d points: projection %+v, want a note instead", minProjection-1, short.Projection)
	}
	enough := evaluate(progress.Threshold, progress.AtLeast, f64(5000), "", 2020, pts[len(pts)-minProjection:]...)
	if enough.Projection == nil || enough.Projection.Linear == nil {
		t.Errorf("with %d points: no projection", minProjection)
	}
	zero := evaluate(progress.Direction, progress.Increase, nil, "", 0, pt(2010, 0), pt(2015, 5))
	if !strings.Contains(joinNotes(zero.Notes), i18n.FormatNumber(zeroStandIn, 3)) {
		t.Errorf("a base of 0: notes %q do not name %v", joinNotes(zero.Notes), zeroStandIn)
	}
}

func joinNotes(ns []progress.Text) string {
	var s []string
	for _, n := range ns {
		s = append(s, n.SV)
	}
	return strings.Join(s, " ")
}

func TestMethodScoreBands(t *testing.T) {
	tests := []struct {
		score float64
		want  progress.Status
	}{
		{scoreOnTrack, progress.OnTrack},
		{scoreOnTrack - eps, progress.AccelerationNeeded},
		{0, progress.AccelerationNeeded},
		{-eps, progress.LimitedProgress},
		{scoreDeterioriate, progress.LimitedProgress},
		{scoreDeterioriate - eps, progress.Deterioration},
	}
	for _, tt := range tests {
		if got := progress.StatusFromScore(tt.score); got != tt.want {
			t.Errorf("mean score %v: %s, the appendix says %s", tt.score, got, tt.want)
		}
	}
}

// TestMethodText checks that the appendix states the numbers above in
// Swedish form, and names every status the engine has.
func TestMethodText(t *testing.T) {
	var b strings.Builder
	for _, s := range method() {
		b.WriteString(s.Title + "\n" + strings.Join(s.Paragraphs, "\n") + "\n" + strings.Join(s.Items, "\n") + "\n")
		if s.Table != nil {
			for _, r := range s.Table.Rows {
				if len(r) != len(s.Table.Columns) {
					t.Errorf("%s: a row of %d cells under %d columns", s.Table.Caption, len(r), len(s.Table.Columns))
				}
				b.WriteString(strings.Join(r, " | ") + "\n")
			}
		}
	}
	text := b.String()
	for _, want := range []string{
		"minst 0,95", "från 0,6 till 0,95", "minst 1,5\u00a0%", "från 0,5\u00a0% till 1,5\u00a0%",
		"±1\u00a0%", "±5\u00a0%", "^4,44", "0,001", "De 3 senaste åren", "de 5 senaste", "minst 3 värden",
		"minst 2,5", "från −2,5", "Statistics Canada", "Open SDG", "CAGR", "Kvinnor och män", "Prognos",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the appendix does not say %q", want)
		}
	}
	for _, s := range progress.Statuses {
		if !strings.Contains(strings.ToLower(text), s.Label().SV) {
			t.Errorf("the appendix does not name the status %q", s.Label().SV)
		}
	}
}
