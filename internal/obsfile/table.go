package obsfile

import (
	"bytes"
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/inkludera/inkludera/internal/strategy"
)

// The columns, in the order messages list them; the first five are
// required.
const (
	colOrg = iota
	colIndicator
	colYear
	colGender
	colValue
	colStatus
	colPreliminary
	colSource
	nColumns
)

// columnNames are the canonical (English) column names, indexed by col*.
var columnNames = []string{"org", "indicator", "year", "gender", "value", "status", "preliminary", "source"}

// swedishNames are what Swedish messages call the columns.
var swedishNames = []string{"organisation", "indikator", "år", "kön", "värde", "status", "preliminär", "källa"}

func swedishName(canonical string) string {
	for i, c := range columnNames {
		if c == canonical {
			return swedishNames[i]
		}
	}
	return canonical
}

// headerNames maps every accepted heading, lower case, to its column. The
// extra names are those of the files people already have: Kolada's kpi and
// period, SCB's region.
var headerNames = map[string]int{
	"org": colOrg, "organisation": colOrg, "kommun": colOrg, "kommunkod": colOrg, "region": colOrg,
	"indicator": colIndicator, "indikator": colIndicator, "kpi": colIndicator,
	"year": colYear, "år": colYear, "period": colYear,
	"gender": colGender, "kön": colGender,
	"value": colValue, "värde": colValue,
	"status":      colStatus,
	"preliminary": colPreliminary, "preliminär": colPreliminary, "preliminärt": colPreliminary,
	"source": colSource, "källa": colSource,
}

// firstYear and lastYear bound plausible years, as strategy does.
const (
	firstYear = 1900
	lastYear  = 2200
)

// missingSymbols are the status symbols of SCB and others that stand for
// a missing value; the symbol is kept in Status.
var missingSymbols = map[string]bool{"..": true, ".": true, ":": true, "-": true, "–": true}

// orgInfo caches what an org cell maps to: files repeat a few hundred
// codes a million times, and the regexp check is the slow part.
type orgInfo struct {
	code string
	id   uint64
	ok   bool
}

// table turns rows of cells, from CSV or XLSX alike, into observations and
// problems.
type table struct {
	name       string
	opt        Options
	defaultOrg []byte // opt.DefaultOrg, converted once rather than a million times
	data       *Data

	header     bool  // whether the header row has been read
	incomplete bool  // a required column is missing: rows are checked but none is sound
	width      int   // cells in the header row
	fieldAt    []int // 0-based cell index → column, -1 without heading, -2 unknown heading
	colOf      [nColumns]int
	extraHint  bool // a comma-separated file: too many cells likely means an unquoted decimal comma

	problems Problems
	dropped  int // problems beyond opt.MaxProblems
	rowBad   bool

	orgs    map[string]orgInfo
	lastOrg struct {
		text string
		info orgInfo
	} // rows come grouped, so the previous row's answer usually fits
	codeIDs map[string]uint64 // mapped code → id, so "0023" and "23" are one key
	inds    map[string]uint64
	indKeys []string
	lastInd uint64            // index in indKeys of the previous row's indicator
	strs    map[string]string // interned status and source texts
	dups    dupCheck
	slab    []float64 // values are allocated in chunks: one allocation per value is the slow part
}

func newTable(name string, opt Options, sizeHint int) *table {
	if opt.MaxProblems == 0 {
		opt.MaxProblems = DefaultMaxProblems
	}
	t := &table{
		name: name, opt: opt, defaultOrg: []byte(opt.DefaultOrg),
		data: &Data{
			Observations: make([]strategy.Observation, 0, sizeHint),
			Rows:         make([]int, 0, sizeHint),
			Lines:        make([]int, 0, sizeHint),
			Columns:      map[string]int{},
		},
		orgs:    map[string]orgInfo{},
		codeIDs: map[string]uint64{},
		inds:    map[string]uint64{},
		strs:    map[string]string{},
		dups:    dupCheck{log: make([]keyRow, 0, sizeHint)},
	}
	for i := range t.colOf {
		t.colOf[i] = -1
	}
	return t
}

