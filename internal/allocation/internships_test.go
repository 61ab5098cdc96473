package allocation

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
)

// threeBodies are easy to follow by hand: headcount shares .2/.6/.2, gaps to
// 8 % of 0/120/60 employees, needs .1/.3/.6 of 100.
var threeBodies = []Body{
	{Key: "kultur", Name: "Kultur- och fritidsförvaltningen", Headcount: 1000, BornAbroadShare: 0.10, StatedNeed: 10},
	{Key: "vard", Name: "Vård- och omsorgsförvaltningen", Headcount: 3000, BornAbroadShare: 0.04, StatedNeed: 30},
	{Key: "social", Name: "Socialförvaltningen", Headcount: 1000, BornAbroadShare: 0.02, StatedNeed: 60},
}

func counts(c Calculation) []int {
	var out []int
	for _, r := range c.Rows {
		out = append(out, r.Count)
	}
	return out
}

func TestInternships(t *testing.T) {
	tests := []struct {
		name        string
		p           Params
		want        []int
		wantWeights []float64
		wantMethod  []string
	}{
		{
			name:        "equal weights by default",
			p:           Params{Total: 100, TargetShare: 0.08},
			want:        []int{10, 52, 38},
			wantWeights: []float64{0.1, (0.6 + 2.0/3 + 0.3) / 3, (0.2 + 1.0/3 + 0.6) / 3},
			wantMethod: []string{
				"100 praktikplatser", "kommunens 5\u00a0000 anställda (vikt 33,3\u00a0%)",
				"de 180 anställda som saknas för att andelen utrikes födda ska nå 8\u00a0%",
				"kompetensbehovet, sammanlagt 100 (vikt 33,3\u00a0%)", "Hamiltons metod",
			},
		},
		{
			name:        "headcount only",
			p:           Params{Total: 100, TargetShare: 0.08, WeightHeadcount: 1},
			want:        []int{20, 60, 20},
			wantWeights: []float64{0.2, 0.6, 0.2},
			wantMethod:  []string{"anställda (vikt 100\u00a0%)"},
		},
		{
			name:        "gap only",
			p:           Params{Total: 100, TargetShare: 0.08, WeightGap: 1, ShareLabel: "utomnordiskt födda"},
			want:        []int{0, 67, 33},
			wantWeights: []float64{0, 2.0 / 3, 1.0 / 3},
			wantMethod:  []string{"andelen utomnordiskt födda ska nå 8\u00a0%"},
		},
		{
			name: "relative weights",
			p:    Params{Total: 50, TargetShare: 0.08, WeightHeadcount: 2, WeightNeed: 2},
			// Quotas 7.5, 22.5 and 20: the tied remainders go to the larger weight.
			want:        []int{7, 23, 20},
			wantWeights: []float64{0.15, 0.45, 0.4},
			wantMethod:  []string{"(vikt 50\u00a0%)"},
		},
		{
			name:        "no body below the target",
			p:           Params{Total: 100, TargetShare: 0.01},
			want:        []int{15, 45, 40},
			wantWeights: []float64{0.15, 0.45, 0.4},
			wantMethod: []string{
				"Avståndet till målandelen räknas inte, eftersom ingen förvaltning ligger under 1\u00a0%.",
				"anställda (vikt 50\u00a0%)", "räknas därför om",
			},
		},
		{
			name:        "no target",
			p:           Params{Total: 100},
			want:        []int{15, 45, 40},
			wantWeights: []float64{0.15, 0.45, 0.4},
			wantMethod:  []string{"eftersom ingen målandel har angetts"},
		},
		{
			name:        "nothing to divide",
			p:           Params{Total: 0, TargetShare: 0.08},
			want:        []int{0, 0, 0},
			wantWeights: []float64{0.1, (0.6 + 2.0/3 + 0.3) / 3, (0.2 + 1.0/3 + 0.6) / 3},
			wantMethod:  []string{"Fördelningstalen för 0 praktikplatser"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Internships(threeBodies, tt.p)
			if err != nil {
				t.Fatal(err)
			}
			if got := counts(c); !slices.Equal(got, tt.want) {
				t.Errorf("counts = %v, want %v", got, tt.want)
			}
			sum := 0
			for i, r := range c.Rows {
				sum += r.Count
				if math.Abs(r.Weight-tt.wantWeights[i]) > 1e-12 {
					t.Errorf("row %d weight = %g, want %g", i, r.Weight, tt.wantWeights[i])
				}
				if math.Abs(r.Quota-float64(tt.p.Total)*r.Weight) > 1e-9 {
					t.Errorf("row %d quota %g ≠ total × weight %g", i, r.Quota, r.Weight)
				}
				if float64(r.Floor)+r.Remainder != r.Quota || r.Floor != int(math.Floor(r.Quota)) {
					t.Errorf("row %d floor %d + remainder %g ≠ quota %g", i, r.Floor, r.Remainder, r.Quota)
				}
				extra := 0
				if r.Extra {
					extra = 1
				}
				if r.Count != r.Floor+extra {
					t.Errorf("row %d count %d ≠ floor %d + extra %v", i, r.Count, r.Floor, r.Extra)
				}
				if r.Key != threeBodies[i].Key || r.Name != threeBodies[i].Name {
					t.Errorf("row %d is %s/%s", i, r.Key, r.Name)
				}
			}
			if sum != tt.p.Total {
				t.Errorf("counts sum to %d, want %d", sum, tt.p.Total)
			}
			for _, s := range tt.wantMethod {
				if !strings.Contains(c.Method, s) {
					t.Errorf("Method lacks %q:\n%s", s, c.Method)
				}
			}
		})
	}
}

