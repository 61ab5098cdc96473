package main

import (
	"context"
	"fmt"
	"os"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"

	"github.com/inkludera/inkludera/internal/store"
	"github.com/inkludera/inkludera/internal/strategy"
)

// runInkludera stores the file in a fresh database the way a fetch does:
// the indicators exist, the observations and deletions go to
// ApplySourceRun in one transaction. Timed from reading the file to the
// commit and the close of the store.
func runInkludera(path, jsonPath string, c config, ds *dataset, cpuprofile string) (result, error) {
	ctx := context.Background()
	s, err := store.Open(ctx, "sqlite:"+path)
	if err != nil {
		return result{}, err
	}
	closed := false
	defer func() {
		if !closed {
			s.Close()
		}
	}()
	if _, err := s.Import(ctx, []strategy.Bundle{{Indicators: ds.indicators()}}); err != nil {
		return result{}, err
	}
	keys := map[string]string{} // KPI → indicator key, as a fetch knows from the indicators' sources
	for _, ind := range ds.indicators() {
		keys[strings.TrimPrefix(ind.Source, "kolada:")] = ind.Key
	}
	if cpuprofile != "" {
		f, err := os.Create(cpuprofile)
		if err != nil {
			return result{}, err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return result{}, err
		}
		defer pprof.StopCPUProfile()
	}

	c0, t0 := cpuTime(), time.Now()
	data, err := os.ReadFile(jsonPath)
	if err != nil {
		return result{}, err
	}
	var obs []strategy.Observation
	var deleted []strategy.ObservationKey
	if c.decoder == "stream" {
		obs, deleted, err = decodeStream(data, ds, keys)
	} else {
		obs, deleted, err = decodeObservations(data, c.workers, ds, keys)
	}
	if err != nil {
		return result{}, fmt.Errorf("decoding %s: %w", jsonPath, err)
	}
	data = nil
	decoded := time.Since(t0)
	run := strategy.SourceRun{Source: "kolada", Scope: "bench/ingest", StartedAt: t0, FinishedAt: time.Now()}
	got, err := s.ApplySourceRun(ctx, run, obs, deleted)
	if err != nil {
		return result{}, err
	}
	// The sqlite3 process's time includes closing its database, which
	// checkpoints and removes the WAL; so does this (about 50 ms).
	closed = true
	if err := s.Close(); err != nil {
		return result{}, err
	}
	wall, cpu := time.Since(t0), cpuTime()-c0
	if got.Changes.Added != ds.n {
		return result{}, fmt.Errorf("inkludera added %d observations, want %d", got.Changes.Added, ds.n)
	}
	return result{rows: got.Changes.Added, wall: wall, cpu: cpu, decode: decoded}, nil
}

// cpuTime is the process's user and system time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(syscall.TimevalToNsec(ru.Utime) + syscall.TimevalToNsec(ru.Stime))
}
