package web

import (
	"bytes"
	"errors"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/inkludera/inkludera/internal/auth"
	"github.com/inkludera/inkludera/internal/i18n"
	"github.com/inkludera/inkludera/internal/report"
	"github.com/inkludera/inkludera/internal/report/reportfiles"
	"github.com/inkludera/inkludera/internal/strategy"
)

// The yearly follow-up report: an organisation's approved reports, the
// form that makes a draft in the background (report_jobs.go), the draft's
// page with its files and the approval, and the approved, frozen reports
// with every version. Drafts are for those who may read the organisation's
// follow-up; approving is publishing it; an approved report is an official
// document that everyone may read and download.

// approvedReportObject is an approved report as auth.Can sees it.
func approvedReportObject(org string) auth.Object {
	return auth.Object{Kind: auth.KindFollowUp, Org: org, Published: true}
}

// URLs of the report pages.

func reportJobURL(id string) string { return "/rapporter/jobb/" + url.PathEscape(id) }

func approvalURL(id int64) string { return "/rapporter/" + strconv.FormatInt(id, 10) }

func reportsURL(org string) string { return "/rapporter?org=" + url.QueryEscape(org) }

// maxDecisionLength bounds the decision reference: "KS 2022-04-05 § 45"
// with room to spare, not a text.
const maxDecisionLength = 200

// reportsPage is GET /rapporter: an organisation's approved reports, the
// user's drafts and the form that makes a new one.
type reportsPage struct {
	Title      string
	Org        string
	OrgName    string
	OrgChoices []choice // for admins and the public, who choose the organisation
	Approvals  []approvalRow
	Drafts     []draftRow
	Form       *reportForm // for those who may make a draft
	Errors     []link
	Conflict   bool
}

// approvalRow is an approved report in the list.
type approvalRow struct {
	URL        string
	Title      string // the document's title when approved
	Period     string // "2021", "fördjupad 2018–2021"
	Version    int
	Decision   string
	DecidedOn  string
	ApprovedBy string
	ApprovedAt timeView
	// SupersededBy is the version that replaced it, 0 for the current one.
	SupersededBy int
}

// draftRow is one of the user's drafts in the making or made.
type draftRow struct {
	URL     string
	Title   string
	State   string
	Started timeView
}

// reportForm makes a draft report: the document, the year and,
// optionally, the first year of a deep follow-up.
type reportForm struct {
	Org         string
	Document    selectInput
	Year        input
	Since       input
	NoDocuments bool
}

// reportFields are the form's values as typed.
type reportFields struct {
	Document, Year, Since string
}

// reportInputs are the form's inputs in order, for the error summary.
var reportInputs = []string{"document", "year", "since"}

// periodText is the years a report follows up, as the lists say it.
func periodText(year, since int) string {
	if since > 0 {
		return "fördjupad " + i18n.FormatYear(since) + "–" + i18n.FormatYear(year)
	}
	return i18n.FormatYear(year)
}

// approvalHeading is an approved report's title, worded as report.Heading
// words the report itself.
func approvalHeading(a strategy.ReportApproval) string {
	return report.Heading(&report.FollowUp{Year: a.Year, Since: a.Since, Document: report.Document{Title: a.DocumentTitle}})
}

// reportsOrg is the organisation the list is of: the one asked for
// (approved reports are everyone's to read), else the user's own, else
// the first.
func reportsOrg(r *http.Request, orgs []strategy.Organisation) string {
	want := strings.TrimSpace(r.URL.Query().Get("org"))
	if slices.ContainsFunc(orgs, func(o strategy.Organisation) bool { return o.Code == want }) {
		return want
	}
	if u := userOf(r); u != nil && u.Org != "" {
		return u.Org
	}
	if len(orgs) > 0 {
		return orgs[0].Code
	}
	return ""
}

