package extract

import (
	"strings"

	"github.com/inkludera/inkludera/internal/strategy"
)

// strictness is how much a sentence must show before it is taken for a
// target.
type strictness int

const (
	// lenient: under a heading such as "Kvantitativa mål", where every
	// sentence is meant as a target.
	lenient strictness = iota
	// normal: in a goal or focus area. A level needs a comparator (minst,
	// högst, cirka …) or "ska vara/uppgå till"; a direction needs "ska
	// öka/minska" with nothing after the verb.
	normal
	// strict: anywhere else. A level also needs a year or "per år".
	strict
)

var (
	modalRe      = mustRe(`(?i)\b(ska|skall|bör)\b`)
	perYearRe    = mustRe(`(?i)(\bårligen\b|\bper år\b|\bvarje år\b|\bom året\b|\bi året\b|/år\b|\bper läsår\b|\bvarje läsår\b|\bårlig\b|\bvarje kalenderår\b)`)
	forecastRe   = mustRe(`(?i)\b(kommer att|beräknas|prognos\p{L}*|förväntas)\b`)
	pastRe       = mustRe(`(?i)\b(var|uppgick|hade|deltog|ökade|minskade|blev|flyttade|togs|fick|kom|välkomnade|tog emot)\b|\bsedan\s+(?:år\s+)?(?:19|20)\d{2}\b`)
	relativeRe   = mustRe(`(?i)\b((?:lägre|högre|större|mindre|sämre|bättre)\s+(?:bland|för|hos|i|inom)\s+[\p{L} -]{1,60}?\s+än\s+(?:bland|för|hos|i|inom)|samma nivå som|samma nivå|i nivå med|samma andel som|motsvara(?:r)? (?:andelen|nivån|genomsnittet)|lika (?:hög|stor|låg|liten) som|inte (?:vara )?(?:lägre|högre|sämre|bättre) än|jämförbar med|i paritet med)\b`)
	directionRe  = mustRe(`(?i)\b(?:ska|skall|bör)\s+(?:\p{L}+\s+){0,2}?(öka|ökas|minska|minskas|halveras|fördubblas|bli fler|bli färre|bli större|bli mindre|bli högre|bli lägre|sjunka|stiga|höjas|sänkas|reduceras)\b`)
	untilRe      = mustRe(`(?i)\b(?:till och med|t\.o\.m\.|fram till|senast|till år|till)\s+(?:19|20)\d{2}\b`)
	presentDirRe = mustRe(`(?i)\b(ökar|minskar)\s*[.]?$`)
	yearMarkRe   = mustRe(`(?i)\b(?:till och med|t\.o\.m\.|fram till|senast år|senast|till år|innan|före|till|år|under|by|inom)\s+((?:19|20)\d{2})\b`)
	baseRe       = mustRe(`(?i)\bfrån\s+(?:(\d+(?:[ ,]\d+)?)\s*(?:%|procent)?\s*)?(?:år\s+)?((?:19|20)\d{2})\b|\b(?:jämfört med|utgångsläge|utgångsvärde|basår)\s+(?:år\s+)?((?:19|20)\d{2})\b`)
	measurableRe = mustRe(`(?i)^(?:\p{L}+\s+){0,3}?(andel\p{L}*|antal\p{L}*|skillnad\p{L}*|nivån|kostnad\p{L}*|tiden|väntetid\p{L}*|sysselsättning\p{L}*|arbetslöshet\p{L}*|ohälsotal\p{L}*|inflyttning\p{L}*|utflyttning\p{L}*|befolkning\p{L}*|valdeltagande\p{L}*|deltagande\p{L}*|\p{L}*grad\p{L}*|\p{L}*takt\p{L}*)\b`)
)

// comparatorWords start a stated level. Two-word forms are checked first.
var comparatorWords = []struct {
	words string
	cmp   strategy.Comparator
	// needsNumber: the word is a comparator only right before a number
	// ("över 50 %", not "över hela kommunen").
	needsNumber bool
}{
	{"inte överstiga", strategy.AtMost, false}, {"inte mer än", strategy.AtMost, false}, {"inte fler än", strategy.AtMost, false},
	{"mer än", strategy.AtLeast, true}, {"fler än", strategy.AtLeast, true}, {"mindre än", strategy.AtMost, true},
	{"färre än", strategy.AtMost, true}, {"lägre än", strategy.AtMost, true}, {"högre än", strategy.AtLeast, true},
	{"som mest", strategy.AtMost, false}, {"som minst", strategy.AtLeast, false},
	{"minst", strategy.AtLeast, false}, {"högst", strategy.AtMost, false}, {"max", strategy.AtMost, false},
	{"maximalt", strategy.AtMost, false}, {"maximum", strategy.AtMost, false}, {"åtminstone", strategy.AtLeast, false},
	{"överstiga", strategy.AtLeast, true}, {"understiga", strategy.AtMost, true},
	{"över", strategy.AtLeast, true}, {"under", strategy.AtMost, true},
	{"cirka", strategy.About, false}, {"ca", strategy.About, false}, {"c:a", strategy.About, false},
	{"omkring", strategy.About, false}, {"ungefär", strategy.About, false}, {"runt", strategy.About, true},
	{"drygt", strategy.About, true}, {"knappt", strategy.About, true},
}

