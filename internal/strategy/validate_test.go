package strategy

import (
	"errors"
	"strings"
	"testing"
)

func ptr(v float64) *float64 { return &v }

// validBundle is the smallest bundle that uses every kind of part.
func validBundle() Bundle {
	return Bundle{
		Organisation: &Organisation{Code: "2380", Name: "Östersunds kommun", Kind: OrgKommun, County: "23"},
		Bodies: []Body{
			{Key: "ks", Name: "Kommunstyrelsen", Kind: BodyBoard},
			{Key: "klf", Name: "Kommunledningsförvaltningen", Kind: BodyAdministration, Parent: "ks"},
		},
		Indicators: []Indicator{
			{Key: "andel", Title: "Andel", Unit: "%", Polarity: HigherIsBetter, Source: "kolada:N02926", Breakdowns: []string{"gender"}},
			{Key: "ref", Title: "Referens", Unit: "%", Polarity: LowerIsBetter, Source: "manual"},
		},
		Document: &Document{
			Key: "strategi", Kind: KindStrategy, Title: "Strategi", Status: StatusAdopted,
			Adopted: Adoption{By: "ks", On: Date{2016, 5, 10}},
			Owner:   "ks",
			Areas: []Area{{
				Key: "a", Title: "Område",
				Goals: []Goal{{
					Key: "g", Level: GoalLongTerm, Title: "Mål",
					Targets: []Target{
						{Key: "t1", Text: "Minst 10 %", Kind: TargetThreshold, Comparator: AtLeast, Value: ptr(10), Unit: "%", TargetYear: 2020, Indicator: "andel"},
						{Key: "t2", Text: "Högst som referensen", Kind: TargetRelative, Comparator: AtMost, Indicator: "andel", ReferenceIndicator: "ref"},
						{Key: "t3", Text: "Ska öka", Kind: TargetDirection, Comparator: Increase, Indicator: "andel"},
						{Key: "t4", Text: "Bättre service", Kind: TargetQualitative, Assessment: &Assessment{Status: OnTrack, Justification: "Enkäten visar…", On: Date{2019, 3, 1}}},
					},
					Goals: []Goal{{Key: "g1", Level: GoalSub, Title: "Delmål"}},
				}},
				Commitments:      []Commitment{{Key: "c", Text: "Kommunen ska …", Bodies: []string{"klf"}}},
				Responsibilities: []Responsibility{{Body: "ks", Role: RoleLeads}},
			}},
			Terms:       []Term{{Key: "nyanland", Term: "Nyanländ", Definition: "…"}},
			ActionPlans: []ActionPlan{{Key: "p", Body: "klf", Year: 2017, Status: PlanDraft, Activities: []Activity{{Key: "x", TargetGroup: "alla", Title: "Info", Status: ActivityPlanned, Goals: []string{"g1"}}}}},
		},
		Observations: []Observation{
			{Indicator: "andel", Org: "2380", Year: 2019, Gender: Women, Value: ptr(9.4)},
			{Indicator: "ref", Org: "00", Year: 2019, Gender: Total},
		},
	}
}

func TestValidBundle(t *testing.T) {
	if err := validBundle().Validate(nil); err != nil {
		t.Fatal(err)
	}
}

