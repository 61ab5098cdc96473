package web

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/inkludera/inkludera/internal/strategy"
)

func init() { checkedPages["edit"] = frame[editPage]{} }

// newEditEnv is a test server with the test users stored.
func newEditEnv(t *testing.T) *testEnv {
	t.Helper()
	e := newTestEnv(t)
	storeTestUsers(t, e.st)
	return e
}

const program = "stromsund-program"

// stored reads an object of a stored document with its rev.
func (e *testEnv) stored(t *testing.T, ref strategy.ObjectRef) (any, int64, bool) {
	t.Helper()
	d, err := e.st.Document(context.Background(), ref.Document)
	if err != nil {
		t.Fatal(err)
	}
	return d.Lookup(ref)
}

// formOf is what a browser posts from the object's form as it stands:
// the stored values and rev, with changes applied ("name", "value", …).
func (e *testEnv) formOf(t *testing.T, ref strategy.ObjectRef, changes ...string) url.Values {
	t.Helper()
	obj, rev, found := e.stored(t, ref)
	if !found {
		t.Fatalf("%s is not stored", ref)
	}
	var vals url.Values
	switch ref.Kind {
	case strategy.ObjDocument:
		d, err := e.st.Document(context.Background(), ref.Document)
		if err != nil {
			t.Fatal(err)
		}
		vals = documentValues(d)
	default:
		vals = objectValues(obj)
	}
	vals.Set("rev", strconv.FormatInt(rev, 10))
	return with(vals, changes...)
}

