package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/inkludera/inkludera/internal/auth"
	"github.com/inkludera/inkludera/internal/i18n"
	"github.com/inkludera/inkludera/internal/scorecard"
	"github.com/inkludera/inkludera/internal/strategy"
)

// documentPage is a governing document with its whole tree, ready to show.
type documentPage struct {
	Title            string
	Key              string
	Subtitle         string
	OrgName          string
	OrgURL           string
	Meta             []metaItem
	Summary          string
	Description      string
	Responsibilities []responsibilityView
	Indicators       []link
	Areas            []areaView
	Terms            []termView
	Plans            []planView
	// Draft is set for an unpublished document, which only its
	// organisation sees.
	Draft bool
	// PortalURL is the document's page in the public portal; "" for a
	// draft, which the portal does not show.
	PortalURL string
	// Edit holds the document-wide edit links; nil for viewers who may not
	// edit, who see no edit links at all.
	Edit *documentEditView
	// Year is the year targets are assessed as of; YearGiven is set when
	// the reader chose it (?ar=) rather than the clock.
	Year      int
	YearGiven bool
	// Scorecard rolls up every target of the document; nil without targets.
	Scorecard *summaryView
}

// link is an anchor; an empty URL shows the text without a link.
type link struct {
	URL  string
	Text string
}

// metaItem is one row of the document's facts: a text, links, or both.
type metaItem struct {
	Label string
	Text  string
	Links []link
}

type responsibilityView struct {
	Body   string
	Role   string
	Duties []string
	Edit   *editControls
}

type commitmentView struct {
	ID     string
	Text   string
	Bodies string // body names, comma separated
	Edit   *editControls
}

type termView struct {
	Key        string
	Term       string
	Definition string
	Edit       *editControls
}

// documentEditView is what an editor may do with the document as a whole.
type documentEditView struct {
	EditURL    string
	HistoryURL string
	Adds       []link
	// PublishURL leads to publishing a draft; "" when there is nothing to
	// publish or the viewer may not.
	PublishURL string
	// Translate leads to translating the document's texts, a link per
	// content language.
	Translate []translateLink
}

// editControls are the edit links of one object of the tree. What names
// the object for screen readers, where "Redigera" alone would be
// ambiguous among many ("målet Fler invånare").
type editControls struct {
	What       string
	EditURL    string
	HistoryURL string
	Adds       []link
	// IndicatorURL edits a target's indicator mapping, when the viewer
	// may change that indicator.
	IndicatorURL string
}

type areaView struct {
	ID               string
	Title            string
	Description      string
	Prioritised      bool
	Parent           *link
	Summary          *summaryView // nil when the area has no targets
	Indicators       []link
	Responsibilities []responsibilityView
	Goals            []goalView
	Commitments      []commitmentView
	Edit             *editControls
}

type goalView struct {
	ID               string
	HeadingLevel     int
	LevelLabel       string
	Title            string
	Description      string
	Summary          *summaryView // the goal's and its sub-goals' targets; nil without any
	Targets          []targetView
	Goals            []goalView
	Commitments      []commitmentView
	Responsibilities []responsibilityView
	Edit             *editControls
}

type targetView struct {
	ID          string
	Text        string
	KindLabel   string
	Requirement string
	GenderLabel string // "Kvinnor" or "Män" for a target for one gender
	Indicator   link   // empty Text: none (qualitative)
	Latest      valueView
	Reference   *referenceView // relative targets: the series compared with
	Status      statusView
	Edit        *editControls
}

// valueView is the latest value of a series, or that there is none yet.
type valueView struct {
	Has         bool
	Text        string // "9,4 %"
	Year        int
	Preliminary bool
	Attribution string
}

type referenceView struct {
	Indicator link
	Latest    valueView
}

type planView struct {
	ID          string
	URL         string // the plan's own page
	Heading     string
	Caption     string
	Activities  []activityView
	StatusLabel string
}

