package web

import (
	"cmp"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/inkludera/inkludera/internal/auth"
	"github.com/inkludera/inkludera/internal/strategy"
)

// signInPage is GET and POST /logga-in and the OpenID callback's failures:
// the password form, the provider's button when one is configured, and
// what went wrong.
type signInPage struct {
	Title string
	// Next is where a successful sign-in goes, a local path.
	Next   string
	Email  string
	Errors *formErrors
	// ErrorTitle heads the error summary.
	ErrorTitle string
	OIDC       *oidcButton
	// SignedInAs names the viewer when they are signed in already.
	SignedInAs string
}

// oidcButton starts a sign-in at the OpenID provider.
type oidcButton struct {
	URL   string
	Label string
}

// EmailError and PasswordError are the fields' messages, for the template.
func (p signInPage) EmailError() string    { return p.Errors.Field("email") }
func (p signInPage) PasswordError() string { return p.Errors.Field("password") }

// maxSignInForm bounds the sign-in form's body: an e-mail, a password (at
// most auth.MaxPasswordBytes) and a path.
const maxSignInForm = 16 << 10

// nextCookie keeps where an OpenID sign-in returns to while the browser is
// at the provider. auth.PendingLogin has no room for it, and the value is
// no secret: it is checked again with safeNext when it is used.
const nextCookie = "inkludera_oidc_nasta"

func (s *server) newSignInPage(r *http.Request, next string) signInPage {
	p := signInPage{Title: "Logga in", Next: next, Errors: &formErrors{}}
	if s.oidc != nil {
		u := "/logga-in/oidc"
		if next != "/" {
			u += "?" + url.Values{"nasta": {next}}.Encode()
		}
		p.OIDC = &oidcButton{URL: u, Label: s.oidc.Label()}
	}
	if u := userOf(r); u != nil {
		p.SignedInAs = u.Name
	}
	return p
}

// pageSignIn handles GET /logga-in.
func (s *server) pageSignIn(w http.ResponseWriter, r *http.Request) error {
	p := s.newSignInPage(r, safeNext(r.URL.Query().Get("nasta")))
	return render(s, w, r, http.StatusOK, "signin", p)
}

// postSignIn handles POST /logga-in: e-mail and password, throttled per
// account and per address. On success the session gets a new token with
// the user in it and the browser goes where it was going (nasta).
func (s *server) postSignIn(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxSignInForm)
	if err := r.ParseForm(); err != nil {
		return strategy.Errorf(strategy.CodeInvalid, "Formuläret kunde inte läsas.")
	}
	email := strings.TrimSpace(r.PostForm.Get("email"))
	password := r.PostForm.Get("password") // spaces are part of a password
	p := s.newSignInPage(r, safeNext(r.PostForm.Get("nasta")))
	p.Email = email
	p.ErrorTitle = "Det gick inte att logga in"
	if email == "" {
		p.Errors.Add("email", "Ange din e-postadress.")
	}
	if password == "" {
		p.Errors.Add("password", "Ange ditt lösenord.")
	}
	if p.Errors.Any() {
		return render(s, w, r, http.StatusUnprocessableEntity, "signin", p)
	}

	u, err := auth.Authenticate(r.Context(), s.st, s.throttle, email, password, clientIP(r))
	var throttled *auth.ThrottledError
	switch {
	case errors.As(err, &throttled):
		s.log.WarnContext(r.Context(), "sign-in throttled", "address", clientIP(r), "retry_after", throttled.RetryAfter)
		w.Header().Set("Retry-After", strconv.Itoa(int(throttled.RetryAfter.Round(time.Second).Seconds())))
		p.Errors.General = append(p.Errors.General, userMessage(err))
		return render(s, w, r, http.StatusTooManyRequests, "signin", p)
	case strategy.CodeOf(err) == strategy.CodeUnauthorized:
		s.log.InfoContext(r.Context(), "sign-in failed", "address", clientIP(r))
		p.Errors.General = append(p.Errors.General, userMessage(err))
		return render(s, w, r, http.StatusUnprocessableEntity, "signin", p)
	case strategy.CodeOf(err) == strategy.CodeForbidden:
		p.Errors.General = append(p.Errors.General, userMessage(err))
		return render(s, w, r, http.StatusForbidden, "signin", p)
	case err != nil:
		return err
	}
	return s.signedIn(w, r, u, "password", p.Next)
}

// signedIn starts the session of u, who has just proved who they are, and
// sends the browser on to next.
func (s *server) signedIn(w http.ResponseWriter, r *http.Request, u strategy.User, method, next string) error {
	if err := s.sessions.SignIn(r.Context(), u); err != nil {
		return err
	}
	s.log.InfoContext(r.Context(), "signed in", "user", u.ID, "method", method, "address", clientIP(r))
	s.flash(r, "Du är inloggad som "+u.Name+".")
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// userMessage is the message of a *strategy.Error in err, which is meant
// for users; the error's text otherwise.
func userMessage(err error) string {
	var e *strategy.Error
	if errors.As(err, &e) {
		return e.Message
	}
	return err.Error()
}

// startOIDC handles GET /logga-in/oidc: the browser is sent to the
// provider, and the pending sign-in kept in its session until it returns.
func (s *server) startOIDC(w http.ResponseWriter, r *http.Request) error {
	if s.oidc == nil {
		return strategy.Errorf(strategy.CodeNotFound, "Inloggning med organisationskonto är inte inställd på den här servern.")
	}
	authURL, pending := s.oidc.Begin()
	s.sessions.PutPendingLogin(r.Context(), pending)
	http.SetCookie(w, &http.Cookie{
		Name: nextCookie, Value: url.QueryEscape(safeNext(r.URL.Query().Get("nasta"))),
		Path: "/logga-in/oidc", MaxAge: int(auth.PendingLoginMaxAge.Seconds()),
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil,
	})
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, authURL, http.StatusSeeOther)
	return nil
}

