// Package library is the strategy library's workflow: a file becomes a
// library document (its text, metadata detected from the text, a content
// hash for duplicates, analysed terms for related documents), documents
// are stored with the neighbour lists their arrival changes, and the
// search index follows the database. The database is the truth; a bleve
// index is derived from it and brought up to date by Sync.
package library

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/inkludera/inkludera/internal/doctext"
	"github.com/inkludera/inkludera/internal/extract"
	"github.com/inkludera/inkludera/internal/nation"
	"github.com/inkludera/inkludera/internal/search"
	"github.com/inkludera/inkludera/internal/strategy"
)

// RelatedCount is how many related documents each document lists.
const RelatedCount = 10

// Store is what the library needs of the database.
type Store interface {
	strategy.LibraryStore
	// LibraryBodies calls f with the documents of ids, with their text.
	LibraryBodies(ctx context.Context, ids []int64, f func(strategy.LibraryDocument) error) error
}

// Library is the strategy library of one database.
type Library struct {
	st       Store
	searcher search.Searcher
	// ownIndex is true when the searcher is an index beside the database
	// (bleve) that Sync must keep up to date; a PostgreSQL searcher is
	// updated in the same transaction as the documents.
	ownIndex bool
	log      *slog.Logger
	syncMu   sync.Mutex
	// synced is each document's revision in the own index, as last synced;
	// revisionsFile keeps it beside the index between runs ("" for none).
	synced        map[int64]int
	revisionsFile string
	related       *relatedIndex
}

// New makes the library of st searched by searcher. ownIndex says whether
// searcher is derived from the database and must be synced (bleve).
func New(st Store, searcher search.Searcher, ownIndex bool, log *slog.Logger) *Library {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Library{st: st, searcher: searcher, ownIndex: ownIndex, log: log, related: newRelatedIndex()}
}

// Searcher is the library's search.
func (l *Library) Searcher() search.Searcher { return l.searcher }

// Store is the library's database.
func (l *Library) Store() Store { return l.st }

// Close closes the search index.
func (l *Library) Close() error { return l.searcher.Close() }

// File is a file to add: its name (for the format and messages) and
// bytes, or, when Data is nil, the path to read them from when the file's
// turn comes, so that adding a large folder never holds every file.
type File struct {
	Name string
	Data []byte
	Path string
}

// FileError is a file that could not be read, with the problem in English
// and Swedish.
type FileError struct {
	File    string
	Err     error
	Svenska string
}

func (e *FileError) Error() string {
	msg := e.Err.Error()
	if strings.HasPrefix(msg, e.File+":") {
		return msg
	}
	return e.File + ": " + msg
}

func (e *FileError) Unwrap() error { return e.Err }

// Prepare reads a file into a document to add: its text, the metadata the
// text states, its hash, words and analysed terms. It stores nothing.
func Prepare(f File) (strategy.LibraryAdd, error) {
	data := f.Data
	if data == nil && f.Path != "" {
		var err error
		if data, err = os.ReadFile(f.Path); err != nil {
			return strategy.LibraryAdd{}, &FileError{File: f.Name, Err: err, Svenska: f.Name + ": filen kunde inte läsas."}
		}
	}
	text, err := doctext.Extract(f.Name, data)
	if err != nil {
		fe := &FileError{File: f.Name, Err: err, Svenska: f.Name + ": filen kunde inte läsas."}
		var de *doctext.Error
		if errors.As(err, &de) {
			fe.Svenska = de.Swedish()
		}
		return strategy.LibraryAdd{}, fe
	}
	body := text.String()
	if strings.TrimSpace(body) == "" {
		return strategy.LibraryAdd{}, &FileError{File: f.Name, Err: errors.New("the file has no text"),
			Svenska: f.Name + ": filen innehåller ingen text."}
	}
	meta := extract.DetectMeta(body, text.Title)
	title := firstNonEmpty(meta.Title, text.Title, strings.TrimSuffix(filepath.Base(f.Name), filepath.Ext(f.Name)))
	doc := strategy.LibraryDocument{
		Hash:     Hash(body),
		FileName: filepath.Base(f.Name),
		Format:   string(text.Format),
		LibraryMeta: strategy.LibraryMeta{
			Title:     clip(title, 500),
			OrgCode:   meta.OrgCode,
			Year:      meta.Year,
			Kind:      strategy.DocumentKind(meta.Kind),
			AdoptedBy: clip(meta.AdoptedBy, 200),
		},
		Pages: text.Pages,
		Words: countWords(body),
		Text:  body,
	}
	if meta.AdoptedOn != "" {
		if d, err := strategy.ParseDate(meta.AdoptedOn); err == nil {
			doc.AdoptedOn = d
		}
	}
	if doc.Year != 0 && (doc.Year < 1900 || doc.Year > 2200) {
		doc.Year = 0
	}
	if doc.Kind != "" && !doc.Kind.Valid() {
		doc.Kind = ""
	}
	return strategy.LibraryAdd{
		Doc:        doc,
		Terms:      search.EncodeTerms(search.Terms(title + "\n" + body)),
		Expansions: search.Expand(title + "\n" + body),
	}, nil
}

