// Package chartpng rasterises a chart.Drawing to PNG for the formats that
// take pictures rather than SVG (the Word report). Paths are antialiased
// with golang.org/x/image/vector; text is set in the embedded DejaVu Sans,
// so the picture does not depend on the fonts of the machine that makes it.
package chartpng

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"math"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"

	"github.com/inkludera/inkludera/internal/chart"
	"github.com/inkludera/inkludera/internal/fonts"
)

// maxSide bounds the picture so a mistaken width cannot exhaust memory; a
// page-wide chart at print resolution needs about 2 500 pixels.
const maxSide = 10000

// regularFont is parsed once: parsing DejaVu Sans costs more than drawing a
// chart.
var regularFont = sync.OnceValues(func() (*opentype.Font, error) {
	return opentype.Parse(fonts.Regular)
})

// Encode writes d as a PNG pixelWidth pixels wide on a white background;
// the height keeps d's proportions.
func Encode(w io.Writer, d chart.Drawing, pixelWidth int) error {
	img, err := render(d, pixelWidth)
	if err != nil {
		return err
	}
	// Compressing is most of the time a chart takes; the fastest level
	// costs a few per cent in size (the Word report holds a dozen charts).
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(w, img); err != nil {
		return fmt.Errorf("chartpng: writing the PNG: %w", err)
	}
	return nil
}

// canvas is one picture being painted.
type canvas struct {
	img      *image.RGBA
	scale    float64 // pixels per drawing unit
	z        vector.Rasterizer
	mask     image.Alpha // the rasterizer's output, reused shape to shape
	typeface *opentype.Font
	faces    map[float64]font.Face // by pixel size
}

func render(d chart.Drawing, pixelWidth int) (*image.RGBA, error) {
	if pixelWidth <= 0 {
		return nil, fmt.Errorf("chartpng: pixel width %d, want a positive number", pixelWidth)
	}
	if !(d.Width > 0 && d.Height > 0) || math.IsInf(d.Width, 0) || math.IsInf(d.Height, 0) {
		return nil, fmt.Errorf("chartpng: drawing is %g×%g, want a positive size", d.Width, d.Height)
	}
	scale := float64(pixelWidth) / d.Width
	pixelHeight := max(1, int(math.Round(d.Height*scale)))
	if pixelWidth > maxSide || pixelHeight > maxSide {
		return nil, fmt.Errorf("chartpng: %d×%d pixels is too large (at most %d a side)", pixelWidth, pixelHeight, maxSide)
	}
	f, err := regularFont()
	if err != nil {
		return nil, fmt.Errorf("chartpng: reading the embedded font: %w", err)
	}

	c := &canvas{
		img:      image.NewRGBA(image.Rect(0, 0, pixelWidth, pixelHeight)),
		scale:    scale,
		typeface: f,
		faces:    map[float64]font.Face{},
	}
	defer c.closeFaces()
	draw.Draw(c.img, c.img.Bounds(), image.White, image.Point{}, draw.Src)
	for i, s := range d.Shapes {
		if err := c.paint(s); err != nil {
			return nil, fmt.Errorf("chartpng: shape %d: %w", i, err)
		}
	}
	return c.img, nil
}

func (c *canvas) closeFaces() {
	for _, f := range c.faces {
		_ = f.Close() // an opentype face holds no resources
	}
}

