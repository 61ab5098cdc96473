// Package storetest is the contract suite of strategy.Store: every engine
// of internal/store runs it, so that SQLite and PostgreSQL behave alike.
// It uses nothing but the strategy.Store interface (and, where a store has
// it, RowIDer to see that rows are updated in place).
package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/inkludera/inkludera/internal/strategy"
)

// RowIDer is implemented by stores that can show the internal id of a keyed
// row of a document ("area", "goal", "target", …). The suite uses it to
// check that an import edits rows in place instead of replacing them.
type RowIDer interface {
	RowID(ctx context.Context, kind, documentKey, key string) (int64, error)
}

// Run runs the contract suite. open must return a new, empty store; Run
// does not close it (open should register that with t.Cleanup).
func Run(t *testing.T, open func(t *testing.T) strategy.Store) {
	tests := []struct {
		name string
		test func(t *testing.T, open func(t *testing.T) strategy.Store)
	}{
		{"empty store", testEmpty},
		{"import and read back every field", testReadBack},
		{"re-import changes nothing", testReimport},
		{"edit in place", testEditInPlace},
		{"a series of edits", testEdits},
		{"observations are upserted", testObservationUpsert},
		{"not found", testNotFound},
		{"document of another organisation is a conflict", testConflict},
		{"validation", testValidation},
		{"broken import changes nothing", testAtomic},
		{"round trip", testRoundTrip},
		{"documents newest first", testDocumentOrder},
		{"concurrent readers during an import", testConcurrentReaders},
		{"source runs", testSourceRuns},
		{"users", testUsers},
		{"user changes", testUserChanges},
		{"revisions", testRevisions},
		{"edit a document", testEditDocument},
		{"two edits of one revision at once", testEditRace},
		{"edit an indicator", testEditIndicator},
		{"notes", testNotes},
		{"imports are audited", testImportAudit},
		{"audit filter", testAuditFilter},
		{"follow-up periods", testFollowUp},
		{"sessions", testSessions},
		{"API tokens", testTokens},
		{"approved reports", testReports},
		{"translations", testTranslations},
		{"content version", testContentVersion},
		{"barrier reports", testBarriers},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.test(t, open) })
	}
}

func mustImport(t *testing.T, s strategy.Store, bundles ...strategy.Bundle) strategy.ImportSummary {
	t.Helper()
	sum, err := s.Import(context.Background(), bundles)
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	return sum
}

// same fails the test with both values as JSON when they differ.
func same(t *testing.T, what string, got, want any) {
	t.Helper()
	if reflect.DeepEqual(got, want) {
		return
	}
	g, _ := json.MarshalIndent(got, "", "  ")
	w, _ := json.MarshalIndent(want, "", "  ")
	gl, wl := strings.Split(string(g), "\n"), strings.Split(string(w), "\n")
	for i := 0; i < len(gl) || i < len(wl); i++ {
		var a, b string
		if i < len(gl) {
			a = gl[i]
		}
		if i < len(wl) {
			b = wl[i]
		}
		if a != b {
			t.Fatalf("%s differs at JSON line %d:\n got: %s\nwant: %s", what, i+1, a, b)
		}
	}
	t.Fatalf("%s differs in a way JSON does not show (nil against empty, pointers, time zones):\n got: %#v\nwant: %#v",
		what, got, want)
}

func wantCode(t *testing.T, err error, code strategy.ErrorCode, mentions ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %s", code)
	}
	if got := strategy.CodeOf(err); got != code {
		t.Fatalf("error code %s, want %s: %v", got, code, err)
	}
	for _, m := range mentions {
		if !strings.Contains(err.Error(), m) {
			t.Errorf("error %q does not mention %q", err, m)
		}
	}
}

func wantSummary(t *testing.T, got, want strategy.ImportSummary) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("summary\n got: %v\nwant: %v", got, want)
	}
}

