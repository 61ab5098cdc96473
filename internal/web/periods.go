package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/inkludera/inkludera/internal/auth"
	"github.com/inkludera/inkludera/internal/followup"
	"github.com/inkludera/inkludera/internal/strategy"
)

// The follow-up cycle: an organisation's reporting periods with a deadline
// per body. This file holds what the pages and the API share: reading a
// period for a request, the permission of each step, and the views of
// deadlines in words.

// followUpObject is an organisation's follow-up as auth.Can sees it.
func followUpObject(org string) auth.Object {
	return auth.Object{Kind: auth.KindFollowUp, Org: org}
}

// readPeriod reads the period with the id (text from the path) for the
// request's user: 404 when it does not exist or they may not read their
// organisation's follow-up; the public is asked to sign in.
func (s *server) readPeriod(r *http.Request, idText string) (strategy.FollowUpPeriod, error) {
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil || id <= 0 {
		return strategy.FollowUpPeriod{}, strategy.Errorf(strategy.CodeNotFound, "Det finns ingen uppföljningsperiod %q.", idText)
	}
	p, err := s.st.FollowUpPeriod(r.Context(), id)
	if err != nil {
		return strategy.FollowUpPeriod{}, notFoundAs(err, "Det finns ingen uppföljningsperiod %d.", id)
	}
	if !auth.Can(userOf(r), auth.ActionRead, followUpObject(p.Org)) {
		if userOf(r) == nil {
			return strategy.FollowUpPeriod{}, errSignInRequired
		}
		return strategy.FollowUpPeriod{}, strategy.Errorf(strategy.CodeNotFound, "Det finns ingen uppföljningsperiod %d.", id)
	}
	return p, nil
}

// writablePeriod reads the period of the path's {id} for a change: as
// readPeriod, and then 403 when the user may not change their
// organisation's follow-up.
func (s *server) writablePeriod(r *http.Request) (strategy.FollowUpPeriod, error) {
	p, err := s.readPeriod(r, r.PathValue("id"))
	if err != nil {
		return strategy.FollowUpPeriod{}, err
	}
	if err := s.authorize(r, auth.ActionWrite, followUpObject(p.Org)); err != nil {
		return strategy.FollowUpPeriod{}, err
	}
	return p, nil
}

// createPeriod stores a new period of p.Org.
func (s *server) createPeriod(r *http.Request, p strategy.FollowUpPeriod) (strategy.FollowUpPeriod, error) {
	if err := s.authorize(r, auth.ActionWrite, followUpObject(p.Org)); err != nil {
		return strategy.FollowUpPeriod{}, err
	}
	return s.st.CreateFollowUpPeriod(r.Context(), p)
}

// updatePeriod changes the title, document and deadlines of the stored
// period p.ID, whose Rev must be p.Rev.
func (s *server) updatePeriod(r *http.Request, stored, p strategy.FollowUpPeriod) (strategy.FollowUpPeriod, error) {
	if err := s.authorize(r, auth.ActionWrite, followUpObject(stored.Org)); err != nil {
		return strategy.FollowUpPeriod{}, err
	}
	p.ID, p.Org, p.Year = stored.ID, stored.Org, stored.Year
	return s.st.UpdateFollowUpPeriod(r.Context(), p)
}

// deadlineSteps maps the steps as the pages and the API name them.
var deadlineSteps = map[string]strategy.DeadlineAction{
	"rapportera": strategy.DeadlineReport,
	"godkann":    strategy.DeadlineApprove,
	"oppna":      strategy.DeadlineReopen,
	"report":     strategy.DeadlineReport,
	"approve":    strategy.DeadlineApprove,
	"reopen":     strategy.DeadlineReopen,
}

// stepAllowed is the action and object a step needs permission for: reporting is the body's
// (its nämndredaktör's, or the samordnare's), approving publishes the
// follow-up, and reopening is the admins'.
func stepAllowed(u *strategy.User, p strategy.FollowUpPeriod, body string, step strategy.DeadlineAction) (auth.Action, auth.Object) {
	switch step {
	case strategy.DeadlineReport:
		return auth.ActionWrite, auth.Object{Kind: auth.KindActionPlan, Org: p.Org, Body: body}
	case strategy.DeadlineApprove:
		return auth.ActionPublish, followUpObject(p.Org)
	}
	return auth.ActionReopen, followUpObject(p.Org)
}

