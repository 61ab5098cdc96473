package extract

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/inkludera/inkludera/internal/strategy"
)

var (
	// metaLabelRe reads the fields of a document register's cover sheet:
	// "Titel: …", "Typ: Program", "Fastställt: KF 2014-04-16, § 24".
	metaLabelRe = mustRe(`^(?i:(titel|dokumenttitel|typ|dokumenttyp|dokumentslag|fastställt av|fastställd av|antaget av|antagen av|beslutad av|beslutat av|beslutande organ|fastställt|fastställd|antaget|antagen|beslutad|beslutat|beslutsdatum|antagningsdatum|datum för beslut|datum|beslut|beslutsinstans|dnr|diarienummer|diarienr|ärendenummer|id nr|id-nr|idnr|dokument-id|dokumentnummer|version|giltighetstid|giltig till|gäller till|giltig t\.o\.m\.|giltig|gäller|uppdateras|revideras|revidering|senast reviderad|dokumentägare|ägare|dokumentansvarig|ansvarig för dokumentet))\s*:\s*(\S.*)$`)
	// metaStartRe finds where a cover's title stops and its metadata
	// starts, in a cover without line breaks.
	metaStartRe = mustRe(`\s(?:Antagen|Antaget|Antagna|Fastställd|Fastställt|Beslutad|Beslutat|Godkänd|Godkänt|Godkända|Beslutade|Fastställda|Dnr|Diarienummer|Version|Reviderad|Dokumenttyp|Giltig|Gäller|Beslutsdatum|Id nr)\b|\s(?:antagen|antaget|antagna|fastställd|fastställt|beslutad|beslutat|godkänd|godkända) av\b|\s(?i:kf|ks|rf|rs)\s+\d{1,4}\s*/\s*(?:19|20)\d{2}\b`)
	adoptedRe   = mustRe(`(?i)\b(antagen|antaget|antagna|fastställd|fastställt|fastställda|beslutad|beslutat|beslutade|godkänd|godkänt|godkända)\s+(?:av|i)\s+`)
	adoptsRe    = mustRe(`(?i)\b(kommunfullmäktige|kommunstyrelsen|regionfullmäktige|regionstyrelsen|landstingsfullmäktige|[\p{L}-]+nämnden)\s+(?:har\s+)?(?:antog|antagit|fastställde|fastställt|beslutade|beslutat|godkände|godkänt)\s+(?:\S+\s+){0,4}?(strategin|programmet|planen|policyn|riktlinjerna|dokumentet|reglerna|\p{L}+strategin|\p{L}+programmet|\p{L}+planen|\p{L}+policyn)\b`)
	paragraphRe = mustRe(`§\s*(\d{1,4})`)
	decisionRe  = mustRe(`(?i)\b(kf|ks|rf|rs|kfs|ksau)\s+(\d{1,4})\s*/\s*((?:19|20)\d{2})\b`)
	caseLabelRe = mustRe(`(?i)\b(?:dnr|diarienummer|diarienr|diarie-nr|ärendenummer|ärendenr)\.?\s*:?\s*([A-ZÅÄÖ]{0,6}[ /-]?\d{2,4}[/.-]\d{1,6}(?:[/.-]\d{1,4})?|[A-ZÅÄÖ]{1,6}[ /-]\d{1,4}[/-](?:19|20)\d{2})`)
	caseBareRe  = mustRe(`\b((?:[A-ZÅÄÖ]{2,5})[ -]?(?:19|20)\d{2}/\d{1,5}(?:/\d{1,3})?|[A-ZÅÄÖ]{2,5}/\d{1,4}/(?:19|20)\d{2})\b`)
	caseValueRe = mustRe(`[A-ZÅÄÖ]{0,6}[ /-]?\d{2,4}[/.-]\d{1,6}(?:[/.-]\d{1,4})?|[A-ZÅÄÖ]{1,6}[ /-]\d{1,4}[/-](?:19|20)\d{2}`)
	yearRe      = mustRe(`\b((?:19|20)\d{2})\b`)
	yearRangeRe = mustRe(`\b((?:19|20)\d{2})\s*(?:-|–|—|till|t\.o\.m\.)\s*((?:19|20)\d{2})\b`)
	onlyYearsRe = mustRe(`^(?:(?:19|20)\d{2}\s*(?:-|–|—)?\s*)+$`)
	ownerRe     = mustRe(`(?i)\bansvarig för (?:strategin|programmet|planen|policyn|riktlinjerna|dokumentet) är ([\p{L}- ]+)`)
	validToRe   = mustRe(`(?i)\b(?:gäller|giltig|giltigt)\s+(?:till och med|t\.o\.m\.|fram till|till)\s+(?:år\s+)?((?:19|20)\d{2})\b`)
	validSpanRe = mustRe(`(?i)\b(?:gäller|giltig|giltigt)\s+(?:för|under)\s+(?:perioden|åren)\s+((?:19|20)\d{2})\s*(?:-|–|—|till)\s*((?:19|20)\d{2})\b`)
)

