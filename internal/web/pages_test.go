package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

func TestPages(t *testing.T) {
	e := newTestEnv(t)
	tests := []struct {
		name     string
		method   string // GET when empty
		path     string
		status   int
		contains []string
		excludes []string
	}{
		{
			name: "start page lists organisations and documents", path: "/", status: 200,
			contains: []string{
				"<title>Styrdokument för integration – Inkludera</title>",
				"Strömsunds kommun", "Östersunds kommun", "Region Jämtland Härjedalen",
				`<a href="/dokument/stromsund-program">Program för inflyttning och integration 2014–2015</a>`,
				"<td>Program</td>", "<td>Antagen</td>", `<time datetime="2014-04-16">2014-04-16</time>`,
				"Inga styrdokument ännu.",
				"<caption>Styrdokument för Strömsunds kommun</caption>",
			},
			// Östersund's only document is a draft, which the public does not see.
			excludes: []string{`href="/dokument/ostersund-strategi"`, "<td>Utkast</td>"},
		},
		{
			name: "document page shows metadata", path: "/dokument/stromsund-program", status: 200,
			contains: []string{
				"<h1>Program för inflyttning och integration 2014–2015</h1>",
				"<dt>Id nr</dt>", "0:34", "<dt>Dnr</dt>", "KS 2013/123", "<dt>Version</dt>", "1.0",
				"<dt>Antagen av</dt>", "Kommunfullmäktige", "2014-04-16", "§ 24", "KF 2014-04-16 § 24",
				"2014-01-01 – 2015-12-31",
				"Följs upp varje år i samband med bokslut och rapporteras till Kommunstyrelsen. Fördjupad uppföljning vart 4:e år.",
				"Senast 2015 – Om förutsättningarna förändras nämnvärt",
				"<dt>Ägare</dt>", "Kommunchef", "Invånare, Förtroendevalda",
				"stromsund-program-2010", // replaced document not in Inkludera: text, no link
				`<a href="https://example.org/regional-strategi">Regional strategi för ökad inflyttning</a>`,
				"Östersunds integrationsstrategi", // a draft: named, not linked, for the public
				"Kommunen vill att fler flyttar hit", "Programmet bygger på",
				"<strong>Kommunstyrelsen</strong> (samordnar)", "Följer upp programmet varje år",
			},
			excludes: []string{`href="/dokument/stromsund-program-2010"`, `href="/dokument/ostersund-strategi`},
		},
		{
			name: "document page shows the goal tree and targets", path: "/dokument/stromsund-program", status: 200,
			contains: []string{
				`<h2 id="omrade-inflyttning">Inflyttning och mångfald</h2>`, "Prioriterat fokusområde",
				`<h2 id="omrade-arbete">Arbete och egen försörjning</h2>`,
				"<strong>Bidrar till:</strong> ostersund-strategi", // a draft: its key, not its title or a link
				`<h3 id="mal-mal-fler-invanare"><span class="heading-prefix">Långsiktigt mål:</span> Fler invånare i Strömsunds kommun</h3>`,
				`<h4 id="mal-delmal-kvinnor"><span class="heading-prefix">Delmål:</span> Fler kvinnor bosätter sig i kommunen</h4>`,
				`<h5 id="mal-delmal-unga-kvinnor"><span class="heading-prefix">Delmål:</span> Unga kvinnor stannar kvar</h5>`,
				"Fler utrikes födda i arbete",
				"Minst 10 % av befolkningen är utrikes födda år 2020",
				"Tröskelvärde", "År för år", "Riktning", "Relativt", "Kvalitativt",
				"minst " + nb("10 %") + " år 2020",
				"minst " + nb("300 personer") + " per år",
				"ska öka",
				"högst samma nivå som Arbetslöshet bland inrikes födda",
				"cirka " + nb("60 %") + " år 2018",
				"<dt>Avser</dt><dd>Kvinnor</dd>",
				`<a href="/indikatorer/utrikes-fodda-andel?org=2313">Utrikes födda, andel</a>`,
				nb("9,4 %") + " (2019) <span class=\"source\">Källa: Kolada</span>",
				nb("5 900") + " (2013)",
				nb("310 personer") + " (2018), preliminärt",
				"Källa: Strömsunds kommun",
				nb("14,3 %") + " (2019)", nb("5,2 %") + " (2019)", "Källa: SCB",
				nb("78 %") + " (2023)", "Demovärden – inte verklig statistik",
				"Inget värde ännu",
				"Kommunen ska ha ett strukturerat och effektivt mottagande.",
				"Ansvar: Kommunstyrelsen, Arbetsmarknadsnämnden",
				"<strong>Kommunstyrelsen</strong> (huvudansvarig)", "<strong>Kommunledningsförvaltningen</strong> (medverkar)",
			},
		},
		{
			name: "document page shows terms and action plans", path: "/dokument/stromsund-program", status: 200,
			contains: []string{
				`<dt id="begrepp-nyanland">Nyanländ</dt>`, "kommunplacerats de senaste tre åren",
				`<h3 id="plan-ks-2015">Aktivitetsplan för inflyttning 2015</h3>`, "Planens status: beslutad",
				`<caption id="plan-ks-2015-tabell">Aktivitetsplan för inflyttning 2015 – Kommunstyrelsen, 2015</caption>`,
				`<th scope="col">Målgrupp</th><th scope="col">Aktivitet</th><th scope="col">Tid</th><th scope="col">Ansvarig</th><th scope="col">Uppföljning</th><th scope="col">Status</th>`,
				"Enbart kommunplacerade", "2015 kvartal 2", "Kommunledningsförvaltningen", "2015-12",
				`Mål: <a href="#mal-mal-fler-invanare">Fler invånare i Strömsunds kommun</a>`,
				">planerad<", ">pågår<", ">genomförd<", ">försenad<", ">inställd<",
			},
		},
		{
			// Drafts are their organisation's (TestDraftVisibility).
			name: "draft document is not public", path: "/dokument/ostersund-strategi", status: 404,
			excludes: []string{"Integrationsstrategi för Östersunds kommun"},
		},
		{
			name: "indicator page with gender breakdown", path: "/indikatorer/folkmangd?org=2313", status: 200,
			contains: []string{
				"<title>Folkmängd – Inkludera</title>", "<h1>Folkmängd</h1>", "Strömsunds kommun",
				`<caption id="varden-tabell">Folkmängd, Strömsunds kommun, per år och kön</caption>`,
				`<th scope="col">Totalt</th><th scope="col">Kvinnor</th><th scope="col">Män</th>`,
				`<th scope="row">2004</th>`, nb("<td>13 112</td>"), nb("<td>6 388</td>"),
				`<th scope="row">2006</th>`, `<span aria-hidden="true">–</span><span class="visually-hidden">värde saknas</span>`,
				"– betyder att värde saknas. Ett saknat värde är inte noll.",
				"<svg", `role="img"`,
				"Värdet var " + nb("13 112") + " år 2004 och " + nb("11 984") + " år 2013.",
				"För kvinnor var värdet",
				"Källa: Program för inflyttning och integration 2014–2015, avsnitt 10",
				"Antalet kvinnor ska öka", "Målvärde: ska öka (kvinnor).",
				"<dd>Kolada, nyckeltal N01951</dd>",
			},
		},
		{
			name: "indicator page draws targets", path: "/indikatorer/utrikes-fodda-andel?org=2313", status: 200,
			contains: []string{
				"Mål: " + "minst " + nb("10 %") + " år 2020",
				"<td>9,4</td>", "<td>8,1</td>",
				`href="/dokument/stromsund-program#malvarde-t-utrikes-10"`,
			},
		},
		{
			name: "indicator page for another organisation", path: "/indikatorer/utrikes-fodda-andel?org=2380", status: 200,
			contains: []string{"Östersunds kommun", "<td>12,5</td>", "Inget av Östersunds kommuns styrdokument har mål"},
			excludes: []string{"<td>9,4</td>"},
		},
		{
			name: "indicator without gender breakdown", path: "/indikatorer/inflyttade?org=2313", status: 200,
			contains: []string{"Egna uppgifter från Strömsunds kommun", "Källa: Strömsunds kommun", "<td>280</td>", "preliminärt", "* Preliminärt värde",
				"Mål: " + "minst " + nb("300 personer") + " per år"},
			excludes: []string{`<th scope="col">Kvinnor</th>`, "per år och kön"},
		},
		{
			name: "demo indicator", path: "/indikatorer/nojdhet?org=2313", status: 200,
			contains: []string{"Demovärden – inte verklig statistik", "<td>70</td>"},
		},
		{
			name: "indicator without values", path: "/indikatorer/sfi-klarat?org=2313", status: 200,
			contains: []string{"Det finns inga värden för Strömsunds kommun ännu."},
			excludes: []string{"<svg", "<table"},
		},
		{name: "indicator without org", path: "/indikatorer/folkmangd", status: 400,
			contains: []string{"Felaktig förfrågan", "Ange vilken organisation"}},
		{name: "indicator with malformed org", path: "/indikatorer/folkmangd?org=abc", status: 400,
			contains: []string{"är ingen kommun-, läns- eller rikskod"}},
		{name: "indicator with unknown org", path: "/indikatorer/folkmangd?org=2599", status: 404,
			contains: []string{"Det finns ingen organisation med koden 2599."}},
		{name: "unknown indicator", path: "/indikatorer/okand?org=2313", status: 404,
			contains: []string{"Sidan finns inte", "Det finns ingen indikator med nyckeln"}},
		{name: "unknown document", path: "/dokument/okand", status: 404,
			contains: []string{"Sidan finns inte", "Det finns inget dokument med nyckeln", "Till startsidan"}},
		{name: "unknown path", path: "/finns/inte", status: 404,
			contains: []string{"<h1>Sidan finns inte</h1>", "Det finns ingen sida med adressen /finns/inte."}},
		{name: "wrong method on a page", method: "POST", path: "/dokument/stromsund-program", status: 405,
			contains: []string{"Metoden stöds inte"}},
		{name: "wrong method on an unknown path", method: "POST", path: "/finns/inte", status: 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			method := tt.method
			if method == "" {
				method = "GET"
			}
			res, body := e.do(t, method, tt.path)
			if res.StatusCode != tt.status {
				t.Errorf("status = %d, want %d", res.StatusCode, tt.status)
			}
			if ct := res.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
				t.Errorf("Content-Type = %q", ct)
			}
			for _, want := range tt.contains {
				if !strings.Contains(body, want) {
					t.Errorf("body lacks %q", want)
				}
			}
			for _, bad := range tt.excludes {
				if strings.Contains(body, bad) {
					t.Errorf("body has %q", bad)
				}
			}
			for _, p := range htmlProblems(body) {
				t.Errorf("HTML: %s", p)
			}
			if t.Failed() {
				t.Logf("body:\n%s", body)
			}
		})
	}
}

