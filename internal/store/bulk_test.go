package store_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/inkludera/inkludera/internal/store"
	"github.com/inkludera/inkludera/internal/strategy"
)

// bulkIndicators: one indicator by gender, one not.
var bulkIndicators = []strategy.Indicator{
	{Key: "n00001", Title: "A", Unit: "%", Polarity: strategy.HigherIsBetter, Source: "kolada:N00001", Breakdowns: []string{strategy.BreakdownGender}},
	{Key: "n00002", Title: "B", Unit: "antal", Polarity: strategy.Neutral, Source: "kolada:N00002"},
}

// bulkFetch is a fetch's worth of observations in Kolada's order (T, K, M
// within a year, which is not the primary key's), on pages with their own
// URL and fetch time, some values missing, some with a status or marked
// preliminary, and values of arbitrary bit patterns, so that exactness is
// tested too.
func bulkFetch(seed uint64, orgs, years int) []strategy.Observation {
	r := rand.New(rand.NewPCG(seed, 7))
	base := time.Date(2026, 3, 1, 4, 0, 0, 123456789, time.UTC)
	var obs []strategy.Observation
	for _, ind := range bulkIndicators {
		genders := []strategy.Gender{strategy.Total}
		if ind.ByGender() {
			genders = strategy.Genders
		}
		for o := range orgs {
			for y := range years {
				for _, g := range genders {
					page := len(obs) / 700
					ob := strategy.Observation{
						Indicator: ind.Key, Org: fmt.Sprintf("%04d", 114+o), Year: 2000 + y, Gender: g,
						Source: "kolada", SourceURL: fmt.Sprintf("https://api.kolada.se/v3/data/kpi/%s?page=%d", ind.Key, page),
						FetchedAt: base.Add(time.Duration(page) * time.Second), Preliminary: y == years-1,
					}
					if len(obs)%11 != 0 {
						v := math.Float64frombits(r.Uint64())
						if math.IsNaN(v) || math.IsInf(v, 0) {
							v = r.NormFloat64()
						}
						ob.Value = &v
					}
					if len(obs)%97 == 0 {
						ob.Status = ".."
					}
					obs = append(obs, ob)
				}
			}
		}
	}
	return obs
}

// storedAs checks that the store holds exactly want, field by field, every
// value bit for bit.
func storedAs(t *testing.T, s strategy.Store, want []strategy.Observation) {
	t.Helper()
	got, err := s.Observations(context.Background(), strategy.ObservationFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("%d observations stored, want %d", len(got), len(want))
	}
	byKey := map[strategy.ObservationKey]strategy.Observation{}
	for _, o := range got {
		byKey[o.Key()] = o
	}
	bad := 0
	for _, w := range want {
		g, ok := byKey[w.Key()]
		same := ok && (g.Value == nil) == (w.Value == nil) &&
			(g.Value == nil || math.Float64bits(*g.Value) == math.Float64bits(*w.Value)) &&
			g.Status == w.Status && g.Preliminary == w.Preliminary && g.Source == w.Source &&
			g.SourceURL == w.SourceURL && g.FetchedAt.Equal(w.FetchedAt.Truncate(time.Microsecond))
		if !same && bad < 5 {
			bad++
			t.Errorf("stored %+v (%v), want %+v (%v)", g, ptr(g.Value), w, ptr(w.Value))
		}
	}
}

func ptr(v *float64) any {
	if v == nil {
		return nil
	}
	return *v
}

