package web

import (
	"io/fs"
	"strings"
	"testing"

	"github.com/jba/templatecheck"
)

// TestTemplatesCheck type-checks every page template against the data type
// its handler passes, so a misspelt field fails here rather than in use.
func TestTemplatesCheck(t *testing.T) {
	s := &server{}
	static, err := newStaticFiles(staticFS, "static")
	if err != nil {
		t.Fatal(err)
	}
	s.static = static
	pages := mustParsePages(s.funcs())
	data := map[string]any{
		"start":     startPage{},
		"document":  documentPage{},
		"indicator": indicatorPage{},
		"error":     errorPage{},
		"sources":   sourcesPage{},
		"import":    importPage{},
	}
	for _, name := range pageNames {
		t.Run(name, func(t *testing.T) {
			d, ok := data[name]
			if !ok {
				t.Fatalf("no data type for page %q in this test", name)
			}
			if err := templatecheck.CheckHTML(pages[name].Lookup("layout"), d); err != nil {
				t.Error(err)
			}
		})
	}

	// Every template file is a page or the layout, so none goes unchecked.
	files, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(strings.TrimPrefix(f, "templates/"), ".html")
		if _, ok := data[name]; !ok && name != "layout" {
			t.Errorf("template %s is neither the layout nor a checked page", f)
		}
	}
}
