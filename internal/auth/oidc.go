package auth

import (
	"cmp"
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/inkludera/inkludera/internal/strategy"
)

// OIDCConfig configures sign-in through an OpenID Connect provider such as
// Microsoft Entra ID.
type OIDCConfig struct {
	// Issuer is the provider's issuer URL, where discovery starts. For Entra
	// ID it is the tenant's, https://login.microsoftonline.com/TENANT-ID/v2.0
	// (not /common or /organizations, whose tokens name the tenant instead).
	Issuer string
	// ClientID and ClientSecret are the application's registration. The
	// secret may be empty for a public client (PKCE is used either way).
	ClientID     string
	ClientSecret string
	// RedirectURL is the absolute URL of the callback, as registered with
	// the provider.
	RedirectURL string
	// Scopes default to openid, profile and email; openid is added when
	// missing.
	Scopes []string
	// GroupsClaim names the ID token claim that lists the user's groups,
	// "groups" by default (Entra ID: group object ids, once the app
	// registration's token configuration adds the groups claim).
	GroupsClaim string
	// Rules give roles to groups; see GroupRule and SignInOIDC.
	Rules []GroupRule
	// Label is the text of the sign-in button, "Logga in med
	// organisationskonto" by default.
	Label string
}

// GroupRule gives the members of a provider group a role in Inkludera: an
// admin has neither Org nor Body, a samordnare and a läsare an Org, a
// nämndredaktör an Org and a Body (a body key of that organisation).
type GroupRule struct {
	Group string
	Role  strategy.Role
	Org   string
	Body  string
}

// String is the rule as ParseGroupRules reads it: GROUP=ROLE[:ORG[:BODY]].
func (r GroupRule) String() string {
	s := r.Group + "=" + string(r.Role)
	if r.Org != "" || r.Body != "" {
		s += ":" + r.Org
	}
	if r.Body != "" {
		s += ":" + r.Body
	}
	return s
}

// check says what is wrong with the rule, nil when nothing.
func (r GroupRule) check() error {
	if strings.TrimSpace(r.Group) == "" {
		return errors.New("the group is empty")
	}
	switch r.Role {
	case strategy.RoleAdmin:
		if r.Org != "" || r.Body != "" {
			return errors.New("an admin is not tied to an organisation or body: write GROUP=admin")
		}
		return nil
	case strategy.RoleCoordinator, strategy.RoleReader:
		if r.Body != "" {
			return fmt.Errorf("a %s covers the whole organisation and has no body: write GROUP=%s:ORG", r.Role, r.Role)
		}
	case strategy.RoleEditor:
		if r.Body == "" {
			return errors.New("a namndredaktor needs the body whose action plans they keep: write GROUP=namndredaktor:ORG:BODY")
		}
		if !strategy.ValidKey(r.Body) {
			return fmt.Errorf("%q is not a body key (lower-case letters, digits, '.', '_' and '-')", r.Body)
		}
	default:
		return fmt.Errorf("unknown role %q: want admin, samordnare, namndredaktor or lasare", r.Role)
	}
	if r.Org == "" {
		return fmt.Errorf("a %s needs the organisation the role applies to: write GROUP=%s:ORG", r.Role, r.Role)
	}
	if !strategy.ValidOrgCode(r.Org) {
		return fmt.Errorf("%q is not a kommun, län or riket code (four or two digits, such as 2380)", r.Org)
	}
	return nil
}

// checkRules checks every rule, and that no group has two.
func checkRules(rules []GroupRule) error {
	var errs []error
	seen := map[string]GroupRule{}
	for _, r := range rules {
		if err := r.check(); err != nil {
			errs = append(errs, fmt.Errorf("group rule %q: %w", r.String(), err))
			continue
		}
		if prev, dup := seen[r.Group]; dup {
			errs = append(errs, fmt.Errorf("group rule %q: group %q already has the rule %q; a user has one role", r.String(), r.Group, prev.String()))
			continue
		}
		seen[r.Group] = r
	}
	return errors.Join(errs...)
}

