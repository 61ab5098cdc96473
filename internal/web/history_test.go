package web

import (
	"context"
	"encoding/json"
	"net/url"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/inkludera/inkludera/internal/strategy"
)

// goalRef is the goal newHistoryEnv renames.
var goalRef = strategy.ObjectRef{Kind: strategy.ObjGoal, Document: "stromsund-program", Key: "mal-fler-invanare"}

// newHistoryEnv is a test server whose store has two recorded changes, by
// Sam Samordnare from 198.51.100.7: the goal renamed, then a term added.
func newHistoryEnv(t *testing.T) *testEnv {
	t.Helper()
	st := newTestStore(t)
	storeTestUsers(t, st)
	ctx := strategy.WithActor(context.Background(), strategy.Actor{UserID: testCoordinator.ID, Name: testCoordinator.Name,
		Address: "198.51.100.7", Via: "web"})
	d, err := st.Document(ctx, "stromsund-program")
	if err != nil {
		t.Fatal(err)
	}
	_, rev, _ := d.Lookup(goalRef)
	if _, err := st.EditDocument(ctx, strategy.Edit{Ref: goalRef, Rev: rev, Apply: func(d *strategy.Document) error {
		d.Areas[0].Goals[0].Title = "Fler invånare i hela kommunen"
		return nil
	}}); err != nil {
		t.Fatalf("editing the goal: %v", err)
	}
	termRef := strategy.ObjectRef{Kind: strategy.ObjTerm, Document: "stromsund-program", Key: "tolk"}
	if _, err := st.EditDocument(ctx, strategy.Edit{Ref: termRef, Apply: func(d *strategy.Document) error {
		d.Terms = append(d.Terms, strategy.Term{Key: "tolk", Term: "Tolk", Definition: "Den som översätter muntligt."})
		return nil
	}}); err != nil {
		t.Fatalf("adding a term: %v", err)
	}
	return newTestEnvWith(t, st)
}

