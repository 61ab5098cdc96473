// Package koladatest is a fake of the Kolada v3 API for tests: an httptest
// server that answers in the documented v3 shape (reference/datasources.md
// §1.2–1.4) from values a test sets, with from_date answers, paging by
// next_url, Kolada's 422s, a request log, switches that make chosen calls
// fail and a gate that holds data requests.
//
//	srv := koladatest.NewServer(t)
//	srv.Set("N02926", "2380", 2024, "T", koladatest.Value(10.4))
//	srv.Set("N02926", "0023", 2024, "T", koladatest.Value(9.1)) // region 23: Kolada's "0023"
//	c := kolada.New(srv.URL)
//
// Values are keyed by Kolada's ids, as Kolada writes them: kommuner "2380",
// regions "0023", riket "0000", groups "G176199". It answers
//
//	GET /v3/data/kpi/{ids}/municipality/{ids}[/year/{years}]
//	GET /v3/data/kpi/{ids}/year/{years}
//	GET /v3/data/municipality/{ids}/year/{years}
//	GET /v3/kpi[/{ids}]
//	GET /v3/municipality[/{ids}]
//	GET /v3/municipality_groups[/{ids}]
//
// with the query parameters page, per_page (1–5000, else 422) and, on data,
// from_date (YYYY-MM-DD). An id list longer than 25 is refused with 422, as
// Kolada does; /v2 answers 410 Gone.
//
// A value has a date it changed. Set stores a value as it has long stood: it
// is in every answer without from_date and in none with it. Revise and
// Delete date the change "today" (SetToday; by default the real date), so a
// from_date query on or before that day reports it — a deletion as a row
// with isdeleted true and value null — and an answer without from_date
// leaves a deleted value out. Put sets every field, the date included.
//
// The package does not import package kolada, so kolada's own tests can use
// it.
package koladatest

import (
	"cmp"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	// BasePath is the API's path below the server's root.
	BasePath = "/v3"
	// MaxIDs is the longest comma list Kolada accepts in a path segment.
	MaxIDs = 25
	// MaxPerPage is Kolada's default and largest page size.
	MaxPerPage = 5000
)

// Value returns a pointer to v, for Set and Row.Value.
func Value(v float64) *float64 { return &v }

// Values is a table of values: KPI → Kolada municipality id → year →
// gender ("T", "K", "M") → value (nil is Kolada's null).
type Values map[string]map[string]map[int]map[string]*float64

// Row is one value as the server holds it: one gender of one of Kolada's
// data rows.
type Row struct {
	KPI string // "N02926"
	// Org is Kolada's id: kommun "2380", region "0023", riket "0000",
	// group "G176199". Our two-digit codes ("23") are refused.
	Org    string
	Year   int
	Gender string   // "T", "K" or "M" (anything else is served as written)
	Value  *float64 // nil is null: no data
	Status string   // Kolada's status, "" for none
	// Count is the members contributing to a group's value; 0 means 1.
	Count int
	// Changed is the day the value changed (its calendar date in its own
	// location); zero means long ago, before any from_date.
	Changed time.Time
	// Deleted reports the value as isdeleted to from_date queries on or
	// before Changed and leaves it out of answers without from_date.
	Deleted bool
}

// KPI is a key figure's metadata as /v3/kpi answers it. A KPI with values
// but no SetKPI is answered with made-up metadata: title "KPI <id>",
// divided by gender when it has K or M values, municipality_type "K", no
// publication period or dates (so no value is preliminary).
type KPI struct {
	ID               string
	Title            string
	Description      string
	DividedByGender  bool
	MunicipalityType string // "" means "K"
	Auspice          string // "" is null
	OperatingArea    string
	Perspective      string
	HasOUData        bool
	// PublPeriod is the period the next publication covers; 0 is null.
	PublPeriod int
	// PrelPublicationDate and PublicationDate are dates; zero is null.
	PrelPublicationDate time.Time
	PublicationDate     time.Time
}

// Municipality is a kommun, a region or riket as /v3/municipality lists it.
type Municipality struct {
	ID    string // "2380", "0023", "0000"
	Title string
	Type  string // "K" kommun, "L" region or riket
}

// Group is a municipality group as /v3/municipality_groups lists it.
type Group struct {
	ID      string // "G176199"
	Title   string
	Members []Municipality // ID and Title are served as member_id, member_title
}

