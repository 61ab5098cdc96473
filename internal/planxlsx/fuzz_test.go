package planxlsx

import (
	"archive/zip"
	"bytes"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/inkludera/inkludera/internal/strategy"
	"github.com/inkludera/inkludera/internal/testtool"
)

// maxFuzzedPart bounds the fuzzed bytes: a workbook part larger than this
// tells nothing a smaller one does not, and costs every execution.
const maxFuzzedPart = 64 << 10

// maxCellText is the most characters Excel keeps in a cell; Export
// refuses longer texts, so they cannot make the round trip.
const maxCellText = 32767

// FuzzImport replaces one XML part of an exported action plan (which picks
// it, in name order; one past the last fuzzes the bytes of the whole file)
// and imports the result. Whatever the bytes, Import must not panic; a
// refusal is Problems, each in English and Swedish and located; and the
// activities of a sheet that imports have valid, distinct keys, known
// statuses and progress within 0–100, and survive Export and Import
// unchanged, as a plan exported, left alone and imported again must.
func FuzzImport(f *testing.F) {
	var buf bytes.Buffer
	if err := Export(&buf, fullPlan, fullMeta); err != nil {
		f.Fatal(err)
	}
	parts := testtool.UnzipParts(f, buf.Bytes())
	var xmlParts []string
	for _, p := range parts {
		if strings.HasSuffix(p.Name, ".xml") {
			xmlParts = append(xmlParts, p.Name)
		}
	}
	slices.Sort(xmlParts)
	for i, name := range xmlParts {
		data, _ := testtool.PartNamed(parts, name)
		f.Add(data, uint8(i))
	}
	whole := uint8(len(xmlParts))
	f.Add(buf.Bytes(), whole)
	f.Add(otherLayout(f), whole)

	f.Fuzz(func(t *testing.T, part []byte, which uint8) {
		if len(part) > maxFuzzedPart {
			return
		}
		file := part
		if int(which) < len(xmlParts) {
			file = testtool.ZipParts(t, parts, xmlParts[which], part)
		}
		acts, err := Import(bytes.NewReader(file))
		if err != nil {
			if acts != nil {
				t.Fatalf("refused with %d activities: %v", len(acts), err)
			}
			checkImportProblems(t, err)
			return
		}
		if len(acts) == 0 {
			t.Fatal("imported no activities without a problem")
		}
		checkActivities(t, acts)
		for _, a := range acts {
			for _, s := range []string{a.TargetGroup, a.Title, a.Time, a.Responsible, a.Description, a.Key, strings.Join(a.Goals, ", ")} {
				if utf8.RuneCountInString(s) > maxCellText {
					return
				}
			}
		}
		var out bytes.Buffer
		if err := Export(&out, strategy.ActionPlan{Key: "p", Body: "b", Year: 2026, Activities: acts}, Meta{}); err != nil {
			t.Fatalf("imported activities do not export: %v", err)
		}
		again, err := Import(bytes.NewReader(out.Bytes()))
		if err != nil {
			t.Fatalf("exported activities do not import: %v", err)
		}
		if !reflect.DeepEqual(again, acts) {
			t.Fatalf("round trip differs:\n got %+v\nwant %+v", again, acts)
		}
	})
}

// otherLayout is a workbook written by hand rather than exported: the
// header in another row and order, a formula-like title, a percentage
// cell, a date serial with a time, and mistakes.
func otherLayout(tb testing.TB) []byte {
	tb.Helper()
	f := excelize.NewFile()
	defer f.Close()
	const sh = "Sheet1"
	must := func(err error) {
		tb.Helper()
		if err != nil {
			tb.Fatal(err)
		}
	}
	for ref, v := range map[string]any{
		"B3": "Målgrupp", "A3": "Aktivitet", "C3": "Klart (%)", "D3": "Uppföljning", "E3": "Nyckel", "F3": "Mål", "G3": "status",
		"B4": "Alla", "A4": "=SUM(1)", "C4": 0.5, "D4": 46203.5, "E4": "A-1", "F4": "m1; M1;\nm2", "G4": "Pågående",
		"B5": "x", "A5": "!!!", "C5": "101 %", "D5": "2026-02-30", "F5": "inte en nyckel", "G5": "kanske",
	} {
		must(f.SetCellValue(sh, ref, v))
	}
	pct, err := f.NewStyle(&excelize.Style{NumFmt: 9})
	must(err)
	must(f.SetCellStyle(sh, "C4", "C4", pct))
	date, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	must(err)
	must(f.SetCellStyle(sh, "D4", "D4", date))
	var buf bytes.Buffer
	must(f.Write(&buf))
	return buf.Bytes()
}

