package scb

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// Selection maps a variable code to value codes. "*" selects every value;
// a code may use the wildcards * and ? ("01*" is every code starting 01).
type Selection map[string][]string

// varCodes is one variable of a resolved selection: explicit codes in the
// table's order, so cells can be counted and the query split.
type varCodes struct {
	code  string
	codes []string
}

// Data fetches cells of a table: a v2 id (POST /tables/{id}/data,
// json-stat2) or a v1 path (POST, see V1Data).
//
// Every variable of the table is sent with explicit codes. A variable
// missing from sel is taken whole (every value) — never left to SCB, which
// would either refuse (400 for a mandatory variable) or answer with its
// default selection or an elimination total without saying so. Codes are
// checked against the metadata first. A query larger than the server's
// maxDataCells is split along its largest variable into several calls, and
// the answers are merged into one dataset as if it had been one call.
func (c *Client) Data(ctx context.Context, id string, sel Selection) (*Dataset, error) {
	t, err := c.table(ctx, id)
	if err != nil {
		return nil, err
	}
	vars, err := resolve(t, sel)
	if err != nil {
		return nil, err
	}
	return c.dataVars(ctx, t, vars)
}

// resolve expands sel against the table's metadata into explicit codes for
// every variable, in table order and without duplicates (SCB answers a
// repeated code with a bare 500).
func resolve(t *Table, sel Selection) ([]varCodes, error) {
	for code := range sel {
		if t.Variable(code) == nil {
			return nil, invalid("scb: %s has no variable %q (variables: %s)", t.ID, code, t.variableCodes())
		}
	}
	vars := make([]varCodes, 0, len(t.Variables))
	for i := range t.Variables {
		v := &t.Variables[i]
		asked, found := sel[v.Code]
		if !found {
			for code, codes := range sel {
				if strings.EqualFold(code, v.Code) {
					asked, found = codes, true
					break
				}
			}
		}
		if !found {
			asked = []string{"*"}
		}
		if len(asked) == 0 {
			return nil, invalid("scb: %s: no values selected for %s", t.ID, v.Code)
		}
		codes, err := expandCodes(v, asked)
		if err != nil {
			return nil, invalid("scb: %s: %v", t.ID, err)
		}
		vars = append(vars, varCodes{code: v.Code, codes: codes})
	}
	return vars, nil
}

// expandCodes turns codes and patterns into the matching value codes of
// the variable, in the variable's order.
func expandCodes(v *Dimension, asked []string) ([]string, error) {
	take := make([]bool, len(v.Values))
	for _, a := range asked {
		if strings.ContainsAny(a, "*?") {
			n := 0
			for i, val := range v.Values {
				if glob(a, val.Code) {
					take[i] = true
					n++
				}
			}
			if n == 0 {
				return nil, fmt.Errorf("variable %s has no value matching %q", v.Code, a)
			}
			continue
		}
		i, ok := v.Index(a)
		if !ok {
			for j, val := range v.Values {
				if strings.EqualFold(val.Code, a) {
					i, ok = j, true
					break
				}
			}
		}
		if !ok {
			return nil, fmt.Errorf("variable %s has no value %q (%s)", v.Code, a, sample(v))
		}
		take[i] = true
	}
	var out []string
	for i, t := range take {
		if t {
			out = append(out, v.Values[i].Code)
		}
	}
	return out, nil
}

// sample lists a few of a variable's codes for an error message.
func sample(v *Dimension) string {
	const n = 8
	codes := v.Codes()
	if len(codes) <= n {
		return "values: " + strings.Join(codes, ", ")
	}
	return fmt.Sprintf("values: %s, … (%d in all)", strings.Join(codes[:n], ", "), len(codes))
}

