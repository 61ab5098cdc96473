package nation

import "github.com/inkludera/inkludera/internal/strategy"

// measure is the kind of value a series has, which decides its unit, its
// model (additive or multiplicative), rounding and how regions aggregate
// it.
type measure int

const (
	share  measure = iota // a percentage, 0–100: additive, one decimal, population-weighted mean
	count                 // people or things: a rate of the population, whole numbers, T = K + M, summed
	money                 // kronor: multiplicative, rounded to 100 kr, population-weighted mean
	points                // meritvärde, 0–340: additive, one decimal, population-weighted mean
)

func (m measure) unit() string {
	return [...]string{share: "%", count: "antal", money: "kr", points: "poäng"}[m]
}

func (m measure) label() string {
	return [...]string{share: "andel (%)", count: "antal", money: "kr", points: "meritvärde"}[m]
}

// series says how an indicator's values are made from a kommun's traits.
// Effects are in the unit of level for shares and points, and relative
// (log scale) for counts and money.
type series struct {
	slug     string // the key without "demo-"
	subject  string // the title before the qualifier and the measure
	label    string // the measure in the title; "" for the measure's own
	measure  measure
	polarity strategy.Polarity

	level float64 // a typical kommun in 2000: % for shares and counts (a rate of the population), kr, points
	trend float64 // per year: points of level for shares and points, growth rate for counts and money
	wave  float64 // the refugee reception peak around 2016: points of level, or relative for counts and money

	// Effects of one standard score of the kommun's socio-economy,
	// urbanity and share of foreign-born.
	socio, urban, foreign float64
	// foreignShare adds this times the kommun's share of foreign-born in
	// per cent that year: population shares and counts of foreign-born.
	foreignShare float64
	// gap is women minus men: points of level for shares and points,
	// relative for money, and for counts women's share of the total minus
	// men's.
	gap float64

	spread float64 // sd of a kommun's lasting deviation
	noise  float64 // sd of the year-to-year deviation, which carries over (AR(1))

	since    int  // first year with values; 0: from the first year generated
	election bool // values only in election years (2002, 2006, …)
	total    bool // no breakdown by gender

	// Small groups are suppressed, as statistics offices do: groupShare
	// is the size of the group measured as a share of the population, or
	// of the foreign-born when ofForeign; a value for a group of fewer
	// than suppressBelow people is missing, and K and M are missing when
	// half the group is.
	groupShare float64
	ofForeign  bool

	variants bool // also generated for every qualifier (qualifiers)
	base     string
	qual     *qualifier
}

const suppressBelow = 10

func newSeries(m measure, slug, subject string, pol strategy.Polarity, level, trend, gap float64) series {
	s := series{slug: slug, subject: subject, measure: m, polarity: pol, level: level, trend: trend, gap: gap}
	switch m {
	case share:
		s.spread, s.noise = 3, 1.2
	case points:
		s.spread, s.noise = 10, 5
	case money:
		s.spread, s.noise = 0.05, 0.015
	case count:
		s.spread, s.noise = 0.25, 0.08
		s.polarity = strategy.Neutral
	}
	return s
}

func (s series) by(socio, urban, foreign float64) series {
	s.socio, s.urban, s.foreign = socio, urban, foreign
	return s
}
func (s series) from(year int) series         { s.since = year; return s }
func (s series) peak(wave float64) series     { s.wave = wave; return s }
func (s series) elections() series            { s.election = true; return s }
func (s series) totalOnly() series            { s.total = true; return s }
func (s series) per(label string) series      { s.label = label; return s }
func (s series) foreignBorn(k float64) series { s.foreignShare = k; return s }
func (s series) deviation(spread, noise float64) series {
	s.spread, s.noise = spread, noise
	return s
}
func (s series) small(share float64, ofForeign bool) series {
	s.groupShare, s.ofForeign = share, ofForeign
	return s
}
func (s series) qualified() series { s.variants = true; return s }

