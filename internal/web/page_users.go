package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/inkludera/inkludera/internal/auth"
	"github.com/inkludera/inkludera/internal/strategy"
)

// usersPage is GET /admin/anvandare: every account, the form that creates
// one, and (with ?andra=ID, or after a refused change) the form that
// changes one. After a user is created their password is shown, once.
type usersPage struct {
	Title   string
	Nav     adminNav
	Users   []usersRow
	New     usersForm
	Edit    *usersForm
	Created *usersCreated
	// Summary is the error summary of the form that was refused.
	Summary *usersForm
}

type usersRow struct {
	ID      string // the row's id, a link target
	Name    string
	Email   string
	Role    string
	Org     string
	Body    string
	SignIn  string
	Status  string
	EditURL string
}

// usersCreated is an account just made and its password.
type usersCreated struct {
	Name     string
	Email    string
	Password string
}

// usersForm is the form that creates a user (Prefix "ny") or changes one
// (Prefix "andra"): its values, selects and problems.
type usersForm struct {
	Prefix string
	Legend string
	Action string
	// Create says the e-mail and name are asked for; a change keeps them
	// (an account signing in through OpenID gets them from the provider).
	Create     bool
	Email      string
	Name       string
	Roles      []usersOption
	Orgs       []usersOption
	BodyGroups []usersBodyGroup
	Disabled   bool
	// FromProvider notes that the provider's groups set the role again at
	// the account's next sign-in.
	FromProvider bool
	Errors       *formErrors
}

type usersOption struct {
	Value    string
	Label    string
	Selected bool
}

// usersBodyGroup is one organisation's bodies in the body select.
type usersBodyGroup struct {
	Label  string
	Bodies []usersOption
}

// usersProblem is one line of the error summary, linking its field.
type usersProblem struct {
	Target  string // "#ny-epost"; "" for a problem of the whole form
	Message string
}

// usersFields are the inputs of the forms, in their order on the page.
var usersFields = []string{"email", "name", "role", "org", "body"}

// FieldID is the id of the form's input for a field.
func (f usersForm) FieldID(field string) string {
	return f.Prefix + "-" + map[string]string{"email": "epost", "name": "namn", "role": "roll", "org": "org",
		"body": "organ", "disabled": "avstangd"}[field]
}

// Err is the message beside a field.
func (f usersForm) Err(field string) string { return f.Errors.Field(field) }

// Problems lists the form's problems for the error summary.
func (f usersForm) Problems() []usersProblem {
	var out []usersProblem
	for _, m := range f.Errors.General {
		out = append(out, usersProblem{Message: m})
	}
	for _, field := range usersFields {
		if m := f.Err(field); m != "" {
			out = append(out, usersProblem{Target: "#" + f.FieldID(field), Message: m})
		}
	}
	return out
}

// usersObject is what managing users needs: the right to write users,
// which only administrators have.
var usersObject = auth.Object{Kind: auth.KindUser}

// pageUsers handles GET /admin/anvandare.
func (s *server) pageUsers(w http.ResponseWriter, r *http.Request) error {
	if err := s.authorize(r, auth.ActionWrite, usersObject); err != nil {
		return err
	}
	p, err := s.usersPage(r)
	if err != nil {
		return err
	}
	if id := r.URL.Query().Get("andra"); id != "" {
		u, err := s.userByIDParam(r, id)
		if err != nil {
			return err
		}
		edit, err := s.usersForm(r, "andra", u)
		if err != nil {
			return err
		}
		p.Edit = &edit
	}
	return render(s, w, r, http.StatusOK, "users", p)
}

