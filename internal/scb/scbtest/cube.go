package scbtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Cube is a whole table as JSON-stat 2.0, which the server cuts selections
// out of. It is read with its own small parser, not package scb's decoder,
// so the client under test never judges its own fake: values and status
// symbols are passed on as the file has them (a number sent as a string,
// a 0 beside "."), and every member the server does not need to change
// (notes, extensions, units, roles) is served as written.
//
// A Cube is immutable; Select and MapValues return new ones.
type Cube struct {
	top    map[string]json.RawMessage // members other than id, size, dimension, value, status
	dims   []cubeDim
	values []json.RawMessage // dense, row-major (last dimension fastest); "null" when none
	status []string          // dense; "" when none
}

type cubeDim struct {
	id    string
	raw   map[string]json.RawMessage // members other than category
	cat   map[string]json.RawMessage // category members other than index
	codes []string
	pos   map[string]int
}

// SelectionError is why a selection cannot be cut out of a cube; Title is
// what SCB says in its problem+json ("Non-existent value").
type SelectionError struct {
	Title    string
	Variable string
	Code     string
}

func (e *SelectionError) Error() string {
	switch {
	case e.Code != "":
		return fmt.Sprintf("%s: %s=%s", e.Title, e.Variable, e.Code)
	case e.Variable != "":
		return fmt.Sprintf("%s: %s", e.Title, e.Variable)
	}
	return e.Title
}

// SCB's messages (its spelling), as the fake answers them.
const (
	titleNoVariable = "Non-existent variable"
	titleNoValue    = "Non-existent value"
	titleMissing    = "Missing selection for mandantory variable"
	titleDuplicate  = "Duplicate value" // SCB answers a repeated code with a bare 500
)

// ParseCube reads a JSON-stat 2.0 dataset: index as object or array (or
// left out for a single category), values dense or sparse, status as a
// string, array or object.
func ParseCube(b []byte) (*Cube, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(b, &top); err != nil {
		return nil, fmt.Errorf("scbtest: cube: %w", err)
	}
	var ids []string
	var sizes []int
	var dims map[string]map[string]json.RawMessage
	if err := json.Unmarshal(top["id"], &ids); err != nil || len(ids) == 0 {
		return nil, fmt.Errorf("scbtest: cube: bad or empty id (%v)", err)
	}
	if err := json.Unmarshal(top["size"], &sizes); err != nil || len(sizes) != len(ids) {
		return nil, fmt.Errorf("scbtest: cube: size does not fit id (%v)", err)
	}
	if err := json.Unmarshal(top["dimension"], &dims); err != nil {
		return nil, fmt.Errorf("scbtest: cube: dimension: %w", err)
	}
	c := &Cube{top: map[string]json.RawMessage{}}
	for k, v := range top {
		switch k {
		case "id", "size", "dimension", "value", "status":
		default:
			c.top[k] = v
		}
	}
	total := 1
	for i, id := range ids {
		raw, ok := dims[id]
		if !ok {
			return nil, fmt.Errorf("scbtest: cube: dimension %q missing", id)
		}
		d, err := parseDim(id, raw)
		if err != nil {
			return nil, err
		}
		if len(d.codes) != sizes[i] {
			return nil, fmt.Errorf("scbtest: cube: dimension %q has %d categories, size %d", id, len(d.codes), sizes[i])
		}
		c.dims = append(c.dims, d)
		total *= sizes[i]
	}

	c.values = make([]json.RawMessage, total)
	for i := range c.values {
		c.values[i] = json.RawMessage("null")
	}
	switch v := bytes.TrimSpace(top["value"]); {
	case len(v) == 0 || string(v) == "null":
	case v[0] == '[':
		var arr []json.RawMessage
		if err := json.Unmarshal(v, &arr); err != nil {
			return nil, fmt.Errorf("scbtest: cube: value: %w", err)
		}
		if len(arr) > 0 && len(arr) != total {
			return nil, fmt.Errorf("scbtest: cube: %d values for %d cells", len(arr), total)
		}
		copy(c.values, arr)
	default:
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(v, &obj); err != nil {
			return nil, fmt.Errorf("scbtest: cube: value: %w", err)
		}
		for k, x := range obj {
			i, err := strconv.Atoi(k)
			if err != nil || i < 0 || i >= total {
				return nil, fmt.Errorf("scbtest: cube: value index %q", k)
			}
			c.values[i] = x
		}
	}

	c.status = make([]string, total)
	switch s := bytes.TrimSpace(top["status"]); {
	case len(s) == 0 || string(s) == "null":
	case s[0] == '"':
		var all string
		if err := json.Unmarshal(s, &all); err != nil {
			return nil, fmt.Errorf("scbtest: cube: status: %w", err)
		}
		for i := range c.status {
			c.status[i] = all
		}
	case s[0] == '[':
		var arr []*string
		if err := json.Unmarshal(s, &arr); err != nil {
			return nil, fmt.Errorf("scbtest: cube: status: %w", err)
		}
		if len(arr) != total && len(arr) != 1 {
			return nil, fmt.Errorf("scbtest: cube: %d statuses for %d cells", len(arr), total)
		}
		for i := range c.status {
			if p := arr[min(i, len(arr)-1)]; p != nil {
				c.status[i] = *p
			}
		}
	default:
		var obj map[string]string
		if err := json.Unmarshal(s, &obj); err != nil {
			return nil, fmt.Errorf("scbtest: cube: status: %w", err)
		}
		for k, x := range obj {
			i, err := strconv.Atoi(k)
			if err != nil || i < 0 || i >= total {
				return nil, fmt.Errorf("scbtest: cube: status index %q", k)
			}
			c.status[i] = x
		}
	}
	return c, nil
}

