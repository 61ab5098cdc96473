package web

import (
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/inkludera/inkludera/internal/auth"
	"github.com/inkludera/inkludera/internal/i18n"
	"github.com/inkludera/inkludera/internal/strategy"
)

// The accessibility statement (tillgänglighetsredogörelse) that the law
// on accessible digital public services (lag 2018:1937) requires, in the
// form of Digg's model, with the form to report a barrier on the same
// page; and the administrators' list of the reports.

// defaultStatementDate is when this statement was written and the site
// last assessed against it: PortalConfig.StatementDate replaces it.
const defaultStatementDate = "2026-11-22"

// diggReportURL is Digg's form for reporting a lack of accessibility,
// which the statement must link to.
const diggReportURL = "https://www.digg.se/tdosanmalan"

// barrierTrapField is the honeypot: an input no person sees or reaches
// (visually hidden, aria-hidden, tabindex -1) that bots fill in.
const barrierTrapField = "website"

// accessibilityPage is GET /tillganglighet: the statement, and the form
// (empty, prefilled with ?sida=, or refused with its problems).
type accessibilityPage struct {
	portalPage
	Title        string
	Owner        string
	ContactEmail string
	Date         string // the statement's date in the reader's form
	DiggURL      string
	// Thanks is set after a report was sent (?tack=1).
	Thanks bool
	Form   barrierForm
}

// barrierForm is the report form: what was written, and its problems in
// the reader's language, in the order of the fields.
type barrierForm struct {
	Action      string
	Page        string
	Description string
	Name        string
	Email       string
	WantsAnswer bool
	// MaxDescription is the longest description, written out, and as a
	// number for the plural form.
	MaxDescription    string
	MaxDescriptionNum int
	Problems          []barrierProblem
	// General is a problem of the whole form (too many reports).
	General string
}

// barrierProblem is one problem of the form, linking to its input.
type barrierProblem struct {
	Field   string // "page", "description", "name", "email"
	Message string
}

// barrierFieldIDs are the ids of the form's inputs, by field.
var barrierFieldIDs = map[string]string{"page": "rapport-sida", "description": "rapport-beskrivning",
	"name": "rapport-namn", "email": "rapport-epost"}

// FieldID is the id of a field's input.
func (f barrierForm) FieldID(field string) string { return barrierFieldIDs[field] }

// Err is the problem beside a field, "" when it has none.
func (f barrierForm) Err(field string) string {
	for _, p := range f.Problems {
		if p.Field == field {
			return p.Message
		}
	}
	return ""
}

// HasErrors reports whether the form was refused.
func (f barrierForm) HasErrors() bool { return len(f.Problems) > 0 || f.General != "" }

// pageAccessibility handles GET /tillganglighet.
func (s *server) pageAccessibility(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	p := s.accessibilityPage(r)
	p.Form.Page = clipRunes(strings.TrimSpace(q.Get("sida")), strategy.MaxBarrierPage)
	p.Thanks = q.Get("tack") != ""
	return render(s, w, r, http.StatusOK, "accessibility", p)
}

// accessibilityPage is the statement with an empty form.
func (s *server) accessibilityPage(r *http.Request) accessibilityPage {
	l := langOf(r)
	return accessibilityPage{
		portalPage: newPortalPage(r), Title: l.T("accessibility.title"), Owner: s.siteOwner(),
		ContactEmail: s.portal.ContactEmail, Date: l.Date(s.statementDate()), DiggURL: diggReportURL,
		Form: barrierForm{
			Action:         accessibilityURL() + "?" + url.Values{"lang": {l.Code}}.Encode(),
			MaxDescription: l.Integer(strategy.MaxBarrierDescription), MaxDescriptionNum: strategy.MaxBarrierDescription,
		},
	}
}

// statementDate is PortalConfig.StatementDate, or defaultStatementDate
// when it is not set or not a date.
func (s *server) statementDate() time.Time {
	if d, err := time.Parse(time.DateOnly, s.portal.StatementDate); err == nil {
		return d
	}
	d, _ := time.Parse(time.DateOnly, defaultStatementDate)
	return d
}

