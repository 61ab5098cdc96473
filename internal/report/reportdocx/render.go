package reportdocx

import (
	"archive/zip"
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/template"
	"time"

	"github.com/inkludera/inkludera/internal/chartpng"
	"github.com/inkludera/inkludera/internal/progress"
	"github.com/inkludera/inkludera/internal/report"
)

//go:embed templates
var templateFS embed.FS

// templates are the package's fixed parts, parsed once. They write text
// only through x (element content) and attr (attribute values).
var templates = template.Must(template.New("").Funcs(template.FuncMap{"x": xmlText, "attr": xmlAttr}).
	ParseFS(templateFS, "templates/*"))

// bulletNumID is the bullet list's w:numId in numbering.xml.
const bulletNumID = 1

// encodePNG rasterises a chart's drawing; a variable so that a test can
// make it fail.
var encodePNG = chartpng.Encode

// Render writes the follow-up as a Word document (DOCX, Office Open XML
// WordprocessingML) in Swedish, with the HTML rendering's content, order,
// headings and wording: a cover, a table of contents that Word refreshes
// on opening, the real heading styles at every depth of the goal tree,
// each chart an inline PNG with its title and text alternative followed
// by its data table, and "Sida X av Y" in the footer. The output depends
// only on f, so the same FollowUp gives the same bytes. Nothing is written
// when rendering fails.
func Render(w io.Writer, f *report.FollowUp) error {
	if f == nil {
		return errors.New("reportdocx: Render needs a FollowUp")
	}
	document, images, err := documentXML(f)
	if err != nil {
		return fmt.Errorf("reportdocx: %w", err)
	}
	parts := []part{
		{"[Content_Types].xml", static("content-types.xml")},
		{"_rels/.rels", static("package.rels")},
		{"docProps/core.xml", execute("core.xml.tmpl", properties(f))},
		{"docProps/app.xml", execute("app.xml.tmpl", properties(f))},
		{"word/document.xml", document},
		{"word/_rels/document.xml.rels", execute("document.xml.rels.tmpl", images)},
		{"word/styles.xml", stylesXML()},
		{"word/settings.xml", static("settings.xml")},
		{"word/numbering.xml", static("numbering.xml")},
		{"word/footer1.xml", execute("footer.xml.tmpl", footerContent(f))},
		{"word/footer2.xml", static("footer-cover.xml")},
	}
	for _, img := range images {
		parts = append(parts, part{"word/media/" + img.Name, result{data: img.Data}})
	}

	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	modified := zipTime(f)
	for _, p := range parts {
		if p.content.err != nil {
			return fmt.Errorf("reportdocx: writing %s: %w", p.name, p.content.err)
		}
		method := zip.Deflate
		if strings.HasSuffix(p.name, ".png") {
			method = zip.Store // already compressed
		}
		pw, err := z.CreateHeader(&zip.FileHeader{Name: p.name, Method: method, Modified: modified})
		if err != nil {
			return fmt.Errorf("reportdocx: %w", err)
		}
		if _, err := pw.Write(p.content.data); err != nil {
			return fmt.Errorf("reportdocx: %w", err)
		}
	}
	if err := z.Close(); err != nil {
		return fmt.Errorf("reportdocx: %w", err)
	}
	_, err = buf.WriteTo(w)
	return err
}

// part is a file of the package.
type part struct {
	name    string
	content result
}

// result is a part's bytes or the error that kept it from being made.
type result struct {
	data []byte
	err  error
}

func static(name string) result {
	b, err := templateFS.ReadFile("templates/" + name)
	return result{b, err}
}

func execute(name string, data any) result {
	var b bytes.Buffer
	err := templates.ExecuteTemplate(&b, name, data)
	return result{b.Bytes(), err}
}

