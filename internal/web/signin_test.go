package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/inkludera/inkludera/internal/auth"
	"github.com/inkludera/inkludera/internal/auth/oidctest"
	"github.com/inkludera/inkludera/internal/strategy"
)

func TestSignIn(t *testing.T) {
	_, b := newSignInEnv(t)

	res, page := b.get(t, "/logga-in?nasta=%2Fkonto")
	if res.StatusCode != 200 {
		t.Fatalf("sign-in page: status %d", res.StatusCode)
	}
	for _, want := range []string{`<label for="epost">E-postadress</label>`, `<label for="losenord">Lösenord</label>`,
		`autocomplete="current-password"`, `<input type="hidden" name="nasta" value="/konto">`} {
		if !strings.Contains(page, want) {
			t.Errorf("sign-in page lacks %q", want)
		}
	}
	if strings.Contains(page, "organisationskonto") {
		t.Error("the page offers OpenID sign-in, which is not configured")
	}
	checkHTML(t, page)

	// A session exists before sign-in (signing out leaves a flash in a new
	// one): the one an attacker could have planted.
	b.post(t, "/logga-ut", nil)
	before := b.session(t)
	if before == nil {
		t.Fatal("no session before sign-in: the fixation check below would prove nothing")
	}

	res, _ = b.post(t, "/logga-in", url.Values{"email": {"  SAM.samordnare@stromsund.se "}, "password": {testPassword}, "nasta": {"/konto"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/konto" {
		t.Fatalf("sign-in: status %d, Location %q", res.StatusCode, res.Header.Get("Location"))
	}
	var cookie *http.Cookie
	for _, c := range res.Cookies() {
		if c.Name == auth.SessionCookieName {
			cookie = c
		}
	}
	switch {
	case cookie == nil:
		t.Fatal("sign-in set no session cookie")
	case !cookie.Secure || !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode || cookie.Path != "/":
		t.Errorf("session cookie %s: want Secure, HttpOnly, SameSite=Lax, Path=/", cookie)
	case cookie.Value == before.Value:
		t.Error("the session token did not change at sign-in (session fixation)")
	}

	res, page = b.get(t, "/konto")
	if res.StatusCode != 200 || !strings.Contains(page, "Sam Samordnare") || !strings.Contains(page, "Du är inloggad som Sam Samordnare.") {
		t.Fatalf("account page after sign-in: status %d:\n%s", res.StatusCode, page)
	}
	checkHTML(t, page)

	// The token from before sign-in is worth nothing now.
	old := webClientOf(t, b.srv)
	u, _ := url.Parse(b.srv.URL)
	old.c.Jar.SetCookies(u, []*http.Cookie{{Name: auth.SessionCookieName, Value: before.Value, Path: "/", Secure: true}})
	if name := old.signedInAs(t); name != "" {
		t.Errorf("the pre-sign-in token is signed in as %q", name)
	}

	// A token planted in a fresh browser is replaced too.
	planted := webClientOf(t, b.srv)
	planted.c.Jar.SetCookies(u, []*http.Cookie{{Name: auth.SessionCookieName, Value: "planterad-av-angriparen", Path: "/", Secure: true}})
	planted.signIn(t, testReader)
	if c := planted.session(t); c == nil || c.Value == "planterad-av-angriparen" {
		t.Errorf("a planted session token survived sign-in: %v", c)
	}
	if name := planted.signedInAs(t); name != testReader.Name {
		t.Errorf("signed in as %q, want %q", name, testReader.Name)
	}
}

func TestSignInRefused(t *testing.T) {
	tests := []struct {
		name     string
		email    string
		password string
		status   int
		says     []string
	}{
		{"wrong password", testEditorKS.Email, "fel lösenord", 422, []string{"Fel e-postadress eller lösenord."}},
		{"unknown e-mail", "ingen@stromsund.se", testPassword, 422, []string{"Fel e-postadress eller lösenord."}},
		{"nothing typed", "", "", 422, []string{`<a href="#epost">Ange din e-postadress.</a>`, `<a href="#losenord">Ange ditt lösenord.</a>`,
			`aria-invalid="true" aria-describedby="epost-fel"`, `aria-invalid="true" aria-describedby="losenord-fel"`}},
	}
	_, b := newSignInEnv(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, page := b.post(t, "/logga-in", url.Values{"email": {tt.email}, "password": {tt.password}})
			if res.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", res.StatusCode, tt.status)
			}
			for _, want := range append(tt.says, `id="felsammanfattning"`) {
				if !strings.Contains(page, want) {
					t.Errorf("page lacks %q", want)
				}
			}
			if tt.email != "" && !strings.Contains(page, `value="`+tt.email+`"`) {
				t.Error("the e-mail typed is not kept")
			}
			if tt.password != "" && strings.Contains(page, tt.password) {
				t.Error("the page repeats the password")
			}
			checkHTML(t, page)
			if name := b.signedInAs(t); name != "" {
				t.Errorf("signed in as %q after a refused sign-in", name)
			}
		})
	}
}

