package web

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/inkludera/inkludera/internal/demo"
	"github.com/inkludera/inkludera/internal/opendata"
	"github.com/inkludera/inkludera/internal/store"
	"github.com/inkludera/inkludera/internal/strategy"
)

func init() {
	checkedPages["opendata"] = frame[openDataPage]{}
}

// The demo's published documents, and a draft of Östersund's whose only
// indicator is its own: neither the draft nor that indicator is open data.
const (
	odOrg        = "2380"
	odDoc        = "ostersund-integrationsstrategi-2020"
	odOtherOrg   = "2313"
	odOtherDoc   = "stromsund-program-inflyttning-integration-2014"
	odDraft      = "ostersund-utkast"
	odDraftOnly  = "utkastets-indikator"
	odIndicator  = "utrikes-fodda-andel"
	odByteOrder  = "\ufeff"
	odTestYear   = "2026" // testNow's year, the default evaluation year
	odChosenYear = "2021"
)

// newOpenDataEnv serves the demo content plus the draft.
func newOpenDataEnv(t *testing.T) *testEnv {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "opendata.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	bundles, err := demo.Bundles()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Import(ctx, bundles); err != nil {
		t.Fatalf("importing the demo: %v", err)
	}
	org, err := st.Organisation(ctx, odOrg)
	if err != nil {
		t.Fatal(err)
	}
	draft := strategy.Bundle{
		Organisation: &org,
		Bodies:       []strategy.Body{{Key: "ks", Name: "Kommunstyrelsen", Kind: strategy.BodyBoard}},
		Document: &strategy.Document{Key: odDraft, Kind: strategy.KindPlan, Title: "Utkast till handlingsplan",
			Status: strategy.StatusDraft, Indicators: []string{odDraftOnly}},
		Indicators: []strategy.Indicator{{Key: odDraftOnly, Title: "Ännu inte publicerad", Unit: "antal",
			Polarity: strategy.HigherIsBetter, Source: "manual"}},
		Observations: []strategy.Observation{{Indicator: odDraftOnly, Org: odOrg, Year: 2024, Gender: strategy.Total, Value: f(7)}},
	}
	if _, err := st.Import(ctx, []strategy.Bundle{draft}); err != nil {
		t.Fatalf("importing the draft: %v", err)
	}
	return newTestEnvWith(t, st)
}

// attachment checks a download's headers and returns its file name.
func attachment(t *testing.T, res *http.Response, mediaType string) string {
	t.Helper()
	if got := res.Header.Get("Content-Type"); got != mediaType {
		t.Errorf("Content-Type %q, want %q", got, mediaType)
	}
	disposition, params, err := mime.ParseMediaType(res.Header.Get("Content-Disposition"))
	if err != nil || disposition != "attachment" || params["filename"] == "" {
		t.Errorf("Content-Disposition %q, want an attachment with a file name", res.Header.Get("Content-Disposition"))
	}
	return params["filename"]
}

func parseCSV(t *testing.T, body string, excel bool) [][]string {
	t.Helper()
	r := csv.NewReader(strings.NewReader(body))
	if excel {
		if !strings.HasPrefix(body, odByteOrder) {
			t.Fatal("the Excel CSV has no UTF-8 byte order mark")
		}
		r = csv.NewReader(strings.NewReader(strings.TrimPrefix(body, odByteOrder)))
		r.Comma = ';'
	}
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("the CSV does not parse: %v", err)
	}
	if len(recs) < 2 {
		t.Fatalf("the CSV has no rows: %q", recs)
	}
	return recs
}

func unzipBody(t *testing.T, body string) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(strings.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	out := map[string][]byte{}
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		out[zf.Name] = b
	}
	return out
}

