package extract

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// token is a word, number or sign of a sentence.
type token struct {
	text  string // as written
	low   string // lower case
	start int    // byte offset in the sentence
	num   bool   // digits, possibly grouped ("5 000") or with a decimal comma ("10,5")
	value float64
}

// tokenize splits a sentence into words, numbers and signs. Digit groups
// separated by a space ("5 000") become one number; "20-64" is a number, a
// sign and a number.
func tokenize(s string) []token {
	var toks []token
	rs := []rune(s)
	// byte offsets of runes
	offs := make([]int, len(rs)+1)
	o := 0
	for i, r := range rs {
		offs[i] = o
		o += len(string(r))
	}
	offs[len(rs)] = o
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case unicode.IsSpace(r):
			i++
		case unicode.IsDigit(r):
			j := i
			for j < len(rs) && unicode.IsDigit(rs[j]) {
				j++
			}
			// Thousands: "5 000", "13 112" (groups of three after a
			// group of one to three digits).
			if j-i <= 3 {
				for j+3 < len(rs)+0 && rs[j] == ' ' && allDigits(rs[j+1:j+4]) && (j+4 == len(rs) || !unicode.IsDigit(rs[j+4])) {
					j += 4
				}
			}
			// Decimal comma or point: "10,5", "12.5".
			if j+1 < len(rs) && (rs[j] == ',' || rs[j] == '.') && unicode.IsDigit(rs[j+1]) && !(rs[j] == '.' && j+3 < len(rs) && rs[j+3] == '.') {
				k := j + 1
				for k < len(rs) && unicode.IsDigit(rs[k]) {
					k++
				}
				if rs[j] == ',' || k-j-1 != 3 {
					j = k
				}
			}
			text := string(rs[i:j])
			v, _ := strconv.ParseFloat(strings.NewReplacer(" ", "", ",", ".").Replace(text), 64)
			toks = append(toks, token{text: text, low: text, start: offs[i], num: true, value: v})
			i = j
		case unicode.IsLetter(r):
			j := i
			for j < len(rs) && (unicode.IsLetter(rs[j]) || unicode.IsDigit(rs[j]) || (rs[j] == '-' || rs[j] == '/' || rs[j] == '.' || rs[j] == ':') && j+1 < len(rs) && unicode.IsLetter(rs[j+1])) {
				j++
			}
			text := string(rs[i:j])
			toks = append(toks, token{text: text, low: strings.ToLower(text), start: offs[i]})
			i = j
		default:
			toks = append(toks, token{text: string(r), low: string(r), start: offs[i]})
			i++
		}
	}
	return toks
}

