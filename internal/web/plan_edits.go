package web

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/inkludera/inkludera/internal/auth"
	"github.com/inkludera/inkludera/internal/strategy"
)

// The edits of action plans, shared by the forms and the JSON API: each
// finds the plan for the request (404), checks the permission (401/403)
// and the follow-up lock (409), and makes the change through
// Store.EditDocument with the Rev the editor started from, so that a
// concurrent save is refused (409) rather than overwritten.

// lockError is the 409 of a change to a locked follow-up; handlers tell it
// from a stale Rev, which re-renders the form instead.
type lockError struct{ err *strategy.Error }

func (e *lockError) Error() string { return e.err.Error() }
func (e *lockError) Unwrap() error { return e.err }

func isLockError(err error) bool {
	var le *lockError
	return errors.As(err, &le)
}

// planGone is the error of an edit whose plan disappeared meanwhile.
func planGone(key string) error {
	return strategy.Errorf(strategy.CodeNotFound, "Aktivitetsplanen %q finns inte längre.", key)
}

// planHead is what the plan form and PUT …/plans/{plan} change.
type planHead struct {
	Key   string `json:"key"`
	Body  string `json:"body"`
	Year  int    `json:"year"`
	Title string `json:"title"`
	Rev   int64  `json:"rev"`
}

// putPlanHead creates (rev 0) or changes a plan's key-less head in the
// document: title, body and year. A nämndredaktör may only keep their own
// body's plans, so both the plan's present body and the new one are
// checked, and both follow-ups must be open.
func (s *server) putPlanHead(r *http.Request, docKey string, h planHead) (strategy.ActionPlan, error) {
	ctx := r.Context()
	doc, bodies, err := s.documentForNewPlan(r, docKey)
	if err != nil {
		return strategy.ActionPlan{}, err
	}
	i := findPlan(&doc, h.Key)
	if i >= 0 {
		old := doc.ActionPlans[i]
		if !auth.Can(userOf(r), auth.ActionRead, planObject(doc, old)) {
			return strategy.ActionPlan{}, strategy.Errorf(strategy.CodeNotFound, planNotFound, h.Key, docKey)
		}
		if err := s.authorize(r, auth.ActionWrite, planObject(doc, old)); err != nil {
			return strategy.ActionPlan{}, err
		}
		if err := s.checkUnlocked(ctx, doc.Org, old.Body, old.Year, bodies); err != nil {
			return strategy.ActionPlan{}, err
		}
	}
	if h.Body != "" {
		if err := s.authorize(r, auth.ActionWrite, auth.Object{Kind: auth.KindActionPlan, Org: doc.Org, Body: h.Body}); err != nil {
			return strategy.ActionPlan{}, err
		}
		if err := s.checkUnlocked(ctx, doc.Org, h.Body, h.Year, bodies); err != nil {
			return strategy.ActionPlan{}, err
		}
	}
	ref := planRef(doc.Key, h.Key)
	stored, err := s.st.EditDocument(ctx, strategy.Edit{Ref: ref, Rev: h.Rev, Apply: func(d *strategy.Document) error {
		if j := findPlan(d, h.Key); j >= 0 {
			p := &d.ActionPlans[j]
			p.Body, p.Year, p.Title = h.Body, h.Year, h.Title
			return nil
		}
		d.ActionPlans = append(d.ActionPlans, strategy.ActionPlan{
			Key: h.Key, Body: h.Body, Year: h.Year, Title: h.Title, Status: strategy.PlanDraft,
		})
		return nil
	}})
	if err != nil {
		return strategy.ActionPlan{}, err
	}
	return storedPlan(stored, h.Key)
}

// storedPlan is the plan with the key of a document a store edit returned.
func storedPlan(d strategy.Document, key string) (strategy.ActionPlan, error) {
	if i := findPlan(&d, key); i >= 0 {
		return d.ActionPlans[i], nil
	}
	return strategy.ActionPlan{}, planGone(key)
}

// planDecision is what the decision form and POST …/decision give.
type planDecision struct {
	Reference string        `json:"reference"`
	On        strategy.Date `json:"on"`
	Rev       int64         `json:"rev"`
}

// decidePlan moves the plan from utkast to beslutad with its decision.
func (s *server) decidePlan(r *http.Request, p planAt, dec planDecision) (strategy.ActionPlan, error) {
	ctx := r.Context()
	if err := s.authorize(r, auth.ActionPublish, planObject(p.doc, p.plan)); err != nil {
		return strategy.ActionPlan{}, err
	}
	if err := s.checkUnlocked(ctx, p.doc.Org, p.plan.Body, p.plan.Year, p.bodies); err != nil {
		return strategy.ActionPlan{}, err
	}
	ref := planRef(p.doc.Key, p.plan.Key)
	stored, err := s.st.EditDocument(ctx, strategy.Edit{Ref: ref, Rev: dec.Rev, Action: strategy.AuditPublish,
		Apply: func(d *strategy.Document) error {
			i := findPlan(d, p.plan.Key)
			if i < 0 {
				return planGone(p.plan.Key)
			}
			plan := &d.ActionPlans[i]
			if plan.Status == strategy.PlanDecided {
				return strategy.Errorf(strategy.CodeConflict, "Planen är redan beslutad (%s).", plan.Decision.Reference)
			}
			plan.Status = strategy.PlanDecided
			plan.Decision = strategy.PlanDecision{Reference: strings.TrimSpace(dec.Reference), On: dec.On}
			return nil
		}})
	if err != nil {
		return strategy.ActionPlan{}, err
	}
	return storedPlan(stored, p.plan.Key)
}

