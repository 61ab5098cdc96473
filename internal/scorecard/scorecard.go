// Package scorecard evaluates a governing document's targets against the
// stored observations and rolls the verdicts up per goal, area and document.
// It is the adapter between the domain (strategy) and the status engine
// (progress), which knows nothing of documents or stores.
package scorecard

import (
	"context"
	"slices"

	"github.com/inkludera/inkludera/internal/progress"
	"github.com/inkludera/inkludera/internal/strategy"
)

// Scorecard is a document's targets with their status, in the document's
// tree, and the roll-ups.
type Scorecard struct {
	Document       string  `json:"document"`
	Org            string  `json:"org"`
	EvaluationYear int     `json:"evaluation_year"`
	Summary        Summary `json:"summary"`
	Areas          []Area  `json:"areas"`

	byKey map[string]*Status
}

// Area is an area's goals and the roll-up of every target under it.
type Area struct {
	Key     string  `json:"key"`
	Title   string  `json:"title"`
	Summary Summary `json:"summary"`
	Goals   []Goal  `json:"goals"`
}

// Goal is a goal's targets, its sub-goals, and the roll-up of every target
// in its subtree (a long-term goal is judged by its sub-goals' targets too).
type Goal struct {
	Key     string             `json:"key"`
	Title   string             `json:"title"`
	Level   strategy.GoalLevel `json:"level"`
	Summary Summary            `json:"summary"`
	Targets []Target           `json:"targets"`
	Goals   []Goal             `json:"goals,omitempty"`
}

// Target is one target's verdict.
type Target struct {
	Key       string `json:"key"`
	Text      string `json:"text"`
	Indicator string `json:"indicator,omitempty"`
	Status    Status `json:"status"`
}

// Status is a verdict as the API and the pages show it: the effective
// status with its label and icon, the computed one beside any hand-set
// assessment, the sentence, the inputs and the projection, and the same
// for women and men where the series is split.
type Status struct {
	Code        progress.Status `json:"code"`
	Label       progress.Text   `json:"label"`
	Icon        string          `json:"icon"`
	Computed    progress.Status `json:"computed_code"`
	Score       *float64        `json:"score"`
	Method      progress.Method `json:"method"`
	Explanation progress.Text   `json:"explanation"`
	// ComputedExplanation is the sentence on the data alone, without what a
	// hand-set assessment adds to Explanation.
	ComputedExplanation progress.Text        `json:"computed_explanation"`
	Notes               []progress.Text      `json:"notes,omitempty"`
	Override            *progress.Override   `json:"override,omitempty"`
	Inputs              progress.Inputs      `json:"inputs"`
	Projection          *progress.Projection `json:"projection,omitempty"`
	Women               *Status              `json:"women,omitempty"`
	Men                 *Status              `json:"men,omitempty"`
	GenderGap           *progress.GenderGap  `json:"gender_gap,omitempty"`
}

// Summary is a roll-up: the status from the mean score (Open SDG's
// aggregation) and the count of targets per status.
type Summary struct {
	Code     progress.Status         `json:"code"`
	Label    progress.Text           `json:"label"`
	Icon     string                  `json:"icon"`
	Score    *float64                `json:"score"`
	Counts   map[progress.Status]int `json:"counts"`
	Total    int                     `json:"total"`
	Assessed int                     `json:"assessed"`
}

// Target returns the verdict on the target with the given key, if any.
func (s *Scorecard) Target(key string) (*Status, bool) {
	st, ok := s.byKey[key]
	return st, ok
}

// Build reads the observations the document's targets need and evaluates
// them as of evaluationYear (the follow-up year; data after it is ignored).
func Build(ctx context.Context, st strategy.Store, doc strategy.Document, evaluationYear int) (*Scorecard, error) {
	keys := doc.IndicatorKeys()
	indicators := make(map[string]strategy.Indicator, len(keys))
	for _, k := range keys {
		ind, err := st.Indicator(ctx, k)
		if err != nil {
			return nil, err
		}
		indicators[k] = ind
	}
	var obs []strategy.Observation
	if len(keys) > 0 {
		var err error
		obs, err = st.Observations(ctx, strategy.ObservationFilter{Org: doc.Org, Indicators: keys, ToYear: evaluationYear})
		if err != nil {
			return nil, err
		}
	}
	return Evaluate(doc, indicators, obs, evaluationYear), nil
}

