package web

import (
	"bytes"
	"fmt"
	"html"
	"html/template"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/inkludera/inkludera/internal/strategy"
)

// Widgets other sites show in an iframe (/embed/...): a document's
// scorecard, a goal, a target, an indicator. They are portal pages without
// the site's header and footer, in the host's colours when it asks
// (?bakgrund=, ?text=, ?accent= as hex colours), and they may be framed by
// the sites PortalConfig.FrameAncestors names (every site when empty).

// embedTheme is the host's colours, checked for contrast: a colour that
// would make text unreadable (below 4.5:1 against the background, WCAG
// 1.4.3) is replaced by one that reads, so a host cannot make the widget
// inaccessible by accident.
type embedTheme struct {
	Background, Text, Accent string
}

// CSS is the theme as custom properties for the widget's stylesheet.
func (t embedTheme) CSS() template.CSS {
	// Safe: the colours are parsed "#rrggbb" values (themeOf).
	return template.CSS(fmt.Sprintf(":root{--embed-bg:%s;--embed-text:%s;--embed-accent:%s}", t.Background, t.Text, t.Accent))
}

var hexColour = regexp.MustCompile(`^#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$`)

// themeOf reads the host's colours from the query; invalid ones are
// ignored in favour of the defaults.
func themeOf(q url.Values) embedTheme {
	t := embedTheme{Background: "#ffffff", Text: "#1a1a1a", Accent: "#1f4e79"}
	if c, ok := parseHex(q.Get("bakgrund")); ok {
		t.Background = c
	}
	if c, ok := parseHex(q.Get("text")); ok {
		t.Text = c
	}
	if c, ok := parseHex(q.Get("accent")); ok {
		t.Accent = c
	}
	if contrast(t.Text, t.Background) < 4.5 {
		t.Text = readableOn(t.Background)
	}
	if contrast(t.Accent, t.Background) < 4.5 {
		t.Accent = t.Text
	}
	return t
}

func parseHex(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if !hexColour.MatchString(s) {
		return "", false
	}
	s = strings.TrimPrefix(s, "#")
	if len(s) == 3 {
		s = string([]byte{s[0], s[0], s[1], s[1], s[2], s[2]})
	}
	return "#" + strings.ToLower(s), true
}

// luminance is the relative luminance of a #rrggbb colour (WCAG 2.1).
func luminance(c string) float64 {
	v, _ := strconv.ParseUint(strings.TrimPrefix(c, "#"), 16, 32)
	ch := func(x uint64) float64 {
		f := float64(x) / 255
		if f <= 0.03928 {
			return f / 12.92
		}
		return math.Pow((f+0.055)/1.055, 2.4)
	}
	return 0.2126*ch(v>>16&0xff) + 0.7152*ch(v>>8&0xff) + 0.0722*ch(v&0xff)
}

