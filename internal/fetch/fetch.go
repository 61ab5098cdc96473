// Package fetch keeps indicator values current from Kolada and SCB: an
// indicator's source reference ("kolada:N02926", "scb:TAB4823?…") says
// where its values come from, and each source's run is stored in one
// transaction with its record, so a failed or partial fetch never removes
// or half-writes data.
package fetch

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/inkludera/inkludera/internal/kolada"
	"github.com/inkludera/inkludera/internal/scb"
	"github.com/inkludera/inkludera/internal/strategy"
)

// Source names, as stored on runs and observations.
const (
	SourceKolada = "kolada"
	SourceSCB    = "scb"
)

// Fetcher fetches from the sources into the store.
type Fetcher struct {
	Store  strategy.Store
	Kolada *kolada.Client
	SCB    *scb.Client
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Log receives a line per run; nil discards.
	Log *slog.Logger
	// Progress, when set, is told of every step of a run.
	Progress func(Step)
}

// Step is progress within a run: Done of Total units (KPIs or tables),
// the one now being fetched named in What.
type Step struct {
	Source      string
	Done, Total int
	What        string
}

// Request narrows a run. The zero Request fetches every indicator of the
// source for every stored organisation, incrementally where possible.
type Request struct {
	Orgs []string // our codes; empty: every organisation in the store
	// Only limits the run to these KPI ids or SCB tables (as written in the
	// indicators' source references; either table of a stitched reference
	// "A+B" selects it).
	Only []string
	// Since asks Kolada only for values changed since this date; zero means
	// since the start of the last successful Kolada run, or everything
	// when there was none or Full is set.
	Since time.Time
	Full  bool
}

func (f *Fetcher) now() time.Time {
	if f.Now != nil {
		return f.Now()
	}
	return time.Now()
}

func (f *Fetcher) log() *slog.Logger {
	if f.Log != nil {
		return f.Log
	}
	return slog.New(slog.DiscardHandler)
}

func (f *Fetcher) step(s Step) {
	if f.Progress != nil {
		f.Progress(s)
	}
}

