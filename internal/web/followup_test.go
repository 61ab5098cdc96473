package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/inkludera/inkludera/internal/mail/mailtest"
	"github.com/inkludera/inkludera/internal/strategy"
)

// TestPeriodForm: the samordnare creates a period with one due date
// filled in for every body, and changes it; others may not.
func TestPeriodForm(t *testing.T) {
	e := newEditEnv(t)

	res, body := e.doAs(t, testCoordinator, "GET", "/uppfoljning/ny", nil)
	wantStatus(t, res, body, http.StatusOK)
	checkHTML(t, body)
	wantBody(t, body, `name="year" value="2026"`, `value="Uppföljning 2026"`, `name="due.amn" value="2027-03-31"`, "Fyll i för alla")

	form := url.Values{"org": {"2313"}, "year": {"2026"}, "title": {"Uppföljning 2026"}, "document": {program},
		"bodies": {"ks", "amn", "klf"}, "due_all": {"2027-02-28"}, "due.ks": {"2027-03-31"}, "due.amn": {"31 mars"}, "fyll": {"1"}}
	res, body = e.doAs(t, testCoordinator, "POST", "/uppfoljning/ny", form)
	wantStatus(t, res, body, http.StatusOK)
	wantBody(t, body, `name="due.ks" value="2027-02-28"`, `name="due.amn" value="2027-02-28"`)
	if n := len(mustPeriods(t, e)); n != 0 {
		t.Fatalf("filling in stored %d periods", n)
	}

	form.Del("fyll")
	res, body = e.doAs(t, testCoordinator, "POST", "/uppfoljning/ny", form)
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	checkHTML(t, body)
	wantBody(t, body, `href="#f-due-amn"`, "Ange sista dag för Arbetsmarknadsnämnden som ÅÅÅÅ-MM-DD", `value="31 mars"`)

	form.Set("due.amn", "2027-02-28")
	form.Set("due.klf", "")
	res, body = e.doAs(t, testCoordinator, "POST", "/uppfoljning/ny", form)
	wantStatus(t, res, body, http.StatusSeeOther)
	periods := mustPeriods(t, e)
	if len(periods) != 1 {
		t.Fatalf("%d periods", len(periods))
	}
	p := periods[0]
	var dues []string
	for _, d := range p.Deadlines {
		dues = append(dues, d.Body+" "+d.Due.String())
	}
	// klf left empty takes the common date.
	if got := strings.Join(dues, ", "); got != "ks 2027-03-31, amn 2027-02-28, klf 2027-02-28" {
		t.Errorf("deadlines %s", got)
	}
	if loc := res.Header.Get("Location"); loc != periodURL(p.ID)+"?klart=skapad" {
		t.Errorf("Location %q", loc)
	}

	// A second period of the year is refused beside the year.
	res, body = e.doAs(t, testCoordinator, "POST", "/uppfoljning/ny", form)
	wantStatus(t, res, body, http.StatusConflict)
	wantBody(t, body, "Det finns redan en uppföljningsperiod för 2026.")

	// Changing it, then again from the old rev.
	edit := url.Values{"rev": {strconv.FormatInt(p.Rev, 10)}, "title": {"Uppföljning av planerna 2026"}, "document": {program},
		"bodies": {"ks", "amn"}, "due.ks": {"2027-03-31"}, "due.amn": {"2027-03-15"}}
	res, body = e.doAs(t, testCoordinator, "POST", periodURL(p.ID), edit)
	wantStatus(t, res, body, http.StatusSeeOther)
	res, body = e.doAs(t, testCoordinator, "POST", periodURL(p.ID), edit)
	wantStatus(t, res, body, http.StatusConflict)
	wantBody(t, body, conflictMessage, `value="Uppföljning av planerna 2026"`)

	refused := []struct {
		name   string
		user   *strategy.User
		target string
		want   int
	}{
		{"nämndredaktör creating", testEditorKS, "/uppfoljning/ny", http.StatusForbidden},
		{"läsare creating", testReader, "/uppfoljning/ny", http.StatusForbidden},
		{"the public creating", nil, "/uppfoljning/ny", http.StatusSeeOther},
		{"nämndredaktör changing", testEditorKS, periodURL(p.ID), http.StatusForbidden},
		{"läsare changing", testReader, periodURL(p.ID), http.StatusForbidden},
		{"another organisation's samordnare changing", testOtherCoord, periodURL(p.ID), http.StatusNotFound},
		{"the public changing", nil, periodURL(p.ID), http.StatusSeeOther},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			f := url.Values{"org": {"2313"}, "year": {"2030"}, "rev": {"9"}, "bodies": {"ks"}, "due.ks": {"2031-03-31"}}
			res, body := e.doAs(t, tt.user, "POST", tt.target, f)
			wantStatus(t, res, body, tt.want)
		})
	}
}

func mustPeriods(t *testing.T, e *testEnv) []strategy.FollowUpPeriod {
	t.Helper()
	ps, err := e.st.FollowUpPeriods(context.Background(), "2313")
	if err != nil {
		t.Fatal(err)
	}
	return ps
}

