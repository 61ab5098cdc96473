package scb

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/inkludera/inkludera/internal/strategy"
)

// Gender maps an SCB sex code to our gender: "1" (män) → M, "2"
// (kvinnor) → K, a total ("1+2" in v1, "TotSa" in v2) → T.
func Gender(code string) (strategy.Gender, bool) {
	switch strings.ToLower(strings.TrimSpace(code)) {
	case "1":
		return strategy.Men, true
	case "2":
		return strategy.Women, true
	case "1+2", "totsa", "tot":
		return strategy.Total, true
	}
	return "", false
}

// Result is what Fetch found.
type Result struct {
	// Observations per organisation, year and gender, ordered by the orgs
	// given, then year, then T, K, M. Indicator is left for the caller.
	Observations []strategy.Observation
	// MethodBreak is the first year taken from the successor table of a
	// stitched reference (2025 for SCB's Cell Key Method tables), else 0:
	// figures before and from that year are not fully comparable.
	MethodBreak int
	// Requests is the number of HTTP calls made, retries included; it is
	// set, with Warnings, also when Fetch fails.
	Requests int
	// Warnings say what was chosen or skipped on the caller's behalf.
	Warnings []string
	// Notes are the notes SCB marks as mandatory to show with the figures,
	// such as the Cell Key Method note.
	Notes []string
}

// Fetch gets the observations of a source reference for organisations
// (our codes, which are SCB's: "2380", "23", "00" for riket; none means
// every region of the table) and years (none means every year).
//
// It reads the table metadata and maps Region to organisation, the time
// variable to year and Kon to gender. T is the table's published total
// when it has one; otherwise K+M summed, with a warning, since from 2025
// SCB's noise makes totals differ from sums of parts. Variables the
// reference fixes with several codes or "*" are summed; a missing cell
// ("..") anywhere in a sum makes the sum missing, never 0. A monthly or
// quarterly table gives each year its last period (December, or the latest
// month of the current year), read as a stock, with a warning; a
// sub-annual flow is refused. With two tables, the successor's years
// replace the history table's from the successor's first year on, which
// becomes MethodBreak.
func (c *Client) Fetch(ctx context.Context, ref Ref, orgs []string, years []int) (*Result, error) {
	if len(ref.Tables) == 0 || len(ref.Tables) > 2 {
		return nil, invalid("scb: reference %s: want one table or two (history+successor)", ref)
	}
	var calls atomic.Int64
	ctx = withCounter(ctx, &calls)
	res := &Result{}
	// A failed Fetch still reports what it cost and what it noticed.
	fail := func(err error) (*Result, error) {
		res.Observations, res.MethodBreak = nil, 0
		res.Requests = int(calls.Load())
		return res, err
	}
	warned := map[string]bool{}
	warn := func(format string, args ...any) {
		w := "scb: " + fmt.Sprintf(format, args...)
		if !warned[w] {
			warned[w] = true
			res.Warnings = append(res.Warnings, w)
		}
	}

	// All metadata first: the successor's first year decides which years
	// the history table is asked for.
	tables := make([]*Table, len(ref.Tables))
	periods := make([]map[int]string, len(ref.Tables))
	for i, id := range ref.Tables {
		t, err := c.table(ctx, id)
		if err != nil {
			return fail(err)
		}
		p, err := yearPeriods(t, ref.selection(t.ID), warn)
		if err != nil {
			return fail(err)
		}
		tables[i], periods[i] = t, p
	}
	breakYear := 0
	if len(tables) == 2 {
		for y := range periods[1] {
			if breakYear == 0 || y < breakYear {
				breakYear = y
			}
		}
		if breakYear == 0 {
			return fail(invalid("scb: successor table %s has no years", tables[1].ID))
		}
	}
	want := map[int]bool{}
	for _, y := range years {
		want[y] = true
	}
	covered := map[int]bool{}
	for i, t := range tables {
		chosen := map[int]string{}
		for y, p := range periods[i] {
			if len(want) > 0 && !want[y] {
				continue
			}
			if i == 0 && breakYear > 0 && y >= breakYear {
				continue // the successor has it
			}
			chosen[y] = p
			covered[y] = true
		}
		if len(chosen) == 0 {
			continue
		}
		obs, notes, err := c.fetchTable(ctx, ref, t, orgs, chosen, warn)
		if err != nil {
			return fail(err)
		}
		res.Observations = append(res.Observations, obs...)
		for _, n := range notes {
			if !slices.Contains(res.Notes, n) {
				res.Notes = append(res.Notes, n)
			}
		}
		if i == 1 && len(obs) > 0 {
			res.MethodBreak = breakYear
		}
	}
	if res.MethodBreak > 0 && len(covered) > 0 {
		for y := range covered {
			if y < res.MethodBreak {
				warn("method break at %d: %s continues %s; figures from %d on are not fully comparable with earlier years",
					res.MethodBreak, tables[1].ID, tables[0].ID, res.MethodBreak)
				break
			}
		}
	}
	var absent []string
	for _, y := range years {
		if !covered[y] {
			absent = append(absent, strconv.Itoa(y))
		}
	}
	if len(absent) > 0 {
		warn("no figures in %s for %s", strings.Join(ref.Tables, "+"), strings.Join(absent, ", "))
	}
	if w := c.configWarning(); w != "" {
		warn("%s", w)
	}
	orgRank := map[string]int{}
	for i, o := range orgs {
		if _, ok := orgRank[o]; !ok {
			orgRank[o] = i
		}
	}
	genderRank := map[strategy.Gender]int{strategy.Total: 0, strategy.Women: 1, strategy.Men: 2}
	sort.SliceStable(res.Observations, func(i, j int) bool {
		a, b := res.Observations[i], res.Observations[j]
		if a.Org != b.Org {
			ra, oka := orgRank[a.Org]
			rb, okb := orgRank[b.Org]
			if oka && okb {
				return ra < rb
			}
			return a.Org < b.Org
		}
		if a.Year != b.Year {
			return a.Year < b.Year
		}
		return genderRank[a.Gender] < genderRank[b.Gender]
	})
	res.Requests = int(calls.Load())
	return res, nil
}

