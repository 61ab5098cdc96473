package store

import (
	"cmp"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/inkludera/inkludera/internal/strategy"
)

// obsKey identifies a stored observation.
type obsKey struct {
	indicator int64
	org       string
	year      int
	gender    strategy.Gender
}

// storedObs is what an import compares an observation with.
type storedObs struct {
	value       sql.NullFloat64
	status      string
	preliminary bool
	source      string
	sourceURL   string
	fetchedAt   time.Time
}

func (s storedObs) same(o strategy.Observation) bool {
	if s.value.Valid != (o.Value != nil) || (o.Value != nil && s.value.Float64 != *o.Value) {
		return false
	}
	return s.status == o.Status && s.preliminary == o.Preliminary && s.source == o.Source &&
		s.sourceURL == o.SourceURL && s.fetchedAt.Equal(normTime(o.FetchedAt))
}

const observationColumns = `indicator_id, org_code, year, gender, value, status, preliminary, source, source_url, fetched_at`

// perOrgLimit: an indicator imported for at most this many organisations
// has its stored values read per organisation; above it, all of the
// indicator's values are read at once and filtered.
const perOrgLimit = 8

// New rows sharing indicator and provenance go to SQLite in batches (see
// bulk.go). From four rows on a batch costs less than single-row INSERTs
// (5 µs a row against 7 µs); the batch size hardly matters above that
// (1 000, 10 000 and 50 000 measured alike).
const (
	bulkMin   = 4
	bulkBatch = 10_000
)

// putObservations upserts the observations, never deleting any. The stored
// values of the series concerned are read first in a few range scans, so
// that an unchanged row costs no write at all and a changed one an UPDATE;
// indicators with nothing stored skip that read and the comparison. New
// rows are inserted in primary-key order, in batches (see bulk.go).
func (im *importer) putObservations(obs []strategy.Observation) error {
	if len(obs) == 0 {
		return nil
	}
	if len(obs) > math.MaxInt32 {
		return strategy.Errorf(strategy.CodeInvalid, "%d observations in one import; at most %d", len(obs), math.MaxInt32)
	}
	// Observations come grouped by indicator, so the key is looked up only
	// when it changes.
	ids := make([]int64, len(obs))
	var lastKey string
	var lastID int64
	indicators := map[int64]bool{}
	for i, o := range obs {
		if i == 0 || o.Indicator != lastKey {
			id, err := im.indicatorID(o.Indicator)
			if err != nil {
				return strategy.Internal(err, "resolving indicator "+o.Indicator)
			}
			lastKey, lastID = o.Indicator, id
			indicators[id] = true
		}
		ids[i] = lastID
	}
	hasStored := map[int64]bool{}
	for id := range indicators {
		var some bool
		st, err := im.stmt(`SELECT EXISTS (SELECT 1 FROM observations WHERE indicator_id = $1)`)
		if err == nil {
			err = st.QueryRowContext(im.ctx, id).Scan(&some)
		}
		if err != nil {
			return strategy.Internal(err, "reading stored observations")
		}
		hasStored[id] = some
	}
	orgs := map[int64]map[string]bool{}
	for i, o := range obs {
		if id := ids[i]; hasStored[id] {
			if orgs[id] == nil {
				orgs[id] = map[string]bool{}
			}
			orgs[id][o.Org] = true
		}
	}
	stored, err := im.loadObservations(orgs)
	if err != nil {
		return strategy.Internal(err, "reading stored observations")
	}

	var n strategy.ChangeCount
	var changed []int32
	fresh := make([]int32, 0, len(obs))
	for i, o := range obs {
		if hasStored[ids[i]] {
			if s, ok := stored[obsKey{ids[i], o.Org, o.Year, o.Gender}]; ok {
				if s.same(o) {
					n.Unchanged++
				} else {
					changed = append(changed, int32(i))
				}
				continue
			}
		}
		fresh = append(fresh, int32(i))
	}
	n.Added, n.Changed = len(fresh), len(changed)
	sortByKey(obs, ids, fresh)
	if im.d.name == postgresDialect.name {
		if err := im.putObservationsPostgres(obs, ids, changed, fresh); err != nil {
			return strategy.Internal(err, "storing observations")
		}
		im.sum[kindObservations] = n
		return nil
	}
	if len(fresh) >= bulkMin {
		if _, err := im.tx.ExecContext(im.ctx, `CREATE VIRTUAL TABLE IF NOT EXISTS `+feedTable+` USING `+feedModule); err != nil {
			return strategy.Internal(err, "preparing the observation feed")
		}
	}

	err = im.conn.Raw(func(dc any) error {
		w, err := newObsWriter(im, dc)
		if err != nil {
			return err
		}
		defer w.close()
		for _, i := range changed {
			if err := w.update(ids[i], obs[i]); err != nil {
				o := obs[i]
				return fmt.Errorf("storing observation %s %s %d %s: %w", o.Indicator, o.Org, o.Year, o.Gender, err)
			}
		}
		return w.insertAll(obs, ids, fresh)
	})
	if err != nil {
		return strategy.Internal(err, "storing observations")
	}
	im.sum[kindObservations] = n
	return nil
}

