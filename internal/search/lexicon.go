package search

import (
	"bufio"
	_ "embed"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/inkludera/inkludera/internal/nation"
)

//go:embed wordlist.txt
var wordlistText string

// partOfSpeech picks the paradigm used to guess a word's inflected forms.
type partOfSpeech uint8

const (
	noun partOfSpeech = iota
	adjective
	verb
	name
)

// linkCost ranks the ways a word can appear first in a compound: its plain
// form and the regular linking morphemes cost nothing, an added vowel or a
// dropped consonant costs one, so that they only win a tie.
type linkCost uint8

// combining is one reading of a compound's non-final part.
type combining struct {
	base string
	cost linkCost
}

// lexicon is the embedded word list expanded into the tables the analyser
// looks words up in. It is built once and only read afterwards.
type lexicon struct {
	// known holds every base form, every guessed inflected form and every
	// name: a known word is never split.
	known map[string]bool
	// lemma maps an inflected form to its base form when exactly one base
	// produces it ("skolan" → "skola"). Base forms map to themselves.
	lemma map[string]string
	// heads maps the forms that can end a compound to their base forms:
	// the nouns' and adjectives' forms and the verbs' present participles
	// ("ensamkommande"), but not other verb forms, which the paradigms
	// guess too loosely to trust inside a word ("respekt" is not res +
	// pekt).
	heads map[string]string
	// stems holds the Swedish stem of every base form, so that a word the
	// paradigms did not guess ("möjligheternas") is still recognised as a
	// word and not split.
	stems map[string]bool
	// combining maps the shapes a word takes first in a compound
	// ("arbets", "skol", "kvinno") to the word.
	combining map[string]combining
	// bases counts the base forms, for the tests and the report.
	bases int
}

var loadLexicon = sync.OnceValue(func() *lexicon {
	lx, err := parseLexicon(wordlistText)
	if err != nil {
		panic("search: the embedded wordlist.txt: " + err.Error())
	}
	for _, n := range placeNames() {
		lx.addName(n)
	}
	return lx
})

// placeNames are the words of the kommuner's and counties' names:
// "Östersund" must not become "öster" + "sund".
func placeNames() []string {
	var out []string
	for _, k := range nation.Kommuner() {
		out = append(out, strings.Fields(strings.ToLower(k.Name))...)
	}
	for _, r := range nation.Regions() {
		out = append(out, strings.Fields(strings.ToLower(r.County))...)
	}
	return out
}

func parseLexicon(text string) (*lexicon, error) {
	lx := &lexicon{
		known:     map[string]bool{},
		lemma:     map[string]string{},
		heads:     map[string]string{},
		stems:     map[string]bool{},
		combining: map[string]combining{},
	}
	// guessed[form] is the base that produced a form; ambiguous marks the
	// forms two bases produce, which lemma leaves out.
	guessed := map[string]string{}
	ambiguous := map[string]bool{}
	guessedHeads := map[string]string{}
	section := noun
	sc := bufio.NewScanner(strings.NewReader(text))
	for line := 1; sc.Scan(); line++ {
		s := strings.TrimSpace(sc.Text())
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		if strings.HasPrefix(s, "[") {
			switch s {
			case "[substantiv]":
				section = noun
			case "[adjektiv]":
				section = adjective
			case "[verb]":
				section = verb
			case "[namn]":
				section = name
			default:
				return nil, fmt.Errorf("line %d: unknown section %s", line, s)
			}
			continue
		}
		fields := strings.Fields(s)
		base := fields[0]
		if base != strings.ToLower(base) || strings.ContainsAny(base, "-0123456789") {
			return nil, fmt.Errorf("line %d: %q is not a lower-case word", line, base)
		}
		if section == name {
			lx.addName(base)
			continue
		}
		if isStopWord(base) {
			continue
		}
		if _, dup := lx.lemma[base]; !dup {
			lx.bases++
		}
		lx.known[base] = true
		lx.lemma[base] = base
		if section != verb {
			lx.heads[base] = base
		}
		lx.stems[stem(base)] = true
		forms := inflections(base, section)
		for _, extra := range fields[1:] {
			if shape, ok := strings.CutSuffix(extra, "-"); ok {
				lx.addCombining(shape, base, 0)
				if !endsInSibilant(shape) {
					lx.addCombining(shape+"s", base, 0)
				}
			} else {
				forms = append(forms, extra)
			}
		}
		for _, f := range forms {
			if isStopWord(f) || f == base {
				continue
			}
			lx.known[f] = true
			if b, seen := guessed[f]; seen && b != base {
				ambiguous[f] = true
			}
			guessed[f] = base
			if section != verb || strings.HasSuffix(f, "nde") {
				if _, seen := guessedHeads[f]; !seen {
					guessedHeads[f] = base
				}
			}
		}
		for _, c := range combiningForms(base, section) {
			lx.addCombining(c.shape, base, c.cost)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	for f, b := range guessed {
		if _, isBase := lx.lemma[f]; isBase || ambiguous[f] {
			continue
		}
		lx.lemma[f] = b
	}
	for f, b := range guessedHeads {
		if _, isHead := lx.heads[f]; isHead {
			continue
		}
		if l := lx.lemma[f]; l != "" {
			b = l // the unambiguous reading, when there is one
		}
		lx.heads[f] = b
	}
	return lx, nil
}

// addCombining records that shape can stand for base first in a compound.
// For a shape two words share it keeps the cheaper reading, and between
// equals the first listed. A shape has at least minPartLen letters; its
// word may have one less, so that "år" leads "årsrapport" as "års".
func (lx *lexicon) addCombining(shape, base string, cost linkCost) {
	if runeLen(base) < minPartLen-1 || runeLen(shape) < minPartLen {
		return
	}
	if old, ok := lx.combining[shape]; ok && old.cost <= cost {
		return
	}
	lx.combining[shape] = combining{base: base, cost: cost}
}

func (lx *lexicon) addName(n string) {
	n = strings.Trim(n, "-.,")
	if n == "" {
		return
	}
	lx.known[n] = true
	// An s-genitive of a name ("Östersunds") is still the name.
	lx.known[n+"s"] = true
}

// runeLen is the length of s in letters.
func runeLen(s string) int { return utf8.RuneCountInString(s) }