type activityView struct {
	TargetGroup string
	Title       string
	Description string
	Time        string
	Responsible string
	FollowUp    string
	Status      strategy.ActivityStatus // for styling
	StatusLabel string
	Goals       []link
}

// pageDocument handles GET /dokument/{key}.
func (s *server) pageDocument(w http.ResponseWriter, r *http.Request) error {
	key := r.PathValue("key")
	year, given, err := s.evaluationYear(r, "ar", true)
	if err != nil {
		return err
	}
	doc, err := s.visibleDocument(r, key, "Det finns inget dokument med nyckeln %q.")
	if err != nil {
		return err
	}
	b, err := s.newDocumentBuilder(r, s.withVisiblePlans(r, doc), year)
	if err != nil {
		return err
	}
	b.edit = s.canEditDocument(r, doc)
	if b.edit {
		use, err := s.indicatorUse(r.Context())
		if err != nil {
			return err
		}
		b.editIndicator = func(key string) bool {
			return auth.Can(userOf(r), auth.ActionWrite, indicatorObject(use[key]))
		}
	}
	p := b.page()
	p.YearGiven = given
	p.Draft = !documentPublished(doc)
	if b.edit {
		p.Edit = &documentEditView{
			EditURL:    editDocumentURL(doc.Key),
			HistoryURL: historyURL(strategy.ObjectRef{Kind: strategy.ObjDocument, Document: doc.Key}),
			Adds: []link{
				{URL: newObjectURL(doc.Key, strategy.ObjArea, ""), Text: "Lägg till område"},
				{URL: newObjectURL(doc.Key, strategy.ObjTerm, ""), Text: "Lägg till begrepp"},
				{URL: newObjectURL(doc.Key, strategy.ObjResponsibility, ""), Text: "Lägg till ansvar för dokumentet"},
			},
			Translate: translateLinks(func(lang string) string { return translateDocumentURL(doc.Key, lang) }, ""),
		}
		if p.Draft && auth.Can(userOf(r), auth.ActionPublish, documentObject(doc)) {
			p.Edit.PublishURL = editDocumentURL(doc.Key) + "#publicera"
		}
	}
	return render(s, w, r, http.StatusOK, "document", p)
}

// documentBuilder turns a document into its page, looking up the names
// behind the keys: bodies, indicators, other documents, latest values, and
// the targets' statuses as of the evaluation year.
type documentBuilder struct {
	ctx        context.Context
	st         strategy.Store
	doc        strategy.Document
	org        strategy.Organisation
	bodies     map[string]string                  // key → name
	indicators map[string]strategy.Indicator      // referenced indicators that exist
	latest     map[latestKey]strategy.Observation // newest non-missing value
	docTitles  map[string]string                  // key → title; "" = not found
	goalTitles map[string]string                  // goal key → title, for activities
	decimals   map[string]int                     // indicator → precision of its values
	year       int                                // evaluation year
	sc         *scorecard.Scorecard
	edit       bool // the viewer may edit: show edit links
	// editIndicator tells whether the viewer may change an indicator.
	editIndicator func(key string) bool
	// canSee tells whether the viewer may read another document: those
	// they may not are shown as text, never linked.
	canSee func(strategy.Document) bool
}

type latestKey struct {
	indicator string
	gender    strategy.Gender
}