// Evaluate is Build without the store: indicators are those the targets
// use (their units stand in for a target's own, which direction targets
// seldom state), obs the organisation's observations of them.
func Evaluate(doc strategy.Document, indicators map[string]strategy.Indicator, obs []strategy.Observation, evaluationYear int) *Scorecard {
	series := seriesByIndicator(obs, doc.Org, evaluationYear)
	sc := &Scorecard{Document: doc.Key, Org: doc.Org, EvaluationYear: evaluationYear, byKey: map[string]*Status{}}
	var all []progress.Result
	for _, a := range doc.Areas {
		area := Area{Key: a.Key, Title: a.Title}
		var results []progress.Result
		for _, g := range a.Goals {
			goal, rs := sc.goal(g, indicators, series, evaluationYear)
			area.Goals = append(area.Goals, goal)
			results = append(results, rs...)
		}
		area.Summary = summarise(results)
		sc.Areas = append(sc.Areas, area)
		all = append(all, results...)
	}
	sc.Summary = summarise(all)
	// byKey points into the tree, which no longer grows.
	for ai := range sc.Areas {
		sc.index(sc.Areas[ai].Goals)
	}
	return sc
}

func (sc *Scorecard) index(goals []Goal) {
	for gi := range goals {
		for ti := range goals[gi].Targets {
			t := &goals[gi].Targets[ti]
			sc.byKey[t.Key] = &t.Status
		}
		sc.index(goals[gi].Goals)
	}
}

// goal evaluates a goal's targets and sub-goals and returns the goal and
// every result in its subtree.
func (sc *Scorecard) goal(g strategy.Goal, indicators map[string]strategy.Indicator, series map[string]progress.Series, year int) (Goal, []progress.Result) {
	out := Goal{Key: g.Key, Title: g.Title, Level: g.Level, Targets: []Target{}}
	var results []progress.Result
	for _, t := range g.Targets {
		r := progress.Evaluate(input(t, indicators[t.Indicator].Unit, series, year))
		out.Targets = append(out.Targets, Target{Key: t.Key, Text: t.Text, Indicator: t.Indicator, Status: statusOf(r)})
		results = append(results, r)
	}
	for _, sub := range g.Goals {
		sg, rs := sc.goal(sub, indicators, series, year)
		out.Goals = append(out.Goals, sg)
		results = append(results, rs...)
	}
	out.Summary = summarise(results)
	return out, results
}

// input maps a domain target onto the engine's input; unit is the
// indicator's, used when the target states none.
func input(t strategy.Target, unit string, series map[string]progress.Series, year int) progress.Input {
	if t.Unit != "" {
		unit = t.Unit
	}
	in := progress.Input{
		Target: progress.Target{
			Kind:       progress.Kind(t.Kind),
			Comparator: progress.Comparator(t.Comparator),
			Value:      t.Value,
			Unit:       unit,
			BaseYear:   t.BaseYear,
			BaseValue:  t.BaseValue,
			TargetYear: t.TargetYear,
			Gender:     string(t.Gender),
		},
		Series:    series[t.Indicator],
		Reference: series[t.ReferenceIndicator],
		Options:   progress.Options{EvaluationYear: year},
	}
	if a := t.Assessment; a != nil {
		in.Override = &progress.Override{
			Status:        progress.Status(a.Status),
			Justification: a.Justification,
			By:            a.By,
			On:            a.On.String(),
		}
	}
	return in
}

// seriesByIndicator groups the organisation's non-missing values up to the
// evaluation year by indicator and gender, sorted by year.
func seriesByIndicator(obs []strategy.Observation, org string, year int) map[string]progress.Series {
	out := map[string]progress.Series{}
	for _, o := range obs {
		if o.Value == nil || o.Org != org || (year > 0 && o.Year > year) {
			continue // missing is not zero: the engine sees a gap
		}
		s := out[o.Indicator]
		if s == nil {
			s = progress.Series{}
			out[o.Indicator] = s
		}
		s[string(o.Gender)] = append(s[string(o.Gender)], progress.Point{Year: o.Year, Value: *o.Value})
	}
	for _, s := range out {
		for g := range s {
			slices.SortFunc(s[g], func(a, b progress.Point) int { return a.Year - b.Year })
		}
	}
	return out
}

func statusOf(r progress.Result) Status {
	s := Status{
		Code:                r.Status,
		Label:               r.Status.Label(),
		Icon:                r.Status.Icon(),
		Computed:            r.Computed,
		Score:               r.Score,
		Method:              r.Method,
		Explanation:         r.Explanation,
		ComputedExplanation: r.ComputedExplanation,
		Notes:               r.Notes,
		Override:            r.Override,
		Inputs:              r.Inputs,
		Projection:          r.Projection,
		GenderGap:           r.GenderGap,
	}
	if r.Women != nil {
		w := statusOf(*r.Women)
		s.Women = &w
	}
	if r.Men != nil {
		m := statusOf(*r.Men)
		s.Men = &m
	}
	return s
}

func summarise(results []progress.Result) Summary {
	s := progress.RollUp(results)
	return Summary{
		Code:     s.Status,
		Label:    s.Status.Label(),
		Icon:     s.Status.Icon(),
		Score:    s.Score,
		Counts:   s.Counts,
		Total:    s.Total,
		Assessed: s.Assessed,
	}
}
