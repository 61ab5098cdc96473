package doctext

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// decodeText turns a text file's bytes into a string: UTF-8 (with or
// without a byte order mark), UTF-16 with a byte order mark, else — since
// old Swedish .txt files are — Windows-1252, a superset of Latin-1's
// printable characters. Bytes that fit none of these are an error naming
// the first offending byte.
func decodeText(name string, data []byte) (string, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		data = data[3:]
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		return decodeUTF16(data[2:], false), nil
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return decodeUTF16(data[2:], true), nil
	case len(data) >= 4 && data[0] != 0 && data[1] == 0 && data[2] != 0 && data[3] == 0:
		return decodeUTF16(data, false), nil // UTF-16LE without a byte order mark (Notepad)
	}
	if i := bytes.IndexByte(data, 0); i >= 0 {
		return "", badEncoding(name, fmt.Sprintf("not a text file: binary data at byte %d", i),
			fmt.Sprintf("inte en textfil: binära data vid byte %d", i))
	}
	if utf8.Valid(data) {
		return string(data), nil
	}
	invalid := firstInvalidUTF8(data)
	if plausibleWindows1252(data) {
		s, err := charmap.Windows1252.NewDecoder().Bytes(data)
		if err == nil {
			return string(s), nil
		}
	}
	return "", badEncoding(name, fmt.Sprintf("not valid UTF-8 at byte %d (nor Windows-1252 text)", invalid),
		fmt.Sprintf("inte giltig UTF-8 vid byte %d (och inte heller Windows-1252-text)", invalid))
}

func badEncoding(name, english, swedish string) *Error {
	return newError(name, KindBadEncoding, english, swedish, nil)
}

func decodeUTF16(b []byte, bigEndian bool) string {
	u := make([]uint16, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		if bigEndian {
			u = append(u, uint16(b[i])<<8|uint16(b[i+1]))
		} else {
			u = append(u, uint16(b[i+1])<<8|uint16(b[i]))
		}
	}
	return string(utf16.Decode(u))
}

func firstInvalidUTF8(data []byte) int {
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(data)
}

// plausibleWindows1252 rejects bytes Windows-1252 leaves undefined and
// control characters other than tab, line breaks and form feed: those mean
// another encoding or binary data.
func plausibleWindows1252(data []byte) bool {
	for _, c := range data {
		switch {
		case c == 0x81 || c == 0x8D || c == 0x8F || c == 0x90 || c == 0x9D:
			return false
		case c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f':
			return false
		}
	}
	return true
}

// looksLikeText is for files without an extension.
func looksLikeText(data []byte) bool {
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		return true
	}
	if len(data) > 8192 {
		data = data[:8192]
		for i := 0; i < 3 && len(data) > 0 && !utf8.Valid(data); i++ {
			data = data[:len(data)-1] // a rune cut at the boundary
		}
	}
	if len(data) == 0 || bytes.IndexByte(data, 0) >= 0 {
		return false
	}
	return utf8.Valid(data) || plausibleWindows1252(data)
}

// splitLines splits at LF, CRLF and CR; a form feed (a page break in
// pdftotext output) counts as a blank line.
func splitLines(s string) []string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	s = strings.ReplaceAll(s, "\f", "\n\n")
	return strings.Split(s, "\n")
}

var (
	bulletLine   = regexp.MustCompile(`^\s*([-*•–·▪●◦■]|\x{F0B7})\s+(\S.*)$`)
	numberedLine = regexp.MustCompile(`^\s*(\d{1,2}|[a-z])[.)]\s+(\S.*)$`)
	headingNum   = regexp.MustCompile(`^(\d+(?:\.\d+)*)\.?\s+\S`)
)

