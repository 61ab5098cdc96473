package pdf

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/inkludera/inkludera/internal/doctext/pdf/pdftest"
)

// serialize writes an object in PDF syntax.
func serialize(b *bytes.Buffer, o Object) {
	switch v := o.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(v))
	case int64:
		b.WriteString(strconv.FormatInt(v, 10))
	case float64:
		b.WriteString(strconv.FormatFloat(v, 'f', -1, 64))
	case String:
		fmt.Fprintf(b, "<%x>", []byte(v))
	case Name:
		b.WriteByte('/')
		for _, c := range []byte(v) {
			if isRegular(c) && c > 32 && c < 127 && c != '#' {
				b.WriteByte(c)
			} else {
				fmt.Fprintf(b, "#%02x", c)
			}
		}
	case Array:
		b.WriteByte('[')
		for i, e := range v {
			if i > 0 {
				b.WriteByte(' ')
			}
			serialize(b, e)
		}
		b.WriteByte(']')
	case Dict:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, string(k))
		}
		sort.Strings(keys)
		b.WriteString("<<")
		for _, k := range keys {
			serialize(b, Name(k))
			b.WriteByte(' ')
			serialize(b, v[Name(k)])
			b.WriteByte(' ')
		}
		b.WriteString(">>")
	case Ref:
		fmt.Fprintf(b, "%d %d R", v.Num, v.Gen)
	default:
		panic(fmt.Sprintf("cannot serialize %T", o))
	}
}

func deflate(data []byte) []byte {
	var z bytes.Buffer
	w := zlib.NewWriter(&z)
	w.Write(data)
	w.Close()
	return z.Bytes()
}

// compact rewrites an unencrypted PDF the way Word and Acrobat save: every
// non-stream object in an object stream, and a cross-reference stream
// with a PNG Up predictor. With hybrid, a classic table that lists only the
// top-level objects points to the stream with /XRefStm, as in hybrid files.
func compact(t *testing.T, data []byte, hybrid bool) []byte {
	t.Helper()
	d, err := Open(data)
	if err != nil {
		t.Fatal(err)
	}
	var nums []int
	maxNum := 0
	for num, e := range d.xref {
		if e.offset >= 0 {
			nums = append(nums, num)
			maxNum = max(maxNum, num)
		}
	}
	sort.Ints(nums)
	var out bytes.Buffer
	out.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	type entry struct{ kind, f2, f3 int }
	entries := map[int]entry{0: {0, 0, 0}}
	var header, body bytes.Buffer
	index := 0
	for _, num := range nums {
		o, err := d.load(num)
		if err != nil {
			t.Fatalf("object %d: %v", num, err)
		}
		if s, ok := o.(*Stream); ok {
			entries[num] = entry{1, out.Len(), 0}
			dict := Dict{}
			for k, v := range s.Dict {
				dict[k] = v
			}
			dict["Length"] = int64(len(s.raw))
			fmt.Fprintf(&out, "%d 0 obj\n", num)
			serialize(&out, dict)
			out.WriteString("\nstream\n")
			out.Write(s.raw)
			out.WriteString("\nendstream\nendobj\n")
			continue
		}
		fmt.Fprintf(&header, "%d %d ", num, body.Len())
		serialize(&body, o)
		body.WriteByte('\n')
		entries[num] = entry{2, maxNum + 1, index}
		index++
	}
	objStm := maxNum + 1
	entries[objStm] = entry{1, out.Len(), 0}
	stmData := deflate(append(header.Bytes(), body.Bytes()...))
	fmt.Fprintf(&out, "%d 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\nstream\n", objStm, index, header.Len(), len(stmData))
	out.Write(stmData)
	out.WriteString("\nendstream\nendobj\n")
	xrefNum := maxNum + 2
	xrefOffset := out.Len()
	entries[xrefNum] = entry{1, xrefOffset, 0}
	// Rows of 1 + 4 + 2 bytes, each behind a PNG Up filter byte.
	var rows bytes.Buffer
	prev := make([]byte, 7)
	for num := 0; num <= xrefNum; num++ {
		e := entries[num]
		row := []byte{byte(e.kind), byte(e.f2 >> 24), byte(e.f2 >> 16), byte(e.f2 >> 8), byte(e.f2), byte(e.f3 >> 8), byte(e.f3)}
		rows.WriteByte(2)
		for i := range row {
			rows.WriteByte(row[i] - prev[i])
		}
		prev = row
	}
	xrefData := deflate(rows.Bytes())
	var trailer bytes.Buffer
	serialize(&trailer, d.trailer["Root"])
	info := ""
	if r, ok := d.trailer["Info"].(Ref); ok {
		info = fmt.Sprintf(" /Info %d %d R", r.Num, r.Gen)
	}
	fmt.Fprintf(&out, "%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root %s%s /Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 7 >> /Length %d >>\nstream\n",
		xrefNum, xrefNum+1, trailer.String(), info, len(xrefData))
	out.Write(xrefData)
	out.WriteString("\nendstream\nendobj\n")
	if !hybrid {
		fmt.Fprintf(&out, "startxref\n%d\n%%%%EOF\n", xrefOffset)
		return out.Bytes()
	}
	// The table lists object 0 and the top-level objects, one subsection
	// each; older readers see nothing of the object streams' contents.
	tableOffset := out.Len()
	out.WriteString("xref\n0 1\n0000000000 65535 f \n")
	for num := 1; num <= xrefNum; num++ {
		if e := entries[num]; e.kind == 1 {
			fmt.Fprintf(&out, "%d 1\n%010d 00000 n \n", num, e.f2)
		}
	}
	fmt.Fprintf(&out, "trailer\n<< /Size %d /Root %s%s /XRefStm %d >>\nstartxref\n%d\n%%%%EOF\n", xrefNum+1, trailer.String(), info, xrefOffset, tableOffset)
	return out.Bytes()
}

