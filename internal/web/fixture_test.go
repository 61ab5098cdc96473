package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/inkludera/inkludera/internal/store"
	"github.com/inkludera/inkludera/internal/strategy"
)

func f(v float64) *float64 { return &v }

func date(s string) strategy.Date {
	d, err := strategy.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// testBundles is the data every web test runs against: Strömsund with a
// full programme (areas, goals with sub-goals, targets of every kind,
// terms, an action plan), Östersund with a draft, a region without
// documents, and indicators with T/K/M values including missing ones.
func testBundles() []strategy.Bundle {
	stromsund := &strategy.Organisation{Code: "2313", Name: "Strömsunds kommun", Kind: strategy.OrgKommun, County: "23"}
	ostersund := &strategy.Organisation{Code: "2380", Name: "Östersunds kommun", Kind: strategy.OrgKommun, County: "23"}
	region := &strategy.Organisation{Code: "23", Name: "Region Jämtland Härjedalen", Kind: strategy.OrgRegion}

	indicators := []strategy.Indicator{
		{Key: "folkmangd", Title: "Folkmängd", Description: "Antal invånare den 31 december.", Unit: "antal",
			Polarity: strategy.HigherIsBetter, Source: "kolada:N01951", Breakdowns: []string{"gender"}},
		{Key: "utrikes-fodda-andel", Title: "Utrikes födda, andel", Unit: "%",
			Polarity: strategy.Neutral, Source: "kolada:N02926", Breakdowns: []string{"gender"}},
		{Key: "inflyttade", Title: "Inflyttade personer", Unit: "personer",
			Polarity: strategy.HigherIsBetter, Source: "manual"},
		{Key: "arbetslosa-inrikes", Title: "Arbetslöshet bland inrikes födda", Unit: "%",
			Polarity: strategy.LowerIsBetter, Source: "scb:AM0210/ArbStatusM"},
		{Key: "arbetslosa-utrikes", Title: "Arbetslöshet bland utrikes födda", Unit: "%",
			Polarity: strategy.LowerIsBetter, Source: "scb:AM0210/ArbStatusU", Breakdowns: []string{"gender"}},
		{Key: "sfi-klarat", Title: "Elever som klarat SFI inom ett år", Unit: "%",
			Polarity: strategy.HigherIsBetter, Source: "kolada:N15422"},
		{Key: "nojdhet", Title: "Nöjdhet med mottagandet", Unit: "%",
			Polarity: strategy.HigherIsBetter, Source: "demo"},
	}
	citation := "Program för inflyttning och integration 2014–2015, avsnitt 10"
	obs := func(ind, org string, year int, g strategy.Gender, v *float64, source string) strategy.Observation {
		return strategy.Observation{Indicator: ind, Org: org, Year: year, Gender: g, Value: v, Source: source}
	}
	observations := []strategy.Observation{
		obs("folkmangd", "2313", 2004, strategy.Total, f(13112), citation),
		obs("folkmangd", "2313", 2004, strategy.Women, f(6388), citation),
		obs("folkmangd", "2313", 2004, strategy.Men, f(6724), citation),
		obs("folkmangd", "2313", 2005, strategy.Total, f(12931), citation),
		obs("folkmangd", "2313", 2005, strategy.Women, f(6320), citation),
		obs("folkmangd", "2313", 2005, strategy.Men, f(6611), citation),
		obs("folkmangd", "2313", 2006, strategy.Total, nil, citation),
		obs("folkmangd", "2313", 2013, strategy.Total, f(11984), citation),
		obs("folkmangd", "2313", 2013, strategy.Women, f(5900), citation),
		obs("folkmangd", "2313", 2013, strategy.Men, f(6084), citation),
		obs("utrikes-fodda-andel", "2313", 2015, strategy.Total, f(8.1), "kolada"),
		obs("utrikes-fodda-andel", "2313", 2015, strategy.Women, f(8.0), "kolada"),
		obs("utrikes-fodda-andel", "2313", 2015, strategy.Men, f(8.2), "kolada"),
		obs("utrikes-fodda-andel", "2313", 2016, strategy.Total, f(8.4), "kolada"),
		obs("utrikes-fodda-andel", "2313", 2017, strategy.Total, f(8.7), "kolada"),
		obs("utrikes-fodda-andel", "2313", 2018, strategy.Total, f(9.0), "kolada"),
		obs("utrikes-fodda-andel", "2313", 2019, strategy.Total, f(9.4), "kolada"),
		obs("utrikes-fodda-andel", "2313", 2019, strategy.Women, f(9.0), "kolada"),
		obs("utrikes-fodda-andel", "2313", 2019, strategy.Men, f(9.8), "kolada"),
		obs("utrikes-fodda-andel", "2313", 2020, strategy.Total, nil, "kolada"),
		obs("utrikes-fodda-andel", "2380", 2019, strategy.Total, f(12.5), "kolada"),
		obs("inflyttade", "2313", 2017, strategy.Total, f(280), ""),
		{Indicator: "inflyttade", Org: "2313", Year: 2018, Gender: strategy.Total, Value: f(310), Preliminary: true, Status: "p"},
		obs("arbetslosa-inrikes", "2313", 2019, strategy.Total, f(5.2), "scb"),
		obs("arbetslosa-utrikes", "2313", 2019, strategy.Total, f(14.3), "scb"),
		obs("nojdhet", "2313", 2018, strategy.Total, f(60), "demo"),
		obs("nojdhet", "2313", 2019, strategy.Total, f(65), "demo"),
		obs("nojdhet", "2313", 2020, strategy.Total, f(70), "demo"),
		obs("nojdhet", "2313", 2023, strategy.Total, f(78), "demo"),
	}

	program := &strategy.Document{
		Key: "stromsund-program", Org: "2313", Kind: strategy.KindProgramme,
		Title:      "Program för inflyttning och integration 2014–2015",
		Subtitle:   "Strömsunds kommuns program",
		Identifier: "0:34", CaseNumber: "KS 2013/123", Version: "1.0",
		Status: strategy.StatusAdopted,
		Adopted: strategy.Adoption{By: "kf", On: date("2014-04-16"), Paragraph: "§ 24",
			Reference: "KF 2014-04-16 § 24"},
		ValidFrom: date("2014-01-01"), ValidTo: date("2015-12-31"),
		FollowUp: strategy.FollowUpRule{IntervalYears: 1, Occasion: "i samband med bokslut",
			ReportTo: "ks", DeepIntervalYears: 4},
		Revision:    strategy.RevisionRule{Due: 2015, Condition: "Om förutsättningarna förändras nämnvärt"},
		Owner:       "ks",
		Responsible: "Kommunchef",
		Audience:    []string{"Invånare", "Förtroendevalda"},
		Replaces:    []string{"stromsund-program-2010"},
		Related: []strategy.Related{
			{Title: "Regional strategi för ökad inflyttning", URL: "https://example.org/regional-strategi"},
			{Title: "Östersunds integrationsstrategi", Key: "ostersund-strategi"},
		},
		Summary:     "Kommunen vill att fler flyttar hit och att nya invånare snabbt kommer i arbete.",
		Description: "Programmet bygger på kommunens vision om en växande kommun.",
		Indicators:  []string{"folkmangd"},
		Responsibilities: []strategy.Responsibility{
			{Body: "ks", Role: strategy.RoleCoordinates, Duties: []string{"Följer upp programmet varje år"}},
		},
		Areas: []strategy.Area{
			{
				Key: "inflyttning", Title: "Inflyttning och mångfald", Prioritised: true,
				Description: "Fler ska vilja flytta hit.",
				Parent:      &strategy.AreaRef{Document: "ostersund-strategi", Area: "samverkan"},
				Indicators:  []string{"folkmangd", "inflyttade"},
				Responsibilities: []strategy.Responsibility{
					{Body: "ks", Role: strategy.RoleLeads, Duties: []string{"Leder arbetet med inflyttning"}},
				},
				Goals: []strategy.Goal{{
					Key: "mal-fler-invanare", Level: strategy.GoalLongTerm, Title: "Fler invånare i Strömsunds kommun",
					Targets: []strategy.Target{
						{Key: "t-utrikes-10", Text: "Minst 10 % av befolkningen är utrikes födda år 2020",
							Kind: strategy.TargetThreshold, Comparator: strategy.AtLeast, Value: f(10), Unit: "%",
							BaseYear: 2015, BaseValue: f(8.1), TargetYear: 2020, Indicator: "utrikes-fodda-andel"},
						{Key: "t-inflyttade-300", Text: "Minst 300 personer flyttar hit varje år",
							Kind: strategy.TargetPerYear, Comparator: strategy.AtLeast, Value: f(300), Unit: "personer",
							Indicator: "inflyttade"},
					},
					Goals: []strategy.Goal{{
						Key: "delmal-kvinnor", Level: strategy.GoalSub, Title: "Fler kvinnor bosätter sig i kommunen",
						Targets: []strategy.Target{
							{Key: "t-kvinnor-oka", Text: "Antalet kvinnor ska öka", Kind: strategy.TargetDirection,
								Comparator: strategy.Increase, Indicator: "folkmangd", Gender: strategy.Women},
						},
						Goals: []strategy.Goal{{
							Key: "delmal-unga-kvinnor", Level: strategy.GoalSub, Title: "Unga kvinnor stannar kvar",
							Targets: []strategy.Target{
								{Key: "t-framtid", Text: "Unga kvinnor ser en framtid i kommunen", Kind: strategy.TargetQualitative},
							},
						}},
					}},
					Commitments: []strategy.Commitment{
						{Key: "c-valkomst", Text: "Kommunen ska erbjuda ett välkomstsamtal till alla nyinflyttade.", Bodies: []string{"ks"}},
					},
					Responsibilities: []strategy.Responsibility{
						{Body: "klf", Role: strategy.RoleContributes},
					},
				}},
				Commitments: []strategy.Commitment{
					{Key: "c-mottagande", Text: "Kommunen ska ha ett strukturerat och effektivt mottagande.",
						Bodies: []string{"ks", "amn"}},
				},
			},
			{
				Key: "arbete", Title: "Arbete och egen försörjning",
				Goals: []strategy.Goal{{
					Key: "mal-arbete", Level: strategy.GoalLongTerm, Title: "Fler utrikes födda i arbete",
					Targets: []strategy.Target{
						{Key: "t-relativ", Text: "Arbetslösheten bland utrikes födda ska inte vara högre än bland inrikes födda",
							Kind: strategy.TargetRelative, Comparator: strategy.AtMost, Unit: "%",
							Indicator: "arbetslosa-utrikes", ReferenceIndicator: "arbetslosa-inrikes",
							// One common year gives no trend; the override stands in for it.
							Assessment: &strategy.Assessment{Status: strategy.LimitedProgress, By: "amn", On: date("2025-11-20"),
								Justification: "Arbetsförmedlingens månadssiffror visar att skillnaden minskar långsamt"}},
						{Key: "t-sfi", Text: "Cirka 60 % klarar SFI inom ett år 2018", Kind: strategy.TargetThreshold,
							Comparator: strategy.About, Value: f(60), Unit: "%", TargetYear: 2018, Indicator: "sfi-klarat"},
						{Key: "t-nojdhet", Text: "Minst 75 % är nöjda med mottagandet år 2022", Kind: strategy.TargetThreshold,
							Comparator: strategy.AtLeast, Value: f(75), Unit: "%", TargetYear: 2022, Indicator: "nojdhet"},
						{Key: "t-samverkan", Text: "Samverkan med näringslivet ska stärkas", Kind: strategy.TargetQualitative,
							Assessment: &strategy.Assessment{Status: strategy.OnTrack, By: "Näringslivschefen",
								Justification: "Näringslivsrådet har träffats fyra gånger under året"}},
					},
				}},
			},
		},
		Terms: []strategy.Term{
			{Key: "nyanland", Term: "Nyanländ", Definition: "Person som har fått uppehållstillstånd och kommunplacerats de senaste tre åren."},
		},
		ActionPlans: []strategy.ActionPlan{{
			Key: "ks-2015", Body: "ks", Year: 2015, Title: "Aktivitetsplan för inflyttning 2015", Status: strategy.PlanDecided,
			Decision: strategy.PlanDecision{Reference: "KS 2015-02-10 § 12", On: date("2015-02-10")},
			Activities: []strategy.Activity{
				{Key: "sfi-info", TargetGroup: "Enbart kommunplacerade",
					Title: "Riktad information för elever på SFI om förvaltningens verksamhet",
					Time:  "2015 kvartal 2", Responsible: "Kommunledningsförvaltningen", FollowUp: date("2015-12-01"),
					Goals: []string{"mal-fler-invanare"}, Status: strategy.ActivityPlanned},
				{Key: "praktik", TargetGroup: "Migranter", Title: "Prioritera nyanlända vid mottagning av praktikanter",
					Time: "2015", Responsible: "Alla förvaltningar", Status: strategy.ActivityOngoing},
				{Key: "tolk", TargetGroup: "Egen personal", Title: "Kompetensutveckling i att använda tolk",
					Status: strategy.ActivityDone},
				{Key: "inventering", TargetGroup: "Egen personal", Title: "Inventering av personalens språkkunskaper",
					Status: strategy.ActivityLate},
				{Key: "turister", TargetGroup: "Turister", Title: "Information till fritidshusägare",
					Status: strategy.ActivityCancelled},
			},
		}},
	}

	draft := &strategy.Document{
		Key: "ostersund-strategi", Org: "2380", Kind: strategy.KindStrategy,
		Title: "Integrationsstrategi för Östersunds kommun", Status: strategy.StatusDraft,
		Areas: []strategy.Area{{Key: "samverkan", Title: "Regional samverkan"}},
	}

	return []strategy.Bundle{
		{
			Organisation: stromsund,
			Bodies: []strategy.Body{
				{Key: "kf", Name: "Kommunfullmäktige", Kind: strategy.BodyCouncil},
				{Key: "ks", Name: "Kommunstyrelsen", Kind: strategy.BodyBoard},
				{Key: "amn", Name: "Arbetsmarknadsnämnden", Kind: strategy.BodyCommittee},
				{Key: "klf", Name: "Kommunledningsförvaltningen", Kind: strategy.BodyAdministration, Parent: "ks"},
			},
			Document:     program,
			Indicators:   indicators,
			Observations: observations,
		},
		{
			Organisation: ostersund,
			Bodies:       []strategy.Body{{Key: "ks", Name: "Kommunstyrelsen", Kind: strategy.BodyBoard}},
			Document:     draft,
		},
		{Organisation: region},
	}
}

// testNow is the tests' clock: statuses are assessed as of 2026 unless a
// test asks for another year.
func testNow() time.Time { return time.Date(2026, time.March, 15, 12, 0, 0, 0, time.UTC) }

// testEnv is a server on a real SQLite store loaded with testBundles.
type testEnv struct {
	h   http.Handler
	st  *store.Store
	log *strings.Builder
}

func newTestEnv(t *testing.T) *testEnv {
	t.Helper()
	return newTestEnvWith(t, newTestStore(t))
}

// newTestStore is a real store (of the test's engine, see onEngines) loaded with testBundles, closed when
// the test ends.
func newTestStore(t *testing.T) *store.Store {
	t.Helper()
	ctx := context.Background()
	st := openTestDB(t, "web.db")
	if _, err := st.Import(ctx, testBundles()); err != nil {
		t.Fatalf("importing test bundles: %v", err)
	}
	return st
}

// newTestEnvWith serves st with the options. The handler is closed before
// the store (cleanups run last first), so no background fetch outlives it.
func newTestEnvWith(t *testing.T, st *store.Store, opts ...Option) *testEnv {
	t.Helper()
	logs := &strings.Builder{}
	log := slog.New(slog.NewJSONHandler(logs, nil))
	h := newHandler(st, log, testNow, opts...)
	t.Cleanup(func() { h.Close() })
	return &testEnv{h: h, st: st, log: logs}
}

// do sends a request to the handler and returns the response and its body.
func (e *testEnv) do(t *testing.T, method, target string) (*http.Response, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, httptest.NewRequest(method, target, nil))
	res := rec.Result()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, string(body)
}

// nb writes expectations readably: "13 112" in a test means "13\u00a0112".
// Only use it on strings whose every space is non-breaking on the page.
func nb(s string) string { return strings.ReplaceAll(s, " ", "\u00a0") }
