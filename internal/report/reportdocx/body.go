package reportdocx

import (
	"bytes"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"github.com/inkludera/inkludera/internal/chart"
	"github.com/inkludera/inkludera/internal/describe"
	"github.com/inkludera/inkludera/internal/i18n"
	"github.com/inkludera/inkludera/internal/progress"
	"github.com/inkludera/inkludera/internal/report"
	"github.com/inkludera/inkludera/internal/strategy"
)

// body writes word/document.xml's content in the HTML rendering's order,
// with the same headings and wording (templates/report.html.tmpl in
// package report): the HTML's h2 is Heading1 here, h3 Heading2 and so on,
// and its h1, the report's title, is the cover's Title.
type body struct {
	f   *report.FollowUp
	out bytes.Buffer
	// headings are those written so far, for the table of contents'
	// cached result.
	headings []tocEntry
	// bookmarks maps an HTML id ("malvarde-KEY") to its bookmark's name,
	// given on first use so a link may come before its heading;
	// bookmarked are the ids a heading has taken.
	bookmarks   map[string]string
	bookmarked  map[string]bool
	bookmarkIDs int
	images      []mediaFile
	err         error
}

// tocEntry is a heading as the table of contents lists it.
type tocEntry struct {
	Level    int
	Text     string
	Bookmark string
}

// mediaFile is a chart's PNG, stored as word/media/<Name>.
type mediaFile struct {
	RelID   string
	Name    string
	Data    []byte
	drawing chart.Drawing
}

// tocLevels are the heading levels the table of contents lists. In its
// field, \o "1-3" takes the outline levels of Heading1…3, \h makes the
// entries links, \z hides page numbers in Web layout, \u takes outline
// levels set on paragraphs too.
const tocLevels = 3

var tocInstruction = fmt.Sprintf(`TOC \o "1-%d" \h \z \u`, tocLevels)

// maxHeadingLevel is Word's deepest built-in heading; deeper goal trees
// stay at it, so the outline never jumps a level.
const maxHeadingLevel = 6

// chartPixelWidth is the PNG's width: about 200 dpi at the text's 16 cm,
// sharp in print without making the file heavy.
const chartPixelWidth = 1260

func newBody(f *report.FollowUp) *body {
	return &body{f: f, bookmarks: map[string]string{}, bookmarked: map[string]bool{}}
}

func (b *body) para(p paragraph) { p.write(&b.out) }

func (b *body) text(style string, spans ...span) {
	b.para(paragraph{Style: style, Spans: spans})
}

func (b *body) bullets(items ...[]span) {
	for _, item := range items {
		b.para(paragraph{Style: "ListParagraph", Bullet: true, Spans: item})
	}
}

// bookmark is the bookmark name for an HTML id. Names start with an
// underscore, which Word keeps out of its list of the user's bookmarks.
func (b *body) bookmark(id string) string {
	if name, ok := b.bookmarks[id]; ok {
		return name
	}
	name := "_Toc" + strconv.Itoa(len(b.bookmarks)+1)
	b.bookmarks[id] = name
	return name
}

// heading writes a heading at the level the HTML gives it (2 for a
// section), bookmarked by the HTML's id, and records it for the table of
// contents.
func (b *body) heading(htmlLevel int, id string, pageBreak bool, spans ...span) {
	level := min(max(htmlLevel-1, 1), maxHeadingLevel)
	base := id
	for n := 2; b.bookmarked[id]; n++ {
		id = base + "~" + strconv.Itoa(n) // two headings with one id still get a bookmark each
	}
	b.bookmarked[id] = true
	name := b.bookmark(id)
	b.bookmarkIDs++
	b.para(paragraph{
		Style:           "Heading" + strconv.Itoa(level),
		PageBreakBefore: pageBreak,
		Bookmark:        name,
		BookmarkID:      b.bookmarkIDs,
		Spans:           spans,
	})
	var text strings.Builder
	for _, s := range spans {
		text.WriteString(s.Text)
	}
	b.headings = append(b.headings, tocEntry{Level: level, Text: text.String(), Bookmark: name})
}

