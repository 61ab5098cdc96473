package web

import (
	"net/http"
	"strconv"

	"github.com/inkludera/inkludera/internal/auth"
	"github.com/inkludera/inkludera/internal/describe"
	"github.com/inkludera/inkludera/internal/strategy"
)

// planPage is an action plan as the seeds lay it out (målgrupp, aktivitet,
// tid, ansvarig, uppföljning) with status, progress, goals and notes, and
// for those who keep it the ways to change it.
type planPage struct {
	Title       string
	DocTitle    string
	DocURL      string
	OrgName     string
	BodyName    string
	Year        int
	StatusLabel string
	Decision    string // "BUN 2026-02-12 § 14, 2026-02-12"; "" for a draft
	Saved       string // confirmation after a redirect
	Lock        *followUpLock
	Counts      []planStatusCount
	Total       int
	Overdue     int
	Activities  []planActivityRow

	CanEdit    bool // head, activities, import
	CanDecide  bool
	CanNote    bool
	EditURL    string
	NewURL     string // a new activity
	ExportURL  string
	ImportURL  string
	HistoryURL string
	Rev        int64
	// Import is set after an XLSX upload that was refused.
	Import *planImportProblems
}

// planStatusCount is how many activities have a status.
type planStatusCount struct {
	Label string
	Count int
}

// planActivityRow is one activity of the plan's table.
type planActivityRow struct {
	ID          string
	TargetGroup string
	Title       string
	Description string
	Time        string
	Responsible string
	FollowUp    string
	Status      string // code, for styling only
	StatusLabel string
	Progress    string // "40 %", "" when not estimated
	ProgressN   int
	HasProgress bool
	Overdue     string // why the activity is late, in words; "" when it is not
	Goals       []link
	Notes       []planNoteView
	EditURL     string
	NoteURL     string
	HistoryURL  string
}

type planNoteView struct {
	Date   string
	Text   string
	Author string
}

// planImportProblems are the problems of an uploaded file, each with its
// cell, shown when nothing was stored.
type planImportProblems struct {
	FileName string
	Problems []string
}

// pagePlan handles GET /dokument/{doc}/planer/{plan}.
func (s *server) pagePlan(w http.ResponseWriter, r *http.Request) error {
	p, err := s.readPlan(r, r.PathValue("doc"), r.PathValue("plan"))
	if err != nil {
		return err
	}
	page, err := s.planPageOf(r, p)
	if err != nil {
		return err
	}
	page.Saved = savedMessage(r)
	return render(s, w, r, http.StatusOK, "plan", page)
}

