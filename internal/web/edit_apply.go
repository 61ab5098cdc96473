package web

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/inkludera/inkludera/internal/strategy"
)

// The edits of a document's tree, shared by the forms and the JSON API so
// that the two cannot drift: each handler decodes its input (form values
// or JSON) into a domain value and hands it to one of these, which builds
// the strategy.Edit the store applies. An object's own fields are
// replaced; what hangs below it (an area's goals, a goal's targets …) is
// left as it is, and its key never changes once stored: activities, the
// audit trail and links point at it.

// placement is where a new object goes: under an area or under a goal.
// For a responsibility, neither means the document itself.
type placement struct {
	Area string `json:"area,omitempty"`
	Goal string `json:"goal,omitempty"`
}

// parsePlacement reads "area:KEY" or "goal:KEY" (the forms' "parent"
// values and the ?under= parameter); "" is the zero placement.
func parsePlacement(s string) (placement, bool) {
	switch {
	case s == "":
		return placement{}, true
	case strings.HasPrefix(s, "area:") && len(s) > len("area:"):
		return placement{Area: strings.TrimPrefix(s, "area:")}, true
	case strings.HasPrefix(s, "goal:") && len(s) > len("goal:"):
		return placement{Goal: strings.TrimPrefix(s, "goal:")}, true
	}
	return placement{}, false
}

// String writes the placement as parsePlacement reads it, which is also
// the owner part of a responsibility's ref ("area:KEY").
func (p placement) String() string {
	switch {
	case p.Area != "":
		return "area:" + p.Area
	case p.Goal != "":
		return "goal:" + p.Goal
	}
	return ""
}

// fieldProblem is a validation problem an edit finds itself, in the
// strategy file's vocabulary like the store's.
func fieldProblem(path, en, sv string) strategy.ValidationErrors {
	return strategy.ValidationErrors{{Path: path, Message: en, Svenska: sv}}
}

// setDocumentHead copies a document's own fields from in: everything but
// its key, organisation, status (publishing changes that) and tree.
// Translations are copied only when in has them (an API body that leaves
// "translations" out keeps the stored ones; {} removes them all), as the
// forms of the Swedish fields know nothing of them.
func setDocumentHead(d *strategy.Document, in strategy.Document) {
	d.Kind, d.Title, d.Subtitle = in.Kind, in.Title, in.Subtitle
	d.Identifier, d.CaseNumber, d.Version = in.Identifier, in.CaseNumber, in.Version
	d.Adopted, d.ValidFrom, d.ValidTo = in.Adopted, in.ValidFrom, in.ValidTo
	d.FollowUp, d.Revision = in.FollowUp, in.Revision
	d.Owner, d.Responsible = in.Owner, in.Responsible
	d.Audience, d.Replaces, d.Related = in.Audience, in.Replaces, in.Related
	d.Summary, d.Description, d.Indicators = in.Summary, in.Description, in.Indicators
	if in.Translations != nil {
		d.Translations = in.Translations
	}
}

// documentEdit changes the own fields of the document key, stored at rev.
func documentEdit(key string, rev int64, in strategy.Document) strategy.Edit {
	return strategy.Edit{
		Ref: strategy.ObjectRef{Kind: strategy.ObjDocument, Document: key},
		Rev: rev,
		Apply: func(d *strategy.Document) error {
			setDocumentHead(d, in)
			return nil
		},
	}
}

// newDocumentEdit creates the document in.Key of the organisation org as
// a draft: it becomes public only when published.
func newDocumentEdit(org string, in strategy.Document) strategy.Edit {
	return strategy.Edit{
		Ref: strategy.ObjectRef{Kind: strategy.ObjDocument, Document: in.Key},
		Org: org,
		Apply: func(d *strategy.Document) error {
			setDocumentHead(d, in)
			d.Status = strategy.StatusDraft
			return nil
		},
	}
}