// badge is a status as symbol and words in the status's character style:
// the colour repeats what the words say, never alone. It may wrap, as in
// a narrow table cell.
func badge(s report.Status) []span {
	label := s.Label
	if label == "" {
		label = string(s.Code)
	}
	return []span{{Text: s.Symbol() + "\u00a0" + describe.Capitalise(label), Style: statusStyleID(s.Code)}}
}

// inlineBadge is a badge in running text, kept on one line as the HTML's
// badges are.
func inlineBadge(s report.Status) []span {
	spans := badge(s)
	spans[0].Text = strings.ReplaceAll(spans[0].Text, " ", "\u00a0")
	return spans
}

func count(n int) string { return i18n.FormatNumber(float64(n), 0) }
func year(y int) string  { return i18n.FormatYear(y) }

// fact is a "Label: value" line, as the HTML's dt and dd.
func fact(label string, value ...span) []span {
	return append([]span{strong(label + ": ")}, value...)
}

// cover is the first page: what the report is, for whom, and when.
func (b *body) cover() {
	f := b.f
	b.text("CoverOrganisation", plain(f.Organisation.Name))
	b.text("Title", plain(report.Heading(f)))
	if f.Document.Subtitle != "" {
		b.text("Subtitle", plain(f.Document.Subtitle))
	}
	b.text("CoverRecipient", plain("Till: "+f.RecipientBody))
	b.text("", fact("Datum", plain(f.GeneratedOn.String()))...)
	if f.Deep() {
		b.text("", fact("Period", plain(year(f.Since)+"–"+year(f.Year)+", bedömd per år"))...)
	} else {
		b.text("", fact("Uppföljningsår", plain(year(f.Year)))...)
	}
	doc := f.Document.KindLabel + ": " + f.Document.Title
	a := f.Document.Adopted
	if a.By != "" {
		doc += ", antagen av " + a.By
	}
	if !a.On.IsZero() {
		doc += " " + a.On.String()
	}
	if a.Paragraph != "" {
		doc += " " + a.Paragraph
	}
	b.text("", fact("Styrdokument", plain(doc))...)
	if f.Document.Adopted.Reference != "" {
		b.text("", fact("Beslut", plain(f.Document.Adopted.Reference))...)
	}
	if f.Document.CaseNumber != "" {
		b.text("", fact("Diarienummer", plain(f.Document.CaseNumber))...)
	}
	if f.Document.FollowUpRule != "" {
		b.text("", fact("Uppföljning enligt dokumentet", plain(f.Document.FollowUpRule))...)
	}
	if f.Document.Status != strategy.StatusAdopted {
		b.text("Notice", plain("Dokumentets status: "+f.Document.StatusLabel+"."))
	}
	b.text("SourceNote", plain("Sammanställd ur Inkludera "+f.GeneratedOn.String()+", med värden till och med "+year(f.Year)+"."))
}

// tableOfContents is a TOC field over the headings, with the entries
// already written as its cached result, so that the contents show before
// Word updates the field (settings.xml asks it to on opening) and in
// readers that never do. The cached entries have no page numbers, which
// only layout knows: LibreOffice drops a PAGEREF field inside a table of
// contents rather than compute it, and Word writes its own on updating.
func tableOfContents(w *bytes.Buffer, headings []tocEntry) {
	w.WriteString(`<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/><w:docPartUnique/></w:docPartObj></w:sdtPr><w:sdtContent>` + "\n")
	paragraph{Style: "TOCHeading", PageBreakBefore: true, Spans: []span{plain("Innehåll")}}.write(w)
	var entries []tocEntry
	for _, h := range headings {
		if h.Level <= tocLevels {
			entries = append(entries, h)
		}
	}
	if len(entries) == 0 {
		w.WriteString("<w:p>")
		fieldBegin(w, tocInstruction)
		fieldEnd(w)
		w.WriteString("</w:p>\n")
	}
	for i, e := range entries {
		w.WriteString(`<w:p><w:pPr><w:pStyle w:val="TOC` + strconv.Itoa(e.Level) + `"/></w:pPr>`)
		if i == 0 {
			fieldBegin(w, tocInstruction)
		}
		writeSpans(w, []span{{Text: e.Text, Anchor: e.Bookmark}})
		if i == len(entries)-1 {
			fieldEnd(w)
		}
		w.WriteString("</w:p>\n")
	}
	w.WriteString("</w:sdtContent></w:sdt>\n")
}

