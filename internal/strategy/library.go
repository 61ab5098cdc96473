package strategy

import (
	"context"
	"time"
)

// ObjLibraryDocument is a document of the strategy library; Key is its ID.
const ObjLibraryDocument ObjectKind = "library_document"

// LibraryDocument is one document of the strategy library: a governing
// document (or a text about one) of any municipality or region, kept as
// text so that others can search it and read how it was done. Its
// metadata is detected from the text when it is added and may be edited
// afterwards. Invariants: Hash is the SHA-256 (hex) of the normalised
// text and unique in the library; Title is never empty.
type LibraryDocument struct {
	ID       int64  `json:"id"`
	Hash     string `json:"hash"`
	FileName string `json:"file_name,omitempty"`
	// Format is the file's format: "text", "markdown", "pdf" or "docx".
	Format string `json:"format"`
	LibraryMeta
	// OrgName and County follow from OrgCode (internal/nation) when it is
	// a kommun or region; they are kept so that facets need no lookup.
	OrgName string `json:"org_name,omitempty"`
	County  string `json:"county,omitempty"`
	Pages   int    `json:"pages,omitempty"`
	Words   int    `json:"words"`
	// Text is filled only by LibraryDocument, not by lists.
	Text      string    `json:"text,omitempty"`
	AddedBy   string    `json:"added_by,omitempty"`
	AddedAt   time.Time `json:"added_at"`
	UpdatedAt time.Time `json:"updated_at"`
	Rev       int       `json:"rev"`
}

// LibraryMeta is the editable part of a library document.
type LibraryMeta struct {
	Title string `json:"title"`
	// OrgCode is the kommun's or region's code ("2380", "23"); "" unknown.
	OrgCode string `json:"org_code,omitempty"`
	// Year is the document's year (adopted, or named in its title); 0 unknown.
	Year int `json:"year,omitempty"`
	// Kind is a DocumentKind or "" when the text does not say.
	Kind      DocumentKind `json:"kind,omitempty"`
	AdoptedBy string       `json:"adopted_by,omitempty"`
	AdoptedOn Date         `json:"adopted_on,omitzero"`
}

// LibraryNeighbour is a related document with its similarity, 0–1.
type LibraryNeighbour struct {
	ID    int64   `json:"id"`
	Title string  `json:"title"`
	Org   string  `json:"org_name,omitempty"`
	Year  int     `json:"year,omitempty"`
	Score float64 `json:"score"`
}

// LibraryAdd is a document to add: its metadata and text, its analysed
// term counts, encoded (search.EncodeTerms), for related documents, and
// its compound-word parts.
type LibraryAdd struct {
	Doc   LibraryDocument
	Terms []byte
	// Expansions are the compound-word parts of the title and text
	// (search.Expand), for an engine that indexes the text itself.
	Expansions string
}

// LibraryAdded is what happened to one LibraryAdd: the stored document,
// or, when its text was already in the library, the one that has it.
type LibraryAdded struct {
	Doc       LibraryDocument
	Duplicate bool
}

// LibraryTerms reads the library as the transaction that changes it
// sees it: every document's ID, and the encoded term counts of the
// documents asked for.
type LibraryTerms interface {
	IDs() ([]int64, error)
	Terms(ids []int64, yield func(id int64, terms []byte) error) error
}

// LibraryRelate computes, inside the transaction that changes the library,
// the neighbour lists that change when the documents added are added (or
// the one removed is removed: it is still there when relate runs). Lists
// it does not return stay as they are.
type LibraryRelate func(added []int64, removed int64, lib LibraryTerms) (map[int64][]LibraryNeighbour, error)

// LibraryStore keeps the strategy library. Errors: an unknown document is
// CodeNotFound; a document without title, text or format, or with an
// unknown kind, a year outside 1900–2200 or an organisation code that is
// not four (kommun) or two (region) digits, is CodeInvalid; an edit whose
// revision is not the stored one is CodeConflict.
type LibraryStore interface {
	// AddLibraryDocuments stores the documents whose text is not in the
	// library yet, all in one transaction, and stores the neighbour lists
	// relate returns for the new documents' IDs in it too.
	AddLibraryDocuments(ctx context.Context, docs []LibraryAdd, relate LibraryRelate) ([]LibraryAdded, error)
	// LibraryDocument reads one document with its text.
	LibraryDocument(ctx context.Context, id int64) (LibraryDocument, error)
	// LibraryDocumentsByID reads the documents of ids that exist, without
	// text: a page of search hits.
	LibraryDocumentsByID(ctx context.Context, ids []int64) (map[int64]LibraryDocument, error)
	// LibraryDocuments lists documents, newest first, without text.
	LibraryDocuments(ctx context.Context, offset, limit int) ([]LibraryDocument, int, error)
	// LibraryRevisions lists every document's ID and revision, by ID: what
	// a search index compares itself with.
	LibraryRevisions(ctx context.Context) (map[int64]int, error)
	// EditLibraryDocument replaces a document's metadata; rev is the
	// revision the edit was made on.
	EditLibraryDocument(ctx context.Context, id int64, rev int, meta LibraryMeta) (LibraryDocument, error)
	// DeleteLibraryDocument removes a document, and it from every
	// neighbour list, storing the lists relate recomputes.
	DeleteLibraryDocument(ctx context.Context, id int64, relate LibraryRelate) error
	// RelatedLibraryDocuments lists a document's most related others,
	// most related first.
	RelatedLibraryDocuments(ctx context.Context, id int64) ([]LibraryNeighbour, error)
}