// with sets name/value pairs on a copy of vals; a name given twice gets
// both values (checkboxes).
func with(vals url.Values, changes ...string) url.Values {
	out := url.Values{}
	for k, v := range vals {
		out[k] = append([]string(nil), v...)
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(changes); i += 2 {
		k, v := changes[i], changes[i+1]
		if seen[k] {
			out.Add(k, v)
		} else {
			out.Set(k, v)
		}
		seen[k] = true
	}
	return out
}

func editPath(doc, segment, key string) string {
	return "/redigera/dokument/" + doc + "/" + segment + "/" + url.PathEscape(key)
}

func requireStatus(t *testing.T, res *http.Response, body string, want int) {
	t.Helper()
	if res.StatusCode != want {
		t.Fatalf("status %d, want %d; body:\n%s", res.StatusCode, want, body)
	}
}

func wantHTML(t *testing.T, body string) {
	t.Helper()
	for _, p := range htmlProblems(body) {
		t.Error(p)
	}
}

// auditActions lists the recorded actions on ref, newest first, but the
// test data's import, checking that by made each.
func (e *testEnv) auditActions(t *testing.T, ref strategy.ObjectRef, by *strategy.User) []strategy.AuditAction {
	t.Helper()
	entries, err := e.st.Audit(context.Background(), strategy.AuditFilter{Kind: ref.Kind, Document: ref.Document, Key: ref.Key})
	if err != nil {
		t.Fatal(err)
	}
	var out []strategy.AuditAction
	for _, en := range entries {
		if en.Action == strategy.AuditImport {
			continue // the test data's own import
		}
		if en.Actor.UserID != by.ID {
			t.Errorf("%s %s recorded as by %+v, want user %d", en.Action, ref, en.Actor, by.ID)
		}
		out = append(out, en.Action)
	}
	return out
}

// TestEditObjects creates, changes and deletes an object of every kind
// through its form, as the organisation's samordnare.
func TestEditObjects(t *testing.T) {
	ref := func(kind strategy.ObjectKind, key string) strategy.ObjectRef {
		return strategy.ObjectRef{Kind: kind, Document: program, Key: key}
	}
	tests := []struct {
		name     string
		segment  string
		newQuery string
		create   url.Values
		ref      strategy.ObjectRef // what the create makes, its key derived or given
		anchor   string
		created  any // the stored object without key and rev
		shows    []string
		update   []string // changes to the stored form
		updated  any
	}{
		{
			name: "area", segment: "omrade",
			create: url.Values{"title": {"Boende och bostäder"}, "description": {"Alla ska ha ett bra boende."}, "prioritised": {"ja"},
				"indicators": {"folkmangd", "inflyttade"}},
			ref: ref(strategy.ObjArea, "boende-och-bostader"), anchor: "#omrade-boende-och-bostader",
			created: strategy.Area{Title: "Boende och bostäder", Description: "Alla ska ha ett bra boende.", Prioritised: true,
				Indicators: []string{"folkmangd", "inflyttade"}},
			shows:   []string{`value="Boende och bostäder"`, `name="prioritised" value="ja" checked`, "Alla ska ha ett bra boende."},
			update:  []string{"title", "Boende", "prioritised", "", "parent.document", "ostersund-strategi", "parent.area", "samverkan"},
			updated: strategy.Area{Title: "Boende", Description: "Alla ska ha ett bra boende.", Indicators: []string{"folkmangd", "inflyttade"}, Parent: &strategy.AreaRef{Document: "ostersund-strategi", Area: "samverkan"}},
		},
		{
			name: "goal under an area", segment: "mal", newQuery: "?under=area:arbete",
			create: url.Values{"parent": {"area:arbete"}, "level": {"langsiktigt"}, "title": {"Fler i egen försörjning"}},
			ref:    ref(strategy.ObjGoal, "fler-i-egen-forsorjning"), anchor: "#mal-fler-i-egen-forsorjning",
			created: strategy.Goal{Level: strategy.GoalLongTerm, Title: "Fler i egen försörjning"},
			shows:   []string{`value="Fler i egen försörjning"`, `value="langsiktigt" checked`},
			update:  []string{"title", "Fler utrikes födda i egen försörjning", "description", "Inom fem år."},
			updated: strategy.Goal{Level: strategy.GoalLongTerm, Title: "Fler utrikes födda i egen försörjning", Description: "Inom fem år."},
		},
		{
			name: "target with a decimal comma", segment: "malvarde", newQuery: "?under=goal:mal-arbete",
			create: url.Values{"parent": {"goal:mal-arbete"}, "key": {"t-sysselsatta"}, "text": {"Minst 55,5 % har arbete år 2030"},
				"kind": {"threshold"}, "comparator": {"at_least"}, "value": {"55,5"}, "unit": {"%"}, "target_year": {"2030"},
				"base_year": {"2019"}, "base_value": {"48,25"}, "gender": {"K"}, "indicator": {"arbetslosa-utrikes"}},
			ref: ref(strategy.ObjTarget, "t-sysselsatta"), anchor: "#malvarde-t-sysselsatta",
			created: strategy.Target{Text: "Minst 55,5 % har arbete år 2030", Kind: strategy.TargetThreshold, Comparator: strategy.AtLeast,
				Value: f(55.5), Unit: "%", TargetYear: 2030, BaseYear: 2019, BaseValue: f(48.25), Gender: strategy.Women, Indicator: "arbetslosa-utrikes"},
			shows: []string{`value="55,5"`, `value="48,25"`, `<option value="K" selected>`, `<option value="arbetslosa-utrikes" selected>`},
			update: []string{"value", "60.25", "gender", "", "assessment.status", "on_track", "assessment.justification", "Siffrorna från Arbetsförmedlingen pekar uppåt",
				"assessment.on", "2026-02-01"},
			updated: strategy.Target{Text: "Minst 55,5 % har arbete år 2030", Kind: strategy.TargetThreshold, Comparator: strategy.AtLeast,
				Value: f(60.25), Unit: "%", TargetYear: 2030, BaseYear: 2019, BaseValue: f(48.25), Indicator: "arbetslosa-utrikes",
				Assessment: &strategy.Assessment{Status: strategy.OnTrack, Justification: "Siffrorna från Arbetsförmedlingen pekar uppåt", On: date("2026-02-01")}},
		},
		{
			name: "commitment with responsible bodies", segment: "atagande", newQuery: "?under=goal:mal-fler-invanare",
			create: url.Values{"parent": {"goal:mal-fler-invanare"}, "key": {"c-bostad"}, "text": {"Kommunen ska hjälpa nyanlända att hitta bostad."},
				"bodies": {"ks", "amn"}},
			ref: ref(strategy.ObjCommitment, "c-bostad"), anchor: "#atagande-c-bostad",
			created: strategy.Commitment{Text: "Kommunen ska hjälpa nyanlända att hitta bostad.", Bodies: []string{"ks", "amn"}},
			shows:   []string{`name="bodies" value="ks" checked`, `name="bodies" value="amn" checked`, `name="bodies" value="kf">`},
			update:  []string{"bodies", "amn"},
			updated: strategy.Commitment{Text: "Kommunen ska hjälpa nyanlända att hitta bostad.", Bodies: []string{"amn"}},
		},
		{
			name: "term", segment: "begrepp",
			create: url.Values{"term": {"Kommunplacerad"}, "definition": {"Person som anvisats till kommunen."}},
			ref:    ref(strategy.ObjTerm, "kommunplacerad"), anchor: "#begrepp-kommunplacerad",
			created: strategy.Term{Term: "Kommunplacerad", Definition: "Person som anvisats till kommunen."},
			shows:   []string{`value="Kommunplacerad"`, "Person som anvisats till kommunen."},
			update:  []string{"definition", "Person som anvisats till kommunen enligt bosättningslagen."},
			updated: strategy.Term{Term: "Kommunplacerad", Definition: "Person som anvisats till kommunen enligt bosättningslagen."},
		},
		{
			name: "responsibility of an area", segment: "ansvar", newQuery: "?agare=area:arbete",
			create: url.Values{"parent": {"area:arbete"}, "body": {"amn"}, "role": {"huvudansvarig"}, "duties": {"Leder arbetet\r\n\r\nFöljer upp varje år\r\n"}},
			ref:    strategy.ResponsibilityRef(program, "area:arbete", 0), anchor: "#omrade-arbete",
			created: strategy.Responsibility{Body: "amn", Role: strategy.RoleLeads, Duties: []string{"Leder arbetet", "Följer upp varje år"}},
			shows:   []string{`<option value="amn" selected>Arbetsmarknadsnämnden</option>`, `<option value="huvudansvarig" selected>Huvudansvarig</option>`},
			update:  []string{"role", "samordnar", "duties", "Samordnar"},
			updated: strategy.Responsibility{Body: "amn", Role: strategy.RoleCoordinates, Duties: []string{"Samordnar"}},
		},
	}
	e := newEditEnv(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			newPath := editPath(program, tt.segment, "ny")
			res, body := e.doAs(t, testCoordinator, "GET", newPath+tt.newQuery, nil)
			requireStatus(t, res, body, 200)
			wantHTML(t, body)
			if _, under, ok := strings.Cut(tt.newQuery, "="); ok && !strings.Contains(body, `<option value="`+under+`" selected>`) {
				t.Errorf("the place %s from the query is not preselected", under)
			}

			res, body = e.doAs(t, testCoordinator, "POST", newPath, with(tt.create, "rev", "0"))
			requireStatus(t, res, body, http.StatusSeeOther)
			if loc, want := res.Header.Get("Location"), "/dokument/"+program+tt.anchor; loc != want {
				t.Errorf("created: redirected to %q, want %q", loc, want)
			}
			obj, rev, found := e.stored(t, tt.ref)
			if !found {
				t.Fatalf("%s was not created", tt.ref)
			}
			if rev != 1 {
				t.Errorf("new object has rev %d, want 1", rev)
			}
			if got := withoutKeyAndRev(obj); !reflect.DeepEqual(got, tt.created) {
				t.Errorf("created\n%+v\nwant\n%+v", got, tt.created)
			}

			res, body = e.doAs(t, testCoordinator, "GET", editPath(program, tt.segment, tt.ref.Key), nil)
			requireStatus(t, res, body, 200)
			wantHTML(t, body)
			for _, want := range append(tt.shows, `name="rev" value="1"`) {
				if !strings.Contains(html.UnescapeString(body), want) {
					t.Errorf("edit form lacks %s", want)
				}
			}

			res, body = e.doAs(t, testCoordinator, "POST", editPath(program, tt.segment, tt.ref.Key), e.formOf(t, tt.ref, tt.update...))
			requireStatus(t, res, body, http.StatusSeeOther)
			obj, rev, _ = e.stored(t, tt.ref)
			if got := withoutKeyAndRev(obj); !reflect.DeepEqual(got, tt.updated) {
				t.Errorf("updated\n%+v\nwant\n%+v", got, tt.updated)
			}
			if rev != 2 {
				t.Errorf("updated object has rev %d, want 2", rev)
			}

			res, body = e.doAs(t, testCoordinator, "GET", editPath(program, tt.segment, tt.ref.Key)+"?ta-bort", nil)
			requireStatus(t, res, body, 200)
			wantHTML(t, body)
			if !strings.Contains(body, `<button type="submit" class="danger">Ta bort</button>`) || !strings.Contains(body, `name="rev" value="2"`) {
				t.Error("the confirmation lacks its button or the rev")
			}
			res, body = e.doAs(t, testCoordinator, "POST", editPath(program, tt.segment, tt.ref.Key)+"/ta-bort", url.Values{"rev": {"2"}})
			requireStatus(t, res, body, http.StatusSeeOther)
			if _, _, found := e.stored(t, tt.ref); found {
				t.Errorf("%s is still stored after its deletion", tt.ref)
			}

			got := e.auditActions(t, tt.ref, testCoordinator)
			want := []strategy.AuditAction{strategy.AuditDelete, strategy.AuditUpdate, strategy.AuditCreate}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("audit trail %v, want %v", got, want)
			}
		})
	}
}

