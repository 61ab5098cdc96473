// Package planxlsx exports an action plan (aktivitetsplan) to an Excel
// workbook in the layout of the seeds — Strömsund's programme, section
// 11.3: Målgrupp | Aktivitet | Tid | Ansvarig | Uppföljning — and imports
// the activities back from such a sheet, edited by hand or written from
// scratch.
package planxlsx

import (
	"cmp"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/inkludera/inkludera/internal/strategy"
)

// SheetName is the sheet Export writes and Import looks at first.
const SheetName = "Aktivitetsplan"

// GoalSheetName is the sheet listing goal keys and titles.
const GoalSheetName = "Mål"

// The column headers. The seed's five come first; Nyckel carries the
// activity key so that a re-import updates activities instead of adding
// copies.
const (
	ColTargetGroup = "Målgrupp"
	ColTitle       = "Aktivitet"
	ColTime        = "Tid"
	ColResponsible = "Ansvarig"
	ColFollowUp    = "Uppföljning"
	ColDescription = "Beskrivning"
	ColStatus      = "Status"
	ColProgress    = "Klart (%)"
	ColGoals       = "Mål"
	ColKey         = "Nyckel"
)

// columns are the exported columns in order, with their widths in
// characters.
var columns = []struct {
	label string
	width float64
}{
	{ColTargetGroup, 24},
	{ColTitle, 40},
	{ColTime, 16},
	{ColResponsible, 24},
	{ColFollowUp, 13},
	{ColDescription, 50},
	{ColStatus, 12},
	{ColProgress, 10},
	{ColGoals, 22},
	{ColKey, 28},
}

// headerRow is where Export puts the headers, under two rows of title.
const headerRow = 4

// validationRows is how far below the header the drop-down lists reach,
// so that rows added by hand get them too.
const validationRows = 500

// Meta names what the plan belongs to, for the title rows.
type Meta struct {
	Organisation string // "Östersunds kommun"
	Body         string // the body's name, "Barn- och utbildningsnämnden"; default the plan's body key
	Document     string // the strategy's title
	// GoalTitles maps goal keys to titles. They are listed on a second
	// sheet so that editors know which keys to write in the Mål column.
	GoalTitles map[string]string
}

// Export writes plan as an XLSX workbook to w.
func Export(w io.Writer, plan strategy.ActionPlan, meta Meta) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := export(f, plan, meta); err != nil {
		return fmt.Errorf("planxlsx: export: %w", err)
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("planxlsx: export: %w", err)
	}
	return nil
}

func export(f *excelize.File, plan strategy.ActionPlan, meta Meta) error {
	const sh = SheetName
	if err := f.SetSheetName("Sheet1", sh); err != nil {
		return err
	}
	title := cmp.Or(plan.Title, fmt.Sprintf("Aktivitetsplan %d", plan.Year))
	if err := f.SetDocProps(&excelize.DocProperties{
		Title: title, Creator: "Inkludera", Language: "sv-SE",
		Subject: strings.Join(nonEmpty(meta.Body, meta.Organisation), ", "),
	}); err != nil {
		return err
	}

	titleStyle, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}})
	if err != nil {
		return err
	}
	headerStyle, err := f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DCE6F1"}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"},
		Border:    []excelize.Border{{Type: "bottom", Color: "4F81BD", Style: 2}},
	})
	if err != nil {
		return err
	}
	textStyle, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	dateFmt := "yyyy-mm-dd"
	dateStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt, Alignment: &excelize.Alignment{Vertical: "top"}})
	if err != nil {
		return err
	}
	numberStyle, err := f.NewStyle(&excelize.Style{NumFmt: 1, Alignment: &excelize.Alignment{Vertical: "top"}})
	if err != nil {
		return err
	}

	// Title rows: the plan, then whose it is and where it stands.
	if err := f.SetCellStr(sh, "A1", title); err != nil {
		return err
	}
	if err := f.SetCellStyle(sh, "A1", "A1", titleStyle); err != nil {
		return err
	}
	status := "utkast"
	if plan.Status == strategy.PlanDecided {
		status = "beslutad"
	}
	details := nonEmpty(cmp.Or(meta.Body, plan.Body), meta.Organisation, meta.Document)
	details = append(details, fmt.Sprintf("År %d", plan.Year), "Status: "+status)
	if d := decision(plan.Decision); d != "" {
		details = append(details, "Beslut: "+d)
	}
	if err := f.SetCellStr(sh, "A2", strings.Join(details, " · ")); err != nil {
		return err
	}

	last := columnName(len(columns))
	for i, c := range columns {
		col := columnName(i + 1)
		if err := f.SetCellStr(sh, fmt.Sprintf("%s%d", col, headerRow), c.label); err != nil {
			return err
		}
		if err := f.SetColWidth(sh, col, col, c.width); err != nil {
			return err
		}
	}
	if err := f.SetCellStyle(sh, "A"+itoa(headerRow), last+itoa(headerRow), headerStyle); err != nil {
		return err
	}

	for i, a := range plan.Activities {
		row := headerRow + 1 + i
		cell := func(col int) string { return columnName(col) + itoa(row) }
		// Strings stay strings: a Tid of "2026-03" must not become a date.
		// Empty ones are not written, so that the cells stay blank.
		texts := map[int]string{
			1: a.TargetGroup, 2: a.Title, 3: a.Time, 4: a.Responsible,
			6: a.Description, 7: statusWord(a.Status), 9: strings.Join(a.Goals, ", "), 10: a.Key,
		}
		for col, v := range texts {
			if v == "" {
				continue
			}
			if err := f.SetCellStr(sh, cell(col), v); err != nil {
				return err
			}
		}
		if !a.FollowUp.IsZero() {
			d := time.Date(a.FollowUp.Year, a.FollowUp.Month, a.FollowUp.Day, 0, 0, 0, 0, time.UTC)
			if err := f.SetCellValue(sh, cell(5), d); err != nil {
				return err
			}
		}
		if a.Progress != nil {
			if err := f.SetCellInt(sh, cell(8), int64(*a.Progress)); err != nil {
				return err
			}
		}
	}
	if n := len(plan.Activities); n > 0 {
		first, end := itoa(headerRow+1), itoa(headerRow+n)
		for _, s := range []struct {
			from, to string
			style    int
		}{
			{"A", last, textStyle},
			{"E", "E", dateStyle},
			{"H", "H", numberStyle},
		} {
			if err := f.SetCellStyle(sh, s.from+first, s.to+end, s.style); err != nil {
				return err
			}
		}
	}

	if err := f.SetPanes(sh, &excelize.Panes{
		Freeze: true, YSplit: headerRow, TopLeftCell: "A" + itoa(headerRow+1), ActivePane: "bottomLeft",
	}); err != nil {
		return err
	}
	if err := f.AutoFilter(sh, fmt.Sprintf("A%d:%s%d", headerRow, last, headerRow+max(1, len(plan.Activities))), nil); err != nil {
		return err
	}
	if err := addValidations(f, sh); err != nil {
		return err
	}
	return goalSheet(f, meta.GoalTitles, headerStyle, textStyle)
}

