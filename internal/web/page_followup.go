package web

import (
	"errors"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/inkludera/inkludera/internal/auth"
	"github.com/inkludera/inkludera/internal/followup"
	"github.com/inkludera/inkludera/internal/mail"
	"github.com/inkludera/inkludera/internal/strategy"
)

// reminderMailer sends follow-up reminders with links to baseURL.
type reminderMailer struct {
	sender  mail.Sender
	baseURL string
}

// WithMailer lets the samordnare send follow-up reminders from the period
// page; links in the messages start with baseURL ("https://inkludera.
// kommun.se"). Without it the page says that e-mail is not set up.
func WithMailer(sender mail.Sender, baseURL string) Option {
	return func(s *server) {
		if sender != nil {
			s.mailer = &reminderMailer{sender: sender, baseURL: baseURL}
		}
	}
}

// followUpPage is an organisation's follow-up: who is late, then every
// period with each body's deadline.
type followUpPage struct {
	Title      string
	OrgName    string
	OrgChoices []choice // for an admin, who chooses the organisation
	Late       []lateItem
	Soon       []lateItem
	Periods    []periodView
	NewURL     string
	// AllocationURL is the allocation helper, for those who may use it.
	AllocationURL string
}

// pageFollowUp handles GET /uppfoljning.
func (s *server) pageFollowUp(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := userOf(r)
	if u == nil {
		return errSignInRequired
	}
	orgs, err := s.st.ListOrganisations(ctx)
	if err != nil {
		return err
	}
	org := s.orgOfRequest(r, orgs)
	if err := s.authorize(r, auth.ActionRead, followUpObject(org)); err != nil {
		return err
	}
	page := followUpPage{Title: "Uppföljning"}
	for _, o := range orgs {
		if o.Code == org {
			page.OrgName = o.Name
			page.Title = "Uppföljning i " + o.Name
		}
		if u.Role == strategy.RoleAdmin {
			page.OrgChoices = append(page.OrgChoices, choice{Value: o.Code, Label: o.Name, Checked: o.Code == org})
		}
	}
	if auth.Can(u, auth.ActionWrite, followUpObject(org)) {
		page.NewURL = "/uppfoljning/ny?org=" + org
	}
	if auth.Can(u, auth.ActionWrite, auth.Object{Kind: auth.KindActionPlan, Org: org}) {
		page.AllocationURL = "/fordelning?org=" + org
	}
	periods, err := s.st.FollowUpPeriods(ctx, org)
	if err != nil {
		return err
	}
	bodies, err := s.st.Bodies(ctx, org)
	if err != nil {
		return err
	}
	plans, err := s.orgPlans(ctx, r, org, bodies)
	if err != nil {
		return err
	}
	for _, p := range periods {
		page.Periods = append(page.Periods, s.periodViewOf(r, p, bodies, plans, "", nil))
	}
	page.Late, page.Soon = lateItems(page.Periods)
	return render(s, w, r, http.StatusOK, "followup", page)
}

// periodPage is one period: its deadlines with the steps the user may
// take, reminders, and for the samordnare the form that changes it. A new
// period has only the form.
type periodPage struct {
	Title       string
	OrgName     string
	Saved       string
	Errors      []link
	Conflict    bool
	Period      *periodView
	Late        []lateItem
	Soon        []lateItem
	RemindURL   string
	MailMissing bool
	Reminders   []reminderView
	Form        *periodForm
}

type reminderView struct {
	SentAt   string
	BodyName string
	Email    string
}

// periodForm creates or changes a period: year, title, the document
// followed up and a due date per body.
type periodForm struct {
	New        bool
	Action     string
	Org        string
	OrgChoices []choice
	Year       input
	PeriodName input
	Document   selectInput
	DueAll     input
	Bodies     []periodBodyRow
	BodiesErr  string
	Rev        int64
}