// Hash is the SHA-256 of a text with its whitespace and case normalised,
// so that the same text from a PDF and from a DOCX is one document.
func Hash(text string) string {
	h := sha256.New()
	var buf [utf8.UTFMax]byte
	space := false
	for _, r := range text {
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space {
			h.Write([]byte{' '})
			space = false
		}
		h.Write(utf8.AppendRune(buf[:0], unicode.ToLower(r)))
	}
	return hex.EncodeToString(h.Sum(nil))
}

func countWords(text string) int {
	return len(strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }))
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
	}
	return ""
}

// clip shortens s to at most n bytes at a rune boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return strings.TrimSpace(s[:n])
}

// Progress is told about each file as it is read and when the documents
// are stored; total is the number of files.
type Progress func(done, total int, file string)

// Result is what adding files did.
type Result struct {
	Added      []strategy.LibraryDocument
	Duplicates []Duplicate
	// Problems are the files that could not be read; nothing is stored
	// when there are any, unless the caller asked to skip them.
	Problems []*FileError
}

// Duplicate is a file whose text the library already has.
type Duplicate struct {
	File     string
	Existing strategy.LibraryDocument
}

// AddOptions tune Add.
type AddOptions struct {
	// SkipUnreadable stores the readable files even when others cannot be
	// read; without it one unreadable file stores nothing.
	SkipUnreadable bool
	Progress       Progress
}

// Add reads the files and stores those whose text is new, in one
// transaction with the related-document lists, then indexes them.
func (l *Library) Add(ctx context.Context, files []File, opt AddOptions) (Result, error) {
	var res Result
	var adds []strategy.LibraryAdd
	var names []string
	for i, f := range files {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		add, err := Prepare(f)
		if opt.Progress != nil {
			opt.Progress(i+1, len(files), f.Name)
		}
		if err != nil {
			var fe *FileError
			if !errors.As(err, &fe) {
				fe = &FileError{File: f.Name, Err: err, Svenska: f.Name + ": filen kunde inte läsas."}
			}
			res.Problems = append(res.Problems, fe)
			continue
		}
		adds = append(adds, add)
		names = append(names, f.Name)
	}
	if len(res.Problems) > 0 && !opt.SkipUnreadable {
		return res, fmt.Errorf("%d of %d files could not be read; nothing was stored", len(res.Problems), len(files))
	}
	if len(adds) == 0 {
		return res, nil
	}
	stored, err := l.st.AddLibraryDocuments(ctx, adds, l.related.relate)
	if err != nil {
		return res, err
	}
	for i, s := range stored {
		if s.Duplicate {
			res.Duplicates = append(res.Duplicates, Duplicate{File: names[i], Existing: s.Doc})
			continue
		}
		res.Added = append(res.Added, s.Doc)
	}
	if err := l.Sync(ctx, nil); err != nil {
		// The documents are stored; the index catches up on the next sync.
		l.log.Warn("library: indexing the added documents failed; the next sync retries", "err", err)
	}
	return res, nil
}

