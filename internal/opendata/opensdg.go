package opendata

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/inkludera/inkludera/internal/describe"
	"github.com/inkludera/inkludera/internal/strategy"
)

// The Open SDG export is what an Open SDG data repository reads
// (open-sdg/open-sdg docs/data-format.md, docs/metadata-format.md,
// docs/indicator-configuration.md; open-sdg/sdg-build's InputCsvData and
// InputYamlMeta):
//
//   - data/indicator_<id>.csv: the columns Year, the disaggregation Kön,
//     Value. "Year" first and "Value" last, case-sensitive; a blank
//     disaggregation cell means "all", so the total has an empty Kön and
//     women and men are "Kvinnor" and "Män"; a missing value is left out
//     (Open SDG reads a blank Value as missing, but a row per gap says
//     nothing more).
//   - meta/<id>.yml: indicator_name, indicator_number, graph_type (line),
//     graph_title, computation_units, national_geographical_coverage (the
//     label of the headline series: the organisation), source_active_N,
//     source_organisation_N, source_url_N, source_url_text_N per source of
//     the values, reporting_status, published, data_non_statistical
//     (false: the data can be charted), and data_footnote with the credit.
//
// Ids. Open SDG's ids are the SDG numbers with hyphens ("1-1-1"), read as
// goal-target-indicator. Inkludera's indicators are not SDG indicators,
// so the id is derived from the indicator's key instead (OpenSDGID), and
// the metadata marks each indicator standalone: true with permalink: <id>,
// Open SDG's way of showing indicators outside the goal hierarchy; its
// indicator_number is the key itself.
//
// reporting_status is "complete" for an indicator with values and
// "notstarted" for one without any yet.

// OpenSDGID is the Open SDG id of an indicator key: the key as a slug,
// lower-case ASCII letters, digits and hyphens ("utrikes-fodda-andel";
// "sfi_klarat.2" → "sfi-klarat-2"), so that it is safe in file names and
// Open SDG's URLs. Keys that give the same slug are told apart by
// WriteOpenSDG with a suffix "-2", "-3".
func OpenSDGID(key string) string {
	if s := strategy.Slug(key); s != "" {
		return s
	}
	return "indikator"
}

// OpenSDGHeader is the header of every Open SDG data file.
var OpenSDGHeader = []string{"Year", "Kön", "Value"}

// openSDGGender is the Kön cell of a gender: blank for the total.
var openSDGGender = map[strategy.Gender]string{strategy.Total: "", strategy.Women: "Kvinnor", strategy.Men: "Män"}

// WriteOpenSDG writes the Open SDG export of the package's indicators as a
// zip: README.md (how to use it, Swedish and English), data/ and meta/ as
// described above. Entries carry the time p.Made.
func WriteOpenSDG(w io.Writer, p Package) error {
	zw := zip.NewWriter(w)
	if err := addFile(zw, "README.md", []byte(openSDGReadme(p)), p.Made); err != nil {
		return err
	}
	used := map[string]int{}
	for _, ind := range p.Indicators {
		id := OpenSDGID(ind.Key)
		used[id]++
		if n := used[id]; n > 1 {
			id += "-" + strconv.Itoa(n)
		}
		rs := rows(ind, p.Org.Code, p.Observations)
		var data bytes.Buffer
		values, err := writeOpenSDGData(&data, rs)
		if err != nil {
			return err
		}
		metaYAML, err := openSDGMeta(ind, p.Org, id, rs, values > 0)
		if err != nil {
			return err
		}
		if err := addFile(zw, "data/indicator_"+id+".csv", data.Bytes(), p.Made); err != nil {
			return err
		}
		if err := addFile(zw, "meta/"+id+".yml", metaYAML, p.Made); err != nil {
			return err
		}
	}
	return zw.Close()
}

// writeOpenSDGData writes Year,Kön,Value with a row per value that is not
// missing, and returns how many rows it wrote.
func writeOpenSDGData(w io.Writer, rs []row) (int, error) {
	cw := csv.NewWriter(w) // LF line ends, as the data repositories keep their files
	if err := cw.Write(OpenSDGHeader); err != nil {
		return 0, err
	}
	n := 0
	for _, r := range rs {
		if r.Obs == nil || r.Obs.Value == nil {
			continue // missing: left out, never 0
		}
		if err := cw.Write([]string{strconv.Itoa(r.Year), openSDGGender[r.Gender], formatValue(*r.Obs.Value, RFC4180)}); err != nil {
			return n, err
		}
		n++
	}
	cw.Flush()
	return n, cw.Error()
}

