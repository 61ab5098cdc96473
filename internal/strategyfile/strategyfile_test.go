package strategyfile

import (
	"bytes"
	"errors"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/inkludera/inkludera/internal/strategy"
)

// docExample returns the complete example of docs/strategy-file.md, so the
// documentation cannot drift from what the decoder accepts.
func docExample(t *testing.T) []byte {
	t.Helper()
	doc, err := os.ReadFile("../../docs/strategy-file.md")
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := bytes.Cut(doc, []byte("## A complete example"))
	if !ok {
		t.Fatal("docs/strategy-file.md has no complete example")
	}
	m := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindSubmatch(after)
	if m == nil {
		t.Fatal("the complete example has no yaml block")
	}
	return m[1]
}

func loadString(t *testing.T, files map[string]string) ([]strategy.Bundle, error) {
	t.Helper()
	fsys := fstest.MapFS{}
	var names []string
	for name, content := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(content)}
		if strings.HasSuffix(name, ".yaml") {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return LoadFS(fsys, names, nil)
}

func TestDocumentedExampleIsValid(t *testing.T) {
	bundles, err := loadString(t, map[string]string{"example.yaml": string(docExample(t))})
	if err != nil {
		t.Fatalf("the documented example does not load:\n%v", err)
	}
	b := bundles[0]
	if b.Document.Org != "2380" || len(b.Document.Areas[0].Goals[0].Targets) != 1 || len(b.Observations) != 6 {
		t.Errorf("unexpected bundle: org %q, observations %d", b.Document.Org, len(b.Observations))
	}
	// The example shows the fields of action plans and activities.
	plan := b.Document.ActionPlans[0]
	a := plan.Activities[0]
	if plan.Status != strategy.PlanDecided || plan.Decision.Reference == "" || plan.Decision.On.IsZero() {
		t.Errorf("the example's plan should be beslutad with its decision: %+v", plan)
	}
	if a.Progress == nil || a.FollowUp.IsZero() || a.Time == "" || a.Responsible == "" {
		t.Errorf("the example's first activity should show progress, follow_up, time and responsible: %+v", a)
	}
}