func TestSignInDisabledUser(t *testing.T) {
	e, b := newSignInEnv(t)
	b.signIn(t, testEditorAMN)
	if name := b.signedInAs(t); name != testEditorAMN.Name {
		t.Fatalf("signed in as %q", name)
	}
	// Disabled by an administrator: the open session is the public's from
	// the next request on, and signing in again is refused.
	u := *testEditorAMN
	u.Disabled = true
	if _, err := e.st.UpdateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	if name := b.signedInAs(t); name != "" {
		t.Errorf("a disabled user's session still signs in %q", name)
	}
	res, page := b.post(t, "/logga-in", url.Values{"email": {u.Email}, "password": {testPassword}})
	if res.StatusCode != http.StatusForbidden || !strings.Contains(page, "Kontot är avstängt.") {
		t.Errorf("disabled user's sign-in: status %d:\n%s", res.StatusCode, page)
	}
}

func TestSignInThrottled(t *testing.T) {
	_, b := newSignInEnv(t)
	for i := range auth.DefaultLimits.AccountFailures {
		if res, _ := b.post(t, "/logga-in", url.Values{"email": {testReader.Email}, "password": {"gissning"}}); res.StatusCode != 422 {
			t.Fatalf("attempt %d: status %d, want 422", i+1, res.StatusCode)
		}
	}
	// Now even the right password waits.
	res, page := b.post(t, "/logga-in", url.Values{"email": {testReader.Email}, "password": {testPassword}})
	if res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("status %d, want 429", res.StatusCode)
	}
	if !strings.Contains(page, "För många misslyckade inloggningar. Försök igen om 1 minut.") {
		t.Errorf("page does not say how long to wait:\n%s", page)
	}
	if ra := res.Header.Get("Retry-After"); ra != "60" {
		t.Errorf("Retry-After = %q, want 60", ra)
	}
	checkHTML(t, page)
	if name := b.signedInAs(t); name != "" {
		t.Errorf("a throttled attempt signed in %q", name)
	}
	// Another account from the same address is not locked out.
	b.signIn(t, testCoordinator)
}

func TestSignInNextIsLocal(t *testing.T) {
	tests := []struct{ next, want string }{
		{"/konto", "/konto"},
		{"/dokument/stromsund-program?ar=2020#mal", "/dokument/stromsund-program?ar=2020#mal"},
		{"", "/"},
		{"//angripare.example/", "/"},
		{"/\\angripare.example/", "/"},
		{"\\\\angripare.example", "/"},
		{"https://angripare.example/", "/"},
		{"http:/angripare.example", "/"},
		{"javascript:alert(1)", "/"},
		{"/\t/angripare.example", "/"},
		{"/\n/angripare.example", "/"},
		{" /konto", "/"},
		{"angripare.example", "/"},
		{"/logga-in?nasta=/konto", "/"},
		{"/logga-in/oidc", "/"},
	}
	for _, tt := range tests {
		if got := safeNext(tt.next); got != tt.want {
			t.Errorf("safeNext(%q) = %q, want %q", tt.next, got, tt.want)
		}
	}
	// Through the form: the hidden input and the redirect after sign-in.
	_, b := newSignInEnv(t)
	for _, next := range []string{"//angripare.example/", "/\\angripare.example", "https://angripare.example/konto", "/konto"} {
		t.Run(next, func(t *testing.T) {
			want := safeNext(next)
			_, page := b.get(t, "/logga-in?"+url.Values{"nasta": {next}}.Encode())
			if !strings.Contains(page, `name="nasta" value="`+want+`"`) {
				t.Errorf("the form carries another next than %q", want)
			}
			res, _ := b.post(t, "/logga-in", url.Values{"email": {testReader.Email}, "password": {testPassword}, "nasta": {next}})
			if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != want {
				t.Errorf("status %d, Location %q, want 303 to %q", res.StatusCode, loc, want)
			}
		})
	}
}

