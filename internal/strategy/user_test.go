package strategy

import (
	"errors"
	"strings"
	"testing"
)

func TestUserValidate(t *testing.T) {
	tests := []struct {
		name string
		u    User
		want []string // "path: part of the message"; none = valid
	}{
		{"admin", User{Email: "ada@kommun.se", Name: "Ada", Role: RoleAdmin}, nil},
		{"samordnare", User{Email: "sam@ostersund.se", Name: "Sam", Role: RoleCoordinator, Org: "2380"}, nil},
		{"läsare of a region", User{Email: "l@regionjh.se", Name: "L", Role: RoleReader, Org: "23"}, nil},
		{"nämndredaktör", User{Email: "eva@ostersund.se", Name: "Eva", Role: RoleEditor, Org: "2380", Body: "amn"}, nil},
		{"OpenID Connect account", User{Email: "x@kommun.se", Name: "X", Role: RoleAdmin, Issuer: "https://idp", Subject: "abc"}, nil},
		{"plus and subdomain", User{Email: "anna.andersson+inkludera@socialtjanst.ostersund.se", Name: "A", Role: RoleAdmin}, nil},

		{"nothing", User{}, []string{"email: is required", "name: is required", "role: must be"}},
		{"blank name", User{Email: "a@b.se", Name: "  ", Role: RoleAdmin}, []string{"name: is required"}},
		{"display-name form", User{Email: "Ada <ada@kommun.se>", Name: "A", Role: RoleAdmin}, []string{"email: is not an e-mail address"}},
		{"no at", User{Email: "ada.kommun.se", Name: "A", Role: RoleAdmin}, []string{"email: is not an e-mail address"}},
		{"space", User{Email: "ada @kommun.se", Name: "A", Role: RoleAdmin}, []string{"email: is not an e-mail address"}},
		{"undotted domain", User{Email: "ada@localhost", Name: "A", Role: RoleAdmin}, []string{"email: ", "needs a dot"}},
		{"too long", User{Email: strings.Repeat("a", 250) + "@b.se", Name: "A", Role: RoleAdmin}, []string{"email: is longer"}},
		{"unknown role", User{Email: "a@b.se", Name: "A", Role: "superuser"}, []string{`role: must be admin, samordnare, namndredaktor or lasare, got "superuser"`}},
		{"admin with organisation and body", User{Email: "a@b.se", Name: "A", Role: RoleAdmin, Org: "2380", Body: "ks"},
			[]string{"org: an admin is not tied", "body: an admin is not tied"}},
		{"samordnare without organisation", User{Email: "a@b.se", Name: "A", Role: RoleCoordinator}, []string{"org: a samordnare needs"}},
		{"läsare with a Kolada code", User{Email: "a@b.se", Name: "A", Role: RoleReader, Org: "0023"}, []string{`org: "0023" is not`}},
		{"samordnare with a body", User{Email: "a@b.se", Name: "A", Role: RoleCoordinator, Org: "2380", Body: "ks"}, []string{"body: only a namndredaktor"}},
		{"nämndredaktör without body", User{Email: "a@b.se", Name: "A", Role: RoleEditor, Org: "2380"}, []string{"body: a namndredaktor needs"}},
		{"nämndredaktör without organisation", User{Email: "a@b.se", Name: "A", Role: RoleEditor, Body: "ks"}, []string{"org: a namndredaktor needs"}},
		{"body not a key", User{Email: "a@b.se", Name: "A", Role: RoleEditor, Org: "2380", Body: "KS"}, []string{"body: ", "lower case"}},
		{"subject without issuer", User{Email: "a@b.se", Name: "A", Role: RoleAdmin, Subject: "abc"}, []string{"issuer: is required"}},
		{"issuer without subject", User{Email: "a@b.se", Name: "A", Role: RoleAdmin, Issuer: "https://idp"}, []string{"subject: is required"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.u.Validate()
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			var v ValidationErrors
			if !errors.As(err, &v) {
				t.Fatalf("Validate() = %v, want ValidationErrors", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%v\ndoes not contain %q", err, w)
				}
			}
		})
	}
}

func TestRoles(t *testing.T) {
	for _, r := range Roles() {
		if !r.Valid() {
			t.Errorf("%q is listed but not valid", r)
		}
	}
	if Role("").Valid() || Role("Admin").Valid() {
		t.Error("an empty or differently cased role is valid")
	}
}