// All runs every source and returns their runs; a failed source does not
// stop the others, and the error joins the failures.
func (f *Fetcher) All(ctx context.Context, req Request) ([]strategy.SourceRun, error) {
	var runs []strategy.SourceRun
	var errs []error
	for _, run := range []func(context.Context, Request) (strategy.SourceRun, error){f.FetchKolada, f.FetchSCB} {
		r, err := run(ctx, req)
		if r.Source != "" {
			runs = append(runs, r)
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	return runs, errors.Join(errs...)
}

// finish stores a run's result, or records the failure, and logs it.
func (f *Fetcher) finish(ctx context.Context, run strategy.SourceRun, obs []strategy.Observation, deleted []strategy.ObservationKey, fetchErr error) (strategy.SourceRun, error) {
	run.FinishedAt = f.now()
	if fetchErr == nil {
		fetchErr = f.keepFetchedAt(ctx, obs)
	}
	if fetchErr == nil {
		stored, err := f.Store.ApplySourceRun(ctx, run, obs, deleted)
		if err == nil {
			f.log().Info("source run stored", "source", run.Source, "scope", run.Scope, "requests", run.Requests,
				"added", stored.Changes.Added, "changed", stored.Changes.Changed, "deleted", stored.Changes.Deleted,
				"unchanged", stored.Changes.Unchanged)
			return stored, nil
		}
		fetchErr = fmt.Errorf("storing: %w", err)
	}
	run.Outcome = strategy.RunFailed
	run.Error = fetchErr.Error()
	run.Changes = strategy.ChangeCount{}
	f.log().Error("source run failed; nothing stored", "source", run.Source, "scope", run.Scope, "err", run.Error)
	// Record with a fresh context: a cancelled fetch is still worth a line
	// in the run log.
	recordCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	recorded, err := f.Store.RecordRun(recordCtx, run)
	if err != nil {
		return run, errors.Join(fetchErr, fmt.Errorf("recording the failed run: %w", err))
	}
	return recorded, fetchErr
}

// sourced lists the stored indicators whose source reference starts with
// prefix ("kolada:"), keyed by the rest of the reference.
func (f *Fetcher) sourced(ctx context.Context, prefix string, only []string) (map[string][]strategy.Indicator, []string, error) {
	all, err := f.Store.ListIndicators(ctx)
	if err != nil {
		return nil, nil, err
	}
	byRef := map[string][]strategy.Indicator{}
	var refs []string
	for _, ind := range all {
		ref, ok := strings.CutPrefix(ind.Source, prefix)
		if !ok || (len(only) > 0 && !selected(ref, only)) {
			continue
		}
		if _, seen := byRef[ref]; !seen {
			refs = append(refs, ref)
		}
		byRef[ref] = append(byRef[ref], ind)
	}
	return byRef, refs, nil
}

// refTable is the KPI id or table part of a reference: "TAB4823" of
// "TAB4823?Alder=*".
func refTable(ref string) string {
	t, _, _ := strings.Cut(ref, "?")
	return t
}

// selected reports whether a reference is among only: its table part as
// written, or one of the tables of a stitched SCB reference, so that
// "--table TAB4823" also fetches "TAB4823+TAB6645?…".
func selected(ref string, only []string) bool {
	t := refTable(ref)
	if slices.Contains(only, t) {
		return true
	}
	for _, part := range strings.Split(t, "+") {
		if slices.Contains(only, part) {
			return true
		}
	}
	return false
}

// keepFetchedAt gives a fetched value that is stored already, the same in
// figure, status and source, the provenance it is stored with (when and by
// which request it was fetched). A source that sends the same figure again
// confirms it rather than changes it: the run counts it as unchanged and
// rewrites nothing, where a new time or URL alone would make every value
// of an SCB run (which always fetches everything) or of a --full Kolada run
// "changed". A value's provenance thus says when and where it was first
// fetched as it stands — as for Kolada's incremental runs, which do not
// fetch unchanged values at all; the run log says when it was last
// confirmed.
func (f *Fetcher) keepFetchedAt(ctx context.Context, obs []strategy.Observation) error {
	if len(obs) == 0 {
		return nil
	}
	var keys []string
	for _, o := range obs {
		if !slices.Contains(keys, o.Indicator) {
			keys = append(keys, o.Indicator)
		}
	}
	stored, err := f.Store.Observations(ctx, strategy.ObservationFilter{Indicators: keys})
	if err != nil {
		return fmt.Errorf("reading the stored values: %w", err)
	}
	byKey := make(map[strategy.ObservationKey]strategy.Observation, len(stored))
	for _, s := range stored {
		byKey[s.Key()] = s
	}
	for i, o := range obs {
		s, ok := byKey[o.Key()]
		if ok && !s.FetchedAt.IsZero() && sameFigure(s, o) {
			obs[i].FetchedAt, obs[i].SourceURL = s.FetchedAt, s.SourceURL
		}
	}
	return nil
}

// sameFigure compares two observations of one key in all but provenance.
func sameFigure(a, b strategy.Observation) bool {
	if (a.Value == nil) != (b.Value == nil) || (a.Value != nil && *a.Value != *b.Value) {
		return false
	}
	return a.Status == b.Status && a.Preliminary == b.Preliminary && a.Source == b.Source
}

// orgs returns the requested organisations, or every stored one.
func (f *Fetcher) orgs(ctx context.Context, req Request) ([]string, error) {
	if len(req.Orgs) > 0 {
		for _, o := range req.Orgs {
			if !strategy.ValidOrgCode(o) {
				return nil, strategy.Errorf(strategy.CodeInvalid, "%q is not a kommun, län or riket code", o)
			}
		}
		return req.Orgs, nil
	}
	list, err := f.Store.ListOrganisations(ctx)
	if err != nil {
		return nil, err
	}
	codes := make([]string, len(list))
	for i, o := range list {
		codes[i] = o.Code
	}
	return codes, nil
}

// assign copies a source's observations onto every indicator that takes
// them, keeping K and M only for indicators broken down by gender.
func assign(obs []strategy.Observation, inds []strategy.Indicator) (out []strategy.Observation, dropped int) {
	for _, ind := range inds {
		for _, o := range obs {
			if o.Gender != strategy.Total && !ind.ByGender() {
				dropped++
				continue
			}
			o.Indicator = ind.Key
			out = append(out, o)
		}
	}
	return out, dropped
}

// describeScope writes what a run asked for, for the run log.
func describeScope(refs, orgs []string, since time.Time) string {
	s := strings.Join(refs, ", ") + " för " + strings.Join(orgs, ", ")
	if !since.IsZero() {
		s += " ändrade sedan " + since.Format(time.DateOnly)
	}
	return s
}
