package web

import (
	"math"
	"strings"

	"github.com/inkludera/inkludera/internal/describe"
	"github.com/inkludera/inkludera/internal/i18n"
	"github.com/inkludera/inkludera/internal/progress"
	"github.com/inkludera/inkludera/internal/scorecard"
)

// How the pages show target statuses (scorecard.Status). A status is never
// told by colour alone: every badge has a symbol, hidden from screen
// readers because the label beside it says the same in words.

// statusBadge is one status as a badge: symbol and label, and the code for
// the stylesheet's colours.
type statusBadge struct {
	Code   string // progress.Status, for the class status-<code>
	Symbol string
	Label  string // capitalised: "Behöver öka takten"
}

func badge(code progress.Status, label progress.Text, icon string) statusBadge {
	sym := describe.StatusSymbol(icon) // "•" for an unknown icon: never a badge without a cue
	text := label.SV
	if text == "" {
		text = string(code)
	}
	return statusBadge{Code: string(code), Symbol: sym, Label: capitalise(text)}
}

func statusBadgeOf(s progress.Status) statusBadge { return badge(s, s.Label(), s.Icon()) }

// capitalise upper-cases the first letter: labels are lower case for use
// mid-sentence, badges stand alone.
func capitalise(s string) string { return describe.Capitalise(s) }

// statusView is a target's verdict on its card.
type statusView struct {
	Badge       statusBadge
	Explanation string
	Notes       []string
	Override    *overrideView
	Projection  *factView
	Genders     []genderStatusView
	GenderGap   *factView
	PerYear     *perYearView
}

// overrideView is a hand-set assessment with the computed status it
// replaces.
type overrideView struct {
	Computed      statusBadge
	Justification string
	By            string
	On            string // ISO date
}

// factView is one term and its description in a target's facts.
type factView struct {
	Label string
	Text  string
}

// genderStatusView is women's or men's own verdict on a target set for the
// total.
type genderStatusView struct {
	Gender      string // "Kvinnor", "Män"
	Badge       statusBadge
	Explanation string
}

// perYearView lists each year of a per-year target, met or not.
type perYearView struct {
	Caption string
	Rows    []perYearRow
}

type perYearRow struct {
	Year  int
	Value string
	Met   bool
}

// statusContext is what formatting a status needs beyond the status: the
// unit of its values, the target's requirement (for captions) and a body's
// name for "by".
type statusContext struct {
	unit        string
	decimals    int // the precision of the target's series, as the engine writes it
	requirement string
	bodyName    func(string) string
}

// unassessed stands in for a target the scorecard lacks. Every target is
// in it, so a miss is a bug there; the card then says the target could not
// be assessed rather than showing nothing.
func unassessed() *scorecard.Status {
	s := progress.CannotAssess
	return &scorecard.Status{Code: s, Label: s.Label(), Icon: s.Icon(), Computed: s, Method: progress.MethodNone,
		Explanation: progress.Text{SV: "Målet kunde inte bedömas.", EN: "The target could not be assessed."}}
}

func newStatusView(st scorecard.Status, c statusContext) statusView {
	dec := max(inputDecimals(st.Inputs), c.decimals)
	v := statusView{
		Badge:       badge(st.Code, st.Label, st.Icon),
		Explanation: st.Explanation.SV,
	}
	for _, n := range st.Notes {
		v.Notes = append(v.Notes, n.SV)
	}
	if o := st.Override; o != nil {
		// The card shows the assessment apart, beside the computed status,
		// so the sentence keeps only what the data say.
		v.Explanation = st.ComputedExplanation.SV
		by := o.By
		if by != "" && c.bodyName != nil {
			by = c.bodyName(by)
		}
		v.Override = &overrideView{
			Computed:      statusBadgeOf(st.Computed),
			Justification: endSentence(o.Justification),
			By:            by,
			On:            o.On,
		}
	}
	if p := st.Projection; p != nil {
		v.Projection = projectionFact(p, c.unit, dec)
	}
	for _, g := range []struct {
		name string
		st   *scorecard.Status
	}{{"Kvinnor", st.Women}, {"Män", st.Men}} {
		if g.st == nil {
			continue
		}
		// The engine starts a gender's sentence with the gender, which the
		// list already names.
		expl := strings.TrimPrefix(g.st.Explanation.SV, g.name+": ")
		v.Genders = append(v.Genders, genderStatusView{Gender: g.name, Badge: badge(g.st.Code, g.st.Label, g.st.Icon), Explanation: expl})
	}
	if gap := st.GenderGap; gap != nil {
		d := max(dec, i18n.DecimalsFor([]float64{gap.Women, gap.Men}))
		text := "Kvinnor " + i18n.FormatQuantity(gap.Women, d, c.unit) + ", män " + i18n.FormatQuantity(gap.Men, d, c.unit) + ": "
		if diff := difference(gap.Difference, d, c.unit); strings.HasPrefix(diff, i18n.FormatNumber(0, d)+i18n.NBSP) || diff == i18n.FormatNumber(0, d) {
			text += "samma värde" // a difference that rounds to zero is none
		} else {
			text += "kvinnornas värde är " + diff + " " + higherLower(gap.Difference) + " än männens"
		}
		v.GenderGap = &factView{Label: "Skillnad mellan kvinnor och män " + i18n.FormatYear(gap.Year), Text: text}
	}
	if len(st.Inputs.PerYear) > 0 {
		var vals []float64
		for _, y := range st.Inputs.PerYear {
			vals = append(vals, y.Value)
		}
		d := i18n.DecimalsFor(vals)
		py := &perYearView{Caption: "År för år: " + c.requirement}
		if c.requirement == "" {
			py.Caption = "Målet år för år"
		}
		for _, y := range st.Inputs.PerYear {
			py.Rows = append(py.Rows, perYearRow{Year: y.Year, Value: i18n.FormatQuantity(y.Value, d, c.unit), Met: y.Met})
		}
		v.PerYear = py
	}
	return v
}

