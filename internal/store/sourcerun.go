package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"github.com/inkludera/inkludera/internal/strategy"
)

// ApplySourceRun implements strategy.Store: the observations go through the
// same checks and upserts as an import's, the deletions follow, and the run
// is recorded, all in one transaction.
func (s *Store) ApplySourceRun(ctx context.Context, run strategy.SourceRun, obs []strategy.Observation, deleted []strategy.ObservationKey) (strategy.SourceRun, error) {
	run.Outcome = strategy.RunOK
	err := s.inImport(ctx, func(im *importer) error {
		if len(obs) > 0 {
			if err := im.run([]strategy.Bundle{{Observations: obs}}); err != nil {
				return err
			}
		}
		n := im.sum[kindObservations]
		for _, k := range deleted {
			removed, err := im.deleteObservation(k)
			if err != nil {
				return err
			}
			n.Deleted += int(removed)
		}
		run.Changes = n
		id, err := im.insertRun(run)
		if err != nil {
			return err
		}
		run.ID = id
		if n.Added+n.Changed+n.Deleted == 0 {
			return nil
		}
		// Who brought the values, in the audit trail beside the documents'
		// changes; the values themselves are in the run and the table.
		ref := strategy.ObjectRef{Kind: strategy.ObjSourceRun, Key: strconv.FormatInt(id, 10)}
		return im.audit(strategy.AuditImport, ref, "", nil, run)
	})
	if err != nil {
		return strategy.SourceRun{}, err
	}
	return run, nil
}

// RecordRun implements strategy.Store.
func (s *Store) RecordRun(ctx context.Context, run strategy.SourceRun) (strategy.SourceRun, error) {
	err := s.inImport(ctx, func(im *importer) error {
		id, err := im.insertRun(run)
		run.ID = id
		return err
	})
	if err != nil {
		return strategy.SourceRun{}, err
	}
	return run, nil
}

// deleteObservation removes one observation, if stored, and says how many
// rows went (0 or 1). An unknown indicator is nothing to delete.
func (im *importer) deleteObservation(k strategy.ObservationKey) (int64, error) {
	ref, err := im.storedIndicator(k.Indicator)
	if err != nil || ref == nil {
		return 0, err
	}
	n, err := im.exec(`DELETE FROM observations WHERE indicator_id = $1 AND org_code = $2 AND year = $3 AND gender = $4`,
		ref.id, k.Org, k.Year, k.Gender)
	if err != nil {
		return 0, strategy.Internal(err, fmt.Sprintf("deleting observation %s %s %d %s", k.Indicator, k.Org, k.Year, k.Gender))
	}
	return n, nil
}

func (im *importer) insertRun(run strategy.SourceRun) (int64, error) {
	if run.Source == "" || run.Outcome == "" {
		return 0, strategy.Errorf(strategy.CodeInvalid, "a source run needs its source and outcome")
	}
	id, err := im.insertID(`INSERT INTO source_runs (source, scope, started_at, finished_at, outcome, error,
		requests, added, changed, deleted, unchanged, warnings)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
		run.Source, run.Scope, im.d.timeArg(run.StartedAt), im.d.timeArg(run.FinishedAt), run.Outcome, run.Error,
		run.Requests, run.Changes.Added, run.Changes.Changed, run.Changes.Deleted, run.Changes.Unchanged,
		mustJSON(run.Warnings))
	if err != nil {
		return 0, strategy.Internal(err, "recording the source run")
	}
	return id, nil
}

// SourceRuns implements strategy.Store.
func (s *Store) SourceRuns(ctx context.Context, source string, limit int) ([]strategy.SourceRun, error) {
	if limit <= 0 {
		limit = 100
	}
	var runs []strategy.SourceRun
	err := queryEach(ctx, s.r, `SELECT id, source, scope, started_at, finished_at, outcome, error, requests,
		added, changed, deleted, unchanged, warnings
		FROM source_runs WHERE ($1 = '' OR source = $1) ORDER BY started_at DESC, id DESC LIMIT $2`,
		[]any{source, limit}, func(rows *sql.Rows) error {
			var r strategy.SourceRun
			var started, finished sql.NullTime
			var warnings sql.NullString
			if err := rows.Scan(&r.ID, &r.Source, &r.Scope, &started, &finished, &r.Outcome, &r.Error, &r.Requests,
				&r.Changes.Added, &r.Changes.Changed, &r.Changes.Deleted, &r.Changes.Unchanged, &warnings); err != nil {
				return err
			}
			r.StartedAt, r.FinishedAt = timeOf(started), timeOf(finished)
			list, err := readList[string](warnings)
			if err != nil {
				return err
			}
			r.Warnings = list
			runs = append(runs, r)
			return nil
		})
	if err != nil {
		return nil, strategy.Internal(err, "listing source runs")
	}
	return runs, nil
}
