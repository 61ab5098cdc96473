// Command search measures the strategy library's search: Inkludera's bleve
// Searcher against SQLite FTS5 over the same generated corpus and the same
// queries, in the same run. Use run.sh; see README.md.
package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers "sqlite"

	"github.com/inkludera/inkludera/internal/search"
	"github.com/inkludera/inkludera/internal/search/corpus"
)

// options are the command's flags.
type options struct {
	docs, samples, warmup int
	seed                  uint64
	goal                  float64
	dir, cpuprofile       string
	misses                bool
}

func main() {
	var o options
	flag.IntVar(&o.docs, "docs", envInt("DOCS", 10000), "documents to generate (DOCS)")
	flag.IntVar(&o.samples, "samples", envInt("SAMPLES", 1000), "queries to time on each side (SAMPLES)")
	flag.IntVar(&o.warmup, "warmup", 100, "queries run on each side before the timed ones")
	flag.Uint64Var(&o.seed, "seed", 1, "seed of the corpus and the queries")
	flag.Float64Var(&o.goal, "goal", 1.0, "the most p95(Inkludera)/p95(FTS5) may be; the exit status is 1 above it")
	flag.StringVar(&o.dir, "dir", "", "working directory for the indexes (default: a new temporary one, removed at the end)")
	flag.StringVar(&o.cpuprofile, "cpuprofile", "", "write a CPU profile of the timed queries (both sides) to this file")
	flag.BoolVar(&o.misses, "misses", false, "list the queries for which one side finds documents and the other none")
	flag.Parse()

	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "bench/search:", err)
		if errors.Is(err, errGoalMissed) {
			os.Exit(1)
		}
		os.Exit(2)
	}
}

var errGoalMissed = errors.New("the goal was missed")

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

