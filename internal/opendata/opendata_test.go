package opendata

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/inkludera/inkludera/internal/demo"
	"github.com/inkludera/inkludera/internal/strategy"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/ from the current output")

func f(v float64) *float64 { return &v }

var made = time.Date(2026, time.March, 15, 0, 0, 0, 0, time.UTC)

// fixture is a small organisation with every kind of value the files must
// tell apart: Kolada, SCB, the organisation's own (a citation, a hand
// entry, a real 0), demonstration values, a stored missing value, a year
// where women and men are missing, a preliminary value, SCB's ".." and a
// title with a comma.
func fixture() Package {
	org := strategy.Organisation{Code: "2313", Name: "Strömsunds kommun", Kind: strategy.OrgKommun, County: "23"}
	inds := []strategy.Indicator{
		{Key: "utrikes-fodda-andel", Title: "Utrikes födda, andel", Description: "Andel av invånarna som är födda utomlands.",
			Unit: "%", Polarity: strategy.Neutral, Source: "kolada:N02926", Breakdowns: []string{"gender"}},
		{Key: "inflyttade", Title: "Inflyttade personer", Unit: "personer", Polarity: strategy.HigherIsBetter, Source: "manual"},
		{Key: "arbetslosa-utrikes", Title: "Arbetslöshet bland utrikes födda", Unit: "%", Polarity: strategy.LowerIsBetter,
			Source: "scb:TAB5001?Fodelseregion=11"},
		{Key: "arbetslosa-inrikes", Title: "Arbetslöshet bland inrikes födda", Unit: "%", Polarity: strategy.LowerIsBetter,
			Source: "scb:AM/AM0210/ArbStatusM"},
		{Key: "nojdhet", Title: "Nöjdhet med mottagandet", Unit: "%", Polarity: strategy.HigherIsBetter, Source: "demo"},
	}
	citation := "Program för inflyttning och integration 2014–2015, avsnitt 10"
	o := func(ind string, year int, g strategy.Gender, v *float64, source string) strategy.Observation {
		return strategy.Observation{Indicator: ind, Org: org.Code, Year: year, Gender: g, Value: v, Source: source}
	}
	obs := []strategy.Observation{
		o("utrikes-fodda-andel", 2015, strategy.Total, f(8.1), "kolada"),
		o("utrikes-fodda-andel", 2015, strategy.Women, f(8.0), "kolada"),
		o("utrikes-fodda-andel", 2015, strategy.Men, f(8.2), "kolada"),
		o("utrikes-fodda-andel", 2016, strategy.Total, f(8.4), "kolada"),
		o("utrikes-fodda-andel", 2017, strategy.Total, f(8.7), "kolada"),
		{Indicator: "utrikes-fodda-andel", Org: org.Code, Year: 2019, Gender: strategy.Total, Value: f(9.4), Source: "kolada", Preliminary: true},
		o("utrikes-fodda-andel", 2020, strategy.Total, nil, "kolada"),
		// Another organisation's value is never written.
		{Indicator: "utrikes-fodda-andel", Org: "2380", Year: 2019, Gender: strategy.Total, Value: f(12.5), Source: "kolada"},
		o("inflyttade", 2017, strategy.Total, f(280), citation),
		o("inflyttade", 2018, strategy.Total, f(310), ""),
		o("inflyttade", 2019, strategy.Total, f(0), "file"),
		o("arbetslosa-utrikes", 2019, strategy.Total, f(14.3), "scb"),
		{Indicator: "arbetslosa-utrikes", Org: org.Code, Year: 2020, Gender: strategy.Total, Status: "..", Source: "scb"},
		o("arbetslosa-inrikes", 2019, strategy.Total, f(5.2), "scb"),
		o("nojdhet", 2018, strategy.Total, f(60), "demo"),
		o("nojdhet", 2019, strategy.Total, f(65), "demo"),
	}
	doc := strategy.Document{
		Key: "stromsund-program", Org: org.Code, Kind: strategy.KindProgramme,
		Title:  "Program för inflyttning och integration 2014–2015",
		Status: strategy.StatusAdopted, Adopted: strategy.Adoption{By: "kf", Reference: "KF 2014-04-16 § 24"},
		Indicators: []string{"nojdhet"},
		Areas: []strategy.Area{{
			Key: "inflyttning", Title: "Inflyttning", Indicators: []string{"inflyttade"},
			Goals: []strategy.Goal{{
				Key: "mal-fler", Level: strategy.GoalLongTerm, Title: "Fler invånare",
				Targets: []strategy.Target{
					{Key: "t-utrikes-10", Text: "Minst 10 % är utrikes födda år 2020", Kind: strategy.TargetThreshold,
						Comparator: strategy.AtLeast, Value: f(10), Unit: "%", BaseYear: 2015, TargetYear: 2020, Indicator: "utrikes-fodda-andel"},
					{Key: "t-inflyttade", Text: "Minst 300 flyttar hit varje år", Kind: strategy.TargetPerYear,
						Comparator: strategy.AtLeast, Value: f(300), Indicator: "inflyttade"},
				},
				Goals: []strategy.Goal{{
					Key: "delmal-arbete", Level: strategy.GoalSub, Title: "Fler i arbete",
					Targets: []strategy.Target{
						{Key: "t-relativ", Text: "Arbetslösheten bland utrikes födda ska inte vara högre än bland inrikes födda",
							Kind: strategy.TargetRelative, Comparator: strategy.AtMost, Indicator: "arbetslosa-utrikes",
							ReferenceIndicator: "arbetslosa-inrikes",
							Assessment: &strategy.Assessment{Status: strategy.LimitedProgress, By: "amn",
								Justification: "Arbetsförmedlingens siffror visar att skillnaden minskar långsamt"}},
					},
				}},
			}},
		}},
	}
	return Package{Org: org, Documents: []strategy.Document{doc}, Indicators: inds, Observations: obs, Year: 2021,
		Made: made, PortalURL: "https://inkludera.example.se/portal/2313"}
}

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/opendata -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the output; if the change is deliberate, run go test ./internal/opendata -update and read the diff.\n%s",
			path, firstDifference(string(want), string(got)))
	}
}

