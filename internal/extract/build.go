package extract

import (
	"strings"

	"github.com/inkludera/inkludera/internal/strategy"
)

// areaNode and goalNode hold the tree while it is built; finish turns them
// into the Draft's values.
type areaNode struct {
	a        Area
	goals    []*goalNode
	number   string
	level    int
	fromList bool // named in a list of focus areas before its own heading
}

type goalNode struct {
	g        Goal
	subs     []*goalNode
	label    string // the heading's label in lower case ("effektmål")
	listItem bool   // named as an item of a list of goals
}

// leadIn is what a line ending in ":" (or "Kommunen ska") makes of the
// list items after it.
type leadInKind int

const (
	leadNone leadInKind = iota
	leadAreas
	leadCommitments
	leadDuties
)

type leadIn struct {
	kind        leadInKind
	prefix      string // "Kommunen ska"
	prioritised bool
	body        body
	ev          Evidence
}

// builder walks the items in order and keeps the place in the tree.
type builder struct {
	d     *doc
	draft Draft

	areas         []*areaNode
	orphanGoals   []*goalNode
	orphanTargets []Target
	orphanCommits []Commitment

	area *areaNode
	goal *goalNode // the open long-term goal (or top goal)
	sub  *goalNode // the open sub-goal

	sec      section
	areaList bool // numbered headings are focus areas
	areaPrio bool
	areaNum  int  // numbering depth of list areas
	goalList bool // numbered headings are goals ("Långsiktiga mål" then "1. …")
	goalNum  int

	lead        leadIn
	bareGoal    bool     // the next sentence is a goal's title
	subRun      []string // leading words of the first sub-goal of a "Delmål" section
	subDone     bool     // the section's run of sub-goals has ended
	respBody    *body    // the body a heading in a section on responsibilities named
	lastDef     *Definition
	pendingTerm string // a term on a line of its own; its explanation follows
	lastCmt     *Commitment
	table       *tableHeader
	seen        map[string]bool // target sentences already taken
	afterHead   bool            // the previous item was the open goal's or area's heading
}

func newBuilder(d *doc) *builder {
	return &builder{d: d, seen: map[string]bool{}}
}

func (b *builder) run() {
	items := b.d.items
	for i := 0; i < len(items); i++ {
		it := items[i]
		if n := b.cellTable(i); n > 0 {
			i += n - 1
			continue
		}
		if n := b.flatRespTable(i); n > 0 {
			i += n - 1
			continue
		}
		if i < 12 {
			b.coverLabels(it.span)
		}
		if it.kind != itemBullet && b.lead.kind != leadNone && !(it.kind == itemText && b.lead.kind == leadDuties) {
			b.lead = leadIn{}
		}
		if it.kind != itemRow {
			b.table = nil
		}
		switch it.kind {
		case itemHeading:
			b.heading(it)
		case itemText:
			b.text(it)
		case itemBullet:
			b.bullet(it, i)
		case itemRow:
			b.row(it)
		}
	}
}

// ---------------------------------------------------------------- headings

var leadInRe = mustRe(`(?i)^(?:kommunen|regionen|landstinget|vi|nämnden|nämnderna|förvaltningarna|(?:varje|alla|samtliga) (?:nämnd|nämnder|förvaltning|förvaltningar|verksamhet|verksamheter|chef|chefer|bolag)|[\p{L}-]+(?:nämnden|styrelsen|fullmäktige|förvaltningen|enheten|nätverket))\s+(?:ska|skall)(?:\s+därför)?\s*:?$`)

func (b *builder) heading(it item) {
	b.bareGoal = false
	b.afterHead = false
	t := it.span.text
	if (leadInRe.MatchString(t) || it.leadIn) && b.startLeadIn(it.span) {
		return
	}
	if metaLabelRe.MatchString(t) {
		return // a field of the cover: DetectMeta and coverLabels read it
	}
	h := classify(it.span)
	switch h.role {
	case roleLabel:
		b.labelResponsibility(h, it.span)
	case roleArea:
		title := h.title.text
		if title == "" {
			title = strings.TrimSpace(h.label + " " + h.number)
		}
		b.openArea(title, h.prioritised || b.areaList && b.areaPrio, it.span.evidence(), it.level, h.number)
	case roleGoal:
		b.openGoal(h, it, strategy.GoalLongTerm)
	case roleSubGoal:
		lbl := strings.ToLower(h.label)
		// "Effektmål 2" after "Effektmål 1" is its sibling, not its sub-goal.
		if (lbl == "effektmål" || lbl == "resultatmål" || lbl == "etappmål") && (b.goal == nil || b.goal.label == lbl) {
			b.openGoal(h, it, strategy.GoalLongTerm)
		} else {
			b.openGoal(h, it, strategy.GoalSub)
		}
	case roleSection:
		b.section(h, it)
	default:
		b.generic(h, it)
	}
}

func (b *builder) section(h heading, it item) {
	b.respBody = nil
	b.lastCmt = nil
	switch h.sec {
	case secAreaList:
		b.closeArea()
		b.areaList, b.areaPrio, b.areaNum = true, h.prioritised || b.areaPrio, 0
		b.goalList = false
	case secIntro, secTOC, secFollowUp, secIndicators:
		b.closeArea()
		b.areaList, b.goalList = false, false
	case secDefinitions:
		b.closeArea()
		b.areaList, b.goalList = false, false
	case secResponsible:
		if b.area == nil {
			b.goal, b.sub = nil, nil
		}
	case secGoals:
		b.bareGoal = h.bare
		if b.goal != nil && b.area == nil {
			b.goal, b.sub = nil, nil
		}
		b.goalList, b.goalNum = true, 0
	case secTargets, secCommitments:
		b.sub = nil
	case secSubGoals:
		b.subRun, b.subDone = nil, false
	}
	b.sec = h.sec
}