func TestSignOut(t *testing.T) {
	_, b := newSignInEnv(t)
	b.signIn(t, testEditorKS)
	signedIn := b.session(t)
	_, page := b.get(t, "/")
	if !strings.Contains(page, `<form method="post" action="/logga-ut"><button type="submit">Logga ut</button></form>`) {
		t.Error("a signed-in page has no sign-out button")
	}

	res, _ := b.post(t, "/logga-ut", nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" {
		t.Fatalf("sign-out: status %d, Location %q", res.StatusCode, res.Header.Get("Location"))
	}
	res, page = b.get(t, "/")
	if !strings.Contains(page, "Du är utloggad.") || !strings.Contains(page, `>Logga in</a>`) {
		t.Errorf("the start page after sign-out:\n%s", page)
	}
	if res, _ = b.get(t, "/konto"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/logga-in?nasta=%2Fkonto") {
		t.Errorf("/konto after sign-out: status %d, Location %q", res.StatusCode, res.Header.Get("Location"))
	}
	// The signed-in session is gone from the store, not only from the browser.
	old := webClientOf(t, b.srv)
	u, _ := url.Parse(b.srv.URL)
	old.c.Jar.SetCookies(u, []*http.Cookie{{Name: auth.SessionCookieName, Value: signedIn.Value, Path: "/", Secure: true}})
	if name := old.signedInAs(t); name != "" {
		t.Errorf("the session ended by sign-out still signs in %q", name)
	}
}

// TestNavigation checks the header each viewer gets.
func TestNavigation(t *testing.T) {
	e := newTestEnv(t)
	tests := []struct {
		name    string
		user    *strategy.User
		want    []string
		notWant []string
	}{
		{"public", nil,
			[]string{`<a href="/logga-in?nasta=%2Fdokument%2Fstromsund-program">Logga in</a>`},
			[]string{"Logga ut", `href="/planer"`, `href="/konto"`}},
		{"nämndredaktör", testEditorKS,
			[]string{"Inloggad som <strong>Ebba Redaktör</strong>, Nämndredaktör", `href="/planer"`, `href="/uppfoljning"`, `href="/konto"`, "Logga ut"},
			[]string{`href="/fordelning"`, "Administration", ">Logga in<"}},
		{"samordnare", testCoordinator,
			[]string{`href="/fordelning"`, `<a href="/admin/kallor">Administration</a>`},
			[]string{`href="/admin/anvandare"`}},
		{"admin", testAdmin,
			[]string{`href="/fordelning"`, `<a href="/admin/anvandare">Administration</a>`, "Administratör"},
			nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, page := e.doAs(t, tt.user, "GET", "/dokument/stromsund-program", nil)
			for _, want := range tt.want {
				if !strings.Contains(page, want) {
					t.Errorf("page lacks %q", want)
				}
			}
			for _, not := range tt.notWant {
				if strings.Contains(page, not) {
					t.Errorf("page has %q", not)
				}
			}
			checkHTML(t, page)
		})
	}
}

// oidcEnv is a test server whose sign-in page offers the OpenID provider
// p, with the test users stored.
func oidcEnv(t *testing.T, p *oidctest.Provider, rules []auth.GroupRule) (*testEnv, *webClient) {
	t.Helper()
	st := newTestStore(t)
	storeTestUsers(t, st)
	// The redirect URL is the test server's own, known once it runs.
	var h http.Handler
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	srv.StartTLS()
	t.Cleanup(srv.Close)
	o, err := auth.NewOIDC(context.Background(), auth.OIDCConfig{Issuer: p.Issuer, ClientID: p.ClientID,
		ClientSecret: p.ClientSecret, RedirectURL: srv.URL + "/logga-in/oidc/svar", Rules: rules})
	if err != nil {
		t.Fatal(err)
	}
	e := newTestEnvWith(t, st, WithOIDC(o, rules))
	h = e.h
	return e, webClientOf(t, srv)
}

// oidcSignIn goes through the provider as a browser does: from the sign-in
// page's button to the provider and back. It returns the answer to the
// callback and the callback's URL.
func oidcSignIn(t *testing.T, b *webClient, next string) (*http.Response, string, string) {
	t.Helper()
	_, page := b.get(t, "/logga-in?"+url.Values{"nasta": {next}}.Encode())
	start := "/logga-in/oidc?" + url.Values{"nasta": {next}}.Encode()
	if !strings.Contains(page, `href="`+strings.ReplaceAll(start, "&", "&amp;")+`"`) {
		t.Fatalf("sign-in page lacks the provider's button to %s:\n%s", start, page)
	}
	res, _ := b.get(t, start)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("start: status %d", res.StatusCode)
	}
	res, body := b.get(t, res.Header.Get("Location")) // the provider
	if res.StatusCode != http.StatusFound {
		t.Fatalf("provider: status %d: %s", res.StatusCode, body)
	}
	callback := res.Header.Get("Location")
	res, body = b.get(t, callback)
	return res, body, callback
}

