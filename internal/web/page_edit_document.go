package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/inkludera/inkludera/internal/auth"
	"github.com/inkludera/inkludera/internal/strategy"
)

// editDocumentURL is the form of a document's own fields.
func editDocumentURL(key string) string { return "/redigera/dokument/" + url.PathEscape(key) }

// editableDocument reads the document {doc} for an edit route: the public
// is sent to sign in, a document the user may not read is a 404 as
// everywhere, one they may read but not change a 403.
func (s *server) editableDocument(r *http.Request, action auth.Action) (strategy.Document, error) {
	if userOf(r) == nil {
		return strategy.Document{}, errSignInRequired
	}
	d, err := s.visibleDocument(r, r.PathValue("doc"), "Det finns inget dokument med nyckeln %q.")
	if err != nil {
		return d, err
	}
	obj := documentObject(d)
	if err := s.authorize(r, action, obj); err != nil {
		return d, err
	}
	return d, nil
}

// documentValues are a document's own fields as the form holds them.
func documentValues(d strategy.Document) url.Values {
	v := url.Values{}
	set := func(name, value string) {
		if value != "" {
			v.Set(name, value)
		}
	}
	set("kind", string(d.Kind))
	set("title", d.Title)
	set("subtitle", d.Subtitle)
	set("identifier", d.Identifier)
	set("case_number", d.CaseNumber)
	set("version", d.Version)
	set("adopted.by", d.Adopted.By)
	set("adopted.on", d.Adopted.On.String())
	set("adopted.paragraph", d.Adopted.Paragraph)
	set("adopted.reference", d.Adopted.Reference)
	set("valid_from", d.ValidFrom.String())
	set("valid_to", d.ValidTo.String())
	set("follow_up.interval_years", wholeValue(d.FollowUp.IntervalYears))
	set("follow_up.occasion", d.FollowUp.Occasion)
	set("follow_up.report_to", d.FollowUp.ReportTo)
	set("follow_up.deep_interval_years", wholeValue(d.FollowUp.DeepIntervalYears))
	set("revision.due", wholeValue(d.Revision.Due))
	set("revision.condition", d.Revision.Condition)
	set("owner", d.Owner)
	set("responsible", d.Responsible)
	set("audience", strings.Join(d.Audience, "\n"))
	set("summary", d.Summary)
	set("description", d.Description)
	return v
}

// decodeDocument reads the document form over base, the stored document,
// whose fields the form does not hold (replaces, related, indicators)
// stay as they are.
func decodeDocument(vals url.Values, base strategy.Document, fe *formErrors) strategy.Document {
	d := base
	d.Kind = strategy.DocumentKind(formText(vals, "kind"))
	d.Title = formText(vals, "title")
	d.Subtitle = formText(vals, "subtitle")
	d.Identifier = formText(vals, "identifier")
	d.CaseNumber = formText(vals, "case_number")
	d.Version = formText(vals, "version")
	d.Adopted = strategy.Adoption{
		By:        formText(vals, "adopted.by"),
		On:        formDate(vals, "adopted.on", fe),
		Paragraph: formText(vals, "adopted.paragraph"),
		Reference: formText(vals, "adopted.reference"),
	}
	d.ValidFrom = formDate(vals, "valid_from", fe)
	d.ValidTo = formDate(vals, "valid_to", fe)
	d.FollowUp = strategy.FollowUpRule{
		IntervalYears:     formWhole(vals, "follow_up.interval_years", fe, "1"),
		Occasion:          formText(vals, "follow_up.occasion"),
		ReportTo:          formText(vals, "follow_up.report_to"),
		DeepIntervalYears: formWhole(vals, "follow_up.deep_interval_years", fe, "4"),
	}
	d.Revision = strategy.RevisionRule{
		Due:       formWhole(vals, "revision.due", fe, "2030"),
		Condition: formText(vals, "revision.condition"),
	}
	d.Owner = formText(vals, "owner")
	d.Responsible = formText(vals, "responsible")
	d.Audience = formLines(vals, "audience")
	d.Summary = formText(vals, "summary")
	d.Description = formText(vals, "description")
	if d.Title == "" {
		fe.Add("title", "Ange dokumentets titel.")
	}
	return d
}

func documentKindOptions() []formOption {
	var out []formOption
	for _, k := range []strategy.DocumentKind{strategy.KindStrategy, strategy.KindProgramme, strategy.KindPlan,
		strategy.KindPolicy, strategy.KindGuidelines, strategy.KindRules} {
		out = append(out, formOption{Value: string(k), Label: documentKindLabel(k)})
	}
	return out
}

