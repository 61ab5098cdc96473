package strategy

import (
	"context"
	"fmt"
	"strings"
)

// ObjectKind names the kind of an object that is edited and audited.
type ObjectKind string

// Object kinds. The first group lives in a document's tree and is edited
// through Store.EditDocument; the rest have store methods of their own.
const (
	ObjDocument       ObjectKind = "document"
	ObjArea           ObjectKind = "area"
	ObjGoal           ObjectKind = "goal"
	ObjTarget         ObjectKind = "target"
	ObjCommitment     ObjectKind = "commitment"
	ObjTerm           ObjectKind = "term"
	ObjResponsibility ObjectKind = "responsibility"
	ObjActionPlan     ObjectKind = "action_plan"
	ObjActivity       ObjectKind = "activity"

	ObjNote           ObjectKind = "note"             // Key "plan/activity/id"
	ObjIndicator      ObjectKind = "indicator"        // Key is the indicator key, no Document
	ObjFollowUpPeriod ObjectKind = "follow_up_period" // Key is the period id, no Document
	ObjUser           ObjectKind = "user"             // Key is the user id, no Document
	ObjAPIToken       ObjectKind = "api_token"        // Key is the token id, no Document
	ObjSourceRun      ObjectKind = "source_run"       // Key is the run id: the values a fetch or a file brought
	ObjReport         ObjectKind = "report"           // Key is the approval id: an approved follow-up report
)

// InDocument reports whether objects of the kind live in a document's tree.
func (k ObjectKind) InDocument() bool {
	switch k {
	case ObjDocument, ObjArea, ObjGoal, ObjTarget, ObjCommitment, ObjTerm, ObjResponsibility,
		ObjActionPlan, ObjActivity, ObjNote:
		return true
	}
	return false
}

// ObjectRef names one object. For the kinds of a document's tree, Document
// is the document's key and Key says where in the tree:
//
//   - document: Key ""
//   - area, goal, target, commitment, term, action_plan: the object's key
//   - activity: "plan/activity" (activity keys are unique within a plan)
//   - note: "plan/activity/id"
//   - responsibility: "owner#n", the n-th (from 0) responsibility of the
//     owner: "" for the document itself, "area:KEY" or "goal:KEY"
//
// For the other kinds Document is "" and Key is the object's key or id.
type ObjectRef struct {
	Kind     ObjectKind `json:"kind"`
	Document string     `json:"document,omitempty"`
	Key      string     `json:"key,omitempty"`
}

// String writes the ref as ParseObjectRef reads it: "kind:document/key",
// "kind:document" for a document, "kind:key" outside documents.
func (r ObjectRef) String() string {
	switch {
	case r.Kind == ObjDocument:
		return string(r.Kind) + ":" + r.Document
	case r.Document != "":
		return string(r.Kind) + ":" + r.Document + "/" + r.Key
	}
	return string(r.Kind) + ":" + r.Key
}

// ParseObjectRef reads what ObjectRef.String writes.
func ParseObjectRef(s string) (ObjectRef, error) {
	kind, rest, ok := strings.Cut(s, ":")
	k := ObjectKind(kind)
	if !ok || rest == "" {
		return ObjectRef{}, Errorf(CodeInvalid, "object %q: want kind:document/key, e.g. target:ostersund-integration-2020/utrikes-fodda", s)
	}
	switch {
	case k == ObjDocument:
		return ObjectRef{Kind: k, Document: rest}, nil
	case k.InDocument():
		doc, key, ok := strings.Cut(rest, "/")
		if !ok || doc == "" || (key == "" && k != ObjResponsibility) {
			return ObjectRef{}, Errorf(CodeInvalid, "object %q: want %s:document/key", s, k)
		}
		return ObjectRef{Kind: k, Document: doc, Key: key}, nil
	case k == ObjIndicator || k == ObjFollowUpPeriod || k == ObjUser || k == ObjAPIToken || k == ObjSourceRun || k == ObjReport || k == ObjBarrierReport || k == ObjLibraryDocument:
		return ObjectRef{Kind: k, Key: rest}, nil
	}
	return ObjectRef{}, Errorf(CodeInvalid, "object %q: unknown kind %q", s, kind)
}

// ActivityRef names an activity of a plan of a document.
func ActivityRef(document, plan, activity string) ObjectRef {
	return ObjectRef{Kind: ObjActivity, Document: document, Key: plan + "/" + activity}
}

// ResponsibilityOwner is the owner part of a responsibility's Key: "" for
// the document, "area:KEY" or "goal:KEY".
func ResponsibilityRef(document, owner string, n int) ObjectRef {
	return ObjectRef{Kind: ObjResponsibility, Document: document, Key: fmt.Sprintf("%s#%d", owner, n)}
}

// Edit is one change to a stored document, made through the application
// (a form or the API) rather than by importing a file.
type Edit struct {
	// Ref names the object the edit is about; Ref.Document is the document.
	Ref ObjectRef
	// Rev is the object's Rev the editor started from. 0 creates: the
	// object must not exist yet. Otherwise the stored Rev must be equal, or
	// the edit is refused with CodeConflict and nothing changes.
	Rev int64
	// Org is the organisation of a document being created (Ref.Kind
	// document, Rev 0); ignored otherwise.
	Org string
	// Action is recorded in the audit trail; "" derives it: create when the
	// object did not exist, delete when it no longer does, update otherwise.
	Action AuditAction
	// Apply makes the change on the stored document (a zero Document with
	// Key and Org set when one is being created). Its error is returned as
	// it is and nothing is stored. The result must validate as a whole.
	Apply func(d *Document) error
}

