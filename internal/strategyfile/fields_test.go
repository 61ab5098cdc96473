package strategyfile

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/inkludera/inkludera/internal/strategy"
)

// planFile is a file with one action plan whose activity lines are given.
func planFile(plan, activity string) string {
	return `organisation: {code: "2380", name: Östersund, kind: kommun}
bodies:
  - {key: ks, name: Kommunstyrelsen, kind: styrelse}
document:
  key: d
  kind: strategi
  title: D
  status: utkast
  areas:
    - key: a
      title: A
      goals:
        - {key: g, level: langsiktigt, title: G}
  action_plans:
    - key: p
      body: ks
      year: 2026
` + plan + `      activities:
        - key: x
          target_group: alla
          title: X
` + activity
}

func TestNewActivityAndPlanFields(t *testing.T) {
	bundles, err := loadString(t, map[string]string{"a.yaml": planFile(
		"      status: beslutad\n      decision: {reference: KS 2026-02-12 § 14, on: 2026-02-12}\n",
		"          status: pagar\n          time: kv2 2026\n          follow_up: 2026-09-01\n          progress: 0\n          goals: [g]\n")})
	if err != nil {
		t.Fatal(err)
	}
	plan := bundles[0].Document.ActionPlans[0]
	a := plan.Activities[0]
	if plan.Decision != (strategy.PlanDecision{Reference: "KS 2026-02-12 § 14", On: strategy.Date{Year: 2026, Month: 2, Day: 12}}) {
		t.Errorf("decision %+v", plan.Decision)
	}
	if a.Progress == nil || *a.Progress != 0 {
		t.Errorf("progress 0 must be kept apart from not estimated, got %v", a.Progress)
	}
	if a.FollowUp != (strategy.Date{Year: 2026, Month: 9, Day: 1}) || a.Time != "kv2 2026" {
		t.Errorf("follow_up %v, time %q", a.FollowUp, a.Time)
	}
	if !a.Overdue(strategy.Date{Year: 2026, Month: 7, Day: 1}) {
		t.Error("an ongoing activity of kv2 2026 is overdue on 1 July")
	}
}

func TestNewFieldProblemsHaveLines(t *testing.T) {
	const utkast = "      status: utkast\n"
	tests := []struct {
		name           string
		plan, activity string
		want           []string // one per problem, in order
	}{
		{"follow_up not a date", utkast, "          status: planerad\n          follow_up: 2026-09\n",
			[]string{`a.yaml:24:22: follow_up: "2026-09" is not a date in the form YYYY-MM-DD`}},
		{"follow_up not a day of the month", utkast, "          status: planerad\n          follow_up: \"2026-02-30\"\n",
			[]string{`a.yaml:24:22: follow_up: "2026-02-30" is not a date`}},
		{"follow_up a list", utkast, "          status: planerad\n          follow_up: [2026-09-01]\n",
			[]string{`a.yaml:24:22: follow_up: must be a single value, not a list`}},
		{"progress above 100", utkast, "          status: pagar\n          progress: 150\n",
			[]string{`a.yaml:24:11: progress: must be 0–100 (per cent), got 150`}},
		{"progress not a number", utkast, "          status: pagar\n          progress: hälften\n",
			[]string{"a.yaml:24:11: cannot unmarshal !!str `hälften` into int"}},
		{"time not readable", utkast, "          status: planerad\n          time: i vår\n",
			[]string{`a.yaml:24:11: time: "i vår" is not a time`}},
		{"time reversed", utkast, "          status: planerad\n          time: 2026-06-30/2026-05-01\n",
			[]string{`a.yaml:24:11: time: "2026-06-30/2026-05-01" ends (2026-05-01) before it starts (2026-06-30)`}},
		{"notes are not part of the file", utkast, "          status: planerad\n          notes: [{date: 2026-01-01, text: T}]\n",
			[]string{`a.yaml:24:11: field notes not found; the fields here are key, target_group, title, description, time, responsible, follow_up, goals, status, progress`}},
		{"beslutad without decision", "      status: beslutad\n", "          status: planerad\n", []string{
			`a.yaml:15:7: reference: a beslutad plan needs the reference of its decision`,
			`a.yaml:15:7: on: a beslutad plan needs the date of its decision`,
		}},
		{"decision date not a date", "      status: beslutad\n      decision: {reference: KS § 1, on: 12 februari}\n", "          status: planerad\n",
			[]string{`a.yaml:19:41: on: "12 februari" is not a date in the form YYYY-MM-DD`}},
		{"decision misspelt", "      status: utkast\n      decison: {reference: KS § 1}\n", "          status: planerad\n",
			[]string{`a.yaml:19:7: field decison not found; did you mean decision?`}},
		{"a bad date does not hide the rest", utkast,
			"          status: klar\n          follow_up: snart\n          progres: 10\n", []string{
				`a.yaml:23:11: status: must be planerad, pagar`,
				`a.yaml:24:22: follow_up: "snart" is not a date`,
				`a.yaml:25:11: field progres not found; did you mean progress?`,
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := loadString(t, map[string]string{"a.yaml": planFile(tt.plan, tt.activity)})
			var probs Problems
			if !errors.As(err, &probs) {
				t.Fatalf("want Problems, got %v", err)
			}
			if len(probs) != len(tt.want) {
				t.Fatalf("got %d problems, want %d:\n%v", len(probs), len(tt.want), probs)
			}
			for i, w := range tt.want {
				if !strings.HasPrefix(probs[i].String(), w) {
					t.Errorf("problem %d = %q, want %q", i, probs[i].String(), w)
				}
			}
		})
	}
}