// TestMethodNotAllowedHeader checks the Allow header of a 405.
func TestMethodNotAllowedHeader(t *testing.T) {
	e := newTestEnv(t)
	res, _ := e.do(t, "DELETE", "/api/v1/organisations")
	if res.StatusCode != http.StatusMethodNotAllowed || res.Header.Get("Allow") != "GET, HEAD" {
		t.Errorf("status %d, Allow %q; want 405 with GET, HEAD", res.StatusCode, res.Header.Get("Allow"))
	}
}

// TestHead checks that GET routes answer HEAD without a body. It needs a
// real server: the recorder keeps what a handler writes even for HEAD.
func TestHead(t *testing.T) {
	e := newTestEnv(t)
	srv := httptest.NewServer(e.h)
	defer srv.Close()
	res, err := srv.Client().Head(srv.URL + "/dokument/stromsund-program")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 || len(body) != 0 {
		t.Errorf("HEAD: status %d, body %d bytes; want 200 and no body", res.StatusCode, len(body))
	}
}

// TestSecurityHeaders checks the headers every response carries.
func TestSecurityHeaders(t *testing.T) {
	e := newTestEnv(t)
	for _, path := range []string{"/", "/api/v1/organisations", "/finns/inte"} {
		res, _ := e.do(t, "GET", path)
		if res.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: no X-Content-Type-Options", path)
		}
		if !strings.Contains(res.Header.Get("Content-Security-Policy"), "script-src 'none'") {
			t.Errorf("%s: CSP %q does not forbid scripts", path, res.Header.Get("Content-Security-Policy"))
		}
	}
}

