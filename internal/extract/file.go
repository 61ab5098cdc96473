package extract

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"testing/fstest"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/inkludera/inkludera/internal/strategy"
	"github.com/inkludera/inkludera/internal/strategyfile"
)

// CheckMark starts the comment on every value of a draft that its reviewer
// must decide (a placeholder, a guess). Count the lines that contain it to
// know how many there are.
const CheckMark = "# Kontrollera: "

// evidenceMark starts the comment that quotes an item's evidence.
const evidenceMark = "# Ur texten: "

// File writes the draft as a strategy file (docs/strategy-file.md) that
// `inkludera validate` accepts. Each item is preceded by a comment quoting
// the text it came from; required values the text does not give get a
// placeholder and a comment starting with CheckMark. The error is for a
// draft that does not validate, which would be a bug here.
func (d Draft) File() ([]byte, error) {
	w := newFileWriter(d)
	w.write()
	data := w.buf.Bytes()
	const name = "utkast.yaml"
	if _, err := strategyfile.LoadFS(fstest.MapFS{name: {Data: data}}, []string{name}, nil); err != nil {
		return nil, fmt.Errorf("the draft does not validate: %w", err)
	}
	return data, nil
}

// fileWriter writes the YAML line by line, so that comments sit where a
// reviewer needs them.
type fileWriter struct {
	d          Draft
	buf        bytes.Buffer
	bodies     []body
	bodyKeys   map[string]string // name → key
	keys       map[string]map[string]bool
	indicators []indicatorDef
	docKey     string
	orgShort   string
	endYear    int // the year a threshold without one is placed at
}

type indicatorDef struct {
	key, title, unit string
	polarity         strategy.Polarity
}

func newFileWriter(d Draft) *fileWriter {
	w := &fileWriter{d: d, bodyKeys: map[string]string{}, keys: map[string]map[string]bool{}}
	if o, ok := orgByCode(d.Meta.OrgCode); ok {
		w.orgShort = o.short
	}
	w.collectBodies()
	w.endYear = w.placeholderYear()
	return w
}

// ---------------------------------------------------------------- writing primitives

func (w *fileWriter) line(indent int, s string) {
	if s == "" {
		w.buf.WriteByte('\n')
		return
	}
	w.buf.WriteString(strings.Repeat(" ", indent))
	w.buf.WriteString(s)
	w.buf.WriteByte('\n')
}

// comment writes a comment wrapped at about 110 columns.
func (w *fileWriter) comment(indent int, prefix, text string) {
	text = printable(text)
	const width = 110
	lead := prefix
	cur := lead
	for _, word := range strings.Fields(text) {
		if utf8.RuneCountInString(cur)+1+utf8.RuneCountInString(word) > width-indent && cur != lead {
			w.line(indent, cur)
			cur = "#   "
			if strings.HasPrefix(lead, evidenceMark) {
				cur = "#             "
			}
		}
		if strings.HasSuffix(cur, " ") {
			cur += word
		} else {
			cur += " " + word
		}
	}
	w.line(indent, cur)
}

func (w *fileWriter) evidence(indent int, ev Evidence) {
	s := strings.TrimSpace(ev.Sentence)
	if s == "" {
		return
	}
	if r := []rune(s); len(r) > 400 {
		s = string(r[:400]) + " …"
	}
	w.comment(indent, evidenceMark, "»"+s+"«")
}

func (w *fileWriter) check(indent int, text string) {
	w.comment(indent, CheckMark, text)
}

// printable is s with what YAML cannot carry (bytes that are not UTF-8,
// control characters) replaced.
func printable(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		if !yamlPrintable(r) && r != '\n' {
			return ' '
		}
		return r
	}, s)
}

// scalar is a string as a YAML scalar, quoted where YAML needs it.
func scalar(s string) string {
	s = printable(s)
	b, err := yaml.Marshal(s)
	if err != nil {
		return strconv.Quote(s)
	}
	return strings.TrimSuffix(string(b), "\n")
}

