// Command ingest measures how fast Inkludera stores Kolada observations in
// a fresh SQLite database, against the sqlite3 command-line tool importing
// the same rows as CSV into a table with the same definition, in the same
// run. Use run.sh; see bench/README.md.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "ingest:", err)
		os.Exit(1)
	}
}

type config struct {
	n          int
	runs       int
	dir        string
	sqlite3    string
	decoder    string
	workers    int
	cpuprofile string
}

func run() error {
	var c config
	flag.IntVar(&c.n, "n", 1_000_000, "observations in the file")
	flag.IntVar(&c.runs, "runs", 3, "runs of each side; the median is reported")
	flag.StringVar(&c.dir, "dir", "", "working folder (default: a new temporary folder, removed afterwards)")
	flag.StringVar(&c.sqlite3, "sqlite3", "sqlite3", "the sqlite3 command-line tool")
	flag.StringVar(&c.decoder, "decoder", "stream", "how Inkludera's side decodes the JSON: stream (one pass, no entries built) or encoding/json")
	flag.IntVar(&c.workers, "decoders", runtime.GOMAXPROCS(0), "with -decoder encoding/json: pages decoded at once (1: one json.Unmarshal of the file)")
	flag.StringVar(&c.cpuprofile, "cpuprofile", "", "write a CPU profile of Inkludera's side of the last run to this file")
	flag.Parse()
	if c.decoder != "stream" && c.decoder != "encoding/json" {
		return fmt.Errorf("-decoder %q: want stream or encoding/json", c.decoder)
	}
	if c.runs < 1 || c.n < 1 {
		return fmt.Errorf("-runs and -n must be positive")
	}
	if _, err := exec.LookPath(c.sqlite3); err != nil {
		return fmt.Errorf("%s not found: apt-get install sqlite3", c.sqlite3)
	}
	if c.dir == "" {
		d, err := os.MkdirTemp("", "inkludera-bench-ingest-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(d)
		c.dir = d
	} else if err := os.MkdirAll(c.dir, 0o755); err != nil {
		return err
	}

	jsonPath, csvPath := filepath.Join(c.dir, "kolada.json"), filepath.Join(c.dir, "observations.csv")
	ds := newDataset(c.n)
	if err := ds.write(jsonPath, csvPath); err != nil {
		return err
	}
	ref, err := newReference(c)
	if err != nil {
		return err
	}
	fmt.Printf("data: %d observations (%d KPIs × %d kommuner × %d years × T/K/M, %d null), JSON %.1f MB, CSV %.1f MB\n",
		c.n, len(ds.kpis), len(ds.orgs), ds.years, ds.nulls, fileSize(jsonPath)/1e6, fileSize(csvPath)/1e6)
	fmt.Printf("sqlite3 %s, settings: %s\n", ref.version, strings.Join(ref.pragmas, " "))
	decoding := "stream decoder"
	if c.decoder == "encoding/json" {
		decoding = fmt.Sprintf("encoding/json, %d page(s) of %d entries at a time", c.workers, perPage)
	}
	fmt.Printf("inkludera: %s; GOMAXPROCS %d\n", decoding, runtime.GOMAXPROCS(0))
	fmt.Printf("machine: %s, %d cores, %s/%s, %s, %s\n\n", cpuModel(), runtime.NumCPU(), runtime.GOOS, runtime.GOARCH,
		runtime.Version(), time.Now().Format("2006-01-02"))

	var inks, refs []result
	for i := range c.runs {
		inkPath, refPath := filepath.Join(c.dir, fmt.Sprintf("inkludera-%d.db", i)), filepath.Join(c.dir, fmt.Sprintf("sqlite3-%d.db", i))
		removeDB(inkPath) // fresh databases, whatever an earlier, failed run left
		removeDB(refPath)
		profile := ""
		if i == c.runs-1 {
			profile = c.cpuprofile
		}
		// Alternate which side goes first, so neither always meets the
		// other's leftovers in the page cache and on the disk.
		sides := []func() error{
			func() error {
				r, err := runInkludera(inkPath, jsonPath, c, ds, profile)
				inks = append(inks, r)
				return err
			},
			func() error {
				r, err := ref.run(refPath, csvPath, ds)
				refs = append(refs, r)
				return err
			},
		}
		if i%2 == 1 {
			slices.Reverse(sides)
		}
		for _, side := range sides {
			if err := side(); err != nil {
				return err
			}
		}
		fmt.Printf("run %d  inkludera %s\n       sqlite3   %s\n", i+1, inks[i], refs[i])
		if i == 0 {
			// Once, untimed: both databases hold the same rows.
			ulp, err := ref.compare(inkPath, refPath, ds.n)
			if err != nil {
				return err
			}
			fmt.Printf("       both databases hold the same %d rows", ds.n)
			if ulp > 0 {
				fmt.Printf(" (%d values a bit apart in the last place: this sqlite3 rounds some decimal texts to a neighbouring double)", ulp)
			}
			fmt.Println()
		}
		removeDB(inkPath)
		removeDB(refPath)
	}

	mi, mr := median(inks), median(refs)
	fmt.Printf("\nmedian of %d   rows       seconds   rows/s     cpu-s\n", c.runs)
	fmt.Printf("inkludera     %-10d %-9.2f %-10.0f %.2f  (read+decode %.2f s, store+close %.2f s)\n",
		mi.rows, mi.wall.Seconds(), mi.rate(), mi.cpu.Seconds(), mi.decode.Seconds(), (mi.wall - mi.decode).Seconds())
	fmt.Printf("sqlite3       %-10d %-9.2f %-10.0f %.2f\n", mr.rows, mr.wall.Seconds(), mr.rate(), mr.cpu.Seconds())
	fmt.Printf("ratio (inkludera rows/s ÷ sqlite3 rows/s): %.2f×\n", mi.rate()/mr.rate())
	return nil
}

// result is one timed run of one side.
type result struct {
	rows   int
	wall   time.Duration
	cpu    time.Duration // user + system
	decode time.Duration // Inkludera only: reading and decoding the file
}

func (r result) rate() float64 { return float64(r.rows) / r.wall.Seconds() }

func (r result) String() string {
	s := fmt.Sprintf("%d rows in %.2f s = %.0f rows/s (cpu %.2f s)", r.rows, r.wall.Seconds(), r.rate(), r.cpu.Seconds())
	if r.decode > 0 {
		s += fmt.Sprintf(", of which read+decode %.2f s", r.decode.Seconds())
	}
	return s
}

// median is the run with the median wall time.
func median(rs []result) result {
	s := slices.Clone(rs)
	slices.SortFunc(s, func(a, b result) int { return int(a.wall - b.wall) })
	return s[len(s)/2]
}

func removeDB(path string) {
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		os.Remove(path + suffix)
	}
}

// cpuModel is the processor's name as Linux gives it.
func cpuModel() string {
	data, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown processor"
	}
	for line := range strings.Lines(string(data)) {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown processor"
}

func fileSize(path string) float64 {
	fi, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return float64(fi.Size())
}
