package reportxlsx

import (
	"archive/zip"
	"bytes"
	"io"
	"slices"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/inkludera/inkludera/internal/report"
	"github.com/inkludera/inkludera/internal/report/reporttest"
	"github.com/inkludera/inkludera/internal/strategy"
)

// workbook renders f and reads the bytes back as a spreadsheet program
// would.
func workbook(t *testing.T, f *report.FollowUp) (*excelize.File, []byte) {
	t.Helper()
	var buf bytes.Buffer
	if err := Render(&buf, f); err != nil {
		t.Fatalf("Render: %v", err)
	}
	x, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatalf("reading the workbook back: %v", err)
	}
	t.Cleanup(func() { x.Close() })
	return x, buf.Bytes()
}

// sheet is a sheet's rows as shown (number formats applied) with helpers
// to find cells by header and key.
type sheet struct {
	t    *testing.T
	x    *excelize.File
	name string
	rows [][]string
}

func readSheet(t *testing.T, x *excelize.File, name string) sheet {
	t.Helper()
	rows, err := x.GetRows(name)
	if err != nil {
		t.Fatalf("sheet %s: %v", name, err)
	}
	return sheet{t: t, x: x, name: name, rows: rows}
}

// col is the 1-based column under header in the first row.
func (s sheet) col(header string) int {
	s.t.Helper()
	i := slices.Index(s.rows[0], header)
	if i < 0 {
		s.t.Fatalf("sheet %s has no column %q: %q", s.name, header, s.rows[0])
	}
	return i + 1
}

// row is the 1-based row whose cells under the headers hold the values.
func (s sheet) row(match map[string]string) int {
	s.t.Helper()
	for r := 1; r < len(s.rows); r++ {
		ok := true
		for h, v := range match {
			if s.get(r+1, s.col(h)) != v {
				ok = false
				break
			}
		}
		if ok {
			return r + 1
		}
	}
	s.t.Fatalf("sheet %s has no row with %v", s.name, match)
	return 0
}

// get is the shown text of a cell, "" for an empty one.
func (s sheet) get(row, col int) string {
	if row-1 >= len(s.rows) || col-1 >= len(s.rows[row-1]) {
		return ""
	}
	return s.rows[row-1][col-1]
}

// raw is a cell's stored value and type.
func (s sheet) raw(row, col int) (string, excelize.CellType) {
	s.t.Helper()
	ref, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		s.t.Fatal(err)
	}
	v, err := s.x.GetCellValue(s.name, ref, excelize.Options{RawCellValue: true})
	if err != nil {
		s.t.Fatal(err)
	}
	typ, err := s.x.GetCellType(s.name, ref)
	if err != nil {
		s.t.Fatal(err)
	}
	return v, typ
}

// number is a cell's value, failing unless it is stored as a number: a
// number cell has no type attribute or "n", a text cell "s" or "inlineStr".
func (s sheet) number(row, col int) float64 {
	s.t.Helper()
	v, typ := s.raw(row, col)
	if typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
		s.t.Fatalf("sheet %s, row %d, column %d: %q is stored as type %v, want a number", s.name, row, col, v, typ)
	}
	n, err := strconv.ParseFloat(v, 64)
	if err != nil {
		s.t.Fatalf("sheet %s, row %d, column %d: %q is not a number", s.name, row, col, v)
	}
	return n
}

func (s sheet) header(t *testing.T, want []string) {
	t.Helper()
	if len(s.rows) == 0 || !slices.Equal(s.rows[0], want) {
		var got []string
		if len(s.rows) > 0 {
			got = s.rows[0]
		}
		t.Errorf("sheet %s header row:\n got %q\nwant %q", s.name, got, want)
	}
}

// dataRows counts the rows under the header up to the first empty one
// (notes follow an empty row).
func (s sheet) dataRows() int {
	n := 0
	for _, r := range s.rows[1:] {
		if len(r) == 0 {
			break
		}
		n++
	}
	return n
}

