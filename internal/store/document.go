package store

import (
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"github.com/inkludera/inkludera/internal/strategy"
)

// The tables of a document's tree. fixed columns are set when a row is
// created (its parent and key); mutable ones are compared and updated in
// place, so a row keeps its id for as long as its key stays in the file.
var (
	documentsTable = table{
		name:  "documents",
		fixed: []string{"key", "org_code"},
		mutable: []string{"kind", "title", "subtitle", "identifier", "case_number", "version", "status",
			"adopted_by", "adopted_on", "adopted_paragraph", "adopted_reference", "valid_from", "valid_to",
			"follow_up_interval_years", "follow_up_occasion", "follow_up_report_to",
			"follow_up_deep_interval_years", "revision_due", "revision_condition", "owner", "responsible",
			"audience", "replaces", "related", "summary", "description", "translations"},
		versioned: true,
	}
	areasTable = table{
		name:      "areas",
		fixed:     []string{"document_id", "key"},
		mutable:   []string{"position", "title", "description", "prioritised", "parent_document", "parent_area"},
		versioned: true,
	}
	goalsTable = table{
		name:      "goals",
		fixed:     []string{"document_id", "key"},
		mutable:   []string{"area_id", "parent_goal_id", "position", "level", "title", "description"},
		versioned: true,
	}
	targetsTable = table{
		name:  "targets",
		fixed: []string{"document_id", "key"},
		mutable: []string{"goal_id", "position", "wording", "kind", "comparator", "value", "unit",
			"base_year", "base_value", "target_year", "indicator_id", "reference_indicator_id", "gender",
			"assessment_status", "assessment_justification", "assessment_by", "assessment_on"},
		versioned: true,
	}
	commitmentsTable = table{
		name:      "commitments",
		fixed:     []string{"document_id", "key"},
		mutable:   []string{"area_id", "goal_id", "position", "wording", "bodies"},
		versioned: true,
	}
	responsibilitiesTable = table{
		name:      "responsibilities",
		fixed:     []string{"document_id"},
		mutable:   []string{"area_id", "goal_id", "position", "body_id", "role", "duties"},
		versioned: true,
	}
	termsTable = table{
		name:      "terms",
		fixed:     []string{"document_id", "key"},
		mutable:   []string{"position", "term", "definition"},
		versioned: true,
	}
	actionPlansTable = table{
		name:      "action_plans",
		fixed:     []string{"document_id", "key"},
		mutable:   []string{"position", "body_id", "year", "title", "status", "decision_reference", "decided_on"},
		versioned: true,
	}
	activitiesTable = table{
		name:  "activities",
		fixed: []string{"action_plan_id", "key"},
		mutable: []string{"position", "target_group", "title", "description", "timing", "responsible",
			"follow_up", "goals", "status", "progress"},
		versioned: true,
	}
)

// children is the stored rows of one kind under a document, by identity
// (the key, or for rows without one a key made up from where they sit),
// and which of them the file still has.
type children struct {
	kind   string
	table  table
	stored map[string]int64
	kept   map[int64]bool
	// parent is each stored activity's plan, whose revision an activity's
	// deletion bumps (see syncTree); empty for the other kinds
	parent map[int64]int64
}

func newChildren(kind string, t table) *children {
	return &children{kind: kind, table: t, stored: map[string]int64{}, kept: map[int64]bool{}, parent: map[int64]int64{}}
}

// putChild stores the row of identity ident and returns its id. The caller
// counts it, as some kinds change through more than their row.
func (im *importer) putChild(c *children, ident string, fixed, mutable []any) (int64, change, error) {
	id, ch, err := im.put(c.table, c.stored[ident], fixed, mutable)
	if err != nil {
		return 0, ch, fmt.Errorf("storing %s %q: %w", c.kind, ident, err)
	}
	c.kept[id] = true
	return id, ch, nil
}

