package strategyfile

import (
	"github.com/inkludera/inkludera/internal/obsfile"
	"github.com/inkludera/inkludera/internal/strategy"
)

// readObservationFile reads a CSV or XLSX file of observations (see package
// obsfile). An empty org cell means defaultOrg. Besides the observations it
// returns, for each, a function that points a field's problem at its cell,
// so that validation against the other files can name the row.
func readObservationFile(name string, data []byte, defaultOrg string) ([]strategy.Observation, []func(string) Problem, Problems) {
	d, probs := obsfile.Parse(name, data, obsfile.Options{DefaultOrg: defaultOrg})
	var problems Problems
	for _, p := range probs {
		msg := p.EnglishText()
		if p.Column != "" {
			msg = p.Column + ": " + msg
		}
		problems = append(problems, Problem{File: name, Line: p.Line, Column: p.ColumnIndex, Message: msg})
	}
	locate := make([]func(string) Problem, len(d.Observations))
	for i := range d.Observations {
		line := d.Lines[i]
		locate[i] = func(field string) Problem {
			// A column the file leaves out (org, with a default) has
			// index 0, and the problem names the line alone.
			return Problem{File: name, Line: line, Column: d.Columns[field]}
		}
	}
	return d.Observations, locate, problems
}
