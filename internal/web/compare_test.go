package web

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/inkludera/inkludera/internal/nation"
	"github.com/inkludera/inkludera/internal/store"
	"github.com/inkludera/inkludera/internal/strategy"
)

func init() {
	checkedPages["compare_index"] = frame[compareIndexPage]{}
	checkedPages["compare_ranking"] = frame[rankingPage]{}
	checkedPages["compare_profile"] = frame[profilePage]{}
	checkedPages["compare_region"] = frame[regionPage]{}
}

// The comparison fixture: the national demo's first indicators over two
// years, with its peer groups, beside the test bundles (Östersund's and
// Strömsund's organisations keep their names).
const (
	compareFrom  = 2023
	compareYears = 2
)

var (
	keySysselsatta = nation.KeyPrefix + "sysselsatta-utrikes-20-64" // higher is better, by gender
	keyArbetslosa  = nation.KeyPrefix + "arbetslosa-utrikes-16-64"  // lower is better
)

func newCompareEnv(t *testing.T) *testEnv {
	t.Helper()
	st := newTestStore(t)
	loadNational(t, st, 6)
	return newTestEnvWith(t, st)
}

// loadNational stores the first n indicators of the national demo as
// inkludera demo national would.
func loadNational(t *testing.T, st *store.Store, n int) {
	t.Helper()
	ctx := context.Background()
	gen, err := nation.New(nation.Config{Seed: 1, From: compareFrom, Years: compareYears, Indicators: n})
	if err != nil {
		t.Fatal(err)
	}
	stored := map[string]bool{}
	orgs, err := st.ListOrganisations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range orgs {
		stored[o.Code] = true
	}
	var bundles []strategy.Bundle
	for _, o := range gen.Organisations() {
		if !stored[o.Code] {
			bundles = append(bundles, strategy.Bundle{Organisation: &o})
		}
	}
	bundles = append(bundles, strategy.Bundle{Indicators: gen.Indicators()})
	if _, err := st.Import(ctx, bundles); err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if _, err := st.Import(ctx, []strategy.Bundle{{Observations: gen.Observations(i)}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.PutGroups(ctx, gen.PeerGroups()); err != nil {
		t.Fatal(err)
	}
}

func TestCompareAPI(t *testing.T) { onEngines(t, testCompareAPI) }

func testCompareAPI(t *testing.T) {
	e := newCompareEnv(t)
	last := compareFrom + compareYears - 1
	tests := []struct {
		name   string
		path   string
		status int
		check  func(t *testing.T, body string)
	}{
		{"ranking of the latest year", "/api/v1/indicators/" + keySysselsatta + "/ranking", 200, func(t *testing.T, body string) {
			r := decode[strategy.Ranking](t, body)
			if r.Year != last || r.Gender != strategy.Total || r.Indicator.Key != keySysselsatta {
				t.Errorf("year %d gender %s indicator %s", r.Year, r.Gender, r.Indicator.Key)
			}
			checkRanked(t, r.Rows, r.Indicator.Polarity)
			if len(r.Rows)+r.Missing != 290 || len(r.Rows) < 250 {
				t.Errorf("%d ranked, %d missing; want 290 kommuner and most ranked", len(r.Rows), r.Missing)
			}
			if r.FirstYear != compareFrom || r.LastYear != last {
				t.Errorf("years %d–%d", r.FirstYear, r.LastYear)
			}
		}},
		{"ranking of women, a year given, lower is better", "/api/v1/indicators/" + keyArbetslosa + "/ranking?year=2023&gender=K", 200, func(t *testing.T, body string) {
			r := decode[strategy.Ranking](t, body)
			if r.Year != 2023 || r.Gender != strategy.Women || r.Indicator.Polarity != strategy.LowerIsBetter {
				t.Errorf("year %d gender %s polarity %s", r.Year, r.Gender, r.Indicator.Polarity)
			}
			checkRanked(t, r.Rows, r.Indicator.Polarity)
		}},
		{"ranking: unknown indicator", "/api/v1/indicators/okand/ranking", 404, wantAPIError("not_found", "okand")},
		{"ranking: a gender that is none", "/api/v1/indicators/" + keySysselsatta + "/ranking?gender=X", 400, wantAPIError("invalid", "gender")},
		{"ranking: a year that is none", "/api/v1/indicators/" + keySysselsatta + "/ranking?year=23", 400, wantAPIError("invalid", "year")},
		{"ranking: men of an indicator without genders", "/api/v1/indicators/inflyttade/ranking?gender=M", 400, wantAPIError("invalid", "gender")},

		{"profile", "/api/v1/organisations/2380/profile?year=2024", 200, func(t *testing.T, body string) {
			p := decode[strategy.Profile](t, body)
			if p.Org.Code != "2380" || p.Year != 2024 || p.Peers == nil || len(p.Peers.Members) != nation.PeerGroupSize {
				t.Errorf("org %s year %d peers %+v", p.Org.Code, p.Year, p.Peers)
			}
			inds, err := e.st.ListIndicators(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Rows) != len(inds) {
				t.Fatalf("%d rows for %d indicators", len(p.Rows), len(inds))
			}
			withValue := 0
			for i, r := range p.Rows {
				if r.Indicator != inds[i].Key {
					t.Errorf("row %d is %s, want %s", i, r.Indicator, inds[i].Key)
				}
				if r.Value != nil {
					withValue++
					if r.Rank < 1 || r.Rank > r.Ranked || r.Median == nil || r.Year > 2024 {
						t.Errorf("%s: rank %d of %d, median %v, year %d", r.Indicator, r.Rank, r.Ranked, r.Median, r.Year)
					}
				}
			}
			if withValue < 5 {
				t.Errorf("only %d rows with a value", withValue)
			}
			if !strings.Contains(body, `"value":null`) {
				t.Error("the test bundles' indicators without a 2380 value should show null values")
			}
		}},
		{"profile of a region", "/api/v1/organisations/23/profile", 400, wantAPIError("invalid", "kommun")},
		{"profile of nobody", "/api/v1/organisations/9999/profile", 404, wantAPIError("not_found", "9999")},

		{"peers", "/api/v1/organisations/2380/peers", 200, func(t *testing.T, body string) {
			g := decode[peerGroupView](t, body)
			if g.Of != "2380" || g.ID != nation.PeerGroupID("2380") || len(g.Members) != nation.PeerGroupSize {
				t.Fatalf("got %+v", g)
			}
			for _, m := range g.Members {
				if m.Name == "" || m.Kind != strategy.OrgKommun || m.Code == "2380" {
					t.Errorf("member %+v", m)
				}
			}
		}},
		{"peers of a region", "/api/v1/organisations/23/peers", 404, wantAPIError("not_found", "23")},
		{"peers of nobody", "/api/v1/organisations/9999/peers", 404, wantAPIError("not_found", "9999")},

		{"region", "/api/v1/regions/23/indicators/" + keySysselsatta + "?year=2023", 200, func(t *testing.T, body string) {
			v := decode[strategy.RegionView](t, body)
			if v.Region.Code != "23" || v.Year != 2023 || len(v.Rows) != 8 || v.RegionValue == nil || v.NationalValue == nil {
				t.Fatalf("region %s year %d, %d kommuner, region %v riket %v", v.Region.Code, v.Year, len(v.Rows),
					v.RegionValue, v.NationalValue)
			}
			for _, r := range v.Rows {
				if r.County != "23" {
					t.Errorf("kommun %s of län %s", r.Code, r.County)
				}
			}
		}},
		{"region that is a kommun", "/api/v1/regions/2380/indicators/" + keySysselsatta, 404, wantAPIError("not_found", "2380")},
		{"region, unknown indicator", "/api/v1/regions/23/indicators/okand", 404, wantAPIError("not_found", "okand")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, body := e.do(t, http.MethodGet, tc.path)
			if res.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %s", res.StatusCode, tc.status, body)
			}
			if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type %q", ct)
			}
			tc.check(t, body)
		})
	}
}