func (b *body) summary() {
	f := b.f
	b.heading(2, "sammanfattning", true, plain("Sammanfattning"))
	r := f.Summary.RollUp
	if r.Total > 0 {
		b.text("", append([]span{plain(r.Line() + ". Sammantaget: ")}, inlineBadge(r.Status)...)...)
	} else {
		b.text("", plain("Dokumentet har inga mål att bedöma."))
	}
	counts := table{
		Caption: "Antal mål per status " + year(f.Year),
		Widths:  []int{3800, 1600},
		Header:  []cell{textCell(plain("Status")), numberCell("Antal mål")},
		Totals:  []cell{textCell(plain("Totalt")), numberCell(count(r.Total))},
	}
	for _, c := range r.Counts {
		counts.Rows = append(counts.Rows, []cell{textCell(badge(c.Status)...), numberCell(count(c.Count))})
	}
	counts.write(&b.out)

	prev := f.Summary.PreviousYear
	b.heading(3, "forbattringar", false, plain("Förbättringar sedan "+year(prev)))
	if len(f.Summary.Improved) > 0 {
		b.changes(fmt.Sprintf("Mål med bättre status %d än %d", f.Year, prev), prev, f.Year, f.Summary.Improved)
	} else {
		b.text("", plain("Inget mål har fått bättre status sedan "+year(prev)+"."))
	}
	b.heading(3, "forsamringar", false, plain("Försämringar sedan "+year(prev)))
	if len(f.Summary.Slipped) > 0 {
		b.changes(fmt.Sprintf("Mål med sämre status %d än %d", f.Year, prev), prev, f.Year, f.Summary.Slipped)
	} else {
		b.text("", plain("Inget mål har fått sämre status sedan "+year(prev)+"."))
	}
	if len(f.Summary.Uncomparable) > 0 {
		b.heading(3, "kunde-inte-jamforas", false, plain("Kunde bara bedömas det ena året"))
		b.changes(fmt.Sprintf("Mål som kunde bedömas bara %d eller %d", prev, f.Year), prev, f.Year, f.Summary.Uncomparable)
	}
	if f.Deep() {
		b.heading(3, "ar-for-ar", false, plain("Status år för år"))
		years := f.Summary.Years
		t := table{
			Caption: "Antal mål per status, bedömt för varje år " + year(f.Since) + "–" + year(f.Year),
			Widths:  columns(3000, len(years)),
			Header:  []cell{textCell(plain("Status"))},
		}
		for _, y := range years {
			t.Header = append(t.Header, numberCell(year(y.Year)))
		}
		for _, s := range progress.Statuses {
			row := []cell{textCell(badge(report.Status{Code: s, Label: s.Label().SV})...)}
			for _, y := range years {
				row = append(row, numberCell(count(y.RollUp.Count(s))))
			}
			t.Rows = append(t.Rows, row)
		}
		t.Totals = []cell{textCell(plain("Sammantaget"))}
		for _, y := range years {
			t.Totals = append(t.Totals, textCell(badge(y.RollUp.Status)...))
		}
		t.write(&b.out)
	}
	b.text("SourceNote", plain(f.Processing+" Hur statusen beräknas står i "), span{Text: "bilagan", Style: "Hyperlink", Anchor: b.bookmark("metod")}, plain("."))
}

// columns are widths for a first column of first twips and n more sharing
// the rest of the text width.
func columns(first, n int) []int {
	widths := []int{first}
	for range n {
		widths = append(widths, (textWidthTwips-first)/max(n, 1))
	}
	return widths
}