// docIndicators are the keys of the indicators a stored document uses.
func docIndicators(t *testing.T, e *testEnv, key string) []string {
	t.Helper()
	doc, err := e.st.Document(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	return doc.IndicatorKeys()
}

func TestOpenDataFiles(t *testing.T) {
	e := newOpenDataEnv(t)
	keys := docIndicators(t, e, odDoc)
	tests := []struct {
		name, target, mediaType, fileName string
		check                             func(t *testing.T, body string)
	}{
		{"document CSV", documentDataURL(odOrg, odDoc, "csv"), mediaCSV, "ostersunds-kommun-ostersund-integrationsstrategi-2020.csv",
			func(t *testing.T, body string) {
				recs := parseCSV(t, body, false)
				if want := append([]string{"document"}, opendata.Columns...); !slices.Equal(recs[0], want) {
					t.Errorf("header %q, want %q", recs[0], want)
				}
				seen := map[string]bool{}
				for _, rec := range recs[1:] {
					if rec[0] != odDoc || rec[3] != odOrg {
						t.Errorf("row of document %q, organisation %q: %q", rec[0], rec[3], rec)
					}
					seen[rec[1]] = true
				}
				if !seen[odIndicator] {
					t.Errorf("no rows of %s", odIndicator)
				}
			}},
		{"document CSV for Excel", documentDataURL(odOrg, odDoc, "csv") + "?excel=1", mediaCSV, "ostersunds-kommun-ostersund-integrationsstrategi-2020-excel.csv",
			func(t *testing.T, body string) {
				recs := parseCSV(t, body, true)
				if recs[0][0] != "document" || len(recs[0]) != len(opendata.Columns)+1 {
					t.Errorf("header %q", recs[0])
				}
				for _, rec := range recs[1:] {
					if strings.Contains(rec[6], ".") {
						t.Errorf("value %q has a decimal point in the Excel file", rec[6])
					}
				}
			}},
		{"document JSON", documentDataURL(odOrg, odDoc, "json"), mediaJSON, "ostersunds-kommun-ostersund-integrationsstrategi-2020.json",
			func(t *testing.T, body string) { checkDocumentJSON(t, body, odTestYear, len(keys)) }},
		{"document JSON as of a chosen year", documentDataURL(odOrg, odDoc, "json") + "?ar=" + odChosenYear, mediaJSON, "",
			func(t *testing.T, body string) { checkDocumentJSON(t, body, odChosenYear, len(keys)) }},
		{"indicator CSV", indicatorDataURL(odOrg, odIndicator, "csv"), mediaCSV, "ostersunds-kommun-utrikes-fodda-andel.csv",
			func(t *testing.T, body string) {
				recs := parseCSV(t, body, false)
				if !slices.Equal(recs[0], opendata.Columns) {
					t.Errorf("header %q, want %q", recs[0], opendata.Columns)
				}
				for _, rec := range recs[1:] {
					if rec[0] != odIndicator || rec[2] != odOrg {
						t.Errorf("row %q", rec)
					}
					// The demo's values are made up and say so, never credited to Kolada.
					if rec[5] != "" && rec[10] != opendata.AttrDemo {
						t.Errorf("attribution %q of a demo value", rec[10])
					}
				}
			}},
		{"indicator CSV for Excel", indicatorDataURL(odOrg, odIndicator, "csv") + "?excel=1", mediaCSV, "ostersunds-kommun-utrikes-fodda-andel-excel.csv",
			func(t *testing.T, body string) { parseCSV(t, body, true) }},
		{"indicator JSON", indicatorDataURL(odOrg, odIndicator, "json"), mediaJSON, "ostersunds-kommun-utrikes-fodda-andel.json",
			func(t *testing.T, body string) {
				var got struct {
					Indicator struct {
						Key, Unit, Source string
						SourceID          string `json:"source_id"`
						SourceName        string `json:"source_name"`
						Attribution       []string
					}
					Organisation struct{ Code string }
					Sources      []opendata.Source
					Observations []struct {
						Year   int
						Gender string
						Value  *float64
					}
				}
				if err := json.Unmarshal([]byte(body), &got); err != nil {
					t.Fatal(err)
				}
				if got.Indicator.Key != odIndicator || got.Indicator.SourceID != "N02926" || got.Indicator.SourceName != "Kolada" ||
					got.Organisation.Code != odOrg || len(got.Observations) == 0 {
					t.Errorf("indicator JSON %+v", got)
				}
				if !slices.Equal(got.Indicator.Attribution, []string{opendata.AttrDemo}) {
					t.Errorf("attribution %q, want the demo label", got.Indicator.Attribution)
				}
			}},
		{"data package", dataPackageURL(odOrg), mediaZip, "oppna-data-ostersunds-kommun.zip",
			func(t *testing.T, body string) {
				files := unzipBody(t, body)
				for _, name := range []string{"README.md", "datapackage.json", "documents/" + odDoc + ".json"} {
					if _, ok := files[name]; !ok {
						t.Errorf("the package has no %s", name)
					}
				}
				for _, k := range keys {
					data, ok := files["indicators/"+k+".csv"]
					if !ok {
						t.Errorf("the package has no indicators/%s.csv", k)
						continue
					}
					if recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll(); err != nil || !slices.Equal(recs[0], opendata.Columns) {
						t.Errorf("indicators/%s.csv: %v %q", k, err, recs)
					}
				}
				if _, ok := files["documents/"+odDraft+".json"]; ok {
					t.Error("the package holds the draft")
				}
				if _, ok := files["indicators/"+odDraftOnly+".csv"]; ok {
					t.Error("the package holds the draft's indicator")
				}
				var desc struct{ Resources []struct{ Path string } }
				if err := json.Unmarshal(files["datapackage.json"], &desc); err != nil || len(desc.Resources) != len(keys)+1 {
					t.Errorf("datapackage.json: %v, %d resources, want %d", err, len(desc.Resources), len(keys)+1)
				}
			}},
		{"Open SDG", openSDGURL(odOrg), mediaZip, "open-sdg-ostersunds-kommun.zip",
			func(t *testing.T, body string) {
				files := unzipBody(t, body)
				for _, k := range keys {
					id := opendata.OpenSDGID(k)
					data, ok := files["data/indicator_"+id+".csv"]
					if !ok {
						t.Errorf("no data/indicator_%s.csv", id)
						continue
					}
					if first, _, _ := strings.Cut(string(data), "\n"); first != "Year,Kön,Value" {
						t.Errorf("data/indicator_%s.csv starts %q", id, first)
					}
					if _, ok := files["meta/"+id+".yml"]; !ok {
						t.Errorf("no meta/%s.yml", id)
					}
				}
				if _, ok := files["data/indicator_"+odDraftOnly+".csv"]; ok {
					t.Error("the Open SDG export holds the draft's indicator")
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The second answer comes from the page cache: the same file with
			// the same headers.
			var first string
			for range 2 {
				res, body := e.do(t, "GET", tt.target)
				if res.StatusCode != http.StatusOK {
					t.Fatalf("GET %s: status %d\n%s", tt.target, res.StatusCode, body)
				}
				if name := attachment(t, res, tt.mediaType); tt.fileName != "" && name != tt.fileName {
					t.Errorf("file name %q, want %q", name, tt.fileName)
				}
				if first == "" {
					first = body
					tt.check(t, body)
				} else if body != first {
					t.Error("the second answer differs from the first")
				}
			}
		})
	}
}

// checkDocumentJSON checks a document's JSON: the evaluation year, every
// indicator, and targets whose statuses say they are own processing.
func checkDocumentJSON(t *testing.T, body, year string, indicators int) {
	t.Helper()
	var got struct {
		Document       struct{ Key string }
		EvaluationYear json.Number   `json:"evaluation_year"`
		OwnProcessing  opendata.Text `json:"own_processing"`
		Indicators     []struct{ Key string }
		Targets        []struct {
			Key    string
			Status *struct{ Code, Processing string }
		}
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatal(err)
	}
	if got.Document.Key != odDoc || got.EvaluationYear.String() != year || got.OwnProcessing.SV == "" {
		t.Errorf("document %q, evaluation year %s (want %s), own processing %q", got.Document.Key, got.EvaluationYear, year, got.OwnProcessing)
	}
	if len(got.Indicators) != indicators {
		t.Errorf("%d indicators, want %d", len(got.Indicators), indicators)
	}
	if len(got.Targets) == 0 {
		t.Fatal("no targets")
	}
	for _, tg := range got.Targets {
		if tg.Status == nil || tg.Status.Code == "" ||
			(tg.Status.Processing != opendata.ProcessingComputed && tg.Status.Processing != opendata.ProcessingManual) {
			t.Errorf("target %s: status %+v, want one labelled as own processing or a manual assessment", tg.Key, tg.Status)
		}
	}
}

// TestOpenDataNotPublished: what is not published is not open data,
// whoever asks, and another organisation's document is not found under
// this one.
func TestOpenDataNotPublished(t *testing.T) {
	e := newOpenDataEnv(t)
	tests := []struct {
		name   string
		target string
		want   int
	}{
		{"the draft's CSV", documentDataURL(odOrg, odDraft, "csv"), http.StatusNotFound},
		{"the draft's JSON", documentDataURL(odOrg, odDraft, "json"), http.StatusNotFound},
		{"the draft's Excel CSV", documentDataURL(odOrg, odDraft, "csv") + "?excel=1", http.StatusNotFound},
		{"an indicator only the draft uses", indicatorDataURL(odOrg, odDraftOnly, "csv"), http.StatusNotFound},
		{"its JSON", indicatorDataURL(odOrg, odDraftOnly, "json"), http.StatusNotFound},
		{"another organisation's document", documentDataURL(odOrg, odOtherDoc, "csv"), http.StatusNotFound},
		{"an unknown document", documentDataURL(odOrg, "finns-inte", "json"), http.StatusNotFound},
		{"an unknown indicator", indicatorDataURL(odOrg, "finns-inte", "csv"), http.StatusNotFound},
		{"an unknown organisation", dataPackageURL("9999"), http.StatusNotFound},
		{"an unknown organisation's page", openDataOrgURL("9999"), http.StatusNotFound},
		{"a bad excel parameter", indicatorDataURL(odOrg, odIndicator, "csv") + "?excel=ja", http.StatusBadRequest},
		{"a bad year", documentDataURL(odOrg, odDoc, "json") + "?ar=20025", http.StatusBadRequest},
		{"the other organisation's own document", documentDataURL(odOtherOrg, odOtherDoc, "csv"), http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, u := range []*strategy.User{nil, testAdmin} {
				res, body := e.as(t, u, "GET", tt.target, nil, "")
				if res.StatusCode != tt.want {
					t.Errorf("GET %s as %v: status %d, want %d\n%.300s", tt.target, u, res.StatusCode, tt.want, body)
				}
			}
		})
	}
}

// TestOpenDataOrgWithoutPublished: an organisation with only a draft has
// no open data (testBundles: Östersund's strategy is a draft).
func TestOpenDataOrgWithoutPublished(t *testing.T) {
	e := newTestEnv(t)
	for _, target := range []string{openDataOrgURL("2380"), dataPackageURL("2380"), openSDGURL("2380"),
		documentDataURL("2380", "ostersund-strategi", "csv"), openDataOrgURL("23")} {
		if res, body := e.do(t, "GET", target); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404\n%.300s", target, res.StatusCode, body)
		}
	}
	// Strömsund's values: a citation and a hand entry are the municipality's
	// own, a stored missing value is empty, never 0.
	res, body := e.do(t, "GET", indicatorDataURL("2313", "folkmangd", "csv"))
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d\n%s", res.StatusCode, body)
	}
	for _, rec := range parseCSV(t, body, false)[1:] {
		if rec[3] == "2006" && rec[4] == "T" && rec[5] != "" {
			t.Errorf("the missing 2006 value is written as %q", rec[5])
		}
		if rec[5] != "" && rec[10] != opendata.AttrOwn {
			t.Errorf("a value cited from the programme is attributed to %q", rec[10])
		}
	}
}

