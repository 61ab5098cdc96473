package obsfile

import (
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/inkludera/inkludera/internal/strategy"
)

var update = flag.Bool("update", false, "rewrite testdata/observations.xlsx")

// show writes an observation on one line: org indicator year gender value,
// then status, preliminary and source when set.
func show(o strategy.Observation) string {
	v := "nil"
	if o.Value != nil {
		v = strconv.FormatFloat(*o.Value, 'f', -1, 64)
	}
	s := fmt.Sprintf("%s %s %d %s %s", o.Org, o.Indicator, o.Year, o.Gender, v)
	if o.Status != "" {
		s += " status=" + o.Status
	}
	if o.Preliminary {
		s += " preliminary"
	}
	if o.Source != "" {
		s += " source=" + o.Source
	}
	return s
}

func showAll(obs []strategy.Observation) []string {
	out := make([]string, len(obs))
	for i, o := range obs {
		out[i] = show(o)
	}
	return out
}

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestReadTestdata(t *testing.T) {
	tests := []struct {
		name      string
		file      string
		delimiter rune
		encoding  string
		want      []string
		rows      []int // when they are not simply 2, 3, …
		lines     []int
	}{
		{
			name:      "semicolon, decimal comma, UTF-8 with BOM, Swedish headings, SCB and Kolada codes",
			file:      "semicolon-bom.csv",
			delimiter: ';',
			encoding:  "UTF-8 BOM",
			want: []string{
				"2380 utrikes-fodda-andel 2020 T 12.5 source=Kolada",
				"2380 utrikes-fodda-andel 2020 K 13.1 source=Kolada",
				"2380 utrikes-fodda-andel 2020 M 11.9 source=Kolada",
				"23 folkmangd 2021 T 130810 preliminary source=SCB",
				"00 folkmangd 2021 T 10452326 source=SCB",
				"2380 folkmangd 2021 T 64109 source=SCB",
				"2380 folkmangd 2021 M 32210 source=SCB",
				"2380 folkmangd 2021 K 31899 source=SCB",
				"2380 forvarvsfrekvens 2019 K nil status=.. source=SCB",
				"2380 forvarvsfrekvens 2019 M nil source=SCB",
				"2380 forvarvsfrekvens 2019 T -0.5 source=SCB",
			},
		},
		{
			name:      "comma, decimal point, quoted decimal comma, columns in another order",
			file:      "comma-point.csv",
			delimiter: ',',
			encoding:  "UTF-8",
			want: []string{
				"2380 utrikes-fodda-andel 2020 T 12.5 source=kolada",
				"2380 utrikes-fodda-andel 2021 T 12.75 preliminary source=kolada",
				"2380 utrikes-fodda-andel 2022 T 1234.5 status=p preliminary source=Kolada, N02926",
				"2380 utrikes-fodda-andel 2023 T nil source=kolada",
				"2380 utrikes-fodda-andel 2024 T nil status=: source=kolada",
			},
		},
		{
			name:      "ISO-8859-1 with å, ä, ö in headings and values",
			file:      "latin1.csv",
			delimiter: ';',
			encoding:  "Windows-1252",
			want: []string{
				"2380 nyanlanda 2022 K 41.5 source=Östersunds kommun",
				"2380 nyanlanda 2022 M 38 source=Östersunds kommun",
				"2380 nyanlanda 2022 T nil status=– source=Östersunds kommun, Välfärdsförvaltningen",
			},
		},
		{
			name:      "CRLF, a cell over two lines, a blank line",
			file:      "crlf.csv",
			delimiter: ';',
			encoding:  "UTF-8",
			want: []string{
				"2380 i 2020 T 1.5 source=Årsredovisning\r\n2020",
				"2380 i 2021 T 2.5 source=Årsredovisning 2021",
				"2380 i 2022 T 3",
			},
			rows:  []int{2, 3, 5},
			lines: []int{2, 4, 6},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, probs := Parse(tt.file, readTestdata(t, tt.file), Options{DefaultOrg: "2380"})
			if len(probs) > 0 {
				t.Fatalf("unexpected problems:\n%s", probs)
			}
			if got := showAll(d.Observations); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("observations:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			if d.Format != "csv" || d.Delimiter != tt.delimiter || d.Encoding != tt.encoding {
				t.Errorf("format %s, delimiter %q, encoding %q; want csv, %q, %q", d.Format, d.Delimiter, d.Encoding, tt.delimiter, tt.encoding)
			}
			if tt.rows == nil {
				for i := range tt.want {
					tt.rows = append(tt.rows, i+2)
				}
				tt.lines = tt.rows
			}
			if !reflect.DeepEqual(d.Rows, tt.rows) || !reflect.DeepEqual(d.Lines, tt.lines) {
				t.Errorf("rows %v lines %v, want %v %v", d.Rows, d.Lines, tt.rows, tt.lines)
			}
		})
	}
}