// appendUpdate adds an incremental update that gives the document a new
// Info dictionary with the title, chained to the previous section by /Prev.
func appendUpdate(t *testing.T, data []byte, title string) []byte {
	t.Helper()
	d, err := Open(data)
	if err != nil {
		t.Fatal(err)
	}
	prev, err := d.findStartxref()
	if err != nil {
		t.Fatal(err)
	}
	size, _ := asInt(d.trailer["Size"])
	num := int(size)
	var out bytes.Buffer
	out.Write(data)
	offset := out.Len()
	fmt.Fprintf(&out, "%d 0 obj\n<< /Title (%s) >>\nendobj\n", num, title)
	xref := out.Len()
	var root bytes.Buffer
	serialize(&root, d.trailer["Root"])
	fmt.Fprintf(&out, "xref\n%d 1\n%010d 00000 n \ntrailer\n<< /Size %d /Root %s /Info %d 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n",
		num, offset, num+1, root.String(), num, prev, xref)
	return out.Bytes()
}

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile("../testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// allText is every page's glyph text, pages separated by form feeds.
func allText(t *testing.T, d *Document) string {
	t.Helper()
	var b strings.Builder
	for i := 1; i <= d.NumPages(); i++ {
		p, err := d.Page(i)
		if err != nil {
			t.Fatalf("page %d: %v", i, err)
		}
		for _, g := range p.Glyphs {
			b.WriteString(g.Text)
		}
		b.WriteByte('\f')
	}
	return b.String()
}

func TestCrossReferenceForms(t *testing.T) {
	for _, fixture := range []string{"strategi.pdf", "strategi-fpdf.pdf"} {
		original := readFixture(t, fixture)
		d, err := Open(original)
		if err != nil {
			t.Fatal(err)
		}
		want := allText(t, d)
		if !strings.Contains(want, "Långsiktigt mål 1") {
			t.Fatalf("%s: the original's text lacks a heading: %.200q", fixture, want)
		}
		cases := []struct {
			name          string
			data          []byte
			wantTitle     string
			wantCompacted bool
		}{
			{"object streams and a cross-reference stream", compact(t, original, false), d.Title(), true},
			{"hybrid: classic table with /XRefStm", compact(t, original, true), d.Title(), true},
			{"incremental update over a classic table", appendUpdate(t, original, "Ny titel"), "Ny titel", false},
			{"incremental update over a cross-reference stream", appendUpdate(t, compact(t, original, false), "Uppdaterad"), "Uppdaterad", true},
		}
		for _, c := range cases {
			t.Run(fixture+"/"+c.name, func(t *testing.T) {
				d, err := Open(c.data)
				if err != nil {
					t.Fatal(err)
				}
				if got := allText(t, d); got != want {
					t.Errorf("text differs from the original's:\n got %.300q\nwant %.300q", got, want)
				}
				if got := d.Title(); got != c.wantTitle {
					t.Errorf("title = %q, want %q", got, c.wantTitle)
				}
				if d.repaired {
					t.Error("read by rebuilding the cross-reference, not from it")
				}
				inStreams := 0
				for _, e := range d.xref {
					if e.inStream {
						inStreams++
					}
				}
				if c.wantCompacted != (inStreams > 0) {
					t.Errorf("%d objects in object streams; want some: %v", inStreams, c.wantCompacted)
				}
			})
		}
	}
}

func TestRepairs(t *testing.T) {
	original := readFixture(t, "strategi.pdf")
	d, err := Open(original)
	if err != nil {
		t.Fatal(err)
	}
	want := allText(t, d)
	startxref := bytes.LastIndex(original, []byte("startxref"))
	xrefAt := bytes.LastIndex(original, []byte("\nxref")) + 1
	cases := []struct {
		name string
		data []byte
	}{
		{"no startxref", original[:startxref]},
		{"startxref beyond the file", append(append([]byte(nil), original[:startxref]...), "startxref\n99999999\n%%EOF\n"...)},
		{"offsets all shifted", append([]byte("junk before the header\n"), original...)},
		{"cross-reference table overwritten", append(append(append([]byte(nil), original[:xrefAt]...), bytes.Repeat([]byte("x"), startxref-xrefAt)...), original[startxref:]...)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, err := Open(c.data)
			if err != nil {
				t.Fatal(err)
			}
			if !d.repaired {
				t.Error("the cross-reference was not rebuilt")
			}
			if got := allText(t, d); got != want {
				t.Errorf("text after repair differs:\n got %.200q\nwant %.200q", got, want)
			}
		})
	}
}

