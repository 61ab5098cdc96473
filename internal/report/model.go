package report

import (
	"github.com/inkludera/inkludera/internal/describe"
	"github.com/inkludera/inkludera/internal/progress"
	"github.com/inkludera/inkludera/internal/strategy"
)

// FormatVersion is the version of FollowUp's JSON form. An approved
// report is frozen as that JSON, so a field is never renamed or given a
// new meaning: a change that would need it raises the version.
const FormatVersion = 1

// DefaultRecipient is the body a follow-up is addressed to when the
// document's follow-up rule names none (FollowUpRule.ReportTo): the
// executive board, Kommunstyrelsen. A region's report goes to
// DefaultRegionRecipient instead.
const (
	DefaultRecipient       = "Kommunstyrelsen"
	DefaultRegionRecipient = "Regionstyrelsen"
)

// FollowUp is a yearly follow-up report's content as data: what every
// rendering (HTML now; PDF, DOCX and XLSX next) shows, computed once by
// Build. It holds the figures and sentences, not their layout, and every
// text in it is Swedish, as the report is.
//
// The JSON field names are stable (see FormatVersion): an approved report
// is stored as this JSON and rendered again from it, never from the live
// data. Slices are never nil, so lists encode as [] rather than null, and
// a missing value is null, never 0.
type FollowUp struct {
	FormatVersion int          `json:"format_version"`
	Organisation  Organisation `json:"organisation"`
	Document      Document     `json:"document"`
	// Year is the follow-up year: targets are judged on values up to and
	// including it.
	Year int `json:"year"`
	// Since is 0 for a yearly follow-up, or the first year of a deep
	// follow-up, which sets the statuses of Since…Year side by side
	// (Target.History, Summary.Years).
	Since int `json:"since"`
	// RecipientBody is the name of the body the report goes to: the body
	// the document's follow-up rule reports to (FollowUpRule.ReportTo), or,
	// when the rule names none, Kommunstyrelsen (DefaultRecipient;
	// Regionstyrelsen for a region). RecipientBodyKey is that body's key,
	// "" for the default.
	RecipientBody    string `json:"recipient_body"`
	RecipientBodyKey string `json:"recipient_body_key"`
	// GeneratedOn is the report's date: the day it was made, passed to
	// Build, which is also the day activities are judged late as of.
	GeneratedOn strategy.Date `json:"generated_on"`
	Summary     Summary       `json:"summary"`
	// Indicators are those the document follows as a whole, besides its
	// targets' (population figures given as context), with their series.
	Indicators []Indicator `json:"indicators"`
	Areas      []Area      `json:"areas"`
	// ActionPlans are the document's action plans for Year, by body name.
	ActionPlans []ActionPlan `json:"action_plans"`
	// Sources lists every source of the values shown, by attribution.
	Sources []Source `json:"sources"`
	// Processing says that statuses, trends and projections are
	// Inkludera's own processing of the sources' values.
	Processing string `json:"processing"`
	// Method is the appendix on how statuses are computed.
	Method []MethodSection `json:"method"`
}

// Deep reports whether the follow-up is a deep one (Since set).
func (f *FollowUp) Deep() bool { return f.Since > 0 }

// Years lists the years a deep follow-up sets side by side, Since…Year;
// nil for a yearly one.
func (f *FollowUp) Years() []int {
	if !f.Deep() {
		return nil
	}
	var ys []int
	for y := f.Since; y <= f.Year; y++ {
		ys = append(ys, y)
	}
	return ys
}

// TargetAt is a target with the area and goal it is under.
type TargetAt struct {
	Area   *Area
	Goal   *Goal
	Target *Target
}

// AllTargets lists every target with its area and goal in the report's
// order: area by area, each goal's targets before its sub-goals', for
// renderings that list targets flat (a spreadsheet's rows).
func (f *FollowUp) AllTargets() []TargetAt {
	var out []TargetAt
	var walk func(a *Area, gs []Goal)
	walk = func(a *Area, gs []Goal) {
		for i := range gs {
			g := &gs[i]
			for j := range g.Targets {
				out = append(out, TargetAt{Area: a, Goal: g, Target: &g.Targets[j]})
			}
			walk(a, g.Goals)
		}
	}
	for i := range f.Areas {
		walk(&f.Areas[i], f.Areas[i].Goals)
	}
	return out
}

// Organisation is the kommun or region the report is of.
type Organisation struct {
	Code string           `json:"code"`
	Name string           `json:"name"`
	Kind strategy.OrgKind `json:"kind"`
}

