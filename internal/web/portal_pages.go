package web

import (
	"net/http"
	"slices"
	"time"

	"github.com/inkludera/inkludera/internal/chart"
	"github.com/inkludera/inkludera/internal/i18n"
	"github.com/inkludera/inkludera/internal/scorecard"
	"github.com/inkludera/inkludera/internal/strategy"
)

// The public portal's pages: published documents only, for everyone, in
// the reader's language. Handlers read with portal.go and render templates
// portal_*.html, which take every word from the catalogues.

// portalHead is what the portal pages share: breadcrumbs and the embed
// code of what the page shows.
type portalHead struct {
	Crumbs []portalLink // the trail above the page, the page itself last
	Embed  *embedBox    // nil where the page has nothing to embed
	// OEmbedURL is the oEmbed discovery link for the page ("" for none).
	OEmbedURL string
}

// embedBox is the "copy the embed code" box: an iframe for other sites.
type embedBox struct {
	L    *i18n.Localizer
	ID   string
	Code string
}

// newEmbedBox is the embed code of the widget at path on this site.
func (s *server) newEmbedBox(r *http.Request, id, path, title string, height int) *embedBox {
	return &embedBox{L: langOf(r), ID: id, Code: iframeCode(s.baseURL(r)+path, title, 640, height)}
}

type portalHomePage struct {
	portalPage
	portalHead
	Title string
	Orgs  []portalOrgItem
}

type portalOrgItem struct {
	URL       string
	Name      string
	Kind      string
	Documents int
}

// pagePortalHome handles GET /portal: the organisations with published
// documents.
func (s *server) pagePortalHome(w http.ResponseWriter, r *http.Request) error {
	l := langOf(r)
	orgs, err := s.st.ListOrganisations(r.Context())
	if err != nil {
		return err
	}
	p := portalHomePage{portalPage: newPortalPage(r), Title: l.T("portal.home.title")}
	for _, o := range orgs {
		docs, err := s.publishedDocuments(r, o.Code)
		if err != nil {
			return err
		}
		if len(docs) == 0 {
			continue
		}
		p.Orgs = append(p.Orgs, portalOrgItem{URL: portalOrgURL(o.Code), Name: o.Name,
			Kind: l.T("orgKind." + string(o.Kind)), Documents: len(docs)})
	}
	return render(s, w, r, http.StatusOK, "portal_home", p)
}

// publishedDocuments are the organisation's published documents, as
// summaries (without their trees).
func (s *server) publishedDocuments(r *http.Request, org string) ([]strategy.Document, error) {
	docs, err := s.st.Documents(r.Context(), org)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(docs, func(d strategy.Document) bool { return !documentPublished(d) }), nil
}

type portalOrgPage struct {
	portalPage
	portalHead
	Title      string
	Code       string
	Documents  []portalDocItem
	SearchURL  string
	DataURL    string
	Indicators []portalLink
}

type portalDocItem struct {
	URL     string
	Title   contentText
	Kind    string
	Adopted string
	Summary contentText
	Status  *portalSummary
	Year    string
}