func (s *server) newDocumentBuilder(r *http.Request, doc strategy.Document, year int) (*documentBuilder, error) {
	ctx := r.Context()
	b := &documentBuilder{
		ctx: ctx, st: s.st, doc: doc, year: year,
		canSee: func(d strategy.Document) bool { return s.canSeeDocument(r, d) },
		bodies: map[string]string{}, indicators: map[string]strategy.Indicator{},
		latest: map[latestKey]strategy.Observation{}, docTitles: map[string]string{},
		goalTitles: map[string]string{}, decimals: map[string]int{},
	}
	org, err := s.st.Organisation(ctx, doc.Org)
	if err != nil {
		return nil, err
	}
	b.org = org
	bodies, err := s.st.Bodies(ctx, doc.Org)
	if err != nil {
		return nil, err
	}
	for _, body := range bodies {
		b.bodies[body.Key] = body.Name
	}
	siblings, err := s.st.Documents(ctx, doc.Org)
	if err != nil {
		return nil, err
	}
	for _, d := range siblings {
		if b.canSee(d) {
			b.docTitles[d.Key] = d.Title
		} else {
			b.docTitles[d.Key] = "" // as if it did not exist
		}
	}

	keys := doc.IndicatorKeys()
	for _, k := range keys {
		ind, err := s.st.Indicator(ctx, k)
		if strategy.CodeOf(err) == strategy.CodeNotFound {
			continue // shown by its key; the page is still worth showing
		}
		if err != nil {
			return nil, err
		}
		b.indicators[k] = ind
	}
	// Values after the evaluation year are left out of the latest values
	// too, so that a card never shows a value its verdict ignores.
	var obs []strategy.Observation
	if len(keys) > 0 {
		obs, err = s.st.Observations(ctx, strategy.ObservationFilter{Org: doc.Org, Indicators: keys, ToYear: year})
		if err != nil {
			return nil, err
		}
		for _, o := range obs {
			if o.Value == nil {
				continue
			}
			b.decimals[o.Indicator] = max(b.decimals[o.Indicator], i18n.Decimals(*o.Value))
			k := latestKey{o.Indicator, o.Gender}
			if prev, ok := b.latest[k]; !ok || o.Year > prev.Year {
				b.latest[k] = o
			}
		}
	}
	// The observations read for the latest values cover every indicator
	// the targets use, so the scorecard needs no second query.
	b.sc = scorecard.Evaluate(doc, b.indicators, obs, year)
	return b, nil
}

func (b *documentBuilder) page() documentPage {
	d := b.doc
	p := documentPage{
		Title:            d.Title,
		Key:              d.Key,
		Year:             b.year,
		Scorecard:        newSummaryView(b.sc.Summary),
		Subtitle:         d.Subtitle,
		OrgName:          b.org.Name,
		OrgURL:           "/#org-" + b.org.Code,
		Summary:          d.Summary,
		Description:      d.Description,
		Responsibilities: b.responsibilities("", d.Responsibilities),
		Indicators:       b.indicatorLinks(d.Indicators),
	}
	for _, t := range d.Terms {
		p.Terms = append(p.Terms, termView{Key: t.Key, Term: t.Term, Definition: t.Definition,
			Edit: b.controls(strategy.ObjTerm, t.Key, "begreppet "+t.Term)})
	}
	if documentPublished(d) {
		p.PortalURL = portalDocumentURL(d.Org, d.Key)
	}
	p.Meta = b.meta()
	var collect func([]strategy.Goal)
	collect = func(gs []strategy.Goal) {
		for _, g := range gs {
			b.goalTitles[g.Key] = g.Title
			collect(g.Goals)
		}
	}
	for _, a := range d.Areas {
		collect(a.Goals)
	}
	areaSummaries, goalSummaries := summariesByKey(b.sc)
	for _, a := range d.Areas {
		av := b.area(a, goalSummaries)
		av.Summary = newSummaryView(areaSummaries[a.Key])
		p.Areas = append(p.Areas, av)
	}
	for _, plan := range d.ActionPlans {
		p.Plans = append(p.Plans, b.plan(plan))
	}
	return p
}

