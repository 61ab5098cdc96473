package strategy

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Translations are a document's or an indicator's texts in other
// languages: language code → text path → text. Swedish is the original,
// held in the fields themselves, and never appears here; a text without a
// translation is shown in Swedish (marked lang="sv").
//
// Paths are made by TextPath and name one field of one object:
// "title", "area/arbete/title", "activity/ks-2017/mentorer/description".
// An empty text is no translation: Text treats it as missing and the
// store drops it, so a form's empty field simply removes a translation.
type Translations map[string]map[string]string

// ContentLanguages are the languages content may be translated into: the
// interface's languages (internal/i18n) but Swedish, the original. A test
// in internal/i18n keeps the two lists in step.
var ContentLanguages = []string{"en", "ar", "so", "ti", "fa"}

// IsContentLanguage reports whether lang is one of ContentLanguages.
func IsContentLanguage(lang string) bool { return slices.Contains(ContentLanguages, lang) }

// Text returns the translation of path into lang; false when there is
// none or it is empty.
func (t Translations) Text(lang, path string) (string, bool) {
	s := t[lang][path]
	if strings.TrimSpace(s) == "" {
		return "", false
	}
	return s, true
}

// Pick is what a reader of lang sees of a text: its translation, or
// swedish when there is none (or lang is Swedish), with the language of
// what it returns — "sv" for the fallback, which the page must mark
// lang="sv" so that a screen reader reads it as Swedish.
func (t Translations) Pick(lang, path, swedish string) (text, textLang string) {
	if s, ok := t.Text(lang, path); ok {
		return s, lang
	}
	return swedish, "sv"
}

// Set sets the translation of path into lang; an empty (or blank) text
// removes it, and a language left without texts is removed too.
func (t *Translations) Set(lang, path, text string) {
	if strings.TrimSpace(text) == "" {
		if m := (*t)[lang]; m != nil {
			delete(m, path)
			if len(m) == 0 {
				delete(*t, lang)
			}
		}
		return
	}
	if *t == nil {
		*t = Translations{}
	}
	if (*t)[lang] == nil {
		(*t)[lang] = map[string]string{}
	}
	(*t)[lang][path] = text
}

// Clone returns a deep copy, so that an edit of the copy leaves t alone.
func (t Translations) Clone() Translations {
	if t == nil {
		return nil
	}
	out := make(Translations, len(t))
	for lang, texts := range t {
		out[lang] = maps.Clone(texts)
	}
	return out
}

// Compact returns t without empty texts and languages, nil when nothing
// is left: the one form translations are stored and compared in.
func (t Translations) Compact() Translations {
	var out Translations
	for lang, texts := range t {
		for path, s := range texts {
			out.Set(lang, path, s)
		}
	}
	return out
}

// textKinds are the first step of a text path for the objects of a
// document's tree, and the translatable fields of each kind.
var textKinds = map[ObjectKind]struct {
	prefix string
	fields []string
}{
	ObjArea:       {"area", []string{"title", "description"}},
	ObjGoal:       {"goal", []string{"title", "description"}},
	ObjTarget:     {"target", []string{"text"}},
	ObjCommitment: {"commitment", []string{"text"}},
	ObjTerm:       {"term", []string{"term", "definition"}},
	ObjActionPlan: {"plan", []string{"title"}},
	ObjActivity:   {"activity", []string{"title", "description", "target_group"}},
}

// The translatable fields of a document itself and of an indicator.
var (
	documentTextFields  = []string{"title", "subtitle", "summary", "description"}
	indicatorTextFields = []string{"title", "description"}
)

// TextPath is the path of a text: the field of the object of kind with
// key, as ObjectRef.Key has it. A document's own fields and an
// indicator's are the field alone ("title"); an activity's key is
// "plan/activity". TextPath(ObjArea, "arbete", "title") is
// "area/arbete/title".
func TextPath(kind ObjectKind, key, field string) string {
	if k, ok := textKinds[kind]; ok {
		return k.prefix + "/" + key + "/" + field
	}
	return field
}

// parseTextPath reads what TextPath writes for a document; ok is false
// when path has not its form.
func parseTextPath(path string) (kind ObjectKind, key, field string, ok bool) {
	parts := strings.Split(path, "/")
	if len(parts) == 1 {
		return ObjDocument, "", path, path != ""
	}
	for kind, k := range textKinds {
		if parts[0] != k.prefix {
			continue
		}
		want := 3
		if kind == ObjActivity {
			want = 4
		}
		if len(parts) != want || slices.Contains(parts[1:], "") {
			return "", "", "", false
		}
		return kind, strings.Join(parts[1:len(parts)-1], "/"), parts[len(parts)-1], true
	}
	return "", "", "", false
}