func (t *table) add(p Problem) {
	p.File = t.name
	t.rowBad = true
	if t.opt.MaxProblems > 0 && len(t.problems) >= t.opt.MaxProblems {
		t.dropped++
		return
	}
	t.problems = append(t.problems, p)
}

func (t *table) finish() (*Data, Problems) {
	if !t.header && len(t.problems) == 0 {
		t.add(Problem{Kind: KindEmpty})
	}
	// Rows come in order; within a row, list the cells left to right as
	// the person will fix them, and what concerns the whole row last.
	slices.SortStableFunc(t.problems, func(a, b Problem) int {
		return cmp.Or(cmp.Compare(a.Row, b.Row), cmp.Compare(columnOrder(a), columnOrder(b)))
	})
	if t.dropped > 0 {
		t.problems = append(t.problems, Problem{File: t.name, Kind: KindMoreProblems, Other: t.dropped})
	}
	if len(t.problems) == 0 {
		return t.data, nil
	}
	return t.data, t.problems
}

func columnOrder(p Problem) int {
	if p.ColumnIndex == 0 {
		return math.MaxInt
	}
	return p.ColumnIndex
}

// isBlank reports whether every cell of a row is empty: such rows are
// skipped, as Excel leaves them at the end.
func isBlank(cells [][]byte) bool {
	for _, c := range cells {
		if len(trim(c)) > 0 {
			return false
		}
	}
	return true
}

// readHeader maps the header's cells to columns.
func (t *table) readHeader(row, line int, cells [][]byte) {
	t.header = true
	t.width = len(cells)
	t.fieldAt = make([]int, len(cells))
	for i, c := range cells {
		h := string(trim(c))
		if h == "" {
			t.fieldAt[i] = -1
			continue
		}
		col, ok := headerNames[normaliseHeading(h)]
		if !ok {
			t.fieldAt[i] = -2
			t.add(Problem{Row: row, Line: line, ColumnIndex: i + 1, Kind: KindUnknownColumn, Value: h})
			continue
		}
		if prev := t.colOf[col]; prev >= 0 {
			t.fieldAt[i] = -2
			t.add(Problem{Row: row, Line: line, Column: columnNames[col], ColumnIndex: i + 1, Kind: KindDuplicateColumn, Value: h, Other: prev + 1})
			continue
		}
		t.fieldAt[i] = col
		t.colOf[col] = i
		t.data.Columns[columnNames[col]] = i + 1
	}
	for col := colOrg; col <= colValue; col++ {
		// A file of one organisation's values may leave the column out
		// when the caller knows the organisation.
		if t.colOf[col] < 0 && !(col == colOrg && t.opt.DefaultOrg != "") {
			t.add(Problem{Row: row, Line: line, Column: columnNames[col], Kind: KindMissingColumn})
			t.incomplete = true
		}
	}
}

// normaliseHeading lower-cases a heading and composes the å, ä and ö that
// macOS writes decomposed, so "år" matches however it was typed.
func normaliseHeading(h string) string {
	h = strings.ToLower(h)
	if strings.ContainsAny(h, "\u030a\u0308") {
		h = strings.NewReplacer("a\u030a", "å", "a\u0308", "ä", "o\u0308", "ö").Replace(h)
	}
	return h
}

