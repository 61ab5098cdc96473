package reportxlsx

import (
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/inkludera/inkludera/internal/describe"
	"github.com/inkludera/inkludera/internal/i18n"
	"github.com/inkludera/inkludera/internal/progress"
	"github.com/inkludera/inkludera/internal/report"
	"github.com/inkludera/inkludera/internal/strategy"
)

// statusText is a status as the workbook shows it, its symbol before its
// word ("✓ Uppnått"), so that a status never rests on a colour.
func statusText(s report.Status) string {
	label := s.Label
	if label == "" {
		label = string(s.Code)
	}
	return s.Symbol() + " " + describe.Capitalise(label)
}

// writeSummary makes the first sheet: the cover facts, the targets per
// status for the year and, for a deep follow-up, for every year.
func writeSummary(x *excelize.File, st *styles, f *report.FollowUp) error {
	w := &sheetWriter{x: x, st: st, sheet: SheetSummary}
	w.put(1, 1, text(report.Heading(f)), styleKey{title: true})

	row := 3
	fact := func(label string, value cell) {
		if value.kind == emptyCell {
			return
		}
		w.put(1, row, text(label), styleKey{bold: true})
		w.put(2, row, value, styleKey{})
		row++
	}
	d := f.Document
	fact("Organisation", text(f.Organisation.Name))
	fact("Organisationskod", text(f.Organisation.Code))
	fact("Styrdokument", text(d.KindLabel+": "+d.Title))
	fact("Undertitel", text(d.Subtitle))
	fact("Antagen", text(adoption(d.Adopted)))
	fact("Beslut", text(d.Adopted.Reference))
	fact("Diarienummer", text(d.CaseNumber))
	fact("Dokumentets status", text(d.StatusLabel))
	if f.Deep() {
		fact("Period", text(i18n.FormatYear(f.Since)+"–"+i18n.FormatYear(f.Year)+", bedömd per år"))
	} else {
		fact("Uppföljningsår", year(f.Year))
	}
	fact("Mottagare", text(f.RecipientBody))
	fact("Datum", date(f.GeneratedOn))
	fact("Uppföljning enligt dokumentet", text(d.FollowUpRule))
	roll := f.Summary.RollUp
	if roll.Total > 0 {
		fact("Sammantagen status "+i18n.FormatYear(f.Year), text(statusText(roll.Status)))
		fact("Måluppfyllelse", text(roll.Line()))
	}

	// The targets per status for the year.
	row++
	w.put(1, row, text("Antal mål per status "+i18n.FormatYear(f.Year)), styleKey{bold: true})
	row++
	for i, h := range []string{"Status", "Statuskod", "Antal mål"} {
		w.put(i+1, row, text(h), styleKey{header: true})
	}
	row++
	for _, c := range roll.Counts {
		w.put(1, row, text(statusText(c.Status)), styleKey{})
		w.put(2, row, text(string(c.Status.Code)), styleKey{})
		w.put(3, row, count(c.Count), styleKey{})
		row++
	}
	w.put(1, row, text("Totalt"), styleKey{bold: true})
	w.put(3, row, count(roll.Total), styleKey{bold: true})
	row++
	w.put(1, row, text("Varav bedömda"), styleKey{})
	w.put(3, row, count(roll.Assessed), styleKey{})
	row += 2

	// What changed since the year before.
	prev := i18n.FormatYear(f.Summary.PreviousYear)
	w.put(1, row, text("Förändring sedan "+prev), styleKey{bold: true})
	row++
	for _, c := range []struct {
		label string
		n     int
	}{
		{"Bättre status än " + prev, len(f.Summary.Improved)},
		{"Sämre status än " + prev, len(f.Summary.Slipped)},
		{"Kunde bara bedömas det ena året", len(f.Summary.Uncomparable)},
	} {
		w.put(1, row, text(c.label), styleKey{})
		w.put(3, row, count(c.n), styleKey{})
		row++
	}
	row++

	lastCol := 3
	if f.Deep() {
		years := f.Summary.Years
		lastCol = max(lastCol, 2+len(years))
		w.put(1, row, text("Antal mål per status, bedömt för varje år "+i18n.FormatYear(f.Since)+"–"+i18n.FormatYear(f.Year)), styleKey{bold: true})
		row++
		w.put(1, row, text("Status"), styleKey{header: true})
		w.put(2, row, text("Statuskod"), styleKey{header: true})
		for i, y := range years {
			w.put(3+i, row, text(i18n.FormatYear(y.Year)), styleKey{header: true})
		}
		row++
		for _, s := range progress.Statuses {
			w.put(1, row, text(statusText(report.Status{Code: s, Label: s.Label().SV})), styleKey{})
			w.put(2, row, text(string(s)), styleKey{})
			for i, y := range years {
				w.put(3+i, row, count(y.RollUp.Count(s)), styleKey{})
			}
			row++
		}
		w.put(1, row, text("Totalt"), styleKey{bold: true})
		for i, y := range years {
			w.put(3+i, row, count(y.RollUp.Total), styleKey{bold: true})
		}
		row++
		w.put(1, row, text("Sammantaget"), styleKey{bold: true})
		for i, y := range years {
			w.put(3+i, row, text(statusText(y.RollUp.Status)), styleKey{})
		}
		row += 2
	}

	const labelWidth, valueWidth = 36.0, 24.0
	w.width(1, 1, labelWidth)
	w.width(2, lastCol, valueWidth)
	w.note(row, lastCol, "Bearbetning", f.Processing, valueWidth*float64(lastCol-1))
	return w.err
}

