package report

import (
	"cmp"
	"context"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/inkludera/inkludera/internal/describe"
	"github.com/inkludera/inkludera/internal/i18n"
	"github.com/inkludera/inkludera/internal/progress"
	"github.com/inkludera/inkludera/internal/scorecard"
	"github.com/inkludera/inkludera/internal/strategy"
)

// The years a follow-up can be made for, and how many years a deep
// follow-up sets side by side at most (more columns than a page holds).
const (
	MinYear      = 1900
	MaxDeepYears = 10
)

// Build computes the follow-up of the organisation's document for year as
// of the day today: every target judged on the values up to year (and,
// to tell what improved, up to year − 1), the action plans of year with
// the activities late on today, the sources and the method. since, when
// not 0, makes it a deep follow-up from that year.
//
// Errors (*strategy.Error): an unknown organisation or document is
// CodeNotFound; a document of another organisation, a year before MinYear
// or after today's year, a since not before year or more than
// MaxDeepYears before it, and a zero today are CodeInvalid. Store failures
// are returned as they come.
func Build(ctx context.Context, st strategy.Store, org, documentKey string, year, since int, today strategy.Date) (*FollowUp, error) {
	switch {
	case today.IsZero():
		return nil, strategy.Errorf(strategy.CodeInvalid, "the report needs its date (today)")
	case year < MinYear || year > today.Year:
		return nil, strategy.Errorf(strategy.CodeInvalid,
			"the follow-up year must be between %d and %d (the current year), got %d", MinYear, today.Year, year)
	case since != 0 && since >= year:
		return nil, strategy.Errorf(strategy.CodeInvalid,
			"a deep follow-up starts before the follow-up year: %d is not before %d", since, year)
	case since != 0 && year-since > MaxDeepYears:
		return nil, strategy.Errorf(strategy.CodeInvalid,
			"a deep follow-up goes back at most %d years before the follow-up year: %d is %d years before %d",
			MaxDeepYears, since, year-since, year)
	}
	o, err := st.Organisation(ctx, org)
	if strategy.CodeOf(err) == strategy.CodeNotFound {
		return nil, strategy.Errorf(strategy.CodeNotFound, "no organisation has the code %q", org)
	}
	if err != nil {
		return nil, err
	}
	doc, err := st.Document(ctx, documentKey)
	if strategy.CodeOf(err) == strategy.CodeNotFound {
		return nil, strategy.Errorf(strategy.CodeNotFound, "no document has the key %q", documentKey)
	}
	if err != nil {
		return nil, err
	}
	if doc.Org != o.Code {
		return nil, strategy.Errorf(strategy.CodeInvalid,
			"the document %q belongs to organisation %s, not %s (%s)", doc.Key, doc.Org, o.Code, o.Name)
	}
	bodies, err := st.Bodies(ctx, o.Code)
	if err != nil {
		return nil, err
	}
	keys := doc.IndicatorKeys()
	indicators := make(map[string]strategy.Indicator, len(keys))
	for _, k := range keys {
		ind, err := st.Indicator(ctx, k)
		if strategy.CodeOf(err) == strategy.CodeNotFound {
			continue // the target is shown without an indicator and cannot be assessed
		}
		if err != nil {
			return nil, err
		}
		indicators[k] = ind
	}
	var obs []strategy.Observation
	if len(keys) > 0 {
		obs, err = st.Observations(ctx, strategy.ObservationFilter{Org: o.Code, Indicators: keys, ToYear: year})
		if err != nil {
			return nil, err
		}
	}
	b := newBuilder(o, doc, bodies, indicators, obs, year, since, today)
	return b.build(), nil
}

// builder assembles a FollowUp from what Build read.
type builder struct {
	org        strategy.Organisation
	doc        strategy.Document
	bodies     map[string]string // key → name
	indicators map[string]strategy.Indicator
	obs        map[string][]strategy.Observation // by indicator, as the store orders them
	year       int
	since      int
	today      strategy.Date
	// cards are the scorecards by the year they judge: year, year − 1 and
	// every year of a deep follow-up.
	cards      map[int]*scorecard.Scorecard
	goalTitles map[string]string
	series     map[string]*Indicator // indicator key → its report form, built once
}

