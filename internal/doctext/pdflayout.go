package doctext

import (
	"errors"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/inkludera/inkludera/internal/doctext/pdf"
)

// extractPDF reads a PDF's text layer and lays it out into blocks.
func extractPDF(name string, data []byte) (Text, error) {
	doc, err := pdf.Open(data)
	if err != nil {
		return Text{}, pdfError(name, err)
	}
	var pages []*pdf.Page
	glyphs, undecodable := 0, 0
	for i := 1; i <= doc.NumPages(); i++ {
		p, err := doc.Page(i)
		if err != nil {
			return Text{}, pdfError(name, err)
		}
		pages = append(pages, p)
		for _, g := range p.Glyphs {
			if strings.TrimSpace(g.Text) != "" {
				glyphs++
			}
		}
		undecodable += p.Undecodable
	}
	if undecodable > glyphs {
		return Text{}, newError(name, KindNoUnicode,
			"the PDF's fonts do not say which characters they show (no ToUnicode maps), so its text cannot be read; export the PDF again from the original document, or run OCR",
			"PDF-filens typsnitt anger inte vilka tecken de visar (ToUnicode saknas), så texten kan inte läsas; exportera PDF-filen på nytt från originaldokumentet eller kör OCR (textigenkänning)", nil)
	}
	if glyphs == 0 {
		return Text{}, noTextLayer(name)
	}
	return Text{Title: pdfTitle(doc.Title()), Blocks: layoutPages(pages), Pages: doc.NumPages()}, nil
}

func noTextLayer(name string) *Error {
	return newError(name, KindNoTextLayer, "the PDF has no text layer (a scanned document?); run OCR first",
		"PDF-filen saknar textlager (ett skannat dokument?); kör OCR (textigenkänning) först", nil)
}

func pdfError(name string, err error) *Error {
	switch {
	case errors.Is(err, pdf.ErrEncrypted):
		return newError(name, KindEncrypted, "the PDF is encrypted (it needs a password to open); save an unprotected copy",
			"PDF-filen är krypterad (den kräver lösenord för att öppnas); spara en kopia utan skydd", err)
	case errors.Is(err, pdf.ErrUnsupportedEncryption):
		return newError(name, KindEncrypted, "the PDF is encrypted with a method Inkludera cannot open; save an unprotected copy",
			"PDF-filen är krypterad på ett sätt som Inkludera inte kan öppna; spara en kopia utan skydd", err)
	case errors.Is(err, pdf.ErrTooLarge):
		return newError(name, KindTooLarge, "the PDF is too large or complex to read (its content exceeds the limits)",
			"PDF-filen är för stor eller komplex för att läsas (innehållet överskrider gränserna)", err)
	case errors.Is(err, pdf.ErrNotPDF):
		return newError(name, KindDamaged, "not a PDF file (it has no %PDF- header)", "inte en PDF-fil (den saknar huvudet %PDF-)", err)
	}
	return newError(name, KindDamaged, "the PDF is damaged (is the file truncated?)", "PDF-filen är skadad (är filen avkortad?)", err)
}

// pdfTitle drops what Word's PDF printer adds to a title, and titles that
// are not text (some writers encrypt them wrongly).
func pdfTitle(t string) string {
	t = strings.TrimSpace(strings.TrimPrefix(t, "Microsoft Word - "))
	for _, ext := range []string{".docx", ".doc"} {
		t = strings.TrimSuffix(t, ext)
	}
	plain, total := 0, 0
	for _, r := range t {
		total++
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == ' ' || strings.ContainsRune("-–—.,:;()&/'’\"", r) {
			plain++
		}
	}
	if plain*10 < total*9 {
		return ""
	}
	return t
}

// pdfLine is one line of text: glyphs on a common baseline, left to right.
type pdfLine struct {
	page   int
	y      float64 // baseline, up from the page's bottom
	x0, x1 float64
	size   float64 // the most common glyph size
	bold   bool
	bullet bool    // the line starts with a bullet, left out of text
	textX  float64 // where the text starts (after a bullet)
	text   string
}