func TestLatin1TestdataIsNotUTF8(t *testing.T) {
	// Guards the test above against an editor re-saving the file as UTF-8.
	data := readTestdata(t, "latin1.csv")
	if _, enc := toUTF8(data); enc != "Windows-1252" {
		t.Fatalf("testdata/latin1.csv is read as %s", enc)
	}
}

func TestManyErrors(t *testing.T) {
	type expect struct {
		row, col int
		sv, en   string
	}
	wants := []expect{
		{1, 7, "rad 1, kolumn 7: okänd kolumn 'okänd' (kända: organisation, indikator, år, kön, värde, status, preliminär, källa)", `row 1, column 7: unknown column "okänd" (known: org, indicator, year, gender, value, status, preliminary, source)`},
		{2, 5, "rad 2, kolumn värde: '12,3,4' är inget tal", `row 2, column value: "12,3,4" is not a number`},
		{3, 3, "rad 3, kolumn år: 'tjugo' är inget heltal", `row 3, column year: "tjugo" is not a whole number`},
		{4, 3, "rad 4, kolumn år: 1850 är inget rimligt årtal (1900–2200)", "row 4, column year: 1850 is not a plausible year (1900–2200)"},
		{6, 1, "rad 6, kolumn organisation: '9999' är ingen kod för kommun, län eller riket (som 2380, 23 eller 00)", `row 6, column org: "9999" is not a kommun, län or riket code (such as 2380, 23 or 00)`},
		{7, 2, "rad 7, kolumn indikator: måste fyllas i", "row 7, column indicator: is required"},
		{8, 4, "rad 8, kolumn kön: 'X' är inget kön (T, K eller M)", `row 8, column gender: "X" is not a gender (T, K or M)`},
		{9, 6, "rad 9, kolumn preliminär: 'kanske' är varken ja eller nej", `row 9, column preliminary: "kanske" is neither true nor false`},
		{9, 0, "rad 9: samma organisation, indikator, år och kön som rad 2", "row 9: the same org, indicator, year and gender as row 2"},
		{10, 3, "rad 10, kolumn år: måste fyllas i", "row 10, column year: is required"},
		{10, 4, "rad 10, kolumn kön: måste fyllas i", "row 10, column gender: is required"},
		{12, 0, "rad 12: har 8 celler men rubrikraden har 7", "row 12: has 8 cells but the header has 7"},
		{13, 5, `rad 13, kolumn värde: '"1"2' har text efter det avslutande citattecknet`, `row 13, column value: "\"1\"2" has text after its closing quote`},
		{15, 0, "rad 15: samma organisation, indikator, år och kön som rad 14", "row 15: the same org, indicator, year and gender as row 14"},
	}
	obs, probs := Read("many-errors.csv", readTestdata(t, "many-errors.csv"), Options{})
	if len(probs) != len(wants) {
		t.Errorf("got %d problems, want %d:\n%s", len(probs), len(wants), probs)
	}
	for i, w := range wants {
		if i >= len(probs) {
			break
		}
		p := probs[i]
		if p.File != "many-errors.csv" || p.Row != w.row || p.Line != w.row || p.ColumnIndex != w.col {
			t.Errorf("problem %d at %s row %d line %d column %d, want row %d column %d", i, p.File, p.Row, p.Line, p.ColumnIndex, w.row, w.col)
		}
		if got := p.Swedish(); got != w.sv {
			t.Errorf("problem %d in Swedish:\n got %s\nwant %s", i, got, w.sv)
		}
		if got := p.English(); got != w.en {
			t.Errorf("problem %d in English:\n got %s\nwant %s", i, got, w.en)
		}
	}
	// The sound rows are still read, for a preview.
	want := []string{"0238 i 2020 K 1", "2380 i 2021 T 1", "23 i 2020 T 7"}
	if got := showAll(obs); !reflect.DeepEqual(got, want) {
		t.Errorf("observations %q, want %q", got, want)
	}
	if !strings.HasPrefix(probs.Error(), "many-errors.csv: row 1, column 7: unknown column") ||
		!strings.HasPrefix(probs.Swedish(), "many-errors.csv: rad 1, kolumn 7: okänd kolumn") {
		t.Errorf("the lists should name the file first:\n%s\n%s", probs.Error(), probs.Swedish())
	}
}