type periodBodyRow struct {
	Key      string
	Name     string
	CheckID  string
	Included bool
	Due      input
}

// periodFields are the period form's values as typed.
type periodFields struct {
	Year, Title, Document, DueAll string
	Included                      map[string]bool
	Due                           map[string]string
	Rev                           int64
}

// fieldsOfPeriod fills the form from a stored period.
func fieldsOfPeriod(p strategy.FollowUpPeriod) periodFields {
	f := periodFields{Year: yearText(p.Year), Title: p.Title, Document: p.Document, Rev: p.Rev,
		Included: map[string]bool{}, Due: map[string]string{}}
	for _, d := range p.Deadlines {
		f.Included[d.Body] = true
		f.Due[d.Body] = d.Due.String()
	}
	return f
}

// newPeriodFields prefill a new period: this year, every body of the
// organisation, all due on one day (31 March the year after).
func newPeriodFields(year int, bodies []strategy.Body) periodFields {
	due := strconv.Itoa(year+1) + "-03-31"
	f := periodFields{Year: strconv.Itoa(year), Title: "Uppföljning " + strconv.Itoa(year), DueAll: due,
		Included: map[string]bool{}, Due: map[string]string{}}
	for _, b := range bodies {
		f.Included[b.Key] = true
		f.Due[b.Key] = due
	}
	return f
}

func readPeriodFields(r *http.Request, bodies []strategy.Body) periodFields {
	v := func(name string) string { return strings.TrimSpace(r.PostFormValue(name)) }
	f := periodFields{Year: v("year"), Title: v("title"), Document: v("document"), DueAll: v("due_all"),
		Included: map[string]bool{}, Due: map[string]string{}}
	for _, b := range r.PostForm["bodies"] {
		f.Included[b] = true
	}
	for _, b := range bodies {
		f.Due[b.Key] = v("due." + b.Key)
	}
	return f
}

// fillAll sets the due date of every included body to the common one.
func (f periodFields) fillAll() periodFields {
	for k := range f.Included {
		f.Due[k] = f.DueAll
	}
	return f
}

// period reads the typed values: the problems are text that is no year or
// date; an included body without a date takes the common one.
func (f periodFields) period(org string, bodies []strategy.Body) (strategy.FollowUpPeriod, inputProblems) {
	var ps inputProblems
	p := strategy.FollowUpPeriod{Org: org, Title: f.Title, Document: f.Document, Rev: f.Rev}
	if y, ok := parseWholeNumber(f.Year); ok {
		p.Year = y
	} else {
		ps.add("year", "must be a year such as 2026", "Ange året med fyra siffror, till exempel 2026.")
	}
	if p.Title == "" && p.Year != 0 {
		p.Title = "Uppföljning " + strconv.Itoa(p.Year)
	}
	for _, b := range bodies {
		if !f.Included[b.Key] {
			continue
		}
		text := f.Due[b.Key]
		if text == "" {
			text = f.DueAll
		}
		d, err := strategy.ParseDate(text)
		switch {
		case err != nil:
			ps.add("due."+b.Key, "must be a date YYYY-MM-DD", "Ange sista dag för "+b.Name+" som ÅÅÅÅ-MM-DD, till exempel 2027-03-31.")
		case d.IsZero():
			ps.add("due."+b.Key, "is required", "Ange sista dag för "+b.Name+".")
		}
		p.Deadlines = append(p.Deadlines, strategy.BodyDeadline{Body: b.Key, Due: d})
	}
	if len(p.Deadlines) == 0 {
		ps.add("bodies", "at least one body is required", "Välj minst ett organ som ska följa upp.")
	}
	return p, ps
}

// deadlinePath is a validation path of one deadline of a period.
var deadlinePath = regexp.MustCompile(`^deadlines\[(\d+)\]\.(\w+)$`)

