package allocation

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestLargestRemainderKnown(t *testing.T) {
	tests := []struct {
		name    string
		total   int
		weights []float64
		want    []int
	}{
		// Wikipedia's largest remainder example, Hare quota.
		{"hare example", 10, []float64{47000, 16000, 15800, 12000, 6100, 3100}, []int{5, 2, 1, 1, 1, 0}},
		{"exact quotas", 6, []float64{1, 2, 3}, []int{1, 2, 3}},
		{"tie goes to larger weight", 2, []float64{1, 3}, []int{0, 2}},
		{"tie goes to larger weight listed first", 2, []float64{3, 1}, []int{2, 0}},
		{"equal weights tie to lower index", 2, []float64{1, 1, 1}, []int{1, 1, 0}},
		{"zero weight gets nothing", 5, []float64{0, 1, 1}, []int{0, 3, 2}},
		{"total zero", 0, []float64{1, 2}, []int{0, 0}},
		{"total zero with zero weights", 0, []float64{0, 0}, []int{0, 0}},
		{"empty with total zero", 0, nil, []int{}},
		{"float noise does not cost a unit", 10, []float64{0.1, 0.2, 0.7}, []int{1, 2, 7}},
		{"thirds of a hundred", 100, []float64{1, 1, 1}, []int{34, 33, 33}},
		{"huge weights stay finite", 3, []float64{math.MaxFloat64, math.MaxFloat64, math.MaxFloat64}, []int{1, 1, 1}},
		{"tiny weights", 4, []float64{5e-324, 5e-324}, []int{2, 2}},
		// The Alabama paradox: Hamilton's method may give a row less when the
		// total grows. Pinned so that a change of method is noticed.
		{"alabama 10", 10, []float64{6, 6, 2}, []int{4, 4, 2}},
		{"alabama 11", 11, []float64{6, 6, 2}, []int{5, 5, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := LargestRemainder(tt.total, tt.weights)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("LargestRemainder(%d, %v) = %v, want %v", tt.total, tt.weights, got, tt.want)
			}
		})
	}
}

func TestLargestRemainderErrors(t *testing.T) {
	tests := []struct {
		name    string
		total   int
		weights []float64
		want    []string // English, in order
		wantSV  string   // first problem in Swedish
	}{
		{"negative total", -1, []float64{1}, []string{"total must not be negative"}, "Totalt antal får inte vara negativt."},
		{"NaN", 3, []float64{1, math.NaN()}, []string{"row 2: weight must be a number"}, "Rad 2: vikt måste vara ett tal."},
		{"infinite", 3, []float64{math.Inf(1)}, []string{"row 1: weight must be finite"}, "Rad 1: vikt måste vara ändlig."},
		{"negative weight", 3, []float64{1, 2, -3}, []string{"row 3: weight must not be negative"}, "Rad 3: vikt får inte vara negativ."},
		{"all reported", -2, []float64{-1, math.NaN()}, []string{
			"total must not be negative", "row 1: weight must not be negative", "row 2: weight must be a number",
		}, "Totalt antal får inte vara negativt."},
		{"all zero", 3, []float64{0, 0}, []string{"weights are all zero, so there is nothing to allocate by"}, "Vikter är alla noll, så det finns inget att fördela efter."},
		{"empty", 3, nil, []string{"weights are empty, so there is nothing to allocate to"}, "Vikter saknas, så det finns inget att fördela på."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LargestRemainder(tt.total, tt.weights)
			var errs Errors
			if !errors.As(err, &errs) {
				t.Fatalf("err = %v, want Errors", err)
			}
			var got []string
			for _, e := range errs {
				got = append(got, e.English())
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("errors = %q, want %q", got, tt.want)
			}
			if errs[0].Swedish() != tt.wantSV {
				t.Errorf("Swedish = %q, want %q", errs[0].Swedish(), tt.wantSV)
			}
			if err.Error() != strings.Join(tt.want, "; ") {
				t.Errorf("Error() = %q", err.Error())
			}
		})
	}
}

