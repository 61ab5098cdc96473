package web

import (
	"context"
	"net/http"
	"net/url"

	"github.com/inkludera/inkludera/internal/auth"
	"github.com/inkludera/inkludera/internal/strategy"
)

// userKey carries the signed-in user (a *strategy.User) in a request's
// context; the identify middleware puts it there.
type userKey struct{}

// withUser returns ctx carrying u, and u as the audit trail's actor.
func withUser(ctx context.Context, u *strategy.User, address, via string) context.Context {
	ctx = context.WithValue(ctx, userKey{}, u)
	return strategy.WithActor(ctx, strategy.Actor{UserID: u.ID, Name: u.Name, Address: address, Via: via})
}

// userOf returns the signed-in user of the request, nil for the public.
func userOf(r *http.Request) *strategy.User {
	u, _ := r.Context().Value(userKey{}).(*strategy.User)
	return u
}

// viewer is what the layout knows of who is looking.
type viewer struct {
	User *strategy.User // nil for the public
	// Path is the page's own path and query, where signing in returns to.
	Path string
	// Flash is a confirmation the previous request left (s.flash), shown once.
	Flash string
}

// RoleLabel is the Swedish name of the viewer's role.
func (v viewer) RoleLabel() string {
	if v.User == nil {
		return ""
	}
	return userRoleLabel(v.User.Role)
}

func (s *server) viewerOf(r *http.Request) viewer {
	if r == nil {
		return viewer{}
	}
	return viewer{User: userOf(r), Path: r.URL.RequestURI(), Flash: s.popFlash(r)}
}

// userRoleLabel is a user role's name in the UI.
func userRoleLabel(r strategy.Role) string {
	switch r {
	case strategy.RoleAdmin:
		return "Administratör"
	case strategy.RoleCoordinator:
		return "Samordnare"
	case strategy.RoleEditor:
		return "Nämndredaktör"
	case strategy.RoleReader:
		return "Läsare"
	}
	return string(r)
}

// authorize is how every handler asks auth.Can: nil when the request's user
// may do action with obj; otherwise 401 for the public (a page route then
// sends the browser to sign in) and 403 for a user without the right.
func (s *server) authorize(r *http.Request, action auth.Action, obj auth.Object) error {
	u := userOf(r)
	if auth.Can(u, action, obj) {
		return nil
	}
	if u == nil {
		return errSignInRequired
	}
	return strategy.Errorf(strategy.CodeForbidden, "Du har inte behörighet att göra detta.")
}

// errSignInRequired is the 401 of a request by the public that needs a
// user. The adapter sends a browser on a page route to the sign-in page.
var errSignInRequired = &statusError{
	status:       http.StatusUnauthorized,
	code:         string(strategy.CodeUnauthorized),
	message:      "Du behöver logga in för att göra detta.",
	authenticate: `Bearer realm="Inkludera"`,
}

// signInURL is the sign-in page that returns to next afterwards.
func signInURL(next string) string {
	return "/logga-in?" + url.Values{"nasta": {next}}.Encode()
}
