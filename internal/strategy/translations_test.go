package strategy

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestTextPath(t *testing.T) {
	tests := []struct {
		kind       ObjectKind
		key, field string
		want       string
	}{
		{ObjDocument, "", "title", "title"},
		{ObjDocument, "", "summary", "summary"},
		{ObjArea, "arbete", "title", "area/arbete/title"},
		{ObjGoal, "mal-1", "description", "goal/mal-1/description"},
		{ObjTarget, "t1", "text", "target/t1/text"},
		{ObjCommitment, "c", "text", "commitment/c/text"},
		{ObjTerm, "nyanland", "definition", "term/nyanland/definition"},
		{ObjActionPlan, "ks-2017", "title", "plan/ks-2017/title"},
		{ObjActivity, "ks-2017/mentorer", "target_group", "activity/ks-2017/mentorer/target_group"},
		{ObjIndicator, "folkmangd", "title", "title"},
	}
	for _, tt := range tests {
		got := TextPath(tt.kind, tt.key, tt.field)
		if got != tt.want {
			t.Errorf("TextPath(%s, %q, %q) = %q, want %q", tt.kind, tt.key, tt.field, got, tt.want)
		}
		if tt.kind == ObjIndicator {
			continue
		}
		kind, key, field, ok := parseTextPath(got)
		if !ok || kind != tt.kind || key != tt.key || field != tt.field {
			t.Errorf("parseTextPath(%q) = %s %q %q %v", got, kind, key, field, ok)
		}
	}
}

func TestTranslationsTextSetPick(t *testing.T) {
	var tr Translations
	if _, ok := tr.Text("en", "title"); ok {
		t.Error("nil translations have a text")
	}
	if s, lang := tr.Pick("en", "title", "Strategi"); s != "Strategi" || lang != "sv" {
		t.Errorf("Pick without a translation = %q %q, want the Swedish marked sv", s, lang)
	}
	tr.Set("en", "title", "Strategy")
	tr.Set("ar", "title", "استراتيجية")
	tr.Set("en", "summary", "  ")
	if s, ok := tr.Text("en", "title"); !ok || s != "Strategy" {
		t.Errorf("Text = %q %v", s, ok)
	}
	if _, ok := tr["en"]["summary"]; ok {
		t.Error("a blank text was kept")
	}
	if s, lang := tr.Pick("ar", "title", "Strategi"); s != "استراتيجية" || lang != "ar" {
		t.Errorf("Pick = %q %q", s, lang)
	}
	if s, lang := tr.Pick("sv", "title", "Strategi"); s != "Strategi" || lang != "sv" {
		t.Errorf("Pick in Swedish = %q %q", s, lang)
	}
	c := tr.Clone()
	c.Set("en", "title", "")
	if _, ok := tr.Text("en", "title"); !ok {
		t.Error("changing a clone changed the original")
	}
	if _, ok := c["en"]; ok {
		t.Error("a language without texts was kept")
	}
	// Stored empty texts (from a file) count as missing and compact away.
	raw := Translations{"en": {"title": "", "subtitle": "Sub"}, "so": {"title": " "}}
	if _, ok := raw.Text("en", "title"); ok {
		t.Error("an empty text counts as a translation")
	}
	if got, want := raw.Compact(), (Translations{"en": {"subtitle": "Sub"}}); !reflect.DeepEqual(got, want) {
		t.Errorf("Compact = %v, want %v", got, want)
	}
	if got := (Translations{"en": {}}).Compact(); got != nil {
		t.Errorf("Compact of nothing = %#v, want nil", got)
	}
}

func TestTranslatableTexts(t *testing.T) {
	d := *validBundle().Document
	d.Subtitle = "Undertitel"
	d.ActionPlans[0].Title = "Plan 2017"
	var paths, labels []string
	for _, tt := range d.TranslatableTexts() {
		paths = append(paths, tt.Path)
		labels = append(labels, tt.Label)
		if tt.Swedish == "" {
			t.Errorf("%s has no Swedish", tt.Path)
		}
	}
	want := []string{
		"title", "subtitle",
		"area/a/title",
		"goal/g/title",
		"target/t1/text", "target/t2/text", "target/t3/text", "target/t4/text",
		"goal/g1/title",
		"commitment/c/text",
		"term/nyanland/term", "term/nyanland/definition",
		"plan/p/title",
		"activity/p/x/title", "activity/p/x/target_group",
	}
	if !reflect.DeepEqual(paths, want) {
		t.Errorf("paths\n got %q\nwant %q", paths, want)
	}
	for _, l := range []string{"Fokusområde: Område – rubrik", "Delmål: Delmål – rubrik", "Kvantitativt mål 2 under ”Mål”", "Åtagande 1 under ”Område”"} {
		if !strings.Contains(strings.Join(labels, "\n"), l) {
			t.Errorf("no label %q in\n%s", l, strings.Join(labels, "\n"))
		}
	}
	// Every listed path is valid.
	for _, tt := range d.TranslatableTexts() {
		d.Translations.Set("en", tt.Path, "x")
	}
	b := validBundle()
	b.Document = &d
	if err := b.Validate(nil); err != nil {
		t.Errorf("translating every listed text: %v", err)
	}

	ind := Indicator{Title: "Andel", Description: "Vad den mäter"}
	got := ind.TranslatableTexts()
	if len(got) != 2 || got[0].Path != "title" || got[1].Path != "description" || !got[1].Long || got[0].Long {
		t.Errorf("indicator texts %+v", got)
	}
}