// checkApportionment asserts the properties every Hamilton apportionment has.
func checkApportionment(t *testing.T, total int, weights []float64, got []int) {
	t.Helper()
	if len(got) != len(weights) {
		t.Fatalf("%d shares for %d weights", len(got), len(weights))
	}
	sum, sumW := 0, 0.0
	for i, c := range got {
		sum += c
		sumW += weights[i]
	}
	if sum != total {
		t.Fatalf("LargestRemainder(%d, %v) = %v sums to %d", total, weights, got, sum)
	}
	for i, c := range got {
		q := 0.0
		if sumW > 0 {
			q = float64(total) * weights[i] / sumW
		}
		// Floor or ceiling of the quota, allowing float noise at integers.
		if math.Abs(float64(c)-q) >= 1+1e-9 {
			t.Fatalf("LargestRemainder(%d, %v)[%d] = %d, quota %g", total, weights, i, c, q)
		}
		if weights[i] == 0 && c != 0 {
			t.Fatalf("zero weight %d got %d", i, c)
		}
		for j := range got {
			if weights[i] > weights[j] && got[i] < got[j] {
				t.Fatalf("LargestRemainder(%d, %v): larger weight %d got %d < %d", total, weights, i, got[i], got[j])
			}
		}
	}
}

func TestLargestRemainderProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(2380, 8))
	for range 3000 {
		n := 1 + rng.IntN(12)
		weights := make([]float64, n)
		for i := range weights {
			switch rng.IntN(5) {
			case 0:
				weights[i] = 0
			case 1: // repeats make ties
				weights[i] = float64(1 + rng.IntN(3))
			case 2:
				weights[i] = rng.Float64() * 1e-6
			default:
				weights[i] = rng.Float64() * 5000
			}
		}
		total := rng.IntN(500)
		if slices.Max(weights) == 0 {
			weights[0] = 1
		}
		got, err := LargestRemainder(total, weights)
		if err != nil {
			t.Fatalf("LargestRemainder(%d, %v): %v", total, weights, err)
		}
		checkApportionment(t, total, weights, got)
		again, _ := LargestRemainder(total, weights)
		if !slices.Equal(got, again) {
			t.Fatalf("not deterministic: %v then %v", got, again)
		}
	}
}

func FuzzLargestRemainder(f *testing.F) {
	f.Add(uint16(10), 47000.0, 16000.0, 15800.0, 12000.0)
	f.Add(uint16(2), 1.0, 3.0, 0.0, 0.0)
	f.Add(uint16(100), 0.1, 0.2, 0.3, 0.4)
	f.Fuzz(func(t *testing.T, total uint16, a, b, c, d float64) {
		weights := []float64{a, b, c, d}
		got, err := LargestRemainder(int(total), weights)
		if err != nil {
			var errs Errors
			if !errors.As(err, &errs) {
				t.Fatalf("unexpected error type %T: %v", err, err)
			}
			return
		}
		checkApportionment(t, int(total), weights, got)
	})
}

func TestFormatsSV(t *testing.T) {
	tests := []struct {
		name, got, want string
	}{
		{"whole percent", percentSV(0.08), "8\u00a0%"},
		{"third", percentSV(1.0 / 3), "33,3\u00a0%"},
		{"zero percent", percentSV(0), "0\u00a0%"},
		{"small int", intSV(100), "100"},
		{"thousands", intSV(5000), "5\u00a0000"},
		{"negative millions", intSV(-1234567), "-1\u00a0234\u00a0567"},
		{"decimal", decimalSV(1234.56, 1), "1\u00a0234,6"},
		{"decimal without trailing zero", decimalSV(2.50, 2), "2,5"},
		{"integer decimal", decimalSV(180, 1), "180"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %q, want %q", tt.got, tt.want)
			}
		})
	}
}
