package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"strings"

	"github.com/inkludera/inkludera/internal/auth"
	"github.com/inkludera/inkludera/internal/doctext"
	"github.com/inkludera/inkludera/internal/extract"
	"github.com/inkludera/inkludera/internal/strategy"
	"github.com/inkludera/inkludera/internal/strategyfile"
)

// A draft strategy file is made from a text (a library document's, or an
// uploaded file's that is not kept) by internal/extract. The review screen
// shows every item found with the sentence it came from, and the draft as
// YAML that the reviewer corrects before importing it. The import is the
// command line's `inkludera import` of one file: checked by
// strategyfile first, with line numbers, and stored all or nothing, for
// an organisation whose documents the reviewer may write.

// maxDraftBody is the most a reviewed draft may be: the YAML of a large
// strategy is some 100 kB, and a reviewer may paste more into it.
const maxDraftBody = 4 << 20

// draftFileName is the name the reviewed YAML has in problem messages.
const draftFileName = "utkast.yaml"

// libraryDraftPage is the review screen.
type libraryDraftPage struct {
	Title string
	// Source names the text the draft was made from; SourceURL is its
	// library page, "" for an uploaded file.
	Source    string
	SourceURL string
	// Summary counts what was found: "4 mål, 11 målvärden, …".
	Summary string
	// Meta are the document's detected facts, each with its sentence.
	Meta []draftItem
	// Sections are the items found, by kind.
	Sections []draftSection
	// Action is where the reviewed YAML is posted.
	Action string
	YAML   string
	// Problems are what stopped the import, with the line they are on.
	Problems      []string
	ProblemsTitle string
	// Permission says, before the reviewer starts, when they may not
	// import for the organisation the draft names.
	Permission string
}

// draftSection is one kind of item: "Fokusområden", "Mål", …
type draftSection struct {
	ID    string
	Name  string
	Items []draftItem
}

// draftItem is one item: what it is, its details ("minst 10 % år 2020"),
// and the sentence of the text it came from.
type draftItem struct {
	Label    string
	Value    string
	Details  string
	Sentence string
	// Depth indents sub-goals under their goal.
	Depth int
}

// draftFromFilePage is GET /bibliotek/utkast: the form that uploads a file
// to draft from without adding it to the library.
type draftFromFilePage struct {
	Title    string
	MaxSize  string
	Accept   string
	Problems []string
}

// pageLibraryDraft handles GET /bibliotek/{id}/utkast: the review screen
// of the draft made from a library document.
func (s *server) pageLibraryDraft(w http.ResponseWriter, r *http.Request) error {
	if err := authorizeLibraryKeeper(r); err != nil {
		return err
	}
	_, d, err := s.libraryDocument(r)
	if err != nil {
		return err
	}
	draft := libraryDraft(r.Context(), s.st, d)
	file, err := draft.File()
	if err != nil {
		return strategy.Internal(err, "writing the draft strategy file")
	}
	p := s.newDraftPage(r, draft, string(file))
	p.Source, p.SourceURL, p.Action = d.Title, libraryDocumentURL(d.ID), libraryDraftURL(d.ID)
	return render(s, w, r, http.StatusOK, "library_draft", p)
}

// libraryDraft is the draft of a library document, with the metadata the
// library holds for it where someone has stated or corrected it: the
// library's form is where the organisation, year and kind are fixed. An
// organisation Inkludera has is named as stored.
func libraryDraft(ctx context.Context, st strategy.Store, d strategy.LibraryDocument) extract.Draft {
	draft := extract.FromText(d.Text, d.Title)
	m := &draft.Meta
	if d.Title != "" {
		m.Title = d.Title
	}
	if d.OrgCode != "" && d.OrgCode != m.OrgCode {
		m.OrgCode, m.OrgName, m.OrgKind, m.County = d.OrgCode, orgDisplayName(d.OrgCode, d.OrgName), "kommun", d.County
		if len(d.OrgCode) == 2 {
			m.OrgKind, m.County = "region", d.OrgCode
		}
		if o, err := st.Organisation(ctx, d.OrgCode); err == nil {
			m.OrgName, m.OrgKind, m.County = o.Name, string(o.Kind), o.County
		}
	}
	if d.Year != 0 {
		m.Year = d.Year
	}
	if d.Kind != "" {
		m.Kind = string(d.Kind)
	}
	if d.AdoptedBy != "" {
		m.AdoptedBy = d.AdoptedBy
	}
	if !d.AdoptedOn.IsZero() {
		m.AdoptedOn = d.AdoptedOn.String()
	}
	return draft
}

