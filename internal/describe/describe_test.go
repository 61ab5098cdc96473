package describe

import (
	"testing"

	"github.com/inkludera/inkludera/internal/chart"
	"github.com/inkludera/inkludera/internal/strategy"
)

// The web package's tests cover the labels, Requirement, Attribution and
// the other sentences through the pages' names for them; these cover what
// the reports added.

func TestActivityLateness(t *testing.T) {
	today := strategy.Date{Year: 2022, Month: 3, Day: 15}
	tests := []struct {
		name string
		a    strategy.Activity
		want Lateness
		text string
	}{
		{"marked late", strategy.Activity{Status: strategy.ActivityLate, Time: "2030"}, MarkedLate, "Aktiviteten är markerad som försenad."},
		{"time passed, ongoing", strategy.Activity{Status: strategy.ActivityOngoing, Time: "2021-Q3"}, TimePassed,
			"Tiden gick ut 2021-09-30, men aktiviteten pågår fortfarande."},
		{"time passed, planned", strategy.Activity{Status: strategy.ActivityPlanned, Time: "2022-03-14"}, TimePassed,
			"Tiden gick ut 2022-03-14, men aktiviteten är fortfarande planerad."},
		{"the last day is today", strategy.Activity{Status: strategy.ActivityPlanned, Time: "2022-03-15"}, NotLate, ""},
		{"follow-up passed", strategy.Activity{Status: strategy.ActivityPlanned, Time: "2022", FollowUp: strategy.Date{Year: 2022, Month: 1, Day: 31}},
			FollowUpPassed, "Uppföljningen skulle ha gjorts senast 2022-01-31, men aktiviteten är fortfarande planerad."},
		{"done after its time", strategy.Activity{Status: strategy.ActivityDone, Time: "2020"}, NotLate, ""},
		{"cancelled", strategy.Activity{Status: strategy.ActivityCancelled, Time: "2020", FollowUp: strategy.Date{Year: 2021, Month: 1, Day: 1}}, NotLate, ""},
		{"no time", strategy.Activity{Status: strategy.ActivityPlanned}, NotLate, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, text := ActivityLateness(tt.a, today)
			if got != tt.want || text != tt.text {
				t.Errorf("ActivityLateness = %q, %q; want %q, %q", got, text, tt.want, tt.text)
			}
			if late := ActivityLate(tt.a, today); late != tt.text {
				t.Errorf("ActivityLate = %q, want %q", late, tt.text)
			}
		})
	}
}

func TestStatusSymbolAndCapitalise(t *testing.T) {
	if got := StatusSymbol("check"); got != "✓" {
		t.Errorf("check = %q", got)
	}
	if got := StatusSymbol("ny-ikon"); got != "•" {
		t.Errorf("an unknown icon = %q, want a bullet rather than nothing", got)
	}
	for in, want := range map[string]string{"på väg": "På väg", "över": "Över", "": ""} {
		if got := Capitalise(in); got != want {
			t.Errorf("Capitalise(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestChartText(t *testing.T) {
	v := func(f float64) *float64 { return &f }
	series := []chart.Series{
		{Name: "Totalt", Points: []chart.Point{{Year: 2012, Value: v(6.6)}, {Year: 2013, Value: nil}, {Year: 2021, Value: v(10.5)}}},
		{Name: "Kvinnor", Points: []chart.Point{{Year: 2021, Value: v(10.4)}}},
		{Name: "Män", Points: []chart.Point{{Year: 2021, Value: nil}}},
	}
	got := ChartText(series, []chart.TargetLine{{Label: "Mål: minst 10 % år 2020"}}, 1, "%")
	want := "Värdet var 6,6\u00a0% år 2012 och 10,5\u00a0% år 2021. För kvinnor var värdet 10,4\u00a0% år 2021. Mål: minst 10 % år 2020."
	if got != want {
		t.Errorf("ChartText =\n%q\nwant\n%q", got, want)
	}
}
