package auth

import (
	"context"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"

	"github.com/inkludera/inkludera/internal/strategy"
)

// Users is what Authenticate needs of a store; strategy.Store has it.
type Users interface {
	UserByEmail(ctx context.Context, email string) (strategy.User, error)
	PasswordHash(ctx context.Context, id int64) (string, error)
	SetPasswordHash(ctx context.Context, id int64, hash string) error
}

// signInFailed is the one message of a failed sign-in, the same whether the
// e-mail is unknown or the password wrong, so that it tells nobody which
// addresses have accounts.
const signInFailed = "Fel e-postadress eller lösenord."

// ThrottledError is the error of a sign-in refused by the Throttle. Its
// code (through errors.As to *strategy.Error) is CodeUnauthorized; the web
// layer can also answer 429 with Retry-After.
type ThrottledError struct {
	RetryAfter time.Duration
}

func (e *ThrottledError) Error() string { return e.Unwrap().Error() }

// Unwrap gives the *strategy.Error that users see.
func (e *ThrottledError) Unwrap() error {
	minutes := int(math.Ceil(e.RetryAfter.Minutes()))
	return strategy.Errorf(strategy.CodeUnauthorized,
		"För många misslyckade inloggningar. Försök igen om %d %s.", minutes, plural(minutes, "minut", "minuter"))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// dummyHash is what a password is checked against when there is no user
// (or no local password), so that a sign-in takes as long whether or not
// the e-mail has an account.
var dummyHash = sync.OnceValue(func() string {
	h, err := HashPassword("inte ett lösenord som någon har")
	if err != nil {
		panic(err)
	}
	return h
})

// Authenticate signs a user in with e-mail and password from the remote
// address addr (http.Request.RemoteAddr). Errors:
//   - a *ThrottledError (CodeUnauthorized) when the throttle refuses the
//     account or the address; no password is checked then;
//   - CodeUnauthorized with the same message when the e-mail has no
//     account, the account has no local password, or the password is
//     wrong; all three spend one password hash, and count as failures;
//   - CodeForbidden when the password is right but the account disabled;
//   - CodeInternal when the store fails or a stored hash is unreadable.
//
// On success a hash made with parameters other than DefaultParams is
// replaced; if storing it fails the old one still works, so the sign-in
// goes ahead and the next one tries again. throttle may be nil (no
// limits), for tools that run locally.
func Authenticate(ctx context.Context, users Users, throttle *Throttle, email, password, addr string) (strategy.User, error) {
	email = strings.TrimSpace(email)
	if throttle != nil {
		if ok, wait := throttle.Allow(email, addr); !ok {
			return strategy.User{}, &ThrottledError{RetryAfter: wait}
		}
	}
	fail := func() (strategy.User, error) {
		if throttle != nil {
			throttle.Failure(email, addr)
		}
		return strategy.User{}, strategy.Errorf(strategy.CodeUnauthorized, signInFailed)
	}

	u, err := users.UserByEmail(ctx, email)
	hash := ""
	switch {
	case strategy.CodeOf(err) == strategy.CodeNotFound:
	case err != nil:
		return strategy.User{}, fmt.Errorf("signing in: %w", err)
	default:
		if hash, err = users.PasswordHash(ctx, u.ID); err != nil {
			return strategy.User{}, fmt.Errorf("signing in: %w", err)
		}
	}
	if hash == "" {
		// Spend the time a real check takes, then fail.
		_, _ = CheckPassword(dummyHash(), password)
		return fail()
	}
	ok, err := CheckPassword(hash, password)
	if err != nil {
		return strategy.User{}, strategy.Internal(err, fmt.Sprintf("checking the password of user %d", u.ID))
	}
	if !ok {
		return fail()
	}
	if u.Disabled {
		// Only someone who knows the password learns that the account is
		// disabled; it is not a failure to count.
		return strategy.User{}, strategy.Errorf(strategy.CodeForbidden,
			"Kontot är avstängt. Kontakta den som administrerar Inkludera.")
	}
	if throttle != nil {
		throttle.Success(email, addr)
	}
	if NeedsRehash(hash) {
		if newHash, err := HashPassword(password); err == nil {
			_ = users.SetPasswordHash(ctx, u.ID, newHash) // see the doc comment
		}
	}
	return u, nil
}
