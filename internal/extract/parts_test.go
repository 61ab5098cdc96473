package extract

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/inkludera/inkludera/internal/strategy"
)

func TestFindDate(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"compact", "Antagen av Kommunstyrelsen 20160510", "2016-05-10"},
		{"iso", "Fastställt: KF 2014-04-16, § 24", "2014-04-16"},
		{"words with den", "Antagen av kommunfullmäktige den 14 april 2015, KF § 24", "2015-04-14"},
		{"words", "Fastställd av kommunfullmäktige 25 januari 2021, § 9.", "2021-01-25"},
		{"abbreviated month", "beslut 3 dec. 2019", "2019-12-03"},
		{"slash", "KS 14/4 2015", "2015-04-14"},
		{"first of several", "2019-11-12 och 2020-01-01", "2019-11-12"},
		{"no such day", "2017-02-30", ""},
		{"no such month", "20161310", ""},
		{"a year only", "Antagen av kommunfullmäktige den 14 april", ""},
		{"a case number", "KS 2016/379", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _, _, ok := findDate(tt.in)
			if !ok {
				got = ""
			}
			if got != tt.want {
				t.Errorf("findDate(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestReadNumber(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		value  float64
		unit   string
		approx bool
	}{
		{"digits", "300 personer", 300, "", false},
		{"thousands", "5 000 timmar", 5000, "", false},
		{"decimal comma", "10,5 procent", 10.5, "", false},
		{"about a hundred", "ett hundratal bostäder", 100, "", true},
		{"about ten", "ett tiotal platser", 10, "", true},
		{"half", "hälften av de nyanlända", 50, "%", false},
		{"a third", "en tredjedel", 100.0 / 3, "%", false},
		{"two thirds", "två tredjedelar", 200.0 / 3, "%", false},
		{"three in four", "tre av fyra", 75, "%", false},
		{"word", "fyra medborgardialoger", 4, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, ok := readNumber(tokenize(tt.in), 0)
			if !ok || math.Abs(q.value-tt.value) > 1e-9 || q.unit != tt.unit || q.approx != tt.approx {
				t.Errorf("readNumber(%q) = %+v %v, want %v %q approx %v", tt.in, q, ok, tt.value, tt.unit, tt.approx)
			}
		})
	}
	for _, in := range []string{"en", "ett hus", "bostäder"} {
		if q, ok := readNumber(tokenize(in), 0); ok {
			t.Errorf("readNumber(%q) = %+v, want no number", in, q)
		}
	}
}