// oidcCallback handles GET /logga-in/oidc/svar, where the provider sends
// the browser back: the code is exchanged and the ID token verified
// (auth.OIDC.Finish), the account found or created with the role its
// groups give (auth.SignInOIDC), and the session started. Any failure is
// shown in Swedish on the sign-in page, with no session.
func (s *server) oidcCallback(w http.ResponseWriter, r *http.Request) error {
	if s.oidc == nil {
		return strategy.Errorf(strategy.CodeNotFound, "Inloggning med organisationskonto är inte inställd på den här servern.")
	}
	ctx := r.Context()
	q := r.URL.Query()
	// The pending sign-in is taken out of the session whatever happens:
	// a callback is answered once.
	pending, _ := s.sessions.PopPendingLogin(ctx)
	next := "/"
	if c, err := r.Cookie(nextCookie); err == nil {
		if v, err := url.QueryUnescape(c.Value); err == nil {
			next = safeNext(v)
		}
	}
	http.SetCookie(w, &http.Cookie{Name: nextCookie, Path: "/logga-in/oidc", MaxAge: -1, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil})

	p := s.newSignInPage(r, next)
	p.ErrorTitle = "Inloggningen med organisationskonto misslyckades"
	refuse := func(status int, message string) error {
		p.Errors.General = append(p.Errors.General, message)
		return render(s, w, r, status, "signin", p)
	}
	if e := q.Get("error"); e != "" {
		s.log.InfoContext(ctx, "OpenID provider refused the sign-in", "error", e, "description", q.Get("error_description"))
		if e == "access_denied" {
			return refuse(http.StatusForbidden, "Inloggningen avbröts eller nekades hos leverantören. Försök igen, eller logga in med e-post och lösenord.")
		}
		return refuse(http.StatusBadRequest, "Leverantören av organisationskontot kunde inte logga in dig. Försök igen om en stund.")
	}

	id, err := s.oidc.Finish(ctx, pending, q.Get("state"), q.Get("code"))
	if err != nil {
		s.log.WarnContext(ctx, "OpenID sign-in not verified", "address", clientIP(r), "err", err.Error())
		if strategy.CodeOf(err) == strategy.CodeInternal {
			return err
		}
		return refuse(http.StatusBadRequest, userMessage(err))
	}
	// The account may be created or updated: the audit trail records it
	// as done by the person signing in, from their address.
	actorCtx := strategy.WithActor(ctx, strategy.Actor{Name: cmp.Or(id.Name, id.Email, id.Subject), Address: clientIP(r), Via: "web"})
	rules := s.groupRules
	if rules == nil {
		rules = s.oidc.Rules()
	}
	u, err := auth.SignInOIDC(actorCtx, s.st, id, rules)
	switch strategy.CodeOf(err) {
	case "":
	case strategy.CodeForbidden:
		s.log.InfoContext(ctx, "OpenID sign-in refused", "subject", id.Subject, "err", err.Error())
		return refuse(http.StatusForbidden, userMessage(err))
	case strategy.CodeConflict:
		s.log.WarnContext(ctx, "OpenID sign-in refused", "subject", id.Subject, "err", err.Error())
		return refuse(http.StatusConflict, userMessage(err))
	default:
		return err
	}
	return s.signedIn(w, r, u, "oidc", next)
}

// postSignOut handles POST /logga-ut: the session is ended (deleted from
// the store, the cookie cleared) and the browser sent to the start page.
func (s *server) postSignOut(w http.ResponseWriter, r *http.Request) error {
	if u := userOf(r); u != nil {
		s.log.InfoContext(r.Context(), "signed out", "user", u.ID)
	}
	if err := s.sessions.SignOut(r.Context()); err != nil {
		return err
	}
	s.flash(r, "Du är utloggad.")
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}

// safeNext returns next when it is a path on this site, "/" otherwise, so
// that a link to the sign-in page cannot send the browser elsewhere (an
// open redirect). Browsers read "//host" and "/\host" as another host and
// drop tabs and newlines from URLs, so all of those are refused, as is
// anything with a scheme or host. The sign-in pages themselves are
// refused too: coming back to them would only ask again.
func safeNext(next string) string {
	if next == "" || next[0] != '/' || len(next) > 2048 {
		return "/"
	}
	if len(next) > 1 && (next[1] == '/' || next[1] == '\\') {
		return "/"
	}
	for _, c := range next {
		// RuneError: a byte that is no UTF-8 would be written into the
		// page's form as it is.
		if c == '\\' || unicode.IsControl(c) || unicode.IsSpace(c) || c == utf8.RuneError {
			return "/"
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return "/"
	}
	if u.Path == "/logga-in" || strings.HasPrefix(u.Path, "/logga-in/") || u.Path == "/logga-ut" {
		return "/"
	}
	return next
}
