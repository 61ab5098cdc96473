package search

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/search"
)

// locate builds term locations for every occurrence of each word in text,
// as bleve reports them.
func locate(text string, words ...string) search.TermLocationMap {
	tl := search.TermLocationMap{}
	for _, w := range words {
		for from := 0; ; {
			i := strings.Index(text[from:], w)
			if i < 0 {
				break
			}
			s := from + i
			tl[w] = append(tl[w], &search.Location{Start: uint64(s), End: uint64(s + len(w))})
			from = s + len(w)
		}
	}
	return tl
}

func TestSnippets(t *testing.T) {
	filler := strings.Repeat("Ordet fyller ut texten mellan träffarna här. ", 12) // about 540 bytes
	text := "Början av texten. " + filler + "Här står skolan och språket nära varandra. " + filler +
		"Bara skolan här. " + filler + "Och språket en gång till. " + filler + "Slutet."
	tests := []struct {
		name       string
		words      []string
		wantCount  int
		wantMarked []string
	}{
		{"no matches: the beginning", nil, 1, nil},
		{"one match", []string{"Slutet"}, 1, []string{"Slutet"}},
		{"three windows at most, in text order, the richest first chosen",
			[]string{"skolan", "språket"}, 3, []string{"skolan", "språket", "skolan", "språket"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := snippets(text, locate(text, tt.words...))
			if len(got) != tt.wantCount {
				t.Fatalf("%d snippets, want %d: %+v", len(got), tt.wantCount, got)
			}
			var all []string
			for _, s := range got {
				all = append(all, marked(s)...)
				if n := len(s.String()); n > snippetLen+2*len(ellipsis)+20 {
					t.Errorf("snippet of %d bytes: %q", n, s.String())
				}
			}
			if len(tt.wantMarked) > 0 && strings.Join(all, " ") != strings.Join(tt.wantMarked, " ") {
				t.Errorf("marked %q, want %q", all, tt.wantMarked)
			}
		})
	}
	t.Run("cut passages show an ellipsis, the whole text none", func(t *testing.T) {
		got := snippets(text, locate(text, "Slutet"))
		if s := got[0].String(); !strings.HasPrefix(s, ellipsis) || strings.HasSuffix(s, ellipsis) {
			t.Errorf("last passage %q: want a leading ellipsis only", s)
		}
		short := snippets("Kort text om skolan.", locate("Kort text om skolan.", "skolan"))
		if s := short[0].String(); s != "Kort text om skolan." {
			t.Errorf("short text %q, want it whole", s)
		}
	})
}

func TestSnippetsNeverCutCharacters(t *testing.T) {
	text := strings.Repeat("Åäö ÅÄÖ ééé ", 40) + "målet " + strings.Repeat("öåä ", 60)
	for _, tl := range []search.TermLocationMap{
		locate(text, "målet"),
		locate(text, "ééé"),
		{"x": {{Start: 1, End: 2}}},       // inside a character: dropped
		{"x": {{Start: 5000, End: 5004}}}, // past the end: dropped
		{"x": {{Start: 10, End: 3}}},      // backwards: dropped
	} {
		for _, s := range append(snippets(text, tl), markAll(text, tl)) {
			for _, sp := range s {
				if !utf8.ValidString(sp.Text) {
					t.Fatalf("span %q is not valid UTF-8", sp.Text)
				}
			}
		}
	}
}

func TestSpansCollapseSpace(t *testing.T) {
	text := "Rad ett\n\nrad  två\tmed skolan\r\nslut"
	got := markAll(text, locate(text, "skolan"))
	want := Snippet{{Text: "Rad ett rad två med "}, {Text: "skolan", Hit: true}, {Text: " slut"}}
	if len(got) != len(want) {
		t.Fatalf("spans %+v, want %+v", got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("span %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}
