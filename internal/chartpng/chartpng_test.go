package chartpng

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"strings"
	"testing"

	"golang.org/x/image/font"

	"github.com/inkludera/inkludera/internal/chart"
)

func value(f float64) *float64 { return &f }

// points reads x, y pairs.
func points(xy ...float64) []chart.XY {
	var out []chart.XY
	for i := 0; i+1 < len(xy); i += 2 {
		out = append(out, chart.XY{X: xy[i], Y: xy[i+1]})
	}
	return out
}

// series builds a series from consecutive years; NaN marks a missing year.
func series(name string, from int, values ...float64) chart.Series {
	s := chart.Series{Name: name}
	for i, v := range values {
		p := chart.Point{Year: from + i}
		if !math.IsNaN(v) {
			p.Value = value(v)
		}
		s.Points = append(s.Points, p)
	}
	return s
}

// typical is a report chart as the follow-up shows them: three series, a
// gap, a target.
var typical = chart.Chart{
	ID:    "sysselsattning",
	Title: "Förvärvsarbetande invånare 20–64 år, utrikes födda",
	Unit:  "%",
	Series: []chart.Series{
		series("Totalt", 2015, 48.2, 49.5, 51.0, 52.8, 53.9, 52.1, 54.6, 57.3, 59.8, 61.0),
		series("Kvinnor", 2015, 41.0, 42.3, 44.1, 45.9, math.NaN(), 45.0, 47.7, 50.2, 53.1, 55.4),
		series("Män", 2015, 54.9, 56.2, 57.4, 59.1, 60.0, 58.6, 61.0, 63.8, 65.9, 66.3),
	},
	Targets: []chart.TargetLine{{Label: "Mål: minst 65 %", Value: 65}},
}

func encode(t testing.TB, d chart.Drawing, pixelWidth int) image.Image {
	t.Helper()
	var buf bytes.Buffer
	if err := Encode(&buf, d, pixelWidth); err != nil {
		t.Fatalf("Encode: %v", err)
	}
	img, err := png.Decode(&buf)
	if err != nil {
		t.Fatalf("output is not a PNG: %v", err)
	}
	return img
}

func rgb(c color.Color) (r, g, b int) {
	r32, g32, b32, _ := c.RGBA()
	return int(r32 >> 8), int(g32 >> 8), int(b32 >> 8)
}

// near says whether c is within tolerance of hex on every channel.
func near(c color.Color, hex string, tolerance int) bool {
	wr, wg, wb, _ := chart.HexRGB(hex)
	r, g, b := rgb(c)
	return abs(r-int(wr)) <= tolerance && abs(g-int(wg)) <= tolerance && abs(b-int(wb)) <= tolerance
}

func abs(v int) int { return max(v, -v) }

func isWhite(c color.Color) bool { return near(c, "#ffffff", 0) }

func isDark(c color.Color) bool {
	r, g, b := rgb(c)
	return max(r, g, b) < 100
}

// at is the pixel under a point in drawing units.
func at(img image.Image, d chart.Drawing, x, y float64) color.Color {
	scale := float64(img.Bounds().Dx()) / d.Width
	return img.At(int(math.Floor(x*scale)), int(math.Floor(y*scale)))
}

func TestEncodeSize(t *testing.T) {
	d := chart.Draw(typical) // 640×320
	for _, tt := range []struct{ width, wantHeight int }{
		{1280, 640}, {640, 320}, {333, 167}, {1, 1},
	} {
		if got := encode(t, d, tt.width).Bounds().Size(); got != (image.Point{tt.width, tt.wantHeight}) {
			t.Errorf("width %d: image is %v, want %d×%d", tt.width, got, tt.width, tt.wantHeight)
		}
	}
}

