package scb

import (
	"context"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/inkludera/inkludera/internal/scb/scbtest"
	"github.com/inkludera/inkludera/internal/strategy"
)

func hasWarning(warnings []string, part string) bool {
	for _, w := range warnings {
		if strings.Contains(w, part) {
			return true
		}
	}
	return false
}

type obsWant struct {
	org    string
	year   int
	gender strategy.Gender
	value  *float64
	status string
}

func checkObs(t *testing.T, got []strategy.Observation, want []obsWant) {
	t.Helper()
	if len(got) != len(want) {
		for _, o := range got {
			t.Logf("%s %d %s %v %q", o.Org, o.Year, o.Gender, o.Value, o.Status)
		}
		t.Fatalf("%d observations, want %d", len(got), len(want))
	}
	for i, w := range want {
		o := got[i]
		if o.Org != w.org || o.Year != w.year || o.Gender != w.gender || !reflect.DeepEqual(o.Value, w.value) || o.Status != w.status {
			gv := "nil"
			if o.Value != nil {
				gv = strconv.FormatFloat(*o.Value, 'f', -1, 64)
			}
			t.Errorf("obs %d = %s %d %s %s %q, want %+v", i, o.Org, o.Year, o.Gender, gv, o.Status, w)
		}
		if o.Source != "scb" || o.SourceURL == "" || o.Indicator != "" {
			t.Errorf("obs %d source %q url %q indicator %q", i, o.Source, o.SourceURL, o.Indicator)
		}
	}
}

