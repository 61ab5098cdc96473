package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/inkludera/inkludera/internal/demo"
	"github.com/inkludera/inkludera/internal/library"
	"github.com/inkludera/inkludera/internal/strategy"
	"github.com/inkludera/inkludera/internal/testtool"
)

// The accessibility tests in a real browser: axe-core's WCAG 2.0 and 2.1
// A and AA rules on every public page in Swedish, English and Arabic at a
// desktop and a phone width, and a keyboard walk through one page of each
// kind. They are slow, so the suite runs each of them once.

// a11yLanguages are the languages the pages are checked in: the content's,
// the one most translations start from, and a right-to-left one.
var a11yLanguages = []string{"sv", "en", "ar"}

// a11yWidths are the viewports: a laptop, and a phone held upright (touch
// and mobile emulation, so the meta viewport applies as on a phone).
var a11yWidths = []struct {
	name          string
	width, height int64
	mobile        bool
}{
	{"desktop", 1280, 900, false},
	{"mobile", 375, 740, true},
}

// reflowWidth is the narrowest width at which a page must not scroll
// sideways (WCAG 1.4.10), checked after axe's two widths.
const reflowWidth = 320

// axeTags are the rules a page must pass: WCAG 2.0 and 2.1, levels A and AA.
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"}

// axeSource reads axe-core's axe.min.js from node_modules at the
// repository root (npm ci installs it from package.json), looking in the
// test's folder and each one above it up to the folder with go.mod. Missing
// skips the test locally and fails it under CI=true.
func axeSource(t *testing.T) string {
	t.Helper()
	path := testtool.Find(t, "axe-core (npm ci at the repository root)", func() (string, error) {
		dir, err := os.Getwd()
		if err != nil {
			return "", err
		}
		for {
			p := filepath.Join(dir, "node_modules", "axe-core", "axe.min.js")
			if _, err := os.Stat(p); err == nil {
				return p, nil
			}
			if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
				return "", fmt.Errorf("no node_modules/axe-core/axe.min.js from the test's folder up to %s", dir)
			}
			parent := filepath.Dir(dir)
			if parent == dir {
				return "", errors.New("no node_modules/axe-core/axe.min.js and no go.mod above the test's folder")
			}
			dir = parent
		}
	})
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(src)
}

// a11ySite is the demo site served over HTTPS for the browser, as a fresh
// `inkludera serve` shows it, with what the demo lacks for some pages to
// exist: Strömsund's action plan decided (the portal's plans page) and an
// approved follow-up report (/rapporter/{id}).
type a11ySite struct {
	srv *httptest.Server
	// ostersund is the demo's Östersund document, with a goal, a target
	// and an indicator for the pages that show one.
	ostersund          *strategy.Document
	goal, target, ind  string
	stromsund          *strategy.Document
	approvedReportPath string
	// libraryPaths are the strategy library's search, a search with
	// snippets and a document.
	libraryPaths []string
}

