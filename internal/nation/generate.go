package nation

import (
	"cmp"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/inkludera/inkludera/internal/strategy"
)

// Config chooses what the generator makes. The zero value of a field
// means its default.
type Config struct {
	Seed       uint64 // the same seed gives the same data
	From       int    // first year; default 2000
	Years      int    // number of years; default 25 (2000–2024)
	Indicators int    // default BaseIndicators (60); at most MaxIndicators()
}

// Defaults of Config.
const (
	DefaultFrom  = 2000
	DefaultYears = 25
)

// PeerGroupSize is how many kommuner a generated peer group has.
const PeerGroupSize = 7

// referenceYear anchors the series' levels and trends, so that the values
// of a year do not depend on the first year generated.
const referenceYear = 2000

// Generator makes the national demo: every kommun's traits, then per
// indicator the values of all kommuner, regions and riket. Observations
// of one indicator depend only on the seed, the indicator and the years,
// so an import can take them one indicator at a time.
type Generator struct {
	cfg      Config
	series   []series
	kommuner []kommunTraits
	regions  []Region
}

// kommunTraits is a kommun's invented character, which its values follow
// and its peer group is computed from.
type kommunTraits struct {
	Kommun
	population int     // at the last year generated; the län's real population shared out
	growth     float64 // yearly population growth
	urbanity   float64 // 0 rural … 1 city
	socio      float64 // socio-economy, a standard score: higher is better off
	foreign    float64 // share of foreign-born at the last year, 0–1

	zUrban, zForeign, zSize float64 // standard scores among the kommuner
}

// New makes a generator, computing every kommun's traits.
func New(cfg Config) (*Generator, error) {
	if cfg.From == 0 {
		cfg.From = DefaultFrom
	}
	if cfg.Years == 0 {
		cfg.Years = DefaultYears
	}
	if cfg.Indicators == 0 {
		cfg.Indicators = BaseIndicators
	}
	switch {
	case cfg.From < 1900 || cfg.From+cfg.Years-1 > 2200:
		return nil, strategy.Errorf(strategy.CodeInvalid, "the years %d–%d are not plausible", cfg.From, cfg.From+cfg.Years-1)
	case cfg.Years < 1:
		return nil, strategy.Errorf(strategy.CodeInvalid, "the number of years must be at least 1, got %d", cfg.Years)
	case cfg.Indicators < 1 || cfg.Indicators > len(allSeries):
		return nil, strategy.Errorf(strategy.CodeInvalid, "the number of indicators must be 1–%d, got %d", len(allSeries), cfg.Indicators)
	}
	g := &Generator{cfg: cfg, series: allSeries[:cfg.Indicators], regions: Regions()}
	g.kommuner = traits(cfg.Seed, Kommuner(), g.regions)
	return g, nil
}

// IndicatorsFor returns the fewest indicators whose observations over the
// given years number at least n; CodeInvalid when even all of them fall
// short, with the years that would do.
func IndicatorsFor(n, years int) (int, error) {
	if years < 1 {
		years = DefaultYears
	}
	probe := Config{From: DefaultFrom, Years: years}
	total := 0
	for i, s := range allSeries {
		total += rowsOf(s, probe)
		if total >= n {
			return max(i+1, 1), nil
		}
	}
	need := int(math.Ceil(float64(years) * float64(n) / float64(total)))
	return 0, strategy.Errorf(strategy.CodeInvalid,
		"%d observations need more than the %d indicators the demo has over %d years (%d observations); give about %d years",
		n, len(allSeries), years, total, need)
}

// organisationsPerIndicator is riket, the regions and the kommuner.
func organisationsPerIndicator() int { return 1 + len(load().regions) + len(load().kommuner) }

// rowsOf is how many observations a series has over cfg's years: every
// organisation, year and gender gets a row, whose value may be missing.
func rowsOf(s series, cfg Config) int {
	years := 0
	for y := cfg.From; y < cfg.From+cfg.Years; y++ {
		if s.hasYear(y) {
			years++
		}
	}
	genders := 3
	if s.total {
		genders = 1
	}
	return years * genders * organisationsPerIndicator()
}

func (s series) hasYear(y int) bool {
	if s.since != 0 && y < s.since {
		return false
	}
	return !s.election || (y >= 1998 && (y-1998)%4 == 0)
}

// Years returns the first year and the number of years generated.
func (g *Generator) Years() (from, years int) { return g.cfg.From, g.cfg.Years }

// Count is how many observations Observations makes over all indicators.
func (g *Generator) Count() int {
	n := 0
	for _, s := range g.series {
		n += rowsOf(s, g.cfg)
	}
	return n
}

