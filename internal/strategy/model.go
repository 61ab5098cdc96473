// Package strategy is Inkludera's domain: governing documents, their goal
// trees and targets, the indicators that measure them and the bodies that
// answer for them. It imports nothing else of ours.
//
// Field names in the yaml and json tags are the vocabulary of the strategy
// file and the API; validation paths use the same names.
package strategy

import "time"

// OrgKind tells a kommun from a region or the whole country.
type OrgKind string

const (
	OrgKommun OrgKind = "kommun"
	OrgRegion OrgKind = "region"
	OrgRiket  OrgKind = "riket"
)

// Organisation is a kommun, a region or riket.
// Invariant: Code is SCB's code — four digits for a kommun ("2380"), two for
// a län/region ("23"), "00" for riket. Sources that write codes differently
// (Kolada's "0023") are mapped at the edge.
type Organisation struct {
	Code   string  `yaml:"code" json:"code"`
	Name   string  `yaml:"name" json:"name"`
	Kind   OrgKind `yaml:"kind" json:"kind"`
	County string  `yaml:"county,omitempty" json:"county,omitempty"` // länskod of a kommun
}

// BodyKind is the sort of organ.
type BodyKind string

const (
	BodyCouncil        BodyKind = "fullmaktige" // kommunfullmäktige, regionfullmäktige
	BodyBoard          BodyKind = "styrelse"    // kommunstyrelsen, regionstyrelsen
	BodyCommittee      BodyKind = "namnd"
	BodyAdministration BodyKind = "forvaltning"
	BodyCompany        BodyKind = "bolag"
	BodyNetwork        BodyKind = "natverk"
)

// Body is an organ of an organisation: a council, board, committee,
// administration, company or network.
// Invariant: Key is unique within the organisation and never reused.
type Body struct {
	Key    string   `yaml:"key" json:"key"`
	Name   string   `yaml:"name" json:"name"`
	Kind   BodyKind `yaml:"kind" json:"kind"`
	Parent string   `yaml:"parent,omitempty" json:"parent,omitempty"` // key of the body it belongs under
}

// DocumentKind is the kind of styrdokument.
type DocumentKind string

const (
	KindStrategy   DocumentKind = "strategi"
	KindProgramme  DocumentKind = "program"
	KindPlan       DocumentKind = "plan"
	KindPolicy     DocumentKind = "policy"
	KindGuidelines DocumentKind = "riktlinjer"
	KindRules      DocumentKind = "regler"
)

// DocumentStatus is where a document is in its life.
type DocumentStatus string

const (
	StatusDraft    DocumentStatus = "utkast"
	StatusAdopted  DocumentStatus = "antagen"
	StatusRepealed DocumentStatus = "upphavd"
)

// Document is a governing document with its whole tree.
// Invariants: Key is globally unique and stable across revisions of the
// file; keys of areas, goals, targets, commitments, terms and action plans
// are unique within the document; every body key names a body of Org.
type Document struct {
	Key         string         `yaml:"key" json:"key"`
	Org         string         `yaml:"-" json:"org"`
	Kind        DocumentKind   `yaml:"kind" json:"kind"`
	Title       string         `yaml:"title" json:"title"`
	Subtitle    string         `yaml:"subtitle,omitempty" json:"subtitle,omitempty"`
	Identifier  string         `yaml:"identifier,omitempty" json:"identifier,omitempty"`   // the register's "Id nr"
	CaseNumber  string         `yaml:"case_number,omitempty" json:"case_number,omitempty"` // diarienummer
	Version     string         `yaml:"version,omitempty" json:"version,omitempty"`
	Status      DocumentStatus `yaml:"status" json:"status"`
	Adopted     Adoption       `yaml:"adopted,omitempty" json:"adopted,omitzero"`
	ValidFrom   Date           `yaml:"valid_from,omitempty" json:"valid_from,omitzero"`
	ValidTo     Date           `yaml:"valid_to,omitempty" json:"valid_to,omitzero"`
	FollowUp    FollowUpRule   `yaml:"follow_up,omitempty" json:"follow_up,omitzero"`
	Revision    RevisionRule   `yaml:"revision,omitempty" json:"revision,omitzero"`
	Owner       string         `yaml:"owner,omitempty" json:"owner,omitempty"`             // body key
	Responsible string         `yaml:"responsible,omitempty" json:"responsible,omitempty"` // officer or role answering for the document
	Audience    []string       `yaml:"audience,omitempty" json:"audience,omitempty"`
	Replaces    []string       `yaml:"replaces,omitempty" json:"replaces,omitempty"` // keys of earlier documents
	Related     []Related      `yaml:"related,omitempty" json:"related,omitempty"`
	Summary     string         `yaml:"summary,omitempty" json:"summary,omitempty"`         // plain-language summary
	Description string         `yaml:"description,omitempty" json:"description,omitempty"` // background, purpose

	// Indicators followed by the document as a whole (besides those of its
	// areas and targets), e.g. population figures given as context.
	Indicators       []string         `yaml:"indicators,omitempty" json:"indicators,omitempty"`
	Responsibilities []Responsibility `yaml:"responsibilities,omitempty" json:"responsibilities,omitempty"`
	Areas            []Area           `yaml:"areas,omitempty" json:"areas"`
	Terms            []Term           `yaml:"terms,omitempty" json:"terms,omitempty"`
	ActionPlans      []ActionPlan     `yaml:"action_plans,omitempty" json:"action_plans,omitempty"`
	// Translations are the texts of the document and its tree in other
	// languages than Swedish, by TextPath.
	Translations Translations `yaml:"translations,omitempty" json:"translations,omitempty"`

	Rev int64 `yaml:"-" json:"rev,omitempty"` // stored revision, see Rev
}

