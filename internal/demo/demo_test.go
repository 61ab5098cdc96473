package demo

import (
	"strconv"
	"strings"
	"testing"

	"github.com/inkludera/inkludera/internal/strategy"
)

// stromsundTables is section 10 of Strömsund's programme exactly as printed
// (../shared/seeds/003_*.txt), thousands separated by spaces.
const stromsundTables = `
Befolkning	2004	2005	2006	2007	2008	2009	2010	2011	2012	2013
Kvinnor	6 388	6 320	6 268	6 218	6 126	5 975	5 926	5 910	5 888	5 810
Män	6 724	6 611	6 514	6 461	6 406	6 311	6 259	6 261	6 250	6 174
Totalt	13 112	12 931	12 782	12 679	12 532	12 286	12 185	12 171	12 138	11 984

Flyttnetto	2004	2005	2006	2007	2008	2009	2010	2011	2012	2013
Kvinnor	-10	-24	9	16	-34	-100	-21	18	-5	-50
Män	1	-48	-38	18	0	-49	-10	36	19	-30
Totalt	-9	-72	-29	34	-34	-149	-31	54	14	-80

Födelsenetto	2004	2005	2006	2007	2008	2009	2010	2011	2012	2013
Kvinnor	-72	-44	-61	-66	-59	-51	-29	-37	-17	-28
Män	-72	-66	-59	-71	-55	-46	-43	-37	-30	-44
Totalt	-144	-110	-120	-137	-114	-97	-72	-74	-47	-72
`

// parseTables reads the printed tables into table title → gender → year → value.
func parseTables(t *testing.T) map[string]map[strategy.Gender]map[int]float64 {
	t.Helper()
	genders := map[string]strategy.Gender{"Kvinnor": strategy.Women, "Män": strategy.Men, "Totalt": strategy.Total}
	out := map[string]map[strategy.Gender]map[int]float64{}
	var title string
	var years []int
	for _, line := range strings.Split(strings.TrimSpace(stromsundTables), "\n") {
		cells := strings.Split(line, "\t")
		if len(cells) < 2 {
			continue
		}
		g, isRow := genders[cells[0]]
		if !isRow {
			title, years = cells[0], nil
			for _, c := range cells[1:] {
				y, _ := strconv.Atoi(c)
				years = append(years, y)
			}
			out[title] = map[strategy.Gender]map[int]float64{}
			continue
		}
		out[title][g] = map[int]float64{}
		for i, c := range cells[1:] {
			v, err := strconv.ParseFloat(strings.ReplaceAll(c, " ", ""), 64)
			if err != nil {
				t.Fatal(err)
			}
			out[title][g][years[i]] = v
		}
	}
	return out
}

func bundleOf(t *testing.T, docKey string) strategy.Bundle {
	t.Helper()
	bundles, err := Bundles()
	if err != nil {
		t.Fatalf("demo content does not load:\n%v", err)
	}
	for _, b := range bundles {
		if b.Document != nil && b.Document.Key == docKey {
			return b
		}
	}
	t.Fatalf("no demo document %q", docKey)
	return strategy.Bundle{}
}

func TestStromsundTablesAsPrinted(t *testing.T) {
	b := bundleOf(t, "stromsund-program-inflyttning-integration-2014")
	want := parseTables(t)
	titles := map[string]string{}
	for _, ind := range b.Indicators {
		titles[ind.Key] = ind.Title
	}
	// Match each printed table to the document's indicators by title word.
	got := map[string]map[strategy.Gender]map[int]float64{}
	for _, o := range b.Observations {
		if o.Org != "2313" || o.Value == nil {
			continue
		}
		var table string
		switch title := strings.ToLower(titles[o.Indicator]); {
		case strings.Contains(title, "flyttnetto"):
			table = "Flyttnetto"
		case strings.Contains(title, "födelsenetto"):
			table = "Födelsenetto"
		case strings.Contains(title, "invånare") || strings.Contains(title, "befolkning") || strings.Contains(title, "folkmängd"):
			table = "Befolkning"
		default:
			continue
		}
		if got[table] == nil {
			got[table] = map[strategy.Gender]map[int]float64{}
		}
		if got[table][o.Gender] == nil {
			got[table][o.Gender] = map[int]float64{}
		}
		got[table][o.Gender][o.Year] = *o.Value
	}
	for table, byGender := range want {
		for g, byYear := range byGender {
			for y, v := range byYear {
				if gv, ok := got[table][g][y]; !ok || gv != v {
					t.Errorf("%s %s %d = %v (present %v), seed says %v", table, g, y, gv, ok, v)
				}
			}
			if len(got[table][g]) != len(byYear) {
				t.Errorf("%s %s has %d years, seed %d", table, g, len(got[table][g]), len(byYear))
			}
		}
	}
}

