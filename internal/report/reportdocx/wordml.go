package reportdocx

import (
	"bytes"
	"strconv"
	"strings"
	"unicode/utf8"
)

// This file writes WordprocessingML's building blocks: paragraphs, runs,
// tables and inline pictures. Every text passes through xmlText or
// xmlAttr, so no caller can forget to escape. Child elements follow the
// schema's order (pPr, rPr, tblPr, tcPr): Word refuses a document whose
// properties are out of order even where other readers do not mind.

// Page geometry: A4 with 2.5 cm margins, in twentieths of a point (twips).
const (
	pageWidthTwips  = 11906
	pageHeightTwips = 16838
	marginTwips     = 1417 // 2.5 cm
	textWidthTwips  = pageWidthTwips - 2*marginTwips
	// emuPerTwip converts to DrawingML's English Metric Units (914 400 an
	// inch, 1 440 twips an inch).
	emuPerTwip = 635
)

// span is a run of text with its formatting.
type span struct {
	Text string
	Bold bool
	// NotBold cancels a bold the paragraph or table style gives (the notes
	// under an activity's title in the first column).
	NotBold bool
	// Style is a character style's id, such as a status's.
	Style string
	// Anchor makes the span an internal hyperlink to that bookmark; it
	// looks like one in the Hyperlink style.
	Anchor string
}

func plain(s string) span  { return span{Text: s} }
func strong(s string) span { return span{Text: s, Bold: true} }

// paragraph is a w:p.
type paragraph struct {
	Style           string
	KeepNext        bool
	PageBreakBefore bool
	Bullet          bool   // an item of the bullet list (numbering.xml)
	Align           string // w:jc: "right" for numbers; "" is the style's
	// Bookmark names the paragraph for hyperlinks and the table of
	// contents; BookmarkID is its w:id, unique in the document.
	Bookmark   string
	BookmarkID int
	Spans      []span
}

func (p paragraph) write(w *bytes.Buffer) {
	w.WriteString("<w:p>")
	if p.Style != "" || p.KeepNext || p.PageBreakBefore || p.Bullet || p.Align != "" {
		w.WriteString("<w:pPr>")
		if p.Style != "" {
			w.WriteString(`<w:pStyle w:val="` + xmlAttr(p.Style) + `"/>`)
		}
		if p.KeepNext {
			w.WriteString("<w:keepNext/>")
		}
		if p.PageBreakBefore {
			w.WriteString("<w:pageBreakBefore/>")
		}
		if p.Bullet {
			w.WriteString(`<w:numPr><w:ilvl w:val="0"/><w:numId w:val="` + strconv.Itoa(bulletNumID) + `"/></w:numPr>`)
		}
		if p.Align != "" {
			w.WriteString(`<w:jc w:val="` + xmlAttr(p.Align) + `"/>`)
		}
		w.WriteString("</w:pPr>")
	}
	if p.Bookmark != "" {
		id := strconv.Itoa(p.BookmarkID)
		w.WriteString(`<w:bookmarkStart w:id="` + id + `" w:name="` + xmlAttr(p.Bookmark) + `"/>`)
		writeSpans(w, p.Spans)
		w.WriteString(`<w:bookmarkEnd w:id="` + id + `"/>`)
	} else {
		writeSpans(w, p.Spans)
	}
	w.WriteString("</w:p>\n")
}

// writeSpans writes runs, each span's text split at line breaks and tabs,
// which w:t cannot hold.
func writeSpans(w *bytes.Buffer, spans []span) {
	for _, s := range spans {
		if s.Text == "" {
			continue
		}
		if s.Anchor != "" {
			w.WriteString(`<w:hyperlink w:anchor="` + xmlAttr(s.Anchor) + `" w:history="1">`)
		}
		w.WriteString("<w:r>")
		if s.Style != "" || s.Bold || s.NotBold {
			w.WriteString("<w:rPr>")
			if s.Style != "" {
				w.WriteString(`<w:rStyle w:val="` + xmlAttr(s.Style) + `"/>`)
			}
			if s.Bold {
				w.WriteString("<w:b/><w:bCs/>")
			} else if s.NotBold {
				w.WriteString(`<w:b w:val="0"/><w:bCs w:val="0"/>`)
			}
			w.WriteString("</w:rPr>")
		}
		text := strings.ReplaceAll(s.Text, "\r\n", "\n")
		start := 0
		for i := 0; i <= len(text); i++ {
			if i < len(text) && text[i] != '\n' && text[i] != '\t' {
				continue
			}
			if i > start {
				w.WriteString(`<w:t xml:space="preserve">` + xmlText(text[start:i]) + "</w:t>")
			}
			if i < len(text) {
				if text[i] == '\n' {
					w.WriteString("<w:br/>")
				} else {
					w.WriteString("<w:tab/>")
				}
			}
			start = i + 1
		}
		w.WriteString("</w:r>")
		if s.Anchor != "" {
			w.WriteString("</w:hyperlink>")
		}
	}
}