func TestEncodeErrors(t *testing.T) {
	ok := chart.Draw(typical)
	bad := func(s chart.Shape) chart.Drawing {
		return chart.Drawing{Width: 100, Height: 50, Shapes: []chart.Shape{s}}
	}
	tests := []struct {
		name       string
		d          chart.Drawing
		pixelWidth int
		want       string
	}{
		{"zero width", ok, 0, "pixel width 0"},
		{"negative width", ok, -5, "pixel width -5"},
		{"too large", ok, 20000, "too large"},
		{"drawing without size", chart.Drawing{}, 100, "positive size"},
		{"NaN size", chart.Drawing{Width: math.NaN(), Height: 10}, 100, "positive size"},
		{"bad colour", bad(chart.Shape{Kind: chart.Circle, Points: points(5, 5), Radius: 2, Fill: "red"}), 100, `shape 0: fill: colour "red"`},
		{"short colour", bad(chart.Shape{Kind: chart.Polyline, Points: points(5, 5, 6, 6), Stroke: "#fff", StrokeWidth: 1}), 100, `stroke: colour "#fff"`},
		{"rect of one point", bad(chart.Shape{Kind: chart.Rect, Points: points(5, 5), Fill: "#000000"}), 100, "rectangle has 1 points, needs 2"},
		{"text without point", bad(chart.Shape{Kind: chart.Text, Text: "x", Fill: "#000000", FontSize: 10}), 100, "text has 0 points"},
		{"unknown kind", bad(chart.Shape{Kind: 99, Points: points(5, 5)}), 100, "unknown shape kind 99"},
		{"NaN point", bad(chart.Shape{Kind: chart.Polyline, Points: points(math.NaN(), 5, 6, 6), Stroke: "#000000", StrokeWidth: 1}), 100, "point (NaN, 5) is not finite"},
		{"far-off point", bad(chart.Shape{Kind: chart.Text, Points: points(1e300, 5), Text: "x", Fill: "#000000", FontSize: 10}), 100, "far outside"},
		{"infinite stroke", bad(chart.Shape{Kind: chart.Circle, Points: points(5, 5), Radius: 2, Stroke: "#000000", StrokeWidth: math.Inf(1)}), 100, "size +Inf"},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		err := Encode(&buf, tt.d, tt.pixelWidth)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want one containing %q", tt.name, err, tt.want)
		}
		if buf.Len() != 0 {
			t.Errorf("%s: wrote %d bytes despite the error", tt.name, buf.Len())
		}
	}
}

func TestEncodeEmptyIsWhite(t *testing.T) {
	img := encode(t, chart.Drawing{Width: 100, Height: 50}, 200)
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if !isWhite(img.At(x, y)) {
				t.Fatalf("pixel (%d, %d) is %v, want white", x, y, img.At(x, y))
			}
		}
	}
}

// firstLine is the first data line (a Polyline 2.5 wide) of the stroke
// colour, which the Drawing paints before the legend's sample lines.
func firstLine(t *testing.T, d chart.Drawing, nth int) chart.Shape {
	t.Helper()
	seen := map[string]bool{}
	for _, s := range d.Shapes {
		if s.Kind == chart.Polyline && s.StrokeWidth == 2.5 && !seen[s.Stroke] {
			if len(seen) == nth {
				return s
			}
			seen[s.Stroke] = true
		}
	}
	t.Fatalf("no data line %d", nth)
	return chart.Shape{}
}