// adoptionProblems lists what a document lacks to be published: the
// decision that adopted it (the body, the date, and its paragraph or
// reference).
func adoptionProblems(d strategy.Document) strategy.ValidationErrors {
	var v strategy.ValidationErrors
	if d.Adopted.By == "" {
		v = append(v, fieldProblem("document.adopted.by", "is required to publish: the body that adopted the document",
			"Ange vilket organ som antog dokumentet innan det publiceras.")...)
	}
	if d.Adopted.On.IsZero() {
		v = append(v, fieldProblem("document.adopted.on", "is required to publish: the date of the decision",
			"Ange beslutsdatum innan dokumentet publiceras.")...)
	}
	if d.Adopted.Paragraph == "" && d.Adopted.Reference == "" {
		v = append(v, fieldProblem("document.adopted.paragraph", "is required to publish: the decision's paragraph or reference",
			"Ange beslutets paragraf eller beslutsreferens innan dokumentet publiceras.")...)
	}
	return v
}

// publishEdit makes the draft document key, stored at rev, adopted. The
// adoption decision must be filled in first.
func publishEdit(key string, rev int64) strategy.Edit {
	return strategy.Edit{
		Ref:    strategy.ObjectRef{Kind: strategy.ObjDocument, Document: key},
		Rev:    rev,
		Action: strategy.AuditPublish,
		Apply: func(d *strategy.Document) error {
			if d.Status != strategy.StatusDraft {
				return strategy.Errorf(strategy.CodeConflict, "Dokumentet är redan publicerat.")
			}
			if v := adoptionProblems(*d); len(v) > 0 {
				return v
			}
			d.Status = strategy.StatusAdopted
			return nil
		},
	}
}

// treeObjectEdit stores obj — a strategy.Area, Goal, Target, Commitment,
// Term or Responsibility — at ref. rev 0 creates it under `under` (an
// area or goal for goals and commitments, a goal for targets, an area, a
// goal or the document for responsibilities); otherwise obj's own fields
// replace the stored object's.
func treeObjectEdit(ref strategy.ObjectRef, rev int64, obj any, under placement) strategy.Edit {
	e := strategy.Edit{Ref: ref, Rev: rev}
	create := rev == 0
	switch in := obj.(type) {
	case strategy.Area:
		e.Apply = func(d *strategy.Document) error {
			if create {
				d.Areas = append(d.Areas, strategy.Area{Key: ref.Key})
			}
			a := findArea(d, ref.Key)
			if a == nil {
				return notInDocument(ref)
			}
			a.Title, a.Description, a.Prioritised, a.Parent, a.Indicators = in.Title, in.Description, in.Prioritised, in.Parent, in.Indicators
			return nil
		}
	case strategy.Goal:
		e.Apply = func(d *strategy.Document) error {
			if create {
				list, err := goalList(d, under)
				if err != nil {
					return err
				}
				*list = append(*list, strategy.Goal{Key: ref.Key})
			}
			g := findGoal(d, ref.Key)
			if g == nil {
				return notInDocument(ref)
			}
			g.Level, g.Title, g.Description = in.Level, in.Title, in.Description
			return nil
		}
	case strategy.Target:
		e.Apply = func(d *strategy.Document) error {
			if create {
				g := findGoal(d, under.Goal)
				if under.Goal == "" || g == nil {
					return placementProblem("a target belongs under a goal of the document",
						"Välj vilket mål målvärdet hör till.")
				}
				g.Targets = append(g.Targets, strategy.Target{Key: ref.Key})
			}
			t := findTarget(d, ref.Key)
			if t == nil {
				return notInDocument(ref)
			}
			key, rev := t.Key, t.Rev
			*t = in
			t.Key, t.Rev = key, rev
			return nil
		}
	case strategy.Commitment:
		e.Apply = func(d *strategy.Document) error {
			if create {
				list, err := commitmentList(d, under)
				if err != nil {
					return err
				}
				*list = append(*list, strategy.Commitment{Key: ref.Key})
			}
			c := findCommitment(d, ref.Key)
			if c == nil {
				return notInDocument(ref)
			}
			c.Text, c.Bodies = in.Text, in.Bodies
			return nil
		}
	case strategy.Term:
		e.Apply = func(d *strategy.Document) error {
			if create {
				d.Terms = append(d.Terms, strategy.Term{Key: ref.Key})
			}
			t := findTerm(d, ref.Key)
			if t == nil {
				return notInDocument(ref)
			}
			t.Term, t.Definition = in.Term, in.Definition
			return nil
		}
	case strategy.Responsibility:
		e.Apply = func(d *strategy.Document) error {
			owner, n, _ := splitResponsibility(ref.Key)
			list := responsibilityList(d, owner)
			if list == nil {
				return placementProblem("no area or goal of the document is "+owner,
					"Välj vad ansvaret gäller: dokumentet, ett område eller ett mål.")
			}
			if create {
				if n != len(*list) {
					// Someone added or removed one since the form was
					// read: the position no longer names a new entry.
					return strategy.Errorf(strategy.CodeConflict, "%s", conflictMessage)
				}
				*list = append(*list, strategy.Responsibility{})
			}
			if n >= len(*list) {
				return notInDocument(ref)
			}
			r := &(*list)[n]
			r.Body, r.Role, r.Duties = in.Body, in.Role, in.Duties
			return nil
		}
	default:
		e.Apply = func(*strategy.Document) error {
			return strategy.Internal(fmt.Errorf("no tree edit for %T", obj), "building an edit")
		}
	}
	return e
}

