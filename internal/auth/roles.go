package auth

import "github.com/inkludera/inkludera/internal/strategy"

// Action is what someone wants to do with an Object.
type Action string

const (
	// ActionRead shows the object.
	ActionRead Action = "read"
	// ActionWrite creates, changes or deletes it.
	ActionWrite Action = "write"
	// ActionPublish makes it public or final: a document from draft to
	// adopted, an action plan from utkast to beslutad, a follow-up approved.
	ActionPublish Action = "publish"
	// ActionReopen unlocks a follow-up period that its deadline or approval
	// has locked.
	ActionReopen Action = "reopen"
)

// Actions lists every action, for tests that go through them all.
func Actions() []Action { return []Action{ActionRead, ActionWrite, ActionPublish, ActionReopen} }

// Kind is what sort of thing an Object is.
type Kind string

const (
	// KindDocument is a strategy document with everything in its tree:
	// areas, goals, targets and their indicator mapping, commitments, terms,
	// responsibilities.
	KindDocument Kind = "document"
	// KindActionPlan is a body's action plan and its activities.
	KindActionPlan Kind = "action_plan"
	// KindFollowUpNote is a dated note on an activity of an action plan.
	KindFollowUpNote Kind = "follow_up_note"
	// KindFollowUp is an organisation's reporting period (deadlines per
	// body) and its yearly follow-up report.
	KindFollowUp Kind = "follow_up"
	// KindObservations are an organisation's indicator values and the
	// fetches and files that bring them.
	KindObservations Kind = "observations"
	// KindUser is an account.
	KindUser Kind = "user"
	// KindAudit is the audit trail of an organisation's objects.
	KindAudit Kind = "audit"
)

// Kinds lists every kind, for tests that go through them all.
func Kinds() []Kind {
	return []Kind{KindDocument, KindActionPlan, KindFollowUpNote, KindFollowUp, KindObservations, KindUser, KindAudit}
}

// Object describes what an action touches, as far as permissions go.
type Object struct {
	Kind Kind
	// Org is the code of the organisation the object belongs to.
	Org string
	// Body is the key of the body that owns an action plan or a follow-up
	// note (the plan's body).
	Body string
	// Published is true for what the public may see: an adopted document, a
	// decided action plan and its notes, an approved follow-up, every
	// indicator value.
	Published bool
	// UserID is the account a KindUser object is.
	UserID int64
}

// content kinds belong to an organisation and are published or not.
func content(k Kind) bool {
	switch k {
	case KindDocument, KindActionPlan, KindFollowUpNote, KindFollowUp, KindObservations:
		return true
	}
	return false
}

// applies reports whether an action means anything for a kind. What does
// not apply is refused to everyone, admins too: the audit trail in
// particular cannot be written through the application.
func applies(a Action, k Kind) bool {
	switch a {
	case ActionRead:
		return true
	case ActionWrite:
		return k != KindAudit
	case ActionPublish:
		return k == KindDocument || k == KindActionPlan || k == KindFollowUp
	case ActionReopen:
		return k == KindFollowUp
	}
	return false
}

// Can is the one authorisation decision of Inkludera: whether u may do
// action with obj. A nil u is the public. The rules:
//
//   - nobody does what does not apply to the kind (see applies);
//   - the public, and a disabled user, read published content and nothing
//     else;
//   - an admin does everything else, users included;
//   - a samordnare reads, writes and publishes all content of their
//     organisation and reads its audit trail;
//   - a nämndredaktör writes and publishes their body's action plans, and
//     writes its follow-up notes, in their organisation;
//   - a nämndredaktör and a läsare read all content of their organisation,
//     published or not;
//   - everyone signed in reads their own account; other users are the
//     admins' alone;
//   - and anyone reads what the public may read.
func Can(u *strategy.User, action Action, obj Object) bool {
	if !applies(action, obj.Kind) {
		return false
	}
	public := action == ActionRead && content(obj.Kind) && obj.Published
	if u == nil || u.Disabled || !u.Role.Valid() {
		return public
	}
	if u.Role == strategy.RoleAdmin {
		return true
	}
	if obj.Kind == KindUser {
		return action == ActionRead && obj.UserID != 0 && obj.UserID == u.ID
	}
	ownOrg := u.Org != "" && obj.Org == u.Org
	ownBody := ownOrg && u.Body != "" && obj.Body == u.Body
	switch {
	case public:
		return true
	case !ownOrg:
		return false
	case obj.Kind == KindAudit:
		return u.Role == strategy.RoleCoordinator
	case action == ActionRead:
		return content(obj.Kind)
	case u.Role == strategy.RoleCoordinator:
		return action == ActionWrite || action == ActionPublish
	case u.Role == strategy.RoleEditor && ownBody:
		return obj.Kind == KindActionPlan || (obj.Kind == KindFollowUpNote && action == ActionWrite)
	}
	return false
}
