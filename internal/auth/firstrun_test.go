package auth

import (
	"context"
	"errors"
	"testing"

	"github.com/inkludera/inkludera/internal/strategy"
)

func TestEnsureAdmin(t *testing.T) {
	ctx := context.Background()
	users := &memUsers{}
	password, created, err := EnsureAdmin(ctx, users, "")
	if err != nil || !created {
		t.Fatalf("empty store: created %v, %v", created, err)
	}
	list, _ := users.ListUsers(ctx)
	if len(list) != 1 {
		t.Fatalf("%d users", len(list))
	}
	admin := list[0]
	if admin.Email != DefaultAdminEmail || admin.Role != strategy.RoleAdmin || admin.Org != "" || admin.Issuer != "" || admin.Disabled {
		t.Errorf("admin %+v", admin)
	}
	if err := CheckNewPassword(password, admin.Email, admin.Name); err != nil {
		t.Errorf("generated password %q fails the password rules: %v", password, err)
	}
	// The admin signs in with the password printed.
	if u, err := Authenticate(ctx, &hashUsers{users}, nil, DefaultAdminEmail, password, ""); err != nil || u.ID != admin.ID {
		t.Fatalf("signing in with the first password: %v", err)
	}

	// Once anyone exists, nothing happens.
	password, created, err = EnsureAdmin(ctx, users, "other@kommun.se")
	if err != nil || created || password != "" || users.count() != 1 {
		t.Errorf("second run: %q, %v, %v; %d users", password, created, err, users.count())
	}
}

func TestEnsureAdminCases(t *testing.T) {
	ctx := context.Background()
	t.Run("given e-mail", func(t *testing.T) {
		users := &memUsers{}
		if _, created, err := EnsureAdmin(ctx, users, " it@ostersund.se "); err != nil || !created {
			t.Fatal(created, err)
		}
		if u := users.byID(1); u.Email != "it@ostersund.se" {
			t.Errorf("e-mail %q", u.Email)
		}
	})
	t.Run("a disabled user counts", func(t *testing.T) {
		users := &memUsers{}
		users.CreateUser(ctx, strategy.User{Email: "a@b.se", Name: "A", Role: strategy.RoleReader, Org: "2380", Disabled: true}, "")
		if _, created, err := EnsureAdmin(ctx, users, ""); err != nil || created {
			t.Fatal(created, err)
		}
	})
	t.Run("invalid e-mail", func(t *testing.T) {
		users := &memUsers{}
		_, created, err := EnsureAdmin(ctx, users, "inte en adress")
		if created || strategy.CodeOf(err) != strategy.CodeInvalid {
			t.Fatalf("created %v, %v; want invalid", created, err)
		}
	})
	t.Run("another server was first", func(t *testing.T) {
		users := &racingAdmin{memUsers: &memUsers{}}
		password, created, err := EnsureAdmin(ctx, users, "")
		if err != nil || created || password != "" {
			t.Fatalf("%q, %v, %v; want nothing created, no error", password, created, err)
		}
		if users.count() != 1 {
			t.Errorf("%d users", users.count())
		}
	})
	t.Run("store fails", func(t *testing.T) {
		users := &memUsers{listErr: strategy.Internal(errors.New("disk"), "listing")}
		if _, created, err := EnsureAdmin(ctx, users, ""); created || strategy.CodeOf(err) != strategy.CodeInternal {
			t.Fatalf("%v, %v", created, err)
		}
	})
}

func TestGeneratePassword(t *testing.T) {
	a, b := GeneratePassword(), GeneratePassword()
	if a == b || len(a) < MinPasswordLength {
		t.Errorf("%q, %q", a, b)
	}
}

// racingAdmin is a store where another server creates the admin between
// EnsureAdmin's look and its write.
type racingAdmin struct{ *memUsers }

func (r *racingAdmin) CreateUser(ctx context.Context, u strategy.User, hash string) (strategy.User, error) {
	r.memUsers.CreateUser(ctx, u, "someone else's hash")
	return r.memUsers.CreateUser(ctx, u, hash)
}

// hashUsers gives memUsers what Authenticate needs.
type hashUsers struct{ *memUsers }

func (h *hashUsers) UserByEmail(_ context.Context, email string) (strategy.User, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, u := range h.users {
		if u.Email == email {
			return u, nil
		}
	}
	return strategy.User{}, strategy.Errorf(strategy.CodeNotFound, "no user")
}

func (h *hashUsers) PasswordHash(_ context.Context, id int64) (string, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.hashes[id], nil
}

func (h *hashUsers) SetPasswordHash(_ context.Context, id int64, hash string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.hashes[id] = hash
	return nil
}
