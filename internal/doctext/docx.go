package doctext

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
)

// Limits on DOCX archives, against zip bombs (variables for the tests).
var (
	maxZipEntries            = 10_000
	maxUncompressedSum int64 = 200 << 20
)

const (
	nsW  = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	nsMC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
	nsDC = "http://purl.org/dc/elements/1.1/"
)

var errZipTooLarge = errors.New("the archive expands beyond the size limit")

// zipFiles reads entries of a zip archive by name, counting every byte
// read against one limit however the entries' headers declare their size.
type zipFiles struct {
	byName    map[string]*zip.File
	remaining int64
}

func openZip(data []byte) (*zipFiles, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, err
	}
	if len(zr.File) > maxZipEntries {
		return nil, errZipTooLarge
	}
	z := &zipFiles{byName: map[string]*zip.File{}, remaining: maxUncompressedSum}
	for _, f := range zr.File {
		z.byName[strings.TrimPrefix(f.Name, "/")] = f
	}
	return z, nil
}

func (z *zipFiles) has(name string) bool { return z.byName[name] != nil }

func (z *zipFiles) read(name string) ([]byte, error) {
	f := z.byName[name]
	if f == nil {
		return nil, fmt.Errorf("%s: %w", name, io.ErrUnexpectedEOF)
	}
	if f.UncompressedSize64 > uint64(z.remaining) {
		return nil, errZipTooLarge
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, z.remaining+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > z.remaining {
		return nil, errZipTooLarge
	}
	z.remaining -= int64(len(data))
	return data, nil
}

// mainDocument finds the Word main part: the package relationship of type
// officeDocument, else word/document.xml.
func (z *zipFiles) mainDocument() string {
	if rels, err := z.read("_rels/.rels"); err == nil {
		var r struct {
			Rels []struct {
				Type   string `xml:"Type,attr"`
				Target string `xml:"Target,attr"`
			} `xml:"Relationship"`
		}
		if xml.Unmarshal(rels, &r) == nil {
			for _, rel := range r.Rels {
				if strings.HasSuffix(rel.Type, "/officeDocument") {
					target := strings.TrimPrefix(path.Clean("/"+rel.Target), "/")
					if strings.HasPrefix(target, "word/") && z.has(target) {
						return target
					}
				}
			}
		}
	}
	if z.has("word/document.xml") {
		return "word/document.xml"
	}
	return ""
}

func detectZip(name string, data []byte) (Format, error) {
	z, err := openZip(data)
	if err != nil {
		if errors.Is(err, errZipTooLarge) {
			return "", tooLarge(name)
		}
		return "", newError(name, KindDamaged, "the zip archive is damaged (is the file truncated?)",
			"zip-arkivet är skadat (är filen avkortad?)", err)
	}
	if z.mainDocument() != "" {
		return FormatDOCX, nil
	}
	if mt, err := z.read("mimetype"); err == nil {
		switch m := string(bytes.TrimSpace(mt)); {
		case strings.HasPrefix(m, "application/vnd.oasis.opendocument.text"):
			return "", unsupported(name, kindODT)
		case strings.HasPrefix(m, "application/vnd.oasis.opendocument.spreadsheet"):
			return "", unsupported(name, kindSpreadsh)
		case strings.HasPrefix(m, "application/vnd.oasis.opendocument.presentation"):
			return "", unsupported(name, kindSlides)
		case m == "application/epub+zip":
			return "", unsupported(name, kindEPUB)
		}
	}
	switch {
	case z.has("xl/workbook.xml"):
		return "", unsupported(name, kindSpreadsh)
	case z.has("ppt/presentation.xml"):
		return "", unsupported(name, kindSlides)
	}
	return "", unsupported(name, kindZip)
}

func tooLarge(name string) *Error {
	return newError(name, KindTooLarge, "the file expands to more than 200 MB and is not read (a zip bomb?)",
		"filen packas upp till mer än 200 MB och läses inte", nil)
}

// docxStyle is a paragraph style's properties that matter here.
type docxStyle struct {
	name    string
	basedOn string
	outline int // w:outlineLvl + 1; 0 when absent
	numID   string
	ilvl    int
	hasNum  bool
}

type docxStyles map[string]*docxStyle

// resolve follows basedOn to find a style's heading level (0: none),
// whether it is the Title style, a table of contents entry, and its
// numbering.
func (s docxStyles) resolve(id string) (level int, title, toc bool, numID string, ilvl int) {
	seen := map[string]bool{}
	levelFound, numFound := false, false
	for id != "" && !seen[id] && len(seen) < 20 {
		seen[id] = true
		st := s[id]
		if st == nil {
			// No styles.xml entry: Word's own ids still say a lot.
			if n := headingNumber(strings.ToLower(id)); n > 0 && !levelFound {
				level = n
			}
			break
		}
		name := strings.ToLower(strings.TrimSpace(st.name))
		if !levelFound {
			switch {
			case name == "title":
				level, title, levelFound = 1, true, true
			case strings.HasPrefix(name, "toc ") || name == "toc heading":
				toc, levelFound = true, true
			case headingNumber(name) > 0:
				level, levelFound = headingNumber(name), true
			case headingNumber(strings.ToLower(id)) > 0:
				level, levelFound = headingNumber(strings.ToLower(id)), true
			case st.outline > 0:
				level, levelFound = st.outline, true
			}
		}
		if !numFound && st.hasNum {
			numID, ilvl, numFound = st.numID, st.ilvl, true
		}
		id = st.basedOn
	}
	if level > 9 {
		level = 0 // outline level 9 is body text
	}
	return level, title, toc, numID, ilvl
}

// headingNumber recognises "heading 2", "Heading2", "rubrik 2", "Rubrik2".
func headingNumber(s string) int {
	for _, prefix := range []string{"heading", "rubrik"} {
		if rest, ok := strings.CutPrefix(s, prefix); ok {
			n, err := strconv.Atoi(strings.TrimSpace(rest))
			if err == nil && n >= 1 && n <= 9 {
				return n
			}
		}
	}
	return 0
}

func attr(e xml.StartElement, local string) (string, bool) {
	for _, a := range e.Attr {
		if a.Name.Local == local && (a.Name.Space == nsW || a.Name.Space == "") {
			return a.Value, true
		}
	}
	return "", false
}

func parseStyles(data []byte) docxStyles {
	styles := docxStyles{}
	dec := xml.NewDecoder(bytes.NewReader(data))
	var cur *docxStyle
	var path []string
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			path = append(path, t.Name.Local)
			if t.Name.Space != nsW {
				continue
			}
			switch t.Name.Local {
			case "style":
				id, _ := attr(t, "styleId")
				cur = &docxStyle{}
				if typ, _ := attr(t, "type"); typ == "paragraph" || typ == "" {
					styles[id] = cur // only paragraph styles matter
				}
			case "name":
				if cur != nil && len(path) >= 2 && path[len(path)-2] == "style" {
					cur.name, _ = attr(t, "val")
				}
			case "basedOn":
				if cur != nil && len(path) >= 2 && path[len(path)-2] == "style" {
					cur.basedOn, _ = attr(t, "val")
				}
			case "outlineLvl":
				if cur != nil {
					if v, err := strconv.Atoi(attrOr(t, "val", "")); err == nil {
						cur.outline = v + 1
					}
				}
			case "numId":
				if cur != nil {
					cur.numID, cur.hasNum = attrOr(t, "val", ""), true
				}
			case "ilvl":
				if cur != nil {
					cur.ilvl, _ = strconv.Atoi(attrOr(t, "val", "0"))
				}
			}
		case xml.EndElement:
			if len(path) > 0 {
				path = path[:len(path)-1]
			}
			if t.Name.Local == "style" {
				cur = nil
			}
		}
	}
	return styles
}

