package pdf

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// The simple-font encodings of ISO 32000-1 Annex D, as code → Unicode, and
// the glyph names they use (a subset of the Adobe Glyph List large enough
// for Western and Central European text).

// asciiGlyphNames are the names of codes 0x20–0x7E in WinAnsiEncoding.
var asciiGlyphNames = strings.Fields(`space exclam quotedbl numbersign dollar percent ampersand
quotesingle parenleft parenright asterisk plus comma hyphen period slash zero one two three four
five six seven eight nine colon semicolon less equal greater question at A B C D E F G H I J K L M
N O P Q R S T U V W X Y Z bracketleft backslash bracketright asciicircum underscore grave a b c d e
f g h i j k l m n o p q r s t u v w x y z braceleft bar braceright asciitilde`)

// latin1GlyphNames are the names of codes 0xA0–0xFF in WinAnsiEncoding.
var latin1GlyphNames = strings.Fields(`space exclamdown cent sterling currency yen brokenbar section
dieresis copyright ordfeminine guillemotleft logicalnot hyphen registered macron degree plusminus
twosuperior threesuperior acute mu paragraph periodcentered cedilla onesuperior ordmasculine
guillemotright onequarter onehalf threequarters questiondown Agrave Aacute Acircumflex Atilde
Adieresis Aring AE Ccedilla Egrave Eacute Ecircumflex Edieresis Igrave Iacute Icircumflex Idieresis
Eth Ntilde Ograve Oacute Ocircumflex Otilde Odieresis multiply Oslash Ugrave Uacute Ucircumflex
Udieresis Yacute Thorn germandbls agrave aacute acircumflex atilde adieresis aring ae ccedilla
egrave eacute ecircumflex edieresis igrave iacute icircumflex idieresis eth ntilde ograve oacute
ocircumflex otilde odieresis divide oslash ugrave uacute ucircumflex udieresis yacute thorn
ydieresis`)

// winAnsiHigh is codes 0x80–0x9F of WinAnsiEncoding (Windows-1252); 0 is
// unused.
var winAnsiHigh = [32]rune{
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
}

var winAnsiHighNames = strings.Fields(`Euro - quotesinglbase florin quotedblbase ellipsis dagger
daggerdbl circumflex perthousand Scaron guilsinglleft OE - Zcaron - - quoteleft quoteright
quotedblleft quotedblright bullet endash emdash tilde trademark scaron guilsinglright oe - zcaron
Ydieresis`)

// macRomanHigh is codes 0x80–0xFF of MacRomanEncoding.
var macRomanHigh = [128]rune{
	0xC4, 0xC5, 0xC7, 0xC9, 0xD1, 0xD6, 0xDC, 0xE1, 0xE0, 0xE2, 0xE4, 0xE3, 0xE5, 0xE7, 0xE9, 0xE8,
	0xEA, 0xEB, 0xED, 0xEC, 0xEE, 0xEF, 0xF1, 0xF3, 0xF2, 0xF4, 0xF6, 0xF5, 0xFA, 0xF9, 0xFB, 0xFC,
	0x2020, 0xB0, 0xA2, 0xA3, 0xA7, 0x2022, 0xB6, 0xDF, 0xAE, 0xA9, 0x2122, 0xB4, 0xA8, 0x2260, 0xC6, 0xD8,
	0x221E, 0xB1, 0x2264, 0x2265, 0xA5, 0xB5, 0x2202, 0x2211, 0x220F, 0x3C0, 0x222B, 0xAA, 0xBA, 0x3A9, 0xE6, 0xF8,
	0xBF, 0xA1, 0xAC, 0x221A, 0x192, 0x2248, 0x2206, 0xAB, 0xBB, 0x2026, 0xA0, 0xC0, 0xC3, 0xD5, 0x152, 0x153,
	0x2013, 0x2014, 0x201C, 0x201D, 0x2018, 0x2019, 0xF7, 0x25CA, 0xFF, 0x178, 0x2044, 0x20AC, 0x2039, 0x203A, 0xFB01, 0xFB02,
	0x2021, 0xB7, 0x201A, 0x201E, 0x2030, 0xC2, 0xCA, 0xC1, 0xCB, 0xC8, 0xCD, 0xCE, 0xCF, 0xCC, 0xD3, 0xD4,
	0xF8FF, 0xD2, 0xDA, 0xDB, 0xD9, 0x131, 0x2C6, 0x2DC, 0xAF, 0x2D8, 0x2D9, 0x2DA, 0xB8, 0x2DD, 0x2DB, 0x2C7,
}

