package progress

import (
	"math"
	"testing"
)

const eps = 1e-4

func near(a, b float64) bool { return math.Abs(a-b) <= eps }

func TestGrowth(t *testing.T) {
	tests := []struct {
		name        string
		v, v0       float64
		t1, t0      int
		want        float64
		explanation string
	}{
		// (9.4/8.1)^(1/4) − 1 = 1.160494^0.25 − 1 = 1.037912 − 1
		{"four years up", 9.4, 8.1, 2019, 2015, 0.037912, ""},
		// (10/8.1)^(1/5) − 1 = 1.234568^0.2 − 1 = 1.043045 − 1
		{"required to target", 10, 8.1, 2020, 2015, 0.043045, ""},
		// (7.5/8)^(1/2) − 1 = 0.968246 − 1
		{"down", 7.5, 8, 2017, 2015, -0.031754, ""},
		// (−8/−10)^(1/2) − 1 = 0.894427 − 1: negative values rising give
		// negative growth; the caller's sign flips it
		{"negative values", -8, -10, 2017, 2015, -0.105573, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := growth(tt.v, tt.v0, tt.t1, tt.t0); !near(got, tt.want) {
				t.Errorf("growth = %.6f, want %.6f", got, tt.want)
			}
		})
	}
}

// TestRatioThresholds pins Open SDG's methodology 2 bands at their edges:
// R ≥ 0.95 on track, 0.60 ≤ R < 0.95 acceleration needed, 0 ≤ R < 0.60
// limited, R < 0 deterioration.
func TestRatioThresholds(t *testing.T) {
	tests := []struct {
		r    float64
		want Status
	}{
		{2, OnTrack},
		{0.95, OnTrack},
		{math.Nextafter(0.95, 0), AccelerationNeeded},
		{0.60, AccelerationNeeded},
		{math.Nextafter(0.60, 0), LimitedProgress},
		{0, LimitedProgress},
		{math.Nextafter(0, -1), Deterioration},
		{-3, Deterioration},
	}
	for _, tt := range tests {
		if got := ratioStatus(tt.r); got != tt.want {
			t.Errorf("ratioStatus(%v) = %s, want %s", tt.r, got, tt.want)
		}
		// a band's score maps back to the same status, as Open SDG's
		// aggregation relies on; not a hair below an edge, where Open
		// SDG's rounded slopes (7.1429, 4.2857, 4.1667) and the closed
		// score bands tip it to the better side, as they do there
		if tt.r != math.Nextafter(0.95, 0) && tt.r != math.Nextafter(0.60, 0) && tt.r != math.Nextafter(0, -1) &&
			StatusFromScore(ratioScore(tt.r)) != tt.want {
			got := StatusFromScore(ratioScore(tt.r))
			t.Errorf("StatusFromScore(ratioScore(%v)) = %s, want %s", tt.r, got, tt.want)
		}
	}
}

// TestGrowthThresholds pins methodology 1: signed growth ≥ 1.5 % on track,
// 0.5–1.5 % acceleration needed, 0–0.5 % limited, < 0 deterioration; all
// thresholds times the limit coefficient.
func TestGrowthThresholds(t *testing.T) {
	tests := []struct {
		v, c float64
		want Status
	}{
		{0.015, 1, OnTrack},
		{math.Nextafter(0.015, 0), 1, AccelerationNeeded},
		{0.005, 1, AccelerationNeeded},
		{math.Nextafter(0.005, 0), 1, LimitedProgress},
		{0, 1, LimitedProgress},
		{math.Nextafter(0, -1), 1, Deterioration},
		// c = 0.5 halves the thresholds: 0.0075 / 0.0025 / 0
		{0.0075, 0.5, OnTrack},
		{0.0074, 0.5, AccelerationNeeded},
		{0.0025, 0.5, AccelerationNeeded},
		{0.0024, 0.5, LimitedProgress},
		// at the limit (c = 0) holding on is on track
		{0, 0, OnTrack},
	}
	for _, tt := range tests {
		if got := growthStatus(tt.v, tt.c); got != tt.want {
			t.Errorf("growthStatus(%v, %v) = %s, want %s", tt.v, tt.c, got, tt.want)
		}
		if tt.v != math.Nextafter(0, -1) && StatusFromScore(growthScore(tt.v, tt.c)) != tt.want {
			got := StatusFromScore(growthScore(tt.v, tt.c))
			t.Errorf("StatusFromScore(growthScore(%v, %v)) = %s, want %s", tt.v, tt.c, got, tt.want)
		}
	}
}