// TestWhoIsLate: the follow-up page lists the late bodies first, in words,
// and the start page tells each user what concerns them.
func TestWhoIsLate(t *testing.T) {
	e := newEditEnv(t)
	p := createPeriod(t, e, 2026, map[string]string{"ks": "2026-03-20", "amn": "2026-03-01", "klf": "2026-09-30"})

	res, body := e.doAs(t, testReader, "GET", "/uppfoljning", nil)
	wantStatus(t, res, body, http.StatusOK)
	checkHTML(t, body)
	late := strings.Index(body, "Vem är sen?")
	periods := strings.Index(body, "Uppföljningsperioder")
	if late < 0 || periods < late {
		t.Fatal("the late bodies do not come first")
	}
	wantBody(t, body[late:periods], "1 organ har inte rapporterat i tid", "<strong>Arbetsmarknadsnämnden</strong>",
		"Sen: sista dagen var 2026-03-01, för 14 dagar sedan. Inte rapporterad.",
		"<strong>Kommunstyrelsen</strong>", "Sista dagen är om 5 dagar.")
	if strings.Contains(body[late:periods], "Kommunledningsförvaltningen") {
		t.Error("a body due in September is listed as late or soon")
	}
	if strings.Contains(body, "Ny uppföljningsperiod") {
		t.Error("a läsare is offered a new period")
	}

	res, body = e.doAs(t, nil, "GET", "/uppfoljning", nil)
	wantStatus(t, res, body, http.StatusSeeOther)

	starts := []struct {
		name  string
		user  *strategy.User
		wants []string
		not   []string
	}{
		{"the ks editor sees their due follow-up", testEditorKS,
			[]string{"Din uppföljning", "Uppföljning 2026 för Kommunstyrelsen: rapporteras senast 2026-03-20.", `href="` + periodURL(p.ID) + `"`},
			[]string{"Arbetsmarknadsnämnden: sista"}},
		{"the amn editor sees theirs as late", testEditorAMN,
			[]string{"<strong>Sen:</strong>", "Uppföljning 2026 för Arbetsmarknadsnämnden: sista dagen var 2026-03-01 (14 dagar sedan) och rapporten saknas."},
			[]string{"Kommunstyrelsen: rapporteras"}},
		{"the samordnare sees the late and the due", testCoordinator,
			[]string{"Arbetsmarknadsnämnden: sista dagen var 2026-03-01", "Kommunstyrelsen: rapporteras senast 2026-03-20"},
			[]string{"Kommunledningsförvaltningen: rapporteras"}},
		{"a läsare sees none", testReader, nil, []string{"Din uppföljning"}},
		{"the public sees none", nil, nil, []string{"Din uppföljning"}},
	}
	for _, tt := range starts {
		t.Run(tt.name, func(t *testing.T) {
			res, body := e.doAs(t, tt.user, "GET", "/", nil)
			wantStatus(t, res, body, http.StatusOK)
			checkHTML(t, body)
			wantBody(t, body, tt.wants...)
			for _, n := range tt.not {
				if strings.Contains(body, n) {
					t.Errorf("body has %q", n)
				}
			}
		})
	}
}

// TestRemindNow: the samordnare sends the due reminders from the period
// page; the same day again sends nothing.
func TestRemindNow(t *testing.T) {
	st := newTestStore(t)
	storeTestUsers(t, st)
	rec := &mailtest.Recorder{}
	e := newTestEnvWith(t, st, WithMailer(rec, "https://inkludera.example.se"))
	p := createPeriod(t, e, 2026, map[string]string{"ks": "2026-03-20", "amn": "2026-03-01", "klf": "2026-09-30"})
	target := periodURL(p.ID) + "/paminn"

	res, body := e.doAs(t, testEditorKS, "POST", target, url.Values{})
	wantStatus(t, res, body, http.StatusForbidden)

	res, body = e.doAs(t, testCoordinator, "POST", target, url.Values{})
	wantStatus(t, res, body, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != periodURL(p.ID)+"?paminda=2&misslyckade=0" {
		t.Errorf("Location %q", loc)
	}
	msgs := rec.Messages()
	var got []string
	for _, m := range msgs {
		got = append(got, m.To[0]+": "+m.Subject)
	}
	want := "Ebba Redaktör <ebba.ks@stromsund.se>: Påminnelse: uppföljning 2026 för Kommunstyrelsen senast 2026-03-20\n" +
		"Amir Redaktör <amir.amn@stromsund.se>: Påminnelse: uppföljning 2026 för Arbetsmarknadsnämnden senast 2026-03-01"
	if strings.Join(got, "\n") != want {
		t.Errorf("sent:\n%s\nwant:\n%s", strings.Join(got, "\n"), want)
	}
	if !strings.Contains(msgs[0].Body, "https://inkludera.example.se/uppfoljning/"+strconv.FormatInt(p.ID, 10)) {
		t.Errorf("no link in:\n%s", msgs[0].Body)
	}

	res, body = e.doAs(t, testCoordinator, "GET", periodURL(p.ID)+"?paminda=2&misslyckade=0", nil)
	wantStatus(t, res, body, http.StatusOK)
	checkHTML(t, body)
	wantBody(t, body, "2 påminnelser har skickats.", "ebba.ks@stromsund.se", "Senaste påminnelser")

	res, body = e.doAs(t, testCoordinator, "POST", target, url.Values{})
	wantStatus(t, res, body, http.StatusSeeOther)
	if n := len(rec.Messages()); n != 2 {
		t.Errorf("%d messages after a second round the same day, want still 2", n)
	}

	// Without a mailer the page says so and the button answers 503.
	plain := newTestEnvWith(t, st)
	res, body = plain.doAs(t, testCoordinator, "GET", periodURL(p.ID), nil)
	wantBody(t, body, "e-post inte är inställd")
	res, body = plain.doAs(t, testCoordinator, "POST", target, url.Values{})
	wantStatus(t, res, body, http.StatusServiceUnavailable)
}