func newA11ySite(t *testing.T) *a11ySite {
	t.Helper()
	st := openDemoStore(t, func(bs []strategy.Bundle) []strategy.Bundle {
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
	})
	bundles, err := demo.Bundles()
	if err != nil {
		t.Fatal(err)
	}
	site := &a11ySite{ostersund: demoDocument(t, bundles, "2380"), stromsund: demoDocument(t, bundles, "2313")}
	// The first goal with a target measured by an indicator.
	eachGoal(site.ostersund, func(g *strategy.Goal) bool {
		for _, tg := range g.Targets {
			if tg.Indicator != "" {
				site.goal, site.target, site.ind = g.Key, tg.Key, tg.Indicator
				return true
			}
		}
		return false
	})
	if site.target == "" {
		t.Fatal("the demo's Östersund document has no target with an indicator")
	}

	ctx := strategy.WithActor(context.Background(), strategy.Actor{Name: "Testaren"})
	content := []byte(`{"report": "a11y test"}`)
	sum := sha256.Sum256(content)
	a, err := st.ApproveReport(ctx, strategy.ReportApproval{Org: "2380", Document: site.ostersund.Key,
		DocumentTitle: site.ostersund.Title, Year: 2021, Decision: "KS 2022-04-05 § 45", DecidedOn: date("2022-04-05"),
		Files: []strategy.ReportFile{{Format: "json", Name: "uppfoljning-2021.json", MediaType: "application/json",
			Size: int64(len(content)), SHA256: hex.EncodeToString(sum[:]), Content: content}}})
	if err != nil {
		t.Fatal(err)
	}
	site.approvedReportPath = approvalURL(a.ID)

	lib, err := library.Open(ctx, st, filepath.Join(t.TempDir(), "bibliotek"), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lib.Close() })
	added, err := lib.Add(ctx, []library.File{{Name: "strategi.txt", Data: []byte(strategyText)}, {Name: "program.md", Data: []byte(programText)}}, library.AddOptions{})
	if err != nil || len(added.Added) != 2 {
		t.Fatalf("adding the library's documents: %v (%d added)", err, len(added.Added))
	}
	site.libraryPaths = []string{"/bibliotek", "/bibliotek?q=arbetsmarknad", libraryDocumentURL(added.Added[0].ID)}

	e := newTestEnvWith(t, st, WithLibrary(lib))
	site.srv = httptest.NewTLSServer(e.h)
	t.Cleanup(site.srv.Close)
	return site
}

// sitemapPaths are the paths /sitemap.xml lists.
func (site *a11ySite) sitemapPaths(t *testing.T) []string {
	t.Helper()
	res, err := site.srv.Client().Get(site.srv.URL + "/sitemap.xml")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("GET /sitemap.xml: %d %v", res.StatusCode, err)
	}
	var sm parsedSitemap
	if err := xml.Unmarshal(body, &sm); err != nil {
		t.Fatalf("reading sitemap.xml: %v", err)
	}
	var paths []string
	for _, u := range sm.URLs {
		p, ok := strings.CutPrefix(u.Loc, site.srv.URL)
		if !ok {
			t.Fatalf("the sitemap lists %s, not on the test server %s", u.Loc, site.srv.URL)
		}
		paths = append(paths, p)
	}
	return paths
}

// hasRoutes reports whether the route table has a GET route under prefix:
// the parts of the portal written separately (embeds) are tested once
// they exist.
func hasRoutes(prefix string) bool {
	return slices.ContainsFunc(routeTable(), func(rt route) bool {
		return rt.method == "GET" && strings.HasPrefix(rt.path, prefix)
	})
}

// a11yRoute is one page the axe test loads.
type a11yRoute struct {
	path   string
	status int
	// barrierForm posts the page's form empty, so that the page checked
	// is the form with its error summary and field errors.
	barrierForm bool
}

// routes are every public page: the sitemap's, the work pages the public
// may read, a portal search, the embeds, the 404 page and the barrier form
// with its errors.
func (site *a11ySite) routes(t *testing.T) []a11yRoute {
	t.Helper()
	var rs []a11yRoute
	add := func(status int, paths ...string) {
		for _, p := range paths {
			if !slices.ContainsFunc(rs, func(r a11yRoute) bool { return r.path == p && !r.barrierForm }) {
				rs = append(rs, a11yRoute{path: p, status: status})
			}
		}
	}
	add(http.StatusOK, site.sitemapPaths(t)...)
	add(http.StatusOK, "/", "/rapporter", site.approvedReportPath, "/logga-in")
	// The work pages of each published document, and of two of its
	// indicators: one template, whose every indicator the portal's
	// indicator pages (in the sitemap) show again.
	for _, d := range []struct {
		org string
		doc *strategy.Document
	}{{"2380", site.ostersund}, {"2313", site.stromsund}} {
		add(http.StatusOK, documentURL(d.doc.Key))
		inds := d.doc.IndicatorKeys()
		for _, ind := range inds[:min(2, len(inds))] {
			add(http.StatusOK, indicatorURL(ind, d.org))
		}
	}
	add(http.StatusOK, portalSearchURL("2380")+"?q=arbete")
	add(http.StatusOK, site.libraryPaths...)
	if hasRoutes("/embed/") {
		add(http.StatusOK, embedIndicatorURL("2380", site.ind), embedGoalURL("2380", site.ostersund.Key, site.goal),
			embedTargetURL("2380", site.ostersund.Key, site.target))
	} else {
		t.Log("no /embed/ routes yet: the embeds are not checked")
	}
	add(http.StatusNotFound, "/finns-inte")
	return append(rs, a11yRoute{path: accessibilityURL(), status: http.StatusOK, barrierForm: true})
}