func TestRatioScore(t *testing.T) {
	tests := []struct{ r, want float64 }{
		{0.95, 2.500055},  // 7.1429·0.95 − 4.2857 = 6.785755 − 4.2857
		{0.60, 0.00004},   // 7.1429·0.6 − 4.2857 = 4.28574 − 4.2857
		{0.88076, 2.0055}, // 7.1429·0.88076 − 4.2857 = 6.29118 − 4.2857
		{1.3, 5},          // 7.1429·1.3 − 4.2857 = 5.00007, capped at 5
		{0.3, -1.24999},   // 4.1667·0.3 − 2.5
		{0, -2.5},         // 4.1667·0 − 2.5
		{-0.6, -5},        // 4.1667·(−0.6) − 2.5 = −5.00002, floored at −5
	}
	for _, tt := range tests {
		if got := ratioScore(tt.r); !near(got, tt.want) {
			t.Errorf("ratioScore(%v) = %.6f, want %.6f", tt.r, got, tt.want)
		}
	}
}

func TestGrowthScore(t *testing.T) {
	tests := []struct{ v, c, want float64 }{
		{0.015, 1, 2.5},               // 500·0.015 − 5
		{0.02, 1, 5},                  // 500·0.02 − 5
		{0.01, 1, 1.25},               // 250·0.01 − 1.25
		{0.005, 1, 0},                 // 250·0.005 − 1.25
		{0.0025, 1, -1.25},            // 500·0.0025 − 2.5
		{0, 1, -2.5},                  // 500·0 − 2.5
		{-0.01, 1, -3.75},             // 125·(−0.01) − 2.5
		{-0.05, 1, -5},                // 125·(−0.05) − 2.5 = −8.75, floored
		{0.0075, 0.5, 2.5},            // 500·0.0075/0.5 − 5
		{0, 0, 5},                     // at the limit and holding
		{0.002766, 0.37362, 0.600899}, // 250·0.002766/0.37362 − 1.25
	}
	for _, tt := range tests {
		if got := growthScore(tt.v, tt.c); !near(got, tt.want) {
			t.Errorf("growthScore(%v, %v) = %.6f, want %.6f", tt.v, tt.c, got, tt.want)
		}
	}
}

func TestLimitCoefficient(t *testing.T) {
	tests := []struct{ base, limit, want float64 }{
		{50, 100, 0.953929},  // 1 − 0.5^4.44 = 1 − e^(4.44·ln 0.5) = 1 − 0.046071
		{90, 100, 0.373622},  // 1 − 0.9^4.44 = 1 − e^(−0.467801) = 1 − 0.626378
		{100, 100, 0},        // at the limit: no room left
		{150, 100, 0.953929}, // mirrored: 1 − ((200 − 150)/100)^4.44
		{200, 100, 1},        // from 2L on, no scaling
		{0, 0, 1},            // a floor of 0 never scales
		{-50, -100, 0.953929},
	}
	for _, tt := range tests {
		if got := limitCoefficient(tt.base, tt.limit); !near(got, tt.want) {
			t.Errorf("limitCoefficient(%v, %v) = %.6f, want %.6f", tt.base, tt.limit, got, tt.want)
		}
	}
}

func TestStatusTable(t *testing.T) {
	for _, s := range Statuses {
		if !s.Valid() || s.Label().SV == "" || s.Label().EN == "" || s.Icon() == "" {
			t.Errorf("%s: incomplete entry", s)
		}
		score, ok := s.Score()
		if ok != (s != CannotAssess) {
			t.Errorf("%s: scored = %v", s, ok)
		}
		// a nominal score maps back to its own status (achieved and
		// not_achieved, which a mean cannot give, aside)
		if ok && s != Achieved && s != NotAchieved && StatusFromScore(score) != s {
			t.Errorf("%s: nominal score %v maps to %s", s, score, StatusFromScore(score))
		}
	}
	if Status("bogus").Valid() {
		t.Error("bogus status is valid")
	}
}
