package chart

// Drawing is a chart laid out as plain shapes, for renderings that are not
// SVG: the PDF report draws it as vectors, internal/chartpng rasterises it
// for the Word report. It comes from the same layout as Line's SVG (Draw),
// so every format shows the same chart.
//
// Coordinates are in the chart's own units, as the SVG's viewBox: origin
// top left, y downwards, Width × Height. A renderer scales them to its
// page or pixels.
type Drawing struct {
	Width, Height float64
	// Title and Description are the chart's name and text alternative, as
	// in the SVG's <title> and <desc>: a renderer puts them where its
	// format keeps alternative text (a Word picture's descr, say).
	Title       string
	Description string
	// Shapes are in painting order: later ones cover earlier ones.
	Shapes []Shape
}

// ShapeKind says how a Shape's Points are read.
type ShapeKind int

const (
	// Rect is the rectangle from Points[0] (top left) to Points[1]
	// (bottom right): the background or a square marker.
	Rect ShapeKind = iota
	// Polyline is an open path through Points: a data line (one per run
	// of values between gaps), an axis, a gridline or a dashed target
	// line. It has at least two points.
	Polyline
	// Polygon is a closed path through Points: a marker or a target's
	// diamond.
	Polygon
	// Circle is centred on Points[0] with Radius.
	Circle
	// Text is Text written with its baseline at Points[0], aligned there
	// as Anchor says.
	Text
)

// Anchor is where a Text's point is along the text.
type Anchor int

const (
	AnchorStart Anchor = iota
	AnchorMiddle
	AnchorEnd
)

// XY is a point in the drawing's units.
type XY struct{ X, Y float64 }

// Shape is one thing to paint.
type Shape struct {
	Kind   ShapeKind
	Points []XY
	Radius float64 // Circle only

	// Fill and Stroke are colours as "#rrggbb"; "" paints nothing (a
	// Text's Fill is its colour). StrokeWidth is in the drawing's units,
	// centred on the outline as in SVG. Strokes have flat (butt) ends;
	// joins may be round: the SVG rounds the data lines' joins, and the
	// other shapes' corners are too small for the difference to show.
	// A shape is filled first, then stroked.
	Fill        string
	Stroke      string
	StrokeWidth float64
	// Dash is the stroke's dash pattern, on and off lengths in the
	// drawing's units, starting with "on" at the first point and running
	// on through the bends (SVG's stroke-dasharray); nil is a solid line.
	Dash []float64

	Text     string
	FontSize float64 // in the drawing's units
	Anchor   Anchor
	// Halo asks for a white outline behind the text, which keeps a label
	// legible where it crosses a line: the glyph outlines stroked in white
	// HaloWidth wide (so reaching HaloWidth/2 beyond them) with round
	// joins, painted before the text.
	Halo      bool
	HaloWidth float64
}

// HexRGB reads a "#rrggbb" colour; ok is false for anything else,
// including "" (no paint).
func HexRGB(s string) (r, g, b uint8, ok bool) {
	if len(s) != 7 || s[0] != '#' {
		return 0, 0, 0, false
	}
	var v [3]uint8
	for i := range 3 {
		hi, ok1 := hexDigit(s[1+2*i])
		lo, ok2 := hexDigit(s[2+2*i])
		if !ok1 || !ok2 {
			return 0, 0, 0, false
		}
		v[i] = hi<<4 | lo
	}
	return v[0], v[1], v[2], true
}

func hexDigit(c byte) (uint8, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}
