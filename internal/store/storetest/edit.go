package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/inkludera/inkludera/internal/strategy"
)

// eva is the actor of the edits.
var eva = strategy.Actor{UserID: 7, Name: "Eva Redaktör", Address: "192.0.2.1", Via: "web"}

func asEva() context.Context { return strategy.WithActor(context.Background(), eva) }

func mustDocument(t *testing.T, s strategy.Store, key string) strategy.Document {
	t.Helper()
	d, err := s.Document(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// revsOf lists the Rev of every object of the document by its ref, and
// checks that Lookup finds each with the same Rev.
func revsOf(t *testing.T, d strategy.Document) map[string]int64 {
	t.Helper()
	m := map[string]int64{}
	put := func(ref strategy.ObjectRef, rev int64) {
		t.Helper()
		m[ref.String()] = rev
		if _, got, found := d.Lookup(ref); !found || got != rev {
			t.Errorf("Lookup(%s) = rev %d, found %v; the tree has rev %d", ref, got, found, rev)
		}
	}
	ref := func(kind strategy.ObjectKind, key string) strategy.ObjectRef {
		return strategy.ObjectRef{Kind: kind, Document: d.Key, Key: key}
	}
	resps := func(owner string, list []strategy.Responsibility) {
		for i, r := range list {
			put(strategy.ResponsibilityRef(d.Key, owner, i), r.Rev)
		}
	}
	commitments := func(list []strategy.Commitment) {
		for _, c := range list {
			put(ref(strategy.ObjCommitment, c.Key), c.Rev)
		}
	}
	var goals func([]strategy.Goal)
	goals = func(list []strategy.Goal) {
		for _, g := range list {
			put(ref(strategy.ObjGoal, g.Key), g.Rev)
			for _, tg := range g.Targets {
				put(ref(strategy.ObjTarget, tg.Key), tg.Rev)
			}
			commitments(g.Commitments)
			resps("goal:"+g.Key, g.Responsibilities)
			goals(g.Goals)
		}
	}
	put(strategy.ObjectRef{Kind: strategy.ObjDocument, Document: d.Key}, d.Rev)
	resps("", d.Responsibilities)
	for _, a := range d.Areas {
		put(ref(strategy.ObjArea, a.Key), a.Rev)
		commitments(a.Commitments)
		resps("area:"+a.Key, a.Responsibilities)
		goals(a.Goals)
	}
	for _, tm := range d.Terms {
		put(ref(strategy.ObjTerm, tm.Key), tm.Rev)
	}
	for _, p := range d.ActionPlans {
		put(ref(strategy.ObjActionPlan, p.Key), p.Rev)
		for _, a := range p.Activities {
			put(strategy.ActivityRef(d.Key, p.Key, a.Key), a.Rev)
		}
	}
	return m
}

// testRevisions: every object starts at Rev 1 and gets Rev+1 exactly
// when an import changes it; an action plan, edited as a whole with its
// activities, also when one of its activities changes.
func testRevisions(t *testing.T, open func(t *testing.T) strategy.Store) {
	s := open(t)
	ctx := context.Background()
	b := richBundle()
	mustImport(t, s, b)
	revs := revsOf(t, mustDocument(t, s, docKey))
	if len(revs) != 30 {
		t.Fatalf("%d objects in the document, want 30: %v", len(revs), revs)
	}
	for ref, rev := range revs {
		if rev != 1 {
			t.Errorf("%s has Rev %d after the first import, want 1", ref, rev)
		}
	}
	mustImport(t, s, b)
	same(t, "revisions after importing the same again", revsOf(t, mustDocument(t, s, docKey)), revs)

	d := b.Document
	steps := []struct {
		name    string
		edit    func()
		bumped  []string
		removed []string
	}{
		{"a target's value", func() { d.Areas[0].Goals[0].Targets[0].Value = f(65) },
			[]string{"target:" + docKey + "/syss-60"}, nil},
		{"an area's indicators", func() { d.Areas[0].Indicators = append(d.Areas[0].Indicators, "folkmangd") },
			[]string{"area:" + docKey + "/arbete"}, nil},
		{"the document's indicators", func() { d.Indicators = nil },
			[]string{"document:" + docKey}, nil},
		{"a responsibility's duties", func() { d.Areas[0].Responsibilities[1].Duties = []string{"stödja"} },
			[]string{"responsibility:" + docKey + "/area:arbete#1"}, nil},
		{"an activity", func() { d.ActionPlans[0].Activities[1].Status = strategy.ActivityDone },
			[]string{"activity:" + docKey + "/ks-2017/mentorer", "action_plan:" + docKey + "/ks-2017"}, nil},
		{"an activity's progress", func() { *d.ActionPlans[0].Activities[0].Progress = 60 },
			[]string{"activity:" + docKey + "/ks-2017/sfi-info", "action_plan:" + docKey + "/ks-2017"}, nil},
		{"an activity removed", func() { d.ActionPlans[0].Activities = d.ActionPlans[0].Activities[:1] },
			[]string{"action_plan:" + docKey + "/ks-2017"}, []string{"activity:" + docKey + "/ks-2017/mentorer"}},
		{"a plan's decision", func() { d.ActionPlans[1].Decision.Reference = "AMN 2018-03-01 § 20" },
			[]string{"action_plan:" + docKey + "/amn-2018"}, nil},
		{"a term's definition and the document's title", func() {
			d.Terms[1].Definition = "Född utomlands."
			d.Title = "Integrationsstrategi"
		}, []string{"term:" + docKey + "/utrikes-fodd", "document:" + docKey}, nil},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			st.edit()
			want := maps.Clone(revs)
			for _, k := range st.bumped {
				if _, ok := want[k]; !ok {
					t.Fatalf("no object %s", k)
				}
				want[k]++
			}
			for _, k := range st.removed {
				delete(want, k)
			}
			mustImport(t, s, b)
			revs = revsOf(t, mustDocument(t, s, docKey))
			same(t, "revisions", revs, want)
		})
	}

	b.Indicators[5].Title = "Trygghet enligt medborgarenkäten"
	mustImport(t, s, b)
	inds, err := s.ListIndicators(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, ind := range inds {
		want := int64(1)
		if ind.Key == "trygghet" {
			want = 2
		}
		if ind.Rev != want {
			t.Errorf("indicator %s has Rev %d, want %d", ind.Key, ind.Rev, want)
		}
	}
}

// findArea and the like find objects of a document by key for an Apply;
// nil when there is none.
func findArea(d *strategy.Document, key string) *strategy.Area {
	for i := range d.Areas {
		if d.Areas[i].Key == key {
			return &d.Areas[i]
		}
	}
	return nil
}

func findGoal(d *strategy.Document, key string) *strategy.Goal {
	var walk func([]strategy.Goal) *strategy.Goal
	walk = func(gs []strategy.Goal) *strategy.Goal {
		for i := range gs {
			if gs[i].Key == key {
				return &gs[i]
			}
			if g := walk(gs[i].Goals); g != nil {
				return g
			}
		}
		return nil
	}
	for i := range d.Areas {
		if g := walk(d.Areas[i].Goals); g != nil {
			return g
		}
	}
	return nil
}

func findPlan(d *strategy.Document, key string) *strategy.ActionPlan {
	for i := range d.ActionPlans {
		if d.ActionPlans[i].Key == key {
			return &d.ActionPlans[i]
		}
	}
	return nil
}

func findActivity(d *strategy.Document, plan, key string) *strategy.Activity {
	p := findPlan(d, plan)
	if p == nil {
		return nil
	}
	for i := range p.Activities {
		if p.Activities[i].Key == key {
			return &p.Activities[i]
		}
	}
	return nil
}

// state is everything the store shows plus its audit trail, to see that a
// refused call changed nothing.
func state(t *testing.T, s strategy.Store) any {
	t.Helper()
	trail, err := s.Audit(context.Background(), strategy.AuditFilter{Limit: 10000})
	if err != nil {
		t.Fatal(err)
	}
	return []any{snapshot(t, s), trail}
}

// entries returns the audit entries of one object, newest first.
func entries(t *testing.T, s strategy.Store, ref strategy.ObjectRef) []strategy.AuditEntry {
	t.Helper()
	list, err := s.Audit(context.Background(), strategy.AuditFilter{Kind: ref.Kind, Document: ref.Document, Key: ref.Key})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// checkEntry checks the newest entry of ref: its action, actor,
// organisation and when, and that before and after encode the given
// values (nil: JSON null).
func checkEntry(t *testing.T, s strategy.Store, ref strategy.ObjectRef, action strategy.AuditAction, actor strategy.Actor,
	org string, before, after any) strategy.AuditEntry {
	t.Helper()
	list := entries(t, s, ref)
	if len(list) == 0 {
		t.Fatalf("no audit entry for %s", ref)
	}
	e := list[0]
	if e.Action != action || e.Actor != actor || e.Org != org || e.Object != ref {
		t.Errorf("audit entry %+v; want action %s by %+v of %s in %q", e, action, actor, ref, org)
	}
	if e.ID == 0 || time.Since(e.At) > time.Minute || time.Until(e.At) > time.Second || e.At.Location() != time.UTC {
		t.Errorf("audit entry id %d at %v", e.ID, e.At)
	}
	for _, c := range []struct {
		what string
		raw  json.RawMessage
		want any
	}{{"before", e.Before, before}, {"after", e.After, after}} {
		w, err := json.Marshal(c.want)
		if err != nil {
			t.Fatal(err)
		}
		if !jsonEqual(t, c.raw, w) {
			t.Errorf("%s of %s:\n got: %s\nwant: %s", c.what, ref, c.raw, w)
		}
	}
	return e
}

func jsonEqual(t *testing.T, a, b []byte) bool {
	t.Helper()
	var x, y any
	if err := json.Unmarshal(a, &x); err != nil {
		t.Fatalf("not JSON: %s: %v", a, err)
	}
	if err := json.Unmarshal(b, &y); err != nil {
		t.Fatalf("not JSON: %s: %v", b, err)
	}
	xs, _ := json.Marshal(x)
	ys, _ := json.Marshal(y)
	return string(xs) == string(ys)
}

// lookup returns what d.Lookup finds, failing when it finds nothing.
func lookup(t *testing.T, d strategy.Document, ref strategy.ObjectRef) (any, int64) {
	t.Helper()
	obj, rev, found := d.Lookup(ref)
	if !found {
		t.Fatalf("%s is not in the document", ref)
	}
	return obj, rev
}

func wantPaths(t *testing.T, err error, paths ...string) {
	t.Helper()
	wantCode(t, err, strategy.CodeInvalid)
	var v strategy.ValidationErrors
	if !errors.As(err, &v) {
		t.Fatalf("no ValidationErrors in %v", err)
	}
	var got []string
	for _, e := range v {
		got = append(got, e.Path)
	}
	slices.Sort(got)
	slices.Sort(paths)
	same(t, "paths of the validation errors", got, paths)
}

// testEditDocument creates, updates and deletes objects of several kinds
// through EditDocument, and checks the refusals: each leaves the store as
// it was.
func testEditDocument(t *testing.T, open func(t *testing.T) strategy.Store) {
	s := open(t)
	ctx := asEva()
	mustImport(t, s, richBundle())
	edit := func(ref strategy.ObjectRef, rev int64, apply func(d *strategy.Document) error) (strategy.Document, error) {
		return s.EditDocument(ctx, strategy.Edit{Ref: ref, Rev: rev, Apply: apply})
	}
	// refused runs a call that must fail and checks that nothing changed.
	refused := func(t *testing.T, call func() error) error {
		t.Helper()
		before := state(t, s)
		err := call()
		if err == nil {
			t.Fatal("the call succeeded")
		}
		same(t, "store after a refused edit", state(t, s), before)
		return err
	}

	area := strategy.ObjectRef{Kind: strategy.ObjArea, Document: docKey, Key: "halsa"}
	t.Run("area", func(t *testing.T) {
		d, err := edit(area, 0, func(d *strategy.Document) error {
			d.Areas = append(d.Areas, strategy.Area{Key: "halsa", Title: "Hälsa", Indicators: []string{"trygghet"}})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		obj, rev := lookup(t, d, area)
		if rev != 1 || d.Rev != 1 {
			t.Errorf("new area Rev %d, document Rev %d; want 1 and 1", rev, d.Rev)
		}
		same(t, "returned document", d, mustDocument(t, s, docKey))
		checkEntry(t, s, area, strategy.AuditCreate, eva, orgCode, nil, obj)

		d, err = edit(area, 1, func(d *strategy.Document) error {
			findArea(d, "halsa").Title = "Hälsa och välmående"
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		after, rev := lookup(t, d, area)
		if rev != 2 || after.(strategy.Area).Title != "Hälsa och välmående" {
			t.Errorf("updated area: %+v, Rev %d", after, rev)
		}
		checkEntry(t, s, area, strategy.AuditUpdate, eva, orgCode, obj, after)

		err = refused(t, func() error {
			_, err := edit(area, 1, func(d *strategy.Document) error { findArea(d, "halsa").Title = "Gammalt"; return nil })
			return err
		})
		wantCode(t, err, strategy.CodeConflict, area.String(), "revision 1", "revision 2")
		err = refused(t, func() error {
			_, err := edit(area, 0, func(d *strategy.Document) error {
				d.Areas = append(d.Areas, strategy.Area{Key: "halsa", Title: "Igen"})
				return nil
			})
			return err
		})
		wantCode(t, err, strategy.CodeConflict, area.String(), "revision 0", "revision 2")
		missing := strategy.ObjectRef{Kind: strategy.ObjArea, Document: docKey, Key: "nope"}
		err = refused(t, func() error {
			_, err := edit(missing, 3, func(d *strategy.Document) error { return nil })
			return err
		})
		wantCode(t, err, strategy.CodeNotFound, missing.String())
		err = refused(t, func() error {
			_, err := edit(strategy.ObjectRef{Kind: strategy.ObjArea, Document: "nope", Key: "x"}, 1,
				func(d *strategy.Document) error { return nil })
			return err
		})
		wantCode(t, err, strategy.CodeNotFound, "nope")

		d, err = edit(area, 2, func(d *strategy.Document) error {
			d.Areas = slices.DeleteFunc(d.Areas, func(a strategy.Area) bool { return a.Key == "halsa" })
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, found := d.Lookup(area); found {
			t.Error("the deleted area is still there")
		}
		checkEntry(t, s, area, strategy.AuditDelete, eva, orgCode, after, nil)
		if n := len(entries(t, s, area)); n != 3 {
			t.Errorf("%d audit entries of the area, want 3", n)
		}
	})

	target := strategy.ObjectRef{Kind: strategy.ObjTarget, Document: docKey, Key: "bostader-400"}
	t.Run("target", func(t *testing.T) {
		d, err := edit(target, 0, func(d *strategy.Document) error {
			g := findGoal(d, "arbete-2")
			g.Targets = append(g.Targets, strategy.Target{Key: "bostader-400", Text: "Minst 400 bostäder år 2025",
				Kind: strategy.TargetThreshold, Comparator: strategy.AtLeast, Value: f(400), Unit: "bostäder",
				TargetYear: 2025, Indicator: "nya-bostader"})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		created, rev := lookup(t, d, target)
		if rev != 1 {
			t.Errorf("new target Rev %d", rev)
		}
		err = refused(t, func() error {
			_, err := edit(target, 1, func(d *strategy.Document) error {
				tg := &findGoal(d, "arbete-2").Targets[1]
				tg.Value, tg.Indicator = nil, "okand"
				return nil
			})
			return err
		})
		wantPaths(t, err, "document.areas[0].goals[1].targets[1].value", "document.areas[0].goals[1].targets[1].indicator")
		d, err = edit(target, 1, func(d *strategy.Document) error {
			findGoal(d, "arbete-2").Targets[1].Value = f(450)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		updated, rev := lookup(t, d, target)
		if rev != 2 || *updated.(strategy.Target).Value != 450 {
			t.Errorf("updated target %+v, Rev %d", updated, rev)
		}
		checkEntry(t, s, target, strategy.AuditUpdate, eva, orgCode, created, updated)
		if _, err := edit(target, 2, func(d *strategy.Document) error {
			g := findGoal(d, "arbete-2")
			g.Targets = g.Targets[:1]
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		checkEntry(t, s, target, strategy.AuditDelete, eva, orgCode, updated, nil)
	})

	act := strategy.ActivityRef(docKey, "ks-2017", "sprakcafe")
	t.Run("activity", func(t *testing.T) {
		newActivity := strategy.Activity{Key: "sprakcafe", TargetGroup: "alla", Title: "Språkcafé",
			Time: "2017 kvartal 3", FollowUp: date("2017-11-30"), Status: strategy.ActivityPlanned, Progress: intp(0),
			Goals: []string{"arbete-1"}}
		d, err := edit(act, 0, func(d *strategy.Document) error {
			p := findPlan(d, "ks-2017")
			p.Activities = append(p.Activities, newActivity)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		got, rev := lookup(t, d, act)
		newActivity.Rev = 1
		same(t, "created activity", got, newActivity)
		if rev != 1 {
			t.Errorf("new activity Rev %d", rev)
		}
		checkEntry(t, s, act, strategy.AuditCreate, eva, orgCode, nil, newActivity)

		err = refused(t, func() error {
			_, err := edit(act, 1, func(d *strategy.Document) error {
				a := findActivity(d, "ks-2017", "sprakcafe")
				a.Title, a.Progress, a.Goals = "", intp(150), []string{"okant-mal"}
				return nil
			})
			return err
		})
		wantPaths(t, err, "document.action_plans[0].activities[2].title", "document.action_plans[0].activities[2].progress",
			"document.action_plans[0].activities[2].goals[0]")

		d, err = edit(act, 1, func(d *strategy.Document) error {
			a := findActivity(d, "ks-2017", "sprakcafe")
			a.Status, a.Progress = strategy.ActivityOngoing, intp(30)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		updated, rev := lookup(t, d, act)
		if rev != 2 || updated.(strategy.Activity).Status != strategy.ActivityOngoing || *updated.(strategy.Activity).Progress != 30 {
			t.Errorf("updated activity %+v, Rev %d", updated, rev)
		}
		checkEntry(t, s, act, strategy.AuditUpdate, eva, orgCode, newActivity, updated)

		// An explicit action is recorded as given.
		if _, err := s.EditDocument(ctx, strategy.Edit{Ref: act, Rev: 2, Action: strategy.AuditDelete, Apply: func(d *strategy.Document) error {
			p := findPlan(d, "ks-2017")
			p.Activities = p.Activities[:2]
			return nil
		}}); err != nil {
			t.Fatal(err)
		}
		if d := mustDocument(t, s, docKey); findActivity(&d, "ks-2017", "sprakcafe") != nil {
			t.Error("the deleted activity is still there")
		}
		checkEntry(t, s, act, strategy.AuditDelete, eva, orgCode, updated, nil)
	})

	t.Run("responsibility", func(t *testing.T) {
		ref := strategy.ResponsibilityRef(docKey, "area:arbete", 1)
		d, err := edit(ref, 1, func(d *strategy.Document) error {
			findArea(d, "arbete").Responsibilities[1].Role = strategy.RoleContributes
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		got, _ := lookup(t, d, ref)
		if r := got.(strategy.Responsibility); r.Role != strategy.RoleContributes || r.Body != "amn" {
			t.Errorf("responsibility after the edit: %+v", r)
		}
	})

	t.Run("apply's error is returned as it is", func(t *testing.T) {
		sentinel := errors.New("the form went away")
		err := refused(t, func() error {
			_, err := edit(strategy.ObjectRef{Kind: strategy.ObjArea, Document: docKey, Key: "arbete"}, 1,
				func(d *strategy.Document) error {
					d.Areas[0].Title = "Halvvägs"
					return sentinel
				})
			return err
		})
		if !errors.Is(err, sentinel) {
			t.Errorf("got %v, want the Apply's error", err)
		}
	})

	t.Run("no change is not recorded", func(t *testing.T) {
		before := state(t, s)
		d, err := edit(strategy.ObjectRef{Kind: strategy.ObjTerm, Document: docKey, Key: "nyanland"}, 1,
			func(d *strategy.Document) error { return nil })
		if err != nil {
			t.Fatal(err)
		}
		same(t, "returned document", d, mustDocument(t, s, docKey))
		same(t, "store after an edit that changed nothing", state(t, s), before)
	})

	t.Run("document", func(t *testing.T) {
		ref := strategy.ObjectRef{Kind: strategy.ObjDocument, Document: "ostersund-bostadsprogram"}
		d, err := s.EditDocument(ctx, strategy.Edit{Ref: ref, Org: orgCode, Apply: func(d *strategy.Document) error {
			if d.Key != ref.Document || d.Org != orgCode || d.Title != "" || d.Areas != nil {
				return fmt.Errorf("a new document should start empty with its key and organisation: %+v", d)
			}
			d.Kind, d.Title, d.Status, d.Owner = strategy.KindProgramme, "Bostadsprogram", strategy.StatusDraft, "ks"
			return nil
		}})
		if err != nil {
			t.Fatal(err)
		}
		want := strategy.Document{Key: ref.Document, Org: orgCode, Kind: strategy.KindProgramme, Title: "Bostadsprogram",
			Status: strategy.StatusDraft, Owner: "ks", Rev: 1}
		same(t, "created document", d, want)
		checkEntry(t, s, ref, strategy.AuditCreate, eva, orgCode, nil, want)
		docs, err := s.Documents(ctx, orgCode)
		if err != nil || len(docs) != 2 {
			t.Errorf("Documents after creating one: %v %v", docs, err)
		}

		d, err = s.EditDocument(ctx, strategy.Edit{Ref: ref, Rev: 1, Apply: func(d *strategy.Document) error {
			d.Summary = "Fler bostäder."
			return nil
		}})
		if err != nil {
			t.Fatal(err)
		}
		if d.Rev != 2 || d.Summary != "Fler bostäder." {
			t.Errorf("updated document: Rev %d, summary %q", d.Rev, d.Summary)
		}

		err = refused(t, func() error {
			_, err := s.EditDocument(ctx, strategy.Edit{Ref: ref, Org: orgCode, Apply: func(d *strategy.Document) error { return nil }})
			return err
		})
		wantCode(t, err, strategy.CodeConflict, ref.String())
		err = refused(t, func() error {
			_, err := s.EditDocument(ctx, strategy.Edit{Ref: strategy.ObjectRef{Kind: strategy.ObjDocument, Document: "ny"},
				Org: "0180", Apply: func(d *strategy.Document) error {
					d.Kind, d.Title, d.Status = strategy.KindPlan, "Plan", strategy.StatusDraft
					return nil
				}})
			return err
		})
		wantCode(t, err, strategy.CodeNotFound, "0180")
		err = refused(t, func() error {
			_, err := s.EditDocument(ctx, strategy.Edit{Ref: ref, Rev: 2, Apply: func(d *strategy.Document) error {
				d.Key = "annat"
				return nil
			}})
			return err
		})
		wantPaths(t, err, "document.key")
		err = refused(t, func() error {
			_, err := s.EditDocument(ctx, strategy.Edit{Ref: ref, Rev: 2, Apply: func(d *strategy.Document) error {
				d.Owner = "okant-organ"
				return nil
			}})
			return err
		})
		wantPaths(t, err, "document.owner")
	})

	t.Run("not an object of a document", func(t *testing.T) {
		for _, ref := range []strategy.ObjectRef{
			{Kind: strategy.ObjIndicator, Key: "trygghet"},
			{Kind: strategy.ObjNote, Document: docKey, Key: "ks-2017/sfi-info/1"},
		} {
			err := refused(t, func() error {
				_, err := edit(ref, 1, func(d *strategy.Document) error { return nil })
				return err
			})
			wantCode(t, err, strategy.CodeInvalid)
		}
	})
}

// testEditRace: two edits of the same revision of one activity at once;
// one wins, the other is refused, and what is stored is the winner's.
func testEditRace(t *testing.T, open func(t *testing.T) strategy.Store) {
	s := open(t)
	ctx := asEva()
	mustImport(t, s, richBundle())
	ref := strategy.ActivityRef(docKey, "ks-2017", "mentorer")
	for round := range 5 {
		_, rev := lookup(t, mustDocument(t, s, docKey), ref)
		trail := len(entries(t, s, ref))
		titles := []string{fmt.Sprintf("Mentorsprogram %d A", round), fmt.Sprintf("Mentorsprogram %d B", round)}
		errs := make([]error, len(titles))
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range titles {
			wg.Go(func() {
				<-start
				_, errs[i] = s.EditDocument(ctx, strategy.Edit{Ref: ref, Rev: rev, Apply: func(d *strategy.Document) error {
					a := findActivity(d, "ks-2017", "mentorer")
					if a == nil {
						return errors.New("no activity mentorer")
					}
					a.Title = titles[i]
					return nil
				}})
			})
		}
		close(start)
		wg.Wait()
		winner := -1
		for i, err := range errs {
			switch strategy.CodeOf(err) {
			case "":
				if winner >= 0 {
					t.Fatalf("round %d: both edits of revision %d succeeded", round, rev)
				}
				winner = i
			case strategy.CodeConflict:
				if !strings.Contains(err.Error(), ref.String()) {
					t.Errorf("the conflict does not name %s: %v", ref, err)
				}
			default:
				t.Fatalf("round %d: unexpected error %v", round, err)
			}
		}
		if winner < 0 {
			t.Fatalf("round %d: neither edit succeeded: %v", round, errs)
		}
		obj, got := lookup(t, mustDocument(t, s, docKey), ref)
		if a := obj.(strategy.Activity); a.Title != titles[winner] || got != rev+1 {
			t.Errorf("round %d: stored %q at Rev %d; want the winner's %q at Rev %d", round, a.Title, got, titles[winner], rev+1)
		}
		if n := len(entries(t, s, ref)); n != trail+1 {
			t.Errorf("round %d: %d new audit entries, want 1", round, n-trail)
		}
	}
}

// testEditIndicator: an indicator is edited against its Rev, validated,
// and audited without an organisation.
func testEditIndicator(t *testing.T, open func(t *testing.T) strategy.Store) {
	s := open(t)
	ctx := asEva()
	mustImport(t, s, richBundle())
	ref := strategy.ObjectRef{Kind: strategy.ObjIndicator, Key: "trygghet"}
	before, err := s.Indicator(ctx, "trygghet")
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.EditIndicator(ctx, "trygghet", 1, func(ind *strategy.Indicator) error {
		ind.Title, ind.Description = "Trygghet enligt enkäten", "Andel som svarar ganska eller mycket trygg."
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := before
	want.Title, want.Description, want.Rev = "Trygghet enligt enkäten", "Andel som svarar ganska eller mycket trygg.", 2
	same(t, "edited indicator", got, want)
	if stored, _ := s.Indicator(ctx, "trygghet"); stored.Rev != 2 || stored.Title != want.Title {
		t.Errorf("stored indicator %+v", stored)
	}
	checkEntry(t, s, ref, strategy.AuditUpdate, eva, "", before, want)

	tests := []struct {
		name  string
		key   string
		rev   int64
		apply func(*strategy.Indicator) error
		code  strategy.ErrorCode
		paths []string
		says  []string
	}{
		{"stale revision", "trygghet", 1, func(ind *strategy.Indicator) error { ind.Unit = "procent"; return nil },
			strategy.CodeConflict, nil, []string{ref.String(), "revision 1", "revision 2"}},
		{"unknown", "nope", 1, func(ind *strategy.Indicator) error { return nil }, strategy.CodeNotFound, nil, []string{"nope"}},
		{"not valid", "trygghet", 2, func(ind *strategy.Indicator) error { ind.Unit, ind.Source = "", "gissning"; return nil },
			strategy.CodeInvalid, []string{"unit", "source"}, nil},
		{"key changed", "trygghet", 2, func(ind *strategy.Indicator) error { ind.Key = "trygg"; return nil },
			strategy.CodeInvalid, []string{"key"}, nil},
		{"gender breakdown of values by gender dropped", "folkmangd", 1, func(ind *strategy.Indicator) error {
			ind.Breakdowns = nil
			return nil
		}, strategy.CodeInvalid, []string{"breakdowns"}, nil},
		{"apply's error", "trygghet", 2, func(ind *strategy.Indicator) error { ind.Title = "x"; return errors.New("stop") },
			strategy.CodeInternal, nil, []string{"stop"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			prev := state(t, s)
			_, err := s.EditIndicator(ctx, tc.key, tc.rev, tc.apply)
			if tc.paths != nil {
				wantPaths(t, err, tc.paths...)
			} else {
				wantCode(t, err, tc.code, tc.says...)
			}
			same(t, "store after a refused edit", state(t, s), prev)
		})
	}

	t.Run("no change", func(t *testing.T) {
		prev := state(t, s)
		got, err := s.EditIndicator(ctx, "trygghet", 2, func(ind *strategy.Indicator) error { return nil })
		if err != nil {
			t.Fatal(err)
		}
		same(t, "indicator", got, want)
		same(t, "store after an edit that changed nothing", state(t, s), prev)
	})
}

// testNotes: notes are added to activities, listed oldest first, audited,
// validated, and survive imports that keep their activity.
func testNotes(t *testing.T, open func(t *testing.T) strategy.Store) {
	s := open(t)
	ctx := asEva()
	b := richBundle()
	mustImport(t, s, b)
	act := strategy.ActivityRef(docKey, "ks-2017", "sfi-info")
	_, rev := lookup(t, mustDocument(t, s, docKey), act)

	first, err := s.AddNote(ctx, act, strategy.Note{Date: date("2017-06-30"), Text: "Två informationstillfällen hölls."})
	if err != nil {
		t.Fatal(err)
	}
	if first.ID == 0 || time.Since(first.CreatedAt) > time.Minute || first.CreatedAt.Location() != time.UTC {
		t.Errorf("added note %+v", first)
	}
	if first.Author != eva.Name || first.AuthorID != eva.UserID {
		t.Errorf("author of the note: %q (%d), want the actor's", first.Author, first.AuthorID)
	}
	noteRef := strategy.ObjectRef{Kind: strategy.ObjNote, Document: docKey, Key: fmt.Sprintf("ks-2017/sfi-info/%d", first.ID)}
	checkEntry(t, s, noteRef, strategy.AuditCreate, eva, orgCode, nil, first)

	// Written later about an earlier day, by someone named explicitly.
	second, err := s.AddNote(ctx, act, strategy.Note{Date: date("2017-04-15"), Text: "Planering klar.", Author: "Per Samordnare", AuthorID: 9})
	if err != nil {
		t.Fatal(err)
	}
	if second.Author != "Per Samordnare" || second.AuthorID != 9 {
		t.Errorf("explicit author not kept: %+v", second)
	}
	d := mustDocument(t, s, docKey)
	obj, after := lookup(t, d, act)
	same(t, "notes, oldest first", obj.(strategy.Activity).Notes, []strategy.Note{second, first})
	if after != rev {
		t.Errorf("adding notes changed the activity's Rev from %d to %d", rev, after)
	}
	if got, _, _ := d.Lookup(noteRef); got != first {
		t.Errorf("Lookup(%s) = %+v", noteRef, got)
	}

	t.Run("refused", func(t *testing.T) {
		tests := []struct {
			name  string
			ref   strategy.ObjectRef
			note  strategy.Note
			code  strategy.ErrorCode
			paths []string
		}{
			{"empty", act, strategy.Note{Text: "  "}, strategy.CodeInvalid, []string{"text", "date"}},
			{"no date", act, strategy.Note{Text: "Text"}, strategy.CodeInvalid, []string{"date"}},
			{"unknown activity", strategy.ActivityRef(docKey, "ks-2017", "nope"), strategy.Note{Date: date("2017-01-01"), Text: "x"},
				strategy.CodeNotFound, nil},
			{"unknown document", strategy.ActivityRef("nope", "ks-2017", "sfi-info"), strategy.Note{Date: date("2017-01-01"), Text: "x"},
				strategy.CodeNotFound, nil},
			{"not an activity", strategy.ObjectRef{Kind: strategy.ObjActionPlan, Document: docKey, Key: "ks-2017"},
				strategy.Note{Date: date("2017-01-01"), Text: "x"}, strategy.CodeInvalid, nil},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				prev := state(t, s)
				_, err := s.AddNote(ctx, tc.ref, tc.note)
				if tc.paths != nil {
					wantPaths(t, err, tc.paths...)
				} else {
					wantCode(t, err, tc.code)
				}
				same(t, "store after a refused note", state(t, s), prev)
			})
		}
	})

	t.Run("imports keep the notes of kept activities", func(t *testing.T) {
		b.Document.ActionPlans[0].Activities[0].Status = strategy.ActivityDone
		b.Document.ActionPlans[0].Activities[0].Description = "Ändrad"
		if sum := mustImport(t, s, b); sum["activities"].Changed != 1 {
			t.Fatalf("the import did not change the activity: %v", sum)
		}
		obj, _ := lookup(t, mustDocument(t, s, docKey), act)
		same(t, "notes after an import", obj.(strategy.Activity).Notes, []strategy.Note{second, first})
		// An export carries them (files leave them out), and importing it
		// back changes nothing.
		x, err := s.Export(ctx, orgCode, docKey)
		if err != nil {
			t.Fatal(err)
		}
		if sum := mustImport(t, s, x...); sum.Modified() {
			t.Errorf("importing the export modified: %v", sum)
		}
	})
}

// testImportAudit: an import records one entry per document it added or
// changed, with the document before and after, and none for the rest.
func testImportAudit(t *testing.T, open func(t *testing.T) strategy.Store) {
	s := open(t)
	cli := strategy.Actor{Name: "cli", Via: "cli"}
	ctx := strategy.WithActor(context.Background(), cli)
	ref := strategy.ObjectRef{Kind: strategy.ObjDocument, Document: docKey}
	if _, err := s.Import(ctx, []strategy.Bundle{richBundle(), dataBundle()}); err != nil {
		t.Fatal(err)
	}
	first := mustDocument(t, s, docKey)
	checkEntry(t, s, ref, strategy.AuditImport, cli, orgCode, nil, first)
	all, err := s.Audit(ctx, strategy.AuditFilter{})
	if err != nil || len(all) != 1 {
		t.Fatalf("audit after the first import: %v %v; want one entry", all, err)
	}

	if _, err := s.Import(ctx, []strategy.Bundle{richBundle(), dataBundle()}); err != nil {
		t.Fatal(err)
	}
	if n := len(entries(t, s, ref)); n != 1 {
		t.Errorf("an import that changed nothing was recorded: %d entries", n)
	}

	// Two documents, one of them changed; and a data file, which has none.
	b := richBundle()
	b.Document.ActionPlans[0].Activities[1].Progress = intp(75)
	if _, err := s.Import(ctx, []strategy.Bundle{b, regionBundle(), dataBundle()}); err != nil {
		t.Fatal(err)
	}
	checkEntry(t, s, ref, strategy.AuditImport, cli, orgCode, first, mustDocument(t, s, docKey))
	checkEntry(t, s, strategy.ObjectRef{Kind: strategy.ObjDocument, Document: regionDoc}, strategy.AuditImport, cli, regionCode,
		nil, mustDocument(t, s, regionDoc))
	all, err = s.Audit(ctx, strategy.AuditFilter{})
	if err != nil || len(all) != 3 {
		t.Errorf("audit after three imports: %d entries, %v; want 3", len(all), err)
	}

	// A refused import records nothing.
	bad := richBundle()
	bad.Document.Title = ""
	prev := state(t, s)
	if _, err := s.Import(ctx, []strategy.Bundle{bad}); err == nil {
		t.Fatal("an invalid import succeeded")
	}
	same(t, "store after a refused import", state(t, s), prev)
}

// testAuditFilter: the filter's fields, the key prefix, newest first and
// paging.
func testAuditFilter(t *testing.T, open func(t *testing.T) strategy.Store) {
	s := open(t)
	mustImport(t, s, richBundle())
	ctx := asEva()
	sfi := strategy.ActivityRef(docKey, "ks-2017", "sfi-info")
	for i := range 3 {
		if _, err := s.AddNote(ctx, sfi, strategy.Note{Date: date("2017-05-01"), Text: fmt.Sprint("Anteckning ", i)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.AddNote(ctx, strategy.ActivityRef(docKey, "ks-2017", "mentorer"), strategy.Note{Date: date("2017-05-01"), Text: "M"}); err != nil {
		t.Fatal(err)
	}
	per := strategy.Actor{UserID: 8, Name: "Per", Via: "api"}
	if _, err := s.EditIndicator(strategy.WithActor(ctx, per), "trygghet", 1, func(ind *strategy.Indicator) error {
		ind.Title = "Trygghet"
		return nil
	}); err != nil {
		t.Fatal(err)
	}

	all, err := s.Audit(ctx, strategy.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 6 {
		t.Fatalf("%d entries, want 6 (an import, four notes, an indicator)", len(all))
	}
	for i := 1; i < len(all); i++ {
		if all[i].ID >= all[i-1].ID || all[i].At.After(all[i-1].At) {
			t.Errorf("entries not newest first at %d: %d then %d", i, all[i-1].ID, all[i].ID)
		}
	}
	count := func(f strategy.AuditFilter) int {
		t.Helper()
		list, err := s.Audit(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		return len(list)
	}
	tests := []struct {
		name string
		f    strategy.AuditFilter
		want int
	}{
		{"kind", strategy.AuditFilter{Kind: strategy.ObjNote}, 4},
		{"an activity's notes by prefix", strategy.AuditFilter{Kind: strategy.ObjNote, Document: docKey, Key: "ks-2017/sfi-info/"}, 3},
		{"a prefix is a whole step", strategy.AuditFilter{Document: docKey, Key: "ks-2017/sfi/"}, 0},
		{"without the slash the key is exact", strategy.AuditFilter{Key: "ks-2017/sfi-info"}, 0},
		{"exact key", strategy.AuditFilter{Kind: strategy.ObjIndicator, Key: "trygghet"}, 1},
		{"document", strategy.AuditFilter{Document: docKey}, 5},
		{"another document", strategy.AuditFilter{Document: regionDoc}, 0},
		{"organisation", strategy.AuditFilter{Org: orgCode}, 5},
		{"user", strategy.AuditFilter{UserID: 8}, 1},
		{"limit", strategy.AuditFilter{Limit: 2}, 2},
		{"before an id", strategy.AuditFilter{BeforeID: all[1].ID}, 4},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := count(tc.f); got != tc.want {
				t.Errorf("%d entries, want %d", got, tc.want)
			}
		})
	}

	t.Run("paging", func(t *testing.T) {
		var pages []strategy.AuditEntry
		f := strategy.AuditFilter{Limit: 4}
		for {
			page, err := s.Audit(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			if len(page) == 0 {
				break
			}
			pages = append(pages, page...)
			f.BeforeID = page[len(page)-1].ID
		}
		same(t, "paged entries", pages, all)
	})

	t.Run("the default limit is 100", func(t *testing.T) {
		for i := range 100 {
			if _, err := s.AddNote(ctx, sfi, strategy.Note{Date: date("2017-05-02"), Text: fmt.Sprint("Fler ", i)}); err != nil {
				t.Fatal(err)
			}
		}
		if got := count(strategy.AuditFilter{}); got != 100 {
			t.Errorf("%d entries, want 100", got)
		}
		if got := count(strategy.AuditFilter{Limit: 1000}); got != 106 {
			t.Errorf("%d entries with a limit of 1000, want 106", got)
		}
	})
}
