package doctext

import (
	"fmt"
	"strings"
	"testing"
)

// blocksString prints blocks compactly for comparisons: "H2 Mål | P text | L1 item".
func blocksString(blocks []Block) string {
	var parts []string
	for _, b := range blocks {
		switch b.Kind {
		case Heading:
			parts = append(parts, fmt.Sprintf("H%d %s", b.Level, b.Text))
		case ListItem:
			parts = append(parts, fmt.Sprintf("L%d %s", b.Level, b.Text))
		default:
			parts = append(parts, "P "+b.Text)
		}
	}
	return strings.Join(parts, " | ")
}

func TestPlainText(t *testing.T) {
	cases := []struct {
		name string
		data string
		want string
	}{
		{"paragraphs at blank lines, lines joined", "Första raden\nfortsätter här.\n\nAndra stycket.", "P Första raden fortsätter här. | P Andra stycket."},
		{"first short line is a level-1 heading", "Integrationsstrategi\n\nText.", "H1 Integrationsstrategi | P Text."},
		{"later short lines are level-2 headings", "Text.\n\nInledning\n\nMer text.", "P Text. | H2 Inledning | P Mer text."},
		{"capitals make level 1", "Text.\n\nMÅL OCH INRIKTNING\n\nMer.", "P Text. | H1 MÅL OCH INRIKTNING | P Mer."},
		{"numbered headings by depth", "Text.\n\n2.1 Delmål\n\nMer.", "P Text. | H3 2.1 Delmål | P Mer."},
		{"punctuation keeps a paragraph", "Text.\n\nKvantitativa mål:\n\n- Minst 10 %", "P Text. | P Kvantitativa mål: | L1 Minst 10 %"},
		{"last paragraph is never a heading", "Text.\n\nSlut", "P Text. | P Slut"},
		{"bullets start list items, continuation lines join", "Mål:\n- Minst 10 % av\n  de nyanlända\n• Högst 5 %\n* Fler", "P Mål: | L1 Minst 10 % av de nyanlända | L1 Högst 5 % | L1 Fler"},
		{"numbered lists need two numbered lines", "1. Ett\n2. Två", "L1 Ett | L1 Två"},
		{"one numbered line is text", "Rad ett\n3. kapitlet beskriver", "P Rad ett 3. kapitlet beskriver"},
		{"tab-separated rows are separate paragraphs", "Mål\tNämnd\n1\tKommunstyrelsen", "P Mål Nämnd | P 1 Kommunstyrelsen"},
		{"CRLF and form feeds", "Ett.\r\nTvå.\r\n\fTre.", "P Ett. Två. | P Tre."},
		{"hyphenated line break joined", "arbetsmark-\nnaden växer.", "P arbetsmarknaden växer."},
		{"hyphen before och stays", "Kultur-\noch fritidsnämnden.", "P Kultur- och fritidsnämnden."},
		{"hyphen after capitals stays, no space", "EU-\nmedel söks.", "P EU-medel söks."},
		{"UTF-16LE with byte order mark", "\xff\xfeH\x00\xe5\x00j\x00", "P Håj"},
		{"UTF-16BE with byte order mark", "\xfe\xff\x00H\x00\xe5\x00j", "P Håj"},
		{"UTF-8 with byte order mark", "\xef\xbb\xbfÅr 2020.", "P År 2020."},
		{"Windows-1252", "\xc5r 2020 \x96 minst 10 %.", "P År 2020 – minst 10 %."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tx, err := Extract("test.txt", []byte(c.data))
			if err != nil {
				t.Fatal(err)
			}
			if got := blocksString(tx.Blocks); got != c.want {
				t.Errorf("got  %s\nwant %s", got, c.want)
			}
		})
	}
}

