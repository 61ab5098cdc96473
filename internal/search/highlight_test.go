package search

import (
	"slices"
	"testing"
)

func TestHighlight(t *testing.T) {
	text := library[0].Text
	tests := []struct {
		name, query string
		want        []string // marked, in order
	}{
		{"a compound by its part", "arbetsmarknad", []string{"arbetsmarknadsinsatser"}},
		{"inflections", "kommun", []string{"Kommunerna"}},
		{"words of a phrase", `"social sammanhållning"`, []string{"social", "sammanhållning"}},
		{"an unreadable query: the beginning", `"social`, nil},
		{"no words: the beginning", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			snips := Highlight(text, tt.query)
			for _, s := range snips {
				got = append(got, marked(s)...)
			}
			if !slices.Equal(got, tt.want) || len(snips) == 0 {
				t.Errorf("marked %q in %d snippets, want %q", got, len(snips), tt.want)
			}
		})
	}
}