func TestHistoryPage(t *testing.T) {
	e := newHistoryEnv(t)
	res, page := e.doAs(t, testAdmin, "GET", historyURL(goalRef), nil)
	if res.StatusCode != 200 {
		t.Fatalf("status %d:\n%s", res.StatusCode, page)
	}
	for _, want := range []string{
		"<h1>Historik – Mål: Fler invånare i hela kommunen</h1>",
		`<a href="/dokument/stromsund-program">Till dokumentet Program för inflyttning och integration 2014–2015</a>`,
		": Ändrade</h2>", "Av Sam Samordnare via webben från 198.51.100.7.",
		`<tr><th scope="row"><code>title</code></th><td>Fler invånare i Strömsunds kommun</td><td>Fler invånare i hela kommunen</td></tr>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	for _, not := range []string{"<code>level</code>", "<code>rev</code>", "Tolk"} {
		if strings.Contains(page, not) {
			t.Errorf("the goal's history shows %q, which did not change or is not the goal's", not)
		}
	}
	checkHTML(t, page)

	// A document's history has everything in it, each linked to its own.
	_, page = e.doAs(t, testCoordinator, "GET", "/historik?objekt=document:stromsund-program", nil)
	for _, want := range []string{": Skapade <a href=\"/historik?objekt=term%3Astromsund-program%2Ftolk\">Begrepp tolk</a></h2>",
		"<code>definition</code></th><td>Den som översätter muntligt.</td>", "Skapades med dessa värden:",
		": Ändrade <a href=\"/historik?objekt=goal%3Astromsund-program%2Fmal-fler-invanare\">Mål mal-fler-invanare</a></h2>"} {
		if !strings.Contains(page, want) {
			t.Errorf("document history lacks %q", want)
		}
	}
	// Newest first.
	if i, j := strings.Index(page, "Begrepp tolk"), strings.Index(page, "Mål mal-fler-invanare"); i < 0 || j < 0 || i > j {
		t.Error("the document's history is not newest first")
	}
	checkHTML(t, page)
}

func TestHistoryAccess(t *testing.T) {
	e := newHistoryEnv(t)
	tests := []struct {
		name   string
		user   *strategy.User
		target string
		status int
	}{
		{"admin", testAdmin, historyURL(goalRef), 200},
		{"samordnare of the organisation", testCoordinator, historyURL(goalRef), 200},
		{"samordnare of another organisation", testOtherCoord, historyURL(goalRef), 403},
		{"nämndredaktör", testEditorKS, historyURL(goalRef), 403},
		{"läsare", testReader, historyURL(goalRef), 403},
		{"public", nil, historyURL(goalRef), 303},
		{"a draft the user may not read", testCoordinator, "/historik?objekt=document:ostersund-strategi", 404},
		{"a draft, public", nil, "/historik?objekt=document:ostersund-strategi", 404},
		{"users are the admins'", testCoordinator, "/historik?objekt=user:3", 403},
		{"a user, admin", testAdmin, "/historik?objekt=user:3", 200},
		{"an indicator, admin", testAdmin, "/historik?objekt=indicator:folkmangd", 200},
		{"unknown document", testAdmin, "/historik?objekt=document:finns-inte", 404},
		{"malformed", testAdmin, "/historik?objekt=mal-fler-invanare", 400},
		{"unknown kind", testAdmin, "/historik?objekt=planet:jorden", 400},
		{"no object", testAdmin, "/historik", 400},
		{"bad page", testAdmin, historyURL(goalRef) + "&fore=x", 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, page := e.doAs(t, tt.user, "GET", tt.target, nil)
			if res.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", res.StatusCode, tt.status)
			}
			switch tt.status {
			case 303:
				if !strings.HasPrefix(res.Header.Get("Location"), "/logga-in?nasta=") {
					t.Errorf("the public is sent to %q", res.Header.Get("Location"))
				}
			default:
				checkHTML(t, page)
			}
		})
	}
}

func TestHistoryPaging(t *testing.T) {
	st := newTestStore(t)
	ctx := strategy.WithActor(context.Background(), strategy.Actor{Name: "cli", Via: "cli"})
	ref := strategy.ObjectRef{Kind: strategy.ObjTerm, Document: "stromsund-program", Key: "nyanland"}
	for i := range historyPageSize + 2 {
		d, err := st.Document(ctx, ref.Document)
		if err != nil {
			t.Fatal(err)
		}
		_, rev, _ := d.Lookup(ref)
		if _, err := st.EditDocument(ctx, strategy.Edit{Ref: ref, Rev: rev, Apply: func(d *strategy.Document) error {
			d.Terms[0].Definition = "Version " + string(rune('A'+i%26)) + strings.Repeat("!", i)
			return nil
		}}); err != nil {
			t.Fatal(err)
		}
	}
	e := newTestEnvWith(t, st)
	_, page := e.doAs(t, testAdmin, "GET", historyURL(ref), nil)
	if n := strings.Count(page, `class="history-entry"`); n != historyPageSize {
		t.Errorf("first page: %d entries, want %d", n, historyPageSize)
	}
	older := regexpFind(t, page, `<a href="(/historik\?objekt=[^"]+&amp;fore=\d+)">Äldre ändringar</a>`)
	_, page = e.doAs(t, testAdmin, "GET", strings.ReplaceAll(older, "&amp;", "&"), nil)
	if n := strings.Count(page, `class="history-entry"`); n != 2 || strings.Contains(page, "Äldre ändringar") || !strings.Contains(page, "Till de senaste ändringarna") {
		t.Errorf("second page: %d entries, want 2, no further page and a way back", n)
	}
	if !strings.Contains(page, "via kommandoraden") {
		t.Error("the actor's way in is not said")
	}
}

func regexpFind(t *testing.T, s, re string) string {
	t.Helper()
	m := regexp.MustCompile(re).FindStringSubmatch(s)
	if m == nil {
		t.Fatalf("no match for %s", re)
	}
	return m[1]
}