// pageReports handles GET /rapporter[?org=CODE]. ?dokument=, ?ar= and
// ?fran= fill in the form, for starting a failed report again.
func (s *server) pageReports(w http.ResponseWriter, r *http.Request) error {
	orgs, err := s.st.ListOrganisations(r.Context())
	if err != nil {
		return err
	}
	org := reportsOrg(r, orgs)
	q := r.URL.Query()
	f := reportFields{Document: q.Get("dokument"), Year: q.Get("ar"), Since: q.Get("fran")}
	if f.Year == "" {
		f.Year = strconv.Itoa(s.today().Year - 1) // the year most recently ended
	}
	return s.renderReports(w, r, http.StatusOK, orgs, org, f, nil)
}

// renderReports shows the list of org's reports with the form filled in
// with f and its problems fe.
func (s *server) renderReports(w http.ResponseWriter, r *http.Request, status int, orgs []strategy.Organisation,
	org string, f reportFields, fe *formErrors) error {
	ctx := r.Context()
	u := userOf(r)
	if err := s.authorize(r, auth.ActionRead, approvedReportObject(org)); err != nil {
		return err
	}
	page := reportsPage{Title: "Uppföljningsrapporter", Org: org, OrgName: orgName(orgs, org)}
	if page.OrgName != "" {
		page.Title = "Uppföljningsrapporter för " + page.OrgName
	}
	if u == nil || u.Role == strategy.RoleAdmin {
		for _, o := range orgs {
			page.OrgChoices = append(page.OrgChoices, choice{Value: o.Code, Label: o.Name, Checked: o.Code == org})
		}
	}
	approvals, err := s.st.ReportApprovals(ctx, org)
	if err != nil {
		return err
	}
	page.Approvals = approvalRows(approvals)
	if u != nil && auth.Can(u, auth.ActionRead, followUpObject(org)) {
		docs, err := s.reportDocuments(r, org)
		if err != nil {
			return err
		}
		page.Form = newReportForm(org, docs, f, fe)
		for _, st := range s.reports.ofUser(u.ID, org) {
			page.Drafts = append(page.Drafts, draftRow{URL: reportJobURL(st.ID), Title: st.Req.heading(),
				State: draftState(st), Started: newTimeView(st.Started)})
		}
	}
	page.Errors = errorLinks(fe, reportInputs)
	return render(s, w, r, status, "reports", page)
}

// reportDocuments are the organisation's documents the user may read,
// the ones a report can follow up.
func (s *server) reportDocuments(r *http.Request, org string) ([]strategy.Document, error) {
	docs, err := s.st.Documents(r.Context(), org)
	if err != nil {
		return nil, err
	}
	return s.visibleDocuments(r, docs), nil
}

func newReportForm(org string, docs []strategy.Document, f reportFields, fe *formErrors) *reportForm {
	form := &reportForm{
		Org:         org,
		Year:        newInput(fe, "year", "År som följs upp", f.Year, "Målen bedöms på värdena till och med det året.").typed("number"),
		Since:       newInput(fe, "since", "Fördjupad uppföljning från år (valfritt)", f.Since, "Ange ett tidigare år för en fördjupad uppföljning som visar varje års status sida vid sida, högst "+strconv.Itoa(report.MaxDeepYears)+" år tillbaka. Lämna tomt för en årlig uppföljning.").typed("number"),
		NoDocuments: len(docs) == 0,
	}
	form.Document = selectInput{input: newInput(fe, "document", "Styrdokument", f.Document, ""), None: "Välj styrdokument"}
	for _, d := range docs {
		form.Document.Options = append(form.Document.Options, choice{Value: d.Key, Label: d.Title, Checked: d.Key == f.Document})
	}
	return form
}

func approvalRows(approvals []strategy.ReportApproval) []approvalRow {
	versions := map[int64]int{}
	for _, a := range approvals {
		versions[a.ID] = a.Version
	}
	rows := make([]approvalRow, 0, len(approvals))
	for _, a := range approvals {
		rows = append(rows, approvalRow{URL: approvalURL(a.ID), Title: a.DocumentTitle, Period: periodText(a.Year, a.Since),
			Version: a.Version, Decision: a.Decision, DecidedOn: a.DecidedOn.String(), ApprovedBy: a.ApprovedBy,
			ApprovedAt: newTimeView(a.ApprovedAt), SupersededBy: versions[a.SupersededBy]})
	}
	return rows
}

