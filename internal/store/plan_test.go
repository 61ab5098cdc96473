package store

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/inkludera/inkludera/internal/strategy"
)

// TestObservationsByOrgUseThePrimaryKey guards the choice of having no
// index by organisation: queries by organisation must seek the primary key
// per indicator rather than scan every observation.
func TestObservationsByOrgUseThePrimaryKey(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "x.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	b := strategy.Bundle{Indicators: []strategy.Indicator{{Key: "a", Title: "A", Unit: "%",
		Polarity: strategy.Neutral, Source: "demo"}}}
	for org := 1000; org < 1300; org++ {
		for year := 2000; year < 2020; year++ {
			v := float64(year)
			b.Observations = append(b.Observations, strategy.Observation{Indicator: "a",
				Org: fmt.Sprint(org), Year: year, Gender: strategy.Total, Value: &v})
		}
	}
	if _, err := s.Import(ctx, []strategy.Bundle{b}); err != nil {
		t.Fatal(err)
	}
	// As a fresh database is, and after ANALYZE has given the planner
	// statistics.
	for _, phase := range []string{"", "ANALYZE"} {
		if phase != "" {
			if _, err := s.w.ExecContext(ctx, phase); err != nil {
				t.Fatal(err)
			}
		}
		checkPlans(t, s, phase)
	}
}

func checkPlans(t *testing.T, s *Store, phase string) {
	ctx := context.Background()
	for name, q := range map[string]string{
		"export": observationSelect + ` WHERE o.org_code = $1 AND ` + byOrg + ` ORDER BY o.indicator_id, o.year, ` + genderOrder,
		"filter": observationSelect + ` WHERE o.org_code = $1 AND ` + byOrg + ` ORDER BY i.key, o.org_code, o.year, ` + genderOrder,
	} {
		rows, err := s.r.QueryContext(ctx, "EXPLAIN QUERY PLAN "+q, "1100")
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		text := strings.Join(plan, "\n")
		if strings.Contains(text, "SCAN o") || !strings.Contains(text, "SEARCH o USING PRIMARY KEY (indicator_id=? AND org_code=?)") {
			t.Errorf("%s %s: the plan does not seek the primary key:\n%s", name, phase, text)
		}
	}
}
