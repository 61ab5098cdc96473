package pdf

import (
	"bytes"
	"compress/flate"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
)

// budget caps the bytes all decoded streams of one document may add up to,
// so a small file cannot expand into gigabytes (a "PDF bomb").
type budget struct {
	remaining int64
}

func (b *budget) take(n int) error {
	b.remaining -= int64(n)
	if b.remaining < 0 {
		return fmt.Errorf("%w: decoded streams exceed the size limit", ErrTooLarge)
	}
	return nil
}

// readLimited reads r to the end, failing when it yields more than the
// budget allows. A stream that ends early or with a bad checksum keeps what
// was decoded: damaged but readable streams are common in the wild.
func (b *budget) readLimited(r io.Reader) ([]byte, error) {
	var buf bytes.Buffer
	n, err := io.Copy(&buf, io.LimitReader(r, b.remaining+1))
	if n > b.remaining {
		return nil, fmt.Errorf("%w: decoded streams exceed the size limit", ErrTooLarge)
	}
	b.remaining -= n
	if err != nil && buf.Len() == 0 {
		return nil, err
	}
	return buf.Bytes(), nil
}

// decodeFilters applies the stream's /Filter chain with its /DecodeParms.
func decodeFilters(data []byte, dict Dict, resolve func(Object) Object, bud *budget) ([]byte, error) {
	var filters []Name
	var params []Dict
	switch f := resolve(dict["Filter"]).(type) {
	case Name:
		filters = []Name{f}
		p, _ := resolve(dict["DecodeParms"]).(Dict)
		params = []Dict{p}
	case Array:
		pa, _ := resolve(dict["DecodeParms"]).(Array)
		for i, o := range f {
			filters = append(filters, asName(resolve(o)))
			var p Dict
			if i < len(pa) {
				p, _ = resolve(pa[i]).(Dict)
			}
			params = append(params, p)
		}
	}
	if len(filters) > 8 {
		return nil, damaged("too many filters on one stream")
	}
	for i, f := range filters {
		var err error
		switch f {
		case "FlateDecode", "Fl":
			data, err = inflate(data, bud)
			if err == nil {
				data, err = unpredict(data, params[i], resolve)
			}
		case "LZWDecode", "LZW":
			early := true
			if v, ok := asInt(resolve(params[i]["EarlyChange"])); ok && v == 0 {
				early = false
			}
			data, err = lzwDecode(data, early, bud)
			if err == nil {
				data, err = unpredict(data, params[i], resolve)
			}
		case "ASCIIHexDecode", "AHx":
			data = asciiHexDecode(data)
		case "ASCII85Decode", "A85":
			data, err = ascii85Decode(data)
		case "RunLengthDecode", "RL":
			data, err = runLengthDecode(data, bud)
		case "Crypt":
			// Only the Identity crypt filter is used on its own; decryption
			// proper happens before the filters.
		default:
			return nil, fmt.Errorf("unsupported filter %s", f)
		}
		if err != nil {
			return nil, err
		}
	}
	return data, nil
}

func inflate(data []byte, bud *budget) ([]byte, error) {
	zr, err := zlib.NewReader(bytes.NewReader(data))
	if err != nil {
		// Some producers write raw deflate data without the zlib header.
		return bud.readLimited(flate.NewReader(bytes.NewReader(data)))
	}
	defer zr.Close()
	return bud.readLimited(zr)
}

// unpredict undoes a PNG (10–15) or TIFF (2) predictor.
func unpredict(data []byte, params Dict, resolve func(Object) Object) ([]byte, error) {
	if params == nil {
		return data, nil
	}
	predictor, _ := asInt(resolve(params["Predictor"]))
	if predictor <= 1 {
		return data, nil
	}
	colors, bpc, columns := int64(1), int64(8), int64(1)
	if v, ok := asInt(resolve(params["Colors"])); ok {
		colors = v
	}
	if v, ok := asInt(resolve(params["BitsPerComponent"])); ok {
		bpc = v
	}
	if v, ok := asInt(resolve(params["Columns"])); ok {
		columns = v
	}
	if colors < 1 || colors > 32 || bpc < 1 || bpc > 16 || columns < 1 || columns > 1<<20 {
		return nil, damaged("bad predictor parameters")
	}
	bytesPerPixel := int((colors*bpc + 7) / 8)
	rowLen := int((colors*bpc*columns + 7) / 8)
	if predictor == 2 {
		if bpc != 8 {
			return data, nil // rare; leave the data as it is
		}
		out := append([]byte(nil), data...)
		for row := 0; row+rowLen <= len(out); row += rowLen {
			for i := bytesPerPixel; i < rowLen; i++ {
				out[row+i] += out[row+i-bytesPerPixel]
			}
		}
		return out, nil
	}
	out := make([]byte, 0, len(data))
	prev := make([]byte, rowLen)
	for pos := 0; pos < len(data); {
		filter := data[pos]
		pos++
		end := pos + rowLen
		if end > len(data) {
			end = len(data)
		}
		row := make([]byte, rowLen)
		copy(row, data[pos:end])
		pos = end
		for i := 0; i < rowLen; i++ {
			var left, upLeft byte
			if i >= bytesPerPixel {
				left = row[i-bytesPerPixel]
				upLeft = prev[i-bytesPerPixel]
			}
			up := prev[i]
			switch filter {
			case 1:
				row[i] += left
			case 2:
				row[i] += up
			case 3:
				row[i] += byte((int(left) + int(up)) / 2)
			case 4:
				row[i] += paeth(left, up, upLeft)
			}
		}
		out = append(out, row...)
		prev = row
	}
	return out, nil
}

