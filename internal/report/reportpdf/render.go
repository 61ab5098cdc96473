package reportpdf

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"github.com/inkludera/inkludera/internal/chart"
	"github.com/inkludera/inkludera/internal/fonts"
	"github.com/inkludera/inkludera/internal/i18n"
	"github.com/inkludera/inkludera/internal/report"
)

// The page: A4 portrait in millimetres, with the HTML rendering's print
// margins. The body ends at bodyBottom; the footer sits below it.
const (
	pageWidth    = 210.0
	pageHeight   = 297.0
	marginLeft   = 20.0
	marginRight  = 20.0
	marginTop    = 20.0
	marginBottom = 22.0
	textWidth    = pageWidth - marginLeft - marginRight
	bodyBottom   = pageHeight - marginBottom
	bodyHeight   = bodyBottom - marginTop
	footerLine   = pageHeight - 12.0 // the footer's baseline
)

// fontFamily is the name the embedded font is registered under.
const fontFamily = fonts.Name

// pageCountAlias stands for the number of pages until the document is
// written; the page references of the table of contents and the text have
// aliases of their own (pageRef).
const pageCountAlias = "{nb}"

// refDigits is how many digits a page number's place is made for: the
// table of contents and the footer are right-aligned for up to 999 pages.
const refDigits = 3

// Render writes the follow-up as a PDF: A4 portrait, in Swedish, with
// DejaVu Sans embedded (a subset), in the content and order of the HTML
// rendering (report.RenderHTML): cover, table of contents, summary, areas
// with their goals and targets (each chart drawn as vectors beside its
// data table), action plans, sources and the method appendix. Headings
// are in the PDF's outline; every page but the cover has a footer with
// the page number.
//
// The document is laid out once. The table of contents comes before the
// pages it names, so its page numbers (and the page count in the footers)
// are written as aliases that fpdf replaces with the numbers when it
// writes the file; the contents' own length does not depend on them. The
// output depends only on f: its dates are f.GeneratedOn, so the same
// FollowUp gives the same bytes. Nothing is written when rendering fails.
func Render(w io.Writer, f *report.FollowUp) error {
	if f == nil {
		return errors.New("reportpdf: Render needs a FollowUp")
	}
	return render(w, f, chart.Draw)
}

// render is Render with the chart layout given, so tests can draw charts
// of their own.
func render(w io.Writer, f *report.FollowUp, draw func(chart.Chart) chart.Drawing) error {
	if f.GeneratedOn.IsZero() {
		return errors.New("reportpdf: the FollowUp has no date (generated_on), which the PDF's dates need")
	}
	m, err := loadMetrics()
	if err != nil {
		return err
	}
	r := newRenderer(f, m, draw)
	if err := r.render(); err != nil {
		return err
	}
	if err := r.resolvePageRefs(); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := r.pdf.Output(&buf); err != nil {
		return fmt.Errorf("reportpdf: writing the PDF: %w", err)
	}
	_, err = buf.WriteTo(w)
	return err
}

// pagination is where a layout put things: the page of each heading (by
// id) and the number of pages.
type pagination struct {
	pages map[string]int
	total int
}

// renderer lays out one pass of the document.
type renderer struct {
	f     *report.FollowUp
	pdf   *fpdf.Fpdf
	text  layout
	draw  func(chart.Chart) chart.Drawing
	title string // report.Heading
	// found is where the layout put each heading; refs are the aliases
	// written for page numbers, by alias.
	found pagination
	refs  map[string]pageRefAlias
	// links are the table of contents' links, by heading id.
	links map[string]int

	y       float64   // where the next block starts
	pending []heading // headings waiting for the content they head
	font    fontState // the font last selected in the PDF
}

// fontState is a selected font; fpdf writes a font change for every
// SetFont, so the renderer selects only when it changes.
type fontState struct {
	bold bool
	size float64
}

