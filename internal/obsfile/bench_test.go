package obsfile

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/inkludera/inkludera/internal/strategy"
)

// bigCSV is a million-row file as an Excel user in Sweden saves it:
// semicolons, decimal commas, Swedish headings. 290 kommuner × 50
// indicators × 23 years × 3 genders = 1 000 500 rows, every key distinct.
var bigCSV = sync.OnceValues(func() ([]byte, int) {
	var b bytes.Buffer
	b.WriteString("kommun;indikator;år;kön;värde\n")
	var orgs []string
	for county := 1; county <= 25 && len(orgs) < 290; county++ {
		for k := 10; k < 22 && len(orgs) < 290; k++ {
			orgs = append(orgs, fmt.Sprintf("%02d%02d", county, k))
		}
	}
	n := 0
	for ind := range 50 {
		name := fmt.Sprintf("indikator-%02d", ind)
		for _, org := range orgs {
			for year := 2000; year <= 2022; year++ {
				for _, g := range []string{"T", "K", "M"} {
					fmt.Fprintf(&b, "%s;%s;%d;%s;%d,%d\n", org, name, year, g, n%1000, n%10)
					n++
				}
			}
		}
	}
	return b.Bytes(), n
})

// BenchmarkReadCSV reads a million rows and reports, beside ns/op, the
// ratio to encoding/csv merely splitting the same file into records.
func BenchmarkReadCSV(b *testing.B) {
	data, n := bigCSV()
	ref := time.Duration(math.MaxInt64)
	for range 3 {
		start := time.Now()
		referenceSplit(b, data)
		ref = min(ref, time.Since(start))
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		obs, probs := Read("big.csv", data, Options{})
		if len(probs) > 0 || len(obs) != n {
			b.Fatalf("%d observations, %d problems: %v", len(obs), len(probs), probs)
		}
	}
	b.StopTimer()
	perOp := float64(b.Elapsed()) / float64(b.N)
	b.ReportMetric(perOp/float64(ref), "x-encoding/csv")
	b.ReportMetric(perOp/float64(n), "ns/row")
}

// referenceSplit is encoding/csv reading every record with no conversion:
// the floor any CSV reader in Go is compared with.
func referenceSplit(b *testing.B, data []byte) {
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = ';'
	r.ReuseRecord = true
	for {
		_, err := r.Read()
		if err == io.EOF {
			return
		}
		if err != nil {
			b.Fatal(err)
		}
	}
}

func TestBigCSVIsSound(t *testing.T) {
	if testing.Short() {
		t.Skip("a million rows")
	}
	data, n := bigCSV()
	obs, probs := Read("big.csv", data, Options{})
	if len(probs) > 0 || len(obs) != n || n != 1000500 {
		t.Fatalf("%d observations of %d, problems: %v", len(obs), n, probs)
	}
	if o := obs[7]; o.Org != "0110" || o.Indicator != "indikator-00" || o.Year != 2002 || o.Gender != strategy.Women || *o.Value != 7.7 {
		t.Errorf("row 9 read as %s", show(o))
	}
}

// FuzzReadCSV checks that no input makes Read panic, and that what it
// returns keeps the package's promises: problems located and capped,
// observations valid and unique.
func FuzzReadCSV(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.csv"))
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, "")
		f.Add(data, "2380")
	}
	f.Add([]byte("sep=\t\norg\tindicator\tyear\tgender\tvalue\n114\ti\t2020\t1+2\t\"1 234,5 %\""), "")
	f.Fuzz(func(t *testing.T, data []byte, defaultOrg string) {
		const maxProblems = 20
		d, probs := Parse("fuzz.csv", data, Options{DefaultOrg: defaultOrg, MaxProblems: maxProblems})
		if len(probs) > maxProblems+1 {
			t.Fatalf("%d problems, cap %d", len(probs), maxProblems)
		}
		for i, p := range probs {
			if p.File != "fuzz.csv" || p.Row < 0 || p.Line < p.Row || p.ColumnIndex < 0 {
				t.Fatalf("badly located problem %+v", p)
			}
			if p.Kind == KindMoreProblems && i != len(probs)-1 {
				t.Fatalf("\"more problems\" is not last: %v", probs)
			}
			if p.Swedish() == "" || p.English() == "" {
				t.Fatalf("no message for %+v", p)
			}
		}
		if len(d.Rows) != len(d.Observations) || len(d.Lines) != len(d.Observations) {
			t.Fatalf("%d observations, %d rows, %d lines", len(d.Observations), len(d.Rows), len(d.Lines))
		}
		seen := map[strategy.ObservationKey]bool{}
		for i, o := range d.Observations {
			if !strategy.ValidOrgCode(o.Org) || o.Year < firstYear || o.Year > lastYear || !o.Gender.Valid() || o.Indicator == "" {
				t.Fatalf("invalid observation %+v", o)
			}
			if o.Value != nil && (math.IsNaN(*o.Value) || math.IsInf(*o.Value, 0)) {
				t.Fatalf("value %v", *o.Value)
			}
			if seen[o.Key()] {
				t.Fatalf("key %v twice", o.Key())
			}
			seen[o.Key()] = true
			if i > 0 && d.Rows[i] <= d.Rows[i-1] {
				t.Fatalf("rows not increasing: %v", d.Rows)
			}
		}
	})
}
