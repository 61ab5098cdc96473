// Package htmlcheck finds accessibility mistakes (DESIGN.md, WCAG) in the
// HTML our templates write. It is test support, imported only by tests:
// internal/web checks every page of the site with [SitePage] and
// internal/report checks the standalone report with [Document].
//
// It parses with encoding/xml in its non-strict HTML mode (Strict off,
// HTML auto-close and entities), which is enough for the markup our own
// templates write. It is no general HTML parser: it knows nothing of
// implied elements, raw-text elements or the HTML error-recovery rules,
// so it is not meant for HTML from anywhere else.
package htmlcheck

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// Options selects the rules that apply to only some kinds of page. Every
// page must have lang="sv" (or Options.Lang), a non-empty <title> in <head>, exactly one
// <main>, exactly one h1, a first heading that is h1 and no heading
// jumps, tables with a <caption> and <th> cells with a valid scope, alt on
// every <img>, role="img" and a text alternative on every <svg>, unique
// ids, and aria-labelledby pointing at ids that exist.
type Options struct {
	// Site adds the rules for a page of the web site: <header>, <nav> and
	// <footer> landmarks (<header> and <footer> outside <main>), an
	// aria-label on each <nav> when there are several, a first link that
	// skips to #innehall, the id of <main>, and text (or aria-label) on
	// every link.
	Site bool
	// SVGDesc requires every <svg> to have both a <title> and a <desc> and
	// aria-labelledby, instead of any text alternative (aria-label,
	// aria-labelledby, <title> or aria-hidden="true").
	SVGDesc bool
	// InPageLinks requires every href="#…" to point at an id that exists.
	InPageLinks bool
	// Lang is the language the <html> element must name; "" is "sv", the
	// site's default.
	Lang string
}

var (
	// SitePage is for the pages of the web site (internal/web).
	SitePage = Options{Site: true}
	// Document is for the standalone report document (internal/report).
	Document = Options{SVGDesc: true, InPageLinks: true}
)

// Problems returns what is wrong with page, one sentence each, or nil.
func Problems(page string, o Options) []string {
	c := checker{o: o, ids: map[string]int{}, landmarks: map[string]int{}, linkDepth: -1}
	d := xml.NewDecoder(strings.NewReader(page))
	d.Strict = false
	d.AutoClose = xml.HTMLAutoClose
	d.Entity = xml.HTMLEntity
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			c.add("parse error: %v", err)
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			c.start(t)
		case xml.EndElement:
			c.end(strings.ToLower(t.Name.Local))
		case xml.CharData:
			if c.inTitle {
				c.titleText.Write(t)
			}
			if c.linkDepth >= 0 {
				c.linkText.Write(t)
			}
		}
	}
	c.finish()
	return c.problems
}

type table struct{ caption, th bool }

type svg struct{ title, desc, labelled bool }

type checker struct {
	o        Options
	problems []string

	stack     []string // open elements, lower case
	tables    []*table
	svgs      []*svg
	ids       map[string]int
	refs      []string // aria-labelledby targets
	anchors   []string // href="#…" targets
	lang      string
	h1s       int
	mains     int
	lastLevel int
	titleText strings.Builder
	inTitle   bool

	// Site only.
	landmarks   map[string]int
	unnamedNavs int
	firstLink   string
	linkDepth   int // depth of the open <a>, or -1
	linkText    strings.Builder
	linkHref    string
	linkLabel   string
}

func (c *checker) add(format string, args ...any) {
	c.problems = append(c.problems, fmt.Sprintf(format, args...))
}

func attr(e xml.StartElement, name string) (string, bool) {
	for _, a := range e.Attr {
		if strings.EqualFold(a.Name.Local, name) {
			return a.Value, true
		}
	}
	return "", false
}

func (c *checker) inside(name string) bool {
	for _, n := range c.stack {
		if n == name {
			return true
		}
	}
	return false
}

