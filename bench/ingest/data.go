package main

import (
	"bufio"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/inkludera/inkludera/internal/strategy"
)

// The generated file is one Kolada v3 data response: KPI by KPI, kommun by
// kommun, year by year, each entry with its T, K and M values.
const (
	firstYear = 1996
	lastYear  = 2024
	perPage   = 5000 // entries per Kolada page: a new source URL and fetch time
)

// baseTime is when the generated pages were "fetched".
var baseTime = time.Date(2026, 11, 2, 4, 0, 0, 0, time.UTC)

// kommunerPerLan is how many kommuner each län has (290 in all).
var kommunerPerLan = []struct {
	lan string
	n   int
}{
	{"01", 26}, {"03", 8}, {"04", 9}, {"05", 13}, {"06", 13}, {"07", 8}, {"08", 12}, {"09", 1}, {"10", 5},
	{"12", 33}, {"13", 6}, {"14", 49}, {"17", 16}, {"18", 12}, {"19", 10}, {"20", 15}, {"21", 10}, {"22", 7},
	{"23", 8}, {"24", 15}, {"25", 14},
}

type dataset struct {
	n     int
	kpis  []string
	orgs  []string
	years int
	nulls int
}

func newDataset(n int) *dataset {
	ds := &dataset{n: n, years: lastYear - firstYear + 1}
	for _, l := range kommunerPerLan {
		for i := range l.n {
			// Real codes have gaps; these are spread the same way.
			ds.orgs = append(ds.orgs, fmt.Sprintf("%s%02d", l.lan, 14+i*85/max(l.n, 1)))
		}
	}
	need := (n + len(ds.orgs)*ds.years*3 - 1) / (len(ds.orgs) * ds.years * 3)
	r := rand.New(rand.NewPCG(1, 2))
	seen := map[int]bool{}
	for len(ds.kpis) < need {
		id := 100 + r.IntN(3000)
		if !seen[id] {
			seen[id] = true
			ds.kpis = append(ds.kpis, fmt.Sprintf("N%05d", id))
		}
	}
	slices.Sort(ds.kpis)
	return ds
}

// indicators are Inkludera's indicators for the KPIs, in id order.
func (ds *dataset) indicators() []strategy.Indicator {
	out := make([]strategy.Indicator, len(ds.kpis))
	for i, kpi := range ds.kpis {
		out[i] = strategy.Indicator{
			Key: strings.ToLower(kpi), Title: "Kolada " + kpi, Unit: "%", Polarity: strategy.HigherIsBetter,
			Source: "kolada:" + kpi, Breakdowns: []string{strategy.BreakdownGender},
		}
	}
	return out
}

// pages cuts the n entries of the file into the pages a fetch requesting
// it KPI by KPI would have received, with each page's URL and fetch time.
func (ds *dataset) pages(n int) []page {
	perKPI := len(ds.orgs) * ds.years
	var out []page
	for from := 0; from < n; {
		k, p := from/perKPI, from%perKPI/perPage
		to := min(n, k*perKPI+min(perKPI, (p+1)*perPage))
		out = append(out, page{
			from: from, to: to,
			url: fmt.Sprintf("https://api.kolada.se/v3/data/kpi/%s?page=%d&per_page=%d", ds.kpis[k], p+1, perPage),
			at:  baseTime.Add(time.Duration(len(out)) * 350 * time.Millisecond),
		})
		from = to
	}
	return out
}

// write writes the Kolada JSON file and the CSV of the rows Inkludera
// stores from it (indicator id, org, year, gender, value, status,
// preliminary, source, source URL, fetched at), generated together so
// they hold the same values.
func (ds *dataset) write(jsonPath, csvPath string) error {
	jf, err := os.Create(jsonPath)
	if err != nil {
		return err
	}
	defer jf.Close()
	cf, err := os.Create(csvPath)
	if err != nil {
		return err
	}
	defer cf.Close()
	jw, cw := bufio.NewWriterSize(jf, 1<<20), bufio.NewWriterSize(cf, 1<<20)

	r := rand.New(rand.NewPCG(3, 4))
	var entries []byte // the "values" array, written after the count
	var count, rows, pg int
	pages := ds.pages(len(ds.kpis) * len(ds.orgs) * ds.years)
	var num []byte
	jw.WriteString(`{"values":[`)
	for k, kpi := range ds.kpis {
		// Each KPI has its own kind of figure: a share in per cent with one
		// decimal, a ratio with eight, or a count.
		kind := k % 3
		level := 5 + r.Float64()*60
		trend := (r.Float64() - 0.4) * 0.8
		for _, org := range ds.orgs {
			orgLevel := level * (0.6 + 0.8*r.Float64())
			small := r.IntN(5) == 0 // small kommuner: K and M suppressed more often
			for year := firstYear; year <= lastYear && rows < ds.n; year++ {
				for pages[pg].to <= count {
					pg++
				}
				url, at := pages[pg].url, pages[pg].at.Format("2006-01-02 15:04:05.000000Z")
				if count > 0 {
					entries = append(entries, ',')
				}
				count++
				entries = fmt.Appendf(entries, `{"kpi":%q,"municipality":%q,"period":%d,"values":[`, kpi, org, year)
				t := orgLevel + trend*float64(year-firstYear) + r.NormFloat64()
				for g, gender := range []string{"T", "K", "M"} {
					if rows == ds.n {
						break
					}
					if g > 0 {
						entries = append(entries, ',')
					}
					v := t
					if g > 0 {
						v = t + (float64(g)*2-3)*(0.5+r.Float64())
					}
					missing := r.IntN(100) < 2 || (g > 0 && small && r.IntN(100) < 10) || (k%7 == 0 && year < 2000)
					num = num[:0]
					if missing {
						ds.nulls++
					} else {
						switch kind {
						case 0:
							num = strconv.AppendFloat(num, math.Round(max(v, 0)*10)/10, 'f', -1, 64)
						case 1:
							num = strconv.AppendFloat(num, math.Round(max(v, 0)/100*1e8)/1e8, 'f', -1, 64)
						default:
							num = strconv.AppendFloat(num, math.Round(max(v, 0)*37), 'f', -1, 64)
						}
					}
					value := "null"
					if !missing {
						value = string(num)
					}
					entries = fmt.Appendf(entries, `{"gender":%q,"count":1,"status":"","value":%s,"isdeleted":false}`, gender, value)
					fmt.Fprintf(cw, "%d,%s,%d,%s,%s,,0,kolada,%s,%s\n", k+1, org, year, gender, num, url, at)
					rows++
				}
				entries = append(entries, "]}"...)
				if len(entries) > 1<<20 {
					jw.Write(entries)
					entries = entries[:0]
				}
			}
		}
	}
	jw.Write(entries)
	fmt.Fprintf(jw, `],"count":%d,"next_url":null,"previous_url":null}`, count)
	if rows != ds.n {
		return fmt.Errorf("generated %d rows, want %d", rows, ds.n)
	}
	return errors.Join(jw.Flush(), cw.Flush(), jf.Close(), cf.Close())
}