// pagePortalOrg handles GET /portal/{org}: the organisation's published
// documents with their overall status, search, and the open data.
func (s *server) pagePortalOrg(w http.ResponseWriter, r *http.Request) error {
	l := langOf(r)
	code := r.PathValue("org")
	org, err := s.st.Organisation(r.Context(), code)
	if err != nil {
		return notFoundAs(err, "Det finns ingen organisation med koden %s.", code)
	}
	docs, err := s.publishedDocuments(r, code)
	if err != nil {
		return err
	}
	p := portalOrgPage{portalPage: newPortalPage(r), Title: org.Name, Code: org.Code,
		SearchURL: portalSearchURL(org.Code), DataURL: openDataOrgURL(org.Code)}
	p.Crumbs = []portalLink{{URL: portalHomeURL(), Text: contentText{Text: l.T("portal.home.crumb")}}, {URL: portalOrgURL(org.Code), Text: contentText{Text: org.Name}}}
	seen := map[string]bool{}
	for _, d := range docs {
		pd, err := s.readPortalDoc(r, code, d.Key)
		if err != nil {
			return err
		}
		item := portalDocItem{URL: portalDocumentURL(code, d.Key), Title: pd.t.field(strategy.ObjDocument, "", "title", pd.doc.Title),
			Kind: documentKind(l, d.Kind), Summary: pd.t.field(strategy.ObjDocument, "", "summary", pd.doc.Summary),
			Status: newPortalSummary(l, pd.sc.Summary), Year: l.Year(pd.year)}
		if !pd.doc.Adopted.On.IsZero() {
			item.Adopted = dateIn(l, pd.doc.Adopted.On)
		}
		p.Documents = append(p.Documents, item)
		for _, k := range pd.doc.IndicatorKeys() {
			if _, ok := pd.indicators[k]; ok && !seen[k] {
				seen[k] = true
				p.Indicators = append(p.Indicators, portalLink{URL: portalIndicatorURL(code, k), Text: pd.indicatorTitle(k)})
			}
		}
	}
	if len(p.Documents) == 0 {
		return strategy.Errorf(strategy.CodeNotFound, "%s har inga publicerade styrdokument.", org.Name)
	}
	return render(s, w, r, http.StatusOK, "portal_org", p)
}

type portalDocumentPage struct {
	portalPage
	portalHead
	Title       string
	Heading     contentText
	Subtitle    contentText
	Kind        string
	Facts       []portalFact
	Summary     contentText
	Description contentText
	Year        string
	YearGiven   bool
	Status      *portalSummary
	Areas       []portalArea
	PlansURL    string
	TermsURL    string
	CSVURL      string
	JSONURL     string
	OrgURL      string
}

type portalArea struct {
	ID          string
	Title       contentText
	Description contentText
	Prioritised bool
	Status      *portalSummary
	Goals       []portalGoalItem
	Responsible []contentText
}

// portalGoalItem is a goal in a list, linking to its page.
type portalGoalItem struct {
	URL    string
	Title  contentText
	Level  string
	Status *portalSummary
}

