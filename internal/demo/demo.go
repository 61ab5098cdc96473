// Package demo holds the demonstration content that `inkludera serve` loads
// into an empty database: Östersund's Integrationsstrategi 2020 and
// Strömsund's Program för inflyttning och integration 2014–2015, modelled on
// the real documents (see SOURCES.md).
package demo

import (
	"embed"
	"io/fs"

	"github.com/inkludera/inkludera/internal/strategy"
	"github.com/inkludera/inkludera/internal/strategyfile"
)

//go:embed *.yaml
var files embed.FS

// Files returns the embedded strategy files, for `inkludera export`-style
// inspection and for tests.
func Files() fs.FS { return files }

// Bundles decodes and validates the demo files.
func Bundles() ([]strategy.Bundle, error) {
	names, err := fs.Glob(files, "*.yaml")
	if err != nil {
		return nil, err
	}
	return strategyfile.LoadFS(files, names, nil)
}
