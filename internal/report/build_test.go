package report

import (
	"bytes"
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/inkludera/inkludera/internal/describe"
	"github.com/inkludera/inkludera/internal/progress"
	"github.com/inkludera/inkludera/internal/strategy"
)

// findTarget returns the report's target with the key.
func findTarget(t *testing.T, f *FollowUp, key string) Target {
	t.Helper()
	for _, at := range f.AllTargets() {
		if at.Target.Key == key {
			return *at.Target
		}
	}
	t.Fatalf("no target %q in the report", key)
	return Target{}
}

func changedKeys(cs []Change) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Target+": "+string(c.From.Code)+" → "+string(c.To.Code))
	}
	return out
}

func counts(r RollUp) map[progress.Status]int {
	m := map[progress.Status]int{}
	for _, c := range r.Counts {
		m[c.Status.Code] = c.Count
	}
	return m
}

func TestBuildOstersund2021(t *testing.T) {
	st := demoStore(t, nil)
	f := build(t, st, ostersund, ostersundDoc, 2021, 0)

	if f.FormatVersion != FormatVersion || f.Year != 2021 || f.Since != 0 || f.GeneratedOn != reportDay {
		t.Errorf("head = version %d, year %d, since %d, on %s", f.FormatVersion, f.Year, f.Since, f.GeneratedOn)
	}
	if f.Organisation != (Organisation{Code: "2380", Name: "Östersunds kommun", Kind: strategy.OrgKommun}) {
		t.Errorf("organisation = %+v", f.Organisation)
	}
	if f.RecipientBody != "Kommunstyrelsen" || f.RecipientBodyKey != "ks" {
		t.Errorf("recipient = %q (%q), want Kommunstyrelsen (ks), the document's report_to", f.RecipientBody, f.RecipientBodyKey)
	}
	d := f.Document
	if d.Title != "Integrationsstrategi 2020" || d.KindLabel != "Strategi" || d.Adopted.By != "Kommunstyrelsen" || d.Adopted.On.String() != "2016-05-10" {
		t.Errorf("document = %+v", d)
	}

	// The statuses SOURCES.md lists for the demo's follow-up for 2021.
	want := map[progress.Status]int{
		progress.Achieved: 1, progress.OnTrack: 1, progress.AccelerationNeeded: 2, progress.LimitedProgress: 2,
		progress.Deterioration: 2, progress.NotAchieved: 2, progress.CannotAssess: 1,
	}
	if got := counts(f.Summary.RollUp); !mapsEqual(got, want) {
		t.Errorf("counts = %v, want %v", got, want)
	}
	if r := f.Summary.RollUp; r.Total != 11 || r.Assessed != 10 || r.Status.Code != progress.LimitedProgress || r.Status.Label != "begränsad förbättring" {
		t.Errorf("roll-up = %+v", r)
	}
	var order []progress.Status
	for _, c := range f.Summary.RollUp.Counts {
		order = append(order, c.Status.Code)
	}
	if !slices.Equal(order, progress.Statuses) {
		t.Errorf("counts in the order %v, want the engine's %v", order, progress.Statuses)
	}

	// Compared with 2020: two per-year targets got better, none worse.
	if got, want := changedKeys(f.Summary.Improved), []string{
		"bostader-cirka-100: deterioration → limited_progress",
		"praktik-cirka-100: deterioration → acceleration_needed",
	}; !slices.Equal(got, want) {
		t.Errorf("improved = %q, want %q", got, want)
	}
	if len(f.Summary.Slipped) != 0 || len(f.Summary.Uncomparable) != 0 {
		t.Errorf("slipped = %q, uncomparable = %q, want none", changedKeys(f.Summary.Slipped), changedKeys(f.Summary.Uncomparable))
	}
	if c := f.Summary.Improved[0]; c.Area != "inflyttning-mangfald" || c.Goal != "mal-1" || c.GoalTitle != "Fler nya Östersundare" {
		t.Errorf("change's place = %+v", c)
	}

	share := findTarget(t, f, "utrikes-fodda-minst-10")
	if share.Status.Code != progress.Achieved || share.PreviousStatus.Code != progress.Achieved || share.Requirement != "minst 10\u00a0% år 2020" {
		t.Errorf("share target = %+v", share)
	}
	if !strings.Contains(share.Explanation, "10,4\u00a0%") {
		t.Errorf("explanation %q does not show the 2020 value in Swedish form", share.Explanation)
	}
	if share.TargetLine == nil || *share.TargetLine != (TargetLine{Label: "Mål: minst 10\u00a0% år 2020", Value: 10, Year: 2020}) {
		t.Errorf("target line = %+v", share.TargetLine)
	}
	ind := share.Indicator
	if ind == nil || ind.Unit != "%" || ind.SourceDescription != "Kolada, nyckeltal N02926" ||
		!slices.Equal(ind.Attributions, []string{"Demovärden – inte verklig statistik"}) {
		t.Fatalf("indicator = %+v", ind)
	}
	s := ind.Series
	if !s.ByGender || s.Decimals != 1 || len(s.Years) != 10 || s.Years[0].Year != 2012 || s.Years[9].Year != 2021 {
		t.Fatalf("series = %+v", s)
	}
	if y := s.Years[9]; *y.Total != 10.5 || *y.Women != 10.4 || *y.Men != 10.6 {
		t.Errorf("2021 = %v %v %v", *y.Total, *y.Women, *y.Men)
	}
	if share.Women == nil || share.Women.Status.Code != progress.Achieved || strings.HasPrefix(share.Women.Explanation, "Kvinnor") {
		t.Errorf("women = %+v", share.Women)
	}

	// missing is null, not 0, and no value is made up for K and M of an
	// indicator without the breakdown
	homes := findTarget(t, f, "bostader-cirka-100")
	hs := homes.Indicator.Series
	if hs.ByGender || hs.Years[1].Year != 2013 || hs.Years[1].Total != nil {
		t.Errorf("2013 of the homes series = %+v, want a year with a null value", hs.Years[1])
	}
	for _, y := range hs.Years {
		if y.Women != nil || y.Men != nil {
			t.Errorf("%d has values for women or men", y.Year)
		}
	}
	if got := homes.PerYear; len(got) != 9 || got[len(got)-1] != (YearMet{Year: 2021, Value: 91, Met: false}) || !got[len(got)-3].Met {
		t.Errorf("per year = %+v", got)
	}
	if homes.TargetLine == nil || homes.TargetLine.Year != 0 {
		t.Errorf("a per-year target's line holds every year: %+v", homes.TargetLine)
	}

	// a series that ends early ends early; values after the year never show
	est := findTarget(t, f, "etablering-minst-50")
	if ys := est.Indicator.Series.Years; ys[len(ys)-1].Year != 2019 {
		t.Errorf("etablering ends %d, want 2019", ys[len(ys)-1].Year)
	}

	// a hand-set assessment keeps the computed verdict beside it
	staff := findTarget(t, f, "kommunanstallda-minst-8")
	if staff.Status.Code != progress.CannotAssess || staff.Override == nil || staff.Override.Computed.Code != progress.OnTrack ||
		staff.Override.By != "Demo" || staff.Override.On != "2022-03-15" || !strings.HasPrefix(staff.Override.Justification, "Demo (påhittad bedömning)") {
		t.Errorf("override = %+v / %+v", staff.Status, staff.Override)
	}
	if strings.Contains(staff.Explanation, "Manuell bedömning") {
		t.Errorf("the explanation repeats the override: %q", staff.Explanation)
	}

	// relative target: the reference series and its source
	youth := findTarget(t, f, "unga-utrikes-fodda-arbetsloshet")
	if youth.Reference == nil || youth.Reference.Key != "inrikes-fodda-unga-arbetslosa" || youth.TargetLine != nil {
		t.Errorf("relative target = reference %+v, line %+v", youth.Reference, youth.TargetLine)
	}
	if youth.Women.Status.Code != progress.Achieved || youth.Men.Status.Code != progress.NotAchieved {
		t.Errorf("youth by gender = %s / %s", youth.Women.Status.Code, youth.Men.Status.Code)
	}

	// every target once, in the report's order, with its place
	all := f.AllTargets()
	if len(all) != 11 || all[0].Target.Key != "utrikes-fodda-minst-10" || all[0].Area.Key != "inflyttning-mangfald" ||
		all[7].Target.Key != "praktik-cirka-100" || all[7].Goal.Key != "mal-2-arbetsgivare" || all[10].Area.Key != "social-sammanhallning" {
		var keys []string
		for _, at := range all {
			keys = append(keys, at.Area.Key+"/"+at.Goal.Key+"/"+at.Target.Key)
		}
		t.Errorf("all targets = %q", keys)
	}

	// an area's own indicators, unless a target of the area measures them
	var areaInds [][]string
	for _, a := range f.Areas {
		var keys []string
		for _, ind := range a.Indicators {
			keys = append(keys, ind.Key)
		}
		areaInds = append(areaInds, keys)
	}
	if want := [][]string{nil, nil, nil, {"sociala-relationer-utrikes-fodda"}}; !slices.EqualFunc(areaInds, want, slices.Equal) {
		t.Errorf("area indicators = %q, want %q", areaInds, want)
	}
	if ys := f.Areas[3].Indicators[0].Series.Years; len(ys) != 10 || *ys[9].Total != 74.5 {
		t.Errorf("social relations series = %+v", ys)
	}

	// sources: every indicator shown, under its values' attribution
	if len(f.Sources) != 1 || f.Sources[0].Attribution != "Demovärden – inte verklig statistik" || len(f.Sources[0].Indicators) != 13 {
		t.Errorf("sources = %+v", f.Sources)
	}
	if !strings.Contains(f.Processing, "Inkluderas egen bearbetning") {
		t.Errorf("processing = %q", f.Processing)
	}
	if len(f.ActionPlans) != 0 || len(f.Summary.Years) != 0 || len(share.History) != 0 {
		t.Errorf("plans %d, years %d, history %d: want none", len(f.ActionPlans), len(f.Summary.Years), len(share.History))
	}
}

