package main

import (
	"bytes"
	"fmt"
	"io"
	"os"

	"github.com/inkludera/inkludera/internal/doctext"
	"github.com/inkludera/inkludera/internal/extract"
)

// runExtract reads a strategy document (text, Markdown, PDF or DOCX) and
// writes a draft strategy file for review to stdout, and a summary of what
// it found to stderr.
func runExtract(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	f := newFlags("extract", getenv, stderr)
	org := f.String("org", "", "kommun or region code the document belongs to, e.g. 2380 (default: read from the text)")
	if err := f.parse(args); err != nil {
		return err
	}
	if f.NArg() != 1 {
		return usageError{"extract needs exactly one FILE"}
	}
	name := f.Arg(0)
	data, err := os.ReadFile(name)
	if err != nil {
		return err // names the file
	}
	text, err := doctext.Extract(name, data)
	if err != nil {
		return err // *doctext.Error names the file
	}
	draft := extract.FromText(text.String(), text.Title)
	if *org != "" {
		if err := draft.SetOrganisation(*org); err != nil {
			return usageError{"--org: " + err.Error()}
		}
	}
	out, err := draft.File()
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if _, err := stdout.Write(out); err != nil {
		return err
	}
	c := draft.Counts()
	checks := bytes.Count(out, []byte(extract.CheckMark))
	fmt.Fprintf(stderr, "%s: %s, %s, %s, %s, %s; check %s marked Kontrollera\n", name,
		extractCount(c.Areas, "area", "areas"), extractCount(c.Goals, "goal", "goals"), extractCount(c.Targets, "target", "targets"),
		extractCount(c.Commitments, "commitment", "commitments"), extractCount(c.Definitions, "definition", "definitions"),
		extractCount(checks, "item", "items"))
	return nil
}

func extractCount(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
