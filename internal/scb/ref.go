package scb

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Ref is an indicator's source reference to SCB, as written in a strategy
// file:
//
//	scb:TAB4823?Fodelseregion=11&Alder=*&ContentsCode=000001N6
//	scb:TAB4823+TAB6645?Fodelseregion=11&Alder=*&ContentsCode=000001N6
//	scb:BE/BE0101/BE0101E/InrUtrFoddaRegAlKon?Fodelseregion=11&Alder=*&ContentsCode=BE0101N1
//
// The part before "?" names one table, or a history table and its
// successor joined by "+" (a v2 id like TAB4823, or a v1 path). The
// parameters fix the variables other than region, time and sex, which
// Fetch chooses: one code, several codes separated by commas (summed), or
// "*" for the whole variable — its published total when the table has one
// (SCB's CKM noise makes a published total better than a sum of parts, and
// a "*" over overlapping age groups would count people twice), otherwise
// the sum of every value. A parameter prefixed with a table id applies to
// that table only and overrides the plain one ("TAB6645.ContentsCode=…"),
// for successors whose codes differ.
type Ref struct {
	Tables     []string
	Fixed      Selection
	TableFixed map[string]Selection
}

// reserved are the variables Fetch sets itself.
var reserved = map[string]string{
	"region": "the organisation is chosen when fetching",
	"tid":    "the years are chosen when fetching",
	"kon":    "sex is mapped to gender T/K/M when fetching",
}

// ParseRef parses a source reference; the "scb:" prefix is optional.
// Errors name the part that is wrong.
func ParseRef(ref string) (Ref, error) {
	fail := func(format string, args ...any) (Ref, error) {
		return Ref{}, invalid("scb ref %q: "+format, append([]any{ref}, args...)...)
	}
	s := strings.TrimSpace(ref)
	// A prefix is a colon before the query; a colon after it is in a code.
	if i := strings.Index(s, ":"); i >= 0 && (!strings.Contains(s, "?") || i < strings.Index(s, "?")) {
		prefix := s[:i]
		if !strings.EqualFold(prefix, "scb") {
			return fail("not an SCB reference (source %q)", prefix)
		}
		s = s[i+1:]
	}
	path, query, _ := strings.Cut(s, "?")
	if path == "" {
		return fail("no table before %q", "?")
	}
	r := Ref{Fixed: Selection{}, TableFixed: map[string]Selection{}}
	for i, t := range strings.Split(path, "+") {
		t = strings.TrimSpace(t)
		switch {
		case t == "":
			return fail("table %d is empty (tables are joined by a single %q)", i+1, "+")
		case strings.Contains(t, "/"):
			p, err := v1Path(t)
			if err != nil {
				return fail("table %d %q is not a v1 path like BE/BE0101/BE0101E/InrUtrFoddaRegAlKon", i+1, t)
			}
			if !validName(strings.ReplaceAll(p, "/", "")) {
				return fail("table %d %q: v1 path segments are letters, digits and _", i+1, t)
			}
			t = p
		case !validName(t):
			return fail("table %d %q is not a table id like TAB4823", i+1, t)
		}
		for _, prev := range r.Tables {
			if prev == t {
				return fail("table %q given twice", t)
			}
		}
		r.Tables = append(r.Tables, t)
	}
	if len(r.Tables) > 2 {
		return fail("%d tables; give one, or a history table and its successor (A+B)", len(r.Tables))
	}
	if query == "" {
		return r, nil
	}
	for i, param := range strings.Split(query, "&") {
		name, value, ok := strings.Cut(param, "=")
		if !ok || name == "" {
			return fail("parameter %d %q: want Variable=code[,code…] or Variable=*", i+1, param)
		}
		table, variable := "", name
		if j := strings.LastIndex(name, "."); j >= 0 {
			table, variable = name[:j], name[j+1:]
			found := false
			for _, t := range r.Tables {
				found = found || strings.EqualFold(t, table)
				if strings.EqualFold(t, table) {
					table = t
				}
			}
			if !found {
				return fail("parameter %q names table %q, which is not among %s", name, table, strings.Join(r.Tables, ", "))
			}
		}
		if !validName(variable) {
			return fail("parameter %d: %q is not a variable code", i+1, variable)
		}
		if why, ok := reserved[strings.ToLower(variable)]; ok {
			return fail("%s cannot be fixed: %s", variable, why)
		}
		if value == "" {
			return fail("%s has no value codes", name)
		}
		var codes []string
		for _, raw := range strings.Split(value, ",") {
			code, err := url.PathUnescape(raw) // not QueryUnescape: "1+2" is a code
			if err != nil {
				return fail("%s: bad escape in %q", name, raw)
			}
			if code == "" {
				return fail("%s has an empty code in %q", name, value)
			}
			codes = append(codes, code)
		}
		if len(codes) > 1 {
			for _, code := range codes {
				if code == "*" {
					return fail("%s mixes %q with codes; use one or the other", name, "*")
				}
			}
		}
		sel := r.Fixed
		if table != "" {
			if r.TableFixed[table] == nil {
				r.TableFixed[table] = Selection{}
			}
			sel = r.TableFixed[table]
		}
		for existing := range sel {
			if strings.EqualFold(existing, variable) {
				return fail("%s given twice", name)
			}
		}
		sel[variable] = codes
	}
	return r, nil
}

func validName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' {
			return false
		}
	}
	return true
}

// String writes the reference in its canonical form, parameters sorted.
func (r Ref) String() string {
	var b strings.Builder
	b.WriteString("scb:" + strings.Join(r.Tables, "+"))
	var params []string
	add := func(prefix string, sel Selection) {
		for v, codes := range sel {
			esc := make([]string, len(codes))
			for i, c := range codes {
				esc[i] = escapeCode(c)
			}
			params = append(params, prefix+v+"="+strings.Join(esc, ","))
		}
	}
	add("", r.Fixed)
	for t, sel := range r.TableFixed {
		add(t+".", sel)
	}
	sort.Strings(params)
	if len(params) > 0 {
		b.WriteString("?" + strings.Join(params, "&"))
	}
	return b.String()
}

// escapeCode escapes only what would break the reference's syntax, so
// "1+2", "*" and å stay readable. Spaces of every kind are escaped: a
// reference is trimmed when read, which would take one off a last code.
func escapeCode(code string) string {
	var b strings.Builder
	for len(code) > 0 {
		r, size := utf8.DecodeRuneInString(code)
		if strings.ContainsRune("%,&=?#", r) || r <= ' ' || r == 0x7f || unicode.IsSpace(r) || r == utf8.RuneError {
			for _, ch := range []byte(code[:size]) {
				fmt.Fprintf(&b, "%%%02X", ch)
			}
		} else {
			b.WriteString(code[:size])
		}
		code = code[size:]
	}
	return b.String()
}

// selection is the fixed selection for one table: the plain parameters
// with the table's own on top.
func (r Ref) selection(table string) Selection {
	out := Selection{}
	for k, v := range r.Fixed {
		out[k] = v
	}
	for k, v := range r.TableFixed[table] {
		for old := range out {
			if strings.EqualFold(old, k) {
				delete(out, old)
			}
		}
		out[k] = v
	}
	return out
}