func (c *canvas) paint(s chart.Shape) error {
	fill, filled, err := paint(s.Fill)
	if err != nil {
		return fmt.Errorf("fill: %w", err)
	}
	stroke, stroked, err := paint(s.Stroke)
	if err != nil {
		return fmt.Errorf("stroke: %w", err)
	}
	if want := pointsNeeded(s.Kind); len(s.Points) < want {
		return fmt.Errorf("%s has %d points, needs %d", kindName(s.Kind), len(s.Points), want)
	}
	for _, v := range []float64{s.Radius, s.StrokeWidth, s.FontSize, s.HaloWidth} {
		if !reasonable(v * c.scale) {
			return fmt.Errorf("size %g is not a usable number", v)
		}
	}
	pts := make([]pt, len(s.Points))
	for i, p := range s.Points {
		pts[i] = pt{p.X * c.scale, p.Y * c.scale}
		// Far-off points would overflow the fixed-point text positions.
		if !reasonable(pts[i].x) || !reasonable(pts[i].y) {
			return fmt.Errorf("point (%g, %g) is not finite or lies far outside the drawing", p.X, p.Y)
		}
	}

	var outline []pt // the path that is filled and stroked
	closed := true
	switch s.Kind {
	case chart.Rect:
		a, b := pts[0], pts[1]
		outline = []pt{a, {b.x, a.y}, b, {a.x, b.y}}
	case chart.Polygon:
		outline = pts
	case chart.Circle:
		outline = circle(pts[0], s.Radius*c.scale)
	case chart.Polyline:
		outline, closed = pts, false // a fill, if asked for, closes it as SVG does
	case chart.Text:
		if !filled {
			return nil
		}
		return c.text(s, pts[0], fill)
	default:
		return fmt.Errorf("unknown shape kind %d", s.Kind)
	}

	if filled {
		if box, ok := pixelAligned(s.Kind, outline); ok {
			// Nothing to antialias (the background, say): copying the
			// colour is far cheaper than rasterizing the whole picture.
			draw.Draw(c.img, box, image.NewUniform(fill), image.Point{}, draw.Src)
		} else {
			c.fill([][]pt{outline}, fill)
		}
	}
	if stroked && s.StrokeWidth > 0 {
		var contours [][]pt
		for _, piece := range dashes(outline, closed, scaled(s.Dash, c.scale)) {
			contours = append(contours, strokeOutline(piece.points, piece.closed, s.StrokeWidth*c.scale/2)...)
		}
		c.fill(contours, stroke)
	}
	return nil
}

// pixelAligned gives a Rect's pixels when its edges fall on pixel
// boundaries.
func pixelAligned(k chart.ShapeKind, corners []pt) (image.Rectangle, bool) {
	if k != chart.Rect {
		return image.Rectangle{}, false
	}
	a, b := corners[0], corners[2]
	for _, v := range []float64{a.x, a.y, b.x, b.y} {
		if math.Abs(v-math.Round(v)) > 1e-6 {
			return image.Rectangle{}, false
		}
	}
	return image.Rect(int(math.Round(a.x)), int(math.Round(a.y)), int(math.Round(b.x)), int(math.Round(b.y))), true
}

// reasonable says whether a pixel coordinate or size can be drawn: finite
// and well within fixed.Int26_6's range.
func reasonable(v float64) bool { return math.Abs(v) <= 1e6 }

func pointsNeeded(k chart.ShapeKind) int {
	switch k {
	case chart.Rect, chart.Polyline:
		return 2
	case chart.Polygon:
		return 3
	}
	return 1
}

func kindName(k chart.ShapeKind) string {
	switch k {
	case chart.Rect:
		return "rectangle"
	case chart.Polyline:
		return "polyline"
	case chart.Polygon:
		return "polygon"
	case chart.Circle:
		return "circle"
	case chart.Text:
		return "text"
	}
	return fmt.Sprintf("shape kind %d", k)
}

// paint reads a Drawing colour; "" is no paint (ok false).
func paint(hex string) (c color.RGBA, ok bool, err error) {
	if hex == "" {
		return color.RGBA{}, false, nil
	}
	r, g, b, ok := chart.HexRGB(hex)
	if !ok {
		return color.RGBA{}, false, fmt.Errorf("colour %q, want #rrggbb", hex)
	}
	return color.RGBA{r, g, b, 0xff}, true, nil
}

func scaled(dash []float64, scale float64) []float64 {
	out := make([]float64, len(dash))
	for i, d := range dash {
		out[i] = d * scale
	}
	return out
}