func TestParseTarget(t *testing.T) {
	type want struct {
		kind       strategy.TargetKind
		comparator strategy.Comparator
		value      float64 // -1: none
		unit       string
		year       int
	}
	tests := []struct {
		name string
		in   string
		st   strictness
		want *want // nil: not a target
	}{
		{"threshold in per cent", "Minst 10 % av befolkningen är utrikes födda år 2020.", normal,
			&want{strategy.TargetThreshold, strategy.AtLeast, 10, "%", 2020}},
		{"procent and senast", "Andelen som har arbete ska vara minst 45 procent senast 2024.", normal,
			&want{strategy.TargetThreshold, strategy.AtLeast, 45, "%", 2024}},
		{"at most", "Högst 10 procent av de anvisade ska bo i tillfälligt boende efter ett år.", normal,
			&want{strategy.TargetThreshold, strategy.AtMost, 10, "%", 0}},
		{"per year with a noun", "Kommunen tar årligen emot minst 300 nyanlända.", normal,
			&want{strategy.TargetPerYear, strategy.AtLeast, 300, "personer", 0}},
		{"about a hundred per year", "Cirka ett hundratal bostäder framskapas årligen för mottagandet.", normal,
			&want{strategy.TargetPerYear, strategy.About, 100, "bostäder", 0}},
		{"adjective before the noun", "Minst 12 öppna mötesplatser ska finnas år 2025.", normal,
			&want{strategy.TargetThreshold, strategy.AtLeast, 12, "mötesplatser", 2025}},
		{"unit of Antalet", "Antalet nystartade företag ska vara minst 25 per år.", normal,
			&want{strategy.TargetPerYear, strategy.AtLeast, 25, "företag", 0}},
		{"from a base to a level", "Andelen ska öka från 48 procent år 2019 till 60 procent år 2030.", normal,
			&want{strategy.TargetThreshold, strategy.AtLeast, 60, "%", 2030}},
		{"halved to at most", "Arbetslösheten ska halveras till år 2030 och vara högst 10 procent.", normal,
			&want{strategy.TargetThreshold, strategy.AtMost, 10, "%", 2030}},
		{"half in words", "Minst hälften av de nyanlända ska ha arbete två år efter ankomsten.", normal,
			&want{strategy.TargetThreshold, strategy.AtLeast, 50, "%", 0}},
		{"direction up", "Andelen utrikes födda elever med behörighet till gymnasieskolan ska öka.", normal,
			&want{strategy.TargetDirection, strategy.Increase, -1, "", 0}},
		{"direction down", "Skillnaden i valdeltagande ska minska.", normal,
			&want{strategy.TargetDirection, strategy.Decrease, -1, "", 0}},
		{"relative at most", "Andelen arbetslösa ska minska för att år 2020 ligga högst på samma nivå som bland inrikes födda.", normal,
			&want{strategy.TargetRelative, strategy.AtMost, -1, "", 2020}},
		{"relative at least", "Andelen ska vara minst på samma nivå som i riket år 2030.", normal,
			&want{strategy.TargetRelative, strategy.AtLeast, -1, "", 2030}},
		{"relative with a difference", "Skillnaden ska vara högst 5 procentenheter jämfört med samma nivå som riket år 2026.", normal,
			&want{strategy.TargetRelative, strategy.AtMost, 5, "procentenheter", 2026}},
		{"level without comparator under a targets heading", "Andelen ska vara 100 procent varje år.", lenient,
			&want{strategy.TargetPerYear, strategy.AtLeast, 100, "%", 0}},
		{"present tense direction under a targets heading", "Andelen utrikes födda chefer ökar.", lenient,
			&want{strategy.TargetDirection, strategy.Increase, -1, "", 0}},
		{"past tense", "Sedan 2015 har kommunen tagit emot cirka 900 personer.", normal, nil},
		{"perfect tense", "Från 2006 har vi tagit emot 50 – 80 flyktingar per år.", normal, nil},
		{"past figure", "År 2020 var 14 procent av invånarna födda utomlands.", normal, nil},
		{"forecast", "Arbetsgivarna kommer att behöva rekrytera omkring 40 000 personer fram till 2030.", normal, nil},
		{"transitive öka", "Kommunen ska öka samverkan med näringslivet.", normal, nil},
		{"an action with a number but no time", "Regionen ska översätta informationen till minst tio språk.", normal, nil},
		{"no level", "Alla nyanlända ska ha en egen bostad inom sex månader.", normal, nil},
		{"no modal, no time", "Fler än hälften av de anställda går i pension.", normal, nil},
		{"a level elsewhere needs a year", "Minst 20 procent av eleverna läser modersmål.", strict, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := parseTarget(textSpan(tt.in, Evidence{}), tt.st)
			if tt.want == nil {
				if ok {
					t.Fatalf("a target: %+v", got)
				}
				return
			}
			if !ok {
				t.Fatal("not a target")
			}
			value := -1.0
			if got.Value != nil {
				value = *got.Value
			}
			w := *tt.want
			if got.Kind != w.kind || got.Comparator != w.comparator || value != w.value || got.Unit != w.unit || got.TargetYear != w.year {
				t.Errorf("got %s %s %v %q %d, want %s %s %v %q %d", got.Kind, got.Comparator, value, got.Unit, got.TargetYear,
					w.kind, w.comparator, w.value, w.unit, w.year)
			}
		})
	}
}

func TestBaseOfTarget(t *testing.T) {
	got, ok := parseTarget(textSpan("Andelen ska öka från 48 procent år 2019 till 60 procent år 2030.", Evidence{}), normal)
	if !ok || got.BaseYear != 2019 || got.BaseValue == nil || *got.BaseValue != 48 {
		t.Errorf("base = %d %v, want 2019 48", got.BaseYear, got.BaseValue)
	}
	got, _ = parseTarget(textSpan("Andelen utrikes födda kvinnor som förvärvsarbetar ska vara minst 55 procent 2026.", Evidence{}), normal)
	if got.Gender != strategy.Women {
		t.Errorf("gender = %q, want K", got.Gender)
	}
}

