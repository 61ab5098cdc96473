package storetest

import (
	"context"
	"errors"
	"fmt"
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
