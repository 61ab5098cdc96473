package auth

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/inkludera/inkludera/internal/strategy"
)

// sessionApp is a small application behind Sessions.Middleware whose
// routes call each method.
func sessionApp(t *testing.T, s *Sessions) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /signin/{id}", func(w http.ResponseWriter, r *http.Request) {
		var id int64
		fmt.Sscan(r.PathValue("id"), &id)
		if err := s.SignIn(r.Context(), strategy.User{ID: id, Role: strategy.RoleAdmin}); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	})
	mux.HandleFunc("GET /whoami", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "%d", s.UserID(r.Context()))
	})
	mux.HandleFunc("GET /since", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, s.SignedInAt(r.Context()).Format(time.RFC3339Nano))
	})
	mux.HandleFunc("POST /signout", func(w http.ResponseWriter, r *http.Request) {
		if err := s.SignOut(r.Context()); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		if r.FormValue("quiet") == "" {
			s.PutFlash(r.Context(), "Du är utloggad.")
		}
	})
	mux.HandleFunc("POST /flash", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		s.PutFlash(r.Context(), string(b))
	})
	mux.HandleFunc("GET /flash", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, s.PopFlash(r.Context()))
	})
	mux.HandleFunc("POST /pending", func(w http.ResponseWriter, r *http.Request) {
		s.PutPendingLogin(r.Context(), testPending)
	})
	mux.HandleFunc("GET /pending", func(w http.ResponseWriter, r *http.Request) {
		p, ok := s.PopPendingLogin(r.Context())
		if ok != (p != PendingLogin{}) {
			t.Errorf("PopPendingLogin = %+v, %v", p, ok)
		}
		if ok && p != testPending {
			t.Errorf("PopPendingLogin = %+v, want %+v", p, testPending)
		}
		fmt.Fprint(w, ok)
	})
	return s.Middleware(mux)
}

var testPending = PendingLogin{State: "state", Nonce: "nonce", Verifier: "verifier",
	Created: time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)}

// browser is a client with its own cookie jar.
type browser struct {
	t      *testing.T
	base   string
	client *http.Client
}

func newBrowser(t *testing.T, srv *httptest.Server) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, base: srv.URL, client: &http.Client{Jar: jar}}
}

func (b *browser) do(method, path, body string) (string, *http.Response) {
	b.t.Helper()
	req, _ := http.NewRequest(method, b.base+path, strings.NewReader(body))
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		b.t.Fatalf("%s %s: %s %s", method, path, resp.Status, out)
	}
	return string(out), resp
}

// token is the browser's session token, "" when it has none.
func (b *browser) token() string {
	req, _ := http.NewRequest("GET", b.base, nil)
	for _, c := range b.client.Jar.Cookies(req.URL) {
		if c.Name == SessionCookieName {
			return c.Value
		}
	}
	return ""
}

func (b *browser) setToken(token string) {
	req, _ := http.NewRequest("GET", b.base, nil)
	b.client.Jar.SetCookies(req.URL, []*http.Cookie{{Name: SessionCookieName, Value: token, Path: "/"}})
}

func TestSessionSignInOut(t *testing.T) {
	st := newMemSessions()
	srv := httptest.NewServer(sessionApp(t, NewSessions(st, false)))
	defer srv.Close()
	b := newBrowser(t, srv)

	if got, _ := b.do("GET", "/whoami", ""); got != "0" {
		t.Fatalf("nobody signed in: user %s", got)
	}
	if b.token() != "" || len(st.snapshot()) != 0 {
		t.Error("a session was stored for a request that put nothing in it")
	}
	// A session before sign-in, as a planted token would be.
	b.do("POST", "/flash", "hej")
	before := b.token()
	if before == "" {
		t.Fatal("no session cookie")
	}

	start := time.Now()
	b.do("POST", "/signin/7", "")
	after := b.token()
	if after == before || after == "" {
		t.Fatal("signing in kept the session token (session fixation)")
	}
	if got, _ := b.do("GET", "/whoami", ""); got != "7" {
		t.Fatalf("after sign-in: user %s", got)
	}
	got, _ := b.do("GET", "/since", "")
	if at, err := time.Parse(time.RFC3339Nano, got); err != nil || at.Before(start.Add(-time.Second)) || at.After(time.Now()) {
		t.Errorf("signed in at %s (%v), want about %v", got, err, start)
	}
	if got, _ := b.do("GET", "/flash", ""); got != "hej" {
		t.Errorf("the flash of before sign-in: %q", got)
	}

	// The store knows sessions by the hash of the token, never the token.
	stored := st.snapshot()
	if _, ok := stored[HashToken(after)]; !ok || len(stored) != 1 {
		t.Fatalf("store ids %v, want only HashToken(%s)", keys(stored), after)
	}
	for id, s := range stored {
		if strings.Contains(id, after) || bytes.Contains(s.data, []byte(after)) {
			t.Error("the token itself is in the store")
		}
		if d := time.Until(s.expiry); d > SessionIdleTimeout || d < SessionIdleTimeout-time.Minute {
			t.Errorf("stored expiry in %v, want the idle timeout %v", d, SessionIdleTimeout)
		}
	}

	// The token from before sign-in is worth nothing now.
	old := newBrowser(t, srv)
	old.setToken(before)
	if got, _ := old.do("GET", "/whoami", ""); got != "0" {
		t.Fatalf("the pre-sign-in token is signed in as %s", got)
	}

	// Signing out deletes the session and clears the cookie; the flash
	// put afterwards goes into a new session.
	_, resp := b.do("POST", "/signout", "")
	if _, ok := st.snapshot()[HashToken(after)]; ok {
		t.Error("the session is still stored after sign-out")
	}
	if got, _ := b.do("GET", "/whoami", ""); got != "0" {
		t.Errorf("after sign-out: user %s", got)
	}
	if got, _ := b.do("GET", "/flash", ""); got != "Du är utloggad." {
		t.Errorf("flash after sign-out %q (Set-Cookie %q)", got, resp.Header.Values("Set-Cookie"))
	}
	stolen := newBrowser(t, srv)
	stolen.setToken(after)
	if got, _ := stolen.do("GET", "/whoami", ""); got != "0" {
		t.Fatalf("a signed-out token is still signed in as %s", got)
	}
}

