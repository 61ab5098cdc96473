package planxlsx

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/inkludera/inkludera/internal/strategy"
)

// field is a column Import understands.
type field int

const (
	fTargetGroup field = iota
	fTitle
	fTime
	fResponsible
	fFollowUp
	fDescription
	fStatus
	fProgress
	fGoals
	fKey
	nFields
)

// labels are the headers of the fields as exported, for messages.
var labels = [nFields]string{ColTargetGroup, ColTitle, ColTime, ColResponsible, ColFollowUp, ColDescription, ColStatus, ColProgress, ColGoals, ColKey}

// headerNames maps folded headers to fields: the exported label and a few
// that people write instead.
var headerNames = map[string]field{
	"malgrupp":          fTargetGroup,
	"aktivitet":         fTitle,
	"tid":               fTime,
	"ansvarig":          fResponsible,
	"uppfoljning":       fFollowUp,
	"uppfoljningsdatum": fFollowUp,
	"beskrivning":       fDescription,
	"kort beskrivning":  fDescription,
	"status":            fStatus,
	"klart":             fProgress,
	"klart procent":     fProgress,
	"mal":               fGoals,
	"mal nycklar":       fGoals,
	"nyckel":            fKey,
}

// maxUnzipped bounds the unpacked size of a workbook: a plan of a few
// hundred rows unpacks to well under a megabyte, and without a bound a
// small upload that unpacks to gigabytes (a zip bomb) would fill memory.
const maxUnzipped = 64 << 20

// headerSearchRows is how far down Import looks for the header row, past
// title rows.
const headerSearchRows = 30

// Import reads the activities of an action plan from an XLSX workbook: the
// sheet Aktivitetsplan if there is one, else the first sheet with a header
// row. The header row is found by its Swedish labels, in any order, case
// and spacing ignored; only Målgrupp and Aktivitet are required, and
// unknown columns are ignored. Every row below it that is not empty is an
// activity.
//
// Status is read in Swedish with or without diacritics (empty is planerad);
// Uppföljning as a date cell or ISO text; Klart (%) as 50, "50 %" or 0.5 in
// a percentage cell. Rows without Nyckel get a key derived from the title,
// unique within the file. On any mistake Import returns nil and Problems,
// listing them all.
func Import(r io.Reader) ([]strategy.Activity, error) {
	f, err := excelize.OpenReader(r, excelize.Options{UnzipSizeLimit: maxUnzipped})
	if err != nil {
		return nil, Problems{{
			English: fmt.Sprintf("the file could not be read as an Excel workbook (.xlsx): %s", errorText(err)),
			Swedish: "Filen kunde inte läsas som en Excel-arbetsbok (.xlsx).",
		}}
	}
	defer f.Close()
	im := importer{f: f, styles: map[int]numFmt{}}
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		im.date1904 = *props.Date1904
	}
	acts := im.read()
	if len(im.c.ps) > 0 {
		return nil, im.c.ps
	}
	return acts, nil
}

// numFmt is what Import needs to know of a cell's number format.
type numFmt struct{ date, percent bool }

type importer struct {
	f        *excelize.File
	sheet    string
	date1904 bool
	styles   map[int]numFmt
	c        collector
}

func (im *importer) read() []strategy.Activity {
	sheets := im.f.GetSheetList()
	for i, s := range sheets {
		if fold(s) == fold(SheetName) {
			// The exported sheet first, wherever it is.
			sheets = append([]string{s}, append(sheets[:i:i], sheets[i+1:]...)...)
			break
		}
	}
	for _, s := range sheets {
		rows, err := im.f.GetRows(s, excelize.Options{RawCellValue: true})
		if err != nil {
			im.c.file(fmt.Sprintf("sheet %q could not be read: %s", s, errorText(err)), fmt.Sprintf("Bladet %q kunde inte läsas.", s))
			return nil
		}
		if h, cols := findHeader(rows); h >= 0 {
			im.sheet = s
			return im.activities(rows, h, cols)
		}
	}
	im.c.file("no sheet has a header row with the columns Målgrupp and Aktivitet",
		"Inget blad har en rubrikrad med kolumnerna Målgrupp och Aktivitet.")
	return nil
}