func attrOr(e xml.StartElement, local, fallback string) string {
	if v, ok := attr(e, local); ok {
		return v
	}
	return fallback
}

// numbering holds numbering.xml's level formats and keeps the counters,
// so numbered headings ("Långsiktigt mål 2:") get the numbers Word shows.
type numbering struct {
	abstract map[string]map[int]*numLevel // abstractNumId → level
	nums     map[string]string            // numId → abstractNumId
	starts   map[string]map[int]int       // numId → level → startOverride
	counters map[string][]int             // numId → level → current value
}

type numLevel struct {
	start   int
	format  string
	text    string
	pStyle  string
	present bool
}

func parseNumbering(data []byte) *numbering {
	n := &numbering{abstract: map[string]map[int]*numLevel{}, nums: map[string]string{}, starts: map[string]map[int]int{}, counters: map[string][]int{}}
	if data == nil {
		return n
	}
	dec := xml.NewDecoder(bytes.NewReader(data))
	var abstractID, numID string
	var level *numLevel
	overrideLevel := -1
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Space != nsW {
				continue
			}
			switch t.Name.Local {
			case "abstractNum":
				abstractID = attrOr(t, "abstractNumId", "")
				n.abstract[abstractID] = map[int]*numLevel{}
			case "lvl":
				if abstractID != "" {
					ilvl, _ := strconv.Atoi(attrOr(t, "ilvl", "0"))
					level = &numLevel{start: 1, format: "decimal", present: true}
					n.abstract[abstractID][ilvl] = level
				}
			case "start":
				if level != nil {
					level.start, _ = strconv.Atoi(attrOr(t, "val", "1"))
				}
			case "numFmt":
				if level != nil {
					level.format = attrOr(t, "val", "decimal")
				}
			case "lvlText":
				if level != nil {
					level.text = attrOr(t, "val", "")
				}
			case "pStyle":
				if level != nil {
					level.pStyle = attrOr(t, "val", "")
				}
			case "num":
				numID = attrOr(t, "numId", "")
			case "abstractNumId":
				if numID != "" {
					n.nums[numID] = attrOr(t, "val", "")
				}
			case "lvlOverride":
				overrideLevel, _ = strconv.Atoi(attrOr(t, "ilvl", "0"))
			case "startOverride":
				if numID != "" && overrideLevel >= 0 {
					if n.starts[numID] == nil {
						n.starts[numID] = map[int]int{}
					}
					n.starts[numID][overrideLevel], _ = strconv.Atoi(attrOr(t, "val", "1"))
				}
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "abstractNum":
				abstractID = ""
			case "lvl":
				level = nil
			case "num":
				numID = ""
			case "lvlOverride":
				overrideLevel = -1
			}
		}
	}
	return n
}

