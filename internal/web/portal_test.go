package web

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/inkludera/inkludera/internal/htmlcheck"
	"github.com/inkludera/inkludera/internal/i18n"
	"github.com/inkludera/inkludera/internal/strategy"
)

func init() {
	checkedPages["portal_home"] = frame[portalHomePage]{}
	checkedPages["portal_org"] = frame[portalOrgPage]{}
	checkedPages["portal_document"] = frame[portalDocumentPage]{}
	checkedPages["portal_goal"] = frame[portalGoalPage]{}
	checkedPages["portal_indicator"] = frame[portalIndicatorPage]{}
	checkedPages["portal_plans"] = frame[portalPlansPage]{}
	checkedPages["portal_terms"] = frame[portalTermsPage]{}
	checkedPages["portal_search"] = frame[portalSearchPage]{}
	checkedPages["embed_document"] = frame[embedDocumentPage]{}
	checkedPages["embed_goal"] = frame[embedGoalPage]{}
	checkedPages["embed_target"] = frame[embedTargetPage]{}
	checkedPages["embed_indicator"] = frame[embedIndicatorPage]{}
}

const (
	demoOrg = "2380"
	demoDoc = "ostersund-integrationsstrategi-2020"
)

// demoEnv is the site on the demo content, as a fresh `inkludera serve`.
func demoEnv(t *testing.T, opts ...Option) *testEnv {
	t.Helper()
	return newTestEnvWith(t, openDemoStore(t, nil), opts...)
}

// get fetches a portal URL in a language and checks the status.
func (e *testEnv) get(t *testing.T, target, lang string, want int) string {
	t.Helper()
	req := httptest.NewRequest("GET", target, nil)
	if lang != "" {
		req.Header.Set("Accept-Language", lang)
	}
	res, body := e.send(t, req)
	if res.StatusCode != want {
		t.Fatalf("GET %s (%s): status %d, want %d\n%s", target, lang, res.StatusCode, want, body)
	}
	return body
}

// TestPortalPages walks the portal on the demo content in every language:
// each page answers 200 with the language's words, the html element names
// the language and direction, no message id is missing from the catalogue,
// and Swedish text shown for want of a translation is marked lang="sv".
func TestPortalPages(t *testing.T) {
	e := demoEnv(t)
	doc := demoDocumentFromStore(t, e)
	goal := doc.Areas[0].Goals[0].Key
	var indicator string
	for _, k := range doc.IndicatorKeys() {
		indicator = k
		break
	}
	pages := []string{
		portalHomeURL(),
		portalOrgURL(demoOrg),
		portalDocumentURL(demoOrg, demoDoc),
		portalGoalURL(demoOrg, demoDoc, goal),
		portalIndicatorURL(demoOrg, indicator),
		portalTermsURL(demoOrg, demoDoc),
		portalSearchURL(demoOrg) + "?q=arbete",
		embedDocumentURL(demoOrg, demoDoc),
		embedGoalURL(demoOrg, demoDoc, goal),
		embedIndicatorURL(demoOrg, indicator),
		embedTargetURL(demoOrg, demoDoc, firstTarget(doc).Key),
	}
	if hasDecidedPlan(doc) {
		pages = append(pages, portalPlansURL(demoOrg, demoDoc))
	}
	for _, l := range i18n.Languages {
		for _, p := range pages {
			t.Run(l.Code+p, func(t *testing.T) {
				sep := "?"
				if strings.Contains(p, "?") {
					sep = "&"
				}
				body := e.get(t, p+sep+"lang="+l.Code, "", http.StatusOK)
				if want := `<html lang="` + l.Code + `" dir="` + l.Dir() + `">`; !strings.Contains(body, want) {
					t.Errorf("no %s", want)
				}
				if strings.Contains(body, "⟦") {
					i := strings.Index(body, "⟦")
					t.Errorf("a message is missing from the catalogue: %s", body[i:min(len(body), i+80)])
				}
				problems := htmlProblemsIn(body, l.Code)
				if strings.HasPrefix(p, "/embed/") {
					// A widget has no header, footer or skip link of its own.
					problems = htmlcheck.Problems(body, htmlcheck.Options{Lang: l.Code})
				}
				for _, msg := range problems {
					t.Error(msg)
				}
				if l.Code != "sv" && strings.Contains(body, `<main id="innehall" class="wrap" tabindex="-1" lang="sv"`) {
					t.Error("the portal page is marked as Swedish only")
				}
			})
		}
	}
}

