package web

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"mime/multipart"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/inkludera/inkludera/internal/library"
	"github.com/inkludera/inkludera/internal/strategy"
)

func init() {
	checkedPages["library"] = frame[libraryPage]{}
	checkedPages["library_document"] = frame[libraryDocumentPage]{}
	checkedPages["library_upload"] = frame[libraryUploadPage]{}
	checkedPages["library_draft"] = frame[libraryDraftPage]{}
	checkedPages["library_draft_file"] = frame[draftFromFilePage]{}
}

// The library's test texts, written for Inkludera (CC0). strategyText is
// an invented integration strategy of Strömsund (a kommun of the test
// bundles, whose samordnare may import its draft) with two long-term goals
// and their targets; programText a Markdown programme of Härnösand.
const (
	strategyText = `Integrationsstrategi för Strömsunds kommun 2022–2026

Strategin antogs av kommunfullmäktige 2022-03-15, § 24. Dnr KS 2021/456.

Inledning

Strömsunds kommun behöver fler invånare. Kommunerna i länet samarbetar om mottagandet av nyanlända, och arbetsmarknadsinsatser för utrikes födda är en prioriterad fråga.

Långsiktigt mål 1: Fler nyanlända i arbete

Minst 60 % av de nyanlända ska ha ett arbete eller studera år 2026.

Kommunen ska erbjuda praktikplatser inom alla förvaltningar.

Långsiktigt mål 2: Alla barn lyckas i skolan

Andelen elever med annat modersmål som når gymnasiebehörighet ska vara minst 80 procent år 2026.

Kommunen ska erbjuda modersmålsundervisning i alla språk där det finns elever.
`
	programText = `# Program för arbete och social sammanhållning i Härnösands kommun 2021

Programmet antogs av kommunstyrelsen 2021.

## Arbetsmarknad

Härnösands kommun satsar på arbetsmarknadsinsatser och språkpraktik för nyanlända. Samverkan med Arbetsförmedlingen är central för att fler ska få arbete.

## Bostäder

Kommunens bostadsbolag ska bygga fler lägenheter så att nyanlända kan bo kvar i kommunen.
`
	// libraryXSSText is a document whose heading and text try to run a script.
	libraryXSSText = `Plan <img src=x onerror=alert(1)> för flygfiskar

Flygfiskar <script>alert(1)</script> flyger över integrationsarbetet i kommunen.
`
)

// newLibraryEnv is the test site with the test users and a strategy
// library of the test's engine: bleve beside SQLite, PostgreSQL's own
// search there.
func newLibraryEnv(t *testing.T) (*testEnv, *library.Library) {
	t.Helper()
	st := newTestStore(t)
	storeTestUsers(t, st)
	lib, err := library.Open(context.Background(), st, filepath.Join(t.TempDir(), "index"), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lib.Close() })
	return newTestEnvWith(t, st, WithLibrary(lib)), lib
}

// libraryFile is a file of an upload.
type libraryFile struct{ name, content string }