func firstDifference(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return "line " + strconv.Itoa(i+1) + ":\nwant " + wl + "\ngot  " + gl
		}
	}
	return ""
}

func write(t *testing.T, fn func(io.Writer) error) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := fn(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestGoldenFiles(t *testing.T) {
	p := fixture()
	ind := p.IndicatorData(p.Indicators[0])
	doc := p.Document(p.Documents[0])
	tests := []struct {
		name  string
		write func(io.Writer) error
	}{
		{"indicator.csv", func(w io.Writer) error { return WriteIndicatorCSV(w, ind, RFC4180) }},
		{"indicator-excel.csv", func(w io.Writer) error { return WriteIndicatorCSV(w, ind, Excel) }},
		{"indicator.json", func(w io.Writer) error { return WriteIndicatorJSON(w, ind) }},
		{"document.csv", func(w io.Writer) error { return WriteDocumentCSV(w, doc, RFC4180) }},
		{"document-excel.csv", func(w io.Writer) error { return WriteDocumentCSV(w, doc, Excel) }},
		{"document.json", func(w io.Writer) error { return WriteDocumentJSON(w, doc) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			golden(t, tt.name, write(t, tt.write))
		})
	}
	t.Run("datapackage", func(t *testing.T) {
		for name, data := range unzip(t, write(t, func(w io.Writer) error { return WritePackage(w, p) })) {
			golden(t, filepath.Join("datapackage", name), data)
		}
	})
	t.Run("open-sdg", func(t *testing.T) {
		for name, data := range unzip(t, write(t, func(w io.Writer) error { return WriteOpenSDG(w, p) })) {
			golden(t, filepath.Join("open-sdg", name), data)
		}
	})
}

// unzip reads every entry of a zip, checking each carries the package's
// time.
func unzip(t *testing.T, b []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	out := map[string][]byte{}
	for _, zf := range zr.File {
		if !zf.Modified.Equal(made) {
			t.Errorf("%s: modified %v, want %v", zf.Name, zf.Modified, made)
		}
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		out[zf.Name] = data
	}
	return out
}

// readCSV parses a file as the dialect's reader would.
func readCSV(t *testing.T, b []byte, dialect Dialect) [][]string {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(b))
	if dialect == Excel {
		if !bytes.HasPrefix(b, []byte(utf8BOM)) {
			t.Fatal("the Excel CSV does not start with a UTF-8 byte order mark")
		}
		r = csv.NewReader(bytes.NewReader(b[len(utf8BOM):]))
		r.Comma = ';'
	} else if bytes.HasPrefix(b, []byte(utf8BOM)) {
		t.Fatal("the plain CSV starts with a byte order mark")
	}
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("the CSV does not parse: %v", err)
	}
	return recs
}