// generic handles a heading of no known kind: a numbered focus area under
// a list heading, a body under "Ansvar", or a chapter that ends the goal.
func (b *builder) generic(h heading, it item) {
	t := strings.TrimSpace(it.span.text)
	if orgOnlyRe.MatchString(t) || onlyYearsRe.MatchString(t) || caseLabelRe.MatchString(t) || adoptedRe.MatchString(firstWords(t, 3)) {
		return // the cover's lines
	}
	if b.areaList && it.number != "" && (b.areaNum == 0 || it.level == b.areaNum) {
		b.areaNum = it.level
		b.openArea(t, b.areaPrio, it.span.evidence(), it.level, it.number)
		return
	}
	if b.goalList && it.number != "" && (b.goalNum == 0 || it.level == b.goalNum) {
		// "Långsiktiga mål" then "1. Fler i arbete", "2. …"
		b.goalNum = it.level
		b.goal, b.sub = nil, nil
		b.addGoal(cleanTitle(t), it.number, strategy.GoalLongTerm, it.span.evidence())
		b.sec = secNone
		return
	}
	if b.sec == secDefinitions && len(words(t)) <= 6 {
		b.pendingTerm = cleanTitle(t)
		return
	}
	if b.sec == secResponsible {
		if bd, ok := bodyOf(t); ok {
			b.respBody = &bd
			b.responsibility(bd, defaultRole(bd), "", it.span.evidence())
			return
		}
	}
	// A chapter: the goal ends; the area too when the chapter is at its
	// level or above.
	b.goal, b.sub = nil, nil
	if b.area != nil && (it.level > 0 && b.area.level > 0 && it.level <= b.area.level ||
		it.number != "" && b.area.number != "" && levelOf2(it.number) <= levelOf2(b.area.number)) {
		b.closeArea()
	}
	if it.number != "" && b.areaList && it.level < b.areaNum {
		b.areaList = false
	}
	b.goalList = false
	b.sec = secNone
	b.respBody = nil
}

func levelOf2(number string) int { return strings.Count(number, ".") + 1 }

func (b *builder) closeArea() {
	b.area, b.goal, b.sub = nil, nil, nil
	b.lastCmt = nil
}

// openArea starts a focus area, or takes up one already named in a list.
func (b *builder) openArea(title string, prioritised bool, ev Evidence, level int, number string) {
	title = upperFirst(cleanTitle(title))
	b.goal, b.sub, b.lastCmt = nil, nil, nil
	if b.sec != secIndicators {
		b.sec = secNone
	}
	for _, a := range b.areas {
		if normKey(a.a.Title) == normKey(title) {
			a.a.Prioritised = a.a.Prioritised || prioritised
			if a.fromList {
				a.a.Evidence = ev
				a.fromList = false
			}
			a.level, a.number = level, number
			b.area = a
			b.afterHead = true
			return
		}
	}
	a := &areaNode{a: Area{Title: title, Prioritised: prioritised, Evidence: ev}, level: level, number: number}
	b.areas = append(b.areas, a)
	b.area = a
	b.afterHead = true
}

// openGoal starts a goal from its heading.
func (b *builder) openGoal(h heading, it item, level strategy.GoalLevel) {
	title := cleanTitle(h.title.text)
	if title == "" {
		title = strings.TrimSpace(h.label + " " + h.number)
	}
	b.addGoal(title, h.number, level, it.span.evidence())
	if level == strategy.GoalLongTerm && b.goal != nil {
		b.goal.label = strings.ToLower(h.label)
	}
}

// addGoal puts a goal in the tree: a sub-goal under the open goal, a goal
// numbered below the open one ("Mål 1.1" under "Mål 1") likewise.
func (b *builder) addGoal(title, number string, level strategy.GoalLevel, ev Evidence) {
	if strings.Trim(title, " .,;:-–—") == "" {
		return // a list item or sentence with no words
	}
	g := &goalNode{g: Goal{Title: title, Level: level, Number: number, Evidence: ev}}
	b.lastCmt = nil
	if level == strategy.GoalLongTerm && b.goal != nil && number != "" && b.goal.g.Number != "" &&
		strings.HasPrefix(number, b.goal.g.Number+".") {
		level = strategy.GoalSub
		g.g.Level = level
	}
	if level == strategy.GoalSub && b.goal != nil {
		b.goal.subs = append(b.goal.subs, g)
		b.sub = g
		b.afterHead = true
		return
	}
	if b.area != nil {
		b.area.goals = append(b.area.goals, g)
	} else {
		b.orphanGoals = append(b.orphanGoals, g)
	}
	b.goal, b.sub = g, nil
	if b.sec != secGoals {
		b.sec = secNone
	}
	b.afterHead = true
}

// cleanTitle takes the final full stop and quotes off a title.
func cleanTitle(t string) string {
	t = strings.TrimSpace(t)
	t = strings.Trim(t, "\"”»«")
	return strings.TrimSpace(strings.TrimRight(t, ".:;,"))
}

// ---------------------------------------------------------------- text

func (b *builder) text(it item) {
	if before, after, ok := b.flatTable(it.span); ok {
		b.textSpan(before)
		b.textSpan(after)
		b.afterHead = false
		return
	}
	b.textSpan(it.span)
	b.afterHead = false
}

func (b *builder) textSpan(sp span) {
	if strings.TrimSpace(sp.text) == "" {
		return
	}
	ss := sentences(sp)
	for i, s := range ss {
		last := i == len(ss)-1
		if last && strings.HasSuffix(s.text, ":") {
			if b.startLeadIn(s) {
				continue
			}
		}
		b.sentence(s)
	}
}

var (
	descriptiveStartRe = mustRe(`^(?:Det|Detta|Denna|Dessa|Strategin|Programmet|Planen|Policyn|Riktlinjerna|Målet|Målen|I|Här|Nedan|Följande)\b`)
	continuationRe     = mustRe(`^(?:Det|Detta|Dessa|Denna|Den|De|Där|Här|Då|Sådana|Sådan|Därför|Därmed|Dessutom|Även|Också|Bland annat|Till exempel)\b`)
)

