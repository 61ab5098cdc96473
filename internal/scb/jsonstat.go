package scb

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// Dataset is a decoded JSON-stat 2.0 dataset: a cube of cells over its
// dimensions. Cells are dense and in row-major order (the last dimension
// varies fastest), whatever form the values arrived in, so a cell's position
// follows from its codes (see Lookup).
type Dataset struct {
	Label   string
	Source  string
	TableID string    // extension.px.tableid when the server sends it
	Updated time.Time // zero when absent or unparseable
	// Notes are the dataset's notes; MandatoryNotes is the subset SCB marks
	// (extension.noteMandatory) as ones that must be shown with the figures,
	// such as the Cell Key Method note on tables from 2025.
	Notes          []string
	MandatoryNotes []string
	Dimensions     []Dimension
	Cells          []Cell
	// RequestURLs are the calls behind the dataset, one per call when a
	// query was split. v2 calls are written as the equivalent GET URL so
	// that a reader can repeat them; the client itself POSTs.
	RequestURLs []string
}

// Dimension is a variable of a table or dataset with its values in order.
type Dimension struct {
	Code   string
	Label  string
	Role   string // "time", "metric", "geo" or ""
	Values []Value
	// Elimination says the variable may be left out of a query, SCB then
	// summing over it. Only the table metadata means this; in a data
	// response SCB uses the same field differently, so do not read it there.
	Elimination    bool
	Notes          []string
	MandatoryNotes []string

	pos map[string]int // value code → position
}

// Value is one category of a dimension.
type Value struct {
	Code  string
	Label string
	Unit  string // category.unit.base, e.g. "antal"; mostly on ContentsCode
	// MeasuringType is SCB's "Stock", "Flow", "Average" … for contents
	// values; it tells whether monthly figures may be summed to a year.
	MeasuringType string
}

// Cell is one value of a dataset.
type Cell struct {
	Codes map[string]string // dimension code → value code
	// Value is nil when the figure is missing: null in the data, or a
	// status symbol that means missing (see Status). Never 0 for missing.
	Value *float64
	// Status is SCB's symbol kept raw: ".." not available, "." not
	// applicable, ":" confidential, "" none.
	Status string
}

// Index returns the position of a value code in the dimension.
func (d *Dimension) Index(code string) (int, bool) {
	if d.pos == nil {
		// Dimensions made by this package are indexed when built; this is
		// for ones a caller assembled by hand.
		d.buildIndex()
	}
	i, ok := d.pos[code]
	return i, ok
}

func (d *Dimension) buildIndex() {
	d.pos = make(map[string]int, len(d.Values))
	for i, v := range d.Values {
		d.pos[v.Code] = i
	}
}

// Codes returns the dimension's value codes in order.
func (d *Dimension) Codes() []string {
	out := make([]string, len(d.Values))
	for i, v := range d.Values {
		out[i] = v.Code
	}
	return out
}

// Dimension returns the dataset's dimension with the code, or nil.
func (ds *Dataset) Dimension(code string) *Dimension {
	for i := range ds.Dimensions {
		if ds.Dimensions[i].Code == code {
			return &ds.Dimensions[i]
		}
	}
	return nil
}

// Lookup returns the cell with the given value code for every dimension.
func (ds *Dataset) Lookup(codes map[string]string) (Cell, bool) {
	if len(ds.Cells) == 0 {
		return Cell{}, false
	}
	n := 0
	for i := range ds.Dimensions {
		d := &ds.Dimensions[i]
		code, ok := codes[d.Code]
		if !ok {
			return Cell{}, false
		}
		p, ok := d.Index(code)
		if !ok {
			return Cell{}, false
		}
		n = n*len(d.Values) + p
	}
	if n >= len(ds.Cells) {
		return Cell{}, false
	}
	return ds.Cells[n], true
}

// maxDecodeCells bounds the cube a decoder will build. SCB serves at most
// maxDataCells (150 000) per call; the bound stops a small sparse document
// that claims a huge cube from exhausting memory.
var maxDecodeCells = 4_000_000

// missingStatus are the symbols that mean there is no figure. A server
// that sends a number beside one of them (older PxWeb sent 0) is not
// believed: the figure is missing, never 0 (DESIGN §5).
var missingStatus = map[string]bool{"..": true, ".": true, ":": true, "...": true, "…": true}