// documentFields lays out the document form.
func documentFields(b *formBuilder, bodies []strategy.Body) {
	b.group("", "")
	b.choice("select", "kind", "Typ av styrdokument", "", documentKindOptions())
	b.required("title", "Titel", "")
	b.text("subtitle", "Undertitel", "")
	b.text("identifier", "Id nr", "Numret i dokumentregistret, till exempel 0:34.")
	b.text("case_number", "Diarienummer", "Till exempel KS 2013/123.")
	b.text("version", "Version", "")

	b.group("Beslut om att anta dokumentet", "Krävs för att publicera dokumentet.")
	b.choice("select", "adopted.by", "Antaget av", "", bodyOptions(bodies, "Inte angivet"))
	b.date("adopted.on", "Beslutsdatum", "ÅÅÅÅ-MM-DD.")
	b.text("adopted.paragraph", "Paragraf", "Till exempel § 24.")
	b.text("adopted.reference", "Beslutsreferens", "Till exempel KF 2014-04-16 § 24.")

	b.group("Giltighet", "")
	b.date("valid_from", "Gäller från", "ÅÅÅÅ-MM-DD.")
	b.date("valid_to", "Gäller till", "ÅÅÅÅ-MM-DD. Lämna tomt om dokumentet gäller tills vidare.")

	b.group("Uppföljning", "")
	b.number("follow_up.interval_years", "Följs upp vart … år", "1 betyder varje år.", "numeric", 3)
	b.text("follow_up.occasion", "När uppföljningen görs", "Till exempel i samband med bokslut.")
	b.choice("select", "follow_up.report_to", "Rapporteras till", "", bodyOptions(bodies, "Inte angivet"))
	b.number("follow_up.deep_interval_years", "Fördjupad uppföljning vart … år", "Lämna tomt om det inte görs.", "numeric", 3)

	b.group("Revidering", "")
	b.number("revision.due", "Revideras senast år", "", "numeric", 4)
	b.text("revision.condition", "Villkor för revidering", "Till exempel om förutsättningarna förändras nämnvärt.")

	b.group("Ansvar och målgrupp", "")
	b.choice("select", "owner", "Ägare", "Det organ som äger dokumentet.", bodyOptions(bodies, "Inte angivet"))
	b.text("responsible", "Ansvarig", "Den tjänsteperson eller roll som svarar för dokumentet, till exempel Kommunchef.")
	b.textarea("audience", "Målgrupper", "En målgrupp per rad.", 3)

	b.group("Text", "")
	b.textarea("summary", "Sammanfattning", "På lätt svenska: vad dokumentet vill uppnå.", 4)
	b.textarea("description", "Bakgrund och syfte", "", 6)
}

// pageEditDocument handles GET /redigera/dokument/{doc}.
func (s *server) pageEditDocument(w http.ResponseWriter, r *http.Request) error {
	d, err := s.editableDocument(r, auth.ActionWrite)
	if err != nil {
		return err
	}
	return s.renderDocumentForm(w, r, http.StatusOK, d, documentValues(d), nil, d.Rev)
}

// postEditDocument handles POST /redigera/dokument/{doc}.
func (s *server) postEditDocument(w http.ResponseWriter, r *http.Request) error {
	d, err := s.editableDocument(r, auth.ActionWrite)
	if err != nil {
		return err
	}
	rev, err := formRev(r)
	if err != nil {
		return err
	}
	fe := &formErrors{}
	in := decodeDocument(r.PostForm, d, fe)
	if fe.Any() {
		return s.renderDocumentForm(w, r, http.StatusUnprocessableEntity, d, r.PostForm, fe, rev)
	}
	_, err = s.st.EditDocument(r.Context(), documentEdit(d.Key, rev, in))
	if err != nil {
		return s.documentEditFailed(w, r, d, r.PostForm, rev, err)
	}
	s.flash(r, "Ändringen är sparad.")
	http.Redirect(w, r, documentURL(d.Key), http.StatusSeeOther)
	return nil
}

// documentEditFailed shows the form again after a refused save: with the
// entered values and the problems beside them (422), or after a conflict
// with what is stored now and its Rev (409). Other errors are returned.
func (s *server) documentEditFailed(w http.ResponseWriter, r *http.Request, d strategy.Document, vals url.Values, rev int64, err error) error {
	b := newFormBuilder(nil, nil)
	bodies, berr := s.st.Bodies(r.Context(), d.Org)
	if berr != nil {
		return berr
	}
	documentFields(b, bodies)
	fe, status, ok := editProblems(err, b.inputs())
	if !ok {
		return err
	}
	if status == http.StatusConflict {
		stored, rerr := s.st.Document(r.Context(), d.Key)
		if rerr != nil {
			return rerr
		}
		return s.renderDocumentForm(w, r, status, stored, documentValues(stored), fe, stored.Rev)
	}
	return s.renderDocumentForm(w, r, status, d, vals, fe, rev)
}

