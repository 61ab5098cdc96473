// Package reportxlsx renders a yearly follow-up report (report.FollowUp) as
// an Excel workbook for the municipality's controller, who filters, sorts
// and re-uses the figures rather than reads them:
//
//   - Sammanfattning: the cover facts, the targets per status and, for a
//     deep follow-up, the roll-up of every year side by side;
//   - Mål: one row per target with its status, explanation and, for a deep
//     follow-up, its status for every year;
//   - Värden: one row per indicator and year, the values as numbers;
//   - Aktiviteter: one row per activity of the year's action plans;
//   - Källor: the sources of the values and the note on our own processing.
//
// Every text is Swedish. A status is its symbol and its word ("✓ Uppnått")
// beside its code, never a colour. A missing value is an empty cell, never
// 0. The workbook depends only on the FollowUp: its dates are the report's
// day, and the same FollowUp gives the same bytes.
package reportxlsx

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"

	"github.com/inkludera/inkludera/internal/report"
)

// The sheets, in the workbook's order.
const (
	SheetSummary    = "Sammanfattning"
	SheetTargets    = "Mål"
	SheetValues     = "Värden"
	SheetActivities = "Aktiviteter"
	SheetSources    = "Källor"
)

// Render writes f as an XLSX workbook to w. Nothing is written when
// rendering fails.
func Render(w io.Writer, f *report.FollowUp) error {
	if f == nil {
		return fmt.Errorf("reportxlsx: Render needs a FollowUp")
	}
	x := excelize.NewFile()
	defer x.Close()
	if err := build(x, f); err != nil {
		return fmt.Errorf("reportxlsx: %w", err)
	}
	buf, err := x.WriteToBuffer()
	if err != nil {
		return fmt.Errorf("reportxlsx: writing the workbook: %w", err)
	}
	_, err = buf.WriteTo(w)
	return err
}

// build fills the new workbook x.
func build(x *excelize.File, f *report.FollowUp) error {
	if err := x.SetSheetName("Sheet1", SheetSummary); err != nil {
		return err
	}
	st := &styles{x: x, ids: map[styleKey]int{}}
	if err := writeSummary(x, st, f); err != nil {
		return fmt.Errorf("sheet %s: %w", SheetSummary, err)
	}
	for _, t := range []table{targetTable(f), valueTable(f), activityTable(f), sourceTable(f)} {
		if err := writeTable(x, st, t); err != nil {
			return fmt.Errorf("sheet %s: %w", t.sheet, err)
		}
	}
	x.SetActiveSheet(0)
	return setProperties(x, f)
}

// setProperties sets the document properties. Created and Modified are the
// report's day rather than the clock's, so that the workbook depends on f
// alone.
func setProperties(x *excelize.File, f *report.FollowUp) error {
	day := f.GeneratedOn.String() + "T00:00:00Z"
	if err := x.SetDocProps(&excelize.DocProperties{
		Title:       report.Heading(f),
		Subject:     f.Document.Title,
		Creator:     f.Organisation.Name,
		Description: "Uppföljning av " + f.Document.Title + ", " + f.Organisation.Name + ". Framtagen med Inkludera.",
		Keywords:    "uppföljning; årsrapport; integration",
		Language:    "sv-SE",
		Created:     day,
		Modified:    day,
	}); err != nil {
		return fmt.Errorf("document properties: %w", err)
	}
	// SetAppProps replaces every field, so the application is named too.
	if err := x.SetAppProps(&excelize.AppProperties{Application: "Inkludera", Company: f.Organisation.Name}); err != nil {
		return fmt.Errorf("application properties: %w", err)
	}
	return nil
}
