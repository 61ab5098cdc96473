package web

import (
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/inkludera/inkludera/internal/demo"
	"github.com/inkludera/inkludera/internal/i18n"
	"github.com/inkludera/inkludera/internal/strategy"
)

// The demo's documents.
const (
	demoOstersundDoc = "ostersund-integrationsstrategi-2020"
	demoStromsundDoc = "stromsund-program-inflyttning-integration-2014"
)

// parsedSitemap is sitemap.xml read back with the namespaces checked.
type parsedSitemap struct {
	XMLName xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []struct {
		Loc     string `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 loc"`
		LastMod string `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 lastmod"`
		Links   []struct {
			Rel      string `xml:"rel,attr"`
			HrefLang string `xml:"hreflang,attr"`
			Href     string `xml:"href,attr"`
		} `xml:"http://www.w3.org/1999/xhtml link"`
	} `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 url"`
}

// getSitemap fetches and parses /sitemap.xml, failing on anything but
// well-formed XML in the sitemap namespace.
func getSitemap(t *testing.T, e *testEnv, host string) parsedSitemap {
	t.Helper()
	req := httptest.NewRequest("GET", "/sitemap.xml", nil)
	req.Host = host
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /sitemap.xml: %d\n%s", rec.Code, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/xml; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	body := rec.Body.String()
	if !strings.HasPrefix(body, `<?xml version="1.0" encoding="UTF-8"?>`) {
		t.Errorf("sitemap.xml does not start with the XML declaration:\n%.200s", body)
	}
	// Every token must decode: well-formed XML, no stray prefixes.
	dec := xml.NewDecoder(strings.NewReader(body))
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("sitemap.xml is not well-formed XML: %v\n%s", err, body)
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Space != sitemapNS && se.Name.Space != xhtmlNS {
			t.Fatalf("element <%s> in namespace %q", se.Name.Local, se.Name.Space)
		}
	}
	var sm parsedSitemap
	if err := xml.Unmarshal([]byte(body), &sm); err != nil {
		t.Fatalf("reading sitemap.xml: %v", err)
	}
	return sm
}

