package store

import (
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/inkludera/inkludera/internal/strategy"
)

// New observations reach PostgreSQL through COPY (binary), on the import's
// own connection and so inside its transaction: one round trip for any
// number of rows, none of the per-row statement work of INSERT.

// putObservationsPostgres updates the changed rows obs[i] (i in changed)
// and copies the fresh ones (i in fresh) in.
func (im *importer) putObservationsPostgres(obs []strategy.Observation, ids []int64, changed, fresh []int32) error {
	if len(changed) >= copyUpdateMin {
		if err := im.copyUpdate(obs, ids, changed); err != nil {
			return err
		}
	} else if len(changed) > 0 {
		patch, err := im.stmt(`UPDATE observations SET value = $5, status = $6, preliminary = $7, source = $8,
			source_url = $9, fetched_at = $10
			WHERE indicator_id = $1 AND org_code = $2 AND year = $3 AND gender = $4`)
		if err != nil {
			return err
		}
		for _, i := range changed {
			o := obs[i]
			if _, err := patch.ExecContext(im.ctx, ids[i], o.Org, o.Year, string(o.Gender), nullFloat(o.Value),
				o.Status, o.Preliminary, o.Source, o.SourceURL, im.timeArg(o.FetchedAt)); err != nil {
				return fmt.Errorf("storing observation %s %s %d %s: %w", o.Indicator, o.Org, o.Year, o.Gender, err)
			}
		}
	}
	if len(fresh) == 0 {
		return nil
	}
	return im.copyObservations("observations", obs, ids, fresh)
}

// copyUpdateMin: from this many changed rows on, they are copied into a
// temporary table and updated in one statement; one UPDATE per row cost a
// round trip each (100 000 changed rows: 25.7 s against 3.3 s on SQLite).
const copyUpdateMin = 64

var observationColumnList = []string{"indicator_id", "org_code", "year", "gender", "value", "status",
	"preliminary", "source", "source_url", "fetched_at"}

// copyUpdate updates the rows obs[i], i in changed, through a temporary
// table that lives until the transaction ends.
func (im *importer) copyUpdate(obs []strategy.Observation, ids []int64, changed []int32) error {
	if _, err := im.tx.ExecContext(im.ctx, `CREATE TEMPORARY TABLE IF NOT EXISTS observation_changes
		(LIKE observations INCLUDING DEFAULTS) ON COMMIT DROP`); err != nil {
		return fmt.Errorf("preparing the changed observations: %w", err)
	}
	if _, err := im.tx.ExecContext(im.ctx, `TRUNCATE observation_changes`); err != nil {
		return fmt.Errorf("preparing the changed observations: %w", err)
	}
	if err := im.copyObservations("observation_changes", obs, ids, changed); err != nil {
		return err
	}
	res, err := im.tx.ExecContext(im.ctx, `UPDATE observations o SET value = c.value, status = c.status,
		preliminary = c.preliminary, source = c.source, source_url = c.source_url, fetched_at = c.fetched_at
		FROM observation_changes c
		WHERE o.indicator_id = c.indicator_id AND o.org_code = c.org_code AND o.year = c.year AND o.gender = c.gender`)
	if err != nil {
		return fmt.Errorf("storing %d changed observations: %w", len(changed), err)
	}
	if n, err := res.RowsAffected(); err != nil || n != int64(len(changed)) {
		return fmt.Errorf("storing %d changed observations: %d updated (%v)", len(changed), n, err)
	}
	return nil
}

// copyObservations copies the rows obs[i], i in idx, into table.
func (im *importer) copyObservations(table string, obs []strategy.Observation, ids []int64, idx []int32) error {
	return im.conn.Raw(func(dc any) error {
		c, err := pgConnOf(dc)
		if err != nil {
			return err
		}
		src := &obsCopySource{obs: obs, ids: ids, idx: idx, im: im, row: make([]any, 10), i: -1}
		n, err := c.Conn().CopyFrom(im.ctx, pgx.Identifier{table}, observationColumnList, src)
		if err != nil {
			return fmt.Errorf("copying %d observations: %w", len(idx), err)
		}
		if n != int64(len(idx)) {
			return fmt.Errorf("copying %d observations: %d stored", len(idx), n)
		}
		return nil
	})
}

// obsCopySource feeds COPY the rows obs[idx[i]] without building them all
// first; row is reused.
type obsCopySource struct {
	obs []strategy.Observation
	ids []int64
	idx []int32
	im  *importer
	row []any
	i   int
}

func (s *obsCopySource) Next() bool {
	s.i++
	return s.i < len(s.idx)
}

func (s *obsCopySource) Values() ([]any, error) {
	j := s.idx[s.i]
	o := &s.obs[j]
	r := s.row
	r[0], r[1], r[2], r[3] = s.ids[j], o.Org, int32(o.Year), string(o.Gender)
	r[4] = nullFloat(o.Value)
	r[5], r[6], r[7], r[8] = o.Status, o.Preliminary, o.Source, o.SourceURL
	r[9] = s.im.timeArg(o.FetchedAt)
	return r, nil
}

func (s *obsCopySource) Err() error { return nil }