func keys(m map[string]memSession) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestSessionCookie(t *testing.T) {
	for _, secure := range []bool{true, false} {
		t.Run(fmt.Sprint("secure=", secure), func(t *testing.T) {
			h := sessionApp(t, NewSessions(newMemSessions(), secure))
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest("POST", "/signin/1", nil))
			cookies := rec.Result().Cookies()
			if len(cookies) != 1 {
				t.Fatalf("cookies %v", rec.Header().Values("Set-Cookie"))
			}
			c := cookies[0]
			if c.Name != "inkludera_session" || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Secure != secure {
				t.Errorf("cookie %s", c)
			}
			if c.MaxAge != 0 || !c.Expires.IsZero() {
				t.Errorf("Max-Age %d, Expires %v: want a session cookie, gone when the browser closes", c.MaxAge, c.Expires)
			}
			if len(c.Value) < 40 {
				t.Errorf("token %q is short", c.Value)
			}

			// Signing out tells the browser to forget the cookie.
			req := httptest.NewRequest("POST", "/signout?quiet=1", nil)
			req.AddCookie(c)
			rec = httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			cookies = rec.Result().Cookies()
			if len(cookies) != 1 || cookies[0].Name != SessionCookieName || cookies[0].Value != "" || cookies[0].MaxAge >= 0 {
				t.Errorf("sign-out: Set-Cookie %q, want the cookie deleted", rec.Header().Values("Set-Cookie"))
			}
		})
	}
}

// A session expires SessionLifetime after sign-in even when used all the
// time: the idle timeout renews the expiry, never past the deadline.
func TestSessionLifetime(t *testing.T) {
	st := newMemSessions()
	srv := httptest.NewServer(sessionApp(t, NewSessions(st, false)))
	defer srv.Close()
	b := newBrowser(t, srv)
	b.do("POST", "/signin/3", "")
	id := HashToken(b.token())
	// Pretend the sign-in was 11 h 59 min ago by rewriting the stored
	// deadline: decode, shift, encode with scs's codec.
	var codec tolerantCodec
	s := st.snapshot()[id]
	deadline, values, err := codec.Decode(s.data)
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Until(deadline); d > SessionLifetime || d < SessionLifetime-time.Minute {
		t.Fatalf("deadline in %v, want %v", d, SessionLifetime)
	}
	data, _ := codec.Encode(time.Now().Add(time.Minute), values)
	st.set(id, memSession{data: data, expiry: s.expiry})
	if got, _ := b.do("GET", "/whoami", ""); got != "3" {
		t.Fatalf("user %s", got)
	}
	if d := time.Until(st.snapshot()[id].expiry); d > time.Minute {
		t.Errorf("a request extended the session %v, past its deadline", d)
	}
}

