package auth

import (
	"fmt"
	"strings"
	"testing"

	"github.com/inkludera/inkludera/internal/strategy"
)

// The role matrix: for every kind of user and kind of object, what each
// may do in six situations. Columns, left to right: the user's own body
// (draft, published), another body of the user's organisation (draft,
// published), another organisation (draft, published); for users without
// a body "own body" is simply their organisation. Letters: r read, w write,
// p publish, o reopen; "-" nothing.
var matrix = map[string]map[Kind]string{
	"public": {
		KindDocument:     "- r - r - r",
		KindActionPlan:   "- r - r - r",
		KindFollowUpNote: "- r - r - r",
		KindFollowUp:     "- r - r - r",
		KindObservations: "- r - r - r",
		KindUser:         "- - - - - -",
		KindAudit:        "- - - - - -",
	},
	"admin": {
		KindDocument:     "rwp rwp rwp rwp rwp rwp",
		KindActionPlan:   "rwp rwp rwp rwp rwp rwp",
		KindFollowUpNote: "rw rw rw rw rw rw",
		KindFollowUp:     "rwpo rwpo rwpo rwpo rwpo rwpo",
		KindObservations: "rw rw rw rw rw rw",
		KindUser:         "rw rw rw rw rw rw",
		KindAudit:        "r r r r r r", // nobody edits the audit trail
	},
	"samordnare": {
		KindDocument:     "rwp rwp rwp rwp - r",
		KindActionPlan:   "rwp rwp rwp rwp - r",
		KindFollowUpNote: "rw rw rw rw - r",
		KindFollowUp:     "rwp rwp rwp rwp - r", // reopening is the admins'
		KindObservations: "rw rw rw rw - r",
		KindUser:         "- - - - - -",
		KindAudit:        "r r r r - -",
	},
	"namndredaktor": {
		KindDocument:     "r r r r - r",
		KindActionPlan:   "rwp rwp r r - r",
		KindFollowUpNote: "rw rw r r - r",
		KindFollowUp:     "r r r r - r",
		KindObservations: "r r r r - r",
		KindUser:         "- - - - - -",
		KindAudit:        "- - - - - -",
	},
	"lasare": {
		KindDocument:     "r r r r - r",
		KindActionPlan:   "r r r r - r",
		KindFollowUpNote: "r r r r - r",
		KindFollowUp:     "r r r r - r",
		KindObservations: "r r r r - r",
		KindUser:         "- - - - - -",
		KindAudit:        "- - - - - -",
	},
}

var actionLetter = map[Action]string{ActionRead: "r", ActionWrite: "w", ActionPublish: "p", ActionReopen: "o"}

const (
	ownOrg    = "2380"
	otherOrg  = "2313"
	ownBody   = "amn"
	otherBody = "ks"
)

// users are the matrix's rows; "public" is nil.
var users = map[string]*strategy.User{
	"public":        nil,
	"admin":         {ID: 1, Email: "ada@kommun.se", Name: "Ada", Role: strategy.RoleAdmin},
	"samordnare":    {ID: 2, Email: "sam@ostersund.se", Name: "Sam", Role: strategy.RoleCoordinator, Org: ownOrg},
	"namndredaktor": {ID: 3, Email: "eva@ostersund.se", Name: "Eva", Role: strategy.RoleEditor, Org: ownOrg, Body: ownBody},
	"lasare":        {ID: 4, Email: "bo@ostersund.se", Name: "Bo", Role: strategy.RoleReader, Org: ownOrg},
}

// situations are the matrix's columns.
var situations = []struct {
	name string
	obj  Object
}{
	{"own body, draft", Object{Org: ownOrg, Body: ownBody}},
	{"own body, published", Object{Org: ownOrg, Body: ownBody, Published: true}},
	{"other body, draft", Object{Org: ownOrg, Body: otherBody}},
	{"other body, published", Object{Org: ownOrg, Body: otherBody, Published: true}},
	// The same body key in another organisation: the organisation decides.
	{"other organisation, draft", Object{Org: otherOrg, Body: ownBody}},
	{"other organisation, published", Object{Org: otherOrg, Body: ownBody, Published: true}},
}