// parsePeriod reads a time code: "2024" is a year; "2025M01" a month,
// "2025K1"/"2025Q1" a quarter, "2025H1" a half-year. sub is 0 for a
// year, last the number of sub-periods in a year.
func parsePeriod(code string) (year, sub, last int, ok bool) {
	if len(code) < 4 {
		return 0, 0, 0, false
	}
	y, err := strconv.Atoi(code[:4])
	if err != nil || y < 1000 {
		return 0, 0, 0, false
	}
	rest := code[4:]
	if rest == "" {
		return y, 0, 0, true
	}
	switch rest[0] {
	case 'M', 'm':
		last = 12
	case 'K', 'k', 'Q', 'q':
		last = 4
	case 'H', 'h':
		last = 2
	default:
		return 0, 0, 0, false
	}
	s, err := strconv.Atoi(rest[1:])
	if err != nil || s < 1 || s > last {
		return 0, 0, 0, false
	}
	return y, s, last, true
}

// yearPeriods picks one time code per year. A monthly or quarterly table
// gives each year its last period: December (or the fourth quarter) for a
// complete year, the latest published one for the current year. That
// reads the figure as a stock at the end of the period — right for
// population (SCB's Folkmängd is the count on the month's last day), wrong
// for a flow such as births, so a flow is refused rather than summed.
func yearPeriods(t *Table, fixed Selection, warn func(string, ...any)) (map[int]string, error) {
	tv := t.TimeVariable()
	if tv == nil {
		return nil, invalid("scb: %s has no time variable (variables: %s)", t.ID, t.variableCodes())
	}
	type pick struct {
		code      string
		sub, last int
	}
	best := map[int]pick{}
	var skipped []string
	for _, v := range tv.Values {
		y, sub, last, ok := parsePeriod(v.Code)
		if !ok {
			skipped = append(skipped, v.Code)
			continue
		}
		if b, ok := best[y]; !ok || sub > b.sub {
			best[y] = pick{v.Code, sub, last}
		}
	}
	if len(skipped) > 0 {
		warn("%s: time codes not read as years: %s", t.ID, strings.Join(skipped, ", "))
	}
	out := map[int]string{}
	var partial []string
	subAnnual := false
	for y, p := range best {
		out[y] = p.code
		if p.last > 0 {
			subAnnual = true
			if p.sub < p.last {
				partial = append(partial, fmt.Sprintf("%d → %s", y, p.code))
			}
		}
	}
	if subAnnual {
		if cv := t.Variable("ContentsCode"); cv != nil {
			chosen := cv.Values
			if codes, ok := fixed[cv.Code]; ok {
				chosen = nil
				for _, code := range codes {
					if i, ok := cv.Index(code); ok {
						chosen = append(chosen, cv.Values[i])
					}
				}
			}
			for _, v := range chosen {
				if strings.EqualFold(v.MeasuringType, "Flow") {
					return nil, invalid("scb: %s is sub-annual and %s is a flow; summing periods to years is not supported, use an annual table", t.ID, v.Code)
				}
			}
		}
		sort.Strings(partial)
		w := fmt.Sprintf("%s is sub-annual: each year is its last period, read as a stock (December for a complete year)", t.ID)
		if len(partial) > 0 {
			w += "; incomplete: " + strings.Join(partial, ", ")
		}
		warn("%s", w)
	}
	return out, nil
}

