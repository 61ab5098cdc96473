package web

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/inkludera/inkludera/internal/strategy"
)

func init() { checkedPages["translate"] = frame[translatePage]{} }

const translateProgram = "/redigera/dokument/" + program + "/oversattning/"

// translateForm is what a browser posts from the translation page as it
// stands, with changes ("path", "text", …).
func (e *testEnv) translateForm(t *testing.T, lang string, changes ...string) url.Values {
	t.Helper()
	d, err := e.st.Document(context.Background(), program)
	if err != nil {
		t.Fatal(err)
	}
	vals := translationValues(d.Translations, lang)
	vals.Set("rev", strconv.FormatInt(d.Rev, 10))
	return with(vals, changes...)
}

// TestTranslateDocument translates the programme into Arabic through its
// page: every text beside its original, right to left, saved in one edit
// that the audit trail records.
func TestTranslateDocument(t *testing.T) {
	e := newEditEnv(t)
	docRef := strategy.ObjectRef{Kind: strategy.ObjDocument, Document: program}
	res, body := e.doAs(t, testCoordinator, "GET", translateProgram+"ar", nil)
	requireStatus(t, res, body, 200)
	wantHTML(t, body)
	text := html.UnescapeString(body)
	for _, want := range []string{
		"<h1>Översätt till arabiska</h1>",
		`<span lang="sv" dir="ltr">Program för inflyttning och integration 2014–2015</span>`,
		`<input type="text" id="text-1" name="title" value="" lang="ar" dir="rtl" aria-describedby="text-1-original">`,
		`name="summary" rows="3" lang="ar" dir="rtl"`,
		`<label for="text-1">Dokumentet – titel</label>`,
		`name="area/inflyttning/title"`,
		`Fokusområde: Inflyttning och mångfald – rubrik`,
		`name="goal/delmal-kvinnor/title"`,
		`name="target/t-utrikes-10/text"`,
		`name="commitment/c-valkomst/text"`,
		`name="term/nyanland/definition"`,
		`name="rev" value="1"`,
		"0 av ",
		`<a href="/redigera/dokument/stromsund-program/oversattning/ar" lang="ar" hreflang="ar" dir="rtl" aria-current="page">العربية</a>`,
		`<a href="/redigera/dokument/stromsund-program/oversattning/so" lang="so" hreflang="so" dir="ltr">Soomaali</a>`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	d, _ := e.st.Document(context.Background(), program)
	if n := strings.Count(body, `lang="ar" dir="rtl" aria-describedby=`); n != len(d.TranslatableTexts()) {
		t.Errorf("%d fields in Arabic, want one per text: %d", n, len(d.TranslatableTexts()))
	}

	form := e.translateForm(t, "ar",
		"title", "برنامج الانتقال والاندماج 2014–2015",
		"summary", "تريد البلدية أن ينتقل المزيد من الناس إلى هنا.\r\nوأن يجد السكان الجدد عملاً بسرعة.",
		"area/inflyttning/title", "  الانتقال والتنوع  ")
	res, body = e.doAs(t, testCoordinator, "POST", translateProgram+"ar", form)
	requireStatus(t, res, body, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != translateProgram+"ar" {
		t.Errorf("redirected to %q", loc)
	}
	d, err := e.st.Document(context.Background(), program)
	if err != nil {
		t.Fatal(err)
	}
	want := strategy.Translations{"ar": {
		"title":                  "برنامج الانتقال والاندماج 2014–2015",
		"summary":                "تريد البلدية أن ينتقل المزيد من الناس إلى هنا.\nوأن يجد السكان الجدد عملاً بسرعة.",
		"area/inflyttning/title": "الانتقال والتنوع",
	}}
	if !reflect.DeepEqual(d.Translations, want) {
		t.Errorf("stored %v, want %v", d.Translations, want)
	}
	if d.Rev != 2 {
		t.Errorf("document rev %d after the translation, want 2", d.Rev)
	}
	if got := e.auditActions(t, docRef, testCoordinator); !reflect.DeepEqual(got, []strategy.AuditAction{strategy.AuditUpdate}) {
		t.Errorf("audit trail %v", got)
	}
	entries, err := e.st.Audit(context.Background(), strategy.AuditFilter{Kind: docRef.Kind, Document: docRef.Document})
	if err != nil || len(entries) == 0 || !strings.Contains(string(entries[0].After), "الانتقال والتنوع") || strings.Contains(string(entries[0].Before), "الانتقال") {
		t.Errorf("the audit entry does not show the translation added: %v", err)
	}

	res, body = e.doAs(t, testCoordinator, "GET", translateProgram+"ar", nil)
	requireStatus(t, res, body, 200)
	if !strings.Contains(body, `value="الانتقال والتنوع"`) || !strings.Contains(body, "3 av ") {
		t.Error("the page does not show the stored translations")
	}

	// An emptied field removes its translation; another language is left alone.
	res, body = e.doAs(t, testCoordinator, "POST", translateProgram+"en", e.translateForm(t, "en", "title", "Programme for moving here and integration"))
	requireStatus(t, res, body, http.StatusSeeOther)
	res, body = e.doAs(t, testCoordinator, "POST", translateProgram+"ar", e.translateForm(t, "ar", "summary", ""))
	requireStatus(t, res, body, http.StatusSeeOther)
	d, _ = e.st.Document(context.Background(), program)
	if _, ok := d.Translations.Text("ar", "summary"); ok {
		t.Error("an emptied field kept its translation")
	}
	if _, ok := d.Translations.Text("en", "title"); !ok {
		t.Error("saving Arabic lost the English")
	}

	// The document's own form knows nothing of translations and keeps them.
	res, body = e.doAs(t, testCoordinator, "POST", "/redigera/dokument/"+program, e.formOf(t, docRef, "subtitle", "Ny undertitel"))
	requireStatus(t, res, body, http.StatusSeeOther)
	if after, _ := e.st.Document(context.Background(), program); !reflect.DeepEqual(after.Translations, d.Translations) {
		t.Errorf("saving the document's form changed its translations: %v", after.Translations)
	}
}

// TestTranslateConflict saves twice from the same rev: the second save is
// refused with the conflict message and the page shows what is stored.
func TestTranslateConflict(t *testing.T) {
	e := newEditEnv(t)
	first := e.translateForm(t, "en", "title", "First save")
	second := e.translateForm(t, "en", "title", "Second save")
	res, body := e.doAs(t, testCoordinator, "POST", translateProgram+"en", first)
	requireStatus(t, res, body, http.StatusSeeOther)
	res, body = e.doAs(t, testCoordinator, "POST", translateProgram+"en", second)
	requireStatus(t, res, body, http.StatusConflict)
	wantHTML(t, body)
	if !strings.Contains(body, conflictMessage) || !strings.Contains(body, "Någon annan hann före") {
		t.Error("the second save does not get the conflict message")
	}
	if !strings.Contains(body, `value="First save"`) || strings.Contains(body, "Second save") || !strings.Contains(body, `name="rev" value="2"`) {
		t.Error("the page does not show what is stored now with its rev")
	}
	d, _ := e.st.Document(context.Background(), program)
	if got, _ := d.Translations.Text("en", "title"); got != "First save" {
		t.Errorf("stored %q, want the first save's", got)
	}
}

// TestTranslateAccess: the public is asked to sign in; a user who may
// read the document but not change it is refused (403); one who may not
// read it, or a language that is no content language, gets 404.
func TestTranslateAccess(t *testing.T) {
	e := newEditEnv(t)
	tests := []struct {
		name   string
		user   *strategy.User
		method string
		path   string
		status int
	}{
		{"public", nil, "GET", translateProgram + "en", http.StatusSeeOther},
		{"public posts", nil, "POST", translateProgram + "en", http.StatusSeeOther},
		{"läsare", testReader, "GET", translateProgram + "en", http.StatusForbidden},
		{"nämndredaktör posts", testEditorKS, "POST", translateProgram + "en", http.StatusForbidden},
		{"another organisation's samordnare", testOtherCoord, "GET", translateProgram + "ar", http.StatusForbidden},
		{"another organisation's draft", testCoordinator, "GET", "/redigera/dokument/ostersund-strategi/oversattning/en", http.StatusNotFound},
		{"an unknown document", testCoordinator, "GET", "/redigera/dokument/nope/oversattning/en", http.StatusNotFound},
		{"Swedish", testCoordinator, "GET", translateProgram + "sv", http.StatusNotFound},
		{"an unknown language", testCoordinator, "POST", translateProgram + "de", http.StatusNotFound},
		{"an indicator, läsare", testReader, "GET", "/redigera/indikatorer/inflyttade/oversattning/en", http.StatusForbidden},
		{"an unknown indicator", testCoordinator, "GET", "/redigera/indikatorer/nope/oversattning/en", http.StatusNotFound},
	}
	before, err := e.st.Document(context.Background(), program)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var body any
			if tt.method == "POST" {
				body = url.Values{"rev": {"1"}, "title": {"Hijacked"}}
			}
			res, out := e.doAs(t, tt.user, tt.method, tt.path, body)
			requireStatus(t, res, out, tt.status)
			if tt.status == http.StatusSeeOther && !strings.HasPrefix(res.Header.Get("Location"), "/logga-in") {
				t.Errorf("the public is sent to %q, not to sign in", res.Header.Get("Location"))
			}
		})
	}
	if after, _ := e.st.Document(context.Background(), program); !reflect.DeepEqual(after, before) {
		t.Error("a refused request changed the document")
	}
}

