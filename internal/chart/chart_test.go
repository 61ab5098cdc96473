package chart

import (
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"html/template"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func v(f float64) *float64 { return &f }

// series builds a series from consecutive years; math.NaN() marks a missing year.
func series(name string, from int, values ...float64) Series {
	s := Series{Name: name}
	for i, val := range values {
		p := Point{Year: from + i}
		if !math.IsNaN(val) {
			p.Value = v(val)
		}
		s.Points = append(s.Points, p)
	}
	return s
}

var nan = math.NaN()

// goldenCases are rendered to testdata/<name>.svg; open them in a browser to
// review a change.
var goldenCases = []struct {
	name  string
	chart Chart
}{
	{"employment-gap-target", Chart{
		ID:          "sysselsattning",
		Title:       "Förvärvsarbetande invånare 20–64 år, utrikes födda",
		Description: "Andelen ökade från 48,2 % 2015 till 61,0 % 2024. Kvinnor saknar värde för 2019.",
		Unit:        "%",
		Series: []Series{
			series("Totalt", 2015, 48.2, 49.5, 51.0, 52.8, 53.9, 52.1, 54.6, 57.3, 59.8, 61.0),
			series("Kvinnor", 2015, 41.0, 42.3, 44.1, 45.9, nan, 45.0, 47.7, 50.2, 53.1, 55.4),
			series("Män", 2015, 54.9, 56.2, 57.4, 59.1, 60.0, 58.6, 61.0, 63.8, 65.9, 66.3),
		},
		Targets: []TargetLine{{Label: "Mål: minst 65 %", Value: 65}},
	}},
	{"net-migration-negative", Chart{
		ID:    "flyttnetto",
		Title: "Flyttnetto, utrikes födda",
		Unit:  "personer",
		Series: []Series{
			series("Totalt", 2016, 54, 12, -37, -149, -88, -20, 31),
		},
	}},
	{"single-point", Chart{
		ID:     "enda",
		Title:  "Nyanlända i etableringsprogrammet",
		Unit:   "personer",
		Series: []Series{series("Totalt", 2024, 212)},
	}},
	{"all-missing", Chart{
		ID:     "saknas",
		Title:  "Deltagare i samhällsorientering",
		Series: []Series{series("Totalt", 2020, nan, nan, nan)},
	}},
	{"one-series-missing", Chart{
		ID:    "delvis",
		Title: "Elever med godkänt i svenska för invandrare",
		Unit:  "%",
		Series: []Series{
			series("Totalt", 2020, 71.5, 73, 74.2),
			series("Kvinnor", 2020, nan, nan, nan),
		},
	}},
	{"equal-values", Chart{
		ID:     "lika",
		Title:  "Antal språkcaféer",
		Series: []Series{series("Totalt", 2019, 7, 7, 7, 7)},
	}},
	{"target-point-year", Chart{
		ID:    "malar",
		Title: "Andel i arbete eller studier 90 dagar efter etableringsprogrammet",
		Unit:  "%",
		Series: []Series{
			series("Totalt", 2016, 4.2, 5.9, 6.8, 8.1, 7.4),
		},
		Targets: []TargetLine{
			{Label: "Mål: minst 10 % år 2020", Value: 10, Year: 2020},
			{Value: 15, Year: 2022}, // default label, widens the x-axis
		},
	}},
	{"many-years", Chart{
		ID:    "lang",
		Title: "Utrikes födda, andel av befolkningen",
		Unit:  "%",
		Series: []Series{
			series("Totalt", 2000, 9.1, 9.4, 9.6, 9.8, 10.1, 10.4, 10.9, 11.6, 12.2, 12.7, 13.1, 13.4, 13.8, 14.2, 14.8,
				15.5, 16.4, 17.3, 18.0, 18.5, 18.9, 19.3, 19.6, 19.8, 20.0),
		},
	}},
	{"escaping", Chart{
		ID:          "esc ape\"<id>",
		Title:       `Mål & utfall: <script>alert("å")</script>`,
		Description: "Text med <taggar>, & och \"citat\" ska visas som text.",
		Unit:        "kr/år",
		Series: []Series{
			series(`Kvinnor & "män" <ålder 20–64>`, 2022, 1, 2),
		},
		Targets: []TargetLine{{Label: "Mål: < 5 & > 1", Value: 3}},
	}},
	{"thousands", Chart{
		ID:    "tusental",
		Title: "Invånare födda utomlands",
		Unit:  "personer",
		Series: []Series{
			series("Totalt", 2020, 11980, 12304, 12811, 13112),
		},
	}},
	{"six-series-narrow", Chart{
		ID:     "smal",
		Title:  "Sex serier i ett smalt diagram",
		Width:  320,
		Height: 260,
		Series: []Series{
			series("Östersund", 2020, 1, 2, 3),
			series("Krokom", 2020, 2, 3, 4),
			series("Strömsund", 2020, 3, 4, 5),
			series("Åre", 2020, 4, 5, 6),
			series("Berg", 2020, 5, 6, 7),
			series("Härjedalen", 2020, 6, 7, 8),
		},
	}},
	{"custom-format", Chart{
		ID:          "anpassad",
		Title:       "Andel med eftergymnasial utbildning",
		Series:      []Series{series("Totalt", 2022, 0.31, 0.34, 0.36)},
		FormatValue: func(f float64) string { return strconv.Itoa(int(math.Round(f*100))) + " procent" },
	}},
}

func TestLineGolden(t *testing.T) {
	for _, tc := range goldenCases {
		t.Run(tc.name, func(t *testing.T) {
			got := string(Line(tc.chart))
			path := filepath.Join("testdata", tc.name+".svg")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./internal/chart/ -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("output differs from %s; review and run with -update if intended.\ngot:\n%s", path, got)
			}
		})
	}
}