func TestDetectMeta(t *testing.T) {
	tests := []struct {
		name string
		text string
		want map[string]string
	}{
		{"cover without line breaks",
			"Integrationsstrategi 2020 Strategi för inflyttning, kompetensförsörjning och social sammanhållning Antagen av Kommunstyrelsen 20160510\n\nÖstersunds kommun behöver bli fler.",
			map[string]string{"Title": "Integrationsstrategi 2020", "Subtitle": "Strategi för inflyttning, kompetensförsörjning och social sammanhållning",
				"Kind": "strategi", "AdoptedBy": "Kommunstyrelsen", "AdoptedOn": "2016-05-10", "OrgCode": "2380", "Year": "2016"}},
		{"register fields",
			"Titel: Program för inflyttning och integration\nTyp: Program\nFastställt: KF 2014-04-16, § 24\nGiltighetstid: 2014 - 2015\n\nStrömsunds kommun tar emot nyanlända.",
			map[string]string{"Title": "Program för inflyttning och integration", "Kind": "program", "AdoptedBy": "Kommunfullmäktige",
				"AdoptedOn": "2014-04-16", "Paragraph": "§ 24", "ValidFrom": "2014-01-01", "ValidTo": "2015-12-31", "OrgCode": "2313", "Year": "2014"}},
		{"decision reference as paragraph",
			"TOMELILLA KOMMUN. Integrationsstrategi för Tomelilla kommun. Kf 169/2017 Dnr KS 2016/379",
			map[string]string{"OrgCode": "1270", "CaseNumber": "KS 2016/379", "Kind": "strategi"}},
		{"abbreviated adopting body",
			"Integrationspolicy Bräcke kommun. Antagen av Kf 24/2015",
			map[string]string{"AdoptedBy": "Kommunfullmäktige", "Paragraph": "§ 24", "Year": "2015", "OrgCode": "2305", "Kind": "policy"}},
		{"case number with hyphen",
			"Policy för integration och social sammanhållning. Antagen av kommunfullmäktige KS-2013/1073",
			map[string]string{"CaseNumber": "KS-2013/1073", "AdoptedBy": "Kommunfullmäktige", "Kind": "policy"}},
		{"case number with slashes",
			"dnr KS/2015/0173 Integrationsstrategi Öppna Söderhamn en kommun för alla. Söderhamns kommun.",
			map[string]string{"CaseNumber": "KS/2015/0173", "OrgCode": "2182"}},
		{"date in words without year",
			"STRATEGI FÖR INTEGRATION I LJUSNARSBERGS KOMMUN Antagen av kommunfullmäktige den 14 april",
			map[string]string{"AdoptedBy": "Kommunfullmäktige", "AdoptedOn": "", "OrgCode": "1864", "Kind": "strategi"}},
		{"region by its name",
			"Regional integrationsstrategi 2021\n\nFastställd av regionfullmäktige 2021-06-09, § 87. Region Jämtland Härjedalen arbetar med kommunerna.",
			map[string]string{"OrgCode": "23", "OrgKind": "region", "AdoptedBy": "Regionfullmäktige", "Paragraph": "§ 87"}},
		{"county council of old",
			"Handlingsplan för integration\n\nAntagen av landstingsfullmäktige 2012-03-01. Jämtlands läns landsting tar ansvar för hälsan.",
			map[string]string{"OrgCode": "23", "OrgKind": "region", "Kind": "plan"}},
		{"kommun with an irregular genitive",
			"Integrationsplan\n\nFalu kommun och Dalarnas län samarbetar. Falu kommun beslutade planen.",
			map[string]string{"OrgCode": "2080", "OrgName": "Falu kommun"}},
		{"kommun of two words",
			"Integrationsprogram för Upplands Väsby kommun\n\nAntaget av kommunfullmäktige den 2 maj 2019.",
			map[string]string{"OrgCode": "0114", "AdoptedOn": "2019-05-02", "Kind": "program"}},
		{"regional body by suffix",
			"Strategi för integration i Västra Götaland\n\nBeslutad av regionstyrelsen 2018-09-04. Västra Götalandsregionen leder arbetet.",
			map[string]string{"OrgCode": "14", "AdoptedBy": "Regionstyrelsen", "AdoptedOn": "2018-09-04"}},
		{"owner and file title",
			"Riktlinjer\n\nDokumentägare: Socialnämnden\n\nDiarienummer: SN 2020/14. Sala kommun.",
			map[string]string{"Owner": "Socialnämnden", "CaseNumber": "SN 2020/14", "Kind": "riktlinjer"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := DetectMeta(tt.text, "")
			got := map[string]string{
				"Title": m.Title, "Subtitle": m.Subtitle, "Kind": m.Kind, "OrgCode": m.OrgCode, "OrgKind": m.OrgKind,
				"OrgName": m.OrgName, "AdoptedBy": m.AdoptedBy, "AdoptedOn": m.AdoptedOn, "Paragraph": m.Paragraph,
				"CaseNumber": m.CaseNumber, "Owner": m.Owner, "ValidFrom": m.ValidFrom, "ValidTo": m.ValidTo, "Year": "",
			}
			if m.Year != 0 {
				got["Year"] = strconv.Itoa(m.Year)
			}
			for k, v := range tt.want {
				if got[k] != v {
					t.Errorf("%s = %q, want %q", k, got[k], v)
				}
			}
		})
	}
}