type rawDataset struct {
	Version   string                  `json:"version"`
	Class     string                  `json:"class"`
	Label     string                  `json:"label"`
	Source    string                  `json:"source"`
	Updated   string                  `json:"updated"`
	Note      json.RawMessage         `json:"note"`
	Role      map[string][]string     `json:"role"`
	ID        []string                `json:"id"`
	Size      []int                   `json:"size"`
	Dimension map[string]rawDimension `json:"dimension"`
	Extension struct {
		NoteMandatory map[string]bool `json:"noteMandatory"`
		Px            struct {
			TableID string `json:"tableid"`
		} `json:"px"`
	} `json:"extension"`
	Value  json.RawMessage `json:"value"`
	Status json.RawMessage `json:"status"`
}

type rawDimension struct {
	Label    string          `json:"label"`
	Note     json.RawMessage `json:"note"`
	Category struct {
		Index json.RawMessage            `json:"index"`
		Label map[string]string          `json:"label"`
		Unit  map[string]json.RawMessage `json:"unit"`
	} `json:"category"`
	Extension struct {
		Elimination   any               `json:"elimination"`
		NoteMandatory map[string]bool   `json:"noteMandatory"`
		MeasuringType map[string]string `json:"measuringType"`
	} `json:"extension"`
}

// DecodeJSONStat decodes a JSON-stat 2.0 dataset, as SCB sends for both
// data and table metadata (a metadata document has an empty value array and
// decodes to a dataset without cells). It accepts the dense (array) and
// sparse (object) value forms and the three status forms (string for every
// cell, array, object keyed by flat index).
func DecodeJSONStat(r io.Reader) (*Dataset, error) {
	return decodeJSONStat(r, maxDecodeCells)
}