var (
	targetHeader = []string{"Område", "Mål", "Mål-nyckel", "Målvärdesnyckel", "Målformulering", "Typ", "Krav", "Kön",
		"Status", "Statuskod", "Förklaring", "Manuell bedömning", "Kvinnor", "Män", "Förra årets status (2020)", "Indikator", "Källa"}
	valueHeader    = []string{"Indikator-nyckel", "Indikator", "Enhet", "År", "Totalt", "Kvinnor", "Män", "Preliminärt", "Källa"}
	activityHeader = []string{"Nämnd", "Plan", "Planens status", "Målgrupp", "Aktivitet", "Beskrivning", "Tid", "Ansvarig",
		"Uppföljningsdatum", "Status", "Framsteg (%)", "Mål", "Försenad", "Uppföljningsanteckningar"}
	sourceHeader = []string{"Källa", "Indikator-nyckel", "Indikator", "Beskrivning av källan"}
)

// find is the 1-based row whose cell in column col shows value; 0 when
// none does.
func (s sheet) find(col int, value string) int {
	for r := range s.rows {
		if s.get(r+1, col) == value {
			return r + 1
		}
	}
	return 0
}

func TestRenderYearly(t *testing.T) {
	f := reporttest.Ostersund2021(t)
	x, _ := workbook(t, f)

	if got, want := x.GetSheetList(), []string{"Sammanfattning", "Mål", "Värden", "Aktiviteter", "Källor"}; !slices.Equal(got, want) {
		t.Fatalf("sheets = %q, want %q", got, want)
	}
	if idx := x.GetActiveSheetIndex(); idx != 0 {
		t.Errorf("the workbook opens on sheet %d, want 0 (Sammanfattning)", idx)
	}

	t.Run("summary", func(t *testing.T) {
		s := readSheet(t, x, SheetSummary)
		if got := s.get(1, 1); got != "Uppföljning 2021: Integrationsstrategi 2020" {
			t.Errorf("title = %q", got)
		}
		for label, want := range map[string]string{
			"Organisation":            "Östersunds kommun",
			"Organisationskod":        "2380",
			"Styrdokument":            "Strategi: Integrationsstrategi 2020",
			"Antagen":                 "Kommunstyrelsen 2016-05-10",
			"Uppföljningsår":          "2021",
			"Mottagare":               "Kommunstyrelsen",
			"Datum":                   "2022-03-15",
			"Sammantagen status 2021": "− Begränsad förbättring",
		} {
			r := s.find(1, label)
			if r == 0 {
				t.Errorf("no fact %s", label)
				continue
			}
			if got := s.get(r, 2); got != want {
				t.Errorf("fact %s = %q, want %q", label, got, want)
			}
		}
		if r := s.find(1, "Uppföljningsår"); r > 0 && s.number(r, 2) != 2021 {
			t.Errorf("the year is not the number 2021")
		}
		// A date cell holds Excel's serial day number: 2022-03-15 is 44635.
		if r := s.find(1, "Datum"); r > 0 && s.number(r, 2) != 44635 {
			t.Errorf("Datum is not the date 2022-03-15 stored as a date")
		}

		// Counts per status, each a number, adding up to the total.
		sum := 0
		for _, c := range f.Summary.RollUp.Counts {
			r := s.find(1, statusText(c.Status))
			if r == 0 {
				t.Errorf("no row for status %s", c.Status.Code)
				continue
			}
			if got := s.get(r, 2); got != string(c.Status.Code) {
				t.Errorf("status %s: code cell %q", c.Status.Code, got)
			}
			if got := s.number(r, 3); got != float64(c.Count) {
				t.Errorf("status %s: %v targets, want %d", c.Status.Code, got, c.Count)
			}
			sum += c.Count
		}
		r := s.find(1, "Totalt")
		if r == 0 {
			t.Fatal("no Totalt row")
		}
		if got := s.number(r, 3); got != 11 || sum != 11 {
			t.Errorf("Totalt = %v, counts add up to %d; want 11 targets", got, sum)
		}
		if r := s.find(1, "✓ Uppnått"); r == 0 || s.number(r, 3) != 1 {
			t.Errorf("want 1 target ✓ Uppnått in the summary")
		}
		if s.find(1, "Bearbetning") == 0 {
			t.Errorf("the summary lacks the note on our own processing")
		}
	})

	t.Run("targets", func(t *testing.T) {
		s := readSheet(t, x, SheetTargets)
		s.header(t, targetHeader)
		all := f.AllTargets()
		if got := s.dataRows(); got != len(all) || got != 11 {
			t.Errorf("%d target rows, want len(AllTargets()) = %d = 11", got, len(all))
		}
		// Rows in the report's order.
		for i, at := range all {
			if got := s.get(i+2, s.col("Målvärdesnyckel")); got != at.Target.Key {
				t.Errorf("row %d is target %q, want %q", i+2, got, at.Target.Key)
			}
		}

		r := s.row(map[string]string{"Målvärdesnyckel": "utrikes-fodda-minst-10"})
		for header, want := range map[string]string{
			"Område":                    "Öka inflyttningen och få större mångfald",
			"Mål":                       "Fler nya Östersundare",
			"Mål-nyckel":                "mal-1",
			"Målformulering":            "Minst 10 % av befolkningen är utrikes födda år 2020",
			"Typ":                       "Tröskelvärde",
			"Krav":                      "minst 10\u00a0% år 2020", // the report's Swedish form, a no-break space before %
			"Kön":                       "Totalt",
			"Status":                    "✓ Uppnått",
			"Statuskod":                 "achieved",
			"Kvinnor":                   "✓ Uppnått",
			"Män":                       "✓ Uppnått",
			"Förra årets status (2020)": "✓ Uppnått",
			"Indikator":                 "Utrikes födda, andel (%)",
			"Källa":                     "Kolada, nyckeltal N02926. Demovärden – inte verklig statistik",
			"Manuell bedömning":         "",
		} {
			if got := s.get(r, s.col(header)); got != want {
				t.Errorf("utrikes-fodda-minst-10, %s = %q, want %q", header, got, want)
			}
		}
		if got := s.get(r, s.col("Förklaring")); got != all[0].Target.Explanation {
			t.Errorf("Förklaring = %q, want the engine's %q", got, all[0].Target.Explanation)
		}

		// A hand-set status shows who set it, when, why, and what the data say.
		r = s.row(map[string]string{"Målvärdesnyckel": "kommunanstallda-minst-8"})
		manual := s.get(r, s.col("Manuell bedömning"))
		for _, want := range []string{"Bedömd för hand av Demo, 2022-03-15.", "Motivering: Demo (påhittad bedömning)", "Beräknad status: "} {
			if !bytes.Contains([]byte(manual), []byte(want)) {
				t.Errorf("Manuell bedömning %q lacks %q", manual, want)
			}
		}
		// A per-year amount has no women's or men's status: empty cells.
		r = s.row(map[string]string{"Målvärdesnyckel": "mottagande-minst-300"})
		if w, m := s.get(r, s.col("Kvinnor")), s.get(r, s.col("Män")); w != "" || m != "" {
			t.Errorf("mottagande-minst-300 has women's and men's statuses %q, %q; want none", w, m)
		}
	})

	t.Run("values", func(t *testing.T) {
		s := readSheet(t, x, SheetValues)
		s.header(t, valueHeader)
		// Every indicator of a target, a reference series or an area, once,
		// with a row per year of its series.
		want := map[string]int{}
		walk := func(ind *report.Indicator) {
			if ind != nil {
				want[ind.Key] = len(ind.Series.Years)
			}
		}
		for _, at := range f.AllTargets() {
			walk(at.Target.Indicator)
			walk(at.Target.Reference)
		}
		for _, a := range f.Areas {
			for i := range a.Indicators {
				walk(&a.Indicators[i])
			}
		}
		for i := range f.Indicators {
			walk(&f.Indicators[i])
		}
		got := map[string]int{}
		keyCol := s.col("Indikator-nyckel")
		for r := 2; r <= len(s.rows); r++ {
			got[s.get(r, keyCol)]++
		}
		if len(got) != len(want) || len(want) != 13 {
			t.Errorf("Värden has %d indicators, want %d (13)", len(got), len(want))
		}
		for k, n := range want {
			if got[k] != n {
				t.Errorf("indicator %s has %d rows, want %d (its years)", k, got[k], n)
			}
		}
		if _, ok := want["inrikes-fodda-unga-arbetslosa"]; !ok {
			t.Errorf("the reference series of the relative target is missing")
		}

		// A known observation is a number equal to the FollowUp's.
		var ind *report.Indicator
		for _, at := range f.AllTargets() {
			if at.Target.Key == "utrikes-fodda-minst-10" {
				ind = at.Target.Indicator
			}
		}
		var y2020 report.SeriesYear
		for _, y := range ind.Series.Years {
			if y.Year == 2020 {
				y2020 = y
			}
		}
		r := s.row(map[string]string{"Indikator-nyckel": "utrikes-fodda-andel", "År": "2020"})
		for header, v := range map[string]*float64{"Totalt": y2020.Total, "Kvinnor": y2020.Women, "Män": y2020.Men} {
			if got := s.number(r, s.col(header)); v == nil || got != *v {
				t.Errorf("utrikes-fodda-andel 2020 %s = %v, want %v", header, got, v)
			}
		}
		if got := s.number(r, s.col("Totalt")); got != 10.4 {
			t.Errorf("utrikes-fodda-andel 2020 = %v, want 10.4", got)
		}
		if got := s.get(r, s.col("Totalt")); got != "10.4" {
			t.Errorf("utrikes-fodda-andel 2020 is shown as %q, want one decimal", got)
		}
		if got := s.number(r, s.col("År")); got != 2020 {
			t.Errorf("År is not the number 2020")
		}
		for header, want := range map[string]string{"Enhet": "%", "Preliminärt": "Nej", "Källa": "Kolada, nyckeltal N02926. Demovärden – inte verklig statistik"} {
			if got := s.get(r, s.col(header)); got != want {
				t.Errorf("utrikes-fodda-andel 2020 %s = %q, want %q", header, got, want)
			}
		}

		// A missing value is an empty cell, never 0.
		r = s.row(map[string]string{"Indikator-nyckel": "bostader-flyktingmottagande", "År": "2013"})
		if v, typ := s.raw(r, s.col("Totalt")); v != "" || typ != excelize.CellTypeUnset {
			t.Errorf("the missing total of bostader-flyktingmottagande 2013 is %q (type %v), want an empty cell", v, typ)
		}
		// A series not split by gender has no women's or men's cells.
		if w, m := s.get(r, s.col("Kvinnor")), s.get(r, s.col("Män")); w != "" || m != "" {
			t.Errorf("bostader-flyktingmottagande 2013 has women %q, men %q; want empty", w, m)
		}
		r = s.row(map[string]string{"Indikator-nyckel": "bostader-flyktingmottagande", "År": "2021"})
		if got := s.number(r, s.col("Totalt")); got <= 0 {
			t.Errorf("bostader-flyktingmottagande 2021 = %v, want its value", got)
		}
	})

	t.Run("activities", func(t *testing.T) {
		s := readSheet(t, x, SheetActivities)
		s.header(t, activityHeader)
		if got, want := s.dataRows(), activityCount(f); got != want {
			t.Errorf("%d activity rows, want %d", got, want)
		}
		if r := s.find(1, "Aktivitetsplaner"); r == 0 || s.get(r, 2) != "Dokumentet har inga aktivitetsplaner för 2021." {
			t.Errorf("without plans the sheet does not say so")
		}
	})

	t.Run("sources", func(t *testing.T) {
		s := readSheet(t, x, SheetSources)
		s.header(t, sourceHeader)
		n := 0
		for _, src := range f.Sources {
			n += len(src.Indicators)
		}
		if got := s.dataRows(); got != n || n == 0 {
			t.Errorf("%d source rows, want %d", got, n)
		}
		r := s.find(1, "Bearbetning")
		if r == 0 || s.get(r, 2) != f.Processing {
			t.Errorf("the Källor sheet lacks the note on our own processing")
		}
		r = s.row(map[string]string{"Indikator-nyckel": "utrikes-fodda-andel"})
		if got := s.get(r, 1); got != "Demovärden – inte verklig statistik" {
			t.Errorf("utrikes-fodda-andel is credited to %q", got)
		}
	})

	t.Run("properties", func(t *testing.T) {
		p, err := x.GetDocProps()
		if err != nil {
			t.Fatal(err)
		}
		if p.Title != "Uppföljning 2021: Integrationsstrategi 2020" || p.Creator != "Östersunds kommun" || p.Language != "sv-SE" ||
			p.Created != "2022-03-15T00:00:00Z" || p.Modified != "2022-03-15T00:00:00Z" {
			t.Errorf("document properties = %+v", p)
		}
	})

	t.Run("layout", func(t *testing.T) {
		for _, name := range []string{SheetTargets, SheetValues, SheetActivities, SheetSources} {
			panes, err := x.GetPanes(name)
			if err != nil {
				t.Fatal(err)
			}
			if !panes.Freeze || panes.YSplit != 1 {
				t.Errorf("sheet %s: header row not frozen: %+v", name, panes)
			}
			style, err := x.GetCellStyle(name, "A1")
			if err != nil {
				t.Fatal(err)
			}
			st, err := x.GetStyle(style)
			if err != nil {
				t.Fatal(err)
			}
			if st.Font == nil || !st.Font.Bold {
				t.Errorf("sheet %s: header not bold", name)
			}
		}
		filters := map[string]bool{}
		for _, dn := range x.GetDefinedName() {
			if dn.Name == "_xlnm._FilterDatabase" {
				filters[dn.Scope] = true
			}
		}
		for _, name := range []string{SheetTargets, SheetValues, SheetActivities, SheetSources} {
			if !filters[name] {
				t.Errorf("sheet %s has no autofilter", name)
			}
		}
		// Long texts wrap.
		s := readSheet(t, x, SheetTargets)
		ref, _ := excelize.CoordinatesToCellName(s.col("Förklaring"), 2)
		style, _ := x.GetCellStyle(SheetTargets, ref)
		st, err := x.GetStyle(style)
		if err != nil {
			t.Fatal(err)
		}
		if st.Alignment == nil || !st.Alignment.WrapText {
			t.Errorf("Förklaring does not wrap")
		}
		if w, err := x.GetColWidth(SheetTargets, "K"); err != nil || w < 40 {
			t.Errorf("Förklaring is %v wide, want a wide column", w)
		}
	})
}