// syncDocument makes the stored document equal to pd.doc: rows matched by
// key are updated in place where they differ, new ones inserted, and the
// ones the file no longer has deleted. Updates run before deletes, so a
// goal or target that moved out from under a deleted parent survives the
// parent's cascade.
func (im *importer) syncDocument(pd planDoc) error {
	d := pd.doc
	var docID int64
	var owner string
	err := im.tx.QueryRowContext(im.ctx, `SELECT id, org_code FROM documents WHERE key = $1`, d.Key).Scan(&docID, &owner)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		docID = 0
	case err != nil:
		return strategy.Internal(err, "reading document "+d.Key)
	case owner != pd.org:
		return &strategy.Error{Code: strategy.CodeConflict, Message: fmt.Sprintf(
			"bundle %d: the document key %q is taken by a document of organisation %s", pd.bundle, d.Key, owner)}
	}
	if err := im.syncTree(pd, docID); err != nil {
		var se *strategy.Error
		if errors.As(err, &se) {
			return err
		}
		return strategy.Internal(err, fmt.Sprintf("bundle %d: storing document %s", pd.bundle, d.Key))
	}
	return nil
}

func (im *importer) syncTree(pd planDoc, docID int64) error {
	d := pd.doc
	bodies := im.bodies[pd.org]
	body := func(key string) any {
		if key == "" {
			return nil
		}
		return bodies[key]
	}
	indicators := func(keys []string) ([]int64, error) {
		var ids []int64
		for _, k := range keys {
			id, err := im.indicatorID(k)
			if err != nil {
				return nil, err
			}
			ids = append(ids, id)
		}
		return ids, nil
	}

	related, err := jsonList(d.Related)
	if err != nil {
		return err
	}
	fresh := docID == 0
	docID, docChange, err := im.put(documentsTable, docID, []any{d.Key, pd.org}, []any{
		d.Kind, d.Title, d.Subtitle, d.Identifier, d.CaseNumber, d.Version, d.Status,
		body(d.Adopted.By), d.Adopted.On, d.Adopted.Paragraph, d.Adopted.Reference, d.ValidFrom, d.ValidTo,
		nullInt(d.FollowUp.IntervalYears), d.FollowUp.Occasion, body(d.FollowUp.ReportTo),
		nullInt(d.FollowUp.DeepIntervalYears), nullInt(d.Revision.Due), d.Revision.Condition,
		body(d.Owner), d.Responsible, mustJSON(d.Audience), mustJSON(d.Replaces), related, d.Summary, d.Description,
		translationsJSON(d.Translations),
	})
	if err != nil {
		return err
	}
	docInds, err := indicators(d.Indicators)
	if err != nil {
		return err
	}
	listChanged, err := im.syncList("document_indicators", "document_id", docID, docInds, fresh)
	if err != nil {
		return err
	}
	if listChanged && docChange == unchanged {
		if _, err := im.exec(documentsTable.bumpSQL(), docID); err != nil {
			return err
		}
		docChange = changed
	}
	im.count(kindDocuments, docChange)

	areas := newChildren(kindAreas, areasTable)
	goals := newChildren(kindGoals, goalsTable)
	targets := newChildren(kindTargets, targetsTable)
	commitments := newChildren(kindCommitments, commitmentsTable)
	resps := newChildren(kindResponsibilities, responsibilitiesTable)
	terms := newChildren(kindTerms, termsTable)
	plans := newChildren(kindActionPlans, actionPlansTable)
	activities := newChildren(kindActivities, activitiesTable)
	if !fresh {
		if err := im.loadChildren(docID, areas, goals, targets, commitments, resps, terms, plans, activities); err != nil {
			return err
		}
	}

	// Responsibilities have no key: one is known by where it sits, its
	// body, and which of that body's entries there it is.
	putResps := func(holder string, areaID, goalID int64, list []strategy.Responsibility) error {
		seen := map[string]int{}
		for i, r := range list {
			ident := fmt.Sprintf("%s|%s|%d", holder, r.Body, seen[r.Body])
			seen[r.Body]++
			_, c, err := im.putChild(resps, ident, []any{docID}, []any{
				nullID(areaID), nullID(goalID), i, bodies[r.Body], r.Role, mustJSON(r.Duties)})
			if err != nil {
				return err
			}
			im.count(kindResponsibilities, c)
		}
		return nil
	}
	putCommitments := func(areaID, goalID int64, list []strategy.Commitment) error {
		for i, cm := range list {
			_, c, err := im.putChild(commitments, cm.Key, []any{docID, cm.Key}, []any{
				nullID(areaID), nullID(goalID), i, cm.Text, mustJSON(cm.Bodies)})
			if err != nil {
				return err
			}
			im.count(kindCommitments, c)
		}
		return nil
	}
	var putGoals func(list []strategy.Goal, areaID, parentID int64) error
	putGoals = func(list []strategy.Goal, areaID, parentID int64) error {
		for i, g := range list {
			goalID, c, err := im.putChild(goals, g.Key, []any{docID, g.Key}, []any{
				nullID(areaID), nullID(parentID), i, g.Level, g.Title, g.Description})
			if err != nil {
				return err
			}
			im.count(kindGoals, c)
			for j, t := range g.Targets {
				ind, err := im.indicatorID(t.Indicator)
				if err != nil {
					return err
				}
				ref, err := im.indicatorID(t.ReferenceIndicator)
				if err != nil {
					return err
				}
				var a strategy.Assessment
				if t.Assessment != nil {
					a = *t.Assessment
				}
				_, c, err := im.putChild(targets, t.Key, []any{docID, t.Key}, []any{
					goalID, j, t.Text, t.Kind, t.Comparator, nullFloat(t.Value), t.Unit, nullInt(t.BaseYear),
					nullFloat(t.BaseValue), nullInt(t.TargetYear), nullID(ind), nullID(ref), t.Gender,
					a.Status, a.Justification, a.By, a.On})
				if err != nil {
					return err
				}
				im.count(kindTargets, c)
			}
			if err := putCommitments(0, goalID, g.Commitments); err != nil {
				return err
			}
			if err := putResps("goal:"+g.Key, 0, goalID, g.Responsibilities); err != nil {
				return err
			}
			if err := putGoals(g.Goals, 0, goalID); err != nil {
				return err
			}
		}
		return nil
	}

	if err := putResps("document", 0, 0, d.Responsibilities); err != nil {
		return err
	}
	for i, a := range d.Areas {
		var pDoc, pArea any
		if a.Parent != nil {
			pDoc, pArea = a.Parent.Document, a.Parent.Area
		}
		isNew := areas.stored[a.Key] == 0
		areaID, c, err := im.putChild(areas, a.Key, []any{docID, a.Key}, []any{
			i, a.Title, a.Description, a.Prioritised, pDoc, pArea})
		if err != nil {
			return err
		}
		ids, err := indicators(a.Indicators)
		if err != nil {
			return err
		}
		listChanged, err := im.syncList("area_indicators", "area_id", areaID, ids, isNew)
		if err != nil {
			return err
		}
		if listChanged && c == unchanged {
			if _, err := im.exec(areasTable.bumpSQL(), areaID); err != nil {
				return err
			}
			c = changed
		}
		im.count(kindAreas, c)
		if err := putResps("area:"+a.Key, areaID, 0, a.Responsibilities); err != nil {
			return err
		}
		if err := putGoals(a.Goals, areaID, 0); err != nil {
			return err
		}
		if err := putCommitments(areaID, 0, a.Commitments); err != nil {
			return err
		}
	}
	for i, t := range d.Terms {
		_, c, err := im.putChild(terms, t.Key, []any{docID, t.Key}, []any{i, t.Term, t.Definition})
		if err != nil {
			return err
		}
		im.count(kindTerms, c)
	}
	// A plan is edited as a whole with its activities (an XLSX upload), so
	// a change to its activities is a new revision of the plan too; only
	// plans whose own row stayed need the extra bump.
	planRowStayed := map[int64]bool{}
	activitiesChanged := map[int64]bool{}
	for i, p := range d.ActionPlans {
		planID, c, err := im.putChild(plans, p.Key, []any{docID, p.Key}, []any{
			i, bodies[p.Body], p.Year, p.Title, p.Status, p.Decision.Reference, p.Decision.On})
		if err != nil {
			return err
		}
		im.count(kindActionPlans, c)
		planRowStayed[planID] = c == unchanged
		for j, a := range p.Activities {
			_, c, err := im.putChild(activities, p.Key+"/"+a.Key, []any{planID, a.Key}, []any{
				j, a.TargetGroup, a.Title, a.Description, a.Time, a.Responsible, a.FollowUp.String(),
				mustJSON(a.Goals), a.Status, nullIntPtr(a.Progress)})
			if err != nil {
				return err
			}
			if c != unchanged {
				activitiesChanged[planID] = true
			}
			im.count(kindActivities, c)
		}
	}

	// Leaves first, so that every explicit delete finds its row; a row a
	// cascade already took is counted all the same.
	for _, c := range []*children{activities, plans, terms, resps, commitments, targets, goals, areas} {
		for _, id := range c.stored {
			if c.kept[id] {
				continue
			}
			if _, err := im.exec(`DELETE FROM `+c.table.name+` WHERE id = $1`, id); err != nil {
				return fmt.Errorf("deleting from %s: %w", c.table.name, err)
			}
			im.count(c.kind, deleted)
			if c == activities {
				activitiesChanged[c.parent[id]] = true
			}
		}
	}
	for planID := range activitiesChanged {
		if planRowStayed[planID] {
			if _, err := im.exec(actionPlansTable.bumpSQL(), planID); err != nil {
				return fmt.Errorf("bumping the revision of a plan: %w", err)
			}
		}
	}
	return nil
}

