package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/inkludera/inkludera/internal/report"
	"github.com/inkludera/inkludera/internal/report/chromiumpdf"
	"github.com/inkludera/inkludera/internal/report/reportfiles"
	"github.com/inkludera/inkludera/internal/strategy"
)

const reportUsage = `Usage:
  inkludera report --org CODE --document KEY --year YYYY [--since YYYY] [--format FORMAT] [-o FILE]
  inkludera report approve --org CODE --document KEY --year YYYY [--since YYYY] --decision REF [--decided-on DATE]
  inkludera report list --org CODE
  inkludera report get --id N --format FORMAT [-o FILE]

Makes the yearly follow-up report of a governing document: every target
judged on the values up to YYYY with its explanation, chart and table, what
improved and slipped since the year before, the action plans of YYYY with
their late activities, the sources and the method. --since makes it a deep
follow-up that sets the statuses of every year from that one side by side.
Without -o, or with -o -, the report goes to standard output; a file is
written whole or not at all.

Formats: pdf (built in; --pdf-engine chromium prints the HTML through
headless Chromium instead, for a tagged PDF), docx (Word), xlsx (Excel:
targets, values, activities), html (a standalone page with an A4 print
stylesheet), json (the report's content as data). Without --format, the
-o file's extension chooses (-o uppfoljning.pdf), else html.

approve freezes the report as approved by the decision REF ("KS
2022-04-05 § 45"): its content as JSON and every format are stored with
their SHA-256, and nothing done to the data afterwards changes them. A new
approval of the same report is a new version; earlier ones stay. list shows
an organisation's approved reports; get writes one frozen file, checked
against its SHA-256.
`

// reportToday is the report's date; tests fix it.
var reportToday = func() strategy.Date { return strategy.DateOf(time.Now()) }

// reportSpec is what names a report: the flags that make and approve share.
type reportSpec struct {
	org, doc    *string
	year, since *string
}

func (r reportSpec) register(f *flags) reportSpec {
	r.org = f.string("org", "", "organisation code, e.g. 2380 (required)")
	r.doc = f.string("document", "", "key of the document to follow up (required)")
	r.year = f.string("year", "", "the follow-up year, YYYY (required)")
	r.since = f.string("since", "", "first year of a deep follow-up, YYYY (default: a yearly follow-up)")
	return r
}

// parse checks the flags and returns the years.
func (r reportSpec) parse(cmd string, stderr io.Writer) (year, since int, err error) {
	for _, req := range []struct{ value, msg string }{
		{*r.org, cmd + " needs --org CODE"},
		{*r.doc, cmd + " needs --document KEY"},
		{*r.year, cmd + " needs --year YYYY"},
	} {
		if req.value == "" {
			fmt.Fprint(stderr, reportUsage)
			return 0, 0, usageError{req.msg}
		}
	}
	if year, err = parseYear("--year", *r.year); err != nil {
		return 0, 0, err
	}
	if *r.since != "" {
		if since, err = parseYear("--since", *r.since); err != nil {
			return 0, 0, err
		}
	}
	return year, since, nil
}

// build reads the data and judges the targets, telling how it went.
func (r reportSpec) build(ctx context.Context, st strategy.Store, year, since int, stderr io.Writer) (*report.FollowUp, error) {
	fmt.Fprintf(stderr, "Reading data and judging the targets for %d…\n", year)
	fu, err := report.Build(ctx, st, *r.org, *r.doc, year, since, reportToday())
	if err != nil {
		return nil, err
	}
	s := fu.Summary
	fmt.Fprintf(stderr, "%s, %s: %d targets, %d improved and %d slipped since %d, %d action plans for %d.\n",
		fu.Organisation.Name, fu.Document.Title, s.RollUp.Total, len(s.Improved), len(s.Slipped), s.PreviousYear, len(fu.ActionPlans), year)
	return fu, nil
}