func (c *checker) start(t xml.StartElement) {
	name := strings.ToLower(t.Name.Local)
	if id, ok := attr(t, "id"); ok {
		c.ids[id]++
	}
	if refs, ok := attr(t, "aria-labelledby"); ok {
		c.refs = append(c.refs, strings.Fields(refs)...)
	}
	switch name {
	case "html":
		c.lang, _ = attr(t, "lang")
	case "title":
		if n := len(c.svgs); n > 0 {
			c.svgs[n-1].title = true
		} else if c.inside("head") {
			c.inTitle = true
		}
	case "desc":
		if n := len(c.svgs); n > 0 {
			c.svgs[n-1].desc = true
		}
	case "h1", "h2", "h3", "h4", "h5", "h6":
		level := int(name[1] - '0')
		if level == 1 {
			c.h1s++
		}
		if c.lastLevel == 0 && level != 1 {
			c.add("first heading is %s, not h1", name)
		}
		if c.lastLevel != 0 && level > c.lastLevel+1 {
			c.add("heading jumps from h%d to %s", c.lastLevel, name)
		}
		c.lastLevel = level
	case "main":
		c.mains++
	case "header", "footer":
		// Inside <main> they are no page landmarks.
		if !c.inside("main") {
			c.landmarks[name]++
		}
	case "nav":
		c.landmarks[name]++
		if _, ok := attr(t, "aria-label"); !ok {
			c.unnamedNavs++
		}
	case "table":
		c.tables = append(c.tables, &table{})
	case "caption":
		if n := len(c.tables); n > 0 {
			c.tables[n-1].caption = true
		}
	case "th":
		if n := len(c.tables); n > 0 {
			c.tables[n-1].th = true
		}
		switch scope, _ := attr(t, "scope"); scope {
		case "col", "row", "colgroup", "rowgroup":
		default:
			c.add("<th> without scope col, row, colgroup or rowgroup (got %q)", scope)
		}
	case "img":
		if _, ok := attr(t, "alt"); !ok {
			c.add("<img> without alt")
		}
	case "svg":
		if role, _ := attr(t, "role"); role != "img" {
			c.add("<svg> without role=\"img\"")
		}
		s := &svg{}
		_, s.labelled = attr(t, "aria-labelledby")
		if !c.o.SVGDesc {
			_, label := attr(t, "aria-label")
			hidden, _ := attr(t, "aria-hidden")
			s.labelled = s.labelled || label || hidden == "true"
		}
		c.svgs = append(c.svgs, s)
	case "a":
		href, _ := attr(t, "href")
		if target, ok := strings.CutPrefix(href, "#"); ok {
			c.anchors = append(c.anchors, target)
		}
		if c.firstLink == "" {
			c.firstLink = href
		}
		c.linkDepth, c.linkHref = len(c.stack), href
		c.linkLabel, _ = attr(t, "aria-label")
		c.linkText.Reset()
	}
	c.stack = append(c.stack, name)
}

func (c *checker) end(name string) {
	// Pop to the matching element; AutoClose may have left none.
	for i := len(c.stack) - 1; i >= 0; i-- {
		if c.stack[i] == name {
			c.stack = c.stack[:i]
			break
		}
	}
	switch name {
	case "title":
		c.inTitle = false
	case "table":
		if n := len(c.tables); n > 0 {
			tb := c.tables[n-1]
			c.tables = c.tables[:n-1]
			if !tb.caption {
				c.add("<table> without <caption>")
			}
			if !tb.th {
				c.add("<table> without <th>")
			}
		}
	case "svg":
		if n := len(c.svgs); n > 0 {
			s := c.svgs[n-1]
			c.svgs = c.svgs[:n-1]
			switch {
			case c.o.SVGDesc && (!s.title || !s.desc || !s.labelled):
				c.add("<svg> without <title>, <desc> and aria-labelledby")
			case !c.o.SVGDesc && !s.title && !s.labelled:
				c.add("<svg> without a text alternative (aria-label, aria-labelledby or <title>)")
			}
		}
	case "a":
		if c.linkDepth == len(c.stack) {
			if c.o.Site && strings.TrimSpace(c.linkText.String()) == "" && c.linkLabel == "" {
				c.add("link to %q has no text", c.linkHref)
			}
			c.linkDepth = -1
		}
	}
}

func (c *checker) finish() {
	want := c.o.Lang
	if want == "" {
		want = "sv"
	}
	if c.lang != want {
		c.add("<html lang> is %q, want %q", c.lang, want)
	}
	if strings.TrimSpace(c.titleText.String()) == "" {
		c.add("empty or missing <title>")
	}
	if c.h1s != 1 {
		c.add("%d h1 elements, want exactly 1", c.h1s)
	}
	if c.mains != 1 {
		c.add("%d <main> elements, want 1", c.mains)
	}
	if c.o.Site {
		for _, l := range []string{"header", "nav", "footer"} {
			if c.landmarks[l] == 0 {
				c.add("no <%s> landmark", l)
			}
		}
		if c.landmarks["nav"] > 1 && c.unnamedNavs > 0 {
			c.add("%d navigation landmarks without aria-label among several", c.unnamedNavs)
		}
		if c.firstLink != "#innehall" || c.ids["innehall"] == 0 {
			c.add("the first link is %q; want a skip link to #innehall, the id of <main>", c.firstLink)
		}
	}
	for id, n := range c.ids {
		if n > 1 {
			c.add("id %q used %d times", id, n)
		}
	}
	for _, ref := range c.refs {
		if c.ids[ref] == 0 {
			c.add("aria-labelledby refers to missing id %q", ref)
		}
	}
	if c.o.InPageLinks {
		for _, a := range c.anchors {
			if c.ids[a] == 0 {
				c.add("link to #%s, which no element has as id", a)
			}
		}
	}
}