// catalogue is the 60 indicators of the default demo, by area. Levels,
// trends and gaps are plausible, not measured.
var catalogue = []series{
	// Arbetsmarknad.
	newSeries(share, "sysselsatta-utrikes-20-64", "Förvärvsarbetande invånare 20–64 år, utrikes födda", strategy.HigherIsBetter, 52, 0.55, -7).
		by(4, 1, -2).small(0.65, true).qualified(),
	newSeries(share, "sysselsatta-inrikes-20-64", "Förvärvsarbetande invånare 20–64 år, inrikes födda", strategy.HigherIsBetter, 79, 0.2, -2).
		by(3, 0, 0),
	newSeries(share, "sysselsatta-20-64", "Förvärvsarbetande invånare 20–64 år", strategy.HigherIsBetter, 76, 0.25, -3).
		by(3.5, 0.5, -1.5),
	newSeries(share, "arbetslosa-utrikes-16-64", "Öppet arbetslösa och sökande i program med aktivitetsstöd 16–64 år, utrikes födda", strategy.LowerIsBetter, 15, 0.1, 1).
		by(-3, 0.5, 1.5).peak(3).small(0.7, true).qualified(),
	newSeries(share, "arbetslosa-inrikes-16-64", "Öppet arbetslösa och sökande i program med aktivitetsstöd 16–64 år, inrikes födda", strategy.LowerIsBetter, 5, -0.05, -0.5).
		by(-1.5, -0.3, 0.3).deviation(1.2, 0.5),
	newSeries(share, "langtidsarbetslosa-utrikes-25-64", "Långtidsarbetslösa 25–64 år, utrikes födda", strategy.LowerIsBetter, 6, 0.12, 1).
		by(-1.5, 0.3, 1).deviation(1.5, 0.6).small(0.6, true).qualified(),
	newSeries(share, "unga-varken-arbete-studier-utrikes", "Unga 20–25 år som varken arbetar eller studerar, utrikes födda", strategy.LowerIsBetter, 17, -0.1, 2).
		by(-2.5, 0.5, 1).small(0.08, true).qualified(),
	newSeries(share, "etablerade-utrikes-20-64", "Etablerade på arbetsmarknaden 20–64 år, utrikes födda", strategy.HigherIsBetter, 42, 0.6, -8).
		by(4, 1, -2).small(0.65, true).qualified(),
	newSeries(share, "egenforetagare-utrikes-20-64", "Egenföretagare 20–64 år, utrikes födda", strategy.Neutral, 8, 0.1, -5).
		by(0.5, 1, 0.5).deviation(1.5, 0.6).small(0.65, true).qualified(),
	newSeries(share, "ofrivillig-deltid-utrikes", "Ofrivilligt deltidsarbetande, utrikes födda", strategy.LowerIsBetter, 9, -0.1, 6).
		by(-1, 0, 1).deviation(1.5, 0.7).small(0.4, true).qualified(),
	newSeries(share, "overkvalificerade-utrikes", "Utrikes födda med eftergymnasial utbildning i arbeten som inte kräver den", strategy.LowerIsBetter, 34, -0.2, 2).
		by(-2, -2, 1).small(0.2, true).qualified(),
	newSeries(share, "kommunanstallda-utrikes", "Anställda i kommunen som är utrikes födda", strategy.HigherIsBetter, 2, 0.15, 2).
		by(0, 1, 0).foreignBorn(0.6).deviation(1.5, 0.5).small(0.05, true).qualified(),

	// Etablering och nyanlända.
	newSeries(count, "mottagna-nyanlanda", "Mottagna nyanlända med uppehållstillstånd (kommunmottagna)", strategy.Neutral, 0.2, 0, -0.06).
		by(-0.3, -0.1, 0.1).peak(2.5),
	newSeries(share, "etablering-arbete-studier-90-dagar", "Lämnat etableringsuppdraget och börjat arbeta eller studera (status efter 90 dagar)", strategy.HigherIsBetter, 30, 1.2, -10).
		by(3, 1, -1).from(2011).deviation(5, 3).small(0.012, true),
	newSeries(share, "etablering-arbete-90-dagar", "Lämnat etableringsuppdraget och börjat arbeta (status efter 90 dagar)", strategy.HigherIsBetter, 18, 1.0, -9).
		by(3, 1, -1).from(2011).deviation(4, 3).small(0.012, true),
	newSeries(count, "deltagare-etableringsprogrammet", "Deltagare i etableringsprogrammet", strategy.Neutral, 0.3, 0.01, 0).
		from(2011).peak(2.5),
	newSeries(share, "sfi-klarat-tva-kurser", "Elever i sfi som klarat minst två kurser, av nybörjare två år tidigare", strategy.HigherIsBetter, 40, 0.4, 6).
		by(2, 1, 0).deviation(5, 2.5).small(0.02, true),
	newSeries(share, "sfi-avbrott", "Elever i sfi som avbrutit studierna", strategy.LowerIsBetter, 24, -0.2, -4).
		by(-1, 0, 0.5).deviation(4, 2).small(0.03, true),
	newSeries(count, "sfi-elever", "Elever i sfi", strategy.Neutral, 0.5, 0.02, 0.12).
		by(0, 0.1, 0.2).peak(1),
	newSeries(share, "samhallsorientering-inom-ett-ar", "Nyanlända som påbörjat samhällsorientering inom ett år", strategy.HigherIsBetter, 55, 1.5, -2).
		by(1, 1, 0).from(2011).deviation(8, 3).small(0.01, true),
	newSeries(count, "ensamkommande-barn", "Ensamkommande barn och unga i kommunens mottagande", strategy.Neutral, 0.04, 0.02, -0.35).
		by(-0.2, -0.3, 0).from(2006).peak(6),
	newSeries(share, "anvisade-mottagna-inom-tva-manader", "Anvisade nyanlända som tagits emot inom två månader", strategy.HigherIsBetter, 70, 2, 0).
		by(1, -1, 0).from(2016).deviation(10, 4).totalOnly(),
	newSeries(share, "nyanlanda-forstahandskontrakt", "Nyanlända som efter två år har förstahandskontrakt", strategy.HigherIsBetter, 40, 0.5, 0).
		by(2, -3, 0).from(2011).deviation(8, 3).small(0.01, true),
	newSeries(share, "nyanlanda-i-utbildning", "Nyanlända 20–64 år i reguljär utbildning efter etableringen", strategy.HigherIsBetter, 15, 0.4, 5).
		by(1, 1, 0).from(2011).deviation(4, 2).small(0.01, true),

	// Befolkning.
	newSeries(share, "utrikes-fodda", "Utrikes födda", strategy.Neutral, 0, 0, 0.5).
		foreignBorn(1).per("andel av befolkningen (%)").deviation(0.3, 0.15),
	newSeries(count, "utrikes-fodda-antal", "Utrikes födda", strategy.Neutral, 0, 0, 0.02).
		foreignBorn(1).deviation(0.02, 0.01),
	newSeries(share, "fodda-utanfor-europa", "Födda utanför Europa", strategy.Neutral, 0, 0, -0.3).
		foreignBorn(0.6).per("andel av befolkningen (%)").deviation(0.8, 0.15),
	newSeries(share, "barn-utlandsk-bakgrund", "Barn 0–17 år med utländsk bakgrund", strategy.Neutral, 1, 0, 0).
		foreignBorn(1.3).deviation(1.5, 0.3),
	newSeries(count, "invandrade", "Invandrade under året", strategy.Neutral, 0.6, 0.02, -0.04).
		foreignBorn(0.02).by(0, 0.1, 0.1).peak(0.8),
	newSeries(count, "utvandrade", "Utvandrade under året", strategy.Neutral, 0.3, 0.02, -0.02).
		foreignBorn(0.01).by(0.05, 0.1, 0),
	newSeries(count, "nya-medborgare", "Personer som blivit svenska medborgare under året", strategy.Neutral, 0.3, 0.02, 0.04).
		foreignBorn(0.01).peak(0.5),
	newSeries(share, "utflyttade-nyanlanda", "Nyanlända som flyttat från kommunen inom ett år efter mottagandet", strategy.LowerIsBetter, 25, -0.3, 0).
		by(-2, -3, -1).from(2011).deviation(8, 4).small(0.01, true),

	// Utbildning.
	newSeries(share, "eftergymnasial-utrikes-25-64", "Invånare 25–64 år med eftergymnasial utbildning, utrikes födda", strategy.HigherIsBetter, 30, 0.6, 7).
		by(5, 3, -1).small(0.6, true).qualified(),
	newSeries(share, "eftergymnasial-inrikes-25-64", "Invånare 25–64 år med eftergymnasial utbildning, inrikes födda", strategy.HigherIsBetter, 33, 0.5, 12).
		by(5, 3, 0),
	newSeries(share, "forgymnasial-utrikes-25-64", "Invånare 25–64 år med högst förgymnasial utbildning, utrikes födda", strategy.LowerIsBetter, 30, -0.3, 1).
		by(-3, -1, 1).small(0.6, true).qualified(),
	newSeries(share, "behoriga-yrkesprogram-nyinvandrade", "Elever i åk 9 som invandrat de senaste fyra åren, behöriga till yrkesprogram", strategy.HigherIsBetter, 32, 0.3, 3).
		by(3, 1, -1).deviation(6, 5).small(0.004, true),
	newSeries(points, "meritvarde-nyinvandrade", "Genomsnittligt meritvärde i åk 9, elever som invandrat de senaste fyra åren", strategy.HigherIsBetter, 140, 0.8, 12).
		by(8, 3, -3).from(2006).deviation(14, 9).small(0.004, true),
	newSeries(share, "behoriga-yrkesprogram-utlandsk-bakgrund", "Elever i åk 9 med utländsk bakgrund, behöriga till yrkesprogram", strategy.HigherIsBetter, 70, 0.1, 3).
		by(4, 1, -1).deviation(5, 3).small(0.012, true),
	newSeries(share, "gymnasieexamen-utlandsk-bakgrund", "Gymnasieelever med utländsk bakgrund med examen inom fyra år", strategy.HigherIsBetter, 58, 0.3, 5).
		by(4, 1, -1).from(2014).deviation(6, 3).small(0.012, true),
	newSeries(count, "sprakintroduktion", "Elever på språkintroduktion", strategy.Neutral, 0.12, 0.01, -0.2).
		by(0, 0.2, 0.2).from(2011).peak(3),
	newSeries(share, "modersmalsundervisning", "Elever i grundskolan med modersmålsundervisning, av dem som har rätt till den", strategy.HigherIsBetter, 55, 0.2, 3).
		by(1, 2, 1).deviation(8, 3),
	newSeries(share, "vuxenutbildning-utrikes-20-64", "Invånare 20–64 år i kommunal vuxenutbildning, utrikes födda", strategy.Neutral, 9, 0.1, 5).
		by(-1, 1, 1).deviation(2, 1).small(0.65, true).qualified(),
	newSeries(share, "forskola-utlandsk-bakgrund", "Barn 1–5 år med utländsk bakgrund inskrivna i förskola", strategy.HigherIsBetter, 78, 0.5, 0).
		by(3, 1, -1).deviation(4, 2).small(0.015, true),

	// Inkomst och försörjning.
	newSeries(money, "medianinkomst-utrikes-20-64", "Sammanräknad förvärvsinkomst för utrikes födda 20–64 år, median", strategy.HigherIsBetter, 140000, 0.028, -0.25).
		by(0.08, 0.03, -0.04).small(0.65, true).qualified(),
	newSeries(money, "medianinkomst-inrikes-20-64", "Sammanräknad förvärvsinkomst för inrikes födda 20–64 år, median", strategy.HigherIsBetter, 210000, 0.025, -0.18).
		by(0.07, 0.03, 0),
	newSeries(share, "ekonomiskt-bistand-utrikes", "Invånare med ekonomiskt bistånd, utrikes födda", strategy.LowerIsBetter, 13, -0.25, 0).
		by(-3, 0, 2).peak(2).small(1, true).qualified(),
	newSeries(share, "langvarigt-ekonomiskt-bistand", "Invånare 20–64 år med långvarigt ekonomiskt bistånd", strategy.LowerIsBetter, 1.4, 0, -0.1).
		by(-0.5, 0.1, 0.4).deviation(0.5, 0.2),
	newSeries(share, "lag-ekonomisk-standard-utrikes", "Invånare med låg ekonomisk standard, utrikes födda", strategy.LowerIsBetter, 26, 0.35, 1).
		by(-4, 0, 2).small(1, true).qualified(),
	newSeries(share, "barn-ekonomiskt-utsatta", "Barn i ekonomiskt utsatta hushåll", strategy.LowerIsBetter, 14, -0.2, 0).
		by(-4, 1, 3).deviation(3, 1),
	newSeries(money, "kostnad-ekonomiskt-bistand", "Kostnad för ekonomiskt bistånd", strategy.LowerIsBetter, 900, 0.02, 0).
		by(-0.25, 0.1, 0.2).per("kr per invånare").deviation(0.2, 0.06).totalOnly(),
	newSeries(money, "kostnad-flyktingmottagande", "Kostnad för flyktingmottagande och introduktion", strategy.Neutral, 400, 0.02, 0).
		by(-0.1, 0, 0.3).peak(1.5).per("kr per invånare").deviation(0.3, 0.1).totalOnly(),

	// Boende.
	newSeries(share, "trangbodda-utrikes", "Trångbodda enligt norm 2, utrikes födda", strategy.LowerIsBetter, 28, -0.1, 0).
		by(-4, 3, 2).small(1, true).qualified(),
	newSeries(share, "trangbodda-inrikes", "Trångbodda enligt norm 2, inrikes födda", strategy.LowerIsBetter, 9, 0, 0).
		by(-2, 2, 0).deviation(1.5, 0.5),
	newSeries(share, "hyresratt-utrikes", "Utrikes födda som bor i hyresrätt", strategy.Neutral, 55, -0.2, 2).
		by(-5, 5, 1).small(1, true).qualified(),
	newSeries(count, "bostader-nyanlanda", "Bostäder som kommunen ordnat för nyanlända", strategy.Neutral, 0.05, 0.01, 0).
		by(0, -0.2, 0).from(2016).peak(1.5).totalOnly(),
	newSeries(share, "omraden-socioekonomiska-utmaningar", "Invånare i områden med socioekonomiska utmaningar", strategy.LowerIsBetter, 7, 0.05, 0).
		by(-4, 3, 3).deviation(3, 0.5),

	// Delaktighet och hälsa.
	newSeries(share, "valdeltagande-utrikes", "Valdeltagande i val till kommunfullmäktige, utrikes födda", strategy.HigherIsBetter, 55, 0.3, 4).
		by(5, 0, -2).deviation(4, 2).elections().small(0.8, true),
	newSeries(share, "valdeltagande-inrikes", "Valdeltagande i val till kommunfullmäktige, inrikes födda", strategy.HigherIsBetter, 84, 0.1, 2).
		by(3, 0, 0).deviation(2, 1).elections(),
	newSeries(share, "bra-halsa-utrikes-16-84", "Invånare 16–84 år med bra självskattad hälsa, utrikes födda", strategy.HigherIsBetter, 66, 0.1, -5).
		by(3, 1, -1).small(0.85, true).qualified(),
	newSeries(share, "upplevd-diskriminering-utrikes-16-84", "Invånare 16–84 år som upplevt diskriminering, utrikes födda", strategy.LowerIsBetter, 18, -0.05, 2).
		by(-1, 1, 0.5).small(0.85, true).qualified(),
}

