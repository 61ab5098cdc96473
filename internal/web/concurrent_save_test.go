package web

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// TestSimultaneousActivitySaves sends two saves of one activity from the
// same rev at the same moment, through the whole handler, many times over:
// each time exactly one is stored and the other is answered 409 with the
// conflict message, and the stored activity is the winner's in full.
func TestSimultaneousActivitySaves(t *testing.T) {
	e := newEditEnv(t)
	target := ksPlanEdit + "/aktiviteter/sfi-info"
	for round := range 10 {
		a := e.activity(t, program, "ks-2015", "sfi-info")
		// New titles every round: a save of what is already stored changes
		// nothing and is rightly no conflict.
		titles := []string{fmt.Sprintf("Första redaktörens version %d", round), fmt.Sprintf("Andra redaktörens version %d", round)}
		status := make([]int, len(titles))
		bodies := make([]string, len(titles))
		var start, done sync.WaitGroup
		start.Add(1)
		for i, title := range titles {
			form := activityForm(a.Rev, "title", title, "description", title+", beskrivning", "goals", "")
			r := httptest.NewRequest("POST", target, strings.NewReader(form.Encode()))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			r = r.WithContext(withUser(r.Context(), testEditorKS, "192.0.2.1", "web"))
			done.Go(func() {
				start.Wait()
				rec := httptest.NewRecorder()
				e.h.ServeHTTP(rec, r)
				status[i], bodies[i] = rec.Code, rec.Body.String()
			})
		}
		start.Done()
		done.Wait()

		winner := -1
		for i, code := range status {
			switch code {
			case http.StatusSeeOther:
				if winner >= 0 {
					t.Fatalf("round %d: both saves were stored", round)
				}
				winner = i
			case http.StatusConflict:
				if !strings.Contains(bodies[i], conflictMessage) {
					t.Errorf("round %d: the refused save's page lacks the conflict message", round)
				}
			default:
				t.Fatalf("round %d: save %d answered %d:\n%s", round, i, code, bodies[i])
			}
		}
		if winner < 0 {
			t.Fatalf("round %d: neither save was stored", round)
		}
		stored := e.activity(t, program, "ks-2015", "sfi-info")
		if stored.Title != titles[winner] || stored.Description != titles[winner]+", beskrivning" || stored.Rev != a.Rev+1 {
			t.Fatalf("round %d: stored %q / %q at rev %d, want the winner's %q at rev %d",
				round, stored.Title, stored.Description, stored.Rev, titles[winner], a.Rev+1)
		}
	}
}