func demoDocumentFromStore(t *testing.T, e *testEnv) strategy.Document {
	t.Helper()
	d, err := e.st.Document(t.Context(), demoDoc)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func firstTarget(d strategy.Document) strategy.Target {
	return documentTargets(d)[0]
}

func hasDecidedPlan(d strategy.Document) bool {
	for _, p := range d.ActionPlans {
		if p.Status == strategy.PlanDecided {
			return true
		}
	}
	return false
}

// TestPortalDocumentContent checks the strategy page's content: the
// scorecard's counts, the status words in the language, a Swedish
// fallback marked as Swedish, and the embed code.
func TestPortalDocumentContent(t *testing.T) {
	e := demoEnv(t)
	sv := e.get(t, portalDocumentURL(demoOrg, demoDoc), "", http.StatusOK)
	for _, want := range []string{"Hur går det?", "Antal mål per status", "Bedömning år 2026.", "Ladda ner data",
		"&lt;iframe src=&#34;http://example.com/embed/2380/dokument/" + demoDoc, `type="application/json+oembed"`} {
		if !strings.Contains(sv, want) {
			t.Errorf("Swedish page lacks %q", want)
		}
	}
	en := e.get(t, portalDocumentURL(demoOrg, demoDoc), "en-GB,en;q=0.8", http.StatusOK)
	for _, want := range []string{"How is it going?", "Number of targets per status"} {
		if !strings.Contains(en, want) {
			t.Errorf("English page (Accept-Language) lacks %q", want)
		}
	}
	so := e.get(t, portalDocumentURL(demoOrg, demoDoc)+"?lang=so", "", http.StatusOK)
	if !strings.Contains(so, `lang="sv" dir="ltr"`) {
		t.Error("Somali page shows no Swedish fallback marked lang=sv")
	}
}

// TestPortalDraftsAreNotPublic: a draft document is not in the portal, its
// goals are not, and it is not listed.
func TestPortalDraftsAreNotPublic(t *testing.T) {
	st := openDemoStore(t, func(b []strategy.Bundle) []strategy.Bundle {
		for i := range b {
			if b[i].Document != nil && b[i].Document.Key == demoDoc {
				b[i].Document.Status = strategy.StatusDraft
			}
		}
		return b
	})
	e := newTestEnvWith(t, st)
	e.get(t, portalDocumentURL(demoOrg, demoDoc), "", http.StatusNotFound)
	e.get(t, embedDocumentURL(demoOrg, demoDoc), "", http.StatusNotFound)
	e.get(t, portalOrgURL(demoOrg), "", http.StatusNotFound)
	if home := e.get(t, portalHomeURL(), "", http.StatusOK); strings.Contains(home, portalOrgURL(demoOrg)+`"`) {
		t.Error("the portal lists an organisation without published documents")
	}
	e.get(t, portalDocumentURL("1234", "stromsund-program"), "", http.StatusNotFound) // another organisation's code
}

// TestPortalSearch finds goals by a Swedish word without its accents, and
// says when nothing is found.
func TestPortalSearch(t *testing.T) {
	e := demoEnv(t)
	doc := demoDocumentFromStore(t, e)
	goal := doc.Areas[0].Goals[0]
	word := strings.Fields(goal.Title)[0]
	body := e.get(t, portalSearchURL(demoOrg)+"?q="+strings.NewReplacer("å", "a", "ä", "a", "ö", "o").Replace(strings.ToLower(word)), "", http.StatusOK)
	if !strings.Contains(body, portalGoalURL(demoOrg, demoDoc, goal.Key)) {
		t.Errorf("searching %q does not find the goal %q", word, goal.Title)
	}
	none := e.get(t, portalSearchURL(demoOrg)+"?q=xyzzyplugh", "", http.StatusOK)
	if !strings.Contains(none, "Inget hittades") || !strings.Contains(none, "0 träffar") {
		t.Error("an empty result does not say so")
	}
}

// TestEmbedTheme: host colours are applied, unreadable ones replaced, and
// the widget may be framed by the configured sites only.
func TestEmbedTheme(t *testing.T) {
	e := demoEnv(t, WithPortal(PortalConfig{FrameAncestors: []string{"https://www.ostersund.se"}}))
	req := httptest.NewRequest("GET", embedDocumentURL(demoOrg, demoDoc)+"?bakgrund=003366&text=004477&accent=ffcc00", nil)
	res, body := e.send(t, req)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors https://www.ostersund.se") {
		t.Errorf("CSP %q does not allow the configured site to frame the widget", csp)
	}
	if !strings.Contains(body, "--embed-bg:#003366;--embed-text:#ffffff;--embed-accent:#ffcc00") {
		t.Errorf("theme not applied with readable text: %s", body[strings.Index(body, "<style>"):strings.Index(body, "</style>")])
	}
	// Pages other than widgets may not be framed by others.
	res, _ = e.send(t, httptest.NewRequest("GET", portalDocumentURL(demoOrg, demoDoc), nil))
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'self'") {
		t.Errorf("portal page CSP %q", csp)
	}
}

