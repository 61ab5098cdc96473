package progress

import (
	"strings"
	"testing"
)

// TestExplanation pins the sentences in both languages. Non-breaking
// spaces are shown as plain spaces here (TestExplanationTypography checks
// them); the minus is U+2212.
func TestExplanation(t *testing.T) {
	tests := []struct {
		name   string
		in     Input
		sv, en string
	}{
		{
			name: "threshold, acceleration needed",
			in:   atLeast10by2020(tot(2015, 8.1, 2016, 8.4, 2017, 8.8, 2018, 9.1, 2019, 9.4)),
			sv:   "Andelen ökade från 8,1 % (2015) till 9,4 % (2019). I samma takt blir den 9,8 % år 2020 (linjär trend: 9,8 %); målet är minst 10 % år 2020. Bedömning: behöver öka takten (takten är 88 % av den som behövs).",
			en:   "The share rose from 8.1 % (2015) to 9.4 % (2019). At the same rate it will be 9.8 % in 2020 (linear trend: 9.8 %); the target is at least 10 % by 2020. Assessment: acceleration needed (the pace is 88 % of what is needed).",
		},
		{
			name: "threshold, too few for a projection",
			in:   atLeast10by2020(tot(2015, 8, 2017, 7.5)),
			sv:   "Andelen minskade från 8,0 % (2015) till 7,5 % (2017). För få värden för en prognos (minst tre behövs); målet är minst 10 % år 2020. Bedömning: försämring (utvecklingen går åt fel håll).",
			en:   "The share fell from 8.0 % (2015) to 7.5 % (2017). Too few values for a projection (at least three are needed); the target is at least 10 % by 2020. Assessment: deterioration (the series is moving the wrong way).",
		},
		{
			name: "threshold, met early",
			in:   atLeast10by2020(tot(2015, 9, 2018, 10.2)),
			sv:   "Andelen ökade från 9,0 % (2015) till 10,2 % (2018); målet är minst 10 % år 2020. Bedömning: uppnått.",
			en:   "The share rose from 9.0 % (2015) to 10.2 % (2018); the target is at least 10 % by 2020. Assessment: achieved.",
		},
		{
			name: "threshold, final in percentage points",
			in:   atLeast10by2020(tot(2015, 8.1, 2019, 9.4, 2020, 9.7)),
			sv:   "År 2020 var andelen 9,7 %, 0,3 procentenheter under målet, som var minst 10 % år 2020. Bedömning: inte uppnått.",
			en:   "In 2020 the share was 9.7 %, 0.3 percentage points below the target, which was at least 10 % by 2020. Assessment: not achieved.",
		},
		{
			// 1 500 − 1 300 = 200 = 13,3 % of 1 500
			name: "threshold, final in a unit",
			in:   Input{Target: Target{Kind: Threshold, Comparator: AtLeast, Value: ptr(1500), Unit: "personer", TargetYear: 2022}, Series: tot(2018, 1234, 2022, 1300)},
			sv:   "År 2022 var antalet 1 300 personer, 200 personer (13,3 %) under målet, som var minst 1 500 personer år 2022. Bedömning: inte uppnått.",
			en:   "In 2022 the number was 1,300 personer, 200 personer (13.3 %) below the target, which was at least 1,500 personer by 2022. Assessment: not achieved.",
		},
		{
			// band 10 ± 5 % of 10 = 9,5–10,5; 10,3 − 10 = 0,3 above
			name: "threshold, about, final",
			in:   Input{Target: Target{Kind: Threshold, Comparator: About, Value: ptr(10), Unit: "%", TargetYear: 2020}, Series: tot(2015, 5, 2020, 10.3)},
			sv:   "År 2020 var andelen 10,3 %, 0,3 procentenheter över målet, som var cirka 10 % (9,5–10,5 %) år 2020. Bedömning: uppnått.",
			en:   "In 2020 the share was 10.3 %, 0.3 percentage points above the target, which was about 10 % (9.5–10.5 %) by 2020. Assessment: achieved.",
		},
		{
			name: "threshold, about overshot",
			in:   Input{Target: Target{Kind: Threshold, Comparator: About, Value: ptr(10), Unit: "%", TargetYear: 2020}, Series: tot(2015, 5, 2018, 12)},
			sv:   "Andelen ökade från 5 % (2015) till 12 % (2018); målet är cirka 10 % (9,5–10,5 %) år 2020. Bedömning: begränsad förbättring (värdet har passerat förbi målet).",
			en:   "The share rose from 5 % (2015) to 12 % (2018); the target is about 10 % (9.5–10.5 %) by 2020. Assessment: limited progress (the value has gone past the target).",
		},
		{
			name: "one value",
			in:   atLeast10by2020(tot(2019, 9.4)),
			sv:   "Det finns bara ett värde (9,4 % år 2019); minst två behövs för en bedömning. Bedömning: kan inte bedömas.",
			en:   "There is only one value (9.4 % in 2019); at least two are needed for an assessment. Assessment: cannot be assessed.",
		},
		{
			name: "signs differ",
			in:   Input{Target: Target{Kind: Threshold, Comparator: AtLeast, Value: ptr(5), TargetYear: 2020}, Series: tot(2015, -2, 2017, 3)},
			sv:   "Basvärdet och det senaste värdet har olika tecken (−2 år 2015, 3 år 2017), så tillväxttakten kan inte beräknas. Bedömning: kan inte bedömas.",
			en:   "The base and latest values have different signs (−2 in 2015, 3 in 2017), so growth cannot be computed. Assessment: cannot be assessed.",
		},
		{
			// (56/50)^(1/4) − 1 = 2,9 % per år; 56·1,0287^6 = 66,3; line 65
			name: "direction with projection",
			in:   Input{Target: Target{Kind: Direction, Comparator: Increase, Unit: "%", TargetYear: 2025}, Series: tot(2015, 50, 2017, 53, 2019, 56)},
			sv:   "Andelen ökade från 50 % (2015) till 56 % (2019), 2,9 % per år; målet är att den ska öka till år 2025. I samma takt blir den 66 % år 2025 (linjär trend: 65 %). Bedömning: på väg.",
			en:   "The share rose from 50 % (2015) to 56 % (2019), 2.9 % a year; the target is for it to increase by 2025. At the same rate it will be 66 % in 2025 (linear trend: 65 %). Assessment: on track.",
		},
		{
			name: "direction within the noise band",
			in:   Input{Target: Target{Kind: Direction, Comparator: Decrease, Unit: "antal"}, Series: tot(2015, 1200, 2019, 1195)},
			sv:   "Antalet minskade från 1 200 (2015) till 1 195 (2019), inom brusgränsen ±1 %; målet är att det ska minska. Bedömning: begränsad förbättring.",
			en:   "The number fell from 1,200 (2015) to 1,195 (2019), within the noise band of ±1 %; the target is for it to decrease. Assessment: limited progress.",
		},
		{
			name: "direction, final",
			in:   Input{Target: Target{Kind: Direction, Comparator: Increase, Unit: "%", TargetYear: 2020}, Series: tot(2015, 50, 2020, 50.2)},
			sv:   "Andelen ökade från 50,0 % (2015) till 50,2 % (2020), inom brusgränsen ±1 %; målet var att den skulle öka till år 2020. Bedömning: inte uppnått.",
			en:   "The share rose from 50.0 % (2015) to 50.2 % (2020), within the noise band of ±1 %; the target was for it to increase by 2020. Assessment: not achieved.",
		},
		{
			name: "per year, shortfall growing",
			in:   Input{Target: Target{Kind: PerYear, Comparator: AtLeast, Value: ptr(300)}, Series: tot(2021, 295, 2022, 290, 2023, 270)},
			sv:   "Målet minst 300 per år nåddes 0 av de 3 senaste åren med värden (2021: 295, 2022: 290, 2023: 270). Bedömning: försämring (underskottet ökade från 10 till 30).",
			en:   "The target of at least 300 a year was met in 0 of the last 3 years with values (2021: 295, 2022: 290, 2023: 270). Assessment: deterioration (the shortfall grew from 10 to 30).",
		},
		{
			name: "per year, final",
			in:   Input{Target: Target{Kind: PerYear, Comparator: AtLeast, Value: ptr(300), BaseYear: 2020, TargetYear: 2023}, Series: tot(2020, 310, 2021, 290, 2022, 305, 2023, 320)},
			sv:   "Målet minst 300 per år nåddes 3 av 4 år med värden 2020–2023 (2020: 310, 2021: 290, 2022: 305, 2023: 320). Bedömning: inte uppnått.",
			en:   "The target of at least 300 a year was met in 3 of 4 years with values, 2020–2023 (2020: 310, 2021: 290, 2022: 305, 2023: 320). Assessment: not achieved.",
		},
		{
			name: "per year, one year",
			in:   Input{Target: Target{Kind: PerYear, Comparator: AtLeast, Value: ptr(300)}, Series: tot(2023, 250)},
			sv:   "Målet minst 300 per år nåddes inte 2023 (250). Bedömning: begränsad förbättring (bara ett år med värde).",
			en:   "The target of at least 300 a year was not met in 2023 (250). Assessment: limited progress (only one year with a value).",
		},
		{
			// gaps 4, 5, 6: slope 1; line at 2025: 5 + 1·5 = 10
			name: "relative, widening",
			in:   Input{Target: Target{Kind: Relative, Comparator: AtMost, Unit: "%", TargetYear: 2025}, Series: tot(2019, 8, 2020, 9, 2021, 10), Reference: tot(2019, 4, 2020, 4, 2021, 4)},
			sv:   "År 2021 låg andelen 6 procentenheter över jämförelseserien (2019: 4 procentenheter över); målet är högst samma nivå som jämförelseserien år 2025. Med linjär trend ligger den 10 procentenheter över jämförelseserien år 2025. Bedömning: försämring (skillnaden växer med 1,0 procentenheter per år).",
			en:   "In 2021 the share was 6 percentage points above the reference series (2019: 4 percentage points above); the target is at most the level of the reference series by 2025. On the linear trend it will be 10 percentage points above the reference series in 2025. Assessment: deterioration (the gap widens by 1.0 percentage points a year).",
		},
		{
			name: "relative, within the allowed difference",
			in:   Input{Target: Target{Kind: Relative, Comparator: AtMost, Value: ptr(2), Unit: "%", TargetYear: 2025}, Series: tot(2019, 8, 2020, 7, 2021, 5.5), Reference: tot(2019, 4, 2020, 4, 2021, 4)},
			sv:   "År 2021 låg andelen 1,5 procentenheter över jämförelseserien (2019: 4,0 procentenheter över); målet är högst 2 procentenheter över jämförelseserien år 2025. Bedömning: uppnått.",
			en:   "In 2021 the share was 1.5 percentage points above the reference series (2019: 4.0 percentage points above); the target is at most 2 percentage points above the reference series by 2025. Assessment: achieved.",
		},
		{
			name: "qualitative with override",
			in:   Input{Target: Target{Kind: Qualitative}, Override: &Override{Status: OnTrack, Justification: "Samverkansavtalet är undertecknat", By: "Anna Berg", On: "2024-03-01"}},
			sv:   "Målet är kvalitativt och har ingen mätserie; det bedöms manuellt med en motivering. Bedömning: kan inte bedömas. Manuell bedömning: på väg (Anna Berg, 2024-03-01). Motivering: Samverkansavtalet är undertecknat.",
			en:   "The target is qualitative, with no series; it is assessed by hand, with a justification. Assessment: cannot be assessed. Manual assessment: on track (Anna Berg, 2024-03-01). Justification: Samverkansavtalet är undertecknat.",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Evaluate(tt.in)
			if got := strings.ReplaceAll(r.Explanation.SV, "\u00a0", " "); got != tt.sv {
				t.Errorf("sv:\n got %s\nwant %s", got, tt.sv)
			}
			if got := strings.ReplaceAll(r.Explanation.EN, "\u00a0", " "); got != tt.en {
				t.Errorf("en:\n got %s\nwant %s", got, tt.en)
			}
		})
	}
}