// fill paints the union of contours. The rasterizer covers every pixel by
// the absolute sum of the windings, clamped to one, so contours that run the
// same way add up and a contour run the other way inside one cuts a hole
// (a stroked ring).
func (c *canvas) fill(contours [][]pt, colour color.RGBA) {
	box, ok := bounds(contours)
	if !ok {
		return
	}
	// Only the shape's box is rasterized: clearing and compositing a
	// full-size mask per shape would cost more than painting.
	box = box.Intersect(c.img.Bounds())
	if box.Empty() {
		return
	}
	w, h := box.Dx(), box.Dy()
	c.z.Reset(w, h)
	ox, oy := float64(box.Min.X), float64(box.Min.Y)
	for _, contour := range contours {
		if len(contour) < 3 {
			continue
		}
		c.z.MoveTo(float32(contour[0].x-ox), float32(contour[0].y-oy))
		for _, p := range contour[1:] {
			c.z.LineTo(float32(p.x-ox), float32(p.y-oy))
		}
		c.z.ClosePath()
	}
	// Into an alpha mask of exactly the rasterizer's size, which the
	// rasterizer writes in one pass, then onto the picture, skipping the
	// many pixels a thin line's box leaves uncovered.
	if need := w * h; cap(c.mask.Pix) < need {
		c.mask.Pix = make([]uint8, need)
	}
	c.mask.Pix, c.mask.Stride, c.mask.Rect = c.mask.Pix[:w*h], w, image.Rect(0, 0, w, h)
	c.z.DrawOp = draw.Src
	c.z.Draw(&c.mask, c.mask.Rect, image.Opaque, image.Point{})
	composite(c.img, box.Min, &c.mask, colour)
}

// composite paints an opaque colour onto dst through mask, whose origin
// lies at at.
func composite(dst *image.RGBA, at image.Point, mask *image.Alpha, colour color.RGBA) {
	src := [3]uint32{uint32(colour.R), uint32(colour.G), uint32(colour.B)}
	for y := range mask.Rect.Dy() {
		row := dst.Pix[dst.PixOffset(at.X, at.Y+y):]
		for x, m := range mask.Pix[y*mask.Stride : y*mask.Stride+mask.Rect.Dx()] {
			if m == 0 {
				continue
			}
			p := row[4*x : 4*x+4 : 4*x+4]
			a := uint32(m)
			for i, s := range src {
				p[i] = uint8((s*a + uint32(p[i])*(255-a) + 127) / 255)
			}
			p[3] = uint8(a + uint32(p[3])*(255-a)/255)
		}
	}
}

func bounds(contours [][]pt) (image.Rectangle, bool) {
	minX, minY := math.Inf(1), math.Inf(1)
	maxX, maxY := math.Inf(-1), math.Inf(-1)
	for _, contour := range contours {
		for _, p := range contour {
			minX, minY = min(minX, p.x), min(minY, p.y)
			maxX, maxY = max(maxX, p.x), max(maxY, p.y)
		}
	}
	if !(minX <= maxX && minY <= maxY) {
		return image.Rectangle{}, false
	}
	return image.Rect(int(math.Floor(minX)), int(math.Floor(minY)), int(math.Ceil(maxX))+1, int(math.Ceil(maxY))+1), true
}

