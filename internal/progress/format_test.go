package progress

import (
	"testing"

	"github.com/inkludera/inkludera/internal/i18n"
)

// TestDecimalsMatchesI18n: the fast path must agree with i18n.Decimals.
func TestDecimalsMatchesI18n(t *testing.T) {
	vals := []float64{0, 1, -1, 13112, 9.4, 8.1, 8.125, 9.45, 1.005, 2.675, 8.999, 0.001, 0.005, 0.015, -0.004, 99.95, 100, 1e13 + 0.5, 12.3456, -7.25}
	for i := -3000; i <= 3000; i++ {
		vals = append(vals, float64(i)/1000, float64(i)/100+0.005)
	}
	for _, v := range vals {
		if got, want := decimals(v), i18n.Decimals(v); got != want {
			t.Errorf("decimals(%v) = %d, i18n says %d", v, got, want)
		}
	}
}

func TestNumEnglish(t *testing.T) {
	tests := []struct {
		v  float64
		d  int
		sv string
		en string
	}{
		{1234.5, 1, "1\u00a0234,5", "1,234.5"},
		{-2.5, 1, "\u22122,5", "\u22122.5"},
		{12, 0, "12", "12"},
		{1234567, 0, "1\u00a0234\u00a0567", "1,234,567"},
	}
	for _, tt := range tests {
		if got := num(sv, tt.v, tt.d); got != tt.sv {
			t.Errorf("num(sv, %v) = %q, want %q", tt.v, got, tt.sv)
		}
		if got := num(en, tt.v, tt.d); got != tt.en {
			t.Errorf("num(en, %v) = %q, want %q", tt.v, got, tt.en)
		}
	}
}
