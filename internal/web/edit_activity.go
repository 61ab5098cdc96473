package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/inkludera/inkludera/internal/auth"
	"github.com/inkludera/inkludera/internal/strategy"
)

// otherTargetGroup is the radio button for a target group written freely.
const otherTargetGroup = "annan"

// activityFields are the activity form's values as typed, so that a form
// shown again has exactly what the editor entered.
type activityFields struct {
	Key, TargetGroup, OtherGroup, Title, Description, Time string
	Responsible, FollowUp, Status, Progress                string
	Goals                                                  []string
}

// activityInputs are the activity form's inputs, in their order.
var activityInputs = []string{"key", "target_group", "target_group_other", "title", "description", "time",
	"responsible", "follow_up", "goals", "status", "progress"}

// fieldsOf fills the form from a stored activity: a target group that is
// one of the seeds' is its radio button, any other is "Annan målgrupp".
func fieldsOf(a strategy.Activity) activityFields {
	f := activityFields{Key: a.Key, Title: a.Title, Description: a.Description, Time: a.Time,
		Responsible: a.Responsible, FollowUp: a.FollowUp.String(), Status: string(a.Status), Goals: a.Goals}
	if a.Progress != nil {
		f.Progress = strconv.Itoa(*a.Progress)
	}
	for _, g := range strategy.TargetGroups {
		if strings.EqualFold(g, strings.TrimSpace(a.TargetGroup)) {
			f.TargetGroup = g
		}
	}
	if f.TargetGroup == "" && a.TargetGroup != "" {
		f.TargetGroup, f.OtherGroup = otherTargetGroup, a.TargetGroup
	}
	return f
}

func readActivityFields(r *http.Request) activityFields {
	v := func(name string) string { return strings.TrimSpace(r.PostFormValue(name)) }
	return activityFields{
		Key: v("key"), TargetGroup: v("target_group"), OtherGroup: v("target_group_other"), Title: v("title"),
		Description: v("description"), Time: v("time"), Responsible: v("responsible"),
		FollowUp: v("follow_up"), Status: v("status"), Progress: v("progress"),
		Goals: slices.DeleteFunc(slices.Clone(r.PostForm["goals"]), func(g string) bool { return strings.TrimSpace(g) == "" }),
	}
}

// activity reads the typed values; the problems are those the domain's
// validation cannot see (text that is no date or number, "Annan målgrupp"
// without a text) and the required fields, so that a form with a typing
// mistake lists everything missing at once.
func (f activityFields) activity() (strategy.Activity, inputProblems) {
	var ps inputProblems
	a := strategy.Activity{Key: f.Key, Title: f.Title, Description: f.Description, Time: f.Time,
		Responsible: f.Responsible, Status: strategy.ActivityStatus(f.Status), Goals: f.Goals}
	switch f.TargetGroup {
	case "":
		ps.add("target_group", "is required", "Välj målgrupp.")
	case otherTargetGroup:
		if f.OtherGroup == "" {
			ps.add("target_group_other", "is required for another target group", "Skriv vilken målgrupp aktiviteten har.")
		}
		a.TargetGroup = f.OtherGroup
	default:
		a.TargetGroup = f.TargetGroup
	}
	if f.Title == "" {
		ps.add("title", "is required", "Ange vad aktiviteten är.")
	}
	if d, err := strategy.ParseDate(f.FollowUp); err != nil {
		ps.add("follow_up", "must be a date YYYY-MM-DD", "Ange datumet för uppföljningen som ÅÅÅÅ-MM-DD, till exempel 2026-06-30.")
	} else {
		a.FollowUp = d
	}
	if p := strings.TrimSpace(strings.TrimSuffix(f.Progress, "%")); p != "" {
		if n, ok := parseWholeNumber(p); ok {
			a.Progress = &n
		} else {
			ps.add("progress", "must be a whole number 0–100", "Ange hur stor del som är klar som ett heltal från 0 till 100.")
		}
	}
	if !a.Status.Valid() {
		ps.add("status", "is required", "Välj status.")
	}
	return a, ps
}

