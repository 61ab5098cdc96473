package strategy

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func validPeriod() FollowUpPeriod {
	return FollowUpPeriod{
		Org: "2380", Year: 2026, Title: "Uppföljning 2026", Document: "strategi",
		Deadlines: []BodyDeadline{{Body: "ks", Due: Date{2027, 2, 15}}, {Body: "bun", Due: Date{2027, 2, 1}}},
	}
}

// problemPaths returns "path: message" of each problem of err, which must
// be ValidationErrors unless it is nil.
func problemPaths(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	var verrs ValidationErrors
	if !errors.As(err, &verrs) {
		t.Fatalf("want ValidationErrors, got %v", err)
	}
	var out []string
	for _, fe := range verrs {
		out = append(out, fe.Error())
	}
	return out
}

func TestFollowUpPeriodValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(p *FollowUpPeriod)
		want   []string // "path: message fragment", in order
	}{
		{"valid", func(p *FollowUpPeriod) {}, nil},
		{"without document", func(p *FollowUpPeriod) { p.Document = "" }, nil},
		{"first and last year", func(p *FollowUpPeriod) { p.Year = 2000 }, nil},
		{"year too early", func(p *FollowUpPeriod) { p.Year = 1999 }, []string{"year: must be 2000–2100, got 1999"}},
		{"year too late", func(p *FollowUpPeriod) { p.Year = 2101 }, []string{"year: must be 2000–2100, got 2101"}},
		{"blank title", func(p *FollowUpPeriod) { p.Title = "  " }, []string{"title: is required"}},
		{"no organisation", func(p *FollowUpPeriod) { p.Org = "" }, []string{`org: "" is not`}},
		{"document not a key", func(p *FollowUpPeriod) { p.Document = "Strategi 2020" }, []string{`document: "Strategi 2020" must be lower case`}},
		{"no deadline", func(p *FollowUpPeriod) { p.Deadlines = nil }, []string{"deadlines: at least one body"}},
		{"deadline problems", func(p *FollowUpPeriod) {
			p.Deadlines = append(p.Deadlines, BodyDeadline{Body: "ks", Due: Date{2027, 1, 1}}, BodyDeadline{Body: "Bun"}, BodyDeadline{})
		}, []string{
			`deadlines[2].body: body "ks" has another deadline in this period`,
			`deadlines[3].body: "Bun" must be lower case`,
			"deadlines[3].due: is required",
			"deadlines[4].body: is required",
			"deadlines[4].due: is required",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := validPeriod()
			tt.change(&p)
			got := problemPaths(t, p.Validate())
			if len(got) != len(tt.want) {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
			for i, w := range tt.want {
				if !strings.HasPrefix(got[i], w) {
					t.Errorf("problem %d = %q, want %q", i, got[i], w)
				}
			}
		})
	}
}

func TestNoteValidate(t *testing.T) {
	day := Date{2026, 5, 1}
	tests := []struct {
		name string
		note Note
		want []string
	}{
		{"valid", Note{Text: "Första träffen hölls.", Date: day}, nil},
		{"longest", Note{Text: strings.Repeat("ö", MaxNoteLength), Date: day}, nil},
		{"too long", Note{Text: strings.Repeat("ö", MaxNoteLength+1), Date: day}, []string{"text: is 4001 characters long; at most 4000 are allowed"}},
		{"blank", Note{Text: " \t\n", Date: day}, []string{"text: is required"}},
		{"nothing", Note{}, []string{"text: is required", "date: is required: the day the note is about"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := problemPaths(t, tt.note.Validate()); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestActivityAndPlanRules(t *testing.T) {
	tests := []struct {
		name   string
		change func(p *ActionPlan)
		want   []string
	}{
		{"beslutad with its decision", func(p *ActionPlan) {
			p.Status, p.Decision = PlanDecided, PlanDecision{Reference: "KS 2017-02-12 § 14", On: Date{2017, 2, 12}}
		}, nil},
		{"beslutad without decision", func(p *ActionPlan) { p.Status = PlanDecided }, []string{
			"document.action_plans[0].decision.reference: a beslutad plan needs the reference of its decision",
			"document.action_plans[0].decision.on: a beslutad plan needs the date of its decision",
		}},
		{"beslutad with a blank reference", func(p *ActionPlan) {
			p.Status, p.Decision = PlanDecided, PlanDecision{Reference: " ", On: Date{2017, 2, 12}}
		}, []string{"document.action_plans[0].decision.reference: a beslutad plan needs"}},
		{"utkast with a decision", func(p *ActionPlan) { p.Decision = PlanDecision{On: Date{2017, 2, 12}} }, nil},
		{"progress and time", func(p *ActionPlan) {
			p.Activities[0].Progress, p.Activities[0].Time = intp(100), "kv2 2017"
			p.Activities = append(p.Activities, Activity{Key: "y", TargetGroup: "civilsamhället", Title: "Y", Status: ActivityOngoing, Progress: intp(0), Time: "2017-03-01–2017-05-31"})
		}, nil},
		{"progress out of range", func(p *ActionPlan) { p.Activities[0].Progress = intp(120) },
			[]string{"document.action_plans[0].activities[0].progress: must be 0–100 (per cent), got 120"}},
		{"time not readable", func(p *ActionPlan) { p.Activities[0].Time = "i vår" },
			[]string{`document.action_plans[0].activities[0].time: "i vår" is not a time`}},
		{"time reversed", func(p *ActionPlan) { p.Activities[0].Time = "2017-12-31/2017-01-01" },
			[]string{`document.action_plans[0].activities[0].time: "2017-12-31/2017-01-01" ends (2017-01-01) before it starts (2017-12-31)`}},
		{"blank target group", func(p *ActionPlan) { p.Activities[0].TargetGroup = " " },
			[]string{"document.action_plans[0].activities[0].target_group: is required"}},
		{"free-text target group", func(p *ActionPlan) { p.Activities[0].TargetGroup = "föräldrar i SFI" }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := validBundle()
			tt.change(&b.Document.ActionPlans[0])
			got := problemPaths(t, b.Validate(nil))
			if len(got) != len(tt.want) {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
			for i, w := range tt.want {
				if !strings.HasPrefix(got[i], w) {
					t.Errorf("problem %d = %q, want %q", i, got[i], w)
				}
			}
		})
	}
}