// qualifier narrows a series about the foreign-born to a part of them, as
// SCB's tables do: by time in Sweden, region of birth, reason for
// settling, education and where they live.
type qualifier struct {
	slug, text string
	// handicap worsens the level: by this fraction in the indicator's bad
	// direction (a third of it for a neutral one); negative improves it.
	handicap float64
	// size is the part of the foreign-born the qualifier keeps, which
	// makes small kommuner's values noisier and more often suppressed.
	size float64
	// education marks the qualifiers by education, which are not applied
	// to series that measure education (measuresEducation).
	education bool
}

var qualifiers = []qualifier{
	{"vistelsetid-0-1", "vistelsetid 0–1 år", 0.5, 0.08, false},
	{"vistelsetid-2-3", "vistelsetid 2–3 år", 0.3, 0.1, false},
	{"vistelsetid-4-9", "vistelsetid 4–9 år", 0.1, 0.25, false},
	{"vistelsetid-10-19", "vistelsetid 10–19 år", -0.05, 0.27, false},
	{"vistelsetid-20", "vistelsetid 20 år eller mer", -0.12, 0.3, false},
	{"fodda-norden", "födda i Norden utom Sverige", -0.15, 0.11, false},
	{"fodda-eu", "födda i EU utom Norden", -0.1, 0.13, false},
	{"fodda-ovriga-europa", "födda i övriga Europa", 0, 0.16, false},
	{"fodda-afrika", "födda i Afrika", 0.3, 0.12, false},
	{"fodda-asien", "födda i Asien", 0.2, 0.38, false},
	{"fodda-nordamerika", "födda i Nordamerika", -0.15, 0.02, false},
	{"fodda-sydamerika", "födda i Sydamerika", 0.05, 0.04, false},
	{"fodda-oceanien", "födda i Oceanien", -0.15, 0.005, false},
	{"skyddsbehovande", "skyddsbehövande och deras anhöriga", 0.3, 0.3, false},
	{"arbetskraftsinvandrare", "arbetskraftsinvandrare", -0.25, 0.1, false},
	{"anhoriginvandrare", "anhöriginvandrare", 0.1, 0.25, false},
	{"studerande", "invandrat för studier", 0.05, 0.06, false},
	{"forgymnasial", "med förgymnasial utbildning", 0.35, 0.3, true},
	{"gymnasial", "med gymnasial utbildning", 0, 0.35, true},
	{"eftergymnasial", "med eftergymnasial utbildning", -0.25, 0.35, true},
	{"tatort", "bosatta i tätort", 0, 0.9, false},
	{"utanfor-tatort", "bosatta utanför tätort", 0.05, 0.1, false},
}

