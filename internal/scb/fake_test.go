package scb

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClock is the time seen by the client and the fake server; sleeping
// moves it on at once, so rate limits and Retry-After cost no wall time.
type fakeClock struct {
	mu    sync.Mutex
	t     time.Time
	slept []time.Duration
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 3, 2, 8, 0, 0, 123456789, time.FixedZone("CET", 3600))}
}

func (f *fakeClock) now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.t
}

func (f *fakeClock) sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.t = f.t.Add(d)
	f.slept = append(f.slept, d)
	return nil
}

func (f *fakeClock) totalSlept() time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	var d time.Duration
	for _, s := range f.slept {
		d += s
	}
	return d
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", path))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func decodeFile(t testing.TB, path string) *Dataset {
	t.Helper()
	ds, err := DecodeJSONStat(bytes.NewReader(readFile(t, path)))
	if err != nil {
		t.Fatalf("decode %s: %v", path, err)
	}
	return ds
}

// encodeJSONStat writes a dataset as json-stat2 with dense values and a
// status object; without values it is table metadata.
func encodeJSONStat(ds *Dataset, withValues bool) []byte {
	type category struct {
		Index map[string]int               `json:"index"`
		Label map[string]string            `json:"label"`
		Unit  map[string]map[string]string `json:"unit,omitempty"`
	}
	type dimension struct {
		Label     string         `json:"label"`
		Note      []string       `json:"note,omitempty"`
		Category  category       `json:"category"`
		Extension map[string]any `json:"extension"`
	}
	out := map[string]any{
		"version": "2.0", "class": "dataset", "label": ds.Label, "source": ds.Source,
	}
	if !ds.Updated.IsZero() {
		out["updated"] = ds.Updated.Format(time.RFC3339)
	}
	if len(ds.Notes) > 0 {
		out["note"] = ds.Notes
	}
	ext := map[string]any{"px": map[string]any{"tableid": ds.TableID}}
	mand := map[string]bool{}
	for i, n := range ds.Notes {
		for _, m := range ds.MandatoryNotes {
			if m == n {
				mand[strconv.Itoa(i)] = true
			}
		}
	}
	if len(mand) > 0 {
		ext["noteMandatory"] = mand
	}
	out["extension"] = ext
	var ids []string
	var size []int
	dims := map[string]dimension{}
	role := map[string][]string{}
	for _, d := range ds.Dimensions {
		ids = append(ids, d.Code)
		size = append(size, len(d.Values))
		if d.Role != "" {
			role[d.Role] = append(role[d.Role], d.Code)
		}
		cat := category{Index: map[string]int{}, Label: map[string]string{}}
		mt := map[string]string{}
		for i, v := range d.Values {
			cat.Index[v.Code] = i
			cat.Label[v.Code] = v.Label
			if v.Unit != "" {
				if cat.Unit == nil {
					cat.Unit = map[string]map[string]string{}
				}
				cat.Unit[v.Code] = map[string]string{"base": v.Unit}
			}
			if v.MeasuringType != "" {
				mt[v.Code] = v.MeasuringType
			}
		}
		e := map[string]any{"elimination": d.Elimination}
		if len(mt) > 0 {
			e["measuringType"] = mt
		}
		dims[d.Code] = dimension{Label: d.Label, Note: d.Notes, Category: cat, Extension: e}
	}
	out["id"], out["size"], out["dimension"], out["role"] = ids, size, dims, role
	values := []any{}
	status := map[string]string{}
	if withValues {
		for i, c := range ds.Cells {
			if c.Value == nil {
				values = append(values, nil)
			} else {
				values = append(values, *c.Value)
			}
			if c.Status != "" {
				status[strconv.Itoa(i)] = c.Status
			}
		}
	}
	out["value"] = values
	if len(status) > 0 {
		out["status"] = status
	}
	b, err := json.Marshal(out)
	if err != nil {
		panic(err)
	}
	return b
}

