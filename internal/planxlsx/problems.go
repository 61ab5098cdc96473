package planxlsx

import (
	"fmt"
	"strings"
)

// Problem is one mistake found in an imported sheet.
type Problem struct {
	// Row is the 1-based row of the sheet; 0 when the problem concerns the
	// file as a whole.
	Row int
	// Column is the Swedish header of the column, e.g. "Tid"; "" when the
	// problem concerns a row or the file.
	Column string
	// Cell is the cell reference, e.g. "C7"; "" when not about one cell.
	Cell string
	// English and Swedish are whole sentences that start with the place
	// ("C7 (Tid): …", "Rad 7: …") so that they can be listed as they are.
	English, Swedish string
}

// Problems is every mistake found in one file; Import returns it so that
// the editor can correct them all at once.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.English
	}
	n := "1 problem"
	if len(ps) != 1 {
		n = fmt.Sprintf("%d problems", len(ps))
	}
	return "planxlsx: " + n + ": " + strings.Join(lines, "; ")
}

// Swedish lists the problems in Swedish, one per line.
func (ps Problems) Swedish() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.Swedish
	}
	return strings.Join(lines, "\n")
}

// collector gathers problems while a sheet is read.
type collector struct{ ps Problems }

// file records a problem with the file as a whole.
func (c *collector) file(en, sv string) {
	c.ps = append(c.ps, Problem{English: en, Swedish: sv})
}

// cell records a problem with one cell; en and sv complete "<where>: ".
func (c *collector) cell(row int, column, ref, en, sv string) {
	c.ps = append(c.ps, Problem{
		Row: row, Column: column, Cell: ref,
		English: fmt.Sprintf("%s (%s): %s", ref, column, en),
		Swedish: fmt.Sprintf("%s (%s): %s", ref, column, sv),
	})
}