func parseDim(id string, raw map[string]json.RawMessage) (cubeDim, error) {
	d := cubeDim{id: id, raw: map[string]json.RawMessage{}, cat: map[string]json.RawMessage{}, pos: map[string]int{}}
	for k, v := range raw {
		if k != "category" {
			d.raw[k] = v
		}
	}
	if err := json.Unmarshal(raw["category"], &d.cat); err != nil {
		return d, fmt.Errorf("scbtest: cube: dimension %q category: %w", id, err)
	}
	idx := bytes.TrimSpace(d.cat["index"])
	delete(d.cat, "index")
	switch {
	case len(idx) == 0 || string(idx) == "null":
		var labels map[string]string
		if err := json.Unmarshal(d.cat["label"], &labels); err != nil || len(labels) != 1 {
			return d, fmt.Errorf("scbtest: cube: dimension %q has no index and not one label", id)
		}
		for code := range labels {
			d.codes = []string{code}
		}
	case idx[0] == '[':
		if err := json.Unmarshal(idx, &d.codes); err != nil {
			return d, fmt.Errorf("scbtest: cube: dimension %q index: %w", id, err)
		}
	default:
		var m map[string]int
		if err := json.Unmarshal(idx, &m); err != nil {
			return d, fmt.Errorf("scbtest: cube: dimension %q index: %w", id, err)
		}
		d.codes = make([]string, len(m))
		for code, i := range m {
			if i < 0 || i >= len(m) || d.codes[i] != "" {
				return d, fmt.Errorf("scbtest: cube: dimension %q index of %q is %d", id, code, i)
			}
			d.codes[i] = code
		}
	}
	for i, code := range d.codes {
		if _, dup := d.pos[code]; dup {
			return d, fmt.Errorf("scbtest: cube: dimension %q lists %q twice", id, code)
		}
		d.pos[code] = i
	}
	return d, nil
}

// Dimensions returns the variable codes in the cube's order.
func (c *Cube) Dimensions() []string {
	out := make([]string, len(c.dims))
	for i, d := range c.dims {
		out[i] = d.id
	}
	return out
}