// periodProblems names the store's problems of p by the form's inputs: a
// deadline's by its body ("due.ks"), a missing list by "bodies".
func periodProblems(err error, p strategy.FollowUpPeriod) (inputProblems, bool) {
	var v strategy.ValidationErrors
	if !errors.As(err, &v) {
		return nil, false
	}
	var ps inputProblems
	for _, e := range v {
		field := e.Path
		if m := deadlinePath.FindStringSubmatch(e.Path); m != nil {
			if i, _ := strconv.Atoi(m[1]); i < len(p.Deadlines) {
				field = "due." + p.Deadlines[i].Body
			}
		} else if e.Path == "deadlines" {
			field = "bodies"
		}
		ps.add(field, e.Path+": "+e.Message, swedishMessage(e))
	}
	return ps, true
}

// periodFormOf builds the form for org with the values f and problems fe.
func (s *server) periodFormOf(r *http.Request, org string, orgs []strategy.Organisation, bodies []strategy.Body,
	docs []strategy.Document, f periodFields, fe *formErrors, id int64) *periodForm {
	form := &periodForm{
		New:        id == 0,
		Org:        org,
		Action:     "/uppfoljning/ny",
		Year:       newInput(fe, "year", "År som följs upp", f.Year, "Året vars aktivitetsplaner följs upp.").typed("number"),
		PeriodName: newInput(fe, "title", "Rubrik", f.Title, "Till exempel ”Uppföljning 2026”."),
		DueAll:     newInput(fe, "due_all", "Sista dag", f.DueAll, "Välj ”Fyll i för alla”, så får alla valda organ det här datumet. Formuläret sparas inte då; ändra enstaka organ och spara sedan.").typed("date"),
		BodiesErr:  fe.Field("bodies"),
		Rev:        f.Rev,
	}
	if id != 0 {
		form.Action = periodURL(id)
	}
	if form.New && userOf(r) != nil && userOf(r).Role == strategy.RoleAdmin {
		for _, o := range orgs {
			form.OrgChoices = append(form.OrgChoices, choice{Value: o.Code, Label: o.Name, Checked: o.Code == org})
		}
	}
	form.Document = selectInput{input: newInput(fe, "document", "Styrdokument som följs upp (valfritt)", f.Document, ""), None: "Inget särskilt"}
	for _, d := range docs {
		form.Document.Options = append(form.Document.Options, choice{Value: d.Key, Label: d.Title, Checked: d.Key == f.Document})
	}
	for i, b := range bodies {
		due := newInput(fe, "due."+b.Key, "Sista dag för "+b.Name, f.Due[b.Key], "").typed("date")
		form.Bodies = append(form.Bodies, periodBodyRow{Key: b.Key, Name: b.Name, CheckID: choiceID("bodies", i),
			Included: f.Included[b.Key], Due: due})
	}
	return form
}

// periodInputs are the form's inputs in order, for the error summary.
func periodInputs(bodies []strategy.Body) []string {
	names := []string{"year", "title", "document", "due_all", "bodies"}
	for _, b := range bodies {
		names = append(names, "due."+b.Key)
	}
	return names
}

// pageNewPeriod handles GET /uppfoljning/ny.
func (s *server) pageNewPeriod(w http.ResponseWriter, r *http.Request) error {
	if userOf(r) == nil {
		return errSignInRequired
	}
	orgs, org, bodies, err := s.newPeriodScope(r)
	if err != nil {
		return err
	}
	return s.renderPeriodForm(w, r, http.StatusOK, org, orgs, bodies, nil, newPeriodFields(s.today().Year, bodies), nil)
}

// newPeriodScope is the organisation a new period is for (see
// orgOfRequest), which the user must be able to write, with its bodies and
// the organisations to choose among.
func (s *server) newPeriodScope(r *http.Request) (orgs []strategy.Organisation, org string, bodies []strategy.Body, err error) {
	orgs, err = s.st.ListOrganisations(r.Context())
	if err != nil {
		return nil, "", nil, err
	}
	org = s.orgOfRequest(r, orgs)
	if err := s.authorize(r, auth.ActionWrite, followUpObject(org)); err != nil {
		return nil, "", nil, err
	}
	bodies, err = s.st.Bodies(r.Context(), org)
	if err != nil {
		return nil, "", nil, err
	}
	return orgs, org, bodies, nil
}

