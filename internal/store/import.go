package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/inkludera/inkludera/internal/strategy"
)

// BundleError is what was wrong with one bundle of an Import. Index is the
// bundle's position in the call, so that a caller can name the file it came
// from; Err is usually strategy.ValidationErrors, whose paths lead to lines.
type BundleError struct {
	Index int
	Err   error
}

func (e *BundleError) Error() string { return fmt.Sprintf("bundle %d: %v", e.Index, e.Err) }

func (e *BundleError) Unwrap() error { return e.Err }

// Summary kinds, as strategy.ImportSummary reports them.
const (
	kindOrganisations    = "organisations"
	kindBodies           = "bodies"
	kindIndicators       = "indicators"
	kindDocuments        = "documents"
	kindAreas            = "areas"
	kindGoals            = "goals"
	kindTargets          = "targets"
	kindCommitments      = "commitments"
	kindResponsibilities = "responsibilities"
	kindTerms            = "terms"
	kindActionPlans      = "action_plans"
	kindActivities       = "activities"
	kindObservations     = "observations"
)

// change is what an import did to one row.
type change int

const (
	unchanged change = iota
	added
	changed
	deleted
)

// Import stores the bundles in one transaction, as strategy.Store.Import
// documents. Every bundle is validated before anything is written; a bundle
// that fails gives a CodeInvalid error naming it, with the BundleErrors and
// their strategy.ValidationErrors reachable through errors.As. Bundles of
// one call may share organisations, bodies, indicators and observations (an
// export of an organisation repeats them) as long as they agree.
func (s *Store) Import(ctx context.Context, bundles []strategy.Bundle) (strategy.ImportSummary, error) {
	var sum strategy.ImportSummary
	err := s.inImport(ctx, func(im *importer) error {
		sum = im.sum
		im.auditDocuments = true
		return im.run(bundles)
	})
	if err != nil {
		return nil, err
	}
	return sum, nil
}

// inImport runs f in one write transaction with an importer; nothing of
// what f did remains unless it returns nil and the commit succeeds.
func (s *Store) inImport(ctx context.Context, f func(im *importer) error) error {
	// The transaction runs on a connection held for the whole import, so
	// that observations can be written through its driver connection too.
	conn, err := s.w.Conn(ctx)
	if err != nil {
		return strategy.Internal(err, "starting the import")
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return strategy.Internal(err, "starting the import")
	}
	// After a commit this does nothing; after any error it undoes everything.
	defer tx.Rollback()
	im := &importer{
		ctx:        ctx,
		conn:       conn,
		tx:         tx,
		d:          s.d,
		sum:        strategy.ImportSummary{},
		stmts:      map[string]*sql.Stmt{},
		indicators: map[string]*indicatorRef{},
		bodies:     map[string]map[string]int64{},
	}
	if err := s.d.beginWrite(ctx, tx); err != nil {
		return err
	}
	changes, err := s.d.writeMark(ctx, tx)
	if err != nil {
		return err
	}
	if err := f(im); err != nil {
		return err
	}
	// A transaction that wrote raises the content version (ContentVersion)
	// as its last statement, so that the row is locked only briefly; one
	// that found nothing to change (a re-import) still writes nothing.
	if after, err := s.d.writeMark(ctx, tx); err != nil {
		return err
	} else if after != changes {
		if _, err := tx.ExecContext(ctx, `UPDATE content_version SET version = version + 1 WHERE id = 1`); err != nil {
			return strategy.Internal(err, "raising the content version")
		}
		if err := s.d.afterWrite(ctx, tx); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return strategy.Internal(err, "committing the import")
	}
	return nil
}

// importer carries one Import's transaction and what it has learnt.
type importer struct {
	ctx   context.Context
	conn  *sql.Conn // the connection tx runs on
	tx    *sql.Tx
	d     dialect
	sum   strategy.ImportSummary
	stmts map[string]*sql.Stmt

	// indicators caches stored indicators by key; a nil entry records that
	// the key is not stored.
	indicators map[string]*indicatorRef
	bodies     map[string]map[string]int64 // org → body key → id

	// auditDocuments records every document the run adds or changes as an
	// import; EditDocument, which stores through run too, records its own
	// entry instead.
	auditDocuments bool
}

type indicatorRef struct {
	id       int64
	byGender bool
}

