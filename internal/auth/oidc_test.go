package auth

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/inkludera/inkludera/internal/auth/oidctest"
	"github.com/inkludera/inkludera/internal/strategy"
)

const testRedirect = "http://inkludera.test/logga-in/oidc/svar"

var testRules = []GroupRule{
	{Group: "g-las", Role: strategy.RoleReader, Org: "2380"},
	{Group: "g-red", Role: strategy.RoleEditor, Org: "2380", Body: "bun"},
	{Group: "g-sam", Role: strategy.RoleCoordinator, Org: "2380"},
	{Group: "g-admin", Role: strategy.RoleAdmin},
	{Group: "g-sam-2", Role: strategy.RoleCoordinator, Org: "2361"},
}

func testConfig(p *oidctest.Provider) OIDCConfig {
	return OIDCConfig{Issuer: p.Issuer, ClientID: p.ClientID, ClientSecret: p.ClientSecret,
		RedirectURL: testRedirect, Rules: testRules}
}

func newTestOIDC(t *testing.T) (*oidctest.Provider, *OIDC) {
	t.Helper()
	p := oidctest.Start(t)
	o, err := NewOIDC(context.Background(), testConfig(p))
	if err != nil {
		t.Fatal(err)
	}
	return p, o
}

// visit goes to authURL as a browser would and returns the state and code
// of the provider's redirect to the callback.
func visit(t *testing.T, authURL string) (state, code string) {
	t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, err := resp.Location()
	if resp.StatusCode != http.StatusFound || err != nil {
		t.Fatalf("authorize: %s, %v", resp.Status, err)
	}
	if !strings.HasPrefix(loc.String(), testRedirect+"?") {
		t.Fatalf("redirected to %s, want the callback", loc)
	}
	q := loc.Query()
	if q.Get("error") != "" {
		t.Fatalf("the provider refused: %s %s", q.Get("error"), q.Get("error_description"))
	}
	return q.Get("state"), q.Get("code")
}

// signInVia runs a whole sign-in.
func signInVia(t *testing.T, o *OIDC) (Identity, error) {
	t.Helper()
	authURL, pending := o.Begin()
	state, code := visit(t, authURL)
	return o.Finish(context.Background(), pending, state, code)
}

// wantUnverified checks err is Finish's refusal with a cause containing
// cause.
func wantUnverified(t *testing.T, err error, cause string) {
	t.Helper()
	var e *strategy.Error
	if !errors.As(err, &e) || e.Code != strategy.CodeUnauthorized || e.Message != signInNotVerified {
		t.Fatalf("error %v, want CodeUnauthorized %q", err, signInNotVerified)
	}
	if e.Err == nil || !strings.Contains(e.Err.Error(), cause) {
		t.Errorf("cause %v, want it to mention %q", e.Err, cause)
	}
}

func TestOIDCFlow(t *testing.T) {
	p, o := newTestOIDC(t)
	p.NextIdentity("sub-1", "oid-1", "anna@ostersund.se", "Anna Andersson", []string{"g-sam", "other"})
	id, err := signInVia(t, o)
	if err != nil {
		t.Fatal(err)
	}
	want := Identity{Issuer: p.Issuer, Subject: "oid-1", Email: "anna@ostersund.se", Name: "Anna Andersson",
		Groups: []string{"g-sam", "other"}}
	if !identityEqual(id, want) {
		t.Errorf("identity %+v, want %+v", id, want)
	}

	// Without Entra ID's oid, the subject is sub; a missing name is
	// preferred_username.
	p.NextIdentity("sub-2", "", "", "", nil)
	p.SetClaim("preferred_username", "bo@ostersund.se")
	id, err = signInVia(t, o)
	if err != nil {
		t.Fatal(err)
	}
	want = Identity{Issuer: p.Issuer, Subject: "sub-2", Name: "bo@ostersund.se"}
	if !identityEqual(id, want) {
		t.Errorf("identity %+v, want %+v", id, want)
	}
}

func identityEqual(a, b Identity) bool {
	return a.Issuer == b.Issuer && a.Subject == b.Subject && a.Email == b.Email && a.Name == b.Name &&
		slices.Equal(a.Groups, b.Groups) && (a.Groups == nil) == (b.Groups == nil) && a.GroupsOverage == b.GroupsOverage
}