// renderDocumentForm shows the form of document d's own fields with vals.
func (s *server) renderDocumentForm(w http.ResponseWriter, r *http.Request, status int, d strategy.Document, vals url.Values, fe *formErrors, rev int64) error {
	bodies, err := s.st.Bodies(r.Context(), d.Org)
	if err != nil {
		return err
	}
	org, err := s.st.Organisation(r.Context(), d.Org)
	if err != nil {
		return err
	}
	b := newFormBuilder(vals, fe)
	documentFields(b, bodies)
	p := editPage{
		Title:       "Redigera dokumentet",
		Breadcrumbs: documentCrumbs(org, d, "Redigera dokumentet"),
		Intro:       d.Title,
		Action:      editDocumentURL(d.Key),
		Rev:         rev,
		Groups:      b.groups,
		Submit:      "Spara",
		CancelURL:   documentURL(d.Key),
		Links:       []link{{URL: historyURL(strategy.ObjectRef{Kind: strategy.ObjDocument, Document: d.Key}), Text: "Historik för dokumentet"}},
	}
	p.summarise(b)
	if d.Status == strategy.StatusDraft && auth.Can(userOf(r), auth.ActionPublish, documentObject(d)) {
		p.Notice = "Dokumentet är ett utkast. Det syns bara för inloggade i organisationen tills det publiceras."
		pf := &publishForm{Action: editDocumentURL(d.Key) + "/publicera", Rev: d.Rev}
		for _, e := range adoptionProblems(d) {
			pf.Missing = append(pf.Missing, link{URL: "#" + fieldID(fieldOfPath(e.Path)), Text: e.Svenska})
		}
		p.Publish = pf
	}
	return render(s, w, r, status, "edit", p)
}

// documentCrumbs leads from the start page through the organisation and
// the document to the page named last.
func documentCrumbs(org strategy.Organisation, d strategy.Document, last string) []link {
	return []link{
		{URL: "/", Text: "Styrdokument"},
		{URL: "/#org-" + org.Code, Text: org.Name},
		{URL: documentURL(d.Key), Text: d.Title},
		{Text: last},
	}
}

// postPublishDocument handles POST /redigera/dokument/{doc}/publicera:
// the draft becomes adopted, once its adoption decision is filled in.
func (s *server) postPublishDocument(w http.ResponseWriter, r *http.Request) error {
	d, err := s.editableDocument(r, auth.ActionPublish)
	if err != nil {
		return err
	}
	rev, err := formRev(r)
	if err != nil {
		return err
	}
	if d.Status != strategy.StatusDraft {
		return strategy.Errorf(strategy.CodeConflict, "Dokumentet är redan publicerat.")
	}
	if _, err := s.st.EditDocument(r.Context(), publishEdit(d.Key, rev)); err != nil {
		return s.documentEditFailed(w, r, d, documentValues(d), d.Rev, err)
	}
	s.flash(r, "Dokumentet är publicerat och syns nu för alla.")
	http.Redirect(w, r, documentURL(d.Key), http.StatusSeeOther)
	return nil
}

// writableOrganisations are the organisations whose documents the
// request's user may write, for the new-document form.
func (s *server) writableOrganisations(r *http.Request) ([]strategy.Organisation, error) {
	orgs, err := s.st.ListOrganisations(r.Context())
	if err != nil {
		return nil, err
	}
	var out []strategy.Organisation
	for _, o := range orgs {
		if auth.Can(userOf(r), auth.ActionWrite, auth.Object{Kind: auth.KindDocument, Org: o.Code}) {
			out = append(out, o)
		}
	}
	return out, nil
}

// newDocumentOrgs checks that the user may create documents at all and
// returns where.
func (s *server) newDocumentOrgs(r *http.Request) ([]strategy.Organisation, error) {
	if userOf(r) == nil {
		return nil, errSignInRequired
	}
	orgs, err := s.writableOrganisations(r)
	if err != nil {
		return nil, err
	}
	if len(orgs) == 0 {
		return nil, strategy.Errorf(strategy.CodeForbidden, "Du har inte behörighet att skapa styrdokument.")
	}
	return orgs, nil
}

