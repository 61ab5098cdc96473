package reportpdf

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/inkludera/inkludera/internal/chart"
	"github.com/inkludera/inkludera/internal/report"
	"github.com/inkludera/inkludera/internal/strategy"
)

// testRenderer is a renderer of a small follow-up whose charts draw is
// asked for, writing uncompressed so tests can read the page.
func testRenderer(t testing.TB, draw func(chart.Chart) chart.Drawing) *renderer {
	t.Helper()
	m, err := loadMetrics()
	if err != nil {
		t.Fatal(err)
	}
	f := &report.FollowUp{
		Organisation: report.Organisation{Code: "9999", Name: "Provkommunen"},
		Document:     report.Document{Title: "Provstrategi", KindLabel: "Strategi"},
		Year:         2021,
		GeneratedOn:  strategy.Date{Year: 2022, Month: 3, Day: 15},
	}
	r := newRenderer(f, m, draw)
	r.pdf.SetCompression(false)
	return r
}

// output writes the renderer's document.
func output(t testing.TB, r *renderer) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := r.pdf.Output(&buf); err != nil {
		t.Fatalf("writing the PDF: %v", err)
	}
	return buf.Bytes()
}

// firstPage is the content stream of an uncompressed PDF's first page,
// which fpdf writes first of all its streams.
func firstPage(t testing.TB, pdf []byte) string {
	t.Helper()
	s := string(pdf)
	start := strings.Index(s, "stream\n")
	end := strings.Index(s, "\nendstream")
	if start < 0 || end < start {
		t.Fatal("the PDF has no content stream")
	}
	return s[start+len("stream\n") : end]
}

// handMade is a drawing with one shape of each kind, 200 × 100 units.
var handMade = chart.Drawing{
	Width: 200, Height: 100,
	Shapes: []chart.Shape{
		{Kind: chart.Rect, Points: []chart.XY{{X: 0, Y: 0}, {X: 200, Y: 100}}, Fill: "#ffffff"},
		{Kind: chart.Polyline, Points: []chart.XY{{X: 10, Y: 90}, {X: 100, Y: 10}, {X: 190, Y: 50}}, Stroke: "#1f4e79", StrokeWidth: 2},
		{Kind: chart.Polyline, Points: []chart.XY{{X: 10, Y: 50}, {X: 190, Y: 50}}, Stroke: "#333333", StrokeWidth: 1, Dash: []float64{5, 3}},
		{Kind: chart.Polygon, Points: []chart.XY{{X: 50, Y: 50}, {X: 55, Y: 45}, {X: 60, Y: 50}}, Fill: "#b03a2e", Stroke: "#ffffff", StrokeWidth: 0.5},
		{Kind: chart.Circle, Points: []chart.XY{{X: 100, Y: 10}}, Radius: 4, Fill: "#2e7d32"},
		{Kind: chart.Text, Points: []chart.XY{{X: 100, Y: 98}}, Text: "Mål: minst 10 % år 2020", FontSize: 12,
			Anchor: chart.AnchorMiddle, Fill: "#1a1a1a", Halo: true, HaloWidth: 3},
		{Kind: chart.Polyline, Points: []chart.XY{{X: 0, Y: 0}, {X: 200, Y: 100}}}, // no paint: nothing drawn
		{Kind: chart.Text, Points: []chart.XY{{X: 190, Y: 20}}, Text: "2021", FontSize: 12, Anchor: chart.AnchorEnd, Fill: "#595959"},
	},
}

func TestDrawingAsVectors(t *testing.T) {
	r := testRenderer(t, nil)
	r.newPage()
	// 100 mm wide at (20, 30): half a millimetre a unit
	if h := r.drawing(handMade, 20, 30, 100); h != 50 {
		t.Errorf("height = %v mm, want 50", h)
	}
	page := firstPage(t, output(t, r))
	mm := func(v float64) string { return fmt.Sprintf("%.2f", v*72/25.4) }
	top := func(y float64) string { return fmt.Sprintf("%.2f", (pageHeight-y)*72/25.4) }

	label := "Mål: minst 10 % år 2020"
	labelWidth := r.text.m.width(label, textStyle{size: 12 * 0.5 * 72 / 25.4})
	yearWidth := r.text.m.width("2021", textStyle{size: 12 * 0.5 * 72 / 25.4})
	for _, want := range []string{
		// the white background, the drawing's full size
		mm(20) + " " + top(30) + " " + mm(100) + " " + mm(-50) + " re f",
		"0.122 0.306 0.475 RG", // the data line's colour
		mm(1) + " w",           // its width: 2 units
		"[" + mm(2.5) + " " + mm(1.5) + "] 0.00 d", // the dashed line, scaled
		"[] 0.00 d", // and solid again after it
		"h\nB",      // the marker, closed, filled and stroked
		"1 Tr",      // the label's halo, stroked …
		"0 Tr",      // … then the label
		"BT " + mm(20+50-labelWidth/2) + " " + top(30+49) + " Td", // centred on its point
		"BT " + mm(20+95-yearWidth) + " " + top(30+10) + " Td",    // ending at its point
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the page has no %q", want)
		}
	}
	// the two stroked lines; the shape without paint draws nothing
	if n := len(regexp.MustCompile(`(?m)^S$`).FindAllString(page, -1)); n != 2 {
		t.Errorf("%d stroked paths, want 2", n)
	}
	// the circle: Bézier curves, filled
	if n := strings.Count(page, " c\n"); n < 4 {
		t.Errorf("%d curve segments, want at least 4 for the circle", n)
	}
}

func TestDrawingWithoutSize(t *testing.T) {
	r := testRenderer(t, nil)
	r.newPage()
	if h := r.drawing(chart.Drawing{Shapes: handMade.Shapes}, 20, 30, 100); h != 0 {
		t.Errorf("a drawing without a size took %v mm", h)
	}
}

// fakeChart stands for chart.Draw: a drawing of the chart's title.
func fakeChart(c chart.Chart) chart.Drawing {
	d := handMade
	d.Width, d.Height = 640, 320
	d.Shapes = append(d.Shapes[:len(d.Shapes):len(d.Shapes)],
		chart.Shape{Kind: chart.Text, Points: []chart.XY{{X: 20, Y: 40}}, Text: "Ritat: " + c.Title, FontSize: 14, Fill: "#1a1a1a"})
	return d
}

func TestFigureChartStaysWithItsTitle(t *testing.T) {
	r := testRenderer(t, fakeChart)
	r.newPage()
	// the page has room for the title but not for the chart under it
	r.y = bodyBottom - 50
	r.figure(&report.Figure{
		Title: "Utrikes födda", Chart: chart.Chart{Title: "Utrikes födda, Provkommunen"},
		Caption: "Utrikes födda, år för år (procent)", Columns: []string{"År", "Totalt"},
		Rows:         []report.DataRow{{Year: 2021, Cells: []report.DataCell{{Text: "10,5 %"}}}},
		Attributions: "Källa: Kolada",
	})
	_, path := writeTemp(t, output(t, r))
	if first := text(t, path, 1, 1); strings.Contains(first, "Diagram") || strings.Contains(first, "Ritat") {
		t.Errorf("page 1 has the chart or its title: %q", first)
	}
	second := text(t, path, 2, 2)
	for _, want := range []string{"Diagram: Utrikes födda", "Ritat: Utrikes födda, Provkommunen", "Källa: Kolada. Värdena finns i tabellen nedan.", "2021 10,5 %"} {
		if !strings.Contains(second, want) {
			t.Errorf("page 2 has no %q: %q", want, second)
		}
	}
}