// implicitLevel are verbs that state a level without a comparator: "ska
// vara 100 procent", "uppgår till 50 procent", "öka till 60 procent".
var implicitLevel = []struct {
	words string
	cmp   strategy.Comparator
}{
	{"öka till", strategy.AtLeast}, {"ökas till", strategy.AtLeast}, {"höjas till", strategy.AtLeast},
	{"minska till", strategy.AtMost}, {"minskas till", strategy.AtMost}, {"sänkas till", strategy.AtMost},
	{"halveras till", strategy.AtMost}, {"uppgå till", strategy.AtLeast}, {"uppgår till", strategy.AtLeast},
	{"ligga på", strategy.AtLeast}, {"ska vara", strategy.AtLeast}, {"skall vara", strategy.AtLeast},
	{"ska nå", strategy.AtLeast}, {"nå upp till", strategy.AtLeast},
}

// peopleNouns count persons: their unit is "personer".
var peopleNouns = map[string]bool{
	"personer": true, "person": true, "nyanlända": true, "individer": true, "elever": true, "deltagare": true,
	"ungdomar": true, "unga": true, "barn": true, "flyktingar": true, "invånare": true, "medarbetare": true,
	"anställda": true, "praktikanter": true, "kvinnor": true, "män": true, "sökande": true, "asylsökande": true,
	"vuxna": true, "ensamkommande": true, "kommunmottagna": true, "arbetstagare": true, "studenter": true,
	"lärlingar": true, "feriearbetare": true, "mentorer": true, "nyanställda": true, "kommuninvånare": true,
	"människor": true, "nya": false,
}

// unitSkip are words between a number and its noun ("300 nya bostäder").
var unitSkip = map[string]bool{
	"nya": true, "fler": true, "ytterligare": true, "olika": true, "extra": true, "st": true, "stycken": true,
	"egna": true, "kommunala": true, "lediga": true, "fasta": true, "tillfälliga": true, "nyanlända": false,
}

// stopAfterNumber are words after a number that are no unit.
var stopAfterNumber = map[string]bool{
	"per": true, "om": true, "i": true, "till": true, "under": true, "inom": true, "varje": true, "år": true,
	"och": true, "eller": true, "av": true, "på": true, "för": true, "som": true, "med": true, "senast": true,
	"årligen": true, "ska": true, "skall": true, "the": true,
}

// supineStop are words ending like a supine that are not one.
var supineStop = map[string]bool{
	"att": true, "sätt": true, "mått": true, "rätt": true, "ett": true, "sitt": true, "mitt": true, "ditt": true,
	"litet": true, "nytt": true, "fritt": true, "brett": true, "tätt": true, "lätt": true, "ständigt": true,
	"vikt": true, "arbete": false, "bidrat": false, "behov": false, "blivit": false,
}

// hasPast reports whether a sentence without a modal verb reports what
// happened rather than what is to happen: a past verb, a perfect tense
// ("har tagit emot") or "sedan 2006".
func hasPast(low string) bool {
	if pastRe.MatchString(low) {
		return true
	}
	ws := strings.Fields(low)
	for i, w := range ws {
		if w != "har" && w != "hade" {
			continue
		}
		for _, n := range ws[i+1 : min(len(ws), i+4)] {
			n = strings.Trim(n, ".,;:()")
			if len([]rune(n)) >= 4 && !supineStop[n] && (strings.HasSuffix(n, "at") || strings.HasSuffix(n, "it") || strings.HasSuffix(n, "tt")) {
				return true
			}
		}
	}
	return false
}

