// Package chart renders accessible SVG charts, written with the standard
// library only so the same markup works inline in HTML, as a downloadable
// .svg file and in PDF conversion.
//
// Every chart is an <svg role="img"> labelled by its own <title> and <desc>.
// The chart is a picture of numbers, not the only way to reach them: callers
// show the data table beside it (DESIGN.md §4). Series differ in colour, dash
// pattern and marker shape so nothing depends on colour alone (WCAG 1.4.1),
// and every colour has at least 3:1 contrast against the white background the
// chart paints itself (WCAG 1.4.11).
package chart

import (
	"cmp"
	"encoding/xml"
	"fmt"
	"html/template"
	"math"
	"slices"
	"strings"
	"unicode/utf8"
)

// Point is one year's value in a series.
type Point struct {
	Year int
	// Value is nil when the value is missing. A missing value breaks the
	// line; it is never drawn as 0. NaN and ±Inf count as missing too.
	Value *float64
}

// Series is one line, such as "Totalt", "Kvinnor" or "Män".
//
// Points are drawn in year order whatever order they come in. Consecutive
// points are joined even when years lie between them (biennial surveys are
// normal); list a year with a nil Value to break the line there.
type Series struct {
	Name   string
	Points []Point
}

// TargetLine is a target drawn over the data, always with a visible label.
type TargetLine struct {
	// Label is shown next to the target, e.g. "Mål: minst 10 % år 2020".
	// When empty the chart writes "Mål: <value>" (and "år <Year>").
	Label string
	Value float64
	// Year 0 draws a horizontal line across the whole chart; otherwise the
	// target is a marked point at (Year, Value) with a short dashed segment,
	// and the x-axis is widened to include Year.
	Year int
}

// Chart describes one line chart.
type Chart struct {
	// ID prefixes the ids of <title> and <desc>; it must be unique within the
	// page. Characters other than ASCII letters, digits, '-' and '_' become
	// '-' because aria-labelledby is a space-separated id list. Empty means
	// "chart".
	ID    string
	Title string
	// Description is the text alternative: what the data shows, written by
	// the caller. When empty a plain summary of first and last values is used.
	Description string
	// Unit is shown above the y-axis and after every value ("%", "personer").
	Unit    string
	Series  []Series
	Targets []TargetLine
	// Width and Height set the viewBox (default 640×320). The SVG has no
	// fixed size; it scales to its container.
	Width, Height int
	// FormatValue formats axis labels and point values. The default writes
	// Swedish numbers: "12,5", "13 112" (non-breaking space), "−149".
	FormatValue func(float64) string
}

// style is what tells a series apart; each differs from the others in all
// three properties so any one of them is enough.
type style struct {
	color  string
	dash   []float64 // on and off lengths; nil is solid
	marker marker
}

type marker int

const (
	markerCircle marker = iota
	markerSquare
	markerTriangle
	markerDiamond
	markerTriangleDown
	markerRing
)

// styles cycle after six series; more than that many lines are unreadable
// anyway, and the legend still names each one.
var styles = []style{
	{"#1f4e79", nil, markerCircle},
	{"#b03a2e", []float64{8, 4}, markerSquare},
	{"#2e7d32", []float64{2, 3}, markerTriangle},
	{"#6a3d9a", []float64{10, 3, 2, 3}, markerDiamond},
	{"#8a4b08", []float64{14, 4}, markerTriangleDown},
	{"#00695c", []float64{4, 2, 1, 2}, markerRing},
}

var targetDash = []float64{5, 3}

const (
	defaultWidth  = 640
	defaultHeight = 320
	minWidth      = 240
	minHeight     = 160

	pad        = 8.0  // outer margin
	fontSize   = 12.0 // axis labels
	legendFont = 13.0
	legendRow  = 20.0
	legendLine = 28.0 // length of the line sample in a legend entry
	xInset     = 14.0 // keeps the first and last markers off the axes

	textColor   = "#1a1a1a"
	axisColor   = "#595959"
	gridColor   = "#d9d9d9"
	targetColor = "#333333"
)

