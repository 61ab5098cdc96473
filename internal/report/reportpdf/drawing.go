package reportpdf

import "github.com/inkludera/inkludera/internal/chart"

// drawing paints a chart's shapes as vectors with its top left corner at
// (x, y), scaled to width; it returns the height it took.
func (r *renderer) drawing(d chart.Drawing, x, y, width float64) float64 {
	if d.Width <= 0 || d.Height <= 0 {
		return 0
	}
	k := width / d.Width
	at := func(p chart.XY) (float64, float64) { return x + p.X*k, y + p.Y*k }
	pdf := r.pdf
	// The SVG joins a data line's segments round; dashes keep butt ends.
	pdf.SetLineJoinStyle("round")
	pdf.SetLineCapStyle("butt")
	for _, s := range d.Shapes {
		fill, hasFill := colourOf(s.Fill)
		stroke, hasStroke := colourOf(s.Stroke)
		if s.Kind == chart.Text {
			if hasFill && s.Text != "" && len(s.Points) > 0 {
				r.drawingText(s, k, at, fill)
			}
			continue
		}
		style := paintStyle(hasFill, hasStroke)
		if style == "" {
			continue
		}
		if hasFill {
			pdf.SetFillColor(fill.r, fill.g, fill.b)
		}
		dashed := false
		if hasStroke {
			pdf.SetDrawColor(stroke.r, stroke.g, stroke.b)
			w := s.StrokeWidth
			if w <= 0 {
				w = 1 // SVG's default stroke width
			}
			pdf.SetLineWidth(w * k)
			if len(s.Dash) > 0 {
				dash := make([]float64, len(s.Dash))
				for i, v := range s.Dash {
					dash[i] = v * k
				}
				pdf.SetDashPattern(dash, 0)
				dashed = true
			}
		}
		switch s.Kind {
		case chart.Rect:
			if len(s.Points) >= 2 {
				x0, y0 := at(s.Points[0])
				x1, y1 := at(s.Points[1])
				pdf.Rect(min(x0, x1), min(y0, y1), abs(x1-x0), abs(y1-y0), style)
			}
		case chart.Polyline:
			if len(s.Points) >= 2 && hasStroke {
				pdf.MoveTo(at(s.Points[0]))
				for _, p := range s.Points[1:] {
					pdf.LineTo(at(p))
				}
				pdf.DrawPath("D") // an open path is never filled
			}
		case chart.Polygon:
			if len(s.Points) >= 3 {
				// closed with "h", so its last corner is joined like the others
				pdf.MoveTo(at(s.Points[0]))
				for _, p := range s.Points[1:] {
					pdf.LineTo(at(p))
				}
				pdf.ClosePath()
				pdf.DrawPath(style)
			}
		case chart.Circle:
			if len(s.Points) >= 1 && s.Radius > 0 {
				cx, cy := at(s.Points[0])
				pdf.Circle(cx, cy, s.Radius*k, style)
			}
		}
		if dashed {
			pdf.SetDashPattern(nil, 0)
		}
	}
	pdf.SetLineJoinStyle("miter")
	return d.Height * k
}

// drawingText writes a chart's text at its size and anchor, over a white
// outline when it asks for a halo.
func (r *renderer) drawingText(s chart.Shape, k float64, at func(chart.XY) (float64, float64), c rgb) {
	size := s.FontSize
	if size <= 0 {
		size = 12 // the chart's axis labels' size
	}
	st := textStyle{size: size * k * 72 / 25.4, colour: c}
	x, y := at(s.Points[0])
	switch s.Anchor {
	case chart.AnchorMiddle:
		x -= r.text.m.width(s.Text, st) / 2
	case chart.AnchorEnd:
		x -= r.text.m.width(s.Text, st)
	}
	r.setFont(st)
	if s.Halo && s.HaloWidth > 0 {
		r.pdf.SetDrawColor(white.r, white.g, white.b)
		r.pdf.SetLineWidth(s.HaloWidth * k)
		r.pdf.SetTextRenderingMode(1) // stroke only: the halo
		r.pdf.Text(x, y, s.Text)
		r.pdf.SetTextRenderingMode(0)
	}
	r.pdf.Text(x, y, s.Text)
}

// colourOf reads a shape's colour; ok is false for no paint.
func colourOf(s string) (rgb, bool) {
	r, g, b, ok := chart.HexRGB(s)
	return rgb{int(r), int(g), int(b)}, ok
}

// paintStyle is fpdf's style for a shape: "F" fill, "D" stroke, "FD" both.
func paintStyle(fill, stroke bool) string {
	switch {
	case fill && stroke:
		return "FD"
	case fill:
		return "F"
	case stroke:
		return "D"
	}
	return ""
}

func abs(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}
