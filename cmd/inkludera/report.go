package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/inkludera/inkludera/internal/report"
	"github.com/inkludera/inkludera/internal/strategy"
)

const reportUsage = `Usage:
  inkludera report --org CODE --document KEY --year YYYY [--since YYYY] [--format html] [-o FILE]

Makes the yearly follow-up report of a governing document: every target
judged on the values up to YYYY with its explanation, chart and table, what
improved and slipped since the year before, the action plans of YYYY with
their late activities, the sources and the method. --since makes it a deep
follow-up that sets the statuses of every year from that one side by side.
Without -o, or with -o -, the report goes to standard output; a file is
written whole or not at all.

Formats: html (a standalone page with an A4 print stylesheet). pdf, docx
and xlsx are not available yet.
`

// reportFormats are the formats inkludera report writes now.
var reportFormats = map[string]func(io.Writer, *report.FollowUp) error{
	"html": report.RenderHTML,
}

// reportToday is the report's date; tests fix it.
var reportToday = func() strategy.Date { return strategy.DateOf(time.Now()) }

func runReport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	f := newFlags("report", getenv, stderr)
	f.Usage = func() { fmt.Fprint(stderr, reportUsage); f.PrintDefaults() }
	db := f.dbFlag()
	org := f.string("org", "", "organisation code, e.g. 2380 (required)")
	doc := f.string("document", "", "key of the document to follow up (required)")
	yearFlag := f.string("year", "", "the follow-up year, YYYY (required)")
	sinceFlag := f.string("since", "", "first year of a deep follow-up, YYYY (default: a yearly follow-up)")
	format := f.string("format", "html", "html; pdf, docx and xlsx are not available yet")
	out := f.String("o", "", "write to this file; - or none: standard output")
	if err := f.parse(args); err != nil {
		return err
	}
	if f.NArg() > 0 {
		return usageError{fmt.Sprintf("report takes no arguments, got %q", f.Arg(0))}
	}
	for _, req := range []struct{ value, msg string }{
		{*org, "report needs --org CODE"},
		{*doc, "report needs --document KEY"},
		{*yearFlag, "report needs --year YYYY"},
	} {
		if req.value == "" {
			fmt.Fprint(stderr, reportUsage)
			return usageError{req.msg}
		}
	}
	year, err := parseYear("--year", *yearFlag)
	if err != nil {
		return err
	}
	since := 0
	if *sinceFlag != "" {
		if since, err = parseYear("--since", *sinceFlag); err != nil {
			return err
		}
	}
	render, ok := reportFormats[*format]
	switch {
	case ok:
	case *format == "pdf" || *format == "docx" || *format == "xlsx":
		return usageError{fmt.Sprintf("--format %s: pdf, docx and xlsx are not available yet; the format available now is html", *format)}
	default:
		return usageError{fmt.Sprintf("--format %q is not a report format; the format available now is html (pdf, docx and xlsx are not available yet)", *format)}
	}

	start := time.Now()
	st, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	fmt.Fprintf(stderr, "Reading data and judging the targets for %d…\n", year)
	fu, err := report.Build(ctx, st, *org, *doc, year, since, reportToday())
	if err != nil {
		return err
	}
	s := fu.Summary
	fmt.Fprintf(stderr, "%s, %s: %d targets, %d improved and %d slipped since %d, %d action plans for %d.\n",
		fu.Organisation.Name, fu.Document.Title, s.RollUp.Total, len(s.Improved), len(s.Slipped), s.PreviousYear, len(fu.ActionPlans), year)
	fmt.Fprintf(stderr, "Rendering %s…\n", *format)
	write := func(w io.Writer) error { return render(w, fu) }
	if *out == "" || *out == "-" {
		if err := write(stdout); err != nil {
			return err
		}
	} else {
		if err := writeFileAtomically(*out, write); err != nil {
			return err
		}
		if fi, err := os.Stat(*out); err == nil {
			fmt.Fprintf(stderr, "Wrote %s (%d bytes).\n", *out, fi.Size())
		}
	}
	fmt.Fprintf(stderr, "Done in %s.\n", time.Since(start).Round(time.Millisecond))
	return nil
}

// parseYear reads a four-digit year from a flag.
func parseYear(flag, v string) (int, error) {
	y, err := strconv.Atoi(v)
	if err != nil || len(v) != 4 || v[0] < '1' || v[0] > '9' {
		return 0, usageError{fmt.Sprintf("%s %q is not a year (YYYY)", flag, v)}
	}
	return y, nil
}
