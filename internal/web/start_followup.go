package web

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"

	"github.com/inkludera/inkludera/internal/followup"
	"github.com/inkludera/inkludera/internal/strategy"
)

// startFollowUp is a line of the start page's notice: a follow-up the
// signed-in user is to report (or, for a samordnare, to chase).
type startFollowUp struct {
	Text string
	URL  string
	Late bool
	due  strategy.Date
}

// startFollowUps are the follow-ups the start page reminds the user of: a
// nämndredaktör's body's every report not yet made, a samordnare's
// organisation's reports that are late or due within a week; late first.
// Others get none.
func (s *server) startFollowUps(r *http.Request) ([]startFollowUp, error) {
	u := userOf(r)
	if u == nil || u.Org == "" || (u.Role != strategy.RoleEditor && u.Role != strategy.RoleCoordinator) {
		return nil, nil
	}
	ctx := r.Context()
	periods, err := s.st.FollowUpPeriods(ctx, u.Org)
	if err != nil {
		return nil, err
	}
	if len(periods) == 0 {
		return nil, nil
	}
	bodies, err := s.st.Bodies(ctx, u.Org)
	if err != nil {
		return nil, err
	}
	today := s.today()
	var out []startFollowUp
	for _, p := range periods {
		for _, d := range p.Deadlines {
			if !d.Reported.IsZero() || !d.Approved.IsZero() {
				continue
			}
			late := d.Late(today)
			soon := followup.DaysAfter(today, d.Due) <= followup.WindowDays
			if u.Role == strategy.RoleEditor && d.Body != u.Body {
				continue
			}
			if u.Role == strategy.RoleCoordinator && !late && !soon {
				continue
			}
			name := bodyNameIn(bodies, d.Body)
			text := p.Title + " för " + name + ": rapporteras senast " + d.Due.String() + "."
			if late {
				n := followup.DaysAfter(d.Due, today)
				text = p.Title + " för " + name + ": sista dagen var " + d.Due.String() + " (" + strconv.Itoa(n) + " dagar sedan) och rapporten saknas."
			}
			out = append(out, startFollowUp{Text: text, URL: periodURL(p.ID), Late: late, due: d.Due})
		}
	}
	slices.SortStableFunc(out, func(a, b startFollowUp) int {
		if c := boolOrder(a.Late, b.Late); c != 0 {
			return c
		}
		if a.due.Before(b.due) {
			return -1
		}
		if b.due.Before(a.due) {
			return 1
		}
		return cmp.Compare(a.Text, b.Text)
	})
	return out, nil
}
