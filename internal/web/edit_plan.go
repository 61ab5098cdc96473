package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/inkludera/inkludera/internal/auth"
	"github.com/inkludera/inkludera/internal/strategy"
)

// planEditPage is the form of a plan's head (title, body, year; a new
// plan's key) and, for a draft the user may decide, the decision form.
type planEditPage struct {
	Title    string
	New      bool
	Action   string
	BackURL  string
	BackText string
	Errors   []link
	// Conflict is set when the form shows the stored values after a
	// concurrent save.
	Conflict bool
	Key      input
	PlanName input
	Body     selectInput
	Year     input
	Rev      int64
	Decide   *planDecideForm
	Decided  string
}

// planDecideForm registers the decision that makes the plan beslutad.
type planDecideForm struct {
	Action    string
	Reference input
	On        input
	Rev       int64
}

// planHeadInputs are the inputs of the head form, in their order.
var planHeadInputs = []string{"key", "title", "body", "year"}

// planDecisionInputs are those of the decision form.
var planDecisionInputs = []string{"decision.reference", "decision.on"}

// pageEditPlan handles GET /redigera/dokument/{doc}/planer/{plan}.
func (s *server) pageEditPlan(w http.ResponseWriter, r *http.Request) error {
	docKey, planKey := r.PathValue("doc"), r.PathValue("plan")
	if planKey == "ny" {
		doc, bodies, err := s.documentForNewPlan(r, docKey)
		if err != nil {
			return err
		}
		h := planHead{Year: s.now().Year()}
		if own := writablePlanBodies(userOf(r), doc, bodies); len(own) == 1 {
			h.Body = own[0].Key
		}
		return render(s, w, r, http.StatusOK, "plan_edit", s.planEditPageOf(r, doc, bodies, nil, h, nil, nil))
	}
	p, err := s.editablePlan(r, docKey, planKey, auth.ActionWrite, planObject)
	if err != nil {
		return err
	}
	if err := s.checkUnlocked(r.Context(), p.doc.Org, p.plan.Body, p.plan.Year, p.bodies); err != nil {
		return err
	}
	return render(s, w, r, http.StatusOK, "plan_edit", s.planEditPageOf(r, p.doc, p.bodies, &p.plan, headOf(p.plan), nil, nil))
}

func headOf(p strategy.ActionPlan) planHead {
	return planHead{Key: p.Key, Body: p.Body, Year: p.Year, Title: p.Title, Rev: p.Rev}
}

// planEditPageOf builds the form page: for plan nil a new plan; headErrs
// and decErrs are the problems of the head and the decision forms.
func (s *server) planEditPageOf(r *http.Request, doc strategy.Document, bodies []strategy.Body,
	plan *strategy.ActionPlan, h planHead, headErrs, decErrs *formErrors) planEditPage {
	u := userOf(r)
	page := planEditPage{
		New:      plan == nil,
		Key:      newInput(headErrs, "key", "Nyckel (valfri)", h.Key, "Används i adressen. Lämnas den tom skapas den av organ och år, till exempel ks-2026."),
		PlanName: newInput(headErrs, "title", "Rubrik", h.Title, "Till exempel ”Aktivitetsplan för integration 2026”. Lämnas den tom visas organ och år."),
		Year:     newInput(headErrs, "year", "År", yearText(h.Year), "Året som planen gäller, till exempel 2026.").typed("number"),
		Rev:      h.Rev,
		BackURL:  documentURL(doc.Key),
		BackText: "Tillbaka till " + doc.Title,
	}
	page.Body = selectInput{input: newInput(headErrs, "body", "Organ", h.Body, ""), None: "Välj organ"}
	for _, b := range writablePlanBodies(u, doc, bodies) {
		page.Body.Options = append(page.Body.Options, choice{Value: b.Key, Label: b.Name, Checked: b.Key == h.Body})
	}
	if plan == nil {
		page.Title = "Ny aktivitetsplan i " + doc.Title
		page.Action = editPlanURL(doc.Key, "ny")
	} else {
		page.Title = "Ändra " + planTitle(*plan, bodyNameIn(bodies, plan.Body))
		page.Action = editPlanURL(doc.Key, plan.Key)
		page.BackURL, page.BackText = planURL(doc.Key, plan.Key), "Tillbaka till planen"
		if plan.Status == strategy.PlanDecided {
			page.Decided = "Planen är beslutad: " + plan.Decision.Reference + ", " + plan.Decision.On.String() + "."
		} else if auth.Can(u, auth.ActionPublish, planObject(doc, *plan)) {
			on := ""
			if decErrs.Any() {
				on = r.PostFormValue("decision.on")
			}
			page.Decide = &planDecideForm{
				Action:    editPlanURL(doc.Key, plan.Key) + "/beslut",
				Reference: newInput(decErrs, "decision.reference", "Beslut", r.PostFormValue("decision.reference"), "Vilket beslut som fastställde planen, till exempel ”BUN 2026-02-12 § 14”."),
				On:        newInput(decErrs, "decision.on", "Beslutsdatum", on, "").typed("date"),
				Rev:       plan.Rev,
			}
		}
	}
	page.Errors = append(errorLinks(headErrs, planHeadInputs), errorLinks(decErrs, planDecisionInputs)...)
	return page
}

