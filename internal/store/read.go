package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/inkludera/inkludera/internal/strategy"
)

// ListOrganisations returns every organisation ordered by code.
func (s *Store) ListOrganisations(ctx context.Context) ([]strategy.Organisation, error) {
	var out []strategy.Organisation
	err := queryEach(ctx, s.r, `SELECT code, name, kind, county FROM organisations ORDER BY code`, nil,
		func(rows *sql.Rows) error {
			var o strategy.Organisation
			if err := rows.Scan(&o.Code, &o.Name, &o.Kind, &o.County); err != nil {
				return err
			}
			out = append(out, o)
			return nil
		})
	if err != nil {
		return nil, strategy.Internal(err, "listing organisations")
	}
	return out, nil
}

// Organisation returns one organisation; CodeNotFound when unknown.
func (s *Store) Organisation(ctx context.Context, code string) (strategy.Organisation, error) {
	return readOrganisation(ctx, s.r, code)
}

func readOrganisation(ctx context.Context, q queryer, code string) (strategy.Organisation, error) {
	var o strategy.Organisation
	err := q.QueryRowContext(ctx, `SELECT code, name, kind, county FROM organisations WHERE code = $1`, code).
		Scan(&o.Code, &o.Name, &o.Kind, &o.County)
	if errors.Is(err, sql.ErrNoRows) {
		return o, strategy.Errorf(strategy.CodeNotFound, "no organisation has the code %q", code)
	}
	if err != nil {
		return o, strategy.Internal(err, "reading organisation "+code)
	}
	return o, nil
}

// Bodies returns the organisation's bodies in the order they were first
// imported; CodeNotFound when the organisation is unknown.
func (s *Store) Bodies(ctx context.Context, orgCode string) ([]strategy.Body, error) {
	if _, err := readOrganisation(ctx, s.r, orgCode); err != nil {
		return nil, err
	}
	return readBodies(ctx, s.r, orgCode)
}

func readBodies(ctx context.Context, q queryer, orgCode string) ([]strategy.Body, error) {
	var out []strategy.Body
	err := queryEach(ctx, q, `SELECT key, name, kind, COALESCE(parent_key, '') FROM bodies
		WHERE org_code = $1 ORDER BY position, id`, []any{orgCode},
		func(rows *sql.Rows) error {
			var b strategy.Body
			if err := rows.Scan(&b.Key, &b.Name, &b.Kind, &b.Parent); err != nil {
				return err
			}
			out = append(out, b)
			return nil
		})
	if err != nil {
		return nil, strategy.Internal(err, "reading the bodies of "+orgCode)
	}
	return out, nil
}

// ListIndicators returns every indicator in the order they were first
// imported.
func (s *Store) ListIndicators(ctx context.Context) ([]strategy.Indicator, error) {
	out, err := readIndicators(ctx, s.r, "", nil)
	if err != nil {
		return nil, strategy.Internal(err, "listing indicators")
	}
	return out, nil
}

// Indicator returns one indicator; CodeNotFound when unknown.
func (s *Store) Indicator(ctx context.Context, key string) (strategy.Indicator, error) {
	out, err := readIndicators(ctx, s.r, "WHERE key = $1", []any{key})
	if err != nil {
		return strategy.Indicator{}, strategy.Internal(err, "reading indicator "+key)
	}
	if len(out) == 0 {
		return strategy.Indicator{}, strategy.Errorf(strategy.CodeNotFound, "no indicator has the key %q", key)
	}
	return out[0], nil
}

const indicatorColumns = `key, title, description, unit, polarity, source, breakdowns, translations, rev`

func scanIndicator(rows *sql.Rows, extra ...any) (strategy.Indicator, error) {
	var ind strategy.Indicator
	var breakdowns sql.NullString
	var translations string
	dest := append([]any{&ind.Key, &ind.Title, &ind.Description, &ind.Unit, &ind.Polarity, &ind.Source, &breakdowns,
		&translations, &ind.Rev}, extra...)
	if err := rows.Scan(dest...); err != nil {
		return ind, err
	}
	var err error
	if ind.Breakdowns, err = readList[string](breakdowns); err != nil {
		return ind, err
	}
	ind.Translations, err = readTranslations(translations)
	return ind, err
}

func readIndicators(ctx context.Context, q queryer, where string, args []any) ([]strategy.Indicator, error) {
	var out []strategy.Indicator
	err := queryEach(ctx, q, `SELECT `+indicatorColumns+` FROM indicators `+where+` ORDER BY id`, args,
		func(rows *sql.Rows) error {
			ind, err := scanIndicator(rows)
			out = append(out, ind)
			return err
		})
	return out, err
}