// kindStems are the endings of a title word that name a document kind.
var kindStems = []struct{ stem, kind string }{
	{"strategin", "strategi"}, {"strategi", "strategi"}, {"programmet", "program"}, {"program", "program"},
	{"planen", "plan"}, {"plan", "plan"}, {"policyn", "policy"}, {"policy", "policy"},
	{"riktlinjerna", "riktlinjer"}, {"riktlinjer", "riktlinjer"}, {"reglerna", "regler"}, {"regler", "regler"},
	{"reglemente", "regler"},
}

// kindOf is the document kind a title names: the first word that ends in
// a kind ("Integrationsstrategi", "Riktlinjer för …").
func kindOf(title string) string {
	for _, w := range strings.Fields(strings.ToLower(title)) {
		w = strings.Trim(w, ".,:;()")
		for _, k := range kindStems {
			if strings.HasSuffix(w, k.stem) {
				return k.kind
			}
		}
	}
	return ""
}

// metaReader carries the state of detectMeta.
type metaReader struct {
	d    *doc
	m    Meta
	done map[string]bool
}

func (r *metaReader) set(field, value string, ev Evidence) {
	if value == "" || r.done[field] {
		return
	}
	r.done[field] = true
	switch field {
	case "Title":
		r.m.Title = value
	case "Subtitle":
		r.m.Subtitle = value
	case "Kind":
		r.m.Kind = value
	case "AdoptedBy":
		r.m.AdoptedBy = value
	case "AdoptedOn":
		r.m.AdoptedOn = value
	case "Paragraph":
		r.m.Paragraph = value
	case "CaseNumber":
		r.m.CaseNumber = value
	case "Owner":
		r.m.Owner = value
	case "Responsible":
		r.m.Responsible = value
	case "Identifier":
		r.m.Identifier = value
	case "Version":
		r.m.Version = value
	case "ValidFrom":
		r.m.ValidFrom = value
	case "ValidTo":
		r.m.ValidTo = value
	}
	r.m.Evidence[field] = ev
}

// coverItems is how many items at the start count as the cover: up to the
// first heading of the document's structure, and at most eight.
func coverItems(d *doc) int {
	n := 0
	chars := 0
	for i, it := range d.items {
		if i > 0 && it.kind == itemHeading {
			h := classify(it.span)
			if h.role == roleArea || h.role == roleGoal || h.role == roleSubGoal || h.role == roleSection {
				break
			}
		}
		chars += len(it.span.text)
		n = i + 1
		if n >= 8 || chars > 1500 {
			break
		}
	}
	return n
}

