package extract

import (
	"sort"
	"strings"
	"sync"
	"unicode"

	"github.com/inkludera/inkludera/internal/nation"
)

// org is a kommun or region the text may be about.
type org struct {
	code, name, kind, county string
	short                    string // "Östersund", "Jämtland Härjedalen": for keys
}

// orgIndex maps the lower-case word sequences that name an organisation to
// it: "östersunds kommun", "östersund kommun", "region jämtland
// härjedalen", "jämtlands läns landsting", "kalmar län" …
type orgIndex struct {
	kommun  map[string]org // the name before "kommun" or "stad": "östersunds", "falu"
	region  map[string]org // whole phrases naming a region
	county  map[string]org // "kalmar län", "jämtlands län": the län as a place
	bare    map[string]org // a kommun's name alone: "östersund"
	place   map[string]org // a län's name alone, when no kommun has it: "dalarna", "västerbotten"
	longest int            // words in the longest phrase
}

var orgs = sync.OnceValue(func() *orgIndex {
	ix := &orgIndex{kommun: map[string]org{}, region: map[string]org{}, county: map[string]org{}, bare: map[string]org{}, place: map[string]org{}}
	regionByCode := map[string]org{}
	for _, r := range nation.Regions() {
		o := org{code: r.Code, name: r.Name, kind: "region", county: r.Code, short: strings.TrimPrefix(r.Name, "Region ")}
		regionByCode[r.Code] = o
		name := strings.ToLower(r.Name)
		ix.region[name] = o
		county := strings.ToLower(r.County) // "jämtlands län"
		place := strings.TrimSuffix(county, " län")
		place = strings.TrimSuffix(place, "s") // "jämtland", "kalmar"
		if strings.HasSuffix(county, "s län") || county == place+" län" {
			ix.region["region "+place] = o
		}
		ix.region["region "+county] = o
		ix.region[county+"s landsting"] = o
		ix.region["landstinget i "+county] = o
		ix.region[county+" landsting"] = o
		ix.region["landstinget "+place] = o
		ix.county[county] = o
		if strings.HasSuffix(name, "regionen") { // "västra götalandsregionen"
			ix.region[name] = o
		}
	}
	for _, k := range nation.Kommuner() {
		o := org{code: k.Code, name: genitive(k.Name) + " kommun", kind: "kommun", county: k.County, short: k.Name}
		name := strings.ToLower(k.Name)
		ix.kommun[name] = o
		ix.kommun[name+"s"] = o
		if g := strings.ToLower(genitive(k.Name)); g != name {
			ix.kommun[g] = o // "Falu kommun"
		}
		if len([]rune(name)) >= 5 {
			ix.bare[name] = o
			ix.bare[name+"s"] = o
		}
	}
	for _, r := range nation.Regions() {
		place := strings.TrimSuffix(strings.TrimSuffix(strings.ToLower(r.County), " län"), "s")
		if _, isKommun := ix.kommun[place]; !isKommun {
			ix.place[place] = regionByCode[r.Code]
		}
	}
	// Gotland is a kommun that is also a region; "Region Gotland" is both.
	for k := range ix.region {
		ix.longest = max(ix.longest, len(strings.Fields(k)))
	}
	for k := range ix.kommun {
		ix.longest = max(ix.longest, len(strings.Fields(k))+1)
	}
	return ix
})

// genitive is a kommun's name as in "Östersunds kommun": an s is added
// unless the name ends in s, x, z or a vowel ("Umeå kommun", "Ale kommun").
func genitive(name string) string {
	if name == "Falun" {
		return "Falu"
	}
	switch unicode.ToLower(lastRune(name)) {
	case 's', 'x', 'z', 'a', 'e', 'i', 'o', 'u', 'y', 'å', 'ä', 'ö':
		return name
	}
	return name + "s"
}

// orgMention is one place in the text that names an organisation.
type orgMention struct {
	org        org
	start, end int     // in the text searched
	weight     float64 // how much the mention tells
	written    string  // as written, for the name
}

