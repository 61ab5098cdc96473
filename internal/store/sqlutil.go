package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Conversions between domain values and columns. The rules (see the
// migration): optional text is '', optional numbers, references and lists
// are NULL, so that "not set" has exactly one form in the database and a
// round trip gives back nil, never an empty slice.

// nullInt stores 0 ("not set" in the domain) as NULL.
func nullInt(v int) any {
	if v == 0 {
		return nil
	}
	return int64(v)
}

// nullFloat stores a missing value as NULL, never 0.
func nullFloat(v *float64) any {
	if v == nil {
		return nil
	}
	return *v
}

// nullID stores an unresolved reference as NULL.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// nullText stores "" as NULL where a column is optional by design.
func nullText(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// jsonList stores a list as JSON text, NULL when empty.
func jsonList[T any](v []T) (any, error) {
	if len(v) == 0 {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return string(b), nil
}

// mustJSON is jsonList for types whose encoding cannot fail (strings and
// plain structs of strings).
func mustJSON[T any](v []T) any {
	s, err := jsonList(v)
	if err != nil {
		panic(err)
	}
	return s
}

// readList reads a JSON list column; NULL and [] give nil.
func readList[T any](s sql.NullString) ([]T, error) {
	if !s.Valid || s.String == "" {
		return nil, nil
	}
	var v []T
	if err := json.Unmarshal([]byte(s.String), &v); err != nil {
		return nil, fmt.Errorf("reading the list %q: %w", s.String, err)
	}
	if len(v) == 0 {
		return nil, nil
	}
	return v, nil
}

func intOf(n sql.NullInt64) int {
	if !n.Valid {
		return 0
	}
	return int(n.Int64)
}

func floatOf(n sql.NullFloat64) *float64 {
	if !n.Valid {
		return nil
	}
	v := n.Float64
	return &v
}

func timeOf(n sql.NullTime) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return normTime(n.Time)
}

// normTime is the form a time is stored and compared in: UTC, microsecond
// precision (PostgreSQL's), no monotonic reading, so round trips are exact.
func normTime(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC().Truncate(time.Microsecond)
}

// queryEach runs a query and calls scan for every row.
func queryEach(ctx context.Context, q queryer, query string, args []any, scan func(*sql.Rows) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// placeholders returns "$from, $from+1, …" for n arguments.
func placeholders(from, n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "$%d", from+i)
	}
	return b.String()
}

// table describes a keyed child table for the generic insert and
// change-detecting update of an import.
type table struct {
	name    string
	fixed   []string // columns set on insert only (parent, key)
	mutable []string // columns an import may change
	// versioned tables have a rev column, which every update that changes
	// a row bumps: edits compare it to refuse lost updates.
	versioned bool
}

// insertSQL inserts fixed then mutable columns and returns the new id.
func (t table) insertSQL() string {
	cols := append(append([]string{}, t.fixed...), t.mutable...)
	return fmt.Sprintf("INSERT INTO %s (%s) VALUES (%s) RETURNING id",
		t.name, strings.Join(cols, ", "), placeholders(1, len(cols)))
}

// updateSQL updates the mutable columns of row $1, but only when one of
// them differs: an unchanged row is not written at all, and the affected
// row count tells changed from unchanged. A changed row of a versioned
// table gets rev + 1.
func (t table) updateSQL() string {
	set := make([]string, len(t.mutable), len(t.mutable)+1)
	diff := make([]string, len(t.mutable))
	for i, c := range t.mutable {
		set[i] = fmt.Sprintf("%s = $%d", c, i+2)
		diff[i] = fmt.Sprintf("%s IS DISTINCT FROM $%d", c, i+2)
	}
	if t.versioned {
		set = append(set, "rev = rev + 1")
	}
	return fmt.Sprintf("UPDATE %s SET %s WHERE id = $1 AND (%s)",
		t.name, strings.Join(set, ", "), strings.Join(diff, " OR "))
}

// bumpSQL gives row $1 of a versioned table a new revision, for a change
// outside the row that is part of the object all the same (an area's
// list of indicators, a plan's activities).
func (t table) bumpSQL() string {
	return "UPDATE " + t.name + " SET rev = rev + 1 WHERE id = $1"
}

// nullIntPtr stores a nil pointer as NULL.
func nullIntPtr(v *int) any {
	if v == nil {
		return nil
	}
	return int64(*v)
}

func intPtrOf(n sql.NullInt64) *int {
	if !n.Valid {
		return nil
	}
	v := int(n.Int64)
	return &v
}