func TestIndicatorCSVParsesBack(t *testing.T) {
	p := fixture()
	for _, tt := range []struct {
		name    string
		dialect Dialect
		decimal string
	}{
		{"RFC 4180", RFC4180, "8.1"},
		{"Excel", Excel, "8,1"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			recs := readCSV(t, write(t, func(w io.Writer) error {
				return WriteIndicatorCSV(w, p.IndicatorData(p.Indicators[0]), tt.dialect)
			}), tt.dialect)
			if !slices.Equal(recs[0], Columns) {
				t.Fatalf("header %q, want %q", recs[0], Columns)
			}
			cell := map[string][]string{} // "year gender" → record
			for _, rec := range recs[1:] {
				if len(rec) != len(Columns) {
					t.Fatalf("record %q has %d cells, want %d", rec, len(rec), len(Columns))
				}
				if rec[2] != "2313" {
					t.Errorf("a row of organisation %s: %q", rec[2], rec)
				}
				cell[rec[3]+" "+rec[4]] = rec
			}
			// Years with any value × T, K, M: 2015, 2016, 2017, 2019, 2020.
			if len(recs)-1 != 5*3 {
				t.Errorf("%d rows, want 15 (5 years × 3 genders)", len(recs)-1)
			}
			for _, c := range []struct {
				key, value, prelim, attribution string
			}{
				{"2015 T", tt.decimal, "false", "Kolada"},
				{"2016 K", "", "", ""}, // no observation: nothing claimed
				{"2019 T", strings.Replace("9.4", ".", tt.decimal[1:2], 1), "true", "Kolada"},
				{"2020 T", "", "false", "Kolada"}, // stored as missing
			} {
				rec, ok := cell[c.key]
				if !ok {
					t.Errorf("no row %s", c.key)
					continue
				}
				if rec[5] != c.value || rec[8] != c.prelim || rec[10] != c.attribution {
					t.Errorf("%s: value %q preliminary %q attribution %q, want %q %q %q", c.key, rec[5], rec[8], rec[10], c.value, c.prelim, c.attribution)
				}
			}
		})
	}
}

func TestMissingIsNeverZero(t *testing.T) {
	p := fixture()
	// inflyttade has a real 0 (2019); arbetslosa-utrikes a missing ".." (2020).
	for _, key := range []string{"inflyttade", "arbetslosa-utrikes"} {
		var ind strategy.Indicator
		for _, i := range p.Indicators {
			if i.Key == key {
				ind = i
			}
		}
		recs := readCSV(t, write(t, func(w io.Writer) error { return WriteIndicatorCSV(w, p.IndicatorData(ind), RFC4180) }), RFC4180)
		for _, rec := range recs[1:] {
			switch rec[3] {
			case "2019":
				if key == "inflyttade" && rec[5] != "0" {
					t.Errorf("%s 2019: a real 0 written as %q", key, rec[5])
				}
			case "2020":
				if rec[5] != "" || rec[7] != ".." {
					t.Errorf("%s 2020: missing value written as %q with status %q, want empty with \"..\"", key, rec[5], rec[7])
				}
			}
		}
		var got struct {
			Observations []struct {
				Year  int
				Value *float64
			}
		}
		if err := json.Unmarshal(write(t, func(w io.Writer) error { return WriteIndicatorJSON(w, p.IndicatorData(ind)) }), &got); err != nil {
			t.Fatal(err)
		}
		for _, o := range got.Observations {
			if o.Year == 2020 && o.Value != nil {
				t.Errorf("%s 2020 in JSON: value %v, want null", key, *o.Value)
			}
			if o.Year == 2019 && key == "inflyttade" && (o.Value == nil || *o.Value != 0) {
				t.Errorf("%s 2019 in JSON: value %v, want 0", key, o.Value)
			}
		}
	}
	// Open SDG leaves missing values out.
	files := unzip(t, write(t, func(w io.Writer) error { return WriteOpenSDG(w, p) }))
	recs := readCSV(t, files["data/indicator_arbetslosa-utrikes.csv"], RFC4180)
	if len(recs) != 2 || recs[1][0] != "2019" || recs[1][2] != "14.3" {
		t.Errorf("Open SDG arbetslosa-utrikes = %q, want the header and 2019 only", recs)
	}
}