// plan is the merged content of all bundles of a call.
type plan struct {
	orgs       []strategy.Organisation
	bodies     map[string][]strategy.Body // by organisation, first-seen order
	indicators []strategy.Indicator
	docs       []planDoc
	obs        []strategy.Observation
}

type planDoc struct {
	bundle int
	org    string
	doc    *strategy.Document
}

func (im *importer) run(bundles []strategy.Bundle) error {
	if len(bundles) == 1 && onlyObservations(bundles[0]) {
		return im.runObservations(bundles)
	}
	p, err := im.check(bundles)
	if err != nil {
		return err
	}
	for _, o := range p.orgs {
		if err := im.putOrganisation(o); err != nil {
			return err
		}
		if err := im.putBodies(o.Code, p.bodies[o.Code]); err != nil {
			return err
		}
	}
	for _, ind := range p.indicators {
		if err := im.putIndicator(ind); err != nil {
			return err
		}
	}
	for _, pd := range p.docs {
		if err := im.putDocument(pd); err != nil {
			return err
		}
	}
	return im.putObservations(p.obs)
}

// documentKinds are the summary kinds of a document's tree.
var documentKinds = []string{kindDocuments, kindAreas, kindGoals, kindTargets, kindCommitments,
	kindResponsibilities, kindTerms, kindActionPlans, kindActivities}

// treeModifications counts the rows of documents' trees added, changed or
// deleted so far.
func (im *importer) treeModifications() int {
	n := 0
	for _, k := range documentKinds {
		c := im.sum[k]
		n += c.Added + c.Changed + c.Deleted
	}
	return n
}

// putDocument stores one document and, for an import, records it in the
// audit trail when anything of it changed, as the store reads it before
// and after.
func (im *importer) putDocument(pd planDoc) error {
	if !im.auditDocuments {
		return im.syncDocument(pd)
	}
	var before any
	switch d, err := readDocument(im.ctx, im.tx, pd.doc.Key); strategy.CodeOf(err) {
	case "":
		before = d
	case strategy.CodeNotFound:
	default:
		return err
	}
	mark := im.treeModifications()
	if err := im.syncDocument(pd); err != nil {
		return err
	}
	if im.treeModifications() == mark {
		return nil
	}
	after, err := readDocument(im.ctx, im.tx, pd.doc.Key)
	if err != nil {
		return err
	}
	return im.audit(strategy.AuditImport, strategy.ObjectRef{Kind: strategy.ObjDocument, Document: pd.doc.Key},
		pd.org, before, after)
}

// onlyObservations reports whether the bundle holds observations and
// nothing else.
func onlyObservations(b strategy.Bundle) bool {
	return b.Organisation == nil && len(b.Bodies) == 0 && b.Document == nil && len(b.Indicators) == 0
}

// runObservations stores a bundle of observations alone, as a fetch or an
// observations file brings. The checks run beside the writes, on another
// core, which took a quarter off storing a million (2.9 s against 3.9 s).
// They need nothing from the database but the indicators, which are read
// into the cache first, so that the two goroutines share only maps that
// neither writes. The writes stay in the transaction: a failed check
// returns its error (which a write that failed on the same bad row must not
// hide), and everything is rolled back.
func (im *importer) runObservations(bundles []strategy.Bundle) error {
	obs := bundles[0].Observations
	for i, o := range obs {
		if i == 0 || o.Indicator != obs[i-1].Indicator {
			if _, err := im.storedIndicator(o.Indicator); err != nil {
				return strategy.Internal(err, "looking up indicators")
			}
		}
	}
	checked := make(chan error, 1)
	go func() {
		_, err := im.check(bundles)
		checked <- err
	}()
	err := im.putObservations(obs)
	if cerr := <-checked; cerr != nil {
		return cerr
	}
	return err
}

func (im *importer) count(kind string, c change) {
	n := im.sum[kind]
	switch c {
	case added:
		n.Added++
	case changed:
		n.Changed++
	case deleted:
		n.Deleted++
	default:
		n.Unchanged++
	}
	im.sum[kind] = n
}

// stmt prepares a statement once per import; the transaction closes it.
func (im *importer) stmt(query string) (*sql.Stmt, error) {
	if st, ok := im.stmts[query]; ok {
		return st, nil
	}
	st, err := im.tx.PrepareContext(im.ctx, query)
	if err != nil {
		return nil, err
	}
	im.stmts[query] = st
	return st, nil
}

