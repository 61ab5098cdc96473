package web

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/inkludera/inkludera/internal/auth"
	"github.com/inkludera/inkludera/internal/strategy"
)

// xssPayloads are what an editor, a reader or a data source could write
// into a text to make a page run it, break out of an attribute, a
// textarea, a style or a comment, or be read as a template. The first is
// a URL: the first text of every field starts with it, so that a field
// shown as a link is tried with it.
var xssPayloads = []string{
	`javascript:alert(1)`,
	`<script>alert(1)</script>`,
	`"><img src=x onerror=alert(1)>`,
	`'><svg onload=alert(1)>`,
	`</textarea><script>alert(1)</script>`,
	`</title><script>alert(1)</script>`,
	`{{.}}{{template "layout" .}}`,
	`<!--`,
	"\u2028\u2029</script><script>alert(1)</script>",
	`</style><script>alert(1)</script>`,
	`https://x/"onmouseover="alert(1)`,
	`<a href="javascript:alert(1)">klicka</a>`,
	`<iframe srcdoc="<script>alert(1)</script>"></iframe>`,
	`]]><![CDATA[<script>alert(1)</script>`,
	`';alert(1);//`,
	`<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>`,
}

// xssText is the text put into the n-th field of a kind, marked as field
// mark: one payload first, then all of them, then the mark, which tells
// which fields a page showed.
func xssText(n int, mark string) string {
	all := strings.Join(xssPayloads, " ")
	return xssPayloads[n%len(xssPayloads)] + " " + all + " " + mark
}

// xssSlot is a string of the bundles that the walk can set.
type xssSlot struct {
	field string // the Go path of the field, slices as [] and maps as {}: "Bundle.Document.Areas[].Title"
	get   func() string
	set   func(string)
}

// xssSlots collects the plain string fields under v: strings of a named
// type are enumerations (kinds, statuses), which no text may be.
func xssSlots(v reflect.Value, field string, out *[]xssSlot) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			xssSlots(v.Elem(), field, out)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if f := v.Type().Field(i); f.IsExported() {
				xssSlots(v.Field(i), field+"."+f.Name, out)
			}
		}
	case reflect.Slice:
		for i := range v.Len() {
			xssSlots(v.Index(i), field+"[]", out)
		}
	case reflect.Map:
		keys := v.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(a.String(), b.String()) })
		for _, k := range keys {
			if v.Type().Elem().Kind() != reflect.String {
				xssSlots(v.MapIndex(k), field+"{}", out)
				continue
			}
			m := v
			*out = append(*out, xssSlot{field: field + "{}", get: func() string { return m.MapIndex(k).String() },
				set: func(s string) { m.SetMapIndex(k, reflect.ValueOf(s)) }})
		}
	case reflect.String:
		if v.Type() == reflect.TypeFor[string]() && v.CanSet() {
			*out = append(*out, xssSlot{field: field, get: v.String, set: v.SetString})
		}
	}
}

// xssIdentities are plain strings that validation does not check on their
// own but that identify rather than say: a document's Org is its owner's
// code, filled in from the file's organisation.
var xssIdentities = []string{"Bundle.Document.Org"}

// poisonBundles sets every free-text field of the bundles to payloads:
// field by field (all instances of a field at once), each kept only when
// the bundles still validate, so that keys, codes, references and
// formatted values stay valid. It returns the fields poisoned by their
// marks.
func poisonBundles(t *testing.T, bundles []strategy.Bundle) map[string]string {
	t.Helper()
	var slots []xssSlot
	for i := range bundles {
		xssSlots(reflect.ValueOf(&bundles[i]).Elem(), "Bundle", &slots)
	}
	known := map[string]bool{}
	for _, b := range bundles {
		for _, ind := range b.Indicators {
			known[ind.Key] = true
		}
	}
	problems := func() int {
		n := 0
		for _, b := range bundles {
			var v strategy.ValidationErrors
			if err := b.Validate(func(k string) bool { return known[k] }); errors.As(err, &v) {
				n += len(v)
			} else if err != nil {
				n++
			}
		}
		return n
	}
	if n := problems(); n != 0 {
		t.Fatalf("the demo bundles do not validate (%d problems)", n)
	}
	byField := map[string][]xssSlot{}
	var fields []string
	for _, s := range slots {
		if byField[s.field] == nil {
			fields = append(fields, s.field)
		}
		byField[s.field] = append(byField[s.field], s)
	}
	marks := map[string]string{}
	for _, field := range fields {
		if slices.Contains(xssIdentities, field) {
			continue
		}
		mark := fmt.Sprintf("[xss-%d]", len(marks)+1)
		before := make([]string, len(byField[field]))
		for i, s := range byField[field] {
			before[i] = s.get()
			s.set(xssText(i, mark))
		}
		if problems() > 0 {
			for i, s := range byField[field] {
				s.set(before[i])
			}
			continue
		}
		marks[mark] = field
	}
	return marks
}