func TestAttribution(t *testing.T) {
	kolada := strategy.Indicator{Source: "kolada:N02926"}
	scb := strategy.Indicator{Source: "scb:TAB4823"}
	manual := strategy.Indicator{Source: "manual"}
	tests := []struct {
		name string
		ind  strategy.Indicator
		src  string
		want string
	}{
		{"fetched from Kolada", kolada, "kolada", "Kolada"},
		{"fetched from SCB", scb, "SCB", "SCB"},
		{"no source: the indicator's", kolada, "", "Kolada"},
		{"demo values on a Kolada indicator", kolada, "demo", AttrDemo},
		{"a citation on a Kolada indicator", kolada, "Program 2014, avsnitt 10", "Egen uppgift"},
		{"an uploaded file", scb, "file", "Egen uppgift"},
		{"a manual indicator", manual, "", "Egen uppgift"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Attribution(tt.ind, tt.src); got != tt.want {
				t.Errorf("Attribution(%q, %q) = %q, want %q", tt.ind.Source, tt.src, got, tt.want)
			}
		})
	}
}

func TestDocumentJSONLabelsOwnProcessing(t *testing.T) {
	p := fixture()
	var got struct {
		EvaluationYear int  `json:"evaluation_year"`
		OwnProcessing  Text `json:"own_processing"`
		Sources        []Source
		Indicators     []struct {
			Key    string
			UsedIn []use `json:"used_in"`
		}
		Targets []struct {
			Key    string
			Status *struct {
				Code       string
				Processing string
				Method     string
				Assessment *strategy.Assessment
				Computed   *struct{ Code, Processing string }
			}
		}
	}
	if err := json.Unmarshal(write(t, func(w io.Writer) error { return WriteDocumentJSON(w, p.Document(p.Documents[0])) }), &got); err != nil {
		t.Fatal(err)
	}
	if got.EvaluationYear != 2021 || !strings.Contains(got.OwnProcessing.SV, "egen bearbetning") || !strings.Contains(got.OwnProcessing.EN, "osdg_target") {
		t.Errorf("evaluation year %d, own processing %q", got.EvaluationYear, got.OwnProcessing)
	}
	var keys []string
	for _, ind := range got.Indicators {
		keys = append(keys, ind.Key)
	}
	// The document's own, the area's, the targets' and the reference series.
	if want := []string{"nojdhet", "inflyttade", "utrikes-fodda-andel", "arbetslosa-utrikes", "arbetslosa-inrikes"}; !slices.Equal(keys, want) {
		t.Errorf("indicators %q, want %q", keys, want)
	}
	if u := got.Indicators[4].UsedIn; len(u) != 1 || u[0] != (use{Kind: "reference", Key: "t-relativ"}) {
		t.Errorf("arbetslosa-inrikes used in %v, want the reference of t-relativ", u)
	}
	var attrs []string
	for _, s := range got.Sources {
		attrs = append(attrs, s.Attribution)
	}
	if want := []string{AttrKolada, AttrSCB, AttrOwn, AttrDemo}; !slices.Equal(attrs, want) {
		t.Errorf("sources %q, want %q", attrs, want)
	}
	if len(got.Targets) != 3 {
		t.Fatalf("%d targets, want 3", len(got.Targets))
	}
	for _, tg := range got.Targets {
		st := tg.Status
		if st == nil || st.Code == "" || st.Method == "" {
			t.Errorf("%s: status %+v", tg.Key, st)
			continue
		}
		switch tg.Key {
		case "t-relativ":
			if st.Processing != ProcessingManual || st.Assessment == nil || st.Computed == nil || st.Computed.Processing != ProcessingComputed {
				t.Errorf("t-relativ: a hand-set status must be labelled as such with the computed one beside it: %+v", st)
			}
		default:
			if st.Processing != ProcessingComputed || st.Assessment != nil {
				t.Errorf("%s: processing %q, want %q", tg.Key, st.Processing, ProcessingComputed)
			}
		}
	}
}

