package i18n

import (
	"embed"
	"fmt"
	"io/fs"
	"math"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/number"
	"gopkg.in/yaml.v3"
)

// Language is one language the user interface speaks.
type Language struct {
	Code string // BCP 47: "sv", "en", "ar", "so", "ti", "fa"
	// Name is the language's name in itself, as a language menu shows it
	// so that a reader finds their own language without reading ours.
	Name string
	// RTL is set for languages written right to left.
	RTL bool
}

// Dir is the HTML dir attribute's value for the language.
func (l Language) Dir() string {
	if l.RTL {
		return "rtl"
	}
	return "ltr"
}

// Languages are the interface's languages, Swedish (the default and the
// language of the content) first. The list follows the largest groups of
// newcomers in Swedish municipalities: Arabic, Somali, Tigrinya and
// Persian/Dari (one catalogue: written Dari and Persian differ little).
var Languages = []Language{
	{Code: "sv", Name: "Svenska"},
	{Code: "en", Name: "English"},
	{Code: "ar", Name: "العربية", RTL: true},
	{Code: "so", Name: "Soomaali"},
	{Code: "ti", Name: "ትግርኛ"},
	{Code: "fa", Name: "فارسی/دری", RTL: true},
}

// Default is the language used when the request asks for none we speak.
const Default = "sv"

// LanguageOf returns the language with the code, and whether it is one
// of Languages.
func LanguageOf(code string) (Language, bool) {
	for _, l := range Languages {
		if l.Code == code {
			return l, true
		}
	}
	return Language{}, false
}

//go:embed locales/*.yaml
var localeFS embed.FS

var (
	bundleOnce sync.Once
	bundle     *goi18n.Bundle
	bundleErr  error
	localizers map[string]*Localizer
)

// loadBundle reads the embedded catalogues once.
func loadBundle() (*goi18n.Bundle, error) {
	bundleOnce.Do(func() {
		b := goi18n.NewBundle(language.Swedish)
		b.RegisterUnmarshalFunc("yaml", yaml.Unmarshal)
		files, _ := fs.Glob(localeFS, "locales/*.yaml")
		for _, name := range files {
			if _, ok := LanguageOf(fileLanguage(name)); !ok {
				bundleErr = fmt.Errorf("%s: the file name does not end in one of the languages' codes (.sv.yaml)", name)
				return
			}
			if _, err := b.LoadMessageFileFS(localeFS, name); err != nil {
				bundleErr = fmt.Errorf("loading %s: %w", name, err)
				return
			}
		}
		bundle = b
		localizers = map[string]*Localizer{}
		for _, l := range Languages {
			localizers[l.Code] = newLocalizer(b, l)
		}
	})
	return bundle, bundleErr
}

// For returns the localizer of the language with the code, or Swedish's
// when the code is not one of Languages. It panics when the embedded
// catalogues do not load, a programming error the package's tests catch.
func For(code string) *Localizer {
	if _, err := loadBundle(); err != nil {
		panic(err)
	}
	if l, ok := localizers[code]; ok {
		return l
	}
	return localizers[Default]
}

// Localizer speaks one language: messages from the catalogue, numbers
// and dates in the language's form.
type Localizer struct {
	Language
	loc     *goi18n.Localizer
	printer *message.Printer
	// cache keeps messages without arguments, the great majority, so that
	// rendering a page does not execute a template per word.
	cache sync.Map // id → string
}

func newLocalizer(b *goi18n.Bundle, l Language) *Localizer {
	return &Localizer{
		Language: l,
		loc:      goi18n.NewLocalizer(b, l.Code, Default),
		printer:  message.NewPrinter(language.Make(l.Code)),
	}
}

