package i18n

import (
	"math"
	"strings"
	"testing"
	"time"
)

// sp makes expectations readable: "13 112" in a test means "13\u00a0112".
func sp(s string) string { return strings.ReplaceAll(s, " ", NBSP) }

func TestFormatNumber(t *testing.T) {
	tests := []struct {
		name     string
		v        float64
		decimals int
		want     string
	}{
		{"zero", 0, 0, "0"},
		{"small integer", 7, 0, "7"},
		{"three digits", 999, 0, "999"},
		{"four digits are grouped", 1234, 0, sp("1 234")},
		{"five digits", 13112, 0, sp("13 112")},
		{"seven digits", 1234567, 0, sp("1 234 567")},
		{"decimal comma", 12.5, 1, "12,5"},
		{"rounds half away", 9.45, 1, "9,5"},
		{"pads decimals", 8, 2, "8,00"},
		{"grouped with decimals", 12345.678, 2, sp("12 345,68")},
		{"negative uses minus sign", -2.5, 1, Minus + "2,5"},
		{"negative grouped", -13112, 0, Minus + sp("13 112")},
		{"negative zero has no sign", -0.04, 1, "0,0"},
		{"negative decimals count as zero", 3.7, -1, "4"},
		{"NaN is missing", math.NaN(), 1, Missing},
		{"infinity is missing", math.Inf(1), 0, Missing},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FormatNumber(tt.v, tt.decimals); got != tt.want {
				t.Errorf("FormatNumber(%v, %d) = %q, want %q", tt.v, tt.decimals, got, tt.want)
			}
		})
	}
}

func TestFormatPercent(t *testing.T) {
	tests := []struct {
		name     string
		v        float64
		decimals int
		want     string
	}{
		{"one decimal", 12.5, 1, sp("12,5 %")},
		{"whole", 10, 0, sp("10 %")},
		{"negative", -0.5, 1, Minus + sp("0,5 %")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FormatPercent(tt.v, tt.decimals); got != tt.want {
				t.Errorf("FormatPercent(%v, %d) = %q, want %q", tt.v, tt.decimals, got, tt.want)
			}
		})
	}
}

func TestDecimals(t *testing.T) {
	tests := []struct {
		name string
		v    float64
		want int
	}{
		{"integer", 13112, 0},
		{"one decimal", 9.4, 1},
		{"two decimals", 8.25, 2},
		{"more than two is capped", 1.23456, 2},
		{"tiny rounds to whole", 3.0001, 0},
		{"negative", -2.5, 1},
		{"zero", 0, 0},
		{"NaN", math.NaN(), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Decimals(tt.v); got != tt.want {
				t.Errorf("Decimals(%v) = %d, want %d", tt.v, got, tt.want)
			}
		})
	}
}

func TestDecimalsFor(t *testing.T) {
	tests := []struct {
		name   string
		values []float64
		want   int
	}{
		{"empty", nil, 0},
		{"whole numbers", []float64{13112, 12931}, 0},
		{"the most precise wins", []float64{8, 8.1, 8.25}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := DecimalsFor(tt.values); got != tt.want {
				t.Errorf("DecimalsFor(%v) = %d, want %d", tt.values, got, tt.want)
			}
		})
	}
}

func TestFormatAuto(t *testing.T) {
	tests := []struct {
		v    float64
		want string
	}{
		{13112, sp("13 112")},
		{9.4, "9,4"},
		{0.125, "0,13"},
	}
	for _, tt := range tests {
		if got := FormatAuto(tt.v); got != tt.want {
			t.Errorf("FormatAuto(%v) = %q, want %q", tt.v, got, tt.want)
		}
	}
}

func TestFormatQuantity(t *testing.T) {
	tests := []struct {
		name     string
		v        float64
		decimals int
		unit     string
		want     string
	}{
		{"percent", 9.4, 1, "%", sp("9,4 %")},
		{"count unit adds nothing", 13112, 0, "antal", sp("13 112")},
		{"no unit", 5, 0, "", "5"},
		{"named unit", 300, 0, "personer", sp("300 personer")},
		{"unit is trimmed", 2, 0, " bostäder ", sp("2 bostäder")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FormatQuantity(tt.v, tt.decimals, tt.unit); got != tt.want {
				t.Errorf("FormatQuantity(%v, %d, %q) = %q, want %q", tt.v, tt.decimals, tt.unit, got, tt.want)
			}
		})
	}
}

func TestFormatYearAndDate(t *testing.T) {
	if got := FormatYear(2020); got != "2020" {
		t.Errorf("FormatYear(2020) = %q, want 2020 without grouping", got)
	}
	d := time.Date(2016, time.May, 10, 23, 30, 0, 0, time.UTC)
	if got := FormatDate(d); got != "2016-05-10" {
		t.Errorf("FormatDate = %q, want 2016-05-10", got)
	}
	if got := FormatDate(time.Time{}); got != "" {
		t.Errorf("FormatDate(zero) = %q, want empty", got)
	}
}

func TestOrdinal(t *testing.T) {
	tests := []struct {
		n    int
		want string
	}{
		{1, "1:a"}, {2, "2:a"}, {3, "3:e"}, {4, "4:e"}, {11, "11:e"}, {12, "12:e"},
		{21, "21:a"}, {22, "22:a"}, {100, "100:e"}, {101, "101:a"}, {111, "111:e"},
	}
	for _, tt := range tests {
		if got := Ordinal(tt.n); got != tt.want {
			t.Errorf("Ordinal(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}

func TestRoundDecimal(t *testing.T) {
	tests := []struct {
		s        string
		decimals int
		want     string
	}{
		{"9.45", 1, "9.5"},
		{"9.449", 1, "9.4"},
		{"9.96", 1, "10.0"},
		{"999.5", 0, "1000"},
		{"-0.05", 1, "-0.1"},
		{"12", 2, "12.00"},
		{"0.125", 2, "0.13"},
	}
	for _, tt := range tests {
		if got := roundDecimal(tt.s, tt.decimals); got != tt.want {
			t.Errorf("roundDecimal(%q, %d) = %q, want %q", tt.s, tt.decimals, got, tt.want)
		}
	}
}