// activityEditPage is the form of one activity, its notes and the form
// for a new note.
type activityEditPage struct {
	Title        string
	New          bool
	Action       string
	DeleteAction string
	BackURL      string
	PlanTitle    string
	Errors       []link
	Conflict     bool

	Key          input
	TargetGroups []choice
	GroupError   string
	OtherGroup   input
	ActTitle     input
	Description  input
	Time         input
	Responsible  input
	FollowUp     input
	Goals        []choice
	GoalsError   string
	Statuses     []choice
	StatusError  string
	Progress     input
	Rev          int64

	Notes      []planNoteView
	CanNote    bool
	NoteAction string
	NoteDate   input
	NoteText   input
	HistoryURL string
}

// noteInputs are the note form's inputs.
var noteInputs = []string{"date", "text"}

// activityEditPageOf builds the page for key ("ny" for a new activity) with
// the values f; fe are the activity form's problems, ne the note form's.
func (s *server) activityEditPageOf(r *http.Request, p planAt, key string, f activityFields, rev int64,
	fe, ne *formErrors) activityEditPage {
	docKey, planKey := p.doc.Key, p.plan.Key
	page := activityEditPage{
		New:          key == "ny",
		Action:       editActivityURL(docKey, planKey, key),
		DeleteAction: editActivityURL(docKey, planKey, key) + "/ta-bort",
		NoteAction:   editActivityURL(docKey, planKey, key) + "/anteckningar",
		BackURL:      planURL(docKey, planKey),
		PlanTitle:    planTitle(p.plan, p.bodyName(p.plan.Body)),
		Rev:          rev,
		Key:          newInput(fe, "key", "Nyckel (valfri)", f.Key, "Används i adressen. Lämnas den tom skapas den av aktivitetens namn."),
		OtherGroup:   newInput(fe, "target_group_other", "Annan målgrupp", f.OtherGroup, "Skriv målgruppen om du valt ”Annan målgrupp”."),
		ActTitle:     newInput(fe, "title", "Aktivitet", f.Title, ""),
		Description:  newInput(fe, "description", "Beskrivning (valfri)", f.Description, "").typed("textarea"),
		Time: newInput(fe, "time", "Tid (valfri)", f.Time,
			"Ett datum, en period eller ett kvartal, till exempel 2026-03-01/2026-06-30, 2026-Q2 eller kvartal 2 2026."),
		Responsible: newInput(fe, "responsible", "Ansvarig (valfri)", f.Responsible, "Till exempel en förvaltning eller en befattning."),
		FollowUp:    newInput(fe, "follow_up", "Uppföljning (valfri)", f.FollowUp, "Datum då aktiviteten följs upp, ÅÅÅÅ-MM-DD.").typed("date"),
		Progress:    newInput(fe, "progress", "Klart (procent, valfritt)", f.Progress, "Hur stor del som är gjord, från 0 till 100.").typed("number"),
		GroupError:  fe.Field("target_group"),
		GoalsError:  fe.Field("goals"),
		StatusError: fe.Field("status"),
		CanNote:     auth.Can(userOf(r), auth.ActionWrite, noteObject(p.doc, p.plan)) && key != "ny",
	}
	if page.New {
		page.Title = "Ny aktivitet i " + page.PlanTitle
	} else {
		page.Title = "Ändra aktiviteten ”" + f.Title + "”"
		page.HistoryURL = historyURL(strategy.ActivityRef(docKey, planKey, key))
	}
	for i, g := range append(slices.Clone(strategy.TargetGroups), otherTargetGroup) {
		label := strings.ToUpper(g[:1]) + g[1:]
		if g == otherTargetGroup {
			label = "Annan målgrupp"
		}
		page.TargetGroups = append(page.TargetGroups, choice{ID: choiceID("target_group", i), Value: g, Label: label, Checked: f.TargetGroup == g})
	}
	for i, g := range documentGoals(p.doc) {
		page.Goals = append(page.Goals, choice{ID: choiceID("goals", i), Value: g.Key,
			Label: goalLevelLabel(g.Level) + ": " + g.Title, Checked: slices.Contains(f.Goals, g.Key), Indent: g.Depth})
	}
	for i, st := range activityStatuses {
		page.Statuses = append(page.Statuses, choice{ID: choiceID("status", i), Value: string(st),
			Label: strings.ToUpper(activityStatusLabel(st)[:1]) + activityStatusLabel(st)[1:], Checked: f.Status == string(st)})
	}
	if i := findActivity(&p.plan, key); i >= 0 {
		for _, n := range p.plan.Activities[i].Notes {
			page.Notes = append(page.Notes, planNoteView{Date: n.Date.String(), Text: n.Text, Author: n.Author})
		}
	}
	noteDate := s.today().String()
	if ne.Any() {
		noteDate = r.PostFormValue("date")
	}
	noteText := ""
	if ne.Any() {
		noteText = r.PostFormValue("text")
	}
	page.NoteDate = newInput(ne, "date", "Datum", noteDate, "Dagen som anteckningen gäller.").typed("date")
	page.NoteText = newInput(ne, "text", "Anteckning", noteText, "Till exempel vad som har gjorts eller varför aktiviteten är försenad.").typed("textarea")
	page.Errors = append(errorLinks(fe, activityInputs), errorLinks(ne, noteInputs)...)
	return page
}

