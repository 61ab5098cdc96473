package extract

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/inkludera/inkludera/internal/strategy"
	"github.com/inkludera/inkludera/internal/strategyfile"
)

// loadDraft reads a draft file back as the importer would.
func loadDraft(t *testing.T, data []byte) strategy.Bundle {
	t.Helper()
	bundles, err := strategyfile.LoadFS(fstest.MapFS{"d.yaml": {Data: data}}, []string{"d.yaml"}, nil)
	if err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	return bundles[0]
}

func countDoc(d *strategy.Document) Counts {
	var c Counts
	var goals func([]strategy.Goal)
	goals = func(gs []strategy.Goal) {
		for _, g := range gs {
			c.Goals++
			c.Targets += len(g.Targets)
			c.Commitments += len(g.Commitments)
			goals(g.Goals)
		}
	}
	for _, a := range d.Areas {
		c.Areas++
		c.Commitments += len(a.Commitments)
		c.Responsibilities += len(a.Responsibilities)
		goals(a.Goals)
	}
	c.Definitions = len(d.Terms)
	c.Responsibilities += len(d.Responsibilities)
	return c
}

// TestFileOfEveryText: the draft of every labelled text validates, keeps
// every item, and quotes its evidence above each item.
func TestFileOfEveryText(t *testing.T) {
	names, _ := filepath.Glob("testdata/*/*.txt")
	for _, name := range names {
		t.Run(filepath.Base(name), func(t *testing.T) {
			text, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			d := FromText(string(text), "")
			data, err := d.File()
			if err != nil {
				t.Fatal(err)
			}
			doc := loadDraft(t, data).Document
			got, want := countDoc(doc), d.Counts()
			// The file adds placeholder areas and goals; it never drops an item.
			if got.Targets != want.Targets || got.Commitments != want.Commitments || got.Definitions != want.Definitions ||
				got.Responsibilities != want.Responsibilities || got.Goals < want.Goals || got.Areas < want.Areas {
				t.Errorf("file holds %+v, draft %+v", got, want)
			}
			lines := strings.Split(string(data), "\n")
			checked := 0
			for i, l := range lines {
				if !strings.Contains(l, "- key: ") || strings.HasPrefix(l, "  - key: ") && !strings.HasPrefix(l, "    ") {
					continue // top-level bodies and indicators carry no evidence
				}
				j := i - 1
				for j > 0 && strings.HasPrefix(strings.TrimSpace(lines[j]), "#   ") || j > 0 && strings.HasPrefix(strings.TrimSpace(lines[j]), "#             ") {
					j--
				}
				prev := strings.TrimSpace(lines[j])
				if !strings.HasPrefix(prev, evidenceMark) && !strings.HasPrefix(prev, CheckMark) {
					t.Errorf("line %d %q has no evidence above it (%q)", i+1, l, prev)
				}
				checked++
			}
			if want.Targets+want.Commitments+want.Definitions > 0 && checked == 0 {
				t.Error("no item checked for its evidence")
			}
		})
	}
}

// TestFilePlaceholders: what the text does not say gets a placeholder the
// validator accepts and a comment asking the reviewer to decide.
func TestFilePlaceholders(t *testing.T) {
	ten := 10.0
	d := Draft{
		Meta:        Meta{AdoptedBy: "Kommunfullmäktige", Evidence: map[string]Evidence{}},
		Goals:       []Goal{{Title: "Fler i arbete", Level: strategy.GoalLongTerm}},
		Targets:     []Target{{Text: "Minst 10 procent", Kind: strategy.TargetThreshold, Comparator: strategy.AtLeast, Value: &ten}},
		Commitments: []Commitment{{Text: "Kommunen ska erbjuda praktik."}},
		Areas: []Area{{Title: "Arbete", Targets: []Target{{Text: "Andelen ska öka", Kind: strategy.TargetDirection, Comparator: strategy.Increase}},
			Goals: []Goal{{Title: "Mål", Level: strategy.GoalLongTerm}}, GoalsByOrder: true}},
	}
	data, err := d.File()
	if err != nil {
		t.Fatal(err)
	}
	b := loadDraft(t, data)
	if b.Organisation.Code != "00" || b.Document.Title != "Namnlöst dokument" || b.Document.Status != strategy.StatusDraft {
		t.Errorf("organisation %+v, title %q, status %q", b.Organisation, b.Document.Title, b.Document.Status)
	}
	for _, want := range []string{
		"Texten nämner ingen kommun eller region",
		"Ingen titel hittades",
		"Texten säger inte vilken sorts styrdokument",
		"antaget men inte vilket datum",
		"Texten anger inget fokusområde",
		"Texten säger inte när målet ska vara nått",
		"utan ett mål ovanför sig",
		"efter sin ordning i texten",
		"Indikatorerna är platshållare",
	} {
		if !strings.Contains(strings.ReplaceAll(string(data), "\n#   ", " "), want) {
			t.Errorf("no comment %q in\n%s", want, data)
		}
	}
	var target *strategy.Target
	for _, a := range b.Document.Areas {
		for _, g := range a.Goals {
			for i := range g.Targets {
				if g.Targets[i].Kind == strategy.TargetThreshold {
					target = &g.Targets[i]
				}
			}
		}
	}
	if target == nil || target.TargetYear == 0 || target.Indicator == "" {
		t.Errorf("threshold target without a year: %+v", target)
	}
}

// TestSetOrganisation: --org replaces what the text said.
func TestSetOrganisation(t *testing.T) {
	d := FromText("Integrationsplan för Ockelbo kommun", "")
	if d.Meta.OrgCode != "2101" {
		t.Fatalf("org = %q, want 2101", d.Meta.OrgCode)
	}
	if err := d.SetOrganisation("23"); err != nil || d.Meta.OrgCode != "23" || d.Meta.OrgKind != "region" || d.Meta.OrgName != "Region Jämtland Härjedalen" {
		t.Errorf("SetOrganisation(23): %v %+v", err, d.Meta)
	}
	if err := d.SetOrganisation("0000"); err == nil {
		t.Error("SetOrganisation(0000) accepted a code that is no kommun")
	}
}

func FuzzFromText(f *testing.F) {
	names, _ := filepath.Glob("testdata/*/*.txt")
	for _, name := range names {
		if data, err := os.ReadFile(name); err == nil {
			// The first few kilobytes: whole documents make every run slow.
			f.Add(string(data[:min(len(data), 3000)]))
		}
	}
	f.Add("Mål 1: \n\n- minst\n\nKvantitativa mål Minst % år 2020. Innehåll... 3")
	f.Fuzz(func(t *testing.T, text string) {
		d := FromText(text, "")
		if _, err := d.File(); err != nil {
			t.Fatalf("File: %v", err)
		}
	})
}