// decodeJSONStat is DecodeJSONStat refusing a cube of more than maxCells
// cells before building it. A data call passes the cells it asked for: a
// few kilobytes of answer can claim millions of cells, each of which costs
// hundreds of bytes once built.
func decodeJSONStat(r io.Reader, maxCells int) (*Dataset, error) {
	var raw rawDataset
	dec := json.NewDecoder(r)
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("json-stat: %w", err)
	}
	if raw.Class != "" && raw.Class != "dataset" {
		return nil, fmt.Errorf("json-stat: class %q, want dataset", raw.Class)
	}
	if len(raw.ID) == 0 {
		return nil, errors.New("json-stat: no dimensions (id is empty)")
	}
	if len(raw.ID) != len(raw.Size) {
		return nil, fmt.Errorf("json-stat: %d ids but %d sizes", len(raw.ID), len(raw.Size))
	}
	ds := &Dataset{
		Label:   raw.Label,
		Source:  raw.Source,
		TableID: raw.Extension.Px.TableID,
		Updated: parseUpdated(raw.Updated),
	}
	var err error
	ds.Notes, err = decodeNotes(raw.Note)
	if err != nil {
		return nil, fmt.Errorf("json-stat: note: %w", err)
	}
	ds.MandatoryNotes = mandatory(ds.Notes, raw.Extension.NoteMandatory)

	roles := map[string]string{}
	for role, ids := range raw.Role {
		for _, id := range ids {
			roles[id] = role
		}
	}
	seen := map[string]bool{}
	total := 1
	for i, id := range raw.ID {
		if seen[id] {
			return nil, fmt.Errorf("json-stat: dimension %q listed twice", id)
		}
		seen[id] = true
		rd, ok := raw.Dimension[id]
		if !ok {
			return nil, fmt.Errorf("json-stat: dimension %q in id but not in dimension", id)
		}
		d, err := decodeDimension(id, rd)
		if err != nil {
			return nil, err
		}
		if len(d.Values) != raw.Size[i] {
			return nil, fmt.Errorf("json-stat: dimension %q has %d categories but size %d", id, len(d.Values), raw.Size[i])
		}
		d.Role = roles[id]
		ds.Dimensions = append(ds.Dimensions, d)
		if total > 0 && raw.Size[i] > 0 {
			if total > (1<<62)/raw.Size[i] {
				total = -1 // overflow; only an error if cells are wanted
			} else {
				total *= raw.Size[i]
			}
		} else if raw.Size[i] == 0 {
			total = 0
		}
	}

	values, sparse, err := decodeValues(raw.Value)
	if err != nil {
		return nil, err
	}
	statusAll, statusArr, statusObj, err := decodeStatus(raw.Status)
	if err != nil {
		return nil, err
	}
	hasStatus := statusAll != "" || statusArr != nil || statusObj != nil
	if values == nil && sparse == nil && !hasStatus {
		return ds, nil // table metadata: dimensions only
	}
	if total < 0 || total > maxCells {
		return nil, fmt.Errorf("json-stat: %d dimensions too large to decode (limit %d cells)", len(raw.ID), maxCells)
	}
	if values != nil && len(values) != total {
		return nil, fmt.Errorf("json-stat: %d values for %d cells", len(values), total)
	}
	if statusArr != nil && len(statusArr) != total && len(statusArr) != 1 {
		return nil, fmt.Errorf("json-stat: %d statuses for %d cells", len(statusArr), total)
	}
	if sparse != nil {
		values = make([]*float64, total)
		for k, v := range sparse {
			i, err := strconv.Atoi(k)
			if err != nil || i < 0 || i >= total {
				return nil, fmt.Errorf("json-stat: value index %q outside 0..%d", k, total-1)
			}
			values[i] = v
		}
	}
	if values == nil { // status without values: every cell missing
		values = make([]*float64, total)
	}
	status := make([]string, total)
	switch {
	case statusAll != "":
		for i := range status {
			status[i] = statusAll
		}
	case len(statusArr) == 1:
		for i := range status {
			status[i] = statusArr[0]
		}
	case statusArr != nil:
		copy(status, statusArr)
	case statusObj != nil:
		for k, s := range statusObj {
			i, err := strconv.Atoi(k)
			if err != nil || i < 0 || i >= total {
				return nil, fmt.Errorf("json-stat: status index %q outside 0..%d", k, total-1)
			}
			status[i] = s
		}
	}

	ds.Cells = make([]Cell, total)
	pos := make([]int, len(ds.Dimensions)) // odometer over the dimensions, last fastest
	for n := range total {
		codes := make(map[string]string, len(ds.Dimensions))
		for j := range ds.Dimensions {
			codes[ds.Dimensions[j].Code] = ds.Dimensions[j].Values[pos[j]].Code
		}
		v := values[n]
		if missingStatus[status[n]] {
			v = nil
		}
		ds.Cells[n] = Cell{Codes: codes, Value: v, Status: status[n]}
		for j := len(pos) - 1; j >= 0; j-- {
			pos[j]++
			if pos[j] < len(ds.Dimensions[j].Values) {
				break
			}
			pos[j] = 0
		}
	}
	return ds, nil
}

func decodeDimension(id string, rd rawDimension) (Dimension, error) {
	d := Dimension{Code: id, Label: rd.Label}
	var codes []string
	idx := bytes.TrimSpace(rd.Category.Index)
	switch {
	case len(idx) == 0 || bytes.Equal(idx, []byte("null")):
		// JSON-stat lets a single-category dimension leave out the index.
		if len(rd.Category.Label) != 1 {
			return d, fmt.Errorf("json-stat: dimension %q has no category index and %d labels", id, len(rd.Category.Label))
		}
		for code := range rd.Category.Label {
			codes = []string{code}
		}
	case idx[0] == '[':
		if err := json.Unmarshal(idx, &codes); err != nil {
			return d, fmt.Errorf("json-stat: dimension %q index: %w", id, err)
		}
		seen := map[string]bool{}
		for _, c := range codes {
			if seen[c] {
				return d, fmt.Errorf("json-stat: dimension %q lists code %q twice", id, c)
			}
			seen[c] = true
		}
	default:
		var m map[string]int
		if err := json.Unmarshal(idx, &m); err != nil {
			return d, fmt.Errorf("json-stat: dimension %q index: %w", id, err)
		}
		codes = make([]string, len(m))
		filled := make([]bool, len(m))
		for c, i := range m {
			if i < 0 || i >= len(m) || filled[i] {
				return d, fmt.Errorf("json-stat: dimension %q index of %q is %d, not a free position 0..%d", id, c, i, len(m)-1)
			}
			codes[i], filled[i] = c, true
		}
	}
	d.Values = make([]Value, len(codes))
	for i, c := range codes {
		v := Value{Code: c, Label: rd.Category.Label[c], MeasuringType: rd.Extension.MeasuringType[c]}
		if v.Label == "" {
			v.Label = c
		}
		if u, ok := rd.Category.Unit[c]; ok {
			var unit struct {
				Base string `json:"base"`
			}
			if json.Unmarshal(u, &unit) == nil {
				v.Unit = unit.Base
			}
		}
		d.Values[i] = v
	}
	switch e := rd.Extension.Elimination.(type) {
	case bool:
		d.Elimination = e
	case string:
		d.Elimination = strings.EqualFold(e, "true")
	}
	var err error
	if d.Notes, err = decodeNotes(rd.Note); err != nil {
		return d, fmt.Errorf("json-stat: dimension %q note: %w", id, err)
	}
	d.MandatoryNotes = mandatory(d.Notes, rd.Extension.NoteMandatory)
	d.buildIndex()
	return d, nil
}