// TestTranslateIndicator translates an indicator's name into Somali, and
// the indicator's own form keeps the translation.
func TestTranslateIndicator(t *testing.T) {
	e := newEditEnv(t)
	const path = "/redigera/indikatorer/inflyttade/oversattning/so"
	res, body := e.doAs(t, testCoordinator, "GET", path, nil)
	requireStatus(t, res, body, 200)
	wantHTML(t, body)
	if !strings.Contains(body, `name="title" value="" lang="so" dir="ltr"`) || !strings.Contains(body, "Inflyttade personer") {
		t.Error("the page lacks the name's field or its original")
	}
	res, body = e.doAs(t, testCoordinator, "POST", path, url.Values{"rev": {"1"}, "title": {"Dadka u soo guuray"}})
	requireStatus(t, res, body, http.StatusSeeOther)
	ind, err := e.st.Indicator(context.Background(), "inflyttade")
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := ind.Translations.Text("so", "title"); got != "Dadka u soo guuray" || ind.Rev != 2 {
		t.Errorf("stored %v at rev %d", ind.Translations, ind.Rev)
	}
	ref := strategy.ObjectRef{Kind: strategy.ObjIndicator, Key: "inflyttade"}
	if got := e.auditActions(t, ref, testCoordinator); !reflect.DeepEqual(got, []strategy.AuditAction{strategy.AuditUpdate}) {
		t.Errorf("audit trail %v", got)
	}

	res, body = e.doAs(t, testCoordinator, "POST", path, url.Values{"rev": {"1"}, "title": {"Stale"}})
	requireStatus(t, res, body, http.StatusConflict)
	if !strings.Contains(body, conflictMessage) || !strings.Contains(body, `value="Dadka u soo guuray"`) {
		t.Error("a stale save is not refused with the stored translation shown")
	}

	res, body = e.doAs(t, testCoordinator, "GET", "/redigera/indikatorer/inflyttade", nil)
	requireStatus(t, res, body, 200)
	wantHTML(t, body)
	if !strings.Contains(body, `<a href="/redigera/indikatorer/inflyttade/oversattning/ar" lang="ar" dir="rtl">العربية</a>`) {
		t.Error("the indicator's edit page does not link to its translations")
	}
	form := with(indicatorValues(ind), "rev", "2", "description", "Personer som flyttat in under året.")
	res, body = e.doAs(t, testCoordinator, "POST", "/redigera/indikatorer/inflyttade", form)
	requireStatus(t, res, body, http.StatusSeeOther)
	after, _ := e.st.Indicator(context.Background(), "inflyttade")
	if after.Description != "Personer som flyttat in under året." || !reflect.DeepEqual(after.Translations, ind.Translations) {
		t.Errorf("after saving the indicator's form: %q, translations %v", after.Description, after.Translations)
	}
}