// sentence places one sentence.
func (b *builder) sentence(s span) {
	if b.bareGoal {
		b.bareGoal = false
		if n := len(words(s.text)); n > 0 && n <= 25 && !descriptiveStartRe.MatchString(s.text) {
			b.addGoal(cleanTitle(s.text), "", strategy.GoalLongTerm, s.evidence())
			return
		}
	}
	b.followUp(s)
	switch b.sec {
	case secDefinitions:
		b.definitionSentence(s)
		return
	case secIndicators, secTOC:
		return
	case secSubGoals:
		if b.subGoalSentence(s) {
			return
		}
	}
	if b.responsibilitySentence(s) && b.sec == secResponsible {
		return
	}
	b.statement(s)
}

// statement decides whether a sentence is a target, a commitment, both, or
// part of a description.
func (b *builder) statement(s span) {
	inStructure := b.area != nil || b.goal != nil
	st := strict
	switch {
	case b.sec == secTargets:
		st = lenient
	case b.sec == secIntro || b.sec == secFollowUp || b.sec == secResponsible || b.sec == secAreaList:
		st = -1
	case inStructure || b.sec == secCommitments || b.sec == secSubGoals || b.sec == secGoals:
		st = normal
	}
	var target Target
	isTarget := false
	if st >= 0 {
		target, isTarget = parseTarget(s, st)
	}
	actor := isActorSka(s.text)
	obligation := !actor && isObligation(s.text)
	section := b.sec == secCommitments || b.sec == secSubGoals
	switch {
	case isTarget && !actor:
		b.addTarget(target)
	case isTarget && actor:
		b.addTarget(target)
		b.addCommitment(s)
	case section:
		if b.lastCmt != nil && continues2(s.text, b.lastCmt.Text) {
			b.lastCmt.Text = strings.TrimSpace(b.lastCmt.Text + " " + s.text)
			return
		}
		if len(words(s.text)) >= 4 {
			b.addCommitment(s)
		}
	case (actor || obligation) && (inStructure || b.sec == secNone || b.sec == secGoals):
		b.addCommitment(s)
	default:
		b.describe(s)
	}
}

// describe adds a sentence to the open goal's or area's description when
// it follows its heading directly.
func (b *builder) describe(s span) {
	if !b.afterHead || b.sec != secNone && b.sec != secGoals {
		return
	}
	switch {
	case b.sub != nil:
		b.sub.g.Description = joinText(b.sub.g.Description, s.text)
	case b.goal != nil:
		b.goal.g.Description = joinText(b.goal.g.Description, s.text)
	case b.area != nil:
		b.area.a.Description = joinText(b.area.a.Description, s.text)
	}
}

func joinText(a, b string) string {
	if a == "" {
		return b
	}
	return a + " " + b
}

// continues2 reports whether a sentence carries on the commitment before
// it: it starts with a pronoun or adverb that points back ("Detta …"), or
// with a word that begins one of the commitment's words ("Fördelning"
// after "fördelningstal").
func continues2(sentence, prev string) bool {
	if continuationRe.MatchString(sentence) {
		return true
	}
	first := strings.ToLower(strings.Trim(firstWordOf(sentence), ",."))
	if len([]rune(first)) < 5 || isActorSka(sentence) {
		return false
	}
	for _, w := range strings.Fields(strings.ToLower(prev)) {
		w = strings.Trim(w, ".,;:()")
		if len(w) > len(first) && strings.HasPrefix(w, first) {
			return true
		}
	}
	return false
}

var actorRe = mustRe(`(?i)^(?:kommunen|regionen|landstinget|vi|förvaltningarna|nämnderna|kommunens [\p{L}-]+|regionens [\p{L}-]+|(?:alla|varje|samtliga) (?:nämnd|nämnder|förvaltning|förvaltningar|verksamhet|verksamheter|chef|chefer|bolag|enhet|enheter|avdelning|avdelningar)|[\p{L}-]+s kommun|region [\p{L}-]+)(?:\s+[\p{L}-]+){0,2}?\s+(?:ska|skall)\b`)

// passiveProvisionRe is an obligation in the passive: "Alla nyanlända ska
// erbjudas …", "… ska tas fram".
var passiveProvisionRe = mustRe(`(?i)^(?:[\p{L}-]+\s+){1,6}?(?:ska|skall)\s+(?:[\p{L}]+\s+)?(?:erbjudas|ges|tillhandahållas|anordnas|genomföras|inrättas|införas|tas fram|upprättas|utses|erbjuds)\b`)

// isActorSka reports whether a sentence says what the organisation or one
// of its bodies shall do: "Kommunen ska …", "Socialnämnden ska …", or what
// shall be provided ("Alla nyanlända ska erbjudas …").
func isActorSka(s string) bool {
	if actorRe.MatchString(s) {
		return true
	}
	if _, verb, ok := subjectBody(s); ok && (verb == "ska" || verb == "skall") {
		return true
	}
	return false
}

// isObligation reports whether a sentence obliges without naming who:
// "Alla nyanlända ska erbjudas …". A question or a clause is none ("När
// aktiviteten ska genomföras").
func isObligation(s string) bool {
	switch strings.ToLower(firstWordOf(s)) {
	case "när", "om", "hur", "vem", "vad", "var", "vilka", "vilket", "som", "där", "eftersom", "att", "innan", "då", "för":
		return false
	}
	return passiveProvisionRe.MatchString(s)
}