func newBuilder(org strategy.Organisation, doc strategy.Document, bodies []strategy.Body,
	indicators map[string]strategy.Indicator, obs []strategy.Observation, year, since int, today strategy.Date) *builder {
	b := &builder{
		org: org, doc: doc, bodies: map[string]string{}, indicators: indicators,
		obs: map[string][]strategy.Observation{}, year: year, since: since, today: today,
		cards: map[int]*scorecard.Scorecard{}, goalTitles: map[string]string{}, series: map[string]*Indicator{},
	}
	for _, body := range bodies {
		b.bodies[body.Key] = body.Name
	}
	for _, o := range obs {
		b.obs[o.Indicator] = append(b.obs[o.Indicator], o)
	}
	years := []int{year, year - 1}
	if since > 0 {
		for y := since; y < year-1; y++ {
			years = append(years, y)
		}
	}
	for _, y := range years {
		// Evaluate ignores values after the year it judges, so one read
		// serves every year.
		b.cards[y] = scorecard.Evaluate(doc, indicators, obs, y)
	}
	var walk func([]strategy.Goal)
	walk = func(gs []strategy.Goal) {
		for _, g := range gs {
			b.goalTitles[g.Key] = g.Title
			walk(g.Goals)
		}
	}
	for _, a := range doc.Areas {
		walk(a.Goals)
	}
	return b
}

func (b *builder) bodyName(key string) string {
	if n, ok := b.bodies[key]; ok {
		return n
	}
	return key
}

func (b *builder) build() *FollowUp {
	d := b.doc
	f := &FollowUp{
		FormatVersion: FormatVersion,
		Organisation:  Organisation{Code: b.org.Code, Name: b.org.Name, Kind: b.org.Kind},
		Document: Document{
			Key:         d.Key,
			Title:       d.Title,
			Subtitle:    d.Subtitle,
			Kind:        d.Kind,
			KindLabel:   describe.DocumentKind(d.Kind),
			Status:      d.Status,
			StatusLabel: describe.DocumentStatus(d.Status),
			Adopted: Adoption{
				On:        d.Adopted.On,
				Paragraph: d.Adopted.Paragraph,
				Reference: d.Adopted.Reference,
			},
			CaseNumber:   d.CaseNumber,
			FollowUpRule: describe.FollowUpText(d.FollowUp, b.bodyName),
		},
		Year:        b.year,
		Since:       b.since,
		GeneratedOn: b.today,
		Areas:       []Area{},
		ActionPlans: []ActionPlan{},
		Processing:  processingNote,
		Method:      method(),
	}
	if d.Adopted.By != "" {
		f.Document.Adopted.By = b.bodyName(d.Adopted.By)
	}
	f.RecipientBody, f.RecipientBodyKey = b.recipient()

	f.Indicators = b.indicatorList(d.Indicators, nil)
	card := b.cards[b.year]
	for i, a := range d.Areas {
		f.Areas = append(f.Areas, b.area(a, card.Areas[i]))
	}
	f.Summary = b.summary(card, f.Areas)
	for _, p := range d.ActionPlans {
		if p.Year == b.year {
			f.ActionPlans = append(f.ActionPlans, b.plan(p))
		}
	}
	slices.SortStableFunc(f.ActionPlans, func(x, y ActionPlan) int {
		return cmp.Or(cmp.Compare(x.Body, y.Body), cmp.Compare(x.Title, y.Title), cmp.Compare(x.Key, y.Key))
	})
	f.Sources = b.sources()
	return f
}

// recipient is the body the report goes to (see FollowUp.RecipientBody).
func (b *builder) recipient() (name, key string) {
	if k := b.doc.FollowUp.ReportTo; k != "" {
		return b.bodyName(k), k
	}
	if b.org.Kind == strategy.OrgRegion {
		return DefaultRegionRecipient, ""
	}
	return DefaultRecipient, ""
}

func rollUp(s scorecard.Summary) RollUp {
	r := RollUp{Status: statusOf(s.Code), Total: s.Total, Assessed: s.Assessed}
	if s.Score != nil {
		// two decimals say all a mean score can; more would carry the
		// last bits of floating point, which differ between machines, into
		// the frozen JSON
		v := math.Round(*s.Score*100) / 100
		r.Score = &v
	}
	for _, st := range progress.Statuses {
		r.Counts = append(r.Counts, StatusCount{Status: statusOf(st), Count: s.Counts[st]})
	}
	return r
}

