package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
)

// xrefEntry locates one object: at an offset in the file, or as the index-th
// object of an object stream.
type xrefEntry struct {
	inStream bool
	offset   int64 // file offset, or the object stream's number
	index    int
}

// maxXrefSections bounds /Prev chains, which a hostile file can make cyclic
// or endless.
const maxXrefSections = 1024

// readXref reads the cross-reference sections from the last startxref
// through the /Prev chain; newer sections win.
func (d *Document) readXref() error {
	start, err := d.findStartxref()
	if err != nil {
		return err
	}
	seen := map[int64]bool{}
	queue := []int64{start}
	for len(queue) > 0 {
		off := queue[0]
		queue = queue[1:]
		if seen[off] {
			continue
		}
		if len(seen) >= maxXrefSections {
			return damaged("too many cross-reference sections")
		}
		seen[off] = true
		trailer, err := d.readXrefSection(off, seen)
		if err != nil {
			return err
		}
		if d.trailer == nil {
			d.trailer = trailer
		} else {
			for k, v := range trailer {
				if _, ok := d.trailer[k]; !ok && k != "Prev" && k != "XRefStm" {
					d.trailer[k] = v
				}
			}
		}
		if prev, ok := asInt(trailer["Prev"]); ok && prev >= 0 {
			queue = append(queue, prev)
		}
	}
	if d.trailer["Root"] == nil {
		return damaged("no document catalog in the trailer")
	}
	return nil
}

func (d *Document) findStartxref() (int64, error) {
	tail := d.data
	if len(tail) > 4096 {
		tail = tail[len(tail)-4096:]
	}
	i := bytes.LastIndex(tail, []byte("startxref"))
	if i < 0 {
		return 0, damaged("no startxref (is the file truncated?)")
	}
	p := parser{data: tail, pos: i + len("startxref")}
	p.skipSpace()
	off, ok := p.readUnsigned()
	if !ok || off >= int64(len(d.data)) {
		return 0, damaged("bad startxref")
	}
	return off, nil
}

// readXrefSection reads a classic table with its trailer, or a
// cross-reference stream, at off. A hybrid file's /XRefStm is read as part
// of the same section, after the table (whose entries win).
func (d *Document) readXrefSection(off int64, seen map[int64]bool) (Dict, error) {
	p := parser{data: d.data, pos: int(off), allowRefs: true}
	p.skipSpace()
	if hasPrefixAt(d.data, p.pos, "xref") {
		p.pos += 4
		// A hybrid file's table marks the objects in object streams free;
		// its /XRefStm knows them, so it is read first.
		save := p.pos
		trailer, err := d.skipXrefTable(&p)
		if err != nil {
			return nil, err
		}
		if stm, ok := asInt(trailer["XRefStm"]); ok && stm >= 0 && stm < int64(len(d.data)) && !seen[stm] {
			seen[stm] = true
			if _, err := d.readXrefStream(stm); err != nil {
				return nil, err
			}
		}
		p.pos = save
		return d.readXrefTable(&p)
	}
	return d.readXrefStream(off)
}

// skipXrefTable reads just the trailer after a table.
func (d *Document) skipXrefTable(p *parser) (Dict, error) {
	i := bytes.Index(d.data[p.pos:], []byte("trailer"))
	if i < 0 {
		return nil, damaged("no trailer after the cross-reference table")
	}
	q := parser{data: d.data, pos: p.pos + i + len("trailer"), allowRefs: true}
	o, err := q.readObject()
	trailer, ok := o.(Dict)
	if err != nil || !ok {
		return nil, damaged("bad trailer")
	}
	return trailer, nil
}

func (d *Document) readXrefTable(p *parser) (Dict, error) {
	for {
		p.skipSpace()
		if hasPrefixAt(p.data, p.pos, "trailer") {
			p.pos += len("trailer")
			o, err := p.readObject()
			trailer, ok := o.(Dict)
			if err != nil || !ok {
				return nil, damaged("bad trailer")
			}
			return trailer, nil
		}
		first, ok1 := p.readUnsigned()
		p.skipSpace()
		count, ok2 := p.readUnsigned()
		if !ok1 || !ok2 || count > int64(len(p.data)/18+1) {
			return nil, damaged("bad cross-reference table")
		}
		for i := int64(0); i < count; i++ {
			p.skipSpace()
			offset, ok1 := p.readUnsigned()
			p.skipSpace()
			_, ok2 := p.readUnsigned()
			kind, ok3 := p.readKeyword()
			if !ok1 || !ok2 || !ok3 {
				return nil, damaged("bad cross-reference entry")
			}
			num := int(first + i)
			if _, known := d.xref[num]; known {
				continue
			}
			if kind == "n" && offset > 0 {
				d.xref[num] = xrefEntry{offset: offset}
			} else if kind == "f" {
				d.xref[num] = xrefEntry{offset: -1} // free: newer sections hide older ones
			}
		}
	}
}

