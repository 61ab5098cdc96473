package web

import (
	"fmt"
	"net/http"

	"github.com/inkludera/inkludera/internal/scorecard"
	"github.com/inkludera/inkludera/internal/strategy"
)

// The document as the API shows it: the strategy package's JSON with a
// "status" on every target. Each view embeds its strategy type and shadows
// the nested slice with its own view (encoding/json lets the shallower
// field win), so every other field keeps its name, tags and omission rules
// without being copied here.
type (
	apiDocumentView struct {
		strategy.Document
		Areas []apiArea `json:"areas"`
	}
	apiArea struct {
		strategy.Area
		Goals []apiGoal `json:"goals"`
	}
	apiGoal struct {
		strategy.Goal
		Targets []apiTarget `json:"targets"`
		Goals   []apiGoal   `json:"goals,omitempty"`
	}
	apiTarget struct {
		strategy.Target
		Status scorecard.Status `json:"status"`
	}
)

// apiDocument handles GET /api/v1/documents/{key}?year=YYYY: the document
// with its whole tree and each target's status as of the year (default:
// the current year).
func (s *server) apiDocument(w http.ResponseWriter, r *http.Request) error {
	d, sc, err := s.apiDocumentScorecard(r)
	if err != nil {
		return err
	}
	v, err := documentWithStatus(d, sc)
	if err != nil {
		return err
	}
	s.writeJSON(w, r, http.StatusOK, v)
	return nil
}

func documentWithStatus(d strategy.Document, sc *scorecard.Scorecard) (apiDocumentView, error) {
	v := apiDocumentView{Document: d}
	// nil stays nil so that the JSON is what strategy.Document gives
	// ("areas": null), only with statuses added.
	if d.Areas != nil {
		v.Areas = make([]apiArea, len(d.Areas))
	}
	for i, a := range d.Areas {
		goals, err := goalsWithStatus(a.Goals, sc)
		if err != nil {
			return v, err
		}
		v.Areas[i] = apiArea{Area: a, Goals: goals}
	}
	return v, nil
}

func goalsWithStatus(goals []strategy.Goal, sc *scorecard.Scorecard) ([]apiGoal, error) {
	if goals == nil {
		return nil, nil
	}
	out := make([]apiGoal, len(goals))
	for i, g := range goals {
		out[i].Goal = g
		if g.Targets != nil {
			out[i].Targets = make([]apiTarget, len(g.Targets))
		}
		for j, t := range g.Targets {
			st, ok := sc.Target(t.Key)
			if !ok {
				// Build evaluates every target; a miss is a bug, and an
				// API that silently dropped a status would hide it.
				return nil, strategy.Internal(fmt.Errorf("scorecard of %s lacks target %q", sc.Document, t.Key), "building the document's statuses")
			}
			out[i].Targets[j] = apiTarget{Target: t, Status: *st}
		}
		sub, err := goalsWithStatus(g.Goals, sc)
		if err != nil {
			return nil, err
		}
		out[i].Goals = sub
	}
	return out, nil
}
