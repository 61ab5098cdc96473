package storetest

import (
	"slices"
	"time"

	"github.com/inkludera/inkludera/internal/strategy"
)

// The fixtures are built fresh on every call so that a test may edit them.
// They are written in the order an export produces (indicators in order of
// first reference, observations by indicator, year and gender T, K, M), so
// that what goes in can be compared with what comes out as it is.

const (
	orgCode    = "2380"
	docKey     = "ostersund-integration-2020"
	regionCode = "23"
	regionDoc  = "region-jamtland-integration"
)

func f(v float64) *float64 { return &v }

func intp(v int) *int { return &v }

func date(s string) strategy.Date {
	d, err := strategy.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

var fetched = time.Date(2024, 3, 1, 10, 15, 30, 123456000, time.UTC)

func ostersund() *strategy.Organisation {
	return &strategy.Organisation{Code: orgCode, Name: "Östersunds kommun", Kind: strategy.OrgKommun, County: "23"}
}

// ostersundBodies lists a förvaltning before the board it belongs under,
// as a file may.
func ostersundBodies() []strategy.Body {
	return []strategy.Body{
		{Key: "kf", Name: "Kommunfullmäktige", Kind: strategy.BodyCouncil},
		{Key: "klf", Name: "Kommunledningsförvaltningen", Kind: strategy.BodyAdministration, Parent: "ks"},
		{Key: "ks", Name: "Kommunstyrelsen", Kind: strategy.BodyBoard},
		{Key: "amn", Name: "Arbetsmarknadsnämnden", Kind: strategy.BodyCommittee},
	}
}

func richIndicators() []strategy.Indicator {
	return []strategy.Indicator{
		{Key: "folkmangd", Title: "Folkmängd", Description: "Antal invånare 31 december", Unit: "antal",
			Polarity: strategy.Neutral, Source: "kolada:N01951", Breakdowns: []string{strategy.BreakdownGender},
			Translations: strategy.Translations{"en": {"title": "Population"}, "so": {"title": "Tirada dadka"}}},
		{Key: "utrikes-fodda-andel", Title: "Utrikes födda, andel (%)", Unit: "%",
			Polarity: strategy.Neutral, Source: "kolada:N02926", Breakdowns: []string{strategy.BreakdownGender}},
		{Key: "sysselsatta-utrikes", Title: "Förvärvsarbetande utrikes födda 20–64 år, andel (%)", Unit: "%",
			Polarity: strategy.HigherIsBetter, Source: "scb:TAB4823?Region=2380", Breakdowns: []string{strategy.BreakdownGender}},
		{Key: "sysselsatta-inrikes", Title: "Förvärvsarbetande inrikes födda 20–64 år, andel (%)", Unit: "%",
			Polarity: strategy.HigherIsBetter, Source: "scb:TAB4823?Region=2380&Fodd=inrikes"},
		{Key: "nya-bostader", Title: "Färdigställda bostäder", Unit: "bostäder",
			Polarity: strategy.HigherIsBetter, Source: "manual"},
		{Key: "trygghet", Title: "Andel som känner sig trygga", Unit: "%",
			Polarity: strategy.HigherIsBetter, Source: "demo"},
	}
}

// richDocument sets every field of every type somewhere in its tree.
func richDocument() *strategy.Document {
	return &strategy.Document{
		Key:        docKey,
		Org:        orgCode,
		Kind:       strategy.KindStrategy,
		Title:      "Integrationsstrategi 2020",
		Subtitle:   "Strategi för inflyttning, kompetensförsörjning och social sammanhållning",
		Identifier: "Id nr 0:34",
		CaseNumber: "KS 2016/379",
		Version:    "1.0",
		Status:     strategy.StatusAdopted,
		Adopted: strategy.Adoption{By: "kf", On: date("2016-05-10"), Paragraph: "§ 24",
			Reference: "KF 2016-05-10 § 24"},
		ValidFrom: date("2016-06-01"),
		ValidTo:   date("2020-12-31"),
		FollowUp: strategy.FollowUpRule{IntervalYears: 1, Occasion: "i samband med bokslut", ReportTo: "ks",
			DeepIntervalYears: 4},
		Revision:    strategy.RevisionRule{Due: 2020, Condition: "Om förutsättningarna förändras nämnvärt"},
		Owner:       "ks",
		Responsible: "Integrationssamordnaren",
		Audience:    []string{"förtroendevalda", "medarbetare", "invånare"},
		Replaces:    []string{"ostersund-integration-2014"},
		Related: []strategy.Related{
			{Title: "Regional integrationsstrategi", Key: regionDoc},
			{Title: "Nationella mål", URL: "https://example.org/mal"},
		},
		Summary:     "Fler ska flytta hit och nya invånare ska snabbt komma i arbete.",
		Description: "Bakgrund och syfte.\nTvå rader.",
		Indicators:  []string{"folkmangd"},
		Responsibilities: []strategy.Responsibility{
			{Body: "ks", Role: strategy.RoleCoordinates, Duties: []string{"följa upp", "rapportera"}},
			{Body: "kf", Role: strategy.RoleDecides},
		},
		Areas: []strategy.Area{
			{
				Key: "arbete", Title: "Arbete och kompetens", Description: "Fler i arbete.", Prioritised: true,
				Parent:     &strategy.AreaRef{Document: regionDoc, Area: "kompetens"},
				Indicators: []string{"utrikes-fodda-andel"},
				Goals: []strategy.Goal{
					{
						Key: "arbete-1", Level: strategy.GoalLongTerm, Title: "Fler utrikes födda i arbete",
						Description: "Sysselsättningen ska öka.",
						Targets: []strategy.Target{
							{Key: "syss-60", Text: "Minst 60 % av utrikes födda kvinnor arbetar år 2020",
								Kind: strategy.TargetThreshold, Comparator: strategy.AtLeast, Value: f(60), Unit: "%",
								BaseYear: 2015, BaseValue: f(48.5), TargetYear: 2020,
								Indicator: "sysselsatta-utrikes", Gender: strategy.Women},
							{Key: "syss-gap", Text: "Högst 5 procentenheter under inrikes födda",
								Kind: strategy.TargetRelative, Comparator: strategy.AtMost, Value: f(5),
								Unit: "procentenheter", Indicator: "sysselsatta-utrikes",
								ReferenceIndicator: "sysselsatta-inrikes"},
						},
						Goals: []strategy.Goal{
							{
								Key: "arbete-1a", Level: strategy.GoalSub, Title: "Snabbare etablering",
								Targets: []strategy.Target{
									{Key: "etablering-kvalitet", Text: "Etableringen upplevs som sammanhållen",
										Kind: strategy.TargetQualitative},
								},
								Goals: []strategy.Goal{
									{Key: "arbete-1a-i", Level: strategy.GoalSub, Title: "Praktikplatser i kommunen"},
								},
								Commitments: []strategy.Commitment{
									{Key: "praktik", Text: "Kommunen ska erbjuda praktik."},
								},
								Responsibilities: []strategy.Responsibility{
									{Body: "amn", Role: strategy.RoleContributes},
								},
							},
						},
						Commitments: []strategy.Commitment{
							{Key: "validering", Text: "Kommunen ska validera kompetens.", Bodies: []string{"ks", "amn"}},
						},
						Responsibilities: []strategy.Responsibility{
							{Body: "amn", Role: strategy.RoleLeads, Duties: []string{"leda arbetet"}},
						},
					},
					{
						Key: "arbete-2", Level: strategy.GoalLongTerm, Title: "Bostäder åt fler",
						Targets: []strategy.Target{
							{Key: "bostader-300", Text: "Minst 300 nya bostäder per år",
								Kind: strategy.TargetPerYear, Comparator: strategy.AtLeast, Value: f(300),
								Unit: "bostäder", Indicator: "nya-bostader"},
						},
					},
				},
				Commitments: []strategy.Commitment{
					{Key: "mottagande", Text: "Kommunen har ett strukturerat mottagande.", Bodies: []string{"ks"}},
				},
				Responsibilities: []strategy.Responsibility{
					{Body: "ks", Role: strategy.RoleLeads},
					{Body: "amn", Role: strategy.RoleSupports},
					{Body: "ks", Role: strategy.RoleContributes, Duties: []string{"budget"}},
				},
			},
			{
				Key: "trygghet", Title: "Trygghet och delaktighet",
				Goals: []strategy.Goal{
					{
						Key: "trygg-1", Level: strategy.GoalLongTerm, Title: "Tryggare invånare",
						Targets: []strategy.Target{
							{Key: "trygghet-oka", Text: "Tryggheten ska öka", Kind: strategy.TargetDirection,
								Comparator: strategy.Increase, Indicator: "trygghet",
								Assessment: &strategy.Assessment{Status: strategy.OnTrack,
									Justification: "Medborgarenkäten 2019 visar ökad trygghet.", By: "Samordnaren", On: strategy.Date{Year: 2020, Month: 2, Day: 14}}},
						},
					},
				},
			},
			{Key: "samverkan", Title: "Samverkan"},
		},
		Terms: []strategy.Term{
			{Key: "nyanland", Term: "Nyanländ", Definition: "Mottagen i en kommun de senaste tre åren."},
			{Key: "utrikes-fodd", Term: "Utrikes född", Definition: "Folkbokförd i Sverige men född i ett annat land."},
		},
		ActionPlans: []strategy.ActionPlan{
			{
				Key: "ks-2017", Body: "ks", Year: 2017, Title: "Kommunstyrelsens aktivitetsplan 2017",
				Status: strategy.PlanDraft,
				Activities: []strategy.Activity{
					{Key: "sfi-info", TargetGroup: "enbart kommunplacerade",
						Title:       "Riktad information för elever på SFI",
						Description: "Om förvaltningens verksamhet", Time: "2017 kvartal 2",
						Responsible: "Kommunledningsförvaltningen", FollowUp: date("2017-12-15"),
						Goals: []string{"arbete-1", "arbete-1a"}, Status: strategy.ActivityOngoing, Progress: intp(40)},
					{Key: "mentorer", TargetGroup: "alla nyanlända", Title: "Mentorsprogram",
						Status: strategy.ActivityPlanned},
				},
			},
			{Key: "amn-2018", Body: "amn", Year: 2018, Status: strategy.PlanDecided,
				Decision: strategy.PlanDecision{Reference: "AMN 2018-02-12 § 14", On: date("2018-02-12")}},
		},
		Translations: strategy.Translations{
			"en": {
				"title":                    "Integration strategy 2020",
				"area/arbete/title":        "Work and skills",
				"target/syss-60/text":      "At least 60% of foreign-born women are in work in 2020",
				"term/nyanland/definition": "Received by a municipality in the last three years.",
				"plan/ks-2017/title":       "The executive board's action plan 2017",
			},
			"ar": {"title": "استراتيجية الاندماج 2020"},
		},
	}
}

func richObservations() []strategy.Observation {
	o := func(ind string, year int, g strategy.Gender, v *float64) strategy.Observation {
		return strategy.Observation{Indicator: ind, Org: orgCode, Year: year, Gender: g, Value: v, Source: "kolada"}
	}
	obs := []strategy.Observation{
		o("folkmangd", 2015, strategy.Total, f(60800)),
		o("folkmangd", 2015, strategy.Women, f(30300)),
		o("folkmangd", 2015, strategy.Men, f(30500)),
		o("folkmangd", 2016, strategy.Total, f(61400)),
		o("utrikes-fodda-andel", 2015, strategy.Total, f(8.1)),
		o("utrikes-fodda-andel", 2016, strategy.Total, nil), // missing, not zero
		o("utrikes-fodda-andel", 2016, strategy.Men, f(0)),  // a real zero
		o("sysselsatta-utrikes", 2015, strategy.Women, f(48.5)),
		o("sysselsatta-inrikes", 2015, strategy.Total, f(80.25)),
		o("nya-bostader", 2016, strategy.Total, f(251)),
	}
	obs[3].Preliminary = true
	obs[3].Status = "p"
	obs[3].SourceURL = "https://api.kolada.se/v3/data/kpi/N01951/municipality/2380/year/2016"
	obs[3].FetchedAt = fetched
	obs[5].Status = ".."
	obs[5].Source = "SCB"
	obs[9].Source = "Årsredovisning 2016, s. 12"
	return obs
}

// richBundle is Östersund's strategy with its indicators and values.
func richBundle() strategy.Bundle {
	return strategy.Bundle{
		Organisation: ostersund(),
		Bodies:       ostersundBodies(),
		Document:     richDocument(),
		Indicators:   richIndicators(),
		Observations: richObservations(),
	}
}

// dataBundle is a data file: indicators the document does not use, with
// values. Exported, it is the organisation's trailing bundle.
func dataBundle() strategy.Bundle {
	return strategy.Bundle{
		Organisation: ostersund(),
		Bodies:       ostersundBodies(),
		Indicators: []strategy.Indicator{
			{Key: "valdeltagande", Title: "Valdeltagande i kommunval", Unit: "%", Polarity: strategy.HigherIsBetter,
				Source: "kolada:N05401"},
			{Key: "medelinkomst", Title: "Medelinkomst", Unit: "kr", Polarity: strategy.HigherIsBetter,
				Source: "manual", Breakdowns: []string{strategy.BreakdownGender}},
		},
		Observations: []strategy.Observation{
			{Indicator: "valdeltagande", Org: orgCode, Year: 2014, Gender: strategy.Total, Value: f(83.5)},
			{Indicator: "valdeltagande", Org: orgCode, Year: 2018, Gender: strategy.Total, Value: f(84.75),
				Source: "Valmyndigheten"},
			{Indicator: "medelinkomst", Org: orgCode, Year: 2019, Gender: strategy.Total, Value: nil, Status: ".."},
			{Indicator: "medelinkomst", Org: orgCode, Year: 2019, Gender: strategy.Women, Value: f(290000.5),
				SourceURL: "https://example.org/x", FetchedAt: fetched.Add(time.Hour)},
		},
	}
}

// regionBundle is a second organisation whose document shares an
// indicator with Östersund's.
func regionBundle() strategy.Bundle {
	return strategy.Bundle{
		Organisation: &strategy.Organisation{Code: regionCode, Name: "Region Jämtland Härjedalen", Kind: strategy.OrgRegion},
		Bodies: []strategy.Body{
			{Key: "rf", Name: "Regionfullmäktige", Kind: strategy.BodyCouncil},
			{Key: "rs", Name: "Regionstyrelsen", Kind: strategy.BodyBoard},
		},
		Document: &strategy.Document{
			Key: regionDoc, Org: regionCode, Kind: strategy.KindStrategy, Title: "Regional integrationsstrategi",
			Status: strategy.StatusDraft, Owner: "rs",
			Areas: []strategy.Area{
				{Key: "kompetens", Title: "Kompetensförsörjning", Indicators: []string{"folkmangd"}},
			},
		},
		Indicators: richIndicators()[:1],
		Observations: []strategy.Observation{
			{Indicator: "folkmangd", Org: regionCode, Year: 2015, Gender: strategy.Total, Value: f(127000)},
		},
	}
}

// trailing is the bundle an export ends with: the organisation's other
// indicators with their values.
func trailing(b strategy.Bundle) strategy.Bundle {
	b.Document = nil
	return b
}

// withRevs returns d with every object's Rev set to rev (a fresh import
// stores 1; 0 compares content alone). The lists are copied, not shared.
func withRevs(d strategy.Document, rev int64) strategy.Document {
	resps := func(list []strategy.Responsibility) []strategy.Responsibility {
		list = slices.Clone(list)
		for i := range list {
			list[i].Rev = rev
		}
		return list
	}
	commitments := func(list []strategy.Commitment) []strategy.Commitment {
		list = slices.Clone(list)
		for i := range list {
			list[i].Rev = rev
		}
		return list
	}
	var goals func([]strategy.Goal) []strategy.Goal
	goals = func(list []strategy.Goal) []strategy.Goal {
		list = slices.Clone(list)
		for i := range list {
			g := &list[i]
			g.Rev = rev
			g.Targets = slices.Clone(g.Targets)
			for j := range g.Targets {
				g.Targets[j].Rev = rev
			}
			g.Goals = goals(g.Goals)
			g.Commitments = commitments(g.Commitments)
			g.Responsibilities = resps(g.Responsibilities)
		}
		return list
	}
	d.Rev = rev
	d.Responsibilities = resps(d.Responsibilities)
	d.Areas = slices.Clone(d.Areas)
	for i := range d.Areas {
		a := &d.Areas[i]
		a.Rev = rev
		a.Goals = goals(a.Goals)
		a.Commitments = commitments(a.Commitments)
		a.Responsibilities = resps(a.Responsibilities)
	}
	d.Terms = slices.Clone(d.Terms)
	for i := range d.Terms {
		d.Terms[i].Rev = rev
	}
	d.ActionPlans = slices.Clone(d.ActionPlans)
	for i := range d.ActionPlans {
		p := &d.ActionPlans[i]
		p.Rev = rev
		p.Activities = slices.Clone(p.Activities)
		for j := range p.Activities {
			p.Activities[j].Rev = rev
		}
	}
	return d
}

// indicatorRevs returns the indicators with Rev set to rev.
func indicatorRevs(list []strategy.Indicator, rev int64) []strategy.Indicator {
	list = slices.Clone(list)
	for i := range list {
		list[i].Rev = rev
	}
	return list
}

// freshlyStored is a bundle as an export gives it back after one import:
// every revision 1.
func freshlyStored(b strategy.Bundle) strategy.Bundle {
	if b.Document != nil {
		d := withRevs(*b.Document, 1)
		b.Document = &d
	}
	b.Indicators = indicatorRevs(b.Indicators, 1)
	return b
}