// Adoption records the decision that adopted a document.
type Adoption struct {
	By        string `yaml:"by,omitempty" json:"by,omitempty"` // body key
	On        Date   `yaml:"on,omitempty" json:"on,omitzero"`
	Paragraph string `yaml:"paragraph,omitempty" json:"paragraph,omitempty"` // "§ 24"
	Reference string `yaml:"reference,omitempty" json:"reference,omitempty"` // decision reference, e.g. "KF 2014-04-16 § 24"
}

// FollowUpRule says how often and where the document is followed up.
type FollowUpRule struct {
	IntervalYears     int    `yaml:"interval_years,omitempty" json:"interval_years,omitempty"`           // 1 = yearly
	Occasion          string `yaml:"occasion,omitempty" json:"occasion,omitempty"`                       // "i samband med bokslut"
	ReportTo          string `yaml:"report_to,omitempty" json:"report_to,omitempty"`                     // body key
	DeepIntervalYears int    `yaml:"deep_interval_years,omitempty" json:"deep_interval_years,omitempty"` // a deeper evaluation every N years
}

// RevisionRule says when the document is to be revised.
type RevisionRule struct {
	Due       int    `yaml:"due,omitempty" json:"due,omitempty"` // year by which it is revised
	Condition string `yaml:"condition,omitempty" json:"condition,omitempty"`
}

// Related names a related document, inside Inkludera (Key) or outside (URL).
type Related struct {
	Title string `yaml:"title" json:"title"`
	Key   string `yaml:"key,omitempty" json:"key,omitempty"`
	URL   string `yaml:"url,omitempty" json:"url,omitempty"`
}

// Area is a focus area (fokusområde, strategiområde).
type Area struct {
	Key         string   `yaml:"key" json:"key"`
	Title       string   `yaml:"title" json:"title"`
	Description string   `yaml:"description,omitempty" json:"description,omitempty"`
	Prioritised bool     `yaml:"prioritised,omitempty" json:"prioritised,omitempty"`
	Parent      *AreaRef `yaml:"parent,omitempty" json:"parent,omitempty"` // area of a parent (e.g. regional) document

	Indicators       []string         `yaml:"indicators,omitempty" json:"indicators,omitempty"`
	Goals            []Goal           `yaml:"goals,omitempty" json:"goals"`
	Commitments      []Commitment     `yaml:"commitments,omitempty" json:"commitments,omitempty"`
	Responsibilities []Responsibility `yaml:"responsibilities,omitempty" json:"responsibilities,omitempty"`

	// Rev is the stored revision (see Document.Rev).
	Rev int64 `yaml:"-" json:"rev,omitempty"`
}

// AreaRef points at an area of another document, typically another
// organisation's (a region's strategy that a kommun's area contributes to).
type AreaRef struct {
	Document string `yaml:"document" json:"document"`
	Area     string `yaml:"area" json:"area"`
}

// GoalLevel tells a long-term goal from a sub-goal.
type GoalLevel string

const (
	GoalLongTerm GoalLevel = "langsiktigt"
	GoalSub      GoalLevel = "delmal"
)