// DefaultMunicipalities are what /v3/municipality lists until
// SetMunicipalities: riket, the 21 regions, Jämtland's kommuner and a few
// others (real ids and names; Kolada lists 312).
var DefaultMunicipalities = []Municipality{
	{"0000", "Riket", "L"},
	{"0001", "Region Stockholm", "L"}, {"0003", "Region Uppsala", "L"}, {"0004", "Region Sörmland", "L"},
	{"0005", "Region Östergötland", "L"}, {"0006", "Region Jönköpings län", "L"}, {"0007", "Region Kronoberg", "L"},
	{"0008", "Region Kalmar län", "L"}, {"0009", "Region Gotland", "L"}, {"0010", "Region Blekinge", "L"},
	{"0012", "Region Skåne", "L"}, {"0013", "Region Halland", "L"}, {"0014", "Västra Götalandsregionen", "L"},
	{"0017", "Region Värmland", "L"}, {"0018", "Region Örebro län", "L"}, {"0019", "Region Västmanland", "L"},
	{"0020", "Region Dalarna", "L"}, {"0021", "Region Gävleborg", "L"}, {"0022", "Region Västernorrland", "L"},
	{"0023", "Region Jämtland Härjedalen", "L"}, {"0024", "Region Västerbotten", "L"}, {"0025", "Region Norrbotten", "L"},
	{"0180", "Stockholm", "K"}, {"0319", "Älvkarleby", "K"}, {"1280", "Malmö", "K"}, {"1480", "Göteborg", "K"},
	{"2303", "Ragunda", "K"}, {"2305", "Bräcke", "K"}, {"2309", "Krokom", "K"}, {"2313", "Strömsund", "K"},
	{"2321", "Åre", "K"}, {"2326", "Berg", "K"}, {"2361", "Härjedalen", "K"}, {"2380", "Östersund", "K"},
}

// Server is a running fake Kolada. Its fields are set by NewServer and
// must not be changed. It is safe for concurrent use.
type Server struct {
	// URL is the v3 base (Root + BasePath), for kolada.New.
	URL string
	// Root is the httptest server's address.
	Root string

	t   testing.TB
	srv *httptest.Server

	mu       sync.Mutex
	cells    map[cellKey]Row
	kpis     map[string]KPI
	munis    []Municipality
	groups   []Group
	pageSize int
	today    func() time.Time
	hook     Hook
	faults   []*Fault
	gate     *gate
	requests []Request
	seq      int
}

type cellKey struct {
	kpi, org string
	year     int
	gender   string
}

// gate holds data requests between Hold and Release.
type gate struct {
	open, reached chan struct{}
	once          sync.Once
}

// Hook may answer a request itself, returning true; n is the request's
// number (Request.N). It runs after the request is logged (and held), before
// failures and the values.
type Hook func(w http.ResponseWriter, r *http.Request, n int) bool

// NewServer starts a fake Kolada with no values, DefaultMunicipalities and
// no groups. It is closed when the test ends (after releasing held
// requests).
func NewServer(t testing.TB) *Server {
	t.Helper()
	s := &Server{
		t:        t,
		cells:    map[cellKey]Row{},
		kpis:     map[string]KPI{},
		munis:    slices.Clone(DefaultMunicipalities),
		pageSize: MaxPerPage,
		today:    time.Now,
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(func() {
		s.Release()
		s.srv.Close()
	})
	s.Root = s.srv.URL
	s.URL = s.srv.URL + BasePath
	return s
}

// Put stores rows, replacing rows of the same KPI, org, year and gender.
func (s *Server) Put(rows ...Row) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range rows {
		if r.KPI == "" || r.Org == "" || r.Gender == "" {
			s.t.Errorf("koladatest: row %+v lacks its KPI, org or gender", r)
			continue
		}
		if len(r.Org) == 2 {
			s.t.Errorf("koladatest: org %q: write Kolada's id (%q), not our code", r.Org, "00"+r.Org)
			continue
		}
		if r.Value != nil {
			v := *r.Value
			r.Value = &v
		}
		s.cells[cellKey{r.KPI, r.Org, r.Year, r.Gender}] = r
	}
}

// Set stores a value that has long stood (no change date): it is in every
// answer without from_date and in no from_date answer. nil is null.
func (s *Server) Set(kpi, org string, year int, gender string, value *float64) {
	s.Put(Row{KPI: kpi, Org: org, Year: year, Gender: gender, Value: value})
}

