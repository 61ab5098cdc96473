package store

import (
	"database/sql"
	"database/sql/driver"
	"fmt"
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

// putObservations upserts the observations, never deleting any. The stored
// values of the series concerned are read first in a few range scans, so
// that a new row costs one INSERT and an unchanged one no write at all.
func (im *importer) putObservations(obs []strategy.Observation) error {
	if len(obs) == 0 {
		return nil
	}
	ids := make([]int64, len(obs))
	orgs := map[int64]map[string]bool{}
	for i, o := range obs {
		id, err := im.indicatorID(o.Indicator)
		if err != nil {
			return strategy.Internal(err, "resolving indicator "+o.Indicator)
		}
		ids[i] = id
		if orgs[id] == nil {
			orgs[id] = map[string]bool{}
		}
		orgs[id][o.Org] = true
	}
	stored, err := im.loadObservations(orgs)
	if err != nil {
		return strategy.Internal(err, "reading stored observations")
	}

	var n strategy.ChangeCount
	err = im.conn.Raw(func(dc any) error {
		w, err := newObsWriter(im, dc)
		if err != nil {
			return err
		}
		defer w.close()
		for i, o := range obs {
			k := obsKey{ids[i], o.Org, o.Year, o.Gender}
			s, ok := stored[k]
			switch {
			case !ok:
				err = w.insert(k.indicator, o)
				n.Added++
			case s.same(o):
				n.Unchanged++
			default:
				err = w.update(k.indicator, o)
				n.Changed++
			}
			if err != nil {
				return fmt.Errorf("storing observation %s %s %d %s: %w", o.Indicator, o.Org, o.Year, o.Gender, err)
			}
		}
		return nil
	})
	if err != nil {
		return strategy.Internal(err, "storing observations")
	}
	im.sum[kindObservations] = n
	return nil
}

// obsWriter writes observations through the driver's own prepared
// statements on the import's connection, inside its transaction. Going
// round database/sql here (its locking, argument conversion and
// allocations per call) raised the insert rate by a sixth; for the other,
// smaller tables database/sql is kept. Single-row statements: multi-row
// VALUES measured slower, as SQLite then keeps a statement journal and
// binds $N names in quadratic time. Most values carry no status, URL or
// time, and the short INSERT leaves those to the column defaults.
type obsWriter struct {
	im                 *importer
	stmts              []driver.Stmt
	full, short, patch driver.StmtExecContext
	args               []driver.NamedValue
}

func newObsWriter(im *importer, dc any) (*obsWriter, error) {
	prep, ok := dc.(driver.ConnPrepareContext)
	if !ok {
		return nil, fmt.Errorf("the driver connection %T cannot prepare with a context", dc)
	}
	w := &obsWriter{im: im, args: make([]driver.NamedValue, 10)}
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
		st, err := prep.PrepareContext(im.ctx, p.query)
		if err != nil {
			w.close()
			return nil, err
		}
		w.stmts = append(w.stmts, st)
		x, ok := st.(driver.StmtExecContext)
		if !ok {
			w.close()
			return nil, fmt.Errorf("the driver statement %T cannot execute with a context", st)
		}
		*p.to = x
	}
	return w, nil
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