// orgDisplayName is how a strategy names a kommun: SCB's "Strömsund" as
// "Strömsunds kommun"; a region's name is whole already. The reviewer
// corrects the odd exception ("Falu kommun") in the draft.
func orgDisplayName(code, name string) string {
	if len(code) != 4 || name == "" {
		return name
	}
	if strings.HasSuffix(name, "s") || strings.HasSuffix(name, "x") || strings.HasSuffix(name, "z") {
		return name + " kommun"
	}
	return name + "s kommun"
}

// newDraftPage is the review screen of draft, with yaml in the textarea.
func (s *server) newDraftPage(r *http.Request, draft extract.Draft, yaml string) libraryDraftPage {
	p := libraryDraftPage{Title: "Granska utkastet", YAML: yaml}
	p.Meta, p.Sections, p.Summary = draftView(draft)
	if code := draft.Meta.OrgCode; code != "" && !auth.Can(userOf(r), auth.ActionWrite, auth.Object{Kind: auth.KindDocument, Org: code}) {
		name := draft.Meta.OrgName
		if name == "" {
			name = code
		}
		p.Permission = "Du kan granska utkastet, men inte importera det för " + name + ": det får bara den som får skriva organisationens styrdokument. Ändra organisationen i utkastet till din egen om dokumentet ska bli ert."
	}
	return p
}

// postLibraryDraft handles POST /bibliotek/{id}/utkast: the reviewed YAML
// is checked and imported; with problems the review screen comes back
// with them and the YAML as posted.
func (s *server) postLibraryDraft(w http.ResponseWriter, r *http.Request) error {
	if err := authorizeLibraryKeeper(r); err != nil {
		return err
	}
	_, d, err := s.libraryDocument(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return strategy.Errorf(strategy.CodeInvalid, "Formuläret gick inte att läsa.")
	}
	yaml := r.PostForm.Get("yaml")
	doc, status, problems, err := s.importDraft(r, yaml)
	if err != nil {
		return err
	}
	if len(problems) > 0 {
		p := s.newDraftPage(r, libraryDraft(r.Context(), s.st, d), yaml)
		p.Source, p.SourceURL, p.Action = d.Title, libraryDocumentURL(d.ID), libraryDraftURL(d.ID)
		p.setProblems(problems)
		return render(s, w, r, status, "library_draft", p)
	}
	s.imported(w, r, doc)
	return nil
}

// imported ends a successful import at the new document's page.
func (s *server) imported(w http.ResponseWriter, r *http.Request, doc strategy.Document) {
	s.log.InfoContext(r.Context(), "draft imported", "document", doc.Key, "org", doc.Org)
	s.flash(r, "Utkastet är importerat som ”"+doc.Title+"”. Gå igenom dokumentet och komplettera det som saknas.")
	http.Redirect(w, r, documentURL(doc.Key), http.StatusSeeOther)
}

func (p *libraryDraftPage) setProblems(problems []string) {
	p.Problems = problems
	if len(problems) == 1 {
		p.ProblemsTitle = "1 fel i utkastet"
	} else {
		p.ProblemsTitle = count(len(problems)) + " fel i utkastet"
	}
}

// draftFS is the reviewed YAML as the one file strategyfile reads: a file
// it refers to (observations in a CSV) does not exist here.
type draftFS []byte

func (f draftFS) Open(name string) (fs.File, error) {
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}