// SetValues stores a table of values as Set does.
func (s *Server) SetValues(v Values) {
	var rows []Row
	for kpi, byOrg := range v {
		for org, byYear := range byOrg {
			for year, byGender := range byYear {
				for g, x := range byGender {
					rows = append(rows, Row{KPI: kpi, Org: org, Year: year, Gender: g, Value: x})
				}
			}
		}
	}
	s.Put(rows...)
}

// Revise stores a value changed today: it is in answers without from_date
// and in from_date answers on or before today.
func (s *Server) Revise(kpi, org string, year int, gender string, value *float64) {
	s.Put(Row{KPI: kpi, Org: org, Year: year, Gender: gender, Value: value, Changed: s.Today()})
}

// Delete deletes a value today: from_date queries on or before today get it
// with isdeleted true and value null; answers without from_date leave it
// out. The value need not have been set.
func (s *Server) Delete(kpi, org string, year int, gender string) {
	s.Put(Row{KPI: kpi, Org: org, Year: year, Gender: gender, Deleted: true, Changed: s.Today()})
}

// Clear removes every value (deletions included).
func (s *Server) Clear() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cells = map[cellKey]Row{}
}

// Rows returns the stored rows, deleted ones included, sorted by KPI, org,
// year and gender.
func (s *Server) Rows() []Row {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Row, 0, len(s.cells))
	for _, r := range s.cells {
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b Row) int {
		return cmp.Or(cmp.Compare(a.KPI, b.KPI), cmp.Compare(a.Org, b.Org), cmp.Compare(a.Year, b.Year), cmp.Compare(a.Gender, b.Gender))
	})
	return out
}

// SetToday fixes the day Revise and Delete date their changes (by default
// the real date at the time of the call).
func (s *Server) SetToday(d time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.today = func() time.Time { return d }
}

// Today is the day Revise and Delete date their changes.
func (s *Server) Today() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.today()
}

// SetKPI sets KPIs' metadata, replacing what was set for their ids.
func (s *Server) SetKPI(kpis ...KPI) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, k := range kpis {
		s.kpis[k.ID] = k
	}
}

// SetMunicipalities replaces what /v3/municipality lists.
func (s *Server) SetMunicipalities(ms ...Municipality) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.munis = slices.Clone(ms)
}

// SetGroups replaces what /v3/municipality_groups lists.
func (s *Server) SetGroups(gs ...Group) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.groups = slices.Clone(gs)
}

// SetPageSize makes every answer hold at most n items a page (default
// MaxPerPage), so that a few values exercise next_url; a smaller per_page
// of the request still wins. n < 1 restores the default.
func (s *Server) SetPageSize(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n < 1 {
		n = MaxPerPage
	}
	s.pageSize = n
}

// SetHook replaces the hook (nil removes it).
func (s *Server) SetHook(h Hook) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hook = h
}

// Hold makes data requests (/v3/data/…) wait until Release, or until the
// client gives up on them; other requests pass. The channel it returns is
// closed when the first request is held. Holding while held returns the
// same channel.
//
// The server releases held requests when the test ends, but only when its
// own cleanup runs: a test whose later cleanups wait for a held request (a
// web handler closing its background fetch) must register
// t.Cleanup(srv.Release) after them.
func (s *Server) Hold() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.gate == nil {
		s.gate = &gate{open: make(chan struct{}), reached: make(chan struct{})}
	}
	return s.gate.reached
}

// Release lets held data requests, and later ones, through. Releasing when
// nothing is held does nothing.
func (s *Server) Release() {
	s.mu.Lock()
	g := s.gate
	s.gate = nil
	s.mu.Unlock()
	if g != nil {
		close(g.open)
	}
}

// Failure makes matching requests fail.
type Failure struct {
	// KPI limits the failure to data requests whose KPI list names it (and
	// /v3/kpi requests naming it, with Meta); "" matches every request.
	KPI  string
	Meta bool
	// After lets this many matching requests through before failing.
	After int
	// Times is how many requests to fail before letting them through
	// again; 0 is for ever.
	Times int
	// Status is the HTTP status to answer.
	Status int
	// RetryAfter, when set, is sent as the Retry-After header.
	RetryAfter string
	// Body is the answer's body; empty means {"detail": "<status text>"}.
	Body string
}

// Fault is an installed Failure.
type Fault struct {
	mu           *sync.Mutex // the server's
	f            Failure
	seen, failed int
}

