package reportpdf

import (
	"strings"
	"unicode/utf8"
)

// headingStyle is how a heading of a level is set: h2 starts a main
// section and has a rule under it, as in the HTML.
type headingStyle struct {
	style         textStyle
	before, after float64 // space around it, in millimetres
	rule          bool
}

func headingStyleOf(level int, target bool) headingStyle {
	switch {
	case target:
		// a target's heading is its sentence: set like the body, in bold
		return headingStyle{style: bold.with(10.5), before: 6, after: 1.6}
	case level <= 2:
		return headingStyle{style: textStyle{size: 16, bold: true, colour: accentColour}, before: 8, after: 4, rule: true}
	case level == 3:
		return headingStyle{style: bold.with(13), before: 7, after: 2.4}
	case level == 4:
		return headingStyle{style: bold.with(11.5), before: 5.5, after: 2}
	default:
		return headingStyle{style: bold.with(10.5), before: 4.5, after: 1.6}
	}
}

// heading is a heading laid out, waiting to be placed with what follows;
// or a lead, a short text that waits with its heading (lead is true).
type heading struct {
	lead        bool
	id, outline string
	level       int
	style       headingStyle
	lines       []line
	// ruleAbove draws a light rule over the heading, which sets targets
	// apart as the HTML's articles are.
	ruleAbove bool
}

// ruleGap is the room between an h2 and its rule.
const ruleGap = 1.6

func (h heading) height() float64 {
	height := height(h.lines)
	if h.style.rule {
		height += ruleGap
	}
	return height
}

// maxOutline is the longest text an outline entry shows; a target's
// heading is a whole sentence.
const maxOutline = 90

// heading queues a heading of a level (2–6, clamped as the HTML clamps
// its goal tree) with an optional prefix naming what it is ("Delmål:").
// It is placed with the start of the content after it, never alone at a
// page's foot.
func (r *renderer) heading(level int, id, prefix, text string) {
	r.queueHeading(level, id, prefix, text, false)
}

// targetHeading queues a target's heading, which is its whole sentence.
func (r *renderer) targetHeading(level int, id, text string) {
	r.queueHeading(level, id, "", text, true)
}

// lead queues a short text under the headings waiting, to be placed with
// them and what follows: an indicator's source goes with its chart.
func (r *renderer) lead(spans ...span) {
	r.pending = append(r.pending, heading{
		lead:  true,
		style: headingStyle{after: 1.5},
		lines: r.text.lines(spans, textWidth, proseSpacing),
	})
}

func (r *renderer) queueHeading(level int, id, prefix, text string, target bool) {
	level = min(max(level, 2), 6)
	st := headingStyleOf(level, target)
	var spans []span
	if prefix != "" {
		p := st.style
		p.bold, p.colour = false, mutedColour
		spans = append(spans, styled(prefix+" ", p))
	}
	spans = append(spans, styled(text, st.style))
	outline := text
	if prefix != "" {
		outline = prefix + " " + text
	}
	r.pending = append(r.pending, heading{
		id:        id,
		outline:   shorten(outline, maxOutline),
		level:     level,
		style:     st,
		lines:     r.text.lines(spans, textWidth, 1.25),
		ruleAbove: target,
	})
}

// shorten cuts s to n characters with "…".
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	runes := []rune(s)
	return strings.TrimRight(string(runes[:n-1]), " ,.;:") + "…"
}

// place readies the page for a block of content: need is the height of
// the block's first part, which must share the page with the headings
// waiting for it, and before the space above the block (none at the top
// of a page, and a heading's own space after it replaces it). The
// headings are drawn; the block goes at r.y.
func (r *renderer) place(before, need float64) {
	// the space above the i-th waiting heading: the larger of its own and
	// the one before's space after
	above := func(i int, top bool) float64 {
		switch {
		case i > 0:
			return max(r.pending[i-1].style.after, r.pending[i].style.before)
		case top:
			return 0
		}
		return r.pending[0].style.before
	}
	below := before
	if n := len(r.pending); n > 0 {
		below = r.pending[n-1].style.after
	}
	top := r.atTop()
	total := need
	for i, h := range r.pending {
		total += above(i, top) + h.height()
	}
	if len(r.pending) > 0 || !top {
		total += below
	}
	if r.y+total > bodyBottom && !top {
		r.newPage()
	}
	for i, h := range r.pending {
		r.y += above(i, r.atTop())
		r.drawHeading(h)
	}
	if len(r.pending) > 0 || !r.atTop() {
		r.y += below
	}
	r.pending = r.pending[:0]
}

