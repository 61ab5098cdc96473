package search

import (
	"errors"
	"reflect"
	"testing"

	"github.com/inkludera/inkludera/internal/strategy"
)

func TestParseQuery(t *testing.T) {
	tests := []struct {
		name, text   string
		must, mustNo [][]string // analysed terms of each clause
	}{
		{"empty", "", nil, nil},
		{"blank", "  \t ", nil, nil},
		{"one word, stemmed", "kommunerna", [][]string{{"kommun"}}, nil},
		{"compound stays whole", "integrationsstrategin", [][]string{{"integrationsstrategi"}}, nil},
		{"two words", "skola modersmål", [][]string{{"skol"}, {"modersmål"}}, nil},
		{"phrase", `"social sammanhållning"`, [][]string{{"social", "sammanhållning"}}, nil},
		{"typographic quotes", `”social sammanhållning”`, [][]string{{"social", "sammanhållning"}}, nil},
		{"stop word in a phrase leaves a gap", `"strategi för integration"`, [][]string{{"strategi", "", "integration"}}, nil},
		{"excluded word", "strategi -asyl", [][]string{{"strategi"}}, [][]string{{"asyl"}}},
		{"excluded phrase", `skola -"svenska språket"`, [][]string{{"skol"}}, [][]string{{"svensk", "språk"}}},
		{"lone dash is ignored", "skola - asyl", [][]string{{"skol"}, {"asyl"}}, nil},
		{"hyphenated word is a phrase", "e-tjänst", [][]string{{"e", "tjänst"}}, nil},
		{"stop words among words are dropped", "skola och asyl", [][]string{{"skol"}, {"asyl"}}, nil},
		{"only an exclusion", "-asyl", nil, [][]string{{"asyl"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := parseQuery(tt.text)
			if err != nil {
				t.Fatal(err)
			}
			terms := func(cs []clause) [][]string {
				var out [][]string
				for _, c := range cs {
					out = append(out, c.terms)
				}
				return out
			}
			if got := terms(p.must); !reflect.DeepEqual(got, tt.must) {
				t.Errorf("must = %q, want %q", got, tt.must)
			}
			if got := terms(p.mustNot); !reflect.DeepEqual(got, tt.mustNo) {
				t.Errorf("mustNot = %q, want %q", got, tt.mustNo)
			}
		})
	}
}

func TestParseQueryErrors(t *testing.T) {
	tests := []struct{ name, text string }{
		{"unbalanced quote", `"social sammanhållning`},
		{"unbalanced quote after a word", `skola "social`},
		{"only stop words", "och att för"},
		{"only a stop-word phrase", `"och att"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseQuery(tt.text)
			var e *strategy.Error
			if !errors.As(err, &e) || e.Code != strategy.CodeInvalid {
				t.Fatalf("parseQuery(%q) = %v, want a CodeInvalid strategy.Error", tt.text, err)
			}
		})
	}
}
