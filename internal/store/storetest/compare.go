package storetest

import (
	"context"
	"errors"
	"math"
	"testing"

	"github.com/inkludera/inkludera/internal/strategy"
)

// RunCompare runs the contract suite of strategy.ComparisonStore. open
// must return a new, empty store that implements it.
func RunCompare(t *testing.T, open func(t *testing.T) strategy.Store) {
	opened := func(t *testing.T) (strategy.Store, strategy.ComparisonStore) {
		s := open(t)
		c, ok := s.(strategy.ComparisonStore)
		if !ok {
			t.Fatalf("%T does not implement strategy.ComparisonStore", s)
		}
		return s, c
	}
	tests := []struct {
		name string
		test func(t *testing.T, s strategy.Store, c strategy.ComparisonStore)
	}{
		{"groups are upserted", testPutGroups},
		{"invalid groups change nothing", testInvalidGroups},
		{"peer group", testPeerGroup},
		{"ranking", testRanking},
		{"ranking errors", testRankingErrors},
		{"profile", testProfile},
		{"region view", testRegionView},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, c := opened(t)
			tc.test(t, s, c)
		})
	}
}

// The comparison fixture: six kommuner in two län, their regions and
// riket. Values are chosen so that every rule shows: ties, a missing
// value stored as NULL beside one not stored at all, a region's and
// riket's values that are never ranked, an older value standing in for a
// missing newer one, an odd and an even number of values for the median.
var compareOrgs = []strategy.Organisation{
	{Code: "00", Name: "Riket", Kind: strategy.OrgRiket},
	{Code: "22", Name: "Region Västernorrland", Kind: strategy.OrgRegion},
	{Code: "23", Name: "Region Jämtland Härjedalen", Kind: strategy.OrgRegion},
	{Code: "2260", Name: "Ånge", Kind: strategy.OrgKommun, County: "22"},
	{Code: "2262", Name: "Timrå", Kind: strategy.OrgKommun, County: "22"},
	{Code: "2281", Name: "Sundsvall", Kind: strategy.OrgKommun, County: "22"},
	{Code: "2313", Name: "Strömsund", Kind: strategy.OrgKommun, County: "23"},
	{Code: "2361", Name: "Härjedalen", Kind: strategy.OrgKommun, County: "23"},
	{Code: "2380", Name: "Östersund", Kind: strategy.OrgKommun, County: "23"},
}

var compareIndicators = []strategy.Indicator{
	{Key: "sysselsatta", Title: "Förvärvsarbetande, andel (%)", Unit: "%", Polarity: strategy.HigherIsBetter,
		Source: "demo", Breakdowns: []string{strategy.BreakdownGender}},
	{Key: "arbetslosa", Title: "Arbetslösa, andel (%)", Unit: "%", Polarity: strategy.LowerIsBetter, Source: "demo"},
	{Key: "utrikes", Title: "Utrikes födda, andel (%)", Unit: "%", Polarity: strategy.Neutral, Source: "demo"},
	{Key: "sundsvall-bara", Title: "Bara Sundsvall har värden", Unit: "antal", Polarity: strategy.HigherIsBetter, Source: "demo"},
}

func compareObservations() []strategy.Observation {
	var out []strategy.Observation
	add := func(ind, org string, year int, g strategy.Gender, v *float64) {
		out = append(out, strategy.Observation{Indicator: ind, Org: org, Year: year, Gender: g, Value: v, Source: "demo"})
	}
	T, K := strategy.Total, strategy.Women
	add("sysselsatta", "2281", 2021, T, f(71))
	for org, v := range map[string]*float64{"2380": f(70), "2361": f(65), "2313": f(65), "2281": f(72), "2262": nil,
		"2309": f(60), "23": f(68), "00": f(69)} {
		add("sysselsatta", org, 2022, T, v)
	}
	add("sysselsatta", "2380", 2022, K, f(68))
	add("sysselsatta", "2281", 2022, K, f(70))
	add("sysselsatta", "2380", 2023, T, f(71))
	add("sysselsatta", "2380", 2024, T, nil) // a later year, but no value in it
	for org, v := range map[string]float64{"2380": 5, "2361": 7, "2313": 3, "2281": 5, "2262": 9, "2260": 4, "22": 6} {
		add("arbetslosa", org, 2022, T, f(v))
	}
	// 2309 Krokom is a kommun by its code, though not stored.
	for org, v := range map[string]float64{"2380": 10, "2281": 20, "2262": 30, "2309": 25} {
		add("utrikes", org, 2022, T, f(v))
	}
	add("sundsvall-bara", "2281", 2022, T, f(1))
	return out
}