// Goal is a long-term goal or a sub-goal; sub-goals nest under Goals.
type Goal struct {
	Key         string    `yaml:"key" json:"key"`
	Level       GoalLevel `yaml:"level" json:"level"`
	Title       string    `yaml:"title" json:"title"`
	Description string    `yaml:"description,omitempty" json:"description,omitempty"`

	Targets          []Target         `yaml:"targets,omitempty" json:"targets"`
	Goals            []Goal           `yaml:"goals,omitempty" json:"goals,omitempty"`
	Commitments      []Commitment     `yaml:"commitments,omitempty" json:"commitments,omitempty"`
	Responsibilities []Responsibility `yaml:"responsibilities,omitempty" json:"responsibilities,omitempty"`

	// Rev is the stored revision (see Document.Rev).
	Rev int64 `yaml:"-" json:"rev,omitempty"`
}

// TargetKind is how a target is stated.
type TargetKind string

const (
	// TargetThreshold: a value to reach by a year ("minst 10 % år 2020").
	TargetThreshold TargetKind = "threshold"
	// TargetPerYear: an amount every year ("minst 300 per år").
	TargetPerYear TargetKind = "per_year"
	// TargetDirection: a direction only ("ska öka", "ska minska").
	TargetDirection TargetKind = "direction"
	// TargetRelative: compared with another series ("högst samma nivå som
	// inrikes födda"); Value, when set, is the allowed difference.
	TargetRelative TargetKind = "relative"
	// TargetQualitative: no series; judged by hand.
	TargetQualitative TargetKind = "qualitative"
)

// Comparator is the relation a target demands.
type Comparator string

const (
	AtLeast  Comparator = "at_least" // minst
	AtMost   Comparator = "at_most"  // högst
	About    Comparator = "about"    // cirka
	Increase Comparator = "increase" // ska öka
	Decrease Comparator = "decrease" // ska minska
)

// Gender is the breakdown of an observation: total, kvinnor, män.
type Gender string

const (
	Total Gender = "T"
	Women Gender = "K"
	Men   Gender = "M"
)

// Genders lists the genders in display order.
var Genders = []Gender{Total, Women, Men}

// Target is a quantitative (or qualitative) target under a goal.
type Target struct {
	Key                string     `yaml:"key" json:"key"`
	Text               string     `yaml:"text" json:"text"` // as written in the document
	Kind               TargetKind `yaml:"kind" json:"kind"`
	Comparator         Comparator `yaml:"comparator,omitempty" json:"comparator,omitempty"`
	Value              *float64   `yaml:"value,omitempty" json:"value"`
	Unit               string     `yaml:"unit,omitempty" json:"unit,omitempty"`
	BaseYear           int        `yaml:"base_year,omitempty" json:"base_year,omitempty"`
	BaseValue          *float64   `yaml:"base_value,omitempty" json:"base_value,omitempty"`
	TargetYear         int        `yaml:"target_year,omitempty" json:"target_year,omitempty"`
	Indicator          string     `yaml:"indicator,omitempty" json:"indicator,omitempty"`
	ReferenceIndicator string     `yaml:"reference_indicator,omitempty" json:"reference_indicator,omitempty"`
	Gender             Gender     `yaml:"gender,omitempty" json:"gender,omitempty"` // "" = T
	// Assessment is a status set by hand: the verdict on a qualitative
	// target, or an override of the computed one, which is kept beside it.
	Assessment *Assessment `yaml:"assessment,omitempty" json:"assessment,omitempty"`

	// Rev is the stored revision (see Document.Rev).
	Rev int64 `yaml:"-" json:"rev,omitempty"`
}

// AssessmentStatus is a verdict on a target. The codes are those of the
// status engine (internal/progress), which computes them.
type AssessmentStatus string

const (
	Achieved           AssessmentStatus = "achieved"            // uppnått
	OnTrack            AssessmentStatus = "on_track"            // på väg
	AccelerationNeeded AssessmentStatus = "acceleration_needed" // behöver öka takten
	LimitedProgress    AssessmentStatus = "limited_progress"    // begränsad förbättring
	Deterioration      AssessmentStatus = "deterioration"       // försämring
	NotAchieved        AssessmentStatus = "not_achieved"        // inte uppnått
	CannotAssess       AssessmentStatus = "cannot_assess"       // kan inte bedömas
)

// Assessment is a status set by a person, with the reasons for it.
type Assessment struct {
	Status        AssessmentStatus `yaml:"status" json:"status"`
	Justification string           `yaml:"justification" json:"justification"`
	By            string           `yaml:"by,omitempty" json:"by,omitempty"`
	On            Date             `yaml:"on,omitempty" json:"on,omitzero"`
}