func TestEncodeChart(t *testing.T) {
	d := chart.Draw(typical)
	img := encode(t, d, 1280)

	b := img.Bounds()
	for _, p := range []image.Point{b.Min, {b.Max.X - 1, b.Max.Y - 1}, {b.Max.X - 1, 0}} {
		if !isWhite(img.At(p.X, p.Y)) {
			t.Errorf("corner %v is %v, want white", p, img.At(p.X, p.Y))
		}
	}

	// The middle of a solid line's first segment has the series' colour.
	solid := firstLine(t, d, 0)
	if solid.Dash != nil {
		t.Fatalf("first series is dashed: %v", solid.Dash)
	}
	a, z := solid.Points[0], solid.Points[1]
	if c := at(img, d, (a.X+z.X)/2, (a.Y+z.Y)/2); !near(c, solid.Stroke, 8) {
		t.Errorf("middle of the %s line is %v", solid.Stroke, c)
	}

	// A dashed line has its colour in a dash and not in a gap.
	dashed := firstLine(t, d, 1)
	if len(dashed.Dash) < 2 {
		t.Fatalf("second series is not dashed")
	}
	along := func(dist float64) color.Color {
		a, z := dashed.Points[0], dashed.Points[1]
		l := math.Hypot(z.X-a.X, z.Y-a.Y)
		return at(img, d, a.X+(z.X-a.X)*dist/l, a.Y+(z.Y-a.Y)*dist/l)
	}
	on, off := dashed.Dash[0], dashed.Dash[1]
	// Half a dash in, clear of the marker at the first point.
	if c := along(on + off + on/2); !near(c, dashed.Stroke, 8) {
		t.Errorf("inside the second dash: %v, want %s", c, dashed.Stroke)
	}
	if c := along(2*on + off + off/2); near(c, dashed.Stroke, 60) {
		t.Errorf("inside the second gap: %v, want no %s", c, dashed.Stroke)
	}

	// Markers: a filled circle on every Totalt value.
	for _, s := range d.Shapes {
		if s.Kind == chart.Circle && s.Fill == solid.Stroke {
			if c := at(img, d, s.Points[0].X, s.Points[0].Y); !near(c, s.Fill, 8) {
				t.Errorf("marker at %v is %v, want %s", s.Points[0], c, s.Fill)
			}
		}
	}
}

// darkPixels counts dark pixels in a box given in drawing units.
func darkPixels(img image.Image, d chart.Drawing, x0, y0, x1, y1 float64) int {
	scale := float64(img.Bounds().Dx()) / d.Width
	n := 0
	for y := int(y0 * scale); y < int(math.Ceil(y1*scale)); y++ {
		for x := int(x0 * scale); x < int(math.Ceil(x1*scale)); x++ {
			if isDark(img.At(x, y)) {
				n++
			}
		}
	}
	return n
}

func TestEncodeTextAnchors(t *testing.T) {
	d := chart.Drawing{Width: 200, Height: 60, Shapes: []chart.Shape{
		{Kind: chart.Text, Points: points(100, 15), Text: "2015", Fill: "#1a1a1a", FontSize: 12, Anchor: chart.AnchorStart},
		{Kind: chart.Text, Points: points(100, 35), Text: "2015", Fill: "#1a1a1a", FontSize: 12, Anchor: chart.AnchorMiddle},
		{Kind: chart.Text, Points: points(100, 55), Text: "2015", Fill: "#1a1a1a", FontSize: 12, Anchor: chart.AnchorEnd},
	}}
	img := encode(t, d, 400)
	// Four digits of DejaVu Sans at 12 units are about 30 units wide.
	for _, tt := range []struct {
		name        string
		baseline    float64
		left, right bool // dark pixels left and right of x = 100
	}{
		{"start", 15, false, true},
		{"middle", 35, true, true},
		{"end", 55, true, false},
	} {
		top := tt.baseline - 10
		leftDark := darkPixels(img, d, 60, top, 99.5, tt.baseline)
		rightDark := darkPixels(img, d, 100.5, top, 140, tt.baseline)
		if (leftDark > 20) != tt.left || (rightDark > 20) != tt.right {
			t.Errorf("%s: %d dark pixels left of the anchor, %d right", tt.name, leftDark, rightDark)
		}
		if n := darkPixels(img, d, 0, top, 60, tt.baseline) + darkPixels(img, d, 140, top, 200, tt.baseline); n > 0 {
			t.Errorf("%s: %d dark pixels far from the text", tt.name, n)
		}
	}
}