// loadChildren reads the identities of the stored rows under a document.
func (im *importer) loadChildren(docID int64, areas, goals, targets, commitments, resps, terms, plans, activities *children) error {
	for _, c := range []*children{areas, goals, targets, commitments, terms, plans} {
		err := queryEach(im.ctx, im.tx, `SELECT id, key FROM `+c.table.name+` WHERE document_id = $1`, []any{docID},
			func(rows *sql.Rows) error {
				var id int64
				var key string
				err := rows.Scan(&id, &key)
				c.stored[key] = id
				return err
			})
		if err != nil {
			return err
		}
	}
	err := queryEach(im.ctx, im.tx, `SELECT a.id, p.id, p.key, a.key FROM activities a
		JOIN action_plans p ON p.id = a.action_plan_id WHERE p.document_id = $1`, []any{docID},
		func(rows *sql.Rows) error {
			var id, planID int64
			var plan, key string
			err := rows.Scan(&id, &planID, &plan, &key)
			activities.stored[plan+"/"+key] = id
			activities.parent[id] = planID
			return err
		})
	if err != nil {
		return err
	}
	// The same identities putResps makes, numbered in stored order.
	seen := map[string]int{}
	return queryEach(im.ctx, im.tx, `SELECT r.id, a.key, g.key, b.key FROM responsibilities r
		LEFT JOIN areas a ON a.id = r.area_id
		LEFT JOIN goals g ON g.id = r.goal_id
		JOIN bodies b ON b.id = r.body_id
		WHERE r.document_id = $1 ORDER BY r.position, r.id`, []any{docID},
		func(rows *sql.Rows) error {
			var id int64
			var area, goal sql.NullString
			var body string
			if err := rows.Scan(&id, &area, &goal, &body); err != nil {
				return err
			}
			holder := "document"
			switch {
			case area.Valid:
				holder = "area:" + area.String
			case goal.Valid:
				holder = "goal:" + goal.String
			}
			at := holder + "|" + body
			resps.stored[fmt.Sprintf("%s|%d", at, seen[at])] = id
			seen[at]++
			return nil
		})
}

// syncList makes a list of indicator links equal to ids, rewriting it only
// when it differs, and reports whether it did.
func (im *importer) syncList(tbl, parentCol string, parentID int64, ids []int64, fresh bool) (bool, error) {
	if !fresh {
		var stored []int64
		err := queryEach(im.ctx, im.tx, `SELECT indicator_id FROM `+tbl+` WHERE `+parentCol+` = $1 ORDER BY position`,
			[]any{parentID}, func(rows *sql.Rows) error {
				var id int64
				err := rows.Scan(&id)
				stored = append(stored, id)
				return err
			})
		if err != nil {
			return false, err
		}
		if slices.Equal(stored, ids) {
			return false, nil
		}
		if _, err := im.exec(`DELETE FROM `+tbl+` WHERE `+parentCol+` = $1`, parentID); err != nil {
			return false, err
		}
	}
	for i, id := range ids {
		if _, err := im.exec(`INSERT INTO `+tbl+` (`+parentCol+`, position, indicator_id) VALUES ($1, $2, $3)`,
			parentID, i, id); err != nil {
			return false, err
		}
	}
	return len(ids) > 0 || !fresh, nil
}
