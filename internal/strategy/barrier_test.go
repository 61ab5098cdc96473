package strategy

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestBarrierReportValidate(t *testing.T) {
	ok := BarrierReport{Page: "/portal/2380", Description: "Diagrammet går inte att läsa med skärmläsare.", Language: "sv"}
	with := func(change func(*BarrierReport)) BarrierReport {
		b := ok
		change(&b)
		return b
	}
	tests := []struct {
		name string
		b    BarrierReport
		want []BarrierProblem // none = valid
		says []string         // parts of the English and Swedish messages
	}{
		{"anonymous", ok, nil, nil},
		{"with contact and an answer wanted", with(func(b *BarrierReport) {
			b.Name, b.Email, b.WantsAnswer = "Amina", "amina@example.se", true
		}), nil, nil},
		{"no page", with(func(b *BarrierReport) { b.Page = "" }), nil, nil},
		{"the longest description", with(func(b *BarrierReport) { b.Description = strings.Repeat("å", MaxBarrierDescription) }), nil, nil},

		{"blank description", with(func(b *BarrierReport) { b.Description = " \n " }),
			[]BarrierProblem{{Field: "description", Kind: BarrierMissing}}, []string{"description: is required", "Beskriv problemet."}},
		{"description too long", with(func(b *BarrierReport) { b.Description = strings.Repeat("å", MaxBarrierDescription+1) }),
			[]BarrierProblem{{Field: "description", Kind: BarrierTooLong, Max: MaxBarrierDescription}}, []string{"description: is longer than 5000 characters", "högst 5000 tecken"}},
		{"page and name too long", with(func(b *BarrierReport) {
			b.Page, b.Name = strings.Repeat("x", MaxBarrierPage+1), strings.Repeat("n", MaxBarrierName+1)
		}), []BarrierProblem{{Field: "page", Kind: BarrierTooLong, Max: MaxBarrierPage}, {Field: "name", Kind: BarrierTooLong, Max: MaxBarrierName}},
			[]string{"page: is longer than 500", "name: is longer than 200"}},
		{"not an e-mail", with(func(b *BarrierReport) { b.Email = "amina(at)example.se" }),
			[]BarrierProblem{{Field: "email", Kind: BarrierNotEmail}}, []string{"email: is not an e-mail address", "anna.andersson@kommun.se"}},
		{"e-mail without a dotted domain", with(func(b *BarrierReport) { b.Email = "amina@localhost" }),
			[]BarrierProblem{{Field: "email", Kind: BarrierNotEmail}}, []string{"needs a dot"}},
		{"e-mail too long", with(func(b *BarrierReport) { b.Email = strings.Repeat("a", 250) + "@b.se" }),
			[]BarrierProblem{{Field: "email", Kind: BarrierTooLong, Max: 254}}, []string{"email: is longer than 254"}},
		{"an answer without an e-mail", with(func(b *BarrierReport) { b.WantsAnswer = true }),
			[]BarrierProblem{{Field: "email", Kind: BarrierNeedsEmail}}, []string{"email: is required to get an answer", "om du vill ha svar"}},
		{"no language", with(func(b *BarrierReport) { b.Language = "" }),
			[]BarrierProblem{{Field: "language", Kind: BarrierMissing}}, []string{"language: must be a language code"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.b.Problems(); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Problems() = %+v, want %+v", got, tc.want)
			}
			err := tc.b.Validate()
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			var v ValidationErrors
			if !errors.As(err, &v) || len(v) != len(tc.want) {
				t.Fatalf("Validate() = %v, want %d ValidationErrors", err, len(tc.want))
			}
			all := err.Error()
			for _, e := range v {
				all += " " + e.Svenska
			}
			for _, w := range tc.says {
				if !strings.Contains(all, w) {
					t.Errorf("%s\ndoes not say %q", all, w)
				}
			}
		})
	}
}

func TestCheckBarrierNote(t *testing.T) {
	if err := CheckBarrierNote(""); err != nil {
		t.Errorf("an empty note: %v", err)
	}
	if err := CheckBarrierNote(strings.Repeat("ö", MaxBarrierNote)); err != nil {
		t.Errorf("the longest note: %v", err)
	}
	err := CheckBarrierNote(strings.Repeat("ö", MaxBarrierNote+1))
	var v ValidationErrors
	if !errors.As(err, &v) || v[0].Path != "note" || v[0].Svenska == "" {
		t.Errorf("a note too long: %v", err)
	}
}

func TestBarrierReportRef(t *testing.T) {
	ref := ObjectRef{Kind: ObjBarrierReport, Key: "12"}
	got, err := ParseObjectRef(ref.String())
	if err != nil || got != ref {
		t.Errorf("ParseObjectRef(%q) = %v, %v; want %v", ref.String(), got, err, ref)
	}
}
