package progress

import "math"

// This file holds Statistics Canada's progress measure as Open SDG's
// sdg-build implements it (sdg/ProgressMeasure.py). Constants and score
// lines are theirs, kept exactly, so that a series gets the same status
// and score here as on an Open SDG site.

// Open SDG's thresholds: methodology 2 compares R = observed/required
// growth with 0.95 / 0.60 / 0; methodology 1 compares the signed growth
// itself with 1.5 % / 0.5 % / 0.
const (
	ratioHigh  = 0.95
	ratioMed   = 0.60
	ratioLow   = 0.0
	growthHigh = 0.015
	growthMed  = 0.005
	growthLow  = 0.0
	// limitExponent shapes how fast the no-target thresholds shrink as the
	// base value nears a natural limit.
	limitExponent = 4.44
	// zeroStandIn replaces a base or target value of 0, where growth is
	// undefined.
	zeroStandIn = 0.001
)

// growth is the compound annual growth rate from (t0, v0) to (t, v):
// (v/v0)^(1/(t−t0)) − 1. Callers ensure t > t0, v0 ≠ 0 and equal signs.
func growth(v, v0 float64, t, t0 int) float64 {
	return math.Pow(v/v0, 1/float64(t-t0)) - 1
}

// sign is −1 for a negative base, else 1: growth between two negative
// values runs opposite to the change in value, and Open SDG flips it.
func sign(base float64) float64 {
	if base < 0 {
		return -1
	}
	return 1
}

// targetRatio is methodology 2's progress value
// R = sign·direction·observed / |required|.
func targetRatio(observed, required, base float64, direction int) float64 {
	return sign(base) * float64(direction) * observed / math.Abs(required)
}

// limitCoefficient is the factor C in [0, 1] that scales the no-target
// thresholds when the base value is near a natural limit L: 1 − (b/L)^4.44
// below it, mirrored above it, 1 from 2L on (so also when L is 0).
func limitCoefficient(base, limit float64) float64 {
	b, l := math.Abs(base), math.Abs(limit)
	switch {
	case b >= 2*l: // first, so that b = L = 0 gives 1
		return 1
	case b <= l:
		return 1 - math.Pow(b/l, limitExponent)
	default:
		return 1 - math.Pow((2*l-b)/l, limitExponent)
	}
}

// statusFromValue is get_progress_status for a progress value against
// high/med/low thresholds.
func statusFromValue(v, high, med, low float64) Status {
	switch {
	case v >= high:
		return OnTrack
	case v >= med:
		return AccelerationNeeded
	case v >= low:
		return LimitedProgress
	default:
		return Deterioration
	}
}

// ratioStatus is methodology 2's status for R.
func ratioStatus(r float64) Status { return statusFromValue(r, ratioHigh, ratioMed, ratioLow) }

// growthStatus is methodology 1's status for a signed growth with the
// thresholds scaled by the limit coefficient c.
func growthStatus(v, c float64) Status {
	return statusFromValue(v, growthHigh*c, growthMed*c, growthLow*c)
}

// ratioScore is Open SDG's score for R: two lines through (0, −2.5),
// (0.6, 0), (0.95, 2.5), clamped to ±5. The rounded slopes are theirs; they
// put each threshold a hair on the favourable side of its band edge.
func ratioScore(r float64) float64 {
	if r >= ratioMed {
		return math.Min(7.1429*r-4.2857, 5)
	}
	return math.Max(4.1667*r-2.5, -5)
}

// growthScore is Open SDG's score for a signed growth v with limit
// coefficient c: lines through (−0.02, −5), (0, −2.5), (0.005c, 0),
// (0.015c, 2.5), (0.02c, 5); a base at the limit that holds scores 5.
func growthScore(v, c float64) float64 {
	switch {
	case v < growthLow:
		return math.Max(125*v-2.5, -5)
	case c == 0:
		return 5
	case v >= growthHigh*c:
		return math.Min(500*v/c-5, 5)
	case v >= growthMed*c:
		return 250*v/c - 1.25
	default:
		return 500*v/c - 2.5
	}
}