// TestOpenDataPage: the page lists every file with its size, the terms of
// the sources in use, the Open SDG steps and the API, in every language,
// without accessibility problems.
func TestOpenDataPage(t *testing.T) {
	e := newOpenDataEnv(t)
	keys := docIndicators(t, e, odDoc)
	for _, lang := range []string{"sv", "en", "ar"} {
		t.Run(lang, func(t *testing.T) {
			req := httptest.NewRequest("GET", openDataOrgURL(odOrg)+"?lang="+lang, nil)
			res, body := e.send(t, req)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status %d\n%s", res.StatusCode, body)
			}
			if !strings.Contains(body, `<html lang="`+lang+`"`) {
				t.Errorf("the page is not in %s", lang)
			}
			if strings.Contains(body, "⟦") {
				t.Errorf("a message is missing from the catalogue: %s", body[strings.Index(body, "⟦"):][:80])
			}
			for _, u := range []string{dataPackageURL(odOrg), openSDGURL(odOrg), "/api/v1/openapi.json",
				documentDataURL(odOrg, odDoc, "csv"), documentDataURL(odOrg, odDoc, "csv") + "?excel=1", documentDataURL(odOrg, odDoc, "json"),
				portalDocumentURL(odOrg, odDoc)} {
				if !strings.Contains(body, `href="`+u+`"`) {
					t.Errorf("no link to %s", u)
				}
			}
			for _, k := range keys {
				if !strings.Contains(body, `href="`+indicatorDataURL(odOrg, k, "json")+`"`) {
					t.Errorf("no link to the JSON of %s", k)
				}
			}
			if strings.Contains(body, odDraft) || strings.Contains(body, odDraftOnly) {
				t.Error("the page names the draft or its indicator")
			}
			if n := strings.Count(body, `class="file-size">(`); n != 2+3*(1+len(keys)) {
				t.Errorf("%d file sizes, want one per file (%d)", n, 2+3*(1+len(keys)))
			}
			for _, p := range htmlProblems(body) {
				// htmlcheck knows Swedish pages only; the language is checked above.
				if lang != "sv" && strings.HasPrefix(p, "<html lang>") {
					continue
				}
				t.Error(p)
			}
		})
	}
	_, sv := e.do(t, "GET", openDataOrgURL(odOrg)+"?lang=sv")
	for _, s := range []string{"Öppna data: Östersunds kommun", "Demovärden", "Statistics Canadas", "InputYamlMeta", "aldrig 0"} {
		if !strings.Contains(sv, s) {
			t.Errorf("the Swedish page does not say %q", s)
		}
	}
	// The demo's values are all made up: Kolada's terms are not stated as
	// if Kolada had published them.
	if strings.Contains(sv, "Koladas villkor") {
		t.Error("the page states Kolada's terms though no value is Kolada's")
	}
}