func TestLineIsWellFormedXML(t *testing.T) {
	for _, tc := range goldenCases {
		t.Run(tc.name, func(t *testing.T) {
			root := parse(t, string(Line(tc.chart)))
			if root.Name.Local != "svg" {
				t.Fatalf("root element %q, want svg", root.Name.Local)
			}
			if got := root.attr("role"); got != "img" {
				t.Errorf("role = %q, want img", got)
			}
			if got := root.attr("viewBox"); got == "" {
				t.Error("no viewBox")
			}
			if root.attr("width") != "" || root.attr("height") != "" {
				t.Error("svg has a fixed size; it must scale with its container")
			}
			// aria-labelledby must point at the title and desc that exist.
			ids := strings.Fields(root.attr("aria-labelledby"))
			if len(ids) != 2 {
				t.Fatalf("aria-labelledby = %q, want two ids", root.attr("aria-labelledby"))
			}
			for i, name := range []string{"title", "desc"} {
				el := root.child(name)
				if el == nil {
					t.Fatalf("no <%s> child of <svg>", name)
				}
				if el.attr("id") != ids[i] {
					t.Errorf("<%s id=%q>, aria-labelledby names %q", name, el.attr("id"), ids[i])
				}
				if strings.TrimSpace(el.text) == "" {
					t.Errorf("<%s> is empty", name)
				}
			}
		})
	}
}

func TestLineDeterministic(t *testing.T) {
	for _, tc := range goldenCases {
		if a, b := Line(tc.chart), Line(tc.chart); a != b {
			t.Errorf("%s: two renderings differ", tc.name)
		}
	}
}

func TestLineEscaping(t *testing.T) {
	c := Chart{
		ID:          `x" onload="alert(1)`,
		Title:       `Mål & utfall <b>för</b> "Åre"`,
		Description: "a < b && c > d",
		Unit:        "<%>",
		Series:      []Series{series(`K&M <script>`, 2020, 1, 2)},
		Targets:     []TargetLine{{Label: `Mål: "mer" än <5>`, Value: 3}},
	}
	out := string(Line(c))
	for _, raw := range []string{"<b>", "<script>", "<5>", "<%>", `onload="`, "&&"} {
		if strings.Contains(out, raw) {
			t.Errorf("output contains unescaped %q", raw)
		}
	}
	root := parse(t, out)
	if got := root.child("title").text; got != c.Title {
		t.Errorf("title text = %q, want %q", got, c.Title)
	}
	if got := root.child("desc").text; got != c.Description {
		t.Errorf("desc text = %q, want %q", got, c.Description)
	}
	if id := root.child("title").attr("id"); strings.ContainsAny(id, ` "=<>`) {
		t.Errorf("title id %q not sanitised", id)
	}
	texts := root.allText()
	for _, want := range []string{`K&M <script>`, `Mål: "mer" än <5>`, "<%>", "K&M <script>, 2020: 1\u00a0<%>"} {
		if !strings.Contains(texts, want) {
			t.Errorf("rendered text lacks %q", want)
		}
	}
}

