package obsfile

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Kind says what is wrong; it picks the message. The values are stable and
// may be stored or matched on.
type Kind string

// The kinds of problem. The comment gives the English message; Value and
// Other in the Problem fill in its blanks.
const (
	KindEmpty             Kind = "empty"               // the file is empty
	KindUnreadable        Kind = "unreadable"          // cannot be read as an XLSX file: Value
	KindOldExcel          Kind = "old_excel"           // an .xls or encrypted workbook
	KindUnknownColumn     Kind = "unknown_column"      // unknown column "Value"
	KindDuplicateColumn   Kind = "duplicate_column"    // the column is given twice, also as column Other
	KindMissingColumn     Kind = "missing_column"      // is missing from the header
	KindUnheadedCell      Kind = "unheaded_cell"       // "Value" is in a column without a heading
	KindExtraCells        Kind = "extra_cells"         // has Value cells but the header has Other
	KindExtraCellsComma   Kind = "extra_cells_comma"   // the same, in a comma-separated file: hint at quoting
	KindUnclosedQuote     Kind = "unclosed_quote"      // a quoted cell is never closed
	KindTextAfterQuote    Kind = "text_after_quote"    // text follows the closing quote
	KindRequired          Kind = "required"            // is required
	KindNotNumber         Kind = "not_number"          // "Value" is not a number
	KindNotWholeNumber    Kind = "not_whole_number"    // "Value" is not a whole number
	KindImplausibleYear   Kind = "implausible_year"    // Value is not a plausible year
	KindBadOrg            Kind = "bad_org"             // "Value" is not a kommun, län or riket code
	KindBadGender         Kind = "bad_gender"          // "Value" is not a gender
	KindBadBool           Kind = "bad_bool"            // "Value" is neither true nor false
	KindDuplicateRow      Kind = "duplicate_row"       // same key as row Other
	KindUnknownIndicator  Kind = "unknown_indicator"   // no indicator has the key "Value" (for callers)
	KindMoreProblems      Kind = "more_problems"       // … and Other more problems
	KindNoGenderBreakdown Kind = "no_gender_breakdown" // indicator "Value" has no breakdown by gender (for callers)
)

// Problem is one thing wrong with an observation file, located by row and
// column so that a person can find it in Excel.
type Problem struct {
	File string
	// Row is 1-based as a spreadsheet shows it: the header is row 1. 0 means
	// the problem concerns the whole file.
	Row int
	// Line is the line of a CSV file where the row starts. It differs from
	// Row only when a quoted cell spans lines or a "sep=" line comes first;
	// for XLSX it equals Row.
	Line int
	// Column is the canonical (English) column name, "" when the problem is
	// about the whole row or a column that has no known name.
	Column string
	// ColumnIndex is 1-based; 0 when unknown or not about one cell.
	ColumnIndex int
	Kind        Kind
	// Value is the offending cell's text (or what the kind says).
	Value string
	// Other is a second number some kinds need: the earlier row of a
	// duplicate, the header's width, the count of problems left out.
	Other int
}

// Swedish is the problem in Swedish, for the web UI:
// "rad 12, kolumn värde: '12,3,4' är inget tal".
func (p Problem) Swedish() string { return p.location(true) + p.SwedishText() }

// English is the problem in English, for the CLI and logs:
// `row 12, column value: "12,3,4" is not a number`.
func (p Problem) English() string { return p.location(false) + p.EnglishText() }

// String is English.
func (p Problem) String() string { return p.English() }

func (p Problem) location(sv bool) string {
	if p.Row == 0 {
		return ""
	}
	var b strings.Builder
	if sv {
		b.WriteString("rad ")
	} else {
		b.WriteString("row ")
	}
	b.WriteString(strconv.Itoa(p.Row))
	switch {
	case p.Column != "":
		if sv {
			b.WriteString(", kolumn " + swedishName(p.Column))
		} else {
			b.WriteString(", column " + p.Column)
		}
	case p.ColumnIndex > 0:
		if sv {
			b.WriteString(", kolumn ")
		} else {
			b.WriteString(", column ")
		}
		b.WriteString(strconv.Itoa(p.ColumnIndex))
	}
	b.WriteString(": ")
	return b.String()
}

