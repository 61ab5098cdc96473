package reportdocx

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"html"
	"image/png"
	"io"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/inkludera/inkludera/internal/chart"
	"github.com/inkludera/inkludera/internal/describe"
	"github.com/inkludera/inkludera/internal/report"
	"github.com/inkludera/inkludera/internal/report/reporttest"
	"github.com/inkludera/inkludera/internal/strategy"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata from the current output")

// Namespaces the checks look elements up by.
const (
	nsW   = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	nsR   = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	nsWP  = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
	nsCT  = "http://schemas.openxmlformats.org/package/2006/content-types"
	nsRel = "http://schemas.openxmlformats.org/package/2006/relationships"
)

// The demo's follow-ups take a second to build: each is built once.
var (
	followUpsOnce sync.Mutex
	followUps     = map[string]*report.FollowUp{}
)

// rendered is the DOCX of followUp(deep), rendered once: most tests read
// the same document, and charts take time to draw.
func rendered(t testing.TB, deep bool) []byte {
	t.Helper()
	f := followUp(t, deep)
	renderedOnce.Lock()
	defer renderedOnce.Unlock()
	if b, ok := renderedDocs[f]; ok {
		return b
	}
	b := render(t, f)
	renderedDocs[f] = b
	return b
}

var (
	renderedOnce sync.Mutex
	renderedDocs = map[*report.FollowUp][]byte{}
)

// followUp is the Östersund demo's follow-up of 2021, deep since 2018
// when deep; callers must not change it (see editedCopy).
func followUp(t testing.TB, deep bool) *report.FollowUp {
	t.Helper()
	followUpsOnce.Lock()
	defer followUpsOnce.Unlock()
	key := strconv.FormatBool(deep)
	if f, ok := followUps[key]; ok {
		return f
	}
	var f *report.FollowUp
	if deep {
		f = reporttest.Ostersund2021Since2018(t)
	} else {
		f = reporttest.Ostersund2021(t)
	}
	followUps[key] = f
	return f
}

// withPlansFollowUp is the demo's follow-up of 2021 with what the demo
// lacks and the report shows: action plans with late activities, a dated
// note, goals served, a hand-set assessment and a prioritised area.
func withPlansFollowUp(t *testing.T) *report.FollowUp {
	t.Helper()
	st := reporttest.DemoStore(t, func(bundles []strategy.Bundle) {
		for i := range bundles {
			if o := bundles[i].Organisation; o != nil && o.Code == reporttest.Ostersund {
				bundles[i].Bodies = append(bundles[i].Bodies, strategy.Body{Key: "amn", Name: "Arbetsmarknadsnämnden", Kind: strategy.BodyCommittee})
			}
			d := bundles[i].Document
			if d == nil || d.Key != reporttest.OstersundDoc {
				continue
			}
			d.Areas[1].Prioritised = true
			d.Areas[0].Goals[0].Targets[1].Assessment = &strategy.Assessment{Status: strategy.LimitedProgress,
				Justification: "Mottagandet styrs av anvisningar från Migrationsverket.", By: "ks", On: strategy.Date{Year: 2022, Month: 2, Day: 1}}
			pct := 40
			d.ActionPlans = []strategy.ActionPlan{
				{Key: "ks-2021", Body: "ks", Year: 2021, Status: strategy.PlanDecided,
					Decision: strategy.PlanDecision{Reference: "KS 2021-02-10 § 12", On: strategy.Date{Year: 2021, Month: 2, Day: 10}},
					Activities: []strategy.Activity{
						{Key: "klar", TargetGroup: "alla", Title: "Klar aktivitet", Time: "2021-Q1", Status: strategy.ActivityDone},
						{Key: "tiden-ute", TargetGroup: "nyinflyttade", Title: "Välkomstträffar", Description: "Träffar med föreningar & företag <varje kvartal>.",
							Time: "2021-Q3", Responsible: "Kultur och fritid", Status: strategy.ActivityOngoing, Progress: &pct, Goals: []string{"mal-1", "mal-2"}},
						{Key: "markerad", TargetGroup: "alla", Title: "Mentorsprogram", Time: "2022-Q4", Status: strategy.ActivityLate},
						{Key: "installd", TargetGroup: "alla", Title: "Inställd mässa", Time: "2021-Q2", Status: strategy.ActivityCancelled},
					}},
				{Key: "amn-2021", Body: "amn", Year: 2021, Status: strategy.PlanDraft,
					Activities: []strategy.Activity{{Key: "praktik", TargetGroup: "migranter och kommunplacerade", Title: "Praktikplatser",
						Time: "2022", FollowUp: strategy.Date{Year: 2022, Month: 1, Day: 31}, Status: strategy.ActivityPlanned}}},
			}
		}
	})
	if _, err := st.AddNote(context.Background(), strategy.ActivityRef(reporttest.OstersundDoc, "ks-2021", "tiden-ute"),
		strategy.Note{Date: strategy.Date{Year: 2021, Month: 10, Day: 1}, Text: "Två av fyra träffar hållna.", Author: "Anna Andersson"}); err != nil {
		t.Fatal(err)
	}
	f := reporttest.FollowUp(t, st, reporttest.Ostersund, reporttest.OstersundDoc, 2021, 0)
	if len(f.ActionPlans) != 2 || report.SumLate(f.ActionPlans) == 0 {
		t.Fatalf("the edited demo has %d plans, %d late activities; want 2 plans with late activities", len(f.ActionPlans), report.SumLate(f.ActionPlans))
	}
	return f
}