func draftState(st reportJobState) string {
	switch {
	case !st.Done():
		return st.stepLine()
	case st.Err != nil:
		return "Misslyckades"
	case st.ApprovalID != 0:
		return "Godkänd"
	}
	return "Klar att granska"
}

// request reads the typed values into what a job makes, with a problem
// beside each input that is wrong. docs are the organisation's documents
// the user may choose among.
func (f reportFields) request(org string, docs []strategy.Document, today strategy.Date) (reportRequest, inputProblems) {
	var ps inputProblems
	q := reportRequest{Org: org, Today: today}
	lastYear := strconv.Itoa(today.Year - 1)
	if f.Document == "" {
		ps.add("document", "is required", "Välj vilket styrdokument rapporten ska följa upp.")
	} else if i := slices.IndexFunc(docs, func(d strategy.Document) bool { return d.Key == f.Document }); i < 0 {
		ps.add("document", "is not a document of the organisation", "Välj ett av organisationens styrdokument i listan.")
	} else {
		q.Document, q.DocumentTitle = docs[i].Key, docs[i].Title
	}
	year, ok := parseYear(f.Year)
	switch {
	case f.Year == "":
		ps.add("year", "is required", "Ange vilket år rapporten följer upp, till exempel "+lastYear+".")
	case !ok:
		ps.add("year", "must be a year", "Ange året med fyra siffror, till exempel "+lastYear+".")
	case year < report.MinYear || year > today.Year:
		ps.add("year", "out of range", "Året måste vara mellan "+strconv.Itoa(report.MinYear)+" och "+strconv.Itoa(today.Year)+".")
	default:
		q.Year = year
	}
	if f.Since == "" {
		return q, ps
	}
	since, ok := parseYear(f.Since)
	switch {
	case !ok:
		ps.add("since", "must be a year", "Ange året den fördjupade uppföljningen börjar med fyra siffror, eller lämna fältet tomt för en årlig uppföljning.")
	case since < report.MinYear:
		ps.add("since", "out of range", "Den fördjupade uppföljningen kan börja "+strconv.Itoa(report.MinYear)+" tidigast.")
	case q.Year != 0 && since >= q.Year:
		ps.add("since", "not before the year", "Den fördjupade uppföljningen måste börja före året som följs upp, "+strconv.Itoa(q.Year)+".")
	case q.Year != 0 && q.Year-since > report.MaxDeepYears:
		ps.add("since", "too far back", "En fördjupad uppföljning kan gå högst "+strconv.Itoa(report.MaxDeepYears)+
			" år tillbaka, alltså börja "+strconv.Itoa(q.Year-report.MaxDeepYears)+" eller senare.")
	default:
		q.Since = since
	}
	return q, ps
}