// usersPage is the page with the list and an empty create form.
func (s *server) usersPage(r *http.Request) (usersPage, error) {
	p := usersPage{Title: "Användare", Nav: newAdminNav(r, "anvandare")}
	users, err := s.st.ListUsers(r.Context())
	if err != nil {
		return p, err
	}
	for _, u := range users {
		org, body := "–", "–"
		if u.Org != "" {
			if org, body, err = s.orgAndBodyNames(r, u.Org, u.Body); err != nil {
				return p, err
			}
			if body == "" {
				body = "–"
			}
		}
		row := usersRow{ID: "anvandare-" + strconv.FormatInt(u.ID, 10), Name: u.Name, Email: u.Email,
			Role: userRoleLabel(u.Role), Org: org, Body: body, SignIn: "Lösenord", Status: "Aktiv",
			EditURL: "/admin/anvandare?" + url.Values{"andra": {strconv.FormatInt(u.ID, 10)}}.Encode() + "#andra"}
		if u.Issuer != "" {
			row.SignIn = "Organisationskonto"
		}
		if u.Disabled {
			row.Status = "Avstängd"
		}
		p.Users = append(p.Users, row)
	}
	if p.New, err = s.usersForm(r, "ny", strategy.User{Role: strategy.RoleReader}); err != nil {
		return p, err
	}
	return p, nil
}

// usersForm fills a form with u's values and the stored organisations and
// bodies.
func (s *server) usersForm(r *http.Request, prefix string, u strategy.User) (usersForm, error) {
	f := usersForm{Prefix: prefix, Email: u.Email, Name: u.Name, Disabled: u.Disabled,
		FromProvider: u.Issuer != "", Errors: &formErrors{}}
	if prefix == "ny" {
		f.Create, f.Legend, f.Action = true, "Ny användare", "/admin/anvandare"
	} else {
		f.Legend = "Ändra " + u.Name
		f.Action = "/admin/anvandare/" + strconv.FormatInt(u.ID, 10)
	}
	for _, role := range strategy.Roles() {
		f.Roles = append(f.Roles, usersOption{Value: string(role), Label: userRoleLabel(role), Selected: role == u.Role})
	}
	orgs, err := s.st.ListOrganisations(r.Context())
	if err != nil {
		return f, err
	}
	for _, o := range orgs {
		f.Orgs = append(f.Orgs, usersOption{Value: o.Code, Label: o.Name + " (" + o.Code + ")", Selected: o.Code == u.Org})
		bodies, err := s.st.Bodies(r.Context(), o.Code)
		if err != nil {
			return f, err
		}
		if len(bodies) == 0 {
			continue
		}
		g := usersBodyGroup{Label: o.Name}
		for _, b := range bodies {
			g.Bodies = append(g.Bodies, usersOption{Value: b.Key, Label: b.Name, Selected: o.Code == u.Org && b.Key == u.Body})
		}
		f.BodyGroups = append(f.BodyGroups, g)
	}
	return f, nil
}

func (s *server) userByIDParam(r *http.Request, param string) (strategy.User, error) {
	id, err := strconv.ParseInt(param, 10, 64)
	if err != nil || id <= 0 {
		return strategy.User{}, strategy.Errorf(strategy.CodeNotFound, "Det finns ingen sådan användare.")
	}
	u, err := s.st.UserByID(r.Context(), id)
	if strategy.CodeOf(err) == strategy.CodeNotFound {
		return u, strategy.Errorf(strategy.CodeNotFound, "Det finns ingen sådan användare.")
	}
	return u, err
}

// userFromForm reads role, organisation and body. A role without an
// organisation or body drops what was chosen for them, rather than
// refusing a form whose selects the browser cannot hide without script.
func userFromForm(r *http.Request, u strategy.User) strategy.User {
	u.Role = strategy.Role(r.PostForm.Get("role"))
	u.Org = strings.TrimSpace(r.PostForm.Get("org"))
	u.Body = strings.TrimSpace(r.PostForm.Get("body"))
	switch u.Role {
	case strategy.RoleAdmin:
		u.Org, u.Body = "", ""
	case strategy.RoleCoordinator, strategy.RoleReader:
		u.Body = ""
	}
	return u
}

// userProblems puts the store's refusal of a user into the form: field
// problems beside their fields, a taken e-mail beside the e-mail. ok is
// false for other errors, which the caller returns.
func userProblems(err error, f *usersForm) (status int, ok bool) {
	if strategy.CodeOf(err) == strategy.CodeConflict {
		f.Errors.Add("email", "Det finns redan en användare med e-postadressen "+f.Email+".")
		return http.StatusConflict, true
	}
	inputs := map[string]bool{}
	for _, field := range usersFields {
		inputs[field] = true
	}
	fe, status, ok := editProblems(err, inputs)
	if !ok {
		return 0, false
	}
	for field, m := range fe.Fields {
		f.Errors.Add(field, m)
	}
	f.Errors.General = append(f.Errors.General, fe.General...)
	return status, true
}