func render(t testing.TB, f *report.FollowUp) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Render(&buf, f); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// docxPackage is a rendered document's parts by name, in zip order.
type docxPackage struct {
	names []string
	parts map[string][]byte
	files []*zip.File
}

func openPackage(t testing.TB, data []byte) docxPackage {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("the DOCX is not a zip archive: %v", err)
	}
	p := docxPackage{parts: map[string][]byte{}, files: z.File}
	for _, zf := range z.File {
		if _, dup := p.parts[zf.Name]; dup {
			t.Errorf("the archive holds %s twice", zf.Name)
		}
		rc, err := zf.Open()
		if err != nil {
			t.Fatalf("opening %s: %v", zf.Name, err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("reading %s: %v", zf.Name, err)
		}
		p.names = append(p.names, zf.Name)
		p.parts[zf.Name] = b
	}
	return p
}

func (p docxPackage) part(t testing.TB, name string) []byte {
	t.Helper()
	b, ok := p.parts[name]
	if !ok {
		t.Fatalf("the package has no %s; it has %v", name, p.names)
	}
	return b
}

// golden compares got with testdata/name, or rewrites the file under
// -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	file := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(file, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/report/reportdocx -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the output; if the change is deliberate, run go test ./internal/report/reportdocx -update and read the diff.\n%s",
			file, firstDifference(string(want), string(got)))
	}
}

// firstDifference shows the first line where want and got part, around
// the first differing byte (document.xml has long lines).
func firstDifference(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := range max(len(w), len(g)) {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			at := 0
			for at < len(wl) && at < len(gl) && wl[at] == gl[at] {
				at++
			}
			from := max(at-80, 0)
			return fmt.Sprintf("line %d, byte %d:\nwant: …%s\n got: …%s", i+1, at, wl[from:min(len(wl), at+80)], gl[from:min(len(gl), at+80)])
		}
	}
	return "(same lines, different bytes)"
}

func TestGoldenOstersund2021(t *testing.T) {
	p := openPackage(t, rendered(t, false))
	golden(t, "ostersund-2021.document.golden.xml", p.part(t, "word/document.xml"))
	golden(t, "ostersund-2021.styles.golden.xml", p.part(t, "word/styles.xml"))
}

func TestPackage(t *testing.T) {
	demo := func(deep bool) func(*testing.T) (*report.FollowUp, []byte) {
		return func(t *testing.T) (*report.FollowUp, []byte) { return followUp(t, deep), rendered(t, deep) }
	}
	tests := []struct {
		name   string
		render func(*testing.T) (*report.FollowUp, []byte)
	}{
		{"ostersund-2021", demo(false)},
		{"ostersund-2021-since-2018", demo(true)},
		{"ostersund-2021-with-plans", func(t *testing.T) (*report.FollowUp, []byte) {
			f := withPlansFollowUp(t)
			return f, render(t, f)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, doc := tt.render(t)
			p := openPackage(t, doc)
			checkPackage(t, p)
			checkDocument(t, f, p)
		})
	}
}

