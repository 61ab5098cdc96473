package doctext

import (
	"html"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The Markdown reader covers what strategy texts use: ATX and setext
// headings, paragraphs, bullet and numbered lists (nesting by
// indentation), block quotes, fenced code, pipe tables (cells as
// paragraphs), thematic breaks and YAML front matter (its title: is the
// document's title). Inline markup is stripped: emphasis, code ticks,
// links and images (their text stays), autolinks, HTML tags, backslash
// escapes and entities.

var (
	mdATX           = regexp.MustCompile(`^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$`)
	mdSetext1       = regexp.MustCompile(`^ {0,3}=+[ \t]*$`)
	mdSetext2       = regexp.MustCompile(`^ {0,3}-+[ \t]*$`)
	mdBreak         = regexp.MustCompile(`^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$`)
	mdListItem      = regexp.MustCompile(`^([ \t]*)(?:[-*+]|\d{1,9}[.)])(?:[ \t]+(.*))?$`)
	mdFence         = regexp.MustCompile("^ {0,3}(```+|~~~+)")
	mdLinkDef       = regexp.MustCompile(`^ {0,3}\[[^\]]+\]:[ \t]*\S+`)
	mdTableDelim    = regexp.MustCompile(`^[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$`)
	mdBlockquote    = regexp.MustCompile(`^ {0,3}> ?`)
	mdFrontTitle    = regexp.MustCompile(`^title:[ \t]*(.+)$`)
	mdHTMLTag       = regexp.MustCompile(`^</?[A-Za-z][A-Za-z0-9-]*(?:\s[^>]*)?/?>$|^<!--.*-->$`)
	mdAutolinkShape = regexp.MustCompile(`^(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[^\s<>@]+@[^\s<>@]+)$`)
)

type mdReader struct {
	blocks      []Block
	para        []string
	paraKind    BlockKind
	paraLevel   int
	listIndents []int
	title       string
}

func extractMarkdown(name string, data []byte) (Text, error) {
	s, err := decodeText(name, data)
	if err != nil {
		return Text{}, err
	}
	lines := splitLines(s)
	r := &mdReader{}
	lines = r.frontMatter(lines)
	for i := 0; i < len(lines); i++ {
		line := strings.TrimRight(lines[i], " \t")
		for mdBlockquote.MatchString(line) {
			line = mdBlockquote.ReplaceAllString(line, "")
		}
		switch {
		case strings.TrimSpace(line) == "":
			r.flush()
			if !r.inList() {
				r.listIndents = nil
			}
		case mdFence.MatchString(line):
			r.flush()
			fence := mdFence.FindStringSubmatch(line)[1]
			var code []string
			for i++; i < len(lines) && !strings.HasPrefix(strings.TrimSpace(lines[i]), fence[:3]); i++ {
				code = append(code, lines[i])
			}
			r.blocks = append(r.blocks, Block{Kind: Paragraph, Text: strings.Join(code, " ")})
		case mdATX.MatchString(line):
			r.flush()
			m := mdATX.FindStringSubmatch(line)
			r.heading(len(m[1]), m[2])
		case len(r.para) > 0 && r.paraKind == Paragraph && mdSetext1.MatchString(line):
			r.headingFromPara(1)
		case len(r.para) > 0 && r.paraKind == Paragraph && mdSetext2.MatchString(line):
			r.headingFromPara(2)
		case mdBreak.MatchString(line):
			r.flush()
		case mdLinkDef.MatchString(line) && len(r.para) == 0:
		case strings.Contains(line, "|") && i+1 < len(lines) && mdTableDelim.MatchString(lines[i+1]) && strings.Contains(lines[i+1], "-"):
			r.flush()
			r.tableRow(line)
			for i += 2; i < len(lines) && strings.TrimSpace(lines[i]) != "" && strings.Contains(lines[i], "|"); i++ {
				r.tableRow(lines[i])
			}
			i--
		case mdListItem.MatchString(line) && !(len(r.para) > 0 && r.paraKind == Paragraph && startsWithNumberNotOne(line)):
			r.flush()
			m := mdListItem.FindStringSubmatch(line)
			r.para = []string{m[2]}
			r.paraKind = ListItem
			r.paraLevel = r.listLevel(indentWidth(m[1]))
		case mdHTMLTag.MatchString(strings.TrimSpace(line)) && len(r.para) == 0:
			// A block-level HTML tag or comment on its own line.
		default:
			if len(r.para) == 0 {
				r.paraKind = Paragraph
				r.paraLevel = 0
				r.listIndents = nil
			}
			r.para = append(r.para, line)
		}
	}
	r.flush()
	return Text{Title: r.title, Blocks: r.blocks}, nil
}

// startsWithNumberNotOne: as in CommonMark, only a list starting at 1 may
// interrupt a paragraph, so "år\n2020. …" stays text.
func startsWithNumberNotOne(line string) bool {
	t := strings.TrimSpace(line)
	return len(t) > 0 && t[0] >= '0' && t[0] <= '9' && !strings.HasPrefix(t, "1.") && !strings.HasPrefix(t, "1)")
}

func indentWidth(s string) int {
	w := 0
	for _, c := range s {
		if c == '\t' {
			w += 4 - w%4
		} else {
			w++
		}
	}
	return w
}

func (r *mdReader) inList() bool { return len(r.listIndents) > 0 }

// listLevel turns an item's indentation into its nesting depth.
func (r *mdReader) listLevel(indent int) int {
	for len(r.listIndents) > 0 && r.listIndents[len(r.listIndents)-1] > indent {
		r.listIndents = r.listIndents[:len(r.listIndents)-1]
	}
	if len(r.listIndents) == 0 || r.listIndents[len(r.listIndents)-1] < indent {
		r.listIndents = append(r.listIndents, indent)
	}
	return len(r.listIndents)
}

// frontMatter drops a leading YAML block between "---" lines, keeping its
// title.
func (r *mdReader) frontMatter(lines []string) []string {
	if len(lines) == 0 || strings.TrimSpace(lines[0]) != "---" {
		return lines
	}
	for i := 1; i < len(lines) && i < 200; i++ {
		t := strings.TrimSpace(lines[i])
		if t == "---" || t == "..." {
			for _, l := range lines[1:i] {
				if m := mdFrontTitle.FindStringSubmatch(strings.TrimSpace(l)); m != nil {
					r.title = strings.Trim(strings.TrimSpace(m[1]), `"'`)
				}
			}
			return lines[i+1:]
		}
	}
	return lines
}

func (r *mdReader) heading(level int, text string) {
	text = stripInline(text)
	if level == 1 && r.title == "" {
		r.title = text
	}
	r.blocks = append(r.blocks, Block{Kind: Heading, Level: level, Text: text})
	r.listIndents = nil
}

func (r *mdReader) headingFromPara(level int) {
	text := strings.Join(r.para, " ")
	r.para = nil
	r.heading(level, text)
}

func (r *mdReader) tableRow(line string) {
	t := strings.TrimSpace(line)
	t = strings.TrimPrefix(t, "|")
	if strings.HasSuffix(t, "|") && !strings.HasSuffix(t, `\|`) {
		t = t[:len(t)-1]
	}
	var cell strings.Builder
	emit := func() {
		r.blocks = append(r.blocks, Block{Kind: Paragraph, Text: stripInline(cell.String())})
		cell.Reset()
	}
	for i := 0; i < len(t); i++ {
		switch {
		case t[i] == '\\' && i+1 < len(t) && t[i+1] == '|':
			cell.WriteByte('|')
			i++
		case t[i] == '|':
			emit()
		default:
			cell.WriteByte(t[i])
		}
	}
	emit()
}

func (r *mdReader) flush() {
	if len(r.para) == 0 {
		return
	}
	var parts []string
	for _, l := range r.para {
		// A hard line break (two trailing spaces or a backslash) is white
		// space like any other line end.
		parts = append(parts, strings.TrimSuffix(strings.TrimSpace(l), `\`))
	}
	r.blocks = append(r.blocks, Block{Kind: r.paraKind, Level: r.paraLevel, Text: stripInline(strings.Join(parts, " "))})
	r.para = nil
}

// mdToken is one character of inline text; literal ones (escaped, or in a
// code span) are never markup.
type mdToken struct {
	r       rune
	literal bool
}

// stripInline removes inline markup and keeps the text.
func stripInline(s string) string {
	toks := tokenizeInline(s)
	toks = stripLinks(toks)
	toks = stripAngles(toks)
	toks = stripEmphasis(toks)
	var b strings.Builder
	for _, t := range toks {
		b.WriteRune(t.r)
	}
	return html.UnescapeString(b.String())
}

// tokenizeInline resolves backslash escapes and code spans. Every pass
// below is linear, so a hostile paragraph cannot make it quadratic.
func tokenizeInline(s string) []mdToken {
	rs := []rune(s)
	// Backtick runs by length, in order, to find each opening run's closer.
	runs := map[int][]int{}
	for i := 0; i < len(rs); i++ {
		if rs[i] == '`' && (i == 0 || rs[i-1] != '`') {
			n := 1
			for i+n < len(rs) && rs[i+n] == '`' {
				n++
			}
			runs[n] = append(runs[n], i)
		}
	}
	used := map[int]int{} // run length → runs consumed so far
	var out []mdToken
	for i := 0; i < len(rs); i++ {
		c := rs[i]
		if c == '\\' && i+1 < len(rs) && rs[i+1] < 128 && isPunctuation(rs[i+1]) {
			out = append(out, mdToken{rs[i+1], true})
			i++
			continue
		}
		if c == '`' && (i == 0 || rs[i-1] != '`') {
			n := 1
			for i+n < len(rs) && rs[i+n] == '`' {
				n++
			}
			positions := runs[n]
			k := used[n]
			for k < len(positions) && positions[k] <= i {
				k++
			}
			used[n] = k
			if k < len(positions) {
				closing := positions[k]
				used[n] = k + 1
				for _, r := range strings.TrimSpace(string(rs[i+n : closing])) {
					out = append(out, mdToken{r, true})
				}
				i = closing + n - 1
				continue
			}
			for j := 0; j < n; j++ {
				out = append(out, mdToken{'`', false})
			}
			i += n - 1
			continue
		}
		out = append(out, mdToken{c, false})
	}
	return out
}

func isMarkup(t mdToken, r rune) bool { return !t.literal && t.r == r }

// matches pairs each open delimiter with its closer (-1 when unmatched),
// nesting allowed.
func matches(toks []mdToken, open, close rune) []int {
	m := make([]int, len(toks))
	var stack []int
	for i, t := range toks {
		m[i] = -1
		switch {
		case isMarkup(t, open):
			stack = append(stack, i)
		case isMarkup(t, close) && len(stack) > 0:
			m[stack[len(stack)-1]] = i
			stack = stack[:len(stack)-1]
		}
	}
	return m
}

// stripLinks keeps the text of [text](url), [text][ref], [text][] and
// ![alt](src).
func stripLinks(toks []mdToken) []mdToken {
	brackets := matches(toks, '[', ']')
	parens := matches(toks, '(', ')')
	var out []mdToken
	var walk func(lo, hi int)
	walk = func(lo, hi int) {
		for i := lo; i < hi; i++ {
			start := i
			if isMarkup(toks[i], '!') && i+1 < hi && isMarkup(toks[i+1], '[') {
				start = i + 1 // an image: its alternative text stays
			}
			end := -1
			if isMarkup(toks[start], '[') {
				end = brackets[start]
			}
			after := -1
			if end >= 0 && end+1 < hi {
				switch {
				case isMarkup(toks[end+1], '('):
					after = parens[end+1]
				case isMarkup(toks[end+1], '['):
					after = brackets[end+1]
				}
			}
			if after < 0 || after >= hi {
				out = append(out, toks[i])
				continue
			}
			walk(start+1, end)
			i = after
		}
	}
	walk(0, len(toks))
	return out
}

// stripAngles turns <https://…> and <name@host> into their content and
// drops HTML tags and comments.
func stripAngles(toks []mdToken) []mdToken {
	next := make([]int, len(toks)+1) // the next '>' at or after i
	next[len(toks)] = -1
	for i := len(toks) - 1; i >= 0; i-- {
		next[i] = next[i+1]
		if isMarkup(toks[i], '>') {
			next[i] = i
		}
	}
	var out []mdToken
	for i := 0; i < len(toks); i++ {
		if !isMarkup(toks[i], '<') {
			out = append(out, toks[i])
			continue
		}
		end := next[i+1]
		if end < 0 || end-i > 2048 {
			out = append(out, toks[i])
			continue
		}
		var inner strings.Builder
		for _, t := range toks[i+1 : end] {
			inner.WriteRune(t.r)
		}
		s := inner.String()
		switch {
		case mdAutolinkShape.MatchString(s):
			out = append(out, toks[i+1:end]...)
			i = end
		case mdHTMLTag.MatchString("<"+s+">") || strings.HasPrefix(s, "!--"):
			i = end
		default:
			out = append(out, toks[i])
		}
	}
	return out
}

// stripEmphasis drops runs of * _ and ~~ that can open or close emphasis
// (CommonMark's flanking rules; "_" not inside words). Unmatched
// delimiters are dropped too, which loses a stray "*" at a word's edge.
func stripEmphasis(toks []mdToken) []mdToken {
	var out []mdToken
	at := func(i int) rune {
		if i < 0 || i >= len(toks) {
			return ' '
		}
		return toks[i].r
	}
	for i := 0; i < len(toks); i++ {
		c := toks[i].r
		if toks[i].literal || (c != '*' && c != '_' && c != '~') {
			out = append(out, toks[i])
			continue
		}
		j := i
		for j < len(toks) && !toks[j].literal && toks[j].r == c {
			j++
		}
		if c == '~' && j-i < 2 {
			out = append(out, toks[i:j]...)
			i = j - 1
			continue
		}
		before, after := at(i-1), at(j)
		left := !isWhite(after) && (!isPunctuation(after) || isWhite(before) || isPunctuation(before))
		right := !isWhite(before) && (!isPunctuation(before) || isWhite(after) || isPunctuation(after))
		markup := left || right
		if c == '_' {
			markup = (left && (!right || isPunctuation(before))) || (right && (!left || isPunctuation(after)))
		}
		if !markup {
			out = append(out, toks[i:j]...)
		}
		i = j - 1
	}
	return out
}

func isWhite(r rune) bool       { return unicode.IsSpace(r) || r == utf8.RuneError }
func isPunctuation(r rune) bool { return unicode.IsPunct(r) || unicode.IsSymbol(r) }
