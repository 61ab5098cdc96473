package progress

// Summary rolls up several results: a goal's targets, or all targets of an
// area or a document.
type Summary struct {
	// Status follows Open SDG's indicator aggregation: the mean Score
	// mapped back with StatusFromScore; achieved only if every result is
	// achieved; not_achieved if every result has a final verdict and at
	// least one missed; cannot_assess if none has a score.
	Status Status `json:"status"`
	// Score is the mean of the results' scores; nil when none has one.
	Score *float64 `json:"score"`
	// Counts is the number of results per effective status; every status
	// is present, so tables need no special case for zero.
	Counts   map[Status]int `json:"counts"`
	Total    int            `json:"total"`
	Assessed int            `json:"assessed"` // results with a score
}

// RollUp summarises results on their effective status and score. Each
// result weighs the same (per-gender sub-results are not counted apart
// from their total).
func RollUp(results []Result) Summary {
	s := Summary{Counts: make(map[Status]int, len(Statuses)), Total: len(results)}
	for _, st := range Statuses {
		s.Counts[st] = 0
	}
	var sum float64
	allAchieved, allFinal, anyMissed := len(results) > 0, len(results) > 0, false
	for _, r := range results {
		s.Counts[r.Status]++
		if r.Score != nil {
			sum += *r.Score
			s.Assessed++
		}
		allAchieved = allAchieved && r.Status == Achieved
		allFinal = allFinal && (r.Status == Achieved || r.Status == NotAchieved)
		anyMissed = anyMissed || r.Status == NotAchieved
	}
	switch {
	case s.Assessed == 0:
		s.Status = CannotAssess
		return s
	case allAchieved:
		s.Status = Achieved
	case allFinal && anyMissed:
		// the period is over: a mean would suggest there is still time
		s.Status = NotAchieved
	default:
		s.Status = StatusFromScore(sum / float64(s.Assessed))
	}
	s.Score = ptr(sum / float64(s.Assessed))
	return s
}
