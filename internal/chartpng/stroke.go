package chartpng

import "math"

// pt is a point in pixels.
type pt struct{ x, y float64 }

func (p pt) add(q pt) pt { return pt{p.x + q.x, p.y + q.y} }

// flatness is how far, in pixels, a polygon may stray from the arc it
// stands for: well under what antialiasing can show.
const flatness = 0.05

// arcStep is the widest angle one straight piece of an arc of radius r may
// span.
func arcStep(r float64) float64 {
	if r <= flatness*2 {
		return math.Pi / 2
	}
	return 2 * math.Acos(1-flatness/r)
}

// circle is a polygon close enough to the circle to rasterise the same.
func circle(centre pt, r float64) []pt {
	if !(r > 0) {
		return nil
	}
	n := max(8, int(math.Ceil(2*math.Pi/arcStep(r))))
	pts := make([]pt, n)
	for i := range pts {
		a := 2 * math.Pi * float64(i) / float64(n)
		pts[i] = pt{centre.x + r*math.Cos(a), centre.y + r*math.Sin(a)}
	}
	return pts
}

// piece is a stretch of path to stroke.
type piece struct {
	points []pt
	closed bool
}

// A pattern finer than minDashPeriod pixels, or one that would cut a path
// into more than maxDashes pieces, is drawn solid: it could only show as a
// grey smear, and the pieces would cost memory for nothing.
const (
	minDashPeriod = 0.5
	maxDashes     = 100000
)

// dashes cuts a path into the pieces its dash pattern draws, as SVG's
// stroke-dasharray does: on and off lengths in turn, "on" first from the
// first point and running on through the bends, an odd-length pattern
// repeated to make it even. A pattern that cannot be followed (empty,
// negative or all zero) draws the path whole.
func dashes(path []pt, closed bool, pattern []float64) []piece {
	whole := []piece{{path, closed}}
	period := 0.0
	for _, l := range pattern {
		if !(l >= 0) || math.IsInf(l, 0) {
			return whole
		}
		period += l
	}
	if closed && len(path) > 0 {
		path = append(path[:len(path):len(path)], path[0])
	}
	length := 0.0
	for k := 1; k < len(path); k++ {
		length += math.Hypot(path[k].x-path[k-1].x, path[k].y-path[k-1].y)
	}
	if !(period >= minDashPeriod) || length/period > maxDashes {
		return whole
	}
	if len(pattern)%2 == 1 {
		pattern = append(pattern[:len(pattern):len(pattern)], pattern...)
	}

	var out []piece
	entry, left, on := 0, pattern[0], true
	var current []pt
	if len(path) > 0 {
		current = []pt{path[0]}
	}
	for k := 1; k < len(path); k++ {
		a, b := path[k-1], path[k]
		segment := math.Hypot(b.x-a.x, b.y-a.y)
		pos := 0.0
		for segment-pos > left {
			pos += left
			t := pos / segment
			p := pt{a.x + t*(b.x-a.x), a.y + t*(b.y-a.y)}
			if on {
				out = append(out, piece{points: append(current, p)})
				current = nil
			} else {
				current = []pt{p}
			}
			on = !on
			entry = (entry + 1) % len(pattern)
			left = pattern[entry]
		}
		left -= segment - pos
		if on {
			current = append(current, b)
		}
	}
	if on && len(current) > 1 {
		out = append(out, piece{points: current})
	}
	return out
}

// strokeOutline returns the contours whose fill is the stroke of a path
// halfWidth to each side: flat ends, round outer joins. An open path gives
// one contour (out along the left side, back along the right); a closed one
// gives two running opposite ways, so the inside stays a hole.
func strokeOutline(path []pt, closed bool, halfWidth float64) [][]pt {
	pts := withoutRepeats(path, closed)
	if closed && len(pts) < 3 {
		closed = false
	}
	if len(pts) < 2 || !(halfWidth > 0) {
		return nil
	}
	if closed {
		return [][]pt{closedSide(pts, halfWidth), closedSide(reversed(pts), halfWidth)}
	}
	return [][]pt{append(openSide(pts, halfWidth), openSide(reversed(pts), halfWidth)...)}
}

// withoutRepeats drops points that coincide with the one before (they have
// no direction to offset along) and, for a closed path, a last point that
// repeats the first.
func withoutRepeats(path []pt, closed bool) []pt {
	const tiny = 1e-6
	same := func(a, b pt) bool { return math.Abs(a.x-b.x) < tiny && math.Abs(a.y-b.y) < tiny }
	var out []pt
	for _, p := range path {
		if len(out) == 0 || !same(out[len(out)-1], p) {
			out = append(out, p)
		}
	}
	if closed && len(out) > 1 && same(out[0], out[len(out)-1]) {
		out = out[:len(out)-1]
	}
	return out
}

func reversed(pts []pt) []pt {
	out := make([]pt, len(pts))
	for i, p := range pts {
		out[len(pts)-1-i] = p
	}
	return out
}

// leftNormal is the offset halfWidth to the left of the direction a→b.
func leftNormal(a, b pt, halfWidth float64) pt {
	dx, dy := b.x-a.x, b.y-a.y
	l := math.Hypot(dx, dy)
	return pt{-dy / l * halfWidth, dx / l * halfWidth}
}

// openSide is the left edge of an open path's stroke, from its first point
// to its last.
func openSide(pts []pt, halfWidth float64) []pt {
	out := []pt{pts[0].add(leftNormal(pts[0], pts[1], halfWidth))}
	for i := 1; i < len(pts); i++ {
		out = append(out, pts[i].add(leftNormal(pts[i-1], pts[i], halfWidth)))
		if i+1 < len(pts) {
			out = join(out, pts[i-1], pts[i], pts[i+1], halfWidth)
		}
	}
	return out
}

// closedSide is the left edge of a closed path's stroke, all the way round.
func closedSide(pts []pt, halfWidth float64) []pt {
	n := len(pts)
	out := []pt{pts[0].add(leftNormal(pts[0], pts[1], halfWidth))}
	for i := range n {
		a, b, c := pts[i], pts[(i+1)%n], pts[(i+2)%n]
		out = append(out, b.add(leftNormal(a, b, halfWidth)))
		out = join(out, a, b, c, halfWidth)
	}
	return out
}

// join continues a left edge round the corner at b, from the offset of
// a→b to the offset of b→c.
func join(out []pt, a, b, c pt, halfWidth float64) []pt {
	n1, n2 := leftNormal(a, b, halfWidth), leftNormal(b, c, halfWidth)
	d1x, d1y := b.x-a.x, b.y-a.y
	d2x, d2y := c.x-b.x, c.y-b.y
	cross := d1x*d2y - d1y*d2x
	if cross > 0 {
		// The path turns towards this side. Passing through the corner
		// itself keeps the crossing offset lines inside the stroke, where
		// their overlap only adds to coverage.
		return append(out, b, b.add(n2))
	}
	// The outer side: a round join, the short way from n1 to n2 (a
	// U-turn goes round the front).
	turn := math.Atan2(cross, d1x*d2x+d1y*d2y)
	if turn > 0 {
		turn -= 2 * math.Pi
	}
	start := math.Atan2(n1.y, n1.x)
	steps := int(math.Ceil(-turn / arcStep(halfWidth)))
	for k := 1; k < steps; k++ {
		angle := start + turn*float64(k)/float64(steps)
		out = append(out, pt{b.x + halfWidth*math.Cos(angle), b.y + halfWidth*math.Sin(angle)})
	}
	return append(out, b.add(n2))
}