func activityCount(f *report.FollowUp) int {
	n := 0
	for _, p := range f.ActionPlans {
		n += len(p.Activities)
	}
	return n
}

func TestRenderDeep(t *testing.T) {
	f := reporttest.Ostersund2021Since2018(t)
	x, _ := workbook(t, f)

	s := readSheet(t, x, SheetTargets)
	s.header(t, append(slices.Clone(targetHeader), "Status 2018", "Status 2019", "Status 2020", "Status 2021"))
	if got := s.dataRows(); got != len(f.AllTargets()) {
		t.Errorf("%d target rows, want %d", got, len(f.AllTargets()))
	}
	for i, at := range f.AllTargets() {
		for _, y := range f.Years() {
			want := statusText(at.Target.StatusIn(y))
			if got := s.get(i+2, s.col("Status "+strconv.Itoa(y))); got != want {
				t.Errorf("%s, status %d = %q, want %q", at.Target.Key, y, got, want)
			}
		}
	}
	r := s.row(map[string]string{"Målvärdesnyckel": "utrikes-fodda-minst-10"})
	if got := s.get(r, s.col("Status 2018")); got != "✓ Uppnått" {
		t.Errorf("utrikes-fodda-minst-10 in 2018 = %q, want ✓ Uppnått", got)
	}

	// The summary sets the roll-up of every year side by side.
	sum := readSheet(t, x, SheetSummary)
	if r := sum.find(1, "Period"); r == 0 || sum.get(r, 2) != "2018–2021, bedömd per år" {
		t.Errorf("the summary does not give the period")
	}
	h := sum.find(3, "2018")
	if h == 0 {
		t.Fatal("the summary has no table by year")
	}
	for i, y := range f.Summary.Years {
		if got := sum.get(h, 3+i); got != strconv.Itoa(y.Year) {
			t.Errorf("year column %d = %q, want %d", i, got, y.Year)
		}
		total := 0
		for r := h + 1; r < len(sum.rows); r++ {
			if sum.get(r, 1) == "Totalt" {
				if got := sum.number(r, 3+i); got != float64(y.RollUp.Total) || total != y.RollUp.Total {
					t.Errorf("%d: Totalt %v, counts add to %d, want %d", y.Year, got, total, y.RollUp.Total)
				}
				if got := sum.get(r+1, 3+i); sum.get(r+1, 1) != "Sammantaget" || got != statusText(y.RollUp.Status) {
					t.Errorf("%d: Sammantaget %q, want %q", y.Year, got, statusText(y.RollUp.Status))
				}
				break
			}
			total += int(sum.number(r, 3+i))
		}
	}
	if r := sum.find(1, "↘ Försämring"); r == 0 {
		t.Errorf("no row for ↘ Försämring")
	}
	// Östersund had four targets in deterioration as judged for 2018.
	for r := h + 1; r < len(sum.rows); r++ {
		if sum.get(r, 2) == "deterioration" && sum.get(r, 3) != "4" {
			t.Errorf("2018: %q targets in deterioration, want 4", sum.get(r, 3))
		}
	}
}