// changes is a table of targets whose status changed, each linked to the
// target's heading.
func (b *body) changes(caption string, from, to int, cs []report.Change) {
	t := table{
		Caption: caption,
		Widths:  []int{4672, 2200, 2200},
		Header:  []cell{textCell(plain("Mål")), textCell(plain(year(from))), textCell(plain(year(to)))},
	}
	for _, c := range cs {
		name := cell{Paras: []paragraph{
			{Spans: []span{{Text: c.Text, Style: "Hyperlink", Anchor: b.bookmark("malvarde-" + c.Target)}}},
			{Style: "CellNote", Spans: []span{{Text: c.AreaTitle, NotBold: true}}},
		}}
		t.Rows = append(t.Rows, []cell{name, textCell(badge(c.From)...), textCell(badge(c.To)...)})
	}
	t.write(&b.out)
}

func (b *body) documentIndicators() {
	if len(b.f.Indicators) == 0 {
		return
	}
	b.heading(2, "indikatorer", true, plain("Indikatorer för hela dokumentet"))
	for _, ind := range b.f.Indicators {
		b.indicator("dokument", ind, 3)
	}
}

func (b *body) area(a report.Area) {
	f := b.f
	b.heading(2, "omrade-"+a.Key, true, plain(a.Title))
	if a.Prioritised {
		b.text("Tag", plain("Prioriterat område"))
	}
	if a.Description != "" {
		b.text("", plain(a.Description))
	}
	if a.RollUp.Total > 0 {
		b.text("", append([]span{strong("Måluppfyllelse i området:"), plain(" " + a.RollUp.Line() + ". Sammantaget: ")}, inlineBadge(a.RollUp.Status)...)...)
	}
	if f.Deep() && a.RollUp.Total > 0 {
		years := f.Years()
		t := table{
			Caption: "Status år för år i området " + a.Title,
			Widths:  columns(2672, len(years)),
			Header:  []cell{textCell(plain("Mål"))},
		}
		for _, y := range years {
			t.Header = append(t.Header, textCell(plain(year(y))))
		}
		for _, target := range a.Targets() {
			row := []cell{textCell(span{Text: target.Text, Style: "Hyperlink", Anchor: b.bookmark("malvarde-" + target.Key)})}
			for _, y := range years {
				row = append(row, textCell(badge(target.StatusIn(y))...))
			}
			t.Rows = append(t.Rows, row)
		}
		t.write(&b.out)
	}
	for _, g := range a.Goals {
		b.goal(g, 3)
	}
	if len(a.Indicators) > 0 {
		b.heading(3, "indikatorer-"+a.Key, false, plain("Fler indikatorer för området"))
		for _, ind := range a.Indicators {
			b.indicator("omrade-"+a.Key, ind, 4)
		}
	}
	if len(a.Commitments) > 0 {
		b.heading(3, "ataganden-"+a.Key, false, plain("Åtaganden för området"))
		b.commitments(a.Commitments)
	}
}

func (b *body) commitments(cs []report.Commitment) {
	for _, c := range cs {
		item := []span{plain(c.Text)}
		if len(c.Bodies) > 0 {
			item = append(item, plain(" "), span{Text: "Ansvar: " + strings.Join(c.Bodies, ", "), Style: "Muted"})
		}
		b.bullets(item)
	}
}

func (b *body) goal(g report.Goal, level int) {
	b.heading(level, "mal-"+g.Key, false, span{Text: g.LevelLabel + ": ", Style: "HeadingPrefix"}, plain(g.Title))
	if g.RollUp.Total > 0 {
		title := "Måluppfyllelse:"
		if len(g.Goals) > 0 {
			title = "Måluppfyllelse med delmål:"
		}
		b.text("", append([]span{strong(title), plain(" " + g.RollUp.Line() + ". Sammantaget: ")}, inlineBadge(g.RollUp.Status)...)...)
	}
	for _, t := range g.Targets {
		b.target(t, level+1)
	}
	if len(g.Commitments) > 0 {
		b.heading(level+1, "ataganden-"+g.Key, false, plain("Åtaganden"))
		b.commitments(g.Commitments)
	}
	for _, sub := range g.Goals {
		b.goal(sub, level+1)
	}
}

