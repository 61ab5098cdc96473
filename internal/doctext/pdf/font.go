package pdf

import (
	"bytes"
	"strings"
)

// font knows how to split a string operand into character codes and what
// text and width each code has.
type font struct {
	composite bool
	bold      bool
	// simple fonts
	text       [256]string // from the encoding; "" = unknown
	hasText    [256]bool
	firstChar  int
	widths     []float64
	missing    float64 // width of codes without one, in glyph space units
	type3Scale float64 // glyph space → text space: 0.001, or a Type3 font's FontMatrix
	// composite fonts
	encoding *cmap // an embedded /Encoding CMap; nil for Identity and predefined ones
	ucs2     bool  // a predefined UCS-2/UTF-16 CMap: the code is the text
	cidW     map[int]float64
	cidDW    float64
	// both
	toUnicode *cmap
	// undecodable: no ToUnicode and no usable encoding (e.g. Identity-H
	// without ToUnicode); its glyphs have no text.
	undecodable bool
}

// glyphCode is one character code of a shown string.
type glyphCode struct {
	text  string
	known bool    // text comes from a mapping, not a guess
	width float64 // in text space units for a font size of 1
	space bool    // a single-byte code 32, which word spacing applies to
}

func (d *Document) loadFont(o Object) *font {
	ref, isRef := o.(Ref)
	if isRef {
		if f, ok := d.fonts[ref]; ok {
			return f
		}
	}
	dict, _ := d.resolve(o).(Dict)
	f := d.buildFont(dict)
	if isRef {
		d.fonts[ref] = f
	}
	return f
}

func (d *Document) buildFont(dict Dict) *font {
	f := &font{type3Scale: 0.001, missing: 500, cidDW: 1000}
	if dict == nil {
		f.undecodable = true
		return f
	}
	subtype := asName(d.resolve(dict["Subtype"]))
	baseFont := string(asName(d.resolve(dict["BaseFont"])))
	if s, ok := d.resolve(dict["ToUnicode"]).(*Stream); ok {
		if data, err := d.decode(s); err == nil {
			m := parseCMap(data)
			if len(m.chars) > 0 || len(m.ranges) > 0 {
				f.toUnicode = m
			}
		}
	}
	descriptor := Dict(nil)
	if subtype == "Type0" {
		f.composite = true
		if df, ok := d.resolve(dict["DescendantFonts"]).(Array); ok && len(df) > 0 {
			if cid, ok := d.resolve(df[0]).(Dict); ok {
				descriptor, _ = d.resolve(cid["FontDescriptor"]).(Dict)
				if dw, ok := asNumber(d.resolve(cid["DW"])); ok {
					f.cidDW = dw
				}
				f.cidW = d.cidWidths(cid["W"])
			}
		}
		switch enc := d.resolve(dict["Encoding"]).(type) {
		case Name:
			s := string(enc)
			f.ucs2 = strings.Contains(s, "UCS2") || strings.Contains(s, "UTF16")
			if !f.ucs2 && !strings.HasPrefix(s, "Identity") && f.toUnicode == nil {
				f.undecodable = true // a predefined CJK CMap we do not carry
			}
		case *Stream:
			if data, err := d.decode(enc); err == nil {
				f.encoding = parseCMap(data)
			}
		}
		if f.toUnicode == nil && !f.ucs2 {
			f.undecodable = true
		}
	} else {
		descriptor, _ = d.resolve(dict["FontDescriptor"]).(Dict)
		if subtype == "Type3" {
			if fm, ok := d.resolve(dict["FontMatrix"]).(Array); ok && len(fm) == 6 {
				if v, ok := asNumber(d.resolve(fm[0])); ok && v != 0 {
					f.type3Scale = v
				}
			}
		}
		fc, _ := asInt(d.resolve(dict["FirstChar"]))
		f.firstChar = int(fc)
		if w, ok := d.resolve(dict["Widths"]).(Array); ok {
			for _, v := range w {
				n, _ := asNumber(d.resolve(v))
				f.widths = append(f.widths, n)
			}
		}
		if mw, ok := asNumber(d.resolve(descriptor["MissingWidth"])); ok && mw > 0 {
			f.missing = mw
		} else if strings.Contains(baseFont, "Courier") {
			f.missing = 600
		}
		d.simpleEncoding(f, dict, descriptor, subtype)
	}
	f.bold = isBoldFont(baseFont, descriptor, d.resolve)
	return f
}

func isBoldFont(baseFont string, descriptor Dict, resolve func(Object) Object) bool {
	name := strings.ToLower(baseFont)
	if i := strings.IndexByte(name, '+'); i == 6 {
		name = name[i+1:] // drop the subset tag
	}
	for _, w := range []string{"bold", "black", "heavy", "semibold", "demibold", ",bd", "-bd"} {
		if strings.Contains(name, w) {
			return true
		}
	}
	if w, ok := asNumber(resolve(descriptor["FontWeight"])); ok && w >= 600 {
		return true
	}
	flags, _ := asInt(resolve(descriptor["Flags"]))
	return flags&(1<<18) != 0 // ForceBold
}