// TestOEmbed answers with the widget's iframe for portal URLs and refuses
// others.
func TestOEmbed(t *testing.T) {
	e := demoEnv(t)
	doc := demoDocumentFromStore(t, e)
	goal := doc.Areas[0].Goals[0]
	page := "http://example.com" + portalGoalURL(demoOrg, demoDoc, goal.Key)
	res, body := e.send(t, httptest.NewRequest("GET", oembedURL(page)+"&maxwidth=400", nil))
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", res.StatusCode, body)
	}
	var o oembedResponse
	if err := json.Unmarshal([]byte(body), &o); err != nil {
		t.Fatal(err)
	}
	if o.Type != "rich" || o.Version != "1.0" || o.Width != 400 || o.Title != goal.Title ||
		!strings.Contains(o.HTML, `src="http://example.com`+embedGoalURL(demoOrg, demoDoc, goal.Key)+`"`) || !strings.Contains(o.HTML, `title="`) {
		t.Errorf("oEmbed response %+v", o)
	}
	for _, bad := range []string{"http://elsewhere.example/portal/2380", "http://example.com/admin/anvandare"} {
		res, _ := e.send(t, httptest.NewRequest("GET", oembedURL(bad), nil))
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("oEmbed of %s: status %d, want 404", bad, res.StatusCode)
		}
	}
	res, _ = e.send(t, httptest.NewRequest("GET", "/oembed?format=xml&url="+url.QueryEscape(page), nil))
	if res.StatusCode != http.StatusNotImplemented {
		t.Errorf("format=xml: status %d, want 501", res.StatusCode)
	}
}

// TestLanguageChoice: ?lang= wins and is remembered in a cookie, then the
// cookie, then Accept-Language; Dari finds the Persian catalogue.
func TestLanguageChoice(t *testing.T) {
	e := demoEnv(t)
	res, body := e.send(t, httptest.NewRequest("GET", portalHomeURL()+"?lang=ar", nil))
	if !strings.Contains(body, `<html lang="ar" dir="rtl">`) {
		t.Error("?lang=ar does not give Arabic, right to left")
	}
	var cookie *http.Cookie
	for _, c := range res.Cookies() {
		if c.Name == i18n.CookieName {
			cookie = c
		}
	}
	if cookie == nil || cookie.Value != "ar" {
		t.Fatalf("the choice is not remembered: %v", res.Cookies())
	}
	req := httptest.NewRequest("GET", portalHomeURL(), nil)
	req.AddCookie(cookie)
	req.Header.Set("Accept-Language", "en")
	if _, body := e.send(t, req); !strings.Contains(body, `<html lang="ar"`) {
		t.Error("the cookie does not win over Accept-Language")
	}
	for header, want := range map[string]string{"prs": "fa", "so-SO,so;q=0.9": "so", "ti-ER": "ti", "de-DE": "sv", "en-US,sv;q=0.5": "en"} {
		req := httptest.NewRequest("GET", portalHomeURL(), nil)
		req.Header.Set("Accept-Language", header)
		if _, body := e.send(t, req); !strings.Contains(body, `<html lang="`+want+`"`) {
			t.Errorf("Accept-Language %q: want %s", header, want)
		}
	}
}
