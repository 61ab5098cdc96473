// Package report makes the yearly follow-up report (uppföljning,
// årsrapport) of a governing document: what a coordinator used to assemble
// by hand in Word, generated from the same data the scorecard shows.
//
// # Content and renderings
//
// Build reads the organisation's document, indicators and observations
// from a strategy.Store and computes a FollowUp: the report's content as
// data. Every rendering is a function of a FollowUp alone:
//
//	f, err := report.Build(ctx, st, "2380", "ostersund-integrationsstrategi-2020", 2021, 0, today)
//	err = report.RenderHTML(w, f)
//
// so that an approved report, frozen as the FollowUp's JSON (its field
// names are stable, see FormatVersion), can be rendered again years later
// exactly as approved, whatever has happened to the data since. RenderHTML
// writes a standalone HTML5 document in Swedish with an A4 print stylesheet;
// PDF, DOCX and XLSX renderings are to follow in this package and take the
// same FollowUp.
//
// A FollowUp holds, in the order the report reads:
//
//   - the cover: organisation, document (kind, adoption), year, the body it
//     goes to (the document's follow-up rule's ReportTo, else
//     Kommunstyrelsen), the date it was made;
//   - the summary: targets per status for the year, the targets whose
//     status improved or slipped since the year before (each target judged
//     for both years, compared in the engine's order of statuses), and for
//     a deep follow-up (Since) the roll-up of every year side by side;
//   - the areas with their goal trees; each target with its status, the
//     engine's explanation, hand-set assessment, women's and men's
//     statuses, indicator and attribution, and the series by year for
//     total, women and men (missing values null) for a chart and a table;
//     in a deep follow-up its status for every year; commitments with the
//     bodies responsible;
//   - the action plans of the year per body with counts per status and the
//     activities late on the report's day;
//   - the sources of every value shown, with attribution, and the note that
//     statuses and trends are Inkludera's own processing;
//   - the method appendix: how internal/progress computes a status (Statistics
//     Canada's and Open SDG's growth method with its thresholds, targets per
//     year, relative and direction targets, the noise band, women and men,
//     projections), in Swedish.
//
// # Accessibility
//
// The HTML has lang="sv", one h1, headings in order at every depth of the
// goal tree, a table of contents, tables with captions and scoped header
// cells, every chart an inline SVG from internal/chart with its own title
// and description and the data table beside it, and statuses in words
// with a symbol, never colour alone. Numbers are Swedish ("12,5 %", a
// non-breaking space between thousands).
//
// # Tests
//
// Golden files in testdata hold the HTML (and the JSON) of the Östersund
// demo's follow-up for 2021 and of a deep follow-up since 2018; after a
// deliberate change, refresh them with
//
//	go test ./internal/report -update
//
// and read the diff.
package report
