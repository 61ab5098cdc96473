package web

import "github.com/inkludera/inkludera/internal/htmlcheck"

// htmlProblems checks a page of the site for accessibility mistakes.
func htmlProblems(page string) []string { return htmlcheck.Problems(page, htmlcheck.SitePage) }
