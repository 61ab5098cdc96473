package web

import (
	"testing"

	"github.com/jba/templatecheck"
)

// checkedPages maps each page template to the data its layout is executed
// with. Test files of pages add theirs in init functions of their own.
var checkedPages = map[string]any{
	"start":     frame[startPage]{},
	"document":  frame[documentPage]{},
	"indicator": frame[indicatorPage]{},
	"error":     frame[errorPage]{},
	"sources":   frame[sourcesPage]{},
	"import":    frame[importPage]{},
}

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
	data := checkedPages
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

}