func TestSessionFlashAndPending(t *testing.T) {
	srv := httptest.NewServer(sessionApp(t, NewSessions(newMemSessions(), false)))
	defer srv.Close()
	b := newBrowser(t, srv)
	if got, _ := b.do("GET", "/flash", ""); got != "" {
		t.Errorf("flash %q without one", got)
	}
	b.do("POST", "/flash", "Sparat.")
	if got, _ := b.do("GET", "/flash", ""); got != "Sparat." {
		t.Errorf("flash %q", got)
	}
	if got, _ := b.do("GET", "/flash", ""); got != "" {
		t.Errorf("flash shown twice: %q", got)
	}

	if got, _ := b.do("GET", "/pending", ""); got != "false" {
		t.Error("a pending login without one")
	}
	b.do("POST", "/pending", "")
	if got, _ := b.do("GET", "/pending", ""); got != "true" {
		t.Error("the pending login is lost")
	}
	if got, _ := b.do("GET", "/pending", ""); got != "false" {
		t.Error("a pending login popped twice (a callback could be replayed)")
	}
}

// Outside the middleware, readers see nobody and sign-in fails; a disabled
// user or one without an id is not signed in.
func TestSessionMisuse(t *testing.T) {
	s := NewSessions(newMemSessions(), true)
	ctx := context.Background()
	if s.UserID(ctx) != 0 || !s.SignedInAt(ctx).IsZero() || s.PopFlash(ctx) != "" {
		t.Error("a context without a session has a user or flash")
	}
	if _, ok := s.PopPendingLogin(ctx); ok {
		t.Error("a context without a session has a pending login")
	}
	if err := s.SignIn(ctx, strategy.User{ID: 1}); err == nil {
		t.Error("SignIn without a session succeeded")
	}
	if err := s.SignOut(ctx); err == nil {
		t.Error("SignOut without a session succeeded")
	}
	// Another Sessions' middleware is not this one's.
	other := NewSessions(newMemSessions(), true)
	other.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.UserID(r.Context()) != 0 || s.SignIn(r.Context(), strategy.User{ID: 1}) == nil {
			t.Error("used the session of another Sessions")
		}
	})).ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))

	s.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := s.SignIn(r.Context(), strategy.User{ID: 4, Disabled: true}); strategy.CodeOf(err) != strategy.CodeForbidden {
			t.Errorf("disabled user: %v", err)
		}
		if err := s.SignIn(r.Context(), strategy.User{}); err == nil {
			t.Error("signed in a user without an id")
		}
		if s.UserID(r.Context()) != 0 {
			t.Error("a refused sign-in left a user in the session")
		}
	})).ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
}

// Unreadable stored data is an empty session, not a 500 at every request.
func TestSessionUnreadableData(t *testing.T) {
	st := newMemSessions()
	srv := httptest.NewServer(sessionApp(t, NewSessions(st, false)))
	defer srv.Close()
	b := newBrowser(t, srv)
	b.do("POST", "/signin/5", "")
	id := HashToken(b.token())
	st.set(id, memSession{data: []byte("not gob"), expiry: time.Now().Add(time.Hour)})
	if got, _ := b.do("GET", "/whoami", ""); got != "0" {
		t.Errorf("user %s from unreadable data", got)
	}
}

func TestSessionStoreFailure(t *testing.T) {
	st := newMemSessions()
	s := NewSessions(st, false)
	h := sessionApp(t, s)
	st.setFail(errors.New("database is locked"))
	req := httptest.NewRequest("GET", "/whoami", nil)
	req.AddCookie(&http.Cookie{Name: SessionCookieName, Value: "some-token"})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusInternalServerError || strings.Contains(rec.Body.String(), "locked") {
		t.Errorf("default: %d %q", rec.Code, rec.Body)
	}
	var got error
	s.SetErrorHandler(func(w http.ResponseWriter, r *http.Request, err error) {
		got = err
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusServiceUnavailable || got == nil || !strings.Contains(got.Error(), "locked") {
		t.Errorf("own handler: %d, %v", rec.Code, got)
	}
}

func TestSessionCleanup(t *testing.T) {
	st := newMemSessions()
	st.set("expired", memSession{expiry: time.Now().Add(-time.Second)})
	st.set("live", memSession{expiry: time.Now().Add(time.Hour)})
	s := NewSessions(st, true)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		s.Cleanup(ctx, 5*time.Millisecond)
		close(done)
	}()
	deadline := time.Now().Add(5 * time.Second)
	for st.cleanupCount() < 3 {
		if time.Now().After(deadline) {
			t.Fatalf("%d cleanups in 5 s", st.cleanupCount())
		}
		time.Sleep(time.Millisecond)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Cleanup did not return when its context ended")
	}
	if got := st.snapshot(); len(got) != 1 || got["live"].expiry.IsZero() {
		t.Errorf("left %v, want only the live session", keys(got))
	}
	n := st.cleanupCount()
	time.Sleep(20 * time.Millisecond)
	if st.cleanupCount() != n {
		t.Error("cleanups after the context ended")
	}
}
