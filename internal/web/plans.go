package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/inkludera/inkludera/internal/auth"
	"github.com/inkludera/inkludera/internal/followup"
	"github.com/inkludera/inkludera/internal/strategy"
)

// Action plans live in a document's tree. This file holds what the plan
// pages, forms and API share: finding a plan for a request with the
// permission check, the lock of a follow-up, URLs and keys.

// planNotFound is the 404 of a plan that does not exist or that the user
// may not read: the two look the same.
const planNotFound = "Det finns ingen aktivitetsplan %q i dokumentet %q."

// planAt is a plan found in its document, with the document's bodies.
type planAt struct {
	doc    strategy.Document
	plan   strategy.ActionPlan
	bodies []strategy.Body
}

// bodyName is the name of a body of the plan's organisation, or its key.
func (p planAt) bodyName(key string) string { return bodyNameIn(p.bodies, key) }

func bodyNameIn(bodies []strategy.Body, key string) string {
	for _, b := range bodies {
		if b.Key == key {
			return b.Name
		}
	}
	return key
}

// planObject is an action plan as auth.Can sees it: public when decided in
// a published document.
func planObject(d strategy.Document, p strategy.ActionPlan) auth.Object {
	return auth.Object{Kind: auth.KindActionPlan, Org: d.Org, Body: p.Body,
		Published: documentPublished(d) && p.Status == strategy.PlanDecided}
}

// noteObject is a follow-up note of the plan as auth.Can sees it.
func noteObject(d strategy.Document, p strategy.ActionPlan) auth.Object {
	o := planObject(d, p)
	o.Kind = auth.KindFollowUpNote
	return o
}

// findPlan returns the index of the plan with the key, -1 when none.
func findPlan(d *strategy.Document, key string) int {
	for i, p := range d.ActionPlans {
		if p.Key == key {
			return i
		}
	}
	return -1
}

// findActivity returns the index of the activity with the key, -1 when none.
func findActivity(p *strategy.ActionPlan, key string) int {
	for i, a := range p.Activities {
		if a.Key == key {
			return i
		}
	}
	return -1
}

// readPlan finds a plan the request's user may read; anything else is the
// same 404.
func (s *server) readPlan(r *http.Request, docKey, planKey string) (planAt, error) {
	ctx := r.Context()
	doc, err := s.st.Document(ctx, docKey)
	if err != nil {
		return planAt{}, notFoundAs(err, planNotFound, planKey, docKey)
	}
	i := findPlan(&doc, planKey)
	if i < 0 || !auth.Can(userOf(r), auth.ActionRead, planObject(doc, doc.ActionPlans[i])) {
		return planAt{}, strategy.Errorf(strategy.CodeNotFound, planNotFound, planKey, docKey)
	}
	bodies, err := s.st.Bodies(ctx, doc.Org)
	if err != nil {
		return planAt{}, err
	}
	return planAt{doc: doc, plan: doc.ActionPlans[i], bodies: bodies}, nil
}

// editablePlan finds a plan for a change: 404 as readPlan (except that the
// public is sent to sign in, since what they cannot read they might after
// signing in), then 401/403 unless the user may do action with obj(plan).
func (s *server) editablePlan(r *http.Request, docKey, planKey string, action auth.Action,
	obj func(strategy.Document, strategy.ActionPlan) auth.Object) (planAt, error) {
	p, err := s.readPlan(r, docKey, planKey)
	if err != nil {
		if userOf(r) == nil && strategy.CodeOf(err) == strategy.CodeNotFound {
			if _, derr := s.st.Document(r.Context(), docKey); derr == nil {
				return planAt{}, errSignInRequired
			}
		}
		return planAt{}, err
	}
	if err := s.authorize(r, action, obj(p.doc, p.plan)); err != nil {
		return planAt{}, err
	}
	return p, nil
}

// documentForNewPlan reads a document in which the user is to create a plan:
// 404 when it does not exist or the user cannot read it (the public is sent
// to sign in), 401/403 when they may write no plan of its organisation.
func (s *server) documentForNewPlan(r *http.Request, docKey string) (strategy.Document, []strategy.Body, error) {
	ctx := r.Context()
	doc, err := s.st.Document(ctx, docKey)
	if err != nil {
		return strategy.Document{}, nil, notFoundAs(err, "Det finns inget dokument med nyckeln %q.", docKey)
	}
	u := userOf(r)
	if u == nil {
		return strategy.Document{}, nil, errSignInRequired
	}
	if !s.canSeeDocument(r, doc) {
		return strategy.Document{}, nil, strategy.Errorf(strategy.CodeNotFound, "Det finns inget dokument med nyckeln %q.", docKey)
	}
	bodies, err := s.st.Bodies(ctx, doc.Org)
	if err != nil {
		return strategy.Document{}, nil, err
	}
	if len(writablePlanBodies(u, doc, bodies)) == 0 {
		return strategy.Document{}, nil, errPlanForbidden
	}
	return doc, bodies, nil
}