func paeth(a, b, c byte) byte {
	p := int(a) + int(b) - int(c)
	pa, pb, pc := abs(p-int(a)), abs(p-int(b)), abs(p-int(c))
	switch {
	case pa <= pb && pa <= pc:
		return a
	case pb <= pc:
		return b
	}
	return c
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

func asciiHexDecode(data []byte) []byte {
	p := parser{data: data}
	return p.readHexString()
}

func ascii85Decode(data []byte) ([]byte, error) {
	var out []byte
	var group [5]byte
	n := 0
	flush := func(count int) {
		var v uint32
		for i := 0; i < 5; i++ {
			v = v*85 + uint32(group[i]-'!')
		}
		b := []byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}
		out = append(out, b[:count]...)
	}
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch {
		case c == '~':
			i = len(data)
		case c == 'z' && n == 0:
			out = append(out, 0, 0, 0, 0)
		case c >= '!' && c <= 'u':
			group[n] = c
			n++
			if n == 5 {
				flush(4)
				n = 0
			}
		case isSpace(c):
		default:
			return nil, damaged("bad ASCII85 data")
		}
	}
	if n > 1 {
		for i := n; i < 5; i++ {
			group[i] = 'u'
		}
		flush(n - 1)
	}
	return out, nil
}

func runLengthDecode(data []byte, bud *budget) ([]byte, error) {
	var out []byte
	for i := 0; i < len(data); {
		n := int(data[i])
		i++
		switch {
		case n == 128:
			return out, bud.take(len(out))
		case n < 128:
			end := i + n + 1
			if end > len(data) {
				end = len(data)
			}
			out = append(out, data[i:end]...)
			i = end
		default:
			if i < len(data) {
				out = append(out, bytes.Repeat(data[i:i+1], 257-n)...)
				i++
			}
		}
		if int64(len(out)) > bud.remaining {
			return nil, fmt.Errorf("%w: decoded streams exceed the size limit", ErrTooLarge)
		}
	}
	return out, bud.take(len(out))
}

// lzwDecode implements PDF's LZW variant (MSB-first codes of 9–12 bits,
// clear 256, end 257, by default switching width one code early), which
// compress/lzw does not.
func lzwDecode(data []byte, earlyChange bool, bud *budget) ([]byte, error) {
	var out []byte
	table := make([][]byte, 258, 4096)
	reset := func() {
		table = table[:258]
		for i := 0; i < 256; i++ {
			table[i] = []byte{byte(i)}
		}
	}
	reset()
	width := 9
	var bitBuf uint32
	bits := 0
	var prev []byte
	early := 0
	if earlyChange {
		early = 1
	}
	for i := 0; ; {
		for bits < width && i < len(data) {
			bitBuf = bitBuf<<8 | uint32(data[i])
			bits += 8
			i++
		}
		if bits < width {
			break
		}
		code := int(bitBuf>>(bits-width)) & (1<<width - 1)
		bits -= width
		if code == 256 {
			reset()
			width = 9
			prev = nil
			continue
		}
		if code == 257 {
			break
		}
		var entry []byte
		switch {
		case code < len(table):
			entry = table[code]
		case code == len(table) && prev != nil:
			entry = append(append([]byte(nil), prev...), prev[0])
		default:
			return out, errors.New("bad LZW code")
		}
		out = append(out, entry...)
		if int64(len(out)) > bud.remaining {
			return nil, fmt.Errorf("%w: decoded streams exceed the size limit", ErrTooLarge)
		}
		if prev != nil && len(table) < 4096 {
			table = append(table, append(append([]byte(nil), prev...), entry[0]))
		}
		prev = entry
		if len(table)+early >= 1<<width && width < 12 {
			width++
		}
	}
	return out, bud.take(len(out))
}
