package reportpdf

import (
	"fmt"
	"slices"
	"strings"

	"github.com/inkludera/inkludera/internal/describe"
	"github.com/inkludera/inkludera/internal/i18n"
	"github.com/inkludera/inkludera/internal/progress"
	"github.com/inkludera/inkludera/internal/report"
	"github.com/inkludera/inkludera/internal/strategy"
)

// The sections below follow templates/report.html.tmpl of package report,
// the reference rendering: the same content, order, headings and words.

func count(n int) string { return i18n.FormatNumber(float64(n), 0) }

func year(y int) string { return i18n.FormatYear(y) }

// statusOf is a status code with its Swedish label.
func statusOf(s progress.Status) report.Status {
	return report.Status{Code: s, Label: s.Label().SV}
}

// cellText is a table cell's plain text.
func cellText(s string) []span { return []span{styled(s, body.with(tableSize))} }

// cellNote is a cell's secondary line, under what comes before it.
func cellNote(s string) span { return styled("\n"+s, muted.with(8)) }

func cellBadge(s report.Status) []span { return []span{badge(s, body.with(tableSize))} }

func cellCount(n int) []span { return cellText(count(n)) }

// rollUp is "3 mål: 1 uppnått, …. Sammantaget: [status]" after a lead in
// bold when one is given.
func rollUp(lead string, ru report.RollUp) []span {
	var spans []span
	if lead != "" {
		spans = append(spans, styled(lead+" ", bold))
	}
	return append(spans, plain(keepCounts(ru.Line())+". Sammantaget: "), badge(ru.Status, body))
}

// keepCounts joins each number to the word after it with a no-break
// space, so that "2 försämring" never parts at a line's end.
func keepCounts(s string) string {
	var b strings.Builder
	prevDigit := false
	for _, c := range s {
		if c == ' ' && prevDigit {
			b.WriteRune('\u00a0')
		} else {
			b.WriteRune(c)
		}
		prevDigit = c >= '0' && c <= '9'
	}
	return b.String()
}

func (r *renderer) cover() {
	f := r.f
	r.newPage()
	r.found.pages["omslag"] = 1
	r.pdf.Bookmark(shorten(r.title, maxOutline), 0, marginTop)
	r.y = marginTop + 40

	r.paragraph(0, styled(f.Organisation.Name, textStyle{size: 14, bold: true, colour: accentColour}))
	r.flow(r.text.lines([]span{styled(r.title, bold.with(24))}, textWidth, 1.2), marginLeft, textWidth, 5, "")
	if f.Document.Subtitle != "" {
		r.paragraph(3, styled(f.Document.Subtitle, textStyle{size: 13, colour: mutedColour}))
	}
	r.paragraph(14, styled("Till: "+f.RecipientBody, bold.with(13)))

	doc := f.Document
	adoption := doc.KindLabel + ": " + doc.Title
	if a := doc.Adopted; a.By != "" || !a.On.IsZero() || a.Paragraph != "" {
		if a.By != "" {
			adoption += ", antagen av " + a.By
		}
		if !a.On.IsZero() {
			adoption += " " + a.On.String()
		}
		if a.Paragraph != "" {
			adoption += " " + a.Paragraph
		}
	}
	facts := []fact{{"Datum", []span{plain(f.GeneratedOn.String())}}}
	if f.Deep() {
		facts = append(facts, fact{"Period", []span{plain(year(f.Since) + "–" + year(f.Year) + ", bedömd per år")}})
	} else {
		facts = append(facts, fact{"Uppföljningsår", []span{plain(year(f.Year))}})
	}
	facts = append(facts, fact{"Styrdokument", []span{plain(adoption)}})
	if doc.Adopted.Reference != "" {
		facts = append(facts, fact{"Beslut", []span{plain(doc.Adopted.Reference)}})
	}
	if doc.CaseNumber != "" {
		facts = append(facts, fact{"Diarienummer", []span{plain(doc.CaseNumber)}})
	}
	if doc.FollowUpRule != "" {
		facts = append(facts, fact{"Uppföljning enligt dokumentet", []span{plain(doc.FollowUpRule)}})
	}
	r.factsWith(8, 55, facts...)
	if doc.Status != strategy.DocumentStatus("antagen") {
		r.notice("Dokumentets status: " + doc.StatusLabel + ".")
	}
	r.paragraph(10, styled("Sammanställd ur Inkludera "+f.GeneratedOn.String()+", med värden till och med "+year(f.Year)+".", muted.with(9)))
}

