package extract

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/inkludera/inkludera/internal/doctext"
)

// The labelled set (testdata/labelled) lists, for each text, the items a
// careful reader finds in it. quality compares FromText's draft with them
// and counts, per item type, the items found (precision: how many of the
// draft's items are right) and the items expected (recall: how many of
// the expected the draft has). Matching rules, one expected item to at
// most one found:
//
//   - meta: each field by itself; equal after normKey (title and subtitle
//     may differ by a year or a span of years at the end).
//   - areas: the titles are equal after normKey, or share 80 % of their
//     words.
//   - goals: same level, and titles share 80 % of their words.
//   - targets: same kind and comparator, same value (±0.01) and unit, same
//     target year for threshold and relative targets, and texts of which
//     60 % of the shorter one's words are in the other.
//   - commitments: 70 % of the shorter text's words in the other.
//   - definitions: the same term, and half of the shorter definition's
//     words in the other.
//   - bodies (responsible bodies): the same name (without a parenthesised
//     abbreviation) for the same area ("" for the document as a whole).
//
// testdata/heldout holds texts written before the extractor and looked at
// only at the end; they are reported apart.

type labelFile struct {
	Meta  map[string]string `yaml:"meta"`
	Areas []struct {
		Title       string `yaml:"title"`
		Prioritised bool   `yaml:"prioritised"`
	} `yaml:"areas"`
	Goals []struct {
		Level string `yaml:"level"`
		Title string `yaml:"title"`
	} `yaml:"goals"`
	Targets []struct {
		Text       string   `yaml:"text"`
		Kind       string   `yaml:"kind"`
		Comparator string   `yaml:"comparator"`
		Value      *float64 `yaml:"value"`
		Unit       string   `yaml:"unit"`
		Year       int      `yaml:"year"`
	} `yaml:"targets"`
	Commitments []string `yaml:"commitments"`
	Definitions []struct {
		Term       string `yaml:"term"`
		Definition string `yaml:"definition"`
	} `yaml:"definitions"`
	Bodies []struct {
		Name string `yaml:"name"`
		Area string `yaml:"area"`
	} `yaml:"bodies"`
}

// entry is one item, expected or found, reduced to what matching needs.
type entry struct {
	typ   string
	key   string // meta field name, level, kind …
	text  string
	attrs string // the attributes that must agree exactly
	value *float64
	year  int
}

var itemTypes = []string{"meta", "areas", "goals", "targets", "commitments", "definitions", "bodies"}

func expectedEntries(l labelFile) []entry {
	var out []entry
	for k, v := range l.Meta {
		out = append(out, entry{typ: "meta", key: k, text: v})
	}
	for _, a := range l.Areas {
		out = append(out, entry{typ: "areas", text: a.Title})
	}
	for _, g := range l.Goals {
		out = append(out, entry{typ: "goals", key: g.Level, text: g.Title})
	}
	for _, t := range l.Targets {
		out = append(out, entry{typ: "targets", key: t.Kind + "/" + t.Comparator, text: t.Text, attrs: unitKey(t.Unit), value: t.Value, year: t.Year})
	}
	for _, c := range l.Commitments {
		out = append(out, entry{typ: "commitments", text: c})
	}
	for _, d := range l.Definitions {
		out = append(out, entry{typ: "definitions", key: normKey(d.Term), text: d.Definition})
	}
	for _, b := range l.Bodies {
		out = append(out, entry{typ: "bodies", key: normKey(parenRe.ReplaceAllString(b.Name, "")), attrs: normKey(b.Area)})
	}
	return out
}

func unitKey(u string) string {
	u = strings.ToLower(strings.TrimSpace(u))
	if u == "procent" {
		return "%"
	}
	return u
}

