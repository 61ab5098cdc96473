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
		p.add("name", "Ange organisationens namn.", "is required")
	}
	switch o.Kind {
	case OrgKommun:
		if !kommunCode.MatchString(o.Code) {
			p.add("code", "En kommunkod har fyra siffror (SCB:s kommunkod), till exempel 2380 för Östersund.",
				"a kommun's code has four digits (SCB kommunkod), got %q", o.Code)
		} else if o.County != "" && o.County != o.Code[:2] {
			p.add("county", fmt.Sprintf("Kommun %s ligger i län %s, inte i %s.", o.Code, o.Code[:2], o.County),
				"kommun %s lies in län %s, not %q", o.Code, o.Code[:2], o.County)
		}
	case OrgRegion:
		if !countyCode.MatchString(o.Code) {
			p.add("code", "En regions kod är länskoden med två siffror, till exempel 23 för Jämtlands län.",
				"a region's code has two digits (SCB länskod), got %q", o.Code)
		}
	case OrgRiket:
		if o.Code != "00" {
			p.add("code", "Rikets kod är 00.", "riket's code is \"00\", got %q", o.Code)
		}
	default:
		p.add("kind", "Välj kommun, region eller riket.", "must be kommun, region or riket, got %q", o.Kind)
	}
	if o.County != "" && !countyCode.MatchString(o.County) {
		p.add("county", "Länskoden har två siffror, till exempel 23.", "a länskod has two digits, got %q", o.County)
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
			q.add("key", fmt.Sprintf("Indikatorn ”%s” finns redan. Varje indikator får bara anges en gång.", ind.Key),
				"indicator %q is defined twice", ind.Key)
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
			p.add("organisation", "Ange organisationen. Den behövs när det finns organ eller ett styrdokument.",
				"is required when the file has bodies or a document")
		}
	} else {
		b.Organisation.validate(p.at("organisation"))
	}

	bodies := map[string]bool{}
	for i, body := range b.Bodies {
		q := p.index("bodies", i)
		if !ValidKey(body.Key) {
			q.addKey("key", body.Key)
		} else if bodies[body.Key] {
			q.add("key", fmt.Sprintf("Det finns redan ett organ med nyckeln ”%s”.", body.Key), "body %q is defined twice", body.Key)
		}
		bodies[body.Key] = true
		if body.Name == "" {
			q.add("name", "Ange organets namn.", "is required")
		}
		if !body.Kind.Valid() {
			q.add("kind", "Välj typ av organ: fullmäktige, styrelse, nämnd, förvaltning, bolag eller nätverk.",
				"must be one of fullmaktige, styrelse, namnd, forvaltning, bolag, natverk, got %q", body.Kind)
		}
	}
	parents := map[string]string{}
	for _, body := range b.Bodies {
		parents[body.Key] = body.Parent
	}
	for i, body := range b.Bodies {
		q := p.index("bodies", i)
		switch {
		case body.Parent == "":
		case !bodies[body.Parent] || body.Parent == body.Key:
			q.add("parent", fmt.Sprintf("Det finns inget annat organ med nyckeln ”%s”.", body.Parent),
				"no other body has the key %q", body.Parent)
		case inCycle(body.Key, parents):
			q.add("parent", fmt.Sprintf("Organet ”%s” hamnar under sig självt via sina överordnade organ. Välj ett annat överordnat organ.", body.Key),
				"body %q is, through its parents, its own parent", body.Key)
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
			q.add("indicator", fmt.Sprintf("Det finns ingen indikator med nyckeln ”%s”.", o.Indicator),
				"no indicator has the key %q", o.Indicator)
		} else if ind, ok := indicators[o.Indicator]; ok && o.Gender != Total && !ind.ByGender() {
			q.add("gender", fmt.Sprintf("Indikatorn ”%s” är inte uppdelad på kön, så bara T (totalt) går att ange.", o.Indicator),
				"indicator %q has no breakdown by gender, so only T is allowed", o.Indicator)
		}
		o.validate(q)
		if seen[o.Key()] {
			q.add("year", fmt.Sprintf("Värdet för %s, %s, %d, %s finns redan. Ange det bara en gång.", o.Indicator, o.Org, o.Year, o.Gender),
				"a value for %s %s %d %s is given twice", o.Indicator, o.Org, o.Year, o.Gender)
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
		p.addKey("key", ind.Key)
	}
	if ind.Title == "" {
		p.add("title", "Ange indikatorns namn.", "is required")
	}
	if ind.Unit == "" {
		p.add("unit", "Ange en enhet, till exempel ”%” eller ”antal”.", "is required (e.g. \"%%\", \"antal\")")
	}
	if !ind.Polarity.Valid() {
		p.add("polarity", "Välj vilket håll som är bra: högre, lägre eller neutralt.",
			"must be higher, lower or neutral, got %q", ind.Polarity)
	}
	if !sourcePattern.MatchString(ind.Source) {
		p.add("source", "Ange källan som manual (egna uppgifter), demo, kolada: och KPI-id (till exempel kolada:N02926) eller scb: och tabell.",
			"must be manual, demo, kolada:<KPI id> (e.g. kolada:N02926) or scb:<table>, got %q", ind.Source)
	}
	for j, b := range ind.Breakdowns {
		if b != BreakdownGender {
			p.index("breakdowns", j).add("", fmt.Sprintf("Uppdelningen ”%s” finns inte. Den enda som finns är gender (kön).", b),
				"unknown breakdown %q (known: gender)", b)
		}
	}
	ind.validateTranslations(p)
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
		p.add("org", fmt.Sprintf("Koden ”%s” är ingen kommun-, läns- eller rikskod. Ange fyra siffror för en kommun (2380), två för ett län (23) eller 00 för riket.", o.Org),
			"%q is not a kommun, län or riket code", o.Org)
	}
	if o.Year < firstYear || o.Year > lastYear {
		p.add("year", yearSv(firstYear, lastYear), "%d is not a plausible year", o.Year)
	}
	if !o.Gender.Valid() {
		p.add("gender", "Ange T (totalt), K (kvinnor) eller M (män).", "must be T, K or M, got %q", o.Gender)
	}
	if o.Value != nil && (math.IsNaN(*o.Value) || math.IsInf(*o.Value, 0)) {
		p.add("value", "Måste vara ett tal, till exempel 12,5, eller lämnas tomt.", "must be a finite number or empty")
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
		p.addKey("key", key)
		return
	}
	if v.keys[kind] == nil {
		v.keys[kind] = map[string]bool{}
	}
	if v.keys[kind][key] {
		p.add("key", fmt.Sprintf("%s i dokumentet har redan nyckeln ”%s”.", anotherSv[kind], key),
			"another %s in this document has the key %q", kind, key)
	}
	v.keys[kind][key] = true
}