// findHeader returns the index of the header row and the column of each
// field (-1 when absent): the first row, near the top, that names both
// required columns.
func findHeader(rows [][]string) (int, [nFields]int) {
	for i := 0; i < len(rows) && i < headerSearchRows; i++ {
		var cols [nFields]int
		for j := range cols {
			cols[j] = -1
		}
		for j, v := range rows[i] {
			if fl, ok := headerNames[fold(v)]; ok && cols[fl] < 0 {
				cols[fl] = j
			}
		}
		if cols[fTargetGroup] >= 0 && cols[fTitle] >= 0 {
			return i, cols
		}
	}
	var none [nFields]int
	return -1, none
}

func (im *importer) activities(rows [][]string, h int, cols [nFields]int) []strategy.Activity {
	// A column named twice is ambiguous; say which cells.
	for j, v := range rows[h] {
		if fl, ok := headerNames[fold(v)]; ok && cols[fl] != j {
			first, ref := cellRef(cols[fl], h), cellRef(j, h)
			im.c.cell(h+1, labels[fl], ref,
				fmt.Sprintf("the column %s is already at %s", labels[fl], first),
				fmt.Sprintf("kolumnen %s finns redan i %s.", labels[fl], first))
		}
	}
	var acts []strategy.Activity
	keyRow := map[string]int{}
	for i := h + 1; i < len(rows); i++ {
		row := rows[i]
		get := func(fl field) string {
			if c := cols[fl]; c >= 0 && c < len(row) {
				return cleanText(row[c])
			}
			return ""
		}
		empty := true
		for fl := range nFields {
			if get(fl) != "" {
				empty = false
			}
		}
		if empty {
			continue
		}
		n := i + 1 // sheet row number
		ref := func(fl field) string { return cellRef(cols[fl], i) }
		a := strategy.Activity{
			TargetGroup: canonicalGroup(get(fTargetGroup)),
			Title:       get(fTitle),
			Responsible: get(fResponsible),
			Description: get(fDescription),
			Status:      strategy.ActivityPlanned,
		}
		if a.TargetGroup == "" {
			im.c.cell(n, ColTargetGroup, ref(fTargetGroup), "the target group is missing", "målgruppen saknas.")
		}
		if a.Title == "" {
			im.c.cell(n, ColTitle, ref(fTitle), "the activity is missing", "aktiviteten saknas.")
		}
		if v := get(fTime); v != "" {
			a.Time = im.timeText(v, ref(fTime))
		}
		if v := get(fFollowUp); v != "" {
			a.FollowUp = im.date(v, n, ref(fFollowUp))
		}
		if v := get(fStatus); v != "" {
			st, ok := parseStatus(v)
			if !ok {
				im.c.cell(n, ColStatus, ref(fStatus),
					fmt.Sprintf("%q is not a status; write one of %s", v, statusList()),
					fmt.Sprintf("%q är ingen status; skriv en av %s.", v, statusList()))
			}
			a.Status = st
		}
		if v := get(fProgress); v != "" {
			a.Progress = im.progress(v, n, ref(fProgress))
		}
		if v := get(fGoals); v != "" {
			a.Goals = goals(&im.c, v, n, ref(fGoals))
		}
		if v := get(fKey); v != "" {
			k := strings.ToLower(v)
			switch first, dup := keyRow[k]; {
			case !strategy.ValidKey(k):
				im.c.cell(n, ColKey, ref(fKey),
					fmt.Sprintf("%q is not a valid key (a-z, 0-9, '.', '_', '-', at most 100 characters)", v),
					fmt.Sprintf("%q är ingen giltig nyckel (a–z, 0–9, '.', '_', '-', högst 100 tecken).", v))
			case dup:
				im.c.cell(n, ColKey, ref(fKey),
					fmt.Sprintf("the key %q is also used in row %d", k, first),
					fmt.Sprintf("nyckeln %q används redan på rad %d.", k, first))
			default:
				keyRow[k] = n
				a.Key = k
			}
		}
		acts = append(acts, a)
	}
	// Keys are derived after every given key is known, so that a derived
	// key never takes one that a later row names.
	taken := map[string]bool{}
	for k := range keyRow {
		taken[k] = true
	}
	for i := range acts {
		if acts[i].Key == "" && acts[i].Title != "" {
			acts[i].Key = uniqueKey(slug(acts[i].Title), taken)
			taken[acts[i].Key] = true
		}
	}
	if len(acts) == 0 && len(im.c.ps) == 0 {
		im.c.file(fmt.Sprintf("the sheet %q has no activities below the header row %d", im.sheet, h+1),
			fmt.Sprintf("Bladet %q har inga aktiviteter under rubrikraden (rad %d).", im.sheet, h+1))
	}
	return acts
}