// parseYear reads a year of exactly four digits.
func parseYear(s string) (int, bool) {
	if len(s) != 4 {
		return 0, false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	y, _ := strconv.Atoi(s)
	return y, true
}

// postCreateReport handles POST /rapporter/skapa: it starts making the
// report in the background and sends the browser to the job's page.
func (s *server) postCreateReport(w http.ResponseWriter, r *http.Request) error {
	u := userOf(r)
	if u == nil {
		return errSignInRequired
	}
	if err := r.ParseForm(); err != nil {
		return strategy.Errorf(strategy.CodeInvalid, "Formuläret kunde inte läsas.")
	}
	orgs, err := s.st.ListOrganisations(r.Context())
	if err != nil {
		return err
	}
	// An admin chooses the organisation; everyone else makes their own's.
	org := s.orgOfRequest(r, orgs)
	if err := s.authorize(r, auth.ActionRead, followUpObject(org)); err != nil {
		return err
	}
	docs, err := s.reportDocuments(r, org)
	if err != nil {
		return err
	}
	v := func(name string) string { return strings.TrimSpace(r.PostFormValue(name)) }
	f := reportFields{Document: v("document"), Year: v("year"), Since: v("since")}
	req, ps := f.request(org, docs, s.today())
	if len(ps) > 0 {
		return s.renderReports(w, r, http.StatusUnprocessableEntity, orgs, org, f, ps.form())
	}
	id, err := s.reports.start(s, u.ID, strategy.ActorFrom(r.Context()), req)
	switch {
	case errors.Is(err, errTooManyReportJobs):
		fe := &formErrors{General: []string{"Du har redan " + strconv.Itoa(maxRunningReportJobs) +
			" rapporter som skapas. Vänta tills någon av dem är klar och försök sedan igen."}}
		return s.renderReports(w, r, http.StatusTooManyRequests, orgs, org, f, fe)
	case errors.Is(err, errReportJobsClosed):
		return &statusError{status: http.StatusServiceUnavailable, code: string(strategy.CodeInternal),
			message: "Servern startas om och kan inte skapa rapporter just nu. Försök igen om en stund."}
	case err != nil:
		return err
	}
	s.log.InfoContext(r.Context(), "report job started", "org", org, "document", req.Document, "year", req.Year,
		"since", req.Since, "user", u.ID)
	return seeOther(w, r, reportJobURL(id))
}

// reportJobPage is GET /rapporter/jobb/{id}: the draft's progress, or
// when it is done its summary, its files and the approval form.
type reportJobPage struct {
	Title   string // the report's heading
	OrgName string
	ListURL string
	Started timeView
	// Refresh is the meta refresh interval in seconds while the job runs.
	Refresh  int
	Progress *jobProgress
	Failure  string
	Retry    *retryForm
	Summary  *reportSummary
	Files    []reportFileView
	Approve  *approveForm
	// Approved is the approval the draft became, once approved;
	// ApprovalNote says who approves when the viewer may not.
	Approved     *link
	ApprovalNote string
	Errors       []link
	Conflict     bool
}

// jobProgress is a running job's progress.
type jobProgress struct {
	Done, Total int
	Text        string // "Steg 3 av 6: Skapar PDF …"
}

// retryForm starts a failed report again with the same choices.
type retryForm struct {
	Org, Document, Year, Since string
	ChangeURL                  string // the list page's form with the choices filled in
}

// reportSummary is the report's first section in figures.
type reportSummary struct {
	Line         string // "7 mål: 2 uppnått, 1 på väg, …"
	Total        int
	Assessed     int
	Counts       []statusCount
	PreviousYear int
	Improved     int
	Slipped      int
	Uncomparable int
}

// reportFileView is one file of a draft or an approved report.
type reportFileView struct {
	Label      string // "PDF"
	Name       string
	URL        string // the download
	PreviewURL string // the HTML shown in the browser; "" for other formats
	Size       string // "1,2 MB"
	Bytes      int64
	SHA256     string
}

// approveForm approves a draft: the decision that approved it and its date.
type approveForm struct {
	Action    string
	Decision  input
	DecidedOn input
}

// errNoReportJob is the 404 of a job that does not exist, has been
// forgotten or is someone else's.
var errNoReportJob = strategy.Errorf(strategy.CodeNotFound,
	"Det finns ingen rapport som skapas på den här adressen. En rapport som har skapats finns kvar här i en timme; skapa den igen från sidan Uppföljningsrapporter.")

// reportJobOf finds the job of the path's {id} for the request's user: 404
// for anyone but the user who started it, and for them too once they may
// no longer read the organisation's follow-up.
func (s *server) reportJobOf(r *http.Request) (*reportJob, reportJobState, error) {
	u := userOf(r)
	if u == nil {
		return nil, reportJobState{}, errNoReportJob
	}
	job, st, ok := s.reports.lookup(r.PathValue("id"), u.ID)
	if !ok || !auth.Can(u, auth.ActionRead, followUpObject(st.Req.Org)) {
		return nil, reportJobState{}, errNoReportJob
	}
	return job, st, nil
}

// pageReportJob handles GET /rapporter/jobb/{id}.
func (s *server) pageReportJob(w http.ResponseWriter, r *http.Request) error {
	_, st, err := s.reportJobOf(r)
	if err != nil {
		return err
	}
	return s.renderReportJob(w, r, http.StatusOK, st, approvalFields{}, nil)
}

// approvalFields are the approval form's values as typed.
type approvalFields struct {
	Decision, DecidedOn string
}

func (s *server) renderReportJob(w http.ResponseWriter, r *http.Request, status int, st reportJobState,
	d approvalFields, fe *formErrors) error {
	ctx := r.Context()
	org, err := s.st.Organisation(ctx, st.Req.Org)
	if err != nil {
		return err
	}
	page := reportJobPage{Title: st.Req.heading(), OrgName: org.Name, ListURL: reportsURL(st.Req.Org),
		Started: newTimeView(st.Started)}
	switch {
	case !st.Done():
		page.Refresh = reportJobRefreshSeconds
		page.Progress = &jobProgress{Done: st.Step - 1, Total: st.Total, Text: st.stepLine()}
	case st.Err != nil:
		page.Failure = reportJobFailure(st.Err)
		q := st.Req
		since := ""
		if q.Since > 0 {
			since = strconv.Itoa(q.Since)
		}
		page.Retry = &retryForm{Org: q.Org, Document: q.Document, Year: strconv.Itoa(q.Year), Since: since,
			ChangeURL: reportsURL(q.Org) + "&" + url.Values{"dokument": {q.Document}, "ar": {strconv.Itoa(q.Year)}, "fran": {since}}.Encode() + "#skapa"}
	default:
		page.Title = report.Heading(st.FollowUp)
		page.Summary = reportSummaryOf(st.FollowUp)
		for _, f := range st.Files {
			page.Files = append(page.Files, fileView(f, reportJobURL(st.ID)))
		}
		if st.ApprovalID != 0 {
			a, err := s.st.ReportApproval(ctx, st.ApprovalID)
			if err != nil {
				return err
			}
			page.Approved = &link{URL: approvalURL(a.ID), Text: "version " + strconv.Itoa(a.Version)}
		} else if auth.Can(userOf(r), auth.ActionPublish, followUpObject(st.Req.Org)) {
			page.Approve = &approveForm{
				Action:    reportJobURL(st.ID) + "/godkann",
				Decision:  newInput(fe, "decision", "Beslut", d.Decision, "Beslutet som godkände rapporten, till exempel ”KS 2022-04-05 § 45”."),
				DecidedOn: newInput(fe, "decided_on", "Beslutsdatum (valfritt)", d.DecidedOn, "Dagen då beslutet fattades, ÅÅÅÅ-MM-DD.").typed("date"),
			}
		} else {
			page.ApprovalNote = "Rapporten godkänns av organisationens samordnare. Skicka filerna till samordnaren, eller be samordnaren skapa och godkänna rapporten."
		}
	}
	page.Errors = errorLinks(fe, []string{"decision", "decided_on"})
	return render(s, w, r, status, "reports_job", page)
}

func reportSummaryOf(f *report.FollowUp) *reportSummary {
	sum := f.Summary
	v := &reportSummary{Line: sum.RollUp.Line(), Total: sum.RollUp.Total, Assessed: sum.RollUp.Assessed,
		PreviousYear: sum.PreviousYear, Improved: len(sum.Improved), Slipped: len(sum.Slipped), Uncomparable: len(sum.Uncomparable)}
	for _, c := range sum.RollUp.Counts {
		v.Counts = append(v.Counts, statusCount{Badge: statusBadgeOf(c.Status.Code), Count: c.Count})
	}
	return v
}

// fileView describes a file whose downloads are under base.
func fileView(f strategy.ReportFile, base string) reportFileView {
	v := reportFileView{Name: f.Name, URL: base + "/" + url.PathEscape(f.Format), Size: formatFileSize(f.Size),
		Bytes: f.Size, SHA256: f.SHA256, Label: f.Format}
	if format, ok := reportfiles.Lookup(f.Format); ok {
		v.Label = format.Label
	}
	if f.Format == "html" {
		v.PreviewURL = v.URL + "?visa=1"
	}
	return v
}

// formatFileSize writes a size in bytes the Swedish way, in units of 1 024
// as the import page counts its limit: "812 byte", "12,4 kB", "1,2 MB".
func formatFileSize(n int64) string {
	const k = 1024
	unit := func(v float64, name string) string {
		decimals := 1
		if v >= 100 {
			decimals = 0
		}
		return i18n.FormatNumber(v, decimals) + i18n.NBSP + name
	}
	switch {
	case n < k:
		return i18n.FormatNumber(float64(n), 0) + i18n.NBSP + "byte"
	case n < k*k:
		return unit(float64(n)/k, "kB")
	}
	return unit(float64(n)/(k*k), "MB")
}

// downloadJobFile handles GET /rapporter/jobb/{id}/{format}: a draft's
// file, for the user who made it. The HTML with ?visa=1 is shown in the
// browser instead of saved.
func (s *server) downloadJobFile(w http.ResponseWriter, r *http.Request) error {
	_, st, err := s.reportJobOf(r)
	if err != nil {
		return err
	}
	format := r.PathValue("format")
	i := slices.IndexFunc(st.Files, func(f strategy.ReportFile) bool { return f.Format == format })
	if i < 0 {
		return strategy.Errorf(strategy.CodeNotFound, "Rapporten har ingen fil i formatet ”%s”.", format)
	}
	// A draft is the user's own and may change when made again: private,
	// checked with the server each time.
	serveReportFile(w, r, st.Files[i], "private, no-cache")
	return nil
}

// serveReportFile sends a report's file exactly as it is, as a download
// (or the HTML shown in the browser with ?visa=1), with its SHA-256 as
// ETag so that a client holding it gets 304.
func serveReportFile(w http.ResponseWriter, r *http.Request, f strategy.ReportFile, cacheControl string) {
	disposition := "attachment"
	if f.Format == "html" && r.URL.Query().Get("visa") == "1" {
		disposition = "inline"
	}
	h := w.Header()
	h.Set("Content-Type", f.MediaType)
	h.Set("Content-Disposition", mime.FormatMediaType(disposition, map[string]string{"filename": f.Name}))
	h.Set("ETag", `"`+f.SHA256+`"`)
	h.Set("Cache-Control", cacheControl)
	if f.Format == "html" {
		h.Set("Content-Security-Policy", reportFilePolicy) // its stylesheet is inline
	}
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(f.Content))
}