func (v *docValidator) body(p problems, field, key string) {
	if key != "" && !v.bodies[key] {
		p.add(field, fmt.Sprintf("Det finns inget organ med nyckeln ”%s”.", key), "no body in this file has the key %q", key)
	}
}

func (v *docValidator) indicator(p problems, field, key string) {
	if key != "" && !v.hasIndicator(key) {
		p.add(field, fmt.Sprintf("Det finns ingen indikator med nyckeln ”%s”.", key), "no indicator has the key %q", key)
	}
}

func (v *docValidator) document(p problems, d *Document) {
	if !ValidKey(d.Key) {
		p.addKey("key", d.Key)
	}
	if !d.Kind.Valid() {
		p.add("kind", "Välj typ av styrdokument: strategi, program, plan, policy, riktlinjer eller regler.",
			"must be one of strategi, program, plan, policy, riktlinjer, regler, got %q", d.Kind)
	}
	if d.Title == "" {
		p.add("title", "Ange en titel.", "is required")
	}
	if !d.Status.Valid() {
		p.add("status", "Välj status: utkast, antagen eller upphävd.", "must be utkast, antagen or upphavd, got %q", d.Status)
	}
	adopted := p.at("adopted")
	if d.Status == StatusAdopted && d.Adopted.On.IsZero() {
		adopted.add("on", "Ange vilket datum dokumentet antogs.", "an adopted document needs its adoption date")
	}
	v.body(adopted, "by", d.Adopted.By)
	if !d.ValidFrom.IsZero() && !d.ValidTo.IsZero() && d.ValidTo.Before(d.ValidFrom) {
		p.add("valid_to", fmt.Sprintf("Giltigheten kan inte sluta (%s) innan den börjar (%s).", d.ValidTo, d.ValidFrom),
			"%s is before valid_from %s", d.ValidTo, d.ValidFrom)
	}
	fu := p.at("follow_up")
	if d.FollowUp.IntervalYears < 0 {
		fu.add("interval_years", "Antalet år mellan uppföljningarna kan inte vara negativt.", "cannot be negative")
	}
	if d.FollowUp.DeepIntervalYears < 0 {
		fu.add("deep_interval_years", "Antalet år mellan de fördjupade uppföljningarna kan inte vara negativt.", "cannot be negative")
	}
	v.body(fu, "report_to", d.FollowUp.ReportTo)
	if due := d.Revision.Due; due != 0 && (due < firstYear || due > lastYear) {
		p.at("revision").add("due", yearSv(firstYear, lastYear), "%d is not a plausible year", due)
	}
	v.body(p, "owner", d.Owner)
	for i, r := range d.Replaces {
		if !ValidKey(r) {
			p.index("replaces", i).addKey("", r)
		} else if r == d.Key {
			p.index("replaces", i).add("", "Ett dokument kan inte ersätta sig självt.", "a document cannot replace itself")
		}
	}
	for i, r := range d.Related {
		if r.Title == "" {
			p.index("related", i).add("title", "Ange titeln på det relaterade dokumentet.", "is required")
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
			q.add("term", "Ange begreppet.", "is required")
		}
		if t.Definition == "" {
			q.add("definition", "Skriv vad begreppet betyder i dokumentet.", "is required")
		}
	}
	for i, plan := range d.ActionPlans {
		v.plan(p.index("action_plans", i), plan)
	}
	for _, g := range v.goals {
		if v.keys["goal"] == nil || !v.keys["goal"][g.key] {
			g.p.add("", fmt.Sprintf("Det finns inget mål med nyckeln ”%s” i dokumentet.", g.key),
				"no goal in this document has the key %q", g.key)
		}
	}
	d.validateTranslations(p)
}