func TestLineMissingValuesBreakTheLine(t *testing.T) {
	tests := []struct {
		name      string
		series    Series
		wantMoves int // "M" commands: one per run of two or more values
		wantLines int // "L" commands
		wantMarks int // markers with a <title>
	}{
		{"no gaps", series("T", 2020, 1, 2, 3, 4), 1, 3, 4},
		{"one gap", series("T", 2020, 1, 2, nan, 3, 4), 2, 2, 4},
		{"two gaps", series("T", 2020, 1, 2, nan, 3, 4, nan, nan, 5, 6), 3, 3, 6},
		{"leading and trailing gaps", series("T", 2020, nan, 1, 2, nan), 1, 1, 2},
		{"isolated point", series("T", 2020, 1, nan, 2, 3), 2, 1, 3},
		{"unsorted input", Series{Name: "T", Points: []Point{{2022, v(3)}, {2020, v(1)}, {2021, nil}, {2023, v(4)}}}, 2, 1, 3},
		{"NaN counts as missing", Series{Name: "T", Points: []Point{{2020, v(1)}, {2021, v(math.NaN())}, {2022, v(2)}}}, 2, 0, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := parse(t, string(Line(Chart{Title: "t", Series: []Series{tt.series}})))
			paths := root.find(func(e *elem) bool { return e.Name.Local == "path" && e.attr("class") == "line" })
			if len(paths) != 1 {
				t.Fatalf("%d line paths, want 1", len(paths))
			}
			d := paths[0].attr("d")
			if got := strings.Count(d, "M"); got != tt.wantMoves {
				t.Errorf("d=%q has %d M commands, want %d", d, got, tt.wantMoves)
			}
			if got := strings.Count(d, "L"); got != tt.wantLines {
				t.Errorf("d=%q has %d L commands, want %d", d, got, tt.wantLines)
			}
			marks := root.find(func(e *elem) bool { return e.parentClass == "series" && e.child("title") != nil })
			if len(marks) != tt.wantMarks {
				t.Errorf("%d markers, want %d", len(marks), tt.wantMarks)
			}
		})
	}
}

// A gap must not be drawn at zero: no point sits on the baseline when no
// value is 0.
func TestLineMissingIsNotZero(t *testing.T) {
	root := parse(t, string(Line(Chart{Title: "t", Series: []Series{series("T", 2020, 2, nan, 5)}})))
	axis := root.find(func(e *elem) bool { return e.parentClass == "x-axis" && e.Name.Local == "line" })[0]
	base := axis.attr("y1")
	for _, m := range root.find(func(e *elem) bool { return e.Name.Local == "circle" && e.child("title") != nil }) {
		if m.attr("cy") == base {
			t.Errorf("marker %q drawn on the zero baseline", m.child("title").text)
		}
		if strings.Contains(m.child("title").text, "2021") {
			t.Errorf("missing year 2021 has a marker")
		}
	}
}

func TestLineNegativeRange(t *testing.T) {
	c := Chart{Title: "Flyttnetto", Series: []Series{series("Totalt", 2016, 54, 12, -37, -149, -88)}}
	root := parse(t, string(Line(c)))
	labels := root.textsIn("y-axis")
	want := []string{"\u2212150", "\u2212100", "\u221250", "0", "50", "100"}
	if strings.Join(labels, "|") != strings.Join(want, "|") {
		t.Errorf("y labels = %q, want %q", labels, want)
	}
	// The zero line is emphasised when values go below zero.
	var zeroLines int
	for _, l := range root.find(func(e *elem) bool { return e.parentClass == "y-axis" && e.Name.Local == "line" }) {
		if l.attr("stroke") == axisColor {
			zeroLines++
		}
	}
	if zeroLines != 1 {
		t.Errorf("%d emphasised zero lines, want 1", zeroLines)
	}
	if !strings.Contains(root.allText(), "Totalt, 2019: \u2212149") {
		t.Error("negative value not in a point title")
	}
}