// choiceID is the id of the n-th radio button or checkbox of a group: the
// first has the group's field id, so that an error summary links to it.
func choiceID(name string, n int) string {
	if n == 0 {
		return inputID(name)
	}
	return inputID(name) + "-" + strconv.Itoa(n)
}

// activityForEdit finds the plan for an activity form and checks that its
// follow-up is open.
func (s *server) activityForEdit(r *http.Request) (planAt, error) {
	p, err := s.editablePlan(r, r.PathValue("doc"), r.PathValue("plan"), auth.ActionWrite, planObject)
	if err != nil {
		return planAt{}, err
	}
	if err := s.checkUnlocked(r.Context(), p.doc.Org, p.plan.Body, p.plan.Year, p.bodies); err != nil {
		return planAt{}, err
	}
	return p, nil
}

// pageEditActivity handles GET …/aktiviteter/{act}.
func (s *server) pageEditActivity(w http.ResponseWriter, r *http.Request) error {
	p, err := s.activityForEdit(r)
	if err != nil {
		return err
	}
	key := r.PathValue("act")
	if key == "ny" {
		f := activityFields{Status: string(strategy.ActivityPlanned)}
		return render(s, w, r, http.StatusOK, "activity_edit", s.activityEditPageOf(r, p, key, f, 0, nil, nil))
	}
	i := findActivity(&p.plan, key)
	if i < 0 {
		return strategy.Errorf(strategy.CodeNotFound, "Det finns ingen aktivitet %q i planen.", key)
	}
	a := p.plan.Activities[i]
	return render(s, w, r, http.StatusOK, "activity_edit", s.activityEditPageOf(r, p, key, fieldsOf(a), a.Rev, nil, nil))
}

// postEditActivity handles POST …/aktiviteter/{act}: a new activity ("ny")
// or a change of one.
func (s *server) postEditActivity(w http.ResponseWriter, r *http.Request) error {
	p, err := s.activityForEdit(r)
	if err != nil {
		return err
	}
	rev, err := parsePostedRev(r)
	if err != nil {
		return err
	}
	key := r.PathValue("act")
	f := readActivityFields(r)
	a, ps := f.activity()
	if key == "ny" {
		rev = 0
		if a.Key == "" {
			a.Key = deriveActivityKey(p.plan, a.Title)
		}
	} else {
		if findActivity(&p.plan, key) < 0 {
			return strategy.Errorf(strategy.CodeNotFound, "Det finns ingen aktivitet %q i planen.", key)
		}
		a.Key = key
	}
	if len(ps) > 0 {
		return render(s, w, r, http.StatusUnprocessableEntity, "activity_edit", s.activityEditPageOf(r, p, key, f, rev, ps.form(), nil))
	}
	stored, err := s.putActivity(r, p, a, rev)
	if err != nil {
		return s.activityEditFailed(w, r, p, key, f, rev, err)
	}
	return seeOther(w, r, planURL(p.doc.Key, p.plan.Key)+"?sparat=aktivitet#"+activityAnchor(stored.Key))
}