func compareGroups() []strategy.OrgGroup {
	return []strategy.OrgGroup{
		{ID: "G2023-2380", Title: "Liknande kommuner socioekonomi, Östersund, 2023", Kind: strategy.GroupPeers,
			Of: "2380", Year: 2023, Source: "kolada", Members: []string{"2380", "2313", "2361", "2260"}},
		{ID: "G2022-2380", Title: "Liknande kommuner socioekonomi, Östersund, 2022", Kind: strategy.GroupPeers,
			Of: "2380", Year: 2022, Source: "kolada", Members: []string{"2281"}},
		{ID: "norrland", Title: "Kommuner i Mittnorden", Kind: strategy.GroupOther, Members: []string{"2380", "2281"}},
	}
}

// loadCompare stores the fixture, groups included.
func loadCompare(t *testing.T, s strategy.Store, c strategy.ComparisonStore) {
	t.Helper()
	var bundles []strategy.Bundle
	for _, o := range compareOrgs {
		bundles = append(bundles, strategy.Bundle{Organisation: &o})
	}
	bundles = append(bundles, strategy.Bundle{Indicators: compareIndicators, Observations: compareObservations()})
	mustImport(t, s, bundles...)
	if _, err := c.PutGroups(context.Background(), compareGroups()); err != nil {
		t.Fatal(err)
	}
}

func testPutGroups(t *testing.T, s strategy.Store, c strategy.ComparisonStore) {
	ctx := context.Background()
	put := func(groups []strategy.OrgGroup, want strategy.ChangeCount) {
		t.Helper()
		got, err := c.PutGroups(ctx, groups)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Fatalf("PutGroups = %+v, want %+v", got, want)
		}
	}
	before, err := s.ContentVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	groups := compareGroups()
	put(groups, strategy.ChangeCount{Added: 3})
	stored, err := s.ContentVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if stored <= before {
		t.Errorf("content version %d after storing groups, was %d: page caches would not learn of them", stored, before)
	}
	put(groups, strategy.ChangeCount{Unchanged: 3})
	if v, _ := s.ContentVersion(ctx); v != stored {
		t.Errorf("content version %d after storing the same groups, want %d", v, stored)
	}

	groups[0].Title = "Liknande kommuner, Östersund, 2023"
	put(groups, strategy.ChangeCount{Changed: 1, Unchanged: 2})
	groups[0].Members = []string{"2313", "2380", "2361", "2260"} // the order is part of the group
	put(groups, strategy.ChangeCount{Changed: 1, Unchanged: 2})
	groups[0].Year = 0 // a year no longer given
	put(groups[:1], strategy.ChangeCount{Changed: 1})

	got, err := c.PeerGroup(ctx, "2380")
	if err != nil {
		t.Fatal(err)
	}
	same(t, "peer group after the changes", got, groups[1]) // groups[0] lost its year: 2022 is now the latest
	groups[0].Year = 2023
	put(groups[:1], strategy.ChangeCount{Changed: 1})
	got, err = c.PeerGroup(ctx, "2380")
	if err != nil {
		t.Fatal(err)
	}
	same(t, "peer group", got, groups[0])
}