// EnglishText is the English message without its location, for callers
// that show the row and column themselves.
func (p Problem) EnglishText() string {
	q := quoteEnglish(p.Value)
	switch p.Kind {
	case KindEmpty:
		return "the file is empty; it needs a header row with org, indicator, year, gender and value"
	case KindUnreadable:
		return "cannot be read as an XLSX file: " + p.Value
	case KindOldExcel:
		return "is an old Excel file (.xls) or an encrypted workbook; save it as .xlsx or CSV"
	case KindUnknownColumn:
		return fmt.Sprintf("unknown column %s (known: %s)", q, strings.Join(columnNames, ", "))
	case KindDuplicateColumn:
		return fmt.Sprintf("the column is given twice, also as column %d", p.Other)
	case KindMissingColumn:
		return "is missing from the header"
	case KindUnheadedCell:
		return q + " is in a column without a heading"
	case KindExtraCells:
		return fmt.Sprintf("has %s cells but the header has %d", p.Value, p.Other)
	case KindExtraCellsComma:
		return fmt.Sprintf(`has %s cells but the header has %d; in a comma-separated file a decimal comma must be quoted ("12,5"), or separate with semicolons`, p.Value, p.Other)
	case KindUnclosedQuote:
		return "a quoted cell is never closed; the rest of the file was not read"
	case KindTextAfterQuote:
		return q + " has text after its closing quote"
	case KindRequired:
		return "is required"
	case KindNotNumber:
		return q + " is not a number"
	case KindNotWholeNumber:
		return q + " is not a whole number"
	case KindImplausibleYear:
		return fmt.Sprintf("%s is not a plausible year (%d–%d)", p.Value, firstYear, lastYear)
	case KindBadOrg:
		return q + " is not a kommun, län or riket code (such as 2380, 23 or 00)"
	case KindBadGender:
		return q + " is not a gender (T, K or M)"
	case KindBadBool:
		return q + " is neither true nor false"
	case KindDuplicateRow:
		return fmt.Sprintf("the same org, indicator, year and gender as row %d", p.Other)
	case KindUnknownIndicator:
		return "no indicator has the key " + q
	case KindNoGenderBreakdown:
		return fmt.Sprintf("indicator %s has no breakdown by gender, so only T is allowed", q)
	case KindMoreProblems:
		return fmt.Sprintf("… and %d more problems", p.Other)
	}
	return fmt.Sprintf("%s %s", p.Kind, q)
}