// activityEditFailed shows the activity form again after a refused save:
// 422 with the problems beside the fields, or 409 with the conflict
// message and what is stored now, with its Rev.
func (s *server) activityEditFailed(w http.ResponseWriter, r *http.Request, p planAt, key string,
	f activityFields, rev int64, err error) error {
	if isLockError(err) {
		return err
	}
	if vs, ok := storeProblems(err); ok {
		fe := withKnownFields(vs.form(), fieldSet(activityInputs))
		return render(s, w, r, http.StatusUnprocessableEntity, "activity_edit", s.activityEditPageOf(r, p, key, f, rev, fe, nil))
	}
	if strategy.CodeOf(err) != strategy.CodeConflict {
		return err
	}
	fresh, ferr := s.readPlan(r, p.doc.Key, p.plan.Key)
	if ferr != nil {
		return ferr
	}
	fe := &formErrors{General: []string{conflictMessage}}
	storedKey := key
	if key == "ny" {
		storedKey = f.Key
	}
	if i := findActivity(&fresh.plan, storedKey); i >= 0 {
		a := fresh.plan.Activities[i]
		if key == "ny" {
			fe.General = []string{"Det finns redan en aktivitet med nyckeln ”" + a.Key + "” i planen. Välj en annan nyckel eller lämna fältet tomt."}
			page := s.activityEditPageOf(r, fresh, key, f, 0, fe, nil)
			page.Conflict = true
			return render(s, w, r, http.StatusConflict, "activity_edit", page)
		}
		page := s.activityEditPageOf(r, fresh, key, fieldsOf(a), a.Rev, fe, nil)
		page.Conflict = true
		return render(s, w, r, http.StatusConflict, "activity_edit", page)
	}
	if key != "ny" {
		return strategy.Errorf(strategy.CodeNotFound, "Aktiviteten har tagits bort av någon annan sedan du öppnade formuläret.")
	}
	return err
}

// postDeleteActivity handles POST …/aktiviteter/{act}/ta-bort.
func (s *server) postDeleteActivity(w http.ResponseWriter, r *http.Request) error {
	p, err := s.activityForEdit(r)
	if err != nil {
		return err
	}
	rev, err := parsePostedRev(r)
	if err != nil {
		return err
	}
	key := r.PathValue("act")
	i := findActivity(&p.plan, key)
	if i < 0 {
		return strategy.Errorf(strategy.CodeNotFound, "Det finns ingen aktivitet %q i planen.", key)
	}
	if err := s.deleteActivity(r, p, key, rev); err != nil {
		return s.activityEditFailed(w, r, p, key, fieldsOf(p.plan.Activities[i]), rev, err)
	}
	return seeOther(w, r, planURL(p.doc.Key, p.plan.Key)+"?sparat=borttagen")
}

// postAddNote handles POST …/aktiviteter/{act}/anteckningar: a dated
// follow-up note by the signed-in user.
func (s *server) postAddNote(w http.ResponseWriter, r *http.Request) error {
	p, err := s.editablePlan(r, r.PathValue("doc"), r.PathValue("plan"), auth.ActionWrite, noteObject)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return strategy.Errorf(strategy.CodeInvalid, "Formuläret kunde inte läsas.")
	}
	key := r.PathValue("act")
	i := findActivity(&p.plan, key)
	if i < 0 {
		return strategy.Errorf(strategy.CodeNotFound, "Det finns ingen aktivitet %q i planen.", key)
	}
	n := noteInput{Text: r.PostFormValue("text")}
	var ps inputProblems
	if d, err := strategy.ParseDate(strings.TrimSpace(r.PostFormValue("date"))); err != nil {
		ps.add("date", "must be a date YYYY-MM-DD", "Ange datumet som ÅÅÅÅ-MM-DD, till exempel 2026-03-15.")
	} else {
		n.Date = d
		ps = append(ps, checkNote(n)...)
	}
	if len(ps) == 0 {
		_, err = s.addNote(r, p, key, n)
		if err == nil {
			return seeOther(w, r, planURL(p.doc.Key, p.plan.Key)+"?sparat=anteckning#"+activityAnchor(key))
		}
		if isLockError(err) {
			return err
		}
		vs, ok := storeProblems(err)
		if !ok {
			return err
		}
		ps = vs
	}
	a := p.plan.Activities[i]
	fe := withKnownFields(ps.form(), fieldSet(noteInputs))
	return render(s, w, r, http.StatusUnprocessableEntity, "activity_edit", s.activityEditPageOf(r, p, key, fieldsOf(a), a.Rev, nil, fe))
}
