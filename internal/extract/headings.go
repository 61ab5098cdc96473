package extract

import (
	"strings"

	"github.com/inkludera/inkludera/internal/strategy"
)

// role is what a heading starts.
type role int

const (
	roleGeneric role = iota // a chapter or heading of no known kind
	roleArea                // "Fokusområde 1: Arbete", "Strategiområde A", "Område inflyttning"
	roleGoal                // "Långsiktigt mål 2: …", "Mål 1 …", "Mål: …", "Övergripande mål: …"
	roleSubGoal             // "Delmål 1.1 …", "Effektmål 2: …"
	roleSection             // a keyword that says what follows ("Kvantitativa mål", "Strategi")
	roleLabel               // "Huvudansvariga nämnder: A, B": bodies on the same line
)

// section is what the items under a section heading are.
type section int

const (
	secNone        section = iota
	secTargets             // Kvantitativa mål, Målvärden: every sentence a target
	secSubGoals            // Delmål: sub-goals, then statements
	secCommitments         // Strategi, Åtaganden, Så här gör vi: every sentence a commitment
	secResponsible         // Ansvar, Huvudansvariga nämnder: bodies
	secDefinitions         // Begreppsförklaring: terms
	secFollowUp            // Uppföljning: follow-up and revision
	secIndicators          // Indikatorer: lists of measures, not targets
	secGoals               // Mål, Effektmål: goals follow
	secAreaList            // Fokusområden, Prioriterade områden: areas follow
	secIntro               // Inledning, Bakgrund, Syfte …: the document's own chapters
	secTOC                 // Innehåll
)

// heading is a classified heading.
type heading struct {
	role        role
	sec         section
	label       string // the keyword as written ("Fokusområde", "Effektmål")
	number      string
	title       span // the heading's title without its label and number
	prioritised bool
	// For roleLabel: the role the label gives and the names after it.
	respRole strategy.ResponsibilityRole
	names    span
	// bare is a goal label without a title ("Mål", "Övergripande mål"):
	// the sentence after it is the goal.
	bare bool
}

var (
	numberPart = `(\d{1,2}(?:\.\d{1,2})*|[A-Z]\d{0,2}(?:\.\d{1,2})*)`
	areaRe     = mustRe(`^(?i:(prioriterat område|prioriterade området|fokusområde|strategiområde|insatsområde|målområde|utvecklingsområde|temaområde|verksamhetsområde|område))\b\s*(?:` + numberPart + `\b)?\s*([:.–—-])?\s*(.*)$`)
	goalRe     = mustRe(`^(?:(?i:(långsiktig[ta]?|övergripande|strategiskt?|politiskt?|regionalt?|kommunövergripande))\s*)?(?i:(mål))\b\s*(?:(\d{1,2}(?:\.\d{1,2})*|[A-Z]\d{1,2}(?:\.\d{1,2})*)\b)?\s*([:.–—-])?\s*(.*)$`)
	subGoalRe  = mustRe(`^(?i:(delmål|effektmål|etappmål|resultatmål))\b\s*(?:` + numberPart + `\b)?\s*([:.–—-])?\s*(.*)$`)
	labelRe    = mustRe(`^(?i:(huvudansvariga nämnder|huvudansvariga förvaltningar|huvudansvarig(?:a)?(?: nämnd| förvaltning)?|huvudansvar|ansvariga nämnder|ansvarig(?:a)?(?: nämnd| förvaltning)?|ansvar|medverkande(?: nämnder| förvaltningar)?|medverkar|samordningsansvar|samordnande|samordnar|stödjande|stödjer))\s*:\s*(\S.*)$`)
	possMålRe  = mustRe(`^\p{L}+s mål$`)
	// goalForRe is "Mål för området: …", "Målet för fokusområdet: …", "Vårt mål: …".
	goalForRe = mustRe(`^(?i:(?:mål|målet|målen|vårt mål|övergripande mål)\s+(?:för|i)\s+(?:området|fokusområdet|målområdet|insatsområdet|strategiområdet|temat)|vårt mål|målet)\s*:\s*(\S.*)$`)
)

// sectionWords maps a heading's words (normKey) to its section.
var sectionWords = map[string]section{}