// relatedIndex is the related-documents engine of one library, kept
// between changes so that adding one document does not rebuild the whole
// corpus. It is brought in line with the database inside each changing
// transaction (another process may have added or removed documents), so
// the lists stored are computed from the corpus that transaction sees.
type relatedIndex struct {
	mu     sync.Mutex
	engine *search.Related
	ids    map[int64]bool
}

func newRelatedIndex() *relatedIndex {
	return &relatedIndex{engine: search.NewRelated(RelatedCount), ids: map[int64]bool{}}
}

// relate implements strategy.LibraryRelate.
func (ri *relatedIndex) relate(added []int64, removed int64, lib strategy.LibraryTerms) (map[int64][]strategy.LibraryNeighbour, error) {
	ri.mu.Lock()
	defer ri.mu.Unlock()
	out, err := ri.relateLocked(added, removed, lib)
	if err != nil {
		// The transaction will roll back: start afresh next time rather
		// than trust an engine that may hold documents it never stored.
		ri.engine, ri.ids = search.NewRelated(RelatedCount), map[int64]bool{}
	}
	return out, err
}

func (ri *relatedIndex) relateLocked(added []int64, removed int64, lib strategy.LibraryTerms) (map[int64][]strategy.LibraryNeighbour, error) {
	ids, err := lib.IDs()
	if err != nil {
		return nil, err
	}
	isNew := make(map[int64]bool, len(added))
	for _, id := range added {
		isNew[id] = true
	}
	inDB := make(map[int64]bool, len(ids))
	var missing []int64
	for _, id := range ids {
		inDB[id] = true
		if !ri.ids[id] && !isNew[id] {
			missing = append(missing, id)
		}
	}
	// Catch up with what others did since: documents gone and documents
	// added elsewhere. Their lists were stored by whoever changed them.
	for id := range ri.ids {
		if !inDB[id] {
			ri.engine.Remove(id)
			delete(ri.ids, id)
		}
	}
	fresh := map[int64]map[string]int{}
	err = lib.Terms(append(missing, added...), func(id int64, encoded []byte) error {
		terms, err := search.DecodeTerms(encoded)
		if err != nil {
			return fmt.Errorf("library document %d: %w", id, err)
		}
		if isNew[id] {
			fresh[id] = terms
			return nil
		}
		ri.engine.Add(id, terms)
		ri.ids[id] = true
		return nil
	})
	if err != nil {
		return nil, strategy.Internal(err, "reading the library's terms")
	}
	changed := map[int64][]strategy.LibraryNeighbour{}
	if removed != 0 && ri.ids[removed] {
		for other, list := range ri.engine.Remove(removed) {
			changed[other] = neighbours(list)
		}
		delete(ri.ids, removed)
	}
	for _, id := range added {
		for other, list := range ri.engine.Add(id, fresh[id]) {
			changed[other] = neighbours(list)
		}
		ri.ids[id] = true
	}
	return changed, nil
}

func neighbours(list []search.Neighbour) []strategy.LibraryNeighbour {
	out := make([]strategy.LibraryNeighbour, len(list))
	for i, n := range list {
		out[i] = strategy.LibraryNeighbour{ID: n.ID, Score: n.Score}
	}
	return out
}

// Delete removes a document from the library and the index.
func (l *Library) Delete(ctx context.Context, id int64) error {
	if err := l.st.DeleteLibraryDocument(ctx, id, l.related.relate); err != nil {
		return err
	}
	if l.ownIndex {
		if err := l.searcher.Delete(ctx, id); err != nil {
			l.log.Warn("library: removing a document from the index failed; the next sync retries", "id", id, "err", err)
		}
	}
	return nil
}

