package chart

import (
	"fmt"
	"slices"
)

// parts is a line chart laid out as shapes. Line's SVG and Draw both read
// it, so every format paints the same coordinates; the SVG adds only what
// plain shapes cannot say (groups, classes, tooltips).
type parts struct {
	background Shape
	unit       *Shape // nil without a unit
	yTicks     []tick // gridline and label, bottom up; none without values
	xAxis      Shape
	xTicks     []tick // tick mark and year label
	targets    []targetParts
	series     []seriesParts // only the series that have a value
	legend     []legendParts
	noData     *Shape // "Inga värden" when no series has a value
}

// tick is a gridline or tick mark with its label.
type tick struct{ line, label Shape }

type targetParts struct {
	line    Shape
	diamond *Shape // marks a target with a year at that year
	label   Shape
}

type seriesParts struct {
	// runs are the stretches between missing values, one Polyline each in
	// the series' colour and dash. A run of one value draws nothing; its
	// marker shows the value.
	runs    []Shape
	markers []markerPart
}

type markerPart struct {
	shape Shape
	title string // tooltip: series, year and value
}

type legendParts struct{ line, marker, label Shape }

const white = "#ffffff"

const (
	seriesWidth = 2.5
	targetWidth = 1.5
	haloWidth   = 3.0
)

func (lc *lineChart) layOut() parts {
	var p parts
	p.background = Shape{Kind: Rect, Points: []XY{{0, 0}, {lc.w, lc.h}}, Fill: white}
	if lc.c.Unit != "" {
		unit := textShape(pad, lc.unitY, lc.c.Unit, fontSize, AnchorStart)
		p.unit = &unit
	}

	for _, t := range lc.ticks {
		color := gridColor
		if t == 0 && lc.lo < 0 {
			color = axisColor // the zero line matters when values go negative
		}
		y := lc.y(t)
		p.yTicks = append(p.yTicks, tick{
			line:  lineShape(lc.left, y, lc.right, y, color, 1, nil),
			label: textShape(lc.left-6, y+4, lc.tickLabel(t), fontSize, AnchorEnd),
		})
	}

	p.xAxis = lineShape(lc.left, lc.bottom, lc.right, lc.bottom, axisColor, 1, nil)
	if lc.haveYears {
		step := lc.yearLabelStep
		for year := ceilDiv(lc.minYear, step) * step; year <= lc.maxYear; year += step {
			x := lc.x(year)
			p.xTicks = append(p.xTicks, tick{
				line:  lineShape(x, lc.bottom, x, lc.bottom+4, axisColor, 1, nil),
				label: textShape(x, lc.bottom+18, fmt.Sprint(year), fontSize, AnchorMiddle),
			})
		}
	}

	for _, t := range lc.targets {
		p.targets = append(p.targets, lc.layOutTarget(t))
	}
	for _, s := range lc.series {
		if s.hasValue {
			p.series = append(p.series, lc.layOutSeries(s))
		}
	}

	for _, e := range lc.legend {
		p.legend = append(p.legend, legendParts{
			line:   lineShape(e.x, e.y, e.x+legendLine, e.y, e.style.color, seriesWidth, e.style.dash),
			marker: markerShape(e.style.marker, e.x+legendLine/2, e.y, e.style.color),
			label:  textShape(e.x+legendLine+6, e.y+4.5, e.label, legendFont, AnchorStart),
		})
	}

	if !lc.hasData {
		noData := textShape((lc.left+lc.right)/2, (lc.top+lc.bottom)/2+5, "Inga värden", 16, AnchorMiddle)
		p.noData = &noData
	}
	return p
}

