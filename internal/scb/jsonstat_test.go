package scb

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

func ptr(f float64) *float64 { return &f }

func cellAt(t *testing.T, ds *Dataset, codes map[string]string) Cell {
	t.Helper()
	c, ok := ds.Lookup(codes)
	if !ok {
		t.Fatalf("no cell %v", codes)
	}
	return c
}

func TestDecodeJSONStatRealTAB6471Data(t *testing.T) {
	ds := decodeFile(t, "v2/TAB6471_data.json")
	if got := len(ds.Cells); got != 2772 {
		t.Fatalf("cells = %d, want 2772 (21 × 11 × 3 × 1 × 4)", got)
	}
	wantDims := []struct {
		code, role string
		n          int
	}{{"Region", "", 21}, {"Alder", "", 11}, {"Kon", "", 3}, {"ContentsCode", "metric", 1}, {"Tid", "time", 4}}
	for i, w := range wantDims {
		d := ds.Dimensions[i]
		if d.Code != w.code || d.Role != w.role || len(d.Values) != w.n {
			t.Errorf("dimension %d = %s role %q with %d values, want %s %q %d", i, d.Code, d.Role, len(d.Values), w.code, w.role, w.n)
		}
	}
	if ds.TableID != "TAB6471" || ds.Source != "SCB" {
		t.Errorf("table %q source %q", ds.TableID, ds.Source)
	}
	if want := time.Date(2026, 6, 8, 6, 0, 0, 0, time.UTC); !ds.Updated.Equal(want) {
		t.Errorf("updated = %v, want %v", ds.Updated, want)
	}
	// Cells read by hand from the file (flat index computed row-major).
	cells := []struct {
		name                    string
		region, age, sex, month string
		want                    float64
		flat                    int
	}{
		{"first cell: Stockholm 0-9 total 2026M01", "01", "0-9", "TotSa", "2026M01", 245284, 0},
		{"Stockholm 0-9 män 2026M01", "01", "0-9", "1", "2026M01", 125373, 4},
		{"Stockholm 0-9 kvinnor 2026M01", "01", "0-9", "2", "2026M01", 119906, 8},
		{"Stockholm 0-9 total 2026M04 (last month fastest)", "01", "0-9", "TotSa", "2026M04", 251635, 3},
		{"Jämtland 20-29 total 2026M04", "23", "20-29", "TotSa", "2026M04", 13320, 2403},
		{"last cell: Norrbotten 100+ kvinnor 2026M04", "25", "100+10", "2", "2026M04", 54, 2771},
	}
	for _, c := range cells {
		t.Run(c.name, func(t *testing.T) {
			codes := map[string]string{"Region": c.region, "Alder": c.age, "Kon": c.sex, "ContentsCode": "000007SF", "Tid": c.month}
			got := cellAt(t, ds, codes)
			if got.Value == nil || *got.Value != c.want || got.Status != "" {
				t.Errorf("value %v status %q, want %v", got.Value, got.Status, c.want)
			}
			if !reflect.DeepEqual(ds.Cells[c.flat].Codes, codes) {
				t.Errorf("cell %d has codes %v, want %v", c.flat, ds.Cells[c.flat].Codes, codes)
			}
		})
	}
	// CKM: the published total is not the sum of its parts.
	tot := cellAt(t, ds, map[string]string{"Region": "01", "Alder": "0-9", "Kon": "TotSa", "ContentsCode": "000007SF", "Tid": "2026M01"})
	if *tot.Value == 125373+119906 {
		t.Error("expected the CKM total to differ from män + kvinnor")
	}
	// The real file has neither missing values nor status symbols.
	for i, c := range ds.Cells {
		if c.Value == nil || c.Status != "" {
			t.Fatalf("cell %d: value %v status %q", i, c.Value, c.Status)
		}
	}
	if len(ds.Notes) != 4 || len(ds.MandatoryNotes) != 4 {
		t.Fatalf("notes %d mandatory %d, want 4 and 4", len(ds.Notes), len(ds.MandatoryNotes))
	}
	if !strings.Contains(ds.MandatoryNotes[0], "Cell Key Method (CKM)") {
		t.Errorf("first mandatory note is not the CKM note: %.80q", ds.MandatoryNotes[0])
	}
	alder := ds.Dimension("Alder")
	if len(alder.MandatoryNotes) != 1 || !strings.HasPrefix(alder.MandatoryNotes[0], "Med ålder avses") {
		t.Errorf("Alder mandatory notes = %q", alder.MandatoryNotes)
	}
	cc := ds.Dimension("ContentsCode").Values[0]
	if cc.Unit != "antal" || cc.MeasuringType != "Stock" || cc.Label != "Folkmängden per månad" {
		t.Errorf("ContentsCode value = %+v", cc)
	}
	if v := ds.Dimension("Region").Values[18]; v.Code != "23" || v.Label != "Jämtlands län" {
		t.Errorf("Region[18] = %+v", v)
	}
}