// planFollowUp is Östersund's 2021 follow-up with two action plans added
// to the demo: the demo's Östersund document has none.
func planFollowUp(t testing.TB) *report.FollowUp {
	percent := func(n int) *int { return &n }
	st := reporttest.DemoStore(t, func(bs []strategy.Bundle) {
		for i := range bs {
			b := &bs[i]
			if b.Document == nil || b.Document.Key != reporttest.OstersundDoc {
				continue
			}
			b.Bodies = append(b.Bodies, strategy.Body{Key: "bun", Name: "Barn- och utbildningsnämnden", Kind: strategy.BodyCommittee})
			b.Document.ActionPlans = append(b.Document.ActionPlans,
				strategy.ActionPlan{
					Key: "ks-2021", Body: "ks", Year: 2021, Title: "Kommunstyrelsens aktivitetsplan 2021", Status: strategy.PlanDecided,
					Decision: strategy.PlanDecision{Reference: "KS 2021-02-10 § 12", On: strategy.Date{Year: 2021, Month: 2, Day: 10}},
					Activities: []strategy.Activity{
						{
							Key: "sprakcafe", TargetGroup: "alla", Title: "Språkcafé på biblioteket i Östersund",
							Description: "Träffar varje vecka med frivilliga samtalsledare.", Time: "2021-Q2",
							Responsible: "Kulturenheten", FollowUp: strategy.Date{Year: 2021, Month: 11, Day: 30},
							Goals: []string{"mal-1", "mal-4"}, Status: strategy.ActivityOngoing, Progress: percent(40),
						},
						{
							Key: "praktikplatser", TargetGroup: "enbart kommunplacerade", Title: "Fler praktikplatser i förvaltningarna",
							Time: "2021", Goals: []string{"mal-2-arbetsgivare"}, Status: strategy.ActivityDone, Progress: percent(100),
						},
					},
				},
				strategy.ActionPlan{
					Key: "bun-2021", Body: "bun", Year: 2021, Status: strategy.PlanDraft,
					Activities: []strategy.Activity{
						{Key: "laxhjalp", TargetGroup: "migranter och kommunplacerade", Title: "Läxhjälp för nyanlända elever", Time: "2022", Status: strategy.ActivityPlanned},
					},
				})
		}
	})
	return reporttest.FollowUp(t, st, reporttest.Ostersund, reporttest.OstersundDoc, 2021, 0)
}