// TestExplanationTypography checks the characters the golden strings hide:
// non-breaking spaces in "9,4 %" and "1 200", U+2212 for minus, and the
// English separators.
func TestExplanationTypography(t *testing.T) {
	r := Evaluate(atLeast10by2020(tot(2015, 8.1, 2019, 9.4)))
	if !strings.Contains(r.Explanation.SV, "9,4\u00a0%") || !strings.Contains(r.Explanation.EN, "9.4\u00a0%") {
		t.Errorf("percent: %q / %q", r.Explanation.SV, r.Explanation.EN)
	}
	r = Evaluate(Input{Target: Target{Kind: Direction, Comparator: Decrease, Unit: "antal"}, Series: tot(2015, 1234567.5, 2019, 1234560)})
	if !strings.Contains(r.Explanation.SV, "1\u00a0234\u00a0567,5") || !strings.Contains(r.Explanation.EN, "1,234,567.5") {
		t.Errorf("grouping: %q / %q", r.Explanation.SV, r.Explanation.EN)
	}
	r = Evaluate(Input{Target: Target{Kind: Threshold, Comparator: AtLeast, Value: ptr(-5), TargetYear: 2020}, Series: tot(2015, -10, 2017, -8)})
	if !strings.Contains(r.Explanation.SV, "\u221210") || strings.Contains(r.Explanation.SV, "-10") {
		t.Errorf("minus: %q", r.Explanation.SV)
	}
}