// glob matches * (any run) and ? (one character), as SCB's value
// expressions do.
func glob(pattern, s string) bool {
	p, r := []rune(pattern), []rune(s)
	pi, si, star, mark := 0, 0, -1, 0
	for si < len(r) {
		switch {
		case pi < len(p) && (p[pi] == '?' || p[pi] == r[si]):
			pi++
			si++
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, si
			pi++
		case star >= 0:
			pi = star + 1
			mark++
			si = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}

// cells is the number of cells a selection asks for, saturating rather
// than overflowing.
func cells(vars []varCodes) int {
	n := 1
	for _, v := range vars {
		if len(v.codes) == 0 {
			return 0
		}
		if n > (1<<62)/len(v.codes) {
			return 1 << 62
		}
		n *= len(v.codes)
	}
	return n
}

// largest returns the index of the variable with most codes.
func largest(vars []varCodes) int {
	best := 0
	for i, v := range vars {
		if len(v.codes) > len(vars[best].codes) {
			best = i
		}
	}
	return best
}

// split cuts a selection into parts of at most max cells. It cuts the
// largest variable into as few slices as will do; when even one of its
// codes is too many, it cuts per code and goes on with the next largest.
func split(vars []varCodes, max int) [][]varCodes {
	total := cells(vars)
	if max <= 0 || total <= max {
		return [][]varCodes{vars}
	}
	big := largest(vars)
	n := len(vars[big].codes)
	if n <= 1 {
		return [][]varCodes{vars} // one cell per variable left; let SCB judge
	}
	rest := total / n
	size := max / rest
	if size < 1 {
		size = 1
	}
	var out [][]varCodes
	for lo := 0; lo < n; lo += size {
		hi := min(lo+size, n)
		part := replace(vars, big, vars[big].codes[lo:hi])
		if size == 1 {
			out = append(out, split(part, max)...)
		} else {
			out = append(out, part)
		}
	}
	return out
}

// halve cuts the largest variable in two, for a query SCB refused as too
// large although it was under our count; nil when it cannot be cut.
func halve(vars []varCodes) [][]varCodes {
	big := largest(vars)
	n := len(vars[big].codes)
	if n < 2 {
		return nil
	}
	return [][]varCodes{
		replace(vars, big, vars[big].codes[:n/2]),
		replace(vars, big, vars[big].codes[n/2:]),
	}
}

func replace(vars []varCodes, i int, codes []string) []varCodes {
	out := append([]varCodes(nil), vars...)
	out[i] = varCodes{code: vars[i].code, codes: codes}
	return out
}

// dataVars fetches a resolved selection from a v2 or v1 table, splitting
// it under the cell limit and merging the answers.
func (c *Client) dataVars(ctx context.Context, t *Table, vars []varCodes) (*Dataset, error) {
	var parts []*Dataset
	err := c.eachPart(ctx, t, vars, func(ds *Dataset) error {
		parts = append(parts, ds)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return merge(vars, parts)
}

// eachPart fetches a resolved selection part by part under the cell limit
// and hands each answer to each as it arrives, so a caller that aggregates
// (Fetch) never holds more than one call's cells.
func (c *Client) eachPart(ctx context.Context, t *Table, vars []varCodes, each func(*Dataset) error) error {
	var limit int
	var err error
	call := func(ctx context.Context, vs []varCodes) (*Dataset, error) { return c.postV2(ctx, t, vs) }
	if t.V1() {
		limit, err = c.v1MaxValues(ctx)
		call = func(ctx context.Context, vs []varCodes) (*Dataset, error) {
			// Every variable of the table is selected: the answer has
			// exactly the cells asked for.
			return c.postV1(ctx, t.ID, itemQuery(vs), cells(vs))
		}
	} else {
		limit, err = c.maxCells(ctx)
	}
	if err != nil {
		return err
	}
	return runSplit(ctx, vars, limit, call, each)
}

// runSplit makes the calls for a selection: one per part under the limit,
// and when SCB still refuses a part as too large, that part in halves.
func runSplit(ctx context.Context, vars []varCodes, limit int, call func(context.Context, []varCodes) (*Dataset, error), each func(*Dataset) error) error {
	var run func([]varCodes) error
	run = func(vs []varCodes) error {
		ds, err := call(ctx, vs)
		if err == nil {
			return each(ds)
		}
		if !IsTooManyCells(err) {
			return err
		}
		halves := halve(vs)
		if halves == nil {
			return err
		}
		for _, h := range halves {
			if err := run(h); err != nil {
				return err
			}
		}
		return nil
	}
	for _, part := range split(vars, limit) {
		if err := run(part); err != nil {
			return err
		}
	}
	return nil
}

type v2Query struct {
	Selection []v2Var `json:"selection"`
}

type v2Var struct {
	VariableCode string   `json:"variableCode"`
	ValueCodes   []string `json:"valueCodes"`
}

func (c *Client) postV2(ctx context.Context, t *Table, vars []varCodes) (*Dataset, error) {
	q := v2Query{Selection: make([]v2Var, len(vars))}
	for i, v := range vars {
		q.Selection[i] = v2Var{VariableCode: v.code, ValueCodes: v.codes}
	}
	body, err := json.Marshal(q)
	if err != nil {
		return nil, fmt.Errorf("scb: %w", err)
	}
	u := c.base + "/tables/" + url.PathEscape(t.ID) + "/data?lang=" + url.QueryEscape(c.lang) + "&outputFormat=json-stat2"
	resp, err := c.do(ctx, http.MethodPost, u, body)
	if err != nil {
		return nil, err
	}
	ds, err := decodeJSONStat(bytes.NewReader(resp), min(cells(vars), maxDecodeCells))
	if err != nil {
		return nil, fmt.Errorf("scb: data of %s: %w", t.ID, err)
	}
	if err := checkDims(t.ID, ds, vars); err != nil {
		return nil, err
	}
	ds.RequestURLs = []string{c.getURL(t, vars)}
	return ds, nil
}

// checkDims makes sure the answer kept every variable asked for: one that
// went missing would have been summed over behind our back.
func checkDims(id string, ds *Dataset, vars []varCodes) error {
	if len(ds.Cells) == 0 && cells(vars) > 0 {
		return fmt.Errorf("scb: %s answered without data", id)
	}
	for _, v := range vars {
		if ds.Dimension(v.code) == nil {
			return fmt.Errorf("scb: %s answered without variable %s, which was selected", id, v.code)
		}
	}
	return nil
}

// getURL writes a v2 call as the GET URL that repeats it, for provenance;
// a variable taken whole is written "*".
func (c *Client) getURL(t *Table, vars []varCodes) string {
	var b strings.Builder
	b.WriteString(c.base + "/tables/" + url.PathEscape(t.ID) + "/data?lang=" + url.QueryEscape(c.lang) + "&outputFormat=json-stat2")
	for _, v := range vars {
		b.WriteString("&valueCodes[" + url.QueryEscape(v.code) + "]=")
		if tv := t.Variable(v.code); tv != nil && len(v.codes) > 1 && len(v.codes) == len(tv.Values) {
			b.WriteString("*")
			continue
		}
		for i, code := range v.codes {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(url.QueryEscape(code))
		}
	}
	return b.String()
}

// merge puts the answers to the parts of a split query back together: the
// dimensions take every code asked for, in the order asked, and the cells
// are laid out row-major again, so the result equals one big call.
func merge(vars []varCodes, parts []*Dataset) (*Dataset, error) {
	if len(parts) == 0 {
		return nil, fmt.Errorf("scb: no data")
	}
	if len(parts) == 1 {
		return parts[0], nil
	}
	first := parts[0]
	out := &Dataset{
		Label: first.Label, Source: first.Source, TableID: first.TableID, Updated: first.Updated,
		Notes: first.Notes, MandatoryNotes: first.MandatoryNotes,
	}
	asked := map[string][]string{}
	for _, v := range vars {
		asked[v.code] = v.codes
	}
	for _, p := range parts {
		if len(p.Dimensions) != len(first.Dimensions) {
			return nil, fmt.Errorf("scb: parts of a split query have different dimensions")
		}
		if p.Updated.After(out.Updated) {
			out.Updated = p.Updated
		}
		out.RequestURLs = append(out.RequestURLs, p.RequestURLs...)
	}
	for i := range first.Dimensions {
		fd := &first.Dimensions[i]
		d := Dimension{Code: fd.Code, Label: fd.Label, Role: fd.Role, Elimination: fd.Elimination,
			Notes: fd.Notes, MandatoryNotes: fd.MandatoryNotes}
		seen := map[string]Value{}
		var order []string
		for _, p := range parts {
			pd := p.Dimension(fd.Code)
			if pd == nil {
				return nil, fmt.Errorf("scb: a part of a split query lacks dimension %s", fd.Code)
			}
			for _, v := range pd.Values {
				if _, ok := seen[v.Code]; !ok {
					seen[v.Code] = v
					order = append(order, v.Code)
				}
			}
		}
		if want, ok := asked[fd.Code]; ok {
			order = order[:0]
			for _, code := range want {
				if _, ok := seen[code]; ok {
					order = append(order, code)
				}
			}
		}
		for _, code := range order {
			d.Values = append(d.Values, seen[code])
		}
		d.buildIndex()
		out.Dimensions = append(out.Dimensions, d)
	}
	byKey := map[string]Cell{}
	key := func(codes map[string]string) string {
		var b strings.Builder
		for _, d := range out.Dimensions {
			b.WriteString(codes[d.Code])
			b.WriteByte(0)
		}
		return b.String()
	}
	for _, p := range parts {
		for _, cell := range p.Cells {
			byKey[key(cell.Codes)] = cell
		}
	}
	total := 1
	for _, d := range out.Dimensions {
		total *= len(d.Values)
	}
	out.Cells = make([]Cell, 0, total)
	pos := make([]int, len(out.Dimensions))
	for range total {
		codes := make(map[string]string, len(out.Dimensions))
		for j, d := range out.Dimensions {
			codes[d.Code] = d.Values[pos[j]].Code
		}
		cell, ok := byKey[key(codes)]
		if !ok {
			cell = Cell{Codes: codes} // not returned: missing, never 0
		}
		out.Cells = append(out.Cells, cell)
		for j := len(pos) - 1; j >= 0; j-- {
			pos[j]++
			if pos[j] < len(out.Dimensions[j].Values) {
				break
			}
			pos[j] = 0
		}
	}
	return out, nil
}

// V1Variable is one variable of a v1 query.
type V1Variable struct {
	Code      string      `json:"code"`
	Selection V1Selection `json:"selection"`
}

// V1Selection is a v1 filter: "item" with codes, "all" with patterns
// ("*"), "top" with a count, or "agg:…"/"vs:…" with a grouping or value set.
type V1Selection struct {
	Filter string   `json:"filter"`
	Values []string `json:"values"`
}

type v1Query struct {
	Query    []V1Variable `json:"query"`
	Response struct {
		Format string `json:"format"`
	} `json:"response"`
}

// V1Data posts a v1 query for the table at path (below the v1 root, e.g.
// "BE/BE0101/BE0101E/InrUtrFoddaRegAlKon") asking for json-stat2, and
// decodes the answer. v1 eliminates (sums over) variables left out of the
// query where the table allows it, so list every variable unless that is
// what you want. When every filter is "item", a query over the server's
// maxValues is split and merged like Data's.
func (c *Client) V1Data(ctx context.Context, path string, query []V1Variable) (*Dataset, error) {
	p, err := v1Path(path)
	if err != nil {
		return nil, err
	}
	var vars []varCodes
	for _, q := range query {
		if q.Selection.Filter != "item" {
			vars = nil
			break
		}
		vars = append(vars, varCodes{code: q.Code, codes: q.Selection.Values})
	}
	if vars == nil {
		return c.postV1(ctx, p, query, maxDecodeCells)
	}
	limit, err := c.v1MaxValues(ctx)
	if err != nil {
		return nil, err
	}
	var parts []*Dataset
	err = runSplit(ctx, vars, limit, func(ctx context.Context, vs []varCodes) (*Dataset, error) {
		// The caller may leave variables out, whose values the
		// answer then holds in ways a count of codes does not tell.
		return c.postV1(ctx, p, itemQuery(vs), maxDecodeCells)
	}, func(ds *Dataset) error {
		parts = append(parts, ds)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return merge(vars, parts)
}

func itemQuery(vars []varCodes) []V1Variable {
	q := make([]V1Variable, len(vars))
	for i, v := range vars {
		q[i] = V1Variable{Code: v.code, Selection: V1Selection{Filter: "item", Values: v.codes}}
	}
	return q
}

// postV1 posts a v1 query and decodes an answer of at most maxCells cells.
func (c *Client) postV1(ctx context.Context, p string, query []V1Variable, maxCells int) (*Dataset, error) {
	var q v1Query
	q.Query = query
	if q.Query == nil {
		q.Query = []V1Variable{}
	}
	q.Response.Format = "json-stat2"
	body, err := json.Marshal(q)
	if err != nil {
		return nil, fmt.Errorf("scb: %w", err)
	}
	u := c.v1URL(p)
	resp, err := c.do(ctx, http.MethodPost, u, body)
	if err != nil {
		return nil, err
	}
	ds, err := decodeJSONStat(bytes.NewReader(bytes.TrimPrefix(resp, []byte("\xef\xbb\xbf"))), min(maxCells, maxDecodeCells))
	if err != nil {
		return nil, fmt.Errorf("scb: v1 data of %s: %w", p, err)
	}
	var vars []varCodes
	for _, v := range query {
		vars = append(vars, varCodes{code: v.Code, codes: v.Selection.Values})
	}
	if err := checkDims(p, ds, vars); err != nil {
		return nil, err
	}
	ds.RequestURLs = []string{u}
	return ds, nil
}

// v1MaxValues reads the v1 root's ?config once ({"maxValues", "maxCalls",
// "timeWindow"}), adding its call limit to the limiter. If it cannot be
// read, the published 100 000 values apply.
func (c *Client) v1MaxValues(ctx context.Context) (int, error) {
	c.mu.Lock()
	n := c.v1Max
	c.mu.Unlock()
	if n > 0 {
		return n, nil
	}
	n = fallbackMaxCells
	body, err := c.do(ctx, http.MethodGet, c.v1base+"/?config", nil)
	if err != nil && ctx.Err() != nil {
		return 0, ctx.Err()
	}
	if err == nil {
		var cfg struct {
			MaxValues  int `json:"maxValues"`
			MaxCalls   int `json:"maxCalls"`
			TimeWindow int `json:"timeWindow"`
		}
		if json.Unmarshal(body, &cfg) == nil {
			if cfg.MaxValues > 0 {
				n = cfg.MaxValues
			}
			if cfg.MaxCalls > 0 && cfg.TimeWindow > 0 {
				c.lim.add(cfg.MaxCalls, configWindow(cfg.TimeWindow))
			}
		}
	}
	if c.maxCellsOpt > 0 && c.maxCellsOpt < n {
		n = c.maxCellsOpt
	}
	c.mu.Lock()
	c.v1Max = n
	c.mu.Unlock()
	return n, nil
}
