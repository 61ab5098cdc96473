package web

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/inkludera/inkludera/internal/strategy"
)

// TestAPIWrites goes through the API's writes in order, as a samordnare:
// each step's status, and what the store then holds.
func TestAPIWrites(t *testing.T) { onEngines(t, testAPIWrites) }

func testAPIWrites(t *testing.T) {
	e := newEditEnv(t)
	type step struct {
		name   string
		method string
		path   string
		body   string
		status int
		check  func(t *testing.T, body string)
	}
	const doc = "/api/v1/documents/stromsund-program"
	storedArea := func(t *testing.T, key string) (strategy.Area, bool) {
		obj, _, found := e.stored(t, strategy.ObjectRef{Kind: strategy.ObjArea, Document: program, Key: key})
		a, _ := obj.(strategy.Area)
		return a, found
	}
	steps := []step{
		{"create a document", "POST", "/api/v1/documents",
			`{"org": "2313", "kind": "plan", "title": "Plan för mottagande 2026"}`, 201, func(t *testing.T, body string) {
				d := decode[strategy.Document](t, body)
				if d.Key != "plan-for-mottagande-2026" || d.Status != strategy.StatusDraft || d.Rev != 1 || d.Org != "2313" {
					t.Errorf("created %+v", d)
				}
			}},
		{"create a document with a taken key", "POST", "/api/v1/documents",
			`{"org": "2313", "key": "stromsund-program", "kind": "plan", "title": "Kopia"}`, 409, nil},
		{"create a document for an unknown organisation", "POST", "/api/v1/documents",
			`{"org": "2599", "kind": "plan", "title": "X"}`, 403, nil},
		{"create an invalid document", "POST", "/api/v1/documents",
			`{"org": "2313", "kind": "bok", "title": "Fel sorts dokument"}`, 422, func(t *testing.T, body string) {
				v := decode[apiValidationError](t, body)
				if v.Fields["document.kind"] == "" || v.FieldsSV["document.kind"] == "" || v.FieldsSV["document.kind"] == v.Fields["document.kind"] {
					t.Errorf("fields %v, fields_sv %v", v.Fields, v.FieldsSV)
				}
			}},
		{"malformed JSON", "PUT", doc + "/areas/arbete", `{"rev": 1, "title": `, 400, nil},
		{"update the document's fields", "PUT", doc,
			`{"rev": 1, "kind": "program", "title": "Nytt namn", "adopted": {"by": "kf", "on": "2014-04-16", "paragraph": "§ 24"}}`, 200, func(t *testing.T, body string) {
				d := decode[strategy.Document](t, body)
				if d.Title != "Nytt namn" || d.Rev != 2 || d.Subtitle != "" || len(d.Areas) != 2 || d.Status != strategy.StatusAdopted {
					t.Errorf("stored %+v", d)
				}
			}},
		{"update the document from a stale rev", "PUT", doc, `{"rev": 1, "kind": "program", "title": "Gammalt namn"}`, 409, nil},
		{"update without a rev", "PUT", doc, `{"kind": "program", "title": "Utan rev"}`, 400, nil},
		{"publish what is published", "POST", doc + "/publish", `{"rev": 2}`, 409, nil},
		{"publish a draft without its adoption", "POST", "/api/v1/documents/plan-for-mottagande-2026/publish", `{"rev": 1}`, 422, func(t *testing.T, body string) {
			v := decode[apiValidationError](t, body)
			if v.FieldsSV["document.adopted.on"] != "Ange beslutsdatum innan dokumentet publiceras." || v.Fields["document.adopted.by"] == "" {
				t.Errorf("fields %v, fields_sv %v", v.Fields, v.FieldsSV)
			}
		}},
		{"create an area", "PUT", doc + "/areas/boende", `{"rev": 0, "title": "Boende", "prioritised": true, "parent": {"document": "ostersund-strategi", "area": "samverkan"}}`, 201, func(t *testing.T, body string) {
			a := decode[strategy.Area](t, body)
			if a.Key != "boende" || a.Rev != 1 || !a.Prioritised || a.Parent == nil || a.Parent.Area != "samverkan" {
				t.Errorf("answered %+v", a)
			}
		}},
		{"create it again", "PUT", doc + "/areas/boende", `{"rev": 0, "title": "Boende igen"}`, 409, nil},
		{"change the area, its goals kept", "PUT", doc + "/areas/arbete", `{"rev": 1, "key": "arbete", "title": "Arbete", "goals": []}`, 200, func(t *testing.T, body string) {
			d, err := e.st.Document(context.Background(), program)
			if err != nil {
				t.Fatal(err)
			}
			if a := *findArea(&d, "arbete"); a.Title != "Arbete" || len(a.Goals) != 1 || len(a.Goals[0].Targets) != 4 || a.Rev != 2 {
				t.Errorf("stored %+v", a)
			}
		}},
		{"change the area from a stale rev", "PUT", doc + "/areas/arbete", `{"rev": 1, "title": "Arbete och försörjning"}`, 409, func(t *testing.T, body string) {
			if a, _ := storedArea(t, "arbete"); a.Title != "Arbete" {
				t.Errorf("the stale write overwrote: %q", a.Title)
			}
		}},
		{"rename a key", "PUT", doc + "/areas/arbete", `{"rev": 2, "key": "jobb", "title": "Arbete"}`, 422, nil},
		{"an unknown kind", "PUT", doc + "/chapters/x", `{"rev": 0}`, 404, nil},
		{"change an object that is not there", "PUT", doc + "/terms/saknas", `{"rev": 3, "term": "X", "definition": "Y"}`, 404, nil},
		{"create a target under a goal", "PUT", doc + "/targets/t-ny",
			`{"rev": 0, "parent": {"goal": "mal-arbete"}, "text": "Minst 60 % i arbete 2030", "kind": "threshold", "comparator": "at_least", "value": 60, "unit": "%", "target_year": 2030, "indicator": "arbetslosa-utrikes"}`,
			201, nil},
		{"a target without its goal", "PUT", doc + "/targets/t-utan", `{"rev": 0, "text": "X", "kind": "qualitative"}`, 422, func(t *testing.T, body string) {
			if v := decode[apiValidationError](t, body); v.FieldsSV["parent"] == "" {
				t.Errorf("fields_sv %v", v.FieldsSV)
			}
		}},
		{"an invalid target", "PUT", doc + "/targets/t-ny", `{"rev": 1, "text": "Minst 60 % i arbete", "kind": "threshold", "comparator": "at_least", "value": 60, "unit": "%", "indicator": "arbetslosa-utrikes"}`,
			422, func(t *testing.T, body string) {
				v := decode[apiValidationError](t, body)
				var path string
				for p := range v.Fields {
					path = p
				}
				if !strings.HasSuffix(path, ".target_year") || v.FieldsSV[path] != "Ange vilket år målet ska vara nått." {
					t.Errorf("fields %v, fields_sv %v", v.Fields, v.FieldsSV)
				}
			}},
		{"create a responsibility", "PUT", doc + "/responsibilities/new", `{"rev": 0, "parent": {"area": "arbete"}, "body": "amn", "role": "huvudansvarig", "duties": ["Leder"]}`,
			201, func(t *testing.T, body string) {
				r := decode[apiResponsibility](t, body)
				if r.Key != "area:arbete#0" || r.Body != "amn" || r.Rev != 1 {
					t.Errorf("answered %+v", r)
				}
			}},
		{"change the responsibility", "PUT", doc + "/responsibilities/area:arbete%230", `{"rev": 1, "body": "amn", "role": "samordnar"}`, 200, nil},
		{"delete without a rev", "DELETE", doc + "/areas/boende", "", 400, nil},
		{"delete from a stale rev", "DELETE", doc + "/areas/boende?rev=7", "", 409, nil},
		{"delete the area", "DELETE", doc + "/areas/boende?rev=1", "", 200, func(t *testing.T, body string) {
			if _, found := storedArea(t, "boende"); found {
				t.Error("still stored")
			}
		}},
		{"delete a goal an activity links", "DELETE", doc + "/goals/mal-fler-invanare?rev=1", "", 422, nil},
		{"change an indicator", "PUT", "/api/v1/indicators/inflyttade",
			`{"rev": 1, "title": "Inflyttade", "unit": "personer", "polarity": "higher", "source": "kolada:N01802"}`, 200, func(t *testing.T, body string) {
				ind := decode[strategy.Indicator](t, body)
				if ind.Source != "kolada:N01802" || ind.Rev != 2 || ind.Key != "inflyttade" {
					t.Errorf("answered %+v", ind)
				}
			}},
		{"change an indicator from a stale rev", "PUT", "/api/v1/indicators/inflyttade",
			`{"rev": 1, "title": "Inflyttade", "unit": "personer", "polarity": "higher", "source": "manual"}`, 409, nil},
		{"an invalid source", "PUT", "/api/v1/indicators/inflyttade",
			`{"rev": 2, "title": "Inflyttade", "unit": "personer", "polarity": "higher", "source": "kolada:fel"}`, 422, nil},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			var body any
			if s.body != "" {
				body = s.body
			}
			res, out := e.doAs(t, testCoordinator, s.method, s.path, body)
			requireStatus(t, res, out, s.status)
			if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type %q", ct)
			}
			if s.check != nil {
				s.check(t, out)
			}
		})
	}
	t.Run("every save is in the audit trail", func(t *testing.T) {
		for _, c := range []struct {
			ref  strategy.ObjectRef
			want []strategy.AuditAction
		}{
			{strategy.ObjectRef{Kind: strategy.ObjArea, Document: program, Key: "boende"}, []strategy.AuditAction{strategy.AuditDelete, strategy.AuditCreate}},
			{strategy.ObjectRef{Kind: strategy.ObjArea, Document: program, Key: "arbete"}, []strategy.AuditAction{strategy.AuditUpdate}},
			{strategy.ObjectRef{Kind: strategy.ObjDocument, Document: program}, []strategy.AuditAction{strategy.AuditUpdate}},
			{strategy.ObjectRef{Kind: strategy.ObjDocument, Document: "plan-for-mottagande-2026"}, []strategy.AuditAction{strategy.AuditCreate}},
			{strategy.ResponsibilityRef(program, "area:arbete", 0), []strategy.AuditAction{strategy.AuditUpdate, strategy.AuditCreate}},
			{strategy.ObjectRef{Kind: strategy.ObjIndicator, Key: "inflyttade"}, []strategy.AuditAction{strategy.AuditUpdate}},
		} {
			if got := e.auditActions(t, c.ref, testCoordinator); !reflect.DeepEqual(got, c.want) {
				t.Errorf("%s: audit trail %v, want %v", c.ref, got, c.want)
			}
		}
	})
}

