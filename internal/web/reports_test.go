package web

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/inkludera/inkludera/internal/report"
	"github.com/inkludera/inkludera/internal/report/reportfiles"
	"github.com/inkludera/inkludera/internal/strategy"
)

func init() {
	checkedPages["reports"] = frame[reportsPage]{}
	checkedPages["reports_job"] = frame[reportJobPage]{}
	checkedPages["reports_approval"] = frame[reportApprovalPage]{}
}

// The report the tests make: Strömsund's programme followed up for 2025,
// the year before the tests' clock (testNow).
func reportValues() url.Values {
	return url.Values{"org": {"2313"}, "document": {mxProgram}, "year": {"2025"}}
}

func reportJobsOf(e *testEnv) *reportJobs { return e.h.(*Handler).s.reports }

// stepHold holds every report job at one step until released (or the
// handler is closed), so that a test sees a job running.
type stepHold struct {
	reached chan string // the ids of the jobs that reached the step
	release chan struct{}
}

// holdReportsAt installs the hold; call it before the first request.
func holdReportsAt(e *testEnv, step int) *stepHold {
	h := &stepHold{reached: make(chan string, 64), release: make(chan struct{})}
	reportJobsOf(e).beforeStep = func(ctx context.Context, id string, n int) {
		if n != step {
			return
		}
		select {
		case h.reached <- id:
		default:
		}
		select {
		case <-h.release:
		case <-ctx.Done():
		}
	}
	return h
}

// wait returns the id of the next job that reaches the step.
func (h *stepHold) wait(t *testing.T) string {
	t.Helper()
	select {
	case id := <-h.reached:
		return id
	case <-time.After(time.Minute):
		t.Fatal("no report job reached the held step within a minute")
		return ""
	}
}

// reportTimeout is how long a test waits for a report to be made.
const reportTimeout = 2 * time.Minute

// jobDone reports whether a job page is of a finished job: it no longer
// reloads itself.
func jobDone(page string) bool { return !strings.Contains(page, `http-equiv="refresh"`) }

// startReport posts the form and returns the job page it leads to.
func (b *webClient) startReport(t *testing.T, form url.Values) string {
	t.Helper()
	res, body := b.post(t, "/rapporter/skapa", form)
	loc := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/rapporter/jobb/") {
		t.Fatalf("POST /rapporter/skapa: status %d, Location %q:\n%s", res.StatusCode, loc, body)
	}
	return loc
}

