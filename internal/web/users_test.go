package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/inkludera/inkludera/internal/auth"
	"github.com/inkludera/inkludera/internal/strategy"
)

func newUsersEnv(t *testing.T) *testEnv {
	t.Helper()
	st := newTestStore(t)
	storeTestUsers(t, st)
	return newTestEnvWith(t, st)
}

func TestUsersPage(t *testing.T) {
	e := newUsersEnv(t)
	res, page := e.doAs(t, testAdmin, "GET", "/admin/anvandare", nil)
	if res.StatusCode != 200 {
		t.Fatalf("status %d", res.StatusCode)
	}
	for _, want := range []string{
		`<a href="/admin/anvandare" aria-current="page">Användare</a>`,
		`<th scope="row">Ebba Redaktör</th>`, "<td>Nämndredaktör</td>", "<td>Strömsunds kommun (2313)</td>", "<td>Kommunstyrelsen</td>",
		`<label for="ny-epost">E-postadress</label>`, `<label for="ny-roll">Roll</label>`, `<label for="ny-org">Organisation</label>`,
		`<label for="ny-organ">Nämnd eller förvaltning</label>`,
		`<option value="2380">Östersunds kommun (2380)</option>`, `<optgroup label="Strömsunds kommun">`,
		`<option value="amn">Arbetsmarknadsnämnden</option>`,
		`<option value="lasare" selected>Läsare</option>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	checkHTML(t, page)

	_, page = e.doAs(t, testAdmin, "GET", "/admin/anvandare?andra=3", nil)
	for _, want := range []string{`<h2 id="andra" tabindex="-1">Ändra Ebba Redaktör</h2>`, `action="/admin/anvandare/3"`,
		`<option value="namndredaktor" selected>Nämndredaktör</option>`, `<option value="2313" selected>`, `<option value="ks" selected>Kommunstyrelsen</option>`,
		`<label for="andra-avstangd">Avstängd</label>`} {
		if !strings.Contains(page, want) {
			t.Errorf("edit form lacks %q", want)
		}
	}
	checkHTML(t, page)
	if res, _ := e.doAs(t, testAdmin, "GET", "/admin/anvandare?andra=99", nil); res.StatusCode != 404 {
		t.Errorf("editing an unknown user: status %d", res.StatusCode)
	}
}

func TestUsersPageOnlyForAdmins(t *testing.T) {
	e := newUsersEnv(t)
	routes := []struct {
		method, path string
		form         url.Values
	}{
		{"GET", "/admin/anvandare", nil},
		{"POST", "/admin/anvandare", url.Values{"email": {"ny@stromsund.se"}, "name": {"Ny"}, "role": {"admin"}}},
		{"POST", "/admin/anvandare/5", url.Values{"role": {"admin"}}},
	}
	for _, u := range []*strategy.User{nil, testCoordinator, testEditorKS, testReader, testOtherCoord} {
		for _, rt := range routes {
			name := "public"
			if u != nil {
				name = u.Name
			}
			t.Run(name+"/"+rt.method+" "+rt.path, func(t *testing.T) {
				var body any
				if rt.form != nil {
					body = rt.form
				}
				res, _ := e.doAs(t, u, rt.method, rt.path, body)
				want := http.StatusForbidden
				if u == nil {
					want = http.StatusSeeOther // to sign in
				}
				if res.StatusCode != want {
					t.Errorf("status %d, want %d", res.StatusCode, want)
				}
			})
		}
	}
	users, _ := e.st.ListUsers(context.Background())
	if len(users) != len(testUsers) {
		t.Errorf("%d users after refused posts, want %d", len(users), len(testUsers))
	}
	if u, _ := e.st.UserByID(context.Background(), 5); u.Role != strategy.RoleReader {
		t.Errorf("a refused post changed user 5: %+v", u)
	}
}

func TestCreateUser(t *testing.T) {
	e := newUsersEnv(t)
	form := url.Values{"email": {"nora.nyman@stromsund.se"}, "name": {"Nora Nyman"}, "role": {"namndredaktor"}, "org": {"2313"}, "body": {"amn"}}
	res, page := e.doAs(t, testAdmin, "POST", "/admin/anvandare", form)
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("status %d:\n%s", res.StatusCode, page)
	}
	m := regexp.MustCompile(`id="nytt-losenord" class="secret" value="([A-Z2-7]{26})"`).FindStringSubmatch(page)
	if m == nil || !strings.Contains(page, "kan inte visas igen") {
		t.Fatalf("the page does not show the password once:\n%s", page)
	}
	if res.Header.Get("Cache-Control") != "no-store" {
		t.Error("the page with the password may be cached")
	}
	checkHTML(t, page)
	u, err := auth.Authenticate(context.Background(), e.st, nil, "nora.nyman@stromsund.se", m[1], "")
	if err != nil || u.Role != strategy.RoleEditor || u.Org != "2313" || u.Body != "amn" {
		t.Errorf("the new user cannot sign in with the password shown, or is wrong: %+v, %v", u, err)
	}
	// The change is in the audit trail, by the admin.
	entries, err := e.st.Audit(context.Background(), strategy.AuditFilter{Kind: strategy.ObjUser})
	if err != nil || len(entries) == 0 || entries[0].Actor.UserID != testAdmin.ID || entries[0].Action != strategy.AuditCreate {
		t.Errorf("audit of the new user = %+v, %v", entries, err)
	}

	// A samordnare's selects drop a body; an admin's drop organisation and body.
	res, _ = e.doAs(t, testAdmin, "POST", "/admin/anvandare", url.Values{"email": {"a2@example.se"}, "name": {"A2"}, "role": {"admin"}, "org": {"2313"}, "body": {"ks"}})
	if res.StatusCode != http.StatusCreated {
		t.Errorf("admin with an organisation chosen: status %d", res.StatusCode)
	}
	if u, err := e.st.UserByEmail(context.Background(), "a2@example.se"); err != nil || u.Org != "" || u.Body != "" {
		t.Errorf("admin stored as %+v, %v", u, err)
	}
}

func TestCreateUserRefused(t *testing.T) {
	tests := []struct {
		name   string
		form   url.Values
		status int
		field  string // the input whose message is expected, "" for none
		says   string
	}{
		{"not an e-mail", url.Values{"email": {"nora at stromsund"}, "name": {"Nora"}, "role": {"lasare"}, "org": {"2313"}}, 422, "ny-epost", ""},
		{"no name", url.Values{"email": {"nora@stromsund.se"}, "name": {" "}, "role": {"lasare"}, "org": {"2313"}}, 422, "ny-namn", "Ange användarens namn."},
		{"editor without a body", url.Values{"email": {"nora@stromsund.se"}, "name": {"Nora"}, "role": {"namndredaktor"}, "org": {"2313"}}, 422, "ny-organ", "Välj det organ vars aktivitetsplaner nämndredaktören sköter."},
		{"samordnare without an organisation", url.Values{"email": {"nora@stromsund.se"}, "name": {"Nora"}, "role": {"samordnare"}}, 422, "ny-org", ""},
		{"unknown role", url.Values{"email": {"nora@stromsund.se"}, "name": {"Nora"}, "role": {"chef"}, "org": {"2313"}}, 422, "ny-roll", "Välj roll: administratör, samordnare, nämndredaktör eller läsare."},
		{"body of another organisation", url.Values{"email": {"nora@stromsund.se"}, "name": {"Nora"}, "role": {"namndredaktor"}, "org": {"2380"}, "body": {"amn"}}, 422, "", ""},
		{"e-mail taken, in another case", url.Values{"email": {"EBBA.ks@stromsund.se"}, "name": {"Ebba 2"}, "role": {"lasare"}, "org": {"2313"}}, 409, "ny-epost",
			"Det finns redan en användare med e-postadressen EBBA.ks@stromsund.se."},
	}
	e := newUsersEnv(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, page := e.doAs(t, testAdmin, "POST", "/admin/anvandare", tt.form)
			if res.StatusCode != tt.status {
				t.Fatalf("status %d, want %d:\n%s", res.StatusCode, tt.status, page)
			}
			want := []string{`id="felsammanfattning"`, "Användaren kunde inte skapas", "Inget har sparats.", tt.says}
			if tt.field != "" {
				want = append(want, `href="#`+tt.field+`"`, `id="`+tt.field+`-fel"`, `aria-invalid="true" aria-describedby="`+tt.field+`-fel"`)
				if tt.field == "ny-roll" || tt.field == "ny-org" || tt.field == "ny-organ" {
					want[len(want)-1] = `aria-describedby="` + tt.field + `-hjalp ` + tt.field + `-fel" aria-invalid="true"`
				}
			}
			for _, w := range want {
				if !strings.Contains(page, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			if v := tt.form.Get("email"); !strings.Contains(page, `value="`+v+`"`) {
				t.Error("the e-mail typed is not kept")
			}
			if strings.Contains(page, `id="nytt-losenord"`) {
				t.Error("a refused user got a password")
			}
			checkHTML(t, page)
		})
	}
	if users, _ := e.st.ListUsers(context.Background()); len(users) != len(testUsers) {
		t.Errorf("%d users after refused creations, want %d", len(users), len(testUsers))
	}
}

func TestUpdateUser(t *testing.T) {
	e := newUsersEnv(t)
	res, page := e.doAs(t, testAdmin, "POST", "/admin/anvandare/5", url.Values{"role": {"samordnare"}, "org": {"2313"}, "body": {"ks"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/admin/anvandare#anvandare-5" {
		t.Fatalf("status %d, Location %q:\n%s", res.StatusCode, res.Header.Get("Location"), page)
	}
	u, err := e.st.UserByID(context.Background(), 5)
	if err != nil || u.Role != strategy.RoleCoordinator || u.Org != "2313" || u.Body != "" || u.Email != testReader.Email || u.Name != testReader.Name {
		t.Errorf("stored %+v, %v", u, err)
	}

	res, _ = e.doAs(t, testAdmin, "POST", "/admin/anvandare/4", url.Values{"role": {"namndredaktor"}, "org": {"2313"}, "body": {"amn"}, "disabled": {"1"}})
	if u, _ := e.st.UserByID(context.Background(), 4); res.StatusCode != http.StatusSeeOther || !u.Disabled {
		t.Errorf("disabling: status %d, stored %+v", res.StatusCode, u)
	}

	tests := []struct {
		name   string
		id     string
		form   url.Values
		status int
		says   string
	}{
		{"an admin demoting themselves", "1", url.Values{"role": {"lasare"}, "org": {"2313"}}, 409, "Du kan inte ta bort din egen administratörsroll"},
		{"an admin disabling themselves", "1", url.Values{"role": {"admin"}, "disabled": {"1"}}, 409, "Du kan inte ta bort din egen administratörsroll"},
		{"editor without body", "3", url.Values{"role": {"namndredaktor"}, "org": {"2313"}}, 422, `href="#andra-organ"`},
		{"unknown user", "99", url.Values{"role": {"lasare"}, "org": {"2313"}}, 404, "Det finns ingen sådan användare."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, _ := e.st.UserByID(context.Background(), testAdmin.ID)
			res, page := e.doAs(t, testAdmin, "POST", "/admin/anvandare/"+tt.id, tt.form)
			if res.StatusCode != tt.status || !strings.Contains(page, tt.says) {
				t.Errorf("status %d, want %d with %q:\n%s", res.StatusCode, tt.status, tt.says, page)
			}
			checkHTML(t, page)
			if after, _ := e.st.UserByID(context.Background(), testAdmin.ID); after != before {
				t.Errorf("the admin changed: %+v → %+v", before, after)
			}
		})
	}
	if u, _ := e.st.UserByID(context.Background(), 3); u.Body != "ks" {
		t.Errorf("a refused change was stored: %+v", u)
	}
}
