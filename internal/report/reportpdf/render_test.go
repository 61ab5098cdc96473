package reportpdf

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/inkludera/inkludera/internal/describe"
	"github.com/inkludera/inkludera/internal/progress"
	"github.com/inkludera/inkludera/internal/report"
	"github.com/inkludera/inkludera/internal/report/reporttest"
	"github.com/inkludera/inkludera/internal/strategy"
	"github.com/inkludera/inkludera/internal/testtool"
)

// run runs a program and returns its standard output.
func run(t testing.TB, name string, args ...string) string {
	t.Helper()
	var stderr bytes.Buffer
	cmd := exec.Command(testtool.Path(t, name), args...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, stderr.String())
	}
	return string(out)
}

// renderPDF renders f and writes it to a temporary file, for the tools.
func renderPDF(t testing.TB, f *report.FollowUp) ([]byte, string) {
	t.Helper()
	var buf bytes.Buffer
	if err := Render(&buf, f); err != nil {
		t.Fatalf("Render: %v", err)
	}
	path := filepath.Join(t.TempDir(), "uppfoljning.pdf")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), path
}

// text is a PDF's text as pdftotext reads it (pages first to last, or
// the pages given), with every run of white space one space, so that
// words wrapped over lines still read as one phrase.
func text(t testing.TB, path string, pages ...int) string {
	t.Helper()
	args := []string{"-enc", "UTF-8"}
	if len(pages) == 2 {
		args = append(args, "-f", strconv.Itoa(pages[0]), "-l", strconv.Itoa(pages[1]))
	}
	return normalise(run(t, "pdftotext", append(args, path, "-")...))
}

func normalise(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return r == ' ' || r == '\n' || r == '\t' || r == '\f' || r == '\r' || r == '\u00a0'
	}), " ")
}

// The follow-ups of the tests, built once: each builds a SQLite store.
var (
	yearlyOnce, deepOnce, plansOnce sync.Once
	yearly, deep, plans             *report.FollowUp
)

func ostersund2021(t testing.TB) *report.FollowUp {
	yearlyOnce.Do(func() { yearly = reporttest.Ostersund2021(t) })
	if yearly == nil {
		t.Fatal("the Östersund follow-up could not be built")
	}
	return yearly
}

func ostersundDeep(t testing.TB) *report.FollowUp {
	deepOnce.Do(func() { deep = reporttest.Ostersund2021Since2018(t) })
	if deep == nil {
		t.Fatal("the deep Östersund follow-up could not be built")
	}
	return deep
}

// planCount is how many activities the test plan has: enough for its
// table to run over pages.
const planCount = 36

// ostersundPlans is Östersund's 2021 follow-up with two action plans
// added, one of them long, with late activities and follow-up notes.
func ostersundPlans(t testing.TB) *report.FollowUp {
	plansOnce.Do(func() {
		st := reporttest.DemoStore(t, addPlans)
		ctx := context.Background()
		ref := strategy.ActivityRef(reporttest.OstersundDoc, "amn-2021", "aktivitet-3")
		for _, n := range []strategy.Note{
			{Date: strategy.Date{Year: 2021, Month: 6, Day: 1}, Text: "Första träffen hölls med tolv deltagare."},
			{Date: strategy.Date{Year: 2021, Month: 11, Day: 15}, Text: "Lokalen byttes; deltagandet ökade."},
		} {
			if _, err := st.AddNote(ctx, ref, n); err != nil {
				t.Fatalf("adding a note: %v", err)
			}
		}
		plans = reporttest.FollowUp(t, st, reporttest.Ostersund, reporttest.OstersundDoc, 2021, 0)
	})
	if plans == nil {
		t.Fatal("the follow-up with plans could not be built")
	}
	return plans
}

