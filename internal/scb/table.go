package scb

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/inkludera/inkludera/internal/strategy"
)

// Table is a table's metadata: its variables and every value code.
type Table struct {
	// ID is the v2 id ("TAB4823") or the v1 path
	// ("BE/BE0101/BE0101E/InrUtrFoddaRegAlKon").
	ID             string
	Label          string
	Updated        time.Time
	Notes          []string
	MandatoryNotes []string
	Variables      []Dimension
}

// V1 reports whether the table lives in the v1 API (its id is a path).
func (t *Table) V1() bool { return isV1(t.ID) }

func isV1(id string) bool { return strings.Contains(id, "/") }

// Variable returns the variable with the code, or nil. SCB's codes are
// not case-sensitive, so a match ignoring case is accepted when there is no
// exact one.
func (t *Table) Variable(code string) *Dimension {
	for i := range t.Variables {
		if t.Variables[i].Code == code {
			return &t.Variables[i]
		}
	}
	for i := range t.Variables {
		if strings.EqualFold(t.Variables[i].Code, code) {
			return &t.Variables[i]
		}
	}
	return nil
}

// TimeVariable returns the variable with the time role ("Tid" at SCB).
func (t *Table) TimeVariable() *Dimension {
	for i := range t.Variables {
		if t.Variables[i].Role == "time" {
			return &t.Variables[i]
		}
	}
	return t.Variable("Tid")
}

func (t *Table) variableCodes() string {
	codes := make([]string, len(t.Variables))
	for i, v := range t.Variables {
		codes[i] = v.Code
	}
	return strings.Join(codes, ", ")
}

// Table returns the v2 metadata of a table (GET /tables/{id}/metadata,
// json-stat2). It is cached for the client's lifetime.
func (c *Client) Table(ctx context.Context, id string) (*Table, error) {
	if id == "" || isV1(id) {
		return nil, invalid("scb: %q is not a v2 table id (use V1Table for a v1 path)", id)
	}
	if t := c.cached(id); t != nil {
		return t, nil
	}
	u := c.base + "/tables/" + url.PathEscape(id) + "/metadata?lang=" + url.QueryEscape(c.lang)
	body, err := c.do(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, noTable(id, err)
	}
	ds, err := DecodeJSONStat(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("scb: metadata of %s: %w", id, err)
	}
	t := &Table{
		ID: id, Label: ds.Label, Updated: ds.Updated,
		Notes: ds.Notes, MandatoryNotes: ds.MandatoryNotes,
		Variables: ds.Dimensions,
	}
	c.store(id, t)
	return t, nil
}

// V1Table returns the metadata of a v1 table (GET on its path). It is
// cached for the client's lifetime.
func (c *Client) V1Table(ctx context.Context, path string) (*Table, error) {
	p, err := v1Path(path)
	if err != nil {
		return nil, err
	}
	if t := c.cached(p); t != nil {
		return t, nil
	}
	body, err := c.do(ctx, http.MethodGet, c.v1URL(p), nil)
	if err != nil {
		return nil, noTable(p, err)
	}
	var meta struct {
		Title     string `json:"title"`
		Variables []struct {
			Code        string   `json:"code"`
			Text        string   `json:"text"`
			Values      []string `json:"values"`
			ValueTexts  []string `json:"valueTexts"`
			Elimination bool     `json:"elimination"`
			Time        bool     `json:"time"`
		} `json:"variables"`
	}
	if err := json.Unmarshal(body, &meta); err != nil {
		return nil, fmt.Errorf("scb: v1 metadata of %s: %w", p, err)
	}
	if len(meta.Variables) == 0 {
		return nil, fmt.Errorf("scb: v1 metadata of %s has no variables (is it a table or a folder?)", p)
	}
	t := &Table{ID: p, Label: meta.Title}
	// As in JSON-stat, a code given twice would make a selection, and the
	// cells it names, ambiguous.
	seen := map[string]bool{}
	for _, v := range meta.Variables {
		if seen[v.Code] {
			return nil, fmt.Errorf("scb: v1 metadata of %s lists variable %q twice", p, v.Code)
		}
		seen[v.Code] = true
		d := Dimension{Code: v.Code, Label: v.Text, Elimination: v.Elimination}
		switch {
		case v.Time:
			d.Role = "time"
		case v.Code == "ContentsCode":
			d.Role = "metric"
		}
		for i, code := range v.Values {
			label := code
			if i < len(v.ValueTexts) {
				label = v.ValueTexts[i]
			}
			d.Values = append(d.Values, Value{Code: code, Label: label})
		}
		d.buildIndex()
		if len(d.pos) != len(d.Values) {
			return nil, fmt.Errorf("scb: v1 metadata of %s: variable %q lists a code twice", p, v.Code)
		}
		t.Variables = append(t.Variables, d)
	}
	c.store(p, t)
	return t, nil
}

// noTable turns SCB's 404 for a table into a not-found strategy.Error:
// the id came from a reference someone wrote, so they should see it.
func noTable(id string, err error) error {
	var ae *APIError
	if errors.As(err, &ae) && ae.StatusCode == http.StatusNotFound {
		return &strategy.Error{Code: strategy.CodeNotFound, Message: fmt.Sprintf("scb: no table %s", id), Err: err}
	}
	return err
}

// table returns the metadata of a v2 id or a v1 path.
func (c *Client) table(ctx context.Context, id string) (*Table, error) {
	if isV1(id) {
		return c.V1Table(ctx, id)
	}
	return c.Table(ctx, id)
}

func (c *Client) cached(id string) *Table {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.tables[id]
}

func (c *Client) store(id string, t *Table) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.tables[id] = t
}

// v1Path normalises a v1 table path: no slashes at the ends, and no
// "START/" prefix (v1URL puts it back).
func v1Path(path string) (string, error) {
	p := strings.Trim(path, "/")
	p = strings.TrimPrefix(p, "START/")
	if p == "" || !strings.Contains(p, "/") {
		return "", invalid("scb: %q is not a v1 table path like BE/BE0101/BE0101E/InrUtrFoddaRegAlKon", path)
	}
	for _, seg := range strings.Split(p, "/") {
		if seg == "" || seg == "." || seg == ".." {
			return "", invalid("scb: v1 path %q has an empty or relative segment", path)
		}
	}
	return p, nil
}

// v1URL is the address of a v1 table. SCB documents it below "START/".
func (c *Client) v1URL(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return c.v1base + "/START/" + strings.Join(segs, "/")
}
