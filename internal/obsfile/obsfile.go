// Package obsfile reads observations from the CSV and XLSX files that
// municipalities keep or export from Excel, Kolada and SCB.
//
// A file has a header row and one observation a row. The columns are org,
// indicator, year, gender and value, and optionally status, preliminary and
// source; Swedish headings (kommun or organisation, indikator, år, kön,
// värde, status, preliminär, källa) work too, in any case and order.
//
// CSV files may be separated by commas, semicolons or tabs (found from the
// header line, or from Excel's "sep=" line), use a decimal comma or point,
// group digits with spaces, and be in UTF-8 with or without a byte order
// mark, UTF-16 with one, or ISO-8859-1/Windows-1252. XLSX files are read
// from the sheet named "Observationer" or "observations", else the first.
//
// An empty value is missing (nil), never 0, and so are SCB's "..", ".",
// ":", "-" and "–", whose symbol is kept in Status. Organisations may be
// written as Kolada does ("0023", "0000"), as SCB does ("2380 Östersund"),
// or without the leading zero Excel drops ("114" for 0114). A workbook
// number shown as a percentage (0,125 as 12,5 %) is read as shown: 12.5.
//
// Every problem is reported, not just the first, by row and column, in
// Swedish for the web UI and English for the CLI. Whether an indicator
// exists is for the caller to check, with Data.At to point at the row.
package obsfile

import (
	"bytes"

	"github.com/inkludera/inkludera/internal/strategy"
)

// DefaultMaxProblems is how many problems are listed when Options does not
// say: enough for any file a person will fix by hand, few enough to show.
const DefaultMaxProblems = 1000

// Options tune reading.
type Options struct {
	// DefaultOrg is the organisation of rows whose org cell is empty. With
	// it, the org column may be left out altogether.
	DefaultOrg string
	// MaxProblems caps the problems listed; the rest are counted in a final
	// "… and N more". 0 means DefaultMaxProblems, negative no cap.
	MaxProblems int
}

// Data is what a file held: its sound observations and where each came
// from, so that a caller's own checks can point at the row.
type Data struct {
	Observations []strategy.Observation
	// Rows[i] is the row of Observations[i] (the header is row 1).
	Rows []int
	// Lines[i] is the CSV line where that row starts; for XLSX the row.
	Lines []int
	// Columns maps the canonical name of each column the file has to its
	// 1-based index.
	Columns map[string]int
	// Format is "csv" or "xlsx".
	Format string
	// Delimiter separates a CSV file's cells: ',', ';' or '\t'.
	Delimiter rune
	// Encoding is what a CSV file was decoded from, e.g. "UTF-8 BOM" or
	// "Windows-1252"; "" for XLSX.
	Encoding string
	// Sheet is the XLSX sheet that was read.
	Sheet string
}

// At returns a problem located at the cell of column (a canonical name such
// as "indicator") in the row of Observations[i], for problems found by the
// caller, such as KindUnknownIndicator.
func (d *Data) At(i int, column string, kind Kind, value string) Problem {
	p := Problem{Column: column, ColumnIndex: d.Columns[column], Kind: kind, Value: value}
	if i >= 0 && i < len(d.Rows) {
		p.Row, p.Line = d.Rows[i], d.Lines[i]
	}
	return p
}

// Read returns the observations of a file, CSV or XLSX, and every problem
// with it. The observations are the rows without problems; a caller must
// not store them when there are problems, but may show them.
func Read(name string, data []byte, opt Options) ([]strategy.Observation, Problems) {
	d, probs := Parse(name, data, opt)
	return d.Observations, probs
}

// Parse is Read that also says where each observation came from. The
// format is told by the content, not the name: an XLSX file is a zip
// archive; anything else is taken as delimited text.
func Parse(name string, data []byte, opt Options) (*Data, Problems) {
	switch {
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		t := newTable(name, opt, 0)
		t.data.Format = "xlsx"
		readXLSX(t, data)
		return t.finish()
	case bytes.HasPrefix(data, []byte{0xd0, 0xcf, 0x11, 0xe0}):
		// The compound file of .xls and of password-protected .xlsx.
		t := newTable(name, opt, 0)
		t.data.Format = "xlsx"
		t.add(Problem{Kind: KindOldExcel})
		return t.finish()
	}
	// Sizing the slices from the line count saves regrowing them, which
	// for a million rows costs more than the count.
	t := newTable(name, opt, bytes.Count(data, []byte{'\n'})+1)
	t.data.Format = "csv"
	readCSV(t, data)
	return t.finish()
}