// deleteEdit removes the object ref names, stored at rev, with everything
// below it.
func deleteEdit(ref strategy.ObjectRef, rev int64) strategy.Edit {
	return strategy.Edit{Ref: ref, Rev: rev, Action: strategy.AuditDelete, Apply: func(d *strategy.Document) error {
		if !removeFromTree(d, ref) {
			return notInDocument(ref)
		}
		return nil
	}}
}

func notInDocument(ref strategy.ObjectRef) error {
	return strategy.Errorf(strategy.CodeNotFound, "Det finns inget %s med nyckeln %q i dokumentet.", objectKindNoun(ref.Kind), ref.Key)
}

func placementProblem(en, sv string) error { return fieldProblem("parent", en, sv) }

// objectKindNoun is the Swedish noun for a kind of tree object, for
// messages ("inget område").
func objectKindNoun(k strategy.ObjectKind) string {
	return label(map[strategy.ObjectKind]string{
		strategy.ObjArea:           "område",
		strategy.ObjGoal:           "mål",
		strategy.ObjTarget:         "målvärde",
		strategy.ObjCommitment:     "åtagande",
		strategy.ObjTerm:           "begrepp",
		strategy.ObjResponsibility: "ansvar",
	}, k)
}

// splitResponsibility reads a responsibility's key "owner#n".
func splitResponsibility(key string) (owner string, n int, ok bool) {
	i := strings.LastIndexByte(key, '#')
	if i < 0 {
		return "", 0, false
	}
	digits := key[i+1:]
	n, err := strconv.Atoi(digits)
	if err != nil || n < 0 || digits != strconv.Itoa(n) {
		return "", 0, false
	}
	return key[:i], n, true
}

func findArea(d *strategy.Document, key string) *strategy.Area {
	for i := range d.Areas {
		if d.Areas[i].Key == key {
			return &d.Areas[i]
		}
	}
	return nil
}

// eachGoal calls f with every goal of the document, depth first, until f
// returns true.
func eachGoal(d *strategy.Document, f func(g *strategy.Goal) bool) bool {
	var walk func(gs []strategy.Goal) bool
	walk = func(gs []strategy.Goal) bool {
		for i := range gs {
			if f(&gs[i]) || walk(gs[i].Goals) {
				return true
			}
		}
		return false
	}
	for i := range d.Areas {
		if walk(d.Areas[i].Goals) {
			return true
		}
	}
	return false
}

func findGoal(d *strategy.Document, key string) *strategy.Goal {
	var found *strategy.Goal
	eachGoal(d, func(g *strategy.Goal) bool {
		if g.Key == key {
			found = g
		}
		return found != nil
	})
	return found
}

func findTarget(d *strategy.Document, key string) *strategy.Target {
	var found *strategy.Target
	eachGoal(d, func(g *strategy.Goal) bool {
		for i := range g.Targets {
			if g.Targets[i].Key == key {
				found = &g.Targets[i]
			}
		}
		return found != nil
	})
	return found
}

func findCommitment(d *strategy.Document, key string) *strategy.Commitment {
	in := func(cs []strategy.Commitment) *strategy.Commitment {
		for i := range cs {
			if cs[i].Key == key {
				return &cs[i]
			}
		}
		return nil
	}
	for i := range d.Areas {
		if c := in(d.Areas[i].Commitments); c != nil {
			return c
		}
	}
	var found *strategy.Commitment
	eachGoal(d, func(g *strategy.Goal) bool {
		found = in(g.Commitments)
		return found != nil
	})
	return found
}

