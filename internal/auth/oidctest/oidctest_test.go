package oidctest

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

const redirect = "http://app.test/callback"

// authorize asks for a code with the given extra parameters and returns
// the callback's query.
func authorize(t *testing.T, p *Provider, params url.Values) url.Values {
	t.Helper()
	q := url.Values{"response_type": {"code"}, "client_id": {p.ClientID}, "redirect_uri": {redirect},
		"state": {"st"}, "nonce": {"n"}, "scope": {"openid"}}
	for k, v := range params {
		q[k] = v
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(p.Issuer + "/authorize?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, err := resp.Location()
	if err != nil {
		t.Fatalf("%s: no redirect", resp.Status)
	}
	if !strings.HasPrefix(loc.String(), redirect+"?") || loc.Query().Get("state") != "st" {
		t.Fatalf("redirected to %s", loc)
	}
	return loc.Query()
}

// exchange posts to the token endpoint and returns the status and the
// decoded answer.
func exchange(t *testing.T, p *Provider, form url.Values) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("POST", p.Issuer+"/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(url.QueryEscape(p.ClientID), url.QueryEscape(p.ClientSecret))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	json.NewDecoder(resp.Body).Decode(&body)
	return resp.StatusCode, body
}

func challenge(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

const verifier = "a-verifier-of-at-least-forty-three-characters-0123"

func TestPKCERequired(t *testing.T) {
	p := Start(t)
	p.NextIdentity("s", "", "", "", nil)
	for name, params := range map[string]url.Values{
		"no challenge":    {},
		"plain challenge": {"code_challenge": {verifier}, "code_challenge_method": {"plain"}},
		"no method":       {"code_challenge": {challenge(verifier)}},
		"implicit flow":   {"response_type": {"id_token"}, "code_challenge": {challenge(verifier)}, "code_challenge_method": {"S256"}},
	} {
		if q := authorize(t, p, params); q.Get("error") == "" || q.Get("code") != "" {
			t.Errorf("%s: %v, want an error", name, q)
		}
	}
}

func TestTokenEndpoint(t *testing.T) {
	p := Start(t)
	p.NextIdentity("s", "", "", "", nil)
	code := func() string {
		q := authorize(t, p, url.Values{"code_challenge": {challenge(verifier)}, "code_challenge_method": {"S256"}})
		if q.Get("code") == "" {
			t.Fatalf("no code: %v", q)
		}
		return q.Get("code")
	}
	form := func(code, v string) url.Values {
		return url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirect}, "code_verifier": {v}}
	}
	for _, tc := range []struct {
		name  string
		form  url.Values
		error string
	}{
		{"wrong verifier", form(code(), verifier+"x"), "invalid_grant"},
		{"no verifier", form(code(), ""), "invalid_grant"},
		{"other redirect_uri", func() url.Values { f := form(code(), verifier); f.Set("redirect_uri", "http://evil.test/"); return f }(), "invalid_grant"},
		{"unknown code", form("nope", verifier), "invalid_grant"},
	} {
		if status, body := exchange(t, p, tc.form); status != http.StatusBadRequest || body["error"] != tc.error {
			t.Errorf("%s: %d %v", tc.name, status, body)
		}
	}

	c := code()
	if status, body := exchange(t, p, form(c, verifier)); status != http.StatusOK || body["id_token"] == nil {
		t.Fatalf("good exchange: %d %v", status, body)
	}
	if status, body := exchange(t, p, form(c, verifier)); status != http.StatusBadRequest {
		t.Errorf("a code used twice: %d %v", status, body)
	}
	// A code tried with a wrong verifier is spent too.
	c = code()
	exchange(t, p, form(c, "wrong"))
	if status, _ := exchange(t, p, form(c, verifier)); status != http.StatusBadRequest {
		t.Error("a code survived a failed exchange")
	}

	p.ClientSecret = "changed"
	if status, body := exchange(t, p, form(code(), verifier)); status != http.StatusOK {
		t.Fatalf("%d %v", status, body)
	}
	req, _ := http.NewRequest("POST", p.Issuer+"/token", strings.NewReader(form(code(), verifier).Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(p.ClientID, "wrong")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("wrong secret: %s", resp.Status)
	}
}

func TestNoIdentity(t *testing.T) {
	p := Start(t)
	resp, err := http.Get(p.Issuer + "/authorize?" + url.Values{"client_id": {p.ClientID}, "redirect_uri": {redirect},
		"response_type": {"code"}, "code_challenge": {challenge(verifier)}, "code_challenge_method": {"S256"}}.Encode())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusInternalServerError {
		t.Errorf("%s, want an error that says NextIdentity is missing", resp.Status)
	}
}
