// Command national measures the comparison API at national scale: the
// latency of rankings and kommun profiles through Inkludera's HTTP API,
// against the same SQL statements the store runs for them, run directly
// by sqlite3 or psql on the same database, in the same run. Use run.sh;
// see README.md.
package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	_ "modernc.org/sqlite"             // registers "sqlite"

	"github.com/inkludera/inkludera/internal/store"
)

func main() {
	api := flag.String("api", "", "base URL of inkludera serve, e.g. http://127.0.0.1:18390")
	dsn := flag.String("db", "", "the database the server serves: a SQLite file or a postgres:// URL")
	n := flag.Int("n", 200, "samples of each kind")
	seed := flag.Uint64("seed", 1, "seed of the samples")
	sqlite3 := flag.String("sqlite3", "sqlite3", "the sqlite3 command")
	psql := flag.String("psql", "psql", "the psql command")
	goal := flag.Float64("goal", 2, "the most API p95 may be of the direct p95; the exit status is 3 when a kind misses it")
	flag.Parse()
	if *api == "" || *dsn == "" {
		fmt.Fprintln(os.Stderr, "usage: national -api URL -db DSN [-n 200]")
		os.Exit(2)
	}
	b, err := newBench(*api, *dsn, *n, *seed)
	if err != nil {
		fmt.Fprintln(os.Stderr, "national:", err)
		os.Exit(1)
	}
	b.goal = *goal
	defer b.db.Close()
	if store.IsPostgres(*dsn) {
		b.label = "psql"
		b.client = func(samples []sample) (*client, error) { return psqlClient(*psql, *dsn, samples) }
	} else {
		b.label = "sqlite3"
		path := strings.TrimPrefix(*dsn, "sqlite:")
		b.client = func([]sample) (*client, error) { return sqliteClient(*sqlite3, path) }
	}
	met, err := b.run()
	if err != nil {
		fmt.Fprintln(os.Stderr, "national:", err)
		os.Exit(1)
	}
	if !met {
		os.Exit(3)
	}
}

// stmt is one statement with its arguments, as the store runs it.
type stmt struct {
	name string // the prepared statement's name in psql
	sql  string
	args []any
}

// sample is one API call and the statements the store runs for it.
type sample struct {
	path  string
	stmts []stmt
}

type bench struct {
	goal   float64
	api    string
	db     *sql.DB
	n      int
	rng    *rand.Rand
	label  string                                  // the direct side: sqlite3 or psql
	client func(samples []sample) (*client, error) // starts the direct side
}

func newBench(api, dsn string, n int, seed uint64) (*bench, error) {
	driver, conn := "sqlite", strings.TrimPrefix(dsn, "sqlite:")
	if store.IsPostgres(dsn) {
		driver, conn = "pgx", dsn
	} else {
		conn += "?_pragma=query_only(1)"
	}
	db, err := sql.Open(driver, conn)
	if err != nil {
		return nil, err
	}
	return &bench{api: strings.TrimSuffix(api, "/"), db: db, n: n, rng: rand.New(rand.NewPCG(seed, 2))}, nil
}

type indicator struct {
	id          int64
	key         string
	first, last int
}

