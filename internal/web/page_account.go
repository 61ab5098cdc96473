package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/inkludera/inkludera/internal/auth"
	"github.com/inkludera/inkludera/internal/strategy"
)

// accountPage is GET /konto: who the viewer is in Inkludera, and their API
// tokens. After a token is made its secret is shown, this once.
type accountPage struct {
	Title    string
	Name     string
	Email    string
	Role     string
	Org      string // "Östersunds kommun (2380)"; "" for an admin
	Body     string // the body's name, for a nämndredaktör
	SignIn   string // how the account signs in
	Tokens   []tokenView
	NewToken *newTokenView
	// TokenName is what was typed for a new token that was refused.
	TokenName string
	Errors    *formErrors
}

// TokenNameError is the message beside the token name field.
func (p accountPage) TokenNameError() string { return p.Errors.Field("name") }

type tokenView struct {
	ID       int64
	Name     string
	Created  timeView
	LastUsed timeView
	Revoked  bool
	// RevokeURL is where the revoke button posts.
	RevokeURL string
}

// newTokenView is a token just made, with the secret that is never shown
// again.
type newTokenView struct {
	Name   string
	Secret string
}

// maxTokenName bounds what a token is called.
const maxTokenName = 100

// accountUser is the signed-in viewer, who may read their own account.
func (s *server) accountUser(r *http.Request) (*strategy.User, error) {
	u := userOf(r)
	if u == nil {
		return nil, errSignInRequired
	}
	if err := s.authorize(r, auth.ActionRead, auth.Object{Kind: auth.KindUser, UserID: u.ID}); err != nil {
		return nil, err
	}
	return u, nil
}

// pageAccount handles GET /konto.
func (s *server) pageAccount(w http.ResponseWriter, r *http.Request) error {
	u, err := s.accountUser(r)
	if err != nil {
		return err
	}
	p, err := s.accountPage(r, u)
	if err != nil {
		return err
	}
	return render(s, w, r, http.StatusOK, "account", p)
}

func (s *server) accountPage(r *http.Request, u *strategy.User) (accountPage, error) {
	ctx := r.Context()
	p := accountPage{Title: "Mitt konto", Name: u.Name, Email: u.Email, Role: userRoleLabel(u.Role), Errors: &formErrors{}}
	p.SignIn = "E-postadress och lösenord"
	if u.Issuer != "" {
		p.SignIn = "Organisationskonto (" + u.Issuer + ")"
	}
	if u.Org != "" {
		org, body, err := s.orgAndBodyNames(r, u.Org, u.Body)
		if err != nil {
			return p, err
		}
		p.Org, p.Body = org, body
	}
	tokens, err := s.st.APITokens(ctx, u.ID)
	if err != nil {
		return p, err
	}
	for _, t := range tokens {
		p.Tokens = append(p.Tokens, tokenView{ID: t.ID, Name: t.Name, Created: newTimeView(t.CreatedAt),
			LastUsed: newTimeView(t.LastUsed), Revoked: t.Revoked,
			RevokeURL: "/konto/nycklar/" + strconv.FormatInt(t.ID, 10) + "/aterkalla"})
	}
	return p, nil
}

// orgAndBodyNames names an organisation "Östersunds kommun (2380)" and one
// of its bodies; codes and keys that are not stored are shown as they are.
func (s *server) orgAndBodyNames(r *http.Request, code, bodyKey string) (org, body string, err error) {
	org = code
	if o, err := s.st.Organisation(r.Context(), code); err == nil {
		org = o.Name + " (" + code + ")"
	} else if strategy.CodeOf(err) != strategy.CodeNotFound {
		return "", "", err
	}
	if bodyKey == "" {
		return org, "", nil
	}
	body = bodyKey
	bodies, err := s.st.Bodies(r.Context(), code)
	if err != nil && strategy.CodeOf(err) != strategy.CodeNotFound {
		return "", "", err
	}
	if i := slices.IndexFunc(bodies, func(b strategy.Body) bool { return b.Key == bodyKey }); i >= 0 {
		body = bodies[i].Name
	}
	return org, body, nil
}

// postCreateToken handles POST /konto/nycklar: a new API token for the
// viewer. The answer is the account page with the secret, not a redirect:
// the secret is shown once and kept nowhere, not even in the session.
func (s *server) postCreateToken(w http.ResponseWriter, r *http.Request) error {
	u, err := s.accountUser(r)
	if err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		return strategy.Errorf(strategy.CodeInvalid, "Formuläret kunde inte läsas.")
	}
	name := strings.TrimSpace(r.PostForm.Get("name"))
	p, err := s.accountPage(r, u)
	if err != nil {
		return err
	}
	switch {
	case name == "":
		p.Errors.Add("name", "Ange vad nyckeln ska användas till, till exempel rapportverktyget.")
	case utf8.RuneCountInString(name) > maxTokenName:
		p.Errors.Add("name", "Namnet får vara högst "+strconv.Itoa(maxTokenName)+" tecken.")
	}
	if p.Errors.Any() {
		p.TokenName = name
		return render(s, w, r, http.StatusUnprocessableEntity, "account", p)
	}
	secret, hash := auth.NewAPIToken()
	t, err := s.st.CreateAPIToken(r.Context(), strategy.APIToken{UserID: u.ID, Name: name}, hash)
	if err != nil {
		return err
	}
	s.log.InfoContext(r.Context(), "API token created", "user", u.ID, "token", t.ID)
	if p, err = s.accountPage(r, u); err != nil {
		return err
	}
	p.NewToken = &newTokenView{Name: t.Name, Secret: secret}
	w.Header().Set("Cache-Control", "no-store")
	return render(s, w, r, http.StatusCreated, "account", p)
}

// postRevokeToken handles POST /konto/nycklar/{id}/aterkalla: one of the
// viewer's own tokens stops working at once.
func (s *server) postRevokeToken(w http.ResponseWriter, r *http.Request) error {
	u, err := s.accountUser(r)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	notFound := strategy.Errorf(strategy.CodeNotFound, "Det finns ingen sådan nyckel bland dina.")
	if err != nil {
		return notFound
	}
	tokens, err := s.st.APITokens(r.Context(), u.ID)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(tokens, func(t strategy.APIToken) bool { return t.ID == id })
	if i < 0 {
		return notFound
	}
	if !tokens[i].Revoked {
		if err := s.st.RevokeAPIToken(r.Context(), id); err != nil {
			return err
		}
		s.log.InfoContext(r.Context(), "API token revoked", "user", u.ID, "token", id)
	}
	s.flash(r, "Nyckeln ”"+tokens[i].Name+"” är återkallad och fungerar inte längre.")
	http.Redirect(w, r, "/konto", http.StatusSeeOther)
	return nil
}