func addPlans(bundles []strategy.Bundle) {
	for i := range bundles {
		b := &bundles[i]
		if b.Organisation != nil && b.Organisation.Code == reporttest.Ostersund {
			b.Bodies = append(b.Bodies, strategy.Body{Key: "amn", Name: "Arbetsmarknadsnämnden", Kind: strategy.BodyCommittee})
		}
		if b.Document == nil || b.Document.Key != reporttest.OstersundDoc {
			continue
		}
		var activities []strategy.Activity
		for n := 1; n <= planCount; n++ {
			a := strategy.Activity{
				Key:         fmt.Sprintf("aktivitet-%d", n),
				TargetGroup: "migranter och kommunplacerade",
				Title:       fmt.Sprintf("Aktivitet nummer %d", n),
				Description: strings.Repeat("Språkstöd, mentorer och praktik i samverkan med Arbetsförmedlingen. ", 1+n%3) +
					fmt.Sprintf("Radslut %d.", n),
				Time:        "2021-Q4",
				Responsible: "Arbetsmarknadsenheten",
				Status:      strategy.ActivityOngoing,
				Goals:       []string{"mal-1"},
			}
			switch n % 4 {
			case 0:
				a.Status = strategy.ActivityLate
			case 1:
				a.Time = "2022-Q4"
			}
			activities = append(activities, a)
		}
		b.Document.ActionPlans = append(b.Document.ActionPlans,
			strategy.ActionPlan{Key: "amn-2021", Body: "amn", Year: 2021, Status: strategy.PlanDecided,
				Decision:   strategy.PlanDecision{Reference: "AMN 2021-02-10 § 12", On: strategy.Date{Year: 2021, Month: 2, Day: 10}},
				Activities: activities},
			strategy.ActionPlan{Key: "ks-2021", Body: "ks", Year: 2021, Status: strategy.PlanDraft,
				Activities: []strategy.Activity{{Key: "valkomst", TargetGroup: "alla", Title: "Välkomstträffar", Time: "2021-Q4", Status: strategy.ActivityDone}}},
		)
	}
}

func goldenJSON(t testing.TB) *report.FollowUp {
	fh, err := os.Open("../testdata/ostersund-2021.golden.json")
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	f, err := report.ReadJSON(fh)
	if err != nil {
		t.Fatalf("reading the golden JSON: %v", err)
	}
	return f
}

var followUps = []struct {
	name string
	get  func(testing.TB) *report.FollowUp
}{
	{"yearly", ostersund2021},
	{"deep", ostersundDeep},
	{"plans", ostersundPlans},
	{"golden JSON", goldenJSON},
}

func TestRenderIsAPDFAndDeterministic(t *testing.T) {
	for _, tt := range followUps {
		t.Run(tt.name, func(t *testing.T) {
			f := tt.get(t)
			first, _ := renderPDF(t, f)
			if !bytes.HasPrefix(first, []byte("%PDF-")) {
				t.Errorf("starts with %q, want %%PDF-", first[:min(len(first), 8)])
			}
			if !bytes.HasSuffix(bytes.TrimRight(first, "\r\n"), []byte("%%EOF")) {
				t.Errorf("does not end with %%%%EOF: …%q", first[max(0, len(first)-16):])
			}
			// the dictionaries are not compressed, only the streams
			for _, want := range []string{"/Lang (sv)", "/Type /Outlines", "/FontFile2", "/Subtype /Link", "/CreationDate (D:20220315000000)"} {
				if !bytes.Contains(first, []byte(want)) {
					t.Errorf("the PDF has no %s", want)
				}
			}
			if !bytes.Contains(first, []byte("/Filter /FlateDecode")) {
				t.Error("the streams are not compressed")
			}
			second, _ := renderPDF(t, f)
			if !bytes.Equal(first, second) {
				t.Errorf("two renderings of the same FollowUp differ (%d and %d bytes)", len(first), len(second))
			}
		})
	}
}

func TestRenderRefusesWhatItCannotDate(t *testing.T) {
	if err := Render(&bytes.Buffer{}, nil); err == nil {
		t.Error("Render(nil) succeeded")
	}
	f := *goldenJSON(t)
	f.GeneratedOn = strategy.Date{}
	var buf bytes.Buffer
	if err := Render(&buf, &f); err == nil || !strings.Contains(err.Error(), "generated_on") {
		t.Errorf("Render without a date: %v, want an error naming generated_on", err)
	}
	if buf.Len() > 0 {
		t.Errorf("a failed Render wrote %d bytes", buf.Len())
	}
}

// goalTitles lists every goal's title, sub-goals too.
func goalTitles(gs []report.Goal) []string {
	var out []string
	for _, g := range gs {
		out = append(out, g.Title)
		out = append(out, goalTitles(g.Goals)...)
	}
	return out
}