// documentXML is word/document.xml and the charts' images it refers to.
func documentXML(f *report.FollowUp) (result, []mediaFile, error) {
	b := newBody(f)
	b.cover()
	cover := bytes.Clone(b.out.Bytes())
	b.out.Reset()

	b.summary()
	b.documentIndicators()
	for _, a := range f.Areas {
		b.area(a)
	}
	b.actionPlans()
	b.sources()
	b.method()
	b.colophon()
	if b.err != nil {
		return result{}, nil, b.err
	}
	if err := b.encodeImages(); err != nil {
		return result{}, nil, err
	}

	// The contents come after the cover but list the headings, so they
	// are written once the rest is.
	var all bytes.Buffer
	all.Write(cover)
	tableOfContents(&all, b.headings)
	all.Write(b.out.Bytes())
	return execute("document.xml.tmpl", struct {
		Body                          string
		PageWidth, PageHeight, Margin int
	}{all.String(), pageWidthTwips, pageHeightTwips, marginTwips}), b.images, nil
}

// footerContent is the footer's runs: the organisation and the report on
// the left, "Sida X av Y" on the right.
func footerContent(f *report.FollowUp) string {
	var w bytes.Buffer
	writeSpans(&w, []span{plain(f.Organisation.Name + " · " + report.Heading(f) + "\tSida ")})
	simpleField(&w, "PAGE", "1")
	writeSpans(&w, []span{plain(" av ")})
	simpleField(&w, "NUMPAGES", "1")
	return w.String()
}

// documentProperties are docProps/core.xml's and app.xml's.
type documentProperties struct {
	Title, Subject, Creator string
	Date                    string // W3CDTF
}

func properties(f *report.FollowUp) documentProperties {
	return documentProperties{
		Title:   report.Heading(f),
		Subject: f.Document.Title,
		Creator: f.Organisation.Name,
		Date:    zipTime(f).Format(time.RFC3339),
	}
}

// zipTime is the report's date, midnight UTC, for every time the package
// records, so the same FollowUp gives the same bytes. A FollowUp without
// a date gets the earliest time a zip entry can hold.
func zipTime(f *report.FollowUp) time.Time {
	d := f.GeneratedOn
	if d.IsZero() || d.Year < 1980 {
		return time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
}

// headingStyle is a Heading1…Heading6 style's look.
type headingStyle struct {
	Level      int
	HalfPoints int
	Before     int // twips
	Colour     string
	Italic     bool
}

var headingStyles = []headingStyle{
	{1, 36, 0, "1F4E79", false},
	{2, 28, 360, "1F4E79", false},
	{3, 24, 280, "1A1A1A", false},
	{4, 22, 240, "1A1A1A", false},
	{5, 22, 200, "1A1A1A", false},
	{6, 22, 200, "1A1A1A", true},
}

// statusStyle is a status's character style: the HTML badge's colours.
type statusStyle struct {
	Code               progress.Status
	ID, Name           string
	Text, Border, Fill string
}

var statusStyles = []statusStyle{
	{progress.Achieved, "StatusAchieved", "Status uppnått", "14461A", "2E7D32", "DFF0E0"},
	{progress.OnTrack, "StatusOnTrack", "Status på väg", "2B4613", "4F7A28", "E6F2DC"},
	{progress.AccelerationNeeded, "StatusAccelerationNeeded", "Status behöver öka takten", "4D3D00", "8A6D00", "FFF3CD"},
	{progress.LimitedProgress, "StatusLimitedProgress", "Status begränsad förbättring", "5C2D00", "A04F00", "FDE7D6"},
	{progress.Deterioration, "StatusDeterioration", "Status försämring", "6B1D15", "B03A2E", "F9DEDC"},
	{progress.NotAchieved, "StatusNotAchieved", "Status inte uppnått", "56112F", "8E2450", "F3D6E0"},
	{progress.CannotAssess, "StatusCannotAssess", "Status kan inte bedömas", "333333", "6B6B6B", "EEEEEE"},
}

// statusStyleID is the character style of a status; an unknown one gets
// the plain Status style.
func statusStyleID(s progress.Status) string {
	for _, st := range statusStyles {
		if st.Code == s {
			return st.ID
		}
	}
	return "Status"
}

// tocStyle is a TOC1…TOC3 style's indent and spacing.
type tocStyle struct {
	Level, Indent, Before int
}

func stylesXML() result {
	return execute("styles.xml.tmpl", struct {
		Headings  []headingStyle
		TOCLevels []tocStyle
		Statuses  []statusStyle
		TextWidth int
	}{headingStyles, []tocStyle{{1, 0, 120}, {2, 284, 0}, {3, 567, 0}}, statusStyles, textWidthTwips})
}
