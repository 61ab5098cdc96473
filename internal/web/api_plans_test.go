package web

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/inkludera/inkludera/internal/strategy"
)

// TestAPIPlanWrites: the plan edits of the forms through the JSON API.
func TestAPIPlanWrites(t *testing.T) { onEngines(t, testAPIPlanWrites) }

func testAPIPlanWrites(t *testing.T) {
	e := newEditEnv(t)
	const plans = "/api/v1/documents/stromsund-program/plans/"

	// A new plan, then its decision.
	res, body := e.doAs(t, testEditorAMN, "PUT", plans+"amn-2026", `{"body": "amn", "year": 2026, "title": "Arbetsmarknadsnämndens plan", "rev": 0}`)
	wantStatus(t, res, body, http.StatusCreated)
	plan := decode[strategy.ActionPlan](t, body)
	if plan.Status != strategy.PlanDraft || plan.Rev != 1 || plan.Title != "Arbetsmarknadsnämndens plan" {
		t.Errorf("created %+v", plan)
	}
	res, body = e.doAs(t, testEditorAMN, "POST", plans+"amn-2026/decision", `{"reference": "", "on": "2026-02-12", "rev": 1}`)
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	problem := decode[apiValidationError](t, body)
	if problem.Fields["decision.reference"] == "" || problem.FieldsSV["decision.reference"] == "" {
		t.Errorf("422 body %s", body)
	}
	res, body = e.doAs(t, testEditorAMN, "POST", plans+"amn-2026/decision", `{"reference": "AMN 2026-02-12 § 5", "on": "2026-02-12", "rev": 1}`)
	wantStatus(t, res, body, http.StatusOK)
	if p := decode[strategy.ActionPlan](t, body); p.Status != strategy.PlanDecided || p.Decision.On != date("2026-02-12") {
		t.Errorf("decided %+v", p)
	}

	// An activity: created, changed, a stale change refused, invalid, deleted.
	act := plans + "ks-2015/activities/sprakcafe"
	res, body = e.doAs(t, testEditorKS, "PUT", act, `{"target_group": "alla", "title": "Språkcafé", "time": "2026-Q2", "status": "planerad", "rev": 0}`)
	wantStatus(t, res, body, http.StatusCreated)
	a := decode[strategy.Activity](t, body)
	if a.Key != "sprakcafe" || a.Rev != 1 {
		t.Errorf("created %+v", a)
	}
	res, body = e.doAs(t, testEditorKS, "PUT", act, `{"target_group": "alla", "title": "Språkcafé", "time": "2026-Q2", "status": "pagar", "progress": 25, "rev": 1}`)
	wantStatus(t, res, body, http.StatusOK)
	if a = decode[strategy.Activity](t, body); a.Status != strategy.ActivityOngoing || a.Rev != 2 {
		t.Errorf("changed %+v", a)
	}
	res, body = e.doAs(t, testCoordinator, "PUT", act, `{"target_group": "alla", "title": "Språkcafé, samordnarens", "status": "pagar", "rev": 1}`)
	wantStatus(t, res, body, http.StatusConflict)
	res, body = e.doAs(t, testEditorKS, "PUT", act, `{"target_group": "", "title": "", "status": "pagar", "progress": 150, "rev": 2}`)
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	problem = decode[apiValidationError](t, body)
	for _, f := range []string{"title", "target_group", "progress"} {
		if problem.Fields[f] == "" || problem.FieldsSV[f] == "" {
			t.Errorf("no problem for %s in %s", f, body)
		}
	}
	res, body = e.doAs(t, testEditorKS, "PUT", act, `{"title": `)
	wantStatus(t, res, body, http.StatusBadRequest)

	res, body = e.doAs(t, testEditorKS, "POST", act+"/notes", `{"date": "2026-03-14", "text": "Tolv deltagare"}`)
	wantStatus(t, res, body, http.StatusCreated)
	if n := decode[strategy.Note](t, body); n.Author != testEditorKS.Name || n.ID == 0 {
		t.Errorf("note %+v", n)
	}
	res, body = e.doAs(t, testEditorKS, "POST", act+"/notes", `{"date": "2026-03-14", "text": " "}`)
	wantStatus(t, res, body, http.StatusUnprocessableEntity)

	res, body = e.doAs(t, testEditorKS, "DELETE", act+"?rev=1", nil)
	wantStatus(t, res, body, http.StatusConflict)
	res, body = e.doAs(t, testEditorKS, "DELETE", act+"?rev=2", nil)
	wantStatus(t, res, body, http.StatusOK)
	wantBody(t, body, `"kind":"activity"`, `"key":"ks-2015/sprakcafe"`)

	refused := []struct {
		name, method, target, body string
		user                       *strategy.User
		want                       int
	}{
		{"another body's plan", "PUT", plans + "amn-2026/activities/x", `{"target_group": "alla", "title": "X", "status": "planerad", "rev": 0}`, testEditorKS, http.StatusForbidden},
		{"another body's notes", "POST", plans + "amn-2026/activities/x/notes", `{"date": "2026-03-14", "text": "x"}`, testEditorKS, http.StatusForbidden},
		{"a plan for another body", "PUT", plans + "amn-2027", `{"body": "amn", "year": 2027, "rev": 0}`, testEditorKS, http.StatusForbidden},
		{"läsare", "PUT", plans + "ks-2015/activities/x", `{"target_group": "alla", "title": "X", "status": "planerad", "rev": 0}`, testReader, http.StatusForbidden},
		{"without credentials", "PUT", plans + "ks-2015/activities/x", `{"target_group": "alla", "title": "X", "status": "planerad", "rev": 0}`, nil, http.StatusUnauthorized},
		{"decision without credentials", "POST", plans + "ks-2015/decision", `{"reference": "x", "on": "2026-01-01", "rev": 1}`, nil, http.StatusUnauthorized},
		{"another organisation's samordnare", "DELETE", plans + "ks-2015/activities/tolk?rev=1", "", testOtherCoord, http.StatusForbidden},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			var b any
			if tt.body != "" {
				b = tt.body
			}
			res, body := e.doAs(t, tt.user, tt.method, tt.target, b)
			wantStatus(t, res, body, tt.want)
		})
	}
}

