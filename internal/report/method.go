package report

import (
	"github.com/inkludera/inkludera/internal/describe"
	"github.com/inkludera/inkludera/internal/i18n"
	"github.com/inkludera/inkludera/internal/progress"
)

// The numbers the method appendix states. The status engine
// (internal/progress) keeps them unexported; method_test.go checks each
// against the engine's verdicts, so the appendix cannot drift from it.
const (
	ratioOnTrack      = 0.95  // methodology 2: R ≥ this → on_track
	ratioAcceleration = 0.60  // R ≥ this → acceleration_needed; ≥ 0 limited_progress
	growthOnTrack     = 0.015 // methodology 1: signed growth ≥ this → on_track
	growthAccel       = 0.005 // ≥ this → acceleration_needed; ≥ 0 limited_progress
	limitExponent     = 4.44  // the limit coefficient 1 − (b/L)^4.44
	zeroStandIn       = 0.001 // a base of 0 is replaced by this
	perYearWindow     = 3     // per-year targets: the last three years with data decide
	trendPoints       = 5     // projections and relative trends: the last five points
	minProjection     = 3     // a projection needs three points
	scoreOnTrack      = 2.5   // roll-up: mean score ≥ this → on_track
	scoreDeterioriate = -2.5  // mean score < this → deterioration
)

// processingNote is FollowUp.Processing.
const processingNote = "Värdena kommer från de källor som anges vid varje indikator och i avsnittet Källor. " +
	"Status, bedömningar, trender, prognoser och sammanvägningar är Inkluderas egen bearbetning av värdena, inte källornas."

func pct(v float64) string { return i18n.FormatPercent(100*v, i18n.Decimals(100*v)) }
func num(v float64) string { return i18n.FormatAuto(v) }

