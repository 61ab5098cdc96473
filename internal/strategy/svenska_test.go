package strategy

import (
	"errors"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func intp(v int) *int { return &v }

// invalidInputs returns, by name, validations of a broad set of invalid
// inputs: together they reach every problem the package reports.
func invalidInputs() map[string]func() error {
	bundle := func(change func(b *Bundle)) func() error {
		return func() error {
			b := validBundle()
			change(&b)
			return b.Validate(nil)
		}
	}
	target := func(change func(t *Target)) func() error {
		return bundle(func(b *Bundle) { change(&b.Document.Areas[0].Goals[0].Targets[0]) })
	}
	activity := func(change func(a *Activity)) func() error {
		return bundle(func(b *Bundle) { change(&b.Document.ActionPlans[0].Activities[0]) })
	}
	period := func(change func(p *FollowUpPeriod)) func() error {
		return func() error {
			p := validPeriod()
			change(&p)
			return p.Validate()
		}
	}
	user := func(u User) func() error { return u.Validate }
	return map[string]func() error{
		"organisation everything": bundle(func(b *Bundle) { *b.Organisation = Organisation{Kind: "stad", County: "2"} }),
		"kommun code":             bundle(func(b *Bundle) { b.Organisation.Code = "238" }),
		"kommun county":           bundle(func(b *Bundle) { b.Organisation.County = "22" }),
		"region code":             bundle(func(b *Bundle) { *b.Organisation = Organisation{Code: "0023", Name: "R", Kind: OrgRegion} }),
		"riket code":              bundle(func(b *Bundle) { *b.Organisation = Organisation{Code: "0000", Name: "Riket", Kind: OrgRiket} }),
		"no organisation":         bundle(func(b *Bundle) { b.Organisation = nil }),
		"indicators": bundle(func(b *Bundle) {
			b.Indicators = append(b.Indicators, Indicator{Key: "Andel", Polarity: "up", Source: "kolada:n1", Breakdowns: []string{"age"}}, b.Indicators[0])
		}),
		"bodies": bundle(func(b *Bundle) {
			b.Bodies = append(b.Bodies, Body{Key: "ks", Kind: "kommitte", Parent: "nope"}, Body{Key: "", Name: "X", Kind: BodyCompany})
		}),
		"body cycle": bundle(func(b *Bundle) { b.Bodies[0].Parent = "klf" }),
		"observations": bundle(func(b *Bundle) {
			nan := 0.0
			nan /= nan
			b.Observations = append(b.Observations,
				Observation{Indicator: "okand", Org: "0023", Year: 1850, Gender: "X", Value: &nan},
				Observation{Indicator: "ref", Org: "2380", Year: 2019, Gender: Women},
				b.Observations[0])
		}),
		"document head": bundle(func(b *Bundle) {
			d := b.Document
			d.Key, d.Kind, d.Title, d.Status = "Strategi 2020", "vision", "", "klar"
			d.Adopted.By, d.FollowUp = "kf", FollowUpRule{IntervalYears: -1, DeepIntervalYears: -2, ReportTo: "kf"}
			d.Revision.Due, d.Owner = 3000, "kf"
			d.Replaces = []string{"Äldre", "strategi 2020"}
			d.Related = []Related{{URL: "https://example.org"}}
			d.Indicators = []string{"okand"}
		}),
		"adoption and validity": bundle(func(b *Bundle) {
			b.Document.Adopted.On = Date{}
			b.Document.ValidFrom, b.Document.ValidTo = Date{2020, 1, 1}, Date{2019, 1, 1}
		}),
		"replaces itself": bundle(func(b *Bundle) { b.Document.Replaces = []string{"strategi"} }),
		"area and goal": bundle(func(b *Bundle) {
			a := &b.Document.Areas[0]
			a.Title, a.Parent, a.Indicators = "", &AreaRef{Document: "region"}, []string{"okand"}
			a.Goals[0].Level, a.Goals[0].Title = "vision", ""
			a.Goals[0].Goals[0].Key = "g"
			a.Commitments = append(a.Commitments, Commitment{Key: "c", Bodies: []string{"nope"}})
			a.Responsibilities = append(a.Responsibilities, Responsibility{Role: "ager"})
		}),
		"threshold": target(func(t *Target) {
			t.Text, t.Comparator, t.Value, t.TargetYear, t.Indicator, t.Gender = "", "minst", nil, 0, "", "X"
		}),
		"years":                   target(func(t *Target) { t.BaseYear, t.TargetYear, t.BaseValue = 2021, 2020, ptr(1) }),
		"implausible years":       target(func(t *Target) { t.BaseYear, t.TargetYear = 1800, 2300 }),
		"base value without year": target(func(t *Target) { t.BaseValue = ptr(1) }),
		"value without unit":      target(func(t *Target) { t.Unit = "" }),
		"direction":               target(func(t *Target) { t.Kind, t.Comparator = TargetDirection, AtLeast }),
		"relative":                target(func(t *Target) { t.Kind, t.Comparator, t.ReferenceIndicator = TargetRelative, About, "" }),
		"qualitative with value":  target(func(t *Target) { t.Kind = TargetQualitative }),
		"unknown kind":            target(func(t *Target) { t.Kind = "ambition" }),
		"assessment":              target(func(t *Target) { t.Assessment = &Assessment{Status: "bra"} }),
		"terms":                   bundle(func(b *Bundle) { b.Document.Terms = append(b.Document.Terms, Term{Key: "nyanland"}) }),
		"plan": bundle(func(b *Bundle) {
			pl := &b.Document.ActionPlans[0]
			pl.Key, pl.Body, pl.Year, pl.Status = "P", "", 20017, "klar"
			pl.Activities = append(pl.Activities, Activity{Key: "x", Status: ActivityDone}, Activity{Key: "Y"})
		}),
		"plan of an unknown body":   bundle(func(b *Bundle) { b.Document.ActionPlans[0].Body = "bun" }),
		"beslutad without decision": bundle(func(b *Bundle) { b.Document.ActionPlans[0].Status = PlanDecided }),
		"two plans with one key": bundle(func(b *Bundle) {
			b.Document.ActionPlans = append(b.Document.ActionPlans, b.Document.ActionPlans[0])
		}),
		"activity fields": activity(func(a *Activity) {
			a.TargetGroup, a.Title, a.Status, a.Progress, a.Time = " ", "", "klar", intp(101), "snart"
		}),
		"negative progress":  activity(func(a *Activity) { a.Progress = intp(-1) }),
		"reversed time":      activity(func(a *Activity) { a.Time = "2026-06-30/2026-05-01" }),
		"time out of range":  activity(func(a *Activity) { a.Time = "kv2 1850" }),
		"range out of range": activity(func(a *Activity) { a.Time = "2026-05-01/3000-01-01" }),
		"unknown goal":       activity(func(a *Activity) { a.Goals = []string{"nope"} }),

		"period everything": func() error { return FollowUpPeriod{}.Validate() },
		"period deadlines": period(func(p *FollowUpPeriod) {
			p.Year, p.Title, p.Document = 1999, " ", "Strategi"
			p.Deadlines = []BodyDeadline{{Body: "ks"}, {Body: "ks", Due: Date{2027, 3, 1}}, {Body: "KS"}, {}}
		}),
		"note everything": func() error { return Note{Text: " \n"}.Validate() },
		"note too long": func() error {
			return Note{Text: strings.Repeat("å", MaxNoteLength+1), Date: Date{2026, 5, 1}}.Validate()
		},

		"user nothing":            user(User{}),
		"user e-mail too long":    user(User{Email: strings.Repeat("a", 250) + "@b.se", Name: "A", Role: RoleAdmin}),
		"user e-mail form":        user(User{Email: "Ada <ada@kommun.se>", Name: "A", Role: RoleAdmin}),
		"user domain":             user(User{Email: "ada@localhost", Name: "A", Role: RoleAdmin}),
		"admin with org and body": user(User{Email: "a@b.se", Name: "A", Role: RoleAdmin, Org: "2380", Body: "ks", Subject: "x"}),
		"samordnare":              user(User{Email: "a@b.se", Name: "A", Role: RoleCoordinator, Body: "ks", Issuer: "https://idp"}),
		"läsare with Kolada code": user(User{Email: "a@b.se", Name: "A", Role: RoleReader, Org: "0023"}),
		"nämndredaktör":           user(User{Email: "a@b.se", Name: "A", Role: RoleEditor, Org: "2380"}),
		"nämndredaktör bad body":  user(User{Email: "a@b.se", Name: "A", Role: RoleEditor, Org: "2380", Body: "Bun!"}),
	}
}

func TestEveryProblemHasSwedish(t *testing.T) {
	seen := 0
	for name, validate := range invalidInputs() {
		t.Run(name, func(t *testing.T) {
			var verrs ValidationErrors
			if err := validate(); !errors.As(err, &verrs) || len(verrs) == 0 {
				t.Fatalf("want ValidationErrors, got %v", err)
			}
			for _, fe := range verrs {
				seen++
				checkSwedish(t, fe)
			}
		})
	}
	if seen < 100 {
		t.Errorf("only %d problems checked; the inputs no longer reach most checks", seen)
	}
}

// checkSwedish checks that a problem has a Swedish sentence of its own.
func checkSwedish(t *testing.T, fe FieldError) {
	t.Helper()
	sv := fe.Svenska
	first, _ := utf8.DecodeRuneInString(sv)
	switch {
	case sv == "":
		t.Errorf("%s: no Swedish for %q", fe.Path, fe.Message)
	case sv == fe.Message:
		t.Errorf("%s: the Swedish is the English %q", fe.Path, sv)
	case strings.Contains(sv, "%!") || strings.Contains(fe.Message, "%!"):
		t.Errorf("%s: a formatting mistake in %q / %q", fe.Path, fe.Message, sv)
	case !unicode.IsUpper(first) || !strings.HasSuffix(sv, "."):
		t.Errorf("%s: %q is not a sentence (capital first, full stop last)", fe.Path, sv)
	case strings.Contains(sv, fe.Path) && strings.Contains(fe.Path, "."):
		t.Errorf("%s: the Swedish repeats the path: %q", fe.Path, sv)
	}
}

func TestSwedishMessages(t *testing.T) {
	tests := []struct {
		name     string
		validate func() error
		path, sv string
	}{
		{"title", bundleWith(func(b *Bundle) { b.Document.Title = "" }), "document.title", "Ange en titel."},
		{"key with å", bundleWith(func(b *Bundle) { b.Document.Areas[0].Key = "Område 1" }), "document.areas[0].key",
			"Nyckeln får bara innehålla små bokstäver a–z (inte å, ä eller ö), siffror, punkt, understreck och bindestreck. " +
				"Den ska börja med en bokstav eller siffra och vara högst 100 tecken lång. Förslag: ”omrade-1”."},
		{"value", bundleWith(func(b *Bundle) { v := 0.0; b.Observations[0].Value = &v; *b.Observations[0].Value /= 0 }),
			"observations[0].value", "Måste vara ett tal, till exempel 12,5, eller lämnas tomt."},
		{"time", bundleWith(func(b *Bundle) { b.Document.ActionPlans[0].Activities[0].Time = "i vår" }),
			"document.action_plans[0].activities[0].time", timingSv},
		{"e-mail", User{Email: "x", Name: "X", Role: RoleAdmin}.Validate, "email", "Skriv en e-postadress som anna.andersson@kommun.se."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var verrs ValidationErrors
			if !errors.As(tt.validate(), &verrs) {
				t.Fatal("want ValidationErrors")
			}
			got := verrs.ByPath()[tt.path]
			if len(got) != 1 || got[0].Svenska != tt.sv {
				t.Errorf("%s: got %+v, want Svenska %q", tt.path, got, tt.sv)
			}
		})
	}
}

func bundleWith(change func(b *Bundle)) func() error {
	return func() error {
		b := validBundle()
		change(&b)
		return b.Validate(nil)
	}
}

func TestSuggestKey(t *testing.T) {
	for in, want := range map[string]string{
		"Område 1: Arbete":        "omrade-1-arbete",
		"Öppna förskolan":         "oppna-forskolan",
		"--Å--":                   "a",
		"KS 2016/379":             "ks-2016-379",
		"café.v2_x":               "cafe.v2_x",
		"!!!":                     "",
		strings.Repeat("ab ", 60): strings.Repeat("ab-", 33) + "a",
	} {
		got := SuggestKey(in)
		if got != want {
			t.Errorf("SuggestKey(%q) = %q, want %q", in, got, want)
		}
		if got != "" && !ValidKey(got) {
			t.Errorf("SuggestKey(%q) = %q is not a valid key", in, got)
		}
	}
}