// pagePortalDocument handles GET /portal/{org}/dokument/{doc}: the
// strategy in plain words and how its goals are going.
func (s *server) pagePortalDocument(w http.ResponseWriter, r *http.Request) error {
	pd, err := s.readPortalDoc(r, r.PathValue("org"), r.PathValue("doc"))
	if err != nil {
		return err
	}
	l, d, code := pd.l, pd.doc, pd.org.Code
	p := portalDocumentPage{portalPage: newPortalPage(r),
		Heading:     pd.t.field(strategy.ObjDocument, "", "title", d.Title),
		Subtitle:    pd.t.field(strategy.ObjDocument, "", "subtitle", d.Subtitle),
		Kind:        documentKind(l, d.Kind),
		Summary:     pd.t.field(strategy.ObjDocument, "", "summary", d.Summary),
		Description: pd.t.field(strategy.ObjDocument, "", "description", d.Description),
		Year:        l.Year(pd.year), YearGiven: pd.yearGiven,
		Status: newPortalSummary(l, pd.sc.Summary),
		CSVURL: documentDataURL(code, d.Key, "csv"), JSONURL: documentDataURL(code, d.Key, "json"),
		OrgURL: portalOrgURL(code),
	}
	p.Title = p.Heading.Text
	p.Crumbs = pd.crumbs()
	p.Embed = s.newEmbedBox(r, "inbaddning", embedDocumentURL(code, d.Key), p.Title, 420)
	p.OEmbedURL = oembedURL(s.baseURL(r) + portalDocumentURL(code, d.Key))
	if !d.Adopted.On.IsZero() {
		by := d.Adopted.By
		if name := pd.bodies[by]; name != "" {
			by = name
		}
		p.Facts = append(p.Facts, portalFact{Label: l.T("portal.document.adopted"),
			Value: l.T("portal.document.adoptedBy", "Body", by, "Date", dateIn(l, d.Adopted.On))})
	}
	if !d.ValidFrom.IsZero() || !d.ValidTo.IsZero() {
		p.Facts = append(p.Facts, portalFact{Label: l.T("portal.document.valid"), Value: validityIn(l, d.ValidFrom, d.ValidTo)})
	}
	if d.Status == strategy.StatusRepealed {
		p.Facts = append(p.Facts, portalFact{Label: l.T("portal.document.status"), Value: l.T("portal.document.repealed")})
	}
	if d.FollowUp.IntervalYears > 0 {
		p.Facts = append(p.Facts, portalFact{Label: l.T("portal.document.followUp"),
			Value: l.T("portal.document.followUpEvery", "Count", d.FollowUp.IntervalYears, "N", l.Integer(d.FollowUp.IntervalYears))})
	}
	areaSummaries, goalSummaries := summariesByKey(pd.sc)
	for _, a := range d.Areas {
		pa := portalArea{ID: "omrade-" + a.Key, Title: pd.t.field(strategy.ObjArea, a.Key, "title", a.Title),
			Description: pd.t.field(strategy.ObjArea, a.Key, "description", a.Description), Prioritised: a.Prioritised}
		if sum, ok := areaSummaries[a.Key]; ok {
			pa.Status = newPortalSummary(l, sum)
		}
		for _, g := range a.Goals {
			pa.Goals = append(pa.Goals, pd.goalItem(g, goalSummaries))
		}
		for _, rs := range a.Responsibilities {
			pa.Responsible = append(pa.Responsible, pd.bodyName(rs.Body))
		}
		p.Areas = append(p.Areas, pa)
	}
	if pd.hasPublicPlans() {
		p.PlansURL = portalPlansURL(code, d.Key)
	}
	if len(d.Terms) > 0 {
		p.TermsURL = portalTermsURL(code, d.Key)
	}
	return render(s, w, r, http.StatusOK, "portal_document", p)
}

// validityIn is "2020–2030", "from 2020", in the reader's language.
func validityIn(l *i18n.Localizer, from, to strategy.Date) string {
	switch {
	case !from.IsZero() && !to.IsZero():
		return l.T("portal.document.validFromTo", "From", dateIn(l, from), "To", dateIn(l, to))
	case !from.IsZero():
		return l.T("portal.document.validFrom", "From", dateIn(l, from))
	}
	return l.T("portal.document.validTo", "To", dateIn(l, to))
}

// crumbs is the trail to the document: portal, organisation, document.
func (pd *portalDoc) crumbs() []portalLink {
	return []portalLink{
		{URL: portalHomeURL(), Text: contentText{Text: pd.l.T("portal.home.crumb")}},
		{URL: portalOrgURL(pd.org.Code), Text: contentText{Text: pd.org.Name}},
		{URL: portalDocumentURL(pd.org.Code, pd.doc.Key), Text: pd.t.field(strategy.ObjDocument, "", "title", pd.doc.Title)},
	}
}

func (pd *portalDoc) goalItem(g strategy.Goal, summaries map[string]scorecard.Summary) portalGoalItem {
	item := portalGoalItem{URL: portalGoalURL(pd.org.Code, pd.doc.Key, g.Key),
		Title: pd.t.field(strategy.ObjGoal, g.Key, "title", g.Title), Level: pd.l.T("goalLevel." + string(g.Level))}
	if sum, ok := summaries[g.Key]; ok {
		item.Status = newPortalSummary(pd.l, sum)
	}
	return item
}

// hasPublicPlans reports whether the document has a decided action plan,
// which the public may read.
func (pd *portalDoc) hasPublicPlans() bool {
	for _, p := range pd.doc.ActionPlans {
		if p.Status == strategy.PlanDecided {
			return true
		}
	}
	return false
}

