package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/inkludera/inkludera/internal/fetch"
	"github.com/inkludera/inkludera/internal/kolada"
	"github.com/inkludera/inkludera/internal/scb"
	"github.com/inkludera/inkludera/internal/strategy"
)

const fetchUsage = `Usage:
  inkludera fetch kolada [--org CODES] [--kpi IDS] [--since DATE | --full]
  inkludera fetch scb    [--org CODES] [--table IDS]
  inkludera fetch --all  [--org CODES] [--full]

Fetches the values of every indicator whose source is kolada:<KPI> or
scb:<table>, for the given organisations (default: every stored one), and
stores each source's run in one transaction: a failed fetch changes nothing.
Kolada runs are incremental (values changed since the last successful run)
unless --full or --since is given.
`

// sourceFlags are the source URL flags that fetch and serve share.
type sourceFlags struct{ kolada, scb *string }

func (f *flags) sources() sourceFlags {
	return sourceFlags{
		kolada: f.string("kolada-url", kolada.DefaultBaseURL, "Kolada API base URL"),
		scb:    f.string("scb-url", scb.DefaultBaseURL, "SCB PxWebApi 2.0 base URL"),
	}
}

func (s sourceFlags) fetcher(st strategy.Store) *fetch.Fetcher {
	return &fetch.Fetcher{Store: st, Kolada: kolada.New(*s.kolada), SCB: scb.New(*s.scb)}
}

func runFetch(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	source := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		source, args = args[0], args[1:]
	}
	f := newFlags("fetch", getenv, stderr)
	f.Usage = func() { fmt.Fprint(stderr, fetchUsage); f.PrintDefaults() }
	db := f.dbFlag()
	urls := f.sources()
	all := f.Bool("all", false, "fetch from every source")
	orgs := f.String("org", "", "comma-separated organisation codes (default: every stored organisation)")
	kpis := f.String("kpi", "", "kolada: comma-separated KPI ids (default: every Kolada indicator)")
	tables := f.String("table", "", "scb: comma-separated table ids (default: every SCB indicator)")
	since := f.String("since", "", "kolada: only values changed since this date (YYYY-MM-DD)")
	full := f.Bool("full", false, "fetch everything, not only what changed since the last run")
	if err := f.parse(args); err != nil {
		return err
	}
	switch {
	case f.NArg() > 0:
		return usageError{fmt.Sprintf("fetch takes no arguments after the flags, got %q", f.Arg(0))}
	case *all && source != "":
		return usageError{"give either a source (kolada, scb) or --all"}
	case !*all && source != "kolada" && source != "scb":
		fmt.Fprint(stderr, fetchUsage)
		return usageError{"fetch needs a source (kolada or scb) or --all"}
	case *kpis != "" && source != "kolada":
		return usageError{"--kpi goes with fetch kolada"}
	case *tables != "" && source != "scb":
		return usageError{"--table goes with fetch scb"}
	case *since != "" && *full:
		return usageError{"give --since or --full, not both"}
	}
	req := fetch.Request{Orgs: splitList(*orgs), Full: *full}
	if *since != "" {
		d, err := time.Parse(time.DateOnly, *since)
		if err != nil {
			return usageError{fmt.Sprintf("--since %q is not a date (YYYY-MM-DD)", *since)}
		}
		req.Since = d
	}
	req.Only = splitList(*kpis + "," + *tables)

	st, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	fetcher := urls.fetcher(st)
	fetcher.Progress = newProgressBar(stderr).show

	var runs []strategy.SourceRun
	switch source {
	case "kolada":
		var run strategy.SourceRun
		run, err = fetcher.FetchKolada(ctx, req)
		runs = append(runs, run)
	case "scb":
		var run strategy.SourceRun
		run, err = fetcher.FetchSCB(ctx, req)
		runs = append(runs, run)
	default:
		runs, err = fetcher.All(ctx, req)
	}
	for _, r := range runs {
		printRun(stdout, r)
	}
	if len(runs) == 0 || (len(runs) == 1 && runs[0].Source == "") {
		fmt.Fprintln(stdout, "No indicator has a source to fetch from (kolada:<KPI> or scb:<table>).")
	}
	return err
}

// printRun summarises a run: its outcome and what it changed.
func printRun(w io.Writer, r strategy.SourceRun) {
	if r.Source == "" {
		return
	}
	took := r.FinishedAt.Sub(r.StartedAt).Round(time.Millisecond)
	if r.Outcome == strategy.RunFailed {
		fmt.Fprintf(w, "%s: FAILED after %s, nothing stored: %s\n", r.Source, took, r.Error)
	} else {
		c := r.Changes
		fmt.Fprintf(w, "%s: %d added, %d changed, %d deleted, %d unchanged (%d requests, %s)\n",
			r.Source, c.Added, c.Changed, c.Deleted, c.Unchanged, r.Requests, took)
	}
	for _, warning := range r.Warnings {
		fmt.Fprintf(w, "  warning: %s\n", warning)
	}
}

// splitList splits a comma-separated flag value, dropping empty parts.
func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if p := strings.TrimSpace(part); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// progressBar draws fetch progress on a terminal, or writes a line per step
// elsewhere (logs, CI), where carriage returns would be noise.
type progressBar struct {
	w        io.Writer
	terminal bool
}

func newProgressBar(w io.Writer) *progressBar {
	f, ok := w.(*os.File)
	terminal := false
	if ok {
		if fi, err := f.Stat(); err == nil {
			terminal = fi.Mode()&os.ModeCharDevice != 0
		}
	}
	return &progressBar{w: w, terminal: terminal}
}

func (p *progressBar) show(s fetch.Step) {
	if s.Total == 0 {
		return
	}
	const width = 30
	filled := width * s.Done / s.Total
	if !p.terminal {
		if s.Done < s.Total {
			fmt.Fprintf(p.w, "%s %d/%d %s\n", s.Source, s.Done+1, s.Total, s.What)
		}
		return
	}
	fmt.Fprintf(p.w, "\r%-6s [%s%s] %d/%d %-12s", s.Source,
		strings.Repeat("#", filled), strings.Repeat(".", width-filled), s.Done, s.Total, s.What)
	if s.Done == s.Total {
		fmt.Fprintln(p.w)
	}
}
