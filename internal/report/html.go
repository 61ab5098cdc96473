package report

import (
	"bytes"
	"embed"
	"fmt"
	"html"
	"html/template"
	"io"
	"strings"

	"github.com/inkludera/inkludera/internal/chart"
	"github.com/inkludera/inkludera/internal/describe"
	"github.com/inkludera/inkludera/internal/i18n"
	"github.com/inkludera/inkludera/internal/progress"
	"github.com/inkludera/inkludera/internal/strategy"
)

//go:embed templates
var templateFS embed.FS

// htmlTemplate is the report's page; parsed once, it is safe for
// concurrent use.
var htmlTemplate = template.Must(template.New("report.html.tmpl").Funcs(htmlFuncs).
	ParseFS(templateFS, "templates/report.html.tmpl"))

var reportCSS = func() string {
	b, err := templateFS.ReadFile("templates/report.css")
	if err != nil {
		panic(err) // embedded: cannot happen
	}
	return string(b)
}()

// htmlPage is what the template is executed with.
type htmlPage struct {
	F *FollowUp
	// Heading is the h1: "Uppföljning 2021: Integrationsstrategi 2020".
	Heading string
	// Title is the page title: the heading and the organisation.
	Title string
	CSS   template.CSS
}

// RenderHTML writes the follow-up as a complete, standalone HTML5 document
// in Swedish: embedded CSS with an A4 print stylesheet, every chart an
// inline SVG with its data table beside it, and nothing fetched from
// elsewhere. The output depends only on f, so the same FollowUp gives the
// same bytes. Nothing is written when rendering fails.
func RenderHTML(w io.Writer, f *FollowUp) error {
	if f == nil {
		return fmt.Errorf("report: RenderHTML needs a FollowUp")
	}
	p := htmlPage{F: f, Heading: Heading(f)}
	p.Title = p.Heading + " – " + f.Organisation.Name
	p.CSS = template.CSS(reportCSS + footerCSS(f))
	var buf bytes.Buffer
	if err := htmlTemplate.Execute(&buf, p); err != nil {
		return fmt.Errorf("report: rendering HTML: %w", err)
	}
	_, err := buf.WriteTo(w)
	return err
}

// Heading is the report's title: "Uppföljning 2021: Integrationsstrategi
// 2020", "Fördjupad uppföljning 2018–2021: …".
func Heading(f *FollowUp) string {
	if f.Deep() {
		return "Fördjupad uppföljning " + i18n.FormatYear(f.Since) + "–" + i18n.FormatYear(f.Year) + ": " + f.Document.Title
	}
	return "Uppföljning " + i18n.FormatYear(f.Year) + ": " + f.Document.Title
}

// footerCSS puts the organisation, the report and the page number in the
// bottom margin of every printed page but the cover (CSS paged media
// margin boxes, which Chromium prints; other browsers leave the margin
// empty).
func footerCSS(f *FollowUp) string {
	text := f.Organisation.Name + " · " + Heading(f)
	return "\n@page {\n  @bottom-left { content: " + cssString(text) + "; font-size: 8pt; color: #444; }\n" +
		"  @bottom-right { content: \"Sida \" counter(page) \" av \" counter(pages); font-size: 8pt; color: #444; }\n}\n" +
		"@page :first {\n  @bottom-left { content: none; }\n  @bottom-right { content: none; }\n}\n"
}

// cssString quotes s as a CSS string; characters that could end the string
// or the style element are escaped as code points.
func cssString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\' || r == '<' || r == '>' || r == '&' || r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, "\\%x ", r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

var htmlFuncs = template.FuncMap{
	"heading":     headingHTML,
	"badge":       badgeHTML,
	"capitalise":  describe.Capitalise,
	"year":        i18n.FormatYear,
	"count":       func(n int) string { return i18n.FormatNumber(float64(n), 0) },
	"date":        func(d strategy.Date) string { return d.String() },
	"rollupLine":  RollUp.Line,
	"targetData":  targetData,
	"contextData": contextData,
	"indicatorView": func(f *FollowUp, scope string, ind Indicator, level int) indicatorView {
		return indicatorView{F: f, Scope: scope, Indicator: ind, Level: level}
	},
	"areaTargets": Area.Targets,
	"goalView":    func(f *FollowUp, g Goal, level int) goalView { return goalView{F: f, Goal: g, Level: level} },
	"targetView":  func(f *FollowUp, t Target, level int) targetView { return targetView{F: f, Target: t, Level: level} },
	"changesOf":   func(caption string, from, to int, cs []Change) changesView { return changesView{caption, from, to, cs} },
	"statusOf":    statusOf,
	"add":         func(a, b int) int { return a + b },
	"lateOnes":    ActionPlan.LateActivities,
	"unitText":    UnitText,
	"deepYears":   func(f *FollowUp) []int { return f.Years() },
	"historyOf":   Target.StatusIn,
	"yearRollUps": func(s Summary) []YearRollUp { return s.Years },
	"statuses":    func() []progress.Status { return progress.Statuses },
	"countOf":     RollUp.Count,
	"sumLate":     SumLate,
	"plural":      Plural,
}

