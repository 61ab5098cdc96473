package chart

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// drawCases are the golden charts plus one with every feature at once:
// gaps, an isolated value, negative values and both kinds of target.
func drawCases() []struct {
	name  string
	chart Chart
} {
	cases := slices.Clone(goldenCases)
	cases = append(cases, struct {
		name  string
		chart Chart
	}{"gaps-targets-negative", gapsTargetsNegative})
	return cases
}

var gapsTargetsNegative = Chart{
	ID:    "allt",
	Title: "Flyttnetto med luckor och mål",
	Unit:  "personer",
	Series: []Series{
		// Runs 2015–16, 2018–19 and 2021–22.
		series("Totalt", 2015, 54, 12, nan, -149, -88, nan, 31, 40),
		// Runs 2015, 2017 (isolated values) and 2019–20.
		series("Kvinnor", 2015, 1, nan, 5, nan, 3, 4),
	},
	Targets: []TargetLine{
		{Value: 50},
		{Label: "Mål: högst −100 år 2024", Value: -100, Year: 2024},
	},
}

// svgShape is one painted SVG element or Drawing shape, reduced to what both
// can say, so the two can be compared.
type svgShape struct {
	kind     ShapeKind
	points   []XY
	radius   float64
	fill     string
	stroke   string
	width    float64
	dash     string
	text     string
	fontSize float64
	anchor   Anchor
	halo     float64 // halo width, 0 without a halo
}

func (s svgShape) String() string {
	return fmt.Sprintf("kind=%d points=%v r=%g fill=%q stroke=%q width=%g dash=%q text=%q size=%g anchor=%d halo=%g",
		s.kind, s.points, s.radius, s.fill, s.stroke, s.width, s.dash, s.text, s.fontSize, s.anchor, s.halo)
}

// equal compares coordinates to the SVG's precision of 0.1.
func (s svgShape) equal(o svgShape) bool {
	near := func(a, b float64) bool { return math.Abs(a-b) <= 0.1+1e-9 }
	if s.kind != o.kind || len(s.points) != len(o.points) || !near(s.radius, o.radius) ||
		s.fill != o.fill || s.stroke != o.stroke || !near(s.width, o.width) || s.dash != o.dash ||
		s.text != o.text || s.fontSize != o.fontSize || s.anchor != o.anchor || s.halo != o.halo {
		return false
	}
	for i := range s.points {
		if !near(s.points[i].X, o.points[i].X) || !near(s.points[i].Y, o.points[i].Y) {
			return false
		}
	}
	return true
}

// fromSVG reads the painted elements of Line's output in document order.
func fromSVG(t *testing.T, svg string) []svgShape {
	t.Helper()
	root := parse(t, svg)
	num := func(e *elem, name string, def float64) float64 {
		a := e.attr(name)
		if a == "" {
			return def
		}
		f, err := strconv.ParseFloat(a, 64)
		if err != nil {
			t.Fatalf("<%s %s=%q>: %v", e.Name.Local, name, a, err)
		}
		return f
	}
	color := func(c string) string {
		if c == "#fff" {
			return "#ffffff"
		}
		return c
	}
	pairs := func(s string) []XY {
		var pts []XY
		for _, p := range strings.Fields(s) {
			x, y, _ := strings.Cut(p, ",")
			fx, err1 := strconv.ParseFloat(x, 64)
			fy, err2 := strconv.ParseFloat(y, 64)
			if err1 != nil || err2 != nil {
				t.Fatalf("bad point %q", p)
			}
			pts = append(pts, XY{fx, fy})
		}
		return pts
	}
	rootSize := num(root, "font-size", 0)
	var out []svgShape
	var walk func(e *elem, fontSize float64)
	walk = func(e *elem, fontSize float64) {
		fontSize = num(e, "font-size", fontSize)
		s := svgShape{fill: color(e.attr("fill")), stroke: color(e.attr("stroke")), width: num(e, "stroke-width", 1), dash: e.attr("stroke-dasharray")}
		switch e.Name.Local {
		case "rect":
			x, y := num(e, "x", 0), num(e, "y", 0)
			s.kind, s.points = Rect, []XY{{x, y}, {x + num(e, "width", 0), y + num(e, "height", 0)}}
			if s.stroke == "" {
				s.width = 0
			}
			out = append(out, s)
		case "line":
			s.kind = Polyline
			s.points = []XY{{num(e, "x1", 0), num(e, "y1", 0)}, {num(e, "x2", 0), num(e, "y2", 0)}}
			out = append(out, s)
		case "path":
			// One Polyline per run; a lone "M" paints nothing.
			s.kind, s.fill = Polyline, ""
			var runs [][]XY
			fields := strings.Fields(e.attr("d"))
			for i := 0; i+1 < len(fields); i += 2 {
				cmd, x := fields[i][0], fields[i][1:]
				fx, err1 := strconv.ParseFloat(x, 64)
				fy, err2 := strconv.ParseFloat(fields[i+1], 64)
				if err1 != nil || err2 != nil {
					t.Fatalf("bad path %q", e.attr("d"))
				}
				if cmd == 'M' {
					runs = append(runs, nil)
				}
				runs[len(runs)-1] = append(runs[len(runs)-1], XY{fx, fy})
			}
			for _, r := range runs {
				if len(r) > 1 {
					run := s
					run.points = r
					out = append(out, run)
				}
			}
		case "circle":
			s.kind, s.points, s.radius = Circle, []XY{{num(e, "cx", 0), num(e, "cy", 0)}}, num(e, "r", 0)
			out = append(out, s)
		case "polygon":
			s.kind, s.points = Polygon, pairs(e.attr("points"))
			out = append(out, s)
		case "text":
			s.kind, s.points, s.text, s.fontSize = Text, []XY{{num(e, "x", 0), num(e, "y", 0)}}, e.text, fontSize
			s.stroke, s.width = "", 0
			if e.attr("stroke") != "" {
				s.halo = num(e, "stroke-width", 1)
			}
			s.anchor = map[string]Anchor{"": AnchorStart, "start": AnchorStart, "middle": AnchorMiddle, "end": AnchorEnd}[e.attr("text-anchor")]
			out = append(out, s)
		}
		for _, c := range e.children {
			walk(c, fontSize)
		}
	}
	for _, c := range root.children {
		walk(c, rootSize)
	}
	return out
}