func withoutKeyAndRev(obj any) any {
	switch o := obj.(type) {
	case strategy.Area:
		o.Key, o.Rev = "", 0
		return o
	case strategy.Goal:
		o.Key, o.Rev = "", 0
		return o
	case strategy.Target:
		o.Key, o.Rev = "", 0
		return o
	case strategy.Commitment:
		o.Key, o.Rev = "", 0
		return o
	case strategy.Term:
		o.Key, o.Rev = "", 0
		return o
	case strategy.Responsibility:
		o.Rev = 0
		return o
	}
	return obj
}

func TestEditDocumentFields(t *testing.T) {
	e := newEditEnv(t)
	docRef := strategy.ObjectRef{Kind: strategy.ObjDocument, Document: program}
	res, body := e.doAs(t, testCoordinator, "GET", "/redigera/dokument/"+program, nil)
	requireStatus(t, res, body, 200)
	wantHTML(t, body)
	for _, want := range []string{`value="Program för inflyttning och integration 2014–2015"`, `value="2014-04-16"`,
		`<option value="kf" selected>Kommunfullmäktige</option>`, "Invånare\nFörtroendevalda", `<label for="falt-adopted-on">Beslutsdatum</label>`} {
		if !strings.Contains(html.UnescapeString(body), want) {
			t.Errorf("form lacks %q", want)
		}
	}
	res, body = e.doAs(t, testCoordinator, "POST", "/redigera/dokument/"+program, e.formOf(t, docRef,
		"title", "Program för inflyttning och integration 2014–2016", "valid_to", "2016-12-31",
		"follow_up.interval_years", "2", "audience", "Invånare\r\nFöreningar", "owner", "amn"))
	requireStatus(t, res, body, http.StatusSeeOther)
	d, err := e.st.Document(context.Background(), program)
	if err != nil {
		t.Fatal(err)
	}
	if d.Title != "Program för inflyttning och integration 2014–2016" || d.ValidTo != date("2016-12-31") ||
		d.FollowUp.IntervalYears != 2 || !reflect.DeepEqual(d.Audience, []string{"Invånare", "Föreningar"}) || d.Owner != "amn" {
		t.Errorf("stored %+v", d)
	}
	// What the form does not show stays as it was.
	if len(d.Related) != 2 || len(d.Replaces) != 1 || len(d.Areas) != 2 || d.Status != strategy.StatusAdopted {
		t.Errorf("fields outside the form changed: related %v, replaces %v, %d areas, status %s", d.Related, d.Replaces, len(d.Areas), d.Status)
	}
	if got := e.auditActions(t, docRef, testCoordinator); !reflect.DeepEqual(got, []strategy.AuditAction{strategy.AuditUpdate}) {
		t.Errorf("audit trail %v", got)
	}
}

