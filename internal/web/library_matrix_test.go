package web

import (
	"bytes"
	"context"
	"log/slog"
	"mime/multipart"
	"net/url"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/inkludera/inkludera/internal/library"
	"github.com/inkludera/inkludera/internal/store"
)

// The strategy library's part of the role matrix (matrix_test.go): the
// fixture holds one library document, Strömsund's strategyText, and the
// draft made from it; a case's fresh copy of the fixture is served with
// the library opened on it (prepare), so that the other cases do not open
// a search index each.

// libraryMatrix is what the library's cases need of the fixture.
type libraryMatrix struct {
	doc   int64 // the library document
	rev   int
	draft string // the YAML of its draft, as the review screen shows it
}

// buildLibraryMatrix adds the library document to the fixture database.
func buildLibraryMatrix(t *testing.T, ctx context.Context, st *store.Store) libraryMatrix {
	t.Helper()
	lib, err := library.Open(ctx, st, filepath.Join(t.TempDir(), "bibliotek"), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer lib.Close()
	res, err := lib.Add(ctx, []library.File{{Name: "strategi.txt", Data: []byte(strategyText)}}, library.AddOptions{})
	if err != nil || len(res.Added) != 1 {
		t.Fatalf("adding the library document: %v (%d added)", err, len(res.Added))
	}
	d, err := lib.Store().LibraryDocument(ctx, res.Added[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	yaml, err := libraryDraft(ctx, st, d).File()
	if err != nil {
		t.Fatal(err)
	}
	return libraryMatrix{doc: d.ID, rev: d.Rev, draft: string(yaml)}
}

// serve is a case's prepare: it serves the fresh copy with the library
// and returns target.
func (m libraryMatrix) serve(target string) func(t *testing.T, e *testEnv, c matrixCaller) string {
	return func(t *testing.T, e *testEnv, c matrixCaller) string {
		t.Helper()
		lib, err := library.Open(context.Background(), e.st, filepath.Join(t.TempDir(), "bibliotek"), nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { lib.Close() })
		h := newHandler(e.st, slog.New(slog.NewJSONHandler(e.log, nil)), testNow, WithLibrary(lib))
		t.Cleanup(func() { h.Close() })
		e.h = h
		return target
	}
}

// libraryMatrixCases are the library's write routes. Adding documents,
// correcting them and drafting are for every editing role; importing a
// draft also needs the right to write the documents of the organisation
// it names (Strömsund's); deleting is the administrators'.
func libraryMatrixCases(f *matrixFixture) []matrixCase {
	m := f.library
	doc := libraryDocumentURL(m.doc)
	keepers := who(cAdmin, cCoord, cOtherCoord, cEditorKS, cEditorAMN)
	notKeepers := who(cPublic, cReader)
	importers := who(cAdmin, cCoord)
	notImporters := who(cPublic, cOtherCoord, cEditorKS, cEditorAMN, cReader)
	return []matrixCase{
		{route: "POST /bibliotek/ladda-upp", target: "/bibliotek/ladda-upp", prepare: m.serve("/bibliotek/ladda-upp"),
			body:  multipartLibrary("filer", "program.md", programText),
			allow: keepers, deny: notKeepers},
		{route: "POST /bibliotek/{id}", target: doc, prepare: m.serve(doc),
			body:  url.Values{"rev": {strconv.Itoa(m.rev)}, "title": {"Integrationsstrategi 2022–2026"}, "org_code": {"2313"}, "year": {"2022"}},
			allow: keepers, deny: notKeepers, allowedTo: doc},
		{route: "POST /bibliotek/{id}/ta-bort", target: doc + "/ta-bort", prepare: m.serve(doc + "/ta-bort"), body: url.Values{},
			allow: who(cAdmin), deny: who(cPublic, cCoord, cOtherCoord, cEditorKS, cEditorAMN, cReader), allowedTo: "/bibliotek"},
		{route: "POST /bibliotek/utkast", target: "/bibliotek/utkast", prepare: m.serve("/bibliotek/utkast"),
			body:  multipartLibrary("fil", "strategi.txt", strategyText),
			allow: keepers, deny: notKeepers, noAudit: "a draft of a file is shown for review; nothing is stored"},
		{route: "POST /bibliotek/{id}/utkast", target: libraryDraftURL(m.doc), prepare: m.serve(libraryDraftURL(m.doc)),
			body:  url.Values{"yaml": {m.draft}},
			allow: importers, deny: notImporters, allowedTo: "/dokument/",
			why: "the draft is Strömsund's: importing it writes Strömsund's documents"},
		{route: "POST /bibliotek/utkast/importera", target: "/bibliotek/utkast/importera", prepare: m.serve("/bibliotek/utkast/importera"),
			body:  url.Values{"yaml": {m.draft}, "kalla": {"strategi.txt"}},
			allow: importers, deny: notImporters, allowedTo: "/dokument/",
			why: "the draft is Strömsund's: importing it writes Strömsund's documents"},
	}
}

// multipartLibrary is an upload of one file under the input field. Writing
// to a buffer cannot fail, so an error is a programming error.
func multipartLibrary(field, name, content string) multipartBody {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	fw, err := mw.CreateFormFile(field, name)
	if err == nil {
		_, err = fw.Write([]byte(content))
	}
	if err == nil {
		err = mw.Close()
	}
	if err != nil {
		panic(err)
	}
	return multipartBody{data: b.Bytes(), contentType: mw.FormDataContentType()}
}