// subGoalSentence takes the sentences of a "Delmål" section: the first is
// a sub-goal, and so are those that open the way it does (four words or
// more in common); then the run ends and the rest are statements.
func (b *builder) subGoalSentence(s span) bool {
	if b.subDone {
		return false
	}
	ws := strings.Fields(strings.ToLower(s.text))
	if b.subRun == nil {
		if _, ok := parseTarget(s, normal); ok {
			b.subDone = true
			return false
		}
		b.subRun = ws
		b.addGoal(cleanTitle(s.text), "", strategy.GoalSub, s.evidence())
		b.afterHead = false
		return true
	}
	common := 0
	for common < len(ws) && common < len(b.subRun) && ws[common] == b.subRun[common] {
		common++
	}
	if common >= 4 {
		b.addGoal(cleanTitle(s.text), "", strategy.GoalSub, s.evidence())
		b.afterHead = false
		return true
	}
	b.subDone = true
	return false
}

// ---------------------------------------------------------------- items

// addTarget puts a target under the open sub-goal, goal or area.
func (b *builder) addTarget(t Target) {
	k := normKey(t.Text)
	if b.seen[k] {
		return
	}
	b.seen[k] = true
	switch {
	case b.sub != nil:
		b.sub.g.Targets = append(b.sub.g.Targets, t)
	case b.goal != nil:
		b.goal.g.Targets = append(b.goal.g.Targets, t)
	case b.area != nil:
		b.area.a.Targets = append(b.area.a.Targets, t)
	default:
		b.orphanTargets = append(b.orphanTargets, t)
	}
}

func (b *builder) addCommitment(s span) {
	text := strings.TrimSpace(s.text)
	c := Commitment{Text: text, Evidence: s.evidence()}
	if bd, verb, ok := subjectBody(text); ok && (verb == "ska" || verb == "skall") {
		c.Bodies = []string{bd.name}
	}
	b.putCommitment(c)
}

func (b *builder) putCommitment(c Commitment) {
	var list *[]Commitment
	switch {
	case b.sub != nil:
		list = &b.sub.g.Commitments
	case b.goal != nil:
		list = &b.goal.g.Commitments
	case b.area != nil:
		list = &b.area.a.Commitments
	default:
		list = &b.orphanCommits
	}
	*list = append(*list, c)
	b.lastCmt = &(*list)[len(*list)-1]
}

// ---------------------------------------------------------------- lists

// doesLeadInRe introduces a list of what the organisation does.
var doesLeadInRe = mustRe(`(?i)^(?:det här|detta|så här|så)\s+(?:gör|arbetar|jobbar)\s+(?:vi|kommunen|regionen|\p{L}+nämnden)\s*:$|^(?:kommunen|regionen|vi)\s+(?:kommer att|åtar sig att|ska arbeta med att)\s*:$|^(?:insatser|åtgärder|aktiviteter|åtaganden)\s*:$`)

var areaListIntroRe = mustRe(`(?i)(fokusområde|prioriteringar|prioriterade|målområden|strategiområden|insatsområden|utvecklingsområden|\bområden\b)`)

// startLeadIn reads a line that introduces a list: "Kommunen ska:",
// "… utifrån fyra fokusområden:". It reports whether it was one.
func (b *builder) startLeadIn(s span) bool {
	t := strings.TrimSpace(s.text)
	switch {
	case leadInRe.MatchString(t):
		prefix := strings.TrimSpace(strings.TrimSuffix(t, ":"))
		prefix = strings.TrimSuffix(prefix, " därför")
		kind := leadCommitments
		var bd body
		if x, _, ok := subjectBody(t); ok && b.sec == secResponsible {
			kind, bd = leadDuties, x
		}
		if kind == leadCommitments && b.respBody != nil && b.sec == secResponsible {
			kind, bd = leadDuties, *b.respBody
		}
		b.lead = leadIn{kind: kind, prefix: prefix, body: bd, ev: s.evidence()}
		return true
	case strings.HasSuffix(t, ":") && doesLeadInRe.MatchString(t):
		// "Det här gör kommunen:", "Så här arbetar vi:", "Kommunen kommer att:"
		b.lead = leadIn{kind: leadCommitments, ev: s.evidence()}
		return true
	case strings.HasSuffix(t, ":") && areaListIntroRe.MatchString(t):
		b.lead = leadIn{kind: leadAreas, prioritised: strings.Contains(strings.ToLower(t), "priorit"), ev: s.evidence()}
		return true
	case strings.HasSuffix(t, ":"):
		if bd, verb, ok := subjectBody(t); ok && (verb == "ska" || verb == "skall") {
			kind := leadCommitments
			if b.sec == secResponsible || b.respBody != nil {
				kind = leadDuties
				if b.respBody != nil {
					bd = *b.respBody // "Varje verksamhetsansvarig nämnd ska därför:" under "Nämnder"
				}
			}
			b.lead = leadIn{kind: kind, prefix: strings.TrimSuffix(strings.TrimSuffix(t, ":"), " därför"), body: bd, ev: s.evidence()}
			return true
		}
	}
	return false
}

var bulletDefRe = mustRe(`^(\p{Lu}[\p{L}-]*(?:\s+[\p{L}-]+){0,5}?)\s+[-–—:]\s+(\p{Ll}.*)$`)