func TestHostileStructures(t *testing.T) {
	font := "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
	selfPrev := func() []byte {
		data := pdftest.Document([]pdftest.Page{{Content: "BT /F1 12 Tf 72 700 Td (Hej) Tj ET"}}, "/Font << /F1 5 0 R >>", []string{font})
		// Point the trailer's /Prev at its own section.
		at := bytes.LastIndex(data, []byte("startxref\n"))
		off := strings.TrimSpace(strings.SplitN(string(data[at+10:]), "\n", 2)[0])
		return bytes.Replace(data, []byte("/Root 1 0 R"), []byte("/Root 1 0 R /Prev "+off), 1)
	}
	cases := []struct {
		name     string
		data     []byte
		wantErr  error // nil: must open and read page 1
		wantText string
	}{
		{"/Prev pointing at itself", selfPrev(), nil, "Hej"},
		{"page tree with a cycle", pdftest.Build([]string{
			"<< /Type /Catalog /Pages 2 0 R >>",
			"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
			"<< /Type /Pages /Kids [2 0 R] /Count 1 >>",
		}, "/Root 1 0 R"), ErrDamaged, ""},
		{"form drawing itself", pdftest.Document([]pdftest.Page{{Content: "BT /F1 12 Tf 72 700 Td (A) Tj ET /X1 Do"}},
			"/Font << /F1 5 0 R >> /XObject << /X1 6 0 R >>", []string{font,
				pdftest.Stream("/Type /XObject /Subtype /Form /BBox [0 0 100 100] /Resources << /Font << /F1 5 0 R >> /XObject << /X1 6 0 R >> >>", "BT /F1 12 Tf 10 10 Td (B) Tj ET /X1 Do")}), nil, "AB"},
		{"arrays nested 100 000 deep", pdftest.Document([]pdftest.Page{{Content: strings.Repeat("[", 100000) + " BT /F1 12 Tf 72 700 Td (Ok) Tj ET"}},
			"/Font << /F1 5 0 R >>", []string{font}), nil, ""},
		{"object that is its own length", pdftest.Build([]string{
			"<< /Type /Catalog /Pages 2 0 R >>",
			"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
			"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
			"<< /Length 4 0 R >>\nstream\nBT /F1 12 Tf 72 700 Td (Len) Tj ET\nendstream",
			font,
		}, "/Root 1 0 R"), nil, "Len"},
		{"no catalog", []byte("%PDF-1.4\n1 0 obj << /Foo 1 >> endobj\ntrailer << /Size 2 >>\n%%EOF"), ErrDamaged, ""},
		{"not a PDF", []byte("hello"), ErrNotPDF, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			done := make(chan struct{})
			var d *Document
			var err error
			var text string
			go func() {
				defer close(done)
				d, err = Open(c.data)
				if err == nil {
					var p *Page
					if p, err = d.Page(1); err == nil {
						for _, g := range p.Glyphs {
							text += g.Text
						}
					}
				}
			}()
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				t.Fatal("no answer within 10 s")
			}
			if c.wantErr != nil {
				if !errors.Is(err, c.wantErr) {
					t.Fatalf("err = %v, want %v", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if text != c.wantText {
				t.Errorf("text = %q, want %q", text, c.wantText)
			}
		})
	}
}

func TestLimits(t *testing.T) {
	font := "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
	bomb := pdftest.Document([]pdftest.Page{{Content: "/X Do"}}, "/Font << /F1 5 0 R >> /XObject << /X 6 0 R >>",
		[]string{font, pdftest.FlateStream("/Type /XObject /Subtype /Form /BBox [0 0 1 1]", strings.Repeat(" ", 3<<20))})
	many := pdftest.Document([]pdftest.Page{{Content: strings.Repeat("q Q ", 1000)}}, "", nil)
	cases := []struct {
		name   string
		data   []byte
		limits Limits
	}{
		{"decoded size", bomb, Limits{MaxDecodedBytes: 1 << 20, MaxOperators: 1000, MaxPages: 10}},
		{"operators", many, Limits{MaxDecodedBytes: 1 << 20, MaxOperators: 100, MaxPages: 10}},
		{"pages", many, Limits{MaxDecodedBytes: 1 << 20, MaxOperators: 100000, MaxPages: 0}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, err := OpenWithLimits(c.data, c.limits)
			if err == nil {
				_, err = d.Page(1)
			}
			if !errors.Is(err, ErrTooLarge) {
				t.Errorf("err = %v, want ErrTooLarge", err)
			}
		})
	}
}