func fromDrawing(d Drawing) []svgShape {
	var out []svgShape
	for _, sh := range d.Shapes {
		s := svgShape{kind: sh.Kind, points: sh.Points, radius: sh.Radius, fill: sh.Fill, stroke: sh.Stroke, width: sh.StrokeWidth}
		if len(sh.Dash) > 0 {
			lengths := make([]string, len(sh.Dash))
			for i, l := range sh.Dash {
				lengths[i] = strconv.FormatFloat(l, 'f', -1, 64)
			}
			s.dash = strings.Join(lengths, " ")
		}
		if sh.Kind == Text {
			s.stroke, s.width, s.text, s.fontSize, s.anchor = "", 0, sh.Text, sh.FontSize, sh.Anchor
			if sh.Halo {
				s.halo = sh.HaloWidth
			}
		}
		out = append(out, s)
	}
	return out
}

// Draw and Line must paint the same picture: every SVG element has its
// shape, in the same order, at the same place, in the same colours.
func TestDrawMatchesSVG(t *testing.T) {
	for _, tc := range drawCases() {
		t.Run(tc.name, func(t *testing.T) {
			svg := string(Line(tc.chart))
			want := fromSVG(t, svg)
			d := Draw(tc.chart)
			got := fromDrawing(d)
			for i := range max(len(want), len(got)) {
				switch {
				case i >= len(got):
					t.Fatalf("Drawing lacks shape %d: %v", i, want[i])
				case i >= len(want):
					t.Fatalf("Drawing has extra shape %d: %v", i, got[i])
				case !got[i].equal(want[i]):
					t.Fatalf("shape %d differs:\nDrawing %v\nSVG     %v", i, got[i], want[i])
				}
			}
			root := parse(t, svg)
			if d.Title != root.child("title").text || d.Description != root.child("desc").text {
				t.Errorf("Drawing title/description %q / %q, SVG %q / %q",
					d.Title, d.Description, root.child("title").text, root.child("desc").text)
			}
			if root.attr("viewBox") != fmt.Sprintf("0 0 %g %g", d.Width, d.Height) {
				t.Errorf("Drawing is %g×%g, SVG viewBox %q", d.Width, d.Height, root.attr("viewBox"))
			}
		})
	}
}

func TestDrawInsideAndWellFormed(t *testing.T) {
	for _, tc := range drawCases() {
		d := Draw(tc.chart)
		for i, s := range d.Shapes {
			want := map[ShapeKind]int{Rect: 2, Circle: 1, Text: 1}[s.Kind]
			if (want != 0 && len(s.Points) != want) || (s.Kind == Polyline && len(s.Points) < 2) || (s.Kind == Polygon && len(s.Points) < 3) {
				t.Errorf("%s: shape %d kind %d has %d points", tc.name, i, s.Kind, len(s.Points))
			}
			for _, p := range s.Points {
				if p.X-s.Radius < 0 || p.X+s.Radius > d.Width || p.Y-s.Radius < 0 || p.Y+s.Radius > d.Height {
					t.Errorf("%s: shape %d (%q) at %v lies outside %g×%g", tc.name, i, s.Text, p, d.Width, d.Height)
				}
			}
			for _, c := range []string{s.Fill, s.Stroke} {
				if _, _, _, ok := HexRGB(c); c != "" && !ok {
					t.Errorf("%s: shape %d has colour %q, want #rrggbb", tc.name, i, c)
				}
			}
			if s.Kind == Text && (s.Text == "" || s.FontSize <= 0 || s.Fill == "") {
				t.Errorf("%s: text shape %d: %+v", tc.name, i, s)
			}
		}
	}
}