// checkRanked checks a ranking's order and competition ranks.
func checkRanked(t *testing.T, rows []strategy.RankedOrg, pol strategy.Polarity) {
	t.Helper()
	for i, r := range rows {
		if r.Value == nil || r.Name == "" || r.County != r.Code[:2] {
			t.Fatalf("row %d: %+v", i, r)
		}
		if i == 0 {
			if r.Rank != 1 {
				t.Errorf("first rank %d", r.Rank)
			}
			continue
		}
		p := rows[i-1]
		better := *p.Value > *r.Value
		if pol == strategy.LowerIsBetter {
			better = *p.Value < *r.Value
		}
		switch {
		case *p.Value == *r.Value:
			if r.Rank != p.Rank || r.Code <= p.Code {
				t.Errorf("tie %s (%d) after %s (%d)", r.Code, r.Rank, p.Code, p.Rank)
			}
		case !better || r.Rank != i+1:
			t.Errorf("row %d %s %v rank %d after %s %v rank %d", i, r.Code, *r.Value, r.Rank, p.Code, *p.Value, p.Rank)
		}
	}
}

func wantAPIError(code, mentions string) func(t *testing.T, body string) {
	return func(t *testing.T, body string) {
		t.Helper()
		e := decode[struct{ Code, Message string }](t, body)
		if e.Code != code || !strings.Contains(e.Message, mentions) {
			t.Errorf("error %+v, want code %s mentioning %q", e, code, mentions)
		}
	}
}

