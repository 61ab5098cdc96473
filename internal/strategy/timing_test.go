package strategy

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseTiming(t *testing.T) {
	d := func(y, m, day int) Date { return Date{y, time.Month(m), day} }
	tests := []struct {
		in       string
		from, to Date
	}{
		{"2026-05-01", d(2026, 5, 1), d(2026, 5, 1)},
		{" 2026-05-01 ", d(2026, 5, 1), d(2026, 5, 1)},
		{"2026-05-01/2026-06-30", d(2026, 5, 1), d(2026, 6, 30)},
		{"2026-05-01–2026-06-30", d(2026, 5, 1), d(2026, 6, 30)},
		{"2026-05-01 – 2026-06-30", d(2026, 5, 1), d(2026, 6, 30)},
		{"2026-05-01 - 2026-06-30", d(2026, 5, 1), d(2026, 6, 30)},
		{"2026-05-01 / 2026-05-01", d(2026, 5, 1), d(2026, 5, 1)},
		{"2026-Q2", d(2026, 4, 1), d(2026, 6, 30)},
		{"2026-q1", d(2026, 1, 1), d(2026, 3, 31)},
		{"2026 Q4", d(2026, 10, 1), d(2026, 12, 31)},
		{"Q2 2026", d(2026, 4, 1), d(2026, 6, 30)},
		{"kv2 2026", d(2026, 4, 1), d(2026, 6, 30)},
		{"Kv 3 2026", d(2026, 7, 1), d(2026, 9, 30)},
		{"kv. 1 2024", d(2024, 1, 1), d(2024, 3, 31)},
		{"kvartal 2 2026", d(2026, 4, 1), d(2026, 6, 30)},
		{"Kvartal  4   2026", d(2026, 10, 1), d(2026, 12, 31)},
		{"2026 kvartal 2", d(2026, 4, 1), d(2026, 6, 30)},
		{"2017 kvartal 2", d(2017, 4, 1), d(2017, 6, 30)},
		{"2026", d(2026, 1, 1), d(2026, 12, 31)},
		{"2024-02", d(2024, 2, 1), d(2024, 2, 29)},
		{"2025-02", d(2025, 2, 1), d(2025, 2, 28)},
		{"2014 - 2015", d(2014, 1, 1), d(2015, 12, 31)},
		{"2014–2015", d(2014, 1, 1), d(2015, 12, 31)},
		{"kv2 2026–kv3 2026", d(2026, 4, 1), d(2026, 9, 30)},
		{"2026-03-15/2026-Q2", d(2026, 3, 15), d(2026, 6, 30)},
	}
	for _, tt := range tests {
		got, err := ParseTiming(tt.in)
		if err != nil {
			t.Errorf("ParseTiming(%q): %v", tt.in, err)
			continue
		}
		if got != (Timing{tt.from, tt.to}) {
			t.Errorf("ParseTiming(%q) = %v, want %v/%v", tt.in, got, tt.from, tt.to)
		}
		again, err := ParseTiming(got.String())
		if err != nil || again != got {
			t.Errorf("ParseTiming(%q) = %v, %v: String does not read back", got.String(), again, err)
		}
	}
}

func TestParseTimingRefuses(t *testing.T) {
	tests := []struct{ in, msg, sv string }{
		{"", "no time given", timingSv},
		{"   ", "no time given", timingSv},
		{"i vår", "is not a time", timingSv},
		{"2026-13", "is not a time", timingSv},
		{"2026-02-30", "is not a time", timingSv},
		{"2026-Q5", "is not a time", timingSv},
		{"Q2", "is not a time", timingSv},
		{"26", "is not a time", timingSv},
		{"2026-05-01-2026-06-30", "is not a time", timingSv},
		{"2026-05-01/2026-06-30/2026-07-01", "is not a time", timingSv},
		{"2026-06-30/2026-05-01", "ends (2026-05-01) before it starts (2026-06-30)", "Perioden slutar (2026-05-01) innan den börjar (2026-06-30)."},
		{"2027 – 2026", "ends (2026-12-31) before it starts (2027-01-01)", "Perioden slutar"},
		{"1850", "1850 is not a plausible year", "Ange ett år mellan 1900 och 2200."},
		{"kv2 2201", "2201 is not a plausible year", "Ange ett år mellan 1900 och 2200."},
		{"2026-05-01/0001-01-01", "1 is not a plausible year", "Ange ett år mellan 1900 och 2200."},
	}
	for _, tt := range tests {
		_, err := ParseTiming(tt.in)
		var te *TimingError
		if !errors.As(err, &te) {
			t.Errorf("ParseTiming(%q) = %v, want a *TimingError", tt.in, err)
			continue
		}
		if !strings.Contains(err.Error(), tt.msg) || !strings.HasPrefix(te.Svenska, tt.sv) || te.Input != tt.in {
			t.Errorf("ParseTiming(%q) = %q / %q, want %q / %q", tt.in, err, te.Svenska, tt.msg, tt.sv)
		}
	}
}

func TestOverdue(t *testing.T) {
	today := Date{2026, 7, 1}
	tests := []struct {
		time   string
		status ActivityStatus
		want   bool
	}{
		{"2026-Q2", ActivityPlanned, true},
		{"2026-Q2", ActivityOngoing, true},
		{"2026-06-30", ActivityPlanned, true},
		{"2026-07-01", ActivityPlanned, false}, // the last day is today
		{"2026-Q3", ActivityOngoing, false},
		{"2026", ActivityOngoing, false},
		{"2026-Q2", ActivityDone, false},
		{"2026-Q2", ActivityLate, false},
		{"2026-Q2", ActivityCancelled, false},
		{"", ActivityPlanned, false},
		{"snart", ActivityPlanned, false},
		{"2025-01-01/2026-06-30", ActivityOngoing, true},
	}
	for _, tt := range tests {
		a := Activity{Time: tt.time, Status: tt.status}
		if got := a.Overdue(today); got != tt.want {
			t.Errorf("Activity{Time: %q, Status: %s}.Overdue(%s) = %v, want %v", tt.time, tt.status, today, got, tt.want)
		}
	}
}
