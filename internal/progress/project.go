package progress

import "math"

const (
	// projectionPoints is how many of the latest points the least-squares
	// line is fitted to: recent enough to reflect current policy, enough to
	// damp a single odd year.
	projectionPoints = 5
	// minProjectionPoints: a line through two points is just their
	// difference; below three we say so rather than pretend.
	minProjectionPoints = 3
)

var tooFewForProjection = Text{
	SV: "För få värden för en prognos (minst tre behövs)",
	EN: "Too few values for a projection (at least three are needed)",
}

// line is a least-squares line, kept around the means of year and value so
// that years near 2000 do not cost precision.
type line struct{ mx, my, slope float64 }

func fitLine(pts []Point) line {
	n := float64(len(pts))
	var sx, sy float64
	for _, p := range pts {
		sx += float64(p.Year)
		sy += p.Value
	}
	l := line{mx: sx / n, my: sy / n}
	var sxx, sxy float64
	for _, p := range pts {
		dx := float64(p.Year) - l.mx
		sxx += dx * dx
		sxy += dx * (p.Value - l.my)
	}
	if sxx > 0 {
		l.slope = sxy / sxx
	}
	return l
}

func (l line) at(year int) float64 { return l.my + l.slope*(float64(year)-l.mx) }

// lastN returns the last n points.
func lastN(pts []Point, n int) []Point { return pts[max(0, len(pts)-n):] }

// projection projects pts to the target year ty: a least-squares line over
// the last five points and, when rate is given, the latest value grown at
// that compound rate. nil when there is no target year ahead of the data.
func projection(pts []Point, ty int, quantity string, rate *float64) *Projection {
	if ty == 0 || len(pts) == 0 || ty <= pts[len(pts)-1].Year {
		return nil
	}
	p := &Projection{Year: ty, Quantity: quantity, Points: min(len(pts), projectionPoints)}
	if len(pts) < minProjectionPoints {
		n := tooFewForProjection
		p.Note = &n
		return p
	}
	p.Linear = ptr(fitLine(lastN(pts, projectionPoints)).at(ty))
	if rate != nil {
		latest := pts[len(pts)-1]
		p.Growth = ptr(latest.Value * math.Pow(1+*rate, float64(ty-latest.Year)))
	}
	return p
}

// projSentence states a value projection: "I samma takt blir den 9,8 % år
// 2020 (linjär trend: 9,7 %)". Empty without a projection.
func (e *evaluator) projSentence(l lang, p *Projection, pronoun string) string {
	switch {
	case p == nil:
		return ""
	case p.Note != nil:
		return tr(l, p.Note.SV, p.Note.EN)
	case p.Growth != nil:
		return tr(l, "I samma takt blir "+pronoun+" ", "At the same rate "+pronoun+" will be ") +
			e.f.q(l, *p.Growth) + tr(l, " år ", " in ") + year(p.Year) +
			tr(l, " (linjär trend: ", " (linear trend: ") + e.f.q(l, *p.Linear) + ")"
	}
	return tr(l, "Med linjär trend blir "+pronoun+" ", "On the linear trend "+pronoun+" will be ") +
		e.f.q(l, *p.Linear) + tr(l, " år ", " in ") + year(p.Year)
}
