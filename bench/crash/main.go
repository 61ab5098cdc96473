// Command crash proves that an import is all or nothing: it starts
// `inkludera import` of a large observations file again and again, kills
// it with SIGKILL at a random moment of its run, and checks after every
// kill that the database passes its integrity checks and holds either the
// whole import or none of it, with the state before it untouched. Use
// run.sh; see README.md.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/inkludera/inkludera/internal/demo"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "crash:", err)
		os.Exit(1)
	}
}

type config struct {
	rounds    int
	rows      int
	seed      uint64
	inkludera string
	dir       string
	postgres  string
	sqlite    bool
}

// errFailed is the exit status of a run that found a partial import, a
// lost one or a failed integrity check; the table says which.
var errFailed = errors.New("a round failed: see the table")

func run() error {
	var c config
	flag.IntVar(&c.rounds, "rounds", 100, "rounds per engine: each starts an import and kills it")
	flag.IntVar(&c.rows, "rows", 500_000, fmt.Sprintf("observations in each round's file (at most %d)", maxRows))
	flag.Uint64Var(&c.seed, "seed", 0, "seed of the kill times (0: from the clock; printed, to repeat a run)")
	flag.StringVar(&c.inkludera, "inkludera", "", "the inkludera binary (run.sh builds it)")
	flag.StringVar(&c.dir, "dir", "", "working folder (default: a new temporary folder, removed afterwards)")
	flag.StringVar(&c.postgres, "postgres", "", "a postgres:// URL whose role may CREATE DATABASE: also run on PostgreSQL, in a database made for the run")
	flag.BoolVar(&c.sqlite, "sqlite", true, "run on SQLite")
	flag.Parse()
	if c.inkludera == "" {
		return errors.New("-inkludera is required (run.sh builds it)")
	}
	if c.rounds < 1 || c.rows < 1 || c.rows > maxRows {
		return fmt.Errorf("-rounds must be positive and -rows 1–%d", maxRows)
	}
	if c.seed == 0 {
		c.seed = uint64(time.Now().UnixNano())
	}
	if c.dir == "" {
		d, err := os.MkdirTemp("", "inkludera-bench-crash-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(d)
		c.dir = d
	}
	demoFiles, err := writeDemo(filepath.Join(c.dir, "demo"))
	if err != nil {
		return err
	}
	fmt.Printf("bench/crash: %d rounds per engine, %d observations per import, seed %d\n", c.rounds, c.rows, c.seed)

	// Ctrl-C ends the children (exec.CommandContext) and the run, and
	// the deferred clean-up still runs.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var results []result
	if c.sqlite {
		e := sqliteEngine{path: filepath.Join(c.dir, "crash.db")}
		for _, suffix := range []string{"", "-wal", "-shm"} { // a -dir of an earlier run
			if err := os.Remove(e.path + suffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
		}
		r, err := c.runEngine(ctx, e, demoFiles)
		if err != nil {
			return fmt.Errorf("sqlite: %w", err)
		}
		results = append(results, r)
	}
	if c.postgres != "" {
		e, err := newPostgres(ctx, c.postgres)
		if err != nil {
			return err
		}
		if e.amcheck != "" {
			fmt.Printf("postgres: amcheck is not available (%s); the checks are those without it\n", e.amcheck)
		}
		r, err := c.runEngine(ctx, e, demoFiles)
		if cerr := e.close(context.WithoutCancel(ctx)); cerr != nil {
			fmt.Fprintf(os.Stderr, "crash: dropping %s: %v\n", e.dbName, cerr)
		}
		if err != nil {
			return fmt.Errorf("postgres: %w", err)
		}
		results = append(results, r)
	} else {
		fmt.Println("postgres: not run (set INKLUDERA_BENCH_POSTGRES or INKLUDERA_TEST_POSTGRES to a postgres:// URL)")
	}
	printTable(results)
	for _, r := range results {
		if r.failed() {
			return errFailed
		}
	}
	return nil
}

// writeDemo writes the demo's strategy files, the base content every
// engine starts from, and returns their paths.
func writeDemo(dir string) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	names, err := fs.Glob(demo.Files(), "*.yaml")
	if err != nil {
		return nil, err
	}
	var paths []string
	for _, n := range names {
		data, err := fs.ReadFile(demo.Files(), n)
		if err != nil {
			return nil, err
		}
		p := filepath.Join(dir, n)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			return nil, err
		}
		paths = append(paths, p)
	}
	return paths, nil
}