func (b *body) target(t report.Target, level int) {
	f := b.f
	b.heading(level, "malvarde-"+t.Key, false, plain(t.Text))
	status := append(fact("Status "+year(f.Year)), inlineBadge(t.Status)...)
	if t.Override != nil {
		status = append(status, plain(" "), span{Text: "manuell bedömning", Style: "Muted"})
	}
	b.para(paragraph{KeepNext: true, Spans: status})
	if o := t.Override; o != nil {
		by := "Bedömd för hand"
		if o.By != "" {
			by += " av " + o.By
		}
		if o.On != "" {
			by += ", " + o.On
		}
		b.text("", plain(by+". Motivering: "+o.Justification))
		b.text("", append([]span{plain("Beräknad status: ")}, inlineBadge(o.Computed)...)...)
	}
	b.text("", plain(t.Explanation))
	for _, n := range t.Notes {
		b.bullets([]span{plain(n)})
	}
	var facts [][]span
	if t.Requirement != "" {
		facts = append(facts, fact("Målvärde", plain(t.Requirement)))
	}
	facts = append(facts, fact("Typ av mål", plain(t.KindLabel)))
	if t.GenderLabel != "" {
		facts = append(facts, fact("Avser", plain(t.GenderLabel)))
	}
	if ind := t.Indicator; ind != nil {
		facts = append(facts, fact("Indikator", plain(withSource(ind.Title, ind.SourceDescription))))
	}
	if ref := t.Reference; ref != nil {
		facts = append(facts, fact("Jämförs med", plain(withSource(ref.Title, ref.SourceDescription))))
	}
	facts = append(facts, fact("Status "+year(f.Summary.PreviousYear), inlineBadge(t.PreviousStatus)...))
	for _, g := range []struct {
		label  string
		status *report.GenderStatus
	}{{"Kvinnor", t.Women}, {"Män", t.Men}} {
		if g.status != nil {
			facts = append(facts, fact(g.label, append(inlineBadge(g.status.Status), plain(" "+g.status.Explanation))...))
		}
	}
	for i, spans := range facts {
		b.para(paragraph{Style: "Fact", KeepNext: i < len(facts)-1, Spans: spans})
	}
	if fig := report.TargetFigure(f, t); fig != nil {
		b.figure(fig)
	}
}

func withSource(title, source string) string {
	if source == "" {
		return title
	}
	return title + " (" + source + ")"
}

// indicator is an indicator followed without a target.
func (b *body) indicator(scope string, ind report.Indicator, level int) {
	b.heading(level, "indikator-"+scope+"-"+ind.Key, false, plain(ind.Title))
	if ind.SourceDescription != "" {
		b.text("SourceNote", plain(ind.SourceDescription))
	}
	if fig := report.ContextFigure(b.f, scope, ind); fig != nil {
		b.figure(fig)
	} else {
		b.text("", plain("Inga värden till och med "+year(b.f.Year)+"."))
	}
}