func runReport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		switch args[0] {
		case "approve":
			return runReportApprove(ctx, args[1:], getenv, stdout, stderr)
		case "list":
			return runReportList(ctx, args[1:], getenv, stdout, stderr)
		case "get":
			return runReportGet(ctx, args[1:], getenv, stdout, stderr)
		}
	}
	f := newFlags("report", getenv, stderr)
	f.Usage = func() { fmt.Fprint(stderr, reportUsage); f.PrintDefaults() }
	db := f.dbFlag()
	spec := reportSpec{}.register(f)
	formatName := f.string("format", "", "pdf, docx, xlsx, html or json (default: the -o file's extension, else html)")
	engine := f.string("pdf-engine", "builtin", "how a PDF is made: builtin, or chromium (prints the HTML report through headless Chromium)")
	chromium := f.string("chromium", "", "the Chromium program for --pdf-engine chromium (default: chromium, chromium-browser or google-chrome on PATH)")
	out := f.String("o", "", "write to this file; - or none: standard output")
	if err := f.parse(args); err != nil {
		return err
	}
	if f.NArg() > 0 {
		return usageError{fmt.Sprintf("report takes no arguments, got %q (subcommands: approve, list, get)", f.Arg(0))}
	}
	year, since, err := spec.parse("report", stderr)
	if err != nil {
		return err
	}
	switch {
	case *formatName != "":
	case *engine == "chromium":
		*formatName = "pdf" // the engine says what is wanted
	default:
		*formatName = "html"
		if ext := strings.TrimPrefix(filepath.Ext(*out), "."); ext != "" {
			if _, ok := reportfiles.Lookup(strings.ToLower(ext)); ok {
				*formatName = strings.ToLower(ext)
			}
		}
	}
	format, ok := reportfiles.Lookup(*formatName)
	if !ok {
		return usageError{fmt.Sprintf("--format %q is not a report format; the formats are %s", *formatName, reportfiles.Names())}
	}
	render := format.Render
	switch *engine {
	case "builtin":
	case "chromium":
		if format.Name != "pdf" {
			return usageError{fmt.Sprintf("--pdf-engine chromium makes PDF, not %s", format.Name)}
		}
		// Found before the report is built, so a missing Chromium fails at once.
		path, err := chromiumpdf.LookPath(*chromium)
		if err != nil {
			return err
		}
		render = func(w io.Writer, fu *report.FollowUp) error {
			var page bytes.Buffer
			if err := report.RenderHTML(&page, fu); err != nil {
				return err
			}
			return chromiumpdf.Print(ctx, w, page.Bytes(), chromiumpdf.Options{ExecPath: path})
		}
	default:
		return usageError{fmt.Sprintf("--pdf-engine %q: want builtin or chromium", *engine)}
	}

	// One report and the process ends: the renderers' garbage (fpdf makes
	// a zlib writer per page, some 60 MB for a PDF) is cheaper left to the
	// exit than collected every few MB; measured 25 % off the command.
	defer debug.SetGCPercent(debug.SetGCPercent(400))

	start := time.Now()
	st, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	fu, err := spec.build(ctx, st, year, since, stderr)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "Rendering %s…\n", format.Name)
	if err := writeOutput(*out, stdout, stderr, func(w io.Writer) error { return render(w, fu) }); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "Done in %s.\n", time.Since(start).Round(time.Millisecond))
	return nil
}

// writeOutput writes to standard output for "" and "-", else to the file,
// whole or not at all.
func writeOutput(out string, stdout, stderr io.Writer, write func(io.Writer) error) error {
	if out == "" || out == "-" {
		return write(stdout)
	}
	if err := writeFileAtomically(out, write); err != nil {
		return err
	}
	if fi, err := os.Stat(out); err == nil {
		fmt.Fprintf(stderr, "Wrote %s (%d bytes).\n", out, fi.Size())
	}
	return nil
}

