package extract

import (
	"strings"

	"github.com/inkludera/inkludera/internal/strategy"
)

// body is an organ of the organisation named in the text.
type body struct {
	key  string
	name string
	kind strategy.BodyKind
}

// wellKnown are the councils and boards every kommun and region has, by
// their names and abbreviations, with the keys the demo files use.
var wellKnown = map[string]body{
	"kommunfullmäktige":     {"kf", "Kommunfullmäktige", strategy.BodyCouncil},
	"kf":                    {"kf", "Kommunfullmäktige", strategy.BodyCouncil},
	"fullmäktige":           {"kf", "Kommunfullmäktige", strategy.BodyCouncil},
	"kommunstyrelsen":       {"ks", "Kommunstyrelsen", strategy.BodyBoard},
	"kommunstyrelse":        {"ks", "Kommunstyrelsen", strategy.BodyBoard},
	"ks":                    {"ks", "Kommunstyrelsen", strategy.BodyBoard},
	"regionfullmäktige":     {"rf", "Regionfullmäktige", strategy.BodyCouncil},
	"rf":                    {"rf", "Regionfullmäktige", strategy.BodyCouncil},
	"regionstyrelsen":       {"rs", "Regionstyrelsen", strategy.BodyBoard},
	"regionstyrelse":        {"rs", "Regionstyrelsen", strategy.BodyBoard},
	"rs":                    {"rs", "Regionstyrelsen", strategy.BodyBoard},
	"landstingsfullmäktige": {"lf", "Landstingsfullmäktige", strategy.BodyCouncil},
	"lf":                    {"lf", "Landstingsfullmäktige", strategy.BodyCouncil},
	"landstingsstyrelsen":   {"ls", "Landstingsstyrelsen", strategy.BodyBoard},
}

// external are state agencies and others whose names look like bodies but
// are not the organisation's own.
var external = map[string]bool{
	"länsstyrelsen": true, "socialstyrelsen": true, "arbetsförmedlingen": true, "migrationsverket": true,
	"försäkringskassan": true, "skolverket": true, "regeringen": true, "riksdagen": true, "polisen": true,
	"folkhälsomyndigheten": true, "regionförbundet": true, "kommunförbundet": true,
}

// bodySuffixes tell a body's kind from the end of its name.
var bodySuffixes = []struct {
	suffix string
	kind   strategy.BodyKind
}{
	{"nämnden", strategy.BodyCommittee}, {"nämnd", strategy.BodyCommittee}, {"nämnder", strategy.BodyCommittee},
	{"utskottet", strategy.BodyCommittee},
	{"förvaltningen", strategy.BodyAdministration}, {"förvaltning", strategy.BodyAdministration},
	{"förvaltningar", strategy.BodyAdministration}, {"kontoret", strategy.BodyAdministration},
	{"enheten", strategy.BodyAdministration}, {"avdelningen", strategy.BodyAdministration},
	{"chefer", strategy.BodyAdministration}, {"sektorn", strategy.BodyAdministration},
	{"staben", strategy.BodyAdministration}, {"verksamheten", strategy.BodyAdministration},
	{"nätverket", strategy.BodyNetwork}, {"rådet", strategy.BodyNetwork}, {"gruppen", strategy.BodyNetwork},
	{"bolaget", strategy.BodyCompany}, {"bolagen", strategy.BodyCompany},
}

var parenRe = mustRe(`\s*\([^)]*\)`)

// bodyOf reads a body's name: "KS", "kommunstyrelsen", "Barn- och
// utbildningsnämnden", "Interna kvalitetsnätverket (IKN)". ok is false
// for anything else.
func bodyOf(s string) (body, bool) {
	s = strings.TrimSpace(parenRe.ReplaceAllString(s, ""))
	s = strings.Trim(s, ".,;:»«\"” ")
	low := strings.ToLower(s)
	if b, ok := wellKnown[low]; ok {
		return b, true
	}
	ws := strings.Fields(s)
	if len(ws) == 0 || len(ws) > 6 || external[low] {
		return body{}, false
	}
	last := strings.ToLower(ws[len(ws)-1])
	if external[last] {
		return body{}, false
	}
	for _, w := range ws[1:] {
		// A name's later words are lower case ("Barn- och
		// utbildningsnämnden"); a capital means a sentence or a list.
		if isUpperStart(w) && !strings.HasPrefix(strings.ToLower(w), "hr") {
			return body{}, false
		}
	}
	for _, sfx := range bodySuffixes {
		if strings.HasSuffix(last, sfx.suffix) {
			name := upperFirst(s)
			return body{key: strategy.KeyFromTitle(name), name: name, kind: sfx.kind}, true
		}
	}
	if strings.HasSuffix(last, "styrelsen") && (strings.HasPrefix(last, "kommun") || strings.HasPrefix(last, "region") || strings.HasPrefix(last, "landsting")) {
		name := upperFirst(s)
		return body{key: strategy.KeyFromTitle(name), name: name, kind: strategy.BodyBoard}, true
	}
	return body{}, false
}

// bodiesIn reads a list of bodies: "Arbetsmarknadsnämnden, Kommunstyrelsen
// och Socialnämnden". "Barn- och utbildningsnämnden" stays one name.
func bodiesIn(s string) []body {
	s = parenRe.ReplaceAllString(s, "")
	var out []body
	seen := map[string]bool{}
	for _, part := range splitList(s) {
		if b, ok := bodyOf(part); ok && !seen[b.key] {
			seen[b.key] = true
			out = append(out, b)
		}
	}
	return out
}

// splitList splits "A, B och C" but not "Barn- och utbildningsnämnden".
func splitList(s string) []string {
	var parts []string
	start := 0
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == ',' || s[i] == ';':
			parts = append(parts, s[start:i])
			start = i + 1
		case strings.HasPrefix(s[i:], " och ") && (i == 0 || s[i-1] != '-'):
			parts = append(parts, s[start:i])
			start = i + len(" och ")
			i = start - 1
		case strings.HasPrefix(s[i:], " samt "):
			parts = append(parts, s[start:i])
			start = i + len(" samt ")
			i = start - 1
		}
	}
	parts = append(parts, s[start:])
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// subjectVerbs end the subject of a sentence whose subject may be a body.
var subjectVerbs = map[string]bool{
	"ska": true, "skall": true, "ansvarar": true, "har": true, "leder": true, "får": true, "är": true,
	"bör": true, "beslutar": true, "samordnar": true, "fastställer": true, "följer": true, "tar": true,
	"erbjuder": true, "stödjer": true, "utvärderar": true, "redovisar": true,
}

// subjectBody is the body that a sentence starts with ("Socialnämnden ska
// …"), with the verb after it.
func subjectBody(sentence string) (body, string, bool) {
	ws := strings.Fields(sentence)
	for i := 1; i < len(ws) && i <= 6; i++ {
		v := strings.ToLower(strings.Trim(ws[i], ",.:"))
		if subjectVerbs[v] {
			b, ok := bodyOf(strings.Join(ws[:i], " "))
			return b, v, ok
		}
	}
	return body{}, "", false
}