func TestInternshipsColumns(t *testing.T) {
	c, err := Internships(threeBodies, Params{Total: 100, TargetShare: 0.08})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		row  int
		key  string
		want float64
	}{
		{"headcount", 1, "headcount", 3000},
		{"share born abroad", 1, "born_abroad_share", 0.04},
		{"stated need", 2, "stated_need", 60},
		{"gap of a body above the target", 0, "gap", 0},
		{"gap in employees", 1, "gap", 120},
		{"headcount share", 1, "headcount_share", 0.6},
		{"gap share", 2, "gap_share", 1.0 / 3},
		{"need share", 2, "need_share", 0.6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := c.Value(tt.row, tt.key)
			if !ok || math.Abs(got-tt.want) > 1e-9 {
				t.Errorf("Value(%d, %q) = %g, %v; want %g", tt.row, tt.key, got, ok, tt.want)
			}
		})
	}
	if _, ok := c.Value(0, "nonexistent"); ok {
		t.Error("Value of an unknown column reported ok")
	}
	if _, ok := c.Value(9, "gap"); ok {
		t.Error("Value of a row out of range reported ok")
	}
	if extra := []bool{c.Rows[0].Extra, c.Rows[1].Extra, c.Rows[2].Extra}; !slices.Equal(extra, []bool{false, false, true}) {
		t.Errorf("extra = %v, want the last row (remainder .78) only", extra)
	}
	for _, f := range c.Factors {
		if !f.Used() || math.Abs(f.Weight-1.0/3) > 1e-12 || math.Abs(f.Effective-1.0/3) > 1e-12 {
			t.Errorf("factor %s: weight %g used %v", f.Key, f.Weight, f.Used())
		}
	}
}

