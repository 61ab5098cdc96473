// Package scbtest is a fake of SCB's statistical database for tests: an
// httptest server that speaks PxWebApi 2.0 and the older v1 API from the
// recorded and hand-made files in internal/scb/testdata, on fake time, with
// a request log and switches that make chosen calls fail.
//
//	srv := scbtest.NewServer(t)
//	c := scb.New(srv.URL, scb.WithClock(srv.Clock.Now, srv.Clock.Sleep), scb.WithV1BaseURL(srv.V1URL))
//	srv.Fail(scbtest.Failure{Table: "TAB6645", Data: true, Status: 500})
//
// Data answers are cut out of whole cubes, so any selection can be asked
// for. The fake is stricter than SCB: every variable must be selected, as
// package scb always does.
//
// The package does not import package scb, so scb's own tests can use it.
package scbtest

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// Paths of the two APIs below the server's root.
const (
	V2Path = "/api/v2"
	V1Path = "/OV0104/v1/doris/sv/ssd"
)

// V1Table is the v1 path of the hand-made v1 table.
const V1Table = "BE/BE0101/BE0101E/InrUtrFoddaRegAlKon"

// standard are the tables a server serves unless WithoutTables is given:
// id → cube file and metadata file (empty: the cube without values),
// relative to the testdata directory. See testdata/README.md.
var standard = []struct {
	id, cube, meta string
	v1             bool
}{
	// Hand-made stand-in for TAB4823 (2022–2024, no total age or sex).
	{"TAB4823", "handmade/v2/TAB4823.json", "", false},
	// Hand-made stand-in for its CKM successor TAB6645 (2025, TotSA).
	{"TAB6645", "handmade/v2/TAB6645.json", "", false},
	// Real: 21 län × 11 ages × Kon × 2026M01–M04, real metadata.
	{"TAB6471", "v2/TAB6471_data.json", "v2/TAB6471_metadata.json", false},
	// A table without Region (riket only): Kon 1+2/1/2 × 2021–2022.
	{"TAB3554", "handmade/jsonstat/dense_status_array.json", "", false},
	{V1Table, "handmade/v1/InrUtrFoddaRegAlKon.json", "handmade/v1/InrUtrFoddaRegAlKon_metadata.json", true},
}

// Server is a running fake SCB. Its fields are set by NewServer and must
// not be changed.
type Server struct {
	// URL is the PxWebApi 2.0 base (Root + V2Path), for scb.New.
	URL string
	// V1URL is the v1 root (Root + V1Path), for scb.WithV1BaseURL.
	V1URL string
	// Root is the httptest server's address.
	Root string
	// Clock is the fake time the server stamps requests with; give it to
	// the client with scb.WithClock(srv.Clock.Now, srv.Clock.Sleep).
	Clock *Clock

	t   testing.TB
	dir string
	srv *httptest.Server

	mu        sync.Mutex
	config    []byte
	v1config  []byte
	tables    map[string]table // v2 id → table
	v1tables  map[string]table // v1 path → table
	cellLimit int
	hook      Hook
	faults    []*Fault
	requests  []Request
	seq       int // requests numbered so far
}

type table struct {
	cube *Cube
	meta []byte
}

// Request is one request the server saw.
type Request struct {
	N        int // 1-based, in order of arrival
	Method   string
	Path     string // e.g. /api/v2/tables/TAB4823/data
	Query    string // raw
	Body     []byte
	At       time.Time // on the fake clock
	Table    string    // the v2 id or v1 path asked about; "" for /config
	Data     bool      // a data call (POST)
	Status   int       // the answer's status, once answered
	Injected bool      // answered by a Failure
}

// Hook may answer a request itself, returning true; n is the request's
// number (Request.N). It runs before failures and the fixtures, and may
// read the request's body.
type Hook func(w http.ResponseWriter, r *http.Request, n int) bool

// Option configures NewServer.
type Option func(*options)