// bullets are glyphs that start list items ( and  are the Symbol and
// Wingdings bullets in the private use area).
var bullets = map[string]bool{"•": true, "●": true, "▪": true, "■": true, "◦": true, "○": true, "–": true, "-": true, "►": true, "➢": true, "✓": true, "·": true, "\uF0B7": true, "\uF0A7": true, "\uF0D8": true, "*": true}

// layoutPages turns the pages' glyphs into blocks:
//
//   - glyphs on a common baseline (within half their size) form a line,
//     read left to right; a gap wider than 0.15 em is a space; a glyph drawn
//     twice at the same place (fake bold) counts once; rotated text is left
//     out;
//   - lines repeated in the top or bottom margin of most pages (running
//     heads, footers) and lone page numbers there are dropped;
//   - consecutive lines form a paragraph unless the vertical gap exceeds
//     1.3 times the document's usual line pitch, the size or boldness
//     changes, a bullet starts a list item, or the previous line ends a
//     sentence well short of the text's right edge; a paragraph continues on
//     the next page when the page ends mid-sentence;
//   - a block of at most 200 characters in a font 12 % or more larger than
//     the body text is a heading, ranked by size; a short bold block of body
//     size not ending in . , or ; is a heading one level below those.
func layoutPages(pages []*pdf.Page) []Block {
	var perPage [][]pdfLine
	for _, p := range pages {
		perPage = append(perPage, buildLines(p))
	}
	dropRunningLines(perPage, pages)
	var lines []pdfLine
	for _, pl := range perPage {
		lines = append(lines, pl...)
	}
	if len(lines) == 0 {
		return nil
	}
	body, pitch, bodyBold := bodyMetrics(lines)
	edges := textEdges(perPage)

	type group struct {
		lines []pdfLine
	}
	var groups []group
	for i, b := range lines {
		if i > 0 && len(groups) > 0 {
			g := &groups[len(groups)-1]
			if continuesParagraph(g.lines, b, body, pitch, edges) {
				g.lines = append(g.lines, b)
				continue
			}
		}
		groups = append(groups, group{lines: []pdfLine{b}})
	}

	// Heading sizes, largest first.
	sizeSet := map[float64]bool{}
	for _, g := range groups {
		if s := roundHalf(g.lines[0].size); s >= body*1.12 && groupLen(g.lines) <= 200 {
			sizeSet[s] = true
		}
	}
	var headingSizes []float64
	for s := range sizeSet {
		headingSizes = append(headingSizes, s)
	}
	sort.Sort(sort.Reverse(sort.Float64Slice(headingSizes)))

	var blocks []Block
	for _, g := range groups {
		first := g.lines[0]
		texts := make([]string, len(g.lines))
		for i, l := range g.lines {
			texts[i] = l.text
		}
		text := joinLines(texts)
		b := Block{Kind: Paragraph, Text: text, Page: first.page}
		size := roundHalf(first.size)
		last, _ := utf8.DecodeLastRuneInString(strings.TrimSpace(text))
		switch {
		case first.bullet:
			b.Kind, b.Level = ListItem, 1
		case sizeSet[size]:
			b.Kind = Heading
			for i, s := range headingSizes {
				if s == size {
					b.Level = i + 1
				}
			}
		case first.bold && !bodyBold && len(g.lines) <= 2 && utf8.RuneCountInString(text) <= 150 &&
			size >= body && !strings.ContainsRune(".,;", last):
			b.Kind, b.Level = Heading, len(headingSizes)+1
		}
		blocks = append(blocks, b)
	}
	return blocks
}

func roundHalf(v float64) float64 { return math.Round(v*2) / 2 }

func groupLen(lines []pdfLine) int {
	n := 0
	for _, l := range lines {
		n += utf8.RuneCountInString(l.text) + 1
	}
	return n
}

