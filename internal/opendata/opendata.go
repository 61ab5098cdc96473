// Package opendata writes an organisation's published data as open data
// files: CSV and JSON per indicator and per governing document, a zip data
// package (a Frictionless Data Package) per organisation, and an export an
// Open SDG site can read.
//
// The package is pure: its writers get everything as strategy values and
// write to the io.Writer they are given. Which documents may be published
// is the caller's decision (the web layer passes only published ones).
//
// Attribution follows DESIGN.md §5 and the sources' terms
// (reference/datasources.md §1.5 and §3.1, DESIGN.md §7): every raw value
// names where it comes from ("Kolada", "SCB", "Egen uppgift" for the
// organisation's own figures, and demonstration values as such), and what
// Inkludera computes (a target's status) is labelled as Inkludera's own
// processing with its method, never credited to a source.
//
// Missing values are missing: an empty CSV cell, a JSON null, a row left
// out of the Open SDG file. Never 0.
package opendata

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/inkludera/inkludera/internal/kolada"
	"github.com/inkludera/inkludera/internal/scb"
	"github.com/inkludera/inkludera/internal/strategy"
)

// IndicatorData is one indicator's values for one organisation: what a
// file per indicator holds.
type IndicatorData struct {
	Org       strategy.Organisation
	Indicator strategy.Indicator
	// Observations are the organisation's observations of the indicator,
	// in any order; those of other organisations or indicators are ignored.
	Observations []strategy.Observation
}

// DocumentData is a governing document with the indicators it uses and
// their values: what a file per document holds.
type DocumentData struct {
	Org      strategy.Organisation
	Document strategy.Document // with its whole tree
	// Indicators are those the document refers to (Document.IndicatorKeys);
	// a key without an indicator here is left out of the files.
	Indicators []strategy.Indicator
	// Observations are the organisation's observations of them. All years
	// are listed; statuses use those up to Year.
	Observations []strategy.Observation
	// Year is the evaluation year of the targets' statuses: the year they
	// are assessed as of (scorecard.Evaluate).
	Year int
}

// Package is everything an organisation publishes: the contents of the
// data package and of the Open SDG export.
type Package struct {
	Org strategy.Organisation
	// Documents are the published documents with their trees, in the order
	// the files list them.
	Documents []strategy.Document
	// Indicators are the indicators the documents use; Observations the
	// organisation's observations of them.
	Indicators   []strategy.Indicator
	Observations []strategy.Observation
	// Year is the evaluation year of the targets' statuses.
	Year int
	// Made is when the package was made: the date in its README and the
	// time of every zip entry, so that the same input gives the same bytes.
	Made time.Time
	// PortalURL, when set, is the absolute address of the organisation's
	// page on the public portal, named in the README as where the data are
	// shown.
	PortalURL string
}

// Document returns the DocumentData of one of the package's documents.
func (p Package) Document(doc strategy.Document) DocumentData {
	return DocumentData{Org: p.Org, Document: doc, Indicators: p.Indicators, Observations: p.Observations, Year: p.Year}
}

// IndicatorData returns the IndicatorData of one of the package's
// indicators.
func (p Package) IndicatorData(ind strategy.Indicator) IndicatorData {
	return IndicatorData{Org: p.Org, Indicator: ind, Observations: p.Observations}
}

// The attributions of raw values, as the attribution column writes them.
const (
	AttrKolada = "Kolada"
	AttrSCB    = "SCB"
	// AttrOwn is a figure the organisation gave itself: entered by hand,
	// taken from its document, or uploaded in a file.
	AttrOwn = "Egen uppgift"
	// AttrDemo marks the demonstration data's made-up values, worded as
	// the pages word them (describe.Attribution).
	AttrDemo = "Demovärden – inte verklig statistik"
)