// Documents lists the organisation's documents without their trees, newest
// adoption first (documents never adopted last), then by title.
func (s *Store) Documents(ctx context.Context, orgCode string) ([]strategy.Document, error) {
	if _, err := readOrganisation(ctx, s.r, orgCode); err != nil {
		return nil, err
	}
	// A read transaction so that the two queries see one state.
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, strategy.Internal(err, "starting a read")
	}
	defer tx.Rollback()
	docs, ids, err := readDocumentRows(ctx, tx, `WHERE d.org_code = $1
		ORDER BY (d.adopted_on IS NULL), d.adopted_on DESC, d.title, d.key`, orgCode)
	if err != nil {
		return nil, strategy.Internal(err, "listing the documents of "+orgCode)
	}
	index := make(map[int64]int, len(ids))
	for i, id := range ids {
		index[id] = i
	}
	err = queryEach(ctx, tx, `SELECT di.document_id, i.key FROM document_indicators di
		JOIN documents d ON d.id = di.document_id JOIN indicators i ON i.id = di.indicator_id
		WHERE d.org_code = $1 ORDER BY di.document_id, di.position`, []any{orgCode},
		func(rows *sql.Rows) error {
			var id int64
			var key string
			if err := rows.Scan(&id, &key); err != nil {
				return err
			}
			d := &docs[index[id]]
			d.Indicators = append(d.Indicators, key)
			return nil
		})
	if err != nil {
		return nil, strategy.Internal(err, "listing the documents of "+orgCode)
	}
	return docs, nil
}

// Document returns a document with its whole tree; CodeNotFound when
// unknown. Empty lists are nil throughout.
func (s *Store) Document(ctx context.Context, key string) (strategy.Document, error) {
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return strategy.Document{}, strategy.Internal(err, "starting a read")
	}
	defer tx.Rollback()
	return readDocument(ctx, tx, key)
}

const documentSelect = `SELECT d.id, d.key, d.org_code, d.kind, d.title, d.subtitle, d.identifier,
	d.case_number, d.version, d.status, COALESCE(ab.key, ''), d.adopted_on, d.adopted_paragraph,
	d.adopted_reference, d.valid_from, d.valid_to, d.follow_up_interval_years, d.follow_up_occasion,
	COALESCE(rt.key, ''), d.follow_up_deep_interval_years, d.revision_due, d.revision_condition,
	COALESCE(ow.key, ''), d.responsible, d.audience, d.replaces, d.related, d.summary, d.description,
	d.translations, d.rev
FROM documents d
LEFT JOIN bodies ab ON ab.id = d.adopted_by
LEFT JOIN bodies rt ON rt.id = d.follow_up_report_to
LEFT JOIN bodies ow ON ow.id = d.owner `

// readDocumentRows reads document rows (no children) and their ids.
func readDocumentRows(ctx context.Context, q queryer, tail string, args ...any) ([]strategy.Document, []int64, error) {
	var docs []strategy.Document
	var ids []int64
	err := queryEach(ctx, q, documentSelect+tail, args, func(rows *sql.Rows) error {
		var d strategy.Document
		var id int64
		var interval, deep, due sql.NullInt64
		var audience, replaces, related sql.NullString
		var translations string
		err := rows.Scan(&id, &d.Key, &d.Org, &d.Kind, &d.Title, &d.Subtitle, &d.Identifier,
			&d.CaseNumber, &d.Version, &d.Status, &d.Adopted.By, &d.Adopted.On, &d.Adopted.Paragraph,
			&d.Adopted.Reference, &d.ValidFrom, &d.ValidTo, &interval, &d.FollowUp.Occasion,
			&d.FollowUp.ReportTo, &deep, &due, &d.Revision.Condition,
			&d.Owner, &d.Responsible, &audience, &replaces, &related, &d.Summary, &d.Description,
			&translations, &d.Rev)
		if err != nil {
			return err
		}
		if d.Translations, err = readTranslations(translations); err != nil {
			return err
		}
		d.FollowUp.IntervalYears = intOf(interval)
		d.FollowUp.DeepIntervalYears = intOf(deep)
		d.Revision.Due = intOf(due)
		if d.Audience, err = readList[string](audience); err != nil {
			return err
		}
		if d.Replaces, err = readList[string](replaces); err != nil {
			return err
		}
		if d.Related, err = readList[strategy.Related](related); err != nil {
			return err
		}
		docs = append(docs, d)
		ids = append(ids, id)
		return nil
	})
	return docs, ids, err
}