// waitForReport polls the job page, as its meta refresh does, until the
// job is done, and returns that page.
func (b *webClient) waitForReport(t *testing.T, jobURL string) string {
	t.Helper()
	deadline := time.Now().Add(reportTimeout)
	for {
		res, body := b.get(t, jobURL)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: status %d:\n%s", jobURL, res.StatusCode, body)
		}
		if jobDone(body) {
			return body
		}
		if time.Now().After(deadline) {
			t.Fatalf("the report at %s was not done within %s:\n%s", jobURL, reportTimeout, body)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// finishedReportJob makes the test report as u through the handler (as
// doAs does) and returns its job page once it is done.
func finishedReportJob(t *testing.T, e *testEnv, u *strategy.User) string {
	t.Helper()
	res, body := e.doAs(t, u, "POST", "/rapporter/skapa", reportValues())
	loc := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/rapporter/jobb/") {
		t.Fatalf("making a report as %s: status %d, Location %q:\n%s", u.Name, res.StatusCode, loc, clip(body, 4000))
	}
	deadline := time.Now().Add(reportTimeout)
	for {
		res, body := e.doAs(t, u, "GET", loc, nil)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s as %s: status %d", loc, u.Name, res.StatusCode)
		}
		if jobDone(body) {
			return loc
		}
		if time.Now().After(deadline) {
			t.Fatalf("the report of %s was not done within %s", u.Name, reportTimeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// downloadReportFiles downloads every format of the report whose files
// are under base, checks each file (its kind of content, its headers, and
// that page, the report's page, shows its exact size and SHA-256) and
// returns the files by format.
func downloadReportFiles(t *testing.T, b *webClient, base, page string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	for _, format := range reportfiles.Formats {
		target := base + "/" + format.Name
		res, body := b.get(t, target)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: status %d:\n%s", target, res.StatusCode, clip(body, 2000))
		}
		data := []byte(body)
		files[format.Name] = data
		if ct := res.Header.Get("Content-Type"); ct != format.MediaType {
			t.Errorf("%s: Content-Type %q, want %q", target, ct, format.MediaType)
		}
		disposition, params, err := mime.ParseMediaType(res.Header.Get("Content-Disposition"))
		if err != nil || disposition != "attachment" || !strings.HasSuffix(params["filename"], "."+format.Name) {
			t.Errorf("%s: Content-Disposition %q, want an attachment named *.%s", target, res.Header.Get("Content-Disposition"), format.Name)
		}
		sum := sha256Hex(data)
		if etag := res.Header.Get("ETag"); etag != `"`+sum+`"` {
			t.Errorf("%s: ETag %q, want the SHA-256 %q", target, etag, sum)
		}
		size := `<data value="` + strconv.Itoa(len(data)) + `">` + formatFileSize(int64(len(data))) + `</data>`
		for _, want := range []string{sum, size, params["filename"], `href="` + target + `"`} {
			if !strings.Contains(page, want) {
				t.Errorf("%s: the report's page does not show %q", target, want)
			}
		}
		switch format.Name {
		case "pdf":
			if !bytes.HasPrefix(data, []byte("%PDF-")) {
				t.Errorf("%s does not start with %%PDF-: %q", target, clip(body, 20))
			}
		case "docx", "xlsx":
			z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
			if err != nil {
				t.Errorf("%s is no zip: %v", target, err)
				break
			}
			want := map[string]string{"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}[format.Name]
			if _, err := z.Open(want); err != nil {
				t.Errorf("%s has no %s: %v", target, want, err)
			}
		case "json":
			if _, err := report.ReadJSON(bytes.NewReader(data)); err != nil {
				t.Errorf("%s: %v", target, err)
			}
		case "html":
			if !strings.Contains(body, "<html") {
				t.Errorf("%s is no HTML document: %q", target, clip(body, 200))
			}
		}
	}
	res, _ := b.get(t, base+"/html?visa=1")
	if disposition, _, _ := mime.ParseMediaType(res.Header.Get("Content-Disposition")); res.StatusCode != http.StatusOK || disposition != "inline" {
		t.Errorf("the preview of the HTML: status %d, Content-Disposition %q, want 200 inline", res.StatusCode, res.Header.Get("Content-Disposition"))
	}
	return files
}

// followUpOf decodes a report's JSON file.
func followUpOf(t *testing.T, data []byte) *report.FollowUp {
	t.Helper()
	f, err := report.ReadJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// satisfaction2023 is the value of 2023 the report shows for the target
// "Minst 75 % är nöjda med mottagandet år 2022" (indicator nojdhet).
func satisfaction2023(t *testing.T, f *report.FollowUp) float64 {
	t.Helper()
	for _, at := range f.AllTargets() {
		if at.Target.Key != "t-nojdhet" || at.Target.Indicator == nil {
			continue
		}
		for _, y := range at.Target.Indicator.Series.Years {
			if y.Year == 2023 && y.Total != nil {
				return *y.Total
			}
		}
	}
	t.Fatal("the report has no 2023 value for t-nojdhet")
	return 0
}

// approve posts the approval form and returns the approval's page.
func (b *webClient) approve(t *testing.T, jobURL string, form url.Values) string {
	t.Helper()
	res, body := b.post(t, jobURL+"/godkann", form)
	loc := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/rapporter/") || strings.HasPrefix(loc, "/rapporter/jobb/") {
		t.Fatalf("approving %s: status %d, Location %q:\n%s", jobURL, res.StatusCode, loc, clip(body, 4000))
	}
	return loc
}

// checkFrozenFiles checks that the approved files under base are still
// exactly want, with their SHA-256 as ETag, cacheable for ever and
// answered 304 to a client that has them.
func checkFrozenFiles(t *testing.T, b *webClient, base string, want map[string][]byte) {
	t.Helper()
	for format, data := range want {
		target := base + "/" + format
		res, body := b.get(t, target)
		if res.StatusCode != http.StatusOK || body != string(data) {
			t.Errorf("%s: status %d, %d bytes, SHA-256 %s; want the %d bytes approved, SHA-256 %s",
				target, res.StatusCode, len(body), sha256Hex([]byte(body)), len(data), sha256Hex(data))
		}
		etag := `"` + sha256Hex(data) + `"`
		if got := res.Header.Get("ETag"); got != etag {
			t.Errorf("%s: ETag %q, want %q", target, got, etag)
		}
		if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
			t.Errorf("%s: Cache-Control %q, want immutable", target, cc)
		}
		req, _ := http.NewRequest("GET", b.url(target), nil)
		req.Header.Set("If-None-Match", etag)
		if res, _ := b.do(t, req); res.StatusCode != http.StatusNotModified {
			t.Errorf("%s with If-None-Match of its SHA-256: status %d, want 304", target, res.StatusCode)
		}
	}
}

func mustContain(t *testing.T, what, body string, wants ...string) {
	t.Helper()
	for _, want := range wants {
		if !strings.Contains(body, want) {
			t.Errorf("%s lacks %q", what, want)
		}
	}
	if t.Failed() {
		t.Logf("%s:\n%s", what, body)
	}
}

// TestReportMadeApprovedAndFrozen follows a report through its life: made
// in the background with its progress shown, seen only by its maker,
// downloaded in every format, approved, frozen against later changes of
// the data, and approved again as version 2.
func TestReportMadeApprovedAndFrozen(t *testing.T) {
	e, coord := newSignInEnv(t)
	hold := holdReportsAt(e, 3) // rendering the PDF
	coord.signIn(t, testCoordinator)
	other := webClientOf(t, coord.srv)
	other.signIn(t, testOtherCoord)
	reader := webClientOf(t, coord.srv)
	reader.signIn(t, testReader)
	public := webClientOf(t, coord.srv)

	res, body := coord.get(t, "/rapporter")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /rapporter: status %d", res.StatusCode)
	}
	mustContain(t, "the reports page", body, "Skapa uppföljningsrapport", `<option value="`+mxProgram+`"`,
		`name="year" value="2025"`, "inga godkända uppföljningsrapporter", `href="/rapporter">Rapporter</a>`)
	checkHTML(t, body)

	// While it runs: a progress bar and the step, reloading every second.
	jobURL := coord.startReport(t, reportValues())
	hold.wait(t)
	res, body = coord.get(t, jobURL)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d", jobURL, res.StatusCode)
	}
	mustContain(t, "the running job's page", body, `<meta http-equiv="refresh" content="1">`, "<progress", `max="6"`, `value="2"`,
		`role="status">Steg 3 av 6: Skapar PDF …</p>`)
	checkHTML(t, body)

	// Nobody but its maker sees the job: not another organisation's
	// samordnare, not a läsare of the same organisation, not the public.
	for name, c := range map[string]*webClient{"another organisation's samordnare": other, "läsare": reader, "public": public} {
		for _, target := range []string{jobURL, jobURL + "/json", jobURL + "/pdf"} {
			if res, _ := c.get(t, target); res.StatusCode != http.StatusNotFound {
				t.Errorf("GET %s as %s: status %d, want 404", target, name, res.StatusCode)
			}
		}
		if res, _ := c.post(t, jobURL+"/godkann", url.Values{"decision": {"KS 1"}}); name != "public" && res.StatusCode != http.StatusNotFound {
			t.Errorf("approving another's draft as %s: status %d, want 404", name, res.StatusCode)
		}
	}

	close(hold.release)
	done := coord.waitForReport(t, jobURL)
	mustContain(t, "the finished job's page", done, "Sammanfattning", "Antal mål per status", "mål har förbättrats",
		"Godkänn rapporten", `action="`+jobURL+`/godkann"`, "Förhandsgranska")
	checkHTML(t, done)
	draft := downloadReportFiles(t, coord, jobURL, done)
	f := followUpOf(t, draft["json"])
	if f.Organisation.Code != "2313" || f.Document.Key != mxProgram || f.Year != 2025 || f.Since != 0 {
		t.Errorf("the report is of %s %s %d since %d", f.Organisation.Code, f.Document.Key, f.Year, f.Since)
	}
	if v := satisfaction2023(t, f); v != 78 {
		t.Errorf("the draft shows %v for 2023, want the stored 78", v)
	}

	// The approval form's problems are told beside the fields.
	res, body = coord.post(t, jobURL+"/godkann", url.Values{"decision": {" "}, "decided_on": {"5 april 2026"}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("approving without a decision: status %d, want 422", res.StatusCode)
	}
	mustContain(t, "the refused approval", body, "Ange beslutet som godkände rapporten", "Ange beslutsdatum som ÅÅÅÅ-MM-DD",
		`id="f-decision-error"`, `aria-invalid="true"`, "Rätta följande")
	checkHTML(t, body)

	approval1 := coord.approve(t, jobURL, url.Values{"decision": {"KS 2026-03-10 § 45"}, "decided_on": {"2026-03-10"}})
	res, page1 := coord.get(t, approval1)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d", approval1, res.StatusCode)
	}
	mustContain(t, "the approval's page", page1, "Uppföljning 2025: Program för inflyttning och integration 2014–2015",
		"gällande versionen", "KS 2026-03-10 § 45", `<time datetime="2026-03-10">`, testCoordinator.Name, "version 1",
		"Rapporten är godkänd som version 1")
	checkHTML(t, page1)

	// The public reads the approved report: the list, the page, the
	// files (exactly the draft's bytes) and the API.
	res, list := public.get(t, "/rapporter?org=2313")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /rapporter?org=2313 as the public: status %d", res.StatusCode)
	}
	mustContain(t, "the public list", list, `href="`+approval1+`"`, "Gällande", "KS 2026-03-10 § 45")
	if strings.Contains(list, "Skapa uppföljningsrapport") {
		t.Error("the public is offered the form that makes a report")
	}
	checkHTML(t, list)
	res, publicPage1 := public.get(t, approval1)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s as the public: status %d", approval1, res.StatusCode)
	}
	checkHTML(t, publicPage1)
	approved := downloadReportFiles(t, public, approval1, publicPage1)
	for format, data := range draft {
		if !bytes.Equal(approved[format], data) {
			t.Errorf("the approved %s differs from the draft that was reviewed", format)
		}
	}
	checkFrozenFiles(t, public, approval1, approved)

	var apiList []strategy.ReportApproval
	res, body = public.get(t, "/api/v1/organisations/2313/reports")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET the API's reports: status %d:\n%s", res.StatusCode, body)
	}
	if err := json.Unmarshal([]byte(body), &apiList); err != nil {
		t.Fatal(err)
	}
	if len(apiList) != 1 || apiList[0].Version != 1 || len(apiList[0].Files) != len(reportfiles.Formats) ||
		apiList[0].Files[0].SHA256 != sha256Hex(draft[apiList[0].Files[0].Format]) {
		t.Errorf("the API lists %+v", apiList)
	}
	if strings.Contains(body, `"content"`) {
		t.Error("the API's list carries the files' contents")
	}

	// Data change afterwards, as a fetch brings them: the approved report
	// does not.
	if _, err := e.st.ApplySourceRun(context.Background(), strategy.SourceRun{Source: "kolada", Scope: "nöjdhet för 2313"},
		[]strategy.Observation{{Indicator: "nojdhet", Org: "2313", Year: 2023, Gender: strategy.Total, Value: f64p(91), Source: "demo"}}, nil); err != nil {
		t.Fatal(err)
	}
	checkFrozenFiles(t, public, approval1, approved)
	_, pageAfter := public.get(t, approval1)
	for format, data := range approved {
		if !strings.Contains(pageAfter, sha256Hex(data)) {
			t.Errorf("after the change the approval's page no longer shows the SHA-256 of its %s", format)
		}
	}
	if v := satisfaction2023(t, followUpOf(t, approved["json"])); v != 78 {
		t.Errorf("the approved report shows %v for 2023 after the change, want 78 as approved", v)
	}

	// A new draft shows the new value; approved, it is version 2.
	job2 := coord.startReport(t, reportValues())
	done2 := coord.waitForReport(t, job2)
	draft2 := downloadReportFiles(t, coord, job2, done2)
	if v := satisfaction2023(t, followUpOf(t, draft2["json"])); v != 91 {
		t.Errorf("the new draft shows %v for 2023, want the new 91", v)
	}
	if sha256Hex(draft2["json"]) == sha256Hex(draft["json"]) {
		t.Error("the new draft's JSON is the same as before the change")
	}
	approval2 := coord.approve(t, job2, url.Values{"decision": {"KS 2026-03-14 § 52"}})
	if approval2 == approval1 {
		t.Fatalf("the second approval is %s, the first one", approval2)
	}
	_, page2 := coord.get(t, approval2)
	mustContain(t, "version 2's page", page2, "version 2", "gällande versionen", `href="`+approval1+`"`)
	checkHTML(t, page2)
	_, page1 = public.get(t, approval1)
	mustContain(t, "version 1's page after version 2", page1, "Den här versionen är ersatt", `<a href="`+approval2+`">version 2</a>`)
	checkHTML(t, page1)
	checkFrozenFiles(t, public, approval1, approved)
	checkFrozenFiles(t, public, approval2, draft2)
	_, list = public.get(t, "/rapporter?org=2313")
	mustContain(t, "the list after version 2", list, "Ersatt av version 2", `href="`+approval2+`"`)

	// Posting the approval again stores no third version.
	if again := coord.approve(t, job2, url.Values{"decision": {"KS 2026-03-14 § 52"}}); again != approval2 {
		t.Errorf("approving the same draft again led to %s, want %s", again, approval2)
	}
	_, body = public.get(t, "/api/v1/organisations/2313/reports")
	apiList = nil
	if err := json.Unmarshal([]byte(body), &apiList); err != nil {
		t.Fatal(err)
	}
	if len(apiList) != 2 || apiList[0].Version != 2 || apiList[0].SupersededBy != 0 || apiList[1].SupersededBy != apiList[0].ID {
		t.Errorf("the API lists %+v, want version 2 current and version 1 superseded by it", apiList)
	}
	var one strategy.ReportApproval
	res, body = public.get(t, "/api/v1/reports/"+strconv.FormatInt(apiList[1].ID, 10))
	if err := json.Unmarshal([]byte(body), &one); res.StatusCode != http.StatusOK || err != nil || one.Version != 1 || one.Decision != "KS 2026-03-10 § 45" {
		t.Errorf("GET /api/v1/reports/%d: status %d, %+v, %v", apiList[1].ID, res.StatusCode, one, err)
	}
}