type portalGoalPage struct {
	portalPage
	portalHead
	Title       string
	Heading     contentText
	Level       string
	Area        portalLink
	Parent      *portalLink
	Description contentText
	Year        string
	Status      *portalSummary
	Targets     []portalTarget
	Series      []*indicatorSeries
	SubGoals    []portalGoalItem
	Commitments []portalCommitment
	Responsible []contentText
	DocumentURL string
}

type portalCommitment struct {
	Text   contentText
	Bodies []contentText
}

// pagePortalGoal handles GET /portal/{org}/dokument/{doc}/mal/{goal}: a
// goal's targets with their status, and the values behind them as charts
// and tables.
func (s *server) pagePortalGoal(w http.ResponseWriter, r *http.Request) error {
	pd, err := s.readPortalDoc(r, r.PathValue("org"), r.PathValue("doc"))
	if err != nil {
		return err
	}
	key := r.PathValue("goal")
	area, chain, ok := goalPath(pd.doc, key)
	if !ok {
		return strategy.Errorf(strategy.CodeNotFound, "Styrdokumentet har inget mål %q.", key)
	}
	l, code, g := pd.l, pd.org.Code, chain[len(chain)-1]
	_, goalSummaries := summariesByKey(pd.sc)
	p := portalGoalPage{portalPage: newPortalPage(r),
		Heading:     pd.t.field(strategy.ObjGoal, g.Key, "title", g.Title),
		Level:       l.T("goalLevel." + string(g.Level)),
		Area:        portalLink{URL: portalDocumentURL(code, pd.doc.Key) + "#omrade-" + area.Key, Text: pd.t.field(strategy.ObjArea, area.Key, "title", area.Title)},
		Description: pd.t.field(strategy.ObjGoal, g.Key, "description", g.Description),
		Year:        l.Year(pd.year),
		DocumentURL: portalDocumentURL(code, pd.doc.Key),
	}
	p.Title = p.Heading.Text
	if sum, ok := goalSummaries[g.Key]; ok {
		p.Status = newPortalSummary(l, sum)
	}
	p.Crumbs = pd.crumbs()
	for _, parent := range chain[:len(chain)-1] {
		link := portalLink{URL: portalGoalURL(code, pd.doc.Key, parent.Key), Text: pd.t.field(strategy.ObjGoal, parent.Key, "title", parent.Title)}
		p.Crumbs = append(p.Crumbs, link)
		p.Parent = &link
	}
	p.Crumbs = append(p.Crumbs, portalLink{URL: portalGoalURL(code, pd.doc.Key, g.Key), Text: p.Heading})
	p.Embed = s.newEmbedBox(r, "inbaddning", embedGoalURL(code, pd.doc.Key, g.Key), p.Title, 520)
	p.OEmbedURL = oembedURL(s.baseURL(r) + portalGoalURL(code, pd.doc.Key, g.Key))
	shown := map[string]bool{}
	for _, t := range g.Targets {
		pt := pd.target(t)
		pt.Embed = s.newEmbedBox(r, "inbaddning-"+t.Key, embedTargetURL(code, pd.doc.Key, t.Key), pt.Text.Text, 480)
		p.Targets = append(p.Targets, pt)
		if t.Indicator == "" || shown[t.Indicator] {
			continue
		}
		shown[t.Indicator] = true
		if ind, ok := pd.indicators[t.Indicator]; ok {
			p.Series = append(p.Series, newIndicatorSeries(l, pd.org, ind, pd.obs[t.Indicator], pd.targetLines(t.Indicator), ""))
		}
	}
	for _, sub := range g.Goals {
		p.SubGoals = append(p.SubGoals, pd.goalItem(sub, goalSummaries))
	}
	for _, c := range g.Commitments {
		pc := portalCommitment{Text: pd.t.field(strategy.ObjCommitment, c.Key, "text", c.Text)}
		for _, b := range c.Bodies {
			pc.Bodies = append(pc.Bodies, pd.bodyName(b))
		}
		p.Commitments = append(p.Commitments, pc)
	}
	for _, rs := range g.Responsibilities {
		p.Responsible = append(p.Responsible, pd.bodyName(rs.Body))
	}
	return render(s, w, r, http.StatusOK, "portal_goal", p)
}

