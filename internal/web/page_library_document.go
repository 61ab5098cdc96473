package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/inkludera/inkludera/internal/library"
	"github.com/inkludera/inkludera/internal/strategy"
)

// libraryDocumentPage is GET /bibliotek/{id}: the document's metadata, its
// related documents, its text, and for those who may the metadata form,
// the link to a draft and (administrators) deletion.
type libraryDocumentPage struct {
	Title string
	Facts []metaItem
	// Related are the "Relevanta dokument", most alike first.
	Related []libraryRelated
	// Paragraphs are the text, as the file had them.
	Paragraphs []string
	DraftURL   string
	Edit       *libraryEditForm
	DeleteURL  string
	// Problems is the error summary of a refused edit; Conflict says
	// someone else saved first.
	Problems []link
	Conflict bool
}

// libraryRelated is one related document with its similarity in words.
type libraryRelated struct {
	URL        string
	Title      string
	Meta       string
	Similarity string
}

// libraryEditForm is the metadata form.
type libraryEditForm struct {
	Action    string
	Rev       int
	Title     input
	Org       input
	Year      input
	Kind      selectInput
	AdoptedBy input
	AdoptedOn input
}

// libraryDocumentID reads {id}: a document that cannot exist is a 404.
func libraryDocumentID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, strategy.Errorf(strategy.CodeNotFound, "Biblioteket har inget dokument %q.", r.PathValue("id"))
	}
	return id, nil
}

// libraryDocument reads the document {id} with its text.
func (s *server) libraryDocument(r *http.Request) (*library.Library, strategy.LibraryDocument, error) {
	lib, err := s.library()
	if err != nil {
		return nil, strategy.LibraryDocument{}, err
	}
	id, err := libraryDocumentID(r)
	if err != nil {
		return nil, strategy.LibraryDocument{}, err
	}
	d, err := lib.Store().LibraryDocument(r.Context(), id)
	if err != nil {
		return nil, d, notFoundAs(err, "Biblioteket har inget dokument %d. Det kan ha tagits bort.", id)
	}
	return lib, d, nil
}

// pageLibraryDocument handles GET /bibliotek/{id}.
func (s *server) pageLibraryDocument(w http.ResponseWriter, r *http.Request) error {
	lib, d, err := s.libraryDocument(r)
	if err != nil {
		return err
	}
	return s.renderLibraryDocument(w, r, http.StatusOK, lib, d, libraryMetaValues(d.LibraryMeta), nil)
}

// libraryMetaValues are a document's metadata as the form's values.
func libraryMetaValues(m strategy.LibraryMeta) url.Values {
	v := url.Values{}
	v.Set("title", m.Title)
	v.Set("org_code", m.OrgCode)
	if m.Year != 0 {
		v.Set("year", strconv.Itoa(m.Year))
	}
	v.Set("kind", string(m.Kind))
	v.Set("adopted_by", m.AdoptedBy)
	if !m.AdoptedOn.IsZero() {
		v.Set("adopted_on", m.AdoptedOn.String())
	}
	return v
}

// renderLibraryDocument shows the document with the form filled with vals
// and the problems fe.
func (s *server) renderLibraryDocument(w http.ResponseWriter, r *http.Request, status int, lib *library.Library,
	d strategy.LibraryDocument, vals url.Values, fe *formErrors) error {
	ctx := r.Context()
	p := libraryDocumentPage{Title: d.Title, Facts: libraryFacts(d), Paragraphs: paragraphs(d.Text)}
	related, err := lib.Store().RelatedLibraryDocuments(ctx, d.ID)
	if err != nil {
		return err
	}
	for _, n := range related {
		var meta []string
		if n.Org != "" {
			meta = append(meta, n.Org)
		}
		if n.Year != 0 {
			meta = append(meta, strconv.Itoa(n.Year))
		}
		p.Related = append(p.Related, libraryRelated{URL: libraryDocumentURL(n.ID), Title: n.Title,
			Meta: strings.Join(meta, ", "), Similarity: similarityText(n.Score)})
	}
	u := userOf(r)
	if mayKeepLibrary(u) {
		p.DraftURL = libraryDraftURL(d.ID)
		p.Edit = newLibraryEditForm(d, vals, fe)
	}
	if mayDeleteFromLibrary(u) {
		p.DeleteURL = libraryDocumentURL(d.ID) + "/ta-bort"
	}
	if fe.Any() {
		for _, msg := range fe.General {
			p.Problems = append(p.Problems, link{Text: msg})
			p.Conflict = p.Conflict || msg == conflictMessage
		}
		if p.Edit != nil {
			for _, in := range []input{p.Edit.Title, p.Edit.Org, p.Edit.Year, p.Edit.Kind.input, p.Edit.AdoptedBy, p.Edit.AdoptedOn} {
				if in.Error != "" {
					p.Problems = append(p.Problems, link{URL: "#" + in.ID, Text: in.Error})
				}
			}
		}
	}
	return render(s, w, r, status, "library_document", p)
}