func TestRenderActivities(t *testing.T) {
	f := planFollowUp(t)
	if len(f.ActionPlans) != 2 {
		t.Fatalf("the fixture has %d plans, want 2", len(f.ActionPlans))
	}
	var decision string
	for _, p := range f.ActionPlans {
		if p.Key == "ks-2021" {
			decision = p.Decision
		}
	}
	if decision == "" {
		t.Fatal("the fixture's ks-2021 plan has no decision")
	}
	x, _ := workbook(t, f)
	s := readSheet(t, x, SheetActivities)
	s.header(t, activityHeader)
	if got := s.dataRows(); got != activityCount(f) || got != 3 {
		t.Errorf("%d activity rows, want %d (3)", got, activityCount(f))
	}
	if s.find(1, "Aktivitetsplaner") != 0 {
		t.Errorf("the sheet says there are no plans")
	}

	r := s.row(map[string]string{"Aktivitet": "Språkcafé på biblioteket i Östersund"})
	for header, want := range map[string]string{
		"Nämnd":             "Kommunstyrelsen",
		"Plan":              "Kommunstyrelsens aktivitetsplan 2021",
		"Planens status":    "Beslutad (" + decision + ")",
		"Målgrupp":          "alla",
		"Beskrivning":       "Träffar varje vecka med frivilliga samtalsledare.",
		"Tid":               "2021-Q2",
		"Ansvarig":          "Kulturenheten",
		"Uppföljningsdatum": "2021-11-30",
		"Status":            "Pågår",
		"Framsteg (%)":      "40",
		"Mål":               "Fler nya Östersundare; Ökad social sammanhållning",
		"Försenad":          "Tiden gick ut 2021-06-30, men aktiviteten pågår fortfarande.",
	} {
		if got := s.get(r, s.col(header)); got != want {
			t.Errorf("Språkcafé, %s = %q, want %q", header, got, want)
		}
	}
	if got := s.number(r, s.col("Framsteg (%)")); got != 40 {
		t.Errorf("Framsteg is not the number 40")
	}
	// 2021-11-30 as a date cell: Excel's serial day 44530.
	if got := s.number(r, s.col("Uppföljningsdatum")); got != 44530 {
		t.Errorf("Uppföljningsdatum is not stored as the date 2021-11-30: %v", got)
	}

	r = s.row(map[string]string{"Aktivitet": "Läxhjälp för nyanlända elever"})
	for header, want := range map[string]string{
		"Nämnd": "Barn- och utbildningsnämnden", "Planens status": "Utkast", "Status": "Planerad",
		"Framsteg (%)": "", "Uppföljningsdatum": "", "Försenad": "",
	} {
		if got := s.get(r, s.col(header)); got != want {
			t.Errorf("Läxhjälp, %s = %q, want %q", header, got, want)
		}
	}
}