// Expected figures were read by hand from the hand-made cubes: foreign-born
// (Fodelseregion 11), all four ages summed in TAB4823, the published age
// total TotSA in TAB6645.
func TestFetchStitchedHistoryAndCKM(t *testing.T) {
	f := scbtest.NewServer(t)
	ref, err := ParseRef("scb:TAB4823+TAB6645?Fodelseregion=11&Alder=*&ContentsCode=000001N6")
	if err != nil {
		t.Fatal(err)
	}
	res, err := testClient(f).Fetch(context.Background(), ref, []string{"2380", "2361"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	T, K, M := strategy.Total, strategy.Women, strategy.Men
	checkObs(t, res.Observations, []obsWant{
		{"2380", 2022, T, ptr(1871), ""}, {"2380", 2022, K, ptr(966), ""}, {"2380", 2022, M, ptr(905), ""},
		{"2380", 2023, T, ptr(1931), ""}, {"2380", 2023, K, ptr(996), ""}, {"2380", 2023, M, ptr(935), ""},
		{"2380", 2024, T, ptr(1991), ""}, {"2380", 2024, K, ptr(1026), ""}, {"2380", 2024, M, ptr(965), ""},
		// 2025 from the CKM table: TotSA (998, 1059), not the sum of ages (995, 1056).
		{"2380", 2025, T, ptr(998 + 1059), ""}, {"2380", 2025, K, ptr(1059), ""}, {"2380", 2025, M, ptr(998), ""},
		{"2361", 2022, T, ptr(375), ""}, {"2361", 2022, K, ptr(194), ""}, {"2361", 2022, M, ptr(181), ""},
		// One ".." among the summed cells (100+ år, kvinnor) poisons K and T.
		{"2361", 2023, T, nil, ".."}, {"2361", 2023, K, nil, ".."}, {"2361", 2023, M, ptr(187), ""},
		{"2361", 2024, T, ptr(399), ""}, {"2361", 2024, K, ptr(206), ""}, {"2361", 2024, M, ptr(193), ""},
		{"2361", 2025, T, nil, ".."}, {"2361", 2025, K, ptr(215), ""}, {"2361", 2025, M, nil, ".."},
	})
	if res.MethodBreak != 2025 {
		t.Errorf("method break %d", res.MethodBreak)
	}
	if res.Requests != 5 { // /config, two metadata, two data
		t.Errorf("%d requests, want 5", res.Requests)
	}
	for _, w := range []string{
		"TAB4823: Alder=* sums all 4 values",
		"TAB6645: Alder=* is the published total TotSA",
		"TAB4823 has no total for Kon; T is K+M summed",
		"method break at 2025: TAB6645 continues TAB4823",
	} {
		if !hasWarning(res.Warnings, w) {
			t.Errorf("no warning %q in %q", w, res.Warnings)
		}
	}
	if len(res.Notes) != 1 || !strings.Contains(res.Notes[0], "Cell Key Method") {
		t.Errorf("notes %q", res.Notes)
	}
	o := res.Observations[6] // 2380 2024 T
	wantURL := f.URL + "/tables/TAB4823/data?lang=sv&outputFormat=json-stat2" +
		"&valueCodes[Region]=2380&valueCodes[Alder]=*&valueCodes[Kon]=*&valueCodes[Fodelseregion]=11" +
		"&valueCodes[ContentsCode]=000001N6&valueCodes[Tid]=2024"
	if o.SourceURL != wantURL {
		t.Errorf("source URL\n%s\nwant\n%s", o.SourceURL, wantURL)
	}
	if o := res.Observations[10]; !strings.Contains(o.SourceURL, "/TAB6645/") || !strings.Contains(o.SourceURL, "valueCodes[Alder]=TotSA&valueCodes[Kon]=2&") {
		t.Errorf("2025 K source URL %s", o.SourceURL)
	}
	wantAt := f.Clock.Now().UTC().Truncate(time.Microsecond)
	if !o.FetchedAt.Equal(wantAt) || o.FetchedAt.Location() != time.UTC || o.FetchedAt.Nanosecond()%1000 != 0 {
		t.Errorf("fetched at %v, want %v in UTC to the µs", o.FetchedAt, wantAt)
	}
	// The history table is not asked for years the successor has.
	for _, r := range f.DataRequests() {
		if r.Table == "TAB4823" && strings.Contains(string(r.Body), "2025") {
			t.Errorf("asked TAB4823 for 2025: %s", r.Body)
		}
	}
}

func TestFetchSplitGivesSameObservations(t *testing.T) {
	ref, _ := ParseRef("scb:TAB4823+TAB6645?Fodelseregion=11&Alder=*&ContentsCode=000001N6")
	orgs := []string{"2380", "2361", "00", "23"}
	f := scbtest.NewServer(t)
	run := func(opts ...Option) *Result {
		res, err := testClient(f, opts...).Fetch(context.Background(), ref, orgs, nil)
		if err != nil {
			t.Fatal(err)
		}
		for i := range res.Observations {
			res.Observations[i].FetchedAt = time.Time{} // the fake clock moves with the waits
		}
		return res
	}
	whole := run()
	// 5 cells per call cuts TAB4823 (4 regions × 4 ages × 2 × 3 years) per
	// region, year and age: the summed ages arrive in different calls.
	parts := run(WithMaxCells(5))
	if !reflect.DeepEqual(parts.Observations, whole.Observations) {
		for i := range whole.Observations {
			if !reflect.DeepEqual(parts.Observations[i], whole.Observations[i]) {
				t.Errorf("obs %d:\n split %+v\n whole %+v", i, parts.Observations[i], whole.Observations[i])
			}
		}
	}
	if parts.Requests <= whole.Requests+10 {
		t.Errorf("requests %d vs %d: the split did not happen", parts.Requests, whole.Requests)
	}
}

func TestFetchPerTableOverride(t *testing.T) {
	f := scbtest.NewServer(t)
	ref, err := ParseRef("scb:TAB4823+TAB6645?Fodelseregion=11&Alder=*&ContentsCode=000001N6&TAB6645.Alder=0")
	if err != nil {
		t.Fatal(err)
	}
	res, err := testClient(f).Fetch(context.Background(), ref, []string{"2380"}, []int{2024, 2025})
	if err != nil {
		t.Fatal(err)
	}
	T, K, M := strategy.Total, strategy.Women, strategy.Men
	checkObs(t, res.Observations, []obsWant{
		{"2380", 2024, T, ptr(1991), ""}, {"2380", 2024, K, ptr(1026), ""}, {"2380", 2024, M, ptr(965), ""},
		{"2380", 2025, T, ptr(450 + 430), ""}, {"2380", 2025, K, ptr(450), ""}, {"2380", 2025, M, ptr(430), ""},
	})
	if hasWarning(res.Warnings, "TAB6645: Alder=*") {
		t.Errorf("the override should replace Alder=* for TAB6645: %q", res.Warnings)
	}
}

func TestFetchYears(t *testing.T) {
	ref, _ := ParseRef("scb:TAB4823+TAB6645?Fodelseregion=11&Alder=*&ContentsCode=000001N6")
	tests := []struct {
		name      string
		years     []int
		wantYears []int
		wantBreak int
		wantCalls int
		warning   string
	}{
		{"history only: no break", []int{2023, 2024}, []int{2023, 2024}, 0, 4, ""},
		{"successor only", []int{2025}, []int{2025}, 2025, 4, ""},
		{"a year neither table has", []int{2019, 2024}, []int{2024}, 0, 4, "no figures in TAB4823+TAB6645 for 2019"},
		{"across the break", []int{2024, 2025}, []int{2024, 2025}, 2025, 5, "method break at 2025"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := scbtest.NewServer(t)
			res, err := testClient(f).Fetch(context.Background(), ref, []string{"00"}, tc.years)
			if err != nil {
				t.Fatal(err)
			}
			var years []int
			for _, o := range res.Observations {
				if o.Gender == strategy.Total {
					years = append(years, o.Year)
				}
			}
			if !reflect.DeepEqual(years, tc.wantYears) || res.MethodBreak != tc.wantBreak || res.Requests != tc.wantCalls {
				t.Errorf("years %v break %d requests %d, want %v %d %d", years, res.MethodBreak, res.Requests, tc.wantYears, tc.wantBreak, tc.wantCalls)
			}
			if tc.warning != "" && !hasWarning(res.Warnings, tc.warning) {
				t.Errorf("warnings %q lack %q", res.Warnings, tc.warning)
			}
			if tc.warning == "" && hasWarning(res.Warnings, "method break") {
				t.Errorf("unexpected break warning: %q", res.Warnings)
			}
		})
	}
}

func TestFetchSuccessorOverridesFromItsFirstYear(t *testing.T) {
	f := scbtest.NewServer(t)
	// A successor that overlaps: 2023–2024, every cell one higher.
	succ, err := f.Cube("TAB4823").Select(map[string][]string{"Tid": {"2023", "2024"}})
	if err != nil {
		t.Fatal(err)
	}
	f.AddCube("TAB9001", succ.MapValues(func(_ map[string]string, v *float64, status string) (*float64, string) {
		if v != nil {
			v = ptr(*v + 1)
		}
		return v, status
	}))

	ref, _ := ParseRef("scb:TAB4823+TAB9001?Fodelseregion=11&Alder=*&ContentsCode=000001N6")
	res, err := testClient(f).Fetch(context.Background(), ref, []string{"2380"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	T, K, M := strategy.Total, strategy.Women, strategy.Men
	checkObs(t, res.Observations, []obsWant{
		{"2380", 2022, T, ptr(1871), ""}, {"2380", 2022, K, ptr(966), ""}, {"2380", 2022, M, ptr(905), ""},
		{"2380", 2023, T, ptr(1931 + 8), ""}, {"2380", 2023, K, ptr(996 + 4), ""}, {"2380", 2023, M, ptr(935 + 4), ""},
		{"2380", 2024, T, ptr(1991 + 8), ""}, {"2380", 2024, K, ptr(1026 + 4), ""}, {"2380", 2024, M, ptr(965 + 4), ""},
	})
	if res.MethodBreak != 2023 {
		t.Errorf("method break %d", res.MethodBreak)
	}
	if !strings.Contains(res.Observations[3].SourceURL, "/TAB9001/") || !strings.Contains(res.Observations[0].SourceURL, "/TAB4823/") {
		t.Error("source URLs do not follow the table used")
	}
}

func TestFetchMonthlyRealTAB6471(t *testing.T) {
	f := scbtest.NewServer(t)
	ref, _ := ParseRef("scb:TAB6471?Alder=0-9&ContentsCode=000007SF")
	res, err := testClient(f).Fetch(context.Background(), ref, []string{"01", "25", "9999"}, []int{2026})
	if err != nil {
		t.Fatal(err)
	}
	T, K, M := strategy.Total, strategy.Women, strategy.Men
	// 2026M04, the last published month; T is SCB's TotSa, which is not
	// M+K (11132 + 10451 = 21583) under CKM.
	checkObs(t, res.Observations, []obsWant{
		{"01", 2026, T, ptr(251635), ""}, {"01", 2026, K, ptr(122965), ""}, {"01", 2026, M, ptr(128675), ""},
		{"25", 2026, T, ptr(21587), ""}, {"25", 2026, K, ptr(10451), ""}, {"25", 2026, M, ptr(11132), ""},
	})
	for _, w := range []string{
		"TAB6471 is sub-annual: each year is its last period, read as a stock",
		"incomplete: 2026 → 2026M04",
		"TAB6471 has no region 9999",
	} {
		if !hasWarning(res.Warnings, w) {
			t.Errorf("warnings %q lack %q", res.Warnings, w)
		}
	}
	if hasWarning(res.Warnings, "no total for Kon") {
		t.Error("TAB6471 has TotSa; no K+M warning expected")
	}
	if u := res.Observations[0].SourceURL; !strings.HasSuffix(u, "valueCodes[Region]=01&valueCodes[Alder]=0-9&valueCodes[Kon]=TotSa&valueCodes[ContentsCode]=000007SF&valueCodes[Tid]=2026M04") {
		t.Errorf("source URL %s", u)
	}
	if len(res.Notes) != 4 {
		t.Errorf("%d notes", len(res.Notes))
	}
	if res.Requests != 3 {
		t.Errorf("%d requests", res.Requests)
	}
}

func TestFetchTableWithoutRegion(t *testing.T) {
	f := scbtest.NewServer(t) // TAB3554 is dense_status_array.json, a table without Region
	ref, _ := ParseRef("scb:TAB3554")
	res, err := testClient(f).Fetch(context.Background(), ref, []string{"00", "2380"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	T, K, M := strategy.Total, strategy.Women, strategy.Men
	checkObs(t, res.Observations, []obsWant{
		// "1+2" is the published total; "p" rides along; the 0 sent beside
		// "." is missing, not 0.
		{"00", 2021, T, ptr(343.9), ""}, {"00", 2021, K, nil, "."}, {"00", 2021, M, nil, ".."},
		{"00", 2022, T, ptr(359.9), "p"}, {"00", 2022, K, ptr(316.6), ""}, {"00", 2022, M, ptr(277.3), ""},
	})
	if !hasWarning(res.Warnings, "TAB3554 has no Region variable (riket only); skipped 2380") {
		t.Errorf("warnings %q", res.Warnings)
	}
}

func TestFetchV1(t *testing.T) {
	f := scbtest.NewServer(t)
	ref, err := ParseRef("scb:" + scbtest.V1Table + "?Fodelseregion=11&Alder=*")
	if err != nil {
		t.Fatal(err)
	}
	res, err := testClient(f).Fetch(context.Background(), ref, []string{"2380"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	T, K, M := strategy.Total, strategy.Women, strategy.Men
	// Ages 0, 1 and 100+ of the hand-made cube; 2024 100+ män is "..".
	checkObs(t, res.Observations, []obsWant{
		{"2380", 2023, T, ptr(1491), ""}, {"2380", 2023, K, ptr(766), ""}, {"2380", 2023, M, ptr(725), ""},
		{"2380", 2024, T, nil, ".."}, {"2380", 2024, K, ptr(786), ""}, {"2380", 2024, M, nil, ".."},
	})
	wantURL := f.V1URL + "/START/BE/BE0101/BE0101E/InrUtrFoddaRegAlKon"
	if res.Observations[0].SourceURL != wantURL {
		t.Errorf("source URL %s", res.Observations[0].SourceURL)
	}
	if res.Requests != 3 { // metadata, ?config, data
		t.Errorf("%d requests", res.Requests)
	}
	calls := f.DataRequests()
	if len(calls) != 1 {
		t.Fatalf("%d data calls", len(calls))
	}
	for _, v := range []string{"Region", "Alder", "Kon", "Fodelseregion", "ContentsCode", "Tid"} {
		if !strings.Contains(string(calls[0].Body), `"code":"`+v+`"`) {
			t.Errorf("v1 query lacks %s: %s", v, calls[0].Body)
		}
	}
}

func TestFetchErrors(t *testing.T) {
	tests := []struct {
		name     string
		ref      Ref
		want     string
		code     strategy.ErrorCode
		requests int
	}{
		{"no table", Ref{}, "want one table or two", strategy.CodeInvalid, 0},
		{"variable left open", Ref{Tables: []string{"TAB4823"}, Fixed: Selection{"Alder": {"*"}}},
			"the reference does not fix Fodelseregion (födelseregion), which has 2 values; add e.g. Fodelseregion=09 or Fodelseregion=*",
			strategy.CodeInvalid, 1},
		{"unknown variable", Ref{Tables: []string{"TAB4823"}, Fixed: Selection{"Kommun": {"1"}}}, "TAB4823 has no variable Kommun, which the reference fixes", strategy.CodeInvalid, 1},
		{"fixing sex", Ref{Tables: []string{"TAB4823"}, Fixed: Selection{"Kon": {"1"}}}, "fixes Kon, the sex variable", strategy.CodeInvalid, 1},
		{"unknown code", Ref{Tables: []string{"TAB4823"}, Fixed: Selection{"Alder": {"999"}, "Fodelseregion": {"11"}}}, `variable Alder has no value "999"`, strategy.CodeInvalid, 1},
		{"unknown table", Ref{Tables: []string{"TAB4823", "TAB0001"}}, "scb: no table TAB0001: scb: GET ", strategy.CodeNotFound, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := scbtest.NewServer(t)
			res, err := testClient(f).Fetch(context.Background(), tc.ref, nil, nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
			if code := strategy.CodeOf(err); code != tc.code {
				t.Errorf("code %q, want %q", code, tc.code)
			}
			if tc.requests > 0 && (res == nil || res.Requests != tc.requests || res.Observations != nil) {
				t.Errorf("partial result %+v, want %d requests and no observations", res, tc.requests)
			}
		})
	}
}

func TestGender(t *testing.T) {
	tests := []struct {
		code string
		want strategy.Gender
		ok   bool
	}{
		{"1", strategy.Men, true},
		{"2", strategy.Women, true},
		{"1+2", strategy.Total, true},
		{"TotSa", strategy.Total, true},
		{"totsa", strategy.Total, true},
		{"3", "", false},
		{"", "", false},
		{"män", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.code, func(t *testing.T) {
			got, ok := Gender(tc.code)
			if got != tc.want || ok != tc.ok {
				t.Errorf("Gender(%q) = %q %v", tc.code, got, ok)
			}
		})
	}
}

func TestParsePeriod(t *testing.T) {
	tests := []struct {
		code            string
		year, sub, last int
		ok              bool
	}{
		{"2024", 2024, 0, 0, true},
		{"2025M01", 2025, 1, 12, true},
		{"2025M12", 2025, 12, 12, true},
		{"2025K4", 2025, 4, 4, true},
		{"2025Q2", 2025, 2, 4, true},
		{"2025H1", 2025, 1, 2, true},
		{"2025M13", 0, 0, 0, false},
		{"2019/20", 0, 0, 0, false},
		{"abcd", 0, 0, 0, false},
		{"20", 0, 0, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.code, func(t *testing.T) {
			y, s, l, ok := parsePeriod(tc.code)
			if y != tc.year || s != tc.sub || l != tc.last || ok != tc.ok {
				t.Errorf("got %d %d %d %v", y, s, l, ok)
			}
		})
	}
}

func TestTotalCode(t *testing.T) {
	meta := decodeFile(t, "v2/TAB6471_metadata.json")
	tests := []struct {
		name    string
		dim     Dimension
		want    string
		wantErr string
	}{
		{"TAB6471 Alder: TotSA among overlapping age groups", *meta.Dimension("Alder"), "TotSA", ""},
		{"TAB6471 Kon", *meta.Dimension("Kon"), "TotSa", ""},
		{"no total", Dimension{Code: "Alder", Values: []Value{{Code: "0", Label: "0 år"}, {Code: "1", Label: "1 år"}}}, "", ""},
		{"two totals", Dimension{Code: "Alder", Values: []Value{{Code: "tot16+", Label: "totalt 16+ år"}, {Code: "x", Label: "Totalt"}}}, "", "ambiguous"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := totalCode(&tc.dim)
			if got != tc.want || (err == nil) != (tc.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tc.wantErr)) {
				t.Errorf("got %q %v", got, err)
			}
		})
	}
}

func TestYearPeriodsRefusesMonthlyFlow(t *testing.T) {
	tab := &Table{ID: "TAB1", Variables: []Dimension{
		{Code: "ContentsCode", Values: []Value{{Code: "Fodda", MeasuringType: "Flow"}}},
		{Code: "Tid", Role: "time", Values: []Value{{Code: "2025M01"}, {Code: "2025M02"}}},
	}}
	_, err := yearPeriods(tab, nil, func(string, ...any) {})
	if err == nil || !strings.Contains(err.Error(), "Fodda is a flow") {
		t.Fatalf("err = %v", err)
	}
}