// noticeFill is the background of a notice, as the HTML's .notice.
var noticeFill = rgb{0xff, 0xf4, 0xe5}

// notice is a paragraph set off by a bar and a light background.
func (r *renderer) notice(text string) {
	r.boxed(paraGap+2, rgb{0x8a, 0x4b, 0x08}, &noticeFill, []span{plain(text)})
}

// boxed sets paragraphs together, kept on one page, set off by a bar at
// their left and, when fill is given, a background.
func (r *renderer) boxed(before float64, bar rgb, fill *rgb, paragraphs ...[]span) {
	const inset, pad = 5.0, 1.5
	var lines []line
	var gaps []int // where a paragraph starts
	for _, p := range paragraphs {
		gaps = append(gaps, len(lines))
		lines = append(lines, r.text.lines(p, textWidth-inset-2, proseSpacing)...)
	}
	h := height(lines) + 2*pad + float64(len(paragraphs)-1)*itemGap
	r.place(before, h)
	if fill != nil {
		r.pdf.SetFillColor(fill.r, fill.g, fill.b)
		r.pdf.Rect(marginLeft, r.y, textWidth, h, "F")
	}
	r.pdf.SetFillColor(bar.r, bar.g, bar.b)
	r.pdf.Rect(marginLeft, r.y, 1.2, h, "F")
	y := r.y + pad
	for i, ln := range lines {
		if i > 0 && slices.Contains(gaps, i) {
			y += itemGap
		}
		r.drawLine(ln, marginLeft+inset, y, textWidth-inset-2, false)
		y += ln.height
	}
	r.y += h
}

// tocEntry is a line of the table of contents.
type tocEntry struct {
	id, text string
	level    int
}

// tocEntries are the HTML's: the main sections, each area with its goals.
func (r *renderer) tocEntries() []tocEntry {
	f := r.f
	entries := []tocEntry{{"sammanfattning", "Sammanfattning", 0}}
	if len(f.Indicators) > 0 {
		entries = append(entries, tocEntry{"indikatorer", "Indikatorer för hela dokumentet", 0})
	}
	for _, a := range f.Areas {
		entries = append(entries, tocEntry{"omrade-" + a.Key, a.Title, 0})
		for _, g := range a.Goals {
			entries = append(entries, tocEntry{"mal-" + g.Key, g.Title, 1})
		}
	}
	return append(entries,
		tocEntry{"aktivitetsplaner", "Aktivitetsplaner " + year(f.Year), 0},
		tocEntry{"kallor", "Källor", 0},
		tocEntry{"metod", "Bilaga: Så bedöms målen", 0},
	)
}

// The table of contents' page numbers column and indent per level.
const (
	tocNumberWidth = 12.0
	tocIndent      = 7.0
)