// Fail makes data requests naming kpi ("" for every request) answer status,
// times times (0: for ever).
func (s *Server) Fail(kpi string, status, times int) *Fault {
	return s.FailWith(Failure{KPI: kpi, Status: status, Times: times})
}

// FailWith installs a failure. Failures are tried in the order installed;
// the first that fires answers the request, and later ones do not count it.
func (s *Server) FailWith(f Failure) *Fault {
	if f.Status < 100 || f.Status > 999 {
		s.t.Fatalf("koladatest: Failure with status %d", f.Status)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	fault := &Fault{mu: &s.mu, f: f}
	s.faults = append(s.faults, fault)
	return fault
}

// ClearFailures removes every installed failure.
func (s *Server) ClearFailures() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// Count is how many requests the fault has failed.
func (f *Fault) Count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.failed
}

// Request is one request the server saw.
type Request struct {
	N         int // 1-based, in order of arrival
	Method    string
	Path      string // as sent: "/v3/data/kpi/N02926/municipality/2380"
	Query     string // raw: "from_date=2026-02-28&per_page=5000"
	UserAgent string
	At        time.Time // wall clock
	// Endpoint is "data", "kpi", "municipality" or "municipality_groups";
	// "" for any other path.
	Endpoint string
	// KPIs, Orgs and Years are the path's id lists (KPIs also of /v3/kpi,
	// Orgs also of /v3/municipality and /v3/municipality_groups).
	KPIs, Orgs, Years []string
	FromDate          string // the from_date parameter, "" without
	Page              int    // the page parameter; 1 when absent
	Status            int    // the answer's status, once answered
	Injected          bool   // answered by a Failure
}

// URI is the path and query as sent.
func (r Request) URI() string {
	if r.Query == "" {
		return r.Path
	}
	return r.Path + "?" + r.Query
}

// Requests returns every request so far, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// DataRequests returns the data requests (/v3/data/…) so far.
func (s *Server) DataRequests() []Request {
	var out []Request
	for _, r := range s.Requests() {
		if r.Endpoint == "data" {
			out = append(out, r)
		}
	}
	return out
}

// ResetRequests empties the request log; numbering goes on.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = nil
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// parsed is what a request's path and query say.
type parsed struct {
	endpoint string
	// lists of the path, by name: "kpi", "municipality", "year" (data);
	// "ids" (metadata).
	lists    map[string][]string
	fromDate string
	page     int
	perPage  int
	problem  *problem // a 404 or 422 to answer instead
}

type problem struct {
	status int
	body   any
}

func (s *Server) serve(rw http.ResponseWriter, r *http.Request) {
	p := parse(r)
	req := Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, UserAgent: r.UserAgent(),
		At: time.Now(), Endpoint: p.endpoint, FromDate: p.fromDate, Page: p.page}
	switch p.endpoint {
	case "data":
		req.KPIs, req.Orgs, req.Years = p.lists["kpi"], p.lists["municipality"], p.lists["year"]
	case "kpi":
		req.KPIs = p.lists["ids"]
	case "municipality", "municipality_groups":
		req.Orgs = p.lists["ids"]
	}
	s.mu.Lock()
	s.seq++
	n := s.seq
	req.N = n
	s.requests = append(s.requests, req)
	hook, g := s.hook, s.gate
	s.mu.Unlock()

	w := &statusWriter{ResponseWriter: rw}
	injected := false
	defer func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		// The log may have been reset meanwhile; find the entry by number.
		for i := len(s.requests) - 1; i >= 0 && s.requests[i].N >= n; i-- {
			if s.requests[i].N == n {
				s.requests[i].Status = cmp.Or(w.status, http.StatusOK)
				s.requests[i].Injected = injected
			}
		}
	}()

	if p.endpoint == "data" && g != nil {
		g.once.Do(func() { close(g.reached) })
		select {
		case <-g.open:
		case <-r.Context().Done():
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
	}
	if hook != nil && hook(w, r, n) {
		return
	}
	s.mu.Lock()
	fault := s.matchFault(p)
	s.mu.Unlock()
	if fault != nil {
		injected = true
		if fault.RetryAfter != "" {
			w.Header().Set("Retry-After", fault.RetryAfter)
		}
		body := []byte(fault.Body)
		if fault.Body == "" {
			body = mustJSON(map[string]string{"detail": http.StatusText(fault.Status)})
		}
		writeJSON(w, fault.Status, body)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		writeJSON(w, http.StatusMethodNotAllowed, mustJSON(map[string]string{"detail": "Method Not Allowed"}))
		return
	}
	if p.problem != nil {
		writeJSON(w, p.problem.status, mustJSON(p.problem.body))
		return
	}
	var items []any
	switch p.endpoint {
	case "data":
		items = s.dataRows(p)
	case "kpi":
		items = s.kpiRecords(p.lists["ids"])
	case "municipality":
		items = s.municipalities(p.lists["ids"])
	case "municipality_groups":
		items = s.groupRecords(p.lists["ids"])
	}
	s.writePage(w, r, p, items)
}