func (b *builder) bullet(it item, idx int) {
	s := it.span
	t := strings.TrimSpace(s.text)
	switch b.lead.kind {
	case leadAreas:
		b.listArea(t, s.evidence())
		return
	case leadCommitments:
		text := upperFirst(trimListItem(t))
		if b.lead.prefix != "" {
			text = b.lead.prefix + " " + lowerFirst(trimListItem(t))
		}
		c := Commitment{Text: text, Evidence: s.evidence()}
		if bd, _, ok := subjectBody(b.lead.prefix + " x"); ok {
			c.Bodies = []string{bd.name}
		}
		if tg, ok := parseTarget(textSpan(c.Text, s.evidence()), normal); ok {
			tg.Evidence = s.evidence()
			b.addTarget(tg)
		}
		b.putCommitment(c)
		return
	case leadDuties:
		b.duty(b.lead.body, trimListItem(t), s.evidence())
		b.followUp(s)
		return
	}
	b.followUp(s)
	switch b.sec {
	case secAreaList:
		if b.area == nil {
			b.listArea(t, s.evidence())
			return
		}
	case secSubGoals:
		if tg, ok := parseTarget(s, normal); ok {
			b.addTarget(tg)
			return
		}
		if b.goal != nil {
			b.addGoal(cleanTitle(t), it.number, strategy.GoalSub, s.evidence())
			b.afterHead = false
			return
		}
	case secGoals:
		if tg, ok := parseTarget(s, normal); ok {
			b.addTarget(tg)
			return
		}
		level := strategy.GoalLongTerm
		if b.goal != nil && !b.goal.listItem {
			level = strategy.GoalSub
		}
		b.addGoal(cleanTitle(t), it.number, level, s.evidence())
		if level == strategy.GoalLongTerm {
			b.goal.listItem = true
		}
		b.afterHead = false
		return
	case secDefinitions:
		b.definitionSentence(s)
		return
	case secResponsible:
		if bs := bodiesIn(t); len(bs) > 0 && len(words(t)) <= 3*len(bs)+2 {
			for _, bd := range bs {
				b.responsibility(bd, defaultRole(bd), "", s.evidence())
			}
			return
		}
		if b.respBody != nil {
			b.duty(*b.respBody, trimListItem(t), s.evidence())
			return
		}
	}
	if m := bulletDefRe.FindStringSubmatch(t); m != nil && b.neighbourDefinition(idx) {
		b.addDefinition(m[1], m[2], s.evidence())
		return
	}
	for _, ss := range sentences(s) {
		b.statementBullet(ss)
	}
}

// statementBullet is a list item outside a list with a lead-in: a target
// or commitment like a sentence, but a bulleted line in a targets section
// is read leniently.
func (b *builder) statementBullet(s span) {
	if b.responsibilitySentence(s) && b.sec == secResponsible {
		return
	}
	b.statement(s)
}

// neighbourDefinition reports whether the list item at idx and one next to
// it both read "Term – explanation": a list of definitions.
func (b *builder) neighbourDefinition(idx int) bool {
	items := b.d.items
	for _, j := range []int{idx - 1, idx + 1} {
		if j >= 0 && j < len(items) && items[j].kind == itemBullet && bulletDefRe.MatchString(strings.TrimSpace(items[j].span.text)) {
			return true
		}
	}
	return false
}

// trimListItem takes off what joins list items: a final comma, "och",
// semicolon or full stop.
func trimListItem(t string) string {
	t = strings.TrimSpace(t)
	for _, suffix := range []string{" och", " samt", " eller", ",", ";", "."} {
		t = strings.TrimSpace(strings.TrimSuffix(t, suffix))
	}
	return t
}

// listArea adds a focus area named in a list.
func (b *builder) listArea(t string, ev Evidence) {
	title := cleanTitle(t)
	if title == "" || len(words(title)) > 20 {
		return
	}
	for _, a := range b.areas {
		if normKey(a.a.Title) == normKey(title) {
			a.a.Prioritised = a.a.Prioritised || b.lead.prioritised || b.areaPrio
			return
		}
	}
	b.areas = append(b.areas, &areaNode{a: Area{Title: title, Prioritised: b.lead.prioritised || b.areaPrio && b.sec == secAreaList, Evidence: ev}, fromList: true})
}

// ---------------------------------------------------------------- tables

// tableHeader is the header of a table of targets or of responsibilities:
// which cell holds the measure (or the goal or area a row is about), the
// starting value, the target value, the responsible bodies and those that
// contribute; -1 for a column the table lacks.
type tableHeader struct {
	measure, base, target int
	resp, also            int
	baseYear, targetYear  int
}

var (
	respColRe = mustRe(`(?i)^(huvudansvarig|ansvarig|ansvar)`)
	alsoColRe = mustRe(`(?i)^(medverka|samverka)`)
	// headerCellRe is a cell of a table's header row.
	headerCellRe = mustRe(`(?i)^(?:mål|målnummer|målnr|nr|område|fokusområde|målområde|strategiområde|insatsområde|indikator|indikatorer|mått|nyckeltal|mätetal|utgångsläge|utgångsvärde|nuläge|basvärde|basår|utfall|målvärde|målnivå|huvudansvarig|huvudansvariga|ansvarig|ansvariga|ansvar|medverkande|medverkar|uppföljning|tidplan|tid|kommentar|källa|aktivitet|aktiviteter)(?:\s+(?:nämnd|nämnder|förvaltning|förvaltningar|(?:19|20)\d{2}))?\s*:?$`)
)

// headerOf reads a table's header row; ok is false for a table that has
// neither target values nor responsible bodies.
func headerOf(cells []string) (*tableHeader, bool) {
	h := &tableHeader{base: -1, target: -1, resp: -1, also: -1}
	for i, c := range cells {
		c = strings.TrimSpace(c)
		switch {
		case targetColRe.MatchString(c) && i > 0:
			h.target = i
			if m := yearRe.FindString(c); m != "" {
				h.targetYear = atoi(m)
			}
		case baseColRe.MatchString(c):
			h.base = i
			if m := yearRe.FindString(c); m != "" {
				h.baseYear = atoi(m)
			}
		case respColRe.MatchString(c) && i > 0:
			h.resp = i
		case alsoColRe.MatchString(c) && i > 0:
			h.also = i
		}
	}
	return h, h.target > 0 || h.resp > 0
}

// tableRow reads a row under a header: a target, or the bodies
// responsible for the goal or area the row names.
func (b *builder) tableRow(cells []string, text string, ev Evidence) {
	h := b.table
	cell := func(i int) string {
		if i < 0 || i >= len(cells) {
			return ""
		}
		return strings.TrimSpace(cells[i])
	}
	if h.target > 0 && cell(h.target) != "" {
		b.tableTarget(cell(h.measure), cell(h.base), cell(h.target), text, h, ev)
	}
	if h.resp > 0 {
		b.tableResponsibility(cell(h.measure), cell(h.resp), strategy.RoleLeads, ev)
	}
	if h.also > 0 {
		b.tableResponsibility(cell(h.measure), cell(h.also), strategy.RoleContributes, ev)
	}
}