func mapsEqual(a, b map[progress.Status]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestBuildComparesWithTheYearBefore(t *testing.T) {
	st := demoStore(t, nil)
	tests := []struct {
		year                            int
		improved, slipped, uncomparable []string
	}{
		{2020,
			[]string{"behorighet-gymnasiet-oka: acceleration_needed → on_track"},
			[]string{
				"bostader-cirka-100: on_track → deterioration",
				"skyddsbehovande-minst-60: acceleration_needed → not_achieved",
				"unga-utrikes-fodda-arbetsloshet: acceleration_needed → not_achieved",
				"praktik-cirka-100: on_track → deterioration",
			}, nil},
		{2018,
			[]string{
				"utrikes-fodda-minst-10: on_track → achieved",
				"bostader-cirka-100: acceleration_needed → on_track",
				"unga-utrikes-fodda-arbetsloshet: deterioration → acceleration_needed",
				"behorighet-hogskola-oka: deterioration → limited_progress",
			},
			[]string{
				"mottagande-minst-300: achieved → deterioration",
				"praktik-cirka-100: on_track → deterioration",
			}, nil},
		// in 2012 each series had one value: most targets could not be
		// judged, so they are newly judged in 2013, neither better nor worse;
		// a per-year target is judged on one year too
		{2013,
			[]string{
				"mottagande-minst-300: limited_progress → acceleration_needed",
				"praktik-cirka-100: limited_progress → acceleration_needed",
			}, nil,
			[]string{
				"utrikes-fodda-minst-10: cannot_assess → acceleration_needed",
				"etablering-minst-50: cannot_assess → acceleration_needed",
				"skyddsbehovande-minst-60: cannot_assess → limited_progress",
				"unga-utrikes-fodda-arbetsloshet: cannot_assess → deterioration",
				"behorighet-gymnasiet-oka: cannot_assess → on_track",
				"behorighet-hogskola-oka: cannot_assess → deterioration",
				"sociala-relationer-skillnad-minska: cannot_assess → deterioration",
			}},
	}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.year), func(t *testing.T) {
			f := build(t, st, ostersund, ostersundDoc, tt.year, 0)
			if f.Summary.PreviousYear != tt.year-1 {
				t.Errorf("previous year = %d", f.Summary.PreviousYear)
			}
			if got := changedKeys(f.Summary.Improved); !slices.Equal(got, tt.improved) {
				t.Errorf("improved = %q, want %q", got, tt.improved)
			}
			if got := changedKeys(f.Summary.Slipped); !slices.Equal(got, tt.slipped) {
				t.Errorf("slipped = %q, want %q", got, tt.slipped)
			}
			if got := changedKeys(f.Summary.Uncomparable); !slices.Equal(got, tt.uncomparable) {
				t.Errorf("uncomparable = %q, want %q", got, tt.uncomparable)
			}
		})
	}
}