func detectMeta(d *doc, fileTitle string) Meta {
	r := &metaReader{d: d, m: Meta{Evidence: map[string]Evidence{}}, done: map[string]bool{}}
	cover := coverItems(d)
	var regsYear int
	// Labelled fields, anywhere in the cover and the first pages.
	for i, it := range d.items {
		if i >= cover+10 {
			break
		}
		for _, part := range labelParts(it.span) {
			m := metaLabelRe.FindStringSubmatchIndex(part.text)
			if m == nil {
				continue
			}
			key := strings.ToLower(part.text[m[2]:m[3]])
			val := part.slice(m[4], m[5]).trim(" .,")
			ev := part.evidence()
			switch key {
			case "titel", "dokumenttitel":
				r.set("Title", val.text, ev)
			case "typ", "dokumenttyp", "dokumentslag":
				r.set("Kind", kindOf(val.text), ev)
			case "fastställt", "fastställd", "antaget", "antagen", "beslutad", "beslutat", "beslut", "beslutsinstans",
				"fastställt av", "fastställd av", "antaget av", "antagen av", "beslutad av", "beslutat av", "beslutande organ":
				if !r.adoption(val.text, ev) {
					if iso, _, _, ok := findDate(val.text); ok {
						r.set("AdoptedOn", iso, ev)
					}
				}
			case "beslutsdatum", "antagningsdatum", "datum för beslut", "datum":
				if iso, _, _, ok := findDate(val.text); ok && (key != "datum" || i < cover) {
					r.set("AdoptedOn", iso, ev)
				}
			case "dnr", "diarienummer", "diarienr", "ärendenummer":
				if m := caseValueRe.FindString(val.text); m != "" {
					r.set("CaseNumber", m, ev)
				} else {
					r.set("CaseNumber", firstWords(val.text, 3), ev)
				}
			case "id nr", "id-nr", "idnr", "dokument-id", "dokumentnummer":
				r.set("Identifier", val.text, ev)
			case "version":
				r.set("Version", val.text, ev)
			case "giltighetstid", "giltig", "gäller":
				r.validity(val.text, ev, false)
			case "giltig till", "gäller till", "giltig t.o.m.":
				r.validity(val.text, ev, true)
			case "dokumentägare", "ägare", "dokumentansvarig", "ansvarig för dokumentet":
				if b, ok := bodyOf(val.text); ok {
					r.set("Owner", b.name, ev)
				} else if n := len(words(val.text)); n > 0 && n <= 5 {
					r.set("Responsible", upperFirst(strings.TrimRight(val.text, ".")), ev)
				}
			}
		}
	}
	r.title(cover, fileTitle)
	// Adoption: the first "Antagen av …" or "Kommunfullmäktige antog
	// strategin …" in the text. Past the cover, "beslutad av nämnden" may
	// be about anything: there it must name a council or board, or the
	// sentence the document.
	for i, it := range d.items {
		if r.done["AdoptedBy"] {
			break
		}
		for _, s := range sentences(it.span) {
			if m := adoptedRe.FindStringIndex(s.text); m != nil {
				b, _, ok := leadingBodyRest(s.text[m[1]:])
				aboutDoc := i < cover || ok && (b.kind == strategy.BodyCouncil || b.kind == strategy.BodyBoard) || docWordRe.MatchString(s.text[:m[0]])
				if aboutDoc && r.adoption(s.text[m[1]:], s.slice(m[0], len(s.text)).evidence()) {
					break
				}
			}
			if m := adoptsRe.FindStringSubmatchIndex(s.text); m != nil {
				if r.adoption(s.text[m[2]:], s.evidence()) {
					break
				}
			}
		}
	}
	// A decision reference alone on the cover ("Kf 169/2017") says who
	// adopted the document, its paragraph and year.
	for i := 0; i < cover && i < len(d.items) && !r.done["AdoptedBy"]; i++ {
		s := d.items[i].span
		if m := decisionRe.FindStringSubmatchIndex(s.text); m != nil {
			r.adoption(s.text[m[0]:], s.slice(m[0], m[1]).evidence())
		}
	}
	// Case number: labelled anywhere near the start, or in a form no
	// sentence uses ("KS 2016/379") on the cover.
	limit := 0
	for i, it := range d.items {
		for _, s := range []span{it.span} {
			if m := caseLabelRe.FindStringSubmatchIndex(s.text); m != nil && !r.done["CaseNumber"] {
				r.set("CaseNumber", strings.TrimRight(s.text[m[2]:m[3]], "."), s.slice(m[0], m[1]).evidence())
			}
			if i < cover {
				if m := caseBareRe.FindStringSubmatchIndex(s.text); m != nil && !r.done["CaseNumber"] {
					r.set("CaseNumber", s.text[m[2]:m[3]], s.slice(m[0], m[1]).evidence())
				}
			}
			if m := ownerRe.FindStringSubmatchIndex(s.text); m != nil {
				if b, ok := leadingBody(s.text[m[2]:m[3]]); ok {
					r.set("Owner", b.name, s.slice(m[0], m[1]).evidence())
				}
			}
			if m := validSpanRe.FindStringSubmatchIndex(s.text); m != nil {
				r.validity(s.text[m[2]:m[5]], s.slice(m[0], m[1]).evidence(), false)
			} else if m := validToRe.FindStringSubmatchIndex(s.text); m != nil {
				r.validity(s.text[m[2]:m[3]], s.slice(m[0], m[1]).evidence(), true)
			}
		}
		limit += len(it.span.text)
		if limit > 6000 {
			break
		}
	}
	if m := decisionRe.FindStringSubmatch(r.m.Evidence["AdoptedBy"].Sentence); m != nil {
		regsYear, _ = strconv.Atoi(m[3])
	}
	r.kind()
	r.organisation(cover)
	r.year(regsYear)
	return r.m
}