// readRow checks one data row and, when it is sound, adds its observation.
func (t *table) readRow(row, line int, cells [][]byte) {
	if isBlank(cells) {
		return
	}
	t.rowBad = false
	var cell [nColumns][]byte
	extra := false
	for i, c := range cells {
		if i >= len(t.fieldAt) {
			if len(trim(c)) > 0 {
				extra = true
			}
			continue
		}
		switch f := t.fieldAt[i]; {
		case f >= 0:
			cell[f] = trim(c)
		case f == -1:
			if c = trim(c); len(c) > 0 {
				t.add(Problem{Row: row, Line: line, ColumnIndex: i + 1, Kind: KindUnheadedCell, Value: clip(c)})
			}
		}
	}
	if extra {
		// Counting the cells up to the last non-empty one says how far off
		// the row is without blaming Excel's trailing separators.
		n := len(cells)
		for n > 0 && len(trim(cells[n-1])) == 0 {
			n--
		}
		kind := KindExtraCells
		if t.extraHint {
			kind = KindExtraCellsComma
		}
		t.add(Problem{Row: row, Line: line, Kind: kind, Value: strconv.Itoa(n), Other: t.width})
	}
	at := func(col int, kind Kind, value string) {
		t.add(Problem{Row: row, Line: line, Column: columnNames[col], ColumnIndex: t.colOf[col] + 1, Kind: kind, Value: value})
	}
	keyOK := true

	// Organisation.
	var org orgInfo
	orgText := cell[colOrg]
	if len(orgText) == 0 {
		orgText = t.defaultOrg
	}
	if len(orgText) == 0 {
		if t.colOf[colOrg] >= 0 {
			at(colOrg, KindRequired, "")
		}
		keyOK = false
	} else {
		var ok bool
		if string(orgText) == t.lastOrg.text {
			org = t.lastOrg.info
		} else if org, ok = t.orgs[string(orgText)]; !ok {
			code := mapOrg(string(orgText))
			org = orgInfo{code: code, ok: strategy.ValidOrgCode(code)}
			if org.ok {
				id, known := t.codeIDs[code]
				if !known {
					id = uint64(len(t.codeIDs))
					t.codeIDs[code] = id
				}
				org.id = id
			}
			t.orgs[string(orgText)] = org
		}
		if string(orgText) != t.lastOrg.text {
			t.lastOrg.text, t.lastOrg.info = t.intern(orgText), org
		}
		if !org.ok {
			at(colOrg, KindBadOrg, clip(orgText))
			keyOK = false
		}
	}

	// Indicator: only its presence is checked here; the caller knows which
	// exist.
	var ind string
	var indID uint64
	if k := cell[colIndicator]; len(k) == 0 {
		if t.colOf[colIndicator] >= 0 {
			at(colIndicator, KindRequired, "")
		}
		keyOK = false
	} else if len(t.indKeys) > 0 && string(k) == t.indKeys[t.lastInd] {
		ind, indID = t.indKeys[t.lastInd], t.lastInd
	} else if id, ok := t.inds[string(k)]; ok {
		ind, indID = t.indKeys[id], id
		t.lastInd = id
	} else {
		ind, indID = string(k), uint64(len(t.indKeys))
		t.inds[ind] = indID
		t.indKeys = append(t.indKeys, ind)
		t.lastInd = indID
	}

	// Year.
	year := 0
	if y := cell[colYear]; len(y) == 0 {
		if t.colOf[colYear] >= 0 {
			at(colYear, KindRequired, "")
		}
		keyOK = false
	} else if n, ok := parseYear(y); !ok {
		at(colYear, KindNotWholeNumber, clip(y))
		keyOK = false
	} else if n < firstYear || n > lastYear {
		at(colYear, KindImplausibleYear, clip(y))
		keyOK = false
	} else {
		year = n
	}

	// Gender.
	var gender strategy.Gender
	if g := cell[colGender]; len(g) == 0 {
		if t.colOf[colGender] >= 0 {
			at(colGender, KindRequired, "")
		}
		keyOK = false
	} else if gender = parseGender(g); gender == "" {
		at(colGender, KindBadGender, clip(g))
		keyOK = false
	}

	// Value: empty is missing, never 0.
	var value *float64
	status := t.intern(cell[colStatus])
	if v := cell[colValue]; len(v) > 0 {
		if f, ok := parseNumber(v); ok {
			if len(t.slab) == 0 {
				t.slab = make([]float64, 4096)
			}
			t.slab[0] = f
			value = &t.slab[0]
			t.slab = t.slab[1:]
		} else if missingSymbols[string(v)] {
			if status == "" {
				status = t.intern(v)
			}
		} else {
			at(colValue, KindNotNumber, clip(v))
		}
	}

	prelim := false
	if p := cell[colPreliminary]; len(p) > 0 {
		var ok bool
		if prelim, ok = parseBool(p); !ok {
			at(colPreliminary, KindBadBool, clip(p))
		}
	}

	if keyOK {
		// Indicators and organisations are numbered in order of first
		// appearance; valid org codes number a few thousand.
		bit := uint(year-firstYear)*3 + uint(genderBits(gender))
		if prev := t.dups.seen(indID<<20|org.id, bit, row); prev > 0 {
			t.add(Problem{Row: row, Line: line, Kind: KindDuplicateRow, Other: prev})
		}
	}
	if t.rowBad || t.incomplete {
		return
	}
	t.data.Observations = append(t.data.Observations, strategy.Observation{
		Indicator:   ind,
		Org:         org.code,
		Year:        year,
		Gender:      gender,
		Value:       value,
		Status:      status,
		Preliminary: prelim,
		Source:      t.intern(cell[colSource]),
	})
	t.data.Rows = append(t.data.Rows, row)
	t.data.Lines = append(t.data.Lines, line)
}

