package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/inkludera/inkludera/internal/strategy"
)

// allocationExample is worked by hand: 100 places, target 8 %, every
// factor weighing a third.
//
//	      employees  abroad  need  gap              shares (emp, gap, need)   weight    quota
//	ks    200        4 %     10    (8−4) %·200 = 8  0,5    8/14   0,25        0,44048   44,048
//	amn   100        10 %    30    0                0,25   0      0,75        0,33333   33,333
//	klf   100        2 %     0     (8−2) %·100 = 6  0,25   6/14   0           0,22619   22,619
//
// The floors 44 + 33 + 22 leave one place, which goes to klf, whose
// remainder (0,619) is the largest: 44, 33 and 23. kf is left out.
var allocationExample = url.Values{
	"lage": {"praktik"}, "berakna": {"1"}, "total": {"100"}, "target": {"8"},
	"w_headcount": {"1"}, "w_gap": {"1"}, "w_need": {"1"},
	"headcount.ks": {"200"}, "share.ks": {"4"}, "need.ks": {"10"},
	"headcount.amn": {"100"}, "share.amn": {"10"}, "need.amn": {"30"},
	"headcount.klf": {"100"}, "share.klf": {"2"}, "need.klf": {"0"},
}

// resultCount finds a body's fördelningstal in the result table.
func resultCount(t *testing.T, body, name string) string {
	t.Helper()
	m := regexp.MustCompile(`<tr><th scope="row">` + name + `</th>.*?<td><strong>(\d+)</strong></td></tr>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no result row for %s", name)
	}
	return m[1]
}

func TestAllocationPage(t *testing.T) {
	e := newEditEnv(t)

	res, body := e.doAs(t, testCoordinator, "GET", "/fordelning", nil)
	wantStatus(t, res, body, http.StatusOK)
	checkHTML(t, body)
	wantBody(t, body, `name="total" value="100"`, `name="target" value="8"`, `name="headcount.amn"`, "cirka ett hundratal")

	res, body = e.doAs(t, testCoordinator, "GET", "/fordelning?"+allocationExample.Encode(), nil)
	wantStatus(t, res, body, http.StatusOK)
	checkHTML(t, body)
	for name, want := range map[string]string{"Kommunstyrelsen": "44", "Arbetsmarknadsnämnden": "33", "Kommunledningsförvaltningen": "23"} {
		if got := resultCount(t, body, name); got != want {
			t.Errorf("%s gets %s, want %s", name, got, want)
		}
	}
	wantBody(t, body, "Kontroll: fördelningstalen summerar till 100, precis totalen.", "största restmetoden",
		"44,048", "22,619", "ja, 1 till", "Exakt kvot", "Extra enhet", `name="dokument"`)
	if strings.Contains(body, `<th scope="row">Kommunfullmäktige</th><td>`) {
		t.Error("the body left out is in the result")
	}

	bad := url.Values{}
	for k, v := range allocationExample {
		bad[k] = v
	}
	bad.Set("share.amn", "120")
	bad.Set("headcount.klf", "")
	res, body = e.doAs(t, testCoordinator, "GET", "/fordelning?"+bad.Encode(), nil)
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	checkHTML(t, body)
	wantBody(t, body, `href="#f-share-amn"`, "i procent, från 0 till 100", `href="#f-headcount-klf"`, `value="120"`)

	reception := url.Values{"lage": {"mottagande"}, "berakna": {"1"}, "total": {"10"},
		"ort.0.name": {"Strömsund"}, "ort.0.population": {"3000"}, "ort.0.share": {"10"},
		"ort.1.name": {"Hammerdal"}, "ort.1.population": {"1000"}, "ort.1.share": {"2"}}
	res, body = e.doAs(t, testCoordinator, "GET", "/fordelning?"+reception.Encode(), nil)
	wantStatus(t, res, body, http.StatusOK)
	checkHTML(t, body)
	// The kommun's share is 8 %: Strömsund weighs 3000·8/10 = 2400,
	// Hammerdal 1000·8/2 = 4000 (below the cap of four times): 3,75 and 6,25.
	// Hammerdal, with the lower share, gets more; Strömsund the remaining place.
	if s, h := resultCount(t, body, "Strömsund"), resultCount(t, body, "Hammerdal"); s != "4" || h != "6" {
		t.Errorf("Strömsund %s, Hammerdal %s, want 4 and 6", s, h)
	}

	for _, tt := range []struct {
		name string
		user *strategy.User
		want int
	}{
		{"nämndredaktör", testEditorKS, http.StatusForbidden},
		{"läsare", testReader, http.StatusForbidden},
		{"admin", testAdmin, http.StatusOK},
		{"the public", nil, http.StatusSeeOther},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res, body := e.doAs(t, tt.user, "GET", "/fordelning", nil)
			wantStatus(t, res, body, tt.want)
		})
	}
}

// TestSaveAllocation saves the example's numbers as activities, one per
// body in its plan for the year, in one edit of the document; saving again
// updates the same activities.
func TestSaveAllocation(t *testing.T) {
	e := newEditEnv(t)
	form := url.Values{}
	for k, v := range allocationExample {
		form[k] = v
	}
	form.Set("ar", "2026")

	res, body := e.doAs(t, testCoordinator, "POST", "/fordelning/spara", form)
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	wantBody(t, body, "Välj det styrdokument")

	before := len(auditOf(t, e))
	form.Set("dokument", program)
	res, body = e.doAs(t, testCoordinator, "POST", "/fordelning/spara", form)
	wantStatus(t, res, body, http.StatusSeeOther)
	if n := len(auditOf(t, e)) - before; n != 1 {
		t.Errorf("%d audit entries for the save, want 1 (one edit)", n)
	}
	d, err := e.st.Document(context.Background(), program)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, p := range d.ActionPlans {
		if p.Year != 2026 {
			continue
		}
		if p.Status != strategy.PlanDraft {
			t.Errorf("plan %s is %s, want a new utkast", p.Key, p.Status)
		}
		for _, a := range p.Activities {
			got[p.Body] = a.Key + " | " + a.Title + " | " + a.TargetGroup + " | " + a.Time
			if !strings.Contains(a.Description, "av 100 praktikplatser") || !strings.Contains(a.Description, "största restmetoden") {
				t.Errorf("description of %s: %q", p.Body, a.Description)
			}
		}
	}
	want := map[string]string{
		"ks":  "praktikplatser-2026 | Praktikplatser och subventionerade anställningar: 44 | enbart kommunplacerade | 2026",
		"amn": "praktikplatser-2026 | Praktikplatser och subventionerade anställningar: 33 | enbart kommunplacerade | 2026",
		"klf": "praktikplatser-2026 | Praktikplatser och subventionerade anställningar: 23 | enbart kommunplacerade | 2026",
	}
	for body, w := range want {
		if got[body] != w {
			t.Errorf("%s: %q, want %q", body, got[body], w)
		}
	}
	if len(got) != 3 {
		t.Errorf("activities for %v, want ks, amn and klf", got)
	}

	loc := res.Header.Get("Location")
	res, body = e.doAs(t, testCoordinator, "GET", loc, nil)
	wantStatus(t, res, body, http.StatusOK)
	wantBody(t, body, "Fördelningstalen är sparade som aktiviteter", "/dokument/stromsund-program/planer/ks-2026")

	// Again with another total: the same activities change.
	form.Set("total", "10")
	res, body = e.doAs(t, testCoordinator, "POST", "/fordelning/spara", form)
	wantStatus(t, res, body, http.StatusSeeOther)
	d, _ = e.st.Document(context.Background(), program)
	n := 0
	for _, p := range d.ActionPlans {
		if p.Year == 2026 {
			n += len(p.Activities)
		}
	}
	if n != 3 {
		t.Errorf("%d activities after saving twice, want 3", n)
	}

	res, body = e.doAs(t, testEditorKS, "POST", "/fordelning/spara", form)
	wantStatus(t, res, body, http.StatusForbidden)
}

func auditOf(t *testing.T, e *testEnv) []strategy.AuditEntry {
	t.Helper()
	entries, err := e.st.Audit(context.Background(), strategy.AuditFilter{Document: program, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return entries
}
