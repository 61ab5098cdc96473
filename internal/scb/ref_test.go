package scb

import (
	"reflect"
	"strings"
	"testing"

	"github.com/inkludera/inkludera/internal/strategy"
)

func TestParseRef(t *testing.T) {
	tests := []struct {
		name  string
		ref   string
		want  Ref
		canon string // String() of the result
	}{
		{
			name:  "one table",
			ref:   "scb:TAB4823?Fodelseregion=11&Alder=*&ContentsCode=000001N6",
			want:  Ref{Tables: []string{"TAB4823"}, Fixed: Selection{"Fodelseregion": {"11"}, "Alder": {"*"}, "ContentsCode": {"000001N6"}}, TableFixed: map[string]Selection{}},
			canon: "scb:TAB4823?Alder=*&ContentsCode=000001N6&Fodelseregion=11",
		},
		{
			name:  "history and successor, prefix optional",
			ref:   "TAB4823+TAB6645?Fodelseregion=11&Alder=*&ContentsCode=000001N6",
			want:  Ref{Tables: []string{"TAB4823", "TAB6645"}, Fixed: Selection{"Fodelseregion": {"11"}, "Alder": {"*"}, "ContentsCode": {"000001N6"}}, TableFixed: map[string]Selection{}},
			canon: "scb:TAB4823+TAB6645?Alder=*&ContentsCode=000001N6&Fodelseregion=11",
		},
		{
			name: "several codes, per-table override, escapes, 1+2 kept",
			ref:  "SCB:TAB4823+TAB6645?Alder=20,21,22&tab6645.Alder=TotSA&Fodelseregion=09,11&Civil=%C3%A4,1+2",
			want: Ref{Tables: []string{"TAB4823", "TAB6645"},
				Fixed:      Selection{"Alder": {"20", "21", "22"}, "Fodelseregion": {"09", "11"}, "Civil": {"ä", "1+2"}},
				TableFixed: map[string]Selection{"TAB6645": {"Alder": {"TotSA"}}}},
			canon: "scb:TAB4823+TAB6645?Alder=20,21,22&Civil=ä,1+2&Fodelseregion=09,11&TAB6645.Alder=TotSA",
		},
		{
			name:  "colon inside a code is not a source prefix",
			ref:   "TAB1?Civil=a:b",
			want:  Ref{Tables: []string{"TAB1"}, Fixed: Selection{"Civil": {"a:b"}}, TableFixed: map[string]Selection{}},
			canon: "scb:TAB1?Civil=a:b",
		},
		{
			name:  "v1 path",
			ref:   "scb:BE/BE0101/BE0101E/InrUtrFoddaRegAlKon?Fodelseregion=11&Alder=*",
			want:  Ref{Tables: []string{"BE/BE0101/BE0101E/InrUtrFoddaRegAlKon"}, Fixed: Selection{"Fodelseregion": {"11"}, "Alder": {"*"}}, TableFixed: map[string]Selection{}},
			canon: "scb:BE/BE0101/BE0101E/InrUtrFoddaRegAlKon?Alder=*&Fodelseregion=11",
		},
		{
			name:  "v1 path with START, no parameters",
			ref:   "scb:START/BE/BE0101/BE0101A/BefolkningNy?",
			want:  Ref{Tables: []string{"BE/BE0101/BE0101A/BefolkningNy"}, Fixed: Selection{}, TableFixed: map[string]Selection{}},
			canon: "scb:BE/BE0101/BE0101A/BefolkningNy",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseRef(tc.ref)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %#v\nwant %#v", got, tc.want)
			}
			if s := got.String(); s != tc.canon {
				t.Errorf("String() = %s, want %s", s, tc.canon)
			}
			again, err := ParseRef(got.String())
			if err != nil || !reflect.DeepEqual(again, got) {
				t.Errorf("round trip: %v %#v", err, again)
			}
		})
	}
}

func TestParseRefErrors(t *testing.T) {
	tests := []struct {
		name, ref, want string
	}{
		{"empty", "", "no table"},
		{"only a query", "scb:?Alder=1", "no table"},
		{"other source", "kolada:N01951", `not an SCB reference (source "kolada")`},
		{"empty table in a stitch", "scb:TAB4823+?Alder=1", "table 2 is empty"},
		{"bad table id", "scb:TAB-4823", `table 1 "TAB-4823" is not a table id`},
		{"bad v1 path", "scb:BE//BE0101", "not a v1 path"},
		{"three tables", "scb:TAB1+TAB2+TAB3", "3 tables"},
		{"same table twice", "scb:TAB1+TAB1", `table "TAB1" given twice`},
		{"no equals sign", "scb:TAB1?Alder", `parameter 1 "Alder": want Variable=code`},
		{"no codes", "scb:TAB1?Alder=", "Alder has no value codes"},
		{"empty code", "scb:TAB1?Alder=1,,2", `Alder has an empty code in "1,,2"`},
		{"star mixed with codes", "scb:TAB1?Alder=*,1", `mixes "*" with codes`},
		{"variable twice", "scb:TAB1?Alder=1&alder=2", "alder given twice"},
		{"bad escape", "scb:TAB1?Alder=%zz", `bad escape in "%zz"`},
		{"unknown table prefix", "scb:TAB1?TAB2.Alder=1", `names table "TAB2", which is not among TAB1`},
		{"bad variable", "scb:TAB1?Al der=1", `"Al der" is not a variable code`},
		{"region is not fixed here", "scb:TAB1?Region=2380", "Region cannot be fixed: the organisation"},
		{"time is not fixed here", "scb:TAB1?Tid=2024", "Tid cannot be fixed: the years"},
		{"sex is not fixed here", "scb:TAB1?Kon=1", "Kon cannot be fixed: sex"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseRef(tc.ref)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tc.want)
			}
			if !strings.HasPrefix(err.Error(), "scb ref ") {
				t.Errorf("err %q does not quote the reference", err)
			}
			if code := strategy.CodeOf(err); code != strategy.CodeInvalid {
				t.Errorf("code %q, want invalid: the user who wrote the reference sees the message", code)
			}
		})
	}
}