func (lc *lineChart) layOutSeries(s prepared) seriesParts {
	var sp seriesParts
	var run []XY
	endRun := func() {
		if len(run) > 0 {
			sp.runs = append(sp.runs, strokeShape(run, s.style.color, seriesWidth, s.style.dash))
			run = nil
		}
	}
	// A missing year breaks the line; it is never a drop to zero.
	for _, pt := range s.points {
		if pt.Value == nil {
			endRun()
			continue
		}
		x, y := lc.x(pt.Year), lc.y(*pt.Value)
		run = append(run, XY{x, y})
		sp.markers = append(sp.markers, markerPart{
			shape: markerShape(s.style.marker, x, y, s.style.color),
			title: fmt.Sprintf("%s, %d: %s", s.name, pt.Year, withUnit(lc.valueLabel(*pt.Value), lc.c.Unit)),
		})
	}
	endRun()
	return sp
}

func (lc *lineChart) layOutTarget(t TargetLine) targetParts {
	var tp targetParts
	y := lc.y(t.Value)
	label := lc.targetLabel(t)
	if t.Year == 0 {
		tp.line = lineShape(lc.left, y, lc.right, y, targetColor, targetWidth, targetDash)
		// Series usually approach their target towards the end of the
		// period, so the left end of the line is the likeliest free spot.
		labelY := y - 5
		if labelY-lc.top < 10 { // no room above the top gridline: go below the line
			labelY = y + 15
		}
		tp.label = haloText(lc.left+6, labelY, label, AnchorStart)
		return tp
	}

	x := lc.x(t.Year)
	tp.line = lineShape(max(lc.left, x-22), y, min(lc.right, x+22), y, targetColor, targetWidth, targetDash)
	tp.diamond = &Shape{
		Kind:   Polygon,
		Points: []XY{{x, y - 7}, {x + 7, y}, {x, y + 7}, {x - 7, y}},
		Fill:   white, Stroke: targetColor, StrokeWidth: 2,
	}
	// Anchor towards the middle of the chart so the label stays inside.
	labelX, anchor := x+7, AnchorEnd
	if x < (lc.left+lc.right)/2 {
		labelX, anchor = x-7, AnchorStart
	}
	tp.label = haloText(labelX, y-11, label, anchor)
	return tp
}

func lineShape(x1, y1, x2, y2 float64, color string, width float64, dash []float64) Shape {
	return strokeShape([]XY{{x1, y1}, {x2, y2}}, color, width, dash)
}

func strokeShape(points []XY, color string, width float64, dash []float64) Shape {
	// The clone keeps a renderer that edits a Drawing's dash off the styles.
	return Shape{Kind: Polyline, Points: points, Stroke: color, StrokeWidth: width, Dash: slices.Clone(dash)}
}

func textShape(x, y float64, text string, size float64, anchor Anchor) Shape {
	return Shape{Kind: Text, Points: []XY{{x, y}}, Fill: textColor, Text: text, FontSize: size, Anchor: anchor}
}

// haloText is a label that may cross lines: a white outline behind it keeps
// it legible.
func haloText(x, y float64, text string, anchor Anchor) Shape {
	s := textShape(x, y, text, fontSize, anchor)
	s.Halo, s.HaloWidth = true, haloWidth
	return s
}

// markerShape is a point marker. The white outline separates markers where
// lines meet.
func markerShape(m marker, x, y float64, color string) Shape {
	s := Shape{Kind: Polygon, Fill: color, Stroke: white, StrokeWidth: 1}
	switch m {
	case markerCircle:
		s.Kind, s.Points, s.Radius = Circle, []XY{{x, y}}, 4.5
	case markerRing:
		s.Kind, s.Points, s.Radius = Circle, []XY{{x, y}}, 4.5
		s.Fill, s.Stroke, s.StrokeWidth = white, color, 2
	case markerSquare:
		s.Kind, s.Points = Rect, []XY{{x - 4, y - 4}, {x + 4, y + 4}}
	case markerTriangle:
		s.Points = []XY{{x, y - 5.5}, {x + 5.5, y + 4}, {x - 5.5, y + 4}}
	case markerTriangleDown:
		s.Points = []XY{{x, y + 5.5}, {x + 5.5, y - 4}, {x - 5.5, y - 4}}
	default: // markerDiamond
		s.Points = []XY{{x, y - 5.5}, {x + 5.5, y}, {x, y + 5.5}, {x - 5.5, y}}
	}
	return s
}