func init() {
	add := func(sec section, keys ...string) {
		for _, k := range keys {
			sectionWords[normKey(k)] = sec
		}
	}
	add(secTargets, "kvantitativa mål", "kvantitativt mål", "kvantitativa målsättningar", "kvantitativa delmål",
		"mätbara mål", "målvärden", "målvärde", "målnivåer", "indikatorer och målvärden", "mål och målvärden",
		"målvärden och indikatorer", "nyckeltal och målvärden", "mått och målvärden", "mätbara målvärden")
	add(secSubGoals, "delmål", "delmålen")
	add(secCommitments, "strategi", "strategier", "åtaganden", "åtagande", "insatser", "så här gör vi",
		"så här arbetar vi", "så arbetar vi", "så gör vi", "arbetssätt", "vi ska", "prioriterade insatser",
		"åtgärder", "strategiska insatser", "vad vi gör", "detta gör vi", "det här gör vi", "kommunens åtaganden",
		"regionens åtaganden", "våra åtaganden")
	add(secResponsible, "ansvar", "ansvarsfördelning", "roller och ansvar", "ansvar och roller",
		"huvudansvariga nämnder", "huvudansvarig nämnd", "huvudansvarig", "ansvariga", "ansvarig",
		"organisation och ansvar", "ansvar och organisation", "ansvariga nämnder", "ansvarig nämnd",
		"ansvar och uppföljning", "ansvar och genomförande", "genomförande och ansvar")
	add(secFollowUp, "uppföljning", "uppföljning och utvärdering", "uppföljning och revidering",
		"genomförande och uppföljning", "utvärdering", "revidering", "uppföljning och rapportering",
		"uppföljning och analys", "revidering och uppföljning")
	add(secDefinitions, "begreppsförklaring", "begreppsförklaringar", "begrepp", "definitioner", "ordlista",
		"ordförklaringar", "termer och begrepp", "begrepp och definitioner", "ord och begrepp", "ord som används",
		"viktiga ord", "förklaring av ord", "ordförklaring", "begrepp som används", "ord och uttryck")
	add(secIndicators, "indikatorer", "nyckeltal", "mått", "indikatorer för uppföljning")
	add(secGoals, "mål", "målen", "långsiktiga mål", "övergripande mål", "mål och delmål", "effektmål",
		"våra mål", "vision och mål", "mål och inriktning", "långsiktigt mål", "strategiska mål", "politiska mål")
	add(secAreaList, "fokusområden", "prioriterade områden", "strategiska områden", "strategiområden",
		"insatsområden", "målområden", "områden", "utvecklingsområden", "prioriteringar", "politiska prioriteringar",
		"prioriterade fokusområden", "våra fokusområden", "temaområden", "prioriterade målområden",
		"prioriterade strategiområden", "prioriterade insatsområden")
	add(secIntro, "inledning", "bakgrund", "syfte", "förord", "vision", "sammanfattning", "bilaga", "bilagor",
		"läget", "nuläge", "nulägesbeskrivning", "omvärldsanalys", "utgångspunkter", "syfte och mål",
		"bakgrund och syfte", "giltighet", "styrdokument", "om strategin", "strategins uppbyggnad",
		"programmets uppbyggnad", "planens uppbyggnad", "läsanvisning", "målgrupp", "målgrupper", "genomförande",
		"förutsättningar", "omvärld", "kommunens vision", "regionens vision", "övergripande vision", "värdegrund",
		"referenser", "relaterade dokument", "koppling till andra styrdokument")
	add(secTOC, "innehåll", "innehållsförteckning")
}