func TestBadDatesElsewhereHaveLines(t *testing.T) {
	_, err := loadString(t, map[string]string{"a.yaml": `organisation: {code: "2380", name: Östersund, kind: kommun}
document:
  key: d
  kind: strategi
  title: D
  status: antagen
  adopted: {on: 2016-13-10}
  valid_from: igår
indicators:
  - {key: i, title: I, unit: antal, polarity: higher, source: manual}
observations:
  - indicator: i
    fetched_at: i morse
    values:
      - {year: 2020, T: 1}
`})
	want := []string{
		`a.yaml:7:17: on: "2016-13-10" is not a date in the form YYYY-MM-DD`,
		`a.yaml:8:15: valid_from: "igår" is not a date in the form YYYY-MM-DD`,
		`a.yaml:13:17: fetched_at: `,
	}
	var probs Problems
	if !errors.As(err, &probs) || len(probs) != len(want) {
		t.Fatalf("want %d problems, got %v", len(want), err)
	}
	for i, w := range want {
		if !strings.HasPrefix(probs[i].String(), w) {
			t.Errorf("problem %d = %q, want %q", i, probs[i].String(), w)
		}
	}
}

func TestUnknownFieldWithoutNearName(t *testing.T) {
	_, err := loadString(t, map[string]string{"a.yaml": "organisation: {code: \"2380\", name: Ö, kind: kommun, invanare: 64000}\n"})
	if err == nil || !strings.Contains(err.Error(), "a.yaml:1:53: field invanare not found; the fields here are code, name, kind, county") {
		t.Errorf("got %v", err)
	}
}

func TestEditDistance(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want int
	}{{"", "", 0}, {"bodys", "bodies", 2}, {"progres", "progress", 1}, {"kitten", "sitting", 3}, {"abc", "", 3}} {
		if got := editDistance(tt.a, tt.b); got != tt.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

// The demo content (internal/demo) is read with this package; it must stay
// valid as the format and its rules grow.
func TestDemoFilesAreValid(t *testing.T) {
	files, err := filepath.Glob("../demo/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no demo files: %v", err)
	}
	bundles, err := LoadFiles(files, nil)
	if err != nil {
		t.Fatalf("the demo files do not load:\n%v", err)
	}
	if len(bundles) != len(files) {
		t.Errorf("%d bundles from %d files", len(bundles), len(files))
	}
}
