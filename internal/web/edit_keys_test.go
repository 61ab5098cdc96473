package web

import (
	"reflect"
	"strings"
	"testing"

	"github.com/inkludera/inkludera/internal/strategy"
)

func TestDeriveKey(t *testing.T) {
	taken := map[string]bool{"arbete": true, "arbete-2": true}
	tests := []struct {
		name, title, want string
	}{
		{"Swedish letters lose their dots and rings", "Övergripande mål för åren", "overgripande-mal-for-aren"},
		{"punctuation and spaces become one hyphen", "Arbete & egen försörjning!", "arbete-egen-forsorjning"},
		{"other accents go too", "Café på Själevad", "cafe-pa-sjalevad"},
		{"digits stay", "Delmål 2030 – 75 %", "delmal-2030-75"},
		{"a taken key gets the next free number", "Arbete", "arbete-3"},
		{"nothing usable falls back", "§ – ?", "omrade"},
		{"long titles are cut at a hyphen", strings.Repeat("integration ", 10), "integration-integration-integration-integration-integration"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := deriveKey(tt.title, "omrade", func(k string) bool { return taken[k] })
			if got != tt.want {
				t.Errorf("deriveKey(%q) = %q, want %q", tt.title, got, tt.want)
			}
			if !strategy.ValidKey(got) {
				t.Errorf("%q is not a valid key", got)
			}
		})
	}
}

