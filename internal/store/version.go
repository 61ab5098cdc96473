package store

import (
	"context"
	"database/sql"

	"github.com/inkludera/inkludera/internal/strategy"
)

// ContentVersion implements strategy.Store: the number that every write
// transaction that changed a row raises as its last statement (inImport),
// read from its one row. Sessions and an API token's last use are written
// outside inImport and leave it alone: they change no page.
func (s *Store) ContentVersion(ctx context.Context) (int64, error) {
	var v int64
	if err := s.r.QueryRowContext(ctx, `SELECT version FROM content_version WHERE id = 1`).Scan(&v); err != nil {
		return 0, strategy.Internal(err, "reading the content version")
	}
	return v, nil
}

// totalChanges is the number of rows the transaction's connection has
// inserted, updated or deleted since it opened (every write goes through
// it, also the observations written through its driver connection): when
// it moved, the transaction wrote. PostgreSQL would ask
// pg_current_xact_id_if_assigned() IS NOT NULL instead.
func totalChanges(ctx context.Context, tx *sql.Tx) (int64, error) {
	var n int64
	if err := tx.QueryRowContext(ctx, `SELECT total_changes()`).Scan(&n); err != nil {
		return 0, strategy.Internal(err, "counting the transaction's changes")
	}
	return n, nil
}
