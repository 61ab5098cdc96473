package reportpdf

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/inkludera/inkludera/internal/progress"
	"github.com/inkludera/inkludera/internal/report"
)

func writeTemp(t testing.TB, pdf []byte) ([]byte, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "prov.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	return pdf, path
}

func testLayout(t testing.TB) layout {
	t.Helper()
	m, err := loadMetrics()
	if err != nil {
		t.Fatal(err)
	}
	return layout{m}
}

// words are the lines' texts, one string a line.
func words(lines []line) []string {
	var out []string
	for _, ln := range lines {
		var b strings.Builder
		for _, tok := range ln.tokens {
			if tok.spaced {
				b.WriteByte(' ')
			}
			b.WriteString(tok.text)
		}
		out = append(out, b.String())
	}
	return out
}

func TestLines(t *testing.T) {
	l := testLayout(t)
	achieved := report.Status{Code: progress.Achieved, Label: "uppnått"}
	tests := []struct {
		name  string
		spans []span
		width float64
		want  []string
	}{
		{"fits", []span{plain("Andelen ökade.")}, 100, []string{"Andelen ökade."}},
		{"wraps at spaces", []span{plain("Andelen utrikes födda ökade från 6,6\u00a0% till 10,5\u00a0%")}, 45,
			[]string{"Andelen utrikes födda", "ökade från 6,6\u00a0% till", "10,5\u00a0%"}},
		{"never at a no-break space", []span{plain("Antal: 13\u00a0112 personer")}, 22,
			[]string{"Antal:", "13\u00a0112", "personer"}},
		{"a line break", []span{plain("Aktivitet"), styled("\nBeskrivning", muted)}, 100,
			[]string{"Aktivitet", "Beskrivning"}},
		{"a badge keeps its full stop", []span{plain("Sammantaget: "), badge(achieved, body), plain(".")}, 38,
			[]string{"Sammantaget:", "✓\u00a0Uppnått."}},
		{"a badge parts at its symbol first", []span{badge(achieved, body)}, 19,
			[]string{"✓", "Uppnått"}},
		{"nothing", []span{plain("  ")}, 50, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines := l.lines(tt.spans, tt.width, proseSpacing)
			if got := words(lines); !slices.Equal(got, tt.want) {
				t.Errorf("lines = %q, want %q", got, tt.want)
			}
			for i, ln := range lines {
				if ln.width > tt.width+1e-9 && len(ln.tokens) > 1 {
					t.Errorf("line %d is %.1f mm, wider than %.1f", i, ln.width, tt.width)
				}
				if ln.height <= 0 {
					t.Errorf("line %d has height %v", i, ln.height)
				}
			}
		})
	}
}

func TestLinesHyphenateWhatCannotFit(t *testing.T) {
	l := testLayout(t)
	for _, width := range []float64{8, 15, 25} {
		lines := words(l.lines([]span{plain("Arbetsmarknadsenheten")}, width, proseSpacing))
		if len(lines) < 2 {
			t.Errorf("width %v: %q, want the word broken", width, lines)
			continue
		}
		for i, ln := range lines {
			if w := l.m.width(ln, body); w > width {
				t.Errorf("width %v: line %q is %.1f mm", width, ln, w)
			}
			if i < len(lines)-1 && !strings.HasSuffix(ln, "-") {
				t.Errorf("width %v: line %q ends without a hyphen", width, ln)
			}
		}
		if joined := strings.ReplaceAll(strings.Join(lines, ""), "-", ""); joined != "Arbetsmarknadsenheten" {
			t.Errorf("width %v: the pieces make %q", width, joined)
		}
	}
}