// parse reads the path and query. Paths outside the four endpoints are a
// problem of 404 (410 under /v2).
func parse(r *http.Request) parsed {
	p := parsed{lists: map[string][]string{}, page: 1, perPage: MaxPerPage}
	path := r.URL.Path
	if path == "/v2" || strings.HasPrefix(path, "/v2/") {
		p.problem = &problem{http.StatusGone, map[string]string{"error": "This endpoint is deprecated. Please use /v3 instead."}}
		return p
	}
	notFound := &problem{http.StatusNotFound, map[string]string{"detail": "Not Found"}}
	rest, ok := strings.CutPrefix(path, BasePath+"/")
	if !ok {
		p.problem = notFound
		return p
	}
	parts := strings.Split(strings.TrimSuffix(rest, "/"), "/")
	switch parts[0] {
	case "data":
		p.endpoint = "data"
		pairs := parts[1:]
		var names []string
		for i := 0; i+1 < len(pairs); i += 2 {
			names = append(names, pairs[i])
			if p.problem == nil {
				p.lists[pairs[i]], p.problem = idList(pairs[i], pairs[i+1])
			}
		}
		switch strings.Join(names, "/") {
		case "kpi/municipality/year", "kpi/municipality", "kpi/year", "municipality/year":
			if len(pairs)%2 != 0 {
				p.problem = notFound
			}
		default:
			p.problem = notFound
		}
	case "kpi", "municipality", "municipality_groups":
		p.endpoint = parts[0]
		switch len(parts) {
		case 1:
		case 2:
			p.lists["ids"], p.problem = idList(parts[0], parts[1])
		default:
			p.problem = notFound
		}
	default:
		p.problem = notFound
		return p
	}
	q := r.URL.Query()
	if v := q.Get("per_page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > MaxPerPage {
			p.problem = unprocessable("query", "per_page", v, fmt.Sprintf("Input should be greater than 0 and less than or equal to %d", MaxPerPage))
		}
		p.perPage = n
	}
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			p.problem = unprocessable("query", "page", v, "Input should be greater than 0")
		}
		p.page = n
	}
	if v := q.Get("from_date"); v != "" && p.endpoint == "data" {
		if _, err := time.Parse(time.DateOnly, v); err != nil {
			p.problem = unprocessable("query", "from_date", v, "Input should be a valid date in the format YYYY-MM-DD")
		}
		p.fromDate = v
	}
	return p
}

// idList splits a path segment, refusing lists longer than MaxIDs, empty
// ids and years that are not numbers with Kolada's (FastAPI's) 422.
func idList(name, segment string) ([]string, *problem) {
	loc := map[string]string{"kpi": "kpi_id", "municipality": "municipality_id", "year": "year",
		"municipality_groups": "municipality_group_id"}[name]
	if loc == "" {
		loc = name + "_id"
	}
	ids := strings.Split(segment, ",")
	if len(ids) > MaxIDs {
		return nil, unprocessableType("too_long", "path", loc, segment,
			fmt.Sprintf("List should have at most %d items after validation, not %d", MaxIDs, len(ids)))
	}
	for _, id := range ids {
		if id == "" {
			return nil, unprocessable("path", loc, segment, "Empty id in the list")
		}
		if name == "year" {
			if _, err := strconv.Atoi(id); err != nil {
				return nil, unprocessableType("int_parsing", "path", loc, id, "Input should be a valid integer, unable to parse string as an integer")
			}
		}
	}
	return ids, nil
}

func unprocessable(where, loc, input, msg string) *problem {
	return unprocessableType("value_error", where, loc, input, msg)
}

func unprocessableType(typ, where, loc, input, msg string) *problem {
	return &problem{http.StatusUnprocessableEntity, map[string]any{"detail": []map[string]any{
		{"type": typ, "loc": []string{where, loc}, "msg": msg, "input": input},
	}}}
}

