package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // deadlines are days in Sweden's calendar, on hosts without a zone database too

	"github.com/inkludera/inkludera/internal/strategy"
)

// swedishToday is the date in Sweden now: a deadline is a Swedish calendar
// day, whatever the server's zone.
func swedishToday() strategy.Date {
	return strategy.DateOf(time.Now().In(stockholm()))
}

var stockholm = sync.OnceValue(func() *time.Location {
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		panic(err) // embedded by time/tzdata: cannot happen
	}
	return loc
})

func periodRef(id int64) strategy.ObjectRef {
	return strategy.ObjectRef{Kind: strategy.ObjFollowUpPeriod, Key: fmt.Sprint(id)}
}

// nullTime stores the zero time as NULL.
func nullTime(d dialect, t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return d.timeArg(t)
}

// CreateFollowUpPeriod implements strategy.FollowUpStore.
func (s *Store) CreateFollowUpPeriod(ctx context.Context, p strategy.FollowUpPeriod) (strategy.FollowUpPeriod, error) {
	p.ID, p.Rev = 0, 1
	p.CreatedAt = normTime(time.Now())
	p.Deadlines = slices.Clone(p.Deadlines)
	for i := range p.Deadlines {
		d := &p.Deadlines[i]
		d.Reported, d.ReportedBy, d.Approved, d.ApprovedBy = time.Time{}, "", time.Time{}, ""
	}
	var out strategy.FollowUpPeriod
	err := s.inImport(ctx, func(im *importer) error {
		bodyIDs, err := im.checkPeriod(p)
		if err != nil {
			return err
		}
		var n int
		err = im.tx.QueryRowContext(ctx, `SELECT count(*) FROM follow_up_periods WHERE org_code = $1 AND year = $2`,
			p.Org, p.Year).Scan(&n)
		if err != nil {
			return strategy.Internal(err, "looking up follow-up periods")
		}
		if n > 0 {
			return strategy.Errorf(strategy.CodeConflict, "organisation %s already has a follow-up period for %d", p.Org, p.Year)
		}
		id, err := im.insertID(`INSERT INTO follow_up_periods (org_code, year, title, document_key, created_at)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`, p.Org, p.Year, p.Title, p.Document, im.d.timeArg(p.CreatedAt))
		if err != nil {
			return strategy.Internal(err, "storing a follow-up period")
		}
		if err := im.putDeadlines(id, p.Deadlines, bodyIDs); err != nil {
			return err
		}
		if out, err = readPeriod(ctx, im.tx, id); err != nil {
			return err
		}
		return im.audit(strategy.AuditCreate, periodRef(id), out.Org, nil, out)
	})
	if err != nil {
		return strategy.FollowUpPeriod{}, err
	}
	return out, nil
}

// UpdateFollowUpPeriod implements strategy.FollowUpStore. The organisation
// and year of a period stay; p.Org and p.Year may be left zero, and other
// values are refused rather than ignored.
func (s *Store) UpdateFollowUpPeriod(ctx context.Context, p strategy.FollowUpPeriod) (strategy.FollowUpPeriod, error) {
	ref := periodRef(p.ID)
	var out strategy.FollowUpPeriod
	err := s.inImport(ctx, func(im *importer) error {
		stored, err := readPeriod(ctx, im.tx, p.ID)
		if err != nil {
			return err
		}
		if p.Rev != stored.Rev {
			return staleRev(ref.String(), p.Rev, stored.Rev)
		}
		var v strategy.ValidationErrors
		if p.Org != "" && p.Org != stored.Org {
			v = append(v, strategy.FieldError{Path: "org", Message: fmt.Sprintf("a period cannot move to another organisation; it is %s's", stored.Org)})
		}
		if p.Year != 0 && p.Year != stored.Year {
			v = append(v, strategy.FieldError{Path: "year", Message: fmt.Sprintf("the year of a period cannot change; it is %d", stored.Year)})
		}
		if len(v) > 0 {
			return invalid("the follow-up period", v)
		}
		next := stored
		next.Title, next.Document = p.Title, p.Document
		next.Deadlines = nil
		for _, d := range p.Deadlines {
			nd := strategy.BodyDeadline{Body: d.Body, Due: d.Due}
			for _, old := range stored.Deadlines {
				if old.Body == d.Body {
					nd.Reported, nd.ReportedBy, nd.Approved, nd.ApprovedBy = old.Reported, old.ReportedBy, old.Approved, old.ApprovedBy
				}
			}
			next.Deadlines = append(next.Deadlines, nd)
		}
		bodyIDs, err := im.checkPeriod(next)
		if err != nil {
			return err
		}
		out = stored
		if reflect.DeepEqual(next, stored) {
			return nil // unchanged: not written, not recorded
		}
		if _, err := im.exec(`UPDATE follow_up_periods SET title = $2, document_key = $3, rev = rev + 1 WHERE id = $1`,
			p.ID, next.Title, next.Document); err != nil {
			return strategy.Internal(err, "storing follow-up period "+ref.Key)
		}
		if _, err := im.exec(`DELETE FROM follow_up_deadlines WHERE period_id = $1`, p.ID); err != nil {
			return strategy.Internal(err, "storing follow-up period "+ref.Key)
		}
		if err := im.putDeadlines(p.ID, next.Deadlines, bodyIDs); err != nil {
			return err
		}
		if out, err = readPeriod(ctx, im.tx, p.ID); err != nil {
			return err
		}
		return im.audit(strategy.AuditUpdate, ref, out.Org, stored, out)
	})
	if err != nil {
		return strategy.FollowUpPeriod{}, err
	}
	return out, nil
}