// contrast is the WCAG contrast ratio of two colours.
func contrast(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// readableOn is the site's near-black or white text, whichever reads
// better on bg; black when neither reaches WCAG's 4.5:1, as on a mid tone
// such as #008877 (black or white always does).
func readableOn(bg string) string {
	best := "#ffffff"
	if contrast("#1a1a1a", bg) >= contrast(best, bg) {
		best = "#1a1a1a"
	}
	if contrast(best, bg) < 4.5 && contrast("#000000", bg) > contrast(best, bg) {
		best = "#000000"
	}
	return best
}

// embedPage is what every widget shares.
type embedPage struct {
	portalPage
	Title   string
	Theme   embedTheme
	MoreURL string // the full page on the portal (absolute)
	Org     string
}

type embedDocumentPage struct {
	embedPage
	Heading contentText
	Year    string
	Status  *portalSummary
	Areas   []portalArea
}

type embedGoalPage struct {
	embedPage
	Heading contentText
	Year    string
	Status  *portalSummary
	Targets []portalTarget
}

type embedTargetPage struct {
	embedPage
	Year   string
	Target portalTarget
	Series *indicatorSeries
}

type embedIndicatorPage struct {
	embedPage
	Heading contentText
	Series  *indicatorSeries
}

func (s *server) newEmbedPage(r *http.Request, title, org, more string) embedPage {
	return embedPage{portalPage: newPortalPage(r), Title: title, Theme: themeOf(r.URL.Query()), MoreURL: s.baseURL(r) + more, Org: org}
}

// embedDocument handles GET /embed/{org}/dokument/{doc}.
func (s *server) embedDocument(w http.ResponseWriter, r *http.Request) error {
	pd, err := s.readPortalDoc(r, r.PathValue("org"), r.PathValue("doc"))
	if err != nil {
		return err
	}
	heading := pd.t.field(strategy.ObjDocument, "", "title", pd.doc.Title)
	p := embedDocumentPage{embedPage: s.newEmbedPage(r, heading.Text, pd.org.Name, portalDocumentURL(pd.org.Code, pd.doc.Key)),
		Heading: heading, Year: pd.l.Year(pd.year), Status: newPortalSummary(pd.l, pd.sc.Summary)}
	areaSummaries, _ := summariesByKey(pd.sc)
	for _, a := range pd.doc.Areas {
		pa := portalArea{ID: "omrade-" + a.Key, Title: pd.t.field(strategy.ObjArea, a.Key, "title", a.Title)}
		if sum, ok := areaSummaries[a.Key]; ok {
			pa.Status = newPortalSummary(pd.l, sum)
		}
		p.Areas = append(p.Areas, pa)
	}
	return s.renderEmbed(w, r, "embed_document", p)
}

// embedGoal handles GET /embed/{org}/dokument/{doc}/mal/{goal}.
func (s *server) embedGoal(w http.ResponseWriter, r *http.Request) error {
	pd, err := s.readPortalDoc(r, r.PathValue("org"), r.PathValue("doc"))
	if err != nil {
		return err
	}
	key := r.PathValue("goal")
	_, chain, ok := goalPath(pd.doc, key)
	if !ok {
		return strategy.Errorf(strategy.CodeNotFound, "Styrdokumentet har inget mål %q.", key)
	}
	g := chain[len(chain)-1]
	heading := pd.t.field(strategy.ObjGoal, g.Key, "title", g.Title)
	p := embedGoalPage{embedPage: s.newEmbedPage(r, heading.Text, pd.org.Name, portalGoalURL(pd.org.Code, pd.doc.Key, g.Key)),
		Heading: heading, Year: pd.l.Year(pd.year)}
	_, goalSummaries := summariesByKey(pd.sc)
	if sum, ok := goalSummaries[g.Key]; ok {
		p.Status = newPortalSummary(pd.l, sum)
	}
	for _, t := range g.Targets {
		p.Targets = append(p.Targets, pd.target(t))
	}
	return s.renderEmbed(w, r, "embed_goal", p)
}

// embedTarget handles GET /embed/{org}/dokument/{doc}/malvarden/{target}.
func (s *server) embedTarget(w http.ResponseWriter, r *http.Request) error {
	pd, err := s.readPortalDoc(r, r.PathValue("org"), r.PathValue("doc"))
	if err != nil {
		return err
	}
	key := r.PathValue("target")
	_, chain, ok := findGoalOfTarget(pd.doc, key)
	if !ok {
		return strategy.Errorf(strategy.CodeNotFound, "Styrdokumentet har inget målvärde %q.", key)
	}
	g := chain[len(chain)-1]
	var target strategy.Target
	for _, t := range g.Targets {
		if t.Key == key {
			target = t
		}
	}
	pt := pd.target(target)
	p := embedTargetPage{embedPage: s.newEmbedPage(r, pt.Text.Text, pd.org.Name, portalGoalURL(pd.org.Code, pd.doc.Key, g.Key)+"#"+pt.ID),
		Year: pd.l.Year(pd.year), Target: pt}
	if ind, ok := pd.indicators[target.Indicator]; ok {
		p.Series = newIndicatorSeries(pd.l, pd.org, ind, pd.obs[target.Indicator], pd.targetLines(target.Indicator), "inb-")
	}
	return s.renderEmbed(w, r, "embed_target", p)
}

// embedIndicator handles GET /embed/{org}/indikatorer/{ind}.
func (s *server) embedIndicator(w http.ResponseWriter, r *http.Request) error {
	code, key := r.PathValue("org"), r.PathValue("ind")
	uses, err := s.portalDocsUsing(r, code, key)
	if err != nil {
		return err
	}
	pd := uses[0]
	ind := pd.indicators[key]
	heading := indicatorText(pd.l, ind, "title", ind.Title)
	p := embedIndicatorPage{embedPage: s.newEmbedPage(r, heading.Text, pd.org.Name, portalIndicatorURL(code, key)), Heading: heading,
		Series: newIndicatorSeries(pd.l, pd.org, ind, pd.obs[key], pd.targetLines(key), "inb-")}
	return s.renderEmbed(w, r, "embed_indicator", p)
}

// renderEmbed renders a widget with its own frame ("embed-layout" in
// templates/partials/embed.html) and the framing policy of embeds.
func (s *server) renderEmbed(w http.ResponseWriter, r *http.Request, page string, data any) error {
	t, ok := s.pages[page]
	if !ok {
		return strategy.Internal(fmt.Errorf("no page template %q", page), "rendering widget")
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "embed-layout", data); err != nil {
		return strategy.Internal(err, "rendering widget "+page)
	}
	w.Header().Set("Content-Security-Policy", s.embedCSP())
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = buf.WriteTo(w)
	return nil
}

// embedCSP is the pages' policy with frame-ancestors opened to the sites
// allowed to embed.
func (s *server) embedCSP() string {
	ancestors := "*"
	if len(s.portal.FrameAncestors) > 0 {
		ancestors = strings.Join(s.portal.FrameAncestors, " ")
	}
	return "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors " + ancestors
}

// iframeCode is the HTML another site pastes to show a widget: a titled
// iframe (WCAG 4.1.2: frames need an accessible name).
func iframeCode(src, title string, width, height int) string {
	return fmt.Sprintf(`<iframe src="%s" title="%s" width="%d" height="%d" style="border:0;max-width:100%%" loading="lazy"></iframe>`,
		html.EscapeString(src), html.EscapeString(title), width, height)
}

// oEmbed (https://oembed.com/): a site that knows a portal page's URL
// asks /oembed?url=… and gets the widget's iframe as a "rich" response.

type oembedResponse struct {
	Type         string `json:"type"`
	Version      string `json:"version"`
	Title        string `json:"title"`
	ProviderName string `json:"provider_name"`
	ProviderURL  string `json:"provider_url"`
	HTML         string `json:"html"`
	Width        int    `json:"width"`
	Height       int    `json:"height"`
}

var (
	oembedIndicator = regexp.MustCompile(`^/portal/([^/]+)/indikatorer/([^/]+)$`)
	oembedGoal      = regexp.MustCompile(`^/portal/([^/]+)/dokument/([^/]+)/mal/([^/]+)$`)
	oembedDocument  = regexp.MustCompile(`^/portal/([^/]+)/dokument/([^/]+)$`)
)

// oembed handles GET /oembed?url=PAGE[&maxwidth=W&maxheight=H][&format=json].
func (s *server) oembed(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if f := q.Get("format"); f != "" && f != "json" {
		// The oEmbed specification's answer for a format not offered.
		w.WriteHeader(http.StatusNotImplemented)
		return nil
	}
	raw := q.Get("url")
	u, err := url.Parse(raw)
	if raw == "" || err != nil {
		return strategy.Errorf(strategy.CodeInvalid, "Parametern url ska vara adressen till en sida i portalen, inte %q.", raw)
	}
	base := s.baseURL(r)
	if u.IsAbs() && u.Scheme+"://"+u.Host != base {
		return strategy.Errorf(strategy.CodeNotFound, "Adressen %q hör inte till den här webbplatsen.", raw)
	}
	path, err := url.PathUnescape(u.EscapedPath())
	if err != nil {
		return strategy.Errorf(strategy.CodeInvalid, "Adressen %q går inte att läsa.", raw)
	}
	var embed, title string
	height := 420
	switch {
	case oembedIndicator.MatchString(path):
		m := oembedIndicator.FindStringSubmatch(path)
		embed, height = embedIndicatorURL(m[1], m[2]), 560
		title, err = s.oembedTitle(r, m[1], "", "", m[2])
	case oembedGoal.MatchString(path):
		m := oembedGoal.FindStringSubmatch(path)
		embed, height = embedGoalURL(m[1], m[2], m[3]), 520
		title, err = s.oembedTitle(r, m[1], m[2], m[3], "")
	case oembedDocument.MatchString(path):
		m := oembedDocument.FindStringSubmatch(path)
		embed = embedDocumentURL(m[1], m[2])
		title, err = s.oembedTitle(r, m[1], m[2], "", "")
	default:
		return strategy.Errorf(strategy.CodeNotFound, "Det finns ingen inbäddning för %q.", raw)
	}
	if err != nil {
		return err
	}
	width := 640
	if mw, err := strconv.Atoi(q.Get("maxwidth")); err == nil && mw > 0 && mw < width {
		width = mw
	}
	if mh, err := strconv.Atoi(q.Get("maxheight")); err == nil && mh > 0 && mh < height {
		height = mh
	}
	if lang := langOf(r).Code; q.Get("lang") != "" {
		embed += "?lang=" + lang
	}
	s.writeJSON(w, r, http.StatusOK, oembedResponse{Type: "rich", Version: "1.0", Title: title,
		ProviderName: "Inkludera", ProviderURL: base + "/portal",
		HTML: iframeCode(base+embed, title, width, height), Width: width, Height: height})
	return nil
}

// oembedTitle is the title of what a portal URL shows, and whether it is
// public: a draft's goal has no widget.
func (s *server) oembedTitle(r *http.Request, org, doc, goal, ind string) (string, error) {
	if ind != "" {
		uses, err := s.portalDocsUsing(r, org, ind)
		if err != nil {
			return "", err
		}
		i := uses[0].indicators[ind]
		return indicatorText(uses[0].l, i, "title", i.Title).Text, nil
	}
	pd, err := s.readPortalDoc(r, org, doc)
	if err != nil {
		return "", err
	}
	if goal == "" {
		return pd.t.field(strategy.ObjDocument, "", "title", pd.doc.Title).Text, nil
	}
	_, chain, ok := goalPath(pd.doc, goal)
	if !ok {
		return "", strategy.Errorf(strategy.CodeNotFound, "Styrdokumentet har inget mål %q.", goal)
	}
	g := chain[len(chain)-1]
	return pd.t.field(strategy.ObjGoal, g.Key, "title", g.Title).Text, nil
}