// postApproveReport handles POST /rapporter/jobb/{id}/godkann: the draft's
// files, exactly those the user has seen, are stored as the next approved
// version of the report. Posting again approves nothing new.
func (s *server) postApproveReport(w http.ResponseWriter, r *http.Request) error {
	if userOf(r) == nil {
		return errSignInRequired
	}
	job, st, err := s.reportJobOf(r)
	if err != nil {
		return err
	}
	if err := s.authorize(r, auth.ActionPublish, followUpObject(st.Req.Org)); err != nil {
		return err
	}
	switch {
	case !st.Done():
		return strategy.Errorf(strategy.CodeConflict, "Rapporten skapas fortfarande. Vänta tills den är klar och granska den innan du godkänner den.")
	case st.Err != nil:
		return strategy.Errorf(strategy.CodeConflict, "Rapporten kunde inte skapas, så det finns inget att godkänna. Skapa den igen.")
	}
	if err := r.ParseForm(); err != nil {
		return strategy.Errorf(strategy.CodeInvalid, "Formuläret kunde inte läsas.")
	}
	d := approvalFields{Decision: strings.TrimSpace(r.PostFormValue("decision")), DecidedOn: strings.TrimSpace(r.PostFormValue("decided_on"))}
	var ps inputProblems
	switch {
	case d.Decision == "":
		ps.add("decision", "is required", "Ange beslutet som godkände rapporten, till exempel ”KS 2022-04-05 § 45”.")
	case len([]rune(d.Decision)) > maxDecisionLength:
		ps.add("decision", "too long", "Ange beslutet med högst "+strconv.Itoa(maxDecisionLength)+" tecken.")
	}
	decidedOn, derr := strategy.ParseDate(d.DecidedOn)
	switch {
	case derr != nil:
		ps.add("decided_on", "must be a date YYYY-MM-DD", "Ange beslutsdatum som ÅÅÅÅ-MM-DD, till exempel 2022-04-05, eller lämna fältet tomt.")
	case s.today().Before(decidedOn):
		ps.add("decided_on", "is in the future", "Beslutsdatumet kan inte vara senare än i dag.")
	}
	if len(ps) > 0 {
		return s.renderReportJob(w, r, http.StatusUnprocessableEntity, st, d, ps.form())
	}

	job.approving.Lock()
	defer job.approving.Unlock()
	if _, again, _ := s.reports.lookup(st.ID, st.Owner); again.ApprovalID != 0 {
		return seeOther(w, r, approvalURL(again.ApprovalID))
	}
	f := st.FollowUp
	a, err := s.st.ApproveReport(r.Context(), strategy.ReportApproval{
		Org: st.Req.Org, Document: f.Document.Key, DocumentTitle: f.Document.Title, Year: f.Year, Since: f.Since,
		Decision: d.Decision, DecidedOn: decidedOn, Files: st.Files,
	})
	if err != nil {
		if ps, ok := storeProblems(err); ok {
			fe := withKnownFields(ps.form(), fieldSet([]string{"decision", "decided_on"}))
			return s.renderReportJob(w, r, http.StatusUnprocessableEntity, st, d, fe)
		}
		return err
	}
	s.reports.setApproved(job, a.ID)
	s.log.InfoContext(r.Context(), "report approved", "approval", a.ID, "org", a.Org, "document", a.Document,
		"year", a.Year, "since", a.Since, "version", a.Version)
	s.flash(r, "Rapporten är godkänd som version "+strconv.Itoa(a.Version)+". Filerna är sparade precis som du granskade dem.")
	return seeOther(w, r, approvalURL(a.ID))
}

