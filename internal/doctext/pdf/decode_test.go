package pdf

import (
	"bytes"
	"encoding/ascii85"
	"errors"
	"math"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"github.com/inkludera/inkludera/internal/doctext/pdf/pdftest"
)

func TestFilters(t *testing.T) {
	hello := []byte("Hej på dig, Östersund! ")
	a85 := make([]byte, ascii85.MaxEncodedLen(len(hello)))
	a85 = append(a85[:ascii85.Encode(a85, hello)], "~>"...)
	// Two rows of three bytes behind PNG filters Sub (1) and Up (2).
	png := []byte{1, 10, 5, 5, 2, 1, 1, 1}
	cases := []struct {
		name   string
		data   []byte
		dict   Dict
		want   []byte
		budget int64
	}{
		{"FlateDecode", deflate(hello), Dict{"Filter": Name("FlateDecode")}, hello, 1 << 20},
		{"FlateDecode truncated keeps what it decoded", deflate(bytes.Repeat(hello, 50))[:40], Dict{"Filter": Name("FlateDecode")}, nil, 1 << 20},
		{"PNG predictor", deflate(png), Dict{"Filter": Name("FlateDecode"), "DecodeParms": Dict{"Predictor": int64(12), "Columns": int64(3)}}, []byte{10, 15, 20, 11, 16, 21}, 1 << 20},
		{"TIFF predictor", deflate([]byte{1, 1, 1, 5, 0, 2}), Dict{"Filter": Name("FlateDecode"), "DecodeParms": Dict{"Predictor": int64(2), "Columns": int64(3)}}, []byte{1, 2, 3, 5, 5, 7}, 1 << 20},
		{"ASCIIHexDecode with odd digits and spaces", []byte("48 65 6a 7>"), Dict{"Filter": Name("ASCIIHexDecode")}, []byte("Hejp"), 1 << 20},
		{"ASCII85Decode", a85, Dict{"Filter": Name("ASCII85Decode")}, hello, 1 << 20},
		{"ASCII85Decode then FlateDecode", func() []byte {
			z := deflate(hello)
			out := make([]byte, ascii85.MaxEncodedLen(len(z)))
			return append(out[:ascii85.Encode(out, z)], "~>"...)
		}(), Dict{"Filter": Array{Name("A85"), Name("Fl")}}, hello, 1 << 20},
		// The example of ISO 32000-1, 7.4.4.2.
		{"LZWDecode", []byte{0x80, 0x0B, 0x60, 0x50, 0x22, 0x0C, 0x0C, 0x85, 0x01}, Dict{"Filter": Name("LZWDecode")}, []byte{45, 45, 45, 45, 45, 65, 45, 45, 45, 66}, 1 << 20},
		{"RunLengthDecode", []byte{2, 'a', 'b', 'c', 253, 'z', 128}, Dict{"Filter": Name("RunLengthDecode")}, []byte("abczzzz"), 1 << 20},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := decodeFilters(c.data, c.dict, func(o Object) Object { return o }, &budget{remaining: c.budget})
			if err != nil {
				t.Fatal(err)
			}
			if c.want == nil {
				if len(got) == 0 || !bytes.HasPrefix(bytes.Repeat(hello, 50), got) {
					t.Errorf("got %q, want a prefix of the data", got)
				}
				return
			}
			if !bytes.Equal(got, c.want) {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
	t.Run("budget", func(t *testing.T) {
		_, err := decodeFilters(deflate(make([]byte, 1<<20)), Dict{"Filter": Name("FlateDecode")}, func(o Object) Object { return o }, &budget{remaining: 1000})
		if !errors.Is(err, ErrTooLarge) {
			t.Errorf("err = %v, want ErrTooLarge", err)
		}
	})
}

func TestEncodingTables(t *testing.T) {
	if len(standardHighNames) != 0xff-0xa1+1 {
		t.Fatalf("StandardEncoding table has %d entries", len(standardHighNames))
	}
	for code := 0x20; code <= 0xff; code++ {
		if code == 0x7f {
			continue
		}
		want := charmap.Windows1252.DecodeByte(byte(code))
		undefined := code == 0x81 || code == 0x8d || code == 0x8f || code == 0x90 || code == 0x9d
		if got := encodingText(encodingWinAnsi, byte(code)); !undefined && got != string(want) {
			t.Errorf("WinAnsi %#x = %q, want %q", code, got, want)
		}
		want = charmap.Macintosh.DecodeByte(byte(code))
		if got := encodingText(encodingMacRoman, byte(code)); got != string(want) {
			t.Errorf("MacRoman %#x = %q, want %q", code, got, want)
		}
	}
	for name, want := range map[string]string{
		"adieresis": "ä", "aring": "å", "odieresis": "ö", "Odieresis": "Ö", "eacute": "é", "udieresis": "ü",
		"uni00E5": "å", "uni00660069": "fi", "u1F600": "😀", "f_i": "fi", "odieresis.sc": "ö", "quoteright": "’",
		"g123": "", "": "",
	} {
		if got := glyphText(name); got != want {
			t.Errorf("glyphText(%q) = %q, want %q", name, got, want)
		}
	}
	for code, want := range map[byte]string{0x27: "’", 0x41: "A", 0xe8: "Ł", 0xfb: "ß", 0xb0: ""} {
		if got := encodingText(encodingStandard, code); got != want {
			t.Errorf("Standard %#x = %q, want %q", code, got, want)
		}
	}
}

func TestToUnicodeCMap(t *testing.T) {
	m := parseCMap([]byte(`/CIDInit /ProcSet findresource begin 12 dict begin begincmap
2 begincodespacerange <00> <7F> <8000> <FFFF> endcodespacerange
3 beginbfchar <01> <00E5> <8001> <00660069> <02> /odieresis endbfchar
2 beginbfrange <10> <12> <0041> <8100> <8102> [<00E4> <00F6> <D83DDE00>] endbfrange
1 beginbfrange <20> <21> <00FF> endbfrange
endcmap CMapName currentdict /CMap defineresource pop end end`))
	cases := []struct {
		name string
		code []byte
		want string
		ok   bool
	}{
		{"bfchar", []byte{0x01}, "å", true},
		{"bfchar with a ligature", []byte{0x80, 0x01}, "fi", true},
		{"bfchar with a glyph name", []byte{0x02}, "ö", true},
		{"bfrange counting up", []byte{0x12}, "C", true},
		{"bfrange with an array", []byte{0x81, 0x01}, "ö", true},
		{"bfrange with a surrogate pair", []byte{0x81, 0x02}, "😀", true},
		{"bfrange crossing a byte", []byte{0x21}, "Ā", true},
		{"unmapped", []byte{0x03}, "", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n := m.codeLength(c.code)
			if n != len(c.code) {
				t.Fatalf("code length %d, want %d", n, len(c.code))
			}
			got, ok := m.lookup(n, bytesToCode(c.code))
			if got != c.want || ok != c.ok {
				t.Errorf("lookup = %q %v, want %q %v", got, ok, c.want, c.ok)
			}
		})
	}
}

func TestTextString(t *testing.T) {
	for _, c := range []struct {
		name string
		in   []byte
		want string
	}{
		{"PDFDocEncoding", []byte("Str\xf6msund \x84 \x93"), "Strömsund — ﬁ"},
		{"UTF-16BE", []byte("\xfe\xff\x00\xd6\x00s\x00t"), "Öst"},
		{"UTF-16BE with a language escape", []byte("\xfe\xff\x00\x1bsv\x00\x1b\x00H"), "H"},
		{"UTF-8 with a byte order mark", []byte("\xef\xbb\xbfÅr"), "År"},
	} {
		if got := TextString(c.in); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}

// glyphsOf reads page 1 of a built document.
func glyphsOf(t *testing.T, data []byte) *Page {
	t.Helper()
	d, err := Open(data)
	if err != nil {
		t.Fatal(err)
	}
	p, err := d.Page(1)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestFontsAndPositions(t *testing.T) {
	helvetica := "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /FirstChar 32 /LastChar 126 /Widths [" + strings.Repeat("500 ", 95) + "] /Encoding << /Type /Encoding /BaseEncoding /WinAnsiEncoding /Differences [1 /aring /adieresis /odieresis /f_l] >> >>"
	bold := "<< /Type /Font /Subtype /TrueType /BaseFont /ABCDEF+Arial-BoldMT /Encoding /MacRomanEncoding >>"
	cidToUnicode := pdftest.Stream("", "1 begincodespacerange <0000> <FFFF> endcodespacerange 2 beginbfchar <0005> <00C5> <0006> <0072> endbfchar")
	type0 := "<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /Identity-H /DescendantFonts [<< /Type /Font /Subtype /CIDFontType2 /DW 600 /W [5 [700] 6 6 300] >>] /ToUnicode 8 0 R >>"
	resources := "/Font << /F1 5 0 R /F2 6 0 R /F3 7 0 R >>"
	cases := []struct {
		name    string
		content string
		extra   string
		want    string // glyph texts joined with |
		check   func(t *testing.T, p *Page)
	}{
		{"Differences with glyph names", `BT /F1 10 Tf 100 700 Td (\001\002\003\004) Tj ET`, "", "å|ä|ö|fl", nil},
		{"MacRoman and bold", "BT /F2 10 Tf 100 700 Td <8A9A> Tj ET", "", "ä|ö", func(t *testing.T, p *Page) {
			if !p.Glyphs[0].Bold {
				t.Error("Arial-BoldMT is not bold")
			}
		}},
		{"Identity-H with ToUnicode and /W widths", "BT /F3 20 Tf 100 700 Td <00050006> Tj ET", "", "Å|r", func(t *testing.T, p *Page) {
			if got := p.Glyphs[1].X - p.Glyphs[0].X; math.Abs(got-14) > 1e-9 {
				t.Errorf("second glyph %.2f after the first, want 14 (width 700 at 20 pt)", got)
			}
		}},
		{"TJ kerning moves the pen", "BT /F1 10 Tf 100 700 Td [(A) -1000 (B)] TJ ET", "", "A|B", func(t *testing.T, p *Page) {
			if got := p.Glyphs[1].X - p.Glyphs[0].X; math.Abs(got-15) > 1e-9 {
				t.Errorf("B at %.2f after A, want 15 (5 advance + 10 kerning)", got)
			}
		}},
		{"cm, Tm and text rise", "q 2 0 0 2 50 50 cm BT /F1 10 Tf 1 0 0 1 10 20 Tm 3 Ts (A) Tj ET Q BT /F1 10 Tf 0 0 Td (B) Tj ET", "", "A|B", func(t *testing.T, p *Page) {
			a, b := p.Glyphs[0], p.Glyphs[1]
			if a.X != 70 || a.Y != 96 || a.Size != 20 || b.X != 0 || b.Y != 0 || b.Size != 10 {
				t.Errorf("A at (%v,%v) size %v, B at (%v,%v) size %v; want (70,96) 20 and (0,0) 10", a.X, a.Y, a.Size, b.X, b.Y, b.Size)
			}
		}},
		{"T* TL ' and \" move to the next line", "BT /F1 10 Tf 14 TL 100 700 Td (A) Tj T* (B) Tj (C) ' 1 0 (D) \" ET", "", "A|B|C|D", func(t *testing.T, p *Page) {
			for i, y := range []float64{700, 686, 672, 658} {
				if p.Glyphs[i].Y != y {
					t.Errorf("glyph %d at y %v, want %v", i, p.Glyphs[i].Y, y)
				}
			}
		}},
		{"word spacing applies to spaces", "BT /F1 10 Tf 5 Tw 100 700 Td (A B) Tj ET", "", "A| |B", func(t *testing.T, p *Page) {
			if got := p.Glyphs[2].X - p.Glyphs[0].X; got != 15 {
				t.Errorf("B %.1f after A, want 15", got)
			}
		}},
		// On a page displayed turned 90°, text reads upright when drawn
		// turned the other way.
		{"rotated page", "BT /F1 10 Tf 0 1 -1 0 100 700 Tm (A) Tj ET", "/Rotate 90", "A", func(t *testing.T, p *Page) {
			g := p.Glyphs[0]
			if p.Width != 842 || p.Height != 595 || g.X != 700 || g.Y != 495 || !g.Upright {
				t.Errorf("page %vx%v, A at (%v,%v) upright %v; want 842x595, (700,495), upright", p.Width, p.Height, g.X, g.Y, g.Upright)
			}
		}},
		{"rotated text is not upright", "BT /F1 10 Tf 0 1 -1 0 100 700 Tm (A) Tj ET", "", "A", func(t *testing.T, p *Page) {
			if p.Glyphs[0].Upright {
				t.Error("text turned 90° counts as upright")
			}
		}},
		{"inline image is skipped", "BI /W 2 /H 1 /BPC 8 /CS /G ID \x00EI\xff EI\nBT /F1 10 Tf 100 700 Td (A) Tj ET", "", "A", func(t *testing.T, p *Page) {
			if p.Images != 1 {
				t.Errorf("%d images, want 1", p.Images)
			}
		}},
		{"unknown font resource", "BT /F9 10 Tf 100 700 Td (A) Tj ET", "", "", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			data := pdftest.Document([]pdftest.Page{{Content: c.content, Extra: c.extra}}, resources, []string{helvetica, bold, type0, cidToUnicode})
			p := glyphsOf(t, data)
			var texts []string
			for _, g := range p.Glyphs {
				texts = append(texts, g.Text)
			}
			if got := strings.Join(texts, "|"); got != c.want {
				t.Fatalf("glyphs %q, want %q", got, c.want)
			}
			if c.check != nil {
				c.check(t, p)
			}
		})
	}
}

func TestIdentityWithoutToUnicode(t *testing.T) {
	font := "<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /Identity-H /DescendantFonts [<< /Type /Font /Subtype /CIDFontType2 >>] >>"
	p := glyphsOf(t, pdftest.Document([]pdftest.Page{{Content: "BT /F1 10 Tf 100 700 Td <000500060007> Tj ET"}}, "/Font << /F1 5 0 R >>", []string{font}))
	if len(p.Glyphs) != 0 || p.Undecodable != 3 {
		t.Errorf("%d glyphs, %d undecodable; want 0 and 3", len(p.Glyphs), p.Undecodable)
	}
}