// decodeValues returns dense values, or sparse values keyed by flat index.
// Numbers may come as JSON strings; a string that is not a number (some
// servers put the status symbol there) is a missing value.
func decodeValues(raw json.RawMessage) ([]*float64, map[string]*float64, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil, nil, nil
	}
	if raw[0] == '[' {
		var fast []*float64
		if err := json.Unmarshal(raw, &fast); err == nil {
			if len(fast) == 0 {
				return nil, nil, nil
			}
			return fast, nil, nil
		}
		var slow []any
		if err := json.Unmarshal(raw, &slow); err != nil {
			return nil, nil, fmt.Errorf("json-stat: value: %w", err)
		}
		if len(slow) == 0 {
			return nil, nil, nil
		}
		out := make([]*float64, len(slow))
		for i, v := range slow {
			f, err := anyNumber(v)
			if err != nil {
				return nil, nil, fmt.Errorf("json-stat: value %d: %w", i, err)
			}
			out[i] = f
		}
		return out, nil, nil
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, nil, fmt.Errorf("json-stat: value: %w", err)
	}
	out := make(map[string]*float64, len(m))
	for k, v := range m {
		f, err := anyNumber(v)
		if err != nil {
			return nil, nil, fmt.Errorf("json-stat: value %s: %w", k, err)
		}
		out[k] = f
	}
	return nil, out, nil
}

func anyNumber(v any) (*float64, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case float64:
		return &x, nil
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
		if err != nil {
			return nil, nil // a symbol such as ".." in place of a number
		}
		return &f, nil
	default:
		return nil, fmt.Errorf("not a number: %T", v)
	}
}

func decodeStatus(raw json.RawMessage) (all string, arr []string, obj map[string]string, err error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return "", nil, nil, nil
	}
	switch raw[0] {
	case '"':
		err = json.Unmarshal(raw, &all)
	case '[':
		var ptrs []*string
		if err = json.Unmarshal(raw, &ptrs); err == nil {
			arr = make([]string, len(ptrs))
			for i, p := range ptrs {
				if p != nil {
					arr[i] = *p
				}
			}
		}
	default:
		err = json.Unmarshal(raw, &obj)
		if err == nil && obj == nil {
			obj = map[string]string{}
		}
	}
	if err != nil {
		err = fmt.Errorf("json-stat: status: %w", err)
	}
	return all, arr, obj, err
}

func decodeNotes(raw json.RawMessage) ([]string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil, nil
	}
	if raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, err
		}
		return []string{s}, nil
	}
	var notes []string
	if err := json.Unmarshal(raw, &notes); err != nil {
		return nil, err
	}
	return notes, nil
}

func mandatory(notes []string, marks map[string]bool) []string {
	var out []string
	for i, n := range notes {
		if marks[strconv.Itoa(i)] {
			out = append(out, n)
		}
	}
	return out
}

// parseUpdated reads the dataset's timestamp. It is informational, so a
// form we do not know (v1 has sent "2024-01-12T05: 52: 00Z") gives the zero
// time rather than an error.
func parseUpdated(s string) time.Time {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}