// reportApprovalPage is GET /rapporter/{id}: an approved report with its
// versions and files.
type reportApprovalPage struct {
	Title         string
	OrgName       string
	ListURL       string
	DocumentTitle string // as approved
	DocumentURL   string // "" when the document is gone or not the viewer's to read
	Period        string
	Version       int
	// Current says this is the newest version; otherwise CurrentURL and
	// CurrentVersion lead to the one that is.
	Current        bool
	CurrentURL     string
	CurrentVersion int
	Decision       string
	DecidedOn      string
	ApprovedBy     string
	ApprovedAt     timeView
	Versions       []approvalVersion
	Files          []reportFileView
}

// approvalVersion is one version of the same report.
type approvalVersion struct {
	URL        string
	Version    int
	Decision   string
	ApprovedAt timeView
	Current    bool
	This       bool // the version the page is of
}

// readApproval reads the approval of the path's {id} for the request.
func (s *server) readApproval(r *http.Request) (strategy.ReportApproval, error) {
	text := r.PathValue("id")
	id, err := strconv.ParseInt(text, 10, 64)
	if err != nil || id <= 0 {
		return strategy.ReportApproval{}, strategy.Errorf(strategy.CodeNotFound, "Det finns ingen godkänd rapport ”%s”.", text)
	}
	a, err := s.st.ReportApproval(r.Context(), id)
	if err != nil {
		return strategy.ReportApproval{}, notFoundAs(err, "Det finns ingen godkänd rapport %d.", id)
	}
	if err := s.authorize(r, auth.ActionRead, approvedReportObject(a.Org)); err != nil {
		return strategy.ReportApproval{}, err
	}
	return a, nil
}