// cell is a table cell: one or more paragraphs.
type cell struct {
	Paras []paragraph
	// Numeric right-aligns the cell's paragraphs, as numbers are.
	Numeric bool
}

func textCell(spans ...span) cell { return cell{Paras: []paragraph{{Spans: spans}}} }
func numberCell(s string) cell {
	return cell{Paras: []paragraph{{Spans: []span{plain(s)}}}, Numeric: true}
}

// table is a w:tbl in the report's table style: a header row that repeats
// on every page the table runs over, the first column heading its row (as
// th scope="row" in the HTML), and an optional totals row.
type table struct {
	// Caption is the table's name, written above it in the Caption style
	// and kept as its alternative text (w:tblCaption).
	Caption string
	Widths  []int // twips per column
	Header  []cell
	Rows    [][]cell
	Totals  []cell // nil for none
}

// keepTogetherRows is the size up to which a table is kept on one page,
// as the HTML's print stylesheet avoids breaking tables; a longer one
// would leave a page half empty and may break.
const keepTogetherRows = 25

func (t table) write(w *bytes.Buffer) {
	if t.Caption != "" {
		paragraph{Style: "Caption", KeepNext: true, Spans: []span{plain(t.Caption)}}.write(w)
	}
	total := 0
	for _, width := range t.Widths {
		total += width
	}
	// tblLook's bits (ECMA-376 17.7.6): first row 0x20, last row 0x40,
	// first column 0x80, no horizontal banding 0x200, no vertical 0x400.
	look, lastRow := 0x06A0, "0"
	if t.Totals != nil {
		look, lastRow = 0x06E0, "1"
	}
	w.WriteString(`<w:tbl><w:tblPr><w:tblStyle w:val="ReportTable"/><w:tblW w:w="` + strconv.Itoa(total) + `" w:type="dxa"/>` +
		`<w:tblLayout w:type="fixed"/>` +
		`<w:tblLook w:val="` + strconv.FormatInt(int64(look), 16) + `" w:firstRow="1" w:lastRow="` + lastRow + `" w:firstColumn="1" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/>`)
	if t.Caption != "" {
		w.WriteString(`<w:tblCaption w:val="` + xmlAttr(t.Caption) + `"/>`)
	}
	w.WriteString("</w:tblPr>\n<w:tblGrid>")
	for _, width := range t.Widths {
		w.WriteString(`<w:gridCol w:w="` + strconv.Itoa(width) + `"/>`)
	}
	w.WriteString("</w:tblGrid>\n")

	rows := append([][]cell{t.Header}, t.Rows...)
	if t.Totals != nil {
		rows = append(rows, t.Totals)
	}
	keep := len(rows) <= keepTogetherRows
	for i, row := range rows {
		w.WriteString("<w:tr><w:trPr><w:cantSplit/>")
		if i == 0 {
			w.WriteString("<w:tblHeader/>")
		}
		w.WriteString("</w:trPr>")
		for j, c := range row {
			width := 0
			if j < len(t.Widths) {
				width = t.Widths[j]
			}
			w.WriteString(`<w:tc><w:tcPr><w:tcW w:w="` + strconv.Itoa(width) + `" w:type="dxa"/></w:tcPr>`)
			paras := c.Paras
			if len(paras) == 0 {
				paras = []paragraph{{}} // a cell must end with a paragraph
			}
			for _, p := range paras {
				if c.Numeric {
					p.Align = "right"
				}
				// keepNext on every row but the last holds a short table on
				// one page (Word's own way to keep a table together).
				p.KeepNext = p.KeepNext || (keep && i < len(rows)-1)
				p.write(w)
			}
			w.WriteString("</w:tc>")
		}
		w.WriteString("</w:tr>\n")
	}
	w.WriteString("</w:tbl>\n")
}

