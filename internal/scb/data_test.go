package scb

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/inkludera/inkludera/internal/scb/scbtest"
)

func codesN(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = prefix + string(rune('a'+i%26)) + strings.Repeat("z", i/26)
	}
	return out
}

func TestSplit(t *testing.T) {
	tests := []struct {
		name      string
		sizes     []int
		max       int
		wantParts int
	}{
		{"under the limit: one call", []int{21, 11, 3, 1, 4}, 150000, 1},
		{"exactly the limit", []int{10, 10}, 100, 1},
		{"largest variable cut in slices", []int{312, 134, 3, 1, 16}, 150000, 14}, // 2 007 336 cells; 312 regions / 22 per call
		{"largest cut per code, then the next", []int{50, 40, 30}, 100, 50 * 14},  // 40 in slices of 3 (90 cells)
		{"no limit", []int{1000, 1000}, 0, 1},
		{"one cell per variable cannot be cut", []int{1, 1}, 0, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var vars []varCodes
			for i, n := range tc.sizes {
				vars = append(vars, varCodes{code: string(rune('A' + i)), codes: codesN("", n)})
			}
			parts := split(vars, tc.max)
			if len(parts) != tc.wantParts {
				t.Errorf("%d parts, want %d", len(parts), tc.wantParts)
			}
			seen := map[string]int{}
			for _, p := range parts {
				if tc.max > 0 && cells(p) > tc.max {
					t.Errorf("part of %d cells over %d", cells(p), tc.max)
				}
				// count the cells; with big products count by key on small cases only
				if cells(vars) <= 200000 {
					var walk func(int, string)
					walk = func(i int, key string) {
						if i == len(p) {
							seen[key]++
							return
						}
						for _, c := range p[i].codes {
							walk(i+1, key+"|"+c)
						}
					}
					walk(0, "")
				}
			}
			if cells(vars) <= 200000 {
				if len(seen) != cells(vars) {
					t.Errorf("parts cover %d distinct cells, want %d", len(seen), cells(vars))
				}
				for k, n := range seen {
					if n != 1 {
						t.Fatalf("cell %s asked %d times", k, n)
					}
				}
			} else {
				sum := 0
				for _, p := range parts {
					sum += cells(p)
				}
				if sum != cells(vars) {
					t.Errorf("parts hold %d cells, want %d", sum, cells(vars))
				}
			}
		})
	}
}

// wholeSelection asks for every cell of a decoded file.
func wholeSelection(ds *Dataset) Selection {
	sel := Selection{}
	for _, d := range ds.Dimensions {
		sel[d.Code] = d.Codes()
	}
	return sel
}

func sameCube(t *testing.T, got, want *Dataset) {
	t.Helper()
	if len(got.Dimensions) != len(want.Dimensions) {
		t.Fatalf("%d dimensions, want %d", len(got.Dimensions), len(want.Dimensions))
	}
	for i := range want.Dimensions {
		g, w := got.Dimensions[i], want.Dimensions[i]
		if g.Code != w.Code || !reflect.DeepEqual(g.Codes(), w.Codes()) {
			t.Fatalf("dimension %d = %s %v, want %s %v", i, g.Code, g.Codes(), w.Code, w.Codes())
		}
	}
	if len(got.Cells) != len(want.Cells) {
		t.Fatalf("%d cells, want %d", len(got.Cells), len(want.Cells))
	}
	for i := range want.Cells {
		if !reflect.DeepEqual(got.Cells[i], want.Cells[i]) {
			t.Fatalf("cell %d = %+v, want %+v", i, got.Cells[i], want.Cells[i])
		}
	}
}

func TestDataSplitMergesIdentically(t *testing.T) {
	want := decodeFile(t, "v2/TAB6471_data.json")
	tests := []struct {
		name      string
		opts      []Option
		serverMax int
		wantCalls int
		want403   bool
	}{
		{"one call under maxDataCells", nil, 0, 1, false},
		{"split under our limit of 500", []Option{WithMaxCells(500)}, 0, 7, false},      // 132 cells per region; 3 regions per call
		{"split under our limit of 100", []Option{WithMaxCells(100)}, 0, 21 * 2, false}, // per region, then ages in two slices of 8 and 3
		{"SCB refuses with 403: halved until it accepts", nil, 700, 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := scbtest.NewServer(t, scbtest.WithCellLimit(tc.serverMax))
			got, err := testClient(f, tc.opts...).Data(context.Background(), "TAB6471", wholeSelection(want))
			if err != nil {
				t.Fatal(err)
			}
			sameCube(t, got, want)
			calls := f.DataRequests()
			if tc.wantCalls > 0 && len(calls) != tc.wantCalls {
				t.Errorf("%d data calls, want %d", len(calls), tc.wantCalls)
			}
			ok := 0
			for _, r := range calls {
				var q v2Query
				if err := json.Unmarshal(r.Body, &q); err != nil {
					t.Fatal(err)
				}
				n := 1
				for _, s := range q.Selection {
					n *= len(s.ValueCodes)
				}
				if tc.serverMax == 0 || n <= tc.serverMax {
					ok++
				}
			}
			if len(got.RequestURLs) != ok {
				t.Errorf("%d request URLs for %d answered calls", len(got.RequestURLs), ok)
			}
			if tc.want403 && ok == len(calls) {
				t.Error("expected refused calls")
			}
			if !strings.Contains(got.RequestURLs[0], "/tables/TAB6471/data?lang=sv&outputFormat=json-stat2&valueCodes[Region]=") {
				t.Errorf("request URL %s", got.RequestURLs[0])
			}
			if len(got.MandatoryNotes) != 4 {
				t.Errorf("merged dataset lost notes: %d", len(got.MandatoryNotes))
			}
		})
	}
}