// Line renders c as an SVG line chart. Every piece of caller text is
// escaped, so the result is safe to place in an html/template. The output
// depends only on c, so it can be compared with golden files.
func Line(c Chart) template.HTML {
	var b strings.Builder
	lc := newLineChart(c)
	lc.write(&b, lc.layOut())
	return template.HTML(b.String())
}

// prepared is a series ready to draw: sorted, non-finite values removed.
type prepared struct {
	name     string
	points   []Point
	hasValue bool
	style    style
}

type legendEntry struct {
	x, y  float64 // start of the line sample, vertical centre
	label string
	style style
}

type lineChart struct {
	c             Chart
	id            string
	w, h          float64
	series        []prepared
	targets       []TargetLine
	haveYears     bool
	minYear       int
	maxYear       int
	haveValues    bool
	hasData       bool // some series value, not only targets
	ticks         []float64
	decimals      int
	legend        []legendEntry
	unitY         float64
	left, right   float64
	top, bottom   float64
	lo, hi        float64
	yearLabelStep int
}

func newLineChart(c Chart) *lineChart {
	lc := &lineChart{c: c, id: sanitizeID(c.ID)}
	lc.w = float64(max(cmp.Or(c.Width, defaultWidth), minWidth))
	lc.h = float64(max(cmp.Or(c.Height, defaultHeight), minHeight))

	var values []float64
	addYear := func(y int) {
		if !lc.haveYears {
			lc.minYear, lc.maxYear, lc.haveYears = y, y, true
			return
		}
		lc.minYear, lc.maxYear = min(lc.minYear, y), max(lc.maxYear, y)
	}
	for i, s := range c.Series {
		p := prepared{name: strings.TrimSpace(s.Name), style: styles[i%len(styles)]}
		if p.name == "" {
			p.name = fmt.Sprintf("Serie %d", i+1)
		}
		p.points = slices.Clone(s.Points)
		slices.SortStableFunc(p.points, func(a, b Point) int { return cmp.Compare(a.Year, b.Year) })
		for j, pt := range p.points {
			addYear(pt.Year)
			if pt.Value == nil || math.IsNaN(*pt.Value) || math.IsInf(*pt.Value, 0) {
				p.points[j].Value = nil
				continue
			}
			p.hasValue = true
			values = append(values, *pt.Value)
		}
		lc.hasData = lc.hasData || p.hasValue
		lc.series = append(lc.series, p)
	}
	for _, t := range c.Targets {
		if math.IsNaN(t.Value) || math.IsInf(t.Value, 0) {
			continue
		}
		lc.targets = append(lc.targets, t)
		values = append(values, t.Value)
		if t.Year != 0 {
			addYear(t.Year)
		}
	}

	lc.layoutLegend()
	legendBottom := pad
	if len(lc.legend) > 0 {
		legendBottom = lc.legend[len(lc.legend)-1].y + legendRow/2
	}
	lc.top = legendBottom + 12
	if c.Unit != "" {
		lc.unitY = legendBottom + 16
		lc.top = legendBottom + 34
	}
	lc.bottom = lc.h - 30

	var lo, hi float64
	lo, hi, lc.haveValues = yDomain(values)
	lc.left = pad + 24
	if lc.haveValues {
		// One interval per 40 units of height keeps labels from crowding.
		intervals := min(max(int((lc.bottom-lc.top)/40), 2), 10)
		lc.ticks, lc.decimals = niceTicks(lo, hi, intervals)
		lc.lo, lc.hi = lc.ticks[0], lc.ticks[len(lc.ticks)-1]
		widest := 0.0
		for _, t := range lc.ticks {
			widest = max(widest, textWidth(lc.tickLabel(t), fontSize))
		}
		lc.left = pad + widest + 6
	}
	lc.right = lc.w - 16
	if lc.haveYears {
		maxLabels := min(12, max(2, int((lc.right-lc.left)/44)))
		lc.yearLabelStep = yearStep(lc.minYear, lc.maxYear, maxLabels)
	}
	return lc
}