func TestAuditAPI(t *testing.T) {
	e := newHistoryEnv(t)
	object := "/api/v1/audit?" + url.Values{"object": {goalRef.String()}}.Encode()
	tests := []struct {
		name   string
		user   *strategy.User
		target string
		status int
	}{
		{"admin, object", testAdmin, object, 200},
		{"samordnare, own object", testCoordinator, object, 200},
		{"samordnare, own organisation", testCoordinator, "/api/v1/audit?org=2313", 200},
		{"admin, everything", testAdmin, "/api/v1/audit", 200},
		{"samordnare of another organisation", testOtherCoord, object, 403},
		{"samordnare, another organisation", testCoordinator, "/api/v1/audit?org=2380", 403},
		{"samordnare, everything", testCoordinator, "/api/v1/audit", 403},
		{"nämndredaktör", testEditorKS, object, 403},
		{"läsare", testReader, "/api/v1/audit?org=2313", 403},
		{"public", nil, object, 401},
		{"malformed object", testAdmin, "/api/v1/audit?object=goal:utan-nyckel", 400},
		{"bad limit", testAdmin, "/api/v1/audit?limit=0", 400},
		{"bad before", testAdmin, "/api/v1/audit?before=-1", 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := e.doAs(t, tt.user, "GET", tt.target, nil)
			if res.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", res.StatusCode, tt.status, body)
			}
			if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type %q", ct)
			}
			if tt.status == 401 && res.Header.Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
		})
	}

	_, body := e.doAs(t, testCoordinator, "GET", object, nil)
	var entries []strategy.AuditEntry
	if err := json.Unmarshal([]byte(body), &entries); err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Object != goalRef || entries[0].Action != strategy.AuditUpdate ||
		entries[0].Actor.Name != "Sam Samordnare" || entries[0].Actor.Address != "198.51.100.7" || entries[0].Org != "2313" {
		t.Errorf("entries = %+v", entries)
	}
	_, body = e.doAs(t, testAdmin, "GET", "/api/v1/audit?org=2313&limit=1", nil)
	if err := json.Unmarshal([]byte(body), &entries); err != nil || len(entries) != 1 || entries[0].Object.Kind != strategy.ObjTerm {
		t.Errorf("newest entry of 2313 = %+v, %v", entries, err)
	}
	_, body = e.doAs(t, testAdmin, "GET", "/api/v1/audit?org=2313&limit=1&before="+strconv.FormatInt(entries[0].ID, 10), nil)
	if err := json.Unmarshal([]byte(body), &entries); err != nil || len(entries) != 1 || entries[0].Object != goalRef {
		t.Errorf("entries before the newest = %+v, %v", entries, err)
	}
}

func TestChangedFields(t *testing.T) {
	before := json.RawMessage(`{"key":"t","text":"Minst 10 %","value":10,"rev":3,"adopted":{"by":"kf","on":"2014-04-16"},
		"bodies":["ks","amn"],"activities":[{"key":"a","title":"Gammal"}],"empty":null,"flag":false,"token_hash":"abc"}`)
	after := json.RawMessage(`{"key":"t","text":"Minst 12 %","value":12.5,"rev":4,"adopted":{"by":"kf","on":"2014-05-01"},
		"bodies":["ks"],"activities":[{"key":"a","title":"Ny"}],"empty":null,"flag":true,"token_hash":"def"}`)
	got := diff(flattenJSON(before), flattenJSON(after))
	want := []fieldChange{
		{"activities[0].title", "Gammal", "Ny"},
		{"adopted.on", "2014-04-16", "2014-05-01"},
		{"bodies", "ks, amn", "ks"},
		{"flag", "nej", "ja"},
		{"text", "Minst 10 %", "Minst 12 %"},
		{"token_hash", hiddenValue, "(ändrat)"},
		{"value", "10", "12.5"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("diff =\n%+v\nwant\n%+v", got, want)
	}
	if flattenJSON(json.RawMessage("null")) != nil || flattenJSON(nil) != nil {
		t.Error("null is not nothing")
	}
	h := newHistoryEntry(strategy.AuditEntry{ID: 7, Action: strategy.AuditDelete, Before: before, After: json.RawMessage("null")}, false)
	if !h.Deleted || h.Created || len(h.Changes) == 0 || h.Changes[0].Before == "" {
		t.Errorf("deletion = %+v", h)
	}
}
