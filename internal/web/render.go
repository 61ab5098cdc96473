package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"html/template"
	"net/http"
	"strings"

	"github.com/inkludera/inkludera/internal/i18n"
	"github.com/inkludera/inkludera/internal/strategy"
)

// frame is what the layout is executed with: the page's own data, which
// the page's "content" template receives as dot, and who is looking.
// It is generic so that templatecheck can check each page with its type.
type frame[T any] struct {
	Page   T
	Viewer viewer
	// L speaks the reader's language; the layout's own words come from it.
	L *i18n.Localizer
	// SwedishContent is set when the page's content is Swedish only while
	// the reader asked for another language: the layout marks the main
	// element lang="sv", so a screen reader reads it as Swedish. Pages of
	// the public portal are translated (they embed portalPage).
	SwedishContent bool
	// Languages is the language menu: this page in each language.
	Languages []languageLink
}

// languageLink is one entry of the language menu.
type languageLink struct {
	Code, Name, Dir, URL string
	Current              bool
}

// languageLinks are the links to the request's page in every language:
// its path and query with lang= set.
func languageLinks(r *http.Request, current string) []languageLink {
	out := make([]languageLink, 0, len(i18n.Languages))
	for _, l := range i18n.Languages {
		u := *r.URL
		q := u.Query()
		q.Set("lang", l.Code)
		u.RawQuery = q.Encode()
		out = append(out, languageLink{Code: l.Code, Name: l.Name, Dir: l.Dir(), URL: u.RequestURI(), Current: l.Code == current})
	}
	return out
}

// portalPage is embedded in every page of the public portal: the
// language its words come from ({{.L.T "id"}} in its templates).
type portalPage struct {
	L *i18n.Localizer
}

func (portalPage) translated() {}

// newPortalPage is the portalPage of a request.
func newPortalPage(r *http.Request) portalPage { return portalPage{L: langOf(r)} }

// render executes a page into a buffer first, so that a template failure
// becomes a clean error page instead of half a page with status 200.
func render[T any](s *server, w http.ResponseWriter, r *http.Request, status int, page string, data T) error {
	t, ok := s.pages[page]
	if !ok {
		return strategy.Internal(fmt.Errorf("no page template %q", page), "rendering page")
	}
	var buf bytes.Buffer
	l := langOf(r)
	_, translated := any(data).(interface{ translated() })
	f := frame[T]{Page: data, Viewer: s.viewerOf(r), L: l, SwedishContent: !translated && l.Code != i18n.Default,
		Languages: languageLinks(r, l.Code)}
	if err := t.ExecuteTemplate(&buf, "layout", f); err != nil {
		return strategy.Internal(err, "rendering page "+page)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
	return nil
}

// writeJSON writes v as the JSON body. Encoding the value first keeps a
// failure from sending a 200 with a broken body.
func (s *server) writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		s.log.ErrorContext(r.Context(), "encoding JSON", "path", r.URL.Path, "err", err.Error())
		status = http.StatusInternalServerError
		body = []byte(`{"code":"internal","message":"` + internalMessage + `"}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(append(body, '\n'))
}

// heading writes a heading of the given level (2–6, clamped) with an id and
// a prefix naming what the heading is ("Delmål: "), for nested parts whose
// depth the template cannot know: the goal tree. Clamping at 6 keeps the
// order without jumps at any depth. Every text is escaped here.
func heading(level int, id, prefix, text string) template.HTML {
	level = min(max(level, 2), 6)
	var b strings.Builder
	fmt.Fprintf(&b, "<h%d", level)
	if id != "" {
		fmt.Fprintf(&b, ` id="%s"`, html.EscapeString(id))
	}
	b.WriteString(">")
	if prefix != "" {
		fmt.Fprintf(&b, `<span class="heading-prefix">%s</span> `, html.EscapeString(prefix))
	}
	fmt.Fprintf(&b, "%s</h%d>", html.EscapeString(text), level)
	return template.HTML(b.String())
}
