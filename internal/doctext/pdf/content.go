package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"math"
)

// Glyph is one shown character code with its text and where it lands on
// the page as displayed (after the page's rotation and crop box): x to the
// right and y up, in points from the lower left corner.
type Glyph struct {
	// Text is the glyph's Unicode text: usually one character, several for
	// a ligature, "" for a glyph that maps to nothing.
	Text string
	// X and Y are the glyph's origin on its baseline.
	X, Y float64
	// Width is the glyph's advance along the baseline.
	Width float64
	// Size is the font size as displayed (the em height).
	Size float64
	// Bold is true for bold fonts and for text painted with a stroke
	// (fake bold).
	Bold bool
	// Upright is true for text that runs left to right, neither rotated
	// nor mirrored.
	Upright bool
}

// Page is the text of one page.
type Page struct {
	Number        int // 1-based
	Width, Height float64
	Glyphs        []Glyph
	// Undecodable counts glyphs of fonts without Unicode information.
	Undecodable int
	// Images counts images painted on the page.
	Images int
}

type matrix [6]float64

var identity = matrix{1, 0, 0, 1, 0, 0}

// mul returns m × n: first m, then n.
func (m matrix) mul(n matrix) matrix {
	return matrix{
		m[0]*n[0] + m[1]*n[2], m[0]*n[1] + m[1]*n[3],
		m[2]*n[0] + m[3]*n[2], m[2]*n[1] + m[3]*n[3],
		m[4]*n[0] + m[5]*n[2] + n[4], m[4]*n[1] + m[5]*n[3] + n[5],
	}
}

type graphicsState struct {
	ctm       matrix
	font      *font
	size      float64
	charSpace float64
	wordSpace float64
	scale     float64
	leading   float64
	rise      float64
	render    int
}

// maxStateDepth bounds q nesting and Form XObject nesting.
const (
	maxStateDepth = 256
	maxFormDepth  = 16
)

type interpreter struct {
	d          *Document
	page       *Page
	gs         graphicsState
	stack      []graphicsState
	ignoredQ   int // q beyond maxStateDepth, so their Q are ignored too
	tm, tlm    matrix
	formDepth  int
	visiting   map[*Stream]bool
	codes      []glyphCode
	noFontText *font
}

// Page interprets page n (1-based) and returns its glyphs.
func (d *Document) Page(n int) (page *Page, err error) {
	defer func() {
		if r := recover(); r != nil {
			page, err = nil, fmt.Errorf("%w: page %d: %v", ErrInternal, n, r)
		}
	}()
	if n < 1 || n > len(d.pages) {
		return nil, fmt.Errorf("page %d out of range 1–%d", n, len(d.pages))
	}
	pn := d.pages[n-1]
	b := pn.box
	page = &Page{Number: n, Width: b.urx - b.llx, Height: b.ury - b.lly}
	var base matrix
	switch pn.rotate {
	case 90:
		base = matrix{0, -1, 1, 0, -b.lly, b.urx}
		page.Width, page.Height = page.Height, page.Width
	case 180:
		base = matrix{-1, 0, 0, -1, b.urx, b.ury}
	case 270:
		base = matrix{0, 1, -1, 0, b.ury, -b.llx}
		page.Width, page.Height = page.Height, page.Width
	default:
		base = matrix{1, 0, 0, 1, -b.llx, -b.lly}
	}
	var content []byte
	var streams []Object
	switch c := d.resolve(pn.dict["Contents"]).(type) {
	case *Stream:
		streams = []Object{c}
	case Array:
		streams = c
	default:
		streams = []Object{pn.dict["Contents"]}
	}
	for _, o := range streams {
		s, ok := d.resolve(o).(*Stream)
		if !ok {
			if _, isRef := o.(Ref); isRef && d.repaired {
				// In a file known to be broken, a missing content stream
				// means lost text, not an empty page.
				return nil, damaged("page %d: its content is missing (is the file truncated?)", n)
			}
			continue
		}
		data, err := d.decode(s)
		if err != nil {
			if errors.Is(err, ErrTooLarge) {
				return nil, err
			}
			return nil, damaged("page %d: content stream: %v", n, err)
		}
		content = append(content, data...)
		content = append(content, '\n')
	}
	in := &interpreter{
		d: d, page: page, visiting: map[*Stream]bool{},
		noFontText: &font{missing: 500, type3Scale: 0.001, undecodable: true},
	}
	in.gs = graphicsState{ctm: base, scale: 1}
	if err := in.run(content, pn.resources); err != nil {
		return nil, err
	}
	return page, nil
}