// TranslatableText is one text of a document or an indicator that can be
// translated, as an editor lists it.
type TranslatableText struct {
	Path string // TextPath
	// Label says in Swedish which text it is, e.g. "Fokusområde: Arbete
	// och försörjning – rubrik".
	Label   string
	Swedish string // the original
	// Long texts (descriptions, definitions) get a textarea, the others
	// a one-line input.
	Long bool
}

// TranslatableTexts lists every text of the document that has a Swedish
// original, in the order the document shows them: its own fields, then
// each area with its goals (each goal's targets, commitments and
// sub-goals) and commitments, then terms and action plans.
func (d Document) TranslatableTexts() []TranslatableText {
	var out []TranslatableText
	add := func(path, label, swedish string, long bool) {
		if strings.TrimSpace(swedish) != "" {
			out = append(out, TranslatableText{Path: path, Label: label, Swedish: swedish, Long: long})
		}
	}
	add("title", "Dokumentet – titel", d.Title, false)
	add("subtitle", "Dokumentet – undertitel", d.Subtitle, false)
	add("summary", "Dokumentet – sammanfattning", d.Summary, true)
	add("description", "Dokumentet – bakgrund och syfte", d.Description, true)
	commitments := func(list []Commitment, owner string) {
		for i, c := range list {
			add(TextPath(ObjCommitment, c.Key, "text"), fmt.Sprintf("Åtagande %d under ”%s”", i+1, owner), c.Text, true)
		}
	}
	var goals func(list []Goal)
	goals = func(list []Goal) {
		for _, g := range list {
			what := "Mål"
			if g.Level == GoalSub {
				what = "Delmål"
			}
			add(TextPath(ObjGoal, g.Key, "title"), what+": "+g.Title+" – rubrik", g.Title, false)
			add(TextPath(ObjGoal, g.Key, "description"), what+": "+g.Title+" – beskrivning", g.Description, true)
			for i, t := range g.Targets {
				add(TextPath(ObjTarget, t.Key, "text"), fmt.Sprintf("Kvantitativt mål %d under ”%s”", i+1, g.Title), t.Text, true)
			}
			commitments(g.Commitments, g.Title)
			goals(g.Goals)
		}
	}
	for _, a := range d.Areas {
		add(TextPath(ObjArea, a.Key, "title"), "Fokusområde: "+a.Title+" – rubrik", a.Title, false)
		add(TextPath(ObjArea, a.Key, "description"), "Fokusområde: "+a.Title+" – beskrivning", a.Description, true)
		goals(a.Goals)
		commitments(a.Commitments, a.Title)
	}
	for _, t := range d.Terms {
		add(TextPath(ObjTerm, t.Key, "term"), "Begrepp: "+t.Term+" – begreppet", t.Term, false)
		add(TextPath(ObjTerm, t.Key, "definition"), "Begrepp: "+t.Term+" – förklaring", t.Definition, true)
	}
	for _, p := range d.ActionPlans {
		name := p.Title
		if name == "" {
			name = fmt.Sprintf("%s %d", p.Body, p.Year)
		}
		add(TextPath(ObjActionPlan, p.Key, "title"), "Aktivitetsplan: "+name+" – rubrik", p.Title, false)
		for _, a := range p.Activities {
			key := p.Key + "/" + a.Key
			add(TextPath(ObjActivity, key, "title"), "Aktivitet: "+a.Title+" – rubrik", a.Title, false)
			add(TextPath(ObjActivity, key, "description"), "Aktivitet: "+a.Title+" – beskrivning", a.Description, true)
			add(TextPath(ObjActivity, key, "target_group"), "Aktivitet: "+a.Title+" – målgrupp", a.TargetGroup, false)
		}
	}
	return out
}

// TranslatableTexts lists the indicator's texts that have a Swedish
// original: its name and description.
func (i Indicator) TranslatableTexts() []TranslatableText {
	var out []TranslatableText
	if strings.TrimSpace(i.Title) != "" {
		out = append(out, TranslatableText{Path: "title", Label: "Indikatorn – namn", Swedish: i.Title})
	}
	if strings.TrimSpace(i.Description) != "" {
		out = append(out, TranslatableText{Path: "description", Label: "Indikatorn – beskrivning", Swedish: i.Description, Long: true})
	}
	return out
}

// textObjects lists, by kind, the keys of the document's objects that have
// texts (an activity's as "plan/activity").
func (d *Document) textObjects() map[ObjectKind]map[string]bool {
	m := map[ObjectKind]map[string]bool{}
	put := func(kind ObjectKind, key string) {
		if m[kind] == nil {
			m[kind] = map[string]bool{}
		}
		m[kind][key] = true
	}
	for _, a := range d.Areas {
		put(ObjArea, a.Key)
		for _, c := range a.Commitments {
			put(ObjCommitment, c.Key)
		}
	}
	d.walkGoals(func(g *Goal) {
		put(ObjGoal, g.Key)
		for _, t := range g.Targets {
			put(ObjTarget, t.Key)
		}
		for _, c := range g.Commitments {
			put(ObjCommitment, c.Key)
		}
	})
	for _, t := range d.Terms {
		put(ObjTerm, t.Key)
	}
	for _, p := range d.ActionPlans {
		put(ObjActionPlan, p.Key)
		for _, a := range p.Activities {
			put(ObjActivity, p.Key+"/"+a.Key)
		}
	}
	return m
}