func TestReadCSV(t *testing.T) {
	tests := []struct {
		name  string
		input string
		opt   Options
		want  []string // observations
		probs []string // English
	}{
		{
			name:  "tab separated",
			input: "org\tindicator\tyear\tgender\tvalue\n2380\ti\t2020\tT\t1,5\n",
			want:  []string{"2380 i 2020 T 1.5"},
		},
		{
			name:  "Excel's sep= line sets the separator and is not a row",
			input: "sep=,\norg,indicator,year,gender,value\n2380,i,2020,T,x\n",
			probs: []string{`row 2, column value: "x" is not a number`},
		},
		{
			name:  "headings in any case with spaces and a trailing empty column",
			input: " ORG ; Indicator;YEAR ;Gender; Value ;\n2380;i;2020;T;2;\n",
			want:  []string{"2380 i 2020 T 2"},
		},
		{
			name:  "decomposed å in a heading, as macOS writes it",
			input: "org;indikator;a\u030ar;ko\u0308n;va\u0308rde\n2380;i;2020;T;2\n",
			want:  []string{"2380 i 2020 T 2"},
		},
		{
			name:  "old Mac line ends",
			input: "org;indicator;year;gender;value\r2380;i;2020;T;2\r2380;i;2021;T;3",
			want:  []string{"2380 i 2020 T 2", "2380 i 2021 T 3"},
		},
		{
			name:  "org column left out when the caller gives the organisation",
			input: "indicator;year;gender;value\ni;2020;T;2\n",
			opt:   Options{DefaultOrg: "2380"},
			want:  []string{"2380 i 2020 T 2"},
		},
		{
			name:  "org column needed without a default",
			input: "indicator;year;gender;value\ni;2020;T;2\n",
			probs: []string{"row 1, column org: is missing from the header"},
		},
		{
			name:  "empty org cell without a default",
			input: "org;indicator;year;gender;value\n;i;2020;T;2\n",
			probs: []string{"row 2, column org: is required"},
		},
		{
			name:  "org codes as Kolada, SCB and Excel write them",
			input: "org;indicator;year;gender;value\n0000;i;2020;T;1\n0001;i;2020;T;1\n114;i;2020;T;1\n1;i;2021;T;1\n2380 Östersund;i;2020;T;1\n00 Riket;i;2021;T;1\n",
			want:  []string{"00 i 2020 T 1", "01 i 2020 T 1", "0114 i 2020 T 1", "01 i 2021 T 1", "2380 i 2020 T 1", "00 i 2021 T 1"},
		},
		{
			name:  "the same key written two ways is a duplicate",
			input: "org;indicator;year;gender;value\n0023;i;2020;T;1\n23;i;2020;totalt;2\n",
			want:  []string{"23 i 2020 T 1"},
			probs: []string{"row 3: the same org, indicator, year and gender as row 2"},
		},
		{
			name:  "same key in another gender or year is not a duplicate",
			input: "org;indicator;year;gender;value\n2380;i;2020;T;1\n2380;i;2020;K;1\n2380;i;2021;T;1\n2380;j;2020;T;1\n",
			want:  []string{"2380 i 2020 T 1", "2380 i 2020 K 1", "2380 i 2021 T 1", "2380 j 2020 T 1"},
		},
		{
			name:  "missing and duplicated columns",
			input: "org,indicator,värde,value\n",
			probs: []string{
				"row 1, column value: the column is given twice, also as column 3",
				"row 1, column year: is missing from the header",
				"row 1, column gender: is missing from the header",
			},
		},
		{
			name:  "empty file",
			input: "",
			probs: []string{"the file is empty; it needs a header row with org, indicator, year, gender and value"},
		},
		{
			name:  "blank lines only",
			input: "\n\r\n ; \n",
			probs: []string{"the file is empty; it needs a header row with org, indicator, year, gender and value"},
		},
		{
			name:  "header only",
			input: "org;indicator;year;gender;value\n",
		},
		{
			name:  "unquoted decimal comma in a comma-separated file",
			input: "org,indicator,year,gender,value\n2380,i,2020,T,12,5\n",
			probs: []string{`row 2: has 6 cells but the header has 5; in a comma-separated file a decimal comma must be quoted ("12,5"), or separate with semicolons`},
		},
		{
			name:  "a cell under no heading",
			input: "org;indicator;year;gender;value;\n2380;i;2020;T;1;oj\n",
			probs: []string{`row 2, column 6: "oj" is in a column without a heading`},
		},
		{
			name:  "an unclosed quote stops reading",
			input: "org;indicator;year;gender;value\n2380;i;2020;T;\"1\n2380;i;2021;T;1\n",
			probs: []string{"row 2, column value: a quoted cell is never closed; the rest of the file was not read"},
		},
		{
			name:  "quoted cells with doubled quotes and spaces around",
			input: "org;indicator;year;gender;value;source\n2380; \"i\" ;2020;T;1;\"Sa \"\"so\"\"\"\n",
			want:  []string{`2380 i 2020 T 1 source=Sa "so"`},
		},
		{
			name:  "year bounds",
			input: "org;indicator;year;gender;value\n2380;i;1900;T;1\n2380;i;2200;T;1\n2380;i;1899;T;1\n2380;i;2201;T;1\n2380;i;2020.0;T;1\n",
			want:  []string{"2380 i 1900 T 1", "2380 i 2200 T 1"},
			probs: []string{
				"row 4, column year: 1899 is not a plausible year (1900–2200)",
				"row 5, column year: 2201 is not a plausible year (1900–2200)",
				`row 6, column year: "2020.0" is not a whole number`,
			},
		},
		{
			name:  "genders",
			input: "org;indicator;year;gender;value\n2380;a;2020;t;1\n2380;b;2020;k;1\n2380;c;2020;m;1\n2380;d;2020;TOTALT;1\n2380;e;2020;Kvinnor;1\n2380;f;2020;MÄN;1\n2380;g;2020;1;1\n2380;h;2020;2;1\n2380;i;2020;1+2;1\n2380;j;2020;3;1\n",
			want: []string{
				"2380 a 2020 T 1", "2380 b 2020 K 1", "2380 c 2020 M 1", "2380 d 2020 T 1", "2380 e 2020 K 1",
				"2380 f 2020 M 1", "2380 g 2020 M 1", "2380 h 2020 K 1", "2380 i 2020 T 1",
			},
			probs: []string{`row 11, column gender: "3" is not a gender (T, K or M)`},
		},
		{
			name:  "missing-value symbols keep their symbol, and an explicit status wins",
			input: "org;indicator;year;gender;value;status\n2380;a;2020;T;..;\n2380;b;2020;T;.;\n2380;c;2020;T;:;\n2380;d;2020;T;-;\n2380;e;2020;T;–;\n2380;f;2020;T;..;x\n2380;g;2020;T;;\n",
			want: []string{
				"2380 a 2020 T nil status=..", "2380 b 2020 T nil status=.", "2380 c 2020 T nil status=:",
				"2380 d 2020 T nil status=-", "2380 e 2020 T nil status=–", "2380 f 2020 T nil status=x", "2380 g 2020 T nil",
			},
		},
		{
			name:  "UTF-16 with a byte order mark, as Excel's Unicode text",
			input: utf16LE("org\tindikator\tår\tkön\tvärde\r\n2380\ti\t2020\tmän\t1,5\r\n"),
			want:  []string{"2380 i 2020 M 1.5"},
		},
		{
			name:  "UTF-8 with a stray Latin-1 byte keeps both",
			input: "org;indikator;år;kön;värde;källa\n2380;i;2020;T;1;Östersund \xd6rebro\n",
			want:  []string{"2380 i 2020 T 1 source=Östersund Örebro"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			obs, probs := Read("f.csv", []byte(tt.input), tt.opt)
			if got := showAll(obs); len(got)+len(tt.want) > 0 && !reflect.DeepEqual(got, tt.want) {
				t.Errorf("observations:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			var got []string
			for _, p := range probs {
				got = append(got, p.English())
			}
			if !reflect.DeepEqual(got, tt.probs) {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.probs, "\n"))
			}
		})
	}
}