// matchFault finds the failure that answers a request and counts it; s.mu
// is held.
func (s *Server) matchFault(p parsed) *Failure {
	for _, f := range s.faults {
		if f.f.KPI != "" {
			names := p.endpoint == "data" || (f.f.Meta && p.endpoint == "kpi")
			list := p.lists["kpi"]
			if p.endpoint == "kpi" {
				list = p.lists["ids"]
			}
			if !names || !slices.Contains(list, f.f.KPI) {
				continue
			}
		}
		f.seen++
		if f.seen <= f.f.After || (f.f.Times > 0 && f.failed >= f.f.Times) {
			continue
		}
		f.failed++
		failure := f.f
		return &failure
	}
	return nil
}

// The JSON shapes of v3 (datasources.md §1.4).
type (
	jsonValue struct {
		Gender    string   `json:"gender"`
		Count     int      `json:"count"`
		Status    string   `json:"status"`
		Value     *float64 `json:"value"`
		IsDeleted bool     `json:"isdeleted"`
	}
	jsonRow struct {
		KPI          string      `json:"kpi"`
		Municipality string      `json:"municipality"`
		Period       int         `json:"period"`
		Values       []jsonValue `json:"values"`
	}
	jsonKPI struct {
		ID                  string  `json:"id"`
		Title               string  `json:"title"`
		Description         string  `json:"description"`
		IsDividedByGender   bool    `json:"is_divided_by_gender"`
		MunicipalityType    string  `json:"municipality_type"`
		Auspice             *string `json:"auspice"`
		OperatingArea       string  `json:"operating_area"`
		Perspective         string  `json:"perspective"`
		PrelPublicationDate *string `json:"prel_publication_date"`
		PublicationDate     *string `json:"publication_date"`
		PublPeriod          *string `json:"publ_period"`
		HasOUData           bool    `json:"has_ou_data"`
	}
	jsonMunicipality struct {
		ID    string `json:"id"`
		Title string `json:"title"`
		Type  string `json:"type"`
	}
	jsonMember struct {
		ID    string `json:"member_id"`
		Title string `json:"member_title"`
	}
	jsonGroup struct {
		ID      string       `json:"id"`
		Title   string       `json:"title"`
		Members []jsonMember `json:"members"`
	}
	envelope struct {
		Values      []any   `json:"values"`
		Count       int     `json:"count"`
		NextURL     *string `json:"next_url"`
		PreviousURL *string `json:"previous_url"`
	}
)

// genderOrder is the order of a row's values, as in Kolada's answers.
var genderOrder = map[string]int{"K": 0, "M": 1, "T": 2}

// dataRows answers a data query: live values without from_date; values
// changed on or after from_date, deletions included, with it.
func (s *Server) dataRows(p parsed) []any {
	in := func(list []string, v string) bool { return list == nil || slices.Contains(list, v) }
	type rowKey struct {
		kpi, org string
		year     int
	}
	s.mu.Lock()
	byRow := map[rowKey][]Row{}
	for k, c := range s.cells {
		if !in(p.lists["kpi"], k.kpi) || !in(p.lists["municipality"], k.org) || !in(p.lists["year"], strconv.Itoa(k.year)) {
			continue
		}
		if p.fromDate == "" && c.Deleted {
			continue
		}
		if p.fromDate != "" && (c.Changed.IsZero() || c.Changed.Format(time.DateOnly) < p.fromDate) {
			continue
		}
		rk := rowKey{k.kpi, k.org, k.year}
		byRow[rk] = append(byRow[rk], c)
	}
	s.mu.Unlock()
	keys := make([]rowKey, 0, len(byRow))
	for k := range byRow {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b rowKey) int {
		return cmp.Or(cmp.Compare(a.kpi, b.kpi), cmp.Compare(a.org, b.org), cmp.Compare(a.year, b.year))
	})
	out := make([]any, 0, len(keys))
	for _, k := range keys {
		cells := byRow[k]
		slices.SortFunc(cells, func(a, b Row) int {
			ao, aok := genderOrder[a.Gender]
			bo, bok := genderOrder[b.Gender]
			if !aok {
				ao = 3
			}
			if !bok {
				bo = 3
			}
			return cmp.Or(cmp.Compare(ao, bo), cmp.Compare(a.Gender, b.Gender))
		})
		row := jsonRow{KPI: k.kpi, Municipality: k.org, Period: k.year}
		for _, c := range cells {
			v := jsonValue{Gender: c.Gender, Count: max(c.Count, 1), Status: c.Status, Value: c.Value, IsDeleted: c.Deleted}
			if c.Deleted {
				v.Value = nil
			}
			row.Values = append(row.Values, v)
		}
		out = append(out, row)
	}
	return out
}