func (b *documentBuilder) meta() []metaItem {
	d := b.doc
	var items []metaItem
	add := func(label, text string, links ...link) {
		if text != "" || len(links) > 0 {
			items = append(items, metaItem{Label: label, Text: text, Links: links})
		}
	}
	add("Typ", documentKindLabel(d.Kind))
	add("Status", documentStatusLabel(d.Status))
	add("Id nr", d.Identifier)
	add("Dnr", d.CaseNumber)
	add("Version", d.Version)
	if d.Adopted.By != "" {
		add("Antagen av", b.bodyName(d.Adopted.By))
	}
	add("Beslutsdatum", d.Adopted.On.String())
	add("Paragraf", d.Adopted.Paragraph)
	add("Beslutsreferens", d.Adopted.Reference)
	add("Giltighet", validityText(d.ValidFrom, d.ValidTo))
	add("Uppföljning", followUpText(d.FollowUp, b.bodyName))
	add("Revidering", revisionText(d.Revision))
	if d.Owner != "" {
		add("Ägare", b.bodyName(d.Owner))
	}
	add("Ansvarig", d.Responsible)
	add("Målgrupp", strings.Join(d.Audience, ", "))
	var replaces []link
	for _, k := range d.Replaces {
		replaces = append(replaces, b.documentLink(k, ""))
	}
	add("Ersätter", "", replaces...)
	var related []link
	for _, rel := range d.Related {
		switch {
		case rel.Key != "":
			related = append(related, b.documentLink(rel.Key, rel.Title))
		case rel.URL != "":
			related = append(related, link{URL: rel.URL, Text: rel.Title})
		default:
			related = append(related, link{Text: rel.Title})
		}
	}
	add("Relaterade dokument", "", related...)
	return items
}

// documentLink links another document by key when Inkludera has it, and
// otherwise shows the given title (or the key) without a link, so that the
// page never links to a 404.
func (b *documentBuilder) documentLink(key, title string) link {
	t, ok := b.docTitles[key]
	if !ok {
		t = ""
		if d, err := b.st.Document(b.ctx, key); err == nil && b.canSee(d) {
			t = d.Title
		}
		b.docTitles[key] = t
	}
	if title == "" {
		title = t
	}
	if title == "" {
		title = key
	}
	if t == "" {
		return link{Text: title}
	}
	return link{URL: documentURL(key), Text: title}
}

func (b *documentBuilder) bodyName(key string) string {
	if n, ok := b.bodies[key]; ok {
		return n
	}
	return key
}

func (b *documentBuilder) bodyNames(keys []string) string {
	names := make([]string, len(keys))
	for i, k := range keys {
		names[i] = b.bodyName(k)
	}
	return strings.Join(names, ", ")
}

// responsibilities of the owner: "" for the document, "area:KEY" or
// "goal:KEY" (the owner part of their refs).
func (b *documentBuilder) responsibilities(owner string, rs []strategy.Responsibility) []responsibilityView {
	var out []responsibilityView
	for i, r := range rs {
		v := responsibilityView{Body: b.bodyName(r.Body), Role: roleLabel(r.Role), Duties: r.Duties}
		if b.edit {
			ref := strategy.ResponsibilityRef(b.doc.Key, owner, i)
			v.Edit = &editControls{
				What:       "ansvaret för " + v.Body,
				EditURL:    editObjectURL(b.doc.Key, strategy.ObjResponsibility, ref.Key),
				HistoryURL: historyURL(ref),
			}
		}
		out = append(out, v)
	}
	return out
}

func (b *documentBuilder) commitments(cs []strategy.Commitment) []commitmentView {
	var out []commitmentView
	for _, c := range cs {
		out = append(out, commitmentView{ID: "atagande-" + c.Key, Text: c.Text, Bodies: b.bodyNames(c.Bodies),
			Edit: b.controls(strategy.ObjCommitment, c.Key, "åtagandet "+c.Text)})
	}
	return out
}

// controls are the edit links of an object when the viewer may edit, with
// links to add what goes under it; nil otherwise.
func (b *documentBuilder) controls(kind strategy.ObjectKind, key, what string, adds ...link) *editControls {
	if !b.edit {
		return nil
	}
	return &editControls{
		What:       what,
		EditURL:    editObjectURL(b.doc.Key, kind, key),
		HistoryURL: historyURL(strategy.ObjectRef{Kind: kind, Document: b.doc.Key, Key: key}),
		Adds:       adds,
	}
}

