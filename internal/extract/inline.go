package extract

import (
	"sort"
	"strings"
	"unicode"
)

// Text without line breaks (a page of a PDF turned into one run of text)
// carries its headings inline: "… i arbetslivet. Kvantitativa mål Minst 10
// % av …". splitInline finds them at sentence starts, by the table of
// contents when there is one and by the heading vocabulary otherwise, and
// cuts the paragraph into headings and text.

// inlineSections are section keywords recognised inside running text when
// a capitalised word follows them, longest first.
var inlineSections []string

func init() {
	for k, sec := range sectionWords {
		if sec == secTOC {
			continue
		}
		inlineSections = append(inlineSections, k)
	}
	sort.Slice(inlineSections, func(i, j int) bool {
		if len(inlineSections[i]) != len(inlineSections[j]) {
			return len(inlineSections[i]) > len(inlineSections[j])
		}
		return inlineSections[i] < inlineSections[j]
	})
}

// starters are words that often begin a sentence and seldom stand inside a
// heading: where a heading's title runs into the text after it, the title
// ends before one of them.
var starters = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`Kommunen Regionen Landstinget Vi Det Den De Detta Denna Dessa Där Här Man En Ett
		Att För Genom Med Inom Under Efter Om När I Alla Många Andelen Antalet Målet Målen Syftet Arbetet Strategin
		Programmet Planen Policyn Riktlinjerna Kommunens Regionens Samtidigt Dessutom Även Utifrån Enligt Sedan Idag
		Därför Varje Samtliga Vid Från Till Mot Hos Eftersom Också Nu Insatserna Arbetsgivare Skillnaden Skillnader
		Minst Högst Cirka Ca Kommunerna Länet Länets Integration Integrationen Mottagandet Personer Barn Ungdomar`) {
		starters[w] = true
	}
}

var (
	inlineLabelRe = mustRe(`^(?:(?:Långsiktig[ta]?|Övergripande|Strategiskt?)\s*mål|Mål|Delmål|Effektmål|Etappmål|Fokusområde|Strategiområde|Insatsområde|Målområde|Utvecklingsområde|Prioriterat område)\s*(\d{1,2}(?:\.\d{1,2})*|[A-Z]\d{0,2}(?:\.\d{1,2})*)\s*[:.–—-]?\s+\S`)
	inlineColonRe = mustRe(`^(?:(?:Långsiktig[ta]?|Övergripande)\s*mål|Mål|Delmål|Effektmål|Fokusområde|Strategiområde|Insatsområde|Målområde|Område|Mål för (?:området|fokusområdet|målområdet|insatsområdet|strategiområdet))\s*:\s+\S`)
	inlineAreaRe  = mustRe(`^Område\s+\p{Ll}`)
	// inlineRespRe is a label that names the bodies responsible: "Huvudansvarig: Socialnämnden".
	inlineRespRe = mustRe(`^(?:Huvudansvariga nämnder|Huvudansvariga förvaltningar|Huvudansvarig(?:a)?(?: nämnd| förvaltning)?|Huvudansvar|Ansvariga nämnder|Ansvarig(?:a)?(?: nämnd| förvaltning)?|Ansvar|Medverkande(?: nämnder| förvaltningar)?|Medverkar|Samordningsansvar|Samordnande|Stödjande)\s*:\s*`)
)

// splitInline cuts a paragraph at the headings inside it.
func (d *doc) splitInline(it item) []item {
	t := it.span.text
	var out []item
	last := 0          // start of the text not yet emitted
	afterHeading := -1 // where the text after the last heading starts
	first := true
	emit := func(x item) {
		if first {
			// The paragraph's number ("1. Boende …") belongs to its
			// first piece.
			x.number, x.level = it.number, it.level
			first = false
		}
		out = append(out, x)
	}
	emitText := func(to int) {
		if s := it.span.slice(last, to).trim(""); s.text != "" {
			ti := item{kind: itemText, span: s, block: it.block}
			ti = markHeading(ti)
			if ti.kind == itemHeading && to < len(t) && !(first && it.number != "") {
				// A fragment between two headings is a heading only when
				// it opens a numbered paragraph ("1. Boende Ansvar: …");
				// otherwise it ends a sentence that lost its full stop.
				ti.kind = itemText
			}
			emit(ti)
		}
	}
	for p := 0; p < len(t); {
		var hEnd, tEnd int
		switch {
		case p == afterHeading || sentenceStart(t, p):
			hEnd, tEnd = d.headingAt(t, p)
		case isUpperStart(t[p:]):
			// Inside a run of text without punctuation (a list that lost
			// its line breaks, a heading after a sentence without its full
			// stop) a title of the table of contents, or a section word
			// written with a capital and followed by one, is a heading.
			hEnd, tEnd = d.tocAt(t, p, true)
			if hEnd <= p && inlineRespRe.MatchString(lookahead(t[p:])) {
				hEnd, tEnd = d.headingAt(t, p)
			}
			if hEnd <= p && !isUpperStart(lastWordBefore(t, p)) {
				hEnd, tEnd = sectionAt(t, p, true)
				if la := lookahead(t[p:]); hEnd <= p && inlineLabelRe.MatchString(la) && isUpperStart(la[labelEnd(la):]) {
					hEnd, tEnd = d.headingAt(t, p)
				}
			}
		default:
			hEnd, tEnd = p, p
		}
		if hEnd <= p {
			p = nextWord(t, p)
			continue
		}
		emitText(p)
		h := item{kind: itemHeading, span: it.span.slice(p, hEnd).trim(":"), block: it.block}
		if strings.HasSuffix(strings.TrimSpace(t[p:tEnd]), ":") {
			h.leadIn = true
		}
		emit(h)
		last = tEnd
		p = tEnd
		afterHeading = tEnd
	}
	if last == 0 {
		return []item{it}
	}
	emitText(len(t))
	return out
}

