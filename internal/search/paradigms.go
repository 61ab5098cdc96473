package search

import "strings"

// The paradigms guess a word's inflected forms and the shapes it takes
// first in a compound from its spelling alone. They over-generate on
// purpose: a guessed form that is not Swedish ("barner") costs a map entry
// and is never written, while a form they miss leaves the word to the
// Snowball stemmer, which does not know that "skolan" is "skola" or that
// "insats" and "insatser" are one word.

// inflections lists the guessed inflected forms of a base form.
func inflections(w string, p partOfSpeech) []string {
	var forms []string
	add := func(s ...string) { forms = append(forms, s...) }
	last, stemPart := lastLetter(w)
	switch p {
	case noun:
		switch {
		case last == 'a': // skola: skolan, skolor, skolorna; flicka: flickor
			add(w+"n", stemPart+"or", stemPart+"orna", stemPart+"ar", stemPart+"arna")
		case last == 'e': // område: området, områden, områdena; pojke: pojkar; linje: linjer
			add(w+"n", w+"t", w+"na", w+"r", w+"rna", stemPart+"ar", stemPart+"arna")
			if strings.HasSuffix(w, "are") { // lärare: lärarna
				add(stemPart + "na")
			}
		case strings.HasSuffix(w, "um") && len(w) > 4: // kriterium: kriteriet, kriterier
			r := w[:len(w)-2]
			add(r+"et", r+"er", r+"erna", r+"a", w+"et", w+"en")
		case isVowel(last): // strategi: strategin, strategier; by: byn, byar; café: cafét
			add(w+"n", w+"t", w+"r", w+"rna", w+"er", w+"erna", w+"ar", w+"arna", w+"na")
		default: // kommun: kommunen, kommuner; barn: barnet, barnen; plan: planer
			add(w+"en", w+"et", w+"er", w+"erna", w+"ar", w+"arna", w+"or", w+"orna", w+"na")
			if c, ok := contracted(w); ok { // regel: regler, regeln; nummer: numret
				add(c+"ar", c+"arna", c+"er", c+"erna", c+"et", c+"en", w+"n", w+"na")
			}
			if doubled, ok := doubledFinal(w); ok { // program: programmet; hem: hemmet
				add(doubled+"en", doubled+"et", doubled+"ar", doubled+"arna", doubled+"er", doubled+"erna")
			}
		}
		// The s-genitive of every form: kommunens, skolornas, barnets.
		n := len(forms)
		if !endsInSibilant(w) {
			add(w + "s")
		}
		for _, f := range forms[:n] {
			if !endsInSibilant(f) {
				add(f + "s")
			}
		}
	case adjective:
		switch {
		case isVowel(last): // ny: nytt, nya; fri: fritt
			add(w+"tt", w+"a", w+"are", w+"ast", w+"aste")
		case strings.HasSuffix(w, "en") && len(w) > 3: // öppen: öppet, öppna
			c := w[:len(w)-2] + "n"
			add(w[:len(w)-1]+"t", c+"a", c+"are", c+"ast", c+"aste")
		case (strings.HasSuffix(w, "el") || strings.HasSuffix(w, "er")) && len(w) > 3: // enkel: enkelt, enkla
			c := w[:len(w)-2] + w[len(w)-1:]
			add(w+"t", c+"a", c+"are", c+"ast", c+"aste")
		case strings.HasSuffix(w, "ad"): // prioriterad: prioriterat, prioriterade
			add(w[:len(w)-1]+"t", w+"e", w+"es")
		case last == 'd': // känd: känt, kända
			add(w[:len(w)-1]+"t", w+"a", w+"e")
		case last == 't': // lätt, lätta; direkt, direkta
			add(w+"a", w+"are", w+"ast", w+"aste")
		default: // viktig: viktigt, viktiga, viktigare
			add(w+"t", w+"a", w+"e", w+"are", w+"ast", w+"aste")
			if strings.HasSuffix(w, "am") { // gemensam: gemensamma
				add(w+"ma", w+"mare", w+"mast")
			}
		}
		add(w+"as", w+"es") // sjukas, äldres: adjectives used as nouns
	case verb:
		if last == 'a' && runeLen(w) > 3 { // arbeta: arbetar, arbetade, arbetat; läsa: läser, läste, läst
			add(w+"r", stemPart+"er", w+"de", w+"t", stemPart+"te", stemPart+"t",
				stemPart+"de", w+"s", stemPart+"es", w+"nde", w+"d")
		} else { // bo: bor, bodde, bott; gå: går, gick
			add(w+"r", w+"dde", w+"tt", w+"s", w+"ende")
		}
	}
	return forms
}

