package pdf

import (
	"bytes"
	"errors"
	"strconv"
)

// maxNesting bounds arrays and dictionaries inside each other, so a hostile
// "[[[[…" cannot exhaust the stack.
const maxNesting = 64

var errEOF = errors.New("unexpected end of data")

// parser reads objects from PDF syntax: the file body, object streams,
// content streams and CMaps share it.
type parser struct {
	data  []byte
	pos   int
	depth int
	// allowRefs is false in content streams, where "1 0 R" is not a
	// reference but operands followed by an operator.
	allowRefs bool
}

func isSpace(c byte) bool {
	switch c {
	case 0, '\t', '\n', '\f', '\r', ' ':
		return true
	}
	return false
}

func isDelimiter(c byte) bool {
	switch c {
	case '(', ')', '<', '>', '[', ']', '{', '}', '/', '%':
		return true
	}
	return false
}

func isRegular(c byte) bool { return !isSpace(c) && !isDelimiter(c) }

// skipSpace skips white space and comments.
func (p *parser) skipSpace() {
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		if isSpace(c) {
			p.pos++
			continue
		}
		if c == '%' {
			for p.pos < len(p.data) && p.data[p.pos] != '\n' && p.data[p.pos] != '\r' {
				p.pos++
			}
			continue
		}
		return
	}
}

// readObject reads the next object. Structural tokens ("]", ">>", "}", "{")
// and operators come back as keywords.
func (p *parser) readObject() (Object, error) {
	p.skipSpace()
	if p.pos >= len(p.data) {
		return nil, errEOF
	}
	c := p.data[p.pos]
	switch {
	case c == '/':
		p.pos++
		return p.readName(), nil
	case c == '(':
		p.pos++
		return p.readLiteralString()
	case c == '<':
		if p.pos+1 < len(p.data) && p.data[p.pos+1] == '<' {
			p.pos += 2
			return p.readDict()
		}
		p.pos++
		return p.readHexString(), nil
	case c == '>':
		if p.pos+1 < len(p.data) && p.data[p.pos+1] == '>' {
			p.pos += 2
			return keyword(">>"), nil
		}
		p.pos++
		return keyword(">"), nil
	case c == '[':
		p.pos++
		return p.readArray()
	case c == ']' || c == '{' || c == '}' || c == ')':
		p.pos++
		return keyword(string(c)), nil
	case c == '+' || c == '-' || c == '.' || (c >= '0' && c <= '9'):
		return p.readNumberOrRef(), nil
	}
	start := p.pos
	for p.pos < len(p.data) && isRegular(p.data[p.pos]) {
		p.pos++
	}
	word := string(p.data[start:p.pos])
	switch word {
	case "true":
		return true, nil
	case "false":
		return false, nil
	case "null":
		return nil, nil
	}
	return keyword(word), nil
}

func (p *parser) readName() Name {
	var b []byte
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		if !isRegular(c) {
			break
		}
		if c == '#' && p.pos+2 < len(p.data) {
			if v, err := strconv.ParseUint(string(p.data[p.pos+1:p.pos+3]), 16, 8); err == nil {
				b = append(b, byte(v))
				p.pos += 3
				continue
			}
		}
		b = append(b, c)
		p.pos++
	}
	return Name(b)
}

func (p *parser) readLiteralString() (Object, error) {
	var b []byte
	depth := 1
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		p.pos++
		switch c {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return String(b), nil
			}
		case '\\':
			if p.pos >= len(p.data) {
				return String(b), errEOF
			}
			e := p.data[p.pos]
			p.pos++
			switch e {
			case 'n':
				c = '\n'
			case 'r':
				c = '\r'
			case 't':
				c = '\t'
			case 'b':
				c = '\b'
			case 'f':
				c = '\f'
			case '\r':
				if p.pos < len(p.data) && p.data[p.pos] == '\n' {
					p.pos++
				}
				continue
			case '\n':
				continue
			default:
				if e >= '0' && e <= '7' {
					v := int(e - '0')
					for i := 0; i < 2 && p.pos < len(p.data) && p.data[p.pos] >= '0' && p.data[p.pos] <= '7'; i++ {
						v = v*8 + int(p.data[p.pos]-'0')
						p.pos++
					}
					c = byte(v)
				} else {
					c = e
				}
			}
		}
		b = append(b, c)
	}
	return String(b), errEOF
}

func unhex(c byte) (byte, bool) {
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

// readHexString reads up to ">", ignoring anything that is not a hex digit;
// an odd final digit counts as followed by 0.
func (p *parser) readHexString() String {
	var b []byte
	var hi byte
	half := false
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		p.pos++
		if c == '>' {
			break
		}
		v, ok := unhex(c)
		if !ok {
			continue
		}
		if half {
			b = append(b, hi<<4|v)
		} else {
			hi = v
		}
		half = !half
	}
	if half {
		b = append(b, hi<<4)
	}
	return String(b)
}

