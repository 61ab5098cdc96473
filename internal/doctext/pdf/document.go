package pdf

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf16"
)

// Limits bound the work one document may cause.
type Limits struct {
	// MaxDecodedBytes caps the total size of all decoded streams.
	MaxDecodedBytes int64
	// MaxOperators caps the content stream operators interpreted, over all
	// pages and forms.
	MaxOperators int
	// MaxPages caps the pages read from the page tree.
	MaxPages int
}

// DefaultLimits suit documents of a few hundred pages with a margin of
// one order of magnitude.
var DefaultLimits = Limits{MaxDecodedBytes: 200 << 20, MaxOperators: 50_000_000, MaxPages: 20_000}

// Document is an opened PDF file. It is not safe for concurrent use.
type Document struct {
	data       []byte
	limits     Limits
	xref       map[int]xrefEntry
	trailer    Dict
	cache      map[int]Object
	loading    map[int]bool
	objStreams map[int]*objectStream
	budget     *budget
	crypt      *decrypter
	pages      []pageNode
	fonts      map[Ref]*font
	operators  int
	// repaired is set when the cross-reference had to be rebuilt.
	repaired bool
	markers  map[string][]int // offsets of "endobj" and "endstream"
}

type objectStream struct {
	nums    []int
	offsets []int
	sorted  []int // offsets in order, to find where each object ends
	data    []byte
}

type rect struct{ llx, lly, urx, ury float64 }

type pageNode struct {
	dict      Dict
	resources Dict
	box       rect // the crop box, within the media box
	rotate    int
}

// Open reads the structure of a PDF file: its cross-reference, its
// encryption and its page tree. Pages are interpreted later, one by one.
func Open(data []byte) (*Document, error) {
	return OpenWithLimits(data, DefaultLimits)
}

// OpenWithLimits is Open with other limits.
func OpenWithLimits(data []byte, limits Limits) (doc *Document, err error) {
	defer func() {
		if r := recover(); r != nil {
			doc, err = nil, fmt.Errorf("%w: %v", ErrInternal, r)
		}
	}()
	head := data
	if len(head) > 1024 {
		head = head[:1024]
	}
	if !bytes.Contains(head, []byte("%PDF-")) {
		return nil, ErrNotPDF
	}
	d := &Document{
		data:       data,
		limits:     limits,
		xref:       map[int]xrefEntry{},
		cache:      map[int]Object{},
		loading:    map[int]bool{},
		objStreams: map[int]*objectStream{},
		budget:     &budget{remaining: limits.MaxDecodedBytes},
		fonts:      map[Ref]*font{},
	}
	rebuilt := false
	if err := d.readXref(); err != nil {
		if errors.Is(err, ErrTooLarge) {
			return nil, err
		}
		if err := d.rebuildXref(); err != nil {
			return nil, err
		}
		rebuilt = true
	}
	for {
		err := d.setUp()
		if err == nil {
			return d, nil
		}
		if rebuilt || errors.Is(err, ErrEncrypted) || errors.Is(err, ErrUnsupportedEncryption) || errors.Is(err, ErrTooLarge) {
			return nil, err
		}
		if err := d.rebuildXref(); err != nil {
			return nil, err
		}
		rebuilt = true
	}
}

// setUp authenticates and reads the page tree.
func (d *Document) setUp() error {
	d.crypt = nil
	if enc := d.trailer["Encrypt"]; enc != nil {
		encRef, _ := enc.(Ref)
		encDict, ok := d.resolve(enc).(Dict)
		if !ok {
			return damaged("bad encryption dictionary")
		}
		var id []byte
		if ids, ok := d.resolve(d.trailer["ID"]).(Array); ok && len(ids) > 0 {
			id, _ = d.resolve(ids[0]).(String)
		}
		c, err := newDecrypter(encDict, encRef, id, d.resolve)
		if err != nil {
			return err
		}
		d.crypt = c
		// Objects read so far (the encryption dictionary) were not decrypted.
		d.cache = map[int]Object{}
		d.objStreams = map[int]*objectStream{}
	}
	catalog, ok := d.resolve(d.trailer["Root"]).(Dict)
	if !ok {
		return damaged("no document catalog")
	}
	d.pages = nil
	root := catalog["Pages"]
	if root == nil {
		return damaged("no page tree")
	}
	return d.collectPages(root, Dict{}, map[Ref]bool{}, 0)
}

