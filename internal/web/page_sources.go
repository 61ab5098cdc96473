package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/inkludera/inkludera/internal/auth"
	"github.com/inkludera/inkludera/internal/describe"
	"github.com/inkludera/inkludera/internal/fetch"
	"github.com/inkludera/inkludera/internal/i18n"
	"github.com/inkludera/inkludera/internal/strategy"
)

// SourceFile is the source name of runs and observations that came from an
// uploaded file.
const SourceFile = describe.SourceFile

// runListLimit is how many runs the sources page lists.
const runListLimit = 50

// lastRunsDepth is how far back the page looks for each source's last
// run, as fetch.LastRuns does.
const lastRunsDepth = 200

// refreshSeconds is how often the sources page reloads itself while a
// fetch runs: often enough to follow, seldom enough not to load the server.
const refreshSeconds = 3

// sourcesPage is GET /admin/kallor: each source's last run, the running
// fetch or the button that starts one, and the latest runs.
type sourcesPage struct {
	Title  string
	Nav    adminNav
	Notice string // what the last POST did, after its redirect
	// FetchConfigured says a fetcher is configured; CanFetch that the
	// viewer may also start it (administrators only).
	FetchConfigured bool
	CanFetch        bool
	Fetch           *fetchView
	Last            *fetchResultView
	Sources         []sourceView
	Runs            []runView
	Limit           int
	// Refresh is the meta refresh interval in seconds; 0 means none.
	Refresh int
}

// fetchView is the progress of the running fetch.
type fetchView struct {
	Started timeView
	Source  string // "Kolada"
	Done    int
	Total   int
	Text    string // "Kolada: 3 av 13 klara, hämtar nu N02926"
}

type fetchResultView struct {
	Finished timeView
	Err      string
}

// sourceView is one source with its newest run, nil when it has none.
type sourceView struct {
	ID   string
	Name string
	Run  *runView
}

// runView is a run as the page shows it.
type runView struct {
	Source    string
	Scope     string
	Started   timeView
	Finished  timeView
	Duration  string
	OK        bool
	Outcome   string
	Added     string
	Changed   string
	Deleted   string
	Unchanged string
	Changes   string // "3 tillagda, 1 ändrad, 0 borttagna, 10 oförändrade"
	Requests  string
	Uploaded  bool // a file: no requests to count
	Error     string
	Warnings  []string
}

// timeView is a time for a <time> element: machine form and Swedish form.
type timeView struct {
	ISO  string
	Text string
}

// knownSources are the sources the page always lists, in this order, with
// their Swedish names.
var knownSources = []struct{ code, name string }{
	{fetch.SourceKolada, "Kolada"},
	{fetch.SourceSCB, "SCB"},
	{SourceFile, "Uppladdade filer"},
}

func sourceName(code string) string {
	for _, s := range knownSources {
		if s.code == code {
			return s.name
		}
	}
	return code
}

// adminNav is what the admin pages' navigation needs: the current page and
// whether the viewer may manage users.
type adminNav struct {
	Current string
	Users   bool
}

func newAdminNav(r *http.Request, current string) adminNav {
	return adminNav{Current: current, Users: auth.Can(userOf(r), auth.ActionRead, auth.Object{Kind: auth.KindUser})}
}

// mayMaintainValues is the right to see the sources page and upload value
// files: writing the observations of one's own organisation (a samordnare)
// or of every organisation (an administrator). Source runs carry no
// organisation, so a samordnare sees the whole run log: scopes, counts and
// errors, no values.
func (s *server) mayMaintainValues(r *http.Request) error {
	org := ""
	if u := userOf(r); u != nil {
		org = u.Org
	}
	return s.authorize(r, auth.ActionWrite, auth.Object{Kind: auth.KindObservations, Org: org})
}

// fetchAllObject is what starting a fetch from every source writes: the
// observations of every organisation, which only an administrator may.
var fetchAllObject = auth.Object{Kind: auth.KindObservations}

// pageSources handles GET /admin/kallor.
func (s *server) pageSources(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := s.mayMaintainValues(r); err != nil {
		return err
	}
	// The fetch's state is read before the runs: a fetch seen as finished
	// has then stored its run, so the page never shows neither.
	st := s.admin.status()
	// One query for both lists, so that they agree when a run is stored
	// while the page is built (fetch.LastRuns would be a second query).
	runs, err := s.st.SourceRuns(ctx, "", lastRunsDepth)
	if err != nil {
		return err
	}
	last := map[string]strategy.SourceRun{}
	for _, r := range runs {
		if _, seen := last[r.Source]; !seen {
			last[r.Source] = r
		}
	}
	if len(runs) > runListLimit {
		runs = runs[:runListLimit]
	}
	p := sourcesPage{Title: "Datakällor", Nav: newAdminNav(r, "kallor"), FetchConfigured: s.admin.fetcher != nil, Limit: runListLimit}
	p.CanFetch = p.FetchConfigured && auth.Can(userOf(r), auth.ActionWrite, fetchAllObject)
	switch r.URL.Query().Get("hamtning") {
	case "startad":
		p.Notice = "Hämtningen har startat. Sidan uppdateras av sig själv medan den pågår."
	case "pagar":
		p.Notice = "En hämtning pågår redan. Vänta tills den är klar innan du startar en ny."
	}
	if st.running {
		p.Fetch = newFetchView(st)
		p.Refresh = refreshSeconds
	}
	if st.last != nil {
		p.Last = &fetchResultView{Finished: newTimeView(st.last.Finished), Err: st.last.Err}
	}
	listed := map[string]bool{}
	for _, src := range knownSources {
		listed[src.code] = true
		p.Sources = append(p.Sources, newSourceView(src.code, last))
	}
	for _, r := range runs { // a source no one foresaw still shows
		if !listed[r.Source] {
			listed[r.Source] = true
			p.Sources = append(p.Sources, newSourceView(r.Source, last))
		}
	}
	for _, r := range runs {
		p.Runs = append(p.Runs, newRunView(r))
	}
	return render(s, w, r, http.StatusOK, "sources", p)
}

