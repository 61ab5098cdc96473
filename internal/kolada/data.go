package kolada

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/inkludera/inkludera/internal/strategy"
)

// Query asks for values. At least two of KPIs, Orgs and Years must be set
// (Kolada needs two dimensions); an empty Years means all years.
type Query struct {
	KPIs []string // Kolada KPI ids: "N02926"
	// Orgs are OUR codes ("2380", "23", "00") or Kolada group ids ("G176199").
	Orgs  []string
	Years []int
	// Since asks only for values changed (or deleted) on or after its
	// calendar date, in its own location (from_date); zero asks for all.
	// Repeat the exact query of the last full sync with Since set.
	Since time.Time
	// Meta gives the KPIs' metadata for the Preliminary flag. When nil,
	// Data fetches the metadata of the KPIs it received.
	Meta map[string]KPI
}

// Result is what a Data call brought.
type Result struct {
	// Observations carry Indicator = the Kolada KPI id (the caller maps it
	// to its own indicator key), Org = our code or a group id, Value nil
	// when Kolada has no value, Status as Kolada wrote it, Source "kolada",
	// SourceURL the page's request URL and FetchedAt when it arrived.
	Observations []strategy.Observation
	// Deleted are the keys Kolada flagged isdeleted (from a Since query):
	// delete them. A key that also has a live value in Observations is not
	// listed.
	Deleted []strategy.ObservationKey
	// GroupCounts tells, for values of a group id, how many members
	// contributed; a group's value is the unweighted mean of theirs.
	GroupCounts map[strategy.ObservationKey]int
	// Requests is the number of HTTP requests made, retries included.
	Requests int
	// Warnings tell of skipped rows, repaired text and missing metadata.
	Warnings []string
}

// Data fetches values. The id lists are chunked to Kolada's limits; a
// batch Kolada refuses with 422 is split until single ids, and only then
// is the error returned, naming them. On an error after requests were
// made, the Result holds only Requests and Warnings; a bad query returns
// a nil Result.
func (c *Client) Data(ctx context.Context, q Query) (*Result, error) {
	batches, err := plan(q)
	if err != nil {
		return nil, err
	}
	st := &call{}
	// A failed call still tells how many requests it made and what it
	// noticed, for the record of the failed run.
	failed := func(err error) (*Result, error) {
		return &Result{Requests: st.requests, Warnings: st.warnings}, err
	}
	var pages []dataPageAt
	for _, b := range batches {
		if err := c.fetchBatch(ctx, st, b, q.Since, &pages); err != nil {
			return failed(err)
		}
	}

	meta := q.Meta
	if meta == nil {
		var ids []string
		seen := map[string]bool{}
		for _, p := range pages {
			for _, r := range p.page.Values {
				if !seen[r.KPI] && idPattern.MatchString(r.KPI) {
					seen[r.KPI] = true
					ids = append(ids, r.KPI)
				}
			}
		}
		if len(ids) > 0 {
			kpis, err := c.kpis(ctx, st, ids)
			if err != nil {
				return failed(fmt.Errorf("kolada: metadata for the preliminary flag: %w", err))
			}
			meta = make(map[string]KPI, len(kpis))
			for _, k := range kpis {
				meta[k.ID] = k
			}
		}
	}

	res := &Result{GroupCounts: map[strategy.ObservationKey]int{}}
	now := c.now()
	for _, p := range pages {
		res.add(st, p, meta, now)
	}
	res.finish()
	res.Requests = st.requests
	res.Warnings = st.warnings
	return res, nil
}

// batch is one request's lists: kpi, municipality (Kolada ids), year.
type batch [3][]string

var dimNames = [3]string{"kpi", "municipality", "year"}

func (b batch) product() int {
	p := 1
	for _, l := range b {
		if len(l) > 0 {
			p *= len(l)
		}
	}
	return p
}