// TestEditValidation shows problems in Swedish beside their fields, with
// 422, the entered values kept and nothing stored.
func TestEditValidation(t *testing.T) {
	target := strategy.ObjectRef{Kind: strategy.ObjTarget, Document: program, Key: "t-sfi"}
	term := strategy.ObjectRef{Kind: strategy.ObjTerm, Document: program, Key: "nyanland"}
	docRef := strategy.ObjectRef{Kind: strategy.ObjDocument, Document: program}
	tests := []struct {
		name  string
		path  string
		ref   strategy.ObjectRef // an existing object whose form is sent; zero for a new one
		form  []string
		field string // the input's id
		msg   string
		kept  string
	}{
		{name: "a value that is no number", path: editPath(program, "malvarde", "t-sfi"), ref: target,
			form: []string{"value", "sextio"}, field: "falt-value", msg: "Ange ett tal, till exempel 12,5.", kept: `value="sextio"`},
		{name: "the store's rule, in Swedish", path: editPath(program, "malvarde", "t-sfi"), ref: target,
			form: []string{"target_year", "", "unit", "procent"}, field: "falt-target-year", msg: "Ange vilket år målet ska vara nått.", kept: `value="procent"`},
		{name: "a year that is no year", path: editPath(program, "malvarde", "t-sfi"), ref: target,
			form: []string{"target_year", "tjugotjugo"}, field: "falt-target-year", msg: "Ange ett heltal, till exempel 2030.", kept: `value="tjugotjugo"`},
		{name: "an area without a title", path: editPath(program, "omrade", "ny"),
			form: []string{"rev", "0", "title", "", "description", "Något om bostäder"}, field: "falt-title", msg: "Ange områdets rubrik.", kept: "Något om bostäder"},
		{name: "a key already used", path: editPath(program, "omrade", "ny"),
			form: []string{"rev", "0", "title", "Arbete igen", "key", "arbete"}, field: "falt-key", msg: "Nyckeln används redan i dokumentet.", kept: `value="Arbete igen"`},
		{name: "a term without its definition", path: editPath(program, "begrepp", "nyanland"), ref: term,
			form: []string{"definition", "", "term", "Nyanländ person"}, field: "falt-definition", msg: "Ange vad begreppet betyder i dokumentet.", kept: `value="Nyanländ person"`},
		{name: "a responsibility without a role", path: editPath(program, "ansvar", "ny"),
			form: []string{"rev", "0", "parent", "area:arbete", "body", "amn", "duties", "Leder"}, field: "falt-role", msg: "Välj vilken roll organet har.", kept: "Leder"},
		{name: "a goal without its place", path: editPath(program, "mal", "ny"),
			form: []string{"rev", "0", "parent", "", "level", "langsiktigt", "title", "Ett mål utan plats"}, field: "falt-parent", msg: "Välj vilket område eller mål det nya målet hör till.", kept: `value="Ett mål utan plats"`},
		{name: "a document without a title", path: "/redigera/dokument/" + program, ref: docRef,
			form: []string{"title", "", "subtitle", "Ny undertitel"}, field: "falt-title", msg: "Ange dokumentets titel.", kept: `value="Ny undertitel"`},
		{name: "a date in another form", path: "/redigera/dokument/" + program, ref: docRef,
			form: []string{"adopted.on", "16/4 2014"}, field: "falt-adopted-on", msg: "Ange datumet som ÅÅÅÅ-MM-DD, till exempel 2024-05-16.", kept: `value="16/4 2014"`},
		{name: "a valid_to before valid_from", path: "/redigera/dokument/" + program, ref: docRef,
			form: []string{"valid_to", "2013-12-31"}, field: "falt-valid-to", kept: `value="2013-12-31"`},
	}
	e := newEditEnv(t)
	before, err := e.st.Document(context.Background(), program)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var vals url.Values
			if tt.ref.Kind != "" {
				vals = e.formOf(t, tt.ref, tt.form...)
			} else {
				vals = with(nil, tt.form...)
			}
			res, body := e.doAs(t, testCoordinator, "POST", tt.path, vals)
			requireStatus(t, res, body, http.StatusUnprocessableEntity)
			wantHTML(t, body)
			text := html.UnescapeString(body)
			errID := tt.field + "-fel"
			i := strings.Index(text, `id="`+errID+`"`)
			if i < 0 {
				t.Fatalf("no error beside %s", tt.field)
			}
			beside := text[i:min(len(text), i+300)]
			if tt.msg != "" && !strings.Contains(beside, tt.msg) {
				t.Errorf("beside %s: %q, want %q", tt.field, beside, tt.msg)
			}
			if strings.Contains(beside, "is required") || strings.Contains(beside, " must ") {
				t.Errorf("the message beside %s is English: %q", tt.field, beside)
			}
			if !strings.Contains(text, `href="#`+tt.field+`"`) && !strings.Contains(text, `href="#`+tt.field+`-1"`) {
				t.Error("the error summary does not link to the field")
			}
			if !strings.Contains(text, `aria-describedby="`) || !strings.Contains(text, errID) || !strings.Contains(text, `aria-invalid="true"`) {
				t.Error("the field is not marked invalid and tied to its error")
			}
			if !strings.Contains(text, tt.kept) {
				t.Errorf("the entered %s is not kept", tt.kept)
			}
		})
	}
	after, err := e.st.Document(context.Background(), program)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(before, after) {
		t.Error("a refused save changed the document")
	}
}