// contents writes the table of contents. Its page numbers come from the
// pass before; the lines do not depend on them, so neither does anything
// after.
func (r *renderer) contents() {
	r.newSection()
	r.heading(2, "innehall", "", "Innehåll")
	for i, e := range r.tocEntries() {
		st, before := body.with(10.5), 3.2
		if e.level > 0 {
			st, before = body, 1.2
		}
		if i == 0 {
			before = 0
		}
		indent := float64(e.level) * tocIndent
		width := textWidth - indent - tocNumberWidth - 4
		lines := r.text.lines([]span{styled(e.text, st)}, width, proseSpacing)
		r.place(before, height(lines))
		top := r.y
		for _, ln := range lines {
			r.drawLine(ln, marginLeft+indent, r.y, width, false)
			r.y += ln.height
		}
		last := lines[len(lines)-1]
		baseline := r.y - last.height + last.height/2 + 0.35*pt(last.size)

		number := r.pageRef(e.id, true)
		dots := textStyle{size: st.size, colour: ruleColour}
		numberWidth := r.pageRefWidth(st)
		from := marginLeft + indent + last.width + 2
		to := pageWidth - marginRight - numberWidth - 2
		if dot := r.text.m.width(" .", dots); to > from+dot {
			leader := strings.Repeat(" .", int((to-from)/dot))
			r.setFont(dots)
			r.pdf.Text(to-r.text.m.width(leader, dots), baseline, leader)
		}
		r.setFont(st)
		r.pdf.Text(pageWidth-marginRight-numberWidth, baseline, number)

		link := r.pdf.AddLink()
		r.links[e.id] = link
		r.pdf.Link(marginLeft+indent, top, textWidth-indent, r.y-top, link)
	}
}

func (r *renderer) summary() {
	f := r.f
	s := f.Summary
	r.newSection()
	r.heading(2, "sammanfattning", "", "Sammanfattning")
	if s.RollUp.Total > 0 {
		r.paragraph(0, rollUp("", s.RollUp)...)
	} else {
		r.paragraph(0, plain("Dokumentet har inga mål att bedöma."))
	}
	counts := table{
		caption: "Antal mål per status " + year(f.Year),
		columns: []column{{title: "Status", width: 75}, {title: "Antal mål", width: 30, right: true}},
		foot:    [][][]span{{cellText("Totalt"), cellCount(s.RollUp.Total)}},
	}
	for i := range counts.foot[0] {
		for j := range counts.foot[0][i] {
			counts.foot[0][i][j].style.bold = true
		}
	}
	for _, c := range s.RollUp.Counts {
		counts.rows = append(counts.rows, [][]span{cellBadge(c.Status), cellCount(c.Count)})
	}
	r.table(paraGap+1, counts)

	prev := year(s.PreviousYear)
	r.heading(3, "forbattringar", "", "Förbättringar sedan "+prev)
	if len(s.Improved) > 0 {
		r.changes(fmt.Sprintf("Mål med bättre status %d än %d", f.Year, s.PreviousYear), s.PreviousYear, f.Year, s.Improved)
	} else {
		r.paragraph(0, plain("Inget mål har fått bättre status sedan "+prev+"."))
	}
	r.heading(3, "forsamringar", "", "Försämringar sedan "+prev)
	if len(s.Slipped) > 0 {
		r.changes(fmt.Sprintf("Mål med sämre status %d än %d", f.Year, s.PreviousYear), s.PreviousYear, f.Year, s.Slipped)
	} else {
		r.paragraph(0, plain("Inget mål har fått sämre status sedan "+prev+"."))
	}
	if len(s.Uncomparable) > 0 {
		r.heading(3, "kunde-inte-jamforas", "", "Kunde bara bedömas det ena året")
		r.changes(fmt.Sprintf("Mål som kunde bedömas bara %d eller %d", s.PreviousYear, f.Year), s.PreviousYear, f.Year, s.Uncomparable)
	}
	if f.Deep() {
		r.heading(3, "ar-for-ar", "", "Status år för år")
		years := s.Years
		t := table{caption: fmt.Sprintf("Antal mål per status, bedömt för varje år %d–%d", f.Since, f.Year)}
		t.columns = yearColumns("Status", 56, yearsOf(years))
		for i := 1; i < len(t.columns); i++ {
			t.columns[i].right = true
		}
		for _, st := range progress.Statuses {
			cells := [][]span{cellBadge(statusOf(st))}
			for _, y := range years {
				cells = append(cells, cellCount(y.RollUp.Count(st)))
			}
			t.rows = append(t.rows, cells)
		}
		foot := [][]span{{styled("Sammantaget", bold.with(tableSize))}}
		for _, y := range years {
			foot = append(foot, cellBadge(y.RollUp.Status))
		}
		t.foot = [][][]span{foot}
		r.table(0, t)
	}
	r.paragraph(paraGap+2, styled(f.Processing+" Hur statusen beräknas står i bilagan (sidan "+r.pageRef("metod", false)+").", muted.with(9)))
}