// xssFindings are the elements, attributes and comments of a page that
// did not come from a template: anything that runs script, loads a
// document or an image a payload named, or (where the page's policy
// allows no inline style) styles inline. The site itself has none of them.
func xssFindings(page, policy string) []string {
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		return []string{"does not parse: " + err.Error()}
	}
	inlineStyleAllowed := strings.Contains(policy, "'unsafe-inline'")
	var out []string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.CommentNode:
			out = append(out, fmt.Sprintf("a comment <!--%.40s", n.Data))
		case html.ElementNode:
			switch n.DataAtom {
			case atom.Script, atom.Iframe, atom.Frame, atom.Object, atom.Embed, atom.Base, atom.Applet:
				out = append(out, "a <"+n.Data+"> element")
			case atom.Style:
				if !inlineStyleAllowed {
					out = append(out, "a <style> element the policy blocks")
				}
			case atom.Img:
				out = append(out, "an <img> element")
			case atom.Meta:
				var equiv, content string
				for _, a := range n.Attr {
					switch a.Key {
					case "http-equiv":
						equiv = strings.ToLower(a.Val)
					case "content":
						content = strings.ToLower(a.Val)
					}
				}
				if equiv == "refresh" && strings.Contains(content, "url") {
					out = append(out, "a refresh to another address")
				}
			}
			if n.Namespace == "svg" && n.DataAtom == 0 && strings.EqualFold(n.Data, "script") {
				out = append(out, "an SVG script")
			}
			for _, a := range n.Attr {
				key := strings.ToLower(a.Key)
				switch {
				case strings.HasPrefix(key, "on"):
					out = append(out, fmt.Sprintf("<%s %s=%q>", n.Data, a.Key, a.Val))
				case key == "style" && !inlineStyleAllowed:
					out = append(out, fmt.Sprintf("<%s style=%q> the policy blocks", n.Data, a.Val))
				case key == "srcdoc":
					out = append(out, fmt.Sprintf("<%s srcdoc>", n.Data))
				case key == "href" || key == "src" || key == "action" || key == "formaction" || key == "data" ||
					key == "xlink:href" || key == "poster" || key == "background":
					if scriptURL(a.Val) {
						out = append(out, fmt.Sprintf("<%s %s=%q>", n.Data, a.Key, a.Val))
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

// scriptURL reports whether a URL would run script or show a document
// made of its own text, as a browser reads it: ignoring case, spaces and
// control characters.
func scriptURL(u string) bool {
	var b strings.Builder
	for _, r := range strings.ToLower(u) {
		if r > ' ' {
			b.WriteRune(r)
		}
	}
	s := b.String()
	return strings.HasPrefix(s, "javascript:") || strings.HasPrefix(s, "vbscript:") || strings.HasPrefix(s, "data:text/html")
}

// xssTexts appends the page's text and attribute values, as a browser
// reads them, to b.
func xssTexts(page string, b *strings.Builder) {
	z := html.NewTokenizer(strings.NewReader(page))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return
		case html.TextToken:
			b.Write(z.Text())
		case html.StartTagToken, html.SelfClosingTagToken:
			for {
				_, val, more := z.TagAttr()
				b.Write(val)
				b.WriteByte(' ')
				if !more {
					break
				}
			}
		}
	}
}

// TestXSSPayloadsEscapedEverywhere stores the payloads in every free-text
// field of the demo's strategies (through the walk of poisonBundles), in
// users' names, notes, barrier reports, a follow-up period, a source run,
// an API token and a report's decision; then crawls the whole site as an
// administrator, from the start pages, the portal, the sitemap, the admin
// and edit pages, the embeds, the API and the report's files, in every
// language of the portal: no page may have an element, attribute or
// comment that came from a payload, every JSON answer must parse, and the
// payloads must show, as text.
func TestXSSPayloadsEscapedEverywhere(t *testing.T) {
	started := time.Now()
	var marks map[string]string
	var bundles []strategy.Bundle
	st := openDemoStore(t, func(b []strategy.Bundle) []strategy.Bundle {
		marks = poisonBundles(t, b)
		bundles = b
		return b
	})
	for _, must := range []string{"Bundle.Organisation.Name", "Bundle.Bodies[].Name", "Bundle.Document.Title", "Bundle.Document.Summary",
		"Bundle.Document.Areas[].Title", "Bundle.Document.Areas[].Goals[].Targets[].Text", "Bundle.Document.Areas[].Goals[].Commitments[].Text",
		"Bundle.Document.Terms[].Definition", "Bundle.Document.Translations{}{}", "Bundle.Indicators[].Title", "Bundle.Indicators[].Unit",
		"Bundle.Document.ActionPlans[].Activities[].Title", "Bundle.Document.Related[].URL", "Bundle.Observations[].Source"} {
		if !slices.Contains(slices.Collect(maps.Values(marks)), must) {
			t.Errorf("%s was not poisoned: validation refused free text there, or the field is gone", must)
		}
	}
	t.Logf("poisoned %d fields of the demo bundles", len(marks))
	ctx := context.Background()
	extra := func(field string) string {
		mark := fmt.Sprintf("[xss-%d]", len(marks)+1)
		marks[mark] = field
		return mark
	}

	// The people: an administrator who is signed in, and others whose
	// names the admin pages, notes and the audit trail show.
	adminMark := extra("User.Name")
	admin, err := st.CreateUser(ctx, strategy.User{Email: "xss.admin@example.se", Name: xssPayloads[2] + " " + adminMark, Role: strategy.RoleAdmin}, "")
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range xssPayloads[:4] {
		if _, err := st.CreateUser(ctx, strategy.User{Email: fmt.Sprintf("xss%d@example.se", i), Name: p + " " + adminMark,
			Role: strategy.RoleCoordinator, Org: "2313"}, ""); err != nil {
			t.Fatal(err)
		}
	}
	actx := strategy.WithActor(ctx, strategy.Actor{UserID: admin.ID, Name: admin.Name, Address: "192.0.2.1", Via: "web"})
	strom := demoDocument(t, bundles, "2313")
	plan := strom.ActionPlans[0]
	noteMark := extra("Note.Text")
	for i, act := range plan.Activities[:2] {
		if _, err := st.AddNote(actx, strategy.ObjectRef{Kind: strategy.ObjActivity, Document: strom.Key, Key: plan.Key + "/" + act.Key},
			strategy.Note{Date: strategy.DateOf(testNow()), Text: xssText(i, noteMark)}); err != nil {
			t.Fatal(err)
		}
	}
	barrierMark := extra("BarrierReport")
	rep, err := st.AddBarrierReport(ctx, strategy.BarrierReport{Page: xssPayloads[0] + " " + barrierMark, Description: xssText(1, barrierMark),
		Name: xssPayloads[3] + " " + barrierMark, Language: "sv", CreatedAt: testNow()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddBarrierReport(ctx, strategy.BarrierReport{Page: xssPayloads[1], Description: xssText(2, barrierMark), Language: "ar", CreatedAt: testNow()}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.MarkBarrierHandled(actx, rep.ID, xssText(4, barrierMark)); err != nil {
		t.Fatal(err)
	}
	periodMark := extra("FollowUpPeriod.Title")
	if _, err := st.CreateFollowUpPeriod(actx, strategy.FollowUpPeriod{Org: "2313", Year: 2026, Title: xssText(5, periodMark), Document: strom.Key,
		Deadlines: []strategy.BodyDeadline{{Body: "ks", Due: date("2026-12-31")}}}); err != nil {
		t.Fatal(err)
	}
	runMark := extra("SourceRun")
	if _, err := st.RecordRun(ctx, strategy.SourceRun{Source: "file", Scope: xssText(6, runMark), StartedAt: testNow(), FinishedAt: testNow(),
		Outcome: strategy.RunFailed, Error: xssText(7, runMark), Warnings: []string{xssText(8, runMark)}}); err != nil {
		t.Fatal(err)
	}
	tokenMark := extra("APIToken.Name")
	if _, err := st.CreateAPIToken(actx, strategy.APIToken{UserID: admin.ID, Name: xssPayloads[1] + " " + tokenMark, CreatedAt: testNow()},
		auth.HashToken("xss-token")); err != nil {
		t.Fatal(err)
	}

	e := newTestEnvWith(t, st)
	send := func(method, target string, body url.Values, signedIn bool) (*http.Response, []byte) {
		var r *http.Request
		if body != nil {
			r = httptest.NewRequest(method, target, strings.NewReader(body.Encode()))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		} else {
			r = httptest.NewRequest(method, target, nil)
		}
		if signedIn {
			r = r.WithContext(withUser(r.Context(), &admin, "192.0.2.1", "web"))
		}
		rec := httptest.NewRecorder()
		e.h.ServeHTTP(rec, r)
		res := rec.Result()
		out, _ := io.ReadAll(res.Body)
		return res, out
	}

	// A follow-up report, made and approved with payloads as decision
	// (at most maxDecisionLength characters).
	reportMark := extra("Report decision")
	res, _ := send("POST", "/rapporter/skapa", url.Values{"org": {"2313"}, "document": {strom.Key}, "year": {"2025"}}, true)
	jobURL := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(jobURL, "/rapporter/jobb/") {
		t.Fatalf("making a report: status %d, Location %q", res.StatusCode, jobURL)
	}
	for deadline := time.Now().Add(reportTimeout); ; time.Sleep(20 * time.Millisecond) {
		res, page := send("GET", jobURL, nil, true)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: status %d", jobURL, res.StatusCode)
		}
		if jobDone(string(page)) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the report was not made within %s", reportTimeout)
		}
	}
	res, page := send("POST", jobURL+"/godkann", url.Values{"decision": {strings.Join(xssPayloads[1:5], " ") + " " + reportMark}, "decided_on": {"2026-03-01"}}, true)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("approving the report: status %d\n%s", res.StatusCode, clip(string(page), 2000))
	}
	approvedURL := res.Header.Get("Location")

	// The crawl. Pages of the portal and the embeds are fetched in every
	// language (their content is translated); the work pages and the
	// portal's data files in Swedish.
	seeds := []string{"/", "/portal", "/sitemap.xml", "/planer", "/uppfoljning", "/rapporter", "/fordelning", "/konto",
		"/admin/anvandare", "/admin/kallor", "/admin/import", "/tillganglighet", "/admin/tillganglighet", jobURL, approvedURL,
		"/redigera/dokument/ny", "/uppfoljning/ny", "/historik?objekt=" + url.QueryEscape("document:"+strom.Key),
		"/api/v1/organisations", "/api/v1/indicators", "/api/v1/audit"}
	orgs := map[string]bool{}
	for _, b := range bundles {
		if b.Organisation != nil {
			orgs[b.Organisation.Code] = true
			seeds = append(seeds, "/api/v1/organisations/"+b.Organisation.Code+"/documents", "/api/v1/organisations/"+b.Organisation.Code+"/periods",
				"/api/v1/organisations/"+b.Organisation.Code+"/reports", "/fordelning?org="+b.Organisation.Code)
		}
		for _, ind := range b.Indicators {
			seeds = append(seeds, "/api/v1/indicators/"+ind.Key, "/api/v1/indicators/"+ind.Key+"/observations")
		}
		if d := b.Document; d != nil {
			org := b.Organisation.Code
			seeds = append(seeds, "/api/v1/documents/"+d.Key, "/api/v1/documents/"+d.Key+"/scorecard", "/embed/"+org+"/dokument/"+d.Key,
				"/oembed?url="+url.QueryEscape(portalDocumentURL(org, d.Key)),
				"/embed/"+org+"/dokument/"+d.Key+"?bakgrund="+url.QueryEscape(xssPayloads[9])+"&text="+url.QueryEscape(xssPayloads[2]))
			for _, a := range d.Areas {
				for _, g := range a.Goals {
					seeds = append(seeds, "/embed/"+org+"/dokument/"+d.Key+"/mal/"+g.Key)
					for _, tg := range g.Targets {
						seeds = append(seeds, "/embed/"+org+"/dokument/"+d.Key+"/malvarden/"+tg.Key)
					}
				}
			}
			for _, ind := range d.IndicatorKeys() {
				seeds = append(seeds, "/embed/"+org+"/indikatorer/"+ind)
			}
		}
	}

	seen := map[string]bool{}
	queue := []string{}
	enqueue := func(target string) {
		u, err := url.Parse(target)
		if err != nil || u.Host != "" && u.Host != "example.com" || !strings.HasPrefix(u.Path, "/") {
			return
		}
		u.Scheme, u.Host, u.Fragment = "", "", ""
		q := u.Query()
		q.Del("lang")
		for _, name := range xssPageParams[u.Path] {
			q.Del(name)
		}
		u.RawQuery = q.Encode()
		base := u.RequestURI()
		if seen[base] || u.Path == "/logga-ut" || strings.HasPrefix(u.Path, "/static/") {
			return
		}
		seen[base] = true
		queue = append(queue, base)
		translated := strings.HasPrefix(u.Path, "/portal") || strings.HasPrefix(u.Path, "/embed/") || u.Path == "/tillganglighet"
		if translated && !strings.HasSuffix(u.Path, ".csv") && !strings.HasSuffix(u.Path, ".json") && !strings.HasSuffix(u.Path, ".zip") {
			for _, lang := range []string{"en", "ar", "so", "ti", "fa"} {
				q.Set("lang", lang)
				u.RawQuery = q.Encode()
				queue = append(queue, u.RequestURI())
			}
		}
	}
	for _, s := range seeds {
		enqueue(s)
	}

	var texts strings.Builder
	kinds := map[string]int{}
	failures, requests := 0, 0
	fail := func(format string, args ...any) {
		failures++
		if failures <= 40 {
			t.Errorf(format, args...)
		}
	}
	for len(queue) > 0 {
		target := queue[0]
		queue = queue[1:]
		if len(seen) > 6000 {
			t.Fatalf("more than 6000 addresses: the crawl is running away (last %s)", target)
		}
		requests++
		res, body := send("GET", target, nil, true)
		if res.StatusCode >= 500 {
			fail("GET %s: status %d", target, res.StatusCode)
			continue
		}
		ct := res.Header.Get("Content-Type")
		switch {
		case strings.HasPrefix(ct, "text/html"):
			kinds["html"]++
			for _, f := range xssFindings(string(body), res.Header.Get("Content-Security-Policy")) {
				fail("GET %s: %s", target, f)
			}
			for _, p := range []string{xssPayloads[1], xssPayloads[2], xssPayloads[3], xssPayloads[7]} {
				if bytes.Contains(body, []byte(p)) {
					fail("GET %s: the payload %q is in the page unescaped", target, p)
				}
			}
			xssTexts(string(body), &texts)
			for _, href := range xssLinks(body) {
				enqueue(href)
			}
		case strings.HasPrefix(ct, "application/json"):
			kinds["json"]++
			var v any
			if err := json.Unmarshal(body, &v); err != nil {
				fail("GET %s: JSON does not parse: %v", target, err)
				continue
			}
			texts.WriteString(fmt.Sprint(v))
		case strings.HasPrefix(ct, "application/xml"), strings.HasPrefix(ct, "text/xml"):
			kinds["xml"]++
			d := xml.NewDecoder(bytes.NewReader(body))
			for {
				tok, err := d.Token()
				if err == io.EOF {
					break
				}
				if err != nil {
					fail("GET %s: XML does not parse: %v", target, err)
					break
				}
				if cd, ok := tok.(xml.CharData); ok {
					if s := strings.TrimSpace(string(cd)); strings.HasPrefix(s, "http") {
						enqueue(s)
					}
				}
			}
		default:
			kinds[ct]++
		}
	}
	// The public's pages come from the page cache: escaped there too.
	for _, target := range []string{"/", "/portal", "/portal/2313", "/portal/2380?lang=ar", portalDocumentURL("2313", strom.Key)} {
		for range 2 { // rendered, then from the cache
			res, body := send("GET", target, nil, false)
			if res.StatusCode != http.StatusOK {
				fail("GET %s as the public: status %d", target, res.StatusCode)
			}
			for _, f := range xssFindings(string(body), res.Header.Get("Content-Security-Policy")) {
				fail("GET %s as the public: %s", target, f)
			}
		}
	}
	t.Logf("crawled %d addresses, %d with the languages of the portal (%v) in %s", len(seen), requests, kinds, time.Since(started).Round(time.Millisecond))

	// The payloads were shown, as text: the crawl reached them.
	shown := texts.String()
	for _, p := range xssPayloads {
		if !strings.Contains(shown, p) {
			t.Errorf("the payload %q is shown nowhere: its fields were not reached", p)
		}
	}
	var unseen []string
	for mark, field := range marks {
		if !strings.Contains(shown, mark) {
			unseen = append(unseen, field)
		}
	}
	slices.Sort(unseen)
	t.Logf("%d of %d poisoned fields were shown; not shown: %v", len(marks)-len(unseen), len(marks), unseen)
	for _, must := range []string{"User.Name", "Note.Text", "BarrierReport", "FollowUpPeriod.Title", "APIToken.Name",
		"Report decision", "Bundle.Document.Title", "Bundle.Document.Translations{}{}", "Bundle.Indicators[].Translations{}{}"} {
		if slices.Contains(unseen, must) {
			t.Errorf("%s is shown on no page the crawl reached", must)
		}
	}
}

// xssPageParams are the parameters that only say where a page was
// reached from (the page a barrier is on, where to return after signing
// in): the crawl does not follow each value.
var xssPageParams = map[string][]string{"/tillganglighet": {"sida"}, "/logga-in": {"next"}}

// xssLinks are the targets of a page's links.
func xssLinks(page []byte) []string {
	var out []string
	z := html.NewTokenizer(bytes.NewReader(page))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return out
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		name, hasAttr := z.TagName()
		if string(name) != "a" || !hasAttr {
			continue
		}
		for {
			key, val, more := z.TagAttr()
			if string(key) == "href" {
				out = append(out, string(val))
			}
			if !more {
				break
			}
		}
	}
}

