package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/inkludera/inkludera/internal/strategy"
)

// koladaEntry is one entry of a Kolada v3 data response, decoded as a
// client would: values into *float64 so that null stays "no data".
type koladaEntry struct {
	KPI          string `json:"kpi"`
	Municipality string `json:"municipality"`
	Period       int    `json:"period"`
	Values       []struct {
		Gender    string   `json:"gender"`
		Count     int      `json:"count"`
		Status    string   `json:"status"`
		Value     *float64 `json:"value"`
		IsDeleted bool     `json:"isdeleted"`
	} `json:"values"`
}

type koladaResponse struct {
	Values      []koladaEntry `json:"values"`
	Count       int           `json:"count"`
	NextURL     *string       `json:"next_url"`
	PreviousURL *string       `json:"previous_url"`
}

// page is a run of entries of the response that came on one page: those
// in [from, to), with where they came from.
type page struct {
	from, to int
	url      string
	at       time.Time
}

// decodeObservations decodes a Kolada v3 data response with encoding/json
// and turns its entries into observations, page by page on workers
// goroutines, as a fetch can with the pages it receives: the values array
// is cut between entries by a scan that follows strings and nesting, each
// page is decoded and converted on its own, and the rest of the object on
// its own. With workers = 1 it is one json.Unmarshal of the whole file,
// then the conversion. keys maps KPI ids to indicator keys.
func decodeObservations(data []byte, workers int, ds *dataset, keys map[string]string) ([]strategy.Observation, []strategy.ObservationKey, error) {
	var resp koladaResponse
	var pages []page
	var decoded [][]koladaEntry // by page
	if workers <= 1 {
		if err := json.Unmarshal(data, &resp); err != nil {
			return nil, nil, err
		}
		pages = ds.pages(len(resp.Values))
		for _, p := range pages {
			decoded = append(decoded, resp.Values[p.from:p.to])
		}
	} else {
		start, end, elems, err := valuesArray(data)
		if err != nil {
			return nil, nil, err
		}
		// The object without its entries gives the other fields.
		head := make([]byte, 0, start+2+len(data)-end)
		head = append(append(append(head, data[:start]...), "[]"...), data[end:]...)
		if err := json.Unmarshal(head, &resp); err != nil {
			return nil, nil, err
		}
		pages = ds.pages(len(elems))
		decoded = make([][]koladaEntry, len(pages))
		errs := make([]error, len(pages))
		each(workers, len(pages), func(i int) {
			p := pages[i]
			text := data[elems[p.from][0]:elems[p.to-1][1]]
			buf := make([]byte, 0, len(text)+2)
			buf = append(append(append(buf, '['), text...), ']')
			errs[i] = json.Unmarshal(buf, &decoded[i])
		})
		if err := errors.Join(errs...); err != nil {
			return nil, nil, err
		}
		resp.Values = make([]koladaEntry, 0, len(elems)) // for the count
		resp.Values = resp.Values[:len(elems)]
	}
	if resp.Count != len(resp.Values) || resp.NextURL != nil {
		return nil, nil, fmt.Errorf("count %d for %d entries, next_url %v", resp.Count, len(resp.Values), resp.NextURL)
	}

	obs := make([][]strategy.Observation, len(pages))
	del := make([][]strategy.ObservationKey, len(pages))
	each(workers, len(pages), func(i int) {
		obs[i], del[i] = convert(decoded[i], pages[i], keys)
		decoded[i] = nil
	})
	return slices.Concat(obs...), slices.Concat(del...), nil
}

// convert turns a page's entries into observations and deletions, as
// Inkludera's Kolada client does.
func convert(entries []koladaEntry, p page, keys map[string]string) ([]strategy.Observation, []strategy.ObservationKey) {
	obs := make([]strategy.Observation, 0, len(entries)*3)
	var deleted []strategy.ObservationKey
	for _, e := range entries {
		key := keys[e.KPI]
		for _, v := range e.Values {
			o := strategy.Observation{Indicator: key, Org: e.Municipality, Year: e.Period, Gender: strategy.Gender(v.Gender)}
			if v.IsDeleted {
				deleted = append(deleted, o.Key())
				continue
			}
			o.Value, o.Status, o.Source, o.SourceURL, o.FetchedAt = v.Value, v.Status, "kolada", p.url, p.at
			obs = append(obs, o)
		}
	}
	return obs, deleted
}