// parseTarget reads a target from a sentence.
func parseTarget(s span, st strictness) (Target, bool) {
	text := strings.TrimSpace(strings.TrimRight(s.text, " ."))
	low := strings.ToLower(text)
	modal := modalRe.MatchString(low)
	if forecastRe.MatchString(low) && !strings.Contains(low, " ska ") {
		return Target{}, false
	}
	if !modal && hasPast(low) {
		return Target{}, false
	}
	t := Target{Text: text, Evidence: s.evidence()}
	toks := tokenize(text)
	perYear := perYearRe.MatchString(low)
	baseStart := t.base(low)
	t.TargetYear = targetYear(low, baseStart)
	t.Gender = genderOf(toks)

	if m := relativeRe.FindStringIndex(low); m != nil && (st == lenient || modal || t.TargetYear != 0) {
		t.Kind = strategy.TargetRelative
		t.Comparator = relativeComparator(low, m[0])
		t.Reference = referenceOf(text, m[1])
		if v, unit, ok := differenceOf(toks); ok {
			t.Value, t.Unit = &v, unit
		}
		return t, true
	}

	q, cmp, explicit, ok := levelOf(toks, low)
	if ok {
		if !explicit && !(modal || st == lenient) {
			ok = false
		}
		if st == strict && (t.TargetYear == 0 && !perYear || !explicit) {
			ok = false
		}
		if !modal && st != lenient && t.TargetYear == 0 && !perYear {
			ok = false // "fler än hälften av de anställda går i pension"
		}
		if t.TargetYear == 0 && !perYear && isActorSka(text) {
			ok = false // "Regionen ska översätta informationen till minst tio språk": an action
		}
	}
	if ok {
		v := q.value
		t.Value = &v
		t.Comparator = cmp
		t.Unit = unitOf(toks, q, low)
		if perYear {
			t.Kind = strategy.TargetPerYear
			if !untilRe.MatchString(low) {
				t.TargetYear = 0 // "varje år": the year is no deadline
			}
		} else {
			t.Kind = strategy.TargetThreshold
		}
		return t, true
	}

	if m := directionRe.FindStringSubmatchIndex(low); m != nil && intransitive(low[m[1]:]) {
		if st == strict && !measurableRe.MatchString(low) {
			return Target{}, false
		}
		t.Kind = strategy.TargetDirection
		t.Comparator = directionOf(low[m[2]:m[3]])
		t.TargetYear, t.BaseYear, t.BaseValue = 0, 0, nil
		return t, true
	}
	if st == lenient {
		if m := presentDirRe.FindStringSubmatch(low); m != nil {
			t.Kind = strategy.TargetDirection
			t.Comparator = directionOf(m[1])
			t.TargetYear, t.BaseYear, t.BaseValue = 0, 0, nil
			return t, true
		}
	}
	return Target{}, false
}

// base reads the starting point ("från 48 procent år 2019") and returns
// where it starts in low, or -1.
func (t *Target) base(low string) int {
	m := baseRe.FindStringSubmatchIndex(low)
	if m == nil {
		return -1
	}
	if m[4] >= 0 {
		t.BaseYear = atoi(low[m[4]:m[5]])
		if m[2] >= 0 {
			v := parseDecimal(low[m[2]:m[3]])
			t.BaseValue = &v
		}
	} else if m[6] >= 0 {
		t.BaseYear = atoi(low[m[6]:m[7]])
	}
	return m[0]
}

// targetYear is the year by which the target is to be met: the last year
// marked "år", "till", "senast" … outside the starting point, else the
// last bare year.
func targetYear(low string, baseStart int) int {
	year := 0
	for _, m := range yearMarkRe.FindAllStringSubmatchIndex(low, -1) {
		if baseStart >= 0 && m[0] >= baseStart && m[0] < baseStart+40 && !strings.HasPrefix(low[m[0]:], "till") {
			continue
		}
		if strings.HasPrefix(low[m[0]:], "under") && strings.Contains(low[max(0, m[0]-12):m[0]], "sedan") {
			continue
		}
		year = atoi(low[m[2]:m[3]])
	}
	if year != 0 {
		return year
	}
	for _, m := range yearRe.FindAllStringIndex(low, -1) {
		before := low[max(0, m[0]-8):m[0]]
		if strings.Contains(before, "sedan") || strings.Contains(before, "från") || baseStart >= 0 && m[0] >= baseStart && m[0] < baseStart+40 {
			continue
		}
		year = atoi(low[m[0]:m[1]])
	}
	return year
}