// TestXSSFindings: the check of the crawl finds what a payload that got
// out would make, and nothing in an escaped one.
func TestXSSFindings(t *testing.T) {
	const strict = contentSecurityPolicy
	for _, tc := range []struct {
		name, page, policy string
		want               string // "" = no finding
	}{
		{"escaped payloads", `<p title="&#34;&gt;&lt;img src=x onerror=alert(1)&gt;">&lt;script&gt;alert(1)&lt;/script&gt; &lt;!--</p>` +
			`<textarea>&lt;/textarea&gt;&lt;script&gt;</textarea><a href="#ZgotmplZ">x</a><svg role="img"><title>t</title></svg>`, strict, ""},
		{"a script", `<p><script>alert(1)</script></p>`, strict, "<script>"},
		{"an attribute broken out of", `<p title=""><img src=x onerror=alert(1)>">`, strict, "onerror"},
		{"an SVG handler", `<p><svg onload=alert(1)></svg></p>`, strict, "onload"},
		{"a script URL", `<a href=" JaVa&#x09;Script:alert(1)">x</a>`, strict, "href"},
		{"a textarea ended", `<textarea></textarea><script>alert(1)</script></textarea>`, strict, "<script>"},
		{"a comment opened", `<p>a <!-- b</p>`, strict, "comment"},
		{"a frame", `<iframe srcdoc="x"></iframe>`, strict, "iframe"},
		{"an inline style the policy blocks", `<p style="color:red">x</p>`, strict, "style"},
		{"an inline style the policy allows", `<style>p{}</style><p style="color:red">x</p>`, reportFilePolicy, ""},
		{"a refresh elsewhere", `<meta http-equiv="refresh" content="0; url=https://example.org">`, strict, "refresh"},
		{"a refresh of the page itself", `<meta http-equiv="refresh" content="2">`, strict, ""},
	} {
		got := strings.Join(xssFindings(tc.page, tc.policy), "; ")
		if tc.want == "" && got != "" || tc.want != "" && !strings.Contains(got, tc.want) {
			t.Errorf("%s: findings %q, want %q", tc.name, got, tc.want)
		}
	}
}
