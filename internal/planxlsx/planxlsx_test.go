package planxlsx

import (
	"bytes"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/inkludera/inkludera/internal/strategy"
)

func ptr(n int) *int { return &n }

func date(s string) strategy.Date {
	d, err := strategy.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// fullPlan has every field of every activity set, in Swedish.
var fullPlan = strategy.ActionPlan{
	Key:    "bun-2026",
	Body:   "bun",
	Year:   2026,
	Title:  "Aktivitetsplan för integration 2026",
	Status: strategy.PlanDecided,
	Decision: strategy.PlanDecision{
		Reference: "BUN 2026-02-12 § 14",
		On:        date("2026-02-12"),
	},
	Activities: []strategy.Activity{
		{
			Key: "sprakcafe", TargetGroup: "alla", Title: "Språkcafé på biblioteket i Hammerdal",
			Description: "Träffar varannan tisdag.\nÖppet för alla – även asylsökande.",
			Time:        "vt 2026", Responsible: "Kultur- och fritidsförvaltningen",
			FollowUp: date("2026-06-30"), Goals: []string{"mal-1", "mal-2.a"},
			Status: strategy.ActivityOngoing, Progress: ptr(50),
			Notes: []strategy.Note{{Date: date("2026-03-01"), Text: "Bra start", Author: "Åsa"}},
			Rev:   7,
		},
		{
			Key: "tolk-utbildning", TargetGroup: "migranter och kommunplacerade", Title: "Kompetensutveckling för egen personal i att använda tolk",
			Time: "2026-03-01–2026-05-31", Responsible: "Förvaltningschef",
			FollowUp: date("2026-12-15"), Goals: []string{"mal-3"},
			Status: strategy.ActivityDone, Progress: ptr(100),
		},
		{
			Key: "skyltning", TargetGroup: "enbart kommunplacerade", Title: "Översättning av material, skyltning och information till aktuella språk",
			Time: "2026-Q3", Status: strategy.ActivityLate, Progress: ptr(0),
		},
		{
			Key: "foreningar", TargetGroup: "civilsamhället", Title: "Stöd till föreningar som tar emot nyanlända",
			Status: strategy.ActivityPlanned,
		},
		{
			Key: "praktik", TargetGroup: "Nyanlända ungdomar 16–19 år", Title: "=Prioritera nyanlända vid mottagning av praktikanter",
			Time: "2026", Status: strategy.ActivityCancelled, Description: "Inställd: inga handledare.",
		},
	},
}

var fullMeta = Meta{
	Organisation: "Strömsunds kommun",
	Body:         "Barn- och utbildningsnämnden",
	Document:     "Program för inflyttning och integration",
	GoalTitles:   map[string]string{"mal-3": "Fler i arbete", "mal-1": "Ökad inflyttning", "mal-2.a": "Ett välkomnande samhälle"},
}

func exportBytes(t *testing.T, plan strategy.ActionPlan, meta Meta) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Export(&buf, plan, meta); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		plan strategy.ActionPlan
		meta Meta
	}{
		{"every field", fullPlan, fullMeta},
		{"no meta", fullPlan, Meta{}},
		{"draft without title or decision", strategy.ActionPlan{Year: 2027, Status: strategy.PlanDraft, Activities: fullPlan.Activities[3:]}, Meta{Body: "KS"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Import(bytes.NewReader(exportBytes(t, tt.plan, tt.meta)))
			if err != nil {
				t.Fatal(err)
			}
			want := slices.Clone(tt.plan.Activities)
			for i := range want {
				// Notes and revisions are not part of the sheet.
				want[i].Notes, want[i].Rev = nil, 0
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("round trip:\n got %+v\nwant %+v", got, want)
			}
		})
	}
}