func TestThreeMistakesAreAllReportedWithLines(t *testing.T) {
	_, err := LoadFiles([]string{"testdata/three-mistakes.yaml"}, nil)
	var probs Problems
	if !errors.As(err, &probs) {
		t.Fatalf("want Problems, got %v", err)
	}
	want := []string{
		`testdata/three-mistakes.yaml:25:15: comparator: a threshold target needs at_least, at_most or about, got "minst"`,
		`testdata/three-mistakes.yaml:36:15: indicator: no indicator has the key "kommunmottagna"`,
		`testdata/three-mistakes.yaml:47:25: T: "8,6" is not a number (use a decimal point, ~ for missing)`,
	}
	var got []string
	for _, p := range probs {
		got = append(got, p.String())
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestProblems(t *testing.T) {
	const head = "organisation: {code: \"2380\", name: Östersund, kind: kommun}\n"
	tests := []struct {
		name  string
		files map[string]string
		want  []string // substrings, one per problem, in order
	}{
		{
			name:  "unknown field",
			files: map[string]string{"a.yaml": head + "bodys: []\n"},
			want:  []string{"a.yaml:2:1: field bodys not found"},
		},
		{
			name:  "syntax error",
			files: map[string]string{"a.yaml": head + "bodies: [\n"},
			want:  []string{"a.yaml:2: did not find expected node content"},
		},
		{
			name: "missing required field reported at its parent",
			files: map[string]string{"a.yaml": head + `document:
  key: d
  kind: strategi
  status: utkast
`},
			want: []string{"a.yaml:2:1: title: is required"},
		},
		{
			name:  "wrong organisation code",
			files: map[string]string{"a.yaml": "organisation: {code: \"238\", name: X, kind: kommun}\n"},
			want:  []string{`a.yaml:1:16: code: a kommun's code has four digits (SCB kommunkod), got "238"`},
		},
		{
			name: "gender on an indicator without breakdown",
			files: map[string]string{"a.yaml": head + `indicators:
  - {key: i, title: I, unit: antal, polarity: higher, source: manual}
observations:
  - indicator: i
    values:
      - {year: 2020, T: 1, K: 2}
`},
			want: []string{`a.yaml:7:31: gender: indicator "i" has no breakdown by gender, so only T is allowed`},
		},
		{
			name: "csv errors name file, row and column",
			files: map[string]string{
				"dir/a.yaml": head + `indicators:
  - {key: i, title: I, unit: antal, polarity: higher, source: manual}
observation_files: [values.csv]
`,
				"dir/values.csv": "org,indicator,year,gender,value\n2380,i,2020,T,\"12,3,4\"\n2380,i,tjugo,T,1\n,x,2021,T,1\n",
			},
			want: []string{
				`dir/values.csv:2:5: value: "12,3,4" is not a number`,
				`dir/values.csv:3:3: year: "tjugo" is not a whole number`,
				`dir/values.csv:4:2: indicator: no indicator has the key "x"`,
			},
		},
		{
			name:  "missing csv file",
			files: map[string]string{"a.yaml": head + "observation_files: [nope.csv]\n"},
			want:  []string{"a.yaml:2:21: cannot read nope.csv: no such file"},
		},
		{
			name: "indicator defined differently in two files",
			files: map[string]string{
				"a.yaml": "indicators:\n  - {key: i, title: I, unit: antal, polarity: higher, source: manual}\n",
				"b.yaml": "indicators:\n  - {key: i, title: Annan, unit: antal, polarity: higher, source: manual}\n",
			},
			want: []string{`b.yaml:2:5: indicator "i" is defined differently in a.yaml:2`},
		},
		{
			name: "value given twice",
			files: map[string]string{"a.yaml": head + `indicators:
  - {key: i, title: I, unit: antal, polarity: higher, source: manual}
observations:
  - indicator: i
    values:
      - {year: 2020, T: 1}
      - {year: 2020, T: 2}
`},
			want: []string{`a.yaml:8:16: year: a value for i 2380 2020 T is given twice`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := loadString(t, tt.files)
			var probs Problems
			if !errors.As(err, &probs) {
				t.Fatalf("want Problems, got %v", err)
			}
			if len(probs) != len(tt.want) {
				t.Fatalf("got %d problems, want %d:\n%v", len(probs), len(tt.want), probs)
			}
			for i, w := range tt.want {
				if !strings.Contains(probs[i].String(), w) {
					t.Errorf("problem %d = %q, want it to contain %q", i, probs[i].String(), w)
				}
			}
		})
	}
}

func TestMissingValueIsNotLeftOut(t *testing.T) {
	bundles, err := loadString(t, map[string]string{"a.yaml": `organisation: {code: "2313", name: Strömsund, kind: kommun}
indicators:
  - {key: i, title: I, unit: antal, polarity: higher, source: manual, breakdowns: [gender]}
observations:
  - indicator: i
    values:
      - {year: 2004, T: ~, K: 0}
`})
	if err != nil {
		t.Fatal(err)
	}
	obs := bundles[0].Observations
	if len(obs) != 2 {
		t.Fatalf("want T and K, got %+v", obs)
	}
	if obs[0].Gender != strategy.Total || obs[0].Value != nil {
		t.Errorf("T should be present and missing, got %+v", obs[0])
	}
	if obs[1].Gender != strategy.Women || obs[1].Value == nil || *obs[1].Value != 0 {
		t.Errorf("K should be 0, got %+v", obs[1])
	}
}

func TestObservationFileAsExcelSavesIt(t *testing.T) {
	// Semicolons, decimal comma, Swedish headings, a BOM, SCB's ".." and an
	// empty org cell meaning the file's organisation.
	bundles, err := loadString(t, map[string]string{
		"a.yaml": `organisation: {code: "2380", name: Östersund, kind: kommun}
indicators:
  - {key: i, title: I, unit: "%", polarity: higher, source: manual, breakdowns: [gender]}
observation_files: [värden.csv]
`,
		"värden.csv": "\ufeffKommun;Indikator;År;Kön;Värde\r\n;i;2020;T;12,5\r\n0023;i;2020;kvinnor;..\r\n",
	})
	if err != nil {
		t.Fatal(err)
	}
	obs := bundles[0].Observations
	if len(obs) != 2 || obs[0].Org != "2380" || *obs[0].Value != 12.5 ||
		obs[1].Org != "23" || obs[1].Gender != strategy.Women || obs[1].Value != nil || obs[1].Status != ".." {
		t.Errorf("observations %+v", obs)
	}
}

func TestEncodeReadsBack(t *testing.T) {
	bundles, err := loadString(t, map[string]string{"a.yaml": string(docExample(t))})
	if err != nil {
		t.Fatal(err)
	}
	// Add what the example lacks: a second bundle, provenance and odd rows.
	v := 0.1 + 0.2
	b := bundles[0]
	b.Observations = append(b.Observations,
		strategy.Observation{Indicator: "utrikes-fodda-andel", Org: "2380", Year: 2017, Gender: strategy.Total, Value: &v, Preliminary: true, Status: "p", Source: "kolada", SourceURL: "https://example.org/x"},
		strategy.Observation{Indicator: "utrikes-fodda-andel", Org: "2380", Year: 2017, Gender: strategy.Women, Source: "kolada", SourceURL: "https://example.org/x"},
		strategy.Observation{Indicator: "utrikes-fodda-andel", Org: "0000", Year: 2017, Gender: strategy.Men, Source: "kolada"},
	)
	second := strategy.Bundle{Organisation: b.Organisation, Indicators: b.Indicators[:1]}
	in := []strategy.Bundle{b, second}

	var buf bytes.Buffer
	if err := Encode(&buf, in); err != nil {
		t.Fatal(err)
	}
	out, err := loadString(t, map[string]string{"b.yaml": buf.String()})
	if err == nil {
		// "0000" is no valid org code, so the file must be refused…
		t.Fatalf("want a problem for org 0000, got %d bundles:\n%s", len(out), buf.String())
	}
	in[0].Observations[len(b.Observations)-1].Org = "00"
	buf.Reset()
	if err := Encode(&buf, in); err != nil {
		t.Fatal(err)
	}
	out, err = loadString(t, map[string]string{"b.yaml": buf.String()})
	if err != nil {
		t.Fatalf("encoded file does not load: %v\n%s", err, buf.String())
	}
	if !reflect.DeepEqual(out, in) {
		t.Errorf("round trip differs\n got %+v\nwant %+v\n%s", out, in, buf.String())
	}
}
