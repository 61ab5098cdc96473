// Package oidctest is an OpenID Connect provider for tests: discovery, a
// JWKS, an authorization endpoint that signs in whoever NextIdentity named
// without asking, and a token endpoint that checks what a real provider
// checks (client credentials, a one-time code, its redirect URI, PKCE) and
// issues an RS256 ID token. Knobs make the next token bad in one way.
//
//	p := oidctest.Start(t)
//	p.NextIdentity("sub-1", "oid-1", "anna@kommun.se", "Anna", []string{"g1"})
//	// configure the client with p.Issuer, p.ClientID, p.ClientSecret;
//	// an http.Client following redirects goes through /authorize straight
//	// back to the redirect URI with code and state.
package oidctest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// Provider is a running test provider. Its methods are safe for concurrent
// use.
type Provider struct {
	// Issuer is the provider's URL (plain http on a loopback port), which is
	// also its issuer.
	Issuer       string
	ClientID     string
	ClientSecret string

	srv   *httptest.Server
	key   *rsa.PrivateKey
	keyID string

	mu       sync.Mutex
	identity *identity
	extra    map[string]any   // claims added to every token
	grants   map[string]grant // by code
	bad      badness
}

// identity is who /authorize signs in.
type identity struct {
	sub, oid, email, name string
	groups                []string
}

// grant is what a code stands for until it is exchanged.
type grant struct {
	id          identity
	extra       map[string]any
	clientID    string
	redirectURI string
	nonce       string
	challenge   string
}

// badness is what is wrong with the next token.
type badness struct {
	wrongKey, wrongAudience, expired bool
}

// Start runs a provider until the test ends.
func Start(t testing.TB) *Provider {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	p := &Provider{
		ClientID:     "inkludera-test",
		ClientSecret: rand.Text(),
		key:          key,
		keyID:        "key-1",
		grants:       map[string]grant{},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", p.discovery)
	mux.HandleFunc("GET /jwks", p.jwks)
	mux.HandleFunc("GET /authorize", p.authorize)
	mux.HandleFunc("POST /token", p.token)
	p.srv = httptest.NewServer(mux)
	p.Issuer = p.srv.URL
	t.Cleanup(p.srv.Close)
	return p
}

// NextIdentity sets who /authorize signs in from now on: the ID token's
// sub, and oid (Entra ID's object id; "" leaves the claim out), email and
// name ("" leaves them out) and groups (nil leaves the claim out).
func (p *Provider) NextIdentity(sub, oid, email, name string, groups []string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.identity = &identity{sub: sub, oid: oid, email: email, name: name, groups: slices.Clone(groups)}
}

// SetClaim adds a claim to the tokens issued from now on, or with a nil
// value removes it: for what NextIdentity does not cover, such as
// "preferred_username" or Entra ID's "_claim_names" of a groups overage.
// It overrides oid, email, name and groups of NextIdentity, but not sub,
// iss, aud, exp, iat, nbf or nonce.
func (p *Provider) SetClaim(name string, value any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.extra == nil {
		p.extra = map[string]any{}
	}
	if value == nil {
		delete(p.extra, name)
	} else {
		p.extra[name] = value
	}
}

// SignWithWrongKey makes the next token signed by a key the JWKS does not
// have (under the key id of the real one).
func (p *Provider) SignWithWrongKey() { p.knob(func(b *badness) { b.wrongKey = true }) }

// WrongAudience makes the next token issued to another client.
func (p *Provider) WrongAudience() { p.knob(func(b *badness) { b.wrongAudience = true }) }

// Expired makes the next token expired an hour ago.
func (p *Provider) Expired() { p.knob(func(b *badness) { b.expired = true }) }

func (p *Provider) knob(f func(*badness)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	f(&p.bad)
}

func (p *Provider) discovery(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer":                                p.Issuer,
		"authorization_endpoint":                p.Issuer + "/authorize",
		"token_endpoint":                        p.Issuer + "/token",
		"jwks_uri":                              p.Issuer + "/jwks",
		"response_types_supported":              []string{"code"},
		"subject_types_supported":               []string{"public"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"code_challenge_methods_supported":      []string{"S256"},
		"scopes_supported":                      []string{"openid", "profile", "email"},
		"token_endpoint_auth_methods_supported": []string{"client_secret_basic", "client_secret_post"},
	})
}

func (p *Provider) jwks(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, jose.JSONWebKeySet{Keys: []jose.JSONWebKey{
		{Key: &p.key.PublicKey, KeyID: p.keyID, Algorithm: string(jose.RS256), Use: "sig"},
	}})
}

