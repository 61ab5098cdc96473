// Package nation is Sweden at national scale: the 290 kommuner and 21
// regions with SCB's codes and names (kommuner.tsv, regioner.tsv; see
// SOURCE.md), and a deterministic generator of realistic demonstration
// data for all of them (generate.go): integration indicators per kommun,
// region and riket, by year and gender, and Kolada-style peer groups.
//
// The reference data is real; the values are not, and say so: they are
// stored with the source "demo".
package nation

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/inkludera/inkludera/internal/strategy"
)

var (
	//go:embed kommuner.tsv
	kommunerTSV []byte
	//go:embed regioner.tsv
	regionerTSV []byte
)

// Kommun is one of Sweden's 290 municipalities.
type Kommun struct {
	Code   string // SCB kommunkod, four digits; the first two are the län's
	Name   string // as SCB writes it: "Upplands Väsby", "Östersund"
	County string // länskod
}

// Region is one of the 21 regions, the regional body of a län.
type Region struct {
	Code       string // SCB länskod, two digits
	Name       string // the region's own name: "Region Stockholm", "Västra Götalandsregionen"
	County     string // the län's name as SCB writes it: "Stockholms län"
	Population int    // the län's population in January 2026 (SCB)
}

// Riket is the whole country's organisation.
var Riket = strategy.Organisation{Code: "00", Name: "Riket", Kind: strategy.OrgRiket}

type reference struct {
	kommuner []Kommun
	regions  []Region
}

// load parses the embedded files once. They are part of the binary and
// checked by the tests, so a failure is a programming error.
var load = sync.OnceValue(func() reference {
	var ref reference
	err := eachRow(regionerTSV, 4, func(f []string) error {
		pop, err := strconv.Atoi(f[3])
		if err != nil {
			return fmt.Errorf("population %q: %w", f[3], err)
		}
		ref.regions = append(ref.regions, Region{Code: f[0], Name: f[1], County: f[2], Population: pop})
		return nil
	})
	if err == nil {
		err = eachRow(kommunerTSV, 2, func(f []string) error {
			if len(f[0]) != 4 {
				return fmt.Errorf("kommunkod %q is not four digits", f[0])
			}
			ref.kommuner = append(ref.kommuner, Kommun{Code: f[0], Name: f[1], County: f[0][:2]})
			return nil
		})
	}
	if err != nil {
		panic("nation: the embedded reference data: " + err.Error())
	}
	return ref
})

// eachRow calls f with the n tab-separated fields of every line that is
// not a comment.
func eachRow(data []byte, n int, f func([]string) error) error {
	sc := bufio.NewScanner(bytes.NewReader(data))
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		fields := strings.Split(text, "\t")
		if len(fields) != n {
			return fmt.Errorf("line %d has %d fields, want %d", line, len(fields), n)
		}
		if err := f(fields); err != nil {
			return fmt.Errorf("line %d: %w", line, err)
		}
	}
	return sc.Err()
}

// Kommuner returns the 290 kommuner ordered by code. The slice is the
// caller's.
func Kommuner() []Kommun { return append([]Kommun(nil), load().kommuner...) }

// Regions returns the 21 regions ordered by code. The slice is the
// caller's.
func Regions() []Region { return append([]Region(nil), load().regions...) }

// Organisations returns riket, then the regions, then the kommuner, each
// by code, as the store keeps them.
func Organisations() []strategy.Organisation {
	ref := load()
	out := make([]strategy.Organisation, 0, 1+len(ref.regions)+len(ref.kommuner))
	out = append(out, Riket)
	for _, r := range ref.regions {
		out = append(out, strategy.Organisation{Code: r.Code, Name: r.Name, Kind: strategy.OrgRegion})
	}
	for _, k := range ref.kommuner {
		out = append(out, strategy.Organisation{Code: k.Code, Name: k.Name, Kind: strategy.OrgKommun, County: k.County})
	}
	return out
}

// Name names a kommun (four digits: SCB's name, "Östersund") or a region
// (two digits: "Region Jämtland Härjedalen") and gives its länskod; ok is
// false for any other code.
func Name(code string) (name, county string, ok bool) {
	ref := load()
	switch len(code) {
	case 4:
		if i, found := slices.BinarySearchFunc(ref.kommuner, code, func(k Kommun, c string) int { return strings.Compare(k.Code, c) }); found {
			return ref.kommuner[i].Name, ref.kommuner[i].County, true
		}
	case 2:
		if i, found := slices.BinarySearchFunc(ref.regions, code, func(r Region, c string) int { return strings.Compare(r.Code, c) }); found {
			return ref.regions[i].Name, code, true
		}
	}
	return "", "", false
}