func (v *docValidator) area(p problems, a Area) {
	v.key(p, "area", a.Key)
	if a.Title == "" {
		p.add("title", "Ange en titel.", "is required")
	}
	if a.Parent != nil && (a.Parent.Document == "" || a.Parent.Area == "") {
		p.add("parent", "Ange både dokumentet och området som det här området hör till.", "needs both document and area")
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
		p.add("level", "Välj långsiktigt mål eller delmål.", "must be langsiktigt or delmal, got %q", g.Level)
	}
	if g.Title == "" {
		p.add("title", "Ange en titel.", "is required")
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
		p.add("text", "Skriv målet så som det står i dokumentet.", "is required: the target as the document words it")
	}
	switch t.Kind {
	case TargetThreshold, TargetPerYear:
		if t.Comparator != AtLeast && t.Comparator != AtMost && t.Comparator != About {
			p.add("comparator", "Välj minst, högst eller cirka.", "a %s target needs at_least, at_most or about, got %q", t.Kind, t.Comparator)
		}
		if t.Value == nil {
			p.add("value", "Ange målvärdet, till exempel 12,5.", "a %s target needs a value", t.Kind)
		}
		if t.Kind == TargetThreshold && t.TargetYear == 0 {
			p.add("target_year", "Ange vilket år målet ska vara nått.", "a threshold target needs the year it is to be reached")
		}
	case TargetDirection:
		if t.Comparator != Increase && t.Comparator != Decrease {
			p.add("comparator", "Välj om värdet ska öka eller minska.", "a direction target needs increase or decrease, got %q", t.Comparator)
		}
		if t.Value != nil {
			p.add("value", "Ett mål som bara anger en riktning (ska öka, ska minska) har inget målvärde. Välj en annan sorts mål om det ska nå en viss nivå.",
				"a direction target has no value; use a threshold target for a level")
		}
	case TargetRelative:
		if t.Comparator != AtLeast && t.Comparator != AtMost {
			p.add("comparator", "Välj minst eller högst.", "a relative target needs at_least or at_most, got %q", t.Comparator)
		}
		if t.ReferenceIndicator == "" {
			p.add("reference_indicator", "Välj den indikator som målet jämförs med.", "a relative target needs the series it is compared with")
		}
	case TargetQualitative:
		if t.Value != nil {
			p.add("value", "Ett kvalitativt mål har inget målvärde. Lämna fältet tomt.", "a qualitative target has no value")
		}
	default:
		p.add("kind", "Välj sorts mål: en nivå ett visst år, ett antal per år, en riktning, en jämförelse med en annan serie eller ett kvalitativt mål.",
			"must be threshold, per_year, direction, relative or qualitative, got %q", t.Kind)
	}
	if t.Kind != TargetQualitative && t.Kind != "" && t.Indicator == "" {
		p.add("indicator", "Välj den indikator som mäter målet.", "a %s target needs the indicator that measures it", t.Kind)
	}
	if t.Value != nil && t.Unit == "" {
		p.add("unit", "Ange en enhet för målvärdet, till exempel ”%” eller ”personer”.", "is required when a value is given")
	}
	for _, y := range []struct {
		field string
		year  int
	}{{"base_year", t.BaseYear}, {"target_year", t.TargetYear}} {
		if y.year != 0 && (y.year < firstYear || y.year > lastYear) {
			p.add(y.field, yearSv(firstYear, lastYear), "%d is not a plausible year", y.year)
		}
	}
	if t.BaseValue != nil && t.BaseYear == 0 {
		p.add("base_year", "Ange vilket år basvärdet gäller.", "is required when base_value is given")
	}
	if t.BaseYear != 0 && t.TargetYear != 0 && t.TargetYear <= t.BaseYear {
		p.add("target_year", fmt.Sprintf("Målåret måste komma efter basåret %d.", t.BaseYear),
			"%d is not after base_year %d", t.TargetYear, t.BaseYear)
	}
	if t.Gender != "" && !t.Gender.Valid() {
		p.add("gender", "Välj T (totalt), K (kvinnor) eller M (män).", "must be T, K or M, got %q", t.Gender)
	}
	v.indicator(p, "indicator", t.Indicator)
	v.indicator(p, "reference_indicator", t.ReferenceIndicator)
	if a := t.Assessment; a != nil {
		q := p.at("assessment")
		if !a.Status.Valid() {
			q.add("status", "Välj en bedömning: uppnått, på väg, behöver öka takten, begränsad förbättring, försämring, inte uppnått eller kan inte bedömas.",
				"must be achieved, on_track, acceleration_needed, limited_progress, deterioration, not_achieved or cannot_assess, got %q", a.Status)
		}
		if strings.TrimSpace(a.Justification) == "" {
			q.add("justification", "Motivera bedömningen: skriv varför statusen sätts för hand.", "is required: say why the status was set by hand")
		}
	}
}

