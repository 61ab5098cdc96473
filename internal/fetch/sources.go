package fetch

import (
	"context"
	"fmt"
	"time"

	"github.com/inkludera/inkludera/internal/kolada"
	"github.com/inkludera/inkludera/internal/scb"
	"github.com/inkludera/inkludera/internal/strategy"
)

// MethodBreakStatus marks the first value taken from a successor table when
// SCB series are stitched (from 2025 SCB publishes with the Cell Key
// Method, so totals need not equal the sum of their parts). It stands in
// Observation.Status where SCB gave no symbol of its own.
const MethodBreakStatus = "tidsseriebrott"

// FetchKolada fetches every indicator whose source is "kolada:<KPI>" for
// the requested organisations and stores the result as one run. A run
// with nothing to fetch returns a zero SourceRun.
func (f *Fetcher) FetchKolada(ctx context.Context, req Request) (strategy.SourceRun, error) {
	if f.Kolada == nil {
		return strategy.SourceRun{}, fmt.Errorf("no Kolada client configured")
	}
	byKPI, kpis, err := f.sourced(ctx, "kolada:", req.Only)
	if err != nil || len(kpis) == 0 {
		return strategy.SourceRun{}, err
	}
	orgs, err := f.orgs(ctx, req)
	if err != nil || len(orgs) == 0 {
		return strategy.SourceRun{}, err
	}
	since, err := f.since(ctx, req)
	if err != nil {
		return strategy.SourceRun{}, err
	}
	run := strategy.SourceRun{Source: SourceKolada, Scope: describeScope(kpis, orgs, since), StartedAt: f.now()}
	// The KPIs' metadata says which years are still preliminary; read it
	// once for the run rather than once per query.
	list, err := f.Kolada.KPIs(ctx, kpis...)
	run.Requests += (len(kpis) + 24) / 25
	if err != nil {
		return f.finish(ctx, run, nil, nil, fmt.Errorf("Kolada KPI metadata: %w", err))
	}
	meta := make(map[string]kolada.KPI, len(list))
	for _, k := range list {
		meta[k.ID] = k
		run.Warnings = append(run.Warnings, k.Warnings...)
	}
	var obs []strategy.Observation
	var deleted []strategy.ObservationKey
	for i, kpi := range kpis {
		f.step(Step{Source: SourceKolada, Done: i, Total: len(kpis), What: kpi})
		inds := byKPI[kpi]
		// Organisations without any stored value of the KPI get their whole
		// history, even on an incremental run: from_date only brings changes.
		full, incremental, err := f.splitByStored(ctx, inds, orgs, since)
		if err != nil {
			return f.finish(ctx, run, nil, nil, err)
		}
		for _, q := range []kolada.Query{
			{KPIs: []string{kpi}, Orgs: full, Meta: meta},
			{KPIs: []string{kpi}, Orgs: incremental, Since: since, Meta: meta},
		} {
			if len(q.Orgs) == 0 {
				continue
			}
			res, err := f.Kolada.Data(ctx, q)
			if res != nil {
				run.Requests += res.Requests
				run.Warnings = append(run.Warnings, res.Warnings...)
			}
			if err != nil {
				return f.finish(ctx, run, nil, nil, fmt.Errorf("Kolada %s: %w", kpi, err))
			}
			got, dropped := assign(res.Observations, inds)
			obs = append(obs, got...)
			if dropped > 0 {
				run.Warnings = append(run.Warnings, fmt.Sprintf("%s: %d värden för kvinnor och män hoppades över, indikatorn saknar uppdelning på kön", kpi, dropped))
			}
			for _, k := range res.Deleted {
				for _, ind := range inds {
					k.Indicator = ind.Key
					deleted = append(deleted, k)
				}
			}
		}
	}
	f.step(Step{Source: SourceKolada, Done: len(kpis), Total: len(kpis)})
	return f.finish(ctx, run, obs, deleted, nil)
}