// Lookup finds the object ref names in the document and returns it (a
// copy) with its Rev. found is false when the tree has no such object.
// Ref.Document is not compared with d.Key.
func (d *Document) Lookup(ref ObjectRef) (obj any, rev int64, found bool) {
	switch ref.Kind {
	case ObjDocument:
		head := *d
		head.Areas, head.Terms, head.ActionPlans, head.Responsibilities = nil, nil, nil, nil
		return head, d.Rev, true
	case ObjTerm:
		for _, t := range d.Terms {
			if t.Key == ref.Key {
				return t, t.Rev, true
			}
		}
	case ObjActionPlan:
		for _, p := range d.ActionPlans {
			if p.Key == ref.Key {
				// With its activities (not their notes): an XLSX import
				// edits the plan as a whole.
				plan := p
				plan.Activities = make([]Activity, len(p.Activities))
				for i, a := range p.Activities {
					a.Notes = nil
					plan.Activities[i] = a
				}
				return plan, p.Rev, true
			}
		}
	case ObjActivity, ObjNote:
		plan, rest, _ := strings.Cut(ref.Key, "/")
		act, note, _ := strings.Cut(rest, "/")
		for _, p := range d.ActionPlans {
			if p.Key != plan {
				continue
			}
			for _, a := range p.Activities {
				if a.Key != act {
					continue
				}
				if ref.Kind == ObjActivity {
					return a, a.Rev, true
				}
				for _, n := range a.Notes {
					if fmt.Sprint(n.ID) == note {
						return n, 0, true
					}
				}
			}
		}
	case ObjArea, ObjGoal, ObjTarget, ObjCommitment, ObjResponsibility:
		return d.lookupInAreas(ref)
	}
	return nil, 0, false
}

func (d *Document) lookupInAreas(ref ObjectRef) (any, int64, bool) {
	if ref.Kind == ObjResponsibility {
		owner, n, ok := splitResponsibilityKey(ref.Key)
		if !ok {
			return nil, 0, false
		}
		var list []Responsibility
		switch {
		case owner == "":
			list = d.Responsibilities
		case strings.HasPrefix(owner, "area:"):
			for _, a := range d.Areas {
				if "area:"+a.Key == owner {
					list = a.Responsibilities
				}
			}
		case strings.HasPrefix(owner, "goal:"):
			d.walkGoals(func(g *Goal) {
				if "goal:"+g.Key == owner {
					list = g.Responsibilities
				}
			})
		}
		if n < len(list) {
			return list[n], list[n].Rev, true
		}
		return nil, 0, false
	}
	var (
		obj   any
		rev   int64
		found bool
	)
	for _, a := range d.Areas {
		if ref.Kind == ObjArea && a.Key == ref.Key {
			head := a
			head.Goals, head.Commitments, head.Responsibilities = nil, nil, nil
			return head, a.Rev, true
		}
		if ref.Kind == ObjCommitment {
			for _, c := range a.Commitments {
				if c.Key == ref.Key {
					return c, c.Rev, true
				}
			}
		}
	}
	d.walkGoals(func(g *Goal) {
		switch ref.Kind {
		case ObjGoal:
			if g.Key == ref.Key {
				head := *g
				head.Targets, head.Goals, head.Commitments, head.Responsibilities = nil, nil, nil, nil
				obj, rev, found = head, g.Rev, true
			}
		case ObjTarget:
			for _, t := range g.Targets {
				if t.Key == ref.Key {
					obj, rev, found = t, t.Rev, true
				}
			}
		case ObjCommitment:
			for _, c := range g.Commitments {
				if c.Key == ref.Key {
					obj, rev, found = c, c.Rev, true
				}
			}
		}
	})
	return obj, rev, found
}

// walkGoals calls f for every goal of the document, depth first.
func (d *Document) walkGoals(f func(g *Goal)) {
	var walk func(gs []Goal)
	walk = func(gs []Goal) {
		for i := range gs {
			f(&gs[i])
			walk(gs[i].Goals)
		}
	}
	for i := range d.Areas {
		walk(d.Areas[i].Goals)
	}
}

func splitResponsibilityKey(key string) (owner string, n int, ok bool) {
	i := strings.LastIndexByte(key, '#')
	if i < 0 {
		return "", 0, false
	}
	if _, err := fmt.Sscan(key[i+1:], &n); err != nil || n < 0 {
		return "", 0, false
	}
	return key[:i], n, true
}

// Actor is who makes a change and from where, as the audit trail records
// it. It travels in the context: WithActor at the edge (a web request, a
// CLI command), ActorFrom in the store.
type Actor struct {
	UserID  int64  `json:"user_id,omitempty"` // 0 for the system or the CLI without a user
	Name    string `json:"name"`              // the user's name or e-mail when acting; "system", "cli"
	Address string `json:"address,omitempty"` // the client's IP address, for the web and API
	Via     string `json:"via"`               // "web", "api", "cli", "system"
}

type actorKey struct{}

// WithActor returns a context carrying a.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the context's actor, or the system when none was set.
func ActorFrom(ctx context.Context) Actor {
	if a, ok := ctx.Value(actorKey{}).(Actor); ok {
		return a
	}
	return Actor{Name: "system", Via: "system"}
}