// libraryFacts are the document's metadata as the page lists them.
func libraryFacts(d strategy.LibraryDocument) []metaItem {
	var out []metaItem
	add := func(label, text string, links ...link) {
		if text != "" || len(links) > 0 {
			out = append(out, metaItem{Label: label, Text: text, Links: links})
		}
	}
	if d.OrgCode != "" {
		name := d.OrgName
		if name == "" {
			name = d.OrgCode
		}
		add("Kommun eller region", "", link{URL: libraryURL(libraryFilter{Org: d.OrgCode}), Text: name})
	}
	if d.County != "" && d.County != d.OrgCode {
		add("Län", "", link{URL: libraryURL(libraryFilter{Region: d.County}), Text: countyName(d.County)})
	}
	if d.Kind != "" {
		add("Typ", documentKindLabel(d.Kind))
	}
	if d.Year != 0 {
		add("År", strconv.Itoa(d.Year))
	}
	add("Antagen av", d.AdoptedBy)
	if !d.AdoptedOn.IsZero() {
		add("Antagen", d.AdoptedOn.String())
	}
	file := d.FileName
	if f := libraryFormatLabel(d.Format); f != "" {
		if file != "" {
			file += ", "
		}
		file += f
	}
	if d.Pages > 0 {
		file += ", " + pagesText(d.Pages)
	}
	add("Fil", file)
	add("Omfång", count(d.Words)+" ord")
	added := d.AddedAt.Format("2006-01-02")
	if d.AddedBy != "" {
		added += " av " + d.AddedBy
	}
	add("Tillagd", added)
	return out
}

// libraryFormatLabel names a file format in Swedish.
func libraryFormatLabel(format string) string {
	switch format {
	case "text":
		return "textfil"
	case "markdown":
		return "Markdown"
	case "pdf":
		return "PDF"
	case "docx":
		return "Word (DOCX)"
	}
	return format
}

// paragraphs splits a text at its blank lines; lines within a paragraph
// are joined, since the text's own line breaks come from the file's layout.
func paragraphs(text string) []string {
	var out []string
	for _, block := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		if p := strings.Join(strings.Fields(block), " "); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// newLibraryEditForm lays the metadata form out over vals.
func newLibraryEditForm(d strategy.LibraryDocument, vals url.Values, fe *formErrors) *libraryEditForm {
	f := &libraryEditForm{Action: libraryDocumentURL(d.ID), Rev: d.Rev,
		Title: newInput(fe, "title", "Titel", vals.Get("title"), ""),
		Org: newInput(fe, "org_code", "Kommun- eller regionkod", vals.Get("org_code"),
			"Fyra siffror för en kommun (2380 för Östersund), två för en region (23). Lämna tomt om det är okänt."),
		Year:      newInput(fe, "year", "År", vals.Get("year"), "Året dokumentet antogs eller gäller från, till exempel 2020."),
		AdoptedBy: newInput(fe, "adopted_by", "Antagen av", vals.Get("adopted_by"), "Till exempel Kommunfullmäktige."),
		AdoptedOn: newInput(fe, "adopted_on", "Antagen datum", vals.Get("adopted_on"), "").typed("date"),
	}
	f.Kind = selectInput{input: newInput(fe, "kind", "Typ av dokument", "", ""), None: "Okänd"}
	for _, o := range documentKindOptions() {
		f.Kind.Options = append(f.Kind.Options, choice{Value: o.Value, Label: o.Label, Checked: o.Value == vals.Get("kind")})
	}
	return f
}

// decodeLibraryMeta reads the metadata form; problems that the store
// cannot see (a year that is no number, an unknown organisation code) are
// added to fe.
func decodeLibraryMeta(vals url.Values, fe *formErrors) strategy.LibraryMeta {
	m := strategy.LibraryMeta{
		Title:     formText(vals, "title"),
		OrgCode:   formText(vals, "org_code"),
		Kind:      strategy.DocumentKind(formText(vals, "kind")),
		AdoptedBy: formText(vals, "adopted_by"),
	}
	if m.Title == "" {
		fe.Add("title", "Ange dokumentets titel.")
	}
	if m.OrgCode != "" && !libraryOrgCode(m.OrgCode) {
		fe.Add("org_code", "Skriv en kommunkod med fyra siffror eller en regionkod med två, till exempel 2380 eller 23.")
	} else if m.OrgCode != "" && orgCodeLabel(m.OrgCode) == m.OrgCode {
		fe.Add("org_code", "Det finns ingen kommun eller region med koden "+m.OrgCode+".")
	}
	if y := formText(vals, "year"); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil || n < 1900 || n > 2200 {
			fe.Add("year", "Skriv året med fyra siffror, till exempel 2020.")
		}
		m.Year = n
	}
	if m.Kind != "" && !m.Kind.Valid() {
		fe.Add("kind", "Välj en typ i listan.")
	}
	if on := formText(vals, "adopted_on"); on != "" {
		d, err := strategy.ParseDate(on)
		if err != nil {
			fe.Add("adopted_on", "Skriv datumet som ÅÅÅÅ-MM-DD, till exempel 2016-05-10.")
		}
		m.AdoptedOn = d
	}
	return m
}