// checkPackage checks what makes a package a package: well-formed XML
// parts, each with a content type, and relationships that resolve both
// ways.
func checkPackage(t *testing.T, p docxPackage) {
	t.Helper()
	if len(p.names) == 0 || p.names[0] != "[Content_Types].xml" {
		t.Errorf("[Content_Types].xml should be the first entry; entries are %v", p.names)
	}
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "docProps/core.xml", "docProps/app.xml",
		"word/document.xml", "word/styles.xml", "word/settings.xml", "word/numbering.xml", "word/_rels/document.xml.rels", "word/footer1.xml"} {
		p.part(t, name)
	}
	for _, name := range p.names {
		if strings.HasSuffix(name, ".xml") || strings.HasSuffix(name, ".rels") {
			if err := wellFormed(p.parts[name]); err != nil {
				t.Errorf("%s is not well-formed XML: %v", name, err)
			}
		}
	}

	// [Content_Types].xml gives every part its type, by name or by
	// extension.
	var types struct {
		Defaults []struct {
			Extension   string `xml:"Extension,attr"`
			ContentType string `xml:"ContentType,attr"`
		} `xml:"Default"`
		Overrides []struct {
			PartName    string `xml:"PartName,attr"`
			ContentType string `xml:"ContentType,attr"`
		} `xml:"Override"`
	}
	if err := xml.Unmarshal(p.parts["[Content_Types].xml"], &types); err != nil {
		t.Fatal(err)
	}
	contentType := func(name string) string {
		for _, o := range types.Overrides {
			if o.PartName == "/"+name {
				return o.ContentType
			}
		}
		for _, d := range types.Defaults {
			if strings.EqualFold(d.Extension, strings.TrimPrefix(path.Ext(name), ".")) {
				return d.ContentType
			}
		}
		return ""
	}
	const ooxml = "application/vnd.openxmlformats-"
	for _, name := range p.names {
		var want string
		switch {
		case name == "[Content_Types].xml":
			continue
		case strings.HasSuffix(name, ".rels"):
			want = ooxml + "package.relationships+xml"
		case name == "word/document.xml":
			want = ooxml + "officedocument.wordprocessingml.document.main+xml"
		case name == "word/styles.xml", name == "word/settings.xml", name == "word/numbering.xml":
			want = ooxml + "officedocument.wordprocessingml." + strings.TrimSuffix(path.Base(name), ".xml") + "+xml"
		case regexp.MustCompile(`^word/footer\d+\.xml$`).MatchString(name):
			want = ooxml + "officedocument.wordprocessingml.footer+xml"
		case name == "docProps/core.xml":
			want = ooxml + "package.core-properties+xml"
		case name == "docProps/app.xml":
			want = ooxml + "officedocument.extended-properties+xml"
		case strings.HasPrefix(name, "word/media/") && strings.HasSuffix(name, ".png"):
			want = "image/png"
		default:
			t.Errorf("the package holds %s, which no check expects", name)
			continue
		}
		if got := contentType(name); got != want {
			t.Errorf("[Content_Types].xml gives %s the type %q, want %q", name, got, want)
		}
	}
	for _, o := range types.Overrides {
		if _, ok := p.parts[strings.TrimPrefix(o.PartName, "/")]; !ok {
			t.Errorf("[Content_Types].xml overrides %s, which the package lacks", o.PartName)
		}
	}

	// Every relationship's target exists, and every r:id or r:embed in a
	// part names one of the part's relationships.
	for _, name := range p.names {
		if !strings.HasSuffix(name, ".rels") {
			continue
		}
		source := strings.TrimSuffix(strings.Replace(name, "_rels/", "", 1), ".rels") // word/_rels/document.xml.rels → word/document.xml
		ids := relationships(t, p, name)
		for id, target := range ids {
			resolved := path.Join(path.Dir(source), target)
			if _, ok := p.parts[resolved]; !ok {
				t.Errorf("%s: relationship %s targets %s, which the package lacks", name, id, resolved)
			}
		}
		if source == "" || source == "." {
			continue
		}
		for _, ref := range relationshipRefs(t, p.parts[source]) {
			if _, ok := ids[ref]; !ok {
				t.Errorf("%s refers to relationship %q, which %s lacks", source, ref, name)
			}
		}
	}
	for _, name := range p.names {
		if strings.HasSuffix(name, ".xml") && len(relationshipRefs(t, p.parts[name])) > 0 {
			rels := path.Join(path.Dir(name), "_rels", path.Base(name)+".rels")
			if _, ok := p.parts[rels]; !ok {
				t.Errorf("%s refers to relationships but the package has no %s", name, rels)
			}
		}
	}
	if target := relationships(t, p, "_rels/.rels"); !slices.Contains(mapValues(target), "word/document.xml") {
		t.Errorf("_rels/.rels does not lead to word/document.xml: %v", target)
	}

	// Every image is a PNG.
	for _, name := range p.names {
		if strings.HasPrefix(name, "word/media/") {
			if _, err := png.Decode(bytes.NewReader(p.parts[name])); err != nil {
				t.Errorf("%s is not a PNG: %v", name, err)
			}
		}
	}
}