// phase is how far the import had come when it was killed, by what it had
// printed: the store says "Storing" before its transaction and the result
// line after the commit.
type phase int

const (
	reading      phase = iota // the file was being read and checked
	storing                   // in the transaction: writing or committing
	acknowledged              // the result was printed: committed
	finished                  // the process ended by itself before the kill
	phases
)

var phaseNames = [phases]string{"reading", "storing", "after ack", "finished"}

// result is one engine's rounds.
type result struct {
	engine     string
	rounds     int
	calibrated time.Duration // the uninterrupted import's time
	// window is the span the kill times are drawn from, [0, window):
	// first the uninterrupted import's time and a tenth more, so that the
	// commit at its very end is hit also when a round runs faster than
	// the timed one; then it follows the imports' time (adapt).
	window      time.Duration
	firstWindow time.Duration
	by          [phases]int
	present     int
	absent      int
	partial     int
	lost        int // acknowledged, yet absent
	integrity   int // rounds with an integrity problem or a failed check
	importErr   int // imports that ended with an error of their own
	maxSettle   time.Duration
	elapsed     time.Duration
}

// adapt moves the window after a round killed at delay, so that the kills
// keep reaching the commit when the machine's load, and with it the
// imports' time, changes: a round that was still before its commit in
// the window's last tenth widens the window by a tenth; a round that had
// ended by itself before its kill narrows it by a twentieth.
func (r *result) adapt(delay time.Duration, ph phase, v verdict) {
	switch {
	case ph == finished:
		r.window -= r.window / 20
	case v == absent && delay >= r.window-r.window/10:
		r.window += r.window / 10
	}
}

func (r result) failed() bool { return r.partial+r.lost+r.integrity+r.importErr > 0 }

// runEngine loads the demo, stores a first import (marker 0), times a
// second, uninterrupted one (marker 1), then runs the killed rounds.
func (c config) runEngine(ctx context.Context, e engine, demoFiles []string) (result, error) {
	res := result{engine: e.name(), rounds: c.rounds}
	start := time.Now()
	if out, err := c.inkluderaImport(ctx, e.dsn(), demoFiles...); err != nil {
		return res, fmt.Errorf("importing the demo: %w\n%s", err, out)
	}
	last := -1 // the marker of the last stored import
	for m := range 2 {
		path, scope := c.roundFile(e, m)
		if err := writeRound(path, c.rows, m); err != nil {
			return res, err
		}
		t := time.Now()
		if out, err := c.inkluderaImport(ctx, e.dsn(), path); err != nil {
			return res, fmt.Errorf("the uninterrupted import %d: %w\n%s", m, err, out)
		}
		res.calibrated = time.Since(t)
		res.window = res.calibrated + res.calibrated/10
		res.firstWindow = res.window
		os.Remove(path)
		prev := last
		if prev < 0 {
			prev = m // nothing stored before: no earlier state to compare
		}
		s, err := check(ctx, e, m, prev, scope)
		if err != nil {
			return res, err
		}
		if v := s.judge(c.rows); v != present || len(s.problems) > 0 {
			return res, fmt.Errorf("the uninterrupted import %d is %s (%s): %s", m, v, s, strings.Join(s.problems, "; "))
		}
		last = m
	}
	fmt.Printf("%s: an uninterrupted import of %d changed observations took %s; kills fall in [0, %s)\n",
		e.name(), c.rows, res.calibrated.Round(time.Millisecond), res.window.Round(time.Millisecond))

	rng := rand.New(rand.NewPCG(c.seed, uint64(len(e.name()))))
	for i := 1; i <= c.rounds; i++ {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		m := i + 1
		path, scope := c.roundFile(e, m)
		if err := writeRound(path, c.rows, m); err != nil {
			return res, err
		}
		window := res.window
		delay := time.Duration(rng.Int64N(int64(window)))
		a := c.killedImport(ctx, e.dsn(), path, delay)
		ph := a.phase
		os.Remove(path)
		if err := ctx.Err(); err != nil {
			return res, err // interrupted: the kill was not ours
		}
		res.by[ph]++
		checkStart := time.Now()
		s, err := check(ctx, e, m, last, scope)
		checked := time.Since(checkStart)
		v := s.judge(c.rows)
		var notes []string
		switch {
		case err != nil:
			res.integrity++
			notes = append(notes, "CHECK FAILED: "+err.Error())
		case len(s.problems) > 0:
			res.integrity++
			notes = append(notes, "INTEGRITY: "+strings.Join(s.problems, "; "))
		}
		if a.err != nil {
			res.importErr++
			notes = append(notes, fmt.Sprintf("IMPORT FAILED: %v: %s", a.err, strings.TrimSpace(a.output)))
		}
		switch {
		case err != nil:
			v = "unknown" // the check itself failed: counted above
		case v == present:
			res.present++
			last = m
		case v == absent:
			res.absent++
			if ph >= acknowledged {
				res.lost++
				notes = append(notes, "LOST: acknowledged, yet absent")
			}
		default:
			res.partial++
			notes = append(notes, fmt.Sprintf("PARTIAL: %s", s))
		}
		res.maxSettle = max(res.maxSettle, s.waited)
		res.adapt(delay, ph, v)
		line := fmt.Sprintf("%s round %3d: killed at %6.3f s of %6.3f, %-9s → %-7s", e.name(), i, delay.Seconds(), window.Seconds(), phaseNames[ph], v)
		if ph == finished {
			line = fmt.Sprintf("%s round %3d: finished before %6.3f s of %6.3f     → %-7s", e.name(), i, delay.Seconds(), window.Seconds(), v)
		}
		if s.waited > 0 {
			line += fmt.Sprintf(" (backend gone after %s)", s.waited.Round(time.Millisecond))
		}
		if len(notes) == 0 {
			notes = append(notes, fmt.Sprintf("integrity ok (checked in %.1f s)", checked.Seconds()))
		}
		fmt.Println(line, strings.Join(notes, "; "))
	}
	res.elapsed = time.Since(start)
	return res, nil
}