// checkImportProblems holds a refusal to the promise of Problems.
func checkImportProblems(t *testing.T, err error) {
	t.Helper()
	var ps Problems
	if !errors.As(err, &ps) || len(ps) == 0 {
		t.Fatalf("refused without Problems: %v", err)
	}
	for _, p := range ps {
		if p.English == "" || p.Swedish == "" || !utf8.ValidString(p.English) || !utf8.ValidString(p.Swedish) {
			t.Errorf("problem without a message in both languages: %+v", p)
		}
		if p.Row < 0 || (p.Cell != "" && (p.Row == 0 || p.Column == "")) {
			t.Errorf("problem badly located: %+v", p)
		}
		if p.Cell != "" && !strings.HasPrefix(p.English, p.Cell+" ") {
			t.Errorf("problem does not start with its cell: %+v", p)
		}
	}
}

// checkActivities holds imported activities to what the store accepts.
func checkActivities(t *testing.T, acts []strategy.Activity) {
	t.Helper()
	keys := map[string]bool{}
	for _, a := range acts {
		if !strategy.ValidKey(a.Key) || keys[a.Key] {
			t.Errorf("key %q invalid or given twice", a.Key)
		}
		keys[a.Key] = true
		if a.Title == "" || a.TargetGroup == "" {
			t.Errorf("activity %q without title or target group", a.Key)
		}
		if !a.Status.Valid() {
			t.Errorf("activity %q has status %q", a.Key, a.Status)
		}
		if a.Progress != nil && (*a.Progress < 0 || *a.Progress > 100) {
			t.Errorf("activity %q is %d %% done", a.Key, *a.Progress)
		}
		if !a.FollowUp.IsZero() && (a.FollowUp.Year < 2000 || a.FollowUp.Year > 2100) {
			t.Errorf("activity %q is followed up %v", a.Key, a.FollowUp)
		}
		for _, g := range a.Goals {
			if !strategy.ValidKey(g) {
				t.Errorf("activity %q has goal %q", a.Key, g)
			}
		}
	}
}

// TestImportRefusesZipBomb: a workbook whose sheet unpacks to more than
// maxUnzipped is refused as unreadable before it is unpacked, however
// small the upload.
func TestImportRefusesZipBomb(t *testing.T) {
	var exported bytes.Buffer
	if err := Export(&exported, fullPlan, fullMeta); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range testtool.UnzipParts(t, exported.Bytes()) {
		w, err := zw.Create(p.Name)
		if err != nil {
			t.Fatal(err)
		}
		content := p.Data
		if p.Name == "xl/worksheets/sheet1.xml" {
			// The sheet as exported, padded with whitespace that deflates
			// to almost nothing.
			before, after, _ := bytes.Cut(p.Data, []byte("</sheetData>"))
			pad := bytes.Repeat([]byte(" "), 1<<20)
			if _, err := w.Write(before); err != nil {
				t.Fatal(err)
			}
			for range maxUnzipped>>20 + 1 {
				if _, err := w.Write(pad); err != nil {
					t.Fatal(err)
				}
			}
			content = append([]byte("</sheetData>"), after...)
		}
		if _, err := w.Write(content); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if buf.Len() > 1<<20 {
		t.Fatalf("the bomb is %d bytes; it should be small", buf.Len())
	}
	acts, err := Import(bytes.NewReader(buf.Bytes()))
	var ps Problems
	if !errors.As(err, &ps) || len(ps) != 1 || !strings.Contains(ps[0].English, "could not be read as an Excel workbook") {
		t.Fatalf("got %d activities and %v, want the file refused as unreadable", len(acts), err)
	}
}