// shape is one way a word appears first in a compound.
type shape struct {
	shape string
	cost  linkCost
}

// combiningForms lists the shapes of a word first in a compound: the word
// itself and with the linking -s- (arbetsmarknad ← arbete), a final vowel
// dropped (skolgård ← skola) or turned into -o-/-u- (kvinnojour, gatukök),
// and, at a cost, a linking -e- or -a- added (familjehem, barnavård).
func combiningForms(w string, p partOfSpeech) []shape {
	last, stemPart := lastLetter(w)
	out := []shape{{w, 0}}
	if !endsInSibilant(w) {
		out = append(out, shape{w + "s", 0})
	}
	switch p {
	case noun:
		switch {
		case last == 'a': // skolgård, kvinnojour, gatukök, förskoleklass
			out = append(out, shape{stemPart, 0}, shape{stemPart + "s", 0},
				shape{stemPart + "o", 0}, shape{stemPart + "u", 0}, shape{stemPart + "e", 0})
		case strings.HasSuffix(w, "um") && len(w) > 4: // gymnasieskola, museiföremål
			r := w[:len(w)-2]
			out = append(out, shape{r + "e", 0}, shape{r + "i", 0})
		case last == 'e':
			out = append(out, shape{stemPart, 0}, shape{stemPart + "s", 0})
		case !isVowel(last):
			out = append(out, shape{w + "e", 1}, shape{w + "a", 1})
		}
	case verb:
		// A verb's stem first in a compound (läsförståelse, skrivregler,
		// väntetid) costs one, so that a noun reading wins a tie.
		// Stems shorter than four letters are left out: "för", "bär" and
		// "ant" are prefixes far more often than verbs.
		out = nil
		if last == 'a' && runeLen(stemPart) >= 4 {
			out = []shape{{stemPart, 1}, {stemPart + "e", 1}, {w, 1}}
		} else if last != 'a' && runeLen(w) >= 4 {
			out = []shape{{w, 1}}
		}
	}
	return out
}

// lastLetter returns the last letter of w and w without it.
func lastLetter(w string) (rune, string) {
	for i := len(w) - 1; i >= 0; i-- {
		if w[i] < 0x80 || w[i] >= 0xC0 {
			r := []rune(w[i:])[0]
			return r, w[:i]
		}
	}
	return 0, ""
}

func isVowel(r rune) bool {
	return strings.ContainsRune("aeiouyåäöé", r)
}

func endsInSibilant(w string) bool {
	return strings.HasSuffix(w, "s") || strings.HasSuffix(w, "x") || strings.HasSuffix(w, "z")
}

// contracted drops the e of a final -el, -er or -en after a consonant:
// regel → regl, nummer → numr, vatten → vattn.
func contracted(w string) (string, bool) {
	if len(w) < 5 {
		return "", false
	}
	end := w[len(w)-2:]
	if end != "el" && end != "er" && end != "en" {
		return "", false
	}
	before, _ := lastLetter(w[:len(w)-2])
	if isVowel(before) {
		return "", false
	}
	return w[:len(w)-2] + w[len(w)-1:], true
}

// doubledFinal doubles a final m or n after a single vowel, as short
// vowels require before an ending: program → programm(et), hem → hemm(et).
func doubledFinal(w string) (string, bool) {
	last, rest := lastLetter(w)
	if last != 'm' && last != 'n' {
		return "", false
	}
	before, _ := lastLetter(rest)
	if !isVowel(before) {
		return "", false
	}
	return w + string(last), true
}