func yearsOf(ys []report.YearRollUp) []int {
	var out []int
	for _, y := range ys {
		out = append(out, y.Year)
	}
	return out
}

// yearColumns is a first column of a width and a column per year sharing
// the rest of the text width.
func yearColumns(first string, width float64, years []int) []column {
	cols := []column{{title: first, width: width}}
	if len(years) == 0 {
		return cols
	}
	each := min((textWidth-width)/float64(len(years)), 40)
	for _, y := range years {
		cols = append(cols, column{title: year(y), width: each})
	}
	return cols
}

// changes is a table of targets whose status changed from one year to
// another.
func (r *renderer) changes(caption string, from, to int, cs []report.Change) {
	t := table{
		caption: caption,
		columns: []column{{title: "Mål", width: textWidth - 2*50}, {title: year(from), width: 50}, {title: year(to), width: 50}},
	}
	for _, c := range cs {
		t.rows = append(t.rows, [][]span{
			append(cellText(c.Text), cellNote(c.AreaTitle)),
			cellBadge(c.From),
			cellBadge(c.To),
		})
	}
	r.table(0, t)
}

func (r *renderer) documentIndicators() {
	if len(r.f.Indicators) == 0 {
		return
	}
	r.newSection()
	r.heading(2, "indikatorer", "", "Indikatorer för hela dokumentet")
	for _, ind := range r.f.Indicators {
		r.indicator("dokument", ind, 3)
	}
}

// indicator is an indicator followed without a target, with its figure.
func (r *renderer) indicator(scope string, ind report.Indicator, level int) {
	r.heading(level, "indikator-"+scope+"-"+ind.Key, "", ind.Title)
	if ind.SourceDescription != "" {
		// waits with the heading, so both go with the chart
		r.lead(styled(ind.SourceDescription, muted.with(9)))
	}
	if fig := report.ContextFigure(r.f, scope, ind); fig != nil {
		r.figure(fig)
	} else {
		r.paragraph(paraGap, plain("Inga värden till och med "+year(r.f.Year)+"."))
	}
}

func (r *renderer) area(a *report.Area) {
	f := r.f
	r.newSection()
	r.heading(2, "omrade-"+a.Key, "", a.Title)
	if a.Prioritised {
		r.paragraph(0, styled("Prioriterat område", textStyle{size: smallSize, bold: true, colour: accentColour}))
	}
	if a.Description != "" {
		r.paragraph(paraGap, plain(a.Description))
	}
	if a.RollUp.Total > 0 {
		r.paragraph(paraGap, rollUp("Måluppfyllelse i området:", a.RollUp)...)
	}
	if f.Deep() && a.RollUp.Total > 0 {
		t := table{caption: "Status år för år i området " + a.Title}
		// each year's column wide enough for a status in words, as far
		// as the years leave room for the targets' sentences
		yearWidth := textWidth - float64(len(f.Years()))*30
		t.columns = yearColumns("Mål", min(max(yearWidth, 40), 60), f.Years())
		for _, target := range a.Targets() {
			cells := [][]span{cellText(target.Text)}
			for _, y := range f.Years() {
				cells = append(cells, []span{badge(target.StatusIn(y), body.with(smallSize))})
			}
			t.rows = append(t.rows, cells)
		}
		r.table(paraGap+1, t)
	}
	for _, g := range a.Goals {
		r.goal(g, 3)
	}
	if len(a.Indicators) > 0 {
		r.heading(3, "indikatorer-"+a.Key, "", "Fler indikatorer för området")
		for _, ind := range a.Indicators {
			r.indicator("omrade-"+a.Key, ind, 4)
		}
	}
	if len(a.Commitments) > 0 {
		r.heading(3, "ataganden-"+a.Key, "", "Åtaganden för området")
		r.commitments(a.Commitments)
	}
}