func yearText(y int) string {
	if y == 0 {
		return ""
	}
	return strconv.Itoa(y)
}

// postEditPlan handles POST /redigera/dokument/{doc}/planer/{plan}: a new
// plan ("ny") or a change of a plan's head.
func (s *server) postEditPlan(w http.ResponseWriter, r *http.Request) error {
	docKey, planKey := r.PathValue("doc"), r.PathValue("plan")
	rev, err := parsePostedRev(r)
	if err != nil {
		return err
	}
	h := planHead{Key: planKey, Body: strings.TrimSpace(r.PostFormValue("body")),
		Title: strings.TrimSpace(r.PostFormValue("title")), Rev: rev}
	var ps inputProblems
	yearIn := strings.TrimSpace(r.PostFormValue("year"))
	if y, ok := parseWholeNumber(yearIn); ok {
		h.Year = y
	} else {
		ps.add("year", "must be a year such as 2026", "Ange året med fyra siffror, till exempel 2026.")
	}
	if h.Body == "" {
		ps.add("body", "is required", "Välj vilket organ planen gäller.")
	}
	// The document and the plan, for the page shown again.
	doc, bodies, err := s.documentForNewPlan(r, docKey)
	if err != nil {
		return err
	}
	var existing *strategy.ActionPlan
	if planKey == "ny" {
		h.Key = strings.TrimSpace(r.PostFormValue("key"))
		if h.Key == "" && len(ps) == 0 {
			h.Key = derivePlanKey(doc, h.Body, h.Year)
		}
		h.Rev = 0
	} else {
		i := findPlan(&doc, planKey)
		if i < 0 || !auth.Can(userOf(r), auth.ActionRead, planObject(doc, doc.ActionPlans[i])) {
			return strategy.Errorf(strategy.CodeNotFound, planNotFound, planKey, docKey)
		}
		existing = &doc.ActionPlans[i]
	}
	show := func(status int, fe *formErrors, h planHead, plan *strategy.ActionPlan) error {
		if planKey == "ny" && status != http.StatusConflict {
			h.Key = r.PostFormValue("key")
		}
		page := s.planEditPageOf(r, doc, bodies, plan, h, fe, nil)
		page.Year.Value = yearIn
		if status == http.StatusConflict {
			page.Conflict = true
			page.Year.Value = yearText(h.Year)
		}
		return render(s, w, r, status, "plan_edit", page)
	}
	if len(ps) > 0 {
		return show(http.StatusUnprocessableEntity, ps.form(), h, existing)
	}
	stored, err := s.putPlanHead(r, docKey, h)
	if err != nil {
		if isLockError(err) {
			return err
		}
		if vs, ok := storeProblems(err); ok {
			return show(http.StatusUnprocessableEntity, withKnownFields(vs.form(), fieldSet(planHeadInputs)), h, existing)
		}
		if strategy.CodeOf(err) == strategy.CodeConflict {
			// Show what is stored now, with its Rev.
			fresh, ferr := s.st.Document(r.Context(), docKey)
			if ferr != nil {
				return ferr
			}
			doc = fresh
			fe := &formErrors{General: []string{conflictMessage}}
			if i := findPlan(&fresh, h.Key); i >= 0 {
				if planKey == "ny" {
					fe.General = []string{"Det finns redan en aktivitetsplan med nyckeln ”" + h.Key + "”. Välj en annan nyckel eller lämna fältet tomt."}
					return show(http.StatusConflict, fe, h, nil)
				}
				return show(http.StatusConflict, fe, headOf(fresh.ActionPlans[i]), &fresh.ActionPlans[i])
			}
			return show(http.StatusConflict, fe, h, existing)
		}
		return err
	}
	saved := "plan"
	if planKey == "ny" {
		saved = "ny-plan"
	}
	return seeOther(w, r, planURL(docKey, stored.Key)+"?sparat="+saved)
}

