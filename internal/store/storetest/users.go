package storetest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/inkludera/inkludera/internal/strategy"
)

// testUsers: users are created, found by id and by e-mail in any case,
// listed by e-mail; a taken e-mail or identity is a conflict; references to
// organisations and bodies are checked; the hash is kept apart from the
// user and can be replaced.
func testUsers(t *testing.T, open func(t *testing.T) strategy.Store) {
	ctx := context.Background()
	s := open(t)
	mustImport(t, s, strategy.Bundle{Organisation: ostersund(), Bodies: ostersundBodies()})

	created := time.Date(2026, 2, 3, 9, 10, 11, 123456000, time.UTC)
	admin := strategy.User{Email: "Admin@Kommun.se", Name: "Ada Admin", Role: strategy.RoleAdmin, CreatedAt: created}
	editor := strategy.User{Email: "eva@ostersund.se", Name: "Eva Redaktör", Role: strategy.RoleEditor, Org: orgCode, Body: "amn",
		Issuer: "https://login.microsoftonline.com/t/v2.0", Subject: "00000000-0000-0000-0000-000000000001", Disabled: true}
	reader := strategy.User{Email: "bo@ostersund.se", Name: "Bo Läsare", Role: strategy.RoleReader, Org: orgCode}

	a, err := s.CreateUser(ctx, admin, "$argon2id$admin")
	if err != nil {
		t.Fatal(err)
	}
	if a.ID == 0 {
		t.Fatalf("created user has no id: %+v", a)
	}
	admin.ID = a.ID
	same(t, "created admin", a, admin)

	before := time.Now().Add(-time.Second)
	e, err := s.CreateUser(ctx, editor, "")
	if err != nil {
		t.Fatal(err)
	}
	if e.CreatedAt.Before(before) || e.CreatedAt.After(time.Now().Add(time.Second)) || e.CreatedAt.Location() != time.UTC {
		t.Errorf("a zero CreatedAt should become now in UTC, got %v", e.CreatedAt)
	}
	editor.ID, editor.CreatedAt = e.ID, e.CreatedAt
	r, err := s.CreateUser(ctx, reader, "$argon2id$reader")
	if err != nil {
		t.Fatal(err)
	}
	reader.ID, reader.CreatedAt = r.ID, r.CreatedAt

	for _, email := range []string{"Admin@Kommun.se", "admin@kommun.se", "ADMIN@KOMMUN.SE"} {
		got, err := s.UserByEmail(ctx, email)
		if err != nil {
			t.Fatalf("UserByEmail(%q): %v", email, err)
		}
		same(t, "user by e-mail "+email, got, admin)
	}
	got, err := s.UserByID(ctx, editor.ID)
	if err != nil {
		t.Fatal(err)
	}
	same(t, "user by id", got, editor)

	list, err := s.ListUsers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	same(t, "users by e-mail", list, []strategy.User{admin, reader, editor})

	// The hash is stored as given, "" for an account without a password.
	for _, c := range []struct {
		id   int64
		want string
	}{{admin.ID, "$argon2id$admin"}, {editor.ID, ""}, {reader.ID, "$argon2id$reader"}} {
		if h, err := s.PasswordHash(ctx, c.id); err != nil || h != c.want {
			t.Errorf("PasswordHash(%d) = %q, %v; want %q", c.id, h, err, c.want)
		}
	}
	if err := s.SetPasswordHash(ctx, reader.ID, "$argon2id$new"); err != nil {
		t.Fatal(err)
	}
	if h, _ := s.PasswordHash(ctx, reader.ID); h != "$argon2id$new" {
		t.Errorf("after SetPasswordHash: %q", h)
	}
	if h, _ := s.PasswordHash(ctx, admin.ID); h != "$argon2id$admin" {
		t.Errorf("SetPasswordHash changed another user's hash: %q", h)
	}
	// Setting the same hash again is not "not found".
	if err := s.SetPasswordHash(ctx, reader.ID, "$argon2id$new"); err != nil {
		t.Errorf("setting an unchanged hash: %v", err)
	}

	t.Run("not found", func(t *testing.T) {
		_, err := s.UserByEmail(ctx, "nobody@kommun.se")
		wantCode(t, err, strategy.CodeNotFound, "nobody@kommun.se")
		_, err = s.UserByID(ctx, 9999)
		wantCode(t, err, strategy.CodeNotFound)
		_, err = s.PasswordHash(ctx, 9999)
		wantCode(t, err, strategy.CodeNotFound)
		wantCode(t, s.SetPasswordHash(ctx, 9999, "x"), strategy.CodeNotFound)
	})

	t.Run("refused", func(t *testing.T) {
		tests := []struct {
			name  string
			u     strategy.User
			code  strategy.ErrorCode
			field string // path of the ValidationError, for CodeInvalid
		}{
			{"e-mail taken in another case", strategy.User{Email: "ADMIN@kommun.SE", Name: "X", Role: strategy.RoleAdmin}, strategy.CodeConflict, ""},
			{"identity taken", strategy.User{Email: "other@ostersund.se", Name: "X", Role: strategy.RoleReader, Org: orgCode,
				Issuer: editor.Issuer, Subject: editor.Subject}, strategy.CodeConflict, ""},
			{"not valid", strategy.User{Email: "not an address", Name: "X", Role: strategy.RoleAdmin}, strategy.CodeInvalid, "email"},
			{"unknown organisation", strategy.User{Email: "x@y.se", Name: "X", Role: strategy.RoleCoordinator, Org: "2313"}, strategy.CodeInvalid, "org"},
			{"unknown body", strategy.User{Email: "x@y.se", Name: "X", Role: strategy.RoleEditor, Org: orgCode, Body: "bun"}, strategy.CodeInvalid, "body"},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				_, err := s.CreateUser(ctx, tc.u, "h")
				wantCode(t, err, tc.code)
				if tc.field != "" {
					var v strategy.ValidationErrors
					if !errors.As(err, &v) || len(v) != 1 || v[0].Path != tc.field {
						t.Errorf("want one problem with %s, got %v", tc.field, err)
					}
				}
			})
		}
		list, err := s.ListUsers(ctx)
		if err != nil || len(list) != 3 {
			t.Errorf("refused users were stored: %v %v", list, err)
		}
	})

	t.Run("same e-mail at once", func(t *testing.T) {
		// However the calls interleave, one wins and the rest conflict.
		const n = 8
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Go(func() {
				u := strategy.User{Email: fmt.Sprintf("Race@%s.se", []string{"kommun", "KOMMUN"}[i%2]), Name: "R", Role: strategy.RoleAdmin}
				_, errs[i] = s.CreateUser(ctx, u, "")
			})
		}
		wg.Wait()
		var ok int
		for _, err := range errs {
			switch strategy.CodeOf(err) {
			case "":
				ok++
			case strategy.CodeConflict:
			default:
				t.Errorf("unexpected error: %v", err)
			}
		}
		if ok != 1 {
			t.Errorf("%d of %d concurrent creations succeeded, want 1", ok, n)
		}
	})
}