func TestDataSendsFullSelection(t *testing.T) {
	all := map[string][]string{
		"Region":        {"00", "23", "2361", "2380"},
		"Alder":         {"0", "1", "2", "100+"},
		"Kon":           {"1", "2"},
		"Fodelseregion": {"09", "11"},
		"ContentsCode":  {"000001N6"},
		"Tid":           {"2022", "2023", "2024"},
	}
	with := func(changes map[string][]string) map[string][]string {
		out := map[string][]string{}
		for k, v := range all {
			out[k] = v
		}
		for k, v := range changes {
			out[k] = v
		}
		return out
	}
	tests := []struct {
		name    string
		sel     Selection
		want    map[string][]string // sent, per variable
		wantErr string
	}{
		{"nothing selected: every value of every variable", nil, all, ""},
		{"region and year chosen, the rest whole", Selection{"Region": {"2380"}, "Tid": {"2024"}},
			with(map[string][]string{"Region": {"2380"}, "Tid": {"2024"}}), ""},
		{"wildcard, case-insensitive variable, duplicates and table order",
			Selection{"region": {"23*", "2380"}, "Tid": {"2024", "2022", "2024"}},
			with(map[string][]string{"Region": {"23", "2361", "2380"}, "Tid": {"2022", "2024"}}), ""},
		{"? matches one character", Selection{"Region": {"23??"}}, with(map[string][]string{"Region": {"2361", "2380"}}), ""},
		{"unknown variable", Selection{"Kommun": {"2380"}}, nil, `no variable "Kommun"`},
		{"unknown code", Selection{"Region": {"9999"}}, nil, `no value "9999"`},
		{"pattern matching nothing", Selection{"Region": {"99*"}}, nil, `no value matching "99*"`},
		{"empty list", Selection{"Region": {}}, nil, "no values selected for Region"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := scbtest.NewServer(t)
			ds, err := testClient(f).Data(context.Background(), "TAB4823", tc.sel)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				if n := len(f.DataRequests()); n != 0 {
					t.Errorf("%d data calls for a bad selection", n)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			calls := f.DataRequests()
			if len(calls) != 1 {
				t.Fatalf("%d calls", len(calls))
			}
			if q := calls[0].Query; q != "lang=sv&outputFormat=json-stat2" {
				t.Errorf("query %q", q)
			}
			var body v2Query
			if err := json.Unmarshal(calls[0].Body, &body); err != nil {
				t.Fatal(err)
			}
			order := []string{"Region", "Alder", "Kon", "Fodelseregion", "ContentsCode", "Tid"}
			if len(body.Selection) != len(order) {
				t.Fatalf("sent %d variables, want every one of %v: %s", len(body.Selection), order, calls[0].Body)
			}
			for i, s := range body.Selection {
				if s.VariableCode != order[i] || !reflect.DeepEqual(s.ValueCodes, tc.want[order[i]]) {
					t.Errorf("selection %d = %s %v, want %s %v", i, s.VariableCode, s.ValueCodes, order[i], tc.want[order[i]])
				}
			}
			wantCells := 1
			for _, codes := range tc.want {
				wantCells *= len(codes)
			}
			if len(ds.Cells) != wantCells {
				t.Errorf("%d cells, want %d", len(ds.Cells), wantCells)
			}
		})
	}
}

func TestDataDetectsDroppedDimension(t *testing.T) {
	// Answer as SCB's default selection might: Region summed away.
	f := scbtest.NewServer(t, scbtest.WithHook(func(w http.ResponseWriter, r *http.Request, n int) bool {
		if r.Method != http.MethodPost {
			return false
		}
		w.Write(readFile(t, "handmade/jsonstat/dense_status_array.json"))
		return true
	}))
	_, err := testClient(f).Data(context.Background(), "TAB4823", nil)
	if err == nil || !strings.Contains(err.Error(), "answered without variable Region") {
		t.Fatalf("err = %v", err)
	}
}

