package web

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/inkludera/inkludera/internal/strategy"
)

// The test users, one per role and place, stored by storeTestUsers. The
// bodies are Strömsund's (2313) of testBundles.
var (
	testAdmin       = &strategy.User{ID: 1, Email: "ada.admin@example.se", Name: "Ada Admin", Role: strategy.RoleAdmin}
	testCoordinator = &strategy.User{ID: 2, Email: "sam.samordnare@stromsund.se", Name: "Sam Samordnare", Role: strategy.RoleCoordinator, Org: "2313"}
	testEditorKS    = &strategy.User{ID: 3, Email: "ebba.ks@stromsund.se", Name: "Ebba Redaktör", Role: strategy.RoleEditor, Org: "2313", Body: "ks"}
	testEditorAMN   = &strategy.User{ID: 4, Email: "amir.amn@stromsund.se", Name: "Amir Redaktör", Role: strategy.RoleEditor, Org: "2313", Body: "amn"}
	testReader      = &strategy.User{ID: 5, Email: "lisa.lasare@stromsund.se", Name: "Lisa Läsare", Role: strategy.RoleReader, Org: "2313"}
	testOtherCoord  = &strategy.User{ID: 6, Email: "olle.samordnare@ostersund.se", Name: "Olle Samordnare", Role: strategy.RoleCoordinator, Org: "2380"}
)

// testUsers lists them all in the order storeTestUsers creates them.
var testUsers = []*strategy.User{testAdmin, testCoordinator, testEditorKS, testEditorAMN, testReader, testOtherCoord}

// storeTestUsers creates the test users in st (without passwords), in an
// empty users table, where they get the IDs written above: the globals are
// only read, so parallel tests share them safely. Tests that sign in
// through the sign-in page set a password.
func storeTestUsers(t *testing.T, st strategy.UserStore) {
	t.Helper()
	for _, u := range testUsers {
		stored, err := st.CreateUser(context.Background(), *u, "")
		if err != nil {
			t.Fatalf("creating test user %s: %v", u.Email, err)
		}
		if stored.ID != u.ID {
			t.Fatalf("test user %s got ID %d, want %d: create the test users first, in an empty store", u.Email, stored.ID, u.ID)
		}
	}
}

// doAs sends a request as u (nil: the public), as if u had signed in: the
// user is put in the request's context, which the identify middleware
// leaves alone when no session or token names another user. body is a
// form (url.Values), JSON text (string) or nil.
func (e *testEnv) doAs(t *testing.T, u *strategy.User, method, target string, body any) (*http.Response, string) {
	t.Helper()
	var r *http.Request
	switch b := body.(type) {
	case nil:
		r = httptest.NewRequest(method, target, nil)
	case url.Values:
		r = httptest.NewRequest(method, target, strings.NewReader(b.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	case string:
		r = httptest.NewRequest(method, target, strings.NewReader(b))
		r.Header.Set("Content-Type", "application/json")
	default:
		t.Fatalf("doAs: body of type %T", body)
	}
	if u != nil {
		via := "web"
		if strings.HasPrefix(target, "/api/") {
			via = "api"
		}
		r = r.WithContext(withUser(r.Context(), u, "192.0.2.1", via))
	}
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, r)
	res := rec.Result()
	out, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, string(out)
}