// postCreateUser handles POST /admin/anvandare: a new account with a
// generated password, which the answer shows once (and so is no redirect:
// the password is kept nowhere but in the store, hashed).
func (s *server) postCreateUser(w http.ResponseWriter, r *http.Request) error {
	if err := s.authorize(r, auth.ActionWrite, usersObject); err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		return strategy.Errorf(strategy.CodeInvalid, "Formuläret kunde inte läsas.")
	}
	u := userFromForm(r, strategy.User{Email: strings.TrimSpace(r.PostForm.Get("email")), Name: strings.TrimSpace(r.PostForm.Get("name"))})
	p, err := s.usersPage(r)
	if err != nil {
		return err
	}
	if p.New, err = s.usersForm(r, "ny", u); err != nil {
		return err
	}
	refuse := func(err error) error {
		status, ok := userProblems(err, &p.New)
		if !ok {
			return err
		}
		p.Summary = &p.New
		return render(s, w, r, status, "users", p)
	}
	if err := u.Validate(); err != nil {
		return refuse(err)
	}
	password := auth.GeneratePassword()
	hash, err := auth.HashPassword(password)
	if err != nil {
		return strategy.Internal(err, "hashing a new user's password")
	}
	created, err := s.st.CreateUser(r.Context(), u, hash)
	if err != nil {
		return refuse(err)
	}
	s.log.InfoContext(r.Context(), "user created", "user", created.ID, "role", created.Role, "by", userOf(r).ID)
	if p, err = s.usersPage(r); err != nil {
		return err
	}
	p.Created = &usersCreated{Name: created.Name, Email: created.Email, Password: password}
	w.Header().Set("Cache-Control", "no-store")
	return render(s, w, r, http.StatusCreated, "users", p)
}

// postUpdateUser handles POST /admin/anvandare/{id}: role, organisation,
// body and whether the account is disabled. A disabled account is the
// public from its next request on, whatever sessions and tokens it has.
func (s *server) postUpdateUser(w http.ResponseWriter, r *http.Request) error {
	if err := s.authorize(r, auth.ActionWrite, usersObject); err != nil {
		return err
	}
	stored, err := s.userByIDParam(r, r.PathValue("id"))
	if err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		return strategy.Errorf(strategy.CodeInvalid, "Formuläret kunde inte läsas.")
	}
	u := userFromForm(r, stored)
	u.Disabled = r.PostForm.Get("disabled") != ""

	p, err := s.usersPage(r)
	if err != nil {
		return err
	}
	edit, err := s.usersForm(r, "andra", u)
	if err != nil {
		return err
	}
	edit.Legend = "Ändra " + stored.Name
	p.Edit, p.Summary = &edit, &edit
	// An administrator cannot lock themselves out: another one must.
	if me := userOf(r); me != nil && me.ID == stored.ID && (u.Role != strategy.RoleAdmin || u.Disabled) {
		edit.Errors.General = append(edit.Errors.General,
			"Du kan inte ta bort din egen administratörsroll eller stänga av ditt eget konto. Be en annan administratör om det.")
		return render(s, w, r, http.StatusConflict, "users", p)
	}
	if err := u.Validate(); err != nil {
		status, ok := userProblems(err, &edit)
		if !ok {
			return err
		}
		return render(s, w, r, status, "users", p)
	}
	updated, err := s.st.UpdateUser(r.Context(), u)
	if err != nil {
		status, ok := userProblems(err, &edit)
		if !ok {
			return err
		}
		return render(s, w, r, status, "users", p)
	}
	s.log.InfoContext(r.Context(), "user updated", "user", updated.ID, "role", updated.Role, "disabled", updated.Disabled, "by", userOf(r).ID)
	s.flash(r, "Ändringarna för "+updated.Name+" är sparade.")
	http.Redirect(w, r, "/admin/anvandare#anvandare-"+strconv.FormatInt(updated.ID, 10), http.StatusSeeOther)
	return nil
}
