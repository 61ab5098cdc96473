package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/inkludera/inkludera/internal/auth"
	"github.com/inkludera/inkludera/internal/i18n"
	"github.com/inkludera/inkludera/internal/strategy"
)

// Translating content: one page per document (or indicator) and language
// lists every text with its Swedish original beside the field for the
// translation. The page is a work page, in Swedish; only the fields and
// the language links are in the language they hold.

// translateDocumentURL is the page translating document doc into lang.
func translateDocumentURL(doc, lang string) string {
	return editDocumentURL(doc) + "/oversattning/" + url.PathEscape(lang)
}

// translateIndicatorURL is the page translating indicator key into lang.
func translateIndicatorURL(key, lang string) string {
	return editIndicatorURL(key) + "/oversattning/" + url.PathEscape(lang)
}

// languageSv names the content languages in Swedish, for the page's own
// sentences ("Översätt till engelska").
var languageSv = map[string]string{
	"en": "engelska",
	"ar": "arabiska",
	"so": "somaliska",
	"ti": "tigrinja",
	"fa": "persiska/dari",
}

// translateLink leads to the translation into one language, named in
// that language so that a translator finds their own.
type translateLink struct {
	URL     string
	Code    string
	Name    string // in the language itself: "العربية"
	Dir     string
	Current bool
}

// translateLinks are the links to the translations into every content
// language; urlOf makes a language's URL.
func translateLinks(urlOf func(lang string) string, current string) []translateLink {
	out := make([]translateLink, 0, len(strategy.ContentLanguages))
	for _, code := range strategy.ContentLanguages {
		l, _ := i18n.LanguageOf(code)
		out = append(out, translateLink{URL: urlOf(code), Code: code, Name: l.Name, Dir: l.Dir(), Current: code == current})
	}
	return out
}

// translatePage is the form translating the texts of a document or an
// indicator into one language.
type translatePage struct {
	Title       string
	Breadcrumbs []link
	// Intro names what is translated (the document's title).
	Intro string
	// Lang is the language translated into; LangSv its Swedish name.
	Lang   i18n.Language
	LangSv string
	// Languages leads to the same page in the other languages.
	Languages     []translateLink
	Problems      []link
	ProblemsTitle string
	Action        string
	Rev           int64
	Fields        []translateField
	// Translated of Total texts have a translation into Lang (as stored,
	// or as entered when the form is shown again).
	Translated, Total int
	CancelURL         string
	HistoryURL        string
}

// translateField is one text: its Swedish original and the input for its
// translation. Name is the text's path (strategy.TextPath).
type translateField struct {
	ID, Name   string
	Label      string
	Swedish    string
	OriginalID string
	Value      string
	Long       bool
	Rows       int
	Error      string
	ErrorID    string
}

// contentLanguage reads {lang}: one of strategy.ContentLanguages, or 404.
func contentLanguage(r *http.Request) (i18n.Language, error) {
	code := r.PathValue("lang")
	l, ok := i18n.LanguageOf(code)
	if !ok || !strategy.IsContentLanguage(code) {
		return l, strategy.Errorf(strategy.CodeNotFound, "Det går inte att översätta till språket %q. Välj engelska, arabiska, somaliska, tigrinja eller persiska/dari.", code)
	}
	return l, nil
}

// translationValues are the stored translations into lang as the form
// holds them.
func translationValues(t strategy.Translations, lang string) url.Values {
	v := url.Values{}
	for path, text := range t[lang] {
		if strings.TrimSpace(text) != "" {
			v.Set(path, text)
		}
	}
	return v
}

// postedTranslation reads a translation as posted: trimmed, with the
// browser's CRLF line breaks as the LF the Swedish texts have.
func postedTranslation(vals url.Values, path string) string {
	return strings.TrimSpace(strings.ReplaceAll(vals.Get(path), "\r\n", "\n"))
}

// setTranslations sets the translations of texts into lang from vals on
// t, which it copies first; an empty field removes a translation.
func setTranslations(t strategy.Translations, lang string, texts []strategy.TranslatableText, vals url.Values) strategy.Translations {
	t = t.Clone()
	for _, tt := range texts {
		t.Set(lang, tt.Path, postedTranslation(vals, tt.Path))
	}
	return t
}

