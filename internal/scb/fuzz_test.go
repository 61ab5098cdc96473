package scb

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/inkludera/inkludera/internal/scb/scbtest"
	"github.com/inkludera/inkludera/internal/strategy"
)

// FuzzParseRef parses source references as people write them in strategy
// files and forms. A reference that parses writes itself (String) as one
// that parses into the same Ref, and a refusal is an invalid strategy.Error
// that quotes the reference.
func FuzzParseRef(f *testing.F) {
	for _, s := range []string{
		"scb:TAB4823?Fodelseregion=11&Alder=*&ContentsCode=000001N6",
		"TAB4823+TAB6645?Fodelseregion=11&Alder=*&ContentsCode=000001N6",
		"SCB:TAB4823+TAB6645?Alder=20,21,22&tab6645.Alder=TotSA&Fodelseregion=09,11&Civil=%C3%A4,1+2",
		"TAB1?Civil=a:b",
		"scb:START/BE/BE0101/BE0101E/InrUtrFoddaRegAlKon?Fodelseregion=11&Alder=*",
		"scb:BE/BE0101/BE0101E/InrUtrFoddaRegAlKon.Alder=1&Kon=1",
		"scb:TAB1?Region=2380", "scb:TAB1+TAB1", "kolada:N02926", "scb:TAB1?X=%zz", "scb:TAB1?X=a%20",
		"scb:TAB1?X=a%C2%A0", "scb:TAB1?X=%E2%80%A8,%FF", // spaces the reading trims, a byte that is no UTF-8
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseRef(s)
		if err != nil {
			if strategy.CodeOf(err) != strategy.CodeInvalid || !strings.HasPrefix(err.Error(), "scb ref ") {
				t.Fatalf("ParseRef(%q): refusal %v is not an invalid strategy.Error about the ref", s, err)
			}
			return
		}
		if len(r.Tables) == 0 || len(r.Tables) > 2 {
			t.Fatalf("ParseRef(%q) = %d tables", s, len(r.Tables))
		}
		canon := r.String()
		again, err := ParseRef(canon)
		if err != nil {
			t.Fatalf("ParseRef(%q) = %+v, whose String %q does not parse: %v", s, r, canon, err)
		}
		if !reflect.DeepEqual(again, r) {
			t.Fatalf("ParseRef(%q) = %+v, but its String %q reads back as %+v", s, r, canon, again)
		}
		if again.String() != canon {
			t.Fatalf("String is not canonical: %q, then %q", canon, again.String())
		}
	})
}

// scbAnswers is a transport that plays SCB without a network: /config and
// the v1 ?config from the fixtures unless set, a table's metadata (v2
// /metadata, or a GET of a v1 table) from meta, and every data call (a
// POST) from data. It counts the calls and records every sleep of the
// client's clock.
type scbAnswers struct {
	config, v1config, meta, data []byte

	mu     sync.Mutex
	calls  int
	now    time.Time
	sleeps []time.Duration
}

func (a *scbAnswers) RoundTrip(req *http.Request) (*http.Response, error) {
	a.mu.Lock()
	a.calls++
	a.mu.Unlock()
	var body []byte
	switch {
	case req.Method == http.MethodPost:
		body = a.data
	case strings.HasSuffix(req.URL.Path, "/config"):
		body = a.config
	case req.URL.RawQuery == "config":
		body = a.v1config
	default:
		body = a.meta
	}
	return &http.Response{StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(bytes.NewReader(body)), Request: req}, nil
}

func (a *scbAnswers) clock() (func() time.Time, func(context.Context, time.Duration) error) {
	now := func() time.Time {
		a.mu.Lock()
		defer a.mu.Unlock()
		return a.now
	}
	sleep := func(ctx context.Context, d time.Duration) error {
		a.mu.Lock()
		defer a.mu.Unlock()
		a.now = a.now.Add(d)
		a.sleeps = append(a.sleeps, d)
		return ctx.Err()
	}
	return now, sleep
}

// client is a client of the answers, on their clock.
func (a *scbAnswers) client(f fixtures) *Client {
	if a.config == nil {
		a.config = f.config
	}
	if a.v1config == nil {
		a.v1config = f.v1config
	}
	a.now = scbtest.Start
	now, sleep := a.clock()
	return New("https://scb.example/api/v2", WithHTTPClient(&http.Client{Transport: a}),
		WithV1BaseURL("https://scb.example/v1/sv/ssd"), WithClock(now, sleep))
}

// longestSleep is the longest single wait the client made.
func (a *scbAnswers) longestSleep() time.Duration {
	a.mu.Lock()
	defer a.mu.Unlock()
	var most time.Duration
	for _, d := range a.sleeps {
		most = max(most, d)
	}
	return most
}

type fixtures struct{ config, v1config []byte }

func readFixtures(tb testing.TB) fixtures {
	return fixtures{config: readFile(tb, "v2/config.json"), v1config: readFile(tb, "handmade/v1/config.json")}
}

