package web

import (
	"strings"
	"testing"
)

// TestHTMLProblems makes sure the checker itself catches what it claims to.
func TestHTMLProblems(t *testing.T) {
	good := `<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>T</title></head><body>
<a href="#innehall">Hoppa</a><header><nav aria-label="Huvudmeny"><a href="/">Start</a></nav></header>
<main id="innehall"><h1>R</h1><h2>A</h2><h3>B</h3><h2>C</h2>
<table><caption>C</caption><tr><th scope="col">x</th></tr><tr><td>1&nbsp;000</td></tr></table>
<svg role="img" aria-labelledby="t"><title id="t">Diagram</title></svg>
<img src="x.png" alt=""><br></main><footer>F</footer></body></html>`
	if p := htmlProblems(good); len(p) > 0 {
		t.Fatalf("good page has problems: %v", p)
	}
	tests := []struct {
		name, from, to, want string
	}{
		{"lang", `lang="sv"`, `lang="en"`, "lang"},
		{"two h1", `<h2>C</h2>`, `<h1>C</h1>`, "2 h1"},
		{"jump", `<h3>B</h3>`, `<h4>B</h4>`, "jumps"},
		{"no caption", `<caption>C</caption>`, ``, "without <caption>"},
		{"th without scope", `<th scope="col">`, `<th>`, "scope"},
		{"img without alt", ` alt=""`, ``, "without alt"},
		{"svg without name", ` aria-labelledby="t"><title id="t">Diagram</title>`, `>`, "text alternative"},
		{"no skip link", `<a href="#innehall">Hoppa</a>`, ``, "skip link"},
		{"no footer", `<footer>F</footer>`, ``, "<footer>"},
		{"duplicate id", `<h1>R</h1>`, `<h1 id="t">R</h1>`, "used 2 times"},
		{"dangling labelledby", `aria-labelledby="t"`, `aria-labelledby="x"`, "missing id"},
		{"empty link", `<a href="/">Start</a>`, `<a href="/"></a>`, "no text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bad := strings.Replace(good, tt.from, tt.to, 1)
			if bad == good {
				t.Fatalf("replacement %q not in the good page", tt.from)
			}
			p := htmlProblems(bad)
			if !strings.Contains(strings.Join(p, "\n"), tt.want) {
				t.Errorf("problems %q do not mention %q", p, tt.want)
			}
		})
	}
}