func testEmpty(t *testing.T, open func(t *testing.T) strategy.Store) {
	s := open(t)
	ctx := context.Background()
	orgs, err := s.ListOrganisations(ctx)
	if err != nil || len(orgs) != 0 {
		t.Errorf("ListOrganisations = %v, %v; want none", orgs, err)
	}
	inds, err := s.ListIndicators(ctx)
	if err != nil || len(inds) != 0 {
		t.Errorf("ListIndicators = %v, %v; want none", inds, err)
	}
	obs, err := s.Observations(ctx, strategy.ObservationFilter{})
	if err != nil || len(obs) != 0 {
		t.Errorf("Observations = %v, %v; want none", obs, err)
	}
	sum, err := s.Import(ctx, nil)
	if err != nil || sum.Modified() || len(sum) != 0 {
		t.Errorf("Import(nil) = %v, %v; want an empty summary", sum, err)
	}
}

// addedSummary is a summary of only additions, for a fresh import.
func addedSummary(n map[string]int) strategy.ImportSummary {
	s := strategy.ImportSummary{}
	for k, v := range n {
		s[k] = strategy.ChangeCount{Added: v}
	}
	return s
}

func unchangedSummary(n map[string]int) strategy.ImportSummary {
	s := strategy.ImportSummary{}
	for k, v := range n {
		s[k] = strategy.ChangeCount{Unchanged: v}
	}
	return s
}

// richCounts is how many things of each kind richBundle and dataBundle
// hold together.
var richCounts = map[string]int{
	"organisations": 1, "bodies": 4, "indicators": 8, "documents": 1, "areas": 3, "goals": 5,
	"targets": 5, "commitments": 3, "responsibilities": 7, "terms": 2, "action_plans": 2,
	"activities": 2, "observations": 14,
}

func testReadBack(t *testing.T, open func(t *testing.T) strategy.Store) {
	s := open(t)
	ctx := context.Background()
	sum := mustImport(t, s, richBundle(), dataBundle())
	wantSummary(t, sum, addedSummary(richCounts))

	d, err := s.Document(ctx, docKey)
	if err != nil {
		t.Fatal(err)
	}
	same(t, "Document", d, withRevs(*richDocument(), 1))

	got, err := s.Export(ctx, orgCode, "")
	if err != nil {
		t.Fatal(err)
	}
	same(t, "Export", got, []strategy.Bundle{freshlyStored(richBundle()), freshlyStored(trailing(dataBundle()))})

	one, err := s.Export(ctx, orgCode, docKey)
	if err != nil {
		t.Fatal(err)
	}
	same(t, "Export of one document", one, []strategy.Bundle{freshlyStored(richBundle())})

	org, err := s.Organisation(ctx, orgCode)
	if err != nil {
		t.Fatal(err)
	}
	same(t, "Organisation", org, *ostersund())
	orgs, err := s.ListOrganisations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	same(t, "ListOrganisations", orgs, []strategy.Organisation{*ostersund()})
	bodies, err := s.Bodies(ctx, orgCode)
	if err != nil {
		t.Fatal(err)
	}
	same(t, "Bodies", bodies, ostersundBodies())

	inds, err := s.ListIndicators(ctx)
	if err != nil {
		t.Fatal(err)
	}
	same(t, "ListIndicators", inds, indicatorRevs(append(richIndicators(), dataBundle().Indicators...), 1))
	ind, err := s.Indicator(ctx, "medelinkomst")
	if err != nil {
		t.Fatal(err)
	}
	same(t, "Indicator", ind, indicatorRevs(dataBundle().Indicators[1:], 1)[0])

	docs, err := s.Documents(ctx, orgCode)
	if err != nil {
		t.Fatal(err)
	}
	head := withRevs(*richDocument(), 1)
	head.Areas, head.Terms, head.ActionPlans, head.Responsibilities = nil, nil, nil, nil
	same(t, "Documents", docs, []strategy.Document{head})

	tests := []struct {
		name   string
		filter strategy.ObservationFilter
		want   []strategy.Observation
	}{
		{"one indicator", strategy.ObservationFilter{Indicators: []string{"folkmangd"}}, richObservations()[:4]},
		{"years", strategy.ObservationFilter{Indicators: []string{"folkmangd", "utrikes-fodda-andel"}, FromYear: 2016, ToYear: 2016},
			[]strategy.Observation{richObservations()[3], richObservations()[5], richObservations()[6]}},
		{"organisation", strategy.ObservationFilter{Org: orgCode, FromYear: 2019},
			dataBundle().Observations[2:]},
		{"other organisation", strategy.ObservationFilter{Org: regionCode}, nil},
		{"unknown indicator", strategy.ObservationFilter{Indicators: []string{"nope"}}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.Observations(ctx, tc.filter)
			if err != nil {
				t.Fatal(err)
			}
			same(t, "Observations", got, tc.want)
		})
	}
	all, err := s.Observations(ctx, strategy.ObservationFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != richCounts["observations"] {
		t.Errorf("Observations() returned %d, want %d", len(all), richCounts["observations"])
	}
	for i := 1; i < len(all); i++ {
		a, b := all[i-1], all[i]
		if a.Indicator > b.Indicator || a.Indicator == b.Indicator && (a.Org > b.Org || a.Org == b.Org &&
			(a.Year > b.Year || a.Year == b.Year && genderRank(a.Gender) > genderRank(b.Gender))) {
			t.Errorf("Observations() out of order at %d: %v then %v", i, a.Key(), b.Key())
		}
	}
}