// TestAPIWritesRefused checks who may not write, through every write route.
func TestAPIWritesRefused(t *testing.T) { onEngines(t, testAPIWritesRefused) }

func testAPIWritesRefused(t *testing.T) {
	e := newEditEnv(t)
	const doc = "/api/v1/documents/stromsund-program"
	writes := []struct{ method, path, body string }{
		{"POST", "/api/v1/documents", `{"org": "2313", "kind": "plan", "title": "Kapad"}`},
		{"PUT", doc, `{"rev": 1, "kind": "program", "title": "Kapad"}`},
		{"POST", doc + "/publish", `{"rev": 1}`},
		{"PUT", doc + "/areas/arbete", `{"rev": 1, "title": "Kapad"}`},
		{"PUT", doc + "/terms/ny-term", `{"rev": 0, "term": "Kapad", "definition": "Kapad"}`},
		{"PUT", doc + "/responsibilities/new", `{"rev": 0, "body": "ks", "role": "beslutar"}`},
		{"DELETE", doc + "/areas/arbete?rev=1", ""},
		{"PUT", "/api/v1/indicators/inflyttade", `{"rev": 1, "title": "Kapad", "unit": "st", "polarity": "higher", "source": "manual"}`},
	}
	users := []struct {
		name string
		user *strategy.User
		want int
	}{
		{"public", nil, 401},
		{"samordnare of another organisation", testOtherCoord, 403},
		{"nämndredaktör", testEditorAMN, 403},
		{"läsare", testReader, 403},
	}
	before, _ := e.st.Document(context.Background(), program)
	for _, u := range users {
		for _, w := range writes {
			t.Run(u.name+" "+w.method+" "+w.path, func(t *testing.T) {
				var body any
				if w.body != "" {
					body = w.body
				}
				res, out := e.doAs(t, u.user, w.method, w.path, body)
				requireStatus(t, res, out, u.want)
				var errBody apiError
				if err := json.Unmarshal([]byte(out), &errBody); err != nil || errBody.Code == "" {
					t.Errorf("body %s is not an API error", out)
				}
				if u.want == 401 && !strings.HasPrefix(res.Header.Get("WWW-Authenticate"), "Bearer") {
					t.Error("a 401 without a Bearer challenge")
				}
			})
		}
	}
	after, _ := e.st.Document(context.Background(), program)
	if !reflect.DeepEqual(before, after) {
		t.Error("a refused write changed the document")
	}
	t.Run("another organisation's draft is not there", func(t *testing.T) {
		res, out := e.doAs(t, testCoordinator, "PUT", "/api/v1/documents/ostersund-strategi/areas/samverkan", `{"rev": 1, "title": "Kapad"}`)
		requireStatus(t, res, out, http.StatusNotFound)
	})
	t.Run("an indicator no organisation uses is the admins'", func(t *testing.T) {
		if _, err := e.st.Import(context.Background(), []strategy.Bundle{{Indicators: []strategy.Indicator{
			{Key: "oanvand", Title: "Oanvänd", Unit: "st", Polarity: strategy.Neutral, Source: "manual"}}}}); err != nil {
			t.Fatal(err)
		}
		body := `{"rev": 1, "title": "Använd", "unit": "st", "polarity": "neutral", "source": "manual"}`
		res, out := e.doAs(t, testCoordinator, "PUT", "/api/v1/indicators/oanvand", body)
		requireStatus(t, res, out, http.StatusForbidden)
		res, out = e.doAs(t, testAdmin, "PUT", "/api/v1/indicators/oanvand", body)
		requireStatus(t, res, out, http.StatusOK)
	})
}