func (w *fileWriter) kv(indent int, key, value string) {
	w.line(indent, key+": "+scalar(value))
}

func (w *fileWriter) kvRaw(indent int, key, value string) {
	w.line(indent, key+": "+value)
}

// key makes a key unique among those of its kind.
func (w *fileWriter) key(kind, base, fallback string) string {
	k := strategy.CutKey(strategy.Slug(base), 48)
	if k == "" {
		k = fallback
	}
	if w.keys[kind] == nil {
		w.keys[kind] = map[string]bool{}
	}
	cand := k
	for n := 2; w.keys[kind][cand]; n++ {
		cand = fmt.Sprintf("%s-%d", k, n)
	}
	w.keys[kind][cand] = true
	return cand
}

// ---------------------------------------------------------------- bodies

// collectBodies gathers every body the draft names, with keys.
func (w *fileWriter) collectBodies() {
	add := func(name string) {
		if name == "" {
			return
		}
		if _, ok := w.bodyKeys[name]; ok {
			return
		}
		bd, ok := bodyOf(name)
		if !ok {
			bd = body{key: strategy.KeyFromTitle(name), name: name, kind: strategy.BodyCommittee}
		}
		for _, existing := range w.bodies {
			if existing.key == bd.key {
				w.bodyKeys[name] = bd.key
				return
			}
		}
		if bd.key == "" {
			bd.key = "organ"
		}
		w.bodies = append(w.bodies, bd)
		w.bodyKeys[name] = bd.key
	}
	m := w.d.Meta
	add(m.AdoptedBy)
	add(m.Owner)
	if w.d.FollowUp != nil {
		add(w.d.FollowUp.ReportTo)
	}
	for _, r := range w.d.Responsibilities {
		add(r.Body)
	}
	var goals func([]Goal)
	commitments := func(cs []Commitment) {
		for _, c := range cs {
			for _, b := range c.Bodies {
				add(b)
			}
		}
	}
	goals = func(gs []Goal) {
		for _, g := range gs {
			for _, r := range g.Responsibilities {
				add(r.Body)
			}
			commitments(g.Commitments)
			goals(g.Goals)
		}
	}
	for _, a := range w.d.Areas {
		for _, r := range a.Responsibilities {
			add(r.Body)
		}
		commitments(a.Commitments)
		goals(a.Goals)
	}
	goals(w.d.Goals)
	commitments(w.d.Commitments)
}

// placeholderYear is the year a threshold target without one gets: the end
// of the document's validity, else the last year in its title.
func (w *fileWriter) placeholderYear() int {
	m := w.d.Meta
	if len(m.ValidTo) >= 4 {
		return atoi(m.ValidTo[:4])
	}
	y := 0
	for _, s := range yearRe.FindAllString(m.Title+" "+m.Subtitle, -1) {
		y = max(y, atoi(s))
	}
	if y == 0 && m.Year != 0 {
		y = m.Year + 4
	}
	return y
}

// ---------------------------------------------------------------- the file

