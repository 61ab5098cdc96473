package web

import (
	"html/template"
	"net/http"
	"slices"
	"strings"

	"github.com/inkludera/inkludera/internal/chart"
	"github.com/inkludera/inkludera/internal/describe"
	"github.com/inkludera/inkludera/internal/fetch"
	"github.com/inkludera/inkludera/internal/i18n"
	"github.com/inkludera/inkludera/internal/scorecard"
	"github.com/inkludera/inkludera/internal/strategy"
)

// indicatorPage shows an indicator's values for one organisation: a table
// year × gender, a chart with the organisation's targets, and attribution.
type indicatorPage struct {
	Title          string
	Key            string
	Description    string
	Unit           string
	OrgName        string
	OrgCode        string
	Source         string // where the indicator's values come from, with the source's id
	Columns        []string
	Rows           []indicatorRow
	HasMissing     bool
	HasPreliminary bool
	HasMethodBreak bool
	Attributions   []string // "Källa: Kolada" …: of the values shown, each once
	Chart          template.HTML
	ChartText      string
	Targets        []indicatorTarget
	Year           int // the year the targets' statuses are assessed as of
	APIURL         string
}

type indicatorRow struct {
	Year  int
	Cells []indicatorCell
}

type indicatorCell struct {
	Text        string
	Missing     bool
	Preliminary bool
	// MethodBreak marks the first value from SCB's successor table.
	MethodBreak bool
}

// indicatorTarget is a target of one of the organisation's documents that
// this indicator measures.
type indicatorTarget struct {
	Document    link
	Target      link
	Requirement string
	Status      statusView
}

// pageIndicator handles GET /indikatorer/{key}?org=CODE.
func (s *server) pageIndicator(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	key := r.PathValue("key")
	code, err := orgParam(r, true)
	if err != nil {
		return err
	}
	year, yearGiven, err := s.evaluationYear(r, "ar", true)
	if err != nil {
		return err
	}
	ind, err := s.st.Indicator(ctx, key)
	if err != nil {
		return notFoundAs(err, "Det finns ingen indikator med nyckeln %q.", key)
	}
	org, err := s.st.Organisation(ctx, code)
	if err != nil {
		return notFoundAs(err, "Det finns ingen organisation med koden %s.", code)
	}
	obs, err := s.st.Observations(ctx, strategy.ObservationFilter{Org: code, Indicators: []string{key}})
	if err != nil {
		return err
	}
	targets, lines, err := s.targetsMeasuredBy(r, ind, org, year, yearGiven)
	if err != nil {
		return err
	}

	p := indicatorPage{
		Title:       ind.Title,
		Key:         ind.Key,
		Description: ind.Description,
		Unit:        ind.Unit,
		OrgName:     org.Name,
		OrgCode:     org.Code,
		Source:      sourceDescription(ind, org.Name),
		Targets:     targets,
		Year:        year,
		APIURL:      "/api/v1/indicators/" + ind.Key + "/observations?org=" + org.Code,
	}
	genders := []strategy.Gender{strategy.Total}
	if ind.ByGender() {
		genders = strategy.Genders
	}
	for _, g := range genders {
		p.Columns = append(p.Columns, genderLabel(g))
	}

	// One row per year that has any observation; a gender without one that
	// year is missing, shown as such.
	byYear := map[int]map[strategy.Gender]strategy.Observation{}
	var years []int
	var values []float64
	attributions := map[string]bool{}
	for _, o := range obs {
		if byYear[o.Year] == nil {
			byYear[o.Year] = map[strategy.Gender]strategy.Observation{}
			years = append(years, o.Year)
		}
		byYear[o.Year][o.Gender] = o
		if o.Value != nil {
			values = append(values, *o.Value)
			attributions[attribution(ind, o.Source, org.Name)] = true
		}
	}
	slices.Sort(years)
	decimals := i18n.DecimalsFor(values)
	for _, y := range years {
		row := indicatorRow{Year: y}
		for _, g := range genders {
			o, ok := byYear[y][g]
			if !ok || o.Value == nil {
				row.Cells = append(row.Cells, indicatorCell{Text: i18n.Missing, Missing: true})
				p.HasMissing = true
				continue
			}
			brk := o.Status == fetch.MethodBreakStatus
			row.Cells = append(row.Cells, indicatorCell{Text: i18n.FormatNumber(*o.Value, decimals), Preliminary: o.Preliminary, MethodBreak: brk})
			p.HasPreliminary = p.HasPreliminary || o.Preliminary
			p.HasMethodBreak = p.HasMethodBreak || brk
		}
		p.Rows = append(p.Rows, row)
	}
	for a := range attributions {
		if a != "" {
			p.Attributions = append(p.Attributions, a)
		}
	}
	slices.Sort(p.Attributions)

	if len(values) > 0 {
		series := make([]chart.Series, len(genders))
		for i, g := range genders {
			series[i].Name = genderLabel(g)
			for _, y := range years {
				series[i].Points = append(series[i].Points, chart.Point{Year: y, Value: byYear[y][g].Value})
			}
		}
		p.ChartText = chartText(series, lines, decimals, ind.Unit)
		unit := ind.Unit
		if unit == "antal" {
			unit = "" // "13 112 antal" reads wrong; a count needs no unit
		}
		p.Chart = chart.Line(chart.Chart{
			ID:          "diagram-" + ind.Key,
			Title:       ind.Title + ", " + org.Name,
			Description: p.ChartText,
			Unit:        unit,
			Series:      series,
			Targets:     lines,
		})
	}
	return render(s, w, r, http.StatusOK, "indicator", p)
}

