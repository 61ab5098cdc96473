package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
)

// The rounds' observations: values of one demo indicator for years before
// 2000, which the demo has none of, so that the rows a round writes are
// told from everything else by their keys, and which round wrote them by
// their values.
const (
	// crashIndicator is broken down by gender, so every key has T, K and M.
	crashIndicator = "folkmangd"
	firstYear      = 1900
	years          = 100 // 1900–1999
	// maxRows is every key there is: 2 500 kommun codes (0100–2599) × 100
	// years × 3 genders.
	maxRows = 2500 * years * 3
	// markerStride separates the rounds' values: row i of the file with
	// marker m has the value m*markerStride + i. Every value is an integer
	// below 2^53, so it is stored exactly on both engines.
	markerStride = 1_000_000
)

// keyAt is the key of row i: kommun code, year and gender, in the order
// of the primary key.
func keyAt(i int) (org string, year int, gender byte) {
	o := i / (years * 3)
	return fmt.Sprintf("%02d%02d", 1+o/100, o%100), firstYear + i%(years*3)/3, "TKM"[i%3]
}

// valueAt is row i's value in the file with marker m.
func valueAt(m, i int) int { return m*markerStride + i }

// writeRound writes the observations file with marker m: rows rows, as a
// CSV that `inkludera import` reads (internal/obsfile).
func writeRound(path string, rows, m int) error {
	if rows < 1 || rows > maxRows {
		return fmt.Errorf("rows must be 1–%d, got %d", maxRows, rows)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString("org,indicator,year,gender,value\n")
	var line []byte
	for i := range rows {
		org, year, gender := keyAt(i)
		line = append(line[:0], org...)
		line = append(line, ","+crashIndicator+","...)
		line = strconv.AppendInt(line, int64(year), 10)
		line = append(line, ',', gender, ',')
		line = strconv.AppendInt(line, int64(valueAt(m, i)), 10)
		line = append(line, '\n')
		w.Write(line)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