// simpleEncoding fills the code → text table of a simple font from its
// /Encoding: a base encoding and /Differences.
func (d *Document) simpleEncoding(f *font, dict, descriptor Dict, subtype Name) {
	flags, _ := asInt(d.resolve(descriptor["Flags"]))
	symbolic := flags&4 != 0 && flags&32 == 0
	base := encodingStandard
	if subtype == "TrueType" || subtype == "Type3" {
		base = encodingWinAnsi // what readers assume for these without an encoding
	}
	var differences Array
	switch enc := d.resolve(dict["Encoding"]).(type) {
	case Name:
		base = namedEncoding(enc, base)
	case Dict:
		base = namedEncoding(asName(d.resolve(enc["BaseEncoding"])), base)
		differences, _ = d.resolve(enc["Differences"]).(Array)
	default:
		if symbolic {
			// A symbolic font's built-in encoding: an embedded Type1
			// program states it; otherwise the codes are the best guess.
			if names := d.type1Encoding(descriptor); names != nil {
				for code, n := range names {
					if t := glyphText(n); t != "" {
						f.text[code], f.hasText[code] = t, true
					}
				}
				return
			}
			base = encodingWinAnsi
		}
	}
	for c := 0; c < 256; c++ {
		if t := encodingText(base, byte(c)); t != "" {
			f.text[c], f.hasText[c] = t, true
		}
	}
	code := -1
	for _, o := range differences {
		switch v := d.resolve(o).(type) {
		case int64:
			code = int(v)
		case float64:
			code = int(v)
		case Name:
			if code >= 0 && code < 256 {
				t := glyphText(string(v))
				f.text[code], f.hasText[code] = t, t != ""
				code++
			}
		}
	}
}

func namedEncoding(n Name, fallback baseEncoding) baseEncoding {
	switch n {
	case "WinAnsiEncoding":
		return encodingWinAnsi
	case "MacRomanEncoding":
		return encodingMacRoman
	case "StandardEncoding":
		return encodingStandard
	}
	return fallback
}

// type1Encoding reads "dup code /name put" from the clear-text part of an
// embedded Type1 font program.
func (d *Document) type1Encoding(descriptor Dict) map[int]string {
	s, ok := d.resolve(descriptor["FontFile"]).(*Stream)
	if !ok {
		return nil
	}
	data, err := d.decode(s)
	if err != nil {
		return nil
	}
	if n, ok := asInt(d.resolve(s.Dict["Length1"])); ok && n > 0 && n < int64(len(data)) {
		data = data[:n]
	}
	i := bytes.Index(data, []byte("/Encoding"))
	if i < 0 {
		return nil
	}
	names := map[int]string{}
	p := parser{data: data[i:]}
	var prev []Object
	for n := 0; n < 4096; n++ {
		o, err := p.readObject()
		if err != nil {
			break
		}
		if k, ok := o.(keyword); ok {
			if k == "readonly" || k == "def" || k == "currentdict" {
				break
			}
			if k == "put" && len(prev) >= 2 {
				code, ok1 := asInt(prev[len(prev)-2])
				name, ok2 := prev[len(prev)-1].(Name)
				if ok1 && ok2 && code >= 0 && code < 256 {
					names[int(code)] = string(name)
				}
			}
			prev = prev[:0]
			continue
		}
		prev = append(prev, o)
	}
	if len(names) == 0 {
		return nil
	}
	return names
}

// cidWidths reads a CIDFont's /W array: "c [w1 w2 …]" and "cFirst cLast w".
func (d *Document) cidWidths(o Object) map[int]float64 {
	a, ok := d.resolve(o).(Array)
	if !ok {
		return nil
	}
	w := map[int]float64{}
	for i := 0; i < len(a); {
		first, ok := asInt(d.resolve(a[i]))
		if !ok || i+1 >= len(a) {
			break
		}
		if list, ok := d.resolve(a[i+1]).(Array); ok {
			for j, v := range list {
				n, _ := asNumber(d.resolve(v))
				w[int(first)+j] = n
			}
			i += 2
			continue
		}
		if i+2 >= len(a) {
			break
		}
		last, _ := asInt(d.resolve(a[i+1]))
		n, _ := asNumber(d.resolve(a[i+2]))
		if last-first > 65535 || last < first {
			i += 3
			continue
		}
		for c := first; c <= last; c++ {
			w[int(c)] = n
		}
		i += 3
	}
	return w
}

// codes splits a shown string into glyph codes.
func (f *font) codes(s []byte, out []glyphCode) []glyphCode {
	if !f.composite {
		for _, c := range s {
			g := glyphCode{space: c == ' '}
			if f.toUnicode != nil {
				g.text, g.known = f.toUnicode.lookup(1, uint32(c))
				if !g.known {
					// Some writers give simple fonts two-byte source codes.
					g.text, g.known = f.toUnicode.lookup(2, uint32(c))
				}
			}
			if !g.known && f.hasText[c] {
				g.text, g.known = f.text[c], true
			}
			if !g.known && !f.undecodable && c >= 0x20 {
				g.text = string(rune(c)) // a guess for fonts without any encoding
			}
			w := f.missing
			if i := int(c) - f.firstChar; i >= 0 && i < len(f.widths) && f.widths[i] > 0 {
				w = f.widths[i]
			}
			g.width = w * f.type3Scale
			out = append(out, g)
		}
		return out
	}
	for i := 0; i < len(s); {
		n := 0
		if f.encoding != nil {
			n = f.encoding.codeLength(s[i:])
		}
		if n == 0 {
			// Identity and predefined encodings: two bytes, whatever the
			// ToUnicode CMap's code space says.
			n = 2
		}
		if i+n > len(s) {
			n = len(s) - i
		}
		code := bytesToCode(s[i : i+n])
		i += n
		g := glyphCode{space: n == 1 && code == 32}
		if f.toUnicode != nil {
			g.text, g.known = f.toUnicode.lookup(n, code)
		}
		if !g.known && f.ucs2 {
			g.text, g.known = utf16String([]uint16{uint16(code)}), true
		}
		cid := int(code)
		if f.encoding != nil {
			if c, ok := f.encoding.cid(n, code); ok {
				cid = c
			}
		}
		w := f.cidDW
		if v, ok := f.cidW[cid]; ok {
			w = v
		}
		g.width = w * 0.001
		out = append(out, g)
	}
	return out
}