// testUserChanges: accounts are found by identity, updated with the same
// checks as when created, and every change is audited without the hash.
func testUserChanges(t *testing.T, open func(t *testing.T) strategy.Store) {
	s := open(t)
	admin := strategy.Actor{UserID: 1, Name: "Ada Admin", Address: "192.0.2.9", Via: "web"}
	ctx := strategy.WithActor(context.Background(), admin)
	mustImport(t, s, strategy.Bundle{Organisation: ostersund(), Bodies: ostersundBodies()})
	issuer := "https://login.microsoftonline.com/t/v2.0"
	oidc, err := s.CreateUser(ctx, strategy.User{Email: "eva@ostersund.se", Name: "Eva", Role: strategy.RoleEditor, Org: orgCode,
		Body: "amn", Issuer: issuer, Subject: "sub-1"}, "")
	if err != nil {
		t.Fatal(err)
	}
	local, err := s.CreateUser(ctx, strategy.User{Email: "bo@ostersund.se", Name: "Bo", Role: strategy.RoleReader, Org: orgCode},
		"$argon2id$secret-hash")
	if err != nil {
		t.Fatal(err)
	}
	e := checkEntry(t, s, strategy.ObjectRef{Kind: strategy.ObjUser, Key: fmt.Sprint(local.ID)}, strategy.AuditCreate, admin, "", nil, local)
	if strings.Contains(string(e.After), "secret-hash") {
		t.Errorf("the audit trail has the password hash: %s", e.After)
	}

	t.Run("by identity", func(t *testing.T) {
		got, err := s.UserByIdentity(ctx, issuer, "sub-1")
		if err != nil {
			t.Fatal(err)
		}
		same(t, "user by identity", got, oidc)
		_, err = s.UserByIdentity(ctx, issuer, "sub-2")
		wantCode(t, err, strategy.CodeNotFound)
		_, err = s.UserByIdentity(ctx, "https://other.example", "sub-1")
		wantCode(t, err, strategy.CodeNotFound)
		// Local accounts have no identity, even though they store none.
		_, err = s.UserByIdentity(ctx, "", "")
		wantCode(t, err, strategy.CodeNotFound)
	})

	t.Run("update", func(t *testing.T) {
		u := local
		u.Email, u.Name, u.Role, u.Disabled = "Bo.Berg@Ostersund.se", "Bo Berg", strategy.RoleCoordinator, true
		// What UpdateUser does not change, whatever u says.
		u.Issuer, u.Subject, u.CreatedAt = issuer, "sub-9", u.CreatedAt.Add(time.Hour)
		got, err := s.UpdateUser(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		want := local
		want.Email, want.Name, want.Role, want.Disabled = "Bo.Berg@Ostersund.se", "Bo Berg", strategy.RoleCoordinator, true
		same(t, "updated user", got, want)
		stored, err := s.UserByID(ctx, local.ID)
		if err != nil {
			t.Fatal(err)
		}
		same(t, "stored user", stored, want)
		checkEntry(t, s, strategy.ObjectRef{Kind: strategy.ObjUser, Key: fmt.Sprint(local.ID)}, strategy.AuditUpdate, admin, "", local, want)
		if h, _ := s.PasswordHash(ctx, local.ID); h != "$argon2id$secret-hash" {
			t.Errorf("UpdateUser changed the hash: %q", h)
		}
		local = want

		// Unchanged: not written, not recorded.
		prev := state(t, s)
		if got, err := s.UpdateUser(ctx, local); err != nil || got != local {
			t.Errorf("unchanged update: %+v, %v", got, err)
		}
		same(t, "store after an unchanged update", state(t, s), prev)
		// One's own e-mail in another case is not taken.
		u = local
		u.Email = "bo.berg@ostersund.se"
		if _, err := s.UpdateUser(ctx, u); err != nil {
			t.Errorf("changing the case of one's own e-mail: %v", err)
		}
	})

	t.Run("refused", func(t *testing.T) {
		tests := []struct {
			name  string
			edit  func(u *strategy.User)
			code  strategy.ErrorCode
			field string
		}{
			{"e-mail of another user", func(u *strategy.User) { u.Email = "EVA@ostersund.se" }, strategy.CodeConflict, ""},
			{"not valid", func(u *strategy.User) { u.Role = strategy.RoleEditor }, strategy.CodeInvalid, "body"},
			{"unknown body", func(u *strategy.User) { u.Role, u.Body = strategy.RoleEditor, "bun" }, strategy.CodeInvalid, "body"},
			{"unknown organisation", func(u *strategy.User) { u.Org = "2313" }, strategy.CodeInvalid, "org"},
			{"unknown user", func(u *strategy.User) { u.ID = 9999 }, strategy.CodeNotFound, ""},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				u, err := s.UserByID(ctx, local.ID)
				if err != nil {
					t.Fatal(err)
				}
				tc.edit(&u)
				prev := state(t, s)
				_, err = s.UpdateUser(ctx, u)
				if tc.field != "" {
					wantPaths(t, err, tc.field)
				} else {
					wantCode(t, err, tc.code)
				}
				same(t, "store after a refused update", state(t, s), prev)
			})
		}
	})

	t.Run("password changes are audited without the hash", func(t *testing.T) {
		ref := strategy.ObjectRef{Kind: strategy.ObjUser, Key: fmt.Sprint(oidc.ID)}
		if err := s.SetPasswordHash(ctx, oidc.ID, "$argon2id$first"); err != nil {
			t.Fatal(err)
		}
		checkEntry(t, s, ref, strategy.AuditUpdate, admin, "", map[string]string{"password": "removed"}, map[string]string{"password": "set"})
		if err := s.SetPasswordHash(ctx, oidc.ID, "$argon2id$second"); err != nil {
			t.Fatal(err)
		}
		checkEntry(t, s, ref, strategy.AuditUpdate, admin, "", map[string]string{"password": "set"}, map[string]string{"password": "set"})
		if err := s.SetPasswordHash(ctx, oidc.ID, ""); err != nil {
			t.Fatal(err)
		}
		checkEntry(t, s, ref, strategy.AuditUpdate, admin, "", map[string]string{"password": "set"}, map[string]string{"password": "removed"})
		all, err := s.Audit(ctx, strategy.AuditFilter{Kind: strategy.ObjUser})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range all {
			if strings.Contains(string(e.Before)+string(e.After), "argon2id") {
				t.Errorf("entry %d has a hash: %s / %s", e.ID, e.Before, e.After)
			}
		}
	})
}