// Attribution names who a value comes from, as the attribution column and
// the JSON files write it. The observation's own source wins over the
// indicator's, as on the portal's pages: an indicator fetched from Kolada
// may hold a value taken from a document or made up for the demonstration,
// and Kolada's terms forbid crediting Kolada with what it did not publish.
func Attribution(ind strategy.Indicator, obsSource string) string {
	switch strings.ToLower(strings.TrimSpace(obsSource)) {
	case "kolada":
		return AttrKolada
	case "scb":
		return AttrSCB
	case "demo":
		return AttrDemo
	case "":
	default:
		// A citation ("Program …, avsnitt 10"), a file or a hand entry: the
		// organisation vouches for it.
		return AttrOwn
	}
	switch src := ind.Source; {
	case strings.HasPrefix(src, "kolada:"):
		return AttrKolada
	case strings.HasPrefix(src, "scb:"):
		return AttrSCB
	case src == "demo":
		return AttrDemo
	default:
		return AttrOwn
	}
}

// Text is a sentence in Swedish and English.
type Text struct {
	SV string `json:"sv"`
	EN string `json:"en"`
}

// Licence is a source's terms as a Frictionless Data Package names them:
// Name an Open Definition licence id where the source uses one, Path where
// the terms are stated, Title for people.
type Licence struct {
	Name  string `json:"name,omitempty"`
	Path  string `json:"path,omitempty"`
	Title string `json:"title"`
}

// Source is where a kind of value comes from, with its terms.
type Source struct {
	// Attribution is the value of the attribution column for this source.
	Attribution string `json:"attribution"`
	// Credit is what a reuser writes: "Källa: Kolada".
	Credit string `json:"credit"`
	// URL is the source's site, "" for the organisation's own figures.
	URL string `json:"url,omitempty"`
	// Licence is nil where no licence is known: the organisation's own
	// figures (the organisation decides) and demonstration values.
	Licence *Licence `json:"licence,omitempty"`
	// Terms say in a sentence or two what a reuser must do.
	Terms Text `json:"terms"`
}

// KoladaTermsURL is where Kolada states its terms of use
// (datasources.md §1.5, a primary source).
const KoladaTermsURL = "http://kolada.se/om-oss/api"

// SCBOpenDataURL is where SCB states that its open data are CC0 and asks
// for the credit "Källa: SCB" (datasources.md §3.1).
const SCBOpenDataURL = "https://www.scb.se/vara-tjanster/oppna-data/"

// SourceOf describes the source behind an attribution; orgName is the
// organisation whose own figures AttrOwn values are.
func SourceOf(attribution, orgName string) Source {
	switch attribution {
	case AttrKolada:
		return Source{
			Attribution: AttrKolada, Credit: "Källa: Kolada", URL: "https://www.kolada.se",
			Licence: &Licence{Path: KoladaTermsURL, Title: "Koladas villkor för användning av data"},
			Terms: Text{
				SV: "Kolada drivs av RKA. Enligt Koladas villkor (" + KoladaTermsURL + ") får värdena användas fritt, även kommersiellt, utan avtal. Ange ”Källa: Kolada”. Egen bearbetning av värdena får inte tillskrivas Kolada.",
				EN: "Kolada is run by RKA. Under Kolada's terms (" + KoladaTermsURL + ") the values may be used freely, commercially too, without an agreement. Credit “Källa: Kolada” (Source: Kolada). Your own processing of the values must not be attributed to Kolada.",
			},
		}
	case AttrSCB:
		return Source{
			Attribution: AttrSCB, Credit: "Källa: SCB", URL: "https://www.scb.se",
			Licence: &Licence{Name: "CC0-1.0", Path: SCBOpenDataURL, Title: "SCB:s öppna data: CC0"},
			Terms: Text{
				SV: "SCB publicerar öppna data under CC0 och ber om källangivelsen ”Källa: SCB” (" + SCBOpenDataURL + "). Statistik från andra myndigheter i SCB:s databas anges med den myndigheten som källa.",
				EN: "Statistics Sweden (SCB) publishes open data under CC0 and asks for the credit “Källa: SCB” (Source: SCB) (" + SCBOpenDataURL + "). Statistics of other agencies in SCB's database are credited to that agency.",
			},
		}
	case AttrDemo:
		return Source{
			Attribution: AttrDemo, Credit: AttrDemo,
			Terms: Text{
				SV: "Demovärden är påhittade för att visa hur Inkludera fungerar. De är inte statistik och ska inte användas som statistik.",
				EN: "Demonstration values are made up to show how Inkludera works. They are not statistics and must not be used as statistics.",
			},
		}
	default:
		credit, sv, en := "Källa: "+orgName, orgName, orgName
		if orgName == "" {
			credit, sv, en = "Källa: organisationens egna uppgifter", "organisationen", "the organisation"
		}
		return Source{
			Attribution: AttrOwn, Credit: credit,
			Terms: Text{
				SV: "Egna uppgifter är värden som " + sv + " själv har fört in, till exempel ur sitt styrdokument. Ange " + sv + " som källa. Inkludera anger ingen licens för dem; villkoren bestämmer " + sv + ".",
				EN: "Own figures are values " + en + " entered itself, for example from its governing document. Credit " + en + " as the source. Inkludera states no licence for them; " + en + " sets the terms.",
			},
		}
	}
}