// multipartForm builds an upload of files under the input field, with the
// other fields.
func multipartForm(t *testing.T, field string, files []libraryFile, fields map[string]string) (*bytes.Buffer, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for name, v := range fields {
		if err := mw.WriteField(name, v); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range files {
		fw, err := mw.CreateFormFile(field, f.name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fw.Write([]byte(f.content)); err != nil {
			t.Fatal(err)
		}
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return &b, mw.FormDataContentType()
}

// uploadToLibrary uploads files as u and returns the response.
func (e *testEnv) uploadToLibrary(t *testing.T, u *strategy.User, fields map[string]string, files ...libraryFile) (*http.Response, string) {
	t.Helper()
	body, ct := multipartForm(t, "filer", files, fields)
	return e.as(t, u, "POST", "/bibliotek/ladda-upp", body, ct)
}

// libraryIDs maps each stored library document's file name to its ID.
func libraryIDs(t *testing.T, lib *library.Library) map[string]int64 {
	t.Helper()
	docs, _, err := lib.Store().LibraryDocuments(context.Background(), 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for _, d := range docs {
		out[d.FileName] = d.ID
	}
	return out
}

// wantPage checks a page's status, what it must and must not contain, and
// its HTML.
func wantPage(t *testing.T, what string, res *http.Response, page string, status int, want, not []string) {
	t.Helper()
	if res.StatusCode != status {
		t.Fatalf("%s: status %d, want %d\n%.3000s", what, res.StatusCode, status, page)
	}
	for _, w := range want {
		if !strings.Contains(page, w) {
			t.Errorf("%s: page lacks %q", what, w)
		}
	}
	for _, n := range not {
		if strings.Contains(page, n) {
			t.Errorf("%s: page has %q", what, n)
		}
	}
	if strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		for _, p := range htmlProblems(page) {
			t.Errorf("%s: HTML problem: %s", what, p)
		}
	}
}

// TestLibraryUploadSearchAndDocument walks the library as a samordnare
// would: upload a text and a Markdown file, find them with a compound's
// part and a stemmed word, narrow by a facet, read a document with its
// related documents, and upload the same text again.
func TestLibraryUploadSearchAndDocument(t *testing.T) {
	onEngines(t, func(t *testing.T) {
		e, lib := newLibraryEnv(t)

		res, page := e.uploadToLibrary(t, testCoordinator, nil,
			libraryFile{"strategi.txt", strategyText}, libraryFile{"program.md", programText})
		wantPage(t, "upload", res, page, http.StatusOK, []string{
			"Uppladdningen är klar", "2 filer lästes: 2 nya.",
			"Integrationsstrategi för Strömsunds kommun 2022–2026", "Program för arbete och social sammanhållning",
		}, []string{"Fanns redan", "Inget har sparats"})
		ids := libraryIDs(t, lib)
		strategyID, programID := ids["strategi.txt"], ids["program.md"]
		if strategyID == 0 || programID == 0 {
			t.Fatalf("stored files: %v", ids)
		}
		if !strings.Contains(page, `href="`+libraryDocumentURL(strategyID)+`"`) {
			t.Errorf("the receipt does not link the new document %d", strategyID)
		}

		tests := []struct {
			name, target string
			want, not    []string
		}{
			{"no query: newest and facets of all", "/bibliotek", []string{
				"Senast tillagda", "2 dokument", `href="` + libraryDocumentURL(strategyID) + `"`, `href="` + libraryDocumentURL(programID) + `"`,
				`<h3 id="facett-org">Kommun eller region</h3>`, `<a href="/bibliotek?org=2313">`, `<a href="/bibliotek?org=2280">`,
				`<h3 id="facett-typ">Typ av dokument</h3>`,
			}, nil},
			{"a compound's part finds the compound", "/bibliotek?q=arbetsmarknad", []string{
				"Sökresultat", "2 dokument", "<mark>", "arbetsmarknadsinsatser",
			}, nil},
			{"a stemmed word", "/bibliotek?q=modersm%C3%A5lsundervisning", []string{
				"1 dokument", `href="` + libraryDocumentURL(strategyID) + `"`, "<mark>modersmålsundervisning</mark>",
			}, []string{`href="` + libraryDocumentURL(programID) + `"`}},
			{"a facet filters", "/bibliotek?q=arbetsmarknad&org=2280", []string{
				"1 dokument", `href="` + libraryDocumentURL(programID) + `"`, "Valda filter", "valt)",
				`<a href="/bibliotek?q=arbetsmarknad">ta bort<span class="visually-hidden"> filtret`,
			}, []string{`href="` + libraryDocumentURL(strategyID) + `"`}},
			{"the search form keeps the filters", "/bibliotek?org=2313", []string{
				`<input type="hidden" name="org" value="2313">`, "1 dokument",
			}, []string{`href="` + libraryDocumentURL(programID) + `"`}},
			{"nothing found", "/bibliotek?q=flygfisk", []string{"0 dokument", "Inga dokument matchar"}, []string{"<mark>"}},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				res, page := e.do(t, "GET", tc.target)
				wantPage(t, tc.target, res, page, http.StatusOK, tc.want, tc.not)
				if cc := res.Header.Get("Cache-Control"); strings.Contains(cc, "public") {
					t.Errorf("the search page is cached publicly: %q", cc)
				}
			})
		}

		res, page = e.do(t, "GET", libraryDocumentURL(strategyID))
		wantPage(t, "document", res, page, http.StatusOK, []string{
			"<h1>Integrationsstrategi för Strömsunds kommun 2022–2026</h1>",
			"<dt>Kommun eller region</dt>", `<a href="/bibliotek?org=2313">Strömsund`,
			`<dt>Län</dt>`, `<a href="/bibliotek?lan=23">Jämtlands län</a>`,
			"<h2 id=\"relevanta\">Relevanta dokument</h2>", `href="` + libraryDocumentURL(programID) + `"`, "\u00a0% lika",
			"<p>Kommunen ska erbjuda praktikplatser inom alla förvaltningar.</p>",
		}, []string{"Gör ett utkast", "Ändra uppgifterna", "Ta bort dokumentet"})
		res, page = e.doAs(t, testCoordinator, "GET", libraryDocumentURL(strategyID), nil)
		wantPage(t, "document for a samordnare", res, page, http.StatusOK, []string{
			`href="` + libraryDraftURL(strategyID) + `"`, "Ändra uppgifterna om dokumentet", `name="rev" value="1"`,
		}, []string{"Ta bort dokumentet"})

		res, page = e.uploadToLibrary(t, testEditorKS, nil, libraryFile{"samma-text.txt", strategyText})
		wantPage(t, "duplicate", res, page, http.StatusOK, []string{
			"1 fil lästes: 0 nya, 1 fanns redan.", "Fanns redan i biblioteket",
			`samma-text.txt: samma text som <a href="` + libraryDocumentURL(strategyID) + `">`,
		}, []string{"Nya dokument i biblioteket"})
		if n := len(libraryIDs(t, lib)); n != 2 {
			t.Errorf("after the duplicate the library has %d documents, want 2", n)
		}
	})
}

// TestLibraryUploadUnreadable: one unreadable file stores nothing, unless
// the form asks to skip such files.
func TestLibraryUploadUnreadable(t *testing.T) {
	e, lib := newLibraryEnv(t)
	bad := libraryFile{"gammal.doc", "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 Word 97"}
	res, page := e.uploadToLibrary(t, testCoordinator, nil, libraryFile{"strategi.txt", strategyText}, bad)
	wantPage(t, "without skipping", res, page, http.StatusUnprocessableEntity, []string{
		"Inget har sparats", "Filer som inte gick att läsa", "gammal.doc",
	}, []string{"Nya dokument i biblioteket"})
	if n := len(libraryIDs(t, lib)); n != 0 {
		t.Fatalf("an upload with an unreadable file stored %d documents", n)
	}
	res, page = e.uploadToLibrary(t, testCoordinator, map[string]string{"hoppa-over": "ja"}, libraryFile{"strategi.txt", strategyText}, bad)
	wantPage(t, "skipping", res, page, http.StatusOK, []string{
		"Uppladdningen är klar", "2 filer lästes: 1 ny, 1 gick inte att läsa.", "gammal.doc", "Nya dokument i biblioteket",
		`<input type="checkbox" id="hoppa-over" name="hoppa-over" value="ja" checked`,
	}, nil)
	if n := len(libraryIDs(t, lib)); n != 1 {
		t.Errorf("skipping the unreadable file stored %d documents, want 1", n)
	}

	res, page = e.uploadToLibrary(t, testCoordinator, nil)
	wantPage(t, "no file", res, page, http.StatusBadRequest, []string{"Välj en eller flera filer att ladda upp."}, nil)
}

// TestLibraryEditMetadata: an editor corrects the detected metadata; an
// edit made on an old revision is refused with the conflict message and
// the form shows what is stored; bad values are named beside their field.
func TestLibraryEditMetadata(t *testing.T) {
	onEngines(t, func(t *testing.T) {
		e, lib := newLibraryEnv(t)
		if res, page := e.uploadToLibrary(t, testCoordinator, nil, libraryFile{"program.md", programText}); res.StatusCode != http.StatusOK {
			t.Fatalf("upload: %d\n%s", res.StatusCode, page)
		}
		id := libraryIDs(t, lib)["program.md"]
		target := libraryDocumentURL(id)
		form := func(rev int, title, org, year string) url.Values {
			return url.Values{"rev": {strconv.Itoa(rev)}, "title": {title}, "org_code": {org}, "year": {year},
				"kind": {"program"}, "adopted_by": {"Kommunstyrelsen"}, "adopted_on": {"2021-02-03"}}
		}

		res, page := e.doAs(t, testEditorKS, "POST", target, form(1, "Program för arbete 2021", "2280", "2021"))
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != target {
			t.Fatalf("edit: status %d, Location %q\n%.2000s", res.StatusCode, res.Header.Get("Location"), page)
		}
		d, err := lib.Store().LibraryDocument(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if d.Title != "Program för arbete 2021" || d.Kind != strategy.KindProgramme || d.AdoptedOn.String() != "2021-02-03" || d.Rev != 2 {
			t.Errorf("stored after the edit: %+v", d.LibraryMeta)
		}
		_, page = e.do(t, "GET", "/bibliotek?q=arbete")
		if !strings.Contains(page, "Program för arbete 2021") {
			t.Error("the search does not show the edited title")
		}

		tests := []struct {
			name   string
			form   url.Values
			status int
			want   []string
		}{
			{"an old revision", form(1, "Någon annans titel", "2280", "2021"), http.StatusConflict, []string{
				"Någon annan hann före", conflictMessage, `value="Program för arbete 2021"`,
			}},
			{"bad values", form(2, "", "99", "tjugohundra"), http.StatusUnprocessableEntity, []string{
				"Uppgifterna kunde inte sparas", `<a href="#f-title">Ange dokumentets titel.</a>`,
				"Skriv en kommunkod med fyra siffror", "Skriv året med fyra siffror", `aria-invalid="true"`,
			}},
			{"an unknown kommun", form(2, "Program", "2299", "2021"), http.StatusUnprocessableEntity, []string{
				"Det finns ingen kommun eller region med koden 2299.",
			}},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				res, page := e.doAs(t, testEditorKS, "POST", target, tc.form)
				wantPage(t, tc.name, res, page, tc.status, tc.want, nil)
				if d, _ := lib.Store().LibraryDocument(context.Background(), id); d.Rev != 2 {
					t.Errorf("the refused edit changed the document to revision %d", d.Rev)
				}
			})
		}
	})
}

