package obsfile

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// sheetNames are the names of a sheet to read in preference to the first,
// lower case.
var sheetNames = []string{"observationer", "observations"}

// readXLSX reads the observation sheet of a workbook into t.
func readXLSX(t *table, data []byte) {
	unreadable := func(row int, err error) {
		// The XML reader's errors may quote bytes of the file that are
		// not UTF-8.
		t.add(Problem{Row: row, Line: row, Kind: KindUnreadable, Value: strings.ToValidUTF8(err.Error(), "\uFFFD")})
	}
	// The limit keeps a zip bomb from filling memory; real observation
	// workbooks are a small fraction of it.
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: 1 << 30})
	if err != nil {
		unreadable(0, err)
		return
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return
	}
	sheet := sheets[0]
	for _, s := range sheets {
		for _, want := range sheetNames {
			if strings.EqualFold(strings.TrimSpace(s), want) {
				sheet = s
			}
		}
	}
	t.data.Sheet = sheet

	// Two passes over the same rows in step: raw values give numbers
	// exactly, and formatted ones tell the cells Excel shows as percent.
	raw, err := f.Rows(sheet)
	if err != nil {
		unreadable(0, err)
		return
	}
	defer raw.Close()
	shown, err := f.Rows(sheet)
	if err != nil {
		unreadable(0, err)
		return
	}
	defer shown.Close()

	var cells [][]byte
	for row := 1; raw.Next(); row++ {
		shown.Next()
		texts, err := raw.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			unreadable(row, err)
			return
		}
		cells = cells[:0]
		for _, s := range texts {
			cells = append(cells, []byte(s))
		}
		if !t.header {
			if !isBlank(cells) {
				t.readHeader(row, row, cells)
			}
			continue
		}
		if v := t.colOf[colValue]; v >= 0 && v < len(cells) && isPlainNumber(cells[v]) {
			if shownCells, err := shown.Columns(); err == nil && v < len(shownCells) && strings.HasSuffix(strings.TrimSpace(shownCells[v]), "%") {
				// Excel stores 12,5 % as 0.125; Inkludera's percentages
				// are in percent, as the sheet shows them.
				cells[v] = []byte(timesHundred(string(cells[v])))
			}
		}
		t.readRow(row, row, cells)
	}
	if err := raw.Error(); err != nil {
		unreadable(0, err)
	}
}

// isPlainNumber reports whether a raw cell is a number as Excel stores one.
func isPlainNumber(b []byte) bool {
	_, err := strconv.ParseFloat(string(b), 64)
	return err == nil
}

// timesHundred moves the decimal point of a stored number two places by
// way of its exponent, so that 0.123 becomes exactly 12.3 and not
// 12.299999999999999.
func timesHundred(s string) string {
	mant, exp := s, 0
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		mant = s[:i]
		e, err := strconv.Atoi(s[i+1:])
		if err != nil {
			return s
		}
		exp = e
	}
	return mant + "e" + strconv.Itoa(exp+2)
}