// labelParts is an item's text, or its parts when a cover without line
// breaks runs several labelled fields together.
func labelParts(s span) []span {
	var cuts []int
	for _, m := range labelStartRe.FindAllStringIndex(s.text, -1) {
		at := m[0]
		if at > 0 {
			at++ // after the space the match starts with
		}
		cuts = append(cuts, at)
	}
	if len(cuts) == 0 || cuts[0] != 0 {
		cuts = append([]int{0}, cuts...)
	}
	var parts []span
	for i, c := range cuts {
		end := len(s.text)
		if i+1 < len(cuts) {
			end = cuts[i+1]
		}
		if p := s.slice(c, end).trim(" "); p.text != "" {
			parts = append(parts, p)
		}
	}
	return parts
}

// labelStartRe finds where a labelled field starts inside a line.
var labelStartRe = mustRe(`(?:^|\s)(?:Titel|Dokumenttitel|Typ|Dokumenttyp|Dokumentslag|Fastställt av|Fastställd av|Antaget av|Antagen av|Beslutad av|Beslutat av|Beslutande organ|Fastställt|Fastställd|Antaget|Antagen|Beslutad|Beslutat|Beslutsdatum|Antagningsdatum|Datum för beslut|Datum|Beslut|Beslutsinstans|Dnr|Diarienummer|Diarienr|Ärendenummer|Id nr|Id-nr|Idnr|Dokument-id|Dokumentnummer|Version|Giltighetstid|Giltig till|Gäller till|Giltig|Gäller|Uppdateras|Revideras|Revidering|Senast reviderad|Dokumentägare|Ägare|Dokumentansvarig|Ansvarig för dokumentet)\s*:`)

// adoption reads "Kommunstyrelsen 20160510", "kommunfullmäktige den 14
// april 2015, KF § 24", "KF 2014-04-16, § 24", "Kf 58/2018": the body and,
// when given, the date and paragraph. It reports whether a body was found.
func (r *metaReader) adoption(s string, ev Evidence) bool {
	b, rest, ok := leadingBodyRest(s)
	if !ok {
		return false
	}
	r.set("AdoptedBy", b.name, ev)
	// The date and paragraph follow the body in the same sentence.
	window := rest
	if len(window) > 90 {
		window = window[:90]
	}
	if iso, _, _, ok := findDate(window); ok {
		r.set("AdoptedOn", iso, ev)
	}
	if m := decisionRe.FindStringSubmatch(s[:min(len(s), 120)]); m != nil {
		r.set("Paragraph", "§ "+strings.TrimLeft(m[2], "0"), ev)
	} else if m := paragraphRe.FindStringSubmatch(window); m != nil {
		r.set("Paragraph", "§ "+strings.TrimLeft(m[1], "0"), ev)
	}
	return true
}

// leadingBody reads the body a phrase starts with: the longest run of up
// to five words that bodyOf accepts.
func leadingBody(s string) (body, bool) {
	b, _, ok := leadingBodyRest(s)
	return b, ok
}

func leadingBodyRest(s string) (body, string, bool) {
	ws := strings.Fields(s)
	for n := min(5, len(ws)); n >= 1; n-- {
		cand := strings.Trim(strings.Join(ws[:n], " "), ".,;:()")
		if b, ok := bodyOf(cand); ok {
			rest := strings.Join(ws[n:], " ")
			return b, rest, true
		}
	}
	return body{}, "", false
}