// OwnProcessing labels what Inkludera computes from the values: the
// targets' statuses. It names the method (internal/progress, DESIGN.md §6).
var OwnProcessing = Text{
	SV: "Målens status är Inkluderas egen bearbetning av värdena, inte uppgifter från Kolada, SCB eller organisationen. " +
		"Statusen beräknas med Statistics Canadas framstegsmått så som Open SDG använder det: för ett mål med målvärde jämförs den årliga tillväxten hittills med den som behövs för att nå målet (metod osdg_target), " +
		"utan målvärde bedöms den årliga tillväxten mot gränserna 1,5 %, 0,5 % och 0 (metod osdg_growth). " +
		"Mål per år, mål i förhållande till en annan serie och förändringar inom bruset bedöms med Inkluderas egna regler (per_year, relative_gap, noise_band). " +
		"Varje status har en förklaring som visar vad den bygger på. En status som är satt för hand (manuell bedömning) är organisationens egen och har en motivering.",
	EN: "The targets' statuses are Inkludera's own processing of the values, not figures from Kolada, SCB or the organisation. " +
		"They are computed with Statistics Canada's progress measure as Open SDG uses it: for a target with a value, the annual growth so far is compared with the growth needed to reach it (method osdg_target); " +
		"without a value, the annual growth is judged against the thresholds 1.5 %, 0.5 % and 0 (method osdg_growth). " +
		"Targets per year, targets relative to another series and changes within the noise band are judged by Inkludera's own rules (per_year, relative_gap, noise_band). " +
		"Every status comes with an explanation that shows what it rests on. A status set by hand (a manual assessment) is the organisation's own and carries a justification.",
}

// ProcessingComputed and ProcessingManual label a status: computed by
// Inkludera, or set by hand by the organisation.
const (
	ProcessingComputed = "Inkluderas egen bearbetning"
	ProcessingManual   = "Manuell bedömning av organisationen"
)

// sourceRef splits an indicator's source into the source's own id and a
// link to it: "kolada:N02926" → "N02926" and Kolada's API entry for the
// KPI; "scb:TAB4823?…" → "TAB4823?…" and the table in SCB's API.
func sourceRef(ind strategy.Indicator) (id, url string) {
	switch src := ind.Source; {
	case strings.HasPrefix(src, "kolada:"):
		id = strings.TrimPrefix(src, "kolada:")
		return id, kolada.DefaultBaseURL + "/kpi/" + id
	case strings.HasPrefix(src, "scb:"):
		id = strings.TrimPrefix(src, "scb:")
		table, _, _ := strings.Cut(id, "?")
		table, _, _ = strings.Cut(table, "+") // a history table and its successor: the first
		if strings.Contains(table, "/") {
			return id, scb.DefaultV1BaseURL + "/START/" + strings.TrimPrefix(strings.Trim(table, "/"), "START/")
		}
		return id, scb.DefaultBaseURL + "/tables/" + table
	}
	return "", ""
}