// goalPath finds the goal with the key at any depth: its area and the
// goals from the area down to it.
func goalPath(d strategy.Document, key string) (strategy.Area, []strategy.Goal, bool) {
	return goalPathWhere(d, func(g strategy.Goal) bool { return g.Key == key })
}

// goalPathWhere finds the first goal, depth first, that match accepts.
func goalPathWhere(d strategy.Document, match func(strategy.Goal) bool) (strategy.Area, []strategy.Goal, bool) {
	var chain []strategy.Goal
	var walk func(goals []strategy.Goal) bool
	walk = func(goals []strategy.Goal) bool {
		for _, g := range goals {
			chain = append(chain, g)
			if match(g) || walk(g.Goals) {
				return true
			}
			chain = chain[:len(chain)-1]
		}
		return false
	}
	for _, a := range d.Areas {
		if walk(a.Goals) {
			return a, chain, true
		}
	}
	return strategy.Area{}, nil, false
}

type portalIndicatorPage struct {
	portalPage
	portalHead
	Title       string
	Heading     contentText
	Description contentText
	OrgName     string
	Unit        string
	Source      string
	Series      *indicatorSeries
	Year        string
	Targets     []portalIndicatorTarget
	CSVURL      string
	JSONURL     string
}

type portalIndicatorTarget struct {
	Document portalLink
	Goal     portalLink
	Target   portalTarget
}

// pagePortalIndicator handles GET /portal/{org}/indikatorer/{ind}: an
// indicator's values for the organisation, the trend in words, and the
// targets of its published documents that the indicator measures.
func (s *server) pagePortalIndicator(w http.ResponseWriter, r *http.Request) error {
	l := langOf(r)
	code, key := r.PathValue("org"), r.PathValue("ind")
	uses, err := s.portalDocsUsing(r, code, key)
	if err != nil {
		return err
	}
	first := uses[0]
	ind := first.indicators[key]
	p := portalIndicatorPage{portalPage: newPortalPage(r),
		Heading:     indicatorText(l, ind, "title", ind.Title),
		Description: indicatorText(l, ind, "description", ind.Description),
		OrgName:     first.org.Name,
		Unit:        unitWordOrEmpty(l, ind.Unit),
		Year:        l.Year(first.year),
		CSVURL:      indicatorDataURL(code, key, "csv"), JSONURL: indicatorDataURL(code, key, "json"),
	}
	p.Title = p.Heading.Text
	p.Crumbs = []portalLink{{URL: portalHomeURL(), Text: contentText{Text: l.T("portal.home.crumb")}},
		{URL: portalOrgURL(code), Text: contentText{Text: first.org.Name}},
		{URL: portalIndicatorURL(code, key), Text: p.Heading}}
	p.Embed = s.newEmbedBox(r, "inbaddning", embedIndicatorURL(code, key), p.Title, 560)
	p.OEmbedURL = oembedURL(s.baseURL(r) + portalIndicatorURL(code, key))
	var lines []chart.TargetLine
	for _, pd := range uses {
		lines = append(lines, pd.targetLines(key)...)
		for _, t := range documentTargets(pd.doc) {
			if t.Indicator != key && t.ReferenceIndicator != key {
				continue
			}
			_, chain, _ := findGoalOfTarget(pd.doc, t.Key)
			it := portalIndicatorTarget{
				Document: portalLink{URL: portalDocumentURL(code, pd.doc.Key), Text: pd.t.field(strategy.ObjDocument, "", "title", pd.doc.Title)},
				Target:   pd.target(t),
			}
			if len(chain) > 0 {
				g := chain[len(chain)-1]
				it.Goal = portalLink{URL: portalGoalURL(code, pd.doc.Key, g.Key), Text: pd.t.field(strategy.ObjGoal, g.Key, "title", g.Title)}
			}
			p.Targets = append(p.Targets, it)
		}
	}
	p.Series = newIndicatorSeries(l, first.org, ind, first.obs[key], lines, "")
	p.Source = sourceLine(l, ind, "")
	return render(s, w, r, http.StatusOK, "portal_indicator", p)
}

