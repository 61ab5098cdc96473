package web

import (
	"html"
	"html/template"
	"math"
	"net/http"
	"slices"
	"strings"

	"github.com/inkludera/inkludera/internal/chart"
	"github.com/inkludera/inkludera/internal/describe"
	"github.com/inkludera/inkludera/internal/i18n"
	"github.com/inkludera/inkludera/internal/progress"
	"github.com/inkludera/inkludera/internal/scorecard"
	"github.com/inkludera/inkludera/internal/strategy"
)

// The public portal (portal_pages.go) shows published documents to
// residents, newcomers and civil society in their language. This file
// reads what a portal page needs and turns the domain into words of the
// reader's language; where the strategy's own text has no translation it
// is shown in Swedish, marked lang="sv" so that screen readers switch voice.

// contentText is a text of the strategy in the reader's language, or in
// Swedish (Lang "sv") when it has no translation into it.
type contentText struct {
	Text string
	Lang string // "" when the text is in the page's language
}

// HTML is the text escaped, wrapped in a span that names its language when
// it is a Swedish fallback.
func (c contentText) HTML() template.HTML {
	if c.Lang == "" {
		return template.HTML(html.EscapeString(c.Text))
	}
	return template.HTML(`<span lang="` + c.Lang + `" dir="ltr">` + html.EscapeString(c.Text) + `</span>`)
}

func (c contentText) String() string { return c.Text }

// Empty reports whether there is no text at all.
func (c contentText) Empty() bool { return strings.TrimSpace(c.Text) == "" }

// translator picks a document's or indicator's texts in one language.
type translator struct {
	lang string
	tr   strategy.Translations
}

// text is the translation at path, or the Swedish original marked as such.
func (t translator) text(path, swedish string) contentText {
	if t.lang == i18n.Default {
		return contentText{Text: swedish}
	}
	if s, ok := t.tr.Text(t.lang, path); ok {
		return contentText{Text: s}
	}
	if strings.TrimSpace(swedish) == "" {
		return contentText{}
	}
	return contentText{Text: swedish, Lang: i18n.Default}
}

func (t translator) field(kind strategy.ObjectKind, key, field, swedish string) contentText {
	return t.text(strategy.TextPath(kind, key, field), swedish)
}

// portalDoc is a published document with what its portal pages show: the
// organisation, bodies, indicators, values up to the evaluation year and
// the scorecard.
type portalDoc struct {
	l          *i18n.Localizer
	org        strategy.Organisation
	doc        strategy.Document
	t          translator
	year       int
	yearGiven  bool
	bodies     map[string]string
	indicators map[string]strategy.Indicator
	obs        map[string][]strategy.Observation // indicator → values, years ascending
	sc         *scorecard.Scorecard
}

// readPortalDoc reads the organisation's published document key. A draft,
// another organisation's document or an unknown key are the same 404.
func (s *server) readPortalDoc(r *http.Request, orgCode, key string) (*portalDoc, error) {
	ctx := r.Context()
	l := langOf(r)
	notFound := strategy.Errorf(strategy.CodeNotFound, "Det finns inget publicerat styrdokument %q hos organisationen %s.", key, orgCode)
	doc, err := s.st.Document(ctx, key)
	if strategy.CodeOf(err) == strategy.CodeNotFound {
		return nil, notFound
	}
	if err != nil {
		return nil, err
	}
	if doc.Org != orgCode || !documentPublished(doc) {
		return nil, notFound
	}
	year, given, err := s.evaluationYear(r, "ar", true)
	if err != nil {
		return nil, err
	}
	org, err := s.st.Organisation(ctx, doc.Org)
	if err != nil {
		return nil, err
	}
	p := &portalDoc{l: l, org: org, doc: doc, t: translator{lang: l.Code, tr: doc.Translations}, year: year, yearGiven: given,
		bodies: map[string]string{}, indicators: map[string]strategy.Indicator{}, obs: map[string][]strategy.Observation{}}
	bodies, err := s.st.Bodies(ctx, doc.Org)
	if err != nil {
		return nil, err
	}
	for _, b := range bodies {
		p.bodies[b.Key] = b.Name
	}
	keys := doc.IndicatorKeys()
	for _, k := range keys {
		ind, err := s.st.Indicator(ctx, k)
		if strategy.CodeOf(err) == strategy.CodeNotFound {
			continue
		}
		if err != nil {
			return nil, err
		}
		p.indicators[k] = ind
	}
	var obs []strategy.Observation
	if len(keys) > 0 {
		obs, err = s.st.Observations(ctx, strategy.ObservationFilter{Org: doc.Org, Indicators: keys, ToYear: year})
		if err != nil {
			return nil, err
		}
	}
	for _, o := range obs {
		p.obs[o.Indicator] = append(p.obs[o.Indicator], o)
	}
	for _, list := range p.obs {
		slices.SortStableFunc(list, func(a, b strategy.Observation) int { return a.Year - b.Year })
	}
	p.sc = scorecard.Evaluate(doc, p.indicators, obs, year)
	return p, nil
}