func allDigits(rs []rune) bool {
	for _, r := range rs {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return len(rs) > 0
}

// numberWords are Swedish numbers written in words.
var numberWords = map[string]float64{
	"en": 1, "ett": 1, "två": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "sju": 7, "åtta": 8, "nio": 9,
	"tio": 10, "elva": 11, "tolv": 12, "femton": 15, "tjugo": 20, "trettio": 30, "fyrtio": 40, "femtio": 50,
	"sextio": 60, "sjuttio": 70, "åttio": 80, "nittio": 90, "hundra": 100, "etthundra": 100,
	"tvåhundra": 200, "trehundra": 300, "fyrahundra": 400, "femhundra": 500, "tusen": 1000, "ettusen": 1000,
}

// approxWords are "ett tiotal", "ett hundratal": about that many.
var approxWords = map[string]float64{
	"tiotal": 10, "tjugotal": 20, "trettiotal": 30, "fyrtiotal": 40, "femtiotal": 50, "sextiotal": 60,
	"sjuttiotal": 70, "åttiotal": 80, "nittiotal": 90, "hundratal": 100, "tvåhundratal": 200,
	"trehundratal": 300, "femhundratal": 500, "tusental": 1000, "dussin": 12, "dussintal": 12,
}

// fractionWords are shares written in words, in per cent.
var fractionWords = map[string]float64{
	"hälften": 50, "halva": 50, "tredjedel": 100.0 / 3, "fjärdedel": 25, "femtedel": 20, "tiondel": 10,
	"tredjedelar": 200.0 / 3, "fjärdedelar": 75,
}

// quantity is a number read from tokens.
type quantity struct {
	value  float64
	approx bool   // "ett hundratal"
	unit   string // "%" for fractions in words
	next   int    // index of the token after the number
}

// readNumber reads the number that starts at tokens[i]: digits, number
// words ("tre", "tvåhundra"), "ett hundratal", "hälften", "två tredjedelar",
// "tre av fyra".
func readNumber(toks []token, i int) (quantity, bool) {
	if i >= len(toks) {
		return quantity{}, false
	}
	t := toks[i]
	if t.num {
		// "tre av fyra" in digits: "3 av 4"
		if i+2 < len(toks) && toks[i+1].low == "av" && toks[i+2].num && toks[i+2].value > t.value && toks[i+2].value <= 10 {
			return quantity{value: 100 * t.value / toks[i+2].value, unit: "%", next: i + 3}, true
		}
		return quantity{value: t.value, next: i + 1}, true
	}
	if v, ok := fractionWords[t.low]; ok {
		return quantity{value: v, unit: "%", next: i + 1}, true
	}
	if v, ok := numberWords[t.low]; ok {
		if i+1 < len(toks) {
			n := toks[i+1]
			if a, ok := approxWords[n.low]; ok && v == 1 {
				return quantity{value: a, approx: true, next: i + 2}, true
			}
			if f, ok := fractionWords[n.low]; ok {
				if strings.HasSuffix(n.low, "ar") {
					return quantity{value: v * f / 2, unit: "%", next: i + 2}, true
				}
				if v == 1 {
					return quantity{value: f, unit: "%", next: i + 2}, true
				}
			}
			if n.low == "av" && i+2 < len(toks) {
				if w, ok := numberWords[toks[i+2].low]; ok && w > v && w <= 10 {
					return quantity{value: 100 * v / w, unit: "%", next: i + 3}, true
				}
			}
		}
		if v == 1 {
			return quantity{}, false // "en", "ett" alone are articles
		}
		return quantity{value: v, next: i + 1}, true
	}
	if v, ok := approxWords[t.low]; ok {
		return quantity{value: v, approx: true, next: i + 1}, true
	}
	return quantity{}, false
}

// isYear reports whether a number token is a plausible year.
func isYear(t token) bool {
	return t.num && len(t.text) == 4 && t.value >= 1950 && t.value <= 2100 && !strings.ContainsAny(t.text, ", .")
}

var months = map[string]int{
	"januari": 1, "jan": 1, "februari": 2, "feb": 2, "mars": 3, "mar": 3, "april": 4, "apr": 4, "maj": 5,
	"juni": 6, "jun": 6, "juli": 7, "jul": 7, "augusti": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
	"oktober": 10, "okt": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}

var (
	isoDateRe     = mustRe(`\b((?:19|20)\d{2})[-./]([01]\d)[-./]([0-3]\d)\b`)
	compactDateRe = mustRe(`\b((?:19|20)\d{2})([01]\d)([0-3]\d)\b`)
	wordDateRe    = mustRe(`(?i)\b([0-3]?\d)(?:\s*:?e)?\s+(januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|okt|nov|dec)\.?\s+((?:19|20)\d{2})\b`)
	slashDateRe   = mustRe(`\b([0-3]?\d)/([01]?\d)\s+((?:19|20)\d{2})\b`)
)

// findDate finds the first date in s and returns it as an ISO date with
// its position: "2016-05-10", "20160510", "10 maj 2016", "den 14 april
// 2015", "14/4 2015".
func findDate(s string) (iso string, start, end int, ok bool) {
	best := -1
	try := func(m []int, y, mo, d string) {
		if m == nil || best >= 0 && m[0] >= best {
			return
		}
		yy, _ := strconv.Atoi(y)
		mm, err := strconv.Atoi(mo)
		if err != nil {
			mm = months[strings.ToLower(mo)]
		}
		dd, _ := strconv.Atoi(d)
		if !validDate(yy, mm, dd) {
			return
		}
		iso, start, end, ok = fmt.Sprintf("%04d-%02d-%02d", yy, mm, dd), m[0], m[1], true
		best = m[0]
	}
	for _, re := range []svRe{isoDateRe, compactDateRe} {
		for _, m := range re.FindAllStringSubmatchIndex(s, -1) {
			try(m, s[m[2]:m[3]], s[m[4]:m[5]], s[m[6]:m[7]])
		}
	}
	for _, m := range wordDateRe.FindAllStringSubmatchIndex(s, -1) {
		try(m, s[m[6]:m[7]], s[m[4]:m[5]], s[m[2]:m[3]])
	}
	for _, m := range slashDateRe.FindAllStringSubmatchIndex(s, -1) {
		try(m, s[m[6]:m[7]], s[m[4]:m[5]], s[m[2]:m[3]])
	}
	return
}

func validDate(y, m, d int) bool {
	if y < 1950 || y > 2100 || m < 1 || m > 12 || d < 1 {
		return false
	}
	days := [...]int{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[m-1]
	if m == 2 && (y%4 == 0 && y%100 != 0 || y%400 == 0) {
		days = 29
	}
	return d <= days
}