// sortByKey puts the indexes of obs in primary-key order. A WITHOUT ROWID
// table appends in that order; Kolada's T, K, M order made SQLite split
// pages mid-leaf and cost about a quarter of the insert rate. When that
// order is all that is off, the usual case, only each year's rows are
// sorted: 50 ms for a million rows, a fifth of sorting the whole.
func sortByKey(obs []strategy.Observation, ids []int64, idx []int32) {
	byYear := func(a, b int32) int {
		if c := cmp.Compare(ids[a], ids[b]); c != 0 {
			return c
		}
		oa, ob := &obs[a], &obs[b]
		if c := strings.Compare(oa.Org, ob.Org); c != 0 {
			return c
		}
		return cmp.Compare(oa.Year, ob.Year)
	}
	byKey := func(a, b int32) int {
		if c := byYear(a, b); c != 0 {
			return c
		}
		return strings.Compare(string(obs[a].Gender), string(obs[b].Gender))
	}
	switch {
	case slices.IsSortedFunc(idx, byKey):
	case slices.IsSortedFunc(idx, byYear):
		for start := 0; start < len(idx); {
			end := start + 1
			for end < len(idx) && byYear(idx[start], idx[end]) == 0 {
				end++
			}
			slices.SortFunc(idx[start:end], byKey)
			start = end
		}
	default:
		slices.SortFunc(idx, byKey)
	}
}

// sameBatch reports whether two new rows can share a batch: the columns
// a batch binds once are equal.
func sameBatch(a, b *strategy.Observation, ida, idb int64) bool {
	return ida == idb && a.Status == b.Status && a.Preliminary == b.Preliminary && a.Source == b.Source &&
		a.SourceURL == b.SourceURL && a.FetchedAt.Equal(b.FetchedAt)
}

// insertAll inserts the rows obs[i] for i in idx, in that order.
func (w *obsWriter) insertAll(obs []strategy.Observation, ids []int64, idx []int32) error {
	for start := 0; start < len(idx); {
		first := &obs[idx[start]]
		end := start + 1
		for end < len(idx) && end-start < bulkBatch && sameBatch(first, &obs[idx[end]], ids[idx[start]], ids[idx[end]]) {
			end++
		}
		var err error
		if end-start >= bulkMin {
			err = w.insertBatch(ids[idx[start]], obs, idx[start:end])
		} else {
			for _, i := range idx[start:end] {
				if err = w.insert(ids[i], obs[i]); err != nil {
					o := obs[i]
					err = fmt.Errorf("storing observation %s %s %d %s: %w", o.Indicator, o.Org, o.Year, o.Gender, err)
					break
				}
			}
		}
		if err != nil {
			return err
		}
		start = end
	}
	return nil
}

// obsWriter writes observations through the driver's own prepared
// statements on the import's connection, inside its transaction. Going
// round database/sql here (its locking, argument conversion and
// allocations per call) raised the insert rate by a sixth; for the other,
// smaller tables database/sql is kept. New rows go in batches through the
// feed (bulk.go); the single-row statements serve updates and short runs.
// Multi-row VALUES measured slower than single rows, as SQLite then keeps a
// statement journal and binds $N names in quadratic time. Most values carry
// no status, URL or time, and the short INSERT leaves those to the column
// defaults.
type obsWriter struct {
	im                 *importer
	stmts              []driver.Stmt
	full, short, patch driver.StmtExecContext
	bulk               driver.StmtExecContext // prepared on first use: it needs the feed table
	prep               driver.ConnPrepareContext
	args               []driver.NamedValue
}

func newObsWriter(im *importer, dc any) (*obsWriter, error) {
	prep, ok := dc.(driver.ConnPrepareContext)
	if !ok {
		return nil, fmt.Errorf("the driver connection %T cannot prepare with a context", dc)
	}
	w := &obsWriter{im: im, prep: prep, args: make([]driver.NamedValue, 10)}
	for i := range w.args {
		w.args[i].Ordinal = i + 1
	}
	for _, p := range []struct {
		to    *driver.StmtExecContext
		query string
	}{
		{&w.full, `INSERT INTO observations (` + observationColumns + `)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`},
		{&w.short, `INSERT INTO observations (indicator_id, org_code, year, gender, value, source)
			VALUES ($1, $2, $3, $4, $5, $6)`},
		{&w.patch, `UPDATE observations SET value = $5, status = $6, preliminary = $7, source = $8,
			source_url = $9, fetched_at = $10
			WHERE indicator_id = $1 AND org_code = $2 AND year = $3 AND gender = $4`},
	} {
		x, err := w.prepare(p.query)
		if err != nil {
			w.close()
			return nil, err
		}
		*p.to = x
	}
	return w, nil
}