// indicatorTitle is the indicator's title in the reader's language.
func (p *portalDoc) indicatorTitle(key string) contentText {
	ind, ok := p.indicators[key]
	if !ok {
		return contentText{Text: key}
	}
	return indicatorText(p.l, ind, "title", ind.Title)
}

// indicatorText is a text of an indicator in the reader's language.
func indicatorText(l *i18n.Localizer, ind strategy.Indicator, field, swedish string) contentText {
	return translator{lang: l.Code, tr: ind.Translations}.text(field, swedish)
}

// bodyName is a body's name; names of bodies are proper names and stay
// Swedish.
func (p *portalDoc) bodyName(key string) contentText {
	name := p.bodies[key]
	if name == "" {
		name = key
	}
	if p.l.Code == i18n.Default {
		return contentText{Text: name}
	}
	return contentText{Text: name, Lang: i18n.Default}
}

// statusBadge is a status in the reader's language, symbol and words.
func portalBadge(l *i18n.Localizer, code progress.Status) statusBadge {
	b := statusBadgeOf(code)
	b.Label = l.T("status." + string(code) + ".label")
	return b
}

// portalSummary is a roll-up in the reader's language: the overall status
// and a count per status, best first, leaving out statuses no target has.
type portalSummary struct {
	L      *i18n.Localizer
	Badge  statusBadge
	Total  int
	Line   string // "12 mål: 3 uppnått, 4 på väg …"
	Counts []portalCount
}

type portalCount struct {
	Badge statusBadge
	Count int
}

func newPortalSummary(l *i18n.Localizer, s scorecard.Summary) *portalSummary {
	if s.Total == 0 {
		return nil
	}
	ps := &portalSummary{L: l, Badge: portalBadge(l, s.Code), Total: s.Total}
	var parts []string
	for _, st := range progress.Statuses {
		n := s.Counts[st]
		if n == 0 {
			continue
		}
		ps.Counts = append(ps.Counts, portalCount{Badge: portalBadge(l, st), Count: n})
		parts = append(parts, l.T("portal.summary.part", "Count", n, "N", l.Integer(n), "Status", lowerFirst(l.T("status."+string(st)+".label"))))
	}
	ps.Line = l.T("portal.summary.line", "Count", s.Total, "N", l.Integer(s.Total), "Parts", strings.Join(parts, l.T("portal.list.separator")))
	return ps
}

// portalTarget is one target as the public sees it.
type portalTarget struct {
	L           *i18n.Localizer
	ID          string
	Key         string
	Text        contentText
	Badge       statusBadge
	Meaning     string       // what the status means, in plain words
	Facts       []portalFact // latest value, target value and year
	Explanation contentText  // the engine's sentence: Swedish or English only
	Override    string       // a hand-set assessment's justification
	Genders     []portalGenderStatus
	Indicator   *portalLink
	// Embed is the target's embed code; set on pages that offer it.
	Embed *embedBox
}

