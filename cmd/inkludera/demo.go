package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/inkludera/inkludera/internal/nation"
	"github.com/inkludera/inkludera/internal/store"
	"github.com/inkludera/inkludera/internal/strategy"
)

// runDemo handles "inkludera demo national": the national demonstration
// data of internal/nation stored through the ordinary import.
func runDemo(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "national" {
		return usageError{"demo needs what to generate: inkludera demo national [--db DB] [--observations N]"}
	}
	f := newFlags("demo national", getenv, stderr)
	db := f.dbFlag()
	observations := f.integer("observations", 0,
		"about this many observations, made by adding indicators to the 60 of the default (0: the 60)")
	seed := f.integer("seed", 1, "the seed: the same seed and flags give the same data")
	from := f.integer("from", nation.DefaultFrom, "first year")
	years := f.integer("years", nation.DefaultYears, "number of years")
	if err := f.parse(args[1:]); err != nil {
		return err
	}
	if f.NArg() > 0 {
		return usageError{fmt.Sprintf("demo national takes no arguments, got %q", f.Args())}
	}
	if *observations < 0 || *seed < 0 {
		return usageError{"--observations and --seed cannot be negative"}
	}
	cfg := nation.Config{Seed: uint64(*seed), From: *from, Years: *years}
	if *observations > 0 {
		n, err := nation.IndicatorsFor(*observations, *years)
		if err != nil {
			return usageError{err.Error()}
		}
		cfg.Indicators = n
	}
	gen, err := nation.New(cfg)
	if err != nil {
		return usageError{err.Error()}
	}
	st, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	return storeNational(ctx, st, gen, stdout, stderr)
}

// storeNational stores the generator's organisations, indicators, peer
// groups and observations: the reference data in one transaction each,
// the observations one indicator per transaction, so that only one
// indicator's values (23 400 at the default years) are in memory at a
// time and a PostgreSQL store takes them by COPY. Re-running stores
// nothing new and reports every row unchanged; a run cut short leaves
// whole indicators, and re-running completes it.
func storeNational(ctx context.Context, st *store.Store, gen *nation.Generator, stdout, stderr io.Writer) error {
	start := time.Now()
	first, years := gen.Years()
	inds := gen.Indicators()
	total := gen.Count()
	fmt.Fprintf(stderr, "National demo: %d organisations, %d indicators, %d–%d, %d observations.\n",
		len(gen.Organisations()), len(inds), first, first+years-1, total)

	// Organisations already stored keep their own names: a kommun that
	// calls itself "Östersunds kommun" in its strategy stays so.
	stored, err := st.ListOrganisations(ctx)
	if err != nil {
		return err
	}
	have := map[string]bool{}
	for _, o := range stored {
		have[o.Code] = true
	}
	var bundles []strategy.Bundle
	for _, o := range gen.Organisations() {
		if !have[o.Code] {
			bundles = append(bundles, strategy.Bundle{Organisation: &o})
		}
	}
	bundles = append(bundles, strategy.Bundle{Indicators: inds})
	sum, err := st.Import(ctx, bundles)
	if err != nil {
		return fmt.Errorf("storing the organisations and indicators: %w", err)
	}
	orgs := sum[kindOrganisations]
	orgs.Unchanged += len(have)
	sum[kindOrganisations] = orgs

	groups, err := st.PutGroups(ctx, gen.PeerGroups())
	if err != nil {
		return fmt.Errorf("storing the peer groups: %w", err)
	}

	var obs strategy.ChangeCount
	done := 0
	shown := time.Now()
	for i := range inds {
		if err := ctx.Err(); err != nil {
			return err
		}
		chunk := gen.Observations(i)
		s, err := st.Import(ctx, []strategy.Bundle{{Observations: chunk}})
		if err != nil {
			return fmt.Errorf("storing the observations of %s: %w", inds[i].Key, err)
		}
		c := s[kindObservations]
		obs.Added += c.Added
		obs.Changed += c.Changed
		obs.Unchanged += c.Unchanged
		done += len(chunk)
		if time.Since(shown) >= time.Second || i == len(inds)-1 {
			shown = time.Now()
			elapsed := time.Since(start).Seconds()
			fmt.Fprintf(stderr, "  observations %d/%d (%.0f %%), %.0f a second\n",
				done, total, 100*float64(done)/float64(total), float64(done)/elapsed)
		}
	}
	sum[kindObservations] = obs
	fmt.Fprint(stdout, describe(sum))
	fmt.Fprintf(stdout, "  %-17s %7d added %7d changed %7d deleted %7d unchanged\n",
		"peer groups", groups.Added, groups.Changed, groups.Deleted, groups.Unchanged)
	fmt.Fprintf(stderr, "Done in %s.\n", time.Since(start).Round(time.Millisecond))
	return nil
}

// Summary kinds of an import (internal/store reports them by these names).
const (
	kindOrganisations = "organisations"
	kindObservations  = "observations"
)
