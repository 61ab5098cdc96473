package web

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/inkludera/inkludera/internal/auth"
	"github.com/inkludera/inkludera/internal/obsfile"
	"github.com/inkludera/inkludera/internal/strategy"
)

// maxUpload is the largest observation file accepted: about a million
// rows of CSV, far beyond what anyone keeps by hand, small enough to hold
// in memory while it is checked.
const maxUpload = 32 << 20

// maxFormOverhead is what the multipart envelope and the other fields may
// add to the file.
const maxFormOverhead = 1 << 20

// uploadTimeout replaces the server's read and write timeouts for an
// upload: 32 MB over a slow municipal connection takes minutes.
const uploadTimeout = 10 * time.Minute

// importPage is GET and POST /admin/import: the upload form, and after a
// POST either every problem of the file or a receipt of what was stored.
type importPage struct {
	Title      string
	Nav        adminNav
	MaxSize    string
	Orgs       []orgOption
	Indicators []importIndicator
	// FileName is the uploaded file's name, when the problems are its.
	FileName string
	Problems []string
	// ProblemsTitle heads the error summary: "3 fel i data.csv".
	ProblemsTitle string
	// FileDescribedBy is the file input's aria-describedby: its hint, and
	// the error summary when there is one.
	FileDescribedBy string
	Receipt         *importReceipt
}

type orgOption struct {
	Code     string
	Name     string
	Selected bool
}

type importIndicator struct {
	Key      string
	Title    string
	Unit     string
	ByGender string
}

// importReceipt is what a stored file changed.
type importReceipt struct {
	FileName     string
	Observations string
	Added        string
	Changed      string
	Deleted      string
	Unchanged    string
	Links        []link // the indicator page of each indicator and organisation touched
}

// pageImport handles GET /admin/import.
func (s *server) pageImport(w http.ResponseWriter, r *http.Request) error {
	if err := s.mayMaintainValues(r); err != nil {
		return err
	}
	org := ""
	if u := userOf(r); u != nil {
		org = u.Org // a samordnare's own organisation is the likely one
	}
	p, _, _, err := s.importForm(r, org)
	if err != nil {
		return err
	}
	return render(s, w, r, http.StatusOK, "import", p)
}

// importForm is the page with its form filled in: the organisations the
// viewer may upload values for (org preselected) and the indicators. The
// maps hold every stored organisation and indicator, which the upload is
// checked against.
func (s *server) importForm(r *http.Request, org string) (importPage, map[string]strategy.Organisation, map[string]strategy.Indicator, error) {
	ctx := r.Context()
	p := importPage{Title: "Importera värden från fil", Nav: newAdminNav(r, "import"), MaxSize: "32" + "\u00a0" + "MB", FileDescribedBy: "fil-hjalp"}
	orgs, err := s.st.ListOrganisations(ctx)
	if err != nil {
		return p, nil, nil, err
	}
	inds, err := s.st.ListIndicators(ctx)
	if err != nil {
		return p, nil, nil, err
	}
	orgByCode := make(map[string]strategy.Organisation, len(orgs))
	for _, o := range orgs {
		orgByCode[o.Code] = o
		if auth.Can(userOf(r), auth.ActionWrite, auth.Object{Kind: auth.KindObservations, Org: o.Code}) {
			p.Orgs = append(p.Orgs, orgOption{Code: o.Code, Name: o.Name, Selected: o.Code == org})
		}
	}
	indByKey := make(map[string]strategy.Indicator, len(inds))
	for _, ind := range inds {
		indByKey[ind.Key] = ind
		byGender := "nej"
		if ind.ByGender() {
			byGender = "ja"
		}
		p.Indicators = append(p.Indicators, importIndicator{Key: ind.Key, Title: ind.Title, Unit: ind.Unit, ByGender: byGender})
	}
	return p, orgByCode, indByKey, nil
}

// upload is what the form sent.
type upload struct {
	name    string
	data    []byte
	org     string
	hasFile bool
}

var (
	errTooLarge     = errors.New("upload too large")
	errSeveralFiles = errors.New("more than one file")
)

// readUpload reads the multipart form part by part, so that a file over the
// limit is refused after maxUpload bytes instead of being spooled to disk.
func readUpload(r *http.Request) (upload, error) {
	var up upload
	mr, err := r.MultipartReader()
	if err != nil {
		return up, strategy.Errorf(strategy.CodeInvalid, "Formuläret ska skickas som multipart/form-data med en fil.")
	}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return up, nil
		}
		if err != nil {
			return up, err
		}
		switch part.FormName() {
		case "fil":
			if up.hasFile {
				return up, errSeveralFiles
			}
			up.hasFile = true
			up.name = cleanFileName(part.FileName())
			data, err := io.ReadAll(io.LimitReader(part, maxUpload+1))
			if err != nil {
				return up, err
			}
			if len(data) > maxUpload {
				return up, errTooLarge
			}
			up.data = data
		case "org":
			b, err := io.ReadAll(io.LimitReader(part, 64))
			if err != nil {
				return up, err
			}
			up.org = strings.TrimSpace(string(b))
		}
		part.Close()
	}
}

