package htmlcheck

import (
	"strings"
	"testing"
)

// goodSite is a site page that satisfies every rule of SitePage.
const goodSite = `<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>T</title></head><body>
<a href="#innehall">Hoppa</a><header><nav aria-label="Huvudmeny"><a href="/">Start</a></nav></header>
<main id="innehall"><h1>R</h1><h2>A</h2><h3>B</h3><h2>C</h2>
<table><caption>C</caption><tr><th scope="col">x</th></tr><tr><td>1&nbsp;000</td></tr></table>
<svg role="img" aria-labelledby="t"><title id="t">Diagram</title></svg>
<img src="x.png" alt=""><br></main><footer>F</footer></body></html>`

// doc returns a report document, with body inside its <main>, that
// satisfies every rule of Document when body does.
func doc(body string) string {
	return `<!DOCTYPE html><html lang="sv"><head><title>T</title></head><body><h1>R</h1><main>` + body + `</main></body></html>`
}

// TestProblems shows that the good pages pass, that every rule fires
// where it should, and that the optional rules stay quiet when off.
func TestProblems(t *testing.T) {
	// site returns goodSite with from replaced by to.
	site := func(from, to string) string {
		t.Helper()
		if !strings.Contains(goodSite, from) {
			t.Fatalf("replacement %q not in the good site page", from)
		}
		return strings.Replace(goodSite, from, to, 1)
	}
	const menu = `<nav aria-label="Huvudmeny"><a href="/">Start</a></nav>`
	const docSVG = `<svg role="img" aria-labelledby="s d"><title id="s">t</title><desc id="d">d</desc></svg>`
	tests := []struct {
		name string
		o    Options
		page string
		want string // "" for no problems at all
	}{
		// Good pages.
		{"good site page", SitePage, goodSite, ""},
		{"good document", Document, doc(`<h2 id="x">x</h2><a href="#x">x</a>` + docSVG), ""},

		// Rules for every page, on site pages.
		{"lang", SitePage, site(`lang="sv"`, `lang="en"`), "lang"},
		{"no title", SitePage, site(`<title>T</title>`, ``), "missing <title>"},
		{"empty title", SitePage, site(`<title>T</title>`, `<title> </title>`), "empty or missing <title>"},
		{"title outside head", SitePage, site(`<title>T</title>`, ``) + `<title>T</title>`, "missing <title>"},
		{"no h1", SitePage, site(`<h1>R</h1>`, ``), "0 h1 elements"},
		{"two h1", SitePage, site(`<h2>C</h2>`, `<h1>C</h1>`), "2 h1"},
		{"first heading not h1", SitePage, site(`<h1>R</h1>`, `<h2>Q</h2><h1>R</h1>`), "first heading is h2"},
		{"jump", SitePage, site(`<h3>B</h3>`, `<h4>B</h4>`), "jumps"},
		{"no main", SitePage, strings.ReplaceAll(goodSite, "main", "div"), "0 <main> elements"},
		{"two mains", SitePage, site(`<footer>F</footer>`, `<main>M</main><footer>F</footer>`), "2 <main> elements"},
		{"no caption", SitePage, site(`<caption>C</caption>`, ``), "without <caption>"},
		{"no th", SitePage, site(`<th scope="col">x</th>`, `<td>x</td>`), "without <th>"},
		{"th without scope", SitePage, site(`<th scope="col">`, `<th>`), "scope"},
		{"th with bad scope", SitePage, site(`scope="col"`, `scope="column"`), `without scope col, row, colgroup or rowgroup (got "column")`},
		{"img without alt", SitePage, site(` alt=""`, ``), "without alt"},
		{"svg without role", SitePage, site(`role="img" `, ``), `without role="img"`},
		{"svg without name", SitePage, site(` aria-labelledby="t"><title id="t">Diagram</title>`, `>`), "text alternative"},
		{"duplicate id", SitePage, site(`<h1>R</h1>`, `<h1 id="t">R</h1>`), "used 2 times"},
		{"dangling labelledby", SitePage, site(`aria-labelledby="t"`, `aria-labelledby="x"`), "missing id"},
		{"parse error", SitePage, site(`</body>`, `<!-- not closed`), "parse error"},

		// Rules only for site pages.
		{"no header", SitePage, site("<header>"+menu+"</header>", menu), "no <header> landmark"},
		{"header inside main only", SitePage, strings.Replace(site("<header>"+menu+"</header>", menu), `<h1>R</h1>`, `<header><h1>R</h1></header>`, 1), "no <header> landmark"},
		{"no nav", SitePage, site(menu, `<a href="/">Start</a>`), "no <nav> landmark"},
		{"no footer", SitePage, site(`<footer>F</footer>`, ``), "<footer>"},
		{"unnamed nav among several", SitePage, site(`</header>`, `<nav><a href="/b">B</a></nav></header>`), "1 navigation landmarks without aria-label"},
		{"no skip link", SitePage, site(`<a href="#innehall">Hoppa</a>`, ``), "skip link"},
		{"skip link to nothing", SitePage, site(`<main id="innehall">`, `<main>`), "skip link"},
		{"empty link", SitePage, site(`<a href="/">Start</a>`, `<a href="/"></a>`), "no text"},
		{"link named by aria-label", SitePage, site(`<a href="/">Start</a>`, `<a href="/" aria-label="Start"><img src="s.png" alt=""></a>`), ""},
		{"svg named by aria-label", SitePage, site(`aria-labelledby="t"><title id="t">Diagram</title>`, `aria-label="Diagram">`), ""},
		{"svg hidden", SitePage, site(`aria-labelledby="t"><title id="t">Diagram</title>`, `aria-hidden="true">`), ""},
		{"site pages skip in-page links", SitePage, site(`<a href="/">`, `<a href="#nowhere">`), ""},

		// The report document's own checks.
		{"doc heading jump", Document, doc(`<h3>x</h3>`), "heading jumps from h1 to h3"},
		{"doc second h1", Document, doc(`<h1>x</h1>`), "2 h1 elements"},
		{"doc no main", Document, strings.Replace(doc(""), "main>", "div>", 2), "0 <main> elements, want 1"},
		{"doc table without caption", Document, doc(`<table><tr><th scope="col">a</th></tr></table>`), "without <caption>"},
		{"doc th without scope", Document, doc(`<table><caption>c</caption><tr><th>a</th></tr></table>`), "without scope"},
		{"doc svg without desc", Document, doc(`<svg role="img" aria-labelledby="s"><title id="s">t</title></svg>`), "<svg> without"},
		{"doc svg without title", Document, doc(`<svg role="img" aria-labelledby="d"><desc id="d">d</desc></svg>`), "<svg> without <title>, <desc> and aria-labelledby"},
		{"doc svg with aria-label only", Document, doc(`<svg role="img" aria-label="x"><title>t</title><desc>d</desc></svg>`), "<svg> without <title>, <desc> and aria-labelledby"},
		{"doc svg without role", Document, doc(strings.Replace(docSVG, `role="img" `, ``, 1)), `without role="img"`},
		{"doc broken link", Document, doc(`<a href="#nowhere">x</a>`), "link to #nowhere"},
		{"doc duplicate id", Document, doc(`<p id="a">1</p><p id="a">2</p>`), `id "a" used 2 times`},
		{"doc dangling labelledby", Document, doc(`<section aria-labelledby="h"><h2>x</h2></section>`), `missing id "h"`},
		{"doc wrong language", Document, strings.Replace(doc(""), `lang="sv"`, `lang="en"`, 1), `want "sv"`},
		{"doc img without alt", Document, doc(`<img src="x.png">`), "without alt"},
		{"documents need no site landmarks, skip link or link text", Document, doc(`<a href="#x"></a><h2 id="x">x</h2>`), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Problems(tt.page, tt.o)
			got := strings.Join(p, "\n")
			switch {
			case tt.want == "" && len(p) > 0:
				t.Errorf("problems %q, want none", p)
			case tt.want != "" && !strings.Contains(got, tt.want):
				t.Errorf("problems %q do not mention %q", p, tt.want)
			}
		})
	}
}