func mapValues(m map[string]string) []string {
	var vs []string
	for _, v := range m {
		vs = append(vs, v)
	}
	return vs
}

func wellFormed(b []byte) error {
	d := xml.NewDecoder(bytes.NewReader(b))
	for {
		_, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// relationships are a .rels part's ids and targets.
func relationships(t *testing.T, p docxPackage, name string) map[string]string {
	t.Helper()
	var rels struct {
		Relationship []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
			Mode   string `xml:"TargetMode,attr"`
		}
	}
	if err := xml.Unmarshal(p.part(t, name), &rels); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	ids := map[string]string{}
	for _, r := range rels.Relationship {
		if _, dup := ids[r.ID]; dup {
			t.Errorf("%s: relationship id %s twice", name, r.ID)
		}
		if r.Mode != "External" {
			ids[r.ID] = r.Target
		}
	}
	return ids
}

// relationshipRefs are the values of the part's attributes in the
// relationships namespace (r:id, r:embed).
func relationshipRefs(t *testing.T, b []byte) []string {
	t.Helper()
	var refs []string
	d := xml.NewDecoder(bytes.NewReader(b))
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return refs
		}
		if err != nil {
			t.Fatal(err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			for _, a := range se.Attr {
				if a.Name.Space == nsR {
					refs = append(refs, a.Value)
				}
			}
		}
	}
}

// docParagraph is a w:p of document.xml as the checks see it.
type docParagraph struct {
	Style string
	Text  string
}

// documentContent is what the checks read from document.xml.
type documentContent struct {
	Paragraphs   []docParagraph
	Bookmarks    []string
	Anchors      []string
	Instructions []string
	Pictures     []struct{ Title, Description string }
	Tables       int
	HeaderRows   int
	Captions     []string // w:tblCaption
}

func readDocument(t *testing.T, b []byte) documentContent {
	t.Helper()
	var c documentContent
	d := xml.NewDecoder(bytes.NewReader(b))
	var current *docParagraph
	var inText, inInstr bool
	attr := func(se xml.StartElement, space, local string) string {
		for _, a := range se.Attr {
			if a.Name.Space == space && a.Name.Local == local {
				return a.Value
			}
		}
		return ""
	}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return c
		}
		if err != nil {
			t.Fatal(err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			switch {
			case tok.Name.Space == nsW && tok.Name.Local == "p":
				c.Paragraphs = append(c.Paragraphs, docParagraph{})
				current = &c.Paragraphs[len(c.Paragraphs)-1]
			case tok.Name.Space == nsW && tok.Name.Local == "pStyle" && current != nil:
				current.Style = attr(tok, nsW, "val")
			case tok.Name.Space == nsW && tok.Name.Local == "t":
				inText = true
			case tok.Name.Space == nsW && tok.Name.Local == "instrText":
				inInstr = true
				c.Instructions = append(c.Instructions, "")
			case tok.Name.Space == nsW && tok.Name.Local == "tab" && current != nil:
				current.Text += "\t"
			case tok.Name.Space == nsW && tok.Name.Local == "br" && current != nil:
				current.Text += "\n"
			case tok.Name.Space == nsW && tok.Name.Local == "bookmarkStart":
				c.Bookmarks = append(c.Bookmarks, attr(tok, nsW, "name"))
			case tok.Name.Space == nsW && tok.Name.Local == "hyperlink":
				c.Anchors = append(c.Anchors, attr(tok, nsW, "anchor"))
			case tok.Name.Space == nsWP && tok.Name.Local == "docPr":
				c.Pictures = append(c.Pictures, struct{ Title, Description string }{attr(tok, "", "title"), attr(tok, "", "descr")})
			case tok.Name.Space == nsW && tok.Name.Local == "tbl":
				c.Tables++
			case tok.Name.Space == nsW && tok.Name.Local == "tblHeader":
				c.HeaderRows++
			case tok.Name.Space == nsW && tok.Name.Local == "tblCaption":
				c.Captions = append(c.Captions, attr(tok, nsW, "val"))
			}
		case xml.EndElement:
			switch {
			case tok.Name.Space == nsW && tok.Name.Local == "t":
				inText = false
			case tok.Name.Space == nsW && tok.Name.Local == "instrText":
				inInstr = false
			}
		case xml.CharData:
			switch {
			case inText && current != nil:
				current.Text += string(tok)
			case inInstr:
				c.Instructions[len(c.Instructions)-1] += string(tok)
			}
		}
	}
}

