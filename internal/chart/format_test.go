package chart

import "testing"

func TestFormatNumber(t *testing.T) {
	tests := []struct {
		name     string
		v        float64
		decimals int
		trim     bool
		want     string
	}{
		// Number form itself is i18n.FormatNumber's, tested there; these
		// are the chart's trimming.
		{"fixed decimals kept", 1, 1, false, "1,0"},
		{"trim trailing zeros", 2.50, 2, true, "2,5"},
		{"trim to integer", 3.001, 2, true, "3"},
		{"negative zero trimmed", -0.001, 2, true, "0"},
		{"thousands untouched", 13112, 0, true, "13\u00a0112"},
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
