package search

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
)

func TestWordTokenizer(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"words", "Kommunen ska arbeta.", []string{"Kommunen", "ska", "arbeta"}},
		{"Swedish letters", "Östersunds än är å ö", []string{"Östersunds", "än", "är", "å", "ö"}},
		{"decimal comma and thousands", "12,5 procent av 1.000 personer", []string{"12,5", "procent", "av", "1.000", "personer"}},
		{"hyphen splits", "e-tjänst och covid-19", []string{"e", "tjänst", "och", "covid", "19"}},
		{"comma after a number", "2020, 2021", []string{"2020", "2021"}},
		{"apostrophe inside a word", "Region's", []string{"Region's"}},
		{"abbreviations and addresses", "bl.a. S:t www.ostersund.se", []string{"bl.a", "S:t", "www.ostersund.se"}},
		{"sentence end", "slut.Början", []string{"slut.Början"}},
		{"markup", "<script>alert('x')</script> & AT&T", []string{"script", "alert", "x", "script", "AT", "T"}},
		{"empty", "", nil},
		{"only punctuation", "— … !", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for i, tok := range (wordTokenizer{}).Tokenize([]byte(tt.text)) {
				got = append(got, string(tok.Term))
				if tok.Position != i+1 || tt.text[tok.Start:tok.End] != string(tok.Term) {
					t.Errorf("token %q: position %d, offsets %d–%d", tok.Term, tok.Position, tok.Start, tok.End)
				}
			}
			if len(got) != len(tt.want) {
				t.Fatalf("tokens %q, want %q", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("tokens %q, want %q", got, tt.want)
					break
				}
			}
		})
	}
}

// TestTokenizerMatchesUnicode compares the tokenizer with bleve's unicode
// tokenizer on the seed documents (real Swedish strategy texts), when they
// are there, and on the test library.
func TestTokenizerMatchesUnicode(t *testing.T) {
	texts := map[string]string{}
	for _, d := range library {
		texts[d.Title] = d.Title + "\n" + d.Text
	}
	seeds, _ := filepath.Glob("../../../shared/seeds/*.txt")
	for _, p := range seeds {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		texts[filepath.Base(p)] = string(b)
	}
	for name, text := range texts {
		ours := (wordTokenizer{}).Tokenize([]byte(text))
		theirs := unicode.NewUnicodeTokenizer().Tokenize([]byte(text))
		diffs := 0
		for i, j := 0, 0; i < len(ours) && j < len(theirs); i, j = i+1, j+1 {
			if string(ours[i].Term) == string(theirs[j].Term) && ours[i].Start == theirs[j].Start {
				continue
			}
			diffs++
			t.Logf("%s: ours %q at %d, bleve's %q at %d", name, ours[i].Term, ours[i].Start, theirs[j].Term, theirs[j].Start)
			// Resynchronise at the next common offset.
			for i < len(ours) && j < len(theirs) && ours[i].End != theirs[j].End {
				if ours[i].End < theirs[j].End {
					i++
				} else {
					j++
				}
			}
		}
		if diffs > 0 {
			t.Errorf("%s: %d differences in %d tokens", name, diffs, len(theirs))
		}
	}
}