// metadataKinds are what FuzzTableMetadata's which picks: the fuzzed bytes
// are the answer to one of these calls.
const (
	v2Metadata = iota
	v1Metadata
	v2Config
	v1Config
	metadataKinds
)

// FuzzTableMetadata feeds arbitrary bytes to the client as a table's v2
// metadata (JSON-stat), a v1 table's metadata, /config or the v1 ?config.
// No panic; a table that is accepted has variables with distinct codes,
// each with distinct value codes that Index finds; whatever a config says,
// the client asks for a positive number of cells per call and never waits
// longer than it would for a Retry-After.
func FuzzTableMetadata(f *testing.F) {
	fx := readFixtures(f)
	f.Add(readFile(f, "v2/TAB6471_metadata.json"), uint8(v2Metadata))
	f.Add(readFile(f, "handmade/v2/TAB4823.json"), uint8(v2Metadata))
	f.Add(readFile(f, "handmade/jsonstat/dense_status_array.json"), uint8(v2Metadata))
	f.Add(readFile(f, "handmade/v1/InrUtrFoddaRegAlKon_metadata.json"), uint8(v1Metadata))
	f.Add([]byte(`{"title":"x","variables":[{"code":"Tid","values":["2020","2020"],"valueTexts":["a"],"time":true},{"code":"ContentsCode","values":[]}]}`), uint8(v1Metadata))
	f.Add(fx.config, uint8(v2Config))
	f.Add([]byte(`{"maxDataCells":-5,"maxCallsPerTimeWindow":1,"timeWindow":86400}`), uint8(v2Config))
	f.Add(fx.v1config, uint8(v1Config))
	f.Add([]byte(`{"maxValues":0,"maxCalls":1,"timeWindow":9223372036}`), uint8(v1Config))
	meta := readFile(f, "v2/TAB6471_metadata.json")

	f.Fuzz(func(t *testing.T, body []byte, which uint8) {
		ctx := context.Background()
		a := &scbAnswers{meta: body}
		switch which % metadataKinds {
		case v2Metadata, v1Metadata:
			c := a.client(fx)
			var tab *Table
			var err error
			if which%metadataKinds == v2Metadata {
				tab, err = c.Table(ctx, "TAB6471")
			} else {
				tab, err = c.V1Table(ctx, scbtest.V1Table)
			}
			if err != nil {
				if !strings.HasPrefix(err.Error(), "scb: ") {
					t.Fatalf("error %q does not say it is SCB's", err)
				}
				return
			}
			checkTable(t, tab)
		case v2Config, v1Config:
			a.meta = meta
			if which%metadataKinds == v2Config {
				a.config = body
			} else {
				a.v1config = body
			}
			c := a.client(fx)
			var n int
			var err error
			if which%metadataKinds == v2Config {
				n, err = c.maxCells(ctx)
			} else {
				n, err = c.v1MaxValues(ctx)
			}
			if err != nil || n <= 0 {
				t.Fatalf("cells per call %d, %v", n, err)
			}
			// More calls than any sane limit allows in one window.
			for range capCalls + 2 {
				if _, err := c.do(ctx, http.MethodGet, "https://scb.example/api/v2/tables/TAB6471/metadata", nil); err != nil {
					t.Fatal(err)
				}
			}
			if d := a.longestSleep(); d > maxRetryAfter {
				t.Fatalf("the client waited %s at once, longer than the %s it grants a Retry-After", d, maxRetryAfter)
			}
		}
	})
}

// checkTable holds table metadata to what the fetch code relies on.
func checkTable(t *testing.T, tab *Table) {
	t.Helper()
	vars := map[string]bool{}
	for i := range tab.Variables {
		v := &tab.Variables[i]
		if vars[v.Code] {
			t.Fatalf("variable %q twice", v.Code)
		}
		vars[v.Code] = true
		if got := tab.Variable(v.Code); got == nil || got.Code != v.Code {
			t.Fatalf("Variable(%q) finds %v", v.Code, got)
		}
		for j, val := range v.Values {
			if k, ok := v.Index(val.Code); !ok || k != j {
				t.Fatalf("variable %q: value %q is number %d, Index says %d, %v", v.Code, val.Code, j, k, ok)
			}
		}
	}
}

// fetchRefs are the references FuzzFetch fetches, by the number it picks:
// a v2 table and a v1 table, both summing over a variable.
var fetchRefs = []string{
	"scb:TAB4823?Fodelseregion=11&Alder=*&ContentsCode=000001N6",
	"scb:" + scbtest.V1Table + "?Fodelseregion=11&Alder=*",
}

// fetchOrgs are the organisations FuzzFetch asks for.
var fetchOrgs = []string{"2380", "2361"}