func TestBuildDeep(t *testing.T) {
	st := demoStore(t, nil)
	f := build(t, st, ostersund, ostersundDoc, 2021, 2018)
	if !f.Deep() || !slices.Equal(f.Years(), []int{2018, 2019, 2020, 2021}) {
		t.Fatalf("years = %v", f.Years())
	}
	var years []int
	for _, y := range f.Summary.Years {
		years = append(years, y.Year)
		if y.RollUp.Total != 11 {
			t.Errorf("%d: %d targets", y.Year, y.RollUp.Total)
		}
	}
	if !slices.Equal(years, f.Years()) {
		t.Errorf("summary years = %v", years)
	}
	if last := f.Summary.Years[3].RollUp; last.Status != f.Summary.RollUp.Status || !mapsEqual(counts(last), counts(f.Summary.RollUp)) {
		t.Errorf("the last year's roll-up %+v differs from the report's %+v", last, f.Summary.RollUp)
	}
	// each year judged on its own data: the same statuses as the yearly
	// reports of those years
	homes := findTarget(t, f, "bostader-cirka-100")
	var hist []progress.Status
	for _, h := range homes.History {
		hist = append(hist, h.Status.Code)
	}
	want := []progress.Status{progress.OnTrack, progress.OnTrack, progress.Deterioration, progress.LimitedProgress}
	if !slices.Equal(hist, want) {
		t.Errorf("history = %v, want %v", hist, want)
	}
	for i, y := range f.Years() {
		yearly := findTarget(t, build(t, st, ostersund, ostersundDoc, y, 0), "bostader-cirka-100")
		if yearly.Status.Code != hist[i] {
			t.Errorf("%d: deep %s, yearly report %s", y, hist[i], yearly.Status.Code)
		}
	}
}