// planPageOf builds the plan's page for the request's user.
func (s *server) planPageOf(r *http.Request, p planAt) (planPage, error) {
	ctx := r.Context()
	u := userOf(r)
	org, err := s.st.Organisation(ctx, p.doc.Org)
	if err != nil {
		return planPage{}, err
	}
	lock, err := s.lockOf(ctx, p.doc.Org, p.plan.Body, p.plan.Year, p.bodies)
	if err != nil {
		return planPage{}, err
	}
	docKey, planKey := p.doc.Key, p.plan.Key
	obj := planObject(p.doc, p.plan)
	page := planPage{
		Title:       planTitle(p.plan, p.bodyName(p.plan.Body)),
		DocTitle:    p.doc.Title,
		DocURL:      documentURL(docKey),
		OrgName:     org.Name,
		BodyName:    p.bodyName(p.plan.Body),
		Year:        p.plan.Year,
		StatusLabel: planStatusLabel(p.plan.Status),
		Lock:        lock,
		CanEdit:     auth.Can(u, auth.ActionWrite, obj) && lock == nil,
		CanDecide:   auth.Can(u, auth.ActionPublish, obj) && lock == nil && p.plan.Status == strategy.PlanDraft,
		CanNote:     auth.Can(u, auth.ActionWrite, noteObject(p.doc, p.plan)) && lock == nil,
		EditURL:     editPlanURL(docKey, planKey),
		NewURL:      editActivityURL(docKey, planKey, "ny"),
		ExportURL:   planURL(docKey, planKey) + "/plan.xlsx",
		ImportURL:   editPlanURL(docKey, planKey) + "/import",
		Rev:         p.plan.Rev,
		Total:       len(p.plan.Activities),
	}
	if u != nil {
		page.HistoryURL = historyURL(planRef(docKey, planKey))
	}
	if p.plan.Status == strategy.PlanDecided {
		page.Decision = p.plan.Decision.Reference
		if on := p.plan.Decision.On.String(); on != "" {
			if page.Decision != "" {
				page.Decision += ", "
			}
			page.Decision += "beslutad " + on
		}
	}
	counts := map[strategy.ActivityStatus]int{}
	goals := goalTitles(p.doc)
	today := s.today()
	for _, a := range p.plan.Activities {
		counts[a.Status]++
		row := planActivityRow{
			ID:          activityAnchor(a.Key),
			TargetGroup: a.TargetGroup,
			Title:       a.Title,
			Description: a.Description,
			Time:        a.Time,
			Responsible: a.Responsible,
			FollowUp:    a.FollowUp.String(),
			Status:      string(a.Status),
			StatusLabel: activityStatusLabel(a.Status),
			Overdue:     activityOverdue(a, today),
			EditURL:     editActivityURL(docKey, planKey, a.Key),
			NoteURL:     editActivityURL(docKey, planKey, a.Key) + "#ny-anteckning",
		}
		if u != nil {
			row.HistoryURL = historyURL(strategy.ActivityRef(docKey, planKey, a.Key))
		}
		if a.Progress != nil {
			row.HasProgress, row.ProgressN = true, *a.Progress
			row.Progress = strconv.Itoa(*a.Progress) + "\u00a0%"
		}
		if row.Overdue != "" {
			page.Overdue++
		}
		for _, g := range a.Goals {
			if title, ok := goals[g]; ok {
				row.Goals = append(row.Goals, link{URL: documentURL(docKey) + "#mal-" + g, Text: title})
			} else {
				row.Goals = append(row.Goals, link{Text: g})
			}
		}
		for _, n := range a.Notes {
			row.Notes = append(row.Notes, planNoteView{Date: n.Date.String(), Text: n.Text, Author: n.Author})
		}
		page.Activities = append(page.Activities, row)
	}
	for _, st := range activityStatuses {
		page.Counts = append(page.Counts, planStatusCount{Label: activityStatusLabel(st), Count: counts[st]})
	}
	return page, nil
}

// activityStatuses lists the statuses in the order of an activity's life.
var activityStatuses = describe.ActivityStatuses

// planTitle is the plan's heading: its title, or "Aktivitetsplan för Kommunstyrelsen 2026".
func planTitle(p strategy.ActionPlan, bodyName string) string {
	if p.Title != "" {
		return p.Title
	}
	return "Aktivitetsplan för " + bodyName + " " + strconv.Itoa(p.Year)
}

// goalTitles maps every goal of the document to its title.
func goalTitles(d strategy.Document) map[string]string {
	titles := map[string]string{}
	for _, g := range documentGoals(d) {
		titles[g.Key] = g.Title
	}
	return titles
}

// goalEntry is a goal of a document with its depth in the goal tree.
type goalEntry struct {
	Key, Title string
	Level      strategy.GoalLevel
	Depth      int
	Area       string
}

// documentGoals lists the document's goals depth first, in order.
func documentGoals(d strategy.Document) []goalEntry {
	var out []goalEntry
	var walk func(area string, gs []strategy.Goal, depth int)
	walk = func(area string, gs []strategy.Goal, depth int) {
		for _, g := range gs {
			out = append(out, goalEntry{Key: g.Key, Title: g.Title, Level: g.Level, Depth: depth, Area: area})
			walk(area, g.Goals, depth+1)
		}
	}
	for _, a := range d.Areas {
		walk(a.Title, a.Goals, 0)
	}
	return out
}

// activityOverdue says in words why an activity is late on the day, ""
// when it is not (describe.ActivityLate).
func activityOverdue(a strategy.Activity, today strategy.Date) string {
	return describe.ActivityLate(a, today)
}