// TestEditConflict saves twice from the same rev: the second save is
// refused with the conflict message and the first one's value stays.
func TestEditConflict(t *testing.T) {
	tests := []struct {
		name  string
		path  string
		ref   strategy.ObjectRef
		field string
		read  func(obj any) string
	}{
		{"document", "/redigera/dokument/" + program, strategy.ObjectRef{Kind: strategy.ObjDocument, Document: program}, "subtitle",
			func(o any) string { return o.(strategy.Document).Subtitle }},
		{"area", editPath(program, "omrade", "arbete"), strategy.ObjectRef{Kind: strategy.ObjArea, Document: program, Key: "arbete"}, "title",
			func(o any) string { return o.(strategy.Area).Title }},
		{"goal", editPath(program, "mal", "delmal-kvinnor"), strategy.ObjectRef{Kind: strategy.ObjGoal, Document: program, Key: "delmal-kvinnor"}, "title",
			func(o any) string { return o.(strategy.Goal).Title }},
		{"target", editPath(program, "malvarde", "t-nojdhet"), strategy.ObjectRef{Kind: strategy.ObjTarget, Document: program, Key: "t-nojdhet"}, "text",
			func(o any) string { return o.(strategy.Target).Text }},
		{"commitment", editPath(program, "atagande", "c-valkomst"), strategy.ObjectRef{Kind: strategy.ObjCommitment, Document: program, Key: "c-valkomst"}, "text",
			func(o any) string { return o.(strategy.Commitment).Text }},
		{"term", editPath(program, "begrepp", "nyanland"), strategy.ObjectRef{Kind: strategy.ObjTerm, Document: program, Key: "nyanland"}, "definition",
			func(o any) string { return o.(strategy.Term).Definition }},
		{"responsibility", editPath(program, "ansvar", "#0"), strategy.ResponsibilityRef(program, "", 0), "duties",
			func(o any) string { return strings.Join(o.(strategy.Responsibility).Duties, "\n") }},
	}
	e := newEditEnv(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			first := e.formOf(t, tt.ref, tt.field, "Första sparningen")
			second := e.formOf(t, tt.ref, tt.field, "Andra sparningen")
			res, body := e.doAs(t, testCoordinator, "POST", tt.path, first)
			requireStatus(t, res, body, http.StatusSeeOther)
			res, body = e.doAs(t, testCoordinator, "POST", tt.path, second)
			requireStatus(t, res, body, http.StatusConflict)
			wantHTML(t, body)
			if !strings.Contains(body, conflictMessage) {
				t.Error("the second save does not get the conflict message")
			}
			obj, rev, _ := e.stored(t, tt.ref)
			if tt.ref.Kind == strategy.ObjDocument {
				d, _ := e.st.Document(context.Background(), program)
				obj = d
			}
			if got := tt.read(obj); got != "Första sparningen" {
				t.Errorf("stored %q, want the first save's", got)
			}
			if !strings.Contains(body, "Första sparningen") || strings.Contains(body, "Andra sparningen") {
				t.Error("the form does not show what is stored now")
			}
			if !strings.Contains(body, `name="rev" value="`+strconv.FormatInt(rev, 10)+`"`) {
				t.Errorf("the form does not carry the stored rev %d", rev)
			}
		})
	}
	t.Run("deletion", func(t *testing.T) {
		ref := strategy.ObjectRef{Kind: strategy.ObjTerm, Document: program, Key: "nyanland"}
		_, rev, _ := e.stored(t, ref)
		stale := strconv.FormatInt(rev-1, 10)
		res, body := e.doAs(t, testCoordinator, "POST", editPath(program, "begrepp", "nyanland")+"/ta-bort", url.Values{"rev": {stale}})
		requireStatus(t, res, body, http.StatusConflict)
		if !strings.Contains(body, conflictMessage) || !strings.Contains(body, `name="rev" value="`+strconv.FormatInt(rev, 10)+`"`) {
			t.Error("a stale deletion is not refused with the message and the stored rev")
		}
		if _, _, found := e.stored(t, ref); !found {
			t.Error("a stale deletion deleted")
		}
	})
}

