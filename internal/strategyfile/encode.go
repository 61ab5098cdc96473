package strategyfile

import (
	"io"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/inkludera/inkludera/internal/strategy"
)

// Encode writes bundles as a strategy file, one YAML document per bundle
// separated by "---". What it writes reads back into the same bundles.
func Encode(w io.Writer, bundles []strategy.Bundle) error {
	if len(bundles) == 0 {
		// An empty file reads back as no bundles; yaml.v3's encoder
		// refuses to close a stream it wrote nothing to.
		return nil
	}
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	for _, b := range bundles {
		if err := enc.Encode(toFileDoc(b)); err != nil {
			return err
		}
	}
	return enc.Close()
}

func toFileDoc(b strategy.Bundle) fileDoc {
	d := fileDoc{
		Inkludera:    FormatVersion,
		Organisation: b.Organisation,
		Bodies:       b.Bodies,
		Document:     b.Document,
		Indicators:   b.Indicators,
	}
	org := ""
	if b.Organisation != nil {
		org = b.Organisation.Code
	}
	d.Observations = toSeries(b.Observations, org)
	return d
}

// seriesKey is what the values of one series share.
type seriesKey struct {
	indicator, org, source, sourceURL string
	fetchedAt                         time.Time
}

// toSeries groups observations into series (in order of first appearance)
// and each series into rows by year, so that a file lists a year once per
// series unless genders differ in status or preliminary flag.
func toSeries(obs []strategy.Observation, defaultOrg string) []series {
	var out []series
	at := map[seriesKey]int{}
	type rowKey struct {
		year        int
		status      string
		preliminary bool
	}
	rows := map[seriesKey]map[rowKey]int{}
	for _, o := range obs {
		k := seriesKey{o.Indicator, o.Org, o.Source, o.SourceURL, o.FetchedAt}
		si, ok := at[k]
		if !ok {
			s := series{Indicator: o.Indicator, Source: o.Source, SourceURL: o.SourceURL}
			if o.Org != defaultOrg {
				s.Org = o.Org
			}
			if !o.FetchedAt.IsZero() {
				t := o.FetchedAt
				s.FetchedAt = &t
			}
			si = len(out)
			at[k] = si
			rows[k] = map[rowKey]int{}
			out = append(out, s)
		}
		rk := rowKey{o.Year, o.Status, o.Preliminary}
		ri, ok := rows[k][rk]
		if !ok || hasGender(out[si].Values[ri], o.Gender) {
			ri = len(out[si].Values)
			rows[k][rk] = ri
			out[si].Values = append(out[si].Values, row{Year: o.Year, Status: o.Status, Preliminary: o.Preliminary, Values: map[strategy.Gender]*float64{}})
		}
		out[si].Values[ri].Values[o.Gender] = o.Value
	}
	return out
}

func hasGender(r row, g strategy.Gender) bool {
	_, ok := r.Values[g]
	return ok
}