// slice cuts the cells of sel (variable → codes, every variable present)
// out of a cube, keeping the cube's order of dimensions and values as SCB
// does.
func slice(cube *Dataset, sel map[string][]string) (*Dataset, string) {
	for code := range sel {
		if cube.Dimension(code) == nil {
			return nil, "Non-existent variable"
		}
	}
	out := &Dataset{Label: cube.Label, Source: cube.Source, TableID: cube.TableID, Updated: cube.Updated,
		Notes: cube.Notes, MandatoryNotes: cube.MandatoryNotes}
	for _, d := range cube.Dimensions {
		codes, ok := sel[d.Code]
		if !ok {
			return nil, "Missing selection for mandantory variable"
		}
		want := map[string]bool{}
		for _, c := range codes {
			if want[c] {
				return nil, "duplicate" // SCB answers a repeated code with a bare 500
			}
			if _, ok := d.Index(c); !ok {
				return nil, "Non-existent value"
			}
			want[c] = true
		}
		nd := d
		nd.Values = nil
		for _, v := range d.Values {
			if want[v.Code] {
				nd.Values = append(nd.Values, v)
			}
		}
		nd.buildIndex()
		out.Dimensions = append(out.Dimensions, nd)
	}
	total := 1
	for _, d := range out.Dimensions {
		total *= len(d.Values)
	}
	pos := make([]int, len(out.Dimensions))
	for range total {
		codes := map[string]string{}
		for j, d := range out.Dimensions {
			codes[d.Code] = d.Values[pos[j]].Code
		}
		c, _ := cube.Lookup(codes)
		out.Cells = append(out.Cells, Cell{Codes: codes, Value: c.Value, Status: c.Status})
		for j := len(pos) - 1; j >= 0; j-- {
			pos[j]++
			if pos[j] < len(out.Dimensions[j].Values) {
				break
			}
			pos[j] = 0
		}
	}
	return out, ""
}

type recorded struct {
	Method, Path, Query string
	Body                []byte
	At                  time.Time
}

// fakeSCB serves PxWebApi 2.0 under /api/v2 and v1 under
// /OV0104/v1/doris/sv/ssd from testdata. Data answers are cut out of
// whole cubes, so any selection can be asked for. It is stricter than SCB:
// every variable must be selected.
type fakeSCB struct {
	t        testing.TB
	clock    *fakeClock
	srv      *httptest.Server
	config   []byte
	meta     map[string][]byte   // v2 id → metadata body
	cubes    map[string]*Dataset // v2 id → whole table
	v1meta   map[string][]byte   // v1 path → metadata body
	v1cubes  map[string]*Dataset
	v1config []byte
	maxCells int // above this a data call gets the 403 fixture
	// hook, when set, may answer a request itself (return true).
	hook func(w http.ResponseWriter, r *http.Request, n int) bool

	mu       sync.Mutex
	requests []recorded
}

func newFakeSCB(t testing.TB, clock *fakeClock) *fakeSCB {
	f := &fakeSCB{
		t: t, clock: clock,
		config: readFile(t, "v2/config.json"),
		meta:   map[string][]byte{}, cubes: map[string]*Dataset{},
		v1meta: map[string][]byte{}, v1cubes: map[string]*Dataset{},
		v1config: readFile(t, "handmade/v1/config.json"),
	}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

// addTable serves a whole cube as table id: metadata from metaFile when
// given, else the cube without values.
func (f *fakeSCB) addTable(id, cubeFile, metaFile string) {
	cube := decodeFile(f.t, cubeFile)
	f.cubes[id] = cube
	if metaFile != "" {
		f.meta[id] = readFile(f.t, metaFile)
	} else {
		f.meta[id] = encodeJSONStat(cube, false)
	}
}

func (f *fakeSCB) addV1Table(path, cubeFile, metaFile string) {
	f.v1cubes[path] = decodeFile(f.t, cubeFile)
	f.v1meta[path] = readFile(f.t, metaFile)
}

func (f *fakeSCB) client(opts ...Option) *Client {
	opts = append([]Option{
		WithClock(f.clock.now, f.clock.sleep),
		WithV1BaseURL(f.srv.URL + "/OV0104/v1/doris/sv/ssd"),
	}, opts...)
	return New(f.srv.URL+"/api/v2", opts...)
}

func (f *fakeSCB) recorded() []recorded {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]recorded(nil), f.requests...)
}