// translateProblems turns the error of a store edit into what the form
// shows: a validation problem beside the text its path names (prefix is
// what comes before the text path: "document.translations.en."), the rest
// as general messages; a conflict as the conflict message. ok is false
// for any other error, which the caller returns.
func translateProblems(err error, prefix string, texts []strategy.TranslatableText) (*formErrors, int, bool) {
	inputs := map[string]bool{}
	for _, tt := range texts {
		inputs[tt.Path] = true
	}
	fe := &formErrors{}
	var v strategy.ValidationErrors
	switch {
	case errors.As(err, &v):
		for _, e := range v {
			if path, ok := strings.CutPrefix(e.Path, prefix); ok && inputs[path] {
				fe.Add(path, swedishMessage(e))
			} else {
				fe.General = append(fe.General, swedishMessage(e))
			}
		}
		return fe, http.StatusUnprocessableEntity, true
	case strategy.CodeOf(err) == strategy.CodeConflict:
		fe.General = append(fe.General, conflictMessage)
		return fe, http.StatusConflict, true
	}
	return nil, 0, false
}

// renderTranslateForm fills p's fields from the texts and vals, and p's
// error summary from fe, and shows the page.
func (s *server) renderTranslateForm(w http.ResponseWriter, r *http.Request, status int, p translatePage,
	texts []strategy.TranslatableText, vals url.Values, fe *formErrors) error {
	if fe == nil {
		fe = &formErrors{}
	}
	p.Total = len(texts)
	linked := map[string]bool{}
	for _, msg := range fe.General {
		p.Problems = append(p.Problems, link{Text: msg})
	}
	for i, tt := range texts {
		id := fmt.Sprintf("text-%d", i+1)
		f := translateField{
			ID: id, Name: tt.Path, Label: tt.Label, Swedish: tt.Swedish, OriginalID: id + "-original",
			Value: vals.Get(tt.Path), Long: tt.Long, Rows: textRows(tt.Swedish),
		}
		if strings.TrimSpace(f.Value) != "" {
			p.Translated++
		}
		if msg := fe.Field(tt.Path); msg != "" {
			f.Error, f.ErrorID = msg, id+"-fel"
			p.Problems = append(p.Problems, link{URL: "#" + id, Text: msg})
			linked[tt.Path] = true
		}
		p.Fields = append(p.Fields, f)
	}
	if fe.Any() {
		for path, msg := range fe.Fields {
			if !linked[path] {
				p.Problems = append(p.Problems, link{Text: msg})
			}
		}
		p.ProblemsTitle = "Det gick inte att spara"
		if len(p.Problems) == 1 && len(fe.General) == 1 && fe.General[0] == conflictMessage {
			p.ProblemsTitle = "Någon annan hann före"
		}
	}
	return render(s, w, r, status, "translate", p)
}

// textRows is a textarea's height for a translation of swedish: about as
// many lines as the original takes, at least three, at most twelve.
func textRows(swedish string) int {
	n := strings.Count(swedish, "\n") + len([]rune(swedish))/70 + 1
	return min(max(n, 3), 12)
}

// documentTranslatePage is the page translating document d into l, before
// its fields are filled.
func (s *server) documentTranslatePage(r *http.Request, d strategy.Document, l i18n.Language, rev int64) (translatePage, error) {
	org, err := s.st.Organisation(r.Context(), d.Org)
	if err != nil {
		return translatePage{}, err
	}
	sv := languageSv[l.Code]
	return translatePage{
		Title:       "Översätt till " + sv,
		Breadcrumbs: documentCrumbs(org, d, "Översätt till "+sv),
		Intro:       d.Title,
		Lang:        l,
		LangSv:      sv,
		Languages:   translateLinks(func(lang string) string { return translateDocumentURL(d.Key, lang) }, l.Code),
		Action:      translateDocumentURL(d.Key, l.Code),
		Rev:         rev,
		CancelURL:   documentURL(d.Key),
		HistoryURL:  historyURL(strategy.ObjectRef{Kind: strategy.ObjDocument, Document: d.Key}),
	}, nil
}

// pageTranslateDocument handles GET /redigera/dokument/{doc}/oversattning/{lang}.
func (s *server) pageTranslateDocument(w http.ResponseWriter, r *http.Request) error {
	d, err := s.editableDocument(r, auth.ActionWrite)
	if err != nil {
		return err
	}
	l, err := contentLanguage(r)
	if err != nil {
		return err
	}
	p, err := s.documentTranslatePage(r, d, l, d.Rev)
	if err != nil {
		return err
	}
	return s.renderTranslateForm(w, r, http.StatusOK, p, d.TranslatableTexts(), translationValues(d.Translations, l.Code), nil)
}