func newRenderer(f *report.FollowUp, m *metrics, draw func(chart.Chart) chart.Drawing) *renderer {
	r := &renderer{
		f:     f,
		text:  layout{m},
		draw:  draw,
		title: report.Heading(f),
		found: pagination{pages: map[string]int{}},
		refs:  map[string]pageRefAlias{},
		links: map[string]int{},
	}
	pdf := fpdf.NewCustom(&fpdf.InitType{OrientationStr: "P", UnitStr: "mm", SizeStr: "A4"})
	pdf.SetCompression(true)
	pdf.SetCatalogSort(true) // resources in a fixed order: the same bytes every time
	pdf.AddUTF8FontFromBytes(fontFamily, "", fonts.Regular)
	pdf.AddUTF8FontFromBytes(fontFamily, "B", fonts.Bold)
	// after the fonts: their subsets then keep the digits the alias
	// becomes
	pdf.AliasNbPages(pageCountAlias)
	pdf.SetMargins(marginLeft, marginTop, marginRight)
	pdf.SetAutoPageBreak(false, marginBottom) // the renderer breaks pages itself

	pdf.SetTitle(r.title+" – "+f.Organisation.Name, true)
	pdf.SetAuthor(f.Organisation.Name, true)
	pdf.SetSubject(subject(f), true)
	pdf.SetCreator("Inkludera", true)
	pdf.SetLang("sv")
	made := time.Date(f.GeneratedOn.Year, f.GeneratedOn.Month, f.GeneratedOn.Day, 0, 0, 0, 0, time.UTC)
	pdf.SetCreationDate(made)
	pdf.SetModificationDate(made)
	pdf.SetDisplayMode("fullwidth", "continuous")
	pdf.SetFooterFunc(r.footer)
	r.pdf = pdf
	return r
}

// subject says what the document is, for the PDF's metadata: "Uppföljning
// år 2021 av styrdokumentet Integrationsstrategi 2020 (strategi),
// Östersunds kommun. Till Kommunstyrelsen."
func subject(f *report.FollowUp) string {
	s := "Uppföljning år " + i18n.FormatYear(f.Year)
	if f.Deep() {
		s = "Fördjupad uppföljning " + i18n.FormatYear(f.Since) + "–" + i18n.FormatYear(f.Year)
	}
	s += " av styrdokumentet " + f.Document.Title
	if f.Document.KindLabel != "" {
		s += " (" + strings.ToLower(f.Document.KindLabel) + ")"
	}
	s += ", " + f.Organisation.Name + "."
	if f.RecipientBody != "" {
		s += " Till " + f.RecipientBody + "."
	}
	return s
}

// render lays the whole document out.
func (r *renderer) render() error {
	r.cover()
	r.contents()
	r.summary()
	r.documentIndicators()
	for i := range r.f.Areas {
		r.area(&r.f.Areas[i])
	}
	r.actionPlans()
	r.sources()
	r.method()
	r.colophon()
	r.place(0, 0) // any heading still waiting
	r.found.total = r.pdf.PageNo()
	if err := r.pdf.Error(); err != nil {
		return fmt.Errorf("reportpdf: laying out the PDF: %w", err)
	}
	return nil
}

// newPage starts a page; the footer of the page before is drawn then.
func (r *renderer) newPage() {
	r.pdf.AddPage()
	r.font = fontState{}
	r.y = marginTop
}

// atTop reports whether nothing has been placed on the page yet.
func (r *renderer) atTop() bool { return r.y <= marginTop }

// newSection starts a new page unless the current one is still empty,
// as the HTML's print stylesheet starts each main section.
func (r *renderer) newSection() {
	r.place(0, 0) // a heading with nothing under it stays in its section
	if !r.atTop() || r.pdf.PageNo() == 0 {
		r.newPage()
	}
}

// ensure starts a new page unless h more millimetres fit on this one.
func (r *renderer) ensure(h float64) {
	if r.y+h > bodyBottom && !r.atTop() {
		r.newPage()
	}
}

// pageRefAlias is a page number written before it is known.
type pageRefAlias struct {
	id string // the heading's
	// padded numbers fill refDigits digits' width, for a right-aligned
	// column; plain ones are for running text.
	padded bool
}

// pageRef is the page number of the heading id, as an alias that
// resolvePageRefs replaces once the layout is done. A padded one takes
// the width of refDigits digits (pageRefWidth).
func (r *renderer) pageRef(id string, padded bool) string {
	prefix := "{pg:"
	if padded {
		prefix = "{toc:"
	}
	alias := prefix + id + "}"
	r.refs[alias] = pageRefAlias{id: id, padded: padded}
	return alias
}

// pageRefWidth is the width a padded page number takes in a style.
func (r *renderer) pageRefWidth(s textStyle) float64 {
	return r.text.m.width(strings.Repeat("0", refDigits), s)
}