func f64p(v float64) *float64 { return &v }

// TestReportReaderMakesButDoesNotApprove: a läsare makes a draft of their
// organisation's report but may not approve it; the public makes none.
func TestReportReaderMakesButDoesNotApprove(t *testing.T) {
	_, reader := newSignInEnv(t)
	reader.signIn(t, testReader)
	_, body := reader.get(t, "/rapporter")
	mustContain(t, "the läsare's reports page", body, "Skapa uppföljningsrapport")
	jobURL := reader.startReport(t, reportValues())
	done := reader.waitForReport(t, jobURL)
	mustContain(t, "the läsare's finished draft", done, "godkänns av organisationens samordnare", "Filer")
	if strings.Contains(done, `action="`+jobURL+`/godkann"`) {
		t.Error("the läsare is offered the approval form")
	}
	checkHTML(t, done)
	res, body := reader.post(t, jobURL+"/godkann", url.Values{"decision": {"KS 2026-03-10 § 45"}})
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("a läsare approving: status %d, want 403:\n%s", res.StatusCode, body)
	}
	_, body = reader.get(t, "/rapporter")
	mustContain(t, "the läsare's reports page with a draft", body, "Dina rapportutkast", `href="`+jobURL+`"`, "Klar att granska")
	checkHTML(t, body)

	public := webClientOf(t, reader.srv)
	res, _ = public.post(t, "/rapporter/skapa", reportValues())
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/logga-in") {
		t.Errorf("the public making a report: status %d, Location %q, want to sign in", res.StatusCode, loc)
	}
	_, body = public.get(t, "/rapporter")
	if strings.Contains(body, "Skapa uppföljningsrapport") {
		t.Error("the public is offered the form")
	}
	mustContain(t, "the public's reports page", body, `<select id="f-org" name="org">`)
	checkHTML(t, body)
}