var refLabelRe = mustRe(`(?i)^(?:långsiktigt mål|delmål|effektmål|mål|målområde|fokusområde|strategiområde|insatsområde|område)\s*`)

// tableResponsibility records the bodies of a row for the goal or area
// its first cell names ("1", "Mål 2", "Arbete"), or for the document.
func (b *builder) tableResponsibility(ref, names string, role strategy.ResponsibilityRole, ev Evidence) {
	bodies := bodiesIn(names)
	if len(bodies) == 0 {
		return
	}
	key := normKey(refLabelRe.ReplaceAllString(strings.TrimSpace(ref), ""))
	var goal *goalNode
	var area *areaNode
	var find func([]*goalNode)
	find = func(gs []*goalNode) {
		for _, g := range gs {
			if goal == nil && key != "" && (normKey(g.g.Number) == key || normKey(g.g.Title) == key) {
				goal = g
			}
			find(g.subs)
		}
	}
	for _, a := range b.areas {
		if key != "" && (normKey(a.a.Title) == key || normKey(a.number) == key) {
			area = a
			break
		}
		find(a.goals)
	}
	if area == nil {
		find(b.orphanGoals)
	}
	for _, bd := range bodies {
		r := Responsibility{Body: bd.name, Role: role, Evidence: ev}
		switch {
		case area != nil:
			area.a.Responsibilities = appendResponsibility(area.a.Responsibilities, r)
		case goal != nil:
			goal.g.Responsibilities = appendResponsibility(goal.g.Responsibilities, r)
		default:
			b.draft.Responsibilities = appendResponsibility(b.draft.Responsibilities, r)
		}
	}
}

func appendResponsibility(list []Responsibility, r Responsibility) []Responsibility {
	for _, x := range list {
		if x.Body == r.Body {
			return list
		}
	}
	return append(list, r)
}

// cellTable reads a table whose cells arrive one paragraph each (a DOCX
// or Markdown table through internal/doctext): a run of header cells
// ("Mål", "Huvudansvarig nämnd", "Uppföljning"), then rows of as many
// cells. It returns how many items it took, 0 for none.
func (b *builder) cellTable(i int) int {
	items := b.d.items
	var cols []string
	j := i
	for j < len(items) && len(cols) < 8 {
		it := items[j]
		if it.kind != itemHeading && it.kind != itemText || !headerCellRe.MatchString(strings.TrimSpace(it.span.text)) {
			break
		}
		cols = append(cols, it.span.text)
		j++
	}
	if len(cols) < 2 {
		return 0
	}
	h, ok := headerOf(cols)
	if !ok {
		return 0
	}
	k := len(cols)
	saved := b.table
	b.table = h
	defer func() { b.table = saved }()
	rows := 0
	for j+k <= len(items) {
		row := items[j : j+k]
		cells := make([]string, k)
		fits := true
		for c, it := range row {
			t := strings.TrimSpace(it.span.text)
			if it.kind != itemHeading && it.kind != itemText || len(words(t)) > 25 || headerCellRe.MatchString(t) && c > 0 {
				fits = false
				break
			}
			cells[c] = t
		}
		if fits && h.target > 0 && !strings.ContainsAny(cells[h.target], "0123456789") && !hasNumberWord(cells[h.target]) {
			fits = false
		}
		if fits && h.target <= 0 && h.resp > 0 && len(bodiesIn(cells[h.resp])) == 0 {
			fits = false
		}
		if !fits {
			break
		}
		first, last := row[0].span, row[k-1].span
		ev := Evidence{Sentence: strings.Join(cells, " | "), Start: first.off[0], End: last.off[len(last.text)]}
		b.tableRow(cells, strings.Join(cells, " "), ev)
		rows++
		j += k
	}
	if rows == 0 {
		return 0
	}
	return j - i
}

var (
	flatRespHeaderRe = mustRe(`(?i)^(?:mål|målnummer|nr|område|fokusområde|målområde|strategiområde|insatsområde)\s+(?:huvudansvarig(?:a)?(?:\s+nämnd(?:er)?)?|ansvarig(?:a)?(?:\s+nämnd(?:er)?)?|ansvar)(?:\s+\S+){0,4}$`)
	flatRespRowRe    = mustRe(`^(\d{1,2}(?:\.\d{1,2})*|[A-Z])\s+(\S.*)$`)
)

// flatRespTable reads a table of responsibilities whose rows lost their
// cell borders: "Mål Huvudansvarig nämnd Uppföljning", then "1
// Kommunstyrelsen Årligen", "2 Socialnämnden Två gånger per år" ….
func (b *builder) flatRespTable(i int) int {
	items := b.d.items
	if !flatRespHeaderRe.MatchString(strings.TrimSpace(items[i].span.text)) {
		return 0
	}
	j := i + 1
	for ; j < len(items); j++ {
		m := flatRespRowRe.FindStringSubmatch(strings.TrimSpace(items[j].span.text))
		if items[j].number != "" {
			m = []string{"", items[j].number, items[j].span.text} // "1 Kommunstyrelsen …" read as a numbered line
		}
		if m == nil || items[j].kind == itemBullet || items[j].kind == itemRow {
			break
		}
		bd, _, ok := leadingBodyRest(m[2])
		if !ok {
			break
		}
		b.tableResponsibility(m[1], bd.name, strategy.RoleLeads, items[j].span.evidence())
	}
	if j == i+1 {
		return 0
	}
	return j - i
}

func hasNumberWord(s string) bool {
	for _, t := range tokenize(s) {
		if _, ok := numberWords[t.low]; ok {
			return true
		}
	}
	return false
}