// SwedishText is the Swedish message without its location.
func (p Problem) SwedishText() string {
	q := quoteSwedish(p.Value)
	switch p.Kind {
	case KindEmpty:
		return "filen är tom; den behöver en rubrikrad med organisation, indikator, år, kön och värde"
	case KindUnreadable:
		return "kan inte läsas som XLSX-fil: " + p.Value
	case KindOldExcel:
		return "är en gammal Excelfil (.xls) eller en krypterad arbetsbok; spara den som .xlsx eller CSV"
	case KindUnknownColumn:
		names := make([]string, len(columnNames))
		for i, c := range columnNames {
			names[i] = swedishName(c)
		}
		return fmt.Sprintf("okänd kolumn %s (kända: %s)", q, strings.Join(names, ", "))
	case KindDuplicateColumn:
		return fmt.Sprintf("kolumnen finns två gånger, även som kolumn %d", p.Other)
	case KindMissingColumn:
		return "saknas i rubrikraden"
	case KindUnheadedCell:
		return q + " står i en kolumn utan rubrik"
	case KindExtraCells:
		return fmt.Sprintf("har %s celler men rubrikraden har %d", p.Value, p.Other)
	case KindExtraCellsComma:
		return fmt.Sprintf(`har %s celler men rubrikraden har %d; i en kommaseparerad fil måste decimalkomma stå inom citattecken ("12,5"), eller så kan du separera med semikolon`, p.Value, p.Other)
	case KindUnclosedQuote:
		return "ett citattecken stängs aldrig; resten av filen lästes inte"
	case KindTextAfterQuote:
		return q + " har text efter det avslutande citattecknet"
	case KindRequired:
		return "måste fyllas i"
	case KindNotNumber:
		return q + " är inget tal"
	case KindNotWholeNumber:
		return q + " är inget heltal"
	case KindImplausibleYear:
		return fmt.Sprintf("%s är inget rimligt årtal (%d–%d)", p.Value, firstYear, lastYear)
	case KindBadOrg:
		return q + " är ingen kod för kommun, län eller riket (som 2380, 23 eller 00)"
	case KindBadGender:
		return q + " är inget kön (T, K eller M)"
	case KindBadBool:
		return q + " är varken ja eller nej"
	case KindDuplicateRow:
		return fmt.Sprintf("samma organisation, indikator, år och kön som rad %d", p.Other)
	case KindUnknownIndicator:
		return "ingen indikator har nyckeln " + q
	case KindNoGenderBreakdown:
		return fmt.Sprintf("indikatorn %s är inte uppdelad på kön, så bara T är tillåtet", q)
	case KindMoreProblems:
		return fmt.Sprintf("… och %d problem till", p.Other)
	}
	return fmt.Sprintf("%s %s", p.Kind, q)
}

// maxShown is how much of a cell a message repeats: enough to recognise
// it, not a whole file swallowed by a stray quote.
const maxShown = 60

func shorten(s string) string {
	if utf8.RuneCountInString(s) <= maxShown {
		return s
	}
	n := 0
	for i := range s {
		if n == maxShown-1 {
			return s[:i] + "…"
		}
		n++
	}
	return s
}

// maxKept bounds Problem.Value, so that a file swallowed by an open quote
// is not copied into its problem.
const maxKept = 256

// clip returns a cell's text for Problem.Value, cut at a character
// boundary when it is long.
func clip(b []byte) string {
	if len(b) <= maxKept {
		return string(b)
	}
	n := maxKept
	for n > 0 && !utf8.RuneStart(b[n]) {
		n--
	}
	return string(b[:n]) + "…"
}

func quoteEnglish(s string) string { return strconv.Quote(shorten(s)) }

// quoteSwedish uses the single quotes of the Swedish UI and escapes only
// what would otherwise be invisible.
func quoteSwedish(s string) string {
	s = shorten(s)
	var b strings.Builder
	b.WriteByte('\'')
	for _, r := range s {
		switch {
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == utf8.RuneError || !unicode.IsPrint(r) && r != '\u00a0' && r != '\u202f':
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('\'')
	return b.String()
}

// Problems is every problem found in a file. It implements error with one
// English line per problem, prefixed by the file name.
type Problems []Problem

func (ps Problems) Error() string { return ps.join(Problem.English) }

// English lists the problems in English, one a line, each after its file.
func (ps Problems) English() string { return ps.join(Problem.English) }

// Swedish lists the problems in Swedish, one a line, each after its file.
func (ps Problems) Swedish() string { return ps.join(Problem.Swedish) }

// Err returns ps as an error, or nil when there is none; it saves callers
// from the non-nil interface holding a nil slice.
func (ps Problems) Err() error {
	if len(ps) == 0 {
		return nil
	}
	return ps
}

func (ps Problems) join(text func(Problem) string) string {
	var b strings.Builder
	for i, p := range ps {
		if i > 0 {
			b.WriteByte('\n')
		}
		if p.File != "" {
			b.WriteString(p.File)
			b.WriteString(": ")
		}
		b.WriteString(text(p))
	}
	return b.String()
}