func TestOIDCSignIn(t *testing.T) {
	p := oidctest.Start(t)
	rules := []auth.GroupRule{{Group: "inkludera-samordnare", Role: strategy.RoleCoordinator, Org: "2380"}}
	e, b := oidcEnv(t, p, rules)
	p.NextIdentity("sub-eva", "oid-eva", "eva.oidc@ostersund.se", "Eva Östersund", []string{"alla-anstallda", "inkludera-samordnare"})

	res, _, callback := oidcSignIn(t, b, "/konto")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/konto" {
		t.Fatalf("callback: status %d, Location %q", res.StatusCode, res.Header.Get("Location"))
	}
	res, page := b.get(t, "/konto")
	for _, want := range []string{"Eva Östersund", "eva.oidc@ostersund.se", "Samordnare", "Östersunds kommun (2380)", "Organisationskonto"} {
		if !strings.Contains(page, want) {
			t.Errorf("account page lacks %q (status %d)", want, res.StatusCode)
		}
	}
	u, err := e.st.UserByIdentity(context.Background(), p.Issuer, "oid-eva")
	if err != nil || u.Role != strategy.RoleCoordinator || u.Org != "2380" {
		t.Errorf("stored account = %+v, %v", u, err)
	}

	// The callback works once: replayed, it is refused.
	fresh := webClientOf(t, b.srv)
	res, page = fresh.get(t, callback)
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(page, "Inloggningen kunde inte verifieras. Försök igen.") {
		t.Errorf("replayed callback: status %d", res.StatusCode)
	}
	if fresh.session(t) != nil && fresh.signedInAs(t) != "" {
		t.Error("a replayed callback signed in")
	}
}

func TestOIDCSignInRefused(t *testing.T) {
	rules := []auth.GroupRule{{Group: "inkludera-samordnare", Role: strategy.RoleCoordinator, Org: "2380"}}
	member := []string{"inkludera-samordnare"}
	tests := []struct {
		name   string
		spoil  func(*oidctest.Provider)
		groups []string
		status int
		says   string
	}{
		{"signed with another key", (*oidctest.Provider).SignWithWrongKey, member, 400, "Inloggningen kunde inte verifieras. Försök igen."},
		{"issued to another client", (*oidctest.Provider).WrongAudience, member, 400, "Inloggningen kunde inte verifieras. Försök igen."},
		{"expired", (*oidctest.Provider).Expired, member, 400, "Inloggningen kunde inte verifieras. Försök igen."},
		{"no group with a role", nil, []string{"alla-anstallda"}, 403, "Ditt konto har ingen roll i Inkludera. Kontakta administratören."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := oidctest.Start(t)
			e, b := oidcEnv(t, p, rules)
			p.NextIdentity("sub-x", "oid-x", "x@ostersund.se", "X", tt.groups)
			if tt.spoil != nil {
				tt.spoil(p)
			}
			res, page, _ := oidcSignIn(t, b, "/konto")
			if res.StatusCode != tt.status {
				t.Fatalf("callback: status %d, want %d:\n%s", res.StatusCode, tt.status, page)
			}
			for _, want := range []string{tt.says, "Inloggningen med organisationskonto misslyckades", `<h1>Logga in</h1>`} {
				if !strings.Contains(page, want) {
					t.Errorf("page lacks %q", want)
				}
			}
			checkHTML(t, page)
			if name := b.signedInAs(t); name != "" {
				t.Errorf("signed in as %q", name)
			}
			if _, err := e.st.UserByIdentity(context.Background(), p.Issuer, "oid-x"); strategy.CodeOf(err) != strategy.CodeNotFound {
				t.Errorf("an account exists after a refused sign-in: %v", err)
			}
		})
	}

	// Without a provider configured, the routes do not exist.
	_, b := newSignInEnv(t)
	if res, _ := b.get(t, "/logga-in/oidc"); res.StatusCode != http.StatusNotFound {
		t.Errorf("/logga-in/oidc without a provider: status %d", res.StatusCode)
	}
}