func TestDecodeJSONStatRealTAB6471Metadata(t *testing.T) {
	ds := decodeFile(t, "v2/TAB6471_metadata.json")
	if len(ds.Cells) != 0 {
		t.Fatalf("metadata decoded to %d cells", len(ds.Cells))
	}
	want := map[string]int{"Region": 312, "Alder": 134, "Kon": 3, "ContentsCode": 1, "Tid": 16}
	for code, n := range want {
		if d := ds.Dimension(code); d == nil || len(d.Values) != n {
			t.Errorf("%s: %v values, want %d", code, d, n)
		}
	}
	region := ds.Dimension("Region")
	for _, code := range []string{"00", "23", "2380", "0114", "2584"} {
		if _, ok := region.Index(code); !ok {
			t.Errorf("region %s missing", code)
		}
	}
	if !region.Elimination || ds.Dimension("Alder").Elimination || ds.Dimension("Tid").Elimination {
		t.Error("elimination flags: want Region true, Alder and Tid false")
	}
}

func TestDecodeJSONStatForms(t *testing.T) {
	t.Run("sparse values, status object", func(t *testing.T) {
		ds := decodeFile(t, "handmade/jsonstat/sparse_status_object.json")
		want := []struct {
			region, year string
			value        *float64
			status       string
		}{
			{"2380", "2022", ptr(64000), ""},
			{"2380", "2023", ptr(64500), ""},
			{"2380", "2024", ptr(65000.5), ""},
			{"2361", "2022", nil, ".."},
			{"2361", "2023", ptr(10000), ""},
			{"2361", "2024", nil, ":"},
		}
		if len(ds.Cells) != len(want) {
			t.Fatalf("%d cells", len(ds.Cells))
		}
		for i, w := range want {
			c := ds.Cells[i]
			if c.Codes["Region"] != w.region || c.Codes["Tid"] != w.year || !reflect.DeepEqual(c.Value, w.value) || c.Status != w.status {
				t.Errorf("cell %d = %v %v %q, want %+v", i, c.Codes, c.Value, c.Status, w)
			}
		}
		if ds.Dimension("Tid").Role != "time" || ds.Dimension("Tid").Values[0].Label != "2022" {
			t.Error("index as array: role or label lost")
		}
	})
	t.Run("dense with null, string number, status array", func(t *testing.T) {
		ds := decodeFile(t, "handmade/jsonstat/dense_status_array.json")
		want := []struct {
			value  *float64
			status string
		}{
			{ptr(343.9), ""}, {ptr(359.9), "p"}, {nil, ".."}, {ptr(277.3), ""},
			{nil, "."}, // 0 sent beside "." is not believed: missing, never 0
			{ptr(316.6), ""},
		}
		for i, w := range want {
			c := ds.Cells[i]
			if !reflect.DeepEqual(c.Value, w.value) || c.Status != w.status {
				t.Errorf("cell %d = %v %q, want %v %q", i, c.Value, c.Status, w.value, w.status)
			}
		}
		cc := ds.Dimension("ContentsCode")
		if len(cc.Values) != 1 || cc.Values[0].Code != "HE0110J8" || cc.Values[0].Unit != "tkr" {
			t.Errorf("single category without index: %+v", cc.Values)
		}
		if ds.Cells[1].Codes["Kon"] != "1+2" || ds.Cells[2].Codes["Kon"] != "1" {
			t.Errorf("order: %v %v", ds.Cells[1].Codes, ds.Cells[2].Codes)
		}
	})
	t.Run("status string for every cell, odd updated, note string", func(t *testing.T) {
		ds := decodeFile(t, "handmade/jsonstat/status_string.json")
		for i, c := range ds.Cells {
			if c.Value != nil || c.Status != ":" {
				t.Errorf("cell %d = %v %q", i, c.Value, c.Status)
			}
		}
		if !ds.Updated.IsZero() {
			t.Errorf("updated = %v, want zero for an unreadable stamp", ds.Updated)
		}
		if len(ds.Notes) != 1 {
			t.Errorf("notes = %q", ds.Notes)
		}
	})
	t.Run("hand-made cube with a missing cell", func(t *testing.T) {
		ds := decodeFile(t, "handmade/v2/TAB4823.json")
		c := cellAt(t, ds, map[string]string{"Region": "2361", "Alder": "100+", "Kon": "2", "Fodelseregion": "11", "ContentsCode": "000001N6", "Tid": "2023"})
		if c.Value != nil || c.Status != ".." {
			t.Errorf("missing cell = %v %q", c.Value, c.Status)
		}
	})
}