// TestAPIPeriods: the follow-up cycle through the JSON API.
func TestAPIPeriods(t *testing.T) { onEngines(t, testAPIPeriods) }

func testAPIPeriods(t *testing.T) {
	e := newEditEnv(t)
	const list = "/api/v1/organisations/2313/periods"

	res, body := e.doAs(t, testCoordinator, "POST", list, `{"year": 2026, "title": "Uppföljning 2026", "deadlines": [{"body": "ks", "due": ""}]}`)
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	if p := decode[apiValidationError](t, body); p.Fields["deadlines[0].due"] == "" {
		t.Errorf("422 body %s", body)
	}
	res, body = e.doAs(t, testCoordinator, "POST", list, `{"year": 2026, "title": "Uppföljning 2026", "deadlines": [{"body": "ks", "due": "2099-03-31"}, {"body": "amn", "due": "2099-03-31"}]}`)
	wantStatus(t, res, body, http.StatusCreated)
	p := decode[strategy.FollowUpPeriod](t, body)
	if p.ID == 0 || p.Rev == 0 || len(p.Deadlines) != 2 {
		t.Fatalf("created %+v", p)
	}
	id := strconv.FormatInt(p.ID, 10)

	res, body = e.doAs(t, testReader, "GET", list, nil)
	wantStatus(t, res, body, http.StatusOK)
	if ps := decode[[]strategy.FollowUpPeriod](t, body); len(ps) != 1 {
		t.Errorf("listed %d periods", len(ps))
	}

	update := `{"title": "Uppföljningen 2026", "deadlines": [{"body": "ks", "due": "2099-04-30"}, {"body": "amn", "due": "2099-03-31"}], "rev": ` + strconv.FormatInt(p.Rev, 10) + `}`
	res, body = e.doAs(t, testCoordinator, "PUT", "/api/v1/periods/"+id, update)
	wantStatus(t, res, body, http.StatusOK)
	res, body = e.doAs(t, testCoordinator, "PUT", "/api/v1/periods/"+id, update)
	wantStatus(t, res, body, http.StatusConflict)

	steps := []struct {
		name, step, body string
		user             *strategy.User
		want             int
	}{
		{"approving what is not reported", "ks/approve", "", testCoordinator, http.StatusConflict},
		{"another body reports", "ks/report", "", testEditorAMN, http.StatusForbidden},
		{"the body reports", "ks/report", "", testEditorKS, http.StatusOK},
		{"the editor cannot approve", "ks/approve", "", testEditorKS, http.StatusForbidden},
		{"the samordnare approves", "ks/approve", "", testCoordinator, http.StatusOK},
		{"reporting what is approved", "ks/report", "", testEditorKS, http.StatusConflict},
		{"the samordnare cannot reopen", "ks/reopen", `{"due": "2099-06-30"}`, testCoordinator, http.StatusForbidden},
		{"reopening needs a date", "ks/reopen", `{}`, testAdmin, http.StatusUnprocessableEntity},
		{"the admin reopens", "ks/reopen", `{"due": "2099-06-30"}`, testAdmin, http.StatusOK},
		{"no such step", "ks/rapportera", "", testEditorKS, http.StatusNotFound},
		{"no such body", "kf/report", "", testCoordinator, http.StatusNotFound},
		{"without credentials", "ks/report", "", nil, http.StatusUnauthorized},
		{"another organisation", "ks/report", "", testOtherCoord, http.StatusNotFound},
	}
	for _, tt := range steps {
		t.Run(tt.name, func(t *testing.T) {
			var b any
			if tt.body != "" {
				b = tt.body
			}
			res, body := e.doAs(t, tt.user, "POST", "/api/v1/periods/"+id+"/bodies/"+tt.step, b)
			wantStatus(t, res, body, tt.want)
		})
	}
	stored := mustPeriods(t, e)[0]
	if d := stored.Deadlines[0]; d.Body != "ks" || d.Due != date("2099-06-30") || !d.Approved.IsZero() || d.ReportedBy != testEditorKS.Name {
		t.Errorf("ks deadline after the steps: %+v", d)
	}

	for _, tt := range []struct {
		name string
		user *strategy.User
		want int
	}{
		{"the editor cannot create", testEditorKS, http.StatusForbidden},
		{"without credentials", nil, http.StatusUnauthorized},
		{"another organisation's samordnare", testOtherCoord, http.StatusForbidden},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res, body := e.doAs(t, tt.user, "POST", list, `{"year": 2030, "title": "x", "deadlines": [{"body": "ks", "due": "2031-03-31"}]}`)
			wantStatus(t, res, body, tt.want)
		})
	}
}