// openSDGMeta is an indicator's meta/<id>.yml, its fields in a fixed order.
func openSDGMeta(ind strategy.Indicator, org strategy.Organisation, id string, rs []row, hasValues bool) ([]byte, error) {
	m := &yaml.Node{Kind: yaml.MappingNode}
	str := func(k, v string) {
		m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: k},
			&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v})
	}
	boolean := func(k string, v bool) {
		m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: k},
			&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(v)})
	}
	status := "complete"
	if !hasValues {
		status = "notstarted"
	}
	str("indicator_name", ind.Title)
	str("indicator_number", ind.Key)
	boolean("standalone", true)
	str("permalink", id)
	str("reporting_status", status)
	boolean("published", true)
	boolean("data_non_statistical", false)
	str("graph_type", "line")
	str("graph_title", ind.Title+", "+org.Name)
	if ind.Unit != "" {
		str("computation_units", ind.Unit)
	}
	str("national_geographical_coverage", org.Name)
	var credits []string
	for i, a := range attributions(ind, rs) {
		src := SourceOf(a, org.Name)
		n := strconv.Itoa(i + 1)
		boolean("source_active_"+n, true)
		str("source_organisation_"+n, strings.TrimPrefix(src.Credit, "Källa: "))
		url, text := src.URL, src.Credit
		if _, refURL := sourceRef(ind); refURL != "" && Attribution(ind, "") == a {
			// The values are the indicator's own source's: link the series.
			url, text = refURL, describe.SourceDescription(ind, org.Name)
		}
		if url != "" {
			str("source_url_"+n, url)
			str("source_url_text_"+n, text)
		}
		credits = append(credits, src.Credit)
	}
	str("data_footnote", strings.Join(credits, ". ")+".")
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(m); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// openSDGReadme tells how to use the export.
func openSDGReadme(p Package) string {
	var b strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	line("# Open SDG: %s", p.Org.Name)
	line("")
	line("Gjord %s av Inkludera ur de publicerade styrdokumenten från %s.", p.Made.Format("2006-01-02"), p.Org.Name)
	line("")
	line("- `data/indicator_<id>.csv`: värdena med kolumnerna Year, Kön och Value. Totalen har tomt Kön; kvinnor och män heter Kvinnor och Män. Saknade värden är utelämnade, aldrig 0.")
	line("- `meta/<id>.yml`: indikatorns metadata med Open SDG:s fältnamn.")
	line("")
	line("Lägg mapparna data och meta i ett Open SDG-datarepositorium och läs dem med sdg-builds InputCsvData (data/indicator_*.csv) och InputYamlMeta (meta/*.yml).")
	line("Id är indikatorns nyckel i Inkludera skriven med små bokstäver, siffror och bindestreck. Indikatorerna hör inte till de globala hållbarhetsmålen och är därför fristående (standalone: true) med id som adress (permalink).")
	line("Ange källan som data_footnote anger (till exempel ”Källa: Kolada”). Måluppfyllelsen finns inte här; den finns i Inkluderas datapaket och är Inkluderas egen bearbetning.")
	line("")
	line("# Open SDG: %s", p.Org.Name)
	line("")
	line("Made on %s by Inkludera from the published governing documents of %s.", p.Made.Format("2006-01-02"), p.Org.Name)
	line("")
	line("- `data/indicator_<id>.csv`: the values with the columns Year, Kön (gender) and Value. The total has an empty Kön; women and men are Kvinnor and Män. Missing values are left out, never 0.")
	line("- `meta/<id>.yml`: the indicator's metadata with Open SDG's field names.")
	line("")
	line("Put the folders data and meta in an Open SDG data repository and read them with sdg-build's InputCsvData (data/indicator_*.csv) and InputYamlMeta (meta/*.yml).")
	line("The id is the indicator's key in Inkludera in lower-case letters, digits and hyphens. The indicators are not global SDG indicators, so they are standalone (standalone: true) with the id as their address (permalink).")
	line("Credit the source data_footnote names (for example “Källa: Kolada”). Target statuses are not included; they are in Inkludera's data package and are Inkludera's own processing.")
	return b.String()
}
