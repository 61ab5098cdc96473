package reportpdf

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/inkludera/inkludera/internal/describe"
	"github.com/inkludera/inkludera/internal/report"
)

// rgb is a colour.
type rgb struct{ r, g, b int }

// The report's colours: those of the HTML rendering's stylesheet.
var (
	textColour   = rgb{0x1a, 0x1a, 0x1a}
	mutedColour  = rgb{0x4a, 0x4a, 0x4a}
	ruleColour   = rgb{0xc8, 0xc8, 0xc8}
	accentColour = rgb{0x1f, 0x4e, 0x79}
	white        = rgb{0xff, 0xff, 0xff}
)

// textStyle is how a piece of text is set.
type textStyle struct {
	size   float64 // points
	bold   bool
	colour rgb
}

// The body's sizes, in points.
const (
	bodySize  = 10.0
	tableSize = 9.0
	smallSize = 8.5
)

var (
	body  = textStyle{size: bodySize, colour: textColour}
	bold  = textStyle{size: bodySize, bold: true, colour: textColour}
	muted = textStyle{size: smallSize, colour: mutedColour}
)

// with returns the style at another size.
func (s textStyle) with(size float64) textStyle { s.size = size; return s }

// emphasised returns the style in bold.
func (s textStyle) emphasised() textStyle { s.bold = true; return s }

// span is a run of text in one style, or a status drawn as a badge: its
// symbol and its label in words on a light background, so that the
// colour is never the only cue.
type span struct {
	text   string
	style  textStyle
	status *report.Status
}

func plain(text string) span               { return span{text: text, style: body} }
func styled(text string, s textStyle) span { return span{text: text, style: s} }

// badge is a status as a span; style gives its size.
func badge(s report.Status, style textStyle) span {
	return span{status: &s, style: style}
}

// badgeText is a status in words with its symbol, joined by a no-break
// space so the symbol never ends a line alone: "✓ Uppnått".
func badgeText(s report.Status) string {
	label := s.Label
	if label == "" {
		label = string(s.Code)
	}
	return s.Symbol() + "\u00a0" + describe.Capitalise(label)
}

// badgeColours are a status's background, border and text colours (the
// HTML rendering's), each text colour with a contrast of at least 7:1 on
// its background.
type badgeColours struct{ fill, border, text rgb }

var statusColours = map[string]badgeColours{
	"achieved":            {rgb{0xdf, 0xf0, 0xe0}, rgb{0x2e, 0x7d, 0x32}, rgb{0x14, 0x46, 0x1a}},
	"on_track":            {rgb{0xe6, 0xf2, 0xdc}, rgb{0x4f, 0x7a, 0x28}, rgb{0x2b, 0x46, 0x13}},
	"acceleration_needed": {rgb{0xff, 0xf3, 0xcd}, rgb{0x8a, 0x6d, 0x00}, rgb{0x4d, 0x3d, 0x00}},
	"limited_progress":    {rgb{0xfd, 0xe7, 0xd6}, rgb{0xa0, 0x4f, 0x00}, rgb{0x5c, 0x2d, 0x00}},
	"deterioration":       {rgb{0xf9, 0xde, 0xdc}, rgb{0xb0, 0x3a, 0x2e}, rgb{0x6b, 0x1d, 0x15}},
	"not_achieved":        {rgb{0xf3, 0xd6, 0xe0}, rgb{0x8e, 0x24, 0x50}, rgb{0x56, 0x11, 0x2f}},
}

// unknownStatusColours are cannot_assess's, and any status this package
// does not know.
var unknownStatusColours = badgeColours{rgb{0xee, 0xee, 0xee}, rgb{0x6b, 0x6b, 0x6b}, rgb{0x33, 0x33, 0x33}}

func coloursOf(s report.Status) badgeColours {
	if c, ok := statusColours[string(s.Code)]; ok {
		return c
	}
	return unknownStatusColours
}

// badgePad is the room between a badge's edge and its text.
const badgePad = 1.0

// token is a word, or a piece of one too long for its line, ready to place.
type token struct {
	text  string
	style textStyle
	width float64 // of the text alone
	// space is the width of the space before the token; it is dropped at
	// the start of a line.
	space float64
	// badge is the status whose badge the token is part of (the same
	// pointer for all its words), nil for plain text; padLeft and
	// padRight are the badge's inner margins at its ends.
	badge             *report.Status
	padLeft, padRight float64
	// newline forces a line break before the token.
	newline bool
}

func (t token) advance() float64 { return t.padLeft + t.width + t.padRight }

// placed is a token at its distance from the line's start.
type placed struct {
	token
	x      float64
	spaced bool // a space separates it from the token before
}

// line is a laid-out line of text.
type line struct {
	tokens []placed
	width  float64
	height float64
	size   float64 // the largest font size on the line, for the baseline
}

// lineSpacing is the line height as a multiple of the font size.
type lineSpacing float64

const (
	proseSpacing lineSpacing = 1.42
	tableSpacing lineSpacing = 1.32
)

// layout measures and breaks text.
type layout struct{ m *metrics }