// takeStep takes one step of a body's follow-up in the period. Reporting
// what is locked is refused with the Swedish lock message.
func (s *server) takeStep(r *http.Request, p strategy.FollowUpPeriod, body string, step strategy.DeadlineAction,
	newDue strategy.Date) (strategy.FollowUpPeriod, error) {
	i := deadlineIndex(p, body)
	if i < 0 {
		return strategy.FollowUpPeriod{}, strategy.Errorf(strategy.CodeNotFound, "Perioden har ingen sista dag för organet %q.", body)
	}
	action, obj := stepAllowed(userOf(r), p, body, step)
	if err := s.authorize(r, action, obj); err != nil {
		return strategy.FollowUpPeriod{}, err
	}
	if step == strategy.DeadlineReport && p.Deadlines[i].Locked(s.today()) {
		bodies, err := s.st.Bodies(r.Context(), p.Org)
		if err != nil {
			return strategy.FollowUpPeriod{}, err
		}
		return strategy.FollowUpPeriod{}, errLocked(&followUpLock{Message: lockMessage(p, p.Deadlines[i], bodyNameIn(bodies, body))})
	}
	return s.st.ChangeDeadline(r.Context(), p.ID, body, step, newDue)
}

func deadlineIndex(p strategy.FollowUpPeriod, body string) int {
	for i, d := range p.Deadlines {
		if d.Body == body {
			return i
		}
	}
	return -1
}

// deadlineRow is one body's part of a period, in words, with the steps the
// user may take.
type deadlineRow struct {
	Body     string
	BodyName string
	Due      string
	// State says where the body's follow-up is: "Inte rapporterad",
	// "Rapporterad 2026-03-10 av Ebba Redaktör", "Godkänd …".
	State string
	// Late is set when the report is overdue: "Sen: sista dagen var …".
	Late string
	// Soon is set when it is due within a week.
	Soon   string
	Locked string // "Låst: godkänd" or "Låst: sista dagen har passerat"
	Plans  []link

	ReportURL  string // set when the user may report
	ApproveURL string // set when the user may approve
	Reopen     *reopenForm
}

// reopenForm asks an admin for the new due date.
type reopenForm struct {
	Action string
	Due    input
}

// deadlineView describes d on the day today, with the steps u may take.
func deadlineView(u *strategy.User, p strategy.FollowUpPeriod, d strategy.BodyDeadline, bodyName string,
	today strategy.Date, reopenErrs *formErrors, reopenValue string) deadlineRow {
	row := deadlineRow{Body: d.Body, BodyName: bodyName, Due: d.Due.String(), State: "Inte rapporterad"}
	if !d.Reported.IsZero() {
		row.State = "Rapporterad " + strategy.DateOf(d.Reported.In(followup.Sweden())).String() + byWhom(d.ReportedBy)
	}
	if !d.Approved.IsZero() {
		row.State += ". Godkänd " + strategy.DateOf(d.Approved.In(followup.Sweden())).String() + byWhom(d.ApprovedBy)
		row.Locked = "Låst: uppföljningen är godkänd."
	} else if d.Due.Before(today) {
		row.Locked = "Låst: sista dagen har passerat."
	}
	switch n := followup.DaysAfter(d.Due, today); {
	case d.Late(today) && n == 1:
		row.Late = "Sen: sista dagen var " + row.Due + ", i går."
	case d.Late(today):
		row.Late = "Sen: sista dagen var " + row.Due + ", för " + strconv.Itoa(n) + " dagar sedan."
	case d.Reported.IsZero() && d.Approved.IsZero():
		left := followup.DaysAfter(today, d.Due)
		switch {
		case d.Due == today:
			row.Soon = "Sista dagen är i dag."
		case left <= followup.WindowDays:
			row.Soon = "Sista dagen är om " + strconv.Itoa(left) + " dagar."
		}
	}
	base := periodURL(p.ID) + "/" + url.PathEscape(d.Body) + "/"
	if a, o := stepAllowed(u, p, d.Body, strategy.DeadlineReport); auth.Can(u, a, o) && d.Reported.IsZero() && !d.Locked(today) {
		row.ReportURL = base + "rapportera"
	}
	if a, o := stepAllowed(u, p, d.Body, strategy.DeadlineApprove); auth.Can(u, a, o) && !d.Reported.IsZero() && d.Approved.IsZero() {
		row.ApproveURL = base + "godkann"
	}
	if a, o := stepAllowed(u, p, d.Body, strategy.DeadlineReopen); auth.Can(u, a, o) && d.Locked(today) {
		in := newInput(reopenErrs, "due", "Ny sista dag för "+bodyName, reopenValue, "").typed("date")
		in.ID = inputID("due-" + d.Body)
		row.Reopen = &reopenForm{Action: base + "oppna", Due: in}
	}
	return row
}

func byWhom(name string) string {
	if name == "" {
		return ""
	}
	return " av " + name
}

// periodView is a period with its deadlines for a page.
type periodView struct {
	ID       int64
	URL      string
	Title    string
	Year     int
	DocTitle string
	DocURL   string
	Rows     []deadlineRow
	Reported int
	Approved int
	Late     int
}

// lateItem is a line of "Vem är sen?".
type lateItem struct {
	BodyName string
	Period   string
	URL      string
	Text     string
}