func genderRank(g strategy.Gender) int {
	return strings.Index("TKM", string(g))
}

func testReimport(t *testing.T, open func(t *testing.T) strategy.Store) {
	s := open(t)
	mustImport(t, s, richBundle(), dataBundle())
	sum := mustImport(t, s, richBundle(), dataBundle())
	wantSummary(t, sum, unchangedSummary(richCounts))
	if sum.Modified() {
		t.Error("Modified() = true after importing the same bundles again")
	}
	// A file without Org on its document (as the file layer gives it) is
	// the same document.
	b := richBundle()
	b.Document.Org = ""
	if sum := mustImport(t, s, b); sum.Modified() {
		t.Errorf("importing without Document.Org modified: %v", sum)
	}
}

func testEditInPlace(t *testing.T, open func(t *testing.T) strategy.Store) {
	s := open(t)
	ctx := context.Background()
	mustImport(t, s, richBundle())
	ids, hasIDs := s.(RowIDer)
	idOf := func(kind, key string) int64 {
		t.Helper()
		if !hasIDs {
			return 0
		}
		id, err := ids.RowID(ctx, kind, docKey, key)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	before := map[string]int64{
		"target/syss-60": idOf("target", "syss-60"), "target/trygghet-oka": idOf("target", "trygghet-oka"),
		"area/arbete": idOf("area", "arbete"), "goal/arbete-1": idOf("goal", "arbete-1"),
		"action_plan/ks-2017": idOf("action_plan", "ks-2017"),
	}

	b := richBundle()
	d := b.Document
	d.Title = "Integrationsstrategi 2020 (reviderad)"
	// Remove sub-goal arbete-1a with its sub-goal, target, commitment and
	// responsibility; the activity that pointed at it points elsewhere.
	d.Areas[0].Goals[0].Goals = nil
	d.ActionPlans[0].Activities[0].Goals = []string{"arbete-1"}
	// Add a target.
	tg := &d.Areas[1].Goals[0]
	tg.Targets = append(tg.Targets, strategy.Target{Key: "trygghet-75", Text: "Minst 75 % känner sig trygga 2022",
		Kind: strategy.TargetThreshold, Comparator: strategy.AtLeast, Value: f(75), Unit: "%", TargetYear: 2022,
		Indicator: "trygghet"})
	// Swap the first two areas.
	d.Areas[0], d.Areas[1] = d.Areas[1], d.Areas[0]

	sum := mustImport(t, s, b)
	want := unchangedSummary(richCounts)
	delete(want, "observations")
	want["indicators"] = strategy.ChangeCount{Unchanged: 6}
	want["observations"] = strategy.ChangeCount{Unchanged: 10}
	want["documents"] = strategy.ChangeCount{Changed: 1}
	want["areas"] = strategy.ChangeCount{Changed: 2, Unchanged: 1}
	want["goals"] = strategy.ChangeCount{Deleted: 2, Unchanged: 3}
	want["targets"] = strategy.ChangeCount{Added: 1, Deleted: 1, Unchanged: 4}
	want["commitments"] = strategy.ChangeCount{Deleted: 1, Unchanged: 2}
	want["responsibilities"] = strategy.ChangeCount{Deleted: 1, Unchanged: 6}
	want["activities"] = strategy.ChangeCount{Changed: 1, Unchanged: 1}
	wantSummary(t, sum, want)

	got, err := s.Document(ctx, docKey)
	if err != nil {
		t.Fatal(err)
	}
	same(t, "edited Document", withRevs(got, 0), *d)

	after := map[string]int64{
		"target/syss-60": idOf("target", "syss-60"), "target/trygghet-oka": idOf("target", "trygghet-oka"),
		"area/arbete": idOf("area", "arbete"), "goal/arbete-1": idOf("goal", "arbete-1"),
		"action_plan/ks-2017": idOf("action_plan", "ks-2017"),
	}
	if !reflect.DeepEqual(before, after) {
		t.Errorf("rows were replaced rather than updated in place: ids before %v, after %v", before, after)
	}
	if hasIDs {
		if _, err := ids.RowID(ctx, "goal", docKey, "arbete-1a-i"); strategy.CodeOf(err) != strategy.CodeNotFound {
			t.Errorf("deleted sub-sub-goal still has a row: %v", err)
		}
	}

	// Moving a goal with its targets under another goal keeps them, even
	// though its old parent's subtree is gone.
	b2 := richBundle()
	moved := b2.Document.Areas[0].Goals[1] // arbete-2 with bostader-300
	b2.Document.Areas[0].Goals = b2.Document.Areas[0].Goals[:1]
	tr := &b2.Document.Areas[1].Goals[0]
	tr.Goals = append(tr.Goals, moved)
	before2 := idOf("target", "bostader-300")
	sum = mustImport(t, s, b2)
	if c := sum["targets"]; c.Deleted != 1 || c.Added != 1 { // trygghet-75 went, etablering-kvalitet came back
		t.Errorf("targets after the move: %+v", c)
	}
	if c := sum["goals"]; c.Changed != 1 || c.Added != 2 || c.Deleted != 0 {
		t.Errorf("goals after the move: %+v", c)
	}
	got, err = s.Document(ctx, docKey)
	if err != nil {
		t.Fatal(err)
	}
	same(t, "Document after moving a goal", withRevs(got, 0), *b2.Document)
	if after := idOf("target", "bostader-300"); after != before2 {
		t.Errorf("moving a goal replaced its target: id %d, then %d", before2, after)
	}
}

// testEdits applies edits one after another; after each the stored
// document must be the edited one, and importing it again must change
// nothing.
func testEdits(t *testing.T, open func(t *testing.T) strategy.Store) {
	s := open(t)
	ctx := context.Background()
	b := richBundle()
	mustImport(t, s, b)
	d := b.Document
	area := func(key string) *strategy.Area {
		for i := range d.Areas {
			if d.Areas[i].Key == key {
				return &d.Areas[i]
			}
		}
		t.Fatalf("no area %s", key)
		return nil
	}
	edits := []struct {
		name string
		edit func()
		want strategy.ChangeCount // of the kind named by kind
		kind string
	}{
		{"move a commitment from a goal to an area", func() {
			g := &area("arbete").Goals[0]
			c := g.Commitments[0]
			g.Commitments = nil
			a := area("trygghet")
			a.Commitments = append(a.Commitments, c)
		}, strategy.ChangeCount{Changed: 1, Unchanged: 2}, "commitments"},
		{"promote a sub-goal to another area", func() {
			g := &area("arbete").Goals[0]
			sub := g.Goals[0]
			g.Goals = nil
			sub.Level = strategy.GoalLongTerm
			a := area("samverkan")
			a.Goals = append(a.Goals, sub)
		}, strategy.ChangeCount{Changed: 1, Unchanged: 4}, "goals"},
		{"demote a goal under another", func() {
			a := area("trygghet")
			g := a.Goals[0]
			a.Goals = nil
			g.Level = strategy.GoalSub
			p := &area("arbete").Goals[1]
			p.Goals = append(p.Goals, g)
		}, strategy.ChangeCount{Changed: 1, Unchanged: 4}, "goals"},
		{"reverse responsibilities", func() {
			r := area("arbete").Responsibilities
			r[0], r[2] = r[2], r[0]
		}, strategy.ChangeCount{Changed: 2, Unchanged: 5}, "responsibilities"},
		{"move an activity to another plan", func() {
			p := &d.ActionPlans[0]
			a := p.Activities[0]
			p.Activities = p.Activities[1:]
			d.ActionPlans[1].Activities = append(d.ActionPlans[1].Activities, a)
		}, strategy.ChangeCount{Added: 1, Deleted: 1, Changed: 1}, "activities"},
		{"change indicator lists", func() {
			d.Indicators = []string{"trygghet", "folkmangd"}
			area("arbete").Indicators = nil
		}, strategy.ChangeCount{Changed: 1, Unchanged: 2}, "areas"},
		{"clear optional fields", func() {
			d.Related, d.Audience, d.Replaces = nil, nil, nil
			d.Adopted.By, d.Owner = "", ""
			d.FollowUp = strategy.FollowUpRule{}
			d.Revision = strategy.RevisionRule{}
			d.ValidFrom = strategy.Date{}
			area("arbete").Parent = nil
			area("arbete").Prioritised = false
		}, strategy.ChangeCount{Changed: 1}, "documents"},
		{"drop every area", func() {
			d.Areas = nil
			d.ActionPlans[0].Activities = nil
			d.ActionPlans[1].Activities = nil
			d.ForgetRemovedTexts(richDocument()) // or the file would be refused
		}, strategy.ChangeCount{Deleted: 3}, "areas"},
	}
	for _, e := range edits {
		t.Run(e.name, func(t *testing.T) {
			e.edit()
			sum := mustImport(t, s, b)
			if got := sum[e.kind]; got != e.want {
				t.Errorf("%s: %+v, want %+v (summary %v)", e.kind, got, e.want, sum)
			}
			got, err := s.Document(ctx, docKey)
			if err != nil {
				t.Fatal(err)
			}
			same(t, "Document", withRevs(got, 0), *d)
			if sum := mustImport(t, s, b); sum.Modified() {
				t.Errorf("importing the edited bundle again modified: %v", sum)
			}
		})
	}
}

func testObservationUpsert(t *testing.T, open func(t *testing.T) strategy.Store) {
	s := open(t)
	ctx := context.Background()
	mustImport(t, s, dataBundle())
	b := dataBundle()
	b.Observations = []strategy.Observation{
		// 2014 is left out: it stays.
		{Indicator: "valdeltagande", Org: orgCode, Year: 2018, Gender: strategy.Total, Value: f(84.75),
			Source: "Valmyndigheten"}, // unchanged
		{Indicator: "valdeltagande", Org: orgCode, Year: 2022, Gender: strategy.Total, Value: nil}, // added, missing
		{Indicator: "medelinkomst", Org: orgCode, Year: 2019, Gender: strategy.Total, Value: f(300000),
			Preliminary: true}, // nil becomes a value
		{Indicator: "medelinkomst", Org: orgCode, Year: 2019, Gender: strategy.Women, Value: nil,
			SourceURL: "https://example.org/x", FetchedAt: fetched.Add(time.Hour)}, // a value becomes nil
		// Values of another organisation, which need not be stored itself.
		{Indicator: "valdeltagande", Org: "00", Year: 2018, Gender: strategy.Total, Value: f(87.2)},
	}
	sum := mustImport(t, s, b)
	want := strategy.ChangeCount{Added: 2, Changed: 2, Unchanged: 1}
	if sum["observations"] != want {
		t.Errorf("observations summary %+v, want %+v", sum["observations"], want)
	}
	got, err := s.Observations(ctx, strategy.ObservationFilter{Org: orgCode})
	if err != nil {
		t.Fatal(err)
	}
	same(t, "Observations after upsert", got, []strategy.Observation{
		b.Observations[2], b.Observations[3], dataBundle().Observations[0], b.Observations[0], b.Observations[1],
	})
	riket, err := s.Observations(ctx, strategy.ObservationFilter{Org: "00"})
	if err != nil {
		t.Fatal(err)
	}
	same(t, "Observations of riket", riket, b.Observations[4:])

	// nil stays nil: the same again changes nothing.
	if sum := mustImport(t, s, b); sum.Modified() {
		t.Errorf("re-import of nil values modified: %v", sum)
	}
	// A time in another zone and with nanoseconds is the same instant
	// at the stored precision.
	b.Observations = b.Observations[3:4]
	b.Observations[0].FetchedAt = fetched.Add(time.Hour + 999).In(time.FixedZone("CET", 3600))
	if sum := mustImport(t, s, b); sum.Modified() {
		t.Errorf("the same time in another zone modified: %v", sum)
	}
}

func testNotFound(t *testing.T, open func(t *testing.T) strategy.Store) {
	s := open(t)
	ctx := context.Background()
	mustImport(t, s, richBundle(), regionBundle())
	tests := []struct {
		name string
		call func() error
		key  string
	}{
		{"organisation", func() error { _, err := s.Organisation(ctx, "0180"); return err }, "0180"},
		{"bodies", func() error { _, err := s.Bodies(ctx, "0180"); return err }, "0180"},
		{"documents", func() error { _, err := s.Documents(ctx, "0180"); return err }, "0180"},
		{"document", func() error { _, err := s.Document(ctx, "nope"); return err }, "nope"},
		{"indicator", func() error { _, err := s.Indicator(ctx, "nope"); return err }, "nope"},
		{"export of an unknown organisation", func() error { _, err := s.Export(ctx, "0180", ""); return err }, "0180"},
		{"export of an unknown document", func() error { _, err := s.Export(ctx, orgCode, "nope"); return err }, "nope"},
		{"export of another organisation's document", func() error {
			_, err := s.Export(ctx, orgCode, regionDoc)
			return err
		}, regionDoc},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wantCode(t, tc.call(), strategy.CodeNotFound, tc.key)
		})
	}
}