// addValidations offers drop-down lists: the statuses, strictly, and the
// seed's target groups, as suggestions only since an activity may name
// another group.
func addValidations(f *excelize.File, sh string) error {
	rows := func(col string) string {
		return fmt.Sprintf("%s%d:%s%d", col, headerRow+1, col, headerRow+validationRows)
	}
	words := make([]string, len(statusWords))
	for i, w := range statusWords {
		words[i] = w.word
	}
	status := excelize.NewDataValidation(true)
	status.Sqref = rows("G")
	if err := status.SetDropList(words); err != nil {
		return err
	}
	status.SetError(excelize.DataValidationErrorStyleStop, "Status", "Välj en av: "+statusList()+".")
	status.ShowErrorMessage = true
	if err := f.AddDataValidation(sh, status); err != nil {
		return err
	}
	groups := excelize.NewDataValidation(true)
	groups.Sqref = rows("A")
	if err := groups.SetDropList(strategy.TargetGroups); err != nil {
		return err
	}
	groups.ShowErrorMessage = false // any other group may be typed
	return f.AddDataValidation(sh, groups)
}

// goalSheet lists goal keys and titles for reference, sorted by key.
func goalSheet(f *excelize.File, titles map[string]string, headerStyle, textStyle int) error {
	if len(titles) == 0 {
		return nil
	}
	if _, err := f.NewSheet(GoalSheetName); err != nil {
		return err
	}
	const sh = GoalSheetName
	if err := f.SetSheetRow(sh, "A1", &[]any{ColKey, "Mål"}); err != nil {
		return err
	}
	if err := f.SetCellStyle(sh, "A1", "B1", headerStyle); err != nil {
		return err
	}
	keys := slices.Sorted(maps.Keys(titles))
	for i, k := range keys {
		if err := f.SetSheetRow(sh, "A"+itoa(i+2), &[]any{k, titles[k]}); err != nil {
			return err
		}
	}
	if err := f.SetCellStyle(sh, "A2", "B"+itoa(len(keys)+1), textStyle); err != nil {
		return err
	}
	if err := f.SetColWidth(sh, "A", "A", 28); err != nil {
		return err
	}
	if err := f.SetColWidth(sh, "B", "B", 70); err != nil {
		return err
	}
	f.SetActiveSheet(0)
	return nil
}

// decision describes a plan's decision: "BUN 2026-02-12 § 14 (2026-02-12)",
// or only one of its parts.
func decision(d strategy.PlanDecision) string {
	switch {
	case d.Reference != "" && !d.On.IsZero() && !strings.Contains(d.Reference, d.On.String()):
		return d.Reference + " (" + d.On.String() + ")"
	case d.Reference != "":
		return d.Reference
	default:
		return d.On.String()
	}
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// columnName is the letter of a 1-based column; our columns are few, so
// it cannot fail.
func columnName(n int) string {
	s, err := excelize.ColumnNumberToName(n)
	if err != nil {
		panic(err)
	}
	return s
}