func (r *renderer) goal(g report.Goal, level int) {
	r.heading(level, "mal-"+g.Key, g.LevelLabel+":", g.Title)
	if g.RollUp.Total > 0 {
		lead := "Måluppfyllelse:"
		if len(g.Goals) > 0 {
			lead = "Måluppfyllelse med delmål:"
		}
		r.paragraph(0, rollUp(lead, g.RollUp)...)
	}
	for _, t := range g.Targets {
		r.target(t, level+1)
	}
	if len(g.Commitments) > 0 {
		r.heading(level+1, "ataganden-"+g.Key, "", "Åtaganden")
		r.commitments(g.Commitments)
	}
	for _, sub := range g.Goals {
		r.goal(sub, level+1)
	}
}

func (r *renderer) commitments(cs []report.Commitment) {
	var items [][]span
	for _, c := range cs {
		item := []span{plain(c.Text)}
		if len(c.Bodies) > 0 {
			item = append(item, styled(" Ansvar: "+strings.Join(c.Bodies, ", "), muted.with(9)))
		}
		items = append(items, item)
	}
	r.list(0, items...)
}

func (r *renderer) target(t report.Target, level int) {
	f := r.f
	r.targetHeading(level, "malvarde-"+t.Key, t.Text)
	status := []span{badge(t.Status, body)}
	if t.Override != nil {
		status = append(status, styled(" manuell bedömning", muted.with(9)))
	}
	// the status waits with the heading for the start of what follows
	r.lead(status...)
	if o := t.Override; o != nil {
		text := "Bedömd för hand"
		if o.By != "" {
			text += " av " + o.By
		}
		if o.On != "" {
			text += ", " + o.On
		}
		r.boxed(paraGap, mutedColour, nil,
			[]span{plain(text + ". Motivering: " + o.Justification)},
			[]span{plain("Beräknad status: "), badge(o.Computed, body)})
	}
	if t.Explanation != "" {
		r.paragraph(paraGap, plain(t.Explanation))
	}
	if len(t.Notes) > 0 {
		var items [][]span
		for _, n := range t.Notes {
			items = append(items, []span{plain(n)})
		}
		r.list(1.5, items...)
	}

	var facts []fact
	if t.Requirement != "" {
		facts = append(facts, fact{"Målvärde", []span{plain(t.Requirement)}})
	}
	facts = append(facts, fact{"Typ av mål", []span{plain(t.KindLabel)}})
	if t.GenderLabel != "" {
		facts = append(facts, fact{"Avser", []span{plain(t.GenderLabel)}})
	}
	if ind := t.Indicator; ind != nil {
		facts = append(facts, fact{"Indikator", []span{plain(withSource(ind.Title, ind.SourceDescription))}})
	}
	if ind := t.Reference; ind != nil {
		facts = append(facts, fact{"Jämförs med", []span{plain(withSource(ind.Title, ind.SourceDescription))}})
	}
	facts = append(facts, fact{"Status " + year(f.Summary.PreviousYear), []span{badge(t.PreviousStatus, body)}})
	r.facts(paraGap+0.5, facts...)

	var genders []fact
	if w := t.Women; w != nil {
		genders = append(genders, fact{"Kvinnor", []span{badge(w.Status, body), plain(" " + w.Explanation)}})
	}
	if m := t.Men; m != nil {
		genders = append(genders, fact{"Män", []span{badge(m.Status, body), plain(" " + m.Explanation)}})
	}
	r.facts(paraGap, genders...)

	if fig := report.TargetFigure(f, t); fig != nil {
		r.figure(fig)
	}
}

// withSource is "Title (source)", or the title alone.
func withSource(title, source string) string {
	if source == "" {
		return title
	}
	return title + " (" + source + ")"
}

// maxChartHeight keeps a chart of unusual proportions from filling a page.
const maxChartHeight = 110.0