// TestRenderIsDeterministic: the workbook depends on the FollowUp alone,
// so an approved report gives the same file every time: no clock in the
// zip entries or the document properties.
func TestRenderIsDeterministic(t *testing.T) {
	f := reporttest.Ostersund2021Since2018(t)
	var a, b bytes.Buffer
	if err := Render(&a, f); err != nil {
		t.Fatal(err)
	}
	if err := Render(&b, f); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Errorf("two renderings of one FollowUp differ")
	}
	z, err := zip.NewReader(bytes.NewReader(a.Bytes()), int64(a.Len()))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range z.File {
		// No DOS time and no extended timestamp: the reader then gives
		// MS-DOS's zero, 1979-11-30.
		if e.ModifiedDate != 0 || e.ModifiedTime != 0 || e.Modified.Year() >= 1980 {
			t.Errorf("zip entry %s carries a time: %v", e.Name, e.Modified)
		}
		if e.Name == "docProps/core.xml" {
			rc, err := e.Open()
			if err != nil {
				t.Fatal(err)
			}
			core, _ := io.ReadAll(rc)
			rc.Close()
			if n := bytes.Count(core, []byte("2022-03-15T00:00:00Z")); n != 2 {
				t.Errorf("core.xml has the report's day %d times, want created and modified:\n%s", n, core)
			}
		}
	}
}

func TestRenderNil(t *testing.T) {
	var buf bytes.Buffer
	if err := Render(&buf, nil); err == nil || buf.Len() != 0 {
		t.Errorf("Render(nil) = %v, wrote %d bytes; want an error and nothing", err, buf.Len())
	}
}

func BenchmarkRender(b *testing.B) {
	f := reporttest.Ostersund2021Since2018(b)
	b.ReportAllocs()
	for b.Loop() {
		if err := Render(io.Discard, f); err != nil {
			b.Fatal(err)
		}
	}
}