func utf16LE(s string) string {
	b := []byte{0xff, 0xfe}
	for _, r := range s {
		b = append(b, byte(r), byte(r>>8)) // the test text is all in the BMP
	}
	return string(b)
}

func TestParseNumber(t *testing.T) {
	tests := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"12,5", 12.5, true},
		{"12.5", 12.5, true},
		{"-0,5", -0.5, true},
		{"+3", 3, true},
		{"\u22123,25", -3.25, true},
		{"13 112", 13112, true},
		{"13\u00a0112", 13112, true},
		{"13\u202f112", 13112, true},
		{"1 234 567,891", 1234567.891, true},
		{"12,5 %", 12.5, true},
		{"12,5%", 12.5, true},
		{"0,1", 0.1, true},
		{",5", 0.5, true},
		{"5,", 5, true},
		{"1e3", 1000, true},
		{"1,5E-2", 0.015, true},
		{"0.30000000000000004", 0.30000000000000004, true},
		{"123456789012345678901234", 1.2345678901234568e23, true},
		{"0,0000000000000000000001", 1e-22, true},
		{"-0", 0, true},
		{"12,3,4", 0, false},
		{"1.234,5", 0, false},
		{"1 23", 0, false},
		{"1234 567", 0, false},
		{"12 5,5", 0, false},
		{" ", 0, false},
		{"", 0, false},
		{"%", 0, false},
		{"abc", 0, false},
		{"NaN", 0, false},
		{"Inf", 0, false},
		{"1e400", 0, false},
		{"1e", 0, false},
		{"e5", 0, false},
		{"1e5,5", 0, false},
		{"--1", 0, false},
		{"1-", 0, false},
		{"0x10", 0, false},
		{"1_000", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := parseNumber([]byte(tt.in))
			if ok != tt.ok || got != tt.want || tt.want == 0 && math.Signbit(got) {
				t.Errorf("parseNumber(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestMaxProblems(t *testing.T) {
	var b strings.Builder
	b.WriteString("org;indicator;year;gender;value\n")
	for i := range 1500 {
		fmt.Fprintf(&b, "2380;i;%d;T;fel\n", 1900+i%300)
	}
	tests := []struct {
		name  string
		max   int
		count int
		last  string
	}{
		// 1500 values that are not numbers and, from row 302 on, 1200
		// duplicates.
		{"default cap", 0, DefaultMaxProblems + 1, "… and 1700 more problems"},
		{"small cap", 3, 4, "… and 2697 more problems"},
		{"no cap", -1, 2700, `row 1501: the same org, indicator, year and gender as row 301`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, probs := Read("f.csv", []byte(b.String()), Options{MaxProblems: tt.max})
			if len(probs) != tt.count {
				t.Fatalf("%d problems, want %d", len(probs), tt.count)
			}
			if last := probs[len(probs)-1]; last.English() != tt.last {
				t.Errorf("last problem %q, want %q", last.English(), tt.last)
			}
		})
	}
	_, probs := Read("f.csv", []byte(b.String()), Options{MaxProblems: 1})
	if got := probs[1].Swedish(); got != "… och 2699 problem till" {
		t.Errorf("Swedish %q", got)
	}
}

func TestProblemsErr(t *testing.T) {
	var none Problems
	if none.Err() != nil {
		t.Error("no problems should be a nil error")
	}
	some := Problems{{File: "a.csv", Row: 2, Column: "value", Kind: KindNotNumber, Value: "x"}}
	if err := some.Err(); err == nil || err.Error() != `a.csv: row 2, column value: "x" is not a number` {
		t.Errorf("Err() = %v", err)
	}
}

func TestLongValuesAreShortened(t *testing.T) {
	long := strings.Repeat("x", 200) + "\n"
	p := Problem{Row: 3, Column: "value", Kind: KindNotNumber, Value: long}
	want := "rad 3, kolumn värde: '" + strings.Repeat("x", maxShown-1) + "…' är inget tal"
	if got := p.Swedish(); got != want {
		t.Errorf("got %s", got)
	}
	p.Value = "a\nb\x00"
	if got := p.Swedish(); got != `rad 3, kolumn värde: 'a\nb\u0000' är inget tal` {
		t.Errorf("got %s", got)
	}
}

func TestHugeCellIsClippedInItsProblem(t *testing.T) {
	input := "org;indicator;year;gender;value\n2380;i;2020;T;\"" + strings.Repeat("å", 10000)
	_, probs := Read("f.csv", []byte(input), Options{})
	if len(probs) != 1 || probs[0].Kind != KindUnclosedQuote || len(probs[0].Value) > maxKept+len("…") || !utf8.ValidString(probs[0].Value) {
		t.Fatalf("got %d problems, the first with a value of %d bytes", len(probs), len(probs[0].Value))
	}
}

func TestDataAt(t *testing.T) {
	d, probs := Parse("f.csv", []byte("org;indicator;year;gender;value\n\n2380;okand;2020;T;1\n"), Options{})
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	p := d.At(0, "indicator", KindUnknownIndicator, d.Observations[0].Indicator)
	if got := p.Swedish(); got != "rad 3, kolumn indikator: ingen indikator har nyckeln 'okand'" {
		t.Errorf("Swedish %q", got)
	}
	if got := p.English(); got != `row 3, column indicator: no indicator has the key "okand"` {
		t.Errorf("English %q", got)
	}
	p = d.At(0, "gender", KindNoGenderBreakdown, "okand")
	if p.ColumnIndex != 4 || p.English() != `row 3, column gender: indicator "okand" has no breakdown by gender, so only T is allowed` {
		t.Errorf("got %+v %s", p, p.English())
	}
}

// writeXLSX builds the workbook the XLSX tests read: a first sheet that is
// not the observations, then "Observationer" with numbers, text, a percent
// cell, a code that lost its leading zero, gaps and trailing empty rows.
func writeXLSX(t *testing.T, path string) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(f.SetSheetName("Sheet1", "Om filen"))
	must(f.SetCellValue("Om filen", "A1", "Det här bladet läses inte."))
	_, err := f.NewSheet("Observationer")
	must(err)
	const s = "Observationer"
	rows := [][]any{
		{"Kommun", "Indikator", "År", "Kön", "Värde", "Källa"},
		{2380, "utrikes-fodda-andel", 2020, "T", 12.5, "Kolada"},
		{"2380", "utrikes-fodda-andel", "2021", "kvinnor", "13,25", "Kolada"},
		{114, "folkmangd", 2021, "T", 47123, "SCB"},
		nil, // a gap: rows keep their spreadsheet numbers
		{"0023", "folkmangd", 2021, "T", "..", "SCB"},
		{"2380", "andel", 2022, "T", 0.123, ""},
		{"2380", "andel", 2023, "T", "", ""},
	}
	for i, r := range rows {
		if r != nil {
			must(f.SetSheetRow(s, "A"+strconv.Itoa(i+1), &r))
		}
	}
	pct, err := f.NewStyle(&excelize.Style{NumFmt: 10}) // 0.00%
	must(err)
	must(f.SetCellStyle(s, "E7", "E7", pct))
	// Formatting far below makes Excel keep empty rows at the end.
	must(f.SetCellStyle(s, "A20", "F20", pct))
	must(f.SetCellValue(s, "A21", ""))
	must(f.SaveAs(path))
}