func TestLinesBadgePadding(t *testing.T) {
	l := testLayout(t)
	s := report.Status{Code: progress.OnTrack, Label: "på väg"}
	lines := l.lines([]span{badge(s, body)}, 100, proseSpacing)
	if len(lines) != 1 || len(lines[0].tokens) != 2 {
		t.Fatalf("lines = %q, want one line of two words", words(lines))
	}
	first, last := lines[0].tokens[0], lines[0].tokens[1]
	if first.padLeft != badgePad || first.padRight != 0 || last.padRight != badgePad || first.badge == nil || first.badge != last.badge {
		t.Errorf("badge tokens %+v and %+v: want one badge, padded at its ends", first.token, last.token)
	}
	if !first.style.bold || first.style.colour != coloursOf(s).text {
		t.Errorf("badge style %+v, want bold in the status's colour", first.style)
	}
}

func TestShareWidth(t *testing.T) {
	tests := []struct {
		name                string
		least, words, whole []float64
		width               float64
		want                []float64
	}{
		{"all fit and widen", []float64{10, 10}, []float64{10, 10}, []float64{20, 40}, 120, []float64{40, 80}},
		{"the long column takes the rest", []float64{10, 10}, []float64{10, 10}, []float64{20, 200}, 100, []float64{20, 80}},
		{"capped words come before long text", []float64{30, 20}, []float64{30, 40}, []float64{300, 40}, 70, []float64{30, 40}},
		{"too narrow for the words: squeezed", []float64{60, 60}, []float64{60, 60}, []float64{60, 60}, 60, []float64{30, 30}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := shareWidth(tt.width, tt.least, tt.words, tt.whole)
			sum := 0.0
			for i := range got {
				sum += got[i]
				if d := got[i] - tt.want[i]; d > 1e-9 || d < -1e-9 {
					t.Errorf("widths = %v, want %v", got, tt.want)
				}
			}
			if d := sum - tt.width; d > 1e-9 || d < -1e-9 {
				t.Errorf("widths add up to %v, want %v", sum, tt.width)
			}
		})
	}
}

func TestKeepCounts(t *testing.T) {
	got := keepCounts("11 mål: 1 uppnått, 2 försämring")
	if want := "11\u00a0mål: 1\u00a0uppnått, 2\u00a0försämring"; got != want {
		t.Errorf("keepCounts = %q, want %q", got, want)
	}
}

func TestHeadingNeverAloneAtFoot(t *testing.T) {
	paragraph := plain(strings.Repeat("Andelen utrikes födda ökade från 6,6 % till 10,5 %. ", 8))
	tests := []struct {
		name string
		room float64 // left on the page
		page int     // the heading's
	}{
		{"room for the heading and two lines", 60, 1},
		{"room for the heading alone", 14, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := testRenderer(t, nil)
			r.newPage()
			r.y = bodyBottom - tt.room
			r.heading(3, "rubrik", "", "Rubriken")
			r.paragraph(paraGap, paragraph)
			if got := r.found.pages["rubrik"]; got != tt.page {
				t.Errorf("heading on page %d, want %d", got, tt.page)
			}
			if r.pdf.PageNo() < tt.page {
				t.Errorf("the paragraph ends on page %d, before its heading's", r.pdf.PageNo())
			}
		})
	}
}

func TestParagraphLeavesNoLineAlone(t *testing.T) {
	r := testRenderer(t, nil)
	lines := r.text.lines([]span{plain(strings.Repeat("Andelen utrikes födda ökade från 6,6 % till 10,5 %. ", 10))}, textWidth, proseSpacing)
	if len(lines) < 6 {
		t.Fatalf("%d lines; the test needs six", len(lines))
	}
	lh := lines[0].height
	// room for all lines but the last: two must go over together
	r.newPage()
	r.y = bodyBottom - lh*float64(len(lines)-1) - 0.01
	r.flow(lines, marginLeft, textWidth, 0, "")
	if r.pdf.PageNo() != 2 || r.y-marginTop < 2*lh-1e-6 || r.y-marginTop > 2*lh+1e-6 {
		t.Errorf("page %d, %.1f mm down: want the last two lines on page 2", r.pdf.PageNo(), r.y-marginTop)
	}
}