// since is the from_date of an incremental Kolada run.
func (f *Fetcher) since(ctx context.Context, req Request) (time.Time, error) {
	if req.Full {
		return time.Time{}, nil
	}
	if !req.Since.IsZero() {
		return req.Since, nil
	}
	runs, err := f.Store.SourceRuns(ctx, SourceKolada, 50)
	if err != nil {
		return time.Time{}, err
	}
	for _, r := range runs {
		if r.Outcome == strategy.RunOK {
			// A day's margin: from_date is a date, and Kolada's clock is not ours.
			return r.StartedAt.AddDate(0, 0, -1), nil
		}
	}
	return time.Time{}, nil
}

// splitByStored divides orgs into those with no stored value of any of the
// indicators (fetched in full) and the rest (fetched since the date).
func (f *Fetcher) splitByStored(ctx context.Context, inds []strategy.Indicator, orgs []string, since time.Time) (full, incremental []string, err error) {
	if since.IsZero() {
		return orgs, nil, nil
	}
	keys := make([]string, len(inds))
	for i, ind := range inds {
		keys[i] = ind.Key
	}
	stored, err := f.Store.Observations(ctx, strategy.ObservationFilter{Indicators: keys})
	if err != nil {
		return nil, nil, err
	}
	has := map[string]bool{}
	for _, o := range stored {
		has[o.Org] = true
	}
	for _, o := range orgs {
		if has[o] {
			incremental = append(incremental, o)
		} else {
			full = append(full, o)
		}
	}
	return full, incremental, nil
}

// FetchSCB fetches every indicator whose source is "scb:<table>?…" for the
// requested organisations and stores the result as one run.
func (f *Fetcher) FetchSCB(ctx context.Context, req Request) (strategy.SourceRun, error) {
	if f.SCB == nil {
		return strategy.SourceRun{}, fmt.Errorf("no SCB client configured")
	}
	byRef, refs, err := f.sourced(ctx, "scb:", req.Only)
	if err != nil || len(refs) == 0 {
		return strategy.SourceRun{}, err
	}
	orgs, err := f.orgs(ctx, req)
	if err != nil || len(orgs) == 0 {
		return strategy.SourceRun{}, err
	}
	run := strategy.SourceRun{Source: SourceSCB, Scope: describeScope(refs, orgs, time.Time{}), StartedAt: f.now()}
	var obs []strategy.Observation
	for i, ref := range refs {
		f.step(Step{Source: SourceSCB, Done: i, Total: len(refs), What: refTable(ref)})
		parsed, err := scb.ParseRef(ref)
		if err != nil {
			return f.finish(ctx, run, nil, nil, fmt.Errorf("SCB reference %q: %w", ref, err))
		}
		res, err := f.SCB.Fetch(ctx, parsed, orgs, nil)
		if res != nil {
			run.Requests += res.Requests
			run.Warnings = append(run.Warnings, res.Warnings...)
		}
		if err != nil {
			return f.finish(ctx, run, nil, nil, fmt.Errorf("SCB %s: %w", refTable(ref), err))
		}
		values := res.Observations
		if res.MethodBreak > 0 {
			values = markBreak(values, res.MethodBreak) // the client has warned of it
		}
		got, dropped := assign(values, byRef[ref])
		obs = append(obs, got...)
		if dropped > 0 {
			run.Warnings = append(run.Warnings, fmt.Sprintf("%s: %d värden för kvinnor och män hoppades över, indikatorn saknar uppdelning på kön", refTable(ref), dropped))
		}
	}
	f.step(Step{Source: SourceSCB, Done: len(refs), Total: len(refs)})
	return f.finish(ctx, run, obs, nil, nil)
}

// markBreak flags the values of the break year that carry no SCB symbol.
func markBreak(obs []strategy.Observation, year int) []strategy.Observation {
	out := make([]strategy.Observation, len(obs))
	for i, o := range obs {
		if o.Year == year && o.Status == "" {
			o.Status = MethodBreakStatus
		}
		out[i] = o
	}
	return out
}
