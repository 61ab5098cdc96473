package auth

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/inkludera/inkludera/internal/strategy"
)

// fakeUsers is an in-memory Users.
type fakeUsers struct {
	mu     sync.Mutex
	users  []strategy.User
	hashes map[int64]string
	fail   error // returned by UserByEmail when set
}

func (f *fakeUsers) add(u strategy.User, hash string) strategy.User {
	f.mu.Lock()
	defer f.mu.Unlock()
	u.ID = int64(len(f.users) + 1)
	f.users = append(f.users, u)
	if f.hashes == nil {
		f.hashes = map[int64]string{}
	}
	f.hashes[u.ID] = hash
	return u
}

func (f *fakeUsers) UserByEmail(_ context.Context, email string) (strategy.User, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail != nil {
		return strategy.User{}, f.fail
	}
	for _, u := range f.users {
		if strings.EqualFold(u.Email, email) {
			return u, nil
		}
	}
	return strategy.User{}, strategy.Errorf(strategy.CodeNotFound, "no user with e-mail %s", email)
}

func (f *fakeUsers) PasswordHash(_ context.Context, id int64) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.hashes[id], nil
}

func (f *fakeUsers) SetPasswordHash(_ context.Context, id int64, hash string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.hashes[id] = hash
	return nil
}

func (f *fakeUsers) hash(id int64) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.hashes[id]
}

const evasPassword = "korrekt häst batteri häftklammer"

func setup(t *testing.T) (*fakeUsers, strategy.User, *Throttle, *clock) {
	t.Helper()
	users := &fakeUsers{}
	h, err := HashPassword(evasPassword)
	if err != nil {
		t.Fatal(err)
	}
	eva := users.add(strategy.User{Email: "Eva@Ostersund.se", Name: "Eva", Role: strategy.RoleEditor, Org: "2380", Body: "amn"}, h)
	c := newClock()
	return users, eva, NewThrottle(DefaultLimits, c.now), c
}

func TestAuthenticate(t *testing.T) {
	ctx := context.Background()
	users, eva, th, _ := setup(t)
	users.add(strategy.User{Email: "oidc@ostersund.se", Name: "O", Role: strategy.RoleReader, Org: "2380", Issuer: "https://idp", Subject: "1"}, "")
	h, _ := HashPassword("avstängd men rätt lösenord")
	users.add(strategy.User{Email: "gone@ostersund.se", Name: "G", Role: strategy.RoleReader, Org: "2380", Disabled: true}, h)

	tests := []struct {
		name, email, password string
		code                  strategy.ErrorCode // "" = signed in
		says                  string
	}{
		{"right", "eva@ostersund.se", evasPassword, "", ""},
		{"e-mail in another case, spaces around", "  EVA@ostersund.SE ", evasPassword, "", ""},
		{"wrong password", "eva@ostersund.se", "korrekt häst batteri häftklammer!", strategy.CodeUnauthorized, signInFailed},
		{"empty password", "eva@ostersund.se", "", strategy.CodeUnauthorized, signInFailed},
		{"unknown e-mail", "nobody@ostersund.se", evasPassword, strategy.CodeUnauthorized, signInFailed},
		{"no local password", "oidc@ostersund.se", "", strategy.CodeUnauthorized, signInFailed},
		{"disabled, wrong password", "gone@ostersund.se", "fel", strategy.CodeUnauthorized, signInFailed},
		{"disabled, right password", "gone@ostersund.se", "avstängd men rätt lösenord", strategy.CodeForbidden, "avstängt"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			u, err := Authenticate(ctx, users, th, tc.email, tc.password, "192.0.2.1:5000")
			if tc.code == "" {
				if err != nil {
					t.Fatal(err)
				}
				if u.ID != eva.ID {
					t.Errorf("signed in as %+v", u)
				}
				return
			}
			if strategy.CodeOf(err) != tc.code {
				t.Fatalf("error %v (%s), want %s", err, strategy.CodeOf(err), tc.code)
			}
			var e *strategy.Error
			if errors.As(err, &e); !strings.Contains(e.Message, tc.says) {
				t.Errorf("message %q, want %q", e.Message, tc.says)
			}
			if u != (strategy.User{}) {
				t.Errorf("a failed sign-in returned a user: %+v", u)
			}
		})
	}
}