// validity reads "2014 - 2015", "2018–2022", "2020-12-31" or "2020".
func (r *metaReader) validity(s string, ev Evidence, toOnly bool) {
	if iso, _, _, ok := findDate(s); ok && toOnly {
		r.set("ValidTo", iso, ev)
		return
	}
	if m := yearRangeRe.FindStringSubmatch(s); m != nil && !toOnly {
		r.set("ValidFrom", m[1]+"-01-01", ev)
		r.set("ValidTo", m[2]+"-12-31", ev)
		return
	}
	if m := yearRe.FindStringSubmatch(s); m != nil {
		r.set("ValidTo", m[1]+"-12-31", ev)
	}
}

// orgOnlyRe is a cover line that only names the organisation.
var orgOnlyRe = mustRe(`(?i)^(?:[\p{L}-]+\s+){0,2}(?:kommun|stad|region|landsting)$|^(?i:region)\s+[\p{L} -]+$`)

// title finds the title and subtitle on the cover.
func (r *metaReader) title(cover int, fileTitle string) {
	items := r.d.items
	start := -1
	for i := 0; i < cover && i < len(items); i++ {
		t := items[i].span.text
		if metaLabelRe.MatchString(t) || orgOnlyRe.MatchString(t) || onlyYearsRe.MatchString(t) || adoptedRe.MatchString(firstWords(t, 3)) ||
			caseLabelRe.MatchString(firstWords(t, 3)) || caseBareRe.MatchString(t) && len(words(t)) <= 4 {
			continue
		}
		if _, _, _, ok := findDate(t); ok && len(words(t)) <= 4 {
			continue
		}
		start = i
		break
	}
	if start < 0 {
		if fileTitle != "" {
			r.set("Title", fileTitle, Evidence{Sentence: fileTitle})
		}
		return
	}
	it := items[start]
	title := it.span
	if m := metaStartRe.FindStringIndex(title.text); m != nil && m[0] > 0 {
		title = title.slice(0, m[0])
	}
	title = title.trim(" .,:;")
	// "OCKELBO KOMMUN Riktlinjer för …": the organisation's name before
	// the title, where a line break was lost.
	if ms := findOrgs(title.text); len(ms) > 0 && ms[0].start == 0 && ms[0].end < len(title.text) {
		if rest := strings.TrimLeft(title.text[ms[0].end:], " .,:;"); kindOf(rest) != "" && isUpperStart(rest) {
			title = title.slice(ms[0].end, len(title.text)).trim(" .,:;")
		}
	}
	var subtitle span
	if fileTitle != "" && len(title.text) > len(fileTitle) && strings.EqualFold(title.text[:len(fileTitle)], fileTitle) {
		subtitle = title.slice(len(fileTitle), len(title.text)).trim(" .,:;–-")
		title = title.slice(0, len(fileTitle))
	} else if cut := coverSplit(title.text); cut > 0 {
		subtitle = title.slice(cut, len(title.text)).trim(" .,:;–-")
		title = title.slice(0, cut).trim(" .,:;–-")
	}
	if len(words(title.text)) > 20 {
		// Not a cover but running text: the first sentence at most.
		if ss := sentences(title); len(ss) > 0 && len(words(ss[0].text)) <= 20 {
			title = ss[0].trim(".")
		} else if fileTitle != "" {
			r.set("Title", fileTitle, Evidence{Sentence: fileTitle})
			return
		}
	}
	// Years on a line of their own belong to the title ("2021–2024").
	next := start + 1
	if next < len(items) && onlyYearsRe.MatchString(items[next].span.text) && items[next].block == it.block {
		title = title.join(items[next].span, true)
		next++
	}
	r.set("Title", title.text, title.evidence())
	if subtitle.text == "" && next < len(items) && next < cover+1 && it.kind == itemHeading {
		n := items[next]
		if n.kind == itemHeading && !metaLabelRe.MatchString(n.span.text) && !adoptedRe.MatchString(firstWords(n.span.text, 3)) &&
			!orgOnlyRe.MatchString(n.span.text) && classify(n.span).role == roleGeneric && len(words(n.span.text)) <= 15 &&
			!caseLabelRe.MatchString(n.span.text) {
			subtitle = n.span
		}
	}
	if len(words(subtitle.text)) <= 15 {
		r.set("Subtitle", subtitle.text, subtitle.evidence())
	}
}

