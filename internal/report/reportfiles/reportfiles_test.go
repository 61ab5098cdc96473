package reportfiles

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"testing"

	"github.com/inkludera/inkludera/internal/report"
	"github.com/inkludera/inkludera/internal/report/reporttest"
)

func TestFileName(t *testing.T) {
	f := &report.FollowUp{Year: 2021, Organisation: report.Organisation{Name: "Östersunds kommun"},
		Document: report.Document{Key: "ostersund-integrationsstrategi-2020"}}
	if got, want := FileName(f, "pdf"), "uppfoljning-2021-ostersunds-kommun-ostersund-integrationsstrategi-2020.pdf"; got != want {
		t.Errorf("FileName = %q, want %q", got, want)
	}
	f.Since = 2018
	f.Organisation.Name = "Region Jämtland Härjedalen"
	f.Document.Key = "Plan  2022/23"
	if got, want := FileName(f, "docx"), "fordjupad-uppfoljning-2018-2021-region-jamtland-harjedalen-plan-2022-23.docx"; got != want {
		t.Errorf("FileName = %q, want %q", got, want)
	}
}

func TestLookup(t *testing.T) {
	for _, f := range Formats {
		got, ok := Lookup(f.Name)
		if !ok || got.Name != f.Name || got.MediaType == "" || got.Label == "" || got.Render == nil {
			t.Errorf("Lookup(%q) = %+v, %v", f.Name, got, ok)
		}
	}
	if _, ok := Lookup("odt"); ok {
		t.Error("Lookup(odt) found a format")
	}
	if Names() != "json, pdf, docx, xlsx, html" {
		t.Errorf("Names() = %q", Names())
	}
}

// TestRenderAll: every format, in order, each the bytes its renderer
// writes with the SHA-256 of those bytes, and the same bytes every time.
func TestRenderAll(t *testing.T) {
	f := reporttest.Ostersund2021(t)
	var steps []string
	files, err := RenderAll(f, func(done, total int, next Format) {
		if total != len(Formats) || done != len(steps) {
			t.Errorf("step %d of %d for %s", done, total, next.Name)
		}
		steps = append(steps, next.Name)
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != len(Formats) || len(steps) != len(Formats) {
		t.Fatalf("%d files after %d steps, want %d", len(files), len(steps), len(Formats))
	}
	again, err := RenderAll(f, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, file := range files {
		format := Formats[i]
		sum := sha256.Sum256(file.Content)
		if file.Format != format.Name || file.MediaType != format.MediaType || file.Size != int64(len(file.Content)) ||
			file.SHA256 != hex.EncodeToString(sum[:]) || file.Name != FileName(f, format.Name) {
			t.Errorf("file %d = %s %s %s %d %s", i, file.Format, file.Name, file.MediaType, file.Size, file.SHA256)
		}
		var direct bytes.Buffer
		if err := format.Render(&direct, f); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(direct.Bytes(), file.Content) {
			t.Errorf("%s: the file is not what the renderer writes", format.Name)
		}
		if again[i].SHA256 != file.SHA256 {
			t.Errorf("%s: rendered twice, the bytes differ", format.Name)
		}
	}
}