// withLang is the path with ?lang= set.
func withLang(path, lang string) string {
	u, err := url.Parse(path)
	if err != nil {
		panic(err)
	}
	q := u.Query()
	q.Set("lang", lang)
	u.RawQuery = q.Encode()
	return u.String()
}

// subtestName makes a path readable as a subtest name: slashes would
// nest subtests.
func subtestName(path string) string {
	if path == "/" {
		return "start"
	}
	return strings.ReplaceAll(strings.TrimPrefix(path, "/"), "/", "_")
}

// settle waits until the page has laid out and painted after a load or a
// viewport change: fonts loaded and two animation frames.
var settle = chromedp.Evaluate[bool](`document.fonts.ready.then(() => new Promise(done =>
	requestAnimationFrame(() => requestAnimationFrame(() => done(true)))))`, chromedp.EvalAwaitPromise)

func viewport(width, height int64, mobile bool) chromedp.Action[chromedp.Void] {
	if mobile {
		return chromedp.EmulateViewport(width, height, chromedp.EmulateScale(2), chromedp.EmulatePortrait,
			chromedp.EmulateMobile, chromedp.EmulateTouch)
	}
	return chromedp.EmulateViewport(width, height)
}

// axeViolation is one rule a page breaks, with the first few elements.
type axeViolation struct {
	ID, Impact, Help, HelpURL string
	Count                     int
	Nodes                     []struct{ Target, HTML, Summary string }
}

// axeRun runs axe-core on the page and returns its violations; axe is
// injected first when the page has none (after each load).
func axeRun(ctx context.Context, source string) ([]axeViolation, error) {
	ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof axe === "object"`))
	if err != nil {
		return nil, err
	}
	if !ok {
		// DevTools evaluation is not subject to the page's CSP (script-src
		// 'none'), which the check after it confirms.
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](source)); err != nil {
			return nil, fmt.Errorf("injecting axe-core: %w", err)
		}
		if ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof axe === "object" && typeof axe.run === "function"`)); err != nil || !ok {
			return nil, fmt.Errorf("axe-core did not load into the page (%v)", err)
		}
	}
	tags, err := json.Marshal(axeTags)
	if err != nil {
		return nil, err
	}
	return chromedp.Run(ctx, chromedp.Evaluate[[]axeViolation](`axe.run(document, {
		runOnly: {type: "tag", values: `+string(tags)+`}, resultTypes: ["violations"]
	}).then(r => r.violations.map(v => ({
		ID: v.id, Impact: v.impact || "", Help: v.help, HelpURL: v.helpUrl, Count: v.nodes.length,
		Nodes: v.nodes.slice(0, 4).map(n => ({Target: n.target.map(String).join(" "), HTML: n.html,
			Summary: (n.failureSummary || "").replace(/\s+/g, " ")}))
	})))`, chromedp.EvalAwaitPromise))
}

// reflowProblem is what makes a page scroll sideways at a phone's width
// (WCAG 1.4.10): the elements that stick out of the viewport, outside any
// element that scrolls or clips them itself (a wide table in .table-wrap
// may scroll; the page may not).
type reflowProblem struct {
	ScrollWidth, Width int
	Elements           []string
}