func TestEncodeChartLabels(t *testing.T) {
	d := chart.Draw(typical)
	img := encode(t, d, 1280)
	var labels int
	for _, s := range d.Shapes {
		if s.Kind != chart.Text {
			continue
		}
		labels++
		// Generous box from the layout's width estimate.
		w := float64(len([]rune(s.Text))) * s.FontSize * 0.6
		x0 := map[chart.Anchor]float64{chart.AnchorStart: s.Points[0].X, chart.AnchorMiddle: s.Points[0].X - w/2, chart.AnchorEnd: s.Points[0].X - w}[s.Anchor]
		if n := darkPixels(img, d, x0, s.Points[0].Y-s.FontSize, x0+w, s.Points[0].Y+s.FontSize*0.3); n < 10 {
			t.Errorf("label %q at %v: %d dark pixels", s.Text, s.Points[0], n)
		}
	}
	if labels < 15 {
		t.Errorf("only %d labels in the typical chart", labels)
	}
}

func TestEncodeHalo(t *testing.T) {
	const lineColor = "#6a3d9a"
	label := chart.Shape{Kind: chart.Text, Points: points(100, 35), Text: "Mål: 65 %", Fill: "#1a1a1a", FontSize: 12, Anchor: chart.AnchorMiddle, HaloWidth: 3}
	line := chart.Shape{Kind: chart.Polyline, Points: points(0, 30, 200, 30), Stroke: lineColor, StrokeWidth: 6}
	render := func(shapes ...chart.Shape) (chart.Drawing, image.Image) {
		d := chart.Drawing{Width: 200, Height: 60, Shapes: shapes}
		return d, encode(t, d, 400) // 2 pixels a unit
	}
	// lineNearText counts line-coloured pixels within 2 pixels (1 unit,
	// inside the halo's 1.5) of a letter.
	lineNearText := func(img image.Image) (n int) {
		for y := 2 * 20; y < 2*40; y++ {
			for x := 2 * 60; x < 2*140; x++ {
				if !isDark(img.At(x, y)) {
					continue
				}
				for dy := -2; dy <= 2; dy++ {
					for dx := -2; dx <= 2; dx++ {
						if near(img.At(x+dx, y+dy), lineColor, 40) {
							n++
						}
					}
				}
			}
		}
		return n
	}

	label.Halo = false
	_, plain := render(line, label)
	label.Halo = true
	d, haloed := render(line, label)
	if n := lineNearText(plain); n < 100 {
		t.Fatalf("without a halo only %d line pixels touch the letters; the test needs the line through the text", n)
	}
	if n := lineNearText(haloed); n > 0 {
		t.Errorf("with a halo %d line pixels touch the letters", n)
	}
	if c := at(haloed, d, 10, 30); !near(c, lineColor, 0) {
		t.Errorf("line away from the text is %v", c)
	}
	// The halo goes behind the text: the letters are as on white paper.
	_, alone := render(label)
	if a, b := darkPixels(haloed, d, 60, 20, 140, 40), darkPixels(alone, d, 60, 20, 140, 40); abs(a-b) > b/50 {
		t.Errorf("%d dark pixels with the halo over a line, %d on white", a, b)
	}
}

