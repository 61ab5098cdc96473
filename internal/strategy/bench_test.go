package strategy

import (
	"fmt"
	"testing"
)

// largeBundle is validBundle with n valid observations, the shape of a
// large import, where validation runs once per observation.
func largeBundle(n int) Bundle {
	b := validBundle()
	b.Observations = make([]Observation, 0, n)
	for i := 0; len(b.Observations) < n; i++ {
		org := fmt.Sprintf("%02d%02d", 1+i%25, i/25%100)
		year := 2000 + i/2500
		for _, g := range Genders {
			v := float64(i)
			b.Observations = append(b.Observations, Observation{Indicator: "andel", Org: org, Year: year, Gender: g, Value: &v})
		}
	}
	return b
}

func TestLargeBundleIsValid(t *testing.T) {
	if err := largeBundle(3000).Validate(nil); err != nil {
		t.Fatal(err)
	}
}

func BenchmarkValidate100kObservations(b *testing.B) {
	bundle := largeBundle(100_000)
	b.ReportAllocs()
	for b.Loop() {
		if err := bundle.Validate(nil); err != nil {
			b.Fatal(err)
		}
	}
}
