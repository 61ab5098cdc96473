package web

import "github.com/inkludera/inkludera/internal/htmlcheck"

// htmlProblems checks a page of the site for accessibility mistakes.
func htmlProblems(page string) []string { return htmlcheck.Problems(page, htmlcheck.SitePage) }

// htmlProblemsIn checks a page that must be in the language lang.
func htmlProblemsIn(page, lang string) []string {
	o := htmlcheck.SitePage
	o.Lang = lang
	return htmlcheck.Problems(page, o)
}