// ParseGroupRules reads group rules from a flag value: comma-separated
// entries GROUP=ROLE[:ORG[:BODY]], such as
//
//	c0ffee…=samordnare:2380,beef…=namndredaktor:2380:bun,ad-group=admin
//
// Spaces around entries and parts are ignored, and so are empty entries.
// An empty s is no rules. The error names every entry that is wrong.
func ParseGroupRules(s string) ([]GroupRule, error) {
	var rules []GroupRule
	var errs []error
	for entry := range strings.SplitSeq(s, ",") {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		i := strings.LastIndexByte(entry, '=')
		if i < 0 {
			errs = append(errs, fmt.Errorf("group rule %q: want GROUP=ROLE[:ORG[:BODY]], such as 1a2b…=samordnare:2380", entry))
			continue
		}
		parts := strings.Split(entry[i+1:], ":")
		if len(parts) > 3 {
			errs = append(errs, fmt.Errorf("group rule %q: too many parts after %q; want ROLE[:ORG[:BODY]]", entry, "="))
			continue
		}
		for j := range parts {
			parts[j] = strings.TrimSpace(parts[j])
		}
		parts = append(parts, "", "")
		r := GroupRule{Group: strings.TrimSpace(entry[:i]), Role: strategy.Role(parts[0]), Org: parts[1], Body: parts[2]}
		if err := r.check(); err != nil {
			errs = append(errs, fmt.Errorf("group rule %q: %w", entry, err))
			continue
		}
		rules = append(rules, r)
	}
	if len(errs) == 0 {
		errs = append(errs, checkRules(rules)) // duplicates
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return rules, nil
}

// PendingLoginMaxAge is how long a sign-in started with Begin may take.
const PendingLoginMaxAge = 10 * time.Minute

// PendingLogin is a sign-in between Begin and Finish: the web layer keeps
// it in the session (Sessions.PutPendingLogin) while the browser visits the
// provider. State ties the callback to this browser, Nonce the ID token to
// this sign-in, and Verifier is the PKCE secret whose challenge went out.
type PendingLogin struct {
	State    string    `json:"state"`
	Nonce    string    `json:"nonce"`
	Verifier string    `json:"verifier"`
	Created  time.Time `json:"created"`
}

// Identity is who the provider says signed in.
type Identity struct {
	Issuer string
	// Subject is Entra ID's "oid" claim (the user's object id, the same
	// for every application of the tenant) when the token has one, else
	// the standard "sub".
	Subject string
	// Email is "" when the provider sent none.
	Email string
	// Name is the "name" claim, else "preferred_username".
	Name   string
	Groups []string
	// GroupsOverage is true when the provider left the groups out because
	// the user has too many (Entra ID: more than 200 in a token); configure
	// the app registration to send only the groups assigned to it.
	GroupsOverage bool
}

// OIDC signs users in with the authorization code flow, PKCE (S256) and a
// nonce. It is safe for concurrent use.
type OIDC struct {
	cfg      OIDCConfig
	oauth    oauth2.Config
	verifier *oidc.IDTokenVerifier
	client   *http.Client
	now      func() time.Time
}

// signInNotVerified is what a user sees of any failure of Finish.
const signInNotVerified = "Inloggningen kunde inte verifieras. Försök igen."

// NewOIDC checks cfg, fills in its defaults and fetches the provider's
// discovery document. ctx bounds discovery; an *http.Client in it (under
// oauth2.HTTPClient, as oidc.ClientContext puts it) is used for every
// request to the provider, otherwise one with a 30-second timeout.
func NewOIDC(ctx context.Context, cfg OIDCConfig) (*OIDC, error) {
	var errs []error
	if cfg.Issuer == "" {
		errs = append(errs, errors.New("the issuer URL is required"))
	}
	if cfg.ClientID == "" {
		errs = append(errs, errors.New("the client id is required"))
	}
	if u, err := url.Parse(cfg.RedirectURL); err != nil || !u.IsAbs() || u.Host == "" {
		errs = append(errs, fmt.Errorf("the redirect URL %q is not an absolute URL such as https://inkludera.example.se/logga-in/oidc/svar", cfg.RedirectURL))
	}
	if len(cfg.Rules) == 0 {
		errs = append(errs, errors.New("no group rules: nobody could sign in; give at least one GROUP=ROLE[:ORG[:BODY]]"))
	}
	errs = append(errs, checkRules(cfg.Rules))
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("OpenID Connect configuration: %w", err)
	}
	if len(cfg.Scopes) == 0 {
		cfg.Scopes = []string{oidc.ScopeOpenID, "profile", "email"}
	} else if !slices.Contains(cfg.Scopes, oidc.ScopeOpenID) {
		cfg.Scopes = append([]string{oidc.ScopeOpenID}, cfg.Scopes...)
	}
	if cfg.GroupsClaim == "" {
		cfg.GroupsClaim = "groups"
	}
	if cfg.Label == "" {
		cfg.Label = "Logga in med organisationskonto"
	}
	cfg.Rules = slices.Clone(cfg.Rules)

	client, ok := ctx.Value(oauth2.HTTPClient).(*http.Client)
	if !ok || client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	provider, err := oidc.NewProvider(oidc.ClientContext(ctx, client), cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("OpenID Connect discovery at %s: %w", cfg.Issuer, err)
	}
	o := &OIDC{
		cfg:    cfg,
		client: client,
		now:    time.Now,
		oauth: oauth2.Config{
			ClientID:     cfg.ClientID,
			ClientSecret: cfg.ClientSecret,
			Endpoint:     provider.Endpoint(),
			RedirectURL:  cfg.RedirectURL,
			Scopes:       cfg.Scopes,
		},
	}
	o.verifier = provider.Verifier(&oidc.Config{ClientID: cfg.ClientID, Now: func() time.Time { return o.now() }})
	return o, nil
}