var (
	targetColRe = mustRe(`(?i)^(målvärde|målnivå|mål\s+(?:19|20)\d{2})\b`)
	baseColRe   = mustRe(`(?i)^(utgångsläge|utgångsvärde|nuläge|basvärde|basår|utfall)\b`)
)

// row reads a table row: a header with a target column, or a row under it.
func (b *builder) row(it item) {
	if b.table == nil {
		// A header and its rows on one line: cells that lost their line breaks.
		if _, after, ok := b.flatTable(it.span); ok {
			b.textSpan(after)
			return
		}
		if h, ok := headerOf(cellTexts(it.cells)); ok {
			b.table = h
		}
		return
	}
	b.tableRow(cellTexts(it.cells), strings.Join(cellTexts(it.cells), " "), it.span.evidence())
}

// tableTarget makes a target of a table row: the measure, its starting
// value and its target value (a comparator in the cell, else at least,
// or at most when the target is below the start).
func (b *builder) tableTarget(measure, baseCell, cell, text string, h *tableHeader, ev Evidence) {
	toks := tokenize(cell)
	q, cmp, explicit, ok := levelOf(toks, strings.ToLower(cell))
	if !ok {
		for i := range toks {
			if qq, found := readNumber(toks, i); found {
				q, ok = qq, true
				break
			}
		}
	}
	if !ok {
		return
	}
	t := Target{Text: text, Evidence: ev}
	v := q.value
	t.Value = &v
	t.Unit = unitOf(toks, q, strings.ToLower(measure))
	if t.Unit == "antal" || t.Unit == "" {
		mt := tokenize(measure)
		t.Unit = unitOf(mt, quantity{next: len(mt)}, strings.ToLower(measure))
	}
	if baseCell != "" {
		bt := tokenize(baseCell)
		for i := range bt {
			if bq, found := readNumber(bt, i); found {
				bv := bq.value
				t.BaseValue = &bv
				t.BaseYear = h.baseYear
				break
			}
		}
	}
	if !explicit {
		cmp = strategy.AtLeast
		if t.BaseValue != nil && *t.BaseValue > v {
			cmp = strategy.AtMost
		}
	}
	t.Comparator = cmp
	if perYearRe.MatchString(measure) {
		t.Kind = strategy.TargetPerYear
		t.BaseYear, t.BaseValue = 0, nil
	} else {
		t.Kind = strategy.TargetThreshold
		t.TargetYear = h.targetYear
	}
	if t.BaseYear == 0 {
		t.BaseValue = nil
	}
	b.addTarget(t)
}

// flatHeaderRe is the header of a table of targets whose cells lost their
// line breaks: "Indikator Utgångsläge 2018 Målvärde 2022".
var flatHeaderRe = mustRe(`(?i)(?:\b(?:indikator(?:er)?|mått|nyckeltal|mätetal)\s*\|?\s*)?(?:\b(utgångsläge|utgångsvärde|nuläge|basvärde|utfall)\s*((?:19|20)\d{2})?\s*\|?\s*)?\b(?:målvärde|målnivå)\s*((?:19|20)\d{2})?\s*\|?`)

// flatTable reads the rows of a table of targets in text without line
// breaks: each row is a measure followed by one value (the target) or two
// (start and target) and then a capital letter or the end. It returns the
// part of s before the table and after its last row, for reading as text.
func (b *builder) flatTable(s span) (before, after span, ok bool) {
	m := flatHeaderRe.FindStringSubmatchIndex(s.text)
	if m == nil {
		return s, span{}, false
	}
	h := &tableHeader{base: -1}
	values := 1
	if m[2] >= 0 {
		values = 2
		if m[4] >= 0 {
			h.baseYear = atoi(s.text[m[4]:m[5]])
		}
	}
	if m[6] >= 0 {
		h.targetYear = atoi(s.text[m[6]:m[7]])
	}
	rest := s.slice(m[1], len(s.text))
	flat := strings.ReplaceAll(rest.text, "|", " ")
	type word struct{ start, end int }
	var ws []word
	for i := 0; i < len(flat); {
		for i < len(flat) && flat[i] == ' ' {
			i++
		}
		j := i
		for j < len(flat) && flat[j] != ' ' {
			j++
		}
		if j > i {
			ws = append(ws, word{i, j})
		}
		i = j
	}
	text := func(a, z int) string { return strings.TrimSpace(flat[ws[a].start:ws[z-1].end]) }
	// group reads a value at word i: an optional comparator, a number
	// (with thousands as separate words) and an optional "%".
	group := func(i int) int {
		if i < len(ws) {
			switch strings.ToLower(flat[ws[i].start:ws[i].end]) {
			case "minst", "högst", "cirka", "ca", "max", "över", "under":
				i++
			}
		}
		if i >= len(ws) || !allDigitsOrDecimal(flat[ws[i].start:ws[i].end]) {
			return -1
		}
		i++
		for i < len(ws) && len(flat[ws[i].start:ws[i].end]) == 3 && allDigitsOrDecimal(flat[ws[i].start:ws[i].end]) {
			i++
		}
		if i < len(ws) && (flat[ws[i].start:ws[i].end] == "%" || strings.EqualFold(flat[ws[i].start:ws[i].end], "procent")) {
			i++
		}
		return i
	}
	rowStart, rows := 0, 0
	for i := 1; i < len(ws); i++ {
		cells := []int{i}
		e := i
		for k := 0; k < values && e >= 0; k++ {
			e = group(e)
			cells = append(cells, e)
		}
		if e < 0 || e < len(ws) && !isUpperStart(flat[ws[e].start:]) {
			continue
		}
		measure := text(rowStart, i)
		base, target := "", text(cells[values-1], cells[values])
		if values == 2 {
			base = text(cells[0], cells[1])
		}
		rowSpan := rest.slice(ws[rowStart].start, ws[e-1].end)
		b.tableTarget(measure, base, target, rowSpan.text, h, rowSpan.evidence())
		rows++
		rowStart = e
		i = e
	}
	if rows == 0 {
		return s, span{}, false
	}
	before = s.slice(0, m[0])
	if rowStart < len(ws) {
		after = rest.slice(ws[rowStart].start, len(rest.text))
	}
	return before, after, true
}