// Organisations is riket, the regions and the kommuner (Organisations).
func (g *Generator) Organisations() []strategy.Organisation { return Organisations() }

// Indicators returns the generated indicators, in the order Observations
// takes them.
func (g *Generator) Indicators() []strategy.Indicator {
	out := make([]strategy.Indicator, len(g.series))
	for i, s := range g.series {
		out[i] = s.indicator()
	}
	return out
}

// seeded returns a random source that depends only on the seed and the
// parts, so that every kommun and series has its own stream whatever else
// is generated.
func seeded(seed uint64, parts ...string) *rand.Rand {
	h := fnv.New64a()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return rand.New(rand.NewPCG(seed, h.Sum64()))
}

// traits invents every kommun's character. Populations share out each
// län's real population: a residence city (code ending in 80) weighs
// seven times a typical kommun, Stockholm, Göteborg and Malmö twenty, the
// other large towns (81–89) two and a half times.
func traits(seed uint64, kommuner []Kommun, regions []Region) []kommunTraits {
	out := make([]kommunTraits, len(kommuner))
	weights := make([]float64, len(kommuner))
	sums := map[string]float64{}
	rngs := make([]*rand.Rand, len(kommuner))
	for i, k := range kommuner {
		r := seeded(seed, "traits", k.Code)
		rngs[i] = r
		w := math.Exp(0.75 * r.NormFloat64())
		switch suffix := k.Code[2:]; {
		case k.Code == "0180" || k.Code == "1480" || k.Code == "1280":
			w *= 20
		case suffix == "80":
			w *= 7
		case suffix > "80":
			w *= 2.5
		case k.County == "01":
			w *= 1.8
		}
		weights[i] = w
		sums[k.County] += w
	}
	population := map[string]int{}
	for _, r := range regions {
		population[r.Code] = r.Population
	}
	for i, k := range kommuner {
		r := rngs[i]
		t := kommunTraits{Kommun: k}
		t.population = max(2000, int(math.Round(float64(population[k.County])*weights[i]/sums[k.County])))
		metro := 0.0
		switch k.County {
		case "01":
			metro = 0.2
		case "12", "14":
			metro = 0.08
		}
		t.urbanity = clamp(0.15+0.22*math.Log(float64(t.population)/12000)+metro+0.08*r.NormFloat64(), 0, 1)
		t.socio = 0.8*r.NormFloat64() + 2.5*metro + 0.15*t.urbanity
		boost := 0.0
		if t.urbanity < 0.4 && r.Float64() < 0.12 {
			boost = 0.07 // a bruksort that received many refugees
		}
		t.foreign = clamp(0.11+0.14*t.urbanity+0.04*r.NormFloat64()-0.02*t.socio+boost, 0.04, 0.6)
		t.growth = 0.006 + 0.008*(t.urbanity-0.4)
		out[i] = t
	}
	standardise(out, func(t *kommunTraits) (float64, *float64) { return t.urbanity, &t.zUrban })
	standardise(out, func(t *kommunTraits) (float64, *float64) { return t.foreign, &t.zForeign })
	standardise(out, func(t *kommunTraits) (float64, *float64) { return math.Log(float64(t.population)), &t.zSize })
	return out
}

// standardise sets a standard score from a value of every kommun.
func standardise(ts []kommunTraits, field func(*kommunTraits) (float64, *float64)) {
	var sum, sq float64
	for i := range ts {
		v, _ := field(&ts[i])
		sum += v
		sq += v * v
	}
	n := float64(len(ts))
	mean := sum / n
	sd := math.Sqrt(max(sq/n-mean*mean, 1e-12))
	for i := range ts {
		v, z := field(&ts[i])
		*z = (v - mean) / sd
	}
}

func clamp(v, lo, hi float64) float64 { return math.Min(hi, math.Max(lo, v)) }

// populationIn is the kommun's population in year y.
func (t *kommunTraits) populationIn(y, last int) float64 {
	return math.Max(1000, float64(t.population)*(1+t.growth*float64(y-last)))
}

// foreignIn is the kommun's share of foreign-born in year y: Sweden's
// went from about 11 % in 2000 to 20 % in 2024.
func (t *kommunTraits) foreignIn(y int) float64 {
	return t.foreign * (0.55 + 0.45*clamp(float64(y-2000)/24, 0, 1))
}