func (t *table) intern(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if s, ok := t.strs[string(b)]; ok {
		return s
	}
	s := string(b)
	t.strs[s] = s
	return s
}

func genderBits(g strategy.Gender) uint64 {
	switch g {
	case strategy.Women:
		return 1
	case strategy.Men:
		return 2
	}
	return 0
}

// trim removes spaces, tabs and non-breaking spaces around a cell.
func trim(b []byte) []byte {
	for len(b) > 0 {
		switch {
		case b[0] == ' ' || b[0] == '\t':
			b = b[1:]
		case len(b) >= 2 && b[0] == 0xc2 && b[1] == 0xa0:
			b = b[2:]
		default:
			goto end
		}
	}
end:
	for len(b) > 0 {
		n := len(b)
		switch {
		case b[n-1] == ' ' || b[n-1] == '\t':
			b = b[:n-1]
		case n >= 2 && b[n-2] == 0xc2 && b[n-1] == 0xa0:
			b = b[:n-2]
		default:
			return b
		}
	}
	return b
}

// mapOrg turns the ways people write an organisation into SCB's code:
// Kolada's "0023" and "0000", SCB's "2380 Östersund", and the "114" or
// "1" that Excel makes of "0114" and "01" by dropping the leading zero.
func mapOrg(s string) string {
	if i := strings.IndexAny(s, " \t\u00a0"); i > 0 && allDigits(s[:i]) {
		s = s[:i]
	}
	if !allDigits(s) {
		return s
	}
	switch len(s) {
	case 1, 3:
		return "0" + s
	case 4:
		if s[:2] == "00" {
			return s[2:]
		}
	}
	return s
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// parseYear accepts digits only; an XLSX number cell holding 2020 arrives
// as "2020".
func parseYear(b []byte) (int, bool) {
	if len(b) == 0 || len(b) > 9 {
		return 0, false
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// parseGender accepts our codes, the Swedish words and SCB's 1, 2 and 1+2.
func parseGender(b []byte) strategy.Gender {
	if len(b) == 1 {
		switch b[0] {
		case 'T', 't':
			return strategy.Total
		case 'K', 'k', '2':
			return strategy.Women
		case 'M', 'm', '1':
			return strategy.Men
		}
		return ""
	}
	switch strings.ToLower(string(b)) {
	case "totalt", "total", "1+2":
		return strategy.Total
	case "kvinnor":
		return strategy.Women
	case "män":
		return strategy.Men
	}
	return ""
}

// parseBool accepts English and Swedish words, 1 and 0 (Excel's TRUE and
// FALSE as stored), and the "x" people tick a column with.
func parseBool(b []byte) (bool, bool) {
	switch strings.ToLower(string(b)) {
	case "true", "ja", "yes", "1", "sant", "x":
		return true, true
	case "false", "nej", "no", "0", "falskt":
		return false, true
	}
	return false, false
}

// pow10 holds the powers of ten that float64 represents exactly.
var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// parseNumber reads a number as Swedish and English spreadsheets write it:
// a decimal comma or point (not both), digits grouped in threes by spaces
// or (narrow) non-breaking spaces, a sign (also U+2212 minus), an exponent,
// and a trailing "%", which is dropped: "12,5 %" is 12.5 in a percentage
// indicator's unit.
func parseNumber(b []byte) (float64, bool) {
	b = trimPercent(b)
	i, neg := 0, false
	switch {
	case len(b) > 0 && (b[0] == '-' || b[0] == '+'):
		neg = b[0] == '-'
		i = 1
	case bytes.HasPrefix(b, []byte("\u2212")):
		neg, i = true, 3
	}
	var mant uint64
	digits, frac, group, groups := 0, 0, 0, 0
	sep, exp := false, false
	for i < len(b) {
		c := b[i]
		switch {
		case c >= '0' && c <= '9':
			if digits < 19 {
				mant = mant*10 + uint64(c-'0')
			}
			digits++
			group++
			if sep {
				frac++
			}
			i++
			continue
		case c == ',' || c == '.':
			if sep || groups > 0 && group != 3 {
				return 0, false
			}
			sep, group = true, 0
			i++
			continue
		case c == 'e' || c == 'E':
			if digits == 0 || groups > 0 && !sep && group != 3 {
				return 0, false
			}
			exp = true
		}
		if exp {
			break
		}
		// A group separator: after one to three digits, then threes, and
		// only in the whole part.
		n := groupSep(b[i:])
		if n == 0 || sep || group == 0 || group > 3 || groups > 0 && group != 3 {
			return 0, false
		}
		groups++
		group = 0
		i += n
	}
	if digits == 0 || groups > 0 && !sep && !exp && group != 3 {
		return 0, false
	}
	if !exp && digits <= 15 && frac < len(pow10) {
		// Both operands are exact, so the division is correctly rounded:
		// the same result as strconv, without building a string.
		f := float64(mant) / pow10[frac]
		if neg && f != 0 {
			f = -f
		}
		return f, true
	}
	return parseSlow(b, neg)
}

// parseSlow handles long mantissas and exponents through strconv.
func parseSlow(b []byte, neg bool) (float64, bool) {
	clean := make([]byte, 0, len(b)+1)
	if neg {
		clean = append(clean, '-')
	}
	i := 0
	if len(b) > 0 && (b[0] == '-' || b[0] == '+') {
		i = 1
	} else if bytes.HasPrefix(b, []byte("\u2212")) {
		i = 3
	}
	expPart := false
	for i < len(b) {
		c := b[i]
		switch {
		case c >= '0' && c <= '9':
			clean = append(clean, c)
		case (c == ',' || c == '.') && !expPart:
			clean = append(clean, '.')
		case c == 'e' || c == 'E':
			expPart = true
			clean = append(clean, 'e')
			if i+1 < len(b) && (b[i+1] == '-' || b[i+1] == '+') {
				clean = append(clean, b[i+1])
				i++
			}
		default:
			if expPart {
				return 0, false
			}
			i += max(groupSep(b[i:]), 1)
			continue
		}
		i++
	}
	f, err := strconv.ParseFloat(string(clean), 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, false
	}
	if f == 0 {
		f = 0 // no negative zero
	}
	return f, true
}

// groupSep returns the length of a digit group separator at the start of
// b: a space, a no-break space, a narrow no-break space or a thin space.
func groupSep(b []byte) int {
	switch {
	case len(b) >= 1 && b[0] == ' ':
		return 1
	case len(b) >= 2 && b[0] == 0xc2 && b[1] == 0xa0:
		return 2
	case len(b) >= 3 && b[0] == 0xe2 && b[1] == 0x80 && (b[2] == 0xaf || b[2] == 0x89):
		return 3
	}
	return 0
}

// trimPercent drops a trailing "%" and the space before it.
func trimPercent(b []byte) []byte {
	if len(b) == 0 || b[len(b)-1] != '%' {
		return b
	}
	b = b[:len(b)-1]
	for {
		if n := len(b); n > 0 && b[n-1] == ' ' {
			b = b[:n-1]
		} else if n >= 2 && b[n-2] == 0xc2 && b[n-1] == 0xa0 {
			b = b[:n-2]
		} else if n >= 3 && b[n-3] == 0xe2 && b[n-2] == 0x80 && (b[n-1] == 0xaf || b[n-1] == 0x89) {
			b = b[:n-3]
		} else {
			return b
		}
	}
}