func (w *fileWriter) write() {
	d := w.d
	m := d.Meta
	w.line(0, "# Utkast till strategifil, framtaget av Inkludera ur dokumentets text (inkludera extract).")
	w.line(0, "# Allt här är förslag. Granska varje del mot dokumentet innan du importerar filen.")
	w.line(0, "# »Ur texten« visar meningen som en del kommer från; »Kontrollera« visar vad du behöver avgöra.")
	w.line(0, "inkludera: 1")
	w.line(0, "")
	w.line(0, "organisation:")
	if m.OrgCode != "" {
		w.evidence(2, m.Evidence["OrgCode"])
		w.kv(2, "code", m.OrgCode)
		w.kv(2, "name", m.OrgName)
		w.kv(2, "kind", m.OrgKind)
		if m.OrgKind == "kommun" {
			w.kv(2, "county", m.County)
		}
	} else {
		w.check(2, "Texten nämner ingen kommun eller region som gick att känna igen. Ange kommunkod (fyra siffror) eller länskod (två), namn och kind: kommun eller region.")
		w.kv(2, "code", "00")
		w.kv(2, "name", "Okänd organisation")
		w.kv(2, "kind", "riket")
	}
	if len(w.bodies) > 0 {
		w.line(0, "")
		w.line(0, "bodies:")
		for _, bd := range w.bodies {
			w.line(2, "- key: "+scalar(bd.key))
			w.kv(4, "name", bd.name)
			w.kv(4, "kind", string(bd.kind))
		}
	}
	w.line(0, "")
	w.line(0, "document:")
	w.writeDocument()
	if len(w.indicators) > 0 {
		w.line(0, "")
		w.line(0, "indicators:")
		w.check(2, "Indikatorerna är platshållare (source: manual) för måtten som målen nämner. Koppla dem till Kolada eller SCB, eller behåll dem som egna uppgifter.")
		for _, ind := range w.indicators {
			w.line(2, "- key: "+scalar(ind.key))
			w.kv(4, "title", ind.title)
			w.kv(4, "unit", ind.unit)
			w.kv(4, "polarity", string(ind.polarity))
			w.kv(4, "source", "manual")
		}
	}
}

func (w *fileWriter) writeDocument() {
	d := w.d
	m := d.Meta
	title := m.Title
	base := title
	if w.orgShort != "" && !strings.Contains(strategy.Slug(title), strategy.Slug(w.orgShort)) {
		base = w.orgShort + " " + title
	}
	w.docKey = strategy.CutKey(strategy.Slug(base), 80)
	if w.docKey == "" {
		w.docKey = "utkast"
	}
	w.kv(2, "key", w.docKey)
	if m.Kind == "" {
		w.check(2, "Texten säger inte vilken sorts styrdokument det är: strategi, program, plan, policy, riktlinjer eller regler.")
		w.kv(2, "kind", "strategi")
	} else {
		w.kv(2, "kind", m.Kind)
	}
	if title == "" {
		w.check(2, "Ingen titel hittades i texten.")
		title = "Namnlöst dokument"
	} else {
		w.evidence(2, m.Evidence["Title"])
	}
	w.kv(2, "title", title)
	if m.Subtitle != "" {
		w.kv(2, "subtitle", m.Subtitle)
	}
	if m.Identifier != "" {
		w.kv(2, "identifier", m.Identifier)
	}
	if m.CaseNumber != "" {
		w.evidence(2, m.Evidence["CaseNumber"])
		w.kv(2, "case_number", m.CaseNumber)
	}
	if m.Version != "" {
		w.kv(2, "version", m.Version)
	}
	if m.AdoptedOn != "" {
		w.kv(2, "status", "antagen")
		w.evidence(2, m.Evidence["AdoptedOn"])
		w.line(2, "adopted:")
		if k := w.bodyKeys[m.AdoptedBy]; k != "" {
			w.kv(4, "by", k)
		}
		w.kvRaw(4, "on", m.AdoptedOn)
		if m.Paragraph != "" {
			w.kv(4, "paragraph", m.Paragraph)
		}
	} else {
		if m.AdoptedBy != "" {
			w.evidence(2, m.Evidence["AdoptedBy"])
			w.check(2, "Texten säger att dokumentet är antaget men inte vilket datum. Ange adopted.on och sätt status: antagen.")
		}
		w.kv(2, "status", "utkast")
		if k := w.bodyKeys[m.AdoptedBy]; k != "" || m.Paragraph != "" {
			w.line(2, "adopted:")
			if k != "" {
				w.kv(4, "by", k)
			}
			if m.Paragraph != "" {
				w.kv(4, "paragraph", m.Paragraph)
			}
		}
	}
	if m.ValidFrom != "" && (m.ValidTo == "" || m.ValidFrom <= m.ValidTo) {
		w.kvRaw(2, "valid_from", m.ValidFrom)
	}
	if m.ValidTo != "" {
		w.kvRaw(2, "valid_to", m.ValidTo)
	}
	if fu := d.FollowUp; fu != nil {
		w.evidence(2, fu.Evidence)
		w.line(2, "follow_up:")
		if fu.IntervalYears > 0 {
			w.kvRaw(4, "interval_years", strconv.Itoa(fu.IntervalYears))
		}
		if fu.Occasion != "" {
			w.kv(4, "occasion", fu.Occasion)
		}
		if k := w.bodyKeys[fu.ReportTo]; k != "" {
			w.kv(4, "report_to", k)
		}
		if fu.DeepIntervalYears > 0 {
			w.kvRaw(4, "deep_interval_years", strconv.Itoa(fu.DeepIntervalYears))
		}
	}
	if r := d.Revision; r != nil && r.Due >= 1900 && r.Due <= 2200 {
		w.evidence(2, r.Evidence)
		w.line(2, "revision:")
		w.kvRaw(4, "due", strconv.Itoa(r.Due))
		if r.Condition != "" {
			w.kv(4, "condition", r.Condition)
		}
	}
	if k := w.bodyKeys[m.Owner]; k != "" {
		w.evidence(2, m.Evidence["Owner"])
		w.kv(2, "owner", k)
	}
	if m.Responsible != "" {
		w.evidence(2, m.Evidence["Responsible"])
		w.kv(2, "responsible", m.Responsible)
	}
	w.responsibilities(2, d.Responsibilities)
	w.areas()
	if len(d.Definitions) > 0 {
		w.line(2, "terms:")
		for _, def := range d.Definitions {
			w.evidence(4, def.Evidence)
			w.line(4, "- key: "+scalar(w.key("term", def.Term, "begrepp")))
			w.kv(6, "term", def.Term)
			w.kv(6, "definition", def.Definition)
		}
	}
}