// figure is a chart as a picture, its caption, and the table of its
// values, which says everything the picture shows.
func (b *body) figure(fig *report.Figure) {
	if pic, ok := b.chartPicture(fig.Chart); ok {
		pic.write(&b.out, true)
	}
	caption := "Diagram: " + fig.Title
	if fig.Attributions != "" {
		caption += ". " + fig.Attributions
	}
	b.text("Caption", plain(caption+". Värdena finns i tabellen."))

	t := table{Caption: fig.Caption}
	valueColumns := len(fig.Columns) - 1
	t.Widths = []int{1100}
	for range valueColumns {
		t.Widths = append(t.Widths, min(2000, (textWidthTwips-1100)/max(valueColumns, 1)))
	}
	for i, c := range fig.Columns {
		if i == 0 {
			t.Header = append(t.Header, textCell(plain(c)))
		} else {
			t.Header = append(t.Header, numberCell(c))
		}
	}
	for _, r := range fig.Rows {
		row := []cell{textCell(plain(year(r.Year)))}
		for _, c := range r.Cells {
			row = append(row, numberCell(c.Text))
		}
		t.Rows = append(t.Rows, row)
	}
	t.write(&b.out)
	if fig.Preliminary {
		b.text("SourceNote", plain("* Året har preliminära värden."))
	}
	if fig.Attributions != "" {
		b.text("SourceNote", plain(fig.Attributions+"."))
	}
}

// chartPicture lays the chart out as a picture of the text's width; its
// PNG is made later, with the others, by encodeImages.
func (b *body) chartPicture(c chart.Chart) (picture, bool) {
	if b.err != nil {
		return picture{}, false
	}
	d := chart.Draw(c)
	if d.Width <= 0 || d.Height <= 0 {
		b.err = fmt.Errorf("chart %q has no size (%g×%g)", c.Title, d.Width, d.Height)
		return picture{}, false
	}
	n := len(b.images) + 1
	img := mediaFile{RelID: "rIdDiagram" + strconv.Itoa(n), Name: "diagram" + strconv.Itoa(n) + ".png", drawing: d}
	b.images = append(b.images, img)
	width := int64(textWidthTwips) * emuPerTwip
	return picture{
		ID:          n,
		RelID:       img.RelID,
		FileName:    img.Name,
		Title:       d.Title,
		Description: d.Description,
		WidthEMU:    width,
		HeightEMU:   int64(float64(width)*d.Height/d.Width + 0.5),
	}, true
}

// encodeImages rasterises every chart, several at a time: it is most of
// the rendering's work. Each PNG goes to its own slot, so the order, and
// the bytes, do not depend on which finishes first.
func (b *body) encodeImages() error {
	errs := make([]error, len(b.images))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(b.images)) {
		wg.Go(func() {
			for i := range next {
				var png bytes.Buffer
				if err := encodePNG(&png, b.images[i].drawing, chartPixelWidth); err != nil {
					errs[i] = fmt.Errorf("drawing chart %q: %w", b.images[i].drawing.Title, err)
					continue
				}
				b.images[i].Data = png.Bytes()
			}
		})
	}
	for i := range b.images {
		next <- i
	}
	close(next)
	wg.Wait()
	return errors.Join(errs...)
}

func (b *body) actionPlans() {
	f := b.f
	b.heading(2, "aktivitetsplaner", true, plain("Aktivitetsplaner "+year(f.Year)))
	if len(f.ActionPlans) == 0 {
		b.text("", plain("Dokumentet har inga aktivitetsplaner för "+year(f.Year)+"."))
	} else {
		b.text("", plain(report.Plural(len(f.ActionPlans), "aktivitetsplan", "aktivitetsplaner")+" för "+year(f.Year)+
			". Aktiviteter som är sena "+f.GeneratedOn.String()+": "+count(report.SumLate(f.ActionPlans))+"."))
	}
	for _, p := range f.ActionPlans {
		b.heading(3, "plan-"+p.Key, false, plain(p.Title))
		line := "Ansvarig: " + p.Body + ". Planens status: " + p.StatusLabel
		if p.Decision != "" {
			line += " (" + p.Decision + ")"
		}
		line += ". " + report.Plural(p.Total, "aktivitet", "aktiviteter") + ", varav " + report.Plural(p.Late, "sen", "sena") + " " + f.GeneratedOn.String() + "."
		b.text("", plain(line))
		counts := table{
			Caption: "Aktiviteter per status, " + p.Body,
			Widths:  []int{3800, 2000},
			Header:  []cell{textCell(plain("Status")), numberCell("Antal aktiviteter")},
		}
		for _, c := range p.Counts {
			counts.Rows = append(counts.Rows, []cell{textCell(plain(describe.Capitalise(c.Label))), numberCell(count(c.Count))})
		}
		counts.write(&b.out)
		if late := p.LateActivities(); len(late) > 0 {
			b.heading(4, "sena-"+p.Key, false, plain("Sena aktiviteter"))
			for _, a := range late {
				b.bullets([]span{strong(a.Title + "."), plain(" " + a.LateReason)})
			}
		}
		if len(p.Activities) > 0 {
			b.activities(p)
		}
	}
}