func TestSitemap(t *testing.T) {
	bundles, err := demo.Bundles()
	if err != nil {
		t.Fatal(err)
	}
	ostersund := demoDocument(t, bundles, "2380")
	var ostersundGoals []string
	eachGoal(ostersund, func(g *strategy.Goal) bool {
		ostersundGoals = append(ostersundGoals, portalGoalURL("2380", ostersund.Key, g.Key))
		return false
	})
	if len(ostersundGoals) < 5 {
		t.Fatalf("the demo's Östersund document has %d goals; the test wants a real tree", len(ostersundGoals))
	}

	// Drafts that must stay out: a draft document of Östersund with its
	// goal, an organisation whose only document is a draft, and the
	// Strömsund demo's draft action plan.
	addDrafts := func(bs []strategy.Bundle) []strategy.Bundle {
		draft := func(key, org string) *strategy.Document {
			return &strategy.Document{Key: key, Org: org, Kind: strategy.KindStrategy, Title: "Utkast " + key,
				Status: strategy.StatusDraft, Areas: []strategy.Area{{Key: "omrade", Title: "Område",
					Goals: []strategy.Goal{{Key: "hemligt-mal", Level: strategy.GoalLongTerm, Title: "Ett mål i ett utkast"}}}}}
		}
		harjedalen := &strategy.Organisation{Code: "2361", Name: "Härjedalens kommun", Kind: strategy.OrgKommun, County: "23"}
		for _, b := range bs {
			if b.Organisation.Code == "2380" {
				bs = append(bs, strategy.Bundle{Organisation: b.Organisation, Bodies: b.Bodies, Document: draft("ostersund-utkast", "2380")})
				break
			}
		}
		return append(bs, strategy.Bundle{Organisation: harjedalen, Document: draft("harjedalen-utkast", "2361")})
	}
	decidePlans := func(bs []strategy.Bundle) []strategy.Bundle {
		bs = addDrafts(bs)
		for _, b := range bs {
			if b.Document == nil {
				continue
			}
			for i := range b.Document.ActionPlans {
				p := &b.Document.ActionPlans[i]
				p.Status, p.Decision = strategy.PlanDecided, strategy.PlanDecision{Reference: "KS 2014-06-10 § 80", On: date("2014-06-10")}
			}
		}
		return bs
	}

	common := append([]string{
		portalHomeURL(), accessibilityURL(),
		portalOrgURL("2380"), openDataOrgURL("2380"), portalDocumentURL("2380", demoOstersundDoc), portalTermsURL("2380", demoOstersundDoc),
		portalOrgURL("2313"), openDataOrgURL("2313"), portalDocumentURL("2313", demoStromsundDoc), portalTermsURL("2313", demoStromsundDoc),
	}, ostersundGoals...)
	for _, ind := range ostersund.IndicatorKeys() {
		common = append(common, portalIndicatorURL("2380", ind))
	}
	drafts := []string{
		portalDocumentURL("2380", "ostersund-utkast"), portalGoalURL("2380", "ostersund-utkast", "hemligt-mal"),
		portalOrgURL("2361"), openDataOrgURL("2361"), portalDocumentURL("2361", "harjedalen-utkast"),
		// Östersund has no action plan at all.
		portalPlansURL("2380", demoOstersundDoc),
	}
	tests := []struct {
		name          string
		edit          func([]strategy.Bundle) []strategy.Bundle
		want, notWant []string
	}{
		{"drafts", addDrafts, common, append(drafts, portalPlansURL("2313", demoStromsundDoc))},
		{"a decided plan", decidePlans, append(common, portalPlansURL("2313", demoStromsundDoc)), drafts},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEnvWith(t, openDemoStore(t, tt.edit))
			sm := getSitemap(t, e, "inkludera.example")
			const base = "http://inkludera.example"
			var locs []string
			for _, u := range sm.URLs {
				if !strings.HasPrefix(u.Loc, base+"/") {
					t.Errorf("<loc>%s</loc> is not an absolute address on %s", u.Loc, base)
				}
				path := strings.TrimPrefix(u.Loc, base)
				if slices.Contains(locs, path) {
					t.Errorf("%s is listed twice", path)
				}
				locs = append(locs, path)
				// Every language of the interface, then x-default, the
				// address without a language.
				var langs []string
				for _, l := range u.Links {
					if l.Rel != "alternate" {
						t.Errorf("%s: link rel %q", path, l.Rel)
					}
					want := u.Loc + "?lang=" + l.HrefLang
					if l.HrefLang == "x-default" {
						want = u.Loc
					}
					if l.Href != want {
						t.Errorf("%s: hreflang %s links %s, want %s", path, l.HrefLang, l.Href, want)
					}
					langs = append(langs, l.HrefLang)
				}
				var wantLangs []string
				for _, l := range i18n.Languages {
					wantLangs = append(wantLangs, l.Code)
				}
				if wantLangs = append(wantLangs, "x-default"); !slices.Equal(langs, wantLangs) {
					t.Errorf("%s: hreflang %v, want %v", path, langs, wantLangs)
				}
				if u.LastMod != "" {
					if _, err := time.Parse(time.RFC3339, u.LastMod); err != nil {
						t.Errorf("%s: lastmod %q: %v", path, u.LastMod, err)
					}
				}
			}
			for _, w := range tt.want {
				if !slices.Contains(locs, w) {
					t.Errorf("the sitemap does not list %s", w)
				}
			}
			for _, w := range tt.notWant {
				if slices.Contains(locs, w) {
					t.Errorf("the sitemap lists %s, which the public may not see", w)
				}
			}
			for _, u := range sm.URLs {
				// The import is audited: documents and their pages have a lastmod.
				if strings.HasPrefix(u.Loc, base+portalDocumentURL("2380", demoOstersundDoc)) && u.LastMod == "" {
					t.Errorf("%s has no lastmod", u.Loc)
				}
			}
		})
	}
}

func TestSitemapBaseURL(t *testing.T) {
	e := newTestEnvWith(t, openDemoStore(t, nil), WithPortal(PortalConfig{BaseURL: "https://inkludera.ostersund.se/"}))
	sm := getSitemap(t, e, "internal:8080")
	if len(sm.URLs) == 0 || sm.URLs[0].Loc != "https://inkludera.ostersund.se/portal" {
		t.Fatalf("with a base URL the sitemap starts %+v, want https://inkludera.ostersund.se/portal", sm.URLs[:min(1, len(sm.URLs))])
	}
	_, body := e.do(t, "GET", "/robots.txt")
	if !strings.Contains(body, "Sitemap: https://inkludera.ostersund.se/sitemap.xml\n") {
		t.Errorf("robots.txt does not name the sitemap at the base URL:\n%s", body)
	}
}

func TestRobots(t *testing.T) {
	e := newTestEnv(t)
	res, body := e.do(t, "GET", "/robots.txt")
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "text/plain; charset=utf-8" {
		t.Fatalf("GET /robots.txt: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	want := "User-agent: *\n" +
		"Disallow: /redigera/\nDisallow: /admin/\nDisallow: /konto\nDisallow: /logga-in\nDisallow: /api/\nDisallow: /rapporter/jobb/\n" +
		"Allow: /\n\nSitemap: http://example.com/sitemap.xml\n"
	if body != want {
		t.Errorf("robots.txt:\n%s\nwant:\n%s", body, want)
	}
}
