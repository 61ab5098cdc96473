package chart

import "math"

// yDomain picks the value range the y-axis must cover before ticks are
// rounded outwards. It returns ok=false when there is nothing to show.
//
// The range starts at zero when all values are positive and not far from
// zero (the smallest is at most half the largest), because a bar-like
// baseline is the honest default for counts and shares. Values far from zero
// (employment 60–75 %) keep their own range so that change stays visible;
// ranges that cross zero (net migration) are kept as they are.
func yDomain(values []float64) (lo, hi float64, ok bool) {
	if len(values) == 0 {
		return 0, 0, false
	}
	lo, hi = values[0], values[0]
	for _, v := range values[1:] {
		lo = math.Min(lo, v)
		hi = math.Max(hi, v)
	}
	switch {
	case lo >= 0 && (lo == hi || lo <= hi/2):
		lo = 0
	case hi <= 0 && (lo == hi || hi >= lo/2):
		hi = 0
	}
	if lo == hi { // only when every value is 0
		hi = 1
	}
	return lo, hi, true
}

// niceTicks returns evenly spaced ticks covering [lo, hi] with a step of 1, 2
// or 5 times a power of ten, using the finest such step that needs at most
// maxIntervals intervals. decimals is how many decimals the step needs, so
// labels can share one precision. It requires lo < hi and maxIntervals ≥ 1.
func niceTicks(lo, hi float64, maxIntervals int) (ticks []float64, decimals int) {
	if maxIntervals < 1 {
		maxIntervals = 1
	}
	raw := (hi - lo) / float64(maxIntervals)
	exp := int(math.Floor(math.Log10(raw))) - 1
	mults := [...]int{1, 2, 5}
	for i := 0; ; i++ {
		m, e := mults[i%3], exp+i/3
		step := float64(m) * math.Pow(10, float64(e))
		// The small slack keeps 0.30000000000000004 from opening an extra interval.
		first := int(math.Floor(lo/step + 1e-9))
		last := int(math.Ceil(hi/step - 1e-9))
		if last-first > maxIntervals {
			continue
		}
		if last == first { // a range narrower than float precision still needs two ticks
			last++
		}
		for k := first; k <= last; k++ {
			ticks = append(ticks, tickValue(k*m, e))
		}
		return ticks, max(0, -e)
	}
}

// tickValue computes n·10^e so that decimal ticks are the doubles nearest to
// their decimal value (0.3, not 0.30000000000000004): dividing by an exact
// power of ten rounds once, multiplying by 0.1 repeatedly does not.
func tickValue(n, e int) float64 {
	if e >= 0 {
		return float64(n) * math.Pow(10, float64(e))
	}
	return float64(n) / math.Pow(10, float64(-e))
}

// yearStep returns the spacing of year labels: every year when they fit,
// otherwise the smallest round step (labels on multiples of it) that gives at
// most maxLabels labels.
func yearStep(minYear, maxYear, maxLabels int) int {
	if maxLabels < 1 {
		maxLabels = 1
	}
	if maxYear-minYear+1 <= maxLabels {
		return 1
	}
	steps := [...]int{2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000}
	for _, s := range steps {
		if floorDiv(maxYear, s)-ceilDiv(minYear, s)+1 <= maxLabels {
			return s
		}
	}
	return steps[len(steps)-1]
}

func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func ceilDiv(a, b int) int {
	return -floorDiv(-a, b)
}