// TestDraftVisibility: a draft is the organisation's until it is
// published; everyone else gets 404 and no trace of it in lists.
func TestDraftVisibility(t *testing.T) { onEngines(t, testDraftVisibility) }

func testDraftVisibility(t *testing.T) {
	e := newEditEnv(t)
	ctx := context.Background()
	ostersundReader, err := e.st.CreateUser(ctx, strategy.User{Email: "lo.lasare@ostersund.se", Name: "Lo Läsare", Role: strategy.RoleReader, Org: "2380"}, "")
	if err != nil {
		t.Fatal(err)
	}
	// A target in the draft, so that the indicator page has one to hide.
	_, err = e.st.EditDocument(ctx, strategy.Edit{
		Ref: strategy.ObjectRef{Kind: strategy.ObjGoal, Document: "ostersund-strategi", Key: "mal-utrikes"},
		Apply: func(d *strategy.Document) error {
			d.Areas[0].Goals = append(d.Areas[0].Goals, strategy.Goal{Key: "mal-utrikes", Level: strategy.GoalLongTerm, Title: "Fler utrikes födda",
				Targets: []strategy.Target{{Key: "t-hemlig", Text: "Utrikes födda ska öka i utkastet", Kind: strategy.TargetDirection,
					Comparator: strategy.Increase, Indicator: "utrikes-fodda-andel"}}})
			return nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		path     string
		status   int
		contains string // shown to those who may see the draft, hidden from the rest
	}{
		{"document page", "/dokument/ostersund-strategi", 200, "Integrationsstrategi för Östersunds kommun"},
		{"start page", "/", 200, `href="/dokument/ostersund-strategi"`},
		{"another document's link to it", "/dokument/stromsund-program", 200, `href="/dokument/ostersund-strategi"`},
		{"indicator page's targets", "/indikatorer/utrikes-fodda-andel?org=2380", 200, "Utrikes födda ska öka i utkastet"},
		{"API document", "/api/v1/documents/ostersund-strategi", 200, `"key":"ostersund-strategi"`},
		{"API scorecard", "/api/v1/documents/ostersund-strategi/scorecard", 200, `"document":"ostersund-strategi"`},
		{"API list", "/api/v1/organisations/2380/documents", 200, `"key":"ostersund-strategi"`},
	}
	viewers := []struct {
		name string
		user *strategy.User
		sees bool
	}{
		{"public", nil, false},
		{"samordnare of another organisation", testCoordinator, false},
		{"läsare of another organisation", testReader, false},
		{"läsare of the organisation", &ostersundReader, true},
		{"samordnare of the organisation", testOtherCoord, true},
		{"admin", testAdmin, true},
	}
	for _, v := range viewers {
		for _, tt := range tests {
			t.Run(v.name+" "+tt.name, func(t *testing.T) {
				res, body := e.doAs(t, v.user, "GET", tt.path, nil)
				want := tt.status
				if !v.sees && strings.Contains(tt.path, "/ostersund-strategi") {
					want = http.StatusNotFound
				}
				requireStatus(t, res, body, want)
				if want == http.StatusNotFound {
					if strings.Contains(body, "Integrationsstrategi för Östersunds kommun") {
						t.Error("the 404 gives the draft's title away")
					}
					return
				}
				if got := strings.Contains(body, tt.contains); got != v.sees {
					t.Errorf("shows %s: %v, want %v", tt.contains, got, v.sees)
				}
			})
		}
	}
}

// TestDraftForItsOrganisation shows the draft as its organisation sees it.
func TestDraftForItsOrganisation(t *testing.T) { onEngines(t, testDraftForItsOrganisation) }

func testDraftForItsOrganisation(t *testing.T) {
	e := newEditEnv(t)
	res, body := e.doAs(t, testOtherCoord, "GET", "/dokument/ostersund-strategi", nil)
	requireStatus(t, res, body, 200)
	wantHTML(t, body)
	for _, want := range []string{"<h1>Integrationsstrategi för Östersunds kommun</h1>", "<strong>Utkast.</strong>", "Regional samverkan",
		`<h2 id="maluppfyllelse">Måluppfyllelse</h2>`, "Dokumentet har inga mål att bedöma.",
		`href="/redigera/dokument/ostersund-strategi#publicera">Publicera dokumentet</a>`} {
		if !strings.Contains(body, want) {
			t.Errorf("lacks %q", want)
		}
	}
	for _, bad := range []string{"Antagen av", "status-counts"} {
		if strings.Contains(body, bad) {
			t.Errorf("has %q", bad)
		}
	}
	res, body = e.doAs(t, testOtherCoord, "GET", "/api/v1/organisations/2380/documents", nil)
	requireStatus(t, res, body, 200)
	docs := decode[[]map[string]any](t, body)
	if len(docs) != 1 || docs[0]["status"] != "utkast" {
		t.Fatalf("got %v", docs)
	}
	if _, ok := docs[0]["adopted_on"]; ok {
		t.Error("unset adopted_on is not omitted")
	}
}