// ResponsibilityRole is what a body does for an area, goal or document.
type ResponsibilityRole string

const (
	RoleDecides     ResponsibilityRole = "beslutar"      // adopts, decides plans
	RoleLeads       ResponsibilityRole = "huvudansvarig" // leads the area
	RoleCoordinates ResponsibilityRole = "samordnar"     // coordinates, follows up
	RoleContributes ResponsibilityRole = "medverkar"     // contributes
	RoleSupports    ResponsibilityRole = "stodjer"       // supports others
)

// Responsibility links a body to a document, area or goal.
type Responsibility struct {
	Body   string             `yaml:"body" json:"body"`
	Role   ResponsibilityRole `yaml:"role" json:"role"`
	Duties []string           `yaml:"duties,omitempty" json:"duties,omitempty"`

	// Rev is the stored revision (see Document.Rev).
	Rev int64 `yaml:"-" json:"rev,omitempty"`
}

// Commitment is a strategy statement ("Kommunen ska …").
type Commitment struct {
	Key    string   `yaml:"key" json:"key"`
	Text   string   `yaml:"text" json:"text"`
	Bodies []string `yaml:"bodies,omitempty" json:"bodies,omitempty"`

	// Rev is the stored revision (see Document.Rev).
	Rev int64 `yaml:"-" json:"rev,omitempty"`
}

// Term is a definition as the document uses it; definitions differ between
// municipalities (nyanländ: two or three years).
type Term struct {
	Key        string `yaml:"key" json:"key"`
	Term       string `yaml:"term" json:"term"`
	Definition string `yaml:"definition" json:"definition"`

	// Rev is the stored revision (see Document.Rev).
	Rev int64 `yaml:"-" json:"rev,omitempty"`
}

// PlanStatus is where an action plan is in its decision.
type PlanStatus string

const (
	PlanDraft   PlanStatus = "utkast"
	PlanDecided PlanStatus = "beslutad"
)

// ActivityStatus is how far an activity has come.
type ActivityStatus string

const (
	ActivityPlanned   ActivityStatus = "planerad"
	ActivityOngoing   ActivityStatus = "pagar"
	ActivityDone      ActivityStatus = "genomford"
	ActivityLate      ActivityStatus = "forsenad"
	ActivityCancelled ActivityStatus = "installd"
)

// ActionPlan is a body's plan of activities for a year.
type ActionPlan struct {
	Key        string     `yaml:"key" json:"key"`
	Body       string     `yaml:"body" json:"body"`
	Year       int        `yaml:"year" json:"year"`
	Title      string     `yaml:"title,omitempty" json:"title,omitempty"`
	Status     PlanStatus `yaml:"status" json:"status"`
	Activities []Activity `yaml:"activities,omitempty" json:"activities"`
	// Decision is the decision that made the plan beslutad.
	Decision PlanDecision `yaml:"decision,omitempty" json:"decision,omitzero"`

	// Rev is the stored revision (see Document.Rev).
	Rev int64 `yaml:"-" json:"rev,omitempty"`
}

// PlanDecision records the decision on an action plan (Status beslutad).
type PlanDecision struct {
	Reference string `yaml:"reference,omitempty" json:"reference,omitempty"` // "BUN 2026-02-12 § 14"
	On        Date   `yaml:"on,omitempty" json:"on,omitzero"`
}

// TargetGroups are the seeds' target groups of activities (Strömsund's
// programme, section 11.3). An activity may name another in free text.
var TargetGroups = []string{"alla", "migranter och kommunplacerade", "enbart kommunplacerade", "civilsamhället"}

// Note is a dated follow-up note on an activity, with its author.
type Note struct {
	ID        int64     `yaml:"-" json:"id"`
	Date      Date      `yaml:"date" json:"date"` // the day the note is about
	Text      string    `yaml:"text" json:"text"`
	AuthorID  int64     `yaml:"-" json:"author_id,omitempty"`
	Author    string    `yaml:"author" json:"author"` // the author's name when written
	CreatedAt time.Time `yaml:"-" json:"created_at"`
}