// run measures both kinds and reports whether both met the goal.
func (b *bench) run() (bool, error) {
	ctx := context.Background()
	var inds []indicator
	rows, err := b.db.QueryContext(ctx, `SELECT i.id, i.key,
		(SELECT MIN(o.year) FROM observations o WHERE o.indicator_id = i.id),
		(SELECT MAX(o.year) FROM observations o WHERE o.indicator_id = i.id)
		FROM indicators i ORDER BY i.id`)
	if err != nil {
		return false, err
	}
	for rows.Next() {
		var ind indicator
		var first, last sql.NullInt64
		if err := rows.Scan(&ind.id, &ind.key, &first, &last); err != nil {
			return false, err
		}
		if first.Valid {
			ind.first, ind.last = int(first.Int64), int(last.Int64)
			inds = append(inds, ind)
		}
	}
	if err := rows.Err(); err != nil {
		return false, err
	}
	var kommuner []string
	rows, err = b.db.QueryContext(ctx, `SELECT code FROM organisations WHERE kind = 'kommun' ORDER BY code`)
	if err != nil {
		return false, err
	}
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return false, err
		}
		kommuner = append(kommuner, c)
	}
	if err := rows.Err(); err != nil {
		return false, err
	}
	var observations int64
	if err := b.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM observations`).Scan(&observations); err != nil {
		return false, err
	}
	if len(inds) == 0 || len(kommuner) == 0 {
		return false, fmt.Errorf("the database has no indicators with values or no kommuner: run inkludera demo national first")
	}
	minYear, maxYear := inds[0].first, inds[0].last
	for _, ind := range inds {
		minYear, maxYear = min(minYear, ind.first), max(maxYear, ind.last)
	}
	fmt.Printf("Database: %d observations, %d indicators with values, %d kommuner, %d–%d; %s; %d samples of each kind.\n",
		observations, len(inds), len(kommuner), minYear, maxYear, b.label, b.n)

	var rankings, profiles []sample
	for range b.n {
		ind := inds[b.rng.IntN(len(inds))]
		year := ind.first + b.rng.IntN(ind.last-ind.first+1)
		rankings = append(rankings, sample{
			path: fmt.Sprintf("/api/v1/indicators/%s/ranking?year=%d", url.PathEscape(ind.key), year),
			stmts: []stmt{
				{"ranking_head", store.RankingHeadSQL, []any{ind.key, "T"}},
				{"ranking", store.RankingSQL, []any{ind.id, year, "T"}},
			},
		})
	}
	for range b.n {
		code := kommuner[b.rng.IntN(len(kommuner))]
		year := minYear + b.rng.IntN(maxYear-minYear+1)
		s, err := b.profileSample(ctx, code, year)
		if err != nil {
			return false, err
		}
		profiles = append(profiles, s)
	}

	// Each sample is run through the API, directly in the database's own
	// client, and through Go's driver in this process, one right after
	// the other, so that the sides of a sample meet the same load. Ten samples of each kind warm both sides first:
	// connections, prepared statements, the pages the samples read.
	// sqlite3 times whole milliseconds: a ranking's statements run ten
	// times a sample, a profile's (tens of milliseconds) once.
	met := true
	for _, kind := range []struct {
		name    string
		samples []sample
		repeats int
	}{{"ranking", rankings, 10}, {"profile", profiles, 1}} {
		c, err := b.client(kind.samples)
		if err != nil {
			return false, err
		}
		warm := kind.samples[:min(10, len(kind.samples))]
		apiTimes := make([]time.Duration, len(kind.samples))
		direct := make([]time.Duration, len(kind.samples))
		driver := make([]time.Duration, len(kind.samples))
		for i, s := range slices.Concat(warm, kind.samples) {
			// The three sides of a sample one after the other, the
			// order rotating.
			var t [3]time.Duration
			sides := []func() error{
				func() (err error) { t[0], err = b.get(s.path); return err },
				func() (err error) { t[1], err = c.run(s, kind.repeats); return err },
				func() (err error) { t[2], err = b.viaDriver(ctx, s); return err },
			}
			for k := range sides {
				if err := sides[(i+k)%len(sides)](); err != nil {
					c.close()
					return false, err
				}
			}
			if j := i - len(warm); j >= 0 {
				apiTimes[j], direct[j], driver[j] = t[0], t[1], t[2]
			}
		}
		c.close()
		statements := 0
		for _, s := range kind.samples {
			statements += len(s.stmts)
		}
		a50, a95 := percentile(apiTimes, 50), percentile(apiTimes, 95)
		d50, d95 := percentile(direct, 50), percentile(direct, 95)
		g50, g95 := percentile(driver, 50), percentile(driver, 95)
		ratio := float64(a95) / float64(d95)
		verdict := "met"
		if ratio > b.goal {
			verdict, met = "missed", false
		}
		fmt.Printf("%s (%.1f statements a call)\n", kind.name, float64(statements)/float64(len(kind.samples)))
		fmt.Printf("  %-23s p50 %10s  p95 %10s\n", "API", ms(a50), ms(a95))
		fmt.Printf("  %-23s p50 %10s  p95 %10s\n", b.label+" (direct)", ms(d50), ms(d95))
		fmt.Printf("  %-23s p50 %10s  p95 %10s\n", "Go driver (in process)", ms(g50), ms(g95))
		fmt.Printf("  API ÷ %s: p50 %.2f×, p95 %.2f× (goal ≤ %g×: %s); API ÷ Go driver: p50 %.2f×, p95 %.2f×\n",
			b.label, float64(a50)/float64(d50), ratio, b.goal, verdict, float64(a50)/float64(g50), float64(a95)/float64(g95))
	}
	return met, nil
}

// profileSample is a profile call with its statements: the organisation,
// its peer group, the profile, and one median per indicator with a value,
// whose arguments are read here as the store reads them.
func (b *bench) profileSample(ctx context.Context, code string, year int) (sample, error) {
	s := sample{path: fmt.Sprintf("/api/v1/organisations/%s/profile?year=%d", code, year)}
	var group string
	rows, err := b.db.QueryContext(ctx, store.PeerGroupSQL, code)
	if err != nil {
		return s, err
	}
	for rows.Next() {
		var id, title, kind, of, source, member string
		var y sql.NullInt64
		if err := rows.Scan(&id, &title, &kind, &of, &y, &source, &member); err != nil {
			return s, err
		}
		group = id
	}
	if err := rows.Err(); err != nil {
		return s, err
	}
	s.stmts = []stmt{
		{"organisation", store.OrganisationSQL, []any{code}},
		{"peer_group", store.PeerGroupSQL, []any{code}},
		{"profile", store.ProfileSQL, []any{code, year, group}},
	}
	rows, err = b.db.QueryContext(ctx, store.ProfileSQL, code, year, group)
	if err != nil {
		return s, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var key, title, unit, polarity string
		var y, better, n sql.NullInt64
		var ranked int
		var v, mean sql.NullFloat64
		if err := rows.Scan(&id, &key, &title, &unit, &polarity, &y, &v, &ranked, &better, &mean, &n); err != nil {
			return s, err
		}
		if v.Valid && ranked > 0 {
			s.stmts = append(s.stmts, stmt{"median", store.MedianSQL, []any{id, int(y.Int64), 2 - ranked%2, (ranked - 1) / 2}})
		}
	}
	return s, rows.Err()
}

// viaDriver times the sample's statements through Go's database/sql and
// the driver the server uses (modernc.org/sqlite, pgx), every row read:
// the store's part of an API call, without HTTP, JSON and the handler.
func (b *bench) viaDriver(ctx context.Context, s sample) (time.Duration, error) {
	start := time.Now()
	for _, st := range s.stmts {
		rows, err := b.db.QueryContext(ctx, st.sql, st.args...)
		if err != nil {
			return 0, fmt.Errorf("%s: %w", st.name, err)
		}
		cols, err := rows.ColumnTypes()
		if err != nil {
			rows.Close()
			return 0, err
		}
		dest := make([]any, len(cols))
		for i := range dest {
			dest[i] = new(any)
		}
		for rows.Next() {
			if err := rows.Scan(dest...); err != nil {
				rows.Close()
				return 0, err
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return 0, err
		}
	}
	return time.Since(start), nil
}

// get times one API call, the whole body read.
func (b *bench) get(path string) (time.Duration, error) {
	start := time.Now()
	res, err := http.Get(b.api + path)
	if err != nil {
		return 0, err
	}
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	d := time.Since(start)
	if err != nil {
		return 0, err
	}
	if res.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("GET %s: %s: %s", path, res.Status, body)
	}
	return d, nil
}

// client is a database's own command-line client, kept running for the
// whole measurement and fed one sample at a time, so that a sample's
// direct run and its API call are made under the same load: the machine
// may be shared.
type client struct {
	label string
	cmd   *exec.Cmd
	in    io.WriteCloser
	out   *bufio.Reader
	// begin and end print the marker lines around a sample; timing
	// matches a statement's time as the client reports it, in unit.
	begin, end func(w io.Writer)
	timing     *regexp.Regexp
	unit       time.Duration
	// statement writes one execution of a statement.
	statement func(w io.Writer, st stmt)
}

const (
	markBegin = "=== sample"
	markEnd   = "=== done"
)

// start runs the client; stdbuf makes its output line-buffered, so that
// each sample's times can be read as soon as it is done.
func (c *client) start(setup string) error {
	c.cmd.Stderr = os.Stderr
	in, err := c.cmd.StdinPipe()
	if err != nil {
		return err
	}
	out, err := c.cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := c.cmd.Start(); err != nil {
		return err
	}
	c.in, c.out = in, bufio.NewReaderSize(out, 1<<16)
	_, err = io.WriteString(c.in, setup)
	return err
}

// run executes the sample's statements repeats times in a row and returns
// the mean of the sums of their times.
func (c *client) run(s sample, repeats int) (time.Duration, error) {
	var script bytes.Buffer
	c.begin(&script)
	for range repeats {
		for _, st := range s.stmts {
			c.statement(&script, st)
		}
	}
	c.end(&script)
	if _, err := c.in.Write(script.Bytes()); err != nil {
		return 0, err
	}
	var sum time.Duration
	started := false
	for {
		line, err := c.out.ReadString('\n')
		if err != nil {
			return 0, fmt.Errorf("%s stopped: %v", c.label, err)
		}
		line = strings.TrimSpace(line)
		switch {
		case line == markBegin:
			started, sum = true, 0
		case line == markEnd && started:
			return sum / time.Duration(repeats), nil
		case started:
			if m := c.timing.FindStringSubmatch(line); m != nil {
				v, err := strconv.ParseFloat(m[1], 64)
				if err != nil {
					return 0, err
				}
				sum += time.Duration(v * float64(c.unit))
			}
		}
	}
}

func (c *client) close() {
	c.in.Close()
	c.cmd.Wait()
}

// sqliteClient is one sqlite3 process with .timer on: each statement's
// "Run Time: real" counts; results go to /dev/null. The timer shows whole
// milliseconds, coarser than a ranking takes, which is why rankings are
// run several times a sample.
func sqliteClient(cmd, path string) (*client, error) {
	c := &client{
		label:  "sqlite3",
		cmd:    exec.Command("stdbuf", "-oL", cmd, "-bail", path),
		timing: regexp.MustCompile(`^Run Time: real ([0-9.]+)`),
		unit:   time.Second,
		begin:  func(w io.Writer) { fmt.Fprintf(w, ".output\n.print '%s'\n.output /dev/null\n", markBegin) },
		end:    func(w io.Writer) { fmt.Fprintf(w, ".output\n.print '%s'\n.output /dev/null\n", markEnd) },
		statement: func(w io.Writer, st stmt) {
			io.WriteString(w, ".parameter init\n.parameter clear\n")
			for i, a := range st.args {
				fmt.Fprintf(w, ".parameter set $%d %s\n", i+1, sqlLiteral(a))
			}
			io.WriteString(w, st.sql+";\n")
		},
	}
	return c, c.start(".timer on\n.output /dev/null\n")
}

// psqlClient is one psql process that prepares each statement once and
// EXECUTEs it per sample, as the server's driver does, with \timing on
// (microseconds); results go to /dev/null.
func psqlClient(cmd, url string, samples []sample) (*client, error) {
	c := &client{
		label:  "psql",
		cmd:    exec.Command("stdbuf", "-oL", cmd, "--no-psqlrc", "--quiet", "-X", url),
		timing: regexp.MustCompile(`^Time: ([0-9.]+) ms`),
		unit:   time.Millisecond,
		begin:  func(w io.Writer) { fmt.Fprintf(w, "\\echo '%s'\n", markBegin) },
		end:    func(w io.Writer) { fmt.Fprintf(w, "\\echo '%s'\n", markEnd) },
		statement: func(w io.Writer, st stmt) {
			args := make([]string, len(st.args))
			for i, a := range st.args {
				args[i] = sqlLiteral(a)
			}
			fmt.Fprintf(w, "EXECUTE %s(%s);\n", st.name, strings.Join(args, ", "))
		},
	}
	var setup strings.Builder
	setup.WriteString("\\set ON_ERROR_STOP on\n")
	prepared := map[string]bool{}
	for _, s := range samples {
		for _, st := range s.stmts {
			if !prepared[st.name] {
				prepared[st.name] = true
				fmt.Fprintf(&setup, "PREPARE %s AS %s;\n", st.name, st.sql)
			}
		}
	}
	setup.WriteString("\\o /dev/null\n\\timing on\n")
	return c, c.start(setup.String())
}

// sqlLiteral writes an argument as SQL: numbers as they are, text quoted.
func sqlLiteral(a any) string {
	switch v := a.(type) {
	case string:
		return "'" + strings.ReplaceAll(v, "'", "''") + "'"
	default:
		return fmt.Sprint(v)
	}
}

func percentile(d []time.Duration, p int) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	i := (len(s)*p + 99) / 100 // nearest rank
	return s[max(0, min(len(s)-1, i-1))]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond)) }
