package web

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/inkludera/inkludera/internal/planxlsx"
	"github.com/inkludera/inkludera/internal/strategy"
)

const (
	ksPlan      = "/dokument/stromsund-program/planer/ks-2015"
	ksPlanEdit  = "/redigera/dokument/stromsund-program/planer/ks-2015"
	amnPlanEdit = "/redigera/dokument/stromsund-program/planer/amn-2026"
)

// setupPlans adds to the test data what the plan tests need besides the
// ks plan of the fixture: a draft plan of the amn body, and Östersund's
// strategy adopted with a decided plan of its ks, so that a Strömsund
// editor can read but not change it.
func setupPlans(t *testing.T, e *testEnv) {
	t.Helper()
	ctx := strategy.WithActor(context.Background(), strategy.Actor{Name: "test", Via: "cli"})
	_, err := e.st.EditDocument(ctx, strategy.Edit{Ref: planRef(program, "amn-2026"), Apply: func(d *strategy.Document) error {
		d.ActionPlans = append(d.ActionPlans, strategy.ActionPlan{Key: "amn-2026", Body: "amn", Year: 2026, Status: strategy.PlanDraft,
			Activities: []strategy.Activity{{Key: "sfi-praktik", TargetGroup: "alla", Title: "Praktik för SFI-elever", Status: strategy.ActivityPlanned}}})
		return nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := e.st.Document(ctx, "ostersund-strategi")
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.st.EditDocument(ctx, strategy.Edit{Ref: strategy.ObjectRef{Kind: strategy.ObjDocument, Document: doc.Key}, Rev: doc.Rev,
		Apply: func(d *strategy.Document) error {
			d.Status = strategy.StatusAdopted
			d.Adopted = strategy.Adoption{By: "ks", On: date("2016-05-10"), Reference: "KF 2016-05-10 § 3"}
			d.ActionPlans = append(d.ActionPlans, strategy.ActionPlan{Key: "ks-2026", Body: "ks", Year: 2026, Status: strategy.PlanDecided,
				Decision:   strategy.PlanDecision{Reference: "KS 2026-01-20 § 4", On: date("2026-01-20")},
				Activities: []strategy.Activity{{Key: "mentorer", TargetGroup: "alla", Title: "Mentorer", Status: strategy.ActivityPlanned}}})
			return nil
		}})
	if err != nil {
		t.Fatal(err)
	}
}

// activityForm is a complete activity form.
func activityForm(rev int64, changes ...string) url.Values {
	v := url.Values{
		"rev":          {strconv.FormatInt(rev, 10)},
		"target_group": {"alla"},
		"title":        {"Språkcafé på biblioteket"},
		"description":  {"Varje tisdag"},
		"time":         {"2026-Q2"},
		"responsible":  {"Kulturförvaltningen"},
		"follow_up":    {"2026-06-30"},
		"goals":        {"mal-fler-invanare"},
		"status":       {"planerad"},
		"progress":     {""},
	}
	for i := 0; i+1 < len(changes); i += 2 {
		v.Set(changes[i], changes[i+1])
	}
	return v
}

func (e *testEnv) activity(t *testing.T, doc, plan, act string) strategy.Activity {
	t.Helper()
	obj, _, found := e.stored(t, strategy.ActivityRef(doc, plan, act))
	if !found {
		t.Fatalf("activity %s/%s/%s is not stored", doc, plan, act)
	}
	return obj.(strategy.Activity)
}

func wantStatus(t *testing.T, res *http.Response, body string, want int) {
	t.Helper()
	if res.StatusCode != want {
		t.Fatalf("status %d, want %d; body:\n%s", res.StatusCode, want, body)
	}
}

func wantBody(t *testing.T, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("body lacks %q", w)
		}
	}
}

// TestEditorKeepsTheirPlan is the committee editor's errand: add an
// activity to the body's plan, set it to pågår, add a follow-up note; the
// plan shows it and the audit trail has every change with the user.
func TestEditorKeepsTheirPlan(t *testing.T) {
	e := newEditEnv(t)

	res, body := e.doAs(t, testEditorKS, "GET", ksPlanEdit+"/aktiviteter/ny", nil)
	wantStatus(t, res, body, http.StatusOK)
	checkHTML(t, body)
	wantBody(t, body, `name="rev" value="0"`, `value="civilsamhället"`, "Annan målgrupp",
		"Långsiktigt mål: Fler invånare i Strömsunds kommun", "Delmål: Unga kvinnor stannar kvar", "goal-depth-2",
		"2026-03-01/2026-06-30", "2026-Q2", "kvartal 2 2026", `value="pagar"`, "Pågår")

	res, body = e.doAs(t, testEditorKS, "POST", ksPlanEdit+"/aktiviteter/ny", activityForm(0))
	wantStatus(t, res, body, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != ksPlan+"?sparat=aktivitet#aktivitet-sprakcafe-pa-biblioteket" {
		t.Errorf("Location = %q", loc)
	}
	a := e.activity(t, program, "ks-2015", "sprakcafe-pa-biblioteket")
	if a.Title != "Språkcafé på biblioteket" || a.Status != strategy.ActivityPlanned || a.Time != "2026-Q2" ||
		a.FollowUp != date("2026-06-30") || len(a.Goals) != 1 || a.Rev != 1 {
		t.Errorf("stored %+v", a)
	}

	res, body = e.doAs(t, testEditorKS, "POST", ksPlanEdit+"/aktiviteter/sprakcafe-pa-biblioteket",
		activityForm(a.Rev, "status", "pagar", "progress", "40"))
	wantStatus(t, res, body, http.StatusSeeOther)
	a = e.activity(t, program, "ks-2015", "sprakcafe-pa-biblioteket")
	if a.Status != strategy.ActivityOngoing || a.Progress == nil || *a.Progress != 40 {
		t.Errorf("after setting pågår: %+v", a)
	}

	res, body = e.doAs(t, testEditorKS, "POST", ksPlanEdit+"/aktiviteter/sprakcafe-pa-biblioteket/anteckningar",
		url.Values{"date": {"2026-03-14"}, "text": {"Första träffen hade tolv deltagare."}})
	wantStatus(t, res, body, http.StatusSeeOther)

	res, body = e.doAs(t, testEditorKS, "GET", ksPlan+"?sparat=anteckning", nil)
	wantStatus(t, res, body, http.StatusOK)
	checkHTML(t, body)
	wantBody(t, body, "Anteckningen är sparad.", "Språkcafé på biblioteket", "<span class=\"activity-status activity-pagar\">pågår</span>",
		"40\u00a0%", "2026-03-14</time>, Ebba Redaktör: Första träffen hade tolv deltagare.",
		`href="/redigera/dokument/stromsund-program/planer/ks-2015/aktiviteter/sprakcafe-pa-biblioteket"`, "Lägg till en aktivitet")

	entries, err := e.st.Audit(context.Background(), strategy.AuditFilter{Document: program, UserID: testEditorKS.ID})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, en := range entries {
		got = append(got, string(en.Action)+" "+string(en.Object.Kind)+" "+en.Actor.Name+" "+en.Actor.Via)
	}
	want := []string{
		"create note Ebba Redaktör web",
		"update activity Ebba Redaktör web",
		"create activity Ebba Redaktör web",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("audit trail:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestActivityFormProblems shows the form again with every problem beside
// its field and the values as typed.
func TestActivityFormProblems(t *testing.T) {
	e := newEditEnv(t)
	tests := []struct {
		name   string
		form   url.Values
		status int
		wants  []string
	}{
		{"typing mistakes and missing fields", activityForm(0, "title", "", "target_group", "annan", "follow_up", "30 juni", "progress", "mycket"),
			http.StatusUnprocessableEntity,
			[]string{`href="#f-title"`, "Ange vad aktiviteten är.", "Skriv vilken målgrupp aktiviteten har.",
				`id="f-follow-up" name="follow_up" value="30 juni" aria-describedby="f-follow-up-hint f-follow-up-error" aria-invalid="true"`,
				"Ange hur stor del som är klar som ett heltal från 0 till 100.", `value="mycket"`}},
		{"the domain's rules", activityForm(0, "time", "nästa vår", "progress", "120"),
			http.StatusUnprocessableEntity,
			[]string{`id="f-time-error"`, "Skriv tiden som ett datum", `id="f-progress-error"`, "från 0 till 100 procent",
				`value="nästa vår"`}},
		{"another target group in free text", activityForm(0, "target_group", "annan", "target_group_other", "Föreningar i Hammerdal", "title", "Föreningsträff"),
			http.StatusSeeOther, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := e.doAs(t, testEditorKS, "POST", ksPlanEdit+"/aktiviteter/ny", tt.form)
			wantStatus(t, res, body, tt.status)
			wantBody(t, body, tt.wants...)
			if tt.status != http.StatusSeeOther {
				checkHTML(t, body)
				wantBody(t, body, `class="error-summary"`, "Rätta följande")
			}
		})
	}
	if a := e.activity(t, program, "ks-2015", "foreningstraff"); a.TargetGroup != "Föreningar i Hammerdal" {
		t.Errorf("free-text target group stored as %q", a.TargetGroup)
	}
}

// TestPlanPermissions: a nämndredaktör changes only their own body's
// plans, a läsare nothing, the public is asked to sign in; a plan the user
// cannot even read is not found.
func TestPlanPermissions(t *testing.T) {
	e := newEditEnv(t)
	setupPlans(t, e)
	tests := []struct {
		name   string
		user   *strategy.User
		target string
		form   url.Values
		want   int
	}{
		{"own body's plan", testEditorKS, ksPlanEdit + "/aktiviteter/ny", activityForm(0), http.StatusSeeOther},
		{"another body's plan", testEditorKS, amnPlanEdit + "/aktiviteter/ny", activityForm(0), http.StatusForbidden},
		{"another body's activity", testEditorKS, amnPlanEdit + "/aktiviteter/sfi-praktik", activityForm(1), http.StatusForbidden},
		{"note on another body's activity", testEditorKS, amnPlanEdit + "/aktiviteter/sfi-praktik/anteckningar",
			url.Values{"date": {"2026-03-01"}, "text": {"x"}}, http.StatusForbidden},
		{"another body's plan head", testEditorKS, amnPlanEdit, url.Values{"rev": {"1"}, "body": {"amn"}, "year": {"2026"}}, http.StatusForbidden},
		{"a new plan for another body", testEditorKS, "/redigera/dokument/stromsund-program/planer/ny",
			url.Values{"body": {"amn"}, "year": {"2027"}}, http.StatusForbidden},
		{"moving the own plan to another body", testEditorKS, ksPlanEdit, url.Values{"rev": {"1"}, "body": {"amn"}, "year": {"2015"}}, http.StatusForbidden},
		{"another organisation's decided plan", testEditorKS, "/redigera/dokument/ostersund-strategi/planer/ks-2026/aktiviteter/ny",
			activityForm(0), http.StatusForbidden},
		{"the amn editor's own plan", testEditorAMN, amnPlanEdit + "/aktiviteter/ny", activityForm(0), http.StatusSeeOther},
		{"läsare", testReader, ksPlanEdit + "/aktiviteter/ny", activityForm(0, "title", "Läsarens"), http.StatusForbidden},
		{"läsare's note", testReader, ksPlanEdit + "/aktiviteter/sfi-info/anteckningar", url.Values{"date": {"2026-03-01"}, "text": {"x"}}, http.StatusForbidden},
		{"another organisation's samordnare", testOtherCoord, ksPlanEdit + "/aktiviteter/ny", activityForm(0), http.StatusForbidden},
		{"samordnare", testCoordinator, amnPlanEdit + "/aktiviteter/ny", activityForm(0, "title", "Samordnarens"), http.StatusSeeOther},
		{"the public", nil, ksPlanEdit + "/aktiviteter/ny", activityForm(0), http.StatusSeeOther},
		{"the public, a draft plan", nil, amnPlanEdit + "/aktiviteter/ny", activityForm(0), http.StatusSeeOther},
		{"another organisation's draft plan is not found", testOtherCoord, amnPlanEdit + "/aktiviteter/ny", activityForm(0), http.StatusNotFound},
		{"no such plan", testEditorKS, "/redigera/dokument/stromsund-program/planer/ks-1999/aktiviteter/ny", activityForm(0), http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := e.doAs(t, tt.user, "POST", tt.target, tt.form)
			wantStatus(t, res, body, tt.want)
			if tt.user == nil && !strings.HasPrefix(res.Header.Get("Location"), "/logga-in?") {
				t.Errorf("the public is sent to %q, want the sign-in page", res.Header.Get("Location"))
			}
		})
	}

	reads := []struct {
		name   string
		user   *strategy.User
		target string
		want   int
	}{
		{"the public reads a decided plan of an adopted document", nil, ksPlan, http.StatusOK},
		{"the public does not see a draft plan", nil, "/dokument/stromsund-program/planer/amn-2026", http.StatusNotFound},
		{"a läsare sees a draft plan", testReader, "/dokument/stromsund-program/planer/amn-2026", http.StatusOK},
		{"another organisation's samordnare does not", testOtherCoord, "/dokument/stromsund-program/planer/amn-2026", http.StatusNotFound},
		{"the public exports a decided plan", nil, ksPlan + "/plan.xlsx", http.StatusOK},
		{"but not a draft", nil, "/dokument/stromsund-program/planer/amn-2026/plan.xlsx", http.StatusNotFound},
		{"the editor's edit form", testEditorKS, ksPlanEdit, http.StatusOK},
		{"another body's edit form", testEditorKS, amnPlanEdit, http.StatusForbidden},
	}
	for _, tt := range reads {
		t.Run(tt.name, func(t *testing.T) {
			res, body := e.doAs(t, tt.user, "GET", tt.target, nil)
			wantStatus(t, res, body, tt.want)
		})
	}
}

// TestPlansList: the list shows what the user may read, the editor's own
// body first.
func TestPlansList(t *testing.T) {
	e := newEditEnv(t)
	setupPlans(t, e)

	_, body := e.doAs(t, nil, "GET", "/planer", nil)
	checkHTML(t, body)
	wantBody(t, body, "Aktivitetsplan för inflyttning 2015", "Östersunds kommun")
	if strings.Contains(body, "amn-2026") {
		t.Error("the public sees the draft plan")
	}

	_, body = e.doAs(t, testEditorAMN, "GET", "/planer", nil)
	checkHTML(t, body)
	wantBody(t, body, "ditt organ", "/dokument/stromsund-program/planer/amn-2026", "Ny plan i Program för inflyttning")
	if strings.Index(body, "Arbetsmarknadsnämnden") > strings.Index(body, "Kommunstyrelsen") {
		t.Error("the amn editor's body is not listed first")
	}
}

// TestPlanHeadAndDecision: a new plan gets a derived key and is an utkast;
// the decision makes it beslutad.
func TestPlanHeadAndDecision(t *testing.T) {
	e := newEditEnv(t)

	res, body := e.doAs(t, testEditorKS, "GET", "/redigera/dokument/stromsund-program/planer/ny", nil)
	wantStatus(t, res, body, http.StatusOK)
	checkHTML(t, body)
	if strings.Contains(body, `value="amn"`) {
		t.Error("the ks editor is offered the amn body")
	}

	res, body = e.doAs(t, testEditorKS, "POST", "/redigera/dokument/stromsund-program/planer/ny",
		url.Values{"body": {"ks"}, "year": {"tjugosex"}, "title": {"Plan 2026"}})
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	wantBody(t, body, "Ange året med fyra siffror", `value="tjugosex"`)

	res, body = e.doAs(t, testEditorKS, "POST", "/redigera/dokument/stromsund-program/planer/ny",
		url.Values{"body": {"ks"}, "year": {"2026"}, "title": {"Plan 2026"}})
	wantStatus(t, res, body, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != "/dokument/stromsund-program/planer/ks-2026?sparat=ny-plan" {
		t.Fatalf("Location %q", loc)
	}
	obj, rev, _ := e.stored(t, planRef(program, "ks-2026"))
	if p := obj.(strategy.ActionPlan); p.Status != strategy.PlanDraft || p.Body != "ks" || p.Year != 2026 || rev != 1 {
		t.Errorf("new plan %+v rev %d", p, rev)
	}

	res, body = e.doAs(t, testEditorKS, "POST", "/redigera/dokument/stromsund-program/planer/ks-2026/beslut",
		url.Values{"rev": {"1"}, "decision.reference": {""}, "decision.on": {"12 februari"}})
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	wantBody(t, body, `href="#f-decision-reference"`, "Ange beslutsdatumet som ÅÅÅÅ-MM-DD")

	res, body = e.doAs(t, testEditorKS, "POST", "/redigera/dokument/stromsund-program/planer/ks-2026/beslut",
		url.Values{"rev": {"1"}, "decision.reference": {"KS 2026-02-12 § 14"}, "decision.on": {"2026-02-12"}})
	wantStatus(t, res, body, http.StatusSeeOther)
	obj, _, _ = e.stored(t, planRef(program, "ks-2026"))
	if p := obj.(strategy.ActionPlan); p.Status != strategy.PlanDecided || p.Decision.Reference != "KS 2026-02-12 § 14" {
		t.Errorf("decided plan %+v", p)
	}
	if got := e.auditActions(t, planRef(program, "ks-2026"), testEditorKS); len(got) != 2 || got[0] != strategy.AuditPublish {
		t.Errorf("audit of the plan: %v", got)
	}
}

// TestConcurrentActivitySaves: two editors save the same activity from the
// same rev; the first wins, the second is told and shown what is stored.
func TestConcurrentActivitySaves(t *testing.T) {
	e := newEditEnv(t)
	a := e.activity(t, program, "ks-2015", "sfi-info")
	target := ksPlanEdit + "/aktiviteter/sfi-info"

	first := activityForm(a.Rev, "title", "Information på SFI, första", "goals", "")
	second := activityForm(a.Rev, "title", "Information på SFI, andra", "goals", "")
	res1, body1 := e.doAs(t, testEditorKS, "POST", target, first)
	res2, body2 := e.doAs(t, testCoordinator, "POST", target, second)
	wantStatus(t, res1, body1, http.StatusSeeOther)
	wantStatus(t, res2, body2, http.StatusConflict)
	checkHTML(t, body2)
	stored := e.activity(t, program, "ks-2015", "sfi-info")
	if stored.Title != "Information på SFI, första" {
		t.Errorf("stored title %q, want the first save's", stored.Title)
	}
	wantBody(t, body2, conflictMessage, `value="Information på SFI, första"`,
		`name="rev" value="`+strconv.FormatInt(stored.Rev, 10)+`"`, "Ändringen kunde inte sparas")

	// Deleting from the old rev is refused too; from the new one it works.
	res, body := e.doAs(t, testEditorKS, "POST", target+"/ta-bort", url.Values{"rev": {strconv.FormatInt(a.Rev, 10)}})
	wantStatus(t, res, body, http.StatusConflict)
	res, body = e.doAs(t, testEditorKS, "POST", target+"/ta-bort", url.Values{"rev": {strconv.FormatInt(stored.Rev, 10)}})
	wantStatus(t, res, body, http.StatusSeeOther)
	if _, _, found := e.stored(t, strategy.ActivityRef(program, "ks-2015", "sfi-info")); found {
		t.Error("the activity is still there")
	}
}

// createPeriod stores a follow-up period of Strömsund for the year with
// the bodies' due dates.
func createPeriod(t *testing.T, e *testEnv, year int, dues map[string]string) strategy.FollowUpPeriod {
	t.Helper()
	p := strategy.FollowUpPeriod{Org: "2313", Year: year, Title: "Uppföljning " + strconv.Itoa(year), Document: program}
	for _, body := range []string{"kf", "ks", "amn", "klf"} {
		if due, ok := dues[body]; ok {
			p.Deadlines = append(p.Deadlines, strategy.BodyDeadline{Body: body, Due: date(due)})
		}
	}
	stored, err := e.st.CreateFollowUpPeriod(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	return stored
}

// TestFollowUpLock: once a body's follow-up of the year is locked, its
// plans of that year cannot change, for admins neither, until an admin
// reopens it, which the audit trail records.
func TestFollowUpLock(t *testing.T) {
	e := newEditEnv(t)
	p := createPeriod(t, e, 2015, map[string]string{"ks": "2015-12-31", "amn": "2015-12-31"})
	period := periodURL(p.ID)
	a := e.activity(t, program, "ks-2015", "praktik")

	edits := []struct {
		name   string
		user   *strategy.User
		target string
		form   url.Values
	}{
		{"activity", testEditorKS, ksPlanEdit + "/aktiviteter/praktik", activityForm(a.Rev, "title", a.Title, "goals", "")},
		{"new activity", testEditorKS, ksPlanEdit + "/aktiviteter/ny", activityForm(0)},
		{"note", testEditorKS, ksPlanEdit + "/aktiviteter/praktik/anteckningar", url.Values{"date": {"2015-12-01"}, "text": {"Sent"}}},
		{"plan head", testEditorKS, ksPlanEdit, url.Values{"rev": {"1"}, "body": {"ks"}, "year": {"2015"}, "title": {"Ny rubrik"}}},
		{"deletion", testEditorKS, ksPlanEdit + "/aktiviteter/praktik/ta-bort", url.Values{"rev": {strconv.FormatInt(a.Rev, 10)}}},
		{"admin's activity", testAdmin, ksPlanEdit + "/aktiviteter/praktik", activityForm(a.Rev, "title", a.Title, "goals", "")},
		{"report", testEditorKS, period + "/ks/rapportera", url.Values{}},
	}
	for _, tt := range edits {
		t.Run("locked by date: "+tt.name, func(t *testing.T) {
			res, body := e.doAs(t, tt.user, "POST", tt.target, tt.form)
			wantStatus(t, res, body, http.StatusConflict)
			wantBody(t, body, "Uppföljningen ”Uppföljning 2015” för Kommunstyrelsen är låst eftersom sista dagen för rapporten, 2015-12-31, har passerat",
				"En administratör kan öppna uppföljningen igen.")
		})
	}
	res, body := e.doAs(t, testEditorKS, "GET", ksPlan, nil)
	wantStatus(t, res, body, http.StatusOK)
	wantBody(t, body, "Uppföljningen är låst.")
	if strings.Contains(body, "Lägg till en aktivitet") {
		t.Error("a locked plan offers to add activities")
	}

	// Only an admin reopens, with a new due date that is not in the past.
	res, body = e.doAs(t, testCoordinator, "POST", period+"/ks/oppna", url.Values{"due": {"2099-06-30"}})
	wantStatus(t, res, body, http.StatusForbidden)
	res, body = e.doAs(t, testAdmin, "POST", period+"/ks/oppna", url.Values{"due": {"2001-01-01"}})
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	checkHTML(t, body)
	wantBody(t, body, "Den nya sista dagen kan inte ligga före i dag", `id="f-due-ks-error"`, `href="#f-due-ks"`)
	res, body = e.doAs(t, testAdmin, "POST", period+"/ks/oppna", url.Values{"due": {"2099-06-30"}})
	wantStatus(t, res, body, http.StatusSeeOther)
	entries, err := e.st.Audit(context.Background(), strategy.AuditFilter{Kind: strategy.ObjFollowUpPeriod, UserID: testAdmin.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Action != strategy.AuditReopen || entries[0].Actor.Name != testAdmin.Name {
		t.Errorf("audit of the reopening: %+v", entries)
	}

	res, body = e.doAs(t, testEditorKS, "POST", ksPlanEdit+"/aktiviteter/praktik", activityForm(a.Rev, "title", "Praktik, öppnad igen", "goals", ""))
	wantStatus(t, res, body, http.StatusSeeOther)
	// The amn body's follow-up is still locked, and late.
	res, body = e.doAs(t, testCoordinator, "GET", period, nil)
	wantStatus(t, res, body, http.StatusOK)
	checkHTML(t, body)
	wantBody(t, body, "Vem är sen?", "<strong>Arbetsmarknadsnämnden</strong>: Sen: sista dagen var 2015-12-31",
		"Låst: sista dagen har passerat.", "Markera som rapporterad")

	// Reported, then approved: locked again, now by the approval.
	res, body = e.doAs(t, testEditorKS, "POST", period+"/ks/rapportera", url.Values{})
	wantStatus(t, res, body, http.StatusSeeOther)
	res, body = e.doAs(t, testEditorKS, "POST", period+"/ks/godkann", url.Values{})
	wantStatus(t, res, body, http.StatusForbidden)
	res, body = e.doAs(t, testCoordinator, "POST", period+"/ks/godkann", url.Values{})
	wantStatus(t, res, body, http.StatusSeeOther)
	a = e.activity(t, program, "ks-2015", "praktik")
	res, body = e.doAs(t, testEditorKS, "POST", ksPlanEdit+"/aktiviteter/praktik", activityForm(a.Rev, "goals", ""))
	wantStatus(t, res, body, http.StatusConflict)
	wantBody(t, body, "är låst eftersom den godkändes", "av Sam Samordnare")
}

// upload posts a multipart form with one file as u.
func (e *testEnv) uploadFile(t *testing.T, u *strategy.User, target string, fields map[string]string, name string, data []byte) (*http.Response, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		if err := mw.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	fw, err := mw.CreateFormFile("fil", name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(data)
	mw.Close()
	return e.as(t, u, "POST", target, &buf, mw.FormDataContentType())
}

// TestPlanXLSXRoundTrip: the exported plan imported again through the
// handlers changes nothing but what was edited in the file; a file with
// mistakes stores nothing and lists each mistake with its cell.
func TestPlanXLSXRoundTrip(t *testing.T) {
	e := newEditEnv(t)
	// A note, which an import must keep.
	res, body := e.doAs(t, testEditorKS, "POST", ksPlanEdit+"/aktiviteter/tolk/anteckningar",
		url.Values{"date": {"2015-11-02"}, "text": {"Tolkutbildningen är klar."}})
	wantStatus(t, res, body, http.StatusSeeOther)

	res, body = e.doAs(t, nil, "GET", ksPlan+"/plan.xlsx", nil)
	wantStatus(t, res, body, http.StatusOK)
	if ct := res.Header.Get("Content-Type"); ct != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		t.Errorf("Content-Type %q", ct)
	}
	if cd := res.Header.Get("Content-Disposition"); cd != `attachment; filename="stromsund-program-ks-2015.xlsx"` {
		t.Errorf("Content-Disposition %q", cd)
	}
	exported := []byte(body)
	acts, err := planxlsx.Import(bytes.NewReader(exported))
	if err != nil {
		t.Fatalf("the export does not import: %v", err)
	}
	if len(acts) != 5 {
		t.Fatalf("%d activities in the export, want 5", len(acts))
	}

	before := planOf(t, e)
	// The same file again: nothing but the revisions may change (and the
	// case of a seed's target group, which planxlsx writes as the seeds do).
	res, body = e.uploadFile(t, testEditorKS, ksPlanEdit+"/import", map[string]string{"rev": strconv.FormatInt(before.Rev, 10)}, "plan.xlsx", exported)
	wantStatus(t, res, body, http.StatusSeeOther)
	after := planOf(t, e)
	for i, a := range before.Activities {
		b := after.Activities[i]
		if a.Key != b.Key || a.Title != b.Title || a.Status != b.Status || a.Time != b.Time || a.FollowUp != b.FollowUp ||
			!strings.EqualFold(a.TargetGroup, b.TargetGroup) || strings.Join(a.Goals, ",") != strings.Join(b.Goals, ",") {
			t.Errorf("activity %d changed in the round trip:\n%+v\n%+v", i, a, b)
		}
	}
	if n := after.Activities[2].Notes; len(n) != 1 || n[0].Text != "Tolkutbildningen är klar." {
		t.Errorf("notes after import: %+v", n)
	}

	// Edited in Excel: a title changed, a status misspelt, a date that is no date.
	f, err := excelize.OpenReader(bytes.NewReader(exported))
	if err != nil {
		t.Fatal(err)
	}
	titleCell, statusCell, followCell := cellOf(t, f, planxlsx.ColTitle, 1), cellOf(t, f, planxlsx.ColStatus, 2), cellOf(t, f, planxlsx.ColFollowUp, 3)
	f.SetCellValue(planxlsx.SheetName, titleCell, "Riktad information, uppdaterad")
	var good bytes.Buffer
	f.Write(&good)
	f.SetCellValue(planxlsx.SheetName, statusCell, "kanske")
	f.SetCellValue(planxlsx.SheetName, followCell, "snart")
	var bad bytes.Buffer
	f.Write(&bad)

	stored := planOf(t, e)
	res, body = e.uploadFile(t, testEditorKS, ksPlanEdit+"/import", map[string]string{"rev": strconv.FormatInt(stored.Rev, 10)}, "redigerad.xlsx", bad.Bytes())
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	checkHTML(t, body)
	wantBody(t, body, "Filen redigerad.xlsx kunde inte importeras", "Inget har sparats.", statusCell+" (Status)", followCell+" (Uppföljning)")
	if unchanged := planOf(t, e); unchanged.Rev != stored.Rev || unchanged.Activities[0].Title != stored.Activities[0].Title {
		t.Error("a file with mistakes changed the plan")
	}

	res, body = e.uploadFile(t, testEditorKS, ksPlanEdit+"/import", map[string]string{"rev": strconv.FormatInt(stored.Rev, 10)}, "redigerad.xlsx", good.Bytes())
	wantStatus(t, res, body, http.StatusSeeOther)
	if got := planOf(t, e).Activities[0].Title; got != "Riktad information, uppdaterad" {
		t.Errorf("title after import %q", got)
	}
	// The old rev is stale now.
	res, body = e.uploadFile(t, testEditorKS, ksPlanEdit+"/import", map[string]string{"rev": strconv.FormatInt(stored.Rev, 10)}, "redigerad.xlsx", good.Bytes())
	wantStatus(t, res, body, http.StatusConflict)
	// Another body's editor may not import.
	res, body = e.uploadFile(t, testEditorAMN, ksPlanEdit+"/import", map[string]string{"rev": "9"}, "redigerad.xlsx", good.Bytes())
	wantStatus(t, res, body, http.StatusForbidden)
}

func planOf(t *testing.T, e *testEnv) strategy.ActionPlan {
	t.Helper()
	d, err := e.st.Document(context.Background(), program)
	if err != nil {
		t.Fatal(err)
	}
	return d.ActionPlans[findPlan(&d, "ks-2015")]
}

// cellOf finds the cell of the header's column in the n-th activity row.
func cellOf(t *testing.T, f *excelize.File, header string, n int) string {
	t.Helper()
	rows, err := f.GetRows(planxlsx.SheetName)
	if err != nil {
		t.Fatal(err)
	}
	for r, row := range rows {
		for c, v := range row {
			if v == header {
				name, err := excelize.CoordinatesToCellName(c+1, r+1+n)
				if err != nil {
					t.Fatal(err)
				}
				return name
			}
		}
	}
	t.Fatalf("no column %q", header)
	return ""
}
