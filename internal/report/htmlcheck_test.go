package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"testing"
)

// htmlProblems checks what the report must satisfy for accessibility
// (DESIGN.md, WCAG): lang="sv", a <title>, one <main>, exactly one h1 and
// headings in order without jumps, tables with a caption and header cells
// with a scope, every SVG a labelled image with both <title> and <desc>,
// unique ids, and aria-labelledby and in-page links pointing at ids that
// exist. It parses with encoding/xml's non-strict HTML mode, which is
// enough for the markup our template writes.
func htmlProblems(page string) []string {
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }

	d := xml.NewDecoder(strings.NewReader(page))
	d.Strict = false
	d.AutoClose = xml.HTMLAutoClose
	d.Entity = xml.HTMLEntity

	type table struct{ caption, th bool }
	type svg struct{ title, desc, labelled bool }
	var (
		stack      []string
		tables     []*table
		svgs       []*svg
		ids        = map[string]int{}
		refs       []string // aria-labelledby
		anchors    []string // href="#…"
		lang       string
		h1s, mains int
		lastLevel  int
		titleText  strings.Builder
		inTitle    bool
	)
	attr := func(e xml.StartElement, name string) (string, bool) {
		for _, a := range e.Attr {
			if strings.EqualFold(a.Name.Local, name) {
				return a.Value, true
			}
		}
		return "", false
	}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			add("parse error: %v", err)
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := strings.ToLower(t.Name.Local)
			if id, ok := attr(t, "id"); ok {
				ids[id]++
			}
			if r, ok := attr(t, "aria-labelledby"); ok {
				refs = append(refs, strings.Fields(r)...)
			}
			switch name {
			case "html":
				lang, _ = attr(t, "lang")
			case "main":
				mains++
			case "title":
				if len(svgs) > 0 {
					svgs[len(svgs)-1].title = true
				} else {
					inTitle = true
				}
			case "desc":
				if len(svgs) > 0 {
					svgs[len(svgs)-1].desc = true
				}
			case "h1", "h2", "h3", "h4", "h5", "h6":
				level := int(name[1] - '0')
				if level == 1 {
					h1s++
				}
				if lastLevel == 0 && level != 1 {
					add("first heading is %s, not h1", name)
				}
				if lastLevel != 0 && level > lastLevel+1 {
					add("heading jumps from h%d to %s", lastLevel, name)
				}
				lastLevel = level
			case "table":
				tables = append(tables, &table{})
			case "caption":
				if len(tables) > 0 {
					tables[len(tables)-1].caption = true
				}
			case "th":
				if len(tables) > 0 {
					tables[len(tables)-1].th = true
				}
				if scope, _ := attr(t, "scope"); scope != "col" && scope != "row" {
					add("<th> without scope col or row (got %q)", scope)
				}
			case "svg":
				s := &svg{}
				if role, _ := attr(t, "role"); role != "img" {
					add("<svg> without role=\"img\"")
				}
				_, s.labelled = attr(t, "aria-labelledby")
				svgs = append(svgs, s)
			case "a":
				if href, _ := attr(t, "href"); strings.HasPrefix(href, "#") {
					anchors = append(anchors, strings.TrimPrefix(href, "#"))
				}
			case "img":
				if _, ok := attr(t, "alt"); !ok {
					add("<img> without alt")
				}
			}
			stack = append(stack, name)
		case xml.EndElement:
			name := strings.ToLower(t.Name.Local)
			for i := len(stack) - 1; i >= 0; i-- {
				if stack[i] == name {
					stack = stack[:i]
					break
				}
			}
			switch name {
			case "title":
				inTitle = false
			case "table":
				if n := len(tables); n > 0 {
					tb := tables[n-1]
					tables = tables[:n-1]
					if !tb.caption {
						add("<table> without <caption>")
					}
					if !tb.th {
						add("<table> without <th>")
					}
				}
			case "svg":
				if n := len(svgs); n > 0 {
					s := svgs[n-1]
					svgs = svgs[:n-1]
					if !s.title || !s.desc || !s.labelled {
						add("<svg> without <title>, <desc> and aria-labelledby")
					}
				}
			}
		case xml.CharData:
			if inTitle {
				titleText.Write(t)
			}
		}
	}
	if lang != "sv" {
		add("<html lang> is %q, want \"sv\"", lang)
	}
	if strings.TrimSpace(titleText.String()) == "" {
		add("empty or missing <title>")
	}
	if h1s != 1 {
		add("%d h1 elements, want exactly 1", h1s)
	}
	if mains != 1 {
		add("%d <main> elements, want 1", mains)
	}
	for id, n := range ids {
		if n > 1 {
			add("id %q used %d times", id, n)
		}
	}
	for _, ref := range refs {
		if ids[ref] == 0 {
			add("aria-labelledby refers to missing id %q", ref)
		}
	}
	for _, a := range anchors {
		if ids[a] == 0 {
			add("link to #%s, which no element has as id", a)
		}
	}
	return problems
}

// TestHTMLProblemsFindsMistakes shows that the checker the golden tests
// rely on fails where it should.
func TestHTMLProblemsFindsMistakes(t *testing.T) {
	page := func(body string) string {
		return `<!DOCTYPE html><html lang="sv"><head><title>T</title></head><body><h1>R</h1><main>` + body + `</main></body></html>`
	}
	tests := []struct {
		name, page, want string
	}{
		{"heading jump", page(`<h3>x</h3>`), "heading jumps from h1 to h3"},
		{"second h1", page(`<h1>x</h1>`), "2 h1 elements"},
		{"table without caption", page(`<table><tr><th scope="col">a</th></tr></table>`), "without <caption>"},
		{"th without scope", page(`<table><caption>c</caption><tr><th>a</th></tr></table>`), "without scope"},
		{"svg without desc", page(`<svg role="img" aria-labelledby="s"><title id="s">t</title></svg>`), "<svg> without"},
		{"broken link", page(`<a href="#nowhere">x</a>`), "link to #nowhere"},
		{"duplicate id", page(`<p id="a">1</p><p id="a">2</p>`), `id "a" used 2 times`},
		{"wrong language", strings.Replace(page(""), `lang="sv"`, `lang="en"`, 1), `want "sv"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := strings.Join(htmlProblems(tt.page), "\n")
			if !strings.Contains(got, tt.want) {
				t.Errorf("problems = %q, want one containing %q", got, tt.want)
			}
		})
	}
	if p := htmlProblems(page(`<h2 id="x">x</h2><a href="#x">x</a>`)); len(p) > 0 {
		t.Errorf("a good page has problems: %q", p)
	}
}