// writablePlanBodies are the bodies whose plans u may keep in the document.
func writablePlanBodies(u *strategy.User, doc strategy.Document, bodies []strategy.Body) []strategy.Body {
	var out []strategy.Body
	for _, b := range bodies {
		if auth.Can(u, auth.ActionWrite, auth.Object{Kind: auth.KindActionPlan, Org: doc.Org, Body: b.Key}) {
			out = append(out, b)
		}
	}
	return out
}

// errPlanForbidden is the 403 of a signed-in user without the right.
var errPlanForbidden = strategy.Errorf(strategy.CodeForbidden, "Du har inte behörighet att göra detta.")

// today is the day in Sweden by the server's clock: deadlines are days of
// Sweden's calendar, as the store reads them.
func (s *server) today() strategy.Date { return strategy.DateOf(s.now().In(followup.Sweden())) }

// followUpLock says why a body's follow-up of a year cannot be changed.
type followUpLock struct {
	Message   string // Swedish: which period, why, and who can reopen it
	PeriodURL string
}

// lockOf returns the lock on the body's plans of the year, nil when none:
// the organisation's period for the year has a deadline for the body that
// is locked today (approved, or its due date passed).
func (s *server) lockOf(ctx context.Context, org, body string, year int, bodies []strategy.Body) (*followUpLock, error) {
	periods, err := s.st.FollowUpPeriods(ctx, org)
	if err != nil {
		return nil, err
	}
	today := s.today()
	for _, p := range periods {
		if p.Year != year {
			continue
		}
		for _, d := range p.Deadlines {
			if d.Body != body || !d.Locked(today) {
				continue
			}
			return &followUpLock{Message: lockMessage(p, d, bodyNameIn(bodies, body)), PeriodURL: periodURL(p.ID)}, nil
		}
	}
	return nil, nil
}

func lockMessage(p strategy.FollowUpPeriod, d strategy.BodyDeadline, bodyName string) string {
	why := "sista dagen för rapporten, " + d.Due.String() + ", har passerat"
	if !d.Approved.IsZero() {
		why = "den godkändes " + strategy.DateOf(d.Approved).String()
		if d.ApprovedBy != "" {
			why += " av " + d.ApprovedBy
		}
	}
	return "Uppföljningen ”" + p.Title + "” för " + bodyName + " är låst eftersom " + why +
		". Därför kan " + bodyName + "s aktivitetsplaner för " + strconv.Itoa(p.Year) +
		" inte ändras. En administratör kan öppna uppföljningen igen."
}

// errLocked is the 409 of a change to a locked follow-up.
func errLocked(l *followUpLock) error {
	return &lockError{err: strategy.Errorf(strategy.CodeConflict, "%s", l.Message)}
}

// checkUnlocked refuses (409) a change to the body's plans of the year
// while its follow-up is locked; admins too must reopen it first.
func (s *server) checkUnlocked(ctx context.Context, org, body string, year int, bodies []strategy.Body) error {
	l, err := s.lockOf(ctx, org, body, year, bodies)
	if err != nil {
		return err
	}
	if l != nil {
		return errLocked(l)
	}
	return nil
}

// URLs of the plan pages.

func planURL(doc, plan string) string {
	return "/dokument/" + url.PathEscape(doc) + "/planer/" + url.PathEscape(plan)
}

func editPlanURL(doc, plan string) string {
	return "/redigera/dokument/" + url.PathEscape(doc) + "/planer/" + url.PathEscape(plan)
}

func editActivityURL(doc, plan, act string) string {
	return editPlanURL(doc, plan) + "/aktiviteter/" + url.PathEscape(act)
}

func periodURL(id int64) string { return "/uppfoljning/" + strconv.FormatInt(id, 10) }

func planRef(doc, plan string) strategy.ObjectRef {
	return strategy.ObjectRef{Kind: strategy.ObjActionPlan, Document: doc, Key: plan}
}

// activityAnchor is the id of an activity's row on the plan page.
func activityAnchor(key string) string { return "aktivitet-" + key }

// derivePlanKey is the key of a new plan whose editor left it empty:
// body-year ("ks-2026"), numbered when taken anywhere in the document.
func derivePlanKey(d strategy.Document, body string, year int) string {
	keys := documentKeys(d)
	return deriveKey(body+" "+strconv.Itoa(year), "plan", func(k string) bool { return keys[k] })
}

// deriveActivityKey is the key of a new activity of the plan, from its title.
func deriveActivityKey(p strategy.ActionPlan, title string) string {
	return deriveKey(title, "aktivitet", func(k string) bool { return findActivity(&p, k) >= 0 })
}

// inputProblem is one problem with an input, for a form (Swedish, beside
// the field) and the API (English, with the Swedish beside it).
type inputProblem struct {
	Field   string // input name, the JSON field name
	English string
	Swedish string
}

// inputProblems collects problems; the first per field counts.
type inputProblems []inputProblem

func (ps *inputProblems) add(field, en, sv string) { *ps = append(*ps, inputProblem{field, en, sv}) }

