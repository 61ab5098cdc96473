// Package reportfiles knows the follow-up report's file formats: each
// format's name, label, media type and rendering, the file names, and how
// a report is frozen into files with their SHA-256 for approval. The CLI,
// the web pages and the approval all go through it, so a format is added
// in one place.
package reportfiles

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/inkludera/inkludera/internal/report"
	"github.com/inkludera/inkludera/internal/report/reportdocx"
	"github.com/inkludera/inkludera/internal/report/reportpdf"
	"github.com/inkludera/inkludera/internal/report/reportxlsx"
	"github.com/inkludera/inkludera/internal/strategy"
)

// Format is one file format of the report.
type Format struct {
	Name      string // "pdf", as --format and the URLs name it
	Label     string // "PDF", in Swedish, for the pages
	MediaType string
	Render    func(io.Writer, *report.FollowUp) error
}

// Formats lists every format in the order the pages offer them and an
// approval stores them: the content as data first, then the renderings.
var Formats = []Format{
	{Name: "json", Label: "Data (JSON)", MediaType: "application/json", Render: report.WriteJSON},
	{Name: "pdf", Label: "PDF", MediaType: "application/pdf", Render: reportpdf.Render},
	{Name: "docx", Label: "Word (DOCX)", MediaType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", Render: reportdocx.Render},
	{Name: "xlsx", Label: "Excel (XLSX)", MediaType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Render: reportxlsx.Render},
	{Name: "html", Label: "Webbsida (HTML)", MediaType: "text/html; charset=utf-8", Render: report.RenderHTML},
}

// Lookup finds a format by name.
func Lookup(name string) (Format, bool) {
	for _, f := range Formats {
		if f.Name == name {
			return f, true
		}
	}
	return Format{}, false
}

// Names lists the formats' names: "json, pdf, docx, xlsx, html".
func Names() string {
	var names []string
	for _, f := range Formats {
		names = append(names, f.Name)
	}
	return strings.Join(names, ", ")
}

// FileName is the name a report's file is saved as:
// "uppfoljning-2021-ostersund-integrationsstrategi-2020.pdf",
// "fordjupad-uppfoljning-2018-2021-….pdf". Only ASCII letters, digits and
// hyphens, so it survives every file system and mail client.
func FileName(f *report.FollowUp, format string) string {
	name := "uppfoljning-" + strconv.Itoa(f.Year)
	if f.Deep() {
		name = "fordjupad-uppfoljning-" + strconv.Itoa(f.Since) + "-" + strconv.Itoa(f.Year)
	}
	if slug := strategy.Slug(f.Organisation.Name); slug != "" {
		name += "-" + slug
	}
	if slug := strategy.Slug(f.Document.Key); slug != "" {
		name += "-" + slug
	}
	return name + "." + format
}

// Render renders f in one format into a file with its SHA-256.
func Render(f *report.FollowUp, format Format) (strategy.ReportFile, error) {
	var buf bytes.Buffer
	if err := format.Render(&buf, f); err != nil {
		return strategy.ReportFile{}, fmt.Errorf("rendering the report as %s: %w", format.Name, err)
	}
	sum := sha256.Sum256(buf.Bytes())
	return strategy.ReportFile{
		Format:    format.Name,
		Name:      FileName(f, format.Name),
		MediaType: format.MediaType,
		Size:      int64(buf.Len()),
		SHA256:    hex.EncodeToString(sum[:]),
		Content:   buf.Bytes(),
	}, nil
}

// RenderAll renders f in every format, in the order of Formats, for an
// approval. step, when not nil, is called before each format with how
// many are done, so a page can show progress.
func RenderAll(f *report.FollowUp, step func(done, total int, next Format)) ([]strategy.ReportFile, error) {
	files := make([]strategy.ReportFile, 0, len(Formats))
	for i, format := range Formats {
		if step != nil {
			step(i, len(Formats), format)
		}
		file, err := Render(f, format)
		if err != nil {
			return nil, err
		}
		files = append(files, file)
	}
	return files, nil
}
