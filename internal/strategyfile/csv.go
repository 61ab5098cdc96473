package strategyfile

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/inkludera/inkludera/internal/strategy"
)

// csvColumns are the columns an observation file may have; the first five
// are required.
var csvColumns = []string{"org", "indicator", "year", "gender", "value", "status", "preliminary", "source"}

// readCSV reads an observation file: a header row, then one observation a
// row. An empty org cell means defaultOrg; an empty value is missing.
func readCSV(name string, data []byte, defaultOrg string) ([]strategy.Observation, []func(string) Problem, Problems) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return nil, nil, Problems{{File: name, Line: 1, Message: "no header row: " + csvError(err)}}
	}
	col := map[string]int{}
	var problems Problems
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if !isCSVColumn(h) {
			problems = append(problems, Problem{File: name, Line: 1, Column: i + 1, Message: fmt.Sprintf("unknown column %q (known: %s)", h, strings.Join(csvColumns, ", "))})
			continue
		}
		col[h] = i
	}
	for _, req := range csvColumns[:5] {
		if _, ok := col[req]; !ok {
			problems = append(problems, Problem{File: name, Line: 1, Message: fmt.Sprintf("the header has no %q column", req)})
		}
	}
	if len(problems) > 0 {
		return nil, nil, problems
	}
	var obs []strategy.Observation
	var locate []func(string) Problem
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			problems = append(problems, Problem{File: name, Line: line, Message: csvError(err)})
			if _, ok := err.(*csv.ParseError); ok && len(rec) == 0 {
				break
			}
			continue
		}
		cell := func(c string) string {
			if i, ok := col[c]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		at := func(c string, msg string) Problem {
			return Problem{File: name, Line: line, Column: col[c] + 1, Message: msg}
		}
		o := strategy.Observation{
			Org:       cell("org"),
			Indicator: cell("indicator"),
			Gender:    strategy.Gender(strings.ToUpper(cell("gender"))),
			Status:    cell("status"),
			Source:    cell("source"),
		}
		if o.Org == "" {
			o.Org = defaultOrg
		}
		y, err := strconv.Atoi(cell("year"))
		if err != nil {
			problems = append(problems, at("year", fmt.Sprintf("year: %q is not a whole number", cell("year"))))
		}
		o.Year = y
		if v := cell("value"); v != "" {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
				problems = append(problems, at("value", fmt.Sprintf("value: %q is not a number (use a decimal point; leave empty for missing)", v)))
			} else {
				o.Value = &f
			}
		}
		if p := cell("preliminary"); p != "" {
			b, err := strconv.ParseBool(p)
			if err != nil {
				problems = append(problems, at("preliminary", fmt.Sprintf("preliminary: %q must be true or false", p)))
			}
			o.Preliminary = b
		}
		obs = append(obs, o)
		locate = append(locate, func(field string) Problem {
			if _, ok := col[field]; !ok {
				field = "value"
			}
			return at(field, "")
		})
	}
	return obs, locate, problems
}

func isCSVColumn(h string) bool {
	for _, c := range csvColumns {
		if c == h {
			return true
		}
	}
	return false
}

func csvError(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
