package web

import (
	"testing"

	"github.com/inkludera/inkludera/internal/strategy"
)

func TestRequirement(t *testing.T) {
	tests := []struct {
		name   string
		target strategy.Target
		ref    string
		want   string
	}{
		{"threshold", strategy.Target{Kind: strategy.TargetThreshold, Comparator: strategy.AtLeast, Value: f(10), Unit: "%", TargetYear: 2020},
			"", "minst " + nb("10 %") + " år 2020"},
		{"threshold at most with decimals", strategy.Target{Kind: strategy.TargetThreshold, Comparator: strategy.AtMost, Value: f(12.5), Unit: "%", TargetYear: 2030},
			"", "högst " + nb("12,5 %") + " år 2030"},
		{"threshold about a count", strategy.Target{Kind: strategy.TargetThreshold, Comparator: strategy.About, Value: f(1500), Unit: "antal", TargetYear: 2025},
			"", "cirka " + nb("1 500") + " år 2025"},
		{"per year", strategy.Target{Kind: strategy.TargetPerYear, Comparator: strategy.AtLeast, Value: f(300), Unit: "personer"},
			"", "minst " + nb("300 personer") + " per år"},
		{"per year until", strategy.Target{Kind: strategy.TargetPerYear, Comparator: strategy.AtLeast, Value: f(40), Unit: "bostäder", TargetYear: 2020},
			"", "minst " + nb("40 bostäder") + " per år till och med år 2020"},
		{"increase", strategy.Target{Kind: strategy.TargetDirection, Comparator: strategy.Increase}, "", "ska öka"},
		{"decrease by a year", strategy.Target{Kind: strategy.TargetDirection, Comparator: strategy.Decrease, TargetYear: 2022}, "", "ska minska till år 2022"},
		{"relative same level", strategy.Target{Kind: strategy.TargetRelative, Comparator: strategy.AtMost, ReferenceIndicator: "ref"},
			"Inrikes födda", "högst samma nivå som Inrikes födda"},
		{"relative without a known reference", strategy.Target{Kind: strategy.TargetRelative, Comparator: strategy.AtLeast, ReferenceIndicator: "ref"},
			"", "minst samma nivå som ref"},
		{"relative with a difference in points", strategy.Target{Kind: strategy.TargetRelative, Comparator: strategy.AtMost, Value: f(2), Unit: "%", ReferenceIndicator: "ref"},
			"Inrikes födda", "högst " + nb("2 procentenheter") + " högre än Inrikes födda"},
		{"relative at least one point", strategy.Target{Kind: strategy.TargetRelative, Comparator: strategy.AtLeast, Value: f(1), Unit: "%", ReferenceIndicator: "ref", TargetYear: 2020},
			"Inrikes födda", "högst " + nb("1 procentenhet") + " lägre än Inrikes födda år 2020"},
		{"qualitative", strategy.Target{Kind: strategy.TargetQualitative}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := requirement(tt.target, tt.ref); got != tt.want {
				t.Errorf("requirement = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestAttribution(t *testing.T) {
	kolada := strategy.Indicator{Source: "kolada:N02926"}
	scb := strategy.Indicator{Source: "scb:TAB4823?x=y"}
	manual := strategy.Indicator{Source: "manual"}
	demo := strategy.Indicator{Source: "demo"}
	tests := []struct {
		name      string
		ind       strategy.Indicator
		obsSource string
		org       string
		want      string
	}{
		{"kolada", kolada, "kolada", "", "Källa: Kolada"},
		{"kolada by the indicator", kolada, "", "", "Källa: Kolada"},
		{"scb", scb, "", "", "Källa: SCB"},
		{"scb observation of a manual indicator", manual, "scb", "X kommun", "Källa: SCB"},
		{"manual", manual, "", "Strömsunds kommun", "Källa: Strömsunds kommun"},
		{"manual with a citation", manual, "Årsredovisning 2019", "Strömsunds kommun", "Källa: Årsredovisning 2019"},
		{"a citation is not credited to kolada", kolada, "Programmet, avsnitt 10", "", "Källa: Programmet, avsnitt 10"},
		{"demo indicator", demo, "", "", "Demovärden – inte verklig statistik"},
		{"demo values of a real indicator", kolada, "demo", "", "Demovärden – inte verklig statistik"},
		{"citation only", strategy.Indicator{}, "Egen enkät", "", "Källa: Egen enkät"},
		{"uploaded file", manual, "file", "Strömsunds kommun", "Källa: Strömsunds kommun (uppladdad fil)"},
		{"uploaded file for a kolada indicator", kolada, "file", "Östersunds kommun", "Källa: Östersunds kommun (uppladdad fil)"},
		{"uploaded file without an organisation", strategy.Indicator{}, "file", "", "Källa: uppladdad fil"},
		{"nothing known", strategy.Indicator{}, "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := attribution(tt.ind, tt.obsSource, tt.org); got != tt.want {
				t.Errorf("attribution = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSourceDescription(t *testing.T) {
	tests := []struct {
		source, org, want string
	}{
		{"kolada:N02926", "", "Kolada, nyckeltal N02926"},
		{"scb:BE0101/BefolkningNy?Region=2380", "", "SCB, tabell BE0101/BefolkningNy"},
		{"manual", "Strömsunds kommun", "Egna uppgifter från Strömsunds kommun"},
		{"demo", "", "Demovärden – inte verklig statistik"},
	}
	for _, tt := range tests {
		if got := sourceDescription(strategy.Indicator{Source: tt.source}, tt.org); got != tt.want {
			t.Errorf("sourceDescription(%q) = %q, want %q", tt.source, got, tt.want)
		}
	}
}

func TestFollowUpText(t *testing.T) {
	names := func(k string) string { return map[string]string{"ks": "Kommunstyrelsen"}[k] }
	tests := []struct {
		name string
		rule strategy.FollowUpRule
		want string
	}{
		{"everything", strategy.FollowUpRule{IntervalYears: 1, Occasion: "i samband med bokslut", ReportTo: "ks", DeepIntervalYears: 4},
			"Följs upp varje år i samband med bokslut och rapporteras till Kommunstyrelsen. Fördjupad uppföljning vart 4:e år."},
		{"every other year", strategy.FollowUpRule{IntervalYears: 2}, "Följs upp vartannat år."},
		{"occasion only", strategy.FollowUpRule{Occasion: "i delårsrapporten"}, "Följs upp i delårsrapporten."},
		{"report only", strategy.FollowUpRule{ReportTo: "ks"}, "Rapporteras till Kommunstyrelsen."},
		{"deep only", strategy.FollowUpRule{DeepIntervalYears: 3}, "Fördjupad uppföljning vart 3:e år."},
		{"nothing", strategy.FollowUpRule{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := followUpText(tt.rule, names); got != tt.want {
				t.Errorf("followUpText = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestValidityAndRevisionText(t *testing.T) {
	tests := []struct {
		got, want string
	}{
		{validityText(date("2016-05-10"), date("2020-12-31")), "2016-05-10 – 2020-12-31"},
		{validityText(date("2016-05-10"), strategy.Date{}), "från 2016-05-10"},
		{validityText(strategy.Date{}, date("2020-12-31")), "till och med 2020-12-31"},
		{validityText(strategy.Date{}, strategy.Date{}), ""},
		{revisionText(strategy.RevisionRule{Due: 2020, Condition: "Vid behov"}), "Senast 2020 – Vid behov"},
		{revisionText(strategy.RevisionRule{Due: 2020}), "Senast 2020"},
		{revisionText(strategy.RevisionRule{}), ""},
	}
	for i, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("case %d: got %q, want %q", i, tt.got, tt.want)
		}
	}
}

func TestLabelsFallBackToTheCode(t *testing.T) {
	if got := activityStatusLabel("okand"); got != "okand" {
		t.Errorf("unknown status label = %q, want the code itself", got)
	}
	if got := activityStatusLabel(strategy.ActivityOngoing); got != "pågår" {
		t.Errorf("pagar = %q", got)
	}
}
