package demo

import (
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/inkludera/inkludera/internal/strategy"
)

// TestTranslations checks what the demo translates: Östersund's strategy
// in full in English and Arabic (title, summary, background, areas, goals,
// targets and terms), its title, summary and areas in Somali, Tigrinya and
// Persian/Dari, and every indicator's title in all five; each text in its
// language's script and with the numbers of its Swedish original.
func TestTranslations(t *testing.T) {
	b := bundleOf(t, "ostersund-integrationsstrategi-2020")
	d := b.Document
	full := regexp.MustCompile(`^(title|summary|description|area/[^/]+/title|goal/[^/]+/title|target/[^/]+/text|term/[^/]+/(term|definition))$`)
	some := regexp.MustCompile(`^(title|summary|area/[^/]+/title)$`)
	wanted := map[string]*regexp.Regexp{"en": full, "ar": full, "so": some, "ti": some, "fa": some}
	swedish := map[string]string{}
	for _, tt := range d.TranslatableTexts() {
		swedish[tt.Path] = tt.Swedish
		for lang, re := range wanted {
			if re.MatchString(tt.Path) {
				if _, ok := d.Translations.Text(lang, tt.Path); !ok {
					t.Errorf("%s: no %s translation of %s (%s)", d.Key, lang, tt.Path, tt.Label)
				}
			}
		}
	}
	for lang, texts := range d.Translations {
		for path, text := range texts {
			checkText(t, lang, path, text, swedish[path])
		}
	}

	bundles, err := Bundles()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, b := range bundles {
		for _, ind := range b.Indicators {
			n++
			for _, lang := range strategy.ContentLanguages {
				text, ok := ind.Translations.Text(lang, "title")
				if !ok {
					t.Errorf("indicator %s: no %s title", ind.Key, lang)
					continue
				}
				checkText(t, lang, ind.Key, text, ind.Title)
			}
		}
	}
	if n < 16 {
		t.Errorf("only %d indicators in the demo", n)
	}
}

var digits = regexp.MustCompile(`[0-9]+`)

// checkText checks that a translation is written in its language's script
// and keeps the numbers of the Swedish original.
func checkText(t *testing.T, lang, path, text, swedish string) {
	t.Helper()
	script := map[string]*unicode.RangeTable{"ar": unicode.Arabic, "fa": unicode.Arabic, "ti": unicode.Ethiopic}[lang]
	if script == nil {
		script = unicode.Latin
	}
	letters, in := 0, 0
	for _, r := range text {
		if unicode.IsLetter(r) {
			letters++
			if unicode.Is(script, r) {
				in++
			}
		}
	}
	if letters == 0 || in*10 < letters*8 {
		t.Errorf("%s %s: %q is not written in the language's script", lang, path, text)
	}
	for _, num := range digits.FindAllString(swedish, -1) {
		if !strings.Contains(text, num) {
			t.Errorf("%s %s: %q lacks the number %s of %q", lang, path, text, num, swedish)
		}
	}
}