var reflowCheck = chromedp.Evaluate[*reflowProblem](`(() => {
	const root = document.documentElement, vw = root.clientWidth;
	if (root.scrollWidth <= vw) return null;
	// The page's box in viewport coordinates: a right-to-left page that
	// scrolls starts scrolled to its right end.
	const box = root.getBoundingClientRect(), lo = box.left, hi = box.left + vw;
	// Whether an ancestor that scrolls or clips holds the element: not one
	// between an absolutely positioned element and its containing block.
	const contained = el => {
		let pos = getComputedStyle(el).position;
		if (pos === "fixed") return true;
		for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
			const cs = getComputedStyle(p);
			const block = pos !== "absolute" || cs.position !== "static" || cs.transform !== "none";
			if (!block) continue;
			if (cs.overflowX !== "visible") return true;
			if (pos === "absolute") pos = cs.position;
		}
		return false;
	};
	// The culprits: elements whose box sticks out of the page, or whose
	// content (a long word, a wide child) overflows their box.
	const culprits = [];
	for (const el of document.body.querySelectorAll("*")) {
		const r = el.getBoundingClientRect();
		if ((r.width === 0 && r.height === 0) || contained(el)) continue;
		const out = r.right > hi + 1 || r.left < lo - 1;
		const spills = getComputedStyle(el).overflowX === "visible" && el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1;
		if (out || spills) culprits.push(el);
	}
	// The innermost ones say what to fix; their ancestors only follow.
	const describe = el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
		(el.classList.length ? "." + [...el.classList].join(".") : "") +
		" (" + Math.round(el.getBoundingClientRect().width) + "px wide, content " + el.scrollWidth + "px): " +
		JSON.stringify((el.textContent || "").trim().replace(/\s+/g, " ").slice(0, 60));
	const inner = culprits.filter(el => !culprits.some(c => c !== el && el.contains(c)));
	return {ScrollWidth: root.scrollWidth, Width: vw, Elements: inner.slice(0, 6).map(describe)};
})()`)

// TestAccessibilityAxe loads every public page in sv, en and ar at a
// desktop and a phone width and fails on any violation of axe-core's WCAG
// 2.0/2.1 A and AA rules, and on a page that scrolls sideways on the phone
// or at 320 CSS pixels.
func TestAccessibilityAxe(t *testing.T) {
	// The two browser tests run alongside each other, each with its own
	// Chromium and server: most of their time is waiting on the browser.
	t.Parallel()
	source := axeSource(t)
	ctx := newBrowserFor(t, 8*time.Minute)
	site := newA11ySite(t)
	routes := site.routes(t)
	start := time.Now()
	checks := 0
	byRule := map[string]int{}
	for _, rt := range routes {
		name := subtestName(rt.path)
		if rt.barrierForm {
			name += "_posted-empty"
		}
		t.Run(name, func(t *testing.T) {
			for _, lang := range a11yLanguages {
				t.Run(lang, func(t *testing.T) {
					desktop := a11yWidths[0]
					if err := chromedp.Do(ctx, viewport(desktop.width, desktop.height, desktop.mobile)); err != nil {
						t.Fatal(err)
					}
					res, err := chromedp.Run(ctx, chromedp.NavigateResponse(site.srv.URL+withLang(rt.path, lang)))
					if err != nil {
						t.Fatalf("loading %s: %v", rt.path, err)
					}
					if int(res.Status) != rt.status {
						t.Fatalf("%s answered %d, want %d", withLang(rt.path, lang), res.Status, rt.status)
					}
					if rt.barrierForm {
						postEmptyForm(t, ctx)
					}
					reflow := func(t *testing.T, width int64) {
						t.Helper()
						p, err := chromedp.Run(ctx, reflowCheck)
						if err != nil {
							t.Fatal(err)
						}
						if p != nil {
							byRule["reflow"]++
							t.Errorf("%s [%s, %dpx]: reflow (WCAG 1.4.10): the page is %dpx wide in a %dpx viewport and scrolls sideways; sticking out:\n    - %s",
								rt.path, lang, width, p.ScrollWidth, p.Width, strings.Join(p.Elements, "\n    - "))
						}
					}
					for i, w := range a11yWidths {
						if i > 0 {
							// The same document at another width: a resize
							// is cheaper than a reload.
							if err := chromedp.Do(ctx, viewport(w.width, w.height, w.mobile)); err != nil {
								t.Fatal(err)
							}
						}
						if _, err := chromedp.Run(ctx, settle); err != nil {
							t.Fatal(err)
						}
						vs, err := axeRun(ctx, source)
						if err != nil {
							t.Fatalf("axe on %s at %s: %v", rt.path, w.name, err)
						}
						checks++
						for _, v := range vs {
							byRule[v.ID]++
							var b strings.Builder
							fmt.Fprintf(&b, "%s [%s, %s %dpx]: %s (%s, %d elements): %s\n    %s",
								rt.path, lang, w.name, w.width, v.ID, v.Impact, v.Count, v.Help, v.HelpURL)
							for _, n := range v.Nodes {
								fmt.Fprintf(&b, "\n    - %s\n      %s\n      %s", n.Target, shorten(n.HTML, 240), shorten(n.Summary, 300))
							}
							t.Error(b.String())
						}
						if w.mobile {
							reflow(t, w.width)
						}
					}
					// WCAG 1.4.10 asks for no sideways scrolling down to
					// 320 CSS pixels: the narrowest phones, or 1280 at 400 %.
					if err := chromedp.Do(ctx, viewport(reflowWidth, 740, true)); err != nil {
						t.Fatal(err)
					}
					if _, err := chromedp.Run(ctx, settle); err != nil {
						t.Fatal(err)
					}
					reflow(t, reflowWidth)
				})
			}
		})
	}
	t.Logf("axe-core: %d pages × %d languages × %d widths = %d checks in %s",
		len(routes), len(a11yLanguages), len(a11yWidths), checks, time.Since(start).Round(time.Millisecond))
	if len(byRule) > 0 {
		var rules []string
		for id, n := range byRule {
			rules = append(rules, fmt.Sprintf("%s: %d", id, n))
		}
		slices.Sort(rules)
		t.Logf("violations by rule (page, language and width): %s", strings.Join(rules, "; "))
	}
}

