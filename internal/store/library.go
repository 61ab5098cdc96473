package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/inkludera/inkludera/internal/nation"
	"github.com/inkludera/inkludera/internal/search"
	"github.com/inkludera/inkludera/internal/strategy"
)

// The strategy library (strategy.LibraryStore). Documents are added in
// one transaction with the neighbour lists their arrival changes, so the
// library never shows a document without its related ones or a list
// naming a document that is not there.

func libraryRef(id int64) strategy.ObjectRef {
	return strategy.ObjectRef{Kind: strategy.ObjLibraryDocument, Key: strconv.FormatInt(id, 10)}
}

// checkLibraryMeta lists what is wrong with a document's metadata.
func checkLibraryMeta(m strategy.LibraryMeta) strategy.ValidationErrors {
	var v strategy.ValidationErrors
	add := func(path, en, sv string) {
		v = append(v, strategy.FieldError{Path: path, Message: en, Svenska: sv})
	}
	if strings.TrimSpace(m.Title) == "" {
		add("title", "the title is missing", "Titeln saknas.")
	} else if len(m.Title) > 500 {
		add("title", "the title is longer than 500 bytes", "Titeln är längre än 500 tecken.")
	}
	if m.OrgCode != "" && !isOrgCode(m.OrgCode) {
		add("org_code", fmt.Sprintf("%q is neither a kommun code (four digits) nor a region code (two)", m.OrgCode),
			fmt.Sprintf("”%s” är varken en kommunkod (fyra siffror) eller en regionkod (två).", m.OrgCode))
	}
	if m.Year != 0 && (m.Year < 1900 || m.Year > 2200) {
		add("year", fmt.Sprintf("year %d is not a document's year", m.Year), fmt.Sprintf("År %d är inte ett rimligt årtal.", m.Year))
	}
	if m.Kind != "" && !m.Kind.Valid() {
		add("kind", fmt.Sprintf("unknown kind %q (strategi, program, plan, policy, riktlinjer or regler)", m.Kind),
			fmt.Sprintf("Okänd dokumenttyp ”%s” (strategi, program, plan, policy, riktlinjer eller regler).", m.Kind))
	}
	if len(m.AdoptedBy) > 200 {
		add("adopted_by", "the adopting body is longer than 200 bytes", "Det beslutande organet är längre än 200 tecken.")
	}
	return v
}