// TestBulkObservations covers the batch path of new observations: exact
// values, nil kept nil, counts, upserts beside inserts, and all or nothing.
func TestBulkObservations(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	if _, err := s.Import(ctx, []strategy.Bundle{{Indicators: bulkIndicators}}); err != nil {
		t.Fatal(err)
	}
	run := strategy.SourceRun{Source: "kolada", StartedAt: time.Now(), FinishedAt: time.Now()}
	obs := bulkFetch(1, 40, 30) // 4 800 + 1 200 rows
	got, err := s.ApplySourceRun(ctx, run, obs, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := (strategy.ChangeCount{Added: len(obs)}); got.Changes != want {
		t.Fatalf("first fetch: %+v, want %+v", got.Changes, want)
	}
	storedAs(t, s, obs)

	got, err = s.ApplySourceRun(ctx, run, obs, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := (strategy.ChangeCount{Unchanged: len(obs)}); got.Changes != want {
		t.Fatalf("same fetch again: %+v, want %+v", got.Changes, want)
	}

	// Changed values, new years, a value gone missing: in reverse order.
	next := append([]strategy.Observation{}, obs...)
	for i := 0; i < len(next); i += 50 {
		v := float64(i)
		next[i].Value = &v
	}
	next[1].Value = nil
	added := bulkFetch(2, 40, 32)
	for _, o := range added {
		if o.Year >= 2030 {
			next = append(next, o)
		}
	}
	for i, j := 0, len(next)-1; i < j; i, j = i+1, j-1 {
		next[i], next[j] = next[j], next[i]
	}
	got, err = s.ApplySourceRun(ctx, run, next, nil)
	if err != nil {
		t.Fatal(err)
	}
	changed := (len(obs)+49)/50 + 1 // every 50th, and the second
	if want := (strategy.ChangeCount{Added: len(next) - len(obs), Changed: changed, Unchanged: len(obs) - changed}); got.Changes != want {
		t.Fatalf("upsert: %+v, want %+v", got.Changes, want)
	}
	storedAs(t, s, next)

	// A bad row anywhere fails the whole fetch, new rows included.
	for name, bad := range map[string]strategy.Observation{
		"implausible year": {Indicator: "n00002", Org: "0114", Year: 1800, Gender: strategy.Total},
		"duplicate":        next[0],
		"not a number":     {Indicator: "n00002", Org: "0114", Year: 2040, Gender: strategy.Total, Value: new(math.NaN())},
		"gender":           {Indicator: "n00002", Org: "0114", Year: 2040, Gender: strategy.Women},
		"unknown":          {Indicator: "n09999", Org: "0114", Year: 2040, Gender: strategy.Total},
	} {
		fetch := append(bulkFetch(3, 40, 35)[4000:], bad)
		if _, err := s.ApplySourceRun(ctx, run, fetch, nil); strategy.CodeOf(err) != strategy.CodeInvalid {
			t.Errorf("%s: %v, want invalid", name, err)
		}
	}
	storedAs(t, s, next)
}

// TestBulkObservationsConcurrently: stores of one process share the
// virtual table module; each batch reaches its own store.
func TestBulkObservationsConcurrently(t *testing.T) {
	ctx := context.Background()
	stores := make([]*store.Store, 4)
	for i := range stores {
		stores[i] = openTemp(t)
		if _, err := stores[i].Import(ctx, []strategy.Bundle{{Indicators: bulkIndicators}}); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	for i, s := range stores {
		wg.Go(func() {
			for round := range 3 {
				obs := bulkFetch(uint64(10*i+round), 30, 20)
				if _, err := s.ApplySourceRun(ctx, strategy.SourceRun{Source: "kolada"}, obs, nil); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	for i, s := range stores {
		storedAs(t, s, bulkFetch(uint64(10*i+2), 30, 20))
	}
}

// BenchmarkFetchObservations stores 100 000 observations the way a fetch
// does (ApplySourceRun, Kolada's order, page provenance) into a store with
// the indicators and nothing else; bench/ingest does the same with a
// million against sqlite3.
func BenchmarkFetchObservations(b *testing.B) {
	ctx := context.Background()
	obs := bulkFetch(1, 1000, 40)[:100_000]
	var rows int
	for b.Loop() {
		b.StopTimer()
		s := openTemp(b)
		if _, err := s.Import(ctx, []strategy.Bundle{{Indicators: bulkIndicators}}); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		run, err := s.ApplySourceRun(ctx, strategy.SourceRun{Source: "kolada"}, obs, nil)
		if err != nil {
			b.Fatal(err)
		}
		rows += run.Changes.Added
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}