// Label is the text of the sign-in button.
func (o *OIDC) Label() string { return o.cfg.Label }

// Rules are the group rules of the configuration, for SignInOIDC.
func (o *OIDC) Rules() []GroupRule { return slices.Clone(o.cfg.Rules) }

// Begin starts a sign-in: the browser is to be sent to authURL, and
// pending kept in its session until the callback.
func (o *OIDC) Begin() (authURL string, pending PendingLogin) {
	pending = PendingLogin{
		State:    rand.Text(),
		Nonce:    rand.Text(),
		Verifier: oauth2.GenerateVerifier(),
		Created:  o.now().UTC(),
	}
	authURL = o.oauth.AuthCodeURL(pending.State, oidc.Nonce(pending.Nonce), oauth2.S256ChallengeOption(pending.Verifier))
	return authURL, pending
}

// Finish completes a sign-in at the callback, given the pending sign-in of
// the browser's session (the zero PendingLogin when there is none) and the
// callback's state and code parameters. It checks the state (in constant
// time) and the age of the pending sign-in (at most PendingLoginMaxAge),
// exchanges the code with the PKCE verifier, and verifies the ID token:
// its signature against the provider's published keys, its issuer, its
// audience (the client id), its expiry and its nonce.
//
// Every failure is a *strategy.Error with CodeUnauthorized, the message
// "Inloggningen kunde inte verifieras. Försök igen." and the cause, in
// English, in Err for the log.
func (o *OIDC) Finish(ctx context.Context, pending PendingLogin, state, code string) (Identity, error) {
	fail := func(format string, args ...any) (Identity, error) {
		return Identity{}, &strategy.Error{Code: strategy.CodeUnauthorized, Message: signInNotVerified,
			Err: fmt.Errorf("OpenID Connect: "+format, args...)}
	}
	switch {
	case pending.State == "":
		return fail("no sign-in is pending in this session (already finished, or the cookie was lost)")
	case subtle.ConstantTimeCompare([]byte(pending.State), []byte(state)) != 1:
		return fail("the state of the callback is not that of the pending sign-in")
	}
	age := o.now().Sub(pending.Created)
	switch {
	case pending.Created.IsZero() || age < -time.Minute:
		return fail("the pending sign-in has no valid start time (%v)", pending.Created)
	case age > PendingLoginMaxAge:
		return fail("the sign-in started %v ago, longer than %v", age.Round(time.Second), PendingLoginMaxAge)
	case code == "":
		return fail("the callback has no code")
	}

	ctx = oidc.ClientContext(ctx, o.client)
	token, err := o.oauth.Exchange(ctx, code, oauth2.VerifierOption(pending.Verifier))
	if err != nil {
		return fail("exchanging the code: %w", err)
	}
	raw, ok := token.Extra("id_token").(string)
	if !ok || raw == "" {
		return fail("the token response has no id_token")
	}
	idt, err := o.verifier.Verify(ctx, raw)
	if err != nil {
		return fail("verifying the ID token: %w", err)
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(pending.Nonce)) != 1 {
		return fail("the ID token's nonce is not that of the pending sign-in")
	}

	var claims map[string]json.RawMessage
	if err := idt.Claims(&claims); err != nil {
		return fail("reading the ID token's claims: %w", err)
	}
	str := func(name string) string {
		var s string
		if json.Unmarshal(claims[name], &s) != nil {
			return ""
		}
		return strings.TrimSpace(s)
	}
	id := Identity{Issuer: idt.Issuer, Subject: idt.Subject, Email: str("email"), Name: str("name")}
	if oid := str("oid"); oid != "" {
		id.Subject = oid
	}
	if id.Subject == "" {
		return fail("the ID token has no subject")
	}
	if id.Name == "" {
		id.Name = str("preferred_username")
	}
	id.Groups = stringList(claims[o.cfg.GroupsClaim])
	if _, ok := claims[o.cfg.GroupsClaim]; !ok {
		// Entra ID replaces a groups claim that would be too long with a
		// reference to Microsoft Graph (_claim_names) or "hasgroups".
		var names map[string]json.RawMessage
		_ = json.Unmarshal(claims["_claim_names"], &names)
		_, named := names[o.cfg.GroupsClaim]
		var has bool
		_ = json.Unmarshal(claims["hasgroups"], &has)
		id.GroupsOverage = named || has
	}
	return id, nil
}