// Document is the governing document followed up.
type Document struct {
	Key         string                  `json:"key"`
	Title       string                  `json:"title"`
	Subtitle    string                  `json:"subtitle"`
	Kind        strategy.DocumentKind   `json:"kind"`
	KindLabel   string                  `json:"kind_label"` // "Strategi"
	Status      strategy.DocumentStatus `json:"status"`
	StatusLabel string                  `json:"status_label"` // "Antagen"
	Adopted     Adoption                `json:"adopted"`
	CaseNumber  string                  `json:"case_number"`
	// FollowUpRule is the document's follow-up rule in a sentence: "Följs
	// upp varje år i samband med bokslut och rapporteras till
	// Kommunstyrelsen."; "" when the document states none.
	FollowUpRule string `json:"follow_up_rule"`
}

// Adoption is the decision that adopted the document; By is the body's
// name. Empty fields were not recorded.
type Adoption struct {
	By        string        `json:"by"`
	On        strategy.Date `json:"on"`
	Paragraph string        `json:"paragraph"`
	Reference string        `json:"reference"`
}

// Status is a target's status: the engine's code and its Swedish label,
// lower case as it stands mid-sentence ("behöver öka takten"). The
// renderings add describe.StatusSymbol(Code.Icon()) before the label, never
// colour alone.
type Status struct {
	Code  progress.Status `json:"code"`
	Label string          `json:"label"`
}

func statusOf(s progress.Status) Status { return Status{Code: s, Label: s.Label().SV} }

// Symbol is the status's character, "✓" for achieved (describe.StatusSymbol).
func (s Status) Symbol() string { return describe.StatusSymbol(s.Code.Icon()) }

// StatusCount is how many targets have a status.
type StatusCount struct {
	Status Status `json:"status"`
	Count  int    `json:"count"`
}

// RollUp summarises the targets of a goal (with its sub-goals), an area
// or the document: the status of the whole from the mean score (Open
// SDG's aggregation, see progress.RollUp) and the count per status, every
// status present, in the engine's order (progress.Statuses).
type RollUp struct {
	Status   Status        `json:"status"`
	Score    *float64      `json:"score"` // −5…+5, two decimals; null when no target could be assessed
	Total    int           `json:"total"`
	Assessed int           `json:"assessed"`
	Counts   []StatusCount `json:"counts"`
}

// Summary is the report's first section: the document's roll-up for Year,
// what changed since the year before, and for a deep follow-up the
// roll-up of each year.
type Summary struct {
	RollUp RollUp `json:"rollup"`
	// PreviousYear is Year − 1, the year Improved and Slipped compare
	// with: each target's status for Year against its status for
	// PreviousYear (judged on values up to that year), in the engine's
	// order of statuses (progress.Statuses, best first).
	PreviousYear int      `json:"previous_year"`
	Improved     []Change `json:"improved"`
	Slipped      []Change `json:"slipped"`
	// Uncomparable are the targets whose status changed to or from
	// cannot_assess: that is no better or worse, only known or not.
	Uncomparable []Change `json:"uncomparable"`
	// Years is the roll-up of each year Since…Year of a deep follow-up,
	// oldest first; empty for a yearly one.
	Years []YearRollUp `json:"years"`
}

// Change is a target whose status differs between PreviousYear and Year.
type Change struct {
	Target    string `json:"target"` // key
	Text      string `json:"text"`
	Area      string `json:"area"` // key
	AreaTitle string `json:"area_title"`
	Goal      string `json:"goal"` // key
	GoalTitle string `json:"goal_title"`
	From      Status `json:"from"`
	To        Status `json:"to"`
}

// YearRollUp is the document's roll-up as judged for one year.
type YearRollUp struct {
	Year   int    `json:"year"`
	RollUp RollUp `json:"rollup"`
}

// Area is a focus area with its goals and commitments.
type Area struct {
	Key         string       `json:"key"`
	Title       string       `json:"title"`
	Description string       `json:"description"`
	Prioritised bool         `json:"prioritised"`
	RollUp      RollUp       `json:"rollup"`
	Goals       []Goal       `json:"goals"`
	Commitments []Commitment `json:"commitments"`
	// Indicators are those the document names for the area that no target
	// in it measures: context to follow, with their series (the targets'
	// own are under the targets).
	Indicators []Indicator `json:"indicators"`
}

// Goal is a long-term goal or a sub-goal with its targets, commitments and
// sub-goals. RollUp covers the targets of the whole subtree.
type Goal struct {
	Key         string             `json:"key"`
	Level       strategy.GoalLevel `json:"level"`
	LevelLabel  string             `json:"level_label"` // "Långsiktigt mål", "Delmål"
	Title       string             `json:"title"`
	Description string             `json:"description"`
	RollUp      RollUp             `json:"rollup"`
	Targets     []Target           `json:"targets"`
	Commitments []Commitment       `json:"commitments"`
	Goals       []Goal             `json:"goals"`
}