func isOrgCode(s string) bool {
	if len(s) != 2 && len(s) != 4 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// AddLibraryDocuments implements strategy.LibraryStore.
func (s *Store) AddLibraryDocuments(ctx context.Context, docs []strategy.LibraryAdd, relate strategy.LibraryRelate) ([]strategy.LibraryAdded, error) {
	problems := map[int]strategy.ValidationErrors{}
	for i, a := range docs {
		v := checkLibraryMeta(a.Doc.LibraryMeta)
		if strings.TrimSpace(a.Doc.Text) == "" {
			v = append(v, strategy.FieldError{Path: "text", Message: "the document has no text", Svenska: "Dokumentet saknar text."})
		}
		if a.Doc.Hash == "" || a.Doc.Format == "" || len(a.Terms) == 0 {
			v = append(v, strategy.FieldError{Path: "hash", Message: "the document has no hash, format or terms", Svenska: "Dokumentet saknar kontrollsumma, format eller termer."})
		}
		if len(v) > 0 {
			problems[i] = v
		}
	}
	if len(problems) > 0 {
		return nil, invalidLibrary(docs, problems)
	}
	actor := strategy.ActorFrom(ctx)
	now := normTime(time.Now())
	out := make([]strategy.LibraryAdded, len(docs))
	err := s.inImport(ctx, func(im *importer) error {
		var added []int64
		byHash := map[string]int64{}
		for i, a := range docs {
			if id, ok := byHash[a.Doc.Hash]; ok { // the same text twice in one batch
				out[i] = strategy.LibraryAdded{Doc: out[indexOfID(out[:i], id)].Doc, Duplicate: true}
				continue
			}
			var existing int64
			err := im.tx.QueryRowContext(ctx, `SELECT id FROM library_documents WHERE hash = $1`, a.Doc.Hash).Scan(&existing)
			switch {
			case err == nil:
				d, err := readLibraryDocument(ctx, im.tx, existing, false)
				if err != nil {
					return err
				}
				out[i] = strategy.LibraryAdded{Doc: d, Duplicate: true}
				byHash[a.Doc.Hash] = existing
				continue
			case err != sql.ErrNoRows:
				return strategy.Internal(err, "looking the document up by its hash")
			}
			d := a.Doc
			d.OrgName, d.County = libraryOrgName(d.OrgCode)
			id, err := im.insertID(`INSERT INTO library_documents (hash, file_name, format, title, org_code, org_name, county,
				year, kind, adopted_by, adopted_on, pages, words, body, terms, added_by, added_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17) RETURNING id`,
				d.Hash, d.FileName, d.Format, strings.TrimSpace(d.Title), d.OrgCode, d.OrgName, d.County,
				nullInt(d.Year), string(d.Kind), d.AdoptedBy, d.AdoptedOn, d.Pages, d.Words, d.Text, a.Terms,
				actor.Name, im.d.timeArg(now))
			if err != nil {
				return strategy.Internal(err, "storing the library document "+d.Title)
			}
			if s.pg != nil {
				if _, err := im.exec(`INSERT INTO library_search (doc_id, expansions, tsv)
					SELECT d.id, $2, `+librarySearchVector+` FROM library_documents d WHERE d.id = $1`, id, a.Expansions); err != nil {
					return strategy.Internal(err, "indexing the library document "+d.Title)
				}
			}
			stored, err := readLibraryDocument(ctx, im.tx, id, false)
			if err != nil {
				return err
			}
			out[i] = strategy.LibraryAdded{Doc: stored}
			byHash[a.Doc.Hash] = id
			added = append(added, id)
			if err := im.audit(strategy.AuditCreate, libraryRef(id), stored.OrgCode, nil, stored); err != nil {
				return err
			}
		}
		if len(added) == 0 || relate == nil {
			return nil
		}
		lists, err := relate(added, 0, libraryTerms{ctx, im.tx})
		if err != nil {
			return err
		}
		return putNeighbours(im, lists)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// librarySearchVector is PostgreSQL's full-text vector of the document d
// with its compound parts $2: the title weighs most.
const librarySearchVector = `setweight(to_tsvector('swedish', d.title), 'A') ||
	setweight(to_tsvector('swedish', d.body || ' ' || $2), 'B')`

func indexOfID(added []strategy.LibraryAdded, id int64) int {
	for i, a := range added {
		if a.Doc.ID == id {
			return i
		}
	}
	return 0
}

// invalidLibrary names each document with problems by its file or title.
func invalidLibrary(docs []strategy.LibraryAdd, problems map[int]strategy.ValidationErrors) error {
	var all strategy.ValidationErrors
	for i := range docs {
		name := docs[i].Doc.FileName
		if name == "" {
			name = docs[i].Doc.Title
		}
		for _, p := range problems[i] {
			p.Path = name + ": " + p.Path
			all = append(all, p)
		}
	}
	return invalid("the library documents", all)
}

// libraryTerms reads the library inside q's transaction.
type libraryTerms struct {
	ctx context.Context
	q   queryer
}

func (l libraryTerms) IDs() ([]int64, error) {
	var ids []int64
	err := queryEach(l.ctx, l.q, `SELECT id FROM library_documents ORDER BY id`, nil, func(rows *sql.Rows) error {
		var id int64
		err := rows.Scan(&id)
		ids = append(ids, id)
		return err
	})
	if err != nil {
		return nil, strategy.Internal(err, "listing the library's documents")
	}
	return ids, nil
}

func (l libraryTerms) Terms(ids []int64, yield func(id int64, terms []byte) error) error {
	const batch = 500
	for len(ids) > 0 {
		n := min(batch, len(ids))
		args := make([]any, n)
		for i, id := range ids[:n] {
			args[i] = id
		}
		err := queryEach(l.ctx, l.q, `SELECT id, terms FROM library_documents WHERE id IN (`+placeholders(1, n)+`) ORDER BY id`,
			args, func(rows *sql.Rows) error {
				var id int64
				var terms []byte
				if err := rows.Scan(&id, &terms); err != nil {
					return strategy.Internal(err, "reading the library's terms")
				}
				return yield(id, terms)
			})
		if err != nil {
			return err
		}
		ids = ids[n:]
	}
	return nil
}

// putNeighbours replaces the neighbour lists given.
func putNeighbours(im *importer, lists map[int64][]strategy.LibraryNeighbour) error {
	for id, list := range lists {
		if _, err := im.exec(`DELETE FROM library_related WHERE doc_id = $1`, id); err != nil {
			return strategy.Internal(err, "replacing the related documents")
		}
		for pos, n := range list {
			if n.ID == id {
				continue
			}
			if _, err := im.exec(`INSERT INTO library_related (doc_id, position, related_id, score) VALUES ($1, $2, $3, $4)`,
				id, pos, n.ID, n.Score); err != nil {
				return strategy.Internal(err, "storing the related documents")
			}
		}
	}
	return nil
}

const libraryColumns = `d.id, d.hash, d.file_name, d.format, d.title, d.org_code, d.org_name, d.county, d.year, d.kind,
	d.adopted_by, d.adopted_on, d.pages, d.words, d.added_by, d.added_at, d.updated_at, d.rev`

func scanLibraryDocument(rows interface{ Scan(...any) error }, extra ...any) (strategy.LibraryDocument, error) {
	var d strategy.LibraryDocument
	var year sql.NullInt64
	var kind string
	var added, updated sql.NullTime
	dest := []any{&d.ID, &d.Hash, &d.FileName, &d.Format, &d.Title, &d.OrgCode, &d.OrgName, &d.County, &year, &kind,
		&d.AdoptedBy, &d.AdoptedOn, &d.Pages, &d.Words, &d.AddedBy, &added, &updated, &d.Rev}
	if err := rows.Scan(append(dest, extra...)...); err != nil {
		return d, err
	}
	d.Year, d.Kind, d.AddedAt, d.UpdatedAt = intOf(year), strategy.DocumentKind(kind), timeOf(added), timeOf(updated)
	return d, nil
}

func readLibraryDocument(ctx context.Context, q queryer, id int64, withText bool) (strategy.LibraryDocument, error) {
	cols := libraryColumns + `, ''`
	if withText {
		cols = libraryColumns + `, d.body`
	}
	var text string
	rows, err := q.QueryContext(ctx, `SELECT `+cols+` FROM library_documents d WHERE d.id = $1`, id)
	if err != nil {
		return strategy.LibraryDocument{}, strategy.Internal(err, "reading a library document")
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return strategy.LibraryDocument{}, strategy.Internal(err, "reading a library document")
		}
		return strategy.LibraryDocument{}, strategy.Errorf(strategy.CodeNotFound, "the library has no document %d", id)
	}
	d, err := scanLibraryDocument(rows, &text)
	if err != nil {
		return d, strategy.Internal(err, "reading a library document")
	}
	d.Text = text
	return d, nil
}

// LibraryDocument implements strategy.LibraryStore.
func (s *Store) LibraryDocument(ctx context.Context, id int64) (strategy.LibraryDocument, error) {
	return readLibraryDocument(ctx, s.r, id, true)
}

// LibraryDocumentsByID implements strategy.LibraryStore.
func (s *Store) LibraryDocumentsByID(ctx context.Context, ids []int64) (map[int64]strategy.LibraryDocument, error) {
	out := make(map[int64]strategy.LibraryDocument, len(ids))
	for len(ids) > 0 {
		n := min(500, len(ids))
		args := make([]any, n)
		for i, id := range ids[:n] {
			args[i] = id
		}
		err := queryEach(ctx, s.r, `SELECT `+libraryColumns+` FROM library_documents d WHERE d.id IN (`+placeholders(1, n)+`)`,
			args, func(rows *sql.Rows) error {
				d, err := scanLibraryDocument(rows)
				out[d.ID] = d
				return err
			})
		if err != nil {
			return nil, strategy.Internal(err, "reading library documents")
		}
		ids = ids[n:]
	}
	return out, nil
}

// LibraryDocuments implements strategy.LibraryStore.
func (s *Store) LibraryDocuments(ctx context.Context, offset, limit int) ([]strategy.LibraryDocument, int, error) {
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, 0, strategy.Internal(err, "starting a read")
	}
	defer tx.Rollback()
	var total int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM library_documents`).Scan(&total); err != nil {
		return nil, 0, strategy.Internal(err, "counting the library's documents")
	}
	out := []strategy.LibraryDocument{}
	err = queryEach(ctx, tx, `SELECT `+libraryColumns+` FROM library_documents d ORDER BY d.added_at DESC, d.id DESC LIMIT $1 OFFSET $2`,
		[]any{limit, max(offset, 0)}, func(rows *sql.Rows) error {
			d, err := scanLibraryDocument(rows)
			out = append(out, d)
			return err
		})
	if err != nil {
		return nil, 0, strategy.Internal(err, "listing the library's documents")
	}
	return out, total, nil
}

// LibraryRevisions implements strategy.LibraryStore.
func (s *Store) LibraryRevisions(ctx context.Context) (map[int64]int, error) {
	out := map[int64]int{}
	err := queryEach(ctx, s.r, `SELECT id, rev FROM library_documents`, nil, func(rows *sql.Rows) error {
		var id int64
		var rev int
		err := rows.Scan(&id, &rev)
		out[id] = rev
		return err
	})
	if err != nil {
		return nil, strategy.Internal(err, "listing the library's revisions")
	}
	return out, nil
}

// LibraryBodies calls f with every document with its text, by ID, from
// the ID after: how a search index is built. It reads in batches, so it
// holds no transaction long and never every text at once.
func (s *Store) LibraryBodies(ctx context.Context, ids []int64, f func(strategy.LibraryDocument) error) error {
	const batch = 200
	for len(ids) > 0 {
		n := min(batch, len(ids))
		args := make([]any, n)
		for i, id := range ids[:n] {
			args[i] = id
		}
		var docs []strategy.LibraryDocument
		err := queryEach(ctx, s.r, `SELECT `+libraryColumns+`, d.body FROM library_documents d WHERE d.id IN (`+placeholders(1, n)+`)`,
			args, func(rows *sql.Rows) error {
				var text string
				d, err := scanLibraryDocument(rows, &text)
				d.Text = text
				docs = append(docs, d)
				return err
			})
		if err != nil {
			return strategy.Internal(err, "reading library documents to index")
		}
		for _, d := range docs {
			if err := f(d); err != nil {
				return err
			}
		}
		ids = ids[n:]
	}
	return nil
}

// EditLibraryDocument implements strategy.LibraryStore.
func (s *Store) EditLibraryDocument(ctx context.Context, id int64, rev int, meta strategy.LibraryMeta) (strategy.LibraryDocument, error) {
	meta.Title = strings.TrimSpace(meta.Title)
	meta.AdoptedBy = strings.TrimSpace(meta.AdoptedBy)
	if v := checkLibraryMeta(meta); len(v) > 0 {
		return strategy.LibraryDocument{}, invalid("the library document", v)
	}
	var out strategy.LibraryDocument
	err := s.inImport(ctx, func(im *importer) error {
		before, err := readLibraryDocument(ctx, im.tx, id, false)
		if err != nil {
			return err
		}
		if before.Rev != rev {
			return strategy.Errorf(strategy.CodeConflict,
				"the library document %d was changed by someone else (revision %d, the edit was made on %d)", id, before.Rev, rev)
		}
		orgName, county := before.OrgName, before.County
		if meta.OrgCode != before.OrgCode {
			orgName, county = libraryOrgName(meta.OrgCode)
		}
		_, err = im.exec(`UPDATE library_documents SET title = $2, org_code = $3, org_name = $4, county = $5, year = $6,
			kind = $7, adopted_by = $8, adopted_on = $9, updated_at = $10, rev = rev + 1 WHERE id = $1`,
			id, meta.Title, meta.OrgCode, orgName, county, nullInt(meta.Year), string(meta.Kind), meta.AdoptedBy,
			meta.AdoptedOn, im.d.timeArg(normTime(time.Now())))
		if err != nil {
			return strategy.Internal(err, "editing the library document")
		}
		if s.pg != nil && meta.Title != before.Title {
			// The new title's compound parts join the stored ones.
			_, err := im.exec(`UPDATE library_search s SET expansions = s.expansions || ' ' || $2,
				tsv = `+strings.ReplaceAll(librarySearchVector, "$2", "s.expansions || ' ' || $2")+`
				FROM library_documents d WHERE d.id = s.doc_id AND s.doc_id = $1`, id, search.Expand(meta.Title))
			if err != nil {
				return strategy.Internal(err, "indexing the library document's new title")
			}
		}
		if out, err = readLibraryDocument(ctx, im.tx, id, false); err != nil {
			return err
		}
		return im.audit(strategy.AuditUpdate, libraryRef(id), out.OrgCode, before, out)
	})
	return out, err
}

// libraryOrgName names a kommun or region code as SCB does; an unknown
// code has no name.
func libraryOrgName(code string) (name, county string) {
	name, county, _ = nation.Name(code)
	return name, county
}

// DeleteLibraryDocument implements strategy.LibraryStore.
func (s *Store) DeleteLibraryDocument(ctx context.Context, id int64, relate strategy.LibraryRelate) error {
	return s.inImport(ctx, func(im *importer) error {
		before, err := readLibraryDocument(ctx, im.tx, id, false)
		if err != nil {
			return err
		}
		var lists map[int64][]strategy.LibraryNeighbour
		if relate != nil {
			if lists, err = relate(nil, id, libraryTerms{ctx, im.tx}); err != nil {
				return err
			}
		}
		if _, err := im.exec(`DELETE FROM library_documents WHERE id = $1`, id); err != nil {
			return strategy.Internal(err, "deleting the library document")
		}
		delete(lists, id)
		if err := putNeighbours(im, lists); err != nil {
			return err
		}
		return im.audit(strategy.AuditDelete, libraryRef(id), before.OrgCode, before, nil)
	})
}

// RelatedLibraryDocuments implements strategy.LibraryStore.
func (s *Store) RelatedLibraryDocuments(ctx context.Context, id int64) ([]strategy.LibraryNeighbour, error) {
	out := []strategy.LibraryNeighbour{}
	err := queryEach(ctx, s.r, `SELECT d.id, d.title, d.org_name, d.year, r.score
		FROM library_related r JOIN library_documents d ON d.id = r.related_id
		WHERE r.doc_id = $1 ORDER BY r.position`, []any{id}, func(rows *sql.Rows) error {
		var n strategy.LibraryNeighbour
		var year sql.NullInt64
		err := rows.Scan(&n.ID, &n.Title, &n.Org, &year, &n.Score)
		n.Year = intOf(year)
		out = append(out, n)
		return err
	})
	if err != nil {
		return nil, strategy.Internal(err, "reading the related documents")
	}
	return out, nil
}
