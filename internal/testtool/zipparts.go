package testtool

import (
	"archive/zip"
	"bytes"
	"io"
	"testing"
)

// ZipPart is one file inside a zip archive, such as a part of an XLSX
// workbook.
type ZipPart struct {
	Name string
	Data []byte
}

// UnzipParts reads every file of the zip archive raw, in order.
func UnzipParts(tb testing.TB, raw []byte) []ZipPart {
	tb.Helper()
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		tb.Fatal(err)
	}
	var parts []ZipPart
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			tb.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			tb.Fatal(err)
		}
		parts = append(parts, ZipPart{zf.Name, data})
	}
	return parts
}

// PartNamed returns the data of the part called name.
func PartNamed(parts []ZipPart, name string) ([]byte, bool) {
	for _, p := range parts {
		if p.Name == name {
			return p.Data, true
		}
	}
	return nil, false
}

// ZipParts writes the parts as a zip archive, the one called name with
// data instead of its own. Stored, not deflated: a reader's work is the
// same and the test's less.
func ZipParts(tb testing.TB, parts []ZipPart, name string, data []byte) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: p.Name, Method: zip.Store})
		if err != nil {
			tb.Fatal(err)
		}
		content := p.Data
		if p.Name == name {
			content = data
		}
		if _, err := w.Write(content); err != nil {
			tb.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}