func testConflict(t *testing.T, open func(t *testing.T) strategy.Store) {
	s := open(t)
	mustImport(t, s, richBundle())
	b := regionBundle()
	b.Document.Key = docKey
	b.Document.Org = ""
	_, err := s.Import(context.Background(), []strategy.Bundle{b})
	wantCode(t, err, strategy.CodeConflict, docKey)
}

func testValidation(t *testing.T, open func(t *testing.T) strategy.Store) {
	ctx := context.Background()
	// A document that refers to an indicator stored by an earlier import
	// or defined by another bundle of the same import is valid.
	usesStored := func() strategy.Bundle {
		b := regionBundle()
		b.Indicators, b.Observations = nil, nil
		b.Document.Areas[0].Indicators = []string{"valdeltagande"}
		return b
	}
	tests := []struct {
		name    string
		stored  []strategy.Bundle
		bundles func() []strategy.Bundle
		invalid string // "" = valid; else what the error mentions
	}{
		{"indicator already stored", []strategy.Bundle{dataBundle()},
			func() []strategy.Bundle { return []strategy.Bundle{usesStored()} }, ""},
		{"indicator in a later bundle", nil,
			func() []strategy.Bundle { return []strategy.Bundle{usesStored(), dataBundle()} }, ""},
		{"unknown indicator", nil,
			func() []strategy.Bundle { return []strategy.Bundle{usesStored()} }, "bundle 0"},
		{"invalid second bundle", nil, func() []strategy.Bundle {
			b := regionBundle()
			b.Document.Title = ""
			return []strategy.Bundle{richBundle(), b}
		}, "bundle 1"},
		{"indicators that disagree", nil, func() []strategy.Bundle {
			b := regionBundle()
			b.Indicators[0].Title = "Annan titel"
			return []strategy.Bundle{richBundle(), b}
		}, "bundle 1"},
		{"document twice", nil, func() []strategy.Bundle {
			return []strategy.Bundle{richBundle(), richBundle()}
		}, "bundle 1"},
		{"document of another organisation than its bundle's", nil, func() []strategy.Bundle {
			b := richBundle()
			b.Document.Org = regionCode
			return []strategy.Bundle{b}
		}, "bundle 0"},
		{"observation without organisation", nil, func() []strategy.Bundle {
			b := dataBundle()
			b.Observations[0].Org = ""
			return []strategy.Bundle{b}
		}, "bundle 0"},
		{"gender of a stored indicator without breakdown", []strategy.Bundle{dataBundle()}, func() []strategy.Bundle {
			return []strategy.Bundle{{Observations: []strategy.Observation{
				{Indicator: "valdeltagande", Org: orgCode, Year: 2022, Gender: strategy.Women, Value: f(1)}}}}
		}, "bundle 0"},
		{"bodies in a circle", nil, func() []strategy.Bundle {
			b := richBundle()
			b.Bodies[2].Parent = "klf" // ks under klf, klf under ks
			return []strategy.Bundle{b}
		}, "bundle 0"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := open(t)
			if len(tc.stored) > 0 {
				mustImport(t, s, tc.stored...)
			}
			_, err := s.Import(ctx, tc.bundles())
			if tc.invalid == "" {
				if err != nil {
					t.Fatalf("Import: %v", err)
				}
				return
			}
			wantCode(t, err, strategy.CodeInvalid, tc.invalid)
			var v strategy.ValidationErrors
			if !errors.As(err, &v) || len(v) == 0 {
				t.Errorf("no ValidationErrors in %v", err)
			}
		})
	}
}