type portalFact struct {
	Label string
	Value string
}

type portalGenderStatus struct {
	Gender string
	Badge  statusBadge
}

// portalLink is a link whose text may be a Swedish fallback.
type portalLink struct {
	URL  string
	Text contentText
}

// target builds a target's view from its verdict.
func (p *portalDoc) target(t strategy.Target) portalTarget {
	l := p.l
	st, ok := p.sc.Target(t.Key)
	if !ok {
		st = unassessed()
	}
	v := portalTarget{
		L:       l,
		ID:      "malvarde-" + t.Key,
		Key:     t.Key,
		Text:    p.t.field(strategy.ObjTarget, t.Key, "text", t.Text),
		Badge:   portalBadge(l, st.Code),
		Meaning: l.T("status." + string(st.Code) + ".meaning"),
	}
	unit := ""
	if t.Indicator != "" {
		ind := p.indicators[t.Indicator]
		unit = ind.Unit
		v.Indicator = &portalLink{URL: portalIndicatorURL(p.org.Code, t.Indicator), Text: p.indicatorTitle(t.Indicator)}
		g := t.Gender
		if g == "" {
			g = strategy.Total
		}
		if o, ok := latestObservation(p.obs[t.Indicator], g); ok {
			v.Facts = append(v.Facts, portalFact{Label: l.T("portal.target.latest"),
				Value: l.T("portal.target.valueInYear", "Value", quantity(l, *o.Value, unit), "Year", l.Year(o.Year))})
		} else {
			v.Facts = append(v.Facts, portalFact{Label: l.T("portal.target.latest"), Value: l.T("portal.target.noValue")})
		}
	}
	if t.Value != nil && t.Kind != strategy.TargetRelative {
		val := quantity(l, *t.Value, t.Unit)
		if t.Unit == "" {
			val = quantity(l, *t.Value, unit)
		}
		v.Facts = append(v.Facts, portalFact{Label: l.T("portal.target.value"), Value: l.T("portal.target.comparator."+string(t.Comparator), "Value", val)})
	}
	if t.TargetYear != 0 {
		v.Facts = append(v.Facts, portalFact{Label: l.T("portal.target.year"), Value: l.Year(t.TargetYear)})
	}
	if st.Override != nil {
		v.Override = st.Override.Justification
	}
	switch l.Code {
	case "sv":
		v.Explanation = contentText{Text: st.Explanation.SV}
	case "en":
		v.Explanation = contentText{Text: st.Explanation.EN}
	default:
		v.Explanation = contentText{Text: st.Explanation.SV, Lang: i18n.Default}
	}
	for _, g := range []struct {
		id string
		st *scorecard.Status
	}{{"K", st.Women}, {"M", st.Men}} {
		if g.st != nil {
			v.Genders = append(v.Genders, portalGenderStatus{Gender: l.T("gender." + g.id), Badge: portalBadge(l, g.st.Code)})
		}
	}
	return v
}

// latestObservation is the latest value of the gender in obs (ascending).
func latestObservation(obs []strategy.Observation, g strategy.Gender) (strategy.Observation, bool) {
	for i := len(obs) - 1; i >= 0; i-- {
		if obs[i].Gender == g && obs[i].Value != nil {
			return obs[i], true
		}
	}
	return strategy.Observation{}, false
}

// quantity is a value with its unit in the reader's language: "12,5 %",
// "300 personer", "12.5%".
func quantity(l *i18n.Localizer, v float64, unit string) string {
	n := l.Number(v, i18n.Decimals(v))
	unit = strings.TrimSpace(unit)
	switch unit {
	case "", "antal":
		return n
	}
	return l.T("portal.quantity", "Value", n, "Unit", unitWord(l, unit))
}

// unitWord is a unit in the reader's language; the catalogue knows the
// units the demo and the seeds use, any other stays as written.
func unitWord(l *i18n.Localizer, unit string) string {
	id := "unit." + unitIDs[unit]
	if unitIDs[unit] == "" {
		return unit
	}
	return l.T(id)
}