// projectionFact states the projection as "Prognos 2020: 9,7 % (linjär
// trend), 9,8 % (samma årliga förändring)", or the engine's note when there
// are too few values.
func projectionFact(p *progress.Projection, unit string, dec int) *factView {
	f := &factView{Label: "Prognos " + i18n.FormatYear(p.Year)}
	gap := p.Quantity == "gap"
	if gap {
		f.Label += " för skillnaden mot jämförelseserien"
	}
	format := func(v float64) string {
		if gap {
			return difference(v, dec, unit)
		}
		return i18n.FormatQuantity(v, dec, unit)
	}
	var parts []string
	if p.Linear != nil {
		parts = append(parts, format(*p.Linear)+" (linjär trend)")
	}
	if p.Growth != nil {
		parts = append(parts, format(*p.Growth)+" (samma årliga förändring)")
	}
	switch {
	case len(parts) > 0:
		f.Text = strings.Join(parts, ", ")
	case p.Note != nil:
		f.Text = p.Note.SV
	default:
		return nil
	}
	return f
}

// inputDecimals is the precision of a verdict's own numbers, so that a
// projection of a series in tenths is shown in tenths ("9,7 %", not
// "9,74 %"). The series' own precision (statusContext.decimals) may be
// finer: 27,0 and 41,0 are tenths too.
func inputDecimals(in progress.Inputs) int {
	var vals []float64
	for _, p := range []*float64{in.BaseValue, in.LatestValue, in.TargetValue, in.JudgedValue} {
		if p != nil {
			vals = append(vals, *p)
		}
	}
	return i18n.DecimalsFor(vals)
}

// difference formats a difference between two values of the unit: for
// percentages it is in percentage points, not percent.
func difference(v float64, dec int, unit string) string {
	if strings.TrimSpace(unit) != "%" {
		return i18n.FormatQuantity(math.Abs(v), dec, unit)
	}
	s := i18n.FormatNumber(math.Abs(v), dec)
	if s == "1" {
		return s + i18n.NBSP + "procentenhet"
	}
	return s + i18n.NBSP + "procentenheter"
}

// endSentence ends a free text with a full stop unless it has its own.
func endSentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || strings.ContainsAny(s[len(s)-1:], ".!?") {
		return s
	}
	return s + "."
}

func higherLower(v float64) string {
	if v < 0 {
		return "lägre"
	}
	return "högre"
}

// summaryView is a roll-up: "3 mål: 1 uppnått, 1 på väg, 1 behöver öka
// takten" and the status of the whole.
type summaryView struct {
	Line    string
	Badge   statusBadge
	Total   int
	Counts  []statusCount
	Subtree bool // a goal's roll-up includes its sub-goals' targets
}

type statusCount struct {
	Badge statusBadge
	Count int
}

func newSummaryView(s scorecard.Summary) *summaryView {
	if s.Total == 0 {
		return nil
	}
	v := &summaryView{Badge: badge(s.Code, s.Label, s.Icon), Total: s.Total}
	var parts []string
	for _, st := range progress.Statuses {
		n := s.Counts[st]
		v.Counts = append(v.Counts, statusCount{Badge: statusBadgeOf(st), Count: n})
		if n > 0 {
			parts = append(parts, i18n.FormatNumber(float64(n), 0)+" "+st.Label().SV)
		}
	}
	v.Line = i18n.FormatNumber(float64(s.Total), 0) + " mål: " + strings.Join(parts, ", ")
	return v
}