// figure is a chart drawn as vectors under its title, kept on one page
// with it, and the table of its values with their attribution.
func (r *renderer) figure(fig *report.Figure) {
	d := r.draw(fig.Chart)
	if d.Width > 0 && d.Height > 0 {
		width := min(textWidth, maxChartHeight*d.Width/d.Height)
		h := d.Height * width / d.Width
		title := r.text.lines([]span{styled("Diagram: "+fig.Title, captionStyle)}, textWidth, proseSpacing)
		note := "Värdena finns i tabellen nedan."
		if fig.Attributions != "" {
			note = fig.Attributions + ". " + note
		}
		caption := r.text.lines([]span{styled(note, muted)}, textWidth, proseSpacing)
		r.place(paraGap+2, height(title)+1.5+h+1+height(caption))
		r.drawCaption(title)
		r.y += 1.5
		r.drawing(d, marginLeft, r.y, width)
		r.y += h + 1
		r.drawCaption(caption)
	}

	t := table{caption: fig.Caption}
	valueWidth := min(32, (textWidth-20)/float64(max(len(fig.Columns)-1, 1)))
	for i, c := range fig.Columns {
		if i == 0 {
			t.columns = append(t.columns, column{title: c, width: 20})
			continue
		}
		t.columns = append(t.columns, column{title: c, width: valueWidth, right: true})
	}
	for _, row := range fig.Rows {
		cells := [][]span{cellText(year(row.Year))}
		for _, c := range row.Cells {
			cells = append(cells, cellText(c.Text))
		}
		t.rows = append(t.rows, cells)
	}
	r.table(paraGap+1, t)
	if fig.Preliminary {
		r.paragraph(1.2, styled("* Året har preliminära värden.", muted))
	}
	if fig.Attributions != "" {
		r.paragraph(1.2, styled(fig.Attributions+".", muted))
	}
}

func (r *renderer) actionPlans() {
	f := r.f
	r.newSection()
	r.heading(2, "aktivitetsplaner", "", "Aktivitetsplaner "+year(f.Year))
	day := f.GeneratedOn.String()
	if len(f.ActionPlans) == 0 {
		r.paragraph(0, plain("Dokumentet har inga aktivitetsplaner för "+year(f.Year)+"."))
	} else {
		r.paragraph(0, plain(report.Plural(len(f.ActionPlans), "aktivitetsplan", "aktivitetsplaner")+" för "+year(f.Year)+
			". Aktiviteter som är sena "+day+": "+count(report.SumLate(f.ActionPlans))+"."))
	}
	for _, p := range f.ActionPlans {
		r.heading(3, "plan-"+p.Key, "", p.Title)
		text := "Ansvarig: " + p.Body + ". Planens status: " + p.StatusLabel
		if p.Decision != "" {
			text += " (" + p.Decision + ")"
		}
		text += ". " + report.Plural(p.Total, "aktivitet", "aktiviteter") + ", varav " + report.Plural(p.Late, "sen", "sena") + " " + day + "."
		r.paragraph(0, plain(text))

		counts := table{
			caption: "Aktiviteter per status, " + p.Body,
			columns: []column{{title: "Status", width: 60}, {title: "Antal aktiviteter", width: 38, right: true}},
		}
		for _, c := range p.Counts {
			counts.rows = append(counts.rows, [][]span{cellText(describe.Capitalise(c.Label)), cellCount(c.Count)})
		}
		r.table(paraGap+1, counts)

		if late := p.LateActivities(); len(late) > 0 {
			r.heading(4, "sena-"+p.Key, "", "Sena aktiviteter")
			var items [][]span
			for _, a := range late {
				items = append(items, []span{styled(a.Title+".", bold), plain(" " + a.LateReason)})
			}
			r.list(0, items...)
		}
		if len(p.Activities) > 0 {
			r.activities(p)
		}
	}
}

// registerSize is the activities table's text size: six columns of it
// share the width.
const registerSize = 8.0