// pageNewDocument handles GET /redigera/dokument/ny.
func (s *server) pageNewDocument(w http.ResponseWriter, r *http.Request) error {
	orgs, err := s.newDocumentOrgs(r)
	if err != nil {
		return err
	}
	vals := url.Values{"kind": {string(strategy.KindStrategy)}}
	if u := userOf(r); u.Org != "" {
		vals.Set("org", u.Org)
	}
	if org := r.URL.Query().Get("org"); org != "" {
		vals.Set("org", org)
	}
	return s.renderNewDocumentForm(w, r, http.StatusOK, orgs, vals, nil)
}

func newDocumentFields(b *formBuilder, orgs []strategy.Organisation) {
	var opts []formOption
	for _, o := range orgs {
		opts = append(opts, formOption{Value: o.Code, Label: o.Name})
	}
	b.choice("select", "org", "Organisation", "", opts)
	b.required("title", "Titel", "")
	b.choice("select", "kind", "Typ av styrdokument", "", documentKindOptions())
	b.text("key", "Nyckel", "Används i adressen och kan inte ändras senare. Lämna tomt så skapas den av titeln.")
}

func (s *server) renderNewDocumentForm(w http.ResponseWriter, r *http.Request, status int, orgs []strategy.Organisation, vals url.Values, fe *formErrors) error {
	b := newFormBuilder(vals, fe)
	newDocumentFields(b, orgs)
	p := editPage{
		Title:       "Nytt styrdokument",
		Breadcrumbs: []link{{URL: "/", Text: "Styrdokument"}, {Text: "Nytt styrdokument"}},
		Intro:       "Dokumentet skapas som ett utkast. Fyll sedan i resten av uppgifterna och publicera det när det är antaget.",
		Action:      "/redigera/dokument/ny",
		Groups:      b.groups,
		Submit:      "Skapa utkast",
		CancelURL:   "/",
	}
	p.summarise(b)
	return render(s, w, r, status, "edit", p)
}

// postNewDocument handles POST /redigera/dokument/ny.
func (s *server) postNewDocument(w http.ResponseWriter, r *http.Request) error {
	orgs, err := s.newDocumentOrgs(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return strategy.Errorf(strategy.CodeInvalid, "Formuläret gick inte att läsa.")
	}
	vals := r.PostForm
	org := formText(vals, "org")
	if !auth.Can(userOf(r), auth.ActionWrite, auth.Object{Kind: auth.KindDocument, Org: org}) {
		return strategy.Errorf(strategy.CodeForbidden, "Du har inte behörighet att skapa styrdokument för den organisationen.")
	}
	fe := &formErrors{}
	if !slices.ContainsFunc(orgs, func(o strategy.Organisation) bool { return o.Code == org }) {
		fe.Add("org", "Välj en organisation i listan.")
	}
	in := strategy.Document{
		Kind:  strategy.DocumentKind(formText(vals, "kind")),
		Title: formText(vals, "title"),
		Key:   formText(vals, "key"),
	}
	if in.Title == "" {
		fe.Add("title", "Ange dokumentets titel.")
	}
	if in.Key == "" && in.Title != "" {
		in.Key = deriveKey(in.Title, "dokument", func(k string) bool { return s.documentExists(r.Context(), k) })
		vals.Set("key", in.Key)
	} else if in.Key != "" && s.documentExists(r.Context(), in.Key) {
		fe.Add("key", "Nyckeln används redan av ett annat dokument. Välj en annan.")
	}
	if fe.Any() {
		return s.renderNewDocumentForm(w, r, http.StatusUnprocessableEntity, orgs, vals, fe)
	}
	if _, err := s.st.EditDocument(r.Context(), newDocumentEdit(org, in)); err != nil {
		b := newFormBuilder(nil, nil)
		newDocumentFields(b, orgs)
		fe, status, ok := editProblems(err, b.inputs())
		if !ok {
			return err
		}
		if status == http.StatusConflict {
			// Only the key can collide with what is stored.
			fe = &formErrors{}
			fe.Add("key", "Nyckeln används redan av ett annat dokument. Välj en annan.")
			status = http.StatusUnprocessableEntity
		}
		return s.renderNewDocumentForm(w, r, status, orgs, vals, fe)
	}
	s.flash(r, "Utkastet är skapat. Fyll i resten av uppgifterna och spara.")
	http.Redirect(w, r, editDocumentURL(in.Key), http.StatusSeeOther)
	return nil
}

// documentExists reports whether a document has the key, whoever may
// read it: keys are global. A failing lookup counts as taken, so that a
// derived key never lands on an existing document.
func (s *server) documentExists(ctx context.Context, key string) bool {
	_, err := s.st.Document(ctx, key)
	return strategy.CodeOf(err) != strategy.CodeNotFound
}