// Codes returns a variable's value codes in order, nil for no such variable.
func (c *Cube) Codes(variable string) []string {
	for _, d := range c.dims {
		if d.id == variable {
			return append([]string(nil), d.codes...)
		}
	}
	return nil
}

// Len is the number of cells.
func (c *Cube) Len() int { return len(c.values) }

// Cell returns the cell with a code for every variable: its value as
// written in the file (nil for null or a string that is no number) and its
// status symbol.
func (c *Cube) Cell(codes map[string]string) (value *float64, status string, ok bool) {
	n := 0
	for _, d := range c.dims {
		p, found := d.pos[codes[d.id]]
		if !found {
			return nil, "", false
		}
		n = n*len(d.codes) + p
	}
	if len(codes) != len(c.dims) {
		return nil, "", false
	}
	return number(c.values[n]), c.status[n], true
}

func number(raw json.RawMessage) *float64 {
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return nil
	}
	switch x := v.(type) {
	case float64:
		return &x
	case string:
		if f, err := strconv.ParseFloat(strings.TrimSpace(x), 64); err == nil {
			return &f
		}
	}
	return nil
}

// Select cuts the cells of sel (variable → codes) out of the cube, keeping
// the cube's order of variables and values as SCB does; a variable not in
// sel is taken whole. An unknown variable or code, or a code given twice,
// is a *SelectionError.
func (c *Cube) Select(sel map[string][]string) (*Cube, error) {
	return c.cut(sel, false)
}

// cut is Select; strict, as the fake server is, it also refuses a
// selection that leaves a variable out.
func (c *Cube) cut(sel map[string][]string, strict bool) (*Cube, error) {
	for v := range sel {
		if c.Codes(v) == nil {
			return nil, &SelectionError{Title: titleNoVariable, Variable: v}
		}
	}
	out := &Cube{top: c.top}
	keep := make([][]int, len(c.dims)) // per variable, the positions kept
	for i, d := range c.dims {
		codes, ok := sel[d.id]
		if !ok {
			if strict {
				return nil, &SelectionError{Title: titleMissing, Variable: d.id}
			}
			codes = d.codes
		}
		want := map[string]bool{}
		for _, code := range codes {
			if want[code] {
				return nil, &SelectionError{Title: titleDuplicate, Variable: d.id, Code: code}
			}
			if _, ok := d.pos[code]; !ok {
				return nil, &SelectionError{Title: titleNoValue, Variable: d.id, Code: code}
			}
			want[code] = true
		}
		nd := cubeDim{id: d.id, raw: d.raw, pos: map[string]int{}}
		for p, code := range d.codes {
			if want[code] {
				nd.pos[code] = len(nd.codes)
				nd.codes = append(nd.codes, code)
				keep[i] = append(keep[i], p)
			}
		}
		nd.cat = filterByCode(d.cat, d.codes, want, nil)
		nd.raw = filterByCode(d.raw, d.codes, want, map[string]bool{"extension": true})
		out.dims = append(out.dims, nd)
	}
	total := 1
	for _, k := range keep {
		total *= len(k)
	}
	out.values = make([]json.RawMessage, 0, total)
	out.status = make([]string, 0, total)
	odometer := make([]int, len(keep))
	for range total {
		n := 0
		for i, d := range c.dims {
			n = n*len(d.codes) + keep[i][odometer[i]]
		}
		out.values = append(out.values, c.values[n])
		out.status = append(out.status, c.status[n])
		for j := len(odometer) - 1; j >= 0; j-- {
			odometer[j]++
			if odometer[j] < len(keep[j]) {
				break
			}
			odometer[j] = 0
		}
	}
	return out, nil
}