func (d *Document) readXrefStream(off int64) (Dict, error) {
	_, o, err := d.readIndirectAt(off)
	if err != nil {
		return nil, err
	}
	s, ok := o.(*Stream)
	if !ok || asName(s.Dict["Type"]) != "XRef" {
		return nil, damaged("no cross-reference at offset %d", off)
	}
	data, err := decodeFilters(s.raw, s.Dict, d.resolve, d.budget)
	if err != nil {
		return nil, damaged("cross-reference stream: %v", err)
	}
	wa, _ := s.Dict["W"].(Array)
	if len(wa) != 3 {
		return nil, damaged("bad /W in cross-reference stream")
	}
	var w [3]int
	rowLen := 0
	for i := range w {
		v, _ := asInt(wa[i])
		if v < 0 || v > 8 {
			return nil, damaged("bad /W in cross-reference stream")
		}
		w[i] = int(v)
		rowLen += w[i]
	}
	if rowLen == 0 {
		return nil, damaged("bad /W in cross-reference stream")
	}
	size, _ := asInt(s.Dict["Size"])
	index := []int64{0, size}
	if ia, ok := s.Dict["Index"].(Array); ok {
		index = index[:0]
		for _, v := range ia {
			n, _ := asInt(v)
			index = append(index, n)
		}
	}
	field := func(row []byte, i, start int) int64 {
		var v int64
		for _, b := range row[start : start+w[i]] {
			v = v<<8 | int64(b)
		}
		return v
	}
	pos := 0
	for i := 0; i+1 < len(index); i += 2 {
		first, count := index[i], index[i+1]
		if first < 0 || count < 0 || count > int64(len(data)/rowLen+1) {
			return nil, damaged("bad /Index in cross-reference stream")
		}
		for j := int64(0); j < count && pos+rowLen <= len(data); j++ {
			row := data[pos : pos+rowLen]
			pos += rowLen
			kind := int64(1)
			if w[0] > 0 {
				kind = field(row, 0, 0)
			}
			f2, f3 := field(row, 1, w[0]), field(row, 2, w[0]+w[1])
			num := int(first + j)
			if _, known := d.xref[num]; known {
				continue
			}
			switch kind {
			case 0:
				d.xref[num] = xrefEntry{offset: -1}
			case 1:
				d.xref[num] = xrefEntry{offset: f2}
			case 2:
				d.xref[num] = xrefEntry{inStream: true, offset: f2, index: int(f3)}
			}
		}
	}
	return s.Dict, nil
}

// readIndirectAt parses "num gen obj … endobj" at off.
func (d *Document) readIndirectAt(off int64) (Ref, Object, error) {
	if off < 0 || off >= int64(len(d.data)) {
		return Ref{}, nil, damaged("object offset %d outside the file", off)
	}
	// An object ends at the next "endobj": parsing a broken one must not
	// run on through the rest of the file, once per object.
	p := parser{data: d.data[:d.nextMarker("endobj", int(off))], pos: int(off), allowRefs: true}
	p.skipSpace()
	num, ok1 := p.readUnsigned()
	p.skipSpace()
	gen, ok2 := p.readUnsigned()
	kw, ok3 := p.readKeyword()
	if !ok1 || !ok2 || !ok3 || kw != "obj" {
		return Ref{}, nil, damaged("no object at offset %d", off)
	}
	ref := Ref{Num: int(num), Gen: int(gen)}
	o, err := p.readObject()
	if err != nil && !errors.Is(err, errEOF) {
		return ref, nil, err
	}
	dict, isDict := o.(Dict)
	if !isDict {
		return ref, o, nil
	}
	save := p.pos
	if kw, ok := p.readKeyword(); !ok || kw != "stream" {
		p.pos = save
		return ref, dict, nil
	}
	// The data starts after CRLF or LF (some writers put a lone CR).
	if p.pos < len(d.data) && d.data[p.pos] == '\r' {
		p.pos++
	}
	if p.pos < len(d.data) && d.data[p.pos] == '\n' {
		p.pos++
	}
	start := p.pos
	end := -1
	if n, ok := asInt(d.resolveLength(dict["Length"], ref)); ok && n >= 0 && int64(start)+n <= int64(len(d.data)) {
		e := start + int(n)
		q := parser{data: d.data, pos: e}
		q.skipSpace()
		if hasPrefixAt(d.data, q.pos, "endstream") {
			end = e
		}
	}
	if end < 0 {
		// A wrong /Length: look for the end marker instead.
		end = d.nextMarker("endstream", start)
		if end == len(d.data) {
			return ref, nil, damaged("stream of object %d has no end (is the file truncated?)", num)
		}
		for end > start && (d.data[end-1] == '\n' || d.data[end-1] == '\r') {
			end--
		}
	}
	return ref, &Stream{Dict: dict, raw: d.data[start:end], ref: ref}, nil
}