// postEmptyForm empties the text fields of main's form that posts and
// submits it, without the browser's own validation, and waits for the
// answer: the form again with its errors.
func postEmptyForm(t *testing.T, ctx context.Context) {
	t.Helper()
	const form = `document.querySelector('main form[method="post" i]')`
	found, err := chromedp.Run(ctx, chromedp.Evaluate[bool](form+` !== null`))
	if err != nil || !found {
		t.Fatalf("the page has no form that posts in main (%v)", err)
	}
	_, err = chromedp.Run(ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Evaluate[chromedp.Void](`(() => {
		const f = `+form+`;
		for (const el of f.querySelectorAll('textarea, input:not([type]), input[type="text"], input[type="email"], input[type="url"], input[type="tel"]')) {
			el.value = "";
		}
		f.submit();
	})()`)))
	if err != nil {
		t.Fatalf("posting the form: %v", err)
	}
	summary, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector(".error-summary") !== null`))
	if err != nil || !summary {
		t.Fatalf("the form posted empty shows no error summary (.error-summary) (%v)", err)
	}
}

func shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// focusState is what the keyboard test learns of the focused element.
type focusState struct {
	// Path identifies the element (tag and position from body); "" when
	// nothing in the document has focus.
	Path, Desc string
	SkipLink   bool
	InMain     bool
	IsMain     bool
	// Visible: a box of non-zero size inside the viewport, not hidden.
	Visible bool
	Rect    string
	// Indicator: an outline, a box shadow, or (compared with the element
	// unfocused) another border, background or colour.
	Indicator bool
	Style     string
}

// focusProbe describes document.activeElement. When the element shows no
// outline or box shadow, it compares its style with the same element
// blurred, then focuses it again (the next Tab continues from it).
var focusProbe = chromedp.Evaluate[focusState](`(() => {
	const el = document.activeElement;
	if (!el || el === document.body || el === document.documentElement || !document.hasFocus()) return {Path: ""};
	const path = [];
	for (let e = el; e && e !== document.body; e = e.parentElement) {
		path.unshift(e.tagName.toLowerCase() + ":" + [...e.parentElement.children].indexOf(e));
	}
	const text = (el.getAttribute("aria-label") || el.textContent || el.value || "").trim().replace(/\s+/g, " ").slice(0, 60);
	const desc = "<" + el.tagName.toLowerCase() + (el.id ? " id=" + el.id : "") +
		(el.getAttribute("href") ? " href=" + el.getAttribute("href") : "") + "> " + JSON.stringify(text);
	const r = el.getBoundingClientRect();
	const cs = getComputedStyle(el);
	const visible = r.width >= 1 && r.height >= 1 && r.bottom > 0 && r.right > 0 &&
		r.top < innerHeight && r.left < innerWidth && cs.visibility !== "hidden" && cs.opacity !== "0";
	const outline = cs.outlineStyle !== "none" && parseFloat(cs.outlineWidth) > 0;
	const shadow = cs.boxShadow !== "none";
	let indicator = outline || shadow;
	const look = s => [s.borderTopColor, s.borderTopWidth, s.borderBottomColor, s.borderBottomWidth,
		s.backgroundColor, s.color, s.textDecorationLine, s.textDecorationThickness].join(" ");
	const focused = look(cs);
	if (!indicator) {
		el.blur();
		indicator = look(getComputedStyle(el)) !== focused;
		el.focus();
	}
	return {Path: path.join(">"), Desc: desc, SkipLink: el.classList.contains("skip-link"),
		InMain: !!el.closest("main"), IsMain: el.tagName === "MAIN", Visible: visible,
		Rect: Math.round(r.left) + "," + Math.round(r.top) + " " + Math.round(r.width) + "×" + Math.round(r.height),
		Indicator: indicator, Style: "outline " + cs.outlineStyle + " " + cs.outlineWidth + ", box-shadow " + cs.boxShadow};
})()`)

// TestAccessibilityKeyboard walks one page of each kind with the keyboard,
// in Swedish and Arabic, with real key events: the first Tab reaches the
// skip link, which shows; Enter on it moves focus to main; then Tab after
// Tab every focused element is visible with a visible focus indicator, and
// focus moves on until it leaves the document or comes back to the start,
// never stuck on one element or caught in a cycle.
func TestAccessibilityKeyboard(t *testing.T) {
	t.Parallel()
	ctx := newBrowserFor(t, 5*time.Minute)
	site := newA11ySite(t)
	od, sd := site.ostersund.Key, site.stromsund.Key
	pages := []struct{ kind, path string }{
		{"portal home", portalHomeURL()},
		{"organisation", portalOrgURL("2380")},
		{"document", portalDocumentURL("2380", od)},
		{"goal", portalGoalURL("2380", od, site.goal)},
		{"indicator", portalIndicatorURL("2380", site.ind)},
		{"plans", portalPlansURL("2313", sd)},
		{"glossary", portalTermsURL("2380", od)},
		{"search", portalSearchURL("2380") + "?q=arbete"},
		{"accessibility with form", accessibilityURL()},
		{"open data", openDataOrgURL("2380")},
		{"work document", documentURL(od)},
	}
	if hasRoutes("/embed/") {
		pages = append(pages, struct{ kind, path string }{"embed", embedIndicatorURL("2380", site.ind)})
	} else {
		t.Log("no /embed/ routes yet: no embed is walked")
	}
	const maxPresses = 400
	start := time.Now()
	presses := 0
	tab := chromedp.KeyEvent(kb.Tab)
	probe := func(t *testing.T) focusState {
		t.Helper()
		st, err := chromedp.Run(ctx, focusProbe)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	for _, p := range pages {
		t.Run(subtestName(p.kind), func(t *testing.T) {
			for _, lang := range []string{"sv", "ar"} {
				t.Run(lang, func(t *testing.T) {
					target := site.srv.URL + withLang(p.path, lang)
					load := func() {
						t.Helper()
						res, err := chromedp.Run(ctx, chromedp.NavigateResponse(target))
						if err != nil {
							t.Fatal(err)
						}
						if res.Status != http.StatusOK {
							t.Fatalf("%s answered %d", p.path, res.Status)
						}
						if _, err := chromedp.Run(ctx, settle); err != nil {
							t.Fatal(err)
						}
					}
					if err := chromedp.Do(ctx, viewport(1280, 900, false)); err != nil {
						t.Fatal(err)
					}

					// The skip link: first, visible when focused, and it
					// takes focus to main.
					load()
					hasSkip, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector(".skip-link") !== null`))
					if err != nil {
						t.Fatal(err)
					}
					if hasSkip {
						if err := chromedp.Do(ctx, tab); err != nil {
							t.Fatal(err)
						}
						first := probe(t)
						switch {
						case !first.SkipLink:
							t.Errorf("the first Tab focuses %s, not the skip link", first.Desc)
						case !first.Visible:
							t.Errorf("the focused skip link is not visible: %s", first.Rect)
						case !first.Indicator:
							t.Errorf("the focused skip link shows no focus indicator (%s)", first.Style)
						}
						if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Enter)); err != nil {
							t.Fatal(err)
						}
						if st := probe(t); !st.IsMain {
							t.Errorf("Enter on the skip link moves focus to %q, not to main", st.Desc)
						}
						if err := chromedp.Do(ctx, tab); err != nil {
							t.Fatal(err)
						}
						if st := probe(t); st.Path != "" && !st.InMain {
							t.Errorf("the Tab after the skip link goes to %s, outside main", st.Desc)
						}
						load()
					} else if p.kind != "embed" {
						// An embed is a widget inside another site's page,
						// which has its own; every page of ours has one.
						t.Error("the page has no skip link (.skip-link)")
					}

					// The walk, from the top of the page.
					w, err := keyboardWalk(ctx, maxPresses)
					if err != nil {
						t.Fatal(err)
					}
					presses += w.presses
					for _, p := range w.problems {
						t.Error(p)
					}
					t.Logf("%d focusable elements; %s", w.focusable, w.end)
				})
			}
		})
	}
	t.Logf("keyboard: %d pages × 2 languages, %d presses of Tab in %s", len(pages), presses, time.Since(start).Round(time.Millisecond))
}

