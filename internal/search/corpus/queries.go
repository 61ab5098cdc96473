package corpus

import (
	"strconv"
	"strings"

	"github.com/inkludera/inkludera/internal/nation"
	"github.com/inkludera/inkludera/internal/search"
)

// Query is a benchmark query: the search.Query, and its pieces for
// engines with another syntax.
type Query struct {
	search.Query
	Class    string     // what it tests: word, inflected, part, compound, phrase, rare, two, three
	Words    []string   // words that must match
	Phrases  [][]string // phrases that must match
	Excluded []string   // words that must not match
}

// Queries generates n queries with the seed: 1–3 words, some phrases,
// some inflected forms or compound parts, some rare words, a fifth with a
// facet filter, a few with an excluded word.
func Queries(n int, seed uint64) []Query {
	g := newGenerator(seed ^ 0x51ed)
	regions := nation.Regions()
	qs := make([]Query, n)
	for i := range qs {
		var q Query
		switch x := g.r.IntN(100); {
		case x < 20:
			q.Class = "word" // a listed noun in its base form
			q.Words = []string{g.nouns[g.nounZ.draw(g.r)][0]}
		case x < 32:
			q.Class = "inflected" // kommunerna, skolans
			f := g.nouns[g.nounZ.draw(g.r)]
			q.Words = []string{f[1+g.r.IntN(3)]}
		case x < 45:
			q.Class = "part" // strategi: mostly inside compounds
			q.Words = []string{g.heads[g.headZ.draw(g.r)][0]}
		case x < 55:
			q.Class = "compound" // integrationsstrategi
			q.Words = []string{modifiers[g.modZ.draw(g.r)] + g.heads[g.headZ.draw(g.r)][g.r.IntN(2)]}
		case x < 67:
			q.Class = "phrase"
			q.Phrases = [][]string{strings.Fields(phrases[g.phraseZ.draw(g.r)])}
		case x < 75:
			q.Class = "rare" // a place name or an unusual compound
			if g.r.IntN(2) == 0 {
				q.Words = []string{strings.ToLower(g.placeNames[g.r.IntN(len(g.placeNames))])}
			} else {
				q.Words = []string{modifiers[len(modifiers)-1-g.r.IntN(20)] + g.heads[len(g.heads)-1-g.r.IntN(15)][0]}
			}
		case x < 90:
			q.Class = "two"
			q.Words = []string{g.nouns[g.nounZ.draw(g.r)][g.form()], g.adjective(g.r.IntN(3))}
		default:
			q.Class = "three"
			q.Words = []string{
				g.nouns[g.nounZ.draw(g.r)][g.form()],
				g.nouns[g.nounZ.draw(g.r)][g.form()],
				g.heads[g.headZ.draw(g.r)][0],
			}
		}
		if g.r.IntN(20) == 0 {
			q.Excluded = []string{g.nouns[g.r.IntN(40)][0]}
		}
		if g.r.IntN(5) == 0 {
			switch g.r.IntN(3) {
			case 0:
				q.Region = regions[g.r.IntN(len(regions))].Code
			case 1:
				q.Kind = Kinds[g.r.IntN(len(Kinds))]
			default:
				q.Year = FirstYear + g.r.IntN(LastYear-FirstYear+1)
			}
		}
		q.Text = q.text()
		qs[i] = q
	}
	return qs
}

func (q Query) text() string {
	var parts []string
	parts = append(parts, q.Words...)
	for _, p := range q.Phrases {
		parts = append(parts, strconv.Quote(strings.Join(p, " ")))
	}
	for _, e := range q.Excluded {
		parts = append(parts, "-"+e)
	}
	return strings.Join(parts, " ")
}
