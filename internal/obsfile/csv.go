package obsfile

import (
	"bytes"
	"unicode/utf16"
	"unicode/utf8"
)

// readCSV reads a delimited text file into t.
func readCSV(t *table, data []byte) {
	data, t.data.Encoding = toUTF8(data)
	r := &csvReader{data: data, line: 1}
	r.sep = r.detectSeparator()
	t.data.Delimiter = rune(r.sep)
	t.extraHint = r.sep == ','
	row := 0
	for {
		line := r.line
		cells, issue, ok := r.next()
		if !ok {
			break
		}
		row++
		if !t.header {
			if isBlank(cells) {
				continue
			}
			t.readHeader(row, line, cells)
			if issue != nil {
				t.add(Problem{Row: row, Line: line, ColumnIndex: issue.col + 1, Kind: issue.kind, Value: clip(issue.value)})
			}
			continue
		}
		if issue != nil {
			// A malformed row is reported as it is and not read: its cells
			// may have run together.
			p := Problem{Row: row, Line: line, ColumnIndex: issue.col + 1, Kind: issue.kind, Value: clip(issue.value)}
			if issue.col < len(t.fieldAt) && t.fieldAt[issue.col] >= 0 {
				p.Column = columnNames[t.fieldAt[issue.col]]
			}
			t.add(p)
			continue
		}
		t.readRow(row, line, cells)
	}
}

// toUTF8 returns data as UTF-8 without a byte order mark, and the encoding
// it was in. Excel writes UTF-8 with a BOM, UTF-16 for "Unicode text", and
// Windows-1252 (ISO-8859-1 with a few more letters) for plain "CSV".
func toUTF8(data []byte) ([]byte, string) {
	switch {
	case bytes.HasPrefix(data, []byte{0xef, 0xbb, 0xbf}):
		data = data[3:]
		if utf8.Valid(data) {
			return data, "UTF-8 BOM"
		}
		return fromLatin1(data), "UTF-8 BOM with Windows-1252"
	case bytes.HasPrefix(data, []byte{0xff, 0xfe}):
		return fromUTF16(data[2:], false), "UTF-16LE"
	case bytes.HasPrefix(data, []byte{0xfe, 0xff}):
		return fromUTF16(data[2:], true), "UTF-16BE"
	case utf8.Valid(data):
		return data, "UTF-8"
	}
	return fromLatin1(data), "Windows-1252"
}

// cp1252 holds the letters Windows-1252 puts where ISO-8859-1 has control
// codes; the en dash (0x96) is one of SCB's missing-value symbols.
var cp1252 = [32]rune{
	'€', 0x81, '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', 0x8d, 'Ž', 0x8f,
	0x90, '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', 0x9d, 'ž', 'Ÿ',
}

// fromLatin1 decodes bytes that are not UTF-8 as Windows-1252 and keeps
// those that are: a file edited by two programs can hold both.
func fromLatin1(data []byte) []byte {
	out := make([]byte, 0, len(data)+len(data)/8)
	for i := 0; i < len(data); {
		c := data[i]
		if c < utf8.RuneSelf {
			out = append(out, c)
			i++
			continue
		}
		if r, n := utf8.DecodeRune(data[i:]); r != utf8.RuneError || n > 1 {
			out = append(out, data[i:i+n]...)
			i += n
			continue
		}
		r := rune(c)
		if c >= 0x80 && c < 0xa0 {
			r = cp1252[c-0x80]
		}
		out = utf8.AppendRune(out, r)
		i++
	}
	return out
}

func fromUTF16(data []byte, bigEndian bool) []byte {
	units := make([]uint16, len(data)/2)
	for i := range units {
		if bigEndian {
			units[i] = uint16(data[2*i])<<8 | uint16(data[2*i+1])
		} else {
			units[i] = uint16(data[2*i+1])<<8 | uint16(data[2*i])
		}
	}
	out := make([]byte, 0, len(units)+len(units)/4)
	for _, r := range utf16.Decode(units) {
		out = utf8.AppendRune(out, r)
	}
	return out
}

// csvReader splits RFC 4180 text into records without copying: cells are
// slices of the input unless a quoted cell holds doubled quotes.
type csvReader struct {
	data  []byte
	pos   int
	line  int // the line at pos, 1-based
	sep   byte
	cells [][]byte
}