// TestLibraryPermissions: everyone reads; the public is sent to sign in
// for the rest, a läsare is refused, an editing role may add and correct,
// only an administrator deletes.
func TestLibraryPermissions(t *testing.T) {
	e, lib := newLibraryEnv(t)
	if res, page := e.uploadToLibrary(t, testAdmin, nil, libraryFile{"program.md", programText}); res.StatusCode != http.StatusOK {
		t.Fatalf("upload: %d\n%s", res.StatusCode, page)
	}
	id := libraryIDs(t, lib)["program.md"]
	doc := libraryDocumentURL(id)
	edit := url.Values{"rev": {"1"}, "title": {"Ny titel"}}
	tests := []struct {
		name   string
		user   *strategy.User
		method string
		target string
		body   any
		status int
	}{
		{"public reads the search", nil, "GET", "/bibliotek", nil, http.StatusOK},
		{"public reads a document", nil, "GET", doc, nil, http.StatusOK},
		{"public reads the API", nil, "GET", "/api/v1/library?q=bostadsbolag", nil, http.StatusOK},
		{"public is sent to sign in for the upload", nil, "GET", "/bibliotek/ladda-upp", nil, http.StatusSeeOther},
		{"public is sent to sign in for an edit", nil, "POST", doc, edit, http.StatusSeeOther},
		{"public is sent to sign in for a draft", nil, "GET", libraryDraftURL(id), nil, http.StatusSeeOther},
		{"läsare may not upload", testReader, "GET", "/bibliotek/ladda-upp", nil, http.StatusForbidden},
		{"läsare may not edit", testReader, "POST", doc, edit, http.StatusForbidden},
		{"läsare may not draft", testReader, "GET", "/bibliotek/utkast", nil, http.StatusForbidden},
		{"nämndredaktör may upload", testEditorAMN, "GET", "/bibliotek/ladda-upp", nil, http.StatusOK},
		{"nämndredaktör may draft", testEditorAMN, "GET", "/bibliotek/utkast", nil, http.StatusOK},
		{"samordnare may not delete", testCoordinator, "POST", doc + "/ta-bort", url.Values{}, http.StatusForbidden},
		{"public may not delete", nil, "POST", doc + "/ta-bort", url.Values{}, http.StatusSeeOther},
		{"unknown document", nil, "GET", "/bibliotek/999", nil, http.StatusNotFound},
		{"not a document id", nil, "GET", "/bibliotek/abc", nil, http.StatusNotFound},
		{"admin deletes", testAdmin, "POST", doc + "/ta-bort", url.Values{}, http.StatusSeeOther},
		{"deleted", nil, "GET", doc, nil, http.StatusNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, page := e.doAs(t, tc.user, tc.method, tc.target, tc.body)
			if res.StatusCode != tc.status {
				t.Fatalf("status %d, want %d\n%.1500s", res.StatusCode, tc.status, page)
			}
			if tc.status == http.StatusSeeOther && tc.user == nil && !strings.HasPrefix(res.Header.Get("Location"), "/logga-in?") {
				t.Errorf("the public is sent to %q, not to sign in", res.Header.Get("Location"))
			}
			if tc.status == http.StatusForbidden && !strings.Contains(page, "Åtkomst nekad") {
				t.Errorf("the refusal is not the Swedish error page:\n%.1000s", page)
			}
		})
	}
	// The public's upload is refused before anything is read.
	body, ct := multipartForm(t, "filer", []libraryFile{{"strategi.txt", strategyText}}, nil)
	if res, _ := e.as(t, nil, "POST", "/bibliotek/ladda-upp", body, ct); res.StatusCode != http.StatusSeeOther {
		t.Errorf("the public's upload: status %d, want 303 to sign in", res.StatusCode)
	}
	body, ct = multipartForm(t, "filer", []libraryFile{{"strategi.txt", strategyText}}, nil)
	if res, _ := e.as(t, testReader, "POST", "/bibliotek/ladda-upp", body, ct); res.StatusCode != http.StatusForbidden {
		t.Errorf("a läsare's upload: status %d, want 403", res.StatusCode)
	}
	if n := len(libraryIDs(t, lib)); n != 0 {
		t.Errorf("the refused uploads stored %d documents", n)
	}
}