func TestLineTargetInRange(t *testing.T) {
	tests := []struct {
		name    string
		values  []float64
		target  TargetLine
		wantTop string // top y label
		wantBot string // bottom y label
	}{
		{"target above data", []float64{2, 4, 6}, TargetLine{Value: 10}, "10", "0"},
		{"target above far-from-zero data", []float64{60, 65, 70}, TargetLine{Value: 80}, "80", "60"},
		{"target below data", []float64{60, 65, 70}, TargetLine{Value: 20}, "80", "0"},
		{"point target", []float64{4.2, 5.9, 6.8}, TargetLine{Value: 10, Year: 2026}, "10", "0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Chart{Title: "t", Series: []Series{series("T", 2020, tt.values...)}, Targets: []TargetLine{tt.target}}
			root := parse(t, string(Line(c)))
			labels := root.textsIn("y-axis")
			if labels[0] != tt.wantBot || labels[len(labels)-1] != tt.wantTop {
				t.Errorf("y labels = %q, want %s..%s", labels, tt.wantBot, tt.wantTop)
			}
			targets := root.find(func(e *elem) bool { return e.attr("class") == "target" && e.Name.Local == "line" })
			if len(targets) != 1 || targets[0].attr("stroke-dasharray") == "" {
				t.Fatalf("want one dashed target line, got %d", len(targets))
			}
			label := root.find(func(e *elem) bool { return e.attr("class") == "target-label" })
			if len(label) != 1 || !strings.HasPrefix(label[0].text, "Mål:") {
				t.Errorf("target not labelled in text")
			}
			if tt.target.Year != 0 {
				years := root.textsIn("x-axis")
				if years[len(years)-1] != strconv.Itoa(tt.target.Year) {
					t.Errorf("x-axis %q does not reach the target year %d", years, tt.target.Year)
				}
			}
		})
	}
}

func TestLineNoValues(t *testing.T) {
	tests := []struct {
		name   string
		chart  Chart
		legend string
	}{
		{"no series", Chart{Title: "t"}, ""},
		{"all missing", Chart{Title: "t", Series: []Series{series("Totalt", 2020, nan, nan)}}, "Totalt (inga värden)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := parse(t, string(Line(tt.chart)))
			if !strings.Contains(root.allText(), "Inga värden") {
				t.Error(`chart does not say "Inga värden"`)
			}
			if got := root.textsIn("y-axis"); len(got) != 0 {
				t.Errorf("y labels %q drawn without values", got)
			}
			if tt.legend != "" && !strings.Contains(root.allText(), tt.legend) {
				t.Errorf("legend lacks %q", tt.legend)
			}
		})
	}
}

func TestLineXLabels(t *testing.T) {
	tests := []struct {
		name  string
		from  int
		years int
		want  string
	}{
		{"twelve years all labelled", 2013, 12, "2013 2014 2015 2016 2017 2018 2019 2020 2021 2022 2023 2024"},
		{"twenty-five years every fifth", 2000, 25, "2000 2005 2010 2015 2020"},
		{"one year", 2024, 1, "2024"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vals := make([]float64, tt.years)
			for i := range vals {
				vals[i] = float64(i + 1)
			}
			root := parse(t, string(Line(Chart{Title: "t", Series: []Series{series("T", tt.from, vals...)}})))
			if got := strings.Join(root.textsIn("x-axis"), " "); got != tt.want {
				t.Errorf("x labels = %q, want %q", got, tt.want)
			}
		})
	}
}

// Series must differ in more than colour (WCAG 1.4.1), and every colour must
// reach 3:1 against the white background (WCAG 1.4.11).
func TestStylesDistinguishable(t *testing.T) {
	seen := map[string]bool{}
	for i, s := range styles {
		for kind, key := range map[string]string{"colour": s.color, "dash": fmt.Sprint("d", s.dash), "marker": fmt.Sprint("m", s.marker)} {
			if seen[key] {
				t.Errorf("style %d repeats %s %q", i, kind, key)
			}
			seen[key] = true
		}
		if r := contrast(s.color, "#ffffff"); r < 3 {
			t.Errorf("style %d colour %s has contrast %.2f:1 against white, want ≥ 3", i, s.color, r)
		}
	}
	for _, c := range []string{textColor, axisColor, targetColor} {
		if r := contrast(c, "#ffffff"); r < 4.5 {
			t.Errorf("text/axis colour %s has contrast %.2f:1, want ≥ 4.5", c, r)
		}
	}
}