// T returns the message id in the localizer's language. args are pairs of
// a name and a value for the message's template ({{.Name}}); the name
// "Count" also chooses the plural form. A message missing from the
// language falls back to Swedish; one missing from Swedish too is returned
// as its id in brackets, which tests look for.
func (l *Localizer) T(id string, args ...any) string {
	if len(args) == 0 {
		if s, ok := l.cache.Load(id); ok {
			return s.(string)
		}
	}
	cfg := &goi18n.LocalizeConfig{MessageID: id}
	if len(args) > 0 {
		data := make(map[string]any, len(args)/2)
		for i := 0; i+1 < len(args); i += 2 {
			name, _ := args[i].(string)
			data[name] = args[i+1]
			if name == "Count" {
				cfg.PluralCount = args[i+1]
			}
		}
		cfg.TemplateData = data
	}
	s, err := l.loc.Localize(cfg)
	if err != nil && s == "" {
		return "⟦" + id + "⟧"
	}
	if len(args) == 0 {
		l.cache.Store(id, s)
	}
	return s
}

// Lookup is T for a message that may not exist: the message without
// arguments, in the language or else in Swedish, and false when neither
// catalogue has it (the caller then shows its own fallback).
func (l *Localizer) Lookup(id string) (string, bool) {
	s := l.T(id)
	return s, s != "⟦"+id+"⟧"
}

// Number formats v with the given decimals in the language's form:
// Swedish "1 234,5" (FormatNumber), English "1,234.5", Arabic and Persian
// in their own digits as CLDR has them.
func (l *Localizer) Number(v float64, decimals int) string {
	if l.Code == "sv" || math.IsNaN(v) || math.IsInf(v, 0) {
		return FormatNumber(v, decimals)
	}
	decimals = max(decimals, 0)
	if math.Abs(v) < 0.5*math.Pow10(-decimals) {
		v = 0 // "-0.0" would say the value is below zero
	}
	return l.printer.Sprint(number.Decimal(v, number.MinFractionDigits(decimals), number.MaxFractionDigits(decimals)))
}

// Integer formats a count or a year without grouping when it is a year:
// Year is for years ("2026", not "2 026"); Integer groups thousands.
func (l *Localizer) Integer(n int) string { return l.Number(float64(n), 0) }

// Year formats a year in the language's digits without grouping.
func (l *Localizer) Year(y int) string {
	return l.digits(fmt.Sprintf("%d", y))
}

// Date formats a day: ISO 8601 in Swedish, as Swedish public writing does;
// "22 November 2026" in English; day, month name and year in the other
// languages, in their digits, with the month names of their catalogue.
func (l *Localizer) Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	if l.Code == "sv" {
		return t.Format(time.DateOnly)
	}
	month := l.T(fmt.Sprintf("month.%d", int(t.Month())))
	return l.T("date.format", "Day", l.digits(fmt.Sprintf("%d", t.Day())), "Month", month, "Year", l.Year(t.Year()))
}

// digits writes the ASCII digits of s in the language's digits.
func (l *Localizer) digits(s string) string {
	zero := l.printer.Sprint(number.Decimal(0))
	r := []rune(zero)
	if len(r) != 1 || r[0] == '0' {
		return s
	}
	return strings.Map(func(c rune) rune {
		if c >= '0' && c <= '9' {
			return r[0] + (c - '0')
		}
		return c
	}, s)
}

// CookieName is the cookie that keeps the language a reader chose.
const CookieName = "sprak"

// Match chooses the language of a request: ?lang= first, then the cookie
// of an earlier choice, then the browser's Accept-Language, then Swedish.
// chosen is set when ?lang= named a language we speak, so the caller can
// remember it in the cookie.
func Match(r *http.Request) (lang Language, chosen bool) {
	cookie := ""
	if c, err := r.Cookie(CookieName); err == nil {
		cookie = c.Value
	}
	return MatchValues(r.URL.Query().Get("lang"), cookie, r.Header.Get("Accept-Language"))
}

// MatchValues is Match on the values themselves: the lang query
// parameter, the language cookie and the Accept-Language header, each ""
// when absent.
func MatchValues(query, cookie, acceptLanguage string) (lang Language, chosen bool) {
	if query != "" {
		if l, ok := LanguageOf(strings.ToLower(query)); ok {
			return l, true
		}
	}
	if cookie != "" {
		if l, ok := LanguageOf(cookie); ok {
			return l, false
		}
	}
	if acceptLanguage != "" {
		return matchAccept(acceptLanguage), false
	}
	return Languages[0], false
}