// pageReportApproval handles GET /rapporter/{id}.
func (s *server) pageReportApproval(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a, err := s.readApproval(r)
	if err != nil {
		return err
	}
	org, err := s.st.Organisation(ctx, a.Org)
	if err != nil {
		return err
	}
	all, err := s.st.ReportApprovals(ctx, a.Org)
	if err != nil {
		return err
	}
	page := reportApprovalPage{Title: approvalHeading(a), OrgName: org.Name, ListURL: reportsURL(a.Org),
		DocumentTitle: a.DocumentTitle, Period: periodText(a.Year, a.Since), Version: a.Version, Current: a.SupersededBy == 0,
		Decision: a.Decision, DecidedOn: a.DecidedOn.String(), ApprovedBy: a.ApprovedBy, ApprovedAt: newTimeView(a.ApprovedAt)}
	if d, err := s.st.Document(ctx, a.Document); err == nil && s.canSeeDocument(r, d) {
		page.DocumentURL = documentURL(d.Key)
	}
	for _, v := range all {
		if v.Document != a.Document || v.Year != a.Year || v.Since != a.Since {
			continue
		}
		page.Versions = append(page.Versions, approvalVersion{URL: approvalURL(v.ID), Version: v.Version, Decision: v.Decision,
			ApprovedAt: newTimeView(v.ApprovedAt), Current: v.SupersededBy == 0, This: v.ID == a.ID})
		if v.ID == a.SupersededBy {
			page.CurrentURL, page.CurrentVersion = approvalURL(v.ID), v.Version
		}
	}
	for _, f := range a.Files {
		page.Files = append(page.Files, fileView(f, approvalURL(a.ID)))
	}
	return render(s, w, r, http.StatusOK, "reports_approval", page)
}

