package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/inkludera/inkludera/internal/strategy"
	"github.com/inkludera/inkludera/internal/strategyfile"
)

// problemsError is a set of file problems already printed; it only carries
// the count for the final line.
type problemsError struct{ n int }

func (e problemsError) Error() string {
	if e.n == 1 {
		return "1 problem"
	}
	return fmt.Sprintf("%d problems", e.n)
}

// printProblems prints file problems one a line and returns problemsError,
// or returns err unchanged if it is something else.
func printProblems(err error, w io.Writer) error {
	var probs strategyfile.Problems
	if !errors.As(err, &probs) {
		return err
	}
	for _, p := range probs {
		fmt.Fprintln(w, p.String())
	}
	return problemsError{len(probs)}
}

func runValidate(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	f := newFlags("validate", getenv, stderr)
	if err := f.parse(args); err != nil {
		return err
	}
	if f.NArg() == 0 {
		return usageError{"validate needs at least one FILE"}
	}
	bundles, err := strategyfile.LoadFiles(f.Args(), nil)
	if err != nil {
		return printProblems(err, stderr)
	}
	fmt.Fprintf(stdout, "%d files OK: %s\n", f.NArg(), contents(bundles))
	return nil
}

func runImport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	f := newFlags("import", getenv, stderr)
	db := f.dbFlag()
	if err := f.parse(args); err != nil {
		return err
	}
	if f.NArg() == 0 {
		return usageError{"import needs at least one FILE"}
	}
	var obsFiles int
	for _, name := range f.Args() {
		if isObservationFile(name) {
			obsFiles++
		}
	}
	if obsFiles > 0 && obsFiles < f.NArg() {
		return usageError{"import strategy files (YAML) and observation files (CSV, XLSX) in separate commands: they are stored in different ways"}
	}
	st, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	if obsFiles > 0 {
		return importObservations(ctx, st, f.Args(), stdout, stderr)
	}

	start := time.Now()
	fmt.Fprintf(stderr, "Reading %d files…\n", f.NArg())
	known := func(key string) bool {
		_, err := st.Indicator(ctx, key)
		return err == nil
	}
	bundles, err := strategyfile.LoadFiles(f.Args(), known)
	if err != nil {
		err = printProblems(err, stderr)
		return fmt.Errorf("nothing imported: %w", err)
	}
	fmt.Fprintf(stderr, "Storing %s…\n", contents(bundles))
	summary, err := st.Import(ctx, bundles)
	if err != nil {
		return fmt.Errorf("nothing imported: %w", err)
	}
	fmt.Fprint(stdout, describe(summary))
	if !summary.Modified() {
		fmt.Fprintln(stdout, "Nothing changed.")
	}
	fmt.Fprintf(stderr, "Done in %s.\n", time.Since(start).Round(time.Millisecond))
	return nil
}

func runExport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	f := newFlags("export", getenv, stderr)
	db := f.dbFlag()
	org := f.String("org", "", "organisation code, e.g. 2380 (required)")
	doc := f.String("document", "", "key of one document (default: all of the organisation's)")
	out := f.String("o", "", "write to this file instead of standard output")
	if err := f.parse(args); err != nil {
		return err
	}
	if *org == "" {
		return usageError{"export needs --org CODE"}
	}
	if f.NArg() > 0 {
		return usageError{fmt.Sprintf("export takes no arguments, got %q", f.Arg(0))}
	}
	st, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	bundles, err := st.Export(ctx, *org, *doc)
	if err != nil {
		return err
	}
	if *out == "" || *out == "-" {
		return strategyfile.Encode(stdout, bundles)
	}
	return writeFileAtomically(*out, func(w io.Writer) error { return strategyfile.Encode(w, bundles) })
}

// writeFileAtomically writes to a temporary file beside path and renames it
// into place, so a failed export never leaves half a file.
func writeFileAtomically(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// contents counts what bundles hold, for progress lines.
func contents(bundles []strategy.Bundle) string {
	var docs, inds, obs int
	for _, b := range bundles {
		if b.Document != nil {
			docs++
		}
		inds += len(b.Indicators)
		obs += len(b.Observations)
	}
	return fmt.Sprintf("%d documents, %d indicators, %d observations", docs, inds, obs)
}
