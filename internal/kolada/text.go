package kolada

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// flexInt decodes an integer written as a number or a string: v3 writes
// period as 2024, the v2 documentation as "2024". Anything else leaves ok
// false and raw set, so that the row is skipped with a warning rather than
// failing the page.
type flexInt struct {
	n   int
	ok  bool
	raw string
}

func (f *flexInt) UnmarshalJSON(b []byte) error {
	*f = flexInt{raw: truncate(string(b), 40)}
	s := string(bytes.TrimSpace(b))
	if s == "null" {
		return nil
	}
	if strings.HasPrefix(s, `"`) {
		if err := json.Unmarshal(b, &s); err != nil {
			return nil
		}
		s = strings.TrimSpace(s)
	}
	if n, err := strconv.Atoi(s); err == nil {
		f.n, f.ok = n, true
		return nil
	}
	// 2024.0 is still 2024.
	if x, err := strconv.ParseFloat(s, 64); err == nil && x == math.Trunc(x) && math.Abs(x) < 1e9 {
		f.n, f.ok = int(x), true
	}
	return nil
}

// flexBool decodes true/false and v2's 0/1.
type flexBool bool

func (f *flexBool) UnmarshalJSON(b []byte) error {
	switch s := string(bytes.TrimSpace(b)); s {
	case "true", "1", `"true"`, `"1"`:
		*f = true
	case "false", "0", `"false"`, `"0"`, "null", `""`:
		*f = false
	default:
		return fmt.Errorf("not a boolean: %s", truncate(s, 40))
	}
	return nil
}

// text is a human-readable string from Kolada (a title). It remembers
// whether the raw JSON held bytes that were not UTF-8; encoding/json would
// silently turn those into U+FFFD, and then nothing could be repaired.
type text struct {
	s       string
	broken  bool // invalid UTF-8 bytes were read as Windows-1252
	letters bool // and every one of them became a Swedish or Nordic letter
}

func (t *text) UnmarshalJSON(b []byte) error {
	*t = text{}
	if string(b) == "null" {
		return nil
	}
	if !utf8.Valid(b) {
		b, t.letters = cp1252Bytes(b)
		t.broken = true
	}
	return json.Unmarshal(b, &t.s)
}

// cp1252Bytes re-reads every byte that is not part of valid UTF-8 as a
// Windows-1252 character (Latin-1 with the 0x80–0x9F additions).
// letters reports whether every byte so read became a Swedish or Nordic
// letter: only then is the reading believed.
func cp1252Bytes(b []byte) (out []byte, letters bool) {
	out = make([]byte, 0, len(b)+8)
	letters = true
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size <= 1 {
			r = cp1252Rune(b[0])
			size = 1
			letters = letters && strings.ContainsRune(repairLetters, r)
		}
		out = utf8.AppendRune(out, r)
		b = b[size:]
	}
	return out, letters
}

// cp1252High holds Windows-1252's characters at 0x80–0x9F; the five
// undefined positions are 0 and read as the C1 control of that number.
var cp1252High = [32]rune{
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
}

func cp1252Rune(b byte) rune {
	if b >= 0x80 && b <= 0x9F && cp1252High[b-0x80] != 0 {
		return cp1252High[b-0x80]
	}
	return rune(b)
}

// cp1252Byte is the inverse of cp1252Rune.
func cp1252Byte(r rune) (byte, bool) {
	if r <= 0xFF {
		return byte(r), true
	}
	for i, h := range cp1252High {
		if h == r {
			return byte(0x80 + i), true
		}
	}
	return 0, false
}

// looksDoubleEncoded spots UTF-8 that was decoded as Windows-1252 or
// Latin-1 and encoded again: "Ã¤" for "ä", "Ã–" for "Ö", "Ã…" for "Å".
func looksDoubleEncoded(s string) bool {
	prev := rune(-1)
	for _, r := range s {
		if prev == 0xC3 || prev == 0xC2 {
			if b, ok := cp1252Byte(r); ok && b >= 0x80 && b <= 0xBF {
				return true
			}
		}
		prev = r
	}
	return false
}

// undoDoubleEncoding maps each character back to its Windows-1252 byte and
// reads the bytes as UTF-8, at most three layers deep.
func undoDoubleEncoding(s string) (string, bool) {
	for range 3 {
		if !looksDoubleEncoded(s) {
			break
		}
		b := make([]byte, 0, len(s))
		for _, r := range s {
			c, ok := cp1252Byte(r)
			if !ok {
				return "", false
			}
			b = append(b, c)
		}
		if !utf8.Valid(b) {
			return "", false
		}
		s = string(b)
	}
	return s, !looksDoubleEncoded(s)
}

// swedishLetters are the letters a repair must produce to be believed;
// repairLetters are those a single stray byte may stand for.
const (
	swedishLetters = "åäöÅÄÖéÉ"
	repairLetters  = swedishLetters + "üÜæÆøØ"
)

func plausibleSwedish(s string) bool {
	if !strings.ContainsAny(s, swedishLetters) {
		return false
	}
	for _, r := range s {
		if r == utf8.RuneError || (unicode.IsControl(r) && r != '\n' && r != '\t') {
			return false
		}
	}
	return true
}

// clean returns the text to use and a warning when it was repaired or
// dropped. A repair is kept only when it yields valid UTF-8 with Swedish
// letters; otherwise the text is dropped ("") so the caller keeps its own
// label (datasources §1.6) rather than storing mojibake.
func (t text) clean(what string) (string, string) {
	s := t.s
	switch {
	case t.broken:
		if t.letters && plausibleSwedish(s) {
			return s, fmt.Sprintf("kolada: %s was not valid UTF-8; repaired as Windows-1252 to %q", what, s)
		}
		return "", fmt.Sprintf("kolada: %s is not valid UTF-8 and could not be repaired; left out", what)
	case looksDoubleEncoded(s):
		if r, ok := undoDoubleEncoding(s); ok && plausibleSwedish(r) {
			return r, fmt.Sprintf("kolada: %s was double-encoded UTF-8 %q; repaired to %q", what, s, r)
		}
		return "", fmt.Sprintf("kolada: %s %q looks double-encoded and could not be repaired; left out", what, s)
	case strings.ContainsRune(s, utf8.RuneError):
		return "", fmt.Sprintf("kolada: %s %q holds replacement characters; left out", what, s)
	}
	return s, ""
}
