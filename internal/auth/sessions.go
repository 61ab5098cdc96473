package auth

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/inkludera/inkludera/internal/strategy"
)

// Session settings: a signed-in session lasts at most SessionLifetime from
// sign-in, and ends after SessionIdleTimeout without a request.
const (
	SessionCookieName  = "inkludera_session"
	SessionLifetime    = 12 * time.Hour
	SessionIdleTimeout = 2 * time.Hour
)

// Keys of the session's values.
const (
	keyUserID     = "user_id"
	keySignedInAt = "signed_in_at"
	keyFlash      = "flash"
	keyPending    = "oidc_pending"
)

// Sessions are the server-side sessions of browsers: a random token (256
// bits) in the session cookie inkludera_session (HttpOnly, SameSite=Lax,
// Path=/, Secure unless the server runs on plain http, no Max-Age), the
// session's data in the store under the SHA-256 of the token (HashToken),
// never the token itself, so that a copy of the database hijacks no
// session. A session ends SessionLifetime after it began or
// SessionIdleTimeout after its last request, whichever comes first.
//
// Every method but Cleanup and Middleware needs a request context that went
// through Middleware; UserID and SignedInAt report nobody without one, the
// others panic, as a request handled outside the middleware is a bug.
type Sessions struct {
	m  *scs.SessionManager
	st strategy.SessionStore
}

// sessionsKey marks a context that went through Middleware.
type sessionsKey struct{ s *Sessions }

// NewSessions returns sessions kept in st. secure sets the cookie's Secure
// attribute: true, except for a development server on plain http, where
// browsers would not send a Secure cookie back.
func NewSessions(st strategy.SessionStore, secure bool) *Sessions {
	m := scs.New()
	m.Store = sessionStore{st}
	m.Codec = tolerantCodec{}
	m.Lifetime = SessionLifetime
	m.IdleTimeout = SessionIdleTimeout
	m.Cookie = scs.SessionCookie{
		Name:     SessionCookieName,
		HttpOnly: true,
		Path:     "/",
		SameSite: http.SameSiteLaxMode,
		Secure:   secure,
		// A session cookie, without Max-Age: closing the browser signs
		// out, which is what a shared computer in a municipal office
		// needs. The server enforces the lifetime and idle timeout.
		Persist: false,
	}
	m.ErrorFunc = func(w http.ResponseWriter, r *http.Request, err error) {
		slog.ErrorContext(r.Context(), "session", "err", err, "path", r.URL.Path)
		http.Error(w, "internt fel", http.StatusInternalServerError)
	}
	return &Sessions{m: m, st: st}
}

// SetErrorHandler replaces what answers a request whose session cannot be
// loaded or saved (the store failed); by default the error is logged and
// the answer is a plain 500 "internt fel". Call it before serving.
func (s *Sessions) SetErrorHandler(f func(w http.ResponseWriter, r *http.Request, err error)) {
	s.m.ErrorFunc = f
}

// Middleware loads the session of a request (a new, empty one when the
// cookie is missing, unknown or expired) and saves it, and sets the cookie,
// when the handler changed it.
func (s *Sessions) Middleware(next http.Handler) http.Handler {
	return s.m.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), sessionsKey{s}, true)))
	}))
}

// loaded reports whether ctx went through s's Middleware.
func (s *Sessions) loaded(ctx context.Context) bool {
	ok, _ := ctx.Value(sessionsKey{s}).(bool)
	return ok
}

var errNoSession = errors.New("auth: no session in the context: the handler is not behind Sessions.Middleware")

// SignIn makes user the session's user. It first gives the session a new
// token (the old one is deleted), so that a token planted in a browser
// before sign-in (session fixation) is worth nothing after. Other values
// of the session (a flash message) are kept. A user without an id is an
// error; a disabled one is CodeForbidden.
func (s *Sessions) SignIn(ctx context.Context, user strategy.User) error {
	if !s.loaded(ctx) {
		return errNoSession
	}
	if user.ID == 0 {
		return errors.New("auth: signing in a user without an id")
	}
	if user.Disabled {
		return strategy.Errorf(strategy.CodeForbidden, "Kontot är avstängt. Kontakta den som administrerar Inkludera.")
	}
	if err := s.m.RenewToken(ctx); err != nil {
		return strategy.Internal(err, "renewing the session token")
	}
	s.m.Put(ctx, keyUserID, user.ID)
	// As Unix milliseconds: gob carries an int64 in the session's value map
	// without a gob.Register of time.Time.
	s.m.Put(ctx, keySignedInAt, time.Now().UnixMilli())
	return nil
}