// snapshot is everything a store shows, to compare before and after.
func snapshot(t *testing.T, s strategy.Store) any {
	t.Helper()
	ctx := context.Background()
	orgs, err := s.ListOrganisations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var exports [][]strategy.Bundle
	for _, o := range orgs {
		e, err := s.Export(ctx, o.Code, "")
		if err != nil {
			t.Fatal(err)
		}
		exports = append(exports, e)
	}
	inds, err := s.ListIndicators(ctx)
	if err != nil {
		t.Fatal(err)
	}
	obs, err := s.Observations(ctx, strategy.ObservationFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return []any{orgs, exports, inds, obs}
}

// otherDoc is a second, small document of Östersund's.
func otherDoc() strategy.Bundle {
	return strategy.Bundle{Organisation: ostersund(), Document: &strategy.Document{
		Key: "ostersund-bostadsprogram", Kind: strategy.KindProgramme, Title: "Bostadsprogram",
		Status: strategy.StatusDraft}}
}

func testAtomic(t *testing.T, open func(t *testing.T) strategy.Store) {
	// good changes a great deal of what is stored.
	good := func() strategy.Bundle {
		b := richBundle()
		b.Organisation.Name = "Östersund"
		b.Bodies = append(b.Bodies, strategy.Body{Key: "bun", Name: "Barn- och utbildningsnämnden", Kind: strategy.BodyCommittee})
		b.Document.Title = "Ny titel"
		b.Document.Areas = b.Document.Areas[1:]
		b.Document.ActionPlans = nil
		b.Document.ForgetRemovedTexts(richDocument())
		b.Indicators[0].Title = "Invånare"
		b.Observations[0].Value = nil
		b.Observations = append(b.Observations, strategy.Observation{Indicator: "folkmangd", Org: orgCode,
			Year: 2030, Gender: strategy.Total, Value: f(1)})
		return b
	}
	tests := []struct {
		name    string
		bundles func() []strategy.Bundle
		code    strategy.ErrorCode
	}{
		{"second bundle fails validation", func() []strategy.Bundle {
			bad := dataBundle()
			bad.Observations[0].Year = 3000
			return []strategy.Bundle{good(), bad}
		}, strategy.CodeInvalid},
		{"second bundle fails in the database", func() []strategy.Bundle {
			// Valid on its own and beside the first; only the stored
			// documents show that its key belongs to Östersund, and the
			// first bundle has been written by the time that shows.
			bad := regionBundle()
			bad.Document.Key = otherDoc().Document.Key
			bad.Document.Org = ""
			bad.Indicators, bad.Observations = nil, nil // folkmangd comes from good
			return []strategy.Bundle{good(), bad}
		}, strategy.CodeConflict},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := open(t)
			mustImport(t, s, richBundle(), dataBundle(), regionBundle(), otherDoc())
			before := snapshot(t, s)
			_, err := s.Import(context.Background(), tc.bundles())
			wantCode(t, err, tc.code, "bundle 1")
			same(t, "store after a failed import", snapshot(t, s), before)
			// And the store still works.
			if sum := mustImport(t, s, good()); !sum.Modified() {
				t.Error("the good bundle alone changed nothing")
			}
		})
	}
}