func (b *builder) area(a strategy.Area, card scorecard.Area) Area {
	out := Area{
		Key:         a.Key,
		Title:       a.Title,
		Description: a.Description,
		Prioritised: a.Prioritised,
		RollUp:      rollUp(card.Summary),
		Goals:       []Goal{},
		Commitments: b.commitments(a.Commitments),
	}
	for i, g := range a.Goals {
		out.Goals = append(out.Goals, b.goal(g, card.Goals[i]))
	}
	measured := map[string]bool{}
	var walk func([]strategy.Goal)
	walk = func(gs []strategy.Goal) {
		for _, g := range gs {
			for _, t := range g.Targets {
				measured[t.Indicator], measured[t.ReferenceIndicator] = true, true
			}
			walk(g.Goals)
		}
	}
	walk(a.Goals)
	out.Indicators = b.indicatorList(a.Indicators, measured)
	return out
}

// indicatorList is the report form of the indicators with the keys, each
// once, in order, leaving out those skipped and those not stored.
func (b *builder) indicatorList(keys []string, skip map[string]bool) []Indicator {
	out := []Indicator{}
	seen := map[string]bool{}
	for _, k := range keys {
		if skip[k] || seen[k] {
			continue
		}
		seen[k] = true
		if ind := b.indicator(k); ind != nil {
			out = append(out, *ind)
		}
	}
	return out
}

func (b *builder) goal(g strategy.Goal, card scorecard.Goal) Goal {
	out := Goal{
		Key:         g.Key,
		Level:       g.Level,
		LevelLabel:  describe.GoalLevel(g.Level),
		Title:       g.Title,
		Description: g.Description,
		RollUp:      rollUp(card.Summary),
		Targets:     []Target{},
		Commitments: b.commitments(g.Commitments),
		Goals:       []Goal{},
	}
	for _, t := range g.Targets {
		out.Targets = append(out.Targets, b.target(t))
	}
	for i, sub := range g.Goals {
		out.Goals = append(out.Goals, b.goal(sub, card.Goals[i]))
	}
	return out
}

func (b *builder) commitments(cs []strategy.Commitment) []Commitment {
	out := []Commitment{}
	for _, c := range cs {
		names := []string{}
		for _, k := range c.Bodies {
			names = append(names, b.bodyName(k))
		}
		out = append(out, Commitment{Key: c.Key, Text: c.Text, Bodies: names})
	}
	return out
}

// verdict is a target's status as judged for a year; every target is in
// every scorecard, so a miss cannot happen, and would read as
// cannot_assess rather than fail the report.
func (b *builder) verdict(year int, key string) scorecard.Status {
	if st, ok := b.cards[year].Target(key); ok {
		return *st
	}
	s := progress.CannotAssess
	return scorecard.Status{Code: s, Computed: s, Method: progress.MethodNone,
		Explanation: progress.Text{SV: "Målet kunde inte bedömas."}, ComputedExplanation: progress.Text{SV: "Målet kunde inte bedömas."}}
}

func (b *builder) target(t strategy.Target) Target {
	refTitle := ""
	if ref, ok := b.indicators[t.ReferenceIndicator]; ok {
		refTitle = ref.Title
	}
	st := b.verdict(b.year, t.Key)
	out := Target{
		Key:            t.Key,
		Text:           t.Text,
		Kind:           t.Kind,
		KindLabel:      describe.TargetKind(t.Kind),
		Requirement:    describe.Requirement(t, refTitle),
		Status:         statusOf(st.Code),
		Method:         st.Method,
		Explanation:    st.ComputedExplanation.SV,
		Notes:          []string{},
		PreviousStatus: statusOf(b.verdict(b.year-1, t.Key).Code),
		History:        []YearStatus{},
		PerYear:        []YearMet{},
		Indicator:      b.indicator(t.Indicator),
	}
	if t.Gender != "" && t.Gender != strategy.Total {
		out.Gender, out.GenderLabel = t.Gender, describe.Gender(t.Gender)
	}
	for _, n := range st.Notes {
		out.Notes = append(out.Notes, n.SV)
	}
	if o := st.Override; o != nil {
		by := o.By
		if _, ok := b.bodies[by]; ok {
			by = b.bodies[by]
		}
		out.Override = &Override{Computed: statusOf(st.Computed), Justification: o.Justification, By: by, On: o.On}
	}
	out.Women = genderStatus(st.Women, "Kvinnor: ")
	out.Men = genderStatus(st.Men, "Män: ")
	if t.Kind == strategy.TargetRelative {
		out.Reference = b.indicator(t.ReferenceIndicator)
	}
	if (t.Kind == strategy.TargetThreshold || t.Kind == strategy.TargetPerYear) && t.Value != nil && out.Indicator != nil {
		line := &TargetLine{Label: "Mål: " + out.Requirement, Value: *t.Value}
		if t.Kind == strategy.TargetThreshold {
			line.Year = t.TargetYear // an amount per year holds every year
		}
		out.TargetLine = line
	}
	for _, y := range st.Inputs.PerYear {
		out.PerYear = append(out.PerYear, YearMet{Year: y.Year, Value: y.Value, Met: y.Met})
	}
	if b.since > 0 {
		for y := b.since; y <= b.year; y++ {
			out.History = append(out.History, YearStatus{Year: y, Status: statusOf(b.verdict(y, t.Key).Code)})
		}
	}
	return out
}