func TestDrawGapsTargetsNegative(t *testing.T) {
	d := Draw(gapsTargetsNegative)
	totalt, kvinnor := styles[0], styles[1]
	count := func(match func(Shape) bool) int {
		n := 0
		for _, s := range d.Shapes {
			if match(s) {
				n++
			}
		}
		return n
	}
	isLine := func(color string) func(Shape) bool {
		return func(s Shape) bool { return s.Kind == Polyline && s.Stroke == color && s.StrokeWidth == 2.5 }
	}
	// Each count includes the legend's sample line or marker.
	if n := count(isLine(totalt.color)); n != 3+1 {
		t.Errorf("Totalt: %d lines, want 3 runs + legend", n)
	}
	if n := count(isLine(kvinnor.color)); n != 1+1 {
		t.Errorf("Kvinnor: %d lines, want 1 run (isolated values draw no line) + legend", n)
	}
	if n := count(func(s Shape) bool { return s.Kind == Circle && s.Fill == totalt.color }); n != 6+1 {
		t.Errorf("Totalt: %d circle markers, want 6 values + legend", n)
	}
	if n := count(func(s Shape) bool { return s.Kind == Rect && s.Fill == kvinnor.color }); n != 4+1 {
		t.Errorf("Kvinnor: %d square markers, want 4 values + legend", n)
	}
	for _, s := range d.Shapes {
		if isLine(kvinnor.color)(s) && !slices.Equal(s.Dash, []float64{8, 4}) {
			t.Errorf("Kvinnor line dash %v, want [8 4]", s.Dash)
		}
	}

	xAxis, yearX := Shape{}, map[string]float64{}
	var tickLabels []string
	for _, s := range d.Shapes {
		switch {
		case s.Kind == Polyline && s.Stroke == axisColor && xAxis.Points == nil:
			xAxis = s // the x-axis comes first, after the y-axis
		case s.Kind == Text && s.Anchor == AnchorMiddle:
			yearX[s.Text] = s.Points[0].X
		case s.Kind == Text && s.Anchor == AnchorEnd && !s.Halo:
			tickLabels = append(tickLabels, s.Text)
		}
	}
	if !slices.Contains(tickLabels, "\u2212150") || !slices.Contains(tickLabels, "0") {
		t.Errorf("y labels %q lack −150 or 0", tickLabels)
	}
	// The zero line is emphasised (axis colour) and is not the x-axis.
	var zero []Shape
	for _, s := range d.Shapes {
		if s.Kind == Polyline && s.Stroke == axisColor && s.Points[0].Y == s.Points[1].Y && s.Points[0].Y != xAxis.Points[0].Y {
			zero = append(zero, s)
		}
	}
	if len(zero) != 1 {
		t.Errorf("%d emphasised zero lines, want 1", len(zero))
	}

	var dashed, diamonds, halos []Shape
	for _, s := range d.Shapes {
		switch {
		case s.Kind == Polyline && s.Stroke == targetColor:
			dashed = append(dashed, s)
		case s.Kind == Polygon && s.Stroke == targetColor:
			diamonds = append(diamonds, s)
		case s.Kind == Text && s.Halo:
			halos = append(halos, s)
		}
	}
	if len(dashed) != 2 || !slices.Equal(dashed[0].Dash, []float64{5, 3}) || !slices.Equal(dashed[1].Dash, []float64{5, 3}) {
		t.Fatalf("target lines %+v, want two dashed 5 3", dashed)
	}
	if l := dashed[0]; l.Points[0].X != xAxis.Points[0].X || l.Points[1].X != xAxis.Points[1].X {
		t.Errorf("year-less target spans %v, want the x-axis %v", l.Points, xAxis.Points)
	}
	if len(diamonds) != 1 || len(diamonds[0].Points) != 4 || diamonds[0].Fill != white {
		t.Fatalf("target diamonds %+v, want one white diamond", diamonds)
	}
	// The x-axis is widened to the target's year and the diamond sits there.
	if x, ok := yearX["2024"]; !ok || diamonds[0].Points[0].X != x {
		t.Errorf("diamond at x=%g, year labels %v", diamonds[0].Points[0].X, yearX)
	}
	var labels []string
	for _, h := range halos {
		labels = append(labels, h.Text)
		if h.HaloWidth != 3 {
			t.Errorf("halo width %g, want 3", h.HaloWidth)
		}
	}
	if want := []string{"Mål: 50\u00a0personer", "Mål: högst −100 år 2024"}; !slices.Equal(labels, want) {
		t.Errorf("target labels %q, want %q", labels, want)
	}
	// Target labels are painted over the data lines and markers.
	firstLabel := slices.IndexFunc(d.Shapes, func(s Shape) bool { return s.Kind == Text && s.Halo })
	lastMarker := slices.IndexFunc(d.Shapes, func(s Shape) bool { return s.Kind == Rect && s.Fill == kvinnor.color })
	lastMarker += 3 // Kvinnor's four markers come last of the data
	if firstLabel <= lastMarker || d.Shapes[lastMarker].Fill != kvinnor.color {
		t.Errorf("target labels (from shape %d) not painted after the data (to shape %d)", firstLabel, lastMarker)
	}
}