func TestInternshipsInvalid(t *testing.T) {
	tests := []struct {
		name   string
		bodies []Body
		p      Params
		want   []string // English
		wantSV []string
	}{
		{
			name: "negative headcount names row and body",
			bodies: []Body{
				{Key: "a", Name: "A", Headcount: 10},
				{Key: "b", Name: "B", Headcount: 10},
				{Key: "social", Name: "Socialförvaltningen", Headcount: -5},
			},
			p:      Params{Total: 10, TargetShare: 0.08},
			want:   []string{"row 3 (Socialförvaltningen): headcount must not be negative"},
			wantSV: []string{"Rad 3 (Socialförvaltningen): antal anställda får inte vara negativt."},
		},
		{
			name: "every problem reported",
			bodies: []Body{
				{Key: "a", Headcount: 10, BornAbroadShare: 8},
				{Key: "a", Name: "Bis", Headcount: 10, StatedNeed: -1},
				{Name: "Utan nyckel", Headcount: 10, StatedNeed: math.NaN()},
			},
			p: Params{Total: -1, TargetShare: 8, WeightGap: -1},
			want: []string{
				"total must not be negative",
				"target_share must be a share between 0 and 1 (8 % is 0.08), got 8",
				"weight_gap must not be negative",
				"row 1 (a): born_abroad_share must be a share between 0 and 1 (8 % is 0.08), got 8",
				`row 2 (Bis): key "a" is also used by row 1`,
				"row 2 (Bis): stated_need must not be negative",
				"row 3 (Utan nyckel): key is required",
				"row 3 (Utan nyckel): stated_need must be a finite number",
			},
			wantSV: []string{
				"Totalt antal får inte vara negativt.",
				"Målandel måste vara en andel mellan 0 och 1 (8 % skrivs 0,08), inte 8.",
				"Vikt för avstånd till målandelen får inte vara negativ.",
				"Rad 1 (a): andel utrikes födda måste vara en andel mellan 0 och 1 (8 % skrivs 0,08), inte 8.",
				`Rad 2 (Bis): nyckel "a" används redan på rad 1.`,
				"Rad 2 (Bis): kompetensbehov får inte vara negativt.",
				"Rad 3 (Utan nyckel): nyckel saknas.",
				"Rad 3 (Utan nyckel): kompetensbehov måste vara ett tal.",
			},
		},
		{
			name:   "no bodies",
			p:      Params{Total: 100},
			want:   []string{"bodies are missing, so there is nothing to allocate to"},
			wantSV: []string{"Förvaltningar saknas, så det finns inget att fördela på."},
		},
		{
			name:   "nothing to weigh",
			bodies: []Body{{Key: "a", BornAbroadShare: 0.01}, {Key: "b"}},
			p:      Params{Total: 100, TargetShare: 0.08},
			want:   []string{"bodies give nothing to weigh: every counted factor (headcount, gap to the target share, stated need) is zero"},
			wantSV: []string{"Förvaltningar ger inget att väga: alla faktorer som räknas (antal anställda, avstånd till målandelen, kompetensbehov) är noll."},
		},
		{
			name:   "only a factor that is empty counts",
			bodies: []Body{{Key: "a", Headcount: 10}},
			p:      Params{Total: 1, WeightNeed: 1},
			want:   []string{"bodies give nothing to weigh: every counted factor (headcount, gap to the target share, stated need) is zero"},
			wantSV: []string{"Förvaltningar ger inget att väga: alla faktorer som räknas (antal anställda, avstånd till målandelen, kompetensbehov) är noll."},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Internships(tt.bodies, tt.p)
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

func TestInputErrorFields(t *testing.T) {
	_, err := Internships([]Body{{Key: "a", Headcount: 1}, {Key: "social", Name: "Socialförvaltningen", Headcount: -1}}, Params{Total: 1})
	var errs Errors
	if !errors.As(err, &errs) || len(errs) != 1 {
		t.Fatalf("err = %v", err)
	}
	e := errs[0]
	if e.Row != 2 || e.Name != "Socialförvaltningen" || e.Field != "headcount" {
		t.Errorf("got Row %d Name %q Field %q", e.Row, e.Name, e.Field)
	}
	if errs.Swedish() != e.Swedish() || errs.English() != e.English() {
		t.Errorf("a single problem joins to itself: %q / %q", errs.Swedish(), errs.English())
	}
}