func (f *fakeSCB) dataRequests() []recorded {
	var out []recorded
	for _, r := range f.recorded() {
		if r.Method == http.MethodPost {
			out = append(out, r)
		}
	}
	return out
}

func problem(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	w.Write(body)
}

func (f *fakeSCB) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	f.requests = append(f.requests, recorded{r.Method, r.URL.Path, r.URL.RawQuery, body, f.clock.now()})
	n := len(f.requests)
	f.mu.Unlock()
	if f.hook != nil && f.hook(w, r, n) {
		return
	}
	const v1 = "/OV0104/v1/doris/sv/ssd"
	switch p := r.URL.Path; {
	case p == "/api/v2/config" && r.Method == http.MethodGet:
		w.Write(f.config)
	case strings.HasPrefix(p, "/api/v2/tables/") && strings.HasSuffix(p, "/metadata") && r.Method == http.MethodGet:
		id := strings.TrimSuffix(strings.TrimPrefix(p, "/api/v2/tables/"), "/metadata")
		m, ok := f.meta[id]
		if !ok {
			problem(w, 404, []byte(`{"type":"Not found","title":"No such table","status":404}`))
			return
		}
		w.Write(m)
	case strings.HasPrefix(p, "/api/v2/tables/") && strings.HasSuffix(p, "/data") && r.Method == http.MethodPost:
		id := strings.TrimSuffix(strings.TrimPrefix(p, "/api/v2/tables/"), "/data")
		var q struct {
			Selection []struct {
				VariableCode string   `json:"variableCode"`
				ValueCodes   []string `json:"valueCodes"`
			} `json:"selection"`
		}
		if err := json.Unmarshal(body, &q); err != nil {
			problem(w, 400, []byte(`{"type":"Parameter error","title":"Bad body","status":400}`))
			return
		}
		sel := map[string][]string{}
		for _, s := range q.Selection {
			sel[s.VariableCode] = s.ValueCodes
		}
		f.answer(w, f.cubes[id], sel)
	case p == v1+"/" && r.URL.RawQuery == "config":
		w.Write(f.v1config)
	case strings.HasPrefix(p, v1+"/START/"):
		path := strings.TrimPrefix(p, v1+"/START/")
		if r.Method == http.MethodGet {
			m, ok := f.v1meta[path]
			if !ok {
				http.Error(w, "not found", 404)
				return
			}
			w.Write(m)
			return
		}
		var q v1Query
		if err := json.Unmarshal(body, &q); err != nil || q.Response.Format != "json-stat2" {
			http.Error(w, "Bad Request", 400)
			return
		}
		sel := map[string][]string{}
		for _, v := range q.Query {
			if v.Selection.Filter != "item" {
				http.Error(w, "fake v1 serves item filters only", 400)
				return
			}
			sel[v.Code] = v.Selection.Values
		}
		f.answer(w, f.v1cubes[path], sel)
	default:
		http.Error(w, "unexpected "+r.Method+" "+p, 404)
	}
}

func (f *fakeSCB) answer(w http.ResponseWriter, cube *Dataset, sel map[string][]string) {
	if cube == nil {
		problem(w, 404, []byte(`{"type":"Not found","title":"No such table","status":404}`))
		return
	}
	n := 1
	for _, codes := range sel {
		n *= len(codes)
	}
	if f.maxCells > 0 && n > f.maxCells {
		problem(w, 403, readFile(f.t, "handmade/errors/403_too_many_cells.json"))
		return
	}
	ds, msg := slice(cube, sel)
	switch msg {
	case "":
	case "duplicate":
		w.WriteHeader(500)
		return
	case "Missing selection for mandantory variable":
		problem(w, 400, readFile(f.t, "handmade/errors/400_missing_selection.json"))
		return
	default:
		problem(w, 400, []byte(fmt.Sprintf(`{"type":"Parameter error","title":%q,"status":400}`, msg)))
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.Write(encodeJSONStat(ds, true))
}