// findOrgs lists the organisations named in s.
func findOrgs(s string) []orgMention {
	ix := orgs()
	toks := wordSpans(s)
	var out []orgMention
	for i := 0; i < len(toks); i++ {
		w := toks[i].low
		// "<name> kommun", "<name>s kommun", "<name> stad"
		if w == "kommun" || w == "kommuns" || w == "stad" || w == "stads" {
			for n := 3; n >= 1; n-- {
				if i-n < 0 {
					continue
				}
				phrase := joinLow(toks[i-n : i])
				if o, ok := ix.kommun[phrase]; ok {
					out = append(out, orgMention{org: o, start: toks[i-n].start, end: toks[i].end, weight: 1,
						written: s[toks[i-n].start:toks[i].end]})
					break
				}
			}
			continue
		}
		matched := false
		for n := min(ix.longest, len(toks)-i); n >= 2 && !matched; n-- {
			phrase := joinLow(toks[i : i+n])
			if o, ok := ix.region[phrase]; ok {
				out = append(out, orgMention{org: o, start: toks[i].start, end: toks[i+n-1].end, weight: 1, written: s[toks[i].start:toks[i+n-1].end]})
				i += n - 1
				matched = true
			} else if o, ok := ix.county[phrase]; ok {
				out = append(out, orgMention{org: o, start: toks[i].start, end: toks[i+n-1].end, weight: 0.5, written: s[toks[i].start:toks[i+n-1].end]})
				i += n - 1
				matched = true
			}
		}
		for n := min(2, len(toks)-i); n >= 1 && !matched; n-- {
			if o, ok := ix.place[joinLow(toks[i:i+n])]; ok && toks[i].upper {
				out = append(out, orgMention{org: o, start: toks[i].start, end: toks[i+n-1].end, weight: 0.5, written: s[toks[i].start:toks[i+n-1].end]})
				i += n - 1
				matched = true
			}
		}
		if matched {
			continue
		}
		// A kommun's name alone counts for little: many are also words.
		if o, ok := ix.bare[w]; ok && toks[i].upper && !toks[i].sentenceStart {
			next := ""
			if i+1 < len(toks) {
				next = toks[i+1].low
			}
			if next != "län" && next != "läns" && next != "universitet" {
				out = append(out, orgMention{org: o, start: toks[i].start, end: toks[i].end, weight: 0.4})
			}
		}
	}
	return out
}

// wordSpan is a word of a text for the organisation search.
type wordSpan struct {
	low                  string
	start, end           int
	upper, sentenceStart bool
}

func wordSpans(s string) []wordSpan {
	var out []wordSpan
	start := -1
	prevEnd := 0
	for i, r := range s + " " {
		if unicode.IsLetter(r) || r == '-' && start >= 0 {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			w := strings.TrimRight(s[start:i], "-")
			before := strings.TrimRight(s[prevEnd:start], " ")
			ss := len(out) == 0 || strings.HasSuffix(before, ".") || strings.HasSuffix(before, ":") || strings.Contains(s[prevEnd:start], "\n")
			out = append(out, wordSpan{low: strings.ToLower(w), start: start, end: start + len(w), upper: isUpperStart(w), sentenceStart: ss})
			prevEnd = start + len(w)
			start = -1
		}
	}
	return out
}

func joinLow(ws []wordSpan) string {
	parts := make([]string, len(ws))
	for i, w := range ws {
		parts[i] = w.low
	}
	return strings.Join(parts, " ")
}

// resolveOrg picks the organisation a document belongs to: the one named
// most, counting mentions in the title and cover three times; a region
// when the document was adopted by a regional body and names one, a
// kommun otherwise.
func resolveOrg(mentions []orgMention, coverEnd int, regional bool) (orgMention, bool) {
	type score struct {
		m     orgMention
		total float64
		first int
	}
	scores := map[string]*score{}
	for _, m := range mentions {
		w := m.weight
		if m.start < coverEnd {
			w *= 3
		}
		if regional && m.org.kind == "region" || !regional && m.org.kind == "kommun" {
			w *= 2
		}
		s := scores[m.org.code]
		if s == nil {
			s = &score{m: m, first: m.start}
			scores[m.org.code] = s
		}
		if s.m.written == "" && m.written != "" {
			s.m = m
		}
		s.total += w
	}
	if len(scores) == 0 {
		return orgMention{}, false
	}
	list := make([]*score, 0, len(scores))
	for _, s := range scores {
		list = append(list, s)
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].total != list[j].total {
			return list[i].total > list[j].total
		}
		return list[i].first < list[j].first
	})
	best := list[0]
	if best.total < 1 {
		return orgMention{}, false // a bare place name or two is not enough
	}
	return best.m, true
}

// orgByCode is the kommun or region with a code.
func orgByCode(code string) (org, bool) {
	for _, k := range nation.Kommuner() {
		if k.Code == code {
			return org{code: k.Code, name: genitive(k.Name) + " kommun", kind: "kommun", county: k.County, short: k.Name}, true
		}
	}
	for _, r := range nation.Regions() {
		if r.Code == code {
			return org{code: r.Code, name: r.Name, kind: "region", county: r.Code, short: strings.TrimPrefix(r.Name, "Region ")}, true
		}
	}
	return org{}, false
}