func (b *body) activities(p report.ActionPlan) {
	t := table{
		Caption: "Aktiviteter i " + p.Title,
		Widths:  []int{2650, 1400, 1000, 1350, 1350, 1322},
		Header: []cell{
			textCell(plain("Aktivitet")), textCell(plain("Målgrupp")), textCell(plain("Tid")),
			textCell(plain("Ansvarig")), textCell(plain("Uppföljning")), textCell(plain("Status")),
		},
	}
	for _, a := range p.Activities {
		name := cell{Paras: []paragraph{{Spans: []span{plain(a.Title)}}}}
		note := func(s string) {
			name.Paras = append(name.Paras, paragraph{Style: "CellNote", Spans: []span{{Text: s, NotBold: true}}})
		}
		if a.Description != "" {
			note(a.Description)
		}
		if len(a.Goals) > 0 {
			titles := make([]string, len(a.Goals))
			for i, g := range a.Goals {
				titles[i] = g.Title
			}
			note("Mål: " + strings.Join(titles, ", "))
		}
		for _, n := range a.Notes {
			note("Uppföljning " + n.Date.String() + ": " + n.Text)
		}
		status := []span{plain(describe.Capitalise(a.StatusLabel))}
		if a.Progress != nil {
			status[0].Text += ", " + strconv.Itoa(*a.Progress) + "\u00a0%"
		}
		if a.Late != describe.NotLate {
			status = append(status, plain(" "), strong("Sen"))
		}
		t.Rows = append(t.Rows, []cell{
			name, textCell(plain(a.TargetGroup)), textCell(plain(a.Time)),
			textCell(plain(a.Responsible)), textCell(plain(a.FollowUp.String())), textCell(status...),
		})
	}
	t.write(&b.out)
}

func (b *body) sources() {
	f := b.f
	b.heading(2, "kallor", true, plain("Källor"))
	if len(f.Sources) == 0 {
		b.text("", plain("Rapporten visar inga värden."))
	}
	for _, s := range f.Sources {
		b.para(paragraph{KeepNext: true, Spans: []span{strong(s.Attribution)}})
		for _, ind := range s.Indicators {
			b.bullets([]span{plain(withSource(ind.Title, ind.SourceDescription))})
		}
	}
	b.text("", plain(f.Processing))
}

func (b *body) method() {
	b.heading(2, "metod", true, plain("Bilaga: Så bedöms målen"))
	for i, s := range b.f.Method {
		b.heading(3, "metod-"+strconv.Itoa(i+1), false, plain(s.Title))
		for _, p := range s.Paragraphs {
			b.text("", plain(p))
		}
		for _, item := range s.Items {
			b.bullets([]span{plain(item)})
		}
		if mt := s.Table; mt != nil {
			t := table{Caption: mt.Caption, Widths: columns(2600, len(mt.Columns)-1)}
			for _, c := range mt.Columns {
				t.Header = append(t.Header, textCell(plain(c)))
			}
			for _, r := range mt.Rows {
				var row []cell
				for _, c := range r {
					row = append(row, textCell(plain(c)))
				}
				t.Rows = append(t.Rows, row)
			}
			t.write(&b.out)
		}
	}
}

// colophon closes the report as the HTML's footer does.
func (b *body) colophon() {
	f := b.f
	b.text("SourceNote", plain(f.Organisation.Name+" · "+report.Heading(f)+" · "+f.GeneratedOn.String()+". Framtagen med Inkludera."))
}