func (v *docValidator) commitments(p problems, cs []Commitment) {
	for i, c := range cs {
		q := p.index("commitments", i)
		v.key(q, "commitment", c.Key)
		if c.Text == "" {
			q.add("text", "Skriv åtagandet, till exempel ”Kommunen ska …”.", "is required")
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
			q.add("body", "Välj ett organ.", "is required")
		}
		v.body(q, "body", r.Body)
		if !r.Role.Valid() {
			q.add("role", "Välj roll: beslutar, huvudansvarig, samordnar, medverkar eller stödjer.",
				"must be beslutar, huvudansvarig, samordnar, medverkar or stodjer, got %q", r.Role)
		}
	}
}

func (v *docValidator) plan(p problems, plan ActionPlan) {
	v.key(p, "action plan", plan.Key)
	if plan.Body == "" {
		p.add("body", "Välj vilket organ planen gäller.", "is required")
	}
	v.body(p, "body", plan.Body)
	if plan.Year < firstYear || plan.Year > lastYear {
		p.add("year", yearSv(firstYear, lastYear), "%d is not a plausible year", plan.Year)
	}
	if !plan.Status.Valid() {
		p.add("status", "Välj status: utkast eller beslutad.", "must be utkast or beslutad, got %q", plan.Status)
	}
	if plan.Status == PlanDecided {
		q := p.at("decision")
		if strings.TrimSpace(plan.Decision.Reference) == "" {
			q.add("reference", "Ange vilket beslut som fastställde planen, till exempel ”BUN 2026-02-12 § 14”.",
				"a beslutad plan needs the reference of its decision")
		}
		if plan.Decision.On.IsZero() {
			q.add("on", "Ange vilket datum planen beslutades.", "a beslutad plan needs the date of its decision")
		}
	}
	seen := map[string]bool{}
	for i, a := range plan.Activities {
		q := p.index("activities", i)
		if !ValidKey(a.Key) {
			q.addKey("key", a.Key)
		} else if seen[a.Key] {
			q.add("key", fmt.Sprintf("En annan aktivitet i planen har redan nyckeln ”%s”.", a.Key),
				"another activity in this plan has the key %q", a.Key)
		}
		seen[a.Key] = true
		a.validate(q)
		for j, g := range a.Goals {
			v.goals = append(v.goals, goalRef{key: g, p: q.index("goals", j)})
		}
	}
}

