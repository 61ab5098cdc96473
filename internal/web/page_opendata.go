package web

import (
	"bytes"
	"io"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/inkludera/inkludera/internal/i18n"
	"github.com/inkludera/inkludera/internal/opendata"
	"github.com/inkludera/inkludera/internal/strategy"
)

// Open data (routes_opendata.go): an organisation's published documents,
// the indicators they use and the organisation's values of them, written
// by internal/opendata. What is not published is not open data: a draft,
// its indicators and another organisation's document are 404, whoever asks,
// so that every reader gets the same files (the routes are cached).

// Media types of the downloads.
const (
	mediaCSV  = "text/csv; charset=utf-8"
	mediaJSON = "application/json"
	mediaZip  = "application/zip"
)

// readOpenData reads what the organisation of the request's {org}
// publishes, with target statuses as of the evaluation year (?ar=, else
// this year) and today as the date the files are made.
func (s *server) readOpenData(r *http.Request) (*opendata.Package, error) {
	ctx := r.Context()
	code := r.PathValue("org")
	org, err := s.st.Organisation(ctx, code)
	if err != nil {
		return nil, notFoundAs(err, "Det finns ingen organisation med koden %s.", code)
	}
	year, _, err := s.evaluationYear(r, "ar", true)
	if err != nil {
		return nil, err
	}
	summaries, err := s.st.Documents(ctx, code)
	if err != nil {
		return nil, err
	}
	p := &opendata.Package{Org: org, Year: year, Made: openDataDay(s.now())}
	if s.portal.BaseURL != "" {
		// Only a configured address: one taken from the request would be
		// kept in the cache for readers who came by another host.
		p.PortalURL = trimSlash(s.portal.BaseURL) + portalOrgURL(org.Code)
	}
	var keys []string
	seen := map[string]bool{}
	for _, sum := range summaries {
		if !documentPublished(sum) {
			continue
		}
		doc, err := s.st.Document(ctx, sum.Key)
		if err != nil {
			return nil, err
		}
		p.Documents = append(p.Documents, doc)
		for _, k := range doc.IndicatorKeys() {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	if len(p.Documents) == 0 {
		return nil, strategy.Errorf(strategy.CodeNotFound, "%s har inga publicerade styrdokument.", org.Name)
	}
	for _, k := range keys {
		ind, err := s.st.Indicator(ctx, k)
		if strategy.CodeOf(err) == strategy.CodeNotFound {
			continue // a dangling reference has no data to publish
		}
		if err != nil {
			return nil, err
		}
		p.Indicators = append(p.Indicators, ind)
	}
	if len(p.Indicators) > 0 {
		p.Observations, err = s.st.Observations(ctx, strategy.ObservationFilter{Org: code, Indicators: keys})
		if err != nil {
			return nil, err
		}
	}
	return p, nil
}

// openDataDay is the date files made at now carry: the day, so that the
// same data give the same bytes (and ETag) all day.
func openDataDay(now time.Time) time.Time {
	y, m, d := now.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// openDataDocument finds the request's {doc} among the published ones.
func openDataDocument(r *http.Request, p *opendata.Package) (strategy.Document, error) {
	key := r.PathValue("doc")
	i := slices.IndexFunc(p.Documents, func(d strategy.Document) bool { return d.Key == key })
	if i < 0 {
		return strategy.Document{}, strategy.Errorf(strategy.CodeNotFound,
			"Det finns inget publicerat styrdokument %q hos organisationen %s.", key, p.Org.Code)
	}
	return p.Documents[i], nil
}

// openDataIndicator finds the request's {ind} among the indicators the
// published documents use.
func openDataIndicator(r *http.Request, p *opendata.Package) (strategy.Indicator, error) {
	key := r.PathValue("ind")
	i := slices.IndexFunc(p.Indicators, func(ind strategy.Indicator) bool { return ind.Key == key })
	if i < 0 {
		return strategy.Indicator{}, strategy.Errorf(strategy.CodeNotFound,
			"Indikatorn %q används inte i något publicerat styrdokument hos organisationen %s.", key, p.Org.Code)
	}
	return p.Indicators[i], nil
}

// csvDialect reads ?excel=1 (the Excel variant) or ?excel=0 (plain).
func csvDialect(r *http.Request) (opendata.Dialect, error) {
	switch v := r.URL.Query().Get("excel"); v {
	case "", "0":
		return opendata.RFC4180, nil
	case "1":
		return opendata.Excel, nil
	default:
		return 0, strategy.Errorf(strategy.CodeInvalid,
			"Parametern ”excel” ska vara 1 (en fil för Excel) eller 0, inte ”%s”.", v)
	}
}

// csvName is a CSV download's name; the Excel variant ends in "-excel".
func csvName(dialect opendata.Dialect, parts ...string) string {
	if dialect == opendata.Excel {
		parts = append(parts, "excel")
	}
	return opendata.FileName("csv", parts...)
}

// download writes a file made by write as an attachment named name.
func download(w http.ResponseWriter, mediaType, name string, write func(io.Writer) error) error {
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		return strategy.Internal(err, "writing open data file "+name)
	}
	h := w.Header()
	h.Set("Content-Type", mediaType)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(http.StatusOK)
	_, _ = buf.WriteTo(w)
	return nil
}

// openDataPackage handles GET /portal/{org}/datapaket.zip.
func (s *server) openDataPackage(w http.ResponseWriter, r *http.Request) error {
	p, err := s.readOpenData(r)
	if err != nil {
		return err
	}
	return download(w, mediaZip, opendata.FileName("zip", "oppna-data", p.Org.Name), func(w io.Writer) error {
		return opendata.WritePackage(w, *p)
	})
}

// openDataOpenSDG handles GET /portal/{org}/open-sdg.zip.
func (s *server) openDataOpenSDG(w http.ResponseWriter, r *http.Request) error {
	p, err := s.readOpenData(r)
	if err != nil {
		return err
	}
	return download(w, mediaZip, opendata.FileName("zip", "open-sdg", p.Org.Name), func(w io.Writer) error {
		return opendata.WriteOpenSDG(w, *p)
	})
}

// openDataDocumentCSV handles GET /portal/{org}/dokument/{doc}/data.csv.
func (s *server) openDataDocumentCSV(w http.ResponseWriter, r *http.Request) error {
	dialect, err := csvDialect(r)
	if err != nil {
		return err
	}
	p, err := s.readOpenData(r)
	if err != nil {
		return err
	}
	doc, err := openDataDocument(r, p)
	if err != nil {
		return err
	}
	return download(w, mediaCSV, csvName(dialect, p.Org.Name, doc.Key), func(w io.Writer) error {
		return opendata.WriteDocumentCSV(w, p.Document(doc), dialect)
	})
}

// openDataDocumentJSON handles GET /portal/{org}/dokument/{doc}/data.json.
func (s *server) openDataDocumentJSON(w http.ResponseWriter, r *http.Request) error {
	p, err := s.readOpenData(r)
	if err != nil {
		return err
	}
	doc, err := openDataDocument(r, p)
	if err != nil {
		return err
	}
	return download(w, mediaJSON, opendata.FileName("json", p.Org.Name, doc.Key), func(w io.Writer) error {
		return opendata.WriteDocumentJSON(w, p.Document(doc))
	})
}

// openDataIndicatorCSV handles GET /portal/{org}/indikatorer/{ind}/data.csv.
func (s *server) openDataIndicatorCSV(w http.ResponseWriter, r *http.Request) error {
	dialect, err := csvDialect(r)
	if err != nil {
		return err
	}
	p, err := s.readOpenData(r)
	if err != nil {
		return err
	}
	ind, err := openDataIndicator(r, p)
	if err != nil {
		return err
	}
	return download(w, mediaCSV, csvName(dialect, p.Org.Name, ind.Key), func(w io.Writer) error {
		return opendata.WriteIndicatorCSV(w, p.IndicatorData(ind), dialect)
	})
}

// openDataIndicatorJSON handles GET /portal/{org}/indikatorer/{ind}/data.json.
func (s *server) openDataIndicatorJSON(w http.ResponseWriter, r *http.Request) error {
	p, err := s.readOpenData(r)
	if err != nil {
		return err
	}
	ind, err := openDataIndicator(r, p)
	if err != nil {
		return err
	}
	return download(w, mediaJSON, opendata.FileName("json", p.Org.Name, ind.Key), func(w io.Writer) error {
		return opendata.WriteIndicatorJSON(w, p.IndicatorData(ind))
	})
}

// openDataPage lists an organisation's open data: the data package, the
// files per document and per indicator with format and size, the sources'
// terms, how to use the Open SDG export, and the API.
type openDataPage struct {
	portalPage
	Title      string
	OrgName    string
	Crumbs     []openDataCrumb
	Year       int
	Package    openDataFile
	OpenSDG    openDataFile
	Documents  []openDataItem
	Indicators []openDataItem
	// Kolada … Demo are set when values from that source are published,
	// so that the page states only the terms that apply.
	Kolada, SCB, Own, Demo bool
	KoladaTermsURL         string
	SCBTermsURL            string
	APIURL                 string
}

// openDataCrumb is a step of the breadcrumbs; Current marks the page.
type openDataCrumb struct {
	URL, Text string
	Current   bool
}

// openDataItem is a document or an indicator with its files.
type openDataItem struct {
	Title     string
	TitleLang string // "sv" when Title is the Swedish original shown to a reader of another language
	URL       string // its portal page
	Sources   []string
	Files     []openDataFile
}

// openDataFile is a download link.
type openDataFile struct {
	URL    string
	Name   string // the file name it is saved as
	Format string // "CSV", "CSV för Excel", "JSON", "Zip"
	Size   string // "1,2 kB"
}

// pageOpenData handles GET /portal/{org}/data.
func (s *server) pageOpenData(w http.ResponseWriter, r *http.Request) error {
	p, err := s.readOpenData(r)
	if err != nil {
		return err
	}
	_, yearGiven, err := s.evaluationYear(r, "ar", true)
	if err != nil {
		return err
	}
	l := langOf(r)
	code := p.Org.Code
	page := openDataPage{
		portalPage:     newPortalPage(r),
		Title:          l.T("opendata.title", "Org", p.Org.Name),
		OrgName:        p.Org.Name,
		Year:           p.Year,
		KoladaTermsURL: opendata.KoladaTermsURL,
		SCBTermsURL:    opendata.SCBOpenDataURL,
		APIURL:         "/api/v1/openapi.json",
	}
	page.Crumbs = []openDataCrumb{
		{URL: portalHomeURL(), Text: l.T("opendata.crumbHome")},
		{URL: portalOrgURL(code), Text: p.Org.Name},
		{URL: openDataOrgURL(code), Text: page.Title, Current: true},
	}
	// A year the reader chose carries on to the files with statuses.
	withYear := func(u string) string {
		if yearGiven {
			return u + "?ar=" + strconv.Itoa(p.Year)
		}
		return u
	}
	file := func(u, name, format string, write func(io.Writer) error) (openDataFile, error) {
		var n countingWriter
		if err := write(&n); err != nil {
			return openDataFile{}, strategy.Internal(err, "measuring open data file "+name)
		}
		return openDataFile{URL: u, Name: name, Format: l.T("opendata.format." + format), Size: fileSize(l, int64(n))}, nil
	}
	if page.Package, err = file(withYear(dataPackageURL(code)), opendata.FileName("zip", "oppna-data", p.Org.Name), "zip",
		func(w io.Writer) error { return opendata.WritePackage(w, *p) }); err != nil {
		return err
	}
	if page.OpenSDG, err = file(openSDGURL(code), opendata.FileName("zip", "open-sdg", p.Org.Name), "zip",
		func(w io.Writer) error { return opendata.WriteOpenSDG(w, *p) }); err != nil {
		return err
	}
	for _, doc := range p.Documents {
		d := p.Document(doc)
		item := openDataItem{URL: portalDocumentURL(code, doc.Key)}
		item.Title, item.TitleLang = pickText(l, doc.Translations, doc.Title)
		for _, f := range []struct {
			url, name, format string
			write             func(io.Writer) error
		}{
			{documentDataURL(code, doc.Key, "csv"), csvName(opendata.RFC4180, p.Org.Name, doc.Key), "csv",
				func(w io.Writer) error { return opendata.WriteDocumentCSV(w, d, opendata.RFC4180) }},
			{documentDataURL(code, doc.Key, "csv") + "?excel=1", csvName(opendata.Excel, p.Org.Name, doc.Key), "excel",
				func(w io.Writer) error { return opendata.WriteDocumentCSV(w, d, opendata.Excel) }},
			{withYear(documentDataURL(code, doc.Key, "json")), opendata.FileName("json", p.Org.Name, doc.Key), "json",
				func(w io.Writer) error { return opendata.WriteDocumentJSON(w, d) }},
		} {
			df, err := file(f.url, f.name, f.format, f.write)
			if err != nil {
				return err
			}
			item.Files = append(item.Files, df)
		}
		page.Documents = append(page.Documents, item)
	}
	attributions := map[string]bool{}
	for _, ind := range p.Indicators {
		d := p.IndicatorData(ind)
		item := openDataItem{URL: portalIndicatorURL(code, ind.Key)}
		item.Title, item.TitleLang = pickText(l, ind.Translations, ind.Title)
		for _, a := range valueAttributions(d) {
			attributions[a] = true
			item.Sources = append(item.Sources, attributionLabel(l, a))
		}
		for _, f := range []struct {
			url, name, format string
			write             func(io.Writer) error
		}{
			{indicatorDataURL(code, ind.Key, "csv"), csvName(opendata.RFC4180, p.Org.Name, ind.Key), "csv",
				func(w io.Writer) error { return opendata.WriteIndicatorCSV(w, d, opendata.RFC4180) }},
			{indicatorDataURL(code, ind.Key, "csv") + "?excel=1", csvName(opendata.Excel, p.Org.Name, ind.Key), "excel",
				func(w io.Writer) error { return opendata.WriteIndicatorCSV(w, d, opendata.Excel) }},
			{indicatorDataURL(code, ind.Key, "json"), opendata.FileName("json", p.Org.Name, ind.Key), "json",
				func(w io.Writer) error { return opendata.WriteIndicatorJSON(w, d) }},
		} {
			df, err := file(f.url, f.name, f.format, f.write)
			if err != nil {
				return err
			}
			item.Files = append(item.Files, df)
		}
		page.Indicators = append(page.Indicators, item)
	}
	page.Kolada = attributions[opendata.AttrKolada]
	page.SCB = attributions[opendata.AttrSCB]
	page.Own = attributions[opendata.AttrOwn]
	page.Demo = attributions[opendata.AttrDemo]
	return render(s, w, r, http.StatusOK, "opendata", page)
}

// valueAttributions are the sources of an indicator's values, each once,
// in a fixed order; an indicator without values gets its own source's.
func valueAttributions(d opendata.IndicatorData) []string {
	seen := map[string]bool{}
	for _, o := range d.Observations {
		if o.Indicator == d.Indicator.Key && o.Org == d.Org.Code && o.Value != nil {
			seen[opendata.Attribution(d.Indicator, o.Source)] = true
		}
	}
	if len(seen) == 0 {
		seen[opendata.Attribution(d.Indicator, "")] = true
	}
	var out []string
	for _, a := range []string{opendata.AttrKolada, opendata.AttrSCB, opendata.AttrOwn, opendata.AttrDemo} {
		if seen[a] {
			out = append(out, a)
		}
	}
	return out
}

// attributionLabel names a source in the reader's language.
func attributionLabel(l *i18n.Localizer, a string) string {
	switch a {
	case opendata.AttrKolada:
		return l.T("opendata.attribution.kolada")
	case opendata.AttrSCB:
		return l.T("opendata.attribution.scb")
	case opendata.AttrDemo:
		return l.T("opendata.attribution.demo")
	default:
		return l.T("opendata.attribution.own")
	}
}

// pickText is a document's or indicator's title in the reader's language,
// or the Swedish original with "sv" for its lang attribute.
func pickText(l *i18n.Localizer, tr strategy.Translations, swedish string) (text, lang string) {
	text, lang = tr.Pick(l.Code, "title", swedish)
	if lang == l.Code {
		lang = ""
	}
	return text, lang
}

// fileSize says how large a file is: "812 byte", "1,2 kB", "3,4 MB".
func fileSize(l *i18n.Localizer, n int64) string {
	switch {
	case n < 1000:
		return l.T("opendata.size.bytes", "Size", l.Integer(int(n)))
	case n < 1000*1000:
		return l.T("opendata.size.kb", "Size", l.Number(float64(n)/1000, 1))
	default:
		return l.T("opendata.size.mb", "Size", l.Number(float64(n)/1000/1000, 1))
	}
}

// countingWriter counts the bytes written to it, to measure a file
// without keeping it.
type countingWriter int64

func (c *countingWriter) Write(b []byte) (int, error) {
	*c += countingWriter(len(b))
	return len(b), nil
}