// targetsMeasuredBy finds every target of the organisation's documents that
// the indicator measures, with its status as of the year, and the target
// lines to draw for those with a value. A year the reader chose (?ar=) is
// carried on in the links to the documents, so both pages agree. Documents
// the reader may not see are left out, targets and lines alike.
func (s *server) targetsMeasuredBy(r *http.Request, ind strategy.Indicator, org strategy.Organisation, year int, yearGiven bool) ([]indicatorTarget, []chart.TargetLine, error) {
	ctx := r.Context()
	docs, err := s.st.Documents(ctx, org.Code)
	if err != nil {
		return nil, nil, err
	}
	docs = s.visibleDocuments(r, docs)
	var targets []indicatorTarget
	var lines []chart.TargetLine
	for _, summary := range docs {
		doc, err := s.st.Document(ctx, summary.Key)
		if err != nil {
			return nil, nil, err
		}
		refTitles := map[string]string{}
		docURL := documentURL(doc.Key)
		if yearGiven {
			docURL += "?ar=" + i18n.FormatYear(year)
		}
		// The scorecard is built only for documents that have a target on
		// the indicator: most documents of an organisation have none.
		var sc *scorecard.Scorecard
		var scErr error
		status := func(t strategy.Target, req string) statusView {
			if sc == nil && scErr == nil {
				sc, scErr = scorecard.Build(ctx, s.st, doc, year)
			}
			st := unassessed() // replaced below unless the build failed, which is returned
			if sc != nil {
				if found, ok := sc.Target(t.Key); ok {
					st = found
				}
			}
			unit := t.Unit
			if unit == "" {
				unit = ind.Unit
			}
			return newStatusView(*st, statusContext{unit: unit, requirement: req})
		}
		var walk func([]strategy.Goal)
		walk = func(goals []strategy.Goal) {
			for _, g := range goals {
				for _, t := range g.Targets {
					if t.Indicator != ind.Key {
						continue
					}
					ref := ""
					if t.ReferenceIndicator != "" {
						if _, ok := refTitles[t.ReferenceIndicator]; !ok {
							if ri, err := s.st.Indicator(ctx, t.ReferenceIndicator); err == nil {
								refTitles[t.ReferenceIndicator] = ri.Title
							}
						}
						ref = refTitles[t.ReferenceIndicator]
					}
					req := requirement(t, ref)
					if t.Gender != "" && t.Gender != strategy.Total {
						req += " (" + strings.ToLower(genderLabel(t.Gender)) + ")"
					}
					targets = append(targets, indicatorTarget{
						Document:    link{URL: docURL, Text: doc.Title},
						Target:      link{URL: docURL + "#malvarde-" + t.Key, Text: t.Text},
						Requirement: req,
						Status:      status(t, req),
					})
					if (t.Kind == strategy.TargetThreshold || t.Kind == strategy.TargetPerYear) && t.Value != nil {
						line := chart.TargetLine{Label: "Mål: " + req, Value: *t.Value}
						if t.Kind == strategy.TargetThreshold {
							line.Year = t.TargetYear // a per-year target holds every year
						}
						lines = append(lines, line)
					}
				}
				walk(g.Goals)
			}
		}
		for _, a := range doc.Areas {
			walk(a.Goals)
		}
		if scErr != nil {
			return nil, nil, scErr
		}
	}
	return targets, lines, nil
}

// chartText is the chart's text alternative: the first and last value of
// each series and the targets (describe.ChartText).
func chartText(series []chart.Series, lines []chart.TargetLine, decimals int, unit string) string {
	return describe.ChartText(series, lines, decimals, unit)
}
