package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/inkludera/inkludera/internal/store"
	"github.com/inkludera/inkludera/internal/strategy"
)

const usage = `Inkludera — governing and following up integration strategies.

Usage:
  inkludera serve    [--addr ADDR] [--db DB] [--no-demo] … run the web server
  inkludera validate FILE...                               check strategy files
  inkludera import   [--db DB] FILE...                     store strategy files (one transaction)
  inkludera extract  [--org CODE] FILE                     draft a strategy file from a document's text (txt, md, pdf, docx)
  inkludera export   [--db DB] --org CODE [--document KEY] [-o FILE]
                                                           write an organisation's content as YAML
  inkludera fetch    kolada|scb|--all [--org CODES] …      fetch indicator values from Kolada and SCB
  inkludera report   --org CODE --document KEY --year YYYY [--since YYYY] [--format pdf|docx|xlsx|html|json] [-o FILE]
                                                           write the yearly follow-up report
  inkludera report   approve|list|get …                    approve (freeze) a report, list approved ones, get a frozen file
  inkludera user     add|passwd|list|token …               manage accounts (password on standard input) and API tokens
  inkludera demo     national [--db DB] [--observations N] [--seed S] [--from YEAR] [--years N]
                                                           generate the national demo: 290 kommuner, 21 regioner
  inkludera backup   [--db DB] -o FILE                     write a consistent copy of the database
  inkludera restore  [--db DB] FILE                        replace the database's content with a backup
  inkludera library  add|list|search|reindex …              the strategy library: documents of every municipality
  inkludera version                                        print the version

Every flag can also be set with an environment variable, shown in each
command's -h. DB is a file path or sqlite:PATH (default ./inkludera.db), or a
PostgreSQL URL postgres://USER:PASSWORD@HOST/DATABASE for several servers.
`

// usageError is a mistake in the command line; it exits with status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// exitCode maps an error to the process exit status.
func exitCode(err error) int {
	var u usageError
	if errors.As(err, &u) {
		return 2
	}
	return 1
}

// run is the whole program, given its arguments and environment, so that
// tests can run it in-process. It has no standard input: commands that
// read one (user add, user passwd) find it empty.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return runWithStdin(ctx, args, getenv, nil, stdout, stderr)
}

// runWithStdin is run with a standard input; nil is none.
func runWithStdin(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return usageError{}
	}
	cmd, rest := args[0], args[1:]
	if cmd != "serve" {
		// Changes made from the command line are the CLI's in the audit
		// trail; the server's requests name their users.
		ctx = strategy.WithActor(ctx, strategy.Actor{Name: "cli", Via: "cli"})
	}
	switch cmd {
	case "serve":
		return runServe(ctx, rest, getenv, stdout, stderr)
	case "validate":
		return runValidate(rest, getenv, stdout, stderr)
	case "import":
		return runImport(ctx, rest, getenv, stdout, stderr)
	case "extract":
		return runExtract(rest, getenv, stdout, stderr)
	case "export":
		return runExport(ctx, rest, getenv, stdout, stderr)
	case "fetch":
		return runFetch(ctx, rest, getenv, stdout, stderr)
	case "report":
		return runReport(ctx, rest, getenv, stdout, stderr)
	case "user":
		return runUser(ctx, rest, getenv, stdin, stdout, stderr)
	case "demo":
		return runDemo(ctx, rest, getenv, stdout, stderr)
	case "backup":
		return runBackup(ctx, rest, getenv, stdout, stderr)
	case "restore":
		return runRestore(ctx, rest, getenv, stdout, stderr)
	case "library":
		return runLibrary(ctx, rest, getenv, stdout, stderr)
	case "version", "--version":
		fmt.Fprintln(stdout, "inkludera", version())
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return usageError{fmt.Sprintf("unknown command %q", cmd)}
}

// flags is a command's flag set whose defaults come from INKLUDERA_*
// environment variables.
type flags struct {
	*flag.FlagSet
	getenv func(string) string
	bad    []string // environment variables that did not parse
}

func newFlags(name string, getenv func(string) string, stderr io.Writer) *flags {
	fs := flag.NewFlagSet("inkludera "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return &flags{FlagSet: fs, getenv: getenv}
}

func envName(flagName string) string {
	return "INKLUDERA_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

func (f *flags) string(name, def, help string) *string {
	if v := f.getenv(envName(name)); v != "" {
		def = v
	}
	return f.String(name, def, fmt.Sprintf("%s (env %s)", help, envName(name)))
}

func (f *flags) bool(name string, def bool, help string) *bool {
	if v := f.getenv(envName(name)); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			f.bad = append(f.bad, fmt.Sprintf("%s=%q is not true or false", envName(name), v))
		}
		def = b
	}
	return f.Bool(name, def, fmt.Sprintf("%s (env %s)", help, envName(name)))
}

func (f *flags) duration(name string, def time.Duration, help string) *time.Duration {
	if v := f.getenv(envName(name)); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			f.bad = append(f.bad, fmt.Sprintf("%s=%q is not a duration such as 24h or 30m", envName(name), v))
		}
		def = d
	}
	return f.Duration(name, def, fmt.Sprintf("%s (env %s)", help, envName(name)))
}

// dbFlag is the database flag every storing command has.
func (f *flags) dbFlag() *string {
	return f.string("db", "./inkludera.db", "database: a file path, sqlite:PATH or postgres://USER:PASSWORD@HOST/DATABASE")
}

func (f *flags) parse(args []string) error {
	if err := f.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return usageError{}
		}
		return usageError{err.Error()}
	}
	if len(f.bad) > 0 {
		return usageError{strings.Join(f.bad, "; ")}
	}
	return nil
}

// openStore opens the database named by a --db value.
func openStore(ctx context.Context, dsn string) (*store.Store, error) {
	st, err := store.Open(ctx, dsn)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", store.Redact(dsn), err)
	}
	return st, nil
}

// newLogger returns the JSON logger of the server; level is debug, info,
// warn or error.
func newLogger(w io.Writer, level string) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, usageError{fmt.Sprintf("log level %q is not debug, info, warn or error", level)}
	}
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l})), nil
}

// describe summarises an import for people.
func describe(s strategy.ImportSummary) string {
	kinds := []string{"organisations", "bodies", "indicators", "documents", "areas", "goals", "targets",
		"commitments", "responsibilities", "terms", "action_plans", "activities", "observations"}
	var b strings.Builder
	for _, k := range kinds {
		c, ok := s[k]
		if !ok {
			continue
		}
		fmt.Fprintf(&b, "  %-17s %7d added %7d changed %7d deleted %7d unchanged\n", k, c.Added, c.Changed, c.Deleted, c.Unchanged)
	}
	return b.String()
}

func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown)"
	}
	v := info.Main.Version
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			v += " " + s.Value[:12]
		}
	}
	return v
}