// nextMarker is the offset of the first "endobj" or "endstream" at or
// after from, or the file's length. The markers' offsets are found once.
func (d *Document) nextMarker(marker string, from int) int {
	offsets, ok := d.markers[marker]
	if !ok {
		for i := 0; ; {
			j := bytes.Index(d.data[i:], []byte(marker))
			if j < 0 {
				break
			}
			offsets = append(offsets, i+j)
			i += j + len(marker)
		}
		if d.markers == nil {
			d.markers = map[string][]int{}
		}
		d.markers[marker] = offsets
	}
	k := sort.SearchInts(offsets, from)
	if k == len(offsets) {
		return len(d.data)
	}
	return offsets[k]
}

// resolveLength resolves a stream's /Length, which may be an indirect
// object; a reference back to the stream itself resolves to nothing.
func (d *Document) resolveLength(o Object, self Ref) Object {
	if r, ok := o.(Ref); ok && r.Num == self.Num {
		return nil
	}
	return d.resolve(o)
}

// rebuildXref scans the whole file for "num gen obj" when the
// cross-reference is missing or broken, the way other readers repair files.
func (d *Document) rebuildXref() error {
	d.repaired = true
	d.xref = map[int]xrefEntry{}
	d.cache = map[int]Object{}
	d.objStreams = map[int]*objectStream{}
	var trailer Dict
	data := d.data
	for i := 0; i < len(data); {
		j := bytes.Index(data[i:], []byte("obj"))
		if j < 0 {
			break
		}
		at := i + j
		i = at + 3
		if at+3 < len(data) && isRegular(data[at+3]) {
			continue
		}
		// Walk back over "num gen ".
		k := at - 1
		for k >= 0 && isSpace(data[k]) {
			k--
		}
		genEnd := k + 1
		for k >= 0 && data[k] >= '0' && data[k] <= '9' {
			k--
		}
		if k+1 == genEnd {
			continue
		}
		for k >= 0 && isSpace(data[k]) && k+1 < genEnd {
			k--
		}
		numEnd := k + 1
		for k >= 0 && data[k] >= '0' && data[k] <= '9' {
			k--
		}
		if k+1 == numEnd || numEnd == genEnd || (k >= 0 && isRegular(data[k])) {
			continue
		}
		var num int
		if _, err := fmt.Sscan(string(data[k+1:numEnd]), &num); err != nil {
			continue
		}
		d.xref[num] = xrefEntry{offset: int64(k + 1)} // later definitions win
	}
	// Trailers: the last classic one, else cross-reference stream dictionaries.
	for i := len(data); ; {
		j := bytes.LastIndex(data[:i], []byte("trailer"))
		if j < 0 {
			break
		}
		p := parser{data: data, pos: j + len("trailer"), allowRefs: true}
		if t, _ := p.readObject(); t != nil {
			if td, ok := t.(Dict); ok && td["Root"] != nil {
				trailer = td
				break
			}
		}
		i = j
	}
	// Objects of object streams the scan found, in file order so that the
	// result does not depend on map order.
	nums := make([]int, 0, len(d.xref))
	for num := range d.xref {
		nums = append(nums, num)
	}
	sort.Slice(nums, func(i, j int) bool { return d.xref[nums[i]].offset < d.xref[nums[j]].offset })
	// Newest first: the last cross-reference stream is the trailer when no
	// classic one was found, and later object streams win.
	for i := len(nums) - 1; i >= 0; i-- {
		num := nums[i]
		_, o, err := d.readIndirectAt(d.xref[num].offset)
		if err != nil {
			continue
		}
		s, ok := o.(*Stream)
		if !ok {
			continue
		}
		switch asName(s.Dict["Type"]) {
		case "XRef":
			if trailer == nil && s.Dict["Root"] != nil {
				trailer = s.Dict
			}
		case "ObjStm":
			os, err := d.parseObjectStream(num, s)
			if err != nil {
				continue
			}
			for idx, n := range os.nums {
				if _, known := d.xref[n]; !known {
					d.xref[n] = xrefEntry{inStream: true, offset: int64(num), index: idx}
				}
			}
		}
	}
	if trailer == nil {
		trailer = Dict{}
	}
	if _, ok := d.resolve(trailer["Root"]).(Dict); !ok {
		// Find the catalog itself, the last one written first.
		for i := len(nums) - 1; i >= 0; i-- {
			num := nums[i]
			o, err := d.load(num)
			if dict, ok := o.(Dict); err == nil && ok && asName(dict["Type"]) == "Catalog" {
				trailer["Root"] = Ref{Num: num}
				break
			}
		}
	}
	if trailer["Root"] == nil {
		return damaged("no document catalog (is the file truncated?)")
	}
	d.trailer = trailer
	return nil
}