func TestPackage(t *testing.T) {
	p := fixture()
	b := write(t, func(w io.Writer) error { return WritePackage(w, p) })
	if again := write(t, func(w io.Writer) error { return WritePackage(w, p) }); !bytes.Equal(b, again) {
		t.Error("the same package written twice differs")
	}
	files := unzip(t, b)
	var names []string
	for n := range files {
		names = append(names, n)
	}
	slices.Sort(names)
	want := []string{"README.md", "datapackage.json", "documents/stromsund-program.json",
		"indicators/arbetslosa-inrikes.csv", "indicators/arbetslosa-utrikes.csv", "indicators/inflyttade.csv",
		"indicators/nojdhet.csv", "indicators/utrikes-fodda-andel.csv"}
	if !slices.Equal(names, want) {
		t.Fatalf("files %q, want %q", names, want)
	}
	var desc struct {
		Name      string
		Licenses  []Licence
		Resources []struct {
			Name, Path string
			Bytes      int
			Schema     *struct {
				Fields []struct{ Name string }
			}
		}
	}
	if err := json.Unmarshal(files["datapackage.json"], &desc); err != nil {
		t.Fatal(err)
	}
	if desc.Name != "inkludera-2313-stromsunds-kommun" {
		t.Errorf("name %q", desc.Name)
	}
	if len(desc.Licenses) != 2 || desc.Licenses[0].Path != KoladaTermsURL || desc.Licenses[1].Name != "CC0-1.0" {
		t.Errorf("licenses %+v, want Kolada's terms and SCB's CC0", desc.Licenses)
	}
	for _, r := range desc.Resources {
		data, ok := files[r.Path]
		if !ok {
			t.Errorf("resource %s: no file %s", r.Name, r.Path)
			continue
		}
		if r.Bytes != len(data) {
			t.Errorf("resource %s: bytes %d, file has %d", r.Name, r.Bytes, len(data))
		}
		if strings.HasSuffix(r.Path, ".csv") {
			recs := readCSV(t, data, RFC4180)
			var fields []string
			for _, f := range r.Schema.Fields {
				fields = append(fields, f.Name)
			}
			if !slices.Equal(fields, recs[0]) {
				t.Errorf("%s: schema fields %q, header %q", r.Path, fields, recs[0])
			}
		}
	}
	readme := string(files["README.md"])
	for _, s := range []string{"# Öppna data: Strömsunds kommun", "# Open data: Strömsunds kommun", "2026-03-15",
		"Källa: Kolada", "Källa: SCB", "CC0", "Egen bearbetning", "Own processing", "aldrig 0", "never 0",
		"https://inkludera.example.se/portal/2313"} {
		if !strings.Contains(readme, s) {
			t.Errorf("the README does not say %q", s)
		}
	}
	p.Made = made.AddDate(0, 0, 1)
	if other := write(t, func(w io.Writer) error { return WritePackage(w, p) }); bytes.Equal(b, other) {
		t.Error("a package made on another day has the same bytes")
	}
}