// picture is a PNG shown inline, as wide as the text.
type picture struct {
	ID          int    // wp:docPr's id, unique in the document
	RelID       string // the image part's relationship in document.xml.rels
	FileName    string
	Title       string // the chart's title
	Description string // the text alternative
	WidthEMU    int64
	HeightEMU   int64
}

func (p picture) write(w *bytes.Buffer, keepNext bool) {
	w.WriteString("<w:p><w:pPr>")
	if keepNext {
		w.WriteString("<w:keepNext/>")
	}
	w.WriteString(`<w:spacing w:before="120" w:after="60"/></w:pPr><w:r><w:drawing>`)
	cx, cy := strconv.FormatInt(p.WidthEMU, 10), strconv.FormatInt(p.HeightEMU, 10)
	id := strconv.Itoa(p.ID)
	w.WriteString(`<wp:inline distT="0" distB="0" distL="0" distR="0">` +
		`<wp:extent cx="` + cx + `" cy="` + cy + `"/>` +
		`<wp:effectExtent l="0" t="0" r="0" b="0"/>` +
		`<wp:docPr id="` + id + `" name="Diagram ` + id + `" descr="` + xmlAttr(p.Description) + `" title="` + xmlAttr(p.Title) + `"/>` +
		`<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>` +
		`<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">` +
		`<pic:pic><pic:nvPicPr><pic:cNvPr id="` + id + `" name="` + xmlAttr(p.FileName) + `" descr="` + xmlAttr(p.Description) + `"/><pic:cNvPicPr/></pic:nvPicPr>` +
		`<pic:blipFill><a:blip r:embed="` + xmlAttr(p.RelID) + `"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>` +
		`<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="` + cx + `" cy="` + cy + `"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>` +
		`</pic:pic></a:graphicData></a:graphic></wp:inline>`)
	w.WriteString("</w:drawing></w:r></w:p>\n")
}

// field writes a complex field (PAGE, TOC, PAGEREF) as Word does: begin,
// the instruction, separate, the cached result the reader sees until the
// field is updated, end. begin and end are separate so that a result can
// span paragraphs (the table of contents).
func fieldBegin(w *bytes.Buffer, instruction string) {
	w.WriteString(`<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> ` +
		xmlText(instruction) + ` </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>`)
}

func fieldEnd(w *bytes.Buffer) {
	w.WriteString(`<w:r><w:fldChar w:fldCharType="end"/></w:r>`)
}

// simpleField is a field whose cached result is one run of text.
func simpleField(w *bytes.Buffer, instruction, cached string) {
	fieldBegin(w, instruction)
	writeSpans(w, []span{plain(cached)})
	fieldEnd(w)
}

// xmlText escapes s for element content, dropping what XML 1.0 forbids.
func xmlText(s string) string { return escapeXML(s, false) }

// xmlAttr escapes s for a double- or single-quoted attribute value; line
// breaks and tabs become character references, which attribute-value
// normalisation would otherwise turn into spaces.
func xmlAttr(s string) string { return escapeXML(s, true) }

func escapeXML(s string, attr bool) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			i++ // not UTF-8: XML cannot carry it
			continue
		}
		i += size
		switch {
		case !allowedInXML(r):
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '"' && attr:
			b.WriteString("&quot;")
		case r == '\'' && attr:
			b.WriteString("&apos;")
		case r == '\n' && attr:
			b.WriteString("&#xA;")
		case r == '\r' && attr:
			b.WriteString("&#xD;")
		case r == '\t' && attr:
			b.WriteString("&#x9;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// allowedInXML reports whether XML 1.0 allows r in a document (its Char
// production): no control characters but tab, line feed and carriage
// return, no surrogates, no U+FFFE or U+FFFF.
func allowedInXML(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return true
	case r < 0x20:
		return false
	case r <= 0xD7FF:
		return true
	case r >= 0xE000 && r <= 0xFFFD:
		return true
	case r >= 0x10000 && r <= 0x10FFFF:
		return true
	}
	return false
}