// renderPeriodForm shows the period page with its form: the new period's
// when stored is nil.
func (s *server) renderPeriodForm(w http.ResponseWriter, r *http.Request, status int, org string,
	orgs []strategy.Organisation, bodies []strategy.Body, stored *strategy.FollowUpPeriod, f periodFields, fe *formErrors) error {
	ctx := r.Context()
	docs, err := s.st.Documents(ctx, org)
	if err != nil {
		return err
	}
	page := periodPage{Title: "Ny uppföljningsperiod", OrgName: orgName(orgs, org)}
	var id int64 // the stored period's, 0 for a new one
	if stored != nil {
		if page, err = s.periodPageOf(r, *stored, bodies, "", nil); err != nil {
			return err
		}
		id = stored.ID
	}
	page.Form = s.periodFormOf(r, org, orgs, bodies, s.visibleDocuments(r, docs), f, fe, id)
	page.Errors = errorLinks(fe, periodInputs(bodies))
	page.Conflict = status == http.StatusConflict
	return render(s, w, r, status, "period", page)
}

func orgName(orgs []strategy.Organisation, code string) string {
	for _, o := range orgs {
		if o.Code == code {
			return o.Name
		}
	}
	return code
}

// postNewPeriod handles POST /uppfoljning/ny.
func (s *server) postNewPeriod(w http.ResponseWriter, r *http.Request) error {
	if userOf(r) == nil {
		return errSignInRequired
	}
	if err := r.ParseForm(); err != nil {
		return strategy.Errorf(strategy.CodeInvalid, "Formuläret kunde inte läsas.")
	}
	orgs, org, bodies, err := s.newPeriodScope(r)
	if err != nil {
		return err
	}
	f := readPeriodFields(r, bodies)
	if r.PostFormValue("fyll") != "" {
		return s.renderPeriodForm(w, r, http.StatusOK, org, orgs, bodies, nil, f.fillAll(), nil)
	}
	p, ps := f.period(org, bodies)
	if len(ps) > 0 {
		return s.renderPeriodForm(w, r, http.StatusUnprocessableEntity, org, orgs, bodies, nil, f, ps.form())
	}
	stored, err := s.createPeriod(r, p)
	if err != nil {
		if ps, ok := periodProblems(err, p); ok {
			fe := withKnownFields(ps.form(), fieldSet(periodInputs(bodies)))
			return s.renderPeriodForm(w, r, http.StatusUnprocessableEntity, org, orgs, bodies, nil, f, fe)
		}
		if strategy.CodeOf(err) == strategy.CodeConflict {
			fe := &formErrors{}
			fe.Add("year", "Det finns redan en uppföljningsperiod för "+strconv.Itoa(p.Year)+". Ändra den i stället, eller välj ett annat år.")
			return s.renderPeriodForm(w, r, http.StatusConflict, org, orgs, bodies, nil, f, fe)
		}
		return err
	}
	return seeOther(w, r, periodURL(stored.ID)+"?klart=skapad")
}