type options struct {
	clock     *Clock
	dir       string
	config    []byte
	v1config  []byte
	cellLimit int
	hook      Hook
	empty     bool
}

// WithClock makes the server use (and expose) c instead of a new Clock.
func WithClock(c *Clock) Option { return func(o *options) { o.clock = c } }

// WithTestdata reads fixtures from dir instead of internal/scb/testdata
// (found from this package's source file).
func WithTestdata(dir string) Option { return func(o *options) { o.dir = dir } }

// WithConfig serves body as /config instead of testdata/v2/config.json
// (apiVersion 2.2.0, maxDataCells 150 000, 3 calls per second).
func WithConfig(body string) Option { return func(o *options) { o.config = []byte(body) } }

// WithV1Config serves body as the v1 ?config instead of
// testdata/handmade/v1/config.json.
func WithV1Config(body string) Option { return func(o *options) { o.v1config = []byte(body) } }

// WithCellLimit makes a data call for more than n cells get SCB's 403 (0,
// the default: no limit of the server's own).
func WithCellLimit(n int) Option { return func(o *options) { o.cellLimit = n } }

// WithHook sets a hook (see Hook).
func WithHook(h Hook) Option { return func(o *options) { o.hook = h } }

// WithoutTables starts the server with no tables; add them with AddTable.
// By default it serves:
//
//	TAB4823  handmade/v2/TAB4823.json (history to 2024)
//	TAB6645  handmade/v2/TAB6645.json (its CKM successor, 2025)
//	TAB6471  v2/TAB6471_data.json with v2/TAB6471_metadata.json (real, monthly)
//	TAB3554  handmade/jsonstat/dense_status_array.json (no Region)
//	V1Table  handmade/v1/InrUtrFoddaRegAlKon.json (v1)
func WithoutTables() Option { return func(o *options) { o.empty = true } }

