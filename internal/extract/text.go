package extract

import (
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// doc is the input prepared for reading: items (headings, paragraphs,
// list items, table rows) in order, each mapped back to the input.
type doc struct {
	src   string
	items []item
	// toc holds the titles of the table of contents, normalised with
	// normKey; headings in text without line breaks are found by them.
	toc map[string]bool
	// tocTitles are the same titles as written, longest first.
	tocTitles []string
}

type itemKind int

const (
	itemText    itemKind = iota // a paragraph: one or more sentences
	itemHeading                 // a line of its own that reads as a heading
	itemBullet                  // a list item (bulleted, or one of several numbered lines)
	itemRow                     // a table row
)

type item struct {
	kind   itemKind
	span   span
	number string // "1", "1.1" when the line was numbered
	// level is the Markdown heading level ("##" = 2) or the depth of the
	// numbering ("3.1" = 2); 0 when the text gives none.
	level int
	cells []span // the cells of a table row
	block int    // items of one block (no blank line between) share it
	// leadIn marks a line ending in ":" that introduces the list after it.
	leadIn bool
}

// line is one input line.
type line struct {
	start, end int    // the line in the input, without its line break
	text       string // trimmed
	indent     int
}

var (
	transcriptRe = mustRe(`^(?i:transkript|transcript)\s*:`)
	pageLineRe   = mustRe(`^(?i:(?:-\s*)?\d{1,3}(?:\s*-)?|(?:sida|sid\.|page)\s*\d{1,3}(?:\s*(?:av|\(|/|of)\s*\d{1,3}\)?)?|\d{1,3}\s*(?:\(\s*\d{1,3}\s*\)|/\s*\d{1,3}))$`)
	bareNumberRe = mustRe(`^\d{1,3}$`)
	trailingNoRe = mustRe(`\s(\d{1,3})$`)
	bulletRe     = mustRe(`^(?:[-*–—]\s+|[•·▪◦●○■►➢✓\x{F0B7}]\s*)`)
	numberedRe   = mustRe(`^(\d{1,2}(?:\.\d{1,2})*)(\.|\)|\s\))?\s+(\S.*)$`)
	markdownRe   = mustRe(`^(#{1,6})\s+(.*)$`)
	tocLeaderRe  = mustRe(`(?:\s*\.{2,}\s*|\s*…+\s*|\s+)(\d{1,3})(?:\s|$)`)
)

// prepare splits the input into items. It skips what comes before a
// "Transkript:" line (a document library's page around the document),
// drops page numbers and running headers, and joins text that a page break
// or a line break cut.
func prepare(src string) *doc {
	d := &doc{src: src, toc: map[string]bool{}}
	lines := splitLines(src)
	lines = dropNoise(lines)
	blocks := groupBlocks(lines)
	blocks = stripPageNumbers(blocks)
	var items []item
	for bi, blk := range blocks {
		items = append(items, blockItems(src, blk, bi)...)
	}
	items = joinPageBreaks(items)
	for i := range items {
		items[i].span = dropPageMarks(items[i].span)
	}
	items = d.takeTOC(items)
	for _, it := range items {
		if it.kind == itemText {
			d.items = append(d.items, d.splitInline(it)...)
		} else {
			d.items = append(d.items, it)
		}
	}
	return d
}

// splitLines returns the input's lines, from after a "Transkript:" line
// when there is one.
func splitLines(src string) []line {
	var lines []line
	start := 0
	for i := 0; i <= len(src); i++ {
		if i < len(src) && src[i] != '\n' && src[i] != '\f' {
			continue
		}
		end := i
		if end > start && src[end-1] == '\r' {
			end--
		}
		raw := src[start:end]
		trimmed := strings.TrimSpace(raw)
		indent := len(raw) - len(strings.TrimLeft(raw, " \t"))
		lines = append(lines, line{start: start + indent, end: start + indent + len(trimmed), text: trimmed, indent: indent})
		if i < len(src) && src[i] == '\f' {
			lines = append(lines, line{start: i, end: i}) // a page break separates like a blank line
		}
		start = i + 1
	}
	for i, l := range lines {
		if m := transcriptRe.FindStringIndex(l.text); m != nil {
			rest := lines[i+1:]
			if after := strings.TrimSpace(l.text[m[1]:]); after != "" {
				first := line{start: l.start + m[1] + (len(l.text[m[1]:]) - len(strings.TrimLeft(l.text[m[1]:], " \t"))), text: after}
				first.end = first.start + len(after)
				rest = append([]line{first}, rest...)
			}
			return rest
		}
	}
	return lines
}

// dropNoise removes page-number lines and running headers or footers:
// short lines with a digit that recur on three or more pages ("Id nr:
// 0:34").
func dropNoise(lines []line) []line {
	count := map[string]int{}
	for _, l := range lines {
		if l.text != "" {
			count[noiseKey(l.text)]++
		}
	}
	// A bare number between two short lines is a table cell that lost
	// its table ("1" under the heading "Mål"), not a page number.
	cell := func(i int) bool {
		if !bareNumberRe.MatchString(lines[i].text) {
			return false
		}
		short := func(j, step int) bool {
			for ; j >= 0 && j < len(lines); j += step {
				if lines[j].text != "" {
					t := lines[j].text
					return len(words(t)) <= 5 && !strings.HasSuffix(t, ".")
				}
			}
			return false
		}
		return short(i-1, -1) && short(i+1, 1)
	}
	out := lines[:0:0]
	for i, l := range lines {
		k := noiseKey(l.text)
		if l.text != "" && (pageLineRe.MatchString(k) && !cell(i) ||
			count[k] >= 3 && len(k) <= 60 && strings.ContainsAny(k, "0123456789") && !numberedRe.MatchString(l.text) && !isTableRow(l.text)) {
			continue
		}
		out = append(out, l)
	}
	return out
}

func noiseKey(s string) string {
	s = strings.NewReplacer("*", "", "#", "", "_", "").Replace(s)
	return strings.Join(strings.Fields(strings.ToLower(s)), " ")
}

// groupBlocks groups lines into blocks separated by blank lines.
func groupBlocks(lines []line) [][]line {
	var blocks [][]line
	var cur []line
	for _, l := range lines {
		if l.text == "" {
			if len(cur) > 0 {
				blocks = append(blocks, cur)
				cur = nil
			}
			continue
		}
		cur = append(cur, l)
	}
	if len(cur) > 0 {
		blocks = append(blocks, cur)
	}
	return blocks
}

// stripPageNumbers removes the page number that ends a page of text
// without line breaks: a block ending in a small number counts as a page
// when a neighbouring such block ends in the number before or after it.
func stripPageNumbers(blocks [][]line) [][]line {
	numbers := make([]int, len(blocks))
	for i, b := range blocks {
		numbers[i] = -1
		last := b[len(b)-1]
		if len(last.text) < 80 {
			continue
		}
		if m := trailingNoRe.FindStringSubmatch(last.text); m != nil {
			numbers[i], _ = strconv.Atoi(m[1])
		}
	}
	for i := range blocks {
		if numbers[i] < 0 {
			continue
		}
		page := i > 0 && numbers[i-1] >= 0 && numbers[i-1] == numbers[i]-1 ||
			i+1 < len(blocks) && numbers[i+1] >= 0 && numbers[i+1] == numbers[i]+1
		if !page {
			continue
		}
		b := blocks[i]
		last := b[len(b)-1]
		cut := strings.TrimRight(strings.TrimRight(last.text[:len(last.text)-len(strconv.Itoa(numbers[i]))], " \t"), " ")
		last.end = last.start + len(cut)
		last.text = cut
		b[len(b)-1] = last
	}
	return blocks
}

// pageMarkRe is a page number that a paragraph swallowed when its lines
// were joined: "… omsorg. Sida 3 av 4".
var pageMarkRe = mustRe(`(?i)\s*\b(?:sida|sid\.|page)\s+\d{1,3}\s*(?:av|/|\(|of)\s*\d{1,3}\)?`)

// dropPageMarks removes page marks from inside a paragraph.
func dropPageMarks(s span) span {
	for {
		m := pageMarkRe.FindStringIndex(s.text)
		if m == nil {
			return s
		}
		s = s.slice(0, m[0]).join(s.slice(m[1], len(s.text)).trim(""), m[0] > 0 && m[1] < len(s.text))
	}
}

// functionWords end a line that cannot end a heading or paragraph.
var functionWords = map[string]bool{
	"och": true, "att": true, "i": true, "på": true, "för": true, "av": true, "med": true, "till": true,
	"som": true, "om": true, "en": true, "ett": true, "de": true, "den": true, "det": true, "samt": true,
	"eller": true, "från": true, "inom": true, "under": true, "vid": true, "hos": true, "mot": true,
	"genom": true, "efter": true, "mellan": true, "är": true, "ska": true, "har": true, "kan": true,
	"bör": true, "så": true, "även": true, "vår": true, "våra": true, "sina": true, "sin": true, "sitt": true,
}

// blockItems turns a block's lines into items: list items and table rows
// stand alone, headings keep their own line (joined when a heading was
// broken over two lines), and wrapped lines of a paragraph are joined.
func blockItems(src string, blk []line, bi int) []item {
	maxLen := 0
	for _, l := range blk {
		maxLen = max(maxLen, len([]rune(l.text)))
	}
	numberedLines := 0
	for _, l := range blk {
		if m := numberedRe.FindStringSubmatch(l.text); m != nil && numberedOK(m) {
			numberedLines++
		}
	}
	var items []item
	var cur *item
	var curLast line
	flush := func() {
		if cur != nil {
			cur.span = cur.span.trim("")
			if cur.span.text != "" {
				items = append(items, *cur)
			}
			cur = nil
		}
	}
	for _, l := range blk {
		text := l.text
		switch {
		case markdownRe.MatchString(text):
			flush()
			m := markdownRe.FindStringSubmatchIndex(text)
			it := item{kind: itemHeading, level: m[3] - m[2], block: bi, span: spanOf(src, l.start+m[4], l.start+m[5])}
			it = numberHeading(it)
			items = append(items, it)
			continue
		case isTableRow(text):
			flush()
			items = append(items, tableRow(src, l, bi))
			continue
		}
		if m := bulletRe.FindStringIndex(text); m != nil && len(text) > m[1] && !strings.HasPrefix(text, "--") {
			flush()
			cur = &item{kind: itemBullet, block: bi, span: spanOf(src, l.start+m[1], l.end)}
			curLast = l
			continue
		}
		if m := numberedRe.FindStringSubmatchIndex(text); m != nil && numberedOK(numberedRe.FindStringSubmatch(text)) {
			flush()
			kind := itemText
			if numberedLines >= 2 && len(blk) == numberedLines {
				kind = itemBullet // a numbered list
			}
			num := text[m[2]:m[3]]
			cur = &item{kind: kind, block: bi, number: num, level: strings.Count(num, ".") + 1, span: spanOf(src, l.start+m[6], l.end)}
			curLast = l
			continue
		}
		if cur != nil && continues(curLast, l, cur.kind, maxLen) {
			glue := true
			prev := cur.span.text
			if strings.HasSuffix(prev, "-") && len(prev) > 1 && unicode.IsLetter(lastRune(prev[:len(prev)-1])) && isLowerStart(text) {
				cur.span = cur.span.slice(0, len(prev)-1)
				glue = false
			}
			cur.span = cur.span.join(spanOf(src, l.start, l.end), glue)
			curLast = l
			continue
		}
		flush()
		cur = &item{kind: itemText, block: bi, span: spanOf(src, l.start, l.end)}
		curLast = l
	}
	flush()
	for i := range items {
		items[i] = markHeading(items[i])
	}
	return items
}

// numberedOK rejects numbered-line matches that are a number in running
// text: without a dot or parenthesis the title must start with a capital.
func numberedOK(m []string) bool {
	if m[2] == "" && !isUpperStart(m[3]) {
		return false
	}
	if m[2] == "." && unicode.IsDigit(firstRune(m[3])) {
		return false
	}
	return true
}

// continues reports whether line l carries on the text of the line before
// it rather than starting a new item.
func continues(prev, l line, kind itemKind, maxLen int) bool {
	p, t := prev.text, l.text
	if kind == itemBullet {
		return l.indent > prev.indent || isLowerStart(t)
	}
	if isLowerStart(t) {
		return true
	}
	last := strings.ToLower(lastWord(p))
	if functionWords[last] || strings.HasSuffix(p, ",") || strings.HasSuffix(p, "-") && !strings.HasSuffix(p, " -") {
		return true
	}
	// A long line in a block of long lines was wrapped.
	n := len([]rune(p))
	return n >= 40 && n*10 >= maxLen*6 && !strings.HasSuffix(p, ":")
}

func lastWord(s string) string {
	f := strings.Fields(s)
	if len(f) == 0 {
		return ""
	}
	return strings.Trim(f[len(f)-1], ",.;:")
}

// isTableRow reports whether a line is a row of a table turned into text:
// cells separated by tabs or " | ".
func isTableRow(s string) bool {
	return strings.Count(s, "\t") >= 1 && len(strings.Fields(strings.ReplaceAll(s, "\t", " | "))) > 1 && !strings.HasPrefix(s, "\t") ||
		strings.Count(s, " | ") >= 1 || strings.HasPrefix(s, "|") && strings.Count(s, "|") >= 3
}

func tableRow(src string, l line, bi int) item {
	it := item{kind: itemRow, block: bi, span: spanOf(src, l.start, l.end)}
	sep := "\t"
	if !strings.Contains(l.text, "\t") {
		sep = "|"
	}
	pos := l.start
	for _, cell := range strings.Split(l.text, sep) {
		c := spanOf(src, pos, pos+len(cell)).trim("|")
		pos += len(cell) + len(sep)
		if strings.Trim(c.text, "-: ") != "" {
			it.cells = append(it.cells, c)
		}
	}
	return it
}

// numberHeading takes a number off the start of a heading ("## 3.1 Ansvar").
func numberHeading(it item) item {
	if m := numberedRe.FindStringSubmatchIndex(it.span.text); m != nil && numberedOK(numberedRe.FindStringSubmatch(it.span.text)) {
		it.number = it.span.text[m[2]:m[3]]
		it.span = it.span.slice(m[6], len(it.span.text))
	}
	return it
}

// markHeading turns a short line of its own without final punctuation into
// a heading.
func markHeading(it item) item {
	if it.kind != itemText {
		return it
	}
	t := it.span.text
	if strings.HasSuffix(t, ":") {
		it.leadIn = true
	}
	if looksLikeHeading(t) {
		it.kind = itemHeading
	}
	return it
}

// looksLikeHeading: at most 15 words, no final full stop, comma or
// semicolon, starting with a capital or a digit.
func looksLikeHeading(t string) bool {
	w := words(t)
	if len(w) == 0 || len(w) > 15 || len(sentences(textSpan(t, Evidence{}))) > 1 {
		return false
	}
	switch lastRune(t) {
	case '.', '!', ';', ',':
		return false
	}
	r := firstRune(t)
	return unicode.IsUpper(r) || unicode.IsDigit(r) || r == '"' || r == '”' || r == '»'
}

// joinPageBreaks joins a paragraph that a page break cut: the item before
// ends without final punctuation and the next starts in lower case.
func joinPageBreaks(items []item) []item {
	var out []item
	for _, it := range items {
		if n := len(out); n > 0 && it.kind == itemText && out[n-1].block != it.block {
			prev := &out[n-1]
			t := prev.span.text
			// A page break cuts a paragraph, not a table cell: the part
			// before it is long, or ends in a hyphen or a word that
			// cannot end a sentence.
			cut := len([]rune(t)) >= 40 || strings.HasSuffix(t, "-") || functionWords[strings.ToLower(lastWord(t))]
			if prev.kind != itemRow && cut && isLowerStart(it.span.text) && !strings.ContainsRune(".!?:;", lastRune(t)) {
				glue := true
				if strings.HasSuffix(t, "-") && len(t) > 1 && unicode.IsLetter(lastRune(t[:len(t)-1])) {
					prev.span = prev.span.slice(0, len(t)-1)
					glue = false
				}
				prev.span = prev.span.join(it.span, glue)
				if prev.kind == itemHeading && prev.level == 0 {
					// A short first part looked like a heading.
					prev.kind = itemText
					*prev = markHeading(*prev)
				}
				continue
			}
		}
		out = append(out, it)
	}
	return out
}

// takeTOC removes the table of contents and remembers its titles: a
// paragraph of titles with dot leaders and page numbers, or the short
// (numbered) lines after a heading "Innehåll".
func (d *doc) takeTOC(items []item) []item {
	var out []item
	for i := 0; i < len(items); i++ {
		it := items[i]
		t := it.span.text
		low := strings.ToLower(t)
		if strings.HasPrefix(low, "innehåll") && (it.kind == itemText || it.kind == itemHeading) {
			rest := strings.TrimSpace(t[len(firstWordOf(t)):])
			if entries := tocEntries(rest); len(entries) >= 2 {
				d.addTOC(entries)
				continue
			}
			if rest == "" {
				// The heading alone: the titles follow, one a line.
				j := i + 1
				var entries []string
				for ; j < len(items); j++ {
					e := items[j]
					title := strings.TrimSpace(tocLeaderRe.ReplaceAllString(e.span.text, " "))
					if len(words(e.span.text)) > 14 || strings.HasSuffix(e.span.text, ".") || e.kind == itemRow {
						break
					}
					if d.toc[normKey(title)] || containsKey(entries, title) {
						break // the document starts again with the first title
					}
					entries = append(entries, title)
				}
				if len(entries) >= 2 {
					d.addTOC(entries)
					i = j - 1
					continue
				}
			}
		}
		if it.kind != itemRow && strings.Count(t, "...") >= 1 && tocLeaderRe.MatchString(t) {
			if entries := tocEntries(t); len(entries) >= 1 && len(entries)*12 >= len(words(t)) {
				d.addTOC(entries)
				continue
			}
		}
		out = append(out, it)
	}
	return out
}

func containsKey(list []string, s string) bool {
	k := normKey(s)
	for _, e := range list {
		if normKey(e) == k {
			return true
		}
	}
	return false
}

func firstWordOf(s string) string {
	if i := strings.IndexFunc(s, unicode.IsSpace); i >= 0 {
		return s[:i]
	}
	return s
}

var tocEntryRe = mustRe(`(.+?)(?:\s*\.{2,}[\s.]*|\s*…+\s*)(\d{1,3})\b\s*`)

// tocEntries reads "Inledning... 3 Mål....... 6" into its titles.
func tocEntries(s string) []string {
	var out []string
	for _, m := range tocEntryRe.FindAllStringSubmatch(s, -1) {
		title := strings.TrimSpace(strings.TrimRight(strings.TrimSpace(m[1]), ".…"))
		if title != "" {
			out = append(out, title)
		}
	}
	return out
}

func (d *doc) addTOC(entries []string) {
	for _, e := range entries {
		e = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(e), ":"))
		if m := numberedRe.FindStringSubmatch(e); m != nil && numberedOK(m) {
			e = m[3]
		}
		if k := normKey(e); k != "" && !d.toc[k] {
			d.toc[k] = true
			d.tocTitles = append(d.tocTitles, e)
		}
	}
	// Longest first, so that "Långsiktigt mål 1: Fler nya Östersundare"
	// wins over a shorter title it starts with. A real table of contents
	// has a few dozen titles; more is text that only looks like one.
	sort.SliceStable(d.tocTitles, func(i, j int) bool { return len(d.tocTitles[i]) > len(d.tocTitles[j]) })
	if len(d.tocTitles) > 200 {
		d.tocTitles = d.tocTitles[:200]
	}
}