func TestValidateReportsEveryProblemByPath(t *testing.T) {
	tests := []struct {
		name   string
		change func(b *Bundle)
		want   []string // "path: message fragment"
	}{
		{"kolada region code", func(b *Bundle) { b.Organisation.Code = "0023"; b.Organisation.Kind = OrgRegion },
			[]string{"organisation.code: a region's code has two digits"}},
		{"kommun in another county", func(b *Bundle) { b.Organisation.County = "22" },
			[]string{"organisation.county: kommun 2380 lies in län 23"}},
		{"upper-case key", func(b *Bundle) { b.Document.Areas[0].Key = "Område" },
			[]string{"document.areas[0].key: \"Område\" must be lower case"}},
		{"duplicate goal key", func(b *Bundle) { b.Document.Areas[0].Goals[0].Goals[0].Key = "g" },
			[]string{
				"document.areas[0].goals[0].goals[0].key: another goal in this document has the key \"g\"",
				"document.action_plans[0].activities[0].goals[0]: no goal in this document has the key \"g1\"",
			}},
		{"threshold without year and value", func(b *Bundle) {
			tg := &b.Document.Areas[0].Goals[0].Targets[0]
			tg.TargetYear, tg.Value = 0, nil
		}, []string{
			"document.areas[0].goals[0].targets[0].value: a threshold target needs a value",
			"document.areas[0].goals[0].targets[0].target_year: a threshold target needs the year",
		}},
		{"direction with a value", func(b *Bundle) { b.Document.Areas[0].Goals[0].Targets[2].Value = ptr(1) },
			[]string{"targets[2].value: a direction target has no value", "targets[2].unit: is required when a value is given"}},
		{"relative without reference", func(b *Bundle) { b.Document.Areas[0].Goals[0].Targets[1].ReferenceIndicator = "" },
			[]string{"targets[1].reference_indicator: a relative target needs the series"}},
		{"unknown indicator and body", func(b *Bundle) {
			b.Document.Areas[0].Goals[0].Targets[0].Indicator = "okand"
			b.Document.Areas[0].Commitments[0].Bodies[0] = "bun"
		}, []string{
			"targets[0].indicator: no indicator has the key \"okand\"",
			"commitments[0].bodies[0]: no body in this file has the key \"bun\"",
		}},
		{"adopted without date", func(b *Bundle) { b.Document.Adopted.On = Date{} },
			[]string{"document.adopted.on: an adopted document needs its adoption date"}},
		{"validity reversed", func(b *Bundle) { b.Document.ValidFrom, b.Document.ValidTo = Date{2020, 1, 1}, Date{2019, 1, 1} },
			[]string{"document.valid_to: 2019-01-01 is before valid_from 2020-01-01"}},
		{"activity links unknown goal", func(b *Bundle) { b.Document.ActionPlans[0].Activities[0].Goals[0] = "nope" },
			[]string{"document.action_plans[0].activities[0].goals[0]: no goal in this document has the key \"nope\""}},
		{"K for an indicator without gender", func(b *Bundle) { b.Observations[1].Gender = Men },
			[]string{"observations[1].gender: indicator \"ref\" has no breakdown by gender"}},
		{"duplicate observation", func(b *Bundle) { b.Observations = append(b.Observations, b.Observations[0]) },
			[]string{"observations[2].year: a value for andel 2380 2019 K is given twice"}},
		{"bad source and polarity", func(b *Bundle) { b.Indicators[1].Source = "kolada:n1"; b.Indicators[1].Polarity = "up" },
			[]string{"indicators[1].polarity: must be higher, lower or neutral", "indicators[1].source: must be manual, demo, kolada:"}},
		{"body parents in a cycle", func(b *Bundle) { b.Bodies[0].Parent = "klf" }, []string{
			`bodies[0].parent: body "ks" is, through its parents, its own parent`,
			`bodies[1].parent: body "klf" is, through its parents, its own parent`,
		}},
		{"assessment without reasons", func(b *Bundle) {
			b.Document.Areas[0].Goals[0].Targets[3].Assessment = &Assessment{Status: "bra"}
		}, []string{
			"targets[3].assessment.status: must be achieved, on_track",
			"targets[3].assessment.justification: is required",
		}},
		{"document without organisation", func(b *Bundle) { b.Organisation = nil },
			[]string{"organisation: is required when the file has bodies or a document"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := validBundle()
			tt.change(&b)
			err := b.Validate(nil)
			var verrs ValidationErrors
			if !errors.As(err, &verrs) {
				t.Fatalf("want ValidationErrors, got %v", err)
			}
			if CodeOf(err) != CodeInvalid {
				t.Errorf("CodeOf = %q", CodeOf(err))
			}
			if len(verrs) != len(tt.want) {
				t.Fatalf("got %d problems, want %d:\n%v", len(verrs), len(tt.want), verrs)
			}
			for i, w := range tt.want {
				if !strings.Contains(verrs[i].Error(), w) {
					t.Errorf("problem %d = %q, want %q", i, verrs[i].Error(), w)
				}
			}
		})
	}
}

func TestKnownIndicatorsOutsideTheBundle(t *testing.T) {
	b := validBundle()
	b.Indicators = b.Indicators[:1]
	if b.Validate(nil) == nil {
		t.Fatal("a reference to an undefined indicator must fail")
	}
	if err := b.Validate(func(k string) bool { return k == "ref" }); err != nil {
		t.Fatalf("known outside the bundle: %v", err)
	}
}

func TestDate(t *testing.T) {
	d, err := ParseDate("2016-05-10")
	if err != nil || d != (Date{2016, 5, 10}) || d.String() != "2016-05-10" {
		t.Fatalf("ParseDate = %v, %v", d, err)
	}
	if _, err := ParseDate("20160510"); err == nil {
		t.Error("20160510 must be refused")
	}
	var s Date
	for _, src := range []any{"2014-04-16", []byte("2014-04-16 00:00:00"), nil} {
		if err := s.Scan(src); err != nil {
			t.Errorf("Scan(%v): %v", src, err)
		}
	}
	if !s.IsZero() {
		t.Error("Scan(nil) must give the zero date")
	}
}