// each calls f(0) … f(n-1) on workers goroutines.
func each(workers, n int, f func(i int)) {
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range next {
				f(i)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}

// valuesArray finds the "values" array of the top-level object: where it
// starts and ends, and where each of its elements does. It checks only
// what it needs to; json.Unmarshal checks the parts.
func valuesArray(data []byte) (start, end int, elems [][2]int, err error) {
	i := skipSpace(data, 0)
	if i >= len(data) || data[i] != '{' {
		return 0, 0, nil, fmt.Errorf("not a JSON object")
	}
	i++
	for {
		i = skipSpace(data, i)
		if i >= len(data) || data[i] != '"' {
			return 0, 0, nil, fmt.Errorf("no \"values\" array at offset %d", i)
		}
		keyEnd := skipString(data, i)
		key := string(data[i:keyEnd])
		i = skipSpace(data, keyEnd)
		if i >= len(data) || data[i] != ':' {
			return 0, 0, nil, fmt.Errorf("expected ':' at offset %d", i)
		}
		i = skipSpace(data, i+1)
		if key != `"values"` {
			i = skipSpace(data, skipValue(data, i))
			if i < len(data) && data[i] == ',' {
				i++
				continue
			}
			return 0, 0, nil, fmt.Errorf("no \"values\" array")
		}
		if i >= len(data) || data[i] != '[' {
			return 0, 0, nil, fmt.Errorf("\"values\" is not an array")
		}
		start = i
		i = skipSpace(data, i+1)
		if i < len(data) && data[i] == ']' {
			return start, i + 1, nil, nil
		}
		for {
			e := skipValue(data, i)
			elems = append(elems, [2]int{i, e})
			i = skipSpace(data, e)
			switch {
			case i < len(data) && data[i] == ',':
				i = skipSpace(data, i+1)
			case i < len(data) && data[i] == ']':
				return start, i + 1, elems, nil
			default:
				return 0, 0, nil, fmt.Errorf("expected ',' or ']' at offset %d", i)
			}
		}
	}
}

func skipSpace(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\n' || data[i] == '\r' || data[i] == '\t') {
		i++
	}
	return i
}