func TestComparePages(t *testing.T) { onEngines(t, testComparePages) }

func testComparePages(t *testing.T) {
	e := newCompareEnv(t)
	tests := []struct {
		name   string
		path   string
		status int
		says   []string
	}{
		{"index", "/jamfor", 200, []string{"Jämför kommuner", `href="/jamfor/` + keySysselsatta + `"`,
			`href="/regioner/23"`, "Region Jämtland Härjedalen"}},
		{"ranking", "/jamfor/" + keySysselsatta, 200, []string{
			"<caption", `<th scope="col">Placering</th>`, `<th scope="row">`, "Högre värde är bättre",
			"Demovärden – inte verklig statistik", "Inkluderas egen bearbetning", " av ", "Jämtlands län",
			`<option value="2024" selected>`, `<option value="K">Kvinnor</option>`, "Ett saknat värde är inte noll",
			`href="/kommuner/`, `/profil?ar=2024"`, `href="/api/v1/indicators/` + keySysselsatta + `/ranking?year=2024"`}},
		{"ranking of men in 2023", "/jamfor/" + keyArbetslosa + "?ar=2023&kon=M", 200, []string{
			"Lägre värde är bättre", `<option value="2023" selected>`, `<option value="M" selected>`, "2023, Män"}},
		{"profile", "/kommuner/2380/profil?ar=2024", 200, []string{
			"Östersunds kommun jämförd med alla kommuner", "Liknande kommuner socioekonomi, Östersund, 2024",
			`<th scope="col">Median, alla kommuner</th>`, "<caption", `href="/jamfor/` + keySysselsatta + `?ar=2024"`,
			"Demovärden – inte verklig statistik", "Ett saknat värde är inte noll", `value="2024"`}},
		{"profile, latest values", "/kommuner/1480/profil", 200, []string{"Göteborg jämförd med alla kommuner", "Senaste värdena,"}},
		{"region", "/regioner/23?indikator=" + keySysselsatta + "&ar=2023", 200, []string{
			"Region Jämtland Härjedalen", "Kommunerna i Jämtlands län", "<caption", "Riket", "Regionen",
			"Placering bland alla kommuner", `href="/kommuner/2380/profil?ar=2023"`}},
		{"region, the first indicator", "/regioner/01", 200, []string{"Region Stockholm", "Kommunerna i Stockholms län"}},
		{"unknown indicator", "/jamfor/okand", 404, []string{"Det finns ingen indikator med nyckeln"}},
		{"a year that is none", "/jamfor/" + keySysselsatta + "?ar=tjugo", 400, []string{"Parametern ”ar”"}},
		{"a gender that is none", "/jamfor/" + keySysselsatta + "?kon=X", 400, []string{"Parametern ”kon”"}},
		{"women of an indicator without genders", "/jamfor/inflyttade?kon=K", 400, []string{"inte uppdelad på kön"}},
		{"profile of a region", "/kommuner/23/profil", 404, []string{"23 är ingen kommun"}},
		{"profile of nobody", "/kommuner/9999/profil", 404, []string{"ingen kommun med koden 9999"}},
		{"region that is a kommun", "/regioner/2380", 404, []string{"ingen region med koden 2380"}},
		{"region, unknown indicator", "/regioner/23?indikator=okand", 404, []string{"Det finns ingen indikator med nyckeln"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, body := e.do(t, http.MethodGet, tc.path)
			if res.StatusCode != tc.status {
				t.Fatalf("status %d, want %d", res.StatusCode, tc.status)
			}
			for _, s := range tc.says {
				if !strings.Contains(body, nb(s)) && !strings.Contains(body, s) {
					t.Errorf("page does not say %q", s)
				}
			}
			for _, p := range htmlProblems(body) {
				t.Error(p)
			}
		})
	}
}

// TestComparePageAgreesWithAPI: the ranking page lists the kommuner in the
// API's order with the API's values.
func TestComparePageAgreesWithAPI(t *testing.T) {
	e := newCompareEnv(t)
	_, body := e.do(t, http.MethodGet, "/api/v1/indicators/"+keyArbetslosa+"/ranking?year=2024")
	r := decode[strategy.Ranking](t, body)
	_, page := e.do(t, http.MethodGet, "/jamfor/"+keyArbetslosa+"?ar=2024")
	at := 0
	for _, row := range r.Rows[:20] {
		cell := `<th scope="row"><a href="/kommuner/` + row.Code + `/profil?ar=2024">` + row.Name + `</a></th>`
		i := strings.Index(page[at:], cell)
		if i < 0 {
			t.Fatalf("%s %s is not next on the page", row.Code, row.Name)
		}
		at += i + len(cell)
	}
}