func TestV1DataQueryBody(t *testing.T) {
	f := scbtest.NewServer(t) // serves the v1 stand-in scbtest.V1Table
	query := []V1Variable{
		{Code: "Region", Selection: V1Selection{Filter: "item", Values: []string{"2380"}}},
		{Code: "Alder", Selection: V1Selection{Filter: "item", Values: []string{"0", "1", "100+"}}},
		{Code: "Kon", Selection: V1Selection{Filter: "item", Values: []string{"1", "2"}}},
		{Code: "Fodelseregion", Selection: V1Selection{Filter: "item", Values: []string{"09", "11"}}},
		{Code: "ContentsCode", Selection: V1Selection{Filter: "item", Values: []string{"BE0101N1"}}},
		{Code: "Tid", Selection: V1Selection{Filter: "item", Values: []string{"2023", "2024"}}},
	}
	const wantBody = `{"query":[` +
		`{"code":"Region","selection":{"filter":"item","values":["2380"]}},` +
		`{"code":"Alder","selection":{"filter":"item","values":["0","1","100+"]}},` +
		`{"code":"Kon","selection":{"filter":"item","values":["1","2"]}},` +
		`{"code":"Fodelseregion","selection":{"filter":"item","values":["09","11"]}},` +
		`{"code":"ContentsCode","selection":{"filter":"item","values":["BE0101N1"]}},` +
		`{"code":"Tid","selection":{"filter":"item","values":["2023","2024"]}}],` +
		`"response":{"format":"json-stat2"}}`
	tests := []struct {
		name      string
		opts      []Option
		wantCalls int
	}{
		{"one call", nil, 1},
		{"split under maxValues", []Option{WithMaxCells(10)}, 3}, // 24 cells: one call per age
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f.ResetRequests()
			ds, err := testClient(f, tc.opts...).V1Data(context.Background(), "/START/BE/BE0101/BE0101E/InrUtrFoddaRegAlKon", query)
			if err != nil {
				t.Fatal(err)
			}
			calls := f.DataRequests()
			if len(calls) != tc.wantCalls {
				t.Fatalf("%d calls, want %d", len(calls), tc.wantCalls)
			}
			if calls[0].Path != "/OV0104/v1/doris/sv/ssd/START/BE/BE0101/BE0101E/InrUtrFoddaRegAlKon" {
				t.Errorf("path %s", calls[0].Path)
			}
			if tc.wantCalls == 1 && string(calls[0].Body) != wantBody {
				t.Errorf("body\n%s\nwant\n%s", calls[0].Body, wantBody)
			}
			if len(ds.Cells) != 24 {
				t.Fatalf("%d cells", len(ds.Cells))
			}
			missing := cellAt(t, ds, map[string]string{"Region": "2380", "Alder": "100+", "Kon": "1", "Fodelseregion": "11", "ContentsCode": "BE0101N1", "Tid": "2024"})
			if missing.Value != nil || missing.Status != ".." {
				t.Errorf("missing cell %v %q", missing.Value, missing.Status)
			}
			// 2380, age 0, män, född i Sverige, 2023: 5000/10*4 + 0 + 1*50
			if c := cellAt(t, ds, map[string]string{"Region": "2380", "Alder": "0", "Kon": "1", "Fodelseregion": "09", "ContentsCode": "BE0101N1", "Tid": "2023"}); c.Value == nil || *c.Value != 2050 {
				t.Errorf("cell = %v", c.Value)
			}
		})
	}
}

func TestV1DataOtherFiltersPassThrough(t *testing.T) {
	var got []byte
	f := scbtest.NewServer(t, scbtest.WithHook(func(w http.ResponseWriter, r *http.Request, n int) bool {
		if r.Method == http.MethodPost {
			got, _ = io.ReadAll(r.Body)
			w.Write(readFile(t, "handmade/jsonstat/dense_status_array.json"))
			return true
		}
		return false
	}))
	query := []V1Variable{
		{Code: "Kon", Selection: V1Selection{Filter: "item", Values: []string{"1", "2", "1+2"}}},
		{Code: "Tid", Selection: V1Selection{Filter: "top", Values: []string{"2"}}},
	}
	ds, err := testClient(f).V1Data(context.Background(), "HE/HE0110/HE0110A/SamForvInk1", query)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"query":[{"code":"Kon","selection":{"filter":"item","values":["1","2","1+2"]}},{"code":"Tid","selection":{"filter":"top","values":["2"]}}],"response":{"format":"json-stat2"}}`
	if string(got) != want {
		t.Errorf("body %s", got)
	}
	if len(ds.Cells) != 6 {
		t.Errorf("%d cells", len(ds.Cells))
	}
	for _, r := range f.Requests() {
		if strings.Contains(r.Query, "config") {
			t.Error("a query that cannot be split needs no ?config")
		}
	}
}