func (d *Document) collectPages(node Object, inherited Dict, visited map[Ref]bool, depth int) error {
	if depth > 64 {
		return damaged("page tree too deep")
	}
	if r, ok := node.(Ref); ok {
		if visited[r] {
			return damaged("page tree has a cycle")
		}
		visited[r] = true
	}
	dict, ok := d.resolve(node).(Dict)
	if !ok {
		return damaged("page tree node is not a dictionary")
	}
	attrs := Dict{}
	for k, v := range inherited {
		attrs[k] = v
	}
	for _, k := range []Name{"Resources", "MediaBox", "CropBox", "Rotate"} {
		if v := dict[k]; v != nil {
			attrs[k] = v
		}
	}
	kids, hasKids := d.resolve(dict["Kids"]).(Array)
	if asName(dict["Type"]) == "Pages" || (hasKids && asName(dict["Type"]) != "Page") {
		for _, kid := range kids {
			if err := d.collectPages(kid, attrs, visited, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	if len(d.pages) >= d.limits.MaxPages {
		return fmt.Errorf("%w: more than %d pages", ErrTooLarge, d.limits.MaxPages)
	}
	resources, _ := d.resolve(attrs["Resources"]).(Dict)
	media, ok := d.rect(attrs["MediaBox"])
	if !ok {
		media = rect{0, 0, 612, 792} // US Letter, the specification's default
	}
	box := media
	if crop, ok := d.rect(attrs["CropBox"]); ok {
		box = rect{max(crop.llx, media.llx), max(crop.lly, media.lly), min(crop.urx, media.urx), min(crop.ury, media.ury)}
		if box.urx <= box.llx || box.ury <= box.lly {
			box = media
		}
	}
	rotate, _ := asInt(d.resolve(attrs["Rotate"]))
	rotate = ((rotate%360)+360)%360 - ((rotate%360)+360)%90
	d.pages = append(d.pages, pageNode{dict: dict, resources: resources, box: box, rotate: int(rotate)})
	return nil
}

func (d *Document) rect(o Object) (rect, bool) {
	a, ok := d.resolve(o).(Array)
	if !ok || len(a) != 4 {
		return rect{}, false
	}
	var v [4]float64
	for i := range v {
		if v[i], ok = asNumber(d.resolve(a[i])); !ok {
			return rect{}, false
		}
	}
	r := rect{min(v[0], v[2]), min(v[1], v[3]), max(v[0], v[2]), max(v[1], v[3])}
	if r.urx-r.llx < 1 || r.ury-r.lly < 1 {
		return rect{}, false
	}
	return r, true
}

// NumPages is the number of pages in the page tree.
func (d *Document) NumPages() int { return len(d.pages) }

// resolve follows references; a missing or broken object is null.
func (d *Document) resolve(o Object) Object {
	for i := 0; i < 16; i++ {
		r, ok := o.(Ref)
		if !ok {
			return o
		}
		v, err := d.load(r.Num)
		if err != nil {
			return nil
		}
		o = v
	}
	return nil
}

func (d *Document) load(num int) (Object, error) {
	if o, ok := d.cache[num]; ok {
		return o, nil
	}
	e, ok := d.xref[num]
	if !ok || e.offset < 0 {
		return nil, nil // an undefined object is null
	}
	if d.loading[num] {
		return nil, damaged("object %d depends on itself", num)
	}
	d.loading[num] = true
	defer delete(d.loading, num)
	var o Object
	if e.inStream {
		os, err := d.objectStream(int(e.offset))
		if err != nil {
			return nil, err
		}
		if o, err = os.object(e.index, num); err != nil {
			return nil, err
		}
	} else {
		ref, v, err := d.readIndirectAt(e.offset)
		if err != nil {
			return nil, err
		}
		if ref.Num != num {
			return nil, damaged("object %d is not at its offset", num)
		}
		if d.crypt != nil {
			v = d.crypt.decryptStrings(ref, v, 0)
		}
		o = v
	}
	d.cache[num] = o
	return o, nil
}

func (d *Document) objectStream(num int) (*objectStream, error) {
	if os, ok := d.objStreams[num]; ok {
		return os, nil
	}
	e, ok := d.xref[num]
	if !ok || e.inStream || e.offset < 0 {
		return nil, damaged("object stream %d missing", num)
	}
	o, err := d.load(num)
	if err != nil {
		return nil, err
	}
	s, ok := o.(*Stream)
	if !ok {
		return nil, damaged("object stream %d is not a stream", num)
	}
	return d.parseObjectStream(num, s)
}

func (d *Document) parseObjectStream(num int, s *Stream) (*objectStream, error) {
	data, err := d.decode(s)
	if err != nil {
		return nil, err
	}
	n, _ := asInt(d.resolve(s.Dict["N"]))
	first, _ := asInt(d.resolve(s.Dict["First"]))
	if n < 0 || n > int64(len(data)/2+1) || first < 0 || first > int64(len(data)) {
		return nil, damaged("bad object stream %d", num)
	}
	os := &objectStream{data: data}
	p := parser{data: data[:first]}
	for i := int64(0); i < n; i++ {
		p.skipSpace()
		objNum, ok1 := p.readUnsigned()
		p.skipSpace()
		off, ok2 := p.readUnsigned()
		if !ok1 || !ok2 {
			break
		}
		os.nums = append(os.nums, int(objNum))
		os.offsets = append(os.offsets, int(first+off))
	}
	os.sorted = append([]int(nil), os.offsets...)
	sort.Ints(os.sorted)
	d.objStreams[num] = os
	return os, nil
}

func (os *objectStream) object(index, num int) (Object, error) {
	if index < 0 || index >= len(os.offsets) || os.nums[index] != num {
		// Some writers get the index wrong; the number is what counts.
		index = -1
		for i, n := range os.nums {
			if n == num {
				index = i
				break
			}
		}
		if index < 0 {
			return nil, nil
		}
	}
	if os.offsets[index] > len(os.data) {
		return nil, damaged("bad object stream offset")
	}
	start := os.offsets[index]
	end := len(os.data)
	if k := sort.SearchInts(os.sorted, start+1); k < len(os.sorted) {
		end = os.sorted[k] // the next object starts there
	}
	p := parser{data: os.data[:end], pos: start, allowRefs: true}
	o, err := p.readObject()
	if err != nil && !errors.Is(err, errEOF) {
		return nil, err
	}
	if _, ok := o.(keyword); ok {
		return nil, nil
	}
	return o, nil
}

// decode decrypts and decodes a stream's data.
func (d *Document) decode(s *Stream) ([]byte, error) {
	data := s.raw
	if d.crypt != nil && asName(s.Dict["Type"]) != "XRef" {
		skip := asName(s.Dict["Type"]) == "Metadata" && !d.crypt.encryptMetadata
		if f, ok := s.Dict["Filter"].(Array); ok && len(f) > 0 && asName(f[0]) == "Crypt" {
			skip = true // an explicit Identity crypt filter
		}
		if !skip {
			var err error
			if data, err = d.crypt.decrypt(s.ref, d.crypt.streams, data); err != nil {
				return nil, err
			}
		}
	}
	return decodeFilters(data, s.Dict, d.resolve, d.budget)
}

// Title is the document's title: the /Title of the Info dictionary, else
// the dc:title of the XMP metadata; "" when it has none.
func (d *Document) Title() (title string) {
	defer func() {
		if recover() != nil {
			title = ""
		}
	}()
	if info, ok := d.resolve(d.trailer["Info"]).(Dict); ok {
		if s, ok := d.resolve(info["Title"]).(String); ok {
			if t := strings.TrimSpace(TextString(s)); t != "" {
				return t
			}
		}
	}
	catalog, _ := d.resolve(d.trailer["Root"]).(Dict)
	if s, ok := d.resolve(catalog["Metadata"]).(*Stream); ok {
		if data, err := d.decode(s); err == nil {
			return xmpTitle(data)
		}
	}
	return ""
}

// xmpTitle finds dc:title's first rdf:li, preferring the x-default one.
func xmpTitle(data []byte) string {
	const dc = "http://purl.org/dc/elements/1.1/"
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = false
	inTitle, inItem := false, false
	var first, chosen string
	var text strings.Builder
	isDefault := false
	for {
		tok, err := dec.Token()
		if err == io.EOF || err != nil {
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Space == dc && t.Name.Local == "title" {
				inTitle = true
			}
			if inTitle && t.Name.Local == "li" {
				inItem = true
				text.Reset()
				isDefault = false
				for _, a := range t.Attr {
					if a.Name.Local == "lang" && a.Value == "x-default" {
						isDefault = true
					}
				}
			}
		case xml.CharData:
			if inItem {
				text.Write(t)
			}
		case xml.EndElement:
			if inItem && t.Name.Local == "li" {
				inItem = false
				s := strings.TrimSpace(text.String())
				if first == "" {
					first = s
				}
				if isDefault && chosen == "" {
					chosen = s
				}
			}
			if t.Name.Space == dc && t.Name.Local == "title" {
				inTitle = false
			}
		}
	}
	if chosen != "" {
		return chosen
	}
	return first
}

// TextString decodes a PDF text string: UTF-16BE or UTF-8 with a byte order
// mark, else PDFDocEncoding.
func TextString(s []byte) string {
	if len(s) >= 2 && s[0] == 0xfe && s[1] == 0xff {
		u := make([]uint16, 0, len(s)/2)
		for i := 2; i+1 < len(s); i += 2 {
			u = append(u, uint16(s[i])<<8|uint16(s[i+1]))
		}
		return stripLanguageEscapes(string(utf16.Decode(u)))
	}
	if len(s) >= 3 && s[0] == 0xef && s[1] == 0xbb && s[2] == 0xbf {
		return strings.ToValidUTF8(string(s[3:]), "\uFFFD")
	}
	var b strings.Builder
	for _, c := range s {
		b.WriteRune(pdfDocEncoding(c))
	}
	return b.String()
}

// stripLanguageEscapes removes the ESC-delimited language codes a UTF-16
// text string may contain.
func stripLanguageEscapes(s string) string {
	for {
		i := strings.IndexRune(s, 0x1b)
		if i < 0 {
			return s
		}
		j := strings.IndexRune(s[i+1:], 0x1b)
		if j < 0 {
			return s[:i]
		}
		s = s[:i] + s[i+1+j+1:]
	}
}
