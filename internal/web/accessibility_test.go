package web

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/inkludera/inkludera/internal/strategy"
)

func init() {
	checkedPages["accessibility"] = frame[accessibilityPage]{}
	checkedPages["admin_accessibility"] = frame[barrierReportsPage]{}
}

// newBarrierEnv is the site on testBundles with the test users and the
// portal configured as c.
func newBarrierEnv(t *testing.T, c PortalConfig) *testEnv {
	t.Helper()
	st := newTestStore(t)
	storeTestUsers(t, st)
	return newTestEnvWith(t, st, WithPortal(c))
}

// postBarrier sends the report form as the public from addr (RemoteAddr;
// "" for httptest's 192.0.2.1) to target.
func (e *testEnv) postBarrier(t *testing.T, target, addr string, form url.Values) (*http.Response, string) {
	t.Helper()
	req := httptest.NewRequest("POST", target, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if addr != "" {
		req.RemoteAddr = addr
	}
	return e.send(t, req)
}

func (e *testEnv) barrierReports(t *testing.T) []strategy.BarrierReport {
	t.Helper()
	list, err := e.st.BarrierReports(context.Background(), strategy.BarrierFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

var headingRE = regexp.MustCompile(`<h([1-6])[^>]*>(.*?)</h[1-6]>`)

// headings lists a page's headings as "h2 Text", in order.
func headings(page string) []string {
	var out []string
	for _, m := range headingRE.FindAllStringSubmatch(page, -1) {
		out = append(out, "h"+m[1]+" "+html.UnescapeString(m[2]))
	}
	return out
}

// pageProblems is htmlProblems for a page in any language (htmlcheck wants
// lang="sv").
func pageProblems(page string) []string {
	var out []string
	for _, p := range htmlProblems(page) {
		if !strings.HasPrefix(p, "<html lang>") {
			out = append(out, p)
		}
	}
	return out
}

// TestAccessibilityStatement checks that the statement has Digg's
// sections in Digg's order, in Swedish, English and Arabic, with the
// owner, the contact address and the date as configured.
func TestAccessibilityStatement(t *testing.T) {
	sv := []string{
		"h1 Tillgänglighetsredogörelse för Inkludera",
		"h2 Hur tillgänglig är webbplatsen?",
		"h2 Vad kan du göra om du inte kan använda delar av webbplatsen?",
		"h2 Rapportera brister i webbplatsens tillgänglighet",
		"h2 Tillsyn",
		"h2 Teknisk information om webbplatsens tillgänglighet",
		"h2 Innehåll som inte är tillgängligt",
		"h3 Bristande förenlighet med lagkraven",
		"h3 Oskäligt betungande anpassning",
		"h3 Innehåll som inte omfattas av lagkraven",
		"h2 Hur vi testat webbplatsen",
		"h2 Rapportera en brist",
	}
	en := []string{
		"h1 Accessibility statement for Inkludera",
		"h2 How accessible is this website?",
		"h2 What can you do if you cannot use parts of the website?",
		"h2 Reporting accessibility problems on this website",
		"h2 Enforcement procedure",
		"h2 Technical information about this website's accessibility",
		"h2 Non-accessible content",
		"h3 Non-compliance with the requirements of the law",
		"h3 Disproportionate burden",
		"h3 Content that is not within the scope of the law",
		"h2 How we tested this website",
		"h2 Report a problem",
	}
	configured := PortalConfig{SiteOwner: "Östersunds kommun", ContactEmail: "tillganglighet@ostersund.se", StatementDate: "2027-02-03"}
	tests := []struct {
		name     string
		config   PortalConfig
		target   string
		lang     string // Accept-Language
		headings []string
		want     []string
		not      []string
	}{
		{"Swedish, configured", configured, "/tillganglighet", "sv", sv, []string{
			`<html lang="sv" dir="ltr">`,
			"Östersunds kommun står bakom den här webbplatsen. Vi vill att så många som möjligt ska kunna använda webbplatsen.",
			"Webbplatsen är delvis förenlig med lagen om tillgänglighet till digital offentlig service",
			"saknar taggar", "Chromium-motorn är taggade", "1.4.1 (Användning av färg)", "bara på svenska",
			`<a href="https://www.digg.se/tdosanmalan" hreflang="sv">Anmäl bristande tillgänglighet till Digg</a>`,
			`E-postadress: <a href="mailto:tillganglighet@ostersund.se" dir="ltr">tillganglighet@ostersund.se</a>`,
			"axe-core", "Chromium", "mobilens bredd", "svenska, engelska och arabiska", "tangentbordet",
			"Den senaste bedömningen gjordes 2027-02-03.", "Redogörelsen uppdaterades senast 2027-02-03.",
			`<a href="#rapportera">`, `action="/tillganglighet?lang=sv"`,
			`<textarea id="rapport-beskrivning" name="beskrivning" rows="6" required aria-describedby="rapport-beskrivning-hjalp">`,
			"Högst 5\u00a0000 tecken.",
			`<div class="visually-hidden" aria-hidden="true">`, `name="website" value="" tabindex="-1" autocomplete="off"`,
		}, []string{"error-summary", `role="status"`}},
		{"English, defaults", PortalConfig{}, "/tillganglighet", "en-GB,en;q=0.9", en, []string{
			`<html lang="en" dir="ltr">`,
			"Inkludera is responsible for this website.",
			"This website is partially compliant with the Swedish law on accessibility to digital public services",
			"The latest assessment was made on 22 November 2026.", "This statement was last updated on 22 November 2026.",
			`action="/tillganglighet?lang=en"`, "At most 5,000 characters.",
		}, []string{"mailto:", "E-mail address:"}},
		{"Arabic, right to left", configured, "/tillganglighet?lang=ar", "", nil, []string{
			`<html lang="ar" dir="rtl">`, `action="/tillganglighet?lang=ar"`, "https://www.digg.se/tdosanmalan",
		}, nil},
		{"after a report", PortalConfig{}, "/tillganglighet?tack=1", "sv", append(sv[:1:1], append([]string{"h2 Tack för din rapport"}, sv[1:]...)...), []string{
			`<div class="barrier-thanks" id="tack" role="status" aria-labelledby="tack-rubrik">`, "Vi har tagit emot den",
		}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newTestEnvWith(t, newTestStore(t), WithPortal(tc.config))
			req := httptest.NewRequest("GET", tc.target, nil)
			if tc.lang != "" {
				req.Header.Set("Accept-Language", tc.lang)
			}
			res, page := e.send(t, req)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status %d\n%s", res.StatusCode, page)
			}
			if tc.headings != nil {
				same := strings.Join(headings(page), "\n") == strings.Join(tc.headings, "\n")
				if !same {
					t.Errorf("headings:\n%s\nwant:\n%s", strings.Join(headings(page), "\n"), strings.Join(tc.headings, "\n"))
				}
			}
			for _, w := range tc.want {
				if !strings.Contains(page, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			for _, n := range tc.not {
				if strings.Contains(page, n) {
					t.Errorf("page has %q", n)
				}
			}
			if strings.Contains(page, "⟦") {
				t.Errorf("a message is missing from the catalogue: %s", regexp.MustCompile(`⟦[^⟧]*⟧`).FindString(page))
			}
			for _, p := range pageProblems(page) {
				t.Errorf("HTML problem: %s", p)
			}
		})
	}
}

// TestAccessibilityLinkFromEveryPage: the footer of every page links to
// the statement with the page's own address, which the form is prefilled
// with.
func TestAccessibilityLinkFromEveryPage(t *testing.T) {
	e := newTestEnv(t)
	for _, path := range []string{"/", "/portal/2313", "/rapporter", "/finns-inte"} {
		_, page := e.do(t, "GET", path)
		want := `<a href="/tillganglighet?sida=` + strings.ReplaceAll(url.QueryEscape(path), "%2F", "%2f") + `">Tillgänglighet och rapportera brister</a>`
		if !strings.Contains(page, want) {
			t.Errorf("%s: the footer lacks %s", path, want)
		}
	}
	_, page := e.do(t, "GET", "/tillganglighet?sida=%2Fportal%2F2313%3Flang%3Den")
	if want := `name="sida" value="/portal/2313?lang=en"`; !strings.Contains(page, want) {
		t.Errorf("the form is not prefilled: want %s", want)
	}
	_, page = e.do(t, "GET", "/tillganglighet?sida="+strings.Repeat("x", strategy.MaxBarrierPage+50))
	if m := regexp.MustCompile(`name="sida" value="(x*)"`).FindStringSubmatch(page); m == nil || len(m[1]) != strategy.MaxBarrierPage {
		t.Error("a prefilled page longer than a report keeps is not cut to its length")
	}
}

// TestBarrierFormValidation: a refused report is shown again with its
// values, an error summary linking each problem to its input, and the
// problem beside the input, in the reader's language; nothing is stored.
func TestBarrierFormValidation(t *testing.T) {
	e := newBarrierEnv(t, PortalConfig{})
	valid := url.Values{"sida": {"/portal/2380"}, "beskrivning": {"Diagrammet går inte att nå med tangentbordet."},
		"namn": {"Amina"}, "epost": {"amina@example.se"}, "svar": {"1"}}
	with := func(changes ...string) url.Values {
		v := url.Values{}
		for k, vs := range valid {
			v[k] = vs
		}
		for i := 0; i+1 < len(changes); i += 2 {
			if changes[i+1] == "" {
				v.Del(changes[i])
			} else {
				v.Set(changes[i], changes[i+1])
			}
		}
		return v
	}
	tests := []struct {
		name   string
		target string
		form   url.Values
		want   []string
	}{
		{"missing description, Swedish", "/tillganglighet?lang=sv", with("beskrivning", ""), []string{
			`<h2 id="felsammanfattning-rubrik">Rapporten kunde inte skickas</h2>`,
			`<li><a href="#rapport-beskrivning">Beskriv problemet.</a></li>`,
			`<p class="field-error" id="rapport-beskrivning-fel"><span class="visually-hidden">Fel: </span>Beskriv problemet.</p>`,
			`aria-describedby="rapport-beskrivning-hjalp rapport-beskrivning-fel" aria-invalid="true">`,
			`value="amina@example.se"`, `value="Amina"`, `value="/portal/2380"`, `name="svar" value="1" checked>`,
		}},
		{"missing description, English", "/tillganglighet?lang=en", with("beskrivning", "   "), []string{
			`<h2 id="felsammanfattning-rubrik">The report could not be sent</h2>`,
			`<li><a href="#rapport-beskrivning">Describe the problem.</a></li>`,
			`<span class="visually-hidden">Error: </span>Describe the problem.`,
		}},
		{"bad e-mail, Swedish", "/tillganglighet?lang=sv", with("epost", "amina(at)example.se"), []string{
			`<li><a href="#rapport-epost">Skriv en e-postadress som namn@exempel.se.</a></li>`,
			`aria-describedby="rapport-epost-hjalp rapport-epost-fel" aria-invalid="true">`,
			"Diagrammet går inte att nå med tangentbordet.</textarea>",
		}},
		{"bad e-mail, English", "/tillganglighet?lang=en", with("epost", "amina@localhost"), []string{
			`<li><a href="#rapport-epost">Write an e-mail address such as name@example.com.</a></li>`,
		}},
		{"an answer without an e-mail", "/tillganglighet?lang=sv", with("epost", ""), []string{
			`<li><a href="#rapport-epost">Skriv din e-postadress om du vill ha svar.</a></li>`,
		}},
		{"too long, English", "/tillganglighet?lang=en", with("beskrivning", strings.Repeat("ب", strategy.MaxBarrierDescription+1), "namn", strings.Repeat("n", 201)), []string{
			`<li><a href="#rapport-beskrivning">The description can be at most 5,000 characters long.</a></li>`,
			`<li><a href="#rapport-namn">The name can be at most 200 characters long.</a></li>`,
		}},
		{"the language of the form's address wins", "/tillganglighet?lang=en", with("beskrivning", ""), []string{
			`<html lang="en" dir="ltr">`, "Describe the problem.",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, page := e.postBarrier(t, tc.target, "", tc.form)
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422\n%s", res.StatusCode, page)
			}
			for _, w := range tc.want {
				if !strings.Contains(page, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			for _, p := range pageProblems(page) {
				t.Errorf("HTML problem: %s", p)
			}
		})
	}
	if list := e.barrierReports(t); len(list) != 0 {
		t.Errorf("refused reports were stored: %+v", list)
	}
}

// TestBarrierReportFlow: a valid report is stored with the reader's
// language and thanked; an administrator sees it, others do not; marking
// it handled is recorded in the audit trail, once.
func TestBarrierReportFlow(t *testing.T) {
	e := newBarrierEnv(t, PortalConfig{ContactEmail: "tillganglighet@stromsund.se"})
	cache := e.h.(*Handler).s.cache
	cache.mu.Lock()
	gen := cache.gen
	cache.mu.Unlock()
	res, body := e.postBarrier(t, "/tillganglighet?lang=en", "", url.Values{
		"sida": {"/portal/2313"}, "beskrivning": {"The chart cannot be read\nwith a screen reader."},
		"namn": {"Amina"}, "epost": {"amina@example.se"}, "svar": {"1"}, "website": {""}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("status %d, want 303\n%s", res.StatusCode, body)
	}
	if loc := res.Header.Get("Location"); loc != "/tillganglighet?lang=en&tack=1#tack" {
		t.Errorf("sent to %q", loc)
	}
	cache.mu.Lock()
	if cache.gen != gen {
		t.Error("a reader's report emptied the page cache; it changes no public page")
	}
	cache.mu.Unlock()
	list := e.barrierReports(t)
	if len(list) != 1 {
		t.Fatalf("stored %d reports, want 1", len(list))
	}
	rep := list[0]
	if rep.Page != "/portal/2313" || rep.Description != "The chart cannot be read\nwith a screen reader." || rep.Name != "Amina" ||
		rep.Email != "amina@example.se" || !rep.WantsAnswer || rep.Language != "en" || !rep.CreatedAt.Equal(testNow()) || rep.Handled != nil {
		t.Errorf("stored %+v", rep)
	}
	res, page := e.do(t, "GET", "/tillganglighet?lang=en&tack=1")
	if res.StatusCode != 200 || !strings.Contains(page, `role="status"`) || !strings.Contains(page, "Thank you for your report") {
		t.Errorf("the thanks: status %d\n%s", res.StatusCode, page)
	}

	id := strconv.FormatInt(rep.ID, 10)
	res, page = e.doAs(t, testAdmin, "GET", "/admin/tillganglighet", nil)
	if res.StatusCode != 200 {
		t.Fatalf("the list as admin: status %d\n%s", res.StatusCode, page)
	}
	for _, w := range []string{
		`<a href="/admin/tillganglighet" aria-current="page">Tillgänglighet</a>`,
		`<h2 id="oppna">Öppna rapporter (1)</h2>`, `<h2 id="hanterade">Hanterade rapporter (0)</h2>`,
		`<article class="barrier-item" id="rapport-` + id + `"`, "inkom <time datetime=\"2026-03-15T12:00:00Z\">2026-03-15 13:00</time>",
		`<dd><a href="/portal/2313">/portal/2313</a></dd>`,
		"<dd class=\"barrier-text\">The chart cannot be read\nwith a screen reader.</dd>",
		`<dd>Amina, <a href="mailto:amina@example.se">amina@example.se</a></dd>`,
		"<dt>Vill ha svar</dt>\n<dd>Ja</dd>", "<dt>Språk</dt>\n<dd>engelska</dd>",
		`<form method="post" action="/admin/tillganglighet/` + id + `"`,
		`<label for="anteckning-` + id + `">`, "Markera rapport " + id + " som hanterad",
	} {
		if !strings.Contains(page, w) {
			t.Errorf("the list lacks %q", w)
		}
	}
	checkHTML(t, page)

	// Not for anyone else: the public is asked to sign in, users are refused.
	for _, u := range []*strategy.User{nil, testCoordinator, testEditorKS, testReader} {
		for _, req := range []struct {
			method, path string
			body         any
		}{{"GET", "/admin/tillganglighet", nil}, {"POST", "/admin/tillganglighet/" + id, url.Values{"anteckning": {"x"}}}} {
			res, page := e.doAs(t, u, req.method, req.path, req.body)
			want := http.StatusForbidden
			if u == nil {
				want = http.StatusSeeOther
			}
			if res.StatusCode != want || strings.Contains(page, "amina@example.se") {
				t.Errorf("%s %s as %v: status %d, want %d", req.method, req.path, u, res.StatusCode, want)
			}
		}
	}
	if rep := e.barrierReports(t)[0]; rep.Handled != nil {
		t.Fatalf("a refused user marked the report handled: %+v", rep)
	}

	// A note too long is refused beside its field.
	res, page = e.doAs(t, testAdmin, "POST", "/admin/tillganglighet/"+id, url.Values{"anteckning": {strings.Repeat("n", strategy.MaxBarrierNote+1)}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `<li><a href="#anteckning-`+id+`">Anteckningen får vara högst 2`+"\u00a0"+`000 tecken lång.</a></li>`) ||
		!strings.Contains(page, `aria-invalid="true" aria-describedby="anteckning-`+id+`-fel"`) {
		t.Errorf("a note too long: status %d\n%s", res.StatusCode, page)
	}
	checkHTML(t, page)

	res, _ = e.doAs(t, testAdmin, "POST", "/admin/tillganglighet/"+id, url.Values{"anteckning": {"Svarat; diagrammet har fått en tabell."}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/admin/tillganglighet#rapport-"+id {
		t.Fatalf("marking handled: status %d, Location %q", res.StatusCode, res.Header.Get("Location"))
	}
	rep = e.barrierReports(t)[0]
	if rep.Handled == nil || rep.HandledBy != testAdmin.Name || rep.Note != "Svarat; diagrammet har fått en tabell." {
		t.Errorf("after marking handled: %+v", rep)
	}
	_, page = e.doAs(t, testAdmin, "GET", "/admin/tillganglighet", nil)
	for _, w := range []string{`Öppna rapporter (0)`, `Hanterade rapporter (1)`, "Det finns inga öppna rapporter.", "av Ada Admin",
		"<dt>Anteckning</dt>\n<dd class=\"barrier-text\">Svarat; diagrammet har fått en tabell.</dd>"} {
		if !strings.Contains(page, w) {
			t.Errorf("the list after handling lacks %q", w)
		}
	}
	if strings.Contains(page, "Markera rapport") {
		t.Error("a handled report can still be marked handled")
	}

	// Again: a conflict, told on the list; the trail has the one entry.
	res, _ = e.doAs(t, testAdmin, "POST", "/admin/tillganglighet/"+id, url.Values{})
	if res.StatusCode != http.StatusSeeOther {
		t.Errorf("marking handled again: status %d", res.StatusCode)
	}
	entries, err := e.st.Audit(context.Background(), strategy.AuditFilter{Kind: strategy.ObjBarrierReport})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Action != strategy.AuditUpdate || entries[0].Actor.UserID != testAdmin.ID ||
		entries[0].Actor.Via != "web" || entries[0].Object.Key != id {
		t.Fatalf("audit = %+v", entries)
	}
	var after map[string]any
	if err := json.Unmarshal(entries[0].After, &after); err != nil || after["handled"] != true || strings.Contains(string(entries[0].After), "amina") {
		t.Errorf("audit after = %s", entries[0].After)
	}
	for _, target := range []string{"/admin/tillganglighet/9999", "/admin/tillganglighet/x"} {
		if res, _ := e.doAs(t, testAdmin, "POST", target, url.Values{}); res.StatusCode != http.StatusNotFound {
			t.Errorf("POST %s: status %d, want 404", target, res.StatusCode)
		}
	}
}

// TestBarrierHoneypot: a report with the hidden field filled in is
// thanked like any other but not stored.
func TestBarrierHoneypot(t *testing.T) {
	e := newBarrierEnv(t, PortalConfig{})
	res, _ := e.postBarrier(t, "/tillganglighet?lang=sv", "", url.Values{"beskrivning": {"Köp billiga klockor"}, "website": {"https://spam.example"}})
	if res.StatusCode != http.StatusSeeOther || !strings.Contains(res.Header.Get("Location"), "tack=1") {
		t.Errorf("status %d, Location %q: want the thanks", res.StatusCode, res.Header.Get("Location"))
	}
	if list := e.barrierReports(t); len(list) != 0 {
		t.Errorf("the bot's report was stored: %+v", list)
	}
	if !strings.Contains(e.log.String(), "honeypot") {
		t.Errorf("the dropped report is not logged:\n%s", e.log.String())
	}
}

// TestBarrierRateLimit: an address may send barrierLimit reports an hour;
// the next is refused in the reader's language with its text kept, and
// another address is not affected.
func TestBarrierRateLimit(t *testing.T) {
	e := newBarrierEnv(t, PortalConfig{})
	form := url.Values{"beskrivning": {"Knappen syns inte."}}
	for i := range barrierLimit {
		if res, body := e.postBarrier(t, "/tillganglighet?lang=sv", "198.51.100.7:4000", form); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("report %d: status %d\n%s", i+1, res.StatusCode, body)
		}
	}
	res, page := e.postBarrier(t, "/tillganglighet?lang=en", "198.51.100.7:4001", form)
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" ||
		!strings.Contains(page, "<li>You have sent many reports in a short time. Wait an hour and try again.</li>") ||
		!strings.Contains(page, "Knappen syns inte.</textarea>") {
		t.Errorf("one too many: status %d\n%s", res.StatusCode, page)
	}
	if res, _ := e.postBarrier(t, "/tillganglighet?lang=sv", "203.0.113.9:4000", form); res.StatusCode != http.StatusSeeOther {
		t.Errorf("another address: status %d", res.StatusCode)
	}
	if n := len(e.barrierReports(t)); n != barrierLimit+1 {
		t.Errorf("stored %d reports, want %d", n, barrierLimit+1)
	}
}

func TestBarrierLimiter(t *testing.T) {
	var l barrierLimiter
	t0 := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	for i := range barrierLimit {
		if !l.allow("2001:db8:1:2::1", t0.Add(time.Duration(i)*time.Minute)) {
			t.Fatalf("report %d refused", i+1)
		}
	}
	if l.allow("2001:db8:1:2:ffff::9", t0.Add(20*time.Minute)) {
		t.Error("another address of the same /64 is not limited with it")
	}
	if !l.allow("2001:db8:1:3::1", t0.Add(20*time.Minute)) {
		t.Error("another /64 is limited")
	}
	if !l.allow("2001:db8:1:2::1", t0.Add(barrierWindow)) {
		t.Error("the first report does not leave the window after an hour")
	}
	// A quiet hour later everyone is forgotten.
	l.allow("192.0.2.1", t0.Add(5*barrierWindow))
	if len(l.sent) != 1 {
		t.Errorf("%d addresses remembered after a quiet hour, want 1", len(l.sent))
	}
}
