package report

import (
	"slices"
	"strings"

	"github.com/inkludera/inkludera/internal/chart"
	"github.com/inkludera/inkludera/internal/describe"
	"github.com/inkludera/inkludera/internal/i18n"
	"github.com/inkludera/inkludera/internal/strategy"
)

// Figure is a series as every rendering shows it: a chart, which HTML
// draws as inline SVG (chart.Line) and other formats can draw or rasterise
// from the same description, its Description being the text alternative;
// and the table of its values, the cells already in Swedish form.
type Figure struct {
	Title   string // the indicator's
	Chart   chart.Chart
	Caption string // the table's
	Columns []string
	Rows    []DataRow
	// Attributions credit the values: "Källa: Kolada".
	Attributions string
	// Preliminary is set when a year has preliminary values, marked "*".
	Preliminary bool
}

type DataRow struct {
	Year  int
	Cells []DataCell
}

type DataCell struct {
	Text    string
	Missing bool
}

// TargetFigure is a target's series (and its reference series) with its
// target line and the years a per-year target was met; nil when the series
// has no value.
func TargetFigure(f *FollowUp, t Target) *Figure {
	return figureOf(f, "diagram-"+t.Key, t.Indicator, t.Reference, t.TargetLine, t.PerYear)
}

// ContextFigure is an indicator followed without a target, in the document
// ("dokument") or an area ("omrade-KEY"), which makes its chart's id unique.
func ContextFigure(f *FollowUp, scope string, ind Indicator) *Figure {
	return figureOf(f, "diagram-"+scope+"-"+ind.Key, &ind, nil, nil, nil)
}

// figureOf is the chart and table of a series, with a reference series, a
// target line and the years a per-year target was met, each when given;
// nil when the series has no value.
func figureOf(f *FollowUp, chartID string, ind, ref *Indicator, line *TargetLine, perYears []YearMet) *Figure {
	if ind == nil || !hasValue(ind.Series) {
		return nil
	}
	genders := ind.Series.Genders()
	v := &Figure{
		Title:   ind.Title,
		Caption: ind.Title + ", " + f.Organisation.Name + ", år för år (" + UnitText(ind.Unit) + ")",
		Columns: []string{"År"},
	}
	var series []chart.Series
	for _, g := range genders {
		name := describe.Gender(g)
		v.Columns = append(v.Columns, name)
		s := chart.Series{Name: name}
		for _, y := range ind.Series.Years {
			s.Points = append(s.Points, chart.Point{Year: y.Year, Value: y.Value(g)})
		}
		series = append(series, s)
	}
	if ref != nil && !hasValue(ref.Series) {
		ref = nil
	}
	var refSeries chart.Series
	if ref != nil {
		v.Columns = append(v.Columns, "Jämförelseserie")
		refSeries = chart.Series{Name: "Jämförelseserie"}
		for _, y := range ref.Series.Years {
			refSeries.Points = append(refSeries.Points, chart.Point{Year: y.Year, Value: y.Total})
		}
	}
	met := map[int]bool{}
	perYear := len(perYears) > 0
	if perYear {
		v.Columns = append(v.Columns, "Målet nått")
		for _, y := range perYears {
			met[y.Year] = y.Met
		}
	}

	// one row per year either series has
	years := map[int]bool{}
	var order []int
	for _, s := range [][]SeriesYear{ind.Series.Years, seriesYears(ref)} {
		for _, y := range s {
			if !years[y.Year] {
				years[y.Year] = true
				order = append(order, y.Year)
			}
		}
	}
	slices.Sort(order)
	byYear := func(s []SeriesYear, year int) (SeriesYear, bool) {
		for _, y := range s {
			if y.Year == year {
				return y, true
			}
		}
		return SeriesYear{}, false
	}
	for _, year := range order {
		row := DataRow{Year: year}
		y, _ := byYear(ind.Series.Years, year)
		v.Preliminary = v.Preliminary || y.Preliminary
		for _, g := range genders {
			row.Cells = append(row.Cells, valueCell(y.Value(g), ind.Series.Decimals, ind.Unit, y.Preliminary))
		}
		if ref != nil {
			ry, _ := byYear(ref.Series.Years, year)
			v.Preliminary = v.Preliminary || ry.Preliminary
			row.Cells = append(row.Cells, valueCell(ry.Total, ref.Series.Decimals, ref.Unit, ry.Preliminary))
		}
		if perYear {
			m, ok := met[year]
			switch {
			case !ok:
				row.Cells = append(row.Cells, DataCell{Text: i18n.Missing, Missing: true})
			case m:
				row.Cells = append(row.Cells, DataCell{Text: "Ja"})
			default:
				row.Cells = append(row.Cells, DataCell{Text: "Nej"})
			}
		}
		v.Rows = append(v.Rows, row)
	}

	attr := append([]string{}, ind.Attributions...)
	if ref != nil {
		for _, a := range ref.Attributions {
			if !slices.Contains(attr, a) {
				attr = append(attr, a)
			}
		}
		slices.Sort(attr)
	}
	v.Attributions = strings.Join(attr, ". ")

	var lines []chart.TargetLine
	if line != nil {
		lines = append(lines, chart.TargetLine{Label: line.Label, Value: line.Value, Year: line.Year})
	}
	desc := describe.ChartText(series, lines, ind.Series.Decimals, ind.Unit)
	all := series
	if ref != nil {
		all = append(all, refSeries)
		if s := describe.ChartText([]chart.Series{{Name: describe.Gender(strategy.Total), Points: refSeries.Points}}, nil, ref.Series.Decimals, ref.Unit); s != "" {
			desc += " Jämförelseserien, " + ref.Title + ": " + strings.TrimPrefix(s, "Värdet var ")
		}
	}
	unit := ind.Unit
	if strings.TrimSpace(unit) == "antal" {
		unit = "" // "13 112 antal" reads wrong; a count needs no unit
	}
	v.Chart = chart.Chart{
		ID:          chartID,
		Title:       ind.Title + ", " + f.Organisation.Name,
		Description: desc,
		Unit:        unit,
		Series:      all,
		Targets:     lines,
	}
	return v
}

func seriesYears(ind *Indicator) []SeriesYear {
	if ind == nil {
		return nil
	}
	return ind.Series.Years
}

func hasValue(s Series) bool {
	for _, y := range s.Years {
		if y.Total != nil || y.Women != nil || y.Men != nil {
			return true
		}
	}
	return false
}

// valueCell formats a value the Swedish way: "10,5 %", "1 234"; a missing
// value is a dash that says so to screen readers.
func valueCell(v *float64, decimals int, unit string, preliminary bool) DataCell {
	if v == nil {
		return DataCell{Text: i18n.Missing, Missing: true}
	}
	var s string
	if strings.TrimSpace(unit) == "%" {
		s = i18n.FormatPercent(*v, decimals)
	} else {
		s = i18n.FormatNumber(*v, decimals)
	}
	if preliminary {
		s += "*"
	}
	return DataCell{Text: s}
}