// cleanFileName keeps the last element of a file name: some browsers send
// the client's whole path.
func cleanFileName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	return strings.TrimSpace(name)
}

// postImport handles POST /admin/import: the file is read with obsfile and
// checked against the store; with any problem nothing is stored and every
// problem is shown, else the file's values are stored as one source run.
func (s *server) postImport(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := s.mayMaintainValues(r); err != nil {
		return err
	}
	started := s.now()
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Now().Add(uploadTimeout)) // unsupported by some writers: then the server's timeouts stand
	_ = rc.SetWriteDeadline(time.Now().Add(uploadTimeout))
	r.Body = http.MaxBytesReader(w, r.Body, maxUpload+maxFormOverhead)

	up, readErr := readUpload(r)
	p, orgs, inds, err := s.importForm(r, up.org)
	if err != nil {
		return err
	}
	refuse := func(status int, file string, problems ...string) error {
		p.FileName, p.Problems = file, problems
		p.FileDescribedBy = "felsammanfattning fil-hjalp"
		switch {
		case file != "" && len(problems) == 1:
			p.ProblemsTitle = "1 fel i " + file
		case file != "":
			p.ProblemsTitle = count(len(problems)) + " fel i " + file
		default:
			p.ProblemsTitle = "Filen kunde inte tas emot"
		}
		return render(s, w, r, status, "import", p)
	}

	var mbe *http.MaxBytesError
	switch {
	case errors.Is(readErr, errTooLarge) || errors.As(readErr, &mbe):
		return refuse(http.StatusRequestEntityTooLarge, "",
			"Filen är större än 32 MB, som är det största som tas emot. Dela upp den i flera filer, till exempel en per indikator eller år.")
	case errors.Is(readErr, errSeveralFiles):
		return refuse(http.StatusBadRequest, "", "Ladda upp en fil i taget.")
	case strategy.CodeOf(readErr) == strategy.CodeInvalid:
		return readErr
	case readErr != nil:
		return strategy.Errorf(strategy.CodeInvalid, "Uppladdningen avbröts eller gick inte att läsa. Försök igen.")
	}
	if up.org != "" {
		if _, ok := orgs[up.org]; !ok {
			return refuse(http.StatusBadRequest, "", "Organisationen med koden "+up.org+" finns inte i Inkludera. Välj en i listan.")
		}
	}
	if !up.hasFile || (up.name == "" && len(up.data) == 0) {
		return refuse(http.StatusBadRequest, "", "Välj en fil att ladda upp.")
	}
	name := up.name
	if name == "" {
		name = "filen"
	}

	d, fileProblems := obsfile.Parse(name, up.data, obsfile.Options{DefaultOrg: up.org})
	problems := mergeProblems(fileProblems, checkObservations(d, inds, orgs))
	if len(problems) == 0 && len(d.Observations) == 0 {
		problems = []string{"filen har inga rader med värden under rubrikraden"}
	}
	if len(problems) > 0 {
		return refuse(http.StatusBadRequest, name, problems...)
	}
	// Every organisation the file writes to must be the viewer's to
	// write, before anything is stored.
	if denied := deniedOrgs(userOf(r), d.Observations, orgs); len(denied) > 0 {
		return refuse(http.StatusForbidden, name, denied...)
	}

	for i := range d.Observations {
		// A source cell is the file's own citation; without one the value
		// is credited to the organisation as an uploaded file.
		if d.Observations[i].Source == "" {
			d.Observations[i].Source = SourceFile
		}
	}
	run := strategy.SourceRun{Source: SourceFile, Scope: name, StartedAt: started}
	run.FinishedAt = s.now()
	stored, err := s.st.ApplySourceRun(ctx, run, d.Observations, nil)
	if err != nil {
		run.Outcome, run.Error = strategy.RunFailed, err.Error()
		// The failure is worth a line in the run log even when the
		// request was cancelled.
		recordCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if _, rerr := s.st.RecordRun(recordCtx, run); rerr != nil {
			s.log.ErrorContext(ctx, "recording a failed file import", "file", name, "err", rerr.Error())
		}
		return err
	}
	s.log.InfoContext(ctx, "file imported", "file", name, "observations", len(d.Observations),
		"added", stored.Changes.Added, "changed", stored.Changes.Changed, "unchanged", stored.Changes.Unchanged)

	c := stored.Changes
	p.Receipt = &importReceipt{
		FileName:     name,
		Observations: valuesText(len(d.Observations)),
		Added:        count(c.Added),
		Changed:      count(c.Changed),
		Deleted:      count(c.Deleted),
		Unchanged:    count(c.Unchanged),
		Links:        touchedIndicators(d.Observations, inds, orgs),
	}
	return render(s, w, r, http.StatusOK, "import", p)
}

