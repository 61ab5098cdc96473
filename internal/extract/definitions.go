package extract

import (
	"strings"
)

// Definitions under "Begreppsförklaring" come in three shapes: "Term –
// förklaring" or "Term: förklaring" on a line of their own; a term on a
// line and its explanation on the next; and, in text that lost its line
// breaks, terms that are not marked at all: "Asylsökande person som …
// Nyanländ flykting person som …". In the last, a term is one to four
// words at the start of a sentence, the first not a pronoun or article,
// followed by a word that starts an explanation ("person", "alla", "den",
// "som" …). A sentence that does not start that way ("Personen kan bo …")
// continues the definition before it.

var explicitDefRe = mustRe(`^(\p{Lu}[^:–—.]{0,60}?)(?:\s+[-–—]\s*|\s*[–—]\s+|\s*:\s+)(\S.*)$`)

// notTermStart are words that begin a sentence but never a term.
var notTermStart = map[string]bool{}

// termStop are words that cannot be part of a term.
var termStop = map[string]bool{}

// definitionStart are words that start an explanation.
var definitionStart = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`en ett den det de i personen detta dessa denna han hon man vi som med för om ibland där här
		även alla samtliga när då också men och eller att till på av kan är har ska blir får begreppet termen
		med begrepp ordet inom enligt utifrån`) {
		notTermStart[w] = true
	}
	for _, w := range strings.Fields(`kan är har ska blir får vara både också även inte som och i på av för med till om men eller att
		den det de en ett räknas kallas var hade alla samtliga där här när`) {
		termStop[w] = true
	}
	for _, w := range strings.Fields(`person personer en ett den det de alla samtliga som när att är avser innebär betyder individ
		individer barn ungdomar vuxna människor benämning kallas används omfattar`) {
		definitionStart[w] = true
	}
}

// splitDefinition reads "Term – förklaring" or an unmarked "Term förklaring".
func splitDefinition(t string) (term, def string, ok bool) {
	if m := explicitDefRe.FindStringSubmatch(t); m != nil {
		term = strings.TrimSpace(m[1])
		if n := len(words(term)); n >= 1 && n <= 6 && !notTermStart[strings.ToLower(firstWordOf(term))] {
			return term, strings.TrimSpace(m[2]), true
		}
	}
	ws := words(t)
	if len(ws) < 3 || !isUpperStart(ws[0]) || notTermStart[strings.ToLower(ws[0])] {
		return "", "", false
	}
	for k := 1; k <= 4 && k < len(ws)-1; k++ {
		w := strings.ToLower(strings.Trim(ws[k], ",.;:()"))
		if definitionStart[w] && isLowerStart(ws[k]) {
			term = strings.Join(ws[:k], " ")
			return strings.Trim(term, ",:"), strings.Join(ws[k:], " "), true
		}
		if termStop[w] || !isLowerStart(ws[k]) || strings.ContainsAny(ws[k], "0123456789.,;:()") {
			return "", "", false
		}
	}
	return "", "", false
}

// definitionSentence places a sentence of a definitions section.
func (b *builder) definitionSentence(s span) {
	t := strings.TrimSpace(s.text)
	if b.pendingTerm != "" {
		b.addDefinition(b.pendingTerm, t, s.evidence())
		b.pendingTerm = ""
		return
	}
	if term, def, ok := splitDefinition(t); ok {
		b.addDefinition(term, def, s.evidence())
		return
	}
	if b.lastDef != nil {
		b.lastDef.Definition = joinText(b.lastDef.Definition, t)
	}
}

// addDefinition records a term; the same term twice keeps the first.
func (b *builder) addDefinition(term, def string, ev Evidence) {
	term = cleanTitle(term)
	if term == "" || def == "" {
		return
	}
	for i := range b.draft.Definitions {
		if strings.EqualFold(b.draft.Definitions[i].Term, term) {
			b.lastDef = &b.draft.Definitions[i]
			return
		}
	}
	b.draft.Definitions = append(b.draft.Definitions, Definition{Term: term, Definition: def, Evidence: ev})
	b.lastDef = &b.draft.Definitions[len(b.draft.Definitions)-1]
}