func TestEncodeShapes(t *testing.T) {
	d := chart.Drawing{Width: 100, Height: 100, Shapes: []chart.Shape{
		{Kind: chart.Circle, Points: points(20, 20), Radius: 10, Fill: "#00695c", Stroke: "#ffffff", StrokeWidth: 1},
		{Kind: chart.Circle, Points: points(60, 20), Radius: 10, Fill: "#ffffff", Stroke: "#00695c", StrokeWidth: 2},
		{Kind: chart.Polygon, Points: points(20, 40, 35, 70, 5, 70), Fill: "#2e7d32"},
		{Kind: chart.Rect, Points: points(50, 50, 90, 90), Stroke: "#b03a2e", StrokeWidth: 4},
		// On pixel boundaries at 3 pixels a unit, and off them.
		{Kind: chart.Rect, Points: points(5, 80, 15, 95), Fill: "#8a4b08"},
		{Kind: chart.Rect, Points: points(20.1, 80.1, 30.2, 95.2), Fill: "#6a3d9a"},
	}}
	img := encode(t, d, 300)
	for _, tt := range []struct {
		x, y float64
		want string
	}{
		{20, 20, "#00695c"}, // filled circle
		{60, 20, "#ffffff"}, // ring: white inside
		{70, 20, "#00695c"}, // ring: its rim
		{60, 10, "#00695c"},
		{20, 60, "#2e7d32"}, // triangle
		{40, 60, "#ffffff"}, // beside it
		{50, 70, "#b03a2e"}, // rectangle's stroke, both sides of the edge
		{51.5, 70, "#b03a2e"},
		{48.5, 70, "#b03a2e"},
		{70, 70, "#ffffff"}, // an unfilled rectangle stays hollow
		{53, 70, "#ffffff"},
		{90, 90, "#b03a2e"}, // corner
		{10, 90, "#8a4b08"},
		{5, 80, "#8a4b08"},
		{4.9, 80, "#ffffff"},
		{15, 90, "#ffffff"},
		{25, 90, "#6a3d9a"},
		{20.5, 80.5, "#6a3d9a"},
		{19.6, 90, "#ffffff"},
	} {
		if c := at(img, d, tt.x, tt.y); !near(c, tt.want, 12) {
			t.Errorf("(%g, %g) is %v, want %s", tt.x, tt.y, c, tt.want)
		}
	}
}

// Joins must not leave holes or notches: every point on the centre line of a
// sharply bent, dashed-free stroke is painted, at any turn direction.
func TestEncodeStrokeJoins(t *testing.T) {
	path := points(10, 10, 30, 90, 40, 10, 45, 90, 90, 80, 60, 75, 90, 20, 60, 12)
	d := chart.Drawing{Width: 100, Height: 100, Shapes: []chart.Shape{
		{Kind: chart.Polyline, Points: path, Stroke: "#1f4e79", StrokeWidth: 4},
	}}
	img := encode(t, d, 400)
	for i := 1; i < len(path); i++ {
		a, b := path[i-1], path[i]
		l := math.Hypot(b.X-a.X, b.Y-a.Y)
		for s := 0.0; s <= l; s += 0.25 {
			if (i == 1 && s < 0.5) || (i == len(path)-1 && s > l-0.5) {
				continue // the flat ends' edge pixels are partly covered
			}
			for _, side := range []float64{-1.5, 0, 1.5} { // across the stroke
				x := a.X + (b.X-a.X)*s/l - (b.Y-a.Y)/l*side
				y := a.Y + (b.Y-a.Y)*s/l + (b.X-a.X)/l*side
				if c := at(img, d, x, y); !near(c, "#1f4e79", 12) {
					t.Fatalf("segment %d, %.2f along, %.1f across: %v", i, s, side, c)
				}
			}
		}
		// Clear of the stroke, beside the middle of the segment.
		mx, my := (a.X+b.X)/2-(b.Y-a.Y)/l*3.5, (a.Y+b.Y)/2+(b.X-a.X)/l*3.5
		if c := at(img, d, mx, my); !isWhite(c) {
			t.Errorf("segment %d: beside the stroke is %v, want white", i, c)
		}
	}
	// Flat ends: nothing painted beyond the first point.
	if c := at(img, d, 9.4, 7.6); !isWhite(c) {
		t.Errorf("before the start: %v, want white", c)
	}
}

