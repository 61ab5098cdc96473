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
	dash   string // stroke-dasharray; "" is solid
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
	{"#1f4e79", "", markerCircle},
	{"#b03a2e", "8 4", markerSquare},
	{"#2e7d32", "2 3", markerTriangle},
	{"#6a3d9a", "10 3 2 3", markerDiamond},
	{"#8a4b08", "14 4", markerTriangleDown},
	{"#00695c", "4 2 1 2", markerRing},
}

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
	targetDash  = "5 3"
)

// Line renders c as an SVG line chart. Every piece of caller text is
// escaped, so the result is safe to place in an html/template. The output
// depends only on c, so it can be compared with golden files.
func Line(c Chart) template.HTML {
	var b strings.Builder
	newLineChart(c).write(&b)
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

func (lc *lineChart) write(b *strings.Builder) {
	id := lc.id
	fmt.Fprintf(b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 %s %s" role="img" aria-labelledby="%s-title %s-desc" font-family="system-ui, sans-serif" font-size="%s">`+"\n",
		coord(lc.w), coord(lc.h), id, id, coord(fontSize))
	fmt.Fprintf(b, `<title id="%s-title">%s</title>`+"\n", id, esc(cmp.Or(strings.TrimSpace(lc.c.Title), "Linjediagram")))
	fmt.Fprintf(b, `<desc id="%s-desc">%s</desc>`+"\n", id, esc(cmp.Or(strings.TrimSpace(lc.c.Description), lc.summary())))
	// The chart paints its own background so colour contrast holds on dark pages too.
	fmt.Fprintf(b, `<rect width="%s" height="%s" fill="#fff"/>`+"\n", coord(lc.w), coord(lc.h))

	lc.writeYAxis(b)
	lc.writeXAxis(b)
	for _, t := range lc.targets {
		lc.writeTargetLine(b, t)
	}
	for _, s := range lc.series {
		lc.writeSeries(b, s)
	}
	// Labels go on top of the lines so they stay readable where they cross.
	for _, t := range lc.targets {
		lc.writeTargetLabel(b, t)
	}
	lc.writeLegend(b)
	if !lc.hasData {
		fmt.Fprintf(b, `<text x="%s" y="%s" text-anchor="middle" font-size="16" fill="%s">Inga värden</text>`+"\n",
			coord((lc.left+lc.right)/2), coord((lc.top+lc.bottom)/2+5), textColor)
	}
	b.WriteString("</svg>\n")
}

func (lc *lineChart) writeYAxis(b *strings.Builder) {
	if lc.c.Unit != "" {
		fmt.Fprintf(b, `<text class="unit" x="%s" y="%s" fill="%s">%s</text>`+"\n", coord(pad), coord(lc.unitY), textColor, esc(lc.c.Unit))
	}
	b.WriteString(`<g class="y-axis">` + "\n")
	for _, t := range lc.ticks {
		y := coord(lc.y(t))
		color := gridColor
		if t == 0 && lc.lo < 0 {
			color = axisColor // the zero line matters when values go negative
		}
		fmt.Fprintf(b, `<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="%s"/>`+"\n", coord(lc.left), coord(lc.right), y, y, color)
		fmt.Fprintf(b, `<text x="%s" y="%s" text-anchor="end" fill="%s">%s</text>`+"\n", coord(lc.left-6), coord(lc.y(t)+4), textColor, esc(lc.tickLabel(t)))
	}
	b.WriteString("</g>\n")
}

func (lc *lineChart) writeXAxis(b *strings.Builder) {
	b.WriteString(`<g class="x-axis">` + "\n")
	fmt.Fprintf(b, `<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="%s"/>`+"\n",
		coord(lc.left), coord(lc.right), coord(lc.bottom), coord(lc.bottom), axisColor)
	if lc.haveYears {
		step := lc.yearLabelStep
		for year := ceilDiv(lc.minYear, step) * step; year <= lc.maxYear; year += step {
			x := coord(lc.x(year))
			fmt.Fprintf(b, `<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="%s"/>`+"\n", x, x, coord(lc.bottom), coord(lc.bottom+4), axisColor)
			fmt.Fprintf(b, `<text x="%s" y="%s" text-anchor="middle" fill="%s">%d</text>`+"\n", x, coord(lc.bottom+18), textColor, year)
		}
	}
	b.WriteString("</g>\n")
}

func (lc *lineChart) writeSeries(b *strings.Builder, s prepared) {
	if !s.hasValue {
		return
	}
	b.WriteString(`<g class="series">` + "\n")
	// One path with a new "M" after every gap: a missing year is a break in
	// the line, never a drop to zero.
	var d strings.Builder
	run := 0
	for _, p := range s.points {
		if p.Value == nil {
			run = 0
			continue
		}
		cmd := "L"
		if run == 0 {
			cmd = "M"
		}
		if d.Len() > 0 {
			d.WriteByte(' ')
		}
		fmt.Fprintf(&d, "%s%s %s", cmd, coord(lc.x(p.Year)), coord(lc.y(*p.Value)))
		run++
	}
	fmt.Fprintf(b, `<path class="line" d="%s" fill="none" stroke="%s" stroke-width="2.5" stroke-linejoin="round"%s/>`+"\n",
		d.String(), s.style.color, dashAttr(s.style.dash))
	for _, p := range s.points {
		if p.Value == nil {
			continue
		}
		title := fmt.Sprintf("%s, %d: %s", s.name, p.Year, withUnit(lc.valueLabel(*p.Value), lc.c.Unit))
		writeMarker(b, s.style.marker, lc.x(p.Year), lc.y(*p.Value), s.style.color, title)
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

func (lc *lineChart) writeTargetLine(b *strings.Builder, t TargetLine) {
	y := coord(lc.y(t.Value))
	if t.Year == 0 {
		fmt.Fprintf(b, `<line class="target" x1="%s" x2="%s" y1="%s" y2="%s" stroke="%s" stroke-width="1.5"%s/>`+"\n",
			coord(lc.left), coord(lc.right), y, y, targetColor, dashAttr(targetDash))
		return
	}
	x := lc.x(t.Year)
	fmt.Fprintf(b, `<line class="target" x1="%s" x2="%s" y1="%s" y2="%s" stroke="%s" stroke-width="1.5"%s/>`+"\n",
		coord(max(lc.left, x-22)), coord(min(lc.right, x+22)), y, y, targetColor, dashAttr(targetDash))
	cy := lc.y(t.Value)
	fmt.Fprintf(b, `<polygon class="target" points="%s,%s %s,%s %s,%s %s,%s" fill="#fff" stroke="%s" stroke-width="2"><title>%s</title></polygon>`+"\n",
		coord(x), coord(cy-7), coord(x+7), coord(cy), coord(x), coord(cy+7), coord(x-7), coord(cy),
		targetColor, esc(lc.targetLabel(t)))
}

func (lc *lineChart) writeTargetLabel(b *strings.Builder, t TargetLine) {
	label := lc.targetLabel(t)
	// Series usually approach their target towards the end of the period, so
	// the left end of a horizontal target line is the likeliest free spot.
	x, anchor := lc.left+6, "start"
	y := lc.y(t.Value) - 5
	if y-lc.top < 10 { // no room above the top gridline: go below the line
		y = lc.y(t.Value) + 15
	}
	if t.Year != 0 {
		anchor = "end"
		x, y = lc.x(t.Year), lc.y(t.Value)-11
		// Anchor towards the middle of the chart so the label stays inside.
		if x < (lc.left+lc.right)/2 {
			anchor = "start"
			x -= 7
		} else {
			x += 7
		}
	}
	// A white outline behind the text keeps it legible where it crosses a line.
	fmt.Fprintf(b, `<text class="target-label" x="%s" y="%s" text-anchor="%s" fill="%s" stroke="#fff" stroke-width="3" stroke-linejoin="round" paint-order="stroke">%s</text>`+"\n",
		coord(x), coord(y), anchor, textColor, esc(label))
}

func (lc *lineChart) writeLegend(b *strings.Builder) {
	if len(lc.legend) == 0 {
		return
	}
	fmt.Fprintf(b, `<g class="legend" font-size="%s">`+"\n", coord(legendFont))
	for _, e := range lc.legend {
		y := coord(e.y)
		fmt.Fprintf(b, `<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="%s" stroke-width="2.5"%s/>`+"\n",
			coord(e.x), coord(e.x+legendLine), y, y, e.style.color, dashAttr(e.style.dash))
		writeMarker(b, e.style.marker, e.x+legendLine/2, e.y, e.style.color, "")
		fmt.Fprintf(b, `<text x="%s" y="%s" fill="%s">%s</text>`+"\n", coord(e.x+legendLine+6), coord(e.y+4.5), textColor, esc(e.label))
	}
	b.WriteString("</g>\n")
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

// writeMarker draws a point marker; a non-empty title becomes its tooltip.
// The white outline separates markers where lines meet.
func writeMarker(b *strings.Builder, m marker, x, y float64, color, title string) {
	fill := color
	if m == markerRing {
		fill = "#fff"
	}
	var open, tag string
	switch m {
	case markerCircle, markerRing:
		tag = "circle"
		open = fmt.Sprintf(`<circle cx="%s" cy="%s" r="4.5"`, coord(x), coord(y))
	case markerSquare:
		tag = "rect"
		open = fmt.Sprintf(`<rect x="%s" y="%s" width="8" height="8"`, coord(x-4), coord(y-4))
	default:
		tag = "polygon"
		var pts [][2]float64
		switch m {
		case markerTriangle:
			pts = [][2]float64{{x, y - 5.5}, {x + 5.5, y + 4}, {x - 5.5, y + 4}}
		case markerTriangleDown:
			pts = [][2]float64{{x, y + 5.5}, {x + 5.5, y - 4}, {x - 5.5, y - 4}}
		default: // markerDiamond
			pts = [][2]float64{{x, y - 5.5}, {x + 5.5, y}, {x, y + 5.5}, {x - 5.5, y}}
		}
		var ps []string
		for _, p := range pts {
			ps = append(ps, coord(p[0])+","+coord(p[1]))
		}
		open = fmt.Sprintf(`<polygon points="%s"`, strings.Join(ps, " "))
	}
	stroke, width := "#fff", "1"
	if m == markerRing {
		stroke, width = color, "2"
	}
	b.WriteString(open)
	fmt.Fprintf(b, ` fill="%s" stroke="%s" stroke-width="%s"`, fill, stroke, width)
	if title == "" {
		b.WriteString("/>\n")
		return
	}
	fmt.Fprintf(b, "><title>%s</title></%s>\n", esc(title), tag)
}

func dashAttr(dash string) string {
	if dash == "" {
		return ""
	}
	return ` stroke-dasharray="` + dash + `"`
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