// textareaRE finds the reviewed YAML on the review screen.
var textareaRE = regexp.MustCompile(`(?s)<textarea id="utkast-yaml"[^>]*>(.*?)</textarea>`)

// TestLibraryDraftReviewAndImport: the review screen shows the goals and
// targets with the sentences they came from and the YAML; the YAML as
// reviewed imports as a document, broken YAML is refused with its line,
// and a samordnare of another kommun may review but not import it.
func TestLibraryDraftReviewAndImport(t *testing.T) {
	onEngines(t, func(t *testing.T) {
		e, lib := newLibraryEnv(t)
		if res, page := e.uploadToLibrary(t, testCoordinator, nil, libraryFile{"strategi.txt", strategyText}); res.StatusCode != http.StatusOK {
			t.Fatalf("upload: %d\n%s", res.StatusCode, page)
		}
		id := libraryIDs(t, lib)["strategi.txt"]

		res, page := e.doAs(t, testCoordinator, "GET", libraryDraftURL(id), nil)
		wantPage(t, "review", res, page, http.StatusOK, []string{
			"<h1>Granska utkastet</h1>", "Fler nyanlända i arbete", "Alla barn lyckas i skolan",
			"<q>Minst 60 % av de nyanlända ska ha ett arbete eller studera år 2026.</q>",
			"minst 60\u00a0% år 2026", "<q>Kommunen ska erbjuda praktikplatser inom alla förvaltningar.</q>",
			"Strömsunds kommun (2313)", `<textarea id="utkast-yaml" name="yaml"`,
		}, []string{"Du kan granska utkastet, men inte importera"})
		m := textareaRE.FindStringSubmatch(page)
		if m == nil {
			t.Fatal("the review screen has no YAML")
		}
		yaml := html.UnescapeString(m[1])
		if !strings.Contains(yaml, "Fler nyanlända i arbete") {
			t.Errorf("the YAML lacks the first goal:\n%s", yaml)
		}

		res, page = e.doAs(t, testOtherCoord, "GET", libraryDraftURL(id), nil)
		wantPage(t, "review by another kommun's samordnare", res, page, http.StatusOK,
			[]string{"Du kan granska utkastet, men inte importera det för Strömsunds kommun"}, nil)
		res, page = e.doAs(t, testOtherCoord, "POST", libraryDraftURL(id), url.Values{"yaml": {yaml}})
		wantPage(t, "import by another kommun's samordnare", res, page, http.StatusForbidden,
			[]string{"Du får inte skapa styrdokument för organisationen 2313"}, nil)

		res, page = e.doAs(t, testCoordinator, "POST", libraryDraftURL(id), url.Values{"yaml": {"inkludera: 1\ndocument:\n  key: [\n"}})
		wantPage(t, "broken YAML", res, page, http.StatusUnprocessableEntity, []string{"fel i utkastet", "Rad ", "Inget har importerats"}, nil)
		if !strings.Contains(page, "inkludera: 1\ndocument:") {
			t.Error("the refused YAML is not shown again for correction")
		}

		docs, err := e.st.Documents(context.Background(), "2313")
		if err != nil {
			t.Fatal(err)
		}
		before := len(docs)
		res, page = e.doAs(t, testCoordinator, "POST", libraryDraftURL(id), url.Values{"yaml": {yaml}})
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/dokument/") {
			t.Fatalf("import: status %d, Location %q\n%.3000s", res.StatusCode, res.Header.Get("Location"), page)
		}
		key, _ := url.PathUnescape(strings.TrimPrefix(res.Header.Get("Location"), "/dokument/"))
		doc, err := e.st.Document(context.Background(), key)
		if err != nil {
			t.Fatalf("the imported document %q: %v", key, err)
		}
		var goals []string
		for _, a := range doc.Areas {
			for _, g := range a.Goals {
				goals = append(goals, g.Title)
			}
		}
		if doc.Org != "2313" || !strings.Contains(strings.Join(goals, "|"), "Fler nyanlända i arbete") {
			t.Errorf("imported %s of %s with goals %q", doc.Key, doc.Org, goals)
		}
		if docs, _ = e.st.Documents(context.Background(), "2313"); len(docs) != before+1 {
			t.Errorf("the import left %d documents of 2313, want %d", len(docs), before+1)
		}

		res, page = e.doAs(t, testCoordinator, "POST", libraryDraftURL(id), url.Values{"yaml": {yaml}})
		wantPage(t, "the same draft again", res, page, http.StatusConflict, []string{"Det finns redan ett styrdokument med nyckeln"}, nil)
	})
}