func genderStatus(st *scorecard.Status, prefix string) *GenderStatus {
	if st == nil {
		return nil
	}
	// The engine starts a gender's sentence with the gender, which the
	// field already names.
	return &GenderStatus{Status: statusOf(st.Code), Explanation: strings.TrimPrefix(st.Explanation.SV, prefix)}
}

// indicator is the report form of a stored indicator with the
// organisation's values up to the year; nil for none or an unknown key.
func (b *builder) indicator(key string) *Indicator {
	if key == "" {
		return nil
	}
	if ind, ok := b.series[key]; ok {
		return ind
	}
	src, ok := b.indicators[key]
	if !ok {
		return nil
	}
	ind := &Indicator{
		Key:               src.Key,
		Title:             src.Title,
		Unit:              src.Unit,
		Source:            src.Source,
		SourceDescription: describe.SourceDescription(src, b.org.Name),
		Attributions:      []string{},
		Series:            Series{ByGender: src.ByGender(), Years: []SeriesYear{}},
	}
	attributions := map[string]bool{}
	var values []float64
	row := map[int]int{} // year → index in Series.Years
	for _, o := range b.obs[key] {
		if o.Year > b.year {
			continue
		}
		i, ok := row[o.Year]
		if !ok {
			i = len(ind.Series.Years)
			ind.Series.Years = append(ind.Series.Years, SeriesYear{Year: o.Year})
			row[o.Year] = i
		}
		y := &ind.Series.Years[i]
		if o.Value == nil {
			continue
		}
		v := *o.Value
		switch o.Gender {
		case strategy.Total:
			y.Total = &v
		case strategy.Women:
			y.Women = &v
		case strategy.Men:
			y.Men = &v
		}
		if o.Gender == strategy.Total || ind.Series.ByGender {
			values = append(values, v)
			y.Preliminary = y.Preliminary || o.Preliminary
			if a := describe.Attribution(src, o.Source, b.org.Name); a != "" {
				attributions[a] = true
			}
		}
	}
	// the store orders by year already; sorting keeps that a documented
	// property of the report, not of the store
	slices.SortFunc(ind.Series.Years, func(x, y SeriesYear) int { return x.Year - y.Year })
	if !ind.Series.ByGender {
		for i := range ind.Series.Years {
			ind.Series.Years[i].Women, ind.Series.Years[i].Men = nil, nil
		}
	}
	ind.Series.Decimals = i18n.DecimalsFor(values)
	for a := range attributions {
		ind.Attributions = append(ind.Attributions, a)
	}
	slices.Sort(ind.Attributions)
	b.series[key] = ind
	return ind
}

