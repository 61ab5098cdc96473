package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/inkludera/inkludera/internal/obsfile"
	"github.com/inkludera/inkludera/internal/strategy"
)

// isObservationFile tells observation files (CSV, XLSX) from strategy files.
func isObservationFile(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv", ".tsv", ".txt", ".xlsx":
		return true
	}
	return false
}

// importObservations reads observation files and stores them as one run
// of the source "file": every problem in every file is listed, and if there
// is any, nothing is stored.
func importObservations(ctx context.Context, st strategy.Store, names []string, stdout, stderr io.Writer) error {
	start := time.Now()
	fmt.Fprintf(stderr, "Reading %d files…\n", len(names))
	var obs []strategy.Observation
	var problems obsfile.Problems
	indicators := map[string]*strategy.Indicator{}
	lookup := func(key string) (*strategy.Indicator, error) {
		if ind, ok := indicators[key]; ok {
			return ind, nil
		}
		ind, err := st.Indicator(ctx, key)
		if strategy.CodeOf(err) == strategy.CodeNotFound {
			indicators[key] = nil
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		indicators[key] = &ind
		return &ind, nil
	}
	for _, name := range names {
		data, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		d, probs := obsfile.Parse(name, data, obsfile.Options{})
		problems = append(problems, probs...)
		at := func(i int, column string, kind obsfile.Kind, value string) obsfile.Problem {
			p := d.At(i, column, kind, value)
			p.File = name
			return p
		}
		for i, o := range d.Observations {
			ind, err := lookup(o.Indicator)
			switch {
			case err != nil:
				return err
			case ind == nil:
				problems = append(problems, at(i, "indicator", obsfile.KindUnknownIndicator, o.Indicator))
			case o.Gender != strategy.Total && !ind.ByGender():
				problems = append(problems, at(i, "gender", obsfile.KindNoGenderBreakdown, o.Indicator))
			}
			if o.Source == "" {
				o.Source = "file"
			}
			obs = append(obs, o)
		}
	}
	if len(problems) > 0 {
		// The file's own problems come first, the store's checks after:
		// a person reads them best in row order.
		slices.SortStableFunc(problems, func(a, b obsfile.Problem) int {
			return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Row, b.Row), cmp.Compare(a.ColumnIndex, b.ColumnIndex))
		})
		for _, p := range problems {
			fmt.Fprintf(stderr, "%s: %s\n", p.File, p.English())
		}
		return fmt.Errorf("nothing imported: %w", problemsError{len(problems)})
	}
	fmt.Fprintf(stderr, "Storing %d observations…\n", len(obs))
	bases := make([]string, len(names))
	for i, n := range names {
		bases[i] = filepath.Base(n)
	}
	run, err := st.ApplySourceRun(ctx, strategy.SourceRun{
		Source: "file", Scope: strings.Join(bases, ", "), StartedAt: start, FinishedAt: time.Now(),
	}, obs, nil)
	if err != nil {
		return fmt.Errorf("nothing imported: %w", err)
	}
	c := run.Changes
	fmt.Fprintf(stdout, "observations: %d added, %d changed, %d unchanged\n", c.Added, c.Changed, c.Unchanged)
	fmt.Fprintf(stderr, "Done in %s.\n", time.Since(start).Round(time.Millisecond))
	return nil
}
