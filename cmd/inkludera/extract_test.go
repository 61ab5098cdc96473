package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/inkludera/inkludera/internal/strategy"
	"github.com/inkludera/inkludera/internal/strategyfile"
)

const seed001 = "testdata/extract/seed-001-ostersund.txt"

// TestExtractSeed001 is issue 9's acceptance: the draft of Östersund's
// strategy validates and holds its four long-term goals with their
// quantitative targets.
func TestExtractSeed001(t *testing.T) {
	out, stderr, err := cli(t, "extract", seed001)
	if err != nil {
		t.Fatalf("extract: %v\n%s", err, stderr)
	}
	if !regexp.MustCompile(`\d+ goals, 11 targets, \d+ commitments, 5 definitions; check \d+ items? marked Kontrollera`).MatchString(stderr) {
		t.Errorf("summary = %q", stderr)
	}
	draft := filepath.Join(t.TempDir(), "draft.yaml")
	if err := os.WriteFile(draft, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, errOut, err := cli(t, "validate", draft); err != nil {
		t.Fatalf("validate: %v\n%s\n%s", err, errOut, out)
	}
	bundles, err := strategyfile.LoadFiles([]string{draft}, nil)
	if err != nil {
		t.Fatal(err)
	}
	doc := bundles[0].Document
	if org := bundles[0].Organisation; org.Code != "2380" {
		t.Errorf("organisation = %+v, want 2380", org)
	}
	if doc.Kind != strategy.KindStrategy || doc.Title != "Integrationsstrategi 2020" || doc.Adopted.On.String() != "2016-05-10" {
		t.Errorf("document = %s %q adopted %s", doc.Kind, doc.Title, doc.Adopted.On)
	}

	goals := map[string]strategy.Goal{}
	for _, a := range doc.Areas {
		for _, g := range a.Goals {
			if g.Level == strategy.GoalLongTerm {
				goals[g.Title] = g
			}
		}
	}
	type want struct {
		text       string // a piece of the target's text
		kind       strategy.TargetKind
		comparator strategy.Comparator
		value      float64 // -1: none
		unit       string
		year       int
	}
	tests := []struct {
		goal    string
		targets []want
	}{
		{"Fler nya Östersundare", []want{
			{"Minst 10 % av befolkningen", strategy.TargetThreshold, strategy.AtLeast, 10, "%", 2020},
			{"minst 300 nyanlända", strategy.TargetPerYear, strategy.AtLeast, 300, "personer", 0},
			{"Cirka ett hundratal bostäder", strategy.TargetPerYear, strategy.About, 100, "bostäder", 0},
		}},
		{"Bättre tillvarata ny kompetens och skapa förutsättningar för ökat deltagande i arbetslivet", []want{
			{"uppgår till minst 50 procent", strategy.TargetThreshold, strategy.AtLeast, 50, "%", 2020},
			{"minst 60 procent", strategy.TargetThreshold, strategy.AtLeast, 60, "%", 2020},
			{"högst på samma nivå", strategy.TargetRelative, strategy.AtMost, -1, "", 2020},
			{"Minst 8 %", strategy.TargetThreshold, strategy.AtLeast, 8, "%", 2020},
			{"cirka ett hundratal av de som", strategy.TargetPerYear, strategy.About, 100, "personer", 0},
		}},
		{"Kvalitativ service, stöd och utbildning för alla", []want{
			{"behörighet till gymnasieskolan ska öka", strategy.TargetDirection, strategy.Increase, -1, "", 0},
			{"behörighet till högre studier ska öka", strategy.TargetDirection, strategy.Increase, -1, "", 0},
		}},
		{"Ökad social sammanhållning", []want{
			{"ska minska", strategy.TargetDirection, strategy.Decrease, -1, "", 0},
		}},
	}
	if len(goals) != len(tests) {
		t.Errorf("%d long-term goals, want %d: %v", len(goals), len(tests), goals)
	}
	for _, tt := range tests {
		t.Run(tt.goal, func(t *testing.T) {
			g, ok := goals[tt.goal]
			if !ok {
				t.Fatalf("no long-term goal %q", tt.goal)
			}
			targets := targetsUnder(g)
			if len(targets) != len(tt.targets) {
				t.Errorf("%d targets, want %d", len(targets), len(tt.targets))
			}
			for _, w := range tt.targets {
				var got *strategy.Target
				for i := range targets {
					if strings.Contains(targets[i].Text, w.text) {
						got = &targets[i]
					}
				}
				if got == nil {
					t.Errorf("no target with %q", w.text)
					continue
				}
				value := -1.0
				if got.Value != nil {
					value = *got.Value
				}
				if got.Kind != w.kind || got.Comparator != w.comparator || value != w.value || got.Unit != w.unit || got.TargetYear != w.year {
					t.Errorf("%q: got %s %s %v %q %d, want %s %s %v %q %d", w.text, got.Kind, got.Comparator, value, got.Unit,
						got.TargetYear, w.kind, w.comparator, w.value, w.unit, w.year)
				}
			}
		})
	}
}

// targetsUnder lists a goal's targets and its sub-goals'.
func targetsUnder(g strategy.Goal) []strategy.Target {
	out := append([]strategy.Target(nil), g.Targets...)
	for _, sub := range g.Goals {
		out = append(out, targetsUnder(sub)...)
	}
	return out
}

func TestExtractCommandLine(t *testing.T) {
	md := filepath.Join(t.TempDir(), "plan.md")
	if err := os.WriteFile(md, []byte("# Integrationsplan för Ockelbo kommun\n\nAntagen av kommunfullmäktige 2021-02-01, § 7.\n\n"+
		"## Fokusområde 1: Arbete\n\nMinst 60 procent av de nyanlända ska ha arbete år 2025.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	image := filepath.Join(t.TempDir(), "bild.png")
	if err := os.WriteFile(image, []byte{0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 0}, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		args     []string
		exit     int
		stdout   string // a piece of standard output
		errorHas string // a piece of the error
	}{
		{"markdown file", []string{"extract", md}, 0, `code: "2101"`, ""},
		{"organisation given", []string{"extract", "--org", "2313", md}, 0, `code: "2313"`, ""},
		{"region given", []string{"extract", "--org", "23", md}, 0, "kind: region", ""},
		{"unknown organisation", []string{"extract", "--org", "9999", md}, 2, "", "9999"},
		{"no file", []string{"extract"}, 2, "", "exactly one FILE"},
		{"two files", []string{"extract", md, md}, 2, "", "exactly one FILE"},
		{"missing file", []string{"extract", "nosuch.txt"}, 1, "", "nosuch.txt"},
		{"not a document", []string{"extract", image}, 1, "", "bild.png"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, _, err := cli(t, tt.args...)
			if tt.exit == 0 && err != nil || tt.exit != 0 && exitCode(err) != tt.exit {
				t.Fatalf("err = %v (exit %d), want exit %d", err, exitCode(err), tt.exit)
			}
			if tt.stdout != "" && !strings.Contains(out, tt.stdout) {
				t.Errorf("stdout lacks %q:\n%s", tt.stdout, out)
			}
			if tt.errorHas != "" && (err == nil || !strings.Contains(err.Error(), tt.errorHas)) {
				t.Errorf("err = %v, want it to name %q", err, tt.errorHas)
			}
		})
	}
}