// walk is what keyboardWalk found.
type walk struct {
	presses, focusable int
	end                string // how the walk ended
	problems           []string
}

// keyboardWalk presses Tab with real key events from where focus is (the
// top of a freshly loaded page) until focus leaves the document or comes
// back to the first element it reached, checking every element on the
// way: visible, with a focus indicator, and never stuck or caught in a
// cycle (a keyboard trap). It gives up after max presses.
func keyboardWalk(ctx context.Context, max int) (walk, error) {
	var w walk
	var seen, order []string
	for w.presses < max {
		if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Tab)); err != nil {
			return w, err
		}
		w.presses++
		st, err := chromedp.Run(ctx, focusProbe)
		if err != nil {
			return w, err
		}
		switch {
		case st.Path == "" && len(seen) == 0:
			w.problems = append(w.problems, "Tab focuses nothing on the page")
			return w, nil
		case st.Path == "":
			w.end = "focus left the page after " + order[len(order)-1]
			return w, nil
		case len(seen) > 0 && st.Path == seen[0]:
			w.end = "focus came back to the first element"
			return w, nil
		case len(seen) > 0 && st.Path == seen[len(seen)-1]:
			w.problems = append(w.problems, fmt.Sprintf("focus is stuck on %s: Tab does not move it", st.Desc))
			return w, nil
		case slices.Contains(seen, st.Path):
			w.problems = append(w.problems, fmt.Sprintf("a keyboard trap: Tab comes back to %s without passing the start of the page; the cycle: %s",
				st.Desc, strings.Join(order[slices.Index(seen, st.Path):], " → ")))
			return w, nil
		}
		seen, order = append(seen, st.Path), append(order, st.Desc)
		w.focusable++
		if !st.Visible {
			w.problems = append(w.problems, fmt.Sprintf("Tab %d focuses %s, which is not visible (%s)", w.presses, st.Desc, st.Rect))
		}
		if !st.Indicator {
			w.problems = append(w.problems, fmt.Sprintf("Tab %d focuses %s, which shows no focus indicator (%s)", w.presses, st.Desc, st.Style))
		}
	}
	w.problems = append(w.problems, fmt.Sprintf("focus did not leave the page or come back to its start after %d presses of Tab; the last elements: %s",
		max, strings.Join(order[len(order)-min(5, len(order)):], ", ")))
	return w, nil
}
