package library

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/inkludera/inkludera/internal/search"
	"github.com/inkludera/inkludera/internal/store"
)

// IndexDir is where a SQLite database's search index lives by default:
// beside the file, so that a copy of both is a copy of the library.
func IndexDir(st *store.Store) string {
	return st.Path() + ".bibliotek"
}

// Open opens the library of st. On PostgreSQL the store searches itself
// (to_tsvector('swedish')), so several servers share one index; on SQLite
// the index is bleve's, in indexDir ("" for IndexDir), and is synced with
// the database before Open returns, progress telling how far. When another
// process has the index open, Open returns an error that is
// search.ErrIndexInUse together with a library that stores documents but
// cannot search.
func Open(ctx context.Context, st *store.Store, indexDir string, log *slog.Logger, progress SyncProgress) (*Library, error) {
	if st.Engine() == "postgres" {
		return New(st, st.LibrarySearcher(), false, log), nil
	}
	if indexDir == "" {
		indexDir = IndexDir(st)
	}
	ix, err := search.OpenBleve(indexDir)
	if errors.Is(err, search.ErrIndexInUse) {
		// A running server has the index: documents can still be stored,
		// and the server indexes them at its next sync (Watch).
		return New(st, inUse{err}, false, log), err
	}
	if err != nil {
		return nil, fmt.Errorf("opening the library's search index %s: %w", indexDir, err)
	}
	l := New(st, ix, true, log)
	// The index's own folder: a rebuilt (fresh) index has lost the file
	// with it, so everything is indexed again.
	l.revisionsFile = filepath.Join(indexDir, revisionsName)
	if err := l.Sync(ctx, progress); err != nil {
		ix.Close()
		return nil, err
	}
	return l, nil
}

// Watch syncs an own index every interval until ctx ends, so that
// documents another process (the CLI) stored are found by this one.
func (l *Library) Watch(ctx context.Context, every time.Duration) {
	if !l.ownIndex || every <= 0 {
		return
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := l.Sync(ctx, nil); err != nil && ctx.Err() == nil {
				l.log.Warn("library: syncing the search index failed", "err", err)
			}
		}
	}
}

// revisionsName is the file in the index folder that lists each indexed
// document's revision: what Sync compares with the database at start.
const revisionsName = "inkludera-revisions.json"

// readRevisions reads what the index held when it was last synced; an
// absent or unreadable file means nothing (everything is indexed again).
func (l *Library) readRevisions() map[int64]int {
	out := map[int64]int{}
	if l.revisionsFile == "" {
		return out
	}
	data, err := os.ReadFile(l.revisionsFile)
	if err != nil {
		return out
	}
	if err := json.Unmarshal(data, &out); err != nil {
		l.log.Warn("library: the list of indexed documents is unreadable; re-indexing all", "file", l.revisionsFile, "err", err)
		return map[int64]int{}
	}
	return out
}

// writeRevisions replaces the file atomically.
func (l *Library) writeRevisions() error {
	if l.revisionsFile == "" {
		return nil
	}
	data, err := json.Marshal(l.synced)
	if err != nil {
		return err
	}
	tmp := l.revisionsFile + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, l.revisionsFile)
}

// inUse is the search of a library whose index another process holds.
type inUse struct{ err error }

func (u inUse) Index(context.Context, ...search.Document) error { return nil }
func (u inUse) Delete(context.Context, ...int64) error          { return nil }
func (u inUse) Search(context.Context, search.Query) (search.Result, error) {
	return search.Result{}, u.err
}
func (u inUse) Count(context.Context) (int, error) { return 0, u.err }
func (u inUse) Close() error                       { return nil }