// TestTranslateLinks: the document page's edit panel links to the
// translations, each language named in itself; readers see no links.
func TestTranslateLinks(t *testing.T) {
	e := newEditEnv(t)
	res, body := e.doAs(t, testCoordinator, "GET", "/dokument/"+program, nil)
	requireStatus(t, res, body, 200)
	wantHTML(t, body)
	for _, want := range []string{
		`<li>Översätt: <a href="/redigera/dokument/stromsund-program/oversattning/en" lang="en" dir="ltr">English</a>`,
		` · <a href="/redigera/dokument/stromsund-program/oversattning/fa" lang="fa" dir="rtl">فارسی/دری</a></li>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the edit panel lacks %q", want)
		}
	}
	_, body = e.doAs(t, testReader, "GET", "/dokument/"+program, nil)
	if strings.Contains(body, "/oversattning/") {
		t.Error("a läsare sees the links to translate")
	}
}

// TestTranslationsThroughTheAPI: the document's JSON carries its
// translations; a PUT sets them, keeps them when it leaves them out, and
// is refused (422, nothing stored) for a path that names nothing.
func TestTranslationsThroughTheAPI(t *testing.T) {
	e := newEditEnv(t)
	const doc = "/api/v1/documents/" + program
	res, body := e.doAs(t, testCoordinator, "PUT", doc,
		`{"rev": 1, "kind": "program", "title": "Program för inflyttning och integration 2014–2015",
		  "adopted": {"by": "kf", "on": "2014-04-16", "paragraph": "§ 24"},
		  "translations": {"en": {"title": "Programme for moving here and integration", "area/arbete/title": "Work"}}}`)
	requireStatus(t, res, body, 200)
	if d := decode[strategy.Document](t, body); d.Rev != 2 || d.Translations["en"]["area/arbete/title"] != "Work" {
		t.Errorf("PUT answered %+v", d.Translations)
	}
	res, body = e.doAs(t, nil, "GET", doc, nil)
	requireStatus(t, res, body, 200)
	if !strings.Contains(body, `"translations":{"en":{"area/arbete/title":"Work","title":"Programme for moving here and integration"}}`) {
		t.Errorf("GET does not show the translations: %s", body[:min(len(body), 300)])
	}

	res, body = e.doAs(t, testCoordinator, "PUT", doc, `{"rev": 2, "kind": "program", "title": "Nytt namn",
		"adopted": {"by": "kf", "on": "2014-04-16", "paragraph": "§ 24"}}`)
	requireStatus(t, res, body, 200)
	if d := decode[strategy.Document](t, body); d.Title != "Nytt namn" || len(d.Translations["en"]) != 2 {
		t.Errorf("a PUT without translations changed them: %v", d.Translations)
	}

	before, _ := e.st.Document(context.Background(), program)
	res, body = e.doAs(t, testCoordinator, "PUT", doc, `{"rev": 3, "kind": "program", "title": "Nytt namn",
		"adopted": {"by": "kf", "on": "2014-04-16", "paragraph": "§ 24"},
		"translations": {"en": {"area/nope/title": "Nowhere"}, "sv": {"title": "Svenska"}}}`)
	requireStatus(t, res, body, http.StatusUnprocessableEntity)
	v := decode[apiValidationError](t, body)
	if v.Fields["document.translations.en.area/nope/title"] == "" || v.FieldsSV["document.translations.sv"] == "" {
		t.Errorf("fields %v", v.Fields)
	}
	if after, _ := e.st.Document(context.Background(), program); !reflect.DeepEqual(after, before) {
		t.Error("a refused PUT changed the document")
	}

	res, body = e.doAs(t, testCoordinator, "PUT", doc, `{"rev": 3, "kind": "program", "title": "Nytt namn",
		"adopted": {"by": "kf", "on": "2014-04-16", "paragraph": "§ 24"}, "translations": {}}`)
	requireStatus(t, res, body, 200)
	if d := decode[strategy.Document](t, body); d.Translations != nil {
		t.Errorf("translations after {}: %v", d.Translations)
	}
}