// standardHighNames is codes 0xA1–0xFF of StandardEncoding ("-" unused).
var standardHighNames = strings.Fields(`exclamdown cent sterling fraction yen florin section currency
quotesingle quotedblleft guillemotleft guilsinglleft guilsinglright fi fl - endash dagger daggerdbl
periodcentered - paragraph bullet quotesinglbase quotedblbase quotedblright guillemotright ellipsis
perthousand - questiondown - grave acute circumflex tilde macron breve dotaccent dieresis - ring
cedilla - hungarumlaut ogonek caron emdash - - - - - - - - - - - - - - - - AE - ordfeminine - - - -
Lslash Oslash OE ordmasculine - - - - - ae - - - dotlessi - - lslash oslash oe germandbls - - - -`)

// extraGlyphNames complete the names the encodings above use with common
// names of ligatures, accents and Central European letters.
var extraGlyphNames = map[string]string{
	"nbspace": "\u00a0", "sfthyphen": "\u00ad", "minus": "\u2212", "fi": "fi", "fl": "fl", "ff": "ff",
	"ffi": "ffi", "ffl": "ffl", "dotlessi": "ı", "Lslash": "Ł", "lslash": "ł", "fraction": "⁄",
	"breve": "˘", "caron": "ˇ", "dotaccent": "˙", "hungarumlaut": "˝", "ogonek": "˛", "ring": "˚",
	"Cacute": "Ć", "cacute": "ć", "Ccaron": "Č", "ccaron": "č", "Dcroat": "Đ", "dcroat": "đ",
	"Dcaron": "Ď", "dcaron": "ď", "Ecaron": "Ě", "ecaron": "ě", "Nacute": "Ń", "nacute": "ń",
	"Ncaron": "Ň", "ncaron": "ň", "Rcaron": "Ř", "rcaron": "ř", "Sacute": "Ś", "sacute": "ś",
	"Tcaron": "Ť", "tcaron": "ť", "Uring": "Ů", "uring": "ů", "Zacute": "Ź", "zacute": "ź",
	"Zdotaccent": "Ż", "zdotaccent": "ż", "Gbreve": "Ğ", "gbreve": "ğ", "Idotaccent": "İ",
	"Scedilla": "Ş", "scedilla": "ş", "Amacron": "Ā", "amacron": "ā", "Emacron": "Ē", "emacron": "ē",
	"Aogonek": "Ą", "aogonek": "ą", "Eogonek": "Ę", "eogonek": "ę", "Ohungarumlaut": "Ő",
	"ohungarumlaut": "ő", "Uhungarumlaut": "Ű", "uhungarumlaut": "ű", "Edotaccent": "Ė",
	"edotaccent": "ė", "Imacron": "Ī", "imacron": "ī", "Umacron": "Ū", "umacron": "ū",
	"Omega": "Ω", "Delta": "∆", "pi": "π", "approxequal": "≈", "notequal": "≠", "lessequal": "≤",
	"greaterequal": "≥", "infinity": "∞", "partialdiff": "∂", "summation": "∑", "product": "∏",
	"integral": "∫", "radical": "√", "lozenge": "◊", "arrowright": "→", "arrowleft": "←",
	"arrowup": "↑", "arrowdown": "↓", "checkmark": "✓", "degree": "°", "middot": "·",
	"Euro": "€", "euro": "€", "space": " ", "uni00A0": "\u00a0", "quotereversed": "‛",
	"figuredash": "‒", "hyphentwo": "‐", "bulletoperator": "∙", "invbullet": "◘",
	"filledbox": "■", "H22073": "□", "H18543": "▪", "H18551": "▫", "circle": "○",
	"blackcircle": "●", "openbullet": "◦", "triagrt": "►", "estimated": "℮", "afii61352": "№",
}