func pageCount(t testing.TB, path string) int {
	t.Helper()
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)$`).FindStringSubmatch(run(t, "pdfinfo", path))
	if m == nil {
		t.Fatal("pdfinfo gives no page count")
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

func TestRenderText(t *testing.T) {
	for _, tt := range followUps[:3] {
		t.Run(tt.name, func(t *testing.T) {
			f := tt.get(t)
			_, path := renderPDF(t, f)
			all := text(t, path)
			pages := pageCount(t, path)

			want := []string{
				"Östersunds kommun", "Innehåll", "Sammanfattning", "Till: Kommunstyrelsen", "Källor",
				"Bilaga: Så bedöms målen", report.Heading(f),
				fmt.Sprintf("Sida 2 av %d", pages), fmt.Sprintf("Sida %d av %d", pages, pages),
				"Antal mål per status 2021", "Demovärden – inte verklig statistik",
				"Status 2020", "Typ av mål", f.Processing,
			}
			// every status in words, as the summary's table lists them
			for _, s := range progress.Statuses {
				want = append(want, describe.Capitalise(s.Label().SV))
			}
			for _, a := range f.Areas {
				want = append(want, a.Title)
				want = append(want, goalTitles(a.Goals)...)
				for _, target := range a.Targets() {
					want = append(want, target.Text)
				}
			}
			for _, p := range f.ActionPlans {
				want = append(want, p.Title, "Aktiviteter per status, "+p.Body)
				for _, a := range p.LateActivities() {
					want = append(want, a.Title+". "+a.LateReason)
				}
			}
			if f.Deep() {
				want = append(want, "Status år för år", "Antal mål per status, bedömt för varje år 2018–2021", "Period 2018–2021, bedömd per år")
			} else {
				want = append(want, "Uppföljningsår 2021")
			}
			for _, w := range want {
				if !strings.Contains(all, normalise(w)) {
					t.Errorf("the text has no %q", w)
				}
			}
			if cover := text(t, path, 1, 1); strings.Contains(cover, "Sida 1") {
				t.Errorf("the cover has a page number: %q", cover)
			}
		})
	}
}

func TestRenderTableOfContentsPageNumbers(t *testing.T) {
	for _, tt := range followUps[:3] {
		t.Run(tt.name, func(t *testing.T) {
			f := tt.get(t)
			_, path := renderPDF(t, f)
			pages := pageCount(t, path)
			toc := tableOfContents(t, path)

			entries := []string{"Sammanfattning", "Aktivitetsplaner 2021", "Källor", "Bilaga: Så bedöms målen"}
			for _, a := range f.Areas {
				entries = append(entries, a.Title)
				for _, g := range a.Goals {
					entries = append(entries, g.Title)
				}
			}
			for _, e := range entries {
				page, ok := toc[normalise(e)]
				if !ok {
					t.Errorf("the table of contents has no page for %q (it has %v)", e, toc)
					continue
				}
				if page <= 2 || page > pages {
					t.Errorf("%q: page %d, want 3–%d", e, page, pages)
					continue
				}
				if !headingOn(t, path, page, e) {
					t.Errorf("%q: the table of contents says page %d, which has no such heading", e, page)
				}
			}
		})
	}
}

// tocLine is a table of contents' line: its text, the leader dots, the
// page number.
var tocLine = regexp.MustCompile(`^\s*(.*?)[\s.]*\s(\d+)\s*$`)

// tableOfContents reads page 2's entries, joining a title wrapped over
// lines, and gives the page of each.
func tableOfContents(t testing.TB, path string) map[string]int {
	t.Helper()
	raw := run(t, "pdftotext", "-enc", "UTF-8", "-layout", "-f", "2", "-l", "2", path, "-")
	out := map[string]int{}
	var pending []string
	for _, ln := range strings.Split(raw, "\n") {
		if strings.TrimSpace(ln) == "" || strings.TrimSpace(ln) == "Innehåll" {
			continue
		}
		m := tocLine.FindStringSubmatch(ln)
		if m == nil {
			pending = append(pending, strings.TrimSpace(ln))
			continue
		}
		n, _ := strconv.Atoi(m[2])
		out[normalise(strings.Join(append(pending, m[1]), " "))] = n
		pending = nil
	}
	return out
}

// bboxWord is a word of pdftotext -bbox: its text and height in points.
var bboxWord = regexp.MustCompile(`<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>`)

// headingOn reports whether page shows title as a heading: its words in
// order, each taller than the body's (10 pt) text.
func headingOn(t testing.TB, path string, page int, title string) bool {
	t.Helper()
	raw := run(t, "pdftotext", "-enc", "UTF-8", "-bbox", "-f", strconv.Itoa(page), "-l", strconv.Itoa(page), path, "-")
	var words []string
	var heights []float64
	for _, m := range bboxWord.FindAllStringSubmatch(raw, -1) {
		y0, _ := strconv.ParseFloat(m[1], 64)
		y1, _ := strconv.ParseFloat(m[2], 64)
		words = append(words, htmlUnescape(m[3]))
		heights = append(heights, y1-y0)
	}
	want := strings.Fields(title)
	for i := 0; i+len(want) <= len(words); i++ {
		if !slices.Equal(words[i:i+len(want)], want) {
			continue
		}
		tall := true
		for _, h := range heights[i : i+len(want)] {
			tall = tall && h > 13 // a 10 pt line is about 11.6 pt high, 13 pt heading's 15
		}
		if tall {
			return true
		}
	}
	return false
}

func htmlUnescape(s string) string {
	return strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&quot;", `"`, "&apos;", "'").Replace(s)
}

