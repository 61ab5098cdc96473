package auth

import (
	"context"
	"crypto/rand"
	"fmt"
	"strings"

	"github.com/inkludera/inkludera/internal/strategy"
)

// DefaultAdminEmail is the e-mail of the admin EnsureAdmin creates when it
// is given none.
const DefaultAdminEmail = "admin@inkludera.local"

// GeneratePassword makes a password for someone to be given once: 26
// characters of base32 (A–Z, 2–7), 128 random bits. It passes
// CheckNewPassword.
func GeneratePassword() string {
	return rand.Text()
}

// FirstRunUsers is what EnsureAdmin needs of a store; strategy.Store has it.
type FirstRunUsers interface {
	ListUsers(ctx context.Context) ([]strategy.User, error)
	CreateUser(ctx context.Context, u strategy.User, passwordHash string) (strategy.User, error)
}

// EnsureAdmin makes sure a new installation can be signed in to: when the
// store has no user at all, it creates an admin named "Administratör" with
// the e-mail (DefaultAdminEmail when email is "") and a GeneratePassword
// password, and returns that password for the caller to show once, with
// created true. When any user exists, disabled or not, it does nothing and
// returns "", false. Two servers starting at once on one database create
// one admin: the second finds the e-mail taken (CodeConflict) and reports
// nothing created. An e-mail that is not valid is CodeInvalid from the
// store.
func EnsureAdmin(ctx context.Context, users FirstRunUsers, email string) (password string, created bool, err error) {
	list, err := users.ListUsers(ctx)
	if err != nil {
		return "", false, fmt.Errorf("looking for users: %w", err)
	}
	if len(list) > 0 {
		return "", false, nil
	}
	email = strings.TrimSpace(email)
	if email == "" {
		email = DefaultAdminEmail
	}
	password = GeneratePassword()
	hash, err := HashPassword(password)
	if err != nil {
		return "", false, strategy.Internal(err, "hashing the first admin's password")
	}
	u := strategy.User{Email: email, Name: "Administratör", Role: strategy.RoleAdmin}
	if _, err := users.CreateUser(ctx, u, hash); err != nil {
		if strategy.CodeOf(err) == strategy.CodeConflict {
			return "", false, nil
		}
		return "", false, fmt.Errorf("creating the first admin %s: %w", email, err)
	}
	return password, true, nil
}