func TestParseDecimal(t *testing.T) {
	tests := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"12,5", 12.5, true},
		{"12.5", 12.5, true},
		{" 1 234,75 ", 1234.75, true},
		{"1\u00a0234", 1234, true},
		{"−3,2", -3.2, true},
		{"-0,5", -0.5, true},
		{"60", 60, true},
		{"", 0, false},
		{"tolv", 0, false},
		{"1,2,3", 0, false},
		{"1e3", 0, false},
		{"0x10", 0, false},
		{"NaN", 0, false},
		{"Inf", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := parseDecimal(tt.in)
			if ok != tt.ok || (ok && got != tt.want) {
				t.Errorf("parseDecimal(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
	for _, v := range []float64{12.5, 0.125, -3, 1234567.25} {
		if back, ok := parseDecimal(formatDecimal(v)); !ok || back != v {
			t.Errorf("formatDecimal(%v) = %q reads back as %v, %v", v, formatDecimal(v), back, ok)
		}
	}
	if got := formatDecimal(12.5); got != "12,5" {
		t.Errorf("formatDecimal(12.5) = %q, want the Swedish 12,5", got)
	}
}

func TestFieldOfPath(t *testing.T) {
	tests := map[string]string{
		"document.areas[1].goals[0].targets[2].value":             "value",
		"document.areas[1].goals[0].targets[2].assessment.status": "assessment.status",
		"document.adopted.on":                                     "adopted.on",
		"document.title":                                          "title",
		"document.areas[0].commitments[1].bodies[2]":              "bodies",
		"document.areas[0].goals[0].responsibilities[0].body":     "body",
		"document.action_plans[0].activities[3].goals[1]":         "goals",
		"parent":                          "parent",
		"document.areas[0].indicators[1]": "indicators",
		"document.areas[0].goals[1].goals[0].commitments[0].text":   "text",
		"document.areas[2].responsibilities[0].duties":              "duties",
		"document.follow_up.interval_years":                         "follow_up.interval_years",
		"document.areas[0].goals[0].targets[0].reference_indicator": "reference_indicator",
	}
	for path, want := range tests {
		if got := fieldOfPath(path); got != want {
			t.Errorf("fieldOfPath(%q) = %q, want %q", path, got, want)
		}
	}
}

// TestObjectFormRoundTrip checks that every field a form shows reads back
// unchanged: a save of an untouched form changes nothing.
func TestObjectFormRoundTrip(t *testing.T) {
	doc := *testBundles()[0].Document
	area := doc.Areas[0]
	goal := area.Goals[0]
	tests := []struct {
		name string
		kind strategy.ObjectKind
		obj  any
		// own drops what the form does not hold (children, key, rev).
		own func(any) any
	}{
		{"area with a parent and indicators", strategy.ObjArea, area, func(o any) any {
			a := o.(strategy.Area)
			a.Key, a.Goals, a.Commitments, a.Responsibilities, a.Rev = "", nil, nil, nil, 0
			return a
		}},
		{"goal", strategy.ObjGoal, goal, func(o any) any {
			g := o.(strategy.Goal)
			g.Key, g.Targets, g.Goals, g.Commitments, g.Responsibilities, g.Rev = "", nil, nil, nil, nil, 0
			return g
		}},
		{"threshold target with base", strategy.ObjTarget, goal.Targets[0], ownTarget},
		{"direction target for women", strategy.ObjTarget, goal.Goals[0].Targets[0], ownTarget},
		{"relative target with an assessment", strategy.ObjTarget, doc.Areas[1].Goals[0].Targets[0], ownTarget},
		{"commitment with two bodies", strategy.ObjCommitment, area.Commitments[0], func(o any) any {
			c := o.(strategy.Commitment)
			c.Key, c.Rev = "", 0
			return c
		}},
		{"term", strategy.ObjTerm, doc.Terms[0], func(o any) any {
			tm := o.(strategy.Term)
			tm.Key, tm.Rev = "", 0
			return tm
		}},
		{"responsibility with duties", strategy.ObjResponsibility, area.Responsibilities[0], func(o any) any {
			r := o.(strategy.Responsibility)
			r.Rev = 0
			return r
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fe := &formErrors{}
			got := decodeObject(tt.kind, objectValues(tt.obj), fe)
			if fe.Any() {
				t.Fatalf("problems reading back: %+v", fe)
			}
			if want := tt.own(tt.obj); !reflect.DeepEqual(got, want) {
				t.Errorf("read back\n%+v\nwant\n%+v", got, want)
			}
		})
	}
	t.Run("document", func(t *testing.T) {
		fe := &formErrors{}
		got := decodeDocument(documentValues(doc), doc, fe)
		if fe.Any() {
			t.Fatalf("problems reading back: %+v", fe)
		}
		if !reflect.DeepEqual(got, doc) {
			t.Errorf("read back\n%+v\nwant\n%+v", got, doc)
		}
	})
	t.Run("indicator", func(t *testing.T) {
		for _, ind := range testBundles()[0].Indicators {
			fe := &formErrors{}
			got := decodeIndicator(indicatorValues(ind), fe)
			got.Key = ind.Key
			if fe.Any() || !reflect.DeepEqual(got, ind) {
				t.Errorf("%s read back as %+v (%+v)", ind.Key, got, fe)
			}
		}
	})
}

func ownTarget(o any) any {
	tg := o.(strategy.Target)
	tg.Key, tg.Rev = "", 0
	if tg.Gender == strategy.Total {
		tg.Gender = ""
	}
	return tg
}

func TestSplitResponsibility(t *testing.T) {
	tests := []struct {
		key   string
		owner string
		n     int
		ok    bool
	}{
		{"#0", "", 0, true},
		{"area:inflyttning#2", "area:inflyttning", 2, true},
		{"goal:mal-1#10", "goal:mal-1", 10, true},
		{"area:x", "", 0, false},
		{"area:x#-1", "", 0, false},
		{"area:x#+1", "", 0, false},
		{"area:x#01", "", 0, false},
		{"area:x#", "", 0, false},
	}
	for _, tt := range tests {
		owner, n, ok := splitResponsibility(tt.key)
		if ok != tt.ok || (ok && (owner != tt.owner || n != tt.n)) {
			t.Errorf("splitResponsibility(%q) = %q, %d, %v; want %q, %d, %v", tt.key, owner, n, ok, tt.owner, tt.n, tt.ok)
		}
	}
}