func TestRenderInfo(t *testing.T) {
	f := ostersund2021(t)
	_, path := renderPDF(t, f)
	info := run(t, "pdfinfo", "-isodates", path)
	field := func(name string) string {
		m := regexp.MustCompile(`(?m)^` + name + `:\s+(.*)$`).FindStringSubmatch(info)
		if m == nil {
			return ""
		}
		return strings.TrimSpace(m[1])
	}
	if n := pageCount(t, path); n < 3 {
		t.Errorf("%d pages, want at least 3", n)
	}
	for name, want := range map[string]string{
		"Title":        report.Heading(f) + " – Östersunds kommun",
		"Author":       "Östersunds kommun",
		"Creator":      "Inkludera",
		"CreationDate": "2022-03-15T00:00:00",
		"ModDate":      "2022-03-15T00:00:00",
		"Page size":    "595.28 x 841.89 pts (A4)",
	} {
		if got := field(name); !strings.HasPrefix(got, want) {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	if s := field("Subject"); !strings.Contains(s, "Integrationsstrategi 2020") {
		t.Errorf("Subject = %q, want the document named", s)
	}
}

func TestRenderKeepsTableRowsWhole(t *testing.T) {
	f := ostersundPlans(t)
	_, path := renderPDF(t, f)
	caption := "Aktiviteter i Aktivitetsplan för Arbetsmarknadsnämnden 2021"
	pageOfStart := map[int]int{}
	pageOfEnd := map[int]int{}
	var tablePages []int
	for page := 1; page <= pageCount(t, path); page++ {
		txt := text(t, path, page, page)
		for n := 1; n <= planCount; n++ {
			if strings.Contains(txt, fmt.Sprintf("Aktivitet nummer %d ", n)) {
				pageOfStart[n] = page
			}
			if strings.Contains(txt, fmt.Sprintf("Radslut %d.", n)) {
				pageOfEnd[n] = page
			}
		}
		if strings.Contains(txt, caption) {
			tablePages = append(tablePages, page)
			// the header on every page the table is on, read as laid out
			rows := normalise(run(t, "pdftotext", "-enc", "UTF-8", "-layout", "-f", strconv.Itoa(page), "-l", strconv.Itoa(page), path, "-"))
			if !strings.Contains(rows, "Aktivitet Målgrupp Tid Ansvarig Uppföljning Status") {
				t.Errorf("page %d: the activities table has no header row", page)
			}
			if len(tablePages) > 1 && !strings.Contains(txt, caption+" (fortsättning)") {
				t.Errorf("page %d: the continued table does not say so", page)
			}
		}
	}
	if len(tablePages) < 2 {
		t.Fatalf("the activities table is on pages %v; the test needs it to run over two", tablePages)
	}
	for n := 1; n <= planCount; n++ {
		if pageOfStart[n] == 0 || pageOfStart[n] != pageOfEnd[n] {
			t.Errorf("activity %d starts on page %d and ends on page %d", n, pageOfStart[n], pageOfEnd[n])
		}
	}
}

// BenchmarkRender renders Östersund's 2021 follow-up, built once; it
// reports the PDF's size.
func BenchmarkRender(b *testing.B) {
	f := ostersund2021(b)
	var size int
	for b.Loop() {
		var buf bytes.Buffer
		if err := Render(&buf, f); err != nil {
			b.Fatal(err)
		}
		size = buf.Len()
	}
	b.ReportMetric(float64(size), "pdf-bytes")
}