// checkPeriod validates a period (FollowUpPeriod.Validate) and checks it
// against what is stored: its organisation, its document and its
// deadlines' bodies. It returns the ids of the deadlines' bodies.
func (im *importer) checkPeriod(p strategy.FollowUpPeriod) ([]int64, error) {
	var v strategy.ValidationErrors
	if err := p.Validate(); err != nil && !errors.As(err, &v) {
		return nil, strategy.Internal(err, "validating a follow-up period")
	}
	// Only where the value itself passed: one problem per field is enough.
	ok := func(path string) bool {
		return !slices.ContainsFunc(v, func(e strategy.FieldError) bool { return e.Path == path })
	}
	bodies := map[string]int64{}
	if ok("org") {
		switch _, err := readOrganisation(im.ctx, im.tx, p.Org); strategy.CodeOf(err) {
		case "":
			err := queryEach(im.ctx, im.tx, `SELECT id, key FROM bodies WHERE org_code = $1`, []any{p.Org}, func(rows *sql.Rows) error {
				var id int64
				var key string
				err := rows.Scan(&id, &key)
				bodies[key] = id
				return err
			})
			if err != nil {
				return nil, strategy.Internal(err, "reading the bodies of "+p.Org)
			}
		case strategy.CodeNotFound:
			v = append(v, fieldError("org", fmt.Sprintf("Organisationen %s finns inte i Inkludera.", p.Org),
				"no organisation has the code %q", p.Org))
		default:
			return nil, err
		}
	}
	if p.Document != "" && ok("document") {
		var owner string
		err := im.tx.QueryRowContext(im.ctx, `SELECT org_code FROM documents WHERE key = $1`, p.Document).Scan(&owner)
		switch {
		case errors.Is(err, sql.ErrNoRows) || (err == nil && owner != p.Org):
			v = append(v, fieldError("document", fmt.Sprintf("Organisationen har inget styrdokument ”%s”.", p.Document),
				"organisation %s has no document %q", p.Org, p.Document))
		case err != nil:
			return nil, strategy.Internal(err, "looking up document "+p.Document)
		}
	}
	ids := make([]int64, len(p.Deadlines))
	for i, d := range p.Deadlines {
		path := fmt.Sprintf("deadlines[%d].body", i)
		id, found := bodies[d.Body]
		if !found && ok(path) && ok("org") {
			v = append(v, fieldError(path, fmt.Sprintf("Organisationen har inget organ ”%s”.", d.Body),
				"organisation %s has no body %q", p.Org, d.Body))
		}
		ids[i] = id
	}
	if len(v) > 0 {
		return nil, invalid("the follow-up period", v)
	}
	return ids, nil
}