// extractPlainText splits a text file into paragraphs at blank lines.
//
// Within a paragraph, lines starting with a bullet (- * • – …) are list
// items, and so are lines numbered "1." or "a)" when at least two lines of
// the paragraph are. Lines that all contain a tab are table rows: each is
// its own paragraph. A paragraph of one line of at most 80 characters that
// starts with a letter or digit and does not end in . , ; : or ! is a
// heading when another paragraph follows (a question may be one: "Varför en
// integrationsstrategi?"): level 1 if it is the file's first
// paragraph or in capitals, 2 + its depth if numbered ("2.1 Mål" is 4),
// else 2.
func extractPlainText(name string, data []byte) (Text, error) {
	s, err := decodeText(name, data)
	if err != nil {
		return Text{}, err
	}
	var groups [][]string
	var cur []string
	for _, line := range splitLines(s) {
		if strings.TrimSpace(line) == "" {
			if len(cur) > 0 {
				groups = append(groups, cur)
				cur = nil
			}
			continue
		}
		cur = append(cur, line)
	}
	if len(cur) > 0 {
		groups = append(groups, cur)
	}
	var blocks []Block
	for gi, g := range groups {
		switch {
		case len(g) == 1 && gi+1 < len(groups) && looksLikeHeading(g[0]):
			blocks = append(blocks, Block{Kind: Heading, Level: plainHeadingLevel(g[0], gi == 0), Text: g[0]})
		case len(g) > 1 && allContain(g, "\t"):
			for _, line := range g {
				blocks = append(blocks, Block{Kind: Paragraph, Text: line})
			}
		default:
			blocks = append(blocks, splitListItems(g)...)
		}
	}
	return Text{Blocks: blocks}, nil
}

func allContain(lines []string, sub string) bool {
	for _, l := range lines {
		if !strings.Contains(l, sub) {
			return false
		}
	}
	return true
}

func looksLikeHeading(line string) bool {
	t := strings.TrimSpace(line)
	if utf8.RuneCountInString(t) > 80 || bulletLine.MatchString(t) {
		return false
	}
	first, _ := utf8.DecodeRuneInString(t)
	last, _ := utf8.DecodeLastRuneInString(t)
	return (unicode.IsLetter(first) || unicode.IsDigit(first)) && !strings.ContainsRune(".,;:!", last)
}

func plainHeadingLevel(line string, first bool) int {
	t := strings.TrimSpace(line)
	if m := headingNum.FindStringSubmatch(t); m != nil {
		return 2 + strings.Count(m[1], ".")
	}
	letters, upper := 0, 0
	for _, r := range t {
		if unicode.IsLetter(r) {
			letters++
			if unicode.IsUpper(r) {
				upper++
			}
		}
	}
	if first || (letters >= 3 && upper == letters) {
		return 1
	}
	return 2
}

// splitListItems turns one paragraph's lines into a paragraph and list
// items.
func splitListItems(lines []string) []Block {
	numbered := 0
	for _, l := range lines {
		if numberedLine.MatchString(l) {
			numbered++
		}
	}
	var blocks []Block
	var cur []string
	kind := Paragraph
	flush := func() {
		if len(cur) > 0 {
			level := 0
			if kind == ListItem {
				level = 1
			}
			blocks = append(blocks, Block{Kind: kind, Level: level, Text: joinLines(cur)})
		}
		cur = nil
	}
	for _, l := range lines {
		var item string
		if m := bulletLine.FindStringSubmatch(l); m != nil {
			item = m[2]
		} else if m := numberedLine.FindStringSubmatch(l); m != nil && numbered >= 2 {
			item = m[2]
		}
		if item != "" {
			flush()
			kind = ListItem
			cur = []string{item}
			continue
		}
		cur = append(cur, l)
	}
	flush()
	return blocks
}

// lineJoinWords follow a hyphen at a line's end as a separate word: the
// hyphen belongs to a shortened compound ("arbetsmarknads- och …").
var lineJoinWords = map[string]bool{"och": true, "eller": true, "samt": true, "till": true, "respektive": true, "resp": true, "som": true, "men": true, "and": true, "or": true, "to": true}

// joinLines joins a paragraph's lines with spaces. A hyphen ending a line
// after a lower-case letter, with a lower-case word starting the next one,
// is a word broken across lines: the parts are joined without it. Other
// hyphens at line ends stay and join without a space ("EU-" + "medel"),
// except before och/eller/samt/…, where they end a shortened compound.
func joinLines(lines []string) string {
	var b []byte
	for i, l := range lines {
		l = strings.TrimSpace(l)
		if i == 0 {
			b = append(b, l...)
			continue
		}
		if len(b) > 1 && b[len(b)-1] == '-' {
			before, _ := utf8.DecodeLastRune(b[:len(b)-1])
			next, _ := utf8.DecodeRuneInString(l)
			word, _, _ := strings.Cut(l, " ")
			word = strings.ToLower(strings.TrimRightFunc(word, unicode.IsPunct))
			switch {
			case lineJoinWords[word] || !unicode.IsLetter(before) && !unicode.IsDigit(before):
				b = append(b, ' ')
			case unicode.IsLower(before) && unicode.IsLower(next):
				b = b[:len(b)-1]
			}
			b = append(b, l...)
			continue
		}
		b = append(b, ' ')
		b = append(b, l...)
	}
	return string(b)
}
