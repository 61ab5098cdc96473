package web

import (
	"context"
	"encoding/xml"
	"net/http"
	"strings"
	"time"

	"github.com/inkludera/inkludera/internal/i18n"
	"github.com/inkludera/inkludera/internal/strategy"
)

// The sitemap protocol's namespaces: the urlset's own, and XHTML's for the
// links to a page in other languages (hreflang alternates).
const (
	sitemapNS = "http://www.sitemaps.org/schemas/sitemap/0.9"
	xhtmlNS   = "http://www.w3.org/1999/xhtml"
)

// sitemapSet is sitemap.xml's root. The namespaces are written as
// attributes, with literal prefixes, because encoding/xml would otherwise
// invent its own prefix for every xhtml:link.
type sitemapSet struct {
	XMLName xml.Name     `xml:"urlset"`
	NS      string       `xml:"xmlns,attr"`
	XHTML   string       `xml:"xmlns:xhtml,attr"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc        string           `xml:"loc"`
	LastMod    string           `xml:"lastmod,omitempty"`
	Alternates []sitemapLangRef `xml:"xhtml:link"`
}

type sitemapLangRef struct {
	Rel      string `xml:"rel,attr"`
	HrefLang string `xml:"hreflang,attr"`
	Href     string `xml:"href,attr"`
}

// sitemap handles GET /sitemap.xml: every page of the public portal, as
// the public sees it whoever asks (the file is cached for all readers),
// with its address in each language. lastmod is the newest change the
// audit trail records for the page's document; pages without one (an
// indicator's values change with every fetch) have none.
func (s *server) sitemap(w http.ResponseWriter, r *http.Request) error {
	base := s.baseURL(r)
	pages, err := s.publicPages(r)
	if err != nil {
		return err
	}
	set := sitemapSet{NS: sitemapNS, XHTML: xhtmlNS}
	for _, p := range pages {
		set.URLs = append(set.URLs, sitemapEntry(base, p))
	}
	out, err := xml.MarshalIndent(set, "", " ")
	if err != nil {
		return strategy.Internal(err, "writing sitemap.xml")
	}
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	_, _ = w.Write([]byte(xml.Header))
	_, _ = w.Write(out)
	_, _ = w.Write([]byte("\n"))
	return nil
}

// sitemapEntry is a page's <url>: its address without a language (the
// reader's own, from Accept-Language, and x-default) and each language's.
func sitemapEntry(base string, p publicPage) sitemapURL {
	loc := base + p.Path
	u := sitemapURL{Loc: loc}
	if !p.Changed.IsZero() {
		u.LastMod = p.Changed.UTC().Format(time.RFC3339)
	}
	sep := "?"
	if strings.Contains(loc, "?") {
		sep = "&"
	}
	for _, l := range i18n.Languages {
		u.Alternates = append(u.Alternates, sitemapLangRef{Rel: "alternate", HrefLang: l.Code, Href: loc + sep + "lang=" + l.Code})
	}
	u.Alternates = append(u.Alternates, sitemapLangRef{Rel: "alternate", HrefLang: "x-default", Href: loc})
	return u
}

// publicPage is one page of the public portal: its path (from
// portal_urls.go) and when its content last changed, zero when unknown.
type publicPage struct {
	Path    string
	Changed time.Time
}

// publicPages lists the public portal's pages as an anonymous reader may
// see them: the portal's home, then per organisation with a published
// document its page and open data, each published document with its goals
// at every depth, its decided plans and its terms when it has them, the
// indicators it uses; and the accessibility statement last.
func (s *server) publicPages(r *http.Request) ([]publicPage, error) {
	// The public's view whoever asks: the visibility rules of the pages
	// themselves (visibility.go) applied to a request without a user.
	anon := r.WithContext(context.WithValue(r.Context(), userKey{}, (*strategy.User)(nil)))
	ctx := r.Context()
	orgs, err := s.st.ListOrganisations(ctx)
	if err != nil {
		return nil, err
	}
	pages := []publicPage{{Path: portalHomeURL()}}
	for _, o := range orgs {
		headers, err := s.st.Documents(ctx, o.Code)
		if err != nil {
			return nil, err
		}
		headers = s.visibleDocuments(anon, headers)
		if len(headers) == 0 {
			continue
		}
		orgAt := len(pages)
		pages = append(pages, publicPage{Path: portalOrgURL(o.Code)}, publicPage{Path: openDataOrgURL(o.Code)})
		var orgChanged time.Time
		indicators := map[string]bool{}
		var indicatorPages []publicPage
		for _, h := range headers {
			d, err := s.st.Document(ctx, h.Key)
			if err != nil {
				return nil, err
			}
			changed, err := s.documentChanged(ctx, d.Key)
			if err != nil {
				return nil, err
			}
			orgChanged = later(orgChanged, changed)
			page := func(path string) { pages = append(pages, publicPage{Path: path, Changed: changed}) }
			page(portalDocumentURL(o.Code, d.Key))
			eachGoal(&d, func(g *strategy.Goal) bool {
				page(portalGoalURL(o.Code, d.Key, g.Key))
				return false
			})
			if len(s.withVisiblePlans(anon, d).ActionPlans) > 0 {
				page(portalPlansURL(o.Code, d.Key))
			}
			if len(d.Terms) > 0 {
				page(portalTermsURL(o.Code, d.Key))
			}
			for _, ind := range d.IndicatorKeys() {
				if !indicators[ind] {
					indicators[ind] = true
					indicatorPages = append(indicatorPages, publicPage{Path: portalIndicatorURL(o.Code, ind)})
				}
			}
		}
		pages[orgAt].Changed, pages[orgAt+1].Changed = orgChanged, orgChanged
		pages[0].Changed = later(pages[0].Changed, orgChanged)
		pages = append(pages, indicatorPages...)
	}
	return append(pages, publicPage{Path: accessibilityURL()}), nil
}

// documentChanged is when the audit trail last recorded a change to the
// document or anything in it (import, edit, publication), zero when it
// records none.
func (s *server) documentChanged(ctx context.Context, doc string) (time.Time, error) {
	entries, err := s.st.Audit(ctx, strategy.AuditFilter{Document: doc, Limit: 1})
	if err != nil || len(entries) == 0 {
		return time.Time{}, err
	}
	return entries[0].At, nil
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// robotsDisallowed are the paths crawlers have no business in: editing,
// administration, accounts and signing in, the API (documented by its
// OpenAPI file, not crawled) and report drafts being made.
var robotsDisallowed = []string{"/redigera/", "/admin/", "/konto", "/logga-in", "/api/", "/rapporter/jobb/"}

// robots handles GET /robots.txt: everything else may be crawled, and the
// sitemap says where the public pages are.
func (s *server) robots(w http.ResponseWriter, r *http.Request) error {
	var b strings.Builder
	b.WriteString("User-agent: *\n")
	for _, p := range robotsDisallowed {
		b.WriteString("Disallow: " + p + "\n")
	}
	b.WriteString("Allow: /\n\nSitemap: " + s.baseURL(r) + "/sitemap.xml\n")
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte(b.String()))
	return nil
}