func (w *fileWriter) responsibilities(indent int, rs []Responsibility) {
	var valid []Responsibility
	for _, r := range rs {
		if w.bodyKeys[r.Body] != "" && r.Role.Valid() {
			valid = append(valid, r)
		}
	}
	if len(valid) == 0 {
		return
	}
	w.line(indent, "responsibilities:")
	for _, r := range valid {
		w.evidence(indent+2, r.Evidence)
		w.line(indent+2, "- body: "+scalar(w.bodyKeys[r.Body]))
		w.kv(indent+4, "role", string(r.Role))
		if len(r.Duties) > 0 {
			w.line(indent+4, "duties:")
			for _, duty := range r.Duties {
				w.line(indent+6, "- "+scalar(duty))
			}
		}
	}
}

// areas writes the focus areas, and places what the text gave outside any
// area: a goal gets an area of its own, targets and commitments an area
// "Övrigt".
func (w *fileWriter) areas() {
	d := w.d
	areas := append([]Area(nil), d.Areas...)
	placed := make([]bool, len(areas)) // true for areas made here
	for _, g := range d.Goals {
		areas = append(areas, Area{Title: g.Title, Goals: []Goal{g}, Evidence: g.Evidence})
		placed = append(placed, true)
	}
	if len(d.Targets) > 0 || len(d.Commitments) > 0 {
		areas = append(areas, Area{Title: "Övrigt", Targets: d.Targets, Commitments: d.Commitments})
		placed = append(placed, true)
	}
	if len(areas) == 0 {
		return
	}
	w.line(2, "areas:")
	for i, a := range areas {
		w.line(4, "")
		if placed[i] {
			w.check(4, "Texten anger inget fokusområde för det här. Området är en platshållare: flytta innehållet till rätt område eller byt titel.")
		} else {
			w.evidence(4, a.Evidence)
		}
		if a.GoalsByOrder {
			w.check(4, "Målen placerades i det här området efter sin ordning i texten; texten knyter dem inte till området.")
		}
		if strings.TrimSpace(a.Title) == "" {
			a.Title = "Område utan titel"
			w.check(4, "Området har ingen titel i texten.")
		}
		w.line(4, "- key: "+scalar(w.key("area", a.Title, "omrade")))
		w.kv(6, "title", a.Title)
		if a.Prioritised {
			w.kvRaw(6, "prioritised", "true")
		}
		if a.Description != "" {
			w.kv(6, "description", a.Description)
		}
		w.responsibilities(6, a.Responsibilities)
		goals := a.Goals
		if len(a.Targets) > 0 {
			goals = append(goals, Goal{Title: a.Title, Level: strategy.GoalLongTerm, Targets: a.Targets, Evidence: Evidence{}})
		}
		if len(goals) > 0 {
			w.line(6, "goals:")
			for j, g := range goals {
				w.goal(8, g, len(a.Targets) > 0 && j == len(goals)-1)
			}
		}
		w.commitments(6, a.Commitments)
	}
}