// postTranslateDocument handles POST /redigera/dokument/{doc}/oversattning/{lang}:
// every text of the page in one edit of the document, made to the
// revision the form was opened at.
func (s *server) postTranslateDocument(w http.ResponseWriter, r *http.Request) error {
	d, err := s.editableDocument(r, auth.ActionWrite)
	if err != nil {
		return err
	}
	l, err := contentLanguage(r)
	if err != nil {
		return err
	}
	rev, err := formRev(r)
	if err != nil {
		return err
	}
	texts := d.TranslatableTexts()
	_, err = s.st.EditDocument(r.Context(), strategy.Edit{
		Ref: strategy.ObjectRef{Kind: strategy.ObjDocument, Document: d.Key},
		Rev: rev,
		Apply: func(stored *strategy.Document) error {
			stored.Translations = setTranslations(stored.Translations, l.Code, texts, r.PostForm)
			return nil
		},
	})
	if err != nil {
		fe, status, ok := translateProblems(err, "document.translations."+l.Code+".", texts)
		if !ok {
			return err
		}
		vals := r.PostForm
		if status == http.StatusConflict {
			if d, err = s.st.Document(r.Context(), d.Key); err != nil {
				return err
			}
			texts, vals, rev = d.TranslatableTexts(), translationValues(d.Translations, l.Code), d.Rev
		}
		p, perr := s.documentTranslatePage(r, d, l, rev)
		if perr != nil {
			return perr
		}
		return s.renderTranslateForm(w, r, status, p, texts, vals, fe)
	}
	s.flash(r, "Översättningen till "+languageSv[l.Code]+" är sparad.")
	http.Redirect(w, r, translateDocumentURL(d.Key, l.Code), http.StatusSeeOther)
	return nil
}

// indicatorTranslatePage is the page translating indicator ind into l.
func indicatorTranslatePage(ind strategy.Indicator, l i18n.Language, rev int64) translatePage {
	sv := languageSv[l.Code]
	return translatePage{
		Title: "Översätt till " + sv,
		Breadcrumbs: []link{{URL: "/", Text: "Styrdokument"}, {URL: editIndicatorURL(ind.Key), Text: "Redigera indikatorn"},
			{Text: "Översätt till " + sv}},
		Intro:      ind.Title,
		Lang:       l,
		LangSv:     sv,
		Languages:  translateLinks(func(lang string) string { return translateIndicatorURL(ind.Key, lang) }, l.Code),
		Action:     translateIndicatorURL(ind.Key, l.Code),
		Rev:        rev,
		CancelURL:  editIndicatorURL(ind.Key),
		HistoryURL: historyURL(strategy.ObjectRef{Kind: strategy.ObjIndicator, Key: ind.Key}),
	}
}

// pageTranslateIndicator handles GET /redigera/indikatorer/{key}/oversattning/{lang}.
func (s *server) pageTranslateIndicator(w http.ResponseWriter, r *http.Request) error {
	ind, _, err := s.editableIndicator(r, "Det finns ingen indikator med nyckeln %q.")
	if err != nil {
		return err
	}
	l, err := contentLanguage(r)
	if err != nil {
		return err
	}
	return s.renderTranslateForm(w, r, http.StatusOK, indicatorTranslatePage(ind, l, ind.Rev), ind.TranslatableTexts(),
		translationValues(ind.Translations, l.Code), nil)
}

// postTranslateIndicator handles POST /redigera/indikatorer/{key}/oversattning/{lang}.
func (s *server) postTranslateIndicator(w http.ResponseWriter, r *http.Request) error {
	ind, _, err := s.editableIndicator(r, "Det finns ingen indikator med nyckeln %q.")
	if err != nil {
		return err
	}
	l, err := contentLanguage(r)
	if err != nil {
		return err
	}
	rev, err := formRev(r)
	if err != nil {
		return err
	}
	texts := ind.TranslatableTexts()
	_, err = s.st.EditIndicator(r.Context(), ind.Key, rev, func(stored *strategy.Indicator) error {
		stored.Translations = setTranslations(stored.Translations, l.Code, texts, r.PostForm)
		return nil
	})
	if err != nil {
		fe, status, ok := translateProblems(err, "translations."+l.Code+".", texts)
		if !ok {
			return err
		}
		vals := r.PostForm
		if status == http.StatusConflict {
			if ind, err = s.st.Indicator(r.Context(), ind.Key); err != nil {
				return err
			}
			texts, vals, rev = ind.TranslatableTexts(), translationValues(ind.Translations, l.Code), ind.Rev
		}
		return s.renderTranslateForm(w, r, status, indicatorTranslatePage(ind, l, rev), texts, vals, fe)
	}
	s.flash(r, "Översättningen till "+languageSv[l.Code]+" är sparad.")
	http.Redirect(w, r, translateIndicatorURL(ind.Key, l.Code), http.StatusSeeOther)
	return nil
}