// withPlans adds a body, commitments with bodies and action plans to the
// Östersund demo, whose strategy has none.
func withPlans(t *testing.T) func([]strategy.Bundle) {
	return func(bundles []strategy.Bundle) {
		for i := range bundles {
			if bundles[i].Organisation != nil && bundles[i].Organisation.Code == ostersund {
				bundles[i].Bodies = append(bundles[i].Bodies,
					strategy.Body{Key: "amn", Name: "Arbetsmarknadsnämnden", Kind: strategy.BodyCommittee})
			}
		}
		d := documentOf(t, bundles, ostersundDoc)
		d.Areas[0].Goals[0].Commitments[0].Bodies = []string{"ks", "amn"}
		pct := 40
		d.ActionPlans = []strategy.ActionPlan{
			{Key: "ks-2021", Body: "ks", Year: 2021, Status: strategy.PlanDecided,
				Decision: strategy.PlanDecision{Reference: "KS 2021-02-10 § 12", On: strategy.Date{Year: 2021, Month: 2, Day: 10}},
				Activities: []strategy.Activity{
					{Key: "klar", TargetGroup: "alla", Title: "Klar aktivitet", Time: "2021-Q1", Status: strategy.ActivityDone},
					{Key: "tiden-ute", TargetGroup: "alla", Title: "Välkomstträffar", Time: "2021-Q3", Status: strategy.ActivityOngoing, Progress: &pct, Goals: []string{"mal-1", "mal-2-arbetsgivare"}},
					{Key: "markerad", TargetGroup: "alla", Title: "Mentorsprogram", Time: "2022-Q4", Status: strategy.ActivityLate},
					{Key: "i-tid", TargetGroup: "alla", Title: "Språkcafé", Time: "2022-Q4", Status: strategy.ActivityOngoing},
					{Key: "installd", TargetGroup: "alla", Title: "Inställd mässa", Time: "2021-Q2", Status: strategy.ActivityCancelled},
				}},
			{Key: "amn-2021", Body: "amn", Year: 2021, Status: strategy.PlanDraft,
				Activities: []strategy.Activity{
					{Key: "uppfoljning-passerad", TargetGroup: "migranter och kommunplacerade", Title: "Praktikplatser",
						Time: "2022", FollowUp: strategy.Date{Year: 2022, Month: 1, Day: 31}, Status: strategy.ActivityPlanned},
				}},
			{Key: "ks-2020", Body: "ks", Year: 2020, Status: strategy.PlanDecided,
				Decision:   strategy.PlanDecision{Reference: "KS 2020-02-12 § 9", On: strategy.Date{Year: 2020, Month: 2, Day: 12}},
				Activities: []strategy.Activity{{Key: "gammal", TargetGroup: "alla", Title: "Förra årets", Time: "2020-Q1", Status: strategy.ActivityPlanned}}},
		}
	}
}

