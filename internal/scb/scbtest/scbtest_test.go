package scbtest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/inkludera/inkludera/internal/scb"
	"github.com/inkludera/inkludera/internal/scb/scbtest"
)

func decode(t *testing.T, b []byte) *scb.Dataset {
	t.Helper()
	ds, err := scb.DecodeJSONStat(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

// The cube's own parser and encoder must agree with package scb's decoder
// on every fixture: what the server serves is what the file says.
func TestCubeAgreesWithDecoder(t *testing.T) {
	srv := scbtest.NewServer(t, scbtest.WithoutTables())
	for _, file := range []string{
		"handmade/v2/TAB4823.json",
		"handmade/v2/TAB6645.json",
		"v2/TAB6471_data.json",
		"handmade/v1/InrUtrFoddaRegAlKon.json",
		"handmade/jsonstat/dense_status_array.json",
		"handmade/jsonstat/sparse_status_object.json",
		"handmade/jsonstat/status_string.json",
	} {
		t.Run(file, func(t *testing.T) {
			want := decode(t, srv.ReadFile(file))
			cube := srv.LoadCube(file)
			got := decode(t, cube.JSON())
			if !reflect.DeepEqual(got.Cells, want.Cells) {
				t.Error("cells differ")
			}
			if !reflect.DeepEqual(got.Notes, want.Notes) || !reflect.DeepEqual(got.MandatoryNotes, want.MandatoryNotes) ||
				got.Label != want.Label || got.TableID != want.TableID || !got.Updated.Equal(want.Updated) {
				t.Errorf("dataset = %+v, want %+v", got, want)
			}
			meta := decode(t, cube.Metadata())
			if len(meta.Cells) != 0 {
				t.Errorf("metadata has %d cells", len(meta.Cells))
			}
			for i, d := range want.Dimensions {
				for _, g := range []scb.Dimension{got.Dimensions[i], meta.Dimensions[i]} {
					if g.Code != d.Code || g.Label != d.Label || g.Role != d.Role || g.Elimination != d.Elimination ||
						!reflect.DeepEqual(g.Values, d.Values) {
						t.Errorf("dimension %s = %+v, want %+v", d.Code, g, d)
					}
				}
			}
			if cube.Len() != len(want.Cells) || !reflect.DeepEqual(cube.Dimensions(), codes(want)) {
				t.Errorf("Len %d, Dimensions %v", cube.Len(), cube.Dimensions())
			}
		})
	}
}

func codes(ds *scb.Dataset) []string {
	var out []string
	for _, d := range ds.Dimensions {
		out = append(out, d.Code)
	}
	return out
}

func TestCubeSelect(t *testing.T) {
	srv := scbtest.NewServer(t)
	whole := srv.Cube("TAB6471")
	// Codes in another order than the cube's: the answer keeps the cube's.
	part, err := whole.Select(map[string][]string{"Region": {"25", "01"}, "Tid": {"2026M04"}, "ContentsCode": {"000007SF"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := part.Codes("Region"); !reflect.DeepEqual(got, []string{"01", "25"}) {
		t.Errorf("regions %v", got)
	}
	if part.Len() != 2*11*3 || !reflect.DeepEqual(part.Codes("Alder"), whole.Codes("Alder")) {
		t.Errorf("%d cells, ages %v", part.Len(), part.Codes("Alder"))
	}
	ds := decode(t, part.JSON())
	full := decode(t, srv.ReadFile("v2/TAB6471_data.json"))
	for _, c := range ds.Cells {
		w, ok := full.Lookup(c.Codes)
		if !ok || !reflect.DeepEqual(c, w) {
			t.Fatalf("cell %v = %+v, want %+v", c.Codes, c, w)
		}
	}
	// Code-keyed members of a dimension keep only the codes selected.
	var raw struct {
		Dimension map[string]struct {
			Category struct {
				Label map[string]string `json:"label"`
			} `json:"category"`
			Extension map[string]json.RawMessage `json:"extension"`
		} `json:"dimension"`
	}
	if err := json.Unmarshal(part.JSON(), &raw); err != nil {
		t.Fatal(err)
	}
	if n := len(raw.Dimension["Region"].Category.Label); n != 2 {
		t.Errorf("%d region labels", n)
	}
	v, status, ok := part.Cell(map[string]string{"Region": "25", "Alder": "0-9", "Kon": "TotSa", "ContentsCode": "000007SF", "Tid": "2026M04"})
	if !ok || v == nil || *v != 21587 || status != "" {
		t.Errorf("cell = %v %q %v", v, status, ok)
	}

	for _, tc := range []struct {
		sel   map[string][]string
		title string
	}{
		{map[string][]string{"Kommun": {"01"}}, "Non-existent variable"},
		{map[string][]string{"Region": {"9999"}}, "Non-existent value"},
		{map[string][]string{"Region": {"01", "01"}}, "Duplicate value"},
	} {
		_, err := whole.Select(tc.sel)
		var se *scbtest.SelectionError
		if !errors.As(err, &se) || se.Title != tc.title {
			t.Errorf("Select(%v) = %v, want %q", tc.sel, err, tc.title)
		}
	}
}

func TestCubeMapValues(t *testing.T) {
	srv := scbtest.NewServer(t)
	cube := srv.Cube("TAB3554") // "277.3" as a string, a 0 beside "."
	doubled := cube.MapValues(func(_ map[string]string, v *float64, status string) (*float64, string) {
		if v != nil {
			d := *v * 2
			v = &d
		}
		return v, status
	})
	at := func(c *scbtest.Cube, kon, tid string) (*float64, string) {
		v, s, ok := c.Cell(map[string]string{"Kon": kon, "ContentsCode": "HE0110J8", "Tid": tid})
		if !ok {
			t.Fatalf("no cell %s %s", kon, tid)
		}
		return v, s
	}
	if v, s := at(doubled, "1", "2022"); v == nil || *v != 554.6 || s != "" {
		t.Errorf("doubled string number = %v %q", v, s)
	}
	if v, s := at(cube, "1", "2022"); v == nil || *v != 277.3 || s != "" {
		t.Errorf("the original changed: %v %q", v, s)
	}
	// The file's 0 beside "." is passed on as written; the decoder drops it.
	if v, s := at(cube, "2", "2021"); v == nil || *v != 0 || s != "." {
		t.Errorf("0 beside . = %v %q", v, s)
	}
	ds := decode(t, doubled.JSON())
	if c, _ := ds.Lookup(map[string]string{"Kon": "2", "ContentsCode": "HE0110J8", "Tid": "2021"}); c.Value != nil || c.Status != "." {
		t.Errorf("decoded = %+v", c)
	}
}

func client(srv *scbtest.Server, opts ...scb.Option) *scb.Client {
	return scb.New(srv.URL, append([]scb.Option{scb.WithClock(srv.Clock.Now, srv.Clock.Sleep), scb.WithV1BaseURL(srv.V1URL)}, opts...)...)
}

func TestServerServesFixtures(t *testing.T) {
	srv := scbtest.NewServer(t)
	ctx := context.Background()
	c := client(srv)
	for _, id := range []string{"TAB4823", "TAB6645", "TAB6471", "TAB3554"} {
		if _, err := c.Table(ctx, id); err != nil {
			t.Errorf("%s: %v", id, err)
		}
	}
	if _, err := c.V1Table(ctx, scbtest.V1Table); err != nil {
		t.Error(err)
	}
	ds, err := c.Data(ctx, "TAB4823", scb.Selection{"Region": {"2380"}, "Tid": {"2024"}})
	if err != nil || len(ds.Cells) != 16 {
		t.Fatalf("data: %v", err)
	}
	reqs := srv.Requests()
	last := reqs[len(reqs)-1]
	if last.N != len(reqs) || !last.Data || last.Table != "TAB4823" || last.Status != http.StatusOK || last.Injected ||
		last.Method != http.MethodPost || last.Path != "/api/v2/tables/TAB4823/data" || !last.At.Equal(srv.Clock.Now()) {
		t.Errorf("last request %+v", last)
	}
	if got := len(srv.DataRequests()); got != 1 {
		t.Errorf("%d data requests", got)
	}
	srv.ResetRequests()
	if len(srv.Requests()) != 0 {
		t.Error("not reset")
	}

	// Stricter than SCB: every variable must be selected.
	resp, err := http.Post(srv.URL+"/tables/TAB4823/data", "application/json",
		strings.NewReader(`{"selection":[{"variableCode":"Region","valueCodes":["2380"]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 400 || !strings.Contains(string(body), "Missing selection for mandantory variable") {
		t.Errorf("partial selection: %d %s", resp.StatusCode, body)
	}
	if srv.Requests()[0].N != len(reqs)+1 {
		t.Errorf("numbering restarted: %+v", srv.Requests()[0])
	}

	srv.RemoveTable("TAB4823")
	if _, err := client(srv).Table(ctx, "TAB4823"); err == nil || !strings.Contains(err.Error(), "HTTP 404") {
		t.Errorf("removed table: %v", err)
	}
}

func TestFailures(t *testing.T) {
	ctx := context.Background()
	sel := scb.Selection{"Region": {"2380"}, "Tid": {"2024"}}
	t.Run("a table's data after N calls, then for ever", func(t *testing.T) {
		srv := scbtest.NewServer(t)
		fault := srv.Fail(scbtest.Failure{Table: "TAB4823", Data: true, After: 2, Status: http.StatusInternalServerError})
		c := client(srv)
		for i := range 4 {
			_, err := c.Data(ctx, "TAB4823", sel)
			if (err != nil) != (i >= 2) {
				t.Errorf("call %d: %v", i, err)
			}
		}
		if _, err := c.Data(ctx, "TAB6645", scb.Selection{"Region": {"2380"}}); err != nil {
			t.Errorf("another table: %v", err)
		}
		if fault.Count() != 2 {
			t.Errorf("count %d", fault.Count())
		}
		var injected []int
		for _, r := range srv.Requests() {
			if r.Injected {
				injected = append(injected, r.Status)
			}
		}
		if !reflect.DeepEqual(injected, []int{500, 500}) {
			t.Errorf("injected %v", injected)
		}
	})
	t.Run("429 a number of times, with Retry-After and SCB's body", func(t *testing.T) {
		srv := scbtest.NewServer(t)
		fault := srv.Fail(scbtest.Failure{Data: true, Times: 2, Status: http.StatusTooManyRequests, RetryAfter: "7"})
		if _, err := client(srv).Data(ctx, "TAB4823", sel); err != nil {
			t.Fatal(err)
		}
		if fault.Count() != 2 || srv.Clock.Slept() < 14*time.Second {
			t.Errorf("count %d, slept %s", fault.Count(), srv.Clock.Slept())
		}
	})
	t.Run("every request, /config included", func(t *testing.T) {
		srv := scbtest.NewServer(t)
		srv.Fail(scbtest.Failure{Status: http.StatusForbidden})
		_, err := client(srv).Config(ctx)
		var ae *scb.APIError
		if !errors.As(err, &ae) || ae.StatusCode != 403 || ae.Title != "Too many cells selected" {
			t.Errorf("err = %v", err)
		}
		srv.ClearFailures()
		if _, err := client(srv).Config(ctx); err != nil {
			t.Errorf("after ClearFailures: %v", err)
		}
	})
	t.Run("a hook answers before failures", func(t *testing.T) {
		srv := scbtest.NewServer(t)
		fault := srv.Fail(scbtest.Failure{Status: http.StatusBadGateway, Body: "custom"})
		srv.SetHook(func(w http.ResponseWriter, r *http.Request, n int) bool {
			if r.URL.Path == "/api/v2/config" {
				w.Write([]byte(`{"maxDataCells":5}`))
				return true
			}
			return false
		})
		cfg, err := client(srv).Config(ctx)
		if err != nil || cfg.MaxDataCells != 5 || fault.Count() != 0 {
			t.Errorf("config %+v, %v, count %d", cfg, err, fault.Count())
		}
		_, err = client(srv, scb.WithHTTPClient(&http.Client{})).Table(ctx, "TAB4823")
		if err == nil || !strings.Contains(err.Error(), `HTTP 502: SCB says "custom"`) {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("cell limit", func(t *testing.T) {
		srv := scbtest.NewServer(t, scbtest.WithCellLimit(10))
		ds, err := client(srv).Data(ctx, "TAB4823", sel) // 16 cells: halved after a 403
		if err != nil || len(ds.Cells) != 16 || len(srv.DataRequests()) != 3 {
			t.Errorf("%v, %d data requests", err, len(srv.DataRequests()))
		}
	})
}

func TestClock(t *testing.T) {
	c := scbtest.NewClock()
	if !c.Now().Equal(scbtest.Start) {
		t.Errorf("starts at %v", c.Now())
	}
	if err := c.Sleep(context.Background(), time.Second); err != nil {
		t.Fatal(err)
	}
	c.Advance(time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := c.Sleep(ctx, time.Minute); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v", err)
	}
	if c.Slept() != time.Second || len(c.Sleeps()) != 1 || !c.Now().Equal(scbtest.Start.Add(time.Hour+time.Second)) {
		t.Errorf("slept %s %v, now %v", c.Slept(), c.Sleeps(), c.Now())
	}
}

func TestTestdata(t *testing.T) {
	dir, err := scbtest.Testdata()
	if err != nil {
		t.Fatal(err)
	}
	srv := scbtest.NewServer(t, scbtest.WithTestdata(dir), scbtest.WithoutTables(), scbtest.WithConfig(`{"maxDataCells":7}`))
	srv.AddTable("X", "handmade/v2/TAB4823.json", "")
	cfg, err := client(srv).Config(context.Background())
	if err != nil || cfg.MaxDataCells != 7 {
		t.Errorf("config %+v, %v", cfg, err)
	}
	if _, err := client(srv).Table(context.Background(), "TAB6645"); err == nil {
		t.Error("WithoutTables served TAB6645")
	}
	if _, err := client(srv).Table(context.Background(), "X"); err != nil {
		t.Error(err)
	}
}