func (w *obsWriter) prepare(query string) (driver.StmtExecContext, error) {
	st, err := w.prep.PrepareContext(w.im.ctx, query)
	if err != nil {
		return nil, err
	}
	w.stmts = append(w.stmts, st)
	x, ok := st.(driver.StmtExecContext)
	if !ok {
		return nil, fmt.Errorf("the driver statement %T cannot execute with a context", st)
	}
	return x, nil
}

func (w *obsWriter) close() {
	for _, st := range w.stmts {
		st.Close()
	}
}

// set fills the arguments in column order; values are of the driver's
// own types, as no database/sql conversion runs.
func (w *obsWriter) set(indicator int64, o strategy.Observation) {
	a := w.args
	a[0].Value, a[1].Value, a[2].Value, a[3].Value = indicator, o.Org, int64(o.Year), string(o.Gender)
	a[4].Value = nullFloat(o.Value)
	a[5].Value, a[6].Value, a[7].Value, a[8].Value = o.Status, o.Preliminary, o.Source, o.SourceURL
	a[9].Value = w.im.timeArg(o.FetchedAt)
}

func (w *obsWriter) insert(indicator int64, o strategy.Observation) error {
	if o.Status == "" && !o.Preliminary && o.SourceURL == "" && o.FetchedAt.IsZero() {
		a := w.args
		a[0].Value, a[1].Value, a[2].Value, a[3].Value = indicator, o.Org, int64(o.Year), string(o.Gender)
		a[4].Value, a[5].Value = nullFloat(o.Value), o.Source
		_, err := w.short.ExecContext(w.im.ctx, a[:6])
		return err
	}
	w.set(indicator, o)
	_, err := w.full.ExecContext(w.im.ctx, w.args)
	return err
}

// insertBatch inserts obs[i] for i in idx, which share the indicator and
// the columns sameBatch compares, in one statement.
func (w *obsWriter) insertBatch(indicator int64, obs []strategy.Observation, idx []int32) error {
	if w.bulk == nil {
		x, err := w.prepare(`INSERT INTO observations (` + observationColumns + `)
			SELECT $1, org_code, year, gender, value, $2, $3, $4, $5, $6 FROM ` + feedTable + ` WHERE batch = $7`)
		if err != nil {
			return err
		}
		w.bulk = x
	}
	id, done := addFeed(&obsFeed{obs: obs, idx: idx})
	defer done()
	o := &obs[idx[0]]
	a := w.args[:7]
	a[0].Value, a[1].Value, a[2].Value, a[3].Value = indicator, o.Status, o.Preliminary, o.Source
	a[4].Value, a[5].Value, a[6].Value = o.SourceURL, w.im.timeArg(o.FetchedAt), id
	res, err := w.bulk.ExecContext(w.im.ctx, a)
	if err != nil {
		return fmt.Errorf("storing %d observations of %s from %s %d: %w", len(idx), o.Indicator, o.Org, o.Year, err)
	}
	if n, err := res.RowsAffected(); err != nil || n != int64(len(idx)) {
		return fmt.Errorf("storing %d observations of %s: %d stored (%v)", len(idx), o.Indicator, n, err)
	}
	return nil
}

func (w *obsWriter) update(indicator int64, o strategy.Observation) error {
	w.set(indicator, o)
	_, err := w.patch.ExecContext(w.im.ctx, w.args)
	return err
}

func (im *importer) timeArg(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return im.d.timeArg(normTime(t))
}

// loadObservations reads the stored values of the given indicators and
// organisations.
func (im *importer) loadObservations(orgs map[int64]map[string]bool) (map[obsKey]storedObs, error) {
	out := map[obsKey]storedObs{}
	scan := func(want map[string]bool) func(rows *sql.Rows) error {
		return func(rows *sql.Rows) error {
			var k obsKey
			var s storedObs
			var fetched sql.NullTime
			if err := rows.Scan(&k.indicator, &k.org, &k.year, &k.gender, &s.value, &s.status, &s.preliminary,
				&s.source, &s.sourceURL, &fetched); err != nil {
				return err
			}
			if want[k.org] {
				s.fetchedAt = timeOf(fetched)
				out[k] = s
			}
			return nil
		}
	}
	byIndicator, err := im.stmt(`SELECT ` + observationColumns + ` FROM observations WHERE indicator_id = $1`)
	if err != nil {
		return nil, err
	}
	bySeries, err := im.stmt(`SELECT ` + observationColumns + ` FROM observations WHERE indicator_id = $1 AND org_code = $2`)
	if err != nil {
		return nil, err
	}
	for id, want := range orgs {
		if len(want) > perOrgLimit {
			if err := eachRow(byIndicator, im, []any{id}, scan(want)); err != nil {
				return nil, err
			}
			continue
		}
		for org := range want {
			if err := eachRow(bySeries, im, []any{id, org}, scan(want)); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

func eachRow(st *sql.Stmt, im *importer, args []any, scan func(*sql.Rows) error) error {
	rows, err := st.QueryContext(im.ctx, args...)
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