var matcher = func() language.Matcher {
	tags := make([]language.Tag, len(Languages))
	for i, l := range Languages {
		tags[i] = language.Make(l.Code)
	}
	return language.NewMatcher(tags)
}()

// acceptMatches remembers the language of the Accept-Language headers
// seen, up to maxAcceptMatches of them: browsers send a few distinct
// headers, and parsing and matching one took more than half the time of a
// public page served from the page cache.
var (
	acceptMatches    sync.Map // header → Language
	acceptMatchCount atomic.Int64
)

const maxAcceptMatches = 1024

// matchAccept picks the best of Languages for an Accept-Language header.
// Dari (prs, fa-AF) finds the Persian catalogue; anything unknown gives
// Swedish, the first language.
func matchAccept(header string) Language {
	if l, ok := acceptMatches.Load(header); ok {
		return l.(Language)
	}
	l := parseAccept(header)
	if len(header) <= 256 && acceptMatchCount.Add(1) <= maxAcceptMatches {
		acceptMatches.Store(header, l)
	}
	return l
}

func parseAccept(header string) Language {
	tags, _, err := language.ParseAcceptLanguage(header)
	if err != nil || len(tags) == 0 {
		return Languages[0]
	}
	for i, t := range tags {
		if base, _ := t.Base(); base.String() == "prs" {
			tags[i] = language.Make("fa-AF")
		}
	}
	_, i, conf := matcher.Match(tags...)
	if conf == language.No {
		return Languages[0]
	}
	return Languages[i]
}

// fileLanguage is the language code of a catalogue file: each part of
// the interface keeps its messages in its own files, "portal.sv.yaml".
func fileLanguage(name string) string {
	name = strings.TrimSuffix(name, ".yaml")
	return name[strings.LastIndex(name, ".")+1:]
}

// Catalogue returns the message ids of a language's own catalogue files
// (locales/*.CODE.yaml), for tests that compare the catalogues with the
// Swedish one.
func Catalogue(code string) (map[string]bool, error) {
	msgs, err := messages(code)
	if err != nil {
		return nil, err
	}
	ids := make(map[string]bool, len(msgs))
	for id := range msgs {
		ids[id] = true
	}
	return ids, nil
}

// messages reads a language's catalogue files into id → text (plural
// forms joined by newlines). An id defined in two files is an error: one
// would silently replace the other.
func messages(code string) (map[string]string, error) {
	files, err := fs.Glob(localeFS, "locales/*."+code+".yaml")
	if err != nil {
		return nil, err
	}
	msgs := map[string]string{}
	for _, name := range files {
		b, err := fs.ReadFile(localeFS, name)
		if err != nil {
			return nil, err
		}
		var tree map[string]any
		if err := yaml.Unmarshal(b, &tree); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		var dup error
		var walk func(prefix string, v any)
		walk = func(prefix string, v any) {
			m, ok := v.(map[string]any)
			if !ok || isPluralMap(m) {
				if _, seen := msgs[prefix]; seen && dup == nil {
					dup = fmt.Errorf("%s: message %q is defined in another file too", name, prefix)
				}
				msgs[prefix] = flatten(v)
				return
			}
			for k, sub := range m {
				p := k
				if prefix != "" {
					p = prefix + "." + k
				}
				walk(p, sub)
			}
		}
		walk("", tree)
		if dup != nil {
			return nil, dup
		}
	}
	return msgs, nil
}

// flatten is a message's text: its plural forms joined.
func flatten(v any) string {
	m, ok := v.(map[string]any)
	if !ok {
		return fmt.Sprint(v)
	}
	var parts []string
	for _, f := range []string{"zero", "one", "two", "few", "many", "other"} {
		if s, ok := m[f]; ok {
			parts = append(parts, fmt.Sprint(s))
		}
	}
	return strings.Join(parts, "\n")
}

// isPluralMap reports whether m is one message's plural forms.
func isPluralMap(m map[string]any) bool {
	if len(m) == 0 {
		return false
	}
	for k := range m {
		switch k {
		case "zero", "one", "two", "few", "many", "other", "description", "hash":
		default:
			return false
		}
	}
	return true
}