// fieldSet makes a set of input names.
func fieldSet(names []string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// postDecidePlan handles POST /redigera/dokument/{doc}/planer/{plan}/beslut:
// utkast → beslutad with the decision's reference and date.
func (s *server) postDecidePlan(w http.ResponseWriter, r *http.Request) error {
	p, err := s.editablePlan(r, r.PathValue("doc"), r.PathValue("plan"), auth.ActionPublish, planObject)
	if err != nil {
		return err
	}
	rev, err := parsePostedRev(r)
	if err != nil {
		return err
	}
	dec := planDecision{Reference: strings.TrimSpace(r.PostFormValue("decision.reference")), Rev: rev}
	var ps inputProblems
	if dec.Reference == "" {
		ps.add("decision.reference", "is required", "Ange vilket beslut som fastställde planen, till exempel ”BUN 2026-02-12 § 14”.")
	}
	on, derr := strategy.ParseDate(strings.TrimSpace(r.PostFormValue("decision.on")))
	switch {
	case derr != nil:
		ps.add("decision.on", "must be a date YYYY-MM-DD", "Ange beslutsdatumet som ÅÅÅÅ-MM-DD, till exempel 2026-02-12.")
	case on.IsZero():
		ps.add("decision.on", "is required", "Ange vilket datum planen beslutades.")
	}
	dec.On = on
	show := func(status int, fe *formErrors, plan strategy.ActionPlan) error {
		page := s.planEditPageOf(r, p.doc, p.bodies, &plan, headOf(plan), nil, fe)
		page.Conflict = status == http.StatusConflict
		return render(s, w, r, status, "plan_edit", page)
	}
	if len(ps) > 0 {
		return show(http.StatusUnprocessableEntity, ps.form(), p.plan)
	}
	if _, err := s.decidePlan(r, p, dec); err != nil {
		if isLockError(err) {
			return err
		}
		if vs, ok := storeProblems(err); ok {
			return show(http.StatusUnprocessableEntity, withKnownFields(vs.form(), fieldSet(planDecisionInputs)), p.plan)
		}
		if strategy.CodeOf(err) == strategy.CodeConflict {
			fresh, ferr := s.readPlan(r, p.doc.Key, p.plan.Key)
			if ferr != nil {
				return ferr
			}
			p.doc = fresh.doc
			return show(http.StatusConflict, &formErrors{General: []string{conflictMessage}}, fresh.plan)
		}
		return err
	}
	return seeOther(w, r, planURL(p.doc.Key, p.plan.Key)+"?sparat=beslut")
}