// postBarrierReport handles POST /tillganglighet: a reader's report of a
// barrier. A valid one is stored and the browser sent to the thanks; one
// with problems is shown again with them. A filled-in honeypot is thanked
// and dropped, so that a bot learns nothing. Each address may send
// barrierLimit reports an hour.
func (s *server) postBarrierReport(w http.ResponseWriter, r *http.Request) error {
	l := langOf(r)
	p := s.accessibilityPage(r)
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		p.Form.General = l.T("accessibility.errors.unreadable")
		return render(s, w, r, http.StatusBadRequest, "accessibility", p)
	}
	f := r.PostForm
	rep := strategy.BarrierReport{
		Page:        strings.TrimSpace(f.Get("sida")),
		Description: strings.TrimSpace(f.Get("beskrivning")),
		Name:        strings.TrimSpace(f.Get("namn")),
		Email:       strings.TrimSpace(f.Get("epost")),
		WantsAnswer: f.Get("svar") != "",
		Language:    l.Code,
		CreatedAt:   s.now(),
	}
	p.Form.Page, p.Form.Description, p.Form.Name, p.Form.Email, p.Form.WantsAnswer =
		rep.Page, rep.Description, rep.Name, rep.Email, rep.WantsAnswer
	if problems := rep.Problems(); len(problems) > 0 {
		for _, pr := range problems {
			if barrierFieldIDs[pr.Field] == "" {
				p.Form.General = barrierMessage(l, pr) // not the reader's to correct
				continue
			}
			p.Form.Problems = append(p.Form.Problems, barrierProblem{Field: pr.Field, Message: barrierMessage(l, pr)})
		}
		return render(s, w, r, http.StatusUnprocessableEntity, "accessibility", p)
	}
	addr := clientIP(r)
	if !s.barriers.allow(addr, s.now()) {
		s.log.InfoContext(r.Context(), "barrier report refused: too many from the address", "address", addr)
		p.Form.General = l.T("accessibility.errors.tooMany")
		w.Header().Set("Retry-After", strconv.Itoa(int(barrierWindow.Seconds())))
		return render(s, w, r, http.StatusTooManyRequests, "accessibility", p)
	}
	if f.Get(barrierTrapField) != "" {
		s.log.InfoContext(r.Context(), "barrier report dropped: the honeypot was filled in", "address", addr)
	} else {
		stored, err := s.st.AddBarrierReport(r.Context(), rep)
		if err != nil {
			return err
		}
		s.log.InfoContext(r.Context(), "barrier report received", "report", stored.ID, "language", stored.Language)
	}
	http.Redirect(w, r, accessibilityURL()+"?"+url.Values{"lang": {l.Code}, "tack": {"1"}}.Encode()+"#tack", http.StatusSeeOther)
	return nil
}

// barrierMessage is a problem of the form in the reader's language.
func barrierMessage(l *i18n.Localizer, pr strategy.BarrierProblem) string {
	if pr.Kind == strategy.BarrierTooLong {
		id := map[string]string{"page": "pageTooLong", "description": "problemTooLong", "name": "nameTooLong", "email": "emailTooLong"}[pr.Field]
		return l.T("accessibility.errors."+id, "Count", pr.Max, "N", l.Integer(pr.Max))
	}
	switch {
	case pr.Field == "description":
		return l.T("accessibility.errors.problemMissing")
	case pr.Kind == strategy.BarrierNeedsEmail:
		return l.T("accessibility.errors.emailNeeded")
	case pr.Kind == strategy.BarrierNotEmail:
		return l.T("accessibility.errors.emailInvalid")
	}
	return l.T("accessibility.errors.unreadable")
}

// clipRunes cuts s to at most n characters.
func clipRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// barrierLimit is how many reports one address may send in barrierWindow:
// plenty for a person, and a bound on what a script can store. Behind a
// reverse proxy every reader has the proxy's address (clientIP) and they
// share the limit.
const (
	barrierLimit  = 10
	barrierWindow = time.Hour
)

// barrierLimiter remembers when each address sent its recent reports. It
// lives in memory; the zero value is ready for use.
type barrierLimiter struct {
	mu    sync.Mutex
	sent  map[string][]time.Time // oldest first, within the window
	swept time.Time
}

// allow reports whether addr may send a report now, and if so counts it.
func (l *barrierLimiter) allow(addr string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.sent == nil {
		l.sent = map[string][]time.Time{}
	}
	if now.Sub(l.swept) >= barrierWindow {
		// Forget the addresses that sent nothing within the window, so
		// that the map does not grow with every address ever seen.
		for k, times := range l.sent {
			if now.Sub(times[len(times)-1]) >= barrierWindow {
				delete(l.sent, k)
			}
		}
		l.swept = now
	}
	key := limitKey(addr)
	times := l.sent[key]
	i := 0
	for i < len(times) && now.Sub(times[i]) >= barrierWindow {
		i++
	}
	times = times[i:]
	if len(times) >= barrierLimit {
		l.sent[key] = times
		return false
	}
	l.sent[key] = append(times, now)
	return true
}

// limitKey is what one client controls of an address: the IPv4 address,
// or the /64 of an IPv6 one, since a host usually has a whole /64.
func limitKey(addr string) string {
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return addr
	}
	ip = ip.Unmap()
	if ip.Is6() {
		prefix, _ := ip.WithZone("").Prefix(64)
		return prefix.String()
	}
	return ip.String()
}

// barrierAdminURL is the administrators' list of barrier reports.
const barrierAdminURL = "/admin/tillganglighet"

// barrierReportsObject is what reading and handling the reports needs:
// the reports hold readers' names and e-mail addresses, which only
// administrators see, as with accounts (auth.Can gives the users kind to
// administrators alone).
var barrierReportsObject = auth.Object{Kind: auth.KindUser}

// barrierReportsPage is GET /admin/tillganglighet: the reports, open ones
// first, each newest first. Swedish only, like every work page.
type barrierReportsPage struct {
	Title   string
	Nav     adminNav
	Open    []barrierReportView
	Handled []barrierReportView
	// Statement is the public statement, whose form the reports come from.
	Statement string
}