// form turns the problems into what a form shows.
func (ps inputProblems) form() *formErrors {
	fe := &formErrors{}
	for _, p := range ps {
		if p.Field == "" {
			fe.General = append(fe.General, p.Swedish)
		} else {
			fe.Add(p.Field, p.Swedish)
		}
	}
	return fe
}

// storeProblems turns the validation errors of a store edit into input
// problems with the form's field names (the part of the path after the
// last list index); ok is false for other errors.
func storeProblems(err error) (inputProblems, bool) {
	var v strategy.ValidationErrors
	if !errors.As(err, &v) {
		return nil, false
	}
	var ps inputProblems
	for _, e := range v {
		ps.add(fieldOfPath(e.Path), e.Message, swedishMessage(e))
	}
	return ps, true
}

// withKnownFields moves problems of fields a form has no input for to the
// general messages.
func withKnownFields(fe *formErrors, inputs map[string]bool) *formErrors {
	out := &formErrors{General: fe.General}
	for f, msg := range fe.Fields {
		if inputs[f] {
			out.Add(f, msg)
		} else {
			out.General = append(out.General, msg)
		}
	}
	return out
}

// errorLinks are the entries of a form's error summary: each field's
// message linking to its input (ids are "f-" + name), then the general
// messages, in the order of names.
func errorLinks(fe *formErrors, order []string) []link {
	if fe == nil {
		return nil
	}
	var out []link
	seen := map[string]bool{}
	for _, name := range order {
		if msg := fe.Field(name); msg != "" {
			out = append(out, link{URL: "#" + inputID(name), Text: msg})
			seen[name] = true
		}
	}
	for name, msg := range fe.Fields {
		if !seen[name] {
			out = append(out, link{URL: "#" + inputID(name), Text: msg})
		}
	}
	for _, g := range fe.General {
		out = append(out, link{Text: g})
	}
	return out
}

// inputID is the id of a form input of the plan and follow-up forms named
// name: "f-" and the name with dots and underscores as hyphens.
func inputID(name string) string {
	return "f-" + strings.NewReplacer(".", "-", "_", "-", " ", "-").Replace(name)
}

// input is one text-like input of a form as its template shows it.
type input struct {
	Type, Name, ID, Label, Value, Hint, Error string
}

func newInput(fe *formErrors, name, label, value, hint string) input {
	return input{Type: "text", Name: name, ID: inputID(name), Label: label, Value: value, Hint: hint, Error: fe.Field(name)}
}

// typed returns the input with another type ("date", "number").
func (in input) typed(t string) input { in.Type = t; return in }

// DescribedBy is the aria-describedby of the input: its hint and error.
func (in input) DescribedBy() string {
	var ids []string
	if in.Hint != "" {
		ids = append(ids, in.ID+"-hint")
	}
	if in.Error != "" {
		ids = append(ids, in.ID+"-error")
	}
	return strings.Join(ids, " ")
}

// selectInput is a <select> with its options, after a first, empty one
// labelled None ("Välj organ").
type selectInput struct {
	input
	None    string
	Options []choice
}

// choice is a radio button or checkbox of a group, or an option.
type choice struct {
	ID, Value, Label string
	Checked          bool
	Indent           int // depth in a tree, for goals
}

// parsePostedRev parses the posted form and reads its hidden "rev" input, as
// postedRev: 0 when absent (see formRev for the forms of edit.html, where
// it is required).
func parsePostedRev(r *http.Request) (int64, error) {
	if err := r.ParseForm(); err != nil {
		return 0, strategy.Errorf(strategy.CodeInvalid, "Formuläret kunde inte läsas.")
	}
	return postedRev(r)
}

// postedRev reads the hidden "rev" input: 0 when absent (a new object).
// Call it after ParseForm (or ParseMultipartForm).
func postedRev(r *http.Request) (int64, error) {
	v := strings.TrimSpace(r.PostFormValue("rev"))
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, strategy.Errorf(strategy.CodeInvalid, "Formuläret saknar en giltig version (rev). Ladda om sidan och försök igen.")
	}
	return n, nil
}

// savedMessages are the confirmations a page shows after a redirect with
// ?sparat=code.
var savedMessages = map[string]string{
	"plan":       "Aktivitetsplanen är sparad.",
	"ny-plan":    "Aktivitetsplanen är skapad.",
	"beslut":     "Planen är beslutad.",
	"aktivitet":  "Aktiviteten är sparad.",
	"borttagen":  "Aktiviteten är borttagen.",
	"anteckning": "Anteckningen är sparad.",
	"import":     "Aktiviteterna från filen är sparade.",
	"fordelning": "Fördelningstalen är sparade som aktiviteter.",
}

// savedMessage is the confirmation the request's ?sparat= asks for.
func savedMessage(r *http.Request) string { return savedMessages[r.URL.Query().Get("sparat")] }

// seeOther answers a successful form post (post/redirect/get).
func seeOther(w http.ResponseWriter, r *http.Request, target string) error {
	http.Redirect(w, r, target, http.StatusSeeOther)
	return nil
}