// TestReportFormProblems: what is wrong with the form is told beside its
// field, in Swedish, and no report is started.
func TestReportFormProblems(t *testing.T) {
	st := newTestStore(t)
	storeTestUsers(t, st)
	e := newTestEnvWith(t, st)
	tests := []struct {
		name         string
		values       url.Values
		field, wants string
	}{
		{"no document", url.Values{"year": {"2025"}}, "document", "Välj vilket styrdokument"},
		{"another organisation's document", url.Values{"document": {"ostersund-strategi"}, "year": {"2025"}}, "document", "Välj ett av organisationens styrdokument"},
		{"no year", url.Values{"document": {mxProgram}}, "year", "Ange vilket år rapporten följer upp"},
		{"no year at all", url.Values{"document": {mxProgram}, "year": {"i fjol"}}, "year", "Ange året med fyra siffror"},
		{"a year to come", url.Values{"document": {mxProgram}, "year": {"2027"}}, "year", "Året måste vara mellan 1900 och 2026"},
		{"deep from the same year", url.Values{"document": {mxProgram}, "year": {"2025"}, "since": {"2025"}}, "since", "måste börja före året som följs upp, 2025"},
		{"deep too far back", url.Values{"document": {mxProgram}, "year": {"2025"}, "since": {"2010"}}, "since", "högst 10 år tillbaka, alltså börja 2015 eller senare"},
		{"deep from no year", url.Values{"document": {mxProgram}, "year": {"2025"}, "since": {"18"}}, "since", "Ange året den fördjupade uppföljningen börjar"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := e.doAs(t, testCoordinator, "POST", "/rapporter/skapa", tt.values)
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422:\n%s", res.StatusCode, body)
			}
			mustContain(t, "the form", body, tt.wants, `id="f-`+tt.field+`-error"`, `href="#f-`+tt.field+`"`)
			checkHTML(t, body)
		})
	}
	if jobs := reportJobsOf(e).ofUser(testCoordinator.ID, "2313"); len(jobs) != 0 {
		t.Errorf("refused forms started %d reports", len(jobs))
	}
	// A deep follow-up that is right is started.
	v := reportValues()
	v.Set("since", "2018")
	res, _ := e.doAs(t, testCoordinator, "POST", "/rapporter/skapa", v)
	if res.StatusCode != http.StatusSeeOther {
		t.Errorf("a deep follow-up 2018–2025: status %d, want 303", res.StatusCode)
	}
}