func runReportApprove(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	f := newFlags("report approve", getenv, stderr)
	f.Usage = func() { fmt.Fprint(stderr, reportUsage); f.PrintDefaults() }
	db := f.dbFlag()
	spec := reportSpec{}.register(f)
	decision := f.String("decision", "", `the decision that approved the report, e.g. "KS 2022-04-05 § 45" (required)`)
	decidedOn := f.String("decided-on", "", "the date of the decision, YYYY-MM-DD")
	if err := f.parse(args); err != nil {
		return err
	}
	if f.NArg() > 0 {
		return usageError{fmt.Sprintf("report approve takes no arguments, got %q", f.Arg(0))}
	}
	year, since, err := spec.parse("report approve", stderr)
	if err != nil {
		return err
	}
	if strings.TrimSpace(*decision) == "" {
		return usageError{`report approve needs --decision REF, the decision that approved the report ("KS 2022-04-05 § 45")`}
	}
	var on strategy.Date
	if *decidedOn != "" {
		if on, err = strategy.ParseDate(*decidedOn); err != nil {
			return usageError{fmt.Sprintf("--decided-on %q is not a date (YYYY-MM-DD)", *decidedOn)}
		}
	}

	st, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	fu, err := spec.build(ctx, st, year, since, stderr)
	if err != nil {
		return err
	}
	files, err := reportfiles.RenderAll(fu, func(done, total int, next reportfiles.Format) {
		fmt.Fprintf(stderr, "Rendering %s (%d of %d)…\n", next.Name, done+1, total)
	})
	if err != nil {
		return err
	}
	a, err := st.ApproveReport(ctx, strategy.ReportApproval{
		Org: fu.Organisation.Code, Document: fu.Document.Key, DocumentTitle: fu.Document.Title,
		Year: fu.Year, Since: fu.Since, Decision: *decision, DecidedOn: on, Files: files,
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Approved report %d: %s %s, version %d, by %s.\n", a.ID, fu.Document.Title, yearsOf(a), a.Version, a.Decision)
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	for _, file := range a.Files {
		fmt.Fprintf(tw, "  %s\t%d bytes\tsha256:%s\n", file.Name, file.Size, file.SHA256)
	}
	return tw.Flush()
}

// yearsOf is "2021", or "2018–2021" for a deep follow-up.
func yearsOf(a strategy.ReportApproval) string {
	if a.Since > 0 {
		return fmt.Sprintf("%d–%d", a.Since, a.Year)
	}
	return strconv.Itoa(a.Year)
}

func runReportList(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	f := newFlags("report list", getenv, stderr)
	f.Usage = func() { fmt.Fprint(stderr, reportUsage); f.PrintDefaults() }
	db := f.dbFlag()
	org := f.string("org", "", "organisation code, e.g. 2380 (required)")
	if err := f.parse(args); err != nil {
		return err
	}
	if *org == "" {
		return usageError{"report list needs --org CODE"}
	}
	st, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	list, err := st.ReportApprovals(ctx, *org)
	if err != nil {
		return err
	}
	if len(list) == 0 {
		fmt.Fprintf(stderr, "Organisation %s has no approved reports.\n", *org)
		return nil
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tDOCUMENT\tYEARS\tVERSION\tDECISION\tAPPROVED\tFORMATS")
	for _, a := range list {
		version := strconv.Itoa(a.Version)
		if a.SupersededBy != 0 {
			version += fmt.Sprintf(" (superseded by %d)", a.SupersededBy)
		}
		var formats []string
		for _, file := range a.Files {
			formats = append(formats, file.Format)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s by %s\t%s\n", a.ID, a.Document, yearsOf(a), version, a.Decision,
			a.ApprovedAt.Format(time.DateOnly), a.ApprovedBy, strings.Join(formats, ","))
	}
	return tw.Flush()
}

func runReportGet(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	f := newFlags("report get", getenv, stderr)
	f.Usage = func() { fmt.Fprint(stderr, reportUsage); f.PrintDefaults() }
	db := f.dbFlag()
	idFlag := f.String("id", "", "the approved report's id, from report list (required)")
	format := f.String("format", "pdf", "json, pdf, docx, xlsx or html")
	out := f.String("o", "", "write to this file; - or none: standard output")
	if err := f.parse(args); err != nil {
		return err
	}
	id, err := strconv.ParseInt(*idFlag, 10, 64)
	if err != nil || id <= 0 {
		return usageError{fmt.Sprintf("report get needs --id N, the approved report's id; %q is not one", *idFlag)}
	}
	st, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	file, err := st.ReportFile(ctx, id, *format)
	if err != nil {
		return err
	}
	// The stored sum is what was approved: a file that no longer matches
	// it is not handed out as the approved report.
	if sum := sha256.Sum256(file.Content); hex.EncodeToString(sum[:]) != file.SHA256 {
		return fmt.Errorf("approved report %d: the stored %s file does not match its SHA-256 %s; the database has been altered", id, file.Format, file.SHA256)
	}
	return writeOutput(*out, stdout, stderr, func(w io.Writer) error {
		_, err := w.Write(file.Content)
		return err
	})
}

// parseYear reads a four-digit year from a flag.
func parseYear(flag, v string) (int, error) {
	y, err := strconv.Atoi(v)
	if err != nil || len(v) != 4 || v[0] < '1' || v[0] > '9' {
		return 0, usageError{fmt.Sprintf("%s %q is not a year (YYYY)", flag, v)}
	}
	return y, nil
}