// TestLibraryDraftFromFile: a file is drafted without being added to the
// library, and its reviewed draft imported.
func TestLibraryDraftFromFile(t *testing.T) {
	e, lib := newLibraryEnv(t)
	res, page := e.doAs(t, testCoordinator, "GET", "/bibliotek/utkast", nil)
	wantPage(t, "form", res, page, http.StatusOK, []string{`<input type="file" id="fil" name="fil"`}, nil)

	body, ct := multipartForm(t, "fil", []libraryFile{{"strategi.txt", strategyText}}, nil)
	res, page = e.as(t, testCoordinator, "POST", "/bibliotek/utkast", body, ct)
	wantPage(t, "review", res, page, http.StatusOK, []string{
		"Fler nyanlända i arbete", `action="/bibliotek/utkast/importera"`, `<input type="hidden" name="kalla" value="strategi.txt">`,
	}, nil)
	if n := len(libraryIDs(t, lib)); n != 0 {
		t.Errorf("drafting a file added %d documents to the library", n)
	}
	m := textareaRE.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("the review screen has no YAML")
	}
	res, page = e.doAs(t, testCoordinator, "POST", "/bibliotek/utkast/importera", url.Values{"yaml": {html.UnescapeString(m[1])}, "kalla": {"strategi.txt"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("import: status %d\n%.3000s", res.StatusCode, page)
	}

	body, ct = multipartForm(t, "fil", []libraryFile{{"bild.png", "\x89PNG\r\n\x1a\n"}}, nil)
	res, page = e.as(t, testCoordinator, "POST", "/bibliotek/utkast", body, ct)
	wantPage(t, "unreadable", res, page, http.StatusUnprocessableEntity, []string{"Filen kunde inte läsas", "bild.png"}, nil)
}

// TestLibraryEscapesText: markup in a document's title and text is shown
// as text in the search's snippets, the list, the document and the API.
func TestLibraryEscapesText(t *testing.T) {
	e, lib := newLibraryEnv(t)
	if res, page := e.uploadToLibrary(t, testCoordinator, nil, libraryFile{"xss.txt", libraryXSSText}); res.StatusCode != http.StatusOK {
		t.Fatalf("upload: %d\n%s", res.StatusCode, page)
	}
	id := libraryIDs(t, lib)["xss.txt"]
	for _, target := range []string{"/bibliotek", "/bibliotek?q=flygfiskar", libraryDocumentURL(id)} {
		t.Run(target, func(t *testing.T) {
			_, page := e.doAs(t, testCoordinator, "GET", target, nil)
			for _, raw := range []string{"<script>alert", "<img src=x"} {
				if strings.Contains(page, raw) {
					t.Errorf("the page has the markup %q unescaped", raw)
				}
			}
			checkHTML(t, page)
		})
	}
	_, page := e.do(t, "GET", libraryDocumentURL(id))
	for _, want := range []string{"&lt;img src=x onerror=alert(1)&gt;", "&lt;script&gt;alert(1)&lt;/script&gt;"} {
		if !strings.Contains(page, want) {
			t.Errorf("the document does not show %q as text", want)
		}
	}
	_, page = e.do(t, "GET", "/bibliotek?q=flygfiskar")
	if !strings.Contains(page, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Error("the snippet does not show the script as text")
	}
	_, body := e.do(t, "GET", apiLibraryURL(id))
	var d apiLibraryDocument
	if err := json.Unmarshal([]byte(body), &d); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(d.Text, "<script>alert(1)</script>") {
		t.Errorf("the API's text is not the text as stored: %q", d.Text)
	}
}

// TestLibraryAPI: the JSON search and document.
func TestLibraryAPI(t *testing.T) {
	e, lib := newLibraryEnv(t)
	if res, page := e.uploadToLibrary(t, testCoordinator, nil, libraryFile{"strategi.txt", strategyText}, libraryFile{"program.md", programText}); res.StatusCode != http.StatusOK {
		t.Fatalf("upload: %d\n%s", res.StatusCode, page)
	}
	ids := libraryIDs(t, lib)
	tests := []struct {
		name, target string
		status       int
		total        int
		first        int64
	}{
		{"search", "/api/v1/library?q=arbetsmarknad", 200, 2, 0},
		{"filtered", "/api/v1/library?q=arbetsmarknad&org=2280", 200, 1, ids["program.md"]},
		{"all", "/api/v1/library", 200, 2, 0},
		{"bad kind", "/api/v1/library?kind=roman", 400, 0, 0},
		{"bad limit", "/api/v1/library?limit=1000", 400, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, body := e.do(t, "GET", tc.target)
			if res.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %s", res.StatusCode, tc.status, body)
			}
			if tc.status != 200 {
				return
			}
			var out apiLibraryResult
			if err := json.Unmarshal([]byte(body), &out); err != nil {
				t.Fatal(err)
			}
			if out.Total != tc.total || len(out.Hits) != tc.total || len(out.Facets.Org) == 0 {
				t.Errorf("total %d, %d hits, org facets %v; want %d", out.Total, len(out.Hits), out.Facets.Org, tc.total)
			}
			if tc.first != 0 && (len(out.Hits) == 0 || out.Hits[0].ID != tc.first) {
				t.Errorf("hits %+v, want %d first", out.Hits, tc.first)
			}
		})
	}
	res, body := e.do(t, "GET", apiLibraryURL(ids["strategi.txt"]))
	var d apiLibraryDocument
	if err := json.Unmarshal([]byte(body), &d); err != nil || res.StatusCode != 200 {
		t.Fatalf("status %d, %v: %s", res.StatusCode, err, body)
	}
	if d.OrgCode != "2313" || !strings.Contains(d.Text, "Långsiktigt mål 1") || len(d.Related) != 1 || d.Related[0].ID != ids["program.md"] {
		t.Errorf("document: org %q, related %+v", d.OrgCode, d.Related)
	}
}

// TestLibraryWithoutLibrary: a server without the library answers its
// pages with a Swedish 404 and does not link it.
func TestLibraryWithoutLibrary(t *testing.T) {
	st := newTestStore(t)
	storeTestUsers(t, st)
	e := newTestEnvWith(t, st)
	for _, target := range []string{"/bibliotek", "/bibliotek/1", "/bibliotek/ladda-upp", "/bibliotek/1/utkast", "/api/v1/library"} {
		res, page := e.doAs(t, testAdmin, "GET", target, nil)
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", target, res.StatusCode)
		}
		if !strings.HasPrefix(target, "/api/") && !strings.Contains(page, "Strategibiblioteket är inte påslaget") {
			t.Errorf("%s: no Swedish explanation", target)
		}
	}
	_, page := e.do(t, "GET", "/")
	if strings.Contains(page, `href="/bibliotek"`) {
		t.Error("the layout links the library, which is not there")
	}
	libEnv, _ := newLibraryEnv(t)
	_, page = libEnv.do(t, "GET", "/")
	if !strings.Contains(page, `<a href="/bibliotek">Bibliotek</a>`) {
		t.Error("the layout does not link the library")
	}
}