// FuzzFetch runs Fetch against a table whose metadata and data answers are
// fuzzed, starting from answers recorded from the fake SCB. Fetch may fail,
// never panic; what it returns are observations of the organisations
// asked for, each key once, a missing figure never a number, and warnings
// and notes that are readable.
func FuzzFetch(f *testing.F) {
	fx := readFixtures(f)
	for i, ref := range fetchRefs {
		meta, data := recordFetch(f, ref)
		f.Add(meta, data, uint8(i))
		f.Add(meta, []byte(claimedCube(150)), uint8(i))
	}
	f.Fuzz(func(t *testing.T, meta, data []byte, which uint8) {
		ref, err := ParseRef(fetchRefs[int(which)%len(fetchRefs)])
		if err != nil {
			t.Fatal(err)
		}
		a := &scbAnswers{meta: meta, data: data}
		res, err := a.client(fx).Fetch(context.Background(), ref, fetchOrgs, nil)
		if res == nil {
			t.Fatalf("Fetch returned no result (err %v)", err)
		}
		if res.Requests != a.calls {
			t.Fatalf("Fetch counts %d requests, made %d", res.Requests, a.calls)
		}
		for _, w := range append(res.Warnings, res.Notes...) {
			if w == "" || !utf8.ValidString(w) {
				t.Fatalf("warning or note %q", w)
			}
		}
		if err != nil {
			if len(res.Observations) > 0 || err.Error() == "" {
				t.Fatalf("failed Fetch (%v) kept %d observations", err, len(res.Observations))
			}
			return
		}
		seen := map[strategy.ObservationKey]bool{}
		for _, o := range res.Observations {
			if !strategy.ValidOrgCode(o.Org) || (o.Org != fetchOrgs[0] && o.Org != fetchOrgs[1]) {
				t.Fatalf("observation of org %q, asked for %v", o.Org, fetchOrgs)
			}
			if !o.Gender.Valid() || o.Source != "scb" || o.SourceURL == "" {
				t.Fatalf("observation %+v", o)
			}
			if missingStatus[o.Status] && o.Value != nil {
				t.Fatalf("observation with status %q has value %v", o.Status, *o.Value)
			}
			if seen[o.Key()] {
				t.Fatalf("%v twice", o.Key())
			}
			seen[o.Key()] = true
		}
	})
}

// TestDataAnswerLargerThanAskedIsRefused: a data answer of a few kilobytes
// may claim millions of cells, each costing hundreds of bytes once built;
// one that claims more cells than were asked for is refused unbuilt.
func TestDataAnswerLargerThanAskedIsRefused(t *testing.T) {
	for i, ref := range fetchRefs {
		meta, _ := recordFetch(t, ref)
		r, err := ParseRef(ref)
		if err != nil {
			t.Fatal(err)
		}
		a := &scbAnswers{meta: meta, data: []byte(claimedCube(150))}
		_, err = a.client(readFixtures(t)).Fetch(context.Background(), r, fetchOrgs, nil)
		if err == nil || !strings.Contains(err.Error(), "too large to decode") {
			t.Errorf("%d: err = %v, want the answer refused as too large", i, err)
		}
	}
}

// claimedCube is a JSON-stat answer of three dimensions of n codes each,
// every cell missing: n³ cells in a few kilobytes.
func claimedCube(n int) string {
	codes := make([]string, n)
	for i := range codes {
		codes[i] = strconv.Quote(strconv.Itoa(i))
	}
	index := `{"category":{"index":[` + strings.Join(codes, ",") + `]}}`
	return `{"id":["A","B","C"],"size":[` + strconv.Itoa(n) + `,` + strconv.Itoa(n) + `,` + strconv.Itoa(n) + `],` +
		`"dimension":{"A":` + index + `,"B":` + index + `,"C":` + index + `},"status":".."}`
}

// recordFetch fetches ref from the fake SCB and returns its metadata and
// its (first) data answer, as seeds a fuzzer can start from.
func recordFetch(f testing.TB, ref string) (meta, data []byte) {
	f.Helper()
	srv := scbtest.NewServer(f)
	rec := &recorder{next: http.DefaultTransport}
	c := New(srv.URL, WithClock(srv.Clock.Now, srv.Clock.Sleep), WithV1BaseURL(srv.V1URL),
		WithHTTPClient(&http.Client{Transport: rec}))
	r, err := ParseRef(ref)
	if err != nil {
		f.Fatal(err)
	}
	if _, err := c.Fetch(context.Background(), r, fetchOrgs, nil); err != nil {
		f.Fatalf("recording %s: %v", ref, err)
	}
	if rec.meta == nil || rec.data == nil {
		f.Fatalf("recording %s: no metadata or data answer", ref)
	}
	return rec.meta, rec.data
}

// recorder keeps the first metadata and data bodies that pass through.
type recorder struct {
	next       http.RoundTripper
	meta, data []byte
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := r.next.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	switch {
	case req.Method == http.MethodPost:
		if r.data == nil {
			r.data = body
		}
	case strings.HasSuffix(req.URL.Path, "/config") || req.URL.RawQuery == "config":
	default:
		if r.meta == nil {
			r.meta = body
		}
	}
	return resp, nil
}