func findTerm(d *strategy.Document, key string) *strategy.Term {
	for i := range d.Terms {
		if d.Terms[i].Key == key {
			return &d.Terms[i]
		}
	}
	return nil
}

// goalList is the list a new goal goes into: an area's long-term goals or
// a goal's sub-goals.
func goalList(d *strategy.Document, under placement) (*[]strategy.Goal, error) {
	if a := findArea(d, under.Area); under.Area != "" && a != nil {
		return &a.Goals, nil
	}
	if g := findGoal(d, under.Goal); under.Goal != "" && g != nil {
		return &g.Goals, nil
	}
	return nil, placementProblem("a goal belongs under an area or another goal of the document",
		"Välj vilket område eller mål det nya målet hör till.")
}

// commitmentList is the list a new commitment goes into.
func commitmentList(d *strategy.Document, under placement) (*[]strategy.Commitment, error) {
	if a := findArea(d, under.Area); under.Area != "" && a != nil {
		return &a.Commitments, nil
	}
	if g := findGoal(d, under.Goal); under.Goal != "" && g != nil {
		return &g.Commitments, nil
	}
	return nil, placementProblem("a commitment belongs under an area or a goal of the document",
		"Välj vilket område eller mål åtagandet hör till.")
}

// responsibilityList is the responsibilities of the owner ("" for the
// document, "area:KEY", "goal:KEY"); nil when there is no such owner.
func responsibilityList(d *strategy.Document, owner string) *[]strategy.Responsibility {
	p, ok := parsePlacement(owner)
	switch {
	case !ok:
		return nil
	case p.Area != "":
		if a := findArea(d, p.Area); a != nil {
			return &a.Responsibilities
		}
		return nil
	case p.Goal != "":
		if g := findGoal(d, p.Goal); g != nil {
			return &g.Responsibilities
		}
		return nil
	}
	return &d.Responsibilities
}

// removeFromTree deletes the object ref names; false when it is not there.
func removeFromTree(d *strategy.Document, ref strategy.ObjectRef) bool {
	key := ref.Key
	switch ref.Kind {
	case strategy.ObjArea:
		return deleteByKey(&d.Areas, func(a strategy.Area) bool { return a.Key == key })
	case strategy.ObjTerm:
		return deleteByKey(&d.Terms, func(t strategy.Term) bool { return t.Key == key })
	case strategy.ObjGoal:
		for i := range d.Areas {
			if deleteByKey(&d.Areas[i].Goals, func(g strategy.Goal) bool { return g.Key == key }) {
				return true
			}
		}
		return eachGoal(d, func(g *strategy.Goal) bool {
			return deleteByKey(&g.Goals, func(g strategy.Goal) bool { return g.Key == key })
		})
	case strategy.ObjTarget:
		return eachGoal(d, func(g *strategy.Goal) bool {
			return deleteByKey(&g.Targets, func(t strategy.Target) bool { return t.Key == key })
		})
	case strategy.ObjCommitment:
		match := func(c strategy.Commitment) bool { return c.Key == key }
		for i := range d.Areas {
			if deleteByKey(&d.Areas[i].Commitments, match) {
				return true
			}
		}
		return eachGoal(d, func(g *strategy.Goal) bool { return deleteByKey(&g.Commitments, match) })
	case strategy.ObjResponsibility:
		owner, n, ok := splitResponsibility(key)
		list := responsibilityList(d, owner)
		if !ok || list == nil || n >= len(*list) {
			return false
		}
		*list = slices.Delete(*list, n, n+1)
		return true
	}
	return false
}

// deleteByKey removes the first element of *list that match accepts.
func deleteByKey[T any](list *[]T, match func(T) bool) bool {
	i := slices.IndexFunc(*list, match)
	if i < 0 {
		return false
	}
	*list = slices.Delete(*list, i, i+1)
	return true
}

// indicatorEdit changes an indicator's fields, all but its key.
func indicatorEdit(in strategy.Indicator) func(*strategy.Indicator) error {
	return func(ind *strategy.Indicator) error {
		key, rev, translations := ind.Key, ind.Rev, ind.Translations
		*ind = in
		ind.Key, ind.Rev = key, rev
		if in.Translations == nil { // as setDocumentHead: left out keeps them
			ind.Translations = translations
		}
		return nil
	}
}