// deniedOrgs says, for each organisation the observations belong to that
// u may not write values for, that the file cannot be stored.
func deniedOrgs(u *strategy.User, obs []strategy.Observation, orgs map[string]strategy.Organisation) []string {
	seen := map[string]bool{}
	var denied []string
	for _, o := range obs {
		if seen[o.Org] {
			continue
		}
		seen[o.Org] = true
		if !auth.Can(u, auth.ActionWrite, auth.Object{Kind: auth.KindObservations, Org: o.Org}) {
			denied = append(denied, "Du får inte importera värden för "+orgs[o.Org].Name+" ("+o.Org+"). Ta bort de raderna eller be en administratör importera filen.")
		}
	}
	slices.Sort(denied)
	return denied
}

// valuesText counts values in words: "1 värde", "1 234 värden".
func valuesText(n int) string {
	if n == 1 {
		return "1 värde"
	}
	return count(n) + " värden"
}

// checkObservations finds what obsfile cannot know: indicators that are
// not stored, K and M values of indicators not broken down by gender, and
// organisations Inkludera does not have (their values would show nowhere).
// The problems point at the rows through obsfile's row map. Beyond
// obsfile.DefaultMaxProblems they are only counted: a file of a million
// rows with a misspelt indicator must not make a million messages.
func checkObservations(d *obsfile.Data, inds map[string]strategy.Indicator, orgs map[string]strategy.Organisation) obsfile.Problems {
	var out obsfile.Problems
	more := 0
	add := func(i int, column string, kind obsfile.Kind, value string) {
		if len(out) >= obsfile.DefaultMaxProblems {
			more++
			return
		}
		out = append(out, d.At(i, column, kind, value))
	}
	for i, o := range d.Observations {
		ind, ok := inds[o.Indicator]
		switch {
		case !ok:
			add(i, "indicator", obsfile.KindUnknownIndicator, o.Indicator)
		case o.Gender != strategy.Total && !ind.ByGender():
			add(i, "gender", obsfile.KindNoGenderBreakdown, o.Indicator)
		}
		if _, ok := orgs[o.Org]; !ok {
			add(i, "org", kindUnknownOrg, o.Org)
		}
	}
	if more > 0 {
		out = append(out, obsfile.Problem{Kind: obsfile.KindMoreProblems, Other: more})
	}
	return out
}

// kindUnknownOrg is this package's own problem kind, which obsfile does
// not word; problemText does.
const kindUnknownOrg obsfile.Kind = "unknown_org"

// problemText is a problem in Swedish, "rad 12, kolumn värde: …".
func problemText(p obsfile.Problem) string {
	if p.Kind != kindUnknownOrg {
		return p.Swedish()
	}
	loc := ""
	if p.Row > 0 {
		loc = fmt.Sprintf("rad %d, kolumn organisation: ", p.Row)
	}
	return loc + "'" + p.Value + "' finns inte bland organisationerna i Inkludera; rätta koden eller lägg till organisationen först"
}

// mergeProblems puts the file's and the store check's problems together in
// row order (problems of the whole file first), at most
// obsfile.DefaultMaxProblems of them and a count of the rest.
func mergeProblems(lists ...obsfile.Problems) []string {
	var all []obsfile.Problem
	more := 0
	for _, ps := range lists {
		for _, p := range ps {
			if p.Kind == obsfile.KindMoreProblems {
				more += p.Other
				continue
			}
			all = append(all, p)
		}
	}
	slices.SortStableFunc(all, func(a, b obsfile.Problem) int { return cmp.Compare(a.Row, b.Row) })
	if len(all) > obsfile.DefaultMaxProblems {
		more += len(all) - obsfile.DefaultMaxProblems
		all = all[:obsfile.DefaultMaxProblems]
	}
	out := make([]string, 0, len(all)+1)
	for _, p := range all {
		out = append(out, problemText(p))
	}
	if more > 0 {
		out = append(out, obsfile.Problem{Kind: obsfile.KindMoreProblems, Other: more}.Swedish())
	}
	return out
}

// touchedIndicators links the page of every indicator and organisation the
// observations belong to, ordered by their text.
func touchedIndicators(obs []strategy.Observation, inds map[string]strategy.Indicator, orgs map[string]strategy.Organisation) []link {
	type pair struct{ ind, org string }
	seen := map[pair]bool{}
	var links []link
	for _, o := range obs {
		k := pair{o.Indicator, o.Org}
		if seen[k] {
			continue
		}
		seen[k] = true
		links = append(links, link{URL: indicatorURL(o.Indicator, o.Org), Text: inds[o.Indicator].Title + " – " + orgs[o.Org].Name})
	}
	slices.SortFunc(links, func(a, b link) int { return strings.Compare(a.Text, b.Text) })
	return links
}
