package opendata

import (
	"fmt"
	"strings"
	"time"
)

// packageReadme is the data package's README.md: Swedish, then English.
func packageReadme(p Package, srcs []Source) string {
	var b strings.Builder
	made := p.Made.Format(time.DateOnly)
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }

	line("# Öppna data: %s", p.Org.Name)
	line("")
	line("Datapaketet gjordes %s av Inkludera. Det innehåller indikatorerna och målen i de publicerade styrdokumenten från %s.", made, p.Org.Name)
	if p.PortalURL != "" {
		line("Samma uppgifter visas på %s.", p.PortalURL)
	}
	line("")
	line("## Innehåll")
	line("")
	line("- `README.md`: den här filen.")
	line("- `datapackage.json`: en beskrivning av paketet enligt Frictionless Data Package, med varje fils kolumner.")
	for _, ind := range p.Indicators {
		line("- `indicators/%s.csv`: %s (%s).", ind.Key, ind.Title, ind.Unit)
	}
	for _, doc := range p.Documents {
		line("- `documents/%s.json`: %s: indikatorerna som dokumentet använder, med värden, och målen med status per %d.", doc.Key, doc.Title, p.Year)
	}
	line("")
	line("CSV-filerna följer RFC 4180: komma mellan fälten, decimalpunkt, UTF-8. Varje rad är ett år och ett kön: T totalt, K kvinnor, M män.")
	line("Kolumner: %s. Kolumnen attribution anger varifrån värdet kommer: Kolada, SCB eller Egen uppgift (organisationens egen uppgift).", strings.Join(Columns, ", "))
	line("")
	line("Ett tomt värde betyder att värdet saknas. Ett saknat värde är aldrig 0.")
	line("")
	line("## Källor och villkor")
	line("")
	for _, s := range srcs {
		line("- **%s**: %s", s.Credit, s.Terms.SV)
	}
	line("")
	line("## Egen bearbetning")
	line("")
	line("%s", OwnProcessing.SV)
	line("")

	line("# Open data: %s", p.Org.Name)
	line("")
	line("Inkludera made this data package on %s. It holds the indicators and targets of the published governing documents of %s.", made, p.Org.Name)
	if p.PortalURL != "" {
		line("The same data are shown at %s.", p.PortalURL)
	}
	line("")
	line("## Contents")
	line("")
	line("- `README.md`: this file.")
	line("- `datapackage.json`: a Frictionless Data Package descriptor, with every file's columns.")
	line("- `indicators/<key>.csv`: one file per indicator (%d), its values by year and gender.", len(p.Indicators))
	line("- `documents/<key>.json`: one file per governing document (%d): the indicators it uses with their values, and its targets with their status as of %d.", len(p.Documents), p.Year)
	line("")
	line("The CSV files follow RFC 4180: comma-separated, decimal point, UTF-8. Each row is a year and a gender: T total, K women (kvinnor), M men (män).")
	line("Columns: %s. The attribution column says where the value comes from: Kolada, SCB or Egen uppgift (the organisation's own figure).", strings.Join(Columns, ", "))
	line("")
	line("An empty value means the value is missing. A missing value is never 0.")
	line("")
	line("## Sources and terms")
	line("")
	for _, s := range srcs {
		line("- **%s**: %s", s.Credit, s.Terms.EN)
	}
	line("")
	line("## Own processing")
	line("")
	line("%s", OwnProcessing.EN)
	return b.String()
}
