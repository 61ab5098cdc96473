package chart

// Draw lays c out as a Drawing, from the same layout as Line's SVG: the
// same shapes in the same painting order, without the SVG's groups and
// tooltips.
func Draw(c Chart) Drawing {
	lc := newLineChart(c)
	p := lc.layOut()
	d := Drawing{Width: lc.w, Height: lc.h, Title: lc.title(), Description: lc.description()}
	add := func(shapes ...Shape) { d.Shapes = append(d.Shapes, shapes...) }

	add(p.background)
	if p.unit != nil {
		add(*p.unit)
	}
	for _, t := range p.yTicks {
		add(t.line, t.label)
	}
	add(p.xAxis)
	for _, t := range p.xTicks {
		add(t.line, t.label)
	}
	for _, t := range p.targets {
		add(t.line)
		if t.diamond != nil {
			add(*t.diamond)
		}
	}
	for _, s := range p.series {
		for _, run := range s.runs {
			// A lone value between gaps is shown by its marker alone, as in
			// the SVG, where its path segment paints nothing.
			if len(run.Points) > 1 {
				add(run)
			}
		}
		for _, m := range s.markers {
			add(m.shape)
		}
	}
	for _, t := range p.targets {
		add(t.label)
	}
	for _, e := range p.legend {
		add(e.line, e.marker, e.label)
	}
	if p.noData != nil {
		add(*p.noData)
	}
	return d
}