// canonicalGroup writes one of the seed's target groups as the list does
// ("Alla" → "alla"); any other group is kept as written.
func canonicalGroup(s string) string {
	for _, g := range strategy.TargetGroups {
		if fold(s) == fold(g) {
			return g
		}
	}
	return s
}

// timeText keeps Tid as written, except that a date cell becomes an ISO
// date rather than Excel's serial number.
func (im *importer) timeText(v, ref string) string {
	if x, err := strconv.ParseFloat(v, 64); err == nil && im.format(ref).date {
		if t, err := excelize.ExcelDateToTime(x, im.date1904); err == nil {
			return strategy.DateOf(t).String()
		}
	}
	return v
}

// date reads Uppföljning: a date cell (any number is taken as Excel's date
// serial) or ISO text, optionally with a time after it.
func (im *importer) date(v string, row int, ref string) strategy.Date {
	bad := func() strategy.Date {
		im.c.cell(row, ColFollowUp, ref,
			fmt.Sprintf("%q is not a date; write it as 2026-03-31", v),
			fmt.Sprintf("%q är inget datum; skriv det som 2026-03-31.", v))
		return strategy.Date{}
	}
	var d strategy.Date
	if x, err := strconv.ParseFloat(v, 64); err == nil {
		t, err := excelize.ExcelDateToTime(x, im.date1904)
		if err != nil {
			return bad()
		}
		d = strategy.DateOf(t)
	} else {
		s := v
		if len(s) > 10 && (s[10] == ' ' || s[10] == 'T') {
			s = s[:10]
		}
		if d, err = strategy.ParseDate(s); err != nil {
			return bad()
		}
	}
	// A year typed into a date cell ("2026" is 1905-07-18) and similar slips.
	if d.Year < 2000 || d.Year > 2100 {
		return bad()
	}
	return d
}

// progress reads Klart (%): a whole percentage 0–100 written as 50, "50 %"
// or "50%", or 0.5 in a cell formatted as a percentage.
func (im *importer) progress(v string, row int, ref string) *int {
	bad := func(en, sv string) *int {
		im.c.cell(row, ColProgress, ref, en, sv)
		return nil
	}
	s := strings.TrimSpace(v)
	percentSign := strings.HasSuffix(s, "%")
	s = strings.TrimSpace(strings.TrimSuffix(s, "%"))
	x, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		return bad(fmt.Sprintf("%q is not a percentage; write a whole number 0–100 such as 50", v),
			fmt.Sprintf("%q är ingen procentsats; skriv ett heltal 0–100, till exempel 50.", v))
	}
	if !percentSign && im.format(ref).percent {
		x *= 100 // a percentage cell stores 50 % as 0.5
	} else if !percentSign && x > 0 && x < 1 {
		return bad(fmt.Sprintf("%q is ambiguous; write 50 for half done (0.5 is read as 50 %% only in a cell formatted as a percentage)", v),
			fmt.Sprintf("%q är tvetydigt; skriv 50 för halvvägs (0,5 läses som 50 %% bara i en cell formaterad som procent).", v))
	}
	p := int(math.Round(x))
	if p < 0 || p > 100 {
		return bad(fmt.Sprintf("%s is outside 0–100 %%", v), fmt.Sprintf("%s ligger utanför 0–100 %%.", v))
	}
	return &p
}