func TestFileTitleSplitsCover(t *testing.T) {
	m := DetectMeta("Integrationsstrategi Strategi för bostad, utbildning och sysselsättning Antagen av kommunfullmäktige 2017-01-01", "Integrationsstrategi")
	if m.Title != "Integrationsstrategi" || m.Subtitle != "Strategi för bostad, utbildning och sysselsättning" {
		t.Errorf("title %q, subtitle %q", m.Title, m.Subtitle)
	}
	if m := DetectMeta("", "Plan för integration"); m.Title != "Plan för integration" || m.Kind != "plan" {
		t.Errorf("empty text: title %q kind %q, want the file's title", m.Title, m.Kind)
	}
}

func TestPrepare(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		want  []string // the items' texts in order
		kinds []itemKind
	}{
		{"page numbers of pages without line breaks",
			"Första sidan har en lång text som fortsätter och fortsätter utan att ta slut på något sätt och behöver 6\n\n" +
				"särskilt prioriteras. Andra sidan har också en lång text som fortsätter en bra bit till och slutar här. 7",
			[]string{"Första sidan har en lång text som fortsätter och fortsätter utan att ta slut på något sätt och behöver särskilt prioriteras. Andra sidan har också en lång text som fortsätter en bra bit till och slutar här."},
			[]itemKind{itemText}},
		{"running header and page lines",
			"Syfte\n\nId nr: 0:34\n\nText om syftet som är lång nog att vara ett stycke.\n\nSida 2 av 3\n\nId nr: 0:34\n\nMål\n\nId nr: **0:34**\n\nMer text här.",
			[]string{"Syfte", "Text om syftet som är lång nog att vara ett stycke.", "Mål", "Mer text här."},
			[]itemKind{itemHeading, itemText, itemHeading, itemText}},
		{"word broken over a page",
			"Kommunen och näringslivet arbetar för att sprida en posi-\n\ntiv bild av kommunen.",
			[]string{"Kommunen och näringslivet arbetar för att sprida en positiv bild av kommunen."},
			[]itemKind{itemText}},
		{"heading broken over two lines",
			"Fokusområde 1: Arbete och\negen försörjning\nMånga har en utbildning som inte tas tillvara.",
			[]string{"Fokusområde 1: Arbete och egen försörjning", "Många har en utbildning som inte tas tillvara."},
			[]itemKind{itemHeading, itemText}},
		{"bullets and their continuation",
			"• Minst 5 000 timmar ska erbjudas i kommunens\n  verksamheter per år.\n• Andelen ska öka.",
			[]string{"Minst 5 000 timmar ska erbjudas i kommunens verksamheter per år.", "Andelen ska öka."},
			[]itemKind{itemBullet, itemBullet}},
		{"document library page",
			"Relevanta dokument\n\nIntegrationsplan för Ale kommun\n\nTranskript:\n\nPlan för integration 2020",
			[]string{"Plan för integration 2020"},
			[]itemKind{itemHeading}},
		{"table of contents with leaders",
			"Innehåll Inledning... 3 Långsiktigt mål 1: Fler i arbete... 6 Uppföljning... 9\n\nInledning Text. Långsiktigt mål 1: Fler i arbete Kommunen ska göra mer.",
			[]string{"Inledning", "Text.", "Långsiktigt mål 1: Fler i arbete", "Kommunen ska göra mer."},
			[]itemKind{itemHeading, itemText, itemHeading, itemText}},
		{"numbered table of contents",
			"Innehållsförteckning\n\n1. Inledning\n2. Mål\n\n1. Inledning\n\nText.",
			[]string{"Inledning", "Text."},
			[]itemKind{itemHeading, itemText}},
		{"heading inside a paragraph",
			"Policyn gäller alla. Policyns mål Mål 1 Alla får ett bra mottagande Kommunen ska ha en mottagningsenhet.",
			[]string{"Policyn gäller alla.", "Policyns mål", "Mål 1 Alla får ett bra mottagande", "Kommunen ska ha en mottagningsenhet."},
			[]itemKind{itemText, itemHeading, itemHeading, itemText}},
		{"section word after a sentence without full stop",
			"Minst 10 % är utrikes födda år 2020 Strategi Kommunen ska ta emot fler.",
			[]string{"Minst 10 % är utrikes födda år 2020", "Strategi", "Kommunen ska ta emot fler."},
			[]itemKind{itemText, itemHeading, itemText}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := prepare(tt.text)
			var got []string
			var kinds []itemKind
			for _, it := range d.items {
				got = append(got, it.span.text)
				kinds = append(kinds, it.kind)
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("items:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			if len(kinds) == len(tt.kinds) {
				for i := range kinds {
					if kinds[i] != tt.kinds[i] {
						t.Errorf("item %d %q: kind %d, want %d", i, got[i], kinds[i], tt.kinds[i])
					}
				}
			}
		})
	}
}