// An unknown e-mail and a wrong password take about as long: both hash.
func TestAuthenticateTiming(t *testing.T) {
	ctx := context.Background()
	users, _, _, _ := setup(t)
	Authenticate(ctx, users, nil, "nobody@x.se", "x", "") // makes the dummy hash
	fastest := func(email string) time.Duration {
		best := time.Duration(1 << 62)
		for range 5 {
			start := time.Now()
			if _, err := Authenticate(ctx, users, nil, email, "fel lösenord", ""); strategy.CodeOf(err) != strategy.CodeUnauthorized {
				t.Fatal(err)
			}
			best = min(best, time.Since(start))
		}
		return best
	}
	unknown, wrong := fastest("nobody@ostersund.se"), fastest("eva@ostersund.se")
	if ratio := float64(unknown) / float64(wrong); ratio < 0.5 || ratio > 2 {
		t.Errorf("unknown e-mail %v, wrong password %v: an observer can tell them apart", unknown, wrong)
	}
}

func TestAuthenticateThrottled(t *testing.T) {
	ctx := context.Background()
	users, eva, th, c := setup(t)
	// Failures at unknown and known accounts count alike.
	for range 5 {
		if _, err := Authenticate(ctx, users, th, "nobody@ostersund.se", "fel", "192.0.2.9"); strategy.CodeOf(err) != strategy.CodeUnauthorized {
			t.Fatal(err)
		}
	}
	for range 4 {
		Authenticate(ctx, users, th, eva.Email, "fel", "192.0.2.9")
	}
	_, err := Authenticate(ctx, users, th, eva.Email, "fel", "192.0.2.9")
	if strategy.CodeOf(err) != strategy.CodeUnauthorized {
		t.Fatal(err)
	}
	for _, email := range []string{"nobody@ostersund.se", eva.Email} {
		// Even the right password is refused while locked, from anywhere.
		_, err = Authenticate(ctx, users, th, email, evasPassword, "198.51.100.1")
		var te *ThrottledError
		if !errors.As(err, &te) || te.RetryAfter != time.Minute || strategy.CodeOf(err) != strategy.CodeUnauthorized {
			t.Fatalf("%s: %v, want throttled for a minute", email, err)
		}
		if !strings.Contains(err.Error(), "Försök igen om 1 minut.") {
			t.Errorf("message %q", err)
		}
	}
	c.advance(time.Minute)
	if _, err := Authenticate(ctx, users, th, eva.Email, evasPassword, "198.51.100.1"); err != nil {
		t.Fatalf("after the lock-out: %v", err)
	}
	// The success cleared Eva's failures: four more do not lock her out.
	for range 4 {
		Authenticate(ctx, users, th, eva.Email, "fel", "198.51.100.2")
	}
	if _, err := Authenticate(ctx, users, th, eva.Email, evasPassword, "198.51.100.3"); err != nil {
		t.Fatal(err)
	}
	if (&ThrottledError{RetryAfter: 150 * time.Second}).Error() != "För många misslyckade inloggningar. Försök igen om 3 minuter." {
		t.Errorf("minutes are rounded up and pluralised: %v", &ThrottledError{RetryAfter: 150 * time.Second})
	}
}

// A hash with old parameters is replaced at sign-in; the new one works.
func TestAuthenticateRehashes(t *testing.T) {
	ctx := context.Background()
	users := &fakeUsers{}
	old := mustHash(t, cheap, evasPassword)
	eva := users.add(strategy.User{Email: "eva@ostersund.se", Name: "Eva", Role: strategy.RoleAdmin}, old)
	if _, err := Authenticate(ctx, users, nil, eva.Email, "fel", ""); err == nil {
		t.Fatal("wrong password accepted")
	}
	if users.hash(eva.ID) != old {
		t.Fatal("a failed sign-in rehashed")
	}
	if _, err := Authenticate(ctx, users, nil, eva.Email, evasPassword, ""); err != nil {
		t.Fatal(err)
	}
	h := users.hash(eva.ID)
	if h == old || NeedsRehash(h) {
		t.Fatalf("hash not replaced with the default parameters: %s", h)
	}
	if ok, _ := CheckPassword(h, evasPassword); !ok {
		t.Fatal("the new hash does not verify")
	}
	if _, err := Authenticate(ctx, users, nil, eva.Email, evasPassword, ""); err != nil || users.hash(eva.ID) != h {
		t.Errorf("a current hash was replaced (%v)", err)
	}
}

func TestAuthenticateStoreFailures(t *testing.T) {
	ctx := context.Background()
	users, eva, th, _ := setup(t)
	users.fail = strategy.Internal(errors.New("disk full"), "reading a user")
	if _, err := Authenticate(ctx, users, th, eva.Email, evasPassword, "192.0.2.1"); strategy.CodeOf(err) != strategy.CodeInternal {
		t.Errorf("store failure: %v, want internal", err)
	}
	users.fail = nil
	users.SetPasswordHash(ctx, eva.ID, "$argon2id$v=19$garbage")
	if _, err := Authenticate(ctx, users, th, eva.Email, evasPassword, "192.0.2.1"); strategy.CodeOf(err) != strategy.CodeInternal {
		t.Errorf("malformed hash: %v, want internal", err)
	}
}
