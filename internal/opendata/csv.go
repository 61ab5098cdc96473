package opendata

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"

	"github.com/inkludera/inkludera/internal/strategy"
)

// Dialect is a CSV flavour.
type Dialect int

const (
	// RFC4180 is plain CSV: comma, decimal point, CRLF, UTF-8 without a
	// byte order mark. What programs read.
	RFC4180 Dialect = iota
	// Excel is what Swedish Excel opens by double-click (DESIGN.md §5):
	// semicolon, decimal comma, and a UTF-8 byte order mark so that å, ä
	// and ö survive.
	Excel
)

// Columns are the columns of an indicator's CSV file, in order. A
// document's file has "document" before them.
//
//	indicator    the indicator's key
//	title        the indicator's title
//	org          the organisation's SCB code ("2380")
//	year         the year
//	gender       T (total), K (kvinnor, women), M (män, men)
//	value        the value; empty when missing (never 0 for missing)
//	unit         the indicator's unit
//	status       the source's status symbol as given (SCB ".."), if any
//	preliminary  true when the source may still revise the value; empty
//	             when there is no observation at all
//	source       the observation's source as stored ("kolada", "scb",
//	             "demo", a citation)
//	attribution  Kolada, SCB, Egen uppgift, or the demonstration label
var Columns = []string{"indicator", "title", "org", "year", "gender", "value", "unit", "status", "preliminary", "source", "attribution"}

// utf8BOM starts an Excel CSV so that Excel reads it as UTF-8.
const utf8BOM = "\ufeff"

// WriteIndicatorCSV writes an indicator's values for the organisation as
// CSV: Columns, one row per year and gender (see rows).
func WriteIndicatorCSV(w io.Writer, d IndicatorData, dialect Dialect) error {
	cw, err := newCSV(w, dialect)
	if err != nil {
		return err
	}
	if err := cw.Write(Columns); err != nil {
		return err
	}
	for _, r := range rows(d.Indicator, d.Org.Code, d.Observations) {
		if err := cw.Write(record(d.Indicator, d.Org.Code, r, dialect)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteDocumentCSV writes the values of every indicator the document uses
// (its own, its areas', its targets' and their reference series) in long
// form: "document" and then Columns. Statuses are in the JSON file only.
func WriteDocumentCSV(w io.Writer, d DocumentData, dialect Dialect) error {
	cw, err := newCSV(w, dialect)
	if err != nil {
		return err
	}
	if err := cw.Write(append([]string{"document"}, Columns...)); err != nil {
		return err
	}
	for _, ind := range documentIndicators(d) {
		for _, r := range rows(ind, d.Org.Code, d.Observations) {
			if err := cw.Write(append([]string{d.Document.Key}, record(ind, d.Org.Code, r, dialect)...)); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

func newCSV(w io.Writer, dialect Dialect) (*csv.Writer, error) {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true // RFC 4180 ends lines with CRLF; Excel does too
	if dialect == Excel {
		if _, err := io.WriteString(w, utf8BOM); err != nil {
			return nil, err
		}
		cw.Comma = ';'
	}
	return cw, nil
}

// record is a row's cells in Columns' order.
func record(ind strategy.Indicator, org string, r row, dialect Dialect) []string {
	rec := []string{ind.Key, ind.Title, org, strconv.Itoa(r.Year), string(r.Gender), "", ind.Unit, "", "", "", ""}
	if o := r.Obs; o != nil {
		if o.Value != nil {
			rec[5] = formatValue(*o.Value, dialect)
		}
		rec[7] = o.Status
		rec[8] = strconv.FormatBool(o.Preliminary)
		rec[9] = o.Source
		rec[10] = Attribution(ind, o.Source)
	}
	return rec
}

// formatValue writes a value in full precision, the shortest form that
// reads back as the same number, with the dialect's decimal separator and
// no grouping.
func formatValue(v float64, dialect Dialect) string {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if dialect == Excel {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}