// TestEditForbidden sends every edit as those who may not make it.
func TestEditForbidden(t *testing.T) {
	e := newEditEnv(t)
	area := strategy.ObjectRef{Kind: strategy.ObjArea, Document: program, Key: "arbete"}
	docForm := e.formOf(t, strategy.ObjectRef{Kind: strategy.ObjDocument, Document: program}, "title", "Kapad")
	requests := []struct {
		method, path string
		form         url.Values
	}{
		{"GET", "/redigera/dokument/" + program, nil},
		{"POST", "/redigera/dokument/" + program, docForm},
		{"POST", "/redigera/dokument/" + program + "/publicera", url.Values{"rev": {"1"}}},
		{"GET", editPath(program, "omrade", "ny"), nil},
		{"POST", editPath(program, "omrade", "ny"), url.Values{"rev": {"0"}, "title": {"Kapat område"}}},
		{"GET", editPath(program, "omrade", "arbete"), nil},
		{"POST", editPath(program, "omrade", "arbete"), e.formOf(t, area, "title", "Kapat")},
		{"GET", editPath(program, "omrade", "arbete") + "?ta-bort", nil},
		{"POST", editPath(program, "omrade", "arbete") + "/ta-bort", url.Values{"rev": {"1"}}},
		{"POST", editPath(program, "ansvar", "#0"), e.formOf(t, strategy.ResponsibilityRef(program, "", 0), "role", "beslutar")},
		{"GET", "/redigera/indikatorer/inflyttade", nil},
		{"POST", "/redigera/indikatorer/inflyttade", with(indicatorValues(strategy.Indicator{Title: "Kapad", Unit: "st", Polarity: "higher", Source: "manual"}), "rev", "1")},
		{"GET", "/redigera/dokument/ny", nil},
		{"POST", "/redigera/dokument/ny", url.Values{"org": {"2313"}, "title": {"Kapad strategi"}, "kind": {"strategi"}}},
	}
	users := []struct {
		name string
		user *strategy.User
	}{
		{"samordnare of another organisation", testOtherCoord},
		{"nämndredaktör", testEditorKS},
		{"nämndredaktör of the body responsible", testEditorAMN},
		{"läsare", testReader},
	}
	before, _ := e.st.Document(context.Background(), program)
	for _, u := range users {
		for _, rq := range requests {
			t.Run(u.name+" "+rq.method+" "+rq.path, func(t *testing.T) {
				res, body := e.doAs(t, u.user, rq.method, rq.path, rq.form)
				want := http.StatusForbidden
				if u.user == testOtherCoord && strings.HasSuffix(rq.path, "/redigera/dokument/ny") {
					// They may create documents, of their own organisation:
					// the form opens, but 2313 is not theirs.
					if rq.method == "GET" {
						want = http.StatusOK
					}
				}
				requireStatus(t, res, body, want)
			})
		}
	}
	for _, rq := range requests {
		t.Run("public "+rq.method+" "+rq.path, func(t *testing.T) {
			res, body := e.doAs(t, nil, rq.method, rq.path, rq.form)
			requireStatus(t, res, body, http.StatusSeeOther)
			if loc := res.Header.Get("Location"); !strings.HasPrefix(loc, "/logga-in?nasta=") {
				t.Errorf("sent to %q, not to sign in", loc)
			}
		})
	}
	after, _ := e.st.Document(context.Background(), program)
	if !reflect.DeepEqual(before, after) {
		t.Error("a refused request changed the document")
	}
	if ind, _ := e.st.Indicator(context.Background(), "inflyttade"); ind.Title != "Inflyttade personer" {
		t.Errorf("a refused request changed the indicator: %+v", ind)
	}
	t.Run("another organisation's draft is not there at all", func(t *testing.T) {
		for _, path := range []string{"/redigera/dokument/ostersund-strategi", editPath("ostersund-strategi", "omrade", "samverkan")} {
			res, body := e.doAs(t, testCoordinator, "GET", path, nil)
			requireStatus(t, res, body, http.StatusNotFound)
		}
	})
	t.Run("an admin may", func(t *testing.T) {
		res, body := e.doAs(t, testAdmin, "GET", editPath("ostersund-strategi", "omrade", "samverkan"), nil)
		requireStatus(t, res, body, http.StatusOK)
	})
}

