package web

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/inkludera/inkludera/internal/auth"
	"github.com/inkludera/inkludera/internal/strategy"
)

func init() {
	checkedPages["signin"] = frame[signInPage]{}
	checkedPages["account"] = frame[accountPage]{}
	checkedPages["users"] = frame[usersPage]{}
	checkedPages["history"] = frame[historyPage]{}
}

// testPassword is the password setTestPassword gives a test user.
const testPassword = "blåbärssoppa vid vasaloppet"

// setTestPassword gives u the password testPassword in st, so that a test
// can sign u in through the real sign-in page (webClient.signIn).
func setTestPassword(t *testing.T, st strategy.UserStore, u *strategy.User) {
	t.Helper()
	hash, err := auth.HashPassword(testPassword)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SetPasswordHash(context.Background(), u.ID, hash); err != nil {
		t.Fatal(err)
	}
}

// webClient is a client of a handler served over HTTPS by a test server,
// with a cookie jar, that does not follow redirects: what a browser does,
// one step at a time, without a browser (the Chromium tests have one). Its session cookie is Secure, as in production.
type webClient struct {
	srv *httptest.Server
	c   *http.Client
}

// newWebClient serves h over HTTPS until the test ends.
func newWebClient(t *testing.T, h http.Handler) *webClient {
	t.Helper()
	srv := httptest.NewTLSServer(h)
	t.Cleanup(srv.Close)
	return webClientOf(t, srv)
}

// webClientOf is a new client, with its own cookies, of a running server.
func webClientOf(t *testing.T, srv *httptest.Server) *webClient {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	// A copy: srv.Client() is one client shared by every caller.
	c := *srv.Client()
	c.Jar = jar
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &webClient{srv: srv, c: &c}
}

// do sends req and returns the response and its body.
func (b *webClient) do(t *testing.T, req *http.Request) (*http.Response, string) {
	t.Helper()
	res, err := b.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, string(body)
}

// url makes a path of the site absolute; absolute URLs stay.
func (b *webClient) url(target string) string {
	if strings.HasPrefix(target, "/") {
		return b.srv.URL + target
	}
	return target
}

func (b *webClient) get(t *testing.T, target string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest("GET", b.url(target), nil)
	if err != nil {
		t.Fatal(err)
	}
	return b.do(t, req)
}

// post submits a form from a page of the site itself.
func (b *webClient) post(t *testing.T, target string, form url.Values) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest("POST", b.url(target), strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return b.do(t, req)
}

// session is the browser's session cookie, nil when it has none.
func (b *webClient) session(t *testing.T) *http.Cookie {
	t.Helper()
	u, _ := url.Parse(b.srv.URL)
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == auth.SessionCookieName {
			return c
		}
	}
	return nil
}

// signIn signs u in through the sign-in page, as a person would; u needs
// the password testPassword (setTestPassword). It fails the test unless
// the sign-in succeeds.
func (b *webClient) signIn(t *testing.T, u *strategy.User) {
	t.Helper()
	res, body := b.post(t, "/logga-in", url.Values{"email": {u.Email}, "password": {testPassword}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("signing in %s: status %d:\n%s", u.Email, res.StatusCode, body)
	}
}

// signedInAs reports who the site says is signed in: the name in the
// header, "" for the public.
func (b *webClient) signedInAs(t *testing.T) string {
	t.Helper()
	_, body := b.get(t, "/")
	_, rest, ok := strings.Cut(body, "Inloggad som <strong>")
	if !ok {
		return ""
	}
	name, _, _ := strings.Cut(rest, "</strong>")
	return name
}

// newSignInEnv is a test server with the test users stored, each with the
// password testPassword, and a client of it.
func newSignInEnv(t *testing.T, opts ...Option) (*testEnv, *webClient) {
	t.Helper()
	st := newTestStore(t)
	storeTestUsers(t, st)
	for _, u := range testUsers {
		setTestPassword(t, st, u)
	}
	e := newTestEnvWith(t, st, opts...)
	return e, newWebClient(t, e.h)
}