// kpiRecords answers /v3/kpi: the set KPIs and those with values, of ids
// when given. Unknown ids are missing from the answer, as on Kolada.
func (s *Server) kpiRecords(ids []string) []any {
	s.mu.Lock()
	known := map[string]KPI{}
	gendered := map[string]bool{}
	for k, c := range s.cells {
		if _, ok := known[k.kpi]; !ok {
			known[k.kpi] = KPI{ID: k.kpi, Title: "KPI " + k.kpi}
		}
		if !c.Deleted && (k.gender == "K" || k.gender == "M") {
			gendered[k.kpi] = true
		}
	}
	for id, k := range known {
		k.DividedByGender = gendered[id]
		known[id] = k
	}
	for id, k := range s.kpis {
		known[id] = k
	}
	s.mu.Unlock()
	if ids == nil {
		for id := range known {
			ids = append(ids, id)
		}
		slices.Sort(ids)
	}
	var out []any
	seen := map[string]bool{}
	for _, id := range ids {
		k, ok := known[id]
		if !ok || seen[id] {
			continue
		}
		seen[id] = true
		rec := jsonKPI{ID: k.ID, Title: k.Title, Description: k.Description, IsDividedByGender: k.DividedByGender,
			MunicipalityType: cmp.Or(k.MunicipalityType, "K"), OperatingArea: k.OperatingArea,
			Perspective: k.Perspective, HasOUData: k.HasOUData}
		if k.Auspice != "" {
			rec.Auspice = &k.Auspice
		}
		if k.PublPeriod != 0 {
			p := strconv.Itoa(k.PublPeriod) // Kolada writes it as a string
			rec.PublPeriod = &p
		}
		rec.PrelPublicationDate = date(k.PrelPublicationDate)
		rec.PublicationDate = date(k.PublicationDate)
		out = append(out, rec)
	}
	return out
}

func date(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	d := t.Format(time.DateOnly)
	return &d
}

func (s *Server) municipalities(ids []string) []any {
	s.mu.Lock()
	ms := slices.Clone(s.munis)
	s.mu.Unlock()
	var out []any
	for _, m := range ms {
		if ids == nil || slices.Contains(ids, m.ID) {
			out = append(out, jsonMunicipality{m.ID, m.Title, m.Type})
		}
	}
	return out
}

func (s *Server) groupRecords(ids []string) []any {
	s.mu.Lock()
	gs := slices.Clone(s.groups)
	s.mu.Unlock()
	var out []any
	for _, g := range gs {
		if ids != nil && !slices.Contains(ids, g.ID) {
			continue
		}
		rec := jsonGroup{ID: g.ID, Title: g.Title, Members: []jsonMember{}}
		for _, m := range g.Members {
			rec.Members = append(rec.Members, jsonMember{m.ID, m.Title})
		}
		out = append(out, rec)
	}
	return out
}

// writePage writes the page p.page of items in the v3 envelope, with
// next_url and previous_url on the server's address.
func (s *Server) writePage(w http.ResponseWriter, r *http.Request, p parsed, items []any) {
	s.mu.Lock()
	size := min(p.perPage, s.pageSize)
	s.mu.Unlock()
	start := min((p.page-1)*size, len(items))
	end := min(start+size, len(items))
	env := envelope{Values: items[start:end], Count: end - start}
	if env.Values == nil {
		env.Values = []any{}
	}
	link := func(page int) *string {
		q := r.URL.Query()
		q.Set("page", strconv.Itoa(page))
		q.Set("per_page", strconv.Itoa(p.perPage))
		u := s.Root + r.URL.Path + "?" + q.Encode()
		return &u
	}
	if end < len(items) {
		env.NextURL = link(p.page + 1)
	}
	if p.page > 1 {
		env.PreviousURL = link(min(p.page-1, max((len(items)+size-1)/size, 1)))
	}
	writeJSON(w, http.StatusOK, mustJSON(env))
}

func writeJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(body)
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}