// method is the appendix: how Inkludera computes a target's status, in
// Swedish, from internal/progress's rules.
func method() []MethodSection {
	noise := pct(progress.DefaultNoiseBand)
	tolerance := pct(progress.DefaultTolerance)
	label := func(s progress.Status) string { return "”" + s.Label().SV + "”" }
	sections := []MethodSection{
		{
			Title: "Statusar",
			Paragraphs: []string{
				"Varje mål med en mätserie får en av sju statusar. Statusen visas alltid i ord, med en symbol bredvid, aldrig bara med färg.",
			},
			Table: &MethodTable{
				Caption: "Statusar och vad de betyder",
				Columns: []string{"Status", "Betydelse"},
				Rows: [][]string{
					{statusWord(progress.Achieved), "Målet är nått: före målåret när det senaste värdet uppfyller målet, efter målåret när målårets värde gör det."},
					{statusWord(progress.OnTrack), "Utvecklingen går åt rätt håll i tillräcklig takt för att nå målet i tid."},
					{statusWord(progress.AccelerationNeeded), "Utvecklingen går åt rätt håll men för långsamt för att nå målet i tid."},
					{statusWord(progress.LimitedProgress), "Liten eller ingen förändring åt rätt håll."},
					{statusWord(progress.Deterioration), "Utvecklingen går åt fel håll."},
					{statusWord(progress.NotAchieved), "Målåret har passerat och målårets värde uppfyller inte målet."},
					{statusWord(progress.CannotAssess), "Det finns för få värden, målet har ingen mätserie (kvalitativa mål) eller så har målet bedömts manuellt som inte bedömbart."},
				},
			},
		},
		{
			Title: "Grundmetod: Statistics Canada och Open SDG",
			Paragraphs: []string{
				"Inkludera bedömer målen med den metod för att mäta framsteg mot mål som Statistics Canada (Kanadas statistikmyndighet) har tagit fram och som Open SDG använder för att följa upp FN:s hållbarhetsmål. Gränsvärdena är desamma som Open SDG:s, så att samma serie får samma status här som där.",
				"Takten mäts som den genomsnittliga årliga tillväxten (CAGR) från basåret till det senaste året med värde: (senaste värdet / basvärdet)^(1 / antal år) − 1. Basåret är målets basår om dokumentet anger ett (med dokumentets basvärde när det finns), annars seriens första år med värde. Saknar basåret värde används första året därefter.",
				"Tillväxten kräver minst två värden med samma tecken. Ett basvärde på 0 ersätts med " + i18n.FormatNumber(zeroStandIn, 3) + ", som i Open SDG. Bara värden till och med uppföljningsåret används, och ett saknat värde är en lucka, aldrig noll.",
			},
		},
		{
			Title: "Mål med målvärde och målår (till exempel ”minst 10 % år 2020”)",
			Paragraphs: []string{
				"Uppfyller det senaste värdet redan målet före målåret är målet " + label(progress.Achieved) + ". Annars jämförs den faktiska takten med den takt som behövs: nödvändig takt = (målvärdet / basvärdet)^(1 / (målår − basår)) − 1, och kvoten R = faktisk takt / nödvändig takt, räknad i den riktning målet vill.",
				"När målårets värde finns (eller, om det saknas, första värdet därefter) blir målet antingen " + label(progress.Achieved) + " eller " + label(progress.NotAchieved) + ", och förklaringen anger hur långt från målet värdet låg.",
				"Ett mål om ”cirka” ett värde är nått inom ±" + tolerance + " av målvärdet. En serie som har passerat förbi målet åt andra hållet bedöms som " + label(progress.LimitedProgress) + ", eftersom takten då pekar bort från målet. Ett målvärde utan målår bedöms som ett riktningsmål mot målvärdet.",
			},
			Table: &MethodTable{
				Caption: "Status utifrån kvoten R mellan faktisk och nödvändig takt",
				Columns: []string{"Kvot R", "Status"},
				Rows: [][]string{
					{"minst " + num(ratioOnTrack), statusWord(progress.OnTrack)},
					{"från " + num(ratioAcceleration) + " till " + num(ratioOnTrack), statusWord(progress.AccelerationNeeded)},
					{"från 0 till " + num(ratioAcceleration), statusWord(progress.LimitedProgress)},
					{"under 0 (fel håll)", statusWord(progress.Deterioration)},
				},
			},
		},
		{
			Title: "Riktningsmål (”ska öka”, ”ska minska”)",
			Paragraphs: []string{
				"Utan målvärde bedöms själva tillväxttakten, med tecken efter önskad riktning. En förändring från basvärdet som ryms inom brusgränsen ±" + noise + " av basvärdet räknas som ingen förändring och ger " + label(progress.LimitedProgress) + ", så att en oförändrad serie inte kallas framsteg.",
				"För en andel i procent som ska öka finns ett naturligt tak på 100 %. Nära taket är det svårare att växa, så gränserna i tabellen skalas ned med faktorn 1 − (basvärdet / 100)^" + num(limitExponent) + ", som i Open SDG.",
				"Har målet ett målår och målårets värde finns är målet " + label(progress.Achieved) + " om värdet har rört sig mer än brusgränsen åt rätt håll från basvärdet, annars " + label(progress.NotAchieved) + ".",
			},
			Table: &MethodTable{
				Caption: "Status utifrån den årliga tillväxten åt önskat håll",
				Columns: []string{"Årlig tillväxt", "Status"},
				Rows: [][]string{
					{"minst " + pct(growthOnTrack), statusWord(progress.OnTrack)},
					{"från " + pct(growthAccel) + " till " + pct(growthOnTrack), statusWord(progress.AccelerationNeeded)},
					{"från 0 till " + pct(growthAccel), statusWord(progress.LimitedProgress)},
					{"under 0 (fel håll)", statusWord(progress.Deterioration)},
				},
			},
		},
		{
			Title: "Mål per år (till exempel ”minst 300 per år”)",
			Paragraphs: []string{
				"Varje år från basåret är målet antingen nått eller inte; år utan värde hoppas över. De " + num(perYearWindow) + " senaste åren med värden avgör statusen:",
			},
			Items: []string{
				"målet nåddes alla " + num(perYearWindow) + " åren: " + label(progress.Achieved) + ";",
				"målet nåddes det senaste året: " + label(progress.OnTrack) + ";",
				"målet nåddes inte det senaste året och underskottet minskade mot året före med mer än brusgränsen (" + noise + " av målvärdet): " + label(progress.AccelerationNeeded) + ";",
				"underskottet är i stort sett oförändrat, eller det finns bara ett år med värde: " + label(progress.LimitedProgress) + ";",
				"underskottet växte: " + label(progress.Deterioration) + ".",
				"När målårets värde finns är målet " + label(progress.Achieved) + " om det nåddes varje år under perioden (basåret till målåret, utan basår de " + num(perYearWindow) + " sista åren till och med målåret), annars " + label(progress.NotAchieved) + ".",
			},
		},
		{
			Title: "Relativa mål (till exempel ”högst samma nivå som inrikes födda”)",
			Paragraphs: []string{
				"Skillnaden mellan serien och jämförelseserien räknas för de år båda har värden, från basåret. Ligger skillnaden det senaste året inom den tillåtna skillnaden är målet " + label(progress.Achieved) + "; när målårets värde finns blir målet " + label(progress.Achieved) + " eller " + label(progress.NotAchieved) + " på det årets skillnad.",
				"Annars avgör trenden: en rät linje anpassas med minsta kvadratmetoden till skillnaden de " + num(trendPoints) + " senaste gemensamma åren. Ändras skillnaden längs linjen mindre än brusgränsen (" + noise + " av jämförelseseriens nivå) blir det " + label(progress.LimitedProgress) + "; växer skillnaden åt fel håll " + label(progress.Deterioration) + "; krymper den och når linjen den tillåtna skillnaden senast målåret (eller saknas målår) " + label(progress.OnTrack) + "; krymper den för långsamt " + label(progress.AccelerationNeeded) + ".",
			},
		},
		{
			Title: "Kvinnor och män",
			Paragraphs: []string{
				"Har ett mål för hela befolkningen en serie uppdelad på kön bedöms kvinnornas och männens serier på samma sätt, var för sig, och visas bredvid statusen för totalen. Totalen avgör målets status. Mål om antal (tröskelvärden och mål per år i annan enhet än procent) delas inte upp: ”minst 300 per år” säger ingenting om 300 kvinnor.",
			},
		},
		{
			Title: "Prognos",
			Paragraphs: []string{
				"När målåret ligger efter det senaste värdet och det finns minst " + num(minProjection) + " värden visar förklaringen en prognos för målåret: en rät linje anpassad till de " + num(trendPoints) + " senaste värdena och, där tillväxttakten går att räkna, det senaste värdet framskrivet i samma årliga takt. För relativa mål är det linjen som avgör om målet nås i tid; för övriga mål är prognosen en upplysning som inte ändrar statusen.",
			},
		},
		{
			Title: "Manuell bedömning",
			Paragraphs: []string{
				"En samordnare kan sätta ett måls status för hand, med en motivering. Då gäller den manuella bedömningen, och rapporten visar den beräknade statusen bredvid. Kvalitativa mål, utan mätserie, bedöms bara manuellt; utan bedömning är de " + label(progress.CannotAssess) + ".",
			},
		},
		{
			Title: "Sammanvägning och jämförelse med året före",
			Paragraphs: []string{
				"Ett mål, ett område och hela dokumentet får en samlad status på Open SDG:s sätt. Varje bedömt mål har en poäng från −5 till +5 (Open SDG:s egen poäng där dess metoder används; för övriga regler och manuella bedömningar mitten av statusens intervall, +5 för uppnått och −5 för inte uppnått). Medelvärdet ger statusen: minst " + num(scoreOnTrack) + " " + label(progress.OnTrack) + ", från 0 " + label(progress.AccelerationNeeded) + ", från " + num(scoreDeterioriate) + " " + label(progress.LimitedProgress) + ", därunder " + label(progress.Deterioration) + ". Samlat " + label(progress.Achieved) + " kräver att alla mål är uppnådda, och samlat " + label(progress.NotAchieved) + " gäller när alla mål har ett slutligt utfall och minst ett missades. Mål som inte kan bedömas räknas inte in.",
				"Sammanfattningens förbättringar och försämringar jämför varje måls status för uppföljningsåret med statusen för året före, bedömd på samma sätt med värdena till och med det året, i ordningen uppnått, på väg, behöver öka takten, begränsad förbättring, försämring, inte uppnått. Mål som bara kunde bedömas det ena året redovisas för sig. En fördjupad uppföljning bedömer varje år i perioden på samma sätt och ställer statusarna bredvid varandra.",
			},
		},
	}
	for i := range sections {
		if sections[i].Items == nil {
			sections[i].Items = []string{}
		}
	}
	return sections
}

// statusWord is a status as a table cell: "Behöver öka takten".
func statusWord(s progress.Status) string { return describe.Capitalise(s.Label().SV) }
