package strategy

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Timing is when an activity takes place, as a span of whole days: From is
// the first day and To the last (equal for a single day). From is never
// after To.
type Timing struct {
	From, To Date
}

// String writes the timing as ParseTiming reads it: "2026-05-01" for one
// day, "2026-04-01/2026-06-30" for a span.
func (t Timing) String() string {
	if t.From == t.To {
		return t.From.String()
	}
	return t.From.String() + "/" + t.To.String()
}

// TimingError is why ParseTiming could not read a time: Message in
// English (it is the error's text), Svenska the same for the web UI.
type TimingError struct {
	Input   string
	Message string
	Svenska string

	badYear bool // the form was right but the year is out of range
}

func (e *TimingError) Error() string { return e.Message }

// timingSv is the Swedish message for a time that cannot be read.
const timingSv = "Skriv tiden som ett datum (2026-05-01), en period (2026-05-01–2026-06-30), " +
	"ett kvartal (kv2 2026) eller ett år (2026)."

var (
	yearForm       = regexp.MustCompile(`^(\d{4})$`)
	monthForm      = regexp.MustCompile(`^(\d{4})-(\d{2})$`)
	dateForm       = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	quarterWord    = `(?:q|kv\.?|kvartal)`
	yearQuarter    = regexp.MustCompile(`^(\d{4})[- ]?` + quarterWord + ` ?([1-4])$`)
	quarterYear    = regexp.MustCompile(`^` + quarterWord + ` ?([1-4])(?:, ?| |-)?(\d{4})$`)
	rangeSeparator = []string{"/", "–", "—", " - "}
)

// ParseTiming reads the time of an activity as people write it in action
// plans, ignoring case and extra spaces:
//
//   - a day: "2026-05-01"
//   - a month: "2026-05" (the whole month)
//   - a quarter: "2026-Q2", "2026 Q2", "Q2 2026", "kv2 2026", "kv 2 2026",
//     "kvartal 2 2026", "2026 kvartal 2" (its first to its last day)
//   - a year: "2026" (1 January to 31 December)
//   - a span between any two of these, separated by "/", an en dash "–"
//     (with or without spaces) or " - ": "2026-05-01/2026-06-30",
//     "2026-05-01 – 2026-06-30", "kv2 2026–kv3 2026", "2014 - 2015"; it
//     runs from the first day of the first to the last day of the second.
//
// Years run from 1900 to 2200. The error is a *TimingError; "" is an
// error too (an activity's Time may be empty, but then it has no timing).
func ParseTiming(s string) (Timing, error) {
	t, err := parseTiming(s)
	if err != nil {
		return Timing{}, err
	}
	return t, nil
}

// parseTiming is ParseTiming with the error's type.
func parseTiming(s string) (Timing, *TimingError) {
	norm := strings.ToLower(strings.Join(strings.Fields(s), " "))
	if norm == "" {
		return Timing{}, &TimingError{Input: s, Message: "no time given", Svenska: timingSv}
	}
	t, err := parseTimingPart(s, norm)
	if err == nil {
		return t, nil
	}
	if err.badYear {
		return Timing{}, err
	}
	for _, sep := range rangeSeparator {
		if strings.Count(norm, sep) != 1 {
			continue
		}
		a, b, _ := strings.Cut(norm, sep)
		from, errA := parseTimingPart(s, strings.TrimSpace(a))
		to, errB := parseTimingPart(s, strings.TrimSpace(b))
		if errA != nil || errB != nil {
			// A year out of range is worth saying as such.
			for _, e := range []*TimingError{errA, errB} {
				if e != nil && e.badYear {
					return Timing{}, e
				}
			}
			continue
		}
		t := Timing{From: from.From, To: to.To}
		if t.To.Before(t.From) {
			return Timing{}, &TimingError{
				Input:   s,
				Message: fmt.Sprintf("%q ends (%s) before it starts (%s)", s, t.To, t.From),
				Svenska: fmt.Sprintf("Perioden slutar (%s) innan den börjar (%s). Skriv den tidigaste tidpunkten först.", t.To, t.From),
			}
		}
		return t, nil
	}
	return Timing{}, err
}

// parseTimingPart reads one day, month, quarter or year from norm (lower
// case, single spaces); s is the whole input, for messages.
func parseTimingPart(s, norm string) (Timing, *TimingError) {
	var year, first, last int // months
	switch {
	case dateForm.MatchString(norm):
		d, err := ParseDate(norm)
		if err != nil {
			return Timing{}, notATime(s)
		}
		if err := checkTimingYear(s, d.Year); err != nil {
			return Timing{}, err
		}
		return Timing{From: d, To: d}, nil
	case yearForm.MatchString(norm):
		year, _ = strconv.Atoi(norm)
		first, last = 1, 12
	default:
		if m := monthForm.FindStringSubmatch(norm); m != nil {
			year, _ = strconv.Atoi(m[1])
			first, _ = strconv.Atoi(m[2])
			last = first
			if first < 1 || first > 12 {
				return Timing{}, notATime(s)
			}
			break
		}
		var y, q string
		if m := yearQuarter.FindStringSubmatch(norm); m != nil {
			y, q = m[1], m[2]
		} else if m := quarterYear.FindStringSubmatch(norm); m != nil {
			q, y = m[1], m[2]
		} else {
			return Timing{}, notATime(s)
		}
		year, _ = strconv.Atoi(y)
		n, _ := strconv.Atoi(q)
		first, last = 3*n-2, 3*n
	}
	if err := checkTimingYear(s, year); err != nil {
		return Timing{}, err
	}
	return Timing{
		From: Date{year, time.Month(first), 1},
		To:   Date{year, time.Month(last), daysIn(year, time.Month(last))},
	}, nil
}

func notATime(s string) *TimingError {
	return &TimingError{
		Input: s,
		Message: fmt.Sprintf("%q is not a time: write a date (2026-05-01), a span (2026-05-01/2026-06-30), "+
			"a quarter (2026-Q2, kv2 2026) or a year (2026)", s),
		Svenska: timingSv,
	}
}

func checkTimingYear(s string, year int) *TimingError {
	if year < firstYear || year > lastYear {
		return &TimingError{
			Input:   s,
			Message: fmt.Sprintf("%q: %d is not a plausible year", s, year),
			Svenska: yearSv(firstYear, lastYear),
			badYear: true,
		}
	}
	return nil
}

// daysIn returns the number of days in the month.
func daysIn(year int, m time.Month) int {
	return time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// Timing reads the activity's Time; ok is false when it is empty or cannot
// be read (Validate reports the latter).
func (a Activity) Timing() (t Timing, ok bool) {
	t, err := parseTiming(a.Time)
	return t, err == nil
}

// Overdue reports whether the activity should have been done by today: the
// last day of its Time has passed while it is still planerad or pågår. An
// activity without a readable Time is never overdue.
func (a Activity) Overdue(today Date) bool {
	if a.Status != ActivityPlanned && a.Status != ActivityOngoing {
		return false
	}
	t, ok := a.Timing()
	return ok && t.To.Before(today)
}