func TestBuildActionPlans(t *testing.T) {
	st := demoStore(t, withPlans(t))
	ctx := context.Background()
	if _, err := st.AddNote(ctx, strategy.ActivityRef(ostersundDoc, "ks-2021", "tiden-ute"),
		strategy.Note{Date: strategy.Date{Year: 2021, Month: 10, Day: 1}, Text: "Två av fyra träffar hållna.", Author: "Anna Andersson"}); err != nil {
		t.Fatal(err)
	}
	f := build(t, st, ostersund, ostersundDoc, 2021, 0)

	var titles []string
	for _, p := range f.ActionPlans {
		titles = append(titles, p.Title+" ("+p.Body+")")
	}
	// the year's plans only, by body name
	if want := []string{"Aktivitetsplan för Arbetsmarknadsnämnden 2021 (Arbetsmarknadsnämnden)", "Aktivitetsplan för Kommunstyrelsen 2021 (Kommunstyrelsen)"}; !slices.Equal(titles, want) {
		t.Fatalf("plans = %q, want %q", titles, want)
	}
	amn, ks := f.ActionPlans[0], f.ActionPlans[1]
	if ks.Decision != "KS 2021-02-10 § 12, beslutad 2021-02-10" || ks.StatusLabel != "beslutad" || amn.Decision != "" || amn.StatusLabel != "utkast" {
		t.Errorf("decisions = %q (%s) / %q (%s)", ks.Decision, ks.StatusLabel, amn.Decision, amn.StatusLabel)
	}
	if ks.Total != 5 || ks.Late != 2 || amn.Total != 1 || amn.Late != 1 {
		t.Errorf("ks %d activities, %d late; amn %d, %d late", ks.Total, ks.Late, amn.Total, amn.Late)
	}
	gotCounts := map[strategy.ActivityStatus]int{}
	for _, c := range ks.Counts {
		gotCounts[c.Status] = c.Count
	}
	if len(ks.Counts) != 5 || ks.Counts[0].Status != strategy.ActivityPlanned || ks.Counts[1].Label != "pågår" ||
		gotCounts[strategy.ActivityOngoing] != 2 || gotCounts[strategy.ActivityDone] != 1 || gotCounts[strategy.ActivityLate] != 1 ||
		gotCounts[strategy.ActivityCancelled] != 1 || gotCounts[strategy.ActivityPlanned] != 0 {
		t.Errorf("counts = %+v", ks.Counts)
	}
	late := map[string]describe.Lateness{}
	for _, p := range f.ActionPlans {
		for _, a := range p.Activities {
			late[a.Key] = a.Late
			if (a.Late == describe.NotLate) != (a.LateReason == "") {
				t.Errorf("%s: late %q with reason %q", a.Key, a.Late, a.LateReason)
			}
		}
	}
	want := map[string]describe.Lateness{
		"klar":                 describe.NotLate,
		"tiden-ute":            describe.TimePassed,     // 2021-Q3 passed while pågår (Activity.Overdue)
		"markerad":             describe.MarkedLate,     // status försenad
		"i-tid":                describe.NotLate,        // 2022-Q4 is ahead
		"installd":             describe.NotLate,        // cancelled is never late
		"uppfoljning-passerad": describe.FollowUpPassed, // follow-up 2022-01-31 passed while planerad
	}
	if !mapsEqualLate(late, want) {
		t.Errorf("late = %v, want %v", late, want)
	}
	act := ks.Activities[1]
	if act.Progress == nil || *act.Progress != 40 || act.StatusLabel != "pågår" || !strings.Contains(act.LateReason, "2021-09-30") {
		t.Errorf("activity = %+v", act)
	}
	if want := []GoalRef{{Key: "mal-1", Title: "Fler nya Östersundare"}, {Key: "mal-2-arbetsgivare", Title: "Kommunen som arbetsgivare tar tidigt tillvara nyanländas kompetens"}}; !slices.Equal(act.Goals, want) {
		t.Errorf("goals = %+v", act.Goals)
	}
	if len(act.Notes) != 1 || act.Notes[0] != (Note{Date: strategy.Date{Year: 2021, Month: 10, Day: 1}, Text: "Två av fyra träffar hållna."}) {
		t.Errorf("notes = %+v", act.Notes)
	}
	if c := f.Areas[0].Goals[0].Commitments[0]; !slices.Equal(c.Bodies, []string{"Kommunstyrelsen", "Arbetsmarknadsnämnden"}) {
		t.Errorf("commitment bodies = %q", c.Bodies)
	}

	// the rendering lists the late ones with their reasons, and shows the
	// note without its author
	var buf bytes.Buffer
	if err := RenderHTML(&buf, f); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	for _, want := range []string{
		`<h4 id="sena-ks-2021">Sena aktiviteter</h4>`,
		"<li><strong>Välkomstträffar.</strong> Tiden gick ut 2021-09-30, men aktiviteten pågår fortfarande.</li>",
		"<li><strong>Mentorsprogram.</strong> Aktiviteten är markerad som försenad.</li>",
		"<li><strong>Praktikplatser.</strong> Uppföljningen skulle ha gjorts senast 2022-01-31, men aktiviteten är fortfarande planerad.</li>",
		"Uppföljning 2021-10-01: Två av fyra träffar hållna.",
		"Ansvar: Kommunstyrelsen, Arbetsmarknadsnämnden",
		"2 aktivitetsplaner för 2021. Aktiviteter som är sena 2022-03-15: 3.",
		"Planens status: utkast. 1 aktivitet, varav 1 sen 2022-03-15.",
		"5 aktiviteter, varav 2 sena 2022-03-15.",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	for _, not := range []string{"Anna Andersson", "Förra årets", "Språkcafé.</strong>"} {
		if strings.Contains(page, not) {
			t.Errorf("the page shows %q", not)
		}
	}
	if problems := htmlProblems(page); len(problems) > 0 {
		t.Errorf("accessibility problems:\n%s", strings.Join(problems, "\n"))
	}
}

func mapsEqualLate(a, b map[string]describe.Lateness) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// Strömsund's programme follows population figures for the whole
// document, credited to the table in the programme, and has a plan for
// 2014 without times, so nothing in it is late.
func TestBuildStromsund(t *testing.T) {
	st := demoStore(t, nil)
	f := build(t, st, stromsund, stromsundDoc, 2014, 0)
	var keys []string
	for _, ind := range f.Indicators {
		keys = append(keys, ind.Key)
	}
	if want := []string{"folkmangd", "flyttnetto", "fodelsenetto"}; !slices.Equal(keys, want) {
		t.Fatalf("document indicators = %q, want %q", keys, want)
	}
	pop := f.Indicators[0]
	citation := "Källa: Program för inflyttning och integration 2014–2015, avsnitt 10 (Befolkningsutveckling under 10 år)"
	if !slices.Equal(pop.Attributions, []string{citation}) || pop.Series.Decimals != 0 || *pop.Series.Years[0].Total != 13112 {
		t.Errorf("population = %+v", pop)
	}
	if len(f.Sources) != 1 || f.Sources[0].Attribution != citation {
		t.Errorf("sources = %+v", f.Sources)
	}
	if len(f.ActionPlans) != 1 || f.ActionPlans[0].Body != "Verksamhetsansvariga nämnder" || f.ActionPlans[0].Total != 7 || f.ActionPlans[0].Late != 0 {
		t.Errorf("plans = %+v", f.ActionPlans)
	}
	if f.RecipientBody != "Kommunstyrelsen" {
		t.Errorf("recipient = %q", f.RecipientBody)
	}
	var buf bytes.Buffer
	if err := RenderHTML(&buf, f); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	for _, want := range []string{
		`<h2 id="indikatorer">Indikatorer för hela dokumentet</h2>`,
		"<td class=\"num\">13\u00a0112</td>", // Swedish thousands, never broken
		"Exempel på aktivitetsplan enligt programmet (avsnitt 11.3)",
		"7 aktiviteter, varav 0 sena 2022-03-15.",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if problems := htmlProblems(page); len(problems) > 0 {
		t.Errorf("accessibility problems:\n%s", strings.Join(problems, "\n"))
	}
}

func TestBuildRecipient(t *testing.T) {
	st := demoStore(t, func(bundles []strategy.Bundle) {
		documentOf(t, bundles, ostersundDoc).FollowUp.ReportTo = ""
	})
	f := build(t, st, ostersund, ostersundDoc, 2021, 0)
	if f.RecipientBody != DefaultRecipient || f.RecipientBodyKey != "" {
		t.Errorf("recipient without report_to = %q (%q), want %q", f.RecipientBody, f.RecipientBodyKey, DefaultRecipient)
	}
	b := &builder{org: strategy.Organisation{Code: "23", Kind: strategy.OrgRegion}}
	if name, _ := b.recipient(); name != DefaultRegionRecipient {
		t.Errorf("a region's default recipient = %q", name)
	}
}

func TestBuildErrors(t *testing.T) {
	st := demoStore(t, nil)
	tests := []struct {
		name        string
		org, doc    string
		year, since int
		today       strategy.Date
		code        strategy.ErrorCode
		message     string
	}{
		{"unknown organisation", "9999", ostersundDoc, 2021, 0, reportDay, strategy.CodeNotFound, `no organisation has the code "9999"`},
		{"unknown document", ostersund, "finns-inte", 2021, 0, reportDay, strategy.CodeNotFound, `no document has the key "finns-inte"`},
		{"another organisation's document", ostersund, stromsundDoc, 2014, 0, reportDay, strategy.CodeInvalid, "belongs to organisation 2313, not 2380"},
		{"year too early", ostersund, ostersundDoc, 1899, 0, reportDay, strategy.CodeInvalid, "between 1900 and 2022"},
		{"year not begun", ostersund, ostersundDoc, 2023, 0, reportDay, strategy.CodeInvalid, "got 2023"},
		{"since the year itself", ostersund, ostersundDoc, 2021, 2021, reportDay, strategy.CodeInvalid, "2021 is not before 2021"},
		{"since after the year", ostersund, ostersundDoc, 2021, 2022, reportDay, strategy.CodeInvalid, "not before"},
		{"since too far back", ostersund, ostersundDoc, 2021, 2005, reportDay, strategy.CodeInvalid, "at most 10 years"},
		{"no date", ostersund, ostersundDoc, 2021, 0, strategy.Date{}, strategy.CodeInvalid, "needs its date"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Build(context.Background(), st, tt.org, tt.doc, tt.year, tt.since, tt.today)
			if err == nil {
				t.Fatalf("no error; report for %d", f.Year)
			}
			if got := strategy.CodeOf(err); got != tt.code {
				t.Errorf("code = %s, want %s (%v)", got, tt.code, err)
			}
			if !strings.Contains(err.Error(), tt.message) {
				t.Errorf("error %q does not say %q", err, tt.message)
			}
		})
	}
	// the edges are allowed
	if _, err := Build(context.Background(), st, ostersund, ostersundDoc, 2022, 2012, reportDay); err != nil {
		t.Errorf("the current year with a 10-year deep follow-up: %v", err)
	}
}
