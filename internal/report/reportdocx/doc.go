// Package reportdocx renders a yearly follow-up (report.FollowUp) as a
// Word document, DOCX, for the coordinator who edits the report further
// before it goes to the executive board:
//
//	f, err := report.Build(ctx, st, "2380", "ostersund-integrationsstrategi-2020", 2021, 0, today)
//	err = reportdocx.Render(w, f)
//
// The document is WordprocessingML written by this package with
// archive/zip, text/template for the fixed parts (templates/) and a small
// writer for the body (wordml.go); no third-party library. It has the HTML
// rendering's content, order, headings and wording, Swedish throughout:
//
//   - the cover, then a table of contents: a TOC field over Heading1–3
//     with the entries already written as its cached result, which Word
//     refreshes with page numbers on opening (settings.xml updateFields);
//   - the HTML's h2…h6 as Heading1…Heading6, styles with outline levels so
//     Word's navigation pane and contents work, deeper goal trees staying
//     at Heading6;
//   - statuses as a symbol and words (✓ Uppnått), coloured as the HTML's
//     badges but never by colour alone;
//   - each chart an inline PNG (internal/chart's Drawing rasterised by
//     internal/chartpng) as wide as the text, its title and text
//     alternative in the picture's title and descr, followed by its data
//     table, whose header row repeats on every page;
//   - "Sida X av Y" in the footer of every page but the cover; A4 with
//     2.5 cm margins; language sv-SE.
//
// The output depends only on the FollowUp: zip entries and document
// properties are dated f.GeneratedOn, so the same FollowUp gives the same
// bytes.
//
// # Tests
//
// Golden files in testdata hold word/document.xml and word/styles.xml of
// the Östersund demo's follow-up for 2021 (the PNGs are checked for
// presence, not bytes); after a deliberate change, refresh them with
//
//	go test ./internal/report/reportdocx -update
//
// and read the diff. Another test converts the document to PDF with
// LibreOffice and reads it back with pdftotext; it skips when they are
// missing, except under CI=true, where it fails.
package reportdocx