func TestXLSX(t *testing.T) {
	path := filepath.Join("testdata", "observations.xlsx")
	if *update {
		writeXLSX(t, path)
	}
	fresh := filepath.Join(t.TempDir(), "fresh.xlsx")
	writeXLSX(t, fresh)
	want := []string{
		"2380 utrikes-fodda-andel 2020 T 12.5 source=Kolada",
		"2380 utrikes-fodda-andel 2021 K 13.25 source=Kolada",
		"0114 folkmangd 2021 T 47123 source=SCB",
		"23 folkmangd 2021 T nil status=.. source=SCB",
		"2380 andel 2022 T 12.3",
		"2380 andel 2023 T nil",
	}
	for _, file := range []string{path, fresh} {
		t.Run(filepath.Base(file), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			d, probs := Parse(file, data, Options{})
			if len(probs) > 0 {
				t.Fatalf("unexpected problems:\n%s", probs)
			}
			if got := showAll(d.Observations); !reflect.DeepEqual(got, want) {
				t.Errorf("observations:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			if d.Format != "xlsx" || d.Sheet != "Observationer" || !reflect.DeepEqual(d.Rows, []int{2, 3, 4, 6, 7, 8}) {
				t.Errorf("format %s sheet %q rows %v", d.Format, d.Sheet, d.Rows)
			}
		})
	}
}

