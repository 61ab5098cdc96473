// Command load puts 64 concurrent clients on `inkludera serve` over
// loopback for a minute, each signed in through the sign-in form and with
// an API token of its own, reading pages and the API and writing notes
// and activity changes, each with a unique value. It then kills the
// server with SIGKILL, starts it again on the same database and reads
// every acknowledged write back. It prints the requests, the errors (the
// goal is none), the acknowledged writes missing afterwards (the goal is
// none) and the latencies of reads and writes. Use run.sh; see README.md.
package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"time"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}

type config struct {
	inkludera string
	clients   int
	duration  time.Duration
	dir       string
	postgres  string
	sqlite    bool
	seed      uint64
}

// errFailed is the exit status of a run with errors or missing writes.
var errFailed = errors.New("the goal was missed: see the figures")

func run() error {
	var c config
	flag.StringVar(&c.inkludera, "inkludera", "", "the inkludera binary (run.sh builds it)")
	flag.IntVar(&c.clients, "clients", 64, "concurrent clients, each a user of its own")
	flag.DurationVar(&c.duration, "duration", 60*time.Second, "how long the clients run")
	flag.StringVar(&c.dir, "dir", "", "working folder (default: a new temporary folder, removed afterwards)")
	flag.StringVar(&c.postgres, "postgres", "", "a postgres:// URL whose role may CREATE DATABASE: also run on PostgreSQL, in a database made for the run")
	flag.BoolVar(&c.sqlite, "sqlite", true, "run on SQLite")
	flag.Uint64Var(&c.seed, "seed", 0, "seed of the clients' choices (0: from the clock)")
	flag.Parse()
	if c.inkludera == "" {
		return errors.New("-inkludera is required (run.sh builds it)")
	}
	if c.clients < 1 || c.duration <= 0 {
		return errors.New("-clients and -duration must be positive")
	}
	if c.seed == 0 {
		c.seed = uint64(time.Now().UnixNano())
	}
	if c.dir == "" {
		d, err := os.MkdirTemp("", "inkludera-bench-load-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(d)
		c.dir = d
	} else if err := os.MkdirAll(c.dir, 0o755); err != nil {
		return err
	}
	// Ctrl-C ends the children (exec.CommandContext) and the run, and
	// the deferred clean-up still runs.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	failed := false
	if c.sqlite {
		path := filepath.Join(c.dir, "load.db")
		for _, suffix := range []string{"", "-wal", "-shm"} { // a -dir of an earlier run
			if err := os.Remove(path + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
				return err
			}
		}
		r, err := c.runEngine(ctx, "sqlite", path)
		if err != nil {
			return fmt.Errorf("sqlite: %w", err)
		}
		failed = failed || r.failed()
	}
	if c.postgres != "" {
		db, err := newPostgresDB(ctx, c.postgres)
		if err != nil {
			return err
		}
		r, err := c.runEngine(ctx, "postgres", db.url)
		if derr := db.drop(context.WithoutCancel(ctx)); derr != nil {
			fmt.Fprintf(os.Stderr, "load: dropping %s: %v\n", db.name, derr)
		}
		if err != nil {
			return fmt.Errorf("postgres: %w", err)
		}
		failed = failed || r.failed()
	} else {
		fmt.Println("\npostgres: not run (set INKLUDERA_BENCH_POSTGRES or INKLUDERA_TEST_POSTGRES to a postgres:// URL)")
	}
	if failed {
		return errFailed
	}
	return nil
}

// result is one engine's run.
type result struct {
	setup, load *stats
	elapsed     time.Duration
	setupFailed int // clients whose sign-in, token, plan or activity failed
	rb          readBack
	serverErrs  int // error lines in the server's log
	unsure      int // writes that got no answer
	// serverCPU and loadCPU are the CPU time the server and this program
	// used in the timed run (0 without /proc); loadAvg is the machine's
	// load average at its end.
	serverCPU, loadCPU time.Duration
	loadAvg            string
}

func (r result) failed() bool {
	counts, _ := r.load.total(classes)
	setup, _ := r.setup.total(classes)
	return errorsOf(counts)+errorsOf(setup)+r.setupFailed+r.rb.missing()+r.serverErrs > 0
}

// runEngine runs the load on a fresh database: the server, the users, the
// clients' set-up, the timed run, the kill, the restart and the read-back.
func (c config) runEngine(ctx context.Context, engine, dsn string) (result, error) {
	res := result{setup: newStats(), load: newStats()}
	logFile := filepath.Join(c.dir, engine+"-serve.log")
	srv, err := startServer(ctx, c.inkludera, dsn, logFile)
	if err != nil {
		return res, err
	}
	defer func() {
		if srv != nil {
			srv.kill()
		}
	}()
	if err := waitHealthy(ctx, srv.url); err != nil {
		return res, err
	}

	var id [3]byte
	rand.Read(id[:])
	run := hex.EncodeToString(id[:])
	accounts := make([]account, c.clients)
	for i := range accounts {
		accounts[i] = account{
			email:    fmt.Sprintf("lasttest-%s-%02d@example.se", run, i),
			name:     fmt.Sprintf("Lasttest %02d", i),
			password: "lasttestets lösenord " + run,
		}
	}
	start := time.Now()
	if err := addUsers(ctx, c.inkludera, dsn, accounts); err != nil {
		return res, err
	}
	fmt.Printf("\nbench/load: %s, %s, %d clients for %s; %d users added in %.1f s\n",
		engine, srv.url, c.clients, c.duration, c.clients, time.Since(start).Seconds())

	clients := make([]*client, c.clients)
	for i := range clients {
		if clients[i], err = newClient(i, srv.url, run, accounts[i], c.seed); err != nil {
			return res, err
		}
	}
	// Set-up, all clients at once: 64 sign-ins through the form together.
	start = time.Now()
	var wg sync.WaitGroup
	setupErrs := make([]error, len(clients))
	for i, cl := range clients {
		wg.Go(func() { setupErrs[i] = cl.setup() })
	}
	wg.Wait()
	setupTime := time.Since(start)
	var ready []*client
	for i, cl := range clients {
		res.setup.merge(cl.st)
		if setupErrs[i] != nil {
			res.setupFailed++
			continue
		}
		cl.st = newStats()
		ready = append(ready, cl)
	}
	if len(ready) == 0 {
		return res, fmt.Errorf("no client could sign in and set up: %v", res.setup.examples)
	}

	// The timed run.
	serverCPU, haveCPU := processCPU(srv.cmd.Process.Pid)
	ownCPU, _ := processCPU(os.Getpid())
	start = time.Now()
	deadline := start.Add(c.duration)
	for _, cl := range ready {
		wg.Go(func() {
			for time.Now().Before(deadline) && ctx.Err() == nil {
				cl.step()
			}
		})
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	if err := ctx.Err(); err != nil {
		return res, err
	}
	if s, ok := processCPU(srv.cmd.Process.Pid); ok && haveCPU {
		o, _ := processCPU(os.Getpid())
		res.serverCPU, res.loadCPU, res.loadAvg = s-serverCPU, o-ownCPU, loadAverage()
	}
	for _, cl := range ready {
		res.load.merge(cl.st)
		res.unsure += cl.acks.unsure
	}

	// No goodbye: the acknowledged writes must be in the database, not
	// in anything a clean shutdown would flush.
	srv.kill()
	srv = nil
	if srv, err = startServer(ctx, c.inkludera, dsn, logFile); err != nil {
		return res, fmt.Errorf("restarting after the kill: %w", err)
	}
	if err := waitHealthy(ctx, srv.url); err != nil {
		return res, err
	}
	reader := ready[0]
	reader.base, reader.st = srv.url, newStats()
	if res.rb, err = verify(reader, clients); err != nil {
		return res, err
	}
	stopErr := srv.stop()
	srv = nil
	if stopErr != nil {
		return res, stopErr
	}
	if res.serverErrs, err = countErrors(logFile); err != nil {
		return res, err
	}
	res.print(engine, len(ready), setupTime)
	return res, nil
}

// countErrors counts the error lines of a server's JSON log.
func countErrors(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if strings.Contains(sc.Text(), `"level":"ERROR"`) {
			n++
		}
	}
	return n, sc.Err()
}

func (r result) print(engine string, clients int, setupTime time.Duration) {
	setup, _ := r.setup.total(classes)
	signIns := r.setup.sorted("sign in")
	fmt.Printf("set-up: %d clients signed in through the form at once (sign-in p50 %s, p99 %s), made an API token, a plan and an activity each, in %.1f s: %d errors, %d clients failed\n",
		clients, ms(percentile(signIns, 50)), ms(percentile(signIns, 99)), setupTime.Seconds(), errorsOf(setup), r.setupFailed)

	all, _ := r.load.total(classes)
	n := sum(all)
	fmt.Printf("requests           %8d in %.1f s: %.0f requests/s\n", n, r.elapsed.Seconds(), float64(n)/r.elapsed.Seconds())
	if r.serverCPU > 0 {
		fmt.Printf("CPU in the run: the server %.1f s, the load generator %.1f s, of %d cores × %.1f s; load average %s at the end\n",
			r.serverCPU.Seconds(), r.loadCPU.Seconds(), runtime.NumCPU(), r.elapsed.Seconds(), r.loadAvg)
	}
	for c := range classes {
		counts, lat := r.load.total(c)
		fmt.Printf("  %-16s %8d   p50 %9s   p99 %9s\n", classNames[c], sum(counts), ms(percentile(lat, 50)), ms(percentile(lat, 99)))
	}
	fmt.Printf("errors             %8d   (transport %d, 5xx %d, other unexpected answers %d)   goal 0\n",
		errorsOf(all), all[transportError], all[serverError], all[unexpected])
	fmt.Printf("refused, not lost  %8d   (409 conflict %d, 429 rate limited %d)\n", all[conflict]+all[rateLimited], all[conflict], all[rateLimited])
	writes, _ := r.load.total(write)
	rb := r.rb
	fmt.Printf("acknowledged writes %7d   (notes %d, activities created and changed %d, plans created %d)\n",
		rb.notes+rb.updates+rb.created, rb.notes, rb.updates, rb.created)
	fmt.Printf("missing after kill -9 and restart %d   (notes %d, duplicated notes %d, changes not in the audit trail %d, activities not in their last acknowledged state %d, plans %d)   goal 0\n",
		rb.missing(), rb.notesMissing, rb.notesDuplicated, rb.updatesMissing, rb.finalWrong, rb.createdMissing)
	fmt.Printf("writes without an answer %d (not acknowledged: may or may not be stored); stored notes never acknowledged %d; write requests %d\n",
		r.unsure, rb.notesUnacked, sum(writes))
	fmt.Printf("server log: %d errors   goal 0\n", r.serverErrs)
	r.load.printKinds(os.Stdout)
	for _, e := range append(r.setup.examples, r.load.examples...) {
		fmt.Println("  example:", e)
	}
	for _, p := range rb.problems {
		fmt.Println("  missing:", p)
	}
}