// filterByCode keeps, in members that are objects keyed by the
// dimension's value codes (category label, unit, note; extension
// measuringType, refperiod …), only the selected codes. nested names
// members that hold such objects one level down (a dimension's extension).
func filterByCode(m map[string]json.RawMessage, all []string, want map[string]bool, nested map[string]bool) map[string]json.RawMessage {
	isCode := map[string]bool{}
	for _, c := range all {
		isCode[c] = true
	}
	out := make(map[string]json.RawMessage, len(m))
	for k, v := range m {
		out[k] = v
		var obj map[string]json.RawMessage
		if k == "noteMandatory" || json.Unmarshal(v, &obj) != nil || len(obj) == 0 {
			continue // noteMandatory is keyed by note number, which may look like a code
		}
		if nested[k] {
			out[k] = mustJSON(filterByCode(obj, all, want, nil))
			continue
		}
		keyedByCode := true
		for key := range obj {
			keyedByCode = keyedByCode && isCode[key]
		}
		if !keyedByCode {
			continue
		}
		kept := map[string]json.RawMessage{}
		for key, x := range obj {
			if want[key] {
				kept[key] = x
			}
		}
		out[k] = mustJSON(kept)
	}
	return out
}

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// MapValues returns a copy of the cube with every cell passed through f,
// which gets the cell's codes, its value as written (nil for null) and its
// status, and returns the new value and status.
func (c *Cube) MapValues(f func(codes map[string]string, value *float64, status string) (*float64, string)) *Cube {
	out := &Cube{top: c.top, dims: c.dims,
		values: make([]json.RawMessage, len(c.values)), status: make([]string, len(c.status))}
	odometer := make([]int, len(c.dims))
	for n := range c.values {
		codes := make(map[string]string, len(c.dims))
		for j, d := range c.dims {
			codes[d.id] = d.codes[odometer[j]]
		}
		v, s := f(codes, number(c.values[n]), c.status[n])
		if v == nil {
			out.values[n] = json.RawMessage("null")
		} else {
			out.values[n] = mustJSON(*v)
		}
		out.status[n] = s
		for j := len(odometer) - 1; j >= 0; j-- {
			odometer[j]++
			if odometer[j] < len(c.dims[j].codes) {
				break
			}
			odometer[j] = 0
		}
	}
	return out
}

// JSON writes the cube as json-stat2 data, as SCB answers a data call:
// dense values, a status object, every index an object.
func (c *Cube) JSON() []byte { return c.encode(true) }

// Metadata writes the cube without values, as SCB answers
// /tables/{id}/metadata.
func (c *Cube) Metadata() []byte { return c.encode(false) }

func (c *Cube) encode(withValues bool) []byte {
	out := make(map[string]any, len(c.top)+5)
	for k, v := range c.top {
		out[k] = v
	}
	ids := make([]string, len(c.dims))
	sizes := make([]int, len(c.dims))
	dims := make(map[string]any, len(c.dims))
	for i, d := range c.dims {
		ids[i], sizes[i] = d.id, len(d.codes)
		cat := make(map[string]any, len(d.cat)+1)
		for k, v := range d.cat {
			cat[k] = v
		}
		index := make(map[string]int, len(d.codes))
		for p, code := range d.codes {
			index[code] = p
		}
		cat["index"] = index
		dim := make(map[string]any, len(d.raw)+1)
		for k, v := range d.raw {
			dim[k] = v
		}
		dim["category"] = cat
		dims[d.id] = dim
	}
	out["id"], out["size"], out["dimension"] = ids, sizes, dims
	out["value"] = []json.RawMessage{}
	if withValues {
		out["value"] = c.values
		status := map[string]string{}
		for i, s := range c.status {
			if s != "" {
				status[strconv.Itoa(i)] = s
			}
		}
		if len(status) > 0 {
			out["status"] = status
		}
	}
	return mustJSON(out)
}

// isSelection reports whether err is a *SelectionError with the title.
func isSelection(err error, title string) bool {
	var se *SelectionError
	return errors.As(err, &se) && se.Title == title
}