// split halves the longest list; ok is false when every list is single.
func (b batch) split() (left, right batch, ok bool) {
	long := 0
	for i := range b {
		if len(b[i]) > len(b[long]) {
			long = i
		}
	}
	n := len(b[long])
	if n <= 1 {
		return b, b, false
	}
	left, right = b, b
	left[long] = b[long][: n/2 : n/2]
	right[long] = b[long][n/2:]
	return left, right, true
}

func (b batch) String() string {
	var parts []string
	for i, l := range b {
		if len(l) > 0 {
			parts = append(parts, dimNames[i]+" "+strings.Join(l, ","))
		}
	}
	return strings.Join(parts, ", ")
}

// plan validates q and cuts it into batches within Kolada's limits.
func plan(q Query) ([]batch, error) {
	var dims batch
	var err error
	if dims[0], err = checkIDs("KPI", q.KPIs); err != nil {
		return nil, err
	}
	for _, o := range q.Orgs {
		id, err := koladaOrg(o)
		if err != nil {
			return nil, err
		}
		dims[1] = append(dims[1], id)
	}
	if dims[1], err = checkIDs("municipality", dims[1]); err != nil {
		return nil, err
	}
	if dims[2], err = yearStrings(q.Years); err != nil {
		return nil, err
	}
	set := 0
	for _, l := range dims {
		if len(l) > 0 {
			set++
		}
	}
	if set < 2 {
		return nil, errors.New("kolada: a data query needs two of KPIs, Orgs and Years")
	}

	batches := []batch{{}}
	for i, l := range dims {
		if len(l) == 0 {
			continue // omitted dimension: all of it
		}
		var next []batch
		for _, b := range batches {
			for _, ch := range chunk(l) {
				b2 := b
				b2[i] = ch
				next = append(next, b2)
			}
		}
		batches = next
	}
	var out []batch
	var bound func(b batch)
	bound = func(b batch) {
		if b.product() > maxProduct {
			if l, r, ok := b.split(); ok {
				bound(l)
				bound(r)
				return
			}
		}
		out = append(out, b)
	}
	for _, b := range batches {
		bound(b)
	}
	return out, nil
}

// dataURL is the path form: /data/kpi/{kpis}/municipality/{ids}/year/{years}
// with empty dimensions left out.
func (c *Client) dataURL(b batch, since time.Time) string {
	var sb strings.Builder
	sb.WriteString(c.base)
	sb.WriteString("/data")
	for i, l := range b {
		if len(l) > 0 {
			sb.WriteString("/" + dimNames[i] + "/" + strings.Join(l, ","))
		}
	}
	v := url.Values{"per_page": {strconv.Itoa(perPage)}}
	if !since.IsZero() {
		v.Set("from_date", since.Format(time.DateOnly))
	}
	sb.WriteString("?" + v.Encode())
	return sb.String()
}

type dataPageAt struct {
	url  string
	at   time.Time
	page dataPage
}

// fetchBatch fetches every page of b. A 422 splits b and fetches both
// halves; pages of a refused batch are dropped, so nothing is counted twice.
func (c *Client) fetchBatch(ctx context.Context, st *call, b batch, since time.Time, out *[]dataPageAt) error {
	var pages []dataPageAt
	err := c.walk(ctx, st, c.dataURL(b, since), func(u string, body []byte, at time.Time) (*string, error) {
		p, err := decodeDataPage(body)
		if err != nil {
			return nil, err
		}
		pages = append(pages, dataPageAt{u, at, p})
		return p.NextURL, nil
	})
	var he *HTTPError
	if errors.As(err, &he) && he.StatusCode == http.StatusUnprocessableEntity {
		left, right, ok := b.split()
		if !ok {
			return fmt.Errorf("kolada: Kolada refuses %s even alone: %w", b, err)
		}
		if err := c.fetchBatch(ctx, st, left, since, out); err != nil {
			return err
		}
		return c.fetchBatch(ctx, st, right, since, out)
	}
	if err != nil {
		return err
	}
	*out = append(*out, pages...)
	return nil
}