func TestDecodeJSONStatDenseEqualsSparse(t *testing.T) {
	raw := readFile(t, "v2/TAB6471_data.json")
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	sparse := map[string]any{}
	for i, v := range doc["value"].([]any) {
		if i%7 != 3 { // leave some out: absent means null
			sparse[strconv.Itoa(i)] = v
		}
	}
	doc["value"] = sparse
	b, _ := json.Marshal(doc)
	got, err := DecodeJSONStat(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	want := decodeFile(t, "v2/TAB6471_data.json")
	if len(got.Cells) != len(want.Cells) {
		t.Fatalf("%d cells, want %d", len(got.Cells), len(want.Cells))
	}
	for i := range want.Cells {
		w := want.Cells[i]
		if i%7 == 3 {
			w.Value = nil
		}
		if !reflect.DeepEqual(got.Cells[i], w) {
			t.Fatalf("cell %d = %+v, want %+v", i, got.Cells[i], w)
		}
	}
}

func TestDecodeJSONStatErrors(t *testing.T) {
	dim := `"dimension":{"A":{"category":{"index":{"a":0,"b":1}}}}`
	tests := []struct {
		name, doc, want string
	}{
		{"not json", `{`, "json-stat"},
		{"collection", `{"class":"collection","id":["A"],"size":[2],` + dim + `}`, "class"},
		{"no ids", `{"class":"dataset","value":[]}`, "no dimensions"},
		{"ids and sizes differ", `{"id":["A"],"size":[2,1],` + dim + `}`, "2 sizes"},
		{"size disagrees with categories", `{"id":["A"],"size":[3],` + dim + `,"value":[1,2,3]}`, "size 3"},
		{"dimension missing", `{"id":["A","B"],"size":[2,1],` + dim + `}`, `"B" in id`},
		{"dimension twice", `{"id":["A","A"],"size":[2,2],` + dim + `}`, "twice"},
		{"too few values", `{"id":["A"],"size":[2],` + dim + `,"value":[1]}`, "1 values for 2 cells"},
		{"sparse index outside", `{"id":["A"],"size":[2],` + dim + `,"value":{"2":1}}`, "outside"},
		{"status index outside", `{"id":["A"],"size":[2],` + dim + `,"value":[1,2],"status":{"-1":".."}}`, "outside"},
		{"status array length", `{"id":["A"],"size":[2],` + dim + `,"value":[1,2],"status":["a","b","c"]}`, "3 statuses"},
		{"index not a permutation", `{"id":["A"],"size":[2],"dimension":{"A":{"category":{"index":{"a":0,"b":0}}}}}`, "not a free position"},
		{"index array repeats", `{"id":["A"],"size":[2],"dimension":{"A":{"category":{"index":["a","a"]}}}}`, "twice"},
		{"no index, several labels", `{"id":["A"],"size":[2],"dimension":{"A":{"category":{"label":{"a":"x","b":"y"}}}}}`, "no category index"},
		{"value not a number", `{"id":["A"],"size":[2],` + dim + `,"value":[true,1]}`, "not a number"},
		{"huge sparse cube", `{"id":["A","B","C"],"size":[2000,2000,2000],"dimension":{` + bigDims() + `},"value":{"0":1}}`, "too large"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodeJSONStat(strings.NewReader(tc.doc))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want it to mention %q", err, tc.want)
			}
		})
	}
}

func bigDims() string {
	var parts []string
	for _, id := range []string{"A", "B", "C"} {
		codes := make([]string, 2000)
		for i := range codes {
			codes[i] = strconv.Itoa(i)
		}
		b, _ := json.Marshal(codes)
		parts = append(parts, `"`+id+`":{"category":{"index":`+string(b)+`}}`)
	}
	return strings.Join(parts, ",")
}

// FuzzDecodeJSONStat checks that no input panics and that what decodes is
// consistent: dense cells whose codes find themselves again.
func FuzzDecodeJSONStat(f *testing.F) {
	for _, dir := range []string{"testdata/v2", "testdata/handmade/v2", "testdata/handmade/v1", "testdata/handmade/jsonstat"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
		for _, file := range files {
			b, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(b)
		}
	}
	f.Add([]byte(`{"id":["A"],"size":[1],"dimension":{"A":{"category":{"label":{"a":"x"}}}},"value":{"0":"1.5"},"status":"p"}`))
	old := maxDecodeCells
	maxDecodeCells = 50_000 // keep each input cheap
	f.Cleanup(func() { maxDecodeCells = old })
	f.Fuzz(func(t *testing.T, data []byte) {
		ds, err := DecodeJSONStat(bytes.NewReader(data))
		if err != nil {
			return
		}
		if len(ds.Cells) == 0 {
			return
		}
		n := 1
		for _, d := range ds.Dimensions {
			n *= len(d.Values)
		}
		if n != len(ds.Cells) {
			t.Fatalf("%d cells for a cube of %d", len(ds.Cells), n)
		}
		for i, c := range ds.Cells {
			if i > 200 {
				break
			}
			got, ok := ds.Lookup(c.Codes)
			if !ok || !reflect.DeepEqual(got, c) {
				t.Fatalf("cell %d does not look itself up", i)
			}
			if missingStatus[c.Status] && c.Value != nil {
				t.Fatalf("cell %d has status %q and value %v", i, c.Status, *c.Value)
			}
		}
	})
}
