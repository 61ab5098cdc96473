package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/inkludera/inkludera/internal/strategy"
)

// bearer sends a GET with an API token (none when token is "") and no
// cookies, as an API client does.
func bearer(t *testing.T, b *webClient, target, token string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest("GET", b.url(target), nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	client := *b.c
	client.Jar = nil
	return (&webClient{srv: b.srv, c: &client}).do(t, req)
}

func TestAPITokens(t *testing.T) { onEngines(t, testAPITokens) }

func testAPITokens(t *testing.T) {
	e, b := newSignInEnv(t)
	b.signIn(t, testCoordinator)

	// Refused: no name.
	res, page := b.post(t, "/konto/nycklar", url.Values{"name": {"  "}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("token without a name: status %d", res.StatusCode)
	}
	for _, want := range []string{`<a href="#nyckelnamn">Ange vad nyckeln ska användas till`, `aria-describedby="nyckelnamn-hjalp nyckelnamn-fel" aria-invalid="true"`} {
		if !strings.Contains(page, want) {
			t.Errorf("refused form lacks %q", want)
		}
	}
	checkHTML(t, page)

	res, page = b.post(t, "/konto/nycklar", url.Values{"name": {"rapportverktyget"}})
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("create token: status %d:\n%s", res.StatusCode, page)
	}
	secret := regexp.MustCompile(`value="(ink_[a-z2-7]{52})"`).FindStringSubmatch(page)
	if secret == nil {
		t.Fatalf("the page does not show the new secret:\n%s", page)
	}
	if !strings.Contains(page, "kan inte visas igen") || res.Header.Get("Cache-Control") != "no-store" {
		t.Error("the secret is not marked as shown once, or the page may be cached")
	}
	checkHTML(t, page)
	if _, page = b.get(t, "/konto"); strings.Contains(page, secret[1]) || !strings.Contains(page, "rapportverktyget") {
		t.Error("the account page shows the secret again, or not the token's name")
	}

	// The token acts as its user on the API.
	res, body := bearer(t, b, "/api/v1/audit?org=2313", secret[1])
	if res.StatusCode != 200 || !strings.HasPrefix(body, "[") {
		t.Fatalf("API with the token: status %d: %s", res.StatusCode, body)
	}
	if !strings.Contains(e.log.String(), `"user":2,"via":"api"`) {
		t.Error("the access log does not say which user the token was")
	}
	tokens, err := e.st.APITokens(context.Background(), testCoordinator.ID)
	if err != nil || len(tokens) != 1 || tokens[0].LastUsed.IsZero() {
		t.Fatalf("stored tokens = %+v, %v; want one, used", tokens, err)
	}
	id := strconv.FormatInt(tokens[0].ID, 10)

	// Someone else cannot revoke it.
	other := webClientOf(t, b.srv)
	other.signIn(t, testOtherCoord)
	if res, _ := other.post(t, "/konto/nycklar/"+id+"/aterkalla", nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("revoking another user's token: status %d, want 404", res.StatusCode)
	}

	res, page = b.post(t, "/konto/nycklar/"+id+"/aterkalla", nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/konto" {
		t.Fatalf("revoke: status %d: %s", res.StatusCode, page)
	}
	if _, page = b.get(t, "/konto"); !strings.Contains(page, "Nyckeln ”rapportverktyget” är återkallad") || !strings.Contains(page, "<td>Återkallad</td>") {
		t.Error("the account page does not show the token revoked")
	}

	tests := []struct {
		name, target, token string
	}{
		{"revoked", "/api/v1/audit?org=2313", secret[1]},
		{"unknown, on a public route", "/api/v1/organisations", "ink_" + strings.Repeat("a", 52)},
		{"missing", "/api/v1/audit?org=2313", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := bearer(t, b, tt.target, tt.token)
			if res.StatusCode != http.StatusUnauthorized {
				t.Fatalf("status %d, want 401: %s", res.StatusCode, body)
			}
			var e apiError
			if err := json.Unmarshal([]byte(body), &e); err != nil || e.Code != "unauthorized" || e.Message == "" {
				t.Errorf("body %s is not a JSON error (%v)", body, err)
			}
			if wa := res.Header.Get("WWW-Authenticate"); !strings.HasPrefix(wa, `Bearer realm="Inkludera"`) {
				t.Errorf("WWW-Authenticate = %q", wa)
			}
		})
	}
}

func TestAPITokenOfDisabledUser(t *testing.T) { onEngines(t, testAPITokenOfDisabledUser) }

func testAPITokenOfDisabledUser(t *testing.T) {
	e, b := newSignInEnv(t)
	b.signIn(t, testReader)
	_, page := b.post(t, "/konto/nycklar", url.Values{"name": {"skript"}})
	secret := regexp.MustCompile(`value="(ink_[a-z2-7]{52})"`).FindStringSubmatch(page)
	if secret == nil {
		t.Fatal("no token made")
	}
	if res, _ := bearer(t, b, "/api/v1/organisations", secret[1]); res.StatusCode != 200 {
		t.Fatalf("status %d", res.StatusCode)
	}
	u := *testReader
	u.Disabled = true
	if _, err := e.st.UpdateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	if res, _ := bearer(t, b, "/api/v1/organisations", secret[1]); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("a disabled user's token: status %d, want 401", res.StatusCode)
	}
}

// TestWritesRefusedCrossSite checks that a form on another site cannot make
// a signed-in browser change anything, signing in included (login CSRF).
func TestWritesRefusedCrossSite(t *testing.T) {
	e, b := newSignInEnv(t)
	b.signIn(t, testAdmin)
	usersBefore, _ := e.st.ListUsers(context.Background())
	posts := []struct {
		path string
		form url.Values
	}{
		{"/admin/anvandare", url.Values{"email": {"ny@stromsund.se"}, "name": {"Ny"}, "role": {"admin"}}},
		{"/admin/anvandare/5", url.Values{"role": {"admin"}}},
		{"/konto/nycklar", url.Values{"name": {"stulen"}}},
		{"/logga-ut", nil},
		{"/logga-in", url.Values{"email": {testReader.Email}, "password": {testPassword}}},
	}
	for _, p := range posts {
		t.Run(p.path, func(t *testing.T) {
			req, _ := http.NewRequest("POST", b.url(p.path), strings.NewReader(p.form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Sec-Fetch-Site", "cross-site")
			res, page := b.do(t, req)
			if res.StatusCode != http.StatusForbidden || !strings.Contains(page, "Förfrågan kom från en annan webbplats och nekades.") {
				t.Errorf("status %d, want 403 with the Swedish message", res.StatusCode)
			}
		})
	}
	if name := b.signedInAs(t); name != testAdmin.Name {
		t.Errorf("after the refused posts the browser is signed in as %q", name)
	}
	usersAfter, _ := e.st.ListUsers(context.Background())
	reader, err := e.st.UserByID(context.Background(), testReader.ID)
	if len(usersAfter) != len(usersBefore) || err != nil || reader.Role != strategy.RoleReader {
		t.Errorf("a refused cross-site post changed the users (%d → %d; user 5 %+v, %v)", len(usersBefore), len(usersAfter), reader, err)
	}
	if tokens, _ := e.st.APITokens(context.Background(), 0); len(tokens) != 0 {
		t.Errorf("a refused cross-site post made a token: %+v", tokens)
	}
}