// csvIssue is a record that is not well-formed.
type csvIssue struct {
	kind  Kind
	col   int // 0-based
	value []byte
}

// detectSeparator reads Excel's "sep=;" line if there is one, and
// otherwise picks the commonest of semicolon, tab and comma outside quotes
// on the first non-blank line.
func (r *csvReader) detectSeparator() byte {
	d := r.data
	if len(d) >= 5 && bytes.EqualFold(d[:4], []byte("sep=")) && d[4] != '"' && d[4] != '\n' && d[4] != '\r' && d[4] < utf8.RuneSelf {
		end := 5
		for end < len(d) && d[end] != '\n' && d[end] != '\r' {
			end++
		}
		if len(bytes.TrimSpace(d[5:end])) == 0 {
			sep := d[4]
			r.pos = end
			if r.pos < len(d) && d[r.pos] == '\r' {
				r.pos++
			}
			if r.pos < len(d) && d[r.pos] == '\n' {
				r.pos++
			}
			r.line = 2
			return sep
		}
	}
	i := r.pos
	for i < len(d) && (d[i] == '\n' || d[i] == '\r') {
		i++
	}
	var semi, tab, comma int
	quoted := false
	for ; i < len(d); i++ {
		c := d[i]
		if c == '"' {
			quoted = !quoted
			continue
		}
		if quoted {
			continue
		}
		if c == '\n' || c == '\r' {
			break
		}
		switch c {
		case ';':
			semi++
		case '\t':
			tab++
		case ',':
			comma++
		}
	}
	switch {
	case semi > 0 && semi >= tab && semi >= comma:
		return ';'
	case tab > 0 && tab >= comma:
		return '\t'
	}
	return ','
}

// next reads one record. ok is false at the end of the input. A blank
// line is a record of one empty cell, so that rows count as in Excel.
func (r *csvReader) next() (cells [][]byte, issue *csvIssue, ok bool) {
	d, n, sep := r.data, len(r.data), r.sep
	if r.pos >= n {
		return nil, nil, false
	}
	cells = r.cells[:0]
	defer func() { r.cells = cells }()
	for {
		p := r.pos
		// Spaces before an opening quote are allowed, as some programs
		// write them.
		q := p
		for q < n && (d[q] == ' ' || d[q] == '\t' && sep != '\t') {
			q++
		}
		if q < n && d[q] == '"' {
			open := q
			q++
			start := q
			var cell []byte
			copied := false
			for {
				k := bytes.IndexByte(d[q:], '"')
				if k < 0 {
					// Unclosed: the rest of the input is this cell.
					r.line += bytes.Count(d[open:], []byte{'\n'})
					cells = append(cells, d[start:])
					r.pos = n
					return cells, &csvIssue{kind: KindUnclosedQuote, col: len(cells) - 1, value: d[open:]}, true
				}
				k += q
				if k+1 < n && d[k+1] == '"' {
					cell = append(cell, d[start:k+1]...)
					copied = true
					q = k + 2
					start = q
					continue
				}
				if copied {
					cell = append(cell, d[start:k]...)
				} else {
					cell = d[start:k]
				}
				r.line += bytes.Count(d[open:k], []byte{'\n'})
				p = k + 1
				break
			}
			for p < n && (d[p] == ' ' || d[p] == '\t' && sep != '\t') {
				p++
			}
			if p < n && d[p] != sep && d[p] != '\n' && d[p] != '\r' {
				end := p
				for end < n && d[end] != sep && d[end] != '\n' && d[end] != '\r' {
					end++
				}
				if issue == nil {
					issue = &csvIssue{kind: KindTextAfterQuote, col: len(cells), value: d[open:end]}
				}
				p = end
			}
			cells = append(cells, cell)
		} else {
			for p < n {
				c := d[p]
				if c == sep || c == '\n' || c == '\r' {
					break
				}
				p++
			}
			cells = append(cells, d[r.pos:p])
		}
		if p >= n {
			r.pos = n
			r.line++
			return cells, issue, true
		}
		if d[p] == sep {
			r.pos = p + 1
			continue
		}
		// End of line: LF, CRLF or a lone CR (old Mac Excel).
		if d[p] == '\r' && p+1 < n && d[p+1] == '\n' {
			p++
		}
		r.pos = p + 1
		r.line++
		return cells, issue, true
	}
}