// buildLines groups a page's upright glyphs into lines, top to bottom.
func buildLines(p *pdf.Page) []pdfLine {
	gs := make([]pdf.Glyph, 0, len(p.Glyphs))
	for _, g := range p.Glyphs {
		if !g.Upright || g.Text == "" || g.Size <= 0 {
			continue
		}
		if g.X < -g.Size || g.X > p.Width+g.Size || g.Y < -g.Size || g.Y > p.Height+g.Size {
			continue // outside the visible page
		}
		gs = append(gs, g)
	}
	sort.SliceStable(gs, func(i, j int) bool { return gs[i].Y > gs[j].Y })
	var lines []pdfLine
	for start := 0; start < len(gs); {
		anchor := gs[start]
		end := start + 1
		for end < len(gs) && anchor.Y-gs[end].Y <= 0.5*math.Max(anchor.Size, gs[end].Size) {
			end++
		}
		if l, ok := makeLine(p.Number, gs[start:end]); ok {
			lines = append(lines, l)
		}
		start = end
	}
	return lines
}

func makeLine(page int, gs []pdf.Glyph) (pdfLine, bool) {
	sort.SliceStable(gs, func(i, j int) bool { return gs[i].X < gs[j].X })
	sizes := map[float64]int{}
	bold := true
	var b strings.Builder
	var last *pdf.Glyph
	line := pdfLine{page: page}
	textStarted := false
	for i := range gs {
		g := &gs[i]
		if last != nil {
			if g.Text == last.Text && math.Abs(g.X-last.X) < math.Min(0.1*g.Size, 0.3*last.Width) && math.Abs(g.Y-last.Y) < 0.1*g.Size {
				continue // drawn twice for a bold effect
			}
			gap := g.X - (last.X + last.Width)
			if gap > 0.15*math.Min(g.Size, last.Size) && !strings.HasSuffix(b.String(), " ") && !strings.HasPrefix(g.Text, " ") {
				b.WriteByte(' ')
			}
		}
		if strings.TrimSpace(g.Text) != "" {
			if !textStarted {
				line.x0 = g.X
				line.textX = g.X
				textStarted = true
			}
			sizes[roundHalf(g.Size)] += utf8.RuneCountInString(g.Text)
			bold = bold && g.Bold
			line.x1 = g.X + g.Width
		}
		b.WriteString(g.Text)
		last = g
	}
	if !textStarted {
		return pdfLine{}, false
	}
	best := 0
	for s, n := range sizes {
		if n > best || n == best && s > line.size {
			best, line.size = n, s
		}
	}
	line.bold = bold
	line.y = gs[0].Y
	text := strings.TrimSpace(b.String())
	// A bullet: a bullet glyph followed by a space.
	if first, rest, ok := strings.Cut(text, " "); ok && bullets[first] && strings.TrimSpace(rest) != "" {
		line.bullet = true
		line.text = strings.TrimSpace(rest)
		for _, g := range gs {
			if strings.TrimSpace(g.Text) != "" && !bullets[g.Text] {
				line.textX = g.X
				break
			}
		}
		return line, true
	}
	line.text = text
	return line, true
}

var pageNumberLine = regexp.MustCompile(`(?i)^[-–—\s]*(?:(?:sida|sid|s\.|page|p\.)\s*)?(\d{1,4})(?:\s*(?:av|of|/|\()\s*\d{1,4}\)?)?[-–—\s]*$`)

// isPageNumber: "7", "Sida 7 av 30", "7 (30)", "- 7 -", with a number that
// can be a page of this document (a year on a cover page is not).
func isPageNumber(text string, pages int) bool {
	m := pageNumberLine.FindStringSubmatch(text)
	if m == nil {
		return false
	}
	n, err := strconv.Atoi(m[1])
	return err == nil && n <= pages+50
}

