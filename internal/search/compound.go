package search

import (
	"strings"
	"sync"
	"unicode"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/sv"
	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/swedish"
)

// Decompounding limits.
//
// minPartLen is 3 letters, not 4: the heads and modifiers of municipal
// compounds are often three letters long (delmål, deltid, kommunråd,
// skollag, familjehem, stadsdel, valdeltagande), and with 4 all
// of them would stay whole. The false splits that 3 invites are held off
// by never splitting a known word (företag is not före + tag), by
// preferring the fewest parts, and by a word list that leaves out short
// words that look like suffixes (het, ande, ning).
const (
	minPartLen  = 3
	minSplitLen = 2 * minPartLen // shorter words are never split
	maxWordLen  = 48             // longer tokens are not words worth splitting
)

// wordInfo is the analysis of one lower-cased word.
type wordInfo struct {
	// lemma is the base form of the word; for a compound, the word with its
	// last part in its base form ("integrationsstrategin" →
	// "integrationsstrategi"), so that every inflection of a compound is
	// one term.
	lemma string
	// parts are the base forms of a compound's parts, nil for a simple word.
	parts      []string
	lemmaBytes []byte
	partBytes  [][]byte
	// terms are the stems that are indexed: the lemma's, then the parts'
	// that differ from it, without repeats. Nil for a stop word.
	terms [][]byte
	stop  bool
}

// words caches wordInfo by word. A corpus has far fewer distinct words than
// tokens, so this turns decompounding and stemming into one map lookup.
var words = newCache[*wordInfo]()

// analyseWord returns the cached analysis of a lower-cased word.
func analyseWord(w []byte) *wordInfo {
	if info, ok := words.get(w); ok {
		return info
	}
	s := string(w)
	info := &wordInfo{lemma: s}
	lx := loadLexicon()
	if isStopWord(s) {
		info.stop = true
		words.put(w, info)
		return info
	}
	switch {
	case lx.lemma[s] != "":
		info.lemma = lx.lemma[s]
	case lx.known[s]:
	case !splittable(s):
	case strings.HasSuffix(s, "sson"): // a surname: Karlsson is not karl + son
	case lx.stems[stem(s)]:
	default:
		if parts, lemma, ok := lx.decompound(s); ok {
			info.parts, info.lemma = parts, lemma
		}
	}
	info.lemmaBytes = []byte(info.lemma)
	info.terms = append(info.terms, stemBytes(info.lemmaBytes))
	for _, p := range info.parts {
		pb := []byte(p)
		info.partBytes = append(info.partBytes, pb)
		t := stemBytes(pb)
		dup := false
		for _, have := range info.terms {
			if string(have) == string(t) {
				dup = true
				break
			}
		}
		if !dup {
			info.terms = append(info.terms, t)
		}
	}
	words.put(w, info)
	return info
}

// splittable reports whether s is a run of letters long enough to split.
func splittable(s string) bool {
	n := 0
	for _, r := range s {
		if !unicode.IsLetter(r) {
			return false
		}
		n++
	}
	return n >= minSplitLen && n <= maxWordLen
}

// segmentation is the best split found of a word's suffix.
type segmentation struct {
	parts      []string // base forms
	finalStart int      // byte offset of the last part in the word
	finalLemma string
	cost       int // linking costs summed
	shortest   int // the shortest part's length in letters
}

// better reports whether a is preferred to b: fewer parts; then the
// lower cost, where unusual links and a last part that is an inflected
// form cost one each (jobb + sökande, not jobbs + ökande); then the longer
// shortest part.
func (a *segmentation) better(b *segmentation) bool {
	if b == nil {
		return true
	}
	if len(a.parts) != len(b.parts) {
		return len(a.parts) < len(b.parts)
	}
	if a.cost != b.cost {
		return a.cost < b.cost
	}
	return a.shortest > b.shortest
}