// textPathProblem says why path names no translatable text of the
// document, in English and Swedish; "" when it names one. objects is
// d.textObjects().
func textPathProblem(path string, objects map[ObjectKind]map[string]bool) (en, sv string) {
	kind, key, field, ok := parseTextPath(path)
	if !ok {
		return fmt.Sprintf("%q is not the path of a text (e.g. title, area/KEY/title, activity/PLAN/ACTIVITY/title)", path),
			fmt.Sprintf("Sökvägen ”%s” pekar inte ut någon text. Skriv till exempel title, area/nyckel/title eller activity/plan/aktivitet/title.", path)
	}
	fields := documentTextFields
	if kind != ObjDocument {
		fields = textKinds[kind].fields
		if !objects[kind][key] {
			return fmt.Sprintf("the document has no %s with the key %q", kind, key),
				fmt.Sprintf("Dokumentet har ingen %s med nyckeln ”%s”, så texten ”%s” finns inte att översätta.", kindSv[kind], key, path)
		}
	}
	if !slices.Contains(fields, field) {
		return fmt.Sprintf("%q is not a text that can be translated (the fields are %s)", field, strings.Join(fields, ", ")),
			fmt.Sprintf("Fältet ”%s” går inte att översätta. Det gör bara %s.", field, strings.Join(fields, ", "))
	}
	return "", ""
}

// kindSv names a kind of object in Swedish, for problems.
var kindSv = map[ObjectKind]string{
	ObjArea:       "fokusområde",
	ObjGoal:       "mål",
	ObjTarget:     "kvantitativt mål",
	ObjCommitment: "åtagande",
	ObjTerm:       "begrepp",
	ObjActionPlan: "aktivitetsplan",
	ObjActivity:   "aktivitet",
}

// validateTranslations checks the languages and paths of t. pathProblem
// says what is wrong with a path ("" when nothing). A language that is
// not a content language is reported once, at translations.<lang>;
// a path at translations.<lang>.<path>. Languages and paths are checked
// in sorted order, so that the problems come in a stable order.
func validateTranslations(p problems, t Translations, pathProblem func(path string) (en, sv string)) {
	q := p.at("translations")
	for _, lang := range slices.Sorted(maps.Keys(t)) {
		switch {
		case lang == "sv":
			q.put(lang, "Svenska är originalspråket och översätts inte. Ändra i stället den svenska texten.",
				"Swedish is the original language, not a translation; change the Swedish text instead")
			continue
		case !IsContentLanguage(lang):
			q.put(lang, fmt.Sprintf("Det går inte att översätta till språket ”%s”. Välj en (engelska), ar (arabiska), so (somaliska), ti (tigrinja) eller fa (persiska/dari).", lang),
				fmt.Sprintf("%q is not a language content is translated into (%s)", lang, strings.Join(ContentLanguages, ", ")))
			continue
		}
		l := q.at(lang)
		for _, path := range slices.Sorted(maps.Keys(t[lang])) {
			if en, sv := pathProblem(path); en != "" {
				l.put(path, sv, en)
			}
		}
	}
}

// ForgetRemovedTexts drops the translations of the texts whose objects
// before had and d no longer has — a deleted area's title — which would
// otherwise leave d invalid after an edit that deletes. A path that named
// nothing in before either stays, for validation to refuse.
func (d *Document) ForgetRemovedTexts(before *Document) {
	if len(d.Translations) == 0 {
		return
	}
	was, is := before.textObjects(), d.textObjects()
	for lang, texts := range d.Translations {
		for path := range texts {
			if en, _ := textPathProblem(path, was); en != "" {
				continue
			}
			if en, _ := textPathProblem(path, is); en != "" {
				d.Translations.Set(lang, path, "")
			}
		}
	}
}

func (d *Document) validateTranslations(p problems) {
	if len(d.Translations) == 0 {
		return
	}
	objects := d.textObjects()
	validateTranslations(p, d.Translations, func(path string) (string, string) { return textPathProblem(path, objects) })
}

func (i Indicator) validateTranslations(p problems) {
	validateTranslations(p, i.Translations, func(path string) (string, string) {
		if slices.Contains(indicatorTextFields, path) {
			return "", ""
		}
		return fmt.Sprintf("%q is not a text of an indicator that can be translated (the texts are title, description)", path),
			fmt.Sprintf("En indikator har ingen text ”%s” att översätta. Det har bara title (namnet) och description (beskrivningen).", path)
	})
}