func (n *numbering) level(numID string, ilvl int) *numLevel {
	if lv := n.abstract[n.nums[numID]][ilvl]; lv != nil {
		return lv
	}
	return &numLevel{start: 1, format: "decimal"}
}

// next counts one paragraph of a list and returns its number text, "" for
// bullets.
func (n *numbering) next(numID string, ilvl int) string {
	if ilvl < 0 || ilvl > 8 {
		ilvl = 0
	}
	c := n.counters[numID]
	if c == nil {
		c = make([]int, 9)
		for l := range c {
			c[l] = n.startOf(numID, l) - 1
		}
		n.counters[numID] = c
	}
	c[ilvl]++
	for l := ilvl + 1; l < 9; l++ {
		c[l] = n.startOf(numID, l) - 1
	}
	lv := n.level(numID, ilvl)
	if lv.format == "bullet" || lv.format == "none" {
		return ""
	}
	text := lv.text
	for l := 0; l <= ilvl; l++ {
		text = strings.ReplaceAll(text, "%"+strconv.Itoa(l+1), formatNumber(c[l], n.level(numID, l).format))
	}
	return text
}

func (n *numbering) startOf(numID string, ilvl int) int {
	if s, ok := n.starts[numID][ilvl]; ok {
		return s
	}
	return n.level(numID, ilvl).start
}

func formatNumber(v int, format string) string {
	switch format {
	case "lowerLetter", "upperLetter":
		if v < 1 {
			return strconv.Itoa(v)
		}
		s := strings.Repeat(string(rune('a'+(v-1)%26)), (v-1)/26+1)
		if format == "upperLetter" {
			s = strings.ToUpper(s)
		}
		return s
	case "lowerRoman", "upperRoman":
		s := roman(v)
		if format == "lowerRoman" {
			s = strings.ToLower(s)
		}
		return s
	case "decimalZero":
		return fmt.Sprintf("%02d", v)
	}
	return strconv.Itoa(v)
}