// glyphNames maps names to text.
var glyphNames = func() map[string]string {
	m := map[string]string{}
	for i, n := range asciiGlyphNames {
		m[n] = string(rune(0x20 + i))
	}
	for i, n := range latin1GlyphNames {
		if _, ok := m[n]; !ok {
			m[n] = string(rune(0xA0 + i))
		}
	}
	for i, n := range winAnsiHighNames {
		if n != "-" {
			m[n] = string(winAnsiHigh[i])
		}
	}
	for n, s := range extraGlyphNames {
		m[n] = s
	}
	m["quoteleft"], m["quoteright"] = "‘", "’"
	return m
}()

// glyphText turns a glyph name into text: a known name, uniXXXX(XXXX…),
// uXXXX[XX], ligature names joined with "_", names with a ".suffix"
// variant. Unknown names give "".
func glyphText(name string) string {
	if s, ok := glyphNames[name]; ok {
		return s
	}
	if i := strings.IndexByte(name, '.'); i > 0 {
		return glyphText(name[:i])
	}
	if strings.Contains(name, "_") {
		var b strings.Builder
		for _, part := range strings.Split(name, "_") {
			t := glyphText(part)
			if t == "" {
				return ""
			}
			b.WriteString(t)
		}
		return b.String()
	}
	if strings.HasPrefix(name, "uni") && len(name) >= 7 && (len(name)-3)%4 == 0 {
		var units []uint16
		for i := 3; i < len(name); i += 4 {
			v, err := strconv.ParseUint(name[i:i+4], 16, 16)
			if err != nil {
				return ""
			}
			units = append(units, uint16(v))
		}
		return utf16String(units)
	}
	if strings.HasPrefix(name, "u") && len(name) >= 5 && len(name) <= 7 {
		v, err := strconv.ParseUint(name[1:], 16, 32)
		if err == nil && utf8.ValidRune(rune(v)) {
			return string(rune(v))
		}
	}
	return ""
}

type baseEncoding int

const (
	encodingNone baseEncoding = iota
	encodingStandard
	encodingWinAnsi
	encodingMacRoman
)

// encodingText is code → text in a base encoding; "" when undefined.
func encodingText(enc baseEncoding, code byte) string {
	switch enc {
	case encodingWinAnsi:
		switch {
		case code >= 0x20 && code < 0x7f:
			return string(rune(code))
		case code >= 0x80 && code < 0xa0:
			if r := winAnsiHigh[code-0x80]; r != 0 {
				return string(r)
			}
			return "•" // the specification maps unused codes to the bullet
		case code >= 0xa0:
			return string(rune(code))
		}
	case encodingMacRoman:
		switch {
		case code >= 0x20 && code < 0x7f:
			return string(rune(code))
		case code >= 0x80:
			return string(macRomanHigh[code-0x80])
		}
	case encodingStandard:
		switch {
		case code == 0x27:
			return "’"
		case code == 0x60:
			return "‘"
		case code >= 0x20 && code < 0x7f:
			return string(rune(code))
		case code >= 0xa1:
			if n := standardHighNames[code-0xa1]; n != "-" {
				return glyphText(n)
			}
		}
	}
	return ""
}

// pdfDocEncoding decodes one byte of PDFDocEncoding, the encoding of text
// strings without a byte order mark.
func pdfDocEncoding(c byte) rune {
	switch {
	case c >= 0x18 && c <= 0x1f:
		return []rune{0x2D8, 0x2C7, 0x2C6, 0x2D9, 0x2DD, 0x2DB, 0x2DA, 0x2DC}[c-0x18]
	case c >= 0x80 && c <= 0xa0:
		r := []rune{0x2022, 0x2020, 0x2021, 0x2026, 0x2014, 0x2013, 0x192, 0x2044, 0x2039, 0x203A,
			0x2212, 0x2030, 0x201E, 0x201C, 0x201D, 0x2018, 0x2019, 0x201A, 0x2122, 0xFB01, 0xFB02,
			0x141, 0x152, 0x160, 0x178, 0x17D, 0x131, 0x142, 0x153, 0x161, 0x17E, 0xFFFD, 0x20AC}[c-0x80]
		return r
	}
	return rune(c)
}
