package search

import (
	"maps"
	"testing"
)

func TestEncodeTerms(t *testing.T) {
	tests := []struct {
		name  string
		terms map[string]int
	}{
		{"empty", map[string]int{}},
		{"one", map[string]int{"kommun": 3}},
		{"shared prefixes and non-ASCII", map[string]int{"integration": 4, "integrationsstrategi": 1, "integr": 2, "östersund": 9, "ö": 1}},
		{"large count", map[string]int{"och": 1 << 30}},
		{"from Terms", Terms("Integrationsstrategin för Östersunds kommun: kommunerna samverkar.")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := EncodeTerms(tt.terms)
			got, err := DecodeTerms(b)
			if err != nil {
				t.Fatal(err)
			}
			if !maps.Equal(got, tt.terms) {
				t.Errorf("round trip %v, want %v", got, tt.terms)
			}
		})
	}
	t.Run("zero counts are left out", func(t *testing.T) {
		got, err := DecodeTerms(EncodeTerms(map[string]int{"a": 0, "b": 2}))
		if err != nil || !maps.Equal(got, map[string]int{"b": 2}) {
			t.Errorf("got %v, %v", got, err)
		}
	})
}

func TestDecodeTermsRejects(t *testing.T) {
	good := EncodeTerms(map[string]int{"kommun": 2, "kommunal": 1})
	tests := []struct {
		name string
		in   []byte
	}{
		{"empty", nil},
		{"unknown format", append([]byte{9}, good[1:]...)},
		{"truncated", good[:len(good)-1]},
		{"trailing bytes", append(append([]byte{}, good...), 0)},
		{"more terms than bytes", []byte{1, 100}},
		{"shared prefix longer than the previous term", []byte{1, 1, 3, 1, 'a', 1}},
		{"zero count", []byte{1, 1, 0, 1, 'a', 0}},
		{"empty term", []byte{1, 1, 0, 0, 1}},
		{"out of order", []byte{1, 2, 0, 1, 'b', 1, 0, 1, 'a', 1}},
		{"duplicate", []byte{1, 2, 0, 1, 'a', 1, 1, 0, 1}},
		{"not UTF-8", []byte{1, 1, 0, 1, 0xff, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, err := DecodeTerms(tt.in); err == nil {
				t.Errorf("DecodeTerms(%v) = %v, want an error", tt.in, got)
			}
		})
	}
}

func FuzzDecodeTerms(f *testing.F) {
	f.Add(EncodeTerms(map[string]int{"kommun": 2, "kommunal": 1}))
	f.Add([]byte{1, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		terms, err := DecodeTerms(b)
		if err != nil {
			return
		}
		again, err := DecodeTerms(EncodeTerms(terms))
		if err != nil || !maps.Equal(again, terms) {
			t.Fatalf("decoded %v does not survive a round trip: %v, %v", terms, again, err)
		}
	})
}