// periodPageOf builds the page of a stored period, without the form.
func (s *server) periodPageOf(r *http.Request, p strategy.FollowUpPeriod, bodies []strategy.Body,
	reopenBody string, reopenErrs *formErrors) (periodPage, error) {
	ctx := r.Context()
	org, err := s.st.Organisation(ctx, p.Org)
	if err != nil {
		return periodPage{}, err
	}
	plans, err := s.orgPlans(ctx, r, p.Org, bodies)
	if err != nil {
		return periodPage{}, err
	}
	v := s.periodViewOf(r, p, bodies, plans, reopenBody, reopenErrs)
	page := periodPage{Title: p.Title, OrgName: org.Name, Period: &v}
	page.Late, page.Soon = lateItems([]periodView{v})
	q := r.URL.Query()
	page.Saved = periodMessages[q.Get("klart")]
	if m := remindedMessage(q); m != "" {
		page.Saved = m
	}
	if auth.Can(userOf(r), auth.ActionWrite, followUpObject(p.Org)) {
		page.RemindURL = periodURL(p.ID) + "/paminn"
		page.MailMissing = s.mailer == nil
		sent, err := s.st.Reminders(ctx, p.ID)
		if err != nil {
			return periodPage{}, err
		}
		for i, rm := range sent {
			if i == 20 {
				break
			}
			page.Reminders = append(page.Reminders, reminderView{
				SentAt:   rm.SentAt.In(followup.Sweden()).Format("2006-01-02 15:04"),
				BodyName: bodyNameIn(bodies, rm.Body), Email: rm.Email,
			})
		}
	}
	if reopenErrs.Any() {
		page.Errors = errorLinks(reopenErrs, nil)
		for i := range page.Errors {
			page.Errors[i].URL = "#" + inputID("due-"+reopenBody)
		}
	}
	return page, nil
}

// pagePeriod handles GET /uppfoljning/{id}.
func (s *server) pagePeriod(w http.ResponseWriter, r *http.Request) error {
	p, err := s.readPeriod(r, r.PathValue("id"))
	if err != nil {
		return err
	}
	bodies, err := s.st.Bodies(r.Context(), p.Org)
	if err != nil {
		return err
	}
	if auth.Can(userOf(r), auth.ActionWrite, followUpObject(p.Org)) {
		return s.renderPeriodForm(w, r, http.StatusOK, p.Org, nil, bodies, &p, fieldsOfPeriod(p), nil)
	}
	return s.renderPeriodPage(w, r, http.StatusOK, p, bodies, "", nil)
}

// renderPeriodPage shows a stored period without the form, with the
// problems reopenErrs of reopening the deadline of reopenBody, if any.
func (s *server) renderPeriodPage(w http.ResponseWriter, r *http.Request, status int, p strategy.FollowUpPeriod,
	bodies []strategy.Body, reopenBody string, reopenErrs *formErrors) error {
	page, err := s.periodPageOf(r, p, bodies, reopenBody, reopenErrs)
	if err != nil {
		return err
	}
	return render(s, w, r, status, "period", page)
}

// postEditPeriod handles POST /uppfoljning/{id}.
func (s *server) postEditPeriod(w http.ResponseWriter, r *http.Request) error {
	stored, err := s.writablePeriod(r)
	if err != nil {
		return err
	}
	rev, err := parsePostedRev(r)
	if err != nil {
		return err
	}
	bodies, err := s.st.Bodies(r.Context(), stored.Org)
	if err != nil {
		return err
	}
	f := readPeriodFields(r, bodies)
	f.Rev = rev
	f.Year = yearText(stored.Year) // the year of a period stays
	if r.PostFormValue("fyll") != "" {
		return s.renderPeriodForm(w, r, http.StatusOK, stored.Org, nil, bodies, &stored, f.fillAll(), nil)
	}
	p, ps := f.period(stored.Org, bodies)
	if len(ps) > 0 {
		return s.renderPeriodForm(w, r, http.StatusUnprocessableEntity, stored.Org, nil, bodies, &stored, f, ps.form())
	}
	p.ID = stored.ID
	if _, err := s.updatePeriod(r, stored, p); err != nil {
		if ps, ok := periodProblems(err, p); ok {
			fe := withKnownFields(ps.form(), fieldSet(periodInputs(bodies)))
			return s.renderPeriodForm(w, r, http.StatusUnprocessableEntity, stored.Org, nil, bodies, &stored, f, fe)
		}
		if strategy.CodeOf(err) == strategy.CodeConflict {
			fresh, ferr := s.st.FollowUpPeriod(r.Context(), stored.ID)
			if ferr != nil {
				return ferr
			}
			fe := &formErrors{General: []string{conflictMessage}}
			return s.renderPeriodForm(w, r, http.StatusConflict, stored.Org, nil, bodies, &fresh, fieldsOfPeriod(fresh), fe)
		}
		return err
	}
	return seeOther(w, r, periodURL(stored.ID)+"?klart=sparad")
}