// portalDocsUsing reads the organisation's published documents that use
// the indicator, in their order; none is a 404: the indicator is not
// public for that organisation.
func (s *server) portalDocsUsing(r *http.Request, org, indicator string) ([]*portalDoc, error) {
	docs, err := s.publishedDocuments(r, org)
	if err != nil {
		return nil, err
	}
	var uses []*portalDoc
	for _, d := range docs {
		pd, err := s.readPortalDoc(r, org, d.Key)
		if err != nil {
			return nil, err
		}
		if _, ok := pd.indicators[indicator]; ok {
			uses = append(uses, pd)
		}
	}
	if len(uses) == 0 {
		return nil, strategy.Errorf(strategy.CodeNotFound,
			"Organisationen %s följer ingen indikator %q i ett publicerat styrdokument.", org, indicator)
	}
	return uses, nil
}

// findGoalOfTarget finds the goal a target belongs to.
func findGoalOfTarget(d strategy.Document, target string) (strategy.Area, []strategy.Goal, bool) {
	return goalPathWhere(d, func(g strategy.Goal) bool {
		return slices.ContainsFunc(g.Targets, func(t strategy.Target) bool { return t.Key == target })
	})
}

type portalPlansPage struct {
	portalPage
	portalHead
	Title       string
	Document    portalLink
	Plans       []portalPlan
	DocumentURL string
}

type portalPlan struct {
	ID         string
	Heading    string
	Body       contentText
	Year       string
	Decision   string
	Activities []portalActivity
	Counts     []portalActivityCount
}

type portalActivity struct {
	TargetGroup contentText
	Title       contentText
	Description contentText
	Time        contentText
	Responsible contentText
	Status      string
	StatusCode  string
	Progress    string
}

type portalActivityCount struct {
	Status string
	Count  int
}