func TestDrawNoValues(t *testing.T) {
	for _, c := range []Chart{
		{Title: "t"},
		{Title: "t", Series: []Series{series("Totalt", 2020, nan, nan)}},
	} {
		d := Draw(c)
		var texts []string
		for _, s := range d.Shapes {
			if s.Kind == Text {
				texts = append(texts, s.Text)
				if s.Anchor == AnchorEnd {
					t.Errorf("y label %q drawn without values", s.Text)
				}
			}
			if s.Kind == Polyline && s.StrokeWidth == 2.5 && s.Points[0].Y != s.Points[1].Y {
				t.Errorf("data line drawn without values: %v", s.Points)
			}
		}
		last := d.Shapes[len(d.Shapes)-1]
		if last.Text != "Inga värden" || last.FontSize != 16 || last.Anchor != AnchorMiddle {
			t.Errorf("last shape %+v, want the centred ”Inga värden”", last)
		}
		if len(c.Series) > 0 && !slices.Contains(texts, "Totalt (inga värden)") {
			t.Errorf("legend lacks the series: %q", texts)
		}
		if d.Shapes[0].Kind != Rect || d.Shapes[0].Fill != white || d.Shapes[0].Points[1] != (XY{d.Width, d.Height}) {
			t.Errorf("first shape %+v, want the white background", d.Shapes[0])
		}
	}
}

func TestDrawDeterministic(t *testing.T) {
	for _, tc := range drawCases() {
		if a, b := Draw(tc.chart), Draw(tc.chart); !reflect.DeepEqual(a, b) {
			t.Errorf("%s: two drawings differ", tc.name)
		}
	}
}

// A renderer editing its Drawing must not change the next chart.
func TestDrawSharesNothing(t *testing.T) {
	c := Chart{Series: []Series{series("A", 2020, 1, 2), series("B", 2020, 2, 3)}, Targets: []TargetLine{{Value: 1}}}
	first := Draw(c)
	for _, s := range first.Shapes {
		for i := range s.Dash {
			s.Dash[i] = 99
		}
	}
	if !reflect.DeepEqual(Draw(c), Draw(Chart{Series: []Series{series("A", 2020, 1, 2), series("B", 2020, 2, 3)}, Targets: []TargetLine{{Value: 1}}})) ||
		strings.Contains(string(Line(c)), "99") {
		t.Error("editing a Drawing's dash changed later charts")
	}
}

func TestHexRGB(t *testing.T) {
	tests := []struct {
		in      string
		r, g, b uint8
		ok      bool
	}{
		{"#1f4e79", 0x1f, 0x4e, 0x79, true},
		{"#FFFFFF", 255, 255, 255, true},
		{"#000000", 0, 0, 0, true},
		{"#aBcDeF", 0xab, 0xcd, 0xef, true},
		{"", 0, 0, 0, false},
		{"#fff", 0, 0, 0, false},
		{"1f4e79", 0, 0, 0, false},
		{"#1f4e7", 0, 0, 0, false},
		{"#1f4e790", 0, 0, 0, false},
		{"#1g4e79", 0, 0, 0, false},
		{"#1f4e7 ", 0, 0, 0, false},
		{"red", 0, 0, 0, false},
	}
	for _, tt := range tests {
		r, g, b, ok := HexRGB(tt.in)
		if r != tt.r || g != tt.g || b != tt.b || ok != tt.ok {
			t.Errorf("HexRGB(%q) = %d, %d, %d, %v; want %d, %d, %d, %v", tt.in, r, g, b, ok, tt.r, tt.g, tt.b, tt.ok)
		}
	}
}
