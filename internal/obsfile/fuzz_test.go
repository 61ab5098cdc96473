package obsfile

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"github.com/inkludera/inkludera/internal/strategy"
	"github.com/inkludera/inkludera/internal/testtool"
)

// fuzzedParts are the parts of testdata/observations.xlsx that FuzzReadXLSX
// replaces, by the number the fuzzer picks; any other number fuzzes the
// bytes of the whole file.
var fuzzedParts = []string{
	"xl/worksheets/sheet2.xml", // the sheet "Observationer"
	"xl/sharedStrings.xml",
	"xl/styles.xml",
	"xl/workbook.xml",
	"xl/worksheets/sheet1.xml",
	"[Content_Types].xml",
	"xl/_rels/workbook.xml.rels",
}

// maxFuzzedPart bounds the fuzzed bytes: a workbook part larger than this
// tells nothing a smaller one does not, and costs every execution.
const maxFuzzedPart = 64 << 10

// FuzzReadXLSX replaces one part of a small valid workbook (or the whole
// file) with fuzzed bytes and reads it: the XML inside, not only the zip
// around it, reaches the reader. Whatever the bytes, Parse must not panic,
// and what it returns keeps the promises FuzzReadCSV checks for CSV.
func FuzzReadXLSX(f *testing.F) {
	raw, err := os.ReadFile(filepath.Join("testdata", "observations.xlsx"))
	if err != nil {
		f.Fatal(err)
	}
	parts := testtool.UnzipParts(f, raw)
	for i, name := range fuzzedParts {
		data, ok := testtool.PartNamed(parts, name)
		if !ok {
			f.Fatalf("testdata/observations.xlsx has no %s", name)
		}
		f.Add(data, uint8(i))
	}
	f.Add(raw, uint8(255))
	sheet := `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
		`<row r="1"><c r="A1" t="inlineStr"><is><t>org</t></is></c><c r="B1" t="inlineStr"><is><t>indicator</t></is></c>` +
		`<c r="C1" t="inlineStr"><is><t>year</t></is></c><c r="D1" t="inlineStr"><is><t>gender</t></is></c><c r="E1" t="inlineStr"><is><t>value</t></is></c></row>` +
		`<row r="2"><c r="A2"><v>114</v></c><c r="B2" t="inlineStr"><is><t>i</t></is></c><c r="C2"><v>2020</v></c>` +
		`<c r="D2" t="inlineStr"><is><t>T</t></is></c><c r="E2" s="1"><v>1.5E-3</v></c></row>` +
		`<row r="1048576"><c r="XFD1048576" t="e"><v>#N/A</v></c></row></sheetData></worksheet>`
	f.Add([]byte(sheet), uint8(0))

	f.Fuzz(func(t *testing.T, part []byte, which uint8) {
		if len(part) > maxFuzzedPart {
			return
		}
		file := part
		if int(which) < len(fuzzedParts) {
			file = testtool.ZipParts(t, parts, fuzzedParts[which], part)
		}
		const maxProblems = 20
		d, probs := Parse("fuzz.xlsx", file, Options{MaxProblems: maxProblems})
		if d.Format != "xlsx" && bytes.HasPrefix(file, []byte("PK\x03\x04")) {
			t.Fatalf("a zip file read as %q", d.Format)
		}
		if len(probs) > maxProblems+1 {
			t.Fatalf("%d problems, cap %d", len(probs), maxProblems)
		}
		for i, p := range probs {
			if p.File != "fuzz.xlsx" || p.Row < 0 || p.Line < p.Row || p.ColumnIndex < 0 {
				t.Fatalf("badly located problem %+v", p)
			}
			if d.Format == "xlsx" && p.Line != p.Row {
				t.Fatalf("a workbook's problem has line %d for row %d", p.Line, p.Row)
			}
			if p.Kind == KindMoreProblems && i != len(probs)-1 {
				t.Fatalf("\"more problems\" is not last: %v", probs)
			}
			if p.Swedish() == "" || p.English() == "" || !utf8.ValidString(p.Swedish()+p.English()) {
				t.Fatalf("no message for %+v", p)
			}
		}
		checkObservations(t, d)
	})
}

// checkObservations holds Data to its promises: observations valid,
// unique and in UTF-8, each with its row, in the order of the rows.
func checkObservations(t *testing.T, d *Data) {
	t.Helper()
	if len(d.Rows) != len(d.Observations) || len(d.Lines) != len(d.Observations) {
		t.Fatalf("%d observations, %d rows, %d lines", len(d.Observations), len(d.Rows), len(d.Lines))
	}
	seen := map[strategy.ObservationKey]bool{}
	for i, o := range d.Observations {
		if !strategy.ValidOrgCode(o.Org) || o.Year < firstYear || o.Year > lastYear || !o.Gender.Valid() || o.Indicator == "" {
			t.Fatalf("invalid observation %+v", o)
		}
		if o.Value != nil && (math.IsNaN(*o.Value) || math.IsInf(*o.Value, 0)) {
			t.Fatalf("value %v", *o.Value)
		}
		// Stored as it is: PostgreSQL refuses text that is not UTF-8.
		if !utf8.ValidString(o.Indicator + o.Status + o.Source + o.SourceURL) {
			t.Fatalf("observation %+v is not UTF-8", o)
		}
		if seen[o.Key()] {
			t.Fatalf("key %v twice", o.Key())
		}
		seen[o.Key()] = true
		if i > 0 && d.Rows[i] <= d.Rows[i-1] {
			t.Fatalf("rows not increasing: %v", d.Rows)
		}
	}
}