func run(o options) error {
	ctx := context.Background()
	nDocs, nQueries, nWarmup, seed, goal, dir := o.docs, o.samples, o.warmup, o.seed, o.goal, o.dir
	if dir == "" {
		tmp, err := os.MkdirTemp("", "bench-search-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	}
	fmt.Printf("machine: %d CPUs (GOMAXPROCS %d), %s\n", runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.Version())

	start := time.Now()
	docs := corpus.Documents(nDocs, seed)
	queries := corpus.Queries(nWarmup+nQueries, seed)
	var textBytes, words int
	for _, d := range docs {
		textBytes += len(d.Title) + len(d.Text)
		words += len(strings.Fields(d.Text))
	}
	fmt.Printf("corpus: %d documents, %d words (%.0f a document), %.1f MB of text; %d queries (+%d warm-up); generated in %.1f s\n",
		len(docs), words, float64(words)/float64(len(docs)), float64(textBytes)/1e6, nQueries, nWarmup, time.Since(start).Seconds())

	ours, oursBuild, err := buildBleve(ctx, filepath.Join(dir, "bleve"), docs)
	if err != nil {
		return err
	}
	defer ours.Close()
	ref, refBuild, err := buildFTS5(ctx, filepath.Join(dir, "fts5.db"), docs)
	if err != nil {
		return err
	}
	defer ref.Close()
	docs = nil // the indexes hold them now
	runtime.GC()

	oursSize, err := dirSize(filepath.Join(dir, "bleve"))
	if err != nil {
		return err
	}
	refSize, err := dirSize(filepath.Join(dir, "fts5.db"))
	if err != nil {
		return err
	}
	fmt.Printf("index build: Inkludera (bleve) %.1f s, %.0f MB; FTS5 %.1f s, %.0f MB\n",
		oursBuild.Seconds(), float64(oursSize)/1e6, refBuild.Seconds(), float64(refSize)/1e6)

	// Warm-up, then the timed queries, alternating which side goes first.
	for _, q := range queries[:nWarmup] {
		if _, err := ours.Search(ctx, q.Query); err != nil {
			return fmt.Errorf("inkludera, query %q: %w", q.Text, err)
		}
		if _, err := ref.search(ctx, q); err != nil {
			return fmt.Errorf("fts5, query %q: %w", q.Text, err)
		}
	}
	stopProfile, err := startProfile(o.cpuprofile)
	if err != nil {
		return err
	}
	timed := queries[nWarmup:]
	oursTimes := make([]time.Duration, len(timed))
	refTimes := make([]time.Duration, len(timed))
	oursHits, refHits := 0, 0
	var misses []string
	byClass := map[string]*classStats{}
	for i, q := range timed {
		var oursTotal, refTotal int
		runOurs := func() error {
			t := time.Now()
			res, err := ours.Search(ctx, q.Query)
			oursTimes[i] = time.Since(t)
			if err != nil {
				return fmt.Errorf("inkludera, query %q: %w", q.Text, err)
			}
			oursTotal = res.Total
			if res.Total > 0 {
				oursHits++
				class(byClass, q.Class).ours++
			}
			return nil
		}
		runRef := func() error {
			t := time.Now()
			total, err := ref.search(ctx, q)
			refTimes[i] = time.Since(t)
			if err != nil {
				return fmt.Errorf("fts5, query %q: %w", q.Text, err)
			}
			refTotal = total
			if total > 0 {
				refHits++
				class(byClass, q.Class).ref++
			}
			return nil
		}
		class(byClass, q.Class).n++
		first, second := runOurs, runRef
		if i%2 == 1 {
			first, second = runRef, runOurs
		}
		if err := first(); err != nil {
			return err
		}
		if err := second(); err != nil {
			return err
		}
		c := class(byClass, q.Class)
		c.oursTime = append(c.oursTime, oursTimes[i])
		c.refTime = append(c.refTime, refTimes[i])
		if o.misses && (oursTotal > 0) != (refTotal > 0) {
			misses = append(misses, fmt.Sprintf("%-9s %-45q region=%q kind=%q year=%d: Inkludera %d, FTS5 %d",
				q.Class, q.Text, q.Region, q.Kind, q.Year, oursTotal, refTotal))
		}
	}
	for _, m := range misses {
		fmt.Println("one side only:", m)
	}
	stopProfile()

	o50, o95, o99 := percentiles(oursTimes)
	r50, r95, r99 := percentiles(refTimes)
	fmt.Printf("\n%-28s %10s %10s %10s %8s\n", "latency per query", "p50", "p95", "p99", "≥1 hit")
	fmt.Printf("%-28s %10s %10s %10s %8d\n", "Inkludera (bleve)", ms(o50), ms(o95), ms(o99), oursHits)
	fmt.Printf("%-28s %10s %10s %10s %8d\n", "SQLite FTS5", ms(r50), ms(r95), ms(r99), refHits)
	fmt.Printf("\nby kind of query: queries with ≥ 1 hit, and p50 / p95 (Inkludera | FTS5)\n")
	for _, name := range slices.Sorted(maps.Keys(byClass)) {
		c := byClass[name]
		a50, a95, _ := percentiles(c.oursTime)
		b50, b95, _ := percentiles(c.refTime)
		fmt.Printf("  %-10s %4d / %4d of %4d   %9s %9s | %9s %9s\n", name, c.ours, c.ref, c.n, ms(a50), ms(a95), ms(b50), ms(b95))
	}
	ratio := float64(o95) / float64(r95)
	verdict := "met"
	if ratio > goal {
		verdict = "missed"
	}
	fmt.Printf("\nratio p95(Inkludera)/p95(FTS5) = %.2f× (goal ≤ %.2f×: %s)\n", ratio, goal, verdict)
	if ratio > goal {
		return errGoalMissed
	}
	return nil
}

type classStats struct {
	n, ours, ref      int
	oursTime, refTime []time.Duration
}

func class(m map[string]*classStats, name string) *classStats {
	if m[name] == nil {
		m[name] = &classStats{}
	}
	return m[name]
}

func buildBleve(ctx context.Context, dir string, docs []search.Document) (*search.Bleve, time.Duration, error) {
	start := time.Now()
	b, err := search.OpenBleve(dir)
	if err != nil {
		return nil, 0, err
	}
	if err := b.Index(ctx, docs...); err != nil {
		b.Close()
		return nil, 0, err
	}
	// Closing waits for the segments to be persisted; the searches run on
	// the index as it is opened from disk.
	if err := b.Close(); err != nil {
		return nil, 0, err
	}
	elapsed := time.Since(start)
	b, err = search.OpenBleve(dir)
	if err != nil {
		return nil, 0, err
	}
	if n, err := b.Count(ctx); err != nil || n != len(docs) {
		return nil, 0, fmt.Errorf("inkludera: the index holds %d documents, want %d (%v)", n, len(docs), err)
	}
	return b, elapsed, nil
}

// startProfile starts a CPU profile when path is set and returns its stop.
func startProfile(path string) (func(), error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

func percentiles(ds []time.Duration) (p50, p95, p99 time.Duration) {
	s := slices.Clone(ds)
	slices.Sort(s)
	at := func(p float64) time.Duration {
		i := int(p*float64(len(s))+0.5) - 1
		return s[min(max(i, 0), len(s)-1)]
	}
	return at(0.50), at(0.95), at(0.99)
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }

func dirSize(path string) (int64, error) {
	var total int64
	err := filepath.WalkDir(path, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			info, err := d.Info()
			if err != nil {
				return err
			}
			total += info.Size()
		}
		return nil
	})
	return total, err
}

// fts5 is the reference: an FTS5 table of the same documents beside a
// table of their metadata, in a temporary SQLite file.
type fts5 struct {
	db *sql.DB
}

func (f *fts5) Close() error { return f.db.Close() }

func buildFTS5(ctx context.Context, path string, docs []search.Document) (*fts5, time.Duration, error) {
	start := time.Now()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)")
	if err != nil {
		return nil, 0, err
	}
	db.SetMaxOpenConns(1)
	stmts := []string{
		`CREATE TABLE meta (id INTEGER PRIMARY KEY, org TEXT, org_name TEXT, region TEXT, region_name TEXT, kind TEXT, year INTEGER)`,
		`CREATE VIRTUAL TABLE docs USING fts5(title, text, tokenize='unicode61 remove_diacritics 0')`,
	}
	for _, s := range stmts {
		if _, err := db.ExecContext(ctx, s); err != nil {
			db.Close()
			return nil, 0, err
		}
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		db.Close()
		return nil, 0, err
	}
	insMeta, err := tx.PrepareContext(ctx, `INSERT INTO meta VALUES ($1, $2, $3, $4, $5, $6, $7)`)
	if err != nil {
		tx.Rollback()
		db.Close()
		return nil, 0, err
	}
	insDoc, err := tx.PrepareContext(ctx, `INSERT INTO docs (rowid, title, text) VALUES ($1, $2, $3)`)
	if err != nil {
		tx.Rollback()
		db.Close()
		return nil, 0, err
	}
	for _, d := range docs {
		if _, err := insMeta.ExecContext(ctx, d.ID, d.OrgCode, d.OrgName, d.Region, d.RegionName, d.Kind, d.Year); err != nil {
			tx.Rollback()
			db.Close()
			return nil, 0, err
		}
		if _, err := insDoc.ExecContext(ctx, d.ID, d.Title, d.Text); err != nil {
			tx.Rollback()
			db.Close()
			return nil, 0, err
		}
	}
	if err := tx.Commit(); err != nil {
		db.Close()
		return nil, 0, err
	}
	// Merge FTS5's b-trees into one, as bleve merges its segments: the
	// reference's queries run on its best layout. Rank by BM25 with the
	// title weighed twice, as Inkludera boosts it, so that "ORDER BY rank
	// LIMIT 10" lets FTS5 sort inside the table and compute snippet() for
	// the ten rows returned only.
	for _, s := range []string{
		`INSERT INTO docs(docs) VALUES ('optimize')`,
		`INSERT INTO docs(docs, rank) VALUES ('rank', 'bm25(2.0, 1.0)')`,
	} {
		if _, err := db.ExecContext(ctx, s); err != nil {
			db.Close()
			return nil, 0, err
		}
	}
	if _, err := db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		db.Close()
		return nil, 0, err
	}
	return &fts5{db: db}, time.Since(start), nil
}