// levelOf finds the stated level: the number after a comparator ("minst
// 300"), after a verb of level ("ska vara 100 procent", "öka … till 60
// procent"), or an approximate number ("ett hundratal"). explicit is true
// for a comparator or an approximation.
func levelOf(toks []token, low string) (q quantity, cmp strategy.Comparator, explicit, ok bool) {
	for i := range toks {
		for _, c := range comparatorWords {
			n := matchWords(toks, i, c.words)
			if n == 0 {
				continue
			}
			j := i + n
			// "ligga på minst", "minst på samma nivå": skip "på".
			if j < len(toks) && toks[j].low == "på" {
				j++
			}
			qq, found := readNumber(toks, j)
			if !found || isYear(toks[j]) && (qq.next >= len(toks) || !isUnitToken(toks[qq.next])) {
				continue // "under 2020", "minst en gång"
			}
			return qq, c.cmp, true, true
		}
	}
	// An approximate number stands for "cirka": "Ett tiotal nya platser".
	for i := range toks {
		if qq, found := readNumber(toks, i); found && qq.approx {
			return qq, strategy.About, true, true
		}
	}
	// A verb of level followed, within a few words, by a number.
	for i := range toks {
		for _, v := range implicitLevel {
			n := matchWords(toks, i, v.words)
			if n == 0 {
				continue
			}
			for j := i + n; j < len(toks) && j <= i+n+1; j++ {
				if qq, found := readNumber(toks, j); found && !isYear(toks[j]) && isUnitAfter(toks, qq) {
					return qq, v.cmp, false, true
				}
			}
		}
	}
	// "ska öka från 48 procent år 2019 till 60 procent år 2030"
	if dir := directionRe.FindStringSubmatch(low); dir != nil {
		for i := len(toks) - 2; i >= 0; i-- {
			if toks[i].low != "till" {
				continue
			}
			if qq, found := readNumber(toks, i+1); found && !isYear(toks[i+1]) {
				return qq, directionLevel(dir[1]), false, true
			}
		}
	}
	return quantity{}, "", false, false
}

// isUnitAfter reports whether a number read by implicitLevel is followed
// by a unit (so that "ska vara 3 år" is not a level of "år").
func isUnitAfter(toks []token, q quantity) bool {
	if q.unit != "" {
		return true
	}
	if q.next >= len(toks) {
		return false
	}
	return isUnitToken(toks[q.next]) || !stopAfterNumber[toks[q.next].low] && toks[q.next].low != "år"
}

func isUnitToken(t token) bool {
	return t.low == "%" || t.low == "procent" || t.low == "procentenheter"
}

// matchWords reports how many tokens from i spell words ("mer än"), or 0.
func matchWords(toks []token, i int, words string) int {
	ws := strings.Fields(words)
	if i+len(ws) > len(toks) {
		return 0
	}
	for k, w := range ws {
		if toks[i+k].low != w {
			return 0
		}
	}
	return len(ws)
}

// unitOf is the unit of a level: "%" for per cent, else the noun after the
// number ("bostäder"), "personer" for nouns that count people, or the noun
// of "Antalet X".
func unitOf(toks []token, q quantity, low string) string {
	if q.unit != "" {
		return q.unit
	}
	i := q.next
	for i < len(toks) && unitSkip[toks[i].low] {
		i++
	}
	// "12 öppna mötesplatser", "25 nystartade företag": a plural adjective
	// (ending in a or e) before the noun is not the unit.
	for k := 0; k < 2 && i+1 < len(toks) && isAdjective(toks[i].low) && isLetterWord(toks[i+1].text) && !stopAfterNumber[toks[i+1].low]; k++ {
		i++
	}
	if i < len(toks) {
		w := toks[i].low
		switch {
		case w == "%" || w == "procent":
			return "%"
		case w == "procentenheter":
			return "procentenheter"
		case w == "av" && i+1 < len(toks) && (toks[i+1].low == "de" || toks[i+1].low == "dem" || toks[i+1].low == "alla" || peopleNouns[toks[i+1].low]):
			return "personer"
		case peopleNouns[w]:
			return "personer"
		case w == "kr" || w == "kronor":
			return "kr"
		case !stopAfterNumber[w] && len([]rune(w)) > 2 && isLetterWord(toks[i].text):
			return w
		}
	}
	ws := strings.Fields(low)
	if len(ws) > 1 && (strings.HasPrefix(ws[0], "andel")) {
		return "%"
	}
	if len(ws) > 1 && strings.HasPrefix(ws[0], "antal") {
		k := 1
		for k+1 < len(ws) && isAdjective(ws[k]) && !stopAfterNumber[ws[k+1]] {
			k++
		}
		if peopleNouns[ws[k]] {
			return "personer"
		}
		return strings.Trim(ws[k], ".,")
	}
	return "antal"
}

// isAdjective guesses a plural adjective: a word ending in a or e that
// counts nobody ("nyanlända" is a noun here).
func isAdjective(w string) bool {
	return !peopleNouns[w] && (strings.HasSuffix(w, "a") || strings.HasSuffix(w, "e")) && len([]rune(w)) > 3
}