func TestOpenSDG(t *testing.T) {
	p := fixture()
	files := unzip(t, write(t, func(w io.Writer) error { return WriteOpenSDG(w, p) }))
	for _, ind := range p.Indicators {
		id := OpenSDGID(ind.Key)
		data, ok := files["data/indicator_"+id+".csv"]
		if !ok {
			t.Errorf("no data file for %s", ind.Key)
			continue
		}
		if first, _, _ := strings.Cut(string(data), "\n"); first != "Year,Kön,Value" {
			t.Errorf("%s: header %q, want exactly Year,Kön,Value", id, first)
		}
		var meta map[string]any
		if err := yaml.Unmarshal(files["meta/"+id+".yml"], &meta); err != nil {
			t.Fatalf("meta/%s.yml: %v", id, err)
		}
		for k, want := range map[string]any{
			"indicator_name": ind.Title, "indicator_number": ind.Key, "graph_type": "line",
			"reporting_status": "complete", "published": true, "data_non_statistical": false,
			"source_active_1": true, "standalone": true, "permalink": id,
		} {
			if meta[k] != want {
				t.Errorf("meta/%s.yml: %s = %v, want %v", id, k, meta[k], want)
			}
		}
	}
	recs := readCSV(t, files["data/indicator_utrikes-fodda-andel.csv"], RFC4180)
	want := [][]string{{"Year", "Kön", "Value"}, {"2015", "", "8.1"}, {"2015", "Kvinnor", "8"}, {"2015", "Män", "8.2"},
		{"2016", "", "8.4"}, {"2017", "", "8.7"}, {"2019", "", "9.4"}}
	if !slices.EqualFunc(recs, want, slices.Equal) {
		t.Errorf("utrikes-fodda-andel = %q, want %q", recs, want)
	}
}

func TestOpenSDGID(t *testing.T) {
	for key, want := range map[string]string{
		"utrikes-fodda-andel": "utrikes-fodda-andel",
		"sfi_klarat.2":        "sfi-klarat-2",
		"n02926":              "n02926",
	} {
		if got := OpenSDGID(key); got != want {
			t.Errorf("OpenSDGID(%q) = %q, want %q", key, got, want)
		}
	}
	// Keys that give the same id are told apart.
	p := fixture()
	p.Indicators = []strategy.Indicator{{Key: "a-b", Title: "A"}, {Key: "a_b", Title: "B"}}
	files := unzip(t, write(t, func(w io.Writer) error { return WriteOpenSDG(w, p) }))
	for _, name := range []string{"data/indicator_a-b.csv", "data/indicator_a-b-2.csv", "meta/a-b.yml", "meta/a-b-2.yml"} {
		if _, ok := files[name]; !ok {
			t.Errorf("no %s", name)
		}
	}
}

// TestDemoData writes every file of the demo organisations: real content
// the portal serves, checked for shape rather than byte for byte.
func TestDemoData(t *testing.T) {
	bundles, err := demo.Bundles()
	if err != nil {
		t.Fatal(err)
	}
	inds := map[string]strategy.Indicator{}
	var obs []strategy.Observation
	for _, b := range bundles {
		for _, ind := range b.Indicators {
			inds[ind.Key] = ind
		}
		obs = append(obs, b.Observations...)
	}
	for _, b := range bundles {
		if b.Document == nil || b.Organisation == nil {
			continue
		}
		doc := *b.Document
		doc.Org = b.Organisation.Code
		p := Package{Org: *b.Organisation, Documents: []strategy.Document{doc}, Year: 2021, Made: made}
		for _, k := range doc.IndicatorKeys() {
			p.Indicators = append(p.Indicators, inds[k])
		}
		for _, o := range obs {
			if o.Org == "" {
				o.Org = p.Org.Code
			}
			p.Observations = append(p.Observations, o)
		}
		t.Run(p.Org.Name, func(t *testing.T) {
			files := unzip(t, write(t, func(w io.Writer) error { return WritePackage(w, p) }))
			if len(files) != 2+len(p.Indicators)+1 {
				t.Errorf("%d files, want README, datapackage.json, %d indicators and a document", len(files), len(p.Indicators))
			}
			for name, data := range files {
				if strings.HasSuffix(name, ".csv") {
					readCSV(t, data, RFC4180)
				}
				if strings.HasSuffix(name, ".json") && !json.Valid(data) {
					t.Errorf("%s is not valid JSON", name)
				}
			}
			osdg := unzip(t, write(t, func(w io.Writer) error { return WriteOpenSDG(w, p) }))
			if len(osdg) != 1+2*len(p.Indicators) {
				t.Errorf("Open SDG: %d files, want README and 2 per indicator (%d)", len(osdg), len(p.Indicators))
			}
		})
	}
}
