// Package strategyfile reads and writes the YAML strategy file described in
// docs/strategy-file.md: decoding keeps line numbers so that every problem
// can be reported as file:line:col, and encoding writes what decoding reads.
package strategyfile

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Problem is one thing wrong with a file, located as precisely as the
// input allows.
type Problem struct {
	File    string
	Line    int
	Column  int
	Message string
}

func (p Problem) String() string {
	switch {
	case p.Line == 0:
		return fmt.Sprintf("%s: %s", p.File, p.Message)
	case p.Column == 0:
		return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Message)
	}
	return fmt.Sprintf("%s:%d:%d: %s", p.File, p.Line, p.Column, p.Message)
}

// Problems is every problem found in a set of files; it is the error that
// Load returns when anything is wrong.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// sorted orders problems by file, line and column and drops exact repeats.
func (ps Problems) sorted() Problems {
	slices.SortStableFunc(ps, func(a, b Problem) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column))
	})
	return slices.Compact(ps)
}

// yamlLine finds the "line N:" that yaml.v3 puts in its messages.
// Our own row decoder adds "column N:" after it.
var yamlLine = regexp.MustCompile(`^(?:yaml: )?line (\d+): (?:column (\d+): )?(.*)$`)

// fromYAMLMessage turns a yaml.v3 error message into a Problem.
func fromYAMLMessage(file, msg string) Problem {
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		col, _ := strconv.Atoi(m[2])
		return Problem{File: file, Line: line, Column: col, Message: m[3]}
	}
	return Problem{File: file, Message: strings.TrimPrefix(msg, "yaml: ")}
}