// TestNewDocumentAndPublish creates a draft through the form, shows it to
// the organisation only, refuses to publish it before its adoption is
// filled in, and publishes it.
func TestNewDocumentAndPublish(t *testing.T) {
	e := newEditEnv(t)
	res, body := e.doAs(t, testCoordinator, "GET", "/redigera/dokument/ny", nil)
	requireStatus(t, res, body, 200)
	wantHTML(t, body)
	if strings.Contains(body, `value="2380"`) || !strings.Contains(body, `<option value="2313" selected>Strömsunds kommun</option>`) {
		t.Error("the organisations offered are not the user's own")
	}
	res, body = e.doAs(t, testCoordinator, "POST", "/redigera/dokument/ny", url.Values{"org": {"2313"}, "title": {"Ny strategi för integration"}, "kind": {"strategi"}})
	requireStatus(t, res, body, http.StatusSeeOther)
	const key = "ny-strategi-for-integration"
	if loc := res.Header.Get("Location"); loc != "/redigera/dokument/"+key {
		t.Fatalf("redirected to %q", loc)
	}
	d, err := e.st.Document(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	if d.Status != strategy.StatusDraft || d.Org != "2313" || d.Kind != strategy.KindStrategy {
		t.Errorf("created %+v", d)
	}

	for _, c := range []struct {
		user *strategy.User
		want int
	}{{nil, 404}, {testOtherCoord, 404}, {testReader, 200}, {testEditorKS, 200}} {
		res, body := e.doAs(t, c.user, "GET", "/dokument/"+key, nil)
		requireStatus(t, res, body, c.want)
		if c.want == 200 && !strings.Contains(body, "Utkast.") {
			t.Error("the draft has no notice")
		}
	}

	res, body = e.doAs(t, testCoordinator, "GET", "/redigera/dokument/"+key, nil)
	requireStatus(t, res, body, 200)
	wantHTML(t, body)
	if !strings.Contains(body, `action="/redigera/dokument/`+key+`/publicera"`) || !strings.Contains(body, "Ange beslutsdatum innan dokumentet publiceras.") {
		t.Error("the edit page does not offer publishing with what is missing")
	}

	res, body = e.doAs(t, testCoordinator, "POST", "/redigera/dokument/"+key+"/publicera", url.Values{"rev": {strconv.FormatInt(d.Rev, 10)}})
	requireStatus(t, res, body, http.StatusUnprocessableEntity)
	for _, msg := range []string{"Ange vilket organ som antog dokumentet innan det publiceras.", "Ange beslutsdatum innan dokumentet publiceras.",
		"Ange beslutets paragraf eller beslutsreferens innan dokumentet publiceras."} {
		if !strings.Contains(body, msg) {
			t.Errorf("publishing without adoption: lacks %q", msg)
		}
	}
	if !strings.Contains(body, `id="falt-adopted-on-fel"`) {
		t.Error("the missing date is not shown beside its field")
	}

	ref := strategy.ObjectRef{Kind: strategy.ObjDocument, Document: key}
	res, body = e.doAs(t, testCoordinator, "POST", "/redigera/dokument/"+key, e.formOf(t, ref,
		"adopted.by", "kf", "adopted.on", "2026-03-10", "adopted.paragraph", "§ 12"))
	requireStatus(t, res, body, http.StatusSeeOther)
	d, _ = e.st.Document(context.Background(), key)
	res, body = e.doAs(t, testCoordinator, "POST", "/redigera/dokument/"+key+"/publicera", url.Values{"rev": {strconv.FormatInt(d.Rev, 10)}})
	requireStatus(t, res, body, http.StatusSeeOther)
	d, _ = e.st.Document(context.Background(), key)
	if d.Status != strategy.StatusAdopted {
		t.Errorf("status %s after publishing", d.Status)
	}
	res, body = e.doAs(t, nil, "GET", "/dokument/"+key, nil)
	requireStatus(t, res, body, 200)
	if strings.Contains(body, "Utkast.") {
		t.Error("a published document still says it is a draft")
	}
	got := e.auditActions(t, ref, testCoordinator)
	want := []strategy.AuditAction{strategy.AuditPublish, strategy.AuditUpdate, strategy.AuditCreate}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("audit trail %v, want %v", got, want)
	}
	res, body = e.doAs(t, testCoordinator, "POST", "/redigera/dokument/"+key+"/publicera", url.Values{"rev": {strconv.FormatInt(d.Rev, 10)}})
	requireStatus(t, res, body, http.StatusConflict)

	t.Run("a key taken by another organisation's document", func(t *testing.T) {
		res, body := e.doAs(t, testCoordinator, "POST", "/redigera/dokument/ny", url.Values{"org": {"2313"}, "title": {"Kopia"}, "kind": {"strategi"}, "key": {"ostersund-strategi"}})
		requireStatus(t, res, body, http.StatusUnprocessableEntity)
		if !strings.Contains(body, "Nyckeln används redan av ett annat dokument.") {
			t.Error("the taken key is not said")
		}
	})
	t.Run("another organisation", func(t *testing.T) {
		res, body := e.doAs(t, testOtherCoord, "POST", "/redigera/dokument/ny", url.Values{"org": {"2313"}, "title": {"Kapad"}, "kind": {"strategi"}})
		requireStatus(t, res, body, http.StatusForbidden)
	})
}

