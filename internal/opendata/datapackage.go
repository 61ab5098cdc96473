package opendata

import (
	"archive/zip"
	"bytes"
	"io"
	"time"

	"github.com/inkludera/inkludera/internal/strategy"
)

// The data package follows the Frictionless Data Package specification
// v1 (https://specs.frictionlessdata.io/data-package/): datapackage.json
// at the top with name (lower case, digits, "-", "_", "."), title,
// licenses (each with an Open Definition id as name and/or a path, and a
// title), sources, created and resources; the indicators' CSV files are
// tabular data resources with a Table Schema, the documents' JSON files
// plain resources.

// descriptor is datapackage.json.
type descriptor struct {
	Profile     string     `json:"profile"`
	Name        string     `json:"name"`
	Title       string     `json:"title"`
	Description string     `json:"description"`
	Homepage    string     `json:"homepage,omitempty"`
	Created     string     `json:"created"`
	Licenses    []Licence  `json:"licenses"`
	Sources     []dpSource `json:"sources"`
	Resources   []resource `json:"resources"`
}

type dpSource struct {
	Title string `json:"title"`
	Path  string `json:"path,omitempty"`
}

type resource struct {
	Profile   string       `json:"profile,omitempty"`
	Name      string       `json:"name"`
	Path      string       `json:"path"`
	Title     string       `json:"title"`
	Format    string       `json:"format"`
	MediaType string       `json:"mediatype"`
	Encoding  string       `json:"encoding"`
	Bytes     int          `json:"bytes"`
	Sources   []dpSource   `json:"sources,omitempty"`
	Schema    *tableSchema `json:"schema,omitempty"`
}

// tableSchema is a Table Schema (https://specs.frictionlessdata.io/table-schema/).
type tableSchema struct {
	Fields        []field  `json:"fields"`
	MissingValues []string `json:"missingValues"`
	PrimaryKey    []string `json:"primaryKey"`
}

type field struct {
	Name        string `json:"name"`
	Type        string `json:"type"`
	Description string `json:"description"`
}

// indicatorSchema describes Columns.
var indicatorSchema = tableSchema{
	Fields: []field{
		{"indicator", "string", "Indikatorns nyckel i Inkludera. The indicator's key in Inkludera."},
		{"title", "string", "Indikatorns namn. The indicator's title."},
		{"org", "string", "Organisationens kod hos SCB (kommunkod, länskod). The organisation's SCB code."},
		{"year", "integer", "År. Year."},
		{"gender", "string", "T = totalt, K = kvinnor, M = män. T = total, K = women, M = men."},
		{"value", "number", "Värdet; tomt när det saknas (aldrig 0 för ett saknat värde). The value; empty when missing (never 0 for a missing value)."},
		{"unit", "string", "Enhet. Unit."},
		{"status", "string", "Källans statustecken, till exempel SCB:s \"..\". The source's status symbol, e.g. SCB's \"..\"."},
		{"preliminary", "boolean", "true om källan kan revidera värdet. true when the source may still revise the value."},
		{"source", "string", "Källan som värdet hämtades från (kolada, scb, demo eller en hänvisning). Where the value came from (kolada, scb, demo or a citation)."},
		{"attribution", "string", "Kolada, SCB, Egen uppgift (organisationens egen uppgift) eller demovärden. Kolada, SCB, Egen uppgift (the organisation's own figure) or demonstration values."},
	},
	MissingValues: []string{""},
	PrimaryKey:    []string{"indicator", "org", "year", "gender"},
}

// WritePackage writes the organisation's data package as a zip:
//
//	README.md             what is inside, sources, licences, attribution,
//	                      own processing, the date made (Swedish and English)
//	datapackage.json      the Frictionless Data Package descriptor
//	indicators/<key>.csv  each indicator's values (WriteIndicatorCSV, RFC 4180)
//	documents/<key>.json  each document's data with target statuses
//	                      (WriteDocumentJSON)
//
// Every entry carries the time p.Made, so the same package gives the same
// bytes.
func WritePackage(w io.Writer, p Package) error {
	type file struct {
		name string
		data []byte
	}
	var files []file
	desc := descriptor{
		Profile:     "data-package",
		Name:        packageName(p.Org),
		Title:       "Öppna data från Inkludera: " + p.Org.Name,
		Description: "Indikatorer och mål i de publicerade styrdokumenten från " + p.Org.Name + ". Indicators and targets of the published governing documents of " + p.Org.Name + ". Se README.md. See README.md.",
		Homepage:    p.PortalURL,
		Created:     p.Made.UTC().Format(time.RFC3339),
		Licenses:    []Licence{},
		Sources:     []dpSource{},
	}
	all := map[string]bool{}
	for _, ind := range p.Indicators {
		var buf bytes.Buffer
		d := p.IndicatorData(ind)
		if err := WriteIndicatorCSV(&buf, d, RFC4180); err != nil {
			return err
		}
		name := "indicators/" + ind.Key + ".csv"
		files = append(files, file{name, buf.Bytes()})
		schema := indicatorSchema
		r := resource{
			Profile: "tabular-data-resource", Name: "indicator-" + ind.Key, Path: name, Title: ind.Title,
			Format: "csv", MediaType: "text/csv", Encoding: "utf-8", Bytes: buf.Len(), Schema: &schema,
		}
		for _, a := range attributions(ind, rows(ind, p.Org.Code, p.Observations)) {
			all[a] = true
			src := SourceOf(a, p.Org.Name)
			r.Sources = append(r.Sources, dpSource{Title: src.Credit, Path: src.URL})
		}
		desc.Resources = append(desc.Resources, r)
	}
	for _, doc := range p.Documents {
		var buf bytes.Buffer
		if err := WriteDocumentJSON(&buf, p.Document(doc)); err != nil {
			return err
		}
		name := "documents/" + doc.Key + ".json"
		files = append(files, file{name, buf.Bytes()})
		desc.Resources = append(desc.Resources, resource{
			Name: "document-" + doc.Key, Path: name, Title: doc.Title,
			Format: "json", MediaType: "application/json", Encoding: "utf-8", Bytes: buf.Len(),
		})
	}
	srcs := sources(all, p.Org.Name)
	for _, s := range srcs {
		if s.Licence != nil {
			desc.Licenses = append(desc.Licenses, *s.Licence)
		}
		desc.Sources = append(desc.Sources, dpSource{Title: s.Credit, Path: s.URL})
	}

	var descJSON bytes.Buffer
	if err := writeJSON(&descJSON, desc); err != nil {
		return err
	}
	readme := packageReadme(p, srcs)
	zw := zip.NewWriter(w)
	entries := append([]file{{"README.md", []byte(readme)}, {"datapackage.json", descJSON.Bytes()}}, files...)
	for _, f := range entries {
		if err := addFile(zw, f.name, f.data, p.Made); err != nil {
			return err
		}
	}
	return zw.Close()
}

// packageName is the package's name: "inkludera-2380-ostersunds-kommun".
func packageName(org strategy.Organisation) string {
	name := "inkludera-" + strategy.Slug(org.Code)
	if s := strategy.Slug(org.Name); s != "" {
		name += "-" + s
	}
	return name
}

// addFile stores one zip entry, compressed, with the given time.
func addFile(zw *zip.Writer, name string, data []byte, modified time.Time) error {
	fw, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: modified.UTC()})
	if err != nil {
		return err
	}
	_, err = fw.Write(data)
	return err
}