func testRoundTrip(t *testing.T, open func(t *testing.T) strategy.Store) {
	ctx := context.Background()
	a := open(t)
	mustImport(t, a, richBundle(), dataBundle(), regionBundle())
	// A little of everything else: an organisation with bodies only.
	mustImport(t, a, strategy.Bundle{
		Organisation: &strategy.Organisation{Code: "2361", Name: "Härjedalens kommun", Kind: strategy.OrgKommun},
		Bodies:       []strategy.Body{{Key: "ks", Name: "Kommunstyrelsen", Kind: strategy.BodyBoard}},
	})
	exportAll := func(s strategy.Store) []strategy.Bundle {
		orgs, err := s.ListOrganisations(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var all []strategy.Bundle
		for _, o := range orgs {
			e, err := s.Export(ctx, o.Code, "")
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, e...)
		}
		return all
	}
	x := exportAll(a)

	b := open(t)
	mustImport(t, b, x...)
	same(t, "export after Import(Export(x))", exportAll(b), x)
	same(t, "snapshot after Import(Export(x))", snapshot(t, b), snapshot(t, a))

	if sum := mustImport(t, a, x...); sum.Modified() {
		t.Errorf("importing a store's own export modified it: %v", sum)
	}
}

func testDocumentOrder(t *testing.T, open func(t *testing.T) strategy.Store) {
	s := open(t)
	doc := func(key, title, adopted string) strategy.Bundle {
		d := &strategy.Document{Key: key, Kind: strategy.KindPlan, Title: title, Status: strategy.StatusDraft}
		if adopted != "" {
			d.Status = strategy.StatusAdopted
			d.Adopted.On = date(adopted)
		}
		return strategy.Bundle{Organisation: ostersund(), Document: d}
	}
	mustImport(t, s, doc("a", "Utkast", ""), doc("b", "Äldre", "2014-04-16"), doc("c", "Nyare B", "2020-01-01"),
		doc("d", "Nyare A", "2020-01-01"))
	docs, err := s.Documents(context.Background(), orgCode)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, d := range docs {
		keys = append(keys, d.Key)
		if d.Areas != nil || d.Terms != nil || d.ActionPlans != nil || d.Responsibilities != nil {
			t.Errorf("Documents gave %s with its tree", d.Key)
		}
	}
	same(t, "document order", keys, []string{"d", "c", "b", "a"})
}