// NewServer starts a fake SCB that is closed when the test ends.
func NewServer(t testing.TB, opts ...Option) *Server {
	t.Helper()
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	if o.dir == "" {
		dir, err := Testdata()
		if err != nil {
			t.Fatal(err)
		}
		o.dir = dir
	}
	if o.clock == nil {
		o.clock = NewClock()
	}
	s := &Server{
		Clock: o.clock, t: t, dir: o.dir,
		config: o.config, v1config: o.v1config, cellLimit: o.cellLimit, hook: o.hook,
		tables: map[string]table{}, v1tables: map[string]table{},
	}
	if s.config == nil {
		s.config = s.ReadFile("v2/config.json")
	}
	if s.v1config == nil {
		s.v1config = s.ReadFile("handmade/v1/config.json")
	}
	if !o.empty {
		for _, tab := range standard {
			if tab.v1 {
				s.AddV1Table(tab.id, tab.cube, tab.meta)
			} else {
				s.AddTable(tab.id, tab.cube, tab.meta)
			}
		}
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	s.Root = s.srv.URL
	s.URL = s.srv.URL + V2Path
	s.V1URL = s.srv.URL + V1Path
	return s
}

// Testdata returns internal/scb/testdata, found from this package's source
// file; it fails when the source is not at hand (a -trimpath build).
func Testdata() (string, error) {
	_, file, _, ok := runtime.Caller(0)
	if !ok || !filepath.IsAbs(file) {
		return "", fmt.Errorf("scbtest: cannot locate the package source (built with -trimpath?); use WithTestdata")
	}
	dir := filepath.Join(filepath.Dir(file), "..", "testdata")
	if _, err := os.Stat(filepath.Join(dir, "README.md")); err != nil {
		return "", fmt.Errorf("scbtest: no testdata beside the source: %w; use WithTestdata", err)
	}
	return dir, nil
}

// Files and parsed cubes are shared by every server of a test binary.
var (
	fileCache sync.Map // absolute path → []byte
	cubeCache sync.Map // absolute path → *Cube
)

func (s *Server) path(name string) string {
	if filepath.IsAbs(name) {
		return name
	}
	return filepath.Join(s.dir, filepath.FromSlash(name))
}

// ReadFile returns a fixture, by its path below the testdata directory
// ("handmade/errors/429_too_many_requests.json"); it fails the test if the
// file cannot be read.
func (s *Server) ReadFile(name string) []byte {
	s.t.Helper()
	p := s.path(name)
	if b, ok := fileCache.Load(p); ok {
		return bytes.Clone(b.([]byte))
	}
	b, err := os.ReadFile(p)
	if err != nil {
		s.t.Fatal(err)
	}
	fileCache.Store(p, bytes.Clone(b))
	return b
}

// LoadCube parses a fixture as a cube; it fails the test if it cannot.
func (s *Server) LoadCube(name string) *Cube {
	s.t.Helper()
	p := s.path(name)
	if c, ok := cubeCache.Load(p); ok {
		return c.(*Cube)
	}
	c, err := ParseCube(s.ReadFile(name))
	if err != nil {
		s.t.Fatalf("%s: %v", name, err)
	}
	cubeCache.Store(p, c)
	return c
}

// AddTable serves a whole cube from a fixture as v2 table id: its
// metadata from metaFile when given, else the cube without values.
func (s *Server) AddTable(id, cubeFile, metaFile string) {
	s.t.Helper()
	cube := s.LoadCube(cubeFile)
	meta := cube.Metadata()
	if metaFile != "" {
		meta = s.ReadFile(metaFile)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tables[id] = table{cube, meta}
}

// AddCube serves c as v2 table id, with c.Metadata() as its metadata;
// it replaces a table of that id.
func (s *Server) AddCube(id string, c *Cube) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tables[id] = table{c, c.Metadata()}
}

// AddV1Table serves a whole cube as the v1 table at path, with the v1
// metadata in metaFile.
func (s *Server) AddV1Table(path, cubeFile, metaFile string) {
	s.t.Helper()
	cube, meta := s.LoadCube(cubeFile), s.ReadFile(metaFile)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.v1tables[path] = table{cube, meta}
}

// RemoveTable stops serving a v2 id or v1 path: it becomes a 404.
func (s *Server) RemoveTable(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.tables, id)
	delete(s.v1tables, id)
}

// Cube returns the cube served as a v2 id or v1 path; it fails the test
// if there is none.
func (s *Server) Cube(id string) *Cube {
	s.t.Helper()
	s.mu.Lock()
	tab, ok := s.tables[id]
	if !ok {
		tab, ok = s.v1tables[id]
	}
	s.mu.Unlock()
	if !ok {
		s.t.Fatalf("scbtest: no table %s", id)
	}
	return tab.cube
}

// SetConfig replaces the /config body.
func (s *Server) SetConfig(body string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.config = []byte(body)
}

// SetCellLimit sets the cells above which a data call gets a 403 (0: none).
func (s *Server) SetCellLimit(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cellLimit = n
}

// SetHook replaces the hook (nil removes it).
func (s *Server) SetHook(h Hook) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hook = h
}

// Failure makes matching requests fail.
type Failure struct {
	// Table limits the failure to the metadata and data calls of a v2 id
	// or v1 path; "" matches every request, /config included.
	Table string
	// Data limits it to data calls (POST).
	Data bool
	// After lets this many matching requests through before failing:
	// Failure{After: 3, Status: 500} fails every request after the third.
	After int
	// Times is how many times to fail before letting requests through
	// again; 0 is for ever. Failure{Data: true, Status: 429, Times: 2}
	// answers two 429s, then data.
	Times int
	// Status is the HTTP status to answer.
	Status int
	// RetryAfter, when set, is sent as the Retry-After header.
	RetryAfter string
	// Body is the answer's body. Empty means what SCB sends: its
	// problem+json for 400 (missing selection), 403 (too many cells), 404
	// and 429, and no body for other statuses (SCB's bare 500).
	Body string
}