// Edit changes a document's metadata and re-indexes it.
func (l *Library) Edit(ctx context.Context, id int64, rev int, meta strategy.LibraryMeta) (strategy.LibraryDocument, error) {
	d, err := l.st.EditLibraryDocument(ctx, id, rev, meta)
	if err != nil {
		return d, err
	}
	if err := l.Sync(ctx, nil); err != nil {
		l.log.Warn("library: re-indexing an edited document failed; the next sync retries", "id", id, "err", err)
	}
	return d, nil
}

// Search runs a query.
func (l *Library) Search(ctx context.Context, q search.Query) (search.Result, error) {
	return l.searcher.Search(ctx, q)
}

// SyncProgress is told how many documents of how many have been indexed.
type SyncProgress func(done, total int)

// Sync brings an own search index up to date with the database: it
// indexes documents it lacks or holds at an older revision and removes
// those the database no longer has. A PostgreSQL searcher needs nothing.
func (l *Library) Sync(ctx context.Context, progress SyncProgress) error {
	if !l.ownIndex {
		return nil
	}
	l.syncMu.Lock()
	defer l.syncMu.Unlock()
	want, err := l.st.LibraryRevisions(ctx)
	if err != nil {
		return err
	}
	if l.synced == nil {
		// The first sync asks the index what it holds; later ones trust
		// what this process indexed, so a poll reads only the database.
		l.synced = l.readRevisions()
		// Bleve persists in the background: after a crash the index may
		// hold fewer documents than the file says. Then trust nothing.
		if n, err := l.searcher.Count(ctx); err != nil || n != len(l.synced) {
			l.synced = map[int64]int{}
		}
	}
	have := l.synced
	var stale []int64
	for id, rev := range want {
		if have[id] != rev {
			stale = append(stale, id)
		}
	}
	var gone []int64
	for id := range have {
		if _, ok := want[id]; !ok {
			gone = append(gone, id)
		}
	}
	if len(gone) > 0 {
		if err := l.searcher.Delete(ctx, gone...); err != nil {
			return fmt.Errorf("removing deleted documents from the search index: %w", err)
		}
		for _, id := range gone {
			delete(have, id)
		}
		if len(stale) == 0 {
			if err := l.writeRevisions(); err != nil {
				l.log.Warn("library: remembering what the search index holds failed; the next start re-indexes", "err", err)
			}
		}
	}
	if len(stale) == 0 {
		return nil
	}
	slices.Sort(stale)
	const batch = 200
	var docs []search.Document
	done := 0
	flush := func() error {
		if len(docs) == 0 {
			return nil
		}
		if err := l.searcher.Index(ctx, docs...); err != nil {
			return fmt.Errorf("indexing library documents: %w", err)
		}
		for _, d := range docs {
			have[d.ID] = want[d.ID]
		}
		done += len(docs)
		docs = docs[:0]
		if progress != nil {
			progress(done, len(stale))
		}
		return nil
	}
	err = l.st.LibraryBodies(ctx, stale, func(d strategy.LibraryDocument) error {
		docs = append(docs, SearchDocument(d))
		if len(docs) == batch {
			return flush()
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := flush(); err != nil {
		return err
	}
	if err := l.writeRevisions(); err != nil {
		l.log.Warn("library: remembering what the search index holds failed; the next start re-indexes", "err", err)
	}
	l.log.Info("library: search index synced", "indexed", len(stale), "removed", len(gone))
	return nil
}

// SearchDocument is what the search index holds of a library document.
func SearchDocument(d strategy.LibraryDocument) search.Document {
	doc := search.Document{ID: d.ID, Title: d.Title, Text: d.Text, OrgCode: d.OrgCode, OrgName: d.OrgName,
		Region: d.County, Kind: string(d.Kind), Year: d.Year}
	if d.County != "" {
		doc.RegionName, _, _ = nation.Name(d.County)
	}
	return doc
}