// headingLevel is a paragraph's heading level, 0 for body text.
func headingLevel(style string) int {
	if n, ok := strings.CutPrefix(style, "Heading"); ok {
		if level, err := strconv.Atoi(n); err == nil {
			return level
		}
	}
	return 0
}

type heading struct {
	Level int
	Text  string
}

func (h heading) String() string { return fmt.Sprintf("H%d %q", h.Level, h.Text) }

var (
	htmlHeading = regexp.MustCompile(`(?s)<h([2-6]) id="([^"]*)">(.*?)</h[2-6]>`)
	htmlTag     = regexp.MustCompile(`<[^>]*>`)
)

// htmlHeadings are the HTML rendering's headings below the title,
// without its table of contents' own, at the level the DOCX gives them.
func htmlHeadings(t *testing.T, f *report.FollowUp) []heading {
	t.Helper()
	var buf bytes.Buffer
	if err := report.RenderHTML(&buf, f); err != nil {
		t.Fatal(err)
	}
	var hs []heading
	for _, m := range htmlHeading.FindAllStringSubmatch(buf.String(), -1) {
		if m[2] == "innehall" {
			continue
		}
		level, _ := strconv.Atoi(m[1])
		hs = append(hs, heading{level - 1, html.UnescapeString(htmlTag.ReplaceAllString(m[3], ""))})
	}
	return hs
}