func (im *importer) putDeadlines(periodID int64, list []strategy.BodyDeadline, bodyIDs []int64) error {
	for i, d := range list {
		_, err := im.exec(`INSERT INTO follow_up_deadlines (period_id, body_id, position, due, reported_at, reported_by,
			approved_at, approved_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
			periodID, bodyIDs[i], i, d.Due, nullTime(im.d, d.Reported), d.ReportedBy, nullTime(im.d, d.Approved), d.ApprovedBy)
		if err != nil {
			return strategy.Internal(err, fmt.Sprintf("storing the deadline of %s", d.Body))
		}
	}
	return nil
}

// FollowUpPeriods implements strategy.FollowUpStore.
func (s *Store) FollowUpPeriods(ctx context.Context, org string) ([]strategy.FollowUpPeriod, error) {
	if _, err := readOrganisation(ctx, s.r, org); err != nil {
		return nil, err
	}
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, strategy.Internal(err, "starting a read")
	}
	defer tx.Rollback()
	out, err := readPeriods(ctx, tx, "org_code = $1", org)
	if err != nil {
		return nil, strategy.Internal(err, "reading the follow-up periods of "+org)
	}
	return out, nil
}

// FollowUpPeriod implements strategy.FollowUpStore.
func (s *Store) FollowUpPeriod(ctx context.Context, id int64) (strategy.FollowUpPeriod, error) {
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return strategy.FollowUpPeriod{}, strategy.Internal(err, "starting a read")
	}
	defer tx.Rollback()
	return readPeriod(ctx, tx, id)
}

// readPeriod reads one period; CodeNotFound when unknown.
func readPeriod(ctx context.Context, q queryer, id int64) (strategy.FollowUpPeriod, error) {
	list, err := readPeriods(ctx, q, "id = $1", id)
	if err != nil {
		return strategy.FollowUpPeriod{}, strategy.Internal(err, fmt.Sprintf("reading follow-up period %d", id))
	}
	if len(list) == 0 {
		return strategy.FollowUpPeriod{}, strategy.Errorf(strategy.CodeNotFound, "follow-up period %d does not exist", id)
	}
	return list[0], nil
}

// readPeriods reads the periods matching where (over follow_up_periods)
// with their deadlines, newest year first.
func readPeriods(ctx context.Context, q queryer, where string, arg any) ([]strategy.FollowUpPeriod, error) {
	var out []strategy.FollowUpPeriod
	index := map[int64]int{}
	err := queryEach(ctx, q, `SELECT id, org_code, year, title, document_key, created_at, rev
		FROM follow_up_periods WHERE `+where+` ORDER BY year DESC, id DESC`, []any{arg}, func(rows *sql.Rows) error {
		var p strategy.FollowUpPeriod
		var created sql.NullTime
		if err := rows.Scan(&p.ID, &p.Org, &p.Year, &p.Title, &p.Document, &created, &p.Rev); err != nil {
			return err
		}
		p.CreatedAt = timeOf(created)
		index[p.ID] = len(out)
		out = append(out, p)
		return nil
	})
	if err != nil || len(out) == 0 {
		return out, err
	}
	err = queryEach(ctx, q, `SELECT d.period_id, b.key, d.due, d.reported_at, d.reported_by, d.approved_at, d.approved_by
		FROM follow_up_deadlines d JOIN bodies b ON b.id = d.body_id
		WHERE d.period_id IN (SELECT id FROM follow_up_periods WHERE `+where+`)
		ORDER BY d.period_id, d.position`, []any{arg}, func(rows *sql.Rows) error {
		var id int64
		var d strategy.BodyDeadline
		var reported, approved sql.NullTime
		if err := rows.Scan(&id, &d.Body, &d.Due, &reported, &d.ReportedBy, &approved, &d.ApprovedBy); err != nil {
			return err
		}
		d.Reported, d.Approved = timeOf(reported), timeOf(approved)
		p := &out[index[id]]
		p.Deadlines = append(p.Deadlines, d)
		return nil
	})
	return out, err
}

// ChangeDeadline implements strategy.FollowUpStore. "Today" is the day in
// Sweden; a deadline is locked once approved or once its due day is over.
func (s *Store) ChangeDeadline(ctx context.Context, periodID int64, body string, action strategy.DeadlineAction, newDue strategy.Date) (strategy.FollowUpPeriod, error) {
	ref := periodRef(periodID)
	var out strategy.FollowUpPeriod
	err := s.inImport(ctx, func(im *importer) error {
		stored, err := readPeriod(ctx, im.tx, periodID)
		if err != nil {
			return err
		}
		i := deadlineOf(stored.Deadlines, body)
		if i < 0 {
			return strategy.Errorf(strategy.CodeNotFound, "follow-up period %d has no deadline for body %q", periodID, body)
		}
		d := stored.Deadlines[i]
		today := swedishToday()
		now := normTime(time.Now())
		actor := strategy.ActorFrom(ctx)
		what := fmt.Sprintf("the follow-up of %s for %d", body, stored.Year)
		var audit strategy.AuditAction
		switch action {
		case strategy.DeadlineReport:
			switch {
			case !d.Approved.IsZero():
				return strategy.Errorf(strategy.CodeConflict, "%s is locked: it was approved on %s; an administrator can reopen it",
					what, strategy.DateOf(d.Approved.In(stockholm())))
			case d.Due.Before(today):
				return strategy.Errorf(strategy.CodeConflict, "%s is locked: it was due on %s; an administrator can reopen it",
					what, d.Due)
			}
			d.Reported, d.ReportedBy = now, actor.Name
			audit = strategy.AuditReport
		case strategy.DeadlineApprove:
			switch {
			case d.Reported.IsZero():
				return strategy.Errorf(strategy.CodeConflict, "%s cannot be approved: it has not been reported", what)
			case !d.Approved.IsZero():
				return strategy.Errorf(strategy.CodeConflict, "%s is already approved (on %s)",
					what, strategy.DateOf(d.Approved.In(stockholm())))
			}
			d.Approved, d.ApprovedBy = now, actor.Name
			audit = strategy.AuditPublish
		case strategy.DeadlineReopen:
			switch {
			case newDue.IsZero():
				return invalid("the reopening", strategy.ValidationErrors{fieldError("due",
					"Ange ny sista dag för uppföljningen.", "is required: the new due date")})
			case newDue.Before(today):
				return invalid("the reopening", strategy.ValidationErrors{fieldError("due",
					fmt.Sprintf("Den nya sista dagen kan inte ligga före i dag, %s.", today),
					"%s is in the past; the new due date must be today (%s) or later", newDue, today)})
			}
			d.Due, d.Approved, d.ApprovedBy = newDue, time.Time{}, ""
			audit = strategy.AuditReopen
		default:
			return strategy.Errorf(strategy.CodeInvalid, "%q is not a step of a follow-up: report, approve or reopen", action)
		}
		_, err = im.exec(`UPDATE follow_up_deadlines SET due = $3, reported_at = $4, reported_by = $5, approved_at = $6,
			approved_by = $7 WHERE period_id = $1 AND body_id = (SELECT id FROM bodies WHERE org_code = $8 AND key = $2)`,
			periodID, body, d.Due, nullTime(im.d, d.Reported), d.ReportedBy, nullTime(im.d, d.Approved), d.ApprovedBy, stored.Org)
		if err != nil {
			return strategy.Internal(err, "storing "+what)
		}
		// The deadlines are part of the period, so this is a new revision.
		if _, err := im.exec(`UPDATE follow_up_periods SET rev = rev + 1 WHERE id = $1`, periodID); err != nil {
			return strategy.Internal(err, "storing "+what)
		}
		if out, err = readPeriod(ctx, im.tx, periodID); err != nil {
			return err
		}
		return im.audit(audit, ref, out.Org, stored, out)
	})
	if err != nil {
		return strategy.FollowUpPeriod{}, err
	}
	return out, nil
}

// deadlineOf is the index of the body's deadline, -1 when it has none.
func deadlineOf(list []strategy.BodyDeadline, body string) int {
	return slices.IndexFunc(list, func(d strategy.BodyDeadline) bool { return d.Body == body })
}

// RecordReminder implements strategy.FollowUpStore. The reminder must be
// about a body with a deadline in the period; it is audited as a creation
// on the period, with the reminder as what came to be.
func (s *Store) RecordReminder(ctx context.Context, r strategy.Reminder) error {
	var v strategy.ValidationErrors
	if strings.TrimSpace(r.Email) == "" {
		v = append(v, fieldError("email", "Ange vart påminnelsen skickades.", "is required"))
	}
	if r.Body == "" {
		v = append(v, fieldError("body", "Ange vilket organ påminnelsen gällde.", "is required"))
	}
	if len(v) > 0 {
		return invalid("the reminder", v)
	}
	if r.SentAt.IsZero() {
		r.SentAt = time.Now()
	}
	r.SentAt = normTime(r.SentAt)
	return s.inImport(ctx, func(im *importer) error {
		p, err := readPeriod(ctx, im.tx, r.PeriodID)
		if err != nil {
			return err
		}
		if deadlineOf(p.Deadlines, r.Body) < 0 {
			return strategy.Errorf(strategy.CodeNotFound, "follow-up period %d has no deadline for body %q", r.PeriodID, r.Body)
		}
		_, err = im.exec(`INSERT INTO reminders (period_id, body_key, email, sent_at) VALUES ($1, $2, $3, $4)`,
			r.PeriodID, r.Body, r.Email, im.d.timeArg(r.SentAt))
		if err != nil {
			return strategy.Internal(err, "recording a reminder")
		}
		return im.audit(strategy.AuditCreate, periodRef(r.PeriodID), p.Org, nil, r)
	})
}

// Reminders implements strategy.FollowUpStore.
func (s *Store) Reminders(ctx context.Context, periodID int64) ([]strategy.Reminder, error) {
	if _, err := s.FollowUpPeriod(ctx, periodID); err != nil {
		return nil, err
	}
	var out []strategy.Reminder
	err := queryEach(ctx, s.r, `SELECT period_id, body_key, email, sent_at FROM reminders WHERE period_id = $1
		ORDER BY sent_at DESC, id DESC`, []any{periodID}, func(rows *sql.Rows) error {
		var r strategy.Reminder
		var sent sql.NullTime
		if err := rows.Scan(&r.PeriodID, &r.Body, &r.Email, &sent); err != nil {
			return err
		}
		r.SentAt = timeOf(sent)
		out = append(out, r)
		return nil
	})
	if err != nil {
		return nil, strategy.Internal(err, "reading reminders")
	}
	return out, nil
}
