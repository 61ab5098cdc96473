package strategyfile

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/inkludera/inkludera/internal/strategy"
)

// translated is a file with translations of the document's and an
// indicator's texts, as docs/strategy-file.md shows them.
const translated = `organisation: {code: "2380", name: Östersunds kommun, kind: kommun}
document:
  key: strategi
  kind: strategi
  title: Integrationsstrategi 2020
  status: utkast
  summary: Fler ska flytta hit.
  areas:
    - key: arbete
      title: Arbete och försörjning
      goals:
        - key: mal-1
          level: langsiktigt
          title: Fler i arbete
  terms:
    - {key: nyanland, term: Nyanländ, definition: Mottagen de senaste två åren.}
  translations:
    en:
      title: Integration strategy 2020
      summary: More people should move here.
      area/arbete/title: Work and livelihood
      term/nyanland/definition: Received in the last two years.
    ar:
      title: استراتيجية الاندماج 2020
      goal/mal-1/title: المزيد من الناس في العمل
indicators:
  - key: folkmangd
    title: Folkmängd
    unit: antal
    polarity: neutral
    source: kolada:N01951
    translations:
      en: {title: Population}
      so: {title: Tirada dadka}
`

func TestTranslationsRoundTrip(t *testing.T) {
	bundles, err := loadString(t, map[string]string{"a.yaml": translated})
	if err != nil {
		t.Fatal(err)
	}
	d := bundles[0].Document
	want := strategy.Translations{
		"en": {
			"title":                    "Integration strategy 2020",
			"summary":                  "More people should move here.",
			"area/arbete/title":        "Work and livelihood",
			"term/nyanland/definition": "Received in the last two years.",
		},
		"ar": {"title": "استراتيجية الاندماج 2020", "goal/mal-1/title": "المزيد من الناس في العمل"},
	}
	if !reflect.DeepEqual(d.Translations, want) {
		t.Errorf("document translations %v, want %v", d.Translations, want)
	}
	if got := bundles[0].Indicators[0].Translations; !reflect.DeepEqual(got, strategy.Translations{"en": {"title": "Population"}, "so": {"title": "Tirada dadka"}}) {
		t.Errorf("indicator translations %v", got)
	}

	var buf bytes.Buffer
	if err := Encode(&buf, bundles); err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{"  translations:\n    ar:\n", "      area/arbete/title: Work and livelihood\n", "      so:\n        title: Tirada dadka\n"} {
		if !strings.Contains(buf.String(), line) {
			t.Errorf("the encoded file lacks %q:\n%s", line, buf.String())
		}
	}
	out, err := loadString(t, map[string]string{"b.yaml": buf.String()})
	if err != nil {
		t.Fatalf("encoded file does not load: %v\n%s", err, buf.String())
	}
	if !reflect.DeepEqual(out, bundles) {
		t.Errorf("round trip differs\n got %+v\nwant %+v", out, bundles)
	}
}

func TestTranslationProblemsNameTheLine(t *testing.T) {
	tests := []struct {
		name      string
		old, with string
		want      []string
	}{
		{"a path that names no area", "area/arbete/title:", "area/arbet/title:",
			[]string{`a.yaml:21:7: area/arbet/title: the document has no area with the key "arbet"`}},
		{"a field that is no text", "term/nyanland/definition:", "term/nyanland/key:",
			[]string{`a.yaml:22:7: term/nyanland/key: "key" is not a text that can be translated (the fields are term, definition)`}},
		{"an unknown language", "    ar:\n", "    de:\n",
			[]string{`a.yaml:23:5: de: "de" is not a language content is translated into (en, ar, so, ti, fa)`}},
		{"Swedish", "    ar:\n", "    sv:\n",
			[]string{`a.yaml:23:5: sv: Swedish is the original language, not a translation`}},
		{"an indicator's", "      so: {title: Tirada dadka}", "      so: {unit: tiro}",
			[]string{`a.yaml:34:12: unit: "unit" is not a text of an indicator that can be translated`}},
		{"a list where a text goes", "      summary: More people should move here.", "      summary: [More, people]",
			[]string{`a.yaml:20:7: cannot unmarshal !!seq into string`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(translated, tt.old) {
				t.Fatalf("the file has no %q", tt.old)
			}
			_, err := loadString(t, map[string]string{"a.yaml": strings.Replace(translated, tt.old, tt.with, 1)})
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