// tokens splits spans into words at spaces; a no-break space never
// separates words ("13 112", "10 %"), and "\n" breaks the line. Words of
// adjacent spans with no space between them stay glued: "målet" and ","
// never part at a line's end.
func (l layout) tokens(spans []span) []token {
	var out []token
	spaceBefore, newline := false, false
	var spaceStyle textStyle
	for _, sp := range spans {
		text, st := sp.text, sp.style
		if sp.status != nil {
			text = badgeText(*sp.status)
			st = st.emphasised()
			st.colour = coloursOf(*sp.status).text
		}
		first := len(out)
		start := 0
		flush := func(end int) {
			if end <= start {
				return
			}
			word := text[start:end]
			tok := token{text: word, style: st, width: l.m.width(word, st), badge: sp.status, newline: newline && len(out) > 0}
			if spaceBefore && !newline && len(out) > 0 {
				tok.space = l.m.width(" ", spaceStyle)
			}
			out = append(out, tok)
			spaceBefore, newline = false, false
		}
		for i, r := range text {
			switch r {
			case ' ', '\t', '\r':
				flush(i)
				spaceBefore, spaceStyle = true, st
				start = i + 1
			case '\n':
				flush(i)
				newline, spaceBefore = true, false
				start = i + 1
			}
		}
		flush(len(text))
		if sp.status != nil && len(out) > first {
			out[first].padLeft = badgePad
			out[len(out)-1].padRight = badgePad
		}
	}
	return out
}

// lines breaks spans into lines at most width wide.
func (l layout) lines(spans []span, width float64, spacing lineSpacing) []line {
	toks := l.tokens(spans)
	var out []line
	var cur line
	finish := func() {
		if len(cur.tokens) > 0 {
			out = append(out, cur)
		}
		cur = line{}
	}
	add := func(t token, spaced bool) {
		x := cur.width
		if spaced && len(cur.tokens) > 0 {
			x += t.space
		} else {
			spaced = false
		}
		cur.tokens = append(cur.tokens, placed{token: t, x: x, spaced: spaced})
		cur.width = x + t.advance()
		cur.size = max(cur.size, t.style.size)
		cur.height = pt(cur.size) * float64(spacing)
	}
	for i := 0; i < len(toks); {
		// a group is a word with whatever is glued to it
		j := i + 1
		for j < len(toks) && toks[j].space == 0 && !toks[j].newline {
			j++
		}
		group := toks[i:j]
		i = j
		groupWidth := 0.0
		for _, t := range group {
			groupWidth += t.advance()
		}
		if group[0].newline {
			finish()
		}
		if len(cur.tokens) > 0 && cur.width+group[0].space+groupWidth > width {
			finish()
		}
		if len(cur.tokens) == 0 && groupWidth > width {
			// too wide for any line: break between its tokens, and
			// within a token as a last resort
			for k, t := range group {
				if len(cur.tokens) > 0 && cur.width+t.advance() > width {
					finish()
				}
				for t.advance() > width && len(cur.tokens) == 0 {
					head, rest := l.split(t, width)
					if rest.text == "" {
						break
					}
					add(head, false)
					finish()
					t = rest
				}
				add(t, k == 0)
			}
			continue
		}
		for k, t := range group {
			add(t, k == 0)
		}
	}
	finish()
	return out
}

// split cuts a token at the last character that fits in width, with a
// hyphen when it parts two letters (at least one character goes first,
// so the split always makes progress).
func (l layout) split(t token, width float64) (head, rest token) {
	avail := width - t.padLeft
	cut, hyphen := 0, false
	// a no-break space is a better place to part than a word's middle:
	// a badge's symbol may go alone before its label is broken
	for i, r := range t.text {
		if r == '\u00a0' && i > 0 && l.m.width(t.text[:i], t.style) <= avail {
			cut = i
		}
	}
	if cut > 0 {
		head, rest = t, t
		head.text, head.padRight = t.text[:cut], 0
		head.width = l.m.width(head.text, t.style)
		rest.text, rest.padLeft, rest.space = strings.TrimLeft(t.text[cut:], "\u00a0"), 0, 0
		rest.width = l.m.width(rest.text, t.style)
		return head, rest
	}
	prev := rune(0)
	for i, r := range t.text {
		if i > 0 {
			h := unicode.IsLetter(prev) && unicode.IsLetter(r)
			piece := t.text[:i]
			if h {
				piece += "-"
			}
			if l.m.width(piece, t.style) > avail {
				break
			}
			cut, hyphen = i, h
		}
		prev = r
	}
	if cut == 0 {
		_, cut = utf8.DecodeRuneInString(t.text)
		hyphen = false
	}
	head, rest = t, t
	head.text, head.padRight = t.text[:cut], 0
	if hyphen {
		head.text += "-"
	}
	head.width = l.m.width(head.text, t.style)
	rest.text, rest.padLeft, rest.space = t.text[cut:], 0, 0
	rest.width = l.m.width(rest.text, t.style)
	return head, rest
}

// height is the total height of lines.
func height(lines []line) float64 {
	h := 0.0
	for _, ln := range lines {
		h += ln.height
	}
	return h
}