func roman(v int) string {
	if v <= 0 || v >= 4000 {
		return strconv.Itoa(v)
	}
	vals := []int{1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1}
	syms := []string{"M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I"}
	var b strings.Builder
	for i, val := range vals {
		for v >= val {
			b.WriteString(syms[i])
			v -= val
		}
	}
	return b.String()
}

// docxParagraph collects one w:p.
type docxParagraph struct {
	text    strings.Builder
	styleID string
	numID   string
	ilvl    int
	hasNum  bool
	outline int
}

// symbolChars maps the Symbol font's private-use codes Word writes in
// w:sym to Unicode, for the few that occur in running text.
var symbolChars = map[int]string{0xB7: "•", 0x2D: "−", 0xB0: "°", 0xA3: "≤", 0xB3: "≥", 0xB4: "×", 0xAE: "→", 0xAC: "←", 0xBB: "≈", 0xB9: "≠", 0x25: "%"}

// extractDOCX reads word/document.xml in order: paragraphs (table cells'
// paragraphs cell by cell, text boxes' after the paragraph anchoring them),
// with headings from paragraph styles (resolved through word/styles.xml,
// "heading 1"…, "Rubrik 1"…, outline levels, Title) and list items from
// numbering. Deleted revisions, field instructions, hidden text, the
// fallback copies of drawings and table of contents entries are skipped;
// footnotes, headers and comments are not read.
func extractDOCX(name string, data []byte) (Text, error) {
	z, err := openZip(data)
	if err != nil {
		if errors.Is(err, errZipTooLarge) {
			return Text{}, tooLarge(name)
		}
		return Text{}, newError(name, KindDamaged, "the DOCX file is damaged (is it truncated?)", "DOCX-filen är skadad (är den avkortad?)", err)
	}
	main := z.mainDocument()
	doc, err := z.read(main)
	if err != nil {
		if errors.Is(err, errZipTooLarge) {
			return Text{}, tooLarge(name)
		}
		return Text{}, newError(name, KindDamaged, "the DOCX file is damaged: its document part cannot be read", "DOCX-filen är skadad: dokumentdelen kan inte läsas", err)
	}
	styles := docxStyles{}
	if b, err := z.read(path.Join(path.Dir(main), "styles.xml")); err == nil {
		styles = parseStyles(b)
	} else if errors.Is(err, errZipTooLarge) {
		return Text{}, tooLarge(name)
	}
	numData, err := z.read(path.Join(path.Dir(main), "numbering.xml"))
	if errors.Is(err, errZipTooLarge) {
		return Text{}, tooLarge(name)
	}
	num := parseNumbering(numData)
	blocks, styleTitle, err := readDocumentXML(doc, styles, num)
	if err != nil {
		return Text{}, newError(name, KindDamaged, fmt.Sprintf("the DOCX file is damaged: %v", err), "DOCX-filen är skadad", err)
	}
	title := styleTitle
	if core, err := z.read("docProps/core.xml"); err == nil {
		if t := coreTitle(core); strings.TrimSpace(t) != "" {
			title = t
		}
	}
	return Text{Title: title, Blocks: blocks}, nil
}

func coreTitle(data []byte) string {
	var core struct {
		Title []struct {
			XMLName xml.Name
			Value   string `xml:",chardata"`
		} `xml:",any"`
	}
	if xml.Unmarshal(data, &core) != nil {
		return ""
	}
	for _, e := range core.Title {
		if e.XMLName.Space == nsDC && e.XMLName.Local == "title" {
			return e.Value
		}
	}
	return ""
}