// sentenceStart reports whether a sentence (or a heading) may start at p:
// the text's start, or a capitalised word after a full stop, colon, or a
// word ending a heading.
func sentenceStart(t string, p int) bool {
	if p == 0 {
		return true
	}
	if !unicode.IsUpper(firstRune(t[p:])) {
		return false
	}
	before := strings.TrimRight(t[:p], " ")
	if before == "" {
		return true
	}
	switch lastRune(before) {
	case '.', '!', '?', ':', ')':
		return true
	}
	return false
}

// nextWord is the start of the word after the one at p.
func nextWord(t string, p int) int {
	i := strings.IndexByte(t[p:], ' ')
	if i < 0 {
		return len(t)
	}
	p += i
	for p < len(t) && t[p] == ' ' {
		p++
	}
	return p
}

// headingAt looks for a heading starting at p. It returns where the
// heading ends and where the text after it starts (after a colon), or p,
// p when there is none.
func (d *doc) headingAt(t string, p int) (hEnd, tEnd int) {
	rest := lookahead(t[p:])
	after := func(n int) (int, int) {
		e := p + n
		q := e
		for q < len(t) && (t[q] == ' ' || t[q] == ':') {
			q++
		}
		return e, q
	}
	if m := inlineRespRe.FindStringIndex(rest); m != nil {
		return after(titleEnd(rest, m[1]))
	}
	tocEnd, tocText := d.tocAt(t, p, false)
	if inlineLabelRe.MatchString(rest) || inlineColonRe.MatchString(rest) {
		if le := labelEnd(rest); tocEnd <= p+le {
			return after(titleEnd(rest, le))
		}
	}
	if tocEnd > p {
		return tocEnd, tocText
	}
	if inlineAreaRe.MatchString(rest) {
		if e := lowerTitleEnd(rest); e > 0 {
			return after(e)
		}
	}
	if m := possessiveGoalsRe.FindStringIndex(rest); m != nil && followsHeading(rest[m[1]:]) {
		return after(m[1])
	}
	return sectionAt(t, p, false)
}

// possessiveGoalsRe is "Policyns mål", "Strategins mål": the goals follow.
var possessiveGoalsRe = mustRe(`^\p{Lu}\p{Ll}+s mål\b`)

// sectionAt finds a section keyword at p followed by a capitalised word
// (strict: a capital letter, not a digit).
func sectionAt(t string, p int, strict bool) (hEnd, tEnd int) {
	rest := lookahead(t[p:])
	lowRest := strings.ToLower(rest)
	for _, k := range inlineSections {
		n := len(k)
		if n >= len(lowRest) || normKey(lowRest[:n]) != k || !followsHeading(rest[n:]) {
			continue
		}
		if strict && !isUpperStart(strings.TrimLeft(rest[n:], " :")) {
			continue
		}
		e := p + n
		q := e
		for q < len(t) && (t[q] == ' ' || t[q] == ':') {
			q++
		}
		return e, q
	}
	return p, p
}

// lastWordBefore is the word that ends before p.
func lastWordBefore(t string, p int) string {
	before := strings.TrimRight(t[:p], " ")
	if i := strings.LastIndexByte(before, ' '); i >= 0 {
		return before[i+1:]
	}
	return before
}