func TestDashes(t *testing.T) {
	line := []pt{{0, 0}, {30, 0}}
	lengths := func(ps []piece) [][2]float64 {
		var out [][2]float64
		for _, p := range ps {
			out = append(out, [2]float64{p.points[0].x, p.points[len(p.points)-1].x})
		}
		return out
	}
	tests := []struct {
		name    string
		pattern []float64
		want    [][2]float64
	}{
		{"on off", []float64{8, 4}, [][2]float64{{0, 8}, {12, 20}, {24, 30}}},
		{"odd pattern repeats", []float64{5}, [][2]float64{{0, 5}, {10, 15}, {20, 25}}},
		{"four lengths", []float64{10, 3, 2, 3}, [][2]float64{{0, 10}, {13, 15}, {18, 28}}},
		{"solid", nil, [][2]float64{{0, 30}}},
		{"negative is solid", []float64{4, -1}, [][2]float64{{0, 30}}},
		{"all zero is solid", []float64{0, 0}, [][2]float64{{0, 30}}},
	}
	for _, tt := range tests {
		got := lengths(dashes(line, false, tt.pattern))
		if len(got) != len(tt.want) {
			t.Errorf("%s: pieces %v, want %v", tt.name, got, tt.want)
			continue
		}
		for i := range got {
			if math.Abs(got[i][0]-tt.want[i][0]) > 1e-9 || math.Abs(got[i][1]-tt.want[i][1]) > 1e-9 {
				t.Errorf("%s: pieces %v, want %v", tt.name, got, tt.want)
				break
			}
		}
	}

	// The pattern runs on through a bend: a dash may turn the corner.
	bent := dashes([]pt{{0, 0}, {6, 0}, {6, 10}}, false, []float64{8, 4})
	if len(bent) != 2 || len(bent[0].points) != 3 || bent[0].points[2] != (pt{6, 2}) || bent[1].points[0] != (pt{6, 6}) {
		t.Errorf("bent path pieces %+v", bent)
	}
	// A closed path's pattern runs on round the closing side.
	square := dashes([]pt{{0, 0}, {10, 0}, {10, 10}, {0, 10}}, true, []float64{25, 5})
	if len(square) != 2 || square[1].points[0] != (pt{0, 10}) || square[1].points[len(square[1].points)-1] != (pt{0, 0}) {
		t.Errorf("closed path pieces %+v", square)
	}
}

// Kerning must scale with the text: x/image's opentype.Face kerns every size
// alike (golang.org/issue/46727).
func TestKerningScalesWithSize(t *testing.T) {
	f, err := regularFont()
	if err != nil {
		t.Fatal(err)
	}
	c := &canvas{typeface: f, faces: map[float64]font.Face{}}
	small, err := c.face(10)
	if err != nil {
		t.Fatal(err)
	}
	large, err := c.face(40)
	if err != nil {
		t.Fatal(err)
	}
	ks, kl := small.Kern('T', 'o'), large.Kern('T', 'o')
	if ks >= 0 || abs(int(kl-4*ks)) > 4 { // in 1/64 pixel; rounding allows a little
		t.Errorf(`"To" kerns %v at 10 pixels and %v at 40, want a negative kerning growing with the size`, ks, kl)
	}
	// The width the anchors use includes it.
	tAdvance, _ := small.GlyphAdvance('T')
	oAdvance, _ := small.GlyphAdvance('o')
	if got := font.MeasureString(small, "To"); got != tAdvance+oAdvance+ks {
		t.Errorf(`"To" measures %v, want %v`, got, tAdvance+oAdvance+ks)
	}
}

func TestEncodeDeterministic(t *testing.T) {
	d := chart.Draw(typical)
	var a, b bytes.Buffer
	if err := Encode(&a, d, 1280); err != nil {
		t.Fatal(err)
	}
	if err := Encode(&b, d, 1280); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two encodings differ")
	}
}

func BenchmarkEncode(b *testing.B) {
	d := chart.Draw(typical) // 640×320
	for b.Loop() {
		if err := Encode(io.Discard, d, 1280); err != nil {
			b.Fatal(err)
		}
	}
}
