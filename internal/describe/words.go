package describe

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/inkludera/inkludera/internal/chart"
	"github.com/inkludera/inkludera/internal/i18n"
	"github.com/inkludera/inkludera/internal/strategy"
)

// ActivityLate says in words why an activity is late on the day, "" when
// it is not: it is marked försenad, the last day of its time has passed
// while it is still planerad or pågår (strategy.Activity.Overdue), or so
// has its follow-up date.
func ActivityLate(a strategy.Activity, today strategy.Date) string {
	reason, text := ActivityLateness(a, today)
	if reason == NotLate {
		return ""
	}
	return text
}

// Lateness is why an activity is late: a stable code for data (reports,
// spreadsheets) beside the sentence ActivityLate gives.
type Lateness string

// The reasons, checked in this order.
const (
	NotLate        Lateness = ""
	MarkedLate     Lateness = "marked_late"      // status försenad
	TimePassed     Lateness = "time_passed"      // Activity.Overdue: its time has run out
	FollowUpPassed Lateness = "follow_up_passed" // its follow-up date has passed
)

// ActivityLateness is ActivityLate with the reason's code.
func ActivityLateness(a strategy.Activity, today strategy.Date) (Lateness, string) {
	still := "men aktiviteten är fortfarande planerad."
	if a.Status == strategy.ActivityOngoing {
		still = "men aktiviteten pågår fortfarande."
	}
	switch {
	case a.Status == strategy.ActivityLate:
		return MarkedLate, "Aktiviteten är markerad som försenad."
	case a.Overdue(today):
		t, _ := a.Timing()
		return TimePassed, "Tiden gick ut " + t.To.String() + ", " + still
	case (a.Status == strategy.ActivityPlanned || a.Status == strategy.ActivityOngoing) &&
		!a.FollowUp.IsZero() && a.FollowUp.Before(today):
		return FollowUpPassed, "Uppföljningen skulle ha gjorts senast " + a.FollowUp.String() + ", " + still
	}
	return NotLate, ""
}

// statusSymbols maps the status engine's icon names (Lucide names, see
// progress.Status.Icon) to characters every system font has, so pages and
// reports need no icon font, image or script.
var statusSymbols = map[string]string{
	"check":            "✓",
	"arrow-up-right":   "↗",
	"arrow-right":      "→",
	"minus":            "−",
	"arrow-down-right": "↘",
	"x":                "✗",
	"help-circle":      "?",
}

// StatusSymbol is the character for a status icon (progress.Status.Icon):
// "✓" for "check". An unknown icon gets "•", so that a new icon name never
// leaves a status without its cue. The symbol never stands alone: the
// status's label goes beside it, and screen readers skip the symbol.
func StatusSymbol(icon string) string {
	if s, ok := statusSymbols[icon]; ok {
		return s
	}
	return "•"
}

// Capitalise upper-cases the first letter: labels are lower case for use
// mid-sentence, badges and table cells stand alone.
func Capitalise(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// ChartText is a line chart's text alternative: the first and last value
// of each series and the targets, e.g. "Värdet var 13 112 år 2004 och
// 11 984 år 2013. För kvinnor var värdet …". A series named Gender(Total)
// reads as "the value"; others are named.
func ChartText(series []chart.Series, lines []chart.TargetLine, decimals int, unit string) string {
	var parts []string
	for _, s := range series {
		var first, last *chart.Point
		for j := range s.Points {
			if s.Points[j].Value != nil {
				if first == nil {
					first = &s.Points[j]
				}
				last = &s.Points[j]
			}
		}
		if first == nil {
			continue
		}
		prefix := "Värdet var "
		if s.Name != Gender(strategy.Total) {
			prefix = "För " + strings.ToLower(s.Name) + " var värdet "
		}
		f := i18n.FormatQuantity(*first.Value, decimals, unit)
		if first == last {
			parts = append(parts, prefix+f+" år "+i18n.FormatYear(first.Year)+".")
			continue
		}
		l := i18n.FormatQuantity(*last.Value, decimals, unit)
		parts = append(parts, prefix+f+" år "+i18n.FormatYear(first.Year)+" och "+l+" år "+i18n.FormatYear(last.Year)+".")
	}
	for _, t := range lines {
		parts = append(parts, t.Label+".")
	}
	return strings.Join(parts, " ")
}