// validate checks an activity's own fields; the links to goals are
// checked against the whole document.
func (a Activity) validate(p problems) {
	if strings.TrimSpace(a.TargetGroup) == "" {
		p.add("target_group", "Ange målgruppen, till exempel ”alla” eller ”enbart kommunplacerade”.", "is required")
	}
	if strings.TrimSpace(a.Title) == "" {
		p.add("title", "Ange vad aktiviteten är.", "is required")
	}
	if a.Time != "" {
		if _, err := parseTiming(a.Time); err != nil {
			p.put("time", err.Svenska, err.Message)
		}
	}
	if !a.Status.Valid() {
		p.add("status", "Välj status: planerad, pågår, genomförd, försenad eller inställd.",
			"must be planerad, pagar, genomford, forsenad or installd, got %q", a.Status)
	}
	if a.Progress != nil && (*a.Progress < 0 || *a.Progress > 100) {
		p.add("progress", "Ange hur stor del som är klar, från 0 till 100 procent.", "must be 0–100 (per cent), got %d", *a.Progress)
	}
}

// yearSv asks for a year in a range, in Swedish.
func yearSv(from, to int) string {
	return fmt.Sprintf("Ange ett år mellan %d och %d.", from, to)
}

// anotherSv names another thing of a kind, in Swedish, to start a sentence.
var anotherSv = map[string]string{
	"area":        "Ett annat fokusområde",
	"goal":        "Ett annat mål",
	"target":      "Ett annat kvantitativt mål",
	"commitment":  "Ett annat åtagande",
	"term":        "Ett annat begrepp",
	"action plan": "En annan aktivitetsplan",
}

// addKey records what is wrong with a key that ValidKey refused.
func (p problems) addKey(field, key string) {
	en, sv := keyMessages(key)
	p.put(field, sv, en)
}

// keyMessages says, in English and in Swedish, why k is not a valid key.
func keyMessages(k string) (en, sv string) {
	if k == "" {
		return "is required", "Ange en nyckel."
	}
	sv = "Nyckeln får bara innehålla små bokstäver a–z (inte å, ä eller ö), siffror, punkt, understreck och bindestreck. " +
		"Den ska börja med en bokstav eller siffra och vara högst 100 tecken lång."
	if s := SuggestKey(k); s != "" && s != k {
		sv += " Förslag: ”" + s + "”."
	}
	if strings.ToLower(k) != k {
		return fmt.Sprintf("%q must be lower case (a-z, 0-9, '.', '_', '-')", k), sv
	}
	return fmt.Sprintf("%q is not a valid key (a-z, 0-9, '.', '_', '-', at most 100 characters)", k), sv
}

// SuggestKey makes a valid key from a title or a key that is not valid:
// lower case, å and ä become a, ö becomes o, é becomes e, anything else
// that is not allowed becomes a hyphen. It returns "" when nothing is left.
// "Område 1: Arbete" gives "omrade-1-arbete".
func SuggestKey(s string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range strings.ToLower(s) {
		switch r {
		case 'å', 'ä', 'à', 'á', 'â':
			r = 'a'
		case 'ö', 'ø', 'ó', 'ò', 'ô':
			r = 'o'
		case 'é', 'è', 'ê', 'ë':
			r = 'e'
		case 'ü', 'ú':
			r = 'u'
		}
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '.', r == '_':
			if b.Len() == 0 && (r == '.' || r == '_') {
				continue
			}
			b.WriteRune(r)
			hyphen = false
		default:
			if b.Len() > 0 && !hyphen {
				b.WriteByte('-')
				hyphen = true
			}
		}
		if b.Len() >= 100 {
			break
		}
	}
	k := strings.TrimRight(b.String(), "-._")
	if len(k) > 100 {
		k = strings.TrimRight(k[:100], "-._")
	}
	if !ValidKey(k) {
		return ""
	}
	return k
}