// matchExpr is the FTS5 form of a query: quoted words and phrases, which
// FTS5 ANDs, then NOT for each excluded word.
func matchExpr(q corpus.Query) string {
	var b strings.Builder
	quote := func(s string) {
		b.WriteByte('"')
		b.WriteString(strings.ReplaceAll(s, `"`, `""`))
		b.WriteByte('"')
	}
	for _, w := range q.Words {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		quote(w)
	}
	for _, p := range q.Phrases {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		quote(strings.Join(p, " "))
	}
	for _, e := range q.Excluded {
		b.WriteString(" NOT ")
		quote(e)
	}
	return b.String()
}

// search does what Inkludera's Search does: the top 10 by BM25 (the title
// weighed twice, as Inkludera boosts it) with a snippet each, the total,
// and the facet counts over every match. The total and the facets come
// from one pass over the matches joined to their metadata; the snippets
// are made for the ten rows returned only (ORDER BY rank).
func (f *fts5) search(ctx context.Context, q corpus.Query) (int, error) {
	filter, args := "", []any{matchExpr(q)}
	switch {
	case q.Region != "":
		filter, args = " AND m.region = $2", append(args, q.Region)
	case q.Kind != "":
		filter, args = " AND m.kind = $2", append(args, q.Kind)
	case q.Year != 0:
		filter, args = " AND m.year = $2", append(args, q.Year)
	}
	join := ""
	if filter != "" {
		join = " JOIN meta m ON m.id = docs.rowid"
	}
	rows, err := f.db.QueryContext(ctx, `SELECT docs.rowid, docs.title,
		snippet(docs, 1, '[', ']', '…', 32), rank
		FROM docs`+join+` WHERE docs MATCH $1`+filter+` ORDER BY rank LIMIT 10`, args...)
	if err != nil {
		return 0, err
	}
	for rows.Next() {
		var id int64
		var title, snippet string
		var score float64
		if err := rows.Scan(&id, &title, &snippet, &score); err != nil {
			rows.Close()
			return 0, err
		}
	}
	if err := rows.Close(); err != nil {
		return 0, err
	}

	rows, err = f.db.QueryContext(ctx, `SELECT m.org, m.org_name, m.region, m.region_name, m.kind, m.year
		FROM docs JOIN meta m ON m.id = docs.rowid WHERE docs MATCH $1`+filter, args...)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	type key struct{ value, label string }
	orgs, regions, kinds, years := map[key]int{}, map[key]int{}, map[string]int{}, map[int]int{}
	total := 0
	for rows.Next() {
		var org, orgName, region, regionName, kind string
		var year int
		if err := rows.Scan(&org, &orgName, &region, &regionName, &kind, &year); err != nil {
			return 0, err
		}
		total++
		orgs[key{org, orgName}]++
		regions[key{region, regionName}]++
		kinds[kind]++
		years[year]++
	}
	if err := rows.Err(); err != nil {
		return 0, err
	}
	// Sorted as Inkludera sorts its facets: by count, then value.
	type count struct {
		value string
		n     int
	}
	sorted := func(n int, each func(func(string, int))) []count {
		out := make([]count, 0, n)
		each(func(v string, c int) { out = append(out, count{v, c}) })
		slices.SortFunc(out, func(a, b count) int {
			if a.n != b.n {
				return b.n - a.n
			}
			return strings.Compare(a.value, b.value)
		})
		return out
	}
	sorted(len(orgs), func(f func(string, int)) {
		for k, c := range orgs {
			f(k.value, c)
		}
	})
	sorted(len(regions), func(f func(string, int)) {
		for k, c := range regions {
			f(k.value, c)
		}
	})
	sorted(len(kinds), func(f func(string, int)) {
		for k, c := range kinds {
			f(k, c)
		}
	})
	sorted(len(years), func(f func(string, int)) {
		for k, c := range years {
			f(strconv.Itoa(k), c)
		}
	})
	return total, nil
}