func (im *importer) exec(query string, args ...any) (int64, error) {
	st, err := im.stmt(query)
	if err != nil {
		return 0, err
	}
	res, err := st.ExecContext(im.ctx, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func (im *importer) insertID(query string, args ...any) (int64, error) {
	st, err := im.stmt(query)
	if err != nil {
		return 0, err
	}
	var id int64
	err = st.QueryRowContext(im.ctx, args...).Scan(&id)
	return id, err
}

// put inserts a row or updates it only where it differs, and says which.
func (im *importer) put(t table, id int64, fixed, mutable []any) (int64, change, error) {
	if id == 0 {
		id, err := im.insertID(t.insertSQL(), append(append([]any{}, fixed...), mutable...)...)
		return id, added, err
	}
	n, err := im.exec(t.updateSQL(), append([]any{id}, mutable...)...)
	if err != nil || n == 0 {
		return id, unchanged, err
	}
	return id, changed, nil
}

// storedIndicator looks an indicator up by key, caching the answer.
func (im *importer) storedIndicator(key string) (*indicatorRef, error) {
	if ref, ok := im.indicators[key]; ok {
		return ref, nil
	}
	var id int64
	var breakdowns sql.NullString
	err := im.tx.QueryRowContext(im.ctx, `SELECT id, breakdowns FROM indicators WHERE key = $1`, key).
		Scan(&id, &breakdowns)
	if errors.Is(err, sql.ErrNoRows) {
		im.indicators[key] = nil
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	list, err := readList[string](breakdowns)
	if err != nil {
		return nil, err
	}
	ref := &indicatorRef{id: id, byGender: strategy.Indicator{Breakdowns: list}.ByGender()}
	im.indicators[key] = ref
	return ref, nil
}

// indicatorID resolves a key that validation has proven to exist.
func (im *importer) indicatorID(key string) (int64, error) {
	if key == "" {
		return 0, nil
	}
	ref, err := im.storedIndicator(key)
	if err != nil {
		return 0, err
	}
	if ref == nil {
		return 0, fmt.Errorf("indicator %q vanished during the import", key)
	}
	return ref.id, nil
}

// check validates every bundle and merges them into a plan. Nothing has
// been written yet, so a failure here needs no rollback to be harmless.
func (im *importer) check(bundles []strategy.Bundle) (*plan, error) {
	defined := map[string]strategy.Indicator{}
	for _, b := range bundles {
		for _, ind := range b.Indicators {
			if _, ok := defined[ind.Key]; !ok {
				defined[ind.Key] = ind
			}
		}
	}
	var dbErr error
	known := func(key string) bool {
		if _, ok := defined[key]; ok {
			return true
		}
		ref, err := im.storedIndicator(key)
		if err != nil {
			dbErr = err
		}
		return ref != nil
	}

	problems := map[int]strategy.ValidationErrors{}
	add := func(i int, path, format string, args ...any) {
		problems[i] = append(problems[i], strategy.FieldError{Path: path, Message: fmt.Sprintf(format, args...)})
	}
	for i, b := range bundles {
		if err := b.Validate(known); err != nil {
			var v strategy.ValidationErrors
			if errors.As(err, &v) {
				problems[i] = append(problems[i], v...)
			} else {
				add(i, "", "%v", err)
			}
		}
		if b.Document != nil && b.Organisation != nil && b.Document.Org != "" && b.Document.Org != b.Organisation.Code {
			add(i, "document", "belongs to organisation %s, but the bundle is organisation %s's",
				b.Document.Org, b.Organisation.Code)
		}
	}
	if dbErr != nil {
		return nil, strategy.Internal(dbErr, "looking up indicators")
	}

	p := &plan{bodies: map[string][]strategy.Body{}}
	type seenAt[T any] struct {
		v      T
		bundle int
	}
	orgs := map[string]seenAt[strategy.Organisation]{}
	bodies := map[string]map[string]seenAt[strategy.Body]{}
	inds := map[string]seenAt[strategy.Indicator]{}
	docs := map[string]int{}
	withObs := 0
	for _, b := range bundles {
		if len(b.Observations) > 0 {
			withObs++
		}
	}
	// Only a call with observations in several bundles can repeat one, so
	// only then is the cost of a map over every observation paid.
	var obs map[strategy.ObservationKey]seenAt[strategy.Observation]
	if withObs > 1 {
		obs = map[strategy.ObservationKey]seenAt[strategy.Observation]{}
	}
	for _, b := range bundles {
		switch {
		case withObs == 1 && len(b.Observations) > 0:
			p.obs = b.Observations // the only ones: no copy, which costs at 100 000
		case withObs > 1:
			p.obs = slices.Grow(p.obs, len(b.Observations))
		}
	}
	for i, b := range bundles {
		if o := b.Organisation; o != nil {
			if prev, ok := orgs[o.Code]; !ok {
				orgs[o.Code] = seenAt[strategy.Organisation]{*o, i}
				p.orgs = append(p.orgs, *o)
				bodies[o.Code] = map[string]seenAt[strategy.Body]{}
			} else if prev.v != *o {
				add(i, "organisation", "organisation %s is described differently in bundle %d", o.Code, prev.bundle)
			}
			for j, body := range b.Bodies {
				if prev, ok := bodies[o.Code][body.Key]; !ok {
					bodies[o.Code][body.Key] = seenAt[strategy.Body]{body, i}
					p.bodies[o.Code] = append(p.bodies[o.Code], body)
				} else if prev.v != body {
					add(i, fmt.Sprintf("bodies[%d]", j), "body %q is described differently in bundle %d", body.Key, prev.bundle)
				}
			}
		}
		for j, ind := range b.Indicators {
			if prev, ok := inds[ind.Key]; !ok {
				inds[ind.Key] = seenAt[strategy.Indicator]{ind, i}
				p.indicators = append(p.indicators, ind)
			} else if !sameIndicator(prev.v, ind) && prev.bundle != i {
				add(i, fmt.Sprintf("indicators[%d]", j), "indicator %q is described differently in bundle %d", ind.Key, prev.bundle)
			}
		}
		if d := b.Document; d != nil && b.Organisation != nil {
			if prev, ok := docs[d.Key]; ok {
				add(i, "document.key", "document %q is also in bundle %d", d.Key, prev)
			}
			docs[d.Key] = i
			p.docs = append(p.docs, planDoc{bundle: i, org: b.Organisation.Code, doc: d})
		}
		own := map[string]bool{}
		for _, ind := range b.Indicators {
			own[ind.Key] = true
		}
		for j, o := range b.Observations {
			// Validate checked the gender of the bundle's own indicators;
			// this checks those defined elsewhere.
			if o.Gender != strategy.Total && o.Gender.Valid() && !own[o.Indicator] {
				byGender := true
				if ind, ok := defined[o.Indicator]; ok {
					byGender = ind.ByGender()
				} else if ref := im.indicators[o.Indicator]; ref != nil {
					byGender = ref.byGender
				}
				if !byGender {
					add(i, fmt.Sprintf("observations[%d].gender", j),
						"indicator %q has no breakdown by gender, so only T is allowed", o.Indicator)
				}
			}
			if obs == nil {
				continue
			}
			k := o.Key()
			if prev, ok := obs[k]; !ok {
				obs[k] = seenAt[strategy.Observation]{o, i}
				p.obs = append(p.obs, o)
			} else if !sameObservation(prev.v, o) && prev.bundle != i {
				add(i, fmt.Sprintf("observations[%d]", j), "the value for %s %s %d %s differs from bundle %d",
					o.Indicator, o.Org, o.Year, o.Gender, prev.bundle)
			}
		}
	}
	if len(problems) > 0 {
		return nil, invalidBundles(problems)
	}
	return p, nil
}

// invalidBundles builds the error of a refused import: CodeInvalid, a
// message naming the bundles, and one BundleError per bundle underneath.
func invalidBundles(problems map[int]strategy.ValidationErrors) error {
	var idx []int
	for i := range problems {
		idx = append(idx, i)
	}
	slices.Sort(idx)
	errs := make([]error, len(idx))
	names := make([]string, len(idx))
	for n, i := range idx {
		errs[n] = &BundleError{Index: i, Err: problems[i]}
		names[n] = fmt.Sprint(i)
	}
	msg := "bundle " + names[0] + " is not valid"
	if len(idx) > 1 {
		msg = "bundles " + strings.Join(names, ", ") + " are not valid"
	}
	return &strategy.Error{Code: strategy.CodeInvalid, Message: msg, Err: errors.Join(errs...)}
}

func sameIndicator(a, b strategy.Indicator) bool {
	if a.Key != b.Key || a.Title != b.Title || a.Description != b.Description || a.Unit != b.Unit ||
		a.Polarity != b.Polarity || a.Source != b.Source || len(a.Breakdowns) != len(b.Breakdowns) {
		return false
	}
	for i := range a.Breakdowns {
		if a.Breakdowns[i] != b.Breakdowns[i] {
			return false
		}
	}
	return translationsJSON(a.Translations) == translationsJSON(b.Translations)
}

func sameObservation(a, b strategy.Observation) bool {
	return a.Key() == b.Key() && sameValue(a.Value, b.Value) && a.Status == b.Status &&
		a.Preliminary == b.Preliminary && a.Source == b.Source && a.SourceURL == b.SourceURL &&
		normTime(a.FetchedAt).Equal(normTime(b.FetchedAt))
}

func sameValue(a, b *float64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

func (im *importer) putOrganisation(o strategy.Organisation) error {
	var exists int
	err := im.tx.QueryRowContext(im.ctx, `SELECT COUNT(*) FROM organisations WHERE code = $1`, o.Code).Scan(&exists)
	if err != nil {
		return strategy.Internal(err, "reading organisation "+o.Code)
	}
	c := added
	if exists == 0 {
		_, err = im.exec(`INSERT INTO organisations (code, name, kind, county) VALUES ($1, $2, $3, $4)`,
			o.Code, o.Name, o.Kind, o.County)
	} else {
		var n int64
		n, err = im.exec(`UPDATE organisations SET name = $2, kind = $3, county = $4 WHERE code = $1
			AND (name IS DISTINCT FROM $2 OR kind IS DISTINCT FROM $3 OR county IS DISTINCT FROM $4)`,
			o.Code, o.Name, o.Kind, o.County)
		c = changed
		if n == 0 {
			c = unchanged
		}
	}
	if err != nil {
		return strategy.Internal(err, "storing organisation "+o.Code)
	}
	im.count(kindOrganisations, c)
	return nil
}

var bodiesTable = table{
	name:    "bodies",
	fixed:   []string{"org_code", "key", "position"},
	mutable: []string{"name", "kind", "parent_key"},
}

// putBodies upserts an organisation's bodies; new ones go after the stored.
func (im *importer) putBodies(org string, bodies []strategy.Body) error {
	ids := map[string]int64{}
	next := 0
	err := queryEach(im.ctx, im.tx, `SELECT id, key, position FROM bodies WHERE org_code = $1`, []any{org},
		func(rows *sql.Rows) error {
			var id int64
			var key string
			var pos int
			if err := rows.Scan(&id, &key, &pos); err != nil {
				return err
			}
			ids[key] = id
			next = max(next, pos+1)
			return nil
		})
	if err != nil {
		return strategy.Internal(err, "reading the bodies of "+org)
	}
	for _, b := range bodies {
		id := ids[b.Key]
		fixed := []any{org, b.Key, next}
		if id == 0 {
			next++
		}
		id, c, err := im.put(bodiesTable, id, fixed, []any{b.Name, b.Kind, nullText(b.Parent)})
		if err != nil {
			return strategy.Internal(err, fmt.Sprintf("storing body %s of %s", b.Key, org))
		}
		ids[b.Key] = id
		im.count(kindBodies, c)
	}
	im.bodies[org] = ids
	return nil
}

var indicatorsTable = table{
	name:      "indicators",
	fixed:     []string{"key"},
	mutable:   []string{"title", "description", "unit", "polarity", "source", "breakdowns", "translations"},
	versioned: true,
}

func (im *importer) putIndicator(ind strategy.Indicator) error {
	ref, err := im.storedIndicator(ind.Key)
	if err != nil {
		return strategy.Internal(err, "reading indicator "+ind.Key)
	}
	var id int64
	if ref != nil {
		id = ref.id
	}
	id, c, err := im.put(indicatorsTable, id, []any{ind.Key},
		[]any{ind.Title, ind.Description, ind.Unit, ind.Polarity, ind.Source, mustJSON(ind.Breakdowns),
			translationsJSON(ind.Translations)})
	if err != nil {
		return strategy.Internal(err, "storing indicator "+ind.Key)
	}
	im.indicators[ind.Key] = &indicatorRef{id: id, byGender: ind.ByGender()}
	im.count(kindIndicators, c)
	return nil
}