// Fault is an installed Failure.
type Fault struct {
	mu           *sync.Mutex // the server's
	f            Failure
	seen, failed int
}

// Fail installs a failure. Failures are tried in the order installed;
// the first that fires answers the request, and the later ones do not see
// it (their After and Times do not count it).
func (s *Server) Fail(f Failure) *Fault {
	if f.Status == 0 {
		s.t.Fatal("scbtest: Failure without Status")
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

// Requests returns every request so far, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.requests))
	copy(out, s.requests)
	return out
}

// DataRequests returns the data calls (POSTs) so far.
func (s *Server) DataRequests() []Request {
	var out []Request
	for _, r := range s.Requests() {
		if r.Data {
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

// requestTable says which table a path is about and whether the request is
// a data call.
func requestTable(r *http.Request) (id string, data bool) {
	p := r.URL.Path
	switch {
	case strings.HasPrefix(p, V2Path+"/tables/"):
		rest := strings.TrimPrefix(p, V2Path+"/tables/")
		i := strings.LastIndex(rest, "/")
		if i < 0 {
			return "", false
		}
		id, err := url.PathUnescape(rest[:i])
		if err != nil {
			id = rest[:i]
		}
		return id, rest[i+1:] == "data" && r.Method == http.MethodPost
	case strings.HasPrefix(p, V1Path+"/START/"):
		return strings.TrimPrefix(p, V1Path+"/START/"), r.Method == http.MethodPost
	}
	return "", false
}

func (s *Server) serve(rw http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	id, data := requestTable(r)
	s.mu.Lock()
	s.seq++
	n := s.seq
	s.requests = append(s.requests, Request{N: n, Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery,
		Body: body, At: s.Clock.Now(), Table: id, Data: data})
	hook := s.hook
	s.mu.Unlock()

	w := &statusWriter{ResponseWriter: rw}
	var fault *Failure
	defer func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		// The log may have been reset meanwhile; find the entry by number.
		for i := len(s.requests) - 1; i >= 0 && s.requests[i].N >= n; i-- {
			if s.requests[i].N == n {
				s.requests[i].Status = cmp.Or(w.status, http.StatusOK)
				s.requests[i].Injected = fault != nil
			}
		}
	}()
	if hook != nil && hook(w, r, n) {
		return
	}
	s.mu.Lock()
	fault = s.matchFault(id, data)
	s.mu.Unlock()
	if fault != nil {
		s.inject(w, fault)
		return
	}
	s.route(w, r, body)
}

// matchFault finds the failure that answers a request and counts it;
// s.mu is held.
func (s *Server) matchFault(id string, data bool) *Failure {
	for _, f := range s.faults {
		if (f.f.Table != "" && f.f.Table != id) || (f.f.Data && !data) {
			continue
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

func (s *Server) inject(w http.ResponseWriter, f *Failure) {
	if f.RetryAfter != "" {
		w.Header().Set("Retry-After", f.RetryAfter)
	}
	body := []byte(f.Body)
	if f.Body == "" {
		switch f.Status {
		case http.StatusBadRequest:
			body = s.ReadFile("handmade/errors/400_missing_selection.json")
		case http.StatusForbidden:
			body = s.ReadFile("handmade/errors/403_too_many_cells.json")
		case http.StatusNotFound:
			body = notFound
		case http.StatusTooManyRequests:
			body = s.ReadFile("handmade/errors/429_too_many_requests.json")
		}
	}
	if len(body) == 0 {
		w.WriteHeader(f.Status)
		return
	}
	problem(w, f.Status, body)
}

var notFound = []byte(`{"type":"Not found","title":"No such table","status":404}`)

func problem(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	w.Write(body)
}

func writeJSON(w http.ResponseWriter, body []byte) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.Write(body)
}

// v1Query is the body of a v1 data call.
type v1Query struct {
	Query []struct {
		Code      string `json:"code"`
		Selection struct {
			Filter string   `json:"filter"`
			Values []string `json:"values"`
		} `json:"selection"`
	} `json:"query"`
	Response struct {
		Format string `json:"format"`
	} `json:"response"`
}

func (s *Server) route(w http.ResponseWriter, r *http.Request, body []byte) {
	s.mu.Lock()
	config, v1config := s.config, s.v1config
	s.mu.Unlock()
	id, _ := requestTable(r)
	switch p := r.URL.Path; {
	case p == V2Path+"/config" && r.Method == http.MethodGet:
		writeJSON(w, config)
	case strings.HasPrefix(p, V2Path+"/tables/") && strings.HasSuffix(p, "/metadata") && r.Method == http.MethodGet:
		s.mu.Lock()
		tab, ok := s.tables[id]
		s.mu.Unlock()
		if !ok {
			problem(w, http.StatusNotFound, notFound)
			return
		}
		writeJSON(w, tab.meta)
	case strings.HasPrefix(p, V2Path+"/tables/") && strings.HasSuffix(p, "/data") && r.Method == http.MethodPost:
		var q struct {
			Selection []struct {
				VariableCode string   `json:"variableCode"`
				ValueCodes   []string `json:"valueCodes"`
			} `json:"selection"`
		}
		if err := json.Unmarshal(body, &q); err != nil {
			problem(w, http.StatusBadRequest, []byte(`{"type":"Parameter error","title":"Bad body","status":400}`))
			return
		}
		sel := map[string][]string{}
		for _, v := range q.Selection {
			sel[v.VariableCode] = v.ValueCodes
		}
		s.mu.Lock()
		tab := s.tables[id]
		s.mu.Unlock()
		s.answer(w, tab.cube, sel)
	case p == V1Path+"/" && r.URL.RawQuery == "config":
		writeJSON(w, v1config)
	case strings.HasPrefix(p, V1Path+"/START/"):
		s.mu.Lock()
		tab, ok := s.v1tables[id]
		s.mu.Unlock()
		if r.Method == http.MethodGet {
			if !ok {
				http.Error(w, "not found", http.StatusNotFound)
				return
			}
			writeJSON(w, tab.meta)
			return
		}
		var q v1Query
		if err := json.Unmarshal(body, &q); err != nil || q.Response.Format != "json-stat2" {
			http.Error(w, "Bad Request", http.StatusBadRequest)
			return
		}
		sel := map[string][]string{}
		for _, v := range q.Query {
			if v.Selection.Filter != "item" {
				http.Error(w, "fake v1 serves item filters only", http.StatusBadRequest)
				return
			}
			sel[v.Code] = v.Selection.Values
		}
		s.answer(w, tab.cube, sel)
	default:
		http.Error(w, "unexpected "+r.Method+" "+p, http.StatusNotFound)
	}
}

// answer cuts a data call's selection out of a cube.
func (s *Server) answer(w http.ResponseWriter, cube *Cube, sel map[string][]string) {
	if cube == nil {
		problem(w, http.StatusNotFound, notFound)
		return
	}
	s.mu.Lock()
	limit := s.cellLimit
	s.mu.Unlock()
	n := 1
	for _, codes := range sel {
		n *= len(codes)
	}
	if limit > 0 && n > limit {
		problem(w, http.StatusForbidden, s.ReadFile("handmade/errors/403_too_many_cells.json"))
		return
	}
	part, err := cube.cut(sel, true)
	switch {
	case err == nil:
		writeJSON(w, part.JSON())
	case isSelection(err, titleDuplicate):
		w.WriteHeader(http.StatusInternalServerError) // as SCB does
	case isSelection(err, titleMissing):
		problem(w, http.StatusBadRequest, s.ReadFile("handmade/errors/400_missing_selection.json"))
	default:
		title := err.Error()
		var se *SelectionError
		if errors.As(err, &se) {
			title = se.Title
		}
		problem(w, http.StatusBadRequest, mustJSON(map[string]any{"type": "Parameter error", "title": title, "status": 400}))
	}
}
