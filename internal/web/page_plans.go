package web

import (
	"cmp"
	"net/http"
	"slices"

	"github.com/inkludera/inkludera/internal/auth"
	"github.com/inkludera/inkludera/internal/strategy"
)

// plansPage lists the action plans the user may read, by organisation,
// body and year; a nämndredaktör's own body comes first.
type plansPage struct {
	Title string
	Orgs  []plansOrg
	// NewPlans are the documents in which the user may start a plan.
	NewPlans []link
}

type plansOrg struct {
	ID     string
	Name   string
	Bodies []plansBody
}

type plansBody struct {
	ID    string
	Name  string
	Own   bool // the signed-in nämndredaktör's body
	Plans []plansItem
}

type plansItem struct {
	URL         string
	Title       string
	Year        int
	StatusLabel string
	DocTitle    string
	Activities  int
	Overdue     int
}

// pagePlans handles GET /planer.
func (s *server) pagePlans(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := userOf(r)
	orgs, err := s.st.ListOrganisations(ctx)
	if err != nil {
		return err
	}
	// The user's own organisation first, the rest as listed.
	if u != nil && u.Org != "" {
		slices.SortStableFunc(orgs, func(a, b strategy.Organisation) int {
			return boolOrder(a.Code == u.Org, b.Code == u.Org)
		})
	}
	today := s.today()
	page := plansPage{Title: "Aktivitetsplaner"}
	for _, o := range orgs {
		docs, err := s.st.Documents(ctx, o.Code)
		if err != nil {
			return err
		}
		bodies, err := s.st.Bodies(ctx, o.Code)
		if err != nil {
			return err
		}
		byBody := map[string]*plansBody{}
		var order []string
		for _, head := range s.visibleDocuments(r, docs) {
			doc, err := s.st.Document(ctx, head.Key)
			if err != nil {
				return err
			}
			if len(writablePlanBodies(u, doc, bodies)) > 0 {
				page.NewPlans = append(page.NewPlans, link{URL: editPlanURL(doc.Key, "ny"), Text: doc.Title})
			}
			for _, p := range doc.ActionPlans {
				if !auth.Can(u, auth.ActionRead, planObject(doc, p)) {
					continue
				}
				b, ok := byBody[p.Body]
				if !ok {
					b = &plansBody{ID: "organ-" + o.Code + "-" + p.Body, Name: bodyNameIn(bodies, p.Body),
						Own: u != nil && u.Role == strategy.RoleEditor && u.Org == o.Code && u.Body == p.Body}
					byBody[p.Body] = b
					order = append(order, p.Body)
				}
				item := plansItem{URL: planURL(doc.Key, p.Key), Title: planTitle(p, b.Name), Year: p.Year,
					StatusLabel: planStatusLabel(p.Status), DocTitle: doc.Title, Activities: len(p.Activities)}
				for _, a := range p.Activities {
					if activityOverdue(a, today) != "" {
						item.Overdue++
					}
				}
				b.Plans = append(b.Plans, item)
			}
		}
		if len(order) == 0 {
			continue
		}
		po := plansOrg{ID: "org-" + o.Code, Name: o.Name}
		for _, key := range order {
			b := byBody[key]
			slices.SortStableFunc(b.Plans, func(x, y plansItem) int { return cmp.Compare(y.Year, x.Year) })
			po.Bodies = append(po.Bodies, *b)
		}
		slices.SortStableFunc(po.Bodies, func(x, y plansBody) int {
			if c := boolOrder(x.Own, y.Own); c != 0 {
				return c
			}
			return cmp.Compare(x.Name, y.Name)
		})
		page.Orgs = append(page.Orgs, po)
	}
	return render(s, w, r, http.StatusOK, "plans", page)
}

// boolOrder sorts true before false.
func boolOrder(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return -1
	}
	return 1
}