// Activity is a row of an action plan, in the seeds' layout:
// målgrupp, aktivitet, tid, ansvarig, uppföljning.
type Activity struct {
	Key         string         `yaml:"key" json:"key"`
	TargetGroup string         `yaml:"target_group" json:"target_group"`
	Title       string         `yaml:"title" json:"title"`
	Description string         `yaml:"description,omitempty" json:"description,omitempty"`
	Time        string         `yaml:"time,omitempty" json:"time,omitempty"` // a date, a range of dates or a quarter: see ParseTiming
	Responsible string         `yaml:"responsible,omitempty" json:"responsible,omitempty"`
	FollowUp    Date           `yaml:"follow_up,omitempty" json:"follow_up,omitzero"` // when it is followed up
	Goals       []string       `yaml:"goals,omitempty" json:"goals,omitempty"`        // goal keys
	Status      ActivityStatus `yaml:"status" json:"status"`
	// Progress is how much is done, 0–100 %; nil when not estimated.
	Progress *int `yaml:"progress,omitempty" json:"progress,omitempty"`
	// Notes are the dated follow-up notes, oldest first. They are written
	// one at a time through Store.AddNote, never through a file, and are
	// not part of the strategy file.
	Notes []Note `yaml:"-" json:"notes,omitempty"`

	// Rev is the stored revision (see Document.Rev).
	Rev int64 `yaml:"-" json:"rev,omitempty"`
}

// Polarity tells which direction of an indicator is good.
type Polarity string

const (
	HigherIsBetter Polarity = "higher"
	LowerIsBetter  Polarity = "lower"
	Neutral        Polarity = "neutral"
)

// Indicator is a measured series. Its key is global; its values per
// organisation, year and gender are Observations.
// Source is "kolada:<KPI id>", "scb:<table>?<selection>" or "manual".
type Indicator struct {
	Key         string   `yaml:"key" json:"key"`
	Title       string   `yaml:"title" json:"title"`
	Description string   `yaml:"description,omitempty" json:"description,omitempty"`
	Unit        string   `yaml:"unit" json:"unit"`
	Polarity    Polarity `yaml:"polarity" json:"polarity"`
	Source      string   `yaml:"source" json:"source"`
	Breakdowns  []string `yaml:"breakdowns,omitempty" json:"breakdowns,omitempty"` // "gender"
	// Translations are the title and description in other languages than
	// Swedish (paths "title", "description").
	Translations Translations `yaml:"translations,omitempty" json:"translations,omitempty"`

	// Rev is the stored revision (see Document.Rev).
	Rev int64 `yaml:"-" json:"rev,omitempty"`
}

// ByGender reports whether the indicator is broken down by gender.
func (i Indicator) ByGender() bool {
	for _, b := range i.Breakdowns {
		if b == BreakdownGender {
			return true
		}
	}
	return false
}

// BreakdownGender is the breakdown into K and M besides T.
const BreakdownGender = "gender"

// Observation is one value: indicator × organisation × year × gender.
// Invariant: a missing value is nil, never 0.
type Observation struct {
	Indicator   string    `json:"indicator"`
	Org         string    `json:"org"`
	Year        int       `json:"year"`
	Gender      Gender    `json:"gender"`
	Value       *float64  `json:"value"`
	Status      string    `json:"status,omitempty"`      // the source's status symbol, e.g. SCB ".."
	Preliminary bool      `json:"preliminary,omitempty"` // subject to revision by the source
	Source      string    `json:"source,omitempty"`      // "kolada", "scb", "demo", or a citation
	SourceURL   string    `json:"source_url,omitempty"`  // the request that fetched it
	FetchedAt   time.Time `json:"fetched_at,omitzero"`
}

// Bundle is everything one strategy file carries: an organisation, its
// bodies, at most one document, indicators and observations. Imports take
// bundles; exports produce them.
type Bundle struct {
	Organisation *Organisation
	Bodies       []Body
	Document     *Document
	Indicators   []Indicator
	Observations []Observation
}

// IndicatorKeys lists the indicators the document refers to, each once, in
// order of first reference: the document's own, then per area its
// indicators and its goal tree (each target's indicator and reference
// indicator, then the sub-goals').
func (d Document) IndicatorKeys() []string {
	var keys []string
	seen := map[string]bool{}
	add := func(ks ...string) {
		for _, k := range ks {
			if k != "" && !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	var goals func([]Goal)
	goals = func(gs []Goal) {
		for _, g := range gs {
			for _, t := range g.Targets {
				add(t.Indicator, t.ReferenceIndicator)
			}
			goals(g.Goals)
		}
	}
	add(d.Indicators...)
	for _, a := range d.Areas {
		add(a.Indicators...)
		goals(a.Goals)
	}
	return keys
}