// postDeadlineStep handles POST /uppfoljning/{id}/{body}/{step}: rapportera,
// godkann or oppna (with a new due date).
func (s *server) postDeadlineStep(w http.ResponseWriter, r *http.Request) error {
	p, err := s.readPeriod(r, r.PathValue("id"))
	if err != nil {
		return err
	}
	name := r.PathValue("step")
	step, ok := deadlineSteps[name]
	if !ok || (name != "rapportera" && name != "godkann" && name != "oppna") {
		return strategy.Errorf(strategy.CodeNotFound, "Steget %q finns inte; det finns rapportera, godkann och oppna.", name)
	}
	if err := r.ParseForm(); err != nil {
		return strategy.Errorf(strategy.CodeInvalid, "Formuläret kunde inte läsas.")
	}
	body := r.PathValue("body")
	var due strategy.Date
	var ps inputProblems
	if step == strategy.DeadlineReopen {
		d, derr := strategy.ParseDate(strings.TrimSpace(r.PostFormValue("due")))
		switch {
		case derr != nil:
			ps.add("due", "must be a date YYYY-MM-DD", "Ange den nya sista dagen som ÅÅÅÅ-MM-DD.")
		case d.IsZero():
			ps.add("due", "is required", "Ange ny sista dag för uppföljningen.")
		}
		due = d
	}
	if len(ps) == 0 {
		_, err = s.takeStep(r, p, body, step, due)
		if err == nil {
			return seeOther(w, r, periodURL(p.ID)+"?klart="+stepDone[step])
		}
		vs, ok := storeProblems(err)
		switch {
		case ok:
			ps = vs
		case isLockError(err):
			return err
		case strategy.CodeOf(err) == strategy.CodeConflict:
			return strategy.Errorf(strategy.CodeConflict, "Uppföljningen har ändrats av någon annan sedan du öppnade sidan, så steget kunde inte tas. Ladda om sidan och försök igen.")
		default:
			return err
		}
	}
	bodies, err := s.st.Bodies(r.Context(), p.Org)
	if err != nil {
		return err
	}
	return s.renderPeriodPage(w, r, http.StatusUnprocessableEntity, p, bodies, body, ps.form())
}

// postRemind handles POST /uppfoljning/{id}/paminn: the reminders that are
// due are sent now rather than at the next scheduled round.
func (s *server) postRemind(w http.ResponseWriter, r *http.Request) error {
	p, err := s.writablePeriod(r)
	if err != nil {
		return err
	}
	if s.mailer == nil {
		return &statusError{status: http.StatusServiceUnavailable, code: string(strategy.CodeInternal),
			message: "E-post är inte inställd på servern, så påminnelser kan inte skickas. Be en administratör ställa in SMTP."}
	}
	out, err := followup.Send(r.Context(), s.st, s.mailer.sender, s.mailer.baseURL, s.now().In(followup.Sweden()), p)
	if err != nil {
		s.log.WarnContext(r.Context(), "sending follow-up reminders", "period", p.ID, "err", err.Error())
		if out.Sent == 0 && len(out.Failed) == 0 {
			return err
		}
	}
	return seeOther(w, r, periodURL(p.ID)+"?paminda="+strconv.Itoa(out.Sent)+"&misslyckade="+strconv.Itoa(len(out.Failed)))
}
