package report

import "github.com/inkludera/inkludera/internal/htmlcheck"

// htmlProblems checks the report document for accessibility mistakes.
func htmlProblems(page string) []string { return htmlcheck.Problems(page, htmlcheck.Document) }
