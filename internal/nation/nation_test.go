package nation

import (
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/inkludera/inkludera/internal/strategy"
)

func TestReferenceData(t *testing.T) {
	kommuner, regions := Kommuner(), Regions()
	if len(kommuner) != 290 {
		t.Errorf("%d kommuner, want 290", len(kommuner))
	}
	if len(regions) != 21 {
		t.Errorf("%d regions, want 21", len(regions))
	}
	wantPerLan := map[string]int{
		"01": 26, "03": 8, "04": 9, "05": 13, "06": 13, "07": 8, "08": 12, "09": 1, "10": 5, "12": 33, "13": 6,
		"14": 49, "17": 16, "18": 12, "19": 10, "20": 15, "21": 10, "22": 7, "23": 8, "24": 15, "25": 14,
	}
	codes := map[string]bool{}
	names := map[string]bool{}
	perLan := map[string]int{}
	for _, r := range regions {
		if codes[r.Code] {
			t.Errorf("länskod %s twice", r.Code)
		}
		codes[r.Code] = true
		if _, ok := wantPerLan[r.Code]; !ok {
			t.Errorf("unknown länskod %s", r.Code)
		}
		if !strings.HasSuffix(r.County, " län") || r.Population < 50_000 {
			t.Errorf("region %s: län %q, population %d", r.Code, r.County, r.Population)
		}
	}
	prev := ""
	for _, k := range kommuner {
		if codes[k.Code] {
			t.Errorf("kommunkod %s twice", k.Code)
		}
		codes[k.Code] = true
		if names[k.Name] {
			t.Errorf("kommun name %s twice", k.Name)
		}
		names[k.Name] = true
		if k.Code <= prev {
			t.Errorf("kommun %s after %s: not ordered by code", k.Code, prev)
		}
		prev = k.Code
		if k.County != k.Code[:2] {
			t.Errorf("kommun %s has county %s", k.Code, k.County)
		}
		if _, ok := wantPerLan[k.County]; !ok {
			t.Errorf("kommun %s %s: %s is no länskod", k.Code, k.Name, k.County)
		}
		perLan[k.County]++
		if err := (strategy.Organisation{Code: k.Code, Name: k.Name, Kind: strategy.OrgKommun, County: k.County}).Validate(); err != nil {
			t.Errorf("kommun %s: %v", k.Code, err)
		}
	}
	if !reflect.DeepEqual(perLan, wantPerLan) {
		t.Errorf("kommuner per län\n got %v\nwant %v", perLan, wantPerLan)
	}
	byCode := map[string]string{}
	for _, k := range kommuner {
		byCode[k.Code] = k.Name
	}
	for code, name := range map[string]string{
		"0114": "Upplands Väsby", "0180": "Stockholm", "0360": "Tierp", "0980": "Gotland", "1280": "Malmö",
		"1480": "Göteborg", "2380": "Östersund", "2580": "Luleå", "2084": "Avesta", "1415": "Stenungsund",
		"2021": "Vansbro", "2313": "Strömsund", "0139": "Upplands-Bro", "2039": "Älvdalen", "1884": "Nora",
	} {
		if byCode[code] != name {
			t.Errorf("kommun %s is %q, want %q", code, byCode[code], name)
		}
	}
	regionNames := map[string]string{}
	for _, r := range regions {
		regionNames[r.Code] = r.Name
	}
	for code, name := range map[string]string{
		"01": "Region Stockholm", "03": "Region Uppsala", "09": "Region Gotland", "12": "Region Skåne",
		"14": "Västra Götalandsregionen", "23": "Region Jämtland Härjedalen", "25": "Region Norrbotten",
	} {
		if regionNames[code] != name {
			t.Errorf("region %s is %q, want %q", code, regionNames[code], name)
		}
	}
	orgs := Organisations()
	if len(orgs) != 1+21+290 || orgs[0] != Riket {
		t.Errorf("Organisations: %d, first %v", len(orgs), orgs[0])
	}
}