func (w *fileWriter) goal(indent int, g Goal, placeholder bool) {
	if placeholder {
		w.check(indent, "Målen nedan står i texten utan ett mål ovanför sig. Målet är en platshållare: ge det en titel eller flytta målen.")
	} else {
		w.evidence(indent, g.Evidence)
	}
	key := ""
	if g.Number != "" {
		key = w.key("goal", "mal-"+g.Number, "mal")
	} else {
		key = w.key("goal", g.Title, "mal")
	}
	w.line(indent, "- key: "+scalar(key))
	level := g.Level
	if !level.Valid() {
		level = strategy.GoalLongTerm
	}
	w.kv(indent+2, "level", string(level))
	if strings.TrimSpace(g.Title) == "" {
		w.check(indent+2, "Målet har ingen titel i texten.")
		g.Title = "Mål utan titel"
	}
	w.kv(indent+2, "title", g.Title)
	if g.Description != "" {
		w.kv(indent+2, "description", g.Description)
	}
	if len(g.Targets) > 0 {
		w.line(indent+2, "targets:")
		for _, t := range g.Targets {
			w.target(indent+4, t)
		}
	}
	if len(g.Goals) > 0 {
		w.line(indent+2, "goals:")
		for _, sub := range g.Goals {
			w.goal(indent+4, sub, false)
		}
	}
	w.commitments(indent+2, g.Commitments)
	w.responsibilities(indent+2, g.Responsibilities)
}

func (w *fileWriter) commitments(indent int, cs []Commitment) {
	if len(cs) == 0 {
		return
	}
	var kept []Commitment
	for _, c := range cs {
		if strings.TrimSpace(c.Text) != "" {
			kept = append(kept, c)
		}
	}
	if len(kept) == 0 {
		return
	}
	w.line(indent, "commitments:")
	for _, c := range kept {
		w.evidence(indent+2, c.Evidence)
		w.line(indent+2, "- key: "+scalar(w.key("commitment", c.Text, "atagande")))
		w.kv(indent+4, "text", c.Text)
		var keys []string
		for _, b := range c.Bodies {
			if k := w.bodyKeys[b]; k != "" {
				keys = append(keys, scalar(k))
			}
		}
		if len(keys) > 0 {
			w.kvRaw(indent+4, "bodies", "["+strings.Join(keys, ", ")+"]")
		}
	}
}