// checkDocument checks document.xml's content against the FollowUp and
// the HTML rendering.
func checkDocument(t *testing.T, f *report.FollowUp, p docxPackage) {
	t.Helper()
	c := readDocument(t, p.part(t, "word/document.xml"))

	// Headings: Heading1…6, the first a Heading1, never a level skipped,
	// the same headings as the HTML's in the same order.
	var got []heading
	for _, para := range c.Paragraphs {
		if level := headingLevel(para.Style); level > 0 {
			if level > 6 {
				t.Errorf("heading style %s: Word has Heading1…Heading6", para.Style)
			}
			got = append(got, heading{level, para.Text})
		}
	}
	if len(got) == 0 || got[0].Level != 1 {
		t.Fatalf("the document should open with a Heading1; its headings are %v", got)
	}
	for i := 1; i < len(got); i++ {
		if got[i].Level > got[i-1].Level+1 {
			t.Errorf("heading %v follows %v: a level is skipped", got[i], got[i-1])
		}
	}
	// The HTML stops at h6 (Heading5 here) where the DOCX goes on to
	// Heading6: compare at the HTML's depth.
	var asHTML []heading
	for _, h := range got {
		asHTML = append(asHTML, heading{min(h.Level, 5), h.Text})
	}
	if want := htmlHeadings(t, f); !slices.Equal(asHTML, want) {
		got := asHTML
		for i := range max(len(got), len(want)) {
			var g, w heading
			if i < len(got) {
				g = got[i]
			}
			if i < len(want) {
				w = want[i]
			}
			if g != w {
				t.Errorf("the headings differ from the HTML's (%d against %d); the first difference, at %d:\n got: %v\nwant: %v", len(got), len(want), i, g, w)
				break
			}
		}
	}

	// The cover and every goal title are there.
	text := paragraphsText(c)
	for _, s := range []string{f.Organisation.Name, report.Heading(f), "Till: " + f.RecipientBody, "Datum: " + f.GeneratedOn.String()} {
		if !strings.Contains(text, s) {
			t.Errorf("the document lacks %q", s)
		}
	}
	for _, title := range goalTitles(f) {
		if !strings.Contains(text, title) {
			t.Errorf("the document lacks the goal %q", title)
		}
	}
	// Statuses are words with a symbol.
	for _, c := range f.Summary.RollUp.Counts {
		if s := c.Status.Symbol() + "\u00a0" + describe.Capitalise(c.Status.Label); !strings.Contains(text, s) {
			t.Errorf("the document lacks the status %q", s)
		}
	}

	// The table of contents is a TOC field whose cached result lists the
	// headings it covers, before the first of them.
	tocAt := slices.IndexFunc(c.Paragraphs, func(p docParagraph) bool { return p.Style == "TOCHeading" })
	firstHeading := slices.IndexFunc(c.Paragraphs, func(p docParagraph) bool { return headingLevel(p.Style) > 0 })
	if tocAt < 0 || tocAt > firstHeading {
		t.Errorf("the table of contents (paragraph %d) should come before the first heading (%d)", tocAt, firstHeading)
	}
	if !slices.ContainsFunc(c.Instructions, func(s string) bool { return strings.TrimSpace(s) == `TOC \o "1-3" \h \z \u` }) {
		t.Errorf(`no TOC \o "1-3" \h \z \u field among %q`, c.Instructions)
	}
	var entries, listed []string
	for _, h := range got {
		if h.Level <= 3 {
			listed = append(listed, h.Text)
		}
	}
	for _, para := range c.Paragraphs {
		if strings.HasPrefix(para.Style, "TOC") && para.Style != "TOCHeading" {
			entries = append(entries, strings.TrimSuffix(para.Text, "\t"))
		}
	}
	if !slices.Equal(entries, listed) {
		t.Errorf("the table of contents lists %d entries %q…, the headings to level 3 are %d %q…", len(entries), first(entries), len(listed), first(listed))
	}

	// Hyperlinks lead to bookmarks, which are unique.
	for i, b := range c.Bookmarks {
		if slices.Contains(c.Bookmarks[:i], b) {
			t.Errorf("bookmark %s twice", b)
		}
		if len(b) > 40 {
			t.Errorf("bookmark %s is longer than Word's 40 characters", b)
		}
	}
	for _, a := range c.Anchors {
		if !slices.Contains(c.Bookmarks, a) {
			t.Errorf("a hyperlink leads to %q, which no bookmark names", a)
		}
	}

	// One picture per chart, each with a title and a text alternative,
	// and a data table for each.
	figures := 0
	for _, at := range f.AllTargets() {
		if report.TargetFigure(f, *at.Target) != nil {
			figures++
		}
	}
	for _, ind := range f.Indicators {
		if report.ContextFigure(f, "dokument", ind) != nil {
			figures++
		}
	}
	for _, a := range f.Areas {
		for _, ind := range a.Indicators {
			if report.ContextFigure(f, "omrade-"+a.Key, ind) != nil {
				figures++
			}
		}
	}
	if figures == 0 {
		t.Fatal("the demo follow-up has no chart to check")
	}
	if len(c.Pictures) != figures {
		t.Errorf("%d pictures for %d charts", len(c.Pictures), figures)
	}
	media := 0
	for _, name := range p.names {
		if strings.HasPrefix(name, "word/media/") && strings.HasSuffix(name, ".png") {
			media++
		}
	}
	if media != figures {
		t.Errorf("%d PNG parts for %d charts", media, figures)
	}
	for i, pic := range c.Pictures {
		if strings.TrimSpace(pic.Description) == "" || strings.TrimSpace(pic.Title) == "" {
			t.Errorf("picture %d has title %q and description %q; both are needed", i+1, pic.Title, pic.Description)
		}
	}
	valueTables := 0
	for _, caption := range c.Captions {
		if strings.Contains(caption, ", år för år (") {
			valueTables++
		}
	}
	if valueTables != figures {
		t.Errorf("%d value tables for %d charts", valueTables, figures)
	}
	if c.HeaderRows != c.Tables {
		t.Errorf("%d of %d tables have a header row that repeats", c.HeaderRows, c.Tables)
	}
	if len(c.Captions) != c.Tables {
		t.Errorf("%d of %d tables have a caption", len(c.Captions), c.Tables)
	}

	// The footer numbers the pages; the properties name the report.
	footer := string(p.part(t, "word/footer1.xml"))
	for _, s := range []string{"Sida ", " PAGE ", " av ", " NUMPAGES "} {
		if !strings.Contains(footer, s) {
			t.Errorf("the footer lacks %q", s)
		}
	}
	var core struct {
		Title    string `xml:"title"`
		Creator  string `xml:"creator"`
		Language string `xml:"language"`
		Created  string `xml:"created"`
		Modified string `xml:"modified"`
	}
	if err := xml.Unmarshal(p.part(t, "docProps/core.xml"), &core); err != nil {
		t.Fatal(err)
	}
	date := f.GeneratedOn.String() + "T00:00:00Z"
	if core.Title != report.Heading(f) || core.Creator != f.Organisation.Name || core.Language != "sv-SE" || core.Created != date || core.Modified != date {
		t.Errorf("core properties %+v; want the title %q, creator %q, language sv-SE, created and modified %s",
			core, report.Heading(f), f.Organisation.Name, date)
	}
	settings := string(p.part(t, "word/settings.xml"))
	for _, s := range []string{`<w:updateFields w:val="true"/>`, `<w:themeFontLang w:val="sv-SE"/>`} {
		if !strings.Contains(settings, s) {
			t.Errorf("settings.xml lacks %s", s)
		}
	}
	styles := string(p.part(t, "word/styles.xml"))
	for level := 1; level <= 6; level++ {
		s := fmt.Sprintf(`w:styleId="Heading%d"><w:name w:val="heading %d"/>`, level, level)
		if !strings.Contains(styles, s) || !strings.Contains(styles, fmt.Sprintf(`<w:outlineLvl w:val="%d"/>`, level-1)) {
			t.Errorf("styles.xml lacks Heading%d with outline level %d", level, level-1)
		}
	}
	if !strings.Contains(styles, `<w:lang w:val="sv-SE"`) {
		t.Error("styles.xml does not make Swedish the document's language")
	}
}