// Target is one target with its verdict for Year and the data behind it.
type Target struct {
	Key         string              `json:"key"`
	Text        string              `json:"text"` // as the document words it
	Kind        strategy.TargetKind `json:"kind"`
	KindLabel   string              `json:"kind_label"`  // "Tröskelvärde"
	Requirement string              `json:"requirement"` // "minst 10 % år 2020"; "" for a qualitative target
	// Gender is "K" or "M" for a target set for women or men only, "" for
	// the total.
	Gender      strategy.Gender `json:"gender"`
	GenderLabel string          `json:"gender_label"`

	// Status is the effective status for Year: a hand-set assessment's
	// when there is one (Override), else the computed one.
	Status Status          `json:"status"`
	Method progress.Method `json:"method"`
	// Explanation is the engine's sentence on the data, with its inputs
	// ("Andelen ökade från … Bedömning: på väg."); a hand-set assessment
	// is in Override, not here.
	Explanation string    `json:"explanation"`
	Notes       []string  `json:"notes"`
	Override    *Override `json:"override"`
	// Women and Men are the verdicts on each gender's series of a target
	// set for the total (see progress.Evaluate); null when the series is
	// not split or the target is an amount. Their explanations do not
	// repeat the gender.
	Women *GenderStatus `json:"women"`
	Men   *GenderStatus `json:"men"`
	// PreviousStatus is the effective status for Year − 1.
	PreviousStatus Status `json:"previous_status"`
	// History is the status of each year Since…Year of a deep follow-up,
	// oldest first; empty for a yearly one.
	History []YearStatus `json:"history"`

	// Indicator is what measures the target, null for a qualitative one
	// or an indicator that is not stored; Reference the series a relative
	// target compares with.
	Indicator *Indicator `json:"indicator"`
	Reference *Indicator `json:"reference"`
	// TargetLine is the target to draw over the chart: a threshold at its
	// target year, an amount per year across every year; null for other
	// kinds.
	TargetLine *TargetLine `json:"target_line"`
	// PerYear is each year of a per-year target from its base, met or not.
	PerYear []YearMet `json:"per_year"`
}

// Override is a status set by hand, which replaces the computed one in
// Target.Status; Computed is what the data say.
type Override struct {
	Computed      Status `json:"computed"`
	Justification string `json:"justification"`
	By            string `json:"by"` // a body's name when it names a body
	On            string `json:"on"` // ISO date
}

// GenderStatus is the verdict on women's or men's series.
type GenderStatus struct {
	Status      Status `json:"status"`
	Explanation string `json:"explanation"`
}

// YearStatus is a target's effective status as judged for one year.
type YearStatus struct {
	Year   int    `json:"year"`
	Status Status `json:"status"`
}

// YearMet is one year of a per-year target.
type YearMet struct {
	Year  int     `json:"year"`
	Value float64 `json:"value"`
	Met   bool    `json:"met"`
}

// TargetLine is a target drawn on a chart (chart.TargetLine): Year 0 is a
// line across every year.
type TargetLine struct {
	Label string  `json:"label"` // "Mål: minst 10 % år 2020"
	Value float64 `json:"value"`
	Year  int     `json:"year"`
}

// Indicator is an indicator as the report shows it, with the
// organisation's values of it up to Year.
type Indicator struct {
	Key   string `json:"key"`
	Title string `json:"title"`
	Unit  string `json:"unit"`
	// Source is the indicator's source reference ("kolada:N02926"),
	// SourceDescription the same in words ("Kolada, nyckeltal N02926").
	Source            string `json:"source"`
	SourceDescription string `json:"source_description"`
	// Attributions credit the values in Series, each once, sorted:
	// "Källa: Kolada", "Demovärden – inte verklig statistik".
	Attributions []string `json:"attributions"`
	Series       Series   `json:"series"`
}

// Series is an indicator's values by year for the chart and the table:
// every stored year up to the follow-up year, oldest first, for the total
// and, when ByGender, women and men. A year with no value for a gender is
// null there (missing is not 0).
type Series struct {
	ByGender bool `json:"by_gender"`
	// Decimals is the one precision every value of the series is shown
	// with (i18n.DecimalsFor), so that "8,1" is not followed by "9,40".
	Decimals int          `json:"decimals"`
	Years    []SeriesYear `json:"years"`
}

// SeriesYear is one year's values: total, women, men.
type SeriesYear struct {
	Year  int      `json:"year"`
	Total *float64 `json:"T"`
	Women *float64 `json:"K"`
	Men   *float64 `json:"M"`
	// Preliminary is set when a value of the year is preliminary (subject
	// to revision by the source).
	Preliminary bool `json:"preliminary"`
}