// stringList reads a claim that is a list of strings, or one string.
func stringList(raw json.RawMessage) []string {
	var list []any
	if json.Unmarshal(raw, &list) != nil {
		var one string
		if json.Unmarshal(raw, &one) != nil || one == "" {
			return nil
		}
		return []string{one}
	}
	var out []string
	for _, v := range list {
		if s, ok := v.(string); ok && s != "" {
			out = append(out, s)
		}
	}
	return out
}

// OIDCUsers is what SignInOIDC needs of a store; strategy.Store has it.
type OIDCUsers interface {
	UserByIdentity(ctx context.Context, issuer, subject string) (strategy.User, error)
	CreateUser(ctx context.Context, u strategy.User, passwordHash string) (strategy.User, error)
	UpdateUser(ctx context.Context, u strategy.User) (strategy.User, error)
}

// matchRule returns the rule that gives groups the most powerful role
// (admin, samordnare, namndredaktor, lasare), the first in rules among
// those of that role; false when none of the groups has a rule. Groups are
// compared exactly.
func matchRule(groups []string, rules []GroupRule) (GroupRule, bool) {
	for _, role := range strategy.Roles() {
		for _, r := range rules {
			if r.Role == role && slices.Contains(groups, r.Group) {
				return r, true
			}
		}
	}
	return GroupRule{}, false
}

// placeholderDomain is where placeholder e-mail addresses live: .invalid is
// reserved (RFC 2606) and never delivers.
const placeholderDomain = "oidc.inkludera.invalid"

// PlaceholderEmail is the e-mail address of an OpenID Connect account whose
// provider sent none (User.Email is required and unique): "oidc-" and the
// first 32 hex digits of HashToken(issuer + "\n" + subject), at
// oidc.inkludera.invalid. It is the same at every sign-in, differs between
// accounts, and says nothing about the subject. It is replaced as soon as
// the provider sends an address; reminders are not sent to it.
func PlaceholderEmail(issuer, subject string) string {
	return "oidc-" + HashToken(issuer + "\n" + subject)[:32] + "@" + placeholderDomain
}

// IsPlaceholderEmail reports whether email was made by PlaceholderEmail.
func IsPlaceholderEmail(email string) bool {
	return strings.HasSuffix(strings.ToLower(email), "@"+placeholderDomain)
}

// validEmail reports whether s passes User.Validate as an e-mail.
func validEmail(s string) bool {
	return s != "" && strategy.User{Email: s, Name: "x", Role: strategy.RoleAdmin}.Validate() == nil
}