func testInvalidGroups(t *testing.T, s strategy.Store, c strategy.ComparisonStore) {
	ctx := context.Background()
	valid := compareGroups()[0]
	tests := []struct {
		name  string
		group strategy.OrgGroup
		path  string
	}{
		{"no id", strategy.OrgGroup{Title: "x", Kind: strategy.GroupOther, Members: []string{"2380"}}, "groups[1].id"},
		{"no title", strategy.OrgGroup{ID: "x", Kind: strategy.GroupOther, Members: []string{"2380"}}, "groups[1].title"},
		{"unknown kind", strategy.OrgGroup{ID: "x", Title: "x", Kind: "grannar", Members: []string{"2380"}}, "groups[1].kind"},
		{"peers of nobody", strategy.OrgGroup{ID: "x", Title: "x", Kind: strategy.GroupPeers, Members: []string{"2380"}}, "groups[1].of"},
		{"peers of a region", strategy.OrgGroup{ID: "x", Title: "x", Kind: strategy.GroupPeers, Of: "23", Members: []string{"2380"}}, "groups[1].of"},
		{"other of a kommun", strategy.OrgGroup{ID: "x", Title: "x", Kind: strategy.GroupOther, Of: "2380", Members: []string{"2380"}}, "groups[1].of"},
		{"no members", strategy.OrgGroup{ID: "x", Title: "x", Kind: strategy.GroupOther}, "groups[1].members"},
		{"a member twice", strategy.OrgGroup{ID: "x", Title: "x", Kind: strategy.GroupOther, Members: []string{"2380", "2380"}}, "groups[1].members[1]"},
		{"a member that is no code", strategy.OrgGroup{ID: "x", Title: "x", Kind: strategy.GroupOther, Members: []string{"V15E144001301"}}, "groups[1].members[0]"},
		{"an implausible year", strategy.OrgGroup{ID: "x", Title: "x", Kind: strategy.GroupOther, Year: 24, Members: []string{"2380"}}, "groups[1].year"},
		{"the same id twice", valid, "groups[1].id"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.PutGroups(ctx, []strategy.OrgGroup{valid, tc.group})
			wantCode(t, err, strategy.CodeInvalid)
			var v strategy.ValidationErrors
			if !errors.As(err, &v) {
				t.Fatalf("%v carries no ValidationErrors", err)
			}
			found := false
			for _, e := range v {
				found = found || e.Path == tc.path
				if e.Svenska == "" {
					t.Errorf("%s: no Swedish message", e.Path)
				}
			}
			if !found {
				t.Errorf("problems %v do not name %s", v, tc.path)
			}
			_, err = c.PeerGroup(ctx, valid.Of)
			wantCode(t, err, strategy.CodeNotFound) // the valid group was not stored either
		})
	}
}

func testPeerGroup(t *testing.T, s strategy.Store, c strategy.ComparisonStore) {
	ctx := context.Background()
	_, err := c.PeerGroup(ctx, "2380")
	wantCode(t, err, strategy.CodeNotFound, "2380")
	loadCompare(t, s, c)
	got, err := c.PeerGroup(ctx, "2380")
	if err != nil {
		t.Fatal(err)
	}
	same(t, "the latest year's peer group", got, compareGroups()[0])
	// The other group lists 2281, but is not its peer group.
	_, err = c.PeerGroup(ctx, "2281")
	wantCode(t, err, strategy.CodeNotFound)
}

func ranked(rank int, code, name, county string, v float64) strategy.RankedOrg {
	return strategy.RankedOrg{Rank: rank, Code: code, Name: name, County: county, Value: f(v)}
}

func unranked(code, name, county string) strategy.RankedOrg {
	return strategy.RankedOrg{Code: code, Name: name, County: county}
}