// PeerGroups returns every kommun's peer group: the PeerGroupSize
// kommuner nearest to it by the traits its values follow (size,
// urbanity, socio-economy, share of foreign-born). That is what Kolada's
// "Liknande kommuner socioekonomi" groups are, computed by Kolada from
// real statistics; real groups come from Kolada's municipality_groups
// when fetched, and these are stand-ins named like them.
func (g *Generator) PeerGroups() []strategy.OrgGroup {
	year := g.cfg.From + g.cfg.Years - 1
	out := make([]strategy.OrgGroup, len(g.kommuner))
	type near struct {
		code string
		d    float64
	}
	for i, a := range g.kommuner {
		others := make([]near, 0, len(g.kommuner)-1)
		for j, b := range g.kommuner {
			if i == j {
				continue
			}
			d := sq(a.zSize-b.zSize) + sq(a.zUrban-b.zUrban) + 1.4*sq(a.socio-b.socio) + 1.4*sq(a.zForeign-b.zForeign)
			others = append(others, near{b.Code, d})
		}
		slices.SortFunc(others, func(x, y near) int {
			return cmp.Or(cmp.Compare(x.d, y.d), cmp.Compare(x.code, y.code))
		})
		members := make([]string, PeerGroupSize)
		for m := range members {
			members[m] = others[m].code
		}
		out[i] = strategy.OrgGroup{
			ID:      PeerGroupID(a.Code),
			Title:   fmt.Sprintf("Liknande kommuner socioekonomi, %s, %d", a.Name, year),
			Kind:    strategy.GroupPeers,
			Of:      a.Code,
			Year:    year,
			Source:  "demo",
			Members: members,
		}
	}
	return out
}

// PeerGroupID is the id of a kommun's generated peer group.
func PeerGroupID(kommun string) string { return KeyPrefix + "liknande-" + kommun }

func sq(v float64) float64 { return v * v }

// Observations returns the values of the i-th indicator for riket, every
// region and every kommun, ordered as the store's key: organisation code,
// year, then gender K, M, T. Regions and riket get the
// population-weighted mean of their kommuner's values (the sum for
// counts); a missing kommun value is left out of it.
func (g *Generator) Observations(i int) []strategy.Observation {
	s := g.series[i]
	key := KeyPrefix + s.slug
	last := g.cfg.From + g.cfg.Years - 1
	var years []int
	for y := g.cfg.From; y <= last; y++ {
		if s.hasYear(y) {
			years = append(years, y)
		}
	}
	genders := []strategy.Gender{strategy.Women, strategy.Men, strategy.Total}
	if s.total {
		genders = []strategy.Gender{strategy.Total}
	}
	// values[k][y][gender]: NaN is missing.
	nk, ny, ng := len(g.kommuner), len(years), len(genders)
	values := make([]float64, nk*ny*ng)
	at := func(k, y, gi int) *float64 { return &values[(k*ny+y)*ng+gi] }
	for k := range g.kommuner {
		g.kommunSeries(s, &g.kommuner[k], years, last, func(y, gi int, v float64) { *at(k, y, gi) = v }, ng)
	}

	// Aggregates: riket and each region over its kommuner.
	type aggregate struct {
		code    string
		members func(k int) bool
	}
	aggs := []aggregate{{Riket.Code, func(int) bool { return true }}}
	for _, r := range g.regions {
		aggs = append(aggs, aggregate{r.Code, func(k int) bool { return g.kommuner[k].County == r.Code }})
	}
	aggValues := make([]float64, len(aggs)*ny*ng)
	for a, ag := range aggs {
		for y, year := range years {
			for gi := range genders {
				var sum, weight float64
				for k := range g.kommuner {
					if !ag.members(k) {
						continue
					}
					v := *at(k, y, gi)
					if math.IsNaN(v) {
						continue
					}
					w := g.kommuner[k].populationIn(year, last)
					if s.measure == count {
						w = 1
					}
					sum += v * w
					weight += w
				}
				agg := math.NaN()
				switch {
				case weight == 0:
				case s.measure == count:
					agg = sum
				default:
					agg = s.round(sum / weight)
				}
				aggValues[(a*ny+y)*ng+gi] = agg
			}
			if ng == 3 && s.measure != count {
				// As for a kommun, rounding must not put T outside K and M.
				at := (a*ny + y) * ng
				k, m := aggValues[at], aggValues[at+1]
				if !math.IsNaN(k) && !math.IsNaN(m) && !math.IsNaN(aggValues[at+2]) {
					aggValues[at+2] = clamp(aggValues[at+2], math.Min(k, m), math.Max(k, m))
				}
			}
		}
	}

	type orgRef struct {
		code  string
		value func(y, gi int) float64
	}
	orgs := make([]orgRef, 0, len(aggs)+nk)
	for a := range aggs {
		orgs = append(orgs, orgRef{aggs[a].code, func(y, gi int) float64 { return aggValues[(a*ny+y)*ng+gi] }})
	}
	for k := range g.kommuner {
		orgs = append(orgs, orgRef{g.kommuner[k].Code, func(y, gi int) float64 { return *at(k, y, gi) }})
	}
	slices.SortFunc(orgs, func(a, b orgRef) int { return cmp.Compare(a.code, b.code) })

	out := make([]strategy.Observation, 0, len(orgs)*ny*ng)
	stored := make([]float64, len(orgs)*ny*ng) // the values the observations point into
	for _, o := range orgs {
		for y, year := range years {
			for gi, gender := range genders {
				obs := strategy.Observation{Indicator: key, Org: o.code, Year: year, Gender: gender, Source: "demo"}
				if v := o.value(y, gi); !math.IsNaN(v) {
					stored[len(out)] = v
					obs.Value = &stored[len(out)]
				}
				out = append(out, obs)
			}
		}
	}
	return out
}