// SignInOIDC finds or creates the account of a verified identity and gives
// it the role of its groups: the first rule, in the order of rules, of the
// most powerful role any of the groups has (admin, samordnare,
// namndredaktor, lasare). The account is found by issuer and subject, never
// by e-mail, so that an address that moves to somebody else, or an account
// at another provider with the same address, is not taken over.
//
// A new account has no password. An existing one is updated when its role,
// organisation, body, name or e-mail no longer match what the provider and
// rules say; an e-mail or name the provider does not send is kept as
// stored. A provider that sends no valid e-mail gets the account a
// PlaceholderEmail. Errors:
//   - CodeForbidden "Ditt konto har ingen roll i Inkludera. Kontakta
//     administratören." when no group has a rule (the cause, in Err, says
//     whether the provider left the groups out);
//   - CodeForbidden when the account is disabled (it is not updated);
//   - CodeConflict when the e-mail belongs to another account;
//   - the store's errors otherwise.
func SignInOIDC(ctx context.Context, users OIDCUsers, id Identity, rules []GroupRule) (strategy.User, error) {
	if id.Issuer == "" || id.Subject == "" {
		return strategy.User{}, strategy.Internal(errors.New("identity without issuer or subject"), "signing in through OpenID Connect")
	}
	rule, ok := matchRule(id.Groups, rules)
	if !ok {
		cause := fmt.Errorf("none of the %d groups of %s at %s has a group rule", len(id.Groups), id.Subject, id.Issuer)
		if id.GroupsOverage {
			cause = fmt.Errorf("the provider left the groups of %s at %s out of the ID token (too many); have it send only the groups assigned to the application", id.Subject, id.Issuer)
		}
		return strategy.User{}, &strategy.Error{Code: strategy.CodeForbidden,
			Message: "Ditt konto har ingen roll i Inkludera. Kontakta administratören.", Err: cause}
	}
	email := ""
	if validEmail(id.Email) {
		email = id.Email
	}
	name := strings.TrimSpace(id.Name)

	u, err := users.UserByIdentity(ctx, id.Issuer, id.Subject)
	if strategy.CodeOf(err) == strategy.CodeNotFound {
		nu := strategy.User{Email: email, Name: name, Role: rule.Role, Org: rule.Org, Body: rule.Body,
			Issuer: id.Issuer, Subject: id.Subject}
		if nu.Email == "" {
			nu.Email = PlaceholderEmail(id.Issuer, id.Subject)
		}
		if nu.Name == "" {
			nu.Name = cmp.Or(email, id.Subject)
		}
		created, cerr := users.CreateUser(ctx, nu, "")
		if cerr == nil {
			return created, nil
		}
		if strategy.CodeOf(cerr) != strategy.CodeConflict {
			return strategy.User{}, fmt.Errorf("creating the account of %s at %s: %w", id.Subject, id.Issuer, cerr)
		}
		// Either the e-mail is taken, or a concurrent first sign-in of the
		// same identity created the account a moment ago.
		u, err = users.UserByIdentity(ctx, id.Issuer, id.Subject)
		if strategy.CodeOf(err) == strategy.CodeNotFound {
			return strategy.User{}, emailTaken(nu.Email, cerr)
		}
	}
	if err != nil {
		return strategy.User{}, fmt.Errorf("finding the account of %s at %s: %w", id.Subject, id.Issuer, err)
	}
	if u.Disabled {
		return strategy.User{}, strategy.Errorf(strategy.CodeForbidden, "Kontot är avstängt. Kontakta den som administrerar Inkludera.")
	}
	want := u
	want.Role, want.Org, want.Body = rule.Role, rule.Org, rule.Body
	if email != "" {
		want.Email = email
	}
	if name != "" {
		want.Name = name
	}
	if want == u {
		return u, nil
	}
	updated, err := users.UpdateUser(ctx, want)
	if strategy.CodeOf(err) == strategy.CodeConflict {
		return strategy.User{}, emailTaken(want.Email, err)
	}
	if err != nil {
		return strategy.User{}, fmt.Errorf("updating the account %d of %s at %s: %w", u.ID, id.Subject, id.Issuer, err)
	}
	return updated, nil
}

func emailTaken(email string, err error) error {
	return &strategy.Error{Code: strategy.CodeConflict,
		Message: fmt.Sprintf("Det finns redan ett annat konto med e-postadressen %s. Kontakta administratören.", email), Err: err}
}