func first(s []string) []string { return s[:min(3, len(s))] }

func paragraphsText(c documentContent) string {
	var b strings.Builder
	for _, p := range c.Paragraphs {
		b.WriteString(p.Text)
		b.WriteByte('\n')
	}
	return b.String()
}

// goalTitles are the titles of every goal and sub-goal.
func goalTitles(f *report.FollowUp) []string {
	var titles []string
	var walk func([]report.Goal)
	walk = func(gs []report.Goal) {
		for _, g := range gs {
			titles = append(titles, g.Title)
			walk(g.Goals)
		}
	}
	for _, a := range f.Areas {
		walk(a.Goals)
	}
	return titles
}

// TestEmptyFollowUp renders a follow-up with nothing in it, not even a
// date: still a valid package.
func TestEmptyFollowUp(t *testing.T) {
	p := openPackage(t, render(t, &report.FollowUp{}))
	checkPackage(t, p)
	c := readDocument(t, p.part(t, "word/document.xml"))
	if len(c.Pictures) != 0 || !strings.Contains(paragraphsText(c), "Dokumentet har inga mål att bedöma.") {
		t.Errorf("the empty report has %d pictures and reads:\n%s", len(c.Pictures), paragraphsText(c))
	}
}

func TestDeterministic(t *testing.T) {
	f := followUp(t, false)
	a, b := rendered(t, false), render(t, f)
	if !bytes.Equal(a, b) {
		t.Fatal("two renderings of the same FollowUp differ")
	}
	want := time.Date(f.GeneratedOn.Year, f.GeneratedOn.Month, f.GeneratedOn.Day, 0, 0, 0, 0, time.UTC)
	for _, zf := range openPackage(t, a).files {
		if !zf.Modified.Equal(want) {
			t.Errorf("%s is dated %v, want the report's date %v", zf.Name, zf.Modified, want)
		}
	}
}

// editedCopy is a deep copy of the demo follow-up (through its JSON, the
// form an approved report is kept in), changed by edit.
func editedCopy(t *testing.T, edit func(*report.FollowUp)) *report.FollowUp {
	t.Helper()
	var buf bytes.Buffer
	if err := report.WriteJSON(&buf, followUp(t, false)); err != nil {
		t.Fatal(err)
	}
	f, err := report.ReadJSON(&buf)
	if err != nil {
		t.Fatal(err)
	}
	edit(f)
	return f
}

