package progress

// Status is the verdict on a target (or, rolled up, on a goal).
//
// Each status has a nominal score on Open SDG's −5..+5 scale, used for
// roll-ups when a result has no score of its own:
//
//	status               Open SDG status        score  Open SDG score band
//	achieved             target_achieved         +5
//	on_track             substantial_progress    +3.75  [2.5, 5]
//	acceleration_needed  moderate_progress       +1.25  [0, 2.5)
//	limited_progress     limited_progress        −1.25  [−2.5, 0)
//	deterioration        deterioration           −3.75  [−5, −2.5)
//	not_achieved         —                       −5
//	cannot_assess        not_available           none
//
// Results from Open SDG's own methods keep its continuous score. Our other
// rules (per year, relative, noise band) and overrides take the middle of
// their status's band, so they weigh in a roll-up like a typical Open SDG
// series of that status; not_achieved, a final miss, mirrors achieved at
// −5; cannot_assess is left out of means, as Open SDG leaves out series
// without a score.
type Status string

// Statuses. The mapping to Open SDG's statuses and scores is in
// statusTable.
const (
	Achieved           Status = "achieved"
	OnTrack            Status = "on_track"
	AccelerationNeeded Status = "acceleration_needed"
	LimitedProgress    Status = "limited_progress"
	Deterioration      Status = "deterioration"
	NotAchieved        Status = "not_achieved" // only once the target year's value is in
	CannotAssess       Status = "cannot_assess"
)

// Statuses lists every status from best to worst, cannot_assess last, the
// order of legends and summary tables.
var Statuses = []Status{Achieved, OnTrack, AccelerationNeeded, LimitedProgress, Deterioration, NotAchieved, CannotAssess}

type statusInfo struct {
	label  Text
	icon   string
	score  float64
	scored bool
}

// statusTable holds labels, icons and nominal scores (see Status).
var statusTable = map[Status]statusInfo{
	Achieved:           {Text{"uppnått", "achieved"}, "check", 5, true},
	OnTrack:            {Text{"på väg", "on track"}, "arrow-up-right", 3.75, true},
	AccelerationNeeded: {Text{"behöver öka takten", "acceleration needed"}, "arrow-right", 1.25, true},
	LimitedProgress:    {Text{"begränsad förbättring", "limited progress"}, "minus", -1.25, true},
	Deterioration:      {Text{"försämring", "deterioration"}, "arrow-down-right", -3.75, true},
	NotAchieved:        {Text{"inte uppnått", "not achieved"}, "x", -5, true},
	CannotAssess:       {Text{"kan inte bedömas", "cannot be assessed"}, "help-circle", 0, false},
}

// Valid reports whether s is one of Statuses.
func (s Status) Valid() bool {
	_, ok := statusTable[s]
	return ok
}

// Label is the status in words, lower case as it stands mid-sentence:
// "behöver öka takten" / "acceleration needed".
func (s Status) Label() Text { return statusTable[s].label }

// Icon names the status's icon (Lucide names: "check", "arrow-up-right",
// "arrow-right", "minus", "arrow-down-right", "x", "help-circle"). The icon
// never stands alone: the label goes beside it.
func (s Status) Icon() string { return statusTable[s].icon }

// Score is the status's nominal score on Open SDG's −5..+5 scale; ok is
// false for cannot_assess and unknown statuses.
func (s Status) Score() (score float64, ok bool) {
	info, ok := statusTable[s]
	return info.score, ok && info.scored
}

// StatusFromScore maps a mean score back to a status with Open SDG's bands
// (get_progress_status_from_score). It never returns achieved: that needs
// every target achieved, which a mean cannot tell.
func StatusFromScore(score float64) Status {
	switch {
	case score >= 2.5:
		return OnTrack
	case score >= 0:
		return AccelerationNeeded
	case score >= -2.5:
		return LimitedProgress
	default:
		return Deterioration
	}
}

func nominalScore(s Status) *float64 {
	if v, ok := s.Score(); ok {
		return &v
	}
	return nil
}