// layoutLegend places one entry per series left to right, wrapping to a new
// row when the next entry would pass the right edge.
func (lc *lineChart) layoutLegend() {
	x, row := pad, 0
	for _, s := range lc.series {
		label := s.name
		if !s.hasValue {
			label += " (inga värden)"
		}
		width := legendLine + 6 + textWidth(label, legendFont) + 18
		if x > pad && x+width > lc.w-pad {
			x, row = pad, row+1
		}
		lc.legend = append(lc.legend, legendEntry{
			x: x, y: pad + legendRow/2 + float64(row)*legendRow, label: label, style: s.style,
		})
		x += width
	}
}

func (lc *lineChart) tickLabel(v float64) string {
	if lc.c.FormatValue != nil {
		return lc.c.FormatValue(v)
	}
	return formatNumber(v, lc.decimals, false)
}

func (lc *lineChart) valueLabel(v float64) string {
	if lc.c.FormatValue != nil {
		return lc.c.FormatValue(v)
	}
	return formatNumber(v, max(2, lc.decimals), true)
}

func (lc *lineChart) x(year int) float64 {
	if lc.minYear == lc.maxYear {
		return (lc.left + lc.right) / 2
	}
	frac := float64(year-lc.minYear) / float64(lc.maxYear-lc.minYear)
	return lc.left + xInset + frac*(lc.right-lc.left-2*xInset)
}

func (lc *lineChart) y(v float64) float64 {
	return lc.bottom - (v-lc.lo)/(lc.hi-lc.lo)*(lc.bottom-lc.top)
}

func (lc *lineChart) title() string {
	return cmp.Or(strings.TrimSpace(lc.c.Title), "Linjediagram")
}

func (lc *lineChart) description() string {
	return cmp.Or(strings.TrimSpace(lc.c.Description), lc.summary())
}

// write writes the laid-out chart as SVG, in the same painting order as
// Draw, adding the groups, classes and tooltips that plain shapes lack.
func (lc *lineChart) write(b *strings.Builder, p parts) {
	id := lc.id
	fmt.Fprintf(b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 %s %s" role="img" aria-labelledby="%s-title %s-desc" font-family="system-ui, sans-serif" font-size="%s">`+"\n",
		coord(lc.w), coord(lc.h), id, id, coord(fontSize))
	fmt.Fprintf(b, `<title id="%s-title">%s</title>`+"\n", id, esc(lc.title()))
	fmt.Fprintf(b, `<desc id="%s-desc">%s</desc>`+"\n", id, esc(lc.description()))
	// The chart paints its own background so colour contrast holds on dark pages too.
	bg := p.background.Points
	fmt.Fprintf(b, `<rect width="%s" height="%s" fill="%s"/>`+"\n",
		coord(bg[1].X-bg[0].X), coord(bg[1].Y-bg[0].Y), svgColor(p.background.Fill))

	if u := p.unit; u != nil {
		fmt.Fprintf(b, `<text class="unit" x="%s" y="%s" fill="%s">%s</text>`+"\n", coord(u.Points[0].X), coord(u.Points[0].Y), svgColor(u.Fill), esc(u.Text))
	}
	b.WriteString(`<g class="y-axis">` + "\n")
	for _, t := range p.yTicks {
		writeLine(b, "", t.line)
		writeTickLabel(b, t.label)
	}
	b.WriteString("</g>\n")

	b.WriteString(`<g class="x-axis">` + "\n")
	writeLine(b, "", p.xAxis)
	for _, t := range p.xTicks {
		writeLine(b, "", t.line)
		writeTickLabel(b, t.label)
	}
	b.WriteString("</g>\n")

	for _, t := range p.targets {
		writeLine(b, "target", t.line)
		if t.diamond != nil {
			writeMarker(b, "target", *t.diamond, t.label.Text)
		}
	}
	for _, s := range p.series {
		writeSeries(b, s)
	}
	// Labels go on top of the lines so they stay readable where they cross.
	for _, t := range p.targets {
		l := t.label
		fmt.Fprintf(b, `<text class="target-label" x="%s" y="%s" text-anchor="%s" fill="%s" stroke="%s" stroke-width="%s" stroke-linejoin="round" paint-order="stroke">%s</text>`+"\n",
			coord(l.Points[0].X), coord(l.Points[0].Y), anchorName(l.Anchor), svgColor(l.Fill), svgColor(white), coord(l.HaloWidth), esc(l.Text))
	}

	if len(p.legend) > 0 {
		fmt.Fprintf(b, `<g class="legend" font-size="%s">`+"\n", coord(legendFont))
		for _, e := range p.legend {
			writeLine(b, "", e.line)
			writeMarker(b, "", e.marker, "")
			fmt.Fprintf(b, `<text x="%s" y="%s" fill="%s">%s</text>`+"\n", coord(e.label.Points[0].X), coord(e.label.Points[0].Y), svgColor(e.label.Fill), esc(e.label.Text))
		}
		b.WriteString("</g>\n")
	}
	if n := p.noData; n != nil {
		fmt.Fprintf(b, `<text x="%s" y="%s" text-anchor="%s" font-size="%s" fill="%s">%s</text>`+"\n",
			coord(n.Points[0].X), coord(n.Points[0].Y), anchorName(n.Anchor), coord(n.FontSize), svgColor(n.Fill), esc(n.Text))
	}
	b.WriteString("</svg>\n")
}