func isLetterWord(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || strings.ContainsRune("åäöÅÄÖéÉüÜ-", r)) {
			return false
		}
	}
	return s != ""
}

// intransitive reports whether the text after "ska öka" ends the
// statement: "Andelen … ska öka." is a target, "Kommunen ska öka
// samverkan" is not.
func intransitive(after string) bool {
	after = strings.TrimSpace(after)
	if after == "" || strings.HasPrefix(after, ".") || strings.HasPrefix(after, ",") || strings.HasPrefix(after, ";") {
		return true
	}
	w := strings.Trim(strings.Fields(after)[0], ".,;:")
	switch w {
	case "och", "för", "till", "med", "bland", "i", "under", "jämfört", "från", "år", "varje", "årligen",
		"successivt", "kraftigt", "markant", "betydligt", "tydligt", "stadigt", "fram", "senast", "per":
		return true
	}
	return false
}

func directionOf(verb string) strategy.Comparator {
	switch {
	case strings.HasPrefix(verb, "öka"), strings.HasPrefix(verb, "fördubbl"), strings.HasPrefix(verb, "stiga"),
		strings.HasPrefix(verb, "höjas"), verb == "bli fler", verb == "bli större", verb == "bli högre":
		return strategy.Increase
	}
	return strategy.Decrease
}

func directionLevel(verb string) strategy.Comparator {
	if directionOf(verb) == strategy.Increase {
		return strategy.AtLeast
	}
	return strategy.AtMost
}

// relativeComparator: "högst samma nivå" is at most, "minst samma nivå" at
// least; otherwise the sentence's direction decides ("ska minska … till
// samma nivå"), and at least when it gives none.
func relativeComparator(low string, at int) strategy.Comparator {
	before := low[max(0, at-40):at]
	phrase := low[at:min(len(low), at+30)]
	switch {
	case strings.HasPrefix(phrase, "lägre") || strings.HasPrefix(phrase, "mindre") || strings.HasPrefix(phrase, "sämre"):
		// "högst 5 procentenheter lägre än …": at least the other less 5.
		return strategy.AtLeast
	case strings.HasPrefix(phrase, "högre") || strings.HasPrefix(phrase, "större") || strings.HasPrefix(phrase, "bättre"):
		if strings.Contains(before, "högst") {
			return strategy.AtMost
		}
		return strategy.AtLeast
	case strings.HasPrefix(phrase, "inte") && (strings.Contains(phrase, "högre") || strings.Contains(phrase, "sämre")):
		return strategy.AtMost
	case strings.HasPrefix(phrase, "inte"):
		return strategy.AtLeast
	case strings.Contains(before, "högst") || strings.Contains(before, "max"):
		return strategy.AtMost
	case strings.Contains(before, "minst"):
		return strategy.AtLeast
	case strings.Contains(low, "minska") || strings.Contains(low, "sänk"):
		return strategy.AtMost
	}
	return strategy.AtLeast
}

// referenceOf is what a relative target compares with: the words after
// "samma nivå som", up to a year.
func referenceOf(text string, from int) string {
	if from > len(text) {
		return ""
	}
	ref := strings.TrimSpace(text[from:])
	if m := yearMarkRe.FindStringIndex(strings.ToLower(ref)); m != nil {
		ref = strings.TrimSpace(ref[:m[0]])
	}
	return strings.TrimRight(ref, " .,")
}

// differenceOf reads the allowed difference of a relative target: "högst
// 5 procentenheter".
func differenceOf(toks []token) (float64, string, bool) {
	for i, t := range toks {
		if t.num && i+1 < len(toks) && toks[i+1].low == "procentenheter" {
			return t.value, "procentenheter", true
		}
	}
	return 0, "", false
}

// genderOf: a target about women only is K, men only M.
func genderOf(toks []token) strategy.Gender {
	women, men := false, false
	for _, t := range toks {
		switch t.low {
		case "kvinnor", "kvinnors", "flickor":
			women = true
		case "män", "mäns", "pojkar":
			men = true
		}
	}
	switch {
	case women && !men:
		return strategy.Women
	case men && !women:
		return strategy.Men
	}
	return ""
}

func atoi(s string) int {
	n := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			n = n*10 + int(r-'0')
		}
	}
	return n
}

func parseDecimal(s string) float64 {
	var v, scale float64 = 0, 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			v = v*10 + float64(r-'0')
			if scale > 0 {
				scale *= 10
			}
		case r == ',' || r == '.':
			scale = 1
		}
	}
	if scale > 1 {
		v /= scale
	}
	return v
}