func TestValidateTranslations(t *testing.T) {
	tests := []struct {
		name   string
		change func(b *Bundle)
		want   []string // "path: message fragment"
	}{
		{"valid", func(b *Bundle) {
			b.Document.Translations = Translations{
				"en": {"title": "Strategy", "area/a/description": "Area", "activity/p/x/description": "Info", "target/t4/text": "Better service"},
				"fa": {"goal/g1/title": "هدف"},
			}
			b.Indicators[0].Translations = Translations{"so": {"title": "Saamiga", "description": "…"}}
		}, nil},
		{"empty texts are no translations and valid", func(b *Bundle) {
			b.Document.Translations = Translations{"en": {"title": ""}, "ar": {}}
		}, nil},
		{"Swedish", func(b *Bundle) {
			b.Document.Translations = Translations{"sv": {"title": "Strategi"}}
		}, []string{"document.translations.sv: Swedish is the original language"}},
		{"unknown language", func(b *Bundle) {
			b.Document.Translations = Translations{"de": {"title": "Strategie", "nope": "x"}}
		}, []string{`document.translations.de: "de" is not a language content is translated into (en, ar, so, ti, fa)`}},
		{"paths", func(b *Bundle) {
			b.Document.Translations = Translations{"en": {
				"area/nope/title":       "x",
				"area/a/titel":          "x",
				"owner":                 "x",
				"goal/g":                "x",
				"activity/x/title":      "x",
				"activity/p/nope/title": "x",
				"commitment/c/text":     "ok",
				"plan/p/title":          "ok",
			}}
		}, []string{
			`document.translations.en.activity/p/nope/title: the document has no activity with the key "p/nope"`,
			`document.translations.en.activity/x/title: "activity/x/title" is not the path of a text`,
			`document.translations.en.area/a/titel: "titel" is not a text that can be translated (the fields are title, description)`,
			`document.translations.en.area/nope/title: the document has no area with the key "nope"`,
			`document.translations.en.goal/g: "goal/g" is not the path of a text`,
			`document.translations.en.owner: "owner" is not a text that can be translated (the fields are title, subtitle, summary, description)`,
		}},
		{"indicator", func(b *Bundle) {
			b.Indicators[1].Translations = Translations{"en": {"unit": "per cent"}, "xx": {"title": "x"}}
		}, []string{
			`indicators[1].translations.en.unit: "unit" is not a text of an indicator`,
			`indicators[1].translations.xx: "xx" is not a language`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := validBundle()
			tt.change(&b)
			err := b.Validate(nil)
			if tt.want == nil {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var verrs ValidationErrors
			if !errors.As(err, &verrs) {
				t.Fatalf("want ValidationErrors, got %v", err)
			}
			if len(verrs) != len(tt.want) {
				t.Fatalf("got %d problems, want %d:\n%v", len(verrs), len(tt.want), err)
			}
			for i, w := range tt.want {
				if got := verrs[i].Error(); !strings.HasPrefix(got, w) {
					t.Errorf("problem %d = %q, want it to start %q", i, got, w)
				}
				checkSwedish(t, verrs[i])
			}
		})
	}
}

func TestForgetRemovedTexts(t *testing.T) {
	before := *validBundle().Document
	before.Translations = Translations{
		"en": {"title": "Strategy", "area/a/title": "Area", "goal/g1/title": "Sub-goal", "area/nope/title": "typo"},
		"ar": {"goal/g1/description": "وصف"},
	}
	after := before
	after.Translations = before.Translations.Clone()
	after.Areas = []Area{before.Areas[0]}
	after.Areas[0].Goals = []Goal{before.Areas[0].Goals[0]}
	after.Areas[0].Goals[0].Goals = nil // the sub-goal g1 is deleted
	after.ActionPlans = nil             // its activity linked g1
	after.ForgetRemovedTexts(&before)
	want := Translations{"en": {"title": "Strategy", "area/a/title": "Area", "area/nope/title": "typo"}}
	if !reflect.DeepEqual(after.Translations, want) {
		t.Errorf("after the deletion: %v, want %v", after.Translations, want)
	}
}