func (b *documentBuilder) indicatorLink(key string) link {
	if key == "" {
		return link{}
	}
	ind, ok := b.indicators[key]
	if !ok {
		return link{Text: key}
	}
	return link{URL: indicatorURL(key, b.doc.Org), Text: ind.Title}
}

func (b *documentBuilder) indicatorLinks(keys []string) []link {
	var out []link
	for _, k := range keys {
		out = append(out, b.indicatorLink(k))
	}
	return out
}

// summariesByKey indexes the scorecard's roll-ups by area and goal key.
func summariesByKey(sc *scorecard.Scorecard) (areas, goals map[string]scorecard.Summary) {
	areas, goals = map[string]scorecard.Summary{}, map[string]scorecard.Summary{}
	var walk func([]scorecard.Goal)
	walk = func(gs []scorecard.Goal) {
		for _, g := range gs {
			goals[g.Key] = g.Summary
			walk(g.Goals)
		}
	}
	for _, a := range sc.Areas {
		areas[a.Key] = a.Summary
		walk(a.Goals)
	}
	return areas, goals
}

func (b *documentBuilder) area(a strategy.Area, goalSummaries map[string]scorecard.Summary) areaView {
	v := areaView{
		ID:               "omrade-" + a.Key,
		Title:            a.Title,
		Description:      a.Description,
		Prioritised:      a.Prioritised,
		Indicators:       b.indicatorLinks(a.Indicators),
		Responsibilities: b.responsibilities("area:"+a.Key, a.Responsibilities),
		Commitments:      b.commitments(a.Commitments),
	}
	under := "area:" + a.Key
	v.Edit = b.controls(strategy.ObjArea, a.Key, "området "+a.Title,
		link{URL: newObjectURL(b.doc.Key, strategy.ObjGoal, under), Text: "Lägg till mål"},
		link{URL: newObjectURL(b.doc.Key, strategy.ObjCommitment, under), Text: "Lägg till åtagande"},
		link{URL: newObjectURL(b.doc.Key, strategy.ObjResponsibility, under), Text: "Lägg till ansvar"},
	)
	if a.Parent != nil {
		l := b.documentLink(a.Parent.Document, "")
		if l.URL != "" {
			l.URL += "#omrade-" + a.Parent.Area
		}
		v.Parent = &l
	}
	for _, g := range a.Goals {
		v.Goals = append(v.Goals, b.goal(g, 3, goalSummaries))
	}
	return v
}

func (b *documentBuilder) goal(g strategy.Goal, level int, summaries map[string]scorecard.Summary) goalView {
	v := goalView{
		ID:               "mal-" + g.Key,
		HeadingLevel:     level,
		LevelLabel:       goalLevelLabel(g.Level),
		Title:            g.Title,
		Description:      g.Description,
		Commitments:      b.commitments(g.Commitments),
		Responsibilities: b.responsibilities("goal:"+g.Key, g.Responsibilities),
		Summary:          newSummaryView(summaries[g.Key]),
	}
	under := "goal:" + g.Key
	v.Edit = b.controls(strategy.ObjGoal, g.Key, "målet "+g.Title,
		link{URL: newObjectURL(b.doc.Key, strategy.ObjTarget, under), Text: "Lägg till målvärde"},
		link{URL: newObjectURL(b.doc.Key, strategy.ObjGoal, under), Text: "Lägg till delmål"},
		link{URL: newObjectURL(b.doc.Key, strategy.ObjCommitment, under), Text: "Lägg till åtagande"},
		link{URL: newObjectURL(b.doc.Key, strategy.ObjResponsibility, under), Text: "Lägg till ansvar"},
	)
	if v.Summary != nil {
		v.Summary.Subtree = len(g.Goals) > 0
	}
	for _, t := range g.Targets {
		v.Targets = append(v.Targets, b.target(t))
	}
	for _, sub := range g.Goals {
		v.Goals = append(v.Goals, b.goal(sub, level+1, summaries))
	}
	return v
}