// lateStyle marks a late activity: a word in bold, its colour a second cue.
var lateStyle = textStyle{size: registerSize, bold: true, colour: rgb{0x6b, 0x1d, 0x15}}

// registerText is an activities table cell's text.
func registerText(s string) []span { return []span{styled(s, body.with(registerSize))} }

func (r *renderer) activities(p report.ActionPlan) {
	titles := []string{"Aktivitet", "Målgrupp", "Tid", "Ansvarig", "Uppföljning", "Status"}
	t := table{caption: "Aktiviteter i " + p.Title, size: registerSize}
	for _, a := range p.Activities {
		activity := registerText(a.Title)
		if a.Description != "" {
			activity = append(activity, cellNote(a.Description))
		}
		if len(a.Goals) > 0 {
			var titles []string
			for _, g := range a.Goals {
				titles = append(titles, g.Title)
			}
			activity = append(activity, cellNote("Mål: "+strings.Join(titles, ", ")))
		}
		for _, n := range a.Notes {
			activity = append(activity, cellNote("Uppföljning "+n.Date.String()+": "+n.Text))
		}
		status := describe.Capitalise(a.StatusLabel)
		if a.Progress != nil {
			status += ", " + fmt.Sprint(*a.Progress) + "\u00a0%"
		}
		statusCell := registerText(status)
		if a.Late != describe.NotLate {
			statusCell = append(statusCell, styled(" Sen", lateStyle))
		}
		t.rows = append(t.rows, [][]span{
			activity,
			registerText(a.TargetGroup),
			registerText(a.Time),
			registerText(a.Responsible),
			registerText(a.FollowUp.String()),
			statusCell,
		})
	}
	var header [][]span
	for _, title := range titles {
		header = append(header, []span{styled(title, bold.with(registerSize))})
	}
	widths := r.columnWidths(append([][][]span{header}, t.rows...), len(titles), textWidth, 0.28)
	for i, title := range titles {
		t.columns = append(t.columns, column{title: title, width: widths[i]})
	}
	r.table(paraGap+1, t)
}

func (r *renderer) sources() {
	f := r.f
	r.newSection()
	r.heading(2, "kallor", "", "Källor")
	if len(f.Sources) == 0 {
		r.paragraph(0, plain("Rapporten visar inga värden."))
	}
	for i, s := range f.Sources {
		before := paraGap + 1
		if i == 0 {
			before = 0
		}
		r.paragraph(before, styled(s.Attribution, bold))
		var items [][]span
		for _, ind := range s.Indicators {
			items = append(items, []span{plain(withSource(ind.Title, ind.SourceDescription))})
		}
		r.list(1, items...)
	}
	r.paragraph(paraGap+2, plain(f.Processing))
}

func (r *renderer) method() {
	r.newSection()
	r.heading(2, "metod", "", "Bilaga: Så bedöms målen")
	for i, s := range r.f.Method {
		r.heading(3, fmt.Sprintf("metod-%d", i+1), "", s.Title)
		for j, p := range s.Paragraphs {
			before := paraGap
			if j == 0 {
				before = 0
			}
			r.paragraph(before, plain(p))
		}
		if len(s.Items) > 0 {
			r.list(paraGap, itemSpans(s.Items)...)
		}
		if mt := s.Table; mt != nil {
			r.methodTable(mt)
		}
	}
}

func itemSpans(items []string) [][]span {
	var out [][]span
	for _, it := range items {
		out = append(out, []span{plain(it)})
	}
	return out
}

// methodTable sets an appendix table with columns as wide as their
// content asks, within the text width.
func (r *renderer) methodTable(mt *report.MethodTable) {
	t := table{caption: mt.Caption}
	var header [][]span
	for _, c := range mt.Columns {
		header = append(header, []span{styled(c, bold.with(tableSize))})
	}
	var rows [][][]span
	for _, row := range mt.Rows {
		var cells [][]span
		for _, c := range row {
			cells = append(cells, cellText(c))
		}
		rows = append(rows, cells)
	}
	widths := r.columnWidths(append([][][]span{header}, rows...), len(mt.Columns), textWidth, 0)
	for i, c := range mt.Columns {
		t.columns = append(t.columns, column{title: c, width: widths[i]})
	}
	t.rows = rows
	r.table(paraGap+1, t)
}

