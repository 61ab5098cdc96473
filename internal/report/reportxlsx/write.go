package reportxlsx

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/inkludera/inkludera/internal/strategy"
)

// table is a sheet of rows under one header row, which is frozen and
// carries the autofilter, so the controller can sort and filter at once.
type table struct {
	sheet   string
	columns []column
	rows    [][]cell
	// notes are label–text pairs under the table, after an empty row,
	// outside the filtered range.
	notes []note
}

// column is a table column: its header, its width in characters, and
// whether its texts wrap; columns that do not wrap hold short ones (keys,
// codes, statuses, numbers, dates).
type column struct {
	header string
	width  float64
	wrap   bool
}

type note struct{ label, text string }

type cellKind int

const (
	emptyCell cellKind = iota
	textCell
	numberCell
	dateCell
)

// cell is a cell's value as it is stored: a number stays a number with a
// display format, so that Excel can sum it; an empty cell stays empty,
// which is how a missing value reads (never 0).
type cell struct {
	kind   cellKind
	text   string
	value  float64
	format string // number format code of a number
	day    strategy.Date
}

func text(s string) cell {
	if s == "" {
		return cell{}
	}
	return cell{kind: textCell, text: s}
}

// number is a value shown with decimals places and a thousands separator;
// Excel draws both in the reader's locale ("1 234,5" in Swedish Excel).
func number(v float64, decimals int) cell {
	format := "#,##0"
	if decimals > 0 {
		format += "." + strings.Repeat("0", decimals)
	}
	return cell{kind: numberCell, value: v, format: format}
}

// optionalNumber is number, or an empty cell for a missing value.
func optionalNumber(v *float64, decimals int) cell {
	if v == nil {
		return cell{}
	}
	return number(*v, decimals)
}

func count(n int) cell { return number(float64(n), 0) }

// year is a year as a number without a thousands separator ("2021", not
// "2 021").
func year(y int) cell { return cell{kind: numberCell, value: float64(y), format: "0"} }

// date is a date cell shown as an ISO date; the zero date is an empty cell.
func date(d strategy.Date) cell {
	if d.IsZero() {
		return cell{}
	}
	return cell{kind: dateCell, day: d}
}

// styleKey describes a cell style; styles makes each once.
type styleKey struct {
	title, bold, header, wrap bool
	format                    string // number format code, "" for General
}

type styles struct {
	x   *excelize.File
	ids map[styleKey]int
}

func (s *styles) id(k styleKey) (int, error) {
	if id, ok := s.ids[k]; ok {
		return id, nil
	}
	st := &excelize.Style{Alignment: &excelize.Alignment{Vertical: "top", WrapText: k.wrap}}
	switch {
	case k.title:
		st.Font = &excelize.Font{Bold: true, Size: 14}
	case k.header:
		st.Font = &excelize.Font{Bold: true}
		st.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DCE6F1"}}
		st.Border = []excelize.Border{{Type: "bottom", Color: "4F81BD", Style: 2}}
		st.Alignment = &excelize.Alignment{Vertical: "center", WrapText: true}
	case k.bold:
		st.Font = &excelize.Font{Bold: true}
	}
	if k.format != "" {
		format := k.format
		st.CustomNumFmt = &format
	}
	id, err := s.x.NewStyle(st)
	if err != nil {
		return 0, err
	}
	s.ids[k] = id
	return id, nil
}

// sheetWriter writes cells to one sheet and keeps the first error, so that
// a layout reads as a list of cells rather than of error checks.
type sheetWriter struct {
	x     *excelize.File
	st    *styles
	sheet string
	err   error
}

// put writes c at column col and row (both from 1) in the style k, with
// the number format a number or date cell brings. An empty cell is not
// written at all.
func (w *sheetWriter) put(col, row int, c cell, k styleKey) {
	if w.err != nil || c.kind == emptyCell {
		return
	}
	ref, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		w.err = err
		return
	}
	switch c.kind {
	case textCell:
		w.err = w.x.SetCellStr(w.sheet, ref, c.text)
	case numberCell:
		k.format = c.format
		w.err = w.x.SetCellFloat(w.sheet, ref, c.value, -1, 64)
	case dateCell:
		k.format = "yyyy-mm-dd"
		w.err = w.x.SetCellValue(w.sheet, ref, time.Date(c.day.Year, c.day.Month, c.day.Day, 0, 0, 0, 0, time.UTC))
	}
	if w.err != nil {
		return
	}
	id, err := w.st.id(k)
	if err != nil {
		w.err = err
		return
	}
	w.err = w.x.SetCellStyle(w.sheet, ref, ref, id)
}

// width sets the widths of columns from..to (from 1).
func (w *sheetWriter) width(from, to int, chars float64) {
	if w.err != nil {
		return
	}
	w.err = w.x.SetColWidth(w.sheet, columnName(from), columnName(to), chars)
}

// note writes a label in column 1 and a long text merged across columns
// 2..last, wrapped, with the row made tall enough for it: Excel does not
// fit a merged cell's height by itself.
func (w *sheetWriter) note(row, last int, label, body string, textWidth float64) {
	w.put(1, row, text(label), styleKey{bold: true})
	w.put(2, row, text(body), styleKey{wrap: true})
	if w.err != nil || body == "" {
		return
	}
	if last > 2 {
		w.err = w.x.MergeCell(w.sheet, columnName(2)+strconv.Itoa(row), columnName(last)+strconv.Itoa(row))
		if w.err != nil {
			return
		}
	}
	// A column's width counts digit widths; ordinary text runs a little
	// narrower, so this errs on the tall side.
	lines := int(float64(utf8.RuneCountInString(body))/textWidth) + 1
	w.err = w.x.SetRowHeight(w.sheet, row, 15*float64(lines))
}

// writeTable makes t's sheet: a header row that is bold, frozen and
// filtered, the columns' widths, and the rows.
func writeTable(x *excelize.File, st *styles, t table) error {
	if _, err := x.NewSheet(t.sheet); err != nil {
		return err
	}
	w := &sheetWriter{x: x, st: st, sheet: t.sheet}
	for i, c := range t.columns {
		w.put(i+1, 1, text(c.header), styleKey{header: true})
		w.width(i+1, i+1, c.width)
	}
	for r, row := range t.rows {
		for i, c := range row {
			w.put(i+1, r+2, c, styleKey{wrap: t.columns[i].wrap})
		}
	}
	if w.err != nil {
		return w.err
	}
	last := columnName(len(t.columns))
	if err := x.SetPanes(t.sheet, &excelize.Panes{
		Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}},
	}); err != nil {
		return err
	}
	// A filter range needs a row under the header, even an empty one.
	if err := x.AutoFilter(t.sheet, "A1:"+last+strconv.Itoa(max(1, len(t.rows))+1), nil); err != nil {
		return err
	}
	var noteWidth float64
	for _, c := range t.columns[1:] {
		noteWidth += c.width
	}
	for i, n := range t.notes {
		w.note(len(t.rows)+3+i, len(t.columns), n.label, n.text, noteWidth)
	}
	return w.err
}

// columnName is the letters of a column from 1; ours are few, so it cannot
// fail.
func columnName(n int) string {
	s, err := excelize.ColumnNumberToName(n)
	if err != nil {
		panic(err)
	}
	return s
}