func testRanking(t *testing.T, s strategy.Store, c strategy.ComparisonStore) {
	ctx := context.Background()
	loadCompare(t, s, c)
	ind := func(key string) strategy.Indicator {
		i, err := s.Indicator(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		return i
	}
	tests := []struct {
		name      string
		indicator string
		year      int
		gender    strategy.Gender
		want      strategy.Ranking
	}{
		{"higher is better, a tie, one missing and one not stored", "sysselsatta", 2022, strategy.Total, strategy.Ranking{
			Year: 2022, Gender: strategy.Total, Missing: 2, FirstYear: 2021, LastYear: 2024,
			Rows: []strategy.RankedOrg{
				ranked(1, "2281", "Sundsvall", "22", 72),
				ranked(2, "2380", "Östersund", "23", 70),
				ranked(3, "2313", "Strömsund", "23", 65),
				ranked(3, "2361", "Härjedalen", "23", 65),
				ranked(5, "2309", "", "23", 60),
			}}},
		{"year 0 is the latest with a value, not 2024's missing one", "sysselsatta", 0, strategy.Total, strategy.Ranking{
			Year: 2023, Gender: strategy.Total, Missing: 5, FirstYear: 2021, LastYear: 2024,
			Rows: []strategy.RankedOrg{ranked(1, "2380", "Östersund", "23", 71)}}},
		{"women", "sysselsatta", 2022, strategy.Women, strategy.Ranking{
			Year: 2022, Gender: strategy.Women, Missing: 4, FirstYear: 2021, LastYear: 2024,
			Rows: []strategy.RankedOrg{
				ranked(1, "2281", "Sundsvall", "22", 70),
				ranked(2, "2380", "Östersund", "23", 68),
			}}},
		{"lower is better, a tie after a gap", "arbetslosa", 2022, strategy.Total, strategy.Ranking{
			Year: 2022, Gender: strategy.Total, FirstYear: 2022, LastYear: 2022,
			Rows: []strategy.RankedOrg{
				ranked(1, "2313", "Strömsund", "23", 3),
				ranked(2, "2260", "Ånge", "22", 4),
				ranked(3, "2281", "Sundsvall", "22", 5),
				ranked(3, "2380", "Östersund", "23", 5),
				ranked(5, "2361", "Härjedalen", "23", 7),
				ranked(6, "2262", "Timrå", "22", 9),
			}}},
		{"neutral is highest first; a kommun not stored is ranked but not missing", "utrikes", 2022, strategy.Total, strategy.Ranking{
			Year: 2022, Gender: strategy.Total, Missing: 3, FirstYear: 2022, LastYear: 2022,
			Rows: []strategy.RankedOrg{
				ranked(1, "2262", "Timrå", "22", 30),
				ranked(2, "2309", "", "23", 25),
				ranked(3, "2281", "Sundsvall", "22", 20),
				ranked(4, "2380", "Östersund", "23", 10),
			}}},
		{"a year without values", "arbetslosa", 2010, strategy.Total, strategy.Ranking{
			Year: 2010, Gender: strategy.Total, Missing: 6, FirstYear: 2022, LastYear: 2022, Rows: []strategy.RankedOrg{}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := c.Ranking(ctx, tc.indicator, tc.year, tc.gender)
			if err != nil {
				t.Fatal(err)
			}
			tc.want.Indicator = ind(tc.indicator)
			same(t, "ranking", got, tc.want)
		})
	}
}

func testRankingErrors(t *testing.T, s strategy.Store, c strategy.ComparisonStore) {
	ctx := context.Background()
	loadCompare(t, s, c)
	_, err := c.Ranking(ctx, "okand", 2022, strategy.Total)
	wantCode(t, err, strategy.CodeNotFound, "okand")
	_, err = c.Ranking(ctx, "sysselsatta", 2022, "X")
	wantCode(t, err, strategy.CodeInvalid, "gender")
	_, err = c.Ranking(ctx, "arbetslosa", 2022, strategy.Men)
	wantCode(t, err, strategy.CodeInvalid, "arbetslosa")
	_, err = c.RegionView(ctx, "23", "arbetslosa", 2022, strategy.Women)
	wantCode(t, err, strategy.CodeInvalid, "arbetslosa")
	_, err = c.RegionView(ctx, "24", "arbetslosa", 2022, strategy.Total)
	wantCode(t, err, strategy.CodeNotFound, "24")
	_, err = c.RegionView(ctx, "2380", "arbetslosa", 2022, strategy.Total)
	wantCode(t, err, strategy.CodeNotFound, "2380")
	_, err = c.RegionView(ctx, "23", "okand", 2022, strategy.Total)
	wantCode(t, err, strategy.CodeNotFound, "okand")
	_, err = c.Profile(ctx, "23", 2022)
	wantCode(t, err, strategy.CodeInvalid, "23")
	_, err = c.Profile(ctx, "9999", 2022)
	wantCode(t, err, strategy.CodeNotFound, "9999")
}

// near compares what the engines compute (means, medians) with a margin
// for the order of the additions.
func near(t *testing.T, what string, got *float64, want float64) {
	t.Helper()
	if got == nil || math.Abs(*got-want) > 1e-9 {
		t.Errorf("%s = %v, want %v", what, show(got), want)
	}
}

func show(v *float64) any {
	if v == nil {
		return "nil"
	}
	return *v
}

func testProfile(t *testing.T, s strategy.Store, c strategy.ComparisonStore) {
	ctx := context.Background()
	loadCompare(t, s, c)
	type row struct {
		year, rank, ranked int
		value, median      *float64
		peerMean           *float64
		peerCount          int
	}
	empty := row{}
	tests := []struct {
		name     string
		org      string
		year     int
		wantYear int
		peers    bool
		rows     map[string]row
	}{
		{"2022: ranks, medians of an odd and an even count, peers without the kommun itself", "2380", 2022, 2022, true, map[string]row{
			"sysselsatta":    {year: 2022, value: f(70), rank: 2, ranked: 5, median: f(65), peerMean: f(65), peerCount: 2},
			"arbetslosa":     {year: 2022, value: f(5), rank: 3, ranked: 6, median: f(5), peerMean: f(14.0 / 3), peerCount: 3},
			"utrikes":        {year: 2022, value: f(10), rank: 4, ranked: 4, median: f(22.5)},
			"sundsvall-bara": empty,
		}},
		{"2023: an older value stands in, and says its year", "2380", 2023, 2023, true, map[string]row{
			"sysselsatta":    {year: 2023, value: f(71), rank: 1, ranked: 1, median: f(71)},
			"arbetslosa":     {year: 2022, value: f(5), rank: 3, ranked: 6, median: f(5), peerMean: f(14.0 / 3), peerCount: 3},
			"utrikes":        {year: 2022, value: f(10), rank: 4, ranked: 4, median: f(22.5)},
			"sundsvall-bara": empty,
		}},
		{"year 0: the latest values", "2380", 0, 2023, true, map[string]row{
			"sysselsatta":    {year: 2023, value: f(71), rank: 1, ranked: 1, median: f(71)},
			"arbetslosa":     {year: 2022, value: f(5), rank: 3, ranked: 6, median: f(5), peerMean: f(14.0 / 3), peerCount: 3},
			"utrikes":        {year: 2022, value: f(10), rank: 4, ranked: 4, median: f(22.5)},
			"sundsvall-bara": empty,
		}},
		{"before any value", "2380", 2019, 2019, true, map[string]row{
			"sysselsatta": empty, "arbetslosa": empty, "utrikes": empty, "sundsvall-bara": empty,
		}},
		{"a kommun without a peer group", "2281", 2022, 2022, false, map[string]row{
			"sysselsatta":    {year: 2022, value: f(72), rank: 1, ranked: 5, median: f(65)},
			"arbetslosa":     {year: 2022, value: f(5), rank: 3, ranked: 6, median: f(5)},
			"utrikes":        {year: 2022, value: f(20), rank: 3, ranked: 4, median: f(22.5)},
			"sundsvall-bara": {year: 2022, value: f(1), rank: 1, ranked: 1, median: f(1)},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := c.Profile(ctx, tc.org, tc.year)
			if err != nil {
				t.Fatal(err)
			}
			org, err := s.Organisation(ctx, tc.org)
			if err != nil {
				t.Fatal(err)
			}
			same(t, "organisation", p.Org, org)
			if p.Year != tc.wantYear {
				t.Errorf("Year = %d, want %d", p.Year, tc.wantYear)
			}
			if (p.Peers != nil) != tc.peers {
				t.Errorf("Peers = %+v, want a group: %v", p.Peers, tc.peers)
			} else if tc.peers {
				same(t, "peers", *p.Peers, compareGroups()[0])
			}
			if len(p.Rows) != len(compareIndicators) {
				t.Fatalf("%d rows, want one per indicator (%d)", len(p.Rows), len(compareIndicators))
			}
			for i, r := range p.Rows {
				ind := compareIndicators[i]
				if r.Indicator != ind.Key || r.Title != ind.Title || r.Unit != ind.Unit || r.Polarity != ind.Polarity {
					t.Errorf("row %d is %s %q %s %s, want indicator %s in the order they were stored", i,
						r.Indicator, r.Title, r.Unit, r.Polarity, ind.Key)
					continue
				}
				want := tc.rows[r.Indicator]
				if r.Year != want.year || r.Rank != want.rank || r.Ranked != want.ranked || r.PeerCount != want.peerCount {
					t.Errorf("%s: year %d rank %d of %d, %d peers; want year %d rank %d of %d, %d peers", r.Indicator,
						r.Year, r.Rank, r.Ranked, r.PeerCount, want.year, want.rank, want.ranked, want.peerCount)
				}
				for _, v := range []struct {
					name      string
					got, want *float64
				}{{"value", r.Value, want.value}, {"median", r.Median, want.median}, {"peer mean", r.PeerMean, want.peerMean}} {
					if v.want == nil {
						if v.got != nil {
							t.Errorf("%s: %s = %v, want missing", r.Indicator, v.name, *v.got)
						}
						continue
					}
					near(t, r.Indicator+": "+v.name, v.got, *v.want)
				}
			}
		})
	}
}

func testRegionView(t *testing.T, s strategy.Store, c strategy.ComparisonStore) {
	ctx := context.Background()
	loadCompare(t, s, c)
	region := func(code string) strategy.Organisation {
		o, err := s.Organisation(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	ind := func(key string) strategy.Indicator {
		i, err := s.Indicator(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		return i
	}
	tests := []struct {
		name      string
		region    string
		indicator string
		year      int
		want      strategy.RegionView
	}{
		{"ranks among all kommuner, riket's value", "23", "sysselsatta", 2022, strategy.RegionView{
			Year: 2022, Ranked: 5, FirstYear: 2021, LastYear: 2024, RegionValue: f(68), NationalValue: f(69),
			Rows: []strategy.RankedOrg{
				ranked(2, "2380", "Östersund", "23", 70),
				ranked(3, "2313", "Strömsund", "23", 65),
				ranked(3, "2361", "Härjedalen", "23", 65),
			}}},
		{"kommuner without a value last, by code", "22", "sysselsatta", 2022, strategy.RegionView{
			Year: 2022, Ranked: 5, FirstYear: 2021, LastYear: 2024, NationalValue: f(69),
			Rows: []strategy.RankedOrg{
				ranked(1, "2281", "Sundsvall", "22", 72),
				unranked("2260", "Ånge", "22"),
				unranked("2262", "Timrå", "22"),
			}}},
		{"the region's own value, no riket", "22", "arbetslosa", 2022, strategy.RegionView{
			Year: 2022, Ranked: 6, FirstYear: 2022, LastYear: 2022, RegionValue: f(6),
			Rows: []strategy.RankedOrg{
				ranked(2, "2260", "Ånge", "22", 4),
				ranked(3, "2281", "Sundsvall", "22", 5),
				ranked(6, "2262", "Timrå", "22", 9),
			}}},
		{"year 0 is the latest", "23", "sysselsatta", 0, strategy.RegionView{
			Year: 2023, Ranked: 1, FirstYear: 2021, LastYear: 2024,
			Rows: []strategy.RankedOrg{
				ranked(1, "2380", "Östersund", "23", 71),
				unranked("2313", "Strömsund", "23"),
				unranked("2361", "Härjedalen", "23"),
			}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := c.RegionView(ctx, tc.region, tc.indicator, tc.year, strategy.Total)
			if err != nil {
				t.Fatal(err)
			}
			tc.want.Region, tc.want.Indicator, tc.want.Gender = region(tc.region), ind(tc.indicator), strategy.Total
			same(t, "region view", got, tc.want)
		})
	}
}