// TestDocumentEditLinks shows edit links to editors only.
func TestDocumentEditLinks(t *testing.T) {
	e := newEditEnv(t)
	links := []string{
		`href="/redigera/dokument/stromsund-program"`,
		`href="/redigera/dokument/stromsund-program/omrade/arbete"`,
		`href="/redigera/dokument/stromsund-program/mal/delmal-kvinnor"`,
		`href="/redigera/dokument/stromsund-program/malvarde/t-sfi"`,
		`href="/redigera/dokument/stromsund-program/atagande/c-mottagande"`,
		`href="/redigera/dokument/stromsund-program/begrepp/nyanland"`,
		`href="/redigera/dokument/stromsund-program/ansvar/area:inflyttning%230"`,
		`href="/redigera/dokument/stromsund-program/ansvar/goal:mal-fler-invanare%230"`,
		`href="/redigera/dokument/stromsund-program/ansvar/%230"`,
		`href="/redigera/dokument/stromsund-program/omrade/ny"`,
		`href="/redigera/dokument/stromsund-program/mal/ny?under=area%3Aarbete"`,
		`href="/redigera/dokument/stromsund-program/malvarde/ny?under=goal%3Amal-arbete"`,
		`href="/historik?objekt=target%3Astromsund-program%2Ft-sfi"`,
		`href="/redigera/indikatorer/sfi-klarat"`,
	}
	tests := []struct {
		name  string
		user  *strategy.User
		edits bool
	}{
		{"samordnare", testCoordinator, true},
		{"admin", testAdmin, true},
		{"läsare", testReader, false},
		{"nämndredaktör", testEditorKS, false},
		{"another organisation", testOtherCoord, false},
		{"public", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := e.doAs(t, tt.user, "GET", "/dokument/"+program, nil)
			requireStatus(t, res, body, 200)
			wantHTML(t, body)
			for _, l := range links {
				if got := strings.Contains(body, l); got != tt.edits {
					t.Errorf("link %s shown: %v, want %v", l, got, tt.edits)
				}
			}
			if strings.Contains(body, "/redigera/") && !tt.edits {
				t.Error("an edit link is shown to a viewer who may not edit")
			}
			if !strings.Contains(body, `<a href="/dokument/stromsund-program/planer/ks-2015">Visa aktivitetsplan`) {
				t.Error("the action plan has no link to its page")
			}
		})
	}
}

// TestEditIndicatorForm maps an indicator to another source through its
// form: success, a problem in Swedish beside its field, and a conflict.
func TestEditIndicatorForm(t *testing.T) {
	e := newEditEnv(t)
	ctx := context.Background()
	const path = "/redigera/indikatorer/sfi-klarat"
	formFor := func(changes ...string) url.Values {
		ind, err := e.st.Indicator(ctx, "sfi-klarat")
		if err != nil {
			t.Fatal(err)
		}
		return with(indicatorValues(ind), append([]string{"rev", strconv.FormatInt(ind.Rev, 10)}, changes...)...)
	}
	res, body := e.doAs(t, testCoordinator, "GET", path, nil)
	requireStatus(t, res, body, 200)
	wantHTML(t, body)
	if !strings.Contains(body, `value="kolada:N15422"`) || !strings.Contains(body, `name="polarity" value="higher" checked`) {
		t.Error("the form does not show the stored source and polarity")
	}

	t.Run("a source that is none", func(t *testing.T) {
		res, body := e.doAs(t, testCoordinator, "POST", path, formFor("source", "kolada:sfi"))
		requireStatus(t, res, body, http.StatusUnprocessableEntity)
		if !strings.Contains(body, `id="falt-source-fel"`) || !strings.Contains(body, `value="kolada:sfi"`) {
			t.Error("the problem is not beside the source, or the entry is lost")
		}
		if ind, _ := e.st.Indicator(ctx, "sfi-klarat"); ind.Source != "kolada:N15422" {
			t.Errorf("stored %q", ind.Source)
		}
	})
	t.Run("saved, then a save from the same rev", func(t *testing.T) {
		first := formFor("source", "scb:UF0549/SfiKlarat", "breakdowns", "gender")
		second := formFor("source", "manual")
		res, body := e.doAs(t, testCoordinator, "POST", path, first)
		requireStatus(t, res, body, http.StatusSeeOther)
		res, body = e.doAs(t, testCoordinator, "POST", path, second)
		requireStatus(t, res, body, http.StatusConflict)
		if !strings.Contains(body, conflictMessage) || !strings.Contains(body, `value="scb:UF0549/SfiKlarat"`) {
			t.Error("the conflict does not show the message and what is stored")
		}
		ind, _ := e.st.Indicator(ctx, "sfi-klarat")
		if ind.Source != "scb:UF0549/SfiKlarat" || !ind.ByGender() {
			t.Errorf("stored %+v", ind)
		}
		if got := e.auditActions(t, strategy.ObjectRef{Kind: strategy.ObjIndicator, Key: "sfi-klarat"}, testCoordinator); !reflect.DeepEqual(got, []strategy.AuditAction{strategy.AuditUpdate}) {
			t.Errorf("audit trail %v", got)
		}
	})
}