func (in *interpreter) run(data []byte, resources Dict) error {
	p := parser{data: data}
	var operands []Object
	for {
		o, err := p.readObject()
		if err != nil {
			// The end, or a syntax error: keep what was read so far, as
			// viewers do.
			return nil
		}
		op, isOperator := o.(keyword)
		if !isOperator {
			if len(operands) == 64 {
				// Garbage before an operator: keep the operands nearest it.
				operands = append(operands[:0], operands[1:]...)
			}
			operands = append(operands, o)
			continue
		}
		in.d.operators++
		if in.d.operators > in.d.limits.MaxOperators {
			return fmt.Errorf("%w: more than %d content operators", ErrTooLarge, in.d.limits.MaxOperators)
		}
		if op == "BI" {
			in.skipInlineImage(&p)
			in.page.Images++
		} else if err := in.do(op, operands, resources); err != nil {
			return err
		}
		operands = operands[:0]
	}
}

// skipInlineImage skips "BI … ID <data> EI".
func (in *interpreter) skipInlineImage(p *parser) {
	for {
		o, err := p.readObject()
		if err != nil {
			return
		}
		if k, ok := o.(keyword); ok && k == "ID" {
			break
		}
	}
	p.pos++ // the single white-space byte after ID
	for p.pos < len(p.data) {
		i := bytes.Index(p.data[p.pos:], []byte("EI"))
		if i < 0 {
			p.pos = len(p.data)
			return
		}
		at := p.pos + i
		p.pos = at + 2
		if at > 0 && isSpace(p.data[at-1]) && (at+2 == len(p.data) || isSpace(p.data[at+2])) {
			return
		}
	}
}

func numbers(operands []Object, n int) ([]float64, bool) {
	if len(operands) < n {
		return nil, false
	}
	out := make([]float64, n)
	for i, o := range operands[len(operands)-n:] {
		v, ok := asNumber(o)
		if !ok {
			return nil, false
		}
		out[i] = v
	}
	return out, true
}

func (in *interpreter) do(op keyword, operands []Object, resources Dict) error {
	gs := &in.gs
	switch op {
	case "q":
		if len(in.stack) >= maxStateDepth {
			in.ignoredQ++
		} else {
			in.stack = append(in.stack, in.gs)
		}
	case "Q":
		if in.ignoredQ > 0 {
			in.ignoredQ--
		} else if len(in.stack) > 0 {
			in.gs = in.stack[len(in.stack)-1]
			in.stack = in.stack[:len(in.stack)-1]
		}
	case "cm":
		if v, ok := numbers(operands, 6); ok {
			gs.ctm = matrix(v).mul(gs.ctm)
		}
	case "BT":
		in.tm, in.tlm = identity, identity
	case "Tc":
		if v, ok := numbers(operands, 1); ok {
			gs.charSpace = v[0]
		}
	case "Tw":
		if v, ok := numbers(operands, 1); ok {
			gs.wordSpace = v[0]
		}
	case "Tz":
		if v, ok := numbers(operands, 1); ok {
			gs.scale = v[0] / 100
		}
	case "TL":
		if v, ok := numbers(operands, 1); ok {
			gs.leading = v[0]
		}
	case "Ts":
		if v, ok := numbers(operands, 1); ok {
			gs.rise = v[0]
		}
	case "Tr":
		if v, ok := numbers(operands, 1); ok {
			gs.render = int(v[0])
		}
	case "Tf":
		if len(operands) >= 2 {
			if size, ok := asNumber(operands[len(operands)-1]); ok {
				gs.size = size
			}
			name := asName(operands[len(operands)-2])
			fonts, _ := in.d.resolve(resources["Font"]).(Dict)
			if ref := fonts[name]; ref != nil {
				gs.font = in.d.loadFont(ref)
			} else {
				gs.font = nil
			}
		}
	case "Td":
		if v, ok := numbers(operands, 2); ok {
			in.moveLine(v[0], v[1])
		}
	case "TD":
		if v, ok := numbers(operands, 2); ok {
			gs.leading = -v[1]
			in.moveLine(v[0], v[1])
		}
	case "Tm":
		if v, ok := numbers(operands, 6); ok {
			in.tm, in.tlm = matrix(v), matrix(v)
		}
	case "T*":
		in.moveLine(0, -gs.leading)
	case "Tj":
		if len(operands) >= 1 {
			if s, ok := operands[len(operands)-1].(String); ok {
				in.show(s)
			}
		}
	case "'":
		in.moveLine(0, -gs.leading)
		if len(operands) >= 1 {
			if s, ok := operands[len(operands)-1].(String); ok {
				in.show(s)
			}
		}
	case "\"":
		if len(operands) >= 3 {
			if v, ok := numbers(operands[:len(operands)-1], 2); ok {
				gs.wordSpace, gs.charSpace = v[0], v[1]
			}
			in.moveLine(0, -gs.leading)
			if s, ok := operands[len(operands)-1].(String); ok {
				in.show(s)
			}
		}
	case "TJ":
		if len(operands) >= 1 {
			if a, ok := operands[len(operands)-1].(Array); ok {
				for _, e := range a {
					switch v := e.(type) {
					case String:
						in.show(v)
					case int64, float64:
						n, _ := asNumber(v)
						in.tm = matrix{1, 0, 0, 1, -n / 1000 * gs.size * gs.scale, 0}.mul(in.tm)
					}
				}
			}
		}
	case "Do":
		if len(operands) >= 1 {
			return in.doXObject(asName(operands[len(operands)-1]), resources)
		}
	}
	return nil
}