func (w *fileWriter) target(indent int, t Target) {
	w.evidence(indent, t.Evidence)
	key := w.key("target", t.Text, "mal")
	w.line(indent, "- key: "+scalar(key))
	w.kv(indent+2, "text", t.Text)
	kind, cmp := t.Kind, t.Comparator
	w.kv(indent+2, "kind", string(kind))
	w.kv(indent+2, "comparator", string(cmp))
	unit := t.Unit
	if t.Value != nil {
		w.kvRaw(indent+2, "value", strconv.FormatFloat(*t.Value, 'f', -1, 64))
		if unit == "" {
			w.check(indent+2, "Texten säger inte vad målvärdet räknar.")
			unit = "antal"
		}
		w.kv(indent+2, "unit", unit)
	}
	year, baseYear := t.TargetYear, t.BaseYear
	if baseYear != 0 && year != 0 && baseYear >= year {
		w.check(indent+2, fmt.Sprintf("Startåret %d kommer inte före målåret %d; startpunkten är utelämnad.", baseYear, year))
		baseYear = 0
	}
	if baseYear != 0 {
		w.kvRaw(indent+2, "base_year", strconv.Itoa(baseYear))
		if t.BaseValue != nil {
			w.kvRaw(indent+2, "base_value", strconv.FormatFloat(*t.BaseValue, 'f', -1, 64))
		}
	}
	if kind == strategy.TargetThreshold && year == 0 {
		year = w.endYear
		if year == 0 || baseYear != 0 && year <= baseYear {
			year = max(baseYear+1, 2030)
		}
		w.check(indent+2, fmt.Sprintf("Texten säger inte när målet ska vara nått; %d är en gissning.", year))
	}
	if year != 0 {
		w.kvRaw(indent+2, "target_year", strconv.Itoa(year))
	}
	ind := w.indicatorFor(key, t)
	w.kv(indent+2, "indicator", ind)
	if kind == strategy.TargetRelative {
		ref := w.addIndicator(ind+"-jamforelse", referenceTitle(t), indicatorUnit(t), polarityOf(t))
		w.kv(indent+2, "reference_indicator", ref)
	}
	if t.Gender != "" && t.Gender.Valid() && t.Gender != strategy.Total {
		w.kv(indent+2, "gender", string(t.Gender))
	}
}

// indicatorFor defines the placeholder indicator that measures a target.
func (w *fileWriter) indicatorFor(targetKey string, t Target) string {
	prefix := strategy.Slug(w.orgShort)
	if prefix == "" {
		prefix = strategy.CutKey(w.docKey, 20)
	}
	return w.addIndicator(strategy.CutKey(prefix+"-"+targetKey, 90), indicatorTitle(t), indicatorUnit(t), polarityOf(t))
}

func (w *fileWriter) addIndicator(key, title, unit string, pol strategy.Polarity) string {
	key = strategy.CutKey(key, 100)
	for _, ind := range w.indicators {
		if ind.key == key {
			return key
		}
	}
	w.indicators = append(w.indicators, indicatorDef{key: key, title: title, unit: unit, polarity: pol})
	return key
}

// indicatorTitle is what a target measures: its subject ("Andelen
// utrikes födda … som förvärvsarbetar") or, failing that, its text.
func indicatorTitle(t Target) string {
	text := t.Text
	low := strings.ToLower(text)
	for _, verb := range []string{" ska ", " skall ", " uppgår ", " ligger ", " bör ", " är "} {
		if i := strings.Index(low, verb); i > 0 {
			subject := strings.TrimSpace(text[:i])
			if n := len(words(subject)); n >= 2 && n <= 25 {
				return upperFirst(subject)
			}
		}
	}
	if r := []rune(text); len(r) > 150 {
		text = string(r[:150]) + "…"
	}
	return upperFirst(text)
}

func referenceTitle(t Target) string {
	if t.Reference != "" {
		return upperFirst(t.Reference) + " (jämförelse)"
	}
	return indicatorTitle(t) + " (jämförelse)"
}

func indicatorUnit(t Target) string {
	if t.Unit != "" && t.Unit != "procentenheter" {
		return t.Unit
	}
	if strings.HasPrefix(strings.ToLower(t.Text), "andel") || t.Unit == "procentenheter" {
		return "%"
	}
	return "antal"
}

func polarityOf(t Target) strategy.Polarity {
	switch t.Comparator {
	case strategy.AtLeast, strategy.Increase:
		return strategy.HigherIsBetter
	case strategy.AtMost, strategy.Decrease:
		return strategy.LowerIsBetter
	}
	return strategy.Neutral
}
