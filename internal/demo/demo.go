// Package demo holds the demonstration content that `inkludera serve` loads
// into an empty database: Östersund's Integrationsstrategi 2020 and
// Strömsund's Program för inflyttning och integration 2014–2015, modelled on
// the real documents (see SOURCES.md).
package demo

import (
	"embed"
	"io/fs"
	"strings"

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

//go:embed library/*.txt
var libraryFiles embed.FS

// LibraryFile is one document of the demo's strategy library.
type LibraryFile struct {
	Name string
	Data []byte
}

// LibraryFiles returns the demo's strategy library documents (see
// library/SOURCE.md), by name.
func LibraryFiles() ([]LibraryFile, error) {
	entries, err := fs.ReadDir(libraryFiles, "library")
	if err != nil {
		return nil, err
	}
	var out []LibraryFile
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".txt") {
			continue
		}
		data, err := fs.ReadFile(libraryFiles, "library/"+e.Name())
		if err != nil {
			return nil, err
		}
		out = append(out, LibraryFile{Name: e.Name(), Data: data})
	}
	return out, nil
}