func (r *renderer) drawHeading(h heading) {
	if h.ruleAbove && !r.atTop() {
		r.rule(marginLeft, r.y-h.style.before/2, textWidth, ruleColour, 0.2)
	}
	if !h.lead {
		r.pdf.Bookmark(h.outline, h.level-2, r.y)
	}
	if h.id != "" {
		r.found.pages[h.id] = r.pdf.PageNo()
		if link, ok := r.links[h.id]; ok {
			r.pdf.SetLink(link, r.y, -1)
		}
	}
	for _, ln := range h.lines {
		r.drawLine(ln, marginLeft, r.y, textWidth, false)
		r.y += ln.height
	}
	if h.style.rule {
		r.y += ruleGap
		r.rule(marginLeft, r.y-0.3, textWidth, h.style.style.colour, 0.6)
	}
}

// rule draws a horizontal line.
func (r *renderer) rule(x, y, width float64, c rgb, thickness float64) {
	r.pdf.SetDrawColor(c.r, c.g, c.b)
	r.pdf.SetLineWidth(thickness)
	r.pdf.Line(x, y, x+width, y)
}

// Spaces between blocks, in millimetres.
const (
	paraGap = 2.6
	itemGap = 1.2
)

// paragraph sets spans as a paragraph across the text width.
func (r *renderer) paragraph(before float64, spans ...span) {
	r.flow(r.text.lines(spans, textWidth, proseSpacing), marginLeft, textWidth, before, "")
}

// flow places lines, breaking pages between them: a paragraph of up to
// three lines stays whole, a longer one leaves at least two lines on
// either side of a break. marker, when set, is written before the first
// line (a list's bullet).
func (r *renderer) flow(lines []line, x, width, before float64, marker string) {
	n := len(lines)
	if n == 0 {
		return
	}
	keep := n
	if n > 3 {
		keep = 2
	}
	r.place(before, height(lines[:keep]))
	for i, ln := range lines {
		if i >= 2 && n-i == 2 && r.y+ln.height+lines[i+1].height > bodyBottom {
			r.newPage() // leave no line alone at the top of the next page
		}
		if r.y+ln.height > bodyBottom {
			r.newPage()
		}
		if i == 0 && marker != "" {
			st := lines[0].tokens[0].style
			st.bold, st.colour = false, mutedColour
			r.setFont(st)
			r.pdf.Text(x-listIndent+1, r.y+ln.height/2+0.35*pt(ln.size), marker)
		}
		r.drawLine(ln, x, r.y, width, false)
		r.y += ln.height
	}
}

// listIndent is how far a list's items are set in from its bullets.
const listIndent = 5.0

// list sets items as a bulleted list.
func (r *renderer) list(before float64, items ...[]span) {
	for i, item := range items {
		gap := itemGap
		if i == 0 {
			gap = before
		}
		r.flow(r.text.lines(item, textWidth-listIndent, proseSpacing), marginLeft+listIndent, textWidth-listIndent, gap, "•")
	}
}

// fact is a row of a definition list: a label and its value.
type fact struct {
	label string
	value []span
}

// factLabelWidth is the width of a definition list's labels.
const factLabelWidth = 40.0

// facts sets a definition list, labels beside their values, kept on one
// page when it is short.
func (r *renderer) facts(before float64, rows ...fact) {
	r.factsWith(before, factLabelWidth, rows...)
}

// factsWith is facts with labels labelWidth wide.
func (r *renderer) factsWith(before, labelWidth float64, rows ...fact) {
	type laid struct{ label, value []line }
	var all []laid
	total := 0.0
	for _, f := range rows {
		l := laid{
			label: r.text.lines([]span{styled(f.label, bold)}, labelWidth-3, proseSpacing),
			value: r.text.lines(f.value, textWidth-labelWidth, proseSpacing),
		}
		all = append(all, l)
		total += max(height(l.label), height(l.value)) + itemGap
	}
	if len(all) == 0 {
		return
	}
	need := max(height(all[0].label), height(all[0].value))
	if total <= bodyHeight/2 {
		need = total
	}
	r.place(before, need)
	for i, l := range all {
		h := max(height(l.label), height(l.value))
		if i > 0 {
			r.y += itemGap
		}
		r.ensure(h)
		y := r.y
		for _, ln := range l.label {
			r.drawLine(ln, marginLeft, y, labelWidth, false)
			y += ln.height
		}
		y = r.y
		for _, ln := range l.value {
			r.drawLine(ln, marginLeft+labelWidth, y, textWidth-labelWidth, false)
			y += ln.height
		}
		r.y += h
	}
}

// column is a table's column.
type column struct {
	title string
	width float64
	right bool // numbers, aligned right
}

// table is a table to set: a caption above, a header row repeated on
// every page the table runs onto, body rows and footer rows (totals) below
// a heavier rule. A cell is spans; "\n" in them starts a new line, as a
// cell's note does.
type table struct {
	caption string
	columns []column
	rows    [][][]span
	foot    [][][]span
	size    float64 // of the header's text; tableSize when 0
}

// minRowsFirst is how many rows a long table puts under its header
// before a page break.
const minRowsFirst = 3

// Table metrics, in millimetres.
const (
	cellPadX = 1.6
	cellPadY = 1.2
)