// adoption is the decision that adopted the document: "Kommunstyrelsen
// 2016-05-10 § 45"; "" when none was recorded.
func adoption(a report.Adoption) string {
	var parts []string
	if a.By != "" {
		parts = append(parts, a.By)
	}
	if !a.On.IsZero() {
		parts = append(parts, a.On.String())
	}
	if a.Paragraph != "" {
		parts = append(parts, a.Paragraph)
	}
	return strings.Join(parts, " ")
}

// targetTable has a row per target, area by area, in the report's order.
func targetTable(f *report.FollowUp) table {
	t := table{sheet: SheetTargets, columns: []column{
		{"Område", 30, true},
		{"Mål", 30, true},
		{"Mål-nyckel", 18, false},
		{"Målvärdesnyckel", 26, false},
		{"Målformulering", 50, true},
		{"Typ", 16, false},
		{"Krav", 28, true},
		{"Kön", 9, false},
		{"Status", 24, false},
		{"Statuskod", 20, false},
		{"Förklaring", 60, true},
		{"Manuell bedömning", 45, true},
		{"Kvinnor", 24, false},
		{"Män", 24, false},
		{"Förra årets status (" + i18n.FormatYear(f.Summary.PreviousYear) + ")", 24, false},
		{"Indikator", 40, true},
		{"Källa", 34, true},
	}}
	for _, y := range f.Years() {
		t.columns = append(t.columns, column{"Status " + i18n.FormatYear(y), 24, false})
	}
	for _, at := range f.AllTargets() {
		tg := at.Target
		gender := tg.GenderLabel
		if gender == "" {
			gender = describe.Gender(strategy.Total)
		}
		explanation := strings.Join(append([]string{tg.Explanation}, tg.Notes...), "\n")
		var indicator, source string
		if tg.Indicator != nil {
			indicator, source = tg.Indicator.Title, sourceText(*tg.Indicator)
		}
		row := []cell{
			text(at.Area.Title),
			text(at.Goal.Title),
			text(at.Goal.Key),
			text(tg.Key),
			text(tg.Text),
			text(tg.KindLabel),
			text(tg.Requirement),
			text(gender),
			text(statusText(tg.Status)),
			text(string(tg.Status.Code)),
			text(explanation),
			text(overrideText(tg.Override)),
			text(genderStatus(tg.Women)),
			text(genderStatus(tg.Men)),
			text(statusText(tg.PreviousStatus)),
			text(indicator),
			text(source),
		}
		for _, y := range f.Years() {
			row = append(row, text(statusText(tg.StatusIn(y))))
		}
		t.rows = append(t.rows, row)
	}
	return t
}

// overrideText is a hand-set assessment in a sentence, as the HTML report
// words it; "" when the status is the computed one.
func overrideText(o *report.Override) string {
	if o == nil {
		return ""
	}
	s := "Bedömd för hand"
	if o.By != "" {
		s += " av " + o.By
	}
	if o.On != "" {
		s += ", " + o.On
	}
	s += ". Motivering: " + o.Justification
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s + " Beräknad status: " + statusText(o.Computed) + "."
}

func genderStatus(g *report.GenderStatus) string {
	if g == nil {
		return ""
	}
	return statusText(g.Status)
}

// sourceText names where an indicator's values come from and credits
// them: "Kolada, nyckeltal N02926. Källa: Kolada".
func sourceText(ind report.Indicator) string {
	parts := make([]string, 0, 1+len(ind.Attributions))
	if ind.SourceDescription != "" {
		parts = append(parts, ind.SourceDescription)
	}
	parts = append(parts, ind.Attributions...)
	return strings.Join(parts, ". ")
}