// TestEvidenceOffsets: an item's evidence points at its sentence in the
// input, whatever was dropped or joined on the way.
func TestEvidenceOffsets(t *testing.T) {
	text := "Mål\n\nLångsiktigt mål 1: Fler i arbete\n\nKvantitativa mål Minst 60 procent av de nyanlända ska ha arbete år 2025. " +
		"Andelen kvinnor i arbete ska öka. Strategi Kommunen ska erbjuda praktik i alla förvaltningar och behöver 3\n\n" +
		"fler platser. Kommunen ska ha ett mottagningsteam."
	d := FromText(text, "")
	var evs []Evidence
	for _, a := range d.Areas {
		for _, g := range a.Goals {
			evs = append(evs, g.Evidence)
			for _, tg := range g.Targets {
				evs = append(evs, tg.Evidence)
			}
			for _, c := range g.Commitments {
				evs = append(evs, c.Evidence)
			}
		}
	}
	for _, g := range d.Goals {
		evs = append(evs, g.Evidence)
		for _, tg := range g.Targets {
			evs = append(evs, tg.Evidence)
		}
		for _, c := range g.Commitments {
			evs = append(evs, c.Evidence)
		}
	}
	if len(evs) != 5 {
		t.Fatalf("%d items, want a goal, two targets and two commitments: %+v", len(evs), d)
	}
	for _, ev := range evs {
		if ev.Start < 0 || ev.End > len(text) || ev.Start >= ev.End {
			t.Errorf("%q: offsets %d–%d outside the text", ev.Sentence, ev.Start, ev.End)
			continue
		}
		in := strings.Join(strings.Fields(text[ev.Start:ev.End]), " ")
		first, last := firstWordOf(ev.Sentence), lastWord(ev.Sentence)
		if !strings.HasPrefix(in, first) || !strings.Contains(in, last) {
			t.Errorf("evidence %q points at %q", ev.Sentence, in)
		}
	}
}