var (
	captionStyle = bold.with(9.5)
	headerFill   = rgb{0xf0, 0xf3, 0xf7}
)

// row is a table row laid out: each cell's lines.
type row [][]line

func (rw row) height() float64 {
	h := 0.0
	for _, c := range rw {
		h = max(h, height(c))
	}
	return h + 2*cellPadY
}

// cut splits a row taller than a page after the lines that fit in h.
func (rw row) cut(h float64) (head, tail row, ok bool) {
	avail := h - 2*cellPadY
	for _, c := range rw {
		n, used := 0, 0.0
		for n < len(c) && used+c[n].height <= avail {
			used += c[n].height
			n++
		}
		head, tail = append(head, c[:n]), append(tail, c[n:])
		ok = ok || n > 0
	}
	return head, tail, ok
}

func (r *renderer) layRow(t table, cells [][]span) row {
	var rw row
	for i, c := range t.columns {
		var spans []span
		if i < len(cells) {
			spans = cells[i]
		}
		rw = append(rw, r.text.lines(spans, c.width-2*cellPadX, tableSpacing))
	}
	return rw
}

func (t table) width() float64 {
	w := 0.0
	for _, c := range t.columns {
		w += c.width
	}
	return w
}

// table sets a table. No row is cut in half unless it is taller than a
// page; the caption and header go with at least the first row.
func (r *renderer) table(before float64, t table) {
	var header [][]span
	size := t.size
	if size == 0 {
		size = tableSize
	}
	for _, c := range t.columns {
		header = append(header, []span{styled(c.title, bold.with(size))})
	}
	head := r.layRow(t, header)
	caption := r.text.lines([]span{styled(t.caption, captionStyle)}, textWidth, proseSpacing)
	captionGap := 1.2
	var rows, foot []row
	for _, cells := range t.rows {
		rows = append(rows, r.layRow(t, cells))
	}
	for _, cells := range t.foot {
		foot = append(foot, r.layRow(t, cells))
	}
	// A short table stays whole, as the HTML's print stylesheet asks; a
	// long one starts with at least a few rows under its header.
	all := append(append([]row{}, rows...), foot...)
	whole := 0.0
	for _, rw := range all {
		whole += rw.height()
	}
	first := whole
	if whole > bodyHeight/2 {
		first = 0
		for _, rw := range all[:min(len(all), minRowsFirst)] {
			first += rw.height()
		}
	}
	r.place(before, height(caption)+captionGap+head.height()+first)
	r.drawCaption(caption)
	r.y += captionGap
	r.drawHeader(t, head)

	var continued []line
	if t.caption != "" {
		continued = r.text.lines([]span{styled(t.caption+" (fortsättning)", captionStyle)}, textWidth, proseSpacing)
	}
	fresh := bodyHeight - height(continued) - captionGap - head.height()
	breakPage := func() {
		r.newPage()
		r.drawCaption(continued)
		r.y += captionGap
		r.drawHeader(t, head)
	}
	setRow := func(rw row, heavy bool) {
		for {
			h := rw.height()
			if r.y+h <= bodyBottom {
				r.drawRow(t, rw, heavy)
				return
			}
			if h <= fresh {
				breakPage()
				continue
			}
			// taller than a page: fill this one and carry on
			part, rest, ok := rw.cut(bodyBottom - r.y)
			if !ok {
				breakPage()
				continue
			}
			r.drawRow(t, part, heavy)
			rw = rest
			breakPage()
			heavy = false
		}
	}
	for _, rw := range rows {
		setRow(rw, false)
	}
	for i, rw := range foot {
		setRow(rw, i == 0)
	}
}

func (r *renderer) drawCaption(caption []line) {
	for _, ln := range caption {
		r.drawLine(ln, marginLeft, r.y, textWidth, false)
		r.y += ln.height
	}
}

func (r *renderer) drawHeader(t table, head row) {
	h := head.height()
	r.pdf.SetFillColor(headerFill.r, headerFill.g, headerFill.b)
	r.pdf.Rect(marginLeft, r.y, t.width(), h, "F")
	r.drawCells(t, head)
	r.y += h
	r.rule(marginLeft, r.y, t.width(), textColour, 0.35)
}

// drawRow draws a row with a light rule under it; heavy puts a dark rule
// over it (the first footer row).
func (r *renderer) drawRow(t table, rw row, heavy bool) {
	if heavy {
		r.rule(marginLeft, r.y, t.width(), textColour, 0.35)
	}
	r.drawCells(t, rw)
	r.y += rw.height()
	r.rule(marginLeft, r.y, t.width(), ruleColour, 0.2)
}

func (r *renderer) drawCells(t table, rw row) {
	x := marginLeft
	for i, c := range t.columns {
		y := r.y + cellPadY
		for _, ln := range rw[i] {
			r.drawLine(ln, x+cellPadX, y, c.width-2*cellPadX, c.right)
			y += ln.height
		}
		x += c.width
	}
}