// kommunSeries makes one kommun's values of a series for the years and
// hands each to set (gender index in K, M, T order, or 0 for T alone);
// a missing value is NaN.
func (g *Generator) kommunSeries(s series, t *kommunTraits, years []int, last int, set func(y, gi int, v float64), ng int) {
	r := seeded(g.cfg.Seed, s.slug, t.Code)
	// A narrowed series keeps most of its base's lasting deviation: a
	// kommun that does well for the foreign-born does well for most parts
	// of them.
	own := s.spread * r.NormFloat64()
	if s.base != "" {
		baseOwn := s.spread * seeded(g.cfg.Seed, s.base, t.Code).NormFloat64()
		own = 0.7*baseOwn + 0.3*own
	}
	noise := s.noise
	if s.qual != nil {
		noise *= math.Min(3, 1/math.Sqrt(4*s.qual.size))
	}
	ar := noise * r.NormFloat64()
	for yi, y := range years {
		if yi > 0 {
			// Years between two of the series (elections) decorrelate more.
			rho := math.Pow(0.7, float64(y-years[yi-1]))
			ar = rho*ar + noise*math.Sqrt(1-rho*rho)*r.NormFloat64()
		}
		gk, gm := noise*0.5*r.NormFloat64(), noise*0.5*r.NormFloat64()
		missing := s.measure != count && r.Float64() < 0.003
		pop := t.populationIn(y, last)
		group := pop * s.groupShare
		if s.ofForeign {
			group *= t.foreignIn(y)
		}
		suppressed := s.groupShare > 0 && group < suppressBelow
		genderSuppressed := s.groupShare > 0 && group/2 < suppressBelow

		dt := float64(y - referenceYear)
		bump := math.Exp(-sq(float64(y-2016) / 1.5))
		effects := s.socio*t.socio + s.urban*t.zUrban + s.foreign*t.zForeign
		var women, men, total float64
		switch s.measure {
		case share, points:
			hi := 100.0
			if s.measure == points {
				hi = 340
			}
			v := s.level + s.trend*dt + s.wave*bump + effects + s.foreignShare*100*t.foreignIn(y) + own + ar
			women = clamp(v+s.gap/2+gk, 0, hi)
			men = clamp(v-s.gap/2+gm, 0, hi)
			total = (women + men) / 2
			if s.total {
				total = clamp(v+(gk+gm)/2, 0, hi)
			}
		case money:
			v := s.level * math.Exp(s.trend*dt+effects+own+ar) * (1 + s.wave*bump)
			women = v * (1 + s.gap/2 + gk)
			men = v * (1 - s.gap/2 + gm)
			total = (women + men) / 2
			if s.total {
				total = v * (1 + (gk+gm)/2)
			}
		case count:
			rate := (s.level*math.Exp(s.trend*dt) + s.foreignShare*100*t.foreignIn(y)) * (1 + s.wave*bump) *
				math.Exp(effects+own+ar)
			all := math.Max(0, rate/100*pop)
			women = math.Round(all * (0.5 + s.gap/2 + gk/10))
			men = math.Round(all * (0.5 - s.gap/2 + gm/10))
			women, men = math.Max(0, women), math.Max(0, men)
			total = women + men
		}
		vals := []float64{s.round(women), s.round(men), s.round(total)}
		if s.total {
			vals = []float64{s.round(total)}
		}
		if s.measure != count && !s.total {
			// Rounding women and men can put the total outside them.
			vals[2] = clamp(vals[2], math.Min(vals[0], vals[1]), math.Max(vals[0], vals[1]))
		}
		for gi := range ng {
			v := vals[gi]
			if missing || suppressed || (genderSuppressed && gi < 2 && ng == 3) {
				v = math.NaN()
			}
			set(yi, gi, v)
		}
	}
}

// round gives a value the precision the measure is published with.
func (s series) round(v float64) float64 {
	switch s.measure {
	case count:
		return math.Round(v)
	case money:
		return math.Round(v/100) * 100
	}
	return math.Round(v*10) / 10
}
