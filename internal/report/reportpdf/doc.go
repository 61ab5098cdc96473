// Package reportpdf renders a follow-up report (report.FollowUp) as a PDF
// with codeberg.org/go-pdf/fpdf: A4 portrait, in Swedish, for filing with
// the committee's papers.
//
// Render writes what the HTML rendering (report.RenderHTML) shows, in its
// order and words: the cover, the table of contents, the summary, the
// areas with their goal trees and targets, the action plans, the sources
// and the method appendix. Each target's chart is chart.Draw's drawing
// painted as vectors, under its title and above the table of its values
// and their attribution. Statuses are a symbol and words on a light
// background, never colour alone.
//
// The text is set in DejaVu Sans (internal/fonts), embedded as a subset,
// which has å ä ö and the status symbols ✓ ↗ → − ↘ ✗. The package lays
// the text out itself, measuring with the font's widths: it breaks lines
// at spaces, never at a no-break space ("13 112", "10 %"), and pages
// between blocks, so that a heading is never alone at a page's foot, a
// short paragraph or table is never split, a chart stays with its title,
// and a table that runs over pages repeats its header and never cuts a
// row in half (unless the row is taller than a page).
//
// The table of contents needs the pages its headings land on, so a
// document is laid out until those pages settle, normally twice, and the
// last layout is written. The headings are in the PDF's outline; the
// contents' entries link to them; every page but the cover has a footer
// with the organisation, the report and "Sida N av M". The output depends
// only on the FollowUp: the PDF's dates are its GeneratedOn, so the same
// FollowUp gives the same bytes.
//
// fpdf writes no structure tags, so this PDF is not tagged; the tagged
// PDF of DESIGN.md is the HTML rendering printed by headless Chromium.
package reportpdf