func allDigitsOrDecimal(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r == ',' || r == '.') {
			return false
		}
	}
	return r0IsDigit(s)
}

func r0IsDigit(s string) bool { return s[0] >= '0' && s[0] <= '9' }

func cellTexts(cells []span) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = strings.TrimSpace(c.text)
	}
	return out
}

// ---------------------------------------------------------------- responsibilities

// labelResponsibility reads "Huvudansvariga nämnder: A, B".
func (b *builder) labelResponsibility(h heading, s span) {
	for _, bd := range bodiesIn(h.names.text) {
		b.responsibility(bd, h.respRole, "", s.evidence())
	}
}

var responsibleRe = mustRe(`(?i)^(?:ansvarar|har (?:det )?(?:övergripande |yttersta |samlade )?(?:ansvar|huvudansvar)|leder och samordnar|samordnar|leder)`)

// responsibilitySentence reads "Socialnämnden ansvarar för …", "Kommun-
// styrelsen har det övergripande ansvaret …".
func (b *builder) responsibilitySentence(s span) bool {
	bd, verb, ok := subjectBody(s.text)
	if !ok {
		return false
	}
	rest := ""
	if i := strings.Index(strings.ToLower(s.text), " "+verb); i >= 0 {
		rest = strings.TrimSpace(s.text[i:])
	}
	switch {
	case responsibleRe.MatchString(rest):
		role := strategy.RoleLeads
		if strings.HasPrefix(strings.ToLower(rest), "samordnar") || strings.HasPrefix(strings.ToLower(rest), "leder och samordnar") {
			role = strategy.RoleCoordinates
		}
		b.responsibility(bd, role, strings.TrimRight(s.text, "."), s.evidence())
		return true
	case b.sec == secResponsible && (verb == "ska" || verb == "skall"):
		if b.respBody != nil && lastWord(strings.ToLower(b.respBody.name)) == lastWord(strings.ToLower(bd.name)) {
			bd = *b.respBody // the body under its own heading, however the sentence spells it
		}
		b.duty(bd, strings.TrimRight(s.text, "."), s.evidence())
		return true
	}
	return false
}

// defaultRole is the role a body usually has when a text names it as
// responsible without saying how.
func defaultRole(bd body) strategy.ResponsibilityRole {
	switch bd.kind {
	case strategy.BodyCouncil:
		return strategy.RoleDecides
	case strategy.BodyBoard, strategy.BodyNetwork:
		return strategy.RoleCoordinates
	case strategy.BodyAdministration:
		return strategy.RoleContributes
	}
	return strategy.RoleLeads
}

// responsibility records that a body answers for the open area, or for the
// document when no area is open.
func (b *builder) responsibility(bd body, role strategy.ResponsibilityRole, duty string, ev Evidence) {
	list := &b.draft.Responsibilities
	if b.area != nil {
		list = &b.area.a.Responsibilities
	}
	for i := range *list {
		if (*list)[i].Body == bd.name {
			if duty != "" {
				(*list)[i].Duties = append((*list)[i].Duties, duty)
			}
			return
		}
	}
	r := Responsibility{Body: bd.name, Role: role, Evidence: ev}
	if duty != "" {
		r.Duties = []string{duty}
	}
	*list = append(*list, r)
}

// duty adds a task to a body's responsibility.
func (b *builder) duty(bd body, text string, ev Evidence) {
	if bd.name == "" {
		return
	}
	role := defaultRole(bd)
	if strings.Contains(strings.ToLower(text), "stödja") || strings.Contains(strings.ToLower(text), "stödjer") {
		role = strategy.RoleSupports
	}
	b.responsibility(bd, role, text, ev)
}

// ---------------------------------------------------------------- cover

// coverLabels reads the cover's field that says when the document is
// revised ("Uppdateras: 2015").
func (b *builder) coverLabels(s span) {
	for _, part := range labelParts(s) {
		m := metaLabelRe.FindStringSubmatch(part.text)
		if m == nil {
			continue
		}
		switch strings.ToLower(m[1]) {
		case "uppdateras", "revideras", "revidering":
			if y := yearRe.FindString(m[2]); y != "" && b.draft.Revision == nil {
				b.draft.Revision = &Revision{Due: atoi(y), Evidence: part.evidence()}
			}
		}
	}
}

// ---------------------------------------------------------------- finish

func (b *builder) finish() Draft {
	d := b.draft
	// Goals found outside any area go to the areas that have none, in
	// order, when their numbers agree (the areas listed elsewhere, such
	// as under "Indikatorer").
	empty := 0
	for _, a := range b.areas {
		if len(a.goals) == 0 {
			empty++
		}
	}
	if len(b.orphanGoals) > 0 && empty == len(b.orphanGoals) {
		k := 0
		for _, a := range b.areas {
			if len(a.goals) == 0 {
				a.goals = append(a.goals, b.orphanGoals[k])
				a.a.GoalsByOrder = true
				k++
			}
		}
		b.orphanGoals = nil
	}
	for _, a := range b.areas {
		area := a.a
		for _, g := range a.goals {
			area.Goals = append(area.Goals, g.value())
		}
		d.Areas = append(d.Areas, area)
	}
	for _, g := range b.orphanGoals {
		d.Goals = append(d.Goals, g.value())
	}
	d.Targets = b.orphanTargets
	d.Commitments = b.orphanCommits
	return d
}

func (g *goalNode) value() Goal {
	out := g.g
	for _, s := range g.subs {
		out.Goals = append(out.Goals, s.value())
	}
	return out
}
