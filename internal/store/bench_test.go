package store_test

import (
	"context"
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/inkludera/inkludera/internal/store"
	"github.com/inkludera/inkludera/internal/strategy"
)

// sampleBundles is one data bundle of n observations: 100 indicators ×
// n/1000 organisations × 10 years, values only for T.
func sampleBundles(n int) []strategy.Bundle {
	var b strategy.Bundle
	for i := range 100 {
		b.Indicators = append(b.Indicators, strategy.Indicator{Key: fmt.Sprintf("ind-%03d", i),
			Title: fmt.Sprintf("Indikator %d", i), Unit: "%", Polarity: strategy.HigherIsBetter, Source: "demo"})
	}
	b.Observations = make([]strategy.Observation, 0, n)
	for i := 0; len(b.Observations) < n; i++ {
		ind := b.Indicators[i%100].Key
		org := fmt.Sprintf("%04d", 1000+(i/100)%(n/1000))
		year := 2000 + i/(100*(n/1000))
		v := float64(i) / 7
		o := strategy.Observation{Indicator: ind, Org: org, Year: year, Gender: strategy.Total, Value: &v, Source: "demo"}
		if i%10 == 0 {
			o.Value = nil
		}
		b.Observations = append(b.Observations, o)
	}
	return []strategy.Bundle{b}
}

// benchEngines runs a benchmark on an SQLite file and, when a server is
// configured, on PostgreSQL.
func benchEngines(b *testing.B, bench func(b *testing.B, open func(testing.TB) *store.Store)) {
	b.Run("sqlite", func(b *testing.B) { bench(b, openTemp) })
	b.Run("postgres", func(b *testing.B) { bench(b, openPostgres) })
}

// BenchmarkImportObservations imports 100 000 observations into a fresh
// store; rows/s is the figure to watch (aim: ≥ 150 000 on two cores).
// rows/cpu-s counts only this process's time, so on PostgreSQL, whose
// server does the storing, it says little.
func BenchmarkImportObservations(b *testing.B) { benchEngines(b, benchImport) }

func benchImport(b *testing.B, open func(testing.TB) *store.Store) {
	ctx := context.Background()
	bundles := sampleBundles(100_000)
	if err := bundles[0].Validate(nil); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var rows int
	var cpu time.Duration
	for b.Loop() {
		b.StopTimer()
		s := open(b)
		c0 := cpuTime()
		b.StartTimer()
		sum, err := s.Import(ctx, bundles)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		cpu += cpuTime() - c0
		b.StartTimer()
		rows += sum["observations"].Added
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
	// The machine is shared: CPU time shows the work itself when other
	// processes stretch the wall clock.
	b.ReportMetric(float64(rows)/cpu.Seconds(), "rows/cpu-s")
}

// cpuTime is the process's user and system time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(syscall.TimevalToNsec(ru.Utime) + syscall.TimevalToNsec(ru.Stime))
}

// BenchmarkReimportObservations imports the same 100 000 observations
// again: everything is compared, nothing written.
func BenchmarkReimportObservations(b *testing.B) { benchEngines(b, benchReimport) }

func benchReimport(b *testing.B, open func(testing.TB) *store.Store) {
	ctx := context.Background()
	bundles := sampleBundles(100_000)
	s := open(b)
	if _, err := s.Import(ctx, bundles); err != nil {
		b.Fatal(err)
	}
	var rows int
	for b.Loop() {
		sum, err := s.Import(ctx, bundles)
		if err != nil {
			b.Fatal(err)
		}
		rows += sum["observations"].Unchanged
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}
