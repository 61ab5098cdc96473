package chart

import (
	"math"
	"testing"
)

func TestFormatNumber(t *testing.T) {
	tests := []struct {
		name     string
		v        float64
		decimals int
		trim     bool
		want     string
	}{
		{"decimal comma", 12.5, 2, true, "12,5"},
		{"thousands", 13112, 0, false, "13\u00a0112"},
		{"four digits grouped", 1234, 2, true, "1\u00a0234"},
		{"millions", 1234567.891, 2, true, "1\u00a0234\u00a0567,89"},
		{"three digits", 999, 0, false, "999"},
		{"minus sign", -149, 0, false, "\u2212149"},
		{"negative thousands", -1500.27, 1, false, "\u22121\u00a0500,3"},
		{"fixed decimals kept", 1, 1, false, "1,0"},
		{"trim trailing zeros", 2.50, 2, true, "2,5"},
		{"trim to integer", 3.001, 2, true, "3"},
		{"no negative zero", -0.001, 1, false, "0,0"},
		{"negative zero trimmed", -0.001, 2, true, "0"},
		{"zero", 0, 0, false, "0"},
		{"not a number", math.NaN(), 1, false, "–"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := formatNumber(tt.v, tt.decimals, tt.trim); got != tt.want {
				t.Errorf("formatNumber(%v, %d, %v) = %q, want %q", tt.v, tt.decimals, tt.trim, got, tt.want)
			}
		})
	}
}

func TestCoord(t *testing.T) {
	tests := []struct {
		name string
		v    float64
		want string
	}{
		{"integer", 120, "120"},
		{"one decimal", 12.34, "12.3"},
		{"rounds half away", 0.25, "0.3"},
		{"negative zero", -0.01, "0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := coord(tt.v); got != tt.want {
				t.Errorf("coord(%v) = %q, want %q", tt.v, got, tt.want)
			}
		})
	}
}
