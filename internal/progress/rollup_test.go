package progress

import "testing"

// res makes a result with an effective status and score.
func res(s Status, score ...float64) Result {
	r := Result{Status: s, Computed: s}
	if len(score) > 0 {
		r.Score = ptr(score[0])
	} else {
		r.Score = nominalScore(s)
	}
	return r
}

func TestRollUp(t *testing.T) {
	tests := []struct {
		name    string
		results []Result
		status  Status
		score   *float64
		counts  map[Status]int
	}{
		{
			// (2.00552 + 5 − 1.25)/3 = 1.91851 → [0, 2.5)
			name:    "mean score",
			results: []Result{res(AccelerationNeeded, 2.00552), res(Achieved), res(LimitedProgress)},
			status:  AccelerationNeeded, score: ptr(1.91851),
			counts: map[Status]int{AccelerationNeeded: 1, Achieved: 1, LimitedProgress: 1},
		},
		{
			name:    "all achieved",
			results: []Result{res(Achieved), res(Achieved)},
			status:  Achieved, score: ptr(5),
		},
		{
			// one target not assessed: achieved needs every target, so the
			// mean 5 reads on track
			name:    "achieved and one not assessed",
			results: []Result{res(Achieved), res(CannotAssess)},
			status:  OnTrack, score: ptr(5),
			counts: map[Status]int{Achieved: 1, CannotAssess: 1},
		},
		{
			// (5 − 5)/2 = 0 would read acceleration needed, but the period
			// is over
			name:    "final, one missed",
			results: []Result{res(Achieved), res(NotAchieved)},
			status:  NotAchieved, score: ptr(0),
		},
		{
			// (5 − 5 + 3.75)/3 = 1.25: not all final, so the mean rules
			name:    "one missed, one still running",
			results: []Result{res(Achieved), res(NotAchieved), res(OnTrack)},
			status:  AccelerationNeeded, score: ptr(1.25),
		},
		{
			name:    "nothing assessable",
			results: []Result{res(CannotAssess), res(CannotAssess)},
			status:  CannotAssess,
			counts:  map[Status]int{CannotAssess: 2},
		},
		{
			name:   "empty",
			status: CannotAssess,
		},
		{
			// Open SDG's bands are closed below: 2.5 on track, 0 moderate,
			// −2.5 limited
			name:    "boundary 2.5",
			results: []Result{res(OnTrack, 2.5)},
			status:  OnTrack, score: ptr(2.5),
		},
		{
			// (2.5 − 2.5)/2 = 0
			name:    "boundary 0",
			results: []Result{res(OnTrack, 2.5), res(LimitedProgress, -2.5)},
			status:  AccelerationNeeded, score: ptr(0),
		},
		{
			name:    "boundary −2.5",
			results: []Result{res(LimitedProgress, -2.5)},
			status:  LimitedProgress, score: ptr(-2.5),
		},
		{
			name:    "below −2.5",
			results: []Result{res(Deterioration, -2.50001)},
			status:  Deterioration, score: ptr(-2.50001),
		},
		{
			// an override counts with its status's nominal score (3.75)
			name: "override counts",
			results: []Result{
				Evaluate(Input{Target: Target{Kind: Qualitative}, Override: &Override{Status: OnTrack, Justification: "Avtal klart."}}),
				res(OnTrack, 3.75),
			},
			status: OnTrack, score: ptr(3.75),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := RollUp(tt.results)
			if s.Status != tt.status {
				t.Errorf("status = %s, want %s", s.Status, tt.status)
			}
			switch {
			case tt.score == nil && s.Score != nil:
				t.Errorf("score = %v, want none", *s.Score)
			case tt.score != nil && (s.Score == nil || !near(*s.Score, *tt.score)):
				t.Errorf("score = %v, want %v", s.Score, *tt.score)
			}
			if s.Total != len(tt.results) {
				t.Errorf("total = %d", s.Total)
			}
			for _, st := range Statuses {
				if got, ok := s.Counts[st]; !ok || (tt.counts != nil && got != tt.counts[st]) {
					t.Errorf("counts[%s] = %d (present %v), want %d", st, got, ok, tt.counts[st])
				}
			}
		})
	}
}