// classify reads a heading.
func classify(s span) heading {
	t := strings.TrimSpace(s.text)
	lower := strings.ToLower(t)
	if m := labelRe.FindStringSubmatchIndex(t); m != nil {
		return heading{role: roleLabel, label: t[m[2]:m[3]], respRole: labelRole(t[m[2]:m[3]]), names: s.slice(m[4], m[5])}
	}
	if m := subGoalRe.FindStringSubmatchIndex(t); m != nil {
		h := heading{role: roleSubGoal, label: t[m[2]:m[3]], title: s.slice(m[8], m[9]).trim(":.–—-")}
		if m[4] >= 0 {
			h.number = t[m[4]:m[5]]
		}
		if h.number == "" && h.title.text == "" {
			h.role, h.sec = roleSection, secSubGoals
			if strings.EqualFold(h.label, "effektmål") || strings.EqualFold(h.label, "resultatmål") {
				h.sec = secGoals
			}
			return h
		}
		if h.number == "" && m[6] < 0 {
			// "Delmål för …": a chapter about sub-goals, not one of them.
			break2 := heading{role: roleSection, sec: secSubGoals, label: h.label}
			return break2
		}
		return h
	}
	if m := goalForRe.FindStringSubmatchIndex(t); m != nil {
		return heading{role: roleGoal, label: t[:m[2]], title: s.slice(m[2], m[3]).trim(":.–—-")}
	}
	if m := goalRe.FindStringSubmatchIndex(t); m != nil {
		prefix, number, sep := "", "", ""
		if m[2] >= 0 {
			prefix = t[m[2]:m[3]]
		}
		if m[6] >= 0 {
			number = t[m[6]:m[7]]
		}
		if m[8] >= 0 {
			sep = t[m[8]:m[9]]
		}
		title := s.slice(m[10], m[11]).trim(":.–—-")
		label := t[:m[5]]
		switch {
		case number != "" || sep == ":" && title.text != "" || prefix != "" && sep != "" && title.text != "":
			return heading{role: roleGoal, label: label, number: number, title: title}
		case title.text == "":
			return heading{role: roleSection, sec: secGoals, label: label, bare: true}
		}
	}
	if m := areaRe.FindStringSubmatchIndex(t); m != nil {
		label := t[m[2]:m[3]]
		h := heading{role: roleArea, label: label, title: s.slice(m[8], m[9]).trim(":.–—-")}
		if m[4] >= 0 {
			h.number = t[m[4]:m[5]]
		}
		h.prioritised = strings.HasPrefix(strings.ToLower(label), "priorit")
		plain := strings.EqualFold(label, "område")
		switch {
		case h.title.text == "" && h.number == "":
			// "Område" alone is no area.
		case plain && h.number == "" && !isLowerStart(h.title.text) && m[6] < 0:
			// "Område" followed by a capitalised word is a sentence.
		default:
			return h
		}
	}
	key := normKey(strings.TrimSuffix(t, ":"))
	if sec, ok := sectionWords[key]; ok {
		h := heading{role: roleSection, sec: sec, label: t}
		h.prioritised = strings.Contains(lower, "priorit")
		h.bare = sec == secGoals
		return h
	}
	if possMålRe.MatchString(key) {
		return heading{role: roleSection, sec: secGoals, label: t, bare: true}
	}
	n := len(words(key))
	switch {
	case n <= 10 && (strings.Contains(key, "begrepp") || strings.Contains(key, "definition") ||
		strings.Contains(key, "ordlista") || strings.Contains(key, "ordförklaring")):
		return heading{role: roleSection, sec: secDefinitions, label: t}
	case n <= 6 && (strings.Contains(key, "uppföljning") || strings.Contains(key, "utvärdering") || strings.Contains(key, "revidering")):
		return heading{role: roleSection, sec: secFollowUp, label: t}
	case n <= 4 && (strings.HasPrefix(key, "prioriterade ") || strings.HasSuffix(key, "fokusområden") || strings.HasSuffix(key, "strategiområden")):
		return heading{role: roleSection, sec: secAreaList, label: t, prioritised: strings.Contains(key, "priorit")}
	case n <= 6 && (strings.HasPrefix(key, "vad är ") || strings.HasPrefix(key, "varför ")):
		return heading{role: roleSection, sec: secIntro, label: t}
	}
	return heading{role: roleGeneric, label: t}
}

// labelRole is the responsibility a label such as "Medverkar:" gives.
func labelRole(label string) strategy.ResponsibilityRole {
	l := strings.ToLower(label)
	switch {
	case strings.HasPrefix(l, "medverka"):
		return strategy.RoleContributes
	case strings.HasPrefix(l, "samordna"):
		return strategy.RoleCoordinates
	case strings.HasPrefix(l, "stöd"):
		return strategy.RoleSupports
	}
	return strategy.RoleLeads
}
