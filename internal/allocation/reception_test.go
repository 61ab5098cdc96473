package allocation

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// fourLocalities: the kommun's share is 6 850 / 50 000 = 13.7 %.
var fourLocalities = []Locality{
	{Key: "stad", Name: "Staden", Population: 40000, BornAbroadShare: 0.15},
	{Key: "norrby", Name: "Norrby", Population: 5000, BornAbroadShare: 0.05},
	{Key: "aby", Name: "Åby", Population: 3000, BornAbroadShare: 0},
	{Key: "ostby", Name: "Östby", Population: 2000, BornAbroadShare: 0.30},
}

func TestReception(t *testing.T) {
	m := 0.137
	tests := []struct {
		name        string
		localities  []Locality
		p           ReceptionParams
		want        []int
		wantFactors []float64
		wantMethod  []string
	}{
		{
			name:        "inverse to the share, capped",
			localities:  fourLocalities,
			p:           ReceptionParams{Total: 100, Unit: "bostäder"},
			want:        []int{58, 22, 19, 1},
			wantFactors: []float64{m / 0.15, m / 0.05, 4, m / 0.30},
			wantMethod: []string{
				"100 bostäder fördelas", "Kommunens andel är 13,7\u00a0%", "minst 3,4\u00a0%",
				"mer än 4 gånger", "Hamiltons metod",
			},
		},
		{
			// A cap of 1 gives no locality more than its population share;
			// those above the kommun's share still get less.
			name:        "cap of one only lowers high shares",
			localities:  fourLocalities,
			p:           ReceptionParams{Total: 100, MaxFactor: 1},
			want:        []int{80, 11, 7, 2},
			wantFactors: []float64{m / 0.15, 1, 1, m / 0.30},
			wantMethod:  []string{"100 platser i mottagandet", "mer än 1 gånger"},
		},
		{
			name: "nobody born abroad",
			localities: []Locality{
				{Key: "a", Population: 300}, {Key: "b", Population: 100},
			},
			p:           ReceptionParams{Total: 8, ShareLabel: "utomnordiskt födda"},
			want:        []int{6, 2},
			wantFactors: []float64{1, 1},
			wantMethod:  []string{"Ingen ort har några utomnordiskt födda, så fördelningen sker efter folkmängd."},
		},
		{
			name: "empty locality gets nothing",
			localities: []Locality{
				{Key: "a", Population: 100, BornAbroadShare: 0.1}, {Key: "b", Population: 0, BornAbroadShare: 0},
			},
			p:           ReceptionParams{Total: 5},
			want:        []int{5, 0},
			wantFactors: []float64{1, 4},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Reception(tt.localities, tt.p)
			if err != nil {
				t.Fatal(err)
			}
			if got := counts(c); !slices.Equal(got, tt.want) {
				t.Errorf("counts = %v, want %v", got, tt.want)
			}
			for i := range c.Rows {
				f, _ := c.Value(i, "factor")
				if math.Abs(f-tt.wantFactors[i]) > 1e-9 {
					t.Errorf("row %d factor = %g, want %g", i, f, tt.wantFactors[i])
				}
			}
			for _, s := range tt.wantMethod {
				if !strings.Contains(c.Method, s) {
					t.Errorf("Method lacks %q:\n%s", s, c.Method)
				}
			}
			if c.Kind != "reception" || c.Total != tt.p.Total {
				t.Errorf("Kind %q Total %d", c.Kind, c.Total)
			}
		})
	}
}

// A locality with fewer born abroad never weighs less than one of the same
// size with more, nor gets less unless their weights tie (then the order
// decides), and the counts add up.
func TestReceptionMonotone(t *testing.T) {
	rng := rand.New(rand.NewPCG(2313, 23))
	for range 500 {
		n := 2 + rng.IntN(8)
		pop := 100 + rng.IntN(5000)
		ls := make([]Locality, n)
		for i := range ls {
			ls[i] = Locality{Key: string(rune('a' + i)), Population: pop, BornAbroadShare: rng.Float64() * 0.4}
		}
		total := rng.IntN(300)
		c, err := Reception(ls, ReceptionParams{Total: total, MaxFactor: 1 + rng.Float64()*5})
		if err != nil {
			t.Fatal(err)
		}
		sum := 0
		for i, r := range c.Rows {
			sum += r.Count
			for j, s := range c.Rows {
				if ls[i].BornAbroadShare < ls[j].BornAbroadShare && r.Weight < s.Weight {
					t.Fatalf("share %g weighs %g < %g for share %g", ls[i].BornAbroadShare, r.Weight, s.Weight, ls[j].BornAbroadShare)
				}
				if r.Weight > s.Weight && r.Count < s.Count {
					t.Fatalf("weight %g got %d < %d for weight %g", r.Weight, r.Count, s.Count, s.Weight)
				}
			}
		}
		if sum != total {
			t.Fatalf("sum %d, want %d", sum, total)
		}
	}
}

func TestReceptionInvalid(t *testing.T) {
	tests := []struct {
		name       string
		localities []Locality
		p          ReceptionParams
		want       []string
		wantSV     []string
	}{
		{
			name: "rows and params",
			localities: []Locality{
				{Key: "a", Name: "Åby", Population: -3},
				{Key: "b", Name: "Brunflo", Population: 10, BornAbroadShare: 1.5},
				{Key: "a", Name: "Åby igen", Population: 10},
			},
			p: ReceptionParams{Total: -1, MaxFactor: 0.5},
			want: []string{
				"total must not be negative",
				"max_factor must be at least 1",
				"row 1 (Åby): population must not be negative",
				"row 2 (Brunflo): born_abroad_share must be a share between 0 and 1 (8 % is 0.08), got 1.5",
				`row 3 (Åby igen): key "a" is also used by row 1`,
			},
			wantSV: []string{
				"Totalt antal får inte vara negativt.",
				"Högsta faktor måste vara minst 1.",
				"Rad 1 (Åby): folkmängd får inte vara negativ.",
				"Rad 2 (Brunflo): andel utrikes födda måste vara en andel mellan 0 och 1 (8 % skrivs 0,08), inte 1,5.",
				`Rad 3 (Åby igen): nyckel "a" används redan på rad 1.`,
			},
		},
		{
			name:       "no population",
			localities: []Locality{{Key: "a"}, {Key: "b"}},
			p:          ReceptionParams{Total: 3},
			want:       []string{"localities have no population, so there is nothing to allocate by"},
			wantSV:     []string{"Orter har ingen folkmängd, så det finns inget att fördela efter."},
		},
		{
			name:   "no localities",
			p:      ReceptionParams{Total: 3, MaxFactor: math.Inf(1)},
			want:   []string{"max_factor must be a finite number", "localities are missing, so there is nothing to allocate to"},
			wantSV: []string{"Högsta faktor måste vara ett tal.", "Orter saknas, så det finns inget att fördela på."},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Reception(tt.localities, tt.p)
			var errs Errors
			if !errors.As(err, &errs) {
				t.Fatalf("err = %v, want Errors", err)
			}
			var en, sv []string
			for _, e := range errs {
				en = append(en, e.English())
				sv = append(sv, e.Swedish())
			}
			if !slices.Equal(en, tt.want) {
				t.Errorf("English:\n got %q\nwant %q", en, tt.want)
			}
			if !slices.Equal(sv, tt.wantSV) {
				t.Errorf("Swedish:\n got %q\nwant %q", sv, tt.wantSV)
			}
		})
	}
}