func TestRoleMatrix(t *testing.T) {
	// The matrix covers every role and kind; a new one must be added here.
	if len(matrix) != len(strategy.Roles())+1 {
		t.Fatalf("matrix has %d rows, want every role and the public", len(matrix))
	}
	for _, r := range strategy.Roles() {
		if matrix[string(r)] == nil || users[string(r)] == nil {
			t.Fatalf("role %s is missing from the matrix", r)
		}
	}
	for who, row := range matrix {
		if len(row) != len(Kinds()) {
			t.Fatalf("%s: %d kinds, want %d", who, len(row), len(Kinds()))
		}
		for kind, cells := range row {
			allowed := strings.Fields(cells)
			if len(allowed) != len(situations) {
				t.Fatalf("%s × %s: %d cells, want %d", who, kind, len(allowed), len(situations))
			}
			for i, sit := range situations {
				obj := sit.obj
				obj.Kind = kind
				if kind == KindUser {
					obj.UserID = 99 // somebody else; one's own account is tested below
				}
				for _, a := range Actions() {
					want := strings.Contains(allowed[i], actionLetter[a])
					if got := Can(users[who], a, obj); got != want {
						t.Errorf("%s %s %s (%s): Can = %v, want %v", who, a, kind, sit.name, got, want)
					}
				}
			}
		}
	}
}

// A disabled user, or one with a role we do not know, is the public.
func TestDisabledIsPublic(t *testing.T) {
	for _, name := range []string{"admin", "samordnare", "namndredaktor", "lasare"} {
		for _, variant := range []string{"disabled", "unknown role"} {
			u := *users[name]
			if variant == "disabled" {
				u.Disabled = true
			} else {
				u.Role = "superuser"
			}
			for _, kind := range Kinds() {
				for _, sit := range situations {
					obj := sit.obj
					obj.Kind, obj.UserID = kind, u.ID
					for _, a := range Actions() {
						if got, want := Can(&u, a, obj), Can(nil, a, obj); got != want {
							t.Errorf("%s %s: %s %s (%s) = %v, the public gets %v", variant, name, a, kind, sit.name, got, want)
						}
					}
				}
			}
		}
	}
}

func TestOwnAccount(t *testing.T) {
	for name, u := range users {
		if u == nil {
			if Can(nil, ActionRead, Object{Kind: KindUser}) {
				t.Error("the public reads an account with id 0")
			}
			continue
		}
		self := Object{Kind: KindUser, UserID: u.ID}
		if !Can(u, ActionRead, self) {
			t.Errorf("%s cannot read their own account", name)
		}
		// Changing one's own role or organisation is a write on a user;
		// a changed password goes through its own, authenticated path.
		if want := u.Role == strategy.RoleAdmin; Can(u, ActionWrite, self) != want {
			t.Errorf("%s writes their own account: %v, want %v", name, !want, want)
		}
	}
}

// Users whose role lacks what it needs (they do not validate, but Can must
// not rely on that) get no more than the public.
func TestIncompleteUsers(t *testing.T) {
	tests := []struct {
		name string
		u    strategy.User
		obj  Object
	}{
		{"samordnare without organisation, object without", strategy.User{ID: 7, Role: strategy.RoleCoordinator},
			Object{Kind: KindDocument}},
		{"nämndredaktör without body, plan without", strategy.User{ID: 7, Role: strategy.RoleEditor, Org: ownOrg},
			Object{Kind: KindActionPlan, Org: ownOrg}},
		{"läsare without organisation", strategy.User{ID: 7, Role: strategy.RoleReader}, Object{Kind: KindFollowUpNote}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, a := range []Action{ActionWrite, ActionPublish} {
				if Can(&tc.u, a, tc.obj) {
					t.Errorf("%s allowed", a)
				}
			}
		})
	}
}

func ExampleCan() {
	eva := &strategy.User{ID: 3, Role: strategy.RoleEditor, Org: "2380", Body: "amn"}
	plan := func(body string) Object { return Object{Kind: KindActionPlan, Org: "2380", Body: body} }
	fmt.Println(Can(eva, ActionWrite, plan("amn")), Can(eva, ActionWrite, plan("ks")), Can(eva, ActionRead, plan("ks")))
	fmt.Println(Can(nil, ActionRead, plan("amn")), Can(nil, ActionRead, Object{Kind: KindActionPlan, Org: "2380", Published: true}))
	// Output:
	// true false true
	// false true
}