// authorize signs in the identity at once and redirects back with a code,
// or with an error (RFC 6749 §4.1.2.1) for a request it refuses. Like
// OAuth 2.1, it refuses requests without an S256 PKCE challenge.
func (p *Provider) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	redirect, err := url.Parse(q.Get("redirect_uri"))
	if err != nil || !redirect.IsAbs() {
		http.Error(w, "oidctest: redirect_uri missing or not absolute", http.StatusBadRequest)
		return
	}
	if q.Get("client_id") != p.ClientID {
		http.Error(w, "oidctest: unknown client_id", http.StatusBadRequest)
		return
	}
	back := func(params url.Values) {
		params.Set("state", q.Get("state"))
		u := *redirect
		u.RawQuery = params.Encode()
		http.Redirect(w, r, u.String(), http.StatusFound)
	}
	switch {
	case q.Get("response_type") != "code":
		back(url.Values{"error": {"unsupported_response_type"}})
		return
	case q.Get("code_challenge") == "" || q.Get("code_challenge_method") != "S256":
		back(url.Values{"error": {"invalid_request"}, "error_description": {"PKCE with S256 is required"}})
		return
	}
	p.mu.Lock()
	if p.identity == nil {
		p.mu.Unlock()
		http.Error(w, "oidctest: no identity to sign in: call NextIdentity first", http.StatusInternalServerError)
		return
	}
	code := rand.Text()
	p.grants[code] = grant{
		id:          *p.identity,
		extra:       maps.Clone(p.extra),
		clientID:    p.ClientID,
		redirectURI: redirect.String(),
		nonce:       q.Get("nonce"),
		challenge:   q.Get("code_challenge"),
	}
	p.mu.Unlock()
	back(url.Values{"code": {code}})
}

// token exchanges a code for tokens (RFC 6749 §4.1.3, RFC 7636 §4.6).
func (p *Provider) token(w http.ResponseWriter, r *http.Request) {
	fail := func(status int, code, description string) {
		writeJSON(w, status, map[string]string{"error": code, "error_description": description})
	}
	if err := r.ParseForm(); err != nil {
		fail(http.StatusBadRequest, "invalid_request", err.Error())
		return
	}
	id, secret, ok := r.BasicAuth()
	if ok {
		// client_secret_basic form-encodes both (RFC 6749 §2.3.1).
		id, _ = url.QueryUnescape(id)
		secret, _ = url.QueryUnescape(secret)
	} else {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	if id != p.ClientID || subtle.ConstantTimeCompare([]byte(secret), []byte(p.ClientSecret)) != 1 {
		fail(http.StatusUnauthorized, "invalid_client", "unknown client or wrong secret")
		return
	}
	if r.PostForm.Get("grant_type") != "authorization_code" {
		fail(http.StatusBadRequest, "unsupported_grant_type", "only authorization_code")
		return
	}

	p.mu.Lock()
	code := r.PostForm.Get("code")
	g, ok := p.grants[code]
	delete(p.grants, code) // a code is good for one try
	p.mu.Unlock()

	sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
	switch {
	case !ok:
		fail(http.StatusBadRequest, "invalid_grant", "unknown or used code")
		return
	case g.clientID != id:
		fail(http.StatusBadRequest, "invalid_grant", "code issued to another client")
		return
	case r.PostForm.Get("redirect_uri") != g.redirectURI:
		fail(http.StatusBadRequest, "invalid_grant", "redirect_uri differs from the authorization request's")
		return
	case r.PostForm.Get("code_verifier") == "":
		fail(http.StatusBadRequest, "invalid_grant", "code_verifier missing")
		return
	case base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge:
		fail(http.StatusBadRequest, "invalid_grant", "code_verifier does not match the code_challenge")
		return
	}
	p.mu.Lock()
	bad := p.bad
	p.bad = badness{}
	p.mu.Unlock()
	idToken, err := p.sign(g, bad)
	if err != nil {
		fail(http.StatusInternalServerError, "server_error", err.Error())
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, map[string]any{
		"access_token": rand.Text(),
		"token_type":   "Bearer",
		"expires_in":   3600,
		"id_token":     idToken,
	})
}

// sign makes the ID token of a grant.
func (p *Provider) sign(g grant, bad badness) (string, error) {
	key := p.key
	if bad.wrongKey {
		var err error
		if key, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			return "", err
		}
	}
	signer, err := jose.NewSigner(
		jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: key, KeyID: p.keyID}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		return "", err
	}
	now := time.Now()
	aud := g.clientID
	if bad.wrongAudience {
		aud = "another-client"
	}
	exp := now.Add(time.Hour)
	if bad.expired {
		now = now.Add(-2 * time.Hour)
		exp = now.Add(time.Hour)
	}
	claims := map[string]any{}
	if g.id.groups != nil {
		claims["groups"] = g.id.groups
	}
	for name, v := range map[string]string{"oid": g.id.oid, "email": g.id.email, "name": g.id.name} {
		if v != "" {
			claims[name] = v
		}
	}
	maps.Copy(claims, g.extra)
	maps.Copy(claims, map[string]any{
		"iss":   p.Issuer,
		"sub":   g.id.sub,
		"aud":   aud,
		"iat":   now.Unix(),
		"nbf":   now.Unix(),
		"exp":   exp.Unix(),
		"nonce": g.nonce,
	})
	return jwt.Signed(signer).Claims(claims).Serialize()
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