func TestMarkdown(t *testing.T) {
	cases := []struct {
		name      string
		data      string
		want      string
		wantTitle string
	}{
		{"ATX headings with closing hashes", "# Titel #\n\n## Del ##\ntext", "H1 Titel | H2 Del | P text", "Titel"},
		{"setext headings", "Titel\n=====\n\nDel\n---\n\ntext", "H1 Titel | H2 Del | P text", "Titel"},
		{"first level-1 heading is the title", "## Del\n\n# Titel\n\n# Annan", "H2 Del | H1 Titel | H1 Annan", "Titel"},
		{"front matter title wins", "---\ntitle: \"Strategi 2030\"\nauthor: x\n---\n# Rubrik\n", "H1 Rubrik", "Strategi 2030"},
		{"thematic break is not a heading without text above", "text\n\n---\n\nmer", "P text | P mer", ""},
		{"nested lists", "- ett\n  - ett a\n    fortsätter\n- två\n\n1. första\n2) andra", "L1 ett | L2 ett a fortsätter | L1 två | L1 första | L1 andra", ""},
		{"a number inside a paragraph is not a list", "Målet gäller till år\n2020. Därefter revideras det.", "P Målet gäller till år 2020. Därefter revideras det.", ""},
		{"block quote", "> Citat\n> fortsätter", "P Citat fortsätter", ""},
		{"fenced code", "```yaml\nmål: 1\n```", "P mål: 1", ""},
		{"pipe table cells", "| A | B |\n|---|:-:|\n| 1 | x \\| y |", "P A | P B | P 1 | P x | y", ""},
		{"link reference definitions are dropped", "Se [SCB][1].\n\n[1]: https://www.scb.se", "P Se SCB.", ""},
		{"HTML comment line", "<!-- utkast -->\ntext", "P text", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tx, err := Extract("test.md", []byte(c.data))
			if err != nil {
				t.Fatal(err)
			}
			if got := blocksString(tx.Blocks); got != c.want {
				t.Errorf("got  %s\nwant %s", got, c.want)
			}
			if tx.Title != c.wantTitle {
				t.Errorf("title %q, want %q", tx.Title, c.wantTitle)
			}
		})
	}
}

func TestStripInline(t *testing.T) {
	cases := []struct{ in, want string }{
		{"**fet** och *kursiv* och __fet__ och _kursiv_", "fet och kursiv och fet och kursiv"},
		{"fet**stil**", "fetstil"},
		{"snake_case_name stays", "snake_case_name stays"},
		{"5 * 3 = 15", "5 * 3 = 15"},
		{"~~struken~~ text", "struken text"},
		{"`kod *inte* fet` här", "kod *inte* fet här"},
		{"``a ` b``", "a ` b"},
		{`\*inte kursiv\*`, "*inte kursiv*"},
		{"[Kolada](https://kolada.se \"titel\") och ![karta](k.png)", "Kolada och karta"},
		{"[länk [inre]](url(med)parentes)", "länk [inre]"},
		{"[ref][1] och [kort][]", "ref och kort"},
		{"<https://www.scb.se> och <info@kommun.se>", "https://www.scb.se och info@kommun.se"},
		{"rad<br>ny och <span class=\"x\">text</span>", "radny och text"},
		{"a &lt; b &amp; c&nbsp;d", "a < b & c\u00a0d"},
		{"[oavslutad länk", "[oavslutad länk"},
		{"10 % *", "10 % *"},
	}
	for _, c := range cases {
		if got := stripInline(c.in); got != c.want {
			t.Errorf("stripInline(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestCleanText(t *testing.T) {
	cases := []struct{ in, want string }{
		{"  flera   mellanslag\toch\nrader ", "flera mellanslag och rader"},
		{"o\u0308ppen", "öppen"},
		{"förvärvs\u00adarbetar", "förvärvsarbetar"},
		{"noll\u200bbredd\ufeff", "nollbredd"},
		{"10\u00a0%", "10 %"},
		{"\ufb01nns \ufb02era", "finns flera"},
		{"kontroll\x07tecken", "kontrolltecken"},
	}
	for _, c := range cases {
		if got := cleanText(c.in); got != c.want {
			t.Errorf("cleanText(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