func readDocumentXML(data []byte, styles docxStyles, num *numbering) (blocks []Block, title string, err error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	var stack []xml.Name // open elements
	var paras []*docxParagraph
	skip := 0 // depth inside an element whose text is skipped
	hidden := false
	parent := func(n int) string { // the local name n levels up (1 = parent)
		if len(stack) > n {
			return stack[len(stack)-1-n].Local
		}
		return ""
	}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, "", err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			stack = append(stack, t.Name)
			if skip > 0 {
				skip++
				continue
			}
			if t.Name.Space == nsMC && t.Name.Local == "Fallback" {
				skip = 1
				continue
			}
			if t.Name.Space != nsW {
				continue
			}
			var p *docxParagraph
			if len(paras) > 0 {
				p = paras[len(paras)-1]
			}
			switch t.Name.Local {
			case "del", "moveFrom", "instrText", "delText", "delInstrText", "fldData":
				skip = 1
			case "p":
				paras = append(paras, &docxParagraph{})
			case "r":
				hidden = false
			case "vanish":
				if parent(1) == "rPr" && parent(2) == "r" {
					v := attrOr(t, "val", "true")
					hidden = v != "0" && v != "false"
				}
			case "pStyle":
				if p != nil && parent(1) == "pPr" {
					p.styleID, _ = attr(t, "val")
				}
			case "numId":
				if p != nil && parent(1) == "numPr" && parent(2) == "pPr" {
					p.numID, p.hasNum = attrOr(t, "val", ""), true
				}
			case "ilvl":
				if p != nil && parent(1) == "numPr" && parent(2) == "pPr" {
					p.ilvl, _ = strconv.Atoi(attrOr(t, "val", "0"))
				}
			case "outlineLvl":
				if p != nil && parent(1) == "pPr" {
					if v, err := strconv.Atoi(attrOr(t, "val", "")); err == nil {
						p.outline = v + 1
					}
				}
			case "tab":
				if p != nil && parent(1) == "r" && !hidden {
					p.text.WriteByte('\t')
				}
			case "br", "cr":
				if p != nil && parent(1) == "r" && !hidden {
					p.text.WriteByte('\n')
				}
			case "noBreakHyphen":
				if p != nil && !hidden {
					p.text.WriteByte('-')
				}
			case "softHyphen":
				// Invisible unless the line breaks there.
			case "sym":
				if p != nil && !hidden {
					if c, err := strconv.ParseUint(attrOr(t, "char", ""), 16, 32); err == nil {
						code := int(c)
						if code >= 0xF000 {
							code -= 0xF000
						}
						if s, ok := symbolChars[code]; ok {
							p.text.WriteString(s)
						}
					}
				}
			}
		case xml.CharData:
			if skip == 0 && len(stack) > 0 && stack[len(stack)-1].Space == nsW && stack[len(stack)-1].Local == "t" && !hidden && len(paras) > 0 {
				paras[len(paras)-1].text.Write(t)
			}
		case xml.EndElement:
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
			if skip > 0 {
				skip--
				continue
			}
			if t.Name.Space == nsW && t.Name.Local == "p" && len(paras) > 0 {
				p := paras[len(paras)-1]
				paras = paras[:len(paras)-1]
				b, isTitle, ok := finishParagraph(p, styles, num)
				if ok {
					blocks = append(blocks, b)
					if isTitle && title == "" {
						title = b.Text
					}
				}
			}
		}
	}
	return blocks, title, nil
}

// finishParagraph classifies a paragraph; ok is false for paragraphs
// to leave out (empty ones, table of contents entries).
func finishParagraph(p *docxParagraph, styles docxStyles, num *numbering) (b Block, isTitle, ok bool) {
	level, isTitle, toc, numID, ilvl := styles.resolve(p.styleID)
	if p.hasNum {
		numID, ilvl = p.numID, p.ilvl
	}
	if p.outline > 0 && p.outline <= 9 {
		level = p.outline
	}
	numbered := numID != "" && numID != "0"
	var prefix string
	if numbered {
		prefix = num.next(numID, ilvl)
	}
	text := strings.TrimSpace(p.text.String())
	if toc || text == "" {
		return Block{}, false, false
	}
	switch {
	case level > 0:
		if prefix != "" {
			text = prefix + " " + text
		}
		return Block{Kind: Heading, Level: min(level, 6), Text: text}, isTitle, true
	case numbered:
		return Block{Kind: ListItem, Level: ilvl + 1, Text: text}, false, true
	}
	return Block{Kind: Paragraph, Text: text}, false, true
}
