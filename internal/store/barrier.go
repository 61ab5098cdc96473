package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"time"

	"github.com/inkludera/inkludera/internal/strategy"
)

const barrierColumns = `id, page, description, name, email, wants_answer, language, created_at, handled_at, handled_by, note`

func barrierRef(id int64) strategy.ObjectRef {
	return strategy.ObjectRef{Kind: strategy.ObjBarrierReport, Key: strconv.FormatInt(id, 10)}
}

// barrierState is what the audit trail records of a report: whether and
// how it was handled, never the reader's name, e-mail or text, which the
// append-only trail could not forget.
func barrierState(r strategy.BarrierReport) map[string]any {
	if r.Handled == nil {
		return map[string]any{"handled": false}
	}
	return map[string]any{"handled": true, "handled_at": r.Handled, "handled_by": r.HandledBy, "note": r.Note}
}

// AddBarrierReport implements strategy.BarrierStore. It is not audited
// (see strategy.BarrierStore).
func (s *Store) AddBarrierReport(ctx context.Context, r strategy.BarrierReport) (strategy.BarrierReport, error) {
	r.ID, r.Handled, r.HandledBy, r.Note = 0, nil, "", ""
	if err := r.Validate(); err != nil {
		return strategy.BarrierReport{}, &strategy.Error{Code: strategy.CodeInvalid, Message: "the barrier report is not valid", Err: err}
	}
	if r.CreatedAt.IsZero() {
		r.CreatedAt = time.Now()
	}
	r.CreatedAt = normTime(r.CreatedAt)
	// One statement on the writer, outside inImport: a report changes no
	// page, so it leaves the content version (and the page cache) alone.
	err := s.w.QueryRowContext(ctx, `INSERT INTO barrier_reports (page, description, name, email, wants_answer, language, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		r.Page, r.Description, r.Name, r.Email, r.WantsAnswer, r.Language, s.d.timeArg(r.CreatedAt)).Scan(&r.ID)
	if err != nil {
		return strategy.BarrierReport{}, strategy.Internal(err, "storing a barrier report")
	}
	return r, nil
}

// BarrierReports implements strategy.BarrierStore.
func (s *Store) BarrierReports(ctx context.Context, f strategy.BarrierFilter) ([]strategy.BarrierReport, error) {
	query := `SELECT ` + barrierColumns + ` FROM barrier_reports`
	if f.Open {
		query += ` WHERE handled_at IS NULL`
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 500
	}
	query += ` ORDER BY handled_at IS NULL DESC, created_at DESC, id DESC LIMIT $1`
	var out []strategy.BarrierReport
	err := queryEach(ctx, s.r, query, []any{limit}, func(rows *sql.Rows) error {
		r, err := scanBarrier(rows)
		if err != nil {
			return err
		}
		out = append(out, r)
		return nil
	})
	if err != nil {
		return nil, strategy.Internal(err, "reading the barrier reports")
	}
	return out, nil
}

// MarkBarrierHandled implements strategy.BarrierStore.
func (s *Store) MarkBarrierHandled(ctx context.Context, id int64, note string) (strategy.BarrierReport, error) {
	if err := strategy.CheckBarrierNote(note); err != nil {
		return strategy.BarrierReport{}, &strategy.Error{Code: strategy.CodeInvalid, Message: "the note is not valid", Err: err}
	}
	actor := strategy.ActorFrom(ctx)
	var out strategy.BarrierReport
	err := s.inImport(ctx, func(im *importer) error {
		before, err := scanBarrier(im.tx.QueryRowContext(ctx, `SELECT `+barrierColumns+` FROM barrier_reports WHERE id = $1`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return strategy.Errorf(strategy.CodeNotFound, "no barrier report %d", id)
		}
		if err != nil {
			return strategy.Internal(err, "reading barrier report "+strconv.FormatInt(id, 10))
		}
		if before.Handled != nil {
			return strategy.Errorf(strategy.CodeConflict, "barrier report %d was handled by %s at %s", id,
				before.HandledBy, before.Handled.Format(time.RFC3339))
		}
		at := normTime(time.Now())
		_, err = im.exec(`UPDATE barrier_reports SET handled_at = $2, handled_by = $3, handled_by_id = $4, note = $5 WHERE id = $1`,
			id, im.d.timeArg(at), actor.Name, nullID(actor.UserID), note)
		if err != nil {
			return strategy.Internal(err, "marking barrier report "+strconv.FormatInt(id, 10)+" handled")
		}
		out = before
		out.Handled, out.HandledBy, out.Note = &at, actor.Name, note
		return im.audit(strategy.AuditUpdate, barrierRef(id), "", barrierState(before), barrierState(out))
	})
	if err != nil {
		return strategy.BarrierReport{}, err
	}
	return out, nil
}

func scanBarrier(row interface{ Scan(...any) error }) (strategy.BarrierReport, error) {
	var r strategy.BarrierReport
	var created, handled sql.NullTime
	if err := row.Scan(&r.ID, &r.Page, &r.Description, &r.Name, &r.Email, &r.WantsAnswer, &r.Language,
		&created, &handled, &r.HandledBy, &r.Note); err != nil {
		return r, err
	}
	r.CreatedAt = timeOf(created)
	if handled.Valid {
		t := timeOf(handled)
		r.Handled = &t
	}
	return r, nil
}