func (in *interpreter) moveLine(tx, ty float64) {
	in.tlm = matrix{1, 0, 0, 1, tx, ty}.mul(in.tlm)
	in.tm = in.tlm
}

func (in *interpreter) doXObject(name Name, resources Dict) error {
	xobjects, _ := in.d.resolve(resources["XObject"]).(Dict)
	s, ok := in.d.resolve(xobjects[name]).(*Stream)
	if !ok {
		return nil
	}
	switch asName(in.d.resolve(s.Dict["Subtype"])) {
	case "Image":
		in.page.Images++
		return nil
	case "Form":
	default:
		return nil
	}
	if in.visiting[s] || in.formDepth >= maxFormDepth {
		return nil // a form that draws itself, or nests absurdly deep
	}
	data, err := in.d.decode(s)
	if err != nil {
		if errors.Is(err, ErrTooLarge) {
			return err
		}
		return nil // a broken form: skip it like viewers do
	}
	formResources, ok := in.d.resolve(s.Dict["Resources"]).(Dict)
	if !ok {
		formResources = resources
	}
	saved, savedTm, savedTlm, savedStack := in.gs, in.tm, in.tlm, in.stack
	if m, ok := in.d.resolve(s.Dict["Matrix"]).(Array); ok && len(m) == 6 {
		var v matrix
		valid := true
		for i := range v {
			if v[i], ok = asNumber(in.d.resolve(m[i])); !ok {
				valid = false
			}
		}
		if valid {
			in.gs.ctm = v.mul(in.gs.ctm)
		}
	}
	in.visiting[s] = true
	in.formDepth++
	in.stack = nil
	err = in.run(data, formResources)
	in.formDepth--
	delete(in.visiting, s)
	in.gs, in.tm, in.tlm, in.stack = saved, savedTm, savedTlm, savedStack
	return err
}

// show positions and records the glyphs of one string.
func (in *interpreter) show(s String) {
	gs := &in.gs
	f := gs.font
	if f == nil {
		f = in.noFontText
	}
	in.codes = f.codes(s, in.codes[:0])
	sizeFactor := f.type3Scale / 0.001
	for _, g := range in.codes {
		tc := in.tm.mul(gs.ctm)
		trm := matrix{gs.size * gs.scale, 0, 0, gs.size, 0, gs.rise}.mul(tc)
		advance := g.width*gs.size + gs.charSpace
		if g.space {
			advance += gs.wordSpace
		}
		advance *= gs.scale
		if g.text != "" {
			wx, wy := g.width*gs.size*gs.scale*tc[0], g.width*gs.size*gs.scale*tc[1]
			upright := trm[0] > 0 && trm[3] > 0 && math.Abs(trm[1]) < 0.05*trm[0] && math.Abs(trm[2]) < 0.05*trm[3]
			in.page.Glyphs = append(in.page.Glyphs, Glyph{
				Text:    g.text,
				X:       trm[4],
				Y:       trm[5],
				Width:   math.Hypot(wx, wy),
				Size:    math.Hypot(trm[2], trm[3]) * sizeFactor,
				Bold:    f.bold || gs.render == 2 || gs.render == 6,
				Upright: upright,
			})
		} else if !g.known && f.undecodable {
			in.page.Undecodable++
		}
		in.tm = matrix{1, 0, 0, 1, advance, 0}.mul(in.tm)
	}
}