// periodViewOf builds the view of p for the request's user. bodies are the
// organisation's; plans maps body/year to the plans of the organisation's
// documents the user may read.
func (s *server) periodViewOf(r *http.Request, p strategy.FollowUpPeriod, bodies []strategy.Body,
	plans map[string][]link, reopenBody string, reopenErrs *formErrors) periodView {
	u := userOf(r)
	today := s.today()
	v := periodView{ID: p.ID, URL: periodURL(p.ID), Title: p.Title, Year: p.Year}
	if p.Document != "" {
		if d, err := s.st.Document(r.Context(), p.Document); err == nil && s.canSeeDocument(r, d) {
			v.DocTitle, v.DocURL = d.Title, documentURL(d.Key)
		}
	}
	for _, d := range p.Deadlines {
		var errs *formErrors
		value := ""
		if d.Body == reopenBody {
			errs, value = reopenErrs, r.PostFormValue("due")
		}
		row := deadlineView(u, p, d, bodyNameIn(bodies, d.Body), today, errs, value)
		row.Plans = plans[d.Body+"/"+strconv.Itoa(p.Year)]
		if !d.Reported.IsZero() {
			v.Reported++
		}
		if !d.Approved.IsZero() {
			v.Approved++
		}
		if row.Late != "" {
			v.Late++
		}
		v.Rows = append(v.Rows, row)
	}
	return v
}

// lateItems lists, for "Vem är sen?", every late body of the periods
// first, then those due within a week.
func lateItems(views []periodView) (late, soon []lateItem) {
	for _, v := range views {
		for _, row := range v.Rows {
			switch {
			case row.Late != "":
				late = append(late, lateItem{BodyName: row.BodyName, Period: v.Title, URL: v.URL, Text: row.Late})
			case row.Soon != "":
				soon = append(soon, lateItem{BodyName: row.BodyName, Period: v.Title, URL: v.URL, Text: row.Soon})
			}
		}
	}
	return late, soon
}

// orgPlans maps "body/year" to links to the organisation's plans the
// request's user may read.
func (s *server) orgPlans(ctx context.Context, r *http.Request, org string, bodies []strategy.Body) (map[string][]link, error) {
	docs, err := s.st.Documents(ctx, org)
	if err != nil {
		return nil, err
	}
	out := map[string][]link{}
	for _, head := range s.visibleDocuments(r, docs) {
		d, err := s.st.Document(ctx, head.Key)
		if err != nil {
			return nil, err
		}
		for _, p := range d.ActionPlans {
			if !auth.Can(userOf(r), auth.ActionRead, planObject(d, p)) {
				continue
			}
			k := p.Body + "/" + strconv.Itoa(p.Year)
			out[k] = append(out[k], link{URL: planURL(d.Key, p.Key), Text: planTitle(p, bodyNameIn(bodies, p.Body))})
		}
	}
	return out, nil
}

// stepDone are the confirmations after a step.
var stepDone = map[strategy.DeadlineAction]string{
	strategy.DeadlineReport:  "rapporterad",
	strategy.DeadlineApprove: "godkand",
	strategy.DeadlineReopen:  "oppnad",
}

var periodMessages = map[string]string{
	"rapporterad": "Uppföljningen är markerad som rapporterad.",
	"godkand":     "Uppföljningen är godkänd och därmed låst.",
	"oppnad":      "Uppföljningen är öppnad igen med en ny sista dag.",
	"sparad":      "Uppföljningsperioden är sparad.",
	"skapad":      "Uppföljningsperioden är skapad.",
}

// remindedMessage is the confirmation after reminders were sent.
func remindedMessage(q url.Values) string {
	n, err := strconv.Atoi(q.Get("paminda"))
	if err != nil {
		return ""
	}
	msg := "Inga påminnelser behövde skickas: ingen är sen eller har sista dag inom en vecka, eller så har de redan påmints i dag."
	switch {
	case n == 1:
		msg = "1 påminnelse har skickats."
	case n > 1:
		msg = strconv.Itoa(n) + " påminnelser har skickats."
	}
	if f, _ := strconv.Atoi(q.Get("misslyckade")); f > 0 {
		msg += " " + strconv.Itoa(f) + " kunde inte skickas; de försöker igen vid nästa utskick."
	}
	return msg
}

// orgOfRequest is the organisation the follow-up pages are about: the
// user's own, or for an admin the one chosen (?org=), else the first.
func (s *server) orgOfRequest(r *http.Request, orgs []strategy.Organisation) string {
	u := userOf(r)
	if u != nil && u.Org != "" {
		return u.Org
	}
	want := strings.TrimSpace(r.URL.Query().Get("org"))
	if want == "" {
		want = strings.TrimSpace(r.PostFormValue("org"))
	}
	for _, o := range orgs {
		if o.Code == want {
			return want
		}
	}
	if len(orgs) > 0 {
		return orgs[0].Code
	}
	return ""
}
