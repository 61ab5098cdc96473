package search

import (
	"bufio"
	"os"
	"slices"
	"strings"
	"testing"
)

// TestCompoundsTSV measures the decompounder on testdata/compounds.tsv:
// every row's parts must match exactly, and at least minAccuracy of the
// rows must.
func TestCompoundsTSV(t *testing.T) {
	const minAccuracy = 0.9
	f, err := os.Open("testdata/compounds.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows, right, compounds, whole int
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		word, want, ok := strings.Cut(text, "\t")
		if !ok {
			t.Fatalf("compounds.tsv:%d: want word<TAB>parts, got %q", line, text)
		}
		var wantParts []string
		if want != "-" {
			wantParts = strings.Fields(want)
			compounds++
		} else {
			whole++
		}
		got := analyseWord([]byte(strings.ToLower(word))).parts
		rows++
		if slices.Equal(got, wantParts) {
			right++
			continue
		}
		t.Logf("compounds.tsv:%d: %s: got %q, want %q", line, word, got, wantParts)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if rows < 150 {
		t.Fatalf("compounds.tsv has %d rows, want at least 150", rows)
	}
	acc := float64(right) / float64(rows)
	t.Logf("decompounding accuracy %.3f: %d of %d rows (%d compounds, %d words to keep whole)", acc, right, rows, compounds, whole)
	if acc < minAccuracy {
		t.Errorf("accuracy %.3f, want at least %.2f", acc, minAccuracy)
	}
}

func TestAnalyseWord(t *testing.T) {
	tests := []struct {
		name, word string
		wantTerms  []string // stems: the lemma's first, then the parts'
	}{
		{"definite plural is the base", "kommunerna", []string{"kommun"}},
		{"genitive is the base", "kommunens", []string{"kommun"}},
		{"plural is the base", "kommuner", []string{"kommun"}},
		{"base", "kommun", []string{"kommun"}},
		{"definite of an a-noun, which Snowball misses", "skolan", []string{"skol"}},
		{"s-plural, which Snowball stems differently from the singular", "insatser", []string{"insat"}},
		{"compound with its parts", "integrationsstrategi", []string{"integrationsstrategi", "integration", "strategi"}},
		{"inflected compound has the base compound's lemma", "integrationsstrategin", []string{"integrationsstrategi", "integration", "strategi"}},
		{"lexicalised first part", "arbetsmarknadsinsatser", []string{"arbetsmarknadsinsat", "arbetsmarkn", "insat"}},
		{"linking s dropped e", "samhällsorientering", []string{"samhällsorientering", "samhäll", "orientering"}},
		{"a becomes o", "kvinnoföreningar", []string{"kvinnoförening", "kvinn", "förening"}},
		{"known word not split", "företaget", []string{"företag"}},
		{"place name not split", "östersund", []string{"östersund"}},
		{"surname not split", "andersson", []string{"andersson"}},
		{"number", "2020", []string{"2020"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			info := analyseWord([]byte(tt.word))
			var got []string
			for _, term := range info.terms {
				got = append(got, string(term))
			}
			if !slices.Equal(got, tt.wantTerms) {
				t.Errorf("analyseWord(%q) terms = %q, want %q", tt.word, got, tt.wantTerms)
			}
		})
	}
	t.Run("stop word", func(t *testing.T) {
		if info := analyseWord([]byte("och")); !info.stop || info.terms != nil {
			t.Errorf("analyseWord(och) = %+v, want a stop word without terms", info)
		}
	})
}

// TestQueryAnalysisKeepsCompoundsWhole: the index holds a compound with
// its parts, a query holds only the whole word, so that a query for the
// compound does not turn into a query for its parts.
func TestQueryAnalysisKeepsCompoundsWhole(t *testing.T) {
	tests := []struct {
		name, text string
		index      []string
		query      []string
	}{
		{"compound", "Integrationsstrategin", []string{"integrationsstrategi", "integration", "strategi"}, []string{"integrationsstrategi"}},
		{"simple word", "kommunerna", []string{"kommun"}, []string{"kommun"}},
		{"stop words go", "för och integration", []string{"integration"}, []string{"integration"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			terms := func(query bool) []string {
				var out []string
				for _, tok := range newAnalyzer(query).Analyze([]byte(tt.text)) {
					out = append(out, string(tok.Term))
				}
				return out
			}
			if got := terms(false); !slices.Equal(got, tt.index) {
				t.Errorf("index analysis %q, want %q", got, tt.index)
			}
			if got := terms(true); !slices.Equal(got, tt.query) {
				t.Errorf("query analysis %q, want %q", got, tt.query)
			}
		})
	}
	t.Run("parts share the word's position and offsets", func(t *testing.T) {
		toks := newAnalyzer(false).Analyze([]byte("en integrationsstrategi"))
		if len(toks) != 3 {
			t.Fatalf("got %d tokens, want 3", len(toks))
		}
		for _, tok := range toks {
			if tok.Position != 2 || tok.Start != 3 || tok.End != len("en integrationsstrategi") {
				t.Errorf("token %s: position %d, offsets %d–%d; want 2, 3–%d", tok.Term, tok.Position, tok.Start, tok.End, len("en integrationsstrategi"))
			}
		}
	})
}

func TestExpand(t *testing.T) {
	tests := []struct{ name, text, want string }{
		{"one compound", "integrationsstrategi", "integration strategi"},
		{"inflected", "Integrationsstrategin", "integration strategi"},
		{"simple words have no parts", "kommunen och skolan", ""},
		{"every compound, in order", "Arbetsmarknadsinsatser och kvinnojourer i stadsdelen",
			"arbetsmarknad insats kvinna jour stad del"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Expand(tt.text); got != tt.want {
				t.Errorf("Expand(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestLemmatize(t *testing.T) {
	tests := []struct{ name, text, want string }{
		{"inflections", "Skolan och kommunerna", "skola och kommun"},
		{"compound keeps its first part", "Integrationsstrategin", "integrationsstrategi"},
		{"unknown words as they are", "Blorp 2020", "blorp 2020"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Lemmatize(tt.text); got != tt.want {
				t.Errorf("Lemmatize(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestTerms(t *testing.T) {
	got := Terms("Kommunen och kommunerna. Integrationsstrategin för kommunen!")
	want := map[string]int{"kommun": 3, "integrationsstrategi": 1, "integration": 1, "strategi": 1}
	if len(got) != len(want) {
		t.Fatalf("Terms = %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("Terms[%q] = %d, want %d (all: %v)", k, got[k], v, got)
		}
	}
}

func TestWordlist(t *testing.T) {
	lx := loadLexicon()
	if lx.bases < 3000 {
		t.Errorf("wordlist.txt has %d base forms, want several thousand (≥ 3000)", lx.bases)
	}
	t.Logf("%d base forms, %d known forms, %d combining shapes", lx.bases, len(lx.known), len(lx.combining))
	for _, bad := range []string{"het", "ande", "ning", "skap", "dom", "ring", "sam"} {
		if lx.heads[bad] != "" {
			t.Errorf("%q can end a compound: it is a suffix far more often than a word", bad)
		}
	}
	if _, err := parseLexicon("[substantiv]\nKommun\n"); err == nil {
		t.Error("an upper-case entry was accepted")
	}
	if _, err := parseLexicon("[okänd]\nkommun\n"); err == nil {
		t.Error("an unknown section was accepted")
	}
}

// TestCompoundsHeldOut reports the accuracy on compounds the word list was
// not tuned on. It fails only far below the goal: its purpose is the
// figure in the log.
func TestCompoundsHeldOut(t *testing.T) {
	rows, right := 0, 0
	f, err := os.Open("testdata/compounds_heldout.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		word, want, _ := strings.Cut(text, "\t")
		var wantParts []string
		if want != "-" {
			wantParts = strings.Fields(want)
		}
		got := analyseWord([]byte(strings.ToLower(word))).parts
		rows++
		if slices.Equal(got, wantParts) {
			right++
		} else {
			t.Logf("compounds_heldout.tsv:%d: %s: got %q, want %q", line, word, got, wantParts)
		}
	}
	acc := float64(right) / float64(rows)
	t.Logf("held-out decompounding accuracy %.3f: %d of %d rows", acc, right, rows)
	if acc < 0.75 {
		t.Errorf("held-out accuracy %.3f is far below the goal of 0.9", acc)
	}
}

// lexicalised are the compounds wordlist.txt lists on purpose, so that they
// are never split: their sense is not the sum of their parts (riksdag is
// not a rich day), or they are words of their own that other compounds
// build on (arbetsmarknad in arbetsmarknadsinsatser).
var lexicalised = []string{
	"arbetsgivare", "arbetsliv", "arbetsmarknad", "bokslut", "bokstav", "bredband",
	"ensamstående", "farkost", "fritid", "fullmäktige", "glasögon", "handledare",
	"handledning", "hyresgäst", "högskola", "högtid", "körkort", "livsmedel",
	"lägenhet", "modersmål", "måltid", "näringsliv", "nätverk", "riksdag", "rådslag",
	"sjukhus", "storlek", "trovärdighet", "verkstad", "vägledare", "vägledning",
}

// TestWordlistCompoundsAreDeliberate: a word of the list that the
// decompounder could split into other words of the list is a compound, and
// listing it stops it from being split (so "strategi" would not find it).
// Only the lexicalised ones may be listed.
func TestWordlistCompoundsAreDeliberate(t *testing.T) {
	lx := loadLexicon()
	section := ""
	sc := bufio.NewScanner(strings.NewReader(wordlistText))
	for line := 1; sc.Scan(); line++ {
		f := strings.Fields(sc.Text())
		if len(f) == 0 || strings.HasPrefix(f[0], "#") {
			continue
		}
		if strings.HasPrefix(f[0], "[") {
			section = f[0]
			continue
		}
		if section == "[namn]" {
			continue
		}
		if parts, _, ok := lx.decompound(f[0]); ok && !slices.Contains(lexicalised, f[0]) {
			t.Errorf("wordlist.txt:%d: %s is %s: leave it out, or add it to lexicalised with the reason",
				line, f[0], strings.Join(parts, " + "))
		}
	}
}