// roundFile is the path of the file with marker m and the scope its
// source run is recorded with (its base name).
func (c config) roundFile(e engine, m int) (path, scope string) {
	scope = fmt.Sprintf("crash-%s-%03d.csv", e.name(), m)
	return filepath.Join(c.dir, scope), scope
}

// inkluderaImport runs inkludera import to its end.
func (c config) inkluderaImport(ctx context.Context, db string, files ...string) (string, error) {
	cmd := exec.CommandContext(ctx, c.inkludera, append([]string{"import", "--db", db}, files...)...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// attempt is how a killed round's import went.
type attempt struct {
	// phase is how far it had come, by what it printed: the pipes hold
	// everything written before the kill.
	phase  phase
	err    error // the error of an import that ended by itself with one
	output string
}

// killedImport starts inkludera import of path and kills it with SIGKILL
// after delay, unless it has ended by then.
func (c config) killedImport(ctx context.Context, db, path string, delay time.Duration) attempt {
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, c.inkludera, "import", "--db", db, path)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		return attempt{phase: finished, err: err}
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var err error
	select {
	case err = <-done:
	case <-time.After(delay):
		cmd.Process.Kill() // SIGKILL; fails only when the process has ended already
		err = <-done
	}
	a := attempt{phase: reading, output: stderr.String() + stdout.String()}
	killed := cmd.ProcessState != nil && cmd.ProcessState.ExitCode() == -1
	switch {
	case !killed:
		a.phase, a.err = finished, err
	case strings.Contains(stdout.String(), "observations:"):
		a.phase = acknowledged
	case strings.Contains(stderr.String(), "Storing"):
		a.phase = storing
	}
	return a
}

func printTable(results []result) {
	fmt.Println()
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "engine\trounds\tkilled reading\tkilled storing\tkilled after ack\tnot killed\t"+
		"present (after commit)\tabsent (before commit)\tpartial\tlost\tintegrity failures\timport errors\ttime\t")
	for _, r := range results {
		fmt.Fprintf(w, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%s\t\n", r.engine, r.rounds,
			r.by[reading], r.by[storing], r.by[acknowledged], r.by[finished], r.present, r.absent,
			r.partial, r.lost, r.integrity, r.importErr, r.elapsed.Round(time.Second))
	}
	w.Flush()
	fmt.Println("goal: partial 0, lost 0, integrity failures 0, import errors 0")
	for _, r := range results {
		fmt.Printf("%s: an uninterrupted import took %s; the kills were drawn from [0, %s) at first, [0, %s) at the end\n", r.engine,
			r.calibrated.Round(time.Millisecond), r.firstWindow.Round(time.Millisecond), r.window.Round(time.Millisecond))
		if r.maxSettle > 0 {
			fmt.Printf("%s: the killed client's backend had ended at most %s after the import was killed\n", r.engine, r.maxSettle.Round(time.Millisecond))
		}
	}
}