// skipString returns the offset after the string that starts at i.
func skipString(data []byte, i int) int {
	for i++; i < len(data); i++ {
		switch data[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return i
}

// skipValue returns the offset after the value that starts at i.
func skipValue(data []byte, i int) int {
	if i >= len(data) {
		return i
	}
	switch data[i] {
	case '"':
		return skipString(data, i)
	case '{', '[':
		depth := 0
		for i < len(data) {
			switch data[i] {
			case '"':
				i = skipString(data, i)
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return i
	default:
		for i < len(data) && data[i] != ',' && data[i] != '}' && data[i] != ']' &&
			data[i] != ' ' && data[i] != '\n' && data[i] != '\r' && data[i] != '\t' {
			i++
		}
		return i
	}
}

// streamDecoder reads a Kolada v3 data response in one pass over the bytes
// and emits observations as it goes, without building the entries first.
// It accepts any key order, whitespace and escapes, a period or value given
// as a string, skips fields it does not know without checking them, and
// shares the strings that repeat (KPI keys, kommun codes, genders). The
// rest of the file format is checked as it is read.
type streamDecoder struct {
	data  []byte
	i     int
	keys  map[string]string // KPI → indicator key
	codes map[string]string // kommun codes and statuses seen, to share their strings
	slab  []float64         // values are allocated from here, a page at a time
}

func (d *streamDecoder) errorf(format string, args ...any) error {
	return fmt.Errorf("offset %d: %s", d.i, fmt.Sprintf(format, args...))
}

func (d *streamDecoder) space() { d.i = skipSpace(d.data, d.i) }

// next skips space and reports whether the next byte is c, consuming it.
func (d *streamDecoder) next(c byte) bool {
	d.space()
	if d.i < len(d.data) && d.data[d.i] == c {
		d.i++
		return true
	}
	return false
}

func (d *streamDecoder) expect(c byte) error {
	if !d.next(c) {
		return d.errorf("expected %q", c)
	}
	return nil
}

// object calls field for every key of the object that starts here; field
// reads the value.
func (d *streamDecoder) object(field func(key []byte) error) error {
	if err := d.expect('{'); err != nil {
		return err
	}
	if d.next('}') {
		return nil
	}
	for {
		d.space()
		key, err := d.str()
		if err != nil {
			return err
		}
		if err := d.expect(':'); err != nil {
			return err
		}
		d.space()
		if err := field(key); err != nil {
			return err
		}
		if d.next('}') {
			return nil
		}
		if err := d.expect(','); err != nil {
			return err
		}
	}
}

// array calls elem for every element of the array that starts here.
func (d *streamDecoder) array(elem func() error) error {
	if err := d.expect('['); err != nil {
		return err
	}
	if d.next(']') {
		return nil
	}
	for {
		d.space()
		if err := elem(); err != nil {
			return err
		}
		if d.next(']') {
			return nil
		}
		if err := d.expect(','); err != nil {
			return err
		}
	}
}

// str reads a string and returns its content, unescaped.
func (d *streamDecoder) str() ([]byte, error) {
	if d.i >= len(d.data) || d.data[d.i] != '"' {
		return nil, d.errorf("expected a string")
	}
	start := d.i
	end := skipString(d.data, start)
	if end > len(d.data) || d.data[end-1] != '"' || end-start < 2 {
		return nil, d.errorf("unterminated string")
	}
	d.i = end
	raw := d.data[start+1 : end-1]
	if !slices.Contains(raw, '\\') {
		return raw, nil
	}
	var s string
	if err := json.Unmarshal(d.data[start:end], &s); err != nil {
		return nil, d.errorf("%v", err)
	}
	return []byte(s), nil
}

// skip skips a value of a field not read.
func (d *streamDecoder) skip() { d.literal() }

// literal reads a number, true, false or null and returns its text.
func (d *streamDecoder) literal() []byte {
	start := d.i
	d.i = skipValue(d.data, d.i)
	return d.data[start:d.i]
}

// shared returns b as a string shared with earlier equal ones.
func (d *streamDecoder) shared(b []byte) string {
	if s, ok := d.codes[string(b)]; ok {
		return s
	}
	s := string(b)
	d.codes[s] = s
	return s
}

// int reads an integer given as a number or a string.
func (d *streamDecoder) int() (int, error) {
	text := []byte(nil)
	if d.i < len(d.data) && d.data[d.i] == '"' {
		s, err := d.str()
		if err != nil {
			return 0, err
		}
		text = s
	} else {
		text = d.literal()
	}
	n, err := strconv.Atoi(string(text))
	if err != nil {
		return 0, d.errorf("%q is not an integer", text)
	}
	return n, nil
}

// value reads a number, null, or a number in a string, into the slab.
func (d *streamDecoder) value() (*float64, error) {
	var text []byte
	if d.i < len(d.data) && d.data[d.i] == '"' {
		s, err := d.str()
		if err != nil {
			return nil, err
		}
		text = s
	} else {
		text = d.literal()
	}
	if string(text) == "null" {
		return nil, nil
	}
	v, err := strconv.ParseFloat(string(text), 64)
	if err != nil {
		return nil, d.errorf("value %q is not a number", text)
	}
	if len(d.slab) == cap(d.slab) {
		d.slab = make([]float64, 0, 3*perPage)
	}
	d.slab = append(d.slab, v)
	return &d.slab[len(d.slab)-1], nil
}

// decodeStream decodes the response with a streamDecoder; pages says where
// each entry came from.
func decodeStream(data []byte, ds *dataset, keys map[string]string) ([]strategy.Observation, []strategy.ObservationKey, error) {
	d := &streamDecoder{data: data, keys: keys, codes: map[string]string{}}
	obs := make([]strategy.Observation, 0, len(data)/80)
	var deleted []strategy.ObservationKey
	pages := ds.pages(len(ds.kpis) * len(ds.orgs) * ds.years)
	entries, pg, count := 0, 0, -1
	nextURL := false

	type value struct {
		gender  strategy.Gender
		status  string
		v       *float64
		deleted bool
	}
	var values []value
	entry := func() error {
		var key, org string
		year := 0
		values = values[:0]
		err := d.object(func(k []byte) error {
			switch string(k) {
			case "kpi":
				b, err := d.str()
				if err != nil {
					return err
				}
				var ok bool
				if key, ok = d.keys[string(b)]; !ok {
					return d.errorf("KPI %q is not one of the indicators'", b)
				}
			case "municipality":
				b, err := d.str()
				if err != nil {
					return err
				}
				org = d.shared(b)
			case "period":
				y, err := d.int()
				year = y
				return err
			case "values":
				return d.array(func() error {
					var v value
					err := d.object(func(k []byte) error {
						switch string(k) {
						case "gender":
							b, err := d.str()
							v.gender = strategy.Gender(d.shared(b))
							return err
						case "status":
							if d.i < len(d.data) && d.data[d.i] == '"' {
								b, err := d.str()
								v.status = d.shared(b)
								return err
							}
							if string(d.literal()) != "null" {
								return d.errorf("status is neither a string nor null")
							}
						case "value":
							x, err := d.value()
							v.v = x
							return err
						case "isdeleted":
							switch string(d.literal()) {
							case "true", "1":
								v.deleted = true
							case "false", "0":
							default:
								return d.errorf("isdeleted is not a boolean")
							}
						default:
							d.skip()
						}
						return nil
					})
					values = append(values, v)
					return err
				})
			default:
				d.skip()
			}
			return nil
		})
		if err != nil {
			return err
		}
		for pg < len(pages)-1 && pages[pg].to <= entries {
			pg++
		}
		entries++
		for _, v := range values {
			o := strategy.Observation{Indicator: key, Org: org, Year: year, Gender: v.gender}
			if v.deleted {
				deleted = append(deleted, o.Key())
				continue
			}
			o.Value, o.Status, o.Source, o.SourceURL, o.FetchedAt = v.v, v.status, "kolada", pages[pg].url, pages[pg].at
			obs = append(obs, o)
		}
		return nil
	}

	err := d.object(func(k []byte) error {
		switch string(k) {
		case "values":
			return d.array(entry)
		case "count":
			n, err := d.int()
			count = n
			return err
		case "next_url":
			nextURL = string(d.literal()) != "null"
		default:
			d.skip()
		}
		return nil
	})
	if d.space(); err == nil && d.i != len(d.data) {
		err = d.errorf("data after the object")
	}
	if err != nil {
		return nil, nil, err
	}
	if count != entries || nextURL {
		return nil, nil, fmt.Errorf("count %d for %d entries, next_url set: %v", count, entries, nextURL)
	}
	return obs, deleted, nil
}