// Value is the year's value for a gender.
func (y SeriesYear) Value(g strategy.Gender) *float64 {
	switch g {
	case strategy.Women:
		return y.Women
	case strategy.Men:
		return y.Men
	}
	return y.Total
}

// Genders are the series' columns: total, and women and men when split.
func (s Series) Genders() []strategy.Gender {
	if s.ByGender {
		return strategy.Genders
	}
	return []strategy.Gender{strategy.Total}
}

// Commitment is a strategy statement ("Kommunen ska …") with the names of
// the bodies responsible for it.
type Commitment struct {
	Key    string   `json:"key"`
	Text   string   `json:"text"`
	Bodies []string `json:"bodies"`
}

// ActionPlan is a body's action plan for the follow-up year.
type ActionPlan struct {
	Key string `json:"key"`
	// Title is the plan's title, or "Aktivitetsplan för <body> <year>".
	Title       string              `json:"title"`
	Body        string              `json:"body"` // name
	BodyKey     string              `json:"body_key"`
	Year        int                 `json:"year"`
	Status      strategy.PlanStatus `json:"status"`
	StatusLabel string              `json:"status_label"` // "beslutad"
	// Decision is the decision that made the plan beslutad, "BUN
	// 2026-02-12 § 14, beslutad 2026-02-12"; "" for a draft.
	Decision string `json:"decision"`
	Total    int    `json:"total"`
	// Counts is the number of activities per status, every status
	// present, in the order of an activity's life (describe.ActivityStatuses).
	Counts []ActivityCount `json:"counts"`
	// Late is how many activities are late on GeneratedOn (Activity.Late).
	Late       int        `json:"late"`
	Activities []Activity `json:"activities"`
}

// ActivityCount is how many activities have a status.
type ActivityCount struct {
	Status strategy.ActivityStatus `json:"status"`
	Label  string                  `json:"label"`
	Count  int                     `json:"count"`
}

// Activity is a row of an action plan.
type Activity struct {
	Key         string                  `json:"key"`
	TargetGroup string                  `json:"target_group"`
	Title       string                  `json:"title"`
	Description string                  `json:"description"`
	Time        string                  `json:"time"`
	Responsible string                  `json:"responsible"`
	FollowUp    strategy.Date           `json:"follow_up"` // "" when not set
	Status      strategy.ActivityStatus `json:"status"`
	StatusLabel string                  `json:"status_label"` // "pågår"
	Progress    *int                    `json:"progress"`     // 0–100 %, null when not estimated
	Goals       []GoalRef               `json:"goals"`
	// Late is why the activity is late on the report's day, "" when it is
	// not: marked försenad, its time passed while still planerad or pågår
	// (strategy.Activity.Overdue), or its follow-up date passed
	// (describe.ActivityLateness, as the web pages judge it). LateReason
	// is the same in a sentence.
	Late       describe.Lateness `json:"late"`
	LateReason string            `json:"late_reason"`
	// Notes are the dated follow-up notes, oldest first (without their
	// authors: the report speaks for the organisation).
	Notes []Note `json:"notes"`
}

// GoalRef names a goal an activity serves.
type GoalRef struct {
	Key   string `json:"key"`
	Title string `json:"title"` // the key when the document has no such goal
}

// Note is a dated follow-up note on an activity.
type Note struct {
	Date strategy.Date `json:"date"`
	Text string        `json:"text"`
}

// Source is one source of the values shown, with the indicators whose
// values it gave.
type Source struct {
	// Attribution credits it as the values are credited: "Källa: Kolada",
	// "Källa: SCB", "Källa: <citation>", "Källa: <organisation>
	// (uppladdad fil)".
	Attribution string            `json:"attribution"`
	Indicators  []SourceIndicator `json:"indicators"`
}

// SourceIndicator is an indicator under a source.
type SourceIndicator struct {
	Key               string `json:"key"`
	Title             string `json:"title"`
	SourceDescription string `json:"source_description"`
}

// MethodSection is a part of the method appendix: a heading, paragraphs,
// an optional list and an optional table.
type MethodSection struct {
	Title      string       `json:"title"`
	Paragraphs []string     `json:"paragraphs"`
	Items      []string     `json:"items"`
	Table      *MethodTable `json:"table"`
}

// MethodTable is a small table of the appendix; the first column heads
// its rows.
type MethodTable struct {
	Caption string     `json:"caption"`
	Columns []string   `json:"columns"`
	Rows    [][]string `json:"rows"`
}