// maxWordShare caps the room a column's longest word claims before the
// others have theirs: a long compound ("Arbetsmarknadsenheten") is only
// broken when the columns cannot all have their longest words.
const maxWordShare = 0.18

// columnWidths shares width among n columns. Each first gets its longest
// word (capped at maxWordShare of the width; the first column, which names
// the row, at least firstShare when its text asks for that much); then
// the columns whose words were capped get them whole; what is left goes
// where text is longest, up to each column's text on one line; then all
// widen in proportion.
func (r *renderer) columnWidths(rows [][][]span, n int, width, firstShare float64) []float64 {
	words := make([]float64, n)  // the longest word
	wanted := make([]float64, n) // the whole text on one line
	for _, row := range rows {
		for i := 0; i < n && i < len(row); i++ {
			for _, tok := range r.text.tokens(row[i]) {
				words[i] = max(words[i], tok.advance()+2*cellPadX)
			}
			for _, ln := range r.text.lines(row[i], 1e6, tableSpacing) {
				wanted[i] = max(wanted[i], ln.width+2*cellPadX)
			}
		}
	}
	least := make([]float64, n)
	for i := range n {
		least[i] = min(words[i], maxWordShare*width)
		wanted[i] = max(wanted[i], words[i])
	}
	if n > 0 {
		least[0] = max(least[0], min(wanted[0], firstShare*width))
	}
	return shareWidth(width, least, words, wanted)
}

// shareWidth starts each column at least and raises the columns towards
// each target in turn; when there is not enough for all, the columns
// needing no more than a fair share are served first and the others share
// the rest in proportion to their need. When every target is met, the
// columns widen in proportion to fill width. If least alone is too wide,
// every column is squeezed.
func shareWidth(width float64, least []float64, targets ...[]float64) []float64 {
	out := slices.Clone(least)
	sum := 0.0
	for _, w := range out {
		sum += w
	}
	if sum <= 0 {
		return out
	}
	if sum >= width {
		for i := range out {
			out[i] *= width / sum
		}
		return out
	}
	extra := width - sum
	for _, target := range targets {
		gap := 0.0
		for i := range out {
			gap += max(target[i]-out[i], 0)
		}
		if gap <= extra {
			for i := range out {
				out[i] = max(out[i], target[i])
			}
			extra -= gap
			continue
		}
		// not enough for all: the columns that need no more than a fair
		// share get what they need, the others share the rest in
		// proportion to their need
		need := func(i int) float64 { return max(target[i]-out[i], 0) }
		for settled := true; settled; {
			settled = false
			open := 0
			for i := range out {
				if need(i) > 0 {
					open++
				}
			}
			for i := range out {
				if n := need(i); n > 0 && n <= extra/float64(open) {
					out[i] += n
					extra -= n
					settled = true
					break
				}
			}
		}
		gap = 0
		for i := range out {
			gap += need(i)
		}
		shares := make([]float64, len(out))
		for i := range out {
			shares[i] = extra * need(i) / gap
		}
		for i := range out {
			out[i] += shares[i]
		}
		return out
	}
	for i := range out {
		out[i] *= width / (width - extra)
	}
	return out
}

func (r *renderer) colophon() {
	f := r.f
	text := f.Organisation.Name + " · " + r.title + " · " + f.GeneratedOn.String() + ". Framtagen med Inkludera."
	lines := r.text.lines([]span{styled(text, muted)}, textWidth, proseSpacing)
	r.place(0, 0)
	if r.y+12+3+height(lines) > bodyBottom {
		return // the footer says as much; not worth a page of its own
	}
	r.y += 12
	r.rule(marginLeft, r.y, textWidth, ruleColour, 0.2)
	r.y += 3
	r.drawCaption(lines)
}