func TestCatalogue(t *testing.T) {
	if len(catalogue) != BaseIndicators {
		t.Errorf("%d base indicators, want %d", len(catalogue), BaseIndicators)
	}
	g, err := New(Config{Indicators: MaxIndicators()})
	if err != nil {
		t.Fatal(err)
	}
	inds := g.Indicators()
	keys := map[string]bool{}
	titles := map[string]bool{}
	for _, ind := range inds {
		if keys[ind.Key] || titles[ind.Title] {
			t.Errorf("indicator %s %q: key or title twice", ind.Key, ind.Title)
		}
		keys[ind.Key], titles[ind.Title] = true, true
		if !strings.HasPrefix(ind.Key, KeyPrefix) || ind.Source != "demo" {
			t.Errorf("indicator %s: key or source %q does not say demo", ind.Key, ind.Source)
		}
		switch ind.Unit {
		case "%", "antal", "kr", "poäng":
		default:
			t.Errorf("indicator %s: unit %q", ind.Key, ind.Unit)
		}
	}
	if err := (strategy.Bundle{Indicators: inds}).Validate(nil); err != nil {
		t.Error(err)
	}
}

func TestObservations(t *testing.T) {
	g, err := New(Config{Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	inds := g.Indicators()
	total, missing := 0, 0
	for i, ind := range inds {
		obs := g.Observations(i)
		total += len(obs)
		if err := (strategy.Bundle{Indicators: inds[i : i+1], Observations: obs}).Validate(nil); err != nil {
			t.Fatalf("%s: %v", ind.Key, err)
		}
		type key struct {
			org  string
			year int
		}
		byKey := map[key]map[strategy.Gender]*float64{}
		for j, o := range obs {
			if o.Indicator != ind.Key || o.Source != "demo" {
				t.Fatalf("%s: observation %+v", ind.Key, o)
			}
			if j > 0 {
				p := obs[j-1]
				if p.Org > o.Org || (p.Org == o.Org && (p.Year > o.Year || (p.Year == o.Year && p.Gender >= o.Gender))) {
					t.Fatalf("%s: %v after %v, not in key order", ind.Key, o.Key(), p.Key())
				}
			}
			if o.Value == nil {
				missing++
			} else if math.IsNaN(*o.Value) || *o.Value < 0 || (ind.Unit == "%" && *o.Value > 100) {
				t.Fatalf("%s %s %d %s: value %v", ind.Key, o.Org, o.Year, o.Gender, *o.Value)
			}
			k := key{o.Org, o.Year}
			if byKey[k] == nil {
				byKey[k] = map[strategy.Gender]*float64{}
			}
			byKey[k][o.Gender] = o.Value
		}
		if !ind.ByGender() {
			continue
		}
		for k, v := range byKey {
			w, m, tot := v[strategy.Women], v[strategy.Men], v[strategy.Total]
			if w == nil || m == nil || tot == nil {
				continue
			}
			switch ind.Unit {
			case "antal":
				if *tot != *w+*m {
					t.Errorf("%s %v: T %v is not K %v + M %v", ind.Key, k, *tot, *w, *m)
				}
			default:
				if *tot < math.Min(*w, *m) || *tot > math.Max(*w, *m) {
					t.Errorf("%s %v: T %v is not between K %v and M %v", ind.Key, k, *tot, *w, *m)
				}
			}
		}
	}
	if total != g.Count() {
		t.Errorf("%d observations made, Count says %d", total, g.Count())
	}
	if share := float64(missing) / float64(total); share < 0.001 || share > 0.1 {
		t.Errorf("%.2f %% of the values are missing; want some, and not many", 100*share)
	}
}

// TestDeterministic: the same seed gives the same values, one
// indicator's values do not depend on how many indicators are made, and
// another seed gives other values.
func TestDeterministic(t *testing.T) {
	a, _ := New(Config{Seed: 3})
	b, _ := New(Config{Seed: 3, Indicators: 200})
	c, _ := New(Config{Seed: 4})
	for _, i := range []int{0, 12, 35, 59} {
		if !reflect.DeepEqual(a.Observations(i), b.Observations(i)) {
			t.Errorf("indicator %d differs with more indicators", i)
		}
		if reflect.DeepEqual(a.Observations(i), c.Observations(i)) {
			t.Errorf("indicator %d is the same with another seed", i)
		}
	}
	if !reflect.DeepEqual(a.PeerGroups(), b.PeerGroups()) {
		t.Error("peer groups differ with more indicators")
	}
}

// TestAggregates checks that regions and riket get their kommuner's
// population-weighted mean, and for counts their sum.
func TestAggregates(t *testing.T) {
	g, _ := New(Config{Seed: 1, From: 2020, Years: 2})
	for i, ind := range g.Indicators() {
		if i != 0 && ind.Unit != "antal" {
			continue
		}
		obs := g.Observations(i)
		value := map[string]float64{}
		for _, o := range obs {
			if o.Year == 2021 && o.Gender == strategy.Total && o.Value != nil {
				value[o.Org] = *o.Value
			}
		}
		for _, region := range []string{"23", "00"} {
			var sum, weight float64
			for _, k := range g.kommuner {
				v, ok := value[k.Code]
				if !ok || (region != "00" && k.County != region) {
					continue
				}
				w := k.populationIn(2021, 2021)
				if ind.Unit == "antal" {
					w = 1
				}
				sum += v * w
				weight += w
			}
			want := sum
			if ind.Unit != "antal" {
				want = math.Round(sum/weight*10) / 10
			}
			if got := value[region]; got != want {
				t.Errorf("%s %s 2021: %v, want %v", ind.Key, region, got, want)
			}
		}
	}
}

func TestPeerGroups(t *testing.T) {
	g, _ := New(Config{Seed: 1})
	groups := g.PeerGroups()
	if len(groups) != 290 {
		t.Fatalf("%d peer groups, want one per kommun", len(groups))
	}
	names := map[string]string{}
	for _, k := range Kommuner() {
		names[k.Code] = k.Name
	}
	for _, gr := range groups {
		if err := gr.Validate(); err != nil {
			t.Errorf("%s: %v", gr.ID, err)
		}
		want := "Liknande kommuner socioekonomi, " + names[gr.Of] + ", 2024"
		if gr.Title != want || gr.Kind != strategy.GroupPeers || gr.Year != 2024 {
			t.Errorf("%s: %q %s %d, want %q", gr.ID, gr.Title, gr.Kind, gr.Year, want)
		}
		if len(gr.Members) != PeerGroupSize {
			t.Errorf("%s: %d members", gr.ID, len(gr.Members))
		}
		for _, m := range gr.Members {
			if m == gr.Of || names[m] == "" {
				t.Errorf("%s: member %s", gr.ID, m)
			}
		}
	}
	// Peers are alike: Stockholm's are big and urban, and Danderyd is
	// nobody's peer more often than the median kommun is.
	for _, gr := range groups {
		if gr.Of != "0180" {
			continue
		}
		for _, m := range gr.Members {
			for _, k := range g.kommuner {
				if k.Code == m && k.zSize < 0.5 {
					t.Errorf("Stockholm's peer %s %s is small (size score %.2f)", m, k.Name, k.zSize)
				}
			}
		}
	}
}

func TestIndicatorsFor(t *testing.T) {
	g, _ := New(Config{})
	n, err := IndicatorsFor(g.Count(), DefaultYears)
	if err != nil || n != BaseIndicators {
		t.Errorf("IndicatorsFor(%d) = %d, %v; want %d", g.Count(), n, err, BaseIndicators)
	}
	n, err = IndicatorsFor(10_000_000, DefaultYears)
	if err != nil {
		t.Fatal(err)
	}
	g, _ = New(Config{Indicators: n})
	if g.Count() < 10_000_000 {
		t.Errorf("%d indicators make %d observations, fewer than 10 000 000", n, g.Count())
	}
	less, _ := New(Config{Indicators: n - 1})
	if less.Count() >= 10_000_000 {
		t.Errorf("%d indicators already make %d observations", n-1, less.Count())
	}
	if _, err := IndicatorsFor(100_000_000, DefaultYears); strategy.CodeOf(err) != strategy.CodeInvalid || !strings.Contains(err.Error(), "years") {
		t.Errorf("IndicatorsFor(100 M) = %v, want an error suggesting more years", err)
	}
}

func TestConfigErrors(t *testing.T) {
	for _, cfg := range []Config{{Years: -1}, {From: 1800}, {Indicators: MaxIndicators() + 1}, {Indicators: -2}} {
		if _, err := New(cfg); strategy.CodeOf(err) != strategy.CodeInvalid {
			t.Errorf("New(%+v) = %v, want CodeInvalid", cfg, err)
		}
	}
}