// readDocument reads one document with its tree inside q's snapshot.
func readDocument(ctx context.Context, q queryer, key string) (strategy.Document, error) {
	docs, ids, err := readDocumentRows(ctx, q, "WHERE d.key = $1", key)
	if err != nil {
		return strategy.Document{}, strategy.Internal(err, "reading document "+key)
	}
	if len(docs) == 0 {
		return strategy.Document{}, strategy.Errorf(strategy.CodeNotFound, "no document has the key %q", key)
	}
	d := docs[0]
	if err := readTree(ctx, q, ids[0], &d); err != nil {
		return strategy.Document{}, strategy.Internal(err, "reading document "+key)
	}
	return d, nil
}

// goalNode is a goal while its tree is put together.
type goalNode struct {
	goal     strategy.Goal
	children []int64
}

// readTree reads everything under a document. Each kind is one query
// ordered by position, so every parent's list comes out in file order.
func readTree(ctx context.Context, q queryer, docID int64, d *strategy.Document) error {
	args := []any{docID}
	err := queryEach(ctx, q, `SELECT i.key FROM document_indicators di JOIN indicators i ON i.id = di.indicator_id
		WHERE di.document_id = $1 ORDER BY di.position`, args, func(rows *sql.Rows) error {
		var k string
		err := rows.Scan(&k)
		d.Indicators = append(d.Indicators, k)
		return err
	})
	if err != nil {
		return err
	}

	var areaIDs []int64
	areas := map[int64]*strategy.Area{}
	var areaList []strategy.Area
	err = queryEach(ctx, q, `SELECT id, key, title, description, prioritised, parent_document, parent_area, rev
		FROM areas WHERE document_id = $1 ORDER BY position, id`, args, func(rows *sql.Rows) error {
		var a strategy.Area
		var id int64
		var pd, pa sql.NullString
		if err := rows.Scan(&id, &a.Key, &a.Title, &a.Description, &a.Prioritised, &pd, &pa, &a.Rev); err != nil {
			return err
		}
		if pd.Valid || pa.Valid {
			a.Parent = &strategy.AreaRef{Document: pd.String, Area: pa.String}
		}
		areaIDs = append(areaIDs, id)
		areaList = append(areaList, a)
		return nil
	})
	if err != nil {
		return err
	}
	for i, id := range areaIDs {
		areas[id] = &areaList[i]
	}
	err = queryEach(ctx, q, `SELECT ai.area_id, i.key FROM area_indicators ai
		JOIN areas a ON a.id = ai.area_id JOIN indicators i ON i.id = ai.indicator_id
		WHERE a.document_id = $1 ORDER BY ai.area_id, ai.position`, args, func(rows *sql.Rows) error {
		var id int64
		var k string
		if err := rows.Scan(&id, &k); err != nil {
			return err
		}
		a := areas[id]
		a.Indicators = append(a.Indicators, k)
		return nil
	})
	if err != nil {
		return err
	}

	goals := map[int64]*goalNode{}
	areaGoals := map[int64][]int64{}
	type goalPlace struct{ id, area, parent int64 }
	var order []goalPlace
	err = queryEach(ctx, q, `SELECT id, key, area_id, parent_goal_id, level, title, description, rev
		FROM goals WHERE document_id = $1 ORDER BY position, id`, args, func(rows *sql.Rows) error {
		var n goalNode
		var id int64
		var area, parent sql.NullInt64
		if err := rows.Scan(&id, &n.goal.Key, &area, &parent, &n.goal.Level, &n.goal.Title, &n.goal.Description,
			&n.goal.Rev); err != nil {
			return err
		}
		goals[id] = &n
		order = append(order, goalPlace{id, area.Int64, parent.Int64})
		return nil
	})
	if err != nil {
		return err
	}
	// Only now are all parents known; order keeps each list in position order.
	for _, g := range order {
		if g.parent != 0 {
			p := goals[g.parent]
			p.children = append(p.children, g.id)
		} else {
			areaGoals[g.area] = append(areaGoals[g.area], g.id)
		}
	}

	err = queryEach(ctx, q, `SELECT t.goal_id, t.key, t.wording, t.kind, t.comparator, t.value, t.unit,
		t.base_year, t.base_value, t.target_year, COALESCE(i.key, ''), COALESCE(r.key, ''), t.gender,
		t.assessment_status, t.assessment_justification, t.assessment_by, t.assessment_on, t.rev
		FROM targets t
		LEFT JOIN indicators i ON i.id = t.indicator_id
		LEFT JOIN indicators r ON r.id = t.reference_indicator_id
		WHERE t.document_id = $1 ORDER BY t.position, t.id`, args, func(rows *sql.Rows) error {
		var t strategy.Target
		var goal int64
		var value, baseValue sql.NullFloat64
		var baseYear, targetYear sql.NullInt64
		var a strategy.Assessment
		if err := rows.Scan(&goal, &t.Key, &t.Text, &t.Kind, &t.Comparator, &value, &t.Unit,
			&baseYear, &baseValue, &targetYear, &t.Indicator, &t.ReferenceIndicator, &t.Gender,
			&a.Status, &a.Justification, &a.By, &a.On, &t.Rev); err != nil {
			return err
		}
		if a.Status != "" {
			t.Assessment = &a
		}
		t.Value, t.BaseValue = floatOf(value), floatOf(baseValue)
		t.BaseYear, t.TargetYear = intOf(baseYear), intOf(targetYear)
		g := &goals[goal].goal
		g.Targets = append(g.Targets, t)
		return nil
	})
	if err != nil {
		return err
	}

	err = queryEach(ctx, q, `SELECT area_id, goal_id, key, wording, bodies, rev FROM commitments
		WHERE document_id = $1 ORDER BY position, id`, args, func(rows *sql.Rows) error {
		var c strategy.Commitment
		var area, goal sql.NullInt64
		var bodies sql.NullString
		if err := rows.Scan(&area, &goal, &c.Key, &c.Text, &bodies, &c.Rev); err != nil {
			return err
		}
		var err error
		if c.Bodies, err = readList[string](bodies); err != nil {
			return err
		}
		if area.Valid {
			a := areas[area.Int64]
			a.Commitments = append(a.Commitments, c)
		} else {
			g := &goals[goal.Int64].goal
			g.Commitments = append(g.Commitments, c)
		}
		return nil
	})
	if err != nil {
		return err
	}

	err = queryEach(ctx, q, `SELECT r.area_id, r.goal_id, b.key, r.role, r.duties, r.rev
		FROM responsibilities r JOIN bodies b ON b.id = r.body_id
		WHERE r.document_id = $1 ORDER BY r.position, r.id`, args, func(rows *sql.Rows) error {
		var r strategy.Responsibility
		var area, goal sql.NullInt64
		var duties sql.NullString
		if err := rows.Scan(&area, &goal, &r.Body, &r.Role, &duties, &r.Rev); err != nil {
			return err
		}
		var err error
		if r.Duties, err = readList[string](duties); err != nil {
			return err
		}
		switch {
		case area.Valid:
			a := areas[area.Int64]
			a.Responsibilities = append(a.Responsibilities, r)
		case goal.Valid:
			g := &goals[goal.Int64].goal
			g.Responsibilities = append(g.Responsibilities, r)
		default:
			d.Responsibilities = append(d.Responsibilities, r)
		}
		return nil
	})
	if err != nil {
		return err
	}

	var build func(id int64) strategy.Goal
	build = func(id int64) strategy.Goal {
		n := goals[id]
		g := n.goal
		for _, c := range n.children {
			g.Goals = append(g.Goals, build(c))
		}
		return g
	}
	for i, id := range areaIDs {
		for _, g := range areaGoals[id] {
			areaList[i].Goals = append(areaList[i].Goals, build(g))
		}
	}
	d.Areas = areaList

	err = queryEach(ctx, q, `SELECT key, term, definition, rev FROM terms WHERE document_id = $1 ORDER BY position, id`,
		args, func(rows *sql.Rows) error {
			var t strategy.Term
			err := rows.Scan(&t.Key, &t.Term, &t.Definition, &t.Rev)
			d.Terms = append(d.Terms, t)
			return err
		})
	if err != nil {
		return err
	}

	plans := map[int64]int{}
	err = queryEach(ctx, q, `SELECT p.id, p.key, b.key, p.year, p.title, p.status, p.decision_reference,
		p.decided_on, p.rev
		FROM action_plans p JOIN bodies b ON b.id = p.body_id
		WHERE p.document_id = $1 ORDER BY p.position, p.id`, args, func(rows *sql.Rows) error {
		var p strategy.ActionPlan
		var id int64
		if err := rows.Scan(&id, &p.Key, &p.Body, &p.Year, &p.Title, &p.Status, &p.Decision.Reference,
			&p.Decision.On, &p.Rev); err != nil {
			return err
		}
		plans[id] = len(d.ActionPlans)
		d.ActionPlans = append(d.ActionPlans, p)
		return nil
	})
	if err != nil {
		return err
	}
	// Where each activity sits, by id, for its notes: indices, as the
	// slices grow while they are read.
	type place struct{ plan, act int }
	activities := map[int64]place{}
	err = queryEach(ctx, q, `SELECT a.id, a.action_plan_id, a.key, a.target_group, a.title, a.description,
		a.timing, a.responsible, a.follow_up, a.goals, a.status, a.progress, a.rev
		FROM activities a JOIN action_plans p ON p.id = a.action_plan_id
		WHERE p.document_id = $1 ORDER BY a.position, a.id`, args, func(rows *sql.Rows) error {
		var a strategy.Activity
		var id, plan int64
		var goalKeys sql.NullString
		var progress sql.NullInt64
		if err := rows.Scan(&id, &plan, &a.Key, &a.TargetGroup, &a.Title, &a.Description, &a.Time,
			&a.Responsible, &a.FollowUp, &goalKeys, &a.Status, &progress, &a.Rev); err != nil {
			return err
		}
		var err error
		if a.Goals, err = readList[string](goalKeys); err != nil {
			return err
		}
		a.Progress = intPtrOf(progress)
		p := &d.ActionPlans[plans[plan]]
		activities[id] = place{plans[plan], len(p.Activities)}
		p.Activities = append(p.Activities, a)
		return nil
	})
	if err != nil || len(activities) == 0 {
		return err
	}
	return queryEach(ctx, q, `SELECT n.activity_id, n.id, n.written_on, n.text, n.author_id, n.author, n.created_at
		FROM activity_notes n JOIN activities a ON a.id = n.activity_id
		JOIN action_plans p ON p.id = a.action_plan_id
		WHERE p.document_id = $1 ORDER BY n.written_on, n.id`, args, func(rows *sql.Rows) error {
		var n strategy.Note
		var act int64
		var author sql.NullInt64
		var created sql.NullTime
		if err := rows.Scan(&act, &n.ID, &n.Date, &n.Text, &author, &n.Author, &created); err != nil {
			return err
		}
		n.AuthorID = author.Int64
		n.CreatedAt = timeOf(created)
		at := activities[act]
		a := &d.ActionPlans[at.plan].Activities[at.act]
		a.Notes = append(a.Notes, n)
		return nil
	})
}