// indicators lists every indicator the report shows, each once, in the
// report's order: the document's own, then area by area its targets'
// indicators and reference series and its context indicators.
func indicators(f *report.FollowUp) []report.Indicator {
	var out []report.Indicator
	seen := map[string]bool{}
	add := func(ind *report.Indicator) {
		if ind != nil && !seen[ind.Key] {
			seen[ind.Key] = true
			out = append(out, *ind)
		}
	}
	for i := range f.Indicators {
		add(&f.Indicators[i])
	}
	for _, a := range f.Areas {
		for _, t := range a.Targets() {
			add(t.Indicator)
			add(t.Reference)
		}
		for i := range a.Indicators {
			add(&a.Indicators[i])
		}
	}
	return out
}

// valueTable has a row per indicator and year, the values as numbers.
func valueTable(f *report.FollowUp) table {
	t := table{sheet: SheetValues, columns: []column{
		{"Indikator-nyckel", 28, false},
		{"Indikator", 50, true},
		{"Enhet", 14, false},
		{"År", 8, false},
		{"Totalt", 12, false},
		{"Kvinnor", 12, false},
		{"Män", 12, false},
		{"Preliminärt", 12, false},
		{"Källa", 40, true},
	}}
	for _, ind := range indicators(f) {
		source := sourceText(ind)
		dec := ind.Series.Decimals
		for _, y := range ind.Series.Years {
			women, men := cell{}, cell{}
			if ind.Series.ByGender {
				women, men = optionalNumber(y.Women, dec), optionalNumber(y.Men, dec)
			}
			t.rows = append(t.rows, []cell{
				text(ind.Key),
				text(ind.Title),
				text(ind.Unit),
				year(y.Year),
				optionalNumber(y.Total, dec),
				women,
				men,
				text(yesNo(y.Preliminary)),
				text(source),
			})
		}
	}
	return t
}

func yesNo(b bool) string {
	if b {
		return "Ja"
	}
	return "Nej"
}

// activityTable has a row per activity of each of the year's action plans.
func activityTable(f *report.FollowUp) table {
	t := table{sheet: SheetActivities, columns: []column{
		{"Nämnd", 28, true},
		{"Plan", 30, true},
		{"Planens status", 22, true},
		{"Målgrupp", 24, true},
		{"Aktivitet", 40, true},
		{"Beskrivning", 50, true},
		{"Tid", 14, false},
		{"Ansvarig", 24, true},
		{"Uppföljningsdatum", 14, false},
		{"Status", 14, false},
		{"Framsteg (%)", 12, false},
		{"Mål", 36, true},
		{"Försenad", 45, true},
		{"Uppföljningsanteckningar", 50, true},
	}}
	for _, p := range f.ActionPlans {
		planStatus := describe.Capitalise(p.StatusLabel)
		if p.Decision != "" {
			planStatus += " (" + p.Decision + ")"
		}
		for _, a := range p.Activities {
			done := cell{}
			if a.Progress != nil {
				done = count(*a.Progress)
			}
			goals := make([]string, len(a.Goals))
			for i, g := range a.Goals {
				goals[i] = g.Title
			}
			notes := make([]string, len(a.Notes))
			for i, n := range a.Notes {
				notes[i] = n.Date.String() + ": " + n.Text
			}
			t.rows = append(t.rows, []cell{
				text(p.Body),
				text(p.Title),
				text(planStatus),
				text(a.TargetGroup),
				text(a.Title),
				text(a.Description),
				text(a.Time),
				text(a.Responsible),
				date(a.FollowUp),
				text(describe.Capitalise(a.StatusLabel)),
				done,
				text(strings.Join(goals, "; ")),
				text(a.LateReason),
				text(strings.Join(notes, "\n")),
			})
		}
	}
	if len(f.ActionPlans) == 0 {
		t.notes = append(t.notes, note{"Aktivitetsplaner", "Dokumentet har inga aktivitetsplaner för " + i18n.FormatYear(f.Year) + "."})
	}
	return t
}

// sourceTable has a row per source and indicator, with the note that
// statuses and trends are our own processing.
func sourceTable(f *report.FollowUp) table {
	t := table{sheet: SheetSources, columns: []column{
		{"Källa", 36, true},
		{"Indikator-nyckel", 28, false},
		{"Indikator", 50, true},
		{"Beskrivning av källan", 40, true},
	}}
	for _, s := range f.Sources {
		for _, ind := range s.Indicators {
			t.rows = append(t.rows, []cell{
				text(s.Attribution), text(ind.Key), text(ind.Title), text(ind.SourceDescription),
			})
		}
	}
	if len(f.Sources) == 0 {
		t.notes = append(t.notes, note{"Källor", "Rapporten visar inga värden."})
	}
	t.notes = append(t.notes, note{"Bearbetning", f.Processing})
	return t
}