// postLibraryDocument handles POST /bibliotek/{id}: the metadata form. The
// form's rev must be the stored revision; when someone else saved in
// between, nothing is saved and the form shows what is stored.
func (s *server) postLibraryDocument(w http.ResponseWriter, r *http.Request) error {
	if err := authorizeLibraryKeeper(r); err != nil {
		return err
	}
	lib, d, err := s.libraryDocument(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return strategy.Errorf(strategy.CodeInvalid, "Formuläret gick inte att läsa.")
	}
	rev, err := postedRev(r)
	if err != nil {
		return err
	}
	vals := r.PostForm
	fe := &formErrors{}
	meta := decodeLibraryMeta(vals, fe)
	if fe.Any() {
		return s.renderLibraryDocument(w, r, http.StatusUnprocessableEntity, lib, d, vals, fe)
	}
	edited, err := lib.Edit(r.Context(), d.ID, int(rev), meta)
	if err != nil {
		inputs := map[string]bool{"title": true, "org_code": true, "year": true, "kind": true, "adopted_by": true, "adopted_on": true}
		fe, status, ok := editProblems(err, inputs)
		if !ok {
			return err
		}
		if status == http.StatusConflict {
			// Show what is stored now, so the editor redoes the change
			// on it.
			if d, err = lib.Store().LibraryDocument(r.Context(), d.ID); err != nil {
				return err
			}
			vals = libraryMetaValues(d.LibraryMeta)
		}
		return s.renderLibraryDocument(w, r, status, lib, d, vals, fe)
	}
	s.log.InfoContext(r.Context(), "library document edited", "id", edited.ID, "rev", edited.Rev)
	s.flash(r, "Uppgifterna om dokumentet är sparade.")
	http.Redirect(w, r, libraryDocumentURL(d.ID), http.StatusSeeOther)
	return nil
}

// postDeleteLibraryDocument handles POST /bibliotek/{id}/ta-bort.
func (s *server) postDeleteLibraryDocument(w http.ResponseWriter, r *http.Request) error {
	u := userOf(r)
	if u == nil {
		return errSignInRequired
	}
	if !mayDeleteFromLibrary(u) {
		return strategy.Errorf(strategy.CodeForbidden, "Bara en administratör kan ta bort dokument ur biblioteket.")
	}
	lib, d, err := s.libraryDocument(r)
	if err != nil {
		return err
	}
	if err := lib.Delete(r.Context(), d.ID); err != nil {
		return err
	}
	s.log.InfoContext(r.Context(), "library document deleted", "id", d.ID, "title", d.Title)
	s.flash(r, "”"+d.Title+"” är borttaget ur biblioteket.")
	http.Redirect(w, r, "/bibliotek", http.StatusSeeOther)
	return nil
}
