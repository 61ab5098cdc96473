package web

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// htmlProblems checks what every page must satisfy for accessibility
// (DESIGN.md, WCAG): lang="sv", a non-empty <title>, landmarks, a skip link
// to <main>, exactly one h1 and headings without jumps, tables with a
// caption and scoped header cells, text alternatives for images and SVG,
// unique ids, and aria-labelledby pointing at existing ids.
//
// It parses with encoding/xml in its non-strict HTML mode, which is enough
// for the markup our own templates write; it is no general HTML parser.
func htmlProblems(page string) []string {
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }

	d := xml.NewDecoder(strings.NewReader(page))
	d.Strict = false
	d.AutoClose = xml.HTMLAutoClose
	d.Entity = xml.HTMLEntity

	type table struct{ caption, th bool }
	type svg struct {
		labelled bool
		depth    int
	}
	var (
		stack       []string
		tables      []*table
		svgs        []*svg
		ids         = map[string]int{}
		labelledBy  []string
		landmarks   = map[string]int{}
		unnamedNavs int
		lang        string
		h1s         int
		lastLevel   int
		titleText   strings.Builder
		inTitle     bool
		firstLink   string
		linkDepth   = -1
		linkText    strings.Builder
		linkHref    string
		linkLabel   string
	)
	attr := func(e xml.StartElement, name string) (string, bool) {
		for _, a := range e.Attr {
			if strings.EqualFold(a.Name.Local, name) {
				return a.Value, true
			}
		}
		return "", false
	}
	inside := func(name string) bool {
		for _, n := range stack {
			if n == name {
				return true
			}
		}
		return false
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
			if refs, ok := attr(t, "aria-labelledby"); ok {
				labelledBy = append(labelledBy, strings.Fields(refs)...)
			}
			switch name {
			case "html":
				lang, _ = attr(t, "lang")
			case "title":
				if inside("head") {
					inTitle = true
				} else if len(svgs) > 0 {
					svgs[len(svgs)-1].labelled = true
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
			case "header", "footer", "main", "nav":
				if !inside("main") || name == "nav" {
					landmarks[name]++
				}
				if name == "nav" {
					if _, ok := attr(t, "aria-label"); !ok {
						unnamedNavs++
					}
				}
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
				switch scope, _ := attr(t, "scope"); scope {
				case "col", "row", "colgroup", "rowgroup":
				default:
					add("<th> without a valid scope (got %q)", scope)
				}
			case "img":
				if _, ok := attr(t, "alt"); !ok {
					add("<img> without alt")
				}
			case "svg":
				s := &svg{depth: len(stack)}
				if role, _ := attr(t, "role"); role != "img" {
					add("<svg> without role=\"img\"")
				}
				_, label := attr(t, "aria-label")
				_, by := attr(t, "aria-labelledby")
				hidden, _ := attr(t, "aria-hidden")
				s.labelled = label || by || hidden == "true"
				svgs = append(svgs, s)
			case "a":
				href, _ := attr(t, "href")
				if firstLink == "" {
					firstLink = href
				}
				linkDepth, linkHref = len(stack), href
				linkLabel, _ = attr(t, "aria-label")
				linkText.Reset()
			}
			stack = append(stack, name)
		case xml.EndElement:
			name := strings.ToLower(t.Name.Local)
			// Pop to the matching element; AutoClose may have left none.
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
					if !svgs[n-1].labelled {
						add("<svg> without a text alternative (aria-label, aria-labelledby or <title>)")
					}
					svgs = svgs[:n-1]
				}
			case "a":
				if linkDepth == len(stack) {
					if strings.TrimSpace(linkText.String()) == "" && linkLabel == "" {
						add("link to %q has no text", linkHref)
					}
					linkDepth = -1
				}
			}
		case xml.CharData:
			if inTitle {
				titleText.Write(t)
			}
			if linkDepth >= 0 {
				linkText.Write(t)
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
	for _, l := range []string{"header", "nav", "main", "footer"} {
		if landmarks[l] == 0 {
			add("no <%s> landmark", l)
		}
	}
	if landmarks["main"] > 1 {
		add("%d <main> elements", landmarks["main"])
	}
	if landmarks["nav"] > 1 && unnamedNavs > 0 {
		add("%d navigation landmarks without aria-label among several", unnamedNavs)
	}
	if firstLink != "#innehall" || ids["innehall"] == 0 {
		add("the first link is %q; want a skip link to #innehall, the id of <main>", firstLink)
	}
	for id, n := range ids {
		if n > 1 {
			add("id %q used %d times", id, n)
		}
	}
	for _, ref := range labelledBy {
		if ids[ref] == 0 {
			add("aria-labelledby refers to missing id %q", ref)
		}
	}
	return problems
}