// writeLine writes a two-point Polyline; a width of 1 is SVG's default.
func writeLine(b *strings.Builder, class string, s Shape) {
	b.WriteString("<line")
	if class != "" {
		fmt.Fprintf(b, ` class="%s"`, class)
	}
	from, to := s.Points[0], s.Points[len(s.Points)-1]
	fmt.Fprintf(b, ` x1="%s" x2="%s" y1="%s" y2="%s" stroke="%s"`, coord(from.X), coord(to.X), coord(from.Y), coord(to.Y), svgColor(s.Stroke))
	if s.StrokeWidth != 1 {
		fmt.Fprintf(b, ` stroke-width="%s"`, coord(s.StrokeWidth))
	}
	b.WriteString(dashAttr(s.Dash) + "/>\n")
}

func writeTickLabel(b *strings.Builder, s Shape) {
	fmt.Fprintf(b, `<text x="%s" y="%s" text-anchor="%s" fill="%s">%s</text>`+"\n",
		coord(s.Points[0].X), coord(s.Points[0].Y), anchorName(s.Anchor), svgColor(s.Fill), esc(s.Text))
}

// writeSeries writes a series' runs as one path with a new "M" after every
// gap, then its markers with their values as tooltips.
func writeSeries(b *strings.Builder, s seriesParts) {
	b.WriteString(`<g class="series">` + "\n")
	var d strings.Builder
	for _, run := range s.runs {
		for i, pt := range run.Points {
			if d.Len() > 0 {
				d.WriteByte(' ')
			}
			cmd := "L"
			if i == 0 {
				cmd = "M"
			}
			fmt.Fprintf(&d, "%s%s %s", cmd, coord(pt.X), coord(pt.Y))
		}
	}
	line := s.runs[0]
	fmt.Fprintf(b, `<path class="line" d="%s" fill="none" stroke="%s" stroke-width="%s" stroke-linejoin="round"%s/>`+"\n",
		d.String(), svgColor(line.Stroke), coord(line.StrokeWidth), dashAttr(line.Dash))
	for _, m := range s.markers {
		writeMarker(b, "", m.shape, m.title)
	}
	b.WriteString("</g>\n")
}

func (lc *lineChart) targetLabel(t TargetLine) string {
	if l := strings.TrimSpace(t.Label); l != "" {
		return l
	}
	l := "Mål: " + withUnit(lc.valueLabel(t.Value), lc.c.Unit)
	if t.Year != 0 {
		l += fmt.Sprintf(" år %d", t.Year)
	}
	return l
}