// Observations returns the observations matching f ordered by indicator
// key, organisation, year and gender (T, K, M).
func (s *Store) Observations(ctx context.Context, f strategy.ObservationFilter) ([]strategy.Observation, error) {
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	if f.Org != "" {
		where = append(where, "o.org_code = "+arg(f.Org))
		if len(f.Indicators) == 0 {
			where = append(where, byOrg)
		}
	}
	if len(f.Indicators) > 0 {
		ph := make([]string, len(f.Indicators))
		for i, k := range f.Indicators {
			ph[i] = arg(k)
		}
		where = append(where, "i.key IN ("+strings.Join(ph, ", ")+")")
	}
	if f.FromYear != 0 {
		where = append(where, "o.year >= "+arg(f.FromYear))
	}
	if f.ToYear != 0 {
		where = append(where, "o.year <= "+arg(f.ToYear))
	}
	query := observationSelect
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY i.key, o.org_code, o.year, " + genderOrder
	out, err := readObservations(ctx, s.r, query, args)
	if err != nil {
		return nil, strategy.Internal(err, "reading observations")
	}
	return out, nil
}

const observationSelect = `SELECT i.key, o.org_code, o.year, o.gender, o.value, o.status, o.preliminary,
	o.source, o.source_url, o.fetched_at FROM observations o JOIN indicators i ON i.id = o.indicator_id`

// byOrg lets a query by organisation seek the observations' primary key
// once per indicator; there is no index by organisation (see the migration).
const byOrg = `o.indicator_id IN (SELECT id FROM indicators)`

// genderOrder sorts T, K, M as the domain lists them, not alphabetically.
const genderOrder = `CASE o.gender WHEN 'T' THEN 0 WHEN 'K' THEN 1 ELSE 2 END`

func readObservations(ctx context.Context, q queryer, query string, args []any) ([]strategy.Observation, error) {
	var out []strategy.Observation
	err := queryEach(ctx, q, query, args, func(rows *sql.Rows) error {
		var o strategy.Observation
		var value sql.NullFloat64
		var fetched sql.NullTime
		if err := rows.Scan(&o.Indicator, &o.Org, &o.Year, &o.Gender, &value, &o.Status, &o.Preliminary,
			&o.Source, &o.SourceURL, &fetched); err != nil {
			return err
		}
		o.Value = floatOf(value)
		o.FetchedAt = timeOf(fetched)
		out = append(out, o)
		return nil
	})
	return out, err
}
