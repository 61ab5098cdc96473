// Package corpus generates a deterministic library of Swedish strategy
// documents and queries for the search benchmarks: titles like
// "Integrationsstrategi för Östersunds kommun 2019", bodies of 300–3000
// words built from sentence templates and a Zipf-distributed municipal
// vocabulary with compounds and inflected forms, and metadata drawn from
// the real kommuner and regions. The text is plausible, not meaningful.
package corpus

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/inkludera/inkludera/internal/nation"
	"github.com/inkludera/inkludera/internal/search"
)

// Kinds of documents, as the library names them.
var Kinds = []string{"strategi", "program", "plan", "policy", "riktlinjer"}

// Year range of the documents.
const (
	FirstYear = 2008
	LastYear  = 2025
)

// zipf draws ranks 0..n-1 with probability proportional to 1/(rank+1)^s.
type zipf struct{ cum []float64 }

func newZipf(n int, s float64) zipf {
	z := zipf{cum: make([]float64, n)}
	total := 0.0
	for i := range n {
		total += 1 / math.Pow(float64(i+1), s)
		z.cum[i] = total
	}
	for i := range z.cum {
		z.cum[i] /= total
	}
	return z
}

func (z zipf) draw(r *rand.Rand) int {
	return min(sort.SearchFloat64s(z.cum, r.Float64()), len(z.cum)-1)
}

type org struct {
	code, name         string
	region, regionName string
	shortName          string // for titles: "Östersunds kommun"
}

// generator holds the parsed vocabulary and its samplers.
type generator struct {
	r                               *rand.Rand
	nouns                           [][4]string
	heads                           [][4]string
	adjectives, verbs               [][]string
	nounZ, modZ, headZ, adjZ, verbZ zipf
	phraseZ, templateZ              zipf
	orgs                            []org
	placeNames                      []string
}

