package strategy

import (
	"fmt"
	"math"
	"regexp"
	"strings"
)

var (
	keyPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,99}$`)
	// Län codes run 01–25 (with gaps); a kommun code starts with its län's.
	// Kolada's "0023" and "0000" are therefore refused: map them at the edge.
	kommunCode    = regexp.MustCompile(`^(0[1-9]|1[0-9]|2[0-5])[0-9]{2}$`)
	countyCode    = regexp.MustCompile(`^(0[1-9]|1[0-9]|2[0-5])$`)
	sourcePattern = regexp.MustCompile(`^(manual|demo|kolada:[A-Z][0-9]{5}|scb:\S+)$`)
	firstYear     = 1900
	lastYear      = 2200
)

// Valid reports whether k is a known organisation kind.
func (k OrgKind) Valid() bool { return k == OrgKommun || k == OrgRegion || k == OrgRiket }

// Valid reports whether k is a known body kind.
func (k BodyKind) Valid() bool {
	switch k {
	case BodyCouncil, BodyBoard, BodyCommittee, BodyAdministration, BodyCompany, BodyNetwork:
		return true
	}
	return false
}

// Valid reports whether k is a known document kind.
func (k DocumentKind) Valid() bool {
	switch k {
	case KindStrategy, KindProgramme, KindPlan, KindPolicy, KindGuidelines, KindRules:
		return true
	}
	return false
}

// Valid reports whether s is a known document status.
func (s DocumentStatus) Valid() bool {
	return s == StatusDraft || s == StatusAdopted || s == StatusRepealed
}

// Valid reports whether l is a known goal level.
func (l GoalLevel) Valid() bool { return l == GoalLongTerm || l == GoalSub }

// Valid reports whether g is T, K or M.
func (g Gender) Valid() bool { return g == Total || g == Women || g == Men }

// Valid reports whether r is a known responsibility role.
func (r ResponsibilityRole) Valid() bool {
	switch r {
	case RoleDecides, RoleLeads, RoleCoordinates, RoleContributes, RoleSupports:
		return true
	}
	return false
}

// Valid reports whether s is a known assessment status.
func (s AssessmentStatus) Valid() bool {
	switch s {
	case Achieved, OnTrack, AccelerationNeeded, LimitedProgress, Deterioration, NotAchieved, CannotAssess:
		return true
	}
	return false
}

// Valid reports whether p is a known polarity.
func (p Polarity) Valid() bool { return p == HigherIsBetter || p == LowerIsBetter || p == Neutral }

// Valid reports whether s is a known plan status.
func (s PlanStatus) Valid() bool { return s == PlanDraft || s == PlanDecided }

// Valid reports whether s is a known activity status.
func (s ActivityStatus) Valid() bool {
	switch s {
	case ActivityPlanned, ActivityOngoing, ActivityDone, ActivityLate, ActivityCancelled:
		return true
	}
	return false
}

// ValidKey reports whether k can serve as a stable key: lower-case letters,
// digits, '.', '_' and '-', at most 100 characters.
func ValidKey(k string) bool { return keyPattern.MatchString(k) }

// ValidOrgCode reports whether code is a kommun, län or riket code.
func ValidOrgCode(code string) bool {
	return kommunCode.MatchString(code) || countyCode.MatchString(code) || code == "00"
}

// Validate checks the organisation's fields.
func (o Organisation) Validate() error {
	p := newProblems("")
	o.validate(p)
	return p.err()
}

func (o Organisation) validate(p problems) {
	if o.Name == "" {
		p.add("name", "is required")
	}
	switch o.Kind {
	case OrgKommun:
		if !kommunCode.MatchString(o.Code) {
			p.add("code", "a kommun's code has four digits (SCB kommunkod), got %q", o.Code)
		} else if o.County != "" && o.County != o.Code[:2] {
			p.add("county", "kommun %s lies in län %s, not %q", o.Code, o.Code[:2], o.County)
		}
	case OrgRegion:
		if !countyCode.MatchString(o.Code) {
			p.add("code", "a region's code has two digits (SCB länskod), got %q", o.Code)
		}
	case OrgRiket:
		if o.Code != "00" {
			p.add("code", "riket's code is \"00\", got %q", o.Code)
		}
	default:
		p.add("kind", "must be kommun, region or riket, got %q", o.Kind)
	}
	if o.County != "" && !countyCode.MatchString(o.County) {
		p.add("county", "a länskod has two digits, got %q", o.County)
	}
}

// Validate checks everything the bundle carries and the references between
// its parts. knownIndicator reports whether an indicator defined outside the
// bundle (in another file of the same import, or already stored) may be
// referred to; nil allows only the bundle's own.
func (b Bundle) Validate(knownIndicator func(key string) bool) error {
	p := newProblems("")
	indicators := map[string]Indicator{}
	for i, ind := range b.Indicators {
		q := p.index("indicators", i)
		ind.validate(q)
		if _, dup := indicators[ind.Key]; dup {
			q.add("key", "indicator %q is defined twice", ind.Key)
		}
		indicators[ind.Key] = ind
	}
	hasIndicator := func(k string) bool {
		if _, ok := indicators[k]; ok {
			return true
		}
		return knownIndicator != nil && knownIndicator(k)
	}

	if b.Organisation == nil {
		if len(b.Bodies) > 0 || b.Document != nil {
			p.add("organisation", "is required when the file has bodies or a document")
		}
	} else {
		b.Organisation.validate(p.at("organisation"))
	}

	bodies := map[string]bool{}
	for i, body := range b.Bodies {
		q := p.index("bodies", i)
		if !ValidKey(body.Key) {
			q.add("key", "%s", keyMessage(body.Key))
		} else if bodies[body.Key] {
			q.add("key", "body %q is defined twice", body.Key)
		}
		bodies[body.Key] = true
		if body.Name == "" {
			q.add("name", "is required")
		}
		if !body.Kind.Valid() {
			q.add("kind", "must be one of fullmaktige, styrelse, namnd, forvaltning, bolag, natverk, got %q", body.Kind)
		}
	}
	parents := map[string]string{}
	for _, body := range b.Bodies {
		parents[body.Key] = body.Parent
	}
	for i, body := range b.Bodies {
		switch {
		case body.Parent == "":
		case !bodies[body.Parent] || body.Parent == body.Key:
			p.index("bodies", i).add("parent", "no other body has the key %q", body.Parent)
		case inCycle(body.Key, parents):
			p.index("bodies", i).add("parent", "body %q is, through its parents, its own parent", body.Key)
		}
	}

	if b.Document != nil {
		v := docValidator{bodies: bodies, hasIndicator: hasIndicator, keys: map[string]map[string]bool{}}
		v.document(p.at("document"), b.Document)
	}

	seen := map[ObservationKey]bool{}
	for i, o := range b.Observations {
		q := p.index("observations", i)
		if !hasIndicator(o.Indicator) {
			q.add("indicator", "no indicator has the key %q", o.Indicator)
		} else if ind, ok := indicators[o.Indicator]; ok && o.Gender != Total && !ind.ByGender() {
			q.add("gender", "indicator %q has no breakdown by gender, so only T is allowed", o.Indicator)
		}
		o.validate(q)
		if seen[o.Key()] {
			q.add("year", "a value for %s %s %d %s is given twice", o.Indicator, o.Org, o.Year, o.Gender)
		}
		seen[o.Key()] = true
	}
	return p.err()
}

// inCycle reports whether following parents from key comes back to key.
func inCycle(key string, parents map[string]string) bool {
	for k, steps := parents[key], 0; k != "" && steps <= len(parents); k, steps = parents[k], steps+1 {
		if k == key {
			return true
		}
	}
	return false
}

func (ind Indicator) validate(p problems) {
	if !ValidKey(ind.Key) {
		p.add("key", "%s", keyMessage(ind.Key))
	}
	if ind.Title == "" {
		p.add("title", "is required")
	}
	if ind.Unit == "" {
		p.add("unit", "is required (e.g. \"%%\", \"antal\")")
	}
	if !ind.Polarity.Valid() {
		p.add("polarity", "must be higher, lower or neutral, got %q", ind.Polarity)
	}
	if !sourcePattern.MatchString(ind.Source) {
		p.add("source", "must be manual, demo, kolada:<KPI id> (e.g. kolada:N02926) or scb:<table>, got %q", ind.Source)
	}
	for j, b := range ind.Breakdowns {
		if b != BreakdownGender {
			p.index("breakdowns", j).add("", "unknown breakdown %q (known: gender)", b)
		}
	}
}

// ObservationKey identifies an observation.
type ObservationKey struct {
	Indicator, Org string
	Year           int
	Gender         Gender
}

// Key returns the observation's identity.
func (o Observation) Key() ObservationKey {
	return ObservationKey{o.Indicator, o.Org, o.Year, o.Gender}
}

func (o Observation) validate(p problems) {
	if !ValidOrgCode(o.Org) {
		p.add("org", "%q is not a kommun, län or riket code", o.Org)
	}
	if o.Year < firstYear || o.Year > lastYear {
		p.add("year", "%d is not a plausible year", o.Year)
	}
	if !o.Gender.Valid() {
		p.add("gender", "must be T, K or M, got %q", o.Gender)
	}
	if o.Value != nil && (math.IsNaN(*o.Value) || math.IsInf(*o.Value, 0)) {
		p.add("value", "must be a finite number or empty")
	}
}

// docValidator carries what the checks of a document's parts share.
type docValidator struct {
	bodies       map[string]bool
	hasIndicator func(string) bool
	keys         map[string]map[string]bool // kind of thing → keys seen
	goals        []goalRef                  // collected to check activities' links after the tree
}

type goalRef struct {
	key string
	p   problems
}

func (v *docValidator) key(p problems, kind, key string) {
	if !ValidKey(key) {
		p.add("key", "%s", keyMessage(key))
		return
	}
	if v.keys[kind] == nil {
		v.keys[kind] = map[string]bool{}
	}
	if v.keys[kind][key] {
		p.add("key", "another %s in this document has the key %q", kind, key)
	}
	v.keys[kind][key] = true
}

func (v *docValidator) body(p problems, field, key string) {
	if key != "" && !v.bodies[key] {
		p.add(field, "no body in this file has the key %q", key)
	}
}

func (v *docValidator) indicator(p problems, field, key string) {
	if key != "" && !v.hasIndicator(key) {
		p.add(field, "no indicator has the key %q", key)
	}
}

func (v *docValidator) document(p problems, d *Document) {
	if !ValidKey(d.Key) {
		p.add("key", "%s", keyMessage(d.Key))
	}
	if !d.Kind.Valid() {
		p.add("kind", "must be one of strategi, program, plan, policy, riktlinjer, regler, got %q", d.Kind)
	}
	if d.Title == "" {
		p.add("title", "is required")
	}
	if !d.Status.Valid() {
		p.add("status", "must be utkast, antagen or upphavd, got %q", d.Status)
	}
	if d.Status == StatusAdopted && d.Adopted.On.IsZero() {
		p.at("adopted").add("on", "an adopted document needs its adoption date")
	}
	v.body(p.at("adopted"), "by", d.Adopted.By)
	if !d.ValidFrom.IsZero() && !d.ValidTo.IsZero() && d.ValidTo.Before(d.ValidFrom) {
		p.add("valid_to", "%s is before valid_from %s", d.ValidTo, d.ValidFrom)
	}
	fu := p.at("follow_up")
	if d.FollowUp.IntervalYears < 0 {
		fu.add("interval_years", "cannot be negative")
	}
	if d.FollowUp.DeepIntervalYears < 0 {
		fu.add("deep_interval_years", "cannot be negative")
	}
	v.body(fu, "report_to", d.FollowUp.ReportTo)
	if due := d.Revision.Due; due != 0 && (due < firstYear || due > lastYear) {
		p.at("revision").add("due", "%d is not a plausible year", due)
	}
	v.body(p, "owner", d.Owner)
	for i, r := range d.Replaces {
		if !ValidKey(r) {
			p.index("replaces", i).add("", "%s", keyMessage(r))
		} else if r == d.Key {
			p.index("replaces", i).add("", "a document cannot replace itself")
		}
	}
	for i, r := range d.Related {
		if r.Title == "" {
			p.index("related", i).add("title", "is required")
		}
	}
	for i, k := range d.Indicators {
		v.indicator(p, fmt.Sprintf("indicators[%d]", i), k)
	}
	v.responsibilities(p, d.Responsibilities)
	for i, a := range d.Areas {
		v.area(p.index("areas", i), a)
	}
	for i, t := range d.Terms {
		q := p.index("terms", i)
		v.key(q, "term", t.Key)
		if t.Term == "" {
			q.add("term", "is required")
		}
		if t.Definition == "" {
			q.add("definition", "is required")
		}
	}
	for i, plan := range d.ActionPlans {
		v.plan(p.index("action_plans", i), plan)
	}
	for _, g := range v.goals {
		if v.keys["goal"] == nil || !v.keys["goal"][g.key] {
			g.p.add("", "no goal in this document has the key %q", g.key)
		}
	}
}

func (v *docValidator) area(p problems, a Area) {
	v.key(p, "area", a.Key)
	if a.Title == "" {
		p.add("title", "is required")
	}
	if a.Parent != nil && (a.Parent.Document == "" || a.Parent.Area == "") {
		p.add("parent", "needs both document and area")
	}
	for i, k := range a.Indicators {
		v.indicator(p, fmt.Sprintf("indicators[%d]", i), k)
	}
	for i, g := range a.Goals {
		v.goal(p.index("goals", i), g)
	}
	v.commitments(p, a.Commitments)
	v.responsibilities(p, a.Responsibilities)
}

func (v *docValidator) goal(p problems, g Goal) {
	v.key(p, "goal", g.Key)
	if !g.Level.Valid() {
		p.add("level", "must be langsiktigt or delmal, got %q", g.Level)
	}
	if g.Title == "" {
		p.add("title", "is required")
	}
	for i, t := range g.Targets {
		v.target(p.index("targets", i), t)
	}
	for i, sub := range g.Goals {
		v.goal(p.index("goals", i), sub)
	}
	v.commitments(p, g.Commitments)
	v.responsibilities(p, g.Responsibilities)
}

func (v *docValidator) target(p problems, t Target) {
	v.key(p, "target", t.Key)
	if t.Text == "" {
		p.add("text", "is required: the target as the document words it")
	}
	switch t.Kind {
	case TargetThreshold, TargetPerYear:
		if t.Comparator != AtLeast && t.Comparator != AtMost && t.Comparator != About {
			p.add("comparator", "a %s target needs at_least, at_most or about, got %q", t.Kind, t.Comparator)
		}
		if t.Value == nil {
			p.add("value", "a %s target needs a value", t.Kind)
		}
		if t.Kind == TargetThreshold && t.TargetYear == 0 {
			p.add("target_year", "a threshold target needs the year it is to be reached")
		}
	case TargetDirection:
		if t.Comparator != Increase && t.Comparator != Decrease {
			p.add("comparator", "a direction target needs increase or decrease, got %q", t.Comparator)
		}
		if t.Value != nil {
			p.add("value", "a direction target has no value; use a threshold target for a level")
		}
	case TargetRelative:
		if t.Comparator != AtLeast && t.Comparator != AtMost {
			p.add("comparator", "a relative target needs at_least or at_most, got %q", t.Comparator)
		}
		if t.ReferenceIndicator == "" {
			p.add("reference_indicator", "a relative target needs the series it is compared with")
		}
	case TargetQualitative:
		if t.Value != nil {
			p.add("value", "a qualitative target has no value")
		}
	default:
		p.add("kind", "must be threshold, per_year, direction, relative or qualitative, got %q", t.Kind)
	}
	if t.Kind != TargetQualitative && t.Kind != "" && t.Indicator == "" {
		p.add("indicator", "a %s target needs the indicator that measures it", t.Kind)
	}
	if t.Value != nil && t.Unit == "" {
		p.add("unit", "is required when a value is given")
	}
	for _, y := range []struct {
		field string
		year  int
	}{{"base_year", t.BaseYear}, {"target_year", t.TargetYear}} {
		if y.year != 0 && (y.year < firstYear || y.year > lastYear) {
			p.add(y.field, "%d is not a plausible year", y.year)
		}
	}
	if t.BaseValue != nil && t.BaseYear == 0 {
		p.add("base_year", "is required when base_value is given")
	}
	if t.BaseYear != 0 && t.TargetYear != 0 && t.TargetYear <= t.BaseYear {
		p.add("target_year", "%d is not after base_year %d", t.TargetYear, t.BaseYear)
	}
	if t.Gender != "" && !t.Gender.Valid() {
		p.add("gender", "must be T, K or M, got %q", t.Gender)
	}
	v.indicator(p, "indicator", t.Indicator)
	v.indicator(p, "reference_indicator", t.ReferenceIndicator)
	if a := t.Assessment; a != nil {
		q := p.at("assessment")
		if !a.Status.Valid() {
			q.add("status", "must be achieved, on_track, acceleration_needed, limited_progress, deterioration, not_achieved or cannot_assess, got %q", a.Status)
		}
		if strings.TrimSpace(a.Justification) == "" {
			q.add("justification", "is required: say why the status was set by hand")
		}
	}
}

func (v *docValidator) commitments(p problems, cs []Commitment) {
	for i, c := range cs {
		q := p.index("commitments", i)
		v.key(q, "commitment", c.Key)
		if c.Text == "" {
			q.add("text", "is required")
		}
		for j, b := range c.Bodies {
			v.body(q, fmt.Sprintf("bodies[%d]", j), b)
		}
	}
}

func (v *docValidator) responsibilities(p problems, rs []Responsibility) {
	for i, r := range rs {
		q := p.index("responsibilities", i)
		if r.Body == "" {
			q.add("body", "is required")
		}
		v.body(q, "body", r.Body)
		if !r.Role.Valid() {
			q.add("role", "must be beslutar, huvudansvarig, samordnar, medverkar or stodjer, got %q", r.Role)
		}
	}
}

func (v *docValidator) plan(p problems, plan ActionPlan) {
	v.key(p, "action plan", plan.Key)
	if plan.Body == "" {
		p.add("body", "is required")
	}
	v.body(p, "body", plan.Body)
	if plan.Year < firstYear || plan.Year > lastYear {
		p.add("year", "%d is not a plausible year", plan.Year)
	}
	if !plan.Status.Valid() {
		p.add("status", "must be utkast or beslutad, got %q", plan.Status)
	}
	seen := map[string]bool{}
	for i, a := range plan.Activities {
		q := p.index("activities", i)
		if !ValidKey(a.Key) {
			q.add("key", "%s", keyMessage(a.Key))
		} else if seen[a.Key] {
			q.add("key", "another activity in this plan has the key %q", a.Key)
		}
		seen[a.Key] = true
		if a.TargetGroup == "" {
			q.add("target_group", "is required")
		}
		if a.Title == "" {
			q.add("title", "is required")
		}
		if !a.Status.Valid() {
			q.add("status", "must be planerad, pagar, genomford, forsenad or installd, got %q", a.Status)
		}
		for j, g := range a.Goals {
			v.goals = append(v.goals, goalRef{key: g, p: q.index("goals", j)})
		}
	}
}

func keyMessage(k string) string {
	if k == "" {
		return "is required"
	}
	if strings.ToLower(k) != k {
		return fmt.Sprintf("%q must be lower case (a-z, 0-9, '.', '_', '-')", k)
	}
	return fmt.Sprintf("%q is not a valid key (a-z, 0-9, '.', '_', '-', at most 100 characters)", k)
}
