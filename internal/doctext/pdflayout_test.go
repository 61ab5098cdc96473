package doctext

import (
	"fmt"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"github.com/inkludera/inkludera/internal/doctext/pdf/pdftest"
)

// line is one line of text for a hand-built page: font F1 (regular) or F2
// (bold), size, position.
type line struct {
	font       string
	size, x, y float64
	text       string
}

func pageContent(lines []line) string {
	var b strings.Builder
	for _, l := range lines {
		text := strings.NewReplacer(`\`, `\\`, "(", `\(`, ")", `\)`).Replace(l.text)
		fmt.Fprintf(&b, "BT /%s %g Tf %g %g Td (%s) Tj ET\n", l.font, l.size, l.x, l.y, text)
	}
	return b.String()
}

// builtPDF makes a PDF of A4 pages from lines, in Helvetica with every
// glyph 0.5 em wide and WinAnsi encoding.
func builtPDF(pages [][]line, trailerInfo string) []byte {
	widths := "/FirstChar 32 /LastChar 255 /Widths [" + strings.Repeat("500 ", 224) + "]"
	fonts := []string{
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding " + widths + " >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding " + widths + " >>",
	}
	var ps []pdftest.Page
	for _, lines := range pages {
		ps = append(ps, pdftest.Page{Content: winAnsi(pageContent(lines))})
	}
	first := pdftest.FirstExtra(len(pages))
	data := pdftest.Document(ps, fmt.Sprintf("/Font << /F1 %d 0 R /F2 %d 0 R >>", first, first+1), fonts)
	if trailerInfo != "" {
		data = []byte(strings.Replace(string(data), "/Root 1 0 R", "/Root 1 0 R /Info << "+trailerInfo+" >>", 1))
	}
	return data
}

// winAnsi encodes the test strings as the fonts' WinAnsiEncoding.
func winAnsi(s string) string {
	out, err := charmap.Windows1252.NewEncoder().String(s)
	if err != nil {
		panic(err)
	}
	return out
}

// bodyLines sets text as body lines (10 pt, 14 pt apart) from y down.
func bodyLines(x, y float64, texts ...string) []line {
	var out []line
	for i, t := range texts {
		out = append(out, line{"F1", 10, x, y - float64(i)*14, t})
	}
	return out
}

func concat(parts ...[]line) []line {
	var out []line
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func TestPDFLayout(t *testing.T) {
	footer := func(n int) []line {
		return []line{{"F1", 8, 72, 30, fmt.Sprintf("Tallmyra kommun  Sida %d av 3", n)}, {"F1", 8, 72, 812, "Integrationsstrategi 2017"}}
	}
	cases := []struct {
		name  string
		pages [][]line
		want  string
	}{
		{"paragraphs by vertical gaps, headings by size",
			[][]line{concat(
				[]line{{"F1", 16, 72, 760, "Mål och inriktning"}},
				bodyLines(72, 730, "Första stycket börjar här och", "fortsätter på nästa rad."),
				bodyLines(72, 680, "Andra stycket."),
				[]line{{"F1", 13, 72, 640, "Delmål"}},
				bodyLines(72, 615, "Tredje."),
			)},
			"H1 Mål och inriktning | P Första stycket börjar här och fortsätter på nästa rad. | P Andra stycket. | H2 Delmål | P Tredje."},
		{"bold body-size line is a heading below the sized ones",
			[][]line{concat(
				[]line{{"F1", 16, 72, 760, "Strategi"}},
				[]line{{"F2", 10, 72, 730, "Långsiktigt mål 1: Fler i arbete"}},
				bodyLines(72, 716, "Kommunen ska erbjuda praktik."),
				[]line{{"F2", 10, 72, 690, "Obs, detta är en fet mening."}},
			)},
			"H1 Strategi | H2 Långsiktigt mål 1: Fler i arbete | P Kommunen ska erbjuda praktik. | P Obs, detta är en fet mening."},
		{"running heads, footers and page numbers dropped; paragraph continues across pages",
			[][]line{
				concat(footer(1), bodyLines(72, 760, "Strategin gäller för alla nämnder och")),
				concat(footer(2), bodyLines(72, 760, "bolag i kommunen, som alla ska", "följa den."), bodyLines(72, 718, "Nästa stycke slutar här."), []line{{"F1", 10, 290, 50, "2"}}),
				concat(footer(3), bodyLines(72, 760, "Sista sidan.")),
			},
			"P Strategin gäller för alla nämnder och bolag i kommunen, som alla ska följa den. | P Nästa stycke slutar här. | P Sista sidan."},
		{"a year alone at the top of a page is not a page number",
			[][]line{concat([]line{{"F1", 20, 72, 800, "2020"}}, bodyLines(72, 760, "Årsredovisning."))},
			"H1 2020 | P Årsredovisning."},
		{"bullets with hanging indent",
			[][]line{concat(
				bodyLines(72, 760, "Kvantitativa mål:"),
				[]line{{"F1", 10, 80, 746, "•"}, {"F1", 10, 95, 746, "Minst 10 % av de nyanlända"}},
				bodyLines(95, 732, "bor kvar år 2020."),
				[]line{{"F1", 10, 80, 718, "-"}, {"F1", 10, 95, 718, "Högst 5 %."}},
				bodyLines(72, 704, "Därefter följer text."),
			)},
			"P Kvantitativa mål: | L1 Minst 10 % av de nyanlända bor kvar år 2020. | L1 Högst 5 %. | P Därefter följer text."},
		{"short line ending a sentence ends the paragraph; indented first lines start one",
			[][]line{concat(
				bodyLines(72, 760, "Detta är en lång rad som fyller hela bredden av sidan ut", "till kanten och slutar."),
				bodyLines(72, 732, "Nytt stycke utan mellanrum som också fyller hela raden", "och slutar här med punkt och fyller ut raden helt ända."),
				bodyLines(90, 704, "Indraget stycke börjar."),
			)},
			"P Detta är en lång rad som fyller hela bredden av sidan ut till kanten och slutar. | P Nytt stycke utan mellanrum som också fyller hela raden och slutar här med punkt och fyller ut raden helt ända. | P Indraget stycke börjar."},
		{"hyphenated words joined, compounds kept",
			[][]line{bodyLines(72, 760, "Arbetsmark-", "naden och kultur-", "och fritidsnämnden.")},
			"P Arbetsmarknaden och kultur- och fritidsnämnden."},
		{"words split by position, not by spaces",
			[][]line{{{"F1", 10, 72, 760, "Minst"}, {"F1", 10, 102, 760, "10"}, {"F1", 10, 115, 760, "%"}, {"F1", 10, 120, 760, "."}}},
			"P Minst 10 %."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tx, err := Extract("test.pdf", builtPDF(c.pages, ""))
			if err != nil {
				t.Fatal(err)
			}
			if got := blocksString(tx.Blocks); got != c.want {
				t.Errorf("got  %s\nwant %s", got, c.want)
			}
		})
	}
}

func TestPDFLayoutOddities(t *testing.T) {
	t.Run("fake bold drawn twice counts once", func(t *testing.T) {
		content := "BT /F1 10 Tf 72 760 Td (Fet) Tj ET BT /F1 10 Tf 72.3 760 Td (Fet) Tj ET BT /F1 10 Tf 72 740 Td (ll) Tj ET"
		tx := extractContent(t, content)
		if got := blocksString(tx.Blocks); got != "P Fet ll" {
			t.Errorf("got %s", got)
		}
	})
	t.Run("rotated text left out", func(t *testing.T) {
		content := "BT /F1 10 Tf 72 760 Td (Rak) Tj ET BT /F1 10 Tf 0 1 -1 0 30 400 Tm (Lodrät marginaltext) Tj ET"
		tx := extractContent(t, content)
		if got := blocksString(tx.Blocks); got != "P Rak" {
			t.Errorf("got %s", got)
		}
	})
	t.Run("page block numbers", func(t *testing.T) {
		tx, err := Extract("t.pdf", builtPDF([][]line{bodyLines(72, 760, "Ett."), bodyLines(72, 760, "Två.")}, ""))
		if err != nil {
			t.Fatal(err)
		}
		if len(tx.Blocks) != 2 || tx.Blocks[0].Page != 1 || tx.Blocks[1].Page != 2 || tx.Pages != 2 {
			t.Errorf("blocks %+v pages %d", tx.Blocks, tx.Pages)
		}
	})
}

func extractContent(t *testing.T, content string) Text {
	t.Helper()
	font := "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding /FirstChar 32 /LastChar 255 /Widths [" + strings.Repeat("500 ", 224) + "] >>"
	data := pdftest.Document([]pdftest.Page{{Content: winAnsi(content)}}, "/Font << /F1 5 0 R >>", []string{font})
	tx, err := Extract("t.pdf", data)
	if err != nil {
		t.Fatal(err)
	}
	return tx
}

func TestPDFTitle(t *testing.T) {
	cases := []struct {
		name, info, want string
	}{
		{"Info title", "/Title (Strategi f\xf6r Tallmyra)", "Strategi för Tallmyra"},
		{"Word's printer prefix and extension dropped", "/Title (Microsoft Word - strategi 2020.docx)", "strategi 2020"},
		{"garbage title ignored", "/Title <8fe3a7c1d0b2f5e9aa>", ""},
		{"none", "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tx, err := Extract("t.pdf", builtPDF([][]line{bodyLines(72, 760, "Text.")}, c.info))
			if err != nil {
				t.Fatal(err)
			}
			if tx.Title != c.want {
				t.Errorf("title %q, want %q", tx.Title, c.want)
			}
		})
	}
}