func TestXLSXProblems(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range [][]any{
		{"org", "indicator", "year", "gender", "value", "färg"},
		{2380, "i", 2020, "T", "tolv"},
		{2380, "i", 2020.5, "X", 1},
		{2380, "i", 2020, "T", 3},
	} {
		if err := f.SetSheetRow("Sheet1", "A"+strconv.Itoa(i+1), &r); err != nil {
			t.Fatal(err)
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	_, probs := Read("ark.xlsx", buf.Bytes(), Options{})
	want := []string{
		"ark.xlsx: rad 1, kolumn 6: okänd kolumn 'färg' (kända: organisation, indikator, år, kön, värde, status, preliminär, källa)",
		"ark.xlsx: rad 2, kolumn värde: 'tolv' är inget tal",
		"ark.xlsx: rad 3, kolumn år: '2020.5' är inget heltal",
		"ark.xlsx: rad 3, kolumn kön: 'X' är inget kön (T, K eller M)",
		"ark.xlsx: rad 4: samma organisation, indikator, år och kön som rad 2",
	}
	if got := strings.Split(probs.Swedish(), "\n"); !reflect.DeepEqual(got, want) {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestNotAWorkbook(t *testing.T) {
	tests := []struct {
		name string
		data string
		want string
	}{
		{"old .xls", "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "gammal.xls: är en gammal Excelfil (.xls) eller en krypterad arbetsbok; spara den som .xlsx eller CSV"},
		{"broken zip", "PK\x03\x04 nothing more", "gammal.xls: kan inte läsas som XLSX-fil: zip: not a valid zip file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			obs, probs := Read("gammal.xls", []byte(tt.data), Options{})
			if len(obs) != 0 || probs.Swedish() != tt.want {
				t.Errorf("got %d observations and\n%s\nwant\n%s", len(obs), probs.Swedish(), tt.want)
			}
		})
	}
}

func TestTimesHundred(t *testing.T) {
	for in, want := range map[string]float64{"0.123": 12.3, "1.5E-3": 0.15, "0.1e+1": 100, "2": 200} {
		got, ok := parseNumber([]byte(timesHundred(in)))
		if !ok || got != want {
			t.Errorf("timesHundred(%q) reads as %v, %v; want %v", in, got, ok, want)
		}
	}
}