func TestExportLayout(t *testing.T) {
	f, err := excelize.OpenReader(bytes.NewReader(exportBytes(t, fullPlan, fullMeta)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !slices.Equal(got, []string{SheetName, GoalSheetName}) {
		t.Fatalf("sheets = %q", got)
	}
	if f.GetActiveSheetIndex() != 0 {
		t.Errorf("active sheet %d, want the plan", f.GetActiveSheetIndex())
	}
	val := func(sheet, cell string) string {
		v, err := f.GetCellValue(sheet, cell)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	cells := []struct {
		name, sheet, cell, want string
	}{
		{"title", SheetName, "A1", "Aktivitetsplan för integration 2026"},
		{"details", SheetName, "A2", "Barn- och utbildningsnämnden · Strömsunds kommun · Program för inflyttning och integration · År 2026 · Status: beslutad · Beslut: BUN 2026-02-12 § 14"},
		{"seed column 1", SheetName, "A4", "Målgrupp"},
		{"seed column 2", SheetName, "B4", "Aktivitet"},
		{"seed column 3", SheetName, "C4", "Tid"},
		{"seed column 4", SheetName, "D4", "Ansvarig"},
		{"seed column 5", SheetName, "E4", "Uppföljning"},
		{"description", SheetName, "F4", "Beskrivning"},
		{"status", SheetName, "G4", "Status"},
		{"progress", SheetName, "H4", "Klart (%)"},
		{"goals", SheetName, "I4", "Mål"},
		{"key", SheetName, "J4", "Nyckel"},
		{"follow-up date as shown", SheetName, "E5", "2026-06-30"},
		{"status in Swedish", SheetName, "G5", "pågår"},
		{"status done", SheetName, "G6", "genomförd"},
		{"progress", SheetName, "H5", "50"},
		{"goals comma separated", SheetName, "I5", "mal-1, mal-2.a"},
		{"formula-like text stays text", SheetName, "B9", "=Prioritera nyanlända vid mottagning av praktikanter"},
		{"goal sheet sorted", GoalSheetName, "A2", "mal-1"},
		{"goal title", GoalSheetName, "B4", "Fler i arbete"},
	}
	for _, c := range cells {
		t.Run(c.name, func(t *testing.T) {
			if got := val(c.sheet, c.cell); got != c.want {
				t.Errorf("%s!%s = %q, want %q", c.sheet, c.cell, got, c.want)
			}
		})
	}

	if raw, _ := f.GetCellValue(SheetName, "E5", excelize.Options{RawCellValue: true}); raw != "46203" {
		t.Errorf("E5 is stored as %q, want the date serial 46203", raw)
	}
	if raw, _ := f.GetCellValue(SheetName, "H5", excelize.Options{RawCellValue: true}); raw != "50" {
		t.Errorf("H5 raw = %q", raw)
	}
	if typ, _ := f.GetCellType(SheetName, "H5"); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
		t.Errorf("H5 has type %v, want a number", typ)
	}
	// Empty fields leave blank cells, not empty strings that COUNTA counts.
	for _, cell := range []string{"D7", "E8", "H8", "I8"} {
		if typ, _ := f.GetCellType(SheetName, cell); typ != excelize.CellTypeUnset {
			t.Errorf("%s has type %v, want blank", cell, typ)
		}
	}
	if formula, _ := f.GetCellFormula(SheetName, "B9"); formula != "" {
		t.Errorf("B9 became a formula: %q", formula)
	}

	style := func(cell string) *excelize.Style {
		idx, err := f.GetCellStyle(SheetName, cell)
		if err != nil {
			t.Fatal(err)
		}
		s, err := f.GetStyle(idx)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	if s := style("B4"); s.Font == nil || !s.Font.Bold || s.Fill.Pattern != 1 || len(s.Fill.Color) == 0 {
		t.Errorf("header style = %+v", s)
	}
	if s := style("B5"); s.Alignment == nil || !s.Alignment.WrapText {
		t.Error("data cells do not wrap")
	}
	if s := style("E5"); s.CustomNumFmt == nil || *s.CustomNumFmt != "yyyy-mm-dd" {
		t.Errorf("date format = %v", s.CustomNumFmt)
	}
	panes, err := f.GetPanes(SheetName)
	if err != nil || !panes.Freeze || panes.YSplit != 4 || panes.TopLeftCell != "A5" {
		t.Errorf("panes = %+v (%v)", panes, err)
	}
	for col, want := range map[string]float64{"B": 40, "F": 50, "H": 10} {
		if w, _ := f.GetColWidth(SheetName, col); w != want {
			t.Errorf("width of %s = %g, want %g", col, w, want)
		}
	}
	dvs, err := f.GetDataValidations(SheetName)
	if err != nil || len(dvs) != 2 {
		t.Fatalf("data validations = %d (%v)", len(dvs), err)
	}
	for _, dv := range dvs {
		if dv.Sqref == "G5:G504" && !strings.Contains(dv.Formula1, "pågår") {
			t.Errorf("status list = %q", dv.Formula1)
		}
	}
}

func TestExportWithoutGoalsHasOneSheet(t *testing.T) {
	f, err := excelize.OpenReader(bytes.NewReader(exportBytes(t, strategy.ActionPlan{Year: 2026}, Meta{})))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !slices.Equal(got, []string{SheetName}) {
		t.Errorf("sheets = %q", got)
	}
	if v, _ := f.GetCellValue(SheetName, "A1"); v != "Aktivitetsplan 2026" {
		t.Errorf("A1 = %q", v)
	}
	if v, _ := f.GetCellValue(SheetName, "A2"); v != "År 2026 · Status: utkast" {
		t.Errorf("A2 = %q", v)
	}
}

// book writes a workbook with one sheet from cells; a time.Time gets a
// date format, a percent a percentage format.
type percent float64

func book(t *testing.T, sheet string, cells map[string]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		t.Fatal(err)
	}
	dateStyle, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	pctStyle, _ := f.NewStyle(&excelize.Style{NumFmt: 9})
	for ref, v := range cells {
		var err error
		switch v := v.(type) {
		case percent:
			err = f.SetCellFloat(sheet, ref, float64(v), -1, 64)
			if err == nil {
				err = f.SetCellStyle(sheet, ref, ref, pctStyle)
			}
		case time.Time:
			err = f.SetCellValue(sheet, ref, v)
			if err == nil {
				err = f.SetCellStyle(sheet, ref, ref, dateStyle)
			}
		default:
			err = f.SetCellValue(sheet, ref, v)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestImportOtherLayout(t *testing.T) {
	data := book(t, "Blad1", map[string]any{
		"A1": "Handlingsplan Socialnämnden",
		// Header on row 3, in another order, with odd spacing and case, an
		// unknown column and no Ansvarig or Beskrivning.
		"A3": " NYCKEL ", "B3": "aktivitet", "C3": "Status", "D3": "Klart", "E3": "MÅLGRUPP",
		"F3": "uppföljning", "G3": "Kommentar", "H3": "Mal", "I3": "Tid",

		"B4": "Språkcafé för föräldrar", "C4": "pagar", "D4": "50 %", "E4": "Alla",
		"F4": "2026-06-30", "G4": "ignoreras", "H4": "mal-1; Mal-2", "I4": "vt 2026",

		// Row 5 is empty and skipped.
		"A6": "Befintlig", "B6": "Översättning av skyltar", "C6": "GENOMFÖRD", "D6": percent(0.75),
		"E6": "enbart kommunplacerade", "F6": time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC),
		"I6": time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC),

		"B7": "Språkcafé för föräldrar", "C7": "försenad", "D7": 100, "E7": "Nyanlända kvinnor",
		"F7": "2026-09-01 00:00:00", "I7": 2026,

		"B8": "Öppet hus", "E8": "civilsamhället", "D8": "33,4%", "C8": "Inställd",
	})
	got, err := Import(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	want := []strategy.Activity{
		{
			Key: "sprakcafe-for-foraldrar", TargetGroup: "alla", Title: "Språkcafé för föräldrar",
			Time: "vt 2026", FollowUp: date("2026-06-30"), Goals: []string{"mal-1", "mal-2"},
			Status: strategy.ActivityOngoing, Progress: ptr(50),
		},
		{
			Key: "befintlig", TargetGroup: "enbart kommunplacerade", Title: "Översättning av skyltar",
			Time: "2026-04-01", FollowUp: date("2026-03-31"), Status: strategy.ActivityDone, Progress: ptr(75),
		},
		{
			Key: "sprakcafe-for-foraldrar-2", TargetGroup: "Nyanlända kvinnor", Title: "Språkcafé för föräldrar",
			Time: "2026", FollowUp: date("2026-09-01"), Status: strategy.ActivityLate, Progress: ptr(100),
		},
		{
			Key: "oppet-hus", TargetGroup: "civilsamhället", Title: "Öppet hus",
			Status: strategy.ActivityCancelled, Progress: ptr(33),
		},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Import:\n got %+v\nwant %+v", got, want)
	}
}

func TestImportThreeMistakes(t *testing.T) {
	// An exported plan, edited: Aktivitet emptied in row 7, a status that
	// does not exist in row 8, a date written the wrong way in row 9.
	f, err := excelize.OpenReader(bytes.NewReader(exportBytes(t, fullPlan, fullMeta)))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range []struct {
		cell string
		v    any
	}{{"B7", ""}, {"G8", "kanske"}, {"E9", "31/3-2026"}} {
		if err := f.SetCellValue(SheetName, e.cell, e.v); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	f.Close()

	acts, err := Import(&buf)
	if acts != nil {
		t.Errorf("Import returned %d activities with problems", len(acts))
	}
	var ps Problems
	if !errors.As(err, &ps) {
		t.Fatalf("err = %v, want Problems", err)
	}
	want := Problems{
		{Row: 7, Column: "Aktivitet", Cell: "B7", English: "B7 (Aktivitet): the activity is missing", Swedish: "B7 (Aktivitet): aktiviteten saknas."},
		{Row: 8, Column: "Status", Cell: "G8",
			English: `G8 (Status): "kanske" is not a status; write one of planerad, pågår, genomförd, försenad, inställd`,
			Swedish: `G8 (Status): "kanske" är ingen status; skriv en av planerad, pågår, genomförd, försenad, inställd.`},
		{Row: 9, Column: "Uppföljning", Cell: "E9",
			English: `E9 (Uppföljning): "31/3-2026" is not a date; write it as 2026-03-31`,
			Swedish: `E9 (Uppföljning): "31/3-2026" är inget datum; skriv det som 2026-03-31.`},
	}
	if !reflect.DeepEqual(ps, want) {
		t.Errorf("problems:\n got %+v\nwant %+v", ps, want)
	}
	if !strings.HasPrefix(err.Error(), "planxlsx: 3 problems: B7 (Aktivitet)") {
		t.Errorf("Error() = %q", err.Error())
	}
	if got := ps.Swedish(); strings.Count(got, "\n") != 2 || !strings.HasPrefix(got, "B7 (Aktivitet): aktiviteten saknas.") {
		t.Errorf("Swedish() = %q", got)
	}
}

func TestImportProblems(t *testing.T) {
	header := map[string]any{"A1": "Målgrupp", "B1": "Aktivitet", "C1": "Uppföljning", "D1": "Klart (%)", "E1": "Mål", "F1": "Nyckel"}
	with := func(cells map[string]any) map[string]any {
		m := map[string]any{}
		for k, v := range header {
			m[k] = v
		}
		for k, v := range cells {
			m[k] = v
		}
		return m
	}
	tests := []struct {
		name  string
		data  func(t *testing.T) []byte
		want  []string // English of each problem
		cells []string
	}{
		{
			name: "not a workbook",
			data: func(*testing.T) []byte { return []byte("Målgrupp;Aktivitet\nalla;x\n") },
			want: []string{"the file could not be read as an Excel workbook (.xlsx)"},
		},
		{
			name: "no header",
			data: func(t *testing.T) []byte {
				return book(t, "Blad1", map[string]any{"A1": "Aktivitet", "B1": "Ansvarig"})
			},
			want: []string{"no sheet has a header row with the columns Målgrupp and Aktivitet"},
		},
		{
			name: "header but no activities",
			data: func(t *testing.T) []byte { return book(t, "Blad1", header) },
			want: []string{`the sheet "Blad1" has no activities below the header row 1`},
		},
		{
			name:  "missing target group",
			data:  func(t *testing.T) []byte { return book(t, "Blad1", with(map[string]any{"B2": "Något"})) },
			want:  []string{"A2 (Målgrupp): the target group is missing"},
			cells: []string{"A2"},
		},
		{
			name: "progress not a number",
			data: func(t *testing.T) []byte {
				return book(t, "Blad1", with(map[string]any{"A2": "alla", "B2": "x", "D2": "hälften"}))
			},
			want:  []string{`D2 (Klart (%)): "hälften" is not a percentage; write a whole number 0–100 such as 50`},
			cells: []string{"D2"},
		},
		{
			name: "progress over 100",
			data: func(t *testing.T) []byte {
				return book(t, "Blad1", with(map[string]any{"A2": "alla", "B2": "x", "D2": 150}))
			},
			want:  []string{"D2 (Klart (%)): 150 is outside 0–100 %"},
			cells: []string{"D2"},
		},
		{
			name: "a fraction outside a percentage cell",
			data: func(t *testing.T) []byte {
				return book(t, "Blad1", with(map[string]any{"A2": "alla", "B2": "x", "D2": 0.5}))
			},
			want:  []string{`D2 (Klart (%)): "0.5" is ambiguous; write 50 for half done (0.5 is read as 50 % only in a cell formatted as a percentage)`},
			cells: []string{"D2"},
		},
		{
			name: "a year in a date cell",
			data: func(t *testing.T) []byte {
				return book(t, "Blad1", with(map[string]any{"A2": "alla", "B2": "x", "C2": 2026}))
			},
			want:  []string{`C2 (Uppföljning): "2026" is not a date; write it as 2026-03-31`},
			cells: []string{"C2"},
		},
		{
			name: "bad goal key",
			data: func(t *testing.T) []byte {
				return book(t, "Blad1", with(map[string]any{"A2": "alla", "B2": "x", "E2": "mal-1, Mål 2"}))
			},
			want:  []string{`E2 (Mål): " Mål 2" is not a goal key; write keys separated by commas, as listed on the sheet Mål`},
			cells: []string{"E2"},
		},
		{
			name: "bad and duplicate keys",
			data: func(t *testing.T) []byte {
				return book(t, "Blad1", with(map[string]any{
					"A2": "alla", "B2": "x", "F2": "Ogiltig nyckel!",
					"A3": "alla", "B3": "y", "F3": "k",
					"A4": "alla", "B4": "z", "F4": "K",
				}))
			},
			want: []string{
				`F2 (Nyckel): "Ogiltig nyckel!" is not a valid key (a-z, 0-9, '.', '_', '-', at most 100 characters)`,
				`F4 (Nyckel): the key "k" is also used in row 3`,
			},
			cells: []string{"F2", "F4"},
		},
		{
			name: "a column twice",
			data: func(t *testing.T) []byte {
				return book(t, "Blad1", with(map[string]any{"G1": "aktivitet", "A2": "alla", "B2": "x"}))
			},
			want:  []string{"G1 (Aktivitet): the column Aktivitet is already at B1"},
			cells: []string{"G1"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			acts, err := Import(bytes.NewReader(tt.data(t)))
			var ps Problems
			if !errors.As(err, &ps) {
				t.Fatalf("err = %v (%d activities), want Problems", err, len(acts))
			}
			var en, cells []string
			for _, p := range ps {
				en = append(en, p.English)
				if p.Cell != "" {
					cells = append(cells, p.Cell)
				}
				if p.Swedish == "" {
					t.Errorf("problem %q has no Swedish", p.English)
				}
			}
			if len(en) != len(tt.want) {
				t.Fatalf("problems = %q, want %q", en, tt.want)
			}
			for i := range en {
				if !strings.HasPrefix(en[i], tt.want[i]) {
					t.Errorf("problem %d = %q, want %q", i, en[i], tt.want[i])
				}
			}
			if !slices.Equal(cells, tt.cells) {
				t.Errorf("cells = %q, want %q", cells, tt.cells)
			}
		})
	}
}

func TestSlugAndUniqueKey(t *testing.T) {
	long := strings.Repeat("Integrationsinsatser för nyanlända ", 4)
	tests := []struct {
		name  string
		title string
		taken []string
		want  string
	}{
		{"swedish letters", "Språkcafé för föräldrar", nil, "sprakcafe-for-foraldrar"},
		{"capitals and punctuation", "Öppet hus på Ågatan – 12 maj!", nil, "oppet-hus-pa-agatan-12-maj"},
		{"ampersand", "Arbete & egen försörjning", nil, "arbete-egen-forsorjning"},
		{"long title cut at a hyphen", long, nil, "integrationsinsatser-for-nyanlanda-integrationsinsatser-for"},
		{"no latin letters", "تعلم اللغة", nil, "aktivitet"},
		{"taken", "Språkcafé", []string{"sprakcafe", "sprakcafe-2"}, "sprakcafe-3"},
		{"taken long key stays within 60", long, []string{"integrationsinsatser-for-nyanlanda-integrationsinsatser-for"}, "integrationsinsatser-for-nyanlanda-integrationsinsatser-2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			taken := map[string]bool{}
			for _, k := range tt.taken {
				taken[k] = true
			}
			got := uniqueKey(slug(tt.title), taken)
			if got != tt.want {
				t.Errorf("key(%q) = %q, want %q", tt.title, got, tt.want)
			}
			if len(got) > strategy.MaxDerivedKey || !strategy.ValidKey(got) {
				t.Errorf("key %q is not a valid key of at most %d characters", got, strategy.MaxDerivedKey)
			}
		})
	}
}

func TestParseStatus(t *testing.T) {
	tests := []struct {
		in   string
		want strategy.ActivityStatus
		ok   bool
	}{
		{"planerad", strategy.ActivityPlanned, true},
		{"Pågår", strategy.ActivityOngoing, true},
		{"PAGAR", strategy.ActivityOngoing, true},
		{" pågående ", strategy.ActivityOngoing, true},
		{"genomford", strategy.ActivityDone, true},
		{"Klar", strategy.ActivityDone, true},
		{"Försenad", strategy.ActivityLate, true},
		{"installd", strategy.ActivityCancelled, true},
		{"kanske", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := parseStatus(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Errorf("parseStatus(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestClassify(t *testing.T) {
	tests := []struct {
		name string
		id   int
		code string
		want numFmt
	}{
		{"general", 0, "", numFmt{}},
		{"built-in date", 14, "", numFmt{date: true}},
		{"built-in percent", 9, "", numFmt{percent: true}},
		{"iso date", 0, "yyyy-mm-dd", numFmt{date: true}},
		{"swedish long date with locale", 0, "[$-41D]d mmmm yyyy", numFmt{date: true}},
		{"custom percent", 0, "0.0%", numFmt{percent: true}},
		{"quoted letters", 0, `0 "dagar"`, numFmt{}},
		{"time only", 0, "h:mm", numFmt{}},
		{"thousands", 0, "#,##0", numFmt{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := classify(tt.id, tt.code); got != tt.want {
				t.Errorf("classify(%d, %q) = %+v, want %+v", tt.id, tt.code, got, tt.want)
			}
		})
	}
}