func foundEntries(d Draft) []entry {
	var out []entry
	m := d.Meta
	meta := map[string]string{
		"title": m.Title, "subtitle": m.Subtitle, "kind": m.Kind, "org_code": m.OrgCode, "adopted_by": m.AdoptedBy,
		"adopted_on": m.AdoptedOn, "paragraph": m.Paragraph, "case_number": m.CaseNumber, "owner": m.Owner,
	}
	if m.Year != 0 {
		meta["year"] = strconv.Itoa(m.Year)
	}
	if d.FollowUp != nil && d.FollowUp.IntervalYears != 0 {
		meta["follow_up_interval"] = strconv.Itoa(d.FollowUp.IntervalYears)
	}
	if d.Revision != nil && d.Revision.Due != 0 {
		meta["revision_due"] = strconv.Itoa(d.Revision.Due)
	}
	for k, v := range meta {
		if v != "" {
			out = append(out, entry{typ: "meta", key: k, text: v})
		}
	}
	var goals func([]Goal)
	targets := func(ts []Target) {
		for _, t := range ts {
			out = append(out, entry{typ: "targets", key: string(t.Kind) + "/" + string(t.Comparator), text: t.Text, attrs: unitKey(t.Unit), value: t.Value, year: t.TargetYear})
		}
	}
	commitments := func(cs []Commitment) {
		for _, c := range cs {
			out = append(out, entry{typ: "commitments", text: c.Text})
		}
	}
	goals = func(gs []Goal) {
		for _, g := range gs {
			out = append(out, entry{typ: "goals", key: string(g.Level), text: g.Title})
			targets(g.Targets)
			commitments(g.Commitments)
			goals(g.Goals)
		}
	}
	for _, a := range d.Areas {
		out = append(out, entry{typ: "areas", text: a.Title})
		goals(a.Goals)
		targets(a.Targets)
		commitments(a.Commitments)
		for _, r := range a.Responsibilities {
			out = append(out, entry{typ: "bodies", key: normKey(r.Body), attrs: normKey(a.Title)})
		}
	}
	goals(d.Goals)
	targets(d.Targets)
	commitments(d.Commitments)
	for _, def := range d.Definitions {
		out = append(out, entry{typ: "definitions", key: normKey(def.Term), text: def.Definition})
	}
	for _, r := range d.Responsibilities {
		out = append(out, entry{typ: "bodies", key: normKey(r.Body)})
	}
	return out
}

// overlap is the share of the shorter text's words that are in the other.
func overlap(a, b string) float64 {
	wa, wb := strings.Fields(normKey(a)), strings.Fields(normKey(b))
	if len(wa) == 0 || len(wb) == 0 {
		return 0
	}
	set := map[string]int{}
	for _, w := range wb {
		set[w]++
	}
	common := 0
	for _, w := range wa {
		if set[w] > 0 {
			set[w]--
			common++
		}
	}
	return float64(common) / float64(min(len(wa), len(wb)))
}

// similarity is the share of the longer text's words that are in the other.
func similarity(a, b string) float64 {
	wa, wb := strings.Fields(normKey(a)), strings.Fields(normKey(b))
	if len(wa) == 0 || len(wb) == 0 {
		return 0
	}
	return overlap(a, b) * float64(min(len(wa), len(wb))) / float64(max(len(wa), len(wb)))
}

func sameTitle(a, b string) bool {
	ka, kb := normKey(a), normKey(b)
	if ka == kb {
		return true
	}
	if len(ka) > len(kb) {
		ka, kb = kb, ka
	}
	return strings.HasPrefix(kb, ka) && strings.Trim(kb[len(ka):], " 0123456789") == ""
}

func matches(e, f entry) bool {
	if e.typ != f.typ {
		return false
	}
	switch e.typ {
	case "meta":
		if e.key != f.key {
			return false
		}
		if e.key == "title" || e.key == "subtitle" {
			return sameTitle(e.text, f.text)
		}
		return normKey(e.text) == normKey(f.text)
	case "areas":
		return normKey(e.text) == normKey(f.text) || similarity(e.text, f.text) >= 0.8
	case "goals":
		return e.key == f.key && similarity(e.text, f.text) >= 0.8
	case "targets":
		if e.key != f.key || e.attrs != f.attrs {
			return false
		}
		if (e.value == nil) != (f.value == nil) || e.value != nil && math.Abs(*e.value-*f.value) > 0.01 {
			return false
		}
		if k := strings.Split(e.key, "/")[0]; (k == "threshold" || k == "relative") && e.year != f.year {
			return false
		}
		return overlap(e.text, f.text) >= 0.6
	case "commitments":
		return overlap(e.text, f.text) >= 0.7
	case "definitions":
		return e.key == f.key && overlap(e.text, f.text) >= 0.5
	case "bodies":
		return e.key == f.key && e.attrs == f.attrs
	}
	return false
}