// goals reads goal keys separated by commas, semicolons or line breaks.
func goals(c *collector, v string, row int, ref string) []string {
	var out []string
	seen := map[string]bool{}
	for _, part := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ';' || r == '\n' }) {
		k := strings.ToLower(strings.TrimSpace(part))
		if k == "" || seen[k] {
			continue
		}
		if !strategy.ValidKey(k) {
			c.cell(row, ColGoals, ref,
				fmt.Sprintf("%q is not a goal key; write keys separated by commas, as listed on the sheet %s", part, GoalSheetName),
				fmt.Sprintf("%q är ingen målnyckel; skriv nycklar åtskilda med kommatecken, som på bladet %s.", strings.TrimSpace(part), GoalSheetName))
			continue
		}
		seen[k] = true
		out = append(out, k)
	}
	return out
}

// format returns the number format of a cell, looked up once per style.
func (im *importer) format(ref string) numFmt {
	idx, err := im.f.GetCellStyle(im.sheet, ref)
	if err != nil {
		return numFmt{}
	}
	if nf, ok := im.styles[idx]; ok {
		return nf
	}
	var nf numFmt
	if st, err := im.f.GetStyle(idx); err == nil {
		code := ""
		if st.CustomNumFmt != nil {
			code = *st.CustomNumFmt
		}
		nf = classify(st.NumFmt, code)
	}
	im.styles[idx] = nf
	return nf
}

// classify tells date and percentage formats from others, by built-in id
// or by the letters of a custom format code outside quotes and brackets.
func classify(id int, code string) numFmt {
	switch {
	case id == 9 || id == 10:
		return numFmt{percent: true}
	case id >= 14 && id <= 17, id == 22, id >= 27 && id <= 36, id >= 50 && id <= 58:
		return numFmt{date: true}
	case code == "":
		return numFmt{}
	}
	var b strings.Builder
	quoted, bracket := false, false
	for i := 0; i < len(code); i++ {
		c := code[i]
		switch {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '[':
			bracket = true
		case c == ']':
			bracket = false
		case bracket:
		case c == '\\' || c == '_' || c == '*':
			i++ // the next character is a literal or padding
		default:
			b.WriteByte(c)
		}
	}
	plain := strings.ToLower(b.String())
	return numFmt{
		percent: strings.Contains(plain, "%"),
		date:    strings.ContainsAny(plain, "yd") || strings.Contains(plain, "m") && !strings.Contains(plain, "h"),
	}
}

// cleanText trims a cell and turns non-breaking spaces and Windows line
// ends into ordinary ones.
func cleanText(s string) string {
	s = strings.ReplaceAll(s, "\u00a0", " ")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.TrimSpace(s)
}

// cellRef names the cell of a 0-based column and row.
func cellRef(col, row int) string {
	ref, err := excelize.CoordinatesToCellName(col+1, row+1)
	if err != nil {
		return fmt.Sprintf("R%dC%d", row+1, col+1)
	}
	return ref
}

func itoa(n int) string { return strconv.Itoa(n) }

// errorText is an error of the XML or zip reader for a message: such an
// error may quote bytes of the file that are not UTF-8.
func errorText(err error) string { return strings.ToValidUTF8(err.Error(), "\uFFFD") }