func TestLineSeriesStylesInOutput(t *testing.T) {
	c := Chart{Title: "t", Series: []Series{
		series("Totalt", 2020, 1, 2), series("Kvinnor", 2020, 2, 3), series("Män", 2020, 3, 4),
	}}
	root := parse(t, string(Line(c)))
	paths := root.find(func(e *elem) bool { return e.attr("class") == "line" })
	if len(paths) != 3 {
		t.Fatalf("%d lines, want 3", len(paths))
	}
	dashes := map[string]bool{}
	for _, p := range paths {
		dashes[p.attr("stroke-dasharray")] = true
	}
	if len(dashes) != 3 {
		t.Errorf("dash patterns not distinct: %v", dashes)
	}
	for _, shape := range []string{"circle", "rect", "polygon"} {
		if len(root.find(func(e *elem) bool { return e.Name.Local == shape && e.parentClass == "series" })) == 0 {
			t.Errorf("no %s markers", shape)
		}
	}
	legend := root.textsIn("legend")
	if strings.Join(legend, "|") != "Totalt|Kvinnor|Män" {
		t.Errorf("legend = %q", legend)
	}
}

func TestDefaultDescription(t *testing.T) {
	c := Chart{
		Title: "t", Unit: "%",
		Series: []Series{
			series("Totalt", 2015, 12.5, nan, 14),
			series("Kvinnor", 2015, nan, nan, nan),
		},
		Targets: []TargetLine{{Label: "Mål: minst 20 %", Value: 20}},
	}
	root := parse(t, string(Line(c)))
	want := "Linjediagram för 2015–2017. Totalt: 12,5\u00a0% år 2015, 14\u00a0% år 2017. Kvinnor: inga värden. Mål: minst 20 %."
	if got := root.child("desc").text; got != want {
		t.Errorf("desc = %q, want %q", got, want)
	}
}

// elem is a small DOM so tests can ask about structure rather than bytes.
type elem struct {
	xml.StartElement
	parentClass string
	text        string // direct character data
	children    []*elem
}

func (e *elem) attr(name string) string {
	for _, a := range e.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func (e *elem) child(name string) *elem {
	for _, c := range e.children {
		if c.Name.Local == name {
			return c
		}
	}
	return nil
}

func (e *elem) find(match func(*elem) bool) []*elem {
	var out []*elem
	for _, c := range e.children {
		if match(c) {
			out = append(out, c)
		}
		out = append(out, c.find(match)...)
	}
	return out
}

// textsIn returns the <text> contents inside the group with the given class.
func (e *elem) textsIn(class string) []string {
	var out []string
	for _, t := range e.find(func(x *elem) bool { return x.Name.Local == "text" && x.parentClass == class }) {
		out = append(out, t.text)
	}
	return out
}

func (e *elem) allText() string {
	var b strings.Builder
	b.WriteString(e.text)
	for _, c := range e.children {
		b.WriteString("\n")
		b.WriteString(c.allText())
	}
	return b.String()
}

// parse walks the whole document with encoding/xml, failing the test on any
// syntax error, and returns the root element.
func parse(t *testing.T, s string) *elem {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(s))
	var stack []*elem
	var root *elem
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("output is not well-formed XML: %v\n%s", err, s)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			e := &elem{StartElement: tok.Copy()}
			if n := len(stack); n > 0 {
				parent := stack[n-1]
				e.parentClass = parent.attr("class")
				parent.children = append(parent.children, e)
			} else if root == nil {
				root = e
			} else {
				t.Fatal("more than one root element")
			}
			stack = append(stack, e)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if n := len(stack); n > 0 {
				stack[n-1].text += string(tok)
			}
		}
	}
	if root == nil {
		t.Fatal("no root element")
	}
	return root
}

// contrast is the WCAG 2.1 contrast ratio of two #rrggbb colours.
func contrast(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
}

func luminance(hex string) float64 {
	var sum float64
	for i, w := range []float64{0.2126, 0.7152, 0.0722} {
		n, _ := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
		c := float64(n) / 255
		if c <= 0.04045 {
			c /= 12.92
		} else {
			c = math.Pow((c+0.055)/1.055, 2.4)
		}
		sum += w * c
	}
	return sum
}

// Line returns template.HTML so html/template inserts it as markup, not as
// escaped text; the escaping is ours.
func TestLineInHTMLTemplate(t *testing.T) {
	tmpl := template.Must(template.New("page").Parse(`<figure>{{.}}</figure>`))
	chart := Line(Chart{ID: "c", Title: "Å & <b>", Series: []Series{series("T", 2020, 1, 2)}})
	var b strings.Builder
	if err := tmpl.Execute(&b, chart); err != nil {
		t.Fatal(err)
	}
	if want := "<figure>" + string(chart) + "</figure>"; b.String() != want {
		t.Errorf("template changed the markup:\n%s", b.String())
	}
}