var unitIDs = map[string]string{
	"%": "percent", "procent": "percent", "personer": "persons", "platser": "places",
	"bostäder": "dwellings", "procentenheter": "percentagePoints", "kr": "kronor", "år": "years",
}

// indicatorSeries is the chart, table and trend text of one indicator's
// values, shared by the goal, indicator and embed pages.
type indicatorSeries struct {
	L         *i18n.Localizer
	ID        string
	Title     contentText
	Unit      string
	Chart     template.HTML
	ChartText string
	Trend     []string // sentences on the trend, in the reader's language
	Columns   []string
	Rows      []seriesRow
	Missing   bool
	Sources   []string // "Källa: Kolada" …
	URL       string   // the indicator's portal page
}

type seriesRow struct {
	Year  string
	Cells []seriesCell
}

type seriesCell struct {
	Text        string
	Missing     bool
	Preliminary bool
}

// newIndicatorSeries builds an indicator's chart and table for the
// organisation from its values (any order), with the target lines given.
func newIndicatorSeries(l *i18n.Localizer, org strategy.Organisation, ind strategy.Indicator, obs []strategy.Observation, lines []chart.TargetLine, idPrefix string) *indicatorSeries {
	title := indicatorText(l, ind, "title", ind.Title)
	is := &indicatorSeries{L: l, ID: idPrefix + ind.Key, Title: title, Unit: ind.Unit, URL: portalIndicatorURL(org.Code, ind.Key)}
	genders := []strategy.Gender{strategy.Total}
	if ind.ByGender() {
		genders = strategy.Genders
	}
	for _, g := range genders {
		is.Columns = append(is.Columns, l.T("gender."+string(g)))
	}
	byYear := map[int]map[strategy.Gender]strategy.Observation{}
	var years []int
	var values []float64
	sources := map[string]bool{}
	for _, o := range obs {
		if byYear[o.Year] == nil {
			byYear[o.Year] = map[strategy.Gender]strategy.Observation{}
			years = append(years, o.Year)
		}
		byYear[o.Year][o.Gender] = o
		if o.Value != nil {
			values = append(values, *o.Value)
			sources[sourceLine(l, ind, o.Source)] = true
		}
	}
	slices.Sort(years)
	dec := i18n.DecimalsFor(values)
	for _, y := range years {
		row := seriesRow{Year: l.Year(y)}
		for _, g := range genders {
			o, ok := byYear[y][g]
			if !ok || o.Value == nil {
				row.Cells = append(row.Cells, seriesCell{Text: i18n.Missing, Missing: true})
				is.Missing = true
				continue
			}
			row.Cells = append(row.Cells, seriesCell{Text: l.Number(*o.Value, dec), Preliminary: o.Preliminary})
		}
		is.Rows = append(is.Rows, row)
	}
	for s := range sources {
		if s != "" {
			is.Sources = append(is.Sources, s)
		}
	}
	slices.Sort(is.Sources)
	if len(values) == 0 {
		return is
	}
	series := make([]chart.Series, len(genders))
	for i, g := range genders {
		series[i].Name = l.T("gender." + string(g))
		for _, y := range years {
			series[i].Points = append(series[i].Points, chart.Point{Year: y, Value: byYear[y][g].Value})
		}
	}
	is.Trend = trendText(l, series, dec, ind.Unit)
	is.ChartText = strings.Join(is.Trend, " ")
	unit := ind.Unit
	if unit == "antal" {
		unit = ""
	}
	is.Chart = chart.Line(chart.Chart{
		ID:          "diagram-" + is.ID,
		Title:       title.Text + ", " + org.Name,
		Description: is.ChartText,
		Unit:        unitWordOrEmpty(l, unit),
		Series:      series,
		Targets:     lines,
		FormatValue: func(v float64) string { return l.Number(v, dec) },
	})
	return is
}