// TestReportJobLimitsAndLifetime: a user has a few reports in the making
// at once, and a finished one is forgotten after an hour.
func TestReportJobLimitsAndLifetime(t *testing.T) {
	st := newTestStore(t)
	storeTestUsers(t, st)
	e := newTestEnvWith(t, st)
	hold := holdReportsAt(e, 1)
	var jobs []string
	for range maxRunningReportJobs {
		res, _ := e.doAs(t, testCoordinator, "POST", "/rapporter/skapa", reportValues())
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("starting a report: status %d", res.StatusCode)
		}
		jobs = append(jobs, res.Header.Get("Location"))
		hold.wait(t)
	}
	res, body := e.doAs(t, testCoordinator, "POST", "/rapporter/skapa", reportValues())
	if res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("a report beyond the limit: status %d, want 429", res.StatusCode)
	}
	mustContain(t, "the refusal", body, "Du har redan 3 rapporter som skapas")
	checkHTML(t, body)
	// The limit is each user's.
	if res, _ := e.doAs(t, testAdmin, "POST", "/rapporter/skapa", reportValues()); res.StatusCode != http.StatusSeeOther {
		t.Errorf("another user's report: status %d, want 303", res.StatusCode)
	}
	_, body = e.doAs(t, testCoordinator, "GET", "/rapporter", nil)
	mustContain(t, "the list of drafts", body, "Dina rapportutkast", "Steg 1 av 6: Hämtar uppgifterna och bedömer målen …")
	checkHTML(t, body)

	close(hold.release)
	for _, j := range jobs {
		deadline := time.Now().Add(reportTimeout)
		for {
			_, body := e.doAs(t, testCoordinator, "GET", j, nil)
			if jobDone(body) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s not done", j)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	js := reportJobsOf(e)
	js.mu.Lock()
	js.now = func() time.Time { return time.Now().Add(reportJobLifetime + time.Minute) }
	js.mu.Unlock()
	if res, _ := e.doAs(t, testCoordinator, "GET", jobs[0], nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("a report finished more than an hour ago: status %d, want 404", res.StatusCode)
	}
}

// TestReportJobCancelledOnShutdown: closing the handler cancels a report
// in the making, whose page then says so and offers to start it again.
func TestReportJobCancelledOnShutdown(t *testing.T) {
	st := newTestStore(t)
	storeTestUsers(t, st)
	e := newTestEnvWith(t, st)
	hold := holdReportsAt(e, 1)
	res, _ := e.doAs(t, testCoordinator, "POST", "/rapporter/skapa", reportValues())
	jobURL := res.Header.Get("Location")
	id := hold.wait(t)
	if err := e.h.(*Handler).Close(); err != nil {
		t.Fatal(err)
	}
	_, state, ok := reportJobsOf(e).lookup(id, testCoordinator.ID)
	if !ok || !state.Done() || !errors.Is(state.Err, context.Canceled) {
		t.Fatalf("after Close the job is %+v (found %v), want ended as cancelled", state, ok)
	}
	res, body := e.doAs(t, testCoordinator, "GET", jobURL, nil)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d", jobURL, res.StatusCode)
	}
	mustContain(t, "the cancelled job's page", body, "Rapporten kunde inte skapas", "avbröts",
		`<input type="hidden" name="document" value="`+mxProgram+`">`, "Försök igen", "Ändra valen")
	if strings.Contains(body, `http-equiv="refresh"`) {
		t.Error("the failed job's page still reloads itself")
	}
	checkHTML(t, body)
	if res, _ := e.doAs(t, testCoordinator, "POST", "/rapporter/skapa", reportValues()); res.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("a report after Close: status %d, want 503", res.StatusCode)
	}
}