// summary rolls the document up and compares each target with the year
// before.
func (b *builder) summary(card *scorecard.Scorecard, areas []Area) Summary {
	s := Summary{
		RollUp:       rollUp(card.Summary),
		PreviousYear: b.year - 1,
		Improved:     []Change{},
		Slipped:      []Change{},
		Uncomparable: []Change{},
		Years:        []YearRollUp{},
	}
	rank := func(st progress.Status) int { return slices.Index(progress.Statuses, st) }
	var walk func(a Area, gs []Goal)
	walk = func(a Area, gs []Goal) {
		for _, g := range gs {
			for _, t := range g.Targets {
				from, to := t.PreviousStatus, t.Status
				if from.Code == to.Code {
					continue
				}
				c := Change{Target: t.Key, Text: t.Text, Area: a.Key, AreaTitle: a.Title, Goal: g.Key, GoalTitle: g.Title, From: from, To: to}
				switch {
				case from.Code == progress.CannotAssess || to.Code == progress.CannotAssess:
					s.Uncomparable = append(s.Uncomparable, c)
				case rank(to.Code) < rank(from.Code):
					s.Improved = append(s.Improved, c)
				default:
					s.Slipped = append(s.Slipped, c)
				}
			}
			walk(a, g.Goals)
		}
	}
	for _, a := range areas {
		walk(a, a.Goals)
	}
	if b.since > 0 {
		for y := b.since; y <= b.year; y++ {
			s.Years = append(s.Years, YearRollUp{Year: y, RollUp: rollUp(b.cards[y].Summary)})
		}
	}
	return s
}

func (b *builder) plan(p strategy.ActionPlan) ActionPlan {
	body := b.bodyName(p.Body)
	out := ActionPlan{
		Key:         p.Key,
		Title:       p.Title,
		Body:        body,
		BodyKey:     p.Body,
		Year:        p.Year,
		Status:      p.Status,
		StatusLabel: describe.PlanStatus(p.Status),
		Total:       len(p.Activities),
		Activities:  []Activity{},
	}
	if out.Title == "" {
		out.Title = "Aktivitetsplan för " + body + " " + strconv.Itoa(p.Year)
	}
	if p.Status == strategy.PlanDecided {
		out.Decision = p.Decision.Reference
		if on := p.Decision.On.String(); on != "" {
			if out.Decision != "" {
				out.Decision += ", "
			}
			out.Decision += "beslutad " + on
		}
	}
	counts := map[strategy.ActivityStatus]int{}
	for _, a := range p.Activities {
		counts[a.Status]++
		late, why := describe.ActivityLateness(a, b.today)
		if late != describe.NotLate {
			out.Late++
		}
		act := Activity{
			Key:         a.Key,
			TargetGroup: a.TargetGroup,
			Title:       a.Title,
			Description: a.Description,
			Time:        a.Time,
			Responsible: a.Responsible,
			FollowUp:    a.FollowUp,
			Status:      a.Status,
			StatusLabel: describe.ActivityStatus(a.Status),
			Progress:    a.Progress,
			Goals:       []GoalRef{},
			Late:        late,
			LateReason:  why,
			Notes:       []Note{},
		}
		for _, g := range a.Goals {
			title, ok := b.goalTitles[g]
			if !ok {
				title = g
			}
			act.Goals = append(act.Goals, GoalRef{Key: g, Title: title})
		}
		for _, n := range a.Notes {
			act.Notes = append(act.Notes, Note{Date: n.Date, Text: n.Text})
		}
		out.Activities = append(out.Activities, act)
	}
	for _, st := range describe.ActivityStatuses {
		out.Counts = append(out.Counts, ActivityCount{Status: st, Label: describe.ActivityStatus(st), Count: counts[st]})
	}
	// a status the lists do not know is still counted, after the rest
	var other []strategy.ActivityStatus
	for st := range counts {
		if !slices.Contains(describe.ActivityStatuses, st) {
			other = append(other, st)
		}
	}
	slices.Sort(other)
	for _, st := range other {
		out.Counts = append(out.Counts, ActivityCount{Status: st, Label: describe.ActivityStatus(st), Count: counts[st]})
	}
	return out
}

// sources groups the indicators whose values the report shows by the
// attribution of those values.
func (b *builder) sources() []Source {
	by := map[string][]SourceIndicator{}
	for _, ind := range b.series {
		for _, a := range ind.Attributions {
			by[a] = append(by[a], SourceIndicator{Key: ind.Key, Title: ind.Title, SourceDescription: ind.SourceDescription})
		}
	}
	out := []Source{}
	for a, inds := range by {
		slices.SortFunc(inds, func(x, y SourceIndicator) int {
			return cmp.Or(cmp.Compare(x.Title, y.Title), cmp.Compare(x.Key, y.Key))
		})
		out = append(out, Source{Attribution: a, Indicators: inds})
	}
	slices.SortFunc(out, func(x, y Source) int { return cmp.Compare(x.Attribution, y.Attribution) })
	return out
}