// dataPage is one page of /v3/data.
type dataPage struct {
	Values  []dataRow `json:"values"`
	NextURL *string   `json:"next_url"`
}

type dataRow struct {
	KPI          string      `json:"kpi"`
	Municipality string      `json:"municipality"`
	Period       flexInt     `json:"period"`
	Values       []dataValue `json:"values"`
}

type dataValue struct {
	Gender    string   `json:"gender"`
	Count     flexInt  `json:"count"`
	Status    *string  `json:"status"`
	Value     *float64 `json:"value"` // nil is "no data", never 0
	IsDeleted flexBool `json:"isdeleted"`
}

// decodeDataPage reads a data page. It fails on JSON that is not a data
// page; odd rows inside a good page are dealt with by Result.add.
func decodeDataPage(body []byte) (dataPage, error) {
	var p dataPage
	if err := json.Unmarshal(body, &p); err != nil {
		return dataPage{}, fmt.Errorf("decoding data page: %w", err)
	}
	return p, nil
}

// add turns a page's rows into observations, deletions and group counts.
func (r *Result) add(st *call, p dataPageAt, meta map[string]KPI, now time.Time) {
	noMeta := map[string]bool{}
	for _, row := range p.page.Values {
		if !idPattern.MatchString(row.KPI) {
			st.warn("kolada: row with KPI id %q skipped", truncate(row.KPI, 40))
			continue
		}
		org, ok := OrgCode(row.Municipality)
		group := !ok && IsGroupID(row.Municipality)
		if group {
			org = row.Municipality
		} else if !ok {
			st.warn("kolada: %s: id %q is no kommun, region or group; its rows skipped", row.KPI, truncate(row.Municipality, 40))
			continue
		}
		if !row.Period.ok || row.Period.n < 1900 || row.Period.n > 2200 {
			st.warn("kolada: %s %s: period %s is not a year; row skipped", row.KPI, org, row.Period.raw)
			continue
		}
		year := row.Period.n
		k, haveMeta := meta[row.KPI]
		if !haveMeta && !noMeta[row.KPI] {
			noMeta[row.KPI] = true
			st.warn("kolada: no metadata for KPI %s; its values are not marked preliminary", row.KPI)
		}
		for _, v := range row.Values {
			g := strategy.Gender(v.Gender)
			if g != strategy.Total && g != strategy.Women && g != strategy.Men {
				st.warn("kolada: %s %s %d: gender %q skipped", row.KPI, org, year, truncate(v.Gender, 10))
				continue
			}
			key := strategy.ObservationKey{Indicator: row.KPI, Org: org, Year: year, Gender: g}
			if v.IsDeleted {
				r.Deleted = append(r.Deleted, key)
				continue
			}
			o := strategy.Observation{
				Indicator:   row.KPI,
				Org:         org,
				Year:        year,
				Gender:      g,
				Preliminary: haveMeta && k.Preliminary(year, now),
				Source:      "kolada",
				SourceURL:   p.url,
				FetchedAt:   p.at,
			}
			if v.Value != nil {
				x := *v.Value
				o.Value = &x
			}
			if v.Status != nil {
				o.Status = *v.Status
			}
			r.Observations = append(r.Observations, o)
			if group && v.Count.ok {
				r.GroupCounts[key] = v.Count.n
			}
		}
	}
}

// finish drops deletions of keys that also came back with a live value.
func (r *Result) finish() {
	if len(r.Deleted) == 0 {
		return
	}
	live := make(map[strategy.ObservationKey]bool, len(r.Observations))
	for _, o := range r.Observations {
		live[o.Key()] = true
	}
	kept := r.Deleted[:0]
	seen := map[strategy.ObservationKey]bool{}
	for _, k := range r.Deleted {
		if !live[k] && !seen[k] {
			seen[k] = true
			kept = append(kept, k)
		}
	}
	r.Deleted = kept
}