// padNumber fills the missing digits of n with two spaces each: DejaVu
// Sans's digits are all as wide as two spaces (1303 and 2 × 651 units, a
// test checks it), so a padded number ends where refDigits digits would.
// Spaces, unlike figure spaces, are in every subset of the font.
func padNumber(n int, right bool) string {
	s := strconv.Itoa(n)
	pad := strings.Repeat("  ", max(0, refDigits-len(s)))
	if right {
		return s + pad
	}
	return pad + s
}

// resolvePageRefs tells fpdf what each page alias stands for.
func (r *renderer) resolvePageRefs() error {
	for alias, ref := range r.refs {
		n := r.found.pages[ref.id]
		if n == 0 {
			return fmt.Errorf("reportpdf: the contents name heading %q, which the report does not have", ref.id)
		}
		text := strconv.Itoa(n)
		if ref.padded {
			text = padNumber(n, false)
		}
		r.pdf.RegisterAlias(alias, text)
	}
	r.pdf.RegisterAlias(pageCountAlias, padNumber(r.found.total, true))
	return nil
}

// footer writes "Organisation · Rapport" and "Sida N av M" at the foot of
// every page but the cover.
func (r *renderer) footer() {
	n := r.pdf.PageNo()
	if n <= 1 {
		return
	}
	defer func() { r.font = fontState{} }()
	style := muted.with(8)
	r.setFont(style)
	r.pdf.SetDrawColor(ruleColour.r, ruleColour.g, ruleColour.b)
	r.pdf.SetLineWidth(0.2)
	r.pdf.Line(marginLeft, footerLine-4, pageWidth-marginRight, footerLine-4)

	// The alias becomes the count when the file is written, padded on
	// the right to refDigits digits' width, so that the text ends at the
	// margin whatever the count.
	rightWidth := r.text.m.width(fmt.Sprintf("Sida %d av ", n), style) + r.pageRefWidth(style)
	r.pdf.Text(pageWidth-marginRight-rightWidth, footerLine, fmt.Sprintf("Sida %d av %s", n, pageCountAlias))

	left := r.fit(r.f.Organisation.Name+" · "+r.title, style, textWidth-rightWidth-8)
	r.pdf.Text(marginLeft, footerLine, left)
}

// fit shortens s with "…" to at most width.
func (r *renderer) fit(s string, style textStyle, width float64) string {
	if r.text.m.width(s, style) <= width {
		return s
	}
	runes := []rune(s)
	for n := len(runes) - 1; n > 0; n-- {
		t := string(runes[:n]) + "…"
		if r.text.m.width(t, style) <= width {
			return t
		}
	}
	return "…"
}

// setFont selects a style's font and colour.
func (r *renderer) setFont(s textStyle) {
	want := fontState{bold: s.bold, size: s.size}
	if r.font != want {
		style := ""
		if s.bold {
			style = "B"
		}
		r.pdf.SetFont(fontFamily, style, s.size)
		r.font = want
	}
	r.pdf.SetTextColor(s.colour.r, s.colour.g, s.colour.b)
}

// drawLine writes a line with its top at y, from x, or ending at x+width
// when alignRight.
func (r *renderer) drawLine(ln line, x, y, width float64, alignRight bool) {
	if alignRight {
		x += width - ln.width
	}
	baseline := y + ln.height/2 + 0.35*pt(ln.size)
	// badges' backgrounds first, one box per badge per line
	for i := 0; i < len(ln.tokens); {
		t := ln.tokens[i]
		j := i + 1
		for j < len(ln.tokens) && t.badge != nil && ln.tokens[j].badge == t.badge {
			j++
		}
		if t.badge != nil {
			last := ln.tokens[j-1]
			size := pt(t.style.size)
			c := coloursOf(*t.badge)
			r.pdf.SetFillColor(c.fill.r, c.fill.g, c.fill.b)
			r.pdf.SetDrawColor(c.border.r, c.border.g, c.border.b)
			r.pdf.SetLineWidth(0.2)
			left := x + t.x
			r.pdf.RoundedRect(left, baseline-0.93*size, last.x+last.advance()-t.x, 1.22*size, 0.6, "1234", "FD")
		}
		i = j
	}
	// then the text, one string per run of a style
	for i := 0; i < len(ln.tokens); {
		t := ln.tokens[i]
		text := t.text
		j := i + 1
		for j < len(ln.tokens) && ln.tokens[j].style == t.style && ln.tokens[j].badge == t.badge {
			if ln.tokens[j].spaced {
				text += " "
			}
			text += ln.tokens[j].text
			j++
		}
		r.setFont(t.style)
		r.pdf.Text(x+t.x+t.padLeft, baseline, text)
		i = j
	}
}