// score counts per type: found, expected, matched.
type score struct{ found, expected, matched int }

func (s score) precision() float64 {
	if s.found == 0 {
		return 1
	}
	return float64(s.matched) / float64(s.found)
}

func (s score) recall() float64 {
	if s.expected == 0 {
		return 1
	}
	return float64(s.matched) / float64(s.expected)
}

// compare matches found against expected and adds to the scores; it
// returns the expected items missed and the found items that match none.
func compare(expected, found []entry, scores map[string]*score) (missed, extra []entry) {
	used := make([]bool, len(found))
	for _, e := range expected {
		s := scores[e.typ]
		s.expected++
		hit := false
		for i, f := range found {
			if !used[i] && matches(e, f) {
				used[i], hit = true, true
				s.matched++
				break
			}
		}
		if !hit {
			missed = append(missed, e)
		}
	}
	for i, f := range found {
		scores[f.typ].found++
		if !used[i] {
			extra = append(extra, f)
		}
	}
	return missed, extra
}

// evaluate runs the extractor over a directory of labelled texts, as they
// are or as internal/doctext reads them from a .txt file (paragraphs joined
// into single lines, list items marked "- ").
func evaluate(t *testing.T, dir string, viaDoctext bool) map[string]*score {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil || len(names) == 0 {
		t.Fatalf("no texts in %s: %v", dir, err)
	}
	sort.Strings(names)
	total := map[string]*score{}
	for _, typ := range itemTypes {
		total[typ] = &score{}
	}
	for _, name := range names {
		text, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(strings.TrimSuffix(name, ".txt") + ".yaml")
		if err != nil {
			t.Fatalf("%s has no labels: %v", name, err)
		}
		var l labelFile
		if err := yaml.Unmarshal(data, &l); err != nil {
			t.Fatalf("%s: %v", strings.TrimSuffix(name, ".txt")+".yaml", err)
		}
		input, title := string(text), ""
		if viaDoctext {
			dt, err := doctext.Extract(filepath.Base(name), text)
			if err != nil {
				t.Fatal(err)
			}
			input, title = dt.String(), dt.Title
		}
		draft := FromText(input, title)
		missed, extra := compare(expectedEntries(l), foundEntries(draft), total)
		for _, e := range missed {
			t.Logf("%s: missed %s %s %q %s %v %d", filepath.Base(name), e.typ, e.key, e.text, e.attrs, fmtValue(e.value), e.year)
		}
		for _, e := range extra {
			t.Logf("%s: extra  %s %s %q %s %v %d", filepath.Base(name), e.typ, e.key, e.text, e.attrs, fmtValue(e.value), e.year)
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\n%-12s %6s %6s %6s %9s %6s\n", "type", "found", "expect", "match", "precision", "recall")
	for _, typ := range itemTypes {
		s := total[typ]
		fmt.Fprintf(&b, "%-12s %6d %6d %6d %9.2f %6.2f\n", typ, s.found, s.expected, s.matched, s.precision(), s.recall())
	}
	t.Log(b.String())
	return total
}

func fmtValue(v *float64) string {
	if v == nil {
		return "-"
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}

func TestQualityLabelled(t *testing.T) {
	for _, via := range []bool{false, true} {
		t.Run(map[bool]string{false: "text", true: "doctext"}[via], func(t *testing.T) {
			scores := evaluate(t, "testdata/labelled", via)
			for _, typ := range []string{"targets", "goals"} {
				s := scores[typ]
				if s.precision() < 0.9 || s.recall() < 0.9 {
					t.Errorf("%s: precision %.2f, recall %.2f; want both ≥ 0.90", typ, s.precision(), s.recall())
				}
			}
		})
	}
}

// The held-out texts are not tuned for; the bar is lower and says the
// extractor still works on text it was not written against.
func TestQualityHeldOut(t *testing.T) {
	for _, via := range []bool{false, true} {
		t.Run(map[bool]string{false: "text", true: "doctext"}[via], func(t *testing.T) {
			scores := evaluate(t, "testdata/heldout", via)
			for _, typ := range []string{"targets", "goals"} {
				s := scores[typ]
				if s.precision() < 0.7 || s.recall() < 0.7 {
					t.Errorf("%s: precision %.2f, recall %.2f; want both ≥ 0.70", typ, s.precision(), s.recall())
				}
			}
		})
	}
}