// measuresEducation lists the qualified series that measure education,
// which are not narrowed by education.
var measuresEducation = map[string]bool{
	"eftergymnasial-utrikes-25-64": true,
	"forgymnasial-utrikes-25-64":   true,
	"overkvalificerade-utrikes":    true,
}

// allSeries is the 60 base series, then every qualified series: all
// series of the first qualifier, then of the second, and so on, so that
// any prefix of the list covers every subject.
var allSeries = func() []series {
	out := append([]series(nil), catalogue...)
	for qi := range qualifiers {
		q := &qualifiers[qi]
		for _, s := range catalogue {
			if !s.variants || (q.education && measuresEducation[s.slug]) {
				continue
			}
			out = append(out, s.narrowed(q))
		}
	}
	return out
}()

// narrowed is the series for the part of the foreign-born q keeps.
func (s series) narrowed(q *qualifier) series {
	v := s
	v.base, v.qual, v.variants = s.slug, q, false
	v.slug = s.slug + "-" + q.slug
	switch s.polarity {
	case strategy.HigherIsBetter:
		v.level *= 1 - q.handicap
	case strategy.LowerIsBetter:
		v.level *= 1 + q.handicap
	default:
		v.level *= 1 + q.handicap/3
	}
	v.groupShare *= q.size
	return v
}

// BaseIndicators is how many indicators the default demo has.
const BaseIndicators = 60

// MaxIndicators is how many indicators the generator can make: the base
// ones and their narrowed forms.
func MaxIndicators() int { return len(allSeries) }

// title is the indicator's Swedish title: subject, qualifier, measure.
func (s series) title() string {
	t := s.subject
	if s.qual != nil {
		t += ", " + s.qual.text
	}
	label := s.label
	if label == "" {
		label = s.measure.label()
	}
	return t + ", " + label
}

// indicator is the series as the store keeps it.
func (s series) indicator() strategy.Indicator {
	ind := strategy.Indicator{
		Key:   KeyPrefix + s.slug,
		Title: s.title(),
		Description: "Påhittade värden som visar Inkludera med alla landets kommuner och regioner. " +
			"Inte verklig statistik.",
		Unit:     s.measure.unit(),
		Polarity: s.polarity,
		Source:   "demo",
	}
	if !s.total {
		ind.Breakdowns = []string{strategy.BreakdownGender}
	}
	return ind
}

// KeyPrefix begins the key of every indicator of the national demo, which
// keeps them apart from real ones.
const KeyPrefix = "demo-"