func newGenerator(seed uint64) *generator {
	g := &generator{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
	byLemma := map[string][4]string{}
	for _, line := range nouns {
		f := strings.Fields(line)
		forms := [4]string{f[0], f[1], f[2], f[3]}
		g.nouns = append(g.nouns, forms)
		byLemma[f[0]] = forms
	}
	for _, h := range heads {
		forms, ok := byLemma[h]
		if !ok {
			forms, ok = headForms[h]
		}
		if !ok {
			panic("corpus: no forms for the head " + h)
		}
		g.heads = append(g.heads, forms)
	}
	for _, a := range adjectives {
		g.adjectives = append(g.adjectives, strings.Fields(a))
	}
	for _, v := range verbs {
		g.verbs = append(g.verbs, strings.Fields(v))
	}
	g.nounZ = newZipf(len(g.nouns), 1.0)
	g.modZ = newZipf(len(modifiers), 1.0)
	g.headZ = newZipf(len(g.heads), 0.9)
	g.adjZ = newZipf(len(g.adjectives), 1.0)
	g.verbZ = newZipf(len(g.verbs), 0.9)
	g.phraseZ = newZipf(len(phrases), 1.0)
	g.templateZ = newZipf(len(templates), 0.5)

	regionByCode := map[string]nation.Region{}
	for _, r := range nation.Regions() {
		regionByCode[r.Code] = r
		g.orgs = append(g.orgs, org{code: r.Code, name: r.Name, region: r.Code, regionName: r.County, shortName: r.Name})
	}
	for _, k := range nation.Kommuner() {
		r := regionByCode[k.County]
		name := genitive(k.Name) + " kommun"
		g.orgs = append(g.orgs, org{code: k.Code, name: name, region: k.County, regionName: r.County, shortName: name})
		g.placeNames = append(g.placeNames, k.Name)
	}
	return g
}

// genitive adds the s-genitive: Östersund → Östersunds, Borås → Borås.
func genitive(name string) string {
	if strings.HasSuffix(name, "s") || strings.HasSuffix(name, "x") || strings.HasSuffix(name, "z") {
		return name
	}
	return name + "s"
}

// Documents generates n documents with ids 1..n; the same n and seed give
// the same documents.
func Documents(n int, seed uint64) []search.Document {
	g := newGenerator(seed)
	docs := make([]search.Document, n)
	for i := range docs {
		docs[i] = g.document(int64(i + 1))
	}
	return docs
}

func (g *generator) document(id int64) search.Document {
	// Regions write about one document in eight.
	var o org
	if g.r.IntN(8) == 0 {
		o = g.orgs[g.r.IntN(len(nation.Regions()))]
	} else {
		o = g.orgs[len(nation.Regions())+g.r.IntN(len(g.orgs)-len(nation.Regions()))]
	}
	kind := Kinds[g.r.IntN(len(Kinds))]
	year := FirstYear + g.r.IntN(LastYear-FirstYear+1)
	words := 300 + g.r.IntN(2701)
	return search.Document{
		ID:      id,
		Title:   g.title(kind, o, year),
		Text:    g.body(o, year, words),
		OrgCode: o.code, OrgName: o.name,
		Region: o.region, RegionName: o.regionName,
		Kind: kind, Year: year,
	}
}

var titleTopics = []string{
	"integration", "mottagande av nyanlända", "social sammanhållning",
	"mångfald och inkludering", "arbetsmarknadsinsatser", "språkutveckling",
	"bosättning och etablering", "föreningslivets integrationsarbete",
	"jämställd integration", "delaktighet och demokrati", "barn och unga",
	"kompetensförsörjning", "ensamkommande barn", "samhällsorientering",
}

func (g *generator) title(kind string, o org, year int) string {
	topic := titleTopics[g.r.IntN(len(titleTopics))]
	switch kind {
	case "strategi":
		prefix := []string{"Integrationsstrategi", "Mångfaldsstrategi", "Etableringsstrategi", "Strategi för " + topic}[g.r.IntN(4)]
		return fmt.Sprintf("%s för %s %d", prefix, o.shortName, year)
	case "program":
		return fmt.Sprintf("Program för %s %d–%d, %s", topic, year, year+3, o.shortName)
	case "plan":
		prefix := []string{"Handlingsplan", "Aktivitetsplan", "Plan"}[g.r.IntN(3)]
		return fmt.Sprintf("%s för %s %d", prefix, topic, year)
	case "policy":
		return fmt.Sprintf("Policy för %s – %s", topic, o.shortName)
	default:
		return fmt.Sprintf("Riktlinjer för %s %d", topic, year)
	}
}

func (g *generator) body(o org, year, words int) string {
	var b strings.Builder
	b.Grow(words * 9)
	written := 0
	section := 1
	for written < words {
		if g.r.IntN(6) == 0 {
			h := fmt.Sprintf("Fokusområde %d: %s", section, capitalise(g.adjective(2)+" "+g.noun()))
			section++
			b.WriteString(h)
			b.WriteString("\n\n")
			written += strings.Count(h, " ") + 1
		}
		sentences := 3 + g.r.IntN(5)
		for s := 0; s < sentences && written < words; s++ {
			sent := g.sentence(o, year)
			if s > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(sent)
			written += strings.Count(sent, " ") + 1
		}
		b.WriteString("\n\n")
	}
	return strings.TrimSpace(b.String())
}

func (g *generator) sentence(o org, year int) string {
	t := templates[g.templateZ.draw(g.r)]
	var b strings.Builder
	for len(t) > 0 {
		i := strings.IndexByte(t, '{')
		if i < 0 {
			b.WriteString(t)
			break
		}
		b.WriteString(t[:i])
		j := strings.IndexByte(t, '}')
		slot := t[i+1 : j]
		t = t[j+1:]
		switch slot {
		case "N":
			b.WriteString(g.noun())
		case "A":
			b.WriteString(g.adjective(g.r.IntN(3)))
		case "V":
			b.WriteString(g.verbs[g.verbZ.draw(g.r)][0])
		case "VP":
			b.WriteString(g.verbs[g.verbZ.draw(g.r)][1])
		case "P":
			b.WriteString(phrases[g.phraseZ.draw(g.r)])
		case "O":
			if g.r.IntN(2) == 0 {
				b.WriteString(o.shortName)
			} else {
				b.WriteString("kommunen")
			}
		case "Y":
			b.WriteString(strconv.Itoa(year - 2 + g.r.IntN(6)))
		case "D":
			b.WriteString(strconv.Itoa(1 + g.r.IntN(99)))
		}
	}
	return capitalise(b.String())
}

// noun is a noun phrase's noun: a listed noun, a compound, or now and then
// a rare word (a place name, a three-part compound).
func (g *generator) noun() string {
	form := g.form()
	switch x := g.r.IntN(100); {
	case x < 2:
		return g.placeNames[g.r.IntN(len(g.placeNames))]
	case x < 4:
		return modifiers[g.r.IntN(len(modifiers))] + modifiers[g.r.IntN(len(modifiers))] + g.heads[g.r.IntN(len(g.heads))][form]
	case x < 36:
		return modifiers[g.modZ.draw(g.r)] + g.heads[g.headZ.draw(g.r)][form]
	}
	return g.nouns[g.nounZ.draw(g.r)][form]
}

// form draws an inflection: indefinite 40 %, definite 25 %, plural 20 %,
// definite plural 15 %.
func (g *generator) form() int {
	switch x := g.r.IntN(100); {
	case x < 40:
		return 0
	case x < 65:
		return 1
	case x < 85:
		return 2
	}
	return 3
}

func (g *generator) adjective(form int) string {
	return g.adjectives[g.adjZ.draw(g.r)][form]
}

func capitalise(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}