// TestReportAPIErrors: unknown and malformed ids and codes.
func TestReportAPIErrors(t *testing.T) {
	e := newTestEnv(t)
	for target, want := range map[string]int{
		"/api/v1/organisations/2313/reports": http.StatusOK,
		"/api/v1/organisations/2399/reports": http.StatusNotFound,
		"/api/v1/organisations/abc/reports":  http.StatusBadRequest,
		"/api/v1/reports/1":                  http.StatusNotFound,
		"/api/v1/reports/x":                  http.StatusNotFound,
		"/rapporter/1":                       http.StatusNotFound,
		"/rapporter/1/pdf":                   http.StatusNotFound,
		"/rapporter/jobb/ABC":                http.StatusNotFound,
	} {
		res, body := e.do(t, "GET", target)
		if res.StatusCode != want {
			t.Errorf("GET %s: status %d, want %d:\n%s", target, res.StatusCode, want, clip(body, 500))
		}
		if want == http.StatusOK && strings.TrimSpace(body) != "[]" {
			t.Errorf("GET %s = %s, want []", target, body)
		}
	}
}

func TestFormatFileSize(t *testing.T) {
	for n, want := range map[int64]string{
		0: "0 byte", 812: "812 byte", 1024: "1,0 kB", 12_700: "12,4 kB", 204_800: "200 kB",
		1_258_291: "1,2 MB", 150 << 20: "150 MB",
	} {
		if got := formatFileSize(n); got != nb(want) {
			t.Errorf("formatFileSize(%d) = %q, want %q", n, got, nb(want))
		}
	}
}