// text sets s with its baseline at p, aligned as s.Anchor says.
func (c *canvas) text(s chart.Shape, p pt, colour color.RGBA) error {
	if s.Text == "" || !(s.FontSize > 0) {
		return nil
	}
	fill := image.NewUniform(colour)
	face, err := c.face(s.FontSize * c.scale)
	if err != nil {
		return err
	}
	dot := fixed.Point26_6{X: toFixed(p.x), Y: toFixed(p.y)}
	switch s.Anchor {
	case chart.AnchorMiddle:
		dot.X -= font.MeasureString(face, s.Text) / 2
	case chart.AnchorEnd:
		dot.X -= font.MeasureString(face, s.Text)
	}
	haloRadius := s.HaloWidth / 2 * c.scale
	if !s.Halo || !(haloRadius > 0) {
		(&font.Drawer{Dst: c.img, Src: fill, Face: face, Dot: dot}).DrawString(s.Text)
		return nil
	}

	// The halo is the text's coverage grown by the halo's radius in every
	// direction: what stroking the glyph outlines paints around them.
	glyphs, _ := font.BoundString(face, s.Text)
	margin := int(math.Ceil(haloRadius)) + 1
	box := image.Rect(
		(dot.X+glyphs.Min.X).Floor()-margin, (dot.Y+glyphs.Min.Y).Floor()-margin,
		(dot.X+glyphs.Max.X).Ceil()+margin, (dot.Y+glyphs.Max.Y).Ceil()+margin)
	mask := image.NewAlpha(box)
	(&font.Drawer{Dst: mask, Src: image.Opaque, Face: face, Dot: dot}).DrawString(s.Text)
	draw.DrawMask(c.img, box, image.White, image.Point{}, grow(mask, haloRadius), box.Min, draw.Over)
	draw.DrawMask(c.img, box, fill, image.Point{}, mask, box.Min, draw.Over)
	return nil
}

func toFixed(v float64) fixed.Int26_6 { return fixed.Int26_6(math.Round(v * 64)) }

func (c *canvas) face(pixels float64) (font.Face, error) {
	if f, ok := c.faces[pixels]; ok {
		return f, nil
	}
	// At 72 DPI a point is a pixel. Unhinted glyphs keep the widths the
	// layout measured.
	f, err := opentype.NewFace(c.typeface, &opentype.FaceOptions{Size: pixels, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		return nil, fmt.Errorf("font at %g pixels: %w", pixels, err)
	}
	kerned := &kernedFace{Face: f, typeface: c.typeface, ppem: fixed.Int26_6(math.Round(pixels * 64))}
	c.faces[pixels] = kerned
	return kerned, nil
}

// kernedFace scales kerning to the face's size, which opentype.Face does
// not (golang.org/issue/46727): it passes the font's units per em (2048)
// as the size in 26.6 fixed point, so it kerns every face as if it were 32
// pixels, and small text came out with "To" overlapping.
type kernedFace struct {
	font.Face
	typeface *sfnt.Font
	ppem     fixed.Int26_6
	buf      sfnt.Buffer
}

func (f *kernedFace) Kern(r0, r1 rune) fixed.Int26_6 {
	g0, err0 := f.typeface.GlyphIndex(&f.buf, r0)
	g1, err1 := f.typeface.GlyphIndex(&f.buf, r1)
	if err0 != nil || err1 != nil {
		return 0
	}
	k, err := f.typeface.Kern(&f.buf, g0, g1, f.ppem, font.HintingNone)
	if err != nil { // mostly sfnt.ErrNotFound: the pair has no kerning
		return 0
	}
	return k
}

// grow dilates an alpha mask by a disc of the given radius, antialiased at
// its rim: each pixel takes the strongest coverage within reach.
func grow(mask *image.Alpha, radius float64) *image.Alpha {
	type tap struct {
		dx, dy int
		weight uint32 // 0–256
	}
	var taps []tap
	reach := int(math.Ceil(radius + 0.5))
	for dy := -reach; dy <= reach; dy++ {
		for dx := -reach; dx <= reach; dx++ {
			w := math.Min(1, radius+0.5-math.Hypot(float64(dx), float64(dy)))
			if w > 0 {
				taps = append(taps, tap{dx, dy, uint32(math.Round(w * 256))})
			}
		}
	}
	b := mask.Bounds()
	out := image.NewAlpha(b)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			var best uint32
			for _, t := range taps {
				sx, sy := x+t.dx, y+t.dy
				if sx < b.Min.X || sx >= b.Max.X || sy < b.Min.Y || sy >= b.Max.Y {
					continue
				}
				if v := uint32(mask.Pix[mask.PixOffset(sx, sy)]) * t.weight >> 8; v > best {
					best = v
					if best == 0xff {
						break
					}
				}
			}
			out.Pix[out.PixOffset(x, y)] = uint8(best)
		}
	}
	return out
}