// coverSplit finds where a title ends and its subtitle begins in a cover
// that lost its line breaks: after a year followed by a capitalised word
// ("Integrationsstrategi 2020 Strategi för …"), or before a second
// capitalised kind word ("… Strategi för …").
func coverSplit(t string) int {
	ws := words(t)
	pos := 0
	for i, w := range ws {
		at := strings.Index(t[pos:], w) + pos
		pos = at + len(w)
		if i == 0 {
			continue
		}
		if i+1 < len(ws) && yearRe.MatchString(w) && len(w) <= 9 && isUpperStart(ws[i+1]) && !onlyYearsRe.MatchString(ws[i+1]) {
			return pos
		}
		if isUpperStart(w) && kindOf(w) != "" && i >= 1 {
			return at
		}
	}
	return 0
}

func firstWords(s string, n int) string {
	ws := words(s)
	if len(ws) > n {
		ws = ws[:n]
	}
	return strings.Join(ws, " ")
}

// kind: the cover's "Typ:", else the title's kind word, else the kind the
// text calls itself most ("strategin", "programmet" …).
func (r *metaReader) kind() {
	if r.done["Kind"] {
		return
	}
	if k := kindOf(r.m.Title); k != "" {
		r.set("Kind", k, r.m.Evidence["Title"])
		return
	}
	counts := map[string]int{}
	self := map[string]string{"strategin": "strategi", "programmet": "program", "planen": "plan", "policyn": "policy", "riktlinjerna": "riktlinjer"}
	for _, it := range r.d.items {
		for _, w := range strings.Fields(strings.ToLower(it.span.text)) {
			if k, ok := self[strings.Trim(w, ".,:;()")]; ok {
				counts[k]++
			}
		}
	}
	best, n := "", 1
	for k, c := range counts {
		if c > n || c == n && k < best {
			best, n = k, c
		}
	}
	if best != "" {
		r.set("Kind", best, Evidence{Sentence: fmt.Sprintf("Texten kallar sig ”%s” %d gånger.", best, n)})
	}
}

// organisation resolves the kommun or region the text belongs to.
func (r *metaReader) organisation(cover int) {
	var mentions []orgMention
	coverEnd := 0
	for i, it := range r.d.items {
		for _, m := range findOrgs(it.span.text) {
			sp := it.span.slice(m.start, m.end)
			m.start, m.end = sp.off[0], sp.off[len(sp.text)]
			mentions = append(mentions, m)
		}
		if i < cover {
			coverEnd = it.span.off[len(it.span.text)]
		}
	}
	if t := r.m.Evidence["Title"]; t.End > coverEnd {
		coverEnd = t.End
	}
	low := strings.ToLower(r.m.Title + " " + r.m.AdoptedBy)
	regional := strings.Contains(low, "regional") || strings.HasPrefix(strings.ToLower(r.m.AdoptedBy), "region") ||
		strings.HasPrefix(strings.ToLower(r.m.AdoptedBy), "landsting") || strings.Contains(low, " län")
	best, ok := resolveOrg(mentions, coverEnd, regional)
	if !ok {
		return
	}
	ev := Evidence{Sentence: spanOf(r.d.src, best.start, best.end).text, Start: best.start, End: best.end}
	r.m.OrgCode, r.m.OrgKind, r.m.County = best.org.code, best.org.kind, best.org.county
	r.m.OrgName = best.org.name
	r.m.Evidence["OrgCode"] = ev
}

// year: adopted, else the decision reference's year, else the title's
// first year, else the first year of validity.
func (r *metaReader) year(decisionYear int) {
	ev := r.m.Evidence
	switch {
	case r.m.AdoptedOn != "":
		r.m.Year, _ = strconv.Atoi(r.m.AdoptedOn[:4])
		ev["Year"] = ev["AdoptedOn"]
	case decisionYear != 0:
		r.m.Year = decisionYear
		ev["Year"] = ev["AdoptedBy"]
	case yearRe.MatchString(r.m.Title):
		r.m.Year, _ = strconv.Atoi(yearRe.FindString(r.m.Title))
		ev["Year"] = ev["Title"]
	case r.m.ValidFrom != "":
		r.m.Year, _ = strconv.Atoi(r.m.ValidFrom[:4])
		ev["Year"] = ev["ValidFrom"]
	}
}