// downloadApprovedFile handles GET /rapporter/{id}/{format}: a frozen file
// with the bytes exactly as approved, which never change, so that any
// cache may keep it.
func (s *server) downloadApprovedFile(w http.ResponseWriter, r *http.Request) error {
	a, err := s.readApproval(r)
	if err != nil {
		return err
	}
	format := r.PathValue("format")
	f, err := s.st.ReportFile(r.Context(), a.ID, format)
	if err != nil {
		return notFoundAs(err, "Den godkända rapporten har ingen fil i formatet ”%s”.", format)
	}
	serveReportFile(w, r, f, "public, max-age=31536000, immutable")
	return nil
}

// The JSON API of approved reports: read only, for everyone, without the
// files' contents (they are downloaded from /rapporter/{id}/{format}).

// apiReports handles GET /api/v1/organisations/{code}/reports.
func (s *server) apiReports(w http.ResponseWriter, r *http.Request) error {
	code := r.PathValue("code")
	if !strategy.ValidOrgCode(code) {
		return strategy.Errorf(strategy.CodeInvalid, "%q is not a kommun, län or riket code (four or two digits)", code)
	}
	if err := s.authorize(r, auth.ActionRead, approvedReportObject(code)); err != nil {
		return err
	}
	approvals, err := s.st.ReportApprovals(r.Context(), code)
	if err != nil {
		return notFoundAs(err, "no organisation has the code %q", code)
	}
	if approvals == nil {
		approvals = []strategy.ReportApproval{}
	}
	s.writeJSON(w, r, http.StatusOK, approvals)
	return nil
}

// apiReport handles GET /api/v1/reports/{id}.
func (s *server) apiReport(w http.ResponseWriter, r *http.Request) error {
	text := r.PathValue("id")
	id, err := strconv.ParseInt(text, 10, 64)
	if err != nil || id <= 0 {
		return strategy.Errorf(strategy.CodeNotFound, "no approved report %q", text)
	}
	a, err := s.st.ReportApproval(r.Context(), id)
	if err != nil {
		return notFoundAs(err, "no approved report %d", id)
	}
	if err := s.authorize(r, auth.ActionRead, approvedReportObject(a.Org)); err != nil {
		return err
	}
	s.writeJSON(w, r, http.StatusOK, a)
	return nil
}