// TestStatic checks the embedded stylesheet and its cache headers.
func TestStatic(t *testing.T) {
	e := newTestEnv(t)
	_, page := e.do(t, "GET", "/")
	m := regexp.MustCompile(`href="(/static/style\.css\?v=[0-9a-f]+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("the page does not link a versioned stylesheet")
	}
	tests := []struct {
		name, path string
		status     int
		cache      string
	}{
		{"versioned URL is immutable", m[1], 200, "public, max-age=31536000, immutable"},
		{"plain URL is cached briefly", "/static/style.css", 200, "public, max-age=3600"},
		{"missing file", "/static/finns-inte.css", 404, ""},
		{"no escape from the folder", "/static/../web.go", 307, ""}, // net/http cleans the path
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := e.do(t, "GET", tt.path)
			if res.StatusCode != tt.status {
				t.Fatalf("status = %d, want %d", res.StatusCode, tt.status)
			}
			if tt.status != 200 {
				if strings.Contains(body, "package web") {
					t.Error("served a source file")
				}
				return
			}
			if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/css") {
				t.Errorf("Content-Type = %q", ct)
			}
			if cc := res.Header.Get("Cache-Control"); cc != tt.cache {
				t.Errorf("Cache-Control = %q, want %q", cc, tt.cache)
			}
			if !strings.Contains(body, ":focus-visible") {
				t.Error("stylesheet has no focus style")
			}
		})
	}
}

// TestCrawl follows every link from the start page: every page must answer
// 200 and pass the HTML checks, and every #fragment must name an id on the
// page it points into.
func TestCrawl(t *testing.T) {
	e := newTestEnv(t)
	hrefRE := regexp.MustCompile(`href="([^"]*)"`)
	idRE := regexp.MustCompile(`id="([^"]*)"`)
	pages := map[string]string{} // path → body
	type ref struct{ from, to string }
	var fragments []ref
	queue := []string{"/"}
	for len(queue) > 0 && len(pages) < 200 {
		path := queue[0]
		queue = queue[1:]
		if _, seen := pages[path]; seen {
			continue
		}
		res, body := e.do(t, "GET", path)
		pages[path] = body
		if res.StatusCode != 200 {
			t.Errorf("%s: status %d", path, res.StatusCode)
			continue
		}
		if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
			continue
		}
		lang := "sv"
		if u, err := url.Parse(path); err == nil && u.Query().Get("lang") != "" {
			lang = u.Query().Get("lang")
		}
		for _, p := range htmlProblemsIn(body, lang) {
			t.Errorf("%s: %s", path, p)
		}
		for _, m := range hrefRE.FindAllStringSubmatch(body, -1) {
			href := strings.ReplaceAll(m[1], "&amp;", "&")
			switch {
			case strings.HasPrefix(href, "#"):
				fragments = append(fragments, ref{path, path + href})
			case strings.HasPrefix(href, "/"):
				target, frag, _ := strings.Cut(href, "#")
				if frag != "" {
					fragments = append(fragments, ref{path, href})
				}
				queue = append(queue, target)
			}
		}
	}
	for _, fr := range fragments {
		target, frag, _ := strings.Cut(fr.to, "#")
		body, ok := pages[target]
		if !ok {
			_, body = e.do(t, "GET", target)
		}
		found := false
		for _, m := range idRE.FindAllStringSubmatch(body, -1) {
			if m[1] == frag {
				found = true
			}
		}
		if !found {
			t.Errorf("%s links to %s, but that page has no id %q", fr.from, fr.to, frag)
		}
	}
	for _, want := range []string{"/dokument/stromsund-program", "/indikatorer/folkmangd?org=2313", "/api/v1/openapi.json"} {
		if _, ok := pages[want]; !ok {
			t.Errorf("crawl never reached %s", want)
		}
	}
}
