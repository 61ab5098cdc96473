package report

import (
	"testing"

	"github.com/jba/templatecheck"
)

// TestTemplatesCheck type-checks the report template against the data
// RenderHTML executes it with, so that a misspelt field or a function
// called with the wrong types fails here rather than when a report is made.
func TestTemplatesCheck(t *testing.T) {
	if err := templatecheck.CheckHTML(htmlTemplate, htmlPage{}); err != nil {
		t.Error(err)
	}
}