func TestOIDCBegin(t *testing.T) {
	_, o := newTestOIDC(t)
	before := time.Now()
	authURL, pending := o.Begin()
	u, err := url.Parse(authURL)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	for name, want := range map[string]string{
		"response_type":         "code",
		"client_id":             o.oauth.ClientID,
		"redirect_uri":          testRedirect,
		"scope":                 "openid profile email",
		"state":                 pending.State,
		"nonce":                 pending.Nonce,
		"code_challenge":        oauth2.S256ChallengeFromVerifier(pending.Verifier),
		"code_challenge_method": "S256",
	} {
		if got := q.Get(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	if strings.Contains(authURL, pending.Verifier) {
		t.Error("the PKCE verifier is in the URL")
	}
	if pending.Created.Before(before.Add(-time.Second)) || pending.Created.After(time.Now()) {
		t.Errorf("created %v", pending.Created)
	}
	_, again := o.Begin()
	if again.State == pending.State || again.Nonce == pending.Nonce || again.Verifier == pending.Verifier || len(pending.State) < 20 {
		t.Errorf("two sign-ins share secrets or they are short: %+v, %+v", pending, again)
	}
}

// Every way a callback can be wrong is refused, and the next, right one
// goes through: the provider's knobs spoil one token only.
func TestOIDCRefusals(t *testing.T) {
	p, o := newTestOIDC(t)
	p.NextIdentity("sub-1", "oid-1", "anna@ostersund.se", "Anna", []string{"g-sam"})
	tests := []struct {
		name  string
		spoil func(pending *PendingLogin, state, code *string)
		cause string
	}{
		{"signature by another key", func(*PendingLogin, *string, *string) { p.SignWithWrongKey() }, "signature"},
		{"wrong audience", func(*PendingLogin, *string, *string) { p.WrongAudience() }, "audience"},
		{"expired token", func(*PendingLogin, *string, *string) { p.Expired() }, "expired"},
		{"wrong state", func(_ *PendingLogin, state, _ *string) { *state = "forged" }, "state"},
		{"empty state", func(_ *PendingLogin, state, _ *string) { *state = "" }, "state"},
		{"no pending sign-in", func(pending *PendingLogin, _, _ *string) { *pending = PendingLogin{} }, "no sign-in is pending"},
		{"no pending sign-in, empty state", func(pending *PendingLogin, state, _ *string) {
			*pending, *state = PendingLogin{}, ""
		}, "no sign-in is pending"},
		{"pending sign-in too old", func(pending *PendingLogin, _, _ *string) {
			pending.Created = time.Now().Add(-PendingLoginMaxAge - time.Second)
		}, "started"},
		{"pending sign-in without a time", func(pending *PendingLogin, _, _ *string) { pending.Created = time.Time{} }, "start time"},
		{"pending sign-in from the future", func(pending *PendingLogin, _, _ *string) {
			pending.Created = time.Now().Add(time.Hour)
		}, "start time"},
		{"PKCE verifier of another sign-in", func(pending *PendingLogin, _, _ *string) {
			pending.Verifier = oauth2.GenerateVerifier()
		}, "code_verifier does not match"},
		{"no PKCE verifier", func(pending *PendingLogin, _, _ *string) { pending.Verifier = "" }, "code_verifier missing"},
		{"nonce of another sign-in", func(pending *PendingLogin, _, _ *string) { pending.Nonce = "other" }, "nonce"},
		{"no code", func(_ *PendingLogin, _, code *string) { *code = "" }, "no code"},
		{"unknown code", func(_ *PendingLogin, _, code *string) { *code = "made-up" }, "unknown or used code"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			authURL, pending := o.Begin()
			state, code := visit(t, authURL)
			tc.spoil(&pending, &state, &code)
			id, err := o.Finish(context.Background(), pending, state, code)
			wantUnverified(t, err, tc.cause)
			if !identityEqual(id, Identity{}) {
				t.Errorf("a refused sign-in returned %+v", id)
			}
			if _, err := signInVia(t, o); err != nil {
				t.Errorf("the next sign-in: %v", err)
			}
		})
	}
}

// A callback cannot be answered twice: the code is spent, and the session
// no longer has the pending sign-in (Sessions.PopPendingLogin).
func TestOIDCReplay(t *testing.T) {
	p, o := newTestOIDC(t)
	p.NextIdentity("sub-1", "", "a@b.se", "A", []string{"g-las"})
	authURL, pending := o.Begin()
	state, code := visit(t, authURL)
	if _, err := o.Finish(context.Background(), pending, state, code); err != nil {
		t.Fatal(err)
	}
	_, err := o.Finish(context.Background(), pending, state, code)
	wantUnverified(t, err, "unknown or used code")
}

// The age limit is PendingLoginMaxAge on the OIDC's clock.
func TestOIDCPendingAge(t *testing.T) {
	p, o := newTestOIDC(t)
	p.NextIdentity("sub-1", "", "a@b.se", "A", []string{"g-las"})
	for _, tc := range []struct {
		after time.Duration
		ok    bool
	}{{PendingLoginMaxAge - time.Second, true}, {PendingLoginMaxAge + time.Second, false}} {
		authURL, pending := o.Begin()
		state, code := visit(t, authURL)
		o.now = func() time.Time { return pending.Created.Add(tc.after) }
		_, err := o.Finish(context.Background(), pending, state, code)
		o.now = time.Now
		if tc.ok && err != nil {
			t.Errorf("after %v: %v", tc.after, err)
		}
		if !tc.ok {
			wantUnverified(t, err, "started")
		}
	}
}

func TestOIDCWrongClientSecret(t *testing.T) {
	p := oidctest.Start(t)
	p.NextIdentity("sub-1", "", "a@b.se", "A", []string{"g-las"})
	cfg := testConfig(p)
	cfg.ClientSecret = "wrong"
	o, err := NewOIDC(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	_, err = signInVia(t, o)
	wantUnverified(t, err, "invalid_client")
}

func TestOIDCClaims(t *testing.T) {
	p, o := newTestOIDC(t)
	p.NextIdentity("sub-1", "oid-1", "a@b.se", "A", nil)

	// A single group as a string.
	p.SetClaim("groups", "g-las")
	id, err := signInVia(t, o)
	if err != nil || !slices.Equal(id.Groups, []string{"g-las"}) || id.GroupsOverage {
		t.Errorf("one group as a string: %+v, %v", id, err)
	}
	// Entra ID's overage: no groups, a reference to Graph instead.
	p.SetClaim("groups", nil)
	p.SetClaim("_claim_names", map[string]string{"groups": "src1"})
	p.SetClaim("_claim_sources", map[string]any{"src1": map[string]string{"endpoint": "https://graph.microsoft.com/v1.0/users/oid-1/getMemberObjects"}})
	id, err = signInVia(t, o)
	if err != nil || id.Groups != nil || !id.GroupsOverage {
		t.Errorf("overage: %+v, %v", id, err)
	}
	p.SetClaim("_claim_names", nil)
	p.SetClaim("_claim_sources", nil)
	p.SetClaim("hasgroups", true)
	if id, err = signInVia(t, o); err != nil || !id.GroupsOverage {
		t.Errorf("hasgroups: %+v, %v", id, err)
	}
	p.SetClaim("hasgroups", nil)
	// Non-strings in the list are ignored; surrounding spaces of strings
	// trimmed.
	p.SetClaim("groups", []any{"g-las", 7, "", "g-sam"})
	p.SetClaim("email", "  a@b.se ")
	if id, err = signInVia(t, o); err != nil || !slices.Equal(id.Groups, []string{"g-las", "g-sam"}) || id.Email != "a@b.se" {
		t.Errorf("mixed list: %+v, %v", id, err)
	}

	// Another groups claim.
	cfg := testConfig(p)
	cfg.GroupsClaim = "roles"
	o2, err := NewOIDC(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	p.SetClaim("roles", []string{"g-admin"})
	if id, err = signInVia(t, o2); err != nil || !slices.Equal(id.Groups, []string{"g-admin"}) {
		t.Errorf("groups claim roles: %+v, %v", id, err)
	}
}

func TestNewOIDC(t *testing.T) {
	p := oidctest.Start(t)
	ctx := context.Background()

	_, err := NewOIDC(ctx, OIDCConfig{RedirectURL: "/callback"})
	if err == nil {
		t.Fatal("an empty configuration was accepted")
	}
	for _, want := range []string{"issuer URL is required", "client id is required", `redirect URL "/callback"`, "no group rules"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}

	cfg := testConfig(p)
	cfg.Rules = []GroupRule{{Group: "g", Role: strategy.RoleCoordinator}}
	if _, err := NewOIDC(ctx, cfg); err == nil || !strings.Contains(err.Error(), `group rule "g=samordnare"`) {
		t.Errorf("a rule without organisation: %v", err)
	}

	cfg = testConfig(p)
	cfg.Issuer = p.Issuer + "/tenant"
	if _, err := NewOIDC(ctx, cfg); err == nil || !strings.Contains(err.Error(), "discovery") {
		t.Errorf("no discovery document: %v", err)
	}
	cfg.Issuer = p.Issuer + "/"
	if _, err := NewOIDC(ctx, cfg); err == nil {
		t.Error("an issuer that is not the discovered one was accepted")
	}

	cfg = testConfig(p)
	o, err := NewOIDC(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if o.Label() != "Logga in med organisationskonto" || o.cfg.GroupsClaim != "groups" {
		t.Errorf("defaults: %q, %q", o.Label(), o.cfg.GroupsClaim)
	}
	rules := o.Rules()
	rules[0].Role = strategy.RoleAdmin
	if o.Rules()[0].Role != strategy.RoleReader || !slices.Equal(o.Rules(), testRules) {
		t.Error("Rules shares its slice with the caller")
	}

	cfg.Scopes = []string{"email", "offline_access"}
	cfg.Label = "Logga in med Region Jämtland Härjedalen"
	o, err = NewOIDC(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	authURL, _ := o.Begin()
	u, _ := url.Parse(authURL)
	if got := u.Query().Get("scope"); got != "openid email offline_access" {
		t.Errorf("scope %q: openid is to be added", got)
	}
	if o.Label() != cfg.Label {
		t.Errorf("label %q", o.Label())
	}

	// A client in the context does the requests.
	calls := 0
	client := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		calls++
		return http.DefaultTransport.RoundTrip(r)
	})}
	if _, err := NewOIDC(context.WithValue(ctx, oauth2.HTTPClient, client), testConfig(p)); err != nil || calls == 0 {
		t.Errorf("client in the context: %d calls, %v", calls, err)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestParseGroupRules(t *testing.T) {
	got, err := ParseGroupRules(" c0ffee-11=samordnare:2380, beef-22 = namndredaktor : 2380 : bun ,ad-group=admin,,x=y=lasare:23,")
	if err != nil {
		t.Fatal(err)
	}
	want := []GroupRule{
		{Group: "c0ffee-11", Role: strategy.RoleCoordinator, Org: "2380"},
		{Group: "beef-22", Role: strategy.RoleEditor, Org: "2380", Body: "bun"},
		{Group: "ad-group", Role: strategy.RoleAdmin},
		{Group: "x=y", Role: strategy.RoleReader, Org: "23"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("rules %+v, want %+v", got, want)
	}
	var strs []string
	for _, r := range got {
		strs = append(strs, r.String())
	}
	if again, err := ParseGroupRules(strings.Join(strs, ",")); err != nil || !slices.Equal(again, want) {
		t.Errorf("String does not round-trip: %v, %v", strs, err)
	}
	if got, err := ParseGroupRules("  "); err != nil || got != nil {
		t.Errorf("empty: %v, %v", got, err)
	}

	for _, tc := range []struct{ in, says string }{
		{"g-1", `group rule "g-1": want GROUP=ROLE`},
		{"=admin", `group rule "=admin": the group is empty`},
		{"g=boss", `group rule "g=boss": unknown role "boss"`},
		{"g=", `group rule "g=": unknown role ""`},
		{"g=admin:2380", `group rule "g=admin:2380": an admin is not tied`},
		{"g=samordnare", `group rule "g=samordnare": a samordnare needs the organisation`},
		{"g=lasare:2380:bun", `group rule "g=lasare:2380:bun": a lasare covers the whole organisation`},
		{"g=samordnare:Östersund", `"Östersund" is not a kommun, län or riket code`},
		{"g=samordnare:238", `"238" is not a kommun`},
		{"g=namndredaktor:2380", `group rule "g=namndredaktor:2380": a namndredaktor needs the body`},
		{"g=namndredaktor::bun", `a namndredaktor needs the organisation`},
		{"g=namndredaktor:2380:Bun Nämnd", `"Bun Nämnd" is not a body key`},
		{"g=lasare:2380:x:y", `group rule "g=lasare:2380:x:y": too many parts`},
		{"g=admin,h=lasare:2380,g=samordnare:2380", `group rule "g=samordnare:2380": group "g" already has the rule "g=admin"`},
	} {
		t.Run(tc.in, func(t *testing.T) {
			rules, err := ParseGroupRules("ok=admin," + tc.in)
			if err == nil || !strings.Contains(err.Error(), tc.says) {
				t.Errorf("error %v, want %q", err, tc.says)
			}
			if rules != nil {
				t.Errorf("rules %v with an error", rules)
			}
		})
	}
	// Every wrong entry is named.
	_, err = ParseGroupRules("a=boss,b=admin,c=samordnare")
	if err == nil || !strings.Contains(err.Error(), `"a=boss"`) || !strings.Contains(err.Error(), `"c=samordnare"`) || strings.Contains(err.Error(), `"b=admin"`) {
		t.Errorf("error %v, want a and c named, not b", err)
	}
}

func TestSignInOIDCRoles(t *testing.T) {
	tests := []struct {
		groups    []string
		role      strategy.Role
		org, body string
	}{
		{[]string{"g-las"}, strategy.RoleReader, "2380", ""},
		{[]string{"g-las", "g-sam"}, strategy.RoleCoordinator, "2380", ""},
		{[]string{"g-red", "g-las"}, strategy.RoleEditor, "2380", "bun"},
		{[]string{"g-red", "g-admin", "g-sam"}, strategy.RoleAdmin, "", ""},
		{[]string{"g-sam-2", "g-sam"}, strategy.RoleCoordinator, "2380", ""}, // the first rule of the role
		{[]string{"other", "g-sam-2"}, strategy.RoleCoordinator, "2361", ""},
		{[]string{"G-SAM"}, "", "", ""}, // groups compare exactly
		{[]string{"other"}, "", "", ""},
		{nil, "", "", ""},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.groups, ","), func(t *testing.T) {
			users := &memUsers{}
			id := Identity{Issuer: "https://idp", Subject: "s", Email: "a@ostersund.se", Name: "A", Groups: tc.groups}
			u, err := SignInOIDC(context.Background(), users, id, testRules)
			if tc.role == "" {
				var e *strategy.Error
				if !errors.As(err, &e) || e.Code != strategy.CodeForbidden || e.Message != "Ditt konto har ingen roll i Inkludera. Kontakta administratören." {
					t.Fatalf("error %v, want forbidden", err)
				}
				if users.count() != 0 {
					t.Error("an account was created for someone without a role")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if u.Role != tc.role || u.Org != tc.org || u.Body != tc.body || u.ID == 0 {
				t.Errorf("user %+v, want %s %s %s", u, tc.role, tc.org, tc.body)
			}
		})
	}
}

func TestSignInOIDCOverage(t *testing.T) {
	id := Identity{Issuer: "https://idp", Subject: "s", Email: "a@b.se", Name: "A", GroupsOverage: true}
	_, err := SignInOIDC(context.Background(), &memUsers{}, id, testRules)
	if strategy.CodeOf(err) != strategy.CodeForbidden || !strings.Contains(err.Error(), "left the groups") {
		t.Errorf("%v", err)
	}
}

func TestSignInOIDCAccount(t *testing.T) {
	ctx := context.Background()
	users := &memUsers{}
	id := Identity{Issuer: "https://login.example/t1/v2.0", Subject: "oid-anna", Email: "anna@ostersund.se",
		Name: "Anna", Groups: []string{"g-las"}}
	step := func(name string, id Identity, check func(u strategy.User)) strategy.User {
		t.Helper()
		u, err := SignInOIDC(ctx, users, id, testRules)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if stored := users.byID(u.ID); stored != u {
			t.Fatalf("%s: returned %+v, stored %+v", name, u, stored)
		}
		check(u)
		return u
	}

	first := step("first sign-in", id, func(u strategy.User) {
		if u.Issuer != id.Issuer || u.Subject != id.Subject || u.Email != id.Email || u.Name != "Anna" || u.Role != strategy.RoleReader {
			t.Errorf("created %+v", u)
		}
		if users.hashes[u.ID] != "" {
			t.Error("an OpenID Connect account got a password")
		}
	})
	step("again, unchanged", id, func(u strategy.User) {
		if u.ID != first.ID || users.updates != 0 {
			t.Errorf("%+v, %d updates: an unchanged account was written", u, users.updates)
		}
	})
	id.Groups = []string{"g-red"}
	step("new group", id, func(u strategy.User) {
		if u.ID != first.ID || u.Role != strategy.RoleEditor || u.Body != "bun" || users.updates != 1 {
			t.Errorf("%+v after %d updates", u, users.updates)
		}
	})
	id.Groups, id.Email, id.Name = []string{"g-admin"}, "anna.andersson@ostersund.se", "Anna Andersson"
	step("new e-mail, name and role", id, func(u strategy.User) {
		if u.Email != id.Email || u.Name != id.Name || u.Role != strategy.RoleAdmin || u.Org != "" || u.Body != "" {
			t.Errorf("%+v", u)
		}
	})
	noMail := id
	noMail.Email, noMail.Name = "", ""
	step("provider sends no e-mail or name", noMail, func(u strategy.User) {
		if u.Email != id.Email || u.Name != id.Name || users.updates != 2 {
			t.Errorf("%+v after %d updates: kept e-mail and name are to stay", u, users.updates)
		}
	})
	if users.count() != 1 {
		t.Fatalf("%d accounts", users.count())
	}

	// A disabled account is refused and left as it is.
	u := users.byID(first.ID)
	u.Disabled = true
	users.UpdateUser(ctx, u)
	id.Groups = []string{"g-las"}
	if _, err := SignInOIDC(ctx, users, id, testRules); strategy.CodeOf(err) != strategy.CodeForbidden || !strings.Contains(err.Error(), "avstängt") {
		t.Errorf("disabled: %v", err)
	}
	if got := users.byID(first.ID); got.Role != strategy.RoleAdmin {
		t.Errorf("a disabled account was updated: %+v", got)
	}
}

func TestSignInOIDCNoEmail(t *testing.T) {
	ctx := context.Background()
	users := &memUsers{}
	id := Identity{Issuer: "https://idp", Subject: "oid-1", Groups: []string{"g-las"}}
	u, err := SignInOIDC(ctx, users, id, testRules)
	if err != nil {
		t.Fatal(err)
	}
	if u.Email != PlaceholderEmail(id.Issuer, id.Subject) || !IsPlaceholderEmail(u.Email) || u.Validate() != nil || u.Name != "oid-1" {
		t.Errorf("%+v", u)
	}
	if strings.Contains(u.Email, "oid-1") {
		t.Error("the placeholder shows the subject")
	}
	// Another account's placeholder differs; an address that is not valid
	// is no address.
	other, err := SignInOIDC(ctx, users, Identity{Issuer: "https://idp", Subject: "oid-2", Email: "not an address", Groups: []string{"g-las"}}, testRules)
	if err != nil || other.Email == u.Email || !IsPlaceholderEmail(other.Email) {
		t.Fatalf("%+v, %v", other, err)
	}
	if PlaceholderEmail("https://idp2", "oid-1") == u.Email {
		t.Error("same placeholder at another issuer")
	}
	// The first real address replaces the placeholder.
	id.Email = "kim@ostersund.se"
	if u, err = SignInOIDC(ctx, users, id, testRules); err != nil || u.Email != "kim@ostersund.se" {
		t.Errorf("%+v, %v", u, err)
	}
	if IsPlaceholderEmail(u.Email) || IsPlaceholderEmail("someone@inkludera.invalid") {
		t.Error("IsPlaceholderEmail of a real address")
	}
}

// Accounts are found by issuer and subject, never by e-mail.
func TestSignInOIDCSameEmail(t *testing.T) {
	ctx := context.Background()
	users := &memUsers{}
	eva, _ := users.CreateUser(ctx, strategy.User{Email: "eva@ostersund.se", Name: "Eva", Role: strategy.RoleReader, Org: "2380"}, "hash")
	kim, err := SignInOIDC(ctx, users, Identity{Issuer: "https://idp", Subject: "kim", Email: "kim@ostersund.se", Name: "Kim", Groups: []string{"g-las"}}, testRules)
	if err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name string
		id   Identity
	}{
		{"a local account's e-mail", Identity{Issuer: "https://idp", Subject: "x", Email: "Eva@Ostersund.se", Name: "X", Groups: []string{"g-admin"}}},
		{"another subject's e-mail", Identity{Issuer: "https://idp", Subject: "y", Email: "kim@ostersund.se", Name: "Y", Groups: []string{"g-admin"}}},
		{"the same subject at another issuer", Identity{Issuer: "https://evil", Subject: "kim", Email: "kim@ostersund.se", Name: "Y", Groups: []string{"g-admin"}}},
		{"an existing account moving to a taken e-mail", Identity{Issuer: "https://idp", Subject: "kim", Email: "eva@ostersund.se", Name: "Kim", Groups: []string{"g-admin"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u, err := SignInOIDC(ctx, users, tc.id, testRules)
			var e *strategy.Error
			if !errors.As(err, &e) || e.Code != strategy.CodeConflict || !strings.Contains(e.Message, "Det finns redan ett annat konto med e-postadressen") {
				t.Fatalf("%+v, %v; want a conflict", u, err)
			}
			if users.byID(eva.ID) != eva || users.byID(kim.ID) != kim || users.count() != 2 {
				t.Error("an account changed, or one was added")
			}
		})
	}
	// A new subject at another issuer with its own e-mail is a new account.
	u, err := SignInOIDC(ctx, users, Identity{Issuer: "https://idp2", Subject: "kim", Email: "kim2@ostersund.se", Name: "Kim", Groups: []string{"g-las"}}, testRules)
	if err != nil || u.ID == kim.ID || users.count() != 3 {
		t.Errorf("%+v, %v", u, err)
	}
}

// Two first sign-ins at once: the second finds the account the first made.
func TestSignInOIDCConcurrentFirst(t *testing.T) {
	users := &racingFirst{memUsers: &memUsers{}}
	id := Identity{Issuer: "https://idp", Subject: "s", Email: "a@ostersund.se", Name: "A", Groups: []string{"g-sam"}}
	u, err := SignInOIDC(context.Background(), users, id, testRules)
	if err != nil || u.ID == 0 || u.Role != strategy.RoleCoordinator || users.count() != 1 {
		t.Fatalf("%+v, %v", u, err)
	}
}

type racingFirst struct{ *memUsers }

func (r *racingFirst) CreateUser(ctx context.Context, u strategy.User, hash string) (strategy.User, error) {
	other := u
	other.Role, other.Org = strategy.RoleReader, "2380" // the other request's view
	r.memUsers.CreateUser(ctx, other, hash)
	return r.memUsers.CreateUser(ctx, u, hash)
}

func TestSignInOIDCStoreErrors(t *testing.T) {
	id := Identity{Issuer: "https://idp", Subject: "s", Email: "a@b.se", Name: "A", Groups: []string{"g-sam"}}
	_, err := SignInOIDC(context.Background(), failingUsers{}, id, testRules)
	if strategy.CodeOf(err) != strategy.CodeInternal || !strings.Contains(err.Error(), "disk") {
		t.Errorf("%v", err)
	}
	if _, err := SignInOIDC(context.Background(), &memUsers{}, Identity{Groups: []string{"g-sam"}}, testRules); strategy.CodeOf(err) != strategy.CodeInternal {
		t.Errorf("identity without subject: %v", err)
	}
}

type failingUsers struct{ OIDCUsers }

func (failingUsers) UserByIdentity(context.Context, string, string) (strategy.User, error) {
	return strategy.User{}, strategy.Internal(errors.New("disk I/O error"), "reading a user")
}

// The whole way: provider, Finish, SignInOIDC; a group change at the
// provider changes the role at the next sign-in.
func TestOIDCEndToEnd(t *testing.T) {
	p, o := newTestOIDC(t)
	users := &memUsers{}
	signIn := func() strategy.User {
		t.Helper()
		id, err := signInVia(t, o)
		if err != nil {
			t.Fatal(err)
		}
		u, err := SignInOIDC(context.Background(), users, id, o.Rules())
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	p.NextIdentity("sub-1", "oid-1", "anna@ostersund.se", "Anna", []string{"g-las", "unrelated"})
	first := signIn()
	if first.Role != strategy.RoleReader || first.Subject != "oid-1" || first.Issuer != p.Issuer {
		t.Fatalf("%+v", first)
	}
	p.NextIdentity("sub-1", "oid-1", "anna@ostersund.se", "Anna", []string{"g-sam"})
	second := signIn()
	if second.ID != first.ID || second.Role != strategy.RoleCoordinator || users.count() != 1 {
		t.Fatalf("%+v", second)
	}
	p.NextIdentity("sub-1", "oid-1", "anna@ostersund.se", "Anna", []string{"unrelated"})
	id, err := signInVia(t, o)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := SignInOIDC(context.Background(), users, id, o.Rules()); strategy.CodeOf(err) != strategy.CodeForbidden {
		t.Fatalf("without a group: %v", err)
	}
}