// summary is the fallback text alternative: the first and last value of each
// series, so a screen reader user gets at least the change over the period.
func (lc *lineChart) summary() string {
	var b strings.Builder
	b.WriteString("Linjediagram")
	if lc.haveYears {
		if lc.minYear == lc.maxYear {
			fmt.Fprintf(&b, " för %d", lc.minYear)
		} else {
			fmt.Fprintf(&b, " för %d–%d", lc.minYear, lc.maxYear)
		}
	}
	b.WriteString(".")
	for _, s := range lc.series {
		fmt.Fprintf(&b, " %s: ", s.name)
		var first, last *Point
		for i := range s.points {
			if s.points[i].Value != nil {
				if first == nil {
					first = &s.points[i]
				}
				last = &s.points[i]
			}
		}
		switch {
		case first == nil:
			b.WriteString("inga värden.")
		case first == last:
			fmt.Fprintf(&b, "%s år %d.", withUnit(lc.valueLabel(*first.Value), lc.c.Unit), first.Year)
		default:
			fmt.Fprintf(&b, "%s år %d, %s år %d.",
				withUnit(lc.valueLabel(*first.Value), lc.c.Unit), first.Year,
				withUnit(lc.valueLabel(*last.Value), lc.c.Unit), last.Year)
		}
	}
	for _, t := range lc.targets {
		fmt.Fprintf(&b, " %s.", strings.TrimSuffix(lc.targetLabel(t), "."))
	}
	return b.String()
}

// writeMarker writes a marker (Circle, Rect or Polygon); a non-empty title
// becomes its tooltip.
func writeMarker(b *strings.Builder, class string, s Shape, title string) {
	var tag string
	switch s.Kind {
	case Circle:
		tag = "circle"
	case Rect:
		tag = "rect"
	default:
		tag = "polygon"
	}
	b.WriteString("<" + tag)
	if class != "" {
		fmt.Fprintf(b, ` class="%s"`, class)
	}
	switch s.Kind {
	case Circle:
		fmt.Fprintf(b, ` cx="%s" cy="%s" r="%s"`, coord(s.Points[0].X), coord(s.Points[0].Y), coord(s.Radius))
	case Rect:
		from, to := s.Points[0], s.Points[1]
		fmt.Fprintf(b, ` x="%s" y="%s" width="%s" height="%s"`, coord(from.X), coord(from.Y), coord(to.X-from.X), coord(to.Y-from.Y))
	default:
		ps := make([]string, len(s.Points))
		for i, p := range s.Points {
			ps[i] = coord(p.X) + "," + coord(p.Y)
		}
		fmt.Fprintf(b, ` points="%s"`, strings.Join(ps, " "))
	}
	fmt.Fprintf(b, ` fill="%s" stroke="%s" stroke-width="%s"`, svgColor(s.Fill), svgColor(s.Stroke), coord(s.StrokeWidth))
	if title == "" {
		b.WriteString("/>\n")
		return
	}
	fmt.Fprintf(b, "><title>%s</title></%s>\n", esc(title), tag)
}

func dashAttr(dash []float64) string {
	if len(dash) == 0 {
		return ""
	}
	lengths := make([]string, len(dash))
	for i, d := range dash {
		lengths[i] = coord(d)
	}
	return ` stroke-dasharray="` + strings.Join(lengths, " ") + `"`
}

// svgColor writes white short, as the SVG always has.
func svgColor(c string) string {
	if c == white {
		return "#fff"
	}
	return c
}

func anchorName(a Anchor) string {
	switch a {
	case AnchorMiddle:
		return "middle"
	case AnchorEnd:
		return "end"
	}
	return "start"
}

// esc escapes text for both element content and double-quoted attributes.
// xml.EscapeText also replaces characters XML forbids, so the result always
// parses.
func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s)) // writing to a strings.Builder cannot fail
	return b.String()
}

// sanitizeID keeps ids usable in aria-labelledby, which splits on spaces.
func sanitizeID(id string) string {
	if id == "" {
		return "chart"
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			return r
		}
		return '-'
	}, id)
}

// textWidth estimates rendered width; SVG has no text measurement without a
// browser, and an average glyph of 0.6 em is safe for sans-serif digits and
// Swedish words.
func textWidth(s string, size float64) float64 {
	return float64(utf8.RuneCountInString(s)) * size * 0.6
}