func TestSplitDefinition(t *testing.T) {
	tests := []struct {
		name, in, term, def string
	}{
		{"dash", "Utrikes född - alla personer som är folkbokförda i Sverige.", "Utrikes född", "alla personer som är folkbokförda i Sverige."},
		{"en dash", "Nyanländ – en person som har fått uppehållstillstånd.", "Nyanländ", "en person som har fått uppehållstillstånd."},
		{"colon", "Extratjänst: en subventionerad anställning.", "Extratjänst", "en subventionerad anställning."},
		{"unmarked, one word", "Asylsökande person som väntar på beslut.", "Asylsökande", "person som väntar på beslut."},
		{"unmarked, two words", "Nyanländ flykting person som har fått asyl.", "Nyanländ flykting", "person som har fått asyl."},
		{"unmarked, alla", "Utomnordiskt född alla som är födda utanför Norden.", "Utomnordiskt född", "alla som är födda utanför Norden."},
		{"unmarked, den", "Etablering den period då en nyanländ deltar i programmet.", "Etablering", "den period då en nyanländ deltar i programmet."},
		{"continuation", "Personen kan bo i eget boende.", "", ""},
		{"continuation with article", "En person räknas som nyanländ i två år.", "", ""},
		{"continuation with verb", "Nyanlända kan vara både personer som anvisats och egenbosatta.", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			term, def, _ := splitDefinition(tt.in)
			if term != tt.term || def != tt.def {
				t.Errorf("splitDefinition(%q) = %q, %q; want %q, %q", tt.in, term, def, tt.term, tt.def)
			}
		})
	}
}

func TestBodyOf(t *testing.T) {
	tests := []struct {
		in, key, name string
		kind          strategy.BodyKind
	}{
		{"KS", "ks", "Kommunstyrelsen", strategy.BodyBoard},
		{"kommunfullmäktige", "kf", "Kommunfullmäktige", strategy.BodyCouncil},
		{"Regionfullmäktige", "rf", "Regionfullmäktige", strategy.BodyCouncil},
		{"Barn- och utbildningsnämnden", "barn-och-utbildningsnamnden", "Barn- och utbildningsnämnden", strategy.BodyCommittee},
		{"Interna kvalitetsnätverket (IKN)", "interna-kvalitetsnatverket", "Interna kvalitetsnätverket", strategy.BodyNetwork},
		{"HR-avdelningen", "hr-avdelningen", "HR-avdelningen", strategy.BodyAdministration},
		{"regionala utvecklingsnämnden", "regionala-utvecklingsnamnden", "Regionala utvecklingsnämnden", strategy.BodyCommittee},
		{"Förvaltnings- och avdelningschefer", "forvaltnings-och-avdelningschefer", "Förvaltnings- och avdelningschefer", strategy.BodyAdministration},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			b, ok := bodyOf(tt.in)
			if !ok || b.key != tt.key || b.name != tt.name || b.kind != tt.kind {
				t.Errorf("bodyOf(%q) = %+v %v", tt.in, b, ok)
			}
		})
	}
	for _, in := range []string{"Arbetsförmedlingen", "Länsstyrelsen", "Socialstyrelsen", "Kommunen", "Alla nyanlända", "Strategin ska"} {
		if b, ok := bodyOf(in); ok {
			t.Errorf("bodyOf(%q) = %+v, want no body", in, b)
		}
	}
	got := bodiesIn("Arbetsmarknadsnämnden, Kommunstyrelsen och Barn- och utbildningsnämnden")
	if len(got) != 3 || got[2].name != "Barn- och utbildningsnämnden" {
		t.Errorf("bodiesIn = %+v", got)
	}
}

func TestSentences(t *testing.T) {
	in := "Kommunen ska bl.a. erbjuda praktik, t.ex. inom vården. Målet är 50 %. Andelen ska öka (se bilaga 2). 2 300 personer deltog."
	want := []string{"Kommunen ska bl.a. erbjuda praktik, t.ex. inom vården.", "Målet är 50 %.", "Andelen ska öka (se bilaga 2).", "2 300 personer deltog."}
	var got []string
	for _, s := range sentences(textSpan(in, Evidence{})) {
		got = append(got, s.text)
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("sentences:\n%q\nwant\n%q", got, want)
	}
}