func TestTextIsEscaped(t *testing.T) {
	f := editedCopy(t, func(f *report.FollowUp) {
		f.Areas = f.Areas[:1] // fewer charts to draw
		f.Organisation.Name = "Kommun <&> \"A\" 'B'\x01\x0b\ufffe"
		f.Areas[0].Title = "Område ]]> <w:p/> & \x1f"
		f.Areas[0].Goals[0].Targets[0].Explanation = "Rad ett\nrad två\tindragen\x00"
	})
	p := openPackage(t, render(t, f))
	for _, name := range p.names {
		if strings.HasSuffix(name, ".xml") {
			if err := wellFormed(p.parts[name]); err != nil {
				t.Errorf("%s is not well-formed: %v", name, err)
			}
		}
	}
	c := readDocument(t, p.part(t, "word/document.xml"))
	text := paragraphsText(c)
	for _, want := range []string{"Kommun <&> \"A\" 'B'", "Område ]]> <w:p/> & ", "Rad ett\nrad två\tindragen"} {
		if !strings.Contains(text, want) {
			t.Errorf("the document lacks %q", want)
		}
	}
	for _, r := range []string{"\x00", "\x01", "\x0b", "\x1f", "\ufffe"} {
		if strings.Contains(string(p.part(t, "word/document.xml")), r) {
			t.Errorf("document.xml holds %q, which XML forbids", r)
		}
	}
	var core struct {
		Creator string `xml:"creator"`
	}
	if err := xml.Unmarshal(p.part(t, "docProps/core.xml"), &core); err != nil {
		t.Fatal(err)
	}
	if core.Creator != "Kommun <&> \"A\" 'B'" {
		t.Errorf("creator %q", core.Creator)
	}
}

func TestEscapeXML(t *testing.T) {
	tests := []struct {
		name, in, text, attr string
	}{
		{"plain", "Östersund ✓ 12,5 %", "Östersund ✓ 12,5 %", "Östersund ✓ 12,5 %"},
		{"markup", `<a href="x">&'`, `&lt;a href="x"&gt;&amp;'`, `&lt;a href=&quot;x&quot;&gt;&amp;&apos;`},
		{"whitespace", "a\tb\nc\rd", "a\tb\nc\rd", "a&#x9;b&#xA;c&#xD;d"},
		{"forbidden controls", "a\x00b\x08c\x0bd\x1fe", "abcde", "abcde"},
		{"non-characters", "a\ufffeb\uffffc", "abc", "abc"},
		{"invalid UTF-8", "a\xffb\xc3", "ab", "ab"},
		{"astral", "a😀b", "a😀b", "a😀b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := xmlText(tt.in); got != tt.text {
				t.Errorf("xmlText(%q) = %q, want %q", tt.in, got, tt.text)
			}
			if got := xmlAttr(tt.in); got != tt.attr {
				t.Errorf("xmlAttr(%q) = %q, want %q", tt.in, got, tt.attr)
			}
		})
	}
}

func TestRenderNothingOnError(t *testing.T) {
	var buf bytes.Buffer
	if err := Render(&buf, nil); err == nil || buf.Len() > 0 {
		t.Errorf("Render(nil) = %v, wrote %d bytes; want an error and nothing written", err, buf.Len())
	}

	failing := errors.New("no pixels today")
	saved := encodePNG
	encodePNG = func(io.Writer, chart.Drawing, int) error { return failing }
	defer func() { encodePNG = saved }()
	err := Render(&buf, followUp(t, false))
	if !errors.Is(err, failing) || buf.Len() > 0 {
		t.Errorf("with the PNG encoder failing, Render = %v and wrote %d bytes; want its error and nothing written", err, buf.Len())
	}
}

func BenchmarkRender(b *testing.B) {
	f := followUp(b, false)
	var size int
	for b.Loop() {
		var buf bytes.Buffer
		if err := Render(&buf, f); err != nil {
			b.Fatal(err)
		}
		size = buf.Len()
	}
	b.ReportMetric(float64(size), "bytes/doc")
}