func (b *documentBuilder) target(t strategy.Target) targetView {
	gender := t.Gender
	if gender == "" {
		gender = strategy.Total
	}
	refTitle := ""
	if ref, ok := b.indicators[t.ReferenceIndicator]; ok {
		refTitle = ref.Title
	}
	v := targetView{
		ID:          "malvarde-" + t.Key,
		Text:        t.Text,
		KindLabel:   targetKindLabel(t.Kind),
		Requirement: requirement(t, refTitle),
		Indicator:   b.indicatorLink(t.Indicator),
		Latest:      b.latestValue(t.Indicator, gender),
		Edit:        b.controls(strategy.ObjTarget, t.Key, "målvärdet "+t.Text),
	}
	if v.Edit != nil && t.Indicator != "" && b.editIndicator(t.Indicator) {
		v.Edit.IndicatorURL = editIndicatorURL(t.Indicator)
	}
	unit := t.Unit
	if unit == "" {
		unit = b.indicators[t.Indicator].Unit
	}
	st, ok := b.sc.Target(t.Key)
	if !ok {
		st = unassessed()
	}
	v.Status = newStatusView(*st, statusContext{unit: unit, decimals: b.decimals[t.Indicator], requirement: v.Requirement, bodyName: b.bodyName})
	if gender != strategy.Total {
		v.GenderLabel = genderLabel(gender)
	}
	if t.Kind == strategy.TargetRelative && t.ReferenceIndicator != "" {
		v.Reference = &referenceView{
			Indicator: b.indicatorLink(t.ReferenceIndicator),
			Latest:    b.latestValue(t.ReferenceIndicator, gender),
		}
	}
	return v
}

// latestValue is the most recent year with a value for the document's
// organisation, the indicator and the gender.
func (b *documentBuilder) latestValue(indicator string, gender strategy.Gender) valueView {
	o, ok := b.latest[latestKey{indicator, gender}]
	if !ok || o.Value == nil {
		return valueView{}
	}
	ind := b.indicators[indicator]
	return valueView{
		Has:         true,
		Text:        i18n.FormatQuantity(*o.Value, i18n.Decimals(*o.Value), ind.Unit),
		Year:        o.Year,
		Preliminary: o.Preliminary,
		Attribution: attribution(ind, o.Source, b.org.Name),
	}
}

func (b *documentBuilder) plan(plan strategy.ActionPlan) planView {
	heading := plan.Title
	if heading == "" {
		heading = "Aktivitetsplan " + strconv.Itoa(plan.Year)
	}
	v := planView{
		ID:          "plan-" + plan.Key,
		URL:         documentURL(b.doc.Key) + "/planer/" + url.PathEscape(plan.Key),
		Heading:     heading,
		StatusLabel: planStatusLabel(plan.Status),
		Caption:     heading + " – " + b.bodyName(plan.Body) + ", " + strconv.Itoa(plan.Year),
	}
	for _, a := range plan.Activities {
		av := activityView{
			TargetGroup: a.TargetGroup, Title: a.Title, Description: a.Description, Time: a.Time,
			Responsible: a.Responsible, FollowUp: a.FollowUp.String(), Status: a.Status, StatusLabel: activityStatusLabel(a.Status),
		}
		for _, g := range a.Goals {
			title, ok := b.goalTitles[g]
			if !ok {
				av.Goals = append(av.Goals, link{Text: g})
				continue
			}
			av.Goals = append(av.Goals, link{URL: "#mal-" + g, Text: title})
		}
		v.Activities = append(v.Activities, av)
	}
	return v
}