func (p *parser) readArray() (Object, error) {
	if p.depth >= maxNesting {
		return nil, damaged("objects nested too deeply")
	}
	p.depth++
	defer func() { p.depth-- }()
	var a Array
	for {
		o, err := p.readObject()
		if err != nil {
			return a, err
		}
		if k, ok := o.(keyword); ok {
			if k == "]" {
				return a, nil
			}
			if k == ">>" || k == "endobj" || k == "stream" {
				return a, damaged("unterminated array")
			}
		}
		a = append(a, o)
	}
}

func (p *parser) readDict() (Object, error) {
	if p.depth >= maxNesting {
		return nil, damaged("objects nested too deeply")
	}
	p.depth++
	defer func() { p.depth-- }()
	d := Dict{}
	for {
		o, err := p.readObject()
		if err != nil {
			return d, err
		}
		key, ok := o.(Name)
		if !ok {
			if k, isKeyword := o.(keyword); isKeyword && k == ">>" {
				return d, nil
			}
			if k, isKeyword := o.(keyword); isKeyword && (k == "endobj" || k == "stream") {
				return d, damaged("unterminated dictionary")
			}
			continue // a stray value: skip it rather than give up
		}
		v, err := p.readObject()
		if err != nil {
			return d, err
		}
		if k, isKeyword := v.(keyword); isKeyword && k == ">>" {
			return d, nil // a key without value at the end
		}
		if v != nil {
			d[key] = v
		}
	}
}

// readNumberOrRef reads a number; in file syntax "int int R" is a reference.
func (p *parser) readNumberOrRef() Object {
	n := p.readNumber()
	i, isInt := n.(int64)
	if !isInt || !p.allowRefs || i < 0 {
		return n
	}
	save := p.pos
	p.skipSpace()
	gen, ok := p.readUnsigned()
	if ok {
		p.skipSpace()
		if p.pos < len(p.data) && p.data[p.pos] == 'R' && (p.pos+1 == len(p.data) || !isRegular(p.data[p.pos+1])) {
			p.pos++
			return Ref{Num: int(i), Gen: int(gen)}
		}
	}
	p.pos = save
	return n
}

func (p *parser) readUnsigned() (int64, bool) {
	start := p.pos
	for p.pos < len(p.data) && p.data[p.pos] >= '0' && p.data[p.pos] <= '9' {
		p.pos++
	}
	if p.pos == start || (p.pos < len(p.data) && p.data[p.pos] == '.') {
		p.pos = start
		return 0, false
	}
	v, err := strconv.ParseInt(string(p.data[start:p.pos]), 10, 64)
	if err != nil {
		p.pos = start
		return 0, false
	}
	return v, true
}

// readNumber is lenient like other readers: "--5", "1.2.3" and "-" parse to
// something rather than failing the whole file.
func (p *parser) readNumber() Object {
	start := p.pos
	real := false
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		if c == '.' {
			real = true
		} else if !(c >= '0' && c <= '9') && !(c == '+' || c == '-') {
			break
		}
		p.pos++
	}
	tok := p.data[start:p.pos]
	// Keep the sign and the first run of the number only.
	sign := 1.0
	for len(tok) > 0 && (tok[0] == '+' || tok[0] == '-') {
		if tok[0] == '-' {
			sign = -1
		}
		tok = tok[1:]
	}
	if i := bytes.IndexAny(tok, "+-"); i >= 0 {
		tok = tok[:i]
	}
	if real {
		if i := bytes.IndexByte(tok, '.'); i >= 0 {
			if j := bytes.IndexByte(tok[i+1:], '.'); j >= 0 {
				tok = tok[:i+1+j]
			}
		}
		f, err := strconv.ParseFloat(string(tok), 64)
		if err != nil {
			return 0.0
		}
		return sign * f
	}
	v, err := strconv.ParseInt(string(tok), 10, 64)
	if err != nil {
		f, _ := strconv.ParseFloat(string(tok), 64) // too long for int64
		return sign * f
	}
	if sign < 0 {
		v = -v
	}
	return v
}

// readKeyword reads a bare word if one comes next.
func (p *parser) readKeyword() (keyword, bool) {
	p.skipSpace()
	start := p.pos
	for p.pos < len(p.data) && isRegular(p.data[p.pos]) {
		p.pos++
	}
	if p.pos == start {
		return "", false
	}
	return keyword(p.data[start:p.pos]), true
}

// hasPrefixAt reports whether data[pos:] starts with s.
func hasPrefixAt(data []byte, pos int, s string) bool {
	return pos >= 0 && pos+len(s) <= len(data) && string(data[pos:pos+len(s)]) == s
}