// putActivity stores a in the plan: a new activity when rev is 0 (the key
// must then be free), otherwise a change of the stored one whose Rev is
// rev. Its notes stay as they are: they are added one at a time.
func (s *server) putActivity(r *http.Request, p planAt, a strategy.Activity, rev int64) (strategy.Activity, error) {
	ctx := r.Context()
	if err := s.checkUnlocked(ctx, p.doc.Org, p.plan.Body, p.plan.Year, p.bodies); err != nil {
		return strategy.Activity{}, err
	}
	ref := strategy.ActivityRef(p.doc.Key, p.plan.Key, a.Key)
	stored, err := s.st.EditDocument(ctx, strategy.Edit{Ref: ref, Rev: rev, Apply: func(d *strategy.Document) error {
		i := findPlan(d, p.plan.Key)
		if i < 0 {
			return planGone(p.plan.Key)
		}
		plan := &d.ActionPlans[i]
		if j := findActivity(plan, a.Key); j >= 0 {
			a.Notes, a.Rev = plan.Activities[j].Notes, plan.Activities[j].Rev
			plan.Activities[j] = a
			return nil
		}
		a.Notes, a.Rev = nil, 0
		plan.Activities = append(plan.Activities, a)
		return nil
	}})
	if err != nil {
		return strategy.Activity{}, err
	}
	return storedActivity(stored, ref)
}

func storedActivity(d strategy.Document, ref strategy.ObjectRef) (strategy.Activity, error) {
	obj, _, ok := d.Lookup(ref)
	a, isActivity := obj.(strategy.Activity)
	if !ok || !isActivity {
		return strategy.Activity{}, strategy.Errorf(strategy.CodeNotFound, "Aktiviteten %q finns inte längre.", ref.Key)
	}
	return a, nil
}

// deleteActivity removes the activity whose stored Rev is rev.
func (s *server) deleteActivity(r *http.Request, p planAt, key string, rev int64) error {
	ctx := r.Context()
	if err := s.checkUnlocked(ctx, p.doc.Org, p.plan.Body, p.plan.Year, p.bodies); err != nil {
		return err
	}
	if rev <= 0 {
		return strategy.Errorf(strategy.CodeInvalid, "Ange vilken version (rev) av aktiviteten som ska tas bort.")
	}
	ref := strategy.ActivityRef(p.doc.Key, p.plan.Key, key)
	_, err := s.st.EditDocument(ctx, strategy.Edit{Ref: ref, Rev: rev, Action: strategy.AuditDelete,
		Apply: func(d *strategy.Document) error {
			i := findPlan(d, p.plan.Key)
			if i < 0 {
				return planGone(p.plan.Key)
			}
			plan := &d.ActionPlans[i]
			j := findActivity(plan, key)
			if j < 0 {
				return strategy.Errorf(strategy.CodeNotFound, "Aktiviteten %q finns inte.", key)
			}
			plan.Activities = append(plan.Activities[:j:j], plan.Activities[j+1:]...)
			return nil
		}})
	return err
}

// noteInput is a follow-up note as the note form and the API give it.
type noteInput struct {
	Date strategy.Date `json:"date"`
	Text string        `json:"text"`
}

// checkNote lists what is missing in a note.
func checkNote(n noteInput) inputProblems {
	var ps inputProblems
	if n.Date.IsZero() {
		ps.add("date", "is required", "Ange vilket datum anteckningen gäller.")
	}
	if strings.TrimSpace(n.Text) == "" {
		ps.add("text", "is required", "Skriv anteckningen.")
	}
	return ps
}

// addNote appends a dated follow-up note by the signed-in user to an
// activity of the plan.
func (s *server) addNote(r *http.Request, p planAt, actKey string, n noteInput) (strategy.Note, error) {
	ctx := r.Context()
	if err := s.authorize(r, auth.ActionWrite, noteObject(p.doc, p.plan)); err != nil {
		return strategy.Note{}, err
	}
	if findActivity(&p.plan, actKey) < 0 {
		return strategy.Note{}, strategy.Errorf(strategy.CodeNotFound, "Aktiviteten %q finns inte i planen.", actKey)
	}
	if err := s.checkUnlocked(ctx, p.doc.Org, p.plan.Body, p.plan.Year, p.bodies); err != nil {
		return strategy.Note{}, err
	}
	u := userOf(r)
	return s.st.AddNote(ctx, strategy.ActivityRef(p.doc.Key, p.plan.Key, actKey), strategy.Note{
		Date: n.Date, Text: strings.TrimSpace(n.Text), AuthorID: u.ID, Author: u.Name,
	})
}

// replaceActivities replaces the plan's activities with acts in one edit of
// the plan (an XLSX import). Activities whose key stays keep their notes.
func (s *server) replaceActivities(ctx context.Context, p planAt, acts []strategy.Activity, rev int64) (strategy.ActionPlan, error) {
	if err := s.checkUnlocked(ctx, p.doc.Org, p.plan.Body, p.plan.Year, p.bodies); err != nil {
		return strategy.ActionPlan{}, err
	}
	stored, err := s.st.EditDocument(ctx, strategy.Edit{Ref: planRef(p.doc.Key, p.plan.Key), Rev: rev, Action: strategy.AuditImport,
		Apply: func(d *strategy.Document) error {
			i := findPlan(d, p.plan.Key)
			if i < 0 {
				return planGone(p.plan.Key)
			}
			plan := &d.ActionPlans[i]
			next := make([]strategy.Activity, len(acts))
			for k, a := range acts {
				if j := findActivity(plan, a.Key); j >= 0 {
					a.Notes, a.Rev = plan.Activities[j].Notes, plan.Activities[j].Rev
				} else {
					a.Notes, a.Rev = nil, 0
				}
				next[k] = a
			}
			plan.Activities = next
			return nil
		}})
	if err != nil {
		return strategy.ActionPlan{}, err
	}
	return storedPlan(stored, p.plan.Key)
}