// sourceName names where the indicator's values are fetched from.
func sourceName(ind strategy.Indicator, orgName string) string {
	switch src := ind.Source; {
	case strings.HasPrefix(src, "kolada:"):
		return AttrKolada
	case strings.HasPrefix(src, "scb:"):
		return AttrSCB
	case src == "demo":
		return AttrDemo
	case orgName != "":
		return orgName
	default:
		return AttrOwn
	}
}

// row is one year × gender of an indicator, the unit of every file: an
// observation, or none (Obs nil) where a gender has no observation in a
// year that has others.
type row struct {
	Year   int
	Gender strategy.Gender
	Obs    *strategy.Observation
}

// rows lays out an indicator's observations for org: one row per year
// with any observation and per gender of the indicator (T, plus K and M
// when it is broken down by gender or any value has them), by year and
// then T, K, M. Years without any observation are not invented.
func rows(ind strategy.Indicator, org string, obs []strategy.Observation) []row {
	byKey := map[row]strategy.Observation{}
	years := map[int]bool{}
	split := ind.ByGender()
	for _, o := range obs {
		if o.Indicator != ind.Key || o.Org != org {
			continue
		}
		byKey[row{Year: o.Year, Gender: o.Gender}] = o
		years[o.Year] = true
		split = split || o.Gender != strategy.Total
	}
	genders := []strategy.Gender{strategy.Total}
	if split {
		genders = strategy.Genders
	}
	ys := make([]int, 0, len(years))
	for y := range years {
		ys = append(ys, y)
	}
	slices.Sort(ys)
	out := make([]row, 0, len(ys)*len(genders))
	for _, y := range ys {
		for _, g := range genders {
			r := row{Year: y, Gender: g}
			if o, ok := byKey[r]; ok {
				r.Obs = &o
			}
			out = append(out, r)
		}
	}
	return out
}

// attributions lists the sources of an indicator's values, each once, in
// the order Kolada, SCB, own, demo; an indicator without values gets its
// own source's.
func attributions(ind strategy.Indicator, rs []row) []string {
	seen := map[string]bool{}
	for _, r := range rs {
		if r.Obs != nil && r.Obs.Value != nil {
			seen[Attribution(ind, r.Obs.Source)] = true
		}
	}
	if len(seen) == 0 {
		seen[Attribution(ind, "")] = true
	}
	return sortAttributions(seen)
}

var attributionOrder = []string{AttrKolada, AttrSCB, AttrOwn, AttrDemo}

func sortAttributions(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for a := range set {
		out = append(out, a)
	}
	slices.SortFunc(out, func(a, b string) int {
		return cmp.Compare(slices.Index(attributionOrder, a), slices.Index(attributionOrder, b))
	})
	return out
}

// indicatorsByKey indexes indicators by key.
func indicatorsByKey(inds []strategy.Indicator) map[string]strategy.Indicator {
	m := make(map[string]strategy.Indicator, len(inds))
	for _, ind := range inds {
		m[ind.Key] = ind
	}
	return m
}

// documentIndicators are the document's indicators that exist, in the
// order of Document.IndicatorKeys.
func documentIndicators(d DocumentData) []strategy.Indicator {
	byKey := indicatorsByKey(d.Indicators)
	var out []strategy.Indicator
	for _, k := range d.Document.IndicatorKeys() {
		if ind, ok := byKey[k]; ok {
			out = append(out, ind)
		}
	}
	return out
}

// FileName is a download's name made of slugs of its parts, joined by
// hyphens, with the extension: FileName("csv", "Östersunds kommun",
// "utrikes-fodda-andel") = "ostersunds-kommun-utrikes-fodda-andel.csv".
// Only ASCII letters, digits and hyphens, like the report's file names.
func FileName(ext string, parts ...string) string {
	var slugs []string
	for _, p := range parts {
		if s := strategy.Slug(p); s != "" {
			slugs = append(slugs, s)
		}
	}
	name := strings.Join(slugs, "-")
	if name == "" {
		name = "data"
	}
	return name + "." + ext
}