func TestOstersundStrategy(t *testing.T) {
	b := bundleOf(t, "ostersund-integrationsstrategi-2020")
	d := b.Document
	if b.Organisation.Code != "2380" || d.Adopted.On.String() != "2016-05-10" || d.Kind != strategy.KindStrategy {
		t.Errorf("metadata: org %s adopted %s kind %s", b.Organisation.Code, d.Adopted.On, d.Kind)
	}
	var longTerm []string
	targets := map[string]strategy.Target{}
	var walk func([]strategy.Goal)
	walk = func(goals []strategy.Goal) {
		for _, g := range goals {
			if g.Level == strategy.GoalLongTerm {
				longTerm = append(longTerm, g.Title)
			}
			for _, t := range g.Targets {
				targets[t.Key] = t
			}
			walk(g.Goals)
		}
	}
	for _, a := range d.Areas {
		walk(a.Goals)
	}
	wantGoals := []string{
		"Fler nya Östersundare",
		"Bättre tillvarata ny kompetens och skapa förutsättningar för ökat deltagande i arbetslivet",
		"Kvalitativ service, stöd och utbildning för alla",
		"Ökad social sammanhållning",
	}
	if strings.Join(longTerm, "|") != strings.Join(wantGoals, "|") {
		t.Errorf("long-term goals = %q, want %q", longTerm, wantGoals)
	}

	// Every quantitative target of the strategy, found by what it states.
	type want struct {
		kind       strategy.TargetKind
		comparator strategy.Comparator
		value      float64 // -1: no value
		year       int
	}
	wants := map[string]want{
		"10 % utrikes födda 2020":          {strategy.TargetThreshold, strategy.AtLeast, 10, 2020},
		"300 mottagna per år":              {strategy.TargetPerYear, strategy.AtLeast, 300, 0},
		"100 bostäder per år":              {strategy.TargetPerYear, strategy.About, 100, 0},
		"50 % arbete eller studier 2020":   {strategy.TargetThreshold, strategy.AtLeast, 50, 2020},
		"60 % förvärvsarbetar 2020":        {strategy.TargetThreshold, strategy.AtLeast, 60, 2020},
		"8 % utomnordiskt födda 2020":      {strategy.TargetThreshold, strategy.AtLeast, 8, 2020},
		"100 praktikplatser per år":        {strategy.TargetPerYear, strategy.About, 100, 0},
		"unga högst som inrikes födda":     {strategy.TargetRelative, strategy.AtMost, -1, 2020},
		"behörighet gymnasiet ska öka":     {strategy.TargetDirection, strategy.Increase, -1, 0},
		"behörighet högre studier ska öka": {strategy.TargetDirection, strategy.Increase, -1, 0},
	}
	matched := map[string]bool{}
	for _, tg := range targets {
		for name, w := range wants {
			if matched[name] || tg.Kind != w.kind || tg.Comparator != w.comparator || tg.TargetYear != w.year {
				continue
			}
			if (w.value < 0) != (tg.Value == nil) || (tg.Value != nil && *tg.Value != w.value) {
				continue
			}
			if w.kind == strategy.TargetDirection && !strings.Contains(tg.Text, map[bool]string{true: "högre studier", false: "gymnas"}[strings.Contains(name, "högre")]) {
				continue
			}
			if w.kind == strategy.TargetPerYear && w.value == 100 && !strings.Contains(strings.ToLower(tg.Text), map[bool]string{true: "bostäder", false: "prakti"}[strings.Contains(name, "bostäder")]) {
				continue
			}
			if w.kind == strategy.TargetRelative && tg.ReferenceIndicator == "" {
				continue
			}
			matched[name] = true
			break
		}
	}
	for name := range wants {
		if !matched[name] {
			t.Errorf("no target states %q", name)
		}
	}
	if len(d.Terms) != 5 {
		t.Errorf("terms = %d, want the strategy's 5", len(d.Terms))
	}
}