// totalCode finds the value that is the whole of a variable: a code
// starting "tot" (TotSa, TotSA, tot16+) or a label starting "totalt" or
// "samtliga". More than one candidate is ambiguous.
func totalCode(v *Dimension) (string, error) {
	var found []string
	for _, val := range v.Values {
		code, label := strings.ToLower(val.Code), strings.ToLower(val.Label)
		if strings.HasPrefix(code, "tot") || strings.HasPrefix(label, "totalt") || strings.HasPrefix(label, "samtliga") {
			found = append(found, val.Code)
		}
	}
	switch len(found) {
	case 0:
		return "", nil
	case 1:
		return found[0], nil
	}
	return "", fmt.Errorf("%s=* is ambiguous: the table has several totals (%s); name one", v.Code, strings.Join(found, ", "))
}

// fetchTable fetches one table's share of a Fetch: the given years (year →
// time code) for the orgs.
func (c *Client) fetchTable(ctx context.Context, ref Ref, t *Table, orgs []string, periods map[int]string, warn func(string, ...any)) ([]strategy.Observation, []string, error) {
	tv := t.TimeVariable()
	rv := t.Variable("Region")
	kv := t.Variable("Kon")
	fixed := ref.selection(t.ID)

	role := map[string]string{tv.Code: "time"}
	if rv != nil {
		role[rv.Code] = "region"
	}
	if kv != nil {
		role[kv.Code] = "sex"
	}
	// sums are the variables summed over (or held at one code) for each
	// observation, in table order.
	var sums []varCodes
	fixedSeen := map[string]bool{}
	for name := range fixed {
		v := t.Variable(name)
		if v == nil {
			return nil, nil, invalid("scb: %s has no variable %s, which the reference fixes (variables: %s)", t.ID, name, t.variableCodes())
		}
		if r, ok := role[v.Code]; ok {
			return nil, nil, invalid("scb: %s: the reference fixes %s, the %s variable, which Fetch chooses itself", t.ID, v.Code, r)
		}
		fixedSeen[v.Code] = true
	}
	for i := range t.Variables {
		v := &t.Variables[i]
		if _, ok := role[v.Code]; ok {
			continue
		}
		if !fixedSeen[v.Code] {
			if len(v.Values) == 0 {
				return nil, nil, invalid("scb: %s: variable %s has no values", t.ID, v.Code)
			}
			if len(v.Values) == 1 {
				sums = append(sums, varCodes{code: v.Code, codes: v.Codes()})
				continue
			}
			return nil, nil, invalid("scb: %s: the reference does not fix %s (%s), which has %d values; add e.g. %s=%s or %s=* (%s)",
				t.ID, v.Code, v.Label, len(v.Values), v.Code, v.Values[0].Code, v.Code, sample(v))
		}
		var asked []string
		for name, codes := range fixed {
			if strings.EqualFold(name, v.Code) {
				asked = codes
			}
		}
		var codes []string
		if len(asked) == 1 && asked[0] == "*" {
			total, err := totalCode(v)
			if err != nil {
				return nil, nil, invalid("scb: %s: %v", t.ID, err)
			}
			if total != "" {
				codes = []string{total}
				if len(v.Values) > 1 {
					warn("%s: %s=* is the published total %s", t.ID, v.Code, total)
				}
			} else {
				codes = v.Codes()
				if len(codes) > 1 {
					warn("%s: %s=* sums all %d values (the table publishes no total)", t.ID, v.Code, len(codes))
				}
			}
		} else {
			var err error
			if codes, err = expandCodes(v, asked); err != nil {
				return nil, nil, invalid("scb: %s: %v", t.ID, err)
			}
		}
		sums = append(sums, varCodes{code: v.Code, codes: codes})
	}

	// Organisations.
	var orgCodes []string
	switch {
	case rv == nil:
		if len(orgs) == 0 || slices.Contains(orgs, "00") {
			orgCodes = []string{"00"} // a table without Region is the whole country
		}
		for _, o := range orgs {
			if o != "00" {
				warn("%s has no Region variable (riket only); skipped %s", t.ID, o)
			}
		}
	case len(orgs) == 0:
		orgCodes = rv.Codes()
	default:
		var missing []string
		for _, o := range orgs {
			if _, ok := rv.Index(o); ok {
				if !slices.Contains(orgCodes, o) {
					orgCodes = append(orgCodes, o)
				}
			} else {
				missing = append(missing, o)
			}
		}
		if len(missing) > 0 {
			warn("%s has no region %s", t.ID, strings.Join(missing, ", "))
		}
	}
	if len(orgCodes) == 0 {
		return nil, nil, nil
	}

	// Sex → gender.
	genders := []strategy.Gender{strategy.Total}
	sexCodes := map[strategy.Gender][]string{strategy.Total: nil}
	if kv != nil {
		var total, women, men string
		for _, v := range kv.Values {
			switch g, _ := Gender(v.Code); g {
			case strategy.Total:
				total = v.Code
			case strategy.Women:
				women = v.Code
			case strategy.Men:
				men = v.Code
			}
		}
		genders = nil
		switch {
		case total != "":
			genders = append(genders, strategy.Total)
			sexCodes[strategy.Total] = []string{total}
		case women != "" && men != "":
			genders = append(genders, strategy.Total)
			sexCodes[strategy.Total] = []string{women, men}
			warn("%s has no total for %s; T is K+M summed, which from 2025 (SCB's CKM) can differ from a published total", t.ID, kv.Code)
		}
		if women != "" {
			genders = append(genders, strategy.Women)
			sexCodes[strategy.Women] = []string{women}
		}
		if men != "" {
			genders = append(genders, strategy.Men)
			sexCodes[strategy.Men] = []string{men}
		}
		if len(genders) == 0 {
			return nil, nil, invalid("scb: %s: %s has no code 1, 2 or total (%s)", t.ID, kv.Code, sample(kv))
		}
	}

	// One query for every cell needed; Data's splitting keeps each call
	// under the limit.
	yearList := make([]int, 0, len(periods))
	for y := range periods {
		yearList = append(yearList, y)
	}
	sort.Ints(yearList)
	sel := Selection{tv.Code: nil}
	for _, y := range yearList {
		sel[tv.Code] = append(sel[tv.Code], periods[y])
	}
	if rv != nil {
		sel[rv.Code] = orgCodes
	}
	if kv != nil {
		var all []string
		for _, g := range genders {
			all = append(all, sexCodes[g]...)
		}
		sel[kv.Code] = all
	}
	for _, s := range sums {
		sel[s.code] = s.codes
	}
	vars, err := resolve(t, sel)
	if err != nil {
		return nil, nil, err
	}
	// Aggregate call by call: a split can cut through a summed variable,
	// and sums add up across parts.
	yearOf := map[string]int{}
	for y, p := range periods {
		yearOf[p] = y
	}
	gendersOf := map[string][]strategy.Gender{} // sex code → the genders it counts for
	cellsPer := map[strategy.Gender]int{}       // cells each observation sums
	for _, g := range genders {
		n := cells(sums)
		if kv != nil {
			for _, code := range sexCodes[g] {
				gendersOf[code] = append(gendersOf[code], g)
			}
			n *= len(sexCodes[g])
		}
		cellsPer[g] = n
	}
	type key struct {
		org  string
		year int
		g    strategy.Gender
	}
	sumsOf := map[key]*sum{}
	var notes []string
	err = c.eachPart(ctx, t, vars, func(ds *Dataset) error {
		for _, n := range ds.MandatoryNotes {
			if !slices.Contains(notes, n) {
				notes = append(notes, n)
			}
		}
		for _, cell := range ds.Cells {
			org := "00"
			if rv != nil {
				org = cell.Codes[rv.Code]
			}
			y, ok := yearOf[cell.Codes[tv.Code]]
			if !ok {
				continue
			}
			gs := genders // no sex variable: every cell is T
			if kv != nil {
				gs = gendersOf[cell.Codes[kv.Code]]
			}
			for _, g := range gs {
				k := key{org, y, g}
				if sumsOf[k] == nil {
					sumsOf[k] = &sum{}
				}
				sumsOf[k].add(cell)
			}
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	fetchedAt := c.now().UTC().Truncate(time.Microsecond)

	var out []strategy.Observation
	for _, org := range orgCodes {
		for _, y := range yearList {
			for _, g := range genders {
				value, status := sumsOf[key{org, y, g}].result(cellsPer[g])
				src := c.v1URL(t.ID)
				if !t.V1() {
					urlVars := append([]varCodes{{code: tv.Code, codes: []string{periods[y]}}}, sums...)
					if rv != nil {
						urlVars = append(urlVars, varCodes{code: rv.Code, codes: []string{org}})
					}
					if kv != nil {
						urlVars = append(urlVars, varCodes{code: kv.Code, codes: sexCodes[g]})
					}
					src = c.getURL(t, orderLike(t, urlVars))
				}
				out = append(out, strategy.Observation{
					Org: org, Year: y, Gender: g, Value: value, Status: status,
					Source: "scb", SourceURL: src, FetchedAt: fetchedAt,
				})
			}
		}
	}
	return out, notes, nil
}

// sum adds up the cells behind one observation.
type sum struct {
	total    float64
	n        int
	missing  map[string]bool // status symbols of missing cells
	statuses map[string]bool // status symbols of cells with a figure
}

func (s *sum) add(c Cell) {
	s.n++
	if c.Value == nil {
		if s.missing == nil {
			s.missing = map[string]bool{}
		}
		s.missing[c.Status] = true
		return
	}
	s.total += *c.Value
	if c.Status != "" {
		if s.statuses == nil {
			s.statuses = map[string]bool{}
		}
		s.statuses[c.Status] = true
	}
}

// result is the sum of want cells. One missing cell, or a cell SCB did not
// return, makes it missing (nil), never a smaller number. The status is
// the missing cells' symbol (".." when they differ), else a symbol the
// figures carry (such as "p"); the choice does not depend on the order in
// which the cells arrived.
func (s *sum) result(want int) (*float64, string) {
	if s == nil {
		return nil, ""
	}
	if s.missing != nil || s.n < want {
		symbols := pick(s.missing)
		if len(symbols) > 1 {
			return nil, ".."
		}
		if len(symbols) == 1 {
			return nil, symbols[0]
		}
		return nil, ""
	}
	total := s.total
	if symbols := pick(s.statuses); len(symbols) > 0 {
		return &total, symbols[0]
	}
	return &total, ""
}

// pick lists the non-empty symbols, sorted.
func pick(set map[string]bool) []string {
	var out []string
	for s := range set {
		if s != "" {
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}

// orderLike puts variables in the table's order, for stable URLs.
func orderLike(t *Table, vars []varCodes) []varCodes {
	out := make([]varCodes, 0, len(vars))
	for _, tv := range t.Variables {
		for _, v := range vars {
			if v.code == tv.Code {
				out = append(out, v)
			}
		}
	}
	return out
}