// lookahead is as much of the text after a word start as a heading can
// take: looking further would make the search quadratic in the length of
// a paragraph.
func lookahead(s string) string {
	const n = 600
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// tocAt finds a title of the table of contents at p; multiWord asks for
// titles of two words or more.
func (d *doc) tocAt(t string, p int, multiWord bool) (hEnd, tEnd int) {
	rest := lookahead(t[p:])
	lowRest := strings.ToLower(rest)
	for _, title := range d.tocTitles {
		n := len(title)
		if n > len(rest) || strings.ToLower(title) != lowRest[:n] || multiWord && !strings.Contains(title, " ") {
			continue
		}
		if n == len(rest) || followsHeading(rest[n:]) {
			e := p + n
			q := e
			for q < len(t) && (t[q] == ' ' || t[q] == ':') {
				q++
			}
			return e, q
		}
	}
	return p, p
}

// followsHeading reports whether s (the text after a candidate heading)
// starts the way text after a heading does: a colon, or a space and a
// capital letter or digit.
func followsHeading(s string) bool {
	if s == "" {
		return true
	}
	if s[0] == ':' {
		return true
	}
	if s[0] != ' ' {
		return false
	}
	s = strings.TrimLeft(s, " ")
	r := firstRune(s)
	return unicode.IsUpper(r) || unicode.IsDigit(r) || r == '(' || r == '"' || r == '»' || r == '”'
}

// labelEnd is where the label and number of "Långsiktigt mål 2: Title"
// end and its title starts.
var labelEndRe = mustRe(`^[^\s:]+(?:\s*(?:mål|område))?(?:\s+för\s+\p{L}+)?\s*(?:\d{1,2}(?:\.\d{1,2})*|[A-Z]\d{0,2}(?:\.\d{1,2})*)?\s*[:.–—-]?\s*`)

func labelEnd(s string) int {
	m := labelEndRe.FindStringIndex(s)
	if m == nil {
		return 0
	}
	return m[1]
}

// titleEnd is where the title that starts at from ends in text without
// line breaks. The title runs until a sentence starts: at a heading word
// or a sentence-initial word ("Kommunen", "Andelen"); failing those, at
// the last capitalised word before the first full stop.
func titleEnd(s string, from int) int {
	type w struct{ start, end int }
	var ws []w
	for i := from; i < len(s); {
		for i < len(s) && s[i] == ' ' {
			i++
		}
		if i >= len(s) {
			break
		}
		j := strings.IndexByte(s[i:], ' ')
		if j < 0 {
			j = len(s) - i
		}
		ws = append(ws, w{i, i + j})
		i += j
	}
	stop := len(ws) // index of the word that ends the first sentence
	for k, x := range ws {
		if strings.ContainsRune(".!?", lastRune(s[x.start:x.end])) && !isAbbreviation(s[x.start:x.end]) {
			stop = k
			break
		}
	}
	limit := min(stop, 25)
	lastCap := -1
	for k := 1; k <= limit && k < len(ws); k++ {
		word := strings.TrimRight(s[ws[k].start:ws[k].end], ",;:")
		if !isUpperStart(word) {
			continue
		}
		rest := s[ws[k].start:]
		if inlineLabelRe.MatchString(rest) || inlineColonRe.MatchString(rest) || inlineRespRe.MatchString(rest) {
			return trimEnd(s, ws[k].start)
		}
		for _, key := range inlineSections {
			if n := len(key); n < len(rest) && normKey(strings.ToLower(rest[:n])) == key && followsHeading(rest[n:]) {
				return trimEnd(s, ws[k].start)
			}
		}
		if starters[word] {
			return trimEnd(s, ws[k].start)
		}
		if k < stop && stop-k >= 2 {
			lastCap = k
		}
	}
	if lastCap > 0 {
		return trimEnd(s, ws[lastCap].start)
	}
	if stop < len(ws) && stop < 25 {
		return trimEnd(s, ws[stop].end) // the title is the whole sentence
	}
	if len(ws) == 0 {
		return len(s)
	}
	return trimEnd(s, ws[min(len(ws), 12)-1].end)
}

// lowerTitleEnd is where the lower-case title of "Område inflyttning/mångfald
// Antal …" ends: before the first capitalised word, within ten words.
func lowerTitleEnd(s string) int {
	ws := words(s)
	pos := 0
	for k, word := range ws {
		i := strings.Index(s[pos:], word) + pos
		if k > 1 && isUpperStart(word) {
			return trimEnd(s, i)
		}
		if k > 10 {
			return 0
		}
		pos = i + len(word)
	}
	return len(s)
}

func trimEnd(s string, e int) int {
	for e > 0 && (s[e-1] == ' ' || s[e-1] == ':') {
		e--
	}
	return e
}