// decompound splits w into two or more parts, each a word of the lexicon:
// every part but the last in one of its combining shapes, the last in any
// inflected form. It returns the parts' base forms and the lemma of the
// whole word.
func (lx *lexicon) decompound(w string) (parts []string, lemma string, ok bool) {
	n := len(w)
	// best[i] is the best segmentation of w[i:]; computed right to left.
	best := make([]*segmentation, n+1)
	for i := n - 1; i >= 0; i-- {
		if !isRuneStart(w, i) {
			continue
		}
		var pick *segmentation
		if i > 0 {
			if base, cost, ok := lx.finalPart(w[i:]); ok {
				pick = &segmentation{parts: []string{base}, finalStart: i, finalLemma: base,
					cost: cost, shortest: runeLen(w[i:])}
			}
		}
		for j := i + 1; j < n; j++ {
			if !isRuneStart(w, j) || best[j] == nil {
				continue
			}
			shapeText := w[i:j]
			l := runeLen(shapeText)
			if l < minPartLen-1 {
				continue
			}
			try := func(c combining, extra int) {
				next := best[j]
				cand := &segmentation{
					parts:      append([]string{c.base}, next.parts...),
					finalStart: next.finalStart,
					finalLemma: next.finalLemma,
					cost:       next.cost + int(c.cost) + extra,
					shortest:   min(next.shortest, l),
				}
				if cand.better(pick) {
					pick = cand
				}
			}
			if c, ok := lx.combining[shapeText]; ok {
				try(c, 0)
			}
			// Three equal consonants are written as two: buss + station
			// is "busstation", so the shape "buss" ends inside the next part.
			if w[j-1] == w[j] && w[j] < 0x80 && !isVowel(rune(w[j])) {
				if c, ok := lx.combining[w[i:j+1]]; ok {
					try(c, 1)
				}
			}
		}
		best[i] = pick
	}
	s := best[0]
	if s == nil || len(s.parts) < 2 {
		return nil, "", false
	}
	return s.parts, w[:s.finalStart] + s.finalLemma, true
}

// finalPart reports whether s can end a compound, its base form, and the
// cost of the reading: 0 for a base form, 1 for an inflected one.
func (lx *lexicon) finalPart(s string) (string, int, bool) {
	if runeLen(s) < minPartLen {
		return "", 0, false
	}
	base := lx.heads[s]
	switch base {
	case "":
		return "", 0, false
	case s:
		return base, 0, true
	}
	return base, 1, true
}

func isRuneStart(s string, i int) bool { return s[i] < 0x80 || s[i] >= 0xC0 }

// stopWords is Snowball's Swedish stop-word list, as bleve ships it.
var stopWords = sync.OnceValue(func() analysis.TokenMap {
	tm := analysis.NewTokenMap()
	if err := tm.LoadBytes(sv.SwedishStopWords); err != nil {
		panic("search: bleve's Swedish stop words: " + err.Error())
	}
	return tm
})

func isStopWord(s string) bool { return stopWords()[s] }

// stemCache caches the Snowball stem of a word. bleve's stemmer filter
// allocates a new stemming environment per token; cached, each distinct
// word is stemmed once. The slices it returns are shared: read only.
var stemCache = newCache[[]byte]()

// stemBytes is the Swedish Snowball stem of a lower-cased word, the
// algorithm bleve's lang/sv stemmer and PostgreSQL's 'swedish'
// configuration run.
func stemBytes(w []byte) []byte {
	if s, ok := stemCache.get(w); ok {
		return s
	}
	env := snowballstem.NewEnv(string(w))
	swedish.Stem(env)
	s := []byte(env.Current())
	stemCache.put(w, s)
	return s
}

func stem(w string) string { return string(stemBytes([]byte(w))) }

// Expand returns the parts of the compound words of text, in their base
// forms and separated by spaces, one group per occurrence:
// Expand("integrationsstrategin") == "integration strategi". The
// PostgreSQL search appends it to the text before to_tsvector('swedish',
// …), so that "strategi" finds "integrationsstrategin" there too.
func Expand(text string) string {
	var b strings.Builder
	eachWord(text, func(w []byte, _, _ int) {
		for _, p := range analyseWord(w).parts {
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(p)
		}
	})
	return b.String()
}

// Lemmatize returns text's words in lower case with each replaced by its
// base form ("skolan" → "skola", "integrationsstrategin" →
// "integrationsstrategi"), one word for each word so that phrases still
// line up. PostgreSQL's Swedish stemmer does not know that "skolan" is
// "skola"; to_tsvector('swedish', Lemmatize(text) || ' ' || Expand(text))
// and plainto_tsquery('swedish', Lemmatize(query)) give the PostgreSQL
// search the lemmas this package's index has.
func Lemmatize(text string) string {
	var b strings.Builder
	eachWord(text, func(w []byte, _, _ int) {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(analyseWord(w).lemma)
	})
	return b.String()
}

// Terms returns the analysed terms of text with their counts: lower-cased,
// compound words with their parts, stop words left out, each stemmed as the
// index stems it. It is the input of related documents.
func Terms(text string) map[string]int {
	out := map[string]int{}
	eachWord(text, func(w []byte, _, _ int) {
		for _, t := range analyseWord(w).terms {
			out[string(t)]++
		}
	})
	return out
}