// TestTables: a table of targets or responsibilities, however its cells
// arrive.
func TestTables(t *testing.T) {
	goals := "Mål 1: Fler i arbete\n\nText om målet.\n\nMål 2: Fler i skolan\n\nText om målet.\n\n"
	tests := []struct {
		name    string
		text    string
		targets []string // "kind comparator value unit year" of each target
		resp    []string // "goal or area: body" of each responsibility
	}{
		{"cells one paragraph each",
			goals + "Indikator\n\nUtgångsläge 2018\n\nMålvärde 2022\n\nAndel i arbete\n\n38 %\n\n50 %\n\nAntal praktikplatser per år\n\n12\n\nminst 30\n\nSlut.",
			[]string{"threshold at_least 50 % 2022", "per_year at_least 30 praktikplatser 0"}, nil},
		{"cells with tabs",
			goals + "Indikator\tUtgångsläge 2018\tMålvärde 2022\nAndel i arbete\t38 %\t50 %\nAndel i skolan\t60 %\t55 %\n",
			[]string{"threshold at_least 50 % 2022", "threshold at_most 55 % 2022"}, nil},
		{"cells without borders",
			goals + "Indikator Utgångsläge 2018 Målvärde 2022 Andel i arbete 90 dagar efter etableringen 38 % 50 % Andel i skolan 41 % minst 55 %",
			[]string{"threshold at_least 50 % 2022", "threshold at_least 55 % 2022"}, nil},
		{"responsibilities one cell each",
			goals + "Mål\n\nHuvudansvarig nämnd\n\nUppföljning\n\n1\n\nKommunstyrelsen\n\nÅrligen\n\n2\n\nBarn- och utbildningsnämnden\n\nÅrligen",
			nil, []string{"Fler i arbete: Kommunstyrelsen", "Fler i skolan: Barn- och utbildningsnämnden"}},
		{"responsibilities without borders",
			goals + "Mål Huvudansvarig nämnd Uppföljning\n\n1 Kommunstyrelsen Årligen\n\n2 Socialnämnden Två gånger per år",
			nil, []string{"Fler i arbete: Kommunstyrelsen", "Fler i skolan: Socialnämnden"}},
		{"responsibilities with pipes",
			"Fokusområde 1: Arbete\n\nText.\n\nFokusområde 2: Skola\n\nText.\n\nOmråde | Ansvarig nämnd | Medverkande\nArbete | Arbetsmarknadsnämnden | Socialnämnden\nSkola | Barn- och utbildningsnämnden | Kultur- och fritidsnämnden\n",
			nil, []string{"Arbete: Arbetsmarknadsnämnden", "Arbete: Socialnämnden", "Skola: Barn- och utbildningsnämnden", "Skola: Kultur- och fritidsnämnden"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := FromText(tt.text, "")
			var targets, resp []string
			var walk func(owner string, gs []Goal)
			walk = func(owner string, gs []Goal) {
				for _, g := range gs {
					for _, r := range g.Responsibilities {
						resp = append(resp, g.Title+": "+r.Body)
					}
					for _, tg := range g.Targets {
						v := "-"
						if tg.Value != nil {
							v = strconv.FormatFloat(*tg.Value, 'f', -1, 64)
						}
						targets = append(targets, strings.Join([]string{string(tg.Kind), string(tg.Comparator), v, tg.Unit, strconv.Itoa(tg.TargetYear)}, " "))
					}
					walk(owner, g.Goals)
				}
			}
			for _, a := range d.Areas {
				for _, r := range a.Responsibilities {
					resp = append(resp, a.Title+": "+r.Body)
				}
				walk(a.Title, a.Goals)
			}
			walk("", d.Goals)
			if strings.Join(targets, "\n") != strings.Join(tt.targets, "\n") {
				t.Errorf("targets:\n%s\nwant:\n%s", strings.Join(targets, "\n"), strings.Join(tt.targets, "\n"))
			}
			if strings.Join(resp, "\n") != strings.Join(tt.resp, "\n") {
				t.Errorf("responsibilities:\n%s\nwant:\n%s", strings.Join(resp, "\n"), strings.Join(tt.resp, "\n"))
			}
		})
	}
}