// barrierReportView is one report as the list shows it.
type barrierReportView struct {
	ID          string // the article's id, a link target
	Number      int64
	Received    timeView
	Page        string
	PageURL     string // a link to the page when Page is one of the site's paths
	Description string
	Name        string
	Email       string
	MailTo      string
	WantsAnswer bool
	Language    string
	Action      string // where the form that marks it handled posts
	NoteID      string
	Note        string // what was written in a refused form, or the handling note
	NoteError   string
	IsHandled   bool
	Handled     timeView
	HandledBy   string
}

// pageBarrierReports handles GET /admin/tillganglighet.
func (s *server) pageBarrierReports(w http.ResponseWriter, r *http.Request) error {
	if err := s.authorize(r, auth.ActionRead, barrierReportsObject); err != nil {
		return err
	}
	p, err := s.barrierReportsPage(r)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return render(s, w, r, http.StatusOK, "admin_accessibility", p)
}

func (s *server) barrierReportsPage(r *http.Request) (barrierReportsPage, error) {
	p := barrierReportsPage{Title: "Rapporter om tillgänglighet", Nav: newAdminNav(r, "tillganglighet"), Statement: accessibilityURL()}
	reports, err := s.st.BarrierReports(r.Context(), strategy.BarrierFilter{})
	if err != nil {
		return p, err
	}
	for _, rep := range reports {
		v := newBarrierReportView(rep)
		if rep.Handled == nil {
			p.Open = append(p.Open, v)
		} else {
			p.Handled = append(p.Handled, v)
		}
	}
	return p, nil
}

func newBarrierReportView(rep strategy.BarrierReport) barrierReportView {
	id := strconv.FormatInt(rep.ID, 10)
	v := barrierReportView{ID: "rapport-" + id, Number: rep.ID, Received: newTimeView(rep.CreatedAt), Page: rep.Page,
		Description: rep.Description, Name: rep.Name, Email: rep.Email, WantsAnswer: rep.WantsAnswer,
		Action: barrierAdminURL + "/" + id, NoteID: "anteckning-" + id, Note: rep.Note, HandledBy: rep.HandledBy}
	if strings.HasPrefix(rep.Page, "/") && !strings.HasPrefix(rep.Page, "//") && !strings.ContainsAny(rep.Page, "\\\r\n") {
		v.PageURL = rep.Page
	}
	if rep.Email != "" {
		v.MailTo = "mailto:" + rep.Email
	}
	v.Language = rep.Language
	if lang, ok := i18n.LanguageOf(rep.Language); ok {
		v.Language = languageNameSv[lang.Code]
	}
	if rep.Handled != nil {
		v.IsHandled, v.Handled = true, newTimeView(*rep.Handled)
	}
	return v
}

// languageNameSv names the interface's languages in Swedish, for the
// administrators' list.
var languageNameSv = map[string]string{"sv": "svenska", "en": "engelska", "ar": "arabiska", "so": "somaliska",
	"ti": "tigrinska", "fa": "persiska/dari"}

// postBarrierHandled handles POST /admin/tillganglighet/{id}: the report
// is marked handled, with an optional note of what was done.
func (s *server) postBarrierHandled(w http.ResponseWriter, r *http.Request) error {
	if err := s.authorize(r, auth.ActionWrite, barrierReportsObject); err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return strategy.Errorf(strategy.CodeNotFound, "Det finns ingen sådan rapport.")
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		return strategy.Errorf(strategy.CodeInvalid, "Formuläret kunde inte läsas.")
	}
	note := strings.TrimSpace(r.PostForm.Get("anteckning"))
	rep, err := s.st.MarkBarrierHandled(r.Context(), id, note)
	switch strategy.CodeOf(err) {
	case "":
	case strategy.CodeNotFound:
		return strategy.Errorf(strategy.CodeNotFound, "Det finns ingen sådan rapport.")
	case strategy.CodeConflict:
		s.flash(r, "Rapporten var redan markerad som hanterad.")
		http.Redirect(w, r, barrierAdminURL+"#rapport-"+strconv.FormatInt(id, 10), http.StatusSeeOther)
		return nil
	case strategy.CodeInvalid:
		p, perr := s.barrierReportsPage(r)
		if perr != nil {
			return perr
		}
		for i := range p.Open {
			if p.Open[i].Number == id {
				p.Open[i].Note = note
				p.Open[i].NoteError = "Anteckningen får vara högst " + count(strategy.MaxBarrierNote) + " tecken lång."
			}
		}
		return render(s, w, r, http.StatusUnprocessableEntity, "admin_accessibility", p)
	default:
		return err
	}
	s.log.InfoContext(r.Context(), "barrier report handled", "report", rep.ID, "by", userOf(r).ID)
	s.flash(r, "Rapport "+strconv.FormatInt(rep.ID, 10)+" är markerad som hanterad.")
	http.Redirect(w, r, barrierAdminURL+"#rapport-"+strconv.FormatInt(rep.ID, 10), http.StatusSeeOther)
	return nil
}