func (f draftFS) ReadFile(name string) ([]byte, error) {
	if name != draftFileName {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return bytes.Clone(f), nil
}

// importDraft checks the reviewed YAML and imports it. problems (with the
// status to answer them with) are the file's problems, by line, or what
// the reviewer may not do; err is anything else. Nothing is stored unless
// both are empty.
func (s *server) importDraft(r *http.Request, yaml string) (strategy.Document, int, []string, error) {
	ctx := r.Context()
	refuse := func(status int, problems ...string) (strategy.Document, int, []string, error) {
		return strategy.Document{}, status, problems, nil
	}
	if strings.TrimSpace(yaml) == "" {
		return refuse(http.StatusUnprocessableEntity, "Utkastet är tomt. Klistra in strategifilen i rutan.")
	}
	known := func(key string) bool {
		_, err := s.st.Indicator(ctx, key)
		return err == nil
	}
	bundles, err := strategyfile.LoadFS(draftFS(yaml), []string{draftFileName}, known)
	var ps strategyfile.Problems
	if errors.As(err, &ps) {
		out := make([]string, 0, len(ps))
		for _, p := range ps {
			out = append(out, draftProblemText(p))
		}
		return refuse(http.StatusUnprocessableEntity, out...)
	}
	if err != nil {
		return strategy.Document{}, 0, nil, strategy.Internal(err, "reading the reviewed draft")
	}
	var docs []*strategy.Document
	for _, b := range bundles {
		if b.Document != nil {
			docs = append(docs, b.Document)
		}
	}
	if len(docs) != 1 {
		return refuse(http.StatusUnprocessableEntity, fmt.Sprintf("Utkastet ska innehålla precis ett dokument (fältet document), men har %d.", len(docs)))
	}
	doc := *docs[0]
	// A document of the key is the likely problem of a draft imported
	// twice, so it is said first; an import never replaces a document.
	if _, err := s.st.Document(ctx, doc.Key); err == nil {
		return refuse(http.StatusConflict, "Det finns redan ett styrdokument med nyckeln ”"+doc.Key+
			"”. Ge utkastet en egen nyckel (fältet key under document), eller ändra det befintliga dokumentet i stället.")
	} else if strategy.CodeOf(err) != strategy.CodeNotFound {
		return strategy.Document{}, 0, nil, err
	}
	if denied, err := s.draftDenied(ctx, userOf(r), bundles); err != nil {
		return strategy.Document{}, 0, nil, err
	} else if len(denied) > 0 {
		return refuse(http.StatusForbidden, denied...)
	}
	if _, err := s.st.Import(ctx, bundles); err != nil {
		var v strategy.ValidationErrors
		if errors.As(err, &v) {
			out := make([]string, 0, len(v))
			for _, e := range v {
				out = append(out, e.Path+": "+swedishMessage(e))
			}
			return refuse(http.StatusUnprocessableEntity, out...)
		}
		if strategy.CodeOf(err) == strategy.CodeInvalid || strategy.CodeOf(err) == strategy.CodeConflict {
			var e *strategy.Error
			if errors.As(err, &e) {
				return refuse(http.StatusUnprocessableEntity, e.Message)
			}
		}
		return strategy.Document{}, 0, nil, err
	}
	return doc, http.StatusOK, nil, nil
}

// draftProblemText is a problem of the reviewed file in the reviewer's
// words: "Rad 12, kolumn 3: …". strategyfile words its problems in English.
func draftProblemText(p strategyfile.Problem) string {
	switch {
	case p.Line == 0:
		return p.Message
	case p.Column == 0:
		return fmt.Sprintf("Rad %d: %s", p.Line, p.Message)
	}
	return fmt.Sprintf("Rad %d, kolumn %d: %s", p.Line, p.Column, p.Message)
}

// draftDenied lists, in Swedish, what in the bundles u may not store,
// before anything is: documents of an organisation whose documents u may
// not write, values of one whose observations u may not write, a change
// to an organisation's own facts or to an indicator that is stored
// already (shared; an administrator's). A stored organisation that the
// draft names without changing it is put in as stored, so that the
// import cannot blank what the draft leaves out; an administrator's
// draft may change it.
func (s *server) draftDenied(ctx context.Context, u *strategy.User, bundles []strategy.Bundle) ([]string, error) {
	var denied []string
	admin := u != nil && u.Role == strategy.RoleAdmin && !u.Disabled
	for i, b := range bundles {
		org := ""
		if b.Organisation != nil {
			org = b.Organisation.Code
		}
		if b.Document != nil && b.Document.Org != "" {
			org = b.Document.Org
		}
		if b.Document != nil && !auth.Can(u, auth.ActionWrite, auth.Object{Kind: auth.KindDocument, Org: org}) {
			denied = append(denied, "Du får inte skapa styrdokument för organisationen "+org+". Ändra organisationen i utkastet (fältet organisation) till en du arbetar för, eller be en administratör importera utkastet.")
		}
		if b.Document != nil && b.Document.Status != strategy.StatusDraft &&
			!auth.Can(u, auth.ActionPublish, auth.Object{Kind: auth.KindDocument, Org: org}) {
			denied = append(denied, "Du får inte publicera styrdokument för organisationen "+org+". Sätt status: utkast i utkastet.")
		}
		if b.Organisation != nil {
			stored, err := s.st.Organisation(ctx, b.Organisation.Code)
			switch {
			case err == nil && differentOrg(*b.Organisation, stored) && !admin:
				denied = append(denied, "Utkastet ändrar uppgifterna om organisationen "+b.Organisation.Code+" ("+stored.Name+
					"). Skriv dem som de är i Inkludera, eller be en administratör ändra dem.")
			case err == nil && !differentOrg(*b.Organisation, stored):
				// What the draft leaves out stays as stored.
				bundles[i].Organisation = &stored
			case err != nil && strategy.CodeOf(err) != strategy.CodeNotFound:
				return nil, err
			}
		}
		for _, o := range b.Observations {
			if !auth.Can(u, auth.ActionWrite, auth.Object{Kind: auth.KindObservations, Org: o.Org}) {
				denied = append(denied, "Du får inte importera värden för organisationen "+o.Org+". Ta bort värdena ur utkastet.")
				break
			}
		}
		for _, ind := range b.Indicators {
			if admin {
				break
			}
			if _, err := s.st.Indicator(ctx, ind.Key); err == nil {
				denied = append(denied, "Indikatorn "+ind.Key+" finns redan och delas med andra. Ta bort den ur utkastets lista över indikatorer och hänvisa bara till nyckeln.")
			} else if strategy.CodeOf(err) != strategy.CodeNotFound {
				return nil, err
			}
		}
	}
	return denied, nil
}

// differentOrg reports whether the draft states an organisation's facts
// otherwise than they are stored; facts it leaves out do not count.
func differentOrg(draft, stored strategy.Organisation) bool {
	return draft.Name != "" && draft.Name != stored.Name ||
		draft.Kind != "" && draft.Kind != stored.Kind ||
		draft.County != "" && draft.County != stored.County
}

// pageDraftFromFile handles GET /bibliotek/utkast.
func (s *server) pageDraftFromFile(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.library(); err != nil {
		return err
	}
	if err := authorizeLibraryKeeper(r); err != nil {
		return err
	}
	return render(s, w, r, http.StatusOK, "library_draft_file", newDraftFromFilePage())
}

func newDraftFromFilePage() draftFromFilePage {
	return draftFromFilePage{Title: "Gör ett utkast av en fil", MaxSize: "50\u00a0MB", Accept: libraryAccept}
}

// postDraftFromFile handles POST /bibliotek/utkast: the uploaded file is
// read and drafted, and the review screen shown; the file is not kept.
func (s *server) postDraftFromFile(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.library(); err != nil {
		return err
	}
	if err := authorizeLibraryKeeper(r); err != nil {
		return err
	}
	allowSlowUpload(w)
	r.Body = http.MaxBytesReader(w, r.Body, maxLibraryUpload+maxFormOverhead)
	refuse := func(status int, problem string) error {
		p := newDraftFromFilePage()
		p.Problems = []string{problem}
		return render(s, w, r, status, "library_draft_file", p)
	}
	up, err := readLibraryUpload(r, "fil", 1)
	if err != nil {
		status, problem, ok := uploadProblem(err, 1)
		if !ok {
			return err
		}
		return refuse(status, problem)
	}
	if len(up.files) == 0 {
		return refuse(http.StatusBadRequest, "Välj en fil.")
	}
	f := up.files[0]
	text, err := doctext.Extract(f.Name, f.Data)
	if err != nil {
		var de *doctext.Error
		if errors.As(err, &de) {
			return refuse(http.StatusUnprocessableEntity, de.Swedish())
		}
		return refuse(http.StatusUnprocessableEntity, f.Name+": filen kunde inte läsas.")
	}
	body := text.String()
	if strings.TrimSpace(body) == "" {
		return refuse(http.StatusUnprocessableEntity, f.Name+": filen innehåller ingen text.")
	}
	draft := extract.FromText(body, text.Title)
	file, err := draft.File()
	if err != nil {
		return strategy.Internal(err, "writing the draft strategy file")
	}
	p := s.newDraftPage(r, draft, string(file))
	p.Source, p.Action = f.Name, "/bibliotek/utkast/importera"
	return render(s, w, r, http.StatusOK, "library_draft", p)
}

// postImportFileDraft handles POST /bibliotek/utkast/importera: the
// reviewed draft of an uploaded file. With problems the screen shows the
// YAML as posted and its problems; the items found are not shown again,
// since the file is not kept.
func (s *server) postImportFileDraft(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.library(); err != nil {
		return err
	}
	if err := authorizeLibraryKeeper(r); err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return strategy.Errorf(strategy.CodeInvalid, "Formuläret gick inte att läsa.")
	}
	yaml := r.PostForm.Get("yaml")
	source := formText(r.PostForm, "kalla")
	doc, status, problems, err := s.importDraft(r, yaml)
	if err != nil {
		return err
	}
	if len(problems) > 0 {
		p := libraryDraftPage{Title: "Granska utkastet", YAML: yaml, Source: source, Action: "/bibliotek/utkast/importera"}
		p.setProblems(problems)
		return render(s, w, r, status, "library_draft", p)
	}
	s.imported(w, r, doc)
	return nil
}
