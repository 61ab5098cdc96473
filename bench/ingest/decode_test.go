package main

import (
	"math"
	"reflect"
	"strings"
	"testing"
)

// TestDecoders: the stream decoder reads what encoding/json reads, in any
// key order and spacing, with escapes, a null status and deletions, also a
// period in a string (as Kolada v2 wrote it); it rejects what is not a
// response.
func TestDecoders(t *testing.T) {
	ds := newDataset(6)
	keys := map[string]string{ds.kpis[0]: "n0"}
	kpi := ds.kpis[0]
	doc := `{ "count" : 2, "values": [
		{"kpi":"` + kpi + `","municipality":"0114","period":2020,"values":[
			{"gender":"T","count":1,"status":"","value":1.5,"isdeleted":false},
			{"value":null,"gender":"K","status":null,"isdeleted":false,"count":1},
			{"gender":"M","count":1,"status":"..","value":-2.25e-3,"isdeleted":true}]},
		{"values":[{"gender":"T","value":0.30000000000000004,"status":"a\"b\u00e5","isdeleted":false}],
		 "period":2021,"extra":{"x":[1,2,{"y":"]"}]},"municipality":"0\u0031\u00314","kpi":"` + kpi + `"}
	],
	"next_url": null, "previous_url": null}`
	obs, del, err := decodeStream([]byte(doc), ds, keys)
	if err != nil {
		t.Fatal(err)
	}
	want, wantDel, err := decodeObservations([]byte(doc), 1, ds, keys)
	if err != nil {
		t.Fatal(err)
	}
	if len(obs) != 3 || len(del) != 1 || !reflect.DeepEqual(obs, want) || !reflect.DeepEqual(del, wantDel) {
		t.Fatalf("stream decoder:\n%+v %+v\nencoding/json:\n%+v %+v", obs, del, want, wantDel)
	}
	if obs[1].Value != nil || *obs[2].Value != 0.30000000000000004 || obs[2].Status != "a\"bå" || obs[2].Org != "0114" || obs[2].Year != 2021 {
		t.Errorf("decoded %+v", obs)
	}
	if v := *obs[0].Value; v != 1.5 || math.Signbit(v) {
		t.Errorf("value %v", v)
	}

	if v2, _, err := decodeStream([]byte(strings.Replace(doc, "2021", `"2021"`, 1)), ds, keys); err != nil || !reflect.DeepEqual(v2, obs) {
		t.Errorf("period in a string: %v %+v", err, v2)
	}

	for name, bad := range map[string]string{
		"truncated":    doc[:len(doc)-20],
		"count":        `{"values":[],"count":1,"next_url":null}`,
		"next page":    `{"values":[],"count":0,"next_url":"https://api.kolada.se/v3/data?page=2"}`,
		"not a number": `{"values":[{"kpi":"` + kpi + `","municipality":"0114","period":2020,"values":[{"gender":"T","value":"x"}]}],"count":1}`,
		"unknown KPI":  `{"values":[{"kpi":"N99999","municipality":"0114","period":2020,"values":[]}],"count":1}`,
		"trailing":     `{"values":[],"count":0} x`,
	} {
		if _, _, err := decodeStream([]byte(bad), ds, keys); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
