package chart

import (
	"slices"
	"testing"
)

func TestNiceTicks(t *testing.T) {
	// Expectations are worked out by hand: the finest 1-2-5 step whose
	// outward-rounded range needs at most maxIntervals intervals.
	tests := []struct {
		name         string
		lo, hi       float64
		maxIntervals int
		want         []float64
		wantDecimals int
	}{
		// raw step 20; 10 gives 10 intervals, 20 gives 5.
		{"zero to hundred", 0, 100, 5, []float64{0, 20, 40, 60, 80, 100}, 0},
		// 20 gives −160..60 = 11 intervals; 50 gives −150..100 = 5.
		{"net migration crosses zero", -149, 54, 5, []float64{-150, -100, -50, 0, 50, 100}, 0},
		// 0.1 gives 7 intervals; 0.2 gives 0..0.8 = 4.
		{"decimals", 0, 0.7, 5, []float64{0, 0.2, 0.4, 0.6, 0.8}, 1},
		// 2 gives 60..76 = 8 intervals; 5 gives 60..75 = 3.
		{"far from zero", 60, 75, 5, []float64{60, 65, 70, 75}, 0},
		// 2000 gives 0..14000 = 7; 5000 gives 0..15000 = 3.
		{"thousands", 0, 13112, 5, []float64{0, 5000, 10000, 15000}, 0},
		// 0.05 gives 0..0.15 = 3 intervals with two decimals.
		{"small shares", 0, 0.12, 3, []float64{0, 0.05, 0.1, 0.15}, 2},
		// 1 gives −7..0 = 7 intervals; 2 gives −8..0 = 4.
		{"all negative", -7, 0, 5, []float64{-8, -6, -4, -2, 0}, 0},
		{"unit range", 0, 1, 5, []float64{0, 0.2, 0.4, 0.6, 0.8, 1}, 1},
		// 20 gives 40..220 = 9 intervals; 50 gives 0..250 = 5.
		{"offset range", 47, 212, 6, []float64{0, 50, 100, 150, 200, 250}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, dec := niceTicks(tt.lo, tt.hi, tt.maxIntervals)
			if !slices.Equal(got, tt.want) {
				t.Errorf("niceTicks(%v, %v, %d) = %v, want %v", tt.lo, tt.hi, tt.maxIntervals, got, tt.want)
			}
			if dec != tt.wantDecimals {
				t.Errorf("decimals = %d, want %d", dec, tt.wantDecimals)
			}
		})
	}
}

func TestYDomain(t *testing.T) {
	tests := []struct {
		name    string
		values  []float64
		lo, hi  float64
		wantOK  bool
		comment string
	}{
		{"empty", nil, 0, 0, false, ""},
		{"near zero starts at zero", []float64{12, 30}, 0, 30, true, "12 ≤ 30/2"},
		{"far from zero keeps range", []float64{60, 75}, 60, 75, true, "60 > 75/2"},
		{"crossing zero", []float64{-149, 54}, -149, 54, true, ""},
		{"negative near zero ends at zero", []float64{-30, -5}, -30, 0, true, ""},
		{"negative far from zero", []float64{-30, -25}, -30, -25, true, ""},
		{"equal positive", []float64{7, 7, 7}, 0, 7, true, ""},
		{"equal negative", []float64{-3, -3}, -3, 0, true, ""},
		{"all zero", []float64{0, 0}, 0, 1, true, ""},
		{"single", []float64{12.5}, 0, 12.5, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lo, hi, ok := yDomain(tt.values)
			if lo != tt.lo || hi != tt.hi || ok != tt.wantOK {
				t.Errorf("yDomain(%v) = %v, %v, %v; want %v, %v, %v", tt.values, lo, hi, ok, tt.lo, tt.hi, tt.wantOK)
			}
		})
	}
}

func TestYearStep(t *testing.T) {
	tests := []struct {
		name             string
		minYear, maxYear int
		maxLabels        int
		want             int
	}{
		{"ten years every year", 2015, 2024, 12, 1},
		{"twelve years every year", 2013, 2024, 12, 1},
		{"single year", 2024, 2024, 12, 1},
		// 18 years: even years 2008..2024 are 9 labels.
		{"eighteen years", 2007, 2024, 12, 2},
		// 25 years: even years are 13 labels, multiples of 5 are 5.
		{"twenty-five years", 2000, 2024, 12, 5},
		// 10 years in a narrow chart: 2016..2024 even years are 5 labels.
		{"narrow chart", 2015, 2024, 5, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := yearStep(tt.minYear, tt.maxYear, tt.maxLabels); got != tt.want {
				t.Errorf("yearStep(%d, %d, %d) = %d, want %d", tt.minYear, tt.maxYear, tt.maxLabels, got, tt.want)
			}
		})
	}
}