// dropRunningLines removes running heads and footers: lines near the top
// or bottom edge whose text, digits aside, recurs on at least half the
// pages (two at least), and lone page numbers there.
func dropRunningLines(perPage [][]pdfLine, pages []*pdf.Page) {
	key := func(s string) string {
		return strings.Map(func(r rune) rune {
			if unicode.IsDigit(r) {
				return '#'
			}
			return unicode.ToLower(r)
		}, s)
	}
	inMargin := func(l pdfLine, h float64) bool { return l.y > 0.88*h || l.y < 0.12*h }
	counts := map[string]int{}
	for i, lines := range perPage {
		seen := map[string]bool{}
		for _, l := range lines {
			if inMargin(l, pages[i].Height) && !seen[key(l.text)] {
				seen[key(l.text)] = true
				counts[key(l.text)]++
			}
		}
	}
	minPages := max(2, (len(perPage)+1)/2)
	for i, lines := range perPage {
		out := lines[:0]
		for j, l := range lines {
			edge := j == 0 || j == len(lines)-1 || j == 1 || j == len(lines)-2
			if inMargin(l, pages[i].Height) && edge && (counts[key(l.text)] >= minPages || isPageNumber(l.text, len(pages))) {
				continue
			}
			out = append(out, l)
		}
		perPage[i] = out
	}
}

// bodyMetrics finds the body text's size (the most common, by
// characters), its usual baseline-to-baseline pitch, and whether body text
// is bold throughout.
func bodyMetrics(lines []pdfLine) (size, pitch float64, bold bool) {
	count := map[float64]int{}
	boldCount := map[float64]int{}
	for _, l := range lines {
		n := utf8.RuneCountInString(l.text)
		count[roundHalf(l.size)] += n
		if l.bold {
			boldCount[roundHalf(l.size)] += n
		}
	}
	best := 0
	for s, n := range count {
		if n > best || n == best && s < size {
			best, size = n, s
		}
	}
	bold = boldCount[size] > best*9/10
	var pitches []float64
	for i := 1; i < len(lines); i++ {
		a, b := lines[i-1], lines[i]
		if a.page != b.page || roundHalf(a.size) != size || roundHalf(b.size) != size {
			continue
		}
		if d := a.y - b.y; d > 0.5*size && d < 3*size {
			pitches = append(pitches, d)
		}
	}
	if len(pitches) == 0 {
		return size, 1.2 * size, bold
	}
	sort.Float64s(pitches)
	// The lower quartile: within paragraphs, not between them.
	return size, pitches[len(pitches)/4], bold
}

// textEdges is each page's left and right text edge (10th and 90th
// percentiles of the lines' ends).
func textEdges(perPage [][]pdfLine) map[int][2]float64 {
	out := map[int][2]float64{}
	for _, lines := range perPage {
		if len(lines) == 0 {
			continue
		}
		var x0s, x1s []float64
		for _, l := range lines {
			x0s = append(x0s, l.x0)
			x1s = append(x1s, l.x1)
		}
		sort.Float64s(x0s)
		sort.Float64s(x1s)
		out[lines[0].page] = [2]float64{x0s[len(x0s)/10], x1s[len(x1s)*9/10]}
	}
	return out
}

func endsSentence(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(strings.TrimSpace(s))
	return strings.ContainsRune(".!?:;", r)
}

// continuesParagraph decides whether line b continues the block so far.
func continuesParagraph(block []pdfLine, b pdfLine, body, pitch float64, edges map[int][2]float64) bool {
	a := block[len(block)-1]
	first := block[0]
	if b.bullet || math.Abs(a.size-b.size) > 0.6 || a.bold != b.bold {
		return false
	}
	if a.page != b.page {
		next, _ := utf8.DecodeRuneInString(b.text)
		return !endsSentence(a.text) && unicode.IsLower(next) && roundHalf(a.size) <= body
	}
	expected := pitch * b.size / body
	if d := a.y - b.y; d > 1.3*expected || d < 0.3*b.size {
		return false
	}
	if first.bullet && b.x0 < first.textX-0.5*b.size {
		return false // back at the margin: the list item has ended
	}
	if e, ok := edges[a.page]; ok && endsSentence(a.text) {
		width := e[1] - e[0]
		if width > 0 && a.x1 < e[1]-0.3*width {
			return false // a short line ending a sentence ends its paragraph
		}
		if !first.bullet && b.x0 > e[0]+b.size && b.x0 > a.x0+b.size {
			return false // an indented first line starts a paragraph
		}
	}
	return true
}
