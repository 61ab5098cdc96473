// Package allocation computes fördelningstal: how many of a yearly number of
// units — praktikplatser and subventionerade anställningar, or places in the
// reception of newcomers — each body or locality is asked to provide.
//
// Every calculation ends in Hamilton's largest-remainder method, which keeps
// each share within one unit of its exact quota and always adds up to the
// total; a Calculation shows each step so that the figures can be checked
// and explained to the bodies that receive them.
package allocation

import (
	"fmt"
	"math"
	"slices"
)

// LargestRemainder divides total whole units in proportion to weights by
// Hamilton's method: each index gets the floor of its quota
// total·w/Σw, and the units left over go one each to the largest
// remainders. Ties — remainders equal to nine decimals, so that float noise
// does not decide — go to the larger weight, then to the lower index (the
// order the caller listed them in), which makes the result deterministic.
//
// Weights must be finite and non-negative; when total > 0 at least one must
// be positive. Errors are Errors, with Row the 1-based index of the weight.
func LargestRemainder(total int, weights []float64) ([]int, error) {
	a, err := apportion(total, weights)
	if err != nil {
		return nil, err
	}
	return a.counts, nil
}

// apportionment is every step of one largest-remainder division.
type apportionment struct {
	shares     []float64 // w/Σw
	quotas     []float64
	floors     []int
	remainders []float64
	extra      []bool
	counts     []int
}

func apportion(total int, weights []float64) (apportionment, error) {
	var p problems
	if total < 0 {
		p.add(0, "", "total", "totalt antal", "must not be negative", "får inte vara negativt")
	}
	maxW := 0.0
	for i, w := range weights {
		switch {
		case math.IsNaN(w):
			p.add(i+1, "", "weight", "vikt", "must be a number", "måste vara ett tal")
		case math.IsInf(w, 0):
			p.add(i+1, "", "weight", "vikt", "must be finite", "måste vara ändlig")
		case w < 0:
			p.add(i+1, "", "weight", "vikt", "must not be negative", "får inte vara negativ")
		default:
			maxW = max(maxW, w)
		}
	}
	if err := p.err(); err != nil {
		return apportionment{}, err
	}
	if total > 0 && maxW == 0 {
		if len(weights) == 0 {
			p.add(0, "", "weights", "vikter", "are empty, so there is nothing to allocate to", "saknas, så det finns inget att fördela på")
		} else {
			p.add(0, "", "weights", "vikter", "are all zero, so there is nothing to allocate by", "är alla noll, så det finns inget att fördela efter")
		}
		return apportionment{}, p.err()
	}

	n := len(weights)
	a := apportionment{
		shares:     make([]float64, n),
		quotas:     make([]float64, n),
		floors:     make([]int, n),
		remainders: make([]float64, n),
		extra:      make([]bool, n),
		counts:     make([]int, n),
	}
	if maxW == 0 {
		return a, nil // total is 0: nothing to divide, and no weight to share by
	}
	// Scaling by the largest weight first keeps the sum finite even for
	// weights near MaxFloat64.
	sum := 0.0
	for _, w := range weights {
		sum += w / maxW
	}
	assigned := 0
	for i, w := range weights {
		a.shares[i] = (w / maxW) / sum
		q := float64(total) * a.shares[i]
		// An exact integer quota computed as 2.9999999999 must not lose a unit
		// to float noise.
		if r := math.Round(q); math.Abs(q-r) <= 1e-9*max(1, q) {
			q = r
		}
		f := math.Floor(q)
		a.quotas[i], a.floors[i], a.remainders[i] = q, int(f), q-f
		assigned += int(f)
	}
	left := total - assigned
	if left < 0 || left > n {
		// Impossible in exact arithmetic: the floors sum to within n of total.
		return apportionment{}, fmt.Errorf("allocation: %d units left after the floors for %d rows", left, n)
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	key := func(r float64) float64 { return math.Round(r * 1e9) }
	slices.SortStableFunc(order, func(i, j int) int {
		if ri, rj := key(a.remainders[i]), key(a.remainders[j]); ri != rj {
			if ri > rj {
				return -1
			}
			return 1
		}
		if weights[i] != weights[j] {
			if weights[i] > weights[j] {
				return -1
			}
			return 1
		}
		return i - j
	})
	for i := range a.counts {
		a.counts[i] = a.floors[i]
	}
	for _, i := range order[:left] {
		a.extra[i] = true
		a.counts[i]++
	}
	return a, nil
}