// UserID returns the id of the session's user, 0 when nobody is signed in
// (or ctx has no session). The caller loads the user and treats a missing
// or disabled one as nobody.
func (s *Sessions) UserID(ctx context.Context) int64 {
	if !s.loaded(ctx) {
		return 0
	}
	return s.m.GetInt64(ctx, keyUserID)
}

// SignedInAt returns when the session's user signed in, the zero time when
// nobody is signed in.
func (s *Sessions) SignedInAt(ctx context.Context) time.Time {
	if !s.loaded(ctx) {
		return time.Time{}
	}
	ms := s.m.GetInt64(ctx, keySignedInAt)
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}

// SignOut ends the session: its data is deleted from the store and the
// browser told to forget the cookie. Whatever the handler puts into the
// session afterwards (a flash message) goes into a new one.
func (s *Sessions) SignOut(ctx context.Context) error {
	if !s.loaded(ctx) {
		return errNoSession
	}
	if err := s.m.Destroy(ctx); err != nil {
		return strategy.Internal(err, "ending the session")
	}
	return nil
}

// PutFlash keeps a message for the next page the browser shows, such as
// "Ändringen är sparad." after a redirect; PopFlash returns it once.
func (s *Sessions) PutFlash(ctx context.Context, message string) {
	s.m.Put(ctx, keyFlash, message)
}

// PopFlash returns the flash message and removes it; "" when there is none.
func (s *Sessions) PopFlash(ctx context.Context) string {
	if !s.loaded(ctx) {
		return ""
	}
	return s.m.PopString(ctx, keyFlash)
}

// PutPendingLogin keeps the OpenID Connect sign-in that OIDC.Begin started
// until the provider sends the browser back.
func (s *Sessions) PutPendingLogin(ctx context.Context, p PendingLogin) {
	b, err := json.Marshal(p)
	if err != nil {
		panic(err) // strings and a time: cannot fail
	}
	s.m.Put(ctx, keyPending, b)
}

// PopPendingLogin returns the pending sign-in and removes it, so that a
// callback can be answered only once; false when there is none.
func (s *Sessions) PopPendingLogin(ctx context.Context) (PendingLogin, bool) {
	if !s.loaded(ctx) {
		return PendingLogin{}, false
	}
	b := s.m.PopBytes(ctx, keyPending)
	var p PendingLogin
	if b == nil || json.Unmarshal(b, &p) != nil || p.State == "" {
		return PendingLogin{}, false
	}
	return p, true
}

// Cleanup deletes expired sessions from the store now and then every
// interval until ctx ends. The store finds no expired session anyway; this
// only reclaims the space. Failures are logged and retried next time.
func (s *Sessions) Cleanup(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if err := s.st.DeleteExpiredSessions(ctx); err != nil && ctx.Err() == nil {
			slog.ErrorContext(ctx, "deleting expired sessions", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// sessionStore adapts a strategy.SessionStore to scs: the id of a session
// in the store is HashToken of its token.
type sessionStore struct {
	st strategy.SessionStore
}

var _ scs.CtxStore = sessionStore{}

func (a sessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	return a.st.FindSession(ctx, HashToken(token))
}

func (a sessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	return a.st.CommitSession(ctx, HashToken(token), b, expiry)
}

func (a sessionStore) DeleteCtx(ctx context.Context, token string) error {
	return a.st.DeleteSession(ctx, HashToken(token))
}

func (a sessionStore) Find(token string) ([]byte, bool, error) {
	return a.FindCtx(context.Background(), token)
}

func (a sessionStore) Commit(token string, b []byte, expiry time.Time) error {
	return a.CommitCtx(context.Background(), token, b, expiry)
}

func (a sessionStore) Delete(token string) error {
	return a.DeleteCtx(context.Background(), token)
}

// tolerantCodec is scs's gob encoding, except that stored data it cannot
// decode (written by another version, or damaged) is an empty session, as
// if there were none, instead of an error that would answer every request
// of that browser with a 500 until the session expired.
type tolerantCodec struct{ scs.GobCodec }

func (c tolerantCodec) Decode(b []byte) (time.Time, map[string]any, error) {
	deadline, values, err := c.GobCodec.Decode(b)
	if err != nil {
		slog.Warn("unreadable session data; starting afresh", "err", err)
		return time.Now().Add(SessionLifetime).UTC(), map[string]any{}, nil
	}
	return deadline, values, nil
}