// pagePortalPlans handles GET /portal/{org}/dokument/{doc}/planer: the
// decided action plans, activity by activity with their status.
func (s *server) pagePortalPlans(w http.ResponseWriter, r *http.Request) error {
	pd, err := s.readPortalDoc(r, r.PathValue("org"), r.PathValue("doc"))
	if err != nil {
		return err
	}
	if !pd.hasPublicPlans() {
		return strategy.Errorf(strategy.CodeNotFound, "Styrdokumentet har inga beslutade aktivitetsplaner.")
	}
	l, code := pd.l, pd.org.Code
	p := portalPlansPage{portalPage: newPortalPage(r), Title: l.T("portal.plans.title"), DocumentURL: portalDocumentURL(code, pd.doc.Key)}
	p.Document = portalLink{URL: p.DocumentURL, Text: pd.t.field(strategy.ObjDocument, "", "title", pd.doc.Title)}
	p.Crumbs = append(pd.crumbs(), portalLink{URL: portalPlansURL(code, pd.doc.Key), Text: contentText{Text: p.Title}})
	swedish := func(s string) contentText {
		if l.Code == i18n.Default || s == "" {
			return contentText{Text: s}
		}
		return contentText{Text: s, Lang: i18n.Default}
	}
	plans := slices.Clone(pd.doc.ActionPlans)
	slices.SortStableFunc(plans, func(a, b strategy.ActionPlan) int { return b.Year - a.Year })
	for _, plan := range plans {
		if plan.Status != strategy.PlanDecided {
			continue
		}
		pp := portalPlan{ID: "plan-" + plan.Key, Body: pd.bodyName(plan.Body), Year: l.Year(plan.Year)}
		pp.Heading = l.T("portal.plans.heading", "Body", pp.Body.Text, "Year", pp.Year)
		if plan.Decision.Reference != "" {
			pp.Decision = l.T("portal.plans.decision", "Reference", plan.Decision.Reference)
		}
		counts := map[strategy.ActivityStatus]int{}
		for _, a := range plan.Activities {
			path := plan.Key + "/" + a.Key
			pa := portalActivity{
				TargetGroup: pd.t.field(strategy.ObjActivity, path, "target_group", a.TargetGroup),
				Title:       pd.t.field(strategy.ObjActivity, path, "title", a.Title),
				Description: pd.t.field(strategy.ObjActivity, path, "description", a.Description),
				Time:        swedish(a.Time),
				Responsible: swedish(a.Responsible),
				Status:      l.T("activityStatus." + string(a.Status)),
				StatusCode:  string(a.Status),
			}
			if a.Progress != nil {
				pa.Progress = l.T("portal.plans.progress", "Percent", l.Integer(*a.Progress))
			}
			counts[a.Status]++
			pp.Activities = append(pp.Activities, pa)
		}
		for _, st := range activityStatusOrder {
			if counts[st] > 0 {
				pp.Counts = append(pp.Counts, portalActivityCount{Status: l.T("activityStatus." + string(st)), Count: counts[st]})
			}
		}
		p.Plans = append(p.Plans, pp)
	}
	return render(s, w, r, http.StatusOK, "portal_plans", p)
}

type portalTermsPage struct {
	portalPage
	portalHead
	Title    string
	Document portalLink
	Terms    []portalTerm
}

type portalTerm struct {
	ID         string
	Term       contentText
	Definition contentText
}

// pagePortalTerms handles GET /portal/{org}/dokument/{doc}/begrepp: the
// document's glossary.
func (s *server) pagePortalTerms(w http.ResponseWriter, r *http.Request) error {
	pd, err := s.readPortalDoc(r, r.PathValue("org"), r.PathValue("doc"))
	if err != nil {
		return err
	}
	if len(pd.doc.Terms) == 0 {
		return strategy.Errorf(strategy.CodeNotFound, "Styrdokumentet har inga begreppsförklaringar.")
	}
	l, code := pd.l, pd.org.Code
	p := portalTermsPage{portalPage: newPortalPage(r), Title: l.T("portal.terms.title")}
	p.Document = portalLink{URL: portalDocumentURL(code, pd.doc.Key), Text: pd.t.field(strategy.ObjDocument, "", "title", pd.doc.Title)}
	p.Crumbs = append(pd.crumbs(), portalLink{URL: portalTermsURL(code, pd.doc.Key), Text: contentText{Text: p.Title}})
	for _, t := range pd.doc.Terms {
		p.Terms = append(p.Terms, portalTerm{ID: "begrepp-" + t.Key,
			Term:       pd.t.field(strategy.ObjTerm, t.Key, "term", t.Term),
			Definition: pd.t.field(strategy.ObjTerm, t.Key, "definition", t.Definition)})
	}
	return render(s, w, r, http.StatusOK, "portal_terms", p)
}

// activityStatusOrder is the order of the activity counts: from done to
// not done.
var activityStatusOrder = []strategy.ActivityStatus{strategy.ActivityDone, strategy.ActivityOngoing,
	strategy.ActivityPlanned, strategy.ActivityLate, strategy.ActivityCancelled}

// dateIn is a date of the strategy in the reader's language.
func dateIn(l *i18n.Localizer, d strategy.Date) string {
	if d.IsZero() {
		return ""
	}
	return l.Date(time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC))
}