func testConcurrentReaders(t *testing.T, open func(t *testing.T) strategy.Store) {
	s := open(t)
	ctx := context.Background()
	mustImport(t, s, richBundle(), dataBundle())

	big := func(v float64) strategy.Bundle {
		b := strategy.Bundle{Indicators: dataBundle().Indicators[:1]}
		for org := 1000; org < 1100; org++ {
			for year := 1950; year < 2050; year++ {
				b.Observations = append(b.Observations, strategy.Observation{Indicator: "valdeltagande",
					Org: fmt.Sprint(org), Year: year, Gender: strategy.Total, Value: f(v + float64(year))})
			}
		}
		return b
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for r := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; ; n++ {
				select {
				case <-done:
					if n > 0 {
						return
					}
				default:
				}
				var err error
				switch (r + n) % 4 {
				case 0:
					_, err = s.Document(ctx, docKey)
				case 1:
					_, err = s.Observations(ctx, strategy.ObservationFilter{Indicators: []string{"valdeltagande"}})
				case 2:
					_, err = s.Export(ctx, orgCode, "")
				case 3:
					_, err = s.ListIndicators(ctx)
				}
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	for i := range 3 {
		if _, err := s.Import(ctx, []strategy.Bundle{big(float64(i))}); err != nil {
			t.Errorf("Import %d: %v", i, err)
		}
	}
	close(done)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("reader: %v", err)
	}
}