func newSourceView(code string, last map[string]strategy.SourceRun) sourceView {
	v := sourceView{ID: "kalla-" + code, Name: sourceName(code)}
	if r, ok := last[code]; ok {
		rv := newRunView(r)
		v.Run = &rv
	}
	return v
}

func newFetchView(st fetchStatus) *fetchView {
	v := &fetchView{Started: newTimeView(st.started), Done: st.step.Done, Total: st.step.Total}
	if st.step.Source == "" {
		v.Text = "Hämtningen startar …"
		return v
	}
	v.Source = sourceName(st.step.Source)
	v.Text = v.Source + ": " + strconv.Itoa(st.step.Done) + " av " + strconv.Itoa(st.step.Total) + " klara"
	if st.step.What != "" {
		v.Text += ", hämtar nu " + st.step.What
	}
	return v
}

func newRunView(r strategy.SourceRun) runView {
	c := r.Changes
	v := runView{
		Source:    sourceName(r.Source),
		Scope:     r.Scope,
		Started:   newTimeView(r.StartedAt),
		Finished:  newTimeView(r.FinishedAt),
		Duration:  formatDuration(r.StartedAt, r.FinishedAt),
		OK:        r.Outcome == strategy.RunOK,
		Outcome:   outcomeLabel(r.Outcome),
		Added:     count(c.Added),
		Changed:   count(c.Changed),
		Deleted:   count(c.Deleted),
		Unchanged: count(c.Unchanged),
		Changes:   changesText(c),
		Requests:  count(r.Requests),
		Uploaded:  r.Source == SourceFile,
		Error:     r.Error,
		Warnings:  r.Warnings,
	}
	return v
}

func outcomeLabel(o strategy.RunOutcome) string {
	return label(map[strategy.RunOutcome]string{
		strategy.RunOK:     "OK",
		strategy.RunFailed: "Misslyckades",
	}, o)
}

func count(n int) string { return i18n.FormatNumber(float64(n), 0) }

// changesText counts a run's changes in words, each with its number:
// "3 tillagda, 1 ändrad, 0 borttagna, 10 oförändrade".
func changesText(c strategy.ChangeCount) string {
	word := func(n int, one, many string) string {
		if n == 1 {
			return "1 " + one
		}
		return count(n) + " " + many
	}
	return word(c.Added, "tillagd", "tillagda") + ", " + word(c.Changed, "ändrad", "ändrade") + ", " +
		word(c.Deleted, "borttagen", "borttagna") + ", " + word(c.Unchanged, "oförändrad", "oförändrade")
}

// displayZone is the zone times are shown in: Swedish time where the
// system knows it, else the server's own.
var displayZone = func() *time.Location {
	if loc, err := time.LoadLocation("Europe/Stockholm"); err == nil {
		return loc
	}
	return time.Local
}()

// newTimeView writes t as ISO date and time the Swedish way, "2026-03-01
// 05:00", in Swedish time; the zero time gives empty strings.
func newTimeView(t time.Time) timeView {
	if t.IsZero() {
		return timeView{}
	}
	return timeView{ISO: t.UTC().Format(time.RFC3339), Text: t.In(displayZone).Format("2006-01-02 15:04")}
}

// formatDuration writes how long a run took, in Swedish units: "0,4 s",
// "12 s", "3 min 5 s", "1 h 2 min"; "–" when the end is unknown.
func formatDuration(start, end time.Time) string {
	if start.IsZero() || end.IsZero() || end.Before(start) {
		return i18n.Missing
	}
	d := end.Sub(start)
	switch {
	case d < 10*time.Second:
		return i18n.FormatNumber(d.Seconds(), 1) + i18n.NBSP + "s"
	case d < time.Minute:
		return strconv.Itoa(int(d.Round(time.Second).Seconds())) + i18n.NBSP + "s"
	case d < time.Hour:
		d = d.Round(time.Second)
		return strconv.Itoa(int(d/time.Minute)) + i18n.NBSP + "min" + i18n.NBSP + strconv.Itoa(int(d%time.Minute/time.Second)) + i18n.NBSP + "s"
	}
	d = d.Round(time.Minute)
	return strconv.Itoa(int(d/time.Hour)) + i18n.NBSP + "h" + i18n.NBSP + strconv.Itoa(int(d%time.Hour/time.Minute)) + i18n.NBSP + "min"
}

// startFetch handles POST /admin/kallor/hamta: it starts a fetch from every
// source in the background and sends the browser back to the sources page
// (303, so that reloading it does not post again).
func (s *server) startFetch(w http.ResponseWriter, r *http.Request) error {
	if err := s.authorize(r, auth.ActionWrite, fetchAllObject); err != nil {
		return err
	}
	if s.admin.fetcher == nil {
		return strategy.Errorf(strategy.CodeConflict, "Hämtning från Kolada och SCB är inte inställd på den här servern.")
	}
	result := "startad"
	if !s.admin.startFetch(s) {
		result = "pagar"
	}
	http.Redirect(w, r, "/admin/kallor?hamtning="+result, http.StatusSeeOther)
	return nil
}