func unitWordOrEmpty(l *i18n.Localizer, unit string) string {
	if unit == "" {
		return ""
	}
	return unitWord(l, unit)
}

// sourceLine names the source of a value: "Källa: Kolada".
func sourceLine(l *i18n.Localizer, ind strategy.Indicator, obsSource string) string {
	src := obsSource
	if src == "" {
		src = ind.Source
	}
	switch {
	case strings.HasPrefix(src, "kolada"):
		return l.T("portal.source.kolada")
	case strings.HasPrefix(src, "scb"):
		return l.T("portal.source.scb")
	}
	return l.T("portal.source.own")
}

// trendText says in plain words how the series went: from the first value
// to the latest, and women's and men's latest values.
func trendText(l *i18n.Localizer, series []chart.Series, dec int, unit string) []string {
	var out []string
	first, last, ok := ends(series[0])
	switch {
	case !ok:
	case first.Year == last.Year:
		out = append(out, l.T("portal.trend.single", "Value", quantity(l, *last.Value, unit), "Year", l.Year(last.Year)))
	default:
		id := "portal.trend.same"
		a, b := roundTo(*first.Value, dec), roundTo(*last.Value, dec)
		switch {
		case b > a:
			id = "portal.trend.up"
		case b < a:
			id = "portal.trend.down"
		}
		out = append(out, l.T(id, "From", quantity(l, *first.Value, unit), "To", quantity(l, *last.Value, unit),
			"FromYear", l.Year(first.Year), "ToYear", l.Year(last.Year)))
	}
	if len(series) == 3 {
		_, w, okW := ends(series[1])
		_, m, okM := ends(series[2])
		if okW && okM && w.Year == m.Year {
			out = append(out, l.T("portal.trend.genders", "Year", l.Year(w.Year),
				"Women", quantity(l, *w.Value, unit), "Men", quantity(l, *m.Value, unit)))
		}
	}
	return out
}

// ends are the first and the last point with a value.
func ends(s chart.Series) (first, last chart.Point, ok bool) {
	pts := slices.Clone(s.Points)
	slices.SortFunc(pts, func(a, b chart.Point) int { return a.Year - b.Year })
	for _, p := range pts {
		if p.Value == nil {
			continue
		}
		if !ok {
			first, ok = p, true
		}
		last = p
	}
	return first, last, ok
}

// roundTo rounds v to the decimals shown, so that the words "increased"
// or "decreased" never contradict two numbers that read the same.
func roundTo(v float64, dec int) float64 {
	p := math.Pow10(dec)
	return math.Round(v*p) / p
}

// targetLines are the lines of the targets measured by the indicator, for
// its chart: threshold targets with a value.
func (p *portalDoc) targetLines(indicator string) []chart.TargetLine {
	var lines []chart.TargetLine
	for _, t := range documentTargets(p.doc) {
		if t.Indicator != indicator || t.Value == nil || t.Kind != strategy.TargetThreshold || t.Gender != "" && t.Gender != strategy.Total {
			continue
		}
		label := p.l.T("portal.chart.target", "Value", p.l.Number(*t.Value, i18n.Decimals(*t.Value)), "Year", p.l.Year(t.TargetYear))
		lines = append(lines, chart.TargetLine{Label: label, Value: *t.Value, Year: t.TargetYear})
	}
	return lines
}

// documentTargets are every target of the document, in document order.
func documentTargets(d strategy.Document) []strategy.Target {
	var out []strategy.Target
	var walk func(goals []strategy.Goal)
	walk = func(goals []strategy.Goal) {
		for _, g := range goals {
			out = append(out, g.Targets...)
			walk(g.Goals)
		}
	}
	for _, a := range d.Areas {
		walk(a.Goals)
	}
	return out
}

// documentKind is a document's kind in the reader's language.
func documentKind(l *i18n.Localizer, k strategy.DocumentKind) string {
	if s, ok := l.Lookup("documentKind." + string(k)); ok {
		return s
	}
	return describe.DocumentKind(k)
}