// goalView is a goal with the level of its heading, for the recursive
// template.
type goalView struct {
	F     *FollowUp
	Goal  Goal
	Level int
}

// targetView is a target with the level of its heading.
type targetView struct {
	F      *FollowUp
	Target Target
	Level  int
}

// indicatorView is an indicator followed without a target, in the
// document ("dokument") or an area ("omrade-KEY"), with the level of its
// heading.
type indicatorView struct {
	F         *FollowUp
	Scope     string
	Indicator Indicator
	Level     int
}

// changesView is a table of targets whose status changed.
type changesView struct {
	Caption  string
	From, To int
	Changes  []Change
}

// headingHTML writes a heading of the given level (2–6, clamped, so the
// order has no jumps at any depth of the goal tree) with an id and a
// prefix naming what it is ("Delmål:"). Every text is escaped here.
func headingHTML(level int, id, prefix, text string) template.HTML {
	level = min(max(level, 2), 6)
	var b strings.Builder
	fmt.Fprintf(&b, `<h%d id="%s">`, level, html.EscapeString(id))
	if prefix != "" {
		fmt.Fprintf(&b, `<span class="heading-prefix">%s</span> `, html.EscapeString(prefix))
	}
	fmt.Fprintf(&b, "%s</h%d>", html.EscapeString(text), level)
	return template.HTML(b.String())
}

// badgeHTML shows a status in words with its symbol, which screen readers
// skip since the word says the same; the class gives the colour, which is
// never the only cue.
func badgeHTML(s Status) template.HTML {
	label := s.Label
	if label == "" {
		label = string(s.Code)
	}
	return template.HTML(`<span class="status status-` + html.EscapeString(string(s.Code)) + `"><span class="symbol" aria-hidden="true">` +
		html.EscapeString(s.Symbol()) + `</span> ` + html.EscapeString(describe.Capitalise(label)) + `</span>`)
}

// Line is the roll-up in words: "3 mål: 1 uppnått, 1 på väg, 1 behöver öka
// takten".
func (r RollUp) Line() string {
	var parts []string
	for _, c := range r.Counts {
		if c.Count > 0 {
			parts = append(parts, i18n.FormatNumber(float64(c.Count), 0)+" "+c.Status.Label)
		}
	}
	return i18n.FormatNumber(float64(r.Total), 0) + " mål: " + strings.Join(parts, ", ")
}

// Count is how many targets of the roll-up have a status.
func (r RollUp) Count(s progress.Status) int {
	for _, c := range r.Counts {
		if c.Status.Code == s {
			return c.Count
		}
	}
	return 0
}

// Targets lists every target of the area, goal by goal, depth first.
func (a Area) Targets() []Target {
	var out []Target
	var walk func([]Goal)
	walk = func(gs []Goal) {
		for _, g := range gs {
			out = append(out, g.Targets...)
			walk(g.Goals)
		}
	}
	walk(a.Goals)
	return out
}

// StatusIn is the target's status for a year of a deep follow-up
// (cannot_assess for a year its History lacks).
func (t Target) StatusIn(year int) Status {
	for _, h := range t.History {
		if h.Year == year {
			return h.Status
		}
	}
	return statusOf(progress.CannotAssess)
}

// LateActivities are the plan's activities late on the report's day.
func (p ActionPlan) LateActivities() []Activity {
	var out []Activity
	for _, a := range p.Activities {
		if a.Late != describe.NotLate {
			out = append(out, a)
		}
	}
	return out
}

// SumLate is how many activities of the plans are late.
func SumLate(ps []ActionPlan) int {
	n := 0
	for _, p := range ps {
		n += p.Late
	}
	return n
}

// Plural is "1 aktivitet", "2 aktiviteter".
func Plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return i18n.FormatNumber(float64(n), 0) + " " + many
}

// UnitText names a unit for a caption: "procent", "antal personer".
func UnitText(unit string) string {
	switch u := strings.TrimSpace(unit); u {
	case "%":
		return "procent"
	case "", "antal":
		return "antal"
	case "procentenheter":
		return u
	default:
		return "antal " + u
	}
}

// dataView is a figure with its chart drawn as inline SVG.
type dataView struct {
	Figure
	SVG template.HTML
}

// targetData is the chart and table of a target's series (and its
// reference series); nil when there is no series with a value.
func targetData(f *FollowUp, t Target) *dataView {
	return svgOf(TargetFigure(f, t))
}

// contextData is the chart and table of an indicator followed without a
// target; scope makes the chart's ids unique in the page.
func contextData(f *FollowUp, scope string, ind Indicator) *dataView {
	return svgOf(ContextFigure(f, scope, ind))
}

func svgOf(fig *Figure) *dataView {
	if fig == nil {
		return nil
	}
	return &dataView{Figure: *fig, SVG: chart.Line(fig.Chart)}
}
